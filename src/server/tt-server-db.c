/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-server-db"

#include "config.h"

#include <sodium.h>
#include <sqlite3.h>

#include "tt-event.h"
#include "tt-manifest.h"
#include "tt-server-db.h"
#include "tt-sqlite.h"

struct _TtServerDb
{
  GObject  parent_instance;

  char    *path;
  sqlite3 *db;
};

G_DEFINE_FINAL_TYPE (TtServerDb, tt_server_db, G_TYPE_OBJECT)
G_DEFINE_QUARK (tt-server-db-error-quark, tt_server_db_error)

static const struct
{
  const char *type;
  const char *upu;
} event_types[] = {
  { TT_EVENT_DELIVERED, "EMI" },
  { TT_EVENT_FAILED, "EMH" },
  { TT_EVENT_INTAKE, "EMA" },
  { TT_EVENT_OUT_FOR_DELIVERY, "EDG" },
  { TT_EVENT_NOT_ON_ROUTE, NULL },
};

/* The server's schema; IF NOT EXISTS so that opening is idempotent. */
static const char schema[] =
  "PRAGMA journal_mode = WAL;"
  "PRAGMA synchronous = FULL;"
  "PRAGMA foreign_keys = ON;"
  "CREATE TABLE IF NOT EXISTS routes ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  date TEXT NOT NULL,"
  "  courier TEXT,"
  "  office TEXT,"
  "  manifest TEXT NOT NULL,"
  "  etag TEXT NOT NULL,"
  "  imported_at TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS items ("
  "  route_id TEXT NOT NULL REFERENCES routes (id) ON DELETE CASCADE,"
  "  id TEXT NOT NULL,"
  "  seq INTEGER NOT NULL,"
  "  kind TEXT NOT NULL,"
  "  procedure TEXT NOT NULL,"
  "  recipient_name TEXT NOT NULL,"
  "  address TEXT NOT NULL,"
  "  amount_due INTEGER NOT NULL,"
  "  PRIMARY KEY (route_id, id));"
  "CREATE INDEX IF NOT EXISTS items_id ON items (id);"
  "CREATE TABLE IF NOT EXISTS enroll_codes ("
  "  code TEXT PRIMARY KEY NOT NULL,"
  "  courier TEXT NOT NULL,"
  "  created_at TEXT NOT NULL,"
  "  used_by TEXT);"
  "CREATE TABLE IF NOT EXISTS devices ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  token_hash TEXT NOT NULL UNIQUE,"
  "  courier TEXT NOT NULL,"
  "  name TEXT,"
  "  enrolled_at TEXT NOT NULL);"
  "CREATE TABLE IF NOT EXISTS events ("
  "  uuid TEXT PRIMARY KEY NOT NULL,"
  "  device_id TEXT NOT NULL REFERENCES devices (id),"
  "  seq INTEGER NOT NULL,"
  "  type TEXT NOT NULL,"
  "  item_id TEXT,"
  "  time TEXT NOT NULL,"
  "  payload TEXT NOT NULL,"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL,"
  "  received_at TEXT NOT NULL,"
  "  UNIQUE (device_id, seq));"
  "CREATE INDEX IF NOT EXISTS events_item ON events (item_id, time);";

void
tt_rejection_free (TtRejection *rejection)
{
  if (rejection == NULL)
    return;
  g_free (rejection->id);
  g_free (rejection->code);
  g_free (rejection->reason);
  g_free (rejection);
}

gboolean
tt_server_event_type_known (const char *type)
{
  for (guint i = 0; type && i < G_N_ELEMENTS (event_types); i++)
    if (g_str_equal (type, event_types[i].type))
      return TRUE;
  return FALSE;
}

const char *
tt_server_event_type_upu (const char *type)
{
  for (guint i = 0; type && i < G_N_ELEMENTS (event_types); i++)
    if (g_str_equal (type, event_types[i].type))
      return event_types[i].upu;
  return NULL;
}

static gboolean
db_error (TtServerDb *self,
          const char *what,
          GError    **error)
{
  g_set_error (error, TT_SERVER_DB_ERROR, TT_SERVER_DB_ERROR_IO,
               "Database error while %s: %s", what, sqlite3_errmsg (self->db));
  return FALSE;
}

