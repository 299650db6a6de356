/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <sodium.h>

#include "signpost-access.h"
#include "signpost-auth.h"

/*
 * Sign-in and bearer tokens.
 *
 * Passwords are hashed with argon2id through libsodium rather than with
 * libxcrypt's yescrypt: argon2id is the RFC 9106 / OWASP recommendation,
 * libsodium's crypto_pwhash_str() gives a self-describing string with its
 * own cost parameters and a verify that ignores the caller's, and the same
 * library supplies the CSPRNG for tokens and a constant-time compare.
 * yescrypt through crypt(3) would tie us to whatever hashing method the
 * system's libxcrypt prefers and offers no memory-cost knob per call.
 *
 * Verification takes ~0.1 s of CPU and 64 MiB, so it runs in a worker
 * thread: a login never stalls the main loop that does live fan-out.
 * Tokens are 32 bytes from the OS CSPRNG, sent once as base64url and kept
 * only as their SHA-256.
 */

#define TOKEN_BYTES 32
#define MAX_USERNAME 64
#define MAX_PASSWORD 1024

struct _SignpostAuth
{
  GObject parent_instance;

  SignpostStore *store;
  guint token_lifetime_s;
};

G_DEFINE_FINAL_TYPE (SignpostAuth, signpost_auth, G_TYPE_OBJECT)

typedef struct {
  char *username;
  char *password;
  char *role;
  char *client;
  char *hash;           /* NULL: unknown user, verify against a dummy */
  SignpostUser *user;
  char *user_key;
  char *client_key;
  gint64 claimed_at;    /* when it was counted as a failure until verified */
} LoginData;

static void
login_data_free (LoginData *data)
{
  if (data->password != NULL)
    {
      sodium_memzero (data->password, strlen (data->password));
      g_free (data->password);
    }
  g_free (data->username);
  g_free (data->role);
  g_free (data->client);
  g_free (data->hash);
  g_clear_object (&data->user);
  g_free (data->user_key);
  g_free (data->client_key);
  g_free (data);
}

char *
signpost_auth_hash_password (const char  *password,
                             GError     **error)
{
  char hash[crypto_pwhash_STRBYTES];

  if (sodium_init () < 0 ||
      crypto_pwhash_str_alg (hash, password, strlen (password),
                             crypto_pwhash_OPSLIMIT_INTERACTIVE,
                             crypto_pwhash_MEMLIMIT_INTERACTIVE,
                             crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_FAILED,
                           _("Could not hash the password (out of memory?)"));
      return NULL;
    }
  return g_strdup (hash);
}

char *
signpost_auth_hash_token (const char *token)
{
  return g_compute_checksum_for_string (G_CHECKSUM_SHA256, token, -1);
}

static char *
new_token (void)
{
  guchar bytes[TOKEN_BYTES];
  g_autofree char *base64 = NULL;
  char *p;

  randombytes_buf (bytes, sizeof bytes);
  base64 = g_base64_encode (bytes, sizeof bytes);
  sodium_memzero (bytes, sizeof bytes);
  /* base64url, unpadded */
  for (p = base64; *p != '\0'; p++)
    {
      if (*p == '+')
        *p = '-';
      else if (*p == '/')
        *p = '_';
      else if (*p == '=')
        {
          *p = '\0';
          break;
        }
    }
  return g_steal_pointer (&base64);
}

static gpointer
make_dummy_hash (gpointer data)
{
  return signpost_auth_hash_password ("signpost-dummy-password", NULL);
}

/* Runs in a worker thread. An unknown user is checked against a dummy
 * hash so that the answer takes as long as for a known one. */
static void
verify_thread (GTask        *task,
               gpointer      source_object,
               gpointer      task_data,
               GCancellable *cancellable)
{
  static GOnce dummy_once = G_ONCE_INIT;
  LoginData *data = task_data;
  const char *hash = data->hash;
  gboolean ok;

  if (hash == NULL)
    hash = g_once (&dummy_once, make_dummy_hash, NULL);
  ok = hash != NULL &&
       crypto_pwhash_str_verify (hash, data->password, strlen (data->password)) == 0;
  g_task_return_boolean (task, ok && data->hash != NULL);
}

