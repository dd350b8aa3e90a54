/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-code-entry"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-code-entry.h"

struct _TtCodeEntry
{
  AdwBin     parent_instance;

  GtkEntry  *entry;
  GtkButton *open_button;
  GtkLabel  *hint_label;

  TtCode    *code;
};

G_DEFINE_FINAL_TYPE (TtCodeEntry, tt_code_entry, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_TEXT,
  PROP_HINT,
  PROP_VALID,
  N_PROPS
};

enum {
  CODE_ENTERED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* While an item id is being typed it is not wrong yet, only short:
 * up to two letters, then digits, then up to two letters. */
static gboolean
s10_in_progress (const char *text,
                 guint      *n_chars)
{
  guint n = 0, letters = 0, digits = 0, tail = 0;

  for (const char *p = text; *p; p++)
    {
      if (*p == ' ')
        continue;
      n++;
      if (g_ascii_isalpha (*p) && digits == 0 && letters < 2)
        letters++;
      else if (g_ascii_isdigit (*p) && letters == 2 && tail == 0 && digits < 9)
        digits++;
      else if (g_ascii_isalpha (*p) && digits == 9 && tail < 2)
        tail++;
      else
        return FALSE;
    }
  *n_chars = n;
  return n < 13;
}

static void
set_state (TtCodeEntry *self,
           const char  *hint,
           const char  *css_class)
{
  GtkWidget *entry = GTK_WIDGET (self->entry);

  gtk_widget_remove_css_class (entry, "error");
  gtk_widget_remove_css_class (entry, "success");
  if (css_class != NULL)
    gtk_widget_add_css_class (entry, css_class);
  gtk_label_set_label (self->hint_label, hint);
  gtk_widget_set_sensitive (GTK_WIDGET (self->open_button), self->code != NULL);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HINT]);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VALID]);
}

static void
on_changed (TtCodeEntry *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  g_autoptr(GError) error = NULL;
  g_autofree char *hint = NULL;
  guint n_chars = 0;

  g_clear_pointer (&self->code, tt_code_free);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);

  if (*text == '\0')
    {
      set_state (self, _("Type the code printed under the barcode."), NULL);
      return;
    }
  if (tt_code_parse (text, -1, &self->code, &error))
    {
      switch (self->code->kind)
        {
        case TT_CODE_KIND_S10:
        case TT_CODE_KIND_URL:
          hint = g_strdup_printf (_("Item %s: check digit correct."), self->code->value);
          break;
        case TT_CODE_KIND_DOSSIER:
          hint = g_strdup_printf (_("Dossier code %s."), self->code->value);
          break;
        case TT_CODE_KIND_CCCD:
          hint = g_strdup (_("Citizen ID card."));
          break;
        case TT_CODE_KIND_ENROLL:
        default:
          hint = g_strdup (_("Enrollment code."));
          break;
        }
      set_state (self, hint, "success");
      return;
    }
  if (s10_in_progress (text, &n_chars))
    {
      /* TRANSLATORS: an item id has 13 characters, e.g. RR123456785VN */
      hint = g_strdup_printf (_("%u of 13 characters"), n_chars);
      set_state (self, hint, NULL);
      return;
    }
  set_state (self, error->message, "error");
}

static void
on_activate (TtCodeEntry *self)
{
  g_autofree char *text = NULL;

  if (self->code == NULL)
    {
      gtk_widget_error_bell (GTK_WIDGET (self));
      return;
    }
  text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), "");
  g_signal_emit (self, signals[CODE_ENTERED], 0, text);
}

static void
tt_code_entry_get_property (GObject    *object,
                            guint       prop_id,
                            GValue     *value,
                            GParamSpec *pspec)
{
  TtCodeEntry *self = TT_CODE_ENTRY (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      g_value_set_string (value, tt_code_entry_get_text (self));
      break;
    case PROP_HINT:
      g_value_set_string (value, tt_code_entry_get_hint (self));
      break;
    case PROP_VALID:
      g_value_set_boolean (value, self->code != NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_code_entry_set_property (GObject      *object,
                            guint         prop_id,
                            const GValue *value,
                            GParamSpec   *pspec)
{
  TtCodeEntry *self = TT_CODE_ENTRY (object);

  switch (prop_id)
    {
    case PROP_TEXT:
      tt_code_entry_set_text (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_code_entry_dispose (GObject *object)
{
  TtCodeEntry *self = TT_CODE_ENTRY (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_CODE_ENTRY);
  g_clear_pointer (&self->code, tt_code_free);

  G_OBJECT_CLASS (tt_code_entry_parent_class)->dispose (object);
}

static gboolean
tt_code_entry_grab_focus (GtkWidget *widget)
{
  return gtk_widget_grab_focus (GTK_WIDGET (TT_CODE_ENTRY (widget)->entry));
}

static void
tt_code_entry_class_init (TtCodeEntryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tt_code_entry_get_property;
  object_class->set_property = tt_code_entry_set_property;
  object_class->dispose = tt_code_entry_dispose;
  widget_class->grab_focus = tt_code_entry_grab_focus;

  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_HINT] =
    g_param_spec_string ("hint", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_VALID] =
    g_param_spec_boolean ("valid", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TtCodeEntry::code-entered:
   * @text: the code as typed (valid)
   */
  signals[CODE_ENTERED] =
    g_signal_new ("code-entered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tantay/TanTay/tt-code-entry.ui");
  gtk_widget_class_bind_template_child (widget_class, TtCodeEntry, entry);
  gtk_widget_class_bind_template_child (widget_class, TtCodeEntry, open_button);
  gtk_widget_class_bind_template_child (widget_class, TtCodeEntry, hint_label);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_activate);
}

static void
tt_code_entry_init (TtCodeEntry *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  on_changed (self);
}

GtkWidget *
tt_code_entry_new (void)
{
  return g_object_new (TT_TYPE_CODE_ENTRY, NULL);
}

const char *
tt_code_entry_get_text (TtCodeEntry *self)
{
  g_return_val_if_fail (TT_IS_CODE_ENTRY (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->entry));
}

void
tt_code_entry_set_text (TtCodeEntry *self,
                        const char  *text)
{
  g_return_if_fail (TT_IS_CODE_ENTRY (self));
  gtk_editable_set_text (GTK_EDITABLE (self->entry), text ? text : "");
}

TtCode *
tt_code_entry_get_code (TtCodeEntry *self)
{
  g_return_val_if_fail (TT_IS_CODE_ENTRY (self), NULL);
  return self->code;
}

const char *
tt_code_entry_get_hint (TtCodeEntry *self)
{
  g_return_val_if_fail (TT_IS_CODE_ENTRY (self), NULL);
  return gtk_label_get_label (self->hint_label);
}
