/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A real gpsd fed by gpsfake from one of the recorded NMEA logs in
 * $TT_SHARED_DIR/fixtures/nmea, listening on a loopback port of its own. */
typedef struct _TtGpsfake TtGpsfake;

/* A TCP port that nothing listens on right now. */
guint16     tt_gpsfake_free_port   (void);
/* Starts gpsfake replaying @log_name in a loop, one sentence every
 * @cycle_s seconds.  The whole process group (gpsfake and its gpsd) is
 * killed by tt_gpsfake_stop(), and also if the test dies. */
TtGpsfake  *tt_gpsfake_start       (const char *log_name,
                                    guint16     port,
                                    double      cycle_s);
void        tt_gpsfake_stop        (TtGpsfake  *fake);
char       *tt_gpsfake_log_path    (const char *log_name);

/* Runs the default main context until @done returns TRUE or @timeout_ms
 * pass.  Returns the last value of @done. */
gboolean    tt_gpsfake_wait_until  (gboolean  (*done) (gpointer data),
                                    gpointer    data,
                                    guint       timeout_ms);
/* Runs the default main context for @ms milliseconds. */
void        tt_gpsfake_run_for     (guint       ms);

typedef struct
{
  int    second_of_day;
  double lat;
  double lon;
  double alt_msl;   /* GGA only; NaN for RMC */
} TtNmeaPosition;

/* Every position a GGA (quality > 0) or RMC (status A) sentence of the log
 * states, as TtNmeaPosition, parsed here and not by gpsd. */
GArray     *tt_gpsfake_read_nmea   (const char *log_name);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtGpsfake, tt_gpsfake_stop)

G_END_DECLS
