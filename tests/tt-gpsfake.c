/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "tt-gpsfake.h"

/* Ceiling for one gpsfake run, so that nothing outlives a stuck test. */
#define GPSFAKE_MAX_S "90"

struct _TtGpsfake
{
  GPid pid;   /* of timeout(1), leader of the process group */
};

guint16
tt_gpsfake_free_port (void)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

char *
tt_gpsfake_log_path (const char *log_name)
{
  const char *shared = g_getenv ("TT_SHARED_DIR");

  g_assert_nonnull (shared);
  return g_build_filename (shared, "fixtures", "nmea", log_name, NULL);
}

static void
child_setup (gpointer user_data)
{
  /* timeout(1) passes a SIGTERM on to its process group: if the test
   * process dies, gpsfake and gpsd go with it. */
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

TtGpsfake *
tt_gpsfake_start (const char *log_name,
                  guint16     port,
                  double      cycle_s)
{
  g_autofree char *log = tt_gpsfake_log_path (log_name);
  g_autofree char *port_str = g_strdup_printf ("%u", port);
  char cycle_str[G_ASCII_DTOSTR_BUF_SIZE];
  g_auto(GStrv) env = g_get_environ ();
  g_autofree char *path = NULL;
  g_autoptr(GError) error = NULL;
  TtGpsfake *fake = g_new0 (TtGpsfake, 1);
  /* -n: gpsd reads the log without waiting for a client; -P: our own port
   * (the system gpsd keeps 2947); no -1, so that a client that connects
   * late still sees the whole log on the next pass. */
  const char *argv[] = {
    "timeout", GPSFAKE_MAX_S, "gpsfake", "-q", "-n", "-c", cycle_str, "-P", port_str, log, NULL
  };

  g_assert_true (g_file_test (log, G_FILE_TEST_EXISTS));
  g_ascii_dtostr (cycle_str, sizeof cycle_str, cycle_s);
  /* gpsfake runs gpsd from PATH; gpsd lives in sbin. */
  path = g_strdup_printf ("%s:/usr/sbin:/sbin", g_environ_getenv (env, "PATH") ?: "/usr/bin:/bin");
  env = g_environ_setenv (env, "PATH", path, TRUE);

  g_spawn_async (NULL, (char **) argv, env,
                 G_SPAWN_SEARCH_PATH_FROM_ENVP | G_SPAWN_DO_NOT_REAP_CHILD
                 | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                 child_setup, NULL, &fake->pid, &error);
  g_assert_no_error (error);
  g_test_message ("gpsfake %s on port %u (pid %d)", log_name, port, fake->pid);
  return fake;
}

void
tt_gpsfake_stop (TtGpsfake *fake)
{
  int status;

  if (fake == NULL)
    return;
  /* timeout(1) made itself a process group leader: this reaches gpsfake
   * and the gpsd it started. */
  kill (-fake->pid, SIGTERM);
  kill (fake->pid, SIGTERM);
  waitpid (fake->pid, &status, 0);
  g_spawn_close_pid (fake->pid);
  g_free (fake);
}

static gboolean
wake_up (gpointer user_data)
{
  return G_SOURCE_CONTINUE;
}

gboolean
tt_gpsfake_wait_until (gboolean (*done) (gpointer data),
                       gpointer   data,
                       guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;
  guint tick = g_timeout_add (20, wake_up, NULL);
  gboolean result;

  while (!(result = done (data)) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_source_remove (tick);
  return result;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

void
tt_gpsfake_run_for (guint ms)
{
  tt_gpsfake_wait_until (never, NULL, ms);
}
