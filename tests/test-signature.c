/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Signatures: recording, validation, the compact encoding and rendering. */
#include "config.h"

#include <math.h>

#include "tt-signature.h"
#include "tt-pod-test-util.h"

/* Encoding keeps points within the simplification tolerance plus the
 * quantisation step (on a pad whose longer side is 1.0). */
#define ROUND_TRIP_TOLERANCE ((0.9 + 0.71) / 1000.0)

static double
point_to_polyline (const TtSignaturePoint *p,
                   const TtSignaturePoint *line,
                   guint                   n)
{
  double best = G_MAXDOUBLE;

  if (n == 1)
    return hypot (p->x - line[0].x, p->y - line[0].y);
  for (guint i = 1; i < n; i++)
    {
      double dx = line[i].x - line[i - 1].x, dy = line[i].y - line[i - 1].y;
      double len2 = dx * dx + dy * dy;
      double t = len2 > 0 ? ((p->x - line[i - 1].x) * dx + (p->y - line[i - 1].y) * dy) / len2 : 0;
      t = CLAMP (t, 0.0, 1.0);
      best = MIN (best, hypot (p->x - line[i - 1].x - t * dx, p->y - line[i - 1].y - t * dy));
    }
  return best;
}

static void
test_round_trip (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);

  for (guint k = 0; k < 40; k++)
    {
      gboolean pressure = k % 2 == 0;
      g_autoptr(TtSignature) sig = tt_test_make_signature (rand, 340, 200, pressure ? 120 : 60,
                                                           pressure);
      g_autoptr(GBytes) bytes = tt_signature_encode (sig);
      g_autoptr(GBytes) again = NULL;
      g_autoptr(TtSignature) back = NULL;
      g_autoptr(TtSignature) from_text = NULL;
      g_autofree char *b64 = tt_signature_to_base64 (sig);
      g_autoptr(GError) error = NULL;
      double cw, ch, bw, bh;

      back = tt_signature_decode (bytes, &error);
      g_assert_no_error (error);
      g_assert_nonnull (back);
      from_text = tt_signature_from_base64 (b64, &error);
      g_assert_no_error (error);

      /* Decoding then encoding again gives the very same bytes. */
      again = tt_signature_encode (back);
      g_assert_true (g_bytes_equal (bytes, again));
      again = (g_bytes_unref (again), tt_signature_encode (from_text));
      g_assert_true (g_bytes_equal (bytes, again));

      g_assert_cmpuint (tt_signature_get_n_strokes (back), ==, tt_signature_get_n_strokes (sig));
      g_assert_cmpint (tt_signature_has_pressure (back), ==, pressure);
      tt_signature_get_canvas (sig, &cw, &ch);
      tt_signature_get_canvas (back, &bw, &bh);
      g_assert_cmpfloat_with_epsilon (cw, bw, 1e-3);
      g_assert_cmpfloat_with_epsilon (ch, bh, 1e-3);

      for (guint s = 0; s < tt_signature_get_n_strokes (sig); s++)
        {
          guint n, m;
          const TtSignaturePoint *orig = tt_signature_get_stroke (sig, s, &n);
          const TtSignaturePoint *dec = tt_signature_get_stroke (back, s, &m);

          g_assert_cmpuint (m, <=, n);
          g_assert_cmpuint (m, >=, 2);
          /* Each stroke starts and ends where and when it did. */
          g_assert_cmpuint (dec[0].t_ms, ==, orig[0].t_ms);
          g_assert_cmpuint (dec[m - 1].t_ms, ==, orig[n - 1].t_ms);
          g_assert_cmpfloat (fabs (dec[0].x - orig[0].x), <=, 0.0005 + 1e-9);
          /* Every recorded point lies on the decoded line. */
          for (guint i = 0; i < n; i++)
            g_assert_cmpfloat (point_to_polyline (&orig[i], dec, m), <=, ROUND_TRIP_TOLERANCE);
          for (guint i = 1; i < m; i++)
            g_assert_cmpuint (dec[i].t_ms, >=, dec[i - 1].t_ms);
          if (pressure)
            for (guint i = 0; i < m; i++)
              g_assert_cmpfloat (dec[i].pressure, >=, 0);
        }
      g_assert_true (tt_signature_validate (back, NULL));
    }
}

