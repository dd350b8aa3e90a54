/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-camera"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <gio/gunixfdlist.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <gst/app/gstappsink.h>
#include <gst/gst.h>
#include <gst/video/video.h>
#include <linux/videodev2.h>
#include <string.h>
#include <sys/ioctl.h>

#include "tt-camera.h"
#include "tt-qr.h"

/* The same code held in front of the lens is reported once per this. */
#define REPEAT_INTERVAL_US (2 * G_USEC_PER_SEC)

struct _TtCamera
{
  GObject          parent_instance;

  char            *source;
  guint            preview_width;
  GMainContext    *context;        /* where signals are emitted */

  GstElement      *pipeline;
  GSource         *bus_source;
  GThread         *decoder;
  GAsyncQueue     *frames;         /* GstSample, or &stop_marker */
  int              decoding;       /* atomic: a frame is being decoded */
  int              preview_pending;/* atomic: a preview frame is on its way */
  int              generation;     /* atomic: bumped by stop, stale news dropped */
  gboolean         running;

  gboolean         has_torch;
  gboolean         torch;
  int              v4l2_fd;        /* owned by v4l2src */

  char            *last_code;
  gint64           last_code_time;

  /* camera portal (sandboxed) */
  GCancellable    *cancellable;
  GDBusConnection *session;
  guint            response_id;
  int              pipewire_fd;
};

G_DEFINE_FINAL_TYPE (TtCamera, tt_camera, G_TYPE_OBJECT)
G_DEFINE_QUARK (tt-camera-error-quark, tt_camera_error)

enum {
  PROP_0,
  PROP_SOURCE,
  PROP_RUNNING,
  PROP_HAS_TORCH,
  PROP_TORCH,
  N_PROPS
};

enum {
  CODE_FOUND,
  PREVIEW_FRAME,
  ERROR,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];
static int stop_marker;

static void teardown (TtCamera *self,
                      gboolean  drop_news);

/* News from the streaming and decoder threads, handed to the main
 * context. */
typedef struct
{
  TtCamera *self;
  int       generation;
  GBytes   *bytes;
  guint     width;
  guint     height;
  guint     stride;
} News;

static void
news_free (gpointer data)
{
  News *n = data;

  g_clear_pointer (&n->bytes, g_bytes_unref);
  g_object_unref (n->self);
  g_free (n);
}

static News *
news_new (TtCamera *self,
          GBytes   *bytes)
{
  News *n = g_new0 (News, 1);

  n->self = g_object_ref (self);
  n->generation = g_atomic_int_get (&self->generation);
  n->bytes = bytes;
  return n;
}

static gboolean
news_is_current (News *n)
{
  return n->generation == g_atomic_int_get (&n->self->generation);
}

static gboolean
emit_code (gpointer data)
{
  News *n = data;
  TtCamera *self = n->self;
  gint64 now = g_get_monotonic_time ();
  gsize len;
  const char *d = g_bytes_get_data (n->bytes, &len);

  if (!news_is_current (n))
    return G_SOURCE_REMOVE;
  if (self->last_code != NULL && strlen (self->last_code) == len && memcmp (self->last_code, d, len) == 0
      && now - self->last_code_time < REPEAT_INTERVAL_US)
    {
      self->last_code_time = now;
      return G_SOURCE_REMOVE;
    }
  g_free (self->last_code);
  self->last_code = g_strndup (d, len);
  self->last_code_time = now;
  g_signal_emit (self, signals[CODE_FOUND], 0, n->bytes);
  return G_SOURCE_REMOVE;
}

static gboolean
emit_preview (gpointer data)
{
  News *n = data;

  g_atomic_int_set (&n->self->preview_pending, 0);
  if (news_is_current (n))
    g_signal_emit (n->self, signals[PREVIEW_FRAME], 0, n->bytes, n->width, n->height, n->stride);
  return G_SOURCE_REMOVE;
}

/* Always through a source, never g_main_context_invoke(): that runs @func
 * at once on the calling (streaming) thread whenever the main context
 * happens to be free, and a handler that stops the camera there would
 * wait for its own thread. */
