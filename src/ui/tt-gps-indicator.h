/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tt-location.h"

G_BEGIN_DECLS

#define TT_TYPE_GPS_INDICATOR (tt_gps_indicator_get_type ())
G_DECLARE_FINAL_TYPE (TtGpsIndicator, tt_gps_indicator, TT, GPS_INDICATOR, GtkWidget)

GtkWidget  *tt_gps_indicator_new           (TtLocation     *location);
TtLocation *tt_gps_indicator_get_location  (TtGpsIndicator *self);
void        tt_gps_indicator_set_location  (TtGpsIndicator *self,
                                            TtLocation     *location);
/* What the indicator shows next to its icon, e.g. "±13 m" or "No GPS". */
const char *tt_gps_indicator_get_text      (TtGpsIndicator *self);
/* "±13 m", "±1.2 km"; NULL when @accuracy_m is not a number. */
char       *tt_gps_format_accuracy         (double          accuracy_m);

G_END_DECLS
