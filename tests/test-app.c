/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real app window, driven in-process under Xvfb: route list, search,
 * filters, item page, empty state, a damaged data file, and screenshots
 * (portrait 360×720, landscape 720×360) in the build folder. */
#include "config.h"

#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "tt-application.h"
#include "tt-enroll-page.h"
#include "tt-item-page.h"
#include "tt-test-util.h"
#include "tt-text.h"
#include "tt-window.h"

typedef void (*AppBody) (TtApplication *app,
                         TtWindow      *window);

/* Every test runs twice: without animations (quick, exact) and with them,
 * as on a device, where pages slide and leave the leaflet late. */
static gboolean animated;

typedef struct
{
  AppBody body;
  gboolean ran;
} Run;

/* Helpers ---------------------------------------------------------------- */

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

/* Runs the main loop for @ms milliseconds. */
static void
spin (guint ms)
{
  gboolean done = FALSE;
  guint id = g_timeout_add (ms, timeout_cb, &done);

  while (!done)
    g_main_context_iteration (NULL, TRUE);
  (void) id;
}

static void
on_after_paint (GdkFrameClock *clock,
                guint         *count)
{
  (*count)++;
}

/* Waits until the window has drawn twice after everything queued so far,
 * then makes sure the X server has it. */
static void
settle (GtkWidget *window)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (window);
  guint painted = 0;
  gboolean timed_out = FALSE;
  guint timeout_id;
  gulong id;

  g_assert_nonnull (clock);
  id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &painted);
  timeout_id = g_timeout_add (5000, timeout_cb, &timed_out);
  gtk_widget_queue_draw (window);
  while (painted < 2 && !timed_out)
    {
      g_main_context_iteration (NULL, TRUE);
      if (painted < 2)
        gtk_widget_queue_draw (window);
    }
  g_signal_handler_disconnect (clock, id);
  if (!timed_out)
    g_source_remove (timeout_id);
  g_assert_false (timed_out);
  gdk_display_sync (gtk_widget_get_display (window));
}

typedef gboolean (*Condition) (gpointer data);

static void
wait_until (Condition   cond,
            gpointer    data,
            const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("Timed out waiting until %s", what);
      spin (10);
    }
}

static GtkWidget *
find_by_id (GtkWidget  *root,
            const char *id)
{
  GtkWidget *child;

  if (GTK_IS_BUILDABLE (root) && g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (root)), id) == 0)
    return root;
  for (child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_by_id (child, id);

      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
get (TtWindow   *window,
     const char *id)
{
  GtkWidget *w = find_by_id (GTK_WIDGET (window), id);

  if (w == NULL)
    g_error ("No widget “%s” in the window", id);
  return w;
}

static void
collect_labels (GtkWidget  *root,
                const char *css_class,
                GPtrArray  *out)
{
  GtkWidget *child;

  if (GTK_IS_LABEL (root) && gtk_widget_has_css_class (root, css_class)
      && gtk_widget_get_mapped (root))
    g_ptr_array_add (out, g_strdup (gtk_label_get_label (GTK_LABEL (root))));
  for (child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    collect_labels (child, css_class, out);
}

/* The recipient names on the rows the list view shows right now. */
static GPtrArray *
shown_names (TtWindow *window)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);

  collect_labels (get (window, "route_list"), "route-name", names);
  return names;
}

/* What a finger on the button does, without the press animation's delay. */
static void
tap (GtkWidget *button)
{
  g_assert_true (gtk_widget_is_sensitive (button) && gtk_widget_get_mapped (button));
  if (GTK_IS_TOGGLE_BUTTON (button))
    gtk_toggle_button_set_active (GTK_TOGGLE_BUTTON (button), TRUE);
  else
    g_signal_emit_by_name (button, "clicked");
}

static void settle (GtkWidget *window);

/* Every button on screen is big enough for a gloved finger. */
static void
check_buttons (GtkWidget *root)
{
  GtkWidget *child;

  if (GTK_IS_BUTTON (root) && gtk_widget_get_mapped (root))
    {
      if (gtk_widget_get_width (root) < 48 || gtk_widget_get_height (root) < 48)
        g_error ("%s “%s” is %d×%d px, smaller than a fingertip (48 px)",
                 G_OBJECT_TYPE_NAME (root),
                 gtk_widget_get_tooltip_text (root) ?: gtk_button_get_label (GTK_BUTTON (root)) ?: "",
                 gtk_widget_get_width (root), gtk_widget_get_height (root));
    }
  for (child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    check_buttons (child);
}

static void
assert_touch_targets (GtkWidget *window)
{
  settle (window);
  check_buttons (window);
}

static GListModel *
list_model (TtWindow *window)
{
  return G_LIST_MODEL (gtk_grid_view_get_model (GTK_GRID_VIEW (get (window, "route_list"))));
}

static GtkWidget *
visible_page (TtWindow *window)
{
  return adw_leaflet_get_visible_child (ADW_LEAFLET (get (window, "leaflet")));
}

static guint
n_pages (TtWindow *window)
{
  g_autoptr(GtkSelectionModel) pages = adw_leaflet_get_pages (ADW_LEAFLET (get (window, "leaflet")));

  return g_list_model_get_n_items (G_LIST_MODEL (pages));
}

static gboolean
only_route_page (gpointer data)
{
  return n_pages (data) == 1;
}

static gboolean
two_pages (gpointer data)
{
  return n_pages (data) == 2;
}

static void
screenshot (GtkWidget  *window,
            const char *name,
            int         width,
            int         height)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "screenshots", NULL);
  g_autofree char *path = NULL;
  g_autofree char *crop = g_strdup_printf ("%dx%d+0+0", width, height);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  g_autofree char *out = NULL;
  int status = 0;
  const char *argv[] = { "import", "-window", "root", "-crop", crop, "+repage", NULL, NULL };

  g_mkdir_with_parents (dir, 0755);
  path = animated ? g_strconcat (dir, "/animated-", name, NULL) : g_build_filename (dir, name, NULL);
  argv[6] = path;
  settle (window);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               &out, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("import failed: %s", err);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
  g_test_message ("screenshot: %s", path);
}

