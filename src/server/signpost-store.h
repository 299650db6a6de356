/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-core.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_STORE (signpost_store_get_type ())
G_DECLARE_INTERFACE (SignpostStore, signpost_store, SIGNPOST, STORE, GObject)

/* The longest text signpost_store_announce() takes (PostgreSQL's NOTIFY
 * carries less than 8000 bytes). */
#define SIGNPOST_STORE_ANNOUNCE_MAX 7000

/* One row of the change feed as it is stored: @data is the record's
 * canonical JSON, written by the server itself. Borrowed for the duration
 * of the callback only. */
typedef struct {
  gint64              seq;
  SignpostRecordKind  kind;
  const char         *id;
  const char         *practice_id;
  gint64              version;
  gboolean            deleted;
  const char         *data;
  gsize               data_length;
} SignpostStoredChange;

/* Returns %TRUE to keep going. */
typedef gboolean (*SignpostStoredChangeFunc) (const SignpostStoredChange *change,
                                              gpointer                    user_data);

typedef struct {
  gint64      id;
  gint64      at;          /* Unix microseconds */
  const char *user_id;
  const char *username;
  const char *role;
  const char *action;
  const char *type;
  const char *record_id;
  const char *patient_id;
  const char *client;
  const char *detail;
} SignpostAuditEvent;

typedef gboolean (*SignpostAuditFunc) (const SignpostAuditEvent *event,
                                       gpointer                  user_data);

/* One call as the statistics see it: its instants in Unix milliseconds,
 * -1 for those that have not happened. Strings are borrowed for the
 * duration of the callback only. */
typedef struct {
  gint64             offered_ms;
  gint64             answered_ms;
  gint64             abandoned_ms;
  gint64             ended_ms;
  gint64             callback_requested_ms;
  gint64             callback_done_ms;
  gint64             callback_attempts;
  SignpostCallState  state;
  const char        *answered_by;   /* a Signpost user id, or NULL */
  const char        *agent;         /* the phone system's name for them, or NULL */
} SignpostCallTimes;

typedef gboolean (*SignpostCallTimesFunc) (const SignpostCallTimes *call,
                                           gpointer                 user_data);

/* A slot and the live (not cancelled) appointment in it, if any: enum
 * values as their wire nicks; @appointment_status is NULL for none. */
typedef struct {
  const char *clinician_id;
  const char *mode;
  const char *status;
  const char *appointment_status;
} SignpostSlotUse;

typedef gboolean (*SignpostSlotUseFunc) (const SignpostSlotUse *slot,
                                         gpointer               user_data);

/* How many triage records share a route, urgency and outcome. @route is
 * the route's kind (NULL when there is none) and @target its clinician
 * id, profession or signpost service, as the kind says. */
typedef struct {
  const char *route;
  const char *target;
  const char *urgency;
  const char *outcome;
  gint64      count;
} SignpostTriageCount;

typedef gboolean (*SignpostTriageCountFunc) (const SignpostTriageCount *group,
                                             gpointer                   user_data);

/* One online request (a triage record whose source is not the phone) as
 * the statistics see it: instants in Unix milliseconds, -1 for none;
 * enum values as their wire nicks. Borrowed for the callback only. */
typedef struct {
  gint64      created_ms;
  const char *source;
  const char *request_type;      /* NULL when not given */
  gint64      outcome_ms;        /* when it first had an outcome */
  gint64      respond_by_ms;
} SignpostRequestTimes;

typedef gboolean (*SignpostRequestTimesFunc) (const SignpostRequestTimes *request,
                                              gpointer                    user_data);

/* One bucket of a counter: @bucket is what the caller made it (a window's
 * start in Unix milliseconds, say). */
typedef gboolean (*SignpostCounterFunc) (gint64   bucket,
                                         gint64   count,
                                         gpointer user_data);
/* A patient as stored, with what identifies them on a practice's list
 * (for list imports, which compare a whole list without decoding every
 * record). Strings are borrowed for the duration of the callback only. */
typedef struct {
  const char *id;
  gint64      version;
  const char *patient_ref;
  const char *nhs_number;
  const char *family_name;
  const char *given_name;
  const char *date_of_birth;
  gboolean    left;           /* left_at is set */
  gboolean    temporary;
  const char *data;           /* the canonical JSON */
  gsize       data_length;
} SignpostStoredPatient;

