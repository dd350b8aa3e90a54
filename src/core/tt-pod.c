/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-pod"

#include "config.h"

#include <math.h>
#include <glib/gi18n.h>
#include <json-glib/json-glib.h>

#include "tt-fix-policy.h"
#include "tt-json.h"
#include "tt-pod.h"
#include "tt-text.h"

/* Version of the payload layout (docs/events.md). */
#define PAYLOAD_VERSION 1
#define MAX_TEXT_CHARS 500
#define MAX_LABEL_CHARS 128
#define MAX_PAGES 2000
#define MAX_RETRY_DAYS 60

G_DEFINE_QUARK (tt-pod-error-quark, tt_pod_error)

static const struct
{
  const char *code;
  const char *label;
} fail_reasons[TT_FAIL_REASON_N] = {
  [TT_FAIL_REASON_ABSENT] = { "absent", N_("Addressee absent") },
  [TT_FAIL_REASON_REFUSED] = { "refused", N_("Refused") },
  [TT_FAIL_REASON_WRONG_ADDRESS] = { "wrong-address", N_("Wrong or incomplete address") },
  [TT_FAIL_REASON_MOVED] = { "moved", N_("Moved away") },
  [TT_FAIL_REASON_DECEASED] = { "deceased", N_("Addressee deceased") },
  [TT_FAIL_REASON_NO_VALID_ID] = { "no-valid-id", N_("No valid identity document") },
  [TT_FAIL_REASON_CANNOT_PAY] = { "cannot-pay", N_("Cannot pay the amount due") },
  [TT_FAIL_REASON_NO_ACCESS] = { "no-access", N_("Premises closed or no access") },
  [TT_FAIL_REASON_OTHER] = { "other", N_("Other (explain in a note)") },
};

static const struct
{
  const char *code;
  const char *label;
} fail_actions[TT_FAIL_ACTION_N] = {
  [TT_FAIL_ACTION_NOTICE_LEFT] = { "notice-left", N_("Notice left") },
  [TT_FAIL_ACTION_RETRY] = { "retry", N_("Retry on a date") },
  [TT_FAIL_ACTION_RETURN_TO_OFFICE] = { "return-to-office", N_("Return to the office") },
};

const char *
tt_fail_reason_to_string (TtFailReason reason)
{
  g_return_val_if_fail (reason < TT_FAIL_REASON_N, NULL);
  return fail_reasons[reason].code;
}

gboolean
tt_fail_reason_from_string (const char   *str,
                            TtFailReason *reason)
{
  for (guint i = 0; str != NULL && i < TT_FAIL_REASON_N; i++)
    if (g_str_equal (str, fail_reasons[i].code))
      {
        *reason = (TtFailReason) i;
        return TRUE;
      }
  return FALSE;
}

const char *
tt_fail_reason_get_label (TtFailReason reason)
{
  g_return_val_if_fail (reason < TT_FAIL_REASON_N, NULL);
  return _(fail_reasons[reason].label);
}

const char *
tt_fail_action_to_string (TtFailAction action)
{
  g_return_val_if_fail (action < TT_FAIL_ACTION_N, NULL);
  return fail_actions[action].code;
}

gboolean
tt_fail_action_from_string (const char   *str,
                            TtFailAction *action)
{
  for (guint i = 0; str != NULL && i < TT_FAIL_ACTION_N; i++)
    if (g_str_equal (str, fail_actions[i].code))
      {
        *action = (TtFailAction) i;
        return TRUE;
      }
  return FALSE;
}

const char *
tt_fail_action_get_label (TtFailAction action)
{
  g_return_val_if_fail (action < TT_FAIL_ACTION_N, NULL);
  return _(fail_actions[action].label);
}

