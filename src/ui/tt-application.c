/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-application"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-application.h"
#include "tt-settings-page.h"
#include "tt-settings.h"
#include "tt-window.h"

struct _TtApplication
{
  AdwApplication  parent_instance;

  char           *data_dir;
  gboolean        demo;
  gboolean        bench_startup;
  gint64          start_time_us;

  /* location: gpsd at the gps-host/gps-port settings */
  TtLocation     *location;

  TtStore        *store;
  GError         *store_error;
  TtRouteModel   *route_model;
  TtSettings     *settings;
  GError         *settings_error;
  TtSync         *sync;
};

G_DEFINE_FINAL_TYPE (TtApplication, tt_application, ADW_TYPE_APPLICATION)

#define DEMO_ROUTE_RESOURCE "/io/github/tantay/TanTay/demo-route.json"

/* The settings show the server this data folder is enrolled with. */
static void
on_server_url (TtApplication *self)
{
  const char *url = tt_sync_get_server_url (self->sync);

  if (self->settings != NULL && url != NULL
      && g_strcmp0 (url, tt_settings_get_server_url (self->settings)) != 0)
    tt_settings_set_server_url (self->settings, url, NULL);
}

/* Sync runs by itself: at start, after each new record, when the network
 * comes back, and again a while after a failure. */
static void
open_sync (TtApplication *self)
{
  self->sync = tt_sync_new (self->store, self->data_dir);
  /* A private server's authority, changed in Settings, applies at once. */
  if (self->settings != NULL)
    {
      g_settings_bind (tt_settings_get_gsettings (self->settings), "ca-file", self->sync, "ca-file",
                       G_SETTINGS_BIND_GET);
      g_settings_bind (tt_settings_get_gsettings (self->settings), "retention-days", self->sync,
                       "retention-days", G_SETTINGS_BIND_GET);
    }
  g_signal_connect_object (self->sync, "notify::server-url", G_CALLBACK (on_server_url), self,
                           G_CONNECT_SWAPPED);
  on_server_url (self);
  g_object_set (self->sync, "auto-sync", TRUE, NULL);
  if (tt_sync_is_enrolled (self->sync))
    tt_sync_request (self->sync);
}

static void
open_store (TtApplication *self)
{
  g_autofree char *path = tt_store_default_path (self->data_dir);

  self->store = tt_store_open (path, &self->store_error);
  if (self->store == NULL)
    return;
  self->route_model = tt_route_model_new (self->store);
  open_sync (self);
}

static gint
tt_application_handle_local_options (GApplication *app,
                                     GVariantDict *options)
{
  TtApplication *self = TT_APPLICATION (app);
  const char *data_dir = NULL;

  if (g_variant_dict_lookup (options, "version", "b", NULL))
    {
      g_print ("tantay %s\n", PACKAGE_VERSION);
      return 0;
    }
  if (g_variant_dict_lookup (options, "data-dir", "^&ay", &data_dir))
    self->data_dir = tt_store_data_dir (data_dir);
  else
    self->data_dir = tt_store_data_dir (NULL);
  self->demo = g_variant_dict_contains (options, "demo");
  self->bench_startup = g_variant_dict_contains (options, "bench-startup");

  /* A launcher starts the app through D-Bus (DBusActivatable=true), and
   * the bus waits for it to own its name: the courier's app is unique.
   * Only a start on another data folder (tests, the demo, IT staff)
   * stands alone, so it is never handed to the courier's running app. */
  if (data_dir != NULL && !(g_application_get_flags (app) & G_APPLICATION_IS_SERVICE))
    g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);

  return G_APPLICATION_CLASS (tt_application_parent_class)->handle_local_options (app, options);
}

static void
on_quit (GSimpleAction *action,
         GVariant      *param,
         gpointer       user_data)
{
  g_application_quit (G_APPLICATION (user_data));
}

static void
on_about (GSimpleAction *action,
          GVariant      *param,
          gpointer       user_data)
{
  GtkApplication *app = GTK_APPLICATION (user_data);
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (app),
                        "application-name", _("Tận Tay"),
                        "application-icon", APP_ID,
                        "version", PACKAGE_VERSION,
                        "comments", _("Delivery of administrative results and door-step "
                                      "intake for postal couriers"),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
on_preferences (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  TtApplication *self = TT_APPLICATION (user_data);
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  GtkWindow *window;

  if (self->settings == NULL)
    {
      /* A broken installation: say so where the courier is looking. */
      if (TT_IS_WINDOW (parent))
        tt_window_show_toast (TT_WINDOW (parent), self->settings_error->message);
      return;
    }
  window = tt_settings_page_new_window (self->settings, parent);
  gtk_window_set_application (window, GTK_APPLICATION (self));
  gtk_window_present (window);
}

static void
tt_application_startup (GApplication *app)
{
  TtApplication *self = TT_APPLICATION (app);
  static const GActionEntry entries[] = {
    { "quit", on_quit },
    { "about", on_about },
    { "preferences", on_preferences },
  };
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *preferences_accels[] = { "<Control>comma", NULL };

  G_APPLICATION_CLASS (tt_application_parent_class)->startup (app);

  self->settings = tt_settings_new (&self->settings_error);
  if (self->settings == NULL)
    g_printerr ("%s\n", self->settings_error->message);

  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences",
                                         preferences_accels);
}

