/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tt-pod.h"
#include "tt-store.h"

G_BEGIN_DECLS

#define TT_TYPE_INTAKE_PAGE (tt_intake_page_get_type ())
G_DECLARE_FINAL_TYPE (TtIntakePage, tt_intake_page, TT, INTAKE_PAGE, AdwBin)

/* Door-step intake: checklist, pages, envelope label, money, signature,
 * position.  Emits "recorded" (TtEvent) once the event is on disk. */
GtkWidget  *tt_intake_page_new               (TtStore      *store,
                                              TtItem       *item);
TtItem     *tt_intake_page_get_item          (TtIntakePage *self);
/* The pre-printed QR label on the envelope, as scanned. */
void        tt_intake_page_set_scanned_label (TtIntakePage *self,
                                              const char   *value);
void        tt_intake_page_set_fix_json      (TtIntakePage *self,
                                              const char   *fix_json,
                                              gboolean      waiting);

/* Once recorded, the page turns into the citizen's receipt: going back
 * from it leaves the flow. */
void        tt_intake_page_show_receipt      (TtIntakePage *self,
                                              GtkWidget    *receipt_page);
/* TRUE while a better position is being waited for. */
void        tt_intake_page_set_waiting (TtIntakePage *self,
                                        gboolean      waiting);

G_END_DECLS
