/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-sync"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "tt-sync.h"

#define TOKEN_FILE "sync-token"

#define META_SERVER     "sync.server"
#define META_DEVICE     "sync.device_id"
#define META_COURIER    "sync.courier"
#define META_ETAG       "sync.etag"
#define META_LAST_SYNC  "sync.last_sync"
#define META_LAST_ERROR "sync.last_error"

struct _TtSync
{
  GObject          parent_instance;

  TtStore         *store;
  char            *data_dir;
  char            *ca_file;
  guint            timeout_s;
  guint            backoff_base_ms;
  guint            backoff_cap_ms;
  guint            max_attempts;
  guint            batch_size;
  guint            retention_days;
  gboolean         auto_sync;

  SoupSession     *session;
  TtSyncState      state;
  char            *server;
  char            *device_id;
  char            *token;
  char            *last_sync;
  char            *last_error;
  GCancellable    *running;          /* the sync under way, if any */
  guint            auto_retry_id;
  guint            auto_failures;
  GNetworkMonitor *monitor;
  gboolean         network_available;
};

G_DEFINE_FINAL_TYPE (TtSync, tt_sync, G_TYPE_OBJECT)
G_DEFINE_QUARK (tt-sync-error-quark, tt_sync_error)
G_DEFINE_ENUM_TYPE (TtSyncState, tt_sync_state,
                    G_DEFINE_ENUM_VALUE (TT_SYNC_STATE_NOT_ENROLLED, "not-enrolled"),
                    G_DEFINE_ENUM_VALUE (TT_SYNC_STATE_IDLE, "idle"),
                    G_DEFINE_ENUM_VALUE (TT_SYNC_STATE_SYNCING, "syncing"),
                    G_DEFINE_ENUM_VALUE (TT_SYNC_STATE_ERROR, "error"))

enum {
  PROP_0,
  PROP_STORE,
  PROP_DATA_DIR,
  PROP_CA_FILE,
  PROP_TIMEOUT,
  PROP_BACKOFF_BASE,
  PROP_BACKOFF_CAP,
  PROP_MAX_ATTEMPTS,
  PROP_BATCH_SIZE,
  PROP_RETENTION_DAYS,
  PROP_AUTO_SYNC,
  PROP_STATE,
  PROP_LAST_SYNC,
  PROP_LAST_ERROR,
  PROP_PENDING,
  PROP_QUARANTINED,
  PROP_SERVER_URL,
  PROP_DEVICE_ID,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* What to do after an answer. */
typedef enum
{
  VERDICT_DONE,     /* handled; the handler started the next step or finished */
  VERDICT_RETRY,    /* transient: try the same request again after a backoff */
  VERDICT_FAIL,     /* permanent: the operation ends with op->error */
} Verdict;

/* On a link that answered a batch within FAST_LINK_US, the rest of the
 * window goes out over N_LANES connections at once: the server stores
 * one batch while the next is on its way.  On a slow link one batch at a
 * time, so that each still fits in the timeout. */
#define N_LANES      2
#define FAST_LINK_US (250 * G_TIME_SPAN_MILLISECOND)

typedef struct _Op Op;
typedef SoupMessage *(*BuildFunc)  (Op *op);
typedef Verdict      (*HandleFunc) (Op *op, SoupMessage *msg, GBytes *body, GError *error);

struct _Op
{
  TtSync       *self;
  GTask        *task;
  BuildFunc     build;
  HandleFunc    handle;
  guint         attempt;
  guint         retry_after_ms;   /* from the last answer's Retry-After */
  GError       *last_transient;
  guint         timer_id;
  GCancellable *cancellable;
  gulong        cancelled_id;

  /* enrollment */
  char         *server;
  char         *code;

  /* sync */
  TtSyncReport  report;
  GError       *manifest_error;
  GPtrArray    *batch;            /* TtEvent in flight */
  GHashTable   *batch_ids;
  guint         batch_limit;
  GHashTable   *counted;          /* ids already counted as pushed */
  GHashTable   *unsaved_acks;     /* acknowledged ids not yet marked in the store */
  GPtrArray    *window;           /* pending events read from the store, in order */
  GPtrArray    *window_json;      /* each one's JSON text, once written (or NULL) */
  guint         cursor;           /* first event of @window not yet answered for */
  guint         prepare_id;       /* idle writing the next batch's JSON */
  gint64        sent_at;          /* when the request in flight went out */

