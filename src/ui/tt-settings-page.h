/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tt-settings.h"

G_BEGIN_DECLS

#define TT_TYPE_SETTINGS_PAGE (tt_settings_page_get_type ())
G_DECLARE_FINAL_TYPE (TtSettingsPage, tt_settings_page, TT, SETTINGS_PAGE, AdwPreferencesPage)

GtkWidget  *tt_settings_page_new          (TtSettings     *settings);
TtSettings *tt_settings_page_get_settings (TtSettingsPage *self);

/* The page in its own preferences window, for the app.preferences action. */
GtkWindow  *tt_settings_page_new_window   (TtSettings     *settings,
                                           GtkWindow      *parent);

G_END_DECLS
