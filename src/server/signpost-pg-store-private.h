/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libpq-fe.h>

#include "signpost-pg-store.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PGresult, PQclear)

/*
 * Shared by the files of SignpostPgStore:
 *   signpost-pg-store.c            transactions, the object
 *   signpost-pg-store-connection.c the connection, reconnecting, notifications
 *   signpost-pg-store-statements.c running statements, pipelines
 *   signpost-pg-store-schema.c     the schema and its migrations
 *   signpost-pg-store-records.c    records, the change feed, record queries
 *   signpost-pg-store-auth.c       mutation results, credentials, tokens, login failures
 *   signpost-pg-store-telephony.c  phone lines and webhook de-duplication
 *   signpost-pg-store-audit.c      the audit log
 *   signpost-pg-store-stats.c      statistics
 *   signpost-pg-store-requests.c   online requests: matching, counters, secrets, intake sources
 *   signpost-pg-store-practices.c  removing a practice that moved away
 *   signpost-pg-store-copy.c       bulk export and import (admin copy-to)
 */

struct _SignpostPgStore
{
  GObject parent_instance;

  char *uri;                  /* may hold a password: never logged or shown */
  char *location;             /* "host:port/database", for messages */
  PGconn *conn;               /* NULL while the connection is lost */
  GHashTable *statements;     /* const char *sql → statement number, per connection */
  guint n_statements;
  GPtrArray *pending;         /* statements to send with the next one waited for */

  /* The open transaction. */
  guint depth;
  gboolean transaction_sent;  /* its BEGIN has gone to the server */
  gint64 seq;                 /* the last sequence number given out in it */
  gint64 start_seq;           /* the counter when it took the lock, -1 until known */
  gboolean seq_known;         /* @seq is (the lock's answer has come) */
  gboolean wrote_records;
  gint64 head;                /* the feed's head, read with the last COMMIT */
  gboolean head_known;        /* … and nothing sent since */
  GArray *savepoint_seqs;     /* gint64: @seq when each open savepoint began */
  GHashTable *read_cache;     /* "kind/id" → SignpostPgCachedRow*, while the lock is held */

  /* Hearing of commits by other processes (signpost_store_watch_changes):
   * LISTEN on this same connection, its socket watched between requests. */
  gboolean watching;
  gboolean heard;             /* a notification of someone else's commit */
  GSource *socket_watch;
  GSource *elsewhere;
  gint64 seen_seq;            /* the feed's head as last seen */
  GQueue announced;           /* char*: events other instances announced, to emit */
  gint64 committed_seq;       /* our own highest committed seq */

  /* Reconnecting, driven by the thread-default main context. */
  GMainContext *context;
  PGconn *connecting;
  GSource *connect_watch;
  GSource *connect_timeout;
  GSource *retry;
  guint backoff_ms;
};

/*
 * A statement waiting to be sent (signpost-pg-store-statements.c): inside a
 * transaction, those whose answer nobody waits for go with the next
 * statement that is waited for, in one pipeline, one round trip.
 */
typedef struct {
  const char *sql;              /* a literal */
  gboolean prepared;            /* as a prepared statement, or sent as it is */
  int n_values;
  char **values;                /* NULL for SQL NULL */
  gboolean begins;              /* BEGIN: from here on the server has a transaction */
  gint64 *capture;              /* takes the first value of its one row */
  PGresult **keep;              /* takes its result */
} SignpostPgPending;

void       signpost_pg_pending_free       (gpointer          pending);
PGresult  *signpost_pg_store_flush_pending (SignpostPgStore *self,
                                           GError          **error);

/* SQL text is a string literal, as with SignpostDb: these paste "" around
 * it, which compiles only for a literal; values are always bound. */
#define signpost_pg_exec(self, sql, error) \
  signpost_pg_exec_literal_ ((self), "" sql "", (error))
#define signpost_pg_run(self, sql, error, ...) \
  signpost_pg_run_literal_ ((self), "" sql "", (error), __VA_ARGS__)
#define signpost_pg_defer(self, sql, error, ...) \
  signpost_pg_defer_literal_ ((self), "" sql "", (error), __VA_ARGS__)
#define signpost_pg_defer_command(self, sql) \
  signpost_pg_defer_command_literal_ ((self), "" sql "")

gboolean   signpost_pg_exec_literal_      (SignpostPgStore  *self,
                                           const char       *sql,
                                           GError          **error);
PGresult  *signpost_pg_run_literal_       (SignpostPgStore  *self,
                                           const char       *sql,
                                           GError          **error,
                                           const char       *types,
                                           ...);
