/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-gps-indicator"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "tt-gps-indicator.h"

/* Older than this, the fix's age is shown: the courier may have moved. */
#define SHOW_AGE_AFTER_S 10

struct _TtGpsIndicator
{
  GtkWidget   parent_instance;

  GtkImage   *icon;
  GtkLabel   *label;

  TtLocation *location;
};

G_DEFINE_FINAL_TYPE (TtGpsIndicator, tt_gps_indicator, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_LOCATION,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

char *
tt_gps_format_accuracy (double accuracy_m)
{
  if (!isfinite (accuracy_m))
    return NULL;
  if (accuracy_m >= 1000)
    /* Translators: horizontal accuracy of a GPS fix, in kilometres */
    return g_strdup_printf (_("±%.1f km"), accuracy_m / 1000);
  /* Translators: horizontal accuracy of a GPS fix, in metres */
  return g_strdup_printf (_("±%.0f m"), MAX (1.0, round (accuracy_m)));
}

static void
update (TtGpsIndicator *self)
{
  TtLocationState state = self->location ? tt_location_get_state (self->location)
                                         : TT_LOCATION_STATE_NO_GPSD;
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;
  const char *icon_name;
  GtkWidget *widget = GTK_WIDGET (self);

  gtk_widget_remove_css_class (widget, "error");
  gtk_widget_remove_css_class (widget, "warning");

  switch (state)
    {
    case TT_LOCATION_STATE_2D:
    case TT_LOCATION_STATE_3D:
      {
        double age = tt_location_get_fix_age (self->location);
        int used = tt_location_get_satellites_used (self->location);
        g_autofree char *satellites = NULL;

        icon_name = "location-services-active-symbolic";
        text = tt_gps_format_accuracy (tt_location_get_accuracy_m (self->location));
        if (text == NULL)
          text = g_strdup (state == TT_LOCATION_STATE_3D ? C_("gps", "3D") : C_("gps", "2D"));
        satellites = used >= 0
                     ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d satellite", "%d satellites", used), used)
                     : g_strdup (_("satellites unknown"));
        if (isfinite (age) && age >= SHOW_AGE_AFTER_S)
          tooltip = g_strdup_printf (_("GPS: %s fix, %s, %s, %.0f s old"),
                                     state == TT_LOCATION_STATE_3D ? C_("gps", "3D") : C_("gps", "2D"),
                                     text, satellites, age);
        else
          tooltip = g_strdup_printf (_("GPS: %s fix, %s, %s"),
                                     state == TT_LOCATION_STATE_3D ? C_("gps", "3D") : C_("gps", "2D"),
                                     text, satellites);
        break;
      }
    case TT_LOCATION_STATE_NO_FIX:
      icon_name = "find-location-symbolic";
      text = g_strdup (C_("gps", "No fix"));
      tooltip = g_strdup (_("GPS: searching for satellites; deliveries are recorded with the reason"));
      gtk_widget_add_css_class (widget, "warning");
      break;
    case TT_LOCATION_STATE_NO_GPSD:
    default:
      icon_name = "location-services-disabled-symbolic";
      text = g_strdup (C_("gps", "No GPS"));
      if (self->location != NULL)
        tooltip = g_strdup_printf (_("GPS: no location service at %s:%u; retrying"),
                                   tt_location_get_host (self->location),
                                   tt_location_get_port (self->location));
      else
        tooltip = g_strdup (_("GPS: not set up"));
      gtk_widget_add_css_class (widget, "error");
      break;
    }

  gtk_image_set_from_icon_name (self->icon, icon_name);
  gtk_label_set_label (self->label, text);
  gtk_widget_set_tooltip_text (widget, tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self),
                                  GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip,
                                  -1);
}

static void
tt_gps_indicator_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TtGpsIndicator *self = TT_GPS_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_LOCATION:
      g_value_set_object (value, self->location);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_gps_indicator_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TtGpsIndicator *self = TT_GPS_INDICATOR (object);

  switch (prop_id)
    {
    case PROP_LOCATION:
      tt_gps_indicator_set_location (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_gps_indicator_dispose (GObject *object)
{
  TtGpsIndicator *self = TT_GPS_INDICATOR (object);

  tt_gps_indicator_set_location (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_GPS_INDICATOR);

  G_OBJECT_CLASS (tt_gps_indicator_parent_class)->dispose (object);
}

static void
tt_gps_indicator_class_init (TtGpsIndicatorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tt_gps_indicator_get_property;
  object_class->set_property = tt_gps_indicator_set_property;
  object_class->dispose = tt_gps_indicator_dispose;

  properties[PROP_LOCATION] =
    g_param_spec_object ("location", NULL, NULL, TT_TYPE_LOCATION,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tantay/TanTay/tt-gps-indicator.ui");
  gtk_widget_class_bind_template_child (widget_class, TtGpsIndicator, icon);
  gtk_widget_class_bind_template_child (widget_class, TtGpsIndicator, label);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_STATUS);
}

static void
tt_gps_indicator_init (TtGpsIndicator *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update (self);
}

GtkWidget *
tt_gps_indicator_new (TtLocation *location)
{
  g_return_val_if_fail (location == NULL || TT_IS_LOCATION (location), NULL);

  return g_object_new (TT_TYPE_GPS_INDICATOR, "location", location, NULL);
}

TtLocation *
tt_gps_indicator_get_location (TtGpsIndicator *self)
{
  g_return_val_if_fail (TT_IS_GPS_INDICATOR (self), NULL);
  return self->location;
}

void
tt_gps_indicator_set_location (TtGpsIndicator *self,
                               TtLocation     *location)
{
  g_return_if_fail (TT_IS_GPS_INDICATOR (self));
  g_return_if_fail (location == NULL || TT_IS_LOCATION (location));

  if (self->location == location)
    return;
  if (self->location != NULL)
    g_signal_handlers_disconnect_by_data (self->location, self);
  g_set_object (&self->location, location);
  if (location != NULL)
    {
      /* fix-age ticks every second: that also refreshes the age shown. */
      const char *watched[] = { "notify::state", "notify::accuracy-m", "notify::fix-age",
                                "notify::satellites-used", "notify::host", "notify::port" };

      for (guint i = 0; i < G_N_ELEMENTS (watched); i++)
        g_signal_connect_swapped (location, watched[i], G_CALLBACK (update), self);
    }
  update (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCATION]);
}

const char *
tt_gps_indicator_get_text (TtGpsIndicator *self)
{
  g_return_val_if_fail (TT_IS_GPS_INDICATOR (self), NULL);
  return gtk_label_get_label (self->label);
}
