/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tt-application.h"
#include "tt-scan-router.h"

G_BEGIN_DECLS

#define TT_TYPE_WINDOW (tt_window_get_type ())
G_DECLARE_FINAL_TYPE (TtWindow, tt_window, TT, WINDOW, AdwApplicationWindow)

TtWindow  *tt_window_new                 (TtApplication *application);
/* Opens the item page of @item_id; says so in a toast when it is not on
 * the route.  Returns whether the page was opened. */
gboolean   tt_window_open_item           (TtWindow      *self,
                                          const char    *item_id);
/* @text is plain text, not markup. */
void       tt_window_show_toast          (TtWindow      *self,
                                          const char    *text);
/* Scanning: @toast (full) is shown at once. */
void       tt_window_add_toast           (TtWindow      *self,
                                          AdwToast      *toast);
/* What a scan does here (see tt-scan-router.h); NULL without a store.
 * Before it acts, the window emits "scanned" (TtCode *code) → gboolean:
 * a page that wants a code (the identity check: a citizen ID) connects
 * to it and returns TRUE for the codes it takes. */
TtScanRouter *tt_window_get_scan_router  (TtWindow      *self);
/* Page navigation: @page slides in over the current one; popping goes
 * back one page and drops the page that was left. */
void       tt_window_push_page           (TtWindow      *self,
                                          GtkWidget     *page);
void       tt_window_pop_page            (TtWindow      *self);
/* TRUE when the window is wide and short (a phone held sideways). */
gboolean   tt_window_get_landscape       (TtWindow      *self);
/* Where indicators (GPS, sync) are packed, at the end of the header. */
GtkBox    *tt_window_get_status_box      (TtWindow      *self);
/* Prints the time to the first frame with route rows and the peak
 * memory, then quits (bench-startup). */
void       tt_window_report_first_frame  (TtWindow      *self,
                                          gint64         start_time_us);
/* The courier-facing name of an item status ("delivered" → "Delivered"). */
const char *tt_window_status_label       (const char    *status);

G_END_DECLS
