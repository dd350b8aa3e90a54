/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-item-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-fees.h"
#include "tt-item-page.h"
#include "tt-text.h"
#include "tt-window.h"

/* Everything known about one item, and the buttons that act on it. */
struct _TtItemPage
{
  AdwBin                parent_instance;

  TtItem               *item;

  AdwWindowTitle       *page_title;
  GtkLabel             *status_label;
  GtkLabel             *kind_label;
  GtkLabel             *attempts_label;
  GtkBox               *content_box;
  GtkLabel             *name_label;
  GtkLabel             *address_label;
  GtkLabel             *summary_total_label;
  AdwActionRow         *phone_row;
  GtkLinkButton        *call_button;
  AdwActionRow         *district_row;
  AdwActionRow         *proxy_row;
  AdwPreferencesGroup  *document_group;
  AdwActionRow         *procedure_row;
  AdwActionRow         *agency_row;
  AdwActionRow         *dossier_row;
  AdwActionRow         *item_id_row;
  AdwActionRow         *fee_row;
  GtkLabel             *fee_label;
  AdwActionRow         *postage_row;
  GtkLabel             *postage_label;
  AdwActionRow         *exemption_row;
  GtkLabel             *exemption_label;
  GtkLabel             *total_label;
  AdwPreferencesGroup  *checklist_group;
  GtkButton            *deliver_button;
  GtkButton            *fail_button;
  GtkButton            *intake_button;
  GtkLabel             *done_label;
  GtkBox               *action_bar;

  GPtrArray            *checklist_rows;
  gulong                landscape_handler;
};

G_DEFINE_FINAL_TYPE (TtItemPage, tt_item_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_ITEM,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
set_row (AdwActionRow *row,
         const char   *value)
{
  gboolean known = value != NULL && *value != '\0';

  /* Text the courier may have to read out or type elsewhere. */
  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), known ? value : "");
  gtk_widget_set_visible (GTK_WIDGET (row), known);
}

static void
set_amount (GtkLabel *label,
            gint64    amount)
{
  g_autofree char *text = tt_text_format_vnd (amount);

  gtk_label_set_label (label, text);
}

static void
update_status (TtItemPage *self)
{
  TtItem *item = self->item;
  const char *status = tt_item_status_to_string (item->status);
  const char *classes[] = { "badge", status, NULL };
  gboolean open = item->status == TT_ITEM_STATUS_PENDING || item->status == TT_ITEM_STATUS_OUT
                  || item->status == TT_ITEM_STATUS_FAILED;

  gtk_label_set_label (self->status_label, tt_window_status_label (status));
  gtk_widget_set_css_classes (GTK_WIDGET (self->status_label), classes);

  if (item->attempts > 0)
    {
      g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d failed attempt",
                                                            "%d failed attempts", item->attempts),
                                               item->attempts);

      gtk_label_set_label (self->attempts_label, text);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->attempts_label), item->attempts > 0);

  gtk_widget_set_visible (GTK_WIDGET (self->action_bar), open);
  gtk_widget_set_visible (GTK_WIDGET (self->done_label), !open);
  if (item->status == TT_ITEM_STATUS_DELIVERED)
    gtk_label_set_label (self->done_label, _("Delivered — nothing left to do here"));
  else if (item->status == TT_ITEM_STATUS_COLLECTED)
    gtk_label_set_label (self->done_label, _("Dossier taken in — nothing left to do here"));
  else if (!open)
    gtk_label_set_label (self->done_label, tt_window_status_label (status));
}

