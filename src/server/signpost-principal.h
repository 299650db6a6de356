/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-core.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_PRINCIPAL (signpost_principal_get_type ())
G_DECLARE_FINAL_TYPE (SignpostPrincipal, signpost_principal, SIGNPOST, PRINCIPAL, GObject)

/* Who is asking: the signed-in user, the role their token carries, and
 * where the request came from. Immutable. */
SignpostPrincipal   *signpost_principal_new              (SignpostUser      *user,
                                                          SignpostRole       role,
                                                          const char        *token_hash,
                                                          gint64             expires_at,
                                                          const char        *client);
SignpostUser        *signpost_principal_get_user         (SignpostPrincipal *self);
const char          *signpost_principal_get_user_id      (SignpostPrincipal *self);
const char          *signpost_principal_get_username     (SignpostPrincipal *self);
SignpostRole         signpost_principal_get_role         (SignpostPrincipal *self);
const char          *signpost_principal_get_role_nick    (SignpostPrincipal *self);
const char * const  *signpost_principal_get_practice_ids (SignpostPrincipal *self);
gboolean             signpost_principal_has_practice     (SignpostPrincipal *self,
                                                          const char        *practice_id);
gboolean             signpost_principal_shares_practice  (SignpostPrincipal *self,
                                                          const char * const *practice_ids);
gboolean             signpost_principal_is_hub           (SignpostPrincipal *self);
const char          *signpost_principal_get_token_hash   (SignpostPrincipal *self);
gint64               signpost_principal_get_expires_at   (SignpostPrincipal *self);
const char          *signpost_principal_get_client       (SignpostPrincipal *self);

G_END_DECLS
