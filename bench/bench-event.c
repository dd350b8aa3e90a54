/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Recording an event through the store against a bare durable SQLite
 * insert of the same bytes (WAL, synchronous=FULL, one transaction per
 * row), in the same run and on the same disk. */
#include "config.h"

#include <glib/gstdio.h>
#include <sqlite3.h>
#include <stdio.h>

#include "tt-store.h"
#include "tt-test-util.h"

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return (x > y) - (x < y);
}

static void
report (const char *name,
        double     *us,
        guint       n)
{
  double total = 0;

  qsort (us, n, sizeof (double), cmp_double);
  for (guint i = 0; i < n; i++)
    total += us[i];
  printf ("%-22s median %8.1f us  p99 %8.1f us  mean %8.1f us\n", name, us[n / 2],
          us[(guint) (n * 0.99)], total / n);
}

int
main (int   argc,
      char *argv[])
{
  guint n = argc > 1 ? (guint) atoi (argv[1]) : 2000;
  const char *where = argc > 2 ? argv[2] : NULL;
  g_autofree char *dir = where ? g_strdup (where) : tt_test_make_tmpdir ();
  g_autofree char *store_path = g_build_filename (dir, "bench-store.db", NULL);
  g_autofree char *bare_path = g_build_filename (dir, "bench-bare.db", NULL);
  g_autofree char *payload = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autofree double *store_us = g_new (double, n);
  g_autofree double *bare_us = g_new (double, n);
  g_autofree char *sig = g_strnfill (1200, 'Q');
  sqlite3 *db = NULL;
  sqlite3_stmt *insert = NULL;

  /* A delivery event of typical size: fix, identity, money, signature. */
  payload = g_strdup_printf ("{\"fix\":{\"lat\":21.028511,\"lon\":105.804817,\"accuracy_m\":6.5,"
                             "\"satellites_used\":9,\"age_s\":2},\"distance_m\":41,"
                             "\"identity\":{\"result\":\"match\",\"last4\":\"3456\"},"
                             "\"money\":{\"due_vnd\":125000,\"collected_vnd\":125000},"
                             "\"signature\":\"%s\"}", sig);

  g_unlink (store_path);
  g_unlink (bare_path);
  store = tt_store_open (store_path, &error);
  g_assert_no_error (error);

  g_assert_cmpint (sqlite3_open (bare_path, &db), ==, SQLITE_OK);
  sqlite3_exec (db, "PRAGMA journal_mode=WAL; PRAGMA synchronous=FULL;"
                    "CREATE TABLE events (seq INTEGER PRIMARY KEY, uuid TEXT NOT NULL UNIQUE,"
                    " type TEXT, item_id TEXT, time TEXT, payload TEXT, prev_hash TEXT, hash TEXT,"
                    " state TEXT)", NULL, NULL, NULL);
  sqlite3_prepare_v2 (db, "INSERT INTO events VALUES (?,?,?,?,?,?,?,?, 'pending')", -1, &insert,
                      NULL);

  /* Alternate the two so that drift in the machine hits both alike. */
  for (guint i = 0; i < n; i++)
    {
      gint64 t = g_get_monotonic_time ();
      g_autoptr(TtEvent) e = tt_store_append_event (store, TT_EVENT_DELIVERED, "RR123456785VN",
                                                    payload, &error);
      g_assert_no_error (error);
      store_us[i] = g_get_monotonic_time () - t;

      t = g_get_monotonic_time ();
      sqlite3_exec (db, "BEGIN IMMEDIATE", NULL, NULL, NULL);
      sqlite3_reset (insert);
      sqlite3_bind_int64 (insert, 1, e->seq);
      sqlite3_bind_text (insert, 2, e->uuid, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 3, e->type, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 4, e->item_id, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 5, e->time, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 6, e->payload, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 7, e->prev_hash, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 8, e->hash, -1, SQLITE_STATIC);
      g_assert_cmpint (sqlite3_step (insert), ==, SQLITE_DONE);
      g_assert_cmpint (sqlite3_exec (db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
      bare_us[i] = g_get_monotonic_time () - t;
    }
  sqlite3_finalize (insert);
  sqlite3_close (db);

  printf ("events              %u, payload %zu bytes, folder %s\n", n, strlen (payload), dir);
  {
    g_autofree double *ratio = g_new (double, n);
    for (guint i = 0; i < n; i++)
      ratio[i] = store_us[i] / MAX (bare_us[i], 1.0);
    report ("store append", store_us, n);
    report ("bare durable insert", bare_us, n);
    qsort (ratio, n, sizeof (double), cmp_double);
    printf ("ratio store/bare      median %.2f (target <= 2)\n", ratio[n / 2]);
  }
  return 0;
}
