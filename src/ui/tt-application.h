/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tt-location.h"
#include "tt-route-model.h"
#include "tt-settings.h"
#include "tt-store.h"
#include "tt-sync.h"

G_BEGIN_DECLS

#define TT_TYPE_APPLICATION (tt_application_get_type ())
G_DECLARE_FINAL_TYPE (TtApplication, tt_application, TT, APPLICATION, AdwApplication)

TtApplication *tt_application_new              (void);
/* NULL when the store could not be opened (see _get_store_error). */
TtStore       *tt_application_get_store        (TtApplication  *self);
const GError  *tt_application_get_store_error  (TtApplication  *self);
TtRouteModel  *tt_application_get_route_model  (TtApplication  *self);
/* NULL when the settings schema is not installed (a broken installation). */
TtSettings    *tt_application_get_settings     (TtApplication  *self);
const char    *tt_application_get_data_dir     (TtApplication  *self);
/* The sync engine of the data folder; NULL when the store is. */
TtSync        *tt_application_get_sync         (TtApplication  *self);
/* Loads the demo route shipped with the app; refuses when a route is
 * already there so a real route is never replaced by demo data. */
gboolean       tt_application_load_demo        (TtApplication  *self,
                                                GError        **error);
/* location */
TtLocation    *tt_application_get_location     (TtApplication  *self);

G_END_DECLS
