/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tt-signature.h"

G_BEGIN_DECLS

#define TT_TYPE_SIGNATURE_PAD (tt_signature_pad_get_type ())
G_DECLARE_FINAL_TYPE (TtSignaturePad, tt_signature_pad, TT, SIGNATURE_PAD, GtkWidget)

GtkWidget   *tt_signature_pad_new           (void);
/* The strokes drawn so far (owned by the pad). */
TtSignature *tt_signature_pad_get_signature (TtSignaturePad *self);
gboolean     tt_signature_pad_get_empty     (TtSignaturePad *self);
void         tt_signature_pad_clear         (TtSignaturePad *self);
void         tt_signature_pad_undo          (TtSignaturePad *self);

G_END_DECLS
