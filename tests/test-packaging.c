/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Packaging checks: the data files as a software centre and a desktop
 * read them, the translation catalogue, the Flatpak manifest, and the
 * tree `meson install` produces for the manifest's prefix. */
#include "config.h"

#include <gdk-pixbuf/gdk-pixbuf.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <stdlib.h>
#include <string.h>

#include "tt-test-util.h"

static const char *source_root;
static const char *build_root;

/* Runs @argv in @cwd; returns stdout and stderr together.  Fails the
 * test if the program cannot be started at all. */
/* TAP needs every line of a message to be a comment. */
static void
message_lines (const char *prefix,
               const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    if (*lines[i] != '\0')
      g_test_message ("%s%s", prefix, lines[i]);
}

static char *
run (const char *cwd,
     char      **argv,
     int        *exit_status)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autofree char *cmdline = g_strjoinv (" ", argv);
  int status;

  g_test_message ("running %s", cmdline);
  if (!g_spawn_sync (cwd, argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, &out, &err, &status, &error))
    g_error ("cannot run %s: %s", argv[0], error->message);

  *exit_status = 0;
  if (!g_spawn_check_wait_status (status, &error))
    *exit_status = error->domain == G_SPAWN_EXIT_ERROR ? error->code : -1;
  return g_strconcat (out, err, NULL);
}

static char *
run_ok (const char *cwd,
        char      **argv)
{
  int status;
  char *output = run (cwd, argv, &status);

  if (status != 0)
    g_error ("%s failed (%d):\n%s", argv[0], status, output);
  return output;
}

static char *
source_path (const char *first, ...) G_GNUC_NULL_TERMINATED;

static char *
source_path (const char *first, ...)
{
  va_list ap;
  g_autoptr(GPtrArray) parts = g_ptr_array_new ();

  g_ptr_array_add (parts, (gpointer) source_root);
  va_start (ap, first);
  for (const char *p = first; p; p = va_arg (ap, const char *))
    g_ptr_array_add (parts, (gpointer) p);
  va_end (ap);
  g_ptr_array_add (parts, NULL);
  return g_build_filenamev ((char **) parts->pdata);
}

static char *
read_text (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *text = NULL;

  g_file_get_contents (path, &text, NULL, &error);
  g_assert_no_error (error);
  return text;
}

static JsonObject *
load_manifest (JsonParser **parser_out)
{
  g_autofree char *path = source_path ("flatpak.json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (root));
  *parser_out = g_steal_pointer (&parser);
  return json_node_get_object (root);
}

/* The options of build-aux/meson-config-opts, which CI's build uses. */
static GPtrArray *
ci_meson_options (void)
{
  g_autofree char *path = source_path ("build-aux", "meson-config-opts", NULL);
  g_autofree char *text = read_text (path);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *opts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i]; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0' && *lines[i] != '#')
        g_ptr_array_add (opts, g_strdup (lines[i]));
    }
  return opts;
}

static gboolean
is_hex (const char *s,
        gsize       len)
{
  if (s == NULL || strlen (s) != len)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isxdigit (*s) || g_ascii_isupper (*s))
      return FALSE;
  return TRUE;
}

