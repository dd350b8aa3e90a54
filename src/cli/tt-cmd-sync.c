/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tantayctl"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tt-cmds.h"
#include "tt-store.h"
#include "tt-sync.h"

typedef struct
{
  GMainLoop *loop;
  gboolean   ok;
  GError    *error;
  TtSyncReport report;
} Wait;

static void
print_error (const char *field_name,
             const char *message)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, field_name);
  json_builder_add_string_value (b, message);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  tt_cmd_print_json (root);
}

static gboolean
parse_options (int            *argc,
               char         ***argv,
               const char     *parameter,
               GOptionEntry   *extra,
               char          **data_dir)
{
  GOptionEntry common[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, data_dir, "Data folder (default: the app's own)",
      "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (parameter);
  g_autoptr(GError) error = NULL;

  g_option_context_add_main_entries (context, common, NULL);
  if (extra)
    g_option_context_add_main_entries (context, extra, NULL);
  if (!g_option_context_parse (context, argc, argv, &error))
    {
      print_error ("error", error->message);
      return FALSE;
    }
  return TRUE;
}

static TtStore *
open_store (const char *data_dir_option,
            char      **data_dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = tt_store_data_dir (data_dir_option);
  g_autofree char *path = tt_store_default_path (dir);
  TtStore *store = tt_store_open (path, &error);

  if (store == NULL)
    {
      print_error ("error", error->message);
      return NULL;
    }
  *data_dir = g_steal_pointer (&dir);
  return store;
}

static TtSync *
new_sync (TtStore    *store,
          const char *data_dir,
          const char *ca_file)
{
  TtSync *sync = tt_sync_new (store, data_dir);

  if (ca_file)
    g_object_set (sync, "ca-file", ca_file, NULL);
  return sync;
}

static void
enroll_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Wait *w = data;

  w->ok = tt_sync_enroll_finish (TT_SYNC (source), result, &w->error);
  g_main_loop_quit (w->loop);
}

int
tt_cmd_enroll (int    argc,
               char **argv)
{
  g_autofree char *data_dir_option = NULL, *data_dir = NULL, *ca_file = NULL, *code = NULL;
  GOptionEntry extra[] = {
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      "Certificate authority of a private server (PEM)", "FILE" },
    { "code", 0, 0, G_OPTION_ARG_STRING, &code,
      "Enrollment code, when the argument is a server address", "CODE" },
    { NULL }
  };
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtSync) sync = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  Wait w = { 0 };

  if (!parse_options (&argc, &argv, "URI | SERVER --code CODE", extra, &data_dir_option))
    return 2;
  if (argc != 2)
    {
      print_error ("error", "tantayctl enroll needs one enrollment URI (tantay://enroll?…)");
      return 2;
    }
  store = open_store (data_dir_option, &data_dir);
  if (store == NULL)
    return 1;
  sync = new_sync (store, data_dir, ca_file);

  w.loop = g_main_loop_new (NULL, FALSE);
  tt_sync_enroll_async (sync, argv[1], code, NULL, enroll_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);

  if (!w.ok)
    {
      print_error ("error", w.error->message);
      g_error_free (w.error);
      return 1;
    }
  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "device_id");
  json_builder_add_string_value (b, tt_sync_get_device_id (sync));
  json_builder_set_member_name (b, "server");
  json_builder_add_string_value (b, tt_sync_get_server_url (sync));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  tt_cmd_print_json (root);
  return 0;
}

static void
sync_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  Wait *w = data;

  w->ok = tt_sync_run_finish (TT_SYNC (source), result, &w->report, &w->error);
  g_main_loop_quit (w->loop);
}

int
tt_cmd_sync (int    argc,
             char **argv)
{
  g_autofree char *data_dir_option = NULL, *data_dir = NULL, *ca_file = NULL;
  GOptionEntry extra[] = {
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      "Certificate authority of a private server (PEM)", "FILE" },
    { NULL }
  };
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtSync) sync = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  Wait w = { 0 };

  if (!parse_options (&argc, &argv, NULL, extra, &data_dir_option))
    return 2;
  store = open_store (data_dir_option, &data_dir);
  if (store == NULL)
    return 1;
  sync = new_sync (store, data_dir, ca_file);

  w.loop = g_main_loop_new (NULL, FALSE);
  tt_sync_run_async (sync, NULL, sync_cb, &w);
  g_main_loop_run (w.loop);
  g_main_loop_unref (w.loop);

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "manifest");
  json_builder_add_string_value (b, tt_sync_manifest_to_string (w.report.manifest));
  if (w.report.manifest == TT_SYNC_MANIFEST_UPDATED)
    {
      json_builder_set_member_name (b, "items");
      json_builder_add_int_value (b, w.report.items);
    }
  json_builder_set_member_name (b, "pushed");
  json_builder_add_int_value (b, w.report.pushed);
  json_builder_set_member_name (b, "acknowledged");
  json_builder_add_int_value (b, w.report.acknowledged);
  json_builder_set_member_name (b, "rejected");
  json_builder_add_int_value (b, w.report.rejected);
  json_builder_set_member_name (b, "retries");
  json_builder_add_int_value (b, w.report.retries);
  json_builder_set_member_name (b, "pending");
  json_builder_add_int_value (b, tt_sync_get_pending (sync));
  json_builder_set_member_name (b, "error");
  if (w.error)
    json_builder_add_string_value (b, w.error->message);
  else
    json_builder_add_null_value (b);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  tt_cmd_print_json (root);
  g_clear_error (&w.error);
  return w.ok ? 0 : 1;
}

