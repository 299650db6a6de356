/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-pg-store-private.h"

/*
 * Everything a server keeps, in bulk (admin copy-to): read back table by
 * table in the order of each key, and written in with COPY inside one
 * transaction, into a database that must hold nothing yet. Sequence
 * numbers, versions, audit ids, token hashes and secrets arrive as they
 * were, so consoles carry on from their last seq.
 */

struct _SignpostPgImport
{
  SignpostPgStore *store;
  int copying;                  /* the table being copied in, or -1 */
  gint64 last_seq;
  GString *line;
  gboolean ended;
};

/* Streams the rows of @sql (no parameters) to @func, one at a time: a
 * hub's records need not fit in memory twice. */
static gboolean
export_query (SignpostPgStore      *self,
              const char           *sql,
              SignpostCopyTable     table,
              SignpostCopyRowFunc   func,
              gpointer              user_data,
              GError              **error)
{
  guint n = signpost_copy_table_n_columns (table);
  const char *values[SIGNPOST_COPY_MAX_COLUMNS];
  gboolean ok = TRUE;
  PGresult *result;

  if (!signpost_pg_store_flush (self, error))
    return FALSE;
  if (!signpost_pg_store_ready (self, error))
    return FALSE;
  if (!PQsendQuery (self->conn, sql) || !PQsetSingleRowMode (self->conn))
    {
      signpost_pg_store_set_error (self, NULL, error, "export");
      return FALSE;
    }
  while ((result = PQgetResult (self->conn)) != NULL)
    {
      ExecStatusType status = PQresultStatus (result);

      if (status == PGRES_SINGLE_TUPLE && ok)
        {
          g_assert ((guint) PQnfields (result) == n);
          for (guint i = 0; i < n; i++)
            values[i] = signpost_pg_text (result, 0, i);
          /* On failure, the rest is read and dropped: the connection
           * must be idle again before anything else is sent. */
          ok = func (table, values, user_data, error);
        }
      else if (status != PGRES_SINGLE_TUPLE && status != PGRES_TUPLES_OK && ok)
        {
          signpost_pg_store_set_error (self, result, error, "export");
          ok = FALSE;
        }
      PQclear (result);
      if (self->conn == NULL)
        return FALSE;
    }
  return ok;
}

/**
 * signpost_pg_store_export:
 *
 * Calls @func for every row of every table (signpost-store-copy.h), from
 * one snapshot: the open transaction's, or a read-only one of its own.
 */
gboolean
signpost_pg_store_export (SignpostPgStore      *self,
                          SignpostCopyRowFunc   func,
                          gpointer              user_data,
                          GError              **error)
{
  gboolean own = self->depth == 0;
  gboolean ok;

  g_return_val_if_fail (SIGNPOST_IS_PG_STORE (self), FALSE);

  if (own && !signpost_pg_exec (self, "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY", error))
    return FALSE;
  ok = export_query (self, "SELECT value FROM seq_counter WHERE id = 1",
                     SIGNPOST_COPY_SEQ_COUNTER, func, user_data, error) &&
       export_query (self,
                     "SELECT id, kind, practice_id, version, seq, updated_at, deleted::int, data,"
                     "  created_ms FROM records ORDER BY seq",
                     SIGNPOST_COPY_RECORDS, func, user_data, error) &&
       export_query (self, "SELECT mutation_id, user_id, result FROM mutations ORDER BY mutation_id",
                     SIGNPOST_COPY_MUTATIONS, func, user_data, error) &&
       export_query (self, "SELECT user_id, hash FROM credentials ORDER BY user_id",
                     SIGNPOST_COPY_CREDENTIALS, func, user_data, error) &&
       export_query (self,
                     "SELECT hash, user_id, role, expires_at, revoked::int FROM tokens ORDER BY hash",
                     SIGNPOST_COPY_TOKENS, func, user_data, error) &&
       export_query (self, "SELECT number, practice_id, secret FROM lines ORDER BY number",
                     SIGNPOST_COPY_LINES, func, user_data, error) &&
       export_query (self, "SELECT key, received_at FROM telephony_events ORDER BY key",
                     SIGNPOST_COPY_TELEPHONY_EVENTS, func, user_data, error) &&
       export_query (self, "SELECT key, at FROM login_failures ORDER BY key, at",
                     SIGNPOST_COPY_LOGIN_FAILURES, func, user_data, error) &&
       export_query (self,
                     "SELECT id, at, user_id, username, role, action, type, record_id, patient_id,"
                     "  client, detail FROM audit ORDER BY id",
                     SIGNPOST_COPY_AUDIT, func, user_data, error) &&
       export_query (self, "SELECT key, bucket, count, expires_at FROM counters ORDER BY key, bucket",
                     SIGNPOST_COPY_COUNTERS, func, user_data, error) &&
       export_query (self, "SELECT name, value FROM secrets ORDER BY name",
                     SIGNPOST_COPY_SECRETS, func, user_data, error) &&
       export_query (self, "SELECT name, practice_id, secret FROM intake_sources ORDER BY name",
                     SIGNPOST_COPY_INTAKE_SOURCES, func, user_data, error) &&
       export_query (self,
                     "SELECT user_id, practice_id FROM former_practices ORDER BY user_id, practice_id",
                     SIGNPOST_COPY_FORMER_PRACTICES, func, user_data, error);
  if (own && ok)
    ok = signpost_pg_exec (self, "COMMIT", error);
  else if (own)
    signpost_pg_exec (self, "ROLLBACK", NULL);
  return ok;
}

