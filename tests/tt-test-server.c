/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <sys/prctl.h>

#include "tt-test-server.h"

static void
die_with_parent (gpointer data)
{
  /* A crashed test must not leave a server behind. */
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

TtTestServer *
tt_test_server_start (const char         *db_path,
                      guint               port,
                      const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  TtTestServer *server = g_new0 (TtTestServer, 1);
  const char *build_root = g_getenv ("TT_BUILD_ROOT");
  g_autofree char *line = NULL;

  g_assert_nonnull (build_root);
  server->db_path = g_strdup (db_path);
  server->enroll_uris = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (argv, g_build_filename (build_root, "src", "server", "tantay-server", NULL));
  g_ptr_array_add (argv, g_strdup ("--db"));
  g_ptr_array_add (argv, g_strdup (db_path));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", port));
  for (guint i = 0; args && args[i]; i++)
    g_ptr_array_add (argv, g_strdup (args[i]));
  g_ptr_array_add (argv, NULL);

  {
    /* The server's own messages go next to its database. */
    g_autofree char *log = g_strconcat (db_path, ".log", NULL);

    g_subprocess_launcher_set_stderr_file_path (launcher, log);
  }
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  server->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata,
                                                  &error);
  g_assert_no_error (error);

  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (server->process));
  line = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (line);
  g_assert_true (g_str_has_prefix (line, "Listening on "));
  server->url = g_strndup (line + strlen ("Listening on "), strcspn (line + strlen ("Listening on "), " "));
  server->port = (guint) g_ascii_strtoull (strrchr (server->url, ':') + 1, NULL, 10);
  g_assert_cmpuint (server->port, >, 0);

  for (guint i = 0; args && args[i]; i++)
    if (g_str_equal (args[i], "--demo") || g_str_equal (args[i], "--issue-code"))
      {
        g_autofree char *uri = g_data_input_stream_read_line_utf8 (out, NULL, NULL, &error);

        g_assert_no_error (error);
        g_assert_nonnull (uri);
        g_assert_true (g_str_has_prefix (uri, "tantay://enroll?"));
        g_ptr_array_add (server->enroll_uris, g_steal_pointer (&uri));
      }
  return server;
}

void
tt_test_server_stop (TtTestServer *server,
                     gboolean      kill)
{
  if (server->process == NULL)
    return;
  if (kill)
    g_subprocess_force_exit (server->process);
  else
    g_subprocess_send_signal (server->process, SIGTERM);
  g_subprocess_wait (server->process, NULL, NULL);
  g_clear_object (&server->process);
}

void
tt_test_server_free (TtTestServer *server)
{
  if (server == NULL)
    return;
  tt_test_server_stop (server, FALSE);
  g_free (server->db_path);
  g_free (server->url);
  g_ptr_array_unref (server->enroll_uris);
  g_free (server);
}

static gboolean
timeout_cb (gpointer data)
{
  gboolean *expired = data;

  *expired = TRUE;
  return G_SOURCE_REMOVE;
}

void
tt_test_wait_for (gboolean *flag,
                  guint     timeout_s)
{
  gboolean expired = FALSE;
  guint id = g_timeout_add_seconds (timeout_s, timeout_cb, &expired);

  while (!*flag && !expired)
    g_main_context_iteration (NULL, TRUE);
  if (!expired)
    g_source_remove (id);
  g_assert_true (*flag);
}
