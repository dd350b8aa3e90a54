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
/* The same; with @id_hashes every delivery carries an addressee-ID hash
 * of a real one's size (for memory figures; it matches no number). */
char     *tt_test_make_manifest_full (guint       n_items,
                                      guint32     seed,
                                      const char *route_id,
                                      gboolean    id_hashes);
/* A valid UPU S10 id for @serial, e.g. RR000000125VN. */
char     *tt_test_s10_id          (const char *service,
                                   guint       serial);
/* SHA-256 of a file's bytes (to prove a file was left untouched). */
char     *tt_test_file_checksum   (const char *path);

G_END_DECLS
