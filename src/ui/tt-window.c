/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-window"

#include "config.h"

#include <glib/gi18n.h>
#include <stdlib.h>
#include <string.h>

#include "tt-code.h"
#include "tt-delivery-page.h"
#include "tt-failure-page.h"
#include "tt-intake-page.h"
#include "tt-distance-sorter.h"
#include "tt-gps-indicator.h"
#include "tt-enroll-page.h"
#include "tt-item-page.h"
#include "tt-pod-flow.h"
#include "tt-route-model.h"
#include "tt-sync-status.h"
#include "tt-text.h"
#include "tt-window.h"

struct _TtWindow
{
  AdwApplicationWindow  parent_instance;

  AdwToastOverlay      *toast_overlay;
  GtkStack             *main_stack;
  AdwLeaflet           *leaflet;
  GtkWidget            *route_page;
  GtkWidget            *item_page;      /* one for every item, kept between scans */
  AdwWindowTitle       *window_title;
  GtkBox               *status_box;
  GtkBox               *tools_box;
  GtkSearchEntry       *search_entry;
  GtkToggleButton      *filter_all;
  GtkToggleButton      *filter_todo;
  GtkToggleButton      *filter_done;
  GtkToggleButton      *filter_failed;
  GtkToggleButton      *filter_pickups;
  GtkLabel             *count_all;
  GtkLabel             *count_todo;
  GtkLabel             *count_done;
  GtkLabel             *count_failed;
  GtkLabel             *count_pickups;
  GtkStack             *list_stack;
  GtkGridView          *route_list;
  AdwStatusPage        *empty_page;
  AdwStatusPage        *no_results_page;
  AdwStatusPage        *error_page;

  TtRouteModel         *route_model;
  GtkCustomFilter      *filter;
  GtkFilterListModel   *filtered;
  TtRouteFilter         filter_kind;
  char                 *folded_query;

  gboolean              wide;
  guint                 layout_idle;
  guint                 drop_idle;

  gint64                bench_start_us;
  gulong                bench_handler;

  TtScanRouter         *scan_router;
};

G_DEFINE_FINAL_TYPE (TtWindow, tt_window, ADW_TYPE_APPLICATION_WINDOW)

