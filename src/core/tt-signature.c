/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-signature"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>

#include "tt-signature.h"

/* Quantisation grid: the pad's longer side is QUANT units.  On a 360 px
 * phone a unit is a third of a pixel, on a 1280 px tablet 1.3 px. */
#define QUANT 1000
/* Points closer than this (grid units) to the line through their
 * neighbours are dropped when encoding: invisible, and it halves the size. */
#define SIMPLIFY_TOLERANCE 0.9
#define PRESSURE_LEVELS 63
#define PRESSURE_TOLERANCE 3
#define FORMAT_VERSION 1
#define FLAG_PRESSURE 0x01

/* Below these, what was drawn is a dot, a tick or a corner scribble. */
#define MIN_POINTS 8
#define MIN_INK_LENGTH 0.25
#define MIN_EXTENT 0.12

/* Refuse absurd encoded input rather than allocate for it. */
#define MAX_STROKES 500
#define MAX_POINTS 100000

struct _TtSignature
{
  GObject    parent_instance;

  GPtrArray *strokes;          /* GArray of TtSignaturePoint */
  double     canvas_w;         /* longer side 1.0 */
  double     canvas_h;
  double     scale;            /* pixels → normalised, current stroke */
  gboolean   have_t0;
  guint32    t0;
  guint32    last_t;
  gboolean   has_pressure;
  gboolean   in_stroke;
};

G_DEFINE_FINAL_TYPE (TtSignature, tt_signature, G_TYPE_OBJECT)
G_DEFINE_QUARK (tt-signature-error-quark, tt_signature_error)

static void
tt_signature_finalize (GObject *object)
{
  TtSignature *self = TT_SIGNATURE (object);

  g_clear_pointer (&self->strokes, g_ptr_array_unref);
  G_OBJECT_CLASS (tt_signature_parent_class)->finalize (object);
}

static void
tt_signature_class_init (TtSignatureClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tt_signature_finalize;
}

static void
tt_signature_init (TtSignature *self)
{
  self->strokes = g_ptr_array_new_with_free_func ((GDestroyNotify) g_array_unref);
  self->canvas_w = 1.0;
  self->canvas_h = 0.5;
  self->scale = 1.0;
}

TtSignature *
tt_signature_new (void)
{
  return g_object_new (TT_TYPE_SIGNATURE, NULL);
}

static GArray *
new_stroke (TtSignature *self)
{
  GArray *stroke = g_array_new (FALSE, FALSE, sizeof (TtSignaturePoint));

  g_ptr_array_add (self->strokes, stroke);
  return stroke;
}

void
tt_signature_begin_stroke (TtSignature *self,
                           double       width,
                           double       height)
{
  double longer;

  g_return_if_fail (TT_IS_SIGNATURE (self));
  g_return_if_fail (width > 0 && height > 0);

  longer = MAX (width, height);
  self->scale = 1.0 / longer;
  self->canvas_w = width / longer;
  self->canvas_h = height / longer;
  new_stroke (self);
  self->in_stroke = TRUE;
}

void
tt_signature_add_point (TtSignature *self,
                        double       x,
                        double       y,
                        guint32      t_ms,
                        double       pressure)
{
  TtSignaturePoint p;
  GArray *stroke;

  g_return_if_fail (TT_IS_SIGNATURE (self));

  if (!self->in_stroke || self->strokes->len == 0)
    return;
  stroke = g_ptr_array_index (self->strokes, self->strokes->len - 1);

  if (!self->have_t0)
    {
      self->have_t0 = TRUE;
      self->t0 = t_ms;
      self->last_t = 0;
    }
  /* Event clocks may wrap or repeat; time only moves forward here. */
  p.t_ms = t_ms >= self->t0 ? t_ms - self->t0 : self->last_t;
  p.t_ms = MAX (p.t_ms, self->last_t);
  self->last_t = p.t_ms;

  /* A finger dragged off the pad keeps reporting: pin it to the edge. */
  p.x = CLAMP (x * self->scale, 0.0, self->canvas_w);
  p.y = CLAMP (y * self->scale, 0.0, self->canvas_h);
  if (pressure >= 0 && isfinite (pressure))
    {
      p.pressure = CLAMP (pressure, 0.0, 1.0);
      self->has_pressure = TRUE;
    }
  else
    p.pressure = -1;

  /* Drop exact repeats (touch screens send them while the finger rests). */
  if (stroke->len > 0)
    {
      TtSignaturePoint *last = &g_array_index (stroke, TtSignaturePoint, stroke->len - 1);
      if (last->x == p.x && last->y == p.y && last->pressure == p.pressure)
        return;
    }
  g_array_append_val (stroke, p);
}