static void
test_manifest (void)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *manifest = load_manifest (&parser);
  JsonArray *modules;
  JsonObject *app = NULL;
  g_autoptr(GPtrArray) ci_opts = ci_meson_options ();
  g_autofree char *docs_path = source_path ("docs", "packaging.md", NULL);
  g_autofree char *docs = read_text (docs_path);
  JsonArray *finish_args;
  JsonArray *app_opts;
  guint n_modules;

  g_assert_cmpstr (json_object_get_string_member (manifest, "id"), ==, APP_ID);
  g_assert_cmpstr (json_object_get_string_member (manifest, "runtime"), ==, "org.gnome.Platform");
  g_assert_cmpstr (json_object_get_string_member (manifest, "sdk"), ==, "org.gnome.Sdk");
  g_assert_nonnull (json_object_get_string_member_with_default (manifest, "runtime-version", NULL));
  g_assert_cmpstr (json_object_get_string_member (manifest, "command"), ==, "tantay");

  /* Every permission is explained in docs/packaging.md. */
  finish_args = json_object_get_array_member (manifest, "finish-args");
  for (guint i = 0; i < json_array_get_length (finish_args); i++)
    {
      const char *arg = json_array_get_string_element (finish_args, i);
      g_autofree char *quoted = g_strdup_printf ("`%s`", arg);

      g_test_message ("finish-arg %s", arg);
      g_assert_nonnull (strstr (docs, quoted));
      /* Never the whole host: nothing the job does needs it. */
      g_assert_false (g_str_has_prefix (arg, "--filesystem=host"));
      g_assert_cmpstr (arg, !=, "--device=all");
      g_assert_cmpstr (arg, !=, "--socket=x11");
    }

  modules = json_object_get_array_member (manifest, "modules");
  n_modules = json_array_get_length (modules);
  g_assert_cmpuint (n_modules, >=, 2);
  for (guint i = 0; i < n_modules; i++)
    {
      JsonObject *module = json_array_get_object_element (modules, i);
      const char *name = json_object_get_string_member (module, "name");
      JsonArray *sources = json_object_get_array_member (module, "sources");
      gboolean is_app = (i == n_modules - 1);

      g_test_message ("module %s", name);
      g_assert_cmpuint (json_array_get_length (sources), >, 0);
      if (!is_app)
        g_assert_true (json_object_has_member (module, "license-files"));

      for (guint j = 0; j < json_array_get_length (sources); j++)
        {
          JsonObject *source = json_array_get_object_element (sources, j);
          const char *type = json_object_get_string_member (source, "type");

          if (g_str_equal (type, "git"))
            {
              /* A tag says what it is, the commit makes sure it is. */
              g_assert_true (g_str_has_prefix (json_object_get_string_member (source, "url"), "https://"));
              g_assert_nonnull (json_object_get_string_member_with_default (source, "tag", NULL));
              g_assert_true (is_hex (json_object_get_string_member_with_default (source, "commit", NULL), 40));
              g_assert_false (json_object_has_member (source, "branch"));
            }
          else if (g_str_equal (type, "archive") || g_str_equal (type, "file"))
            {
              g_assert_true (g_str_has_prefix (json_object_get_string_member (source, "url"), "https://"));
              g_assert_true (is_hex (json_object_get_string_member_with_default (source, "sha256", NULL), 64));
            }
          else if (g_str_equal (type, "shell"))
            {
              /* Commands run on the pinned tree: nothing fetched. */
              g_assert_false (json_object_has_member (source, "url"));
            }
          else if (g_str_equal (type, "dir"))
            {
              /* Only the app itself is built from this checkout. */
              g_assert_true (is_app);
              g_assert_cmpstr (json_object_get_string_member (source, "path"), ==, ".");
            }
          else
            g_error ("module %s: source type %s is not pinned", name, type);
        }

      if (is_app)
        app = module;
    }

  g_assert_nonnull (app);
  g_assert_cmpstr (json_object_get_string_member (app, "name"), ==, "tantay");
  g_assert_cmpstr (json_object_get_string_member (app, "buildsystem"), ==, "meson");

  /* The app is built with exactly the options CI uses. */
  app_opts = json_object_get_array_member (app, "config-opts");
  g_assert_cmpuint (ci_opts->len, >, 0);
  g_assert_cmpuint (json_array_get_length (app_opts), ==, ci_opts->len);
  for (guint i = 0; i < ci_opts->len; i++)
    g_assert_cmpstr (json_array_get_string_element (app_opts, i), ==, g_ptr_array_index (ci_opts, i));
}

static void
assert_no_warnings (const char *output)
{
  g_auto(GStrv) lines = g_strsplit (output, "\n", -1);

  for (guint i = 0; lines[i]; i++)
    if (g_str_has_prefix (lines[i], "W:") || g_str_has_prefix (lines[i], "E:"))
      g_error ("validator complains: %s\n%s", lines[i], output);
}

