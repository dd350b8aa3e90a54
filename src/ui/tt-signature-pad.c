/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-signature-pad"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-signature-pad.h"

struct _TtSignaturePad
{
  GtkWidget    parent_instance;

  TtSignature *signature;
  GtkGesture  *stylus;
  GtkGesture  *drag;
  double       drag_x;
  double       drag_y;
  gboolean     drag_active;
};

G_DEFINE_FINAL_TYPE (TtSignaturePad, tt_signature_pad, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_EMPTY,
  N_PROPS
};

enum
{
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
changed (TtSignaturePad *self,
         gboolean        was_empty)
{
  gtk_widget_queue_draw (GTK_WIDGET (self));
  if (was_empty != tt_signature_pad_get_empty (self))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY]);
  g_signal_emit (self, signals[CHANGED], 0);
}

static guint32
event_time (GtkGesture *gesture)
{
  return gtk_event_controller_get_current_event_time (GTK_EVENT_CONTROLLER (gesture));
}

static void
begin (TtSignaturePad *self)
{
  tt_signature_begin_stroke (self->signature,
                             MAX (1, gtk_widget_get_width (GTK_WIDGET (self))),
                             MAX (1, gtk_widget_get_height (GTK_WIDGET (self))));
}

static void
end (TtSignaturePad *self)
{
  gboolean was_empty = tt_signature_pad_get_empty (self);

  tt_signature_end_stroke (self->signature);
  changed (self, was_empty);
}

static double
stylus_pressure (GtkGestureStylus *gesture)
{
  double pressure;

  if (gtk_gesture_stylus_get_axis (gesture, GDK_AXIS_PRESSURE, &pressure))
    return pressure;
  return -1;
}

