/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The app's sync, in the real window under Xvfb against the real
 * tantay-server: enrollment on first start, the route coming down, the
 * header's state, a record going out by itself, and the error in plain
 * words when the server is gone. */
#include "config.h"

#include "tt-application.h"
#include "tt-code.h"
#include "tt-enroll-page.h"
#include "tt-server-db.h"
#include "tt-sync-status.h"
#include "tt-test-server.h"
#include "tt-test-util.h"
#include "tt-window.h"

static TtTestServer *server;

static GtkWidget *
find_by_id (GtkWidget  *root,
            const char *id)
{
  if (GTK_IS_BUILDABLE (root) && g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (root)), id) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_id (child, id);

      if (found)
        return found;
    }
  return NULL;
}

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition   cond,
            gpointer    data,
            guint       seconds,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + seconds * G_USEC_PER_SEC;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting until %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static gboolean
time_passed (gpointer data)
{
  return g_get_monotonic_time () > *(gint64 *) data;
}

/* For the eye: the window as drawn, in <build>/tests/screenshots. */
static void
screenshot (const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  const char *argv[] = { "import", "-window", "root", "-crop", "360x720+0+0", "+repage", path, NULL };
  g_autoptr(GError) error = NULL;
  gint64 until = g_get_monotonic_time () + 400 * 1000;
  int status = 0;

  wait_until (time_passed, &until, 5, "the window is drawn");
  g_mkdir_with_parents (dir, 0755);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_test_message ("screenshot: %s", path);
}

static GtkWidget *
visible_page (TtWindow *window)
{
  return adw_leaflet_get_visible_child (ADW_LEAFLET (find_by_id (GTK_WIDGET (window), "leaflet")));
}

static gboolean
route_shown (gpointer data)
{
  TtWindow *window = data;
  GtkGridView *list = GTK_GRID_VIEW (find_by_id (GTK_WIDGET (window), "route_list"));

  return visible_page (window) == find_by_id (GTK_WIDGET (window), "route_page")
    && g_list_model_get_n_items (G_LIST_MODEL (gtk_grid_view_get_model (list))) == 40;
}

static const char *expected_summary;

static gboolean
summary_is (gpointer data)
{
  return g_strcmp0 (tt_sync_status_get_summary (data), expected_summary) == 0;
}

static void
wait_summary (TtSyncStatus *status,
              const char   *summary,
              guint         seconds)
{
  expected_summary = summary;
  wait_until (summary_is, status, seconds, summary);
}

static void
record (TtStore *store)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtEvent) e = tt_store_append_event (store, TT_EVENT_DELIVERED, "RR100000005VN",
                                                "{\"identity\":\"match\",\"collected_vnd\":25000}",
                                                &error);

  g_assert_no_error (error);
}

