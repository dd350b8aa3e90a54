/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A courier's day at three doors, in the real app under Xvfb, with real
 * input from xdotool (keys typed, pointer clicks and a signature drawn
 * with the pointer): one delivery with a matching ID and a signature,
 * one failed attempt, one dossier taken in with its receipt.  Afterwards
 * the store holds exactly those three events, with the right fields, in
 * an unbroken chain.  Screenshots: BUILD/screenshots/pod-app/. */
#include "config.h"

#include <math.h>
#include <json-glib/json-glib.h>

#include "tt-application.h"
#include "tt-gpsfake.h"
#include "tt-delivery-page.h"
#include "tt-failure-page.h"
#include "tt-intake-page.h"
#include "tt-item-page.h"
#include "tt-receipt-page.h"
#include "tt-scan-router.h"
#include "tt-signature-pad.h"
#include "tt-summary-page.h"
#include "tt-test-util.h"
#include "tt-window.h"

/* From docs/demo.md: the demo route's first recipient and her number. */
#define DELIVER_ID    "RR261101003VN"
#define DELIVER_CCCD  "001078104729"
/* Her card's QR as a keyboard-wedge scanner types it: ASCII only, the
 * host keymap cannot type Vietnamese letters. */
#define DELIVER_QR    "001078104729||NGUYEN VAN ANH|15031978|Nam|12 Pho Doi Can, Ba Dinh, Ha Noi|10052021"
#define FAIL_ID       "RR261101374VN"
#define INTAKE_ID     "EE261102114VN"
#define INTAKE_LABEL  "EE261199991VN"

typedef struct
{
  gboolean ran;
} Run;

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (2000);
    }
}

static void screenshot_timeout (void);

static void
wait_for (gboolean  (*cond) (gpointer),
          gpointer    data,
          const char *what)
{
  gint64 end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        {
          screenshot_timeout ();
          g_error ("Timed out waiting until %s", what);
        }
      spin (10);
    }
}

static void
xdo (const char *first,
     ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  int status = 0;
  va_list ap;

  g_ptr_array_add (argv, g_strdup ("xdotool"));
  va_start (ap, first);
  for (const char *a = first; a; a = va_arg (ap, const char *))
    g_ptr_array_add (argv, g_strdup (a));
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, &err, &status, &error));
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("xdotool failed: %s", err);
  /* Let the app take the events in. */
  spin (60);
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0 && gtk_widget_get_mapped (root))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_named (c, name);
      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
named (GtkWidget  *root,
       const char *name)
{
  GtkWidget *w = find_named (root, name);

  if (w == NULL)
    g_error ("No widget named %s on screen", name);
  return w;
}

static GtkWidget *
find_by_id (GtkWidget  *root,
            const char *id)
{
  if (GTK_IS_BUILDABLE (root)
      && g_strcmp0 (gtk_buildable_get_buildable_id (GTK_BUILDABLE (root)), id) == 0)
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_by_id (c, id);
      if (found)
        return found;
    }
  return NULL;
}

static GtkWidget *
visible_page (TtWindow *window)
{
  return adw_leaflet_get_visible_child (ADW_LEAFLET (find_by_id (GTK_WIDGET (window), "leaflet")));
}

/* Scrolls @widget into view, as a finger would. */
static void
reveal (GtkWidget *widget)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (widget, GTK_TYPE_SCROLLED_WINDOW);
  GtkAdjustment *adj;
  graphene_point_t p;

  if (scroller == NULL)
    return;
  adj = gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller));
  g_assert_true (gtk_widget_compute_point (widget, scroller, &GRAPHENE_POINT_INIT (0, 0), &p));
  if (p.y < 0 || p.y + gtk_widget_get_height (widget) > gtk_widget_get_height (scroller))
    gtk_adjustment_set_value (adj, gtk_adjustment_get_value (adj) + p.y
                                     - gtk_widget_get_height (scroller) / 3.0);
  spin (150);
}

