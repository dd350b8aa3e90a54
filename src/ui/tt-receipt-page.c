/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-receipt-page"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>

#include "tt-pod-ui.h"
#include "tt-receipt-page.h"

struct _TtReceiptPage
{
  AdwBin          parent_instance;

  AdwWindowTitle *page_title;
  GtkDrawingArea *qr_area;
  GtkLabel       *code_label;
  GtkLabel       *text_label;
  GtkLabel       *status_label;

  TtReceipt      *receipt;
  char           *folder;
};

G_DEFINE_FINAL_TYPE (TtReceiptPage, tt_receipt_page, ADW_TYPE_BIN)

enum
{
  PROP_0,
  PROP_RECEIPT,
  PROP_FOLDER,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Whole device pixels per module: a QR scaled by a fraction has modules
 * of uneven width, which phone readers misread at an angle. */
static void
draw_qr (GtkDrawingArea *area,
         cairo_t        *cr,
         int             width,
         int             height,
         gpointer        user_data)
{
  TtReceiptPage *self = TT_RECEIPT_PAGE (user_data);
  int scale = gtk_widget_get_scale_factor (GTK_WIDGET (area));
  int modules = tt_receipt_get_qr_size (self->receipt);
  int module_dev = MAX (1, MIN (width, height) * scale / modules);
  double x = floor ((width * scale - modules * module_dev) / 2.0) / scale;
  double y = floor ((height * scale - modules * module_dev) / 2.0) / scale;

  tt_receipt_draw_qr (self->receipt, cr, x, y, (double) module_dev / scale);
}

char *
tt_receipt_page_export (TtReceiptPage *self,
                        GError       **error)
{
  g_autofree char *name = NULL;
  g_autofree char *path = NULL;

  g_return_val_if_fail (TT_IS_RECEIPT_PAGE (self), NULL);

  if (g_mkdir_with_parents (self->folder, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("The folder %s cannot be created: %s"), self->folder, g_strerror (saved));
      return NULL;
    }
  name = g_strdup_printf ("%s-%s.pdf", tt_receipt_get_item_id (self->receipt),
                          tt_receipt_get_code (self->receipt));
  path = g_build_filename (self->folder, name, NULL);
  if (!tt_receipt_export_pdf (self->receipt, path, error))
    return NULL;
  return g_steal_pointer (&path);
}

static void
on_pdf_clicked (TtReceiptPage *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = tt_receipt_page_export (self, &error);
  g_autofree char *text = NULL;

  if (path != NULL)
    text = g_strdup_printf (_("Saved as %s"), path);
  gtk_label_set_text (self->status_label, path ? text : error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), TRUE);
}

static void
tt_receipt_page_constructed (GObject *object)
{
  TtReceiptPage *self = TT_RECEIPT_PAGE (object);
  g_autofree char *text = NULL;
  g_autofree char *code = NULL;

  G_OBJECT_CLASS (tt_receipt_page_parent_class)->constructed (object);

  g_assert (TT_IS_RECEIPT (self->receipt));
  g_assert (self->folder != NULL);

  adw_window_title_set_subtitle (self->page_title, tt_receipt_get_item_id (self->receipt));
  code = g_strdup_printf (_("Verification code\n%s"), tt_receipt_get_code (self->receipt));
  gtk_label_set_text (self->code_label, code);
  text = tt_receipt_get_text (self->receipt);
  gtk_label_set_text (self->text_label, text);
  gtk_drawing_area_set_draw_func (self->qr_area, draw_qr, self, NULL);
}

static void
tt_receipt_page_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  TtReceiptPage *self = TT_RECEIPT_PAGE (object);

  switch (prop_id)
    {
    case PROP_RECEIPT:
      self->receipt = g_value_dup_object (value);
      break;
    case PROP_FOLDER:
      self->folder = g_value_dup_string (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_receipt_page_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  TtReceiptPage *self = TT_RECEIPT_PAGE (object);

  switch (prop_id)
    {
    case PROP_RECEIPT:
      g_value_set_object (value, self->receipt);
      break;
    case PROP_FOLDER:
      g_value_set_string (value, self->folder);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_receipt_page_dispose (GObject *object)
{
  TtReceiptPage *self = TT_RECEIPT_PAGE (object);

  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_RECEIPT_PAGE);
  g_clear_object (&self->receipt);
  g_clear_pointer (&self->folder, g_free);
  G_OBJECT_CLASS (tt_receipt_page_parent_class)->dispose (object);
}

static void
tt_receipt_page_class_init (TtReceiptPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tt_receipt_page_constructed;
  object_class->set_property = tt_receipt_page_set_property;
  object_class->get_property = tt_receipt_page_get_property;
  object_class->dispose = tt_receipt_page_dispose;

  properties[PROP_RECEIPT] =
    g_param_spec_object ("receipt", NULL, NULL, TT_TYPE_RECEIPT,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOLDER] =
    g_param_spec_string ("folder", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/tantay/TanTay/tt-receipt-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TtReceiptPage, page_title);
  gtk_widget_class_bind_template_child (widget_class, TtReceiptPage, qr_area);
  gtk_widget_class_bind_template_child (widget_class, TtReceiptPage, code_label);
  gtk_widget_class_bind_template_child (widget_class, TtReceiptPage, text_label);
  gtk_widget_class_bind_template_child (widget_class, TtReceiptPage, status_label);
  gtk_widget_class_bind_template_callback (widget_class, on_pdf_clicked);
}

static void
tt_receipt_page_init (TtReceiptPage *self)
{
  tt_pod_ui_ensure_style ();
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tt_receipt_page_new (TtReceipt  *receipt,
                     const char *folder)
{
  return g_object_new (TT_TYPE_RECEIPT_PAGE, "receipt", receipt, "folder", folder, NULL);
}

TtReceipt *
tt_receipt_page_get_receipt (TtReceiptPage *self)
{
  g_return_val_if_fail (TT_IS_RECEIPT_PAGE (self), NULL);
  return self->receipt;
}
