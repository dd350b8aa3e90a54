/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "tt-code.h"
#include "tt-test-util.h"

static GPtrArray *tmpdirs;

static void
remove_tree (const char *path)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileEnumerator) e = g_file_enumerate_children (file, G_FILE_ATTRIBUTE_STANDARD_NAME,
                                                            G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS,
                                                            NULL, NULL);
  GFileInfo *info;

  while (e && (info = g_file_enumerator_next_file (e, NULL, NULL)))
    {
      g_autofree char *child = g_build_filename (path, g_file_info_get_name (info), NULL);

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        remove_tree (child);
      else
        g_unlink (child);
      g_object_unref (info);
    }
  g_rmdir (path);
}

static void
remove_tmpdirs (void)
{
  for (guint i = 0; tmpdirs && i < tmpdirs->len; i++)
    remove_tree (g_ptr_array_index (tmpdirs, i));
}

char *
tt_test_make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("tantay-test-XXXXXX", &error);

  g_assert_no_error (error);
  if (tmpdirs == NULL)
    {
      tmpdirs = g_ptr_array_new_with_free_func (g_free);
      atexit (remove_tmpdirs);
    }
  g_ptr_array_add (tmpdirs, g_strdup (dir));
  return dir;
}

char *
tt_test_s10_id (const char *service,
                guint       serial)
{
  return tt_code_s10_make (service, serial % 100000000u, "VN");
}

static const char *const family[] = {
  "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ",
  "Hồ", "Ngô", "Dương", "Lý",
};
static const char *const middle[] = { "Văn", "Thị", "Hữu", "Đức", "Minh", "Thanh", "Ngọc", "Quốc" };
static const char *const given[] = {
  "Ánh", "Bình", "Cường", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hiếu", "Hùng", "Khánh", "Lan",
  "Linh", "Long", "Mai", "Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Tuấn",
  "Vy", "Yến",
};
static const char *const streets[] = {
  "Phố Huế", "Đường Láng", "Phố Đội Cấn", "Đường Trần Phú", "Đường Lê Lợi", "Đường Nguyễn Trãi",
  "Phố Kim Mã", "Đường Hùng Vương", "Đường Điện Biên Phủ", "Đường 3 Tháng 2",
};
static const struct { const char *commune; const char *province; double lat, lon; } places[] = {
  { "Phường Ba Đình", "Hà Nội", 21.0340, 105.8400 },
  { "Phường Hai Bà Trưng", "Hà Nội", 21.0090, 105.8560 },
  { "Phường Cầu Giấy", "Hà Nội", 21.0320, 105.7940 },
  { "Phường Sài Gòn", "Thành phố Hồ Chí Minh", 10.7760, 106.7010 },
  { "Phường Bàn Cờ", "Thành phố Hồ Chí Minh", 10.7720, 106.6830 },
  { "Phường Hải Châu", "Thành phố Đà Nẵng", 16.0670, 108.2200 },
  { "Phường Thuận Hóa", "Thành phố Huế", 16.4630, 107.5900 },
  { "Phường Ninh Kiều", "Thành phố Cần Thơ", 10.0340, 105.7880 },
  { "Xã Gia Bình", "Bắc Ninh", 21.0550, 106.1750 },
  { "Phường Hồng Bàng", "Thành phố Hải Phòng", 20.8610, 106.6800 },
};
static const struct { const char *procedure; const char *agency; gint64 fee; } procedures[] = {
  { "Cấp giấy chứng nhận quyền sử dụng đất", "Văn phòng đăng ký đất đai", 100000 },
  { "Cấp đổi giấy phép lái xe", "Sở Xây dựng", 135000 },
  { "Cấp phiếu lý lịch tư pháp", "Sở Tư pháp", 200000 },
  { "Quyết định hưởng trợ cấp thất nghiệp", "Bảo hiểm xã hội tỉnh", 0 },
  { "Cấp bản sao trích lục khai sinh", "Ủy ban nhân dân xã", 8000 },
  { "Đăng ký thành lập hộ kinh doanh", "Phòng Tài chính - Kế hoạch", 100000 },
};
static const char *const beneficiaries[] = {
  NULL, NULL, NULL, NULL, NULL, NULL, "war-invalid", "heroic-mother", "social-protection",
};

