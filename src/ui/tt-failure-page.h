/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tt-pod.h"
#include "tt-store.h"

G_BEGIN_DECLS

#define TT_TYPE_FAILURE_PAGE (tt_failure_page_get_type ())
G_DECLARE_FINAL_TYPE (TtFailurePage, tt_failure_page, TT, FAILURE_PAGE, AdwBin)

/* A failed attempt: reason, action (with a retry date), note, position.
 * Emits "recorded" (TtEvent) once the event is on disk. */
GtkWidget  *tt_failure_page_new           (TtStore       *store,
                                           TtItem        *item);
TtItem     *tt_failure_page_get_item      (TtFailurePage *self);
void        tt_failure_page_set_fix_json  (TtFailurePage *self,
                                           const char    *fix_json,
                                           gboolean       waiting);
/* TRUE while a better position is being waited for. */
void        tt_failure_page_set_waiting (TtFailurePage *self,
                                         gboolean       waiting);

G_END_DECLS
