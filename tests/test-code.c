/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "tt-code.h"
#include "tt-manifest.h"
#include "tt-store.h"
#include "tt-test-util.h"

#define ERR_NONE (-1)

typedef struct
{
  const char *payload;
  int         kind;      /* TtCodeKind, or ERR_NONE when rejected */
  const char *value;     /* normalised value, or a piece the error must quote */
  int         error;     /* TtCodeError when rejected */
} Case;

#define OK(p, k, v)  { p, TT_CODE_KIND_##k, v, ERR_NONE }
#define BAD(p, e, q) { p, ERR_NONE, q, TT_CODE_ERROR_##e }

static const Case cases[] = {
  /* UPU S10: the worked examples, spaces and case, typos, reserved services */
  OK ("EE473124829VN", S10, "EE473124829VN"),
  OK ("RR287043775IN", S10, "RR287043775IN"),   /* remainder 0 → 5 */
  OK ("RR123456785VN", S10, "RR123456785VN"),
  OK ("EE123456140VN", S10, "EE123456140VN"),   /* remainder 1 → 0 */
  OK ("rr123456785vn", S10, "RR123456785VN"),
  OK (" rr 123 456 785 vn\r\n", S10, "RR123456785VN"),
  OK ("EE 473 124 829 VN\t", S10, "EE473124829VN"),
  BAD ("RR123456784VN", CHECK_DIGIT, "RR123456784VN"),
  BAD ("RR123556785VN", CHECK_DIGIT, "RR123556785VN"),
  BAD ("EE473124828VN", CHECK_DIGIT, "EE473124828VN"),
  BAD ("JJ123456785VN", SERVICE, "JJ123456785VN"),
  BAD ("KA123456785VN", SERVICE, "KA123456785VN"),
  BAD ("RR12345678VN", UNKNOWN, "RR12345678VN"),
  BAD ("R1123456785VN", UNKNOWN, "R1123456785VN"),

  /* links carrying an item id */
  OK ("https://tracking.example.vn/track/EE473124829VN", URL, "EE473124829VN"),
  OK ("https://tracking.example.vn/track/EE473124829VN/", URL, "EE473124829VN"),
  OK ("HTTPS://example.vn/tra-cuu?id=rr123456785vn", URL, "RR123456785VN"),
  OK ("http://example.vn/a?lang=vi&item=EE123456140VN", URL, "EE123456140VN"),
  OK ("https://example.vn/t/RR%20123456785VN", URL, "RR123456785VN"),
  BAD ("https://example.vn/track/EE473124828VN", CHECK_DIGIT, "EE473124828VN"),
  BAD ("https://example.vn/about", URL, "https://example.vn/about"),
  BAD ("https://example.vn/t?id=hello", URL, "id=hello"),
  BAD ("https:///track/EE473124829VN", URL, "https:///track"),

  /* dossier codes (Circular 01/2018/TT-VPCP) */
  OK ("000.00.20.H26-240105-0012", DOSSIER, "000.00.20.H26-240105-0012"),
  OK ("000.00.20.h26-240105-0012", DOSSIER, "000.00.20.H26-240105-0012"),
  OK ("G01.999-240229-0001", DOSSIER, "G01.999-240229-0001"),
  BAD ("000.00.20.H26-241305-0012", DOSSIER, "241305"),
  BAD ("G01.999-230229-0001", DOSSIER, "230229"),
  BAD ("000.00.20.H26-240105-12", UNKNOWN, "240105-12"),
  BAD ("H26-240105-0012", UNKNOWN, "H26-240105"),

  /* enrollment */
  OK ("tantay://enroll?server=https://post.example.vn&code=AB12CD", ENROLL,
      "tantay://enroll?server=https://post.example.vn&code=AB12CD"),
  OK ("tantay://enroll?server=http://127.0.0.1:8080&code=x1", ENROLL,
      "tantay://enroll?server=http://127.0.0.1:8080&code=x1"),
  BAD ("tantay://enroll?code=AB12CD", ENROLL, "code=AB12CD"),
  BAD ("tantay://enroll?server=https://post.example.vn", ENROLL, "tantay://enroll"),
  BAD ("tantay://enroll?server=http://10.0.0.5&code=x", ENROLL, "10.0.0.5"),
  BAD ("tantay://enroll?server=ftp://x.vn&code=x", ENROLL, "ftp://"),
  BAD ("tantay://pair?server=https://x.vn&code=x", ENROLL, "tantay://pair"),

  /* anything else */
  BAD ("MEBKM:URL:http\\://en.wikipedia.org/wiki/Main_Page;;", UNKNOWN, "MEBKM:URL"),
  BAD ("1234567890", UNKNOWN, "1234567890"),
  BAD ("Xin chào", UNKNOWN, "Xin chào"),

  /* adversarial */
  BAD ("", EMPTY, ""),
  BAD (" \r\n\t", EMPTY, "\\r\\n\\t"),
  BAD ("\xff\xfeRR123456785VN", ENCODING, "\\xFF\\xFE"),
  BAD ("RR1234\xc3", ENCODING, "\\xC3"),
  BAD ("\xe2\x80\xaeNV587654321RR", ENCODING, "<U+202E>NV587654321RR"),
  BAD ("RR123456785VN\xe2\x80\x8f", ENCODING, "RR123456785VN<U+200F>"),
  BAD ("\xef\xbb\xbfRR123456785VN", ENCODING, "<U+FEFF>"),
  BAD ("RR1234\x1b[2J56785VN", ENCODING, "RR1234\\x1B[2J"),
  BAD ("https://x.vn/track/\xe2\x80\x8e" "EE473124829VN", ENCODING, "<U+200E>"),
};

