/* SPDX-License-Identifier: GPL-3.0-or-later */
/* libFuzzer target for the code parser: every input is either accepted
 * with a well-formed result or refused with a readable message. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "tt-code.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(TtCode) code = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *shown = tt_code_describe ((const char *) data, size, 48);

  if (!g_utf8_validate (shown, -1, NULL))
    abort ();

  if (tt_code_parse ((const char *) data, size, &code, &error))
    {
      if (error != NULL || code == NULL || code->value == NULL
          || !g_utf8_validate (code->value, -1, NULL)
          || code->payload == NULL || strlen (code->payload) != size
          || memcmp (code->payload, data, size) != 0)
        abort ();
      if ((code->kind == TT_CODE_KIND_S10 || code->kind == TT_CODE_KIND_URL)
          && !tt_code_s10_valid (code->value, NULL))
        abort ();
      if (code->kind == TT_CODE_KIND_CCCD
          && (code->cccd == NULL || strlen (code->cccd->id12) != 12))
        abort ();
    }
  else if (code != NULL || error == NULL || error->domain != TT_CODE_ERROR
           || !g_utf8_validate (error->message, -1, NULL) || strlen (error->message) > 1024)
    abort ();
  return 0;
}
