/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-settings"

#include "config.h"

#include <errno.h>
#include <glib/gi18n-lib.h>
#include <gst/gst.h>
#include <math.h>
#include <string.h>

#include "tt-settings.h"

enum {
  PROP_0,
  PROP_SERVER_URL,
  PROP_CA_FILE,
  PROP_SCANNER_MAX_GAP_MS,
  PROP_SCANNER_MIN_LENGTH,
  PROP_SCANNER_PREFIX,
  PROP_SCANNER_SUFFIX,
  PROP_CAMERA_PIPELINE,
  PROP_FEEDBACK_SOUND,
  PROP_GPS_HOST,
  PROP_GPS_PORT,
  PROP_FIX_WINDOW_S,
  PROP_FIX_WAIT_S,
  PROP_FIX_ACCURACY_M,
  PROP_DISTANCE_WARNING_M,
  PROP_ROUTE_SORT,
  PROP_RETENTION_DAYS,
  N_PROPS
};

struct _TtSettings
{
  GObject          parent_instance;

  GSettings       *settings;
  GSettingsSchema *schema;
  /* Last known value of every key, so string getters can hand out
   * pointers that stay valid until the key changes. */
  GVariant        *values[N_PROPS];
};

static GParamSpec *properties[N_PROPS];

/* Every property is named after its key.  The ranges repeat the schema's
 * so that a binding (a spin button, a switch) is clamped before it ever
 * reaches GSettings; tests/test-settings.c fails if the two drift apart. */
typedef struct
{
  const char *key;
  char        type;            /* GVariant type character */
  double      min;
  double      max;
  const char *fallback;        /* as GVariant text */
  const char *label;           /* for messages; the schema's summary */
} TtSettingsKey;

static const TtSettingsKey keys[N_PROPS] = {
  [PROP_SERVER_URL]         = { "server-url", 's', 0, 0, "''", N_("Tracking server") },
  [PROP_CA_FILE]            = { "ca-file", 's', 0, 0, "''", N_("Extra certificate authority") },
  [PROP_SCANNER_MAX_GAP_MS] = { "scanner-max-gap-ms", 'u', 5, 200, "uint32 40", N_("Scanner key gap") },
  [PROP_SCANNER_MIN_LENGTH] = { "scanner-min-length", 'u', 1, 64, "uint32 6", N_("Shortest scan") },
  [PROP_SCANNER_PREFIX]     = { "scanner-prefix", 's', 0, 0, "''", N_("Scanner prefix key") },
  [PROP_SCANNER_SUFFIX]     = { "scanner-suffix", 's', 0, 0, "''", N_("Scanner suffix key") },
  [PROP_CAMERA_PIPELINE]    = { "camera-pipeline", 's', 0, 0, "''", N_("Camera pipeline") },
  [PROP_FEEDBACK_SOUND]     = { "feedback-sound", 'b', 0, 0, "true", N_("Sound on scan") },
  [PROP_GPS_HOST]           = { "gps-host", 's', 0, 0, "'localhost'", N_("gpsd host") },
  [PROP_GPS_PORT]           = { "gps-port", 'u', 1, 65535, "uint32 2947", N_("gpsd port") },
  [PROP_FIX_WINDOW_S]       = { "fix-window-s", 'u', 1, 600, "uint32 30", N_("Recent fix window") },
  [PROP_FIX_WAIT_S]         = { "fix-wait-s", 'u', 0, 300, "uint32 20", N_("Wait for a good fix") },
  [PROP_FIX_ACCURACY_M]     = { "fix-accuracy-m", 'd', 1, 10000, "50.0", N_("Good enough accuracy") },
  [PROP_DISTANCE_WARNING_M] = { "distance-warning-m", 'u', 10, 100000, "uint32 300", N_("Distance warning") },
  [PROP_ROUTE_SORT]         = { "route-sort", 's', 0, 0, "'route'", N_("Route order") },
  [PROP_RETENTION_DAYS]     = { "retention-days", 'u', 1, 365, "uint32 30", N_("Keep delivered items") },
};

