/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-principal.h"

struct _SignpostPrincipal
{
  GObject parent_instance;

  SignpostUser *user;
  SignpostRole role;
  char *token_hash;
  gint64 expires_at;
  char *client;
};

G_DEFINE_FINAL_TYPE (SignpostPrincipal, signpost_principal, G_TYPE_OBJECT)

static void
signpost_principal_finalize (GObject *object)
{
  SignpostPrincipal *self = SIGNPOST_PRINCIPAL (object);

  g_clear_object (&self->user);
  g_clear_pointer (&self->token_hash, g_free);
  g_clear_pointer (&self->client, g_free);

  G_OBJECT_CLASS (signpost_principal_parent_class)->finalize (object);
}

static void
signpost_principal_class_init (SignpostPrincipalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_principal_finalize;
}

static void
signpost_principal_init (SignpostPrincipal *self)
{
}

SignpostPrincipal *
signpost_principal_new (SignpostUser *user,
                        SignpostRole  role,
                        const char   *token_hash,
                        gint64        expires_at,
                        const char   *client)
{
  SignpostPrincipal *self;

  g_return_val_if_fail (SIGNPOST_IS_USER (user), NULL);

  self = g_object_new (SIGNPOST_TYPE_PRINCIPAL, NULL);
  self->user = g_object_ref (user);
  self->role = role;
  self->token_hash = g_strdup (token_hash);
  self->expires_at = expires_at;
  self->client = g_strdup (client);
  return self;
}

SignpostUser *
signpost_principal_get_user (SignpostPrincipal *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PRINCIPAL (self), NULL);
  return self->user;
}

const char *
signpost_principal_get_user_id (SignpostPrincipal *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PRINCIPAL (self), NULL);
  return signpost_record_get_id (SIGNPOST_RECORD (self->user));
}

const char *
signpost_principal_get_username (SignpostPrincipal *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PRINCIPAL (self), NULL);
  return signpost_user_get_username (self->user);
}

SignpostRole
signpost_principal_get_role (SignpostPrincipal *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PRINCIPAL (self), SIGNPOST_ROLE_NAVIGATOR);
  return self->role;
}

const char *
signpost_principal_get_role_nick (SignpostPrincipal *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PRINCIPAL (self), NULL);
  return signpost_enum_to_nick (SIGNPOST_TYPE_ROLE, self->role);
}

const char * const *
signpost_principal_get_practice_ids (SignpostPrincipal *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PRINCIPAL (self), NULL);
  return signpost_user_get_practice_ids (self->user);
}

gboolean
signpost_principal_has_practice (SignpostPrincipal *self,
                                 const char        *practice_id)
{
  const char * const *ids;

  g_return_val_if_fail (SIGNPOST_IS_PRINCIPAL (self), FALSE);

  ids = signpost_user_get_practice_ids (self->user);
  return practice_id != NULL && ids != NULL && g_strv_contains (ids, practice_id);
}

gboolean
signpost_principal_shares_practice (SignpostPrincipal  *self,
                                    const char * const *practice_ids)
{
  for (guint i = 0; practice_ids != NULL && practice_ids[i] != NULL; i++)
    if (signpost_principal_has_practice (self, practice_ids[i]))
      return TRUE;
  return FALSE;
}

gboolean
signpost_principal_is_hub (SignpostPrincipal *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PRINCIPAL (self), FALSE);
  return signpost_user_get_hub (self->user);
}

const char *
signpost_principal_get_token_hash (SignpostPrincipal *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PRINCIPAL (self), NULL);
  return self->token_hash;
}

gint64
signpost_principal_get_expires_at (SignpostPrincipal *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PRINCIPAL (self), 0);
  return self->expires_at;
}

const char *
signpost_principal_get_client (SignpostPrincipal *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PRINCIPAL (self), NULL);
  return self->client;
}
