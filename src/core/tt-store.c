/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "tt-store"

#include "config.h"

#include <errno.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "tt-manifest.h"
#include "tt-sqlite.h"
#include "tt-store.h"

struct _TtStore
{
  GObject       parent_instance;

  char         *path;
  sqlite3      *db;
  sqlite3_stmt *insert_event;
  sqlite3_stmt *insert_outbox;
  sqlite3_stmt *last_event;
  sqlite3_stmt *update_status;
};

G_DEFINE_FINAL_TYPE (TtStore, tt_store, G_TYPE_OBJECT)
G_DEFINE_QUARK (tt-store-error-quark, tt_store_error)

enum {
  ROUTE_CHANGED,
  ITEM_CHANGED,
  EVENT_ADDED,
  EVENTS_CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

/* Schema history.  migrations[i] brings a database from version i to i+1;
 * a database is always migrated one step at a time, each in its own
 * transaction, so an old device can skip any number of releases. */
static const char *const migrations[] = {
  /* 0 → 1: the first schema. */
  "CREATE TABLE meta ("
  "  key TEXT PRIMARY KEY NOT NULL,"
  "  value TEXT);"
  "CREATE TABLE items ("
  "  id TEXT PRIMARY KEY NOT NULL,"
  "  kind TEXT NOT NULL CHECK (kind IN ('delivery', 'pickup')),"
  "  seq INTEGER NOT NULL,"
  "  dossier_code TEXT,"
  "  procedure TEXT NOT NULL,"
  "  agency TEXT,"
  "  recipient_name TEXT NOT NULL,"
  "  phone TEXT,"
  "  street TEXT NOT NULL,"
  "  commune TEXT NOT NULL,"
  "  district TEXT,"
  "  province TEXT NOT NULL,"
  "  lat REAL,"
  "  lon REAL,"
  "  id_hash TEXT,"
  "  fee_vnd INTEGER NOT NULL DEFAULT 0,"
  "  postage_vnd INTEGER NOT NULL DEFAULT 0,"
  "  beneficiary TEXT,"
  "  proxy_allowed INTEGER NOT NULL DEFAULT 0,"
  "  checklist TEXT,"
  "  status TEXT NOT NULL DEFAULT 'pending',"
  "  search_key TEXT NOT NULL DEFAULT '');"
  "CREATE INDEX items_seq ON items (seq);"
  "CREATE TABLE events ("
  "  seq INTEGER PRIMARY KEY NOT NULL,"
  "  uuid TEXT NOT NULL UNIQUE,"
  "  type TEXT NOT NULL,"
  "  item_id TEXT,"
  "  time TEXT NOT NULL,"
  "  payload TEXT NOT NULL,"
  "  prev_hash TEXT NOT NULL,"
  "  hash TEXT NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'pending'"
  "    CHECK (state IN ('pending', 'acknowledged', 'quarantined')),"
  "  reason TEXT);"
  "CREATE INDEX events_state ON events (state, seq);",

  /* 1 → 2: attempt counts on items; when an event was acknowledged, so
   * that retention can count days from it. */
  "ALTER TABLE items ADD COLUMN attempts INTEGER NOT NULL DEFAULT 0;"
  "ALTER TABLE events ADD COLUMN acked_at TEXT;"
  "CREATE INDEX events_item ON events (item_id);",

  /* 2 → 3: the outbox state leaves the event rows for a table of its own.
   * An event is then written once and never again; acknowledging a
   * thousand of them rewrites a few bytes each instead of every record
   * with its signature (9 ms → 2 ms per 1,000 on the device's disk). */
  "CREATE TABLE outbox ("
  "  seq INTEGER PRIMARY KEY NOT NULL,"
  "  state TEXT NOT NULL DEFAULT 'pending'"
  "    CHECK (state IN ('pending', 'acknowledged', 'quarantined')),"
  "  reason TEXT,"
  "  acked_at TEXT);"
  "INSERT INTO outbox (seq, state, reason, acked_at)"
  "  SELECT seq, state, reason, acked_at FROM events;"
  "CREATE INDEX outbox_state ON outbox (state, seq);"
  "DROP INDEX events_state;"
  "ALTER TABLE events DROP COLUMN state;"
  "ALTER TABLE events DROP COLUMN reason;"
  "ALTER TABLE events DROP COLUMN acked_at;",
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == TT_STORE_SCHEMA_VERSION);

static gboolean
set_sqlite_error (TtStore    *self,
                  int         rc,
                  const char *what,
                  GError    **error)
{
  int code = TT_STORE_ERROR_IO;
  const char *detail = self->db ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc);

