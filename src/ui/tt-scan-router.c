/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-scan-router"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "tt-camera-page.h"
#include "tt-code.h"
#include "tt-pod-flow.h"
#include "tt-scan-router.h"
#include "tt-scanner.h"
#include "tt-settings.h"
#include "tt-window.h"

struct _TtScanRouter
{
  GObject             parent_instance;

  TtWindow           *window;        /* weak: the window owns us */
  TtRouteModel       *route_model;
  TtSettings         *settings;      /* NULL when the schema is missing */
  TtScanner          *scanner;
  GSimpleActionGroup *actions;

  AdwLeaflet         *leaflet;       /* the window's page stack */
  GQueue              waiting;       /* GBytes: scans during a page transition */

  gboolean            load_check;
  guint               loaded;        /* this load check: into the bag */
  guint               strangers;     /* this load check: not on the route */
  char               *message;
};

G_DEFINE_FINAL_TYPE (TtScanRouter, tt_scan_router, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_LOAD_CHECK,
  PROP_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
feedback (TtScanRouter *self,
          gboolean      ok)
{
  /* GTK 4.8 has no sound API of its own: the bell is the one sound that
   * works everywhere.  Failures always ring; successes when asked to. */
  if (!ok || self->settings == NULL || tt_settings_get_feedback_sound (self->settings))
    gtk_widget_error_bell (GTK_WIDGET (self->window));
}

static void
say (TtScanRouter *self,
     AdwToast     *toast)
{
  g_free (self->message);
  self->message = g_strdup (adw_toast_get_title (toast));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MESSAGE]);
  tt_window_add_toast (self->window, toast);
}

static void
say_text (TtScanRouter *self,
          const char   *text)
{
  AdwToast *toast = adw_toast_new (text);

  /* Scans come quickly one after another: each replaces the last. */
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  adw_toast_set_timeout (toast, 3);
  say (self, toast);
}

static char *
event_payload (const char *scanned,
               const char *mode)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "scanned");
  json_builder_add_string_value (b, scanned);
  json_builder_set_member_name (b, "mode");
  json_builder_add_string_value (b, mode);
  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

typedef struct
{
  TtScanRouter *self;
  char         *item_id;
  char         *payload;
} NoteData;

static void
note_data_free (gpointer data,
                GClosure *closure)
{
  NoteData *d = data;

  g_object_unref (d->self);
  g_free (d->item_id);
  g_free (d->payload);
  g_free (d);
}

