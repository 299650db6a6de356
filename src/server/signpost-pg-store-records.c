/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-pg-store-private.h"

/* Records, the change feed, and the queries the HTTP layer makes of them. */

/* The feed is read in pages of its own, so that a caller who stops after
 * a thousand rows does not make the database send fifty thousand. */
#define FEED_FIRST_CHUNK 1000
#define FEED_MAX_CHUNK 10000

static const char *
member_string (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) ||
      json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gint64
member_ms (JsonObject *object,
           const char *name)
{
  const char *text = member_string (object, name);
  g_autoptr(GDateTime) instant = NULL;

  if (text == NULL)
    return -1;
  instant = signpost_timestamp_parse (text, NULL);
  if (instant == NULL)
    return -1;
  return g_date_time_to_unix (instant) * 1000 + g_date_time_get_microsecond (instant) / 1000;
}

/* What SQLite's json_extract() indexes reach, by the same names. The
 * strings are borrowed from @data. */
void
signpost_pg_record_columns (JsonObject              *data,
                            SignpostPgRecordColumns *columns)
{
  columns->slot_id = member_string (data, "slot_id");
  columns->patient_id = member_string (data, "patient_id");
  columns->status = member_string (data, "status");
  columns->username = member_string (data, "username");
  columns->line = member_string (data, "line");
  columns->call_ref = member_string (data, "call_ref");
  columns->state = member_string (data, "state");
  columns->offered_ms = member_ms (data, "offered_at");
  columns->answered_ms = member_ms (data, "answered_at");
  columns->start_ms = member_ms (data, "start");
  columns->date_of_birth = member_string (data, "date_of_birth");
  columns->reference = member_string (data, "reference");
  columns->source = member_string (data, "source");
}

static gpointer
record_from_value (const PGresult  *result,
                   int              row,
                   int              column,
                   GType            type,
                   GError         **error)
{
  const char *data = PQgetvalue (result, row, column);
  gsize length = PQgetlength (result, row, column);
  g_autoptr(GError) local_error = NULL;
  gpointer record;

  record = signpost_object_new_from_string (type, data, length, SIGNPOST_DECODE_FULL,
                                            &local_error);
  if (record == NULL)
    g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                 "stored record is unreadable: %s", local_error->message);
  return record;
}

/* Every row of @result, whose column 0 holds a record of @type. */
static GPtrArray *
collect_records (const PGresult  *result,
                 GType            type,
                 GError         **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  int rows = PQntuples (result);

  for (int row = 0; row < rows; row++)
    {
      gpointer record = record_from_value (result, row, 0, type, error);

      if (record == NULL)
        return NULL;
      g_ptr_array_add (records, record);
    }
  return g_steal_pointer (&records);
}

/* The first record of @result, or %NULL for none. */
static gpointer
first_record (const PGresult  *result,
              GType            type,
              GError         **error)
{
  if (result == NULL || PQntuples (result) == 0)
    return NULL;
  return record_from_value (result, 0, 0, type, error);
}

/* ---- records read in the open transaction ----------------------------- */

/*
 * The transaction holds the counter's lock (see signpost-pg-store.c), so no
 * other process changes a record until it ends: a record read or written
 * in it can be read again without asking the database (a batch reads its
 * practice once, not once per mutation). Forgotten when the transaction
 * ends, when it rolls back to a savepoint, and after a purge.
 */
typedef struct {
  gboolean found;
  char *data;
  gsize length;
  gboolean deleted;
  char *practice_id;
  gint64 version;
  char *updated_at;
  gint64 seq;
} CachedRow;

void
signpost_pg_cached_row_free (gpointer data)
{
  CachedRow *row = data;

  g_free (row->data);
  g_free (row->practice_id);
  g_free (row->updated_at);
  g_free (row);
}

void
signpost_pg_store_forget_reads (SignpostPgStore *self)
{
  g_hash_table_remove_all (self->read_cache);
}

static char *
cache_key (SignpostRecordKind  kind,
           const char         *id)
{
  return g_strconcat (signpost_record_kind_to_string (kind), "/", id, NULL);
}

static void
remember (SignpostPgStore    *self,
          SignpostRecordKind  kind,
          const char         *id,
          CachedRow          *row)
{
  if (self->depth > 0)
    g_hash_table_replace (self->read_cache, cache_key (kind, id), row);
  else
    signpost_pg_cached_row_free (row);
}

/* A record of @kind as stored; a purged practice's tombstone as its
 * metadata. */
