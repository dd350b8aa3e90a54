/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* HTML for the office and the public tracking page.  Every value from the
 * database is escaped; the pages need no script. */

/* Routes (tt_server_db_list_routes) and devices with their chain status
 * (tt_server_db_list_devices). */
char *tt_server_page_office  (JsonArray  *routes,
                              JsonArray  *devices);
/* One route: items (tt_server_db_list_items), each with an "events"
 * member (tt_server_db_list_item_events). */
char *tt_server_page_route   (const char *route_id,
                              JsonArray  *items);
/* The public page: @track is the tracking answer (docs/api.md) or NULL
 * when the item is not known. */
char *tt_server_page_track   (const char *item_id,
                              JsonObject *track);
/* Plain status words for an item from its last event type. */
const char *tt_server_status_for_event (const char *type);

G_END_DECLS
