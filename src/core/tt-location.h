/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  TT_LOCATION_STATE_NO_GPSD,   /* gpsd not reachable (retrying with backoff) */
  TT_LOCATION_STATE_NO_FIX,    /* gpsd there, receiver has no position */
  TT_LOCATION_STATE_2D,
  TT_LOCATION_STATE_3D,
} TtLocationState;

#define TT_TYPE_LOCATION_STATE (tt_location_state_get_type ())
GType         tt_location_state_get_type  (void) G_GNUC_CONST;

/* "no-gpsd", "no-fix", "2d", "3d" (the tantayctl and event wording). */
const char   *tt_location_state_to_string (TtLocationState state);

/* One position report from gpsd.  Unknown numbers are NaN (doubles) or -1
 * (counts); nothing is ever filled in by guessing. */
typedef struct
{
  TtLocationState mode;            /* TT_LOCATION_STATE_2D or _3D */
  double          latitude;        /* degrees */
  double          longitude;       /* degrees */
  double          alt_msl_m;       /* above mean sea level; NaN unless 3D */
  double          alt_hae_m;       /* above the WGS84 ellipsoid; NaN unless 3D */
  double          accuracy_m;      /* horizontal error estimate; NaN if unknown */
  int             satellites_used; /* -1 if unknown */
  gint64          time_us;         /* the receiver's time (Unix µs), 0 if none */
  gint64          received_us;     /* g_get_monotonic_time () at arrival */
} TtFix;

#define TT_TYPE_FIX (tt_fix_get_type ())
GType         tt_fix_get_type             (void) G_GNUC_CONST;
TtFix        *tt_fix_copy                 (const TtFix *fix);
void          tt_fix_free                 (TtFix       *fix);
/* Seconds since the report arrived (not since the receiver's own time, which
 * receivers with the GPS week-rollover bug get wrong by 1024 weeks). */
double        tt_fix_get_age              (const TtFix *fix,
                                           gint64       now_us);
/* The receiver's time as ISO 8601 UTC with milliseconds, or NULL. */
char         *tt_fix_format_time          (const TtFix *fix);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtFix, tt_fix_free)

#define TT_TYPE_LOCATION (tt_location_get_type ())
G_DECLARE_FINAL_TYPE (TtLocation, tt_location, TT, LOCATION, GObject)

/* Connects to gpsd at @host:@port (NULL host: localhost) at once and keeps
 * trying (with backoff) for as long as the object lives.  Everything happens on the thread-default
 * main context of the caller; only the TCP connect runs on a worker thread. */
TtLocation     *tt_location_new                (const char   *host,
                                                guint         port);

void            tt_location_set_endpoint       (TtLocation   *self,
                                                const char   *host,
                                                guint         port);
const char     *tt_location_get_host           (TtLocation   *self);
guint           tt_location_get_port           (TtLocation   *self);
TtLocationState tt_location_get_state          (TtLocation   *self);
double          tt_location_get_latitude       (TtLocation   *self);
double          tt_location_get_longitude      (TtLocation   *self);
double          tt_location_get_altitude       (TtLocation   *self);
double          tt_location_get_altitude_hae   (TtLocation   *self);
double          tt_location_get_accuracy_m     (TtLocation   *self);
int             tt_location_get_satellites_used    (TtLocation *self);
int             tt_location_get_satellites_visible (TtLocation *self);
GDateTime      *tt_location_get_fix_time       (TtLocation   *self);
double          tt_location_get_fix_age        (TtLocation   *self);

/* The latest fix (2D or 3D), possibly old; NULL when there never was one. */
const TtFix    *tt_location_get_last_fix       (TtLocation   *self);
/* Copies of the fixes that arrived at or after @since_us (monotonic),
 * oldest first.  The history covers at least the last 10 minutes. */
GArray         *tt_location_dup_history        (TtLocation   *self,
                                                gint64        since_us);

G_END_DECLS