static void
body (TtApplication *app,
      TtWindow      *window)
{
  TtSync *sync = tt_application_get_sync (app);
  TtStore *store = tt_application_get_store (app);
  GtkWidget *page = visible_page (window);
  GtkWidget *status = gtk_widget_get_first_child (GTK_WIDGET (tt_window_get_status_box (window)));
  GtkWidget *error_label;
  g_autoptr(TtServerDb) db = NULL;
  g_autoptr(GError) error = NULL;

  /* Short waits for the test; the same logic as in the field. */
  g_object_set (sync, "backoff-base", 20, "backoff-cap", 100, "max-attempts", 3, "timeout", 5, NULL);

  /* First start: the enrollment page, and the header says why. */
  g_assert_true (TT_IS_ENROLL_PAGE (page));
  g_assert_true (TT_IS_SYNC_STATUS (status));
  g_assert_cmpstr (tt_sync_status_get_summary (TT_SYNC_STATUS (status)), ==,
                   "Not connected to an office server");

  /* A wrong code is refused in words, and nothing changes. */
  gtk_editable_set_text (GTK_EDITABLE (find_by_id (page, "server_row")), server->url);
  gtk_editable_set_text (GTK_EDITABLE (find_by_id (page, "code_row")), "AAAA-BBBB");
  g_signal_emit_by_name (find_by_id (page, "enroll_button"), "clicked");
  error_label = find_by_id (page, "error_label");
  wait_until ((Condition) gtk_widget_get_visible, error_label, 20, "the enrollment error shows");
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "not known"));
  g_assert_false (tt_sync_is_enrolled (sync));
  screenshot ("sync-enroll-page.png");

  /* A pasted link hides the code field (the link carries the code). */
  gtk_editable_set_text (GTK_EDITABLE (find_by_id (page, "server_row")),
                         g_ptr_array_index (server->enroll_uris, 0));
  g_assert_false (gtk_widget_get_visible (find_by_id (page, "code_row")));
  gtk_editable_set_text (GTK_EDITABLE (find_by_id (page, "server_row")), "");

  /* Scanning the office's enrollment QR enrolls; the route comes down by
   * itself. */
  {
    g_autoptr(TtCode) code = NULL;
    const char *uri = g_ptr_array_index (server->enroll_uris, 0);
    gboolean handled = FALSE;

    g_assert_true (tt_code_parse (uri, -1, &code, &error));
    g_assert_cmpint (code->kind, ==, TT_CODE_KIND_ENROLL);
    g_signal_emit_by_name (window, "scanned", code, &handled);
    g_assert_true (handled);
  }
  wait_until (route_shown, window, 20, "the route is shown");
  g_assert_true (tt_sync_is_enrolled (sync));
  wait_summary (TT_SYNC_STATUS (status), "Everything has been sent", 20);

  /* A new record is counted in the header and goes out by itself. */
  record (store);
  g_assert_cmpstr (tt_sync_status_get_summary (TT_SYNC_STATUS (status)), ==,
                   "1 record waiting to be sent");
  wait_summary (TT_SYNC_STATUS (status), "Everything has been sent", 20);
  db = tt_server_db_open (server->db_path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tt_server_db_count_events (db, NULL), ==, 1);

  /* A record the server refuses is set aside and shown with its reason. */
  {
    g_autoptr(TtEvent) e = tt_store_append_event (store, "teleported", "RR100000005VN", "{}", &error);
    GtkWidget *refused = find_by_id (status, "refused_label");

    g_assert_no_error (error);
    g_assert_false (gtk_widget_get_visible (refused));
    wait_until ((Condition) gtk_widget_get_visible, refused, 20, "the refusal shows");
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (refused)), "refused by the server"));
    g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (refused)), "not known to this server"));
    wait_summary (TT_SYNC_STATUS (status), "Everything has been sent", 20);
  }

  /* Server gone: "Sync Now" ends in an error the courier can read, and
   * the record stays waiting. */
  tt_test_server_stop (server, FALSE);
  g_object_set (sync, "auto-sync", FALSE, NULL);
  record (store);
  gtk_widget_activate_action (status, "sync-status.sync-now", NULL);
  wait_summary (TT_SYNC_STATUS (status), "Not sent: 1 record waiting", 30);
  error_label = find_by_id (status, "error_label");
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "cannot be reached"));
  gtk_menu_button_popup (GTK_MENU_BUTTON (find_by_id (status, "button")));
  screenshot ("sync-status-error.png");
  gtk_menu_button_popdown (GTK_MENU_BUTTON (find_by_id (status, "button")));
  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_PENDING), ==, 1);
}

static gboolean ran;

static void
on_activate (GApplication *app)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (TT_IS_WINDOW (window));
  body (TT_APPLICATION (app), TT_WINDOW (window));
  ran = TRUE;
  g_application_quit (app);
}

static void
test_sync_in_window (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *route = g_build_filename (dir, "route.json", NULL);
  g_autofree char *server_db = g_build_filename (dir, "server.db", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "device", NULL);
  g_autofree char *manifest = tt_test_make_manifest (40, 5, "R-UI");
  const char *args[] = { "--demo", "--demo-route", route, NULL };
  g_autoptr(TtApplication) app = tt_application_new ();
  const char *argv[] = { "tantay", "--data-dir", data_dir, NULL };

  g_assert_true (g_file_set_contents (route, manifest, -1, NULL));
  server = tt_test_server_start (server_db, 0, args);
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 3, (char **) argv), ==, 0);
  g_assert_true (ran);
  g_clear_pointer (&server, tt_test_server_free);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync-ui/window", test_sync_in_window);
  return g_test_run ();
}