enum {
  PROP_0,
  PROP_LANDSCAPE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

enum {
  SCANNED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Row closures (the factory in tt-window.ui calls these by name). */

static char *
format_seq (gpointer unused,
            int      seq)
{
  return g_strdup_printf ("%d", seq);
}

static char *
format_kind (gpointer unused,
             gboolean is_pickup)
{
  return g_strdup (is_pickup ? _("Pickup") : _("Delivery"));
}

/* The address on two single lines (no wrapping: rows are measured many
 * times and wrapped text is the costly part). */
static char *
format_street (gpointer  unused,
               TtItem   *item)
{
  return item ? g_strdup (item->street) : NULL;
}

static char *
format_area (gpointer  unused,
             TtItem   *item)
{
  if (item == NULL)
    return NULL;
  if (item->district != NULL && *item->district != '\0')
    return g_strjoin (", ", item->commune, item->district, item->province, NULL);
  return g_strjoin (", ", item->commune, item->province, NULL);
}

static char *
format_amount (gpointer unused,
               gint64   amount)
{
  if (amount <= 0)
    return g_strdup (_("Nothing to collect"));
  return tt_text_format_vnd (amount);
}

static char *
format_attempts (gpointer unused,
                 int      attempts)
{
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d failed attempt", "%d failed attempts", attempts),
                          attempts);
}

static gboolean
has_attempts (gpointer unused,
              int      attempts)
{
  return attempts > 0;
}

static char *
format_status (gpointer    unused,
               const char *status)
{
  return g_strdup (tt_window_status_label (status));
}

static GStrv
status_classes (gpointer    unused,
                const char *status)
{
  g_autoptr(GStrvBuilder) b = g_strv_builder_new ();

  g_strv_builder_add (b, "badge");
  if (status != NULL)
    g_strv_builder_add (b, status);
  return g_strv_builder_end (b);
}

static void
update_counts (TtWindow *self)
{
  struct { GtkLabel *label; TtRouteFilter filter; } counts[] = {
    { self->count_all, TT_ROUTE_FILTER_ALL },
    { self->count_todo, TT_ROUTE_FILTER_TODO },
    { self->count_done, TT_ROUTE_FILTER_DONE },
    { self->count_failed, TT_ROUTE_FILTER_FAILED },
    { self->count_pickups, TT_ROUTE_FILTER_PICKUPS },
  };
  g_autofree char *title = NULL;
  g_autofree char *subtitle = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    {
      char text[16];

      g_snprintf (text, sizeof text, "%u", tt_route_model_count (self->route_model,
                                                                 counts[i].filter));
      gtk_label_set_label (counts[i].label, text);
    }

  /* What is left comes first: on a narrow screen the subtitle is the
   * part that gets cut. */
  title = g_strdup_printf (_("%u to do"),
                           tt_route_model_count (self->route_model, TT_ROUTE_FILTER_TODO));
  /* TRANSLATORS: header counts: delivered (or taken in), failed */
  subtitle = g_strdup_printf (_("%u delivered · %u failed"),
                              tt_route_model_count (self->route_model, TT_ROUTE_FILTER_DONE),
                              tt_route_model_count (self->route_model, TT_ROUTE_FILTER_FAILED));
  adw_window_title_set_title (self->window_title, title);
  adw_window_title_set_subtitle (self->window_title, subtitle);
}

/* The status pages' large icons exist only as SVG, and the first SVG drawn
 * brings in the SVG renderer (about 7 MB resident).  The icons are set when
 * a page is shown, so a normal day with a route never loads it. */
static void
show_status_page (GtkStack      *stack,
                  const char    *name,
                  AdwStatusPage *page,
                  const char    *icon_name)
{
  adw_status_page_set_icon_name (page, icon_name);
  gtk_stack_set_visible_child_name (stack, name);
}

static void
update_list_page (TtWindow *self)
{
  const char *page = "list";

  if (tt_route_model_count (self->route_model, TT_ROUTE_FILTER_ALL) == 0)
    {
      page = "empty";
      show_status_page (self->list_stack, page, self->empty_page, "mail-send-symbolic");
    }
  else if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
    {
      g_autofree char *description = NULL;
      const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

      /* The description is markup; what the courier typed is not. */
      if (text != NULL && *text != '\0')
        {
          g_autofree char *escaped = g_markup_escape_text (text, -1);

          description = g_strdup_printf (_("No item of this list matches “%s”."), escaped);
        }
      else
        description = g_strdup (_("No item of the route is in this list."));
      adw_status_page_set_description (self->no_results_page, description);
      page = "no-results";
      show_status_page (self->list_stack, page, self->no_results_page, "edit-find-symbolic");
    }
  else
    gtk_stack_set_visible_child_name (self->list_stack, page);
  /* Search and filters mean nothing without a route. */
  gtk_widget_set_visible (GTK_WIDGET (self->tools_box), !g_str_equal (page, "empty"));
}

static gboolean
filter_func (gpointer item,
             gpointer user_data)
{
  TtWindow *self = user_data;

  return tt_route_filter_accepts (self->filter_kind, item)
         && tt_item_matches (item, self->folded_query);
}

static void
on_counts_changed (TtWindow *self)
{
  update_counts (self);
}

static void
on_item_updated (TtWindow *self,
                 TtItem   *item)
{
  /* A status change can move an item in or out of the shown list. */
  if (self->filter_kind != TT_ROUTE_FILTER_ALL && self->filter_kind != TT_ROUTE_FILTER_PICKUPS)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_filtered_changed (TtWindow *self)
{
  update_list_page (self);
}

/* Removes the pages after @keep.  Only safe while no transition runs:
 * AdwLeaflet 1.2 keeps using a page it is sliding away from. */
static void
remove_pages_after (TtWindow  *self,
                    GtkWidget *keep)
{
  g_autoptr(GtkSelectionModel) pages = adw_leaflet_get_pages (self->leaflet);
  g_autoptr(GPtrArray) left = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = g_list_model_get_n_items (G_LIST_MODEL (pages)); i > 0; i--)
    {
      g_autoptr(AdwLeafletPage) page = g_list_model_get_item (G_LIST_MODEL (pages), i - 1);
      GtkWidget *child = adw_leaflet_page_get_child (page);

      if (child == keep)
        break;
      g_ptr_array_add (left, g_object_ref (child));
    }
  /* The pages model would report changes with positions it no longer
   * has: let it go before changing the leaflet. */
  g_clear_object (&pages);
  for (guint i = 0; i < left->len; i++)
    adw_leaflet_remove (self->leaflet, g_ptr_array_index (left, i));
}

/* Shows @keep and drops every page after it: now, or when the slide to
 * @keep has finished (on_leaflet_transition). */
static void
show_and_drop_after (TtWindow  *self,
                     GtkWidget *keep)
{
  if (adw_leaflet_get_visible_child (self->leaflet) != keep)
    adw_leaflet_set_visible_child (self->leaflet, keep);
  if (!adw_leaflet_get_child_transition_running (self->leaflet))
    remove_pages_after (self, keep);
}

static void
on_route_reloaded (TtWindow *self)
{
  GtkWidget *visible = adw_leaflet_get_visible_child (self->leaflet);
  TtItemPage *page;
  TtItem *old, *now;

  /* Only the page in view matters: pages left behind are being dropped. */
  if (!TT_IS_ITEM_PAGE (visible))
    return;
  page = TT_ITEM_PAGE (visible);

  /* A new route replaced every item: the open item page shows the item as
   * it is now, or closes when the item has left the route. */
  old = tt_item_page_get_item (page);
  now = tt_route_model_lookup (self->route_model, old->id, NULL);
  if (now == old)
    return;
  if (now != NULL)
    {
      g_autofree char *id = g_strdup (old->id);

      tt_window_open_item (self, id);
    }
  else
    {
      show_and_drop_after (self, self->route_page);
      /* Short: a toast is one line on a phone. */
      tt_window_show_toast (self, _("Item taken off the route"));
    }
}

static void
on_last_error (TtWindow *self)
{
  g_autofree char *message = NULL;

  g_object_get (self->route_model, "last-error", &message, NULL);
  if (message != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("The route could not be read: %s"), message);

      tt_window_show_toast (self, text);
    }
}