static SignpostRecord *
record_from_row (SignpostRecordKind   kind,
                 const char          *id,
                 const CachedRow     *row,
                 gboolean            *deleted,
                 GError             **error)
{
  GType type = signpost_record_type_for_kind (kind);
  g_autoptr(GDateTime) updated_at = NULL;
  g_autoptr(GError) local_error = NULL;
  SignpostRecord *record;

  if (!row->found)
    return NULL;
  if (deleted != NULL)
    *deleted = row->deleted;
  record = signpost_object_new_from_string (type, row->data, row->length, SIGNPOST_DECODE_FULL,
                                            &local_error);
  if (record != NULL)
    return record;
  if (!row->deleted)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                   "stored record is unreadable: %s", local_error->message);
      return NULL;
    }
  /* A tombstone: what it still holds may be its metadata only. */
  record = g_object_new (type, NULL);
  updated_at = signpost_timestamp_parse (row->updated_at, NULL);
  signpost_record_set_id (record, id);
  signpost_record_set_practice_id (record, row->practice_id);
  signpost_record_set_version (record, row->version);
  signpost_record_set_updated_at (record, updated_at);
  signpost_record_set_seq (record, row->seq);
  return record;
}

static gint64
pg_get_last_seq (SignpostStore  *store,
                 GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  g_autoptr(PGresult) result = NULL;

  /* Inside a transaction: its own last number, as SQLite would say. */
  if (self->depth > 0)
    return signpost_pg_store_know_seq (self, error) ? self->seq : -1;
  /* Just after a commit, nothing sent since: read with the COMMIT. */
  if (self->head_known)
    {
      self->head_known = FALSE;
      return self->head;
    }
  result = signpost_pg_run (self, "SELECT value FROM seq_counter WHERE id = 1", error, "");
  if (result == NULL)
    return -1;
  if (PQntuples (result) != 1)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE, "the change counter is missing");
      return -1;
    }
  return signpost_pg_int64 (result, 0, 0);
}

static gboolean
pg_put_record (SignpostStore   *store,
               SignpostRecord  *record,
               gboolean         deleted,
               GError         **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(PGresult) result = NULL;
  g_autofree char *data = NULL;
  g_autofree char *updated_at = NULL;
  SignpostPgRecordColumns columns;
  GDateTime *created_at;
  gint64 seq;

  g_return_val_if_fail (self->depth > 0, FALSE);

  /* The counter's row is locked by this transaction (pg_begin()), which
   * stores the last number back when it commits. */
  if (!signpost_pg_store_know_seq (self, error))
    return FALSE;
  seq = self->seq + 1;
  signpost_record_set_seq (record, seq);
  node = signpost_object_to_json_node (SIGNPOST_OBJECT (record));
  data = signpost_json_to_string (node, NULL);
  signpost_pg_record_columns (json_node_get_object (node), &columns);
  updated_at = signpost_timestamp_format (signpost_record_get_updated_at (record));
  /* When the record was first stored (statistics count triage records by
   * it): a triage record says so itself when it comes from another server
   * in a practice bundle. Only an insert sets it. */
  if (SIGNPOST_IS_TRIAGE (record) && signpost_triage_get_created_at (SIGNPOST_TRIAGE (record)) != NULL)
    created_at = signpost_triage_get_created_at (SIGNPOST_TRIAGE (record));
  else
    created_at = signpost_record_get_updated_at (record);

  /* An upsert on the id only: any other uniqueness violation (a second
   * live appointment for a slot, a second user of one name) is an error,
   * and an id already used by another kind of record is left alone. */
  result = signpost_pg_run (self,
                            "INSERT INTO records (id, kind, practice_id, version, seq, updated_at,"
                            "  deleted, data, created_ms, slot_id, patient_id, status, username,"
                            "  line, call_ref, state, offered_ms, answered_ms, start_ms,"
                            "  date_of_birth, reference, source) "
                            "VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14,"
                            "  $15, $16, $17, $18, $19, $20, $21, $22) "
                            "ON CONFLICT (id) DO UPDATE SET "
                            "  practice_id = excluded.practice_id,"
                            "  version = excluded.version,"
                            "  seq = excluded.seq,"
                            "  updated_at = excluded.updated_at,"
                            "  deleted = excluded.deleted,"
                            "  data = excluded.data,"
                            "  slot_id = excluded.slot_id,"
                            "  patient_id = excluded.patient_id,"
                            "  status = excluded.status,"
                            "  username = excluded.username,"
                            "  line = excluded.line,"
                            "  call_ref = excluded.call_ref,"
                            "  state = excluded.state,"
                            "  offered_ms = excluded.offered_ms,"
                            "  answered_ms = excluded.answered_ms,"
                            "  start_ms = excluded.start_ms,"
                            "  date_of_birth = excluded.date_of_birth,"
                            "  reference = excluded.reference,"
                            "  source = excluded.source "
                            "WHERE records.kind = excluded.kind",
                            error, "sssIIsbsIsssssssmmmsss",
                            signpost_record_get_id (record),
                            signpost_record_kind_to_string (signpost_record_get_kind (record)),
                            signpost_record_get_practice_id (record),
                            signpost_record_get_version (record),
                            seq,
                            updated_at ? updated_at : "",
                            deleted,
                            data,
                            signpost_pg_instant_ms (created_at),
                            columns.slot_id,
                            columns.patient_id,
                            columns.status,
                            columns.username,
                            columns.line,
                            columns.call_ref,
                            columns.state,
                            columns.offered_ms,
                            columns.answered_ms,
                            columns.start_ms,
                            columns.date_of_birth,
                            columns.reference,
                            columns.source);
  if (result == NULL)
    return FALSE;
  /* As SQLite's counter, moved on whatever became of the row. */
  self->seq = seq;
  if (signpost_pg_changes (result) != 1)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT,
                   _("The id %s already belongs to another kind of record"),
                   signpost_record_get_id (record));
      return FALSE;
    }
  self->wrote_records = TRUE;
  {
    CachedRow *row = g_new0 (CachedRow, 1);

    /* Read back from here for the rest of the transaction. */
    row->found = TRUE;
    row->length = strlen (data);
    row->data = g_steal_pointer (&data);
    row->deleted = deleted;
    row->practice_id = g_strdup (signpost_record_get_practice_id (record));
    row->version = signpost_record_get_version (record);
    row->updated_at = g_steal_pointer (&updated_at);
    row->seq = seq;
    remember (self, signpost_record_get_kind (record), signpost_record_get_id (record), row);
  }
  return TRUE;
}

