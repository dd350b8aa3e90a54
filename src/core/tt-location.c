/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-location"

#include "config.h"

#include <errno.h>
#include <gio/gio.h>
#include <glib-unix.h>
#include <gps.h>
#include <math.h>

#include "tt-location.h"

/* API 9 (gpsd 3.20) is the first with altHAE/altMSL and timespec fix
 * times; everything used below exists unchanged up to API 14 (3.25). */
#if GPSD_API_MAJOR_VERSION < 9
#error "libgps from gpsd 3.20 or newer is needed"
#endif

#define RETRY_MIN_MS   250
#define RETRY_MAX_MS   10000
/* A receiver reports once a second; after this long without a report the
 * position is no longer current, whatever gpsd said last. */
#define STALE_AFTER_US (5 * G_USEC_PER_SEC)
/* gpsd 3.22 may never stream to a client that started watching before the
 * receiver was added (seen with gpsfake -n under load); a fresh WATCH
 * does.  Reconnecting a quiet local socket now and then costs nothing. */
#define SILENCE_S      10
/* Covers the largest fix-window-s the settings allow. */
#define HISTORY_US     (600 * G_USEC_PER_SEC)
#define HISTORY_MAX    1200

struct _TtLocation
{
  GObject            parent_instance;

  char              *host;
  guint              port;

  struct gps_data_t *gps;             /* NULL while not connected */
  guint              watch_id;
  guint              retry_id;
  guint              tick_id;
  guint              retry_ms;
  guint              silence_s;
  gint64             last_report_us;
  GCancellable      *connecting;      /* set while a connect is under way */
  gboolean           constructed;

  TtLocationState    state;
  int                satellites_used;
  int                satellites_visible;
  gboolean           has_last;
  TtFix              last;
  GArray            *history;         /* of TtFix, oldest first */
};

G_DEFINE_FINAL_TYPE (TtLocation, tt_location, G_TYPE_OBJECT)
G_DEFINE_ENUM_TYPE (TtLocationState, tt_location_state,
  G_DEFINE_ENUM_VALUE (TT_LOCATION_STATE_NO_GPSD, "no-gpsd"),
  G_DEFINE_ENUM_VALUE (TT_LOCATION_STATE_NO_FIX, "no-fix"),
  G_DEFINE_ENUM_VALUE (TT_LOCATION_STATE_2D, "2d"),
  G_DEFINE_ENUM_VALUE (TT_LOCATION_STATE_3D, "3d"))
G_DEFINE_BOXED_TYPE (TtFix, tt_fix, tt_fix_copy, tt_fix_free)

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_STATE,
  PROP_LATITUDE,
  PROP_LONGITUDE,
  PROP_ALTITUDE,
  PROP_ALTITUDE_HAE,
  PROP_ACCURACY_M,
  PROP_SATELLITES_USED,
  PROP_SATELLITES_VISIBLE,
  PROP_FIX_TIME,
  PROP_FIX_AGE,
  PROP_SILENCE_TIMEOUT_S,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  FIX,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static void schedule_connect (TtLocation *self);
static void start_connect    (TtLocation *self);

const char *
tt_location_state_to_string (TtLocationState state)
{
  switch (state)
    {
    case TT_LOCATION_STATE_NO_GPSD: return "no-gpsd";
    case TT_LOCATION_STATE_NO_FIX: return "no-fix";
    case TT_LOCATION_STATE_2D: return "2d";
    case TT_LOCATION_STATE_3D: return "3d";
    default: g_return_val_if_reached (NULL);
    }
}

TtFix *
tt_fix_copy (const TtFix *fix)
{
  return g_memdup2 (fix, sizeof *fix);
}

void
tt_fix_free (TtFix *fix)
{
  g_free (fix);
}

double
tt_fix_get_age (const TtFix *fix,
                gint64       now_us)
{
  g_return_val_if_fail (fix != NULL, NAN);

  return MAX (0, now_us - fix->received_us) / (double) G_USEC_PER_SEC;
}

char *
tt_fix_format_time (const TtFix *fix)
{
  g_autoptr(GDateTime) dt = NULL;
  g_autofree char *base = NULL;

  g_return_val_if_fail (fix != NULL, NULL);

  if (fix->time_us <= 0)
    return NULL;
  dt = g_date_time_new_from_unix_utc (fix->time_us / G_USEC_PER_SEC);
  if (dt == NULL)
    return NULL;
  base = g_date_time_format (dt, "%Y-%m-%dT%H:%M:%S");
  return g_strdup_printf ("%s.%03dZ", base, (int) (fix->time_us % G_USEC_PER_SEC / 1000));
}

