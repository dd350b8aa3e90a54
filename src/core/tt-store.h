/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include "tt-item.h"
#include "tt-event.h"

G_BEGIN_DECLS

#define TT_STORE_ERROR (tt_store_error_quark ())

typedef enum
{
  TT_STORE_ERROR_CORRUPT,       /* not a database, or integrity check failed */
  TT_STORE_ERROR_TOO_NEW,       /* schema written by a newer version of the app */
  TT_STORE_ERROR_MANIFEST,      /* manifest rejected; the old route is intact */
  TT_STORE_ERROR_NOT_FOUND,
  TT_STORE_ERROR_IO,            /* disk full, read-only, locked … */
  TT_STORE_ERROR_INVALID,
} TtStoreError;

/* Current schema version (PRAGMA user_version). */
#define TT_STORE_SCHEMA_VERSION 3

#define TT_TYPE_STORE (tt_store_get_type ())
G_DECLARE_FINAL_TYPE (TtStore, tt_store, TT, STORE, GObject)

GQuark      tt_store_error_quark          (void);

/* The data folder: @override (the --data-dir option) or the user's data
 * folder.  The store lives in DATA_DIR/tantay.db. */
char       *tt_store_data_dir             (const char   *override);
char       *tt_store_default_path         (const char   *data_dir);

TtStore    *tt_store_open                 (const char   *path,
                                           GError      **error);
const char *tt_store_get_path             (TtStore      *self);

/* Meta key/value (route id, etag, device id, last sync …). */
char       *tt_store_get_meta             (TtStore      *self,
                                           const char   *key);
gboolean    tt_store_set_meta             (TtStore      *self,
                                           const char   *key,
                                           const char   *value,
                                           GError      **error);

/* Manifest: replaces the route in one transaction.  On any error the
 * previous route is left exactly as it was. */
gboolean    tt_store_load_manifest        (TtStore      *self,
                                           const char   *json,
                                           gssize        length,
                                           GError      **error);
gboolean    tt_store_load_manifest_file   (TtStore      *self,
                                           const char   *path,
                                           GError      **error);
guint       tt_store_count_items          (TtStore      *self);

/* Items in route order, as a new array of TtItem, without their ID hash
 * (id_hash is NULL: read one item with tt_store_get_item() for that). */
GPtrArray  *tt_store_list_items           (TtStore      *self,
                                           GError      **error);
TtItem     *tt_store_get_item             (TtStore      *self,
                                           const char   *item_id,
                                           GError      **error);
gboolean    tt_store_set_item_status      (TtStore      *self,
                                           const char   *item_id,
                                           TtItemStatus  status,
                                           GError      **error);

/* Events: append-only, durable (synchronous=FULL) when this returns TRUE.
 * @payload_json is a JSON object serialised; the hash chain covers it
 * byte for byte.  Returns the new event (full) or NULL. */
TtEvent    *tt_store_append_event         (TtStore      *self,
                                           const char   *type,
                                           const char   *item_id,
                                           const char   *payload_json,
                                           GError      **error);
/* Same, and sets the item's status (and bumps its attempt count for a
 * failed attempt) in the same transaction. */
TtEvent    *tt_store_append_event_full    (TtStore      *self,
                                           const char   *type,
                                           const char   *item_id,
                                           const char   *payload_json,
                                           TtItemStatus  new_status,
                                           gboolean      count_attempt,
                                           GError      **error);
/* All events in device order (state filter: -1 for all). */
GPtrArray  *tt_store_list_events          (TtStore      *self,
                                           int           state,
                                           guint         limit,
                                           GError      **error);
guint       tt_store_count_events         (TtStore      *self,
                                           TtEventState  state);
gboolean    tt_store_mark_acknowledged    (TtStore      *self,
                                           const char * const *uuids,
                                           GError      **error);
gboolean    tt_store_mark_quarantined     (TtStore      *self,
                                           const char   *uuid,
                                           const char   *reason,
                                           GError      **error);
/* Deletes delivered or collected items whose every event was acknowledged
 * more than @days days ago.  Events (the chain) are kept; nothing not
 * acknowledged is touched. */
gboolean    tt_store_purge                (TtStore      *self,
                                           guint         days,
                                           GError      **error);

G_END_DECLS
