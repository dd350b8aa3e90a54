/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-pod-flow"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-application.h"
#include "tt-code.h"
#include "tt-delivery-page.h"
#include "tt-failure-page.h"
#include "tt-fix-policy.h"
#include "tt-intake-page.h"
#include "tt-pod-flow.h"
#include "tt-receipt-page.h"
#include "tt-summary-page.h"

#define FLOW_KEY "tt-pod-flow"
#define LOCATION_KEY "tt-pod-location"

/* What the window knows of the flow in progress. */
typedef struct
{
  GWeakRef page;
} Flow;

static void
flow_free (Flow *flow)
{
  g_weak_ref_clear (&flow->page);
  g_free (flow);
}

static Flow *
get_flow (TtWindow *window)
{
  Flow *flow = g_object_get_data (G_OBJECT (window), FLOW_KEY);

  if (flow == NULL)
    {
      flow = g_new0 (Flow, 1);
      g_weak_ref_init (&flow->page, NULL);
      g_object_set_data_full (G_OBJECT (window), FLOW_KEY, flow, (GDestroyNotify) flow_free);
    }
  return flow;
}

/* The fix policy of the app's own location (the one the header's GPS
 * indicator shows), made the first time a flow opens. */
typedef struct
{
  TtLocation  *location;
  TtFixPolicy *policy;
} PodLocation;

static void
pod_location_free (PodLocation *data)
{
  g_clear_object (&data->policy);
  g_clear_object (&data->location);
  g_free (data);
}

static TtFixPolicy *
get_fix_policy (TtWindow *window)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (window));
  PodLocation *data;
  TtSettings *settings;

  if (!TT_IS_APPLICATION (app))
    return NULL;
  data = g_object_get_data (G_OBJECT (app), LOCATION_KEY);
  if (data != NULL)
    return data->policy;
  settings = tt_application_get_settings (TT_APPLICATION (app));
  if (settings == NULL || tt_application_get_location (TT_APPLICATION (app)) == NULL)
    return NULL;
  data = g_new0 (PodLocation, 1);
  data->location = g_object_ref (tt_application_get_location (TT_APPLICATION (app)));
  data->policy = tt_fix_policy_new (data->location, tt_settings_get_fix_window_s (settings),
                                    tt_settings_get_fix_wait_s (settings),
                                    tt_settings_get_fix_accuracy_m (settings));
  g_object_set_data_full (G_OBJECT (app), LOCATION_KEY, data, (GDestroyNotify) pod_location_free);
  return data->policy;
}

static void
set_place (GtkWidget  *page,
           const char *fix_json,
           gboolean    waiting)
{
  if (TT_IS_DELIVERY_PAGE (page))
    tt_delivery_page_set_fix_json (TT_DELIVERY_PAGE (page), fix_json, waiting);
  else if (TT_IS_FAILURE_PAGE (page))
    tt_failure_page_set_fix_json (TT_FAILURE_PAGE (page), fix_json, waiting);
  else if (TT_IS_INTAKE_PAGE (page))
    tt_intake_page_set_fix_json (TT_INTAKE_PAGE (page), fix_json, waiting);
}

typedef struct
{
  GWeakRef page;
  TtItem  *item;
  guint    distance_limit_m;
} Stamp;

static void
stamp_free (Stamp *stamp)
{
  g_weak_ref_clear (&stamp->page);
  g_object_unref (stamp->item);
  g_free (stamp);
}

static void
show_fix (Stamp       *stamp,
          TtFixResult *result)
{
  g_autoptr(GtkWidget) page = g_weak_ref_get (&stamp->page);
  g_autoptr(JsonNode) node = NULL;
  g_autofree char *json = NULL;

  if (page == NULL)
    return;
  if (result != NULL && stamp->item->has_location)
    tt_fix_result_check_distance (result, stamp->item->lat, stamp->item->lon,
                                  stamp->distance_limit_m);
  if (result != NULL)
    {
      node = tt_fix_result_to_json (result);
      json = json_to_string (node, FALSE);
    }
  set_place (page, json, FALSE);
}

