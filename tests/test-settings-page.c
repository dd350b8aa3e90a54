/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The settings page on a real display (Xvfb): what a courier or IT staff
 * changes reaches the settings, what they mistype is refused and the
 * saved value stays. */
#include "config.h"

#include <adwaita.h>
#include <string.h>

#include "tt-application.h"
#include "tt-settings-page.h"
#include "tt-test-util.h"

typedef struct
{
  TtSettings     *settings;
  GtkWindow      *window;
  TtSettingsPage *page;
} Fixture;

static void
iterate (void)
{
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSettingsSchema) schema = NULL;
  g_auto(GStrv) keys = NULL;
  GtkWidget *content;

  f->settings = tt_settings_new (&error);
  g_assert_no_error (error);
  g_object_get (tt_settings_get_gsettings (f->settings), "settings-schema", &schema, NULL);
  keys = g_settings_schema_list_keys (schema);
  for (guint i = 0; keys[i]; i++)
    g_settings_reset (tt_settings_get_gsettings (f->settings), keys[i]);

  f->window = tt_settings_page_new_window (f->settings, NULL);
  gtk_window_present (f->window);
  iterate ();

  /* The page is the only one the preferences window holds. */
  content = GTK_WIDGET (f->window);
  for (GtkWidget *w = gtk_widget_get_first_child (content); w; )
    {
      if (TT_IS_SETTINGS_PAGE (w))
        {
          f->page = TT_SETTINGS_PAGE (w);
          break;
        }
      if (gtk_widget_get_first_child (w))
        w = gtk_widget_get_first_child (w);
      else
        {
          while (w && !gtk_widget_get_next_sibling (w))
            w = gtk_widget_get_parent (w);
          w = w ? gtk_widget_get_next_sibling (w) : NULL;
        }
    }
  g_assert_nonnull (f->page);
  g_assert_true (tt_settings_page_get_settings (f->page) == f->settings);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gtk_window_destroy (f->window);
  iterate ();
  g_clear_object (&f->settings);
}

static gpointer
child (Fixture    *f,
       const char *name)
{
  GObject *obj = gtk_widget_get_template_child (GTK_WIDGET (f->page), TT_TYPE_SETTINGS_PAGE, name);

  g_assert_nonnull (obj);
  return obj;
}