gboolean
tt_pod_parse_amount (const char *text,
                     gint64     *vnd,
                     GError    **error)
{
  gint64 value = 0;
  gboolean any = FALSE;

  g_return_val_if_fail (vnd != NULL, FALSE);

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    text = "";
  for (const char *p = text; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c >= '0' && c <= '9')
        {
          if (value > (TT_POD_MAX_COLLECTED_VND * 100 - (c - '0')) / 10)
            {
              g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_AMOUNT,
                                   _("This amount is far too large. Check the number typed."));
              return FALSE;
            }
          value = value * 10 + (c - '0');
          any = TRUE;
        }
      /* Thousands separators and the currency, as people write them. */
      else if (c == '.' || c == ',' || g_unichar_isspace (c) || c == 0x20AB /* ₫ */
               || c == 'd' || c == 'D' || c == 0x0111 /* đ */ || c == 0x00A0)
        continue;
      else if (c == '-' || c == 0x2212)
        {
          g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_AMOUNT,
                               _("The amount collected cannot be negative."));
          return FALSE;
        }
      else
        {
          g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_AMOUNT,
                               _("Type the amount in đồng, digits only (for example 130000)."));
          return FALSE;
        }
    }
  if (!any)
    {
      g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_AMOUNT,
                           _("Enter the amount collected (0 when nothing was paid)."));
      return FALSE;
    }
  *vnd = value;
  return TRUE;
}

gboolean
tt_pod_id_number_is_valid (const char *text)
{
  if (text == NULL || strlen (text) != 12)
    return FALSE;
  for (const char *c = text; *c; c++)
    if (!g_ascii_isdigit (*c))
      return FALSE;
  return TRUE;
}

