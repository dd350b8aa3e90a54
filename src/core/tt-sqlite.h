/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include <sqlite3.h>

G_BEGIN_DECLS

/* Small helpers shared by the device store and the server's database. */

/* Binds @text (copied), or NULL as SQL NULL. */
void   tt_sqlite_bind_text   (sqlite3_stmt *stmt,
                              int           index,
                              const char   *text);
/* A copy of a text column; NULL for SQL NULL. */
char  *tt_sqlite_column_dup  (sqlite3_stmt *stmt,
                              int           index);

G_END_DECLS