static void
tt_application_activate (GApplication *app)
{
  TtApplication *self = TT_APPLICATION (app);
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL)
    {
      if (self->store == NULL && self->store_error == NULL)
        open_store (self);

      if (self->store != NULL && self->demo && tt_store_count_items (self->store) == 0)
        {
          g_autoptr(GError) error = NULL;

          /* Not fatal: the window's empty state offers the demo again. */
          if (!tt_application_load_demo (self, &error))
            g_printerr ("%s\n", error->message);
        }

      window = GTK_WINDOW (tt_window_new (self));
      if (self->bench_startup)
        tt_window_report_first_frame (TT_WINDOW (window), self->start_time_us);
    }
  gtk_window_present (window);
}

static void
tt_application_dispose (GObject *object)
{
  TtApplication *self = TT_APPLICATION (object);

  g_clear_object (&self->sync);
  g_clear_object (&self->route_model);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);

  g_clear_object (&self->location);

  G_OBJECT_CLASS (tt_application_parent_class)->dispose (object);
}

static void
tt_application_finalize (GObject *object)
{
  TtApplication *self = TT_APPLICATION (object);

  g_free (self->data_dir);
  g_clear_error (&self->store_error);
  g_clear_error (&self->settings_error);

  G_OBJECT_CLASS (tt_application_parent_class)->finalize (object);
}

static void
tt_application_class_init (TtApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = tt_application_dispose;
  object_class->finalize = tt_application_finalize;
  app_class->handle_local_options = tt_application_handle_local_options;
  app_class->startup = tt_application_startup;
  app_class->activate = tt_application_activate;
}

static void
tt_application_init (TtApplication *self)
{
  static const GOptionEntry options[] = {
    { "data-dir", 0, 0, G_OPTION_ARG_FILENAME, NULL,
      N_("Folder holding the route and records (default: the user’s data folder)"), N_("DIR") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_("Load the demo route when no route is there yet"), NULL },
    { "bench-startup", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, NULL,
      "Print the time to the first drawn route list and the peak memory, then quit", NULL },
    { "version", 0, 0, G_OPTION_ARG_NONE, NULL, N_("Show the version and quit"), NULL },
    { NULL }
  };

  self->start_time_us = g_get_monotonic_time ();
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
}

TtApplication *
tt_application_new (void)
{
  /* Unique, so that starting it again (or D-Bus activation, see the
   * desktop file) shows the window that is there; --data-dir makes it
   * non-unique. */
  return g_object_new (TT_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", G_APPLICATION_DEFAULT_FLAGS,
                       "resource-base-path", "/io/github/tantay/TanTay",
                       NULL);
}

TtStore *
tt_application_get_store (TtApplication *self)
{
  g_return_val_if_fail (TT_IS_APPLICATION (self), NULL);

  return self->store;
}

const GError *
tt_application_get_store_error (TtApplication *self)
{
  g_return_val_if_fail (TT_IS_APPLICATION (self), NULL);

  return self->store_error;
}

TtRouteModel *
tt_application_get_route_model (TtApplication *self)
{
  g_return_val_if_fail (TT_IS_APPLICATION (self), NULL);

  return self->route_model;
}

/* NULL only when the settings schema is not installed. */
TtSettings *
tt_application_get_settings (TtApplication *self)
{
  g_return_val_if_fail (TT_IS_APPLICATION (self), NULL);

  return self->settings;
}

TtSync *
tt_application_get_sync (TtApplication *self)
{
  g_return_val_if_fail (TT_IS_APPLICATION (self), NULL);

  return self->sync;
}

const char *
tt_application_get_data_dir (TtApplication *self)
{
  g_return_val_if_fail (TT_IS_APPLICATION (self), NULL);

  return self->data_dir;
}

gboolean
tt_application_load_demo (TtApplication  *self,
                          GError        **error)
{
  g_autoptr(GBytes) bytes = NULL;
  gsize size;
  const char *data;

  g_return_val_if_fail (TT_IS_APPLICATION (self), FALSE);

  if (self->store == NULL)
    {
      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_IO, "%s",
                   _("The data file could not be opened, so no route can be loaded"));
      return FALSE;
    }
  if (tt_store_count_items (self->store) > 0)
    {
      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_INVALID, "%s",
                   _("A route is already loaded; the demo route is only loaded on an empty device"));
      return FALSE;
    }
  bytes = g_resources_lookup_data (DEMO_ROUTE_RESOURCE, G_RESOURCE_LOOKUP_FLAGS_NONE, error);
  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &size);
  return tt_store_load_manifest (self->store, data, size, error);
}

/**
 * tt_application_get_location:
 *
 * The one gpsd client of the app, made on first use; it follows the
 * gps-host and gps-port settings.
 *
 * Returns: (transfer none): the location
 */
TtLocation *
tt_application_get_location (TtApplication *self)
{
  g_return_val_if_fail (TT_IS_APPLICATION (self), NULL);

  if (self->location == NULL)
    {
      TtSettings *settings = tt_application_get_settings (self);

      if (settings == NULL)
        {
          /* Without the schema (already reported at start-up): gpsd's own
           * default address. */
          self->location = tt_location_new (NULL, 2947);
        }
      else
        {
          self->location = tt_location_new (tt_settings_get_gps_host (settings),
                                            tt_settings_get_gps_port (settings));
          g_object_bind_property (settings, "gps-host", self->location, "host", G_BINDING_DEFAULT);
          g_object_bind_property (settings, "gps-port", self->location, "port", G_BINDING_DEFAULT);
        }
    }
  return self->location;
}
