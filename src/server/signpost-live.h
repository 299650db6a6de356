/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "signpost-core.h"
#include "signpost-principal.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_LIVE (signpost_live_get_type ())
G_DECLARE_FINAL_TYPE (SignpostLive, signpost_live, SIGNPOST, LIVE, GObject)

/* Close code for a client that fell behind or went quiet: resync. */
#define SIGNPOST_LIVE_CLOSE_RESYNC 4000
/* Close code for a client whose token expired or was revoked, or whose
 * account was disabled or lost the token's role. */
#define SIGNPOST_LIVE_CLOSE_SIGNED_OUT 4001

/* A connected client's sign-in checked again: a principal for the account
 * as it stands (@principal itself, reffed, if nothing changed), or %NULL
 * if it no longer holds. */
typedef SignpostPrincipal *(*SignpostLiveRefreshFunc) (SignpostPrincipal *principal,
                                                       gpointer           user_data);

SignpostLive *signpost_live_new               (guint                    ping_interval_ms,
                                               guint                    idle_timeout_ms,
                                               guint                    max_backlog);
void          signpost_live_set_refresh_func  (SignpostLive            *self,
                                               SignpostLiveRefreshFunc  func,
                                               gpointer                 user_data);
void          signpost_live_refresh_users     (SignpostLive            *self,
                                               GPtrArray               *changed);
void          signpost_live_add_client        (SignpostLive            *self,
                                               SoupWebsocketConnection *connection,
                                               SignpostPrincipal       *principal,
                                               gint64                   last_seq);
void          signpost_live_notify_changes    (SignpostLive            *self,
                                               gint64                   last_seq,
                                               GPtrArray               *changed);
void          signpost_live_send_call_event   (SignpostLive            *self,
                                               JsonObject              *event);
void          signpost_live_close_all         (SignpostLive            *self,
                                               gushort                  code,
                                               const char              *reason);
guint         signpost_live_get_n_clients     (SignpostLive            *self);

JsonObject   *signpost_live_call_event_new    (SignpostCall            *call,
                                               const char              *event,
                                               GDateTime               *at);

G_END_DECLS