/* The size of the window on screen, decorations included. */
static int
surface_width (GtkWidget *window)
{
  return gdk_surface_get_width (gtk_native_get_surface (GTK_NATIVE (window)));
}

static int
surface_height (GtkWidget *window)
{
  return gdk_surface_get_height (gtk_native_get_surface (GTK_NATIVE (window)));
}

static void
set_window_size (GtkWidget *window,
                 int        width,
                 int        height)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  while (surface_width (window) != width || surface_height (window) != height)
    {
      /* Like a window manager, keep asking: a layout that changes with
       * the aspect may only fit once it has changed. */
      spin (50);
      gtk_window_set_default_size (GTK_WINDOW (window), width, height);
      if (g_get_monotonic_time () > deadline)
        g_error ("The window did not take %d×%d (it is %d×%d): something needs more room",
                 width, height, surface_width (window), surface_height (window));
      spin (10);
    }
  settle (window);
}

static void
on_activate (GApplication *app,
             Run          *run)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (TT_IS_WINDOW (window));
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (window)));
  settle (GTK_WIDGET (window));
  run->body (TT_APPLICATION (app), TT_WINDOW (window));
  run->ran = TRUE;
  g_application_quit (app);
}

/* Starts the real app (same code as the `tantay` binary) with @args and
 * runs @body once its window is on screen. */
static void
run_app (const char *data_dir,
         gboolean    demo,
         AppBody     body)
{
  g_autoptr(TtApplication) app = tt_application_new ();
  Run run = { body, FALSE };

  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", animated, NULL);
  const char *argv[] = { "tantay", "--data-dir", data_dir, demo ? "--demo" : NULL, NULL };

  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), demo ? 4 : 3, (char **) argv), ==, 0);
  g_assert_true (run.ran);
}

/* The ids of the demo items whose text, folded independently of the
 * app's own search key, holds every word of @query. */
static GHashTable *
expected_hits (const char *query)
{
  g_autofree char *path = g_build_filename (g_getenv ("TT_SOURCE_ROOT"), "data", "demo-route.json",
                                            NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *folded_query = tt_text_fold (query);
  g_auto(GStrv) words = g_strsplit (folded_query, " ", -1);
  GHashTable *hits = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  static const char *const fields[] = {
    "id", "recipient_name", "street", "commune", "district", "province", "dossier_code", "phone",
  };
  JsonArray *items;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  items = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *o = json_array_get_object_element (items, i);
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *folded = NULL;
      gboolean all = TRUE;

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        if (json_object_has_member (o, fields[f]))
          g_string_append_printf (text, "%s ", json_object_get_string_member (o, fields[f]));
      folded = tt_text_fold (text->str);
      for (guint w = 0; words[w]; w++)
        if (*words[w] && strstr (folded, words[w]) == NULL)
          all = FALSE;
      if (all)
        g_hash_table_add (hits, g_strdup (json_object_get_string_member (o, "id")));
    }
  return hits;
}

static gboolean
search_applied (gpointer data)
{
  gpointer *args = data;
  TtWindow *window = args[0];
  guint expected = GPOINTER_TO_UINT (args[1]);

  return g_list_model_get_n_items (list_model (window)) == expected;
}

/* Types @query into the search and waits for the list to show @n_shown
 * items (-1: every item the query should find), each one a true hit. */
static void
search_for_n (TtWindow   *window,
              const char *query,
              int         n_shown)
{
  g_autoptr(GHashTable) hits = expected_hits (query);
  GListModel *model = list_model (window);
  gpointer args[] = { window, GUINT_TO_POINTER (n_shown >= 0 ? (guint) n_shown
                                                             : g_hash_table_size (hits)) };

  gtk_editable_set_text (GTK_EDITABLE (get (window, "search_entry")), query);
  /* The search entry waits a moment after the last key, as it does for
   * the courier typing. */
  wait_until (search_applied, args, "the search is applied");
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TtItem) item = g_list_model_get_item (model, i);

      g_assert_true (g_hash_table_contains (hits, item->id));
    }
}

static void
search_for (TtWindow   *window,
            const char *query)
{
  search_for_n (window, query, -1);
}

/* Tests ------------------------------------------------------------------ */