static sqlite3_stmt *
prepare (TtServerDb *self,
         const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_critical ("Cannot prepare “%s”: %s", sql, sqlite3_errmsg (self->db));
  return stmt;
}

static char *
now_string (void)
{
  return tt_event_time_now ();
}

static char *
sha256_hex (const char *data,
            gssize      length)
{
  return g_compute_checksum_for_data (G_CHECKSUM_SHA256, (const guchar *) data,
                                      length < 0 ? strlen (data) : (gsize) length);
}

static void
rollback (TtServerDb *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

TtServerDb *
tt_server_db_open (const char  *path,
                   GError     **error)
{
  g_autoptr(TtServerDb) self = g_object_new (TT_TYPE_SERVER_DB, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  char *message = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  if (sodium_init () < 0)
    {
      g_set_error (error, TT_SERVER_DB_ERROR, TT_SERVER_DB_ERROR_IO,
                   "The random number generator is not available");
      return NULL;
    }
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      g_set_error (error, TT_SERVER_DB_ERROR, TT_SERVER_DB_ERROR_IO,
                   "Cannot create the folder %s: %s", dir, g_strerror (errno));
      return NULL;
    }
  self->path = g_strdup (path);
  if (sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL)
      != SQLITE_OK)
    {
      g_set_error (error, TT_SERVER_DB_ERROR, TT_SERVER_DB_ERROR_IO,
                   "Cannot open the database %s: %s", path, sqlite3_errmsg (self->db));
      return NULL;
    }
  /* Tests read the database while a server writes it. */
  sqlite3_busy_timeout (self->db, 5000);
  if (sqlite3_exec (self->db, schema, NULL, NULL, &message) != SQLITE_OK)
    {
      g_set_error (error, TT_SERVER_DB_ERROR, TT_SERVER_DB_ERROR_IO,
                   "Cannot prepare the database %s: %s", path, message);
      sqlite3_free (message);
      return NULL;
    }
  return g_steal_pointer (&self);
}

/* Routes */

gboolean
tt_server_db_import_manifest (TtServerDb  *self,
                              const char  *json,
                              gssize       length,
                              char       **route_id,
                              guint       *n_items,
                              GError     **error)
{
  g_autoptr(TtManifest) manifest = NULL;
  g_autoptr(GError) local = NULL;
  g_autofree char *etag = NULL;
  g_autofree char *now = now_string ();
  g_autofree char *copy = NULL;
  sqlite3_stmt *stmt;
  gboolean ok = TRUE;

  g_return_val_if_fail (TT_IS_SERVER_DB (self), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  if (length < 0)
    length = strlen (json);
  manifest = tt_manifest_parse (json, length, &local);
  if (manifest == NULL)
    {
      g_set_error (error, TT_SERVER_DB_ERROR, TT_SERVER_DB_ERROR_ROUTE,
                   "The route was not imported: %s", local->message);
      return FALSE;
    }

  copy = g_strndup (json, length);
  etag = sha256_hex (copy, length);
  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return db_error (self, "importing a route", error);

  stmt = prepare (self, "DELETE FROM routes WHERE id = ?");
  tt_sqlite_bind_text (stmt, 1, manifest->route_id);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);

  if (ok)
    {
      stmt = prepare (self, "INSERT INTO routes (id, date, courier, office, manifest, etag,"
                            " imported_at) VALUES (?, ?, ?, ?, ?, ?, ?)");
      tt_sqlite_bind_text (stmt, 1, manifest->route_id);
      tt_sqlite_bind_text (stmt, 2, manifest->date);
      tt_sqlite_bind_text (stmt, 3, manifest->courier);
      tt_sqlite_bind_text (stmt, 4, manifest->office);
      tt_sqlite_bind_text (stmt, 5, copy);
      tt_sqlite_bind_text (stmt, 6, etag);
      tt_sqlite_bind_text (stmt, 7, now);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      sqlite3_finalize (stmt);
    }

  stmt = prepare (self, "INSERT INTO items (route_id, id, seq, kind, procedure, recipient_name,"
                        " address, amount_due) VALUES (?, ?, ?, ?, ?, ?, ?, ?)");
  for (guint i = 0; ok && i < manifest->items->len; i++)
    {
      TtItem *item = g_ptr_array_index (manifest->items, i);
      g_autofree char *address = tt_item_dup_address (item);

      sqlite3_reset (stmt);
      tt_sqlite_bind_text (stmt, 1, manifest->route_id);
      tt_sqlite_bind_text (stmt, 2, item->id);
      sqlite3_bind_int (stmt, 3, item->seq);
      tt_sqlite_bind_text (stmt, 4, tt_item_kind_to_string (item->kind));
      tt_sqlite_bind_text (stmt, 5, item->procedure);
      tt_sqlite_bind_text (stmt, 6, item->recipient_name);
      tt_sqlite_bind_text (stmt, 7, address);
      sqlite3_bind_int64 (stmt, 8, tt_item_get_amount_due (item));
      ok = sqlite3_step (stmt) == SQLITE_DONE;
    }
  sqlite3_finalize (stmt);

  if (!ok || sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      db_error (self, "importing a route", error);
      rollback (self);
      return FALSE;
    }
  if (route_id)
    *route_id = g_strdup (manifest->route_id);
  if (n_items)
    *n_items = manifest->items->len;
  return TRUE;
}

