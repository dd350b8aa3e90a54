/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-fix-policy"

#include "config.h"

#include <math.h>

#include "tt-fix-policy.h"
#include "tt-json.h"

#define EARTH_RADIUS_M   6371008.8   /* IUGG mean radius */
#define PROGRESS_TICK_MS 250

struct _TtFixPolicy
{
  GObject     parent_instance;

  TtLocation *location;
  guint       window_s;
  guint       wait_s;
  double      accuracy_m;

  /* The acquire under way, if any. */
  GTask      *task;
  gint64      started_us;
  gint64      since_us;
  gulong      fix_handler;
  guint       timeout_id;
  guint       tick_id;
  GSource    *cancel_source;
  double      progress;
  double      best_accuracy_m;
};

G_DEFINE_FINAL_TYPE (TtFixPolicy, tt_fix_policy, G_TYPE_OBJECT)
G_DEFINE_BOXED_TYPE (TtFixResult, tt_fix_result, tt_fix_result_copy, tt_fix_result_free)

enum {
  PROP_0,
  PROP_LOCATION,
  PROP_WINDOW_S,
  PROP_WAIT_S,
  PROP_ACCURACY_M,
  PROP_WAITING,
  PROP_PROGRESS,
  PROP_BEST_ACCURACY_M,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

TtFixResult *
tt_fix_result_copy (const TtFixResult *result)
{
  TtFixResult *copy = g_memdup2 (result, sizeof *result);

  copy->reason = g_strdup (result->reason);
  return copy;
}

void
tt_fix_result_free (TtFixResult *result)
{
  if (result == NULL)
    return;
  g_free (result->reason);
  g_free (result);
}

double
tt_geo_distance_m (double lat1,
                   double lon1,
                   double lat2,
                   double lon2)
{
  double phi1 = lat1 * G_PI / 180, phi2 = lat2 * G_PI / 180;
  double dphi = phi2 - phi1;
  double dlambda = (lon2 - lon1) * G_PI / 180;
  double a = sin (dphi / 2) * sin (dphi / 2)
             + cos (phi1) * cos (phi2) * sin (dlambda / 2) * sin (dlambda / 2);

  /* MIN guards asin against rounding just above 1 for antipodes. */
  return 2 * EARTH_RADIUS_M * asin (MIN (1.0, sqrt (a)));
}

gboolean
tt_fix_result_check_distance (TtFixResult *result,
                              double       item_lat,
                              double       item_lon,
                              double       limit_m)
{
  g_return_val_if_fail (result != NULL, FALSE);

  result->distance_checked = TRUE;
  result->distance_limit_m = limit_m;
  result->distance_m = result->has_fix
                       ? tt_geo_distance_m (result->fix.latitude, result->fix.longitude,
                                            item_lat, item_lon)
                       : NAN;
  return isfinite (result->distance_m) && result->distance_m > limit_m;
}

JsonNode *
tt_fix_result_to_json (const TtFixResult *result)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *fix_time = NULL;
  const TtFix *fix = result->has_fix ? &result->fix : NULL;

  g_return_val_if_fail (result != NULL, NULL);

  if (fix != NULL)
    fix_time = tt_fix_format_time (fix);