static void
on_note_clicked (AdwToast *toast,
                 NoteData *d)
{
  g_autoptr(TtEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  TtStore *store = tt_route_model_get_store (d->self->route_model);

  event = tt_store_append_event (store, TT_EVENT_NOT_ON_ROUTE, d->item_id, d->payload, &error);
  if (event == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The scan could not be noted: %s"), error->message);

      say_text (d->self, text);
      return;
    }
  {
    g_autofree char *text = g_strdup_printf (_("Noted: %s scanned, not on the route"), d->item_id);

    say_text (d->self, text);
  }
}

static void
not_on_route (TtScanRouter *self,
              const char   *item_id,
              const char   *scanned)
{
  g_autofree char *text = NULL;
  AdwToast *toast;
  NoteData *d;

  if (self->load_check)
    {
      self->strangers++;
      /* TRANSLATORS: during the load check, an envelope that is not on
       * today's route */
      text = g_strdup_printf (_("%s is not on today’s route: keep it out of the bag"), item_id);
    }
  else
    text = g_strdup_printf (_("%s is not on today’s route"), item_id);

  toast = adw_toast_new (text);
  adw_toast_set_priority (toast, ADW_TOAST_PRIORITY_HIGH);
  /* Long enough to reach "Note it", short enough not to keep covering the
   * item page's buttons. */
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_button_label (toast, _("_Note it"));
  d = g_new0 (NoteData, 1);
  d->self = g_object_ref (self);
  d->item_id = g_strdup (item_id);
  d->payload = event_payload (scanned, self->load_check ? "load-check" : "door");
  g_signal_connect_data (toast, "button-clicked", G_CALLBACK (on_note_clicked), d, note_data_free, 0);
  feedback (self, FALSE);
  say (self, toast);
}

static void
load_item (TtScanRouter *self,
           TtItem       *item,
           const char   *scanned)
{
  g_autoptr(TtEvent) event = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *payload = NULL;
  g_autofree char *text = NULL;

  if (item->status != TT_ITEM_STATUS_PENDING)
    {
      if (item->status == TT_ITEM_STATUS_OUT)
        text = g_strdup_printf (_("%s is already in the bag"), item->id);
      else
        text = g_strdup_printf (_("%s is already done (%s): keep it out of the bag"), item->id,
                                tt_window_status_label (tt_item_status_to_string (item->status)));
      feedback (self, item->status == TT_ITEM_STATUS_OUT);
      say_text (self, text);
      return;
    }

  payload = event_payload (scanned, "load-check");
  event = tt_store_append_event_full (tt_route_model_get_store (self->route_model),
                                      TT_EVENT_OUT_FOR_DELIVERY, item->id, payload,
                                      TT_ITEM_STATUS_OUT, FALSE, &error);
  if (event == NULL)
    {
      text = g_strdup_printf (_("%s could not be recorded: %s"), item->id, error->message);
      feedback (self, FALSE);
      say_text (self, text);
      return;
    }
  self->loaded++;
  /* TRANSLATORS: load check: the item id, then how many envelopes went
   * into the bag since the check began */
  text = g_strdup_printf (_("%s in the bag (%u so far)"), item->id, self->loaded);
  feedback (self, TRUE);
  say_text (self, text);
}

static void
open_item (TtScanRouter *self,
           const char   *item_id,
           const char   *scanned)
{
  TtItem *item = tt_route_model_lookup (self->route_model, item_id, NULL);

  if (item == NULL)
    {
      not_on_route (self, item_id, scanned);
      return;
    }
  if (self->load_check)
    {
      load_item (self, item, scanned);
      return;
    }
  if (tt_window_open_item (self->window, item_id))
    {
      g_autofree char *text = g_strdup_printf (_("Scanned %s"), item_id);

      feedback (self, TRUE);
      say_text (self, text);
    }
}

static void
open_dossier (TtScanRouter *self,
              const char   *dossier_code,
              const char   *scanned)
{
  GListModel *model = G_LIST_MODEL (self->route_model);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(TtItem) item = g_list_model_get_item (model, i);

      if (item->dossier_code != NULL && g_ascii_strcasecmp (item->dossier_code, dossier_code) == 0)
        {
          open_item (self, item->id, scanned);
          return;
        }
    }
  {
    g_autofree char *text = g_strdup_printf (_("No item of the route has dossier code %s"),
                                             dossier_code);

    feedback (self, FALSE);
    say_text (self, text);
  }
}

static void handle_now (TtScanRouter *self,
                        const char   *data,
                        gssize        len);

static void
on_transition_running (TtScanRouter *self)
{
  if (adw_leaflet_get_child_transition_running (self->leaflet))
    return;
  while (!g_queue_is_empty (&self->waiting)
         && !adw_leaflet_get_child_transition_running (self->leaflet))
    {
      g_autoptr(GBytes) scan = g_queue_pop_head (&self->waiting);
      gsize len;
      const char *data = g_bytes_get_data (scan, &len);

      handle_now (self, data ? data : "", data ? (gssize) len : 0);
    }
}

void
tt_scan_router_handle (TtScanRouter *self,
                       const char   *data,
                       gssize        len)
{
  g_return_if_fail (TT_IS_SCAN_ROUTER (self));
  g_return_if_fail (data != NULL || len == 0);

  if (len < 0)
    len = strlen (data);
  /* A page sliding in or out cannot be replaced (libadwaita 1.2 fails
   * on it): a scan that comes meanwhile waits for the slide to end, and
   * scans keep their order. */
  if (self->leaflet != NULL
      && (adw_leaflet_get_child_transition_running (self->leaflet) || !g_queue_is_empty (&self->waiting)))
    {
      g_queue_push_tail (&self->waiting, g_bytes_new (data, len));
      return;
    }
  handle_now (self, data, len);
}

