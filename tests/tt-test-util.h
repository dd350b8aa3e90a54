/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* A fresh temporary folder, removed (with its contents) at exit. */
char     *tt_test_make_tmpdir     (void);
/* A generated route of @n_items realistic items in manifest format.
 * Deterministic for a given @seed. */
char     *tt_test_make_manifest   (guint       n_items,
                                   guint32     seed,
                                   const char *route_id);
/* A valid UPU S10 id for @serial, e.g. RR000000125VN. */
char     *tt_test_s10_id          (const char *service,
                                   guint       serial);
/* SHA-256 of a file's bytes (to prove a file was left untouched). */
char     *tt_test_file_checksum   (const char *path);

G_END_DECLS
