/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tt-cmds.h"

int
tt_cmd_gps (int argc, char **argv)
{
  g_printerr ("tantayctl gps: not available yet\n");
  return 1;
}
