/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-code"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "tt-code.h"
#include "tt-text.h"

G_DEFINE_QUARK (tt-code-error-quark, tt_code_error)
G_DEFINE_BOXED_TYPE (TtCode, tt_code, tt_code_copy, tt_code_free)

/* How much of a rejected payload an error message quotes. */
#define QUOTE_CHARS 48

static const int s10_weights[8] = { 8, 6, 4, 2, 3, 5, 9, 7 };

/* Province codes of the 12-digit personal number (Circular 07/2016/TT-BCA).
 * Cards keep the code of the province where the birth was registered, so
 * the 2025 merger of provinces does not retire any of them. */
static const guint16 province_codes[] = {
  1, 2, 4, 6, 8, 10, 11, 12, 14, 15, 17, 19, 20, 22, 24, 25, 26, 27, 30, 31, 33,
  34, 35, 36, 37, 38, 40, 42, 44, 45, 46, 48, 49, 51, 52, 54, 56, 58, 60, 62,
  64, 66, 67, 68, 70, 72, 74, 75, 77, 79, 80, 82, 83, 84, 86, 87, 89, 91, 92,
  93, 94, 95, 96,
};

static void
tt_cccd_free (TtCccd *c)
{
  if (c == NULL)
    return;
  g_free (c->id12);
  g_free (c->old_id9);
  g_free (c->name);
  g_free (c->birth_date);
  g_free (c->sex);
  g_free (c->address);
  g_free (c->issue_date);
  g_free (c->province_code);
  g_free (c);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TtCccd, tt_cccd_free)

static TtCccd *
tt_cccd_copy (const TtCccd *c)
{
  TtCccd *copy;

  if (c == NULL)
    return NULL;
  copy = g_new0 (TtCccd, 1);
  copy->id12 = g_strdup (c->id12);
  copy->old_id9 = g_strdup (c->old_id9);
  copy->name = g_strdup (c->name);
  copy->birth_date = g_strdup (c->birth_date);
  copy->sex = g_strdup (c->sex);
  copy->female = c->female;
  copy->address = g_strdup (c->address);
  copy->issue_date = g_strdup (c->issue_date);
  copy->province_code = g_strdup (c->province_code);
  return copy;
}

TtCode *
tt_code_copy (const TtCode *code)
{
  TtCode *copy;

  g_return_val_if_fail (code != NULL, NULL);

  copy = g_new0 (TtCode, 1);
  copy->kind = code->kind;
  copy->payload = g_strdup (code->payload);
  copy->value = g_strdup (code->value);
  copy->cccd = tt_cccd_copy (code->cccd);
  copy->server = g_strdup (code->server);
  copy->enroll_code = g_strdup (code->enroll_code);
  return copy;
}

void
tt_code_free (TtCode *code)
{
  if (code == NULL)
    return;
  g_free (code->payload);
  g_free (code->value);
  tt_cccd_free (code->cccd);
  g_free (code->server);
  g_free (code->enroll_code);
  g_free (code);
}

const char *
tt_code_kind_to_string (TtCodeKind kind)
{
  switch (kind)
    {
    case TT_CODE_KIND_S10:     return "s10";
    case TT_CODE_KIND_URL:     return "url";
    case TT_CODE_KIND_DOSSIER: return "dossier";
    case TT_CODE_KIND_CCCD:    return "cccd";
    case TT_CODE_KIND_ENROLL:  return "enroll";
    default:                   g_return_val_if_reached (NULL);
    }
}

/* Characters nobody can see on a label: they have no place in a code and
 * can make one text look like another (right-to-left overrides). */
static gboolean
is_hidden (gunichar c)
{
  switch (g_unichar_type (c))
    {
    case G_UNICODE_CONTROL:
    case G_UNICODE_FORMAT:
    case G_UNICODE_UNASSIGNED:
    case G_UNICODE_PRIVATE_USE:
    case G_UNICODE_SURROGATE:
    case G_UNICODE_LINE_SEPARATOR:
    case G_UNICODE_PARAGRAPH_SEPARATOR:
      return TRUE;
    default:
      return FALSE;
    }
}

