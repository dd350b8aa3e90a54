/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tantay-server"

#include "config.h"

#include <glib-unix.h>
#include <locale.h>
#include <stdio.h>

#include "tt-route-import.h"
#include "tt-server.h"

static gboolean
quit_cb (gpointer data)
{
  g_main_loop_quit (data);
  return G_SOURCE_REMOVE;
}

static char *
default_db_path (void)
{
  return g_build_filename (g_get_user_data_dir (), "tantay-server", "server.db", NULL);
}

/* The demo route ships with the sources and, installed, in PKGDATADIR. */
static char *
find_demo_route (void)
{
  const char *dirs[] = { SOURCE_DATADIR, PKGDATADIR };

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    {
      g_autofree char *path = g_build_filename (dirs[i], "demo-route.json", NULL);

      if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        return g_steal_pointer (&path);
    }
  return NULL;
}

static gboolean
import_route (TtServerDb  *db,
              const char  *path,
              GError     **error)
{
  g_autofree char *json = NULL;
  g_autofree char *route_id = NULL;
  gsize length = 0;
  guint n = 0;

  json = tt_route_import_file (path, &length, error);
  if (json == NULL || !tt_server_db_import_manifest (db, json, length, &route_id, &n, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  g_printerr ("Imported route %s (%u items) from %s\n", route_id, n, path);
  return TRUE;
}

/* The URI goes to stdout on a line of its own, for scripts and tests. */
static gboolean
print_enroll_uri (TtServer    *server,
                  TtServerDb  *db,
                  const char  *courier,
                  GError     **error)
{
  g_autofree char *code = tt_server_db_issue_code (db, courier, error);
  g_autofree char *uri = NULL;

  if (code == NULL)
    return FALSE;
  uri = tt_server_dup_enroll_uri (server, code);
  g_printerr ("Enrollment code for courier %s: %s\n", courier, code);
  g_print ("%s\n", uri);
  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *listen = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *fault = NULL;
  g_autofree char *demo_route = NULL;
  g_autofree char *issue_for = NULL;
  g_autofree char *public_url = NULL;
  g_auto(GStrv) imports = NULL;
  gboolean demo = FALSE, office_open = FALSE, version = FALSE;
  int max_body = TT_SERVER_DEFAULT_MAX_BODY;
  const GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      "Address and port to listen on (default 127.0.0.1:8765; port 0 picks a free one)",
      "ADDR:PORT" },
    { "db", 0, 0, G_OPTION_ARG_FILENAME, &db_path, "Database file", "FILE" },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      "Seed the demo route and print an enrollment URI for its courier", NULL },
    { "demo-route", 0, 0, G_OPTION_ARG_FILENAME, &demo_route,
      "Route file for --demo (default: the demo route shipped with Tận Tay)", "FILE" },
    { "import", 'i', 0, G_OPTION_ARG_FILENAME_ARRAY, &imports,
      "Import a route (manifest JSON or CSV); may be repeated", "FILE" },
    { "issue-code", 0, 0, G_OPTION_ARG_STRING, &issue_for,
      "Print an enrollment URI for a courier's new device", "COURIER" },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert, "Serve HTTPS with this certificate (PEM)",
      "FILE" },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key, "Private key of the certificate (PEM)",
      "FILE" },
    { "public-url", 0, 0, G_OPTION_ARG_STRING, &public_url,
      "Server address devices use, when not the one listened on", "URL" },
    { "office-open", 0, 0, G_OPTION_ARG_NONE, &office_open,
      "Show the office pages to other machines too (default: this machine only)", NULL },
    { "max-body", 0, 0, G_OPTION_ARG_INT, &max_body, "Largest request body in bytes", "N" },
    { "fault", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_STRING, &fault,
      "Test only: inject faults (see docs/api.md)", "SPEC" },
    { "version", 0, 0, G_OPTION_ARG_NONE, &version, "Print the version", NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtServerDb) db = NULL;
  g_autoptr(TtServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  g_autofree char *url = NULL;

  setlocale (LC_ALL, "");
  context = g_option_context_new ("— the Tận Tay tracking server");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tantay-server: %s\n", error->message);
      return 2;
    }
  if (version)
    {
      g_print ("tantay-server %s (API version 1)\n", PACKAGE_VERSION);
      return 0;
    }
  if ((tls_cert == NULL) != (tls_key == NULL))
    {
      g_printerr ("tantay-server: --tls-cert and --tls-key go together\n");
      return 2;
    }
  if (max_body < 1024)
    {
      g_printerr ("tantay-server: --max-body must be at least 1024\n");
      return 2;
    }
  if (db_path == NULL)
    db_path = default_db_path ();

  db = tt_server_db_open (db_path, &error);
  if (db == NULL)
    {
      g_printerr ("tantay-server: %s\n", error->message);
      return 1;
    }
  for (guint i = 0; imports && imports[i]; i++)
    if (!import_route (db, imports[i], &error))
      {
        g_printerr ("tantay-server: %s\n", error->message);
        return 1;
      }

  server = tt_server_new (db);
  g_object_set (server, "max-body-size", (guint) max_body, "office-open", office_open,
                "public-url", public_url, NULL);
  if (fault && !tt_server_set_fault (server, fault, &error))
    {
      g_printerr ("tantay-server: %s\n", error->message);
      return 2;
    }
  if (tls_cert && !tt_server_set_tls_files (server, tls_cert, tls_key, &error))
    {
      g_printerr ("tantay-server: %s\n", error->message);
      return 1;
    }
  if (!tt_server_listen (server, listen ? listen : "127.0.0.1:8765", &error))
    {
      g_printerr ("tantay-server: cannot listen on %s: %s\n", listen ? listen : "127.0.0.1:8765",
                  error->message);
      return 1;
    }
  url = tt_server_dup_url (server);
  g_print ("Listening on %s (office page: %s/office)\n", url, url);

  if (demo)
    {
      g_autofree char *courier = NULL;

      if (demo_route == NULL)
        demo_route = find_demo_route ();
      if (demo_route == NULL)
        {
          g_printerr ("tantay-server: the demo route (data/demo-route.json) was not found; "
                      "give one with --demo-route FILE\n");
          return 1;
        }
      if (!import_route (db, demo_route, &error))
        {
          g_printerr ("tantay-server: %s\n", error->message);
          return 1;
        }
      courier = tt_server_db_dup_last_courier (db);
      if (!print_enroll_uri (server, db, courier ? courier : "demo", &error))
        {
          g_printerr ("tantay-server: %s\n", error->message);
          return 1;
        }
    }
  if (issue_for && !print_enroll_uri (server, db, issue_for, &error))
    {
      g_printerr ("tantay-server: %s\n", error->message);
      return 1;
    }
  fflush (stdout);

  loop = g_main_loop_new (NULL, FALSE);
  g_unix_signal_add (SIGINT, quit_cb, loop);
  g_unix_signal_add (SIGTERM, quit_cb, loop);
  g_main_loop_run (loop);
  return 0;
}