static void
test_metainfo (void)
{
  g_autofree char *metainfo = g_build_filename (build_root, "data", APP_ID ".metainfo.xml", NULL);
  char *argv[] = { "appstreamcli", "validate", "--no-net", metainfo, NULL };
  g_autofree char *output = run_ok (NULL, argv);
  g_autofree char *text = read_text (metainfo);
  g_autoptr(GRegex) image_re = g_regex_new ("<image type=\"source\" width=\"(\\d+)\" height=\"(\\d+)\">[^<]*/data/screenshots/([^<]+)</image>",
                                            0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint n_screenshots = 0;

  message_lines ("appstreamcli: ", output);
  assert_no_warnings (output);

  /* Shown in Vietnamese to Vietnamese users. */
  g_assert_nonnull (strstr (text, "<summary xml:lang=\"vi\">"));
  g_assert_nonnull (strstr (text, "<p xml:lang=\"vi\">"));
  g_assert_nonnull (strstr (text, "<launchable type=\"desktop-id\">" APP_ID ".desktop</launchable>"));
  /* The newest release listed is the version being built. */
  g_assert_nonnull (strstr (text, "<release version=\"" PACKAGE_VERSION "\""));
  g_assert_true (strstr (text, "<release ") == strstr (text, "<release version=\"" PACKAGE_VERSION "\""));

  /* Every screenshot is in the repository, with the size it claims. */
  for (g_regex_match (image_re, text, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *width = g_match_info_fetch (match, 1);
      g_autofree char *height = g_match_info_fetch (match, 2);
      g_autofree char *name = g_match_info_fetch (match, 3);
      g_autofree char *path = source_path ("data", "screenshots", name, NULL);
      g_autofree char *png = NULL;
      gsize len = 0;
      guint32 w, h;

      g_test_message ("screenshot %s", path);
      g_assert_true (g_file_get_contents (path, &png, &len, NULL));
      g_assert_cmpuint (len, >, 24);
      g_assert_cmpmem (png, 8, "\x89PNG\r\n\x1a\n", 8);
      memcpy (&w, png + 16, 4);
      memcpy (&h, png + 20, 4);
      g_assert_cmpuint (GUINT32_FROM_BE (w), ==, g_ascii_strtoull (width, NULL, 10));
      g_assert_cmpuint (GUINT32_FROM_BE (h), ==, g_ascii_strtoull (height, NULL, 10));
      n_screenshots++;
    }
  g_assert_cmpuint (n_screenshots, >=, 4);
}

static void
test_desktop_and_service (void)
{
  g_autofree char *desktop = g_build_filename (build_root, "data", APP_ID ".desktop", NULL);
  g_autofree char *service = g_build_filename (build_root, "data", APP_ID ".service", NULL);
  g_autoptr(GKeyFile) kf = g_key_file_new ();
  g_autoptr(GKeyFile) sf = g_key_file_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *manifest = load_manifest (&parser);
  g_autofree char *exec = NULL;
  g_autofree char *service_exec = NULL;
  g_autofree char *comment_vi = NULL;
  g_autofree char *comment = NULL;

  g_key_file_load_from_file (kf, desktop, G_KEY_FILE_KEEP_TRANSLATIONS, &error);
  g_assert_no_error (error);
  g_assert_true (g_key_file_get_boolean (kf, "Desktop Entry", "DBusActivatable", &error));
  g_assert_no_error (error);
  g_assert_cmpstr (g_key_file_get_string (kf, "Desktop Entry", "Icon", NULL), ==, APP_ID);

  /* Launcher, D-Bus activation and the Flatpak all start the same program. */
  exec = g_key_file_get_string (kf, "Desktop Entry", "Exec", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (exec, ==, json_object_get_string_member (manifest, "command"));

  comment = g_key_file_get_string (kf, "Desktop Entry", "Comment", NULL);
  comment_vi = g_key_file_get_locale_string (kf, "Desktop Entry", "Comment", "vi", NULL);
  g_assert_nonnull (comment_vi);
  g_assert_cmpstr (comment_vi, !=, comment);

  g_key_file_load_from_file (sf, service, G_KEY_FILE_NONE, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_key_file_get_string (sf, "D-BUS Service", "Name", NULL), ==, APP_ID);
  service_exec = g_key_file_get_string (sf, "D-BUS Service", "Exec", NULL);
  g_assert_true (g_str_has_suffix (service_exec, "/tantay --gapplication-service"));
}

/* Both icons render at the sizes a launcher uses, and the symbolic one
 * is all fills on a 16 px canvas, so the toolkit can recolour it. */
static void
test_icons (void)
{
  static const struct { const char *dir, *suffix; int canvas; } icons[] = {
    { "scalable", "", 128 },
    { "symbolic", "-symbolic", 16 },
  };
  static const int sizes[] = { 16, 32, 128 };

  for (guint i = 0; i < G_N_ELEMENTS (icons); i++)
    {
      g_autofree char *name = g_strconcat (APP_ID, icons[i].suffix, ".svg", NULL);
      g_autofree char *path = source_path ("icons", "hicolor", icons[i].dir, "apps", name, NULL);
      g_autofree char *svg = read_text (path);
      g_autofree char *canvas = g_strdup_printf ("viewBox=\"0 0 %d %d\"", icons[i].canvas, icons[i].canvas);

      g_test_message ("icon %s", path);
      g_assert_nonnull (strstr (svg, canvas));
      if (icons[i].canvas == 16)
        g_assert_null (strstr (svg, "stroke"));

      for (guint j = 0; j < G_N_ELEMENTS (sizes); j++)
        {
          g_autoptr(GError) error = NULL;
          g_autoptr(GdkPixbuf) pixbuf = gdk_pixbuf_new_from_file_at_size (path, sizes[j], sizes[j], &error);
          const guint8 *pixels;
          guint opaque = 0;

          g_assert_no_error (error);
          g_assert_cmpint (gdk_pixbuf_get_width (pixbuf), ==, sizes[j]);
          g_assert_true (gdk_pixbuf_get_has_alpha (pixbuf));
          pixels = gdk_pixbuf_read_pixels (pixbuf);
          for (int y = 0; y < gdk_pixbuf_get_height (pixbuf); y++)
            for (int x = 0; x < gdk_pixbuf_get_width (pixbuf); x++)
              if (pixels[y * gdk_pixbuf_get_rowstride (pixbuf) + x * 4 + 3] > 128)
                opaque++;
          /* Drawn, but not a filled square: a shape on transparency. */
          g_assert_cmpuint (opaque, >, (guint) (sizes[j] * sizes[j]) / 8);
          g_assert_cmpuint (opaque, <, (guint) (sizes[j] * sizes[j]) * 9 / 10);
        }
    }
}

static gboolean
needs_translation (const char *path,
                   const char *text)
{
  static GRegex *c_re;
  static GRegex *ui_re;
  static GRegex *comment_re;

  if (c_re == NULL)
    {
      comment_re = g_regex_new ("/\\*.*?\\*/|(?<!:)//[^\n]*", G_REGEX_DOTALL | G_REGEX_OPTIMIZE, 0, NULL);
      c_re = g_regex_new ("(?<![A-Za-z0-9_])(_|N_|C_|NC_|Q_|ngettext|g_dngettext|g_dpgettext2|g_dgettext)\\s*\\(",
                          G_REGEX_OPTIMIZE, 0, NULL);
      ui_re = g_regex_new ("translatable\\s*=\\s*\"(yes|true|1)\"", G_REGEX_OPTIMIZE, 0, NULL);
    }

  if (g_str_has_suffix (path, ".c") || g_str_has_suffix (path, ".h"))
    {
      /* A comment that mentions _() translates nothing. */
      g_autofree char *code = g_regex_replace_literal (comment_re, text, -1, 0, " ", 0, NULL);

      return g_regex_match (c_re, code, 0, NULL);
    }
  if (g_str_has_suffix (path, ".ui"))
    return g_regex_match (ui_re, text, 0, NULL);
  if (g_str_has_suffix (path, ".desktop.in") || g_str_has_suffix (path, ".metainfo.xml.in"))
    return TRUE;
  if (g_str_has_suffix (path, ".gschema.xml"))
    return strstr (text, "<summary") != NULL || strstr (text, "<description") != NULL;
  return FALSE;
}

static void
collect_translatable (const char *dir,
                      const char *relative,
                      GPtrArray  *found)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  if (d == NULL)
    return;
  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *rel = g_build_filename (relative, name, NULL);

      if (name[0] == '.' || name[0] == '_')
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_translatable (path, rel, found);
      else
        {
          g_autofree char *text = NULL;

          if (g_file_get_contents (path, &text, NULL, NULL) && needs_translation (rel, text))
            g_ptr_array_add (found, g_steal_pointer (&rel));
        }
    }
}

static GPtrArray *
read_potfiles (void)
{
  g_autofree char *path = source_path ("po", "POTFILES.in", NULL);
  g_autofree char *text = read_text (path);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *listed = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i]; i++)
    {
      g_strstrip (lines[i]);
      if (*lines[i] != '\0' && *lines[i] != '#')
        g_ptr_array_add (listed, g_strdup (lines[i]));
    }
  return listed;
}