void
tt_signature_end_stroke (TtSignature *self)
{
  g_return_if_fail (TT_IS_SIGNATURE (self));

  self->in_stroke = FALSE;
  if (self->strokes->len > 0)
    {
      GArray *stroke = g_ptr_array_index (self->strokes, self->strokes->len - 1);
      if (stroke->len == 0)
        g_ptr_array_remove_index (self->strokes, self->strokes->len - 1);
    }
}

static void
reset_clock_if_empty (TtSignature *self)
{
  if (self->strokes->len == 0)
    {
      self->have_t0 = FALSE;
      self->last_t = 0;
      self->has_pressure = FALSE;
    }
}

gboolean
tt_signature_undo (TtSignature *self)
{
  g_return_val_if_fail (TT_IS_SIGNATURE (self), FALSE);

  self->in_stroke = FALSE;
  if (self->strokes->len == 0)
    return FALSE;
  g_ptr_array_remove_index (self->strokes, self->strokes->len - 1);
  reset_clock_if_empty (self);
  return TRUE;
}

void
tt_signature_clear (TtSignature *self)
{
  g_return_if_fail (TT_IS_SIGNATURE (self));

  self->in_stroke = FALSE;
  g_ptr_array_set_size (self->strokes, 0);
  reset_clock_if_empty (self);
}

guint
tt_signature_get_n_strokes (TtSignature *self)
{
  g_return_val_if_fail (TT_IS_SIGNATURE (self), 0);
  return self->strokes->len;
}

guint
tt_signature_get_n_points (TtSignature *self)
{
  guint n = 0;

  g_return_val_if_fail (TT_IS_SIGNATURE (self), 0);
  for (guint i = 0; i < self->strokes->len; i++)
    n += ((GArray *) g_ptr_array_index (self->strokes, i))->len;
  return n;
}

const TtSignaturePoint *
tt_signature_get_stroke (TtSignature *self,
                         guint        index,
                         guint       *n_points)
{
  GArray *stroke;

  g_return_val_if_fail (TT_IS_SIGNATURE (self), NULL);
  g_return_val_if_fail (index < self->strokes->len, NULL);

  stroke = g_ptr_array_index (self->strokes, index);
  if (n_points)
    *n_points = stroke->len;
  return (const TtSignaturePoint *) stroke->data;
}

gboolean
tt_signature_has_pressure (TtSignature *self)
{
  g_return_val_if_fail (TT_IS_SIGNATURE (self), FALSE);
  return self->has_pressure;
}

void
tt_signature_get_canvas (TtSignature *self,
                         double      *width,
                         double      *height)
{
  g_return_if_fail (TT_IS_SIGNATURE (self));
  if (width)
    *width = self->canvas_w;
  if (height)
    *height = self->canvas_h;
}

static gboolean
ink_bounds (TtSignature *self,
            double      *x0,
            double      *y0,
            double      *x1,
            double      *y1)
{
  gboolean any = FALSE;

  *x0 = *y0 = G_MAXDOUBLE;
  *x1 = *y1 = -G_MAXDOUBLE;
  for (guint i = 0; i < self->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (self->strokes, i);
      for (guint j = 0; j < stroke->len; j++)
        {
          TtSignaturePoint *p = &g_array_index (stroke, TtSignaturePoint, j);
          *x0 = MIN (*x0, p->x);
          *y0 = MIN (*y0, p->y);
          *x1 = MAX (*x1, p->x);
          *y1 = MAX (*y1, p->y);
          any = TRUE;
        }
    }
  return any;
}

static double
ink_length (TtSignature *self)
{
  double length = 0;

  for (guint i = 0; i < self->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (self->strokes, i);
      for (guint j = 1; j < stroke->len; j++)
        {
          TtSignaturePoint *a = &g_array_index (stroke, TtSignaturePoint, j - 1);
          TtSignaturePoint *b = &g_array_index (stroke, TtSignaturePoint, j);
          length += hypot (b->x - a->x, b->y - a->y);
        }
    }
  return length;
}

