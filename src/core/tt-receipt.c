/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-receipt"

#include "config.h"

#include <errno.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <cairo-pdf.h>
#include <glib/gstdio.h>
#include <qrencode.h>

#include "tt-fees.h"
#include "tt-pod.h"
#include "tt-receipt.h"
#include "tt-signature.h"
#include "tt-text.h"

/* ISO/IEC 18004 ECI assignment number for UTF-8. */
#define ECI_UTF8 26
/* A5 portrait, in points. */
#define PAGE_W 419.53
#define PAGE_H 595.28
#define MARGIN 36.0
#define FONT "Noto Sans"

struct _TtReceipt
{
  GObject      parent_instance;

  char        *item_id;
  char        *code;
  char        *qr_text;
  char        *time;
  char        *courier;
  char        *dossier_code;
  char        *procedure;
  char        *agency;
  char        *recipient;
  char        *address;
  char        *label;
  char       **checklist;
  gint64       pages;
  gint64       fee_vnd;
  gint64       postage_vnd;
  gint64       exemption_vnd;
  gint64       due_vnd;
  gint64       collected_vnd;
  char        *beneficiary;
  TtSignature *signature;
  QRcode      *qr;
};

G_DEFINE_FINAL_TYPE (TtReceipt, tt_receipt, G_TYPE_OBJECT)
G_DEFINE_QUARK (tt-receipt-error-quark, tt_receipt_error)

static void
tt_receipt_finalize (GObject *object)
{
  TtReceipt *self = TT_RECEIPT (object);

  g_free (self->item_id);
  g_free (self->code);
  g_free (self->qr_text);
  g_free (self->time);
  g_free (self->courier);
  g_free (self->dossier_code);
  g_free (self->procedure);
  g_free (self->agency);
  g_free (self->recipient);
  g_free (self->address);
  g_free (self->label);
  g_strfreev (self->checklist);
  g_free (self->beneficiary);
  g_clear_object (&self->signature);
  g_clear_pointer (&self->qr, QRcode_free);
  G_OBJECT_CLASS (tt_receipt_parent_class)->finalize (object);
}

static void
tt_receipt_class_init (TtReceiptClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tt_receipt_finalize;
}

static void
tt_receipt_init (TtReceipt *self)
{
}

static gboolean
is_ascii (const char *text)
{
  for (const guchar *p = (const guchar *) text; *p; p++)
    if (*p >= 0x80)
      return FALSE;
  return TRUE;
}

static QRcode *
encode_qr (const char *text,
           GError    **error)
{
  QRinput *input;
  QRcode *qr = NULL;
  gsize len = strlen (text);

  input = QRinput_new2 (0, QR_ECLEVEL_M);
  if (input == NULL)
    {
      g_set_error_literal (error, TT_RECEIPT_ERROR, TT_RECEIPT_ERROR_QR, g_strerror (errno));
      return NULL;
    }
  /* Without ECI, readers guess the charset of 8-bit data (zbar tries
   * Shift-JIS first) and mangle Vietnamese; with it, all read UTF-8. */
  if ((is_ascii (text) || QRinput_appendECIheader (input, ECI_UTF8) == 0)
      && QRinput_append (input, QR_MODE_8, (int) len, (const unsigned char *) text) == 0)
    qr = QRcode_encodeInput (input);
  QRinput_free (input);
  if (qr == NULL)
    g_set_error (error, TT_RECEIPT_ERROR, TT_RECEIPT_ERROR_QR,
                 _("The receipt text is too long for a QR code (%zu bytes)."), len);
  return qr;
}

static void
draw_modules (QRcode  *qr,
              cairo_t *cr,
              double   x,
              double   y,
              double   module)
{
  int n = qr->width + 2 * TT_RECEIPT_QR_QUIET_ZONE;

  cairo_save (cr);
  /* Modules must not bleed into each other: no antialiasing, whole units. */
  cairo_set_antialias (cr, CAIRO_ANTIALIAS_NONE);
  cairo_set_source_rgb (cr, 1, 1, 1);
  cairo_rectangle (cr, x, y, n * module, n * module);
  cairo_fill (cr);
  cairo_set_source_rgb (cr, 0, 0, 0);
  for (int r = 0; r < qr->width; r++)
    for (int c = 0; c < qr->width; c++)
      if (qr->data[r * qr->width + c] & 1)
        cairo_rectangle (cr, x + (c + TT_RECEIPT_QR_QUIET_ZONE) * module,
                         y + (r + TT_RECEIPT_QR_QUIET_ZONE) * module, module, module);
  cairo_fill (cr);
  cairo_restore (cr);
}

