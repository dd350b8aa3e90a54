/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The sync engine against the real tantay-server on loopback: the whole
 * loop, every fault the server can inject, and bad input to the client. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "tt-server-db.h"
#include "tt-store.h"
#include "tt-sync.h"
#include "tt-test-server.h"
#include "tt-test-util.h"

typedef struct
{
  char         *dir;
  char         *route_file;
  char         *server_db;
  TtTestServer *server;
  char         *data_dir;
  TtStore      *store;
  TtSync       *sync;
} Fx;

static void
fx_start_server (Fx         *fx,
                 guint       port,
                 const char *fault)
{
  const char *args[] = { "--demo", "--demo-route", fx->route_file, NULL, NULL, NULL };

  if (fault)
    {
      args[3] = "--fault";
      args[4] = fault;
    }
  fx->server = tt_test_server_start (fx->server_db, port, args);
}

static Fx *
fx_new (const char *fault)
{
  Fx *fx = g_new0 (Fx, 1);
  g_autoptr(GError) error = NULL;
  g_autofree char *manifest = tt_test_make_manifest (40, 7, "R-SYNC");
  g_autofree char *db = NULL;

  fx->dir = tt_test_make_tmpdir ();
  fx->route_file = g_build_filename (fx->dir, "route.json", NULL);
  fx->server_db = g_build_filename (fx->dir, "server.db", NULL);
  fx->data_dir = g_build_filename (fx->dir, "device", NULL);
  g_assert_true (g_file_set_contents (fx->route_file, manifest, -1, NULL));
  fx_start_server (fx, 0, fault);

  db = tt_store_default_path (fx->data_dir);
  fx->store = tt_store_open (db, &error);
  g_assert_no_error (error);
  fx->sync = tt_sync_new (fx->store, fx->data_dir);
  /* Short delays for the tests; the logic is the same. */
  g_object_set (fx->sync, "timeout", 5, "backoff-base", 20, "backoff-cap", 200,
                "max-attempts", 12, "batch-size", 50, NULL);
  return fx;
}

static void
fx_free (Fx *fx)
{
  g_clear_object (&fx->sync);
  g_clear_object (&fx->store);
  g_clear_pointer (&fx->server, tt_test_server_free);
  g_free (fx->dir);
  g_free (fx->route_file);
  g_free (fx->server_db);
  g_free (fx->data_dir);
  g_free (fx);
}

typedef struct
{
  gboolean      done;
  gboolean      ok;
  GError       *error;
  TtSyncReport  report;
} Result;

static void
enroll_cb (GObject      *source,
           GAsyncResult *res,
           gpointer      data)
{
  Result *r = data;

  r->ok = tt_sync_enroll_finish (TT_SYNC (source), res, &r->error);
  r->done = TRUE;
}

static gboolean
fx_enroll_uri (Fx         *fx,
               const char *uri,
               GError    **error)
{
  Result r = { 0 };

  tt_sync_enroll_async (fx->sync, uri, NULL, NULL, enroll_cb, &r);
  tt_test_wait_for (&r.done, 30);
  if (r.error)
    g_propagate_error (error, r.error);
  return r.ok;
}

static void
fx_enroll (Fx *fx)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (fx_enroll_uri (fx, g_ptr_array_index (fx->server->enroll_uris, 0), &error));
  g_assert_no_error (error);
  g_assert_true (tt_sync_is_enrolled (fx->sync));
}

static void
sync_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      data)
{
  Result *r = data;

  r->ok = tt_sync_run_finish (TT_SYNC (source), res, &r->report, &r->error);
  r->done = TRUE;
}

static gboolean
fx_sync (Fx           *fx,
         TtSyncReport *report,
         GError      **error)
{
  Result r = { 0 };

  tt_sync_run_async (fx->sync, NULL, sync_cb, &r);
  tt_test_wait_for (&r.done, 90);
  *report = r.report;
  if (r.error)
    g_propagate_error (error, r.error);
  return r.ok;
}

/* A realistic proof of delivery: fix, identity result, money and a
 * signature of about 1 KB. */
