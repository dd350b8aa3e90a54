/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-enroll-page"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "tt-enroll-page.h"

struct _TtEnrollPage
{
  GtkWidget     parent_instance;

  TtSync       *sync;
  GCancellable *cancellable;

  AdwEntryRow  *server_row;
  AdwEntryRow  *code_row;
  GtkLabel     *error_label;
  GtkWidget    *enroll_button;
  GtkSpinner   *spinner;
};

G_DEFINE_FINAL_TYPE (TtEnrollPage, tt_enroll_page, GTK_TYPE_WIDGET)

enum {
  PROP_0,
  PROP_SYNC,
  N_PROPS
};

enum {
  ENROLLED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
is_link (const char *text)
{
  return g_str_has_prefix (text, "tantay:");
}

static void
update_sensitivity (TtEnrollPage *self)
{
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  const char *code = gtk_editable_get_text (GTK_EDITABLE (self->code_row));
  gboolean busy = self->cancellable != NULL;
  gboolean link = is_link (server);

  /* A link carries the code: the code field would only confuse. */
  gtk_widget_set_visible (GTK_WIDGET (self->code_row), !link);
  gtk_widget_set_sensitive (self->enroll_button,
                            !busy && *server != '\0' && (link || *code != '\0'));
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
on_changed (TtEnrollPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  update_sensitivity (self);
}

static void
enroll_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  g_autoptr(TtEnrollPage) self = data;
  g_autoptr(GError) error = NULL;

  g_clear_object (&self->cancellable);
  if (!tt_sync_enroll_finish (TT_SYNC (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          gtk_label_set_label (self->error_label, error->message);
          gtk_widget_set_visible (GTK_WIDGET (self->error_label), TRUE);
        }
      update_sensitivity (self);
      return;
    }
  update_sensitivity (self);
  g_signal_emit (self, signals[ENROLLED], 0);
}

static void
on_enroll (TtEnrollPage *self)
{
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  const char *code = gtk_editable_get_text (GTK_EDITABLE (self->code_row));

  if (self->cancellable != NULL || !gtk_widget_get_sensitive (self->enroll_button))
    return;
  self->cancellable = g_cancellable_new ();
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), FALSE);
  update_sensitivity (self);
  tt_sync_enroll_async (self->sync, server, is_link (server) ? NULL : code, self->cancellable,
                        enroll_cb, g_object_ref (self));
}

static void
tt_enroll_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TtEnrollPage *self = TT_ENROLL_PAGE (object);

  switch (prop_id)
    {
    case PROP_SYNC:
      g_value_set_object (value, self->sync);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_enroll_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TtEnrollPage *self = TT_ENROLL_PAGE (object);

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
tt_enroll_page_dispose (GObject *object)
{
  TtEnrollPage *self = TT_ENROLL_PAGE (object);
  GtkWidget *child;

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);

  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_ENROLL_PAGE);
  /* The template's top box is not bound, so it is unparented here. */
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self))) != NULL)
    gtk_widget_unparent (child);
  g_clear_object (&self->sync);

  G_OBJECT_CLASS (tt_enroll_page_parent_class)->dispose (object);
}

static void
tt_enroll_page_class_init (TtEnrollPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tt_enroll_page_get_property;
  object_class->set_property = tt_enroll_page_set_property;
  object_class->dispose = tt_enroll_page_dispose;

  properties[PROP_SYNC] =
    g_param_spec_object ("sync", NULL, NULL, TT_TYPE_SYNC,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* The server accepted the device; the window goes back to the route. */
  signals[ENROLLED] = g_signal_new ("enrolled", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tantay/TanTay/tt-enroll-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TtEnrollPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, TtEnrollPage, code_row);
  gtk_widget_class_bind_template_child (widget_class, TtEnrollPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, TtEnrollPage, enroll_button);
  gtk_widget_class_bind_template_child (widget_class, TtEnrollPage, spinner);
  gtk_widget_class_bind_template_callback (widget_class, on_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_enroll);
  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
}

static void
tt_enroll_page_init (TtEnrollPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  update_sensitivity (self);
}

GtkWidget *
tt_enroll_page_new (TtSync *sync)
{
  g_return_val_if_fail (TT_IS_SYNC (sync), NULL);

  return g_object_new (TT_TYPE_ENROLL_PAGE, "sync", sync, NULL);
}

void
tt_enroll_page_set_uri (TtEnrollPage *self,
                        const char   *uri)
{
  g_return_if_fail (TT_IS_ENROLL_PAGE (self));
  g_return_if_fail (uri != NULL);

  gtk_editable_set_text (GTK_EDITABLE (self->server_row), uri);
}

void
tt_enroll_page_enroll_uri (TtEnrollPage *self,
                           const char   *uri)
{
  tt_enroll_page_set_uri (self, uri);
  on_enroll (self);
}
