/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define TT_CAMERA_ERROR (tt_camera_error_quark ())

typedef enum
{
  TT_CAMERA_ERROR_NO_CAMERA,    /* no camera, or it cannot be opened */
  TT_CAMERA_ERROR_DENIED,       /* the camera portal refused access */
  TT_CAMERA_ERROR_PIPELINE,     /* the camera-pipeline setting is unusable */
  TT_CAMERA_ERROR_STREAM,       /* the camera failed while running */
  TT_CAMERA_ERROR_NO_TORCH,     /* the camera has no torch we can drive */
} TtCameraError;

#define TT_TYPE_CAMERA (tt_camera_get_type ())
G_DECLARE_FINAL_TYPE (TtCamera, tt_camera, TT, CAMERA, GObject)

GQuark      tt_camera_error_quark      (void);

/* @source: a GStreamer pipeline description ending in a video source
 * (the camera-pipeline setting), "portal" for the camera portal, or
 * NULL/empty for the camera portal when sandboxed and v4l2src otherwise. */
TtCamera   *tt_camera_new              (const char  *source);
const char *tt_camera_get_source       (TtCamera    *self);

/* Starts capturing.  Frames are decoded on a worker thread (frames that
 * arrive while one is decoded are dropped); "code-found",
 * "preview-frame" and "error" are emitted on the thread-default main
 * context of the caller.  Fails at once when there is no camera or the
 * pipeline cannot be built; later failures come as "error". */
gboolean    tt_camera_start            (TtCamera    *self,
                                        GError     **error);
void        tt_camera_stop             (TtCamera    *self);
gboolean    tt_camera_get_running      (TtCamera    *self);

/* Widest preview frame delivered, in pixels (default 640). */
void        tt_camera_set_preview_width (TtCamera   *self,
                                         guint       width);

gboolean    tt_camera_get_has_torch    (TtCamera    *self);
gboolean    tt_camera_get_torch        (TtCamera    *self);
gboolean    tt_camera_set_torch        (TtCamera    *self,
                                        gboolean     on,
                                        GError     **error);

G_END_DECLS