typedef gboolean (*SignpostStoredPatientFunc) (const SignpostStoredPatient *patient,
                                               gpointer                     user_data);

/* One practice over a span of local days for the hub's statistics:
 * [from_ms, to_ms) from a local midnight to another, in the practice's
 * time zone. @settle_ms is the practice's last local midnight: a call
 * still waiting that was offered before it is a missed one, and a slot
 * nobody booked counts as unused once its day is over. */
typedef struct {
  const char *practice_id;
  gint64      from_ms;
  gint64      to_ms;
  gint64      settle_ms;
} SignpostHubCell;

/* What one SignpostHubCell adds up to, by the counting rules of
 * /stats/day (docs/PROTOCOL.md): calls by when they were offered, slots by
 * when they start, navigation records by when the server first stored
 * them. @wait_max_ms is -1 when no call was answered. */
typedef struct {
  gint64 offered;
  gint64 answered;
  gint64 answered_in_time;
  gint64 wait_sum_ms;
  gint64 wait_max_ms;
  gint64 abandoned;
  gint64 abandon_n;
  gint64 abandon_sum_ms;
  gint64 missed;
  gint64 callbacks_requested;
  gint64 callbacks_made;
  gint64 slots_offered;
  gint64 slots_booked;
  gint64 slots_used;
  gint64 slots_dna;
  gint64 slots_unused;
  gint64 slots_hub_booked;
  gint64 online_requests;         /* navigation records from the form or the intake API */
} SignpostHubTally;

/* How many navigation records of cell @cell took a route: @route is its
 * kind ("" for none), @target the profession or service for the
 * "profession" and "signpost" kinds ("" otherwise). Strings are borrowed
 * for the duration of the callback only. */
typedef gboolean (*SignpostHubRouteFunc) (guint       cell,
                                          const char *route,
                                          const char *target,
                                          gint64      count,
                                          gpointer    user_data);

typedef struct {
  char   *user_id;
  char   *role;
  gint64  expires_at;      /* Unix microseconds */
  gboolean revoked;
} SignpostTokenInfo;

void signpost_token_info_clear (SignpostTokenInfo *info);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (SignpostTokenInfo, signpost_token_info_clear)

/**
 * SignpostStoreInterface:
 *
 * Everything the HTTP layer needs from storage, with no SQL in sight. Every
 * write happens between begin() and commit(); a commit that returns %TRUE
 * is durable. Savepoints let one mutation of a batch fail without undoing
 * the others. Records carry their own version; put_record() assigns the
 * next global sequence number and refuses (SIGNPOST_ERROR_CONFLICT) to
 * give one slot two live appointments.
 */
struct _SignpostStoreInterface
{
  GTypeInterface parent_iface;

  gboolean        (*begin)                   (SignpostStore *self, GError **error);
  gboolean        (*commit)                  (SignpostStore *self, GError **error);
  void            (*rollback)                (SignpostStore *self);
  gboolean        (*savepoint)               (SignpostStore *self, GError **error);
  gboolean        (*release_savepoint)       (SignpostStore *self, GError **error);
  gboolean        (*rollback_to_savepoint)   (SignpostStore *self);

  gint64          (*get_last_seq)            (SignpostStore *self, GError **error);
  gboolean        (*put_record)              (SignpostStore *self, SignpostRecord *record,
                                              gboolean deleted, GError **error);
  SignpostRecord *(*get_record)              (SignpostStore *self, SignpostRecordKind kind,
                                              const char *id, gboolean *deleted, GError **error);
  GPtrArray      *(*list_records)            (SignpostStore *self, SignpostRecordKind kind,
                                              const char *practice_id, GError **error);
  gboolean        (*foreach_change)          (SignpostStore *self, gint64 since, guint max_rows,
                                              SignpostStoredChangeFunc func, gpointer user_data,
                                              GError **error);

  SignpostUser   *(*find_user)               (SignpostStore *self, const char *username,
                                              GError **error);
  SignpostAppointment *(*find_live_appointment) (SignpostStore *self, const char *slot_id,
                                                 GError **error);
  gboolean        (*patient_booked_between)  (SignpostStore *self, const char *patient_id,
                                              GDateTime *from, GDateTime *to,
                                              gboolean *booked, GError **error);
  SignpostCall   *(*find_call)               (SignpostStore *self, const char *line,
                                              const char *call_ref, GError **error);
  GPtrArray      *(*list_queue)              (SignpostStore *self, const char *practice_id,
                                              GError **error);
  gboolean        (*count_queue_before)      (SignpostStore *self, const char *practice_id,
                                              GDateTime *offered_at, const char *call_ref,
                                              gint64 *count, GError **error);
  gboolean        (*count_calls)             (SignpostStore *self, const char *practice_id,
                                              GDateTime *answered_since, gint64 *answered,
                                              gint64 *on_calls, GError **error);