static void
set_place_waiting (GtkWidget *page,
                   gboolean   waiting)
{
  if (TT_IS_DELIVERY_PAGE (page))
    tt_delivery_page_set_waiting (TT_DELIVERY_PAGE (page), waiting);
  else if (TT_IS_FAILURE_PAGE (page))
    tt_failure_page_set_waiting (TT_FAILURE_PAGE (page), waiting);
  else if (TT_IS_INTAKE_PAGE (page))
    tt_intake_page_set_waiting (TT_INTAKE_PAGE (page), waiting);
}

static void
on_fix_acquired (GObject      *source,
                 GAsyncResult *res,
                 gpointer      user_data)
{
  Stamp *stamp = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(TtFixResult) result = tt_fix_policy_acquire_finish (TT_FIX_POLICY (source), res,
                                                                &error);

  /* Another flow is already waiting for a fix: take the best there is. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_PENDING))
    result = tt_fix_policy_pick (TT_FIX_POLICY (source));
  show_fix (stamp, result);
  stamp_free (stamp);
}

/* Asks the location service for the best recent fix (waiting a little for
 * a good one); the page says it is waiting meanwhile and never blocks. */
static void
stamp_page (TtWindow  *window,
            GtkWidget *page,
            TtItem    *item)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (window));
  TtFixPolicy *policy = get_fix_policy (window);
  TtSettings *settings = TT_IS_APPLICATION (app)
                           ? tt_application_get_settings (TT_APPLICATION (app)) : NULL;
  Stamp *stamp;

  if (policy == NULL)
    {
      set_place (page, NULL, FALSE);
      return;
    }
  stamp = g_new0 (Stamp, 1);
  g_weak_ref_init (&stamp->page, page);
  stamp->item = g_object_ref (item);
  stamp->distance_limit_m = settings ? tt_settings_get_distance_warning_m (settings) : 300;
  /* Whatever is there already shows at once; a better fix replaces it. */
  {
    g_autoptr(TtFixResult) now = tt_fix_policy_pick (policy);
    if (now != NULL && now->has_fix)
      show_fix (stamp, now);
  }
  set_place_waiting (page, TRUE);
  tt_fix_policy_acquire_async (policy, NULL, on_fix_acquired, stamp);
}

static TtStore *
get_store (TtWindow *window)
{
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (window));

  if (!TT_IS_APPLICATION (app))
    return NULL;
  return tt_application_get_store (TT_APPLICATION (app));
}

static void
on_recorded (GtkWidget *page,
             TtEvent   *event,
             TtWindow  *window)
{
  g_autofree char *text = NULL;
  g_autofree char *item_id = g_strdup (event->item_id);

  if (TT_IS_INTAKE_PAGE (page))
    {
      TtItem *item = tt_intake_page_get_item (TT_INTAKE_PAGE (page));
      GtkApplication *app = gtk_window_get_application (GTK_WINDOW (window));
      g_autoptr(GError) error = NULL;
      g_autoptr(TtReceipt) receipt = tt_receipt_new (item, event, &error);
      g_autofree char *folder = NULL;

      /* The dossier is safely recorded whatever happens to the receipt. */
      if (receipt == NULL)
        {
          text = g_strdup_printf (_("Dossier taken in and saved, but the receipt failed: %s"),
                                  error->message);
          tt_window_pop_page (window);
          tt_window_show_toast (window, text);
          return;
        }
      folder = g_build_filename (tt_application_get_data_dir (TT_APPLICATION (app)), "receipts",
                                 NULL);
      tt_intake_page_show_receipt (TT_INTAKE_PAGE (page), tt_receipt_page_new (receipt, folder));
      tt_window_show_toast (window, _("Dossier taken in and saved"));
      return;
    }

  /* Back to the route, where the row shows the new status: the next door
   * is the courier's next step. */
  tt_window_pop_page (window);
  tt_window_pop_page (window);
  if (TT_IS_DELIVERY_PAGE (page))
    text = g_strdup_printf (_("Delivered and saved: %s"), item_id);
  else
    text = g_strdup_printf (_("Failed attempt saved: %s"), item_id);
  tt_window_show_toast (window, text);
}