static void
test_potfiles (void)
{
  g_autoptr(GPtrArray) listed = read_potfiles ();
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GString) missing = g_string_new (NULL);

  /* Listed files exist (xgettext stops at the first that does not). */
  for (guint i = 0; i < listed->len; i++)
    {
      g_autofree char *path = source_path (g_ptr_array_index (listed, i), NULL);

      if (!g_file_test (path, G_FILE_TEST_IS_REGULAR))
        g_string_append_printf (missing, "  listed but absent: %s\n", (char *) g_ptr_array_index (listed, i));
    }

  {
    g_autofree char *src = source_path ("src", NULL);
    g_autofree char *data = source_path ("data", NULL);

    collect_translatable (src, "src", found);
    collect_translatable (data, "data", found);
  }
  g_assert_cmpuint (found->len, >, 0);

  for (guint i = 0; i < found->len; i++)
    {
      const char *f = g_ptr_array_index (found, i);

      if (!g_ptr_array_find_with_equal_func (listed, f, g_str_equal, NULL))
        g_string_append_printf (missing, "  not in po/POTFILES.in: %s\n", f);
    }

  if (missing->len > 0)
    {
      message_lines ("", missing->str);
      g_error ("po/POTFILES.in is out of date (files above)");
    }
}

/* Extracts the strings of today's sources (not of a template that may be
 * stale), merges vi.po into them and demands every one translated. */
