/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_CALL_DESK (signpost_call_desk_get_type ())
G_DECLARE_FINAL_TYPE (SignpostCallDesk, signpost_call_desk, SIGNPOST, CALL_DESK, GObject)

/*
 * SignpostCallDesk: this console's hands on the phones, one per
 * SignpostActions, shared by the queue page and the caller popup. It sends
 * the call commands through the actions (answer, end, complete: at once,
 * never queued; a lost race comes back in words a navigator understands)
 * and knows which call this navigator is on (:current-call).
 *
 * ::answered (SignpostCall *call) is emitted when an answer sent from this
 * console won: the popup follows it and takes the keyboard then, because
 * the navigator has just asked for that call. :next-call is the call at
 * the front of the queue of the practices in view, known from the phones'
 * own events before the cache has it: what F2 answers, and what the popup
 * offers a free navigator. ::caller-requested asks the
 * popup to show the current caller again and take the keyboard (F4, the
 * queue page's "Show Caller").
 */

SignpostCallDesk   *signpost_call_desk_get_for_actions  (SignpostActions    *actions);
/* The shell's and tests' way in: the desk of the engine's actions. */
SignpostCallDesk   *signpost_call_desk_get_for_engine   (SignpostSyncEngine *engine);
SignpostActions    *signpost_call_desk_get_actions      (SignpostCallDesk   *self);
SignpostCall       *signpost_call_desk_get_current_call (SignpostCallDesk   *self);
SignpostCall       *signpost_call_desk_get_next_call    (SignpostCallDesk   *self);
gboolean            signpost_call_desk_get_busy         (SignpostCallDesk   *self);
void                signpost_call_desk_request_caller   (SignpostCallDesk   *self);
gboolean            signpost_call_desk_is_mine          (SignpostCallDesk   *self,
                                                         SignpostCall       *call);

void                signpost_call_desk_answer_async     (SignpostCallDesk    *self,
                                                         const char          *call_id,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
SignpostCall       *signpost_call_desk_answer_finish    (SignpostCallDesk    *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
void                signpost_call_desk_end_async        (SignpostCallDesk    *self,
                                                         const char          *call_id,
                                                         GCancellable        *cancellable,
                                                         GAsyncReadyCallback  callback,
                                                         gpointer             user_data);
SignpostCall       *signpost_call_desk_end_finish       (SignpostCallDesk    *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);
/* A callback: @outcome is REACHED or NO_ANSWER; the server closes it as
 * failed contact after the second no answer. */
void                signpost_call_desk_complete_async   (SignpostCallDesk        *self,
                                                         const char              *call_id,
                                                         SignpostCallbackOutcome  outcome,
                                                         GCancellable            *cancellable,
                                                         GAsyncReadyCallback      callback,
                                                         gpointer                 user_data);
SignpostCall       *signpost_call_desk_complete_finish  (SignpostCallDesk    *self,
                                                         GAsyncResult        *result,
                                                         GError             **error);

G_END_DECLS
