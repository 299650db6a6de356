/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <sqlite3.h>

#include "signpost-sqlite-store.h"

G_BEGIN_DECLS

/*
 * Shared by the files of SignpostSqliteStore:
 *   signpost-sqlite-store.c           transactions, records, record queries,
 *                                     mutation results, the object
 *   signpost-sqlite-store-schema.c    the schema, its migrations, the hub's daily totals
 *   signpost-sqlite-store-stats.c     statistics (/stats/day, /stats/hub)
 *   signpost-sqlite-store-auth.c      credentials, tokens, login failures
 *   signpost-sqlite-store-telephony.c phone lines and webhook de-duplication
 *   signpost-sqlite-store-audit.c     the audit log
 *   signpost-sqlite-store-practices.c removing a practice, practices a user left
 *   signpost-sqlite-store-watch.c     commits of other connections, checkpoints
 *   signpost-sqlite-store-requests.c  online requests: matching, counters, secrets,
 *                                     intake sources
 *   signpost-sqlite-store-check.c     a damaged database found before it is used
 *   signpost-sqlite-store-copy.c      bulk export and import (admin copy-to)
 */

struct _SignpostSqliteStore
{
  GObject parent_instance;

  SignpostDb *db;

  /* Checkpoints run in a thread of their own, on a connection of their
   * own: inline, every thousandth commit would stall the main loop (and
   * live fan-out) for the time it takes to copy the WAL and fsync. */
  GThread *checkpointer;
  GMutex lock;
  GCond wake;
  gboolean stopping;

  /* Noticing commits of other connections (signpost_store_watch_changes):
   * PRAGMA data_version moves when one happened. seen_seq is the change
   * feed's head as last seen; our own commits move it too. */
  guint watch_id;
  gint64 data_version;
  gint64 seen_seq;
  gint64 pending_seq;             /* our highest seq in the open transaction */
  gint64 committed_seq;           /* our highest committed seq */
};

/* An ISO 8601 instant (text, "Z" or an offset) as Unix milliseconds; NULL
 * stays NULL. Instants are compared this way because their text drops
 * ".000" and so does not sort. An index on it is used only by queries that
 * spell the same expression. */
#define MS(instant) \
  "CAST (round ((julianday (" instant ") - 2440587.5) * 86400000.0) AS INTEGER)"

/* signpost-sqlite-store.c */
const char *column_text                   (sqlite3_stmt               *stmt,
                                           int                         column);
GPtrArray * collect_records               (SignpostDb                 *db,
                                           sqlite3_stmt               *stmt,
                                           GType                       type,
                                           GError                    **error);
gint64      sqlite_get_last_seq           (SignpostStore              *store,
                                           GError                    **error);
gint64      next_seq                      (SignpostDb                 *db,
                                           GError                    **error);

/* signpost-sqlite-store-schema.c */
extern const SignpostMigration sqlite_migrations[];
extern const guint sqlite_n_migrations;
gboolean    add_functions                 (SignpostSqliteStore        *self,
                                           GError                    **error);

/* signpost-sqlite-store-stats.c */
gint64      column_ms                     (sqlite3_stmt               *stmt,
                                           int                         column);
gboolean    sqlite_foreach_call_times     (SignpostStore              *store,
                                           const char                 *practice_id,
                                           gint64                      from_ms,
                                           gint64                      to_ms,
                                           SignpostCallTimesFunc       func,
                                           gpointer                    user_data,
                                           GError                    **error);
gboolean    sqlite_foreach_slot_use       (SignpostStore              *store,
                                           const char                 *practice_id,
                                           gint64                      from_ms,
                                           gint64                      to_ms,
                                           SignpostSlotUseFunc         func,
                                           gpointer                    user_data,
                                           GError                    **error);
gboolean    sqlite_foreach_triage_count   (SignpostStore              *store,
                                           const char                 *practice_id,
                                           gint64                      from_ms,
                                           gint64                      to_ms,
                                           SignpostTriageCountFunc     func,
                                           gpointer                    user_data,
                                           GError                    **error);
gboolean    sqlite_hub_tallies            (SignpostStore              *store,
                                           const SignpostHubCell      *cells,
                                           guint                       n_cells,
                                           SignpostHubTally           *tallies,
                                           SignpostHubRouteFunc        route_func,
                                           gpointer                    user_data,
                                           GError                    **error);
gboolean    sqlite_count_list_size        (SignpostStore              *store,
                                           const char                 *practice_id,
                                           gint64                     *registered,
                                           GError                    **error);

/* signpost-sqlite-store-auth.c */
char *      sqlite_get_password_hash      (SignpostStore              *store,
                                           const char                 *user_id,
                                           GError                    **error);
gboolean    sqlite_set_password_hash      (SignpostStore              *store,
                                           const char                 *user_id,
                                           const char                 *hash,
                                           GError                    **error);
gboolean    sqlite_save_token             (SignpostStore              *store,
                                           const char                 *token_hash,
                                           const char                 *user_id,
                                           const char                 *role,
                                           gint64                      expires_at,
                                           GError                    **error);