/**
 * tt_signature_validate:
 * Refuses what cannot be a signature.  The thresholds are relative to the
 * pad (its longer side is 1.0): at least %MIN_POINTS points, a line at least
 * a quarter of the pad long, and ink spanning at least an eighth of it.
 */
gboolean
tt_signature_validate (TtSignature *self,
                       GError     **error)
{
  double x0, y0, x1, y1;

  g_return_val_if_fail (TT_IS_SIGNATURE (self), FALSE);

  if (!ink_bounds (self, &x0, &y0, &x1, &y1))
    {
      g_set_error_literal (error, TT_SIGNATURE_ERROR, TT_SIGNATURE_ERROR_EMPTY,
                           _("Nothing has been signed yet. Ask the recipient to sign in the box."));
      return FALSE;
    }
  if (tt_signature_get_n_points (self) < MIN_POINTS || ink_length (self) < MIN_INK_LENGTH)
    {
      g_set_error_literal (error, TT_SIGNATURE_ERROR, TT_SIGNATURE_ERROR_TOO_SHORT,
                           _("This is too short to be a signature (a dot or a tick). "
                             "Clear it and ask the recipient to sign in full."));
      return FALSE;
    }
  if (MAX (x1 - x0, y1 - y0) < MIN_EXTENT)
    {
      g_set_error_literal (error, TT_SIGNATURE_ERROR, TT_SIGNATURE_ERROR_TOO_SMALL,
                           _("The signature is too small to be recognised. "
                             "Clear it and ask the recipient to sign larger, across the box."));
      return FALSE;
    }
  return TRUE;
}

/* ---- encoding ---------------------------------------------------------- */

typedef struct
{
  int     x, y;
  guint32 t;
  int     p;
  gboolean keep;
} QPoint;

static void
put_uvarint (GByteArray *out,
             guint64     v)
{
  while (v >= 0x80)
    {
      guint8 b = (v & 0x7f) | 0x80;
      g_byte_array_append (out, &b, 1);
      v >>= 7;
    }
  {
    guint8 b = v;
    g_byte_array_append (out, &b, 1);
  }
}

static void
put_svarint (GByteArray *out,
             gint64      v)
{
  put_uvarint (out, ((guint64) v << 1) ^ (guint64) (v >> 63));
}

static double
segment_distance (const QPoint *a,
                  const QPoint *b,
                  const QPoint *p)
{
  double dx = b->x - a->x, dy = b->y - a->y;
  double len2 = dx * dx + dy * dy;
  double t;

  if (len2 == 0)
    return hypot (p->x - a->x, p->y - a->y);
  t = CLAMP (((p->x - a->x) * dx + (p->y - a->y) * dy) / len2, 0.0, 1.0);
  return hypot (p->x - (a->x + t * dx), p->y - (a->y + t * dy));
}

/* Ramer–Douglas–Peucker, also keeping points where the pressure turns. */
static void
simplify (QPoint  *pts,
          guint    first,
          guint    last,
          gboolean pressure)
{
  double worst = 0;
  guint index = 0;

  if (last <= first + 1)
    return;
  for (guint i = first + 1; i < last; i++)
    {
      double d = segment_distance (&pts[first], &pts[last], &pts[i]);
      if (pressure)
        {
          /* By time, not by index: the result must not depend on which
           * points were dropped before (decoding and encoding again gives
           * the same bytes). */
          double span = (double) pts[last].t - pts[first].t;
          double f = span > 0 ? (pts[i].t - pts[first].t) / span : 0.5;
          double expected = pts[first].p + f * (pts[last].p - pts[first].p);
          if (fabs (pts[i].p - expected) > PRESSURE_TOLERANCE)
            d = MAX (d, SIMPLIFY_TOLERANCE + 1);
        }
      if (d > worst)
        {
          worst = d;
          index = i;
        }
    }
  if (worst > SIMPLIFY_TOLERANCE)
    {
      pts[index].keep = TRUE;
      simplify (pts, first, index, pressure);
      simplify (pts, index, last, pressure);
    }
}