static void
body_route_list (TtApplication *app,
                 TtWindow      *window)
{
  g_autoptr(GPtrArray) names = NULL;
  GtkWidget *title = get (window, "window_title");

  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (get (window, "list_stack"))), ==,
                   "list");
  g_assert_cmpuint (g_list_model_get_n_items (list_model (window)), ==, 44);

  /* Rows are drawn in route order with their texts. */
  names = shown_names (window);
  g_assert_cmpuint (names->len, >=, 4);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "Nguyễn Văn Ánh");
  g_assert_cmpstr (g_ptr_array_index (names, 1), ==, "Trần Thị Bích Ngọc");

  /* Counts in the header and on the filters. */
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (title)), ==, "44 to do");
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (title)), ==,
                   "0 delivered · 0 failed");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (get (window, "count_all"))), ==, "44");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (get (window, "count_pickups"))), ==, "6");
  g_assert_true (GTK_IS_BOX (tt_window_get_status_box (window)));

  /* The status pages get their (SVG) icons only when shown. */
  g_assert_null (adw_status_page_get_icon_name (ADW_STATUS_PAGE (get (window, "empty_page"))));
  g_assert_null (adw_status_page_get_icon_name (ADW_STATUS_PAGE (get (window, "no_results_page"))));

  /* Main menu → Settings opens the settings over the route. */
  g_assert_nonnull (tt_application_get_settings (app));
  {
    guint before = g_list_length (gtk_application_get_windows (GTK_APPLICATION (app)));
    GtkWindow *settings;

    g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
    g_assert_cmpuint (g_list_length (gtk_application_get_windows (GTK_APPLICATION (app))), ==,
                      before + 1);
    settings = gtk_application_get_windows (GTK_APPLICATION (app))->data;
    g_assert_true (ADW_IS_PREFERENCES_WINDOW (settings));
    g_assert_true (gtk_window_get_transient_for (settings) == GTK_WINDOW (window));
    gtk_window_destroy (settings);
  }

  /* Portrait is the reference screen: nothing may need more than 360 px. */
  g_assert_cmpint (surface_width (GTK_WIDGET (window)), ==, 360);
  g_assert_cmpint (surface_height (GTK_WIDGET (window)), ==, 720);
  assert_touch_targets (GTK_WIDGET (window));
  screenshot (GTK_WIDGET (window), "route-portrait.png", 360, 720);

  set_window_size (GTK_WIDGET (window), 720, 360);
  g_assert_true (tt_window_get_landscape (window));
  assert_touch_targets (GTK_WIDGET (window));
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (get (window, "tools_box"))), ==,
                   GTK_ORIENTATION_HORIZONTAL);
  g_assert_cmpuint (shown_names (window)->len, >=, 2);
  screenshot (GTK_WIDGET (window), "route-landscape.png", 720, 360);
}

static void
test_route_list (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();

  run_app (dir, TRUE, body_route_list);
}

static void
body_no_svg (TtApplication *app,
             TtWindow      *window)
{
  g_autofree char *maps = NULL;

  settle (GTK_WIDGET (window));
  g_assert_cmpuint (shown_names (window)->len, >=, 4);
  g_assert_true (g_file_get_contents ("/proc/self/maps", &maps, NULL, NULL));
  g_assert_null (strstr (maps, "librsvg"));
}

/* A start with a route draws no SVG icon: the SVG renderer would add about
 * 7 MB to the app's memory.  A fresh process, since other tests show
 * pages that do (and the settings window's search page has one). */
static void
test_no_svg (void)
{
  g_autofree char *dir = NULL;

  if (!g_test_subprocess ())
    {
      g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_test_trap_assert_passed ();
      return;
    }
  dir = tt_test_make_tmpdir ();
  run_app (dir, TRUE, body_no_svg);
}

static void
body_search (TtApplication *app,
             TtWindow      *window)
{
  g_autoptr(GPtrArray) names = NULL;
  GListModel *model = list_model (window);
  GtkStack *list_stack = GTK_STACK (get (window, "list_stack"));

  /* Without diacritics, any case, words in any order. */
  search_for (window, "nguyen");
  g_assert_cmpuint (g_list_model_get_n_items (model), >, 1);
  g_assert_cmpuint (g_list_model_get_n_items (model), <, 44);
  settle (GTK_WIDGET (window));
  names = shown_names (window);
  g_assert_cmpuint (names->len, ==, MIN (g_list_model_get_n_items (model), names->len));
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "Nguyễn Văn Ánh");
  screenshot (GTK_WIDGET (window), "search-portrait.png", 360, 720);

  /* Words match anywhere ("anh" is in "Thanh phố" too), so the full name
   * finds the addressee first and few others. */
  search_for (window, "nguyen van anh");
  g_assert_cmpuint (g_list_model_get_n_items (model), <=, 2);
  {
    g_autoptr(TtItem) first = g_list_model_get_item (model, 0);

    g_assert_cmpstr (first->recipient_name, ==, "Nguyễn Văn Ánh");
  }
  search_for (window, "NGUYỄN VĂN ÁNH");
  g_assert_cmpuint (g_list_model_get_n_items (model), <=, 2);
  search_for (window, "anh nguyen van");
  g_assert_cmpuint (g_list_model_get_n_items (model), <=, 2);

  /* đ/Đ folds to d. */
  search_for (window, "ba dinh");
  g_assert_cmpuint (g_list_model_get_n_items (model), >=, 1);
  {
    g_autoptr(TtItem) first = g_list_model_get_item (model, 0);

    g_assert_cmpstr (first->commune, ==, "Phường Ba Đình");
  }

  /* An item id and a dossier code find their item. */
  search_for (window, "rr261101374vn");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  search_for (window, "000.00.05.H26-261111");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);

  /* A typed item id and Enter open the item, as a scan will. */
  search_for (window, "rr261101374vn");
  g_signal_emit_by_name (get (window, "search_entry"), "activate");
  g_assert_true (TT_IS_ITEM_PAGE (visible_page (window)));
  g_assert_cmpstr (tt_item_page_get_item (TT_ITEM_PAGE (visible_page (window)))->id, ==,
                   "RR261101374VN");
  gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL);
  g_assert_true (visible_page (window) == get (window, "route_page"));

  /* Nothing found says so, with the query. */
  search_for (window, "zzzz không có");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "no-results");
  g_assert_nonnull (strstr (adw_status_page_get_description (ADW_STATUS_PAGE (get (window, "no_results_page"))),
                            "zzzz không có"));
  g_assert_cmpstr (adw_status_page_get_icon_name (ADW_STATUS_PAGE (get (window, "no_results_page"))), ==,
                   "edit-find-symbolic");
  /* Markup characters typed by the courier are shown as typed (a markup
   * error would be a warning, fatal here). */
  search_for (window, "<b> & a");
  settle (GTK_WIDGET (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "no-results");
  tt_window_show_toast (window, "Tệp <dữ liệu> & đường dẫn");
  settle (GTK_WIDGET (window));

  /* Enter with several hits opens nothing. */
  g_signal_emit_by_name (get (window, "search_entry"), "activate");
  g_assert_true (visible_page (window) == get (window, "route_page"));

  search_for (window, "");
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 44);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "list");

  /* Ctrl+F comes back to the search from an item page. */
  g_assert_true (tt_window_open_item (window, "RR261101003VN"));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  g_assert_true (visible_page (window) == get (window, "route_page"));
  g_assert_true (gtk_widget_has_focus (get (window, "search_entry"))
                 || gtk_widget_is_ancestor (gtk_root_get_focus (GTK_ROOT (window)), get (window, "search_entry")));
}