static int
cmp_size (gconstpointer a,
          gconstpointer b)
{
  return (int) *(const gsize *) a - (int) *(const gsize *) b;
}

/* Realistic synthetic signatures (finger at 60 Hz, stylus at 120 and
 * 240 Hz, phone and tablet pads) stay small in the event payload. */
static void
test_size (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (2026);
  g_autoptr(GArray) sizes = g_array_new (FALSE, FALSE, sizeof (gsize));
  static const struct { double w, h, hz; gboolean pressure; } kinds[] = {
    { 340, 200, 60, FALSE },  { 680, 300, 60, FALSE },
    { 340, 200, 120, TRUE },  { 1200, 500, 240, TRUE },
  };
  gsize median, max = 0;

  for (guint k = 0; k < 200; k++)
    {
      guint kind = k % G_N_ELEMENTS (kinds);
      g_autoptr(TtSignature) sig = tt_test_make_signature (rand, kinds[kind].w, kinds[kind].h,
                                                           kinds[kind].hz, kinds[kind].pressure);
      g_autofree char *b64 = tt_signature_to_base64 (sig);
      gsize len = strlen (b64);

      g_array_append_val (sizes, len);
      max = MAX (max, len);
    }
  g_array_sort (sizes, cmp_size);
  median = g_array_index (sizes, gsize, sizes->len / 2);
  g_test_message ("encoded signature (base64): median %zu bytes, 90th %zu, max %zu", median,
                  g_array_index (sizes, gsize, sizes->len * 9 / 10), max);
  g_assert_cmpuint (median, <, 1536);
  g_assert_cmpuint (g_array_index (sizes, gsize, sizes->len * 9 / 10), <, 1536);
}

/* The same hand movement on a pad twice the size is the same signature. */
static void
test_normalised (void)
{
  g_autoptr(GRand) r1 = g_rand_new_with_seed (5);
  g_autoptr(TtSignature) small = tt_test_make_signature (r1, 300, 150, 60, FALSE);
  g_autoptr(TtSignature) big = tt_signature_new ();
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) b = NULL;

  for (guint s = 0; s < tt_signature_get_n_strokes (small); s++)
    {
      guint n;
      const TtSignaturePoint *p = tt_signature_get_stroke (small, s, &n);
      tt_signature_begin_stroke (big, 900, 450);
      for (guint i = 0; i < n; i++)
        tt_signature_add_point (big, p[i].x * 900, p[i].y * 900, p[i].t_ms + 5000, -1);
      tt_signature_end_stroke (big);
    }
  a = tt_signature_encode (small);
  b = tt_signature_encode (big);
  g_assert_true (g_bytes_equal (a, b));
}

static TtSignature *
draw_line (double x0,
           double y0,
           double x1,
           double y1,
           guint  n)
{
  TtSignature *sig = tt_signature_new ();

  tt_signature_begin_stroke (sig, 400, 200);
  for (guint i = 0; i < n; i++)
    {
      double t = n > 1 ? (double) i / (n - 1) : 0;
      tt_signature_add_point (sig, x0 + t * (x1 - x0), y0 + t * (y1 - y0), i * 16, -1);
    }
  tt_signature_end_stroke (sig);
  return sig;
}

static void
assert_rejected (TtSignature *sig,
                 int          code)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = tt_signature_encode (sig);
  g_autoptr(TtSignature) back = NULL;

  g_assert_false (tt_signature_validate (sig, &error));
  g_assert_error (error, TT_SIGNATURE_ERROR, code);
  g_assert_cmpuint (strlen (error->message), >, 20);
  g_clear_error (&error);
  /* Decoded from an event, it is judged the same way. */
  back = tt_signature_decode (bytes, &error);
  g_assert_no_error (error);
  g_assert_false (tt_signature_validate (back, &error));
  g_assert_error (error, TT_SIGNATURE_ERROR, code);
}