/* The records of a list or bundle import, a batch to a statement: one
 * round trip for a thousand rows rather than a thousand. */
#define PUT_BATCH 1000
#define N_RECORD_COLUMNS 22

static gboolean
put_batch (SignpostPgStore         *self,
           SignpostRecord * const  *records,
           guint                    n,
           GError                 **error)
{
  GString *arrays[N_RECORD_COLUMNS];
  g_autoptr(PGresult) result = NULL;
  gboolean ok;

  for (guint c = 0; c < N_RECORD_COLUMNS; c++)
    arrays[c] = g_string_new ("{");
  for (guint i = 0; i < n; i++)
    {
      SignpostRecord *record = records[i];
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *data = NULL;
      g_autofree char *updated_at = NULL;
      SignpostPgRecordColumns columns;
      GDateTime *created_at;

      signpost_record_set_seq (record, self->seq + 1 + i);
      node = signpost_object_to_json_node (SIGNPOST_OBJECT (record));
      data = signpost_json_to_string (node, NULL);
      signpost_pg_record_columns (json_node_get_object (node), &columns);
      updated_at = signpost_timestamp_format (signpost_record_get_updated_at (record));
      if (SIGNPOST_IS_TRIAGE (record) && signpost_triage_get_created_at (SIGNPOST_TRIAGE (record)) != NULL)
        created_at = signpost_triage_get_created_at (SIGNPOST_TRIAGE (record));
      else
        created_at = signpost_record_get_updated_at (record);

      signpost_pg_array_add_text (arrays[0], signpost_record_get_id (record));
      signpost_pg_array_add_text (arrays[1], signpost_record_kind_to_string (signpost_record_get_kind (record)));
      signpost_pg_array_add_text (arrays[2], signpost_record_get_practice_id (record));
      signpost_pg_array_add_int (arrays[3], signpost_record_get_version (record), FALSE);
      signpost_pg_array_add_int (arrays[4], self->seq + 1 + i, FALSE);
      signpost_pg_array_add_text (arrays[5], updated_at ? updated_at : "");
      signpost_pg_array_add_bool (arrays[6], FALSE);
      signpost_pg_array_add_text (arrays[7], data);
      signpost_pg_array_add_int (arrays[8], signpost_pg_instant_ms (created_at), FALSE);
      signpost_pg_array_add_text (arrays[9], columns.slot_id);
      signpost_pg_array_add_text (arrays[10], columns.patient_id);
      signpost_pg_array_add_text (arrays[11], columns.status);
      signpost_pg_array_add_text (arrays[12], columns.username);
      signpost_pg_array_add_text (arrays[13], columns.line);
      signpost_pg_array_add_text (arrays[14], columns.call_ref);
      signpost_pg_array_add_text (arrays[15], columns.state);
      signpost_pg_array_add_int (arrays[16], columns.offered_ms, TRUE);
      signpost_pg_array_add_int (arrays[17], columns.answered_ms, TRUE);
      signpost_pg_array_add_int (arrays[18], columns.start_ms, TRUE);
      signpost_pg_array_add_text (arrays[19], columns.date_of_birth);
      signpost_pg_array_add_text (arrays[20], columns.reference);
      signpost_pg_array_add_text (arrays[21], columns.source);
    }
  for (guint c = 0; c < N_RECORD_COLUMNS; c++)
    g_string_append_c (arrays[c], '}');

  /* As put_record's upsert, row by row. */
  result = signpost_pg_run (self,
                            "INSERT INTO records (id, kind, practice_id, version, seq, updated_at,"
                            "  deleted, data, created_ms, slot_id, patient_id, status, username,"
                            "  line, call_ref, state, offered_ms, answered_ms, start_ms,"
                            "  date_of_birth, reference, source) "
                            "SELECT * FROM unnest ($1::text[], $2::text[], $3::text[], $4::bigint[],"
                            "  $5::bigint[], $6::text[], $7::boolean[], $8::text[], $9::bigint[],"
                            "  $10::text[], $11::text[], $12::text[], $13::text[], $14::text[],"
                            "  $15::text[], $16::text[], $17::bigint[], $18::bigint[], $19::bigint[],"
                            "  $20::text[], $21::text[], $22::text[]) "
                            "ON CONFLICT (id) DO UPDATE SET "
                            "  practice_id = excluded.practice_id,"
                            "  version = excluded.version,"
                            "  seq = excluded.seq,"
                            "  updated_at = excluded.updated_at,"
                            "  deleted = excluded.deleted,"
                            "  data = excluded.data,"
                            "  slot_id = excluded.slot_id,"
                            "  patient_id = excluded.patient_id,"
                            "  status = excluded.status,"
                            "  username = excluded.username,"
                            "  line = excluded.line,"
                            "  call_ref = excluded.call_ref,"
                            "  state = excluded.state,"
                            "  offered_ms = excluded.offered_ms,"
                            "  answered_ms = excluded.answered_ms,"
                            "  start_ms = excluded.start_ms,"
                            "  date_of_birth = excluded.date_of_birth,"
                            "  reference = excluded.reference,"
                            "  source = excluded.source "
                            "WHERE records.kind = excluded.kind",
                            error, "ssssssssssssssssssssss",
                            arrays[0]->str, arrays[1]->str, arrays[2]->str, arrays[3]->str,
                            arrays[4]->str, arrays[5]->str, arrays[6]->str, arrays[7]->str,
                            arrays[8]->str, arrays[9]->str, arrays[10]->str, arrays[11]->str,
                            arrays[12]->str, arrays[13]->str, arrays[14]->str, arrays[15]->str,
                            arrays[16]->str, arrays[17]->str, arrays[18]->str, arrays[19]->str,
                            arrays[20]->str, arrays[21]->str);
  for (guint c = 0; c < N_RECORD_COLUMNS; c++)
    g_string_free (arrays[c], TRUE);
  if (result == NULL)
    return FALSE;
  self->seq += n;
  ok = signpost_pg_changes (result) == (gint64) n;
  if (!ok)
    g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT,
                         _("An id in the batch already belongs to another kind of record"));
  self->wrote_records = TRUE;
  /* What the transaction read of these before is no longer so. */
  if (g_hash_table_size (self->read_cache) > 0)
    for (guint i = 0; i < n; i++)
      {
        g_autofree char *key = cache_key (signpost_record_get_kind (records[i]),
                                          signpost_record_get_id (records[i]));

        g_hash_table_remove (self->read_cache, key);
      }
  return ok;
}

