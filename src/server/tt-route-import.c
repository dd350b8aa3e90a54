/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-route-import"

#include "config.h"

#include <json-glib/json-glib.h>
#include <stdlib.h>

#include "tt-identity.h"
#include "tt-route-import.h"

G_DEFINE_QUARK (tt-route-import-error-quark, tt_route_import_error)

/* RFC 4180: fields separated by commas, optionally quoted with "…", a
 * quote inside doubled; rows end with LF or CRLF.  Returns rows of
 * fields, or NULL with the line of the fault. */
static GPtrArray *
parse_csv (const char  *data,
           gsize        length,
           GError     **error)
{
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  g_autoptr(GPtrArray) row = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) field = g_string_new (NULL);
  const char *p = data, *end = data + length;
  guint line = 1;
  gboolean quoted = FALSE, was_quoted = FALSE;

  /* A byte-order mark from spreadsheet programs. */
  if (length >= 3 && memcmp (p, "\xef\xbb\xbf", 3) == 0)
    p += 3;

  for (; p <= end; p++)
    {
      char c = p < end ? *p : '\n';

      if (quoted)
        {
          if (p == end)
            {
              g_set_error (error, TT_ROUTE_IMPORT_ERROR, TT_ROUTE_IMPORT_ERROR_CSV,
                           "Line %u: a quoted cell is not closed", line);
              return NULL;
            }
          if (c == '"' && p + 1 < end && p[1] == '"')
            {
              g_string_append_c (field, '"');
              p++;
            }
          else if (c == '"')
            quoted = FALSE;
          else
            {
              if (c == '\n')
                line++;
              g_string_append_c (field, c);
            }
          continue;
        }
      if (c == '"' && field->len == 0 && !was_quoted)
        {
          quoted = was_quoted = TRUE;
          continue;
        }
      if (c == ',' || c == '\n')
        {
          if (field->len > 0 && field->str[field->len - 1] == '\r' && c == '\n')
            g_string_truncate (field, field->len - 1);
          g_ptr_array_add (row, g_strdup (field->str));
          g_string_truncate (field, 0);
          was_quoted = FALSE;
          if (c == '\n')
            {
              gboolean blank = row->len == 1 && *(char *) g_ptr_array_index (row, 0) == '\0';

              if (!blank)
                {
                  g_ptr_array_add (row, NULL);
                  g_ptr_array_add (rows, g_ptr_array_steal (row, NULL));
                }
              g_ptr_array_set_size (row, 0);
              line++;
            }
          continue;
        }
      if (was_quoted && c != '\r')
        {
          g_set_error (error, TT_ROUTE_IMPORT_ERROR, TT_ROUTE_IMPORT_ERROR_CSV,
                       "Line %u: text after a closing quote", line);
          return NULL;
        }
      g_string_append_c (field, c);
    }
  return g_steal_pointer (&rows);
}

typedef enum { COL_STRING, COL_INT, COL_DOUBLE, COL_BOOL, COL_LIST } ColumnKind;

static const struct
{
  const char *name;
  ColumnKind  kind;
} item_columns[] = {
  { "id", COL_STRING }, { "kind", COL_STRING }, { "seq", COL_INT },
  { "dossier_code", COL_STRING }, { "procedure", COL_STRING }, { "agency", COL_STRING },
  { "recipient_name", COL_STRING }, { "phone", COL_STRING }, { "street", COL_STRING },
  { "commune", COL_STRING }, { "district", COL_STRING }, { "province", COL_STRING },
  { "lat", COL_DOUBLE }, { "lon", COL_DOUBLE }, { "id_hash", COL_STRING },
  { "fee_vnd", COL_INT }, { "postage_vnd", COL_INT }, { "beneficiary", COL_STRING },
  { "proxy_allowed", COL_BOOL }, { "checklist", COL_LIST },
};

static const char *const route_columns[] = { "route_id", "date", "courier", "office" };

static int
column_index (char      **header,
              const char *name)
{
  for (int i = 0; header[i]; i++)
    if (g_ascii_strcasecmp (g_strstrip (header[i]), name) == 0)
      return i;
  return -1;
}

static gboolean
add_cell (JsonBuilder *b,
          const char  *name,
          ColumnKind   kind,
          const char  *cell,
          guint        line,
          GError     **error)
{
  char *end = NULL;

  json_builder_set_member_name (b, name);
  switch (kind)
    {
    case COL_STRING:
      json_builder_add_string_value (b, cell);
      return TRUE;
    case COL_INT:
      {
        gint64 v = g_ascii_strtoll (cell, &end, 10);

        if (end == cell || *end != '\0')
          break;
        json_builder_add_int_value (b, v);
        return TRUE;
      }
    case COL_DOUBLE:
      {
        double v = g_ascii_strtod (cell, &end);

        if (end == cell || *end != '\0')
          break;
        json_builder_add_double_value (b, v);
        return TRUE;
      }
    case COL_BOOL:
      if (g_ascii_strcasecmp (cell, "true") == 0 || g_ascii_strcasecmp (cell, "yes") == 0
          || g_str_equal (cell, "1"))
        json_builder_add_boolean_value (b, TRUE);
      else if (g_ascii_strcasecmp (cell, "false") == 0 || g_ascii_strcasecmp (cell, "no") == 0
               || g_str_equal (cell, "0"))
        json_builder_add_boolean_value (b, FALSE);
      else
        break;
      return TRUE;
    case COL_LIST:
      {
        g_auto(GStrv) parts = g_strsplit (cell, ";", -1);

        json_builder_begin_array (b);
        for (guint i = 0; parts[i]; i++)
          if (*g_strstrip (parts[i]))
            json_builder_add_string_value (b, parts[i]);
        json_builder_end_array (b);
        return TRUE;
      }
    default:
      g_assert_not_reached ();
    }
  g_set_error (error, TT_ROUTE_IMPORT_ERROR, TT_ROUTE_IMPORT_ERROR_CSV,
               "Line %u, column “%s”: “%s” is not %s", line, name, cell,
               kind == COL_BOOL ? "yes or no" : "a number");
  return FALSE;
}

