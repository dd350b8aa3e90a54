/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <sqlite3.h>

#include "tt-store.h"
#include "tt-test-util.h"

static TtStore *
open_fresh (char **out_path)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "tantay.db", NULL);
  g_autoptr(GError) error = NULL;
  TtStore *store = tt_store_open (path, &error);

  g_assert_no_error (error);
  g_assert_nonnull (store);
  if (out_path)
    *out_path = g_steal_pointer (&path);
  return store;
}

static char *
sql_text (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return value;
}

static void
count_cb (guint *n)
{
  (*n)++;
}

static void
test_open_creates_wal_store (void)
{
  g_autofree char *path = NULL;
  g_autoptr(TtStore) store = open_fresh (&path);
  g_autofree char *mode = sql_text (path, "PRAGMA journal_mode");
  g_autofree char *version = sql_text (path, "PRAGMA user_version");

  g_assert_cmpstr (mode, ==, "wal");
  g_assert_cmpint (atoi (version), ==, TT_STORE_SCHEMA_VERSION);
  g_assert_cmpuint (tt_store_count_items (store), ==, 0);
  g_assert_true (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_manifest_load_and_read (void)
{
  g_autoptr(TtStore) store = open_fresh (NULL);
  g_autofree char *json = tt_test_make_manifest (50, 7, "R-1");
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(TtItem) item = NULL;
  g_autofree char *route = NULL;
  guint route_changed = 0;
  TtItem *first;

  g_signal_connect_swapped (store, "route-changed", G_CALLBACK (count_cb), &route_changed);

  g_assert_true (tt_store_load_manifest (store, json, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (route_changed, ==, 1);
  g_assert_cmpuint (tt_store_count_items (store), ==, 50);

  items = tt_store_list_items (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, ==, 50);
  first = g_ptr_array_index (items, 0);
  g_assert_cmpint (first->seq, ==, 1);
  for (guint i = 1; i < items->len; i++)
    g_assert_cmpint (((TtItem *) items->pdata[i - 1])->seq, <, ((TtItem *) items->pdata[i])->seq);

  item = tt_store_get_item (store, first->id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (item->recipient_name, ==, first->recipient_name);
  g_assert_cmpstr (item->street, ==, first->street);
  g_assert_true (item->has_location);
  g_assert_cmpfloat_with_epsilon (item->lat, first->lat, 1e-9);
  g_assert_cmpint (item->postage_vnd, ==, first->postage_vnd);
  g_assert_cmpint (item->status, ==, TT_ITEM_STATUS_PENDING);
  g_assert_nonnull (item->search_key);

  /* Pickups keep their checklist. */
  for (guint i = 0; i < items->len; i++)
    {
      TtItem *it = g_ptr_array_index (items, i);
      if (it->kind == TT_ITEM_KIND_PICKUP)
        {
          g_assert_nonnull (it->checklist);
          g_assert_cmpuint (g_strv_length (it->checklist), ==, 3);
          g_assert_cmpstr (it->checklist[1], ==, "Bản sao căn cước công dân");
        }
    }

  route = tt_store_get_meta (store, "route_id");
  g_assert_cmpstr (route, ==, "R-1");

  g_clear_object (&item);
  item = tt_store_get_item (store, "RR999999990VN", &error);
  g_assert_null (item);
  g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND);
}

static void
test_events_chain_and_outbox (void)
{
  g_autoptr(TtStore) store = open_fresh (NULL);
  g_autofree char *json = tt_test_make_manifest (5, 1, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GPtrArray) pending = NULL;
  g_autoptr(TtItem) after = NULL;
  const char *acked[3] = { NULL, NULL, NULL };
  TtItem *item;

  g_assert_true (tt_store_load_manifest (store, json, -1, &error));
  items = tt_store_list_items (store, &error);
  item = g_ptr_array_index (items, 0);

  for (int i = 0; i < 5; i++)
    {
      g_autofree char *payload = g_strdup_printf ("{\"n\":%d,\"note\":\"Người nhận vắng nhà\"}", i);
      g_autoptr(TtEvent) e = NULL;

      if (i == 2)
        e = tt_store_append_event_full (store, TT_EVENT_FAILED, item->id, payload,
                                        TT_ITEM_STATUS_FAILED, TRUE, &error);
      else
        e = tt_store_append_event (store, "test", item->id, payload, &error);
      g_assert_no_error (error);
      g_assert_nonnull (e);
      g_assert_cmpint (e->seq, ==, i + 1);
      g_assert_cmpuint (strlen (e->uuid), ==, 36);
      g_assert_cmpstr (e->payload, ==, payload);
    }

  after = tt_store_get_item (store, item->id, &error);
  g_assert_cmpint (after->status, ==, TT_ITEM_STATUS_FAILED);
  g_assert_cmpint (after->attempts, ==, 1);

  events = tt_store_list_events (store, -1, 0, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (events->len, ==, 5);
  g_assert_cmpstr (((TtEvent *) events->pdata[0])->prev_hash, ==, TT_EVENT_GENESIS_HASH);
  g_assert_true (tt_event_verify_chain (events, NULL, NULL, &error));
  g_assert_no_error (error);

  /* Outbox: acknowledge two, quarantine one; nothing is deleted. */
  acked[0] = ((TtEvent *) events->pdata[0])->uuid;
  acked[1] = ((TtEvent *) events->pdata[1])->uuid;
  g_assert_true (tt_store_mark_acknowledged (store, acked, &error));
  g_assert_true (tt_store_mark_quarantined (store, ((TtEvent *) events->pdata[3])->uuid,
                                            "unknown item", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_ACKNOWLEDGED), ==, 2);
  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_QUARANTINED), ==, 1);
  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_PENDING), ==, 2);

  /* An acknowledged event cannot be quarantined afterwards. */
  g_assert_true (tt_store_mark_quarantined (store, acked[0], "late", &error));
  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_ACKNOWLEDGED), ==, 2);

  pending = tt_store_list_events (store, TT_EVENT_STATE_PENDING, 0, &error);
  g_assert_cmpuint (pending->len, ==, 2);
  g_assert_cmpint (((TtEvent *) pending->pdata[0])->seq, ==, 3);
  g_assert_cmpint (((TtEvent *) pending->pdata[1])->seq, ==, 5);

  g_clear_pointer (&events, g_ptr_array_unref);
  events = tt_store_list_events (store, TT_EVENT_STATE_QUARANTINED, 0, &error);
  g_assert_cmpstr (((TtEvent *) events->pdata[0])->reason, ==, "unknown item");
}

