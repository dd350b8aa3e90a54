/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tt-settings.h"
#include "tt-test-util.h"

/* Every test starts from the schema's defaults (the memory backend is
 * shared by the whole process). */
static TtSettings *
fresh_settings (void)
{
  g_autoptr(GError) error = NULL;
  TtSettings *settings = tt_settings_new (&error);
  GSettings *gs;
  g_auto(GStrv) keys = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (settings);

  gs = tt_settings_get_gsettings (settings);
  g_object_get (gs, "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i]; i++)
    g_settings_reset (gs, keys[i]);
  return settings;
}

static void
test_defaults (void)
{
  g_autoptr(TtSettings) s = fresh_settings ();

  g_assert_cmpstr (tt_settings_get_server_url (s), ==, "");
  g_assert_cmpstr (tt_settings_get_ca_file (s), ==, "");
  g_assert_cmpuint (tt_settings_get_scanner_max_gap_ms (s), ==, 40);
  g_assert_cmpuint (tt_settings_get_scanner_min_length (s), ==, 6);
  g_assert_cmpstr (tt_settings_get_scanner_prefix (s), ==, "");
  g_assert_cmpstr (tt_settings_get_scanner_suffix (s), ==, "");
  g_assert_cmpstr (tt_settings_get_camera_pipeline (s), ==, "");
  g_assert_true (tt_settings_get_feedback_sound (s));
  g_assert_cmpstr (tt_settings_get_gps_host (s), ==, "localhost");
  g_assert_cmpuint (tt_settings_get_gps_port (s), ==, 2947);
  g_assert_cmpuint (tt_settings_get_fix_window_s (s), ==, 30);
  g_assert_cmpuint (tt_settings_get_fix_wait_s (s), ==, 20);
  g_assert_cmpfloat (tt_settings_get_fix_accuracy_m (s), ==, 50.0);
  g_assert_cmpuint (tt_settings_get_distance_warning_m (s), ==, 300);
  g_assert_cmpstr (tt_settings_get_route_sort (s), ==, "route");
  g_assert_cmpuint (tt_settings_get_retention_days (s), ==, 30);
}

/* The schema is the truth: every key has a property of the same name,
 * type, default and range, and there is no property without a key. */
static void
test_properties_match_schema (void)
{
  g_autoptr(TtSettings) s = fresh_settings ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  g_autofree GParamSpec **pspecs = NULL;
  guint n_pspecs;

  g_object_get (tt_settings_get_gsettings (s), "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  pspecs = g_object_class_list_properties (G_OBJECT_GET_CLASS (s), &n_pspecs);
  g_assert_cmpuint (n_pspecs, ==, g_strv_length (keys));

  for (guint i = 0; keys[i]; i++)
    {
      g_autoptr(GSettingsSchemaKey) key = g_settings_schema_get_key (schema, keys[i]);
      g_autoptr(GVariant) def = g_settings_schema_key_get_default_value (key);
      g_autoptr(GVariant) range = g_settings_schema_key_get_range (key);
      g_autoptr(GVariant) detail = NULL;
      GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (s), keys[i]);
      const char *kind;

      g_test_message ("key %s", keys[i]);
      g_assert_nonnull (pspec);
      g_assert_true (pspec->flags & G_PARAM_READWRITE);
      g_variant_get (range, "(&sv)", &kind, &detail);

      switch (g_variant_get_type_string (def)[0])
        {
        case 's':
          g_assert_true (G_IS_PARAM_SPEC_STRING (pspec));
          g_assert_cmpstr (G_PARAM_SPEC_STRING (pspec)->default_value, ==,
                           g_variant_get_string (def, NULL));
          break;
        case 'b':
          g_assert_true (G_IS_PARAM_SPEC_BOOLEAN (pspec));
          g_assert_cmpint (G_PARAM_SPEC_BOOLEAN (pspec)->default_value, ==,
                           g_variant_get_boolean (def));
          break;
        case 'u':
          g_assert_true (G_IS_PARAM_SPEC_UINT (pspec));
          g_assert_cmpuint (G_PARAM_SPEC_UINT (pspec)->default_value, ==, g_variant_get_uint32 (def));
          g_assert_cmpstr (kind, ==, "range");
          {
            guint32 lo, hi;

            g_variant_get (detail, "(uu)", &lo, &hi);
            g_assert_cmpuint (G_PARAM_SPEC_UINT (pspec)->minimum, ==, lo);
            g_assert_cmpuint (G_PARAM_SPEC_UINT (pspec)->maximum, ==, hi);
          }
          break;
        case 'd':
          g_assert_true (G_IS_PARAM_SPEC_DOUBLE (pspec));
          g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->default_value, ==, g_variant_get_double (def));
          g_assert_cmpstr (kind, ==, "range");
          {
            double lo, hi;

            g_variant_get (detail, "(dd)", &lo, &hi);
            g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->minimum, ==, lo);
            g_assert_cmpfloat (G_PARAM_SPEC_DOUBLE (pspec)->maximum, ==, hi);
          }
          break;
        default:
          g_assert_not_reached ();
        }
    }
}