static gboolean
pg_put_records (SignpostStore           *store,
                SignpostRecord * const  *records,
                guint                    n_records,
                GError                 **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);

  g_return_val_if_fail (self->depth > 0, FALSE);

  /* The counter's row is locked by this transaction, as for put_record. */
  if (!signpost_pg_store_know_seq (self, error))
    return FALSE;
  for (guint start = 0; start < n_records; start += PUT_BATCH)
    if (!put_batch (self, records + start, MIN (PUT_BATCH, n_records - start), error))
      return FALSE;
  return TRUE;
}

static SignpostRecord *
pg_get_record (SignpostStore       *store,
               SignpostRecordKind   kind,
               const char          *id,
               gboolean            *deleted,
               GError             **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  g_autoptr(PGresult) result = NULL;
  SignpostRecord *record;
  CachedRow *row;

  if (deleted != NULL)
    *deleted = FALSE;
  if (self->depth > 0)
    {
      g_autofree char *key = cache_key (kind, id);

      row = g_hash_table_lookup (self->read_cache, key);
      if (row != NULL)
        return record_from_row (kind, id, row, deleted, error);
    }
  result = signpost_pg_run (self,
                            "SELECT data, deleted, practice_id, version, updated_at, seq "
                            "FROM records WHERE id = $1 AND kind = $2",
                            error, "ss", id, signpost_record_kind_to_string (kind));
  if (result == NULL)
    return NULL;
  row = g_new0 (CachedRow, 1);
  if (PQntuples (result) > 0)
    {
      row->found = TRUE;
      row->length = PQgetlength (result, 0, 0);
      row->data = g_strndup (PQgetvalue (result, 0, 0), row->length);
      row->deleted = signpost_pg_bool (result, 0, 1);
      row->practice_id = g_strdup (PQgetvalue (result, 0, 2));
      row->version = signpost_pg_int64 (result, 0, 3);
      row->updated_at = g_strdup (PQgetvalue (result, 0, 4));
      row->seq = signpost_pg_int64 (result, 0, 5);
    }
  record = record_from_row (kind, id, row, deleted, error);
  remember (self, kind, id, row);
  return record;
}

