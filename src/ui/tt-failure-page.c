/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-failure-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-failure-page.h"
#include "tt-place-row.h"
#include "tt-pod-ui.h"

struct _TtFailurePage
{
  AdwBin               parent_instance;

  AdwWindowTitle      *page_title;
  GtkLabel            *heading_label;
  GtkLabel            *attempt_label;
  AdwPreferencesGroup *reason_group;
  AdwEntryRow         *note_entry;
  AdwPreferencesGroup *action_group;
  AdwPreferencesGroup *date_group;
  GtkCalendar         *calendar;
  TtPlaceRow          *place_row;
  GtkLabel            *error_label;
  GtkButton           *confirm_button;

  GtkCheckButton      *reason_checks[TT_FAIL_REASON_N];
  GtkCheckButton      *action_checks[TT_FAIL_ACTION_N];

  TtStore             *store;
  TtItem              *item;
};

G_DEFINE_FINAL_TYPE (TtFailurePage, tt_failure_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_ITEM,
  N_PROPS
};

enum
{
  RECORDED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
clear_error (TtFailurePage *self)
{
  tt_pod_ui_show_error (self->error_label, NULL);
}

static void
on_action_toggled (TtFailurePage *self)
{
  tt_pod_ui_show_error (self->error_label, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->date_group),
                          gtk_check_button_get_active (self->action_checks[TT_FAIL_ACTION_RETRY]));
}

/* A row with a radio button, named after @code so tests can find it. */
static GtkCheckButton *
add_choice (AdwPreferencesGroup *group,
            GtkCheckButton      *first,
            const char          *code,
            const char          *label)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *check = gtk_check_button_new ();
  g_autofree char *name = g_strconcat ("choice-", code, NULL);

  gtk_widget_set_name (row, name);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), label);
  if (first)
    gtk_check_button_set_group (GTK_CHECK_BUTTON (check), first);
  gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
  adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
  adw_preferences_group_add (group, row);
  return GTK_CHECK_BUTTON (check);
}

static gboolean
collect_input (TtFailurePage  *self,
               TtFailureInput *in,
               GDate          *date)
{
  memset (in, 0, sizeof *in);
  in->item = self->item;
  in->reason = TT_FAIL_REASON_N;
  in->action = TT_FAIL_ACTION_N;
  for (guint i = 0; i < TT_FAIL_REASON_N; i++)
    if (gtk_check_button_get_active (self->reason_checks[i]))
      in->reason = i;
  for (guint i = 0; i < TT_FAIL_ACTION_N; i++)
    if (gtk_check_button_get_active (self->action_checks[i]))
      in->action = i;
  in->note = gtk_editable_get_text (GTK_EDITABLE (self->note_entry));
  if (in->action == TT_FAIL_ACTION_RETRY)
    {
      g_autoptr(GDateTime) dt = gtk_calendar_get_date (self->calendar);
      g_date_clear (date, 1);
      g_date_set_dmy (date, g_date_time_get_day_of_month (dt), g_date_time_get_month (dt),
                      g_date_time_get_year (dt));
      in->retry_date = date;
    }
  tt_place_row_get_place (self->place_row, &in->place);
  return TRUE;
}

static void
record (TtFailurePage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtEvent) event = NULL;
  TtFailureInput in;
  GDate date;

  collect_input (self, &in, &date);
  event = tt_pod_record_failure (self->store, &in, &error);
  if (event == NULL)
    {
      tt_pod_ui_show_error (self->error_label, error->message);
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm_button), FALSE);
  g_signal_emit (self, signals[RECORDED], 0, event);
}

static void
on_confirm_clicked (TtFailurePage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *place = NULL;
  g_autofree char *body = NULL;
  g_autofree char *action = NULL;
  TtFailureInput in;
  GDate date;

  collect_input (self, &in, &date);
  payload = tt_pod_build_failure (&in, &error);
  if (payload == NULL)
    {
      tt_pod_ui_show_error (self->error_label, error->message);
      return;
    }
  tt_pod_ui_show_error (self->error_label, NULL);

  if (in.action == TT_FAIL_ACTION_RETRY)
    {
      char when[32];
      g_date_strftime (when, sizeof when, "%d/%m/%Y", &date);
      action = g_strdup_printf ("%s: %s", tt_fail_action_get_label (in.action), when);
    }
  else
    action = g_strdup (tt_fail_action_get_label (in.action));
  place = tt_place_row_dup_summary (self->place_row);
  body = g_strdup_printf ("%s: %s\n%s: %s\n%s", _("Reason"), tt_fail_reason_get_label (in.reason),
                          _("Action"), action, place);
  tt_pod_ui_review (GTK_WIDGET (self), _("Record this failed attempt?"), body, _("_Record"),
                    G_CALLBACK (record), self);
}

/* Focus starts on the first reason, not on "back": a stray Enter must not
 * leave the page. */
static void
tt_failure_page_map (GtkWidget *widget)
{
  TtFailurePage *self = TT_FAILURE_PAGE (widget);

  GTK_WIDGET_CLASS (tt_failure_page_parent_class)->map (widget);
  gtk_widget_grab_focus (GTK_WIDGET (self->reason_checks[0]));
}

