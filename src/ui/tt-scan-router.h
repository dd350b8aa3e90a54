/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tt-route-model.h"
#include "tt-settings.h"

G_BEGIN_DECLS

typedef struct _TtWindow TtWindow;

/* What a scan does in the window, whatever it came from (wedge scanner,
 * camera, typed code):
 *  - the window's "scanned" signal goes first: a page that is waiting
 *    for a code (the identity check wants a citizen ID) takes it;
 *  - an item on the route opens (or, during a load check, goes into the
 *    bag: status "out", event out-for-delivery);
 *  - an item not on the route is said so, with "Note it" (event
 *    not-on-route);
 *  - anything unreadable is said so, quoting what was scanned.
 * It owns the keyboard-wedge scanner of the window and the "scan."
 * actions: scan.camera (camera page), scan.load-check (toggle). */
#define TT_TYPE_SCAN_ROUTER (tt_scan_router_get_type ())
G_DECLARE_FINAL_TYPE (TtScanRouter, tt_scan_router, TT, SCAN_ROUTER, GObject)

/* @settings: the application's, or NULL (scanner defaults) when the
 * schema is missing. */
TtScanRouter *tt_scan_router_new            (TtWindow      *window,
                                             TtRouteModel  *route_model,
                                             TtSettings    *settings);
/* Handles one scan.  @len -1 when @data is NUL-terminated. */
void          tt_scan_router_handle         (TtScanRouter  *self,
                                             const char    *data,
                                             gssize         len);
gboolean      tt_scan_router_get_load_check (TtScanRouter  *self);
void          tt_scan_router_set_load_check (TtScanRouter  *self,
                                             gboolean       load_check);
/* The last thing a scan made the window say (for tests and logs). */
const char   *tt_scan_router_get_message    (TtScanRouter  *self);

G_END_DECLS
