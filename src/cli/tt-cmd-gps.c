/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tantayctl"

#include "config.h"

#include <gio/gio.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <math.h>

#include "tt-cmds.h"
#include "tt-fix-policy.h"
#include "tt-json.h"
#include "tt-location.h"
#include "tt-settings.h"

#define DEFAULT_WAIT_S 10
/* gpsd sends one report per sentence, so the first fix of an epoch often
 * lacks what a later sentence of the same second brings (altitude,
 * accuracy, satellites).  Listen this much longer and take the best. */
#define EPOCH_MS 1200

typedef struct
{
  GMainLoop *loop;
  GArray    *fixes;
  guint      timeout_id;
  guint      epoch_id;
} GpsRun;

static gboolean
on_timeout (gpointer user_data)
{
  GpsRun *run = user_data;

  run->timeout_id = 0;
  g_main_loop_quit (run->loop);
  return G_SOURCE_REMOVE;
}

static gboolean
on_epoch_over (gpointer user_data)
{
  GpsRun *run = user_data;

  run->epoch_id = 0;
  g_main_loop_quit (run->loop);
  return G_SOURCE_REMOVE;
}

static void
on_fix (TtLocation  *location,
        const TtFix *fix,
        GpsRun      *run)
{
  g_array_append_val (run->fixes, *fix);
  if (run->fixes->len == 1)
    run->epoch_id = g_timeout_add (EPOCH_MS, on_epoch_over, run);
}

/* gps-host and gps-port when the schema is installed; gpsd's defaults when
 * tantayctl runs on a machine without the app. */
static void
read_settings (char  **host,
               guint  *port)
{
  g_autoptr(TtSettings) settings = tt_settings_new (NULL);

  *host = g_strdup (settings ? tt_settings_get_gps_host (settings) : "localhost");
  *port = settings ? tt_settings_get_gps_port (settings) : 2947;
}

int
tt_cmd_gps (int    argc,
            char **argv)
{
  g_autofree char *host = NULL;
  g_autofree char *data_dir = NULL;
  int port = 0;
  int wait_s = DEFAULT_WAIT_S;
  const GOptionEntry entries[] = {
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("gpsd host (default: the gps-host setting)"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("gpsd port (default: the gps-port setting)"), N_("PORT") },
    { "wait", 0, 0, G_OPTION_ARG_INT, &wait_s, N_("Seconds to wait for a fix (default 10)"), N_("SECONDS") },
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, N_("Data folder (not used by this command)"), N_("DIR") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtLocation) location = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autoptr(JsonBuilder) builder = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *time = NULL;
  g_autofree char *settings_host = NULL;
  guint settings_port = 0;
  GpsRun run = { 0 };
  const TtFix *fix = NULL;
  int best;

  g_option_context_set_summary (context, _("Print the first GPS fix from gpsd as one JSON object."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tantayctl gps: %s\n", error->message);
      return 2;
    }
  if (argc > 1)
    {
      g_printerr (_("tantayctl gps: unexpected argument “%s”\n"), argv[1]);
      return 2;
    }
  if (port < 0 || port > 65535)
    {
      g_printerr (_("tantayctl gps: --port must be between 1 and 65535, not %d\n"), port);
      return 2;
    }
  if (wait_s < 0 || wait_s > 3600)
    {
      g_printerr (_("tantayctl gps: --wait must be between 0 and 3600 seconds, not %d\n"), wait_s);
      return 2;
    }

  read_settings (&settings_host, &settings_port);
  location = tt_location_new (host != NULL && host[0] != '\0' ? host : settings_host,
                              port > 0 ? (guint) port : settings_port);
  /* A short run cannot sit out the app's ten quiet seconds. */
  g_object_set (location, "silence-timeout-s", 3, NULL);

  loop = g_main_loop_new (NULL, FALSE);
  run.loop = loop;
  run.fixes = g_array_new (FALSE, FALSE, sizeof (TtFix));
  g_signal_connect (location, "fix", G_CALLBACK (on_fix), &run);
  run.timeout_id = g_timeout_add_seconds (wait_s, on_timeout, &run);
  g_main_loop_run (loop);
  g_clear_handle_id (&run.timeout_id, g_source_remove);
  g_clear_handle_id (&run.epoch_id, g_source_remove);
  g_signal_handlers_disconnect_by_data (location, &run);

  best = tt_fix_policy_select ((const TtFix *) (gpointer) run.fixes->data, run.fixes->len, 0);
  if (best >= 0)
    fix = &g_array_index (run.fixes, TtFix, best);
  if (fix != NULL)
    time = tt_fix_format_time (fix);

  builder = json_builder_new ();
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "state");
  json_builder_add_string_value (builder,
                                 tt_location_state_to_string (fix ? fix->mode : tt_location_get_state (location)));
  tt_json_add_number (builder, "lat", fix ? fix->latitude : NAN);
  tt_json_add_number (builder, "lon", fix ? fix->longitude : NAN);
  tt_json_add_number (builder, "alt_m", fix ? fix->alt_msl_m : NAN);
  tt_json_add_number (builder, "accuracy_m", fix ? fix->accuracy_m : NAN);
  tt_json_add_count (builder, "satellites_used", fix ? fix->satellites_used : -1);
  tt_json_add_count (builder, "satellites_visible", tt_location_get_satellites_visible (location));
  json_builder_set_member_name (builder, "time");
  if (time != NULL)
    json_builder_add_string_value (builder, time);
  else
    json_builder_add_null_value (builder);
  json_builder_end_object (builder);

  root = json_builder_get_root (builder);
  tt_cmd_print_json (root);

  g_array_unref (run.fixes);
  return best >= 0 ? 0 : 1;
}