static void
test_event_wire_form_round_trip (void)
{
  g_autoptr(TtStore) store = open_fresh (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtEvent) e = tt_store_append_event (store, "test", NULL, "{\"a\":\"Huế\"}", &error);
  g_autoptr(JsonNode) node = tt_event_to_json (e);
  g_autofree char *text = json_to_string (node, FALSE);
  g_autoptr(JsonNode) parsed = json_from_string (text, &error);
  g_autoptr(TtEvent) back = tt_event_from_json (parsed, &error);
  g_autoptr(JsonNode) bad = json_from_string ("{\"id\":\"x\",\"seq\":\"1\"}", NULL);
  g_autoptr(TtEvent) none = NULL;

  g_assert_no_error (error);
  g_assert_cmpstr (back->uuid, ==, e->uuid);
  g_assert_null (back->item_id);
  g_assert_cmpstr (back->payload, ==, e->payload);
  g_assert_cmpstr (back->hash, ==, e->hash);
  g_assert_cmpint (back->seq, ==, 1);

  none = tt_event_from_json (bad, &error);
  g_assert_null (none);
  g_assert_error (error, TT_EVENT_ERROR, TT_EVENT_ERROR_INVALID);
}

static void
test_new_manifest_keeps_recorded_status (void)
{
  g_autoptr(TtStore) store = open_fresh (NULL);
  g_autofree char *json = tt_test_make_manifest (3, 3, "R-1");
  g_autofree char *id = tt_test_s10_id ("RR", 10000000);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtEvent) e = NULL;
  g_autoptr(TtItem) item = NULL;

  g_assert_true (tt_store_load_manifest (store, json, -1, &error));
  e = tt_store_append_event_full (store, TT_EVENT_DELIVERED, id, "{}",
                                  TT_ITEM_STATUS_DELIVERED, FALSE, &error);
  g_assert_no_error (error);

  /* The same route again, as the server had it before it heard of the
   * delivery: the device's record wins. */
  g_assert_true (tt_store_load_manifest (store, json, -1, &error));
  item = tt_store_get_item (store, id, &error);
  g_assert_cmpint (item->status, ==, TT_ITEM_STATUS_DELIVERED);
  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_PENDING), ==, 1);
}

