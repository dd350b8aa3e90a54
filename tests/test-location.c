/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <math.h>

#include "tt-fix-policy.h"
#include "tt-gpsfake.h"
#include "tt-location.h"
#include "tt-store.h"
#include "tt-test-util.h"

/* ---- helpers ---- */

typedef struct
{
  TtLocation *location;
  GArray     *fixes;          /* every TtFix received */
  gboolean    ever_had_fix_state;
  guint       state_changes;
} Watch;

static void
on_fix (TtLocation  *location,
        const TtFix *fix,
        Watch       *watch)
{
  g_array_append_val (watch->fixes, *fix);
}

static void
on_state (TtLocation *location,
          GParamSpec *pspec,
          Watch      *watch)
{
  TtLocationState state = tt_location_get_state (location);

  watch->state_changes++;
  if (state == TT_LOCATION_STATE_2D || state == TT_LOCATION_STATE_3D)
    watch->ever_had_fix_state = TRUE;
}

static Watch *
watch_new (const char *host,
           guint16     port)
{
  Watch *watch = g_new0 (Watch, 1);

  watch->location = tt_location_new (host, port);
  watch->fixes = g_array_new (FALSE, FALSE, sizeof (TtFix));
  g_signal_connect (watch->location, "fix", G_CALLBACK (on_fix), watch);
  g_signal_connect (watch->location, "notify::state", G_CALLBACK (on_state), watch);
  return watch;
}

static void
watch_free (Watch *watch)
{
  g_signal_handlers_disconnect_by_data (watch->location, watch);
  g_object_unref (watch->location);
  g_array_unref (watch->fixes);
  g_free (watch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Watch, watch_free)

static gboolean
has_fix_state (gpointer data)
{
  TtLocationState state = tt_location_get_state (data);

  return state == TT_LOCATION_STATE_2D || state == TT_LOCATION_STATE_3D;
}

static gboolean
is_no_gpsd (gpointer data)
{
  return tt_location_get_state (data) == TT_LOCATION_STATE_NO_GPSD;
}

static gboolean
is_connected (gpointer data)
{
  return tt_location_get_state (data) != TT_LOCATION_STATE_NO_GPSD;
}

static guint
count_distinct_positions (GArray *fixes)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  for (guint i = 0; i < fixes->len; i++)
    {
      const TtFix *fix = &g_array_index (fixes, TtFix, i);

      g_hash_table_add (seen, g_strdup_printf ("%.7f,%.7f", fix->latitude, fix->longitude));
    }
  return g_hash_table_size (seen);
}

static gboolean
has_moving_3d_fixes (gpointer data)
{
  Watch *watch = data;
  gboolean any_3d = FALSE;

  for (guint i = 0; i < watch->fixes->len; i++)
    any_3d |= g_array_index (watch->fixes, TtFix, i).mode == TT_LOCATION_STATE_3D;
  return any_3d && count_distinct_positions (watch->fixes) >= 5;
}

typedef struct
{
  GMainLoop   *loop;
  TtFixResult *result;
  GError      *error;
} AcquireRun;

static void
on_acquired (GObject      *source,
             GAsyncResult *res,
             gpointer      user_data)
{
  AcquireRun *run = user_data;

  run->result = tt_fix_policy_acquire_finish (TT_FIX_POLICY (source), res, &run->error);
  g_main_loop_quit (run->loop);
}

static TtFixResult *
acquire (TtFixPolicy  *policy,
         GCancellable *cancellable,
         GError      **error)
{
  AcquireRun run = { 0 };

  run.loop = g_main_loop_new (NULL, FALSE);
  tt_fix_policy_acquire_async (policy, cancellable, on_acquired, &run);
  g_main_loop_run (run.loop);
  g_main_loop_unref (run.loop);
  if (run.error != NULL)
    g_propagate_error (error, run.error);
  return run.result;
}

static JsonObject *
result_json (const TtFixResult *result,
             JsonNode         **node_out)
{
  *node_out = tt_fix_result_to_json (result);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (*node_out));
  return json_node_get_object (*node_out);
}

static void
assert_member_null (JsonObject *object,
                    const char *name)
{
  g_assert_true (json_object_has_member (object, name));
  g_assert_true (json_object_get_null_member (object, name));
}

/* ---- unit tests: haversine, selection, serialisation ---- */

