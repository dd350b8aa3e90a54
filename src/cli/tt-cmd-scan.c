/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tantayctl"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tt-cmds.h"
#include "tt-code.h"
#include "tt-qr.h"

static JsonBuilder *
begin (const char *file)
{
  JsonBuilder *b = json_builder_new ();
  g_autofree char *shown = g_filename_display_name (file);

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "file");
  json_builder_add_string_value (b, shown);
  return b;
}

static void
finish (JsonBuilder *b)
{
  g_autoptr(JsonNode) node = NULL;

  json_builder_end_object (b);
  node = json_builder_get_root (b);
  tt_cmd_print_json (node);
}

static void
print_code (const char *file,
            GBytes     *payload)
{
  g_autoptr(JsonBuilder) b = begin (file);
  g_autoptr(TtCode) code = NULL;
  g_autoptr(GError) error = NULL;
  gsize len;
  const char *data = g_bytes_get_data (payload, &len);

  /* JSON text is UTF-8: a payload that is not (or holds NULs) is shown
   * escaped, and given exactly in base64 beside it. */
  json_builder_set_member_name (b, "payload");
  if (g_utf8_validate_len (data, len, NULL))
    {
      g_autofree char *text = g_strndup (data, len);

      json_builder_add_string_value (b, text);
    }
  else
    {
      g_autofree char *shown = tt_code_describe (data, len, G_MAXUINT);
      g_autofree char *b64 = g_base64_encode ((const guchar *) data, len);

      json_builder_add_string_value (b, shown);
      json_builder_set_member_name (b, "payload_base64");
      json_builder_add_string_value (b, b64);
    }

  if (tt_code_parse (data, len, &code, &error))
    {
      json_builder_set_member_name (b, "kind");
      json_builder_add_string_value (b, tt_code_kind_to_string (code->kind));
      json_builder_set_member_name (b, "value");
      json_builder_add_string_value (b, code->value);
    }
  else
    {
      json_builder_set_member_name (b, "kind");
      json_builder_add_null_value (b);
      json_builder_set_member_name (b, "error");
      json_builder_add_string_value (b, error->message);
    }
  finish (b);
}

static void
print_error (const char *file,
             const char *message)
{
  g_autoptr(JsonBuilder) b = begin (file);

  json_builder_set_member_name (b, "error");
  json_builder_add_string_value (b, message);
  finish (b);
}

int
tt_cmd_scan_image (int    argc,
                   char **argv)
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;
  g_auto(GStrv) files = NULL;
  int status = 0;
  const GOptionEntry entries[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, &data_dir, N_("Data folder (unused here)"), N_("DIR") },
    { G_OPTION_REMAINING, 0, 0, G_OPTION_ARG_FILENAME_ARRAY, &files, NULL, N_("FILE…") },
    { NULL },
  };

  context = g_option_context_new (_("FILE… — decode the codes in image files"));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("tantayctl scan-image: %s\n", error->message);
      return 2;
    }
  if (files == NULL || files[0] == NULL)
    {
      g_printerr ("tantayctl scan-image: %s\n", _("give at least one image file"));
      return 2;
    }

  for (guint i = 0; files[i] != NULL; i++)
    {
      g_autoptr(GPtrArray) found = NULL;
      g_autoptr(GError) read_error = NULL;

      found = tt_qr_decode_file (files[i], &read_error);
      if (found == NULL)
        {
          print_error (files[i], read_error->message);
          status = 1;
          continue;
        }
      if (found->len == 0)
        print_error (files[i], _("no code found in the image"));
      for (guint k = 0; k < found->len; k++)
        print_code (files[i], found->pdata[k]);
    }
  return status;
}
