/* SPDX-License-Identifier: GPL-3.0-or-later */
/* data/demo-route.json: a valid manifest that looks like a real day, and
 * the citizen numbers of docs/demo.md match its hashes. */
#include "config.h"

#include <string.h>

#include "tt-fees.h"
#include "tt-identity.h"
#include "tt-manifest.h"
#include "tt-store.h"
#include "tt-test-util.h"

static char *
source_path (const char *relative)
{
  return g_build_filename (g_getenv ("TT_SOURCE_ROOT"), relative, NULL);
}

static TtManifest *
load_demo (void)
{
  g_autofree char *path = source_path ("data/demo-route.json");
  g_autofree char *json = NULL;
  g_autoptr(GError) error = NULL;
  gsize length;
  TtManifest *m;

  g_assert_true (g_file_get_contents (path, &json, &length, &error));
  m = tt_manifest_parse (json, length, &error);
  g_assert_no_error (error);
  return m;
}

/* UPU S10, checked here on its own rather than with the app's parser. */
static gboolean
s10_valid (const char *id)
{
  static const int weights[8] = { 8, 6, 4, 2, 3, 5, 9, 7 };
  int sum = 0, check;

  if (strlen (id) != 13 || !g_ascii_isupper (id[0]) || !g_ascii_isupper (id[1])
      || id[0] == 'J' || id[0] == 'K' || strcmp (id + 11, "VN") != 0)
    return FALSE;
  for (int i = 0; i < 9; i++)
    if (!g_ascii_isdigit (id[2 + i]))
      return FALSE;
  for (int i = 0; i < 8; i++)
    sum += (id[2 + i] - '0') * weights[i];
  check = 11 - sum % 11;
  check = check == 10 ? 0 : check == 11 ? 5 : check;
  return id[10] - '0' == check;
}

static void
test_realistic (void)
{
  g_autoptr(TtManifest) m = load_demo ();
  g_autoptr(GHashTable) provinces = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) procedures = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) beneficiaries = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GRegex) dossier = g_regex_new ("^\\d{3}\\.\\d{2}\\.\\d{2}\\.H\\d{2}-\\d{6}-\\d{4}$", 0, 0, NULL);
  guint accented = 0, pickups = 0, located = 0, districts = 0, proxies = 0, hashed = 0, free_items = 0;

  g_assert_cmpuint (m->items->len, >=, 40);
  for (guint i = 0; i < m->items->len; i++)
    {
      TtItem *item = g_ptr_array_index (m->items, i);

      g_assert_true (s10_valid (item->id));
      g_assert_cmpint (item->seq, ==, (int) i + 1);
      g_assert_true (g_regex_match (dossier, item->dossier_code, 0, NULL));
      accented += (gsize) g_utf8_strlen (item->recipient_name, -1) < strlen (item->recipient_name);
      g_assert_true (g_str_has_prefix (item->commune, "Phường ") || g_str_has_prefix (item->commune, "Xã ")
                     || g_str_has_prefix (item->commune, "Đặc khu "));
      g_assert_cmpint (item->postage_vnd, >, 0);
      if (item->beneficiary)
        {
          g_assert_nonnull (tt_beneficiary_lookup (item->beneficiary));
          g_hash_table_add (beneficiaries, item->beneficiary);
        }
      if (item->kind == TT_ITEM_KIND_PICKUP)
        {
          pickups++;
          g_assert_nonnull (item->checklist);
          g_assert_cmpuint (g_strv_length (item->checklist), >=, 2);
        }
      g_hash_table_add (provinces, item->province);
      g_hash_table_add (procedures, item->procedure);
      located += item->has_location;
      districts += item->district != NULL;
      proxies += item->proxy_allowed;
      hashed += item->id_hash != NULL;
      free_items += tt_item_get_amount_due (item) < item->fee_vnd + item->postage_vnd;
    }

  /* Vietnamese names carry their diacritics (a few minority names have none). */
  g_assert_cmpuint (accented, >=, m->items->len * 9 / 10);
  g_assert_cmpuint (pickups, >=, 4);
  g_assert_cmpuint (g_hash_table_size (provinces), >=, 15);
  g_assert_cmpuint (g_hash_table_size (provinces), <=, 34);
  g_assert_cmpuint (g_hash_table_size (procedures), >=, 10);
  g_assert_cmpuint (g_hash_table_size (beneficiaries), >=, 4);
  g_assert_cmpuint (free_items, >=, 4);
  /* Real routes are untidy: some items have no location, hash or proxy. */
  g_assert_cmpuint (located, <, m->items->len);
  g_assert_cmpuint (located, >=, m->items->len * 3 / 4);
  g_assert_cmpuint (hashed, <, m->items->len);
  g_assert_cmpuint (districts, >=, 3);
  g_assert_cmpuint (proxies, >, 0);
  g_assert_cmpuint (proxies, <, m->items->len);
}

/* Each citizen number listed for testers matches its item's hash, has
 * the structure of a real one, and a neighbouring number does not match. */
static void
test_citizen_numbers (void)
{
  g_autoptr(TtManifest) m = load_demo ();
  g_autofree char *path = source_path ("docs/demo.md");
  g_autofree char *doc = NULL;
  g_autoptr(GRegex) row = g_regex_new ("^\\| \\d+ \\| ([A-Z]{2}\\d{9}VN) \\| [^|]+ \\| `(\\d{12})` \\| ([^|]+) \\|$",
                                       G_REGEX_MULTILINE, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  guint rows = 0, matched = 0;

  for (guint i = 0; i < m->items->len; i++)
    {
      TtItem *item = g_ptr_array_index (m->items, i);

      g_hash_table_insert (by_id, item->id, item);
    }

  g_assert_true (g_file_get_contents (path, &doc, NULL, NULL));
  g_regex_match (row, doc, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *id = g_match_info_fetch (match, 1);
      g_autofree char *number = g_match_info_fetch (match, 2);
      TtItem *item = g_hash_table_lookup (by_id, id);
      int century_sex = number[3] - '0';
      int year = atoi (((char[3]) { number[4], number[5], 0 }));

      g_assert_nonnull (item);
      g_assert_cmpint (century_sex, <=, 3);
      g_assert_true (century_sex >= 2 ? year <= 26 : year >= 20);
      if (item->id_hash != NULL)
        {
          g_autofree char *other = g_strdup (number);

          g_assert_cmpint (tt_identity_verify (item->id_hash, number), ==, TT_IDENTITY_MATCH);
          other[11] = other[11] == '9' ? '0' : other[11] + 1;
          g_assert_cmpint (tt_identity_verify (item->id_hash, other), ==, TT_IDENTITY_NO_MATCH);
          matched++;
        }
      rows++;
      g_match_info_next (match, NULL);
    }
  g_assert_cmpuint (rows, ==, m->items->len);
  g_assert_cmpuint (matched, >, rows / 2);
}

/* The demo loads into a real store, as the app does it. */
static void
test_loads_into_store (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *db = g_build_filename (dir, "tantay.db", NULL);
  g_autofree char *path = source_path ("data/demo-route.json");
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (db, &error);
  g_autoptr(TtManifest) m = load_demo ();

  g_assert_no_error (error);
  g_assert_true (tt_store_load_manifest_file (store, path, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (tt_store_count_items (store), ==, m->items->len);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/demo-route/realistic", test_realistic);
  g_test_add_func ("/demo-route/citizen-numbers", test_citizen_numbers);
  g_test_add_func ("/demo-route/loads", test_loads_into_store);
  return g_test_run ();
}
