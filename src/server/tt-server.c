/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-server"

#include "config.h"

#include <libsoup/soup.h>
#include <stdlib.h>

#include "tt-event.h"
#include "tt-server.h"
#include "tt-server-pages.h"

typedef enum
{
  FAULT_500,
  FAULT_429,
  FAULT_503,
  FAULT_DROP,
  FAULT_DELAY,
  FAULT_HTML,
  FAULT_MANIFEST_TORN,
  FAULT_MANIFEST_HTML,
  FAULT_OK,
} FaultKind;

typedef struct
{
  FaultKind kind;
  guint     count;
  guint     arg;
} Fault;

struct _TtServer
{
  GObject     parent_instance;

  TtServerDb *db;
  SoupServer *soup;
  gboolean    tls;
  guint       max_body;
  guint       max_batch;
  gboolean    office_open;
  char       *public_url;
  GQueue      event_faults;
  GQueue      manifest_faults;

  /* Event batches: parsed and checked on a pool of threads, stored by one
   * thread with a connection of its own, answered on the main loop. */
  GMainContext *context;
  GThreadPool  *parsers;
  GAsyncQueue  *to_store;
  GThread      *storer;
  TtServerDb   *store_db;
};

/* Batches that are ready together are stored in one transaction: one
 * wait for the disk instead of several. */
#define MAX_GROUP 8

G_DEFINE_FINAL_TYPE (TtServer, tt_server, G_TYPE_OBJECT)
G_DEFINE_QUARK (tt-server-error-quark, tt_server_error)

enum {
  PROP_0,
  PROP_DB,
  PROP_MAX_BODY,
  PROP_MAX_BATCH,
  PROP_PUBLIC_URL,
  PROP_OFFICE_OPEN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char captive_portal_html[] =
  "<!DOCTYPE html><html><body><h1>Welcome to Free WiFi</h1>"
  "<p>Please accept the terms to continue.</p></body></html>";

/* Answers */

static void
set_json (SoupServerMessage *msg,
          guint              status,
          JsonNode          *node)
{
  g_autofree char *body = json_to_string (node, FALSE);
  gsize len = strlen (body);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control",
                                "no-store");
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&body), len);
}

/* Every error answer has the same shape: {"error":{"code","message"}}. */
static void
set_error (SoupServerMessage *msg,
           guint              status,
           const char        *code,
           const char        *format,
           ...) G_GNUC_PRINTF (4, 5);

static void
set_error (SoupServerMessage *msg,
           guint              status,
           const char        *code,
           const char        *format,
           ...)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "error");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, code);
  json_builder_set_member_name (b, "message");
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  set_json (msg, status, root);
}

static void
set_html (SoupServerMessage *msg,
          guint              status,
          char              *html)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, html,
                                    strlen (html));
}

/* Parses a request body that must be a JSON object; when it is not,
 * says why in @why.  Safe on any thread.  Parsers here and elsewhere are
 * not "immutable": sealing a tree hashes every string in it, the ~1 KB
 * signatures included, for nothing when the tree is only read. */
static JsonNode *
parse_json_body (GBytes  *bytes,
                 char   **why)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (bytes, &len);

  if (len == 0)
    {
      *why = g_strdup ("The request has no body");
      return NULL;
    }
  if (!g_utf8_validate (data, len, NULL))
    {
      *why = g_strdup ("The request body is not UTF-8");
      return NULL;
    }
  if (!json_parser_load_from_data (parser, data, len, &error))
    {
      *why = g_strdup_printf ("The request body is not valid JSON: %s", error->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      *why = g_strdup ("The request body must be a JSON object");
      return NULL;
    }
  /* The parser's tree is immutable: keep it rather than copy a whole batch. */
  return json_node_ref (json_parser_get_root (parser));
}

/* Reads the request body as JSON; answers 400 itself when it is not. */
static JsonNode *
read_json_body (SoupServerMessage *msg)
{
  g_autoptr(GBytes) bytes = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autofree char *why = NULL;
  JsonNode *node = parse_json_body (bytes, &why);

  if (node == NULL)
    set_error (msg, SOUP_STATUS_BAD_REQUEST, "malformed-json", "%s", why);
  return node;
}

/* Answers 401 itself when there is no valid bearer token. */
static gboolean
authenticate (TtServer           *self,
              SoupServerMessage  *msg,
              char              **device_id,
              char              **courier)
{
  const char *auth = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   "Authorization");

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"tantay\"");
      set_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                 "This request needs the device's token (Authorization: Bearer …); "
                 "enroll the device first");
      return FALSE;
    }
  if (!tt_server_db_check_token (self->db, auth + 7, device_id, courier))
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "WWW-Authenticate", "Bearer realm=\"tantay\", error=\"invalid_token\"");
      set_error (msg, SOUP_STATUS_UNAUTHORIZED, "unauthorized",
                 "The device's token is not known to this server; enroll the device again");
      return FALSE;
    }
  return TRUE;
}

/* Faults */