static gboolean
member_double (JsonObject *o,
               const char *name,
               double     *out)
{
  JsonNode *n = json_object_get_member (o, name);

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return FALSE;
  if (json_node_get_value_type (n) != G_TYPE_DOUBLE && json_node_get_value_type (n) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_double (n);
  return isfinite (*out);
}

gboolean
tt_pod_parse_fix (const char *fix_json,
                  double     *lat,
                  double     *lon,
                  double     *accuracy_m,
                  GError    **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;
  double la, lo, acc = -1;

  if (fix_json == NULL || *fix_json == '\0')
    return FALSE;
  if (!json_parser_load_from_data (parser, fix_json, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    {
      g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_INVALID,
                           _("The position from the location service is unreadable."));
      return FALSE;
    }
  o = json_node_get_object (json_parser_get_root (parser));
  /* The location service reports "no fix" states as a fix without
   * coordinates: that is no position, not an error. */
  if (!member_double (o, "lat", &la) || !member_double (o, "lon", &lo))
    return FALSE;
  if (la < -90 || la > 90 || lo < -180 || lo > 180)
    {
      g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_INVALID,
                           _("The position from the location service is out of range."));
      return FALSE;
    }
  member_double (o, "accuracy_m", &acc);
  if (lat)
    *lat = la;
  if (lon)
    *lon = lo;
  if (accuracy_m)
    *accuracy_m = acc;
  return TRUE;
}

double
tt_pod_distance_from_item (TtItem     *item,
                           const char *fix_json)
{
  double lat, lon;

  g_return_val_if_fail (TT_IS_ITEM (item), -1);

  if (!item->has_location || !tt_pod_parse_fix (fix_json, &lat, &lon, NULL, NULL))
    return -1;
  return tt_geo_distance_m (item->lat, item->lon, lat, lon);
}

/* ---- shared checks ----------------------------------------------------- */

static gboolean
check_item (TtItem     *item,
            TtItemKind  kind,
            gboolean    any_kind,
            GError    **error)
{
  if (item == NULL || !TT_IS_ITEM (item) || item->id == NULL)
    {
      g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_ITEM, _("No item is open."));
      return FALSE;
    }
  if (!any_kind && item->kind != kind)
    {
      g_set_error (error, TT_POD_ERROR, TT_POD_ERROR_ITEM,
                   kind == TT_ITEM_KIND_PICKUP
                     ? _("%s is a delivery, not a pickup: deliver it instead.")
                     : _("%s is a pickup appointment, not a delivery: take the dossier in instead."),
                   item->id);
      return FALSE;
    }
  if (item->status == TT_ITEM_STATUS_DELIVERED || item->status == TT_ITEM_STATUS_COLLECTED)
    {
      g_set_error (error, TT_POD_ERROR, TT_POD_ERROR_ITEM,
                   _("%s is already recorded as %s; nothing new was saved."), item->id,
                   item->status == TT_ITEM_STATUS_DELIVERED ? _("delivered") : _("taken in"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
is_blank (const char *text)
{
  for (; text != NULL && *text; text++)
    if (!g_ascii_isspace (*text))
      return FALSE;
  return TRUE;
}

/* Trimmed copy of @text when it is acceptable free text, else NULL. */
static char *
clean_text (const char *text,
            guint       max_chars)
{
  g_autofree char *copy = NULL;

  if (text == NULL || !g_utf8_validate (text, -1, NULL))
    return NULL;
  copy = g_strstrip (g_strdup (text));
  if (*copy == '\0' || g_utf8_strlen (copy, -1) > max_chars)
    return NULL;
  for (const char *p = copy; *p; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      if (g_unichar_iscntrl (c) && c != '\n')
        return NULL;
    }
  return g_steal_pointer (&copy);
}

static gboolean
check_money (TtItem      *item,
             gint64       collected,
             TtAmountDue *due,
             GError     **error)
{
  g_autofree char *due_text = NULL;
  g_autofree char *got_text = NULL;

  tt_fees_compute (item->fee_vnd, item->postage_vnd, item->beneficiary, due);
  due_text = tt_text_format_vnd (due->total_vnd);
  got_text = tt_text_format_vnd (collected);

  if (collected < 0)
    {
      g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_AMOUNT,
                           _("The amount collected cannot be negative."));
      return FALSE;
    }
  if (collected > TT_POD_MAX_COLLECTED_VND
      || (due->total_vnd > 0 && collected > 10 * due->total_vnd))
    {
      g_set_error (error, TT_POD_ERROR, TT_POD_ERROR_AMOUNT,
                   _("%s collected is not plausible for %s due. Check the amount typed."),
                   got_text, due_text);
      return FALSE;
    }
  if (due->total_vnd == 0 && collected > 0)
    {
      g_set_error (error, TT_POD_ERROR, TT_POD_ERROR_AMOUNT,
                   _("Nothing is due for this item, but %s was entered as collected."), got_text);
      return FALSE;
    }
  if (collected < due->total_vnd)
    {
      g_set_error (error, TT_POD_ERROR, TT_POD_ERROR_AMOUNT,
                   _("%s is due but only %s was entered. If the citizen cannot pay, "
                     "record a failed attempt with the reason “Cannot pay”."),
                   due_text, got_text);
      return FALSE;
    }
  return TRUE;
}

static void
add_money (JsonBuilder       *b,
           const TtAmountDue *due,
           gint64             collected)
{
  json_builder_set_member_name (b, "money");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "fee_vnd");
  json_builder_add_int_value (b, due->fee_vnd);
  json_builder_set_member_name (b, "postage_vnd");
  json_builder_add_int_value (b, due->postage_vnd);
  json_builder_set_member_name (b, "exemption_vnd");
  json_builder_add_int_value (b, due->exemption_vnd);
  tt_json_add_string (b, "beneficiary", due->beneficiary ? due->beneficiary->code : NULL);
  json_builder_set_member_name (b, "due_vnd");
  json_builder_add_int_value (b, due->total_vnd);
  json_builder_set_member_name (b, "collected_vnd");
  json_builder_add_int_value (b, collected);
  json_builder_end_object (b);
}

static gboolean
check_signature (TtSignature *signature,
                 const char  *who,
                 GError     **error)
{
  g_autoptr(GError) local = NULL;

  if (signature == NULL || !TT_IS_SIGNATURE (signature))
    {
      g_set_error (error, TT_POD_ERROR, TT_POD_ERROR_SIGNATURE,
                   _("The %s has not signed yet."), who);
      return FALSE;
    }
  if (!tt_signature_validate (signature, &local))
    {
      g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_SIGNATURE, local->message);
      return FALSE;
    }
  return TRUE;
}

static void
add_signature (JsonBuilder *b,
               TtSignature *signature)
{
  g_autofree char *data = tt_signature_to_base64 (signature);

  json_builder_set_member_name (b, "signature");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "tt-strokes-1");
  json_builder_set_member_name (b, "strokes");
  json_builder_add_int_value (b, tt_signature_get_n_strokes (signature));
  json_builder_set_member_name (b, "data");
  json_builder_add_string_value (b, data);
  json_builder_end_object (b);
}