static void
post (TtCamera    *self,
      GSourceFunc  func,
      News        *n)
{
  g_autoptr(GSource) source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, n, news_free);
  g_source_set_static_name (source, "[tantay] camera news");
  g_source_attach (source, self->context);
}

/* Decoder thread: owns its zbar scanner, takes one frame at a time. */
static gpointer
decoder_main (gpointer data)
{
  TtCamera *self = data;
  g_autoptr(TtQr) qr = tt_qr_new ();

  for (;;)
    {
      gpointer item = g_async_queue_pop (self->frames);
      GstSample *sample;
      GstVideoInfo info;
      GstMapInfo map;

      if (item == &stop_marker)
        break;
      sample = item;
      if (gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
          && gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ))
        {
          g_autoptr(GPtrArray) found =
            tt_qr_decode_gray8 (qr, map.data, GST_VIDEO_INFO_WIDTH (&info),
                                GST_VIDEO_INFO_HEIGHT (&info),
                                GST_VIDEO_INFO_PLANE_STRIDE (&info, 0), TT_QR_EFFORT_FRAME);

          gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
          for (guint i = 0; i < found->len; i++)
            post (self, emit_code, news_new (self, g_bytes_ref (found->pdata[i])));
        }
      gst_sample_unref (sample);
      g_atomic_int_set (&self->decoding, 0);
    }
  return NULL;
}

/* Streaming thread.  A frame that comes while the last is still being
 * decoded is dropped: the camera must never queue up behind zbar. */
static GstFlowReturn
on_gray_sample (GstAppSink *sink,
                gpointer    data)
{
  TtCamera *self = data;
  GstSample *sample = gst_app_sink_pull_sample (sink);

  if (sample == NULL)
    return GST_FLOW_OK;
  if (g_atomic_int_compare_and_exchange (&self->decoding, 0, 1))
    g_async_queue_push (self->frames, sample);
  else
    gst_sample_unref (sample);
  return GST_FLOW_OK;
}

static GstFlowReturn
on_preview_sample (GstAppSink *sink,
                   gpointer    data)
{
  TtCamera *self = data;
  g_autoptr(GstSample) sample = gst_app_sink_pull_sample (sink);
  GstVideoInfo info;
  GstMapInfo map;
  News *n;

  if (sample == NULL || !g_atomic_int_compare_and_exchange (&self->preview_pending, 0, 1))
    return GST_FLOW_OK;
  if (!gst_video_info_from_caps (&info, gst_sample_get_caps (sample))
      || !gst_buffer_map (gst_sample_get_buffer (sample), &map, GST_MAP_READ))
    {
      g_atomic_int_set (&self->preview_pending, 0);
      return GST_FLOW_OK;
    }
  n = news_new (self, g_bytes_new (map.data,
                                   (gsize) GST_VIDEO_INFO_PLANE_STRIDE (&info, 0)
                                   * GST_VIDEO_INFO_HEIGHT (&info)));
  n->width = GST_VIDEO_INFO_WIDTH (&info);
  n->height = GST_VIDEO_INFO_HEIGHT (&info);
  n->stride = GST_VIDEO_INFO_PLANE_STRIDE (&info, 0);
  gst_buffer_unmap (gst_sample_get_buffer (sample), &map);
  post (self, emit_preview, n);
  return GST_FLOW_OK;
}

/* GStreamer's resource errors (no such device, busy, no permission)
 * mean there is no camera we can use; anything else is the pipeline. */
static void
set_error_from_gst (GError    **error,
                    GError     *gst_error,
                    gboolean    starting)
{
  if (gst_error->domain == GST_RESOURCE_ERROR)
    g_set_error (error, TT_CAMERA_ERROR, TT_CAMERA_ERROR_NO_CAMERA,
                 _("No camera could be opened: %s"), gst_error->message);
  else if (starting)
    g_set_error (error, TT_CAMERA_ERROR, TT_CAMERA_ERROR_PIPELINE,
                 _("The camera could not start: %s"), gst_error->message);
  else
    g_set_error (error, TT_CAMERA_ERROR, TT_CAMERA_ERROR_STREAM,
                 _("The camera stopped: %s"), gst_error->message);
}

