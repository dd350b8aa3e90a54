/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-identity"

#include "config.h"

#include <sodium.h>

#include "tt-identity.h"

/* About 30 ms and 16 MiB per check on a 2-core handheld: bearable at the
 * door, ruinous for anyone trying 10^10 candidates per item. */
#define TT_IDENTITY_OPSLIMIT 3
#define TT_IDENTITY_MEMLIMIT (16u * 1024u * 1024u)

static gboolean
ensure_sodium (void)
{
  static gsize done = 0;
  static gboolean ok = FALSE;

  if (g_once_init_enter (&done))
    {
      ok = sodium_init () >= 0;
      g_once_init_leave (&done, 1);
    }
  return ok;
}

char *
tt_identity_hash_new (const char *id_number)
{
  char out[crypto_pwhash_STRBYTES];

  g_return_val_if_fail (id_number != NULL, NULL);

  if (!ensure_sodium ())
    return NULL;
  if (crypto_pwhash_str_alg (out, id_number, strlen (id_number),
                             TT_IDENTITY_OPSLIMIT, TT_IDENTITY_MEMLIMIT,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    return NULL;
  return g_strdup (out);
}

TtIdentityResult
tt_identity_verify (const char *id_hash,
                    const char *id_number)
{
  if (id_hash == NULL || id_number == NULL || !ensure_sodium ()
      || !g_str_has_prefix (id_hash, "$argon2id$"))
    return TT_IDENTITY_UNKNOWN;
  if (strlen (id_hash) >= crypto_pwhash_STRBYTES)
    return TT_IDENTITY_UNKNOWN;
  return crypto_pwhash_str_verify (id_hash, id_number, strlen (id_number)) == 0
           ? TT_IDENTITY_MATCH
           : TT_IDENTITY_NO_MATCH;
}

char *
tt_identity_last4 (const char *id_number)
{
  gsize n;

  g_return_val_if_fail (id_number != NULL, NULL);

  n = strlen (id_number);
  return g_strdup (n >= 4 ? id_number + n - 4 : id_number);
}

const char *
tt_identity_result_to_string (TtIdentityResult result)
{
  switch (result)
    {
    case TT_IDENTITY_MATCH:
      return "match";
    case TT_IDENTITY_NO_MATCH:
      return "no-match";
    case TT_IDENTITY_UNKNOWN:
    default:
      return "unknown";
    }
}