char *
tt_code_describe (const char *data,
                  gssize      len,
                  guint       max_chars)
{
  GString *s;
  gsize n;
  guint chars = 0;

  if (data == NULL)
    return g_strdup ("");
  n = len < 0 ? strlen (data) : (gsize) len;
  s = g_string_sized_new (MIN (n, max_chars * 4) + 8);

  for (gsize i = 0; i < n;)
    {
      gunichar c;
      gsize step = 1;

      if (chars >= max_chars)
        {
          g_string_append (s, "…");
          break;
        }
      chars++;

      if ((guchar) data[i] < 0x80)
        c = (guchar) data[i];
      else
        {
          c = g_utf8_get_char_validated (data + i, n - i);
          if (c == (gunichar) -1 || c == (gunichar) -2)
            {
              g_string_append_printf (s, "\\x%02X", (guchar) data[i]);
              i++;
              continue;
            }
          step = g_utf8_next_char (data + i) - (data + i);
        }

      if (c == '\n')
        g_string_append (s, "\\n");
      else if (c == '\r')
        g_string_append (s, "\\r");
      else if (c == '\t')
        g_string_append (s, "\\t");
      else if (c < 0x20 || c == 0x7f)
        g_string_append_printf (s, "\\x%02X", c);
      else if (is_hidden (c))
        g_string_append_printf (s, "<U+%04X>", c);
      else
        g_string_append_len (s, data + i, step);
      i += step;
    }
  return g_string_free (s, FALSE);
}

static gboolean
reject (GError     **error,
        TtCodeError  code,
        const char  *data,
        gssize       len,
        const char  *reason)
{
  g_autofree char *quoted = tt_code_describe (data, len, QUOTE_CHARS);

  /* TRANSLATORS: the first %s is the scanned text, the second says why it
   * is refused. */
  g_set_error (error, TT_CODE_ERROR, code, _("“%s” is not accepted: %s"), quoted, reason);
  return FALSE;
}

static gboolean
all_digits (const char *s,
            gsize       n)
{
  for (gsize i = 0; i < n; i++)
    if (!g_ascii_isdigit (s[i]))
      return FALSE;
  return TRUE;
}

int
tt_code_s10_check_digit (const char *digits8)
{
  int sum = 0, check;

  if (digits8 == NULL || strnlen (digits8, 9) < 8 || !all_digits (digits8, 8))
    return -1;
  for (int i = 0; i < 8; i++)
    sum += (digits8[i] - '0') * s10_weights[i];
  check = 11 - sum % 11;
  if (check == 10)
    return 0;
  if (check == 11)
    return 5;
  return check;
}

char *
tt_code_s10_make (const char *prefix2,
                  guint       serial8,
                  const char *country2)
{
  char digits[9];

  g_return_val_if_fail (prefix2 != NULL && strlen (prefix2) == 2, NULL);
  g_return_val_if_fail (g_ascii_isupper (prefix2[0]) && g_ascii_isupper (prefix2[1]), NULL);
  g_return_val_if_fail (country2 != NULL && strlen (country2) == 2, NULL);
  g_return_val_if_fail (g_ascii_isupper (country2[0]) && g_ascii_isupper (country2[1]), NULL);
  g_return_val_if_fail (serial8 < 100000000u, NULL);

  g_snprintf (digits, sizeof digits, "%08u", serial8);
  return g_strdup_printf ("%s%s%d%s", prefix2, digits, tt_code_s10_check_digit (digits), country2);
}

/* Two letters, nine digits, two letters. */
static gboolean
s10_shaped (const char *s)
{
  return strlen (s) == 13
         && g_ascii_isupper (s[0]) && g_ascii_isupper (s[1])
         && all_digits (s + 2, 9)
         && g_ascii_isupper (s[11]) && g_ascii_isupper (s[12]);
}

/* @id is s10_shaped(); @data/@len is what to quote when it fails. */
static gboolean
s10_check (const char  *id,
           const char  *data,
           gssize       len,
           GError     **error)
{
  if (id[0] == 'J' || id[0] == 'K')
    return reject (error, TT_CODE_ERROR_SERVICE, data, len,
                   _("item ids starting with J or K are reserved and never used on mail"));
  if (tt_code_s10_check_digit (id + 2) != id[10] - '0')
    return reject (error, TT_CODE_ERROR_CHECK_DIGIT, data, len,
                   _("the check digit of the item id does not match; a character was misread or mistyped"));
  return TRUE;
}

