/* SPDX-License-Identifier: GPL-3.0-or-later */
/* tantay-server on its own: bad input of every kind gets a clear JSON
 * error and stores nothing; idempotent replays; ETags; tracking without
 * personal data; the office page; route import from CSV. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>
#include <math.h>

#include "tt-event.h"
#include "tt-identity.h"
#include "tt-route-import.h"
#include "tt-server-db.h"
#include "tt-signature.h"
#include "tt-test-server.h"
#include "tt-test-util.h"

typedef struct
{
  char         *dir;
  TtTestServer *server;
  SoupSession  *session;
  char         *device[2];
  char         *token[2];
} Fx;

typedef struct
{
  guint       status;
  JsonNode   *json;
  char       *text;
  char       *etag;
} Answer;

static void
answer_clear (Answer *a)
{
  g_clear_pointer (&a->json, json_node_unref);
  g_clear_pointer (&a->text, g_free);
  g_clear_pointer (&a->etag, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Answer, answer_clear)

static void
request (Fx         *fx,
         const char *method,
         const char *path,
         const char *token,
         const char *body,
         gsize       body_len,
         const char *if_none_match,
         Answer     *a)
{
  g_autofree char *url = g_strconcat (fx->server->url, path, NULL);
  g_autoptr(SoupMessage) msg = soup_message_new (method, url);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *type;
  gsize len;

  if (token)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
    }
  if (if_none_match)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "If-None-Match",
                                  if_none_match);
  if (body)
    {
      g_autoptr(GBytes) b = g_bytes_new (body, body_len ? body_len : strlen (body));

      soup_message_set_request_body_from_bytes (msg, "application/json", b);
    }
  bytes = soup_session_send_and_read (fx->session, msg, NULL, &error);
  g_assert_no_error (error);
  a->status = soup_message_get_status (msg);
  a->text = g_strndup (g_bytes_get_data (bytes, &len), g_bytes_get_size (bytes));
  a->etag = g_strdup (soup_message_headers_get_one (soup_message_get_response_headers (msg), "ETag"));
  type = soup_message_headers_get_content_type (soup_message_get_response_headers (msg), NULL);
  if (g_strcmp0 (type, "application/json") == 0)
    {
      g_assert_true (json_parser_load_from_data (parser, a->text, -1, NULL));
      a->json = json_node_copy (json_parser_get_root (parser));
    }
}

/* An error answer: the status, and {"error":{"code","message"}} with a
 * message in words. */
static void
assert_error (Answer     *a,
              guint       status,
              const char *code)
{
  JsonObject *err;

  g_assert_cmpuint (a->status, ==, status);
  g_assert_nonnull (a->json);
  err = json_object_get_object_member (json_node_get_object (a->json), "error");
  g_assert_nonnull (err);
  g_assert_cmpstr (json_object_get_string_member (err, "code"), ==, code);
  g_assert_cmpuint (strlen (json_object_get_string_member (err, "message")), >, 10);
}

static void
enroll (Fx         *fx,
        guint       i,
        const char *uri)
{
  g_autofree char *body = NULL;
  g_auto(Answer) a = { 0 };
  const char *code = strstr (uri, "code=") + 5;
  JsonObject *o;

  body = g_strdup_printf ("{\"code\":\"%s\",\"device_name\":\"test %u\"}", code, i);
  request (fx, "POST", "/api/v1/enroll", NULL, body, 0, NULL, &a);
  g_assert_cmpuint (a.status, ==, 200);
  o = json_node_get_object (a.json);
  fx->device[i] = g_strdup (json_object_get_string_member (o, "device_id"));
  fx->token[i] = g_strdup (json_object_get_string_member (o, "token"));
  g_assert_cmpuint (strlen (fx->token[i]), ==, 64);
}