static void
test_search (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();

  run_app (dir, TRUE, body_search);
}

static void
body_filters (TtApplication *app,
              TtWindow      *window)
{
  TtStore *store = tt_application_get_store (app);
  GListModel *model = list_model (window);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;

  tap (get (window, "filter_pickups"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr(TtItem) item = g_list_model_get_item (model, i);

      g_assert_cmpint (item->kind, ==, TT_ITEM_KIND_PICKUP);
    }

  /* A status recorded in the store moves the item between lists and
   * updates every count, without rebuilding the list. */
  tap (get (window, "filter_done"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 0);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (get (window, "list_stack"))), ==,
                   "no-results");
  g_assert_true (tt_store_set_item_status (store, "RR261101374VN", TT_ITEM_STATUS_DELIVERED, &error));
  g_assert_no_error (error);
  g_assert_true (tt_store_set_item_status (store, "RR261101745VN", TT_ITEM_STATUS_FAILED, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  settle (GTK_WIDGET (window));
  names = shown_names (window);
  g_assert_cmpuint (names->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "Trần Thị Bích Ngọc");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (get (window, "count_done"))), ==, "1");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (get (window, "count_failed"))), ==, "1");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (get (window, "count_todo"))), ==, "42");
  g_assert_cmpstr (adw_window_title_get_title (ADW_WINDOW_TITLE (get (window, "window_title"))),
                   ==, "42 to do");
  g_assert_cmpstr (adw_window_title_get_subtitle (ADW_WINDOW_TITLE (get (window, "window_title"))),
                   ==, "1 delivered · 1 failed");

  tap (get (window, "filter_failed"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  tap (get (window, "filter_todo"));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 42);

  /* Filters and search combine. */
  search_for_n (window, "ha noi", 8);
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(TtItem) item = g_list_model_get_item (model, i);

      g_assert_cmpint (item->status, ==, TT_ITEM_STATUS_PENDING);
      g_assert_cmpstr (item->province, ==, "Hà Nội");
    }
  screenshot (GTK_WIDGET (window), "filter-portrait.png", 360, 720);
}

static void
test_filters (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();

  run_app (dir, TRUE, body_filters);
}

/* A handled item offers no action that could only answer "already
 * recorded": it says what happened instead.  A failed one can be tried
 * again. */
