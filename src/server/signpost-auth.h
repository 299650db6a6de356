/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "signpost-core.h"
#include "signpost-principal.h"
#include "signpost-store.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_AUTH (signpost_auth_get_type ())
G_DECLARE_FINAL_TYPE (SignpostAuth, signpost_auth, SIGNPOST, AUTH, GObject)

/* Five failures for one username or one client address within five
 * minutes, and further attempts are refused until the oldest expires. */
#define SIGNPOST_AUTH_MAX_FAILURES 5
#define SIGNPOST_AUTH_FAILURE_WINDOW_SECONDS (5 * 60)
#define SIGNPOST_AUTH_DEFAULT_TOKEN_LIFETIME_SECONDS (12 * 60 * 60)

SignpostAuth      *signpost_auth_new                 (SignpostStore        *store,
                                                      guint                 token_lifetime_s);
void               signpost_auth_login_async         (SignpostAuth         *self,
                                                      const char           *username,
                                                      const char           *password,
                                                      const char           *role,
                                                      const char           *client,
                                                      GCancellable         *cancellable,
                                                      GAsyncReadyCallback   callback,
                                                      gpointer              user_data);
JsonObject        *signpost_auth_login_finish        (SignpostAuth         *self,
                                                      GAsyncResult         *result,
                                                      guint                *retry_after,
                                                      GError              **error);
SignpostPrincipal *signpost_auth_authenticate        (SignpostAuth         *self,
                                                      const char           *authorization,
                                                      const char           *client,
                                                      GError              **error);
SignpostPrincipal *signpost_auth_refresh             (SignpostAuth         *self,
                                                      SignpostPrincipal    *principal);
gboolean           signpost_auth_logout              (SignpostAuth         *self,
                                                      SignpostPrincipal    *principal,
                                                      GError              **error);
JsonObject        *signpost_auth_describe            (SignpostAuth         *self,
                                                      SignpostPrincipal    *principal,
                                                      GError              **error);

char              *signpost_auth_hash_password       (const char           *password,
                                                      GError              **error);
char              *signpost_auth_hash_token          (const char           *token);

G_END_DECLS
