/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Writes data/demo-route.json (the demo route, manifest format) and the
 * table of demo citizen numbers for docs/demo.md.
 *
 *   _build/tools/gen-demo-route data/demo-route.json > /tmp/ids.md
 *
 * Citizen numbers are derived from the table below, so they stay the same
 * from one run to the next; their Argon2id hashes are salted afresh. */
#define G_LOG_DOMAIN "gen-demo-route"

#include "config.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <stdio.h>

#include "tt-code.h"
#include "tt-identity.h"

typedef struct
{
  const char *procedure;
  const char *agency;
  const char *agency_code;     /* dossier code prefix, before the province part */
  gint64      fee;
} Procedure;

static const Procedure procedures[] = {
  /* 0 */ { "Cấp Giấy chứng nhận quyền sử dụng đất, quyền sở hữu tài sản gắn liền với đất",
            "Văn phòng Đăng ký đất đai", "000.00.20", 100000 },
  /* 1 */ { "Cấp đổi giấy phép lái xe", "Phòng Cảnh sát giao thông, Công an tỉnh",
            "000.00.05", 135000 },
  /* 2 */ { "Cấp Phiếu lý lịch tư pháp", "Sở Tư pháp", "000.00.11", 200000 },
  /* 3 */ { "Quyết định hưởng lương hưu hằng tháng", "Bảo hiểm xã hội tỉnh",
            "000.00.30", 0 },
  /* 4 */ { "Cấp bản sao Trích lục khai sinh", "Ủy ban nhân dân xã, phường",
            "000.31.20", 8000 },
  /* 5 */ { "Đăng ký thành lập hộ kinh doanh", "Ủy ban nhân dân xã, phường",
            "000.31.21", 100000 },
  /* 6 */ { "Cấp Giấy chứng nhận đăng ký doanh nghiệp", "Sở Tài chính", "000.00.09", 50000 },
  /* 7 */ { "Cấp hộ chiếu phổ thông", "Phòng Quản lý xuất nhập cảnh, Công an tỉnh",
            "000.00.05", 200000 },
  /* 8 */ { "Quyết định hưởng trợ cấp thất nghiệp", "Trung tâm Dịch vụ việc làm",
            "000.00.27", 0 },
  /* 9 */ { "Cấp giấy phép xây dựng nhà ở riêng lẻ", "Ủy ban nhân dân xã, phường",
            "000.31.22", 75000 },
  /* pickups: dossiers taken in at home */
  /* 10 */ { "Đề nghị hưởng trợ cấp ưu đãi người có công với cách mạng", "Sở Nội vụ",
             "000.00.22", 0 },
  /* 11 */ { "Đề nghị trợ cấp xã hội hằng tháng", "Ủy ban nhân dân xã, phường",
             "000.31.23", 0 },
  /* 12 */ { "Đăng ký biến động quyền sử dụng đất", "Văn phòng Đăng ký đất đai",
             "000.00.20", 30000 },
  /* 13 */ { "Cấp đổi thẻ bảo hiểm y tế", "Bảo hiểm xã hội tỉnh", "000.00.30", 0 },
};

static const char *const checklists[][5] = {
  { "Tờ khai đề nghị hưởng trợ cấp (mẫu số 01)", "Bản sao Giấy chứng nhận người có công",
    "Bản sao thẻ Căn cước", "Giấy ủy quyền (nếu có)", NULL },
  { "Tờ khai đề nghị trợ cấp xã hội (mẫu số 1a)", "Bản sao thẻ Căn cước",
    "Giấy xác nhận khuyết tật (nếu có)", NULL },
  { "Đơn đăng ký biến động đất đai (mẫu số 11/ĐK)", "Bản gốc Giấy chứng nhận đã cấp",
    "Hợp đồng tặng cho có công chứng", "Tờ khai lệ phí trước bạ", NULL },
  { "Tờ khai tham gia, điều chỉnh thông tin (mẫu TK1-TS)", "Thẻ bảo hiểm y tế cũ", NULL },
};

