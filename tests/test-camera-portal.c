/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The camera behind the camera portal, as in the Flatpak: a stand-in
 * portal on a private session bus answers AccessCamera (allowed or not)
 * and OpenPipeWireRemote; the camera must ask, wait for the answer, take
 * the PipeWire fd, and report every failure as an "error". */
#include "config.h"

#include <gio/gunixfdlist.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "tt-camera.h"

static const char portal_xml[] =
  "<node>"
  "  <interface name='org.freedesktop.portal.Camera'>"
  "    <method name='AccessCamera'>"
  "      <arg type='a{sv}' name='options' direction='in'/>"
  "      <arg type='o' name='handle' direction='out'/>"
  "    </method>"
  "    <method name='OpenPipeWireRemote'>"
  "      <arg type='a{sv}' name='options' direction='in'/>"
  "      <arg type='h' name='fd' direction='out'/>"
  "    </method>"
  "    <property name='IsCameraPresent' type='b' access='read'/>"
  "    <property name='version' type='u' access='read'/>"
  "  </interface>"
  "</node>";

typedef struct
{
  GDBusConnection *bus;
  guint            owner_id;
  guint            object_id;
  gboolean         owned;
  guint32          answer;     /* 0 allowed, 1 denied, 2 dismissed */
  guint            access_calls;
  guint            open_calls;
  char            *token;
} Portal;

static void
portal_method (GDBusConnection       *connection,
               const char            *sender,
               const char            *object_path,
               const char            *interface_name,
               const char            *method_name,
               GVariant              *parameters,
               GDBusMethodInvocation *invocation,
               gpointer               user_data)
{
  Portal *p = user_data;

  if (g_str_equal (method_name, "AccessCamera"))
    {
      g_autoptr(GVariant) options = g_variant_get_child_value (parameters, 0);
      g_autofree char *name = g_strdup (sender + 1);
      g_autofree char *path = NULL;
      const char *token = NULL;
      GVariantBuilder results;

      p->access_calls++;
      g_assert_true (g_variant_lookup (options, "handle_token", "&s", &token));
      g_free (p->token);
      p->token = g_strdup (token);
      g_strdelimit (name, ".", '_');
      path = g_strdup_printf ("/org/freedesktop/portal/desktop/request/%s/%s", name, token);
      g_dbus_method_invocation_return_value (invocation, g_variant_new ("(o)", path));

      g_variant_builder_init (&results, G_VARIANT_TYPE_VARDICT);
      g_dbus_connection_emit_signal (connection, sender, path, "org.freedesktop.portal.Request",
                                     "Response", g_variant_new ("(ua{sv})", p->answer, &results), NULL);
    }
  else if (g_str_equal (method_name, "OpenPipeWireRemote"))
    {
      g_autoptr(GUnixFDList) fds = g_unix_fd_list_new ();
      int pair[2];

      p->open_calls++;
      g_assert_cmpint (socketpair (AF_UNIX, SOCK_STREAM, 0, pair), ==, 0);
      g_assert_cmpint (g_unix_fd_list_append (fds, pair[0], NULL), ==, 0);
      close (pair[0]);
      close (pair[1]);
      g_dbus_method_invocation_return_value_with_unix_fd_list (invocation, g_variant_new ("(h)", 0), fds);
    }
  else
    g_dbus_method_invocation_return_dbus_error (invocation, "org.freedesktop.DBus.Error.UnknownMethod",
                                                method_name);
}

static GVariant *
portal_property (GDBusConnection  *connection,
                 const char       *sender,
                 const char       *object_path,
                 const char       *interface_name,
                 const char       *property_name,
                 GError          **error,
                 gpointer          user_data)
{
  if (g_str_equal (property_name, "IsCameraPresent"))
    return g_variant_new_boolean (TRUE);
  return g_variant_new_uint32 (1);
}

static void
on_name_acquired (GDBusConnection *connection,
                  const char      *name,
                  gpointer         user_data)
{
  ((Portal *) user_data)->owned = TRUE;
}