static void
emit_error (TtCamera *self,
            GError   *error)
{
  g_signal_emit (self, signals[ERROR], 0, error);
}

static void
detect_torch (TtCamera *self)
{
  g_autoptr(GstIterator) it = gst_bin_iterate_recurse (GST_BIN (self->pipeline));
  GValue item = G_VALUE_INIT;
  gboolean has_torch = FALSE;

  self->v4l2_fd = -1;
  while (gst_iterator_next (it, &item) == GST_ITERATOR_OK)
    {
      GstElement *el = g_value_get_object (&item);
      GstElementFactory *factory = gst_element_get_factory (el);

      if (factory != NULL && g_str_equal (GST_OBJECT_NAME (factory), "v4l2src"))
        g_object_get (el, "device-fd", &self->v4l2_fd, NULL);
      g_value_reset (&item);
    }
  g_value_unset (&item);

  /* The torch of a phone camera is the flash LED in torch mode. */
  if (self->v4l2_fd >= 0)
    {
      struct v4l2_queryctrl q = { .id = V4L2_CID_FLASH_LED_MODE };

      has_torch = ioctl (self->v4l2_fd, VIDIOC_QUERYCTRL, &q) == 0
                  && !(q.flags & V4L2_CTRL_FLAG_DISABLED)
                  && q.maximum >= V4L2_FLASH_LED_MODE_TORCH;
    }
  if (has_torch != self->has_torch)
    {
      self->has_torch = has_torch;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_TORCH]);
    }
}