  switch (rc & 0xff)
    {
    case SQLITE_CORRUPT:
    case SQLITE_NOTADB:
      code = TT_STORE_ERROR_CORRUPT;
      g_set_error (error, TT_STORE_ERROR, code,
                   "The data file %s is damaged (%s; seen while %s). It has been left as it "
                   "is; ask the office before deleting it.", self->path, detail, what);
      return FALSE;
    case SQLITE_FULL:
      g_set_error (error, TT_STORE_ERROR, code,
                   "The device storage is full while %s; nothing was changed. "
                   "Free some space and try again.", what);
      return FALSE;
    case SQLITE_READONLY:
    case SQLITE_CANTOPEN:
    case SQLITE_PERM:
      g_set_error (error, TT_STORE_ERROR, code,
                   "Cannot write the data file %s while %s (%s).", self->path, what, detail);
      return FALSE;
    case SQLITE_CONSTRAINT:
      code = TT_STORE_ERROR_INVALID;
      break;
    default:
      break;
    }
  g_set_error (error, TT_STORE_ERROR, code, "Storage error while %s: %s", what, detail);
  return FALSE;
}

static gboolean
exec (TtStore    *self,
      const char *sql,
      const char *what,
      GError    **error)
{
  int rc = sqlite3_exec (self->db, sql, NULL, NULL, NULL);

  if (rc != SQLITE_OK)
    return set_sqlite_error (self, rc, what, error);
  return TRUE;
}

static void
rollback (TtStore *self)
{
  if (!sqlite3_get_autocommit (self->db))
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
}

static gboolean
prepare (TtStore       *self,
         const char    *sql,
         sqlite3_stmt **stmt,
         GError       **error)
{
  int rc = sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, stmt, NULL);

  if (rc != SQLITE_OK)
    return set_sqlite_error (self, rc, "preparing a query", error);
  return TRUE;
}

static int
get_user_version (TtStore *self,
                  GError **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc, version = -1;

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA user_version", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    version = sqlite3_column_int (stmt, 0);
  sqlite3_finalize (stmt);
  if (version < 0)
    set_sqlite_error (self, rc, "reading the schema version", error);
  return version;
}

static gboolean
migrate (TtStore *self,
         GError **error)
{
  int version = get_user_version (self, error);

  if (version < 0)
    return FALSE;
  if (version > TT_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_TOO_NEW,
                   "The data file %s was written by a newer version of Tận Tay "
                   "(schema %d; this version knows up to %d). It has been left as it is: "
                   "update the app.", self->path, version, TT_STORE_SCHEMA_VERSION);
      return FALSE;
    }

  for (; version < TT_STORE_SCHEMA_VERSION; version++)
    {
      g_autofree char *bump = g_strdup_printf ("PRAGMA user_version = %d", version + 1);

      g_debug ("Migrating %s from schema %d", self->path, version);
      if (!exec (self, "BEGIN IMMEDIATE", "upgrading the data file", error))
        return FALSE;
      if (!exec (self, migrations[version], "upgrading the data file", error)
          || !exec (self, bump, "upgrading the data file", error)
          || !exec (self, "COMMIT", "upgrading the data file", error))
        {
          rollback (self);
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
check_integrity (TtStore *self,
                 GError **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *result = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db, "PRAGMA quick_check(1)", -1, &stmt, NULL);
  if (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    result = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  if (result == NULL)
    return set_sqlite_error (self, rc, "checking the data file", error);
  if (!g_str_equal (result, "ok"))
    {
      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_CORRUPT,
                   "The data file %s is damaged (%s). It has been left as it is; "
                   "ask the office before deleting it.", self->path, result);
      return FALSE;
    }
  return TRUE;
}

char *
tt_store_data_dir (const char *override)
{
  if (override != NULL && *override != '\0')
    return g_canonicalize_filename (override, NULL);
  return g_build_filename (g_get_user_data_dir (), "tantay", NULL);
}

char *
tt_store_default_path (const char *data_dir)
{
  g_autofree char *dir = tt_store_data_dir (data_dir);

  return g_build_filename (dir, "tantay.db", NULL);
}

/**
 * tt_store_open:
 * Opens (creating if needed) the store at @path and brings its schema up
 * to date.  A damaged file or one from a newer version is reported and
 * never modified.
 */
TtStore *
tt_store_open (const char  *path,
               GError     **error)
{
  g_autoptr(TtStore) self = NULL;
  g_autofree char *dir = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (TT_TYPE_STORE, NULL);
  self->path = g_strdup (path);

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_IO,
                   "Cannot create the data folder %s: %s", dir, g_strerror (saved));
      return NULL;
    }

  rc = sqlite3_open_v2 (path, &self->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, "opening the data file", error);
      return NULL;
    }
  sqlite3_extended_result_codes (self->db, 0);
  sqlite3_busy_timeout (self->db, 5000);

  /* The header is checked before anything is written: a file that is not
   * a database must not get a WAL switched on over it. */
  if (!check_integrity (self, error))
    return NULL;
  if (!exec (self, "PRAGMA journal_mode = WAL", "opening the data file", error)
      /* Every commit reaches the disk before it returns: a saved proof of
       * delivery survives a pulled battery. */
      || !exec (self, "PRAGMA synchronous = FULL", "opening the data file", error)
      || !exec (self, "PRAGMA foreign_keys = ON", "opening the data file", error)
      || !migrate (self, error))
    return NULL;

  if (!prepare (self,
                "INSERT INTO events (seq, uuid, type, item_id, time, payload, prev_hash, hash)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?)", &self->insert_event, error)
      || !prepare (self, "INSERT INTO outbox (seq) VALUES (?)", &self->insert_outbox, error)
      || !prepare (self, "SELECT seq, hash FROM events ORDER BY seq DESC LIMIT 1",
                   &self->last_event, error)
      || !prepare (self,
                   "UPDATE items SET status = ?, attempts = attempts + ? WHERE id = ?"
                   " RETURNING attempts",
                   &self->update_status, error))
    return NULL;

  g_chmod (path, 0600);
  return g_steal_pointer (&self);
}

