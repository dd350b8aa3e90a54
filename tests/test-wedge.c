/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <gtk/gtk.h>

#include "tt-scanner.h"

/* Keyboard-wedge scanners for real: a GtkWindow with a GtkEntry under
 * Xvfb, keys sent by xdotool through the X server (XTEST), as a
 * scanner's USB keyboard would send them. */

#define INITIAL_TEXT "Hà Nội "

typedef struct
{
  GtkWidget *window;
  GtkWidget *entry;
  GtkWidget *button;
  TtScanner *scanner;
  GPtrArray *scans;
  guint      activated;
  guint      changed;
  char      *title;
} Fixture;

static guint window_serial;

static void
on_scanned (TtScanner  *scanner,
            const char *payload,
            Fixture    *f)
{
  g_ptr_array_add (f->scans, g_strdup (payload));
}

static void
on_activate (GtkEntry *entry,
             Fixture  *f)
{
  f->activated++;
}

static void
on_changed (GtkEditable *editable,
            Fixture     *f)
{
  f->changed++;
}

static gboolean
spin_until (gboolean (*done) (gpointer),
            gpointer   data,
            guint      timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  while (!done (data) && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
  return done (data);
}

static void
spin_for (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, FALSE) || (g_usleep (1000), TRUE);
}

static gboolean
has_focus (gpointer data)
{
  Fixture *f = data;

  return gtk_window_is_active (GTK_WINDOW (f->window));
}

static gboolean
subprocess_done (gpointer data)
{
  return g_subprocess_get_identifier (data) == NULL;
}

static void
run (const char *const *argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) p = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_NONE, &error);

  g_assert_no_error (error);
  /* GSubprocess reaps the child from GLib's worker thread. */
  g_assert_true (spin_until (subprocess_done, p, 30000));
  g_assert_true (g_subprocess_get_successful (p));
}

static void
focus_window (Fixture *f)
{
  g_autofree char *pattern = g_strdup_printf ("^%s$", f->title);
  const char *argv[] = { "xdotool", "search", "--sync", "--name", pattern, "windowfocus", "--sync", NULL };

  run (argv);
}

/* Types @text (a newline is Return, a tab is Tab: part of the same burst,
 * as a scanner sends them) @delay_ms apart, then lets the main loop
 * handle every event and any pending timeout. */
static void
type (Fixture    *f,
      guint       delay_ms,
      const char *text)
{
  g_autofree char *delay = g_strdup_printf ("%u", delay_ms);
  const char *argv[] = { "xdotool", "type", "--delay", delay, text, NULL };

  focus_window (f);
  run (argv);
  spin_for (600);
}

static void
key (Fixture    *f,
     const char *name)
{
  const char *argv[] = { "xdotool", "key", name, NULL };

  focus_window (f);
  run (argv);
}

static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);

  f->scans = g_ptr_array_new_with_free_func (g_free);
  f->title = g_strdup_printf ("tt-wedge-%u-%d", ++window_serial, (int) getpid ());
  f->window = gtk_window_new ();
  gtk_window_set_title (GTK_WINDOW (f->window), f->title);
  gtk_window_set_default_size (GTK_WINDOW (f->window), 360, 200);
  f->entry = gtk_entry_new ();
  f->button = gtk_button_new_with_label ("OK");
  gtk_box_append (GTK_BOX (box), f->entry);
  gtk_box_append (GTK_BOX (box), f->button);
  gtk_window_set_child (GTK_WINDOW (f->window), box);
  gtk_editable_set_text (GTK_EDITABLE (f->entry), INITIAL_TEXT);

  f->scanner = tt_scanner_new ();
  tt_scanner_attach (f->scanner, f->window);
  g_signal_connect (f->scanner, "scanned", G_CALLBACK (on_scanned), f);
  g_signal_connect (f->entry, "activate", G_CALLBACK (on_activate), f);
  g_signal_connect (f->entry, "changed", G_CALLBACK (on_changed), f);

  gtk_window_present (GTK_WINDOW (f->window));
  gtk_widget_grab_focus (f->entry);
  gtk_editable_set_position (GTK_EDITABLE (f->entry), -1);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  g_clear_object (&f->scanner);
  gtk_window_destroy (GTK_WINDOW (f->window));
  spin_for (20);
  g_ptr_array_unref (f->scans);
  g_free (f->title);
}