static Fault *
take_fault (GQueue *queue)
{
  Fault *f = g_queue_peek_head (queue);

  if (f == NULL)
    return NULL;
  if (--f->count == 0)
    g_queue_pop_head (queue);
  return f;
}

static gboolean
unpause_cb (gpointer data)
{
  SoupServerMessage *msg = data;

  soup_server_message_unpause (msg);
  return G_SOURCE_REMOVE;
}

/* Handlers */

static void
handle_info (TtServer          *self,
             SoupServerMessage *msg)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "api_version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "server");
  json_builder_add_string_value (b, "tantay-server " PACKAGE_VERSION);
  json_builder_set_member_name (b, "max_body_bytes");
  json_builder_add_int_value (b, self->max_body);
  json_builder_set_member_name (b, "max_batch_events");
  json_builder_add_int_value (b, self->max_batch);
  json_builder_set_member_name (b, "max_payload_bytes");
  json_builder_add_int_value (b, TT_SERVER_MAX_PAYLOAD);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  set_json (msg, SOUP_STATUS_OK, root);
}

static void
handle_enroll (TtServer          *self,
               SoupServerMessage *msg)
{
  g_autoptr(JsonNode) body = read_json_body (msg);
  g_autoptr(GError) error = NULL;
  g_autofree char *device_id = NULL, *token = NULL, *courier = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  JsonObject *o;
  JsonNode *code, *name;

  if (body == NULL)
    return;
  o = json_node_get_object (body);
  code = json_object_get_member (o, "code");
  name = json_object_get_member (o, "device_name");
  if (code == NULL || !JSON_NODE_HOLDS_VALUE (code) || json_node_get_value_type (code) != G_TYPE_STRING)
    {
      set_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid-request",
                 "Field “code” (the enrollment code, a string) is missing");
      return;
    }
  if (name && !(JSON_NODE_HOLDS_NULL (name) || (JSON_NODE_HOLDS_VALUE (name)
                && json_node_get_value_type (name) == G_TYPE_STRING)))
    {
      set_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid-request",
                 "Field “device_name” must be a string");
      return;
    }
  if (!tt_server_db_enroll (self->db, json_node_get_string (code),
                            name && JSON_NODE_HOLDS_VALUE (name) ? json_node_get_string (name) : NULL,
                            &device_id, &token, &courier, &error))
    {
      if (g_error_matches (error, TT_SERVER_DB_ERROR, TT_SERVER_DB_ERROR_CODE))
        set_error (msg, SOUP_STATUS_FORBIDDEN, "invalid-code", "%s", error->message);
      else
        set_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server-error", "%s", error->message);
      return;
    }

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "device_id");
  json_builder_add_string_value (b, device_id);
  json_builder_set_member_name (b, "token");
  json_builder_add_string_value (b, token);
  json_builder_set_member_name (b, "courier");
  json_builder_add_string_value (b, courier);
  json_builder_set_member_name (b, "api_version");
  json_builder_add_int_value (b, 1);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  set_json (msg, SOUP_STATUS_OK, root);
}

static gboolean
etag_matches (const char *if_none_match,
              const char *quoted)
{
  g_auto(GStrv) tags = NULL;

  if (if_none_match == NULL)
    return FALSE;
  tags = g_strsplit (if_none_match, ",", -1);
  for (guint i = 0; tags[i]; i++)
    {
      const char *t = g_strstrip (tags[i]);

      if (g_str_has_prefix (t, "W/"))
        t += 2;
      if (g_str_equal (t, "*") || g_str_equal (t, quoted))
        return TRUE;
    }
  return FALSE;
}

static void
handle_manifest (TtServer          *self,
                 SoupServerMessage *msg)
{
  g_autofree char *device_id = NULL, *courier = NULL, *manifest = NULL, *etag = NULL;
  g_autofree char *quoted = NULL;
  SoupMessageHeaders *req = soup_server_message_get_request_headers (msg);
  SoupMessageHeaders *resp = soup_server_message_get_response_headers (msg);
  Fault *fault;
  gsize len;

  if (!authenticate (self, msg, &device_id, &courier))
    return;
  if (!tt_server_db_get_route (self->db, courier, &manifest, &etag))
    {
      set_error (msg, SOUP_STATUS_NOT_FOUND, "no-route",
                 "There is no route for courier %s yet; ask the office to import one", courier);
      return;
    }
  fault = take_fault (&self->manifest_faults);
  if (fault && fault->kind == FAULT_MANIFEST_HTML)
    {
      set_html (msg, SOUP_STATUS_OK, g_strdup (captive_portal_html));
      return;
    }

  quoted = g_strdup_printf ("\"%s\"", etag);
  soup_message_headers_replace (resp, "ETag", quoted);
  soup_message_headers_replace (resp, "Cache-Control", "no-cache");
  if (etag_matches (soup_message_headers_get_one (req, "If-None-Match"), quoted))
    {
      soup_server_message_set_status (msg, SOUP_STATUS_NOT_MODIFIED, NULL);
      return;
    }
  len = strlen (manifest);
  /* A download cut off half way, as a flaky link would leave it. */
  if (fault && fault->kind == FAULT_MANIFEST_TORN)
    len /= 2;
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (msg, "application/json; charset=utf-8", SOUP_MEMORY_TAKE,
                                    g_steal_pointer (&manifest), len);
}