static void
handle_now (TtScanRouter *self,
            const char   *data,
            gssize        len)
{
  g_autoptr(TtCode) code = NULL;
  g_autoptr(GError) error = NULL;
  gboolean handled = FALSE;

  if (self->window == NULL)
    return;
  if (!tt_code_parse (data, len, &code, &error))
    {
      feedback (self, FALSE);
      say_text (self, error->message);
      return;
    }

  /* A page waiting for a code takes it first. */
  g_signal_emit_by_name (self->window, "scanned", code, &handled);
  if (handled)
    return;

  switch (code->kind)
    {
    case TT_CODE_KIND_S10:
    case TT_CODE_KIND_URL:
      open_item (self, code->value, code->payload);
      break;
    case TT_CODE_KIND_DOSSIER:
      open_dossier (self, code->value, code->payload);
      break;
    case TT_CODE_KIND_CCCD:
      feedback (self, FALSE);
      say_text (self, _("Citizen ID card read: open the item first, then check the identity"));
      break;
    case TT_CODE_KIND_ENROLL:
    default:
      feedback (self, FALSE);
      say_text (self, _("This is an enrollment code: enroll the device from the menu"));
      break;
    }
}

static void
on_wedge_scanned (TtScanRouter *self,
                  const char   *payload)
{
  tt_scan_router_handle (self, payload, -1);
}

static void
on_camera_scanned (TtScanRouter *self,
                   GBytes       *payload,
                   GtkWidget    *camera_page)
{
  gsize len;
  const char *data = g_bytes_get_data (payload, &len);

  /* Opened from a page that waits for a code (the identity check of a
   * delivery): the camera page goes, and the code goes to that page once
   * it is back on screen.  During a load check the camera stays. */
  if (!self->load_check && self->leaflet != NULL
      && adw_leaflet_get_visible_child (self->leaflet) == camera_page)
    {
      GtkWidget *below = adw_leaflet_get_adjacent_child (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);

      if (below != NULL && gtk_widget_get_prev_sibling (below) != NULL)
        tt_window_pop_page (self->window);
    }
  tt_scan_router_handle (self, data ? data : "", data ? (gssize) len : 0);
}

/* The proof-of-delivery flows take the codes their open page waits for. */
static gboolean
on_window_scanned (TtWindow *window,
                   TtCode   *code,
                   gpointer  user_data)
{
  return tt_pod_flow_handle_scan (window, code->payload);
}

static void
action_camera (GSimpleAction *action,
               GVariant      *param,
               gpointer       user_data)
{
  TtScanRouter *self = user_data;
  const char *source = self->settings ? tt_settings_get_camera_pipeline (self->settings) : NULL;
  GtkWidget *page;

  if (self->window == NULL)
    return;
  page = tt_camera_page_new (source);
  g_signal_connect_object (page, "scanned", G_CALLBACK (on_camera_scanned), self, G_CONNECT_SWAPPED);
  tt_window_push_page (self->window, page);
}

static void
action_load_check (GSimpleAction *action,
                   GVariant      *state,
                   gpointer       user_data)
{
  tt_scan_router_set_load_check (user_data, g_variant_get_boolean (state));
}