static void
fill_amounts (TtItemPage *self)
{
  TtItem *item = self->item;
  TtAmountDue due;

  tt_fees_compute (item->fee_vnd, item->postage_vnd, item->beneficiary, &due);
  set_amount (self->fee_label, due.fee_vnd);
  set_amount (self->postage_label, due.postage_vnd);
  gtk_widget_set_visible (GTK_WIDGET (self->fee_row), due.fee_vnd > 0);

  if (due.beneficiary != NULL)
    {
      g_autofree char *subtitle = NULL;
      g_autofree char *amount = tt_text_format_vnd (due.exemption_vnd);
      g_autofree char *minus = g_strconcat ("− ", amount, NULL);
      const char *fee_note = due.fee_vnd > 0 ? _("The fee for the agency is still due.") : "";

      if (due.beneficiary->postage_percent_off >= 100)
        subtitle = g_strdup_printf ("%s %s", _("Postage is free for this recipient "
                                               "(Circular 22/2017/TT-BTTTT)."), fee_note);
      else if (due.beneficiary->postage_percent_off > 0)
        {
          g_autofree char *off =
            g_strdup_printf (_("%d %% off the postage for this recipient "
                               "(Circular 22/2017/TT-BTTTT)."),
                             due.beneficiary->postage_percent_off);

          subtitle = g_strdup_printf ("%s %s", off, fee_note);
        }
      else
        subtitle = g_strdup (_("No postage exemption for this category."));
      g_strchomp (subtitle);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->exemption_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->exemption_row),
                                     _(due.beneficiary->label));
      adw_action_row_set_subtitle (self->exemption_row, subtitle);
      gtk_label_set_label (self->exemption_label, minus);
      gtk_widget_set_visible (GTK_WIDGET (self->exemption_label), due.exemption_vnd > 0);
      gtk_widget_set_visible (GTK_WIDGET (self->exemption_row), TRUE);
    }
  else if (item->beneficiary != NULL && *item->beneficiary != '\0')
    {
      g_autofree char *subtitle =
        g_strdup_printf (_("Category “%s” is not known to this app: no exemption applied. "
                           "Check with the office."), item->beneficiary);

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (self->exemption_row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self->exemption_row),
                                     _("Unknown beneficiary category"));
      adw_action_row_set_subtitle (self->exemption_row, subtitle);
      gtk_widget_set_visible (GTK_WIDGET (self->exemption_label), FALSE);
      gtk_widget_set_visible (GTK_WIDGET (self->exemption_row), TRUE);
    }
  else
    gtk_widget_set_visible (GTK_WIDGET (self->exemption_row), FALSE);

  if (due.total_vnd > 0)
    {
      set_amount (self->total_label, due.total_vnd);
      set_amount (self->summary_total_label, due.total_vnd);
    }
  else
    {
      set_amount (self->total_label, 0);
      set_amount (self->summary_total_label, 0);
    }
}

static void
fill_checklist (TtItemPage *self)
{
  TtItem *item = self->item;
  gboolean any = item->checklist != NULL && item->checklist[0] != NULL;

  for (guint i = 0; i < self->checklist_rows->len; i++)
    adw_preferences_group_remove (self->checklist_group, g_ptr_array_index (self->checklist_rows, i));
  g_ptr_array_set_size (self->checklist_rows, 0);
  for (guint i = 0; any && item->checklist[i] != NULL; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name ("document-open-symbolic");

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), item->checklist[i]);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      adw_preferences_group_add (self->checklist_group, row);
      g_ptr_array_add (self->checklist_rows, row);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->checklist_group), any);
}

static void
fill (TtItemPage *self)
{
  TtItem *item = self->item;
  gboolean pickup = item->kind == TT_ITEM_KIND_PICKUP;
  g_autofree char *address = NULL;
  GVariant *target;

  adw_window_title_set_title (self->page_title, item->recipient_name);
  adw_window_title_set_subtitle (self->page_title, item->id);

  gtk_label_set_label (self->kind_label, pickup ? _("Pickup") : _("Delivery"));
  gtk_widget_set_css_classes (GTK_WIDGET (self->kind_label),
                              (const char *[]) { "badge", pickup ? "pickup" : "delivery", NULL });

  gtk_label_set_label (self->name_label, item->recipient_name);
  set_row (self->phone_row, item->phone);
  if (item->phone != NULL && *item->phone != '\0')
    {
      g_autofree char *uri = g_strconcat ("tel:", item->phone, NULL);

      gtk_link_button_set_uri (self->call_button, uri);
    }
  /* The legacy district has its own row, so it is left out here. */
  address = g_strjoin (", ", item->street, item->commune, item->province, NULL);
  gtk_label_set_label (self->address_label, address);
  set_row (self->district_row, item->district);
  set_row (self->proxy_row, item->proxy_allowed
                            ? _("The addressee or an authorised person")
                            : _("Only the addressee in person"));

  adw_preferences_group_set_title (self->document_group,
                                   pickup ? _("Dossier to Take In") : _("Document"));
  set_row (self->procedure_row, item->procedure);
  set_row (self->agency_row, item->agency);
  set_row (self->dossier_row, item->dossier_code);
  set_row (self->item_id_row, item->id);

  fill_amounts (self);
  fill_checklist (self);

  target = g_variant_new_string (item->id);
  g_variant_ref_sink (target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->deliver_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->fail_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->intake_button), target);
  g_variant_unref (target);
  gtk_widget_set_visible (GTK_WIDGET (self->deliver_button), !pickup);
  gtk_widget_set_visible (GTK_WIDGET (self->fail_button), !pickup);
  gtk_widget_set_visible (GTK_WIDGET (self->intake_button), pickup);

  update_status (self);
}