static gboolean
check_rate (SignpostAuth  *self,
            const char    *key,
            gint64         now,
            guint         *retry_after,
            GError       **error)
{
  gint64 window = (gint64) SIGNPOST_AUTH_FAILURE_WINDOW_SECONDS * G_USEC_PER_SEC;
  guint count = 0;
  gint64 oldest = 0;

  if (!signpost_store_count_login_failures (self->store, key, now - window, &count, &oldest, error))
    return FALSE;
  if (count >= SIGNPOST_AUTH_MAX_FAILURES)
    {
      gint64 wait = oldest > 0 ? oldest + window - now : window;

      *retry_after = MAX (*retry_after, (guint) MAX (wait / G_USEC_PER_SEC + 1, 1));
    }
  return TRUE;
}

static void
audit_login (SignpostAuth *self,
             const char   *action,
             SignpostUser *user,
             const char   *username,
             const char   *role,
             const char   *client)
{
  SignpostAuditEvent event = {
    .at = g_get_real_time (),
    .user_id = user ? signpost_record_get_id (SIGNPOST_RECORD (user)) : NULL,
    .username = username,
    .role = role,
    .action = action,
    .type = user ? "user" : NULL,
    .record_id = user ? signpost_record_get_id (SIGNPOST_RECORD (user)) : NULL,
    .client = client,
  };
  g_autoptr(GError) error = NULL;

  if (!signpost_store_begin (self->store, &error) ||
      !signpost_store_append_audit (self->store, &event, &error) ||
      !signpost_store_commit (self->store, &error))
    {
      signpost_store_rollback (self->store);
      g_warning ("Could not record a sign-in in the audit log: %s", error->message);
    }
}

/*
 * The rate limit holds across every instance on the database: a sign-in
 * is counted as a failure, in the database, before its password is
 * verified, in the same transaction as the check (which the store runs one
 * at a time, whichever instance asks), and the count is withdrawn only if
 * the password was right. Guesses sent at once to several instances thus
 * count against each other; nothing of it lives in one process's memory.
 * An instance killed while verifying leaves its sign-in counted.
 */
static gboolean
check_and_claim (SignpostAuth  *self,
                 LoginData     *data,
                 gint64         now,
                 guint         *retry_after,
                 GError       **error)
{
  if (!signpost_store_begin (self->store, error))
    return FALSE;
  if (!check_rate (self, data->user_key, now, retry_after, error) ||
      !check_rate (self, data->client_key, now, retry_after, error))
    {
      signpost_store_rollback (self->store);
      return FALSE;
    }
  if (*retry_after > 0)
    {
      signpost_store_rollback (self->store);
      return TRUE;
    }
  if (!signpost_store_add_login_failure (self->store, data->user_key, now, error) ||
      !signpost_store_add_login_failure (self->store, data->client_key, now, error) ||
      !signpost_store_commit (self->store, error))
    {
      signpost_store_rollback (self->store);
      return FALSE;
    }
  data->claimed_at = now;
  return TRUE;
}

/* Inside a transaction: the password was right after all. */
static gboolean
withdraw_claim (SignpostAuth  *self,
                LoginData     *data,
                GError       **error)
{
  return signpost_store_remove_login_failure (self->store, data->user_key, data->claimed_at,
                                              error) &&
         signpost_store_remove_login_failure (self->store, data->client_key, data->claimed_at,
                                              error);
}