static void
test_validation (void)
{
  g_autoptr(TtSignature) empty = tt_signature_new ();
  g_autoptr(TtSignature) dot = draw_line (100, 100, 100, 100, 1);
  g_autoptr(TtSignature) tap = draw_line (100, 100, 102, 101, 12);
  g_autoptr(TtSignature) tick = draw_line (100, 100, 130, 90, 5);
  g_autoptr(TtSignature) corner = tt_signature_new ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (3);
  g_autoptr(TtSignature) real = tt_test_make_signature (rand, 340, 200, 60, FALSE);

  assert_rejected (empty, TT_SIGNATURE_ERROR_EMPTY);
  assert_rejected (dot, TT_SIGNATURE_ERROR_TOO_SHORT);
  assert_rejected (tap, TT_SIGNATURE_ERROR_TOO_SHORT);
  assert_rejected (tick, TT_SIGNATURE_ERROR_TOO_SHORT);

  /* A long scribble packed into a 30-pixel corner of a 400-pixel pad. */
  tt_signature_begin_stroke (corner, 400, 200);
  for (guint i = 0; i < 200; i++)
    tt_signature_add_point (corner, 10 + 15 + 14 * sin (i * 0.7), 10 + 15 + 14 * cos (i * 0.5),
                            i * 16, -1);
  tt_signature_end_stroke (corner);
  assert_rejected (corner, TT_SIGNATURE_ERROR_TOO_SMALL);

  g_assert_true (tt_signature_validate (real, NULL));
}

static void
test_undo_clear (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (8);
  g_autoptr(TtSignature) sig = tt_test_make_signature (rand, 340, 200, 60, TRUE);
  guint n = tt_signature_get_n_strokes (sig);

  g_assert_cmpuint (n, >=, 1);
  g_assert_true (tt_signature_undo (sig));
  g_assert_cmpuint (tt_signature_get_n_strokes (sig), ==, n - 1);
  tt_signature_clear (sig);
  g_assert_cmpuint (tt_signature_get_n_strokes (sig), ==, 0);
  g_assert_false (tt_signature_undo (sig));
  g_assert_false (tt_signature_has_pressure (sig));
  /* An empty stroke (a touch that never moved in) leaves nothing. */
  tt_signature_begin_stroke (sig, 100, 100);
  tt_signature_end_stroke (sig);
  g_assert_cmpuint (tt_signature_get_n_strokes (sig), ==, 0);
}

static void
test_corrupt (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (9);
  g_autoptr(TtSignature) sig = tt_test_make_signature (rand, 340, 200, 120, TRUE);
  g_autoptr(GBytes) bytes = tt_signature_encode (sig);
  gsize len;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  static const char *const bad_text[] = { "", "!!!!", "abc", "AAAA", "////////", "Zm9v\n" };

  /* Every truncation is refused, none crashes. */
  for (gsize cut = 0; cut < len; cut++)
    {
      g_autoptr(GBytes) part = g_bytes_new (data, cut);
      g_autoptr(GError) error = NULL;
      g_autoptr(TtSignature) back = tt_signature_decode (part, &error);

      g_assert_null (back);
      g_assert_error (error, TT_SIGNATURE_ERROR, TT_SIGNATURE_ERROR_CORRUPT);
    }
  /* Random bytes: refused or, rarely, a valid-looking but bounded result. */
  for (guint k = 0; k < 2000; k++)
    {
      guint8 junk[64];
      g_autoptr(GBytes) b = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(TtSignature) back = NULL;

      for (guint i = 0; i < sizeof junk; i++)
        junk[i] = g_rand_int_range (rand, 0, 256);
      junk[0] = k % 3 == 0 ? 1 : junk[0];
      b = g_bytes_new (junk, g_rand_int_range (rand, 0, sizeof junk));
      back = tt_signature_decode (b, &error);
      g_assert_true ((back == NULL) != (error == NULL));
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad_text); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(TtSignature) back = tt_signature_from_base64 (bad_text[i], &error);
      g_assert_null (back);
      g_assert_error (error, TT_SIGNATURE_ERROR, TT_SIGNATURE_ERROR_CORRUPT);
    }
}