static void
test_translation_complete (void)
{
  g_autofree char *tmp = tt_test_make_tmpdir ();
  g_autofree char *pot = g_build_filename (tmp, "tantay.pot", NULL);
  g_autofree char *merged = g_build_filename (tmp, "vi.po", NULL);
  g_autofree char *potfiles = source_path ("po", "POTFILES.in", NULL);
  g_autofree char *vi = source_path ("po", "vi.po", NULL);
  char *xgettext[] = {
    "xgettext", "--package-name=tantay", "--from-code=UTF-8", "--add-comments",
    "--keyword=_", "--keyword=N_", "--keyword=C_:1c,2", "--keyword=NC_:1c,2",
    "--keyword=g_dngettext:2,3", "--keyword=g_dpgettext2:2c,3",
    "--flag=N_:1:pass-c-format", "--flag=C_:2:pass-c-format",
    "--flag=g_strdup_printf:1:c-format", "--flag=g_set_error:4:c-format",
    "-D", (char *) source_root, "--files-from", potfiles, "-o", pot, NULL,
  };
  char *msgmerge[] = { "msgmerge", "--quiet", "--no-fuzzy-matching", vi, pot, "-o", merged, NULL };
  char *msgfmt[] = { "msgfmt", "--check", "--statistics", "-o", "/dev/null", merged, NULL };
  g_autofree char *xgettext_out = run_ok (NULL, xgettext);
  /* A format built from a macro (G_GSIZE_FORMAT …) reaches the catalogue
   * cut short, so it could never be translated. */
  message_lines ("xgettext: ", xgettext_out);
  g_assert_null (strstr (xgettext_out, "not a valid C format string"));
  g_autofree char *merge_out = run_ok (NULL, msgmerge);
  g_autofree char *stats = run_ok (NULL, msgfmt);
  g_autoptr(GRegex) count_re = g_regex_new ("(\\d+) (translated|fuzzy|untranslated)", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  guint translated = 0, incomplete = 0;

  message_lines ("vi: ", stats);
  for (g_regex_match (count_re, stats, 0, &match); g_match_info_matches (match); g_match_info_next (match, NULL))
    {
      g_autofree char *n = g_match_info_fetch (match, 1);
      g_autofree char *kind = g_match_info_fetch (match, 2);

      if (g_str_equal (kind, "translated"))
        translated = atoi (n);
      else
        incomplete += atoi (n);
    }

  if (incomplete > 0)
    {
      char *fuzzy[] = { "msgattrib", "--only-fuzzy", merged, NULL };
      char *empty[] = { "msgattrib", "--untranslated", merged, NULL };
      g_autofree char *a = run_ok (NULL, fuzzy);
      g_autofree char *b = run_ok (NULL, empty);

      message_lines ("fuzzy: ", a);
      message_lines ("untranslated: ", b);
      g_error ("po/vi.po is not complete: %s", g_strstrip (stats));
    }
  g_assert_cmpuint (translated, >, 0);
}

static GPtrArray *
installed_outputs (const char *builddir)
{
  char *argv[] = { "meson", "introspect", "--targets", (char *) builddir, NULL };
  g_autofree char *json = run_ok (NULL, argv);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GPtrArray *outputs = g_ptr_array_new_with_free_func (g_free);
  JsonArray *targets;

  json_parser_load_from_data (parser, json, -1, &error);
  g_assert_no_error (error);
  targets = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; i < json_array_get_length (targets); i++)
    {
      JsonObject *t = json_array_get_object_element (targets, i);
      JsonArray *files;

      if (!json_object_get_boolean_member (t, "installed"))
        continue;
      files = json_object_get_array_member (t, "filename");
      for (guint j = 0; j < json_array_get_length (files); j++)
        {
          const char *f = json_array_get_string_element (files, j);
          g_autofree char *prefix = g_strconcat (builddir, "/", NULL);

          g_assert_true (g_str_has_prefix (f, prefix));
          g_ptr_array_add (outputs, g_strdup (f + strlen (prefix)));
        }
    }
  return outputs;
}

