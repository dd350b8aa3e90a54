/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tt-pod.h"
#include "tt-store.h"

G_BEGIN_DECLS

#define TT_TYPE_DELIVERY_PAGE (tt_delivery_page_get_type ())
G_DECLARE_FINAL_TYPE (TtDeliveryPage, tt_delivery_page, TT, DELIVERY_PAGE, AdwBin)

/* Delivery at the door: identity, proxy, money, signature, position,
 * review.  Emits "recorded" (TtEvent) once the event is on disk.  @item is
 * a whole item as tt_store_get_item() reads it: the route list's items
 * have no ID hash to check the addressee against. */
GtkWidget  *tt_delivery_page_new           (TtStore        *store,
                                            TtItem         *item);
TtItem     *tt_delivery_page_get_item      (TtDeliveryPage *self);
/* A citizen ID read from a CCCD QR (12 digits): checked at once. */
void        tt_delivery_page_set_scanned_id (TtDeliveryPage *self,
                                             const char     *id12);
void        tt_delivery_page_set_fix_json  (TtDeliveryPage *self,
                                            const char     *fix_json,
                                            gboolean        waiting);
/* TRUE while a better position is being waited for. */
void        tt_delivery_page_set_waiting (TtDeliveryPage *self,
                                          gboolean        waiting);

G_END_DECLS
