/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TT_SETTINGS_SCHEMA_ID "io.github.tantay.TanTay"

#define TT_SETTINGS_ERROR (tt_settings_error_quark ())

typedef enum
{
  TT_SETTINGS_ERROR_NO_SCHEMA,     /* the schema is not installed */
  TT_SETTINGS_ERROR_UNKNOWN_KEY,
  TT_SETTINGS_ERROR_WRONG_TYPE,
  TT_SETTINGS_ERROR_OUT_OF_RANGE,
  TT_SETTINGS_ERROR_INVALID,       /* well-typed but unusable, e.g. bad host */
  TT_SETTINGS_ERROR_CA_FILE,       /* unreadable or not a PEM certificate */
  TT_SETTINGS_ERROR_READ_ONLY,     /* set by enrollment, not by hand */
} TtSettingsError;

#define TT_TYPE_SETTINGS (tt_settings_get_type ())
G_DECLARE_FINAL_TYPE (TtSettings, tt_settings, TT, SETTINGS, GObject)

GQuark      tt_settings_error_quark            (void);

TtSettings *tt_settings_new                    (GError     **error);
GSettings  *tt_settings_get_gsettings          (TtSettings  *self);

/* Stores a value typed by a courier or IT staff: checks its type, the
 * schema's range and what the key means (a host name, a PEM file, a
 * GStreamer pipeline …).  On error nothing is written and the message
 * says what is wrong in words the user can act on. */
gboolean    tt_settings_set_checked            (TtSettings  *self,
                                                const char  *key,
                                                GVariant    *value,
                                                GError     **error);
/* Same, from text (numbers as typed, booleans as true/false). */
gboolean    tt_settings_set_from_string        (TtSettings  *self,
                                                const char  *key,
                                                const char  *text,
                                                GError     **error);

/* The checks tt_settings_set_checked() applies, for live feedback. */
gboolean    tt_settings_check_host             (const char  *host,
                                                GError     **error);
gboolean    tt_settings_check_ca_file          (const char  *path,
                                                GError     **error);
gboolean    tt_settings_check_camera_pipeline  (const char  *description,
                                                GError     **error);

/* Only enrollment changes the server; it is shown read-only elsewhere. */
gboolean    tt_settings_set_server_url         (TtSettings  *self,
                                                const char  *url,
                                                GError     **error);

const char *tt_settings_get_server_url         (TtSettings  *self);
const char *tt_settings_get_ca_file            (TtSettings  *self);
guint       tt_settings_get_scanner_max_gap_ms (TtSettings  *self);
guint       tt_settings_get_scanner_min_length (TtSettings  *self);
const char *tt_settings_get_scanner_prefix     (TtSettings  *self);
const char *tt_settings_get_scanner_suffix     (TtSettings  *self);
const char *tt_settings_get_camera_pipeline    (TtSettings  *self);
gboolean    tt_settings_get_feedback_sound     (TtSettings  *self);
const char *tt_settings_get_gps_host           (TtSettings  *self);
guint       tt_settings_get_gps_port           (TtSettings  *self);
guint       tt_settings_get_fix_window_s       (TtSettings  *self);
guint       tt_settings_get_fix_wait_s         (TtSettings  *self);
double      tt_settings_get_fix_accuracy_m     (TtSettings  *self);
guint       tt_settings_get_distance_warning_m (TtSettings  *self);
const char *tt_settings_get_route_sort         (TtSettings  *self);
guint       tt_settings_get_retention_days     (TtSettings  *self);

G_END_DECLS
