/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-manifest"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>

#include "tt-code.h"
#include "tt-manifest.h"

G_DEFINE_QUARK (tt-manifest-error-quark, tt_manifest_error)

void
tt_manifest_free (TtManifest *manifest)
{
  if (manifest == NULL)
    return;
  g_free (manifest->route_id);
  g_free (manifest->date);
  g_free (manifest->courier);
  g_free (manifest->office);
  g_clear_pointer (&manifest->items, g_ptr_array_unref);
  g_free (manifest);
}

/* Field readers: each names the item (by index and id) and the field. */
typedef struct
{
  guint       index;
  const char *item_id;
  GError    **error;
} Ctx;

static gboolean
fail (Ctx        *ctx,
      const char *field,
      const char *what)
{
  if (ctx->item_id)
    g_set_error (ctx->error, TT_MANIFEST_ERROR, TT_MANIFEST_ERROR_FIELD,
                 "Item %u (%s): field “%s” %s", ctx->index + 1, ctx->item_id, field, what);
  else
    g_set_error (ctx->error, TT_MANIFEST_ERROR, TT_MANIFEST_ERROR_FIELD,
                 "Item %u: field “%s” %s", ctx->index + 1, field, what);
  return FALSE;
}

static gboolean
get_string (Ctx         *ctx,
            JsonObject  *o,
            const char  *field,
            gboolean     required,
            char       **out)
{
  JsonNode *n = json_object_get_member (o, field);

  *out = NULL;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return required ? fail (ctx, field, "is missing") : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_STRING)
    return fail (ctx, field, "must be a string");
  if (!g_utf8_validate (json_node_get_string (n), -1, NULL))
    return fail (ctx, field, "is not valid UTF-8");
  if (required && *json_node_get_string (n) == '\0')
    return fail (ctx, field, "is empty");
  *out = g_strdup (json_node_get_string (n));
  return TRUE;
}

/* The same, for the fields TtItem shares between items. */
static gboolean
get_shared_string (Ctx         *ctx,
                   JsonObject  *o,
                   const char  *field,
                   gboolean     required,
                   char       **out)
{
  g_autofree char *text = NULL;

  *out = NULL;
  if (!get_string (ctx, o, field, required, &text))
    return FALSE;
  *out = tt_item_share_text (text);
  return TRUE;
}

static gboolean
get_int (Ctx        *ctx,
         JsonObject *o,
         const char *field,
         gboolean    required,
         gint64      min,
         gint64      max,
         gint64     *out)
{
  JsonNode *n = json_object_get_member (o, field);

  *out = 0;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return required ? fail (ctx, field, "is missing") : TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_INT64)
    return fail (ctx, field, "must be a whole number");
  *out = json_node_get_int (n);
  if (*out < min || *out > max)
    return fail (ctx, field, "is out of range");
  return TRUE;
}

static gboolean
get_double (Ctx        *ctx,
            JsonObject *o,
            const char *field,
            double      min,
            double      max,
            gboolean   *present,
            double     *out)
{
  JsonNode *n = json_object_get_member (o, field);
  GType t;

  *present = FALSE;
  *out = 0;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  t = JSON_NODE_HOLDS_VALUE (n) ? json_node_get_value_type (n) : G_TYPE_INVALID;
  if (t != G_TYPE_DOUBLE && t != G_TYPE_INT64)
    return fail (ctx, field, "must be a number");
  *out = json_node_get_double (n);
  if (!isfinite (*out) || *out < min || *out > max)
    return fail (ctx, field, "is out of range");
  *present = TRUE;
  return TRUE;
}

static gboolean
get_bool (Ctx        *ctx,
          JsonObject *o,
          const char *field,
          gboolean   *out)
{
  JsonNode *n = json_object_get_member (o, field);

  *out = FALSE;
  if (n == NULL || JSON_NODE_HOLDS_NULL (n))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (n) || json_node_get_value_type (n) != G_TYPE_BOOLEAN)
    return fail (ctx, field, "must be true or false");
  *out = json_node_get_boolean (n);
  return TRUE;
}

