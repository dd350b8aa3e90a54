/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What a scan does in the real app window under Xvfb: a wedge scan opens
 * the item, an unknown item can be noted, the load check fills the bag,
 * a citizen ID goes to whoever asks for it, the camera page reads a code
 * and the typed-code entry checks as it goes. */
#include "config.h"

#include <glib/gstdio.h>
#include <string.h>

#include "tt-application.h"
#include "tt-camera-page.h"
#include "tt-code-entry.h"
#include "tt-code.h"
#include "tt-delivery-page.h"
#include "tt-failure-page.h"
#include "tt-item-page.h"
#include "tt-scan-router.h"
#include "tt-test-util.h"
#include "tt-window.h"

typedef void (*AppBody) (TtApplication *app,
                         TtWindow      *window);

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

static void
spin (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
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
      spin (10);
    }
}

static GtkWidget *
visible_page (TtWindow *window)
{
  GtkWidget *w = GTK_WIDGET (window);

  /* The leaflet is the only one in the window. */
  for (GtkWidget *c = gtk_widget_get_first_child (w); c != NULL;)
    {
      if (ADW_IS_LEAFLET (c))
        return adw_leaflet_get_visible_child (ADW_LEAFLET (c));
      if (gtk_widget_get_first_child (c) != NULL)
        c = gtk_widget_get_first_child (c);
      else
        {
          while (c != w && gtk_widget_get_next_sibling (c) == NULL)
            c = gtk_widget_get_parent (c);
          if (c == w)
            break;
          c = gtk_widget_get_next_sibling (c);
        }
    }
  g_error ("no leaflet");
}

static gboolean
pages_still (gpointer data)
{
  GtkWidget *page = visible_page (data);
  GtkWidget *leaflet = gtk_widget_get_parent (page);

  return !adw_leaflet_get_child_transition_running (ADW_LEAFLET (leaflet));
}

/* Scans @text as the wedge scanner would deliver it, and waits for any
 * page it opens to have slid in. */
static void
scan (TtWindow   *window,
      const char *text)
{
  tt_scan_router_handle (tt_window_get_scan_router (window), text, -1);
  spin (20);
  wait_until (pages_still, window, 5, "the pages stand still");
}

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_type (c, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0
      && gtk_widget_get_mapped (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c, label);

      if (found != NULL)
        return found;
    }
  return NULL;
}

/* Saves the screen into <build>/tests/screenshots/@name. */
static void
screenshot (const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  const char *argv[] = { "import", "-window", "root", "-crop", "360x720+0+0", "+repage", path, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_mkdir_with_parents (dir, 0755);
  spin (300);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_test_message ("screenshot: %s", path);
}

typedef struct
{
  AppBody  body;
  gboolean ran;
} Run;

static void
on_activate (GApplication *app,
             Run          *run)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (TT_IS_WINDOW (window));
  spin (200);
  run->body (TT_APPLICATION (app), TT_WINDOW (window));
  run->ran = TRUE;
  g_application_quit (app);
}

static void
run_app (AppBody body)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autoptr(TtApplication) app = tt_application_new ();
  Run run = { body, FALSE };
  const char *argv[] = { "tantay", "--data-dir", dir, "--demo", NULL };

  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 4, (char **) argv), ==, 0);
  g_assert_true (run.ran);
}

static TtItem *
route_item (TtApplication *app,
            guint          index)
{
  return g_list_model_get_item (G_LIST_MODEL (tt_application_get_route_model (app)), index);
}

static guint
count_events (TtApplication *app,
              const char    *type,
              const char    *item_id)
{
  g_autoptr(GPtrArray) events = tt_store_list_events (tt_application_get_store (app), -1, 0, NULL);
  guint n = 0;

  for (guint i = 0; i < events->len; i++)
    {
      TtEvent *e = events->pdata[i];

      if (g_str_equal (e->type, type) && (item_id == NULL || g_strcmp0 (e->item_id, item_id) == 0))
        n++;
    }
  return n;
}

static gboolean
subprocess_done (gpointer data)
{
  return g_subprocess_get_identifier (data) == NULL;
}

/* Runs a command while the main loop goes on (the window must answer
 * the X server meanwhile). */
static void
run_command (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);

  g_assert_no_error (error);
  wait_until (subprocess_done, p, 20, argv[1]);
  g_assert_true (g_subprocess_get_successful (p));
}

