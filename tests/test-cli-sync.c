/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tantayctl enroll, sync, status and export, run as a user would, against
 * the real tantay-server. */
#include "config.h"

#include <json-glib/json-glib.h>

#include "tt-server-db.h"
#include "tt-store.h"
#include "tt-test-server.h"
#include "tt-test-util.h"

/* Runs tantayctl with @args; returns its exit status and stdout lines. */
static int
ctl (GPtrArray         **lines,
     const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_auto(GStrv) split = NULL;

  g_ptr_array_add (argv, g_build_filename (g_getenv ("TT_BUILD_ROOT"), "src", "cli", "tantayctl", NULL));
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);
  proc = g_subprocess_newv ((const char * const *) argv->pdata,
                            G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (proc, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  *lines = g_ptr_array_new_with_free_func (g_free);
  split = g_strsplit (out ? out : "", "\n", -1);
  for (guint i = 0; split[i]; i++)
    if (*split[i])
      g_ptr_array_add (*lines, g_strdup (split[i]));
  return g_subprocess_get_exit_status (proc);
}

static JsonObject *
parse_line (const char *line,
            JsonParser *parser)
{
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, line, -1, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
test_cli (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *route = g_build_filename (dir, "route.json", NULL);
  g_autofree char *server_db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *data = g_build_filename (dir, "device", NULL);
  g_autofree char *manifest = tt_test_make_manifest (12, 11, "R-CLI");
  const char *server_args[] = { "--demo", "--demo-route", route, NULL };
  g_autoptr(TtTestServer) server = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *o;

  g_assert_true (g_file_set_contents (route, manifest, -1, NULL));
  server = tt_test_server_start (server_db, 0, server_args);

  /* Not enrolled yet: sync says so, in JSON, and fails. */
  g_assert_cmpint (ctl (&lines, (const char *[]) { "sync", "--data-dir", data, NULL }), ==, 1);
  o = parse_line (g_ptr_array_index (lines, 0), parser);
  g_assert_nonnull (strstr (json_object_get_string_member (o, "error"), "not enrolled"));
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* A bad enrollment URI. */
  g_assert_cmpint (ctl (&lines, (const char *[]) { "enroll", "https://example.com/x", "--data-dir",
                                                   data, NULL }), ==, 1);
  o = parse_line (g_ptr_array_index (lines, 0), parser);
  g_assert_nonnull (strstr (json_object_get_string_member (o, "error"), "not an enrollment code"));
  g_clear_pointer (&lines, g_ptr_array_unref);

  g_assert_cmpint (ctl (&lines, (const char *[]) { "enroll", g_ptr_array_index (server->enroll_uris, 0),
                                                   "--data-dir", data, NULL }), ==, 0);
  o = parse_line (g_ptr_array_index (lines, 0), parser);
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (o, "device_id")));
  g_assert_cmpstr (json_object_get_string_member (o, "server"), ==, server->url);
  g_clear_pointer (&lines, g_ptr_array_unref);

  g_assert_cmpint (ctl (&lines, (const char *[]) { "sync", "--data-dir", data, NULL }), ==, 0);
  o = parse_line (g_ptr_array_index (lines, 0), parser);
  g_assert_cmpstr (json_object_get_string_member (o, "manifest"), ==, "updated");
  g_assert_cmpint (json_object_get_int_member (o, "items"), ==, 12);
  g_assert_true (json_object_get_null_member (o, "error"));
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* Three records, one of them with a comma and quotes for the CSV. */
  {
    g_autofree char *path = tt_store_default_path (data);
    g_autoptr(TtStore) store = tt_store_open (path, &error);
    g_autofree char *item = tt_test_s10_id ("RR", 10000000);

    g_assert_no_error (error);
    for (guint i = 0; i < 3; i++)
      {
        g_autoptr(TtEvent) e = tt_store_append_event (store, TT_EVENT_DELIVERED, item,
                                                      "{\"receiver\":\"Lê \\\"Bé\\\", con\"}", &error);

        g_assert_no_error (error);
      }
  }

  g_assert_cmpint (ctl (&lines, (const char *[]) { "export", "--unsynced", "--data-dir", data, NULL }), ==, 0);
  g_assert_cmpuint (lines->len, ==, 3);
  o = parse_line (g_ptr_array_index (lines, 2), parser);
  g_assert_cmpint (json_object_get_int_member (o, "seq"), ==, 3);
  g_assert_cmpstr (json_object_get_string_member (o, "state"), ==, "pending");
  g_assert_cmpstr (json_object_get_string_member (o, "payload"), ==, "{\"receiver\":\"Lê \\\"Bé\\\", con\"}");
  g_clear_pointer (&lines, g_ptr_array_unref);

  g_assert_cmpint (ctl (&lines, (const char *[]) { "export", "--format", "csv", "--data-dir", data, NULL }), ==, 0);
  g_assert_cmpuint (lines->len, ==, 4);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (lines, 0), "id,seq,type,item_id,time,payload,"));
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 1),
                            ",\"{\"\"receiver\"\":\"\"Lê \\\"\"Bé\\\"\", con\"\"}\","));
  g_clear_pointer (&lines, g_ptr_array_unref);

  g_assert_cmpint (ctl (&lines, (const char *[]) { "sync", "--data-dir", data, NULL }), ==, 0);
  o = parse_line (g_ptr_array_index (lines, 0), parser);
  g_assert_cmpstr (json_object_get_string_member (o, "manifest"), ==, "not-modified");
  g_assert_cmpint (json_object_get_int_member (o, "pushed"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "acknowledged"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (o, "pending"), ==, 0);
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* Nothing left for the USB stick once everything was acknowledged. */
  g_assert_cmpint (ctl (&lines, (const char *[]) { "export", "--unsynced", "--data-dir", data, NULL }), ==, 0);
  g_assert_cmpuint (lines->len, ==, 0);
  g_clear_pointer (&lines, g_ptr_array_unref);
  g_assert_cmpint (ctl (&lines, (const char *[]) { "export", "--format", "xml", "--data-dir", data, NULL }), ==, 2);
  g_clear_pointer (&lines, g_ptr_array_unref);

  /* Server gone: status keeps the last sync and says what failed. */
  tt_test_server_stop (server, FALSE);
  {
    g_autofree char *path = tt_store_default_path (data);
    g_autoptr(TtStore) store = tt_store_open (path, &error);
    g_autoptr(TtEvent) e = tt_store_append_event (store, TT_EVENT_FAILED, NULL, "{\"reason\":\"absent\"}",
                                                  &error);

    g_assert_no_error (error);
  }
  g_assert_cmpint (ctl (&lines, (const char *[]) { "status", "--data-dir", data, NULL }), ==, 0);
  o = parse_line (g_ptr_array_index (lines, 0), parser);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "events"), "pending"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "events"),
                                               "acknowledged"), ==, 3);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "items"), "pending"), ==, 12);
  g_assert_nonnull (json_object_get_string_member (o, "last_sync"));
  g_assert_true (json_object_get_null_member (o, "last_error"));
  g_clear_pointer (&lines, g_ptr_array_unref);
}

