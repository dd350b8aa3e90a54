/* SPDX-License-Identifier: GPL-3.0-or-later */
/* What location costs the courier: choosing the fix for a proof of
 * delivery from a full history, the haversine, ordering a large route
 * nearest first, and how soon after gpsd comes up the first fix arrives
 * (real gpsd via gpsfake on a loopback port). */
#include "config.h"

#include <math.h>
#include <stdio.h>

#include "tt-fix-policy.h"
#include "tt-gpsfake.h"
#include "tt-location.h"

static double here_lat = 21.0285, here_lon = 105.8542;

static int
by_distance (const void *a,
             const void *b)
{
  const double *p = a, *q = b;
  double da = tt_geo_distance_m (here_lat, here_lon, p[0], p[1]);
  double db = tt_geo_distance_m (here_lat, here_lon, q[0], q[1]);

  return (da > db) - (da < db);
}

static gboolean
has_fix (gpointer data)
{
  return tt_location_get_last_fix (data) != NULL;
}

int
main (int   argc,
      char *argv[])
{
  const guint n_fixes = 1200;          /* the most TtLocation keeps */
  const guint rounds = 20000;
  const guint n_items = 5000;
  g_autofree TtFix *fixes = g_new0 (TtFix, n_fixes);
  g_autofree double *points = g_new (double, 2 * n_items);
  GRand *rand = g_rand_new_with_seed (42);
  volatile double sink = 0;
  gint64 t0;
  int best = -1;

  for (guint i = 0; i < n_fixes; i++)
    {
      fixes[i].mode = TT_LOCATION_STATE_3D;
      fixes[i].latitude = here_lat + g_rand_double_range (rand, -1e-3, 1e-3);
      fixes[i].longitude = here_lon + g_rand_double_range (rand, -1e-3, 1e-3);
      fixes[i].accuracy_m = i % 7 == 0 ? NAN : g_rand_double_range (rand, 3, 300);
      fixes[i].received_us = (gint64) i * G_USEC_PER_SEC / 2;
    }
  t0 = g_get_monotonic_time ();
  for (guint r = 0; r < rounds; r++)
    best += tt_fix_policy_select (fixes, n_fixes, (gint64) (r % 60) * G_USEC_PER_SEC) > 0;
  printf ("select best of %u fixes    %8.2f us per call\n", n_fixes,
          (g_get_monotonic_time () - t0) / (double) rounds);

  t0 = g_get_monotonic_time ();
  for (guint r = 0; r < 1000000; r++)
    sink += tt_geo_distance_m (here_lat, here_lon, fixes[r % n_fixes].latitude, fixes[r % n_fixes].longitude);
  printf ("haversine                    %8.1f ns per call\n",
          (g_get_monotonic_time () - t0) * 1000.0 / 1000000);

  for (guint i = 0; i < n_items; i++)
    {
      points[2 * i] = g_rand_double_range (rand, 20.9, 21.1);
      points[2 * i + 1] = g_rand_double_range (rand, 105.7, 105.9);
    }
  t0 = g_get_monotonic_time ();
  qsort (points, n_items, 2 * sizeof (double), by_distance);
  printf ("sort %u items nearest first %7.2f ms\n", n_items,
          (g_get_monotonic_time () - t0) / 1000.0);

  /* First fix after gpsd starts: gpsfake feeds a sentence every 20 ms;
   * the location was already retrying with backoff. */
  for (guint run = 0; run < 3; run++)
    {
      guint16 port = tt_gpsfake_free_port ();
      g_autoptr(TtLocation) location = tt_location_new ("127.0.0.1", port);
      g_autoptr(TtGpsfake) fake = NULL;
      gint64 start;

      tt_gpsfake_run_for (300);
      start = g_get_monotonic_time ();
      fake = tt_gpsfake_start ("nl2008u.log", port, 0.02);
      if (!tt_gpsfake_wait_until (has_fix, location, 20000))
        {
          printf ("no fix within 20 s\n");
          return 1;
        }
      printf ("gpsd start → first fix      %8.0f ms (run %u)\n",
              (g_get_monotonic_time () - start) / 1000.0, run + 1);
    }

  g_rand_free (rand);
  return sink < 0 || best < -1;
}