  gboolean        (*lookup_mutation)         (SignpostStore *self, const char *mutation_id,
                                              char **user_id, char **result, GError **error);
  gboolean        (*save_mutation)           (SignpostStore *self, const char *mutation_id,
                                              const char *user_id, const char *result,
                                              GError **error);

  char           *(*get_password_hash)       (SignpostStore *self, const char *user_id,
                                              GError **error);
  gboolean        (*set_password_hash)       (SignpostStore *self, const char *user_id,
                                              const char *hash, GError **error);
  gboolean        (*save_token)              (SignpostStore *self, const char *token_hash,
                                              const char *user_id, const char *role,
                                              gint64 expires_at, GError **error);
  gboolean        (*lookup_token)            (SignpostStore *self, const char *token_hash,
                                              SignpostTokenInfo *info, GError **error);
  gboolean        (*revoke_token)            (SignpostStore *self, const char *token_hash,
                                              GError **error);
  gboolean        (*revoke_user_tokens)      (SignpostStore *self, const char *user_id,
                                              GError **error);
  gboolean        (*add_login_failure)       (SignpostStore *self, const char *key, gint64 at,
                                              GError **error);
  gboolean        (*count_login_failures)    (SignpostStore *self, const char *key, gint64 since,
                                              guint *count, gint64 *oldest, GError **error);
  gboolean        (*clear_login_failures)    (SignpostStore *self, const char *key,
                                              GError **error);

  gboolean        (*get_line)                (SignpostStore *self, const char *number,
                                              char **practice_id, char **secret, GError **error);
  gboolean        (*set_line)                (SignpostStore *self, const char *number,
                                              const char *practice_id, const char *secret,
                                              GError **error);
  gboolean        (*remember_event)          (SignpostStore *self, const char *key, gint64 at,
                                              gboolean *fresh, GError **error);

  gboolean        (*append_audit)            (SignpostStore *self, const SignpostAuditEvent *event,
                                              GError **error);
  gboolean        (*foreach_audit)           (SignpostStore *self, const char *patient_id,
                                              const char *user_id, gint64 since_id, guint limit,
                                              SignpostAuditFunc func, gpointer user_data,
                                              GError **error);

  /* Statistics. Instants are Unix milliseconds; ranges are [from, to). */
  gboolean        (*foreach_call_times)      (SignpostStore *self, const char *practice_id,
                                              gint64 from_ms, gint64 to_ms,
                                              SignpostCallTimesFunc func, gpointer user_data,
                                              GError **error);
  gboolean        (*foreach_slot_use)        (SignpostStore *self, const char *practice_id,
                                              gint64 from_ms, gint64 to_ms,
                                              SignpostSlotUseFunc func, gpointer user_data,
                                              GError **error);
  gboolean        (*foreach_triage_count)    (SignpostStore *self, const char *practice_id,
                                              gint64 from_ms, gint64 to_ms,
                                              SignpostTriageCountFunc func, gpointer user_data,
                                              GError **error);
  gboolean        (*hub_tallies)             (SignpostStore *self, const SignpostHubCell *cells,
                                              guint n_cells, SignpostHubTally *tallies,
                                              SignpostHubRouteFunc route_func, gpointer user_data,
                                              GError **error);
  gboolean        (*count_list_size)         (SignpostStore *self, const char *practice_id,
                                              gint64 *registered, GError **error);

  /* Writes made to the same database by others (an admin command, another
   * server instance): once watching, the store emits "changed-elsewhere"
   * in the main context within about a second of their commit. */
  gboolean        (*watch_changes)           (SignpostStore *self, GError **error);
  gboolean        (*foreach_patient)         (SignpostStore *self, const char *practice_id,
                                              SignpostStoredPatientFunc func, gpointer user_data,
                                              GError **error);