static void
test_spins_follow_schema (Fixture       *f,
                          gconstpointer  data)
{
  static const struct { const char *spin, *key; double lo, hi, def; } spins[] = {
    { "gap_spin", "scanner-max-gap-ms", 5, 200, 40 },
    { "min_length_spin", "scanner-min-length", 1, 64, 6 },
    { "gps_port_spin", "gps-port", 1, 65535, 2947 },
    { "accuracy_spin", "fix-accuracy-m", 1, 10000, 50 },
    { "fix_wait_spin", "fix-wait-s", 0, 300, 20 },
    { "fix_window_spin", "fix-window-s", 1, 600, 30 },
    { "distance_spin", "distance-warning-m", 10, 100000, 300 },
    { "retention_spin", "retention-days", 1, 365, 30 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (spins); i++)
    {
      GtkSpinButton *spin = child (f, spins[i].spin);
      GtkAdjustment *adj = gtk_spin_button_get_adjustment (spin);

      g_test_message ("%s", spins[i].key);
      g_assert_cmpfloat (gtk_adjustment_get_lower (adj), ==, spins[i].lo);
      g_assert_cmpfloat (gtk_adjustment_get_upper (adj), ==, spins[i].hi);
      g_assert_cmpfloat (gtk_spin_button_get_value (spin), ==, spins[i].def);
    }

  /* Showing the page stores nothing: every key keeps its default. */
  {
    g_autoptr(GSettingsSchema) schema = NULL;
    g_auto(GStrv) keys = NULL;

    g_object_get (tt_settings_get_gsettings (f->settings), "settings-schema", &schema, NULL);
    keys = g_settings_schema_list_keys (schema);
    for (guint i = 0; keys[i]; i++)
      {
        g_autoptr(GVariant) user = g_settings_get_user_value (tt_settings_get_gsettings (f->settings), keys[i]);

        g_test_message ("untouched %s", keys[i]);
        g_assert_null (user);
      }
  }
}

static void
test_controls_change_settings (Fixture       *f,
                               gconstpointer  data)
{
  GtkSpinButton *port = child (f, "gps_port_spin");
  GtkSpinButton *accuracy = child (f, "accuracy_spin");
  GtkSwitch *sound = child (f, "sound_switch");
  AdwComboRow *sort = child (f, "route_sort_row");
  AdwActionRow *server = child (f, "server_row");
  g_autoptr(GError) error = NULL;

  gtk_spin_button_set_value (port, 3001);
  g_assert_cmpuint (tt_settings_get_gps_port (f->settings), ==, 3001);

  /* Out of range is clamped by the control, never stored. */
  gtk_spin_button_set_value (port, 99999);
  g_assert_cmpuint (tt_settings_get_gps_port (f->settings), ==, 65535);

  gtk_spin_button_set_value (accuracy, 12.5);
  g_assert_cmpfloat (tt_settings_get_fix_accuracy_m (f->settings), ==, 12.5);

  gtk_switch_set_active (sound, FALSE);
  g_assert_false (tt_settings_get_feedback_sound (f->settings));

  adw_combo_row_set_selected (sort, 1);
  g_assert_cmpstr (tt_settings_get_route_sort (f->settings), ==, "distance");

  /* And the other way: a change made elsewhere shows at once. */
  g_settings_set_uint (tt_settings_get_gsettings (f->settings), "retention-days", 90);
  g_assert_cmpfloat (gtk_spin_button_get_value (child (f, "retention_spin")), ==, 90);
  g_settings_set_string (tt_settings_get_gsettings (f->settings), "route-sort", "route");
  g_assert_cmpuint (adw_combo_row_get_selected (sort), ==, 0);

  g_assert_cmpstr (adw_action_row_get_subtitle (server), ==, "Not enrolled yet");
  g_assert_true (tt_settings_set_server_url (f->settings, "https://tracking.example.vn/?a=1&b=2", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (adw_action_row_get_subtitle (server), ==, "https://tracking.example.vn/?a=1&b=2");
  /* Shown as text: an ampersand in a URL is no markup error. */
  g_assert_false (adw_preferences_row_get_use_markup (ADW_PREFERENCES_ROW (server)));
}

static void
apply (AdwEntryRow *row,
       const char  *text)
{
  gtk_editable_set_text (GTK_EDITABLE (row), text);
  g_signal_emit_by_name (row, "apply");
  iterate ();
}

static void
test_bad_entries_refused (Fixture       *f,
                          gconstpointer  data)
{
  AdwEntryRow *host = child (f, "gps_host_row");
  AdwEntryRow *prefix = child (f, "prefix_row");
  AdwEntryRow *pipeline = child (f, "pipeline_row");

  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (host)), ==, "localhost");

  apply (host, "gps host");
  g_assert_cmpstr (tt_settings_get_gps_host (f->settings), ==, "localhost");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (host), "error"));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (host)), "gps host"));
  /* What was typed stays there to be corrected. */
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (host)), ==, "gps host");

  apply (host, " gps.buudien.local ");
  g_assert_cmpstr (tt_settings_get_gps_host (f->settings), ==, "gps.buudien.local");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (host), "error"));
  g_assert_null (gtk_widget_get_tooltip_text (GTK_WIDGET (host)));

  apply (prefix, "NoSuchKeyName");
  g_assert_cmpstr (tt_settings_get_scanner_prefix (f->settings), ==, "");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (prefix), "error"));
  apply (prefix, "F13");
  g_assert_cmpstr (tt_settings_get_scanner_prefix (f->settings), ==, "F13");
  g_assert_false (gtk_widget_has_css_class (GTK_WIDGET (prefix), "error"));

  apply (pipeline, "nosuchcamerasrc ! videoflip");
  g_assert_cmpstr (tt_settings_get_camera_pipeline (f->settings), ==, "");
  g_assert_true (gtk_widget_has_css_class (GTK_WIDGET (pipeline), "error"));
  apply (pipeline, "videotestsrc pattern=ball");
  g_assert_cmpstr (tt_settings_get_camera_pipeline (f->settings), ==, "videotestsrc pattern=ball");

  /* A change made elsewhere replaces the text. */
  g_settings_set_string (tt_settings_get_gsettings (f->settings), "gps-host", "127.0.0.1");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (host)), ==, "127.0.0.1");
}

