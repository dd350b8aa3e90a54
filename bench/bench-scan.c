/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Scan → item page latency on a 10,000-item route.
 *
 *   xvfb-run -a -s '-screen 0 720x1440x24' _build/bench/bench-scan [N_SCANS]
 *
 * For random items of a generated route in a fresh store: parse the
 * payload as a scanner delivers it (plain id, lower case with spaces, or
 * a tracking link), look the item up as the window does (route model),
 * fill in the item page (one page for every scan, as the window keeps
 * it), and show it in a 360×720 window until it is drawn.
 * Prints p50/p99/max for each stage, cumulative.  Without a display only
 * the first two stages are measured. */
#include "config.h"

#include <adwaita.h>
#include <stdlib.h>

#include "tt-code.h"
#include "tt-item-page.h"
#include "tt-route-model.h"
#include "tt-store.h"
#include "tt-test-util.h"

#define N_ITEMS 10000

static int
cmp_double (const void *a,
            const void *b)
{
  double x = *(const double *) a, y = *(const double *) b;

  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *ms)
{
  double *v = (double *) ms->data;

  qsort (v, ms->len, sizeof (double), cmp_double);
  g_print ("%-34s p50 %7.3f ms   p99 %7.3f ms   max %7.3f ms   (n=%u)\n", what,
           v[ms->len / 2], v[(ms->len * 99) / 100], v[ms->len - 1], ms->len);
}

typedef struct
{
  gint64   frame_start;
  gint64   frame_end;
  gboolean painted;
} Frame;

static void
on_before_paint (GdkFrameClock *clock,
                 Frame         *f)
{
  f->frame_start = g_get_monotonic_time ();
}

static void
on_after_paint (GdkFrameClock *clock,
                Frame         *f)
{
  f->frame_end = g_get_monotonic_time ();
  f->painted = TRUE;
}

int
main (int   argc,
      char *argv[])
{
  guint n_scans = argc > 1 ? (guint) atoi (argv[1]) : 500;
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "tantay.db", NULL);
  g_autofree char *json = tt_test_make_manifest (N_ITEMS, 2026, "R-BENCH");
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtRouteModel) model = NULL;
  g_autoptr(GArray) t_lookup = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_build = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_drawn = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_store = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) t_work = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;
  GRand *rand = g_rand_new_with_seed (45);
  GtkWidget *window = NULL;
  GtkWidget *page = NULL;
  gboolean display = gtk_init_check ();
  gint64 t0;

  if (display)
    adw_init ();

  store = tt_store_open (path, &error);
  g_assert_no_error (error);
  t0 = g_get_monotonic_time ();
  if (!tt_store_load_manifest (store, json, -1, &error))
    g_error ("%s", error->message);
  g_print ("route of %u items loaded in %.0f ms\n", tt_store_count_items (store),
           (g_get_monotonic_time () - t0) / 1000.0);
  t0 = g_get_monotonic_time ();
  model = tt_route_model_new (store);
  g_print ("route model built in %.0f ms\n", (g_get_monotonic_time () - t0) / 1000.0);

  if (display)
    {
      window = gtk_window_new ();
      gtk_window_set_default_size (GTK_WINDOW (window), 360, 720);
      gtk_window_present (GTK_WINDOW (window));
      while (!gtk_widget_get_mapped (window))
        g_main_context_iteration (NULL, TRUE);
    }

  for (guint i = 0; i < n_scans; i++)
    {
      g_autofree char *payload = NULL;
      g_autoptr(TtCode) code = NULL;
      g_autoptr(TtItem) stored = NULL;
      guint index = g_rand_int_range (rand, 0, N_ITEMS);
      g_autoptr(TtItem) pick = g_list_model_get_item (G_LIST_MODEL (model), index);
      TtItem *item;
      gint64 start;
      double ms;

      /* How the id reaches us: as printed, typed, or in a link. */
      switch (i % 10)
        {
        case 0:
          payload = g_strdup_printf ("https://tracking.example.vn/track/%s", pick->id);
          break;
        case 1:
          payload = g_ascii_strdown (pick->id, -1);
          break;
        default:
          payload = g_strdup (pick->id);
          break;
        }

      /* The store's own lookup (SQL), for comparison. */
      start = g_get_monotonic_time ();
      g_assert_true (tt_code_parse (payload, -1, &code, NULL));
      stored = tt_store_get_item (store, code->value, NULL);
      g_assert_nonnull (stored);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (t_store, ms);
      g_clear_pointer (&code, tt_code_free);

      start = g_get_monotonic_time ();
      g_assert_true (tt_code_parse (payload, -1, &code, NULL));
      item = tt_route_model_lookup (model, code->value, NULL);
      g_assert_nonnull (item);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (t_lookup, ms);

      if (display)
        {
          GdkFrameClock *clock;
          Frame f = { 0, 0, FALSE };
          gulong before, after;
          double built;

          if (page == NULL)
            {
              page = tt_item_page_new (item);
              gtk_window_set_child (GTK_WINDOW (window), page);
            }
          else
            tt_item_page_set_item (TT_ITEM_PAGE (page), item);
          built = (g_get_monotonic_time () - start) / 1000.0;
          g_array_append_val (t_build, built);

          clock = gtk_widget_get_frame_clock (window);
          before = g_signal_connect (clock, "before-paint", G_CALLBACK (on_before_paint), &f);
          after = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &f);
          while (!f.painted || !gtk_widget_get_mapped (page))
            g_main_context_iteration (NULL, TRUE);
          g_signal_handler_disconnect (clock, before);
          g_signal_handler_disconnect (clock, after);
          ms = (g_get_monotonic_time () - start) / 1000.0;
          g_array_append_val (t_drawn, ms);
          /* The work, without the wait for the next frame tick. */
          ms = built + (f.frame_end - f.frame_start) / 1000.0;
          g_array_append_val (t_work, ms);
        }
    }

  report ("parse + store lookup (SQL)", t_store);
  report ("parse + route lookup", t_lookup);
  if (display)
    {
      report ("… + item page filled in", t_build);
      report ("… + laid out and drawn (work)", t_work);
      report ("… + drawn (wall, with frame wait)", t_drawn);
      gtk_window_destroy (GTK_WINDOW (window));
    }
  else
    g_print ("no display: item page not measured (run under xvfb-run)\n");
  g_rand_free (rand);
  return 0;
}