static void
on_search_changed (TtWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
  g_autofree char *folded = tt_text_fold (text);
  GtkFilterChange change = GTK_FILTER_CHANGE_DIFFERENT;

  if (self->filter == NULL)
    return;
  if (g_strcmp0 (folded, self->folded_query ? self->folded_query : "") == 0)
    return;
  /* Typing on narrows the list; deleting widens it. */
  if (self->folded_query != NULL && g_str_has_prefix (folded, self->folded_query))
    change = GTK_FILTER_CHANGE_MORE_STRICT;
  else if (self->folded_query != NULL && g_str_has_prefix (self->folded_query, folded))
    change = GTK_FILTER_CHANGE_LESS_STRICT;

  g_free (self->folded_query);
  self->folded_query = *folded ? g_steal_pointer (&folded) : NULL;
  gtk_filter_changed (GTK_FILTER (self->filter), change);
}

static void
on_search_activate (TtWindow *self)
{
  /* Enter on a search with one hit opens it: typed item ids land here. */
  if (g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 1)
    {
      g_autoptr(TtItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), 0);

      tt_window_open_item (self, item->id);
    }
}

static void
on_filter_toggled (TtWindow        *self,
                   GtkToggleButton *button)
{
  TtRouteFilter kind;

  if (!gtk_toggle_button_get_active (button))
    return;
  if (button == self->filter_todo)
    kind = TT_ROUTE_FILTER_TODO;
  else if (button == self->filter_done)
    kind = TT_ROUTE_FILTER_DONE;
  else if (button == self->filter_failed)
    kind = TT_ROUTE_FILTER_FAILED;
  else if (button == self->filter_pickups)
    kind = TT_ROUTE_FILTER_PICKUPS;
  else
    kind = TT_ROUTE_FILTER_ALL;

  if (kind == self->filter_kind)
    return;
  self->filter_kind = kind;
  if (self->filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
}

static void
on_row_activated (TtWindow    *self,
                  guint        position,
                  GtkGridView *list)
{
  g_autoptr(TtItem) item = g_list_model_get_item (G_LIST_MODEL (self->filtered), position);

  if (item != NULL)
    tt_window_open_item (self, item->id);
}

static gboolean
drop_left_pages (gpointer user_data)
{
  TtWindow *self = user_data;

  self->drop_idle = 0;
  if (!adw_leaflet_get_child_transition_running (self->leaflet))
    remove_pages_after (self, adw_leaflet_get_visible_child (self->leaflet));
  return G_SOURCE_REMOVE;
}

static void
on_leaflet_transition (TtWindow *self)
{
  /* Pages after the visible one were left behind (back button, swipe, or
   * a page replaced while the leaflet was sliding).  Not from here: the
   * leaflet also ends a slide from inside set_visible_child(), with the
   * page it is about to show still after the old one. */
  if (!adw_leaflet_get_child_transition_running (self->leaflet) && self->drop_idle == 0)
    self->drop_idle = g_idle_add (drop_left_pages, self);
}

static void
action_item (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  tt_pod_flow_start (TT_WINDOW (widget), action_name, g_variant_get_string (param, NULL));
}

static void
action_summary (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  tt_pod_flow_show_summary (TT_WINDOW (widget));
}

static void
action_open_item (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  tt_window_open_item (TT_WINDOW (widget), g_variant_get_string (param, NULL));
}

static void
action_go_back (GtkWidget  *widget,
                const char *action_name,
                GVariant   *param)
{
  tt_window_pop_page (TT_WINDOW (widget));
}

static void
action_search (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TtWindow *self = TT_WINDOW (widget);

  show_and_drop_after (self, self->route_page);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
action_load_demo (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  TtWindow *self = TT_WINDOW (widget);
  GtkApplication *app = gtk_window_get_application (GTK_WINDOW (self));
  g_autoptr(GError) error = NULL;

  if (!tt_application_load_demo (TT_APPLICATION (app), &error))
    {
      g_autofree char *text = g_strdup_printf (_("The demo route could not be loaded: %s"),
                                               error->message);

      tt_window_show_toast (self, text);
    }
}

static gboolean
list_has_rows (TtWindow *self)
{
  GtkWidget *child;

  /* The grid view's children are the row widgets once it has laid out. */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->route_list));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (gtk_widget_get_mapped (child) && gtk_widget_get_first_child (child) != NULL)
      return TRUE;
  return FALSE;
}