gboolean
tt_code_s10_valid (const char  *id,
                   GError     **error)
{
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (id == NULL || !s10_shaped (id))
    return reject (error, TT_CODE_ERROR_UNKNOWN, id ? id : "", -1,
                   _("an item id is 2 capital letters, 9 digits and 2 capital letters, like RR123456785VN"));
  return s10_check (id, id, -1, error);
}

/* Upper case with ASCII spaces removed, as couriers type ids from a label
 * ("rr 123 456 785 vn"), or NULL when that is not S10-shaped. */
static char *
s10_normalise (const char *text)
{
  GString *s = g_string_new (NULL);

  for (const char *p = text; *p; p++)
    if (*p != ' ')
      g_string_append_c (s, g_ascii_toupper (*p));
  if (!s10_shaped (s->str))
    {
      g_string_free (s, TRUE);
      return NULL;
    }
  return g_string_free (s, FALSE);
}

/* Links: the id is taken from an id= or item= parameter, else from the
 * last path segment that has the shape of an item id. */
static gboolean
parse_url (const char  *text,
           TtCode      *code,
           GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GHashTable) params = NULL;
  g_auto(GStrv) segments = NULL;
  g_autofree char *id = NULL;
  const char *query, *path;

  uri = g_uri_parse (text, G_URI_FLAGS_ENCODED_QUERY, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return reject (error, TT_CODE_ERROR_URL, text, -1, _("this is not a well-formed web link"));

  query = g_uri_get_query (uri);
  if (query != NULL)
    params = g_uri_parse_params (query, -1, "&;", G_URI_PARAMS_CASE_INSENSITIVE, NULL);
  if (params != NULL)
    {
      const char *keys[] = { "id", "item" };

      for (guint i = 0; i < G_N_ELEMENTS (keys) && id == NULL; i++)
        {
          const char *v = g_hash_table_lookup (params, keys[i]);

          if (v == NULL)
            continue;
          id = s10_normalise (v);
          if (id == NULL)
            return reject (error, TT_CODE_ERROR_URL, text, -1,
                           _("the link’s item parameter is not an item id"));
        }
    }

  path = g_uri_get_path (uri);
  segments = g_strsplit (path ? path : "", "/", -1);
  for (int i = (int) g_strv_length (segments) - 1; i >= 0 && id == NULL; i--)
    {
      g_autofree char *seg = g_uri_unescape_string (segments[i], NULL);

      if (seg != NULL && *seg != '\0')
        id = s10_normalise (seg);
    }

  if (id == NULL)
    return reject (error, TT_CODE_ERROR_URL, text, -1, _("the link carries no item id"));
  if (!s10_check (id, text, -1, error))
    return FALSE;

  code->kind = TT_CODE_KIND_URL;
  code->value = g_steal_pointer (&id);
  return TRUE;
}

static gboolean
parse_enroll (const char  *text,
              TtCode      *code,
              GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autoptr(GUri) server = NULL;
  g_autoptr(GHashTable) params = NULL;
  const char *server_str, *enroll_code, *host, *scheme;

  uri = g_uri_parse (text, G_URI_FLAGS_ENCODED_QUERY, NULL);
  if (uri == NULL || g_strcmp0 (g_uri_get_host (uri), "enroll") != 0 || g_uri_get_query (uri) == NULL)
    return reject (error, TT_CODE_ERROR_ENROLL, text, -1,
                   _("an enrollment code looks like tantay://enroll?server=…&code=…"));
  params = g_uri_parse_params (g_uri_get_query (uri), -1, "&", G_URI_PARAMS_NONE, NULL);
  if (params == NULL)
    return reject (error, TT_CODE_ERROR_ENROLL, text, -1,
                   _("the enrollment code’s parameters are malformed"));

  server_str = g_hash_table_lookup (params, "server");
  enroll_code = g_hash_table_lookup (params, "code");
  if (server_str == NULL || *server_str == '\0')
    return reject (error, TT_CODE_ERROR_ENROLL, text, -1, _("the enrollment code names no server"));
  if (enroll_code == NULL || *enroll_code == '\0')
    return reject (error, TT_CODE_ERROR_ENROLL, text, -1,
                   _("the enrollment code has no one-time code"));

  server = g_uri_parse (server_str, G_URI_FLAGS_NONE, NULL);
  host = server ? g_uri_get_host (server) : NULL;
  scheme = server ? g_uri_get_scheme (server) : NULL;
  if (host == NULL || *host == '\0'
      || (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0))
    return reject (error, TT_CODE_ERROR_ENROLL, text, -1,
                   _("the server in the enrollment code is not an http or https address"));
  /* Plain http would send the device token in clear: only for a server
   * on this very device (tests, demos). */
  if (g_ascii_strcasecmp (scheme, "http") == 0
      && !g_str_equal (host, "127.0.0.1") && !g_str_equal (host, "::1")
      && !g_str_equal (host, "localhost"))
    return reject (error, TT_CODE_ERROR_ENROLL, text, -1,
                   _("the server must use https (plain http is only allowed on this device)"));

  code->kind = TT_CODE_KIND_ENROLL;
  code->value = g_strdup (text);
  code->server = g_strdup (server_str);
  code->enroll_code = g_strdup (enroll_code);
  return TRUE;
}

