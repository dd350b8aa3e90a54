/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The proof-of-delivery pages in a real window (Xvfb): each flow is
 * driven through its widgets, refuses bad input with a visible message
 * and no record, then records exactly one event.  Screenshots of every
 * page, portrait and landscape, go to BUILD/screenshots/pod/. */
#include "config.h"

#include <adwaita.h>
#include <json-glib/json-glib.h>

#include "tt-delivery-page.h"
#include "tt-failure-page.h"
#include "tt-identity.h"
#include "tt-intake-page.h"
#include "tt-receipt-page.h"
#include "tt-signature-pad.h"
#include "tt-summary-page.h"
#include "tt-test-util.h"
#include "tt-pod-test-util.h"

#define ADDRESSEE_ID "001090123456"

typedef struct
{
  TtStore   *store;
  GPtrArray *items;
  GtkWindow *window;
  TtEvent   *recorded;
  char      *fix;
} Fixture;

static char *
screenshot_dir (void)
{
  const char *root = g_getenv ("TT_BUILD_ROOT");
  char *dir = g_build_filename (root ? root : ".", "screenshots", "pod", NULL);

  g_mkdir_with_parents (dir, 0755);
  return dir;
}

static void
spin (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE);
}

static gboolean
wait_for (gboolean (*cond) (gpointer),
          gpointer   data)
{
  gint64 end = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  while (!cond (data))
    {
      if (g_get_monotonic_time () > end)
        return FALSE;
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  return TRUE;
}

static GtkWidget *
find_named (GtkWidget  *root,
            const char *name)
{
  if (g_strcmp0 (gtk_widget_get_name (root), name) == 0)
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
    g_error ("no widget named %s", name);
  return w;
}

/* What is really on the (virtual) screen: the window sits at the top
 * left of the Xvfb root, which has no window manager. */
static char *
save_png (GtkWidget  *widget,
          const char *name)
{
  g_autofree char *dir = screenshot_dir ();
  g_autofree char *file = g_strdup_printf ("%s.png", name);
  char *path = g_build_filename (dir, file, NULL);
  GtkNative *native = gtk_widget_get_native (widget);
  g_autofree char *geometry = g_strdup_printf ("%dx%d+0+0",
                                               gtk_widget_get_width (GTK_WIDGET (native)),
                                               gtk_widget_get_height (GTK_WIDGET (native)));
  const char *argv[] = { "import", "-window", "root", "-crop", geometry, path, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  /* Let the last change reach the screen. */
  spin (100);
  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                               NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return path;
}

/* The visible page in portrait, then landscape, then back. */
static void
screenshots (Fixture    *f,
             const char *name)
{
  g_autofree char *portrait = g_strdup_printf ("%s-portrait", name);
  g_autofree char *landscape = g_strdup_printf ("%s-landscape", name);

  g_free (save_png (gtk_window_get_child (f->window), portrait));
  gtk_window_set_default_size (f->window, 720, 360);
  spin (200);
  g_free (save_png (gtk_window_get_child (f->window), landscape));
  gtk_window_set_default_size (f->window, 360, 720);
  spin (200);
}

static void
on_recorded (GtkWidget *page,
             TtEvent   *event,
             Fixture   *f)
{
  g_assert_null (f->recorded);
  f->recorded = tt_event_copy (event);
}

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "tantay.db", NULL);
  g_autofree char *json = tt_test_make_manifest (10, 42, "R-PAGES");
  g_autofree char *edited = NULL;
  g_autofree char *hash = tt_identity_hash_new (ADDRESSEE_ID);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) listed = NULL;
  JsonArray *items;
  TtItem *first;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  items = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    json_object_set_string_member (json_array_get_object_element (items, i), "id_hash", hash);
  edited = json_to_string (json_parser_get_root (parser), FALSE);

  f->store = tt_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (tt_store_load_manifest (f->store, edited, -1, &error));
  listed = tt_store_list_items (f->store, &error);
  g_assert_no_error (error);
  /* Whole items, ID hash included, as the app opens a delivery with. */
  f->items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < listed->len; i++)
    g_ptr_array_add (f->items, tt_store_get_item (f->store, ((TtItem *) g_ptr_array_index (listed, i))->id,
                                                  NULL));
  first = g_ptr_array_index (f->items, 0);
  f->fix = g_strdup_printf ("{\"lat\":%.6f,\"lon\":%.6f,\"accuracy_m\":7.0,\"mode\":\"3d\"}",
                            first->lat + 0.0003, first->lon);

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_default_size (f->window, 360, 720);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  gtk_window_destroy (f->window);
  g_clear_object (&f->store);
  g_clear_pointer (&f->items, g_ptr_array_unref);
  g_clear_pointer (&f->recorded, tt_event_free);
  g_free (f->fix);
  spin (20);
}

