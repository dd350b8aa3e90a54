/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <cairo.h>
#include <json-glib/json-glib.h>
#include <qrencode.h>
#include <string.h>

#include "tt-code.h"
#include "tt-qr.h"
#include "tt-test-util.h"

static char *tmpdir;

static gboolean
found_exactly (GPtrArray  *found,
               const char *expected,
               gsize       len)
{
  for (guint i = 0; found != NULL && i < found->len; i++)
    {
      gsize n;
      const char *d = g_bytes_get_data (found->pdata[i], &n);

      if (n == len && memcmp (d, expected, len) == 0)
        return TRUE;
    }
  return FALSE;
}

/* What zbarimg itself returns for a file (raw bytes, one trailing
 * newline stripped), or NULL when it finds nothing. */
static GBytes *
run_zbarimg (const char *path,
             gboolean    binary)
{
  const char *argv[] = { "zbarimg", "-q", "--raw", binary ? "-Sbinary" : "-Sdisable", "-Sqrcode.enable",
                         path, NULL };
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  GSubprocess *proc;
  GBytes *stdout_bytes = NULL;
  gsize len;

  proc = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                            &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate (proc, NULL, NULL, &stdout_bytes, NULL, &error));
  g_assert_no_error (error);
  g_object_unref (proc);
  if (g_bytes_get_size (stdout_bytes) == 0)
    {
      g_bytes_unref (stdout_bytes);
      return NULL;
    }
  out = g_bytes_unref_to_data (stdout_bytes, &len);
  if (len > 0 && out[len - 1] == '\n')
    len--;
  return g_bytes_new (out, len);
}

/* Real photos through the real GStreamer pipeline: every image zbarimg
 * reads exactly, we read exactly too, and we read more of them. */
static void
test_photos (void)
{
  g_autofree char *dir = g_build_filename (g_getenv ("TT_SHARED_DIR"), "fixtures", "qr-photos", NULL);
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  guint total = 0, ours = 0, theirs = 0, misread = 0;
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)) != NULL)
    {
      g_autofree char *png = NULL;
      g_autofree char *stem = NULL;
      g_autofree char *txt = NULL;
      g_autofree char *expected = NULL;
      g_autoptr(GPtrArray) found = NULL;
      g_autoptr(GBytes) zbar = NULL;
      g_autoptr(GError) error = NULL;
      gsize len;
      gboolean we, they;

      if (!g_str_has_suffix (name, ".png"))
        continue;
      png = g_build_filename (dir, name, NULL);
      stem = g_strndup (png, strlen (png) - 4);
      txt = g_strconcat (stem, ".txt", NULL);
      g_assert_true (g_file_get_contents (txt, &expected, &len, &error));
      g_assert_no_error (error);

      found = tt_qr_decode_file (png, &error);
      g_assert_no_error (error);
      g_assert_nonnull (found);
      zbar = run_zbarimg (png, TRUE);

      we = found_exactly (found, expected, len);
      they = zbar != NULL && g_bytes_get_size (zbar) == len
             && memcmp (g_bytes_get_data (zbar, NULL), expected, len) == 0;
      total++;
      ours += we;
      theirs += they;
      if (!we && found->len > 0)
        {
          g_autofree char *got = tt_code_describe (g_bytes_get_data (found->pdata[0], NULL),
                                                   g_bytes_get_size (found->pdata[0]), 80);
          misread++;
          g_test_message ("%s: read “%s”, not the expected text", name, got);
        }
      g_test_message ("%s: ours %s, zbarimg %s", name, we ? "exact" : found->len ? "other" : "none",
                      they ? "exact" : zbar ? "other" : "none");
      /* Never worse than zbarimg on the same file. */
      if (they)
        g_assert_true (we);
    }

  g_test_message ("qr-photos: %u of %u decoded exactly through GStreamer (zbarimg: %u); "
                  "%u read as another text", ours, total, theirs, misread);
  g_printerr ("qr-photos: %u of %u exact (zbarimg -Sbinary: %u), %u other text\n",
              ours, total, theirs, misread);
  g_assert_cmpuint (total, ==, 16);
  g_assert_cmpuint (theirs, >=, 12);
  g_assert_cmpuint (ours, >=, 12);
  g_assert_cmpuint (ours, >, theirs);
}