char *
tt_test_make_manifest (guint       n_items,
                       guint32     seed,
                       const char *route_id)
{
  return tt_test_make_manifest_full (n_items, seed, route_id, FALSE);
}

char *
tt_test_make_manifest_full (guint       n_items,
                            guint32     seed,
                            const char *route_id,
                            gboolean    id_hashes)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "route");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, route_id ? route_id : "R-TEST");
  json_builder_set_member_name (b, "date");
  json_builder_add_string_value (b, "2026-11-25");
  json_builder_set_member_name (b, "courier");
  json_builder_add_string_value (b, "BT-0042");
  json_builder_end_object (b);

  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_items; i++)
    {
      guint p = g_rand_int_range (rand, 0, G_N_ELEMENTS (places));
      guint pr = g_rand_int_range (rand, 0, G_N_ELEMENTS (procedures));
      gboolean pickup = i % 10 == 7;
      g_autofree char *id = tt_test_s10_id (pickup ? "EE" : "RR", 10000000 + i);
      g_autofree char *name = g_strdup_printf (
          "%s %s %s", family[g_rand_int_range (rand, 0, G_N_ELEMENTS (family))],
          middle[g_rand_int_range (rand, 0, G_N_ELEMENTS (middle))],
          given[g_rand_int_range (rand, 0, G_N_ELEMENTS (given))]);
      g_autofree char *street = g_strdup_printf (
          "%u %s", g_rand_int_range (rand, 1, 300),
          streets[g_rand_int_range (rand, 0, G_N_ELEMENTS (streets))]);
      g_autofree char *dossier = g_strdup_printf ("000.00.20.H26-251120-%04u", i % 10000);
      g_autofree char *phone = g_strdup_printf ("09%08u", g_rand_int_range (rand, 0, 99999999));
      const char *beneficiary = beneficiaries[g_rand_int_range (rand, 0,
                                                                G_N_ELEMENTS (beneficiaries))];

      json_builder_begin_object (b);
#define STR(k, v) json_builder_set_member_name (b, k); json_builder_add_string_value (b, v)
#define INT(k, v) json_builder_set_member_name (b, k); json_builder_add_int_value (b, v)
      STR ("id", id);
      STR ("kind", pickup ? "pickup" : "delivery");
      INT ("seq", i + 1);
      STR ("dossier_code", dossier);
      STR ("procedure", procedures[pr].procedure);
      STR ("agency", procedures[pr].agency);
      STR ("recipient_name", name);
      STR ("phone", phone);
      STR ("street", street);
      STR ("commune", places[p].commune);
      STR ("province", places[p].province);
      if (id_hashes && !pickup)
        {
          /* As long as a real one; never checked by what uses it. */
          g_autofree char *hash = g_strdup_printf ("$argon2id$v=19$m=16384,t=3,p=1$%022u$%043u",
                                                   i, g_rand_int (rand));

          STR ("id_hash", hash);
        }
      json_builder_set_member_name (b, "lat");
      json_builder_add_double_value (b, places[p].lat + g_rand_double_range (rand, -0.01, 0.01));
      json_builder_set_member_name (b, "lon");
      json_builder_add_double_value (b, places[p].lon + g_rand_double_range (rand, -0.01, 0.01));
      INT ("fee_vnd", procedures[pr].fee);
      INT ("postage_vnd", 25000 + 1000 * g_rand_int_range (rand, 0, 20));
      if (beneficiary)
        {
          STR ("beneficiary", beneficiary);
        }
      json_builder_set_member_name (b, "proxy_allowed");
      json_builder_add_boolean_value (b, i % 3 == 0);
      if (pickup)
        {
          json_builder_set_member_name (b, "checklist");
          json_builder_begin_array (b);
          json_builder_add_string_value (b, "Tờ khai theo mẫu");
          json_builder_add_string_value (b, "Bản sao căn cước công dân");
          json_builder_add_string_value (b, "Giấy xác nhận người có công");
          json_builder_end_array (b);
        }
#undef STR
#undef INT
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

char *
tt_test_file_checksum (const char *path)
{
  g_autofree char *contents = NULL;
  gsize length = 0;

  if (!g_file_get_contents (path, &contents, &length, NULL))
    return NULL;
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) contents, length);
}