static GPtrArray *
pg_list_records (SignpostStore       *store,
                 SignpostRecordKind   kind,
                 const char          *practice_id,
                 GError             **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  const char *kind_name = signpost_record_kind_to_string (kind);
  g_autoptr(PGresult) result = NULL;

  if (practice_id == NULL)
    result = signpost_pg_run (self,
                              "SELECT data FROM records WHERE kind = $1 AND NOT deleted "
                              "ORDER BY seq",
                              error, "s", kind_name);
  else
    result = signpost_pg_run (self,
                              "SELECT data FROM records "
                              "WHERE kind = $1 AND practice_id = $2 AND NOT deleted ORDER BY seq",
                              error, "ss", kind_name, practice_id);
  if (result == NULL)
    return NULL;
  return collect_records (result, signpost_record_type_for_kind (kind), error);
}

/* What a feed reads, a page at a time: the whole feed, or one reader's. */
typedef struct {
  const char *sql;                  /* $1 after, $2 rows, then $3 @practices */
  const char *practices;            /* a text[] literal, or NULL: no $3 */
  gboolean planned;                 /* planned with its values each time */
} FeedQuery;

static PGresult *
feed_page (SignpostPgStore  *self,
           const FeedQuery  *query,
           gint64            after,
           int               rows,
           GError          **error)
{
  if (query->practices == NULL && !query->planned)
    return signpost_pg_run_literal_ (self, query->sql, error, "Ii", after, rows);
  if (query->practices == NULL)
    return signpost_pg_run_planned_ (self, query->sql, error, "Ii", after, rows);
  return signpost_pg_run_planned_ (self, query->sql, error, "Iis", after, rows, query->practices);
}

static gboolean
read_feed (SignpostPgStore           *self,
           const FeedQuery           *query,
           gint64                     since,
           guint                      max_rows,
           SignpostStoredChangeFunc   func,
           gpointer                   user_data,
           GError                   **error)
{
  guint chunk = FEED_FIRST_CHUNK;
  guint left = max_rows;
  gint64 after = since;

  /* Each page sees at least what the one before it saw (see the top of
   * signpost-pg-store.c): reading on from the last seq leaves no hole. */
  while (left > 0)
    {
      g_autoptr(PGresult) result = NULL;
      guint want = MIN (chunk, left);
      int rows;

      result = feed_page (self, query, after, (int) want, error);
      if (result == NULL)
        return FALSE;
      rows = PQntuples (result);
      for (int row = 0; row < rows; row++)
        {
          SignpostStoredChange change;
          SignpostRecordKind kind;

          after = signpost_pg_int64 (result, row, 0);
          if (!signpost_record_kind_from_string (PQgetvalue (result, row, 1), &kind))
            continue;
          change.seq = after;
          change.kind = kind;
          change.id = PQgetvalue (result, row, 2);
          change.practice_id = PQgetvalue (result, row, 3);
          change.version = signpost_pg_int64 (result, row, 4);
          change.deleted = signpost_pg_bool (result, row, 5);
          change.data = PQgetvalue (result, row, 6);
          change.data_length = PQgetlength (result, row, 6);
          if (!func (&change, user_data))
            return TRUE;
        }
      if ((guint) rows < want)
        break;
      left -= rows;
      chunk = MIN (chunk * 4, FEED_MAX_CHUNK);
    }
  return TRUE;
}

