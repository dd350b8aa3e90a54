/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-delivery-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-delivery-page.h"
#include "tt-place-row.h"
#include "tt-pod-ui.h"
#include "tt-signature-pad.h"
#include "tt-text.h"

struct _TtDeliveryPage
{
  AdwBin               parent_instance;

  AdwWindowTitle      *page_title;
  GtkLabel            *heading_label;
  AdwEntryRow         *id_entry;
  AdwActionRow        *identity_row;
  GtkImage            *identity_icon;
  AdwEntryRow         *override_entry;
  AdwPreferencesGroup *proxy_group;
  AdwExpanderRow      *proxy_expander;
  AdwEntryRow         *proxy_name_entry;
  AdwEntryRow         *proxy_rel_entry;
  AdwEntryRow         *proxy_id_entry;
  AdwPreferencesGroup *money_group;
  AdwEntryRow         *collected_entry;
  TtSignaturePad      *pad;
  TtPlaceRow          *place_row;
  GtkLabel            *error_label;
  GtkButton           *confirm_button;

  TtStore             *store;
  TtItem              *item;             /* whole, with its ID hash */
  TtIdMethod           id_method;
  TtIdentityResult     identity;
  char                *checked_number;   /* the number `identity` is about */
  GCancellable        *cancellable;
};

G_DEFINE_FINAL_TYPE (TtDeliveryPage, tt_delivery_page, ADW_TYPE_BIN)

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
show_identity (TtDeliveryPage *self)
{
  GtkWidget *row = GTK_WIDGET (self->identity_row);
  const char *title, *subtitle = NULL, *icon = "contact-new-symbolic";
  gboolean need_override = FALSE;

  gtk_widget_remove_css_class (row, "success");
  gtk_widget_remove_css_class (row, "error");

  if (self->item->id_hash == NULL)
    {
      title = _("Identity cannot be checked");
      subtitle = _("The route has no ID record for this item. Record why you deliver anyway.");
      icon = "dialog-warning-symbolic";
      need_override = TRUE;
    }
  else if (self->checked_number == NULL)
    title = _("Not checked yet");
  else
    switch (self->identity)
      {
      case TT_IDENTITY_MATCH:
        title = _("Identity matches the addressee");
        icon = "emblem-ok-symbolic";
        gtk_widget_add_css_class (row, "success");
        break;
      case TT_IDENTITY_NO_MATCH:
        title = _("Does NOT match the addressee");
        subtitle = _("Do not hand over the document. To deliver anyway, record the reason.");
        icon = "dialog-error-symbolic";
        gtk_widget_add_css_class (row, "error");
        need_override = TRUE;
        break;
      case TT_IDENTITY_UNKNOWN:
      default:
        title = _("Identity cannot be checked");
        subtitle = _("The route's ID record for this item is unreadable. Record why you "
                     "deliver anyway.");
        icon = "dialog-warning-symbolic";
        need_override = TRUE;
        break;
      }
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->identity_row), title);
  adw_action_row_set_subtitle (self->identity_row, subtitle ? subtitle : "");
  gtk_image_set_from_icon_name (self->identity_icon, icon);
  gtk_widget_set_visible (GTK_WIDGET (self->override_entry), need_override);
}

typedef struct
{
  char *hash;
  char *number;
} CheckData;

static void
check_data_free (CheckData *data)
{
  g_free (data->hash);
  g_free (data->number);
  g_free (data);
}

/* Argon2id takes tens of milliseconds on purpose: keep it off the UI. */
static void
check_thread (GTask        *task,
              gpointer      source,
              gpointer      task_data,
              GCancellable *cancellable)
{
  CheckData *data = task_data;

  g_task_return_int (task, tt_identity_verify (data->hash, data->number));
}

