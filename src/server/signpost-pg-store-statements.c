/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-pg-store-private.h"

/* ---- statements -------------------------------------------------------- */

/*
 * A statement waiting to be sent: inside a transaction, those whose answer
 * nobody waits for (SAVEPOINT, RELEASE, a mutation's result, an audit
 * event) go with the next statement that is waited for, in one pipeline,
 * one round trip. Their failure is that statement's failure, and leaves
 * the transaction to be rolled back, so nothing of it is acknowledged.
 */

void
signpost_pg_pending_free (gpointer data)
{
  SignpostPgPending *pending = data;

  for (int i = 0; i < pending->n_values; i++)
    g_free (pending->values[i]);
  g_free (pending->values);
  g_free (pending);
}

#define MAX_PARAMS 24

/* @values from @types and @args (see signpost_pg_run_literal_()). */
static int
collect_values (const char *types,
                va_list     args,
                char      **values)
{
  int n = 0;

  for (const char *t = types; *t != '\0'; t++, n++)
    {
      g_assert (n < MAX_PARAMS);
      switch (*t)
        {
        case 's':
          values[n] = g_strdup (va_arg (args, const char *));
          break;
        case 'i':
          values[n] = g_strdup_printf ("%d", va_arg (args, int));
          break;
        case 'I':
          values[n] = g_strdup_printf ("%" G_GINT64_FORMAT, va_arg (args, gint64));
          break;
        case 'm':
          {
            gint64 value = va_arg (args, gint64);

            values[n] = value < 0 ? NULL : g_strdup_printf ("%" G_GINT64_FORMAT, value);
          }
          break;
        case 'b':
          values[n] = g_strdup (va_arg (args, gboolean) ? "t" : "f");
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return n;
}

static char *
statement_name (guint number)
{
  return g_strdup_printf ("signpost_%u", number);
}

/* Sends @pending into the pipeline (preparing it first if this connection
 * has not); returns how many results it will give. */
static guint
send_pending (SignpostPgStore *self,
              SignpostPgPending         *pending)
{
  g_autofree char *name = NULL;
  gpointer number;
  guint results = 0;

  if (!pending->prepared)
    {
      PQsendQueryParams (self->conn, pending->sql, 0, NULL, NULL, NULL, NULL, 0);
      return 1;
    }
  if (!g_hash_table_lookup_extended (self->statements, pending->sql, NULL, &number))
    {
      /* Counted as prepared at once, so that the same statement later in
       * this pipeline is not prepared twice; forgotten again if it fails. */
      number = GUINT_TO_POINTER (++self->n_statements);
      g_hash_table_insert (self->statements, (gpointer) pending->sql, number);
      name = statement_name (GPOINTER_TO_UINT (number));
      PQsendPrepare (self->conn, name, pending->sql, 0, NULL);
      results++;
    }
  else
    name = statement_name (GPOINTER_TO_UINT (number));
  PQsendQueryPrepared (self->conn, name, pending->n_values,
                       (const char * const *) pending->values, NULL, NULL, 0);
  return results + 1;
}

/*
 * Sends every pending statement in one pipeline and reads their answers.
 * Returns the result of the last, or %NULL with @error set by the first
 * that failed (those after it were not run).
 */
PGresult *
signpost_pg_store_flush_pending (SignpostPgStore  *self,
                                 GError          **error)
{
  g_autoptr(GPtrArray) pending = g_steal_pointer (&self->pending);
  g_autoptr(GArray) expected = g_array_new (FALSE, FALSE, sizeof (guint));
  PGresult *last = NULL;
  gboolean failed = FALSE;
  PGresult *result;

  self->pending = g_ptr_array_new_with_free_func (signpost_pg_pending_free);
  self->head_known = FALSE;
  if (!signpost_pg_store_ready (self, error))
    return NULL;
  if (!PQenterPipelineMode (self->conn))
    {
      signpost_pg_store_set_error (self, NULL, error, "pipeline");
      return NULL;
    }
  for (guint i = 0; i < pending->len; i++)
    {
      SignpostPgPending *item = g_ptr_array_index (pending, i);
      guint n = send_pending (self, item);

      if (item->begins)
        self->transaction_sent = TRUE;
      g_array_append_val (expected, n);
    }
  if (!PQpipelineSync (self->conn))
    {
      signpost_pg_store_set_error (self, NULL, error, "pipeline");
      return NULL;
    }

  for (guint i = 0; i < pending->len && self->conn != NULL; i++)
    {
      SignpostPgPending *item = g_ptr_array_index (pending, i);

      for (guint r = 0; r < g_array_index (expected, guint, i) && self->conn != NULL; r++)
        {
          ExecStatusType status;
          gboolean is_prepare = item->prepared && r + 1 < g_array_index (expected, guint, i);

          result = PQgetResult (self->conn);
          status = result ? PQresultStatus (result) : PGRES_FATAL_ERROR;
          if (!is_prepare && item->capture != NULL && status == PGRES_TUPLES_OK &&
              PQntuples (result) == 0 && !failed)
            {
              failed = TRUE;
              g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                           "the change counter is missing");
            }
          else if (status == PGRES_COMMAND_OK || status == PGRES_TUPLES_OK)
            {
              if (!is_prepare && item->capture != NULL)
                *item->capture = signpost_pg_int64 (result, 0, 0);
              if (!is_prepare && item->keep != NULL)
                *item->keep = g_steal_pointer (&result);
              else if (!is_prepare && i + 1 == pending->len)
                last = g_steal_pointer (&result);
            }
          else if (!failed)
            {
              failed = TRUE;
              if (is_prepare)
                g_hash_table_remove (self->statements, item->sql);
              signpost_pg_store_set_error (self, result, error, "query");
            }
          else if (is_prepare)
            g_hash_table_remove (self->statements, item->sql);
          g_clear_pointer (&result, PQclear);
          /* Each answer, even an aborted one, ends with a NULL. */
          if (self->conn != NULL)
            while ((result = PQgetResult (self->conn)) != NULL)
              PQclear (result);
        }
    }
  if (self->conn != NULL)
    {
      /* The sync's own answer, then out of pipeline mode. */
      while ((result = PQgetResult (self->conn)) != NULL)
        {
          ExecStatusType status = PQresultStatus (result);

          PQclear (result);
          if (status == PGRES_PIPELINE_SYNC)
            break;
        }
      PQexitPipelineMode (self->conn);
      signpost_pg_store_notice_notifies (self);
    }
  /* The lock's answer: where this transaction's numbers start. */
  if (self->depth > 0 && !self->seq_known && self->start_seq >= 0)
    {
      self->seq = self->start_seq;
      self->seq_known = TRUE;
    }
  if (failed || self->conn == NULL)
    {
      if (!failed)
        g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAVAILABLE,
                     _("The database cannot be reached just now; try again shortly"));
      g_clear_pointer (&last, PQclear);
      return NULL;
    }
  return last;
}

