/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "signpost-call-event.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_CALL_HUB (signpost_call_hub_get_type ())
G_DECLARE_FINAL_TYPE (SignpostCallHub, signpost_call_hub, SIGNPOST, CALL_HUB, GObject)

/*
 * SignpostCallHub: where live call events come out, as GNOME Calls'
 * CallsManager. The sync engine feeds it from the WebSocket; tests and
 * demos can feed it directly with signpost_call_hub_dispatch(). The queue
 * page, the caller popup and anything else subscribe to its signals
 * (::call-offered, ::call-answered, ::call-abandoned,
 * ::call-callback-requested, ::call-ended, ::call-callback-done, and
 * ::call-event for all of them) without knowing where events come from,
 * and catch up on creation from signpost_call_hub_get_active_calls().
 *
 * :available is FALSE while the console is offline: the queue comes from
 * the server, so pages show "phones unavailable" instead of a stale queue.
 */

SignpostCallHub *signpost_call_hub_new                (void);
void             signpost_call_hub_dispatch           (SignpostCallHub   *self,
                                                       SignpostCallEvent *event);
GListModel      *signpost_call_hub_get_active_calls   (SignpostCallHub   *self);
void             signpost_call_hub_reset              (SignpostCallHub   *self);
gboolean         signpost_call_hub_get_available      (SignpostCallHub   *self);
void             signpost_call_hub_set_available      (SignpostCallHub   *self,
                                                       gboolean           available);
const char      *signpost_call_hub_get_user_id        (SignpostCallHub   *self);
void             signpost_call_hub_set_user_id        (SignpostCallHub   *self,
                                                       const char        *user_id);
gboolean         signpost_call_hub_is_mine            (SignpostCallHub   *self,
                                                       SignpostCallEvent *event);

G_END_DECLS