static void
body_item_done (TtApplication *app,
                TtWindow      *window)
{
  TtStore *store = tt_application_get_store (app);
  g_autoptr(GError) error = NULL;
  g_autofree char *pickup_id = NULL;

  g_assert_true (tt_window_open_item (window, "RR261101374VN"));
  settle (GTK_WIDGET (window));
  g_assert_true (gtk_widget_is_visible (get (window, "deliver_button")));
  g_assert_false (gtk_widget_get_visible (get (window, "done_label")));

  g_assert_true (tt_store_set_item_status (store, "RR261101374VN", TT_ITEM_STATUS_DELIVERED, &error));
  g_assert_no_error (error);
  settle (GTK_WIDGET (window));
  g_assert_false (gtk_widget_get_visible (get (window, "action_bar")));
  g_assert_false (gtk_widget_is_visible (get (window, "deliver_button")));
  g_assert_true (gtk_widget_is_visible (get (window, "done_label")));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (get (window, "done_label"))), "Delivered"));
  assert_touch_targets (GTK_WIDGET (window));
  screenshot (GTK_WIDGET (window), "item-delivered-portrait.png", 360, 720);

  g_assert_true (tt_store_set_item_status (store, "RR261101374VN", TT_ITEM_STATUS_FAILED, &error));
  g_assert_no_error (error);
  settle (GTK_WIDGET (window));
  g_assert_false (gtk_widget_get_visible (get (window, "done_label")));
  g_assert_true (gtk_widget_is_visible (get (window, "fail_button")));
  g_assert_true (gtk_widget_is_sensitive (get (window, "deliver_button")));

  /* A dossier already taken in offers no second intake. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL);
  settle (GTK_WIDGET (window));
  tap (get (window, "filter_pickups"));
  {
    g_autoptr(TtItem) item = g_list_model_get_item (list_model (window), 0);

    pickup_id = g_strdup (item->id);
  }
  g_assert_true (tt_store_set_item_status (store, pickup_id, TT_ITEM_STATUS_COLLECTED, &error));
  g_assert_no_error (error);
  g_assert_true (tt_window_open_item (window, pickup_id));
  settle (GTK_WIDGET (window));
  g_assert_false (gtk_widget_is_visible (find_by_id (visible_page (window), "intake_button")));
  g_assert_true (gtk_widget_is_visible (find_by_id (visible_page (window), "done_label")));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (find_by_id (visible_page (window), "done_label"))), "taken in"));
}

static void
test_item_done (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();

  run_app (dir, TRUE, body_item_done);
}

static guint
count_action_rows (GtkWidget *widget)
{
  guint n = ADW_IS_ACTION_ROW (widget) ? 1 : 0;

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    n += count_action_rows (c);
  return n;
}

static void
body_item_page (TtApplication *app,
                TtWindow      *window)
{
  GtkWidget *page;
  TtItem *item;
  g_autofree char *total = tt_text_format_vnd (125000);

  /* A tap on the first row opens its page. */
  gtk_widget_activate_action (get (window, "route_list"), "list.activate-item", "u", 0);
  page = visible_page (window);
  g_assert_true (TT_IS_ITEM_PAGE (page));
  item = tt_item_page_get_item (TT_ITEM_PAGE (page));
  g_assert_cmpstr (item->id, ==, "RR261101003VN");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_by_id (page, "name_label"))), ==,
                   "Nguyễn Văn Ánh");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_by_id (page, "address_label"))), ==,
                   "12 Phố Đội Cấn, Phường Ba Đình, Hà Nội");
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (find_by_id (page, "district_row"))),
                   ==, "Quận Ba Đình");
  g_assert_cmpstr (gtk_link_button_get_uri (GTK_LINK_BUTTON (find_by_id (page, "call_button"))), ==,
                   "tel:0911234567");
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_by_id (page, "total_label"))), ==, total);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_by_id (page, "summary_total_label"))), ==,
                   total);
  g_assert_true (gtk_widget_get_visible (find_by_id (page, "deliver_button")));
  g_assert_false (gtk_widget_get_visible (find_by_id (page, "intake_button")));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (find_by_id (page, "deliver_button"))),
                   ==, "win.deliver");
  g_assert_cmpstr (g_variant_get_string (gtk_actionable_get_action_target_value (
                     GTK_ACTIONABLE (find_by_id (page, "deliver_button"))), NULL), ==, item->id);
  assert_touch_targets (GTK_WIDGET (window));
  screenshot (GTK_WIDGET (window), "item-portrait.png", 360, 720);

  /* The status shown follows the store. */
  g_assert_true (gtk_widget_is_sensitive (find_by_id (page, "deliver_button")));
  g_assert_true (tt_store_set_item_status (tt_application_get_store (app), item->id,
                                           TT_ITEM_STATUS_DELIVERED, NULL));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_by_id (page, "status_label"))), ==,
                   "Delivered");
  g_assert_false (gtk_widget_is_visible (find_by_id (page, "deliver_button")));
  g_assert_true (gtk_widget_is_visible (find_by_id (page, "done_label")));

  /* Back to the route; the page is dropped. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL);
  g_assert_true (visible_page (window) == get (window, "route_page"));
  settle (GTK_WIDGET (window));
  wait_until (only_route_page, window, "the item page is dropped");

  /* A pickup with a war-invalid-style exemption and a checklist. */
  g_assert_true (tt_window_open_item (window, "EE261102114VN"));
  page = visible_page (window);
  item = tt_item_page_get_item (TT_ITEM_PAGE (page));
  g_assert_cmpint (item->kind, ==, TT_ITEM_KIND_PICKUP);
  g_assert_true (gtk_widget_get_visible (find_by_id (page, "intake_button")));
  g_assert_false (gtk_widget_get_visible (find_by_id (page, "deliver_button")));
  g_assert_true (gtk_widget_get_visible (find_by_id (page, "checklist_group")));
  g_assert_true (gtk_widget_get_visible (find_by_id (page, "exemption_row")));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (find_by_id (page, "exemption_row"))),
                   ==, "Vietnamese Heroic Mother");
  screenshot (GTK_WIDGET (window), "pickup-portrait.png", 360, 720);
  set_window_size (GTK_WIDGET (window), 720, 360);
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (find_by_id (page, "content_box"))),
                   ==, GTK_ORIENTATION_HORIZONTAL);
  assert_touch_targets (GTK_WIDGET (window));
  screenshot (GTK_WIDGET (window), "pickup-landscape.png", 720, 360);

  /* Back upright, the buttons return to the bottom. */
  set_window_size (GTK_WIDGET (window), 360, 720);
  g_assert_false (tt_window_get_landscape (window));
  g_assert_cmpint (gtk_orientable_get_orientation (GTK_ORIENTABLE (find_by_id (page, "content_box"))),
                   ==, GTK_ORIENTATION_VERTICAL);

  /* Scan after scan the one page is filled in again: nothing of the
   * previous item stays (checklist rows, phone, buttons), and it follows
   * only the item it shows. */
  g_assert_cmpuint (count_action_rows (find_by_id (page, "checklist_group")), ==, 4);
  g_assert_true (tt_window_open_item (window, "EE261115064VN"));
  g_assert_true (visible_page (window) == page);
  g_assert_cmpuint (count_action_rows (find_by_id (page, "checklist_group")), ==, 2);
  g_assert_true (tt_window_open_item (window, "RR261102851VN"));
  g_assert_true (visible_page (window) == page);
  g_assert_cmpstr (tt_item_page_get_item (TT_ITEM_PAGE (page))->id, ==, "RR261102851VN");
  g_assert_false (gtk_widget_get_visible (find_by_id (page, "checklist_group")));
  g_assert_false (gtk_widget_get_visible (find_by_id (page, "phone_row")));
  g_assert_true (gtk_widget_get_visible (find_by_id (page, "deliver_button")));
  g_assert_false (gtk_widget_get_visible (find_by_id (page, "intake_button")));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_by_id (page, "kind_label"))), ==, "Delivery");
  g_assert_true (tt_window_open_item (window, "EE261102114VN"));
  g_assert_cmpuint (count_action_rows (find_by_id (page, "checklist_group")), ==, 4);
  g_assert_true (gtk_widget_get_visible (find_by_id (page, "phone_row")));
  g_assert_true (tt_store_set_item_status (tt_application_get_store (app), "RR261102851VN",
                                           TT_ITEM_STATUS_DELIVERED, NULL));
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_by_id (page, "status_label"))), ==, "To do");
  g_assert_true (gtk_widget_is_visible (find_by_id (page, "intake_button")));

  /* An id that is not on the route opens nothing. */
  g_assert_false (tt_window_open_item (window, "RR123456785VN"));
  g_assert_true (visible_page (window) == page);

  /* Pages pushed by other parts stack on top; opening an item (a scan)
   * drops them all: one route page, one item page. */
  tt_window_push_page (window, gtk_label_new ("a"));
  tt_window_push_page (window, gtk_label_new ("b"));
  g_assert_true (tt_window_open_item (window, "RR261101003VN"));
  wait_until (two_pages, window, "the pushed pages are dropped");
  tt_window_pop_page (window);
  wait_until (only_route_page, window, "the item page is dropped");
  tt_window_pop_page (window);
  g_assert_true (visible_page (window) == get (window, "route_page"));
}

