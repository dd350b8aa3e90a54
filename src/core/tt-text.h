/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Folds case and Vietnamese diacritics ("Nguyễn Văn Ánh" → "nguyen van anh",
 * "Đình" → "dinh"), collapses white space.  Always returns valid UTF-8. */
char     *tt_text_fold          (const char *text);
/* Formats an amount of đồng: 1250000 → "1.250.000 ₫". */
char     *tt_text_format_vnd    (gint64      amount);

G_END_DECLS
