/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tt-camera.h"

G_BEGIN_DECLS

#define TT_TYPE_CAMERA_PAGE (tt_camera_page_get_type ())
G_DECLARE_FINAL_TYPE (TtCameraPage, tt_camera_page, TT, CAMERA_PAGE, AdwBin)

/* A page that scans with the camera while it is shown (live preview,
 * torch where the camera has one, the last code read) and takes typed
 * codes for damaged labels.  Emits "scanned" (GBytes: the exact
 * payload) for both.  @source: the camera-pipeline setting. */
GtkWidget  *tt_camera_page_new         (const char   *source);
TtCamera   *tt_camera_page_get_camera  (TtCameraPage *self);
/* What the page says about the last code or the camera's state. */
const char *tt_camera_page_get_status  (TtCameraPage *self);

G_END_DECLS
