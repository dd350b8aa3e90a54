/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tt-store.h"

G_BEGIN_DECLS

#define TT_SYNC_ERROR (tt_sync_error_quark ())

typedef enum
{
  TT_SYNC_ERROR_NOT_ENROLLED,   /* no server or token yet */
  TT_SYNC_ERROR_BAD_ENROLLMENT, /* enrollment URI, server address or code unusable */
  TT_SYNC_ERROR_REFUSED,        /* the server refused the device (401, 403, used code) */
  TT_SYNC_ERROR_NETWORK,        /* server not reachable, or no answer in time */
  TT_SYNC_ERROR_TLS,            /* the server's certificate is not trusted */
  TT_SYNC_ERROR_SERVER,         /* the server kept failing (5xx, 429) */
  TT_SYNC_ERROR_PROTOCOL,       /* an answer that is not the protocol (a Wi-Fi login page …) */
  TT_SYNC_ERROR_MANIFEST,       /* the new route was rejected; the old one is intact */
  TT_SYNC_ERROR_BUSY,           /* a sync is already running */
  TT_SYNC_ERROR_STORE,          /* the device's own storage failed */
} TtSyncError;

typedef enum
{
  TT_SYNC_STATE_NOT_ENROLLED,
  TT_SYNC_STATE_IDLE,
  TT_SYNC_STATE_SYNCING,
  TT_SYNC_STATE_ERROR,          /* the last sync failed; see last-error */
} TtSyncState;

typedef enum
{
  TT_SYNC_MANIFEST_NONE,        /* not pulled, or the server has no route */
  TT_SYNC_MANIFEST_UPDATED,
  TT_SYNC_MANIFEST_NOT_MODIFIED,
  TT_SYNC_MANIFEST_FAILED,
} TtSyncManifest;

/* What one sync did. */
typedef struct
{
  TtSyncManifest manifest;
  guint          items;         /* items in the route when updated */
  guint          pushed;        /* events sent (retries counted once) */
  guint          acknowledged;
  guint          rejected;      /* quarantined with the server's reason */
  guint          retries;       /* requests sent again after a transient failure */
  guint64        bytes_sent;    /* request lines, headers and bodies */
  guint64        bytes_received;/* response bodies */
} TtSyncReport;

#define TT_TYPE_SYNC_STATE (tt_sync_state_get_type ())
GType tt_sync_state_get_type (void) G_GNUC_CONST;

#define TT_TYPE_SYNC (tt_sync_get_type ())
G_DECLARE_FINAL_TYPE (TtSync, tt_sync, TT, SYNC, GObject)

GQuark       tt_sync_error_quark        (void);

/* The sync engine of one data folder.  The token lives in
 * DATA_DIR/sync-token (mode 0600); the server address, device id, ETag
 * and last sync in the store's meta keys "sync.*".
 *
 * Properties for the UI (all notify): "state" (TtSyncState), "pending"
 * and "quarantined" (event counts), "last-sync" (ISO 8601 or NULL),
 * "last-error" (plain words or NULL), "server-url", "device-id".
 * Behaviour: "auto-sync" (sync after new events, when the network comes
 * back, and again a while after a failure), "ca-file", "timeout" (s),
 * "backoff-base"/"backoff-cap" (ms), "max-attempts" (per request and
 * sync), "batch-size", "retention-days". */
TtSync      *tt_sync_new                (TtStore              *store,
                                         const char           *data_dir);

/* Splits "tantay://enroll?server=…&code=…".  The server must be https,
 * or http on a loopback address. */
gboolean     tt_sync_parse_enroll_uri   (const char           *uri,
                                         char                **server,
                                         char                **code,
                                         GError              **error);

/* Enrolls with an enrollment URI (@code NULL) or a typed server address
 * and code. */
void         tt_sync_enroll_async       (TtSync               *self,
                                         const char           *uri_or_server,
                                         const char           *code,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean     tt_sync_enroll_finish      (TtSync               *self,
                                         GAsyncResult         *result,
                                         GError              **error);

/* One sync: pulls the route (ETag), then pushes every pending event in
 * batches.  Transient failures are retried with exponential backoff and
 * full jitter, never sooner than Retry-After.  @report is filled in even
 * when an error is returned. */
void         tt_sync_run_async          (TtSync               *self,
                                         GCancellable         *cancellable,
                                         GAsyncReadyCallback   callback,
                                         gpointer              user_data);
gboolean     tt_sync_run_finish         (TtSync               *self,
                                         GAsyncResult         *result,
                                         TtSyncReport         *report,
                                         GError              **error);
/* "Sync now": starts a sync unless one is running; errors go to
 * last-error. */
void         tt_sync_request            (TtSync               *self);

gboolean     tt_sync_is_enrolled        (TtSync               *self);
TtSyncState  tt_sync_get_state          (TtSync               *self);
const char  *tt_sync_get_last_error     (TtSync               *self);
/* ISO 8601 time of the last complete sync, or NULL. */
const char  *tt_sync_get_last_sync      (TtSync               *self);
guint        tt_sync_get_pending        (TtSync               *self);
/* Events the server refused (TtEvent with its reason), oldest first. */
GPtrArray   *tt_sync_list_quarantined   (TtSync               *self,
                                         GError              **error);
const char  *tt_sync_get_server_url     (TtSync               *self);
const char  *tt_sync_get_device_id      (TtSync               *self);

const char  *tt_sync_manifest_to_string (TtSyncManifest        manifest);

G_END_DECLS
