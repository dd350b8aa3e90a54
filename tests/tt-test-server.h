/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* The real tantay-server, run as a child process on a free loopback port
 * (or a given one, to restart it in place).  It dies with the test. */
typedef struct
{
  GSubprocess *process;
  char        *db_path;
  char        *url;         /* http://127.0.0.1:PORT */
  guint        port;
  GPtrArray   *enroll_uris; /* one per --demo / --issue-code */
} TtTestServer;

/* @args: extra arguments (NULL-terminated), e.g. "--demo", "--demo-route", F. */
TtTestServer *tt_test_server_start  (const char         *db_path,
                                     guint               port,
                                     const char * const *args);
/* SIGKILL when @kill, else SIGTERM; waits for the process to end. */
void          tt_test_server_stop   (TtTestServer       *server,
                                     gboolean            kill);
void          tt_test_server_free   (TtTestServer       *server);

/* Runs the default main context until *@flag is TRUE (fails after
 * @timeout_s seconds). */
void          tt_test_wait_for      (gboolean           *flag,
                                     guint               timeout_s);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtTestServer, tt_test_server_free)

G_END_DECLS