/* Checks the place and adds "fix", "distance_m" and, when there is no
 * position, "no_fix": true. */
static gboolean
add_place (JsonBuilder      *b,
           TtItem           *item,
           const TtPodPlace *place,
           GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) local = NULL;
  double lat, lon, acc;
  gboolean have;

  have = tt_pod_parse_fix (place->fix_json, &lat, &lon, &acc, &local);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  if (!have && !place->confirm_no_fix)
    {
      g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_NO_FIX,
                           _("There is no GPS position yet. Wait for one, or confirm that "
                             "this record is saved without a position."));
      return FALSE;
    }

  /* The location service's report is kept whole, even without a
   * position: it says why there was none (no gpsd, no fix). */
  json_builder_set_member_name (b, "fix");
  if (place->fix_json != NULL && json_parser_load_from_data (parser, place->fix_json, -1, NULL)
      && JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    json_builder_add_value (b, json_node_copy (json_parser_get_root (parser)));
  else
    json_builder_add_null_value (b);
  if (!have)
    {
      json_builder_set_member_name (b, "no_fix");
      json_builder_add_boolean_value (b, TRUE);
    }
  json_builder_set_member_name (b, "distance_m");
  if (have && item->has_location)
    json_builder_add_int_value (b, (gint64) lround (tt_geo_distance_m (item->lat, item->lon,
                                                                      lat, lon)));
  else
    json_builder_add_null_value (b);
  return TRUE;
}

static JsonBuilder *
begin_payload (const char *upu,
               const char *courier)
{
  JsonBuilder *b = json_builder_new ();

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "v");
  json_builder_add_int_value (b, PAYLOAD_VERSION);
  json_builder_set_member_name (b, "upu");
  json_builder_add_string_value (b, upu);
  tt_json_add_string (b, "courier", courier && *courier ? courier : NULL);
  return b;
}