const char *
tt_store_get_path (TtStore *self)
{
  g_return_val_if_fail (TT_IS_STORE (self), NULL);
  return self->path;
}

char *
tt_store_get_meta (TtStore    *self,
                   const char *key)
{
  sqlite3_stmt *stmt = NULL;
  char *value = NULL;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  if (sqlite3_prepare_v2 (self->db, "SELECT value FROM meta WHERE key = ?", -1, &stmt, NULL)
      == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW && sqlite3_column_type (stmt, 0) != SQLITE_NULL)
        value = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
    }
  sqlite3_finalize (stmt);
  return value;
}

static gboolean
set_meta_in_txn (TtStore    *self,
                 const char *key,
                 const char *value,
                 GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db,
                           "INSERT INTO meta (key, value) VALUES (?, ?)"
                           " ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, value, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, "saving a setting", error);
  return TRUE;
}

gboolean
tt_store_set_meta (TtStore    *self,
                   const char *key,
                   const char *value,
                   GError    **error)
{
  g_return_val_if_fail (TT_IS_STORE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  return set_meta_in_txn (self, key, value, error);
}

static char *
checklist_to_json (char **checklist)
{
  g_autoptr(JsonBuilder) b = NULL;
  g_autoptr(JsonNode) root = NULL;

  if (checklist == NULL)
    return NULL;
  b = json_builder_new ();
  json_builder_begin_array (b);
  for (guint i = 0; checklist[i]; i++)
    json_builder_add_string_value (b, checklist[i]);
  json_builder_end_array (b);
  root = json_builder_get_root (b);
  return json_to_string (root, FALSE);
}

static char **
checklist_from_json (const char *text)
{
  g_autoptr(JsonParser) parser = NULL;
  JsonArray *a;
  GPtrArray *docs;

  if (text == NULL)
    return NULL;
  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, text, -1, NULL)
      || !JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return NULL;
  a = json_node_get_array (json_parser_get_root (parser));
  docs = g_ptr_array_new ();
  for (guint i = 0; i < json_array_get_length (a); i++)
    {
      const char *s = json_array_get_string_element (a, i);
      if (s)
        g_ptr_array_add (docs, g_strdup (s));
    }
  g_ptr_array_add (docs, NULL);
  return (char **) g_ptr_array_free (docs, FALSE);
}