void
tt_pod_flow_start (TtWindow   *window,
                   const char *action_name,
                   const char *item_id)
{
  TtStore *store = get_store (window);
  g_autoptr(TtItem) item = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  GtkWidget *page;

  g_return_if_fail (TT_IS_WINDOW (window));
  g_return_if_fail (action_name != NULL && item_id != NULL);

  if (store == NULL)
    {
      tt_window_show_toast (window, _("Nothing can be recorded: the data file is not open."));
      return;
    }
  item = tt_store_get_item (store, item_id, &error);
  if (item == NULL)
    {
      text = g_strdup_printf (_("%s is not on today’s route"), item_id);
      tt_window_show_toast (window, text);
      return;
    }
  if (item->status == TT_ITEM_STATUS_DELIVERED || item->status == TT_ITEM_STATUS_COLLECTED)
    {
      text = g_strdup_printf (_("%s is already recorded as done; nothing to do."), item_id);
      tt_window_show_toast (window, text);
      return;
    }

  if (g_str_equal (action_name, "win.deliver"))
    page = tt_delivery_page_new (store, item);
  else if (g_str_equal (action_name, "win.fail-attempt"))
    page = tt_failure_page_new (store, item);
  else
    page = tt_intake_page_new (store, item);

  stamp_page (window, page, item);
  g_signal_connect_object (page, "recorded", G_CALLBACK (on_recorded), window, 0);
  g_weak_ref_set (&get_flow (window)->page, page);
  tt_window_push_page (window, page);
}

void
tt_pod_flow_show_summary (TtWindow *window)
{
  TtStore *store = get_store (window);

  g_return_if_fail (TT_IS_WINDOW (window));

  if (store == NULL)
    {
      tt_window_show_toast (window, _("No summary: the data file is not open."));
      return;
    }
  tt_window_push_page (window, tt_summary_page_new (store));
}

static gboolean
on_scanned (TtWindow     *window,
            const TtCode *code)
{
  g_autoptr(GtkWidget) page = g_weak_ref_get (&get_flow (window)->page);

  if (page == NULL || !gtk_widget_get_mapped (page))
    return FALSE;

  if (TT_IS_DELIVERY_PAGE (page))
    {
      if (code->kind != TT_CODE_KIND_CCCD)
        {
          /* Another envelope must not silently replace a delivery under
           * way. */
          tt_window_show_toast (window, _("A delivery is open: scan the recipient's citizen ID "
                                          "card, or go back first."));
          return TRUE;
        }
      tt_delivery_page_set_scanned_id (TT_DELIVERY_PAGE (page), code->value);
      return TRUE;
    }
  if (TT_IS_INTAKE_PAGE (page))
    {
      if (code->kind == TT_CODE_KIND_CCCD || code->kind == TT_CODE_KIND_ENROLL)
        {
          tt_window_show_toast (window, _("That is not an envelope label: scan the QR label "
                                          "stuck on the envelope."));
          return TRUE;
        }
      tt_intake_page_set_scanned_label (TT_INTAKE_PAGE (page), code->value);
      return TRUE;
    }
  return FALSE;
}

gboolean
tt_pod_flow_handle_scan (TtWindow   *window,
                         const char *payload)
{
  g_autoptr(TtCode) code = NULL;

  g_return_val_if_fail (TT_IS_WINDOW (window), FALSE);
  g_return_val_if_fail (payload != NULL, FALSE);

  if (!tt_code_parse (payload, -1, &code, NULL))
    return FALSE;
  return on_scanned (window, code);
}
