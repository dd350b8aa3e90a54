/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Intake receipts: the QR code reads back (zbar, binary mode) as exactly
 * the bytes encoded, Vietnamese included; modules are whole pixels; the
 * PDF is written whole or not at all. */
#define _GNU_SOURCE
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "tt-pod.h"
#include "tt-receipt.h"
#include "tt-store.h"
#include "tt-test-util.h"
#include "tt-pod-test-util.h"

static void
assert_decodes_to (cairo_surface_t *surface,
                   const char      *text)
{
  g_autoptr(GPtrArray) found = tt_test_decode_qr (surface);
  g_autoptr(GBytes) want = g_bytes_new_static (text, strlen (text));

  g_assert_cmpuint (found->len, ==, 1);
  if (!g_bytes_equal (g_ptr_array_index (found, 0), want))
    {
      gsize len;
      const char *got = g_bytes_get_data (g_ptr_array_index (found, 0), &len);
      g_error ("QR read back as “%.*s”, expected “%s”", (int) len, got, text);
    }
}

/* Every pixel black or white, and the quiet zone white. */
static void
assert_sharp (cairo_surface_t *s,
              int              module_px)
{
  int w = cairo_image_surface_get_width (s);
  int stride = cairo_image_surface_get_stride (s);
  const guint8 *data = cairo_image_surface_get_data (s);
  int quiet = TT_RECEIPT_QR_QUIET_ZONE * module_px;

  g_assert_cmpint (w % module_px, ==, 0);
  for (int y = 0; y < w; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 px = *(const guint32 *) (data + y * stride + x * 4) & 0xffffff;
        g_assert_true (px == 0 || px == 0xffffff);
        if (x < quiet || y < quiet || x >= w - quiet || y >= w - quiet)
          g_assert_cmphex (px, ==, 0xffffff);
        /* Each module is one colour throughout. */
        if (x % module_px || y % module_px)
          {
            guint32 corner = *(const guint32 *) (data + (y - y % module_px) * stride
                                                 + (x - x % module_px) * 4) & 0xffffff;
            g_assert_cmphex (px, ==, corner);
          }
      }
}

static void
test_qr_text (void)
{
  static const char *const texts[] = {
    "EE123456785VN",
    "Huế",
    "Sài Gòn",
    "Nguyễn Văn Ánh — Phường Hai Bà Trưng, Hà Nội",
    "Đặng Thị Hạnh, Xã Gia Bình, Bắc Ninh: ỹ ử ữ ự ợ ẵ",
    "001090123456|012345678|NGUYỄN VĂN A|01011990|Nam|12 Phố Huế, Hà Nội|15042021",
    "TANTAY-RECEIPT\nitem=EE123456785VN\ncode=7F3A-91C2-0B4D\nname=Hồ Thị Yến",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    for (int module = 2; module <= 5; module += 3)
      {
        g_autoptr(GError) error = NULL;
        cairo_surface_t *s = tt_receipt_render_qr_text (texts[i], module, &error);

        g_assert_no_error (error);
        assert_sharp (s, module);
        assert_decodes_to (s, texts[i]);
        cairo_surface_destroy (s);
      }
}

static void
test_qr_too_long (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) big = g_string_new (NULL);
  cairo_surface_t *s;

  for (guint i = 0; i < 1000; i++)
    g_string_append (big, "Nguyễn ");
  s = tt_receipt_render_qr_text (big->str, 2, &error);
  g_assert_null (s);
  g_assert_error (error, TT_RECEIPT_ERROR, TT_RECEIPT_ERROR_QR);
}