  /* lanes: on a fast link the rest of a window goes out over two
   * connections at once, each lane an Op of its own working for @root */
  Op           *root;             /* the sync a lane works for; NULL for the sync */
  gboolean      fast_link;        /* the last batch came back quickly */
  guint         lanes_running;
  GCancellable *lanes_cancel;
  GError       *lane_error;       /* the first lane's failure */
};

/* The sync an operation reports to: itself, or the one its lane works for. */
static Op *
op_root (Op *op)
{
  return op->root ? op->root : op;
}

static void
op_free (Op *op)
{
  if (op->cancelled_id)
    g_cancellable_disconnect (op->cancellable, op->cancelled_id);
  g_clear_object (&op->cancellable);
  g_clear_handle_id (&op->timer_id, g_source_remove);
  g_clear_error (&op->last_transient);
  g_clear_error (&op->manifest_error);
  g_clear_pointer (&op->batch, g_ptr_array_unref);
  g_clear_pointer (&op->batch_ids, g_hash_table_unref);
  g_clear_pointer (&op->counted, g_hash_table_unref);
  g_clear_pointer (&op->unsaved_acks, g_hash_table_unref);
  g_clear_handle_id (&op->prepare_id, g_source_remove);
  g_clear_pointer (&op->window, g_ptr_array_unref);
  g_clear_pointer (&op->window_json, g_ptr_array_unref);
  g_clear_object (&op->lanes_cancel);
  g_clear_error (&op->lane_error);
  g_free (op->server);
  g_free (op->code);
  g_free (op);
}

/* Small helpers */

static void
set_state (TtSync      *self,
           TtSyncState  state)
{
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
set_last_error (TtSync     *self,
                const char *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  tt_store_set_meta (self->store, META_LAST_ERROR, message, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static char *
token_path (TtSync *self)
{
  return g_build_filename (self->data_dir, TOKEN_FILE, NULL);
}

static void
load_enrollment (TtSync *self)
{
  g_autofree char *path = token_path (self);
  g_autofree char *token = NULL;

  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->device_id, g_free);
  g_clear_pointer (&self->token, g_free);
  self->server = tt_store_get_meta (self->store, META_SERVER);
  self->device_id = tt_store_get_meta (self->store, META_DEVICE);
  if (g_file_get_contents (path, &token, NULL, NULL))
    self->token = g_strdup (g_strstrip (token));
  if (self->token && *self->token == '\0')
    g_clear_pointer (&self->token, g_free);
}

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr(GInetAddress) addr = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;
  addr = g_inet_address_new_from_string (host);
  return addr && g_inet_address_get_is_loopback (addr);
}

/* Checks a server address and returns it without a trailing slash. */
static char *
normalise_server (const char  *server,
                  GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (server ? server : ""));
  const char *scheme;
  gsize len;

  uri = g_uri_parse (trimmed, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0'
      || (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
    {
      g_set_error (error, TT_SYNC_ERROR, TT_SYNC_ERROR_BAD_ENROLLMENT,
                   _("“%s” is not a server address (it should start with https://)"), trimmed);
      return NULL;
    }
  if (g_str_equal (scheme, "http") && !host_is_loopback (g_uri_get_host (uri)))
    {
      g_set_error (error, TT_SYNC_ERROR, TT_SYNC_ERROR_BAD_ENROLLMENT,
                   _("The server address %s is not encrypted; only https:// is accepted"),
                   trimmed);
      return NULL;
    }
  len = strlen (trimmed);
  while (len > 0 && trimmed[len - 1] == '/')
    trimmed[--len] = '\0';
  return g_steal_pointer (&trimmed);
}

gboolean
tt_sync_parse_enroll_uri (const char  *uri,
                          char       **server,
                          char       **code,
                          GError     **error)
{
  g_autoptr(GUri) parsed = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *s, *c;

  g_return_val_if_fail (uri != NULL, FALSE);

  parsed = g_uri_parse (uri, G_URI_FLAGS_ENCODED_QUERY, NULL);
  if (parsed == NULL || g_strcmp0 (g_uri_get_scheme (parsed), "tantay") != 0
      || g_strcmp0 (g_uri_get_host (parsed), "enroll") != 0 || g_uri_get_query (parsed) == NULL)
    {
      g_set_error (error, TT_SYNC_ERROR, TT_SYNC_ERROR_BAD_ENROLLMENT,
                   _("This is not an enrollment code (expected tantay://enroll?server=…&code=…)"));
      return FALSE;
    }
  params = g_uri_parse_params (g_uri_get_query (parsed), -1, "&", G_URI_PARAMS_NONE, NULL);
  s = params ? g_hash_table_lookup (params, "server") : NULL;
  c = params ? g_hash_table_lookup (params, "code") : NULL;
  if (s == NULL || c == NULL || *c == '\0')
    {
      g_set_error (error, TT_SYNC_ERROR, TT_SYNC_ERROR_BAD_ENROLLMENT,
                   _("The enrollment code lacks the server address or the code"));
      return FALSE;
    }
  *server = normalise_server (s, error);
  if (*server == NULL)
    return FALSE;
  *code = g_strdup (c);
  return TRUE;
}

static SoupSession *
get_session (TtSync  *self,
             GError **error)
{
  g_autoptr(GTlsDatabase) db = NULL;

  if (self->session)
    return self->session;
  if (self->ca_file && *self->ca_file)
    {
      g_autoptr(GError) local = NULL;

      /* Replaces the system's authorities: a private server's own CA. */
      db = g_tls_file_database_new (self->ca_file, &local);
      if (db == NULL)
        {
          g_set_error (error, TT_SYNC_ERROR, TT_SYNC_ERROR_TLS,
                       _("The certificate authority file %s cannot be used: %s"), self->ca_file,
                       local->message);
          return NULL;
        }
    }
  self->session = soup_session_new_with_options ("timeout", self->timeout_s,
                                                 "max-conns-per-host", N_LANES,
                                                 "idle-timeout", 60,
                                                 "user-agent", "tantay/" PACKAGE_VERSION " ",
                                                 NULL);
  if (db)
    soup_session_set_tls_database (self->session, db);
  return self->session;
}

static SoupMessage *
new_message (Op         *op,
             const char *method,
             const char *path,
             const char *json_body)
{
  g_autofree char *url = g_strconcat (op->server ? op->server : op->self->server, path, NULL);
  SoupMessage *msg = soup_message_new (method, url);

  g_assert (msg != NULL);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Accept",
                                "application/json");
  if (op->self->token && op->server == NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", op->self->token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (json_body)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (json_body, strlen (json_body));

      soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
      g_object_set_data (G_OBJECT (msg), "tt-body-length", GSIZE_TO_POINTER (strlen (json_body)));
    }
  return msg;
}

/* The server's own words from an error body, if it sent one. */
static char *
server_message (GBytes *body)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *err;
  gsize len = 0;
  const char *data = body ? g_bytes_get_data (body, &len) : NULL;

  if (data == NULL || !json_parser_load_from_data (parser, data, len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return NULL;
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "error")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "error")))
    return NULL;
  err = json_object_get_object_member (root, "error");
  return g_strdup (json_object_get_string_member_with_default (err, "message", NULL));
}

static gboolean
is_json (SoupMessage *msg)
{
  const char *type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg),
                                                            NULL);

  return type && g_ascii_strcasecmp (type, "application/json") == 0;
}

static guint
parse_retry_after (SoupMessage *msg)
{
  const char *value = soup_message_headers_get_one (soup_message_get_response_headers (msg),
                                                    "Retry-After");
  guint64 secs;

  if (value == NULL)
    return 0;
  if (g_ascii_string_to_unsigned (value, 10, 0, 3600, &secs, NULL))
    return (guint) secs * 1000;
  {
    g_autoptr(GDateTime) when = soup_date_time_new_from_http_string (value);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

    if (when)
      return (guint) CLAMP (g_date_time_difference (when, now) / 1000, 0, 3600 * 1000);
  }
  return 0;
}

/* Sorts out what is worth retrying: no network, timeouts, the server
 * failing or busy.  Sets op->error-ish state through the return value. */
static Verdict
classify_failure (Op          *op,
                  SoupMessage *msg,
                  GBytes      *body,
                  GError      *error,
                  GError     **out)
{
  guint status = soup_message_get_status (msg);
  g_autofree char *words = NULL;

  if (error)
    {
      if (error->domain == G_TLS_ERROR)
        {
          g_set_error (out, TT_SYNC_ERROR, TT_SYNC_ERROR_TLS,
                       _("The server's certificate is not trusted, so the connection was refused "
                         "(%s). Ask the office for the right server address or certificate."),
                       error->message);
          return VERDICT_FAIL;
        }
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_set_error (out, TT_SYNC_ERROR, TT_SYNC_ERROR_NETWORK,
                     _("The server did not answer in time"));
      else
        g_set_error (out, TT_SYNC_ERROR, TT_SYNC_ERROR_NETWORK,
                     _("The server cannot be reached (%s)"), error->message);
      return VERDICT_RETRY;
    }

  words = server_message (body);
  op->retry_after_ms = parse_retry_after (msg);
  if (status >= 500 || status == 429 || status == 408)
    {
      if (status == 429)
        g_set_error (out, TT_SYNC_ERROR, TT_SYNC_ERROR_SERVER, _("The server is busy (%s)"),
                     words ? words : "429");
      else
        g_set_error (out, TT_SYNC_ERROR, TT_SYNC_ERROR_SERVER,
                     _("The server has a problem (HTTP %u%s%s)"), status, words ? ": " : "",
                     words ? words : "");
      return VERDICT_RETRY;
    }
  if (status == 401 || status == 403)
    {
      g_set_error (out, TT_SYNC_ERROR, TT_SYNC_ERROR_REFUSED,
                   _("The server refused this device (%s). Enroll it again with a new code "
                     "from the office."), words ? words : soup_status_get_phrase (status));
      return VERDICT_FAIL;
    }
  if (status >= 200 && status < 300)
    {
      /* Typically a Wi-Fi login page answering in the server's place. */
      g_set_error (out, TT_SYNC_ERROR, TT_SYNC_ERROR_PROTOCOL,
                   _("The answer did not come from the tracking server (a Wi-Fi login page?); "
                     "nothing was taken as received"));
      return VERDICT_RETRY;
    }
  g_set_error (out, TT_SYNC_ERROR, TT_SYNC_ERROR_PROTOCOL,
               _("The server answered something unexpected (HTTP %u%s%s)"), status,
               words ? ": " : "", words ? words : "");
  return VERDICT_FAIL;
}

