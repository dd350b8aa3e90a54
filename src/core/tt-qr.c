/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-qr"

#include "config.h"

#include <glib/gi18n.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <string.h>
#include <zbar.h>

#include "tt-qr.h"

G_DEFINE_QUARK (tt-qr-error-quark, tt_qr_error)

/* How long a file may take to decode before we give up on it. */
#define FILE_TIMEOUT_S 20

struct _TtQr
{
  zbar_image_scanner_t *scanner;
};

/* A grey image owned by us, rows packed (stride == width), as zbar's
 * Y800 format wants. */
typedef struct
{
  guint   width;
  guint   height;
  guint8 *pixels;
} Gray;

static Gray *
gray_new (guint width,
          guint height)
{
  Gray *g = g_new (Gray, 1);

  g->width = width;
  g->height = height;
  g->pixels = g_malloc ((gsize) width * height);
  return g;
}

static void
gray_free (Gray *g)
{
  if (g == NULL)
    return;
  g_free (g->pixels);
  g_free (g);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Gray, gray_free)

TtQr *
tt_qr_new (void)
{
  TtQr *qr = g_new0 (TtQr, 1);

  qr->scanner = zbar_image_scanner_create ();
  /* Only what a courier meets: QR (citizen ID, links, labels) and the
   * linear codes item labels carry.  Fewer symbologies, fewer false
   * reads from textures in a camera frame. */
  zbar_image_scanner_set_config (qr->scanner, ZBAR_NONE, ZBAR_CFG_ENABLE, 0);
  zbar_image_scanner_set_config (qr->scanner, ZBAR_QRCODE, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config (qr->scanner, ZBAR_CODE128, ZBAR_CFG_ENABLE, 1);
  zbar_image_scanner_set_config (qr->scanner, ZBAR_CODE39, ZBAR_CFG_ENABLE, 1);
  /* Without this zbar guesses a character set for QR codes without an
   * ECI header and turns Vietnamese UTF-8 into Shift-JIS or Latin-1
   * mojibake; we want the bytes as printed. */
  zbar_image_scanner_set_config (qr->scanner, ZBAR_QRCODE, ZBAR_CFG_BINARY, 1);
  return qr;
}

void
tt_qr_free (TtQr *qr)
{
  if (qr == NULL)
    return;
  g_clear_pointer (&qr->scanner, zbar_image_scanner_destroy);
  g_free (qr);
}

static gboolean
bytes_in (GPtrArray    *found,
          const guint8 *data,
          gsize         len)
{
  for (guint i = 0; i < found->len; i++)
    {
      gsize n;
      const guint8 *d = g_bytes_get_data (found->pdata[i], &n);

      if (n == len && memcmp (d, data, len) == 0)
        return TRUE;
    }
  return FALSE;
}

static void
scan_gray (TtQr       *qr,
           const Gray *g,
           GPtrArray  *found)
{
  zbar_image_t *img = zbar_image_create ();

  zbar_image_set_format (img, zbar_fourcc ('Y', '8', '0', '0'));
  zbar_image_set_size (img, g->width, g->height);
  zbar_image_set_data (img, g->pixels, (unsigned long) g->width * g->height, NULL);

  if (zbar_scan_image (qr->scanner, img) > 0)
    for (const zbar_symbol_t *sym = zbar_image_first_symbol (img); sym != NULL;
         sym = zbar_symbol_next (sym))
      {
        /* The length, not strlen: a payload may hold NUL bytes. */
        const guint8 *data = (const guint8 *) zbar_symbol_get_data (sym);
        gsize len = zbar_symbol_get_data_length (sym);

        if (len > 0 && !bytes_in (found, data, len))
          g_ptr_array_add (found, g_bytes_new (data, len));
      }
  zbar_image_destroy (img);
}

/* Variants tried on a still image that gives nothing as it is.  Each one
 * answers a failure seen on real photos. */

/* Tiny modules (a version-40 code at one pixel per module) and codes
 * printed without a quiet zone: double the size and add a white margin. */
static Gray *
upscale_with_margin (const Gray *g)
{
  const guint margin = 16;
  Gray *out = gray_new (g->width * 2 + 2 * margin, g->height * 2 + 2 * margin);

  memset (out->pixels, 255, (gsize) out->width * out->height);
  for (guint y = 0; y < g->height * 2; y++)
    {
      const guint8 *src = g->pixels + (gsize) (y / 2) * g->width;
      guint8 *dst = out->pixels + (gsize) (y + margin) * out->width + margin;

      for (guint x = 0; x < g->width * 2; x++)
        dst[x] = src[x / 2];
    }
  return out;
}

/* Texture inside the modules (artistic codes, print grain, noise): a box
 * blur of radius @r, rows then columns. */
static Gray *
box_blur (const Gray *g,
          guint       r)
{
  g_autoptr(Gray) tmp = gray_new (g->width, g->height);
  Gray *out = gray_new (g->width, g->height);
  guint w = g->width, h = g->height;

  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        guint sum = 0, n = 0;

        for (guint k = x >= r ? x - r : 0; k <= MIN (x + r, w - 1); k++, n++)
          sum += g->pixels[(gsize) y * w + k];
        tmp->pixels[(gsize) y * w + x] = sum / n;
      }
  for (guint y = 0; y < h; y++)
    for (guint x = 0; x < w; x++)
      {
        guint sum = 0, n = 0;

        for (guint k = y >= r ? y - r : 0; k <= MIN (y + r, h - 1); k++, n++)
          sum += tmp->pixels[(gsize) k * w + x];
        out->pixels[(gsize) y * w + x] = sum / n;
      }
  return out;
}