static void
wait_focused (Fixture *f)
{
  focus_window (f);
  g_assert_true (spin_until (has_focus, f, 5000));
  gtk_editable_set_position (GTK_EDITABLE (f->entry), -1);
  f->changed = 0;
}

/* A burst 5 ms apart ending in Enter is one scan; the entry the courier
 * was typing in is left as it was and does not see the Enter. */
static void
test_burst_in_entry (Fixture       *f,
                     gconstpointer  data)
{
  wait_focused (f);
  type (f, 5, "RR123456785VN\n");

  g_assert_cmpuint (f->scans->len, ==, 1);
  g_assert_cmpstr (f->scans->pdata[0], ==, "RR123456785VN");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, INITIAL_TEXT);
  g_assert_cmpuint (f->activated, ==, 0);
}

/* A citizen-ID QR read by a wedge scanner (no diacritics), ending in Tab:
 * Shift for capitals and '|' belongs to the burst. */
static void
test_burst_cccd_tab (Fixture       *f,
                     gconstpointer  data)
{
  static const char cccd[] = "001090123456|012345678|NGUYEN VAN A|01011990|Nam|So 1 Pho Hue, Ha Noi|15042021";
  g_autofree char *keys = g_strdup_printf ("%s\t", cccd);

  wait_focused (f);
  type (f, 5, keys);

  g_assert_cmpuint (f->scans->len, ==, 1);
  g_assert_cmpstr (f->scans->pdata[0], ==, cccd);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, INITIAL_TEXT);
  g_assert_true (gtk_widget_has_focus (f->entry) || gtk_widget_is_focus (gtk_widget_get_first_child (f->entry)));
}

/* A person typing 150 ms apart: every key goes to the entry, Enter
 * activates it, nothing is taken for a scan. */
static void
test_human_typing (Fixture       *f,
                   gconstpointer  data)
{
  wait_focused (f);
  type (f, 150, "nguyen van");
  key (f, "Return");
  spin_for (100);

  g_assert_cmpuint (f->scans->len, ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, INITIAL_TEXT "nguyen van");
  g_assert_cmpuint (f->activated, ==, 1);
}

/* With a prefix key configured, not one key of the scan reaches the
 * entry: its text never changes, not even for a moment. */
static void
test_prefix (Fixture       *f,
             gconstpointer  data)
{
  tt_scanner_set_prefix (f->scanner, "F13");
  wait_focused (f);
  key (f, "F13");
  type (f, 5, "EE473124829VN\n");

  g_assert_cmpuint (f->scans->len, ==, 1);
  g_assert_cmpstr (f->scans->pdata[0], ==, "EE473124829VN");
  g_assert_cmpuint (f->changed, ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, INITIAL_TEXT);
  g_assert_cmpuint (f->activated, ==, 0);

  /* Typing still works with a prefix configured. */
  type (f, 150, "ab");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, INITIAL_TEXT "ab");
  g_assert_cmpuint (f->scans->len, ==, 1);
}

/* With no text field focused the timing rule alone delivers the scan. */
static void
test_no_entry_focused (Fixture       *f,
                       gconstpointer  data)
{
  wait_focused (f);
  gtk_widget_grab_focus (f->button);
  type (f, 5, "000.00.20.H26-240105-0012\n");

  g_assert_cmpuint (f->scans->len, ==, 1);
  g_assert_cmpstr (f->scans->pdata[0], ==, "000.00.20.H26-240105-0012");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, INITIAL_TEXT);
}

/* A fast burst shorter than scanner-min-length is typing. */
static void
test_short_burst (Fixture       *f,
                  gconstpointer  data)
{
  wait_focused (f);
  type (f, 5, "abc");
  key (f, "Return");
  spin_for (100);

  g_assert_cmpuint (f->scans->len, ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, INITIAL_TEXT "abc");
  g_assert_cmpuint (f->activated, ==, 1);
}