/* Request engine: one request, retried until it is handled */

static void op_send (Op *op);

/* The outbox is read in windows of this many events, and the
 * acknowledgements of a window are written to the store in one go when it
 * is done: each write is a synchronous commit, and losing one in a crash
 * only means those events go out again and come back acknowledged as
 * replays. */
#define WINDOW_SIZE 1000

static gboolean
save_acks (Op      *op,
           GError **error)
{
  g_autofree const char **ids = NULL;
  g_autoptr(GError) local = NULL;

  if (op->unsaved_acks == NULL || g_hash_table_size (op->unsaved_acks) == 0)
    return TRUE;
  ids = (const char **) g_hash_table_get_keys_as_array (op->unsaved_acks, NULL);
  if (!tt_store_mark_acknowledged (op->self->store, ids, &local))
    {
      g_set_error (error, TT_SYNC_ERROR, TT_SYNC_ERROR_STORE, "%s", local->message);
      return FALSE;
    }
  g_hash_table_remove_all (op->unsaved_acks);
  return TRUE;
}

static void
op_fail (Op     *op,
         GError *error)
{
  GTask *task = op->task;

  /* Keep what was acknowledged before the failure. */
  save_acks (op, NULL);

  g_task_return_error (task, error);
  g_object_unref (task);
}

static gboolean
retry_cb (gpointer data)
{
  Op *op = data;

  op->timer_id = 0;
  op_send (op);
  return G_SOURCE_REMOVE;
}

static void
op_retry (Op     *op,
          GError *transient)
{
  TtSync *self = op->self;
  guint64 ceiling, delay;

  g_clear_error (&op->last_transient);
  op->last_transient = transient;
  op->attempt++;
  op_root (op)->report.retries++;
  if (op->attempt >= self->max_attempts)
    {
      op_fail (op, g_error_copy (transient));
      return;
    }
  /* Full jitter: anywhere between 0 and the exponential ceiling, so that
   * a hundred couriers leaving one lift do not knock in step. */
  ceiling = MIN ((guint64) self->backoff_cap_ms, (guint64) self->backoff_base_ms << MIN (op->attempt, 20));
  delay = ceiling ? (guint64) g_random_int_range (0, (gint32) MIN (ceiling, G_MAXINT32)) : 0;
  delay = MAX (delay, op->retry_after_ms);
  g_debug ("Retry %u in %" G_GUINT64_FORMAT " ms: %s", op->attempt, delay, transient->message);
  op->retry_after_ms = 0;
  op->timer_id = g_timeout_add ((guint) delay, retry_cb, op);
}

static void
sent_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  g_autoptr(SoupMessage) msg = data;
  Op *op = g_object_get_data (G_OBJECT (msg), "tt-op");
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  GError *verdict_error = NULL;

  if (body)
    op_root (op)->report.bytes_received += g_bytes_get_size (body);
  if (g_task_return_error_if_cancelled (op->task))
    {
      save_acks (op, NULL);
      g_object_unref (op->task);
      return;
    }
  switch (op->handle (op, msg, body, error))
    {
    case VERDICT_DONE:
      break;
    case VERDICT_RETRY:
      classify_failure (op, msg, body, error, &verdict_error);
      if (verdict_error == NULL)
        verdict_error = g_error_new (TT_SYNC_ERROR, TT_SYNC_ERROR_PROTOCOL,
                                     _("The server's answer was not understood"));
      op_retry (op, verdict_error);
      break;
    case VERDICT_FAIL:
    default:
      g_assert_not_reached ();
    }
}

static void
add_header_size (const char *name,
                 const char *value,
                 gpointer    data)
{
  *(guint64 *) data += strlen (name) + strlen (value) + 4;
}

/* Couriers pay for mobile data: count what goes out, roughly as on the
 * wire (libsoup adds Host, Content-Length and Connection itself). */
static guint64
request_size (SoupMessage *msg,
              gsize        body_length)
{
  GUri *uri = soup_message_get_uri (msg);
  const char *query = g_uri_get_query (uri);
  /* "METHOD /path?query HTTP/1.1\r\n" */
  guint64 size = strlen (soup_message_get_method (msg)) + strlen (g_uri_get_path (uri))
                 + (query ? strlen (query) + 1 : 0) + 12;

  soup_message_headers_foreach (soup_message_get_request_headers (msg), add_header_size, &size);
  return size + 64 + body_length;
}

static void
op_send (Op *op)
{
  GError *error = NULL;
  SoupSession *session;
  SoupMessage *msg;

  if (g_task_return_error_if_cancelled (op->task))
    {
      save_acks (op, NULL);
      g_object_unref (op->task);
      return;
    }
  session = get_session (op->self, &error);
  if (session == NULL)
    {
      op_fail (op, error);
      return;
    }
  msg = op->build (op);
  op_root (op)->report.bytes_sent += request_size (msg, GPOINTER_TO_SIZE (g_object_get_data (G_OBJECT (msg),
                                                                                    "tt-body-length")));
  g_object_set_data (G_OBJECT (msg), "tt-op", op);
  op->sent_at = g_get_monotonic_time ();
  soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (op->task), sent_cb, msg);
}

/* A cancelled operation does not sit out its backoff. */
static void
on_cancelled (GCancellable *cancellable,
              Op           *op)
{
  if (op->lanes_cancel != NULL)
    g_cancellable_cancel (op->lanes_cancel);
  if (op->timer_id != 0)
    {
      g_source_remove (op->timer_id);
      op->timer_id = g_idle_add (retry_cb, op);
    }
}