static JsonArray *
practices_json (SignpostAuth       *self,
                SignpostRole        role,
                const char * const *practice_ids,
                GError            **error)
{
  g_autoptr(JsonArray) array = json_array_new ();

  if (role == SIGNPOST_ROLE_ADMIN)
    {
      g_autoptr(GPtrArray) all = signpost_store_list_records (self->store, SIGNPOST_RECORD_PRACTICE,
                                                              NULL, error);
      if (all == NULL)
        return NULL;
      for (guint i = 0; i < all->len; i++)
        json_array_add_object_element (array, signpost_object_to_json (g_ptr_array_index (all, i)));
      return g_steal_pointer (&array);
    }
  for (guint i = 0; practice_ids != NULL && practice_ids[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(SignpostRecord) practice = NULL;
      gboolean deleted = FALSE;

      practice = signpost_store_get_record (self->store, SIGNPOST_RECORD_PRACTICE, practice_ids[i],
                                            &deleted, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (practice != NULL && !deleted)
        json_array_add_object_element (array, signpost_object_to_json (SIGNPOST_OBJECT (practice)));
    }
  return g_steal_pointer (&array);
}

static JsonObject *
describe (SignpostAuth  *self,
          SignpostUser  *user,
          SignpostRole   role,
          gint64         expires_at,
          GError       **error)
{
  g_autoptr(JsonObject) reply = json_object_new ();
  g_autoptr(GDateTime) expires = g_date_time_new_from_unix_utc (expires_at / G_USEC_PER_SEC);
  g_autofree char *expires_text = signpost_timestamp_format (expires);
  JsonArray *practices;

  practices = practices_json (self, role, signpost_user_get_practice_ids (user), error);
  if (practices == NULL)
    return NULL;
  json_object_set_object_member (reply, "user", signpost_object_to_json (SIGNPOST_OBJECT (user)));
  json_object_set_string_member (reply, "role", signpost_enum_to_nick (SIGNPOST_TYPE_ROLE, role));
  json_object_set_array_member (reply, "practices", practices);
  json_object_set_string_member (reply, "expires_at", expires_text);
  return g_steal_pointer (&reply);
}

/* The roles @user may sign in as: user.roles, or else user.role. */
static gboolean
user_has_role (SignpostUser *user,
               SignpostRole  role)
{
  const char * const *roles = signpost_user_get_roles (user);

  if (role == signpost_user_get_role (user))
    return TRUE;
  return roles != NULL &&
         g_strv_contains (roles, signpost_enum_to_nick (SIGNPOST_TYPE_ROLE, role));
}

static void
verify_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  SignpostAuth *self = SIGNPOST_AUTH (source);
  g_autoptr(GTask) task = user_data;
  LoginData *data = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autofree char *token = NULL;
  g_autofree char *token_hash = NULL;
  SignpostRole role;
  gboolean ok;
  gint64 expires_at;

  ok = g_task_propagate_boolean (G_TASK (result), NULL);
  ok = ok && data->user != NULL && !signpost_user_get_disabled (data->user);
  if (!ok)
    {
      /* Already counted (check_and_claim()), even if the client has gone:
       * hanging up is no way round the limit. */
      audit_login (self, "login_failed", data->user, data->username, data->role, data->client);
      g_task_return_new_error (task, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAUTHORIZED,
                               _("The username or password is wrong"));
      return;
    }

  role = signpost_user_get_role (data->user);
  if (data->role != NULL)
    {
      int value;

      if (!signpost_enum_from_nick (SIGNPOST_TYPE_ROLE, data->role, &value) ||
          !user_has_role (data->user, value))
        {
          g_autoptr(GError) role_error = NULL;

          /* The password was right: not a failed sign-in. */
          if (!signpost_store_begin (self->store, &error) ||
              !withdraw_claim (self, data, &error) ||
              !signpost_store_commit (self->store, &error))
            {
              signpost_store_rollback (self->store);
              g_warning ("Could not withdraw a sign-in counted as failed: %s", error->message);
            }
          signpost_set_field_error (&role_error, SIGNPOST_ERROR_FORBIDDEN, "role",
                                    _("is not one of this user’s roles"));
          g_task_return_error (task, g_steal_pointer (&role_error));
          return;
        }
      role = value;
    }

  token = new_token ();
  token_hash = signpost_auth_hash_token (token);
  expires_at = g_get_real_time () + (gint64) self->token_lifetime_s * G_USEC_PER_SEC;
  if (!signpost_store_begin (self->store, &error) ||
      !signpost_store_save_token (self->store, token_hash,
                                  signpost_record_get_id (SIGNPOST_RECORD (data->user)),
                                  signpost_enum_to_nick (SIGNPOST_TYPE_ROLE, role), expires_at,
                                  &error) ||
      !signpost_store_clear_login_failures (self->store, data->user_key, &error) ||
      !withdraw_claim (self, data, &error) ||
      !signpost_store_commit (self->store, &error))
    {
      signpost_store_rollback (self->store);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  audit_login (self, "login", data->user, data->username,
               signpost_enum_to_nick (SIGNPOST_TYPE_ROLE, role), data->client);

  reply = describe (self, data->user, role, expires_at, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  json_object_set_string_member (reply, "token", token);
  sodium_memzero (token, strlen (token));
  g_task_return_pointer (task, g_steal_pointer (&reply), (GDestroyNotify) json_object_unref);
}

/**
 * signpost_auth_login_async:
 * @client: the client's address, for the rate limit and the audit log
 *
 * Checks a username and password off the main loop and, if they are
 * right, issues a token. The result is the login reply of PROTOCOL.md.
 */
void
signpost_auth_login_async (SignpostAuth        *self,
                           const char          *username,
                           const char          *password,
                           const char          *role,
                           const char          *client,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GTask) verify = NULL;
  g_autoptr(GError) error = NULL;
  LoginData *data;
  guint retry_after = 0;
  gint64 now = g_get_real_time ();

  g_return_if_fail (SIGNPOST_IS_AUTH (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, signpost_auth_login_async);

  if (username == NULL || *username == '\0' || strlen (username) > MAX_USERNAME ||
      password == NULL || *password == '\0' || strlen (password) > MAX_PASSWORD)
    {
      g_task_return_new_error (task, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAUTHORIZED,
                               _("The username or password is wrong"));
      return;
    }

  data = g_new0 (LoginData, 1);
  data->username = g_utf8_strdown (username, -1);
  data->password = g_strdup (password);
  data->role = g_strdup (role);
  data->client = g_strdup (client ? client : "unknown");
  data->user_key = g_strconcat ("user:", data->username, NULL);
  data->client_key = g_strconcat ("addr:", data->client, NULL);
  g_task_set_task_data (task, data, (GDestroyNotify) login_data_free);

  data->user = signpost_store_find_user (self->store, data->username, &error);
  if (error != NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (data->user != NULL)
    {
      data->hash = signpost_store_get_password_hash (self->store,
                                                     signpost_record_get_id (SIGNPOST_RECORD (data->user)),
                                                     &error);
      if (error != NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  if (!check_and_claim (self, data, now, &retry_after, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (retry_after > 0)
    {
      g_task_set_task_data (task, GUINT_TO_POINTER (retry_after), NULL);
      g_task_return_new_error (task, SIGNPOST_ERROR, SIGNPOST_ERROR_RATE_LIMITED,
                               _("Too many failed sign-ins; try again in %u seconds"),
                               retry_after);
      return;
    }

  /* The worker gets its own copy of what it needs; the outer task keeps
   * the rest for verify_done(). */
  {
    LoginData *copy = g_new0 (LoginData, 1);

    copy->password = g_strdup (data->password);
    copy->hash = g_strdup (data->hash);
    verify = g_task_new (self, NULL, verify_done, g_object_ref (task));
    g_task_set_source_tag (verify, verify_thread);
    g_task_set_task_data (verify, copy, (GDestroyNotify) login_data_free);
    g_task_run_in_thread (verify, verify_thread);
  }
}

JsonObject *
signpost_auth_login_finish (SignpostAuth  *self,
                            GAsyncResult  *result,
                            guint         *retry_after,
                            GError       **error)
{
  g_autoptr(GError) local_error = NULL;
  JsonObject *reply;

  g_return_val_if_fail (g_task_is_valid (result, self), NULL);

  if (retry_after != NULL)
    *retry_after = 0;
  reply = g_task_propagate_pointer (G_TASK (result), &local_error);
  if (reply == NULL)
    {
      if (retry_after != NULL &&
          g_error_matches (local_error, SIGNPOST_ERROR, SIGNPOST_ERROR_RATE_LIMITED))
        *retry_after = GPOINTER_TO_UINT (g_task_get_task_data (G_TASK (result)));
      g_propagate_error (error, g_steal_pointer (&local_error));
    }
  return reply;
}

SignpostPrincipal *
signpost_auth_authenticate (SignpostAuth  *self,
                            const char    *authorization,
                            const char    *client,
                            GError       **error)
{
  g_auto(SignpostTokenInfo) info = { 0 };
  g_autofree char *hash = NULL;
  g_autoptr(SignpostRecord) user = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *token;
  gboolean deleted = FALSE;
  int role;

  g_return_val_if_fail (SIGNPOST_IS_AUTH (self), NULL);

  if (authorization == NULL || g_ascii_strncasecmp (authorization, "Bearer ", 7) != 0)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAUTHORIZED,
                           _("Sign in first: this needs a bearer token"));
      return NULL;
    }
  token = authorization + 7;
  while (*token == ' ')
    token++;
  if (*token == '\0' || strlen (token) > 256)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAUTHORIZED,
                           _("The token is not valid"));
      return NULL;
    }
  hash = signpost_auth_hash_token (token);
  if (!signpost_store_lookup_token (self->store, hash, &info, error))
    return NULL;
  if (info.user_id == NULL || info.revoked || info.expires_at <= g_get_real_time () ||
      !signpost_enum_from_nick (SIGNPOST_TYPE_ROLE, info.role, &role))
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAUTHORIZED,
                           _("The token has expired or was revoked; sign in again"));
      return NULL;
    }
  user = signpost_store_get_record (self->store, SIGNPOST_RECORD_USER, info.user_id, &deleted,
                                    &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (user == NULL || deleted || signpost_user_get_disabled (SIGNPOST_USER (user)))
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAUTHORIZED,
                           _("This account is disabled"));
      return NULL;
    }
  /* The user record is read afresh on every request, so a change of
   * practices takes effect at once; the role the token was issued for
   * must still be one of the user's. */
  if (!user_has_role (SIGNPOST_USER (user), role))
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAUTHORIZED,
                           _("This account’s roles have changed; sign in again"));
      return NULL;
    }
  return signpost_principal_new (SIGNPOST_USER (user), role, hash, info.expires_at, client);
}

