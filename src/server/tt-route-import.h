/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define TT_ROUTE_IMPORT_ERROR (tt_route_import_error_quark ())

typedef enum
{
  TT_ROUTE_IMPORT_ERROR_CSV,      /* malformed CSV, or a cell of the wrong kind */
  TT_ROUTE_IMPORT_ERROR_COLUMN,   /* a required column is missing */
} TtRouteImportError;

GQuark  tt_route_import_error_quark (void);

/* Turns an office's CSV export (one item per row, a header row naming the
 * columns; see docs/api.md, "Importing routes") into a manifest.  A
 * "citizen_id" column is hashed here (Argon2id) and never stored. */
char   *tt_route_import_csv         (const char  *data,
                                     gsize        length,
                                     GError     **error);
/* Reads a route file: a manifest (JSON) or CSV, told apart by content. */
char   *tt_route_import_file        (const char  *path,
                                     gsize       *length,
                                     GError     **error);

G_END_DECLS