/* Agency code (dot-separated groups of letters and digits, e.g.
 * 000.00.20.H26), "-YYMMDD-NNNN" (date received, daily sequence). */
static gboolean
dossier_shaped (const char *s,
                gboolean   *date_ok)
{
  const char *dash1, *dash2;
  gsize agency_len;
  guint groups = 1, yy, mm, dd;

  dash2 = strrchr (s, '-');
  if (dash2 == NULL || dash2 == s)
    return FALSE;
  dash1 = dash2 - 1;
  while (dash1 > s && *dash1 != '-')
    dash1--;
  if (*dash1 != '-' || dash2 - dash1 - 1 != 6 || !all_digits (dash1 + 1, 6)
      || strlen (dash2 + 1) != 4 || !all_digits (dash2 + 1, 4))
    return FALSE;

  agency_len = dash1 - s;
  if (agency_len < 3 || agency_len > 32 || s[0] == '.' || s[agency_len - 1] == '.')
    return FALSE;
  for (gsize i = 0; i < agency_len; i++)
    {
      if (s[i] == '.')
        {
          if (s[i + 1] == '.')
            return FALSE;
          groups++;
        }
      else if (!g_ascii_isalnum (s[i]))
        return FALSE;
    }
  if (groups < 2)
    return FALSE;

  yy = (dash1[1] - '0') * 10 + (dash1[2] - '0');
  mm = (dash1[3] - '0') * 10 + (dash1[4] - '0');
  dd = (dash1[5] - '0') * 10 + (dash1[6] - '0');
  *date_ok = g_date_valid_dmy (dd, mm, 2000 + yy);
  return TRUE;
}

static void
mask_digits (GString    *s,
             const char *field)
{
  gsize n = strlen (field);

  /* Only the last four digits of an id may be shown or kept. */
  for (gsize i = 0; i < n; i++)
    {
      if (i + 4 < n)
        g_string_append (s, "•");
      else
        g_string_append_c (s, field[i]);
    }
}

/* Citizen-ID errors quote the card's number masked, never the name, birth
 * date or address: they may end up in a log. */
static gboolean
reject_cccd (GError     **error,
             const char  *id_field,
             const char  *reason)
{
  g_autoptr(GString) s = g_string_new (NULL);
  g_autofree char *shown = NULL;

  mask_digits (s, id_field);
  g_string_append (s, "|…");
  shown = tt_code_describe (s->str, s->len, QUOTE_CHARS);
  /* TRANSLATORS: %s is a masked citizen-ID number, e.g. ••••••••3456|… */
  g_set_error (error, TT_CODE_ERROR, TT_CODE_ERROR_CCCD,
               _("Citizen ID QR “%s” is not accepted: %s"), shown, reason);
  return FALSE;
}

/* ddmmyyyy → a valid date, or FALSE. */
static gboolean
parse_ddmmyyyy (const char *s,
                GDate      *date)
{
  guint d, m, y;

  if (strlen (s) != 8 || !all_digits (s, 8))
    return FALSE;
  d = (s[0] - '0') * 10 + (s[1] - '0');
  m = (s[2] - '0') * 10 + (s[3] - '0');
  y = (s[4] - '0') * 1000 + (s[5] - '0') * 100 + (s[6] - '0') * 10 + (s[7] - '0');
  if (y < 1800 || !g_date_valid_dmy (d, m, y))
    return FALSE;
  g_date_clear (date, 1);
  g_date_set_dmy (date, d, m, y);
  return TRUE;
}