static gboolean
pg_foreach_change (SignpostStore             *store,
                   gint64                     since,
                   guint                      max_rows,
                   SignpostStoredChangeFunc   func,
                   gpointer                   user_data,
                   GError                   **error)
{
  static const FeedQuery whole = {
    "SELECT seq, kind, id, practice_id, version, deleted, data "
    "FROM records WHERE seq > $1 ORDER BY seq LIMIT $2",
    NULL, FALSE
  };

  return read_feed (SIGNPOST_PG_STORE (store), &whole, since, max_rows, func, user_data, error);
}

/* @items as a text[] literal: each element quoted, so that nothing in it
 * is taken for syntax. */
char *
signpost_pg_text_array (const char * const *items)
{
  GString *out = g_string_new ("{");

  for (guint i = 0; items[i] != NULL; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_c (out, '"');
      for (const char *c = items[i]; *c != '\0'; c++)
        {
          if (*c == '"' || *c == '\\')
            g_string_append_c (out, '\\');
          g_string_append_c (out, *c);
        }
      g_string_append_c (out, '"');
    }
  g_string_append_c (out, '}');
  return g_string_free (out, FALSE);
}

/*
 * One reader's feed: a branch per practice, read from records_practice_seq,
 * and one per kind followed everywhere, from records_kind_seq, each
 * limited to the page, then put in seq order. A page thus reads at most
 * its size from each branch, whatever else the database holds.
 *
 * Each branch names its practice (or kind) as a range of one value and is
 * ordered by (practice_id, seq), an order only its own index gives. Asked
 * for "practice_id = X ORDER BY seq LIMIT n", the planner walked the whole
 * table in seq order (records_seq_key) for the last pages of the demo's
 * first practice, betting that its rows were spread evenly when they had
 * come in one block (bench-server-region.c: 0.5 s a page among 30 others).
 * The kinds are written in (names of our own);
 * the practices travel as one text[] parameter. It is planned with its
 * values each time, never prepared: a generic plan, knowing neither the
 * practice nor the limit, would make the same bet.
 */
const char *
signpost_pg_store_feed_sql (guint               n_practices,
                            const char * const *kinds)
{
  g_autoptr(GString) sql = g_string_new ("SELECT seq, kind, id, practice_id, version, deleted, data "
                                         "FROM (");
  g_autoptr(GString) elsewhere = g_string_new (NULL);
  guint n_kinds = kinds != NULL ? g_strv_length ((char **) kinds) : 0;
  guint branches = 0;

  for (guint k = 0; k < n_kinds; k++)
    {
      for (const char *c = kinds[k]; *c != '\0'; c++)
        g_return_val_if_fail (g_ascii_islower (*c) || *c == '_', NULL);
      g_string_append_printf (elsewhere, "%s'%s'", k > 0 ? ", " : " AND kind NOT IN (", kinds[k]);
    }
  if (n_kinds > 0)
    g_string_append_c (elsewhere, ')');
  for (guint i = 1; i <= n_practices; i++)
    g_string_append_printf (sql,
                            "%s(SELECT seq, kind, id, practice_id, version, deleted, data "
                            "FROM records WHERE practice_id >= ($3::text[])[%u] "
                            "AND practice_id <= ($3::text[])[%u] AND seq > $1%s "
                            "ORDER BY practice_id, seq LIMIT $2)",
                            branches++ > 0 ? " UNION ALL " : "", i, i, elsewhere->str);
  for (guint k = 0; k < n_kinds; k++)
    g_string_append_printf (sql,
                            "%s(SELECT seq, kind, id, practice_id, version, deleted, data "
                            "FROM records WHERE kind >= '%s' AND kind <= '%s' AND seq > $1 "
                            "ORDER BY kind, seq LIMIT $2)",
                            branches++ > 0 ? " UNION ALL " : "", kinds[k], kinds[k]);
  g_string_append (sql, ") feed ORDER BY seq LIMIT $2");
  /* One copy of each shape, for the life of the process. */
  return g_intern_string (sql->str);
}

static gboolean
pg_foreach_change_in (SignpostStore             *store,
                      gint64                     since,
                      const char * const        *practice_ids,
                      guint                      everywhere,
                      guint                      max_rows,
                      SignpostStoredChangeFunc   func,
                      gpointer                   user_data,
                      GError                   **error)
{
  g_autoptr(GPtrArray) kinds = g_ptr_array_new ();
  g_autofree char *practices = NULL;
  guint n_practices = practice_ids != NULL ? g_strv_length ((char **) practice_ids) : 0;
  FeedQuery query;

  for (guint kind = 0; kind < 32; kind++)
    if ((everywhere & (1u << kind)) != 0 && signpost_record_kind_to_string (kind) != NULL)
      g_ptr_array_add (kinds, (gpointer) signpost_record_kind_to_string (kind));
  if (n_practices == 0 && kinds->len == 0)
    return TRUE;
  g_ptr_array_add (kinds, NULL);
  /* Without practices, the text has no $3. */
  if (n_practices > 0)
    practices = signpost_pg_text_array (practice_ids);
  query.sql = signpost_pg_store_feed_sql (n_practices, (const char * const *) kinds->pdata);
  query.practices = practices;
  query.planned = TRUE;
  return read_feed (SIGNPOST_PG_STORE (store), &query, since, max_rows, func, user_data, error);
}

