/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>
#include "tt-item.h"

G_BEGIN_DECLS

#define TT_MANIFEST_ERROR (tt_manifest_error_quark ())

typedef enum
{
  TT_MANIFEST_ERROR_SYNTAX,       /* not JSON, or torn */
  TT_MANIFEST_ERROR_FIELD,        /* a field missing or of the wrong type */
  TT_MANIFEST_ERROR_DUPLICATE,    /* an item id twice */
  TT_MANIFEST_ERROR_VERSION,      /* a manifest version we do not know */
} TtManifestError;

/* A day's route as sent by the server (docs/api.md, "Manifest"). */
typedef struct
{
  char      *route_id;
  char      *date;          /* YYYY-MM-DD */
  char      *courier;       /* may be NULL */
  char      *office;        /* may be NULL */
  GPtrArray *items;         /* TtItem, in route order */
} TtManifest;

GQuark      tt_manifest_error_quark (void);
/* Parses and validates a whole manifest; nothing partial is returned.
 * Errors name the item and the field at fault. */
TtManifest *tt_manifest_parse       (const char  *json,
                                     gssize       length,
                                     GError     **error);
void        tt_manifest_free        (TtManifest  *manifest);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtManifest, tt_manifest_free)

G_END_DECLS
