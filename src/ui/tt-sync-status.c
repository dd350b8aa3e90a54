/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-sync-status"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-sync-status.h"

struct _TtSyncStatus
{
  GtkWidget   parent_instance;

  TtSync     *sync;
  char       *summary;

  GtkWidget  *button;
  GtkWidget  *popover;
  GtkLabel   *count_label;
  GtkLabel   *summary_label;
  GtkLabel   *last_sync_label;
  GtkLabel   *error_label;
  GtkLabel   *refused_label;
};

G_DEFINE_FINAL_TYPE (TtSyncStatus, tt_sync_status, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SYNC,
  PROP_SUMMARY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* "08:42" today, "24/11 08:42" before. */
static char *
format_time (const char *iso)
{
  g_autoptr(GDateTime) utc = iso ? g_date_time_new_from_iso8601 (iso, NULL) : NULL;
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  if (utc == NULL)
    return NULL;
  local = g_date_time_to_local (utc);
  if (g_date_time_get_year (local) == g_date_time_get_year (now)
      && g_date_time_get_day_of_year (local) == g_date_time_get_day_of_year (now))
    return g_date_time_format (local, "%H:%M");
  return g_date_time_format (local, "%d/%m %H:%M");
}

static void
update (TtSyncStatus *self)
{
  TtSyncState state = tt_sync_get_state (self->sync);
  guint pending = tt_sync_get_pending (self->sync);
  const char *error = tt_sync_get_last_error (self->sync);
  g_autofree char *when = format_time (tt_sync_get_last_sync (self->sync));
  g_autofree char *count = g_strdup_printf ("%u", pending);
  g_autofree char *last = NULL;
  const char *icon;

  g_free (self->summary);
  switch (state)
    {
    case TT_SYNC_STATE_NOT_ENROLLED:
      icon = "network-offline-symbolic";
      self->summary = g_strdup (_("Not connected to an office server"));
      break;
    case TT_SYNC_STATE_SYNCING:
      icon = "emblem-synchronizing-symbolic";
      self->summary = g_strdup (_("Sending…"));
      break;
    case TT_SYNC_STATE_ERROR:
      icon = "dialog-warning-symbolic";
      self->summary = pending ? g_strdup_printf (ngettext ("Not sent: %u record waiting",
                                                           "Not sent: %u records waiting", pending),
                                                 pending)
                              : g_strdup (_("The last sync failed"));
      break;
    case TT_SYNC_STATE_IDLE:
    default:
      icon = pending ? "emblem-synchronizing-symbolic" : "emblem-ok-symbolic";
      self->summary = pending ? g_strdup_printf (ngettext ("%u record waiting to be sent",
                                                           "%u records waiting to be sent", pending),
                                                 pending)
                              : g_strdup (_("Everything has been sent"));
      break;
    }

  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (self->button), icon);
  gtk_label_set_label (self->count_label, count);
  gtk_widget_set_visible (GTK_WIDGET (self->count_label), pending > 0);
  gtk_label_set_label (self->summary_label, self->summary);
  gtk_widget_set_tooltip_text (self->button, self->summary);

  last = when ? g_strdup_printf (_("Last sync: %s"), when) : g_strdup (_("Never synced"));
  gtk_label_set_label (self->last_sync_label, last);
  gtk_label_set_label (self->error_label, error ? error : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label),
                          error != NULL && state != TT_SYNC_STATE_SYNCING);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "sync-status.sync-now",
                                 state == TT_SYNC_STATE_IDLE || state == TT_SYNC_STATE_ERROR);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUMMARY]);
}

/* Refused records never block the others, but the courier must know:
 * the office has to look at them. */