/* A "VmHWM:"-style field of /proc/self/status, in kB. */
static long
read_status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  return line ? strtol (line + strlen (field), NULL, 10) : -1;
}

static void
on_after_paint (GdkFrameClock *clock,
                TtWindow      *self)
{
  gint64 now = g_get_monotonic_time ();

  if (!list_has_rows (self))
    return;
  g_clear_signal_handler (&self->bench_handler, clock);
  /* RssAnon is this process's own memory; RssFile is mostly shared
   * libraries and fonts, shared with every other GTK app on the device. */
  g_print ("first-frame-ms %.1f\nrows %u\nvmhwm-kb %ld\nvmrss-kb %ld\nrssanon-kb %ld\n"
           "rssfile-kb %ld\n",
           (now - self->bench_start_us) / 1000.0,
           g_list_model_get_n_items (G_LIST_MODEL (self->filtered)),
           read_status_kb ("VmHWM:"), read_status_kb ("VmRSS:"), read_status_kb ("RssAnon:"),
           read_status_kb ("RssFile:"));
  g_application_quit (G_APPLICATION (gtk_window_get_application (GTK_WINDOW (self))));
}

static void
on_map_for_bench (TtWindow *self)
{
  GdkFrameClock *clock = gtk_widget_get_frame_clock (GTK_WIDGET (self));

  if (self->bench_handler == 0)
    self->bench_handler = g_signal_connect (clock, "after-paint",
                                            G_CALLBACK (on_after_paint), self);
}