cairo_surface_t *
tt_receipt_render_qr_text (const char *text,
                           int         module_px,
                           GError    **error)
{
  QRcode *qr;
  cairo_surface_t *surface;
  cairo_t *cr;
  int side;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (module_px > 0, NULL);

  if (!(qr = encode_qr (text, error)))
    return NULL;
  side = (qr->width + 2 * TT_RECEIPT_QR_QUIET_ZONE) * module_px;
  surface = cairo_image_surface_create (CAIRO_FORMAT_RGB24, side, side);
  cr = cairo_create (surface);
  draw_modules (qr, cr, 0, 0, module_px);
  cairo_destroy (cr);
  cairo_surface_flush (surface);
  QRcode_free (qr);
  return surface;
}

static char *
dup_member (JsonObject *o,
            const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return NULL;
  return g_strdup (json_node_get_string (n));
}

static TtReceipt *
invalid (GError    **error,
         const char *why)
{
  g_set_error (error, TT_RECEIPT_ERROR, TT_RECEIPT_ERROR_INVALID,
               _("No receipt can be made from this record (%s)."), why);
  return NULL;
}

TtReceipt *
tt_receipt_new (TtItem        *item,
                const TtEvent *event,
                GError       **error)
{
  g_autoptr(TtReceipt) self = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GString) qr = NULL;
  g_autofree char *sig = NULL;
  JsonObject *root, *money = NULL;

  g_return_val_if_fail (TT_IS_ITEM (item), NULL);
  g_return_val_if_fail (event != NULL, NULL);

  if (g_strcmp0 (event->type, TT_EVENT_INTAKE) != 0)
    return invalid (error, "not an intake");
  if (g_strcmp0 (event->item_id, item->id) != 0)
    return invalid (error, "another item");
  if (event->payload == NULL || !json_parser_load_from_data (parser, event->payload, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return invalid (error, "unreadable payload");
  root = json_node_get_object (json_parser_get_root (parser));

  self = g_object_new (TT_TYPE_RECEIPT, NULL);
  self->item_id = g_strdup (item->id);
  self->code = tt_pod_verification_code (event);
  self->time = g_strdup (event->time);
  self->courier = dup_member (root, "courier");
  self->dossier_code = g_strdup (item->dossier_code);
  self->procedure = g_strdup (item->procedure);
  self->agency = g_strdup (item->agency);
  self->recipient = g_strdup (item->recipient_name);
  self->address = tt_item_dup_address (item);
  self->label = dup_member (root, "label");
  self->pages = json_object_get_int_member_with_default (root, "pages", 0);
  if (json_object_has_member (root, "checklist")
      && JSON_NODE_HOLDS_ARRAY (json_object_get_member (root, "checklist")))
    {
      JsonArray *a = json_object_get_array_member (root, "checklist");
      g_autoptr(GStrvBuilder) sb = g_strv_builder_new ();
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *n = json_array_get_element (a, i);
          JsonObject *doc = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
          /* Only what the citizen actually handed over goes on the receipt. */
          if (doc != NULL && json_object_get_boolean_member_with_default (doc, "present", FALSE))
            {
              g_autofree char *name = dup_member (doc, "document");
              if (name != NULL)
                g_strv_builder_add (sb, name);
            }
        }
      self->checklist = g_strv_builder_end (sb);
    }
  if (json_object_has_member (root, "money")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "money")))
    money = json_object_get_object_member (root, "money");
  if (money == NULL || self->label == NULL || self->pages <= 0)
    return invalid (error, "fields missing");
  self->fee_vnd = json_object_get_int_member_with_default (money, "fee_vnd", 0);
  self->postage_vnd = json_object_get_int_member_with_default (money, "postage_vnd", 0);
  self->exemption_vnd = json_object_get_int_member_with_default (money, "exemption_vnd", 0);
  self->due_vnd = json_object_get_int_member_with_default (money, "due_vnd", 0);
  self->collected_vnd = json_object_get_int_member_with_default (money, "collected_vnd", 0);
  self->beneficiary = dup_member (money, "beneficiary");
  if (json_object_has_member (root, "signature")
      && JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "signature")))
    sig = dup_member (json_object_get_object_member (root, "signature"), "data");
  if (sig != NULL)
    self->signature = tt_signature_from_base64 (sig, NULL);

  /* Machine-readable first (item and code), then what lets a person who
   * scans it see at once which dossier it is. */
  qr = g_string_new ("TANTAY-RECEIPT\n");
  g_string_append_printf (qr, "item=%s\ncode=%s\n", self->item_id, self->code);
  if (self->dossier_code)
    g_string_append_printf (qr, "dossier=%s\n", self->dossier_code);
  g_string_append_printf (qr, "label=%s\npages=%" G_GINT64_FORMAT "\n", self->label, self->pages);
  if (self->recipient)
    g_string_append_printf (qr, "name=%s\n", self->recipient);
  if (self->procedure)
    g_string_append_printf (qr, "procedure=%s\n", self->procedure);
  g_string_append_printf (qr, "time=%s", self->time);
  self->qr_text = g_utf8_normalize (qr->str, -1, G_NORMALIZE_NFC);
  if (!(self->qr = encode_qr (self->qr_text, error)))
    return NULL;
  return g_steal_pointer (&self);
}