/* Queues a parameterless command (SAVEPOINT, RELEASE) to go with the next
 * statement. */
void
signpost_pg_defer_command_literal_ (SignpostPgStore *self,
                                    const char      *sql)
{
  SignpostPgPending *pending = g_new0 (SignpostPgPending, 1);

  g_return_if_fail (self->depth > 0);

  pending->sql = sql;
  g_ptr_array_add (self->pending, pending);
}

/**
 * signpost_pg_defer_literal_:
 *
 * As signpost_pg_run_literal_() for a statement whose answer is not
 * needed: inside a transaction it goes with the next statement that is
 * waited for (and any failure is reported by that one); outside, it runs
 * at once.
 */
gboolean
signpost_pg_defer_literal_ (SignpostPgStore  *self,
                            const char       *sql,
                            GError          **error,
                            const char       *types,
                            ...)
{
  char *values[MAX_PARAMS];
  SignpostPgPending *pending;
  va_list args;
  int n;

  va_start (args, types);
  n = collect_values (types, args, values);
  va_end (args);
  pending = g_new0 (SignpostPgPending, 1);
  pending->sql = sql;
  pending->prepared = TRUE;
  pending->n_values = n;
  pending->values = g_memdup2 (values, sizeof (char *) * MAX (n, 1));
  g_ptr_array_add (self->pending, pending);
  if (self->depth > 0)
    return TRUE;
  {
    g_autoptr(PGresult) result = signpost_pg_store_flush_pending (self, error);

    return result != NULL;
  }
}

