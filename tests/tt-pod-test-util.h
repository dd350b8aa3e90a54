/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib.h>

#include "tt-signature.h"

G_BEGIN_DECLS

/* A handwriting-like signature drawn on a @width × @height pad: a few
 * strokes of loops moving right, with touch jitter, sampled at @rate_hz
 * (60 for a finger, 120–240 for a stylus) and with pressure when
 * @pressure.  Deterministic for a given @rand state. */
TtSignature *tt_test_make_signature (GRand           *rand,
                                     double           width,
                                     double           height,
                                     double           rate_hz,
                                     gboolean         pressure);
/* Every QR code zbar finds in @surface, as the exact bytes it carries
 * (binary mode, as docs/… and the scanner use it). */
GPtrArray   *tt_test_decode_qr      (cairo_surface_t *surface);

G_END_DECLS