static char *
end_payload (JsonBuilder *b)
{
  g_autoptr(JsonNode) root = NULL;

  json_builder_end_object (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static const char *
id_method_to_string (TtIdMethod method)
{
  switch (method)
    {
    case TT_ID_METHOD_QR:
      return "qr";
    case TT_ID_METHOD_TYPED:
      return "typed";
    case TT_ID_METHOD_NONE:
    default:
      return "none";
    }
}

/* ---- delivery ---------------------------------------------------------- */

char *
tt_pod_build_delivery (const TtDeliveryInput *in,
                       GError               **error)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *override = NULL;
  g_autofree char *proxy_name = NULL;
  g_autofree char *proxy_rel = NULL;
  g_autofree char *last4 = NULL;
  g_autofree char *proxy_last4 = NULL;
  TtIdentityResult identity = TT_IDENTITY_UNKNOWN;
  TtAmountDue due;
  TtItem *item;

  g_return_val_if_fail (in != NULL, NULL);

  item = in->item;
  if (!check_item (item, TT_ITEM_KIND_DELIVERY, FALSE, error))
    return NULL;

  /* Identity: a number given must be a well-formed one; it is checked
   * against the route's hash and forgotten but for its last four digits. */
  if (in->id_number != NULL && *in->id_number != '\0')
    {
      if (!tt_pod_id_number_is_valid (in->id_number))
        {
          g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_IDENTITY,
                               _("A citizen ID number has exactly 12 digits."));
          return NULL;
        }
      identity = tt_identity_verify (item->id_hash, in->id_number);
      last4 = tt_identity_last4 (in->id_number);
    }
  if (!is_blank (in->override_reason))
    {
      override = clean_text (in->override_reason, MAX_TEXT_CHARS);
      if (override == NULL)
        {
          g_set_error (error, TT_POD_ERROR, TT_POD_ERROR_INVALID,
                       _("The override reason must be plain text of at most %u characters."),
                       MAX_TEXT_CHARS);
          return NULL;
        }
    }
  if (identity != TT_IDENTITY_MATCH && override == NULL)
    {
      const char *msg;
      if (identity == TT_IDENTITY_NO_MATCH)
        msg = _("The ID number does not match the addressee. Do not hand over the document, "
                "or record the reason for an override.");
      else if (item->id_hash == NULL)
        msg = _("The route has no ID record for this item, so identity cannot be checked. "
                "Record the reason for delivering anyway.");
      else if (last4 == NULL)
        msg = _("Check the recipient's identity first: scan their citizen ID or type its "
                "12 digits.");
      else
        msg = _("The route's ID record for this item is unreadable, so identity cannot be "
                "checked. Record the reason for delivering anyway.");
      g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_IDENTITY, msg);
      return NULL;
    }

  if (in->proxy)
    {
      if (!item->proxy_allowed)
        {
          g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_PROXY,
                               _("This item must be handed to the addressee in person."));
          return NULL;
        }
      proxy_name = clean_text (in->proxy_name, 200);
      proxy_rel = clean_text (in->proxy_relationship, 100);
      if (proxy_name == NULL || proxy_rel == NULL)
        {
          g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_PROXY,
                               _("Enter the authorised person's name and their relationship "
                                 "to the addressee."));
          return NULL;
        }
      if (!tt_pod_id_number_is_valid (in->proxy_id_number))
        {
          g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_PROXY,
                               _("Check the authorised person's own citizen ID: its number has "
                                 "exactly 12 digits."));
          return NULL;
        }
      proxy_last4 = tt_identity_last4 (in->proxy_id_number);
    }

  if (!check_money (item, in->collected_vnd, &due, error))
    return NULL;
  if (!check_signature (in->signature, in->proxy ? _("authorised person") : _("recipient"),
                        error))
    return NULL;

  b = begin_payload ("EMI", in->courier);
  json_builder_set_member_name (b, "recipient");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "kind");
  json_builder_add_string_value (b, in->proxy ? "proxy" : "addressee");
  json_builder_set_member_name (b, "identity");
  json_builder_add_string_value (b, tt_identity_result_to_string (identity));
  json_builder_set_member_name (b, "id_method");
  json_builder_add_string_value (b, last4 ? id_method_to_string (in->id_method) : "none");
  tt_json_add_string (b, "id_last4", last4);
  if (override)
    {
      json_builder_set_member_name (b, "override_reason");
      json_builder_add_string_value (b, override);
    }
  if (in->proxy)
    {
      json_builder_set_member_name (b, "proxy");
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "name");
      json_builder_add_string_value (b, proxy_name);
      json_builder_set_member_name (b, "relationship");
      json_builder_add_string_value (b, proxy_rel);
      json_builder_set_member_name (b, "id_last4");
      json_builder_add_string_value (b, proxy_last4);
      json_builder_set_member_name (b, "id_method");
      json_builder_add_string_value (b, id_method_to_string (in->proxy_id_method));
      json_builder_end_object (b);
    }
  json_builder_end_object (b);
  add_money (b, &due, in->collected_vnd);
  add_signature (b, in->signature);
  if (!add_place (b, item, &in->place, error))
    return NULL;
  return end_payload (b);
}

/* ---- failed attempt ---------------------------------------------------- */