/* Runs @sql (one or more statements, no parameters) as a simple query,
 * after whatever is pending. */
gboolean
signpost_pg_exec_literal_ (SignpostPgStore  *self,
                           const char       *sql,
                           GError          **error)
{
  g_autoptr(PGresult) result = NULL;
  ExecStatusType status;

  self->head_known = FALSE;
  if (self->pending->len > 0)
    {
      g_autoptr(PGresult) flushed = signpost_pg_store_flush_pending (self, error);

      if (flushed == NULL)
        return FALSE;
    }
  if (!signpost_pg_store_ready (self, error))
    return FALSE;
  result = PQexec (self->conn, sql);
  status = result ? PQresultStatus (result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      signpost_pg_store_set_error (self, result, error, "exec");
      return FALSE;
    }
  signpost_pg_store_notice_notifies (self);
  return TRUE;
}

/* Sends whatever is pending now (before a COPY, say). */
gboolean
signpost_pg_store_flush (SignpostPgStore  *self,
                         GError          **error)
{
  g_autoptr(PGresult) result = NULL;

  if (self->pending->len == 0)
    return TRUE;
  result = signpost_pg_store_flush_pending (self, error);
  return result != NULL;
}

/* Makes sure the open transaction knows its sequence numbers (its lock
 * may not have been sent yet). */
gboolean
signpost_pg_store_know_seq (SignpostPgStore  *self,
                            GError          **error)
{
  if (self->seq_known)
    return TRUE;
  if (!signpost_pg_store_flush (self, error))
    return FALSE;
  if (!self->seq_known)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE, "the transaction holds no lock");
      return FALSE;
    }
  return TRUE;
}

/* Forgets what is pending: the transaction is being rolled back. */
void
signpost_pg_store_drop_pending (SignpostPgStore *self)
{
  g_ptr_array_set_size (self->pending, 0);
}

/*
 * Prepares @sql once per connection (it is a literal, so its address names
 * it), binds the values and runs it, with whatever is pending before it.
 * @types has one letter per parameter:
 *   s  const char *  (NULL binds NULL)
 *   i  int
 *   I  gint64
 *   m  gint64, NULL when negative (instants in milliseconds)
 *   b  gboolean
 * Returns the result (command or rows), or %NULL with @error set.
 */