char *
tt_route_import_csv (const char  *data,
                     gsize        length,
                     GError     **error)
{
  g_autoptr(GPtrArray) rows = NULL;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  char **header;
  int route_idx[G_N_ELEMENTS (route_columns)];
  int citizen_idx;

  g_return_val_if_fail (data != NULL, NULL);

  if (!g_utf8_validate (data, length, NULL))
    {
      g_set_error (error, TT_ROUTE_IMPORT_ERROR, TT_ROUTE_IMPORT_ERROR_CSV,
                   "The file is not UTF-8 text (save it from the spreadsheet as “CSV UTF-8”)");
      return NULL;
    }
  rows = parse_csv (data, length, error);
  if (rows == NULL)
    return NULL;
  if (rows->len < 2)
    {
      g_set_error (error, TT_ROUTE_IMPORT_ERROR, TT_ROUTE_IMPORT_ERROR_CSV,
                   "The file has no items (a header row and at least one item row are needed)");
      return NULL;
    }
  header = g_ptr_array_index (rows, 0);
  for (guint i = 0; i < G_N_ELEMENTS (route_columns); i++)
    {
      route_idx[i] = column_index (header, route_columns[i]);
      if (route_idx[i] < 0 && i < 2)
        {
          g_set_error (error, TT_ROUTE_IMPORT_ERROR, TT_ROUTE_IMPORT_ERROR_COLUMN,
                       "The header has no “%s” column", route_columns[i]);
          return NULL;
        }
    }
  citizen_idx = column_index (header, "citizen_id");

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "route");
  json_builder_begin_object (b);
  {
    char **first = g_ptr_array_index (rows, 1);
    static const char *const keys[] = { "id", "date", "courier", "office" };

    for (guint i = 0; i < G_N_ELEMENTS (route_columns); i++)
      if (route_idx[i] >= 0 && (int) g_strv_length (first) > route_idx[i])
        {
          json_builder_set_member_name (b, keys[i]);
          json_builder_add_string_value (b, first[route_idx[i]]);
        }
  }
  json_builder_end_object (b);

  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint r = 1; r < rows->len; r++)
    {
      char **row = g_ptr_array_index (rows, r);
      char **first = g_ptr_array_index (rows, 1);
      guint n = g_strv_length (row);
      gboolean has_seq = FALSE;

      if (n != g_strv_length (header))
        {
          g_set_error (error, TT_ROUTE_IMPORT_ERROR, TT_ROUTE_IMPORT_ERROR_CSV,
                       "Row %u has %u cells but the header has %u", r + 1, n,
                       g_strv_length (header));
          return NULL;
        }
      for (guint i = 0; i < G_N_ELEMENTS (route_columns); i++)
        if (route_idx[i] >= 0 && g_strcmp0 (row[route_idx[i]], first[route_idx[i]]) != 0)
          {
            g_set_error (error, TT_ROUTE_IMPORT_ERROR, TT_ROUTE_IMPORT_ERROR_CSV,
                         "Row %u: “%s” differs from the first row (one route per file)", r + 1,
                         route_columns[i]);
            return NULL;
          }

      json_builder_begin_object (b);
      for (guint c = 0; c < G_N_ELEMENTS (item_columns); c++)
        {
          int idx = column_index (header, item_columns[c].name);

          if (idx < 0 || *row[idx] == '\0')
            continue;
          if (!add_cell (b, item_columns[c].name, item_columns[c].kind, row[idx], r + 1, error))
            return NULL;
          has_seq |= g_str_equal (item_columns[c].name, "seq");
        }
      if (!has_seq)
        {
          json_builder_set_member_name (b, "seq");
          json_builder_add_int_value (b, r);
        }
      if (citizen_idx >= 0 && *row[citizen_idx] != '\0' && column_index (header, "id_hash") < 0)
        {
          const char *number = g_strstrip (row[citizen_idx]);
          g_autofree char *hash = NULL;
          gboolean digits = strlen (number) == 12;

          for (const char *d = number; digits && *d; d++)
            digits = g_ascii_isdigit (*d);
          if (digits)
            hash = tt_identity_hash_new (number);
          if (hash == NULL)
            {
              g_set_error (error, TT_ROUTE_IMPORT_ERROR, TT_ROUTE_IMPORT_ERROR_CSV,
                           "Row %u: “citizen_id” is not a 12-digit citizen ID number", r + 1);
              return NULL;
            }
          json_builder_set_member_name (b, "id_hash");
          json_builder_add_string_value (b, hash);
        }
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

char *
tt_route_import_file (const char  *path,
                      gsize       *length,
                      GError     **error)
{
  g_autofree char *contents = NULL;
  gsize len = 0;
  const char *p;

  if (!g_file_get_contents (path, &contents, &len, error))
    return NULL;
  for (p = contents; p < contents + len && g_ascii_isspace (*p); p++)
    ;
  if (p < contents + len && *p == '{')
    {
      if (length)
        *length = len;
      return g_steal_pointer (&contents);
    }
  {
    char *json = tt_route_import_csv (contents, len, error);

    if (json && length)
      *length = strlen (json);
    return json;
  }
}