/* Where (@fx, @fy), fractions of @widget's size, is on the X screen. */
static void
screen_point (GtkWidget *widget,
              double     fx,
              double     fy,
              int       *x,
              int       *y)
{
  GtkNative *native = gtk_widget_get_native (widget);
  graphene_point_t p;
  double sx, sy;

  g_assert_true (gtk_widget_compute_point (widget, GTK_WIDGET (native),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) * fx,
                                                                 gtk_widget_get_height (widget) * fy),
                                           &p));
  gtk_native_get_surface_transform (native, &sx, &sy);
  *x = (int) (p.x + sx);
  *y = (int) (p.y + sy);
}

static void
click_at (GtkWidget *widget,
          double     fx,
          double     fy)
{
  g_autofree char *xs = NULL;
  g_autofree char *ys = NULL;
  int x, y;

  reveal (widget);
  g_assert_true (gtk_widget_get_mapped (widget));
  screen_point (widget, fx, fy, &x, &y);
  xs = g_strdup_printf ("%d", x);
  ys = g_strdup_printf ("%d", y);
  xdo ("mousemove", xs, ys, "click", "1", NULL);
}

static void
click (GtkWidget *widget)
{
  click_at (widget, 0.5, 0.5);
}

/* Human typing: 120 ms between keys, far slower than a scanner burst. */
static void
type_into (GtkWidget  *entry,
           const char *text)
{
  /* On the text, not on a spin button's − and + at the end. */
  click_at (entry, 0.2, 0.5);
  xdo ("key", "ctrl+a", "BackSpace", NULL);
  xdo ("type", "--delay", "120", text, NULL);
}

/* Signs with the pointer: a few loops across the pad, then a line. */
static void
draw_signature (GtkWidget *pad)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  int x, y;

  reveal (pad);
  for (int stroke = 0; stroke < 2; stroke++)
    {
      for (int i = 0; i <= 40; i++)
        {
          double t = i / 40.0;
          double fx = stroke == 0 ? 0.1 + 0.5 * t + 0.05 * sin (t * 25) : 0.15 + 0.7 * t;
          double fy = stroke == 0 ? 0.45 + 0.25 * sin (t * 17) : 0.78;

          screen_point (pad, fx, fy, &x, &y);
          g_ptr_array_add (argv, g_strdup ("mousemove"));
          g_ptr_array_add (argv, g_strdup_printf ("%d", x));
          g_ptr_array_add (argv, g_strdup_printf ("%d", y));
          if (i == 0)
            {
              g_ptr_array_add (argv, g_strdup ("mousedown"));
              g_ptr_array_add (argv, g_strdup ("1"));
            }
          g_ptr_array_add (argv, g_strdup ("sleep"));
          g_ptr_array_add (argv, g_strdup ("0.01"));
        }
      g_ptr_array_add (argv, g_strdup ("mouseup"));
      g_ptr_array_add (argv, g_strdup ("1"));
    }
  g_ptr_array_add (argv, NULL);
  {
    g_autoptr(GError) error = NULL;
    int status = 0;

    g_ptr_array_insert (argv, 0, g_strdup ("xdotool"));
    g_assert_true (g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL,
                                 NULL, NULL, NULL, &status, &error));
    g_assert_no_error (error);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
  }
  spin (150);
}