static Fx *
fx_new (void)
{
  Fx *fx = g_new0 (Fx, 1);
  g_autofree char *manifest = tt_test_make_manifest (10, 3, "R-SRV");
  g_autofree char *route = NULL;
  g_autofree char *db = NULL;
  const char *args[] = { "--demo", "--demo-route", NULL, "--issue-code", "BT-0042",
                         "--max-body", "200000", NULL };

  fx->dir = tt_test_make_tmpdir ();
  route = g_build_filename (fx->dir, "route.json", NULL);
  db = g_build_filename (fx->dir, "server.db", NULL);
  g_assert_true (g_file_set_contents (route, manifest, -1, NULL));
  args[2] = route;
  fx->server = tt_test_server_start (db, 0, args);
  fx->session = soup_session_new_with_options ("timeout", 10, NULL);
  g_assert_cmpuint (fx->server->enroll_uris->len, ==, 2);
  enroll (fx, 0, g_ptr_array_index (fx->server->enroll_uris, 0));
  enroll (fx, 1, g_ptr_array_index (fx->server->enroll_uris, 1));
  return fx;
}

static void
fx_free (Fx *fx)
{
  g_clear_object (&fx->session);
  g_clear_pointer (&fx->server, tt_test_server_free);
  for (guint i = 0; i < 2; i++)
    {
      g_free (fx->device[i]);
      g_free (fx->token[i]);
    }
  g_free (fx->dir);
  g_free (fx);
}

static guint
stored (Fx *fx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtServerDb) db = tt_server_db_open (fx->server->db_path, &error);

  g_assert_no_error (error);
  return tt_server_db_count_events (db, NULL);
}

static TtEvent *
make_event (gint64      seq,
            const char *prev_hash,
            const char *type,
            const char *payload)
{
  TtEvent *e = g_new0 (TtEvent, 1);

  e->seq = seq;
  e->uuid = g_uuid_string_random ();
  e->type = g_strdup (type);
  e->item_id = tt_test_s10_id ("RR", 10000000);
  e->time = tt_event_time_now ();
  e->payload = g_strdup (payload);
  e->prev_hash = g_strdup (prev_hash ? prev_hash : TT_EVENT_GENESIS_HASH);
  e->hash = tt_event_compute_hash (e->prev_hash, e->uuid, e->type, e->item_id, e->time, e->payload);
  return e;
}

static char *
batch_body (const char *device_id,
            TtEvent   **events,
            guint       n)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "device_id");
  json_builder_add_string_value (b, device_id);
  json_builder_set_member_name (b, "events");
  json_builder_begin_array (b);
  for (guint i = 0; i < n; i++)
    json_builder_add_value (b, tt_event_to_json (events[i]));
  json_builder_end_array (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static void
test_auth (void)
{
  Fx *fx = fx_new ();
  g_autoptr(TtEvent) e = make_event (1, NULL, "delivered", "{}");
  g_autofree char *body = batch_body (fx->device[0], &e, 1);
  g_auto(Answer) none = { 0 };
  g_auto(Answer) wrong = { 0 };
  g_auto(Answer) other = { 0 };
  g_auto(Answer) manifest = { 0 };
  g_auto(Answer) reuse = { 0 };
  g_autofree char *reuse_body = NULL;

  request (fx, "POST", "/api/v1/events", NULL, body, 0, NULL, &none);
  assert_error (&none, 401, "unauthorized");
  request (fx, "POST", "/api/v1/events", "0123456789abcdef", body, 0, NULL, &wrong);
  assert_error (&wrong, 401, "unauthorized");
  /* Device 1's token, device 0's events. */
  request (fx, "POST", "/api/v1/events", fx->token[1], body, 0, NULL, &other);
  assert_error (&other, 403, "wrong-device");
  request (fx, "GET", "/api/v1/manifest", NULL, NULL, 0, NULL, &manifest);
  assert_error (&manifest, 401, "unauthorized");

  reuse_body = g_strdup_printf ("{\"code\":\"%s\"}",
                                strstr (g_ptr_array_index (fx->server->enroll_uris, 0), "code=") + 5);
  request (fx, "POST", "/api/v1/enroll", NULL, reuse_body, 0, NULL, &reuse);
  assert_error (&reuse, 403, "invalid-code");
  g_assert_cmpuint (stored (fx), ==, 0);
  fx_free (fx);
}

static void
test_bad_batches (void)
{
  static const struct { const char *body; guint status; const char *code; } bad[] = {
    { "{\"device_id\":", 400, "malformed-json" },
    { "[1,2,3]", 400, "malformed-json" },
    { "\xff\xfe{}", 400, "malformed-json" },
    { "{\"events\":[]}", 400, "invalid-batch" },
    { "{\"device_id\":\"DEV\",\"events\":\"many\"}", 400, "invalid-batch" },
    { "{\"device_id\":\"DEV\",\"events\":[42]}", 400, "invalid-batch" },
    { "{\"device_id\":\"DEV\",\"events\":[{\"id\":7}]}", 400, "invalid-batch" },
    { "{\"device_id\":17,\"events\":[]}", 400, "invalid-batch" },
  };
  Fx *fx = fx_new ();

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_auto(Answer) a = { 0 };
      g_autoptr(GString) body = g_string_new (bad[i].body);

      g_string_replace (body, "DEV", fx->device[0], 0);
      request (fx, "POST", "/api/v1/events", fx->token[0], body->str, 0, NULL, &a);
      assert_error (&a, bad[i].status, bad[i].code);
    }

  /* Larger than the limit (--max-body 200000): refused before reading. */
  {
    g_auto(Answer) a = { 0 };
    g_autofree char *big = g_strnfill (300000, ' ');

    request (fx, "POST", "/api/v1/events", fx->token[0], big, 0, NULL, &a);
    assert_error (&a, 413, "too-large");
  }
  g_assert_cmpuint (stored (fx), ==, 0);
  fx_free (fx);
}