typedef struct
{
  TtStore *store;
  TtItem  *item;
  TtEvent *event;
  char    *dir;
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *path = NULL;
  g_autofree char *json = tt_test_make_manifest (10, 3, "R-RCPT");
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (4);
  g_autoptr(TtSignature) sig = tt_test_make_signature (rand, 340, 200, 120, TRUE);
  g_autoptr(GPtrArray) items = NULL;
  gboolean checked[3] = { TRUE, TRUE, TRUE };
  TtIntakeInput in = { 0 };

  f->dir = tt_test_make_tmpdir ();
  path = g_build_filename (f->dir, "tantay.db", NULL);
  f->store = tt_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (tt_store_load_manifest (f->store, json, -1, &error));
  items = tt_store_list_items (f->store, &error);
  f->item = g_object_ref (g_ptr_array_index (items, 7));
  g_assert_cmpint (f->item->kind, ==, TT_ITEM_KIND_PICKUP);

  in.item = f->item;
  in.checked = checked;
  in.n_checked = 3;
  in.pages = 9;
  in.label = "EE900000013VN";
  in.collected_vnd = tt_item_get_amount_due (f->item);
  in.signature = sig;
  in.place.confirm_no_fix = TRUE;
  f->event = tt_pod_record_intake (f->store, &in, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_clear_object (&f->store);
  g_clear_object (&f->item);
  g_clear_pointer (&f->event, tt_event_free);
  g_free (f->dir);
}

static void
test_receipt_qr (Fixture      *f,
                 gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtReceipt) r = tt_receipt_new (f->item, f->event, &error);
  g_autofree char *code = tt_pod_verification_code (f->event);
  g_autofree char *text = NULL;
  g_autofree char *item_line = NULL;
  g_autofree char *code_line = NULL;
  cairo_surface_t *s;
  cairo_t *cr;
  int side;

  g_assert_no_error (error);
  g_assert_cmpstr (tt_receipt_get_item_id (r), ==, f->item->id);
  g_assert_cmpstr (tt_receipt_get_code (r), ==, code);
  g_assert_true (g_regex_match_simple ("^[0-9A-F]{4}-[0-9A-F]{4}-[0-9A-F]{4}$", code, 0, 0));
  item_line = g_strdup_printf ("\nitem=%s\n", f->item->id);
  code_line = g_strdup_printf ("\ncode=%s\n", code);
  g_assert_nonnull (strstr (tt_receipt_get_qr_text (r), item_line));
  g_assert_nonnull (strstr (tt_receipt_get_qr_text (r), code_line));
  /* The recipient's Vietnamese name is in it: the ECI path is exercised. */
  g_assert_nonnull (strstr (tt_receipt_get_qr_text (r), f->item->recipient_name));
  g_assert_false (g_str_is_ascii (tt_receipt_get_qr_text (r)));

  side = tt_receipt_get_qr_size (r) * 3;
  s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, side, side);
  cr = cairo_create (s);
  tt_receipt_draw_qr (r, cr, 0, 0, 3);
  cairo_destroy (cr);
  assert_sharp (s, 3);
  assert_decodes_to (s, tt_receipt_get_qr_text (r));
  cairo_surface_destroy (s);

  text = tt_receipt_get_text (r);
  g_assert_nonnull (strstr (text, f->item->id));
  g_assert_nonnull (strstr (text, "Bản sao căn cước công dân"));
  g_assert_nonnull (strstr (text, code));
}

static void
test_receipt_pdf (Fixture      *f,
                  gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtReceipt) r = tt_receipt_new (f->item, f->event, &error);
  g_autofree char *pdf = g_build_filename (f->dir, "receipt.pdf", NULL);
  g_autofree char *bad = g_build_filename (f->dir, "no-such-folder", "receipt.pdf", NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (tt_receipt_export_pdf (r, pdf, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (pdf, &contents, &len, NULL));
  g_assert_true (g_str_has_prefix (contents, "%PDF-"));
  g_assert_cmpuint (len, >, 2000);
  /* The Vietnamese-capable font is embedded. */
  g_assert_nonnull (memmem (contents, len, "NotoSans", 8));

  g_assert_false (tt_receipt_export_pdf (r, bad, &error));
  g_assert_error (error, TT_RECEIPT_ERROR, TT_RECEIPT_ERROR_IO);
  g_assert_false (g_file_test (bad, G_FILE_TEST_EXISTS));
}

static void
test_receipt_bad_event (Fixture      *f,
                        gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  TtEvent e = *f->event;
  TtReceipt *r;

  e.type = (char *) TT_EVENT_DELIVERED;
  r = tt_receipt_new (f->item, &e, &error);
  g_assert_null (r);
  g_assert_error (error, TT_RECEIPT_ERROR, TT_RECEIPT_ERROR_INVALID);
  g_clear_error (&error);

  e = *f->event;
  e.payload = (char *) "{\"pages\":\"many\"";
  r = tt_receipt_new (f->item, &e, &error);
  g_assert_null (r);
  g_assert_error (error, TT_RECEIPT_ERROR, TT_RECEIPT_ERROR_INVALID);
  g_clear_error (&error);

  e.payload = (char *) "{\"pages\":3}";
  r = tt_receipt_new (f->item, &e, &error);
  g_assert_null (r);
  g_assert_error (error, TT_RECEIPT_ERROR, TT_RECEIPT_ERROR_INVALID);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/receipt/qr/text", test_qr_text);
  g_test_add_func ("/receipt/qr/too-long", test_qr_too_long);
  g_test_add ("/receipt/qr/intake", Fixture, NULL, fixture_set_up, test_receipt_qr,
              fixture_tear_down);
  g_test_add ("/receipt/pdf", Fixture, NULL, fixture_set_up, test_receipt_pdf, fixture_tear_down);
  g_test_add ("/receipt/bad-event", Fixture, NULL, fixture_set_up, test_receipt_bad_event,
              fixture_tear_down);

  return g_test_run ();
}