static void
add_string_array (JsonBuilder *b,
                  const char  *name,
                  GPtrArray   *strings)
{
  json_builder_set_member_name (b, name);
  json_builder_begin_array (b);
  for (guint i = 0; i < strings->len; i++)
    json_builder_add_string_value (b, g_ptr_array_index (strings, i));
  json_builder_end_array (b);
}

/* An event batch on its way through the threads. */
typedef struct
{
  TtServer          *server;
  SoupServerMessage *msg;          /* paused until answered */
  char              *device_id;
  GBytes            *body;
  FaultKind          after;        /* FAULT_DROP or FAULT_DELAY once stored; else FAULT_OK */
  guint              after_arg;

  /* the outcome: an error answer (status != 0) or the two lists */
  guint              status;
  const char        *code;
  char              *message;
  JsonNode          *root;
  GPtrArray         *valid;        /* TtEvent */
  GPtrArray         *acked;        /* ids */
  GPtrArray         *rejected;     /* TtRejection */
} EventsJob;

static int stop_marker;
#define STOP_JOB ((gpointer) &stop_marker)

static void
events_job_free (EventsJob *job)
{
  g_object_unref (job->msg);
  g_object_unref (job->server);
  g_free (job->device_id);
  g_bytes_unref (job->body);
  g_free (job->message);
  g_clear_pointer (&job->root, json_node_unref);
  g_ptr_array_unref (job->valid);
  g_ptr_array_unref (job->acked);
  g_ptr_array_unref (job->rejected);
  g_free (job);
}

static void
events_job_fail (EventsJob  *job,
                 guint       status,
                 const char *code,
                 const char *format,
                 ...) G_GNUC_PRINTF (4, 5);

static void
events_job_fail (EventsJob  *job,
                 guint       status,
                 const char *code,
                 const char *format,
                 ...)
{
  va_list args;

  va_start (args, format);
  job->status = status;
  job->code = code;
  g_free (job->message);
  job->message = g_strdup_vprintf (format, args);
  va_end (args);
}

/* Main loop: answers the batch and lets the message go. */
static gboolean
events_job_answer_cb (gpointer data)
{
  EventsJob *job = data;
  SoupServerMessage *msg = job->msg;

  if (job->status != 0)
    {
      set_error (msg, job->status, job->code, "%s", job->message);
      if (job->status == SOUP_STATUS_SERVICE_UNAVAILABLE)
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Retry-After", "5");
    }
  else
    {
      g_autoptr(JsonBuilder) b = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (b);
      add_string_array (b, "acknowledged", job->acked);
      json_builder_set_member_name (b, "rejected");
      json_builder_begin_array (b);
      for (guint i = 0; i < job->rejected->len; i++)
        {
          TtRejection *r = g_ptr_array_index (job->rejected, i);

          json_builder_begin_object (b);
          json_builder_set_member_name (b, "id");
          json_builder_add_string_value (b, r->id);
          json_builder_set_member_name (b, "code");
          json_builder_add_string_value (b, r->code);
          json_builder_set_member_name (b, "reason");
          json_builder_add_string_value (b, r->reason);
          json_builder_end_object (b);
        }
      json_builder_end_array (b);
      json_builder_end_object (b);
      root = json_builder_get_root (b);
      set_json (msg, SOUP_STATUS_OK, root);
    }

  if (job->status == 0 && job->after == FAULT_DROP)
    {
      g_autoptr(GIOStream) stream = soup_server_message_steal_connection (msg);

      g_io_stream_close (stream, NULL, NULL);
    }
  else if (job->status == 0 && job->after == FAULT_DELAY)
    g_timeout_add_full (G_PRIORITY_DEFAULT, job->after_arg ? job->after_arg : 5000, unpause_cb,
                        g_object_ref (msg), g_object_unref);
  else
    soup_server_message_unpause (msg);
  events_job_free (job);
  return G_SOURCE_REMOVE;
}

static void
events_job_done (EventsJob *job)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, events_job_answer_cb, job, NULL);
  g_source_attach (source, job->server->context);
  g_source_unref (source);
}

/* Pool thread: the batch is parsed and each event checked; nothing here
 * touches the database or the message. */
