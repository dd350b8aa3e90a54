/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Real processes: a writer commits events and reports each one on a pipe
 * once committed; it is killed with SIGKILL at random moments.  Every
 * reported event must be there afterwards, and the file must be sound. */
#include "config.h"

#include <glib-unix.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <sys/wait.h>

#include "tt-store.h"
#include "tt-test-util.h"

#define N_KILLS 25

static char *
tool_path (void)
{
  return g_test_build_filename (G_TEST_BUILT, "tt-store-tool", NULL);
}

/* Runs the writer for @ms milliseconds, SIGKILLs it, and adds every uuid
 * it reported to @reported. */
static void
run_and_kill (const char *db,
              guint       ms,
              GHashTable *reported)
{
  g_autofree char *tool = tool_path ();
  const char *argv[] = { tool, "write-events", db, NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  GPid pid;
  int out_fd, status;
  gint64 deadline;
  char buf[4096];

  g_spawn_async_with_pipes (NULL, (char **) argv, NULL, G_SPAWN_DO_NOT_REAP_CHILD, NULL, NULL,
                            &pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);

  g_unix_set_fd_nonblocking (out_fd, TRUE, NULL);
  deadline = g_get_monotonic_time () + ms * 1000;
  while (g_get_monotonic_time () < deadline)
    {
      ssize_t n = read (out_fd, buf, sizeof buf);
      if (n > 0)
        g_string_append_len (out, buf, n);
      else
        g_usleep (1000);
    }
  kill (pid, SIGKILL);
  waitpid (pid, &status, 0);
  g_spawn_close_pid (pid);
  g_assert_true (WIFSIGNALED (status));

  /* What was already in the pipe was reported before the kill. */
  g_unix_set_fd_nonblocking (out_fd, FALSE, NULL);
  for (;;)
    {
      ssize_t n = read (out_fd, buf, sizeof buf);
      if (n <= 0)
        break;
      g_string_append_len (out, buf, n);
    }
  close (out_fd);

  {
    g_auto(GStrv) lines = g_strsplit (out->str, "\n", -1);
    for (guint i = 0; lines[i]; i++)
      {
        const char *space = strchr (lines[i], ' ');
        /* A line cut by the kill has no newline after it: the last element. */
        if (space != NULL && lines[i + 1] != NULL && strlen (space + 1) == 36)
          g_hash_table_add (reported, g_strdup (space + 1));
      }
  }
}

static void
test_kill_at_random_moments (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "tantay.db", NULL);
  g_autoptr(GHashTable) reported = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) stored = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  GHashTableIter iter;
  gpointer key;
  sqlite3 *raw = NULL;
  sqlite3_stmt *stmt = NULL;

  for (guint i = 0; i < N_KILLS; i++)
    run_and_kill (db, g_test_rand_int_range (20, 160), reported);
  g_test_message ("%u events reported committed over %d kills",
                  g_hash_table_size (reported), N_KILLS);
  g_assert_cmpuint (g_hash_table_size (reported), >, N_KILLS);

  g_assert_cmpint (sqlite3_open_v2 (db, &raw, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (raw, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, "ok");
  sqlite3_finalize (stmt);
  sqlite3_close (raw);

  store = tt_store_open (db, &error);
  g_assert_no_error (error);
  events = tt_store_list_events (store, -1, 0, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < events->len; i++)
    g_hash_table_add (stored, ((TtEvent *) events->pdata[i])->uuid);

  g_hash_table_iter_init (&iter, reported);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (stored, key))
      g_error ("event %s was reported committed but is gone", (const char *) key);

  /* Nothing half-written either: the chain is unbroken. */
  g_assert_true (tt_event_verify_chain (events, NULL, NULL, &error));
  g_assert_no_error (error);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/durability/kill-at-random-moments", test_kill_at_random_moments);

  return g_test_run ();
}
