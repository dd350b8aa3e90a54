/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-server-pages"

#include "config.h"

#include "tt-server-db.h"
#include "tt-server-pages.h"
#include "tt-signature.h"

static const char style[] =
  "<style>body{font-family:sans-serif;margin:1.5em;max-width:70em;color:#222}"
  "table{border-collapse:collapse;width:100%;margin-bottom:1.5em}"
  "th,td{border-bottom:1px solid #ddd;padding:.35em .5em;text-align:left;vertical-align:top}"
  "th{background:#f3f3f3}.ok{color:#1a7f37}.bad{color:#b42318;font-weight:bold}"
  "dl{margin:.2em 0;display:grid;grid-template-columns:max-content auto;gap:0 .8em}"
  "dt{color:#666}dd{margin:0;word-break:break-all}.muted{color:#777}"
  "img.signature{border:1px solid #ccc;background:#fff}</style>";

const char *
tt_server_status_for_event (const char *type)
{
  if (type == NULL)
    return "registered";
  if (g_str_equal (type, "delivered"))
    return "delivered";
  if (g_str_equal (type, "failed"))
    return "delivery attempted";
  if (g_str_equal (type, "intake"))
    return "collected";
  if (g_str_equal (type, "out-for-delivery"))
    return "out for delivery";
  return "registered";
}

static void
append_escaped (GString    *s,
                const char *text)
{
  g_autofree char *escaped = g_markup_escape_text (text ? text : "", -1);

  g_string_append (s, escaped);
}

static void
begin_page (GString    *s,
            const char *title)
{
  g_string_append (s, "<!DOCTYPE html>\n<html lang=\"vi\"><head><meta charset=\"utf-8\">"
                      "<meta name=\"viewport\" content=\"width=device-width\"><title>");
  append_escaped (s, title);
  g_string_append_printf (s, "</title>%s</head><body>\n<h1>", style);
  append_escaped (s, title);
  g_string_append (s, "</h1>\n");
}

static const char *
member_string (JsonObject *o,
               const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING)
    return json_node_get_string (n);
  return NULL;
}

static gint64
member_int (JsonObject *o,
            const char *name)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_INT64)
    return json_node_get_int (n);
  return 0;
}

static void
append_money (GString *s,
              gint64   vnd)
{
  g_autoptr(GString) digits = g_string_new (NULL);

  g_string_printf (digits, "%" G_GINT64_FORMAT, vnd < 0 ? -vnd : vnd);
  for (gssize i = (gssize) digits->len - 3; i > 0; i -= 3)
    g_string_insert_c (digits, i, '.');
  g_string_append_printf (s, "%s%s ₫", vnd < 0 ? "−" : "", digits->str);
}

char *
tt_server_page_office (JsonArray *routes,
                       JsonArray *devices)
{
  GString *s = g_string_new (NULL);

  begin_page (s, "Tận Tay — office");
  g_string_append (s, "<h2>Routes</h2>\n<table><tr><th>Route</th><th>Date</th><th>Courier</th>"
                      "<th>Office</th><th>Items</th><th>Done</th></tr>\n");
  for (guint i = 0; i < json_array_get_length (routes); i++)
    {
      JsonObject *r = json_array_get_object_element (routes, i);
      g_autofree char *link = g_uri_escape_string (member_string (r, "id"), NULL, FALSE);

      g_string_append_printf (s, "<tr><td><a href=\"/office/routes/%s\">", link);
      append_escaped (s, member_string (r, "id"));
      g_string_append (s, "</a></td><td>");
      append_escaped (s, member_string (r, "date"));
      g_string_append (s, "</td><td>");
      append_escaped (s, member_string (r, "courier"));
      g_string_append (s, "</td><td>");
      append_escaped (s, member_string (r, "office"));
      g_string_append_printf (s, "</td><td>%" G_GINT64_FORMAT "</td><td>%" G_GINT64_FORMAT
                              "</td></tr>\n", member_int (r, "n_items"), member_int (r, "n_done"));
    }
  if (json_array_get_length (routes) == 0)
    g_string_append (s, "<tr><td colspan=\"6\" class=\"muted\">No route imported yet "
                        "(tantay-server --import FILE)</td></tr>\n");
  g_string_append (s, "</table>\n");

  g_string_append (s, "<h2>Devices</h2>\n<table><tr><th>Device</th><th>Courier</th>"
                      "<th>Enrolled</th><th>Events</th><th>Hash chain</th></tr>\n");
  for (guint i = 0; i < json_array_get_length (devices); i++)
    {
      JsonObject *d = json_array_get_object_element (devices, i);
      gboolean ok = json_object_get_boolean_member_with_default (d, "chain_ok", FALSE);

      g_string_append (s, "<tr><td><code>");
      append_escaped (s, member_string (d, "id"));
      g_string_append (s, "</code></td><td>");
      append_escaped (s, member_string (d, "courier"));
      g_string_append (s, "</td><td>");
      append_escaped (s, member_string (d, "enrolled_at"));
      g_string_append_printf (s, "</td><td>%" G_GINT64_FORMAT "</td><td class=\"%s\">",
                              member_int (d, "n_events"), ok ? "ok" : "bad");
      append_escaped (s, member_string (d, "chain"));
      g_string_append (s, "</td></tr>\n");
    }
  if (json_array_get_length (devices) == 0)
    g_string_append (s, "<tr><td colspan=\"5\" class=\"muted\">No device enrolled yet</td></tr>\n");
  g_string_append (s, "</table>\n</body></html>\n");
  return g_string_free (s, FALSE);
}

