/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define TT_CODE_ERROR (tt_code_error_quark ())

typedef enum
{
  TT_CODE_ERROR_EMPTY,          /* nothing was scanned */
  TT_CODE_ERROR_TOO_LONG,       /* longer than any code we know */
  TT_CODE_ERROR_ENCODING,       /* NUL bytes, invalid UTF-8, hidden characters */
  TT_CODE_ERROR_CHECK_DIGIT,    /* an S10 id whose check digit is wrong */
  TT_CODE_ERROR_SERVICE,        /* an S10 id with a reserved service indicator */
  TT_CODE_ERROR_URL,            /* a link that carries no valid item id */
  TT_CODE_ERROR_DOSSIER,        /* looks like a dossier code but is not one */
  TT_CODE_ERROR_CCCD,           /* looks like a citizen-ID QR but is not one */
  TT_CODE_ERROR_ENROLL,         /* a malformed enrollment code */
  TT_CODE_ERROR_UNKNOWN,        /* none of the codes we understand */
} TtCodeError;

typedef enum
{
  TT_CODE_KIND_S10,
  TT_CODE_KIND_URL,
  TT_CODE_KIND_DOSSIER,
  TT_CODE_KIND_CCCD,
  TT_CODE_KIND_ENROLL,
} TtCodeKind;

/* Fields of a chip citizen-ID card (CCCD) QR. */
typedef struct
{
  char *id12;          /* 12-digit personal number */
  char *old_id9;       /* old 9-digit number, NULL when absent or empty */
  char *name;          /* as printed, UTF-8 */
  char *birth_date;    /* YYYY-MM-DD */
  char *sex;           /* "Nam" / "Nữ" as on the card */
  gboolean female;
  char *address;
  char *issue_date;    /* YYYY-MM-DD */
  char *province_code; /* first 3 digits of id12 */
} TtCccd;

/* A payload that was accepted.  Plain, copyable data. */
typedef struct
{
  TtCodeKind  kind;
  char       *payload;      /* the text as scanned, exactly */
  /* Normalised value: the S10 item id (kinds s10 and url), the dossier
   * code, the 12-digit citizen id, or the enrollment URI. */
  char       *value;
  TtCccd     *cccd;         /* kind cccd only */
  char       *server;       /* kind enroll only: the tracking server URL */
  char       *enroll_code;  /* kind enroll only */
} TtCode;

/* Longest payload we look at: a version-40 QR holds at most 2953 bytes. */
#define TT_CODE_MAX_LENGTH 4096

GQuark      tt_code_error_quark      (void);
GType       tt_code_get_type         (void) G_GNUC_CONST;
#define TT_TYPE_CODE (tt_code_get_type ())

gboolean    tt_code_parse            (const char   *data,
                                      gssize        len,
                                      TtCode      **out,
                                      GError      **error);
TtCode     *tt_code_copy             (const TtCode *code);
void        tt_code_free             (TtCode       *code);
const char *tt_code_kind_to_string   (TtCodeKind    kind);

/* TRUE when @id is a canonical S10 id (upper case, no spaces, right
 * check digit, service indicator not reserved); otherwise says why. */
gboolean    tt_code_s10_valid        (const char   *id,
                                      GError      **error);
/* Check digit of 8 ASCII digits, or -1 when @digits8 is not 8 digits. */
int         tt_code_s10_check_digit  (const char   *digits8);
/* A valid S10 id: @prefix2 (e.g. "RR"), @serial8 (< 10^8), @country2. */
char       *tt_code_s10_make         (const char   *prefix2,
                                      guint         serial8,
                                      const char   *country2);

/* @data made safe to show: at most @max_chars characters, control,
 * invisible and direction characters and invalid bytes made visible
 * (\n, \x00, <U+200F>), "…" when cut. */
char       *tt_code_describe         (const char   *data,
                                      gssize        len,
                                      guint         max_chars);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtCode, tt_code_free)

G_END_DECLS
