/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "signpost-sync-enums.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_CALL_EVENT (signpost_call_event_get_type ())
G_DECLARE_FINAL_TYPE (SignpostCallEvent, signpost_call_event, SIGNPOST, CALL_EVENT, GObject)

/* Something that just happened to a call (a live "call" frame). :cli is
 * NULL when withheld or hidden from the role; :received-us is the
 * monotonic time it reached this console, for latency measurements. */
SignpostCallEvent     *signpost_call_event_new_from_json  (JsonObject         *frame,
                                                           GError            **error);
SignpostCallEvent     *signpost_call_event_new            (SignpostCallEventKind kind,
                                                           const char         *call_id,
                                                           const char         *practice_id,
                                                           const char         *line,
                                                           const char         *cli,
                                                           const char         *answered_by);
SignpostCallEventKind  signpost_call_event_get_kind        (SignpostCallEvent *self);
const char            *signpost_call_event_get_call_id     (SignpostCallEvent *self);
const char            *signpost_call_event_get_practice_id (SignpostCallEvent *self);
const char            *signpost_call_event_get_line        (SignpostCallEvent *self);
const char            *signpost_call_event_get_cli         (SignpostCallEvent *self);
const char            *signpost_call_event_get_answered_by (SignpostCallEvent *self);
GDateTime             *signpost_call_event_get_at          (SignpostCallEvent *self);
gint64                 signpost_call_event_get_received_us (SignpostCallEvent *self);

G_END_DECLS
