/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Members whose value may be unknown: written as null then, never as a
 * made-up number or an empty string. */
void  tt_json_add_number   (JsonBuilder *builder,
                            const char  *name,
                            double       value);     /* null unless finite */
void  tt_json_add_count    (JsonBuilder *builder,
                            const char  *name,
                            gint64       value);     /* null when negative */
void  tt_json_add_string   (JsonBuilder *builder,
                            const char  *name,
                            const char  *value);     /* null when NULL */

G_END_DECLS
