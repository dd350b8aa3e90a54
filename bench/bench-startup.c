/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Cold start of the app to a drawn route list with a generated route, and
 * its peak memory.  Needs a display, e.g.:
 *
 *   GSK_RENDERER=cairo xvfb-run -a -s '-screen 0 720x1440x24' _build/bench/bench-startup [N_ITEMS] [RUNS]
 *
 * Each run starts `tantay --bench-startup`, which prints the time from its
 * start to the first frame that shows route rows, and its VmHWM. */
#include "config.h"

#include <stdlib.h>
#include <sys/resource.h>

#include "tt-store.h"
#include "tt-test-util.h"

typedef struct
{
  double wall_ms;     /* from spawn to the first drawn rows, seen from here */
  double app_ms;      /* the same, measured inside the app from main() */
  double cpu_ms;      /* user + system time of the whole run (to quit) */
  long   vmhwm_kb;
  long   vmrss_kb;
  long   rssanon_kb;
  long   rssfile_kb;
  guint  rows;
} Run;

static int
compare_double (gconstpointer a,
                gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static gboolean
run_app (const char *data_dir,
         Run        *run)
{
  const char *argv[] = { TANTAY_APP_PATH, "--data-dir", data_dir, "--bench-startup", NULL };
  g_autoptr(GSubprocess) proc = NULL;
  g_autoptr(GDataInputStream) in = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start = g_get_monotonic_time ();
  struct rusage before, after;
  char *line;

  getrusage (RUSAGE_CHILDREN, &before);
  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  if (proc == NULL)
    {
      g_printerr ("%s\n", error->message);
      return FALSE;
    }
  in = g_data_input_stream_new (g_subprocess_get_stdout_pipe (proc));
  memset (run, 0, sizeof *run);
  while ((line = g_data_input_stream_read_line_utf8 (in, NULL, NULL, NULL)) != NULL)
    {
      if (g_str_has_prefix (line, "first-frame-ms "))
        {
          run->wall_ms = (g_get_monotonic_time () - start) / 1000.0;
          run->app_ms = g_ascii_strtod (line + strlen ("first-frame-ms "), NULL);
        }
      else if (g_str_has_prefix (line, "rows "))
        run->rows = atoi (line + strlen ("rows "));
      else if (g_str_has_prefix (line, "vmhwm-kb "))
        run->vmhwm_kb = atol (line + strlen ("vmhwm-kb "));
      else if (g_str_has_prefix (line, "vmrss-kb "))
        run->vmrss_kb = atol (line + strlen ("vmrss-kb "));
      else if (g_str_has_prefix (line, "rssanon-kb "))
        run->rssanon_kb = atol (line + strlen ("rssanon-kb "));
      else if (g_str_has_prefix (line, "rssfile-kb "))
        run->rssfile_kb = atol (line + strlen ("rssfile-kb "));
      g_free (line);
    }
  if (!g_subprocess_wait_check (proc, NULL, &error))
    {
      g_printerr ("tantay: %s\n", error->message);
      return FALSE;
    }
  /* CPU time says what the start costs even on a busy machine, where the
   * wall-clock figures wait for other processes too. */
  getrusage (RUSAGE_CHILDREN, &after);
  run->cpu_ms = (after.ru_utime.tv_sec - before.ru_utime.tv_sec) * 1000.0
                + (after.ru_utime.tv_usec - before.ru_utime.tv_usec) / 1000.0
                + (after.ru_stime.tv_sec - before.ru_stime.tv_sec) * 1000.0
                + (after.ru_stime.tv_usec - before.ru_stime.tv_usec) / 1000.0;
  return run->wall_ms > 0;
}

int
main (int   argc,
      char *argv[])
{
  guint n_items = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  guint n_runs = argc > 2 ? (guint) atoi (argv[2]) : 5;
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "tantay.db", NULL);
  g_autofree char *json = tt_test_make_manifest_full (n_items, 1, "R-BENCH", TRUE);
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) wall = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) app = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  long max_hwm = 0, max_anon = 0;

  if (g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("No display: run under xvfb-run (see the top of bench/bench-startup.c)\n");
      return 2;
    }

  store = tt_store_open (db, &error);
  if (store == NULL || !tt_store_load_manifest (store, json, -1, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  g_clear_object (&store);

  g_print ("route: %u items; renderer: %s\n", n_items,
           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default");
  for (guint i = 0; i < n_runs; i++)
    {
      Run run;

      if (!run_app (dir, &run))
        return 1;
      g_print ("run %u: first rows drawn after %.1f ms (%.1f ms from main), CPU %.1f ms, "
               "%u rows, VmHWM %.1f MB, VmRSS %.1f MB (own %.1f MB + shared files %.1f MB)\n",
               i + 1, run.wall_ms, run.app_ms, run.cpu_ms, run.rows, run.vmhwm_kb / 1024.0,
               run.vmrss_kb / 1024.0, run.rssanon_kb / 1024.0, run.rssfile_kb / 1024.0);
      if (run.rows != n_items)
        {
          g_printerr ("The list showed %u items, not %u\n", run.rows, n_items);
          return 1;
        }
      g_array_append_val (wall, run.wall_ms);
      g_array_append_val (app, run.app_ms);
      g_array_append_val (cpu, run.cpu_ms);
      max_hwm = MAX (max_hwm, run.vmhwm_kb);
      max_anon = MAX (max_anon, run.rssanon_kb);
    }
  g_array_sort (wall, compare_double);
  g_array_sort (app, compare_double);
  g_array_sort (cpu, compare_double);
  g_print ("startup to drawn list: median %.1f ms (from main %.1f ms), worst %.1f ms; "
           "CPU per run (median) %.1f ms; peak memory (VmHWM) %.1f MB, own memory (RssAnon) %.1f MB\n",
           g_array_index (wall, double, wall->len / 2), g_array_index (app, double, app->len / 2),
           g_array_index (wall, double, wall->len - 1), g_array_index (cpu, double, cpu->len / 2),
           max_hwm / 1024.0, max_anon / 1024.0);
  return 0;
}
