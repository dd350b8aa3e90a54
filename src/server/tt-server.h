/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tt-server-db.h"

G_BEGIN_DECLS

#define TT_SERVER_ERROR (tt_server_error_quark ())

typedef enum
{
  TT_SERVER_ERROR_ADDRESS,    /* --listen is not ADDR:PORT */
  TT_SERVER_ERROR_TLS,        /* certificate or key unusable */
  TT_SERVER_ERROR_FAULT,      /* --fault SPEC not understood */
} TtServerError;

/* Limits (docs/api.md, "Limits"). */
#define TT_SERVER_DEFAULT_MAX_BODY    (4 * 1024 * 1024)
#define TT_SERVER_DEFAULT_MAX_BATCH   500
#define TT_SERVER_MAX_PAYLOAD         (64 * 1024)

#define TT_TYPE_SERVER (tt_server_get_type ())
G_DECLARE_FINAL_TYPE (TtServer, tt_server, TT, SERVER, GObject)

GQuark      tt_server_error_quark   (void);

TtServer   *tt_server_new           (TtServerDb   *db);
TtServerDb *tt_server_get_db        (TtServer     *self);
/* Serves HTTPS with this certificate chain and key (PEM files). */
gboolean    tt_server_set_tls_files (TtServer     *self,
                                     const char   *cert_file,
                                     const char   *key_file,
                                     GError      **error);
/* Listens on "ADDR:PORT" ("127.0.0.1:0" picks a free port). */
gboolean    tt_server_listen        (TtServer     *self,
                                     const char   *address,
                                     GError      **error);
/* The base URL devices use, e.g. "http://127.0.0.1:41234". */
char       *tt_server_dup_url       (TtServer     *self);
/* "tantay://enroll?server=…&code=…" for @code. */
char       *tt_server_dup_enroll_uri (TtServer    *self,
                                      const char  *code);

/* Test-only fault injection (docs/api.md, "Fault injection"):
 * comma-separated KIND[:COUNT[:ARG]], consumed in order by the requests
 * they apply to.  Kinds for event batches: 500, 429, 503 (ARG: Retry-After
 * seconds), drop (store, then close the connection without an answer),
 * delay (store, then answer after ARG ms), html (a captive portal's 200),
 * ok (answer normally).
 * For the manifest: manifest-torn, manifest-html. */
gboolean    tt_server_set_fault     (TtServer     *self,
                                     const char   *spec,
                                     GError      **error);

G_END_DECLS
