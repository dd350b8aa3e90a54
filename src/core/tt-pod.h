/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "tt-fees.h"
#include "tt-identity.h"
#include "tt-item.h"
#include "tt-signature.h"
#include "tt-store.h"

G_BEGIN_DECLS

/* Proof of delivery: each flow at the door (delivery, failed attempt,
 * intake) is checked whole, then written as one event together with the
 * item's new status.  Nothing is written when anything is wrong. */

#define TT_POD_ERROR (tt_pod_error_quark ())

typedef enum
{
  TT_POD_ERROR_ITEM,         /* wrong kind of item, already handled, no such item */
  TT_POD_ERROR_IDENTITY,     /* ID missing or malformed, mismatch without override */
  TT_POD_ERROR_PROXY,        /* proxy not allowed or details missing */
  TT_POD_ERROR_AMOUNT,       /* collected negative, short or absurd */
  TT_POD_ERROR_SIGNATURE,    /* see TtSignatureError for the detail */
  TT_POD_ERROR_NO_FIX,       /* no position and the courier did not confirm */
  TT_POD_ERROR_INVALID,      /* any other field */
} TtPodError;

/* Far above any fee or postage for one dossier: a typo, not a payment. */
#define TT_POD_MAX_COLLECTED_VND G_GINT64_CONSTANT (100000000)

typedef enum
{
  TT_FAIL_REASON_ABSENT,
  TT_FAIL_REASON_REFUSED,
  TT_FAIL_REASON_WRONG_ADDRESS,
  TT_FAIL_REASON_MOVED,
  TT_FAIL_REASON_DECEASED,
  TT_FAIL_REASON_NO_VALID_ID,
  TT_FAIL_REASON_CANNOT_PAY,
  TT_FAIL_REASON_NO_ACCESS,
  TT_FAIL_REASON_OTHER,
  TT_FAIL_REASON_N
} TtFailReason;

typedef enum
{
  TT_FAIL_ACTION_NOTICE_LEFT,
  TT_FAIL_ACTION_RETRY,
  TT_FAIL_ACTION_RETURN_TO_OFFICE,
  TT_FAIL_ACTION_N
} TtFailAction;

typedef enum
{
  TT_ID_METHOD_NONE,
  TT_ID_METHOD_QR,           /* CCCD QR scanned */
  TT_ID_METHOD_TYPED,        /* 12 digits typed from the card */
} TtIdMethod;

/* Where the courier stood: the fix JSON of the location service and what
 * to do without one. */
typedef struct
{
  const char *fix_json;          /* {"lat","lon","accuracy_m","time",…} or NULL */
  gboolean    confirm_no_fix;    /* the courier chose to record without a position */
} TtPodPlace;

typedef struct
{
  TtItem       *item;
  const char   *courier;         /* courier code, may be NULL */
  /* Identity of the person in front of the courier. */
  TtIdMethod    id_method;
  const char   *id_number;       /* 12 digits; only the last four are kept */
  const char   *override_reason; /* required when the ID did not match or
                                  * could not be checked */
  /* Proxy (authorised person), when the item allows one. */
  gboolean      proxy;
  const char   *proxy_name;
  const char   *proxy_relationship;
  const char   *proxy_id_number; /* the proxy's own 12-digit number */
  TtIdMethod    proxy_id_method;
  /* Money. */
  gint64        collected_vnd;
  TtSignature  *signature;
  TtPodPlace    place;
} TtDeliveryInput;

typedef struct
{
  TtItem       *item;
  const char   *courier;
  TtFailReason  reason;
  const char   *note;            /* required for TT_FAIL_REASON_OTHER */
  TtFailAction  action;
  GDate        *retry_date;      /* required for TT_FAIL_ACTION_RETRY */
  TtPodPlace    place;
} TtFailureInput;

typedef struct
{
  TtItem       *item;
  const char   *courier;
  const gboolean *checked;       /* one per item->checklist entry; all
                                  * but optional documents must be there */
  guint         n_checked;
  guint         pages;
  const char   *label;           /* the pre-printed QR label's value */
  gint64        collected_vnd;
  TtSignature  *signature;
  TtPodPlace    place;
} TtIntakeInput;

typedef struct
{
  guint  delivered;
  guint  failed;                 /* items whose last attempt failed */
  guint  picked_up;
  guint  to_do;                  /* pending or out for delivery */
  guint  attempts;               /* failed-attempt events today */
  gint64 fees_vnd;               /* collected, forwarded to agencies */
  gint64 postage_vnd;            /* collected, the post's own */
  guint  unsynced;               /* events not yet acknowledged */
  guint  quarantined;
} TtPodSummary;

GQuark        tt_pod_error_quark           (void);

const char   *tt_fail_reason_to_string     (TtFailReason  reason);
gboolean      tt_fail_reason_from_string   (const char   *str,
                                            TtFailReason *reason);
/* Translated label for the courier ("Addressee absent"). */
const char   *tt_fail_reason_get_label     (TtFailReason  reason);
const char   *tt_fail_action_to_string     (TtFailAction  action);
gboolean      tt_fail_action_from_string   (const char   *str,
                                            TtFailAction *action);
const char   *tt_fail_action_get_label     (TtFailAction  action);

/* Reads an amount of đồng as typed: "130000", "130.000", "130 000 ₫".
 * Refuses negative, fractional and non-numeric input with a message. */
gboolean      tt_pod_parse_amount          (const char   *text,
                                            gint64       *vnd,
                                            GError      **error);
/* TRUE when @text is exactly 12 ASCII digits. */
gboolean      tt_pod_id_number_is_valid    (const char   *text);
/* Reads a fix JSON; FALSE (and no error) when it holds no position. */
gboolean      tt_pod_parse_fix             (const char   *fix_json,
                                            double       *lat,
                                            double       *lon,
                                            double       *accuracy_m,
                                            GError      **error);
/* Distance from the item's known location, or -1 when the item has none or
 * there is no fix. */
double        tt_pod_distance_from_item    (TtItem       *item,
                                            const char   *fix_json);

/* TRUE for a checklist document needed only in some cases, written as
 * procedures print it: "Giấy ủy quyền (nếu có)". */
gboolean      tt_pod_document_is_optional  (const char   *document);

/* Payload builders: validate everything, return the JSON object text. */
char         *tt_pod_build_delivery        (const TtDeliveryInput *input,
                                            GError               **error);
char         *tt_pod_build_failure         (const TtFailureInput  *input,
                                            GError               **error);
char         *tt_pod_build_intake          (const TtIntakeInput   *input,
                                            GError               **error);

/* Build, then append with the item's new status in one transaction. */
TtEvent      *tt_pod_record_delivery       (TtStore              *store,
                                            const TtDeliveryInput *input,
                                            GError               **error);
TtEvent      *tt_pod_record_failure        (TtStore              *store,
                                            const TtFailureInput  *input,
                                            GError               **error);
TtEvent      *tt_pod_record_intake         (TtStore              *store,
                                            const TtIntakeInput   *input,
                                            GError               **error);

/* End of day, computed from the store.  @since_time: ISO 8601 UTC lower
 * bound on event times for the attempt and cash figures (NULL: all). */
gboolean      tt_pod_summarize             (TtStore              *store,
                                            const char           *since_time,
                                            TtPodSummary         *out,
                                            GError              **error);

/* Receipt verification code of an intake event: "7F3A-91C2-0B4D", taken
 * from the event's chained hash so the office can check a receipt against
 * the synced record. */
char         *tt_pod_verification_code     (const TtEvent        *event);

G_END_DECLS
