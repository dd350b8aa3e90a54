/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-settings-page"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-settings-page.h"

struct _TtSettingsPage
{
  AdwPreferencesPage  parent_instance;

  TtSettings         *settings;

  AdwActionRow       *server_row;
  AdwActionRow       *ca_row;
  GtkButton          *ca_clear_button;
  GtkSpinButton      *gap_spin;
  GtkSpinButton      *min_length_spin;
  AdwEntryRow        *prefix_row;
  AdwEntryRow        *suffix_row;
  GtkSwitch          *sound_switch;
  AdwEntryRow        *pipeline_row;
  AdwEntryRow        *gps_host_row;
  GtkSpinButton      *gps_port_spin;
  GtkSpinButton      *accuracy_spin;
  GtkSpinButton      *fix_wait_spin;
  GtkSpinButton      *fix_window_spin;
  GtkSpinButton      *distance_spin;
  AdwComboRow        *route_sort_row;
  GtkSpinButton      *retention_spin;

  GtkFileChooserNative *ca_chooser;
};

G_DEFINE_FINAL_TYPE (TtSettingsPage, tt_settings_page, ADW_TYPE_PREFERENCES_PAGE)

enum {
  PROP_0,
  PROP_SETTINGS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Which key each text row edits (set once the template is built). */
static GQuark key_quark;

/* Route order as stored, in the order of the combo row's items. */
static const char *const route_sorts[] = { "route", "distance" };

static void
report (TtSettingsPage *self,
        GtkWidget      *row,
        const char     *message)
{
  GtkWidget *ancestor;

  gtk_widget_add_css_class (row, "error");
  gtk_widget_set_tooltip_text (row, message);

  ancestor = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_PREFERENCES_WINDOW);
  if (ancestor != NULL)
    {
      adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (ancestor), adw_toast_new (message));
      return;
    }
  ancestor = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  if (ancestor != NULL)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (ancestor), adw_toast_new (message));
}

static void
clear_report (GtkWidget *row)
{
  gtk_widget_remove_css_class (row, "error");
  gtk_widget_set_tooltip_text (row, NULL);
}

static void
on_entry_changed (TtSettingsPage *self,
                  AdwEntryRow    *row)
{
  clear_report (GTK_WIDGET (row));
}

/* Typed values are checked before they are stored: a wrong host or a
 * broken pipeline is refused with a message, and the saved value stays. */
static void
on_entry_apply (TtSettingsPage *self,
                AdwEntryRow    *row)
{
  const char *key = g_object_get_qdata (G_OBJECT (row), key_quark);
  g_autofree char *text = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (row))));
  g_autoptr(GError) error = NULL;

  g_assert (key != NULL);

  /* Only the toolkit knows key names; the core checks the rest. */
  if ((g_str_equal (key, "scanner-prefix") || g_str_equal (key, "scanner-suffix"))
      && *text != '\0' && gdk_keyval_from_name (text) == GDK_KEY_VoidSymbol)
    {
      g_autofree char *message = g_strdup_printf (_("“%s” is not a key name (for example F13 or Pause)."), text);

      report (self, GTK_WIDGET (row), message);
      return;
    }

  if (!tt_settings_set_from_string (self->settings, key, text, &error))
    {
      report (self, GTK_WIDGET (row), error->message);
      return;
    }
  clear_report (GTK_WIDGET (row));
}

static void
sync_entry (TtSettingsPage *self,
            AdwEntryRow    *row)
{
  const char *key = g_object_get_qdata (G_OBJECT (row), key_quark);
  g_autofree char *value = NULL;

  g_object_get (self->settings, key, &value, NULL);
  if (g_strcmp0 (value, gtk_editable_get_text (GTK_EDITABLE (row))) != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), value ? value : "");
}

static void
on_setting_notify (TtSettingsPage *self,
                   GParamSpec     *pspec)
{
  AdwEntryRow *rows[] = { self->prefix_row, self->suffix_row, self->pipeline_row, self->gps_host_row };

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_str_equal (g_object_get_qdata (G_OBJECT (rows[i]), key_quark), pspec->name))
      sync_entry (self, rows[i]);
}

static gboolean
server_to_subtitle (GBinding     *binding,
                    const GValue *from,
                    GValue       *to,
                    gpointer      user_data)
{
  const char *url = g_value_get_string (from);

  g_value_set_string (to, url && *url ? url : _("Not enrolled yet"));
  return TRUE;
}

static gboolean
ca_to_subtitle (GBinding     *binding,
                const GValue *from,
                GValue       *to,
                gpointer      user_data)
{
  const char *path = g_value_get_string (from);

  g_value_set_string (to, path && *path ? path : _("The system’s authorities only"));
  return TRUE;
}

static gboolean
string_is_set (GBinding     *binding,
               const GValue *from,
               GValue       *to,
               gpointer      user_data)
{
  const char *s = g_value_get_string (from);

  g_value_set_boolean (to, s != NULL && *s != '\0');
  return TRUE;
}