/* A route with awkward data: markup characters, an unknown exemption
 * code, no phone, no location, no dossier code. */
static const char odd_route[] =
  "{\"version\": 1, \"route\": {\"id\": \"R-ODD\", \"date\": \"2026-11-25\"}, \"items\": ["
  "{\"id\": \"RR123456785VN\", \"kind\": \"delivery\", \"seq\": 1,"
  " \"procedure\": \"Cấp <bản sao> & trích lục\", \"recipient_name\": \"Lê <Văn> & Tí\","
  " \"street\": \"1 <Ngõ> & Hẻm\", \"commune\": \"Phường Ba Đình\", \"province\": \"Hà Nội\","
  " \"fee_vnd\": 8000, \"postage_vnd\": 25000, \"beneficiary\": \"<veteran> & co\"},"
  "{\"id\": \"EE473124829VN\", \"kind\": \"delivery\", \"seq\": 2,"
  " \"procedure\": \"Cấp phiếu lý lịch tư pháp\", \"recipient_name\": \"Trần Văn Bình\","
  " \"street\": \"2 Phố Huế\", \"commune\": \"Phường Hai Bà Trưng\", \"province\": \"Hà Nội\"}"
  "]}";

static void
body_odd_route (TtApplication *app,
                TtWindow      *window)
{
  TtStore *store = tt_application_get_store (app);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) names = NULL;
  GtkWidget *page;
  g_autofree char *total = tt_text_format_vnd (8000 + 25000);

  /* The demo route is open on an item when a new route arrives. */
  g_assert_true (tt_window_open_item (window, "RR261101003VN"));
  g_assert_true (tt_store_load_manifest (store, odd_route, -1, &error));
  g_assert_no_error (error);
  g_assert_true (visible_page (window) == get (window, "route_page"));
  g_assert_cmpuint (g_list_model_get_n_items (list_model (window)), ==, 2);
  settle (GTK_WIDGET (window));
  names = shown_names (window);
  g_assert_cmpstr (g_ptr_array_index (names, 0), ==, "Lê <Văn> & Tí");

  g_assert_true (tt_window_open_item (window, "RR123456785VN"));
  page = visible_page (window);
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_by_id (page, "name_label"))), ==,
                   "Lê <Văn> & Tí");
  g_assert_false (gtk_widget_get_visible (find_by_id (page, "phone_row")));
  g_assert_false (gtk_widget_get_visible (find_by_id (page, "dossier_row")));
  g_assert_false (gtk_widget_get_visible (find_by_id (page, "district_row")));
  g_assert_true (gtk_widget_get_visible (find_by_id (page, "exemption_row")));
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (find_by_id (page, "exemption_row"))),
                   ==, "Unknown beneficiary category");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (find_by_id (page, "exemption_row"))),
                            "<veteran> & co"));
  /* An unknown category takes nothing off. */
  g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (find_by_id (page, "total_label"))), ==, total);
  screenshot (GTK_WIDGET (window), "odd-item-portrait.png", 360, 720);

  /* The same route again, re-read: the page follows the new item object. */
  g_assert_true (tt_store_load_manifest (store, odd_route, -1, &error));
  g_assert_no_error (error);
  g_assert_true (TT_IS_ITEM_PAGE (visible_page (window)));
  g_assert_true (visible_page (window) == page);
  g_assert_true (tt_item_page_get_item (TT_ITEM_PAGE (visible_page (window)))
                 == tt_route_model_lookup (tt_application_get_route_model (app), "RR123456785VN", NULL));
}