/* Renders a QR symbol as a grey image: @scale pixels per module and the
 * 4-module quiet zone the standard asks for. */
static guint8 *
render (QRcode *code,
        guint   scale,
        guint  *side)
{
  guint n = (code->width + 8) * scale;
  guint8 *px = g_malloc (n * n);

  memset (px, 255, n * n);
  for (int y = 0; y < code->width; y++)
    for (int x = 0; x < code->width; x++)
      if (code->data[y * code->width + x] & 1)
        for (guint dy = 0; dy < scale; dy++)
          memset (px + ((y + 4) * scale + dy) * n + (x + 4) * scale, 0, scale);
  *side = n;
  return px;
}

static QRcode *
encode (const char *data,
        gsize       len,
        gboolean    eci)
{
  QRinput *input = QRinput_new2 (0, QR_ECLEVEL_M);
  QRcode *code;

  g_assert_nonnull (input);
  /* ECI 26 tells a reader the bytes are UTF-8. */
  if (eci)
    g_assert_cmpint (QRinput_appendECIheader (input, 26), ==, 0);
  g_assert_cmpint (QRinput_append (input, QR_MODE_8, len, (const unsigned char *) data), ==, 0);
  code = QRcode_encodeInput (input);
  QRinput_free (input);
  g_assert_nonnull (code);
  return code;
}

static char *
write_png (const guint8 *px,
           guint         side,
           const char   *name)
{
  cairo_surface_t *s = cairo_image_surface_create (CAIRO_FORMAT_RGB24, side, side);
  guint8 *dst = cairo_image_surface_get_data (s);
  int stride = cairo_image_surface_get_stride (s);
  char *path = g_build_filename (tmpdir, name, NULL);

  cairo_surface_flush (s);
  for (guint y = 0; y < side; y++)
    for (guint x = 0; x < side; x++)
      ((guint32 *) (dst + y * stride))[x] = 0x010101u * px[y * side + x];
  cairo_surface_mark_dirty (s);
  g_assert_cmpint (cairo_surface_write_to_png (s, path), ==, CAIRO_STATUS_SUCCESS);
  cairo_surface_destroy (s);
  return path;
}

static const char *const vietnamese[] = {
  "Huế",
  "Sài Gòn",
  "Nguyễn Văn Ánh",
  "Đà Nẵng – Phường Hải Châu",
  "Thừa Thiên Huế, Quảng Trị, Đắk Lắk",
  "ĐỖ THỊ NGỌC ẨN",
  "001090123456|012345678|NGUYỄN VĂN A|01011990|Nam|Số 1 Phố Huế, Phường Hai Bà Trưng, Hà Nội|15042021",
  "Giấy chứng nhận quyền sử dụng đất",
  "ỳ ỷ ỹ ỵ ừ ử ữ ự",
  "https://example.vn/tra-cuu?id=RR123456785VN&ten=Trần",
};

/* Vietnamese text made with libqrencode, with and without an ECI header,
 * comes back byte for byte, straight from a buffer and through a PNG
 * file and GStreamer. */
static void
test_vietnamese (void)
{
  g_autoptr(TtQr) qr = tt_qr_new ();
  guint zbarimg_exact = 0, total = 0;

  for (guint i = 0; i < G_N_ELEMENTS (vietnamese); i++)
    for (int eci = 0; eci <= 1; eci++)
      {
        const char *text = vietnamese[i];
        QRcode *code = encode (text, strlen (text), eci);
        g_autofree char *name = g_strdup_printf ("vi-%u-%d.png", i, eci);
        g_autofree char *path = NULL;
        g_autofree guint8 *px = NULL;
        g_autoptr(GPtrArray) found = NULL;
        g_autoptr(GPtrArray) from_file = NULL;
        g_autoptr(GBytes) zbar = NULL;
        g_autoptr(GError) error = NULL;
        guint side;

        px = render (code, 4, &side);
        QRcode_free (code);

        found = tt_qr_decode_gray8 (qr, px, side, side, side, TT_QR_EFFORT_FRAME);
        g_assert_cmpuint (found->len, ==, 1);
        g_assert_true (found_exactly (found, text, strlen (text)));

        path = write_png (px, side, name);
        from_file = tt_qr_decode_file (path, &error);
        g_assert_no_error (error);
        g_assert_cmpuint (from_file->len, ==, 1);
        g_assert_true (found_exactly (from_file, text, strlen (text)));

        zbar = run_zbarimg (path, FALSE);
        total++;
        zbarimg_exact += zbar != NULL && g_bytes_get_size (zbar) == strlen (text)
                         && memcmp (g_bytes_get_data (zbar, NULL), text, strlen (text)) == 0;
      }
  /* For the record: zbar's own character-set guess on the same files. */
  g_test_message ("Vietnamese QR: %u of %u exact; zbarimg without -Sbinary: %u exact",
                  total, total, zbarimg_exact);
}

