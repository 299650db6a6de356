/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_QUEUE_PAGE (signpost_queue_page_get_type ())
G_DECLARE_FINAL_TYPE (SignpostQueuePage, signpost_queue_page, SIGNPOST, QUEUE_PAGE, AdwBin)

/*
 * The live phone queue (:actions is the signed-in user's sync actions):
 * headline figures, the calls waiting in queue order with their place and
 * time waiting, the callbacks holding their place, and who is on a call.
 * Lists follow the cache's call models row by row; the time labels tick
 * from one shared SignpostTicker. Offline, it says the phones are
 * unavailable instead of showing an old queue.
 *
 * Keys (anywhere in the window): F2 answers the caller at the front, F3
 * ends the current call and goes on to the triage form, F4 shows the
 * caller popup and moves the keyboard there; Enter on a row answers that
 * call (or calls that callback back).
 *
 * :notice is the last message shown as a toast ("Another navigator
 * answered that call."), for tests and screen readers.
 */
SignpostActions    *signpost_queue_page_get_actions          (SignpostQueuePage  *self);
void                signpost_queue_page_set_actions          (SignpostQueuePage  *self,
                                                             SignpostActions    *actions);
GListModel         *signpost_queue_page_get_waiting         (SignpostQueuePage  *self);
GListModel         *signpost_queue_page_get_callbacks       (SignpostQueuePage  *self);
GListModel         *signpost_queue_page_get_in_progress     (SignpostQueuePage  *self);
void                signpost_queue_page_answer_next         (SignpostQueuePage  *self);
void                signpost_queue_page_answer_call         (SignpostQueuePage  *self,
                                                             const char         *call_id);
const char         *signpost_queue_page_get_notice          (SignpostQueuePage  *self);
/* The call bar's words: this navigator's call, or what became of the
 * last callback and "You are free". */
const char         *signpost_queue_page_get_status          (SignpostQueuePage  *self);
const char         *signpost_queue_page_get_figure          (SignpostQueuePage  *self,
                                                             const char         *name);
gboolean            signpost_queue_page_get_phones_available (SignpostQueuePage *self);

G_END_DECLS