static char *
make_payload (guint i)
{
  g_autoptr(GString) strokes = g_string_new (NULL);

  for (guint k = 0; strokes->len < 1000; k++)
    g_string_append_printf (strokes, "%u,%u;", (i * 7 + k * 13) % 360, (i * 3 + k * 29) % 180);
  return g_strdup_printf ("{\"fix\":{\"lat\":21.03%02u,\"lon\":105.84%02u,\"accuracy_m\":8.5,"
                          "\"mode\":\"3d\"},\"identity\":\"match\",\"id_last4\":\"34%02u\","
                          "\"collected_vnd\":%u,\"receiver\":\"Người nhận %u\","
                          "\"signature\":\"%s\"}",
                          i % 100, (i * 7) % 100, i % 100, 25000 + i * 1000, i, strokes->str);
}

static void
fx_record (Fx         *fx,
           guint       n,
           const char *type)
{
  g_autoptr(GPtrArray) items = tt_store_list_items (fx->store, NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *payload = make_payload (i);
      const char *item = items && items->len ? ((TtItem *) g_ptr_array_index (items, i % items->len))->id
                                             : "RR123456785VN";
      g_autoptr(TtEvent) e = tt_store_append_event (fx->store, type ? type : TT_EVENT_DELIVERED, item,
                                                    payload, &error);

      g_assert_no_error (error);
      g_assert_nonnull (e);
    }
}

/* The server holds exactly @n events of this device, in an unbroken
 * chain, and the device has nothing left to send. */
static void
fx_assert_exactly_once (Fx    *fx,
                        guint  n)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtServerDb) db = tt_server_db_open (fx->server_db, &error);
  g_autofree char *summary = NULL;
  guint held = 0;

  g_assert_no_error (error);
  g_assert_cmpuint (tt_server_db_count_events (db, tt_sync_get_device_id (fx->sync)), ==, n);
  g_assert_cmpuint (tt_server_db_count_events (db, NULL), ==, n);
  g_assert_true (tt_server_db_check_chain (db, tt_sync_get_device_id (fx->sync), &held, &summary));
  g_assert_cmpuint (held, ==, n);
  g_assert_cmpuint (tt_store_count_events (fx->store, TT_EVENT_STATE_PENDING), ==, 0);
  g_assert_cmpuint (tt_store_count_events (fx->store, TT_EVENT_STATE_ACKNOWLEDGED), ==, n);
  g_assert_cmpuint (tt_store_count_events (fx->store, TT_EVENT_STATE_QUARANTINED), ==, 0);
}

