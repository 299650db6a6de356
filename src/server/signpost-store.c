/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-store.h"

G_DEFINE_INTERFACE (SignpostStore, signpost_store, G_TYPE_OBJECT)

static void
signpost_store_default_init (SignpostStoreInterface *iface)
{
  /**
   * SignpostStore::changed-elsewhere:
   * @since: records with a higher seq may have been written elsewhere
   *
   * Others wrote to the database (see signpost_store_watch_changes()).
   * Records of ours may be among those after @since too.
   */
  g_signal_new ("changed-elsewhere", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * SignpostStore::announced-elsewhere:
   * @event: what another instance announced (signpost_store_announce())
   *
   * Another server instance on this database committed a transaction that
   * announced @event (see signpost_store_watch_changes()). Emitted in the
   * order of their commits, before the "changed-elsewhere" of the same
   * commits.
   */
  g_signal_new ("announced-elsewhere", G_TYPE_FROM_INTERFACE (iface), G_SIGNAL_RUN_LAST, 0,
                NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);
}

void
signpost_token_info_clear (SignpostTokenInfo *info)
{
  g_clear_pointer (&info->user_id, g_free);
  g_clear_pointer (&info->role, g_free);
}

gboolean
signpost_store_begin (SignpostStore *self,
                      GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->begin (self, error);
}

gboolean
signpost_store_commit (SignpostStore *self,
                       GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->commit (self, error);
}

void
signpost_store_rollback (SignpostStore *self)
{
  g_return_if_fail (SIGNPOST_IS_STORE (self));

  SIGNPOST_STORE_GET_IFACE (self)->rollback (self);
}

gboolean
signpost_store_savepoint (SignpostStore *self,
                          GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->savepoint (self, error);
}

gboolean
signpost_store_release_savepoint (SignpostStore *self,
                                  GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->release_savepoint (self, error);
}

/**
 * signpost_store_rollback_to_savepoint:
 *
 * Undoes what was written since the savepoint.
 *
 * Returns: %FALSE when the transaction itself is gone (SQLite rolls the
 *   whole of it back after some errors, such as a full disk): nothing
 *   written in it since begin() may then be acknowledged.
 */
gboolean
signpost_store_rollback_to_savepoint (SignpostStore *self)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->rollback_to_savepoint (self);
}

gint64
signpost_store_get_last_seq (SignpostStore  *self,
                             GError        **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), -1);

  return SIGNPOST_STORE_GET_IFACE (self)->get_last_seq (self, error);
}

gboolean
signpost_store_put_record (SignpostStore *self,
                           SignpostRecord *record,
                           gboolean deleted,
                           GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->put_record (self, record, deleted, error);
}

SignpostRecord *
signpost_store_get_record (SignpostStore *self,
                           SignpostRecordKind kind,
                           const char *id,
                           gboolean *deleted,
                           GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), NULL);

  return SIGNPOST_STORE_GET_IFACE (self)->get_record (self, kind, id, deleted, error);
}

GPtrArray      *
signpost_store_list_records (SignpostStore *self,
                             SignpostRecordKind kind,
                             const char *practice_id,
                             GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), NULL);

  return SIGNPOST_STORE_GET_IFACE (self)->list_records (self, kind, practice_id, error);
}

gboolean
signpost_store_foreach_change (SignpostStore *self,
                               gint64 since,
                               guint max_rows,
                               SignpostStoredChangeFunc func,
                               gpointer user_data,
                               GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->foreach_change (self, since, max_rows, func, user_data, error);
}

/**
 * signpost_store_foreach_change_in:
 * @since: the last seq the reader has
 * @practice_ids: (nullable): the practices whose records the reader follows
 * @everywhere: a mask of kinds (1 << kind) followed in every practice
 * @max_rows: how many changes to visit at most
 *
 * The change feed as one reader follows it: in seq order, the changes
 * after @since of the records of @practice_ids, and of the kinds in
 * @everywhere whatever their practice, each visited once. It costs what
 * those practices hold, not what the whole database does (the stores
 * keep the feed indexed by practice and by kind). Like
 * signpost_store_foreach_change(), the changes visited are a prefix of
 * the feed as it stands at one instant: none is skipped for a later one.
 */