G_DEFINE_FINAL_TYPE (TtSettings, tt_settings, G_TYPE_OBJECT)
G_DEFINE_QUARK (tt-settings-error-quark, tt_settings_error)

static guint
prop_for_key (const char *key)
{
  for (guint i = PROP_0 + 1; i < N_PROPS; i++)
    if (g_str_equal (keys[i].key, key))
      return i;
  return PROP_0;
}

static GVariant *
value_of (TtSettings *self,
          guint       prop_id)
{
  g_assert (prop_id > PROP_0 && prop_id < N_PROPS);
  return self->values[prop_id];
}

/* Re-reads one key and notifies when it changed.  Called both when
 * GSettings says so and right after our own writes, so getters see a new
 * value at once whichever comes first; the second call finds nothing new. */
static void
sync_value (TtSettings *self,
            guint       prop_id,
            gboolean    notify)
{
  g_autoptr(GVariant) value = g_settings_get_value (self->settings, keys[prop_id].key);

  if (self->values[prop_id] != NULL && g_variant_equal (self->values[prop_id], value))
    return;

  g_clear_pointer (&self->values[prop_id], g_variant_unref);
  self->values[prop_id] = g_steal_pointer (&value);
  if (notify)
    g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static void
on_changed (GSettings  *settings,
            const char *key,
            TtSettings *self)
{
  guint prop_id = prop_for_key (key);

  if (prop_id != PROP_0)
    sync_value (self, prop_id, TRUE);
}

static const char *
key_label (TtSettings *self,
           const char *key)
{
  guint prop_id = prop_for_key (key);

  return prop_id != PROP_0 ? _(keys[prop_id].label) : key;
}

static gboolean
check_range (TtSettings  *self,
             const char  *key,
             GVariant    *value,
             GError     **error)
{
  g_autoptr(GSettingsSchemaKey) schema_key = g_settings_schema_get_key (self->schema, key);
  g_autoptr(GVariant) range = NULL;
  g_autoptr(GVariant) detail = NULL;
  const char *kind;

  if (g_settings_schema_key_range_check (schema_key, value))
    return TRUE;

  range = g_settings_schema_key_get_range (schema_key);
  g_variant_get (range, "(&sv)", &kind, &detail);

  if (g_str_equal (kind, "range"))
    {
      g_autoptr(GVariant) lo = g_variant_get_child_value (detail, 0);
      g_autoptr(GVariant) hi = g_variant_get_child_value (detail, 1);
      g_autofree char *lo_text = g_variant_print (lo, FALSE);
      g_autofree char *hi_text = g_variant_print (hi, FALSE);

      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_OUT_OF_RANGE,
                   _("%s: the value must be between %s and %s."),
                   key_label (self, key), lo_text, hi_text);
    }
  else if (g_str_equal (kind, "enum"))
    {
      g_autofree const char **choices = g_variant_get_strv (detail, NULL);
      g_autofree char *list = g_strjoinv (", ", (char **) choices);

      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_OUT_OF_RANGE,
                   _("%s: the value must be one of: %s."), key_label (self, key), list);
    }
  else
    {
      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_OUT_OF_RANGE,
                   _("%s: this value is not allowed."), key_label (self, key));
    }
  return FALSE;
}

