/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-cache.h"
#include "signpost-outbox-item.h"

G_BEGIN_DECLS

/*
 * Between the cache's files, the outbox and the actions only. The cache is
 * one class over several files, each one job:
 *
 *   signpost-cache.c          the object, opening, records of any kind
 *   signpost-cache-schema.c   tables, migrations, indexes, reset
 *   signpost-cache-feed.c     applying the server's change feed
 *   signpost-cache-overlay.c  waiting changes laid over the server's records
 *   signpost-cache-outbox.c   the outbox's rows, patient views to audit
 *   signpost-cache-drafts.c   forms being filled in
 *   signpost-cache-patients.c the patient search and the caller lookup
 *   signpost-cache-calls.c    the phone queue's calls, navigation requests
 *   signpost-cache-requests.c the Requests page's open requests of every source
 *   signpost-cache-diary.c    slots, appointments, the slot searches
 */

struct _SignpostCache
{
  GObject parent_instance;

  char *path;
  SignpostDb *db;
  GMutex writer_lock;
  SignpostDb *writer;
  char *user_id;
  gint64 last_seq;
  GHashTable *practice_names;
};

/* What one write changed, for ::records-changed. */
typedef struct {
  GPtrArray *changed; /* SignpostRecord */
  GPtrArray *removed; /* char * */
} SignpostCacheChanges;

void        signpost_cache_changes_init         (SignpostCacheChanges   *changes);
void        signpost_cache_changes_clear        (SignpostCacheChanges   *changes);
void        signpost_cache_changes_add          (SignpostCacheChanges   *changes,
                                                 SignpostRecord         *record);
void        signpost_cache_changes_remove       (SignpostCacheChanges   *changes,
                                                 const char             *id);
void        signpost_cache_emit_changes         (SignpostCache          *self,
                                                 SignpostCacheChanges   *changes);

/* Rows and records (signpost-cache.c). */
char       *signpost_cache_now_timestamp        (void);
gint64      signpost_cache_instant_ms           (GDateTime              *instant);
SignpostRecord *signpost_cache_decode_record    (SignpostRecordKind      kind,
                                                 const char             *text,
                                                 gboolean                pending);
char       *signpost_cache_encode_record        (SignpostRecord         *record);
/* The (kind, data, pending) rows of @stmt as records; NULL and @error when
 * reading failed. Resets @stmt. */
GPtrArray  *signpost_cache_collect_records      (SignpostCache          *self,
                                                 sqlite3_stmt           *stmt,
                                                 GError                **error);
char       *signpost_cache_states_json          (const int              *values);

/* The schema (signpost-cache-schema.c). */
gboolean    signpost_cache_migrate              (SignpostDb             *db,
                                                 GError                **error);
gboolean    signpost_cache_index_record         (SignpostDb             *db,
                                                 gint64                  rid,
                                                 SignpostRecord         *record,
                                                 gboolean                fresh,
                                                 GError                **error);
gboolean    signpost_cache_unindex_record       (SignpostDb             *db,
                                                 gint64                  rid,
                                                 SignpostRecordKind      kind,
                                                 GError                **error);

/* Waiting changes over the server's state (signpost-cache-overlay.c). */
typedef struct {
  SignpostRecordKind kind;
  SignpostOp op;
  char *record_id;
  char *related_id;
  char *practice_id;
  SignpostMutation *mutation;
} SignpostCacheOverlay;

void        signpost_cache_overlay_free         (gpointer                overlay);
/* The changes waiting for @id (or for the record it makes, e.g. a
 * booking's appointment), in outbox order. */
GPtrArray  *signpost_cache_read_overlays        (SignpostDb             *db,
                                                 const char             *id,
                                                 GError                **error);
/* The server accepted @overlay's change (@result): its record, and the
 * appointment a booking made, become the server's state. */
gboolean    signpost_cache_promote_overlay      (SignpostCache          *self,
                                                 SignpostCacheOverlay   *overlay,
                                                 SignpostMutationResult *result,
                                                 SignpostCacheChanges   *changes,
                                                 GError                **error);
gboolean    signpost_cache_refresh_record       (SignpostDb             *db,
                                                 const char             *id,
                                                 const char             *user_id,
                                                 SignpostCacheChanges   *changes,
                                                 GError                **error);
gboolean    signpost_cache_set_server_state     (SignpostDb             *db,
                                                 const char             *id,
                                                 SignpostRecordKind      kind,
                                                 SignpostRecord         *record,
                                                 gint64                  seq,
                                                 gboolean                check_seq,
                                                 const char             *user_id,
                                                 SignpostCacheChanges   *changes,
                                                 GError                **error);

SignpostDb *signpost_cache_get_db               (SignpostCache          *self);

gboolean    signpost_cache_outbox_add           (SignpostCache          *self,
                                                 SignpostMutation       *mutation,
                                                 const char             *related_id,
                                                 const char             *practice_id,
                                                 const char             *label,
                                                 GError                **error);
GPtrArray  *signpost_cache_outbox_list          (SignpostCache          *self);
gboolean    signpost_cache_outbox_resolve       (SignpostCache          *self,
                                                 SignpostMutationResult *result,
                                                 GError                **error);
gboolean    signpost_cache_outbox_remove        (SignpostCache          *self,
                                                 const char             *mutation_id,
                                                 GError                **error);
gboolean    signpost_cache_outbox_note_attempt  (SignpostCache          *self,
                                                 const char             *mutation_id,
                                                 const char             *message,
                                                 GError                **error);
gint64      signpost_cache_expected_version     (SignpostCache          *self,
                                                 const char             *record_id);

/* Exactly one of @patient_id and @triage_id is set. */
typedef struct {
  gint64 position;
  char *patient_id;
  char *context;
  char *triage_id;
} SignpostPendingView;

GPtrArray  *signpost_cache_list_views           (SignpostCache          *self,
                                                 guint                   max);
gboolean    signpost_cache_remove_view          (SignpostCache          *self,
                                                 gint64                  position,
                                                 GError                **error);

void        signpost_record_set_pending_mark    (SignpostRecord         *record,
                                                 gboolean                pending);

G_END_DECLS