static gboolean
item_page_shown (gpointer data)
{
  return TT_IS_ITEM_PAGE (visible_page (data));
}

/* xdotool types the id 5 ms apart with Enter, into the focused search
 * entry: the item page opens and the search is left as it was. */
static void
body_wedge_opens_item (TtApplication *app,
                       TtWindow      *window)
{
  g_autoptr(TtItem) item = route_item (app, 3);
  g_autofree char *text = g_strdup_printf ("%s\n", item->id);
  g_autofree char *title = g_strdup_printf ("tt-scan-window-%d", (int) getpid ());
  g_autofree char *pattern = g_strdup_printf ("^%s$", title);
  GtkWidget *focus;
  const char *focus_argv[] = { "xdotool", "search", "--sync", "--name", pattern, "windowfocus", "--sync", NULL };
  const char *type_argv[] = { "xdotool", "type", "--delay", "5", text, NULL };

  gtk_window_set_title (GTK_WINDOW (window), title);
  spin (50);
  run_command (focus_argv);
  spin (100);
  gtk_widget_activate_action (GTK_WIDGET (window), "win.search", NULL);
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (GTK_IS_EDITABLE (focus));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (focus)), ==, "");

  run_command (type_argv);
  wait_until (item_page_shown, window, 5, "the item page opens");
  g_assert_cmpstr (tt_item_page_get_item (TT_ITEM_PAGE (visible_page (window)))->id, ==, item->id);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (focus)), ==, "");
  g_assert_nonnull (strstr (tt_scan_router_get_message (tt_window_get_scan_router (window)), item->id));
}

static void
test_wedge_opens_item (void)
{
  run_app (body_wedge_opens_item);
}

/* An envelope that is not on the route: said so, and noted on request. */
static void
body_not_on_route (TtApplication *app,
                   TtWindow      *window)
{
  TtScanRouter *router = tt_window_get_scan_router (window);
  g_autofree char *stranger = tt_code_s10_make ("CP", 99999999, "VN");
  GtkWidget *page = visible_page (window);
  GtkWidget *note;

  scan (window, stranger);
  g_assert_nonnull (strstr (tt_scan_router_get_message (router), "not on today’s route"));
  g_assert_true (visible_page (window) == page);
  g_assert_cmpuint (count_events (app, TT_EVENT_NOT_ON_ROUTE, stranger), ==, 0);

  spin (300);
  note = find_button (GTK_WIDGET (window), "_Note it");
  g_assert_nonnull (note);
  g_signal_emit_by_name (note, "clicked");
  spin (50);
  g_assert_cmpuint (count_events (app, TT_EVENT_NOT_ON_ROUTE, stranger), ==, 1);
  g_assert_nonnull (strstr (tt_scan_router_get_message (router), "Noted"));
}

static void
test_not_on_route (void)
{
  run_app (body_not_on_route);
}

/* Bad scans: the message quotes what was scanned, nothing changes. */
static void
body_bad_scan (TtApplication *app,
               TtWindow      *window)
{
  TtScanRouter *router = tt_window_get_scan_router (window);
  GtkWidget *page = visible_page (window);
  guint events = tt_store_count_events (tt_application_get_store (app), TT_EVENT_STATE_PENDING);

  scan (window, "RR123456784VN");
  g_assert_nonnull (strstr (tt_scan_router_get_message (router), "“RR123456784VN”"));
  g_assert_nonnull (strstr (tt_scan_router_get_message (router), "check digit"));
  tt_scan_router_handle (router, "\xff\xfe\x00zz", 5);
  g_assert_nonnull (strstr (tt_scan_router_get_message (router), "\\xFF\\xFE\\x00zz"));
  tt_scan_router_handle (router, "", 0);
  g_assert_nonnull (strstr (tt_scan_router_get_message (router), "nothing was scanned"));
  g_assert_true (visible_page (window) == page);
  g_assert_cmpuint (tt_store_count_events (tt_application_get_store (app), TT_EVENT_STATE_PENDING), ==,
                    events);
}

static void
test_bad_scan (void)
{
  run_app (body_bad_scan);
}

/* Load check: each envelope scanned goes into the bag once, with its
 * event; a stranger is flagged; the summary counts both. */