static void
test_haversine (void)
{
  /* One degree along a meridian is R·π/180 with the mean radius. */
  g_assert_cmpfloat_with_epsilon (tt_geo_distance_m (10, 106, 11, 106), 111195.08, 0.01);
  g_assert_cmpfloat (tt_geo_distance_m (21.0285, 105.8542, 21.0285, 105.8542), ==, 0);
  /* Hà Nội (Hoàn Kiếm) to TP.HCM (Bến Thành), against the spherical law of
   * cosines, which is exact at this range. */
  {
    double p1 = 21.0285 * G_PI / 180, p2 = 10.7725 * G_PI / 180;
    double dl = (106.6980 - 105.8542) * G_PI / 180;
    double expected = 6371008.8 * acos (sin (p1) * sin (p2) + cos (p1) * cos (p2) * cos (dl));

    g_assert_cmpfloat_with_epsilon (tt_geo_distance_m (21.0285, 105.8542, 10.7725, 106.6980),
                                    expected, 0.01);
    g_assert_cmpfloat_with_epsilon (expected, 1144e3, 1e3);
  }
  /* Symmetric, and half the circumference between antipodes. */
  g_assert_cmpfloat_with_epsilon (tt_geo_distance_m (21.0285, 105.8542, 10.7725, 106.6980),
                                  tt_geo_distance_m (10.7725, 106.6980, 21.0285, 105.8542), 1e-6);
  g_assert_cmpfloat_with_epsilon (tt_geo_distance_m (0, 0, 0, 180), G_PI * 6371008.8, 0.01);
  /* Across the antimeridian: 0.2° of longitude at the equator. */
  g_assert_cmpfloat_with_epsilon (tt_geo_distance_m (0, 179.9, 0, -179.9), 22239.02, 0.01);
}

static TtFix
make_fix (double acc,
          TtLocationState mode,
          gint64 received_us)
{
  TtFix fix = {
    .mode = mode, .latitude = 21.0, .longitude = 105.8,
    .alt_msl_m = NAN, .alt_hae_m = NAN, .accuracy_m = acc,
    .satellites_used = -1, .time_us = 0, .received_us = received_us,
  };
  return fix;
}

static void
test_policy_select (void)
{
  TtFix fixes[] = {
    make_fix (4, TT_LOCATION_STATE_3D, 1000),      /* best, but outside the window */
    make_fix (NAN, TT_LOCATION_STATE_3D, 2000),
    make_fix (30, TT_LOCATION_STATE_2D, 3000),
    make_fix (12, TT_LOCATION_STATE_3D, 4000),
    make_fix (12, TT_LOCATION_STATE_3D, 5000),     /* same accuracy, newer */
    make_fix (80, TT_LOCATION_STATE_3D, 6000),
  };
  TtFix unknown[] = {
    make_fix (NAN, TT_LOCATION_STATE_3D, 1000),
    make_fix (NAN, TT_LOCATION_STATE_2D, 2000),
  };

  g_assert_cmpint (tt_fix_policy_select (fixes, G_N_ELEMENTS (fixes), 0), ==, 0);
  g_assert_cmpint (tt_fix_policy_select (fixes, G_N_ELEMENTS (fixes), 1500), ==, 4);
  g_assert_cmpint (tt_fix_policy_select (fixes, G_N_ELEMENTS (fixes), 5500), ==, 5);
  g_assert_cmpint (tt_fix_policy_select (fixes, G_N_ELEMENTS (fixes), 7000), ==, -1);
  /* A known accuracy, however poor, beats an unknown one. */
  g_assert_cmpint (tt_fix_policy_select (fixes + 1, 2, 0), ==, 1);
  /* Among unknown ones, 3D beats a newer 2D. */
  g_assert_cmpint (tt_fix_policy_select (unknown, 2, 0), ==, 0);
  g_assert_cmpint (tt_fix_policy_select (NULL, 0, 0), ==, -1);
}