const char *
tt_receipt_get_item_id (TtReceipt *self)
{
  g_return_val_if_fail (TT_IS_RECEIPT (self), NULL);
  return self->item_id;
}

const char *
tt_receipt_get_code (TtReceipt *self)
{
  g_return_val_if_fail (TT_IS_RECEIPT (self), NULL);
  return self->code;
}

const char *
tt_receipt_get_qr_text (TtReceipt *self)
{
  g_return_val_if_fail (TT_IS_RECEIPT (self), NULL);
  return self->qr_text;
}

int
tt_receipt_get_qr_size (TtReceipt *self)
{
  g_return_val_if_fail (TT_IS_RECEIPT (self), 0);
  return self->qr->width + 2 * TT_RECEIPT_QR_QUIET_ZONE;
}

void
tt_receipt_draw_qr (TtReceipt *self,
                    cairo_t   *cr,
                    double     x,
                    double     y,
                    double     module_px)
{
  g_return_if_fail (TT_IS_RECEIPT (self));
  g_return_if_fail (cr != NULL);

  draw_modules (self->qr, cr, x, y, module_px);
}

/* The local time of an event, "25/11/2026 15:12". */
static char *
format_time (const char *iso)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_iso8601 (iso, NULL);
  g_autoptr(GDateTime) local = NULL;

  if (utc == NULL)
    return g_strdup (iso);
  local = g_date_time_to_local (utc);
  return g_date_time_format (local, "%d/%m/%Y %H:%M");
}

static void
add_line (GPtrArray  *lines,
          const char *label,
          const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  g_ptr_array_add (lines, g_strdup_printf ("%s: %s", label, value));
}

static GPtrArray *
receipt_lines (TtReceipt *self)
{
  GPtrArray *lines = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *when = format_time (self->time);
  g_autofree char *pages = g_strdup_printf ("%" G_GINT64_FORMAT, self->pages);
  g_autofree char *fee = tt_text_format_vnd (self->fee_vnd);
  g_autofree char *postage = tt_text_format_vnd (self->postage_vnd);
  g_autofree char *exemption = tt_text_format_vnd (self->exemption_vnd);
  g_autofree char *collected = tt_text_format_vnd (self->collected_vnd);

  add_line (lines, _("Item"), self->item_id);
  add_line (lines, _("Dossier code"), self->dossier_code);
  add_line (lines, _("Procedure"), self->procedure);
  add_line (lines, _("Agency"), self->agency);
  add_line (lines, _("Citizen"), self->recipient);
  add_line (lines, _("Address"), self->address);
  add_line (lines, _("Taken in"), when);
  add_line (lines, _("Courier"), self->courier);
  g_ptr_array_add (lines, g_strdup (_("Documents received:")));
  for (guint i = 0; self->checklist && self->checklist[i]; i++)
    g_ptr_array_add (lines, g_strdup_printf ("  • %s", self->checklist[i]));
  add_line (lines, _("Pages"), pages);
  add_line (lines, _("Envelope label"), self->label);
  add_line (lines, _("Fee"), fee);
  add_line (lines, _("Postage"), postage);
  if (self->exemption_vnd > 0)
    {
      const TtBeneficiary *b = tt_beneficiary_lookup (self->beneficiary);
      g_autofree char *ex = g_strdup_printf ("−%s (%s)", exemption, b ? _(b->label) : "");
      add_line (lines, _("Exemption"), ex);
    }
  add_line (lines, _("Paid"), collected);
  add_line (lines, _("Verification code"), self->code);
  return lines;
}

char *
tt_receipt_get_text (TtReceipt *self)
{
  g_autoptr(GPtrArray) lines = NULL;

  g_return_val_if_fail (TT_IS_RECEIPT (self), NULL);

  lines = receipt_lines (self);
  g_ptr_array_add (lines, NULL);
  return g_strjoinv ("\n", (char **) lines->pdata);
}