static gboolean
insert_items (TtStore    *self,
              GPtrArray  *items,
              GHashTable *kept,
              GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_prepare_v2 (self->db,
                           "INSERT INTO items (id, kind, seq, dossier_code, procedure, agency,"
                           " recipient_name, phone, street, commune, district, province, lat, lon,"
                           " id_hash, fee_vnd, postage_vnd, beneficiary, proxy_allowed, checklist,"
                           " status, attempts, search_key)"
                           " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    return set_sqlite_error (self, rc, "loading the route", error);

  for (guint i = 0; i < items->len; i++)
    {
      TtItem *item = g_ptr_array_index (items, i);
      g_autofree char *checklist = checklist_to_json (item->checklist);
      TtItem *old = kept ? g_hash_table_lookup (kept, item->id) : NULL;
      TtItemStatus status = item->status;
      int attempts = item->attempts;

      /* What this device already recorded wins over a route that was
       * prepared before the server heard of it. */
      if (old != NULL && old->status != TT_ITEM_STATUS_PENDING
          && item->status == TT_ITEM_STATUS_PENDING)
        {
          status = old->status;
          attempts = MAX (attempts, old->attempts);
        }

      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
      sqlite3_bind_text (stmt, 1, item->id, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, tt_item_kind_to_string (item->kind), -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 3, item->seq);
      tt_sqlite_bind_text (stmt, 4, item->dossier_code);
      tt_sqlite_bind_text (stmt, 5, item->procedure);
      tt_sqlite_bind_text (stmt, 6, item->agency);
      tt_sqlite_bind_text (stmt, 7, item->recipient_name);
      tt_sqlite_bind_text (stmt, 8, item->phone);
      tt_sqlite_bind_text (stmt, 9, item->street);
      tt_sqlite_bind_text (stmt, 10, item->commune);
      tt_sqlite_bind_text (stmt, 11, item->district);
      tt_sqlite_bind_text (stmt, 12, item->province);
      if (item->has_location)
        {
          sqlite3_bind_double (stmt, 13, item->lat);
          sqlite3_bind_double (stmt, 14, item->lon);
        }
      tt_sqlite_bind_text (stmt, 15, item->id_hash);
      sqlite3_bind_int64 (stmt, 16, item->fee_vnd);
      sqlite3_bind_int64 (stmt, 17, item->postage_vnd);
      tt_sqlite_bind_text (stmt, 18, item->beneficiary);
      sqlite3_bind_int (stmt, 19, item->proxy_allowed);
      tt_sqlite_bind_text (stmt, 20, checklist);
      sqlite3_bind_text (stmt, 21, tt_item_status_to_string (status), -1, SQLITE_STATIC);
      sqlite3_bind_int (stmt, 22, attempts);
      tt_sqlite_bind_text (stmt, 23, item->search_key);
      rc = sqlite3_step (stmt);
      if (rc != SQLITE_DONE)
        {
          sqlite3_finalize (stmt);
          return set_sqlite_error (self, rc, "loading the route", error);
        }
    }
  sqlite3_finalize (stmt);
  return TRUE;
}

static GHashTable *
index_items (GPtrArray *items)
{
  GHashTable *index = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < items->len; i++)
    {
      TtItem *item = g_ptr_array_index (items, i);
      g_hash_table_insert (index, item->id, item);
    }
  return index;
}

/**
 * tt_store_load_manifest:
 * Replaces the day's route with the one in @json.  The manifest is
 * validated as a whole first; the swap happens in one transaction, so a
 * bad manifest, a full disk or a crash leaves the previous route intact.
 * Events are never touched.
 */
gboolean
tt_store_load_manifest (TtStore     *self,
                        const char  *json,
                        gssize       length,
                        GError     **error)
{
  g_autoptr(TtManifest) manifest = NULL;
  g_autoptr(GPtrArray) old = NULL;
  g_autoptr(GHashTable) kept = NULL;
  g_autoptr(GError) local = NULL;

  g_return_val_if_fail (TT_IS_STORE (self), FALSE);
  g_return_val_if_fail (json != NULL, FALSE);

  manifest = tt_manifest_parse (json, length, &local);
  if (manifest == NULL)
    {
      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_MANIFEST,
                   "The new route was not loaded; the current route is unchanged. %s",
                   local->message);
      return FALSE;
    }

  old = tt_store_list_items (self, error);
  if (old == NULL)
    return FALSE;
  kept = index_items (old);

  if (!exec (self, "BEGIN IMMEDIATE", "loading the route", error))
    return FALSE;
  if (!exec (self, "DELETE FROM items", "loading the route", error)
      || !insert_items (self, manifest->items, kept, error)
      || !set_meta_in_txn (self, "route_id", manifest->route_id, error)
      || !set_meta_in_txn (self, "route_date", manifest->date, error)
      || !set_meta_in_txn (self, "courier", manifest->courier, error)
      || !set_meta_in_txn (self, "office", manifest->office, error)
      || !exec (self, "COMMIT", "loading the route", error))
    {
      rollback (self);
      return FALSE;
    }

  g_signal_emit (self, signals[ROUTE_CHANGED], 0);
  return TRUE;
}

gboolean
tt_store_load_manifest_file (TtStore     *self,
                             const char  *path,
                             GError     **error)
{
  g_autofree char *contents = NULL;
  gsize length;

  g_return_val_if_fail (TT_IS_STORE (self), FALSE);

  if (!g_file_get_contents (path, &contents, &length, error))
    return FALSE;
  return tt_store_load_manifest (self, contents, length, error);
}

static guint
count (TtStore    *self,
       const char *sql,
       const char *arg)
{
  sqlite3_stmt *stmt = NULL;
  guint n = 0;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) == SQLITE_OK)
    {
      if (arg)
        sqlite3_bind_text (stmt, 1, arg, -1, SQLITE_STATIC);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        n = sqlite3_column_int (stmt, 0);
    }
  sqlite3_finalize (stmt);
  return n;
}