gboolean
tt_server_db_get_route (TtServerDb  *self,
                        const char  *courier,
                        char       **manifest,
                        char       **etag)
{
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (TT_IS_SERVER_DB (self), FALSE);

  stmt = prepare (self, "SELECT manifest, etag FROM routes WHERE courier IS ?"
                        " ORDER BY date DESC, imported_at DESC LIMIT 1");
  tt_sqlite_bind_text (stmt, 1, courier);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      *manifest = tt_sqlite_column_dup (stmt, 0);
      *etag = tt_sqlite_column_dup (stmt, 1);
    }
  sqlite3_finalize (stmt);
  return found;
}

char *
tt_server_db_dup_last_courier (TtServerDb *self)
{
  sqlite3_stmt *stmt;
  char *courier = NULL;

  g_return_val_if_fail (TT_IS_SERVER_DB (self), NULL);

  stmt = prepare (self, "SELECT courier FROM routes ORDER BY imported_at DESC LIMIT 1");
  if (sqlite3_step (stmt) == SQLITE_ROW)
    courier = tt_sqlite_column_dup (stmt, 0);
  sqlite3_finalize (stmt);
  return courier;
}

/* Enrollment */

/* Typed by hand from a sheet of paper at worst: no 0/O, 1/I/L. */
static const char code_alphabet[] = "ABCDEFGHJKMNPQRSTUVWXYZ23456789";

static char *
normalise_code (const char *code)
{
  GString *s = g_string_new (NULL);

  for (const char *p = code; p && *p; p++)
    if (g_ascii_isalnum (*p))
      g_string_append_c (s, g_ascii_toupper (*p));
  return g_string_free (s, FALSE);
}

char *
tt_server_db_issue_code (TtServerDb  *self,
                         const char  *courier,
                         GError     **error)
{
  g_autofree char *now = now_string ();
  char code[9];
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (TT_IS_SERVER_DB (self), NULL);
  g_return_val_if_fail (courier != NULL, NULL);

  for (guint i = 0; i < 8; i++)
    code[i] = code_alphabet[randombytes_uniform (sizeof code_alphabet - 1)];
  code[8] = '\0';

  stmt = prepare (self, "INSERT INTO enroll_codes (code, courier, created_at) VALUES (?, ?, ?)");
  tt_sqlite_bind_text (stmt, 1, code);
  tt_sqlite_bind_text (stmt, 2, courier);
  tt_sqlite_bind_text (stmt, 3, now);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      db_error (self, "issuing an enrollment code", error);
      return NULL;
    }
  return g_strdup_printf ("%.4s-%.4s", code, code + 4);
}