gboolean
signpost_store_foreach_change_in (SignpostStore            *self,
                                  gint64                    since,
                                  const char * const       *practice_ids,
                                  guint                     everywhere,
                                  guint                     max_rows,
                                  SignpostStoredChangeFunc  func,
                                  gpointer                  user_data,
                                  GError                  **error)
{
  g_autoptr(GPtrArray) distinct = g_ptr_array_new ();
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  /* Each practice once, or its changes would be visited twice. */
  for (guint i = 0; practice_ids != NULL && practice_ids[i] != NULL; i++)
    if (g_hash_table_add (seen, (gpointer) practice_ids[i]))
      g_ptr_array_add (distinct, (gpointer) practice_ids[i]);
  g_ptr_array_add (distinct, NULL);
  return SIGNPOST_STORE_GET_IFACE (self)->foreach_change_in (self, since,
                                                             (const char * const *) distinct->pdata,
                                                             everywhere, max_rows, func, user_data,
                                                             error);
}

SignpostUser   *
signpost_store_find_user (SignpostStore *self,
                          const char *username,
                          GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), NULL);

  return SIGNPOST_STORE_GET_IFACE (self)->find_user (self, username, error);
}

SignpostAppointment *
signpost_store_find_live_appointment (SignpostStore *self,
                                      const char *slot_id,
                                      GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), NULL);

  return SIGNPOST_STORE_GET_IFACE (self)->find_live_appointment (self, slot_id, error);
}

gboolean
signpost_store_patient_booked_between (SignpostStore *self,
                                       const char *patient_id,
                                       GDateTime *from,
                                       GDateTime *to,
                                       gboolean *booked,
                                       GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->patient_booked_between (self, patient_id, from, to, booked, error);
}

SignpostCall   *
signpost_store_find_call (SignpostStore *self,
                          const char *line,
                          const char *call_ref,
                          GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), NULL);

  return SIGNPOST_STORE_GET_IFACE (self)->find_call (self, line, call_ref, error);
}

GPtrArray      *
signpost_store_list_queue (SignpostStore *self,
                           const char *practice_id,
                           GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), NULL);

  return SIGNPOST_STORE_GET_IFACE (self)->list_queue (self, practice_id, error);
}

/* How many waiting calls of the practice come before (@offered_at,
 * @call_ref) in queue order. */
gboolean
signpost_store_count_queue_before (SignpostStore  *self,
                                   const char     *practice_id,
                                   GDateTime      *offered_at,
                                   const char     *call_ref,
                                   gint64         *count,
                                   GError        **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->count_queue_before (self, practice_id, offered_at,
                                                              call_ref, count, error);
}

gboolean
signpost_store_count_calls (SignpostStore *self,
                            const char *practice_id,
                            GDateTime *answered_since,
                            gint64 *answered,
                            gint64 *on_calls,
                            GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->count_calls (self, practice_id, answered_since, answered, on_calls, error);
}

gboolean
signpost_store_lookup_mutation (SignpostStore *self,
                                const char *mutation_id,
                                char **user_id,
                                char **result,
                                GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->lookup_mutation (self, mutation_id, user_id, result, error);
}

gboolean
signpost_store_save_mutation (SignpostStore *self,
                              const char *mutation_id,
                              const char *user_id,
                              const char *result,
                              GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->save_mutation (self, mutation_id, user_id, result, error);
}

char           *
signpost_store_get_password_hash (SignpostStore *self,
                                  const char *user_id,
                                  GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), NULL);

  return SIGNPOST_STORE_GET_IFACE (self)->get_password_hash (self, user_id, error);
}

gboolean
signpost_store_set_password_hash (SignpostStore *self,
                                  const char *user_id,
                                  const char *hash,
                                  GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->set_password_hash (self, user_id, hash, error);
}

gboolean
signpost_store_save_token (SignpostStore *self,
                           const char *token_hash,
                           const char *user_id,
                           const char *role,
                           gint64 expires_at,
                           GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->save_token (self, token_hash, user_id, role, expires_at, error);
}

gboolean
signpost_store_lookup_token (SignpostStore *self,
                             const char *token_hash,
                             SignpostTokenInfo *info,
                             GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->lookup_token (self, token_hash, info, error);
}

gboolean
signpost_store_revoke_token (SignpostStore *self,
                             const char *token_hash,
                             GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->revoke_token (self, token_hash, error);
}

gboolean
signpost_store_revoke_user_tokens (SignpostStore *self,
                                   const char *user_id,
                                   GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->revoke_user_tokens (self, user_id, error);
}

gboolean
signpost_store_add_login_failure (SignpostStore *self,
                                  const char *key,
                                  gint64 at,
                                  GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->add_login_failure (self, key, at, error);
}

gboolean
signpost_store_count_login_failures (SignpostStore *self,
                                     const char *key,
                                     gint64 since,
                                     guint *count,
                                     gint64 *oldest,
                                     GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->count_login_failures (self, key, since, count, oldest, error);
}