static void
close_gps (struct gps_data_t *gps)
{
  gps_close (gps);
  g_free (gps);
}

static void
set_state (TtLocation      *self,
           TtLocationState  state)
{
  if (self->state == state)
    return;
  g_debug ("%s:%u: %s → %s", self->host, self->port,
           tt_location_state_to_string (self->state), tt_location_state_to_string (state));
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_satellites (TtLocation *self,
                int         used,
                int         visible)
{
  if (self->satellites_used != used)
    {
      self->satellites_used = used;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SATELLITES_USED]);
    }
  if (self->satellites_visible != visible)
    {
      self->satellites_visible = visible;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SATELLITES_VISIBLE]);
    }
}

static void
trim_history (TtLocation *self,
              gint64      now_us)
{
  guint drop = 0;

  while (drop < self->history->len
         && (self->history->len - drop > HISTORY_MAX
             || now_us - g_array_index (self->history, TtFix, drop).received_us > HISTORY_US))
    drop++;
  if (drop > 0)
    g_array_remove_range (self->history, 0, drop);
}

static void
take_fix (TtLocation  *self,
          const TtFix *fix)
{
  GObject *object = G_OBJECT (self);

  g_object_freeze_notify (object);
  self->last = *fix;
  self->has_last = TRUE;
  g_array_append_val (self->history, *fix);
  trim_history (self, fix->received_us);
  /* Not "p": gpsd 3.27's gps.h (the Flatpak's) has an enumerator of
   * that name, and -Wshadow would flag it. */
  for (guint prop = PROP_LATITUDE; prop <= PROP_FIX_AGE; prop++)
    if (prop != PROP_SATELLITES_USED && prop != PROP_SATELLITES_VISIBLE)
      g_object_notify_by_pspec (object, properties[prop]);
  set_state (self, fix->mode);
  g_object_thaw_notify (object);

  g_signal_emit (self, signals[FIX], 0, fix);
}

/* Horizontal error: gpsd's eph when it has one, else the combined
 * longitude/latitude errors.  NaN stays NaN: an unknown accuracy must not
 * look like a good one. */
static double
horizontal_accuracy (const struct gps_fix_t *fix)
{
  if (isfinite (fix->eph))
    return fix->eph;
  if (isfinite (fix->epx) && isfinite (fix->epy))
    return sqrt (fix->epx * fix->epx + fix->epy * fix->epy);
  return NAN;
}

static void
handle_report (TtLocation *self)
{
  struct gps_data_t *gps = self->gps;

  if (gps->set & SATELLITE_SET)
    set_satellites (self, gps->satellites_used, gps->satellites_visible);

  if (!(gps->set & MODE_SET))
    return;

  if (gps->fix.mode >= MODE_2D
      && isfinite (gps->fix.latitude) && isfinite (gps->fix.longitude)
      && fabs (gps->fix.latitude) <= 90 && fabs (gps->fix.longitude) <= 180)
    {
      gboolean three_d = gps->fix.mode >= MODE_3D;
      TtFix fix = {
        .mode = three_d ? TT_LOCATION_STATE_3D : TT_LOCATION_STATE_2D,
        .latitude = gps->fix.latitude,
        .longitude = gps->fix.longitude,
        .alt_msl_m = three_d ? gps->fix.altMSL : NAN,
        .alt_hae_m = three_d ? gps->fix.altHAE : NAN,
        .accuracy_m = horizontal_accuracy (&gps->fix),
        .satellites_used = self->satellites_used > 0 ? self->satellites_used : -1,
        .time_us = gps->fix.time.tv_sec > 0
                   ? (gint64) gps->fix.time.tv_sec * G_USEC_PER_SEC + gps->fix.time.tv_nsec / 1000
                   : 0,
        .received_us = g_get_monotonic_time (),
      };

      take_fix (self, &fix);
    }
  else
    {
      set_state (self, TT_LOCATION_STATE_NO_FIX);
    }
}

static void
lose_connection (TtLocation *self)
{
  g_clear_handle_id (&self->watch_id, g_source_remove);
  g_clear_pointer (&self->gps, close_gps);
  set_state (self, TT_LOCATION_STATE_NO_GPSD);
  schedule_connect (self);
}