/* Labels for payload fields the office looks for first. */
static const struct
{
  const char *key;
  const char *label;
} labels[] = {
  { "fix", "GPS fix" }, { "accuracy_m", "accuracy (m)" }, { "identity", "identity check" },
  { "identity_result", "identity check" }, { "id_last4", "ID (last 4 digits)" },
  { "collected_vnd", "collected" }, { "amount_due_vnd", "due" }, { "receiver", "received by" },
  { "relationship", "relationship" }, { "signature", "signature" }, { "reason", "reason" },
  { "action", "action taken" }, { "distance_m", "distance from address (m)" },
  { "recipient", "received by" }, { "kind", "who" }, { "id_method", "ID read by" },
  { "override_reason", "why delivered without a match" }, { "money", "money" },
  { "fee_vnd", "fee" }, { "postage_vnd", "postage" }, { "exemption_vnd", "exemption" },
  { "due_vnd", "due" }, { "retry_date", "next attempt" }, { "no_fix", "recorded without a position" },
};

static const char *
label_for (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (labels); i++)
    if (g_str_equal (key, labels[i].key))
      return labels[i].label;
  return key;
}

static void append_value (GString *s, const char *key, JsonNode *node, guint depth);

/* The signature drawn from its strokes ({"format":"tt-strokes-1",
 * "data":base64}), as an image: an <img> cannot run anything the SVG
 * might carry. */
static gboolean
append_signature (GString    *s,
                  JsonObject *o)
{
  const char *format = json_object_get_string_member_with_default (o, "format", NULL);
  const char *data = json_object_get_string_member_with_default (o, "data", NULL);
  g_autoptr(TtSignature) signature = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *svg = NULL;
  g_autofree char *b64 = NULL;

  if (g_strcmp0 (format, "tt-strokes-1") != 0 || data == NULL)
    return FALSE;
  signature = tt_signature_from_base64 (data, &error);
  if (signature == NULL)
    {
      g_string_append (s, "<span class=\"bad\">signature unreadable: ");
      append_escaped (s, error->message);
      g_string_append (s, "</span>");
      return TRUE;
    }
  svg = tt_signature_to_svg (signature, 240, 100);
  b64 = g_base64_encode ((const guchar *) svg, strlen (svg));
  g_string_append_printf (s, "<img class=\"signature\" alt=\"signature, %u strokes\" "
                             "width=\"240\" height=\"100\" src=\"data:image/svg+xml;base64,%s\">",
                          tt_signature_get_n_strokes (signature), b64);
  return TRUE;
}

static void
append_object (GString    *s,
               JsonObject *o,
               guint       depth)
{
  g_autoptr(GList) members = json_object_get_members (o);

  g_string_append (s, "<dl>");
  for (GList *l = members; l; l = l->next)
    {
      /* The payload layout version says nothing to the office. */
      if (depth == 0 && g_str_equal (l->data, "v"))
        continue;
      g_string_append (s, "<dt>");
      append_escaped (s, label_for (l->data));
      g_string_append (s, "</dt><dd>");
      append_value (s, l->data, json_object_get_member (o, l->data), depth + 1);
      g_string_append (s, "</dd>");
    }
  g_string_append (s, "</dl>");
}

/* Payloads are whatever the devices recorded: shown field by field, long
 * fields (a signature's strokes) cut short with their size. */