/* Shows @text from (x, *y), wrapped at @width; moves *y down. */
static void
show_wrapped (cairo_t    *cr,
              const char *text,
              double      x,
              double     *y,
              double      width,
              double      line_height)
{
  g_auto(GStrv) words = g_strsplit (text, " ", -1);
  g_autoptr(GString) line = g_string_new (NULL);

  for (guint i = 0; words[i]; i++)
    {
      g_autofree char *attempt = line->len ? g_strconcat (line->str, " ", words[i], NULL)
                                           : g_strdup (words[i]);
      cairo_text_extents_t ext;

      cairo_text_extents (cr, attempt, &ext);
      if (ext.x_advance > width && line->len > 0)
        {
          cairo_move_to (cr, x, *y);
          cairo_show_text (cr, line->str);
          *y += line_height;
          g_string_assign (line, words[i]);
        }
      else
        g_string_assign (line, attempt);
    }
  if (line->len > 0)
    {
      cairo_move_to (cr, x, *y);
      cairo_show_text (cr, line->str);
      *y += line_height;
    }
}

gboolean
tt_receipt_export_pdf (TtReceipt  *self,
                       const char *path,
                       GError    **error)
{
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *tmp = NULL;
  cairo_surface_t *surface;
  cairo_status_t status;
  cairo_t *cr;
  double y = MARGIN + 18, qr_module, qr_side, text_w;

  g_return_val_if_fail (TT_IS_RECEIPT (self), FALSE);
  g_return_val_if_fail (path != NULL, FALSE);

  /* Write beside the target and rename: a half-written receipt never
   * replaces a good one. */
  tmp = g_strconcat (path, ".part", NULL);
  surface = cairo_pdf_surface_create (tmp, PAGE_W, PAGE_H);
  cr = cairo_create (surface);

  /* Vietnamese needs precomposed glyphs: the text is NFC (manifest
   * parser) and Noto Sans covers Vietnamese. */
  cairo_select_font_face (cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_BOLD);
  cairo_set_font_size (cr, 15);
  cairo_set_source_rgb (cr, 0, 0, 0);
  show_wrapped (cr, _("Dossier receipt"), MARGIN, &y, PAGE_W - 2 * MARGIN, 20);
  cairo_select_font_face (cr, FONT, CAIRO_FONT_SLANT_NORMAL, CAIRO_FONT_WEIGHT_NORMAL);
  cairo_set_font_size (cr, 8.5);
  show_wrapped (cr, _("Public postal service — door-step intake of administrative dossiers"),
                MARGIN, &y, PAGE_W - 2 * MARGIN, 12);
  y += 6;

  /* QR at the top right, whole points per module. */
  qr_module = 3;
  qr_side = tt_receipt_get_qr_size (self) * qr_module;
  tt_receipt_draw_qr (self, cr, PAGE_W - MARGIN - qr_side, y, qr_module);
  text_w = PAGE_W - 2 * MARGIN - qr_side - 10;

  cairo_set_font_size (cr, 9.5);
  lines = receipt_lines (self);
  for (guint i = 0; i < lines->len; i++)
    {
      g_autofree char *nfc = g_utf8_normalize (g_ptr_array_index (lines, i), -1,
                                               G_NORMALIZE_NFC);
      show_wrapped (cr, nfc, MARGIN, &y, y < MARGIN + 60 + qr_side ? text_w : PAGE_W - 2 * MARGIN,
                    13);
    }

  if (self->signature != NULL)
    {
      double box_h = 80, box_w = 200;
      y += 8;
      cairo_move_to (cr, MARGIN, y);
      cairo_show_text (cr, _("Citizen's signature:"));
      y += 4;
      cairo_set_source_rgb (cr, 0.05, 0.12, 0.38);
      tt_signature_draw (self->signature, cr, MARGIN, y, box_w, box_h, TT_SIGNATURE_FIT_INK);
      cairo_set_source_rgb (cr, 0.6, 0.6, 0.6);
      cairo_set_line_width (cr, 0.5);
      cairo_move_to (cr, MARGIN, y + box_h + 2);
      cairo_line_to (cr, MARGIN + box_w, y + box_h + 2);
      cairo_stroke (cr);
    }

  cairo_show_page (cr);
  status = cairo_status (cr);
  cairo_destroy (cr);
  cairo_surface_finish (surface);
  if (status == CAIRO_STATUS_SUCCESS)
    status = cairo_surface_status (surface);
  cairo_surface_destroy (surface);

  if (status != CAIRO_STATUS_SUCCESS)
    {
      g_unlink (tmp);
      g_set_error (error, TT_RECEIPT_ERROR, TT_RECEIPT_ERROR_IO,
                   _("The receipt could not be saved as %s: %s"), path,
                   cairo_status_to_string (status));
      return FALSE;
    }
  if (g_rename (tmp, path) != 0)
    {
      int saved = errno;
      g_unlink (tmp);
      g_set_error (error, TT_RECEIPT_ERROR, TT_RECEIPT_ERROR_IO,
                   _("The receipt could not be saved as %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  return TRUE;
}