static char *
random_hex (guint n_bytes)
{
  g_autofree guchar *buf = g_malloc (n_bytes);
  GString *s = g_string_sized_new (n_bytes * 2);

  randombytes_buf (buf, n_bytes);
  for (guint i = 0; i < n_bytes; i++)
    g_string_append_printf (s, "%02x", buf[i]);
  return g_string_free (s, FALSE);
}

gboolean
tt_server_db_enroll (TtServerDb  *self,
                     const char  *code,
                     const char  *device_name,
                     char       **device_id,
                     char       **token,
                     char       **courier,
                     GError     **error)
{
  g_autofree char *norm = normalise_code (code);
  g_autofree char *who = NULL;
  g_autofree char *id = g_uuid_string_random ();
  g_autofree char *secret = random_hex (32);
  g_autofree char *secret_hash = sha256_hex (secret, -1);
  g_autofree char *now = now_string ();
  sqlite3_stmt *stmt;
  gboolean used = FALSE, ok;

  g_return_val_if_fail (TT_IS_SERVER_DB (self), FALSE);

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return db_error (self, "enrolling a device", error);

  stmt = prepare (self, "SELECT courier, used_by FROM enroll_codes WHERE code = ?");
  tt_sqlite_bind_text (stmt, 1, norm);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      who = tt_sqlite_column_dup (stmt, 0);
      used = sqlite3_column_type (stmt, 1) != SQLITE_NULL;
    }
  sqlite3_finalize (stmt);
  if (who == NULL || used)
    {
      rollback (self);
      g_set_error (error, TT_SERVER_DB_ERROR, TT_SERVER_DB_ERROR_CODE,
                   used ? "This enrollment code has already been used; ask the office for a new one"
                        : "This enrollment code is not known; check it or ask the office for a new one");
      return FALSE;
    }

  stmt = prepare (self, "INSERT INTO devices (id, token_hash, courier, name, enrolled_at)"
                        " VALUES (?, ?, ?, ?, ?)");
  tt_sqlite_bind_text (stmt, 1, id);
  tt_sqlite_bind_text (stmt, 2, secret_hash);
  tt_sqlite_bind_text (stmt, 3, who);
  tt_sqlite_bind_text (stmt, 4, device_name);
  tt_sqlite_bind_text (stmt, 5, now);
  ok = sqlite3_step (stmt) == SQLITE_DONE;
  sqlite3_finalize (stmt);
  if (ok)
    {
      stmt = prepare (self, "UPDATE enroll_codes SET used_by = ? WHERE code = ?");
      tt_sqlite_bind_text (stmt, 1, id);
      tt_sqlite_bind_text (stmt, 2, norm);
      ok = sqlite3_step (stmt) == SQLITE_DONE;
      sqlite3_finalize (stmt);
    }
  if (!ok || sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      db_error (self, "enrolling a device", error);
      rollback (self);
      return FALSE;
    }
  *device_id = g_steal_pointer (&id);
  *token = g_steal_pointer (&secret);
  *courier = g_steal_pointer (&who);
  return TRUE;
}

gboolean
tt_server_db_check_token (TtServerDb  *self,
                          const char  *token,
                          char       **device_id,
                          char       **courier)
{
  g_autofree char *hash = NULL;
  sqlite3_stmt *stmt;
  gboolean found = FALSE;

  g_return_val_if_fail (TT_IS_SERVER_DB (self), FALSE);

  if (token == NULL || *token == '\0')
    return FALSE;
  /* Tokens are 256 random bits: a fast hash is enough, and a stolen
   * database does not hand out working tokens. */
  hash = sha256_hex (token, -1);
  stmt = prepare (self, "SELECT id, courier FROM devices WHERE token_hash = ?");
  tt_sqlite_bind_text (stmt, 1, hash);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    {
      found = TRUE;
      *device_id = tt_sqlite_column_dup (stmt, 0);
      *courier = tt_sqlite_column_dup (stmt, 1);
    }
  sqlite3_finalize (stmt);
  return found;
}

/* Events */

static gboolean
is_hex64 (const char *s)
{
  if (s == NULL || strlen (s) != 64)
    return FALSE;
  for (; *s; s++)
    if (!g_ascii_isxdigit (*s) || g_ascii_isupper (*s))
      return FALSE;
  return TRUE;
}

