/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-pod-flow"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-application.h"
#include "tt-code.h"
#include "tt-delivery-page.h"
#include "tt-failure-page.h"
#include "tt-intake-page.h"
#include "tt-pod-flow.h"
#include "tt-receipt-page.h"
#include "tt-summary-page.h"

#define FLOW_KEY "tt-pod-flow"

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

  /* No location service is wired to the flows on this build: say so
   * plainly and let the courier record without a position. */
  if (TT_IS_DELIVERY_PAGE (page))
    tt_delivery_page_set_fix_json (TT_DELIVERY_PAGE (page), NULL, FALSE);
  else if (TT_IS_FAILURE_PAGE (page))
    tt_failure_page_set_fix_json (TT_FAILURE_PAGE (page), NULL, FALSE);
  else
    tt_intake_page_set_fix_json (TT_INTAKE_PAGE (page), NULL, FALSE);

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

gboolean
tt_pod_flow_handle_scan (TtWindow   *window,
                         const char *payload)
{
  g_autoptr(GtkWidget) page = NULL;
  g_autoptr(TtCode) code = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_return_val_if_fail (TT_IS_WINDOW (window), FALSE);
  g_return_val_if_fail (payload != NULL, FALSE);

  page = g_weak_ref_get (&get_flow (window)->page);
  if (page == NULL || !gtk_widget_get_mapped (page))
    return FALSE;
  if (!TT_IS_DELIVERY_PAGE (page) && !TT_IS_INTAKE_PAGE (page))
    return FALSE;

  if (!tt_code_parse (payload, -1, &code, &error))
    {
      text = g_strdup_printf (_("Scan not accepted: %s"), error->message);
      tt_window_show_toast (window, text);
      return TRUE;
    }
  if (TT_IS_DELIVERY_PAGE (page))
    {
      if (code->kind != TT_CODE_KIND_CCCD)
        {
          tt_window_show_toast (window, _("That is not a citizen ID: scan the QR code on the "
                                          "recipient's chip ID card."));
          return TRUE;
        }
      tt_delivery_page_set_scanned_id (TT_DELIVERY_PAGE (page), code->value);
      return TRUE;
    }
  if (code->kind == TT_CODE_KIND_CCCD || code->kind == TT_CODE_KIND_ENROLL)
    {
      tt_window_show_toast (window, _("That is not an envelope label: scan the QR label stuck "
                                      "on the envelope."));
      return TRUE;
    }
  tt_intake_page_set_scanned_label (TT_INTAKE_PAGE (page), code->value);
  return TRUE;
}