static void
portal_start (Portal  *p,
              guint32  answer)
{
  static const GDBusInterfaceVTable vtable = { portal_method, portal_property, NULL, { 0 } };
  g_autoptr(GDBusNodeInfo) node = g_dbus_node_info_new_for_xml (portal_xml, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *address = g_dbus_address_get_for_bus_sync (G_BUS_TYPE_SESSION, NULL, &error);

  g_assert_no_error (error);
  memset (p, 0, sizeof *p);
  p->answer = answer;
  /* Its own connection: the camera talks to it over the bus, as to the
   * real portal. */
  p->bus = g_dbus_connection_new_for_address_sync (address,
                                                   G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT
                                                   | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                   NULL, NULL, &error);
  g_assert_no_error (error);
  p->object_id = g_dbus_connection_register_object (p->bus, "/org/freedesktop/portal/desktop",
                                                    node->interfaces[0], &vtable, p, NULL, &error);
  g_assert_no_error (error);
  p->owner_id = g_bus_own_name_on_connection (p->bus, "org.freedesktop.portal.Desktop",
                                              G_BUS_NAME_OWNER_FLAGS_NONE, on_name_acquired, NULL, p,
                                              NULL);
  while (!p->owned)
    g_main_context_iteration (NULL, TRUE);
}

static void
portal_stop (Portal *p)
{
  g_bus_unown_name (p->owner_id);
  g_dbus_connection_unregister_object (p->bus, p->object_id);
  g_dbus_connection_close_sync (p->bus, NULL, NULL);
  g_clear_object (&p->bus);
  g_free (p->token);
}

static void
on_error (TtCamera     *camera,
          const GError *error,
          GError      **out)
{
  g_clear_error (out);
  *out = g_error_copy (error);
}

/* Starts a portal camera and waits for its outcome (an error here:
 * there is no PipeWire camera behind the stand-in). */
static GError *
run_portal_camera (void)
{
  g_autoptr(TtCamera) camera = tt_camera_new ("portal");
  g_autoptr(GError) start_error = NULL;
  GError *error = NULL;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  g_signal_connect (camera, "error", G_CALLBACK (on_error), &error);
  /* The user is asked: the answer comes later, not from start. */
  g_assert_true (tt_camera_start (camera, &start_error));
  g_assert_no_error (start_error);
  while (error == NULL && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (error);
  g_assert_false (tt_camera_get_running (camera));
  return error;
}

static void
test_no_portal (void)
{
  g_autoptr(GError) error = run_portal_camera ();

  g_assert_error (error, TT_CAMERA_ERROR, TT_CAMERA_ERROR_NO_CAMERA);
  g_assert_nonnull (strstr (error->message, "portal"));
}

static void
test_denied (void)
{
  g_autoptr(GError) error = NULL;
  Portal p;

  portal_start (&p, 1);
  error = run_portal_camera ();
  g_assert_error (error, TT_CAMERA_ERROR, TT_CAMERA_ERROR_DENIED);
  g_assert_cmpuint (p.access_calls, ==, 1);
  g_assert_cmpuint (p.open_calls, ==, 0);
  g_assert_true (g_str_has_prefix (p.token, "tantay"));
  portal_stop (&p);
}

static void
test_allowed (void)
{
  g_autoptr(GError) error = NULL;
  Portal p;

  portal_start (&p, 0);
  error = run_portal_camera ();
  /* Access given, the PipeWire fd taken; what follows depends on
   * pipewiresrc, which cannot stream from the stand-in's socket. */
  g_assert_cmpuint (p.access_calls, ==, 1);
  g_assert_cmpuint (p.open_calls, ==, 1);
  g_assert_true (error->domain == TT_CAMERA_ERROR);
  g_assert_cmpint (error->code, !=, TT_CAMERA_ERROR_DENIED);
  g_test_message ("after access: %s", error->message);
  portal_stop (&p);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/camera-portal/no-portal", test_no_portal);
  g_test_add_func ("/camera-portal/denied", test_denied);
  g_test_add_func ("/camera-portal/allowed", test_allowed);

  return g_test_run ();
}
