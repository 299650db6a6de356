/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SIGNPOST_TYPE_QUEUE_SUMMARY (signpost_queue_summary_get_type ())
G_DECLARE_FINAL_TYPE (SignpostQueueSummary, signpost_queue_summary, SIGNPOST, QUEUE_SUMMARY, GObject)

/*
 * SignpostQueueSummary: one practice's phone queue as the server counts it
 * now (GET /queue, PROTOCOL.md "Queue"): what the console's cache cannot
 * know, such as the calls answered today. Immutable.
 */

SignpostQueueSummary *signpost_queue_summary_new_from_json     (JsonNode              *node,
                                                                GError               **error);
const char           *signpost_queue_summary_get_practice_id   (SignpostQueueSummary  *self);
guint                 signpost_queue_summary_get_waiting       (SignpostQueueSummary  *self);
/* NaN when nobody is waiting. */
double                signpost_queue_summary_get_longest_wait  (SignpostQueueSummary  *self);
guint                 signpost_queue_summary_get_callbacks_due (SignpostQueueSummary  *self);
guint                 signpost_queue_summary_get_answered_today (SignpostQueueSummary *self);
guint                 signpost_queue_summary_get_on_calls      (SignpostQueueSummary  *self);

G_END_DECLS