static void
screenshot (TtWindow   *window,
            const char *name)
{
  const char *root = g_getenv ("TT_BUILD_ROOT");
  g_autofree char *dir = g_build_filename (root ? root : ".", "screenshots", "pod-app", NULL);
  g_autofree char *file = g_strdup_printf ("%s.png", name);
  g_autofree char *path = g_build_filename (dir, file, NULL);
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  g_autofree char *crop = g_strdup_printf ("%dx%d+0+0", gdk_surface_get_width (surface),
                                           gdk_surface_get_height (surface));
  const char *argv[] = { "import", "-window", "root", "-crop", crop, "+repage", path, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_mkdir_with_parents (dir, 0755);
  spin (150);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

/* Sets the window's size and, like a window manager, keeps asking: a
 * layout that changes with the aspect may only fit once it has changed. */
static void
set_window_size (TtWindow *window,
                 int       width,
                 int       height)
{
  GdkSurface *surface = gtk_native_get_surface (GTK_NATIVE (window));
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  gtk_window_set_default_size (GTK_WINDOW (window), width, height);
  while (gdk_surface_get_width (surface) != width || gdk_surface_get_height (surface) != height)
    {
      spin (50);
      gtk_window_set_default_size (GTK_WINDOW (window), width, height);
      if (g_get_monotonic_time () > deadline)
        g_error ("The window did not take %d×%d (it is %d×%d): something needs more room",
                 width, height, gdk_surface_get_width (surface), gdk_surface_get_height (surface));
    }
  spin (200);
}

static TtWindow *the_window;

/* What the screen showed when a wait timed out, to see why. */
static void
screenshot_timeout (void)
{
  if (the_window != NULL)
    {
      g_printerr ("# last scan: %s\n",
                  tt_scan_router_get_message (tt_window_get_scan_router (the_window)));
      screenshot (the_window, "timed-out");
    }
}

/* Portrait (the reference screen), then landscape, then back. */
static void
screenshots (TtWindow   *window,
             const char *name)
{
  g_autofree char *portrait = g_strdup_printf ("%s-portrait", name);
  g_autofree char *landscape = g_strdup_printf ("%s-landscape", name);

  screenshot (window, portrait);
  set_window_size (window, 720, 360);
  screenshot (window, landscape);
  set_window_size (window, 360, 720);
}

static gboolean
page_is (gpointer data)
{
  gpointer *args = data;
  return G_TYPE_CHECK_INSTANCE_TYPE (visible_page (args[0]), GPOINTER_TO_SIZE (args[1]))
         && gtk_widget_get_mapped (visible_page (args[0]));
}

static void
wait_page (TtWindow *window,
           GType     type)
{
  gpointer args[] = { window, GSIZE_TO_POINTER (type) };

  wait_for (page_is, args, g_type_name (type));
  spin (300);
}

static gboolean
identity_checked (gpointer page)
{
  return g_str_has_prefix (adw_preferences_row_get_title (
                             ADW_PREFERENCES_ROW (named (page, "identity-row"))), "Identity");
}

/* The position row shows a fix from gpsd. */
static gboolean
has_position (gpointer page)
{
  return g_str_has_prefix (adw_preferences_row_get_title (
                             ADW_PREFERENCES_ROW (named (page, "place-row"))), "Position");
}

static gboolean
on_route (gpointer window)
{
  return visible_page (window) == find_by_id (GTK_WIDGET (window), "route_page")
         && !adw_leaflet_get_child_transition_running (
              ADW_LEAFLET (find_by_id (GTK_WIDGET (window), "leaflet")));
}

static GtkWidget *
find_toast (GtkWidget *w)
{
  if (g_str_equal (G_OBJECT_TYPE_NAME (w), "AdwToastWidget") && gtk_widget_get_mapped (w))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_toast (c);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
no_toast (gpointer window)
{
  return find_toast (window) == NULL;
}

/* The last button shown in @w: a toast's close button. */
static GtkWidget *
find_button (GtkWidget *w)
{
  GtkWidget *last = NULL;

  if (GTK_IS_BUTTON (w) && gtk_widget_get_mapped (w))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_button (c);
      if (found)
        last = found;
    }
  return last;
}

/* The "saved" toast floats over the bottom of the page (and, without a
 * focused window, never times out): close it as a courier would. */
static void
close_toast (TtWindow *window)
{
  GtkWidget *toast;

  while ((toast = find_toast (GTK_WIDGET (window))) != NULL)
    click (find_button (toast));
  wait_for (no_toast, window, "the toast has gone");
}

static GtkWidget *
find_receipt_page (GtkWidget *w)
{
  if (TT_IS_RECEIPT_PAGE (w) && gtk_widget_get_mapped (w))
    return w;
  for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_receipt_page (c);
      if (found)
        return found;
    }
  return NULL;
}

static gboolean
receipt_shown (gpointer page)
{
  return find_receipt_page (page) != NULL;
}

/* Scans an envelope on the route: a wedge scanner's burst of keys (5 ms
 * apart, ending in Enter) opens the item. */
static void
open_item (TtWindow   *window,
           const char *item_id)
{
  g_autofree char *burst = g_strdup_printf ("%s\n", item_id);

  xdo ("type", "--delay", "5", burst, NULL);
  wait_page (window, TT_TYPE_ITEM_PAGE);
  /* "Scanned …" floats over the page's action buttons. */
  close_toast (window);
  g_assert_cmpstr (tt_item_page_get_item (TT_ITEM_PAGE (visible_page (window)))->id, ==, item_id);
}

static gboolean
dialog_shown (gpointer data)
{
  GListModel *tops = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (tops, i);
      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_mapped (GTK_WIDGET (w)))
        return TRUE;
    }
  return FALSE;
}

