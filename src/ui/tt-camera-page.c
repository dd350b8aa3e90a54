/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-camera-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-camera-page.h"
#include "tt-code-entry.h"
#include "tt-code.h"

struct _TtCameraPage
{
  AdwBin           parent_instance;

  GtkToggleButton *torch_button;
  GtkStack        *view_stack;
  GtkPicture      *preview;
  GtkLabel        *status_label;
  AdwStatusPage   *error_page;
  TtCodeEntry     *code_entry;

  TtCamera        *camera;
};

G_DEFINE_FINAL_TYPE (TtCameraPage, tt_camera_page, ADW_TYPE_BIN)

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_STATUS,
  N_PROPS
};

enum {
  SCANNED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static void
set_status (TtCameraPage *self,
            const char   *text)
{
  gtk_label_set_label (self->status_label, text);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
}

static void
show_error (TtCameraPage *self,
            const GError *error)
{
  adw_status_page_set_description (self->error_page, error->message);
  gtk_stack_set_visible_child_name (self->view_stack, "error");
  set_status (self, error->message);
}

static void
on_code_found (TtCameraPage *self,
               GBytes       *payload)
{
  g_autoptr(TtCode) code = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (payload, &len);

  /* Say what was read right on the picture, valid or not. */
  if (tt_code_parse (data, len, &code, &error))
    {
      g_autofree char *text = NULL;

      if (code->kind == TT_CODE_KIND_CCCD)
        text = g_strdup (_("Citizen ID card read"));
      else
        text = g_strdup_printf (_("Read %s"), code->value);
      set_status (self, text);
    }
  else
    set_status (self, error->message);

  g_signal_emit (self, signals[SCANNED], 0, payload);
}

static void
on_preview_frame (TtCameraPage *self,
                  GBytes       *pixels,
                  guint         width,
                  guint         height,
                  guint         stride)
{
  g_autoptr(GdkTexture) texture = NULL;

  /* GTK 4.8 has no video sink of its own: each frame is a texture. */
  texture = gdk_memory_texture_new (width, height, GDK_MEMORY_R8G8B8, pixels, stride);
  gtk_picture_set_paintable (self->preview, GDK_PAINTABLE (texture));
}

static void
on_camera_error (TtCameraPage *self,
                 const GError *error)
{
  show_error (self, error);
}

static void
on_has_torch (TtCameraPage *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->torch_button), tt_camera_get_has_torch (self->camera));
}

static void
on_torch_toggled (TtCameraPage *self)
{
  g_autoptr(GError) error = NULL;
  gboolean on = gtk_toggle_button_get_active (self->torch_button);

  if (on == tt_camera_get_torch (self->camera))
    return;
  if (!tt_camera_set_torch (self->camera, on, &error))
    {
      set_status (self, error->message);
      gtk_toggle_button_set_active (self->torch_button, tt_camera_get_torch (self->camera));
    }
}

static void
on_code_entered (TtCameraPage *self,
                 const char   *text)
{
  g_autoptr(GBytes) payload = g_bytes_new (text, strlen (text));

  g_signal_emit (self, signals[SCANNED], 0, payload);
}

/* The camera runs only while the page is on screen. */
static void
tt_camera_page_map (GtkWidget *widget)
{
  TtCameraPage *self = TT_CAMERA_PAGE (widget);
  g_autoptr(GError) error = NULL;

  GTK_WIDGET_CLASS (tt_camera_page_parent_class)->map (widget);

  gtk_stack_set_visible_child_name (self->view_stack, "camera");
  set_status (self, _("Hold the code inside the picture"));
  if (!tt_camera_start (self->camera, &error))
    {
      show_error (self, error);
      /* Without a camera the typed code is the way in. */
      gtk_widget_grab_focus (GTK_WIDGET (self->code_entry));
    }
}

static void
tt_camera_page_unmap (GtkWidget *widget)
{
  TtCameraPage *self = TT_CAMERA_PAGE (widget);

  tt_camera_stop (self->camera);
  gtk_toggle_button_set_active (self->torch_button, FALSE);

  GTK_WIDGET_CLASS (tt_camera_page_parent_class)->unmap (widget);
}

static void
tt_camera_page_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TtCameraPage *self = TT_CAMERA_PAGE (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_string (value, tt_camera_get_source (self->camera));
      break;
    case PROP_STATUS:
      g_value_set_string (value, tt_camera_page_get_status (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_camera_page_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TtCameraPage *self = TT_CAMERA_PAGE (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_assert (self->camera == NULL);
      self->camera = tt_camera_new (g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_camera_page_constructed (GObject *object)
{
  TtCameraPage *self = TT_CAMERA_PAGE (object);

  G_OBJECT_CLASS (tt_camera_page_parent_class)->constructed (object);

  if (self->camera == NULL)
    self->camera = tt_camera_new (NULL);
  g_signal_connect_object (self->camera, "code-found", G_CALLBACK (on_code_found), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->camera, "preview-frame", G_CALLBACK (on_preview_frame), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->camera, "error", G_CALLBACK (on_camera_error), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->camera, "notify::has-torch", G_CALLBACK (on_has_torch), self,
                           G_CONNECT_SWAPPED);
}

static void
tt_camera_page_dispose (GObject *object)
{
  TtCameraPage *self = TT_CAMERA_PAGE (object);

  if (self->camera != NULL)
    tt_camera_stop (self->camera);
  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_CAMERA_PAGE);
  g_clear_object (&self->camera);

  G_OBJECT_CLASS (tt_camera_page_parent_class)->dispose (object);
}

static void
tt_camera_page_class_init (TtCameraPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = tt_camera_page_get_property;
  object_class->set_property = tt_camera_page_set_property;
  object_class->constructed = tt_camera_page_constructed;
  object_class->dispose = tt_camera_page_dispose;
  widget_class->map = tt_camera_page_map;
  widget_class->unmap = tt_camera_page_unmap;

  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATUS] =
    g_param_spec_string ("status", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TtCameraPage::scanned:
   * @payload: the exact bytes read by the camera or typed
   */
  signals[SCANNED] =
    g_signal_new ("scanned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BYTES);

  g_type_ensure (TT_TYPE_CODE_ENTRY);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tantay/TanTay/tt-camera-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TtCameraPage, torch_button);
  gtk_widget_class_bind_template_child (widget_class, TtCameraPage, view_stack);
  gtk_widget_class_bind_template_child (widget_class, TtCameraPage, preview);
  gtk_widget_class_bind_template_child (widget_class, TtCameraPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, TtCameraPage, error_page);
  gtk_widget_class_bind_template_child (widget_class, TtCameraPage, code_entry);
  gtk_widget_class_bind_template_callback (widget_class, on_torch_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_code_entered);
}

static void
tt_camera_page_init (TtCameraPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tt_camera_page_new (const char *source)
{
  return g_object_new (TT_TYPE_CAMERA_PAGE, "source", source, NULL);
}

TtCamera *
tt_camera_page_get_camera (TtCameraPage *self)
{
  g_return_val_if_fail (TT_IS_CAMERA_PAGE (self), NULL);
  return self->camera;
}

const char *
tt_camera_page_get_status (TtCameraPage *self)
{
  g_return_val_if_fail (TT_IS_CAMERA_PAGE (self), NULL);
  return gtk_label_get_label (self->status_label);
}