GBytes *
tt_signature_encode (TtSignature *self)
{
  g_autoptr(GByteArray) out = g_byte_array_new ();
  guint8 header[2] = { FORMAT_VERSION, 0 };
  guint32 prev_t = 0;
  QPoint prev = { 0 };
  gboolean have_prev = FALSE;

  g_return_val_if_fail (TT_IS_SIGNATURE (self), NULL);

  if (self->has_pressure)
    header[1] |= FLAG_PRESSURE;
  g_byte_array_append (out, header, 2);
  put_uvarint (out, (guint) lround (self->canvas_w * QUANT));
  put_uvarint (out, (guint) lround (self->canvas_h * QUANT));
  put_uvarint (out, self->strokes->len);

  for (guint i = 0; i < self->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (self->strokes, i);
      g_autofree QPoint *q = g_new0 (QPoint, MAX (stroke->len, 1));
      guint n = 0, kept = 0;

      for (guint j = 0; j < stroke->len; j++)
        {
          TtSignaturePoint *p = &g_array_index (stroke, TtSignaturePoint, j);
          QPoint qp = {
            .x = (int) lround (p->x * QUANT),
            .y = (int) lround (p->y * QUANT),
            .t = p->t_ms,
            .p = (int) lround ((p->pressure < 0 ? 0.5 : p->pressure) * PRESSURE_LEVELS),
          };
          /* Points that quantise onto the previous one add nothing. */
          if (n > 0 && q[n - 1].x == qp.x && q[n - 1].y == qp.y && q[n - 1].p == qp.p)
            continue;
          q[n++] = qp;
        }
      if (n == 0)
        {
          put_uvarint (out, 0);
          continue;
        }
      q[0].keep = q[n - 1].keep = TRUE;
      simplify (q, 0, n - 1, self->has_pressure);
      for (guint j = 0; j < n; j++)
        kept += q[j].keep;

      put_uvarint (out, kept);
      for (guint j = 0; j < n; j++)
        {
          if (!q[j].keep)
            continue;
          put_uvarint (out, q[j].t - prev_t);
          if (!have_prev)
            {
              put_uvarint (out, q[j].x);
              put_uvarint (out, q[j].y);
              if (self->has_pressure)
                put_uvarint (out, q[j].p);
            }
          else
            {
              put_svarint (out, q[j].x - prev.x);
              put_svarint (out, q[j].y - prev.y);
              if (self->has_pressure)
                put_svarint (out, q[j].p - prev.p);
            }
          prev_t = q[j].t;
          prev = q[j];
          have_prev = TRUE;
        }
    }
  return g_byte_array_free_to_bytes (g_steal_pointer (&out));
}

char *
tt_signature_to_base64 (TtSignature *self)
{
  g_autoptr(GBytes) bytes = tt_signature_encode (self);
  gsize len;
  const guchar *data = g_bytes_get_data (bytes, &len);

  return g_base64_encode (data, len);
}

typedef struct
{
  const guint8 *p;
  const guint8 *end;
} Reader;

static gboolean
get_uvarint (Reader  *r,
             guint64 *v)
{
  guint shift = 0;

  *v = 0;
  while (r->p < r->end && shift < 64)
    {
      guint8 b = *r->p++;
      *v |= (guint64) (b & 0x7f) << shift;
      if (!(b & 0x80))
        return TRUE;
      shift += 7;
    }
  return FALSE;
}

static gboolean
get_svarint (Reader *r,
             gint64 *v)
{
  guint64 u;

  if (!get_uvarint (r, &u))
    return FALSE;
  *v = (gint64) (u >> 1) ^ -(gint64) (u & 1);
  return TRUE;
}

static TtSignature *
corrupt (GError    **error,
         const char *why)
{
  g_set_error (error, TT_SIGNATURE_ERROR, TT_SIGNATURE_ERROR_CORRUPT,
               _("The recorded signature cannot be read (%s)."), why);
  return NULL;
}