/* ---- import ------------------------------------------------------------ */

static const char *
copy_statement (SignpostCopyTable table)
{
  switch (table)
    {
    case SIGNPOST_COPY_RECORDS:
      return "COPY records (id, kind, practice_id, version, seq, updated_at, deleted, data,"
             "  created_ms, slot_id, patient_id, status, username, line, call_ref, state,"
             "  offered_ms, answered_ms, start_ms, date_of_birth, reference, source) FROM STDIN";
    case SIGNPOST_COPY_MUTATIONS:
      return "COPY mutations (mutation_id, user_id, result) FROM STDIN";
    case SIGNPOST_COPY_CREDENTIALS:
      return "COPY credentials (user_id, hash) FROM STDIN";
    case SIGNPOST_COPY_TOKENS:
      return "COPY tokens (hash, user_id, role, expires_at, revoked) FROM STDIN";
    case SIGNPOST_COPY_LINES:
      return "COPY lines (number, practice_id, secret) FROM STDIN";
    case SIGNPOST_COPY_TELEPHONY_EVENTS:
      return "COPY telephony_events (key, received_at) FROM STDIN";
    case SIGNPOST_COPY_LOGIN_FAILURES:
      return "COPY login_failures (key, at) FROM STDIN";
    case SIGNPOST_COPY_AUDIT:
      return "COPY audit (id, at, user_id, username, role, action, type, record_id, patient_id,"
             "  client, detail) FROM STDIN";
    case SIGNPOST_COPY_COUNTERS:
      return "COPY counters (key, bucket, count, expires_at) FROM STDIN";
    case SIGNPOST_COPY_SECRETS:
      return "COPY secrets (name, value) FROM STDIN";
    case SIGNPOST_COPY_INTAKE_SOURCES:
      return "COPY intake_sources (name, practice_id, secret) FROM STDIN";
    case SIGNPOST_COPY_FORMER_PRACTICES:
      return "COPY former_practices (user_id, practice_id) FROM STDIN";
    case SIGNPOST_COPY_SEQ_COUNTER:
    case SIGNPOST_COPY_N_TABLES:
    default:
      g_assert_not_reached ();
    }
}

/* One field of COPY's text format. */
static void
append_field (GString    *line,
              const char *value)
{
  if (line->len > 0 && line->str[line->len - 1] != '\n')
    g_string_append_c (line, '\t');
  if (value == NULL)
    {
      g_string_append (line, "\\N");
      return;
    }
  for (const char *c = value; *c != '\0'; c++)
    switch (*c)
      {
      case '\\':
        g_string_append (line, "\\\\");
        break;
      case '\t':
        g_string_append (line, "\\t");
        break;
      case '\n':
        g_string_append (line, "\\n");
        break;
      case '\r':
        g_string_append (line, "\\r");
        break;
      default:
        g_string_append_c (line, *c);
        break;
      }
}