static void
op_attach (Op    *op,
           GTask *task)
{
  op->task = task;
  g_task_set_task_data (task, op, (GDestroyNotify) op_free);
  if (g_task_get_cancellable (task))
    {
      op->cancellable = g_object_ref (g_task_get_cancellable (task));
      op->cancelled_id = g_cancellable_connect (op->cancellable, G_CALLBACK (on_cancelled), op, NULL);
    }
}

/* Starts a new kind of request on the same operation. */
static void
op_start (Op         *op,
          BuildFunc   build,
          HandleFunc  handle)
{
  op->build = build;
  op->handle = handle;
  op->attempt = 0;
  op->retry_after_ms = 0;
  op_send (op);
}

/* Handlers return VERDICT_DONE after finishing or starting the next
 * step, VERDICT_RETRY for a transient failure.  Permanent failures are
 * returned through the task (and reported as DONE). */
static Verdict
fail_with (Op          *op,
           SoupMessage *msg,
           GBytes      *body,
           GError      *error)
{
  GError *out = NULL;

  if (classify_failure (op, msg, body, error, &out) == VERDICT_RETRY)
    {
      g_clear_error (&out);
      return VERDICT_RETRY;
    }
  op_fail (op, out);
  return VERDICT_DONE;
}

/* Enrollment */

static SoupMessage *
build_enroll (Op *op)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *body = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "code");
  json_builder_add_string_value (b, op->code);
  json_builder_set_member_name (b, "device_name");
  json_builder_add_string_value (b, g_get_host_name ());
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  body = json_to_string (root, FALSE);
  return new_message (op, "POST", "/api/v1/enroll", body);
}

static Verdict
handle_enroll (Op          *op,
               SoupMessage *msg,
               GBytes      *body,
               GError      *error)
{
  TtSync *self = op->self;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *path = token_path (self);
  g_autoptr(GError) local = NULL;
  const char *device_id, *token, *courier;
  JsonObject *o;
  gsize len = 0;
  const char *data;

  if (error || soup_message_get_status (msg) != SOUP_STATUS_OK)
    {
      if (!error && soup_message_get_status (msg) == SOUP_STATUS_FORBIDDEN)
        {
          g_autofree char *words = server_message (body);

          op_fail (op, g_error_new (TT_SYNC_ERROR, TT_SYNC_ERROR_REFUSED, "%s",
                                    words ? words : _("The server refused the enrollment code")));
          return VERDICT_DONE;
        }
      return fail_with (op, msg, body, error);
    }
  data = g_bytes_get_data (body, &len);
  if (!is_json (msg) || !json_parser_load_from_data (parser, data, len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return VERDICT_RETRY;
  o = json_node_get_object (json_parser_get_root (parser));
  device_id = json_object_get_string_member_with_default (o, "device_id", NULL);
  token = json_object_get_string_member_with_default (o, "token", NULL);
  courier = json_object_get_string_member_with_default (o, "courier", NULL);
  if (device_id == NULL || token == NULL || *token == '\0' || strchr (token, '\n'))
    return VERDICT_RETRY;

  if (g_mkdir_with_parents (self->data_dir, 0700) != 0
      || !g_file_set_contents_full (path, token, -1,
                                    G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                    0600, &local)
      || !tt_store_set_meta (self->store, META_SERVER, op->server, &local)
      || !tt_store_set_meta (self->store, META_DEVICE, device_id, &local)
      || !tt_store_set_meta (self->store, META_COURIER, courier, &local)
      || !tt_store_set_meta (self->store, META_ETAG, NULL, &local))
    {
      op_fail (op, g_error_new (TT_SYNC_ERROR, TT_SYNC_ERROR_STORE,
                                _("The enrollment could not be saved on this device: %s"),
                                local ? local->message : g_strerror (errno)));
      return VERDICT_DONE;
    }
  load_enrollment (self);
  set_last_error (self, NULL);
  set_state (self, TT_SYNC_STATE_IDLE);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVER_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DEVICE_ID]);
  g_task_return_boolean (op->task, TRUE);
  g_object_unref (op->task);
  return VERDICT_DONE;
}

void
tt_sync_enroll_async (TtSync              *self,
                      const char          *uri_or_server,
                      const char          *code,
                      GCancellable        *cancellable,
                      GAsyncReadyCallback  callback,
                      gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *server = NULL;
  g_autofree char *the_code = NULL;
  GError *error = NULL;
  Op *op;

  g_return_if_fail (TT_IS_SYNC (self));
  g_return_if_fail (uri_or_server != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tt_sync_enroll_async);

  if (code == NULL || g_str_has_prefix (uri_or_server, "tantay:"))
    {
      if (!tt_sync_parse_enroll_uri (uri_or_server, &server, &the_code, &error))
        {
          g_task_return_error (task, error);
          return;
        }
    }
  else
    {
      server = normalise_server (uri_or_server, &error);
      if (server == NULL)
        {
          g_task_return_error (task, error);
          return;
        }
      the_code = g_strstrip (g_strdup (code));
      if (*the_code == '\0')
        {
          g_task_return_new_error (task, TT_SYNC_ERROR, TT_SYNC_ERROR_BAD_ENROLLMENT,
                                   _("Type the enrollment code from the office"));
          return;
        }
    }

  op = g_new0 (Op, 1);
  op->self = self;
  op->server = g_steal_pointer (&server);
  op->code = g_steal_pointer (&the_code);
  op_attach (op, g_steal_pointer (&task));
  op_start (op, build_enroll, handle_enroll);
}