static gboolean
laid_out (gpointer widget)
{
  return gtk_widget_get_mapped (widget) && gtk_widget_get_width (widget) > 0;
}

static void
show_page (Fixture   *f,
           GtkWidget *page)
{
  if (g_signal_lookup ("recorded", G_OBJECT_TYPE (page)))
    g_signal_connect (page, "recorded", G_CALLBACK (on_recorded), f);
  gtk_window_set_child (f->window, page);
  gtk_window_present (f->window);
  g_assert_true (wait_for (laid_out, page));
  spin (200);
}

static void
sign (GtkWidget *page)
{
  TtSignaturePad *pad = TT_SIGNATURE_PAD (named (page, "signature-pad"));
  g_autoptr(GRand) rand = g_rand_new_with_seed (77);
  g_autoptr(TtSignature) model = tt_test_make_signature (rand, 336, 200, 60, FALSE);
  TtSignature *sig = tt_signature_pad_get_signature (pad);

  /* Replays a realistic signature through the pad's own recording. */
  for (guint s = 0; s < tt_signature_get_n_strokes (model); s++)
    {
      guint n;
      const TtSignaturePoint *p = tt_signature_get_stroke (model, s, &n);
      double w = gtk_widget_get_width (GTK_WIDGET (pad));
      double h = gtk_widget_get_height (GTK_WIDGET (pad));

      tt_signature_begin_stroke (sig, w, h);
      for (guint i = 0; i < n; i++)
        tt_signature_add_point (sig, p[i].x * w, p[i].y * w, p[i].t_ms, -1);
      tt_signature_end_stroke (sig);
    }
  gtk_widget_queue_draw (GTK_WIDGET (pad));
  spin (50);
}