  /* Online requests (issue 18). */
  GPtrArray      *(*list_patients_born)      (SignpostStore *self, const char *practice_id,
                                              const char *date_of_birth, GError **error);
  gboolean        (*foreach_request_times)   (SignpostStore *self, const char *practice_id,
                                              gint64 from_ms, gint64 to_ms,
                                              SignpostRequestTimesFunc func, gpointer user_data,
                                              GError **error);
  gboolean        (*bump_counter)            (SignpostStore *self, const char *key, gint64 bucket,
                                              gint64 limit, gint64 expires_at, gint64 *count,
                                              GError **error);
  gboolean        (*foreach_counter)         (SignpostStore *self, const char *key,
                                              gint64 from_bucket, gint64 to_bucket,
                                              SignpostCounterFunc func, gpointer user_data,
                                              GError **error);
  char           *(*ensure_secret)           (SignpostStore *self, const char *name,
                                              const char *candidate, GError **error);
  gboolean        (*get_intake_source)       (SignpostStore *self, const char *name,
                                              char **practice_id, char **secret, GError **error);
  gboolean        (*set_intake_source)       (SignpostStore *self, const char *name,
                                              const char *practice_id, const char *secret,
                                              GError **error);

  /* Removing a practice that moved to another server. */
  gboolean        (*purge_practice)          (SignpostStore *self, const char *practice_id,
                                              GDateTime *now, guint *n_records, GError **error);
  gboolean        (*add_former_practice)     (SignpostStore *self, const char *user_id,
                                              const char *practice_id, GError **error);
  GStrv           (*list_former_practices)   (SignpostStore *self, const char *user_id,
                                              GError **error);

  /* Whether the database can be used now (healthz). */
  gboolean        (*check)                   (SignpostStore *self, GError **error);

  /* Several instances on one database (issue 15). */
  gboolean        (*announce)                (SignpostStore *self, const char *event,
                                              GError **error);
  gboolean        (*remove_login_failure)    (SignpostStore *self, const char *key, gint64 at,
                                              GError **error);
  /* One reader's change feed, at the cost of what it may see. */
  gboolean        (*foreach_change_in)       (SignpostStore *self, gint64 since,
                                              const char * const *practice_ids,
                                              guint everywhere, guint max_rows,
                                              SignpostStoredChangeFunc func, gpointer user_data,
                                              GError **error);

  /* Many writes at once (list and bundle imports), as the one-by-one
   * calls would make them; optional, the store's single calls otherwise. */
  gboolean        (*put_records)             (SignpostStore *self, SignpostRecord * const *records,
                                              guint n_records, GError **error);
  gboolean        (*append_audits)           (SignpostStore *self, const SignpostAuditEvent *events,
                                              guint n_events, GError **error);

  gpointer padding[2];
};

gboolean        signpost_store_begin                  (SignpostStore  *self,
                                                       GError        **error);
gboolean        signpost_store_commit                 (SignpostStore  *self,
                                                       GError        **error);
void            signpost_store_rollback               (SignpostStore  *self);
gboolean        signpost_store_savepoint              (SignpostStore  *self,
                                                       GError        **error);
gboolean        signpost_store_release_savepoint      (SignpostStore  *self,
                                                       GError        **error);
gboolean        signpost_store_rollback_to_savepoint  (SignpostStore  *self);

gint64          signpost_store_get_last_seq           (SignpostStore  *self,
                                                       GError        **error);
gboolean        signpost_store_put_record             (SignpostStore  *self,
                                                       SignpostRecord *record,
                                                       gboolean        deleted,
                                                       GError        **error);
SignpostRecord *signpost_store_get_record             (SignpostStore  *self,
                                                       SignpostRecordKind kind,
                                                       const char     *id,
                                                       gboolean       *deleted,
                                                       GError        **error);
GPtrArray      *signpost_store_list_records           (SignpostStore  *self,
                                                       SignpostRecordKind kind,
                                                       const char     *practice_id,
                                                       GError        **error);
gboolean        signpost_store_foreach_change         (SignpostStore  *self,
                                                       gint64          since,
                                                       guint           max_rows,
                                                       SignpostStoredChangeFunc func,
                                                       gpointer        user_data,
                                                       GError        **error);
gboolean        signpost_store_foreach_change_in      (SignpostStore  *self,
                                                       gint64          since,
                                                       const char * const *practice_ids,
                                                       guint           everywhere,
                                                       guint           max_rows,
                                                       SignpostStoredChangeFunc func,
                                                       gpointer        user_data,
                                                       GError        **error);

