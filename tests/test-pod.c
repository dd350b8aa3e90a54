/* SPDX-License-Identifier: GPL-3.0-or-later */
/* Proof of delivery: each flow writes one whole event or nothing, the
 * chain shows any altered or missing record, and money and identity are
 * checked before anything is written. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "tt-fees.h"
#include "tt-identity.h"
#include "tt-pod.h"
#include "tt-store.h"
#include "tt-test-util.h"
#include "tt-pod-test-util.h"

#define ADDRESSEE_ID "001090123456"
#define OTHER_ID     "079190654321"
#define PROXY_ID     "031200987654"

/* Items of the test route (tt_test_make_manifest: item i is a pickup when
 * i % 10 == 7, allows a proxy when i % 3 == 0). */
enum
{
  ITEM_HASHED = 0,          /* delivery, ID hash, proxy allowed */
  ITEM_NO_HASH = 1,         /* delivery, no ID hash, no proxy */
  ITEM_NO_LOCATION = 2,     /* delivery, ID hash, no location */
  ITEM_PLAIN = 4,           /* delivery, ID hash */
  ITEM_PICKUP = 7,
};

#define FIX_NEAR "{\"state\":\"3d\",\"lat\":%.6f,\"lon\":%.6f,\"accuracy_m\":6.5," \
                 "\"time\":\"2026-11-25T08:00:00Z\",\"satellites_used\":9}"

typedef struct
{
  char      *path;
  TtStore   *store;
  GPtrArray *items;        /* TtItem, route order */
  TtSignature *signature;
  char      *fix;          /* beside ITEM_HASHED */
} Fixture;

static void
fixture_set_up (Fixture      *f,
                gconstpointer data)
{
  g_autofree char *dir = tt_test_make_tmpdir ();
  g_autofree char *json = tt_test_make_manifest (10, 42, "R-POD");
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (1);
  g_autofree char *edited = NULL;
  g_autofree char *hash = tt_identity_hash_new (ADDRESSEE_ID);
  JsonArray *items;
  TtItem *hashed;

  g_assert_true (json_parser_load_from_data (parser, json, -1, &error));
  items = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)),
                                        "items");
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *o = json_array_get_object_element (items, i);
      if (i != ITEM_NO_HASH)
        json_object_set_string_member (o, "id_hash", hash);
      if (i == ITEM_NO_LOCATION)
        {
          json_object_remove_member (o, "lat");
          json_object_remove_member (o, "lon");
        }
    }
  edited = json_to_string (json_parser_get_root (parser), FALSE);

  f->path = g_build_filename (dir, "tantay.db", NULL);
  f->store = tt_store_open (f->path, &error);
  g_assert_no_error (error);
  g_assert_true (tt_store_load_manifest (f->store, edited, -1, &error));
  g_assert_no_error (error);
  f->items = tt_store_list_items (f->store, &error);
  g_assert_no_error (error);
  /* Whole items, ID hash included, as a delivery page has them. */
  for (guint i = 0; i < f->items->len; i++)
    {
      TtItem *whole = tt_store_get_item (f->store, ((TtItem *) g_ptr_array_index (f->items, i))->id,
                                         &error);

      g_assert_no_error (error);
      /* The route list leaves the hashes in the store. */
      g_assert_null (((TtItem *) g_ptr_array_index (f->items, i))->id_hash);
      if (i != ITEM_NO_HASH)
        g_assert_cmpstr (whole->id_hash, ==, hash);
      g_object_unref (g_ptr_array_index (f->items, i));
      g_ptr_array_index (f->items, i) = whole;
    }
  f->signature = tt_test_make_signature (rand, 340, 200, 60, FALSE);
  hashed = g_ptr_array_index (f->items, ITEM_HASHED);
  /* About 50 m north of the item. */
  f->fix = g_strdup_printf (FIX_NEAR, hashed->lat + 0.00045, hashed->lon);
}

static void
fixture_tear_down (Fixture      *f,
                   gconstpointer data)
{
  g_clear_object (&f->store);
  g_clear_pointer (&f->items, g_ptr_array_unref);
  g_clear_object (&f->signature);
  g_free (f->fix);
  g_free (f->path);
}

static TtItem *
item (Fixture *f,
      guint    index)
{
  return g_ptr_array_index (f->items, index);
}

static TtItem *
reread (Fixture *f,
        guint    index)
{
  g_autoptr(GError) error = NULL;
  TtItem *it = tt_store_get_item (f->store, item (f, index)->id, &error);

  g_assert_no_error (error);
  return it;
}

static TtDeliveryInput
good_delivery (Fixture *f,
               guint    index)
{
  TtDeliveryInput in = {
    .item = item (f, index),
    .id_method = TT_ID_METHOD_QR,
    .id_number = ADDRESSEE_ID,
    .collected_vnd = tt_item_get_amount_due (item (f, index)),
    .signature = f->signature,
    .place = { .fix_json = f->fix },
  };
  return in;
}

