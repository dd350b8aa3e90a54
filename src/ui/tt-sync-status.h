/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tt-sync.h"

G_BEGIN_DECLS

#define TT_TYPE_SYNC_STATUS (tt_sync_status_get_type ())
G_DECLARE_FINAL_TYPE (TtSyncStatus, tt_sync_status, TT, SYNC_STATUS, GtkWidget)

/* The header's sync indicator: an icon and the number of events waiting;
 * its popover says when the last sync was, what went wrong in plain
 * words, and offers "Sync Now". */
GtkWidget  *tt_sync_status_new        (TtSync       *sync);
TtSync     *tt_sync_status_get_sync   (TtSyncStatus *self);
/* The one-line summary shown as tooltip and popover title. */
const char *tt_sync_status_get_summary (TtSyncStatus *self);

G_END_DECLS