/* Taps the confirm button, reads the review, and confirms with Enter. */
static void
confirm (TtWindow   *window,
         GtkWidget  *page,
         const char *shot)
{
  GtkWidget *error_label;

  click (named (page, "confirm-button"));
  spin (200);
  error_label = find_named (page, "error-label");
  if (error_label != NULL && gtk_widget_get_visible (error_label))
    g_error ("The page refused: %s", gtk_label_get_text (GTK_LABEL (error_label)));
  wait_for (dialog_shown, NULL, "the review shows");
  spin (300);
  screenshot (window, shot);
  xdo ("key", "Return", NULL);
  spin (300);
}

static GtkWidget *
item_action_button (TtWindow   *window,
                    const char *action)
{
  GtkWidget *page = visible_page (window);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, page);
  while (stack->len)
    {
      GtkWidget *w = g_ptr_array_steal_index (stack, stack->len - 1);
      if (GTK_IS_ACTIONABLE (w) && gtk_widget_get_mapped (w)
          && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), action) == 0)
        return w;
      for (GtkWidget *c = gtk_widget_get_first_child (w); c; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (stack, c);
    }
  g_error ("No button for %s on the item page", action);
  return NULL;
}

static JsonObject *
payload (const TtEvent *e,
         JsonParser    *parser)
{
  g_assert_true (json_parser_load_from_data (parser, e->payload, -1, NULL));
  return json_node_get_object (json_parser_get_root (parser));
}