/* Large, noisy frames: half the size, each pixel the mean of four. */
static Gray *
downscale_half (const Gray *g)
{
  Gray *out = gray_new (MAX (g->width / 2, 1), MAX (g->height / 2, 1));

  for (guint y = 0; y < out->height; y++)
    for (guint x = 0; x < out->width; x++)
      {
        guint x0 = MIN (2 * x, g->width - 1), x1 = MIN (2 * x + 1, g->width - 1);
        guint y0 = MIN (2 * y, g->height - 1), y1 = MIN (2 * y + 1, g->height - 1);

        out->pixels[(gsize) y * out->width + x] =
          (g->pixels[(gsize) y0 * g->width + x0] + g->pixels[(gsize) y0 * g->width + x1]
           + g->pixels[(gsize) y1 * g->width + x0] + g->pixels[(gsize) y1 * g->width + x1]) / 4;
      }
  return out;
}

/* Low light and colour casts: stretch the 1st–99th percentile to the full
 * range.  With @invert, light codes on dark ground become dark on light. */
static Gray *
stretch (const Gray *g,
         gboolean    invert)
{
  gsize n = (gsize) g->width * g->height, acc = 0;
  guint hist[256] = { 0 }, lo = 0, hi = 255;
  Gray *out = gray_new (g->width, g->height);

  for (gsize i = 0; i < n; i++)
    hist[g->pixels[i]]++;
  for (lo = 0; lo < 255 && (acc += hist[lo]) < n / 100; lo++)
    ;
  acc = 0;
  for (hi = 255; hi > 0 && (acc += hist[hi]) < n / 100; hi--)
    ;
  if (hi <= lo)
    {
      lo = 0;
      hi = 255;
    }
  for (gsize i = 0; i < n; i++)
    {
      int v = ((int) g->pixels[i] - (int) lo) * 255 / (int) (hi - lo);

      v = CLAMP (v, 0, 255);
      out->pixels[i] = invert ? 255 - v : v;
    }
  return out;
}

typedef enum
{
  VARIANT_UPSCALE,
  VARIANT_BLUR_1,
  VARIANT_BLUR_2,
  VARIANT_HALF,
  VARIANT_STRETCH,
  VARIANT_INVERT,
  N_VARIANTS,
} Variant;

static Gray *
make_variant (const Gray *g,
              Variant     v)
{
  switch (v)
    {
    case VARIANT_UPSCALE: return upscale_with_margin (g);
    case VARIANT_BLUR_1:  return box_blur (g, 1);
    case VARIANT_BLUR_2:  return box_blur (g, 2);
    case VARIANT_HALF:    return downscale_half (g);
    case VARIANT_STRETCH: return stretch (g, FALSE);
    case VARIANT_INVERT:  return stretch (g, TRUE);
    case N_VARIANTS:
    default:              g_assert_not_reached ();
    }
}

GPtrArray *
tt_qr_decode_gray8 (TtQr         *qr,
                    const guint8 *pixels,
                    guint         width,
                    guint         height,
                    guint         stride,
                    TtQrEffort    effort)
{
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(Gray) g = NULL;

  g_return_val_if_fail (qr != NULL, NULL);
  g_return_val_if_fail (pixels != NULL || width == 0 || height == 0, NULL);
  g_return_val_if_fail (stride >= width, NULL);

  if (width == 0 || height == 0)
    return g_steal_pointer (&found);

  g = gray_new (width, height);
  for (guint y = 0; y < height; y++)
    memcpy (g->pixels + (gsize) y * width, pixels + (gsize) y * stride, width);

  scan_gray (qr, g, found);
  if (found->len > 0 || effort == TT_QR_EFFORT_FRAME)
    return g_steal_pointer (&found);

  for (Variant v = 0; v < N_VARIANTS && found->len == 0; v++)
    {
      g_autoptr(Gray) alt = make_variant (g, v);

      scan_gray (qr, alt, found);
    }
  return g_steal_pointer (&found);
}

