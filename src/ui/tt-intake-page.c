/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-intake-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-intake-page.h"
#include "tt-place-row.h"
#include "tt-pod-ui.h"
#include "tt-signature-pad.h"
#include "tt-text.h"

struct _TtIntakePage
{
  AdwBin               parent_instance;

  AdwWindowTitle      *page_title;
  GtkLabel            *heading_label;
  AdwPreferencesGroup *checklist_group;
  GtkSpinButton       *pages_spin;
  AdwEntryRow         *label_entry;
  AdwPreferencesGroup *money_group;
  AdwEntryRow         *collected_entry;
  TtSignaturePad      *pad;
  TtPlaceRow          *place_row;
  GtkLabel            *error_label;
  GtkButton           *confirm_button;

  GPtrArray           *checks;     /* GtkCheckButton, one per document */
  TtStore             *store;
  TtItem              *item;
};

G_DEFINE_FINAL_TYPE (TtIntakePage, tt_intake_page, ADW_TYPE_BIN)

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

/* A refusal no longer applies once the courier changes something. */
static void
clear_error (TtIntakePage *self)
{
  tt_pod_ui_show_error (self->error_label, NULL);
}

/* Fills @in from the widgets; @checked holds one flag per document. */
static gboolean
collect_input (TtIntakePage  *self,
               TtIntakeInput *in,
               gboolean      *checked,
               GError       **error)
{
  gint64 collected;

  memset (in, 0, sizeof *in);
  if (!tt_pod_parse_amount (gtk_editable_get_text (GTK_EDITABLE (self->collected_entry)),
                            &collected, error))
    return FALSE;
  for (guint i = 0; i < self->checks->len; i++)
    checked[i] = gtk_check_button_get_active (g_ptr_array_index (self->checks, i));
  in->item = self->item;
  in->checked = checked;
  in->n_checked = self->checks->len;
  in->pages = (guint) gtk_spin_button_get_value_as_int (self->pages_spin);
  in->label = gtk_editable_get_text (GTK_EDITABLE (self->label_entry));
  in->collected_vnd = collected;
  in->signature = tt_signature_pad_get_signature (self->pad);
  tt_place_row_get_place (self->place_row, &in->place);
  return TRUE;
}

static void
record (TtIntakePage *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtEvent) event = NULL;
  g_autofree gboolean *checked = g_new0 (gboolean, self->checks->len + 1);
  TtIntakeInput in;

  if (collect_input (self, &in, checked, &error))
    event = tt_pod_record_intake (self->store, &in, &error);
  if (event == NULL)
    {
      tt_pod_ui_show_error (self->error_label, error->message);
      return;
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->confirm_button), FALSE);
  g_signal_emit (self, signals[RECORDED], 0, event);
}

static void
on_confirm_clicked (TtIntakePage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree gboolean *checked = g_new0 (gboolean, self->checks->len + 1);
  g_autofree char *payload = NULL;
  g_autofree char *collected = NULL;
  g_autofree char *place = NULL;
  g_autofree char *body = NULL;
  TtIntakeInput in;

  if (collect_input (self, &in, checked, &error))
    payload = tt_pod_build_intake (&in, &error);
  if (payload == NULL)
    {
      tt_pod_ui_show_error (self->error_label, error->message);
      return;
    }
  tt_pod_ui_show_error (self->error_label, NULL);

  collected = tt_text_format_vnd (in.collected_vnd);
  place = tt_place_row_dup_summary (self->place_row);
  body = g_strdup_printf (_("%u documents, %u pages, label %s\nCollected: %s\n%s"),
                          in.n_checked, in.pages, in.label, collected, place);
  tt_pod_ui_review (GTK_WIDGET (self), _("Take in this dossier?"), body, _("_Take in"),
                    G_CALLBACK (record), self);
}

/* Focus starts on the checklist, not on a text field (a scanner's first
 * keys would reach it) nor on "back" (a stray Enter would leave). */
static void
tt_intake_page_map (GtkWidget *widget)
{
  TtIntakePage *self = TT_INTAKE_PAGE (widget);

  GTK_WIDGET_CLASS (tt_intake_page_parent_class)->map (widget);
  if (self->checks->len > 0)
    gtk_widget_grab_focus (g_ptr_array_index (self->checks, 0));
}

static void
tt_intake_page_constructed (GObject *object)
{
  TtIntakePage *self = TT_INTAKE_PAGE (object);
  g_autofree char *heading = NULL;
  g_autofree char *due = NULL;

  G_OBJECT_CLASS (tt_intake_page_parent_class)->constructed (object);

  g_assert (TT_IS_STORE (self->store));
  g_assert (TT_IS_ITEM (self->item));

  adw_window_title_set_subtitle (self->page_title, self->item->id);
  heading = g_strdup_printf ("%s\n%s", self->item->procedure ? self->item->procedure : "",
                             self->item->recipient_name ? self->item->recipient_name : "");
  gtk_label_set_text (self->heading_label, heading);

  for (guint i = 0; self->item->checklist && self->item->checklist[i]; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();
      g_autofree char *name = g_strdup_printf ("document-%u", i);

      gtk_widget_set_name (row, name);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), self->item->checklist[i]);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      if (tt_pod_document_is_optional (self->item->checklist[i]))
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Only when it applies"));
      gtk_widget_set_valign (check, GTK_ALIGN_CENTER);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), check);
      adw_preferences_group_add (self->checklist_group, row);
      g_ptr_array_add (self->checks, check);
      g_signal_connect_swapped (check, "toggled", G_CALLBACK (clear_error), self);
    }
  if (self->checks->len == 0)
    adw_preferences_group_set_description (self->checklist_group,
                                           _("This procedure has no document list."));

  tt_pod_ui_add_amount_rows (self->money_group, self->item);
  due = g_strdup_printf ("%" G_GINT64_FORMAT, tt_item_get_amount_due (self->item));
  gtk_editable_set_text (GTK_EDITABLE (self->collected_entry), due);
  tt_place_row_set_item (self->place_row, self->item);
}

