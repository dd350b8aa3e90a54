/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  TT_ITEM_KIND_DELIVERY,
  TT_ITEM_KIND_PICKUP,
} TtItemKind;

typedef enum
{
  TT_ITEM_STATUS_PENDING,          /* on the route, not yet handled */
  TT_ITEM_STATUS_OUT,              /* scanned into the bag (load check) */
  TT_ITEM_STATUS_DELIVERED,
  TT_ITEM_STATUS_FAILED,           /* last attempt failed */
  TT_ITEM_STATUS_COLLECTED,        /* pickup: dossier taken in */
} TtItemStatus;

#define TT_TYPE_ITEM (tt_item_get_type ())
G_DECLARE_FINAL_TYPE (TtItem, tt_item, TT, ITEM, GObject)

/* One item of the day's route.  Plain data: every field is set once when
 * the item is read from the store or a manifest; only status and attempts
 * change afterwards (through the store).
 *
 * Text that repeats across a route (procedure, agency, commune, district,
 * province, beneficiary) is shared between items: set those fields with
 * tt_item_share_text(), never g_strdup().  On a 10,000-item route it
 * saves megabytes. */
struct _TtItem
{
  GObject       parent_instance;

  char         *id;              /* S10 item id, e.g. RR123456785VN */
  TtItemKind    kind;
  int           seq;             /* route order, from 1 */
  char         *dossier_code;    /* may be NULL */
  char         *procedure;       /* shared */
  char         *agency;          /* shared, may be NULL */
  char         *recipient_name;
  char         *phone;           /* may be NULL */
  char         *street;          /* house number and street */
  char         *commune;         /* shared: commune / ward / special zone */
  char         *district;        /* shared: legacy, may be NULL */
  char         *province;        /* shared */
  gboolean      has_location;
  double        lat;
  double        lon;
  char         *id_hash;         /* addressee-ID hash, may be NULL */
  gint64        fee_vnd;         /* lệ phí, forwarded to the agency */
  gint64        postage_vnd;
  char         *beneficiary;     /* shared: category code (see tt-fees.h), may be NULL */
  gboolean      proxy_allowed;
  char        **checklist;       /* pickups: documents to check, may be NULL */
  TtItemStatus  status;
  int           attempts;
  char         *search_key;      /* folded text for search */
};

TtItem       *tt_item_new                  (void);
/* A shared copy of @text for the shared fields (NULL stays NULL). */
char         *tt_item_share_text           (const char   *text);
const char   *tt_item_kind_to_string       (TtItemKind    kind);
gboolean      tt_item_kind_from_string     (const char   *str,
                                            TtItemKind   *kind);
const char   *tt_item_status_to_string     (TtItemStatus  status);
gboolean      tt_item_status_from_string   (const char   *str,
                                            TtItemStatus *status);

/* "12 Phố Huế, Phường Hai Bà Trưng, Hà Nội" */
char         *tt_item_dup_address          (TtItem       *self);
/* Fee plus postage after the beneficiary's exemption. */
gint64        tt_item_get_amount_due       (TtItem       *self);
/* Rebuilds search_key from the searchable fields. */
void          tt_item_update_search_key    (TtItem       *self);
/* TRUE when every word of @folded_query is in the item's search key. */
gboolean      tt_item_matches              (TtItem       *self,
                                            const char   *folded_query);
/* Tells bound widgets that status/attempts changed. */
void          tt_item_set_status           (TtItem       *self,
                                            TtItemStatus  status,
                                            int           attempts);

G_END_DECLS
