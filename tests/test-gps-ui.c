/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>

#include "tt-application.h"
#include "tt-distance-sorter.h"
#include "tt-fix-policy.h"
#include "tt-gps-indicator.h"
#include "tt-gpsfake.h"
#include "tt-item.h"
#include "tt-test-util.h"
#include "tt-window.h"

static gboolean
text_is (gpointer data)
{
  gpointer *args = data;

  return g_strcmp0 (tt_gps_indicator_get_text (args[0]), args[1]) == 0;
}

static void
wait_for_text (TtGpsIndicator *indicator,
               const char     *text)
{
  gpointer args[] = { indicator, (gpointer) text };

  if (!tt_gpsfake_wait_until (text_is, args, 20000))
    g_error ("The indicator shows “%s”, not “%s”", tt_gps_indicator_get_text (indicator), text);
}

static gboolean
has_fix (gpointer data)
{
  return tt_location_get_last_fix (data) != NULL;
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "screenshots", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));

  tt_gpsfake_run_for (300);
  gdk_paintable_snapshot (paintable, snapshot, gtk_widget_get_width (widget),
                          gtk_widget_get_height (widget));
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, NULL);
  g_mkdir_with_parents (dir, 0755);
  g_assert_true (gdk_texture_save_to_png (texture, path));
  g_test_message ("screenshot: %s", path);
}

/* The indicator follows a real gpsd: absent, then a 3D fix with gpsd's
 * accuracy estimate (13.3 m in nl2008u.log), then absent again. */
static void
test_indicator (void)
{
  guint16 port = tt_gpsfake_free_port ();
  g_autoptr(TtLocation) location = tt_location_new ("127.0.0.1", port);
  g_autoptr(TtGpsfake) fake = NULL;
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  TtGpsIndicator *indicator = TT_GPS_INDICATOR (tt_gps_indicator_new (location));
  char *tooltip = NULL;

  gtk_window_set_child (window, GTK_WIDGET (indicator));
  gtk_window_present (window);

  g_assert_cmpstr (tt_gps_indicator_get_text (indicator), ==, "No GPS");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (indicator), "error"));
  tooltip = g_strdup (gtk_widget_get_tooltip_text (GTK_WIDGET (indicator)));
  g_assert_nonnull (strstr (tooltip, "127.0.0.1"));

  fake = tt_gpsfake_start ("nl2008u.log", port, 0.02);
  wait_for_text (indicator, "±13 m");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (indicator), "error"));
  g_clear_pointer (&tooltip, g_free);
  tooltip = g_strdup (gtk_widget_get_tooltip_text (GTK_WIDGET (indicator)));
  g_assert_nonnull (strstr (tooltip, "3D"));
  g_free (tooltip);

  g_clear_pointer (&fake, tt_gpsfake_stop);
  wait_for_text (indicator, "No GPS");

  /* A receiver without a fix. */
  fake = tt_gpsfake_start ("ublox-lea-5q.log", port, 0.02);
  wait_for_text (indicator, "No fix");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (indicator), "warning"));

  gtk_window_destroy (window);
}

static void
test_format_accuracy (void)
{
  g_autofree char *a = tt_gps_format_accuracy (4.4);
  g_autofree char *b = tt_gps_format_accuracy (328.7);
  g_autofree char *c = tt_gps_format_accuracy (1250);
  g_autofree char *d = tt_gps_format_accuracy (0.2);

  g_assert_cmpstr (a, ==, "±4 m");
  g_assert_cmpstr (b, ==, "±329 m");
  g_assert_cmpstr (c, ==, "±1.2 km");
  g_assert_cmpstr (d, ==, "±1 m");
  g_assert_null (tt_gps_format_accuracy (NAN));
}

static TtItem *
make_item (int      seq,
           gboolean has_location,
           double   lat,
           double   lon)
{
  TtItem *item = tt_item_new ();

  item->id = tt_test_s10_id ("RR", seq);
  item->seq = seq;
  item->has_location = has_location;
  item->lat = lat;
  item->lon = lon;
  return item;
}

static void
assert_order (GListModel *model,
              const int  *seqs,
              guint       n)
{
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, n);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TtItem) item = g_list_model_get_item (model, i);

      g_assert_cmpint (item->seq, ==, seqs[i]);
    }
}

/* Nearest first from a real fix (nl2008u.log, near 48.2175 N 8.4145 E);
 * items without a location go last; route order when switched back. */
static void
test_distance_sorter (void)
{
  guint16 port = tt_gpsfake_free_port ();
  g_autoptr(TtGpsfake) fake = tt_gpsfake_start ("nl2008u.log", port, 0.02);
  g_autoptr(TtLocation) location = tt_location_new ("127.0.0.1", port);
  GListStore *store = g_list_store_new (TT_TYPE_ITEM);
  TtDistanceSorter *sorter = tt_distance_sorter_new (location);
  g_autoptr(GtkSortListModel) sorted = gtk_sort_list_model_new (G_LIST_MODEL (store),
                                                                g_object_ref (GTK_SORTER (sorter)));
  const TtItem *items[] = {
    make_item (1, TRUE, 48.30, 8.41),    /* ≈ 9 km */
    make_item (2, FALSE, 0, 0),
    make_item (3, TRUE, 48.2180, 8.4150), /* ≈ 60 m */
    make_item (4, TRUE, 48.25, 8.50),    /* ≈ 7 km */
    make_item (5, TRUE, 21.03, 105.83),  /* Hà Nội */
  };
  const int route[] = { 1, 2, 3, 4, 5 };
  const int nearest[] = { 3, 4, 1, 5, 2 };

  for (guint i = 0; i < G_N_ELEMENTS (items); i++)
    {
      g_list_store_append (store, (gpointer) items[i]);
      g_object_unref ((gpointer) items[i]);
    }

  assert_order (G_LIST_MODEL (sorted), route, G_N_ELEMENTS (route));
  /* Asked for before any fix: route order still. */
  tt_distance_sorter_set_by_distance (sorter, TRUE);
  assert_order (G_LIST_MODEL (sorted), route, G_N_ELEMENTS (route));

  g_assert_true (tt_gpsfake_wait_until (has_fix, location, 20000));
  assert_order (G_LIST_MODEL (sorted), nearest, G_N_ELEMENTS (nearest));

  tt_distance_sorter_set_by_distance (sorter, FALSE);
  assert_order (G_LIST_MODEL (sorted), route, G_N_ELEMENTS (route));
  g_object_unref (sorter);
}

