/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-fees"

#include "config.h"

#include <glib/gi18n.h>

#include "tt-fees.h"

static const TtBeneficiary beneficiaries[] = {
  { "pre-1945-revolutionary", N_("Active in the revolution before 19 August 1945"), 100 },
  { "heroic-mother",          N_("Vietnamese Heroic Mother"), 100 },
  { "hero",                   N_("Hero of the armed forces or of labour"), 50 },
  { "war-invalid",            N_("War invalid or treated as such"), 50 },
  { "sick-soldier",           N_("Sick soldier"), 50 },
  { "agent-orange",           N_("Resistance fighter exposed to toxic chemicals"), 50 },
  { "social-protection",      N_("Social-protection beneficiary"), 0 },
};

const TtBeneficiary *
tt_beneficiary_lookup (const char *code)
{
  if (code == NULL || *code == '\0')
    return NULL;
  for (guint i = 0; i < G_N_ELEMENTS (beneficiaries); i++)
    if (g_str_equal (beneficiaries[i].code, code))
      return &beneficiaries[i];
  return NULL;
}

const TtBeneficiary *
tt_beneficiary_all (guint *n_items)
{
  if (n_items)
    *n_items = G_N_ELEMENTS (beneficiaries);
  return beneficiaries;
}

/**
 * tt_fees_compute:
 * Works out what the citizen pays: the fee in full plus the postage less
 * the beneficiary's exemption.  Half of an odd amount rounds in the
 * citizen's favour (the exemption is rounded up).
 */
void
tt_fees_compute (gint64       fee_vnd,
                 gint64       postage_vnd,
                 const char  *beneficiary,
                 TtAmountDue *out)
{
  g_return_if_fail (out != NULL);

  out->fee_vnd = MAX (fee_vnd, 0);
  out->postage_vnd = MAX (postage_vnd, 0);
  out->beneficiary = tt_beneficiary_lookup (beneficiary);
  out->exemption_vnd = 0;
  if (out->beneficiary != NULL)
    out->exemption_vnd = (out->postage_vnd * out->beneficiary->postage_percent_off + 99) / 100;
  out->exemption_vnd = MIN (out->exemption_vnd, out->postage_vnd);
  out->total_vnd = out->fee_vnd + out->postage_vnd - out->exemption_vnd;
}