SignpostUser   *signpost_store_find_user              (SignpostStore  *self,
                                                       const char     *username,
                                                       GError        **error);
SignpostAppointment *signpost_store_find_live_appointment (SignpostStore *self,
                                                       const char     *slot_id,
                                                       GError        **error);
gboolean        signpost_store_patient_booked_between (SignpostStore  *self,
                                                       const char     *patient_id,
                                                       GDateTime      *from,
                                                       GDateTime      *to,
                                                       gboolean       *booked,
                                                       GError        **error);
SignpostCall   *signpost_store_find_call              (SignpostStore  *self,
                                                       const char     *line,
                                                       const char     *call_ref,
                                                       GError        **error);
GPtrArray      *signpost_store_list_queue             (SignpostStore  *self,
                                                       const char     *practice_id,
                                                       GError        **error);
gboolean        signpost_store_count_queue_before     (SignpostStore  *self,
                                                       const char     *practice_id,
                                                       GDateTime      *offered_at,
                                                       const char     *call_ref,
                                                       gint64         *count,
                                                       GError        **error);
gboolean        signpost_store_count_calls            (SignpostStore  *self,
                                                       const char     *practice_id,
                                                       GDateTime      *answered_since,
                                                       gint64         *answered,
                                                       gint64         *on_calls,
                                                       GError        **error);

gboolean        signpost_store_lookup_mutation        (SignpostStore  *self,
                                                       const char     *mutation_id,
                                                       char          **user_id,
                                                       char          **result,
                                                       GError        **error);
gboolean        signpost_store_save_mutation          (SignpostStore  *self,
                                                       const char     *mutation_id,
                                                       const char     *user_id,
                                                       const char     *result,
                                                       GError        **error);

char           *signpost_store_get_password_hash      (SignpostStore  *self,
                                                       const char     *user_id,
                                                       GError        **error);
gboolean        signpost_store_set_password_hash      (SignpostStore  *self,
                                                       const char     *user_id,
                                                       const char     *hash,
                                                       GError        **error);
gboolean        signpost_store_save_token             (SignpostStore  *self,
                                                       const char     *token_hash,
                                                       const char     *user_id,
                                                       const char     *role,
                                                       gint64          expires_at,
                                                       GError        **error);
gboolean        signpost_store_lookup_token           (SignpostStore  *self,
                                                       const char     *token_hash,
                                                       SignpostTokenInfo *info,
                                                       GError        **error);
gboolean        signpost_store_revoke_token           (SignpostStore  *self,
                                                       const char     *token_hash,
                                                       GError        **error);
gboolean        signpost_store_revoke_user_tokens     (SignpostStore  *self,
                                                       const char     *user_id,
                                                       GError        **error);
gboolean        signpost_store_add_login_failure      (SignpostStore  *self,
                                                       const char     *key,
                                                       gint64          at,
                                                       GError        **error);
gboolean        signpost_store_count_login_failures   (SignpostStore  *self,
                                                       const char     *key,
                                                       gint64          since,
                                                       guint          *count,
                                                       gint64         *oldest,
                                                       GError        **error);
gboolean        signpost_store_clear_login_failures   (SignpostStore  *self,
                                                       const char     *key,
                                                       GError        **error);

gboolean        signpost_store_get_line               (SignpostStore  *self,
                                                       const char     *number,
                                                       char          **practice_id,
                                                       char          **secret,
                                                       GError        **error);
gboolean        signpost_store_set_line               (SignpostStore  *self,
                                                       const char     *number,
                                                       const char     *practice_id,
                                                       const char     *secret,
                                                       GError        **error);
gboolean        signpost_store_remember_event         (SignpostStore  *self,
                                                       const char     *key,
                                                       gint64          at,
                                                       gboolean       *fresh,
                                                       GError        **error);

gboolean        signpost_store_append_audit           (SignpostStore  *self,
                                                       const SignpostAuditEvent *event,
                                                       GError        **error);
gboolean        signpost_store_foreach_audit          (SignpostStore  *self,
                                                       const char     *patient_id,
                                                       const char     *user_id,
                                                       gint64          since_id,
                                                       guint           limit,
                                                       SignpostAuditFunc func,
                                                       gpointer        user_data,
                                                       GError        **error);

