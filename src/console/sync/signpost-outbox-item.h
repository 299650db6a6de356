/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-core.h"
#include "signpost-sync-enums.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_OUTBOX_ITEM (signpost_outbox_item_get_type ())
G_DECLARE_FINAL_TYPE (SignpostOutboxItem, signpost_outbox_item, SIGNPOST, OUTBOX_ITEM, GObject)

/* One change made at this PC: waiting to be sent, or kept after the server
 * answered "conflict" or "rejected" until the user resolves it. */
SignpostOutboxItem  *signpost_outbox_item_new              (SignpostMutation    *mutation,
                                                            SignpostOutboxState  state,
                                                            const char          *label,
                                                            GDateTime           *created_at);

SignpostMutation    *signpost_outbox_item_get_mutation     (SignpostOutboxItem *self);
const char          *signpost_outbox_item_get_mutation_id  (SignpostOutboxItem *self);
const char          *signpost_outbox_item_get_record_id    (SignpostOutboxItem *self);
SignpostRecordKind   signpost_outbox_item_get_kind         (SignpostOutboxItem *self);
SignpostOp           signpost_outbox_item_get_op           (SignpostOutboxItem *self);
SignpostOutboxState  signpost_outbox_item_get_state        (SignpostOutboxItem *self);
void                 signpost_outbox_item_set_state        (SignpostOutboxItem  *self,
                                                            SignpostOutboxState  state);
const char          *signpost_outbox_item_get_label        (SignpostOutboxItem *self);
GDateTime           *signpost_outbox_item_get_created_at   (SignpostOutboxItem *self);
guint                signpost_outbox_item_get_attempts     (SignpostOutboxItem *self);
void                 signpost_outbox_item_set_attempts     (SignpostOutboxItem *self,
                                                            guint               attempts);
const char          *signpost_outbox_item_get_last_error   (SignpostOutboxItem *self);
void                 signpost_outbox_item_set_last_error   (SignpostOutboxItem *self,
                                                            const char         *message);
/* For a conflict: the server's current record. */
SignpostRecord      *signpost_outbox_item_get_current      (SignpostOutboxItem *self);
void                 signpost_outbox_item_set_current      (SignpostOutboxItem *self,
                                                            SignpostRecord     *record);
/* For a rejection: the problem's title and detail, fit to show. */
const char          *signpost_outbox_item_get_problem_title  (SignpostOutboxItem *self);
const char          *signpost_outbox_item_get_problem_detail (SignpostOutboxItem *self);
void                 signpost_outbox_item_set_problem        (SignpostOutboxItem *self,
                                                              const char         *title,
                                                              const char         *detail);
/* A booking's patient, reason and request (NULL for other changes). */
SignpostBooking     *signpost_outbox_item_dup_booking        (SignpostOutboxItem *self);

G_END_DECLS