static void
check_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  TtDeliveryPage *self = TT_DELIVERY_PAGE (source);
  CheckData *data = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  gssize value = g_task_propagate_int (G_TASK (result), &error);

  if (error != NULL)
    return;
  /* The number may have been retyped meanwhile. */
  if (g_strcmp0 (data->number, gtk_editable_get_text (GTK_EDITABLE (self->id_entry))) != 0)
    return;
  self->identity = (TtIdentityResult) value;
  g_free (self->checked_number);
  self->checked_number = g_strdup (data->number);
  show_identity (self);
}

static void
check_identity (TtDeliveryPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->id_entry));
  g_autoptr(GTask) task = NULL;
  CheckData *data;

  tt_pod_ui_show_error (self->error_label, NULL);
  if (!tt_pod_id_number_is_valid (text))
    {
      tt_pod_ui_show_error (self->error_label,
                            _("A citizen ID number has exactly 12 digits."));
      return;
    }
  if (self->item->id_hash == NULL)
    return;

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->identity_row), _("Checking…"));
  data = g_new0 (CheckData, 1);
  data->hash = g_strdup (self->item->id_hash);
  data->number = g_strdup (text);
  task = g_task_new (self, self->cancellable, check_done, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) check_data_free);
  g_task_run_in_thread (task, check_thread);
}

/* A refusal is about what was there when confirm was tapped: once the
 * courier changes something it no longer applies. */
static void
clear_error (TtDeliveryPage *self)
{
  tt_pod_ui_show_error (self->error_label, NULL);
}

static void
on_id_apply (TtDeliveryPage *self)
{
  check_identity (self);
}

static void
on_id_changed (TtDeliveryPage *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->id_entry));

  /* A number changed by hand is a typed one; a stale result goes. */
  if (g_strcmp0 (text, self->checked_number) != 0)
    {
      g_clear_pointer (&self->checked_number, g_free);
      self->id_method = TT_ID_METHOD_TYPED;
      show_identity (self);
      if (tt_pod_id_number_is_valid (text))
        check_identity (self);
    }
}

/* Fills @in from the widgets; strings stay owned by the widgets. */
static gboolean
collect_input (TtDeliveryPage  *self,
               TtDeliveryInput *in,
               GError         **error)
{
  gint64 collected;

  memset (in, 0, sizeof *in);
  if (!tt_pod_parse_amount (gtk_editable_get_text (GTK_EDITABLE (self->collected_entry)),
                            &collected, error))
    return FALSE;
  in->item = self->item;
  in->id_method = self->id_method;
  in->id_number = gtk_editable_get_text (GTK_EDITABLE (self->id_entry));
  in->override_reason = gtk_widget_get_visible (GTK_WIDGET (self->override_entry))
                          ? gtk_editable_get_text (GTK_EDITABLE (self->override_entry))
                          : NULL;
  in->proxy = gtk_widget_get_visible (GTK_WIDGET (self->proxy_group))
              && adw_expander_row_get_enable_expansion (self->proxy_expander);
  in->proxy_name = gtk_editable_get_text (GTK_EDITABLE (self->proxy_name_entry));
  in->proxy_relationship = gtk_editable_get_text (GTK_EDITABLE (self->proxy_rel_entry));
  in->proxy_id_number = gtk_editable_get_text (GTK_EDITABLE (self->proxy_id_entry));
  in->proxy_id_method = TT_ID_METHOD_TYPED;
  in->collected_vnd = collected;
  in->signature = tt_signature_pad_get_signature (self->pad);
  tt_place_row_get_place (self->place_row, &in->place);
  return TRUE;
}

static void
record (TtDeliveryPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtEvent) event = NULL;
  TtDeliveryInput in;

  if (collect_input (self, &in, &error))
    event = tt_pod_record_delivery (self->store, &in, &error);
  if (event == NULL)
    {
      tt_pod_ui_show_error (self->error_label, error->message);
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm_button), FALSE);
  g_signal_emit (self, signals[RECORDED], 0, event);
}

