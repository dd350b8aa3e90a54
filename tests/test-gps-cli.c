/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/wait.h>

#include "tt-gpsfake.h"

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliRun;

static void
cli_run_clear (CliRun *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliRun, cli_run_clear)

/* Runs the built tantayctl with @args (NULL-terminated) after "gps". */
static void
run_gps (CliRun     *run,
         const char *first_arg,
         ...)
{
  g_autofree char *tantayctl = g_build_filename (g_getenv ("TT_BUILD_ROOT"), "src", "cli",
                                                 "tantayctl", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  va_list ap;

  g_ptr_array_add (argv, tantayctl);
  g_ptr_array_add (argv, (char *) "gps");
  va_start (ap, first_arg);
  for (const char *arg = first_arg; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (argv, (char *) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &run->status, &error);
  g_assert_no_error (error);
  g_test_message ("stdout: %s", run->out);
  g_test_message ("stderr: %s", run->err);
}

/* The single JSON object printed, with every documented key present. */
static JsonObject *
parse_output (const CliRun *run,
              JsonParser   *parser)
{
  const char *keys[] = { "state", "lat", "lon", "alt_m", "accuracy_m", "satellites_used", "time" };
  g_autoptr(GError) error = NULL;
  JsonObject *o;

  /* Exactly one line. */
  g_assert_true (g_str_has_suffix (run->out, "\n"));
  g_assert_true (strchr (run->out, '\n') == run->out + strlen (run->out) - 1);
  json_parser_load_from_data (parser, run->out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  o = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < G_N_ELEMENTS (keys); i++)
    g_assert_true (json_object_has_member (o, keys[i]));
  return o;
}

static void
test_fix (void)
{
  guint16 port = tt_gpsfake_free_port ();
  g_autofree char *port_arg = g_strdup_printf ("%u", port);
  g_autoptr(TtGpsfake) fake = tt_gpsfake_start ("nl2008u.log", port, 0.02);
  g_autoptr(GArray) nmea = tt_gpsfake_read_nmea ("nl2008u.log");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GDateTime) time = NULL;
  g_auto(CliRun) run = { 0 };
  JsonObject *o;
  const char *state;
  double lat, lon;
  gboolean matched = FALSE;
  int second;

  run_gps (&run, "--host", "127.0.0.1", "--port", port_arg, "--wait", "20", NULL);
  g_assert_cmpint (run.status, ==, 0);
  o = parse_output (&run, parser);

  state = json_object_get_string_member (o, "state");
  g_assert_true (g_str_equal (state, "3d") || g_str_equal (state, "2d"));
  lat = json_object_get_double_member (o, "lat");
  lon = json_object_get_double_member (o, "lon");
  time = g_date_time_new_from_iso8601 (json_object_get_string_member (o, "time"), NULL);
  g_assert_nonnull (time);
  second = g_date_time_get_hour (time) * 3600 + g_date_time_get_minute (time) * 60
           + g_date_time_get_second (time);
  for (guint i = 0; i < nmea->len; i++)
    {
      const TtNmeaPosition *p = &g_array_index (nmea, TtNmeaPosition, i);

      if (p->second_of_day != second)
        continue;
      g_assert_cmpfloat_with_epsilon (lat, p->lat, 1e-6);
      g_assert_cmpfloat_with_epsilon (lon, p->lon, 1e-6);
      matched = TRUE;
    }
  g_assert_true (matched);
  if (g_str_equal (state, "3d"))
    {
      g_assert_cmpfloat (json_object_get_double_member (o, "accuracy_m"), >, 0);
      g_assert_cmpfloat (json_object_get_double_member (o, "alt_m"), >, 700);
    }
}

static void
test_no_gpsd (void)
{
  g_autofree char *port_arg = g_strdup_printf ("%u", tt_gpsfake_free_port ());
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(CliRun) run = { 0 };
  const char *unknown[] = { "lat", "lon", "alt_m", "accuracy_m", "satellites_used", "time" };
  JsonObject *o;

  run_gps (&run, "--host", "127.0.0.1", "--port", port_arg, "--wait", "1", NULL);
  g_assert_true (WIFEXITED (run.status));
  g_assert_cmpint (WEXITSTATUS (run.status), ==, 1);
  o = parse_output (&run, parser);
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "no-gpsd");
  for (guint i = 0; i < G_N_ELEMENTS (unknown); i++)
    g_assert_true (json_object_get_null_member (o, unknown[i]));
}

static void
test_no_fix (void)
{
  guint16 port = tt_gpsfake_free_port ();
  g_autofree char *port_arg = g_strdup_printf ("%u", port);
  g_autoptr(TtGpsfake) fake = tt_gpsfake_start ("ublox-lea-5q.log", port, 0.02);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_auto(CliRun) run = { 0 };
  JsonObject *o;

  run_gps (&run, "--host", "127.0.0.1", "--port", port_arg, "--wait", "3", NULL);
  g_assert_cmpint (WEXITSTATUS (run.status), ==, 1);
  o = parse_output (&run, parser);
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "no-fix");
  g_assert_true (json_object_get_null_member (o, "lat"));
  g_assert_true (json_object_get_null_member (o, "accuracy_m"));
}

static void
test_bad_arguments (void)
{
  struct {
    const char *a, *b;
    const char *says;
  } cases[] = {
    { "--port", "70000", "--port" },
    { "--port", "abc", "abc" },
    { "--wait", "-1", "--wait" },
    { "--bogus", NULL, "--bogus" },
    { "extra", NULL, "extra" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(CliRun) run = { 0 };

      run_gps (&run, cases[i].a, cases[i].b, NULL);
      g_assert_cmpint (WEXITSTATUS (run.status), ==, 2);
      g_assert_cmpstr (run.out, ==, "");
      g_assert_nonnull (strstr (run.err, cases[i].says));
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gps-cli/fix", test_fix);
  g_test_add_func ("/gps-cli/no-gpsd", test_no_gpsd);
  g_test_add_func ("/gps-cli/no-fix", test_no_fix);
  g_test_add_func ("/gps-cli/bad-arguments", test_bad_arguments);

  return g_test_run ();
}