char *
tt_pod_build_failure (const TtFailureInput *in,
                      GError              **error)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autofree char *note = NULL;
  char date[16] = "";

  g_return_val_if_fail (in != NULL, NULL);

  if (!check_item (in->item, 0, TRUE, error))
    return NULL;
  if ((guint) in->reason >= TT_FAIL_REASON_N)
    {
      g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_INVALID,
                           _("Choose why the item could not be delivered."));
      return NULL;
    }
  if ((guint) in->action >= TT_FAIL_ACTION_N)
    {
      g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_INVALID,
                           _("Choose what was done: notice left, retry or return to the office."));
      return NULL;
    }
  if (!is_blank (in->note))
    {
      note = clean_text (in->note, MAX_TEXT_CHARS);
      if (note == NULL)
        {
          g_set_error (error, TT_POD_ERROR, TT_POD_ERROR_INVALID,
                       _("The note must be plain text of at most %u characters."), MAX_TEXT_CHARS);
          return NULL;
        }
    }
  if (in->reason == TT_FAIL_REASON_OTHER && note == NULL)
    {
      g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_INVALID,
                           _("Write a short note saying what happened."));
      return NULL;
    }
  if (in->action == TT_FAIL_ACTION_RETRY)
    {
      g_autoptr(GDateTime) now = g_date_time_new_now_local ();
      GDate today;
      int days;

      if (in->retry_date == NULL || !g_date_valid (in->retry_date))
        {
          g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_INVALID,
                               _("Choose the date of the next attempt."));
          return NULL;
        }
      g_date_clear (&today, 1);
      g_date_set_dmy (&today, g_date_time_get_day_of_month (now),
                      g_date_time_get_month (now), g_date_time_get_year (now));
      days = g_date_days_between (&today, in->retry_date);
      if (days < 1 || days > MAX_RETRY_DAYS)
        {
          g_set_error (error, TT_POD_ERROR, TT_POD_ERROR_INVALID,
                       _("The next attempt must be between tomorrow and %d days from now."),
                       MAX_RETRY_DAYS);
          return NULL;
        }
      g_date_strftime (date, sizeof date, "%Y-%m-%d", in->retry_date);
    }

  b = begin_payload ("EMH", in->courier);
  json_builder_set_member_name (b, "reason");
  json_builder_add_string_value (b, tt_fail_reason_to_string (in->reason));
  tt_json_add_string (b, "note", note);
  json_builder_set_member_name (b, "action");
  json_builder_add_string_value (b, tt_fail_action_to_string (in->action));
  if (*date)
    {
      json_builder_set_member_name (b, "retry_date");
      json_builder_add_string_value (b, date);
    }
  json_builder_set_member_name (b, "attempt");
  json_builder_add_int_value (b, in->item->attempts + 1);
  if (!add_place (b, in->item, &in->place, error))
    return NULL;
  return end_payload (b);
}

/* ---- intake ------------------------------------------------------------ */

gboolean
tt_pod_document_is_optional (const char *document)
{
  g_autofree char *folded = NULL;

  if (document == NULL)
    return FALSE;
  /* Checklists mark documents needed only in some cases the way the
   * procedures print them: "Giấy ủy quyền (nếu có)". */
  folded = tt_text_fold (document);
  return g_str_has_suffix (folded, "(neu co)") || g_str_has_suffix (folded, "(if any)");
}

char *
tt_pod_build_intake (const TtIntakeInput *in,
                     GError             **error)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(GString) missing = NULL;
  g_autofree char *label = NULL;
  guint n_docs;
  TtAmountDue due;
  TtItem *item;

  g_return_val_if_fail (in != NULL, NULL);

  item = in->item;
  if (!check_item (item, TT_ITEM_KIND_PICKUP, FALSE, error))
    return NULL;

  n_docs = item->checklist ? g_strv_length (item->checklist) : 0;
  if (in->n_checked != n_docs || (n_docs > 0 && in->checked == NULL))
    {
      g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_INVALID,
                           _("The checklist does not match this item's procedure."));
      return NULL;
    }
  for (guint i = 0; i < n_docs; i++)
    if (!in->checked[i] && !tt_pod_document_is_optional (item->checklist[i]))
      {
        if (missing == NULL)
          missing = g_string_new (item->checklist[i]);
        else
          g_string_append_printf (missing, "; %s", item->checklist[i]);
      }
  if (missing != NULL)
    {
      g_set_error (error, TT_POD_ERROR, TT_POD_ERROR_INVALID,
                   _("The dossier is not complete. Missing: %s."), missing->str);
      return NULL;
    }
  if (in->pages < 1 || in->pages > MAX_PAGES)
    {
      g_set_error (error, TT_POD_ERROR, TT_POD_ERROR_INVALID,
                   _("Enter the number of pages taken in (1 to %u)."), MAX_PAGES);
      return NULL;
    }
  label = clean_text (in->label, MAX_LABEL_CHARS);
  if (label == NULL || strchr (label, '\n') != NULL)
    {
      g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_INVALID,
                           _("Scan the QR label stuck on the envelope first."));
      return NULL;
    }
  if (!check_money (item, in->collected_vnd, &due, error))
    return NULL;
  if (!check_signature (in->signature, _("citizen"), error))
    return NULL;

  b = begin_payload ("EMA", in->courier);
  json_builder_set_member_name (b, "checklist");
  json_builder_begin_array (b);
  for (guint i = 0; i < n_docs; i++)
    {
      json_builder_begin_object (b);
      json_builder_set_member_name (b, "document");
      json_builder_add_string_value (b, item->checklist[i]);
      json_builder_set_member_name (b, "present");
      json_builder_add_boolean_value (b, in->checked[i]);
      json_builder_end_object (b);
    }
  json_builder_end_array (b);
  json_builder_set_member_name (b, "pages");
  json_builder_add_int_value (b, in->pages);
  json_builder_set_member_name (b, "label");
  json_builder_add_string_value (b, label);
  add_money (b, &due, in->collected_vnd);
  add_signature (b, in->signature);
  if (!add_place (b, item, &in->place, error))
    return NULL;
  return end_payload (b);
}