static JsonObject *
payload_of (const TtEvent *e,
            JsonParser    *parser)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (json_parser_load_from_data (parser, e->payload, -1, &error));
  g_assert_no_error (error);
  return json_node_get_object (json_parser_get_root (parser));
}

/* Nothing was written: no event, and the item as it was. */
static void
assert_nothing_written (Fixture    *f,
                        guint       index,
                        guint       n_events,
                        GError     *error,
                        int         code,
                        const char *must_say)
{
  g_autoptr(TtItem) now = reread (f, index);

  g_assert_error (error, TT_POD_ERROR, code);
  if (must_say)
    g_assert_nonnull (strstr (error->message, must_say));
  g_assert_cmpuint (tt_store_count_events (f->store, TT_EVENT_STATE_PENDING), ==, n_events);
  g_assert_cmpint (now->status, ==, item (f, index)->status);
  g_assert_cmpint (now->attempts, ==, item (f, index)->attempts);
}

static void
test_delivery_match (Fixture      *f,
                     gconstpointer data)
{
  TtDeliveryInput in = good_delivery (f, ITEM_HASHED);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TtEvent) e = tt_pod_record_delivery (f->store, &in, &error);
  g_autoptr(TtEvent) again = NULL;
  g_autoptr(TtItem) now = NULL;
  g_autoptr(TtSignature) sig = NULL;
  JsonObject *p, *r, *m;
  TtAmountDue due;

  g_assert_no_error (error);
  g_assert_nonnull (e);
  g_assert_cmpstr (e->type, ==, TT_EVENT_DELIVERED);
  g_assert_cmpstr (e->item_id, ==, item (f, ITEM_HASHED)->id);
  /* Only the last four digits of the number are ever kept. */
  g_assert_null (strstr (e->payload, ADDRESSEE_ID));
  g_assert_null (strstr (e->payload, "0901234"));

  p = payload_of (e, parser);
  g_assert_cmpstr (json_object_get_string_member (p, "upu"), ==, "EMI");
  g_assert_cmpstr (json_object_get_string_member (p, "courier"), ==, "BT-0042");
  r = json_object_get_object_member (p, "recipient");
  g_assert_cmpstr (json_object_get_string_member (r, "kind"), ==, "addressee");
  g_assert_cmpstr (json_object_get_string_member (r, "identity"), ==, "match");
  g_assert_cmpstr (json_object_get_string_member (r, "id_last4"), ==, "3456");
  g_assert_cmpstr (json_object_get_string_member (r, "id_method"), ==, "qr");
  g_assert_false (json_object_has_member (r, "override_reason"));
  m = json_object_get_object_member (p, "money");
  tt_fees_compute (item (f, ITEM_HASHED)->fee_vnd, item (f, ITEM_HASHED)->postage_vnd,
                   item (f, ITEM_HASHED)->beneficiary, &due);
  g_assert_cmpint (json_object_get_int_member (m, "due_vnd"), ==, due.total_vnd);
  g_assert_cmpint (json_object_get_int_member (m, "collected_vnd"), ==, due.total_vnd);
  g_assert_cmpint (json_object_get_int_member (m, "exemption_vnd"), ==, due.exemption_vnd);
  g_assert_cmpint (json_object_get_int_member (p, "distance_m"), >=, 45);
  g_assert_cmpint (json_object_get_int_member (p, "distance_m"), <=, 55);
  g_assert_cmpfloat (json_object_get_double_member (json_object_get_object_member (p, "fix"),
                                                    "accuracy_m"), ==, 6.5);
  sig = tt_signature_from_base64 (
    json_object_get_string_member (json_object_get_object_member (p, "signature"), "data"),
    &error);
  g_assert_no_error (error);
  g_assert_cmpuint (tt_signature_get_n_strokes (sig), ==,
                    tt_signature_get_n_strokes (f->signature));

  now = reread (f, ITEM_HASHED);
  g_assert_cmpint (now->status, ==, TT_ITEM_STATUS_DELIVERED);

  /* A second tap on a stale page records nothing. */
  again = tt_pod_record_delivery (f->store, &in, &error);
  g_assert_null (again);
  g_assert_error (error, TT_POD_ERROR, TT_POD_ERROR_ITEM);
  g_assert_cmpuint (tt_store_count_events (f->store, TT_EVENT_STATE_PENDING), ==, 1);
}

