/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gio/gio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/wait.h>

#include "tt-gpsfake.h"

/* Ceiling for one gpsfake run, so that nothing outlives a stuck test. */
#define GPSFAKE_MAX_S "90"

struct _TtGpsfake
{
  GPid    pid;   /* of timeout(1), leader of the process group */
  guint16 port;
};

static gboolean
port_listening (guint16 port)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, port);

  return socket != NULL && g_socket_connect (socket, address, NULL, NULL);
}

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
  /* SIGALRM is timeout(1)'s own "time is up": it then SIGKILLs its process
   * group, so if the test process dies, gpsfake and gpsd go with it. */
  prctl (PR_SET_PDEATHSIG, SIGALRM);
}

static TtGpsfake *
spawn_gpsfake (const char *log,
               guint16     port,
               double      cycle_s)
{
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
    "timeout", "-s", "KILL", GPSFAKE_MAX_S, "gpsfake", "-q", "-n", "-c", cycle_str,
    "-P", port_str, log, NULL
  };

  g_ascii_dtostr (cycle_str, sizeof cycle_str, cycle_s);
  /* gpsfake runs gpsd from PATH; gpsd lives in sbin. */
  path = g_strdup_printf ("%s:/usr/sbin:/sbin", g_environ_getenv (env, "PATH") ?: "/usr/bin:/bin");
  env = g_environ_setenv (env, "PATH", path, TRUE);

  g_spawn_async (NULL, (char **) argv, env,
                 G_SPAWN_SEARCH_PATH_FROM_ENVP | G_SPAWN_DO_NOT_REAP_CHILD
                 | G_SPAWN_STDOUT_TO_DEV_NULL | G_SPAWN_STDERR_TO_DEV_NULL,
                 child_setup, NULL, &fake->pid, &error);
  g_assert_no_error (error);
  fake->port = port;
  return fake;
}

/* TRUE once gpsd on @port streams position reports (of any mode) to a
 * watcher, within @timeout_ms.  Blocking: only for setting up a test. */
static gboolean
gpsd_streams (guint16 port,
              guint   timeout_ms)
{
  gint64 end = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_autoptr(GSocketClient) client = g_socket_client_new ();
      g_autoptr(GSocketConnection) connection = NULL;
      g_autoptr(GDataInputStream) in = NULL;
      const char *watch = "?WATCH={\"enable\":true,\"json\":true}\n";

      g_socket_client_set_timeout (client, 1);
      connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
      if (connection == NULL)
        {
          g_usleep (50000);
          continue;
        }
      if (!g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)),
                                      watch, strlen (watch), NULL, NULL, NULL))
        continue;
      in = g_data_input_stream_new (g_io_stream_get_input_stream (G_IO_STREAM (connection)));
      while (g_get_monotonic_time () < end)
        {
          g_autofree char *line = g_data_input_stream_read_line (in, NULL, NULL, NULL);

          if (line == NULL)
            break;
          if (strstr (line, "\"class\":\"TPV\"") != NULL)
            return TRUE;
        }
    }
  return FALSE;
}

TtGpsfake *
tt_gpsfake_start (const char *log_name,
                  guint16     port,
                  double      cycle_s)
{
  g_autofree char *log = tt_gpsfake_log_path (log_name);

  g_assert_true (g_file_test (log, G_FILE_TEST_EXISTS));

  /* gpsfake -n sometimes starts a gpsd that never streams (its replay
   * races gpsd's start; see the fixture README).  That is a fault of the
   * test rig, not of what is tested: start it again, a bounded number of
   * times, and say so in the log. */
  for (guint attempt = 1; ; attempt++)
    {
      TtGpsfake *fake = spawn_gpsfake (log, port, cycle_s);

      g_test_message ("gpsfake %s on port %u (pid %d)", log_name, port, fake->pid);
      if (gpsd_streams (port, 8000))
        return fake;
      tt_gpsfake_stop (fake);
      g_test_message ("gpsfake on port %u sent no report in 8 s (attempt %u)", port, attempt);
      g_assert_cmpuint (attempt, <, 3);
    }
}

void
tt_gpsfake_stop (TtGpsfake *fake)
{
  int status;
  gint64 end;

  if (fake == NULL)
    return;
  /* timeout(1) made itself a process group leader: this reaches gpsfake
   * and the gpsd it started.  SIGKILL, because gpsfake catches SIGTERM
   * and may go on replaying after its gpsd is gone. */
  kill (-fake->pid, SIGKILL);
  waitpid (fake->pid, &status, 0);
  /* gpsd is not our child and dead processes are reaped late here: wait
   * until its port refuses connections, so that the next gpsd (a test may
   * restart one on it) can listen there. */
  end = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (port_listening (fake->port) && g_get_monotonic_time () < end)
    g_usleep (20000);
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

/* Positions computed from the NMEA sentences themselves, independently
 * of gpsd. */

/* "4813.0535","N" → 48.217558333… */
static double
nmea_angle (const char *value,
            const char *hemisphere,
            int         degree_digits)
{
  g_autofree char *degrees = g_strndup (value, degree_digits);
  double angle = g_ascii_strtod (degrees, NULL) + g_ascii_strtod (value + degree_digits, NULL) / 60.0;

  return (hemisphere[0] == 'S' || hemisphere[0] == 'W') ? -angle : angle;
}

static int
nmea_second_of_day (const char *hhmmss)
{
  return ((hhmmss[0] - '0') * 10 + (hhmmss[1] - '0')) * 3600
         + ((hhmmss[2] - '0') * 10 + (hhmmss[3] - '0')) * 60
         + (hhmmss[4] - '0') * 10 + (hhmmss[5] - '0');
}

/* Every position a GGA (quality > 0) or RMC (status A) sentence states. */
GArray *
tt_gpsfake_read_nmea (const char *log_name)
{
  g_autofree char *path = tt_gpsfake_log_path (log_name);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GError) error = NULL;
  GArray *positions = g_array_new (FALSE, FALSE, sizeof (TtNmeaPosition));

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_auto(GStrv) f = NULL;
      TtNmeaPosition p = { 0 };

      if (lines[i][0] != '$' || strlen (lines[i]) < 7)
        continue;
      f = g_strsplit (lines[i], ",", -1);
      if (g_str_equal (f[0] + 3, "GGA") && g_strv_length (f) > 9 && atoi (f[6]) > 0)
        {
          p.second_of_day = nmea_second_of_day (f[1]);
          p.lat = nmea_angle (f[2], f[3], 2);
          p.lon = nmea_angle (f[4], f[5], 3);
          p.alt_msl = g_ascii_strtod (f[9], NULL);
          g_array_append_val (positions, p);
        }
      else if (g_str_equal (f[0] + 3, "RMC") && g_strv_length (f) > 6 && f[2][0] == 'A')
        {
          p.second_of_day = nmea_second_of_day (f[1]);
          p.lat = nmea_angle (f[3], f[4], 2);
          p.lon = nmea_angle (f[5], f[6], 3);
          p.alt_msl = NAN;
          g_array_append_val (positions, p);
        }
    }
  return positions;
}
