/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "tt-item.h"
#include "tt-store.h"

G_BEGIN_DECLS

#define TT_TYPE_ROUTE_MODEL (tt_route_model_get_type ())
G_DECLARE_FINAL_TYPE (TtRouteModel, tt_route_model, TT, ROUTE_MODEL, GObject)

/* Which part of the route an item belongs to, for filters and counts. */
typedef enum
{
  TT_ROUTE_FILTER_ALL,
  TT_ROUTE_FILTER_TODO,        /* pending or out for delivery */
  TT_ROUTE_FILTER_DONE,        /* delivered, or dossier collected */
  TT_ROUTE_FILTER_FAILED,      /* last attempt failed */
  TT_ROUTE_FILTER_PICKUPS,     /* pickup appointments, whatever their state */
} TtRouteFilter;

TtRouteModel *tt_route_model_new          (TtStore       *store);
TtStore      *tt_route_model_get_store    (TtRouteModel  *self);
gboolean      tt_route_model_reload       (TtRouteModel  *self,
                                           GError       **error);
TtItem       *tt_route_model_lookup       (TtRouteModel  *self,
                                           const char    *item_id,
                                           guint         *position);
guint         tt_route_model_count        (TtRouteModel  *self,
                                           TtRouteFilter  filter);
gboolean      tt_route_filter_accepts     (TtRouteFilter  filter,
                                           TtItem        *item);

G_END_DECLS