gboolean
tt_settings_check_host (const char  *host,
                        GError     **error)
{
  g_autofree char *ascii = NULL;
  gsize len;

  if (host == NULL || *host == '\0')
    {
      g_set_error_literal (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_INVALID,
                           _("The host name is empty."));
      return FALSE;
    }

  if (g_hostname_is_ip_address (host))
    return TRUE;

  /* Accepts internationalised names too; checks the ASCII form. */
  ascii = g_hostname_to_ascii (host);
  len = ascii ? strlen (ascii) : 0;
  if (ascii == NULL || len > 253)
    goto bad;

  for (char **labels = g_strsplit (ascii, ".", -1), **l = labels; ; l++)
    {
      gboolean ok = TRUE;

      if (*l == NULL)
        {
          g_strfreev (labels);
          break;
        }
      /* A single trailing dot (fully-qualified form) is fine. */
      if (**l == '\0' && l[1] == NULL && l != labels)
        continue;
      if (**l == '\0' || strlen (*l) > 63 || **l == '-' || (*l)[strlen (*l) - 1] == '-')
        ok = FALSE;
      for (const char *c = *l; ok && *c; c++)
        if (!g_ascii_isalnum (*c) && *c != '-')
          ok = FALSE;
      if (!ok)
        {
          g_strfreev (labels);
          goto bad;
        }
    }
  return TRUE;

bad:
  g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_INVALID,
               _("“%s” is not a host name or an IP address."), host);
  return FALSE;
}

gboolean
tt_settings_check_ca_file (const char  *path,
                           GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GList *certs;
  guint n;

  if (path == NULL || *path == '\0')
    return TRUE;

  if (!g_path_is_absolute (path))
    {
      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_CA_FILE,
                   _("“%s” is not a full path; choose the certificate file again."), path);
      return FALSE;
    }

  if (g_file_test (path, G_FILE_TEST_IS_DIR))
    {
      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_CA_FILE,
                   _("“%s” is a folder, not a certificate file."), path);
      return FALSE;
    }
  if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
    {
      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_CA_FILE,
                   _("The certificate file “%s” does not exist."), path);
      return FALSE;
    }

  certs = g_tls_certificate_list_new_from_file (path, &local_error);
  n = g_list_length (certs);
  g_list_free_full (certs, g_object_unref);
  if (local_error != NULL || n == 0)
    {
      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_CA_FILE,
                   _("“%s” holds no PEM certificate: %s"), path,
                   local_error ? local_error->message : _("no certificate was found in it."));
      return FALSE;
    }
  return TRUE;
}

gboolean
tt_settings_check_camera_pipeline (const char  *description,
                                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GstElement) pipeline = NULL;
  g_autofree char *trimmed = g_strstrip (g_strdup (description ? description : ""));
  g_autofree char *full = NULL;

  if (*trimmed == '\0')
    return TRUE;

  if (!gst_init_check (NULL, NULL, &local_error))
    {
      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_INVALID,
                   _("The camera pipeline cannot be checked: %s"), local_error->message);
      return FALSE;
    }

  /* The app appends its own converter and sink; a description that does
   * not end in something producing video fails to link here. */
  full = g_strdup_printf ("%s ! videoconvert ! fakesink", trimmed);
  pipeline = gst_parse_launch_full (full, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &local_error);
  if (pipeline != NULL)
    gst_object_ref_sink (pipeline);
  if (local_error != NULL || pipeline == NULL)
    {
      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_INVALID,
                   _("The camera pipeline is not valid: %s"),
                   local_error ? local_error->message : _("unknown error"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_server_url (const char  *url,
                  GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || *url == '\0')
    return TRUE;

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  scheme = uri ? g_uri_get_scheme (uri) : NULL;
  host = uri ? g_uri_get_host (uri) : NULL;
  if (uri == NULL || host == NULL || *host == '\0'
      || (g_strcmp0 (scheme, "https") != 0 && g_strcmp0 (scheme, "http") != 0))
    {
      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_INVALID,
                   _("“%s” is not a web address of a tracking server."), url);
      return FALSE;
    }

  /* Personal data never crosses a network in clear text; plain HTTP is
   * only for a server on this very device (tests, demo). */
  if (g_str_equal (scheme, "http")
      && !g_str_equal (host, "localhost")
      && !g_str_equal (host, "127.0.0.1")
      && !g_str_equal (host, "::1"))
    {
      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_INVALID,
                   _("The tracking server must use https (“%s”)."), url);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_key_name (TtSettings  *self,
                const char  *key,
                const char  *name,
                GError     **error)
{
  /* Key names are X keysym names (F13, Pause, …); the UI resolves them.
   * Here only what can never be a key name is refused. */
  for (const char *c = name; *c; c++)
    if (!g_ascii_isalnum (*c) && *c != '_')
      {
        g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_INVALID,
                     _("%s: “%s” is not a key name (for example F13 or Pause)."),
                     key_label (self, key), name);
        return FALSE;
      }
  return TRUE;
}

