/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Every kind of bad input to the store gets a clear error naming the
 * problem, and nothing already saved is deleted or overwritten. */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>

#include "tt-store.h"
#include "tt-test-util.h"

static char *
new_db_path (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  return g_build_filename (dir, "tantay.db", NULL);
}

static void
assert_open_fails_untouched (const char *path,
                             int         code,
                             const char *must_say)
{
  g_autofree char *before = tt_test_file_checksum (path);
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);

  g_assert_null (store);
  g_assert_error (error, TT_STORE_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, must_say));
  g_assert_nonnull (strstr (error->message, path));
  after = tt_test_file_checksum (path);
  g_assert_cmpstr (before, ==, after);
}

static void
test_not_a_database (void)
{
  g_autofree char *path = new_db_path ();
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);
  guint8 garbage[8192];

  for (guint i = 0; i < sizeof garbage; i++)
    garbage[i] = g_rand_int (rand);
  g_assert_true (g_file_set_contents (path, (const char *) garbage, sizeof garbage, NULL));
  assert_open_fails_untouched (path, TT_STORE_ERROR_CORRUPT, "damaged");
}

static void
make_store_with_data (const char *path,
                      guint       n_items,
                      guint       n_events)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autofree char *json = tt_test_make_manifest (n_items, 9, NULL);

  g_assert_no_error (error);
  g_assert_true (tt_store_load_manifest (store, json, -1, &error));
  for (guint i = 0; i < n_events; i++)
    {
      g_autoptr(TtEvent) e = tt_store_append_event (store, "test", NULL, "{\"x\":1}", &error);
      g_assert_no_error (error);
    }
}

static void
test_truncated_database (void)
{
  g_autofree char *path = new_db_path ();
  g_autofree char *contents = NULL;
  gsize length;

  make_store_with_data (path, 2000, 50);
  g_assert_true (g_file_get_contents (path, &contents, &length, NULL));
  g_assert_cmpuint (length, >, 100000);
  /* Cut in the middle, as a copy that was interrupted would be. */
  g_assert_true (g_file_set_contents (path, contents, length / 2, NULL));
  assert_open_fails_untouched (path, TT_STORE_ERROR_CORRUPT, "damaged");
}

static void
test_newer_schema (void)
{
  g_autofree char *path = new_db_path ();
  sqlite3 *db = NULL;

  make_store_with_data (path, 3, 2);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "PRAGMA user_version = 99", NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);
  assert_open_fails_untouched (path, TT_STORE_ERROR_TOO_NEW, "newer version");
}

/* Manifests: each bad one is refused with its reason; the old route,
 * its statuses and the events stay exactly as they were. */
