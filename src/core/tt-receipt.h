/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib-object.h>

#include "tt-event.h"
#include "tt-item.h"

G_BEGIN_DECLS

#define TT_RECEIPT_ERROR (tt_receipt_error_quark ())

typedef enum
{
  TT_RECEIPT_ERROR_INVALID,     /* not an intake event, or its payload unreadable */
  TT_RECEIPT_ERROR_QR,          /* text too long for a QR code */
  TT_RECEIPT_ERROR_IO,          /* the PDF could not be written */
} TtReceiptError;

/* Quiet zone around a QR code, in modules (ISO/IEC 18004). */
#define TT_RECEIPT_QR_QUIET_ZONE 4

#define TT_TYPE_RECEIPT (tt_receipt_get_type ())
G_DECLARE_FINAL_TYPE (TtReceipt, tt_receipt, TT, RECEIPT, GObject)

GQuark           tt_receipt_error_quark      (void);

/* The citizen's receipt for a dossier taken in: @event is the intake
 * event recorded for @item. */
TtReceipt       *tt_receipt_new              (TtItem        *item,
                                              const TtEvent *event,
                                              GError       **error);
const char      *tt_receipt_get_item_id      (TtReceipt     *self);
const char      *tt_receipt_get_code         (TtReceipt     *self);
/* What the QR code carries (item id and verification code first). */
const char      *tt_receipt_get_qr_text      (TtReceipt     *self);
/* The receipt as plain lines of text, translated. */
char            *tt_receipt_get_text         (TtReceipt     *self);
/* Side of the QR symbol in modules, quiet zone included. */
int              tt_receipt_get_qr_size      (TtReceipt     *self);
/* Draws the QR code with its top-left corner at (@x, @y), @module_px
 * device units per module, quiet zone included: whole pixels when @x, @y
 * and @module_px are whole and the target is not scaled. */
void             tt_receipt_draw_qr          (TtReceipt     *self,
                                              cairo_t       *cr,
                                              double         x,
                                              double         y,
                                              double         module_px);
gboolean         tt_receipt_export_pdf       (TtReceipt     *self,
                                              const char    *path,
                                              GError       **error);

/* Encodes any UTF-8 text as a QR code image (white quiet zone included),
 * with a UTF-8 ECI header when the text is not plain ASCII. */
cairo_surface_t *tt_receipt_render_qr_text   (const char    *text,
                                              int            module_px,
                                              GError       **error);

G_END_DECLS