static void
events_job_parse (gpointer data,
                  gpointer user_data)
{
  EventsJob *job = data;
  TtServer *self = job->server;
  g_autofree char *why = NULL;
  JsonObject *o;
  JsonNode *claimed, *events;
  JsonArray *array;

  job->root = parse_json_body (job->body, &why);
  if (job->root == NULL)
    {
      events_job_fail (job, SOUP_STATUS_BAD_REQUEST, "malformed-json", "%s", why);
      events_job_done (job);
      return;
    }
  o = json_node_get_object (job->root);
  claimed = json_object_get_member (o, "device_id");
  if (claimed == NULL || !JSON_NODE_HOLDS_VALUE (claimed)
      || json_node_get_value_type (claimed) != G_TYPE_STRING)
    {
      events_job_fail (job, SOUP_STATUS_BAD_REQUEST, "invalid-batch",
                       "Field “device_id” (a string) is missing");
      events_job_done (job);
      return;
    }
  if (!g_str_equal (json_node_get_string (claimed), job->device_id))
    {
      events_job_fail (job, SOUP_STATUS_FORBIDDEN, "wrong-device",
                       "This token belongs to another device than %s", json_node_get_string (claimed));
      events_job_done (job);
      return;
    }
  events = json_object_get_member (o, "events");
  if (events == NULL || !JSON_NODE_HOLDS_ARRAY (events))
    {
      events_job_fail (job, SOUP_STATUS_BAD_REQUEST, "invalid-batch",
                       "Field “events” must be a list of events");
      events_job_done (job);
      return;
    }
  array = json_node_get_array (events);
  if (json_array_get_length (array) > self->max_batch)
    {
      events_job_fail (job, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-many-events",
                       "A batch may hold at most %u events (this one has %u)", self->max_batch,
                       json_array_get_length (array));
      events_job_done (job);
      return;
    }
  /* Without an id an event cannot be answered for: the batch is refused
   * whole rather than partly answered. */
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *e = json_array_get_element (array, i);
      JsonNode *id = JSON_NODE_HOLDS_OBJECT (e) ? json_object_get_member (json_node_get_object (e), "id")
                                                : NULL;

      if (id == NULL || !JSON_NODE_HOLDS_VALUE (id) || json_node_get_value_type (id) != G_TYPE_STRING)
        {
          events_job_fail (job, SOUP_STATUS_BAD_REQUEST, "invalid-batch",
                           "Event %u of the batch is not an object with a string “id”", i + 1);
          events_job_done (job);
          return;
        }
    }

  tt_server_db_validate_events (array, TT_SERVER_MAX_PAYLOAD, job->valid, job->rejected);
  g_async_queue_push (self->to_store, job);
}

/* Store thread: the batches that are ready go into one transaction;
 * each is answered only once that transaction is on disk. */
static gpointer
events_store_thread (gpointer data)
{
  TtServer *self = data;
  gboolean stop = FALSE;

  while (!stop)
    {
      g_autoptr(GPtrArray) group = g_ptr_array_new ();
      g_autoptr(GError) error = NULL;
      gpointer next = g_async_queue_pop (self->to_store);
      gboolean ok;

      while (next != NULL)
        {
          if (next == STOP_JOB)
            {
              stop = TRUE;
              break;
            }
          g_ptr_array_add (group, next);
          if (group->len == MAX_GROUP)
            break;
          next = g_async_queue_try_pop (self->to_store);
        }
      if (group->len == 0)
        continue;

      ok = tt_server_db_begin (self->store_db, &error);
      for (guint i = 0; ok && i < group->len; i++)
        {
          EventsJob *job = g_ptr_array_index (group, i);

          ok = tt_server_db_insert_events (self->store_db, job->device_id, job->valid, job->acked,
                                           job->rejected, &error);
        }
      ok = ok && tt_server_db_commit (self->store_db, &error);
      if (!ok)
        {
          tt_server_db_rollback (self->store_db);
          g_warning ("%s", error->message);
        }
      else if (group->len > 1)
        g_debug ("%u batches stored in one transaction", group->len);
      for (guint i = 0; i < group->len; i++)
        {
          EventsJob *job = g_ptr_array_index (group, i);

          /* The batch itself is not needed for the answer: let it go
           * here rather than on the main loop. */
          g_clear_pointer (&job->root, json_node_unref);
          g_ptr_array_set_size (job->valid, 0);
          if (!ok)
            events_job_fail (job, SOUP_STATUS_SERVICE_UNAVAILABLE, "server-error",
                             "The server could not store the events; nothing was stored, "
                             "send them again");
          events_job_done (job);
        }
    }
  return NULL;
}

static gboolean
ensure_event_threads (TtServer  *self,
                      GError   **error)
{
  if (self->storer != NULL)
    return TRUE;
  self->store_db = tt_server_db_open (tt_server_db_get_path (self->db), error);
  if (self->store_db == NULL)
    return FALSE;
  self->to_store = g_async_queue_new ();
  self->parsers = g_thread_pool_new (events_job_parse, NULL, 2, FALSE, NULL);
  self->storer = g_thread_new ("store-events", events_store_thread, self);
  return TRUE;
}

static void
stop_event_threads (TtServer *self)
{
  if (self->storer == NULL)
    return;
  g_thread_pool_free (g_steal_pointer (&self->parsers), FALSE, TRUE);
  g_async_queue_push (self->to_store, STOP_JOB);
  g_thread_join (g_steal_pointer (&self->storer));
  g_clear_pointer (&self->to_store, g_async_queue_unref);
  g_clear_object (&self->store_db);
}

