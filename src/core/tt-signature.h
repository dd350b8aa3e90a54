/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <cairo.h>
#include <glib-object.h>

G_BEGIN_DECLS

#define TT_SIGNATURE_ERROR (tt_signature_error_quark ())

typedef enum
{
  TT_SIGNATURE_ERROR_EMPTY,       /* nothing drawn */
  TT_SIGNATURE_ERROR_TOO_SHORT,   /* a dot or a tick, not a signature */
  TT_SIGNATURE_ERROR_TOO_SMALL,   /* drawn in a corner, too small to compare */
  TT_SIGNATURE_ERROR_CORRUPT,     /* encoded form unreadable */
} TtSignatureError;

/* How tt_signature_draw() places the strokes in the target rectangle. */
typedef enum
{
  TT_SIGNATURE_FIT_CANVAS,        /* the whole pad, as the signer saw it */
  TT_SIGNATURE_FIT_INK,           /* the ink's bounding box, centred */
} TtSignatureFit;

/* Points are kept normalised: the pad's longer side is 1.0, so strokes
 * recorded on a 320 px phone and a 1280 px tablet compare alike. */
typedef struct
{
  double  x;
  double  y;
  guint32 t_ms;        /* since the first point of the signature */
  double  pressure;    /* 0..1, or -1 when the device does not report it */
} TtSignaturePoint;

#define TT_TYPE_SIGNATURE (tt_signature_get_type ())
G_DECLARE_FINAL_TYPE (TtSignature, tt_signature, TT, SIGNATURE, GObject)

GQuark       tt_signature_error_quark   (void);

TtSignature *tt_signature_new           (void);
/* Starts a stroke on a pad of @width × @height pixels (the pad may change
 * size between strokes, e.g. when the phone is turned). */
void         tt_signature_begin_stroke  (TtSignature      *self,
                                         double            width,
                                         double            height);
/* Adds a point in pad pixels; @t_ms is any monotonic clock in ms
 * (event times), @pressure 0..1 or -1. */
void         tt_signature_add_point     (TtSignature      *self,
                                         double            x,
                                         double            y,
                                         guint32           t_ms,
                                         double            pressure);
void         tt_signature_end_stroke    (TtSignature      *self);
/* Removes the last stroke; FALSE when there was none. */
gboolean     tt_signature_undo          (TtSignature      *self);
void         tt_signature_clear         (TtSignature      *self);

guint        tt_signature_get_n_strokes (TtSignature      *self);
guint        tt_signature_get_n_points  (TtSignature      *self);
/* The points of stroke @index (normalised). */
const TtSignaturePoint *
             tt_signature_get_stroke    (TtSignature      *self,
                                         guint             index,
                                         guint            *n_points);
gboolean     tt_signature_has_pressure  (TtSignature      *self);
/* Aspect of the pad: the longer side is 1.0. */
void         tt_signature_get_canvas    (TtSignature      *self,
                                         double           *width,
                                         double           *height);

/* Refuses what cannot be a signature: nothing, a dot or a tick (too few
 * points or too little ink), or a scribble in a corner. */
gboolean     tt_signature_validate      (TtSignature      *self,
                                         GError          **error);

/* Compact binary form (quantised, delta- and varint-coded, simplified
 * within a fraction of a pixel) and its base64 text for JSON payloads. */
GBytes      *tt_signature_encode        (TtSignature      *self);
char        *tt_signature_to_base64     (TtSignature      *self);
TtSignature *tt_signature_decode        (GBytes           *bytes,
                                         GError          **error);
TtSignature *tt_signature_from_base64   (const char       *text,
                                         GError          **error);

/* Draws the strokes with cairo into (@x, @y, @width, @height). */
void         tt_signature_draw          (TtSignature      *self,
                                         cairo_t          *cr,
                                         double            x,
                                         double            y,
                                         double            width,
                                         double            height,
                                         TtSignatureFit    fit);
/* A transparent ARGB32 image of the ink, fitted into @width × @height. */
cairo_surface_t *
             tt_signature_render_image  (TtSignature      *self,
                                         int               width,
                                         int               height);
/* A standalone SVG document of the ink, @width × @height user units
 * (scales without loss). */
char        *tt_signature_to_svg        (TtSignature      *self,
                                         double            width,
                                         double            height);

G_END_DECLS