static void
append_value (GString    *s,
              const char *key,
              JsonNode   *node,
              guint       depth)
{
  if (JSON_NODE_HOLDS_OBJECT (node) && g_str_equal (key, "signature")
      && append_signature (s, json_node_get_object (node)))
    return;
  if (JSON_NODE_HOLDS_OBJECT (node) && depth < 3)
    {
      append_object (s, json_node_get_object (node), depth);
      return;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64
      && g_str_has_suffix (key, "_vnd"))
    {
      append_money (s, json_node_get_int (node));
      return;
    }
  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      const char *text = json_node_get_string (node);
      gsize len = strlen (text);

      if (len > 160)
        {
          g_autofree char *head = g_utf8_make_valid (text, 120);

          append_escaped (s, head);
          g_string_append_printf (s, "… <span class=\"muted\">(%" G_GSIZE_FORMAT " bytes)</span>",
                                  len);
        }
      else
        append_escaped (s, text);
      return;
    }
  {
    g_autofree char *text = json_to_string (node, FALSE);
    gsize len = strlen (text);

    if (len > 160)
      {
        g_autofree char *head = g_utf8_make_valid (text, 120);

        append_escaped (s, head);
        g_string_append_printf (s, "… <span class=\"muted\">(%" G_GSIZE_FORMAT " bytes)</span>", len);
      }
    else
      append_escaped (s, text);
  }
}

char *
tt_server_page_route (const char *route_id,
                      JsonArray  *items)
{
  GString *s = g_string_new (NULL);
  g_autofree char *title = g_strdup_printf ("Route %s", route_id);

  begin_page (s, title);
  g_string_append (s, "<p><a href=\"/office\">← all routes</a></p>\n"
                      "<table><tr><th>#</th><th>Item</th><th>Recipient</th><th>Procedure</th>"
                      "<th>Due</th><th>Status</th><th>Proof</th></tr>\n");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *it = json_array_get_object_element (items, i);
      JsonArray *events = json_object_get_array_member (it, "events");

      g_string_append_printf (s, "<tr><td>%" G_GINT64_FORMAT "</td><td><code>",
                              member_int (it, "seq"));
      append_escaped (s, member_string (it, "id"));
      g_string_append (s, "</code><br><span class=\"muted\">");
      append_escaped (s, member_string (it, "kind"));
      g_string_append (s, "</span></td><td>");
      append_escaped (s, member_string (it, "recipient_name"));
      g_string_append (s, "<br><span class=\"muted\">");
      append_escaped (s, member_string (it, "address"));
      g_string_append (s, "</span></td><td>");
      append_escaped (s, member_string (it, "procedure"));
      g_string_append (s, "</td><td>");
      append_money (s, member_int (it, "amount_due"));
      g_string_append (s, "</td><td>");
      append_escaped (s, tt_server_status_for_event (member_string (it, "last_event")));
      g_string_append (s, "</td><td>");
      for (guint e = 0; events && e < json_array_get_length (events); e++)
        {
          JsonObject *ev = json_array_get_object_element (events, e);
          JsonNode *payload = json_object_get_member (ev, "payload");

          g_string_append (s, "<b>");
          append_escaped (s, member_string (ev, "type"));
          g_string_append (s, "</b> ");
          append_escaped (s, member_string (ev, "time"));
          g_string_append_printf (s, " <span class=\"muted\">(device event %" G_GINT64_FORMAT
                                  ")</span>", member_int (ev, "seq"));
          if (payload)
            append_value (s, "payload", payload, 0);
        }
      g_string_append (s, "</td></tr>\n");
    }
  g_string_append (s, "</table>\n</body></html>\n");
  return g_string_free (s, FALSE);
}

char *
tt_server_page_track (const char *item_id,
                      JsonObject *track)
{
  GString *s = g_string_new (NULL);

  begin_page (s, "Tận Tay — tracking");
  g_string_append (s, "<form action=\"/track\" method=\"get\"><label>Item number "
                      "<input name=\"id\" value=\"");
  append_escaped (s, item_id);
  g_string_append (s, "\" autocomplete=\"off\"></label> <button>Look up</button></form>\n");

  if (item_id == NULL || *item_id == '\0')
    ;
  else if (track == NULL)
    {
      g_string_append (s, "<p class=\"bad\">No item with the number <code>");
      append_escaped (s, item_id);
      g_string_append (s, "</code> is known. Check the number on your notice.</p>\n");
    }
  else
    {
      JsonArray *events = json_object_get_array_member (track, "events");

      g_string_append (s, "<h2><code>");
      append_escaped (s, item_id);
      g_string_append (s, "</code>: ");
      append_escaped (s, member_string (track, "status"));
      g_string_append (s, "</h2>\n<table><tr><th>Time</th><th>Event</th><th>UPU</th></tr>\n");
      for (guint i = 0; i < json_array_get_length (events); i++)
        {
          JsonObject *e = json_array_get_object_element (events, i);

          g_string_append (s, "<tr><td>");
          append_escaped (s, member_string (e, "time"));
          g_string_append (s, "</td><td>");
          append_escaped (s, member_string (e, "type"));
          g_string_append (s, "</td><td>");
          append_escaped (s, member_string (e, "upu"));
          g_string_append (s, "</td></tr>\n");
        }
      g_string_append (s, "</table>\n");
    }
  g_string_append (s, "</body></html>\n");
  return g_string_free (s, FALSE);
}