gboolean
tt_sync_enroll_finish (TtSync        *self,
                       GAsyncResult  *result,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Sync: pull, then push */

static void push_next (Op *op);

static SoupMessage *
build_pull (Op *op)
{
  SoupMessage *msg = new_message (op, "GET", "/api/v1/manifest", NULL);
  g_autofree char *etag = tt_store_get_meta (op->self->store, META_ETAG);

  if (etag && tt_store_count_items (op->self->store) > 0)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-None-Match", etag);
  return msg;
}

static Verdict
handle_pull (Op          *op,
             SoupMessage *msg,
             GBytes      *body,
             GError      *error)
{
  TtSync *self = op->self;
  guint status = error ? 0 : soup_message_get_status (msg);
  g_autoptr(GError) local = NULL;
  const char *etag;
  gsize len = 0;
  const char *data;

  if (status == SOUP_STATUS_NOT_MODIFIED)
    {
      op->report.manifest = TT_SYNC_MANIFEST_NOT_MODIFIED;
      push_next (op);
      return VERDICT_DONE;
    }
  if (status == SOUP_STATUS_NOT_FOUND && is_json (msg))
    {
      op->report.manifest = TT_SYNC_MANIFEST_NONE;
      push_next (op);
      return VERDICT_DONE;
    }
  if (status != SOUP_STATUS_OK)
    return fail_with (op, msg, body, error);

  /* A body that is not a route (a torn download, a login page) is
   * reported, the current route stays, and the events still go out. */
  data = g_bytes_get_data (body, &len);
  if (!tt_store_load_manifest (self->store, data ? data : "", len, &local))
    {
      op->report.manifest = TT_SYNC_MANIFEST_FAILED;
      op->manifest_error = g_error_new (TT_SYNC_ERROR, TT_SYNC_ERROR_MANIFEST, "%s",
                                        local->message);
      push_next (op);
      return VERDICT_DONE;
    }
  etag = soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag");
  tt_store_set_meta (self->store, META_ETAG, etag, NULL);
  op->report.manifest = TT_SYNC_MANIFEST_UPDATED;
  op->report.items = tt_store_count_items (self->store);
  push_next (op);
  return VERDICT_DONE;
}

/* The JSON text of the window's event @i, written once: a batch that goes
 * out again, or is halved, does not write its events again. */
static const char *
window_event_json (Op    *op,
                   guint  i)
{
  if (g_ptr_array_index (op->window_json, i) == NULL)
    {
      g_autoptr(JsonNode) node = tt_event_to_json (g_ptr_array_index (op->window, i));

      g_ptr_array_index (op->window_json, i) = json_to_string (node, FALSE);
    }
  return g_ptr_array_index (op->window_json, i);
}

/* While a batch is with the server the device has nothing to do: it
 * writes the next batch then, a few events at a time so that the answer
 * is not kept waiting. */
static gboolean
prepare_next_cb (gpointer data)
{
  Op *op = data;
  guint start = op->cursor + (op->batch ? op->batch->len : 0);
  guint end = MIN (op->window->len, start + op->batch_limit);
  guint written = 0;

  for (guint i = start; i < end && written < 16; i++)
    if (g_ptr_array_index (op->window_json, i) == NULL)
      {
        window_event_json (op, i);
        written++;
      }
  if (written > 0)
    return G_SOURCE_CONTINUE;
  op->prepare_id = 0;
  return G_SOURCE_REMOVE;
}

static SoupMessage *
build_push (Op *op)
{
  g_autoptr(JsonNode) device = json_node_init_string (json_node_alloc (), op->self->device_id);
  g_autofree char *device_json = json_to_string (device, FALSE);
  GString *body = g_string_sized_new (op->batch->len * 1600 + 128);
  g_autofree char *text = NULL;
  SoupMessage *msg;

  g_string_append (body, "{\"device_id\":");
  g_string_append (body, device_json);
  g_string_append (body, ",\"events\":[");
  for (guint i = 0; i < op->batch->len; i++)
    {
      if (i > 0)
        g_string_append_c (body, ',');
      g_string_append (body, window_event_json (op, op->cursor + i));
    }
  g_string_append (body, "]}");
  text = g_string_free (body, FALSE);
  msg = new_message (op, "POST", "/api/v1/events", text);
  if (op->prepare_id == 0)
    op->prepare_id = g_idle_add (prepare_next_cb, op);
  /* Each event carries its own idempotency key, so a batch may go out
   * again on a reused connection. */
  soup_message_set_flags (msg, SOUP_MESSAGE_IDEMPOTENT);
  return msg;
}

static void
op_finish_sync (Op *op)
{
  TtSync *self = op->self;
  g_autofree char *now = tt_event_time_now ();
  GError *error = NULL;

  if (!save_acks (op, &error))
    {
      op_fail (op, error);
      return;
    }
  /* Delivered items leave the device only once the server has had their
   * proof for the retention period (the store checks every event). */
  if (op->report.acknowledged > 0)
    {
      g_autoptr(GError) purge_error = NULL;

      if (!tt_store_purge (self->store, self->retention_days, &purge_error))
        g_debug ("Old items not cleared: %s", purge_error->message);
    }
  if (op->manifest_error)
    {
      op_fail (op, g_steal_pointer (&op->manifest_error));
      return;
    }
  g_free (self->last_sync);
  self->last_sync = g_strdup (now);
  tt_store_set_meta (self->store, META_LAST_SYNC, now, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_SYNC]);
  g_task_return_boolean (op->task, TRUE);
  g_object_unref (op->task);
}

/* Only a well-formed acknowledgement about this very batch counts: a
 * captive portal's "200 OK" page acknowledges nothing. */
static Verdict
handle_push (Op          *op,
             SoupMessage *msg,
             GBytes      *body,
             GError      *error)
{
  TtSync *self = op->self;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GPtrArray) acked = g_ptr_array_new ();
  g_autoptr(GError) local = NULL;
  guint status = error ? 0 : soup_message_get_status (msg);
  JsonObject *o;
  JsonNode *a, *r;
  gsize len = 0;
  const char *data;

  if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE)
    {
      /* Halve the batch; a single event too large for the server can
       * never go, so it is set aside with the reason. */
      if (op->batch->len > 1)
        {
          op->batch_limit = MAX (1, op->batch->len / 2);
          push_next (op);
          return VERDICT_DONE;
        }
      {
        g_autofree char *words = server_message (body);
        g_autofree char *reason = g_strdup_printf (_("Too large for the server: %s"),
                                                   words ? words : "413");
        TtEvent *e = g_ptr_array_index (op->batch, 0);

        if (!tt_store_mark_quarantined (self->store, e->uuid, reason, &local))
          {
            op_fail (op, g_error_new (TT_SYNC_ERROR, TT_SYNC_ERROR_STORE, "%s", local->message));
            return VERDICT_DONE;
          }
        op_root (op)->report.rejected++;
        op->cursor++;
        push_next (op);
        return VERDICT_DONE;
      }
    }
  if (status != SOUP_STATUS_OK)
    return fail_with (op, msg, body, error);

  data = g_bytes_get_data (body, &len);
  if (!is_json (msg) || !json_parser_load_from_data (parser, data, len, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return VERDICT_RETRY;
  o = json_node_get_object (json_parser_get_root (parser));
  a = json_object_get_member (o, "acknowledged");
  r = json_object_get_member (o, "rejected");
  if (a == NULL || !JSON_NODE_HOLDS_ARRAY (a) || r == NULL || !JSON_NODE_HOLDS_ARRAY (r))
    return VERDICT_RETRY;

  for (guint i = 0; i < json_array_get_length (json_node_get_array (a)); i++)
    {
      JsonNode *n = json_array_get_element (json_node_get_array (a), i);

      if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING
          || !g_hash_table_contains (op->batch_ids, json_node_get_string (n)))
        return VERDICT_RETRY;
      g_ptr_array_add (acked, (gpointer) json_node_get_string (n));
    }
  for (guint i = 0; i < json_array_get_length (json_node_get_array (r)); i++)
    {
      JsonNode *n = json_array_get_element (json_node_get_array (r), i);
      JsonObject *rej = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      const char *id = rej ? json_object_get_string_member_with_default (rej, "id", NULL) : NULL;

      if (id == NULL || !g_hash_table_contains (op->batch_ids, id))
        return VERDICT_RETRY;
    }
  /* Every event of the batch must be answered for, once. */
  if (acked->len + json_array_get_length (json_node_get_array (r)) != op->batch->len)
    return VERDICT_RETRY;

  for (guint i = 0; i < acked->len; i++)
    g_hash_table_add (op_root (op)->unsaved_acks, g_strdup (g_ptr_array_index (acked, i)));
  op_root (op)->report.acknowledged += acked->len;
  op_root (op)->fast_link = g_get_monotonic_time () - op->sent_at < FAST_LINK_US;
  for (guint i = 0; i < json_array_get_length (json_node_get_array (r)); i++)
    {
      JsonObject *rej = json_array_get_object_element (json_node_get_array (r), i);
      const char *id = json_object_get_string_member (rej, "id");
      const char *reason = json_object_get_string_member_with_default (rej, "reason", NULL);
      const char *code = json_object_get_string_member_with_default (rej, "code", NULL);
      g_autofree char *text = g_strdup_printf ("%s%s%s", reason ? reason : _("Refused by the server"),
                                               code ? " — " : "", code ? code : "");

      if (!tt_store_mark_quarantined (self->store, id, text, &local))
        {
          op_fail (op, g_error_new (TT_SYNC_ERROR, TT_SYNC_ERROR_STORE, "%s", local->message));
          return VERDICT_DONE;
        }
      op_root (op)->report.rejected++;
    }
  op->cursor += op->batch->len;
  push_next (op);
  return VERDICT_DONE;
}