static gboolean
pg_foreach_patient (SignpostStore              *store,
                    const char                 *practice_id,
                    SignpostStoredPatientFunc   func,
                    gpointer                    user_data,
                    GError                    **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  const char *values[1] = { practice_id };
  gboolean keep = TRUE;
  gboolean ok = TRUE;
  PGresult *result;

  /* Whatever waits to be sent (a transaction's BEGIN) goes first. */
  if (!signpost_pg_store_flush (self, error) || !signpost_pg_store_ready (self, error))
    return FALSE;
  self->head_known = FALSE;
  /* One query, its rows handed over one at a time as they come (a
   * 100,000-patient list is never held whole), in no order: sorting a
   * list to compare it is the importer's business, and would cost a sort
   * of every record's data here. The fields that identify a patient are
   * read from the data here rather than by the server: parsing 100,000
   * records as JSON there takes several times as long as sending them. */
  if (!PQsendQueryParams (self->conn,
                          "SELECT id, version, date_of_birth, data FROM records "
                          "WHERE kind = 'patient' AND practice_id = $1 AND NOT deleted",
                          1, NULL, values, NULL, NULL, 0) ||
      !PQsetSingleRowMode (self->conn))
    {
      signpost_pg_store_set_error (self, NULL, error, "query");
      return FALSE;
    }
  while ((result = PQgetResult (self->conn)) != NULL)
    {
      ExecStatusType status = PQresultStatus (result);

      if (status == PGRES_SINGLE_TUPLE && ok && keep)
        {
          const char *data = PQgetvalue (result, 0, 3);
          gsize length = PQgetlength (result, 0, 3);
          g_autofree char *ref = NULL, *nhs = NULL, *family = NULL, *given = NULL;
          g_autofree char *temporary = NULL;
          gboolean left_null = TRUE;
          SignpostStoredPatient patient = {
            .id = PQgetvalue (result, 0, 0),
            .version = signpost_pg_int64 (result, 0, 1),
            .date_of_birth = signpost_pg_text (result, 0, 2),
            .data = data,
            .data_length = length,
          };

          signpost_json_canonical_member (data, length, "patient_ref", &ref, NULL);
          signpost_json_canonical_member (data, length, "nhs_number", &nhs, NULL);
          signpost_json_canonical_member (data, length, "family_name", &family, NULL);
          signpost_json_canonical_member (data, length, "given_name", &given, NULL);
          signpost_json_canonical_member (data, length, "temporary", &temporary, NULL);
          if (!signpost_json_canonical_member (data, length, "left_at", NULL, &left_null))
            left_null = TRUE;
          patient.patient_ref = ref;
          patient.nhs_number = nhs;
          patient.family_name = family;
          patient.given_name = given;
          patient.left = !left_null;
          patient.temporary = g_strcmp0 (temporary, "true") == 0;
          /* After the last wanted row the rest is read and dropped: the
           * connection must be idle before anything else is sent. */
          keep = func (&patient, user_data);
        }
      else if (status != PGRES_SINGLE_TUPLE && status != PGRES_TUPLES_OK && ok)
        {
          signpost_pg_store_set_error (self, result, error, "query");
          ok = FALSE;
        }
      PQclear (result);
      if (self->conn == NULL)
        return FALSE;
    }
  signpost_pg_store_notice_notifies (self);
  return ok;
}

static SignpostUser *
pg_find_user (SignpostStore  *store,
              const char     *username,
              GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  g_autoptr(PGresult) result = NULL;

  result = signpost_pg_run (self,
                            "SELECT data FROM records WHERE kind = 'user' AND NOT deleted "
                            "AND username = $1",
                            error, "s", username);
  return first_record (result, SIGNPOST_TYPE_USER, error);
}

static SignpostAppointment *
pg_find_live_appointment (SignpostStore  *store,
                          const char     *slot_id,
                          GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  g_autoptr(PGresult) result = NULL;

  result = signpost_pg_run (self,
                            "SELECT data FROM records WHERE kind = 'appointment' AND NOT deleted "
                            "AND status <> 'cancelled' AND slot_id = $1",
                            error, "s", slot_id);
  return first_record (result, SIGNPOST_TYPE_APPOINTMENT, error);
}