static void
test_unknown_accuracy_is_null (void)
{
  TtFixResult result = {
    .has_fix = TRUE,
    .fix = make_fix (NAN, TT_LOCATION_STATE_2D, g_get_monotonic_time ()),
    .age_s = 1.5,
    .reason = (char *) TT_FIX_REASON_UNKNOWN_ACCURACY,
    .distance_m = NAN,
    .distance_limit_m = NAN,
  };
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o = result_json (&result, &node);
  g_autofree char *text = json_to_string (node, FALSE);

  g_test_message ("%s", text);
  assert_member_null (o, "accuracy_m");
  assert_member_null (o, "alt_m");
  assert_member_null (o, "alt_hae_m");
  assert_member_null (o, "satellites_used");
  assert_member_null (o, "fix_time");
  g_assert_cmpfloat (json_object_get_double_member (o, "lat"), ==, 21.0);
  g_assert_cmpfloat (json_object_get_double_member (o, "lon"), ==, 105.8);
  g_assert_cmpfloat (json_object_get_double_member (o, "age_s"), ==, 1.5);
  g_assert_cmpstr (json_object_get_string_member (o, "mode"), ==, "2d");
  g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, "unknown-accuracy");
  /* No distance check made: no distance keys at all. */
  g_assert_false (json_object_has_member (o, "distance_m"));
  /* Nothing numeric in the text stands for "unknown". */
  g_assert_null (strstr (text, "NaN"));
  g_assert_null (strstr (text, "nan"));
  g_assert_null (strstr (text, "\"accuracy_m\":0"));
}

static void
test_distance_check (void)
{
  TtFixResult with_fix = {
    .has_fix = TRUE,
    .fix = make_fix (8, TT_LOCATION_STATE_3D, 0),
    .age_s = 0,
  };
  TtFixResult without = { .has_fix = FALSE, .age_s = NAN, .reason = (char *) "no-fix" };
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) node2 = NULL;
  JsonObject *o;

  /* 0.002° of latitude ≈ 222 m: under 300. */
  g_assert_false (tt_fix_result_check_distance (&with_fix, 21.002, 105.8, 300));
  g_assert_cmpfloat_with_epsilon (with_fix.distance_m, 222.39, 0.01);
  /* ≈ 445 m: over 300. */
  g_assert_true (tt_fix_result_check_distance (&with_fix, 21.004, 105.8, 300));
  o = result_json (&with_fix, &node);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "distance_m"), 444.78, 0.01);
  g_assert_cmpfloat (json_object_get_double_member (o, "distance_limit_m"), ==, 300);
  g_assert_true (json_object_get_boolean_member (o, "distance_warning"));

  /* Without a fix the distance is unknown, never 0. */
  g_assert_false (tt_fix_result_check_distance (&without, 21.004, 105.8, 300));
  o = result_json (&without, &node2);
  assert_member_null (o, "distance_m");
  assert_member_null (o, "lat");
  assert_member_null (o, "age_s");
  assert_member_null (o, "mode");
  g_assert_false (json_object_get_boolean_member (o, "distance_warning"));
  g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, "no-fix");
}

/* ---- integration tests against a real gpsd (gpsfake) ---- */

/* nl2008u.log: every fix gpsd gives matches, to 1e-6 degrees, the position
 * the log's own GGA/RMC sentence of that second states. */