static void
handle_events (TtServer          *self,
               SoupServerMessage *msg)
{
  g_autofree char *device_id = NULL, *courier = NULL;
  g_autoptr(GError) error = NULL;
  EventsJob *job;
  Fault *fault;

  if (!authenticate (self, msg, &device_id, &courier))
    return;

  fault = take_fault (&self->event_faults);
  if (fault && fault->kind == FAULT_OK)
    fault = NULL;
  if (fault)
    {
      switch (fault->kind)
        {
        case FAULT_500:
          set_error (msg, SOUP_STATUS_INTERNAL_SERVER_ERROR, "server-error",
                     "Injected fault: the server failed");
          return;
        case FAULT_429:
        case FAULT_503:
          {
            g_autofree char *secs = g_strdup_printf ("%u", fault->arg);

            soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                          "Retry-After", secs);
            if (fault->kind == FAULT_429)
              set_error (msg, 429, "busy", "Too many requests; "
                         "retry after %u s", fault->arg);
            else
              set_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "unavailable", "The server is "
                         "down for maintenance; retry after %u s", fault->arg);
            return;
          }
        case FAULT_HTML:
          set_html (msg, SOUP_STATUS_OK, g_strdup (captive_portal_html));
          return;
        case FAULT_DROP:
        case FAULT_DELAY:
          break;
        case FAULT_MANIFEST_TORN:
        case FAULT_MANIFEST_HTML:
        case FAULT_OK:
        default:
          g_assert_not_reached ();
        }
    }

  if (!ensure_event_threads (self, &error))
    {
      g_warning ("%s", error->message);
      set_error (msg, SOUP_STATUS_SERVICE_UNAVAILABLE, "server-error",
                 "The server could not store the events; nothing was stored, send them again");
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", "5");
      return;
    }

  job = g_new0 (EventsJob, 1);
  job->server = g_object_ref (self);
  job->msg = g_object_ref (msg);
  job->device_id = g_steal_pointer (&device_id);
  job->body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  job->after = fault ? fault->kind : FAULT_OK;
  job->after_arg = fault ? fault->arg : 0;
  job->valid = g_ptr_array_new_with_free_func ((GDestroyNotify) tt_event_free);
  job->acked = g_ptr_array_new_with_free_func (g_free);
  job->rejected = g_ptr_array_new_with_free_func ((GDestroyNotify) tt_rejection_free);
  soup_server_message_pause (msg);
  g_thread_pool_push (self->parsers, job, NULL);
}

static gboolean
item_id_plausible (const char *id)
{
  gsize n = 0;

  for (const char *p = id; *p; p++, n++)
    if (!g_ascii_isalnum (*p))
      return FALSE;
  return n > 0 && n <= 32;
}

/* What anyone may know about an item: its status and the times and kinds
 * of its events.  Nothing about the people involved. */
static JsonObject *
build_track (TtServer   *self,
             const char *item_id)
{
  g_autoptr(JsonArray) events = NULL;
  JsonObject *track;
  JsonArray *out;
  const char *last = NULL;

  if (!tt_server_db_has_item (self->db, item_id))
    return NULL;
  events = tt_server_db_list_item_events (self->db, item_id);
  track = json_object_new ();
  out = json_array_new ();
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *e = json_array_get_object_element (events, i);
      const char *type = json_object_get_string_member (e, "type");
      JsonObject *t;

      if (g_str_equal (type, "not-on-route"))
        continue;
      t = json_object_new ();
      json_object_set_string_member (t, "time", json_object_get_string_member (e, "time"));
      json_object_set_string_member (t, "type", type);
      json_object_set_string_member (t, "upu", tt_server_event_type_upu (type));
      json_array_add_object_element (out, t);
      last = type;
    }
  json_object_set_string_member (track, "item_id", item_id);
  json_object_set_string_member (track, "status", tt_server_status_for_event (last));
  json_object_set_array_member (track, "events", out);
  return track;
}

static void
handle_track_api (TtServer          *self,
                  SoupServerMessage *msg,
                  const char        *item_id)
{
  g_autoptr(JsonObject) track = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (!item_id_plausible (item_id))
    {
      set_error (msg, SOUP_STATUS_BAD_REQUEST, "invalid-item-id",
                 "An item number is 1 to 32 letters and digits, like RR123456785VN");
      return;
    }
  track = build_track (self, item_id);
  if (track == NULL)
    {
      set_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", "No item with this number is known");
      return;
    }
  root = json_node_new (JSON_NODE_OBJECT);
  json_node_set_object (root, track);
  set_json (msg, SOUP_STATUS_OK, root);
}

static void
handle_track_page (TtServer          *self,
                   SoupServerMessage *msg,
                   const char        *item_id)
{
  g_autoptr(JsonObject) track = NULL;
  g_autofree char *upper = item_id ? g_ascii_strup (item_id, -1) : NULL;
  guint status = SOUP_STATUS_OK;

  if (upper && *upper)
    {
      g_strstrip (upper);
      track = item_id_plausible (upper) ? build_track (self, upper) : NULL;
      if (track == NULL)
        status = SOUP_STATUS_NOT_FOUND;
    }
  set_html (msg, status, tt_server_page_track (upper, track));
}