static void
setup_route (TtWindow      *self,
             TtApplication *app)
{
  g_autoptr(GtkNoSelection) selection = NULL;

  self->route_model = g_object_ref (tt_application_get_route_model (app));
  self->filter = gtk_custom_filter_new (filter_func, self, NULL);
  /* location: route order or nearest first (setting route-sort), below
   * the filter so that list positions stay those of self->filtered */
  {
    TtDistanceSorter *sorter = tt_distance_sorter_new (tt_application_get_location (app));
    g_autoptr(GAction) sort_action = tt_distance_sorter_follow_settings (sorter);
    GtkSortListModel *sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->route_model)),
                                                        GTK_SORTER (sorter));

    if (sort_action != NULL)
      g_action_map_add_action (G_ACTION_MAP (self), sort_action);
    self->filtered = gtk_filter_list_model_new (G_LIST_MODEL (sorted),
                                                g_object_ref (GTK_FILTER (self->filter)));
  }
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  gtk_grid_view_set_model (self->route_list, GTK_SELECTION_MODEL (selection));

  g_signal_connect_object (self->route_model, "notify::n-items",
                           G_CALLBACK (on_counts_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->route_model, "notify::n-todo",
                           G_CALLBACK (on_counts_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->route_model, "notify::n-done",
                           G_CALLBACK (on_counts_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->route_model, "notify::n-failed",
                           G_CALLBACK (on_counts_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->route_model, "notify::n-pickups",
                           G_CALLBACK (on_counts_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->route_model, "notify::last-error",
                           G_CALLBACK (on_last_error), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->route_model, "item-updated",
                           G_CALLBACK (on_item_updated), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->route_model, "items-changed",
                           G_CALLBACK (on_route_reloaded), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "items-changed",
                           G_CALLBACK (on_filtered_changed), self, G_CONNECT_SWAPPED);
  /* A new route (or the demo) may fill an empty list: show it. */
  g_signal_connect_object (self->route_model, "notify::n-items",
                           G_CALLBACK (update_list_page), self, G_CONNECT_SWAPPED);

  update_counts (self);
  update_list_page (self);
  gtk_stack_set_visible_child_name (self->main_stack, "route");

  /* Scans (wedge scanner, camera, typed code) open items, load the bag … */
  self->scan_router = tt_scan_router_new (self, self->route_model,
                                          tt_application_get_settings (app));
}

/* Sync: the header indicator, and the enrollment page (on a first start,
 * or from the empty route's "Connect to the Office"). */
static void
on_enrolled (TtWindow     *self,
             TtEnrollPage *page)
{
  TtApplication *app = TT_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  TtSync *sync = tt_application_get_sync (app);
  g_autofree char *text = g_strdup_printf (_("Connected to %s"), tt_sync_get_server_url (sync));

  tt_window_pop_page (self);
  tt_window_show_toast (self, text);
  tt_sync_request (sync);
}

static void
action_enroll (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  TtWindow *self = TT_WINDOW (widget);
  TtApplication *app = TT_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  GtkWidget *page;

  if (tt_application_get_sync (app) == NULL)
    return;
  page = tt_enroll_page_new (tt_application_get_sync (app));
  g_signal_connect_object (page, "enrolled", G_CALLBACK (on_enrolled), self, G_CONNECT_SWAPPED);
  tt_window_push_page (self, page);
}

/* A scanned enrollment code opens the enrollment page with it; a device
 * not yet enrolled is enrolled at once, an enrolled one only on "Connect"
 * (an enrollment code scanned by mistake must not move it elsewhere). */
static gboolean
on_scanned_enroll (TtWindow *self,
                   TtCode   *code)
{
  TtApplication *app = TT_APPLICATION (gtk_window_get_application (GTK_WINDOW (self)));
  TtSync *sync = tt_application_get_sync (app);
  GtkWidget *page;

  if (code->kind != TT_CODE_KIND_ENROLL || sync == NULL)
    return FALSE;
  page = adw_leaflet_get_visible_child (self->leaflet);
  if (!TT_IS_ENROLL_PAGE (page))
    {
      gtk_widget_activate_action (GTK_WIDGET (self), "win.enroll", NULL);
      page = adw_leaflet_get_visible_child (self->leaflet);
    }
  if (tt_sync_is_enrolled (sync))
    tt_enroll_page_set_uri (TT_ENROLL_PAGE (page), code->payload);
  else
    tt_enroll_page_enroll_uri (TT_ENROLL_PAGE (page), code->payload);
  return TRUE;
}

static void
setup_sync (TtWindow      *self,
            TtApplication *app)
{
  g_signal_connect (self, "scanned", G_CALLBACK (on_scanned_enroll), NULL);
  TtSync *sync = tt_application_get_sync (app);

  gtk_box_append (self->status_box, tt_sync_status_new (sync));
  if (!tt_sync_is_enrolled (sync) && tt_store_count_items (tt_application_get_store (app)) == 0)
    gtk_widget_activate_action (GTK_WIDGET (self), "win.enroll", NULL);
}

static void
show_store_error (TtWindow      *self,
                  TtApplication *app)
{
  const GError *error = tt_application_get_store_error (app);
  g_autofree char *path = tt_store_default_path (tt_application_get_data_dir (app));
  g_autofree char *description = NULL;

  /* The store's message names the file and says it was left alone.  The
   * description is markup, the message (and the path in it) is not. */
  if (error != NULL)
    description = g_markup_escape_text (error->message, -1);
  else
    {
      g_autofree char *escaped = g_markup_escape_text (path, -1);

      description = g_strdup_printf (_("The data file %s could not be opened."), escaped);
    }
  adw_status_page_set_description (self->error_page, description);
  show_status_page (self->main_stack, "error", self->error_page, "dialog-error-symbolic");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.load-demo", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", FALSE);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.enroll", FALSE);
}

static gboolean
update_layout (gpointer user_data)
{
  TtWindow *self = user_data;

  self->layout_idle = 0;
  /* Landscape on a phone leaves about 360 px of height: search and
   * filters share one line so the list keeps room for its rows. */
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self->tools_box),
                                  self->wide ? GTK_ORIENTATION_HORIZONTAL
                                             : GTK_ORIENTATION_VERTICAL);
  gtk_widget_set_margin_bottom (GTK_WIDGET (self->search_entry), self->wide ? 8 : 0);
  /* Side by side the filters' wrapping labels would ask for their whole
   * width and squeeze the search to a stub: the search keeps a third. */
  gtk_widget_set_size_request (GTK_WIDGET (self->search_entry), self->wide ? 240 : -1, -1);
  gtk_widget_set_margin_end (GTK_WIDGET (self->search_entry), self->wide ? 0 : 8);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LANDSCAPE]);
  return G_SOURCE_REMOVE;
}