static char *
iso_date (const GDate *d)
{
  return g_strdup_printf ("%04u-%02u-%02u", g_date_get_year (d), g_date_get_month (d),
                          g_date_get_day (d));
}

static gboolean
parse_cccd (const char  *text,
            TtCode      *code,
            GError     **error)
{
  g_auto(GStrv) f = g_strsplit (text, "|", -1);
  g_autoptr(TtCccd) c = NULL;
  g_autofree char *sex_folded = NULL;
  guint n = g_strv_length (f);
  const char *id12, *id9, *name, *birth, *sex, *address, *issue;
  GDate birth_date, issue_date, today;
  guint province, digit, century, yy;
  gboolean known_province = FALSE;

  if (n != 6 && n != 7)
    {
      g_autofree char *why = g_strdup_printf (
          _("a citizen-ID QR has 6 or 7 fields separated by “|”, this one has %u"), n);
      return reject_cccd (error, f[0], why);
    }
  id12 = f[0];
  id9 = n == 7 ? f[1] : "";
  name = f[n - 5];
  birth = f[n - 4];
  sex = f[n - 3];
  address = f[n - 2];
  issue = f[n - 1];

  if (strlen (id12) != 12 || !all_digits (id12, 12))
    return reject_cccd (error, id12, _("the card number must have 12 digits"));
  if (*id9 != '\0' && (strlen (id9) != 9 || !all_digits (id9, 9)))
    return reject_cccd (error, id12, _("the old ID number must be empty or have 9 digits"));
  if (*g_strstrip (f[n - 5]) == '\0')
    return reject_cccd (error, id12, _("the name is empty"));
  if (!parse_ddmmyyyy (birth, &birth_date))
    return reject_cccd (error, id12, _("the birth date is not a date (ddmmyyyy)"));
  if (!parse_ddmmyyyy (issue, &issue_date))
    return reject_cccd (error, id12, _("the date of issue is not a date (ddmmyyyy)"));

  g_date_clear (&today, 1);
  g_date_set_time_t (&today, time (NULL));
  g_date_add_days (&today, 1);  /* the card's time zone may be ahead of ours */
  if (g_date_compare (&birth_date, &today) > 0 || g_date_compare (&issue_date, &today) > 0)
    return reject_cccd (error, id12, _("a date on the card lies in the future"));
  if (g_date_compare (&issue_date, &birth_date) < 0)
    return reject_cccd (error, id12, _("the card was issued before its holder was born"));

  province = (id12[0] - '0') * 100 + (id12[1] - '0') * 10 + (id12[2] - '0');
  for (guint i = 0; i < G_N_ELEMENTS (province_codes); i++)
    if (province_codes[i] == province)
      known_province = TRUE;
  if (!known_province)
    return reject_cccd (error, id12, _("the card number does not start with a province code"));

  /* 4th digit: century of birth and sex (0/1 1900s, 2/3 2000s, …;
   * even male, odd female); 5th and 6th: the year of birth. */
  digit = id12[3] - '0';
  century = 1900 + (digit / 2) * 100;
  yy = (id12[4] - '0') * 10 + (id12[5] - '0');
  if (g_date_get_year (&birth_date) != century + yy)
    return reject_cccd (error, id12,
                        _("the card number does not match the birth date (century or year)"));

  sex_folded = tt_text_fold (sex);
  if (!g_str_equal (sex_folded, "nam") && !g_str_equal (sex_folded, "nu"))
    return reject_cccd (error, id12, _("the sex field is neither “Nam” nor “Nữ”"));
  if (g_str_equal (sex_folded, "nu") != (digit % 2 == 1))
    return reject_cccd (error, id12, _("the card number does not match the sex on the card"));

  c = g_new0 (TtCccd, 1);
  c->id12 = g_strdup (id12);
  c->old_id9 = *id9 ? g_strdup (id9) : NULL;
  c->name = g_strdup (name);
  c->birth_date = iso_date (&birth_date);
  c->sex = g_strdup (sex);
  c->female = digit % 2 == 1;
  c->address = g_strdup (address);
  c->issue_date = iso_date (&issue_date);
  c->province_code = g_strndup (id12, 3);

  code->kind = TT_CODE_KIND_CCCD;
  code->value = g_strdup (id12);
  code->cccd = g_steal_pointer (&c);
  return TRUE;
}