static gboolean
office_allowed (TtServer          *self,
                SoupServerMessage *msg)
{
  GSocketAddress *remote = soup_server_message_get_remote_address (msg);

  if (self->office_open)
    return TRUE;
  /* The office pages show citizens' names and addresses. */
  if (G_IS_INET_SOCKET_ADDRESS (remote)
      && g_inet_address_get_is_loopback (g_inet_socket_address_get_address (G_INET_SOCKET_ADDRESS (remote))))
    return TRUE;
  set_html (msg, SOUP_STATUS_FORBIDDEN,
            g_strdup ("<!DOCTYPE html><html><body><p>The office pages are only shown on this "
                      "machine (start tantay-server with --office-open to change that).</p>"
                      "</body></html>"));
  return FALSE;
}

static void
handle_office (TtServer          *self,
               SoupServerMessage *msg)
{
  g_autoptr(JsonArray) routes = tt_server_db_list_routes (self->db);
  g_autoptr(JsonArray) devices = tt_server_db_list_devices (self->db);

  set_html (msg, SOUP_STATUS_OK, tt_server_page_office (routes, devices));
}

static void
handle_office_route (TtServer          *self,
                     SoupServerMessage *msg,
                     const char        *route_id)
{
  g_autoptr(JsonArray) items = tt_server_db_list_items (self->db, route_id);

  if (json_array_get_length (items) == 0)
    {
      set_html (msg, SOUP_STATUS_NOT_FOUND,
                g_strdup ("<!DOCTYPE html><html><body><p>No such route. "
                          "<a href=\"/office\">All routes</a></p></body></html>"));
      return;
    }
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *it = json_array_get_object_element (items, i);

      json_object_set_array_member (it, "events",
                                    tt_server_db_list_item_events (self->db,
                                                                   json_object_get_string_member (it, "id")));
    }
  set_html (msg, SOUP_STATUS_OK, tt_server_page_route (route_id, items));
}

static gboolean
method_is (SoupServerMessage *msg,
           const char        *method)
{
  if (g_str_equal (soup_server_message_get_method (msg), method))
    return TRUE;
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow", method);
  set_error (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, "method-not-allowed",
             "Use %s for this address", method);
  return FALSE;
}

static void
server_cb (SoupServer        *server,
           SoupServerMessage *msg,
           const char        *path,
           GHashTable        *query,
           gpointer           user_data)
{
  TtServer *self = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (msg);

  /* Chunked bodies carry no Content-Length for the early check. */
  if (body->length > self->max_body)
    {
      set_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
                 "The request body is larger than %u bytes", self->max_body);
      return;
    }

  if (g_str_equal (path, "/api/v1") || g_str_equal (path, "/api/v1/"))
    {
      if (method_is (msg, "GET"))
        handle_info (self, msg);
    }
  else if (g_str_equal (path, "/api/v1/enroll"))
    {
      if (method_is (msg, "POST"))
        handle_enroll (self, msg);
    }
  else if (g_str_equal (path, "/api/v1/manifest"))
    {
      if (method_is (msg, "GET"))
        handle_manifest (self, msg);
    }
  else if (g_str_equal (path, "/api/v1/events"))
    {
      if (method_is (msg, "POST"))
        handle_events (self, msg);
    }
  else if (g_str_has_prefix (path, "/api/v1/track/"))
    {
      if (method_is (msg, "GET"))
        handle_track_api (self, msg, path + strlen ("/api/v1/track/"));
    }
  else if (g_str_has_prefix (path, "/api/"))
    set_error (msg, SOUP_STATUS_NOT_FOUND, "not-found",
               "No such API address (this server speaks version 1 under /api/v1/)");
  else if (g_str_equal (path, "/track") || g_str_has_prefix (path, "/track/"))
    {
      if (method_is (msg, "GET"))
        handle_track_page (self, msg, path[6] == '/' ? path + 7
                                      : query ? g_hash_table_lookup (query, "id") : NULL);
    }
  else if (g_str_equal (path, "/office") || g_str_equal (path, "/office/"))
    {
      if (method_is (msg, "GET") && office_allowed (self, msg))
        handle_office (self, msg);
    }
  else if (g_str_has_prefix (path, "/office/routes/"))
    {
      if (method_is (msg, "GET") && office_allowed (self, msg))
        handle_office_route (self, msg, path + strlen ("/office/routes/"));
    }
  else if (g_str_equal (path, "/"))
    soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, "/track");
  else
    set_error (msg, SOUP_STATUS_NOT_FOUND, "not-found", "Nothing here");
}