static void
update_refused (TtSyncStatus *self)
{
  g_autoptr(GPtrArray) refused = tt_sync_list_quarantined (self->sync, NULL);
  g_autoptr(GString) text = NULL;

  if (refused == NULL || refused->len == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->refused_label), FALSE);
      return;
    }
  text = g_string_new (NULL);
  g_string_printf (text, ngettext ("%u record was refused by the server; show this to the office:",
                                   "%u records were refused by the server; show this to the office:",
                                   refused->len),
                   refused->len);
  for (guint i = 0; i < MIN (refused->len, 3); i++)
    {
      TtEvent *e = g_ptr_array_index (refused, i);

      g_string_append_printf (text, "\n• %s %s: %s", e->type, e->item_id ? e->item_id : "",
                              e->reason ? e->reason : "");
    }
  gtk_label_set_label (self->refused_label, text->str);
  gtk_widget_set_visible (GTK_WIDGET (self->refused_label), TRUE);
}

static void
action_sync_now (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *param)
{
  TtSyncStatus *self = TT_SYNC_STATUS (widget);

  tt_sync_request (self->sync);
}

static void
tt_sync_status_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TtSyncStatus *self = TT_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;
    case PROP_SUMMARY:
      g_value_set_string (value, self->summary);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_sync_status_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TtSyncStatus *self = TT_SYNC_STATUS (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      self->sync = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_sync_status_constructed (GObject *object)
{
  TtSyncStatus *self = TT_SYNC_STATUS (object);

  G_OBJECT_CLASS (tt_sync_status_parent_class)->constructed (object);

  g_assert (self->sync != NULL);
  g_signal_connect_object (self->sync, "notify::state", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sync, "notify::pending", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sync, "notify::last-sync", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sync, "notify::last-error", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sync, "notify::quarantined", G_CALLBACK (update_refused), self,
                           G_CONNECT_SWAPPED);
  update (self);
  update_refused (self);
}

static void
tt_sync_status_dispose (GObject *object)
{
  TtSyncStatus *self = TT_SYNC_STATUS (object);
  GtkWidget *child;

  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_SYNC_STATUS);
  /* The template's top box is not bound, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->sync);

  G_OBJECT_CLASS (tt_sync_status_parent_class)->dispose (object);
}

static void
tt_sync_status_finalize (GObject *object)
{
  TtSyncStatus *self = TT_SYNC_STATUS (object);

  g_free (self->summary);

  G_OBJECT_CLASS (tt_sync_status_parent_class)->finalize (object);
}

static void
tt_sync_status_class_init (TtSyncStatusClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tt_sync_status_get_property;
  object_class->set_property = tt_sync_status_set_property;
  object_class->constructed = tt_sync_status_constructed;
  object_class->dispose = tt_sync_status_dispose;
  object_class->finalize = tt_sync_status_finalize;

  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, TT_TYPE_SYNC,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUMMARY] =
    g_param_spec_string ("summary", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tantay/TanTay/tt-sync-status.ui");
  gtk_widget_class_bind_template_child (widget_class, TtSyncStatus, button);
  gtk_widget_class_bind_template_child (widget_class, TtSyncStatus, popover);
  gtk_widget_class_bind_template_child (widget_class, TtSyncStatus, count_label);
  gtk_widget_class_bind_template_child (widget_class, TtSyncStatus, summary_label);
  gtk_widget_class_bind_template_child (widget_class, TtSyncStatus, last_sync_label);
  gtk_widget_class_bind_template_child (widget_class, TtSyncStatus, error_label);
  gtk_widget_class_bind_template_child (widget_class, TtSyncStatus, refused_label);
  gtk_widget_class_install_action (widget_class, "sync-status.sync-now", NULL, action_sync_now);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sync-status");
}

static void
tt_sync_status_init (TtSyncStatus *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tt_sync_status_new (TtSync *sync)
{
  g_return_val_if_fail (TT_IS_SYNC (sync), NULL);

  return g_object_new (TT_TYPE_SYNC_STATUS, "sync", sync, NULL);
}

TtSync *
tt_sync_status_get_sync (TtSyncStatus *self)
{
  g_return_val_if_fail (TT_IS_SYNC_STATUS (self), NULL);
  return self->sync;
}

const char *
tt_sync_status_get_summary (TtSyncStatus *self)
{
  g_return_val_if_fail (TT_IS_SYNC_STATUS (self), NULL);
  return self->summary;
}