int
tt_cmd_status (int    argc,
               char **argv)
{
  g_autofree char *data_dir_option = NULL, *data_dir = NULL;
  g_autoptr(TtStore) store = NULL;
  g_autoptr(TtSync) sync = NULL;
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) quarantined = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;
  static const TtItemStatus statuses[] = {
    TT_ITEM_STATUS_PENDING, TT_ITEM_STATUS_OUT, TT_ITEM_STATUS_DELIVERED, TT_ITEM_STATUS_FAILED,
    TT_ITEM_STATUS_COLLECTED,
  };
  static const TtEventState states[] = {
    TT_EVENT_STATE_PENDING, TT_EVENT_STATE_ACKNOWLEDGED, TT_EVENT_STATE_QUARANTINED,
  };
  guint counts[G_N_ELEMENTS (statuses)] = { 0 };

  if (!parse_options (&argc, &argv, NULL, NULL, &data_dir_option))
    return 2;
  store = open_store (data_dir_option, &data_dir);
  if (store == NULL)
    return 1;
  sync = new_sync (store, data_dir, NULL);
  items = tt_store_list_items (store, &error);
  quarantined = items ? tt_store_list_events (store, TT_EVENT_STATE_QUARANTINED, 0, &error) : NULL;
  if (items == NULL || quarantined == NULL)
    {
      print_error ("error", error->message);
      return 1;
    }
  for (guint i = 0; i < items->len; i++)
    counts[((TtItem *) g_ptr_array_index (items, i))->status]++;

  b = json_builder_new ();
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "items");
  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (statuses); i++)
    {
      json_builder_set_member_name (b, tt_item_status_to_string (statuses[i]));
      json_builder_add_int_value (b, counts[i]);
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "events");
  json_builder_begin_object (b);
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      json_builder_set_member_name (b, tt_event_state_to_string (states[i]));
      json_builder_add_int_value (b, tt_store_count_events (store, states[i]));
    }
  json_builder_end_object (b);
  json_builder_set_member_name (b, "quarantined");
  json_builder_begin_array (b);
  for (guint i = 0; i < quarantined->len; i++)
    {
      TtEvent *e = g_ptr_array_index (quarantined, i);

      json_builder_begin_object (b);
      json_builder_set_member_name (b, "id");
      json_builder_add_string_value (b, e->uuid);
      json_builder_set_member_name (b, "reason");
      json_builder_add_string_value (b, e->reason);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "enrolled");
  json_builder_add_boolean_value (b, tt_sync_is_enrolled (sync));
  json_builder_set_member_name (b, "server");
  json_builder_add_string_value (b, tt_sync_get_server_url (sync));
  json_builder_set_member_name (b, "device_id");
  json_builder_add_string_value (b, tt_sync_get_device_id (sync));
  json_builder_set_member_name (b, "last_sync");
  json_builder_add_string_value (b, tt_sync_get_last_sync (sync));
  json_builder_set_member_name (b, "last_error");
  json_builder_add_string_value (b, tt_sync_get_last_error (sync));
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  tt_cmd_print_json (root);
  return 0;
}

static void
append_csv (GString    *line,
            const char *value)
{
  if (line->len > 0)
    g_string_append_c (line, ',');
  if (value == NULL)
    return;
  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (line, value);
      return;
    }
  g_string_append_c (line, '"');
  for (const char *p = value; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (line, '"');
      g_string_append_c (line, *p);
    }
  g_string_append_c (line, '"');
}

int
tt_cmd_export (int    argc,
               char **argv)
{
  g_autofree char *data_dir_option = NULL, *data_dir = NULL, *format = NULL;
  gboolean unsynced = FALSE;
  GOptionEntry extra[] = {
    { "unsynced", 0, 0, G_OPTION_ARG_NONE, &unsynced,
      "Only events the server has not acknowledged", NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format, "json (one event per line) or csv", "FORMAT" },
    { NULL }
  };
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GPtrArray) events = NULL;
  g_autoptr(GError) error = NULL;
  gboolean csv;

  if (!parse_options (&argc, &argv, NULL, extra, &data_dir_option))
    return 2;
  if (format && !g_str_equal (format, "json") && !g_str_equal (format, "csv"))
    {
      print_error ("error", "--format must be json or csv");
      return 2;
    }
  csv = format && g_str_equal (format, "csv");
  store = open_store (data_dir_option, &data_dir);
  if (store == NULL)
    return 1;
  events = tt_store_list_events (store, -1, 0, &error);
  if (events == NULL)
    {
      print_error ("error", error->message);
      return 1;
    }

  if (csv)
    g_print ("id,seq,type,item_id,time,payload,prev_hash,hash,state,reason\r\n");
  for (guint i = 0; i < events->len; i++)
    {
      TtEvent *e = g_ptr_array_index (events, i);

      if (unsynced && e->state == TT_EVENT_STATE_ACKNOWLEDGED)
        continue;
      if (csv)
        {
          g_autoptr(GString) line = g_string_new (NULL);
          g_autofree char *seq = g_strdup_printf ("%" G_GINT64_FORMAT, e->seq);

          append_csv (line, e->uuid);
          append_csv (line, seq);
          append_csv (line, e->type);
          append_csv (line, e->item_id);
          append_csv (line, e->time);
          append_csv (line, e->payload);
          append_csv (line, e->prev_hash);
          append_csv (line, e->hash);
          append_csv (line, tt_event_state_to_string (e->state));
          append_csv (line, e->reason);
          g_print ("%s\r\n", line->str);
        }
      else
        {
          g_autoptr(JsonNode) node = tt_event_to_json (e);
          JsonObject *o = json_node_get_object (node);

          json_object_set_string_member (o, "state", tt_event_state_to_string (e->state));
          if (e->reason)
            json_object_set_string_member (o, "reason", e->reason);
          tt_cmd_print_json (node);
        }
    }
  return 0;
}