static void
on_confirm_clicked (TtDeliveryPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *collected = NULL;
  g_autofree char *place = NULL;
  g_autofree char *body = NULL;
  g_autofree char *who = NULL;
  TtDeliveryInput in;

  /* Everything is checked before the review, so that what the courier
   * confirms is what will be saved. */
  if (collect_input (self, &in, &error))
    payload = tt_pod_build_delivery (&in, &error);
  if (payload == NULL)
    {
      tt_pod_ui_show_error (self->error_label, error->message);
      return;
    }
  tt_pod_ui_show_error (self->error_label, NULL);

  if (in.proxy)
    who = g_strdup_printf (_("To: %s (%s), on behalf of %s"), in.proxy_name, in.proxy_relationship,
                           self->item->recipient_name);
  else
    who = g_strdup_printf (_("To: %s"), self->item->recipient_name);
  collected = tt_text_format_vnd (in.collected_vnd);
  place = tt_place_row_dup_summary (self->place_row);
  body = g_strdup_printf ("%s\n%s\n%s: %s\n%s\n%s", who,
                          adw_preferences_row_get_title (ADW_PREFERENCES_ROW (self->identity_row)),
                          _("Collected"), collected, _("Signature recorded"), place);
  tt_pod_ui_review (GTK_WIDGET (self), _("Deliver this item?"), body, _("_Deliver"),
                    G_CALLBACK (record), self);
}

/* Focus rests on the identity result, not on a text field (a scanner's
 * first keys would reach it before the burst is recognised) and not on
 * "back" (a stray Enter would leave the delivery). */
static void
tt_delivery_page_map (GtkWidget *widget)
{
  TtDeliveryPage *self = TT_DELIVERY_PAGE (widget);

  GTK_WIDGET_CLASS (tt_delivery_page_parent_class)->map (widget);
  gtk_widget_grab_focus (GTK_WIDGET (self->identity_row));
}

static void
tt_delivery_page_constructed (GObject *object)
{
  TtDeliveryPage *self = TT_DELIVERY_PAGE (object);
  g_autofree char *heading = NULL;
  g_autofree char *due = NULL;

  G_OBJECT_CLASS (tt_delivery_page_parent_class)->constructed (object);

  g_assert (TT_IS_STORE (self->store));
  g_assert (TT_IS_ITEM (self->item));

  adw_window_title_set_subtitle (self->page_title, self->item->id);
  heading = tt_pod_ui_dup_heading (self->item);
  gtk_label_set_text (self->heading_label, heading);
  gtk_widget_set_visible (GTK_WIDGET (self->proxy_group), self->item->proxy_allowed);
  tt_pod_ui_add_amount_rows (self->money_group, self->item);
  /* Most citizens pay exactly what is due: start from that. */
  due = g_strdup_printf ("%" G_GINT64_FORMAT, tt_item_get_amount_due (self->item));
  gtk_editable_set_text (GTK_EDITABLE (self->collected_entry), due);
  tt_place_row_set_item (self->place_row, self->item);
  show_identity (self);
}

static void
tt_delivery_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TtDeliveryPage *self = TT_DELIVERY_PAGE (object);

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
tt_delivery_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TtDeliveryPage *self = TT_DELIVERY_PAGE (object);

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
tt_delivery_page_dispose (GObject *object)
{
  TtDeliveryPage *self = TT_DELIVERY_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_DELIVERY_PAGE);
  g_clear_object (&self->store);
  g_clear_object (&self->item);
  g_clear_pointer (&self->checked_number, g_free);
  G_OBJECT_CLASS (tt_delivery_page_parent_class)->dispose (object);
}