static void
test_bad_manifests (void)
{
  static const struct { const char *name; const char *json; const char *must_say; } cases[] = {
    { "invalid JSON", "{\"version\": 1, \"route\": {\"id\": \"R\"", "not valid JSON" },
    { "not an object", "[1, 2, 3]", "not a JSON object" },
    { "no version", "{\"route\": {\"id\": \"R\", \"date\": \"2026-11-25\"}, \"items\": []}", "version" },
    { "future version",
      "{\"version\": 7, \"route\": {\"id\": \"R\", \"date\": \"2026-11-25\"}, \"items\": []}", "version" },
    { "no items", "{\"version\": 1, \"route\": {\"id\": \"R\", \"date\": \"2026-11-25\"}}", "items" },
    { "route without id", "{\"version\": 1, \"route\": {\"date\": \"2026-11-25\"}, \"items\": []}",
      "“id”" },
    { "missing field",
      "{\"version\":1,\"route\":{\"id\":\"R\",\"date\":\"2026-11-25\"},\"items\":[{\"id\":\"RR123456785VN\","
      "\"kind\":\"delivery\",\"seq\":1,\"procedure\":\"P\",\"street\":\"S\",\"commune\":\"C\","
      "\"province\":\"H\"}]}",
      "Item 1 (RR123456785VN): field “recipient_name” is missing" },
    { "wrong type",
      "{\"version\":1,\"route\":{\"id\":\"R\",\"date\":\"2026-11-25\"},\"items\":[{\"id\":\"RR123456785VN\","
      "\"kind\":\"delivery\",\"seq\":\"one\",\"procedure\":\"P\",\"recipient_name\":\"A\",\"street\":\"S\","
      "\"commune\":\"C\",\"province\":\"H\"}]}",
      "field “seq” must be a whole number" },
    { "negative amount",
      "{\"version\":1,\"route\":{\"id\":\"R\",\"date\":\"2026-11-25\"},\"items\":[{\"id\":\"RR123456785VN\","
      "\"kind\":\"delivery\",\"seq\":1,\"procedure\":\"P\",\"recipient_name\":\"A\",\"street\":\"S\","
      "\"commune\":\"C\",\"province\":\"H\",\"fee_vnd\":-5}]}",
      "field “fee_vnd” is out of range" },
    { "unknown kind",
      "{\"version\":1,\"route\":{\"id\":\"R\",\"date\":\"2026-11-25\"},\"items\":[{\"id\":\"RR123456785VN\","
      "\"kind\":\"parcel\",\"seq\":1,\"procedure\":\"P\",\"recipient_name\":\"A\",\"street\":\"S\","
      "\"commune\":\"C\",\"province\":\"H\"}]}",
      "field “kind”" },
    { "latitude without longitude",
      "{\"version\":1,\"route\":{\"id\":\"R\",\"date\":\"2026-11-25\"},\"items\":[{\"id\":\"RR123456785VN\","
      "\"kind\":\"delivery\",\"seq\":1,\"procedure\":\"P\",\"recipient_name\":\"A\",\"street\":\"S\","
      "\"commune\":\"C\",\"province\":\"H\",\"lat\":21.0}]}",
      "field “lon” is missing" },
    { "duplicate ids",
      "{\"version\":1,\"route\":{\"id\":\"R\",\"date\":\"2026-11-25\"},\"items\":["
      "{\"id\":\"RR123456785VN\",\"kind\":\"delivery\",\"seq\":1,\"procedure\":\"P\",\"recipient_name\":\"A\","
      "\"street\":\"S\",\"commune\":\"C\",\"province\":\"H\"},"
      "{\"id\":\"RR123456785VN\",\"kind\":\"delivery\",\"seq\":2,\"procedure\":\"P\",\"recipient_name\":\"B\","
      "\"street\":\"S\",\"commune\":\"C\",\"province\":\"H\"}]}",
      "Item 2: item id RR123456785VN appears more than once" },
    { "item not an object",
      "{\"version\":1,\"route\":{\"id\":\"R\",\"date\":\"2026-11-25\"},\"items\":[\"RR123456785VN\"]}",
      "Item 1 is not a JSON object" },
  };
  g_autofree char *path = new_db_path ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autofree char *good = tt_test_make_manifest (40, 2, "R-GOOD");
  g_autofree char *first_id = tt_test_s10_id ("RR", 10000000);
  g_autoptr(TtEvent) e = NULL;

  g_assert_true (tt_store_load_manifest (store, good, -1, &error));
  e = tt_store_append_event_full (store, TT_EVENT_DELIVERED, first_id, "{}",
                                  TT_ITEM_STATUS_DELIVERED, FALSE, &error);
  g_assert_no_error (error);

  for (guint i = 0; i < G_N_ELEMENTS (cases) + 1; i++)
    {
      g_autofree char *route = NULL;
      g_autofree char *torn = NULL;
      g_autoptr(TtItem) item = NULL;
      const char *json, *must_say;

      if (i < G_N_ELEMENTS (cases))
        {
          json = cases[i].json;
          must_say = cases[i].must_say;
        }
      else
        {
          /* A download cut off in the middle. */
          torn = g_strndup (good, strlen (good) * 2 / 3);
          json = torn;
          must_say = "cut off";
        }

      g_assert_false (tt_store_load_manifest (store, json, -1, &error));
      g_assert_error (error, TT_STORE_ERROR, TT_STORE_ERROR_MANIFEST);
      g_test_message ("%s: %s", i < G_N_ELEMENTS (cases) ? cases[i].name : "torn", error->message);
      if (strstr (error->message, must_say) == NULL)
        g_error ("“%s” does not say “%s”", error->message, must_say);
      g_assert_nonnull (strstr (error->message, "current route is unchanged"));
      g_clear_error (&error);

      g_assert_cmpuint (tt_store_count_items (store), ==, 40);
      route = tt_store_get_meta (store, "route_id");
      g_assert_cmpstr (route, ==, "R-GOOD");
      item = tt_store_get_item (store, first_id, &error);
      g_assert_cmpint (item->status, ==, TT_ITEM_STATUS_DELIVERED);
      g_assert_cmpuint (tt_store_count_events (store, TT_EVENT_STATE_PENDING), ==, 1);
    }
}

/* A real full disk: a 1 MiB tmpfs in a private mount namespace. */
static void
test_full_disk (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *tool = g_test_build_filename (G_TEST_BUILT, "tt-store-tool", NULL);
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  const char *argv[] = {
    "unshare", "--mount", "--map-root-user", "sh", "-c",
    "mount -t tmpfs -o size=1m tmpfs \"$1\" && exec \"$2\" fill \"$1/tantay.db\"",
    "sh", dir, tool, NULL
  };
  int status;
  guint committed = 0, after = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status,
                &error);
  g_assert_no_error (error);
  g_test_message ("%s%s", out, err);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_assert_nonnull (strstr (out, "error-domain tt-store-error-quark"));
  g_assert_nonnull (strstr (out, "storage is full"));
  g_assert_nonnull (strstr (out, "manifest-error"));
  g_assert_nonnull (strstr (out, "route R-TEST items 30"));
  g_assert_nonnull (strstr (out, "chain ok"));
  g_assert_nonnull (strstr (out, "integrity ok"));
  g_assert_true (sscanf (strstr (out, "committed "), "committed %u", &committed) == 1);
  g_assert_true (sscanf (strstr (out, "events-after "), "events-after %u", &after) == 1);
  g_assert_cmpuint (committed, >, 10);
  g_assert_cmpuint (after, ==, committed);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/bad-input/not-a-database", test_not_a_database);
  g_test_add_func ("/bad-input/truncated-database", test_truncated_database);
  g_test_add_func ("/bad-input/newer-schema", test_newer_schema);
  g_test_add_func ("/bad-input/bad-manifests", test_bad_manifests);
  g_test_add_func ("/bad-input/full-disk", test_full_disk);

  return g_test_run ();
}