static void
test_odd_route (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();

  run_app (dir, TRUE, body_odd_route);
}

static void
test_item_page (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();

  run_app (dir, TRUE, body_item_page);
}

static void
body_empty (TtApplication *app,
            TtWindow      *window)
{
  GtkStack *list_stack = GTK_STACK (get (window, "list_stack"));
  TtStore *store = tt_application_get_store (app);

  /* sync: a first start opens the enrollment page; "Not Now" leads to
   * the empty route. */
  g_assert_true (TT_IS_ENROLL_PAGE (visible_page (window)));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL);
  g_assert_true (visible_page (window) == get (window, "route_page"));
  settle (GTK_WIDGET (window));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "empty");
  g_assert_cmpstr (adw_status_page_get_icon_name (ADW_STATUS_PAGE (get (window, "empty_page"))), ==,
                   "mail-send-symbolic");
  g_assert_cmpuint (g_list_model_get_n_items (list_model (window)), ==, 0);
  g_assert_false (gtk_widget_get_visible (get (window, "tools_box")));
  screenshot (GTK_WIDGET (window), "empty-portrait.png", 360, 720);

  tap (get (window, "demo_button"));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (list_stack), ==, "list");
  g_assert_true (gtk_widget_get_visible (get (window, "tools_box")));
  g_assert_cmpuint (g_list_model_get_n_items (list_model (window)), ==, 44);

  /* Once a route is there, the demo never replaces it. */
  g_assert_true (tt_store_set_item_status (store, "RR261101003VN", TT_ITEM_STATUS_DELIVERED, NULL));
  gtk_widget_activate_action (GTK_WIDGET (window), "win.load-demo", NULL);
  g_assert_cmpuint (tt_store_count_items (store), ==, 44);
  {
    g_autoptr(TtItem) item = tt_store_get_item (store, "RR261101003VN", NULL);

    g_assert_cmpint (item->status, ==, TT_ITEM_STATUS_DELIVERED);
  }
}

static void
test_empty_state (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();

  run_app (dir, FALSE, body_empty);
}

static const char *expected_error;
static gboolean expect_left_alone;

static void
body_error (TtApplication *app,
            TtWindow      *window)
{
  const char *description;

  g_assert_null (tt_application_get_store (app));
  g_assert_cmpstr (gtk_stack_get_visible_child_name (GTK_STACK (get (window, "main_stack"))), ==,
                   "error");
  g_assert_cmpstr (adw_status_page_get_icon_name (ADW_STATUS_PAGE (get (window, "error_page"))), ==,
                   "dialog-error-symbolic");
  description = adw_status_page_get_description (ADW_STATUS_PAGE (get (window, "error_page")));
  g_test_message ("error page: %s", description);
  g_assert_nonnull (strstr (description, expected_error));
  if (expect_left_alone)
    g_assert_nonnull (strstr (description, "left as it is"));
  g_assert_false (tt_window_open_item (window, "RR261101003VN"));
  screenshot (GTK_WIDGET (window), "error-portrait.png", 360, 720);
}

