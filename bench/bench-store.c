/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Loads a generated 10,000-item route and prints: import time, time to
 * read the route and fill a list model, search time, and peak RSS. */
#include "config.h"

#include <gio/gio.h>
#include <stdio.h>

#include "tt-store.h"
#include "tt-text.h"
#include "tt-test-util.h"

static double
ms_since (gint64 start)
{
  return (g_get_monotonic_time () - start) / 1000.0;
}

static long
status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *p;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL)
      || (p = strstr (status, field)) == NULL)
    return -1;
  return strtol (p + strlen (field), NULL, 10);
}

int
main (int   argc,
      char *argv[])
{
  guint n_items = argc > 1 ? (guint) atoi (argv[1]) : 10000;
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "tantay.db", NULL);
  g_autofree char *json = tt_test_make_manifest_full (n_items, 2026, "R-BENCH", TRUE);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GListStore) model = NULL;
  const char *queries[] = { "nguyen van anh", "ba dinh", "RR1000", "hai chau", "zzz" };
  double import_ms, open_ms, fill_ms, search_ms[G_N_ELEMENTS (queries)];
  guint hits[G_N_ELEMENTS (queries)];
  gint64 t;

  t = g_get_monotonic_time ();
  store = tt_store_open (path, &error);
  g_assert_no_error (error);
  if (!tt_store_load_manifest (store, json, -1, &error))
    g_error ("%s", error->message);
  import_ms = ms_since (t);
  g_clear_object (&store);

  /* Cold-ish: a new connection reads the route and fills the model the
   * route list is built on. */
  t = g_get_monotonic_time ();
  store = tt_store_open (path, &error);
  g_assert_no_error (error);
  open_ms = ms_since (t);
  t = g_get_monotonic_time ();
  items = tt_store_list_items (store, &error);
  g_assert_no_error (error);
  model = g_list_store_new (TT_TYPE_ITEM);
  g_list_store_splice (model, 0, 0, items->pdata, items->len);
  fill_ms = ms_since (t);

  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    {
      g_autofree char *folded = NULL;

      t = g_get_monotonic_time ();
      folded = tt_text_fold (queries[q]);
      hits[q] = 0;
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
        {
          g_autoptr(TtItem) item = g_list_model_get_item (G_LIST_MODEL (model), i);
          if (tt_item_matches (item, folded))
            hits[q]++;
        }
      search_ms[q] = ms_since (t);
    }

  printf ("items               %u\n", n_items);
  printf ("manifest bytes      %zu\n", strlen (json));
  printf ("import (1 txn)      %.1f ms\n", import_ms);
  printf ("open store          %.1f ms\n", open_ms);
  printf ("read + fill model   %.1f ms\n", fill_ms);
  for (guint q = 0; q < G_N_ELEMENTS (queries); q++)
    printf ("search %-12s %.2f ms (%u hits)\n", queries[q], search_ms[q], hits[q]);
  /* The peak is the import's JSON tree; what stays is the route. */
  g_clear_pointer (&json, g_free);
  printf ("RSS now             %.1f MB\n", status_kb ("VmRSS:") / 1024.0);
  printf ("peak RSS (import)   %.1f MB\n", status_kb ("VmHWM:") / 1024.0);
  return 0;
}
