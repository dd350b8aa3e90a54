/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tt-store.h"
#include "tt-text.h"
#include "tt-test-util.h"

static void
test_fold (void)
{
  static const struct { const char *in, *out; } cases[] = {
    { "Nguyễn Văn Ánh", "nguyen van anh" },
    { "NGUYỄN VĂN ÁNH", "nguyen van anh" },
    { "Ba Đình", "ba dinh" },
    { "đường Điện Biên Phủ", "duong dien bien phu" },
    { "  Hồ   Chí\tMinh ", "ho chi minh" },
    { "Thừa Thiên Huế", "thua thien hue" },
    { "Quảng Trị", "quang tri" },
    { "ƯỚC ƠN ỨNG", "uoc on ung" },
    { "RR123456785VN", "rr123456785vn" },
    { "", "" },
    /* Precomposed and decomposed input fold the same way. */
    { "Nguye\xcc\x82\xcc\x83n", "nguyen" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *folded = tt_text_fold (cases[i].in);
      g_assert_cmpstr (folded, ==, cases[i].out);
    }
}

static void
test_fold_bad_input (void)
{
  g_autofree char *null_folded = tt_text_fold (NULL);
  g_autofree char *invalid = tt_text_fold ("Hu\xff\xfe" "\xe1\xba");

  g_assert_cmpstr (null_folded, ==, "");
  g_assert_true (g_utf8_validate (invalid, -1, NULL));
  g_assert_true (g_str_has_prefix (invalid, "hu"));
}

static TtItem *
make_item (const char *name,
           const char *commune,
           const char *dossier)
{
  TtItem *item = tt_item_new ();

  item->id = g_strdup ("RR123456785VN");
  item->recipient_name = g_strdup (name);
  item->street = g_strdup ("12 Phố Đội Cấn");
  item->commune = tt_item_share_text (commune);
  item->province = tt_item_share_text ("Hà Nội");
  item->dossier_code = g_strdup (dossier);
  item->phone = g_strdup ("0912345678");
  tt_item_update_search_key (item);
  return item;
}

static gboolean
matches (TtItem     *item,
         const char *query)
{
  g_autofree char *folded = tt_text_fold (query);
  return tt_item_matches (item, folded);
}

static void
test_item_matches (void)
{
  g_autoptr(TtItem) anh = make_item ("Nguyễn Văn Ánh", "Phường Ba Đình", "000.00.20.H26-240105-0012");
  g_autoptr(TtItem) other = make_item ("Trần Thị Hạnh", "Phường Cầu Giấy", NULL);

  g_assert_true (matches (anh, "nguyen van anh"));
  g_assert_true (matches (anh, "NGUYEN VAN ANH"));
  g_assert_true (matches (anh, "Nguyễn Văn Ánh"));
  g_assert_true (matches (anh, "ba dinh"));
  g_assert_true (matches (anh, "anh ba dinh"));          /* words in any order */
  g_assert_true (matches (anh, "doi can"));
  g_assert_true (matches (anh, "rr123456785vn"));
  g_assert_true (matches (anh, "H26-240105"));
  g_assert_true (matches (anh, "0912345"));
  g_assert_true (matches (anh, ""));
  g_assert_false (matches (anh, "nguyen van binh"));
  g_assert_false (matches (other, "ba dinh"));
  g_assert_true (matches (other, "hanh cau giay"));
  g_assert_false (matches (other, "000.00.20"));
}

static void
test_search_over_stored_route (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "tantay.db", NULL);
  g_autofree char *json = tt_test_make_manifest (500, 11, NULL);
  g_autofree char *query = tt_text_fold ("NGUYEN");
  g_autoptr(GError) error = NULL;
  g_autoptr(TtStore) store = tt_store_open (path, &error);
  g_autoptr(GPtrArray) items = NULL;
  guint hits = 0, expected = 0;

  g_assert_true (tt_store_load_manifest (store, json, -1, &error));
  items = tt_store_list_items (store, &error);
  for (guint i = 0; i < items->len; i++)
    {
      TtItem *item = g_ptr_array_index (items, i);

      /* The key read back from the store is the one built from the fields. */
      if (g_str_has_prefix (item->recipient_name, "Nguyễn "))
        expected++;
      if (tt_item_matches (item, query))
        hits++;
    }
  g_assert_cmpuint (expected, >, 0);
  g_assert_cmpuint (hits, >=, expected);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/search/fold", test_fold);
  g_test_add_func ("/search/fold-bad-input", test_fold_bad_input);
  g_test_add_func ("/search/item-matches", test_item_matches);
  g_test_add_func ("/search/stored-route", test_search_over_stored_route);

  return g_test_run ();
}