/* tantayctl killed while a sync is under way, then run again: every
 * event ends up on the server once and acknowledged on the device. */
static void
test_killed_mid_sync (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *route = g_build_filename (dir, "route.json", NULL);
  g_autofree char *server_db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *data = g_build_filename (dir, "device", NULL);
  g_autofree char *manifest = tt_test_make_manifest (12, 11, "R-KILL");
  g_autofree char *ctl_path = g_build_filename (g_getenv ("TT_BUILD_ROOT"), "src", "cli", "tantayctl", NULL);
  /* The second batch is stored, then its answer is held back. */
  const char *server_args[] = { "--demo", "--demo-route", route, "--fault", "ok:1,delay:1:4000", NULL };
  g_autoptr(TtTestServer) server = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autoptr(GSubprocess) running = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtServerDb) db = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *path = tt_store_default_path (data);

  g_assert_true (g_file_set_contents (route, manifest, -1, NULL));
  server = tt_test_server_start (server_db, 0, server_args);
  g_assert_cmpint (ctl (&lines, (const char *[]) { "enroll", g_ptr_array_index (server->enroll_uris, 0),
                                                   "--data-dir", data, NULL }), ==, 0);
  g_clear_pointer (&lines, g_ptr_array_unref);
  {
    g_autoptr(TtStore) store = tt_store_open (path, &error);

    g_assert_no_error (error);
    for (guint i = 0; i < 250; i++)
      {
        g_autoptr(TtEvent) e = tt_store_append_event (store, TT_EVENT_DELIVERED, NULL, "{\"n\":1}", &error);

        g_assert_no_error (error);
      }
  }

  running = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                              &error, ctl_path, "sync", "--data-dir", data, NULL);
  g_assert_no_error (error);
  db = tt_server_db_open (server_db, &error);
  g_assert_no_error (error);
  /* Wait until the held-back batch is on the server (a batch on the other
   * connection may be there too), then kill the client. */
  for (guint i = 0; i < 500 && tt_server_db_count_events (db, NULL) < 200; i++)
    g_usleep (10000);
  g_assert_cmpuint (tt_server_db_count_events (db, NULL), >=, 200);
  g_subprocess_force_exit (running);
  g_subprocess_wait (running, NULL, NULL);
  {
    g_autoptr(TtStore) store = tt_store_open (path, &error);

    /* Nothing was taken out of the outbox without being saved as sent. */
    g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_PENDING)
                      + tt_store_count_events (store, TT_EVENT_STATE_ACKNOWLEDGED), ==, 250);
  }

  g_assert_cmpint (ctl (&lines, (const char *[]) { "sync", "--data-dir", data, NULL }), ==, 0);
  g_clear_pointer (&lines, g_ptr_array_unref);
  g_assert_cmpuint (tt_server_db_count_events (db, NULL), ==, 250);
  {
    g_autoptr(TtStore) store = tt_store_open (path, &error);

    g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_ACKNOWLEDGED), ==, 250);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/cli/sync", test_cli);
  g_test_add_func ("/cli/killed-mid-sync", test_killed_mid_sync);
  return g_test_run ();
}