static void
tt_scan_router_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TtScanRouter *self = TT_SCAN_ROUTER (object);

  switch (prop_id)
    {
    case PROP_LOAD_CHECK:
      g_value_set_boolean (value, self->load_check);
      break;
    case PROP_MESSAGE:
      g_value_set_string (value, self->message);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_scan_router_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TtScanRouter *self = TT_SCAN_ROUTER (object);

  switch (prop_id)
    {
    case PROP_LOAD_CHECK:
      tt_scan_router_set_load_check (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_scan_router_dispose (GObject *object)
{
  TtScanRouter *self = TT_SCAN_ROUTER (object);

  if (self->scanner != NULL)
    tt_scanner_detach (self->scanner);
  g_clear_object (&self->scanner);
  if (self->window != NULL)
    {
      gtk_widget_insert_action_group (GTK_WIDGET (self->window), "scan", NULL);
      g_object_remove_weak_pointer (G_OBJECT (self->window), (gpointer *) &self->window);
      self->window = NULL;
    }
  g_clear_object (&self->actions);
  g_queue_clear_full (&self->waiting, (GDestroyNotify) g_bytes_unref);
  self->leaflet = NULL;
  g_clear_object (&self->route_model);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tt_scan_router_parent_class)->dispose (object);
}

static void
tt_scan_router_finalize (GObject *object)
{
  TtScanRouter *self = TT_SCAN_ROUTER (object);

  g_free (self->message);

  G_OBJECT_CLASS (tt_scan_router_parent_class)->finalize (object);
}

static void
tt_scan_router_class_init (TtScanRouterClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = tt_scan_router_get_property;
  object_class->set_property = tt_scan_router_set_property;
  object_class->dispose = tt_scan_router_dispose;
  object_class->finalize = tt_scan_router_finalize;

  properties[PROP_LOAD_CHECK] =
    g_param_spec_boolean ("load-check", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MESSAGE] =
    g_param_spec_string ("message", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_scan_router_init (TtScanRouter *self)
{
}

static AdwLeaflet *
find_leaflet (GtkWidget *widget)
{
  if (ADW_IS_LEAFLET (widget))
    return ADW_LEAFLET (widget);
  for (GtkWidget *c = gtk_widget_get_first_child (widget); c != NULL; c = gtk_widget_get_next_sibling (c))
    {
      AdwLeaflet *found = find_leaflet (c);

      if (found != NULL)
        return found;
    }
  return NULL;
}

TtScanRouter *
tt_scan_router_new (TtWindow     *window,
                    TtRouteModel *route_model,
                    TtSettings   *settings)
{
  static const GActionEntry entries[] = {
    { "camera", action_camera, NULL, NULL, NULL, { 0 } },
    { "load-check", NULL, NULL, "false", action_load_check, { 0 } },
  };
  TtScanRouter *self;

  g_return_val_if_fail (TT_IS_WINDOW (window), NULL);
  g_return_val_if_fail (TT_IS_ROUTE_MODEL (route_model), NULL);

  self = g_object_new (TT_TYPE_SCAN_ROUTER, NULL);
  self->window = window;
  g_object_add_weak_pointer (G_OBJECT (window), (gpointer *) &self->window);
  self->route_model = g_object_ref (route_model);

  self->settings = settings ? g_object_ref (settings) : NULL;

  self->scanner = tt_scanner_new ();
  if (self->settings != NULL)
    tt_scanner_bind_settings (self->scanner, tt_settings_get_gsettings (self->settings));
  tt_scanner_attach (self->scanner, GTK_WIDGET (window));
  g_signal_connect_object (self->scanner, "scanned", G_CALLBACK (on_wedge_scanned), self,
                           G_CONNECT_SWAPPED);

  g_signal_connect (window, "scanned", G_CALLBACK (on_window_scanned), NULL);

  self->leaflet = find_leaflet (GTK_WIDGET (window));
  if (self->leaflet != NULL)
    g_signal_connect_object (self->leaflet, "notify::child-transition-running",
                             G_CALLBACK (on_transition_running), self, G_CONNECT_SWAPPED);

  self->actions = g_simple_action_group_new ();
  g_action_map_add_action_entries (G_ACTION_MAP (self->actions), entries, G_N_ELEMENTS (entries), self);
  gtk_widget_insert_action_group (GTK_WIDGET (window), "scan", G_ACTION_GROUP (self->actions));
  return self;
}

gboolean
tt_scan_router_get_load_check (TtScanRouter *self)
{
  g_return_val_if_fail (TT_IS_SCAN_ROUTER (self), FALSE);
  return self->load_check;
}

void
tt_scan_router_set_load_check (TtScanRouter *self,
                               gboolean      load_check)
{
  GAction *action;
  g_autofree char *text = NULL;

  g_return_if_fail (TT_IS_SCAN_ROUTER (self));

  load_check = !!load_check;
  if (load_check == self->load_check)
    return;
  self->load_check = load_check;

  if (load_check)
    {
      self->loaded = 0;
      self->strangers = 0;
      text = g_strdup (_("Load check: scan every envelope going into the bag"));
    }
  else
    /* TRANSLATORS: end of the load check: envelopes put in the bag, and
     * envelopes scanned that are not on the route */
    text = g_strdup_printf (_("Load check done: %u in the bag, %u not on the route"),
                            self->loaded, self->strangers);
  if (self->window != NULL)
    say_text (self, text);

  action = g_action_map_lookup_action (G_ACTION_MAP (self->actions), "load-check");
  g_simple_action_set_state (G_SIMPLE_ACTION (action), g_variant_new_boolean (load_check));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOAD_CHECK]);
}

const char *
tt_scan_router_get_message (TtScanRouter *self)
{
  g_return_val_if_fail (TT_IS_SCAN_ROUTER (self), NULL);
  return self->message;
}
