/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "tt-cmds.h"

int
tt_cmd_enroll (int argc, char **argv)
{
  g_printerr ("tantayctl enroll: not available yet\n");
  return 1;
}

int
tt_cmd_sync (int argc, char **argv)
{
  g_printerr ("tantayctl sync: not available yet\n");
  return 1;
}

int
tt_cmd_status (int argc, char **argv)
{
  g_printerr ("tantayctl status: not available yet\n");
  return 1;
}

int
tt_cmd_export (int argc, char **argv)
{
  g_printerr ("tantayctl export: not available yet\n");
  return 1;
}