static void
append_ms (GString *line,
           gint64   ms)
{
  char number[24];

  if (ms < 0)
    {
      append_field (line, NULL);
      return;
    }
  g_snprintf (number, sizeof number, "%" G_GINT64_FORMAT, ms);
  append_field (line, number);
}

static gboolean
end_copy (SignpostPgImport  *import,
          GError           **error)
{
  SignpostPgStore *self = import->store;
  gboolean ok = TRUE;
  PGresult *result;

  if (import->copying < 0)
    return TRUE;
  import->copying = -1;
  if (PQputCopyEnd (self->conn, NULL) != 1)
    {
      signpost_pg_store_set_error (self, NULL, error, "copy");
      return FALSE;
    }
  while (self->conn != NULL && (result = PQgetResult (self->conn)) != NULL)
    {
      if (PQresultStatus (result) != PGRES_COMMAND_OK && ok)
        {
          signpost_pg_store_set_error (self, result, error, "copy");
          ok = FALSE;
        }
      PQclear (result);
    }
  return ok;
}

static gboolean
start_copy (SignpostPgImport   *import,
            SignpostCopyTable   table,
            GError            **error)
{
  SignpostPgStore *self = import->store;
  g_autoptr(PGresult) result = NULL;

  if (!end_copy (import, error) ||
      !signpost_pg_store_flush (self, error) ||
      !signpost_pg_store_ready (self, error))
    return FALSE;
  /* The statements come from the table above: literals only. */
  result = PQexec (self->conn, copy_statement (table));
  if (result == NULL || PQresultStatus (result) != PGRES_COPY_IN)
    {
      signpost_pg_store_set_error (self, result, error, "copy");
      return FALSE;
    }
  import->copying = table;
  return TRUE;
}

/**
 * signpost_pg_store_import_begin:
 *
 * Opens the transaction a copy goes into, once sure the database holds
 * nothing yet.
 */
SignpostPgImport *
signpost_pg_store_import_begin (SignpostPgStore  *self,
                                GError          **error)
{
  g_autoptr(PGresult) result = NULL;
  SignpostPgImport *import;

  g_return_val_if_fail (SIGNPOST_IS_PG_STORE (self), NULL);

  if (!signpost_store_begin (SIGNPOST_STORE (self), error))
    return NULL;
  result = signpost_pg_run (self,
                            "SELECT (SELECT value FROM seq_counter WHERE id = 1)"
                            " + (SELECT count (*) FROM records) + (SELECT count (*) FROM mutations)"
                            " + (SELECT count (*) FROM credentials) + (SELECT count (*) FROM tokens)"
                            " + (SELECT count (*) FROM lines) + (SELECT count (*) FROM audit)"
                            " + (SELECT count (*) FROM telephony_events)"
                            " + (SELECT count (*) FROM login_failures)"
                            " + (SELECT count (*) FROM counters) + (SELECT count (*) FROM secrets)"
                            " + (SELECT count (*) FROM intake_sources)"
                            " + (SELECT count (*) FROM former_practices)",
                            error, "");
  if (result == NULL)
    {
      signpost_store_rollback (SIGNPOST_STORE (self));
      return NULL;
    }
  if (signpost_pg_int64 (result, 0, 0) != 0)
    {
      signpost_store_rollback (SIGNPOST_STORE (self));
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT,
                   _("The database at %s already holds data; copy into an empty one"),
                   self->location);
      return NULL;
    }
  /* The hub's running totals are built once, at the end. */
  if (!signpost_pg_exec (self, "SET LOCAL signpost.stats_paused = 'on'", error))
    {
      signpost_store_rollback (SIGNPOST_STORE (self));
      return NULL;
    }
  import = g_new0 (SignpostPgImport, 1);
  import->store = g_object_ref (self);
  import->copying = -1;
  import->line = g_string_sized_new (4096);
  return import;
}