static void
body_load_check (TtApplication *app,
                 TtWindow      *window)
{
  TtScanRouter *router = tt_window_get_scan_router (window);
  TtStore *store = tt_application_get_store (app);
  g_autofree char *stranger = tt_code_s10_make ("CP", 99999998, "VN");
  g_autoptr(TtItem) a = route_item (app, 0);
  g_autoptr(TtItem) b = route_item (app, 1);
  g_autoptr(TtItem) c = route_item (app, 2);
  GtkWidget *page = visible_page (window);

  gtk_widget_activate_action (GTK_WIDGET (window), "scan.load-check", NULL);
  g_assert_true (tt_scan_router_get_load_check (router));

  scan (window, a->id);
  scan (window, b->id);
  /* Typed in lower case with spaces, or as a tracking link. */
  {
    g_autofree char *lower = g_ascii_strdown (c->id, -1);
    g_autofree char *link = g_strdup_printf ("https://tracking.example.vn/track/%s", c->id);

    scan (window, lower);
    scan (window, link);
    g_assert_nonnull (strstr (tt_scan_router_get_message (router), "already in the bag"));
  }
  scan (window, stranger);
  g_assert_nonnull (strstr (tt_scan_router_get_message (router), "keep it out of the bag"));

  /* No page opened during the check. */
  g_assert_true (visible_page (window) == page);
  for (guint i = 0; i < 3; i++)
    {
      const char *id = (i == 0 ? a : i == 1 ? b : c)->id;
      g_autoptr(TtItem) stored = tt_store_get_item (store, id, NULL);

      g_assert_cmpint (stored->status, ==, TT_ITEM_STATUS_OUT);
      g_assert_cmpuint (count_events (app, TT_EVENT_OUT_FOR_DELIVERY, id), ==, 1);
    }

  gtk_widget_activate_action (GTK_WIDGET (window), "scan.load-check", NULL);
  g_assert_false (tt_scan_router_get_load_check (router));
  g_assert_cmpstr (tt_scan_router_get_message (router), ==,
                   "Load check done: 3 in the bag, 1 not on the route");

  /* Outside the check a scan opens the item again. */
  scan (window, a->id);
  g_assert_true (TT_IS_ITEM_PAGE (visible_page (window)));

  /* Two scans in quick succession while a page slides in: both are
   * handled, in order, and the last one's page stays. */
  tt_scan_router_handle (router, b->id, -1);
  tt_scan_router_handle (router, c->id, -1);
  spin (20);
  wait_until (pages_still, window, 5, "the pages stand still");
  spin (400);
  wait_until (pages_still, window, 5, "the pages stand still");
  g_assert_cmpstr (tt_item_page_get_item (TT_ITEM_PAGE (visible_page (window)))->id, ==, c->id);
}

static void
test_load_check (void)
{
  run_app (body_load_check);
}

static gboolean
take_cccd (TtWindow *window,
           TtCode   *code,
           GPtrArray *taken)
{
  if (code->kind != TT_CODE_KIND_CCCD)
    return FALSE;
  g_ptr_array_add (taken, g_strdup (code->cccd->id12));
  return TRUE;
}

/* A citizen ID goes to the page that asks for it (the identity check
 * connects to "scanned"); without one the window says what to do. */
static void
body_cccd (TtApplication *app,
           TtWindow      *window)
{
  static const char cccd[] = "001090123456|012345678|NGUYỄN VĂN A|01011990|Nam|Hà Nội|15042021";
  TtScanRouter *router = tt_window_get_scan_router (window);
  g_autoptr(GPtrArray) taken = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(TtItem) item = route_item (app, 0);
  gulong id;

  id = g_signal_connect (window, "scanned", G_CALLBACK (take_cccd), taken);
  scan (window, cccd);
  g_assert_cmpuint (taken->len, ==, 1);
  g_assert_cmpstr (taken->pdata[0], ==, "001090123456");

  /* Item ids still open items while it listens. */
  scan (window, item->id);
  g_assert_true (TT_IS_ITEM_PAGE (visible_page (window)));
  g_signal_handler_disconnect (window, id);

  scan (window, cccd);
  g_assert_cmpuint (taken->len, ==, 1);
  g_assert_nonnull (strstr (tt_scan_router_get_message (router), "Citizen ID"));
  /* No personal data in what the window says. */
  g_assert_null (strstr (tt_scan_router_get_message (router), "NGUY"));
  g_assert_null (strstr (tt_scan_router_get_message (router), "0010901"));
}

