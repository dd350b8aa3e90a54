/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tt-store.h"

G_BEGIN_DECLS

#define TT_TYPE_SUMMARY_PAGE (tt_summary_page_get_type ())
G_DECLARE_FINAL_TYPE (TtSummaryPage, tt_summary_page, TT, SUMMARY_PAGE, AdwBin)

/* End of day: what was done, the cash to hand over and what still waits
 * to be synced; follows the store as it changes. */
GtkWidget  *tt_summary_page_new     (TtStore       *store);
void        tt_summary_page_refresh (TtSummaryPage *self);

G_END_DECLS
