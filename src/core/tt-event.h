/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define TT_EVENT_ERROR (tt_event_error_quark ())

typedef enum
{
  TT_EVENT_ERROR_INVALID,      /* malformed event */
  TT_EVENT_ERROR_CHAIN,        /* hash chain broken: altered or missing event */
} TtEventError;

typedef enum
{
  TT_EVENT_STATE_PENDING,
  TT_EVENT_STATE_ACKNOWLEDGED,
  TT_EVENT_STATE_QUARANTINED,
} TtEventState;

/* Hash of the (absent) event before a device's first one. */
#define TT_EVENT_GENESIS_HASH \
  "0000000000000000000000000000000000000000000000000000000000000000"

/* Event types; UPU codes are in docs/events.md. */
#define TT_EVENT_DELIVERED        "delivered"         /* EMI */
#define TT_EVENT_FAILED           "failed"            /* EMH */
#define TT_EVENT_INTAKE           "intake"            /* EMA */
#define TT_EVENT_OUT_FOR_DELIVERY "out-for-delivery"  /* EDG */
#define TT_EVENT_NOT_ON_ROUTE     "not-on-route"      /* scanned, not on the route */

/* One proof-of-delivery record.  Plain, copyable data. */
typedef struct
{
  gint64        seq;          /* device order, from 1 */
  char         *uuid;         /* idempotency key */
  char         *type;
  char         *item_id;      /* may be NULL */
  char         *time;         /* ISO 8601 UTC, e.g. 2026-11-25T08:12:03.123Z */
  char         *payload;      /* JSON object, serialised; hashed byte for byte */
  char         *prev_hash;    /* hex SHA-256 */
  char         *hash;         /* hex SHA-256 */
  TtEventState  state;
  char         *reason;       /* server's reason when quarantined */
} TtEvent;

GQuark        tt_event_error_quark       (void);
GType         tt_event_get_type          (void) G_GNUC_CONST;
#define TT_TYPE_EVENT (tt_event_get_type ())

TtEvent      *tt_event_copy              (const TtEvent *event);
void          tt_event_free              (TtEvent       *event);
const char   *tt_event_state_to_string   (TtEventState   state);
gboolean      tt_event_state_from_string (const char    *str,
                                          TtEventState  *state);

/* hex SHA-256 over prev_hash, uuid, type, item_id, time and payload, each
 * followed by a newline (see docs/api.md). */
char         *tt_event_compute_hash      (const char    *prev_hash,
                                          const char    *uuid,
                                          const char    *type,
                                          const char    *item_id,
                                          const char    *time,
                                          const char    *payload);

/* Checks that events[0..n) form an unbroken chain starting from
 * @first_prev_hash (the genesis hash when NULL), each hash right and seq
 * consecutive.  On failure sets @bad_index to the first bad event. */
gboolean      tt_event_verify_chain      (GPtrArray     *events,
                                          const char    *first_prev_hash,
                                          guint         *bad_index,
                                          GError       **error);

/* Wire form (docs/api.md): {"id","seq","type","item_id","time","payload",
 * "prev_hash","hash"} with payload a JSON string. */
JsonNode     *tt_event_to_json           (const TtEvent *event);
TtEvent      *tt_event_from_json         (JsonNode      *node,
                                          GError       **error);

/* Now, as the event time format. */
char         *tt_event_time_now          (void);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtEvent, tt_event_free)

G_END_DECLS
