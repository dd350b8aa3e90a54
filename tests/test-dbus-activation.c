/* SPDX-License-Identifier: GPL-3.0-or-later */
/* A launcher starts Tận Tay through D-Bus (DBusActivatable=true): the bus
 * runs the service file's Exec line and waits for the app to own its name.
 * Here a private bus does exactly that with the built service file and
 * the built app (on an Xvfb display). */
#include "config.h"

#include <gio/gio.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <string.h>

#include "tt-test-util.h"

#define APP_PATH "/io/github/tantay/TanTay"

typedef struct
{
  GPid     pid;
  char    *address;
} Bus;

/* If this test dies on a failed assertion, its bus goes with it. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* A session bus of our own whose only service is the app. */
static void
bus_start (Bus        *bus,
           const char *dir,
           const char *exec,
           char      **envp)
{
  g_autofree char *services = g_build_filename (dir, "services", NULL);
  g_autofree char *service = g_build_filename (services, APP_ID ".service", NULL);
  g_autofree char *config = g_build_filename (dir, "bus.conf", NULL);
  g_autofree char *service_text = g_strdup_printf ("[D-BUS Service]\nName=%s\nExec=%s\n", APP_ID, exec);
  g_autofree char *config_text = g_strdup_printf (
    "<!DOCTYPE busconfig PUBLIC \"-//freedesktop//DTD D-Bus Bus Configuration 1.0//EN\"\n"
    " \"http://www.freedesktop.org/standards/dbus/1.0/busconfig.dtd\">\n"
    "<busconfig>\n"
    "  <type>session</type>\n"
    "  <listen>unix:path=%s/bus</listen>\n"
    "  <servicedir>%s</servicedir>\n"
    "  <policy context=\"default\">\n"
    "    <allow send_destination=\"*\" eavesdrop=\"true\"/>\n"
    "    <allow eavesdrop=\"true\"/>\n"
    "    <allow own=\"*\"/>\n"
    "  </policy>\n"
    "</busconfig>\n", dir, services);
  g_autofree char *config_arg = g_strconcat ("--config-file=", config, NULL);
  const char *argv[] = { "dbus-daemon", config_arg, "--nofork", "--print-address", NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GIOChannel) channel = NULL;
  int out_fd;
  gsize len;

  g_assert_cmpint (g_mkdir_with_parents (services, 0700), ==, 0);
  g_file_set_contents (service, service_text, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (config, config_text, -1, &error);
  g_assert_no_error (error);

  /* Its stderr (and the app's, which it hands on) must not hold the
   * test's output open after the test ended. */
  g_spawn_async_with_pipes (NULL, (char **) argv, envp,
                            G_SPAWN_SEARCH_PATH | G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDERR_TO_DEV_NULL,
                            die_with_parent, NULL, &bus->pid, NULL, &out_fd, NULL, &error);
  g_assert_no_error (error);

  channel = g_io_channel_unix_new (out_fd);
  g_io_channel_set_close_on_unref (channel, TRUE);
  g_io_channel_read_line (channel, &bus->address, &len, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bus->address);
  g_strstrip (bus->address);
  g_test_message ("private bus at %s", bus->address);
}

static void
bus_stop (Bus *bus)
{
  kill (bus->pid, SIGTERM);
  g_spawn_close_pid (bus->pid);
  g_clear_pointer (&bus->address, g_free);
}

static char *
name_owner (GDBusConnection *connection)
{
  g_autoptr(GVariant) reply = NULL;
  const char *owner;

  reply = g_dbus_connection_call_sync (connection, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                       "org.freedesktop.DBus", "GetNameOwner",
                                       g_variant_new ("(s)", APP_ID), G_VARIANT_TYPE ("(s)"),
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, NULL);
  if (reply == NULL)
    return NULL;
  g_variant_get (reply, "(&s)", &owner);
  return g_strdup (owner);
}

static void
test_activate (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *address = g_strdup_printf ("unix:path=%s/bus", dir);
  g_autofree char *xdg_data = g_build_filename (dir, "xdg-data", NULL);
  g_autofree char *data_dir = g_build_filename (xdg_data, "tantay", NULL);
  g_autofree char *service = g_build_filename (g_getenv ("TT_BUILD_ROOT"), "data", APP_ID ".service", NULL);
  g_autofree char *app = g_build_filename (g_getenv ("TT_BUILD_ROOT"), "src", "ui", "tantay", NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GDBusConnection) connection = NULL;
  g_autoptr(GVariant) reply = NULL;
  g_autofree char *installed_exec = NULL;
  g_autofree char *exec = NULL;
  g_autofree char *owner = NULL;
  g_auto(GStrv) envp = NULL;
  Bus bus = { 0 };

  /* The built service file's Exec line, pointed at the built app instead
   * of the installed one; the courier's default data folder is a scratch
   * one here (XDG_DATA_HOME). */
  g_key_file_load_from_file (kf, service, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_key_file_get_string (kf, "D-BUS Service", "Name", NULL), ==, APP_ID);
  installed_exec = g_key_file_get_string (kf, "D-BUS Service", "Exec", &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_suffix (installed_exec, "/tantay --gapplication-service"));
  exec = g_strdup_printf ("%s --gapplication-service", app);

  /* Activated services inherit the bus's environment; GApplication looks
   * for its session bus there. */
  envp = g_environ_setenv (g_get_environ (), "DBUS_SESSION_BUS_ADDRESS", address, TRUE);
  envp = g_environ_setenv (envp, "XDG_DATA_HOME", xdg_data, TRUE);
  bus_start (&bus, dir, exec, envp);
  connection = g_dbus_connection_new_for_address_sync (bus.address,
                                                       G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT |
                                                       G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
                                                       NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_null (name_owner (connection));

  /* What a launcher sends: the bus starts the app, which must take its
   * name and answer. */
  reply = g_dbus_connection_call_sync (connection, APP_ID, APP_PATH,
                                       "org.freedesktop.Application", "Activate",
                                       g_variant_new ("(a{sv})", NULL), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 10000, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (reply);
  owner = name_owner (connection);
  g_assert_nonnull (owner);

  /* It opened the courier's data folder. */
  g_assert_true (g_file_test (data_dir, G_FILE_TEST_IS_DIR));

  /* Started again from the launcher or a terminal, the app hands over to
   * the running one (which keeps its name) instead of opening the same
   * data a second time. */
  {
    const char *argv[] = { app, NULL };
    g_autofree char *still = NULL;
    int status = 0;
    GPid pid;
    pid_t done = 0;

    g_spawn_async (NULL, (char **) argv, envp,
                   G_SPAWN_DO_NOT_REAP_CHILD | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                   die_with_parent, NULL, &pid, &error);
    g_assert_no_error (error);
    for (int i = 0; i < 200 && done == 0; i++)
      {
        done = waitpid (pid, &status, WNOHANG);
        if (done == 0)
          g_usleep (50 * 1000);
      }
    if (done == 0)
      {
        kill (pid, SIGTERM);
        waitpid (pid, &status, 0);
        g_error ("a second start kept running next to the first");
      }
    g_spawn_close_pid (pid);
    g_assert_true (g_spawn_check_wait_status (status, NULL));
    still = name_owner (connection);
    g_assert_cmpstr (still, ==, owner);
  }

  /* And the app quits on request, releasing the name. */
  g_clear_pointer (&reply, g_variant_unref);
  reply = g_dbus_connection_call_sync (connection, APP_ID, APP_PATH,
                                       "org.gtk.Actions", "Activate",
                                       g_variant_new ("(sava{sv})", "quit", NULL, NULL), NULL,
                                       G_DBUS_CALL_FLAGS_NONE, 5000, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < 100; i++)
    {
      g_autofree char *still = name_owner (connection);

      if (still == NULL)
        break;
      g_usleep (50 * 1000);
    }
  g_clear_pointer (&owner, g_free);
  owner = name_owner (connection);
  g_assert_null (owner);

  g_dbus_connection_close_sync (connection, NULL, NULL);
  bus_stop (&bus);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/dbus-activation/activate", test_activate);

  return g_test_run ();
}