static void
reject (GPtrArray  *rejected,
        const char *id,
        const char *code,
        const char *reason)
{
  TtRejection *r = g_new0 (TtRejection, 1);

  r->id = g_strdup (id);
  r->code = g_strdup (code);
  r->reason = g_strdup (reason);
  g_ptr_array_add (rejected, r);
}

/* Checks one event on its own; sets @code and @reason when it is bad. */
static TtEvent *
validate_event (JsonNode     *node,
                sqlite3_stmt *is_object,
                gsize        max_payload,
                const char **code,
                char       **reason)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(TtEvent) e = tt_event_from_json (node, &error);
  g_autoptr(GDateTime) time = NULL;
  g_autofree char *expect = NULL;

  *code = "invalid";
  if (e == NULL)
    {
      *reason = g_strdup (error->message);
      return NULL;
    }
  if (!g_uuid_string_is_valid (e->uuid))
    {
      *reason = g_strdup ("Event field “id” must be a UUID");
      return NULL;
    }
  if (!tt_server_event_type_known (e->type))
    {
      *code = "unknown-type";
      *reason = g_strdup_printf ("Event type “%s” is not known to this server", e->type);
      return NULL;
    }
  if (e->item_id && (strlen (e->item_id) > 64 || !g_utf8_validate (e->item_id, -1, NULL)))
    {
      *reason = g_strdup ("Event field “item_id” is too long or not UTF-8");
      return NULL;
    }
  time = g_date_time_new_from_iso8601 (e->time, NULL);
  if (time == NULL)
    {
      *reason = g_strdup ("Event field “time” must be an ISO 8601 time with a time zone");
      return NULL;
    }
  if (strlen (e->payload) > max_payload)
    {
      *code = "too-large";
      *reason = g_strdup_printf ("Event payload is larger than %" G_GSIZE_FORMAT " bytes",
                                 max_payload);
      return NULL;
    }
  sqlite3_reset (is_object);
  tt_sqlite_bind_text (is_object, 1, e->payload);
  if (sqlite3_step (is_object) != SQLITE_ROW || sqlite3_column_int (is_object, 0) != 1)
    {
      *reason = g_strdup ("Event field “payload” must be a JSON object serialised as a string");
      return NULL;
    }
  if (!is_hex64 (e->prev_hash) || !is_hex64 (e->hash))
    {
      *reason = g_strdup ("Event fields “prev_hash” and “hash” must be 64 lowercase hex digits");
      return NULL;
    }
  expect = tt_event_compute_hash (e->prev_hash, e->uuid, e->type, e->item_id, e->time,
                                  e->payload);
  if (!g_str_equal (expect, e->hash))
    {
      *code = "altered";
      *reason = g_strdup ("Event hash does not match its content (altered in transit or on the device)");
      return NULL;
    }
  return g_steal_pointer (&e);
}

void
tt_server_db_validate_events (JsonArray *events,
                              gsize      max_payload,
                              GPtrArray *valid,
                              GPtrArray *rejected)
{
  sqlite3 *mem = NULL;
  sqlite3_stmt *is_object = NULL;

  /* The payload is only checked, never used here: SQLite's JSON parser
   * does that in a third of the time json-glib takes to build a tree.
   * A connection of its own, in memory, so any thread may call this. */
  if (sqlite3_open_v2 (":memory:", &mem, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK
      || sqlite3_prepare_v2 (mem, "SELECT json_valid (?1) AND json_type (?1) = 'object'", -1,
                             &is_object, NULL) != SQLITE_OK)
    g_error ("SQLite cannot check JSON: %s", sqlite3_errmsg (mem));

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonNode *node = json_array_get_element (events, i);
      const char *id = NULL, *code;
      g_autofree char *reason = NULL;
      TtEvent *e;

      if (JSON_NODE_HOLDS_OBJECT (node))
        id = json_object_get_string_member_with_default (json_node_get_object (node), "id", NULL);
      e = validate_event (node, is_object, max_payload, &code, &reason);
      if (e == NULL)
        reject (rejected, id, code, reason);
      else
        g_ptr_array_add (valid, e);
    }
  sqlite3_finalize (is_object);
  sqlite3_close (mem);
}