static AdwMessageDialog *
find_dialog (void)
{
  GListModel *tops = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (tops); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (tops, i);
      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static gboolean
dialog_shown (gpointer data)
{
  return find_dialog () != NULL;
}

/* Taps confirm; on review, screenshots the question and answers it. */
static void
confirm (Fixture    *f,
         GtkWidget  *page,
         const char *shot)
{
  AdwMessageDialog *dialog;

  g_signal_emit_by_name (named (page, "confirm-button"), "clicked");
  g_assert_true (wait_for (dialog_shown, NULL));
  dialog = find_dialog ();
  spin (200);
  if (shot)
    {
      g_autofree char *name = g_strdup_printf ("%s-review", shot);
      g_free (save_png (GTK_WIDGET (dialog), name));
    }
  adw_message_dialog_response (dialog, "confirm");
  gtk_window_destroy (GTK_WINDOW (dialog));
  spin (50);
}

static const char *
label_text (GtkWidget *w)
{
  return gtk_label_get_text (GTK_LABEL (w));
}

static gboolean
identity_shown (gpointer page)
{
  const char *title = adw_preferences_row_get_title (
    ADW_PREFERENCES_ROW (named (page, "identity-row")));
  return g_str_has_prefix (title, "Identity matches") || g_str_has_prefix (title, "Does NOT");
}

static void
test_delivery (Fixture      *f,
               gconstpointer data)
{
  TtItem *item = g_ptr_array_index (f->items, 0);
  GtkWidget *page = tt_delivery_page_new (f->store, item);
  GtkWidget *error_label, *identity;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *p;

  show_page (f, page);
  tt_delivery_page_set_fix_json (TT_DELIVERY_PAGE (page), f->fix, FALSE);
  error_label = named (page, "error-label");
  identity = named (page, "identity-row");
  screenshots (f, "delivery-start");

  /* Nothing checked, nothing signed: a message, no record. */
  g_signal_emit_by_name (named (page, "confirm-button"), "clicked");
  spin (50);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (label_text (error_label), "identity"));
  g_assert_null (find_dialog ());
  g_assert_cmpuint (tt_store_count_events (f->store, TT_EVENT_STATE_PENDING), ==, 0);

  /* A number that does not match: shown plainly, override asked for. */
  gtk_editable_set_text (GTK_EDITABLE (named (page, "id-entry")), "079190654321");
  g_assert_true (wait_for (identity_shown, page));
  g_assert_true (g_str_has_prefix (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (identity)),
                                   "Does NOT"));
  g_assert_true (gtk_widget_get_visible (named (page, "override-entry")));
  g_assert_true (gtk_widget_has_css_class (identity, "error"));
  screenshots (f, "delivery-mismatch");

  /* The right number. */
  tt_delivery_page_set_scanned_id (TT_DELIVERY_PAGE (page), ADDRESSEE_ID);
  g_assert_true (wait_for (identity_shown, page));
  g_assert_true (gtk_widget_has_css_class (identity, "success"));
  g_assert_false (gtk_widget_get_visible (named (page, "override-entry")));

  /* A dot is not a signature. */
  {
    TtSignature *sig = tt_signature_pad_get_signature (
      TT_SIGNATURE_PAD (named (page, "signature-pad")));
    tt_signature_begin_stroke (sig, 300, 200);
    tt_signature_add_point (sig, 150, 100, 1, -1);
    tt_signature_end_stroke (sig);
  }
  g_signal_emit_by_name (named (page, "confirm-button"), "clicked");
  spin (50);
  g_assert_nonnull (strstr (label_text (error_label), "too short"));
  tt_signature_pad_clear (TT_SIGNATURE_PAD (named (page, "signature-pad")));

  /* An absurd amount. */
  sign (page);
  gtk_editable_set_text (GTK_EDITABLE (named (page, "collected-entry")), "-5000");
  g_signal_emit_by_name (named (page, "confirm-button"), "clicked");
  spin (50);
  g_assert_nonnull (strstr (label_text (error_label), "negative"));
  screenshots (f, "delivery-error");
  {
    g_autofree char *due = g_strdup_printf ("%" G_GINT64_FORMAT, tt_item_get_amount_due (item));
    gtk_editable_set_text (GTK_EDITABLE (named (page, "collected-entry")), due);
  }
  /* Once corrected, the refusal goes. */
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_cmpuint (tt_store_count_events (f->store, TT_EVENT_STATE_PENDING), ==, 0);

  screenshots (f, "delivery-ready");
  confirm (f, page, "delivery");
  g_assert_nonnull (f->recorded);
  g_assert_cmpstr (f->recorded->type, ==, TT_EVENT_DELIVERED);
  g_assert_true (json_parser_load_from_data (parser, f->recorded->payload, -1, NULL));
  p = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (p, "recipient"),
                                                  "identity"), ==, "match");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (p, "recipient"),
                                                  "id_method"), ==, "qr");
  g_assert_cmpuint (tt_store_count_events (f->store, TT_EVENT_STATE_PENDING), ==, 1);
}

/* A proxy whose addressee's number does not match: delivered only with a
 * reason, and the proxy's own details recorded. */