static void
count_notify (GObject    *object,
              GParamSpec *pspec,
              guint      *count)
{
  (*count)++;
}

/* A change made anywhere (dconf-editor, another settings object, a
 * binding) reaches the properties, and a binding writes back. */
static void
test_notify_and_bind (void)
{
  g_autoptr(TtSettings) a = fresh_settings ();
  g_autoptr(TtSettings) b = fresh_settings ();
  g_autoptr(TtSettings) c = fresh_settings ();
  guint notified = 0;
  guint port;
  GBinding *binding;

  g_signal_connect (a, "notify::gps-port", G_CALLBACK (count_notify), &notified);

  g_settings_set_uint (tt_settings_get_gsettings (b), "gps-port", 3000);
  g_assert_cmpuint (notified, ==, 1);
  g_assert_cmpuint (tt_settings_get_gps_port (a), ==, 3000);
  g_object_get (a, "gps-port", &port, NULL);
  g_assert_cmpuint (port, ==, 3000);

  /* Setting the same value again is not a change. */
  g_object_set (b, "gps-port", 3000, NULL);
  g_assert_cmpuint (notified, ==, 1);

  /* Setting up a binding echoes the value back; that must not turn the
   * default into a stored user value. */
  binding = g_object_bind_property (a, "fix-window-s", b, "fix-window-s",
                                    G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  {
    g_autoptr(GVariant) user = g_settings_get_user_value (tt_settings_get_gsettings (a), "fix-window-s");

    g_assert_null (user);
  }
  g_binding_unbind (binding);

  binding = g_object_bind_property (a, "distance-warning-m", c, "retention-days",
                                    G_BINDING_DEFAULT);
  g_object_set (a, "distance-warning-m", 45, NULL);
  g_assert_cmpuint (tt_settings_get_retention_days (c), ==, 45);
  g_assert_cmpuint (tt_settings_get_retention_days (b), ==, 45);
  g_binding_unbind (binding);

  g_object_set (a, "feedback-sound", FALSE, "fix-accuracy-m", 12.5, "route-sort", "distance", NULL);
  g_assert_false (tt_settings_get_feedback_sound (b));
  g_assert_cmpfloat (tt_settings_get_fix_accuracy_m (b), ==, 12.5);
  g_assert_cmpstr (tt_settings_get_route_sort (b), ==, "distance");
}

static void
assert_refused (TtSettings     *s,
                const char     *key,
                GVariant       *value,
                TtSettingsError code,
                const char     *in_message)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) before = NULL;
  g_autoptr(GVariant) after = NULL;
  gboolean known = code != TT_SETTINGS_ERROR_UNKNOWN_KEY;

  if (known)
    before = g_settings_get_value (tt_settings_get_gsettings (s), key);

  g_variant_ref_sink (value);
  g_assert_false (tt_settings_set_checked (s, key, value, &error));
  g_assert_error (error, TT_SETTINGS_ERROR, (int) code);
  g_test_message ("%s: %s", key, error->message);
  if (in_message != NULL)
    g_assert_nonnull (strstr (error->message, in_message));
  if (known)
    {
      after = g_settings_get_value (tt_settings_get_gsettings (s), key);
      g_assert_true (g_variant_equal (before, after));
    }
  g_variant_unref (value);
}