typedef struct
{
  gboolean    pickup;
  const char *name;
  gboolean    female;
  int         birth_year;
  const char *birth_province;  /* 3-digit code of the CCCD */
  const char *street;
  const char *commune;
  const char *district;        /* legacy, or NULL */
  const char *province;
  double      lat, lon;        /* NAN when unknown */
  int         procedure;
  const char *beneficiary;
  gboolean    proxy;
  int         checklist;       /* -1 for none */
  int         attempts;        /* failed attempts on earlier days */
  gboolean    with_hash;
} Demo;

static const Demo demo[] = {
  { FALSE, "Nguyễn Văn Ánh", FALSE, 1978, "001", "12 Phố Đội Cấn", "Phường Ba Đình", "Quận Ba Đình",
    "Hà Nội", 21.0352, 105.8298, 0, NULL, TRUE, -1, 0, TRUE },
  { FALSE, "Trần Thị Bích Ngọc", TRUE, 1991, "001", "45 Phố Kim Mã", "Phường Giảng Võ", NULL,
    "Hà Nội", 21.0318, 105.8226, 1, NULL, FALSE, -1, 0, TRUE },
  { FALSE, "Lê Quang Huy", FALSE, 1985, "040", "Số 8 ngõ 102 Phố Hoàng Hoa Thám", "Phường Ngọc Hà",
    NULL, "Hà Nội", 21.0421, 105.8173, 2, NULL, FALSE, -1, 1, TRUE },
  { TRUE, "Phạm Thị Lụa", TRUE, 1941, "001", "17 Phố Hàng Bông", "Phường Hoàn Kiếm",
    "Quận Hoàn Kiếm", "Hà Nội", 21.0310, 105.8475, 10, "heroic-mother", TRUE, 0, 0, TRUE },
  { FALSE, "Hoàng Minh Tuấn", FALSE, 1968, "001", "203 Phố Huế", "Phường Hai Bà Trưng", NULL,
    "Hà Nội", 21.0109, 105.8515, 3, "war-invalid", TRUE, -1, 0, TRUE },
  { FALSE, "Đỗ Thị Thu Hà", TRUE, 2001, "034", "Số 5 ngách 27/14 Phố Đại La", "Phường Bạch Mai",
    NULL, "Hà Nội", 20.9983, 105.8468, 4, NULL, TRUE, -1, 0, TRUE },
  { FALSE, "Vũ Đức Thắng", FALSE, 1989, "001", "Tầng 3, 88 Đường Láng", "Phường Láng", "Quận Đống Đa",
    "Hà Nội", 21.0087, 105.8126, 6, NULL, FALSE, -1, 0, TRUE },
  { FALSE, "Bùi Thị Hồng Nhung", TRUE, 1995, "036", "Phòng 1204, tòa B, 165 Đường Cầu Giấy",
    "Phường Cầu Giấy", NULL, "Hà Nội", 21.0333, 105.8002, 7, NULL, FALSE, -1, 0, TRUE },
  { FALSE, "Ngô Văn Khải", FALSE, 1952, "001", "Thôn 3", "Xã Bát Tràng", "Huyện Gia Lâm",
    "Hà Nội", 20.9772, 105.9124, 3, "hero", TRUE, -1, 0, TRUE },
  { TRUE, "Dương Thị Tâm", TRUE, 1948, "001", "Xóm Chùa, thôn Cổ Loa", "Xã Đông Anh", NULL,
    "Hà Nội", 21.1163, 105.8736, 11, "social-protection", TRUE, 1, 0, TRUE },
  { FALSE, "Phan Thanh Sơn", FALSE, 1974, "031", "27 Đường Điện Biên Phủ", "Phường Hồng Bàng",
    "Quận Hồng Bàng", "Thành phố Hải Phòng", 20.8614, 106.6797, 0, NULL, FALSE, -1, 0, TRUE },
  { FALSE, "Lý Thị Mai Anh", TRUE, 1999, "031", "14 Phố Lạch Tray", "Phường Lê Chân", NULL,
    "Thành phố Hải Phòng", 20.8475, 106.6910, 1, NULL, FALSE, -1, 0, TRUE },
  { FALSE, "Trịnh Văn Bảo", FALSE, 1963, "030", "36 Đường Nguyễn Lương Bằng", "Phường Hải Dương",
    NULL, "Thành phố Hải Phòng", 20.9410, 106.3210, 8, NULL, FALSE, -1, 0, TRUE },
  { FALSE, "Đặng Quốc Việt", FALSE, 1980, "022", "Tổ 5, khu 3", "Phường Hạ Long", NULL, "Quảng Ninh",
    20.9516, 107.0806, 5, NULL, TRUE, -1, 0, TRUE },
  { FALSE, "Hồ Thị Kim Oanh", TRUE, 1987, "027", "52 Đường Ngô Gia Tự", "Phường Kinh Bắc", NULL,
    "Bắc Ninh", 21.1860, 106.0763, 2, NULL, FALSE, -1, 0, TRUE },
  { FALSE, "Nông Văn Dũng", FALSE, 1970, "004", "Tổ 12", "Phường Thục Phán", NULL, "Cao Bằng",
    22.6657, 106.2579, 9, NULL, FALSE, -1, 0, FALSE },
  { FALSE, "Lò Thị Xuân", TRUE, 1993, "014", "Bản Hẹo", "Phường Tô Hiệu", NULL, "Sơn La",
    NAN, NAN, 4, NULL, TRUE, -1, 2, TRUE },
  { TRUE, "Lê Văn Hùng", FALSE, 1943, "038", "Thôn Đông", "Phường Hạc Thành", NULL, "Thanh Hóa",
    19.8070, 105.7852, 10, "pre-1945-revolutionary", TRUE, 0, 0, TRUE },
  { FALSE, "Nguyễn Thị Hằng", TRUE, 1983, "040", "126 Đường Lê Duẩn", "Phường Thành Vinh", NULL,
    "Nghệ An", 18.6734, 105.6813, 0, NULL, TRUE, -1, 0, TRUE },
  { FALSE, "Trần Đình Phong", FALSE, 1958, "042", "Khối 7", "Phường Thành Sen", NULL, "Hà Tĩnh",
    18.3428, 105.9057, 3, "sick-soldier", TRUE, -1, 0, TRUE },
  { FALSE, "Tôn Nữ Diệu Linh", TRUE, 1990, "046", "9 Kiệt 42 Đường Phan Đình Phùng",
    "Phường Thuận Hóa", "Quận Thuận Hóa", "Thành phố Huế", 16.4614, 107.5856, 2, NULL, FALSE,
    -1, 0, TRUE },
  { FALSE, "Võ Văn Tài", FALSE, 1976, "044", "Tiểu khu 4", "Phường Đồng Hới", NULL, "Quảng Trị",
    17.4690, 106.6223, 6, NULL, FALSE, -1, 0, TRUE },
  { FALSE, "Phạm Minh Châu", TRUE, 2003, "048", "K82/15 Đường Hoàng Diệu", "Phường Hải Châu",
    "Quận Hải Châu", "Thành phố Đà Nẵng", 16.0626, 108.2176, 7, NULL, FALSE, -1, 0, TRUE },
  { TRUE, "Huỳnh Văn Lợi", FALSE, 1950, "049", "Tổ 3, khối Phước Trạch", "Phường Hội An", NULL,
    "Thành phố Đà Nẵng", 15.8794, 108.3350, 11, "agent-orange", TRUE, 1, 0, TRUE },
  { FALSE, "Đinh Thị Hoa", TRUE, 1979, "051", "64 Đường Quang Trung", "Phường Cẩm Thành", NULL,
    "Quảng Ngãi", 15.1214, 108.8044, 1, NULL, FALSE, -1, 0, TRUE },
  { FALSE, "Ksor H'Lan", TRUE, 1997, "064", "Làng Plei Ốp", "Phường Pleiku", NULL, "Gia Lai",
    13.9833, 108.0000, 4, NULL, TRUE, -1, 0, FALSE },
  { FALSE, "Y Bhin Niê", FALSE, 1984, "066", "Buôn Ako Dhông", "Phường Buôn Ma Thuột", NULL,
    "Đắk Lắk", 12.6928, 108.0507, 8, NULL, FALSE, -1, 1, TRUE },
  { FALSE, "Cao Thị Ngọc Trâm", TRUE, 1992, "056", "18 Đường Trần Phú", "Phường Nha Trang", NULL,
    "Khánh Hòa", 12.2388, 109.1967, 0, NULL, FALSE, -1, 0, TRUE },
  { FALSE, "Mai Văn Thành", FALSE, 1966, "068", "5 Đường Bùi Thị Xuân", "Phường Xuân Hương - Đà Lạt",
    NULL, "Lâm Đồng", 11.9416, 108.4419, 9, "war-invalid", TRUE, -1, 0, TRUE },
  { FALSE, "Trương Gia Bảo", FALSE, 1988, "079", "Lầu 5, 12 Đường Lê Lợi", "Phường Bến Thành",
    "Quận 1", "Thành phố Hồ Chí Minh", 10.7726, 106.7004, 6, NULL, FALSE, -1, 0, TRUE },
  { FALSE, "Nguyễn Ngọc Thảo Vy", TRUE, 2000, "079", "135/7 Đường Nguyễn Hữu Cảnh",
    "Phường Thạnh Mỹ Tây", "Quận Bình Thạnh", "Thành phố Hồ Chí Minh", 10.7942, 106.7217, 7, NULL,
    FALSE, -1, 0, TRUE },
  { FALSE, "Lâm Chí Cường", FALSE, 1972, "079", "88 Đường Trần Hưng Đạo", "Phường Chợ Lớn", NULL,
    "Thành phố Hồ Chí Minh", 10.7537, 106.6634, 5, NULL, TRUE, -1, 0, TRUE },
  { TRUE, "Trần Thị Sáu", TRUE, 1946, "079", "Hẻm 61 Đường Nguyễn Đình Chiểu", "Phường Bàn Cờ", NULL,
    "Thành phố Hồ Chí Minh", 10.7716, 106.6874, 12, NULL, TRUE, 2, 0, TRUE },
  { FALSE, "Đoàn Văn Hậu", FALSE, 1969, "077", "Khu phố 6", "Phường Thủ Đức", NULL,
    "Thành phố Hồ Chí Minh", 10.8506, 106.7719, 3, "war-invalid", TRUE, -1, 0, TRUE },
  { FALSE, "Hà Thị Thu Trang", TRUE, 1996, "079", "Khu dân cư Bến Đầm", "Đặc khu Côn Đảo", NULL,
    "Thành phố Hồ Chí Minh", NAN, NAN, 4, NULL, FALSE, -1, 0, TRUE },
  { FALSE, "Kiều Văn Nam", FALSE, 1981, "075", "22 Đường Phạm Văn Thuận", "Phường Trấn Biên", NULL,
    "Đồng Nai", 10.9508, 106.8229, 1, NULL, FALSE, -1, 0, TRUE },
  { FALSE, "Lữ Thị Kim Yến", TRUE, 1977, "080", "Ấp Bình Yên", "Phường Tân An", NULL, "Tây Ninh",
    10.5360, 106.4135, 0, NULL, TRUE, -1, 0, TRUE },
  { FALSE, "Thạch Văn Phước", FALSE, 1960, "092", "45 Đường Hòa Bình", "Phường Ninh Kiều",
    "Quận Ninh Kiều", "Thành phố Cần Thơ", 10.0341, 105.7872, 3, "hero", TRUE, -1, 0, TRUE },
  { TRUE, "Sơn Thị Ngọc Hân", TRUE, 1955, "094", "Khóm 4", "Phường Sóc Trăng", NULL,
    "Thành phố Cần Thơ", 9.6025, 105.9739, 13, "social-protection", TRUE, 3, 0, TRUE },
  { FALSE, "Huỳnh Tấn Phát", FALSE, 1986, "083", "Ấp 2", "Xã Châu Thành", NULL, "Vĩnh Long",
    NAN, NAN, 5, NULL, FALSE, -1, 0, FALSE },
  { FALSE, "Tăng Thị Mỹ Duyên", TRUE, 1994, "087", "31 Đường Nguyễn Huệ", "Phường Cao Lãnh", NULL,
    "Đồng Tháp", 10.4583, 105.6330, 2, NULL, FALSE, -1, 0, TRUE },
  { FALSE, "Danh Sóc", FALSE, 1975, "091", "Tổ 8, khu phố 2", "Đặc khu Phú Quốc", NULL, "An Giang",
    10.2170, 103.9590, 9, NULL, TRUE, -1, 1, TRUE },
  { FALSE, "Quách Thị Mộng Cầm", TRUE, 1990, "089", "17 Đường Lý Thái Tổ", "Phường Long Xuyên", NULL,
    "An Giang", 10.3864, 105.4352, 6, NULL, FALSE, -1, 0, TRUE },
  { FALSE, "Tô Văn Út", FALSE, 1957, "096", "Ấp Tân Hưng", "Xã Năm Căn", "Huyện Năm Căn", "Cà Mau",
    8.7597, 104.9970, 3, "agent-orange", TRUE, -1, 0, TRUE },
};

