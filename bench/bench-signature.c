/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Signature sizes and speeds over realistic synthetic signatures, and
 * the cost of recording a delivery (identity check included). */
#include "config.h"

#include <json-glib/json-glib.h>

#include "tt-identity.h"
#include "tt-pod.h"
#include "tt-receipt.h"
#include "tt-store.h"
#include "tt-test-util.h"
#include "tt-pod-test-util.h"

static int
cmp_double (gconstpointer a,
            gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *values,
        const char *unit)
{
  g_array_sort (values, cmp_double);
  g_print ("%-28s p50 %8.1f  p90 %8.1f  max %8.1f %s\n", what,
           g_array_index (values, double, values->len / 2),
           g_array_index (values, double, values->len * 9 / 10),
           g_array_index (values, double, values->len - 1), unit);
}

int
main (int   argc,
      char *argv[])
{
  static const struct { const char *name; double w, h, hz; gboolean pressure; } kinds[] = {
    { "finger 60 Hz, phone", 340, 200, 60, FALSE },
    { "finger 60 Hz, landscape", 680, 300, 60, FALSE },
    { "stylus 120 Hz, phone", 340, 200, 120, TRUE },
    { "stylus 240 Hz, tablet", 1200, 500, 240, TRUE },
  };
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  g_autoptr(GArray) enc_us = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) dec_us = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) svg_us = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) png_us = g_array_new (FALSE, FALSE, sizeof (double));
  guint n = 400;

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (double));
      g_autoptr(GArray) points = g_array_new (FALSE, FALSE, sizeof (double));

      for (guint i = 0; i < n / G_N_ELEMENTS (kinds); i++)
        {
          g_autoptr(TtSignature) sig = tt_test_make_signature (rand, kinds[k].w, kinds[k].h,
                                                               kinds[k].hz, kinds[k].pressure);
          gint64 t0 = g_get_monotonic_time ();
          g_autofree char *b64 = tt_signature_to_base64 (sig);
          gint64 t1 = g_get_monotonic_time ();
          g_autoptr(TtSignature) back = tt_signature_from_base64 (b64, NULL);
          gint64 t2 = g_get_monotonic_time ();
          g_autofree char *svg = tt_signature_to_svg (back, 400, 160);
          gint64 t3 = g_get_monotonic_time ();
          cairo_surface_t *png = tt_signature_render_image (back, 600, 240);
          gint64 t4 = g_get_monotonic_time ();
          double v;

          cairo_surface_destroy (png);
          v = strlen (b64), g_array_append_val (sizes, v);
          v = tt_signature_get_n_points (sig), g_array_append_val (points, v);
          v = t1 - t0, g_array_append_val (enc_us, v);
          v = t2 - t1, g_array_append_val (dec_us, v);
          v = t3 - t2, g_array_append_val (svg_us, v);
          v = t4 - t3, g_array_append_val (png_us, v);
        }
      g_print ("%s:\n", kinds[k].name);
      report ("  points recorded", points, "");
      report ("  encoded (base64)", sizes, "bytes");
    }
  report ("encode + base64", enc_us, "us");
  report ("decode", dec_us, "us");
  report ("SVG 400x160", svg_us, "us");
  report ("PNG 600x240", png_us, "us");

  /* Recording: validation, the Argon2id identity check, the durable
   * append with the item's status. */
  {
    g_autofree char *dir = tt_test_make_tmpdir ();
    g_autofree char *path = g_build_filename (dir, "tantay.db", NULL);
    g_autofree char *json = tt_test_make_manifest (60, 9, "R-BENCH");
    g_autofree char *hash = tt_identity_hash_new ("001090123456");
    g_autoptr(JsonParser) parser = json_parser_new ();
    g_autoptr(TtStore) store = NULL;
    g_autoptr(GPtrArray) items = NULL;
    g_autoptr(GArray) rec_ms = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(GArray) qr_ms = g_array_new (FALSE, FALSE, sizeof (double));
    g_autoptr(TtSignature) sig = tt_test_make_signature (rand, 340, 200, 60, FALSE);
    g_autofree char *edited = NULL;
    JsonArray *arr;

    json_parser_load_from_data (parser, json, -1, NULL);
    arr = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        "items");
    for (guint i = 0; i < json_array_get_length (arr); i++)
      json_object_set_string_member (json_array_get_object_element (arr, i), "id_hash", hash);
    edited = json_to_string (json_parser_get_root (parser), FALSE);
    store = tt_store_open (path, NULL);
    tt_store_load_manifest (store, edited, -1, NULL);
    items = tt_store_list_items (store, NULL);
    for (guint i = 0; i < items->len; i++)
      {
        TtItem *item = g_ptr_array_index (items, i);
        TtDeliveryInput in = { .item = item, .id_method = TT_ID_METHOD_QR,
                               .id_number = "001090123456",
                               .collected_vnd = tt_item_get_amount_due (item),
                               .signature = sig, .place = { .confirm_no_fix = TRUE } };
        gint64 t0;
        g_autoptr(TtEvent) e = NULL;
        double v;

        if (item->kind != TT_ITEM_KIND_DELIVERY)
          continue;
        t0 = g_get_monotonic_time ();
        e = tt_pod_record_delivery (store, &in, NULL);
        v = (g_get_monotonic_time () - t0) / 1000.0;
        g_assert (e != NULL);
        g_array_append_val (rec_ms, v);
      }
    report ("record a delivery", rec_ms, "ms");

    for (guint i = 0; i < 50; i++)
      {
        gint64 t0 = g_get_monotonic_time ();
        cairo_surface_t *s = tt_receipt_render_qr_text ("TANTAY-RECEIPT\nitem=EE261102114VN\n"
                                                        "code=55F8-A4C8-7708\nname=Phạm Thị Lụa",
                                                        4, NULL);
        double v = (g_get_monotonic_time () - t0) / 1000.0;
        cairo_surface_destroy (s);
        g_array_append_val (qr_ms, v);
      }
    report ("receipt QR (ECI, 4 px)", qr_ms, "ms");
  }
  return 0;
}