/* Binary payloads keep every byte, NULs included; the parser then says
 * why they are not accepted. */
static void
test_binary (void)
{
  static const char data[] = "RR123\0" "456785VN\xff";
  g_autoptr(TtQr) qr = tt_qr_new ();
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(TtCode) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *px = NULL;
  QRcode *code = encode (data, sizeof data - 1, FALSE);
  guint side;

  px = render (code, 3, &side);
  QRcode_free (code);
  found = tt_qr_decode_gray8 (qr, px, side, side, side, TT_QR_EFFORT_FRAME);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_true (found_exactly (found, data, sizeof data - 1));
  g_assert_false (tt_code_parse (g_bytes_get_data (found->pdata[0], NULL),
                                 g_bytes_get_size (found->pdata[0]), &parsed, &error));
  g_assert_error (error, TT_CODE_ERROR, TT_CODE_ERROR_ENCODING);
}

/* A frame with a stride wider than the image, and frames with nothing
 * in them: no codes, no complaints. */
static void
test_frames (void)
{
  g_autoptr(TtQr) qr = tt_qr_new ();
  g_autofree guint8 *px = NULL;
  g_autofree guint8 *wide = NULL;
  g_autoptr(GPtrArray) found = NULL;
  g_autoptr(GPtrArray) blank = NULL;
  g_autoptr(GPtrArray) empty = NULL;
  guint side, stride;
  QRcode *code = encode ("EE473124829VN", 13, FALSE);

  px = render (code, 5, &side);
  QRcode_free (code);
  stride = side + 37;
  wide = g_malloc0 (stride * side);
  for (guint y = 0; y < side; y++)
    memcpy (wide + y * stride, px + y * side, side);
  found = tt_qr_decode_gray8 (qr, wide, side, side, stride, TT_QR_EFFORT_FRAME);
  g_assert_cmpuint (found->len, ==, 1);
  g_assert_true (found_exactly (found, "EE473124829VN", 13));

  memset (px, 128, side * side);
  blank = tt_qr_decode_gray8 (qr, px, side, side, side, TT_QR_EFFORT_THOROUGH);
  g_assert_cmpuint (blank->len, ==, 0);
  empty = tt_qr_decode_gray8 (qr, NULL, 0, 0, 0, TT_QR_EFFORT_THOROUGH);
  g_assert_cmpuint (empty->len, ==, 0);
}

static void
test_bad_files (void)
{
  g_autofree char *text = g_build_filename (tmpdir, "note.png", NULL);
  g_autofree char *empty = g_build_filename (tmpdir, "empty.png", NULL);
  g_autofree char *missing = g_build_filename (tmpdir, "missing.png", NULL);
  g_autofree char *cut = g_build_filename (tmpdir, "cut.png", NULL);
  g_autofree char *whole = NULL;
  g_autofree char *bytes = NULL;
  gsize len;
  const char *paths[4];

  g_assert_true (g_file_set_contents (text, "not an image", -1, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  {
    QRcode *code = encode ("RR123456785VN", 13, FALSE);
    g_autofree guint8 *px = NULL;
    guint side;

    px = render (code, 4, &side);
    QRcode_free (code);
    whole = write_png (px, side, "whole.png");
  }
  g_assert_true (g_file_get_contents (whole, &bytes, &len, NULL));
  g_assert_true (g_file_set_contents (cut, bytes, len / 2, NULL));

  paths[0] = text;
  paths[1] = empty;
  paths[2] = missing;
  paths[3] = cut;
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) found = tt_qr_decode_file (paths[i], &error);
      g_autofree char *base = g_path_get_basename (paths[i]);

      g_assert_null (found);
      g_assert_error (error, TT_QR_ERROR, TT_QR_ERROR_READ);
      g_assert_nonnull (strstr (error->message, base));
    }
}

