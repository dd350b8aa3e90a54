/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "tt-sync.h"

G_BEGIN_DECLS

#define TT_TYPE_ENROLL_PAGE (tt_enroll_page_get_type ())
G_DECLARE_FINAL_TYPE (TtEnrollPage, tt_enroll_page, TT, ENROLL_PAGE, GtkWidget)

/* Connects the device to the office's tracking server: the enrollment
 * link (tantay://enroll?…) pasted or scanned, or the server address and
 * the code typed.  Emits "enrolled" once the server accepted the device. */
GtkWidget *tt_enroll_page_new        (TtSync       *sync);
/* Fills in a scanned enrollment link; _enroll_uri also sends it. */
void       tt_enroll_page_set_uri    (TtEnrollPage *self,
                                      const char   *uri);
void       tt_enroll_page_enroll_uri (TtEnrollPage *self,
                                      const char   *uri);

G_END_DECLS