static void
test_delivery_mismatch (Fixture      *f,
                        gconstpointer data)
{
  TtDeliveryInput in = good_delivery (f, ITEM_PLAIN);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(TtEvent) e = NULL;
  JsonObject *r;

  in.id_number = OTHER_ID;
  g_assert_null (tt_pod_record_delivery (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PLAIN, 0, error, TT_POD_ERROR_IDENTITY, NULL);
  g_clear_error (&error);

  /* Blank and malformed reasons do not count as one. */
  in.override_reason = "   ";
  g_assert_null (tt_pod_record_delivery (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PLAIN, 0, error, TT_POD_ERROR_IDENTITY, NULL);
  g_clear_error (&error);
  in.override_reason = "bad\x01text";
  g_assert_null (tt_pod_record_delivery (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PLAIN, 0, error, TT_POD_ERROR_INVALID, NULL);
  g_clear_error (&error);

  in.override_reason = "Thẻ CCCD mới cấp lại, số khác trên hồ sơ";
  e = tt_pod_record_delivery (f->store, &in, &error);
  g_assert_no_error (error);
  r = json_object_get_object_member (payload_of (e, parser), "recipient");
  g_assert_cmpstr (json_object_get_string_member (r, "identity"), ==, "no-match");
  g_assert_cmpstr (json_object_get_string_member (r, "id_last4"), ==, "4321");
  g_assert_cmpstr (json_object_get_string_member (r, "override_reason"), ==, in.override_reason);
}

static void
test_delivery_bad_identity (Fixture      *f,
                            gconstpointer data)
{
  TtDeliveryInput in = good_delivery (f, ITEM_NO_HASH);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtEvent) e = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  static const char *const malformed[] = { "12345", "0010901234567", "00109012345a", "" };

  /* A route item without an ID hash: identity cannot be checked. */
  g_assert_null (tt_pod_record_delivery (f->store, &in, &error));
  assert_nothing_written (f, ITEM_NO_HASH, 0, error, TT_POD_ERROR_IDENTITY, "no ID record");
  g_clear_error (&error);

  in = good_delivery (f, ITEM_PLAIN);
  for (guint i = 0; i < G_N_ELEMENTS (malformed); i++)
    {
      in.id_number = malformed[i];
      g_assert_null (tt_pod_record_delivery (f->store, &in, &error));
      assert_nothing_written (f, ITEM_PLAIN, 0, error, TT_POD_ERROR_IDENTITY, NULL);
      g_clear_error (&error);
    }
  in.id_number = NULL;
  g_assert_null (tt_pod_record_delivery (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PLAIN, 0, error, TT_POD_ERROR_IDENTITY, "12 digits");
  g_clear_error (&error);

  /* With an explicit reason the unknown identity is recorded as such. */
  in = good_delivery (f, ITEM_NO_HASH);
  in.override_reason = "Route has no ID record; recipient known to the courier";
  e = tt_pod_record_delivery (f->store, &in, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (
                     json_object_get_object_member (payload_of (e, parser), "recipient"),
                     "identity"),
                   ==, "unknown");
}

static void
test_delivery_proxy (Fixture      *f,
                     gconstpointer data)
{
  TtDeliveryInput in = good_delivery (f, ITEM_PLAIN);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtEvent) e = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *proxy;

  g_assert_false (item (f, ITEM_PLAIN)->proxy_allowed);
  in.proxy = TRUE;
  in.proxy_name = "Trần Thị Bình";
  in.proxy_relationship = "Vợ";
  in.proxy_id_number = PROXY_ID;
  g_assert_null (tt_pod_record_delivery (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PLAIN, 0, error, TT_POD_ERROR_PROXY, "in person");
  g_clear_error (&error);

  in.item = item (f, ITEM_HASHED);
  in.collected_vnd = tt_item_get_amount_due (in.item);
  in.proxy_name = "";
  g_assert_null (tt_pod_record_delivery (f->store, &in, &error));
  assert_nothing_written (f, ITEM_HASHED, 0, error, TT_POD_ERROR_PROXY, NULL);
  g_clear_error (&error);
  in.proxy_name = "Trần Thị Bình";
  in.proxy_id_number = "0312";
  g_assert_null (tt_pod_record_delivery (f->store, &in, &error));
  assert_nothing_written (f, ITEM_HASHED, 0, error, TT_POD_ERROR_PROXY, NULL);
  g_clear_error (&error);

  in.proxy_id_number = PROXY_ID;
  in.proxy_id_method = TT_ID_METHOD_TYPED;
  e = tt_pod_record_delivery (f->store, &in, &error);
  g_assert_no_error (error);
  g_assert_null (strstr (e->payload, PROXY_ID));
  proxy = json_object_get_object_member (
    json_object_get_object_member (payload_of (e, parser), "recipient"), "proxy");
  g_assert_cmpstr (json_object_get_string_member (proxy, "name"), ==, "Trần Thị Bình");
  g_assert_cmpstr (json_object_get_string_member (proxy, "relationship"), ==, "Vợ");
  g_assert_cmpstr (json_object_get_string_member (proxy, "id_last4"), ==, "7654");
  g_assert_cmpstr (json_object_get_string_member (proxy, "id_method"), ==, "typed");
}

static void
test_delivery_amounts (Fixture      *f,
                       gconstpointer data)
{
  TtDeliveryInput in = good_delivery (f, ITEM_PLAIN);
  gint64 due = tt_item_get_amount_due (item (f, ITEM_PLAIN));
  const gint64 bad[] = { -1, -due, due - 1, 10 * due + 1, TT_POD_MAX_COLLECTED_VND + 1,
                         G_MAXINT64 };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtEvent) e = NULL;

  g_assert_cmpint (due, >, 0);
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      in.collected_vnd = bad[i];
      g_assert_null (tt_pod_record_delivery (f->store, &in, &error));
      assert_nothing_written (f, ITEM_PLAIN, 0, error, TT_POD_ERROR_AMOUNT, NULL);
      g_test_message ("%" G_GINT64_FORMAT ": %s", bad[i], error->message);
      g_clear_error (&error);
    }
  in.collected_vnd = -5;
  g_assert_null (tt_pod_build_delivery (&in, &error));
  g_assert_nonnull (strstr (error->message, "negative"));
  g_clear_error (&error);
  in.collected_vnd = due - 1;
  g_assert_null (tt_pod_build_delivery (&in, &error));
  g_assert_nonnull (strstr (error->message, "Cannot pay"));
  g_clear_error (&error);

  /* Rounding up a little (no small change) is fine. */
  in.collected_vnd = due + 500;
  e = tt_pod_record_delivery (f->store, &in, &error);
  g_assert_no_error (error);
  g_assert_nonnull (e);
}

static void
test_delivery_place (Fixture      *f,
                     gconstpointer data)
{
  TtDeliveryInput in = good_delivery (f, ITEM_PLAIN);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtEvent) e = NULL;
  g_autoptr(TtEvent) e2 = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(JsonParser) parser2 = json_parser_new ();
  JsonObject *p;
  static const char *const unreadable[] = { "{", "[1,2]", "{\"lat\":95,\"lon\":10}" };

  /* No position: the courier must say so explicitly. */
  in.place.fix_json = NULL;
  g_assert_null (tt_pod_record_delivery (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PLAIN, 0, error, TT_POD_ERROR_NO_FIX, "GPS");
  g_clear_error (&error);
  /* A fix report without coordinates (no fix yet) is no position either. */
  in.place.fix_json = "{\"state\":\"no-fix\",\"lat\":null,\"lon\":null}";
  g_assert_null (tt_pod_record_delivery (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PLAIN, 0, error, TT_POD_ERROR_NO_FIX, NULL);
  g_clear_error (&error);
  for (guint i = 0; i < G_N_ELEMENTS (unreadable); i++)
    {
      in.place.fix_json = unreadable[i];
      in.place.confirm_no_fix = TRUE;
      g_assert_null (tt_pod_record_delivery (f->store, &in, &error));
      assert_nothing_written (f, ITEM_PLAIN, 0, error, TT_POD_ERROR_INVALID, NULL);
      g_clear_error (&error);
    }

  /* Confirmed without a position: the location service's report is kept,
   * for it says why there was none. */
  in.place.fix_json = "{\"lat\":null,\"lon\":null,\"mode\":\"no-gpsd\",\"reason\":\"no-gpsd\"}";
  in.place.confirm_no_fix = TRUE;
  e = tt_pod_record_delivery (f->store, &in, &error);
  g_assert_no_error (error);
  p = payload_of (e, parser);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (p, "fix"),
                                                  "reason"), ==, "no-gpsd");
  g_assert_true (json_object_get_boolean_member (p, "no_fix"));
  g_assert_true (json_object_get_null_member (p, "distance_m"));

  /* An item without a known location: recorded, distance unknown. */
  in = good_delivery (f, ITEM_NO_LOCATION);
  g_assert_false (item (f, ITEM_NO_LOCATION)->has_location);
  g_assert_cmpfloat (tt_pod_distance_from_item (item (f, ITEM_NO_LOCATION), f->fix), <, 0);
  e2 = tt_pod_record_delivery (f->store, &in, &error);
  g_assert_no_error (error);
  p = payload_of (e2, parser2);
  g_assert_false (json_object_get_null_member (p, "fix"));
  g_assert_true (json_object_get_null_member (p, "distance_m"));
}