static void
test_delivery_proxy_override (Fixture      *f,
                              gconstpointer data)
{
  TtItem *item = g_ptr_array_index (f->items, 0);
  GtkWidget *page = tt_delivery_page_new (f->store, item);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *r, *proxy;

  g_assert_true (item->proxy_allowed);
  show_page (f, page);
  tt_delivery_page_set_fix_json (TT_DELIVERY_PAGE (page), f->fix, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (named (page, "id-entry")), "079190654321");
  g_assert_true (wait_for (identity_shown, page));
  adw_expander_row_set_enable_expansion (ADW_EXPANDER_ROW (named (page, "proxy-expander")), TRUE);
  adw_expander_row_set_expanded (ADW_EXPANDER_ROW (named (page, "proxy-expander")), TRUE);
  gtk_editable_set_text (GTK_EDITABLE (named (page, "proxy-name-entry")), "Trần Thị Bình");
  gtk_editable_set_text (GTK_EDITABLE (named (page, "proxy-rel-entry")), "Vợ");
  gtk_editable_set_text (GTK_EDITABLE (named (page, "proxy-id-entry")), "031200987654");
  sign (page);

  /* No reason yet: refused, nothing saved. */
  g_signal_emit_by_name (named (page, "confirm-button"), "clicked");
  spin (50);
  g_assert_nonnull (strstr (label_text (named (page, "error-label")), "does not match"));
  g_assert_cmpuint (tt_store_count_events (f->store, TT_EVENT_STATE_PENDING), ==, 0);

  gtk_editable_set_text (GTK_EDITABLE (named (page, "override-entry")),
                         "Giấy ủy quyền có công chứng; CCCD của người nhận đã cấp đổi");
  screenshots (f, "delivery-proxy");
  confirm (f, page, NULL);
  g_assert_nonnull (f->recorded);
  g_assert_true (json_parser_load_from_data (parser, f->recorded->payload, -1, NULL));
  r = json_object_get_object_member (json_node_get_object (json_parser_get_root (parser)),
                                     "recipient");
  g_assert_cmpstr (json_object_get_string_member (r, "kind"), ==, "proxy");
  g_assert_cmpstr (json_object_get_string_member (r, "identity"), ==, "no-match");
  g_assert_nonnull (json_object_get_string_member (r, "override_reason"));
  proxy = json_object_get_object_member (r, "proxy");
  g_assert_cmpstr (json_object_get_string_member (proxy, "name"), ==, "Trần Thị Bình");
  g_assert_cmpstr (json_object_get_string_member (proxy, "id_last4"), ==, "7654");
}

static void
test_failure (Fixture      *f,
              gconstpointer data)
{
  TtItem *item = g_ptr_array_index (f->items, 1);
  GtkWidget *page = tt_failure_page_new (f->store, item);
  g_autoptr(TtItem) now = NULL;

  show_page (f, page);
  /* No location service at all. */
  tt_failure_page_set_fix_json (TT_FAILURE_PAGE (page), NULL, FALSE);
  screenshots (f, "failure-start");

  /* No reason chosen. */
  g_signal_emit_by_name (named (page, "confirm-button"), "clicked");
  spin (50);
  g_assert_true (gtk_widget_get_visible (named (page, "error-label")));

  adw_action_row_activate (ADW_ACTION_ROW (named (page, "choice-absent")));
  adw_action_row_activate (ADW_ACTION_ROW (named (page, "choice-retry")));
  spin (50);
  g_assert_true (gtk_widget_get_visible (named (page, "retry-calendar")));
  g_signal_emit_by_name (named (page, "confirm-button"), "clicked");
  spin (50);
  /* No position and not confirmed: says so. */
  g_assert_nonnull (strstr (label_text (named (page, "error-label")), "GPS"));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (named (page, "no-fix-check")), TRUE);
  screenshots (f, "failure-ready");
  confirm (f, page, "failure");
  g_assert_nonnull (f->recorded);
  g_assert_cmpstr (f->recorded->type, ==, TT_EVENT_FAILED);
  g_assert_nonnull (strstr (f->recorded->payload, "\"reason\":\"absent\""));
  g_assert_nonnull (strstr (f->recorded->payload, "\"action\":\"retry\""));
  now = tt_store_get_item (f->store, item->id, NULL);
  g_assert_cmpint (now->attempts, ==, 1);
}

/* The QR code as shown on screen reads back exactly. */
static gboolean
qr_decodes (GtkWidget  *area,
            const char *want)
{
  GtkWidget *scroller = gtk_widget_get_ancestor (area, GTK_TYPE_SCROLLED_WINDOW);
  g_autofree char *path = NULL;
  cairo_surface_t *surface;

  gtk_adjustment_set_value (gtk_scrolled_window_get_vadjustment (GTK_SCROLLED_WINDOW (scroller)),
                            0);
  path = save_png (area, "receipt-qr-screen");
  surface = cairo_image_surface_create_from_png (path);
  g_autoptr(GPtrArray) found = NULL;
  gboolean ok;

  g_assert_cmpint (cairo_surface_status (surface), ==, CAIRO_STATUS_SUCCESS);
  found = tt_test_decode_qr (surface);
  cairo_surface_destroy (surface);
  ok = found->len == 1 && g_bytes_get_size (g_ptr_array_index (found, 0)) == strlen (want)
       && memcmp (g_bytes_get_data (g_ptr_array_index (found, 0), NULL), want, strlen (want)) == 0;
  return ok;
}