static void
fx_first_pull (Fx *fx)
{
  g_autoptr(GError) error = NULL;
  TtSyncReport report;

  g_assert_true (fx_sync (fx, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.manifest, ==, TT_SYNC_MANIFEST_UPDATED);
  g_assert_cmpuint (report.items, ==, 40);
}

static void
test_end_to_end (void)
{
  Fx *fx = fx_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) local = NULL;
  TtSyncReport report;

  g_assert_cmpint (tt_sync_get_state (fx->sync), ==, TT_SYNC_STATE_NOT_ENROLLED);
  fx_enroll (fx);
  g_assert_cmpint (tt_sync_get_state (fx->sync), ==, TT_SYNC_STATE_IDLE);
  fx_first_pull (fx);
  g_assert_cmpuint (tt_store_count_items (fx->store), ==, 40);

  fx_record (fx, 200, NULL);
  g_assert_cmpuint (tt_sync_get_pending (fx->sync), ==, 200);
  g_assert_true (fx_sync (fx, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.pushed, ==, 200);
  g_assert_cmpuint (report.acknowledged, ==, 200);
  g_assert_cmpuint (report.rejected, ==, 0);
  g_assert_cmpint (report.manifest, ==, TT_SYNC_MANIFEST_NOT_MODIFIED);
  fx_assert_exactly_once (fx, 200);
  g_assert_nonnull (tt_sync_get_last_sync (fx->sync));
  g_assert_null (tt_sync_get_last_error (fx->sync));

  /* The local chain is what the server holds. */
  local = tt_store_list_events (fx->store, -1, 0, &error);
  g_assert_true (tt_event_verify_chain (local, NULL, NULL, &error));

  g_assert_true (fx_sync (fx, &report, &error));
  g_assert_cmpint (report.manifest, ==, TT_SYNC_MANIFEST_NOT_MODIFIED);
  g_assert_cmpuint (report.pushed, ==, 0);
  fx_free (fx);
}

/* Each fault ends with every event on the server exactly once. */
static void
run_fault (const char *fault,
           guint       n_events,
           guint       timeout_s,
           gint64      min_ms,
           guint       min_retries)
{
  Fx *fx = fx_new (fault);
  g_autoptr(GError) error = NULL;
  TtSyncReport report;
  gint64 start;

  fx_enroll (fx);
  fx_first_pull (fx);
  fx_record (fx, n_events, NULL);
  if (timeout_s)
    g_object_set (fx->sync, "timeout", timeout_s, NULL);

  start = g_get_monotonic_time ();
  g_assert_true (fx_sync (fx, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint ((g_get_monotonic_time () - start) / 1000, >=, min_ms);
  g_assert_cmpuint (report.rejected, ==, 0);
  g_assert_cmpuint (report.pushed, ==, n_events);
  g_assert_cmpuint (report.retries, >=, min_retries);
  fx_assert_exactly_once (fx, n_events);
  fx_free (fx);
}

static void
test_fault_500 (void)
{
  run_fault ("500:4", 120, 0, 0, 4);
}

static void
test_fault_retry_after (void)
{
  /* Backoff alone would wait milliseconds here: the 2 s come from the
   * server's Retry-After. */
  run_fault ("429:1:1,503:1:1", 60, 0, 2000, 2);
}

static void
test_fault_drop (void)
{
  run_fault ("drop:3", 120, 0, 0, 3);
}

static void
test_fault_delay (void)
{
  run_fault ("delay:2:2500", 60, 1, 2000, 2);
}

static void
test_fault_captive_portal (void)
{
  run_fault ("html:3", 60, 0, 0, 3);
}

/* After a quick first batch the rest of a window goes out over two
 * connections; every kind of fault on either, across two outbox windows
 * (1,000 events each), still ends with each event stored once. */
static void
test_fault_two_connections (void)
{
  run_fault ("ok:1,500:2,drop:2,delay:1:1500,ok:3,503:1:1,ok:20,drop:1", 1100, 1, 1000, 6);
}

/* When one connection gives up, the other is stopped, the sync fails
 * with the reason, and what was acknowledged stays acknowledged; the next
 * sync sends the rest. */
static void
test_lane_gives_up (void)
{
  Fx *fx = fx_new ("ok:1,500:12");
  g_autoptr(GError) error = NULL;
  TtSyncReport report;
  guint acked;

  fx_enroll (fx);
  fx_first_pull (fx);
  fx_record (fx, 300, NULL);
  g_object_set (fx->sync, "max-attempts", 3, NULL);

  g_assert_false (fx_sync (fx, &report, &error));
  g_assert_nonnull (error);
  g_assert_false (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED));
  acked = tt_store_count_events (fx->store, TT_EVENT_STATE_ACKNOWLEDGED);
  g_assert_cmpuint (acked, >=, 50);
  g_assert_cmpuint (acked + tt_store_count_events (fx->store, TT_EVENT_STATE_PENDING), ==, 300);
  g_clear_error (&error);

  /* The server's faults are used up by now. */
  g_object_set (fx->sync, "max-attempts", 12, NULL);
  g_assert_true (fx_sync (fx, &report, &error));
  g_assert_no_error (error);
  fx_assert_exactly_once (fx, 300);
  fx_free (fx);
}

static gboolean
kill_server_cb (gpointer data)
{
  Fx *fx = data;

  /* The first batch is stored and its answer held back: kill now. */
  tt_test_server_stop (fx->server, TRUE);
  return G_SOURCE_REMOVE;
}

static void
test_server_restart (void)
{
  Fx *fx = fx_new ("delay:1:5000");
  Result r = { 0 };
  guint port = fx->server->port;
  g_autoptr(TtServerDb) db = NULL;
  g_autoptr(GError) error = NULL;
  TtTestServer *old;

  fx_enroll (fx);
  fx_first_pull (fx);
  fx_record (fx, 150, NULL);
  g_object_set (fx->sync, "timeout", 10, NULL);

  tt_sync_run_async (fx->sync, NULL, sync_cb, &r);
  g_timeout_add (700, kill_server_cb, fx);
  while (fx->server->process != NULL)
    g_main_context_iteration (NULL, TRUE);

  /* Part of the outbox reached the server before it died … */
  db = tt_server_db_open (fx->server_db, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tt_server_db_count_events (db, NULL), ==, 50);
  g_assert_cmpuint (tt_store_count_events (fx->store, TT_EVENT_STATE_PENDING), ==, 150);

  /* … and the same server comes back on the same port. */
  old = fx->server;
  fx->server = tt_test_server_start (fx->server_db, port, NULL);
  tt_test_server_free (old);
  tt_test_wait_for (&r.done, 60);
  g_assert_no_error (r.error);
  g_assert_true (r.ok);
  fx_assert_exactly_once (fx, 150);
  fx_free (fx);
}

static gboolean
cancel_cb (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

/* A sync stopped during a long backoff ends at once, keeps what was
 * acknowledged and reports no failure. */
static void
test_cancel (void)
{
  Fx *fx = fx_new ("ok:1,500:100");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  Result r = { 0 };
  gint64 start;

  fx_enroll (fx);
  fx_first_pull (fx);
  fx_record (fx, 80, NULL);
  g_object_set (fx->sync, "batch-size", 50, "backoff-base", 30000, "backoff-cap", 30000, NULL);
  tt_sync_run_async (fx->sync, cancellable, sync_cb, &r);
  g_timeout_add (500, cancel_cb, cancellable);
  start = g_get_monotonic_time ();
  tt_test_wait_for (&r.done, 10);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);
  /* The first batch was acknowledged before the stop: it is saved. */
  g_assert_cmpuint (tt_store_count_events (fx->store, TT_EVENT_STATE_ACKNOWLEDGED), ==, 50);
  g_assert_cmpuint (tt_store_count_events (fx->store, TT_EVENT_STATE_PENDING), ==, 30);
  g_assert_cmpint (tt_sync_get_state (fx->sync), ==, TT_SYNC_STATE_IDLE);
  g_assert_null (tt_sync_get_last_error (fx->sync));
  fx_free (fx);
}

static void
test_server_down (void)
{
  Fx *fx = fx_new (NULL);
  g_autoptr(GError) error = NULL;
  TtSyncReport report;

  fx_enroll (fx);
  fx_first_pull (fx);
  fx_record (fx, 10, NULL);
  tt_test_server_stop (fx->server, FALSE);
  g_object_set (fx->sync, "max-attempts", 3, NULL);

  g_assert_false (fx_sync (fx, &report, &error));
  g_assert_error (error, TT_SYNC_ERROR, TT_SYNC_ERROR_NETWORK);
  g_assert_cmpint (tt_sync_get_state (fx->sync), ==, TT_SYNC_STATE_ERROR);
  g_assert_nonnull (strstr (tt_sync_get_last_error (fx->sync), "cannot be reached"));
  /* Nothing left the outbox. */
  g_assert_cmpuint (tt_store_count_events (fx->store, TT_EVENT_STATE_PENDING), ==, 10);
  g_assert_cmpuint (tt_sync_get_pending (fx->sync), ==, 10);
  fx_free (fx);
}

static void
test_rejected_quarantined (void)
{
  Fx *fx = fx_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) quarantined = NULL;
  g_autoptr(TtServerDb) db = NULL;
  g_autofree char *summary = NULL;
  TtSyncReport report;
  TtEvent *bad;

  fx_enroll (fx);
  fx_first_pull (fx);
  fx_record (fx, 20, NULL);
  fx_record (fx, 1, "teleported");     /* a type the server does not know */
  fx_record (fx, 20, NULL);

  g_assert_true (fx_sync (fx, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (report.acknowledged, ==, 40);
  g_assert_cmpuint (report.rejected, ==, 1);
  g_assert_cmpuint (tt_store_count_events (fx->store, TT_EVENT_STATE_PENDING), ==, 0);

  quarantined = tt_store_list_events (fx->store, TT_EVENT_STATE_QUARANTINED, 0, &error);
  g_assert_cmpuint (quarantined->len, ==, 1);
  bad = g_ptr_array_index (quarantined, 0);
  g_assert_cmpstr (bad->type, ==, "teleported");
  g_assert_nonnull (strstr (bad->reason, "not known"));

  /* The server sees the hole the rejected event left in the chain. */
  db = tt_server_db_open (fx->server_db, &error);
  g_assert_cmpuint (tt_server_db_count_events (db, NULL), ==, 40);
  g_assert_false (tt_server_db_check_chain (db, tt_sync_get_device_id (fx->sync), NULL, &summary));
  g_assert_nonnull (strstr (summary, "event 21 missing"));
  fx_free (fx);
}

static char *
items_fingerprint (TtStore *store)
{
  g_autoptr(GPtrArray) items = tt_store_list_items (store, NULL);
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *route = tt_store_get_meta (store, "route_id");

  g_string_append_printf (s, "%s:", route);
  for (guint i = 0; i < items->len; i++)
    {
      TtItem *it = g_ptr_array_index (items, i);

      g_string_append_printf (s, "%s|%s|%d;", it->id, it->recipient_name, it->status);
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
test_bad_manifest (gconstpointer data)
{
  Fx *fx = fx_new (data);
  g_autoptr(GError) error = NULL;
  g_autofree char *local = tt_test_make_manifest (5, 99, "R-LOCAL");
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  TtSyncReport report;

  /* The courier already has a route when a bad download comes. */
  g_assert_true (tt_store_load_manifest (fx->store, local, -1, &error));
  before = items_fingerprint (fx->store);
  fx_enroll (fx);
  fx_record (fx, 3, NULL);

  g_assert_false (fx_sync (fx, &report, &error));
  g_assert_error (error, TT_SYNC_ERROR, TT_SYNC_ERROR_MANIFEST);
  g_assert_nonnull (strstr (error->message, "unchanged"));
  g_assert_cmpint (report.manifest, ==, TT_SYNC_MANIFEST_FAILED);
  after = items_fingerprint (fx->store);
  g_assert_cmpstr (before, ==, after);
  g_assert_cmpstr (tt_sync_get_last_error (fx->sync), ==, error->message);
  /* The events still went out. */
  g_assert_cmpuint (report.acknowledged, ==, 3);

  g_clear_error (&error);
  g_assert_true (fx_sync (fx, &report, &error));
  g_assert_cmpint (report.manifest, ==, TT_SYNC_MANIFEST_UPDATED);
  g_assert_cmpuint (tt_store_count_items (fx->store), ==, 40);
  fx_free (fx);
}

static void
test_tls (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *subj = NULL;
  g_autoptr(GError) error = NULL;
  const char *openssl[] = {
    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
    "-keyout", key, "-out", cert, NULL
  };
  g_autoptr(GSubprocess) gen = g_subprocess_newv (openssl, G_SUBPROCESS_FLAGS_STDERR_SILENCE, &error);
  Fx *fx;
  TtSyncReport report;

  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (gen, NULL, &error));
  g_assert_no_error (error);

  fx = g_new0 (Fx, 1);
  {
    g_autofree char *manifest = tt_test_make_manifest (40, 7, "R-TLS");
    g_autofree char *db = NULL;
    const char *args[] = { "--demo", "--demo-route", NULL, "--tls-cert", cert, "--tls-key", key, NULL };

    fx->dir = g_strdup (dir);
    fx->route_file = g_build_filename (dir, "route.json", NULL);
    fx->server_db = g_build_filename (dir, "server.db", NULL);
    fx->data_dir = g_build_filename (dir, "device", NULL);
    g_assert_true (g_file_set_contents (fx->route_file, manifest, -1, NULL));
    args[2] = fx->route_file;
    fx->server = tt_test_server_start (fx->server_db, 0, args);
    g_assert_true (g_str_has_prefix (fx->server->url, "https://"));
    db = tt_store_default_path (fx->data_dir);
    fx->store = tt_store_open (db, &error);
    fx->sync = tt_sync_new (fx->store, fx->data_dir);
    g_object_set (fx->sync, "timeout", 5, "backoff-base", 20, "backoff-cap", 100, NULL);
  }

  /* A self-signed certificate is refused, and the refusal says so. */
  g_assert_false (fx_enroll_uri (fx, g_ptr_array_index (fx->server->enroll_uris, 0), &error));
  g_assert_error (error, TT_SYNC_ERROR, TT_SYNC_ERROR_TLS);
  g_assert_nonnull (strstr (error->message, "not trusted"));
  g_assert_false (tt_sync_is_enrolled (fx->sync));
  g_clear_error (&error);

  /* Trusting the office's own authority (setting ca-file) works. */
  g_object_set (fx->sync, "ca-file", cert, NULL);
  fx_enroll (fx);
  g_assert_true (fx_sync (fx, &report, &error));
  g_assert_no_error (error);
  g_assert_cmpint (report.manifest, ==, TT_SYNC_MANIFEST_UPDATED);
  fx_free (fx);
}

static void
test_token_file (void)
{
  Fx *fx = fx_new (NULL);
  g_autofree char *path = NULL;
  GStatBuf st;

  fx_enroll (fx);
  path = g_build_filename (fx->data_dir, "sync-token", NULL);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  fx_free (fx);
}

static void
test_enroll_bad_input (void)
{
  static const struct { const char *uri; const char *expect; } bad[] = {
    { "https://example.com/enroll?code=X", "not an enrollment code" },
    { "tantay://enroll?code=ABCD", "lacks" },
    { "tantay://enroll?server=https%3A%2F%2Fexample.com", "lacks" },
    { "tantay://enroll?server=ftp%3A%2F%2Fexample.com&code=A", "not a server address" },
    { "tantay://enroll?server=http%3A%2F%2Fexample.com&code=A", "not encrypted" },
    { "RR123456785VN", "not an enrollment code" },
  };
  Fx *fx = fx_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *server = NULL, *code = NULL;
  TtSyncReport report;
  const char *uri;

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (fx_enroll_uri (fx, bad[i].uri, &error));
      g_assert_error (error, TT_SYNC_ERROR, TT_SYNC_ERROR_BAD_ENROLLMENT);
      g_assert_nonnull (strstr (error->message, bad[i].expect));
      g_clear_error (&error);
    }
  g_assert_true (tt_sync_parse_enroll_uri ("tantay://enroll?server=http%3A%2F%2F127.0.0.1%3A9%2F&code=AB-CD",
                                           &server, &code, &error));
  g_assert_cmpstr (server, ==, "http://127.0.0.1:9");
  g_assert_cmpstr (code, ==, "AB-CD");

  /* A code works once. */
  uri = g_ptr_array_index (fx->server->enroll_uris, 0);
  fx_enroll (fx);
  g_assert_false (fx_enroll_uri (fx, uri, &error));
  g_assert_error (error, TT_SYNC_ERROR, TT_SYNC_ERROR_REFUSED);
  g_assert_nonnull (strstr (error->message, "already been used"));
  /* The first enrollment still stands. */
  g_assert_true (tt_sync_is_enrolled (fx->sync));
  g_clear_error (&error);
  g_assert_true (fx_sync (fx, &report, &error));
  g_assert_no_error (error);
  fx_free (fx);
}

static void
test_not_enrolled (void)
{
  Fx *fx = fx_new (NULL);
  g_autoptr(GError) error = NULL;
  TtSyncReport report;

  g_assert_false (fx_sync (fx, &report, &error));
  g_assert_error (error, TT_SYNC_ERROR, TT_SYNC_ERROR_NOT_ENROLLED);
  g_assert_cmpint (tt_sync_get_state (fx->sync), ==, TT_SYNC_STATE_NOT_ENROLLED);
  fx_free (fx);
}

static void
pending_cb (GObject    *object,
            GParamSpec *pspec,
            gboolean   *empty)
{
  *empty = tt_sync_get_pending (TT_SYNC (object)) == 0;
}

/* Delivered items leave the device after the retention period counted
 * from the server's acknowledgement, never before. */
static void
test_retention (void)
{
  Fx *fx = fx_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  TtItem *delivered, *failed;
  TtSyncReport report;

  fx_enroll (fx);
  fx_first_pull (fx);
  items = tt_store_list_items (fx->store, &error);
  delivered = g_ptr_array_index (items, 0);
  failed = g_ptr_array_index (items, 1);
  {
    g_autoptr(TtEvent) a = tt_store_append_event_full (fx->store, TT_EVENT_DELIVERED, delivered->id,
                                                       "{}", TT_ITEM_STATUS_DELIVERED, FALSE, &error);
    g_autoptr(TtEvent) b = tt_store_append_event_full (fx->store, TT_EVENT_FAILED, failed->id,
                                                       "{\"reason\":\"absent\"}", TT_ITEM_STATUS_FAILED,
                                                       TRUE, &error);

    g_assert_no_error (error);
  }

  /* The default 30 days: nothing goes. */
  g_assert_true (fx_sync (fx, &report, &error));
  g_assert_cmpuint (tt_store_count_items (fx->store), ==, 40);

  /* Retention 0: the acknowledged delivery goes, the failed item stays. */
  g_object_set (fx->sync, "retention-days", 0, NULL);
  {
    g_autoptr(TtEvent) c = tt_store_append_event (fx->store, TT_EVENT_OUT_FOR_DELIVERY, failed->id, "{}",
                                                  &error);
  }
  g_assert_true (fx_sync (fx, &report, &error));
  g_assert_cmpuint (tt_store_count_items (fx->store), ==, 39);
  {
    g_autoptr(TtItem) gone = tt_store_get_item (fx->store, delivered->id, NULL);
    g_autoptr(TtItem) kept = tt_store_get_item (fx->store, failed->id, NULL);

    g_assert_null (gone);
    g_assert_nonnull (kept);
  }
  fx_assert_exactly_once (fx, 3);
  fx_free (fx);
}

static void
test_auto_sync (void)
{
  Fx *fx = fx_new (NULL);
  gboolean empty = FALSE;

  fx_enroll (fx);
  fx_first_pull (fx);
  g_object_set (fx->sync, "auto-sync", TRUE, NULL);
  g_signal_connect (fx->sync, "notify::pending", G_CALLBACK (pending_cb), &empty);
  /* A new event goes out by itself, shortly after it is recorded. */
  fx_record (fx, 5, NULL);
  g_assert_false (empty);
  tt_test_wait_for (&empty, 20);
  fx_assert_exactly_once (fx, 5);
  fx_free (fx);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sync/end-to-end", test_end_to_end);
  g_test_add_func ("/sync/fault/500", test_fault_500);
  g_test_add_func ("/sync/fault/retry-after", test_fault_retry_after);
  g_test_add_func ("/sync/fault/dropped-after-store", test_fault_drop);
  g_test_add_func ("/sync/fault/delay-past-timeout", test_fault_delay);
  g_test_add_func ("/sync/fault/captive-portal", test_fault_captive_portal);
  g_test_add_func ("/sync/fault/two-connections", test_fault_two_connections);
  g_test_add_func ("/sync/fault/lane-gives-up", test_lane_gives_up);
  g_test_add_func ("/sync/fault/server-restart", test_server_restart);
  g_test_add_func ("/sync/fault/server-down", test_server_down);
  g_test_add_func ("/sync/cancel", test_cancel);
  g_test_add_func ("/sync/rejected-quarantined", test_rejected_quarantined);
  g_test_add_data_func ("/sync/bad-manifest/torn", "manifest-torn:1", test_bad_manifest);
  g_test_add_data_func ("/sync/bad-manifest/html", "manifest-html:1", test_bad_manifest);
  g_test_add_func ("/sync/tls-self-signed", test_tls);
  g_test_add_func ("/sync/token-file", test_token_file);
  g_test_add_func ("/sync/enroll-bad-input", test_enroll_bad_input);
  g_test_add_func ("/sync/not-enrolled", test_not_enrolled);
  g_test_add_func ("/sync/auto-sync", test_auto_sync);
  g_test_add_func ("/sync/retention", test_retention);
  return g_test_run ();
}