/* ---- the real window ---- */

typedef struct
{
  guint16  port;
  gboolean ran;
} WindowRun;

static TtGpsIndicator *
find_indicator (GtkWidget *root)
{
  if (TT_IS_GPS_INDICATOR (root))
    return TT_GPS_INDICATOR (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      TtGpsIndicator *found = find_indicator (child);

      if (found)
        return found;
    }
  return NULL;
}

static gboolean
text_has_accuracy (gpointer data)
{
  return g_str_has_prefix (tt_gps_indicator_get_text (data), "±");
}

static GtkGridView *
find_route_list (GtkWidget *root)
{
  if (GTK_IS_GRID_VIEW (root))
    return GTK_GRID_VIEW (root);
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkGridView *found = find_route_list (child);

      if (found)
        return found;
    }
  return NULL;
}

static void
on_activate (GApplication *app,
             WindowRun    *run)
{
  TtWindow *window = TT_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));
  TtLocation *location = tt_application_get_location (TT_APPLICATION (app));
  TtGpsIndicator *indicator = find_indicator (GTK_WIDGET (tt_window_get_status_box (window)));
  GListModel *rows = G_LIST_MODEL (gtk_grid_view_get_model (find_route_list (GTK_WIDGET (window))));
  const TtFix *here;
  double last = -1;
  gboolean seen_unlocated = FALSE;
  guint n;

  /* The settings were read: the app talks to our gpsd. */
  g_assert_cmpuint (tt_location_get_port (location), ==, run->port);
  g_assert_nonnull (indicator);
  g_assert_true (tt_gps_indicator_get_location (indicator) == location);
  g_assert_true (tt_gpsfake_wait_until (text_has_accuracy, indicator, 20000));
  save_screenshot (GTK_WIDGET (window), "gps-header.png");

  /* The menu's "Nearest first" is the route-sort setting. */
  n = g_list_model_get_n_items (rows);
  g_assert_cmpuint (n, >=, 3);
  g_action_group_activate_action (G_ACTION_GROUP (window), "route-sort", g_variant_new_string ("distance"));
  here = tt_location_get_last_fix (location);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TtItem) item = g_list_model_get_item (rows, i);

      if (!item->has_location)
        {
          seen_unlocated = TRUE;
          continue;
        }
      g_assert_false (seen_unlocated);
      /* The sorter re-sorts after 25 m of movement, the fix may be newer. */
      {
        double d = tt_geo_distance_m (here->latitude, here->longitude, item->lat, item->lon);

        g_assert_cmpfloat (d, >=, last - 60);
        last = d;
      }
    }
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);
    g_autofree char *sort = g_settings_get_string (settings, "route-sort");

    g_assert_cmpstr (sort, ==, "distance");
  }

  g_action_group_activate_action (G_ACTION_GROUP (window), "route-sort", g_variant_new_string ("route"));
  for (guint i = 1; i < n; i++)
    {
      g_autoptr(TtItem) a = g_list_model_get_item (rows, i - 1);
      g_autoptr(TtItem) b = g_list_model_get_item (rows, i);

      g_assert_cmpint (a->seq, <, b->seq);
    }

  /* A new gps-port in the settings is followed without a restart. */
  {
    g_autoptr(GSettings) settings = g_settings_new (APP_ID);

    g_settings_set_uint (settings, "gps-port", tt_gpsfake_free_port ());
    wait_for_text (indicator, "No GPS");
    g_settings_set_uint (settings, "gps-port", run->port);
    g_assert_true (tt_gpsfake_wait_until (text_has_accuracy, indicator, 20000));
  }

  run->ran = TRUE;
  g_application_quit (app);
}

static void
test_window (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  guint16 port = tt_gpsfake_free_port ();
  g_autoptr(TtGpsfake) fake = tt_gpsfake_start ("nl2008u.log", port, 0.02);
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(TtApplication) app = NULL;
  WindowRun run = { port, FALSE };
  const char *argv[] = { "tantay", "--data-dir", dir, "--demo", NULL };

  g_settings_set_string (settings, "gps-host", "127.0.0.1");
  g_settings_set_uint (settings, "gps-port", port);

  app = tt_application_new ();
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), &run);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 4, (char **) argv), ==, 0);
  g_assert_true (run.ran);

  g_settings_reset (settings, "route-sort");
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);

  g_test_add_func ("/gps-ui/format-accuracy", test_format_accuracy);
  g_test_add_func ("/gps-ui/indicator", test_indicator);
  g_test_add_func ("/gps-ui/distance-sorter", test_distance_sorter);
  g_test_add_func ("/gps-ui/window", test_window);

  return g_test_run ();
}