PGresult *
signpost_pg_run_literal_ (SignpostPgStore  *self,
                          const char       *sql,
                          GError          **error,
                          const char       *types,
                          ...)
{
  char *values[MAX_PARAMS];
  g_autofree char *name = NULL;
  PGresult *result;
  ExecStatusType status;
  gpointer number;
  va_list args;
  int n;

  va_start (args, types);
  n = collect_values (types, args, values);
  va_end (args);

  if (self->pending->len > 0)
    {
      SignpostPgPending *pending = g_new0 (SignpostPgPending, 1);

      pending->sql = sql;
      pending->prepared = TRUE;
      pending->n_values = n;
      pending->values = g_memdup2 (values, sizeof (char *) * MAX (n, 1));
      g_ptr_array_add (self->pending, pending);
      return signpost_pg_store_flush_pending (self, error);
    }

  self->head_known = FALSE;
  if (!signpost_pg_store_ready (self, error))
    goto failed;
  if (!g_hash_table_lookup_extended (self->statements, sql, NULL, &number))
    {
      g_autoptr(PGresult) prepared = NULL;

      number = GUINT_TO_POINTER (++self->n_statements);
      name = statement_name (GPOINTER_TO_UINT (number));
      prepared = PQprepare (self->conn, name, sql, 0, NULL);
      if (prepared == NULL || PQresultStatus (prepared) != PGRES_COMMAND_OK)
        {
          signpost_pg_store_set_error (self, prepared, error, "prepare");
          goto failed;
        }
      g_hash_table_insert (self->statements, (gpointer) sql, number);
    }
  else
    name = statement_name (GPOINTER_TO_UINT (number));

  result = PQexecPrepared (self->conn, name, n, (const char * const *) values, NULL, NULL, 0);
  for (int i = 0; i < n; i++)
    g_free (values[i]);
  status = result ? PQresultStatus (result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      signpost_pg_store_set_error (self, result, error, "query");
      PQclear (result);
      return NULL;
    }
  signpost_pg_store_notice_notifies (self);
  return result;

failed:
  for (int i = 0; i < n; i++)
    g_free (values[i]);
  return NULL;
}

/*
 * Like signpost_pg_run_literal_(), but planned afresh each time with its
 * values, never prepared: for a statement whose best plan depends on them
 * so much that a generic plan would be a trap (the change feed of one
 * practice, whose LIMIT and practice a generic plan does not know, reads
 * the whole table in seq order). @sql need not be a literal.
 */
PGresult *
signpost_pg_run_planned_ (SignpostPgStore  *self,
                          const char       *sql,
                          GError          **error,
                          const char       *types,
                          ...)
{
  char *values[MAX_PARAMS];
  PGresult *result = NULL;
  ExecStatusType status;
  va_list args;
  int n;

  va_start (args, types);
  n = collect_values (types, args, values);
  va_end (args);

  if (!signpost_pg_store_flush (self, error))
    goto out;
  self->head_known = FALSE;
  if (!signpost_pg_store_ready (self, error))
    goto out;
  result = PQexecParams (self->conn, sql, n, NULL, (const char * const *) values, NULL, NULL, 0);
  status = result ? PQresultStatus (result) : PGRES_FATAL_ERROR;
  if (status != PGRES_COMMAND_OK && status != PGRES_TUPLES_OK)
    {
      signpost_pg_store_set_error (self, result, error, "query");
      g_clear_pointer (&result, PQclear);
      goto out;
    }
  signpost_pg_store_notice_notifies (self);

out:
  for (int i = 0; i < n; i++)
    g_free (values[i]);
  return result;
}

/* ---- many rows at once -------------------------------------------------- */

/* PostgreSQL array literals, for writing many rows in one statement
 * (INSERT … SELECT FROM unnest ($1::text[], …)): elements are appended to
 * a GString holding "{" and the caller closes it with "}". */
static void
array_separate (GString *array)
{
  if (array->len > 1)
    g_string_append_c (array, ',');
}

void
signpost_pg_array_add_text (GString    *array,
                            const char *value)
{
  array_separate (array);
  if (value == NULL)
    {
      g_string_append (array, "NULL");
      return;
    }
  g_string_append_c (array, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (array, '\\');
      g_string_append_c (array, *p);
    }
  g_string_append_c (array, '"');
}

/* @value below 0 with @null_if_negative is NULL (an instant not set). */
void
signpost_pg_array_add_int (GString  *array,
                           gint64    value,
                           gboolean  null_if_negative)
{
  array_separate (array);
  if (null_if_negative && value < 0)
    g_string_append (array, "NULL");
  else
    g_string_append_printf (array, "%" G_GINT64_FORMAT, value);
}

void
signpost_pg_array_add_bool (GString  *array,
                            gboolean  value)
{
  array_separate (array);
  g_string_append_c (array, value ? 't' : 'f');
}