TtSignature *
tt_signature_decode (GBytes  *bytes,
                     GError **error)
{
  g_autoptr(TtSignature) self = NULL;
  Reader r;
  gsize len;
  guint64 cw, ch, n_strokes, total = 0;
  gint64 t = 0;
  gint64 x = 0, y = 0, p = 0;
  gboolean pressure, have_prev = FALSE;

  g_return_val_if_fail (bytes != NULL, NULL);

  r.p = g_bytes_get_data (bytes, &len);
  r.end = r.p + len;
  if (len < 2)
    return corrupt (error, "truncated header");
  if (r.p[0] != FORMAT_VERSION)
    return corrupt (error, "unknown format version");
  if (r.p[1] & ~FLAG_PRESSURE)
    return corrupt (error, "unknown flags");
  pressure = (r.p[1] & FLAG_PRESSURE) != 0;
  r.p += 2;

  if (!get_uvarint (&r, &cw) || !get_uvarint (&r, &ch) || !get_uvarint (&r, &n_strokes))
    return corrupt (error, "truncated header");
  if (cw == 0 || ch == 0 || cw > QUANT || ch > QUANT || MAX (cw, ch) != QUANT)
    return corrupt (error, "bad pad size");
  if (n_strokes > MAX_STROKES)
    return corrupt (error, "too many strokes");

  self = tt_signature_new ();
  self->canvas_w = (double) cw / QUANT;
  self->canvas_h = (double) ch / QUANT;
  self->has_pressure = pressure;

  for (guint64 i = 0; i < n_strokes; i++)
    {
      guint64 n;
      GArray *stroke;

      if (!get_uvarint (&r, &n))
        return corrupt (error, "truncated stroke");
      total += n;
      if (total > MAX_POINTS)
        return corrupt (error, "too many points");
      if (n == 0)
        continue;
      stroke = new_stroke (self);
      for (guint64 j = 0; j < n; j++)
        {
          guint64 dt;
          TtSignaturePoint pt;

          if (!get_uvarint (&r, &dt))
            return corrupt (error, "truncated point");
          t += dt;
          if (dt > G_MAXUINT32 || t > G_MAXUINT32)
            return corrupt (error, "time out of range");
          if (!have_prev)
            {
              guint64 ux, uy, up = PRESSURE_LEVELS;
              if (!get_uvarint (&r, &ux) || !get_uvarint (&r, &uy)
                  || (pressure && !get_uvarint (&r, &up)))
                return corrupt (error, "truncated point");
              if (ux > QUANT || uy > QUANT || up > PRESSURE_LEVELS)
                return corrupt (error, "point out of range");
              x = ux, y = uy, p = up;
              have_prev = TRUE;
            }
          else
            {
              gint64 dx, dy, dp = 0;
              if (!get_svarint (&r, &dx) || !get_svarint (&r, &dy)
                  || (pressure && !get_svarint (&r, &dp)))
                return corrupt (error, "truncated point");
              if (dx < -QUANT || dx > QUANT || dy < -QUANT || dy > QUANT
                  || dp < -PRESSURE_LEVELS || dp > PRESSURE_LEVELS)
                return corrupt (error, "point out of range");
              x += dx, y += dy, p += dp;
            }
          if (x < 0 || y < 0 || x > (gint64) cw || y > (gint64) ch || p < 0
              || p > PRESSURE_LEVELS)
            return corrupt (error, "point out of range");
          pt.x = (double) x / QUANT;
          pt.y = (double) y / QUANT;
          pt.t_ms = (guint32) t;
          pt.pressure = pressure ? (double) p / PRESSURE_LEVELS : -1;
          g_array_append_val (stroke, pt);
        }
    }
  if (r.p != r.end)
    return corrupt (error, "trailing bytes");
  self->have_t0 = total > 0;
  self->last_t = (guint32) t;
  return g_steal_pointer (&self);
}

TtSignature *
tt_signature_from_base64 (const char *text,
                          GError    **error)
{
  g_autoptr(GBytes) bytes = NULL;
  guchar *data;
  gsize len = 0;

  g_return_val_if_fail (text != NULL, NULL);

  /* g_base64_decode accepts anything; check the alphabet ourselves. */
  for (const char *c = text; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '+' && *c != '/' && *c != '=')
      return corrupt (error, "not base64");
  if (strlen (text) % 4 != 0)
    return corrupt (error, "not base64");
  data = g_base64_decode (text, &len);
  bytes = g_bytes_new_take (data, len);
  return tt_signature_decode (bytes, error);
}

