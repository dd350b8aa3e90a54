/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tantayctl"

#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <locale.h>

#include "tt-cmds.h"

typedef struct
{
  const char *name;
  int       (*run) (int argc, char **argv);
  const char *help;
} Command;

static const Command commands[] = {
  { "scan-image", tt_cmd_scan_image, "FILE…  decode the codes in image files" },
  { "gps",        tt_cmd_gps,        "[--host H] [--port P] [--wait S]  print the first fix" },
  { "enroll",     tt_cmd_enroll,     "URI  enrol this device with a tracking server" },
  { "sync",       tt_cmd_sync,       "pull the route and push the events waiting" },
  { "status",     tt_cmd_status,     "counts of items and events, last sync and error" },
  { "export",     tt_cmd_export,     "[--unsynced] [--format json|csv]  export events" },
};

void
tt_cmd_print_json (gpointer json_node)
{
  g_autofree char *line = json_to_string ((JsonNode *) json_node, FALSE);

  g_print ("%s\n", line);
}

static void
usage (void)
{
  g_printerr ("Usage: tantayctl COMMAND [--data-dir DIR] [OPTION…]\n\nCommands:\n");
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_printerr ("  %-11s %s\n", commands[i].name, commands[i].help);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2 || g_str_equal (argv[1], "--help") || g_str_equal (argv[1], "-h"))
    {
      usage ();
      return argc < 2 ? 2 : 0;
    }
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    if (g_str_equal (argv[1], commands[i].name))
      return commands[i].run (argc - 1, argv + 1);

  g_printerr ("tantayctl: unknown command “%s”\n", argv[1]);
  usage ();
  return 2;
}