static void
test_clean_moving_fix (void)
{
  guint16 port = tt_gpsfake_free_port ();
  g_autoptr(TtGpsfake) fake = tt_gpsfake_start ("nl2008u.log", port, 0.02);
  g_autoptr(Watch) watch = watch_new ("127.0.0.1", port);
  g_autoptr(GArray) nmea = tt_gpsfake_read_nmea ("nl2008u.log");
  guint with_accuracy = 0, with_satellites = 0, checked_alt = 0;

  g_assert_cmpuint (nmea->len, >=, 9);
  g_assert_true (tt_gpsfake_wait_until (has_moving_3d_fixes, watch, 30000));

  for (guint i = 0; i < watch->fixes->len; i++)
    {
      const TtFix *fix = &g_array_index (watch->fixes, TtFix, i);
      /* gpsd 3.22 dates this 2015 log in 2035 (week rollover, see the
       * fixture README); 1024 weeks are whole days, so the time of day holds. */
      int second = (int) ((fix->time_us / G_USEC_PER_SEC) % 86400);
      gboolean matched = FALSE;

      g_assert_cmpint (fix->time_us, >, 0);
      for (guint j = 0; j < nmea->len; j++)
        {
          const TtNmeaPosition *p = &g_array_index (nmea, TtNmeaPosition, j);

          if (p->second_of_day != second)
            continue;
          g_assert_cmpfloat_with_epsilon (fix->latitude, p->lat, 1e-6);
          g_assert_cmpfloat_with_epsilon (fix->longitude, p->lon, 1e-6);
          if (fix->mode == TT_LOCATION_STATE_3D && isfinite (p->alt_msl))
            {
              g_assert_cmpfloat_with_epsilon (fix->alt_msl_m, p->alt_msl, 0.01);
              checked_alt++;
            }
          matched = TRUE;
        }
      g_assert_true (matched);
      if (fix->mode == TT_LOCATION_STATE_3D)
        {
          g_assert_true (isfinite (fix->alt_hae_m));
          if (isfinite (fix->accuracy_m))
            {
              /* HDOP 0.6–0.7 in this log: gpsd's estimate is metres, not tens. */
              g_assert_cmpfloat (fix->accuracy_m, >, 0);
              g_assert_cmpfloat (fix->accuracy_m, <, 30);
              with_accuracy++;
            }
        }
      if (fix->satellites_used >= 0)
        {
          g_assert_cmpint (fix->satellites_used, >=, 4);
          with_satellites++;
        }
    }
  g_assert_cmpuint (with_accuracy, >, 0);
  g_assert_cmpuint (with_satellites, >, 0);
  g_assert_cmpuint (checked_alt, >, 0);

  /* The properties follow the latest fix. */
  g_assert_cmpfloat (tt_location_get_latitude (watch->location), ==,
                     g_array_index (watch->fixes, TtFix, watch->fixes->len - 1).latitude);
  g_assert_cmpfloat (tt_location_get_fix_age (watch->location), <, 5);
  g_assert_cmpint (tt_location_get_satellites_visible (watch->location), >=,
                   tt_location_get_satellites_used (watch->location));
  {
    g_autoptr(GDateTime) time = tt_location_get_fix_time (watch->location);

    g_assert_nonnull (time);
  }
}

/* A good fix in the window: the policy returns it at once, without a reason. */
static void
test_policy_good_fix (void)
{
  guint16 port = tt_gpsfake_free_port ();
  g_autoptr(TtGpsfake) fake = tt_gpsfake_start ("nl2008u.log", port, 0.02);
  g_autoptr(TtLocation) location = tt_location_new ("127.0.0.1", port);
  g_autoptr(TtFixPolicy) policy = tt_fix_policy_new (location, 30, 20, 50);
  g_autoptr(TtFixResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;
  gint64 start = g_get_monotonic_time ();

  result = acquire (policy, NULL, &error);
  g_assert_no_error (error);
  /* Well before the 20 s wait is over. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 15 * G_USEC_PER_SEC);
  g_assert_true (result->has_fix);
  g_assert_null (result->reason);
  g_assert_cmpfloat (result->fix.accuracy_m, <=, 50);
  g_assert_false (tt_fix_policy_get_waiting (policy));

  o = result_json (result, &node);
  g_assert_cmpfloat (json_object_get_double_member (o, "accuracy_m"), ==, result->fix.accuracy_m);
  g_assert_cmpfloat (json_object_get_double_member (o, "lat"), ==, result->fix.latitude);
  assert_member_null (o, "reason");
  g_assert_cmpstr (json_object_get_string_member (o, "fix_time"), !=, NULL);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (o, "fix_time"), "Z"));

  /* Once the location has that fix, the next acquire needs no wait. */
  {
    g_autoptr(TtFixResult) again = NULL;

    start = g_get_monotonic_time ();
    again = acquire (policy, NULL, &error);
    g_assert_no_error (error);
    g_assert_null (again->reason);
    g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC / 2);
  }
}

static void
on_progress (TtFixPolicy *policy,
             GParamSpec  *pspec,
             GArray      *seen)
{
  double progress = tt_fix_policy_get_progress (policy);

  g_array_append_val (seen, progress);
}

/* venus634lp.log: a 3D fix with gpsd's eph about 329 m.  The policy waits
 * the whole time, showing progress, then records that fix as poor. */