/* tantayctl scan-image: one JSON object per code, or per file without
 * one; exit status 1 when a file could not be read. */
static void
test_cli (void)
{
  g_autofree char *ctl = g_build_filename (g_getenv ("TT_BUILD_ROOT"), "src", "cli", "tantayctl", NULL);
  g_autofree char *bad = g_build_filename (tmpdir, "cli-note.png", NULL);
  g_autofree char *cccd_png = NULL, *typo_png = NULL, *s10_png = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) lines = NULL;
  int status;
  static const char cccd[] =
    "079305001234||Trần Thị Bích Ngọc|12032005|Nữ|12 Lê Lợi, Phường Bến Thành, TP. Hồ Chí Minh|20052021";
  struct { const char *text; char **path; const char *name; } made[] = {
    { cccd, &cccd_png, "cli-cccd.png" },
    { "RR123456784VN", &typo_png, "cli-typo.png" },
    { "rr123456785vn", &s10_png, "cli-s10.png" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (made); i++)
    {
      QRcode *code = encode (made[i].text, strlen (made[i].text), FALSE);
      g_autofree guint8 *px = NULL;
      guint side;

      px = render (code, 4, &side);
      QRcode_free (code);
      *made[i].path = write_png (px, side, made[i].name);
    }
  g_assert_true (g_file_set_contents (bad, "x", -1, NULL));

  {
    const char *argv[] = { ctl, "scan-image", "--data-dir", tmpdir, cccd_png, typo_png, s10_png, bad, NULL };
    g_autoptr(GSubprocess) p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);

    g_assert_no_error (error);
    g_assert_true (g_subprocess_communicate_utf8 (p, NULL, NULL, &out, NULL, &error));
    g_assert_no_error (error);
    status = g_subprocess_get_exit_status (p);
  }
  g_assert_cmpint (status, ==, 1);
  lines = g_strsplit (g_strchomp (out), "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);

  for (guint i = 0; i < 4; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      JsonObject *o;

      g_assert_true (json_parser_load_from_data (parser, lines[i], -1, &error));
      g_assert_no_error (error);
      o = json_node_get_object (json_parser_get_root (parser));
      g_assert_true (g_str_has_suffix (json_object_get_string_member (o, "file"), ".png"));
      switch (i)
        {
        case 0:
          g_assert_cmpstr (json_object_get_string_member (o, "payload"), ==, cccd);
          g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "cccd");
          g_assert_cmpstr (json_object_get_string_member (o, "value"), ==, "079305001234");
          break;
        case 1:
          g_assert_cmpstr (json_object_get_string_member (o, "payload"), ==, "RR123456784VN");
          g_assert_true (json_object_get_null_member (o, "kind"));
          g_assert_nonnull (strstr (json_object_get_string_member (o, "error"), "check digit"));
          break;
        case 2:
          g_assert_cmpstr (json_object_get_string_member (o, "kind"), ==, "s10");
          g_assert_cmpstr (json_object_get_string_member (o, "value"), ==, "RR123456785VN");
          break;
        case 3:
          g_assert_false (json_object_has_member (o, "payload"));
          g_assert_nonnull (strstr (json_object_get_string_member (o, "error"), "cli-note.png"));
          break;
        }
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  tmpdir = tt_test_make_tmpdir ();

  g_test_add_func ("/qr/photos", test_photos);
  g_test_add_func ("/qr/vietnamese", test_vietnamese);
  g_test_add_func ("/qr/binary", test_binary);
  g_test_add_func ("/qr/frames", test_frames);
  g_test_add_func ("/qr/bad-files", test_bad_files);
  g_test_add_func ("/qr/cli", test_cli);

  return g_test_run ();
}