static void
tt_window_size_allocate (GtkWidget *widget,
                         int        width,
                         int        height,
                         int        baseline)
{
  TtWindow *self = TT_WINDOW (widget);
  /* Only the aspect decides: the wide layout needs more width than a
   * phone upright has, so a width threshold would keep a window that was
   * turned back upright stuck at the wide layout's minimum. */
  gboolean wide = width > height;

  GTK_WIDGET_CLASS (tt_window_parent_class)->size_allocate (widget, width, height, baseline);

  /* Never relayout from inside an allocation: do it right after. */
  if (wide != self->wide)
    {
      self->wide = wide;
      if (self->layout_idle == 0)
        self->layout_idle = g_idle_add_full (G_PRIORITY_HIGH_IDLE, update_layout, self, NULL);
    }
}

static void
tt_window_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TtWindow *self = TT_WINDOW (object);

  switch (prop_id)
    {
    case PROP_LANDSCAPE:
      g_value_set_boolean (value, tt_window_get_landscape (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_window_dispose (GObject *object)
{
  TtWindow *self = TT_WINDOW (object);

  g_clear_handle_id (&self->layout_idle, g_source_remove);
  g_clear_handle_id (&self->drop_idle, g_source_remove);
  g_clear_object (&self->scan_router);
  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_WINDOW);
  g_clear_object (&self->item_page);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->route_model);

  G_OBJECT_CLASS (tt_window_parent_class)->dispose (object);
}

static void
tt_window_finalize (GObject *object)
{
  TtWindow *self = TT_WINDOW (object);

  g_free (self->folded_query);

  G_OBJECT_CLASS (tt_window_parent_class)->finalize (object);
}

static void
tt_window_class_init (TtWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = tt_window_dispose;
  object_class->finalize = tt_window_finalize;
  object_class->get_property = tt_window_get_property;
  widget_class->size_allocate = tt_window_size_allocate;

  /* Wide and short (a phone on its side): pages put their actions in a
   * column on the side instead of a bar at the bottom. */
  properties[PROP_LANDSCAPE] =
    g_param_spec_boolean ("landscape", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TtWindow::scanned:
   * @code: (type TtCode): a code scanned, typed or read by the camera
   *
   * Emitted before the window acts on a valid scan; a handler that
   * takes the code returns TRUE and the window does nothing more.
   */
  signals[SCANNED] =
    g_signal_new ("scanned", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  g_signal_accumulator_true_handled, NULL, NULL,
                  G_TYPE_BOOLEAN, 1, TT_TYPE_CODE);

  g_type_ensure (TT_TYPE_ITEM);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tantay/TanTay/tt-window.ui");
  gtk_widget_class_bind_template_child (widget_class, TtWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, leaflet);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, route_page);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, window_title);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, status_box);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, tools_box);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, filter_all);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, filter_todo);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, filter_done);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, filter_failed);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, filter_pickups);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, count_all);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, count_todo);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, count_done);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, count_failed);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, count_pickups);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, list_stack);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, route_list);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, empty_page);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, no_results_page);
  gtk_widget_class_bind_template_child (widget_class, TtWindow, error_page);

  gtk_widget_class_bind_template_callback (widget_class, format_seq);
  gtk_widget_class_bind_template_callback (widget_class, format_kind);
  gtk_widget_class_bind_template_callback (widget_class, format_street);
  gtk_widget_class_bind_template_callback (widget_class, format_area);
  gtk_widget_class_bind_template_callback (widget_class, format_amount);
  gtk_widget_class_bind_template_callback (widget_class, format_attempts);
  gtk_widget_class_bind_template_callback (widget_class, has_attempts);
  gtk_widget_class_bind_template_callback (widget_class, format_status);
  gtk_widget_class_bind_template_callback (widget_class, status_classes);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_filter_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_leaflet_transition);

  /* Each takes the item id ("s"); the proof-of-delivery flows replace
   * the handlers, the buttons stay. */
  gtk_widget_class_install_action (widget_class, "win.deliver", "s", action_item);
  gtk_widget_class_install_action (widget_class, "win.fail-attempt", "s", action_item);
  gtk_widget_class_install_action (widget_class, "win.intake", "s", action_item);
  gtk_widget_class_install_action (widget_class, "win.summary", NULL, action_summary);
  gtk_widget_class_install_action (widget_class, "win.open-item", "s", action_open_item);
  gtk_widget_class_install_action (widget_class, "win.go-back", NULL, action_go_back);
  gtk_widget_class_install_action (widget_class, "win.search", NULL, action_search);
  gtk_widget_class_install_action (widget_class, "win.load-demo", NULL, action_load_demo);
  gtk_widget_class_install_action (widget_class, "win.enroll", NULL, action_enroll);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "win.go-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Back, 0, "win.go-back", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
}