static void
tt_item_page_get_property (GObject    *object,
                           guint       prop_id,
                           GValue     *value,
                           GParamSpec *pspec)
{
  TtItemPage *self = TT_ITEM_PAGE (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      g_value_set_object (value, self->item);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_item_page_set_property (GObject      *object,
                           guint         prop_id,
                           const GValue *value,
                           GParamSpec   *pspec)
{
  TtItemPage *self = TT_ITEM_PAGE (object);

  switch (prop_id)
    {
    case PROP_ITEM:
      tt_item_page_set_item (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}


static void
update_layout (TtItemPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *bar = GTK_WIDGET (self->action_bar);
  gboolean wide = TT_IS_WINDOW (root) && tt_window_get_landscape (TT_WINDOW (root));

  /* In landscape the buttons move to a column on the right, where the
   * thumb is, and the details keep the full height. */
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->content_box),
                                  wide ? GTK_ORIENTATION_HORIZONTAL : GTK_ORIENTATION_VERTICAL);
  gtk_orientable_set_orientation (GTK_ORIENTABLE (bar),
                                  wide ? GTK_ORIENTATION_VERTICAL : GTK_ORIENTATION_HORIZONTAL);
  gtk_widget_set_size_request (bar, wide ? 220 : -1, -1);
  gtk_widget_set_valign (bar, wide ? GTK_ALIGN_END : GTK_ALIGN_FILL);
  if (wide)
    gtk_widget_add_css_class (bar, "side");
  else
    gtk_widget_remove_css_class (bar, "side");
}

static void
tt_item_page_root (GtkWidget *widget)
{
  TtItemPage *self = TT_ITEM_PAGE (widget);
  GtkRoot *root;

  GTK_WIDGET_CLASS (tt_item_page_parent_class)->root (widget);

  root = gtk_widget_get_root (widget);
  if (TT_IS_WINDOW (root))
    self->landscape_handler = g_signal_connect_swapped (root, "notify::landscape",
                                                        G_CALLBACK (update_layout), self);
  update_layout (self);
}

static void
tt_item_page_unroot (GtkWidget *widget)
{
  TtItemPage *self = TT_ITEM_PAGE (widget);

  g_clear_signal_handler (&self->landscape_handler, gtk_widget_get_root (widget));

  GTK_WIDGET_CLASS (tt_item_page_parent_class)->unroot (widget);
}

static void
tt_item_page_dispose (GObject *object)
{
  TtItemPage *self = TT_ITEM_PAGE (object);


  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_ITEM_PAGE);
  g_clear_object (&self->item);
  g_clear_pointer (&self->checklist_rows, g_ptr_array_unref);

  G_OBJECT_CLASS (tt_item_page_parent_class)->dispose (object);
}

static void
tt_item_page_class_init (TtItemPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tt_item_page_get_property;
  object_class->set_property = tt_item_page_set_property;
  object_class->dispose = tt_item_page_dispose;
  widget_class->root = tt_item_page_root;
  widget_class->unroot = tt_item_page_unroot;

  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, TT_TYPE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tantay/TanTay/tt-item-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, page_title);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, kind_label);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, attempts_label);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, content_box);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, name_label);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, address_label);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, summary_total_label);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, phone_row);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, call_button);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, district_row);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, proxy_row);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, document_group);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, procedure_row);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, agency_row);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, dossier_row);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, item_id_row);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, fee_row);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, fee_label);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, postage_row);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, postage_label);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, exemption_row);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, exemption_label);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, total_label);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, checklist_group);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, deliver_button);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, fail_button);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, intake_button);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, done_label);
  gtk_widget_class_bind_template_child (widget_class, TtItemPage, action_bar);
}

static void
tt_item_page_init (TtItemPage *self)
{
  self->checklist_rows = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tt_item_page_new (TtItem *item)
{
  g_return_val_if_fail (TT_IS_ITEM (item), NULL);

  return g_object_new (TT_TYPE_ITEM_PAGE, "item", item, NULL);
}

/**
 * tt_item_page_set_item:
 * Shows @item on this page.  One page serves every scan: filling it in
 * again costs a fraction of building a new one, which matters when the
 * courier scans envelope after envelope.
 */
void
tt_item_page_set_item (TtItemPage *self,
                       TtItem     *item)
{
  g_return_if_fail (TT_IS_ITEM_PAGE (self));
  g_return_if_fail (TT_IS_ITEM (item));

  if (self->item == item)
    return;
  if (self->item != NULL)
    g_signal_handlers_disconnect_by_data (self->item, self);
  g_set_object (&self->item, item);
  fill (self);
  g_signal_connect_object (item, "notify::status", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (item, "notify::attempts", G_CALLBACK (update_status), self,
                           G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ITEM]);
}

TtItem *
tt_item_page_get_item (TtItemPage *self)
{
  g_return_val_if_fail (TT_IS_ITEM_PAGE (self), NULL);

  return self->item;
}