gboolean
tt_server_db_begin (TtServerDb *self,
                    GError    **error)
{
  g_return_val_if_fail (TT_IS_SERVER_DB (self), FALSE);

  if (sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    return db_error (self, "storing events", error);
  return TRUE;
}

gboolean
tt_server_db_commit (TtServerDb *self,
                     GError    **error)
{
  g_return_val_if_fail (TT_IS_SERVER_DB (self), FALSE);

  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    {
      db_error (self, "storing events", error);
      rollback (self);
      return FALSE;
    }
  return TRUE;
}

void
tt_server_db_rollback (TtServerDb *self)
{
  g_return_if_fail (TT_IS_SERVER_DB (self));
  rollback (self);
}

const char *
tt_server_db_get_path (TtServerDb *self)
{
  g_return_val_if_fail (TT_IS_SERVER_DB (self), NULL);
  return self->path;
}

gboolean
tt_server_db_insert_events (TtServerDb *self,
                            const char *device_id,
                            GPtrArray  *valid,
                            GPtrArray  *acknowledged,
                            GPtrArray  *rejected,
                            GError    **error)
{
  g_autofree char *now = now_string ();
  sqlite3_stmt *by_uuid, *insert;
  gboolean ok = TRUE;

  g_return_val_if_fail (TT_IS_SERVER_DB (self), FALSE);

  by_uuid = prepare (self, "SELECT device_id, seq, type, item_id, time, payload, prev_hash, hash"
                           " FROM events WHERE uuid = ?");
  insert = prepare (self, "INSERT OR IGNORE INTO events (uuid, device_id, seq, type, item_id, time, payload,"
                          " prev_hash, hash, received_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");

  for (guint i = 0; ok && i < valid->len; i++)
    {
      TtEvent *e = g_ptr_array_index (valid, i);
      int rc;

      /* Most events are new: try the insert first and look closer only
       * when a uniqueness constraint stopped it. */
      sqlite3_reset (insert);
      tt_sqlite_bind_text (insert, 1, e->uuid);
      tt_sqlite_bind_text (insert, 2, device_id);
      sqlite3_bind_int64 (insert, 3, e->seq);
      tt_sqlite_bind_text (insert, 4, e->type);
      tt_sqlite_bind_text (insert, 5, e->item_id);
      tt_sqlite_bind_text (insert, 6, e->time);
      tt_sqlite_bind_text (insert, 7, e->payload);
      tt_sqlite_bind_text (insert, 8, e->prev_hash);
      tt_sqlite_bind_text (insert, 9, e->hash);
      tt_sqlite_bind_text (insert, 10, now);
      if (sqlite3_step (insert) != SQLITE_DONE)
        {
          ok = FALSE;
          break;
        }
      if (sqlite3_changes (self->db) == 1)
        {
          g_ptr_array_add (acknowledged, g_strdup (e->uuid));
          continue;
        }

      sqlite3_reset (by_uuid);
      tt_sqlite_bind_text (by_uuid, 1, e->uuid);
      rc = sqlite3_step (by_uuid);
      if (rc == SQLITE_ROW)
        {
          /* A replay: acknowledged again only when it is the very same
           * record from the same device. */
          gboolean same = g_strcmp0 ((const char *) sqlite3_column_text (by_uuid, 0), device_id) == 0
            && sqlite3_column_int64 (by_uuid, 1) == e->seq
            && g_strcmp0 ((const char *) sqlite3_column_text (by_uuid, 2), e->type) == 0
            && g_strcmp0 ((const char *) sqlite3_column_text (by_uuid, 3), e->item_id) == 0
            && g_strcmp0 ((const char *) sqlite3_column_text (by_uuid, 4), e->time) == 0
            && g_strcmp0 ((const char *) sqlite3_column_text (by_uuid, 5), e->payload) == 0
            && g_strcmp0 ((const char *) sqlite3_column_text (by_uuid, 6), e->prev_hash) == 0
            && g_strcmp0 ((const char *) sqlite3_column_text (by_uuid, 7), e->hash) == 0;

          if (same)
            g_ptr_array_add (acknowledged, g_strdup (e->uuid));
          else
            reject (rejected, e->uuid, "conflict",
                    "An event with this id was already received with different content");
          continue;
        }
      if (rc != SQLITE_DONE)
        {
          ok = FALSE;
          break;
        }
      {
        g_autofree char *msg = g_strdup_printf ("This device already sent a different event "
                                                "numbered %" G_GINT64_FORMAT, e->seq);

        reject (rejected, e->uuid, "conflict", msg);
      }
    }

  if (!ok)
    db_error (self, "storing events", error);
  sqlite3_finalize (by_uuid);
  sqlite3_finalize (insert);
  return ok;
}

guint
tt_server_db_count_events (TtServerDb *self,
                           const char *device_id)
{
  sqlite3_stmt *stmt;
  guint n = 0;

  g_return_val_if_fail (TT_IS_SERVER_DB (self), 0);

  stmt = prepare (self, "SELECT count(*) FROM events WHERE ?1 IS NULL OR device_id = ?1");
  tt_sqlite_bind_text (stmt, 1, device_id);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  return n;
}

gboolean
tt_server_db_check_chain (TtServerDb  *self,
                          const char  *device_id,
                          guint       *n_events,
                          char       **summary)
{
  g_autofree char *prev_hash = g_strdup (TT_EVENT_GENESIS_HASH);
  g_autoptr(GString) problems = g_string_new (NULL);
  sqlite3_stmt *stmt;
  gint64 prev_seq = 0;
  guint n = 0, n_problems = 0;

  g_return_val_if_fail (TT_IS_SERVER_DB (self), FALSE);

  stmt = prepare (self, "SELECT seq, prev_hash, hash FROM events WHERE device_id = ? ORDER BY seq");
  tt_sqlite_bind_text (stmt, 1, device_id);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      gint64 seq = sqlite3_column_int64 (stmt, 0);
      const char *prev = (const char *) sqlite3_column_text (stmt, 1);

      n++;
      if (seq != prev_seq + 1)
        {
          if (n_problems++ < 5)
            {
              if (seq == prev_seq + 2)
                g_string_append_printf (problems, "; event %" G_GINT64_FORMAT " missing",
                                        prev_seq + 1);
              else
                g_string_append_printf (problems, "; events %" G_GINT64_FORMAT "–%" G_GINT64_FORMAT
                                        " missing", prev_seq + 1, seq - 1);
            }
        }
      else if (g_strcmp0 (prev, prev_hash) != 0)
        {
          if (n_problems++ < 5)
            g_string_append_printf (problems, "; event %" G_GINT64_FORMAT
                                    " does not follow event %" G_GINT64_FORMAT, seq, prev_seq);
        }
      prev_seq = seq;
      g_free (prev_hash);
      prev_hash = tt_sqlite_column_dup (stmt, 2);
    }
  sqlite3_finalize (stmt);

  if (n_events)
    *n_events = n;
  if (summary)
    {
      if (n_problems == 0)
        *summary = g_strdup_printf ("intact: %u events, 1–%" G_GINT64_FORMAT, n, prev_seq);
      else
        *summary = g_strdup_printf ("broken: %u problem%s%s", n_problems,
                                    n_problems == 1 ? "" : "s", problems->str);
    }
  return n_problems == 0;
}