static JsonObject *
ack_of (Answer *a)
{
  g_assert_cmpuint (a->status, ==, 200);
  return json_node_get_object (a->json);
}

static const char *
rejection_code (JsonObject *ack,
                const char *id)
{
  JsonArray *r = json_object_get_array_member (ack, "rejected");

  for (guint i = 0; i < json_array_get_length (r); i++)
    {
      JsonObject *o = json_array_get_object_element (r, i);

      if (g_strcmp0 (json_object_get_string_member (o, "id"), id) == 0)
        {
          g_assert_cmpuint (strlen (json_object_get_string_member (o, "reason")), >, 10);
          return json_object_get_string_member (o, "code");
        }
    }
  return NULL;
}

static void
test_bad_events (void)
{
  Fx *fx = fx_new ();
  g_autoptr(TtEvent) unknown = make_event (1, NULL, "teleported", "{}");
  g_autoptr(TtEvent) not_object = make_event (2, NULL, "delivered", "[1]");
  g_autoptr(TtEvent) altered = make_event (3, NULL, "delivered", "{\"collected_vnd\":1000}");
  g_autoptr(TtEvent) bad_time = make_event (4, NULL, "delivered", "{}");
  /* Payloads that are not one JSON object: torn, plain text, a string, a
   * raw control character, a second value after the object. */
  g_autoptr(TtEvent) torn = make_event (5, NULL, "delivered", "{\"signature\":\"1,2;");
  g_autoptr(TtEvent) text = make_event (6, NULL, "delivered", "delivered at the door");
  g_autoptr(TtEvent) string = make_event (7, NULL, "delivered", "\"{}\"");
  g_autoptr(TtEvent) control = make_event (8, NULL, "delivered", "{\"note\":\"a\tb\"}");
  g_autoptr(TtEvent) two = make_event (9, NULL, "delivered", "{} {}");
  /* …and one good event among them, which goes in all the same. */
  g_autoptr(TtEvent) good = make_event (10, NULL, "delivered",
                                        "{ \"signature\" : \"1,2;3,4\", \"fix\": {\"lat\": 21.03} }");
  g_autofree char *body = NULL;
  g_autofree char *wrong_types = NULL;
  g_auto(Answer) a = { 0 };
  g_auto(Answer) b = { 0 };
  TtEvent *events[10];
  JsonObject *ack;

  /* Changed after hashing: 1000 became 100000. */
  g_free (altered->payload);
  altered->payload = g_strdup ("{\"collected_vnd\":100000}");
  g_free (bad_time->time);
  bad_time->time = g_strdup ("yesterday");
  bad_time->hash = (g_free (bad_time->hash),
                    tt_event_compute_hash (bad_time->prev_hash, bad_time->uuid, bad_time->type,
                                           bad_time->item_id, bad_time->time, bad_time->payload));
  events[0] = unknown;
  events[1] = not_object;
  events[2] = altered;
  events[3] = bad_time;
  events[4] = torn;
  events[5] = text;
  events[6] = string;
  events[7] = control;
  events[8] = two;
  events[9] = good;
  body = batch_body (fx->device[0], events, 10);
  request (fx, "POST", "/api/v1/events", fx->token[0], body, 0, NULL, &a);
  ack = ack_of (&a);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ack, "acknowledged")), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (json_object_get_array_member (ack, "acknowledged"), 0),
                   ==, good->uuid);
  g_assert_cmpstr (rejection_code (ack, unknown->uuid), ==, "unknown-type");
  g_assert_cmpstr (rejection_code (ack, not_object->uuid), ==, "invalid");
  g_assert_cmpstr (rejection_code (ack, altered->uuid), ==, "altered");
  g_assert_cmpstr (rejection_code (ack, bad_time->uuid), ==, "invalid");
  for (guint i = 4; i < 9; i++)
    g_assert_cmpstr (rejection_code (ack, events[i]->uuid), ==, "invalid");

  /* Wrong types: seq as a string, payload as an object. */
  wrong_types = g_strdup_printf ("{\"device_id\":\"%s\",\"events\":["
                                 "{\"id\":\"%s\",\"seq\":\"1\",\"type\":\"delivered\",\"item_id\":null,"
                                 "\"time\":\"2026-11-25T08:00:00Z\",\"payload\":\"{}\","
                                 "\"prev_hash\":\"%s\",\"hash\":\"%s\"},"
                                 "{\"id\":\"%s\",\"seq\":2,\"type\":\"delivered\",\"item_id\":null,"
                                 "\"time\":\"2026-11-25T08:00:00Z\",\"payload\":{},"
                                 "\"prev_hash\":\"%s\",\"hash\":\"%s\"}]}",
                                 fx->device[0], unknown->uuid, TT_EVENT_GENESIS_HASH,
                                 TT_EVENT_GENESIS_HASH, altered->uuid, TT_EVENT_GENESIS_HASH,
                                 TT_EVENT_GENESIS_HASH);
  request (fx, "POST", "/api/v1/events", fx->token[0], wrong_types, 0, NULL, &b);
  ack = ack_of (&b);
  g_assert_cmpstr (rejection_code (ack, unknown->uuid), ==, "invalid");
  g_assert_cmpstr (rejection_code (ack, altered->uuid), ==, "invalid");
  g_assert_nonnull (strstr (b.text, "seq"));
  g_assert_nonnull (strstr (b.text, "payload"));

  g_assert_cmpuint (stored (fx), ==, 1);
  fx_free (fx);
}

