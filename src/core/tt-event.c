/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-event"

#include "config.h"

#include "tt-event.h"

G_DEFINE_QUARK (tt-event-error-quark, tt_event_error)
G_DEFINE_BOXED_TYPE (TtEvent, tt_event, tt_event_copy, tt_event_free)

static const char *const state_names[] = { "pending", "acknowledged", "quarantined" };

const char *
tt_event_state_to_string (TtEventState state)
{
  g_return_val_if_fail (state < G_N_ELEMENTS (state_names), NULL);
  return state_names[state];
}

gboolean
tt_event_state_from_string (const char   *str,
                            TtEventState *state)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (state_names); i++)
    if (g_str_equal (str, state_names[i]))
      {
        *state = (TtEventState) i;
        return TRUE;
      }
  return FALSE;
}

TtEvent *
tt_event_copy (const TtEvent *event)
{
  TtEvent *copy;

  g_return_val_if_fail (event != NULL, NULL);

  copy = g_new0 (TtEvent, 1);
  copy->seq = event->seq;
  copy->uuid = g_strdup (event->uuid);
  copy->type = g_strdup (event->type);
  copy->item_id = g_strdup (event->item_id);
  copy->time = g_strdup (event->time);
  copy->payload = g_strdup (event->payload);
  copy->prev_hash = g_strdup (event->prev_hash);
  copy->hash = g_strdup (event->hash);
  copy->state = event->state;
  copy->reason = g_strdup (event->reason);
  return copy;
}

void
tt_event_free (TtEvent *event)
{
  if (event == NULL)
    return;
  g_free (event->uuid);
  g_free (event->type);
  g_free (event->item_id);
  g_free (event->time);
  g_free (event->payload);
  g_free (event->prev_hash);
  g_free (event->hash);
  g_free (event->reason);
  g_free (event);
}

char *
tt_event_compute_hash (const char *prev_hash,
                       const char *uuid,
                       const char *type,
                       const char *item_id,
                       const char *time,
                       const char *payload)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);
  const char *parts[] = { prev_hash, uuid, type, item_id, time, payload };

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    {
      if (parts[i] != NULL)
        g_checksum_update (sum, (const guchar *) parts[i], strlen (parts[i]));
      g_checksum_update (sum, (const guchar *) "\n", 1);
    }
  return g_strdup (g_checksum_get_string (sum));
}

gboolean
tt_event_verify_chain (GPtrArray   *events,
                       const char  *first_prev_hash,
                       guint       *bad_index,
                       GError     **error)
{
  const char *prev = first_prev_hash ? first_prev_hash : TT_EVENT_GENESIS_HASH;

  g_return_val_if_fail (events != NULL, FALSE);

  for (guint i = 0; i < events->len; i++)
    {
      const TtEvent *e = g_ptr_array_index (events, i);
      g_autofree char *expect = NULL;

      if (i > 0)
        {
          const TtEvent *before = g_ptr_array_index (events, i - 1);

          if (e->seq != before->seq + 1)
            {
              if (bad_index)
                *bad_index = i;
              g_set_error (error, TT_EVENT_ERROR, TT_EVENT_ERROR_CHAIN,
                           "Event %" G_GINT64_FORMAT " is missing (next is %" G_GINT64_FORMAT ")",
                           before->seq + 1, e->seq);
              return FALSE;
            }
        }
      if (g_strcmp0 (e->prev_hash, prev) != 0)
        {
          if (bad_index)
            *bad_index = i;
          g_set_error (error, TT_EVENT_ERROR, TT_EVENT_ERROR_CHAIN,
                       "Event %" G_GINT64_FORMAT " does not follow the one before it "
                       "(an event is missing or was altered)", e->seq);
          return FALSE;
        }
      expect = tt_event_compute_hash (e->prev_hash, e->uuid, e->type, e->item_id,
                                      e->time, e->payload);
      if (g_strcmp0 (expect, e->hash) != 0)
        {
          if (bad_index)
            *bad_index = i;
          g_set_error (error, TT_EVENT_ERROR, TT_EVENT_ERROR_CHAIN,
                       "Event %" G_GINT64_FORMAT " was altered (its hash does not match)",
                       e->seq);
          return FALSE;
        }
      prev = e->hash;
    }
  return TRUE;
}

JsonNode *
tt_event_to_json (const TtEvent *event)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  g_return_val_if_fail (event != NULL, NULL);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, event->uuid);
  json_builder_set_member_name (b, "seq");
  json_builder_add_int_value (b, event->seq);
  json_builder_set_member_name (b, "type");
  json_builder_add_string_value (b, event->type);
  json_builder_set_member_name (b, "item_id");
  if (event->item_id)
    json_builder_add_string_value (b, event->item_id);
  else
    json_builder_add_null_value (b);
  json_builder_set_member_name (b, "time");
  json_builder_add_string_value (b, event->time);
  json_builder_set_member_name (b, "payload");
  json_builder_add_string_value (b, event->payload);
  json_builder_set_member_name (b, "prev_hash");
  json_builder_add_string_value (b, event->prev_hash);
  json_builder_set_member_name (b, "hash");
  json_builder_add_string_value (b, event->hash);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

static const char *
member_string (JsonObject *o,
               const char *name,
               gboolean    nullable,
               GError    **error)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    {
      if (!nullable)
        g_set_error (error, TT_EVENT_ERROR, TT_EVENT_ERROR_INVALID,
                     "Event field “%s” is missing", name);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    {
      g_set_error (error, TT_EVENT_ERROR, TT_EVENT_ERROR_INVALID,
                   "Event field “%s” must be a string", name);
      return NULL;
    }
  return json_node_get_string (n);
}

TtEvent *
tt_event_from_json (JsonNode  *node,
                    GError   **error)
{
  g_autoptr(TtEvent) e = NULL;
  JsonObject *o;
  JsonNode *seq;
  GError *local = NULL;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TT_EVENT_ERROR, TT_EVENT_ERROR_INVALID, "An event must be a JSON object");
      return NULL;
    }
  o = json_node_get_object (node);
  e = g_new0 (TtEvent, 1);

#define TAKE(field, name, nullable)                                   \
  G_STMT_START {                                                      \
    const char *v = member_string (o, name, nullable, &local);       \
    if (local != NULL)                                                \
      {                                                               \
        g_propagate_error (error, local);                             \
        return NULL;                                                  \
      }                                                               \
    e->field = g_strdup (v);                                          \
  } G_STMT_END
  TAKE (uuid, "id", FALSE);
  TAKE (type, "type", FALSE);
  TAKE (item_id, "item_id", TRUE);
  TAKE (time, "time", FALSE);
  TAKE (payload, "payload", FALSE);
  TAKE (prev_hash, "prev_hash", FALSE);
  TAKE (hash, "hash", FALSE);
#undef TAKE

  seq = json_object_get_member (o, "seq");
  if (seq == NULL || !JSON_NODE_HOLDS_VALUE (seq) || json_node_get_value_type (seq) != G_TYPE_INT64
      || json_node_get_int (seq) < 1)
    {
      g_set_error (error, TT_EVENT_ERROR, TT_EVENT_ERROR_INVALID,
                   "Event field “seq” must be a positive integer");
      return NULL;
    }
  e->seq = json_node_get_int (seq);
  return g_steal_pointer (&e);
}

char *
tt_event_time_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return g_date_time_format (now, "%Y-%m-%dT%H:%M:%S.%fZ");
}