static void start_lanes (Op *op);

static void
push_next (Op *op)
{
  TtSync *self = op->self;
  g_autoptr(GError) error = NULL;
  GError *save_error = NULL;

  if (op->root != NULL && op->cursor >= op->window->len)
    {
      /* A lane's share is answered for. */
      g_clear_handle_id (&op->prepare_id, g_source_remove);
      g_task_return_boolean (op->task, TRUE);
      g_object_unref (op->task);
      return;
    }
  if (op->window == NULL || op->cursor >= op->window->len)
    {
      /* The window is done: save its acknowledgements, read the next. */
      if (!save_acks (op, &save_error))
        {
          op_fail (op, save_error);
          return;
        }
      g_clear_handle_id (&op->prepare_id, g_source_remove);
      g_clear_pointer (&op->window, g_ptr_array_unref);
      g_clear_pointer (&op->window_json, g_ptr_array_unref);
      op->window = tt_store_list_events (self->store, TT_EVENT_STATE_PENDING, WINDOW_SIZE, &error);
      op->cursor = 0;
      if (op->window == NULL)
        {
          op_fail (op, g_error_new (TT_SYNC_ERROR, TT_SYNC_ERROR_STORE, "%s", error->message));
          return;
        }
      if (op->window->len == 0)
        {
          op_finish_sync (op);
          return;
        }
      op->window_json = g_ptr_array_new_full (op->window->len, g_free);
      g_ptr_array_set_size (op->window_json, op->window->len);
    }
  if (op->root == NULL && op->fast_link && op->window->len - op->cursor > op->batch_limit)
    {
      start_lanes (op);
      return;
    }

  g_hash_table_remove_all (op->batch_ids);
  g_clear_pointer (&op->batch, g_ptr_array_unref);
  op->batch = g_ptr_array_new ();
  for (guint i = op->cursor; i < op->window->len && op->batch->len < op->batch_limit; i++)
    {
      TtEvent *e = g_ptr_array_index (op->window, i);

      g_ptr_array_add (op->batch, e);
      g_hash_table_add (op->batch_ids, e->uuid);
      if (!g_hash_table_contains (op_root (op)->counted, e->uuid))
        {
          g_hash_table_add (op_root (op)->counted, g_strdup (e->uuid));
          op_root (op)->report.pushed++;
        }
    }
  op_start (op, build_push, handle_push);
}

/* Lanes */

static void
lane_done_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  Op *root = data;
  Op *lane = g_task_get_task_data (G_TASK (result));
  GError *error = NULL;

  /* A batch the server found too large is too large for every lane. */
  root->batch_limit = MIN (root->batch_limit, lane->batch_limit);
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      /* The first failure ends the sync; the other lanes are stopped and
       * their "cancelled" is not the story. */
      if (root->lane_error == NULL)
        {
          root->lane_error = error;
          g_cancellable_cancel (root->lanes_cancel);
        }
      else
        g_error_free (error);
    }
  if (--root->lanes_running > 0)
    return;

  g_clear_object (&root->lanes_cancel);
  if (g_task_return_error_if_cancelled (root->task))
    {
      save_acks (root, NULL);
      g_object_unref (root->task);
      return;
    }
  if (root->lane_error != NULL)
    {
      op_fail (root, g_steal_pointer (&root->lane_error));
      return;
    }
  root->cursor = root->window->len;
  push_next (root);
}

/* Deals the rest of the window out to the lanes a batch at a time, so
 * that the server still receives the events roughly in order. */
static void
start_lanes (Op *op)
{
  guint n_batches = (op->window->len - op->cursor + op->batch_limit - 1) / op->batch_limit;
  guint n_lanes = MIN (N_LANES, n_batches);

  g_clear_handle_id (&op->prepare_id, g_source_remove);
  op->lanes_cancel = g_cancellable_new ();
  op->lanes_running = n_lanes;
  for (guint l = 0; l < n_lanes; l++)
    {
      Op *lane = g_new0 (Op, 1);
      GTask *task = g_task_new (op->self, op->lanes_cancel, lane_done_cb, op);

      lane->self = op->self;
      lane->root = op;
      lane->batch_limit = op->batch_limit;
      lane->batch_ids = g_hash_table_new (g_str_hash, g_str_equal);
      lane->window = g_ptr_array_new ();
      lane->window_json = g_ptr_array_new_with_free_func (g_free);
      for (guint b = l; b < n_batches; b += n_lanes)
        for (guint i = op->cursor + b * op->batch_limit;
             i < MIN (op->window->len, op->cursor + (b + 1) * op->batch_limit); i++)
          {
            g_ptr_array_add (lane->window, g_ptr_array_index (op->window, i));
            /* JSON the sync already wrote goes along. */
            g_ptr_array_add (lane->window_json,
                             g_steal_pointer (&g_ptr_array_index (op->window_json, i)));
          }
      op_attach (lane, task);
      push_next (lane);
    }
}

static void
run_done_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      data)
{
  /* tt_sync_request(): the outcome is already in state and last-error. */
  tt_sync_run_finish (TT_SYNC (source), result, NULL, NULL);
}

static void schedule_auto_retry (TtSync *self);