static void
test_policy_poor_accuracy (void)
{
  guint16 port = tt_gpsfake_free_port ();
  g_autoptr(TtGpsfake) fake = tt_gpsfake_start ("venus634lp.log", port, 0.02);
  g_autoptr(TtLocation) location = tt_location_new ("127.0.0.1", port);
  g_autoptr(TtFixPolicy) policy = tt_fix_policy_new (location, 30, 3, 50);
  g_autoptr(TtFixResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) progress = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;

  g_signal_connect (policy, "notify::progress", G_CALLBACK (on_progress), progress);
  g_assert_true (tt_gpsfake_wait_until (is_connected, location, 10000));
  result = acquire (policy, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (progress->len, >=, 5);
  for (guint i = 1; i < progress->len; i++)
    g_assert_cmpfloat (g_array_index (progress, double, i), >=, g_array_index (progress, double, i - 1));
  g_assert_cmpfloat (g_array_index (progress, double, progress->len - 1), ==, 1.0);

  g_assert_true (result->has_fix);
  g_assert_cmpstr (result->reason, ==, TT_FIX_REASON_POOR_ACCURACY);
  g_assert_cmpfloat_with_epsilon (result->fix.accuracy_m, 328.7, 0.05);
  g_assert_cmpfloat (tt_fix_policy_get_best_accuracy_m (policy), ==, result->fix.accuracy_m);

  o = result_json (result, &node);
  g_assert_cmpfloat_with_epsilon (json_object_get_double_member (o, "accuracy_m"), 328.7, 0.05);
  g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, "poor-accuracy");
  g_assert_cmpstr (json_object_get_string_member (o, "mode"), ==, "3d");
  g_assert_cmpfloat (json_object_get_double_member (o, "age_s"), >=, 0);
  g_assert_cmpfloat (json_object_get_double_member (o, "age_s"), <, 30);
}