gboolean        signpost_store_foreach_call_times     (SignpostStore  *self,
                                                       const char     *practice_id,
                                                       gint64          from_ms,
                                                       gint64          to_ms,
                                                       SignpostCallTimesFunc func,
                                                       gpointer        user_data,
                                                       GError        **error);
gboolean        signpost_store_foreach_slot_use       (SignpostStore  *self,
                                                       const char     *practice_id,
                                                       gint64          from_ms,
                                                       gint64          to_ms,
                                                       SignpostSlotUseFunc func,
                                                       gpointer        user_data,
                                                       GError        **error);
gboolean        signpost_store_foreach_triage_count   (SignpostStore  *self,
                                                       const char     *practice_id,
                                                       gint64          from_ms,
                                                       gint64          to_ms,
                                                       SignpostTriageCountFunc func,
                                                       gpointer        user_data,
                                                       GError        **error);
gboolean        signpost_store_hub_tallies            (SignpostStore  *self,
                                                       const SignpostHubCell *cells,
                                                       guint           n_cells,
                                                       SignpostHubTally *tallies,
                                                       SignpostHubRouteFunc route_func,
                                                       gpointer        user_data,
                                                       GError        **error);
gboolean        signpost_store_count_list_size        (SignpostStore  *self,
                                                       const char     *practice_id,
                                                       gint64         *registered,
                                                       GError        **error);

GPtrArray      *signpost_store_list_patients_born     (SignpostStore  *self,
                                                       const char     *practice_id,
                                                       const char     *date_of_birth,
                                                       GError        **error);
gboolean        signpost_store_foreach_request_times  (SignpostStore  *self,
                                                       const char     *practice_id,
                                                       gint64          from_ms,
                                                       gint64          to_ms,
                                                       SignpostRequestTimesFunc func,
                                                       gpointer        user_data,
                                                       GError        **error);
gboolean        signpost_store_bump_counter           (SignpostStore  *self,
                                                       const char     *key,
                                                       gint64          bucket,
                                                       gint64          limit,
                                                       gint64          expires_at,
                                                       gint64         *count,
                                                       GError        **error);
gboolean        signpost_store_foreach_counter        (SignpostStore  *self,
                                                       const char     *key,
                                                       gint64          from_bucket,
                                                       gint64          to_bucket,
                                                       SignpostCounterFunc func,
                                                       gpointer        user_data,
                                                       GError        **error);
char           *signpost_store_ensure_secret          (SignpostStore  *self,
                                                       const char     *name,
                                                       const char     *candidate,
                                                       GError        **error);
gboolean        signpost_store_get_intake_source      (SignpostStore  *self,
                                                       const char     *name,
                                                       char          **practice_id,
                                                       char          **secret,
                                                       GError        **error);
gboolean        signpost_store_set_intake_source      (SignpostStore  *self,
                                                       const char     *name,
                                                       const char     *practice_id,
                                                       const char     *secret,
                                                       GError        **error);
gboolean        signpost_store_watch_changes          (SignpostStore  *self,
                                                       GError        **error);
gboolean        signpost_store_put_records            (SignpostStore  *self,
                                                       SignpostRecord * const *records,
                                                       guint           n_records,
                                                       GError        **error);
gboolean        signpost_store_append_audits          (SignpostStore  *self,
                                                       const SignpostAuditEvent *events,
                                                       guint           n_events,
                                                       GError        **error);
gboolean        signpost_store_purge_practice         (SignpostStore  *self,
                                                       const char     *practice_id,
                                                       GDateTime      *now,
                                                       guint          *n_records,
                                                       GError        **error);
gboolean        signpost_store_add_former_practice    (SignpostStore  *self,
                                                       const char     *user_id,
                                                       const char     *practice_id,
                                                       GError        **error);
GStrv           signpost_store_list_former_practices  (SignpostStore  *self,
                                                       const char     *user_id,
                                                       GError        **error);
gboolean        signpost_store_foreach_patient        (SignpostStore  *self,
                                                       const char     *practice_id,
                                                       SignpostStoredPatientFunc func,
                                                       gpointer        user_data,
                                                       GError        **error);
gboolean        signpost_store_check                  (SignpostStore  *self,
                                                       GError        **error);
gboolean        signpost_store_announce               (SignpostStore  *self,
                                                       const char     *event,
                                                       GError        **error);
gboolean        signpost_store_remove_login_failure   (SignpostStore  *self,
                                                       const char     *key,
                                                       gint64          at,
                                                       GError        **error);

G_END_DECLS