static void
tt_failure_page_constructed (GObject *object)
{
  TtFailurePage *self = TT_FAILURE_PAGE (object);
  g_autofree char *heading = NULL;
  g_autofree char *attempt = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (now, 1);

  G_OBJECT_CLASS (tt_failure_page_parent_class)->constructed (object);

  g_assert (TT_IS_STORE (self->store));
  g_assert (TT_IS_ITEM (self->item));

  adw_window_title_set_subtitle (self->page_title, self->item->id);
  heading = tt_pod_ui_dup_heading (self->item);
  gtk_label_set_text (self->heading_label, heading);
  attempt = g_strdup_printf (_("This will be attempt %d; %d failed before."),
                             self->item->attempts + 1, self->item->attempts);
  gtk_label_set_text (self->attempt_label, self->item->attempts > 0 ? attempt
                                                                      : _("First attempt."));
  /* Repeated failures stand out: the office may return the item. */
  if (self->item->attempts > 0)
    gtk_widget_add_css_class (GTK_WIDGET (self->attempt_label), "pod-attempt");
  tt_place_row_set_item (self->place_row, self->item);
  gtk_calendar_select_day (self->calendar, tomorrow);
}

static void
tt_failure_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TtFailurePage *self = TT_FAILURE_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_ITEM:
      self->item = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_failure_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TtFailurePage *self = TT_FAILURE_PAGE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_failure_page_dispose (GObject *object)
{
  TtFailurePage *self = TT_FAILURE_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_FAILURE_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->item);
  G_OBJECT_CLASS (tt_failure_page_parent_class)->dispose (object);
}

static void
tt_failure_page_class_init (TtFailurePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tt_failure_page_constructed;
  object_class->set_property = tt_failure_page_set_property;
  object_class->get_property = tt_failure_page_get_property;
  object_class->dispose = tt_failure_page_dispose;
  widget_class->map = tt_failure_page_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, TT_TYPE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The failed-attempt event is on disk (TtEvent). */
  signals[RECORDED] = g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1,
                                    TT_TYPE_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);

  g_type_ensure (TT_TYPE_PLACE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tantay/TanTay/tt-failure-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TtFailurePage, page_title);
  gtk_widget_class_bind_template_child (widget_class, TtFailurePage, heading_label);
  gtk_widget_class_bind_template_child (widget_class, TtFailurePage, attempt_label);
  gtk_widget_class_bind_template_child (widget_class, TtFailurePage, reason_group);
  gtk_widget_class_bind_template_child (widget_class, TtFailurePage, note_entry);
  gtk_widget_class_bind_template_child (widget_class, TtFailurePage, action_group);
  gtk_widget_class_bind_template_child (widget_class, TtFailurePage, date_group);
  gtk_widget_class_bind_template_child (widget_class, TtFailurePage, calendar);
  gtk_widget_class_bind_template_child (widget_class, TtFailurePage, place_row);
  gtk_widget_class_bind_template_child (widget_class, TtFailurePage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TtFailurePage, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, clear_error);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_clicked);
}

static void
tt_failure_page_init (TtFailurePage *self)
{
  tt_pod_ui_ensure_style ();
  gtk_widget_init_template (GTK_WIDGET (self));

  /* The reasons and actions are the fixed lists of the event format. */
  for (guint i = 0; i < TT_FAIL_REASON_N; i++)
    {
      self->reason_checks[i] = add_choice (self->reason_group, i ? self->reason_checks[0] : NULL,
                                           tt_fail_reason_to_string (i),
                                           tt_fail_reason_get_label (i));
      g_signal_connect_swapped (self->reason_checks[i], "toggled", G_CALLBACK (clear_error),
                                self);
    }
  g_signal_connect_swapped (self->note_entry, "changed", G_CALLBACK (clear_error), self);
  g_signal_connect_swapped (self->place_row, "changed", G_CALLBACK (clear_error), self);
  for (guint i = 0; i < TT_FAIL_ACTION_N; i++)
    {
      self->action_checks[i] = add_choice (self->action_group, i ? self->action_checks[0] : NULL,
                                           tt_fail_action_to_string (i),
                                           tt_fail_action_get_label (i));
      g_signal_connect_swapped (self->action_checks[i], "toggled",
                                G_CALLBACK (on_action_toggled), self);
    }
  /* The usual case: nobody home, a notice in the letterbox. */
  gtk_check_button_set_active (self->action_checks[TT_FAIL_ACTION_NOTICE_LEFT], TRUE);
}

GtkWidget *
tt_failure_page_new (TtStore *store,
                     TtItem  *item)
{
  return g_object_new (TT_TYPE_FAILURE_PAGE, "store", store, "item", item, NULL);
}

TtItem *
tt_failure_page_get_item (TtFailurePage *self)
{
  g_return_val_if_fail (TT_IS_FAILURE_PAGE (self), NULL);
  return self->item;
}

void
tt_failure_page_set_fix_json (TtFailurePage *self,
                              const char    *fix_json,
                              gboolean       waiting)
{
  g_return_if_fail (TT_IS_FAILURE_PAGE (self));

  tt_place_row_set_fix_json (self->place_row, fix_json);
  tt_place_row_set_waiting (self->place_row, waiting);
}

void
tt_failure_page_set_waiting (TtFailurePage *self,
                             gboolean       waiting)
{
  g_return_if_fail (TT_IS_FAILURE_PAGE (self));

  tt_place_row_set_waiting (self->place_row, waiting);
}
