/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/**
 * SignpostCallgenReply:
 * @status: the HTTP status
 * @object: (nullable): the body, if it was a JSON object
 * @retry_after_s: the Retry-After header in seconds, or -1
 *
 * What the server answered, whatever the status: callers decide what a
 * 401 or a 429 means for them.
 */
typedef struct {
  guint status;
  JsonObject *object;
  int retry_after_s;
} SignpostCallgenReply;

void        signpost_callgen_reply_free      (SignpostCallgenReply *reply);
const char *signpost_callgen_json_get_string (JsonObject           *object,
                                              const char           *member);
char       *signpost_callgen_reply_describe  (SignpostCallgenReply *reply);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignpostCallgenReply, signpost_callgen_reply_free)

#define SIGNPOST_TYPE_CALLGEN_CLIENT (signpost_callgen_client_get_type ())
G_DECLARE_FINAL_TYPE (SignpostCallgenClient, signpost_callgen_client, SIGNPOST, CALLGEN_CLIENT, GObject)

SignpostCallgenClient *signpost_callgen_client_new          (const char             *server_url,
                                                             guint                   max_conns,
                                                             GError                **error);
const char            *signpost_callgen_client_get_base_url (SignpostCallgenClient  *self);
void                   signpost_callgen_client_set_token    (SignpostCallgenClient  *self,
                                                             const char             *token);
gboolean               signpost_callgen_client_set_ca_file  (SignpostCallgenClient  *self,
                                                             const char             *path,
                                                             GError                **error);
void                   signpost_callgen_client_request_async (SignpostCallgenClient *self,
                                                             const char             *method,
                                                             const char             *path,
                                                             JsonObject             *body,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
void                   signpost_callgen_client_replay_mutations_async (SignpostCallgenClient *self,
                                                             const char             *token,
                                                             gint64                  at_us,
                                                             JsonArray              *mutations,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
void                   signpost_callgen_client_post_event_async (SignpostCallgenClient *self,
                                                             const char             *secret,
                                                             GBytes                 *body,
                                                             GCancellable           *cancellable,
                                                             GAsyncReadyCallback     callback,
                                                             gpointer                user_data);
SignpostCallgenReply  *signpost_callgen_client_request_finish (SignpostCallgenClient *self,
                                                             GAsyncResult           *result,
                                                             GError                **error);

G_END_DECLS
