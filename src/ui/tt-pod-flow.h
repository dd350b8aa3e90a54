/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "tt-window.h"

G_BEGIN_DECLS

/* The proof-of-delivery flows as the window runs them: which page opens
 * for which action, what happens once the event is saved, and where a
 * scan goes while a flow is open. */

/* @action_name: "win.deliver", "win.fail-attempt" or "win.intake". */
void      tt_pod_flow_start          (TtWindow   *window,
                                      const char *action_name,
                                      const char *item_id);
void      tt_pod_flow_show_summary   (TtWindow   *window);
/* A scanned payload while a flow page is open: a citizen-ID QR goes to
 * the delivery's identity check, an item or dossier code to the intake's
 * envelope label.  FALSE when no flow page wants it.  (The window's
 * "scanned" signal is routed here the same way.) */
gboolean  tt_pod_flow_handle_scan    (TtWindow   *window,
                                      const char *payload);

G_END_DECLS