static void
test_damaged_store (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "tantay.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GString) junk = g_string_new (NULL);

  for (guint i = 0; i < 512; i++)
    g_string_append (junk, "not a database, but the courier's file all the same\n");
  g_assert_true (g_file_set_contents (path, junk->str, junk->len, NULL));
  before = tt_test_file_checksum (path);

  /* Even with --demo: a damaged file is never replaced. */
  expected_error = "damaged";
  expect_left_alone = TRUE;
  run_app (dir, TRUE, body_error);
  after = tt_test_file_checksum (path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_newer_store (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "tantay.db", NULL);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  sqlite3 *db = NULL;

  {
    g_autoptr(TtStore) store = tt_store_open (path, NULL);

    g_assert_nonnull (store);
  }
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  before = tt_test_file_checksum (path);

  expected_error = "newer version";
  expect_left_alone = TRUE;
  run_app (dir, TRUE, body_error);
  after = tt_test_file_checksum (path);
  g_assert_cmpstr (before, ==, after);
}

/* A data folder that cannot be created (its parent is a file). */
static void
test_unusable_folder (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *file = g_build_filename (dir, "not-a-folder", NULL);
  g_autofree char *data_dir = g_build_filename (file, "tantay", NULL);

  g_assert_true (g_file_set_contents (file, "x", 1, NULL));
  expected_error = "Cannot create the data folder";
  expect_left_alone = FALSE;
  run_app (data_dir, TRUE, body_error);
  g_assert_false (g_file_test (data_dir, G_FILE_TEST_EXISTS));
}

static gboolean
name_has_owner (gpointer data)
{
  g_autoptr(GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (data, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "NameHasOwner",
                                       g_variant_new ("(s)", APP_ID), G_VARIANT_TYPE ("(b)"),
                                       G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

static void
on_exited (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Without --data-dir the app is unique on the session bus: a second start
 * hands over to the first and ends, and the first can be driven over
 * D-Bus (as D-Bus activation from the desktop file does). */
static void
test_unique (void)
{
  g_autofree char *home = tt_test_make_tmpdir ();
  g_autofree char *binary = g_build_filename (g_getenv ("TT_BUILD_ROOT"), "src", "ui", "tantay", NULL);
  g_autofree char *db = g_build_filename (home, "tantay", "tantay.db", NULL);
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_NONE);
  g_autoptr(GDBusConnection) bus = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, NULL);
  g_autoptr(GSubprocess) first = NULL;
  g_autoptr(GSubprocess) second = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  gboolean first_done = FALSE, second_done = FALSE;

  g_assert_nonnull (bus);
  g_assert_false (name_has_owner (bus));
  /* The default data folder, moved into a temporary home. */
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", home, TRUE);

  first = g_subprocess_launcher_spawn (launcher, &error, binary, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (first, NULL, on_exited, &first_done);
  wait_until (name_has_owner, bus, "the app owns its name on the bus");

  second = g_subprocess_launcher_spawn (launcher, &error, binary, NULL);
  g_assert_no_error (error);
  g_subprocess_wait_async (second, NULL, on_exited, &second_done);
  wait_until (is_true, &second_done, "the second start hands over and ends");
  g_assert_true (g_subprocess_get_successful (second));
  g_assert_false (first_done);

  reply = g_dbus_connection_call_sync (bus, APP_ID, "/io/github/tantay/TanTay", "org.gtk.Actions",
                                       "Activate",
                                       g_variant_new ("(sava{sv})", "quit", NULL, NULL), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
  wait_until (is_true, &first_done, "the app quits");
  g_assert_true (g_subprocess_get_successful (first));
  g_assert_true (g_file_test (db, G_FILE_TEST_IS_REGULAR));
}

static void
assert_fits_upright (TtWindow *window)
{
  settle (GTK_WIDGET (window));
  if (surface_width (GTK_WIDGET (window)) != 360)
    g_error ("In Vietnamese the window needs %d px, more than a phone's 360",
             surface_width (GTK_WIDGET (window)));
  assert_touch_targets (GTK_WIDGET (window));
}

static void
body_vietnamese (TtApplication *app,
                 TtWindow      *window)
{
  TtStore *store = tt_application_get_store (app);

  /* The test runs in Vietnamese only if the translations were found. */
  g_assert_cmpstr (C_("status", "To do"), !=, "To do");

  g_assert_true (tt_store_set_item_status (store, "RR261101374VN", TT_ITEM_STATUS_FAILED, NULL));
  g_assert_true (tt_store_set_item_status (store, "RR261101003VN", TT_ITEM_STATUS_DELIVERED, NULL));
  assert_fits_upright (window);
  screenshot (GTK_WIDGET (window), "route-portrait-vi.png", 360, 720);

  g_assert_true (tt_window_open_item (window, "RR261101745VN"));
  assert_fits_upright (window);
  screenshot (GTK_WIDGET (window), "item-portrait-vi.png", 360, 720);
  g_assert_true (tt_window_open_item (window, "EE261102114VN"));
  assert_fits_upright (window);
  screenshot (GTK_WIDGET (window), "pickup-portrait-vi.png", 360, 720);

  set_window_size (GTK_WIDGET (window), 720, 360);
  assert_touch_targets (GTK_WIDGET (window));
  screenshot (GTK_WIDGET (window), "pickup-landscape-vi.png", 720, 360);
  tt_window_pop_page (window);
  screenshot (GTK_WIDGET (window), "route-landscape-vi.png", 720, 360);
  set_window_size (GTK_WIDGET (window), 360, 720);

  tap (get (window, "filter_failed"));
  search_for_n (window, "khong co", 0);
  assert_fits_upright (window);
}

/* Vietnamese is longer than English: everything still fits a phone.  Run
 * in a child process, which alone switches to Vietnamese. */
static void
test_vietnamese (void)
{
  g_autofree char *dir = NULL;
  g_autofree char *po = g_build_filename (g_getenv ("TT_BUILD_ROOT"), "po", NULL);
  g_autofree char *mo = g_build_filename (po, "vi", "LC_MESSAGES", GETTEXT_PACKAGE ".mo", NULL);

  if (!g_test_subprocess ())
    {
      g_assert_true (g_file_test (mo, G_FILE_TEST_IS_REGULAR));
      g_setenv ("LANGUAGE", "vi", TRUE);
      g_test_trap_subprocess (NULL, 120 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_INHERIT_STDERR);
      g_unsetenv ("LANGUAGE");
      g_test_trap_assert_passed ();
      return;
    }

  dir = tt_test_make_tmpdir ();
  bindtextdomain (GETTEXT_PACKAGE, po);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  run_app (dir, TRUE, body_vietnamese);
}

typedef struct
{
  GTestFunc func;
  gboolean  animated;
} Variant;

static void
run_variant (gconstpointer data)
{
  const Variant *v = data;

  animated = v->animated;
  v->func ();
}

static void
add_test (const char *name,
          GTestFunc   func)
{
  for (int a = 0; a < 2; a++)
    {
      Variant *v = g_new0 (Variant, 1);
      g_autofree char *path = g_strdup_printf ("/app/%s%s", a ? "animated/" : "", name);

      v->func = func;
      v->animated = a;
      g_test_add_data_func_full (path, v, run_variant, g_free);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  add_test ("route-list", test_route_list);
  add_test ("search", test_search);
  add_test ("filters", test_filters);
  add_test ("item-page", test_item_page);
  add_test ("item-done", test_item_done);
  add_test ("odd-route", test_odd_route);
  add_test ("empty-state", test_empty_state);
  add_test ("damaged-store", test_damaged_store);
  add_test ("newer-store", test_newer_store);
  add_test ("unusable-folder", test_unusable_folder);
  g_test_add_func ("/app/unique", test_unique);
  g_test_add_func ("/app/no-svg-on-start", test_no_svg);
  g_test_add_func ("/app/vietnamese", test_vietnamese);
  return g_test_run ();
}
