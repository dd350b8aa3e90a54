/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-place-row"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tt-place-row.h"

/* Beyond this the courier is asked to check the door (setting
 * distance-warning-m has the same default). */
#define DISTANCE_WARNING_M 300

struct _TtPlaceRow
{
  AdwActionRow    parent_instance;

  GtkImage       *icon;
  GtkCheckButton *no_fix_check;

  TtItem         *item;
  char           *fix_json;
  gboolean        waiting;
};

G_DEFINE_FINAL_TYPE (TtPlaceRow, tt_place_row, ADW_TYPE_ACTION_ROW)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

static char *
format_distance (double m)
{
  if (m < 1000)
    return g_strdup_printf (_("%.0f m"), m);
  return g_strdup_printf (_("%.1f km"), m / 1000);
}

static const char *
no_fix_reason (const char *fix_json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;
  const char *reason;

  if (fix_json == NULL)
    return _("No location service on this device.");
  if (!json_parser_load_from_data (parser, fix_json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return _("The location service sent nothing usable.");
  o = json_node_get_object (json_parser_get_root (parser));
  reason = json_object_get_string_member_with_default (o, "reason", "");
  if (g_str_equal (reason, "no-gpsd"))
    return _("The GPS service is not running.");
  return _("No satellite fix here (indoors or under cover?).");
}

static void
update (TtPlaceRow *self)
{
  AdwActionRow *row = ADW_ACTION_ROW (self);
  GtkWidget *widget = GTK_WIDGET (self);
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;
  double lat, lon, acc = -1;
  gboolean have = tt_pod_parse_fix (self->fix_json, &lat, &lon, &acc, NULL);

  gtk_widget_remove_css_class (widget, "warning");
  /* Even while waiting: the courier is never held at the door by GPS. */
  gtk_widget_set_visible (GTK_WIDGET (self->no_fix_check), !have);

  if (self->waiting && !have)
    {
      title = g_strdup (_("Getting a GPS position…"));
      subtitle = g_strdup (_("You can go on meanwhile, or tick “Save without”."));
      gtk_image_set_from_icon_name (self->icon, "find-location-symbolic");
    }
  else if (!have)
    {
      title = g_strdup (_("No GPS position"));
      subtitle = g_strdup_printf ("%s %s", no_fix_reason (self->fix_json),
                                  _("Tick “Save without” to record anyway."));
      gtk_image_set_from_icon_name (self->icon, "dialog-warning-symbolic");
      gtk_widget_add_css_class (widget, "warning");
    }
  else
    {
      double d = self->item ? tt_pod_distance_from_item (self->item, self->fix_json) : -1;

      if (acc >= 0)
        title = g_strdup_printf (_("Position ±%.0f m"), acc);
      else
        title = g_strdup (_("Position (accuracy unknown)"));
      gtk_image_set_from_icon_name (self->icon, "find-location-symbolic");
      if (d < 0)
        subtitle = g_strdup (_("This item has no known address location; distance not checked."));
      else
        {
          g_autofree char *dist = format_distance (d);
          if (d > DISTANCE_WARNING_M)
            {
              subtitle = g_strdup_printf (_("Far from the address: %s. Check that this is the "
                                            "right door."), dist);
              gtk_image_set_from_icon_name (self->icon, "dialog-warning-symbolic");
              gtk_widget_add_css_class (widget, "warning");
            }
          else
            subtitle = g_strdup_printf (_("%s from the address"), dist);
        }
    }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), title);
  adw_action_row_set_subtitle (row, subtitle);
  g_signal_emit (self, signals[CHANGED], 0);
}

static void
tt_place_row_dispose (GObject *object)
{
  TtPlaceRow *self = TT_PLACE_ROW (object);

  g_clear_object (&self->item);
  g_clear_pointer (&self->fix_json, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_PLACE_ROW);
  G_OBJECT_CLASS (tt_place_row_parent_class)->dispose (object);
}

static void
tt_place_row_class_init (TtPlaceRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_place_row_dispose;

  /* The position, or the choice to record without one, changed. */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                   NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tantay/TanTay/tt-place-row.ui");
  gtk_widget_class_bind_template_child (widget_class, TtPlaceRow, icon);
  gtk_widget_class_bind_template_child (widget_class, TtPlaceRow, no_fix_check);
}

static void
tt_place_row_init (TtPlaceRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->no_fix_check, "toggled", G_CALLBACK (update), self);
  update (self);
}

void
tt_place_row_set_item (TtPlaceRow *self,
                       TtItem     *item)
{
  g_return_if_fail (TT_IS_PLACE_ROW (self));

  g_set_object (&self->item, item);
  update (self);
}

void
tt_place_row_set_waiting (TtPlaceRow *self,
                          gboolean    waiting)
{
  g_return_if_fail (TT_IS_PLACE_ROW (self));

  self->waiting = waiting;
  update (self);
}

void
tt_place_row_set_fix_json (TtPlaceRow *self,
                           const char *fix_json)
{
  g_return_if_fail (TT_IS_PLACE_ROW (self));

  g_free (self->fix_json);
  self->fix_json = g_strdup (fix_json);
  update (self);
}

void
tt_place_row_get_place (TtPlaceRow *self,
                        TtPodPlace *place)
{
  g_return_if_fail (TT_IS_PLACE_ROW (self));
  g_return_if_fail (place != NULL);

  place->fix_json = self->fix_json;
  place->confirm_no_fix = gtk_check_button_get_active (self->no_fix_check);
}

char *
tt_place_row_dup_summary (TtPlaceRow *self)
{
  g_return_val_if_fail (TT_IS_PLACE_ROW (self), NULL);

  if (!tt_pod_parse_fix (self->fix_json, NULL, NULL, NULL, NULL))
    return g_strdup (gtk_check_button_get_active (self->no_fix_check)
                       ? _("Saved without a GPS position")
                       : _("No GPS position"));
  return g_strdup_printf ("%s — %s",
                          adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self)),
                          adw_action_row_get_subtitle (ADW_ACTION_ROW (self)));
}