/* ---- recording --------------------------------------------------------- */

/* The page may have been open a while: check against the item as the
 * store has it now, so a second tap never records a second delivery. */
static TtItem *
fresh_item (TtStore  *store,
            TtItem   *item,
            GError  **error)
{
  g_autoptr(GError) local = NULL;
  TtItem *fresh;

  if (item == NULL || !TT_IS_ITEM (item) || item->id == NULL)
    {
      g_set_error_literal (error, TT_POD_ERROR, TT_POD_ERROR_ITEM, _("No item is open."));
      return NULL;
    }
  fresh = tt_store_get_item (store, item->id, &local);
  if (fresh == NULL)
    {
      g_set_error (error, TT_POD_ERROR, TT_POD_ERROR_ITEM,
                   _("%s is no longer on the route: %s"), item->id, local->message);
      return NULL;
    }
  return fresh;
}

static TtEvent *
append (TtStore      *store,
        const char   *type,
        TtItem       *item,
        const char   *payload,
        TtItemStatus  status,
        gboolean      attempt,
        GError      **error)
{
  if (payload == NULL)
    return NULL;
  return tt_store_append_event_full (store, type, item->id, payload, status, attempt, error);
}

/* What every flow does before building its payload: read the item again
 * (its status may have changed since the page opened) and fill in the
 * device's courier code when the page gave none. */
static TtItem *
prepare (TtStore     *store,
         TtItem      *given,
         const char **courier,
         char       **courier_owned,
         GError     **error)
{
  TtItem *item = fresh_item (store, given, error);

  if (item != NULL && *courier == NULL)
    *courier = *courier_owned = tt_store_get_meta (store, "courier");
  return item;
}

TtEvent *
tt_pod_record_delivery (TtStore               *store,
                        const TtDeliveryInput *input,
                        GError               **error)
{
  g_autoptr(TtItem) item = NULL;
  g_autofree char *courier = NULL;
  g_autofree char *payload = NULL;
  TtDeliveryInput in;

  g_return_val_if_fail (TT_IS_STORE (store), NULL);
  g_return_val_if_fail (input != NULL, NULL);

  in = *input;
  if (!(item = prepare (store, input->item, &in.courier, &courier, error)))
    return NULL;
  in.item = item;
  payload = tt_pod_build_delivery (&in, error);
  return append (store, TT_EVENT_DELIVERED, item, payload, TT_ITEM_STATUS_DELIVERED, FALSE, error);
}

TtEvent *
tt_pod_record_failure (TtStore              *store,
                       const TtFailureInput *input,
                       GError              **error)
{
  g_autoptr(TtItem) item = NULL;
  g_autofree char *courier = NULL;
  g_autofree char *payload = NULL;
  TtFailureInput in;

  g_return_val_if_fail (TT_IS_STORE (store), NULL);
  g_return_val_if_fail (input != NULL, NULL);

  in = *input;
  if (!(item = prepare (store, input->item, &in.courier, &courier, error)))
    return NULL;
  in.item = item;
  payload = tt_pod_build_failure (&in, error);
  return append (store, TT_EVENT_FAILED, item, payload, TT_ITEM_STATUS_FAILED, TRUE, error);
}