  json_builder_begin_object (builder);
  tt_json_add_number (builder, "lat", fix ? fix->latitude : NAN);
  tt_json_add_number (builder, "lon", fix ? fix->longitude : NAN);
  tt_json_add_number (builder, "alt_m", fix ? fix->alt_msl_m : NAN);
  tt_json_add_number (builder, "alt_hae_m", fix ? fix->alt_hae_m : NAN);
  tt_json_add_number (builder, "accuracy_m", fix ? fix->accuracy_m : NAN);
  json_builder_set_member_name (builder, "satellites_used");
  if (fix != NULL && fix->satellites_used >= 0)
    json_builder_add_int_value (builder, fix->satellites_used);
  else
    json_builder_add_null_value (builder);
  tt_json_add_string (builder, "fix_time", fix_time);
  tt_json_add_number (builder, "age_s", fix ? result->age_s : NAN);
  tt_json_add_string (builder, "mode", fix ? tt_location_state_to_string (fix->mode) : NULL);
  tt_json_add_string (builder, "reason", result->reason);
  if (result->distance_checked)
    {
      tt_json_add_number (builder, "distance_m", result->distance_m);
      tt_json_add_number (builder, "distance_limit_m", result->distance_limit_m);
      json_builder_set_member_name (builder, "distance_warning");
      json_builder_add_boolean_value (builder, isfinite (result->distance_m)
                                               && result->distance_m > result->distance_limit_m);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

/* TRUE when @a is a better fix for a proof of delivery than @b. */
static gboolean
fix_better (const TtFix *a,
            const TtFix *b)
{
  gboolean a_known = isfinite (a->accuracy_m), b_known = isfinite (b->accuracy_m);

  if (a_known != b_known)
    return a_known;
  if (a_known && a->accuracy_m != b->accuracy_m)
    return a->accuracy_m < b->accuracy_m;
  if (a->mode != b->mode)
    return a->mode > b->mode;
  return a->received_us >= b->received_us;
}

int
tt_fix_policy_select (const TtFix *fixes,
                      guint        n_fixes,
                      gint64       since_us)
{
  int best = -1;

  g_return_val_if_fail (fixes != NULL || n_fixes == 0, -1);

  for (guint i = 0; i < n_fixes; i++)
    {
      if (fixes[i].received_us < since_us)
        continue;
      if (best < 0 || fix_better (&fixes[i], &fixes[best]))
        best = (int) i;
    }
  return best;
}

static TtFixResult *
make_result (TtFixPolicy *self,
             gint64       since_us)
{
  g_autoptr(GArray) fixes = tt_location_dup_history (self->location, since_us);
  TtFixResult *result = g_new0 (TtFixResult, 1);
  int best = tt_fix_policy_select ((const TtFix *) (gpointer) fixes->data, fixes->len, since_us);

  result->distance_m = NAN;
  result->distance_limit_m = NAN;
  if (best < 0)
    {
      result->age_s = NAN;
      result->reason = g_strdup (tt_location_get_state (self->location) == TT_LOCATION_STATE_NO_GPSD
                                 ? TT_FIX_REASON_NO_GPSD : TT_FIX_REASON_NO_FIX);
      return result;
    }

  result->has_fix = TRUE;
  result->fix = g_array_index (fixes, TtFix, best);
  result->age_s = tt_fix_get_age (&result->fix, g_get_monotonic_time ());
  if (!isfinite (result->fix.accuracy_m))
    result->reason = g_strdup (TT_FIX_REASON_UNKNOWN_ACCURACY);
  else if (result->fix.accuracy_m > self->accuracy_m)
    result->reason = g_strdup (TT_FIX_REASON_POOR_ACCURACY);
  return result;
}

static void
set_progress (TtFixPolicy *self,
              double       progress,
              double       best_accuracy_m)
{
  if (self->progress != progress)
    {
      self->progress = progress;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROGRESS]);
    }
  /* NaN never compares equal: compare the "known" flags too. */
  if (isfinite (self->best_accuracy_m) != isfinite (best_accuracy_m)
      || (isfinite (best_accuracy_m) && self->best_accuracy_m != best_accuracy_m))
    {
      self->best_accuracy_m = best_accuracy_m;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BEST_ACCURACY_M]);
    }
}

/* Ends the acquire under way with @result, or with @error if not NULL. */
static void
finish_acquire (TtFixPolicy *self,
                TtFixResult *result,
                GError      *error)
{
  g_autoptr(GTask) task = g_steal_pointer (&self->task);

  g_assert (task != NULL);

  g_clear_signal_handler (&self->fix_handler, self->location);
  g_clear_handle_id (&self->timeout_id, g_source_remove);
  g_clear_handle_id (&self->tick_id, g_source_remove);
  if (self->cancel_source != NULL)
    {
      g_source_destroy (self->cancel_source);
      g_clear_pointer (&self->cancel_source, g_source_unref);
    }

  g_object_freeze_notify (G_OBJECT (self));
  if (result != NULL)
    set_progress (self, 1.0, result->has_fix ? result->fix.accuracy_m : NAN);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING]);
  g_object_thaw_notify (G_OBJECT (self));

  if (error != NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, result, (GDestroyNotify) tt_fix_result_free);
}