static gboolean
check_meaning (TtSettings  *self,
               guint        prop_id,
               GVariant    *value,
               GError     **error)
{
  switch (prop_id)
    {
    case PROP_GPS_HOST:
      return tt_settings_check_host (g_variant_get_string (value, NULL), error);
    case PROP_CA_FILE:
      return tt_settings_check_ca_file (g_variant_get_string (value, NULL), error);
    case PROP_CAMERA_PIPELINE:
      return tt_settings_check_camera_pipeline (g_variant_get_string (value, NULL), error);
    case PROP_SCANNER_PREFIX:
    case PROP_SCANNER_SUFFIX:
      return check_key_name (self, keys[prop_id].key, g_variant_get_string (value, NULL), error);
    case PROP_SERVER_URL:
      return check_server_url (g_variant_get_string (value, NULL), error);
    default:
      return TRUE;
    }
}

static gboolean
write_value (TtSettings  *self,
             guint        prop_id,
             GVariant    *value,
             GError     **error)
{
  if (!g_settings_set_value (self->settings, keys[prop_id].key, value))
    {
      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_INVALID,
                   _("%s cannot be changed on this device."), key_label (self, keys[prop_id].key));
      return FALSE;
    }
  sync_value (self, prop_id, TRUE);
  return TRUE;
}

static gboolean
set_checked (TtSettings  *self,
             guint        prop_id,
             GVariant    *value,
             GError     **error)
{
  const char *key = keys[prop_id].key;
  char type[2] = { keys[prop_id].type, '\0' };
  g_autoptr(GVariant) owned = g_variant_ref_sink (value);
  g_autoptr(GVariant) normalised = NULL;

  if (!g_variant_is_of_type (owned, G_VARIANT_TYPE (type)))
    {
      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_WRONG_TYPE,
                   _("%s: a value of type “%s” was given where “%s” is expected."),
                   key_label (self, key), g_variant_get_type_string (owned), type);
      return FALSE;
    }

  /* Spaces around typed text are never meant. */
  if (keys[prop_id].type == 's')
    {
      g_autofree char *text = g_strstrip (g_variant_dup_string (owned, NULL));

      if (!g_utf8_validate (text, -1, NULL))
        {
          g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_INVALID,
                       _("%s: the text is not valid UTF-8."), key_label (self, key));
          return FALSE;
        }
      normalised = g_variant_ref_sink (g_variant_new_string (text));
    }
  else
    normalised = g_variant_ref (owned);

  if (!check_range (self, key, normalised, error)
      || !check_meaning (self, prop_id, normalised, error))
    return FALSE;

  return write_value (self, prop_id, normalised, error);
}