static void
task_completed_cb (GTask      *task,
                   GParamSpec *pspec,
                   TtSync     *self)
{
  g_clear_object (&self->running);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

void
tt_sync_run_async (TtSync              *self,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GCancellable) cancel = NULL;
  Op *op;

  g_return_if_fail (TT_IS_SYNC (self));

  /* Always cancellable, so that dropping the engine stops its sync. */
  cancel = cancellable ? g_object_ref (cancellable) : g_cancellable_new ();
  task = g_task_new (self, cancel, callback, user_data);
  g_task_set_source_tag (task, tt_sync_run_async);

  load_enrollment (self);
  if (self->server == NULL || self->token == NULL || self->device_id == NULL)
    {
      set_state (self, TT_SYNC_STATE_NOT_ENROLLED);
      g_task_return_new_error (task, TT_SYNC_ERROR, TT_SYNC_ERROR_NOT_ENROLLED,
                               _("This device is not enrolled with a tracking server yet"));
      return;
    }
  if (self->running)
    {
      g_task_return_new_error (task, TT_SYNC_ERROR, TT_SYNC_ERROR_BUSY,
                               _("A sync is already running"));
      return;
    }

  op = g_new0 (Op, 1);
  op->self = self;
  op->batch_limit = self->batch_size;
  op->batch_ids = g_hash_table_new (g_str_hash, g_str_equal);
  op->counted = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  op->unsaved_acks = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  op_attach (op, g_steal_pointer (&task));
  self->running = g_steal_pointer (&cancel);
  g_signal_connect (op->task, "notify::completed", G_CALLBACK (task_completed_cb), self);
  set_state (self, TT_SYNC_STATE_SYNCING);
  op_start (op, build_pull, handle_pull);
}