static void
tt_window_init (TtWindow *self)
{
  self->filter_kind = TT_ROUTE_FILTER_ALL;
  gtk_widget_init_template (GTK_WIDGET (self));
}

TtWindow *
tt_window_new (TtApplication *application)
{
  TtWindow *self;

  g_return_val_if_fail (TT_IS_APPLICATION (application), NULL);

  self = g_object_new (TT_TYPE_WINDOW, "application", application, NULL);
  if (tt_application_get_store (application) != NULL)
    {
      setup_route (self, application);
      setup_sync (self, application);
    }
  else
    show_store_error (self, application);
  /* location */
  gtk_box_append (self->status_box, tt_gps_indicator_new (tt_application_get_location (application)));
  return self;
}

const char *
tt_window_status_label (const char *status)
{
  TtItemStatus s;

  if (!tt_item_status_from_string (status, &s))
    return status ? status : "";
  switch (s)
    {
    case TT_ITEM_STATUS_PENDING:
      return C_("status", "To do");
    case TT_ITEM_STATUS_OUT:
      return C_("status", "In the bag");
    case TT_ITEM_STATUS_DELIVERED:
      return C_("status", "Delivered");
    case TT_ITEM_STATUS_FAILED:
      return C_("status", "Failed");
    case TT_ITEM_STATUS_COLLECTED:
      return C_("status", "Taken in");
    default:
      return status;
    }
}

static void
replace_with_item (TtWindow *self,
                   TtItem   *item)
{
  /* The same page for every item: scan after scan it is only filled in
   * again, not built and styled anew. */
  if (self->item_page == NULL)
    self->item_page = g_object_ref_sink (tt_item_page_new (item));
  else
    tt_item_page_set_item (TT_ITEM_PAGE (self->item_page), item);
  if (gtk_widget_get_parent (self->item_page) == NULL)
    adw_leaflet_insert_child_after (self->leaflet, self->item_page, self->route_page);
  show_and_drop_after (self, self->item_page);
}

static void
on_leave_response (AdwMessageDialog *dialog,
                   const char       *response,
                   TtWindow         *self)
{
  const char *item_id = g_object_get_data (G_OBJECT (dialog), "item-id");
  TtItem *item;

  if (g_strcmp0 (response, "leave") != 0)
    return;
  /* The route may have been reloaded while the question was up. */
  item = tt_route_model_lookup (self->route_model, item_id, NULL);
  if (item != NULL)
    replace_with_item (self, item);
}

/* A stray scan must not throw away a half-captured signature: while a
 * delivery, failure or intake page is in view, ask first. */