static void
tt_settings_get_property (GObject    *object,
                          guint       prop_id,
                          GValue     *value,
                          GParamSpec *pspec)
{
  TtSettings *self = TT_SETTINGS (object);
  GVariant *v;

  if (prop_id == PROP_0 || prop_id >= N_PROPS)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  v = value_of (self, prop_id);
  switch (keys[prop_id].type)
    {
    case 's':
      g_value_set_string (value, g_variant_get_string (v, NULL));
      break;
    case 'u':
      g_value_set_uint (value, g_variant_get_uint32 (v));
      break;
    case 'd':
      g_value_set_double (value, g_variant_get_double (v));
      break;
    case 'b':
      g_value_set_boolean (value, g_variant_get_boolean (v));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
tt_settings_set_property (GObject      *object,
                          guint         prop_id,
                          const GValue *value,
                          GParamSpec   *pspec)
{
  TtSettings *self = TT_SETTINGS (object);
  g_autoptr(GError) error = NULL;
  g_autoptr(GVariant) v = NULL;

  if (prop_id == PROP_0 || prop_id >= N_PROPS)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }

  switch (keys[prop_id].type)
    {
    case 's':
      v = g_variant_new_string (g_value_get_string (value) ? g_value_get_string (value) : "");
      break;
    case 'u':
      v = g_variant_new_uint32 (g_value_get_uint (value));
      break;
    case 'd':
      v = g_variant_new_double (g_value_get_double (value));
      break;
    case 'b':
      v = g_variant_new_boolean (g_value_get_boolean (value));
      break;
    default:
      g_assert_not_reached ();
    }

  /* Bindings echo every value back when they are set up; writing it
   * would turn a default into a user value that no update could change. */
  g_variant_ref_sink (v);
  if (g_variant_equal (v, value_of (self, prop_id)))
    return;

  /* Properties are for bindings, whose widgets already keep values in
   * range; a value the schema refuses here is a bug in the caller. */
  if (!set_checked (self, prop_id, v, &error))
    g_warning ("Not setting %s: %s", keys[prop_id].key, error->message);
}

static void
tt_settings_dispose (GObject *object)
{
  TtSettings *self = TT_SETTINGS (object);

  if (self->settings != NULL)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_clear_object (&self->settings);

  G_OBJECT_CLASS (tt_settings_parent_class)->dispose (object);
}

static void
tt_settings_finalize (GObject *object)
{
  TtSettings *self = TT_SETTINGS (object);

  for (guint i = 0; i < N_PROPS; i++)
    g_clear_pointer (&self->values[i], g_variant_unref);
  g_clear_pointer (&self->schema, g_settings_schema_unref);

  G_OBJECT_CLASS (tt_settings_parent_class)->finalize (object);
}

static void
tt_settings_class_init (TtSettingsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags flags = G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = tt_settings_get_property;
  object_class->set_property = tt_settings_set_property;
  object_class->dispose = tt_settings_dispose;
  object_class->finalize = tt_settings_finalize;

  for (guint i = PROP_0 + 1; i < N_PROPS; i++)
    {
      const TtSettingsKey *k = &keys[i];
      g_autoptr(GVariant) fallback = g_variant_parse (NULL, k->fallback, NULL, NULL, NULL);

      g_assert (fallback != NULL);
      switch (k->type)
        {
        case 's':
          properties[i] = g_param_spec_string (k->key, NULL, NULL,
                                               g_variant_get_string (fallback, NULL), flags);
          break;
        case 'u':
          properties[i] = g_param_spec_uint (k->key, NULL, NULL, (guint) k->min, (guint) k->max,
                                             g_variant_get_uint32 (fallback), flags);
          break;
        case 'd':
          properties[i] = g_param_spec_double (k->key, NULL, NULL, k->min, k->max,
                                               g_variant_get_double (fallback), flags);
          break;
        case 'b':
          properties[i] = g_param_spec_boolean (k->key, NULL, NULL,
                                                g_variant_get_boolean (fallback), flags);
          break;
        default:
          g_assert_not_reached ();
        }
    }

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_settings_init (TtSettings *self)
{
}

/**
 * tt_settings_new:
 *
 * Opens the app's settings.  The application creates one and hands it to
 * whatever needs it; tests get their own with GSETTINGS_BACKEND=memory.
 *
 * Returns: (transfer full): the settings, or %NULL with @error set when
 *   the schema is not installed (a broken installation: GLib would abort).
 */
TtSettings *
tt_settings_new (GError **error)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr(GSettingsSchema) schema = NULL;
  g_autoptr(TtSettings) self = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, TT_SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_NO_SCHEMA,
                   _("The settings schema %s is not installed; reinstall the app."),
                   TT_SETTINGS_SCHEMA_ID);
      return NULL;
    }

  for (guint i = PROP_0 + 1; i < N_PROPS; i++)
    if (!g_settings_schema_has_key (schema, keys[i].key))
      {
        g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_NO_SCHEMA,
                     _("The installed settings schema has no key “%s”; reinstall the app."),
                     keys[i].key);
        return NULL;
      }

  self = g_object_new (TT_TYPE_SETTINGS, NULL);
  self->schema = g_steal_pointer (&schema);
  self->settings = g_settings_new_full (self->schema, NULL, NULL);
  for (guint i = PROP_0 + 1; i < N_PROPS; i++)
    sync_value (self, i, FALSE);
  g_signal_connect (self->settings, "changed", G_CALLBACK (on_changed), self);

  return g_steal_pointer (&self);
}

