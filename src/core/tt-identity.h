/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* The addressee's citizen-ID number travels only as a salted, deliberately
 * slow hash (Argon2id, libsodium's "$argon2id$…" string form).  A 12-digit
 * number with a known structure has about 10^10 likely values, so a fast
 * hash of it is no protection. */

typedef enum
{
  TT_IDENTITY_MATCH,
  TT_IDENTITY_NO_MATCH,
  TT_IDENTITY_UNKNOWN,   /* no hash in the manifest, or one we cannot read */
} TtIdentityResult;

/* A new salted hash of a 12-digit number (the server side, tests, demo). */
char             *tt_identity_hash_new       (const char *id_number);
/* Compares a number typed or scanned at the door with the manifest hash.
 * Takes a few tens of milliseconds on purpose. */
TtIdentityResult  tt_identity_verify         (const char *id_hash,
                                              const char *id_number);
/* "3456": only the last four digits of a number are ever kept. */
char             *tt_identity_last4          (const char *id_number);
const char       *tt_identity_result_to_string (TtIdentityResult result);

G_END_DECLS