static gboolean
pg_patient_booked_between (SignpostStore  *store,
                           const char     *patient_id,
                           GDateTime      *from,
                           GDateTime      *to,
                           gboolean       *booked,
                           GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  g_autoptr(PGresult) result = NULL;

  *booked = FALSE;
  result = signpost_pg_run (self,
                            "SELECT 1 FROM records a JOIN records s ON s.id = a.slot_id "
                            "WHERE a.kind = 'appointment' AND NOT a.deleted "
                            "AND a.patient_id = $1 AND a.status <> 'cancelled' "
                            "AND s.start_ms >= $2 AND s.start_ms < $3 LIMIT 1",
                            error, "sII", patient_id, signpost_pg_instant_ms (from),
                            signpost_pg_instant_ms (to));
  if (result == NULL)
    return FALSE;
  *booked = PQntuples (result) > 0;
  return TRUE;
}

static SignpostCall *
pg_find_call (SignpostStore  *store,
              const char     *line,
              const char     *call_ref,
              GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  g_autoptr(PGresult) result = NULL;

  result = signpost_pg_run (self,
                            "SELECT data FROM records WHERE kind = 'call' "
                            "AND line = $1 AND call_ref = $2",
                            error, "ss", line, call_ref);
  return first_record (result, SIGNPOST_TYPE_CALL, error);
}

static GPtrArray *
pg_list_queue (SignpostStore  *store,
               const char     *practice_id,
               GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  g_autoptr(PGresult) result = NULL;

  result = signpost_pg_run (self,
                            "SELECT data FROM records WHERE kind = 'call' "
                            "AND practice_id = $1 AND NOT deleted "
                            "AND state IN ('queued', 'callback_requested') "
                            "ORDER BY offered_ms, call_ref",
                            error, "s", practice_id);
  if (result == NULL)
    return NULL;
  return collect_records (result, SIGNPOST_TYPE_CALL, error);
}

static gboolean
pg_count_queue_before (SignpostStore  *store,
                       const char     *practice_id,
                       GDateTime      *offered_at,
                       const char     *call_ref,
                       gint64         *count,
                       GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  g_autoptr(PGresult) result = NULL;

  /* A range of records_call_queue, which holds the waiting calls only. */
  *count = 0;
  result = signpost_pg_run (self,
                            "SELECT count (*) FROM records WHERE kind = 'call' AND NOT deleted "
                            "AND state IN ('queued', 'callback_requested') "
                            "AND practice_id = $1 AND (offered_ms, call_ref) < ($2::bigint, $3::text)",
                            error, "sIs", practice_id, signpost_pg_instant_ms (offered_at),
                            call_ref);
  if (result == NULL)
    return FALSE;
  *count = signpost_pg_int64 (result, 0, 0);
  return TRUE;
}

static gboolean
pg_count_calls (SignpostStore  *store,
                const char     *practice_id,
                GDateTime      *answered_since,
                gint64         *answered,
                gint64         *on_calls,
                GError        **error)
{
  SignpostPgStore *self = SIGNPOST_PG_STORE (store);
  g_autoptr(PGresult) result = NULL;

  *answered = 0;
  *on_calls = 0;
  result = signpost_pg_run (self,
                            "SELECT (SELECT count (*) FROM records WHERE kind = 'call' "
                            "        AND practice_id = $1 AND NOT deleted "
                            "        AND answered_ms IS NOT NULL AND answered_ms >= $2),"
                            "       (SELECT count (*) FROM records WHERE kind = 'call' "
                            "        AND practice_id = $1 AND NOT deleted AND state = 'answered')",
                            error, "sI", practice_id, signpost_pg_instant_ms (answered_since));
  if (result == NULL)
    return FALSE;
  *answered = signpost_pg_int64 (result, 0, 0);
  *on_calls = signpost_pg_int64 (result, 0, 1);
  return TRUE;
}

void
signpost_pg_store_init_records (SignpostStoreInterface *iface)
{
  iface->get_last_seq = pg_get_last_seq;
  iface->put_record = pg_put_record;
  iface->get_record = pg_get_record;
  iface->list_records = pg_list_records;
  iface->foreach_change = pg_foreach_change;
  iface->foreach_change_in = pg_foreach_change_in;
  iface->foreach_patient = pg_foreach_patient;
  iface->put_records = pg_put_records;
  iface->find_user = pg_find_user;
  iface->find_live_appointment = pg_find_live_appointment;
  iface->patient_booked_between = pg_patient_booked_between;
  iface->find_call = pg_find_call;
  iface->list_queue = pg_list_queue;
  iface->count_queue_before = pg_count_queue_before;
  iface->count_calls = pg_count_calls;
}
