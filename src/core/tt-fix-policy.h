/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tt-location.h"

G_BEGIN_DECLS

/* Why a proof of delivery carries no fix or a poor one (the "reason" of the
 * fix JSON).  NULL reason: the fix met the accuracy asked for. */
#define TT_FIX_REASON_NO_GPSD          "no-gpsd"
#define TT_FIX_REASON_NO_FIX           "no-fix"
#define TT_FIX_REASON_POOR_ACCURACY    "poor-accuracy"
#define TT_FIX_REASON_UNKNOWN_ACCURACY "unknown-accuracy"

/* What a proof of delivery records of where it happened. */
typedef struct
{
  gboolean  has_fix;
  TtFix     fix;               /* valid when has_fix */
  double    age_s;             /* age of the fix when chosen; NaN without one */
  char     *reason;            /* one of TT_FIX_REASON_*, or NULL */
  gboolean  distance_checked;  /* tt_fix_result_check_distance() was called */
  double    distance_m;        /* to the item's location; NaN without a fix */
  double    distance_limit_m;
} TtFixResult;

#define TT_TYPE_FIX_RESULT (tt_fix_result_get_type ())
GType         tt_fix_result_get_type        (void) G_GNUC_CONST;
TtFixResult  *tt_fix_result_copy            (const TtFixResult *result);
void          tt_fix_result_free            (TtFixResult       *result);

/* Records the distance from the fix to an item's known location.
 * Returns: TRUE when it is above @limit_m, i.e. the courier must be warned.
 * Without a fix the distance stays unknown (null) and this returns FALSE. */
gboolean      tt_fix_result_check_distance  (TtFixResult       *result,
                                             double             item_lat,
                                             double             item_lon,
                                             double             limit_m);

/* The object for the event payload: lat, lon, alt_m, alt_hae_m, accuracy_m,
 * satellites_used, fix_time, age_s, mode, reason, and after a distance
 * check distance_m, distance_limit_m, distance_warning.  Unknown values
 * are null. */
JsonNode     *tt_fix_result_to_json         (const TtFixResult *result);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtFixResult, tt_fix_result_free)

/* Great-circle distance in metres (haversine, mean Earth radius). */
double        tt_geo_distance_m             (double lat1,
                                             double lon1,
                                             double lat2,
                                             double lon2);

/* Index in @fixes of the best fix that arrived at or after @since_us:
 * smallest known accuracy first, then unknown accuracy (3D before 2D),
 * newer before older on ties.  -1 when there is none. */
int           tt_fix_policy_select          (const TtFix *fixes,
                                             guint        n_fixes,
                                             gint64       since_us);

#define TT_TYPE_FIX_POLICY (tt_fix_policy_get_type ())
G_DECLARE_FINAL_TYPE (TtFixPolicy, tt_fix_policy, TT, FIX_POLICY, GObject)

/* @window_s: fixes older than this are not used (setting fix-window-s);
 * @wait_s: how long acquire waits for a good one (fix-wait-s);
 * @accuracy_m: good enough (fix-accuracy-m). */
TtFixPolicy  *tt_fix_policy_new             (TtLocation          *location,
                                             guint                window_s,
                                             guint                wait_s,
                                             double               accuracy_m);
TtLocation   *tt_fix_policy_get_location    (TtFixPolicy         *self);
/* TRUE while an acquire waits; "progress" (0…1 of the wait) and
 * "best-accuracy-m" are notified meanwhile. */
gboolean      tt_fix_policy_get_waiting     (TtFixPolicy         *self);
double        tt_fix_policy_get_progress    (TtFixPolicy         *self);
double        tt_fix_policy_get_best_accuracy_m (TtFixPolicy     *self);

/* The best fix of the window now, without waiting (for "record now"). */
TtFixResult  *tt_fix_policy_pick            (TtFixPolicy         *self);

/* Returns at once when the window holds a good enough fix, else when one
 * arrives, else after wait_s with the best there is (or none) and a
 * reason.  Never fails but for cancellation (G_IO_ERROR_CANCELLED) or a
 * second acquire while one waits (G_IO_ERROR_PENDING). */
void          tt_fix_policy_acquire_async   (TtFixPolicy         *self,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
TtFixResult  *tt_fix_policy_acquire_finish  (TtFixPolicy         *self,
                                             GAsyncResult        *result,
                                             GError             **error);

G_END_DECLS