static void
test_purge_only_acknowledged (void)
{
  g_autoptr(TtStore) store = open_fresh (NULL);
  g_autofree char *json = tt_test_make_manifest (3, 3, "R-1");
  g_autofree char *a = tt_test_s10_id ("RR", 10000000);
  g_autofree char *b = tt_test_s10_id ("RR", 10000001);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtEvent) ea = NULL;
  g_autoptr(TtEvent) eb = NULL;
  const char *ack[2] = { NULL, NULL };

  g_assert_true (tt_store_load_manifest (store, json, -1, &error));
  ea = tt_store_append_event_full (store, TT_EVENT_DELIVERED, a, "{}",
                                   TT_ITEM_STATUS_DELIVERED, FALSE, &error);
  eb = tt_store_append_event_full (store, TT_EVENT_DELIVERED, b, "{}",
                                   TT_ITEM_STATUS_DELIVERED, FALSE, &error);
  ack[0] = ea->uuid;
  g_assert_true (tt_store_mark_acknowledged (store, ack, &error));

  /* Acknowledged just now: a 30-day retention keeps it. */
  g_assert_true (tt_store_purge (store, 30, &error));
  g_assert_cmpuint (tt_store_count_items (store), ==, 3);

  /* With zero days the acknowledged delivery goes; the unacknowledged one
   * and the untouched item stay. */
  g_assert_true (tt_store_purge (store, 0, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tt_store_count_items (store), ==, 2);
  g_assert_null (tt_store_get_item (store, a, NULL));
  {
    g_autoptr(TtItem) kept = tt_store_get_item (store, b, &error);
    g_assert_nonnull (kept);
  }
  /* Events are never purged while unacknowledged. */
  g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_PENDING), ==, 1);
}

static void
test_meta (void)
{
  g_autoptr(TtStore) store = open_fresh (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *v1 = NULL;
  g_autofree char *v2 = NULL;

  g_assert_null (tt_store_get_meta (store, "etag"));
  g_assert_true (tt_store_set_meta (store, "etag", "\"abc\"", &error));
  v1 = tt_store_get_meta (store, "etag");
  g_assert_cmpstr (v1, ==, "\"abc\"");
  g_assert_true (tt_store_set_meta (store, "etag", "\"def\"", &error));
  v2 = tt_store_get_meta (store, "etag");
  g_assert_cmpstr (v2, ==, "\"def\"");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/store/open-creates-wal-store", test_open_creates_wal_store);
  g_test_add_func ("/store/manifest-load-and-read", test_manifest_load_and_read);
  g_test_add_func ("/store/events-chain-and-outbox", test_events_chain_and_outbox);
  g_test_add_func ("/store/event-wire-form", test_event_wire_form_round_trip);
  g_test_add_func ("/store/new-manifest-keeps-recorded-status",
                   test_new_manifest_keeps_recorded_status);
  g_test_add_func ("/store/purge-only-acknowledged", test_purge_only_acknowledged);
  g_test_add_func ("/store/meta", test_meta);

  return g_test_run ();
}