gboolean
signpost_pg_import_row (SignpostPgImport    *import,
                        SignpostCopyTable    table,
                        const char * const  *values,
                        GError             **error)
{
  SignpostPgStore *self = import->store;
  guint n = signpost_copy_table_n_columns (table);

  g_return_val_if_fail (!import->ended, FALSE);

  if (table == SIGNPOST_COPY_SEQ_COUNTER)
    {
      import->last_seq = values[0] ? g_ascii_strtoll (values[0], NULL, 10) : 0;
      return TRUE;
    }
  if ((int) table != import->copying && !start_copy (import, table, error))
    return FALSE;

  g_string_truncate (import->line, 0);
  for (guint i = 0; i < n; i++)
    append_field (import->line, values[i]);
  if (table == SIGNPOST_COPY_RECORDS)
    {
      /* The columns the queries need, from the record's JSON, as
       * put_record() takes them. */
      const char *data = values[7];
      g_autoptr(JsonObject) object = NULL;
      SignpostPgRecordColumns columns;

      object = signpost_json_parse_object (data, strlen (data), G_MAXSIZE, error);
      if (object == NULL)
        {
          g_prefix_error (error, "record %s: ", values[0]);
          return FALSE;
        }
      signpost_pg_record_columns (object, &columns);
      append_field (import->line, columns.slot_id);
      append_field (import->line, columns.patient_id);
      append_field (import->line, columns.status);
      append_field (import->line, columns.username);
      append_field (import->line, columns.line);
      append_field (import->line, columns.call_ref);
      append_field (import->line, columns.state);
      append_ms (import->line, columns.offered_ms);
      append_ms (import->line, columns.answered_ms);
      append_ms (import->line, columns.start_ms);
      append_field (import->line, columns.date_of_birth);
      append_field (import->line, columns.reference);
      append_field (import->line, columns.source);
    }
  g_string_append_c (import->line, '\n');
  if (PQputCopyData (self->conn, import->line->str, import->line->len) != 1)
    {
      signpost_pg_store_set_error (self, NULL, error, "copy");
      return FALSE;
    }
  return TRUE;
}

/**
 * signpost_pg_import_end:
 *
 * Finishes the copying: the change counter and the audit log's numbering
 * carry on from where the source left them. The transaction is still
 * open: read it back with signpost_pg_store_export(), then commit or roll
 * back with signpost_store_commit() or signpost_store_rollback().
 */
gboolean
signpost_pg_import_end (SignpostPgImport  *import,
                        GError           **error)
{
  SignpostPgStore *self = import->store;
  g_autoptr(PGresult) result = NULL;

  g_return_val_if_fail (!import->ended, FALSE);

  import->ended = TRUE;
  if (!end_copy (import, error))
    return FALSE;
  if (!signpost_pg_exec (self, "SET LOCAL signpost.stats_paused = 'off'", error) ||
      !signpost_pg_exec (self, "SELECT signpost_stats_rebuild ()", error))
    return FALSE;
  result = signpost_pg_run (self,
                            "SELECT setval (pg_get_serial_sequence ('audit', 'id'),"
                            "  coalesce ((SELECT max (id) FROM audit), 1),"
                            "  (SELECT max (id) FROM audit) IS NOT NULL)",
                            error, "");
  if (result == NULL)
    return FALSE;
  g_clear_pointer (&result, PQclear);
  /* Now, to be read back before the commit (which stores it again). */
  result = signpost_pg_run (self, "UPDATE seq_counter SET value = $1 WHERE id = 1", error, "I",
                            import->last_seq);
  if (result == NULL)
    return FALSE;
  self->seq = import->last_seq;
  self->seq_known = TRUE;
  self->wrote_records = TRUE;
  return TRUE;
}

void
signpost_pg_import_free (SignpostPgImport *import)
{
  if (import == NULL)
    return;
  if (import->store->depth > 0)
    {
      GError *ignored = NULL;

      end_copy (import, &ignored);
      g_clear_error (&ignored);
    }
  g_object_unref (import->store);
  g_string_free (import->line, TRUE);
  g_free (import);
}