/**
 * signpost_auth_refresh:
 *
 * Checks @principal's sign-in again against the store, for a connection
 * that outlives its request (a WebSocket): the token must be neither
 * expired nor revoked, the account neither disabled nor gone, and the
 * token's role still one of the user's.
 *
 * Returns: (transfer full) (nullable): a principal with the user as
 *   stored now (its practices, say), or %NULL if the sign-in no longer
 *   holds. A storage failure keeps @principal: it is no reason to sign
 *   everybody out.
 */
SignpostPrincipal *
signpost_auth_refresh (SignpostAuth      *self,
                       SignpostPrincipal *principal)
{
  g_auto(SignpostTokenInfo) info = { 0 };
  g_autoptr(SignpostRecord) user = NULL;
  g_autoptr(GError) error = NULL;
  gboolean deleted = FALSE;

  g_return_val_if_fail (SIGNPOST_IS_AUTH (self), NULL);

  if (signpost_principal_get_expires_at (principal) <= g_get_real_time ())
    return NULL;
  if (!signpost_store_lookup_token (self->store, signpost_principal_get_token_hash (principal),
                                    &info, &error))
    return g_object_ref (principal);
  if (info.user_id == NULL || info.revoked)
    return NULL;
  user = signpost_store_get_record (self->store, SIGNPOST_RECORD_USER, info.user_id, &deleted,
                                    &error);
  if (error != NULL)
    return g_object_ref (principal);
  if (user == NULL || deleted || signpost_user_get_disabled (SIGNPOST_USER (user)) ||
      !user_has_role (SIGNPOST_USER (user), signpost_principal_get_role (principal)))
    return NULL;
  if (signpost_object_equal (SIGNPOST_OBJECT (user),
                             SIGNPOST_OBJECT (signpost_principal_get_user (principal))))
    return g_object_ref (principal);
  return signpost_principal_new (SIGNPOST_USER (user), signpost_principal_get_role (principal),
                                 signpost_principal_get_token_hash (principal),
                                 signpost_principal_get_expires_at (principal),
                                 signpost_principal_get_client (principal));
}

