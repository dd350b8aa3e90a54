/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-distance-sorter"

#include "config.h"

#include "tt-distance-sorter.h"
#include "tt-fix-policy.h"
#include "tt-item.h"
#include "tt-settings.h"

/* Re-sorting the list under the courier's finger at every GPS jitter would
 * make rows jump: only a move of this much changes the order. */
#define RESORT_AFTER_M 25.0

struct _TtDistanceSorter
{
  GtkSorter   parent_instance;

  TtLocation *location;
  TtSettings *settings;      /* set by follow_settings */
  gboolean    by_distance;
  gboolean    has_here;
  double      here_lat;
  double      here_lon;
};

G_DEFINE_FINAL_TYPE (TtDistanceSorter, tt_distance_sorter, GTK_TYPE_SORTER)

enum {
  PROP_0,
  PROP_LOCATION,
  PROP_BY_DISTANCE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
on_fix (TtLocation       *location,
        const TtFix      *fix,
        TtDistanceSorter *self)
{
  if (self->has_here
      && tt_geo_distance_m (self->here_lat, self->here_lon, fix->latitude, fix->longitude) < RESORT_AFTER_M)
    return;
  self->has_here = TRUE;
  self->here_lat = fix->latitude;
  self->here_lon = fix->longitude;
  if (self->by_distance)
    gtk_sorter_changed (GTK_SORTER (self), GTK_SORTER_CHANGE_DIFFERENT);
}

static GtkOrdering
tt_distance_sorter_compare (GtkSorter *sorter,
                            gpointer   item1,
                            gpointer   item2)
{
  TtDistanceSorter *self = TT_DISTANCE_SORTER (sorter);
  TtItem *a = item1, *b = item2;

  if (self->by_distance && self->has_here)
    {
      if (a->has_location != b->has_location)
        return a->has_location ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
      if (a->has_location)
        {
          double da = tt_geo_distance_m (self->here_lat, self->here_lon, a->lat, a->lon);
          double db = tt_geo_distance_m (self->here_lat, self->here_lon, b->lat, b->lon);

          if (da != db)
            return da < db ? GTK_ORDERING_SMALLER : GTK_ORDERING_LARGER;
        }
    }
  return a->seq < b->seq ? GTK_ORDERING_SMALLER
         : a->seq > b->seq ? GTK_ORDERING_LARGER : GTK_ORDERING_EQUAL;
}

static GtkSorterOrder
tt_distance_sorter_get_order (GtkSorter *sorter)
{
  return GTK_SORTER_ORDER_PARTIAL;
}

static void
tt_distance_sorter_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  TtDistanceSorter *self = TT_DISTANCE_SORTER (object);

  switch (prop_id)
    {
    case PROP_LOCATION:
      g_value_set_object (value, self->location);
      break;
    case PROP_BY_DISTANCE:
      g_value_set_boolean (value, self->by_distance);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_distance_sorter_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  TtDistanceSorter *self = TT_DISTANCE_SORTER (object);

  switch (prop_id)
    {
    case PROP_LOCATION:
      self->location = g_value_dup_object (value);
      if (self->location != NULL)
        {
          const TtFix *fix = tt_location_get_last_fix (self->location);

          if (fix != NULL)
            on_fix (self->location, fix, self);
          g_signal_connect (self->location, "fix", G_CALLBACK (on_fix), self);
        }
      break;
    case PROP_BY_DISTANCE:
      tt_distance_sorter_set_by_distance (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_distance_sorter_dispose (GObject *object)
{
  TtDistanceSorter *self = TT_DISTANCE_SORTER (object);

  if (self->location != NULL)
    g_signal_handlers_disconnect_by_data (self->location, self);
  g_clear_object (&self->location);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tt_distance_sorter_parent_class)->dispose (object);
}

static void
tt_distance_sorter_class_init (TtDistanceSorterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkSorterClass *sorter_class = GTK_SORTER_CLASS (klass);

  object_class->get_property = tt_distance_sorter_get_property;
  object_class->set_property = tt_distance_sorter_set_property;
  object_class->dispose = tt_distance_sorter_dispose;
  sorter_class->compare = tt_distance_sorter_compare;
  sorter_class->get_order = tt_distance_sorter_get_order;

  properties[PROP_LOCATION] =
    g_param_spec_object ("location", NULL, NULL, TT_TYPE_LOCATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BY_DISTANCE] =
    g_param_spec_boolean ("by-distance", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_distance_sorter_init (TtDistanceSorter *self)
{
}

TtDistanceSorter *
tt_distance_sorter_new (TtLocation *location)
{
  g_return_val_if_fail (location == NULL || TT_IS_LOCATION (location), NULL);

  return g_object_new (TT_TYPE_DISTANCE_SORTER, "location", location, NULL);
}

gboolean
tt_distance_sorter_get_by_distance (TtDistanceSorter *self)
{
  g_return_val_if_fail (TT_IS_DISTANCE_SORTER (self), FALSE);
  return self->by_distance;
}

void
tt_distance_sorter_set_by_distance (TtDistanceSorter *self,
                                    gboolean          by_distance)
{
  g_return_if_fail (TT_IS_DISTANCE_SORTER (self));

  by_distance = !!by_distance;
  if (self->by_distance == by_distance)
    return;
  self->by_distance = by_distance;
  if (self->has_here)
    gtk_sorter_changed (GTK_SORTER (self), GTK_SORTER_CHANGE_DIFFERENT);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BY_DISTANCE]);
}

static gboolean
sort_from_setting (GBinding     *binding,
                   const GValue *from,
                   GValue       *to,
                   gpointer      user_data)
{
  g_value_set_boolean (to, g_strcmp0 (g_value_get_string (from), "distance") == 0);
  return TRUE;
}

GAction *
tt_distance_sorter_follow_settings (TtDistanceSorter *self)
{
  g_autoptr(GError) error = NULL;

  g_return_val_if_fail (TT_IS_DISTANCE_SORTER (self), NULL);

  if (self->settings == NULL)
    self->settings = tt_settings_new (&error);
  if (self->settings == NULL)
    {
      g_debug ("route order stays fixed: %s", error->message);
      return NULL;
    }
  g_object_bind_property_full (self->settings, "route-sort", self, "by-distance",
                               G_BINDING_SYNC_CREATE, sort_from_setting, NULL, NULL, NULL);
  return g_settings_create_action (tt_settings_get_gsettings (self->settings), "route-sort");
}