static void
ink_box (cairo_surface_t *s,
         int             *x0,
         int             *y0,
         int             *x1,
         int             *y1,
         guint           *partial)
{
  int w = cairo_image_surface_get_width (s), h = cairo_image_surface_get_height (s);
  int stride = cairo_image_surface_get_stride (s);
  const guint8 *data = cairo_image_surface_get_data (s);

  *x0 = w, *y0 = h, *x1 = -1, *y1 = -1, *partial = 0;
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint8 a = *(const guint32 *) (data + y * stride + x * 4) >> 24;
        if (a == 0)
          continue;
        *x0 = MIN (*x0, x), *y0 = MIN (*y0, y), *x1 = MAX (*x1, x), *y1 = MAX (*y1, y);
        *partial += a < 255;
      }
}

static void
test_render (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (21);
  g_autoptr(TtSignature) sig = tt_test_make_signature (rand, 340, 200, 120, TRUE);
  static const int sizes[][2] = { { 170, 100 }, { 680, 400 }, { 2000, 600 } };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      cairo_surface_t *s = tt_signature_render_image (sig, sizes[i][0], sizes[i][1]);
      int x0, y0, x1, y1;
      guint partial;

      g_assert_cmpint (cairo_surface_status (s), ==, CAIRO_STATUS_SUCCESS);
      ink_box (s, &x0, &y0, &x1, &y1, &partial);
      /* The ink fills the image along one axis, within a small margin. */
      g_assert_cmpint (x1, >, x0);
      g_assert_true (x1 - x0 > sizes[i][0] * 0.85 || y1 - y0 > sizes[i][1] * 0.85);
      g_assert_cmpint (x0, >=, 0);
      /* Antialiased edges, not a blur: most ink pixels are fully opaque at
       * large sizes. */
      g_assert_cmpuint (partial, >, 0);
      cairo_surface_destroy (s);
    }
}

static void
svg_start (GMarkupParseContext *ctx,
           const char          *element,
           const char         **names,
           const char         **values,
           gpointer             user_data,
           GError             **error)
{
  guint *paths = user_data;

  if (g_str_equal (element, "path"))
    (*paths)++;
}

static void
test_svg (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (22);
  g_autoptr(TtSignature) sig = tt_test_make_signature (rand, 340, 200, 60, FALSE);
  g_autoptr(TtSignature) pressed = tt_test_make_signature (rand, 340, 200, 120, TRUE);
  g_autofree char *svg = tt_signature_to_svg (sig, 300, 120);
  g_autofree char *svg2 = tt_signature_to_svg (pressed, 300, 120);
  GMarkupParser parser = { .start_element = svg_start };
  GMarkupParseContext *ctx;
  g_autoptr(GError) error = NULL;
  guint paths = 0;

  g_assert_true (g_str_has_prefix (svg, "<svg xmlns=\"http://www.w3.org/2000/svg\""));
  g_assert_nonnull (strstr (svg, "viewBox=\"0 0 300.0 120.0\""));
  ctx = g_markup_parse_context_new (&parser, 0, &paths, NULL);
  g_assert_true (g_markup_parse_context_parse (ctx, svg, -1, &error));
  g_assert_true (g_markup_parse_context_end_parse (ctx, &error));
  g_assert_no_error (error);
  g_markup_parse_context_free (ctx);
  /* Without pressure, one path per stroke. */
  g_assert_cmpuint (paths, ==, tt_signature_get_n_strokes (sig));

  paths = 0;
  ctx = g_markup_parse_context_new (&parser, 0, &paths, NULL);
  g_assert_true (g_markup_parse_context_parse (ctx, svg2, -1, &error));
  g_assert_true (g_markup_parse_context_end_parse (ctx, &error));
  g_markup_parse_context_free (ctx);
  g_assert_cmpuint (paths, >, tt_signature_get_n_strokes (pressed));
  /* Locale-proof numbers. */
  g_assert_null (strstr (svg, ","));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signature/round-trip", test_round_trip);
  g_test_add_func ("/signature/size", test_size);
  g_test_add_func ("/signature/normalised", test_normalised);
  g_test_add_func ("/signature/validation", test_validation);
  g_test_add_func ("/signature/undo-clear", test_undo_clear);
  g_test_add_func ("/signature/corrupt", test_corrupt);
  g_test_add_func ("/signature/render", test_render);
  g_test_add_func ("/signature/svg", test_svg);

  return g_test_run ();
}