static gboolean
sort_to_selected (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  for (guint i = 0; i < G_N_ELEMENTS (route_sorts); i++)
    if (g_strcmp0 (g_value_get_string (from), route_sorts[i]) == 0)
      {
        g_value_set_uint (to, i);
        return TRUE;
      }
  return FALSE;
}

static gboolean
selected_to_sort (GBinding     *binding,
                  const GValue *from,
                  GValue       *to,
                  gpointer      user_data)
{
  guint i = g_value_get_uint (from);

  if (i >= G_N_ELEMENTS (route_sorts))
    return FALSE;
  g_value_set_string (to, route_sorts[i]);
  return TRUE;
}

static void
on_ca_response (TtSettingsPage       *self,
                int                   response,
                GtkFileChooserNative *chooser)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;

  if (response == GTK_RESPONSE_ACCEPT)
    {
      file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      path = file ? g_file_get_path (file) : NULL;
      if (path == NULL)
        report (self, GTK_WIDGET (self->ca_row), _("The chosen file is not on this device."));
      else if (!tt_settings_set_checked (self->settings, "ca-file", g_variant_new_string (path), &error))
        report (self, GTK_WIDGET (self->ca_row), error->message);
      else
        clear_report (GTK_WIDGET (self->ca_row));
    }
  g_clear_object (&self->ca_chooser);
}

static void
on_ca_choose_clicked (TtSettingsPage *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  if (self->ca_chooser != NULL)
    return;

  gtk_file_filter_set_name (filter, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_filter_add_mime_type (filter, "application/x-x509-ca-cert");

  self->ca_chooser = gtk_file_chooser_native_new (_("Choose a Certificate Authority"),
                                                  GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                                  GTK_FILE_CHOOSER_ACTION_OPEN,
                                                  _("_Use"), _("_Cancel"));
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (self->ca_chooser), filter);
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (self->ca_chooser), TRUE);
  g_signal_connect_object (self->ca_chooser, "response", G_CALLBACK (on_ca_response), self, G_CONNECT_SWAPPED);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (self->ca_chooser));
}

static void
on_ca_clear_clicked (TtSettingsPage *self)
{
  g_autoptr(GError) error = NULL;

  if (!tt_settings_set_checked (self->settings, "ca-file", g_variant_new_string (""), &error))
    report (self, GTK_WIDGET (self->ca_row), error->message);
  else
    clear_report (GTK_WIDGET (self->ca_row));
}

/* The spin button takes its range from the property, which mirrors the
 * schema, so nothing out of range can be entered. */