static gboolean
has_prefix_ascii_nocase (const char *s,
                         const char *prefix)
{
  return g_ascii_strncasecmp (s, prefix, strlen (prefix)) == 0;
}

/**
 * tt_code_parse:
 * @data: the scanned or typed bytes
 * @len: their length, or -1 when @data is NUL-terminated
 * @out: (out): the accepted code
 * @error: why it is not accepted; the message quotes what was scanned
 *
 * Classifies and validates a payload: an S10 item id, a link carrying
 * one, a dossier code, a citizen-ID QR or an enrollment code.  Leading
 * and trailing white space (a scanner's line end) is ignored; everything
 * else must be exact.
 */
gboolean
tt_code_parse (const char  *data,
               gssize       len,
               TtCode     **out,
               GError     **error)
{
  g_autoptr(TtCode) code = NULL;
  g_autofree char *text = NULL;
  g_autofree char *id = NULL;
  gsize n;
  gboolean date_ok = FALSE;

  g_return_val_if_fail (data != NULL || len == 0, FALSE);
  g_return_val_if_fail (out != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  *out = NULL;
  n = len < 0 ? strlen (data) : (gsize) len;
  if (n == 0)
    return reject (error, TT_CODE_ERROR_EMPTY, "", 0, _("nothing was scanned"));

  if (n > TT_CODE_MAX_LENGTH)
    {
      /* A plain %lu: xgettext cannot see through G_GSIZE_FORMAT. */
      g_autofree char *why = g_strdup_printf (
          _("at %lu bytes it is longer than any code this app reads"), (unsigned long) n);
      return reject (error, TT_CODE_ERROR_TOO_LONG, data, n, why);
    }
  if (memchr (data, '\0', n) != NULL)
    return reject (error, TT_CODE_ERROR_ENCODING, data, n,
                   _("it contains NUL bytes, which no printed code holds"));
  if (!g_utf8_validate (data, n, NULL))
    return reject (error, TT_CODE_ERROR_ENCODING, data, n,
                   _("it is not valid UTF-8 text (a damaged or foreign code)"));

  text = g_strndup (data, n);
  g_strstrip (text);
  if (*text == '\0')
    return reject (error, TT_CODE_ERROR_EMPTY, data, n, _("nothing was scanned"));
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    if (is_hidden (g_utf8_get_char (p)))
      return reject (error, TT_CODE_ERROR_ENCODING, data, n,
                     _("it contains control or invisible characters (shown as <U+…> or \\x…)"));

  code = g_new0 (TtCode, 1);
  code->payload = g_strndup (data, n);

  if (has_prefix_ascii_nocase (text, "tantay:"))
    {
      if (!parse_enroll (text, code, error))
        return FALSE;
    }
  else if (has_prefix_ascii_nocase (text, "http://") || has_prefix_ascii_nocase (text, "https://"))
    {
      if (!parse_url (text, code, error))
        return FALSE;
    }
  else if (strchr (text, '|') != NULL)
    {
      if (!parse_cccd (text, code, error))
        return FALSE;
    }
  else if ((id = s10_normalise (text)) != NULL)
    {
      if (!s10_check (id, data, n, error))
        return FALSE;
      code->kind = TT_CODE_KIND_S10;
      code->value = g_steal_pointer (&id);
    }
  else if (dossier_shaped (text, &date_ok))
    {
      if (!date_ok)
        return reject (error, TT_CODE_ERROR_DOSSIER, data, n,
                       _("the date in the dossier code (YYMMDD) is not a real date"));
      code->kind = TT_CODE_KIND_DOSSIER;
      code->value = g_ascii_strup (text, -1);
    }
  else
    return reject (error, TT_CODE_ERROR_UNKNOWN, data, n,
                   _("it is not an item id (like RR123456785VN), a tracking link, a dossier "
                     "code, a citizen ID card or an enrollment code"));

  *out = g_steal_pointer (&code);
  return TRUE;
}