static void
test_intake (Fixture      *f,
             gconstpointer data)
{
  TtItem *item = g_ptr_array_index (f->items, 7);
  GtkWidget *page = tt_intake_page_new (f->store, item);
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TtReceipt) receipt = NULL;
  g_autofree char *pdf = NULL;
  GtkWidget *receipt_page;

  g_assert_cmpint (item->kind, ==, TT_ITEM_KIND_PICKUP);
  show_page (f, page);
  tt_intake_page_set_fix_json (TT_INTAKE_PAGE (page),
                               "{\"lat\":null,\"lon\":null,\"mode\":\"no-fix\","
                               "\"reason\":\"no-fix\"}", FALSE);
  screenshots (f, "intake-start");

  adw_action_row_activate (ADW_ACTION_ROW (named (page, "document-0")));
  adw_action_row_activate (ADW_ACTION_ROW (named (page, "document-2")));
  gtk_spin_button_set_value (GTK_SPIN_BUTTON (named (page, "pages-spin")), 12);
  tt_intake_page_set_scanned_label (TT_INTAKE_PAGE (page), "EE900000013VN");
  sign (page);
  gtk_check_button_set_active (GTK_CHECK_BUTTON (named (page, "no-fix-check")), TRUE);

  /* One document not ticked: named in the message. */
  g_signal_emit_by_name (named (page, "confirm-button"), "clicked");
  spin (50);
  g_assert_nonnull (strstr (label_text (named (page, "error-label")), item->checklist[1]));
  adw_action_row_activate (ADW_ACTION_ROW (named (page, "document-1")));
  screenshots (f, "intake-ready");
  confirm (f, page, "intake");
  g_assert_nonnull (f->recorded);
  g_assert_cmpstr (f->recorded->type, ==, TT_EVENT_INTAKE);

  receipt = tt_receipt_new (item, f->recorded, &error);
  g_assert_no_error (error);
  receipt_page = tt_receipt_page_new (receipt, dir);
  show_page (f, receipt_page);
  screenshots (f, "receipt");
  /* The QR code as drawn on screen reads back exactly. */
  g_assert_true (qr_decodes (named (receipt_page, "receipt-qr"), tt_receipt_get_qr_text (receipt)));
  pdf = tt_receipt_page_export (TT_RECEIPT_PAGE (receipt_page), &error);
  g_assert_no_error (error);
  g_assert_true (g_file_test (pdf, G_FILE_TEST_IS_REGULAR));
}

static void
test_summary (Fixture      *f,
              gconstpointer data)
{
  GtkWidget *page = tt_summary_page_new (f->store);
  TtFailureInput in = { .item = g_ptr_array_index (f->items, 2),
                        .reason = TT_FAIL_REASON_REFUSED,
                        .action = TT_FAIL_ACTION_RETURN_TO_OFFICE,
                        .place = { .confirm_no_fix = TRUE } };
  g_autoptr(TtEvent) e = NULL;

  show_page (f, page);
  g_assert_cmpstr (label_text (named (page, "to-do-count")), ==, "10");
  g_assert_cmpstr (label_text (named (page, "unsynced-count")), ==, "0");
  /* The page follows the store. */
  e = tt_pod_record_failure (f->store, &in, NULL);
  g_assert_nonnull (e);
  spin (50);
  g_assert_cmpstr (label_text (named (page, "failed-count")), ==, "1");
  g_assert_cmpstr (label_text (named (page, "to-do-count")), ==, "9");
  g_assert_cmpstr (label_text (named (page, "unsynced-count")), ==, "1");
  screenshots (f, "summary");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/pages/delivery", test_delivery);
  ADD ("/pages/delivery-proxy-override", test_delivery_proxy_override);
  ADD ("/pages/failure", test_failure);
  ADD ("/pages/intake-and-receipt", test_intake);
  ADD ("/pages/summary", test_summary);
#undef ADD

  return g_test_run ();
}