/* ublox-lea-5q.log: gpsd runs, the receiver never gets a fix. */
static void
test_no_fix (void)
{
  guint16 port = tt_gpsfake_free_port ();
  g_autoptr(TtGpsfake) fake = tt_gpsfake_start ("ublox-lea-5q.log", port, 0.02);
  g_autoptr(Watch) watch = watch_new ("127.0.0.1", port);
  g_autoptr(TtFixPolicy) policy = tt_fix_policy_new (watch->location, 30, 2, 50);
  g_autoptr(TtFixResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;

  g_assert_true (tt_gpsfake_wait_until (is_connected, watch->location, 10000));
  result = acquire (policy, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpint (tt_location_get_state (watch->location), ==, TT_LOCATION_STATE_NO_FIX);
  g_assert_false (watch->ever_had_fix_state);
  g_assert_cmpuint (watch->fixes->len, ==, 0);
  g_assert_null (tt_location_get_last_fix (watch->location));
  g_assert_true (isnan (tt_location_get_latitude (watch->location)));
  g_assert_true (isnan (tt_location_get_accuracy_m (watch->location)));

  g_assert_false (result->has_fix);
  g_assert_cmpstr (result->reason, ==, TT_FIX_REASON_NO_FIX);
  o = result_json (result, &node);
  g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, "no-fix");
  assert_member_null (o, "lat");
  assert_member_null (o, "lon");
  assert_member_null (o, "accuracy_m");
  assert_member_null (o, "satellites_used");
  assert_member_null (o, "mode");
}

/* Nothing listens: the policy gives up after its wait with "no-gpsd". */
static void
test_no_gpsd (void)
{
  guint16 port = tt_gpsfake_free_port ();
  g_autoptr(TtLocation) location = tt_location_new ("127.0.0.1", port);
  g_autoptr(TtFixPolicy) policy = tt_fix_policy_new (location, 30, 1, 50);
  g_autoptr(TtFixResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  JsonObject *o;

  result = acquire (policy, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (tt_location_get_state (location), ==, TT_LOCATION_STATE_NO_GPSD);
  g_assert_false (result->has_fix);
  g_assert_cmpstr (result->reason, ==, TT_FIX_REASON_NO_GPSD);
  o = result_json (result, &node);
  g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, "no-gpsd");
  assert_member_null (o, "lat");
  assert_member_null (o, "age_s");

  /* wait-s 0: an answer at once, for "record now". */
  g_object_set (policy, "wait-s", 0, NULL);
  {
    g_autoptr(TtFixResult) now = acquire (policy, NULL, &error);

    g_assert_no_error (error);
    g_assert_cmpstr (now->reason, ==, TT_FIX_REASON_NO_GPSD);
  }
}

static gboolean
cancel_later (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
test_policy_cancel (void)
{
  guint16 port = tt_gpsfake_free_port ();
  g_autoptr(TtLocation) location = tt_location_new ("127.0.0.1", port);
  g_autoptr(TtFixPolicy) policy = tt_fix_policy_new (location, 30, 60, 50);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(TtFixResult) result = NULL;
  g_autoptr(TtFixResult) picked = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();

  g_timeout_add (300, cancel_later, cancellable);
  result = acquire (policy, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_null (result);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_false (tt_fix_policy_get_waiting (policy));

  /* "Record now" after cancelling: whatever there is, with its reason. */
  picked = tt_fix_policy_pick (policy);
  g_assert_false (picked->has_fix);
  g_assert_cmpstr (picked->reason, ==, TT_FIX_REASON_NO_GPSD);
}

/* gpsd is not running when the location starts; started later, it is found
 * without anyone asking. */
static void
test_gpsd_starts_later (void)
{
  guint16 port = tt_gpsfake_free_port ();
  g_autoptr(Watch) watch = watch_new ("127.0.0.1", port);
  g_autoptr(TtGpsfake) fake = NULL;

  tt_gpsfake_run_for (1500);
  g_assert_cmpint (tt_location_get_state (watch->location), ==, TT_LOCATION_STATE_NO_GPSD);
  g_assert_cmpuint (watch->fixes->len, ==, 0);

  fake = tt_gpsfake_start ("nl2008u.log", port, 0.02);
  g_assert_true (tt_gpsfake_wait_until (has_fix_state, watch->location, 20000));
  g_assert_cmpuint (watch->fixes->len, >, 0);
}

/* gpsd dies mid-stream: the state says so, the last fix is kept, and the
 * location reconnects by itself when gpsd is back. */
static void
test_gpsd_killed (void)
{
  guint16 port = tt_gpsfake_free_port ();
  g_autoptr(TtGpsfake) fake = tt_gpsfake_start ("nl2008u.log", port, 0.02);
  g_autoptr(Watch) watch = watch_new ("127.0.0.1", port);
  guint fixes_before;
  double lat_before;

  g_assert_true (tt_gpsfake_wait_until (has_fix_state, watch->location, 20000));
  lat_before = tt_location_get_latitude (watch->location);

  g_clear_pointer (&fake, tt_gpsfake_stop);
  g_assert_true (tt_gpsfake_wait_until (is_no_gpsd, watch->location, 5000));
  fixes_before = watch->fixes->len;
  /* The last fix stays readable, getting older. */
  g_assert_cmpfloat (tt_location_get_latitude (watch->location), ==, lat_before);
  g_assert_nonnull (tt_location_get_last_fix (watch->location));

  /* Stay down for a while: retries fail quietly. */
  tt_gpsfake_run_for (1000);
  g_assert_cmpint (tt_location_get_state (watch->location), ==, TT_LOCATION_STATE_NO_GPSD);
  g_assert_cmpuint (watch->fixes->len, ==, fixes_before);

  fake = tt_gpsfake_start ("nl2008u.log", port, 0.02);
  g_assert_true (tt_gpsfake_wait_until (has_fix_state, watch->location, 20000));
  g_assert_cmpuint (watch->fixes->len, >, fixes_before);
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* A new gps-host/gps-port takes effect at once, without a restart. */
static void
test_endpoint_change (void)
{
  guint16 nothing_there = tt_gpsfake_free_port ();
  guint16 port = tt_gpsfake_free_port ();
  g_autoptr(TtGpsfake) fake = tt_gpsfake_start ("nl2008u.log", port, 0.02);
  g_autoptr(Watch) watch = watch_new ("127.0.0.1", nothing_there);
  guint port_notified = 0;

  g_signal_connect (watch->location, "notify::port", G_CALLBACK (count_notify), &port_notified);
  tt_gpsfake_run_for (500);
  g_assert_cmpint (tt_location_get_state (watch->location), ==, TT_LOCATION_STATE_NO_GPSD);

  g_object_set (watch->location, "port", (guint) port, NULL);
  g_assert_cmpuint (tt_location_get_port (watch->location), ==, port);
  g_assert_cmpuint (port_notified, ==, 1);
  g_assert_true (tt_gpsfake_wait_until (has_fix_state, watch->location, 20000));

  /* Same address again: nothing is dropped. */
  tt_location_set_endpoint (watch->location, "127.0.0.1", port);
  g_assert_true (has_fix_state (watch->location));
  g_assert_cmpuint (port_notified, ==, 1);
}

/* A proof of delivery recorded while gpsd is absent: the stored event says
 * exactly that, with nulls and the reason, and nothing made up. */
static void
test_event_without_fix (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "tantay.db", NULL);
  guint16 port = tt_gpsfake_free_port ();
  g_autoptr(TtLocation) location = tt_location_new ("127.0.0.1", port);
  g_autoptr(TtFixPolicy) policy = tt_fix_policy_new (location, 30, 0, 50);
  g_autoptr(TtFixResult) result = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtEvent) event = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) payload = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *payload_text = NULL;
  JsonObject *fix;
  const char *unknown[] = { "lat", "lon", "alt_m", "alt_hae_m", "accuracy_m", "satellites_used",
                            "fix_time", "age_s", "mode", "distance_m" };

  store = tt_store_open (path, &error);
  g_assert_no_error (error);
  result = acquire (policy, NULL, &error);
  g_assert_no_error (error);
  /* The item has a known location, but without a fix there is no distance. */
  g_assert_false (tt_fix_result_check_distance (result, 21.0285, 105.8542, 300));

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "fix");
  json_builder_add_value (builder, tt_fix_result_to_json (result));
  json_builder_end_object (builder);
  payload = json_builder_get_root (builder);
  payload_text = json_to_string (payload, FALSE);
  event = tt_store_append_event (store, "delivered", "RR123456785VN", payload_text, &error);
  g_assert_no_error (error);

  events = tt_store_list_events (store, -1, 10, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 1);
  json_parser_load_from_data (parser, ((TtEvent *) events->pdata[0])->payload, -1, &error);
  g_assert_no_error (error);
  fix = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)), "fix");
  g_assert_cmpstr (json_object_get_string_member (fix, "reason"), ==, "no-gpsd");
  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    assert_member_null (fix, unknown[i]);
  g_assert_cmpfloat (json_object_get_double_member (fix, "distance_limit_m"), ==, 300);
  g_assert_false (json_object_get_boolean_member (fix, "distance_warning"));
}