/* Read models */

static JsonArray *
query_rows (TtServerDb   *self,
            sqlite3_stmt *stmt)
{
  JsonArray *rows = json_array_new ();

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      JsonObject *row = json_object_new ();

      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          const char *name = sqlite3_column_name (stmt, c);

          switch (sqlite3_column_type (stmt, c))
            {
            case SQLITE_INTEGER:
              json_object_set_int_member (row, name, sqlite3_column_int64 (stmt, c));
              break;
            case SQLITE_NULL:
              json_object_set_null_member (row, name);
              break;
            default:
              json_object_set_string_member (row, name, (const char *) sqlite3_column_text (stmt, c));
              break;
            }
        }
      json_array_add_object_element (rows, row);
    }
  sqlite3_finalize (stmt);
  return rows;
}

/* The latest status-bearing event decides an item's status. */
#define ITEM_LAST_EVENT \
  "(SELECT type FROM events e WHERE e.item_id = items.id AND e.type != 'not-on-route'" \
  " ORDER BY e.time DESC, e.seq DESC LIMIT 1)"

JsonArray *
tt_server_db_list_routes (TtServerDb *self)
{
  g_return_val_if_fail (TT_IS_SERVER_DB (self), NULL);

  return query_rows (self, prepare (self,
    "SELECT id, date, courier, office, imported_at,"
    " (SELECT count(*) FROM items WHERE items.route_id = routes.id) AS n_items,"
    " (SELECT count(*) FROM items WHERE items.route_id = routes.id"
    "   AND " ITEM_LAST_EVENT " IN ('delivered', 'intake')) AS n_done"
    " FROM routes ORDER BY date DESC, imported_at DESC"));
}