static void
ask_before_leaving (TtWindow   *self,
                    const char *item_id)
{
  AdwMessageDialog *dialog;

  dialog = ADW_MESSAGE_DIALOG (adw_message_dialog_new (GTK_WINDOW (self),
                                                       _("Leave this delivery?"),
                                                       _("What you entered will be lost.")));
  adw_message_dialog_add_responses (dialog,
                                    "keep", _("_Keep"),
                                    "leave", _("_Leave"),
                                    NULL);
  adw_message_dialog_set_response_appearance (dialog, "leave", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_default_response (dialog, "keep");
  adw_message_dialog_set_close_response (dialog, "keep");
  g_object_set_data_full (G_OBJECT (dialog), "item-id", g_strdup (item_id), g_free);
  g_signal_connect_object (dialog, "response", G_CALLBACK (on_leave_response), self, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

gboolean
tt_window_open_item (TtWindow   *self,
                     const char *item_id)
{
  GtkWidget *visible;
  TtItem *item;

  g_return_val_if_fail (TT_IS_WINDOW (self), FALSE);
  g_return_val_if_fail (item_id != NULL, FALSE);

  /* Without a store the error page already says why nothing opens. */
  if (self->route_model == NULL)
    return FALSE;
  item = tt_route_model_lookup (self->route_model, item_id, NULL);
  if (item == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Not on route: %s"), item_id);

      tt_window_show_toast (self, text);
      return FALSE;
    }

  visible = adw_leaflet_get_visible_child (self->leaflet);
  if (TT_IS_DELIVERY_PAGE (visible) || TT_IS_FAILURE_PAGE (visible) || TT_IS_INTAKE_PAGE (visible))
    {
      ask_before_leaving (self, item_id);
      return TRUE;
    }

  /* One item page at a time, right after the route: a scan at the door
   * replaces whatever was open. */
  replace_with_item (self, item);
  return TRUE;
}

void
tt_window_add_toast (TtWindow *self,
                     AdwToast *toast)
{
  g_return_if_fail (TT_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

TtScanRouter *
tt_window_get_scan_router (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), NULL);
  return self->scan_router;
}

void
tt_window_show_toast (TtWindow   *self,
                      const char *text)
{
  g_autofree char *escaped = NULL;
  AdwToast *toast;

  g_return_if_fail (TT_IS_WINDOW (self));
  g_return_if_fail (text != NULL);

  /* Toast titles are markup; @text is plain (ids, paths, error messages). */
  escaped = g_markup_escape_text (text, -1);
  toast = adw_toast_new (escaped);
  adw_toast_set_timeout (toast, 5);
  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

void
tt_window_push_page (TtWindow  *self,
                     GtkWidget *page)
{
  g_return_if_fail (TT_IS_WINDOW (self));
  g_return_if_fail (GTK_IS_WIDGET (page));

  adw_leaflet_append (self->leaflet, page);
  adw_leaflet_set_visible_child (self->leaflet, page);
}

void
tt_window_pop_page (TtWindow *self)
{
  GtkWidget *visible;

  g_return_if_fail (TT_IS_WINDOW (self));

  visible = adw_leaflet_get_visible_child (self->leaflet);
  if (visible == self->route_page)
    return;
  adw_leaflet_navigate (self->leaflet, ADW_NAVIGATION_DIRECTION_BACK);
  /* Without animations the transition never runs: drop the page now. */
  if (!adw_leaflet_get_child_transition_running (self->leaflet))
    remove_pages_after (self, adw_leaflet_get_visible_child (self->leaflet));
}

gboolean
tt_window_get_landscape (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), FALSE);

  /* The layout, not the last allocation, so that the property and what
   * is on screen always agree. */
  return gtk_orientable_get_orientation (GTK_ORIENTABLE (self->tools_box))
         == GTK_ORIENTATION_HORIZONTAL;
}

GtkBox *
tt_window_get_status_box (TtWindow *self)
{
  g_return_val_if_fail (TT_IS_WINDOW (self), NULL);

  return self->status_box;
}

void
tt_window_report_first_frame (TtWindow *self,
                              gint64    start_time_us)
{
  g_return_if_fail (TT_IS_WINDOW (self));

  self->bench_start_us = start_time_us;
  g_signal_connect (self, "map", G_CALLBACK (on_map_for_bench), NULL);
}