static void
test_cccd (void)
{
  run_app (body_cccd);
}

static gboolean
delivery_page_shown (gpointer data)
{
  return TT_IS_DELIVERY_PAGE (visible_page (data));
}

static gboolean
has_text (GtkWidget  *root,
          const char *text)
{
  if (GTK_IS_EDITABLE (root) && g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (root)), text) == 0)
    return TRUE;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c != NULL; c = gtk_widget_get_next_sibling (c))
    if (has_text (c, text))
      return TRUE;
  return FALSE;
}

/* At the door: the delivery page is open, the citizen ID is scanned —
 * by the wedge scanner, then with the camera opened from that page — and
 * lands in the identity check. */
static char *cccd_png;

static void
body_delivery_identity (TtApplication *app,
                        TtWindow      *window)
{
  static const char cccd[] = "079305001234||Trần Thị Bích Ngọc|12032005|Nữ|12 Lê Lợi, TP. Hồ Chí Minh|20052021";
  static const char cccd2[] = "048199001234|LÊ THỊ HOA|05061999|Nữ|Phường Hải Châu, Đà Nẵng|01022022";
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(TtItem) item = route_item (app, 0);
  g_autofree char *escaped = NULL;
  g_autofree char *source = NULL;
  const char *argv[] = { "qrencode", "-s", "6", "-o", cccd_png, cccd2, NULL };
  g_autoptr(GError) error = NULL;
  GtkWidget *delivery;
  int status;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.deliver", "s", item->id);
  wait_until (delivery_page_shown, window, 5, "the delivery page opens");
  wait_until (pages_still, window, 5, "the pages stand still");
  delivery = visible_page (window);

  scan (window, cccd);
  g_assert_true (visible_page (window) == delivery);
  g_assert_true (has_text (delivery, "079305001234"));

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  escaped = g_strescape (cccd_png, NULL);
  source = g_strdup_printf ("filesrc location=\"%s\" ! pngdec ! imagefreeze num-buffers=60"
                            " ! video/x-raw,framerate=30/1 ! identity sync=true", escaped);
  g_settings_set_string (settings, "camera-pipeline", source);
  gtk_widget_activate_action (GTK_WIDGET (window), "scan.camera", NULL);
  /* Pushed at once; it may be gone again soon after, once it has read. */
  g_assert_true (TT_IS_CAMERA_PAGE (visible_page (window)));
  wait_until (delivery_page_shown, window, 10, "the camera page goes back to the delivery");
  wait_until (pages_still, window, 5, "the pages stand still");
  spin (100);
  g_assert_true (visible_page (window) == delivery);
  g_assert_true (has_text (delivery, "048199001234"));
  g_settings_reset (settings, "camera-pipeline");
}

static void
test_delivery_identity (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();

  cccd_png = g_build_filename (dir, "cccd.png", NULL);
  run_app (body_delivery_identity);
  g_clear_pointer (&cccd_png, g_free);
}

