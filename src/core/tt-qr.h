/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TT_QR_ERROR (tt_qr_error_quark ())

typedef enum
{
  TT_QR_ERROR_GSTREAMER,   /* GStreamer or a plugin is missing */
  TT_QR_ERROR_READ,        /* the file cannot be read or is not an image */
} TtQrError;

/* How hard to try on a frame that gives nothing as it is. */
typedef enum
{
  TT_QR_EFFORT_FRAME,      /* live camera frames: the next frame is a retry */
  TT_QR_EFFORT_THOROUGH,   /* still images: scaled, smoothed, stretched, inverted */
} TtQrEffort;

/* One zbar scanner.  Not thread-safe: use one per thread. */
typedef struct _TtQr TtQr;

GQuark      tt_qr_error_quark    (void);

TtQr       *tt_qr_new            (void);
void        tt_qr_free           (TtQr          *qr);
/* Decodes an 8-bit grey image.  Returns the payloads found (GBytes,
 * exact bytes, which may be any binary; each payload once), possibly
 * empty.  QR codes are read with ZBAR_CFG_BINARY, so no character-set
 * guess ever changes the bytes; Code 128 and Code 39 too (item labels). */
GPtrArray  *tt_qr_decode_gray8   (TtQr          *qr,
                                  const guint8  *pixels,
                                  guint          width,
                                  guint          height,
                                  guint          stride,
                                  TtQrEffort     effort);
/* Decodes an image file through GStreamer (filesrc ! decodebin !
 * videoconvert ! GRAY8 ! appsink), thoroughly.  An image without a code
 * gives an empty array, not an error. */
GPtrArray  *tt_qr_decode_file    (const char    *path,
                                  GError       **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtQr, tt_qr_free)

G_END_DECLS