/* ---- bad input: something that is not gpsd on the port ---- */

typedef struct
{
  guint      connections;
  gboolean   quiet;  /* one good report per connection, then silence */
  GPtrArray *open;   /* connections kept open */
} Peer;

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             Peer              *peer)
{
  GOutputStream *out = g_io_stream_get_output_stream (G_IO_STREAM (connection));
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) text = g_string_new (NULL);

  peer->connections++;
  if (peer->connections == 1 && !peer->quiet)
    {
      /* Not JSON, broken JSON, impossible and incomplete positions, wrong
       * types, then a line too long for any buffer. */
      g_string_append (text, "HTTP/1.1 200 OK\r\n\r\n<html>captive portal</html>\n");
      g_string_append (text, "{\"class\":\"TPV\",\"mode\":3,\"lat\":\n");
      g_string_append (text, "{\"class\":\"TPV\",\"mode\":3,\"lat\":999,\"lon\":8.4,\"eph\":3}\n");
      g_string_append (text, "{\"class\":\"TPV\",\"mode\":3,\"lon\":8.4}\n");
      g_string_append (text, "{\"class\":\"TPV\",\"mode\":3,\"lat\":\"x\",\"lon\":[1]}\n");
      g_string_append (text, "{\"class\":\"SKY\",\"satellites\":7}\n");
      for (guint i = 0; i < 40000; i++)
        g_string_append_c (text, 'x');
    }
  else
    {
      g_string_append (text, "{\"class\":\"TPV\",\"mode\":3,\"lat\":21.0285,\"lon\":105.8542,"
                             "\"altMSL\":12.5,\"eph\":4.5,\"time\":\"2026-11-25T08:00:00.000Z\"}\n");
    }
  g_output_stream_write_all (out, text->str, text->len, NULL, NULL, &error);
  /* The client may already have hung up on the long line. */
  if (error != NULL)
    g_test_message ("peer write: %s", error->message);
  g_ptr_array_add (peer->open, g_object_ref (connection));
  return TRUE;
}

static gboolean
has_one_fix (gpointer data)
{
  return ((Watch *) data)->fixes->len > 0;
}