static void
test_ca_file (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *pem = g_build_filename (dir, "ca.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "ca.key", NULL);
  const char *argv[] = {
    "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1",
    "-nodes", "-days", "2", "-subj", "/CN=Tan Tay test CA", "-keyout", key, "-out", pem, NULL,
  };
  g_autoptr(GError) error = NULL;
  AdwActionRow *row = child (f, "ca_row");
  GtkWidget *clear = child (f, "ca_clear_button");
  int status;

  g_assert_true (g_spawn_sync (NULL, (char **) argv, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                               NULL, NULL, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));

  g_assert_false (gtk_widget_get_sensitive (clear));
  g_assert_true (tt_settings_set_checked (f->settings, "ca-file", g_variant_new_string (pem), &error));
  g_assert_no_error (error);
  g_assert_cmpstr (adw_action_row_get_subtitle (row), ==, pem);
  g_assert_true (gtk_widget_get_sensitive (clear));

  g_signal_emit_by_name (clear, "clicked");
  iterate ();
  g_assert_cmpstr (tt_settings_get_ca_file (f->settings), ==, "");
  g_assert_false (gtk_widget_get_sensitive (clear));
}

static TtSettingsPage *
find_page (GtkWidget *root)
{
  if (TT_IS_SETTINGS_PAGE (root))
    return TT_SETTINGS_PAGE (root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      TtSettingsPage *page = find_page (c);

      if (page)
        return page;
    }
  return NULL;
}

static gboolean
menu_has_action (GMenuModel *menu,
                 const char *action)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *a = NULL;
      GMenuModel *section;

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_ACTION, "s", &a)
          && g_str_equal (a, action))
        return TRUE;
      section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);
      if (section && menu_has_action (section, action))
        {
          g_object_unref (section);
          return TRUE;
        }
      g_clear_object (&section);
    }
  return FALSE;
}

static GMenuModel *
find_menu (GtkWidget *root)
{
  if (GTK_IS_MENU_BUTTON (root) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (root)))
    return gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (root));
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GMenuModel *menu = find_menu (c);

      if (menu)
        return menu;
    }
  return NULL;
}

static void
on_app_activate (TtApplication *app,
                 gboolean      *ran)
{
  GtkWindow *main_window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autofree char **accels = NULL;
  TtSettingsPage *page = NULL;
  GList *windows;

  g_assert_nonnull (main_window);
  g_assert_nonnull (tt_application_get_settings (app));

  /* Reachable from the main menu and with Ctrl+comma. */
  g_assert_true (menu_has_action (find_menu (GTK_WIDGET (main_window)), "app.preferences"));
  accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), "app.preferences");
  g_assert_cmpstr (accels[0], ==, "<Control>comma");

  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  iterate ();

  windows = gtk_application_get_windows (GTK_APPLICATION (app));
  for (GList *l = windows; l && page == NULL; l = l->next)
    if (ADW_IS_PREFERENCES_WINDOW (l->data))
      {
        page = find_page (GTK_WIDGET (l->data));
        g_assert_true (gtk_window_get_transient_for (l->data) == main_window);
      }
  g_assert_nonnull (page);
  /* The one settings object the app passes around, not a second one. */
  g_assert_true (tt_settings_page_get_settings (page) == tt_application_get_settings (app));

  *ran = TRUE;
  g_application_quit (G_APPLICATION (app));
}

static void
test_app_preferences (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autoptr(TtApplication) app = tt_application_new ();
  const char *argv[] = { "tantay", "--data-dir", dir, NULL };
  gboolean ran = FALSE;

  g_signal_connect_after (app, "activate", G_CALLBACK (on_app_activate), &ran);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 3, (char **) argv), ==, 0);
  g_assert_true (ran);
}

int
main (int   argc,
      char *argv[])
{
  gtk_test_init (&argc, &argv, NULL);
  adw_init ();

  g_test_add ("/settings-page/spins-follow-schema", Fixture, NULL,
              fixture_set_up, test_spins_follow_schema, fixture_tear_down);
  g_test_add ("/settings-page/controls-change-settings", Fixture, NULL,
              fixture_set_up, test_controls_change_settings, fixture_tear_down);
  g_test_add ("/settings-page/bad-entries-refused", Fixture, NULL,
              fixture_set_up, test_bad_entries_refused, fixture_tear_down);
  g_test_add ("/settings-page/ca-file", Fixture, NULL,
              fixture_set_up, test_ca_file, fixture_tear_down);

  g_test_add_func ("/settings-page/app-preferences", test_app_preferences);

  return g_test_run ();
}