static void
tt_delivery_page_class_init (TtDeliveryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tt_delivery_page_constructed;
  object_class->set_property = tt_delivery_page_set_property;
  object_class->get_property = tt_delivery_page_get_property;
  object_class->dispose = tt_delivery_page_dispose;
  widget_class->map = tt_delivery_page_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, TT_TYPE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The delivery event is on disk (TtEvent). */
  signals[RECORDED] = g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1,
                                    TT_TYPE_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);

  g_type_ensure (TT_TYPE_SIGNATURE_PAD);
  g_type_ensure (TT_TYPE_PLACE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tantay/TanTay/tt-delivery-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TtDeliveryPage, page_title);
  gtk_widget_class_bind_template_child (widget_class, TtDeliveryPage, heading_label);
  gtk_widget_class_bind_template_child (widget_class, TtDeliveryPage, id_entry);
  gtk_widget_class_bind_template_child (widget_class, TtDeliveryPage, identity_row);
  gtk_widget_class_bind_template_child (widget_class, TtDeliveryPage, identity_icon);
  gtk_widget_class_bind_template_child (widget_class, TtDeliveryPage, override_entry);
  gtk_widget_class_bind_template_child (widget_class, TtDeliveryPage, proxy_group);
  gtk_widget_class_bind_template_child (widget_class, TtDeliveryPage, proxy_expander);
  gtk_widget_class_bind_template_child (widget_class, TtDeliveryPage, proxy_name_entry);
  gtk_widget_class_bind_template_child (widget_class, TtDeliveryPage, proxy_rel_entry);
  gtk_widget_class_bind_template_child (widget_class, TtDeliveryPage, proxy_id_entry);
  gtk_widget_class_bind_template_child (widget_class, TtDeliveryPage, money_group);
  gtk_widget_class_bind_template_child (widget_class, TtDeliveryPage, collected_entry);
  gtk_widget_class_bind_template_child (widget_class, TtDeliveryPage, pad);
  gtk_widget_class_bind_template_child (widget_class, TtDeliveryPage, place_row);
  gtk_widget_class_bind_template_child (widget_class, TtDeliveryPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TtDeliveryPage, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, on_id_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_id_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_clicked);
  gtk_widget_class_bind_template_callback (widget_class, tt_signature_pad_undo);
  gtk_widget_class_bind_template_callback (widget_class, tt_signature_pad_clear);
}

static void
tt_delivery_page_init (TtDeliveryPage *self)
{
  tt_pod_ui_ensure_style ();
  self->id_method = TT_ID_METHOD_TYPED;
  self->identity = TT_IDENTITY_UNKNOWN;
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->pad, "changed", G_CALLBACK (clear_error), self);
  g_signal_connect_swapped (self->place_row, "changed", G_CALLBACK (clear_error), self);
  g_signal_connect_swapped (self->collected_entry, "changed", G_CALLBACK (clear_error), self);
  g_signal_connect_swapped (self->override_entry, "changed", G_CALLBACK (clear_error), self);
  g_signal_connect_swapped (self->proxy_expander, "notify::enable-expansion",
                            G_CALLBACK (clear_error), self);
}

GtkWidget *
tt_delivery_page_new (TtStore *store,
                      TtItem  *item)
{
  return g_object_new (TT_TYPE_DELIVERY_PAGE, "store", store, "item", item, NULL);
}

TtItem *
tt_delivery_page_get_item (TtDeliveryPage *self)
{
  g_return_val_if_fail (TT_IS_DELIVERY_PAGE (self), NULL);
  return self->item;
}

void
tt_delivery_page_set_scanned_id (TtDeliveryPage *self,
                                 const char     *id12)
{
  g_return_if_fail (TT_IS_DELIVERY_PAGE (self));
  g_return_if_fail (id12 != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->id_entry), id12);
  /* After the "changed" handler, which takes any edit for typing. */
  self->id_method = TT_ID_METHOD_QR;
  check_identity (self);
}

void
tt_delivery_page_set_fix_json (TtDeliveryPage *self,
                               const char     *fix_json,
                               gboolean        waiting)
{
  g_return_if_fail (TT_IS_DELIVERY_PAGE (self));

  tt_place_row_set_fix_json (self->place_row, fix_json);
  tt_place_row_set_waiting (self->place_row, waiting);
}

void
tt_delivery_page_set_waiting (TtDeliveryPage *self,
                              gboolean        waiting)
{
  g_return_if_fail (TT_IS_DELIVERY_PAGE (self));

  tt_place_row_set_waiting (self->place_row, waiting);
}