guint
tt_store_count_items (TtStore *self)
{
  g_return_val_if_fail (TT_IS_STORE (self), 0);
  return count (self, "SELECT count(*) FROM items", NULL);
}

#define ITEM_COLUMNS_BEFORE_HASH \
  "id, kind, seq, dossier_code, procedure, agency, recipient_name, phone, street, commune," \
  " district, province, lat, lon, "
#define ITEM_COLUMNS_AFTER_HASH \
  ", fee_vnd, postage_vnd, beneficiary, proxy_allowed, checklist, status, attempts, search_key"
#define ITEM_COLUMNS ITEM_COLUMNS_BEFORE_HASH "id_hash" ITEM_COLUMNS_AFTER_HASH

static TtItem *
item_from_row (sqlite3_stmt *stmt)
{
  TtItem *item = tt_item_new ();

  item->id = tt_sqlite_column_dup (stmt, 0);
  tt_item_kind_from_string ((const char *) sqlite3_column_text (stmt, 1), &item->kind);
  item->seq = sqlite3_column_int (stmt, 2);
  item->dossier_code = tt_sqlite_column_dup (stmt, 3);
  item->procedure = tt_item_share_text ((const char *) sqlite3_column_text (stmt, 4));
  item->agency = tt_item_share_text ((const char *) sqlite3_column_text (stmt, 5));
  item->recipient_name = tt_sqlite_column_dup (stmt, 6);
  item->phone = tt_sqlite_column_dup (stmt, 7);
  item->street = tt_sqlite_column_dup (stmt, 8);
  item->commune = tt_item_share_text ((const char *) sqlite3_column_text (stmt, 9));
  item->district = tt_item_share_text ((const char *) sqlite3_column_text (stmt, 10));
  item->province = tt_item_share_text ((const char *) sqlite3_column_text (stmt, 11));
  item->has_location = sqlite3_column_type (stmt, 12) != SQLITE_NULL;
  item->lat = sqlite3_column_double (stmt, 12);
  item->lon = sqlite3_column_double (stmt, 13);
  item->id_hash = tt_sqlite_column_dup (stmt, 14);
  item->fee_vnd = sqlite3_column_int64 (stmt, 15);
  item->postage_vnd = sqlite3_column_int64 (stmt, 16);
  item->beneficiary = tt_item_share_text ((const char *) sqlite3_column_text (stmt, 17));
  item->proxy_allowed = sqlite3_column_int (stmt, 18);
  item->checklist = checklist_from_json ((const char *) sqlite3_column_text (stmt, 19));
  tt_item_status_from_string ((const char *) sqlite3_column_text (stmt, 20), &item->status);
  item->attempts = sqlite3_column_int (stmt, 21);
  item->search_key = tt_sqlite_column_dup (stmt, 22);
  return item;
}

GPtrArray *
tt_store_list_items (TtStore  *self,
                     GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  GPtrArray *items;
  int rc;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  /* The whole route stays in memory: without the ID hashes, which only a
   * delivery needs (tt_store_get_item), it is a megabyte lighter. */
  rc = sqlite3_prepare_v2 (self->db,
                           "SELECT " ITEM_COLUMNS_BEFORE_HASH "NULL" ITEM_COLUMNS_AFTER_HASH
                           " FROM items ORDER BY seq, id",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, "reading the route", error);
      return NULL;
    }
  items = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (items, item_from_row (stmt));
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_ptr_array_unref (items);
      set_sqlite_error (self, rc, "reading the route", error);
      return NULL;
    }
  return items;
}

TtItem *
tt_store_get_item (TtStore    *self,
                   const char *item_id,
                   GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  TtItem *item = NULL;
  int rc;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);
  g_return_val_if_fail (item_id != NULL, NULL);

  rc = sqlite3_prepare_v2 (self->db, "SELECT " ITEM_COLUMNS " FROM items WHERE id = ?",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, "reading an item", error);
      return NULL;
    }
  sqlite3_bind_text (stmt, 1, item_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (stmt);
  if (rc == SQLITE_ROW)
    item = item_from_row (stmt);
  else if (rc == SQLITE_DONE)
    g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND,
                 "Item %s is not on today's route", item_id);
  else
    set_sqlite_error (self, rc, "reading an item", error);
  sqlite3_finalize (stmt);
  return item;
}

