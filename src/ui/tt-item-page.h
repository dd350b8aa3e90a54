/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tt-item.h"

G_BEGIN_DECLS

#define TT_TYPE_ITEM_PAGE (tt_item_page_get_type ())
G_DECLARE_FINAL_TYPE (TtItemPage, tt_item_page, TT, ITEM_PAGE, AdwBin)

GtkWidget *tt_item_page_new       (TtItem     *item);
void       tt_item_page_set_item  (TtItemPage *self,
                                   TtItem     *item);
TtItem    *tt_item_page_get_item  (TtItemPage *self);

G_END_DECLS
