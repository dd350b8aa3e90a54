/* SPDX-License-Identifier: GPL-3.0-or-later */
/* The real app in Vietnamese (LANGUAGE=vi, the catalogue built from
 * po/vi.po), under Xvfb: the route list, an item page, the delivery,
 * failed-attempt and intake pages, the day's summary, enrollment, the main
 * menu and the settings window must show no English text that has a
 * translation, and no page may grow wider than a 360 px phone because a
 * translation is longer than the English. */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <string.h>

#include "tt-application.h"
#include "tt-test-util.h"
#include "tt-window.h"

/* English source strings of po/vi.po that a Vietnamese user must not see:
 * every one whose translation differs, is missing or is fuzzy. */
static GHashTable *english;

static char *
unquote (const char *line)
{
  const char *start = strchr (line, '"');
  const char *end = strrchr (line, '"');

  g_autofree char *raw = NULL;

  g_assert_true (start != NULL && end > start);
  raw = g_strndup (start + 1, end - start - 1);
  return g_strcompress (raw);
}

static void
load_catalogue (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("TT_SOURCE_ROOT"), "po", "vi.po", NULL);
  g_autofree char *text = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GString) id = NULL;
  g_autoptr(GString) str = NULL;
  GString *current = NULL;
  gboolean fuzzy = FALSE;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  english = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  lines = g_strsplit (text, "\n", -1);

  for (guint i = 0; ; i++)
    {
      const char *line = lines[i];

      /* An entry ends at a blank line (or the end of the file). */
      if (line == NULL || *line == '\0')
        {
          /* Untranslated and fuzzy entries show in English too. */
          if (id && str && id->len > 0 && (fuzzy || !g_str_equal (id->str, str->str)))
            g_hash_table_add (english, g_strdup (id->str));
          fuzzy = FALSE;
          if (id)
            g_string_free (g_steal_pointer (&id), TRUE);
          if (str)
            g_string_free (g_steal_pointer (&str), TRUE);
          current = NULL;
          if (line == NULL)
            break;
          continue;
        }
      if (g_str_has_prefix (line, "#,") && strstr (line, "fuzzy") != NULL)
        fuzzy = TRUE;
      if (line[0] == '#')
        continue;
      if (g_str_has_prefix (line, "msgid "))
        {
          g_autofree char *s = unquote (line);
          id = g_string_new (s);
          current = id;
        }
      else if (g_str_has_prefix (line, "msgstr ") || g_str_has_prefix (line, "msgstr[0] "))
        {
          g_autofree char *s = unquote (line);
          str = g_string_new (s);
          current = str;
        }
      else if (g_str_has_prefix (line, "msgid_plural ") || g_str_has_prefix (line, "msgctxt ")
               || g_str_has_prefix (line, "msgstr["))
        current = NULL;
      else if (line[0] == '"' && current != NULL)
        {
          g_autofree char *s = unquote (line);
          g_string_append (current, s);
        }
    }
  g_assert_cmpuint (g_hash_table_size (english), >, 100);
}

static void
check_text (GPtrArray  *found,
            const char *text,
            const char *where)
{
  if (text == NULL || *text == '\0')
    return;
  if (g_hash_table_contains (english, text))
    g_ptr_array_add (found, g_strdup_printf ("English in %s: “%s”", where, text));
}

static void
check_menu (GPtrArray  *found,
            GMenuModel *menu)
{
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autofree char *label = NULL;
      g_autoptr(GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      if (g_menu_model_get_item_attribute (menu, i, G_MENU_ATTRIBUTE_LABEL, "s", &label))
        check_text (found, label, "menu");
      if (section)
        check_menu (found, section);
    }
}

/* Every label, tooltip, placeholder and menu the user can see. */
static guint
check_widget (GPtrArray *found,
              GtkWidget *widget)
{
  guint n = 0;

  if (!gtk_widget_get_visible (widget))
    return 0;

  if (GTK_IS_LABEL (widget))
    {
      check_text (found, gtk_label_get_text (GTK_LABEL (widget)), G_OBJECT_TYPE_NAME (widget));
      n++;
    }
  check_text (found, gtk_widget_get_tooltip_text (widget), "tooltip");
  if (GTK_IS_TEXT (widget))
    check_text (found, gtk_text_get_placeholder_text (GTK_TEXT (widget)), "placeholder");
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)))
    check_menu (found, gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (widget)));

  for (GtkWidget *c = gtk_widget_get_first_child (widget); c; c = gtk_widget_get_next_sibling (c))
    n += check_widget (found, c);
  return n;
}

/* A phone is 360 px wide: a longer translation must wrap or ellipsize,
 * never make the page wider than the screen. */
