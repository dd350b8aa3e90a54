/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <zbar.h>

#include "tt-pod-test-util.h"

TtSignature *
tt_test_make_signature (GRand   *rand,
                        double   width,
                        double   height,
                        double   rate_hz,
                        gboolean pressure)
{
  TtSignature *sig = tt_signature_new ();
  guint n_strokes = g_rand_int_range (rand, 1, 5);
  double x = width * g_rand_double_range (rand, 0.08, 0.2);
  double t_ms = 1000;

  for (guint s = 0; s < n_strokes; s++)
    {
      gboolean underline = s == n_strokes - 1 && n_strokes > 2;
      double duration = underline ? g_rand_double_range (rand, 0.25, 0.5)
                                  : g_rand_double_range (rand, 0.5, 1.4);
      double speed = width * g_rand_double_range (rand, 0.25, 0.45);   /* px/s */
      double yc = height * g_rand_double_range (rand, 0.35, 0.6);
      double a1 = height * g_rand_double_range (rand, 0.05, 0.12);
      double a2 = height * g_rand_double_range (rand, 0.12, 0.25);
      double f1 = g_rand_double_range (rand, 2.5, 5), f2 = g_rand_double_range (rand, 3, 6);
      double p1 = g_rand_double_range (rand, 0, 6.28), p2 = g_rand_double_range (rand, 0, 6.28);
      double x0 = underline ? width * 0.1 : x;
      guint n = MAX (2, (guint) (duration * rate_hz));

      tt_signature_begin_stroke (sig, width, height);
      for (guint i = 0; i < n; i++)
        {
          double t = i / rate_hz;
          double px, py, pr = -1;

          if (underline)
            {
              px = x0 + width * 1.6 * t;
              py = height * 0.8 + 4 * sin (6 * t);
            }
          else
            {
              px = x0 + speed * t + a1 * sin (2 * G_PI * f1 * t + p1);
              py = yc + a2 * sin (2 * G_PI * f2 * t + p2) + a1 * 0.4 * sin (2 * G_PI * 1.3 * t);
            }
          /* Touch panels report with about half a pixel of noise. */
          px += g_rand_double_range (rand, -0.5, 0.5);
          py += g_rand_double_range (rand, -0.5, 0.5);
          if (pressure)
            pr = 0.55 + 0.3 * sin (2 * G_PI * 1.7 * t + p1) + g_rand_double_range (rand, -0.02, 0.02);
          tt_signature_add_point (sig, px, py, (guint32) (t_ms + t * 1000), pr);
        }
      tt_signature_end_stroke (sig);
      if (!underline)
        x = MIN (x0 + speed * duration + width * 0.05, width * 0.85);
      t_ms += duration * 1000 + g_rand_double_range (rand, 120, 400);
    }
  return sig;
}

GPtrArray *
tt_test_decode_qr (cairo_surface_t *surface)
{
  GPtrArray *found = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  int w = cairo_image_surface_get_width (surface);
  int h = cairo_image_surface_get_height (surface);
  int stride = cairo_image_surface_get_stride (surface);
  const guint8 *data;
  guint8 *grey = g_malloc ((gsize) w * h);
  zbar_image_scanner_t *scanner = zbar_image_scanner_create ();
  zbar_image_t *image = zbar_image_create ();

  cairo_surface_flush (surface);
  data = cairo_image_surface_get_data (surface);
  for (int y = 0; y < h; y++)
    for (int x = 0; x < w; x++)
      {
        guint32 px = *(const guint32 *) (data + y * stride + x * 4);
        grey[y * w + x] = (((px >> 16) & 0xff) + ((px >> 8) & 0xff) + (px & 0xff)) / 3;
      }

  zbar_image_scanner_set_config (scanner, 0, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config (scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config (scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
  zbar_image_set_format (image, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (image, w, h);
  zbar_image_set_data (image, grey, (unsigned long) w * h, NULL);
  zbar_scan_image (scanner, image);
  for (const zbar_symbol_t *s = zbar_image_first_symbol (image); s; s = zbar_symbol_next (s))
    g_ptr_array_add (found, g_bytes_new (zbar_symbol_get_data (s), zbar_symbol_get_data_length (s)));
  zbar_image_destroy (image);
  zbar_image_scanner_destroy (scanner);
  g_free (grey);
  return found;
}