JsonArray *
tt_server_db_list_items (TtServerDb *self,
                         const char *route_id)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (TT_IS_SERVER_DB (self), NULL);

  stmt = prepare (self, "SELECT id, seq, kind, procedure, recipient_name, address, amount_due, "
                        ITEM_LAST_EVENT " AS last_event FROM items WHERE route_id = ? ORDER BY seq");
  tt_sqlite_bind_text (stmt, 1, route_id);
  return query_rows (self, stmt);
}

JsonArray *
tt_server_db_list_devices (TtServerDb *self)
{
  JsonArray *devices;

  g_return_val_if_fail (TT_IS_SERVER_DB (self), NULL);

  devices = query_rows (self, prepare (self, "SELECT id, courier, name, enrolled_at FROM devices"
                                             " ORDER BY enrolled_at"));
  for (guint i = 0; i < json_array_get_length (devices); i++)
    {
      JsonObject *d = json_array_get_object_element (devices, i);
      g_autofree char *summary = NULL;
      guint n = 0;
      gboolean ok = tt_server_db_check_chain (self, json_object_get_string_member (d, "id"), &n,
                                              &summary);

      json_object_set_int_member (d, "n_events", n);
      json_object_set_boolean_member (d, "chain_ok", ok);
      json_object_set_string_member (d, "chain", summary);
    }
  return devices;
}

JsonArray *
tt_server_db_list_item_events (TtServerDb *self,
                               const char *item_id)
{
  sqlite3_stmt *stmt;
  JsonArray *events;

  g_return_val_if_fail (TT_IS_SERVER_DB (self), NULL);

  stmt = prepare (self, "SELECT uuid, device_id, seq, type, time, payload, received_at"
                        " FROM events WHERE item_id = ? ORDER BY time, seq");
  tt_sqlite_bind_text (stmt, 1, item_id);
  events = query_rows (self, stmt);
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *e = json_array_get_object_element (events, i);
      g_autoptr(JsonParser) parser = json_parser_new ();

      /* Stored payloads were checked to be JSON objects on arrival. */
      if (json_parser_load_from_data (parser, json_object_get_string_member (e, "payload"), -1,
                                      NULL))
        json_object_set_member (e, "payload", json_node_copy (json_parser_get_root (parser)));
    }
  return events;
}

gboolean
tt_server_db_has_item (TtServerDb *self,
                       const char *item_id)
{
  sqlite3_stmt *stmt;
  gboolean found;

  g_return_val_if_fail (TT_IS_SERVER_DB (self), FALSE);

  stmt = prepare (self, "SELECT 1 FROM items WHERE id = ? UNION SELECT 1 FROM events"
                        " WHERE item_id = ? LIMIT 1");
  tt_sqlite_bind_text (stmt, 1, item_id);
  tt_sqlite_bind_text (stmt, 2, item_id);
  found = sqlite3_step (stmt) == SQLITE_ROW;
  sqlite3_finalize (stmt);
  return found;
}

static void
tt_server_db_finalize (GObject *object)
{
  TtServerDb *self = (TtServerDb *) object;

  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (tt_server_db_parent_class)->finalize (object);
}

static void
tt_server_db_class_init (TtServerDbClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = tt_server_db_finalize;
}

static void
tt_server_db_init (TtServerDb *self)
{
}