static void
bind_spin (TtSettingsPage *self,
           GtkSpinButton  *spin,
           const char     *key)
{
  GParamSpec *pspec = g_object_class_find_property (G_OBJECT_GET_CLASS (self->settings), key);
  GtkAdjustment *adj = gtk_spin_button_get_adjustment (spin);

  g_assert (pspec != NULL);
  if (G_IS_PARAM_SPEC_UINT (pspec))
    {
      gtk_adjustment_set_lower (adj, G_PARAM_SPEC_UINT (pspec)->minimum);
      gtk_adjustment_set_upper (adj, G_PARAM_SPEC_UINT (pspec)->maximum);
    }
  else
    {
      gtk_adjustment_set_lower (adj, G_PARAM_SPEC_DOUBLE (pspec)->minimum);
      gtk_adjustment_set_upper (adj, G_PARAM_SPEC_DOUBLE (pspec)->maximum);
    }
  g_object_bind_property (self->settings, key, adj, "value", G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
}

static void
bind_entry (TtSettingsPage *self,
            AdwEntryRow    *row,
            const char     *key)
{
  g_autofree char *signal = g_strconcat ("notify::", key, NULL);

  g_object_set_qdata (G_OBJECT (row), key_quark, (gpointer) g_intern_string (key));
  sync_entry (self, row);
  g_signal_connect_object (self->settings, signal, G_CALLBACK (on_setting_notify), self, G_CONNECT_SWAPPED);
}

static void
tt_settings_page_constructed (GObject *object)
{
  TtSettingsPage *self = TT_SETTINGS_PAGE (object);

  G_OBJECT_CLASS (tt_settings_page_parent_class)->constructed (object);

  g_assert (TT_IS_SETTINGS (self->settings));

  g_object_bind_property_full (self->settings, "server-url", self->server_row, "subtitle",
                               G_BINDING_SYNC_CREATE, server_to_subtitle, NULL, NULL, NULL);
  g_object_bind_property_full (self->settings, "ca-file", self->ca_row, "subtitle",
                               G_BINDING_SYNC_CREATE, ca_to_subtitle, NULL, NULL, NULL);
  g_object_bind_property_full (self->settings, "ca-file", self->ca_clear_button, "sensitive",
                               G_BINDING_SYNC_CREATE, string_is_set, NULL, NULL, NULL);

  bind_spin (self, self->gap_spin, "scanner-max-gap-ms");
  bind_spin (self, self->min_length_spin, "scanner-min-length");
  bind_spin (self, self->gps_port_spin, "gps-port");
  bind_spin (self, self->accuracy_spin, "fix-accuracy-m");
  bind_spin (self, self->fix_wait_spin, "fix-wait-s");
  bind_spin (self, self->fix_window_spin, "fix-window-s");
  bind_spin (self, self->distance_spin, "distance-warning-m");
  bind_spin (self, self->retention_spin, "retention-days");

  g_object_bind_property (self->settings, "feedback-sound", self->sound_switch, "active",
                          G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE);
  g_object_bind_property_full (self->settings, "route-sort", self->route_sort_row, "selected",
                               G_BINDING_BIDIRECTIONAL | G_BINDING_SYNC_CREATE,
                               sort_to_selected, selected_to_sort, NULL, NULL);

  bind_entry (self, self->prefix_row, "scanner-prefix");
  bind_entry (self, self->suffix_row, "scanner-suffix");
  bind_entry (self, self->pipeline_row, "camera-pipeline");
  bind_entry (self, self->gps_host_row, "gps-host");
}

static void
tt_settings_page_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  TtSettingsPage *self = TT_SETTINGS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_settings_page_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  TtSettingsPage *self = TT_SETTINGS_PAGE (object);

  switch (prop_id)
    {
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_settings_page_dispose (GObject *object)
{
  TtSettingsPage *self = TT_SETTINGS_PAGE (object);

  if (self->ca_chooser != NULL)
    gtk_native_dialog_destroy (GTK_NATIVE_DIALOG (self->ca_chooser));
  g_clear_object (&self->ca_chooser);
  gtk_widget_dispose_template (GTK_WIDGET (self), TT_TYPE_SETTINGS_PAGE);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tt_settings_page_parent_class)->dispose (object);
}

static void
tt_settings_page_class_init (TtSettingsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = tt_settings_page_constructed;
  object_class->get_property = tt_settings_page_get_property;
  object_class->set_property = tt_settings_page_set_property;
  object_class->dispose = tt_settings_page_dispose;

  properties[PROP_SETTINGS] =
    g_param_spec_object ("settings", NULL, NULL,
                         TT_TYPE_SETTINGS,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  key_quark = g_quark_from_static_string ("tt-settings-key");

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/tantay/TanTay/tt-settings-page.ui");
  gtk_widget_class_bind_template_child (widget_class, TtSettingsPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, TtSettingsPage, ca_row);
  gtk_widget_class_bind_template_child (widget_class, TtSettingsPage, ca_clear_button);
  gtk_widget_class_bind_template_child (widget_class, TtSettingsPage, gap_spin);
  gtk_widget_class_bind_template_child (widget_class, TtSettingsPage, min_length_spin);
  gtk_widget_class_bind_template_child (widget_class, TtSettingsPage, prefix_row);
  gtk_widget_class_bind_template_child (widget_class, TtSettingsPage, suffix_row);
  gtk_widget_class_bind_template_child (widget_class, TtSettingsPage, sound_switch);
  gtk_widget_class_bind_template_child (widget_class, TtSettingsPage, pipeline_row);
  gtk_widget_class_bind_template_child (widget_class, TtSettingsPage, gps_host_row);
  gtk_widget_class_bind_template_child (widget_class, TtSettingsPage, gps_port_spin);
  gtk_widget_class_bind_template_child (widget_class, TtSettingsPage, accuracy_spin);
  gtk_widget_class_bind_template_child (widget_class, TtSettingsPage, fix_wait_spin);
  gtk_widget_class_bind_template_child (widget_class, TtSettingsPage, fix_window_spin);
  gtk_widget_class_bind_template_child (widget_class, TtSettingsPage, distance_spin);
  gtk_widget_class_bind_template_child (widget_class, TtSettingsPage, route_sort_row);
  gtk_widget_class_bind_template_child (widget_class, TtSettingsPage, retention_spin);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_apply);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_ca_choose_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_ca_clear_clicked);
}

static void
tt_settings_page_init (TtSettingsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
tt_settings_page_new (TtSettings *settings)
{
  g_return_val_if_fail (TT_IS_SETTINGS (settings), NULL);

  return g_object_new (TT_TYPE_SETTINGS_PAGE, "settings", settings, NULL);
}

TtSettings *
tt_settings_page_get_settings (TtSettingsPage *self)
{
  g_return_val_if_fail (TT_IS_SETTINGS_PAGE (self), NULL);
  return self->settings;
}

GtkWindow *
tt_settings_page_new_window (TtSettings *settings,
                             GtkWindow  *parent)
{
  AdwPreferencesWindow *window;

  g_return_val_if_fail (TT_IS_SETTINGS (settings), NULL);

  window = g_object_new (ADW_TYPE_PREFERENCES_WINDOW,
                         "title", _("Settings"),
                         "transient-for", parent,
                         "modal", parent != NULL,
                         "default-width", 360,
                         "default-height", 720,
                         NULL);
  adw_preferences_window_add (window, ADW_PREFERENCES_PAGE (tt_settings_page_new (settings)));
  return GTK_WINDOW (window);
}
