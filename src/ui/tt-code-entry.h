/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "tt-code.h"

G_BEGIN_DECLS

#define TT_TYPE_CODE_ENTRY (tt_code_entry_get_type ())
G_DECLARE_FINAL_TYPE (TtCodeEntry, tt_code_entry, TT, CODE_ENTRY, AdwBin)

/* A code typed from a damaged label, checked as it is typed (an item id
 * fails its check digit on a single wrong digit).  Emits "code-entered"
 * with the typed text when the courier confirms a valid code. */
GtkWidget  *tt_code_entry_new         (void);
/* The text as typed. */
const char *tt_code_entry_get_text    (TtCodeEntry *self);
void        tt_code_entry_set_text    (TtCodeEntry *self,
                                       const char  *text);
/* The code as parsed, or NULL while the text is not a valid code. */
TtCode     *tt_code_entry_get_code    (TtCodeEntry *self);
/* What the courier is told under the entry. */
const char *tt_code_entry_get_hint    (TtCodeEntry *self);

G_END_DECLS