static gboolean
on_gps_readable (int          fd,
                 GIOCondition condition,
                 gpointer     user_data)
{
  TtLocation *self = user_data;

  /* One recv often carries several reports and gps_read() unpacks one line,
   * so drain what is buffered.  The socket is non-blocking: a partial line
   * makes gps_read() return 0 instead of waiting for the rest. */
  do
    {
      int n;

      self->gps->set = 0;
      n = gps_read (self->gps, NULL, 0);
      if (n < 0)
        {
          /* Also a line longer than libgps's buffer: not gpsd talking. */
          g_debug ("gpsd at %s:%u went away or sent something that is not gpsd's protocol",
                   self->host, self->port);
          self->watch_id = 0;
          lose_connection (self);
          return G_SOURCE_REMOVE;
        }
      if (n == 0)
        break;
      self->last_report_us = g_get_monotonic_time ();
      handle_report (self);
    }
  while (gps_waiting (self->gps, 0));

  return G_SOURCE_CONTINUE;
}

static gboolean
on_tick (gpointer user_data)
{
  TtLocation *self = user_data;

  if (self->gps != NULL
      && g_get_monotonic_time () - self->last_report_us > (gint64) self->silence_s * G_USEC_PER_SEC)
    {
      g_debug ("nothing from gpsd at %s:%u for %u s: connecting again",
               self->host, self->port, self->silence_s);
      /* The state stays as it is unless the new connect fails. */
      g_clear_handle_id (&self->watch_id, g_source_remove);
      g_clear_pointer (&self->gps, close_gps);
      self->retry_ms = 0;
      start_connect (self);
    }

  if (!self->has_last)
    return G_SOURCE_CONTINUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FIX_AGE]);
  if ((self->state == TT_LOCATION_STATE_2D || self->state == TT_LOCATION_STATE_3D)
      && g_get_monotonic_time () - self->last.received_us > STALE_AFTER_US)
    set_state (self, TT_LOCATION_STATE_NO_FIX);
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  char *host;
  char *port;
} ConnectData;

static void
connect_data_free (ConnectData *data)
{
  g_free (data->host);
  g_free (data->port);
  g_free (data);
}

/* gps_open() resolves and connects with blocking calls: kept off the main
 * loop so that a slow or black-holed gpsd host never freezes the window. */
static void
connect_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  ConnectData *data = task_data;
  g_autofree struct gps_data_t *gps = g_new0 (struct gps_data_t, 1);
  g_autoptr(GError) local_error = NULL;

  if (gps_open (data->host, data->port, gps) != 0)
    {
      int code = errno;

      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CONNECTION_REFUSED,
                               "Cannot reach gpsd at %s:%s: %s",
                               data->host, data->port, gps_errstr (code));
      return;
    }
  if (gps_stream (gps, WATCH_ENABLE | WATCH_JSON, NULL) != 0
      || !g_unix_set_fd_nonblocking (gps->gps_fd, TRUE, &local_error))
    {
      gps_close (gps);
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE,
                               "gpsd at %s:%s closed the connection", data->host, data->port);
      return;
    }
  g_task_return_pointer (task, g_steal_pointer (&gps), (GDestroyNotify) close_gps);
}

static void
on_connected (GObject      *source_object,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  struct gps_data_t *gps = g_task_propagate_pointer (G_TASK (result), &error);
  TtLocation *self;

  /* Cancelled: the object was disposed (@user_data is gone) or moved to
   * another address (a newer connect is under way). */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;

  self = user_data;
  g_clear_object (&self->connecting);

  if (gps == NULL)
    {
      g_debug ("%s", error->message);
      set_state (self, TT_LOCATION_STATE_NO_GPSD);
      schedule_connect (self);
      return;
    }

  g_debug ("connected to gpsd at %s:%u", self->host, self->port);
  self->gps = gps;
  self->retry_ms = 0;
  self->last_report_us = g_get_monotonic_time ();
  /* After a reconnect for silence, keep a current fix state. */
  if (self->state == TT_LOCATION_STATE_NO_GPSD)
    set_state (self, TT_LOCATION_STATE_NO_FIX);
  self->watch_id = g_unix_fd_add (gps->gps_fd, G_IO_IN | G_IO_HUP | G_IO_ERR,
                                  on_gps_readable, self);
}