static void
on_stylus_down (GtkGestureStylus *gesture,
                double            x,
                double            y,
                TtSignaturePad   *self)
{
  begin (self);
  tt_signature_add_point (self->signature, x, y, event_time (GTK_GESTURE (gesture)),
                          stylus_pressure (gesture));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_stylus_motion (GtkGestureStylus *gesture,
                  double            x,
                  double            y,
                  TtSignaturePad   *self)
{
  GdkTimeCoord *backlog = NULL;
  guint n = 0;

  /* Pens report faster than the screen refreshes: the backlog holds the
   * samples between two motion events, which make curves smooth. */
  if (gtk_gesture_stylus_get_backlog (gesture, &backlog, &n))
    {
      for (guint i = 0; i < n; i++)
        {
          double p = backlog[i].flags & GDK_AXIS_FLAG_PRESSURE
                       ? backlog[i].axes[GDK_AXIS_PRESSURE] : -1;
          tt_signature_add_point (self->signature, backlog[i].axes[GDK_AXIS_X],
                                  backlog[i].axes[GDK_AXIS_Y], backlog[i].time, p);
        }
      g_free (backlog);
    }
  tt_signature_add_point (self->signature, x, y, event_time (GTK_GESTURE (gesture)),
                          stylus_pressure (gesture));
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_stylus_up (GtkGestureStylus *gesture,
              double            x,
              double            y,
              TtSignaturePad   *self)
{
  tt_signature_add_point (self->signature, x, y, event_time (GTK_GESTURE (gesture)),
                          stylus_pressure (gesture));
  end (self);
}

static void
on_drag_begin (GtkGestureDrag *gesture,
               double          x,
               double          y,
               TtSignaturePad *self)
{
  GdkDevice *device = gtk_gesture_get_device (GTK_GESTURE (gesture));

  /* A pen is handled by the stylus gesture, with its pressure. */
  if (device != NULL && (gdk_device_get_source (device) == GDK_SOURCE_PEN))
    {
      gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_DENIED);
      return;
    }
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  self->drag_x = x;
  self->drag_y = y;
  self->drag_active = TRUE;
  begin (self);
  tt_signature_add_point (self->signature, x, y, event_time (GTK_GESTURE (gesture)), -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_update (GtkGestureDrag *gesture,
                double          dx,
                double          dy,
                TtSignaturePad *self)
{
  GdkEvent *event;
  GdkTimeCoord *history;
  guint n = 0;

  if (!self->drag_active)
    return;

  /* GDK merges motion events that arrive faster than they are handled
   * and keeps the merged ones as history: without them a quick stroke
   * would be a straight line between two points. */
  event = gtk_event_controller_get_current_event (GTK_EVENT_CONTROLLER (gesture));
  history = event ? gdk_event_get_history (event, &n) : NULL;
  if (history != NULL)
    {
      double ex, ey;

      /* History is in surface coordinates; the current event tells the
       * offset to the pad's own. */
      gdk_event_get_position (event, &ex, &ey);
      for (guint i = 0; i < n; i++)
        if ((history[i].flags & (GDK_AXIS_FLAG_X | GDK_AXIS_FLAG_Y))
            == (GDK_AXIS_FLAG_X | GDK_AXIS_FLAG_Y))
          tt_signature_add_point (self->signature,
                                  history[i].axes[GDK_AXIS_X] - ex + self->drag_x + dx,
                                  history[i].axes[GDK_AXIS_Y] - ey + self->drag_y + dy,
                                  history[i].time, -1);
      g_free (history);
    }
  tt_signature_add_point (self->signature, self->drag_x + dx, self->drag_y + dy,
                          event_time (GTK_GESTURE (gesture)), -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

static void
on_drag_end (GtkGestureDrag *gesture,
             double          dx,
             double          dy,
             TtSignaturePad *self)
{
  if (!self->drag_active)
    return;
  self->drag_active = FALSE;
  tt_signature_add_point (self->signature, self->drag_x + dx, self->drag_y + dy,
                          event_time (GTK_GESTURE (gesture)), -1);
  end (self);
}

static void
tt_signature_pad_snapshot (GtkWidget   *widget,
                           GtkSnapshot *snapshot)
{
  TtSignaturePad *self = TT_SIGNATURE_PAD (widget);
  int w = gtk_widget_get_width (widget), h = gtk_widget_get_height (widget);
  GdkRGBA ink = { 0.05, 0.12, 0.38, 1 };
  GdkRGBA guide;
  cairo_t *cr;

  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &guide);
  guide.alpha = 0.45;

  /* The line to sign on, and a hint while the pad is empty. */
  gtk_snapshot_append_color (snapshot, &guide, &GRAPHENE_RECT_INIT (16, h * 0.75, w - 32, 2));
  if (tt_signature_pad_get_empty (self))
    {
      g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget,
                                                                      _("Sign here with a finger or pen"));
      int lw, lh;

      pango_layout_get_pixel_size (layout, &lw, &lh);
      gtk_snapshot_save (snapshot);
      gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT ((w - lw) / 2.0, h * 0.75 - lh - 8));
      gtk_snapshot_append_layout (snapshot, layout, &guide);
      gtk_snapshot_restore (snapshot);
    }

  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gdk_cairo_set_source_rgba (cr, &ink);
  tt_signature_draw (self->signature, cr, 0, 0, w, h, TT_SIGNATURE_FIT_CANVAS);
  cairo_destroy (cr);
}

static void
tt_signature_pad_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TtSignaturePad *self = TT_SIGNATURE_PAD (object);

  switch (prop_id)
    {
    case PROP_EMPTY:
      g_value_set_boolean (value, tt_signature_pad_get_empty (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_signature_pad_dispose (GObject *object)
{
  TtSignaturePad *self = TT_SIGNATURE_PAD (object);

  g_clear_object (&self->signature);
  G_OBJECT_CLASS (tt_signature_pad_parent_class)->dispose (object);
}

static void
tt_signature_pad_class_init (TtSignaturePadClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tt_signature_pad_get_property;
  object_class->dispose = tt_signature_pad_dispose;
  widget_class->snapshot = tt_signature_pad_snapshot;

  properties[PROP_EMPTY] =
    g_param_spec_boolean ("empty", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A stroke ended, or the pad was cleared or undone. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "signature-pad");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
tt_signature_pad_init (TtSignaturePad *self)
{
  self->signature = tt_signature_new ();

  self->stylus = gtk_gesture_stylus_new ();
  g_signal_connect (self->stylus, "down", G_CALLBACK (on_stylus_down), self);
  g_signal_connect (self->stylus, "motion", G_CALLBACK (on_stylus_motion), self);
  g_signal_connect (self->stylus, "up", G_CALLBACK (on_stylus_up), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->stylus));

  self->drag = gtk_gesture_drag_new ();
  g_signal_connect (self->drag, "drag-begin", G_CALLBACK (on_drag_begin), self);
  g_signal_connect (self->drag, "drag-update", G_CALLBACK (on_drag_update), self);
  g_signal_connect (self->drag, "drag-end", G_CALLBACK (on_drag_end), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (self->drag));

  gtk_widget_set_size_request (GTK_WIDGET (self), 280, 180);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Signature"), -1);
}

GtkWidget *
tt_signature_pad_new (void)
{
  return g_object_new (TT_TYPE_SIGNATURE_PAD, NULL);
}

TtSignature *
tt_signature_pad_get_signature (TtSignaturePad *self)
{
  g_return_val_if_fail (TT_IS_SIGNATURE_PAD (self), NULL);
  return self->signature;
}

gboolean
tt_signature_pad_get_empty (TtSignaturePad *self)
{
  g_return_val_if_fail (TT_IS_SIGNATURE_PAD (self), TRUE);
  return tt_signature_get_n_strokes (self->signature) == 0;
}

void
tt_signature_pad_clear (TtSignaturePad *self)
{
  gboolean was_empty;

  g_return_if_fail (TT_IS_SIGNATURE_PAD (self));

  was_empty = tt_signature_pad_get_empty (self);
  tt_signature_clear (self->signature);
  changed (self, was_empty);
}

void
tt_signature_pad_undo (TtSignaturePad *self)
{
  gboolean was_empty;

  g_return_if_fail (TT_IS_SIGNATURE_PAD (self));

  was_empty = tt_signature_pad_get_empty (self);
  tt_signature_undo (self->signature);
  changed (self, was_empty);
}