static TtItem *
parse_item (JsonNode *node,
            guint     index,
            GError  **error)
{
  g_autoptr(TtItem) item = tt_item_new ();
  g_autofree char *kind = NULL;
  g_autofree char *status = NULL;
  Ctx ctx = { index, NULL, error };
  JsonObject *o;
  JsonNode *checklist;
  gint64 seq = 0, attempts = 0;
  gboolean has_lat, has_lon;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error (error, TT_MANIFEST_ERROR, TT_MANIFEST_ERROR_FIELD,
                   "Item %u is not a JSON object", index + 1);
      return NULL;
    }
  o = json_node_get_object (node);

  if (!get_string (&ctx, o, "id", TRUE, &item->id))
    return NULL;
  ctx.item_id = item->id;
  /* An id that fails its check digit could never be matched by a scan. */
  {
    g_autoptr(GError) bad_id = NULL;

    if (!tt_code_s10_valid (item->id, &bad_id))
      {
        g_autofree char *what = g_strdup_printf ("is not a valid item id (%s)", bad_id->message);

        fail (&ctx, "id", what);
        return NULL;
      }
  }

  if (!get_string (&ctx, o, "kind", TRUE, &kind))
    return NULL;
  if (!tt_item_kind_from_string (kind, &item->kind))
    {
      fail (&ctx, "kind", "must be “delivery” or “pickup”");
      return NULL;
    }
  if (!get_int (&ctx, o, "seq", TRUE, 1, G_MAXINT, &seq)
      || !get_string (&ctx, o, "dossier_code", FALSE, &item->dossier_code)
      || !get_shared_string (&ctx, o, "procedure", TRUE, &item->procedure)
      || !get_shared_string (&ctx, o, "agency", FALSE, &item->agency)
      || !get_string (&ctx, o, "recipient_name", TRUE, &item->recipient_name)
      || !get_string (&ctx, o, "phone", FALSE, &item->phone)
      || !get_string (&ctx, o, "street", TRUE, &item->street)
      || !get_shared_string (&ctx, o, "commune", TRUE, &item->commune)
      || !get_shared_string (&ctx, o, "district", FALSE, &item->district)
      || !get_shared_string (&ctx, o, "province", TRUE, &item->province)
      || !get_double (&ctx, o, "lat", -90, 90, &has_lat, &item->lat)
      || !get_double (&ctx, o, "lon", -180, 180, &has_lon, &item->lon)
      || !get_string (&ctx, o, "id_hash", FALSE, &item->id_hash)
      || !get_int (&ctx, o, "fee_vnd", FALSE, 0, G_GINT64_CONSTANT (1000000000000), &item->fee_vnd)
      || !get_int (&ctx, o, "postage_vnd", FALSE, 0, G_GINT64_CONSTANT (1000000000000),
                   &item->postage_vnd)
      || !get_shared_string (&ctx, o, "beneficiary", FALSE, &item->beneficiary)
      || !get_bool (&ctx, o, "proxy_allowed", &item->proxy_allowed)
      || !get_string (&ctx, o, "status", FALSE, &status)
      || !get_int (&ctx, o, "attempts", FALSE, 0, 1000, &attempts))
    return NULL;

  if (has_lat != has_lon)
    {
      fail (&ctx, has_lat ? "lon" : "lat", "is missing (latitude and longitude go together)");
      return NULL;
    }
  item->has_location = has_lat && has_lon;
  item->seq = (int) seq;
  item->attempts = (int) attempts;
  if (status != NULL && !tt_item_status_from_string (status, &item->status))
    {
      fail (&ctx, "status", "is not a known status");
      return NULL;
    }

  checklist = json_object_get_member (o, "checklist");
  if (checklist != NULL && !JSON_NODE_HOLDS_NULL (checklist))
    {
      JsonArray *a;
      GPtrArray *docs;

      if (!JSON_NODE_HOLDS_ARRAY (checklist))
        {
          fail (&ctx, "checklist", "must be a list of document names");
          return NULL;
        }
      a = json_node_get_array (checklist);
      docs = g_ptr_array_new ();
      for (guint i = 0; i < json_array_get_length (a); i++)
        {
          JsonNode *d = json_array_get_element (a, i);

          if (!JSON_NODE_HOLDS_VALUE (d) || json_node_get_value_type (d) != G_TYPE_STRING
              || !g_utf8_validate (json_node_get_string (d), -1, NULL))
            {
              g_ptr_array_free (docs, TRUE);
              fail (&ctx, "checklist", "must be a list of document names");
              return NULL;
            }
          g_ptr_array_add (docs, g_strdup (json_node_get_string (d)));
        }
      g_ptr_array_add (docs, NULL);
      item->checklist = (char **) g_ptr_array_free (docs, FALSE);
    }

  tt_item_update_search_key (item);
  return g_steal_pointer (&item);
}