static void
test_table (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      const Case *c = &cases[i];
      g_autoptr(TtCode) code = NULL;
      g_autoptr(GError) error = NULL;
      gboolean ok = tt_code_parse (c->payload, -1, &code, &error);

      g_test_message ("case %u", i);
      if (c->kind != ERR_NONE)
        {
          g_assert_no_error (error);
          g_assert_true (ok);
          g_assert_cmpint (code->kind, ==, c->kind);
          g_assert_cmpstr (code->value, ==, c->value);
          g_assert_cmpstr (code->payload, ==, c->payload);
        }
      else
        {
          g_assert_false (ok);
          g_assert_null (code);
          g_assert_error (error, TT_CODE_ERROR, c->error);
          /* The message quotes what was scanned, made visible. */
          g_assert_nonnull (strstr (error->message, c->value));
          g_assert_true (g_utf8_validate (error->message, -1, NULL));
        }
    }
}

static void
test_enroll_fields (void)
{
  g_autoptr(TtCode) code = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (tt_code_parse ("tantay://enroll?server=https%3A%2F%2Fpost.example.vn%2Fapi&code=Z9",
                                -1, &code, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (code->server, ==, "https://post.example.vn/api");
  g_assert_cmpstr (code->enroll_code, ==, "Z9");
  g_assert_cmpstr (tt_code_kind_to_string (code->kind), ==, "enroll");
}

typedef struct
{
  const char *payload;
  const char *id12;
  const char *old_id9;
  const char *name;
  const char *birth;
  gboolean    female;
  const char *address;
  const char *issue;
} CccdCase;

static void
test_cccd_valid (void)
{
  static const CccdCase ok[] = {
    { "001090123456|012345678|NGUYỄN VĂN A|01011990|Nam|Số 1 Phố Huế, Hà Nội|15042021",
      "001090123456", "012345678", "NGUYỄN VĂN A", "1990-01-01", FALSE,
      "Số 1 Phố Huế, Hà Nội", "2021-04-15" },
    /* 7 fields, old id empty; born in the 2000s, female */
    { "079305001234||Trần Thị Bích Ngọc|12032005|Nữ|12 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh|20052021",
      "079305001234", NULL, "Trần Thị Bích Ngọc", "2005-03-12", TRUE,
      "12 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh", "2021-05-20" },
    /* 6 fields: no old-id field at all */
    { "048199001234|LÊ THỊ HOA|05061999|Nữ|Phường Hải Châu, Đà Nẵng|01022022",
      "048199001234", NULL, "LÊ THỊ HOA", "1999-06-05", TRUE,
      "Phường Hải Châu, Đà Nẵng", "2022-02-01" },
    /* read by a wedge scanner that lost the diacritics */
    { "031088004321|031456789|PHAM VAN DUC|30111988|Nam|Hai Phong|10102021",
      "031088004321", "031456789", "PHAM VAN DUC", "1988-11-30", FALSE, "Hai Phong", "2021-10-10" },
    { "031088004321|031456789|PHAM THI DUNG|30111988|Nu|Hai Phong|10102021\r\n",
      NULL, NULL, NULL, NULL, FALSE, NULL, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (ok); i++)
    {
      g_autoptr(TtCode) code = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("cccd %u", i);
      g_assert_true (tt_code_parse (ok[i].payload, -1, &code, &error) || ok[i].id12 == NULL);
      if (ok[i].id12 == NULL)
        {
          /* "Nu" on an even (male) number: the sex does not match. */
          g_assert_error (error, TT_CODE_ERROR, TT_CODE_ERROR_CCCD);
          continue;
        }
      g_assert_no_error (error);
      g_assert_cmpint (code->kind, ==, TT_CODE_KIND_CCCD);
      g_assert_cmpstr (code->value, ==, ok[i].id12);
      g_assert_cmpstr (code->cccd->id12, ==, ok[i].id12);
      g_assert_cmpstr (code->cccd->old_id9, ==, ok[i].old_id9);
      g_assert_cmpstr (code->cccd->name, ==, ok[i].name);
      g_assert_cmpstr (code->cccd->birth_date, ==, ok[i].birth);
      g_assert_cmpint (code->cccd->female, ==, ok[i].female);
      g_assert_cmpstr (code->cccd->address, ==, ok[i].address);
      g_assert_cmpstr (code->cccd->issue_date, ==, ok[i].issue);
      g_assert_cmpstr (code->payload, ==, ok[i].payload);

      /* A copy is deep. */
      {
        g_autoptr(TtCode) copy = tt_code_copy (code);
        g_assert_true (copy->cccd != code->cccd);
        g_assert_cmpstr (copy->cccd->name, ==, code->cccd->name);
      }
    }
}

static void
test_cccd_invalid (void)
{
  static const struct { const char *payload; const char *why; } bad[] = {
    { "001090123456|NGUYỄN VĂN A|01011990|Nam|Hà Nội", "has 5" },
    { "001090123456|012345678|NGUYỄN VĂN A|01011990|Nam|Hà Nội|15042021|x", "has 8" },
    { "00109012345|012345678|NGUYỄN VĂN A|01011990|Nam|Hà Nội|15042021", "12 digits" },
    { "00109012345X|012345678|NGUYỄN VĂN A|01011990|Nam|Hà Nội|15042021", "12 digits" },
    { "001090123456|01234567|NGUYỄN VĂN A|01011990|Nam|Hà Nội|15042021", "9 digits" },
    { "001090123456|012345678| |01011990|Nam|Hà Nội|15042021", "name" },
    { "001090123456|012345678|NGUYỄN VĂN A|31021990|Nam|Hà Nội|15042021", "birth date" },
    { "001090123456|012345678|NGUYỄN VĂN A|1011990|Nam|Hà Nội|15042021", "birth date" },
    { "001090123456|012345678|NGUYỄN VĂN A|01011990|Nam|Hà Nội|32042021", "issue" },
    { "001090123456|012345678|NGUYỄN VĂN A|01011990|Nam|Hà Nội|15041989", "before" },
    { "001090123456|012345678|NGUYỄN VĂN A|01011990|Nam|Hà Nội|15042999", "future" },
    /* 003 is no province code */
    { "003090123456|012345678|NGUYỄN VĂN A|01011990|Nam|Hà Nội|15042021", "province" },
    /* century digit 2 (2000s) with a birth in 1990 */
    { "001290123456|012345678|NGUYỄN VĂN A|01011990|Nam|Hà Nội|15042021", "birth date" },
    /* year digits 91 with a birth in 1990 */
    { "001091123456|012345678|NGUYỄN VĂN A|01011990|Nam|Hà Nội|15042021", "birth date" },
    /* digit 0 is male, card says female */
    { "001090123456|012345678|NGUYỄN THỊ A|01011990|Nữ|Hà Nội|15042021", "sex" },
    { "001090123456|012345678|NGUYỄN VĂN A|01011990|M|Hà Nội|15042021", "Nam" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(TtCode) code = NULL;
      g_autoptr(GError) error = NULL;

      g_test_message ("cccd bad %u", i);
      g_assert_false (tt_code_parse (bad[i].payload, -1, &code, &error));
      g_assert_null (code);
      g_assert_error (error, TT_CODE_ERROR, TT_CODE_ERROR_CCCD);
      g_assert_nonnull (strstr (error->message, bad[i].why));
      /* Personal data stays out of messages: the name, the dates and
       * all but the last four digits of the number. */
      g_assert_null (strstr (error->message, "NGUY"));
      g_assert_null (strstr (error->message, "1990"));
      g_assert_null (strstr (error->message, "Hà Nội"));
      g_assert_null (strstr (error->message, "00109"));
    }
}

static void
test_adversarial (void)
{
  g_autoptr(TtCode) code = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *big = g_malloc (100 * 1024);
  static const char nul[] = "RR123\0" "456785VN";
  static const char cccd_rtl[] =
    "001090123456|012345678|NGUY\xe2\x80\x8f" "ỄN VĂN A|01011990|Nam|Hà Nội|15042021";

  /* 100 KB of plausible text: refused at once, message stays short. */
  memset (big, 'A', 100 * 1024);
  g_assert_false (tt_code_parse (big, 100 * 1024, &code, &error));
  g_assert_error (error, TT_CODE_ERROR, TT_CODE_ERROR_TOO_LONG);
  g_assert_cmpuint (strlen (error->message), <, 300);
  g_assert_nonnull (strstr (error->message, "102400"));
  g_clear_error (&error);

  /* Same with a valid id in front of 100 KB of spaces. */
  memset (big, ' ', 100 * 1024);
  memcpy (big, "RR123456785VN", 13);
  g_assert_false (tt_code_parse (big, 100 * 1024, &code, &error));
  g_assert_error (error, TT_CODE_ERROR, TT_CODE_ERROR_TOO_LONG);
  g_clear_error (&error);

  /* NUL bytes inside: never silently cut at the NUL. */
  g_assert_false (tt_code_parse (nul, sizeof nul - 1, &code, &error));
  g_assert_error (error, TT_CODE_ERROR, TT_CODE_ERROR_ENCODING);
  g_assert_nonnull (strstr (error->message, "RR123\\x00456785VN"));
  g_clear_error (&error);

  /* A length of zero with a non-NULL pointer, and with NULL. */
  g_assert_false (tt_code_parse ("RR123456785VN", 0, &code, &error));
  g_assert_error (error, TT_CODE_ERROR, TT_CODE_ERROR_EMPTY);
  g_clear_error (&error);
  g_assert_false (tt_code_parse (NULL, 0, &code, &error));
  g_assert_error (error, TT_CODE_ERROR, TT_CODE_ERROR_EMPTY);
  g_clear_error (&error);

  /* A right-to-left mark hidden in a citizen-ID name. */
  g_assert_false (tt_code_parse (cccd_rtl, -1, &code, &error));
  g_assert_error (error, TT_CODE_ERROR, TT_CODE_ERROR_ENCODING);
  g_clear_error (&error);

  /* Every prefix of valid payloads is either accepted or refused with a
   * message, never a crash or a warning. */
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    for (gsize n = 0; n <= strlen (cases[i].payload); n++)
      {
        g_autoptr(TtCode) c = NULL;
        g_autoptr(GError) e = NULL;

        if (!tt_code_parse (cases[i].payload, n, &c, &e))
          g_assert_true (e != NULL && e->message[0] != '\0');
      }
}

static void
test_describe (void)
{
  static const struct { const char *in; gssize len; guint max; const char *out; } cases_d[] = {
    { "RR123456785VN", -1, 48, "RR123456785VN" },
    { "a\nb\rc\td", -1, 48, "a\\nb\\rc\\td" },
    { "ab\0cd", 5, 48, "ab\\x00cd" },
    { "Hu\xe1\xba\xbf", -1, 48, "Huế" },
    { "Hu\xe1\xba", -1, 48, "Hu\\xE1\\xBA" },
    { "\xe2\x80\x8f" "abc", -1, 48, "<U+200F>abc" },
    { "abcdef", -1, 3, "abc…" },
    { "Đà Nẵng", -1, 4, "Đà N…" },
    { "", -1, 3, "" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases_d); i++)
    {
      g_autofree char *s = tt_code_describe (cases_d[i].in, cases_d[i].len, cases_d[i].max);
      g_assert_cmpstr (s, ==, cases_d[i].out);
    }
}

static void
test_s10_make_and_valid (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *a = tt_code_s10_make ("RR", 12345678, "VN");
  g_autofree char *b = tt_code_s10_make ("EE", 47312482, "VN");
  g_autofree char *c = tt_code_s10_make ("RR", 28704377, "IN");
  g_autofree char *d = tt_code_s10_make ("EE", 12345614, "VN");
  GRand *rand = g_rand_new_with_seed (45);

  g_assert_cmpstr (a, ==, "RR123456785VN");
  g_assert_cmpstr (b, ==, "EE473124829VN");
  g_assert_cmpstr (c, ==, "RR287043775IN");
  g_assert_cmpstr (d, ==, "EE123456140VN");
  g_assert_cmpint (tt_code_s10_check_digit ("1234567"), ==, -1);
  g_assert_cmpint (tt_code_s10_check_digit ("1234567x"), ==, -1);

  g_assert_true (tt_code_s10_valid ("RR123456785VN", &error));
  g_assert_no_error (error);
  g_assert_false (tt_code_s10_valid ("rr123456785vn", &error));
  g_assert_error (error, TT_CODE_ERROR, TT_CODE_ERROR_UNKNOWN);
  g_clear_error (&error);
  g_assert_false (tt_code_s10_valid ("RR123456786VN", &error));
  g_assert_error (error, TT_CODE_ERROR, TT_CODE_ERROR_CHECK_DIGIT);
  g_clear_error (&error);
  g_assert_false (tt_code_s10_valid ("KK123456785VN", &error));
  g_assert_error (error, TT_CODE_ERROR, TT_CODE_ERROR_SERVICE);
  g_clear_error (&error);

  /* Made ids are valid, and a wrong check digit is always caught. */
  for (guint i = 0; i < 2000; i++)
    {
      g_autofree char *id = tt_code_s10_make ("CP", g_rand_int_range (rand, 0, 100000000), "VN");

      g_assert_true (tt_code_s10_valid (id, NULL));
      for (char k = '0'; k <= '9'; k++)
        if (k != id[10])
          {
            char typo[14];

            memcpy (typo, id, sizeof typo);
            typo[10] = k;
            g_assert_false (tt_code_s10_valid (typo, NULL));
          }
    }
  g_rand_free (rand);
}

/* A route with an id that fails its check digit is refused, naming the
 * item, and the route already on the device stays as it was. */
static void
test_manifest_bad_id (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "tantay.db", NULL);
  g_autofree char *good = tt_test_make_manifest (3, 7, "R-GOOD");
  g_autoptr(TtStore) store = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) bad = NULL;
  g_autoptr(TtItem) first = NULL;
  g_autofree char *first_id = tt_test_s10_id ("RR", 10000000);
  g_autofree char *typo = g_strdup (first_id);
  TtManifest *m;

  store = tt_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_true (tt_store_load_manifest (store, good, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tt_store_count_items (store), ==, 3);

  /* One digit changed in the serial of the first item. */
  typo[9] = typo[9] == '9' ? '0' : typo[9] + 1;
  g_assert_false (tt_code_s10_valid (typo, NULL));
  bad = g_string_new (good);
  g_assert_cmpuint (g_string_replace (bad, first_id, typo, 1), ==, 1);
  g_string_replace (bad, "R-GOOD", "R-BAD", 0);

  m = tt_manifest_parse (bad->str, -1, &error);
  g_assert_null (m);
  g_assert_error (error, TT_MANIFEST_ERROR, TT_MANIFEST_ERROR_FIELD);
  g_assert_nonnull (strstr (error->message, "Item 1"));
  g_assert_nonnull (strstr (error->message, typo));
  g_assert_nonnull (strstr (error->message, "check digit"));
  g_clear_error (&error);

  g_assert_false (tt_store_load_manifest (store, bad->str, -1, &error));
  g_assert_nonnull (error);
  g_assert_nonnull (strstr (error->message, typo));
  g_clear_error (&error);
  g_assert_cmpuint (tt_store_count_items (store), ==, 3);
  first = tt_store_get_item (store, first_id, &error);
  g_assert_no_error (error);
  g_assert_nonnull (first);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/code/table", test_table);
  g_test_add_func ("/code/enroll-fields", test_enroll_fields);
  g_test_add_func ("/code/cccd/valid", test_cccd_valid);
  g_test_add_func ("/code/cccd/invalid", test_cccd_invalid);
  g_test_add_func ("/code/adversarial", test_adversarial);
  g_test_add_func ("/code/describe", test_describe);
  g_test_add_func ("/code/s10", test_s10_make_and_valid);
  g_test_add_func ("/code/manifest-bad-id", test_manifest_bad_id);

  return g_test_run ();
}