/* Refuses a body announced too large before it is read. */
static void
early_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  TtServer *self = user_data;
  goffset length = soup_message_headers_get_content_length (soup_server_message_get_request_headers (msg));

  if (length > (goffset) self->max_body)
    {
      set_error (msg, SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE, "too-large",
                 "The request body is larger than %u bytes", self->max_body);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Connection",
                                    "close");
    }
}

/* Setup */

static gboolean
parse_fault (const char  *item,
             Fault       *fault,
             GError     **error)
{
  static const char *const names[] = {
    "500", "429", "503", "drop", "delay", "html", "manifest-torn", "manifest-html", "ok",
  };
  g_auto(GStrv) parts = g_strsplit (item, ":", 3);
  guint64 v;

  fault->count = 1;
  fault->arg = 0;
  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    if (g_str_equal (g_strstrip (parts[0]), names[i]))
      {
        fault->kind = (FaultKind) i;
        goto kind_found;
      }
  g_set_error (error, TT_SERVER_ERROR, TT_SERVER_ERROR_FAULT, "Unknown fault “%s”", parts[0]);
  return FALSE;

kind_found:
  if (parts[1])
    {
      if (!g_ascii_string_to_unsigned (parts[1], 10, 1, 100000, &v, NULL))
        goto bad;
      fault->count = (guint) v;
      if (parts[2])
        {
          if (!g_ascii_string_to_unsigned (parts[2], 10, 0, 3600000, &v, NULL))
            goto bad;
          fault->arg = (guint) v;
        }
    }
  if ((fault->kind == FAULT_429 || fault->kind == FAULT_503) && fault->arg == 0)
    fault->arg = 1;
  return TRUE;

bad:
  g_set_error (error, TT_SERVER_ERROR, TT_SERVER_ERROR_FAULT,
               "Fault “%s” is not KIND[:COUNT[:ARG]] with whole numbers", item);
  return FALSE;
}

gboolean
tt_server_set_fault (TtServer    *self,
                     const char  *spec,
                     GError     **error)
{
  g_auto(GStrv) items = NULL;
  GQueue events = G_QUEUE_INIT, manifest = G_QUEUE_INIT;

  g_return_val_if_fail (TT_IS_SERVER (self), FALSE);

  items = g_strsplit (spec ? spec : "", ",", -1);
  for (guint i = 0; items[i]; i++)
    {
      Fault f;

      if (*g_strstrip (items[i]) == '\0')
        continue;
      if (!parse_fault (items[i], &f, error))
        {
          g_queue_clear_full (&events, g_free);
          g_queue_clear_full (&manifest, g_free);
          return FALSE;
        }
      g_queue_push_tail (f.kind == FAULT_MANIFEST_TORN || f.kind == FAULT_MANIFEST_HTML ? &manifest
                                                                                       : &events,
                         g_memdup2 (&f, sizeof f));
    }
  g_queue_clear_full (&self->event_faults, g_free);
  g_queue_clear_full (&self->manifest_faults, g_free);
  self->event_faults = events;
  self->manifest_faults = manifest;
  return TRUE;
}

TtServer *
tt_server_new (TtServerDb *db)
{
  g_return_val_if_fail (TT_IS_SERVER_DB (db), NULL);

  return g_object_new (TT_TYPE_SERVER, "db", db, NULL);
}

TtServerDb *
tt_server_get_db (TtServer *self)
{
  g_return_val_if_fail (TT_IS_SERVER (self), NULL);
  return self->db;
}

gboolean
tt_server_set_tls_files (TtServer    *self,
                         const char  *cert_file,
                         const char  *key_file,
                         GError     **error)
{
  g_autoptr(GTlsCertificate) cert = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (TT_IS_SERVER (self), FALSE);

  cert = g_tls_certificate_new_from_files (cert_file, key_file, &local);
  if (cert == NULL)
    {
      g_set_error (error, TT_SERVER_ERROR, TT_SERVER_ERROR_TLS,
                   "Cannot use the certificate %s with the key %s: %s", cert_file, key_file,
                   local->message);
      return FALSE;
    }
  g_object_set (self->soup, "tls-certificate", cert, NULL);
  self->tls = TRUE;
  return TRUE;
}

gboolean
tt_server_listen (TtServer    *self,
                  const char  *address,
                  GError     **error)
{
  g_autoptr(GSocketConnectable) parsed = NULL;
  g_autoptr(GInetAddress) inet = NULL;
  g_autoptr(GSocketAddress) sockaddr = NULL;
  g_autoptr(GError) local = NULL;
  const char *host;

  g_return_val_if_fail (TT_IS_SERVER (self), FALSE);

  parsed = g_network_address_parse (address, 0, &local);
  if (parsed == NULL)
    {
      g_set_error (error, TT_SERVER_ERROR, TT_SERVER_ERROR_ADDRESS,
                   "“%s” is not ADDRESS:PORT (%s)", address, local->message);
      return FALSE;
    }
  host = g_network_address_get_hostname (G_NETWORK_ADDRESS (parsed));
  if (g_str_equal (host, "localhost"))
    host = "127.0.0.1";
  inet = g_inet_address_new_from_string (host);
  if (inet == NULL)
    {
      g_set_error (error, TT_SERVER_ERROR, TT_SERVER_ERROR_ADDRESS,
                   "“%s” is not an IP address (use for example 127.0.0.1:8765 or [::1]:8765)",
                   host);
      return FALSE;
    }
  sockaddr = g_inet_socket_address_new (inet, g_network_address_get_port (G_NETWORK_ADDRESS (parsed)));
  return soup_server_listen (self->soup, sockaddr, self->tls ? SOUP_SERVER_LISTEN_HTTPS : 0, error);
}