TtManifest *
tt_manifest_parse (const char  *json,
                   gssize       length,
                   GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(TtManifest) m = g_new0 (TtManifest, 1);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GError) local = NULL;
  JsonObject *root, *route;
  JsonNode *items, *version;
  Ctx ctx = { 0, NULL, error };

  g_return_val_if_fail (json != NULL, NULL);

  if (length < 0)
    length = strlen (json);
  if (!json_parser_load_from_data (parser, json, length, &local))
    {
      g_set_error (error, TT_MANIFEST_ERROR, TT_MANIFEST_ERROR_SYNTAX,
                   "The route is not valid JSON (it may have been cut off): %s", local->message);
      return NULL;
    }
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error (error, TT_MANIFEST_ERROR, TT_MANIFEST_ERROR_SYNTAX,
                   "The route is not a JSON object");
      return NULL;
    }
  root = json_node_get_object (json_parser_get_root (parser));

  version = json_object_get_member (root, "version");
  if (version == NULL || !JSON_NODE_HOLDS_VALUE (version)
      || json_node_get_value_type (version) != G_TYPE_INT64 || json_node_get_int (version) != 1)
    {
      g_set_error (error, TT_MANIFEST_ERROR, TT_MANIFEST_ERROR_VERSION,
                   "The route has no “version” or one this app does not know (expected 1)");
      return NULL;
    }

  if (!json_object_has_member (root, "route")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "route")))
    {
      g_set_error (error, TT_MANIFEST_ERROR, TT_MANIFEST_ERROR_FIELD,
                   "The route has no “route” object");
      return NULL;
    }
  route = json_object_get_object_member (root, "route");
  ctx.index = 0;
#define ROUTE_STRING(field, name, required)                                   \
  {                                                                           \
    JsonNode *n = json_object_get_member (route, name);                       \
    if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING) \
      m->field = g_strdup (json_node_get_string (n));                         \
    else if (required || (n && !JSON_NODE_HOLDS_NULL (n)))                    \
      {                                                                       \
        g_set_error (error, TT_MANIFEST_ERROR, TT_MANIFEST_ERROR_FIELD,       \
                     "Route field “%s” is missing or not a string", name);    \
        return NULL;                                                          \
      }                                                                       \
  }
  ROUTE_STRING (route_id, "id", TRUE);
  ROUTE_STRING (date, "date", TRUE);
  ROUTE_STRING (courier, "courier", FALSE);
  ROUTE_STRING (office, "office", FALSE);
#undef ROUTE_STRING

  items = json_object_get_member (root, "items");
  if (items == NULL || !JSON_NODE_HOLDS_ARRAY (items))
    {
      g_set_error (error, TT_MANIFEST_ERROR, TT_MANIFEST_ERROR_FIELD,
                   "The route has no “items” list");
      return NULL;
    }

  m->items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < json_array_get_length (json_node_get_array (items)); i++)
    {
      TtItem *item = parse_item (json_array_get_element (json_node_get_array (items), i), i, error);

      if (item == NULL)
        return NULL;
      if (g_hash_table_contains (seen, item->id))
        {
          g_set_error (error, TT_MANIFEST_ERROR, TT_MANIFEST_ERROR_DUPLICATE,
                       "Item %u: item id %s appears more than once in the route", i + 1, item->id);
          g_object_unref (item);
          return NULL;
        }
      g_ptr_array_add (m->items, item);
      g_hash_table_add (seen, item->id);
    }
  (void) ctx;
  return g_steal_pointer (&m);
}