static void
test_bad_values_keep_old (void)
{
  g_autoptr(TtSettings) s = fresh_settings ();
  g_autoptr(GError) error = NULL;

  g_assert_true (tt_settings_set_checked (s, "gps-port", g_variant_new_uint32 (2948), &error));
  g_assert_no_error (error);

  assert_refused (s, "gps-port", g_variant_new_uint32 (0), TT_SETTINGS_ERROR_OUT_OF_RANGE, "65535");
  assert_refused (s, "gps-port", g_variant_new_uint32 (70000), TT_SETTINGS_ERROR_OUT_OF_RANGE, "1");
  assert_refused (s, "gps-port", g_variant_new_string ("2947"), TT_SETTINGS_ERROR_WRONG_TYPE, NULL);
  assert_refused (s, "retention-days", g_variant_new_uint32 (0), TT_SETTINGS_ERROR_OUT_OF_RANGE, "365");
  assert_refused (s, "fix-accuracy-m", g_variant_new_double (0.5), TT_SETTINGS_ERROR_OUT_OF_RANGE, NULL);
  assert_refused (s, "route-sort", g_variant_new_string ("alphabet"),
                  TT_SETTINGS_ERROR_OUT_OF_RANGE, "one of: route, distance");
  assert_refused (s, "no-such-key", g_variant_new_uint32 (1), TT_SETTINGS_ERROR_UNKNOWN_KEY, "no-such-key");
  assert_refused (s, "server-url", g_variant_new_string ("https://evil.example"),
                  TT_SETTINGS_ERROR_READ_ONLY, NULL);
  assert_refused (s, "scanner-prefix", g_variant_new_string ("F 13"), TT_SETTINGS_ERROR_INVALID, "F 13");
  assert_refused (s, "camera-pipeline", g_variant_new_string ("nosuchcamerasrc"),
                  TT_SETTINGS_ERROR_INVALID, "nosuchcamerasrc");
  assert_refused (s, "camera-pipeline", g_variant_new_string ("videotestsrc !"),
                  TT_SETTINGS_ERROR_INVALID, NULL);
  /* Links at parse time: sound is no camera. */
  assert_refused (s, "camera-pipeline", g_variant_new_string ("audiotestsrc"),
                  TT_SETTINGS_ERROR_INVALID, NULL);
  assert_refused (s, "gps-host", g_variant_new_string (""), TT_SETTINGS_ERROR_INVALID, NULL);
  assert_refused (s, "gps-host", g_variant_new_string ("gps host"), TT_SETTINGS_ERROR_INVALID, "gps host");
  assert_refused (s, "gps-host", g_variant_new_string ("-gps.local"), TT_SETTINGS_ERROR_INVALID, NULL);
  assert_refused (s, "gps-host", g_variant_new_string ("a..b"), TT_SETTINGS_ERROR_INVALID, NULL);
  assert_refused (s, "gps-host", g_variant_new_string ("http://localhost"), TT_SETTINGS_ERROR_INVALID, NULL);

  g_assert_cmpuint (tt_settings_get_gps_port (s), ==, 2948);
  g_assert_cmpstr (tt_settings_get_gps_host (s), ==, "localhost");
  g_assert_cmpstr (tt_settings_get_camera_pipeline (s), ==, "");
}