/* ---- rendering --------------------------------------------------------- */

/* Maps normalised points into the target rectangle. */
typedef struct
{
  double scale;
  double dx;
  double dy;
  double pen;      /* pen width in target units at full pressure 0.5 */
} Mapping;

static void
compute_mapping (TtSignature   *self,
                 double         x,
                 double         y,
                 double         width,
                 double         height,
                 TtSignatureFit fit,
                 Mapping       *m)
{
  double x0 = 0, y0 = 0, x1 = self->canvas_w, y1 = self->canvas_h;
  double bw, bh, pad_scale;

  if (fit == TT_SIGNATURE_FIT_INK && ink_bounds (self, &x0, &y0, &x1, &y1))
    {
      /* Leave room for the pen's width around the ink. */
      double margin = 0.02;
      x0 -= margin, y0 -= margin, x1 += margin, y1 += margin;
    }
  bw = MAX (x1 - x0, 1e-3);
  bh = MAX (y1 - y0, 1e-3);
  m->scale = MIN (width / bw, height / bh);
  m->dx = x + (width - bw * m->scale) / 2 - x0 * m->scale;
  m->dy = y + (height - bh * m->scale) / 2 - y0 * m->scale;
  /* The pen is a fixed fraction of the pad, as the signer saw it, but
   * never thinner than a device pixel. */
  pad_scale = m->scale;
  m->pen = MAX (1.2, pad_scale * 0.009);
}

static double
pen_width (const Mapping          *m,
           const TtSignaturePoint *a,
           const TtSignaturePoint *b)
{
  double p;

  if (a->pressure < 0 || b->pressure < 0)
    return m->pen;
  p = (a->pressure + b->pressure) / 2;
  return MAX (0.8, m->pen * (0.35 + 1.3 * p));
}

/* Smooth strokes: quadratic curves through the midpoints of consecutive
 * points, so that corners of the sampled polyline do not show when the
 * signature is printed large. Calls @emit once per piece. */
typedef void (*PieceFunc) (gpointer user_data,
                           double   x0,
                           double   y0,
                           double   cx,
                           double   cy,
                           double   x1,
                           double   y1,
                           double   width);

static void
walk_stroke (const Mapping          *m,
             const TtSignaturePoint *pts,
             guint                   n,
             PieceFunc               emit,
             gpointer                user_data)
{
#define MX(p) (m->dx + (p)->x * m->scale)
#define MY(p) (m->dy + (p)->y * m->scale)
  double sx, sy;

  if (n == 1)
    {
      emit (user_data, MX (&pts[0]), MY (&pts[0]), MX (&pts[0]), MY (&pts[0]), MX (&pts[0]),
            MY (&pts[0]), pen_width (m, &pts[0], &pts[0]));
      return;
    }
  sx = MX (&pts[0]);
  sy = MY (&pts[0]);
  for (guint i = 1; i < n; i++)
    {
      double ex, ey, cx, cy;

      if (i == n - 1)
        {
          ex = MX (&pts[i]);
          ey = MY (&pts[i]);
          cx = (sx + ex) / 2;
          cy = (sy + ey) / 2;
        }
      else
        {
          cx = MX (&pts[i]);
          cy = MY (&pts[i]);
          ex = (cx + MX (&pts[i + 1])) / 2;
          ey = (cy + MY (&pts[i + 1])) / 2;
        }
      emit (user_data, sx, sy, cx, cy, ex, ey, pen_width (m, &pts[i - 1], &pts[i]));
      sx = ex;
      sy = ey;
    }
#undef MX
#undef MY
}

static void
cairo_piece (gpointer user_data,
             double   x0,
             double   y0,
             double   cx,
             double   cy,
             double   x1,
             double   y1,
             double   width)
{
  cairo_t *cr = user_data;

  cairo_set_line_width (cr, width);
  cairo_move_to (cr, x0, y0);
  /* Quadratic → cubic Bézier. */
  cairo_curve_to (cr, x0 + 2.0 / 3.0 * (cx - x0), y0 + 2.0 / 3.0 * (cy - y0),
                  x1 + 2.0 / 3.0 * (cx - x1), y1 + 2.0 / 3.0 * (cy - y1), x1, y1);
  cairo_stroke (cr);
}