gboolean
signpost_auth_logout (SignpostAuth       *self,
                      SignpostPrincipal  *principal,
                      GError            **error)
{
  g_return_val_if_fail (SIGNPOST_IS_AUTH (self), FALSE);

  if (!signpost_store_begin (self->store, error))
    return FALSE;
  if (!signpost_store_revoke_token (self->store, signpost_principal_get_token_hash (principal),
                                    error) ||
      !signpost_store_commit (self->store, error))
    {
      signpost_store_rollback (self->store);
      return FALSE;
    }
  audit_login (self, "logout", signpost_principal_get_user (principal),
               signpost_principal_get_username (principal),
               signpost_principal_get_role_nick (principal),
               signpost_principal_get_client (principal));
  return TRUE;
}

JsonObject *
signpost_auth_describe (SignpostAuth       *self,
                        SignpostPrincipal  *principal,
                        GError            **error)
{
  g_return_val_if_fail (SIGNPOST_IS_AUTH (self), NULL);

  return describe (self, signpost_principal_get_user (principal),
                   signpost_principal_get_role (principal),
                   signpost_principal_get_expires_at (principal), error);
}

static void
signpost_auth_finalize (GObject *object)
{
  SignpostAuth *self = SIGNPOST_AUTH (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (signpost_auth_parent_class)->finalize (object);
}

static void
signpost_auth_class_init (SignpostAuthClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_auth_finalize;
}

static void
signpost_auth_init (SignpostAuth *self)
{
}

SignpostAuth *
signpost_auth_new (SignpostStore *store,
                   guint          token_lifetime_s)
{
  SignpostAuth *self;

  g_return_val_if_fail (SIGNPOST_IS_STORE (store), NULL);

  if (sodium_init () < 0)
    g_error ("libsodium could not be initialised");
  self = g_object_new (SIGNPOST_TYPE_AUTH, NULL);
  self->store = g_object_ref (store);
  self->token_lifetime_s = token_lifetime_s ? token_lifetime_s
                                            : SIGNPOST_AUTH_DEFAULT_TOKEN_LIFETIME_SECONDS;
  return self;
}
