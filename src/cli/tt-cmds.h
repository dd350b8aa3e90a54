/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Each command gets its own argv (argv[0] is the command name) and
 * returns the process exit status.  Output: one JSON object per line. */
int  tt_cmd_scan_image  (int argc, char **argv);
int  tt_cmd_gps         (int argc, char **argv);
int  tt_cmd_enroll      (int argc, char **argv);
int  tt_cmd_sync        (int argc, char **argv);
int  tt_cmd_status      (int argc, char **argv);
int  tt_cmd_export      (int argc, char **argv);

/* Prints @node as one line of JSON on stdout. */
void tt_cmd_print_json  (gpointer json_node);

G_END_DECLS