static void
test_good_values (void)
{
  static const char *const hosts[] = {
    "localhost", "127.0.0.1", "::1", "gps.local", "gpsd.buudien-hanoi.vn", "bưuđiện.vn", "gps.local.",
  };
  g_autoptr(TtSettings) s = fresh_settings ();

  for (guint i = 0; i < G_N_ELEMENTS (hosts); i++)
    {
      g_autoptr(GError) error = NULL;

      g_assert_true (tt_settings_set_checked (s, "gps-host", g_variant_new_string (hosts[i]), &error));
      g_assert_no_error (error);
      g_assert_cmpstr (tt_settings_get_gps_host (s), ==, hosts[i]);
    }

  {
    g_autoptr(GError) error = NULL;

    /* Stray spaces from a paste are dropped. */
    g_assert_true (tt_settings_set_checked (s, "camera-pipeline",
                                            g_variant_new_string ("  videotestsrc pattern=ball "), &error));
    g_assert_no_error (error);
    g_assert_cmpstr (tt_settings_get_camera_pipeline (s), ==, "videotestsrc pattern=ball");
    g_assert_true (tt_settings_set_checked (s, "scanner-prefix", g_variant_new_string ("F13"), &error));
    g_assert_no_error (error);
    g_assert_cmpstr (tt_settings_get_scanner_prefix (s), ==, "F13");
    g_assert_true (tt_settings_set_checked (s, "scanner-prefix", g_variant_new_string (""), &error));
    g_assert_no_error (error);
  }
}

static void
test_from_string (void)
{
  g_autoptr(TtSettings) s = fresh_settings ();
  g_autoptr(GError) error = NULL;

  g_assert_true (tt_settings_set_from_string (s, "gps-port", " 2950 ", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tt_settings_get_gps_port (s), ==, 2950);

  g_assert_true (tt_settings_set_from_string (s, "fix-accuracy-m", "12,5", &error));
  g_assert_no_error (error);
  g_assert_cmpfloat (tt_settings_get_fix_accuracy_m (s), ==, 12.5);

  g_assert_true (tt_settings_set_from_string (s, "feedback-sound", "false", &error));
  g_assert_no_error (error);
  g_assert_false (tt_settings_get_feedback_sound (s));

  g_assert_false (tt_settings_set_from_string (s, "gps-port", "29a7", &error));
  g_assert_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_WRONG_TYPE);
  g_assert_nonnull (strstr (error->message, "29a7"));
  g_clear_error (&error);

  g_assert_false (tt_settings_set_from_string (s, "gps-port", "-1", &error));
  g_assert_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_WRONG_TYPE);
  g_clear_error (&error);

  g_assert_false (tt_settings_set_from_string (s, "gps-port", "99999", &error));
  g_assert_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_OUT_OF_RANGE);
  g_clear_error (&error);

  g_assert_false (tt_settings_set_from_string (s, "fix-accuracy-m", "nan", &error));
  g_assert_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_WRONG_TYPE);
  g_clear_error (&error);

  g_assert_false (tt_settings_set_from_string (s, "feedback-sound", "maybe", &error));
  g_assert_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_WRONG_TYPE);
  g_clear_error (&error);

  g_assert_false (tt_settings_set_from_string (s, "gps-host", "Hu\xff", &error));
  g_assert_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_INVALID);
  g_clear_error (&error);

  g_assert_false (tt_settings_set_from_string (s, "nope", "1", &error));
  g_assert_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_UNKNOWN_KEY);
  g_clear_error (&error);

  g_assert_cmpuint (tt_settings_get_gps_port (s), ==, 2950);
  g_assert_cmpfloat (tt_settings_get_fix_accuracy_m (s), ==, 12.5);
  g_assert_false (tt_settings_get_feedback_sound (s));
}

static void
test_server_url (void)
{
  static const char *const bad[] = {
    "http://tracking.buudien.vn", "ftp://tracking.buudien.vn", "tracking.buudien.vn", "https://", "https//x",
  };
  g_autoptr(TtSettings) s = fresh_settings ();
  g_autoptr(GError) error = NULL;

  g_assert_true (tt_settings_set_server_url (s, "https://tracking.buudien.vn/api/", &error));
  g_assert_no_error (error);
  g_assert_true (tt_settings_set_server_url (s, "http://127.0.0.1:8080", &error));
  g_assert_no_error (error);
  g_assert_true (tt_settings_set_server_url (s, "http://[::1]:8080", &error));
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (tt_settings_set_server_url (s, bad[i], &error));
      g_assert_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_cmpstr (tt_settings_get_server_url (s), ==, "http://[::1]:8080");
}

