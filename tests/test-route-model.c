/* SPDX-License-Identifier: GPL-3.0-or-later */
/* TtRouteModel: the route as a GListModel that follows the store. */
#include "config.h"

#include "tt-route-model.h"
#include "tt-test-util.h"

typedef struct
{
  guint position;
  guint removed;
  guint added;
  guint calls;
} Changes;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Changes    *c)
{
  c->position = position;
  c->removed = removed;
  c->added = added;
  c->calls++;
}

static void
on_count (guint *count)
{
  (*count)++;
}

static TtStore *
new_store_with_route (guint n_items)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *path = g_build_filename (dir, "tantay.db", NULL);
  g_autofree char *json = tt_test_make_manifest (n_items, 7, "R-1");
  g_autoptr(GError) error = NULL;
  TtStore *store = tt_store_open (path, &error);

  g_assert_no_error (error);
  tt_store_load_manifest (store, json, -1, &error);
  g_assert_no_error (error);
  return store;
}

static void
test_lists_route_in_order (void)
{
  g_autoptr(TtStore) store = new_store_with_route (30);
  g_autoptr(TtRouteModel) model = tt_route_model_new (store);
  GListModel *list = G_LIST_MODEL (model);
  guint pickups = 0;

  g_assert_true (g_list_model_get_item_type (list) == TT_TYPE_ITEM);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 30);
  g_assert_null (g_list_model_get_item (list, 30));
  for (guint i = 0; i < 30; i++)
    {
      g_autoptr(TtItem) item = g_list_model_get_item (list, i);
      guint position = G_MAXUINT;

      g_assert_cmpint (item->seq, ==, (int) i + 1);
      g_assert_true (tt_route_model_lookup (model, item->id, &position) == item);
      g_assert_cmpuint (position, ==, i);
      pickups += item->kind == TT_ITEM_KIND_PICKUP;
    }
  g_assert_null (tt_route_model_lookup (model, "RR123456785VN", NULL));
  g_assert_cmpuint (tt_route_model_count (model, TT_ROUTE_FILTER_ALL), ==, 30);
  g_assert_cmpuint (tt_route_model_count (model, TT_ROUTE_FILTER_TODO), ==, 30);
  g_assert_cmpuint (tt_route_model_count (model, TT_ROUTE_FILTER_DONE), ==, 0);
  g_assert_cmpuint (tt_route_model_count (model, TT_ROUTE_FILTER_PICKUPS), ==, pickups);
  g_assert_cmpuint (pickups, >, 0);
}

/* A status change updates the very object rows are bound to, in place:
 * no items-changed, so the list does not rebuild under the courier's
 * finger. */
static void
test_status_updates_in_place (void)
{
  g_autoptr(TtStore) store = new_store_with_route (10);
  g_autoptr(TtRouteModel) model = tt_route_model_new (store);
  g_autoptr(TtItem) item = g_list_model_get_item (G_LIST_MODEL (model), 3);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtEvent) event = NULL;
  Changes changes = { 0 };
  guint status_notes = 0, attempt_notes = 0, updated = 0, done_notes = 0;

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_signal_connect_swapped (item, "notify::status", G_CALLBACK (on_count), &status_notes);
  g_signal_connect_swapped (item, "notify::attempts", G_CALLBACK (on_count), &attempt_notes);
  g_signal_connect_swapped (model, "item-updated", G_CALLBACK (on_count), &updated);
  g_signal_connect_swapped (model, "notify::n-done", G_CALLBACK (on_count), &done_notes);

  g_assert_true (tt_store_set_item_status (store, item->id, TT_ITEM_STATUS_DELIVERED, &error));
  g_assert_no_error (error);
  g_assert_cmpint (item->status, ==, TT_ITEM_STATUS_DELIVERED);
  g_assert_cmpuint (status_notes, ==, 1);
  g_assert_cmpuint (updated, ==, 1);
  g_assert_cmpuint (done_notes, ==, 1);
  g_assert_cmpuint (tt_route_model_count (model, TT_ROUTE_FILTER_DONE), ==, 1);
  g_assert_cmpuint (tt_route_model_count (model, TT_ROUTE_FILTER_TODO), ==, 9);

  /* A failed attempt recorded with its event bumps the attempt count. */
  event = tt_store_append_event_full (store, TT_EVENT_FAILED, item->id, "{\"reason\":\"absent\"}",
                                      TT_ITEM_STATUS_FAILED, TRUE, &error);
  g_assert_no_error (error);
  g_assert_nonnull (event);
  g_assert_cmpint (item->status, ==, TT_ITEM_STATUS_FAILED);
  g_assert_cmpint (item->attempts, ==, 1);
  g_assert_cmpuint (attempt_notes, ==, 1);
  g_assert_cmpuint (tt_route_model_count (model, TT_ROUTE_FILTER_FAILED), ==, 1);
  g_assert_cmpuint (tt_route_model_count (model, TT_ROUTE_FILTER_DONE), ==, 0);

  g_assert_cmpuint (changes.calls, ==, 0);
}

