/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tt-cmds.h"

int
tt_cmd_scan_image (int argc, char **argv)
{
  g_printerr ("tantayctl scan-image: not available yet\n");
  return 1;
}
