/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Beneficiary categories of Circular 22/2017/TT-BTTTT (postage exemption
 * for dossier and result delivery).  The fee (lệ phí) itself is never
 * exempted here: it belongs to the agency. */
typedef struct
{
  const char *code;            /* as in the manifest, e.g. "war-invalid" */
  const char *label;           /* English source string, translate with _() */
  int         postage_percent_off;  /* 100 = free, 50 = half */
} TtBeneficiary;

typedef struct
{
  gint64 fee_vnd;
  gint64 postage_vnd;          /* before exemption */
  gint64 exemption_vnd;        /* taken off the postage */
  gint64 total_vnd;            /* what the citizen pays */
  const TtBeneficiary *beneficiary;   /* NULL when none or unknown */
} TtAmountDue;

const TtBeneficiary *tt_beneficiary_lookup  (const char   *code);
const TtBeneficiary *tt_beneficiary_all     (guint        *n_items);
void                 tt_fees_compute        (gint64        fee_vnd,
                                             gint64        postage_vnd,
                                             const char   *beneficiary,
                                             TtAmountDue  *out);

G_END_DECLS
