/* SPDX-License-Identifier: GPL-3.0-or-later */
/* "Sync when the network comes back", with the real GNetworkMonitor: the
 * test runs in a network namespace of its own (tests/meson.build starts it
 * under `unshare -rn`), where it can take the default route away and give
 * it back without touching the machine's network. */
#include "config.h"

#include "tt-store.h"
#include "tt-sync.h"
#include "tt-test-server.h"
#include "tt-test-util.h"

static void
ip (const char *args)
{
  g_autofree char *cmd = g_strdup_printf ("ip %s", args);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (cmd, NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("“%s” failed: %s", cmd, err);
}

typedef struct
{
  gboolean done;
  gboolean ok;
} Result;

static void
enroll_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      data)
{
  Result *r = data;

  r->ok = tt_sync_enroll_finish (TT_SYNC (source), res, NULL);
  r->done = TRUE;
}

static void
sync_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      data)
{
  Result *r = data;

  r->ok = tt_sync_run_finish (TT_SYNC (source), res, NULL, NULL);
  r->done = TRUE;
}

static void
pending_cb (GObject    *object,
            GParamSpec *pspec,
            gboolean   *empty)
{
  *empty = tt_sync_get_pending (TT_SYNC (object)) == 0;
}

static gboolean
expired_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
test_network_back (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *route = g_build_filename (dir, "route.json", NULL);
  g_autofree char *server_db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "device", NULL);
  g_autofree char *store_path = tt_store_default_path (data_dir);
  g_autofree char *manifest = tt_test_make_manifest (10, 3, "R-NET");
  const char *args[] = { "--demo", "--demo-route", route, NULL };
  g_autoptr(TtTestServer) server = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtSync) sync = NULL;
  g_autoptr(GError) error = NULL;
  GNetworkMonitor *monitor;
  gboolean empty = FALSE, expired = FALSE;
  Result r = { 0 };

  /* Loopback only: the server is reachable, yet there is no "network". */
  ip ("link set lo up");
  g_assert_true (g_file_set_contents (route, manifest, -1, NULL));
  server = tt_test_server_start (server_db, 0, args);
  store = tt_store_open (store_path, &error);
  g_assert_no_error (error);
  sync = tt_sync_new (store, data_dir);
  tt_sync_enroll_async (sync, g_ptr_array_index (server->enroll_uris, 0), NULL, NULL, enroll_cb, &r);
  tt_test_wait_for (&r.done, 20);
  g_assert_true (r.ok);
  r.done = FALSE;
  tt_sync_run_async (sync, NULL, sync_cb, &r);
  tt_test_wait_for (&r.done, 20);
  g_assert_true (r.ok);

  monitor = g_network_monitor_get_default ();
  g_assert_false (g_network_monitor_get_network_available (monitor));
  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(TtEvent) e = tt_store_append_event (store, TT_EVENT_DELIVERED, NULL, "{}", &error);

      g_assert_no_error (error);
    }
  g_object_set (sync, "auto-sync", TRUE, NULL);
  g_signal_connect (sync, "notify::pending", G_CALLBACK (pending_cb), &empty);

  /* Nothing happens while the network is away … */
  g_timeout_add (1000, expired_cb, &expired);
  while (!expired)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (tt_sync_get_pending (sync), ==, 5);

  /* … and the events go as soon as it comes back. */
  ip ("route add default dev lo");
  tt_test_wait_for (&empty, 10);
  g_assert_true (g_network_monitor_get_network_available (monitor));
  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_ACKNOWLEDGED), ==, 5);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/network-back", test_network_back);
  return g_test_run ();
}