gboolean   signpost_pg_defer_literal_     (SignpostPgStore  *self,
                                           const char       *sql,
                                           GError          **error,
                                           const char       *types,
                                           ...);
void       signpost_pg_defer_command_literal_ (SignpostPgStore *self,
                                           const char       *sql);
PGresult  *signpost_pg_run_planned_       (SignpostPgStore  *self,
                                           const char       *sql,
                                           GError          **error,
                                           const char       *types,
                                           ...);
void       signpost_pg_store_drop_pending (SignpostPgStore  *self);
gboolean   signpost_pg_store_flush        (SignpostPgStore  *self,
                                           GError          **error);
gboolean   signpost_pg_store_know_seq     (SignpostPgStore  *self,
                                           GError          **error);
gboolean   signpost_pg_store_ready        (SignpostPgStore  *self,
                                           GError          **error);
void       signpost_pg_store_set_error    (SignpostPgStore  *self,
                                           const PGresult   *result,
                                           GError          **error,
                                           const char       *what);
PGconn    *signpost_pg_store_get_conn     (SignpostPgStore  *self);

gint64     signpost_pg_changes            (const PGresult   *result);
const char *signpost_pg_text              (const PGresult   *result,
                                           int               row,
                                           int               column);
gint64     signpost_pg_int64              (const PGresult   *result,
                                           int               row,
                                           int               column);
gint64     signpost_pg_ms                 (const PGresult   *result,
                                           int               row,
                                           int               column);
gboolean   signpost_pg_bool               (const PGresult   *result,
                                           int               row,
                                           int               column);

/* signpost-pg-store-statements.c: PostgreSQL array literals, to bind many
 * rows to one statement. */
void       signpost_pg_array_add_text     (GString          *array,
                                           const char       *value);
void       signpost_pg_array_add_int      (GString          *array,
                                           gint64            value,
                                           gboolean          null_if_negative);
void       signpost_pg_array_add_bool     (GString          *array,
                                           gboolean          value);

/* signpost-pg-store-records.c: records read or written in the open
 * transaction. Nothing else can change them while it holds the lock. */
void       signpost_pg_store_forget_reads (SignpostPgStore  *self);
void       signpost_pg_cached_row_free    (gpointer          row);

/* signpost-pg-store-connection.c */
char      *signpost_pg_first_line         (const char       *message);
PGconn    *signpost_pg_connect            (const char       *uri,
                                           gboolean          start_only);
gboolean   signpost_pg_store_set_up_session (SignpostPgStore *self,
                                           PGconn           *conn,
                                           GError          **error);
char      *signpost_pg_describe           (PGconn           *conn);
void       signpost_pg_clear_source       (GSource         **source);
void       signpost_pg_store_notice_notifies (SignpostPgStore *self);
gboolean   signpost_pg_store_watch_changes (SignpostStore   *store,
                                           GError          **error);

/* signpost-pg-store-schema.c */
/* The change feed of one reader (signpost-pg-store-records.c); the tests
 * read its plan. */
const char *signpost_pg_store_feed_sql    (guint               n_practices,
                                           const char * const *kinds);
char       *signpost_pg_text_array        (const char * const *items);

gboolean   signpost_pg_store_migrate      (SignpostPgStore  *self,
                                           GError          **error);

/* The columns the queries need, taken from a record's JSON as it is
 * written (and as it is copied in). */
typedef struct {
  const char *slot_id;
  const char *patient_id;
  const char *status;
  const char *username;
  const char *line;
  const char *call_ref;
  const char *state;
  gint64 offered_ms;          /* -1: none */
  gint64 answered_ms;
  gint64 start_ms;
  const char *date_of_birth;
  const char *reference;
  const char *source;
} SignpostPgRecordColumns;

void       signpost_pg_record_columns     (JsonObject              *data,
                                           SignpostPgRecordColumns *columns);
gint64     signpost_pg_instant_ms         (GDateTime               *instant);

void       signpost_pg_store_init_records   (SignpostStoreInterface *iface);
void       signpost_pg_store_init_auth      (SignpostStoreInterface *iface);
void       signpost_pg_store_init_telephony (SignpostStoreInterface *iface);
void       signpost_pg_store_init_audit     (SignpostStoreInterface *iface);
void       signpost_pg_store_init_stats     (SignpostStoreInterface *iface);
void       signpost_pg_store_init_requests  (SignpostStoreInterface *iface);
void       signpost_pg_store_init_practices (SignpostStoreInterface *iface);

G_END_DECLS