char *
tt_server_dup_url (TtServer *self)
{
  GSList *uris;
  char *url = NULL;

  g_return_val_if_fail (TT_IS_SERVER (self), NULL);

  if (self->public_url)
    return g_strdup (self->public_url);
  uris = soup_server_get_uris (self->soup);
  if (uris)
    {
      GUri *uri = uris->data;
      g_autoptr(GUri) base = g_uri_build (G_URI_FLAGS_NONE, g_uri_get_scheme (uri), NULL,
                                          g_uri_get_host (uri), g_uri_get_port (uri), "", NULL, NULL);

      url = g_uri_to_string (base);
    }
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);
  return url;
}

char *
tt_server_dup_enroll_uri (TtServer   *self,
                          const char *code)
{
  g_autofree char *url = tt_server_dup_url (self);
  g_autofree char *server = g_uri_escape_string (url, NULL, FALSE);
  g_autofree char *escaped_code = g_uri_escape_string (code, NULL, FALSE);

  return g_strdup_printf ("tantay://enroll?server=%s&code=%s", server, escaped_code);
}

static void
tt_server_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TtServer *self = TT_SERVER (object);

  switch (prop_id)
    {
    case PROP_DB:
      g_value_set_object (value, self->db);
      break;
    case PROP_MAX_BODY:
      g_value_set_uint (value, self->max_body);
      break;
    case PROP_MAX_BATCH:
      g_value_set_uint (value, self->max_batch);
      break;
    case PROP_PUBLIC_URL:
      g_value_set_string (value, self->public_url);
      break;
    case PROP_OFFICE_OPEN:
      g_value_set_boolean (value, self->office_open);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_server_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TtServer *self = TT_SERVER (object);

  switch (prop_id)
    {
    case PROP_DB:
      self->db = g_value_dup_object (value);
      break;
    case PROP_MAX_BODY:
      self->max_body = g_value_get_uint (value);
      break;
    case PROP_MAX_BATCH:
      self->max_batch = g_value_get_uint (value);
      break;
    case PROP_PUBLIC_URL:
      g_free (self->public_url);
      self->public_url = g_value_dup_string (value);
      break;
    case PROP_OFFICE_OPEN:
      self->office_open = g_value_get_boolean (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_server_dispose (GObject *object)
{
  TtServer *self = TT_SERVER (object);

  stop_event_threads (self);
  if (self->soup)
    soup_server_disconnect (self->soup);
  g_clear_object (&self->soup);
  g_clear_object (&self->db);

  G_OBJECT_CLASS (tt_server_parent_class)->dispose (object);
}

static void
tt_server_finalize (GObject *object)
{
  TtServer *self = TT_SERVER (object);

  g_queue_clear_full (&self->event_faults, g_free);
  g_queue_clear_full (&self->manifest_faults, g_free);
  g_free (self->public_url);
  g_main_context_unref (self->context);

  G_OBJECT_CLASS (tt_server_parent_class)->finalize (object);
}

static void
tt_server_class_init (TtServerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = tt_server_get_property;
  object_class->set_property = tt_server_set_property;
  object_class->dispose = tt_server_dispose;
  object_class->finalize = tt_server_finalize;

  properties[PROP_DB] =
    g_param_spec_object ("db", NULL, NULL, TT_TYPE_SERVER_DB,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_BODY] =
    g_param_spec_uint ("max-body-size", NULL, NULL, 1024, G_MAXINT, TT_SERVER_DEFAULT_MAX_BODY,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_BATCH] =
    g_param_spec_uint ("max-batch", NULL, NULL, 1, 100000, TT_SERVER_DEFAULT_MAX_BATCH,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PUBLIC_URL] =
    g_param_spec_string ("public-url", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_OFFICE_OPEN] =
    g_param_spec_boolean ("office-open", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_server_init (TtServer *self)
{
  self->max_body = TT_SERVER_DEFAULT_MAX_BODY;
  self->max_batch = TT_SERVER_DEFAULT_MAX_BATCH;
  g_queue_init (&self->event_faults);
  g_queue_init (&self->manifest_faults);
  self->context = g_main_context_ref_thread_default ();
  self->soup = soup_server_new ("server-header", "tantay-server/" PACKAGE_VERSION " ", NULL);
  soup_server_add_early_handler (self->soup, NULL, early_cb, self, NULL);
  soup_server_add_handler (self->soup, NULL, server_cb, self, NULL);
}