static void
test_idempotency (void)
{
  Fx *fx = fx_new ();
  g_autoptr(TtEvent) e1 = make_event (1, NULL, "delivered", "{\"collected_vnd\":25000}");
  g_autoptr(TtEvent) e2 = make_event (2, e1->hash, "failed", "{\"reason\":\"absent\"}");
  g_autoptr(TtEvent) twin = NULL;
  g_autofree char *body = NULL;
  g_autofree char *twin_body = NULL;
  g_auto(Answer) first = { 0 };
  g_auto(Answer) replay = { 0 };
  g_auto(Answer) conflict = { 0 };
  TtEvent *events[2] = { e1, e2 };
  JsonObject *ack;

  body = batch_body (fx->device[0], events, 2);
  request (fx, "POST", "/api/v1/events", fx->token[0], body, 0, NULL, &first);
  ack = ack_of (&first);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ack, "acknowledged")), ==, 2);

  /* Byte-identical replay: acknowledged again, stored once. */
  request (fx, "POST", "/api/v1/events", fx->token[0], body, 0, NULL, &replay);
  ack = ack_of (&replay);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (ack, "acknowledged")), ==, 2);
  g_assert_cmpuint (stored (fx), ==, 2);

  /* Same id, different content: a conflict, the original kept. */
  twin = tt_event_copy (e2);
  g_free (twin->payload);
  twin->payload = g_strdup ("{\"reason\":\"refused\"}");
  g_free (twin->hash);
  twin->hash = tt_event_compute_hash (twin->prev_hash, twin->uuid, twin->type, twin->item_id,
                                      twin->time, twin->payload);
  twin_body = batch_body (fx->device[0], &twin, 1);
  request (fx, "POST", "/api/v1/events", fx->token[0], twin_body, 0, NULL, &conflict);
  ack = ack_of (&conflict);
  g_assert_cmpstr (rejection_code (ack, twin->uuid), ==, "conflict");
  g_assert_cmpuint (stored (fx), ==, 2);
  fx_free (fx);
}