/**
 * tt_settings_get_gsettings:
 *
 * Returns: (transfer none): the underlying GSettings, for g_settings_bind()
 *   and actions (g_settings_create_action()).
 */
GSettings *
tt_settings_get_gsettings (TtSettings *self)
{
  g_return_val_if_fail (TT_IS_SETTINGS (self), NULL);
  return self->settings;
}

gboolean
tt_settings_set_checked (TtSettings  *self,
                         const char  *key,
                         GVariant    *value,
                         GError     **error)
{
  g_autoptr(GVariant) owned = NULL;
  guint prop_id;

  g_return_val_if_fail (TT_IS_SETTINGS (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (value != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  owned = g_variant_ref_sink (value);
  prop_id = prop_for_key (key);
  if (prop_id == PROP_0)
    {
      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_UNKNOWN_KEY,
                   _("There is no setting called “%s”."), key);
      return FALSE;
    }
  if (prop_id == PROP_SERVER_URL)
    {
      g_set_error_literal (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_READ_ONLY,
                           _("The tracking server is set by enrolling the device."));
      return FALSE;
    }
  return set_checked (self, prop_id, owned, error);
}

static gboolean
parse_number (TtSettings  *self,
              const char  *key,
              char         type,
              const char  *text,
              GVariant   **out,
              GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;

  if (type == 'u')
    {
      guint64 n;

      if (g_ascii_string_to_unsigned (copy, 10, 0, G_MAXUINT32, &n, NULL))
        {
          *out = g_variant_new_uint32 ((guint32) n);
          return TRUE;
        }
      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_WRONG_TYPE,
                   _("%s: “%s” is not a whole number."), key_label (self, key), text);
      return FALSE;
    }
  else
    {
      double d;

      /* Vietnamese writes 12,5 for 12.5. */
      g_strdelimit (copy, ",", '.');
      errno = 0;
      d = g_ascii_strtod (copy, &end);
      if (*copy != '\0' && end != NULL && *end == '\0' && errno == 0 && isfinite (d))
        {
          *out = g_variant_new_double (d);
          return TRUE;
        }
      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_WRONG_TYPE,
                   _("%s: “%s” is not a number."), key_label (self, key), text);
      return FALSE;
    }
}