gboolean
signpost_store_clear_login_failures (SignpostStore *self,
                                     const char *key,
                                     GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->clear_login_failures (self, key, error);
}

gboolean
signpost_store_get_line (SignpostStore *self,
                         const char *number,
                         char **practice_id,
                         char **secret,
                         GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->get_line (self, number, practice_id, secret, error);
}

gboolean
signpost_store_set_line (SignpostStore *self,
                         const char *number,
                         const char *practice_id,
                         const char *secret,
                         GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->set_line (self, number, practice_id, secret, error);
}

gboolean
signpost_store_remember_event (SignpostStore *self,
                               const char *key,
                               gint64 at,
                               gboolean *fresh,
                               GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->remember_event (self, key, at, fresh, error);
}

gboolean
signpost_store_append_audit (SignpostStore *self,
                             const SignpostAuditEvent *event,
                             GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->append_audit (self, event, error);
}

gboolean
signpost_store_foreach_audit (SignpostStore *self,
                              const char *patient_id,
                              const char *user_id,
                              gint64 since_id,
                              guint limit,
                              SignpostAuditFunc func,
                              gpointer user_data,
                              GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->foreach_audit (self, patient_id, user_id, since_id, limit, func, user_data, error);
}

/**
 * signpost_store_foreach_call_times:
 *
 * Calls @func for every call of @practice_id offered in [@from_ms, @to_ms),
 * and for every call of it answered in that range though offered before
 * or after it, each once, in no particular order.
 */
gboolean
signpost_store_foreach_call_times (SignpostStore *self,
                                   const char *practice_id,
                                   gint64 from_ms,
                                   gint64 to_ms,
                                   SignpostCallTimesFunc func,
                                   gpointer user_data,
                                   GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->foreach_call_times (self, practice_id, from_ms, to_ms,
                                                              func, user_data, error);
}

/**
 * signpost_store_foreach_slot_use:
 *
 * Calls @func for every slot of @practice_id that starts in
 * [@from_ms, @to_ms), with the status of its live appointment.
 */
gboolean
signpost_store_foreach_slot_use (SignpostStore *self,
                                 const char *practice_id,
                                 gint64 from_ms,
                                 gint64 to_ms,
                                 SignpostSlotUseFunc func,
                                 gpointer user_data,
                                 GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->foreach_slot_use (self, practice_id, from_ms, to_ms,
                                                            func, user_data, error);
}

/**
 * signpost_store_foreach_triage_count:
 *
 * Counts the triage records of @practice_id that the server first stored
 * in [@from_ms, @to_ms), grouped by route, target, urgency and outcome.
 */
gboolean
signpost_store_foreach_triage_count (SignpostStore *self,
                                     const char *practice_id,
                                     gint64 from_ms,
                                     gint64 to_ms,
                                     SignpostTriageCountFunc func,
                                     gpointer user_data,
                                     GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->foreach_triage_count (self, practice_id, from_ms, to_ms,
                                                                func, user_data, error);
}

/**
 * signpost_store_watch_changes:
 *
 * Starts noticing writes that other processes (or other server instances)
 * make to this database; each is then announced by "changed-elsewhere" in
 * the thread-default main context of the caller. A store that cannot see
 * them does nothing.
 */
gboolean
signpost_store_watch_changes (SignpostStore  *self,
                              GError        **error)
{
  SignpostStoreInterface *iface;

  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  iface = SIGNPOST_STORE_GET_IFACE (self);
  if (iface->watch_changes == NULL)
    return TRUE;
  return iface->watch_changes (self, error);
}

/* ---- online requests (issue 18) ------------------------------------------ */

/**
 * signpost_store_list_patients_born:
 *
 * The patients of @practice_id (not deleted) born on @date_of_birth
 * (YYYY-MM-DD): the candidates for matching an online request.
 */
GPtrArray *
signpost_store_list_patients_born (SignpostStore  *self,
                                   const char     *practice_id,
                                   const char     *date_of_birth,
                                   GError        **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), NULL);

  return SIGNPOST_STORE_GET_IFACE (self)->list_patients_born (self, practice_id, date_of_birth,
                                                              error);
}

/**
 * signpost_store_foreach_request_times:
 *
 * Every triage record of @practice_id that came in other than by phone
 * (source online or intake) and that the server first stored in
 * [@from_ms, @to_ms), in the order they arrived.
 */
gboolean
signpost_store_foreach_request_times (SignpostStore            *self,
                                      const char               *practice_id,
                                      gint64                    from_ms,
                                      gint64                    to_ms,
                                      SignpostRequestTimesFunc  func,
                                      gpointer                  user_data,
                                      GError                  **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->foreach_request_times (self, practice_id, from_ms, to_ms,
                                                                 func, user_data, error);
}

