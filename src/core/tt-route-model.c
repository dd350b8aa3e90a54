/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-route-model"

#include "config.h"

#include "tt-route-model.h"

/* The day's route as a GListModel of TtItem, kept in step with the store:
 * a new manifest replaces every row, a status change updates one item in
 * place so bound rows redraw without the list being rebuilt. */
struct _TtRouteModel
{
  GObject     parent_instance;

  TtStore    *store;
  GPtrArray  *items;        /* TtItem, route order */
  GHashTable *by_id;        /* item id → position (GUINT_TO_POINTER) */
  guint       counts[TT_ROUTE_FILTER_PICKUPS + 1];
  char       *last_error;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TtRouteModel, tt_route_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

enum {
  PROP_0,
  PROP_STORE,
  PROP_N_ITEMS,
  PROP_N_TODO,
  PROP_N_DONE,
  PROP_N_FAILED,
  PROP_N_PICKUPS,
  PROP_LAST_ERROR,
  N_PROPS
};

enum {
  ITEM_UPDATED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static const int count_props[] = {
  [TT_ROUTE_FILTER_ALL] = PROP_N_ITEMS,
  [TT_ROUTE_FILTER_TODO] = PROP_N_TODO,
  [TT_ROUTE_FILTER_DONE] = PROP_N_DONE,
  [TT_ROUTE_FILTER_FAILED] = PROP_N_FAILED,
  [TT_ROUTE_FILTER_PICKUPS] = PROP_N_PICKUPS,
};

static GType
tt_route_model_get_item_type (GListModel *model)
{
  return TT_TYPE_ITEM;
}

static guint
tt_route_model_get_n_items (GListModel *model)
{
  return TT_ROUTE_MODEL (model)->items->len;
}

static gpointer
tt_route_model_get_item (GListModel *model,
                         guint       position)
{
  TtRouteModel *self = TT_ROUTE_MODEL (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = tt_route_model_get_item_type;
  iface->get_n_items = tt_route_model_get_n_items;
  iface->get_item = tt_route_model_get_item;
}

static void
recount (TtRouteModel *self)
{
  guint counts[G_N_ELEMENTS (self->counts)] = { 0 };

  for (guint i = 0; i < self->items->len; i++)
    for (guint f = 0; f < G_N_ELEMENTS (counts); f++)
      if (tt_route_filter_accepts (f, g_ptr_array_index (self->items, i)))
        counts[f]++;

  for (guint f = 0; f < G_N_ELEMENTS (counts); f++)
    if (counts[f] != self->counts[f])
      {
        self->counts[f] = counts[f];
        g_object_notify_by_pspec (G_OBJECT (self), properties[count_props[f]]);
      }
}

static void
set_last_error (TtRouteModel *self,
                const char   *message)
{
  if (g_strcmp0 (self->last_error, message) == 0)
    return;
  g_free (self->last_error);
  self->last_error = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

static void
on_route_changed (TtStore      *store,
                  TtRouteModel *self)
{
  g_autoptr(GError) error = NULL;

  /* The old rows stay when the new ones cannot be read: a list the
   * courier knows beats an empty one. */
  if (!tt_route_model_reload (self, &error))
    set_last_error (self, error->message);
}

static void
on_item_changed (TtStore      *store,
                 const char   *item_id,
                 int           status,
                 int           attempts,
                 TtRouteModel *self)
{
  TtItem *item = tt_route_model_lookup (self, item_id, NULL);

  if (item == NULL)
    return;
  tt_item_set_status (item, (TtItemStatus) status, attempts);
  recount (self);
  g_signal_emit (self, signals[ITEM_UPDATED], 0, item);
}

static void
tt_route_model_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  TtRouteModel *self = TT_ROUTE_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->counts[TT_ROUTE_FILTER_ALL]);
      break;
    case PROP_N_TODO:
      g_value_set_uint (value, self->counts[TT_ROUTE_FILTER_TODO]);
      break;
    case PROP_N_DONE:
      g_value_set_uint (value, self->counts[TT_ROUTE_FILTER_DONE]);
      break;
    case PROP_N_FAILED:
      g_value_set_uint (value, self->counts[TT_ROUTE_FILTER_FAILED]);
      break;
    case PROP_N_PICKUPS:
      g_value_set_uint (value, self->counts[TT_ROUTE_FILTER_PICKUPS]);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_route_model_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  TtRouteModel *self = TT_ROUTE_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
tt_route_model_constructed (GObject *object)
{
  TtRouteModel *self = TT_ROUTE_MODEL (object);
  g_autoptr(GError) error = NULL;

  G_OBJECT_CLASS (tt_route_model_parent_class)->constructed (object);

  g_return_if_fail (TT_IS_STORE (self->store));

  g_signal_connect_object (self->store, "route-changed",
                           G_CALLBACK (on_route_changed), self, 0);
  g_signal_connect_object (self->store, "item-changed",
                           G_CALLBACK (on_item_changed), self, 0);
  if (!tt_route_model_reload (self, &error))
    set_last_error (self, error->message);
}

static void
tt_route_model_dispose (GObject *object)
{
  TtRouteModel *self = TT_ROUTE_MODEL (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (tt_route_model_parent_class)->dispose (object);
}

static void
tt_route_model_finalize (GObject *object)
{
  TtRouteModel *self = TT_ROUTE_MODEL (object);

  g_clear_pointer (&self->items, g_ptr_array_unref);
  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_free (self->last_error);

  G_OBJECT_CLASS (tt_route_model_parent_class)->finalize (object);
}

static void
tt_route_model_class_init (TtRouteModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  const GParamFlags ro = G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS;

  object_class->get_property = tt_route_model_get_property;
  object_class->set_property = tt_route_model_set_property;
  object_class->constructed = tt_route_model_constructed;
  object_class->dispose = tt_route_model_dispose;
  object_class->finalize = tt_route_model_finalize;

  properties[PROP_STORE] =
    g_param_spec_object ("store", NULL, NULL, TT_TYPE_STORE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_TODO] = g_param_spec_uint ("n-todo", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_DONE] = g_param_spec_uint ("n-done", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_FAILED] = g_param_spec_uint ("n-failed", NULL, NULL, 0, G_MAXUINT, 0, ro);
  properties[PROP_N_PICKUPS] = g_param_spec_uint ("n-pickups", NULL, NULL, 0, G_MAXUINT, 0, ro);
  /* Why the last reload failed (the rows shown are then the older ones). */
  properties[PROP_LAST_ERROR] = g_param_spec_string ("last-error", NULL, NULL, NULL, ro);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* An item's status or attempt count changed in place. */
  signals[ITEM_UPDATED] = g_signal_new ("item-updated", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 1, TT_TYPE_ITEM);
}

static void
tt_route_model_init (TtRouteModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

TtRouteModel *
tt_route_model_new (TtStore *store)
{
  g_return_val_if_fail (TT_IS_STORE (store), NULL);

  return g_object_new (TT_TYPE_ROUTE_MODEL, "store", store, NULL);
}

TtStore *
tt_route_model_get_store (TtRouteModel *self)
{
  g_return_val_if_fail (TT_IS_ROUTE_MODEL (self), NULL);

  return self->store;
}

/**
 * tt_route_model_reload:
 * Reads the whole route from the store again.  On error the model keeps
 * the rows it had.
 */
gboolean
tt_route_model_reload (TtRouteModel  *self,
                       GError       **error)
{
  g_autoptr(GPtrArray) items = NULL;
  g_autoptr(GPtrArray) old = NULL;
  guint removed;

  g_return_val_if_fail (TT_IS_ROUTE_MODEL (self), FALSE);

  items = tt_store_list_items (self->store, error);
  if (items == NULL)
    return FALSE;

  old = g_steal_pointer (&self->items);
  removed = old->len;
  self->items = g_steal_pointer (&items);
  g_hash_table_remove_all (self->by_id);
  for (guint i = 0; i < self->items->len; i++)
    {
      TtItem *item = g_ptr_array_index (self->items, i);

      g_hash_table_insert (self->by_id, item->id, GUINT_TO_POINTER (i));
    }

  set_last_error (self, NULL);
  g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->items->len);
  recount (self);
  return TRUE;
}

/* The item with @item_id (borrowed), and its position, or NULL. */
TtItem *
tt_route_model_lookup (TtRouteModel *self,
                       const char   *item_id,
                       guint        *position)
{
  gpointer pos;

  g_return_val_if_fail (TT_IS_ROUTE_MODEL (self), NULL);

  if (item_id == NULL || !g_hash_table_lookup_extended (self->by_id, item_id, NULL, &pos))
    return NULL;
  if (position)
    *position = GPOINTER_TO_UINT (pos);
  return g_ptr_array_index (self->items, GPOINTER_TO_UINT (pos));
}

guint
tt_route_model_count (TtRouteModel  *self,
                      TtRouteFilter  filter)
{
  g_return_val_if_fail (TT_IS_ROUTE_MODEL (self), 0);
  g_return_val_if_fail (filter < G_N_ELEMENTS (self->counts), 0);

  return self->counts[filter];
}

gboolean
tt_route_filter_accepts (TtRouteFilter  filter,
                         TtItem        *item)
{
  switch (filter)
    {
    case TT_ROUTE_FILTER_ALL:
      return TRUE;
    case TT_ROUTE_FILTER_TODO:
      return item->status == TT_ITEM_STATUS_PENDING || item->status == TT_ITEM_STATUS_OUT;
    case TT_ROUTE_FILTER_DONE:
      return item->status == TT_ITEM_STATUS_DELIVERED || item->status == TT_ITEM_STATUS_COLLECTED;
    case TT_ROUTE_FILTER_FAILED:
      return item->status == TT_ITEM_STATUS_FAILED;
    case TT_ROUTE_FILTER_PICKUPS:
      return item->kind == TT_ITEM_KIND_PICKUP;
    default:
      g_return_val_if_reached (FALSE);
    }
}
