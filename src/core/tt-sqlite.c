/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-sqlite"

#include "config.h"

#include "tt-sqlite.h"

void
tt_sqlite_bind_text (sqlite3_stmt *stmt,
                     int           index,
                     const char   *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

char *
tt_sqlite_column_dup (sqlite3_stmt *stmt,
                      int           index)
{
  if (sqlite3_column_type (stmt, index) == SQLITE_NULL)
    return NULL;
  return g_strdup ((const char *) sqlite3_column_text (stmt, index));
}