static void
on_fix (TtLocation  *location,
        const TtFix *fix,
        TtFixPolicy *self)
{
  if (isfinite (fix->accuracy_m) && fix->accuracy_m <= self->accuracy_m)
    finish_acquire (self, make_result (self, self->since_us), NULL);
  else if (isfinite (fix->accuracy_m)
           && !(isfinite (self->best_accuracy_m) && self->best_accuracy_m <= fix->accuracy_m))
    set_progress (self, self->progress, fix->accuracy_m);
}

static gboolean
on_tick (gpointer user_data)
{
  TtFixPolicy *self = user_data;
  double elapsed = (g_get_monotonic_time () - self->started_us) / (double) G_USEC_PER_SEC;

  set_progress (self, CLAMP (elapsed / self->wait_s, 0.0, 1.0), self->best_accuracy_m);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_wait_over (gpointer user_data)
{
  TtFixPolicy *self = user_data;

  self->timeout_id = 0;
  finish_acquire (self, make_result (self, self->since_us), NULL);
  return G_SOURCE_REMOVE;
}

static gboolean
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  TtFixPolicy *self = user_data;

  finish_acquire (self, NULL,
                  g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED,
                                       "Waiting for a GPS fix was cancelled"));
  return G_SOURCE_REMOVE;
}

