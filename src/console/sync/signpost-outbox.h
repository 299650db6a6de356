/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-cache.h"
#include "signpost-outbox-item.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_OUTBOX (signpost_outbox_get_type ())
G_DECLARE_FINAL_TYPE (SignpostOutbox, signpost_outbox, SIGNPOST, OUTBOX, GObject)

/*
 * SignpostOutbox: every change a user makes, in the order made. Each call
 * below writes the change to disk (synchronous=FULL) before it returns
 * TRUE, lays it over the cached record (marked pending) and emits
 * ::records-changed on the cache; the sync engine sends what is waiting, in
 * order, whenever it is online. The outbox is a GListModel of
 * SignpostOutboxItem: waiting entries and the conflicts and rejections the
 * user still has to resolve (never dropped silently).
 *
 * ::result (SignpostMutationResult *) follows each answer from the server
 * to one of these changes, once the cache holds it.
 *
 * Call commands (answer, end, complete) are not accepted here: a call
 * cannot be answered offline. Use signpost_sync_engine_send_command_async().
 */

SignpostOutbox *signpost_outbox_new            (SignpostCache       *cache);
SignpostCache  *signpost_outbox_get_cache      (SignpostOutbox      *self);
guint           signpost_outbox_get_n_waiting  (SignpostOutbox      *self);
guint           signpost_outbox_get_n_problems (SignpostOutbox      *self);

/* Creates @record if the cache has no record with its id, else sends the
 * fields that differ from the cached one (nothing when none do). */
gboolean        signpost_outbox_save           (SignpostOutbox      *self,
                                                SignpostRecord      *record,
                                                const char          *label,
                                                GError             **error);
gboolean        signpost_outbox_delete         (SignpostOutbox      *self,
                                                SignpostRecordKind   kind,
                                                const char          *id,
                                                const char          *label,
                                                GError             **error);
/* Any mutation (SignpostActions builds the commands): fills in
 * mutation_id and base_version when unset. */
gboolean        signpost_outbox_enqueue        (SignpostOutbox      *self,
                                                SignpostMutation    *mutation,
                                                const char          *label,
                                                GError             **error);

SignpostOutboxItem *signpost_outbox_find       (SignpostOutbox      *self,
                                                const char          *mutation_id);
/* Resolving a conflict or rejection: give up the change (the cache keeps
 * the server's record), or send it again on top of the server's current
 * version, with @data replacing the change's data when not NULL. */
gboolean        signpost_outbox_discard        (SignpostOutbox      *self,
                                                const char          *mutation_id,
                                                GError             **error);
gboolean        signpost_outbox_retry          (SignpostOutbox      *self,
                                                const char          *mutation_id,
                                                JsonObject          *data,
                                                GError             **error);

/* For the sync engine. */
GPtrArray      *signpost_outbox_peek_waiting   (SignpostOutbox         *self,
                                                guint                   max);
gboolean        signpost_outbox_apply_result   (SignpostOutbox         *self,
                                                SignpostMutationResult *result,
                                                GError                **error);
void            signpost_outbox_note_failure   (SignpostOutbox         *self,
                                                const char             *mutation_id,
                                                const char             *message);
void            signpost_outbox_reload         (SignpostOutbox         *self);

G_END_DECLS
