/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tt-item.h"
#include "tt-pod.h"

G_BEGIN_DECLS

#define TT_TYPE_PLACE_ROW (tt_place_row_get_type ())
G_DECLARE_FINAL_TYPE (TtPlaceRow, tt_place_row, TT, PLACE_ROW, AdwActionRow)

/* Where the courier stands, for a proof of delivery: the position and its
 * accuracy, the distance from the item's address (with a warning when
 * far), or why there is none and a choice to record without it. */
void        tt_place_row_set_item      (TtPlaceRow *self,
                                        TtItem     *item);
void        tt_place_row_set_waiting   (TtPlaceRow *self,
                                        gboolean    waiting);
/* The location service's fix JSON (NULL: no location service at all). */
void        tt_place_row_set_fix_json  (TtPlaceRow *self,
                                        const char *fix_json);
/* What to put in the flow's input; valid while the row lives. */
void        tt_place_row_get_place     (TtPlaceRow *self,
                                        TtPodPlace *place);
/* A line for the review before confirming. */
char       *tt_place_row_dup_summary   (TtPlaceRow *self);

G_END_DECLS