/* What flatpak-builder does with the app module, minus the sandbox:
 * configure for /app with CI's options, install into a scratch root,
 * and find everything the manifest and the desktop rely on. */
static void
test_install_tree (void)
{
  g_autofree char *tmp = tt_test_make_tmpdir ();
  g_autofree char *builddir = g_build_filename (tmp, "build", NULL);
  g_autofree char *destdir = g_build_filename (tmp, "dest", NULL);
  g_autofree char *app = g_build_filename (destdir, "app", NULL);
  g_autoptr(GPtrArray) opts = ci_meson_options ();
  g_autoptr(GPtrArray) setup = g_ptr_array_new ();
  g_autoptr(GPtrArray) outputs = NULL;
  g_autoptr(GPtrArray) ninja = g_ptr_array_new ();
  g_autoptr(JsonParser) parser = NULL;
  JsonObject *manifest = load_manifest (&parser);
  g_autofree char *command = g_build_filename (app, "bin", json_object_get_string_member (manifest, "command"), NULL);
  g_autoptr(GDir) top = NULL;
  g_autofree char *out = NULL;
  const char *name;
  static const char *const expected[] = {
    "bin/tantay",
    "bin/tantayctl",
    "bin/tantay-server",
    "share/applications/" APP_ID ".desktop",
    "share/metainfo/" APP_ID ".metainfo.xml",
    "share/dbus-1/services/" APP_ID ".service",
    "share/icons/hicolor/scalable/apps/" APP_ID ".svg",
    "share/icons/hicolor/symbolic/apps/" APP_ID "-symbolic.svg",
    "share/glib-2.0/schemas/" APP_ID ".gschema.xml",
    "share/locale/vi/LC_MESSAGES/tantay.mo",
    "share/licenses/" APP_ID "/COPYING",
  };

  g_ptr_array_add (setup, "meson");
  g_ptr_array_add (setup, "setup");
  g_ptr_array_add (setup, "--prefix=/app");
  for (guint i = 0; i < opts->len; i++)
    g_ptr_array_add (setup, g_ptr_array_index (opts, i));
  g_ptr_array_add (setup, builddir);
  g_ptr_array_add (setup, (gpointer) source_root);
  g_ptr_array_add (setup, NULL);
  g_free (run_ok (NULL, (char **) setup->pdata));

  /* Only what gets installed: tests and benchmarks are not shipped. */
  outputs = installed_outputs (builddir);
  g_ptr_array_add (ninja, "ninja");
  g_ptr_array_add (ninja, "-C");
  g_ptr_array_add (ninja, builddir);
  for (guint i = 0; i < outputs->len; i++)
    g_ptr_array_add (ninja, g_ptr_array_index (outputs, i));
  g_ptr_array_add (ninja, NULL);
  g_free (run_ok (NULL, (char **) ninja->pdata));

  {
    char *install[] = { "meson", "install", "-C", builddir, "--no-rebuild", "--quiet", "--destdir", destdir, NULL };
    g_free (run_ok (NULL, install));
  }

  /* Nothing lands outside the prefix (a Flatpak has nowhere else). */
  top = g_dir_open (destdir, 0, NULL);
  g_assert_nonnull (top);
  while ((name = g_dir_read_name (top)))
    g_assert_cmpstr (name, ==, "app");

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    {
      g_autofree char *path = g_build_filename (app, expected[i], NULL);

      g_test_message ("expect %s", expected[i]);
      g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
    }
  g_assert_true (g_file_test (command, G_FILE_TEST_IS_EXECUTABLE));

  /* D-Bus activation starts the installed binary. */
  {
    g_autofree char *service = g_build_filename (app, "share/dbus-1/services", APP_ID ".service", NULL);
    g_autofree char *text = read_text (service);

    g_assert_nonnull (strstr (text, "Exec=/app/bin/tantay --gapplication-service"));
  }

  /* The installed schema compiles, and the catalogue is Vietnamese. */
  {
    g_autofree char *schemas = g_build_filename (app, "share/glib-2.0/schemas", NULL);
    g_autofree char *mo = g_build_filename (app, "share/locale/vi/LC_MESSAGES/tantay.mo", NULL);
    char *compile[] = { "glib-compile-schemas", "--strict", "--dry-run", schemas, NULL };
    char *unfmt[] = { "msgunfmt", mo, NULL };
    g_autofree char *catalogue = NULL;

    g_free (run_ok (NULL, compile));
    catalogue = run_ok (NULL, unfmt);
    g_assert_nonnull (strstr (catalogue, "Language: vi"));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  source_root = g_getenv ("TT_SOURCE_ROOT");
  build_root = g_getenv ("TT_BUILD_ROOT");
  g_assert_nonnull (source_root);
  g_assert_nonnull (build_root);

  g_test_add_func ("/packaging/files/manifest", test_manifest);
  g_test_add_func ("/packaging/files/metainfo", test_metainfo);
  g_test_add_func ("/packaging/files/desktop-and-service", test_desktop_and_service);
  g_test_add_func ("/packaging/files/potfiles", test_potfiles);
  g_test_add_func ("/packaging/files/icons", test_icons);
  g_test_add_func ("/packaging/translation/complete", test_translation_complete);
  g_test_add_func ("/packaging/install/tree", test_install_tree);

  return g_test_run ();
}
