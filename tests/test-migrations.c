/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The store opens a file left by every earlier schema version and brings
 * it up to date without losing anything. */
#include "config.h"

#include <sqlite3.h>

#include "tt-store.h"
#include "tt-test-util.h"

static int
user_version (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int v = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    v = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return v;
}

/* Version 0: a brand-new, empty file (as sqlite3 leaves it). */
static void
test_from_v0 (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "tantay.db", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autofree char *json = tt_test_make_manifest (3, 1, NULL);

  g_assert_true (g_file_set_contents (path, "", 0, NULL));
  store = tt_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (user_version (path), ==, TT_STORE_SCHEMA_VERSION);
  g_assert_true (tt_store_load_manifest (store, json, -1, &error));
  g_assert_cmpuint (tt_store_count_items (store), ==, 3);
}

/* Creates DIR/tantay.db from a frozen store's SQL and checks its version. */
static char *
make_frozen_store (const char *dir,
                   const char *name,
                   int         version)
{
  g_autofree char *sql_path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);
  g_autofree char *sql = NULL;
  char *path = g_build_filename (dir, "tantay.db", NULL);
  sqlite3 *db = NULL;

  g_assert_true (g_file_get_contents (sql_path, &sql, NULL, NULL));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (user_version (path), ==, version);
  return path;
}

static void
test_from_v1 (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *path = make_frozen_store (dir, "schema-v1.sql", 1);
  g_autofree char *route = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtItem) delivered = NULL;
  g_autoptr(TtItem) pickup = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(TtEvent) next = NULL;

  store = tt_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (user_version (path), ==, TT_STORE_SCHEMA_VERSION);

  /* Items, with their statuses, survive; new columns get their defaults. */
  route = tt_store_get_meta (store, "route_id");
  g_assert_cmpstr (route, ==, "R-2026-11-24-HN01");
  g_assert_cmpuint (tt_store_count_items (store), ==, 2);
  delivered = tt_store_get_item (store, "RR123456785VN", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (delivered->recipient_name, ==, "Nguyễn Văn Ánh");
  g_assert_cmpstr (delivered->district, ==, "Quận Hai Bà Trưng");
  g_assert_cmpint (delivered->status, ==, TT_ITEM_STATUS_DELIVERED);
  g_assert_cmpint (delivered->attempts, ==, 0);
  g_assert_cmpint (delivered->fee_vnd, ==, 100000);
  pickup = tt_store_get_item (store, "EE473124829VN", &error);
  g_assert_cmpint (pickup->kind, ==, TT_ITEM_KIND_PICKUP);
  g_assert_cmpstr (pickup->checklist[1], ==, "Bản sao căn cước công dân");
  g_assert_false (pickup->has_location);

  /* Events keep their states, and the chain goes on from the old ones. */
  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_ACKNOWLEDGED), ==, 1);
  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_PENDING), ==, 1);
  next = tt_store_append_event_full (store, TT_EVENT_FAILED, "EE473124829VN", "{}",
                                     TT_ITEM_STATUS_FAILED, TRUE, &error);
  g_assert_no_error (error);
  g_assert_cmpint (next->seq, ==, 3);
  events = tt_store_list_events (store, -1, 0, &error);
  g_assert_cmpuint (events->len, ==, 3);
  g_assert_true (tt_event_verify_chain (events, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Opening again is a no-op. */
  g_clear_object (&store);
  store = tt_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tt_store_count_items (store), ==, 2);
}

/* Version 2 kept the outbox state in the event rows; version 3 keeps it
 * apart.  Every state, reason and acknowledgement time comes across, the
 * old columns are gone and the chain goes on. */
static void
test_from_v2 (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *path = make_frozen_store (dir, "schema-v2.sql", 2);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtItem) failed = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(GPtrArray) set_aside = NULL;
  g_autoptr(TtEvent) next = NULL;
  const char *acks[] = { "9d8c7b6a-5f4e-4d3c-a2b1-0f9e8d7c6b5a", NULL };
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  store = tt_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (user_version (path), ==, TT_STORE_SCHEMA_VERSION);

  failed = tt_store_get_item (store, "EE473124829VN", &error);
  g_assert_no_error (error);
  g_assert_cmpint (failed->status, ==, TT_ITEM_STATUS_FAILED);
  g_assert_cmpint (failed->attempts, ==, 1);

  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_ACKNOWLEDGED), ==, 1);
  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_QUARANTINED), ==, 1);
  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_PENDING), ==, 1);
  set_aside = tt_store_list_events (store, TT_EVENT_STATE_QUARANTINED, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (set_aside->len, ==, 1);
  g_assert_cmpint (((TtEvent *) g_ptr_array_index (set_aside, 0))->seq, ==, 2);
  g_assert_cmpstr (((TtEvent *) g_ptr_array_index (set_aside, 0))->reason, ==,
                   "Event type “failed” is not known to this server — unknown-type");
  pending = tt_store_list_events (store, TT_EVENT_STATE_PENDING, 0, &error);
  g_assert_cmpuint (pending->len, ==, 1);
  g_assert_cmpstr (((TtEvent *) g_ptr_array_index (pending, 0))->payload, ==,
                   "{\"text\":\"Gọi lại sau 17 giờ\"}");

  /* The acknowledgement time moved with the state, and the old columns
   * are gone from the event rows. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT acked_at FROM outbox WHERE seq = 1", -1, &stmt,
                                       NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "2026-11-24T09:16:00.000000Z");
  sqlite3_finalize (stmt);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT state FROM events", -1, &stmt, NULL), !=,
                   SQLITE_OK);
  sqlite3_close (db);

  /* The store goes on working: a new event chains on, acknowledgements
   * and quarantines land in the right rows. */
  next = tt_store_append_event (store, TT_EVENT_NOT_ON_ROUTE, NULL, "{}", &error);
  g_assert_no_error (error);
  g_assert_cmpint (next->seq, ==, 4);
  g_assert_true (tt_store_mark_acknowledged (store, acks, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_ACKNOWLEDGED), ==, 2);
  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_PENDING), ==, 1);
  events = tt_store_list_events (store, -1, 0, &error);
  g_assert_cmpuint (events->len, ==, 4);
  g_assert_cmpint (((TtEvent *) g_ptr_array_index (events, 1))->state, ==,
                   TT_EVENT_STATE_QUARANTINED);
  g_assert_cmpint (((TtEvent *) g_ptr_array_index (events, 3))->state, ==, TT_EVENT_STATE_PENDING);
  g_assert_true (tt_event_verify_chain (events, NULL, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/migrations/from-v0", test_from_v0);
  g_test_add_func ("/migrations/from-v1", test_from_v1);
  g_test_add_func ("/migrations/from-v2", test_from_v2);

  return g_test_run ();
}
