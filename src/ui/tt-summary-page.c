/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-summary-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-pod-ui.h"
#include "tt-pod.h"
#include "tt-summary-page.h"
#include "tt-text.h"

struct _TtSummaryPage
{
  AdwBin          parent_instance;

  AdwWindowTitle *page_title;
  GtkLabel       *delivered_label;
  GtkLabel       *failed_label;
  GtkLabel       *picked_up_label;
  GtkLabel       *to_do_label;
  GtkLabel       *fees_label;
  GtkLabel       *postage_label;
  GtkLabel       *total_label;
  GtkLabel       *unsynced_label;
  GtkLabel       *quarantined_label;
  AdwActionRow   *quarantined_row;
  AdwActionRow   *failed_row;
  GtkLabel       *error_label;

  TtStore        *store;
};

G_DEFINE_FINAL_TYPE (TtSummaryPage, tt_summary_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_STORE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_count (GtkLabel *label,
           guint     n)
{
  g_autofree char *text = g_strdup_printf ("%u", n);

  gtk_label_set_text (label, text);
}

static void
set_amount (GtkLabel *label,
            gint64    vnd)
{
  g_autofree char *text = tt_text_format_vnd (vnd);

  gtk_label_set_text (label, text);
}

/* Midnight of today, local time, as an event time (UTC). */
static char *
start_of_today (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) midnight = g_date_time_new_local (g_date_time_get_year (now),
                                                         g_date_time_get_month (now),
                                                         g_date_time_get_day_of_month (now),
                                                         0, 0, 0);
  g_autoptr(GDateTime) utc = g_date_time_to_utc (midnight);

  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%S.000Z");
}

void
tt_summary_page_refresh (TtSummaryPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *since = start_of_today ();
  g_autofree char *date = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  TtPodSummary s;

  g_return_if_fail (TT_IS_SUMMARY_PAGE (self));

  date = g_date_time_format (now, "%d/%m/%Y");
  adw_window_title_set_subtitle (self->page_title, date);
  if (!tt_pod_summarize (self->store, since, &s, &error))
    {
      gtk_label_set_text (self->error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  set_count (self->delivered_label, s.delivered);
  set_count (self->failed_label, s.failed);
  set_count (self->picked_up_label, s.picked_up);
  set_count (self->to_do_label, s.to_do);
  set_amount (self->fees_label, s.fees_vnd);
  set_amount (self->postage_label, s.postage_vnd);
  set_amount (self->total_label, s.fees_vnd + s.postage_vnd);
  set_count (self->unsynced_label, s.unsynced);
  set_count (self->quarantined_label, s.quarantined);
  gtk_widget_set_visible (GTK_WIDGET (self->quarantined_row), s.quarantined > 0);
  if (s.attempts > 0)
    {
      g_autofree char *sub = g_strdup_printf (ngettext ("%u failed attempt recorded today",
                                                        "%u failed attempts recorded today",
                                                        s.attempts),
                                              s.attempts);
      adw_action_row_set_subtitle (self->failed_row, sub);
    }
}

static void
tt_summary_page_constructed (GObject *object)
{
  TtSummaryPage *self = TT_SUMMARY_PAGE (object);

  G_OBJECT_CLASS (tt_summary_page_parent_class)->constructed (object);

  g_assert (TT_IS_STORE (self->store));
  /* The page follows the store: a sync or a new record updates it. */
  g_signal_connect_object (self->store, "event-added", G_CALLBACK (tt_summary_page_refresh),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "events-changed", G_CALLBACK (tt_summary_page_refresh),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->store, "route-changed", G_CALLBACK (tt_summary_page_refresh),
                           self, G_CONNECT_SWAPPED);
  tt_summary_page_refresh (self);
}

static void
tt_summary_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TtSummaryPage *self = TT_SUMMARY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_summary_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TtSummaryPage *self = TT_SUMMARY_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_summary_page_dispose (GObject *object)
{
  TtSummaryPage *self = TT_SUMMARY_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_SUMMARY_PAGE);
  g_clear_object (&self->store);
  G_OBJECT_CLASS (tt_summary_page_parent_class)->dispose (object);
}

static void
tt_summary_page_class_init (TtSummaryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tt_summary_page_constructed;
  object_class->set_property = tt_summary_page_set_property;
  object_class->get_property = tt_summary_page_get_property;
  object_class->dispose = tt_summary_page_dispose;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tantay/TanTay/tt-summary-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, page_title);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, delivered_label);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, failed_label);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, picked_up_label);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, to_do_label);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, fees_label);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, postage_label);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, total_label);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, unsynced_label);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, quarantined_label);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, quarantined_row);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, failed_row);
  gtk_widget_class_bind_template_child (widget_class, TtSummaryPage, error_label);
}

static void
tt_summary_page_init (TtSummaryPage *self)
{
  tt_pod_ui_ensure_style ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tt_summary_page_new (TtStore *store)
{
  return g_object_new (TT_TYPE_SUMMARY_PAGE, "store", store, NULL);
}