static void
test_new_route_replaces_rows (void)
{
  g_autoptr(TtStore) store = new_store_with_route (12);
  g_autoptr(TtRouteModel) model = tt_route_model_new (store);
  g_autofree char *json = tt_test_make_manifest (5, 99, "R-2");
  g_autoptr(GError) error = NULL;
  g_autoptr(TtItem) first = NULL;
  Changes changes = { 0 };

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_assert_true (tt_store_load_manifest (store, json, -1, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (changes.calls, ==, 1);
  g_assert_cmpuint (changes.position, ==, 0);
  g_assert_cmpuint (changes.removed, ==, 12);
  g_assert_cmpuint (changes.added, ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 5);
  g_assert_cmpuint (tt_route_model_count (model, TT_ROUTE_FILTER_ALL), ==, 5);
  first = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpint (first->seq, ==, 1);
}

/* A manifest the store refuses leaves the rows as they were. */
static void
test_bad_route_keeps_rows (void)
{
  g_autoptr(TtStore) store = new_store_with_route (8);
  g_autoptr(TtRouteModel) model = tt_route_model_new (store);
  g_autoptr(TtItem) before = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_autoptr(TtItem) after = NULL;
  g_autoptr(GError) error = NULL;
  Changes changes = { 0 };

  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &changes);
  g_assert_false (tt_store_load_manifest (store, "{\"version\": 1, \"route\": {", -1, &error));
  g_assert_nonnull (error);
  g_assert_cmpuint (changes.calls, ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 8);
  after = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_true (before == after);
}

/* A change about an item that is not on the route is ignored. */
static void
test_unknown_item_ignored (void)
{
  g_autoptr(TtStore) store = new_store_with_route (3);
  g_autoptr(TtRouteModel) model = tt_route_model_new (store);
  guint updated = 0;

  g_signal_connect_swapped (model, "item-updated", G_CALLBACK (on_count), &updated);
  g_signal_emit_by_name (store, "item-changed", "RR123456785VN", (int) TT_ITEM_STATUS_DELIVERED, 0);
  g_assert_cmpuint (updated, ==, 0);
  g_assert_cmpuint (tt_route_model_count (model, TT_ROUTE_FILTER_DONE), ==, 0);
}

static void
test_filters (void)
{
  g_autoptr(TtItem) item = tt_item_new ();
  static const struct { TtItemKind kind; TtItemStatus status; gboolean todo, done, failed, pickup; } cases[] = {
    { TT_ITEM_KIND_DELIVERY, TT_ITEM_STATUS_PENDING, TRUE, FALSE, FALSE, FALSE },
    { TT_ITEM_KIND_DELIVERY, TT_ITEM_STATUS_OUT, TRUE, FALSE, FALSE, FALSE },
    { TT_ITEM_KIND_DELIVERY, TT_ITEM_STATUS_DELIVERED, FALSE, TRUE, FALSE, FALSE },
    { TT_ITEM_KIND_DELIVERY, TT_ITEM_STATUS_FAILED, FALSE, FALSE, TRUE, FALSE },
    { TT_ITEM_KIND_PICKUP, TT_ITEM_STATUS_PENDING, TRUE, FALSE, FALSE, TRUE },
    { TT_ITEM_KIND_PICKUP, TT_ITEM_STATUS_COLLECTED, FALSE, TRUE, FALSE, TRUE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      item->kind = cases[i].kind;
      item->status = cases[i].status;
      g_assert_true (tt_route_filter_accepts (TT_ROUTE_FILTER_ALL, item));
      g_assert_cmpint (tt_route_filter_accepts (TT_ROUTE_FILTER_TODO, item), ==, cases[i].todo);
      g_assert_cmpint (tt_route_filter_accepts (TT_ROUTE_FILTER_DONE, item), ==, cases[i].done);
      g_assert_cmpint (tt_route_filter_accepts (TT_ROUTE_FILTER_FAILED, item), ==, cases[i].failed);
      g_assert_cmpint (tt_route_filter_accepts (TT_ROUTE_FILTER_PICKUPS, item), ==, cases[i].pickup);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/route-model/in-order", test_lists_route_in_order);
  g_test_add_func ("/route-model/status-in-place", test_status_updates_in_place);
  g_test_add_func ("/route-model/new-route", test_new_route_replaces_rows);
  g_test_add_func ("/route-model/bad-route-keeps-rows", test_bad_route_keeps_rows);
  g_test_add_func ("/route-model/unknown-item", test_unknown_item_ignored);
  g_test_add_func ("/route-model/filters", test_filters);
  return g_test_run ();
}