static void
test_delivery_signature (Fixture      *f,
                         gconstpointer data)
{
  TtDeliveryInput in = good_delivery (f, ITEM_PLAIN);
  g_autoptr(TtSignature) dot = tt_signature_new ();
  g_autoptr(GError) error = NULL;

  in.signature = NULL;
  g_assert_null (tt_pod_record_delivery (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PLAIN, 0, error, TT_POD_ERROR_SIGNATURE, NULL);
  g_clear_error (&error);

  tt_signature_begin_stroke (dot, 300, 150);
  tt_signature_add_point (dot, 150, 75, 1000, 0.5);
  tt_signature_end_stroke (dot);
  in.signature = dot;
  g_assert_null (tt_pod_record_delivery (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PLAIN, 0, error, TT_POD_ERROR_SIGNATURE, "too short");
}

static void
test_delivery_wrong_kind (Fixture      *f,
                          gconstpointer data)
{
  TtDeliveryInput in = good_delivery (f, ITEM_PICKUP);
  g_autoptr(GError) error = NULL;

  g_assert_null (tt_pod_record_delivery (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PICKUP, 0, error, TT_POD_ERROR_ITEM, "pickup");
}

static void
test_failure (Fixture      *f,
              gconstpointer data)
{
  TtFailureInput in = {
    .item = item (f, ITEM_PLAIN),
    .reason = TT_FAIL_REASON_ABSENT,
    .action = TT_FAIL_ACTION_NOTICE_LEFT,
    .place = { .fix_json = f->fix },
  };
  g_autoptr(GError) error = NULL;
  g_autoptr(TtEvent) e1 = NULL;
  g_autoptr(TtEvent) e2 = NULL;
  g_autoptr(TtItem) now = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GDateTime) dt = g_date_time_new_now_local ();
  g_autoptr(GDateTime) tomorrow = g_date_time_add_days (dt, 1);
  g_autofree char *tomorrow_text = g_date_time_format (tomorrow, "%Y-%m-%d");
  GDate *date = g_date_new ();
  JsonObject *p;

  e1 = tt_pod_record_failure (f->store, &in, &error);
  g_assert_no_error (error);
  p = payload_of (e1, parser);
  g_assert_cmpstr (e1->type, ==, TT_EVENT_FAILED);
  g_assert_cmpstr (json_object_get_string_member (p, "upu"), ==, "EMH");
  g_assert_cmpstr (json_object_get_string_member (p, "reason"), ==, "absent");
  g_assert_cmpstr (json_object_get_string_member (p, "action"), ==, "notice-left");
  g_assert_cmpint (json_object_get_int_member (p, "attempt"), ==, 1);
  now = reread (f, ITEM_PLAIN);
  g_assert_cmpint (now->status, ==, TT_ITEM_STATUS_FAILED);
  g_assert_cmpint (now->attempts, ==, 1);
  g_clear_object (&now);

  /* "Other" needs a note; a retry needs a date between tomorrow and two
   * months from now. */
  {
    TtItem *old = item (f, ITEM_PLAIN);
    f->items->pdata[ITEM_PLAIN] = reread (f, ITEM_PLAIN);
    g_object_unref (old);
  }
  in.item = item (f, ITEM_PLAIN);
  in.reason = TT_FAIL_REASON_OTHER;
  g_assert_null (tt_pod_record_failure (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PLAIN, 1, error, TT_POD_ERROR_INVALID, "note");
  g_clear_error (&error);
  in.reason = TT_FAIL_REASON_N;
  g_assert_null (tt_pod_record_failure (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PLAIN, 1, error, TT_POD_ERROR_INVALID, NULL);
  g_clear_error (&error);
  in.reason = TT_FAIL_REASON_OTHER;
  in.note = "Chó dữ, không vào được cổng";
  in.action = TT_FAIL_ACTION_RETRY;
  g_assert_null (tt_pod_record_failure (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PLAIN, 1, error, TT_POD_ERROR_INVALID, "date");
  g_clear_error (&error);
  g_date_set_dmy (date, g_date_time_get_day_of_month (dt), g_date_time_get_month (dt),
                  g_date_time_get_year (dt));
  in.retry_date = date;
  g_assert_null (tt_pod_record_failure (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PLAIN, 1, error, TT_POD_ERROR_INVALID, "tomorrow");
  g_clear_error (&error);

  g_date_add_days (date, 1);
  e2 = tt_pod_record_failure (f->store, &in, &error);
  g_assert_no_error (error);
  g_clear_object (&parser);
  parser = json_parser_new ();
  p = payload_of (e2, parser);
  g_assert_cmpstr (json_object_get_string_member (p, "reason"), ==, "other");
  g_assert_cmpstr (json_object_get_string_member (p, "note"), ==, in.note);
  g_assert_cmpstr (json_object_get_string_member (p, "retry_date"), ==, tomorrow_text);
  g_assert_cmpint (json_object_get_int_member (p, "attempt"), ==, 2);
  now = reread (f, ITEM_PLAIN);
  g_assert_cmpint (now->attempts, ==, 2);
  g_date_free (date);
}

static void
test_failure_codes (void)
{
  for (guint i = 0; i < TT_FAIL_REASON_N; i++)
    {
      TtFailReason r;
      g_assert_true (tt_fail_reason_from_string (tt_fail_reason_to_string (i), &r));
      g_assert_cmpint (r, ==, i);
      g_assert_nonnull (tt_fail_reason_get_label (i));
    }
  for (guint i = 0; i < TT_FAIL_ACTION_N; i++)
    {
      TtFailAction a;
      g_assert_true (tt_fail_action_from_string (tt_fail_action_to_string (i), &a));
      g_assert_cmpint (a, ==, i);
    }
  g_assert_cmpstr (tt_fail_reason_to_string (TT_FAIL_REASON_NO_ACCESS), ==, "no-access");
  g_assert_cmpstr (tt_fail_action_to_string (TT_FAIL_ACTION_RETURN_TO_OFFICE), ==,
                   "return-to-office");
}

static TtIntakeInput
good_intake (Fixture  *f,
             gboolean *checked)
{
  TtItem *it = item (f, ITEM_PICKUP);
  TtIntakeInput in = {
    .item = it,
    .checked = checked,
    .n_checked = g_strv_length (it->checklist),
    .pages = 14,
    .label = "EE900000013VN",
    .collected_vnd = tt_item_get_amount_due (it),
    .signature = f->signature,
    .place = { .fix_json = f->fix },
  };
  for (guint i = 0; i < in.n_checked; i++)
    checked[i] = TRUE;
  return in;
}

static void
test_intake (Fixture      *f,
             gconstpointer data)
{
  gboolean checked[8];
  TtIntakeInput in = good_intake (f, checked);
  g_autoptr(GError) error = NULL;
  g_autoptr(TtEvent) e = NULL;
  g_autoptr(TtItem) now = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *p;

  g_assert_cmpuint (in.n_checked, ==, 3);
  checked[1] = FALSE;
  g_assert_null (tt_pod_record_intake (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PICKUP, 0, error, TT_POD_ERROR_INVALID,
                          "Bản sao căn cước công dân");
  g_clear_error (&error);
  checked[1] = TRUE;
  in.n_checked = 2;
  g_assert_null (tt_pod_record_intake (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PICKUP, 0, error, TT_POD_ERROR_INVALID, NULL);
  g_clear_error (&error);
  in.n_checked = 3;
  in.pages = 0;
  g_assert_null (tt_pod_record_intake (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PICKUP, 0, error, TT_POD_ERROR_INVALID, "pages");
  g_clear_error (&error);
  in.pages = 14;
  in.label = NULL;
  g_assert_null (tt_pod_record_intake (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PICKUP, 0, error, TT_POD_ERROR_INVALID, "label");
  g_clear_error (&error);
  in.label = "EE900000013VN\nsecond line";
  g_assert_null (tt_pod_record_intake (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PICKUP, 0, error, TT_POD_ERROR_INVALID, "label");
  g_clear_error (&error);
  in.label = "EE900000013VN";
  in.collected_vnd = -100;
  g_assert_null (tt_pod_record_intake (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PICKUP, 0, error, TT_POD_ERROR_AMOUNT, NULL);
  g_clear_error (&error);
  in.collected_vnd = tt_item_get_amount_due (in.item);

  e = tt_pod_record_intake (f->store, &in, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (e->type, ==, TT_EVENT_INTAKE);
  p = payload_of (e, parser);
  g_assert_cmpstr (json_object_get_string_member (p, "upu"), ==, "EMA");
  g_assert_cmpint (json_object_get_int_member (p, "pages"), ==, 14);
  g_assert_cmpstr (json_object_get_string_member (p, "label"), ==, "EE900000013VN");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (p, "checklist")), ==, 3);
  g_assert_true (json_object_get_boolean_member (
    json_array_get_object_element (json_object_get_array_member (p, "checklist"), 1), "present"));
  g_assert_cmpstr (json_object_get_string_member (
    json_array_get_object_element (json_object_get_array_member (p, "checklist"), 1), "document"),
    ==, "Bản sao căn cước công dân");
  now = reread (f, ITEM_PICKUP);
  g_assert_cmpint (now->status, ==, TT_ITEM_STATUS_COLLECTED);

  /* Intake is only for pickups. */
  in.item = item (f, ITEM_PLAIN);
  g_assert_null (tt_pod_record_intake (f->store, &in, &error));
  assert_nothing_written (f, ITEM_PLAIN, 1, error, TT_POD_ERROR_ITEM, NULL);
}

/* ---- the chain in the SQLite file --------------------------------------- */

static void
record_three (Fixture *f)
{
  TtDeliveryInput d = good_delivery (f, ITEM_HASHED);
  TtFailureInput fl = { .item = item (f, ITEM_PLAIN), .reason = TT_FAIL_REASON_MOVED,
                        .action = TT_FAIL_ACTION_RETURN_TO_OFFICE,
                        .place = { .fix_json = f->fix } };
  gboolean checked[8];
  TtIntakeInput in = good_intake (f, checked);
  g_autoptr(GError) error = NULL;
  TtEvent *e;

  e = tt_pod_record_delivery (f->store, &d, &error);
  g_assert_no_error (error);
  tt_event_free (e);
  e = tt_pod_record_failure (f->store, &fl, &error);
  g_assert_no_error (error);
  tt_event_free (e);
  e = tt_pod_record_intake (f->store, &in, &error);
  g_assert_no_error (error);
  tt_event_free (e);
}

static void
sql_exec (const char *path,
          const char *sql)
{
  sqlite3 *db = NULL;
  char *msg = NULL;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &msg) != SQLITE_OK)
    g_error ("%s: %s", sql, msg);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_close (db);
}

static guint
verify (const char *path,
        GError    **error)
{
  g_autoptr(TtStore) store = tt_store_open (path, NULL);
  g_autoptr(GPtrArray) events = tt_store_list_events (store, -1, 0, NULL);
  guint bad = G_MAXUINT;

  if (tt_event_verify_chain (events, NULL, &bad, error))
    return G_MAXUINT;
  return bad;
}

static void
test_chain_altered (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  record_three (f);
  g_clear_object (&f->store);
  g_assert_cmpuint (verify (f->path, &error), ==, G_MAXUINT);
  g_assert_no_error (error);

  /* Someone changes the amount collected of the first event, straight in
   * the file. */
  sql_exec (f->path, "UPDATE events SET payload = replace(payload, '\"collected_vnd\":', "
                     "'\"collected_vnd\":1') WHERE seq = 1");
  g_assert_cmpuint (verify (f->path, &error), ==, 0);
  g_assert_error (error, TT_EVENT_ERROR, TT_EVENT_ERROR_CHAIN);
}

static void
test_chain_missing (Fixture      *f,
                    gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  record_three (f);
  g_clear_object (&f->store);
  sql_exec (f->path, "DELETE FROM events WHERE seq = 2");
  g_assert_cmpuint (verify (f->path, &error), ==, 1);
  g_assert_error (error, TT_EVENT_ERROR, TT_EVENT_ERROR_CHAIN);
}

static void
test_chain_altered_type (Fixture      *f,
                         gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  record_three (f);
  g_clear_object (&f->store);
  /* A failed attempt turned into a delivery. */
  sql_exec (f->path, "UPDATE events SET type = 'delivered' WHERE seq = 2");
  g_assert_cmpuint (verify (f->path, &error), ==, 1);
  g_assert_error (error, TT_EVENT_ERROR, TT_EVENT_ERROR_CHAIN);
}

/* ---- summary ----------------------------------------------------------- */

static void
test_summary (Fixture      *f,
              gconstpointer data)
{
  TtPodSummary s;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) events = NULL;
  TtAmountDue d1, d2;
  TtItem *delivered = item (f, ITEM_HASHED), *picked = item (f, ITEM_PICKUP);
  const char *uuids[2] = { NULL, NULL };

  g_assert_true (tt_pod_summarize (f->store, NULL, &s, &error));
  g_assert_cmpuint (s.to_do, ==, 10);
  g_assert_cmpuint (s.delivered + s.failed + s.picked_up + s.unsynced, ==, 0);

  record_three (f);
  g_assert_true (tt_pod_summarize (f->store, NULL, &s, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (s.delivered, ==, 1);
  g_assert_cmpuint (s.failed, ==, 1);
  g_assert_cmpuint (s.picked_up, ==, 1);
  g_assert_cmpuint (s.to_do, ==, 7);
  g_assert_cmpuint (s.attempts, ==, 1);
  g_assert_cmpuint (s.unsynced, ==, 3);
  tt_fees_compute (delivered->fee_vnd, delivered->postage_vnd, delivered->beneficiary, &d1);
  tt_fees_compute (picked->fee_vnd, picked->postage_vnd, picked->beneficiary, &d2);
  g_assert_cmpint (s.fees_vnd, ==, d1.fee_vnd + d2.fee_vnd);
  g_assert_cmpint (s.postage_vnd, ==,
                   d1.postage_vnd - d1.exemption_vnd + d2.postage_vnd - d2.exemption_vnd);

  events = tt_store_list_events (f->store, -1, 0, &error);
  uuids[0] = ((TtEvent *) g_ptr_array_index (events, 0))->uuid;
  g_assert_true (tt_store_mark_acknowledged (f->store, uuids, &error));
  g_assert_true (tt_pod_summarize (f->store, NULL, &s, &error));
  g_assert_cmpuint (s.unsynced, ==, 2);

  /* Only today's events count towards today's cash. */
  g_assert_true (tt_pod_summarize (f->store, "2999-01-01T00:00:00Z", &s, &error));
  g_assert_cmpint (s.fees_vnd + s.postage_vnd, ==, 0);
  g_assert_cmpuint (s.delivered, ==, 1);
}

/* ---- fees and identity (foundation, checked here as the flows use them) */

static void
test_fees (void)
{
  TtAmountDue d;

  tt_fees_compute (100000, 30000, NULL, &d);
  g_assert_cmpint (d.total_vnd, ==, 130000);
  g_assert_cmpint (d.exemption_vnd, ==, 0);
  g_assert_null (d.beneficiary);

  tt_fees_compute (100000, 30000, "heroic-mother", &d);
  g_assert_cmpint (d.exemption_vnd, ==, 30000);
  g_assert_cmpint (d.total_vnd, ==, 100000);   /* the fee is never exempted */

  tt_fees_compute (8000, 25001, "war-invalid", &d);
  g_assert_cmpint (d.exemption_vnd, ==, 12501); /* half, rounded for the citizen */
  g_assert_cmpint (d.total_vnd, ==, 8000 + 12500);

  tt_fees_compute (0, 27000, "social-protection", &d);
  g_assert_cmpint (d.exemption_vnd, ==, 0);
  g_assert_nonnull (d.beneficiary);
  g_assert_cmpint (d.total_vnd, ==, 27000);

  tt_fees_compute (50000, 20000, "not-a-category", &d);
  g_assert_null (d.beneficiary);
  g_assert_cmpint (d.total_vnd, ==, 70000);

  tt_fees_compute (-5, -7, "hero", &d);
  g_assert_cmpint (d.total_vnd, ==, 0);
}

static void
test_identity (void)
{
  g_autofree char *hash = tt_identity_hash_new (ADDRESSEE_ID);
  g_autofree char *hash2 = tt_identity_hash_new (ADDRESSEE_ID);
  g_autofree char *last4 = tt_identity_last4 (ADDRESSEE_ID);
  g_autofree char *sha = g_compute_checksum_for_string (G_CHECKSUM_SHA256, ADDRESSEE_ID, -1);

  g_assert_true (g_str_has_prefix (hash, "$argon2id$"));
  /* Salted: the same number never gives the same hash twice. */
  g_assert_cmpstr (hash, !=, hash2);
  g_assert_cmpint (tt_identity_verify (hash, ADDRESSEE_ID), ==, TT_IDENTITY_MATCH);
  g_assert_cmpint (tt_identity_verify (hash2, ADDRESSEE_ID), ==, TT_IDENTITY_MATCH);
  g_assert_cmpint (tt_identity_verify (hash, OTHER_ID), ==, TT_IDENTITY_NO_MATCH);
  g_assert_cmpint (tt_identity_verify (hash, "001090123457"), ==, TT_IDENTITY_NO_MATCH);
  g_assert_cmpint (tt_identity_verify (NULL, ADDRESSEE_ID), ==, TT_IDENTITY_UNKNOWN);
  g_assert_cmpint (tt_identity_verify (sha, ADDRESSEE_ID), ==, TT_IDENTITY_UNKNOWN);
  g_assert_cmpint (tt_identity_verify ("$argon2id$garbage", ADDRESSEE_ID), ==,
                   TT_IDENTITY_NO_MATCH);
  g_assert_cmpstr (last4, ==, "3456");
  g_assert_true (tt_pod_id_number_is_valid (ADDRESSEE_ID));
  g_assert_false (tt_pod_id_number_is_valid ("00109012345"));
  g_assert_false (tt_pod_id_number_is_valid ("００１０９０１２３４５６"));
}

static void
test_optional_documents (void)
{
  g_assert_true (tt_pod_document_is_optional ("Giấy ủy quyền (nếu có)"));
  g_assert_true (tt_pod_document_is_optional ("Power of attorney (if any)"));
  g_assert_false (tt_pod_document_is_optional ("Bản sao thẻ Căn cước"));
  g_assert_false (tt_pod_document_is_optional ("Nếu có thì nộp bản sao"));
  g_assert_false (tt_pod_document_is_optional (NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) \
  g_test_add (path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("/pod/delivery/match", test_delivery_match);
  ADD ("/pod/delivery/mismatch-needs-override", test_delivery_mismatch);
  ADD ("/pod/delivery/bad-identity", test_delivery_bad_identity);
  ADD ("/pod/delivery/proxy", test_delivery_proxy);
  ADD ("/pod/delivery/amounts", test_delivery_amounts);
  ADD ("/pod/delivery/place", test_delivery_place);
  ADD ("/pod/delivery/signature", test_delivery_signature);
  ADD ("/pod/delivery/wrong-kind", test_delivery_wrong_kind);
  ADD ("/pod/failure/record", test_failure);
  ADD ("/pod/intake/record", test_intake);
  ADD ("/pod/chain/altered-payload", test_chain_altered);
  ADD ("/pod/chain/altered-type", test_chain_altered_type);
  ADD ("/pod/chain/missing-event", test_chain_missing);
  ADD ("/pod/summary", test_summary);
#undef ADD
  g_test_add_func ("/pod/failure/codes", test_failure_codes);
  g_test_add_func ("/pod/fees", test_fees);
  g_test_add_func ("/pod/identity", test_identity);
  g_test_add_func ("/pod/intake/optional-documents", test_optional_documents);

  return g_test_run ();
}