static void
test_not_gpsd (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(Watch) watch = NULL;
  Peer peer = { 0, FALSE, g_ptr_array_new_with_free_func (g_object_unref) };
  const TtFix *fix;

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), any, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (on_incoming), &peer);

  watch = watch_new ("127.0.0.1", g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)));
  /* The garbage gives no fix; the overlong line makes the location drop
   * the connection and come back, and then it takes the good report. */
  g_assert_true (tt_gpsfake_wait_until (has_one_fix, watch, 10000));
  g_assert_cmpuint (peer.connections, >=, 2);
  g_assert_cmpuint (watch->fixes->len, ==, 1);

  fix = tt_location_get_last_fix (watch->location);
  g_assert_cmpfloat (fix->latitude, ==, 21.0285);
  g_assert_cmpfloat (fix->longitude, ==, 105.8542);
  g_assert_cmpfloat (fix->accuracy_m, ==, 4.5);
  g_assert_cmpfloat (fix->alt_msl_m, ==, 12.5);
  g_assert_cmpint (fix->satellites_used, ==, -1);
  g_assert_cmpint (tt_location_get_state (watch->location), ==, TT_LOCATION_STATE_3D);

  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  g_ptr_array_unref (peer.open);
}

static void
on_state_seen (TtLocation *location,
               GParamSpec *pspec,
               GArray     *states)
{
  TtLocationState state = tt_location_get_state (location);

  g_array_append_val (states, state);
}

static gboolean
reconnected_twice (gpointer data)
{
  return ((Peer *) data)->connections >= 3;
}

/* A gpsd that stops talking (it can happen to an early watcher) is
 * connected to again, without the state claiming gpsd is gone. */
static void
test_silent_gpsd (void)
{
  g_autoptr(GSocketService) service = g_socket_service_new ();
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtLocation) location = NULL;
  g_autoptr(GArray) states = g_array_new (FALSE, FALSE, sizeof (TtLocationState));
  Peer peer = { 0, TRUE, g_ptr_array_new_with_free_func (g_object_unref) };

  g_socket_listener_add_address (G_SOCKET_LISTENER (service), any, G_SOCKET_TYPE_STREAM,
                                 G_SOCKET_PROTOCOL_TCP, NULL, &bound, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "incoming", G_CALLBACK (on_incoming), &peer);

  location = g_object_new (TT_TYPE_LOCATION,
                           "host", "127.0.0.1",
                           "port", (guint) g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound)),
                           "silence-timeout-s", 1,
                           NULL);
  g_signal_connect (location, "notify::state", G_CALLBACK (on_state_seen), states);
  g_assert_true (tt_gpsfake_wait_until (reconnected_twice, &peer, 8000));

  /* no-gpsd → no-fix → 3d, then never back to no-gpsd. */
  g_assert_cmpuint (states->len, >=, 2);
  g_assert_cmpint (g_array_index (states, TtLocationState, 0), ==, TT_LOCATION_STATE_NO_FIX);
  for (guint i = 1; i < states->len; i++)
    g_assert_cmpint (g_array_index (states, TtLocationState, i), !=, TT_LOCATION_STATE_NO_GPSD);
  g_assert_nonnull (tt_location_get_last_fix (location));

  g_signal_handlers_disconnect_by_data (location, states);
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
  g_ptr_array_unref (peer.open);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/location/haversine", test_haversine);
  g_test_add_func ("/location/policy/select", test_policy_select);
  g_test_add_func ("/location/policy/unknown-accuracy-is-null", test_unknown_accuracy_is_null);
  g_test_add_func ("/location/policy/distance-check", test_distance_check);
  g_test_add_func ("/location/gpsd/clean-moving-fix", test_clean_moving_fix);
  g_test_add_func ("/location/gpsd/policy-good-fix", test_policy_good_fix);
  g_test_add_func ("/location/gpsd/policy-poor-accuracy", test_policy_poor_accuracy);
  g_test_add_func ("/location/gpsd/no-fix", test_no_fix);
  g_test_add_func ("/location/gpsd/no-gpsd", test_no_gpsd);
  g_test_add_func ("/location/gpsd/policy-cancel", test_policy_cancel);
  g_test_add_func ("/location/gpsd/starts-later", test_gpsd_starts_later);
  g_test_add_func ("/location/gpsd/killed-and-back", test_gpsd_killed);
  g_test_add_func ("/location/gpsd/endpoint-change", test_endpoint_change);
  g_test_add_func ("/location/bad-input/not-gpsd", test_not_gpsd);
  g_test_add_func ("/location/gpsd/silent", test_silent_gpsd);
  g_test_add_func ("/location/policy/event-without-fix", test_event_without_fix);

  return g_test_run ();
}