static AdwMessageDialog *
find_dialog (void)
{
  g_autoptr(GList) windows = gtk_window_list_toplevels ();

  for (GList *l = windows; l != NULL; l = l->next)
    if (ADW_IS_MESSAGE_DIALOG (l->data) && gtk_widget_get_visible (l->data))
      return l->data;
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
failure_page_shown (gpointer data)
{
  return TT_IS_FAILURE_PAGE (visible_page (data));
}

/* A stray scan of another envelope while a failed attempt is being
 * written down asks before dropping what was entered (the delivery and
 * intake pages already turn such scans away); Keep keeps the page, Leave
 * opens the scanned item. */
static void
body_scan_during_delivery (TtApplication *app,
                           TtWindow      *window)
{
  g_autoptr(TtItem) item = route_item (app, 0);
  g_autoptr(TtItem) other = route_item (app, 3);
  GtkWidget *failure;

  gtk_widget_activate_action (GTK_WIDGET (window), "win.fail-attempt", "s", item->id);
  wait_until (failure_page_shown, window, 5, "the failure page opens");
  wait_until (pages_still, window, 5, "the pages stand still");
  failure = visible_page (window);

  scan (window, other->id);
  wait_until (dialog_shown, window, 5, "the leave question is asked");
  g_assert_true (visible_page (window) == failure);
  adw_message_dialog_response (find_dialog (), "keep");
  spin (100);
  g_assert_true (visible_page (window) == failure);

  scan (window, other->id);
  wait_until (dialog_shown, window, 5, "the leave question is asked again");
  adw_message_dialog_response (find_dialog (), "leave");
  wait_until (item_page_shown, window, 5, "the scanned item opens");
  g_assert_cmpstr (tt_item_page_get_item (TT_ITEM_PAGE (visible_page (window)))->id, ==, other->id);
}

static void
test_scan_during_delivery (void)
{
  run_app (body_scan_during_delivery);
}

/* The camera page, fed by the camera-pipeline setting with a printed
 * label frozen in front of the lens: the item opens by itself. */
static char *camera_png;

static void
body_camera (TtApplication *app,
             TtWindow      *window)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(TtItem) item = route_item (app, 5);
  g_autofree char *escaped = NULL;
  g_autofree char *source = NULL;
  const char *argv[] = { "qrencode", "-s", "6", "-o", camera_png, item->id, NULL };
  g_autoptr(GError) error = NULL;
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL,
                               &status, &error));
  g_assert_no_error (error);
  escaped = g_strescape (camera_png, NULL);
  /* A still photo held in view for 3 s at 30 frames a second. */
  source = g_strdup_printf ("filesrc location=\"%s\" ! pngdec ! imagefreeze num-buffers=90"
                            " ! video/x-raw,framerate=30/1 ! identity sync=true", escaped);
  g_settings_set_string (settings, "camera-pipeline", source);

  gtk_widget_activate_action (GTK_WIDGET (window), "scan.camera", NULL);
  /* Pushed at once; it may be gone again soon after, once it has read. */
  g_assert_true (TT_IS_CAMERA_PAGE (visible_page (window)));
  wait_until (item_page_shown, window, 10, "the camera opens the item");
  g_assert_cmpstr (tt_item_page_get_item (TT_ITEM_PAGE (visible_page (window)))->id, ==, item->id);
  g_settings_reset (settings, "camera-pipeline");
}

static void
test_camera (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();

  camera_png = g_build_filename (dir, "label.png", NULL);
  run_app (body_camera);
  g_clear_pointer (&camera_png, g_free);
}

/* A live picture with nothing to read: the preview shows it and the page
 * says what to do; a typed code is checked as it is typed. */
static void
body_preview (TtApplication *app,
              TtWindow      *window)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  GtkWidget *page;
  GtkWidget *focus;
  GdkPaintable *picture;

  g_settings_set_string (settings, "camera-pipeline",
                         "videotestsrc is-live=true pattern=ball ! video/x-raw,width=640,height=480,framerate=15/1");
  gtk_widget_activate_action (GTK_WIDGET (window), "scan.camera", NULL);
  spin (800);
  page = visible_page (window);
  g_assert_true (TT_IS_CAMERA_PAGE (page));
  g_assert_true (tt_camera_get_running (tt_camera_page_get_camera (TT_CAMERA_PAGE (page))));
  picture = gtk_picture_get_paintable (GTK_PICTURE (find_type (page, GTK_TYPE_PICTURE)));
  g_assert_true (GDK_IS_TEXTURE (picture));
  g_assert_cmpint (gdk_texture_get_width (GDK_TEXTURE (picture)), ==, 640);
  g_assert_cmpstr (tt_camera_page_get_status (TT_CAMERA_PAGE (page)), ==, "Hold the code inside the picture");

  /* The entry does not take the focus while the camera runs: on a phone
   * the on-screen keyboard would cover the picture. */
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_false (focus != NULL && gtk_widget_is_ancestor (focus, find_type (page, TT_TYPE_CODE_ENTRY)));
  gtk_widget_grab_focus (find_type (page, TT_TYPE_CODE_ENTRY));
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (GTK_IS_EDITABLE (focus));
  gtk_editable_set_text (GTK_EDITABLE (focus), "RR12345678");
  screenshot ("scan-camera.png");
  gtk_editable_set_text (GTK_EDITABLE (focus), "RR123456784VN");
  screenshot ("scan-typed-wrong.png");
  g_settings_reset (settings, "camera-pipeline");
}