void
tt_signature_draw (TtSignature   *self,
                   cairo_t       *cr,
                   double         x,
                   double         y,
                   double         width,
                   double         height,
                   TtSignatureFit fit)
{
  Mapping m;

  g_return_if_fail (TT_IS_SIGNATURE (self));
  g_return_if_fail (cr != NULL);

  if (width <= 0 || height <= 0)
    return;
  compute_mapping (self, x, y, width, height, fit, &m);
  cairo_save (cr);
  cairo_set_line_cap (cr, CAIRO_LINE_CAP_ROUND);
  cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
  for (guint i = 0; i < self->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (self->strokes, i);
      walk_stroke (&m, (const TtSignaturePoint *) stroke->data, stroke->len, cairo_piece, cr);
    }
  cairo_restore (cr);
}

cairo_surface_t *
tt_signature_render_image (TtSignature *self,
                           int          width,
                           int          height)
{
  cairo_surface_t *surface;
  cairo_t *cr;

  g_return_val_if_fail (TT_IS_SIGNATURE (self), NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  surface = cairo_image_surface_create (CAIRO_FORMAT_ARGB32, width, height);
  cr = cairo_create (surface);
  cairo_set_source_rgb (cr, 0.05, 0.12, 0.38);
  tt_signature_draw (self, cr, 0, 0, width, height, TT_SIGNATURE_FIT_INK);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  return surface;
}

typedef struct
{
  GString *svg;
  char     width[G_ASCII_DTOSTR_BUF_SIZE];
  gboolean open;
} SvgState;

static const char *
fmt (char  *buf,
     double v)
{
  return g_ascii_formatd (buf, G_ASCII_DTOSTR_BUF_SIZE, "%.1f", v);
}

static void
svg_piece (gpointer user_data,
           double   x0,
           double   y0,
           double   cx,
           double   cy,
           double   x1,
           double   y1,
           double   width)
{
  SvgState *s = user_data;
  char w[G_ASCII_DTOSTR_BUF_SIZE], a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

  g_ascii_formatd (w, sizeof w, "%.2f", width);
  /* Consecutive pieces of the same width share one path element. */
  if (!s->open || !g_str_equal (w, s->width))
    {
      if (s->open)
        g_string_append (s->svg, "\"/>\n");
      g_strlcpy (s->width, w, sizeof s->width);
      g_string_append_printf (s->svg, "<path stroke-width=\"%s\" d=\"M%s %s", w, fmt (a, x0),
                              fmt (b, y0));
      s->open = TRUE;
    }
  g_string_append_printf (s->svg, "Q%s %s", fmt (a, cx), fmt (b, cy));
  g_string_append_printf (s->svg, " %s %s", fmt (a, x1), fmt (b, y1));
}

char *
tt_signature_to_svg (TtSignature *self,
                     double       width,
                     double       height)
{
  SvgState s = { 0 };
  Mapping m;
  char a[G_ASCII_DTOSTR_BUF_SIZE], b[G_ASCII_DTOSTR_BUF_SIZE];

  g_return_val_if_fail (TT_IS_SIGNATURE (self), NULL);
  g_return_val_if_fail (width > 0 && height > 0, NULL);

  s.svg = g_string_new (NULL);
  g_string_append_printf (s.svg,
                          "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%s\" height=\"%s\" "
                          "viewBox=\"0 0 %s %s\">\n",
                          fmt (a, width), fmt (b, height), a, b);
  g_string_append (s.svg, "<g fill=\"none\" stroke=\"#0d1f61\" stroke-linecap=\"round\" "
                          "stroke-linejoin=\"round\">\n");
  compute_mapping (self, 0, 0, width, height, TT_SIGNATURE_FIT_INK, &m);
  for (guint i = 0; i < self->strokes->len; i++)
    {
      GArray *stroke = g_ptr_array_index (self->strokes, i);
      walk_stroke (&m, (const TtSignaturePoint *) stroke->data, stroke->len, svg_piece, &s);
      if (s.open)
        g_string_append (s.svg, "\"/>\n");
      s.open = FALSE;
    }
  g_string_append (s.svg, "</g>\n</svg>\n");
  return g_string_free (s.svg, FALSE);
}