static void
tt_fix_policy_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TtFixPolicy *self = TT_FIX_POLICY (object);

  switch (prop_id)
    {
    case PROP_LOCATION:
      g_value_set_object (value, self->location);
      break;
    case PROP_WINDOW_S:
      g_value_set_uint (value, self->window_s);
      break;
    case PROP_WAIT_S:
      g_value_set_uint (value, self->wait_s);
      break;
    case PROP_ACCURACY_M:
      g_value_set_double (value, self->accuracy_m);
      break;
    case PROP_WAITING:
      g_value_set_boolean (value, self->task != NULL);
      break;
    case PROP_PROGRESS:
      g_value_set_double (value, self->progress);
      break;
    case PROP_BEST_ACCURACY_M:
      g_value_set_double (value, self->best_accuracy_m);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_fix_policy_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TtFixPolicy *self = TT_FIX_POLICY (object);

  switch (prop_id)
    {
    case PROP_LOCATION:
      self->location = g_value_dup_object (value);
      break;
    case PROP_WINDOW_S:
      self->window_s = g_value_get_uint (value);
      break;
    case PROP_WAIT_S:
      self->wait_s = g_value_get_uint (value);
      break;
    case PROP_ACCURACY_M:
      self->accuracy_m = g_value_get_double (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_fix_policy_dispose (GObject *object)
{
  TtFixPolicy *self = TT_FIX_POLICY (object);

  /* A pending task holds a reference to us, so none is under way here. */
  g_assert (self->task == NULL);
  g_clear_object (&self->location);

  G_OBJECT_CLASS (tt_fix_policy_parent_class)->dispose (object);
}

static void
tt_fix_policy_class_init (TtFixPolicyClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags construct = G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS;
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = tt_fix_policy_get_property;
  object_class->set_property = tt_fix_policy_set_property;
  object_class->dispose = tt_fix_policy_dispose;

  properties[PROP_LOCATION] =
    g_param_spec_object ("location", NULL, NULL, TT_TYPE_LOCATION,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Ranges and defaults as the settings fix-window-s, fix-wait-s and
   * fix-accuracy-m; changes apply to the next acquire. */
  properties[PROP_WINDOW_S] =
    g_param_spec_uint ("window-s", NULL, NULL, 1, 600, 30, construct);
  properties[PROP_WAIT_S] =
    g_param_spec_uint ("wait-s", NULL, NULL, 0, 300, 20, construct);
  properties[PROP_ACCURACY_M] =
    g_param_spec_double ("accuracy-m", NULL, NULL, 1, 10000, 50, construct);
  properties[PROP_WAITING] =
    g_param_spec_boolean ("waiting", NULL, NULL, FALSE, ro);
  properties[PROP_PROGRESS] =
    g_param_spec_double ("progress", NULL, NULL, 0, 1, 0, ro);
  properties[PROP_BEST_ACCURACY_M] =
    g_param_spec_double ("best-accuracy-m", NULL, NULL, 0, G_MAXDOUBLE, 0, ro);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_fix_policy_init (TtFixPolicy *self)
{
  self->best_accuracy_m = NAN;
}

TtFixPolicy *
tt_fix_policy_new (TtLocation *location,
                   guint       window_s,
                   guint       wait_s,
                   double      accuracy_m)
{
  g_return_val_if_fail (TT_IS_LOCATION (location), NULL);

  return g_object_new (TT_TYPE_FIX_POLICY,
                       "location", location,
                       "window-s", window_s,
                       "wait-s", wait_s,
                       "accuracy-m", accuracy_m,
                       NULL);
}

TtLocation *
tt_fix_policy_get_location (TtFixPolicy *self)
{
  g_return_val_if_fail (TT_IS_FIX_POLICY (self), NULL);
  return self->location;
}

gboolean
tt_fix_policy_get_waiting (TtFixPolicy *self)
{
  g_return_val_if_fail (TT_IS_FIX_POLICY (self), FALSE);
  return self->task != NULL;
}

double
tt_fix_policy_get_progress (TtFixPolicy *self)
{
  g_return_val_if_fail (TT_IS_FIX_POLICY (self), 0);
  return self->progress;
}

double
tt_fix_policy_get_best_accuracy_m (TtFixPolicy *self)
{
  g_return_val_if_fail (TT_IS_FIX_POLICY (self), NAN);
  return self->best_accuracy_m;
}

/**
 * tt_fix_policy_pick:
 *
 * Returns: (transfer full): the best fix of the last window-s seconds, with
 *   a reason when it is not good enough or there is none
 */
TtFixResult *
tt_fix_policy_pick (TtFixPolicy *self)
{
  g_return_val_if_fail (TT_IS_FIX_POLICY (self), NULL);

  return make_result (self, g_get_monotonic_time () - (gint64) self->window_s * G_USEC_PER_SEC);
}

void
tt_fix_policy_acquire_async (TtFixPolicy         *self,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(TtFixResult) now = NULL;

  g_return_if_fail (TT_IS_FIX_POLICY (self));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, tt_fix_policy_acquire_async);

  if (self->task != NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_PENDING,
                               "Already waiting for a GPS fix");
      return;
    }
  if (g_task_return_error_if_cancelled (task))
    return;

  self->started_us = g_get_monotonic_time ();
  self->since_us = self->started_us - (gint64) self->window_s * G_USEC_PER_SEC;
  now = make_result (self, self->since_us);
  if ((now->has_fix && now->reason == NULL) || self->wait_s == 0)
    {
      g_task_return_pointer (task, g_steal_pointer (&now), (GDestroyNotify) tt_fix_result_free);
      return;
    }

  self->task = g_steal_pointer (&task);
  self->progress = -1;
  self->best_accuracy_m = NAN;
  set_progress (self, 0, now->has_fix ? now->fix.accuracy_m : NAN);
  self->fix_handler = g_signal_connect (self->location, "fix", G_CALLBACK (on_fix), self);
  self->timeout_id = g_timeout_add (self->wait_s * 1000, on_wait_over, self);
  self->tick_id = g_timeout_add (PROGRESS_TICK_MS, on_tick, self);
  if (cancellable != NULL)
    {
      self->cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (self->cancel_source, G_SOURCE_FUNC (on_cancelled), self, NULL);
      g_source_attach (self->cancel_source, g_main_context_get_thread_default ());
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_WAITING]);
}

TtFixResult *
tt_fix_policy_acquire_finish (TtFixPolicy   *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (TT_IS_FIX_POLICY (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