typedef struct
{
  guint  pending;
  guint  acked;
  guint  failed;
} Flight;

static void
flight_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Flight *f = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (bytes != NULL && json_parser_load_from_data (parser, g_bytes_get_data (bytes, NULL),
                                                   g_bytes_get_size (bytes), NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser))
      && json_object_has_member (json_node_get_object (json_parser_get_root (parser)), "acknowledged"))
    f->acked += json_array_get_length (json_object_get_array_member (
                  json_node_get_object (json_parser_get_root (parser)), "acknowledged"));
  else
    {
      g_test_message ("A batch failed: %s", error ? error->message
                      : bytes ? (const char *) g_bytes_get_data (bytes, NULL) : "?");
      f->failed++;
    }
  f->pending--;
}

/* Two devices send their batches all at once, one batch twice: the
 * batches are checked side by side and stored together, every event is
 * answered for, each is held once, and both chains are whole. */
static void
test_concurrent_batches (void)
{
  Fx *fx = fx_new ();
  g_autoptr(SoupSession) session = soup_session_new_with_options ("timeout", 20,
                                                                  "max-conns-per-host", 16, NULL);
  g_autofree char *url = g_strconcat (fx->server->url, "/api/v1/events", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtServerDb) db = NULL;
  Flight flight = { 0 };
  const guint per_batch = 40, batches = 16;
  /* Large signatures: the 1,280 events fill more than SQLite's
   * 1,000-page log, so the server must copy the log into the database. */
  g_autofree char *strokes = g_strnfill (4300, '7');
  g_autofree char *payload = g_strdup_printf ("{\"identity\":\"match\",\"signature\":\"%s\"}", strokes);
  GStatBuf st = { 0 };

  for (guint d = 0; d < 2; d++)
    {
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) tt_event_free);

      for (guint i = 0; i < per_batch * batches; i++)
        {
          TtEvent *prev = i ? g_ptr_array_index (events, i - 1) : NULL;

          g_ptr_array_add (events, make_event (i + 1, prev ? prev->hash : NULL, "delivered",
                                               payload));
        }
      /* The last batch goes twice, as a client that timed out would send it. */
      for (guint b = 0; b <= batches; b++)
        {
          guint first = MIN (b, batches - 1) * per_batch;
          g_autofree char *body = batch_body (fx->device[d], (TtEvent **) events->pdata + first,
                                              per_batch);
          g_autofree char *auth = g_strdup_printf ("Bearer %s", fx->token[d]);
          g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
          SoupMessage *msg = soup_message_new ("POST", url);

          soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
          soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
          flight.pending++;
          soup_session_send_and_read_async (session, msg, G_PRIORITY_DEFAULT, NULL, flight_cb,
                                            &flight);
          g_object_unref (msg);
        }
    }
  while (flight.pending > 0)
    g_main_context_iteration (NULL, TRUE);

  g_assert_cmpuint (flight.failed, ==, 0);
  g_assert_cmpuint (flight.acked, ==, 2 * (batches + 1) * per_batch);
  /* The log does not grow for ever: most events reach the database file
   * itself (the last few hundred pages may stay in the log until it
   * fills again). */
  for (guint tries = 0; tries < 100; tries++)
    {
      g_assert_cmpint (g_stat (fx->server->db_path, &st), ==, 0);
      if (st.st_size > (goffset) (batches * per_batch * 4300))
        break;
      g_usleep (50 * 1000);
    }
  g_assert_cmpint (st.st_size, >, (goffset) (batches * per_batch * 4300));
  db = tt_server_db_open (fx->server->db_path, &error);
  g_assert_no_error (error);
  for (guint d = 0; d < 2; d++)
    {
      g_autofree char *summary = NULL;
      guint held = 0;

      g_assert_cmpuint (tt_server_db_count_events (db, fx->device[d]), ==, batches * per_batch);
      g_assert_true (tt_server_db_check_chain (db, fx->device[d], &held, &summary));
      g_assert_cmpuint (held, ==, batches * per_batch);
    }
  g_clear_object (&db);
  fx_free (fx);
}

