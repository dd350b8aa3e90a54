/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tt-receipt.h"

G_BEGIN_DECLS

#define TT_TYPE_RECEIPT_PAGE (tt_receipt_page_get_type ())
G_DECLARE_FINAL_TYPE (TtReceiptPage, tt_receipt_page, TT, RECEIPT_PAGE, AdwBin)

/* The citizen's receipt on screen, with its QR code, and a PDF export
 * into @folder. */
GtkWidget  *tt_receipt_page_new         (TtReceipt     *receipt,
                                         const char    *folder);
TtReceipt  *tt_receipt_page_get_receipt (TtReceiptPage *self);
/* Writes the PDF; returns its path or NULL with @error set. */
char       *tt_receipt_page_export      (TtReceiptPage *self,
                                         GError       **error);

G_END_DECLS