TtEvent *
tt_pod_record_intake (TtStore             *store,
                      const TtIntakeInput *input,
                      GError             **error)
{
  g_autoptr(TtItem) item = NULL;
  g_autofree char *courier = NULL;
  g_autofree char *payload = NULL;
  TtIntakeInput in;

  g_return_val_if_fail (TT_IS_STORE (store), NULL);
  g_return_val_if_fail (input != NULL, NULL);

  in = *input;
  if (!(item = prepare (store, input->item, &in.courier, &courier, error)))
    return NULL;
  in.item = item;
  payload = tt_pod_build_intake (&in, error);
  return append (store, TT_EVENT_INTAKE, item, payload, TT_ITEM_STATUS_COLLECTED, FALSE, error);
}

/* ---- summary ----------------------------------------------------------- */

static void
add_cash (TtPodSummary *out,
          const char   *payload)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root, *money;
  gint64 collected, fee;

  if (!json_parser_load_from_data (parser, payload, -1, NULL)
      || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    return;
  root = json_node_get_object (json_parser_get_root (parser));
  if (!json_object_has_member (root, "money")
      || !JSON_NODE_HOLDS_OBJECT (json_object_get_member (root, "money")))
    return;
  money = json_object_get_object_member (root, "money");
  collected = json_object_get_int_member_with_default (money, "collected_vnd", 0);
  fee = json_object_get_int_member_with_default (money, "fee_vnd", 0);
  /* The fee is owed to the agency first; the rest is postage. */
  fee = CLAMP (fee, 0, MAX (collected, 0));
  out->fees_vnd += fee;
  out->postage_vnd += MAX (collected, 0) - fee;
}

gboolean
tt_pod_summarize (TtStore      *store,
                  const char   *since_time,
                  TtPodSummary *out,
                  GError      **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) events = NULL;

  g_return_val_if_fail (TT_IS_STORE (store), FALSE);
  g_return_val_if_fail (out != NULL, FALSE);

  memset (out, 0, sizeof *out);
  if (!(items = tt_store_list_items (store, error)))
    return FALSE;
  if (!(events = tt_store_list_events (store, -1, 0, error)))
    return FALSE;

  for (guint i = 0; i < items->len; i++)
    {
      TtItem *item = g_ptr_array_index (items, i);
      switch (item->status)
        {
        case TT_ITEM_STATUS_DELIVERED:
          out->delivered++;
          break;
        case TT_ITEM_STATUS_FAILED:
          out->failed++;
          break;
        case TT_ITEM_STATUS_COLLECTED:
          out->picked_up++;
          break;
        case TT_ITEM_STATUS_PENDING:
        case TT_ITEM_STATUS_OUT:
        default:
          out->to_do++;
          break;
        }
    }

  for (guint i = 0; i < events->len; i++)
    {
      TtEvent *e = g_ptr_array_index (events, i);

      if (e->state == TT_EVENT_STATE_PENDING)
        out->unsynced++;
      else if (e->state == TT_EVENT_STATE_QUARANTINED)
        out->quarantined++;
      /* ISO 8601 UTC with a fixed layout compares as text. */
      if (since_time != NULL && g_strcmp0 (e->time, since_time) < 0)
        continue;
      if (g_strcmp0 (e->type, TT_EVENT_FAILED) == 0)
        out->attempts++;
      else if (g_strcmp0 (e->type, TT_EVENT_DELIVERED) == 0
               || g_strcmp0 (e->type, TT_EVENT_INTAKE) == 0)
        add_cash (out, e->payload);
    }
  return TRUE;
}

char *
tt_pod_verification_code (const TtEvent *event)
{
  g_return_val_if_fail (event != NULL, NULL);
  g_return_val_if_fail (event->hash != NULL && strlen (event->hash) >= 12, NULL);

  {
    g_autofree char *code = g_strdup_printf ("%.4s-%.4s-%.4s", event->hash, event->hash + 4,
                                             event->hash + 8);
    return g_ascii_strup (code, -1);
  }
}