static gboolean
on_bus_message (GstBus     *bus,
                GstMessage *msg,
                gpointer    data)
{
  TtCamera *self = data;

  switch (GST_MESSAGE_TYPE (msg))
    {
    case GST_MESSAGE_ERROR:
      {
        g_autoptr(GError) gerr = NULL;
        g_autoptr(GError) error = NULL;
        g_autofree char *debug = NULL;

        gst_message_parse_error (msg, &gerr, &debug);
        g_debug ("camera error: %s (%s)", gerr->message, debug ? debug : "");
        set_error_from_gst (&error, gerr, FALSE);
        g_object_ref (self);
        tt_camera_stop (self);
        emit_error (self, error);
        g_object_unref (self);
        return G_SOURCE_REMOVE;
      }
    case GST_MESSAGE_EOS:
      /* A file-fed pipeline (tests, demos) ran out of frames: what was
       * read from the last ones is still delivered. */
      teardown (self, FALSE);
      return G_SOURCE_REMOVE;
    case GST_MESSAGE_STATE_CHANGED:
      if (GST_MESSAGE_SRC (msg) == GST_OBJECT (self->pipeline))
        {
          GstState new_state;

          gst_message_parse_state_changed (msg, NULL, &new_state, NULL);
          if (new_state == GST_STATE_PLAYING)
            detect_torch (self);
        }
      break;
    default:
      break;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
start_pipeline (TtCamera    *self,
                const char  *source,
                GError     **error)
{
  g_autoptr(GError) local = NULL;
  g_autoptr(GstElement) gray = NULL;
  g_autoptr(GstElement) preview = NULL;
  g_autoptr(GstBus) bus = NULL;
  g_autofree char *description = NULL;
  GstAppSinkCallbacks gray_cb = { .new_sample = on_gray_sample };
  GstAppSinkCallbacks preview_cb = { .new_sample = on_preview_sample };

  /* Two branches: grey frames for zbar, small RGB frames for the preview
   * (GTK 4.8 textures take RGB, and there is no GTK4 video sink here).
   * Both drop frames rather than queue them. */
  description = g_strdup_printf (
      "%s ! videoconvert ! tee name=tt_tee"
      " tt_tee. ! queue leaky=downstream max-size-buffers=1 ! videoconvert"
      " ! video/x-raw,format=GRAY8 ! appsink name=tt_gray max-buffers=1 drop=true sync=false"
      " tt_tee. ! queue leaky=downstream max-size-buffers=1 ! videoscale ! videoconvert"
      " ! video/x-raw,format=RGB,width=%u,pixel-aspect-ratio=1/1"
      " ! appsink name=tt_preview max-buffers=1 drop=true sync=false",
      source, self->preview_width);

  self->pipeline = gst_parse_launch_full (description, NULL, GST_PARSE_FLAG_FATAL_ERRORS, &local);
  if (self->pipeline == NULL)
    {
      g_set_error (error, TT_CAMERA_ERROR, TT_CAMERA_ERROR_PIPELINE,
                   _("The camera pipeline “%s” is not usable: %s"), source, local->message);
      return FALSE;
    }
  gst_object_ref_sink (self->pipeline);

  gray = gst_bin_get_by_name (GST_BIN (self->pipeline), "tt_gray");
  preview = gst_bin_get_by_name (GST_BIN (self->pipeline), "tt_preview");
  gst_app_sink_set_callbacks (GST_APP_SINK (gray), &gray_cb, self, NULL);
  gst_app_sink_set_callbacks (GST_APP_SINK (preview), &preview_cb, self, NULL);

  self->frames = g_async_queue_new ();
  self->decoder = g_thread_new ("tt-camera-decoder", decoder_main, self);

  bus = gst_element_get_bus (self->pipeline);
  if (gst_element_set_state (self->pipeline, GST_STATE_PLAYING) == GST_STATE_CHANGE_FAILURE)
    {
      g_autoptr(GstMessage) msg = gst_bus_pop_filtered (bus, GST_MESSAGE_ERROR);
      g_autoptr(GError) gerr = NULL;

      if (msg != NULL)
        gst_message_parse_error (msg, &gerr, NULL);
      else
        gerr = g_error_new_literal (GST_CORE_ERROR, GST_CORE_ERROR_STATE_CHANGE,
                                    _("the pipeline refused to start"));
      set_error_from_gst (error, gerr, TRUE);
      tt_camera_stop (self);
      return FALSE;
    }

  self->bus_source = gst_bus_create_watch (bus);
  g_source_set_callback (self->bus_source, (GSourceFunc) (void (*) (void)) on_bus_message, self, NULL);
  g_source_attach (self->bus_source, self->context);
  self->running = TRUE;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
  return TRUE;
}

static gboolean
any_video_device (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/dev", 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    if (g_str_has_prefix (name, "video"))
      return TRUE;
  return FALSE;
}

/* Camera portal: AccessCamera, wait for the Response, then
 * OpenPipeWireRemote gives a PipeWire fd for pipewiresrc. */

static void
portal_fail (TtCamera   *self,
             GError     *error)
{
  g_object_ref (self);
  teardown (self, TRUE);
  emit_error (self, error);
  g_object_unref (self);
}

static void
on_pipewire_remote (GObject      *object,
                    GAsyncResult *result,
                    gpointer      data)
{
  g_autoptr(TtCamera) self = data;
  g_autoptr(GUnixFDList) fds = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *source = NULL;
  int handle;

  reply = g_dbus_connection_call_with_unix_fd_list_finish (G_DBUS_CONNECTION (object), &fds, result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL)
    {
      g_autoptr(GError) e = g_error_new (TT_CAMERA_ERROR, TT_CAMERA_ERROR_NO_CAMERA,
                                         _("The camera portal gave no camera: %s"), error->message);
      portal_fail (self, e);
      return;
    }
  g_variant_get (reply, "(h)", &handle);
  self->pipewire_fd = g_unix_fd_list_get (fds, handle, &error);
  if (self->pipewire_fd < 0)
    {
      g_autoptr(GError) e = g_error_new (TT_CAMERA_ERROR, TT_CAMERA_ERROR_NO_CAMERA,
                                         _("The camera portal gave no camera: %s"), error->message);
      portal_fail (self, e);
      return;
    }
  source = g_strdup_printf ("pipewiresrc fd=%d", self->pipewire_fd);
  if (!start_pipeline (self, source, &error))
    portal_fail (self, error);
}

static void
on_portal_response (GDBusConnection *connection,
                    const char      *sender,
                    const char      *path,
                    const char      *interface,
                    const char      *signal,
                    GVariant        *parameters,
                    gpointer         data)
{
  TtCamera *self = data;
  guint32 response = 2;

  g_dbus_connection_signal_unsubscribe (connection, self->response_id);
  self->response_id = 0;
  g_variant_get (parameters, "(u@a{sv})", &response, NULL);
  if (response != 0)
    {
      g_autoptr(GError) e = g_error_new_literal (TT_CAMERA_ERROR, TT_CAMERA_ERROR_DENIED,
                                                 _("Access to the camera was not allowed"));
      portal_fail (self, e);
      return;
    }
  g_dbus_connection_call_with_unix_fd_list (connection, "org.freedesktop.portal.Desktop",
                                            "/org/freedesktop/portal/desktop",
                                            "org.freedesktop.portal.Camera", "OpenPipeWireRemote",
                                            g_variant_new ("(a{sv})", NULL), G_VARIANT_TYPE ("(h)"),
                                            G_DBUS_CALL_FLAGS_NONE, -1, NULL, self->cancellable,
                                            on_pipewire_remote, g_object_ref (self));
}

static void
on_access_camera (GObject      *object,
                  GAsyncResult *result,
                  gpointer      data)
{
  g_autoptr(TtCamera) self = data;
  g_autoptr(GVariant) reply = NULL;
  g_autoptr(GError) error = NULL;

  reply = g_dbus_connection_call_finish (G_DBUS_CONNECTION (object), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (reply == NULL)
    {
      g_autoptr(GError) e = g_error_new (TT_CAMERA_ERROR, TT_CAMERA_ERROR_NO_CAMERA,
                                         _("The camera portal is not available: %s"), error->message);
      portal_fail (self, e);
    }
}

static void
portal_start (TtCamera *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *token = g_strdup_printf ("tantay%u", g_random_int ());
  g_autofree char *sender = NULL;
  g_autofree char *path = NULL;
  GVariantBuilder options;

  self->session = g_bus_get_sync (G_BUS_TYPE_SESSION, NULL, &error);
  if (self->session == NULL)
    {
      g_autoptr(GError) e = g_error_new (TT_CAMERA_ERROR, TT_CAMERA_ERROR_NO_CAMERA,
                                         _("The camera portal is not available: %s"), error->message);
      portal_fail (self, e);
      return;
    }
  /* The Response comes on a request path made of our bus name and the
   * token; subscribe before calling so it cannot be missed. */
  sender = g_strdup (g_dbus_connection_get_unique_name (self->session) + 1);
  g_strdelimit (sender, ".", '_');
  path = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", sender, token);
  self->response_id = g_dbus_connection_signal_subscribe (self->session, "org.freedesktop.portal.Desktop",
                                                          "org.freedesktop.portal.Request", "Response",
                                                          path, NULL, G_DBUS_SIGNAL_FLAGS_NO_MATCH_RULE,
                                                          on_portal_response, self, NULL);
  g_variant_builder_init (&options, G_VARIANT_TYPE_VARDICT);
  g_variant_builder_add (&options, "{sv}", "handle_token", g_variant_new_string (token));
  g_dbus_connection_call (self->session, "org.freedesktop.portal.Desktop",
                          "/org/freedesktop/portal/desktop", "org.freedesktop.portal.Camera",
                          "AccessCamera", g_variant_new ("(a{sv})", &options), G_VARIANT_TYPE ("(o)"),
                          G_DBUS_CALL_FLAGS_NONE, -1, self->cancellable, on_access_camera,
                          g_object_ref (self));
}

static void
tt_camera_get_property (GObject    *object,
                        guint       prop_id,
                        GValue     *value,
                        GParamSpec *pspec)
{
  TtCamera *self = TT_CAMERA (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_value_set_string (value, self->source);
      break;
    case PROP_RUNNING:
      g_value_set_boolean (value, self->running);
      break;
    case PROP_HAS_TORCH:
      g_value_set_boolean (value, self->has_torch);
      break;
    case PROP_TORCH:
      g_value_set_boolean (value, self->torch);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_camera_set_property (GObject      *object,
                        guint         prop_id,
                        const GValue *value,
                        GParamSpec   *pspec)
{
  TtCamera *self = TT_CAMERA (object);

  switch (prop_id)
    {
    case PROP_SOURCE:
      g_free (self->source);
      self->source = g_strdup (g_value_get_string (value));
      break;
    case PROP_TORCH:
      tt_camera_set_torch (self, g_value_get_boolean (value), NULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_camera_dispose (GObject *object)
{
  TtCamera *self = TT_CAMERA (object);

  tt_camera_stop (self);

  G_OBJECT_CLASS (tt_camera_parent_class)->dispose (object);
}

static void
tt_camera_finalize (GObject *object)
{
  TtCamera *self = TT_CAMERA (object);

  g_free (self->source);
  g_free (self->last_code);
  g_clear_pointer (&self->context, g_main_context_unref);

  G_OBJECT_CLASS (tt_camera_parent_class)->finalize (object);
}

static void
tt_camera_class_init (TtCameraClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = tt_camera_get_property;
  object_class->set_property = tt_camera_set_property;
  object_class->dispose = tt_camera_dispose;
  object_class->finalize = tt_camera_finalize;

  properties[PROP_SOURCE] =
    g_param_spec_string ("source", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RUNNING] =
    g_param_spec_boolean ("running", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_HAS_TORCH] =
    g_param_spec_boolean ("has-torch", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TORCH] =
    g_param_spec_boolean ("torch", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * TtCamera::code-found:
   * @payload: (type GBytes): the exact bytes of the code
   *
   * A code was read.  The same code held in view is reported again only
   * after it has been out of view for two seconds.
   */
  signals[CODE_FOUND] =
    g_signal_new ("code-found", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_BYTES);
  /**
   * TtCamera::preview-frame:
   * @pixels: RGB, 3 bytes a pixel
   * @width: @height: @stride: its layout
   */
  signals[PREVIEW_FRAME] =
    g_signal_new ("preview-frame", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 4, G_TYPE_BYTES, G_TYPE_UINT, G_TYPE_UINT, G_TYPE_UINT);
  /**
   * TtCamera::error:
   * @error: what went wrong, in the TT_CAMERA_ERROR domain
   *
   * The camera stopped (or could not start behind the portal).
   */
  signals[ERROR] =
    g_signal_new ("error", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 1, G_TYPE_ERROR);
}

static void
tt_camera_init (TtCamera *self)
{
  self->preview_width = 640;
  self->v4l2_fd = -1;
  self->pipewire_fd = -1;
}

TtCamera *
tt_camera_new (const char *source)
{
  return g_object_new (TT_TYPE_CAMERA, "source", source, NULL);
}

const char *
tt_camera_get_source (TtCamera *self)
{
  g_return_val_if_fail (TT_IS_CAMERA (self), NULL);
  return self->source;
}

gboolean
tt_camera_get_running (TtCamera *self)
{
  g_return_val_if_fail (TT_IS_CAMERA (self), FALSE);
  return self->running;
}

void
tt_camera_set_preview_width (TtCamera *self,
                             guint     width)
{
  g_return_if_fail (TT_IS_CAMERA (self));
  g_return_if_fail (width >= 16);
  self->preview_width = width;
}

gboolean
tt_camera_start (TtCamera  *self,
                 GError   **error)
{
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (TT_IS_CAMERA (self), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (self->running)
    return TRUE;
  if (!gst_init_check (NULL, NULL, &local))
    {
      g_set_error (error, TT_CAMERA_ERROR, TT_CAMERA_ERROR_PIPELINE,
                   _("GStreamer could not start: %s"), local->message);
      return FALSE;
    }
  g_clear_pointer (&self->context, g_main_context_unref);
  self->context = g_main_context_ref_thread_default ();
  g_clear_pointer (&self->last_code, g_free);

  if (self->source != NULL && *self->source != '\0' && !g_str_equal (self->source, "portal"))
    return start_pipeline (self, self->source, error);

  if (g_strcmp0 (self->source, "portal") == 0 || g_file_test ("/.flatpak-info", G_FILE_TEST_EXISTS))
    {
      /* Sandboxed: the portal asks the user, so the answer comes later. */
      self->cancellable = g_cancellable_new ();
      self->running = TRUE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
      portal_start (self);
      return TRUE;
    }

  if (!any_video_device ())
    {
      g_set_error (error, TT_CAMERA_ERROR, TT_CAMERA_ERROR_NO_CAMERA,
                   _("This device has no camera (no /dev/video* device)"));
      return FALSE;
    }
  return start_pipeline (self, "v4l2src", error);
}

void
tt_camera_stop (TtCamera *self)
{
  g_return_if_fail (TT_IS_CAMERA (self));

  teardown (self, TRUE);
}

/* With @drop_news, codes and frames already on their way to the main
 * context are dropped (the courier closed the camera). */
static void
teardown (TtCamera *self,
          gboolean  drop_news)
{
  gboolean was_running = self->running;

  if (drop_news)
    g_atomic_int_inc (&self->generation);
  self->running = FALSE;

  if (self->cancellable != NULL)
    {
      g_cancellable_cancel (self->cancellable);
      g_clear_object (&self->cancellable);
    }
  if (self->response_id != 0)
    {
      g_dbus_connection_signal_unsubscribe (self->session, self->response_id);
      self->response_id = 0;
    }
  g_clear_object (&self->session);

  /* Setting NULL waits for the streaming threads: no callback runs after. */
  if (self->pipeline != NULL)
    {
      gst_element_set_state (self->pipeline, GST_STATE_NULL);
      g_clear_object (&self->pipeline);
    }
  if (self->decoder != NULL)
    {
      g_async_queue_push (self->frames, &stop_marker);
      g_thread_join (self->decoder);
      self->decoder = NULL;
    }
  if (self->frames != NULL)
    {
      gpointer item;

      while ((item = g_async_queue_try_pop (self->frames)) != NULL)
        if (item != &stop_marker)
          gst_sample_unref (item);
      g_clear_pointer (&self->frames, g_async_queue_unref);
    }
  g_atomic_int_set (&self->decoding, 0);
  g_atomic_int_set (&self->preview_pending, 0);
  if (self->bus_source != NULL)
    {
      g_source_destroy (self->bus_source);
      g_clear_pointer (&self->bus_source, g_source_unref);
    }
  if (self->pipewire_fd >= 0)
    {
      g_close (self->pipewire_fd, NULL);
      self->pipewire_fd = -1;
    }
  self->v4l2_fd = -1;
  self->torch = FALSE;
  if (self->has_torch)
    {
      self->has_torch = FALSE;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_HAS_TORCH]);
    }
  if (was_running)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_RUNNING]);
}

gboolean
tt_camera_get_has_torch (TtCamera *self)
{
  g_return_val_if_fail (TT_IS_CAMERA (self), FALSE);
  return self->has_torch;
}

gboolean
tt_camera_get_torch (TtCamera *self)
{
  g_return_val_if_fail (TT_IS_CAMERA (self), FALSE);
  return self->torch;
}

gboolean
tt_camera_set_torch (TtCamera  *self,
                     gboolean   on,
                     GError   **error)
{
  struct v4l2_control ctrl = { .id = V4L2_CID_FLASH_LED_MODE };

  g_return_val_if_fail (TT_IS_CAMERA (self), FALSE);

  on = !!on;
  if (on == self->torch)
    return TRUE;
  if (!self->has_torch || self->v4l2_fd < 0)
    {
      g_set_error (error, TT_CAMERA_ERROR, TT_CAMERA_ERROR_NO_TORCH,
                   _("This camera has no torch that the app can switch on"));
      return FALSE;
    }
  ctrl.value = on ? V4L2_FLASH_LED_MODE_TORCH : V4L2_FLASH_LED_MODE_NONE;
  if (ioctl (self->v4l2_fd, VIDIOC_S_CTRL, &ctrl) != 0)
    {
      int saved = errno;

      g_set_error (error, TT_CAMERA_ERROR, TT_CAMERA_ERROR_NO_TORCH,
                   _("The torch could not be switched: %s"), g_strerror (saved));
      return FALSE;
    }
  self->torch = on;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TORCH]);
  return TRUE;
}