static void
test_manifest_etag (void)
{
  Fx *fx = fx_new ();
  g_auto(Answer) first = { 0 };
  g_auto(Answer) again = { 0 };
  g_auto(Answer) stale = { 0 };

  request (fx, "GET", "/api/v1/manifest", fx->token[0], NULL, 0, NULL, &first);
  g_assert_cmpuint (first.status, ==, 200);
  g_assert_nonnull (first.etag);
  g_assert_nonnull (strstr (first.text, "\"R-SRV\""));
  request (fx, "GET", "/api/v1/manifest", fx->token[0], NULL, 0, first.etag, &again);
  g_assert_cmpuint (again.status, ==, 304);
  g_assert_true (again.text == NULL || *again.text == '\0');
  request (fx, "GET", "/api/v1/manifest", fx->token[0], NULL, 0, "\"0123\"", &stale);
  g_assert_cmpuint (stale.status, ==, 200);
  fx_free (fx);
}

static void
test_tracking_and_office (void)
{
  Fx *fx = fx_new ();
  g_autofree char *item = tt_test_s10_id ("RR", 10000000);
  g_autoptr(TtSignature) signature = tt_signature_new ();
  g_autofree char *strokes = NULL;
  g_autofree char *payload = NULL;
  g_autoptr(TtEvent) e = NULL;

  /* A proof of delivery as the app records it (docs/events.md). */
  tt_signature_begin_stroke (signature, 320, 160);
  for (guint i = 0; i < 40; i++)
    tt_signature_add_point (signature, 20 + i * 7, 80 + 50 * sin (i / 4.0), i * 15, -1);
  tt_signature_end_stroke (signature);
  strokes = tt_signature_to_base64 (signature);
  payload = g_strdup_printf ("{\"v\":1,\"upu\":\"EMI\",\"recipient\":{\"kind\":\"addressee\","
                             "\"name\":\"Nguyễn Văn Ánh\",\"identity\":\"match\",\"id_last4\":\"3456\"},"
                             "\"money\":{\"due_vnd\":125000,\"collected_vnd\":125000},"
                             "\"signature\":{\"format\":\"tt-strokes-1\",\"strokes\":1,\"data\":\"%s\"},"
                             "\"fix\":{\"lat\":21.0301,\"lon\":105.8401,\"accuracy_m\":7.5}}", strokes);
  e = make_event (1, NULL, "delivered", payload);
  g_autofree char *body = batch_body (fx->device[0], &e, 1);
  g_autofree char *track_path = g_strdup_printf ("/api/v1/track/%s", item);
  g_autofree char *page_path = g_strdup_printf ("/track/%s", item);
  g_auto(Answer) posted = { 0 };
  g_auto(Answer) track = { 0 };
  g_auto(Answer) unknown = { 0 };
  g_auto(Answer) junk = { 0 };
  g_auto(Answer) page = { 0 };
  g_auto(Answer) office = { 0 };
  g_auto(Answer) route = { 0 };
  g_auto(Answer) manifest = { 0 };
  JsonObject *o;

  request (fx, "POST", "/api/v1/events", fx->token[0], body, 0, NULL, &posted);
  g_assert_cmpuint (posted.status, ==, 200);

  request (fx, "GET", track_path, NULL, NULL, 0, NULL, &track);
  g_assert_cmpuint (track.status, ==, 200);
  o = json_node_get_object (track.json);
  g_assert_cmpstr (json_object_get_string_member (o, "status"), ==, "delivered");
  g_assert_cmpstr (json_object_get_string_member (
                     json_array_get_object_element (json_object_get_array_member (o, "events"), 0),
                     "upu"), ==, "EMI");
  /* Nothing about people: no name, no ID digits, no place, no money. */
  request (fx, "GET", "/api/v1/manifest", fx->token[0], NULL, 0, NULL, &manifest);
  g_assert_null (strstr (track.text, "Nguyễn"));
  g_assert_null (strstr (track.text, "3456"));
  g_assert_null (strstr (track.text, "21.03"));
  g_assert_null (strstr (track.text, "125000"));
  g_assert_null (strstr (track.text, "recipient"));

  request (fx, "GET", "/api/v1/track/RR999999995VN", NULL, NULL, 0, NULL, &unknown);
  assert_error (&unknown, 404, "not-found");
  request (fx, "GET", "/api/v1/track/%27%20OR%201=1", NULL, NULL, 0, NULL, &junk);
  assert_error (&junk, 400, "invalid-item-id");

  request (fx, "GET", page_path, NULL, NULL, 0, NULL, &page);
  g_assert_cmpuint (page.status, ==, 200);
  g_assert_nonnull (strstr (page.text, "delivered"));
  g_assert_null (strstr (page.text, "Nguyễn"));

  request (fx, "GET", "/office", NULL, NULL, 0, NULL, &office);
  g_assert_cmpuint (office.status, ==, 200);
  g_assert_nonnull (strstr (office.text, "R-SRV"));
  g_assert_nonnull (strstr (office.text, "intact: 1 events"));
  request (fx, "GET", "/office/routes/R-SRV", NULL, NULL, 0, NULL, &route);
  g_assert_cmpuint (route.status, ==, 200);
  g_assert_nonnull (strstr (route.text, "accuracy (m)"));
  g_assert_nonnull (strstr (route.text, "125.000 ₫"));
  g_assert_nonnull (strstr (route.text, "match"));
  /* The signature drawn from its strokes. */
  g_assert_nonnull (strstr (route.text, "<img class=\"signature\" alt=\"signature, 1 strokes\""));
  g_assert_nonnull (strstr (route.text, "src=\"data:image/svg+xml;base64,"));
  fx_free (fx);
}