/* The last part of an agency code is the province's (H26 is Hà Nội). */
static const char *
province_code (const char *province)
{
  static const char *const codes[][2] = {
    { "Hà Nội", "H26" }, { "Thành phố Hải Phòng", "H31" }, { "Quảng Ninh", "H39" },
    { "Bắc Ninh", "H06" }, { "Cao Bằng", "H09" }, { "Sơn La", "H50" }, { "Thanh Hóa", "H56" },
    { "Nghệ An", "H40" }, { "Hà Tĩnh", "H24" }, { "Thành phố Huế", "H57" },
    { "Quảng Trị", "H45" }, { "Thành phố Đà Nẵng", "H17" }, { "Quảng Ngãi", "H46" },
    { "Gia Lai", "H21" }, { "Đắk Lắk", "H15" }, { "Khánh Hòa", "H34" }, { "Lâm Đồng", "H36" },
    { "Thành phố Hồ Chí Minh", "H29" }, { "Đồng Nai", "H19" }, { "Tây Ninh", "H53" },
    { "Thành phố Cần Thơ", "H13" }, { "Vĩnh Long", "H62" }, { "Đồng Tháp", "H20" },
    { "An Giang", "H01" }, { "Cà Mau", "H12" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (codes); i++)
    if (g_str_equal (codes[i][0], province))
      return codes[i][1];
  g_error ("No agency code for %s", province);
}

/* A 12-digit number with the real structure: province of birth
 * registration, century and sex, year of birth, six digits. */
static char *
citizen_number (const Demo *d,
                guint       index)
{
  int century_sex = (d->birth_year >= 2000 ? 2 : 0) + (d->female ? 1 : 0);
  guint tail = (index * 7919u + 104729u) % 1000000u;

  return g_strdup_printf ("%s%d%02d%06u", d->birth_province, century_sex, d->birth_year % 100,
                          tail);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonGenerator) gen = json_generator_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) table = g_string_new (NULL);

  if (argc != 2)
    {
      g_printerr ("usage: %s OUTPUT.json > citizen-numbers.md\n", argv[0]);
      return 2;
    }

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "version");
  json_builder_add_int_value (b, 1);
  json_builder_set_member_name (b, "route");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "id");
  json_builder_add_string_value (b, "DEMO-2611-BT042");
  json_builder_set_member_name (b, "date");
  json_builder_add_string_value (b, "2026-11-25");
  json_builder_set_member_name (b, "courier");
  json_builder_add_string_value (b, "BT-042 Nguyễn Hữu Phước");
  json_builder_set_member_name (b, "office");
  json_builder_add_string_value (b, "Bưu cục Hành chính công (demo)");
  json_builder_end_object (b);

  g_string_append (table, "| # | item | recipient | citizen number | in the route |\n"
                          "| --- | --- | --- | --- | --- |\n");

  json_builder_set_member_name (b, "items");
  json_builder_begin_array (b);
  for (guint i = 0; i < G_N_ELEMENTS (demo); i++)
    {
      const Demo *d = &demo[i];
      const Procedure *p = &procedures[d->procedure];
      g_autofree char *number = citizen_number (d, i);
      g_autofree char *dossier = NULL;
      g_autofree char *phone = NULL;
      g_autofree char *id = tt_code_s10_make (d->pickup ? "EE" : "RR", 26110100 + i * 37, "VN");

      dossier = g_strdup_printf ("%s.%s-2611%02u-%04u", p->agency_code, province_code (d->province),
                                 10 + i % 14, 12 + i * 7);
      phone = g_strdup_printf ("0%s%07u",
                               (const char *[]) { "91", "38", "86", "77", "98", "35" }[i % 6],
                               (i * 48271u + 1234567u) % 10000000u);

      json_builder_begin_object (b);
#define STR(k, v) do { json_builder_set_member_name (b, k); json_builder_add_string_value (b, v); } while (0)
#define INT(k, v) do { json_builder_set_member_name (b, k); json_builder_add_int_value (b, v); } while (0)
      STR ("id", id);
      STR ("kind", d->pickup ? "pickup" : "delivery");
      INT ("seq", i + 1);
      STR ("dossier_code", dossier);
      STR ("procedure", p->procedure);
      STR ("agency", p->agency);
      STR ("recipient_name", d->name);
      if (i % 9 != 5)
        STR ("phone", phone);
      STR ("street", d->street);
      STR ("commune", d->commune);
      if (d->district)
        STR ("district", d->district);
      STR ("province", d->province);
      if (isfinite (d->lat))
        {
          json_builder_set_member_name (b, "lat");
          json_builder_add_double_value (b, d->lat);
          json_builder_set_member_name (b, "lon");
          json_builder_add_double_value (b, d->lon);
        }
      if (d->with_hash)
        {
          g_autofree char *hash = tt_identity_hash_new (number);

          if (hash == NULL)
            {
              g_printerr ("Could not hash a citizen number\n");
              return 1;
            }
          STR ("id_hash", hash);
        }
      INT ("fee_vnd", p->fee);
      INT ("postage_vnd", (d->pickup ? 20000 : 25000) + 1000 * (gint64) ((i * 5) % 16));
      if (d->beneficiary)
        STR ("beneficiary", d->beneficiary);
      json_builder_set_member_name (b, "proxy_allowed");
      json_builder_add_boolean_value (b, d->proxy);
      if (d->attempts > 0)
        INT ("attempts", d->attempts);
      if (d->checklist >= 0)
        {
          json_builder_set_member_name (b, "checklist");
          json_builder_begin_array (b);
          for (guint k = 0; checklists[d->checklist][k] != NULL; k++)
            json_builder_add_string_value (b, checklists[d->checklist][k]);
          json_builder_end_array (b);
        }
#undef STR
#undef INT
      json_builder_end_object (b);

      g_string_append_printf (table, "| %u | %s | %s | `%s` | %s |\n", i + 1, id, d->name, number,
                              d->with_hash ? "hash" : "no hash (cannot be checked)");
    }
  json_builder_end_array (b);
  json_builder_end_object (b);

  root = json_builder_get_root (b);
  json_generator_set_root (gen, root);
  json_generator_set_pretty (gen, TRUE);
  json_generator_set_indent (gen, 2);
  if (!json_generator_to_file (gen, argv[1], &error))
    {
      g_printerr ("%s: %s\n", argv[1], error->message);
      return 1;
    }
  /* Not g_print: it would transliterate the names outside a UTF-8 locale. */
  fputs (table->str, stdout);
  return 0;
}
