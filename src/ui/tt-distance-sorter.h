/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tt-location.h"

G_BEGIN_DECLS

#define TT_TYPE_DISTANCE_SORTER (tt_distance_sorter_get_type ())
G_DECLARE_FINAL_TYPE (TtDistanceSorter, tt_distance_sorter, TT, DISTANCE_SORTER, GtkSorter)

/* Sorts TtItems in route order, or nearest first from the location's
 * latest fix when by-distance is set (items without a known location
 * last).  Until there is a fix, route order. */
TtDistanceSorter *tt_distance_sorter_new              (TtLocation       *location);
gboolean          tt_distance_sorter_get_by_distance  (TtDistanceSorter *self);
void              tt_distance_sorter_set_by_distance  (TtDistanceSorter *self,
                                                       gboolean          by_distance);
/* Follows the route-sort setting from now on.  Returns: (transfer full)
 * (nullable): a stateful "route-sort" action for menus, or NULL when the
 * settings schema is not installed. */
GAction          *tt_distance_sorter_follow_settings  (TtDistanceSorter *self);

G_END_DECLS