static void
tt_intake_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TtIntakePage *self = TT_INTAKE_PAGE (object);

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
tt_intake_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TtIntakePage *self = TT_INTAKE_PAGE (object);

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
tt_intake_page_dispose (GObject *object)
{
  TtIntakePage *self = TT_INTAKE_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_INTAKE_PAGE);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_object (&self->store);
  g_clear_object (&self->item);
  G_OBJECT_CLASS (tt_intake_page_parent_class)->dispose (object);
}

static void
tt_intake_page_class_init (TtIntakePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tt_intake_page_constructed;
  object_class->set_property = tt_intake_page_set_property;
  object_class->get_property = tt_intake_page_get_property;
  object_class->dispose = tt_intake_page_dispose;
  widget_class->map = tt_intake_page_map;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ITEM] =
    g_param_spec_object ("item", NULL, NULL, TT_TYPE_ITEM,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The intake event is on disk (TtEvent). */
  signals[RECORDED] = g_signal_new ("recorded", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                                    NULL, NULL, NULL, G_TYPE_NONE, 1,
                                    TT_TYPE_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);

  g_type_ensure (TT_TYPE_SIGNATURE_PAD);
  g_type_ensure (TT_TYPE_PLACE_ROW);
  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tantay/TanTay/tt-intake-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TtIntakePage, page_title);
  gtk_widget_class_bind_template_child (widget_class, TtIntakePage, heading_label);
  gtk_widget_class_bind_template_child (widget_class, TtIntakePage, checklist_group);
  gtk_widget_class_bind_template_child (widget_class, TtIntakePage, pages_spin);
  gtk_widget_class_bind_template_child (widget_class, TtIntakePage, label_entry);
  gtk_widget_class_bind_template_child (widget_class, TtIntakePage, money_group);
  gtk_widget_class_bind_template_child (widget_class, TtIntakePage, collected_entry);
  gtk_widget_class_bind_template_child (widget_class, TtIntakePage, pad);
  gtk_widget_class_bind_template_child (widget_class, TtIntakePage, place_row);
  gtk_widget_class_bind_template_child (widget_class, TtIntakePage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TtIntakePage, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, on_confirm_clicked);
  gtk_widget_class_bind_template_callback (widget_class, tt_signature_pad_undo);
  gtk_widget_class_bind_template_callback (widget_class, tt_signature_pad_clear);
}

static void
tt_intake_page_init (TtIntakePage *self)
{
  tt_pod_ui_ensure_style ();
  self->checks = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));

  g_signal_connect_swapped (self->pad, "changed", G_CALLBACK (clear_error), self);
  g_signal_connect_swapped (self->place_row, "changed", G_CALLBACK (clear_error), self);
  g_signal_connect_swapped (self->collected_entry, "changed", G_CALLBACK (clear_error), self);
  g_signal_connect_swapped (self->label_entry, "changed", G_CALLBACK (clear_error), self);
  g_signal_connect_swapped (self->pages_spin, "value-changed", G_CALLBACK (clear_error), self);
}

GtkWidget *
tt_intake_page_new (TtStore *store,
                    TtItem  *item)
{
  return g_object_new (TT_TYPE_INTAKE_PAGE, "store", store, "item", item, NULL);
}

TtItem *
tt_intake_page_get_item (TtIntakePage *self)
{
  g_return_val_if_fail (TT_IS_INTAKE_PAGE (self), NULL);
  return self->item;
}

void
tt_intake_page_set_scanned_label (TtIntakePage *self,
                                  const char   *value)
{
  g_return_if_fail (TT_IS_INTAKE_PAGE (self));
  g_return_if_fail (value != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->label_entry), value);
}

void
tt_intake_page_set_fix_json (TtIntakePage *self,
                             const char   *fix_json,
                             gboolean      waiting)
{
  g_return_if_fail (TT_IS_INTAKE_PAGE (self));

  tt_place_row_set_fix_json (self->place_row, fix_json);
  tt_place_row_set_waiting (self->place_row, waiting);
}

void
tt_intake_page_show_receipt (TtIntakePage *self,
                             GtkWidget    *receipt_page)
{
  GtkStack *stack;

  g_return_if_fail (TT_IS_INTAKE_PAGE (self));
  g_return_if_fail (GTK_IS_WIDGET (receipt_page));

  /* The stack is the page's own child, not a bound one: the bin owns it. */
  stack = GTK_STACK (adw_bin_get_child (ADW_BIN (self)));
  gtk_stack_add_named (stack, receipt_page, "receipt");
  gtk_stack_set_visible_child (stack, receipt_page);
}

void
tt_intake_page_set_waiting (TtIntakePage *self,
                            gboolean      waiting)
{
  g_return_if_fail (TT_IS_INTAKE_PAGE (self));

  tt_place_row_set_waiting (self->place_row, waiting);
}