static void
start_connect (TtLocation *self)
{
  g_autoptr(GTask) task = NULL;
  ConnectData *data;

  g_assert (self->gps == NULL && self->connecting == NULL);

  data = g_new0 (ConnectData, 1);
  data->host = g_strdup (self->host);
  data->port = g_strdup_printf ("%u", self->port);

  self->connecting = g_cancellable_new ();
  /* No source object: a connect stuck in the kernel must not keep the
   * object alive; dispose cancels instead. */
  task = g_task_new (NULL, self->connecting, on_connected, self);
  g_task_set_source_tag (task, start_connect);
  g_task_set_task_data (task, data, (GDestroyNotify) connect_data_free);
  g_task_run_in_thread (task, connect_thread);
}

static gboolean
on_retry (gpointer user_data)
{
  TtLocation *self = user_data;

  self->retry_id = 0;
  start_connect (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_connect (TtLocation *self)
{
  g_assert (self->retry_id == 0);

  self->retry_ms = self->retry_ms == 0 ? RETRY_MIN_MS : MIN (self->retry_ms * 2, RETRY_MAX_MS);
  self->retry_id = g_timeout_add (self->retry_ms, on_retry, self);
}

static void
tt_location_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TtLocation *self = TT_LOCATION (object);

  switch (prop_id)
    {
    case PROP_HOST:
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT:
      g_value_set_uint (value, self->port);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LATITUDE:
      g_value_set_double (value, tt_location_get_latitude (self));
      break;
    case PROP_LONGITUDE:
      g_value_set_double (value, tt_location_get_longitude (self));
      break;
    case PROP_ALTITUDE:
      g_value_set_double (value, tt_location_get_altitude (self));
      break;
    case PROP_ALTITUDE_HAE:
      g_value_set_double (value, tt_location_get_altitude_hae (self));
      break;
    case PROP_ACCURACY_M:
      g_value_set_double (value, tt_location_get_accuracy_m (self));
      break;
    case PROP_SATELLITES_USED:
      g_value_set_int (value, self->satellites_used);
      break;
    case PROP_SATELLITES_VISIBLE:
      g_value_set_int (value, self->satellites_visible);
      break;
    case PROP_FIX_TIME:
      g_value_take_boxed (value, tt_location_get_fix_time (self));
      break;
    case PROP_FIX_AGE:
      g_value_set_double (value, tt_location_get_fix_age (self));
      break;
    case PROP_SILENCE_TIMEOUT_S:
      g_value_set_uint (value, self->silence_s);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_location_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TtLocation *self = TT_LOCATION (object);

  switch (prop_id)
    {
    case PROP_HOST:
      tt_location_set_endpoint (self, g_value_get_string (value), self->port);
      break;
    case PROP_PORT:
      tt_location_set_endpoint (self, self->host, g_value_get_uint (value));
      break;
    case PROP_SILENCE_TIMEOUT_S:
      self->silence_s = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_location_constructed (GObject *object)
{
  TtLocation *self = TT_LOCATION (object);

  G_OBJECT_CLASS (tt_location_parent_class)->constructed (object);

  self->constructed = TRUE;
  self->tick_id = g_timeout_add_seconds (1, on_tick, self);
  start_connect (self);
}

static void
tt_location_dispose (GObject *object)
{
  TtLocation *self = TT_LOCATION (object);

  if (self->connecting != NULL)
    g_cancellable_cancel (self->connecting);
  g_clear_object (&self->connecting);
  g_clear_handle_id (&self->watch_id, g_source_remove);
  g_clear_handle_id (&self->retry_id, g_source_remove);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  g_clear_pointer (&self->gps, close_gps);

  G_OBJECT_CLASS (tt_location_parent_class)->dispose (object);
}

static void
tt_location_finalize (GObject *object)
{
  TtLocation *self = TT_LOCATION (object);

  g_free (self->host);
  g_array_unref (self->history);

  G_OBJECT_CLASS (tt_location_parent_class)->finalize (object);
}

static void
tt_location_class_init (TtLocationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = tt_location_get_property;
  object_class->set_property = tt_location_set_property;
  object_class->constructed = tt_location_constructed;
  object_class->dispose = tt_location_dispose;
  object_class->finalize = tt_location_finalize;

  /* Changing either reconnects at once (settings gps-host, gps-port). */
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, "localhost",
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 1, 65535, 2947,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TT_TYPE_LOCATION_STATE,
                       TT_LOCATION_STATE_NO_GPSD, ro);
  /* The position properties describe the latest fix, which may be old
   * (see fix-age) while the state says there is no fix now.  They read NaN
   * (-1 for counts) when there never was one or the receiver did not say;
   * the spec defaults are only there because GParamSpec refuses NaN. */
  properties[PROP_LATITUDE] =
    g_param_spec_double ("latitude", NULL, NULL, -90, 90, 0, ro);
  properties[PROP_LONGITUDE] =
    g_param_spec_double ("longitude", NULL, NULL, -180, 180, 0, ro);
  properties[PROP_ALTITUDE] =
    g_param_spec_double ("altitude", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, ro);
  properties[PROP_ALTITUDE_HAE] =
    g_param_spec_double ("altitude-hae", NULL, NULL, -G_MAXDOUBLE, G_MAXDOUBLE, 0, ro);
  properties[PROP_ACCURACY_M] =
    g_param_spec_double ("accuracy-m", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);
  properties[PROP_SATELLITES_USED] =
    g_param_spec_int ("satellites-used", NULL, NULL, -1, G_MAXINT, -1, ro);
  properties[PROP_SATELLITES_VISIBLE] =
    g_param_spec_int ("satellites-visible", NULL, NULL, -1, G_MAXINT, -1, ro);
  properties[PROP_FIX_TIME] =
    g_param_spec_boxed ("fix-time", NULL, NULL, G_TYPE_DATE_TIME, ro);
  properties[PROP_FIX_AGE] =
    g_param_spec_double ("fix-age", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);

  /* Connected but nothing at all from gpsd for this long: connect again. */
  properties[PROP_SILENCE_TIMEOUT_S] =
    g_param_spec_uint ("silence-timeout-s", NULL, NULL, 1, 3600, SILENCE_S,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TtLocation::fix:
   * @fix: the new #TtFix
   *
   * Emitted for every 2D or 3D position report, after the properties
   * changed.
   */
  signals[FIX] =
    g_signal_new ("fix", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1,
                  TT_TYPE_FIX | G_SIGNAL_TYPE_STATIC_SCOPE);
}

static void
tt_location_init (TtLocation *self)
{
  self->host = g_strdup ("localhost");
  self->port = 2947;
  self->silence_s = SILENCE_S;
  self->state = TT_LOCATION_STATE_NO_GPSD;
  self->satellites_used = -1;
  self->satellites_visible = -1;
  self->history = g_array_new (FALSE, FALSE, sizeof (TtFix));
}

/**
 * tt_location_new:
 * @host: gpsd's host name or address (setting gps-host)
 * @port: gpsd's TCP port (setting gps-port)
 *
 * Returns: (transfer full): a location that starts connecting at once.
 */
TtLocation *
tt_location_new (const char *host,
                 guint       port)
{
  g_return_val_if_fail (port > 0 && port <= 65535, NULL);

  return g_object_new (TT_TYPE_LOCATION, "host", host, "port", port, NULL);
}

/**
 * tt_location_set_endpoint:
 * @host: (nullable): gpsd's host; NULL or empty for localhost
 * @port: gpsd's TCP port
 *
 * Drops the connection, if any, and connects to the new address at once.
 * Fixes already received stay in the history.
 */
void
tt_location_set_endpoint (TtLocation *self,
                          const char *host,
                          guint       port)
{
  g_autofree char *new_host = NULL;

  g_return_if_fail (TT_IS_LOCATION (self));
  g_return_if_fail (port > 0 && port <= 65535);

  new_host = g_strdup (host != NULL && host[0] != '\0' ? host : "localhost");
  if (g_str_equal (new_host, self->host) && port == self->port)
    return;

  g_object_freeze_notify (G_OBJECT (self));
  if (!g_str_equal (new_host, self->host))
    {
      g_free (self->host);
      self->host = g_steal_pointer (&new_host);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HOST]);
    }
  if (port != self->port)
    {
      self->port = port;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PORT]);
    }

  if (self->constructed)
    {
      if (self->connecting != NULL)
        g_cancellable_cancel (self->connecting);
      g_clear_object (&self->connecting);
      g_clear_handle_id (&self->watch_id, g_source_remove);
      g_clear_handle_id (&self->retry_id, g_source_remove);
      g_clear_pointer (&self->gps, close_gps);
      self->retry_ms = 0;
      set_state (self, TT_LOCATION_STATE_NO_GPSD);
      start_connect (self);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

const char *
tt_location_get_host (TtLocation *self)
{
  g_return_val_if_fail (TT_IS_LOCATION (self), NULL);
  return self->host;
}

guint
tt_location_get_port (TtLocation *self)
{
  g_return_val_if_fail (TT_IS_LOCATION (self), 0);
  return self->port;
}

TtLocationState
tt_location_get_state (TtLocation *self)
{
  g_return_val_if_fail (TT_IS_LOCATION (self), TT_LOCATION_STATE_NO_GPSD);
  return self->state;
}

double
tt_location_get_latitude (TtLocation *self)
{
  g_return_val_if_fail (TT_IS_LOCATION (self), NAN);
  return self->has_last ? self->last.latitude : NAN;
}

double
tt_location_get_longitude (TtLocation *self)
{
  g_return_val_if_fail (TT_IS_LOCATION (self), NAN);
  return self->has_last ? self->last.longitude : NAN;
}

/**
 * tt_location_get_altitude:
 *
 * Returns: metres above mean sea level of the latest fix, NaN if unknown
 */
double
tt_location_get_altitude (TtLocation *self)
{
  g_return_val_if_fail (TT_IS_LOCATION (self), NAN);
  return self->has_last ? self->last.alt_msl_m : NAN;
}

/**
 * tt_location_get_altitude_hae:
 *
 * Returns: metres above the WGS84 ellipsoid of the latest fix, NaN if unknown
 */
double
tt_location_get_altitude_hae (TtLocation *self)
{
  g_return_val_if_fail (TT_IS_LOCATION (self), NAN);
  return self->has_last ? self->last.alt_hae_m : NAN;
}

double
tt_location_get_accuracy_m (TtLocation *self)
{
  g_return_val_if_fail (TT_IS_LOCATION (self), NAN);
  return self->has_last ? self->last.accuracy_m : NAN;
}

int
tt_location_get_satellites_used (TtLocation *self)
{
  g_return_val_if_fail (TT_IS_LOCATION (self), -1);
  return self->satellites_used;
}

int
tt_location_get_satellites_visible (TtLocation *self)
{
  g_return_val_if_fail (TT_IS_LOCATION (self), -1);
  return self->satellites_visible;
}

/**
 * tt_location_get_fix_time:
 *
 * Returns: (transfer full) (nullable): the receiver's time of the latest fix
 */
GDateTime *
tt_location_get_fix_time (TtLocation *self)
{
  g_autoptr(GDateTime) seconds = NULL;

  g_return_val_if_fail (TT_IS_LOCATION (self), NULL);

  if (!self->has_last || self->last.time_us <= 0)
    return NULL;
  seconds = g_date_time_new_from_unix_utc (self->last.time_us / G_USEC_PER_SEC);
  return seconds ? g_date_time_add (seconds, self->last.time_us % G_USEC_PER_SEC) : NULL;
}

/**
 * tt_location_get_fix_age:
 *
 * Returns: seconds since the latest fix arrived, NaN when there is none
 */
double
tt_location_get_fix_age (TtLocation *self)
{
  g_return_val_if_fail (TT_IS_LOCATION (self), NAN);
  return self->has_last ? tt_fix_get_age (&self->last, g_get_monotonic_time ()) : NAN;
}

const TtFix *
tt_location_get_last_fix (TtLocation *self)
{
  g_return_val_if_fail (TT_IS_LOCATION (self), NULL);
  return self->has_last ? &self->last : NULL;
}

/**
 * tt_location_dup_history:
 * @since_us: monotonic time (g_get_monotonic_time ()) of the oldest fix wanted
 *
 * Returns: (transfer full) (element-type TtFix): the fixes since @since_us
 */
GArray *
tt_location_dup_history (TtLocation *self,
                         gint64      since_us)
{
  GArray *copy;
  guint first = 0;

  g_return_val_if_fail (TT_IS_LOCATION (self), NULL);

  while (first < self->history->len
         && g_array_index (self->history, TtFix, first).received_us < since_us)
    first++;
  copy = g_array_sized_new (FALSE, FALSE, sizeof (TtFix), self->history->len - first);
  if (first < self->history->len)
    g_array_append_vals (copy, &g_array_index (self->history, TtFix, first),
                         self->history->len - first);
  return copy;
}