/**
 * signpost_store_bump_counter:
 * @limit: do not count past this (0: no limit)
 * @expires_at: Unix microseconds after which the bucket may be forgotten
 * @count: (out): the number this one is in the bucket: more than @limit
 *   when it was not counted
 *
 * Adds one to the counter @key's @bucket, unless that already holds
 * @limit or more; shared by every server instance on the database, so
 * that rate limits hold across them. Needs no transaction; inside one,
 * it is part of it.
 */
gboolean
signpost_store_bump_counter (SignpostStore  *self,
                             const char     *key,
                             gint64          bucket,
                             gint64          limit,
                             gint64          expires_at,
                             gint64         *count,
                             GError        **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);
  g_return_val_if_fail (count != NULL, FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->bump_counter (self, key, bucket, limit, expires_at,
                                                        count, error);
}

/**
 * signpost_store_foreach_counter:
 *
 * The buckets of counter @key in [@from_bucket, @to_bucket), in order.
 */
gboolean
signpost_store_foreach_counter (SignpostStore        *self,
                                const char           *key,
                                gint64                from_bucket,
                                gint64                to_bucket,
                                SignpostCounterFunc   func,
                                gpointer              user_data,
                                GError              **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->foreach_counter (self, key, from_bucket, to_bucket,
                                                           func, user_data, error);
}

/**
 * signpost_store_ensure_secret:
 * @candidate: the value to keep if there is none yet
 *
 * The server-wide secret called @name (the key that signs CSRF tokens,
 * say): stored with @candidate the first time, so that every instance on
 * the database uses the same one.
 */
char *
signpost_store_ensure_secret (SignpostStore  *self,
                              const char     *name,
                              const char     *candidate,
                              GError        **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), NULL);

  return SIGNPOST_STORE_GET_IFACE (self)->ensure_secret (self, name, candidate, error);
}

/**
 * signpost_store_get_intake_source:
 * @practice_id: (out): NULL when there is no such source
 *
 * An online-consultation product allowed to send requests through the
 * intake API: the practice it sends for and its signing secret.
 */
gboolean
signpost_store_get_intake_source (SignpostStore  *self,
                                  const char     *name,
                                  char          **practice_id,
                                  char          **secret,
                                  GError        **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->get_intake_source (self, name, practice_id, secret,
                                                             error);
}

gboolean
signpost_store_set_intake_source (SignpostStore  *self,
                                  const char     *name,
                                  const char     *practice_id,
                                  const char     *secret,
                                  GError        **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->set_intake_source (self, name, practice_id, secret,
                                                             error);
}

/**
 * signpost_store_foreach_patient:
 *
 * Every patient of the practice that is not deleted (those who left
 * included), in no particular order, with the fields that identify them.
 * @func must not use the store.
 */
gboolean
signpost_store_foreach_patient (SignpostStore              *self,
                                const char                 *practice_id,
                                SignpostStoredPatientFunc   func,
                                gpointer                    user_data,
                                GError                    **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->foreach_patient (self, practice_id, func, user_data,
                                                           error);
}

/**
 * signpost_store_purge_practice:
 * @n_records: (out) (optional): how many records became tombstones
 *
 * Inside a transaction: every record of the practice that is not deleted
 * yet becomes a tombstone (its next version, a seq of its own, @now) that
 * keeps its metadata only (id, practice_id, version, updated_at, seq), so
 * that consoles drop it through the change feed while nothing of what it
 * held stays behind. The practice's phone lines and their secrets go, the
 * credentials and tokens of users whose records became tombstones, and the
 * stored results of mutations about its records. The audit log stays.
 */
gboolean
signpost_store_purge_practice (SignpostStore  *self,
                               const char     *practice_id,
                               GDateTime      *now,
                               guint          *n_records,
                               GError        **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->purge_practice (self, practice_id, now, n_records, error);
}

/**
 * signpost_store_add_former_practice:
 *
 * Remembers that @user_id worked for a practice removed from this server,
 * so that the change feed still brings them its tombstones.
 */
gboolean
signpost_store_add_former_practice (SignpostStore  *self,
                                    const char     *user_id,
                                    const char     *practice_id,
                                    GError        **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->add_former_practice (self, user_id, practice_id, error);
}

/* The removed practices @user_id worked for; NULL only on error. */
GStrv
signpost_store_list_former_practices (SignpostStore  *self,
                                      const char     *user_id,
                                      GError        **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), NULL);

  return SIGNPOST_STORE_GET_IFACE (self)->list_former_practices (self, user_id, error);
}

