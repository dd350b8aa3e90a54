/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TT_SERVER_DB_ERROR (tt_server_db_error_quark ())

typedef enum
{
  TT_SERVER_DB_ERROR_IO,          /* the database cannot be read or written */
  TT_SERVER_DB_ERROR_ROUTE,       /* an imported route was rejected */
  TT_SERVER_DB_ERROR_CODE,        /* enrollment code unknown or already used */
  TT_SERVER_DB_ERROR_NOT_FOUND,
} TtServerDbError;

/* Why one event of a batch was refused (docs/api.md, "Rejections"). */
typedef struct
{
  char *id;
  char *code;      /* machine-readable: conflict, invalid, unknown-type, … */
  char *reason;    /* plain words */
} TtRejection;

void tt_rejection_free (TtRejection *rejection);

#define TT_TYPE_SERVER_DB (tt_server_db_get_type ())
G_DECLARE_FINAL_TYPE (TtServerDb, tt_server_db, TT, SERVER_DB, GObject)

GQuark      tt_server_db_error_quark      (void);

TtServerDb *tt_server_db_open             (const char   *path,
                                           GError      **error);

/* Routes.  @json is a manifest (docs/api.md); a route with the same id is
 * replaced.  Nothing is stored unless the whole manifest is valid. */
gboolean    tt_server_db_import_manifest  (TtServerDb   *self,
                                           const char   *json,
                                           gssize        length,
                                           char        **route_id,
                                           guint        *n_items,
                                           GError      **error);
/* The newest route of @courier; FALSE when there is none. */
gboolean    tt_server_db_get_route        (TtServerDb   *self,
                                           const char   *courier,
                                           char        **manifest,
                                           char        **etag);
/* Courier of the route imported last, or NULL. */
char       *tt_server_db_dup_last_courier (TtServerDb   *self);

/* Enrollment: a one-time code for @courier, then a device and its token. */
char       *tt_server_db_issue_code       (TtServerDb   *self,
                                           const char   *courier,
                                           GError      **error);
gboolean    tt_server_db_enroll           (TtServerDb   *self,
                                           const char   *code,
                                           const char   *device_name,
                                           char        **device_id,
                                           char        **token,
                                           char        **courier,
                                           GError      **error);
/* The device a bearer token belongs to (and its courier), or FALSE. */
gboolean    tt_server_db_check_token      (TtServerDb   *self,
                                           const char   *token,
                                           char        **device_id,
                                           char        **courier);

/* Storing a batch of wire-form events takes two steps, so that the
 * first can run on any thread and the second can store several batches
 * in one transaction:
 *
 * tt_server_db_validate_events() checks each event on its own (no
 * database; safe on any thread): the good ones go to @valid (TtEvent),
 * the others to @rejected (TtRejection).
 *
 * tt_server_db_insert_events(), between tt_server_db_begin() and
 * tt_server_db_commit(), stores @valid for @device_id: every event ends
 * up in @acknowledged (stored now or before, byte for byte) or in
 * @rejected (a conflict).  FALSE only when the database failed; the
 * transaction must then be rolled back and nothing of it is stored. */
void        tt_server_db_validate_events  (JsonArray    *events,
                                           gsize         max_payload,
                                           GPtrArray    *valid,
                                           GPtrArray    *rejected);
gboolean    tt_server_db_begin            (TtServerDb   *self,
                                           GError      **error);
gboolean    tt_server_db_insert_events    (TtServerDb   *self,
                                           const char   *device_id,
                                           GPtrArray    *valid,
                                           GPtrArray    *acknowledged,
                                           GPtrArray    *rejected,
                                           GError      **error);
gboolean    tt_server_db_commit           (TtServerDb   *self,
                                           GError      **error);
void        tt_server_db_rollback         (TtServerDb   *self);
const char *tt_server_db_get_path         (TtServerDb   *self);
/* Number of events held (for one device, or all when NULL). */
guint       tt_server_db_count_events     (TtServerDb   *self,
                                           const char   *device_id);
/* Checks the device's chain as received: TRUE when it runs unbroken from
 * its first event; @summary says what was found in plain words. */
gboolean    tt_server_db_check_chain      (TtServerDb   *self,
                                           const char   *device_id,
                                           guint        *n_events,
                                           char        **summary);

/* Read models for the office and tracking pages (arrays of objects). */
JsonArray  *tt_server_db_list_routes      (TtServerDb   *self);
JsonArray  *tt_server_db_list_items       (TtServerDb   *self,
                                           const char   *route_id);
JsonArray  *tt_server_db_list_devices     (TtServerDb   *self);
/* Events about an item, oldest first, with their payload parsed. */
JsonArray  *tt_server_db_list_item_events (TtServerDb   *self,
                                           const char   *item_id);
/* Whether the item is on any route. */
gboolean    tt_server_db_has_item         (TtServerDb   *self,
                                           const char   *item_id);

/* Known event types and their UPU codes (NULL when none). */
gboolean    tt_server_event_type_known    (const char   *type);
const char *tt_server_event_type_upu      (const char   *type);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtRejection, tt_rejection_free)

G_END_DECLS