static gboolean
ensure_gst (GError **error)
{
  g_autoptr(GError) local = NULL;

  if (!gst_init_check (NULL, NULL, &local))
    {
      g_set_error (error, TT_QR_ERROR, TT_QR_ERROR_GSTREAMER,
                   _("GStreamer could not start: %s"), local->message);
      return FALSE;
    }
  return TRUE;
}

GPtrArray *
tt_qr_decode_file (const char  *path,
                   GError     **error)
{
  g_autoptr(GstElement) pipeline = NULL;
  g_autoptr(GstElement) src = NULL;
  g_autoptr(GstElement) sink = NULL;
  g_autoptr(GstSample) sample = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autoptr(GstMessage) msg = NULL;
  g_autoptr(GError) local = NULL;
  g_autoptr(TtQr) qr = NULL;
  g_autofree char *shown = NULL;
  GstVideoInfo info;
  GstMapInfo map;
  GPtrArray *found;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  shown = g_filename_display_name (path);
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, TT_QR_ERROR, TT_QR_ERROR_READ,
                   _("“%s” does not exist or is not a file"), shown);
      return NULL;
    }
  if (!ensure_gst (error))
    return NULL;

  pipeline = gst_parse_launch ("filesrc name=src ! decodebin ! videoconvert ! videoscale"
                               " ! video/x-raw,format=GRAY8 ! appsink name=sink sync=false",
                               &local);
  if (pipeline == NULL)
    {
      g_set_error (error, TT_QR_ERROR, TT_QR_ERROR_GSTREAMER,
                   _("The GStreamer elements to read images are missing: %s"), local->message);
      return NULL;
    }
  gst_object_ref_sink (pipeline);
  /* The location is set as a property, never spliced into the pipeline
   * text, so no file name can change the pipeline. */
  src = gst_bin_get_by_name (GST_BIN (pipeline), "src");
  sink = gst_bin_get_by_name (GST_BIN (pipeline), "sink");
  g_object_set (src, "location", path, NULL);

  /* Wait on the bus, not on the sink: a file that is not an image ends
   * in an error message and the sink would wait for ever. */
  bus = gst_element_get_bus (pipeline);
  gst_element_set_state (pipeline, GST_STATE_PAUSED);
  msg = gst_bus_timed_pop_filtered (bus, FILE_TIMEOUT_S * GST_SECOND,
                                    GST_MESSAGE_ASYNC_DONE | GST_MESSAGE_ERROR | GST_MESSAGE_EOS);
  if (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ASYNC_DONE)
    sample = gst_app_sink_try_pull_preroll (GST_APP_SINK (sink), 0);
  if (sample == NULL)
    {
      if (msg != NULL && GST_MESSAGE_TYPE (msg) == GST_MESSAGE_ERROR)
        {
          g_autoptr(GError) gerr = NULL;

          gst_message_parse_error (msg, &gerr, NULL);
          g_set_error (error, TT_QR_ERROR, TT_QR_ERROR_READ,
                       _("“%s” is not an image this app can read: %s"), shown, gerr->message);
        }
      else
        g_set_error (error, TT_QR_ERROR, TT_QR_ERROR_READ,
                     _("“%s” gave no picture (empty, cut off, or too slow to decode)"), shown);
      gst_element_set_state (pipeline, GST_STATE_NULL);
      return NULL;
    }

  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
      || GST_VIDEO_INFO_FORMAT (&info) != GST_VIDEO_FORMAT_GRAY8
      || !gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ))
    {
      g_set_error (error, TT_QR_ERROR, TT_QR_ERROR_READ,
                   _("“%s” could not be converted to a grey picture"), shown);
      gst_element_set_state (pipeline, GST_STATE_NULL);
      return NULL;
    }

  qr = tt_qr_new ();
  found = tt_qr_decode_gray8 (qr, map.data, GST_VIDEO_INFO_WIDTH (&info),
                              GST_VIDEO_INFO_HEIGHT (&info),
                              GST_VIDEO_INFO_PLANE_STRIDE (&info, 0), TT_QR_EFFORT_THOROUGH);
  gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
  gst_element_set_state (pipeline, GST_STATE_NULL);
  return found;
}