/**
 * signpost_store_check:
 *
 * Asks the database whether it can be used now.
 *
 * Returns: %FALSE, with SIGNPOST_ERROR_UNAVAILABLE while the database
 *   cannot be reached (the store keeps trying to reach it again).
 */
gboolean
signpost_store_check (SignpostStore  *self,
                      GError        **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->check (self, error);
}

/**
 * signpost_store_announce:
 * @event: a short text (a live call event as JSON; at most
 *   %SIGNPOST_STORE_ANNOUNCE_MAX bytes)
 *
 * Inside a transaction: when it commits, and only if it commits, every
 * other server instance watching this database (signpost_store_watch_changes())
 * hears @event with "announced-elsewhere". What a rolled-back savepoint
 * announced is not heard. A store that no other instance can share has
 * nobody to tell and does nothing.
 */
gboolean
signpost_store_announce (SignpostStore  *self,
                         const char     *event,
                         GError        **error)
{
  SignpostStoreInterface *iface;

  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  iface = SIGNPOST_STORE_GET_IFACE (self);
  if (iface->announce == NULL)
    return TRUE;
  return iface->announce (self, event, error);
}

/**
 * signpost_store_remove_login_failure:
 *
 * Withdraws one failure of @key recorded at @at: a sign-in counted as a
 * failure while it was being verified (so that concurrent guesses on
 * several instances count), which turned out right.
 */
gboolean
signpost_store_remove_login_failure (SignpostStore  *self,
                                     const char     *key,
                                     gint64          at,
                                     GError        **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->remove_login_failure (self, key, at, error);
}

/**
 * signpost_store_hub_tallies:
 * @cells: (array length=n_cells): the practices and spans of time
 * @tallies: (array length=n_cells) (out caller-allocates): what each cell
 *   adds up to
 * @route_func: (scope call): called with each cell's navigation records
 *   counted by route
 *
 * The hub's statistics, added up by the store from its running totals
 * (no call, slot or record is read one by one), so that weeks of many
 * practices come back in a few milliseconds.
 */
gboolean
signpost_store_hub_tallies (SignpostStore *self,
                            const SignpostHubCell *cells,
                            guint n_cells,
                            SignpostHubTally *tallies,
                            SignpostHubRouteFunc route_func,
                            gpointer user_data,
                            GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);
  g_return_val_if_fail (n_cells == 0 || (cells != NULL && tallies != NULL), FALSE);
  g_return_val_if_fail (route_func != NULL, FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->hub_tallies (self, cells, n_cells, tallies,
                                                       route_func, user_data, error);
}

/**
 * signpost_store_count_list_size:
 * @registered: (out): the practice's registered patients (temporary
 *   residents are not on the list)
 */
gboolean
signpost_store_count_list_size (SignpostStore *self,
                                const char *practice_id,
                                gint64 *registered,
                                GError **error)
{
  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);
  g_return_val_if_fail (practice_id != NULL && registered != NULL, FALSE);

  return SIGNPOST_STORE_GET_IFACE (self)->count_list_size (self, practice_id, registered, error);
}

/**
 * signpost_store_put_records:
 *
 * Stores each of @records (none deleted) as signpost_store_put_record()
 * would, in the open transaction: the first failure fails the lot, which
 * the caller then rolls back. A store whose round trips cost (PostgreSQL)
 * writes them a batch at a time.
 */
gboolean
signpost_store_put_records (SignpostStore          *self,
                            SignpostRecord * const *records,
                            guint                   n_records,
                            GError                **error)
{
  SignpostStoreInterface *iface;

  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  iface = SIGNPOST_STORE_GET_IFACE (self);
  if (iface->put_records != NULL)
    return iface->put_records (self, records, n_records, error);
  for (guint i = 0; i < n_records; i++)
    if (!iface->put_record (self, records[i], FALSE, error))
      return FALSE;
  return TRUE;
}

/* Appends each of @events, as signpost_store_append_audit() would. */
gboolean
signpost_store_append_audits (SignpostStore             *self,
                              const SignpostAuditEvent  *events,
                              guint                      n_events,
                              GError                   **error)
{
  SignpostStoreInterface *iface;

  g_return_val_if_fail (SIGNPOST_IS_STORE (self), FALSE);

  iface = SIGNPOST_STORE_GET_IFACE (self);
  if (iface->append_audits != NULL)
    return iface->append_audits (self, events, n_events, error);
  for (guint i = 0; i < n_events; i++)
    if (!iface->append_audit (self, &events[i], error))
      return FALSE;
  return TRUE;
}