static void
day_at_the_doors (TtApplication *app,
                  TtWindow      *window)
{
  TtStore *store = tt_application_get_store (app);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) p1 = json_parser_new ();
  g_autoptr(JsonParser) p2 = json_parser_new ();
  g_autoptr(JsonParser) p3 = json_parser_new ();
  g_autoptr(TtSignature) sig = NULL;
  g_autofree char *receipts = NULL;
  g_autofree char *pdf = NULL;
  JsonObject *o, *r, *fix;
  GtkWidget *page;
  guint bad = 0;

  g_assert_nonnull (store);
  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_PENDING), ==, 0);
  the_window = window;

  /* No window manager here: give the window the keyboard, as one would. */
  {
    g_autofree char *title = g_strdup_printf ("tt-pod-app-%d", (int) getpid ());
    g_autofree char *pattern = g_strdup_printf ("^%s$", title);

    gtk_window_set_title (GTK_WINDOW (window), title);
    spin (100);
    xdo ("search", "--sync", "--name", pattern, "windowfocus", "--sync", NULL);
  }

  /* 1. Delivery: the recipient's number typed from her card, signature. */
  open_item (window, DELIVER_ID);
  click (item_action_button (window, "win.deliver"));
  wait_page (window, TT_TYPE_DELIVERY_PAGE);
  page = visible_page (window);
  screenshots (window, "delivery-open");
  /* The recipient's card, scanned: a burst of keys ending in Enter. */
  xdo ("type", "--delay", "5", DELIVER_QR "\n", NULL);
  wait_for (identity_checked, page, "the identity check");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (page, "id-entry"))), ==,
                   DELIVER_CCCD);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (named (page, "identity-row"))),
                   ==, "Identity matches the addressee");
  draw_signature (named (page, "signature-pad"));
  g_assert_true (tt_signature_validate (tt_signature_pad_get_signature (
                   TT_SIGNATURE_PAD (named (page, "signature-pad"))), NULL));
  /* gpsd (fed by gpsfake) gives the stamp; the log was recorded far
   * from Hà Nội, so the page warns of the distance. */
  wait_for (has_position, page, "a GPS position");
  g_assert_true (gtk_widget_has_css_class (named (page, "place-row"), "warning"));
  screenshots (window, "delivery-ready");
  confirm (window, page, "delivery-review");
  wait_for (on_route, window, "back on the route");
  screenshots (window, "delivery-saved");
  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_PENDING), ==, 1);

  /* 2. Failed attempt: nobody home, a notice left. */
  close_toast (window);
  open_item (window, FAIL_ID);
  click (item_action_button (window, "win.fail-attempt"));
  wait_page (window, TT_TYPE_FAILURE_PAGE);
  page = visible_page (window);
  screenshots (window, "failure-open");
  click (named (page, "choice-absent"));
  wait_for (has_position, page, "a GPS position");
  confirm (window, page, "failure-review");
  wait_for (on_route, window, "back on the route");
  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_PENDING), ==, 2);

  /* 3. Intake: checklist, pages, the envelope's label, signature. */
  close_toast (window);
  open_item (window, INTAKE_ID);
  click (item_action_button (window, "win.intake"));
  wait_page (window, TT_TYPE_INTAKE_PAGE);
  page = visible_page (window);
  screenshots (window, "intake-open");
  for (guint i = 0; i < 3; i++)
    {
      g_autofree char *name = g_strdup_printf ("document-%u", i);
      click (named (page, name));
    }
  type_into (named (page, "pages-spin"), "12");
  xdo ("key", "Tab", NULL);
  /* The envelope's pre-printed label, scanned. */
  xdo ("type", "--delay", "5", INTAKE_LABEL "\n", NULL);
  spin (200);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (named (page, "label-entry"))), ==,
                   INTAKE_LABEL);
  draw_signature (named (page, "signature-pad"));
  wait_for (has_position, page, "a GPS position");
  screenshots (window, "intake-ready");
  confirm (window, page, "intake-review");
  wait_for (receipt_shown, page, "the receipt shows");
  close_toast (window);
  page = find_receipt_page (page);
  screenshots (window, "receipt");
  click (named (page, "pdf-button"));
  receipts = g_build_filename (tt_application_get_data_dir (app), "receipts", NULL);
  {
    g_autoptr(TtReceipt) rc = g_object_ref (tt_receipt_page_get_receipt (TT_RECEIPT_PAGE (page)));
    g_autofree char *name = g_strdup_printf ("%s-%s.pdf", INTAKE_ID, tt_receipt_get_code (rc));
    pdf = g_build_filename (receipts, name, NULL);
  }
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));

  /* The end of day shows it all. */
  gtk_widget_activate_action (GTK_WIDGET (window), "win.summary", NULL);
  wait_page (window, TT_TYPE_SUMMARY_PAGE);
  page = visible_page (window);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (named (page, "delivered-count"))), ==, "1");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (named (page, "picked-up-count"))), ==, "1");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (named (page, "unsynced-count"))), ==, "3");
  screenshots (window, "summary");

  /* Exactly three events, right fields, unbroken chain. */
  events = tt_store_list_events (store, -1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 3);
  g_assert_true (tt_event_verify_chain (events, NULL, &bad, &error));
  g_assert_no_error (error);

  {
    TtEvent *e = g_ptr_array_index (events, 0);
    g_assert_cmpstr (e->type, ==, TT_EVENT_DELIVERED);
    g_assert_cmpstr (e->item_id, ==, DELIVER_ID);
    g_assert_null (strstr (e->payload, DELIVER_CCCD));
    o = payload (e, p1);
    r = json_object_get_object_member (o, "recipient");
    g_assert_cmpstr (json_object_get_string_member (r, "identity"), ==, "match");
    g_assert_cmpstr (json_object_get_string_member (r, "id_last4"), ==, "4729");
    g_assert_cmpstr (json_object_get_string_member (r, "id_method"), ==, "qr");
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "money"),
                                                 "collected_vnd"), ==, 125000);
    g_assert_false (json_object_has_member (o, "no_fix"));
    fix = json_object_get_object_member (o, "fix");
    g_assert_cmpfloat (fabs (json_object_get_double_member (fix, "lat")), >, 1);
    g_assert_cmpint (json_object_get_int_member (o, "distance_m"), >, 1000);
    sig = tt_signature_from_base64 (json_object_get_string_member (
                                      json_object_get_object_member (o, "signature"), "data"),
                                    &error);
    g_assert_no_error (error);
    g_assert_cmpuint (tt_signature_get_n_strokes (sig), ==, 2);
    g_assert_true (tt_signature_validate (sig, NULL));
  }
  {
    TtEvent *e = g_ptr_array_index (events, 1);
    g_autoptr(TtItem) item = tt_store_get_item (store, FAIL_ID, NULL);
    g_assert_cmpstr (e->type, ==, TT_EVENT_FAILED);
    g_assert_cmpstr (e->item_id, ==, FAIL_ID);
    o = payload (e, p2);
    g_assert_cmpstr (json_object_get_string_member (o, "reason"), ==, "absent");
    g_assert_cmpstr (json_object_get_string_member (o, "action"), ==, "notice-left");
    g_assert_cmpint (json_object_get_int_member (o, "attempt"), ==, 1);
    g_assert_cmpint (item->status, ==, TT_ITEM_STATUS_FAILED);
    g_assert_cmpint (item->attempts, ==, 1);
  }
  {
    TtEvent *e = g_ptr_array_index (events, 2);
    JsonArray *docs;
    g_assert_cmpstr (e->type, ==, TT_EVENT_INTAKE);
    g_assert_cmpstr (e->item_id, ==, INTAKE_ID);
    o = payload (e, p3);
    g_assert_cmpint (json_object_get_int_member (o, "pages"), ==, 12);
    g_assert_cmpstr (json_object_get_string_member (o, "label"), ==, INTAKE_LABEL);
    docs = json_object_get_array_member (o, "checklist");
    g_assert_cmpuint (json_array_get_length (docs), ==, 4);
    g_assert_true (json_object_get_boolean_member (json_array_get_object_element (docs, 0),
                                                   "present"));
    g_assert_false (json_object_get_boolean_member (json_array_get_object_element (docs, 3),
                                                    "present"));
    /* Heroic mother: postage free, no fee on this procedure. */
    g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (o, "money"),
                                                 "due_vnd"), ==, 0);
  }
}

static void
on_activate (GApplication *app,
             Run          *run)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  g_assert_true (TT_IS_WINDOW (window));
  spin (500);
  day_at_the_doors (TT_APPLICATION (app), TT_WINDOW (window));
  run->ran = TRUE;
  g_application_quit (app);
}

static void
test_day (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  guint16 port = tt_gpsfake_free_port ();
  g_autoptr(TtGpsfake) fake = tt_gpsfake_start ("nl2008u.log", port, 0.05);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(TtApplication) app = NULL;
  const char *argv[] = { "tantay", "--data-dir", dir, "--demo", NULL };
  Run run = { FALSE };

  /* The app's own gpsd, on loopback; a short wait for a good fix. */
  g_settings_set_string (settings, "gps-host", "127.0.0.1");
  g_settings_set_uint (settings, "gps-port", port);
  g_settings_set_uint (settings, "fix-wait-s", 3);
  app = tt_application_new ();

  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 4, (char **) argv), ==, 0);
  g_assert_true (run.ran);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/pod-app/day-at-the-doors", test_day);

  return g_test_run ();
}