static gboolean
update_status_in_txn (TtStore      *self,
                      const char   *item_id,
                      TtItemStatus  status,
                      gboolean      count_attempt,
                      int          *attempts,
                      GError      **error)
{
  int rc;

  sqlite3_reset (self->update_status);
  sqlite3_bind_text (self->update_status, 1, tt_item_status_to_string (status), -1,
                     SQLITE_STATIC);
  sqlite3_bind_int (self->update_status, 2, count_attempt ? 1 : 0);
  sqlite3_bind_text (self->update_status, 3, item_id, -1, SQLITE_STATIC);
  rc = sqlite3_step (self->update_status);
  if (rc == SQLITE_ROW)
    {
      *attempts = sqlite3_column_int (self->update_status, 0);
      sqlite3_reset (self->update_status);
      return TRUE;
    }
  sqlite3_reset (self->update_status);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, TT_STORE_ERROR, TT_STORE_ERROR_NOT_FOUND,
                   "Item %s is not on today's route", item_id);
      return FALSE;
    }
  return set_sqlite_error (self, rc, "saving an item's status", error);
}

gboolean
tt_store_set_item_status (TtStore      *self,
                          const char   *item_id,
                          TtItemStatus  status,
                          GError      **error)
{
  int attempts;

  g_return_val_if_fail (TT_IS_STORE (self), FALSE);
  g_return_val_if_fail (item_id != NULL, FALSE);

  if (!update_status_in_txn (self, item_id, status, FALSE, &attempts, error))
    return FALSE;
  g_signal_emit (self, signals[ITEM_CHANGED], 0, item_id, (int) status, attempts);
  return TRUE;
}

TtEvent *
tt_store_append_event (TtStore     *self,
                       const char  *type,
                       const char  *item_id,
                       const char  *payload_json,
                       GError     **error)
{
  return tt_store_append_event_full (self, type, item_id, payload_json, -1, FALSE, error);
}

/**
 * tt_store_append_event_full:
 * Appends one event, chained to the device's previous one, and (when
 * @new_status is not -1) updates the item in the same transaction.  When
 * this returns, the event is on disk: only then may the courier be told
 * it is saved.
 */
TtEvent *
tt_store_append_event_full (TtStore      *self,
                            const char   *type,
                            const char   *item_id,
                            const char   *payload_json,
                            TtItemStatus  new_status,
                            gboolean      count_attempt,
                            GError      **error)
{
  g_autoptr(TtEvent) e = NULL;
  int rc, attempts = 0;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);
  g_return_val_if_fail (type != NULL && *type != '\0', NULL);
  g_return_val_if_fail (payload_json != NULL, NULL);

  e = g_new0 (TtEvent, 1);
  e->uuid = g_uuid_string_random ();
  e->type = g_strdup (type);
  e->item_id = g_strdup (item_id);
  e->time = tt_event_time_now ();
  e->payload = g_strdup (payload_json);
  e->state = TT_EVENT_STATE_PENDING;

  if (!exec (self, "BEGIN IMMEDIATE", "saving an event", error))
    return NULL;

  /* Read the chain's end inside the transaction: another process (the
   * command-line companion) may have appended since we last looked. */
  sqlite3_reset (self->last_event);
  rc = sqlite3_step (self->last_event);
  if (rc == SQLITE_ROW)
    {
      e->seq = sqlite3_column_int64 (self->last_event, 0) + 1;
      e->prev_hash = g_strdup ((const char *) sqlite3_column_text (self->last_event, 1));
    }
  else if (rc == SQLITE_DONE)
    {
      e->seq = 1;
      e->prev_hash = g_strdup (TT_EVENT_GENESIS_HASH);
    }
  sqlite3_reset (self->last_event);
  if (rc != SQLITE_ROW && rc != SQLITE_DONE)
    {
      rollback (self);
      set_sqlite_error (self, rc, "saving an event", error);
      return NULL;
    }
  e->hash = tt_event_compute_hash (e->prev_hash, e->uuid, e->type, e->item_id, e->time,
                                   e->payload);

  sqlite3_reset (self->insert_event);
  sqlite3_bind_int64 (self->insert_event, 1, e->seq);
  sqlite3_bind_text (self->insert_event, 2, e->uuid, -1, SQLITE_STATIC);
  sqlite3_bind_text (self->insert_event, 3, e->type, -1, SQLITE_STATIC);
  tt_sqlite_bind_text (self->insert_event, 4, e->item_id);
  sqlite3_bind_text (self->insert_event, 5, e->time, -1, SQLITE_STATIC);
  sqlite3_bind_text (self->insert_event, 6, e->payload, -1, SQLITE_STATIC);
  sqlite3_bind_text (self->insert_event, 7, e->prev_hash, -1, SQLITE_STATIC);
  sqlite3_bind_text (self->insert_event, 8, e->hash, -1, SQLITE_STATIC);
  rc = sqlite3_step (self->insert_event);
  sqlite3_reset (self->insert_event);
  sqlite3_clear_bindings (self->insert_event);
  if (rc == SQLITE_DONE)
    {
      sqlite3_bind_int64 (self->insert_outbox, 1, e->seq);
      rc = sqlite3_step (self->insert_outbox);
      sqlite3_reset (self->insert_outbox);
    }
  if (rc != SQLITE_DONE)
    {
      rollback (self);
      set_sqlite_error (self, rc, "saving an event", error);
      return NULL;
    }

  if ((int) new_status >= 0 && item_id != NULL
      && !update_status_in_txn (self, item_id, new_status, count_attempt, &attempts, error))
    {
      rollback (self);
      return NULL;
    }

  if (!exec (self, "COMMIT", "saving an event", error))
    {
      rollback (self);
      return NULL;
    }

  if ((int) new_status >= 0 && item_id != NULL)
    g_signal_emit (self, signals[ITEM_CHANGED], 0, item_id, (int) new_status, attempts);
  g_signal_emit (self, signals[EVENT_ADDED], 0, e);
  return g_steal_pointer (&e);
}

