/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Pushes 1,000 proof-of-delivery events (each with a ~1 KB signature) to a
 * real tantay-server on loopback and prints events per second and bytes
 * per event on the wire, for several batch sizes.
 *
 *   TT_BUILD_ROOT=_build _build/bench/bench-sync */
#include "config.h"

#include <glib/gstdio.h>
#include <stdlib.h>
#include <unistd.h>

#include "tt-server-db.h"
#include "tt-store.h"
#include "tt-sync.h"
#include "tt-test-server.h"
#include "tt-test-util.h"

#define N_EVENTS 1000
#define ROUNDS   5

static int
compare_double (const void *a,
                const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return (x > y) - (x < y);
}

typedef struct
{
  gboolean     done;
  gboolean     ok;
  TtSyncReport report;
  GError      *error;
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

static void
sync_cb (GObject      *source,
         GAsyncResult *res,
         gpointer      data)
{
  Result *r = data;

  r->ok = tt_sync_run_finish (TT_SYNC (source), res, &r->report, &r->error);
  r->done = TRUE;
}

static Result
run_sync (TtSync *sync)
{
  Result r = { 0 };

  tt_sync_run_async (sync, NULL, sync_cb, &r);
  tt_test_wait_for (&r.done, 300);
  if (!r.ok)
    g_error ("sync failed: %s", r.error->message);
  return r;
}

/* CPU time (user + system) a process has used, in ms; -1 if unknown. */
static double
cpu_ms (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *after_name;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (after_name = strrchr (text, ')')) == NULL)
    return -1;
  /* After "pid (name)": state is field 3; utime and stime are 14 and 15. */
  fields = g_strsplit (after_name + 2, " ", -1);
  if (g_strv_length (fields) < 13)
    return -1;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL))
         * 1000.0 / sysconf (_SC_CLK_TCK);
}

static void
record (TtStore *store,
        GPtrArray *items,
        guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GString) strokes = g_string_new (NULL);
      g_autoptr(GError) error = NULL;
      g_autofree char *payload = NULL;
      g_autoptr(TtEvent) e = NULL;

      for (guint k = 0; strokes->len < 1000; k++)
        g_string_append_printf (strokes, "%u,%u;", (i * 7 + k * 13) % 360, (i * 3 + k * 29) % 180);
      payload = g_strdup_printf ("{\"fix\":{\"lat\":21.03%02u,\"lon\":105.84%02u,\"accuracy_m\":8.5},"
                                 "\"identity\":\"match\",\"id_last4\":\"34%02u\","
                                 "\"collected_vnd\":%u,\"signature\":\"%s\"}",
                                 i % 100, (i * 7) % 100, i % 100, 25000 + i, strokes->str);
      e = tt_store_append_event (store, TT_EVENT_DELIVERED,
                                 ((TtItem *) g_ptr_array_index (items, i % items->len))->id,
                                 payload, &error);
      if (e == NULL)
        g_error ("%s", error->message);
    }
}

static void
bench (const char *server_dir,
       const char *label)
{
  static const guint batch_sizes[] = { 100, 500 };
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *route = g_build_filename (dir, "route.json", NULL);
  g_autofree char *server_db = g_build_filename (server_dir ? server_dir : dir, "server.db", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "device", NULL);
  g_autofree char *store_path = tt_store_default_path (data_dir);
  g_autofree char *manifest = tt_test_make_manifest (40, 1, "R-BENCH");
  const char *args[] = { "--demo", "--demo-route", route, NULL };
  g_autoptr(TtTestServer) server = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtSync) sync = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  Result r = { 0 };

  g_file_set_contents (route, manifest, -1, NULL);
  server = tt_test_server_start (server_db, 0, args);
  store = tt_store_open (store_path, &error);
  g_assert_no_error (error);
  sync = tt_sync_new (store, data_dir);
  tt_sync_enroll_async (sync, g_ptr_array_index (server->enroll_uris, 0), NULL, NULL, enroll_cb, &r);
  tt_test_wait_for (&r.done, 30);
  g_assert_true (r.ok);
  run_sync (sync);
  items = tt_store_list_items (store, NULL);

  g_print ("%s\n", label);
  for (guint b = 0; b < G_N_ELEMENTS (batch_sizes); b++)
    {
      double rates[ROUNDS];
      double client_cpu = 0, server_cpu = 0;
      guint64 sent = 0, received = 0;

      /* The machine is shared: the median of a few rounds, and the best. */
      for (guint round = 0; round < ROUNDS; round++)
        {
          gint64 start, elapsed;
          Result res;

          record (store, items, N_EVENTS);
          g_object_set (sync, "batch-size", batch_sizes[b], NULL);
          double client_before = cpu_ms ("self");
          double server_before = cpu_ms (g_subprocess_get_identifier (server->process));

          start = g_get_monotonic_time ();
          res = run_sync (sync);
          elapsed = g_get_monotonic_time () - start;
          client_cpu += cpu_ms ("self") - client_before;
          server_cpu += cpu_ms (g_subprocess_get_identifier (server->process)) - server_before;
          g_assert_cmpuint (res.report.acknowledged, ==, N_EVENTS);
          rates[round] = N_EVENTS / (elapsed / 1e6);
          sent = res.report.bytes_sent;
          received = res.report.bytes_received;
        }
      qsort (rates, ROUNDS, sizeof rates[0], compare_double);
      g_print ("  batch %3u: median %6.0f events/s, best %6.0f events/s; "
               "%.0f bytes/event sent, %.0f bytes/event received\n",
               batch_sizes[b], rates[ROUNDS / 2], rates[ROUNDS - 1],
               (double) sent / N_EVENTS, (double) received / N_EVENTS);
      g_print ("             CPU per %d events: device %.0f ms, server %.0f ms\n", N_EVENTS,
               client_cpu / ROUNDS, server_cpu / ROUNDS);
    }
  {
    g_autoptr(TtServerDb) db = tt_server_db_open (server_db, &error);

    g_print ("  server holds %u events\n", tt_server_db_count_events (db, NULL));
  }
}

int
main (int   argc,
      char *argv[])
{
  if (g_getenv ("TT_BUILD_ROOT") == NULL)
    g_setenv ("TT_BUILD_ROOT", ".", FALSE);
  g_print ("bench-sync: %d events with ~1 KB signatures, real tantay-server on loopback, "
           "device store on disk\n", N_EVENTS);
  bench (NULL, "server database on disk (every batch fdatasync'ed before the answer):");
  /* The same with the server's disk out of the way: what the protocol
   * and the code cost. */
  if (g_file_test ("/dev/shm", G_FILE_TEST_IS_DIR))
    {
      g_autofree char *dir = g_strdup ("/dev/shm/tantay-bench-XXXXXX");
      static const char *const files[] = { "server.db", "server.db-wal", "server.db-shm",
                                           "server.db.log" };

      if (g_mkdtemp (dir) != NULL)
        {
          bench (dir, "server database in /dev/shm (memory):");
          for (guint i = 0; i < G_N_ELEMENTS (files); i++)
            {
              g_autofree char *f = g_build_filename (dir, files[i], NULL);

              g_remove (f);
            }
          g_rmdir (dir);
        }
    }
  return 0;
}