gboolean    sqlite_lookup_token           (SignpostStore              *store,
                                           const char                 *token_hash,
                                           SignpostTokenInfo          *info,
                                           GError                    **error);
gboolean    sqlite_revoke_token           (SignpostStore              *store,
                                           const char                 *token_hash,
                                           GError                    **error);
gboolean    sqlite_revoke_user_tokens     (SignpostStore              *store,
                                           const char                 *user_id,
                                           GError                    **error);
gboolean    sqlite_add_login_failure      (SignpostStore              *store,
                                           const char                 *key,
                                           gint64                      at,
                                           GError                    **error);
gboolean    sqlite_count_login_failures   (SignpostStore              *store,
                                           const char                 *key,
                                           gint64                      since,
                                           guint                      *count,
                                           gint64                     *oldest,
                                           GError                    **error);
gboolean    sqlite_clear_login_failures   (SignpostStore              *store,
                                           const char                 *key,
                                           GError                    **error);
gboolean    sqlite_remove_login_failure   (SignpostStore              *store,
                                           const char                 *key,
                                           gint64                      at,
                                           GError                    **error);

/* signpost-sqlite-store-telephony.c */
gboolean    sqlite_get_line               (SignpostStore              *store,
                                           const char                 *number,
                                           char                      **practice_id,
                                           char                      **secret,
                                           GError                    **error);
gboolean    sqlite_set_line               (SignpostStore              *store,
                                           const char                 *number,
                                           const char                 *practice_id,
                                           const char                 *secret,
                                           GError                    **error);
gboolean    sqlite_remember_event         (SignpostStore              *store,
                                           const char                 *key,
                                           gint64                      at,
                                           gboolean                   *fresh,
                                           GError                    **error);

/* signpost-sqlite-store-audit.c */
gboolean    sqlite_append_audit           (SignpostStore              *store,
                                           const SignpostAuditEvent   *event,
                                           GError                    **error);
gboolean    sqlite_foreach_audit          (SignpostStore              *store,
                                           const char                 *patient_id,
                                           const char                 *user_id,
                                           gint64                      since_id,
                                           guint                       limit,
                                           SignpostAuditFunc           func,
                                           gpointer                    user_data,
                                           GError                    **error);

/* signpost-sqlite-store-practices.c */
gboolean    sqlite_purge_practice         (SignpostStore              *store,
                                           const char                 *practice_id,
                                           GDateTime                  *now,
                                           guint                      *n_records,
                                           GError                    **error);
gboolean    sqlite_add_former_practice    (SignpostStore              *store,
                                           const char                 *user_id,
                                           const char                 *practice_id,
                                           GError                    **error);
GStrv       sqlite_list_former_practices  (SignpostStore              *store,
                                           const char                 *user_id,
                                           GError                    **error);

/* signpost-sqlite-store-watch.c */
gboolean    sqlite_announce               (SignpostStore              *store,
                                           const char                 *event,
                                           GError                    **error);
gboolean    sqlite_watch_changes          (SignpostStore              *store,
                                           GError                    **error);
gboolean    sqlite_check                  (SignpostStore              *store,
                                           GError                    **error);
gpointer    checkpoint_thread             (gpointer                    data);

/* signpost-sqlite-store-requests.c */
GPtrArray * sqlite_list_patients_born     (SignpostStore              *store,
                                           const char                 *practice_id,
                                           const char                 *date_of_birth,
                                           GError                    **error);
gboolean    sqlite_foreach_request_times  (SignpostStore              *store,
                                           const char                 *practice_id,
                                           gint64                      from_ms,
                                           gint64                      to_ms,
                                           SignpostRequestTimesFunc    func,
                                           gpointer                    user_data,
                                           GError                    **error);
gboolean    sqlite_bump_counter           (SignpostStore              *store,
                                           const char                 *key,
                                           gint64                      bucket,
                                           gint64                      limit,
                                           gint64                      expires_at,
                                           gint64                     *count,
                                           GError                    **error);
gboolean    sqlite_foreach_counter        (SignpostStore              *store,
                                           const char                 *key,
                                           gint64                      from_bucket,
                                           gint64                      to_bucket,
                                           SignpostCounterFunc         func,
                                           gpointer                    user_data,
                                           GError                    **error);
char *      sqlite_ensure_secret          (SignpostStore              *store,
                                           const char                 *name,
                                           const char                 *candidate,
                                           GError                    **error);
gboolean    sqlite_get_intake_source      (SignpostStore              *store,
                                           const char                 *name,
                                           char                      **practice_id,
                                           char                      **secret,
                                           GError                    **error);
gboolean    sqlite_set_intake_source      (SignpostStore              *store,
                                           const char                 *name,
                                           const char                 *practice_id,
                                           const char                 *secret,
                                           GError                    **error);

/* signpost-sqlite-store-check.c */
gboolean    quick_check                   (SignpostDb                 *db,
                                           const char                 *path,
                                           GError                    **error);

G_END_DECLS