static void
test_preview (void)
{
  run_app (body_preview);
}

/* No camera: the page says so and offers the typed entry. */
static void
body_no_camera (TtApplication *app,
                TtWindow      *window)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(TtItem) item = route_item (app, 2);
  TtCameraPage *page;
  GtkWidget *focus;

  g_settings_set_string (settings, "camera-pipeline", "v4l2src device=/dev/tt-no-camera");
  gtk_widget_activate_action (GTK_WIDGET (window), "scan.camera", NULL);
  spin (100);
  page = TT_CAMERA_PAGE (visible_page (window));
  g_assert_nonnull (strstr (tt_camera_page_get_status (page), "No camera"));
  screenshot ("scan-no-camera.png");

  /* The typed code works instead. */
  focus = gtk_root_get_focus (GTK_ROOT (window));
  g_assert_true (GTK_IS_EDITABLE (focus));
  gtk_editable_set_text (GTK_EDITABLE (focus), item->id);
  g_signal_emit_by_name (gtk_widget_get_ancestor (focus, GTK_TYPE_ENTRY), "activate");
  wait_until (item_page_shown, window, 5, "the typed code opens the item");
  g_settings_reset (settings, "camera-pipeline");
}

static void
test_no_camera (void)
{
  run_app (body_no_camera);
}

/* Live validation as a courier types a damaged label's code. */
static void
on_entered (TtCodeEntry *entry,
            const char  *text,
            char       **out)
{
  g_free (*out);
  *out = g_strdup (text);
}

static void
test_code_entry (void)
{
  g_autoptr(GtkWidget) entry = g_object_ref_sink (tt_code_entry_new ());
  TtCodeEntry *e = TT_CODE_ENTRY (entry);
  g_autofree char *entered = NULL;
  static const struct { const char *text; gboolean valid; const char *hint; } steps[] = {
    { "", FALSE, "Type the code" },
    { "r", FALSE, "1 of 13" },
    { "rr1234", FALSE, "6 of 13" },
    { "RR12345678", FALSE, "10 of 13" },
    { "RR123456784VN", FALSE, "check digit" },
    { "RR123456785VN", TRUE, "Item RR123456785VN: check digit correct" },
    { "rr 123 456 785 vn", TRUE, "check digit correct" },
    { "RR12X", FALSE, "not an item id" },
    { "000.00.20.H26-240105-0012", TRUE, "Dossier code" },
  };

  g_signal_connect (e, "code-entered", G_CALLBACK (on_entered), &entered);
  for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
    {
      gboolean valid;

      tt_code_entry_set_text (e, steps[i].text);
      g_object_get (e, "valid", &valid, NULL);
      g_assert_cmpint (valid, ==, steps[i].valid);
      g_assert_cmpint (tt_code_entry_get_code (e) != NULL, ==, steps[i].valid);
      if (strstr (tt_code_entry_get_hint (e), steps[i].hint) == NULL)
        g_error ("“%s”: hint “%s” lacks “%s”", steps[i].text, tt_code_entry_get_hint (e), steps[i].hint);
    }

  tt_code_entry_set_text (e, "EE473124829VN");
  g_signal_emit_by_name (gtk_widget_get_first_child (gtk_widget_get_first_child (gtk_widget_get_first_child (entry))),
                         "activate");
  g_assert_cmpstr (entered, ==, "EE473124829VN");
  g_assert_cmpstr (tt_code_entry_get_text (e), ==, "");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  adw_init ();

  g_test_add_func ("/scan-window/wedge-opens-item", test_wedge_opens_item);
  g_test_add_func ("/scan-window/not-on-route", test_not_on_route);
  g_test_add_func ("/scan-window/bad-scan", test_bad_scan);
  g_test_add_func ("/scan-window/load-check", test_load_check);
  g_test_add_func ("/scan-window/cccd", test_cccd);
  g_test_add_func ("/scan-window/camera", test_camera);
  g_test_add_func ("/scan-window/delivery-identity", test_delivery_identity);
  g_test_add_func ("/scan-window/scan-during-delivery", test_scan_during_delivery);
  g_test_add_func ("/scan-window/no-camera", test_no_camera);
  g_test_add_func ("/scan-window/preview", test_preview);
  g_test_add_func ("/scan-window/code-entry", test_code_entry);

  return g_test_run ();
}
