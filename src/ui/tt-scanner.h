/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

#define TT_TYPE_SCANNER (tt_scanner_get_type ())
G_DECLARE_FINAL_TYPE (TtScanner, tt_scanner, TT, SCANNER, GObject)

TtScanner  *tt_scanner_new             (void);
/* Watches the keys of @widget's window (capture phase, before any focused
 * text field or input method).  One widget at a time. */
void        tt_scanner_attach          (TtScanner  *self,
                                        GtkWidget  *widget);
void        tt_scanner_detach          (TtScanner  *self);
/* Binds max-gap-ms, min-length, prefix and suffix to the scanner-* keys. */
void        tt_scanner_bind_settings   (TtScanner  *self,
                                        GSettings  *settings);

guint       tt_scanner_get_max_gap_ms  (TtScanner  *self);
void        tt_scanner_set_max_gap_ms  (TtScanner  *self,
                                        guint       max_gap_ms);
guint       tt_scanner_get_min_length  (TtScanner  *self);
void        tt_scanner_set_min_length  (TtScanner  *self,
                                        guint       min_length);
const char *tt_scanner_get_prefix      (TtScanner  *self);
void        tt_scanner_set_prefix      (TtScanner  *self,
                                        const char *key_name);
const char *tt_scanner_get_suffix      (TtScanner  *self);
void        tt_scanner_set_suffix      (TtScanner  *self,
                                        const char *key_name);

G_END_DECLS
