/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A small program the durability and full-disk tests run as a separate,
 * killable process against a real store. */
#include "config.h"

#include <sqlite3.h>
#include <stdio.h>

#include "tt-store.h"
#include "tt-test-util.h"

/* Appends events forever, printing "seq uuid" once each is committed. */
static int
write_events (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autofree char *json = tt_test_make_manifest (20, 5, NULL);

  if (store == NULL)
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  if (tt_store_count_items (store) == 0 && !tt_store_load_manifest (store, json, -1, &error))
    {
      fprintf (stderr, "%s\n", error->message);
      return 1;
    }
  for (guint n = 0;; n++)
    {
      g_autofree char *payload = g_strdup_printf (
          "{\"n\":%u,\"signature\":\"%0400u\",\"note\":\"Đã giao tận tay\"}", n, n);
      g_autoptr(TtEvent) e = tt_store_append_event (store, "test", NULL, payload, &error);

      if (e == NULL)
        {
          fprintf (stderr, "%s\n", error->message);
          return 1;
        }
      /* Only now is the event durable: report it. */
      printf ("%" G_GINT64_FORMAT " %s\n", e->seq, e->uuid);
      fflush (stdout);
    }
  return 0;
}

static int
integrity (const char *path)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int ok = 0;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) == SQLITE_OK
      && sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL) == SQLITE_OK
      && sqlite3_step (stmt) == SQLITE_ROW)
    ok = g_str_equal ((const char *) sqlite3_column_text (stmt, 0), "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return ok;
}

/* Fills the disk the store is on; then checks that nothing committed
 * before the disk filled up was lost.  Prints what it saw. */
static int
fill (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autoptr(GPtrArray) events = NULL;
  g_autofree char *json = tt_test_make_manifest (30, 5, NULL);
  g_autofree char *big = NULL;
  guint committed = 0;

  if (store == NULL || !tt_store_load_manifest (store, json, -1, &error))
    {
      printf ("setup-failed %s\n", error->message);
      return 1;
    }
  big = g_strnfill (3000, 'x');
  for (;;)
    {
      g_autofree char *payload = g_strdup_printf ("{\"n\":%u,\"pad\":\"%s\"}", committed, big);
      g_autoptr(TtEvent) e = tt_store_append_event (store, "test", NULL, payload, &error);

      if (e == NULL)
        break;
      committed++;
    }
  printf ("committed %u\n", committed);
  printf ("error-domain %s\n", g_quark_to_string (error->domain));
  printf ("error %s\n", error->message);
  g_clear_error (&error);

  /* A new route cannot be loaded either, and the old one stays. */
  {
    g_autofree char *bigger = tt_test_make_manifest (3000, 6, "R-NEW");
    g_autofree char *route = NULL;

    if (tt_store_load_manifest (store, bigger, -1, &error))
      printf ("manifest-loaded\n");
    else
      printf ("manifest-error %s\n", error->message);
    g_clear_error (&error);
    route = tt_store_get_meta (store, "route_id");
    printf ("route %s items %u\n", route, tt_store_count_items (store));
  }
  g_clear_object (&store);

  store = tt_store_open (path, &error);
  if (store == NULL)
    {
      printf ("reopen-failed %s\n", error->message);
      return 1;
    }
  events = tt_store_list_events (store, -1, 0, &error);
  printf ("events-after %u\n", events ? events->len : 0);
  printf ("chain %s\n", events && tt_event_verify_chain (events, NULL, NULL, NULL) ? "ok" : "broken");
  printf ("integrity %s\n", integrity (path) ? "ok" : "bad");
  return 0;
}

int
main (int   argc,
      char *argv[])
{
  if (argc == 3 && g_str_equal (argv[1], "write-events"))
    return write_events (argv[2]);
  if (argc == 3 && g_str_equal (argv[1], "fill"))
    return fill (argv[2]);
  fprintf (stderr, "usage: tt-store-tool write-events|fill DB\n");
  return 2;
}
