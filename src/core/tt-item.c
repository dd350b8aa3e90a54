/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-item"
#define _GNU_SOURCE

#include "config.h"

#include <string.h>

#include "tt-fees.h"
#include "tt-item.h"
#include "tt-text.h"

G_DEFINE_FINAL_TYPE (TtItem, tt_item, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_ID,
  PROP_KIND,
  PROP_IS_PICKUP,
  PROP_SEQ,
  PROP_PROCEDURE,
  PROP_RECIPIENT_NAME,
  PROP_ADDRESS,
  PROP_AMOUNT_DUE,
  PROP_STATUS,
  PROP_ATTEMPTS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const kind_names[] = { "delivery", "pickup" };
static const char *const status_names[] = {
  "pending", "out-for-delivery", "delivered", "failed", "collected"
};

const char *
tt_item_kind_to_string (TtItemKind kind)
{
  g_return_val_if_fail (kind < G_N_ELEMENTS (kind_names), NULL);
  return kind_names[kind];
}

gboolean
tt_item_kind_from_string (const char *str,
                          TtItemKind *kind)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (kind_names); i++)
    if (g_str_equal (str, kind_names[i]))
      {
        *kind = (TtItemKind) i;
        return TRUE;
      }
  return FALSE;
}

const char *
tt_item_status_to_string (TtItemStatus status)
{
  g_return_val_if_fail (status < G_N_ELEMENTS (status_names), NULL);
  return status_names[status];
}

gboolean
tt_item_status_from_string (const char   *str,
                            TtItemStatus *status)
{
  for (guint i = 0; str != NULL && i < G_N_ELEMENTS (status_names); i++)
    if (g_str_equal (str, status_names[i]))
      {
        *status = (TtItemStatus) i;
        return TRUE;
      }
  return FALSE;
}

char *
tt_item_dup_address (TtItem *self)
{
  GString *s;

  g_return_val_if_fail (TT_IS_ITEM (self), NULL);

  s = g_string_new (self->street);
  if (self->commune && *self->commune)
    g_string_append_printf (s, ", %s", self->commune);
  if (self->district && *self->district)
    g_string_append_printf (s, ", %s", self->district);
  if (self->province && *self->province)
    g_string_append_printf (s, ", %s", self->province);
  return g_string_free (s, FALSE);
}

gint64
tt_item_get_amount_due (TtItem *self)
{
  TtAmountDue due;

  g_return_val_if_fail (TT_IS_ITEM (self), 0);

  tt_fees_compute (self->fee_vnd, self->postage_vnd, self->beneficiary, &due);
  return due.total_vnd;
}

void
tt_item_update_search_key (TtItem *self)
{
  g_autofree char *joined = NULL;

  g_return_if_fail (TT_IS_ITEM (self));

  joined = g_strjoin (" ",
                      self->id ? self->id : "",
                      self->recipient_name ? self->recipient_name : "",
                      self->street ? self->street : "",
                      self->commune ? self->commune : "",
                      self->district ? self->district : "",
                      self->province ? self->province : "",
                      self->dossier_code ? self->dossier_code : "",
                      self->phone ? self->phone : "",
                      NULL);
  g_free (self->search_key);
  self->search_key = tt_text_fold (joined);
}

gboolean
tt_item_matches (TtItem     *self,
                 const char *folded_query)
{
  const char *p = folded_query;

  g_return_val_if_fail (TT_IS_ITEM (self), FALSE);

  if (folded_query == NULL)
    return TRUE;
  if (self->search_key == NULL)
    tt_item_update_search_key (self);

  /* Every word of the query must appear somewhere in the key. */
  while (*p)
    {
      const char *end;
      gboolean found;

      while (*p == ' ')
        p++;
      if (*p == '\0')
        break;
      end = strchr (p, ' ');
      if (end == NULL)
        end = p + strlen (p);
      found = memmem (self->search_key, strlen (self->search_key), p, end - p) != NULL;
      if (!found)
        return FALSE;
      p = end;
    }
  return TRUE;
}