static void
test_csv_import (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "server.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtServerDb) db = tt_server_db_open (path, &error);
  g_autoptr(JsonArray) routes = NULL;
  g_autoptr(JsonArray) items = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *json = NULL;
  g_autofree char *route_id = NULL;
  const char *hash;
  guint n = 0;
  const char csv[] =
    "\xef\xbb\xbfroute_id,date,courier,id,kind,procedure,recipient_name,street,commune,province,"
    "fee_vnd,postage_vnd,citizen_id,proxy_allowed,checklist\r\n"
    "R-CSV,2026-11-25,BT-7,RR123456785VN,delivery,\"Cấp phiếu lý lịch tư pháp\",Nguyễn Văn Ánh,"
    "\"12, Phố Huế\",Phường Hai Bà Trưng,Hà Nội,200000,25000,001090123456,yes,\r\n"
    "R-CSV,2026-11-25,BT-7,EE473124829VN,pickup,Đăng ký hộ kinh doanh,\"Trần Thị \"\"Bé\"\" Lan\","
    "5 Đường Láng,Phường Đống Đa,Hà Nội,100000,0,,no,Tờ khai;Bản sao CCCD\r\n";
  const char bad_rows[] =
    "route_id,date,id,kind,procedure,recipient_name,street,commune,province\n"
    "R-BAD,2026-11-25,RR123456785VN,delivery,X,Y,Z,W\n";
  const char bad_number[] =
    "route_id,date,id,kind,procedure,recipient_name,street,commune,province,fee_vnd\n"
    "R-BAD,2026-11-25,RR123456785VN,delivery,X,Y,Z,W,V,lots\n";
  const char bad_route[] =
    "route_id,date,id,kind,procedure,recipient_name,street,commune,province\n"
    "R-BAD,2026-11-25,RR123456785VN,parcel,X,Y,Z,W,V\n";
  const char unclosed[] = "route_id,date\n\"R-BAD,2026-11-25\n";

  g_assert_no_error (error);
  json = tt_route_import_csv (csv, sizeof csv - 1, &error);
  g_assert_no_error (error);
  g_assert_true (tt_server_db_import_manifest (db, json, -1, &route_id, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (route_id, ==, "R-CSV");
  g_assert_cmpuint (n, ==, 2);

  /* The citizen ID arrives only as its slow hash. */
  g_assert_null (strstr (json, "001090123456"));
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  hash = json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (
                                     json_node_get_object (json_parser_get_root (parser)), "items"), 0),
    "id_hash");
  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  g_assert_cmpint (tt_identity_verify (hash, "001090123456"), ==, TT_IDENTITY_MATCH);

  items = tt_server_db_list_items (db, "R-CSV");
  g_assert_cmpuint (json_array_get_length (items), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (items, 1),
                                                  "recipient_name"), ==, "Trần Thị \"Bé\" Lan");
  g_assert_nonnull (strstr (json_object_get_string_member (json_array_get_object_element (items, 0),
                                                           "address"), "12, Phố Huế"));

  /* Bad files: a clear error naming the row, nothing imported. */
  g_assert_null (tt_route_import_csv (bad_rows, sizeof bad_rows - 1, &error));
  g_assert_error (error, TT_ROUTE_IMPORT_ERROR, TT_ROUTE_IMPORT_ERROR_CSV);
  g_assert_nonnull (strstr (error->message, "Row 2"));
  g_clear_error (&error);
  g_assert_null (tt_route_import_csv (bad_number, sizeof bad_number - 1, &error));
  g_assert_nonnull (strstr (error->message, "fee_vnd"));
  g_clear_error (&error);
  g_assert_null (tt_route_import_csv (unclosed, sizeof unclosed - 1, &error));
  g_assert_nonnull (strstr (error->message, "not closed"));
  g_clear_error (&error);
  json = (g_free (json), tt_route_import_csv (bad_route, sizeof bad_route - 1, &error));
  g_assert_no_error (error);
  g_assert_false (tt_server_db_import_manifest (db, json, -1, NULL, NULL, &error));
  g_assert_error (error, TT_SERVER_DB_ERROR, TT_SERVER_DB_ERROR_ROUTE);
  g_assert_nonnull (strstr (error->message, "kind"));
  routes = tt_server_db_list_routes (db);
  g_assert_cmpuint (json_array_get_length (routes), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/server/auth", test_auth);
  g_test_add_func ("/server/bad-batches", test_bad_batches);
  g_test_add_func ("/server/bad-events", test_bad_events);
  g_test_add_func ("/server/idempotency", test_idempotency);
  g_test_add_func ("/server/concurrent-batches", test_concurrent_batches);
  g_test_add_func ("/server/manifest-etag", test_manifest_etag);
  g_test_add_func ("/server/tracking-and-office", test_tracking_and_office);
  g_test_add_func ("/server/csv-import", test_csv_import);
  return g_test_run ();
}