GPtrArray *
tt_store_list_events (TtStore  *self,
                      int       state,
                      guint     limit,
                      GError  **error)
{
  sqlite3_stmt *stmt = NULL;
  GPtrArray *events;
  int rc;

  g_return_val_if_fail (TT_IS_STORE (self), NULL);

  /* Two statements, not "?1 IS NULL OR state = ?1": SQLite plans that one
   * as a scan of every event ever recorded, acknowledged ones included,
   * while the outbox read must use the (state, seq) index.  Every event
   * has its outbox row (written in the same transaction); one without
   * would be shown as waiting. */
  rc = sqlite3_prepare_v2 (self->db,
                           state >= 0
                           ? "SELECT e.seq, uuid, type, item_id, time, payload, prev_hash, hash,"
                             " o.state, o.reason FROM outbox o JOIN events e ON e.seq = o.seq"
                             " WHERE o.state = ?1 ORDER BY o.seq LIMIT ?2"
                           : "SELECT e.seq, uuid, type, item_id, time, payload, prev_hash, hash,"
                             " coalesce (o.state, 'pending'), o.reason"
                             " FROM events e LEFT JOIN outbox o ON o.seq = e.seq"
                             " ORDER BY e.seq LIMIT ?2",
                           -1, &stmt, NULL);
  if (rc != SQLITE_OK)
    {
      set_sqlite_error (self, rc, "reading events", error);
      return NULL;
    }
  if (state >= 0)
    sqlite3_bind_text (stmt, 1, tt_event_state_to_string (state), -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, limit > 0 ? (gint64) limit : -1);

  events = g_ptr_array_new_with_free_func ((GDestroyNotify) tt_event_free);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      TtEvent *e = g_new0 (TtEvent, 1);

      e->seq = sqlite3_column_int64 (stmt, 0);
      e->uuid = tt_sqlite_column_dup (stmt, 1);
      e->type = tt_sqlite_column_dup (stmt, 2);
      e->item_id = tt_sqlite_column_dup (stmt, 3);
      e->time = tt_sqlite_column_dup (stmt, 4);
      e->payload = tt_sqlite_column_dup (stmt, 5);
      e->prev_hash = tt_sqlite_column_dup (stmt, 6);
      e->hash = tt_sqlite_column_dup (stmt, 7);
      tt_event_state_from_string ((const char *) sqlite3_column_text (stmt, 8), &e->state);
      e->reason = tt_sqlite_column_dup (stmt, 9);
      g_ptr_array_add (events, e);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    {
      g_ptr_array_unref (events);
      set_sqlite_error (self, rc, "reading events", error);
      return NULL;
    }
  return events;
}

guint
tt_store_count_events (TtStore      *self,
                       TtEventState  state)
{
  g_return_val_if_fail (TT_IS_STORE (self), 0);
  return count (self, "SELECT count(*) FROM outbox WHERE state = ?",
                tt_event_state_to_string (state));
}

gboolean
tt_store_mark_acknowledged (TtStore            *self,
                            const char * const *uuids,
                            GError            **error)
{
  sqlite3_stmt *stmt = NULL;
  g_autofree char *now = NULL;
  int rc;

  g_return_val_if_fail (TT_IS_STORE (self), FALSE);

  if (uuids == NULL || uuids[0] == NULL)
    return TRUE;
  now = tt_event_time_now ();
  if (!exec (self, "BEGIN IMMEDIATE", "saving the server's acknowledgement", error))
    return FALSE;
  rc = sqlite3_prepare_v2 (self->db,
                           "UPDATE outbox SET state = 'acknowledged', reason = NULL,"
                           " acked_at = coalesce (acked_at, ?)"
                           " WHERE seq = (SELECT seq FROM events WHERE uuid = ?)",
                           -1, &stmt, NULL);
  for (guint i = 0; rc == SQLITE_OK && uuids[i]; i++)
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, now, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, uuids[i], -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
      if (rc == SQLITE_DONE)
        rc = SQLITE_OK;
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_OK || !exec (self, "COMMIT", "saving the server's acknowledgement", error))
    {
      rollback (self);
      if (rc != SQLITE_OK)
        set_sqlite_error (self, rc, "saving the server's acknowledgement", error);
      return FALSE;
    }
  g_signal_emit (self, signals[EVENTS_CHANGED], 0);
  return TRUE;
}