gboolean
tt_settings_set_from_string (TtSettings  *self,
                             const char  *key,
                             const char  *text,
                             GError     **error)
{
  GVariant *value = NULL;
  guint prop_id;

  g_return_val_if_fail (TT_IS_SETTINGS (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  prop_id = prop_for_key (key);
  if (prop_id == PROP_0)
    {
      g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_UNKNOWN_KEY,
                   _("There is no setting called “%s”."), key);
      return FALSE;
    }
  if (text == NULL)
    text = "";

  switch (keys[prop_id].type)
    {
    case 's':
      if (!g_utf8_validate (text, -1, NULL))
        {
          g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_INVALID,
                       _("%s: the text is not valid UTF-8."), key_label (self, key));
          return FALSE;
        }
      value = g_variant_new_string (text);
      break;
    case 'u':
    case 'd':
      if (!parse_number (self, key, keys[prop_id].type, text, &value, error))
        return FALSE;
      break;
    case 'b':
      {
        g_autofree char *copy = g_strstrip (g_ascii_strdown (text, -1));

        if (g_str_equal (copy, "true") || g_str_equal (copy, "1") || g_str_equal (copy, "yes"))
          value = g_variant_new_boolean (TRUE);
        else if (g_str_equal (copy, "false") || g_str_equal (copy, "0") || g_str_equal (copy, "no"))
          value = g_variant_new_boolean (FALSE);
        else
          {
            g_set_error (error, TT_SETTINGS_ERROR, TT_SETTINGS_ERROR_WRONG_TYPE,
                         _("%s: “%s” is neither true nor false."), key_label (self, key), text);
            return FALSE;
          }
      }
      break;
    default:
      g_assert_not_reached ();
    }

  return tt_settings_set_checked (self, key, value, error);
}

/**
 * tt_settings_set_server_url:
 *
 * Used by enrollment.  https only, except for a server on this device.
 */
gboolean
tt_settings_set_server_url (TtSettings  *self,
                            const char  *url,
                            GError     **error)
{
  g_return_val_if_fail (TT_IS_SETTINGS (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return set_checked (self, PROP_SERVER_URL, g_variant_new_string (url ? url : ""), error);
}

#define STRING_GETTER(name, prop)                               \
  const char *                                                  \
  tt_settings_get_##name (TtSettings *self)                     \
  {                                                             \
    g_return_val_if_fail (TT_IS_SETTINGS (self), NULL);         \
    return g_variant_get_string (value_of (self, prop), NULL);  \
  }

#define UINT_GETTER(name, prop)                                 \
  guint                                                         \
  tt_settings_get_##name (TtSettings *self)                     \
  {                                                             \
    g_return_val_if_fail (TT_IS_SETTINGS (self), 0);            \
    return g_variant_get_uint32 (value_of (self, prop));        \
  }

STRING_GETTER (server_url, PROP_SERVER_URL)
STRING_GETTER (ca_file, PROP_CA_FILE)
UINT_GETTER (scanner_max_gap_ms, PROP_SCANNER_MAX_GAP_MS)
UINT_GETTER (scanner_min_length, PROP_SCANNER_MIN_LENGTH)
STRING_GETTER (scanner_prefix, PROP_SCANNER_PREFIX)
STRING_GETTER (scanner_suffix, PROP_SCANNER_SUFFIX)
STRING_GETTER (camera_pipeline, PROP_CAMERA_PIPELINE)
STRING_GETTER (gps_host, PROP_GPS_HOST)
UINT_GETTER (gps_port, PROP_GPS_PORT)
UINT_GETTER (fix_window_s, PROP_FIX_WINDOW_S)
UINT_GETTER (fix_wait_s, PROP_FIX_WAIT_S)
UINT_GETTER (distance_warning_m, PROP_DISTANCE_WARNING_M)
STRING_GETTER (route_sort, PROP_ROUTE_SORT)
UINT_GETTER (retention_days, PROP_RETENTION_DAYS)

gboolean
tt_settings_get_feedback_sound (TtSettings *self)
{
  g_return_val_if_fail (TT_IS_SETTINGS (self), FALSE);
  return g_variant_get_boolean (value_of (self, PROP_FEEDBACK_SOUND));
}

double
tt_settings_get_fix_accuracy_m (TtSettings *self)
{
  g_return_val_if_fail (TT_IS_SETTINGS (self), 0.0);
  return g_variant_get_double (value_of (self, PROP_FIX_ACCURACY_M));
}