static void
test_ca_file (void)
{
  g_autoptr(TtSettings) s = fresh_settings ();
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *pem = g_build_filename (dir, "ca.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "ca.key", NULL);
  g_autofree char *junk = g_build_filename (dir, "junk.pem", NULL);
  g_autofree char *empty = g_build_filename (dir, "empty.pem", NULL);
  g_autofree char *missing = g_build_filename (dir, "missing.pem", NULL);
  const char *argv[] = {
    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-days", "2", "-subj", "/CN=Tan Tay test CA", "-keyout", key, "-out", pem, NULL,
  };
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, &error));
  g_assert_no_error (error);

  g_assert_true (g_file_set_contents (junk, "-----BEGIN CERTIFICATE-----\nnot base64 at all\n"
                                      "-----END CERTIFICATE-----\n", -1, &error));
  g_assert_true (g_file_set_contents (empty, "", 0, &error));

  g_assert_true (tt_settings_set_checked (s, "ca-file", g_variant_new_string (pem), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (tt_settings_get_ca_file (s), ==, pem);

  assert_refused (s, "ca-file", g_variant_new_string (missing), TT_SETTINGS_ERROR_CA_FILE, missing);
  assert_refused (s, "ca-file", g_variant_new_string ("ca.pem"), TT_SETTINGS_ERROR_CA_FILE, "ca.pem");
  assert_refused (s, "ca-file", g_variant_new_string (junk), TT_SETTINGS_ERROR_CA_FILE, junk);
  assert_refused (s, "ca-file", g_variant_new_string (empty), TT_SETTINGS_ERROR_CA_FILE, empty);
  /* A private key is not a certificate. */
  assert_refused (s, "ca-file", g_variant_new_string (key), TT_SETTINGS_ERROR_CA_FILE, key);
  assert_refused (s, "ca-file", g_variant_new_string (dir), TT_SETTINGS_ERROR_CA_FILE, dir);
  g_assert_cmpstr (tt_settings_get_ca_file (s), ==, pem);

  /* Empty means: the system's authorities only. */
  g_assert_true (tt_settings_set_checked (s, "ca-file", g_variant_new_string (""), &error));
  g_assert_no_error (error);
}

/* A broken installation (no compiled schema) is an error the app can
 * show, not an abort inside GLib. */
static void
test_missing_schema (void)
{
  if (g_test_subprocess ())
    {
      g_autofree char *dir = tt_test_make_tmpdir ();
      g_autoptr(GError) error = NULL;
      g_autoptr(TtSettings) s = NULL;

      g_setenv ("GSETTINGS_SCHEMA_DIR", dir, TRUE);
      g_setenv ("XDG_DATA_DIRS", dir, TRUE);
      s = tt_settings_new (&error);
      g_assert_null (s);
      g_assert_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_NO_SCHEMA);
      g_print ("%s\n", error->message);
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*io.github.tantay.TanTay*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/settings/defaults", test_defaults);
  g_test_add_func ("/settings/properties-match-schema", test_properties_match_schema);
  g_test_add_func ("/settings/notify-and-bind", test_notify_and_bind);
  g_test_add_func ("/settings/bad-values-keep-old", test_bad_values_keep_old);
  g_test_add_func ("/settings/good-values", test_good_values);
  g_test_add_func ("/settings/from-string", test_from_string);
  g_test_add_func ("/settings/server-url", test_server_url);
  g_test_add_func ("/settings/ca-file", test_ca_file);
  g_test_add_func ("/settings/missing-schema", test_missing_schema);

  return g_test_run ();
}
