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

static void
test_from_v1 (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "tantay.db", NULL);
  g_autofree char *sql_path = g_test_build_filename (G_TEST_DIST, "data", "schema-v1.sql", NULL);
  g_autofree char *sql = NULL;
  g_autofree char *route = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtItem) delivered = NULL;
  g_autoptr(TtItem) pickup = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(TtEvent) next = NULL;
  sqlite3 *db = NULL;

  g_assert_true (g_file_get_contents (sql_path, &sql, NULL, NULL));
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  g_assert_cmpint (user_version (path), ==, 1);

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

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/migrations/from-v0", test_from_v0);
  g_test_add_func ("/migrations/from-v1", test_from_v1);

  return g_test_run ();
}
