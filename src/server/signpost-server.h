/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "signpost-live.h"
#include "signpost-request-form.h"
#include "signpost-store.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_SERVER (signpost_server_get_type ())
G_DECLARE_FINAL_TYPE (SignpostServer, signpost_server, SIGNPOST, SERVER, GObject)

#define SIGNPOST_SERVER_DEFAULT_PORT 8765
#define SIGNPOST_SERVER_MAX_BODY (1024 * 1024)
/* A list to import: the largest file (64 MiB) and room for a mapping file
 * and the multipart framing around them. */
#define SIGNPOST_SERVER_MAX_IMPORT_BODY (65 * 1024 * 1024)
/* Retry-After on a 503, in seconds. */
#define SIGNPOST_SERVER_RETRY_AFTER_S "2"

/**
 * SignpostServerOptions:
 * @trusted_proxy: the address of a reverse proxy whose X-Forwarded-For is
 *   believed, or %NULL to use the peer's address
 * @ping_interval_ms: how often live clients are pinged (15 s)
 * @idle_timeout_ms: how long a live client may stay silent (45 s)
 * @max_backlog: frames a live client may fall behind (256)
 * @token_lifetime_s: how long a token lasts (12 h)
 * @max_body: the largest request body accepted (1 MiB)
 * @form_limits: the online request form's rate limits
 * @request_timeout_ms: how long a request may take to arrive in full,
 *   headers and body, from its first byte (or a new connection from its
 *   accept) (30 s)
 * @connection_idle_ms: how long a kept-alive connection may wait for its
 *   next request (100 s)
 */
typedef struct {
  const char *trusted_proxy;
  guint ping_interval_ms;
  guint idle_timeout_ms;
  guint max_backlog;
  guint token_lifetime_s;
  gsize max_body;
  SignpostFormLimits form_limits;
  guint request_timeout_ms;
  guint connection_idle_ms;
  gboolean replayed_time;
} SignpostServerOptions;

void            signpost_server_options_init    (SignpostServerOptions        *options);

SignpostServer *signpost_server_new             (SignpostStore                *store,
                                                 const SignpostServerOptions  *options);
gboolean        signpost_server_listen          (SignpostServer               *self,
                                                 const char                   *address,
                                                 guint                         port,
                                                 const char                   *tls_cert,
                                                 const char                   *tls_key,
                                                 GError                      **error);
guint           signpost_server_get_port        (SignpostServer               *self);
gboolean        signpost_server_is_https        (SignpostServer               *self);
SignpostStore  *signpost_server_get_store       (SignpostServer               *self);
SignpostLive   *signpost_server_get_live        (SignpostServer               *self);
guint           signpost_server_get_n_in_flight (SignpostServer               *self);
void            signpost_server_shutdown_async  (SignpostServer               *self,
                                                 GCancellable                 *cancellable,
                                                 GAsyncReadyCallback           callback,
                                                 gpointer                      user_data);
gboolean        signpost_server_shutdown_finish (SignpostServer               *self,
                                                 GAsyncResult                 *result,
                                                 GError                      **error);

G_END_DECLS
