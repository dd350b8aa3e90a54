/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tt-item.h"

G_BEGIN_DECLS

/* Pieces the proof-of-delivery pages share. */

/* Loads the pages' style sheet once per display. */
void        tt_pod_ui_ensure_style     (void);
/* Adds the rows of what the citizen pays (fee, postage, exemption with
 * its reason, total) to @group. */
void        tt_pod_ui_add_amount_rows  (AdwPreferencesGroup *group,
                                        TtItem              *item);
/* Asks to confirm @body; calls @confirmed(@user_data) only on "confirm".
 * @user_data is a GObject, kept alive while the question is open. */
void        tt_pod_ui_review           (GtkWidget           *parent,
                                        const char          *heading,
                                        const char          *body,
                                        const char          *confirm_label,
                                        GCallback            confirmed,
                                        gpointer             user_data);
/* Shows @message in @label (beside the confirm button), or hides it. */
void        tt_pod_ui_show_error       (GtkLabel            *label,
                                        const char          *message);
/* The page's item's recipient and address, for the page heading. */
char       *tt_pod_ui_dup_heading      (TtItem              *item);

G_END_DECLS