static void
check_width (GPtrArray  *found,
             GtkWindow  *window,
             const char *where)
{
  int min = 0;

  gtk_widget_measure (gtk_window_get_child (window), GTK_ORIENTATION_HORIZONTAL, -1,
                      &min, NULL, NULL, NULL);
  g_test_message ("%s: at least %d px wide", where, min);
  if (min > 360)
    g_ptr_array_add (found, g_strdup_printf ("%s needs %d px, more than a 360 px phone", where, min));
}

static void
spin (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
}

static void
on_activate (TtApplication *app,
             gboolean      *ran)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GError) error = NULL;
  TtItem *delivery = NULL;
  TtItem *pickup = NULL;
  guint n_labels;

  g_assert_nonnull (window);
  spin (300);

  n_labels = check_widget (found, GTK_WIDGET (window));
  check_width (found, window, "route list");

  /* An item page, with its amounts and buttons. */
  items = tt_store_list_items (tt_application_get_store (app), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (items->len, >, 0);
  for (guint i = 0; i < items->len; i++)
    {
      TtItem *item = g_ptr_array_index (items, i);

      /* One that shows the most: a delivery with a beneficiary. */
      if (item->kind == TT_ITEM_KIND_DELIVERY && item->beneficiary != NULL && delivery == NULL)
        delivery = item;
      if (item->kind == TT_ITEM_KIND_PICKUP && pickup == NULL)
        pickup = item;
    }
  g_assert_nonnull (delivery);
  g_assert_nonnull (pickup);
  g_assert_true (tt_window_open_item (TT_WINDOW (window), delivery->id));
  spin (300);
  n_labels += check_widget (found, GTK_WIDGET (window));
  check_width (found, window, "item page");

  /* The door-step pages, the day's summary and enrollment. */
  {
    const struct { const char *action; const char *item; } pages[] = {
      { "win.deliver", delivery->id },
      { "win.fail-attempt", delivery->id },
      { "win.intake", pickup->id },
      { "win.summary", NULL },
      { "win.enroll", NULL },
    };

    for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
      {
        if (pages[i].item)
          gtk_widget_activate_action (GTK_WIDGET (window), pages[i].action, "s", pages[i].item);
        else
          gtk_widget_activate_action (GTK_WIDGET (window), pages[i].action, NULL);
        spin (400);
        g_test_message ("after %s", pages[i].action);
        n_labels += check_widget (found, GTK_WIDGET (window));
        check_width (found, window, pages[i].action);
        for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
          if (l->data != window)
            n_labels += check_widget (found, GTK_WIDGET (l->data));
        gtk_widget_activate_action (GTK_WIDGET (window), "win.go-back", NULL);
        spin (400);
      }
  }

  /* The settings window. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  spin (300);
  for (GList *l = gtk_application_get_windows (GTK_APPLICATION (app)); l; l = l->next)
    if (l->data != window)
      {
        n_labels += check_widget (found, GTK_WIDGET (l->data));
        check_width (found, l->data, "settings window");
      }

  g_test_message ("%u labels looked at", n_labels);
  g_assert_cmpuint (n_labels, >, 50);
  if (found->len > 0)
    {
      for (guint i = 0; i < found->len; i++)
        g_test_message ("problem: %s", (char *) g_ptr_array_index (found, i));
      g_error ("%u problems with LANGUAGE=vi (listed above)", found->len);
    }

  *ran = TRUE;
  g_application_quit (G_APPLICATION (app));
}

static void
test_vietnamese_everywhere (void)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autoptr(TtApplication) app = tt_application_new ();
  const char *argv[] = { "tantay", "--data-dir", dir, "--demo", NULL };
  gboolean ran = FALSE;

  /* A known translated string proves the catalogue is in use at all. */
  g_assert_cmpstr (_("Settings"), ==, "Cài đặt");

  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), &ran);
  g_assert_cmpint (g_application_run (G_APPLICATION (app), 4, (char **) argv), ==, 0);
  g_assert_true (ran);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *localedir = g_build_filename (g_getenv ("TT_BUILD_ROOT"), "po", NULL);

  /* As main.c does, with the catalogue of this build. */
  g_setenv ("LANGUAGE", "vi", TRUE);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, localedir);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  gtk_test_init (&argc, &argv, NULL);
  /* A phone's shell gives windows only a close button; Xvfb's default
   * layout would add two that no phone has. */
  g_object_set (gtk_settings_get_default (), "gtk-decoration-layout", ":close", NULL);
  load_catalogue ();

  g_test_add_func ("/translation/vietnamese-everywhere", test_vietnamese_everywhere);

  return g_test_run ();
}