void
tt_item_set_status (TtItem       *self,
                    TtItemStatus  status,
                    int           attempts)
{
  g_return_if_fail (TT_IS_ITEM (self));

  if (self->status != status)
    {
      self->status = status;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATUS]);
    }
  if (self->attempts != attempts)
    {
      self->attempts = attempts;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPTS]);
    }
}

static void
tt_item_get_property (GObject    *object,
                      guint       prop_id,
                      GValue     *value,
                      GParamSpec *pspec)
{
  TtItem *self = TT_ITEM (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_string (value, self->id);
      break;
    case PROP_KIND:
      g_value_set_string (value, tt_item_kind_to_string (self->kind));
      break;
    case PROP_IS_PICKUP:
      g_value_set_boolean (value, self->kind == TT_ITEM_KIND_PICKUP);
      break;
    case PROP_SEQ:
      g_value_set_int (value, self->seq);
      break;
    case PROP_PROCEDURE:
      g_value_set_string (value, self->procedure);
      break;
    case PROP_RECIPIENT_NAME:
      g_value_set_string (value, self->recipient_name);
      break;
    case PROP_ADDRESS:
      g_value_take_string (value, tt_item_dup_address (self));
      break;
    case PROP_AMOUNT_DUE:
      g_value_set_int64 (value, tt_item_get_amount_due (self));
      break;
    case PROP_STATUS:
      g_value_set_string (value, tt_item_status_to_string (self->status));
      break;
    case PROP_ATTEMPTS:
      g_value_set_int (value, self->attempts);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

char *
tt_item_share_text (const char *text)
{
  return text ? g_ref_string_new_intern (text) : NULL;
}

static void
release_shared (char *text)
{
  if (text != NULL)
    g_ref_string_release (text);
}

static void
tt_item_finalize (GObject *object)
{
  TtItem *self = TT_ITEM (object);

  g_free (self->id);
  g_free (self->dossier_code);
  release_shared (self->procedure);
  release_shared (self->agency);
  g_free (self->recipient_name);
  g_free (self->phone);
  g_free (self->street);
  release_shared (self->commune);
  release_shared (self->district);
  release_shared (self->province);
  g_free (self->id_hash);
  release_shared (self->beneficiary);
  g_strfreev (self->checklist);
  g_free (self->search_key);

  G_OBJECT_CLASS (tt_item_parent_class)->finalize (object);
}

static void
tt_item_class_init (TtItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = tt_item_finalize;
  object_class->get_property = tt_item_get_property;

  properties[PROP_ID] = g_param_spec_string ("id", NULL, NULL, NULL, ro);
  properties[PROP_KIND] = g_param_spec_string ("kind", NULL, NULL, NULL, ro);
  properties[PROP_IS_PICKUP] = g_param_spec_boolean ("is-pickup", NULL, NULL, FALSE, ro);
  properties[PROP_SEQ] = g_param_spec_int ("seq", NULL, NULL, 0, G_MAXINT, 0, ro);
  properties[PROP_PROCEDURE] = g_param_spec_string ("procedure", NULL, NULL, NULL, ro);
  properties[PROP_RECIPIENT_NAME] = g_param_spec_string ("recipient-name", NULL, NULL, NULL, ro);
  properties[PROP_ADDRESS] = g_param_spec_string ("address", NULL, NULL, NULL, ro);
  properties[PROP_AMOUNT_DUE] = g_param_spec_int64 ("amount-due", NULL, NULL,
                                                    0, G_MAXINT64, 0, ro);
  properties[PROP_STATUS] = g_param_spec_string ("status", NULL, NULL, NULL,
                                                 ro | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_ATTEMPTS] = g_param_spec_int ("attempts", NULL, NULL, 0, G_MAXINT, 0,
                                                ro | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
tt_item_init (TtItem *self)
{
}

TtItem *
tt_item_new (void)
{
  return g_object_new (TT_TYPE_ITEM, NULL);
}