gboolean
tt_store_mark_quarantined (TtStore    *self,
                           const char *uuid,
                           const char *reason,
                           GError    **error)
{
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TT_IS_STORE (self), FALSE);
  g_return_val_if_fail (uuid != NULL, FALSE);

  rc = sqlite3_prepare_v2 (self->db,
                           "UPDATE outbox SET state = 'quarantined', reason = ?"
                           " WHERE seq = (SELECT seq FROM events WHERE uuid = ?)"
                           " AND state != 'acknowledged'",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, reason ? reason : "", -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 2, uuid, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE)
    return set_sqlite_error (self, rc, "setting an event aside", error);
  g_signal_emit (self, signals[EVENTS_CHANGED], 0);
  return TRUE;
}

gboolean
tt_store_purge (TtStore  *self,
                guint     days,
                GError  **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) cutoff = g_date_time_add_days (now, -(int) days);
  g_autofree char *limit = g_date_time_format (cutoff, "%Y-%m-%dT%H:%M:%S.%fZ");
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_return_val_if_fail (TT_IS_STORE (self), FALSE);

  if (!exec (self, "BEGIN IMMEDIATE", "clearing old records", error))
    return FALSE;
  /* Personal data goes with the item, but only once every event about it
   * was acknowledged long enough ago.  The chain itself is kept, so the
   * next event still links to the last one sent. */
  rc = sqlite3_prepare_v2 (self->db,
                           "DELETE FROM items WHERE status IN ('delivered', 'collected')"
                           " AND EXISTS (SELECT 1 FROM events e WHERE e.item_id = items.id)"
                           " AND NOT EXISTS (SELECT 1 FROM events e JOIN outbox o ON o.seq = e.seq"
                           "   WHERE e.item_id = items.id"
                           "   AND (o.state != 'acknowledged' OR o.acked_at > ?1))",
                           -1, &stmt, NULL);
  if (rc == SQLITE_OK)
    {
      sqlite3_bind_text (stmt, 1, limit, -1, SQLITE_STATIC);
      rc = sqlite3_step (stmt);
    }
  sqlite3_finalize (stmt);
  if (rc != SQLITE_DONE || !exec (self, "COMMIT", "clearing old records", error))
    {
      rollback (self);
      if (rc != SQLITE_DONE)
        set_sqlite_error (self, rc, "clearing old records", error);
      return FALSE;
    }
  g_signal_emit (self, signals[ROUTE_CHANGED], 0);
  return TRUE;
}

static void
tt_store_finalize (GObject *object)
{
  TtStore *self = TT_STORE (object);

  g_clear_pointer (&self->insert_event, sqlite3_finalize);
  g_clear_pointer (&self->insert_outbox, sqlite3_finalize);
  g_clear_pointer (&self->last_event, sqlite3_finalize);
  g_clear_pointer (&self->update_status, sqlite3_finalize);
  g_clear_pointer (&self->db, sqlite3_close);
  g_free (self->path);

  G_OBJECT_CLASS (tt_store_parent_class)->finalize (object);
}

static void
tt_store_class_init (TtStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = tt_store_finalize;

  /* The whole route was replaced. */
  signals[ROUTE_CHANGED] = g_signal_new ("route-changed", G_TYPE_FROM_CLASS (klass),
                                         G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                         G_TYPE_NONE, 0);
  /* One item's status changed: (item id, TtItemStatus, attempts). */
  signals[ITEM_CHANGED] = g_signal_new ("item-changed", G_TYPE_FROM_CLASS (klass),
                                        G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                        G_TYPE_NONE, 3, G_TYPE_STRING, G_TYPE_INT, G_TYPE_INT);
  /* An event was durably recorded. */
  signals[EVENT_ADDED] = g_signal_new ("event-added", G_TYPE_FROM_CLASS (klass),
                                       G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                       G_TYPE_NONE, 1, TT_TYPE_EVENT | G_SIGNAL_TYPE_STATIC_SCOPE);
  /* Outbox states changed (acknowledged or quarantined). */
  signals[EVENTS_CHANGED] = g_signal_new ("events-changed", G_TYPE_FROM_CLASS (klass),
                                          G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                                          G_TYPE_NONE, 0);
}

static void
tt_store_init (TtStore *self)
{
}