/* Fast keys that never end in Enter or Tab: not a scan, and none of the
 * keys held back from the entry is lost. */
static void
test_fast_without_terminator (Fixture       *f,
                              gconstpointer  data)
{
  wait_focused (f);
  type (f, 5, "abcdefghij");

  g_assert_cmpuint (f->scans->len, ==, 0);
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, INITIAL_TEXT "abcdefghij");

  /* Typing goes on where it left off. */
  type (f, 150, "k");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, INITIAL_TEXT "abcdefghijk");
}

/* Two scans in a row, the second right after the first. */
static void
test_two_scans (Fixture       *f,
                gconstpointer  data)
{
  wait_focused (f);
  type (f, 5, "RR123456785VN\nEE123456140VN\n");

  g_assert_cmpuint (f->scans->len, ==, 2);
  g_assert_cmpstr (f->scans->pdata[0], ==, "RR123456785VN");
  g_assert_cmpstr (f->scans->pdata[1], ==, "EE123456140VN");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, INITIAL_TEXT);
}

/* A scanner that pauses 150 ms in the middle of a code (a Bluetooth
 * hiccup): still one scan, and nothing left in the entry. */
static void
test_hiccup (Fixture       *f,
             gconstpointer  data)
{
  const char *argv[] = { "sh", "-c",
                         "xdotool type --delay 5 RR12345 && sleep 0.15 && xdotool type --delay 5 6785VN"
                         " && xdotool key Return", NULL };

  wait_focused (f);
  focus_window (f);
  run (argv);
  spin_for (600);

  g_assert_cmpuint (f->scans->len, ==, 1);
  g_assert_cmpstr (f->scans->pdata[0], ==, "RR123456785VN");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (f->entry)), ==, INITIAL_TEXT);
  g_assert_cmpuint (f->activated, ==, 0);
}

/* The scanner-* settings drive the scanner. */
static void
test_settings (void)
{
  g_autoptr(GSettings) settings = g_settings_new (APP_ID);
  g_autoptr(TtScanner) scanner = tt_scanner_new ();

  tt_scanner_bind_settings (scanner, settings);
  g_assert_cmpuint (tt_scanner_get_max_gap_ms (scanner), ==, 40);
  g_assert_cmpuint (tt_scanner_get_min_length (scanner), ==, 6);
  g_assert_null (tt_scanner_get_prefix (scanner));

  g_settings_set_uint (settings, "scanner-max-gap-ms", 25);
  g_settings_set_uint (settings, "scanner-min-length", 10);
  g_settings_set_string (settings, "scanner-prefix", "F13");
  g_settings_set_string (settings, "scanner-suffix", "F14");
  g_assert_cmpuint (tt_scanner_get_max_gap_ms (scanner), ==, 25);
  g_assert_cmpuint (tt_scanner_get_min_length (scanner), ==, 10);
  g_assert_cmpstr (tt_scanner_get_prefix (scanner), ==, "F13");
  g_assert_cmpstr (tt_scanner_get_suffix (scanner), ==, "F14");

  g_settings_set_string (settings, "scanner-prefix", "");
  g_assert_null (tt_scanner_get_prefix (scanner));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  gtk_init ();
  /* Focusing an entry must not select its text: the tests type after it. */
  g_object_set (gtk_settings_get_default (), "gtk-entry-select-on-focus", FALSE, NULL);

#define ADD(path, fn) g_test_add ("/wedge/" path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("burst-in-entry", test_burst_in_entry);
  ADD ("burst-cccd-tab", test_burst_cccd_tab);
  ADD ("human-typing", test_human_typing);
  ADD ("prefix", test_prefix);
  ADD ("no-entry-focused", test_no_entry_focused);
  ADD ("short-burst", test_short_burst);
  ADD ("fast-without-terminator", test_fast_without_terminator);
  ADD ("two-scans", test_two_scans);
  ADD ("hiccup", test_hiccup);
#undef ADD
  g_test_add_func ("/wedge/settings", test_settings);

  return g_test_run ();
}