gboolean
tt_sync_run_finish (TtSync        *self,
                    GAsyncResult  *result,
                    TtSyncReport  *report,
                    GError       **error)
{
  Op *op;
  g_autoptr(GError) local = NULL;
  gboolean ok;

  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  op = g_task_get_task_data (G_TASK (result));
  if (report)
    {
      if (op)
        *report = op->report;
      else
        memset (report, 0, sizeof *report);
    }
  ok = g_task_propagate_boolean (G_TASK (result), &local);
  if (local && g_error_matches (local, TT_SYNC_ERROR, TT_SYNC_ERROR_BUSY))
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  /* Stopped on purpose: not a failure to tell the courier about. */
  if (local && g_error_matches (local, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      set_state (self, tt_sync_is_enrolled (self) ? TT_SYNC_STATE_IDLE : TT_SYNC_STATE_NOT_ENROLLED);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (ok)
    {
      self->auto_failures = 0;
      set_last_error (self, NULL);
      set_state (self, TT_SYNC_STATE_IDLE);
    }
  else
    {
      set_last_error (self, local->message);
      set_state (self, g_error_matches (local, TT_SYNC_ERROR, TT_SYNC_ERROR_NOT_ENROLLED)
                         ? TT_SYNC_STATE_NOT_ENROLLED : TT_SYNC_STATE_ERROR);
      if (self->auto_sync)
        schedule_auto_retry (self);
      g_propagate_error (error, g_steal_pointer (&local));
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  return ok;
}

void
tt_sync_request (TtSync *self)
{
  g_return_if_fail (TT_IS_SYNC (self));

  if (self->running)
    return;
  g_clear_handle_id (&self->auto_retry_id, g_source_remove);
  tt_sync_run_async (self, NULL, run_done_cb, NULL);
}

/* Automatic sync: when the network comes back, after new events, and
 * again a while after a failure. */

static gboolean
auto_retry_cb (gpointer data)
{
  TtSync *self = data;

  self->auto_retry_id = 0;
  tt_sync_request (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_auto_retry (TtSync *self)
{
  guint64 ceiling;

  if (self->auto_retry_id || self->state == TT_SYNC_STATE_NOT_ENROLLED)
    return;
  self->auto_failures++;
  ceiling = MIN ((guint64) 300000, (guint64) MAX (self->backoff_base_ms, 1000) << MIN (self->auto_failures, 16));
  self->auto_retry_id = g_timeout_add ((guint) g_random_int_range ((gint32) ceiling / 2, (gint32) ceiling + 1),
                                       auto_retry_cb, self);
}

static void
network_changed_cb (GNetworkMonitor *monitor,
                    gboolean         available,
                    TtSync          *self)
{
  gboolean was = self->network_available;

  self->network_available = available;
  if (available && !was && self->auto_sync)
    tt_sync_request (self);
}

static void
event_added_cb (TtStore *store,
                TtEvent *event,
                TtSync  *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  if (self->auto_sync && self->state != TT_SYNC_STATE_NOT_ENROLLED && self->auto_retry_id == 0)
    self->auto_retry_id = g_timeout_add_seconds (2, auto_retry_cb, self);
}

static void
events_changed_cb (TtStore *store,
                   TtSync  *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUARANTINED]);
}

static void
set_auto_sync (TtSync   *self,
               gboolean  enabled)
{
  if (self->auto_sync == enabled)
    return;
  self->auto_sync = enabled;
  if (enabled && self->monitor == NULL)
    {
      self->monitor = g_object_ref (g_network_monitor_get_default ());
      self->network_available = g_network_monitor_get_network_available (self->monitor);
      g_signal_connect_object (self->monitor, "network-changed", G_CALLBACK (network_changed_cb),
                               self, 0);
    }
  if (!enabled)
    g_clear_handle_id (&self->auto_retry_id, g_source_remove);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AUTO_SYNC]);
}

/* Public getters */

TtSync *
tt_sync_new (TtStore    *store,
             const char *data_dir)
{
  g_return_val_if_fail (TT_IS_STORE (store), NULL);
  g_return_val_if_fail (data_dir != NULL, NULL);

  return g_object_new (TT_TYPE_SYNC, "store", store, "data-dir", data_dir, NULL);
}

gboolean
tt_sync_is_enrolled (TtSync *self)
{
  g_return_val_if_fail (TT_IS_SYNC (self), FALSE);
  return self->server && self->token && self->device_id;
}

TtSyncState
tt_sync_get_state (TtSync *self)
{
  g_return_val_if_fail (TT_IS_SYNC (self), TT_SYNC_STATE_NOT_ENROLLED);
  return self->state;
}

const char *
tt_sync_get_last_error (TtSync *self)
{
  g_return_val_if_fail (TT_IS_SYNC (self), NULL);
  return self->last_error;
}

const char *
tt_sync_get_last_sync (TtSync *self)
{
  g_return_val_if_fail (TT_IS_SYNC (self), NULL);
  return self->last_sync;
}

guint
tt_sync_get_pending (TtSync *self)
{
  g_return_val_if_fail (TT_IS_SYNC (self), 0);
  return tt_store_count_events (self->store, TT_EVENT_STATE_PENDING);
}

GPtrArray *
tt_sync_list_quarantined (TtSync  *self,
                          GError **error)
{
  g_return_val_if_fail (TT_IS_SYNC (self), NULL);
  return tt_store_list_events (self->store, TT_EVENT_STATE_QUARANTINED, 0, error);
}

const char *
tt_sync_get_server_url (TtSync *self)
{
  g_return_val_if_fail (TT_IS_SYNC (self), NULL);
  return self->server;
}

const char *
tt_sync_get_device_id (TtSync *self)
{
  g_return_val_if_fail (TT_IS_SYNC (self), NULL);
  return self->device_id;
}

const char *
tt_sync_manifest_to_string (TtSyncManifest manifest)
{
  switch (manifest)
    {
    case TT_SYNC_MANIFEST_UPDATED:
      return "updated";
    case TT_SYNC_MANIFEST_NOT_MODIFIED:
      return "not-modified";
    case TT_SYNC_MANIFEST_FAILED:
      return "failed";
    case TT_SYNC_MANIFEST_NONE:
    default:
      return "none";
    }
}

/* GObject */

static void
tt_sync_constructed (GObject *object)
{
  TtSync *self = TT_SYNC (object);

  G_OBJECT_CLASS (tt_sync_parent_class)->constructed (object);

  g_assert (self->store != NULL && self->data_dir != NULL);
  load_enrollment (self);
  self->last_sync = tt_store_get_meta (self->store, META_LAST_SYNC);
  self->last_error = tt_store_get_meta (self->store, META_LAST_ERROR);
  if (!tt_sync_is_enrolled (self))
    self->state = TT_SYNC_STATE_NOT_ENROLLED;
  else
    self->state = self->last_error ? TT_SYNC_STATE_ERROR : TT_SYNC_STATE_IDLE;
  g_signal_connect_object (self->store, "event-added", G_CALLBACK (event_added_cb), self, 0);
  g_signal_connect_object (self->store, "events-changed", G_CALLBACK (events_changed_cb), self, 0);
}

static void
tt_sync_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  TtSync *self = TT_SYNC (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_DATA_DIR:
      g_value_set_string (value, self->data_dir);
      break;
    case PROP_CA_FILE:
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_s);
      break;
    case PROP_BACKOFF_BASE:
      g_value_set_uint (value, self->backoff_base_ms);
      break;
    case PROP_BACKOFF_CAP:
      g_value_set_uint (value, self->backoff_cap_ms);
      break;
    case PROP_MAX_ATTEMPTS:
      g_value_set_uint (value, self->max_attempts);
      break;
    case PROP_BATCH_SIZE:
      g_value_set_uint (value, self->batch_size);
      break;
    case PROP_RETENTION_DAYS:
      g_value_set_uint (value, self->retention_days);
      break;
    case PROP_AUTO_SYNC:
      g_value_set_boolean (value, self->auto_sync);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LAST_SYNC:
      g_value_set_string (value, self->last_sync);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_PENDING:
      g_value_set_uint (value, tt_sync_get_pending (self));
      break;
    case PROP_QUARANTINED:
      g_value_set_uint (value, tt_store_count_events (self->store, TT_EVENT_STATE_QUARANTINED));
      break;
    case PROP_SERVER_URL:
      g_value_set_string (value, self->server);
      break;
    case PROP_DEVICE_ID:
      g_value_set_string (value, self->device_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_sync_set_property (GObject      *object,
                      guint         prop_id,
                      const GValue *value,
                      GParamSpec   *pspec)
{
  TtSync *self = TT_SYNC (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_DATA_DIR:
      self->data_dir = g_value_dup_string (value);
      break;
    case PROP_CA_FILE:
      g_free (self->ca_file);
      self->ca_file = g_value_dup_string (value);
      g_clear_object (&self->session);
      break;
    case PROP_TIMEOUT:
      self->timeout_s = g_value_get_uint (value);
      g_clear_object (&self->session);
      break;
    case PROP_BACKOFF_BASE:
      self->backoff_base_ms = g_value_get_uint (value);
      break;
    case PROP_BACKOFF_CAP:
      self->backoff_cap_ms = g_value_get_uint (value);
      break;
    case PROP_MAX_ATTEMPTS:
      self->max_attempts = g_value_get_uint (value);
      break;
    case PROP_BATCH_SIZE:
      self->batch_size = g_value_get_uint (value);
      break;
    case PROP_RETENTION_DAYS:
      self->retention_days = g_value_get_uint (value);
      break;
    case PROP_AUTO_SYNC:
      set_auto_sync (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_sync_dispose (GObject *object)
{
  TtSync *self = TT_SYNC (object);

  g_clear_handle_id (&self->auto_retry_id, g_source_remove);
  if (self->running)
    g_cancellable_cancel (self->running);
  g_clear_object (&self->running);
  g_clear_object (&self->monitor);
  g_clear_object (&self->session);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (tt_sync_parent_class)->dispose (object);
}

static void
tt_sync_finalize (GObject *object)
{
  TtSync *self = TT_SYNC (object);

  g_free (self->data_dir);
  g_free (self->ca_file);
  g_free (self->server);
  g_free (self->device_id);
  g_free (self->token);
  g_free (self->last_sync);
  g_free (self->last_error);

  G_OBJECT_CLASS (tt_sync_parent_class)->finalize (object);
}

static void
tt_sync_class_init (TtSyncClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = tt_sync_constructed;
  object_class->get_property = tt_sync_get_property;
  object_class->set_property = tt_sync_set_property;
  object_class->dispose = tt_sync_dispose;
  object_class->finalize = tt_sync_finalize;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DATA_DIR] =
    g_param_spec_string ("data-dir", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* A PEM file of the authority that signed a private server's
   * certificate (setting "ca-file").  Verification itself cannot be
   * turned off. */
  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 600, 30,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BACKOFF_BASE] =
    g_param_spec_uint ("backoff-base", NULL, NULL, 0, 600000, 1000,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BACKOFF_CAP] =
    g_param_spec_uint ("backoff-cap", NULL, NULL, 0, 3600000, 60000,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_ATTEMPTS] =
    g_param_spec_uint ("max-attempts", NULL, NULL, 1, 1000, 6,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_BATCH_SIZE] =
    g_param_spec_uint ("batch-size", NULL, NULL, 1, 10000, 100,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  /* Setting "retention-days"; 0 clears delivered items as soon as
   * everything about them is acknowledged. */
  properties[PROP_RETENTION_DAYS] =
    g_param_spec_uint ("retention-days", NULL, NULL, 0, 3650, 30,
                       G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_AUTO_SYNC] =
    g_param_spec_boolean ("auto-sync", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, TT_TYPE_SYNC_STATE, TT_SYNC_STATE_NOT_ENROLLED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_SYNC] =
    g_param_spec_string ("last-sync", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] =
    g_param_spec_uint ("pending", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Events the server refused, set aside with its reason. */
  properties[PROP_QUARANTINED] =
    g_param_spec_uint ("quarantined", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVER_URL] =
    g_param_spec_string ("server-url", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_DEVICE_ID] =
    g_param_spec_string ("device-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_sync_init (TtSync *self)
{
  self->timeout_s = 30;
  self->backoff_base_ms = 1000;
  self->backoff_cap_ms = 60000;
  self->max_attempts = 6;
  self->batch_size = 100;
  self->retention_days = 30;
}
