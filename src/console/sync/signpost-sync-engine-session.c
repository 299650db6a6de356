/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>
#include <sodium.h>
#include <string.h>

#include "signpost-cache-private.h"
#include "signpost-sync-engine-private.h"
#include "signpost-sync-enum-types.h"
#include "signpost-sync-error.h"

/* Signing in (online, or offline against the verifier kept from the last
 * online sign-in), signing in again when the token expires, signing out,
 * and the cache and outbox that belong to a session. */

/* ---- session and cache ---------------------------------------------------- */

void
signpost_sync_engine_outbox_changed (SignpostSyncEngine *self)
{
  if (self->ws != NULL && !self->pulling && !self->sending)
    signpost_sync_engine_drain_outbox (self);
}

void
signpost_sync_engine_close_cache (SignpostSyncEngine *self)
{
  if (self->outbox != NULL)
    g_clear_signal_handler (&self->outbox_handler, self->outbox);
  g_clear_object (&self->outbox);
  g_clear_object (&self->cache);
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_OUTBOX]);
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_CACHE]);
}

gboolean
signpost_sync_engine_open_cache (SignpostSyncEngine  *self,
                                 const char          *role_nick,
                                 GError             **error)
{
  g_autofree char *path = signpost_cache_build_path (self->server_url, self->username);
  g_autoptr(SignpostCache) cache = NULL;
  g_autofree char *cached_role = NULL;

  /* Signing in again (an expired token, a session begun offline) keeps the
   * open copy: the pages' models are bound to it. */
  if (self->cache != NULL && g_strcmp0 (signpost_cache_get_path (self->cache), path) == 0)
    {
      g_autofree char *open_role = signpost_cache_dup_meta (self->cache, "role");
      if (role_nick == NULL || g_strcmp0 (open_role, role_nick) == 0)
        return TRUE;
    }

  cache = signpost_cache_open (path, error);
  if (cache == NULL)
    return FALSE;

  /* What a user may see depends on the role: a copy made under another
   * role is started again rather than mixed. Its outbox is kept. */
  cached_role = signpost_cache_dup_meta (cache, "role");
  if (role_nick != NULL && cached_role != NULL && strcmp (cached_role, role_nick) != 0 &&
      signpost_cache_get_last_seq (cache) > 0)
    {
      if (!signpost_cache_reset (cache, error))
        return FALSE;
    }

  signpost_sync_engine_close_cache (self);
  self->cache = g_steal_pointer (&cache);
  if (self->user != NULL)
    signpost_cache_set_user_id (self->cache, signpost_record_get_id (SIGNPOST_RECORD (self->user)));
  self->outbox = signpost_outbox_new (self->cache);
  self->outbox_handler = g_signal_connect_object (self->outbox, "notify::n-waiting",
                                                  G_CALLBACK (signpost_sync_engine_outbox_changed), self,
                                                  G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_CACHE]);
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_OUTBOX]);
  return TRUE;
}

void
signpost_sync_engine_set_user (SignpostSyncEngine *self,
                               SignpostUser       *user,
                               SignpostRole        role,
                               GPtrArray          *practices)
{
  g_set_object (&self->user, user);
  self->role = role;
  g_debug ("Signed in with %u practices", practices ? practices->len : 0);
  g_list_store_remove_all (self->practices);
  for (guint i = 0; practices != NULL && i < practices->len; i++)
    g_list_store_append (self->practices, g_ptr_array_index (practices, i));
  signpost_call_hub_set_user_id (self->call_hub,
                                 user ? signpost_record_get_id (SIGNPOST_RECORD (user)) : NULL);
  if (self->cache != NULL && user != NULL)
    signpost_cache_set_user_id (self->cache, signpost_record_get_id (SIGNPOST_RECORD (user)));
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_USER]);
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_ROLE]);
}

/* ---- login ------------------------------------------------------------------ */

typedef struct {
  char *server_url;
  char *username;
  char *password;
  char *role;
  gboolean allow_offline;
  SoupMessage *msg;
} LoginData;

static void
login_data_free (gpointer data)
{
  LoginData *login = data;

  g_free (login->server_url);
  g_free (login->username);
  if (login->password != NULL)
    sodium_memzero (login->password, strlen (login->password));
  g_free (login->password);
  g_free (login->role);
  g_clear_object (&login->msg);
  g_free (login);
}

static void
store_verifier_in_thread (GTask        *task,
                          gpointer      source_object,
                          gpointer      task_data,
                          GCancellable *cancellable)
{
  char hash[crypto_pwhash_STRBYTES];
  const char *password = task_data;

  if (crypto_pwhash_str (hash, password, strlen (password), crypto_pwhash_OPSLIMIT_INTERACTIVE,
                         crypto_pwhash_MEMLIMIT_INTERACTIVE) != 0)
    g_task_return_pointer (task, NULL, NULL);
  else
    g_task_return_pointer (task, g_strdup (hash), g_free);
}

static void
verifier_stored (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(SignpostCache) cache = user_data;
  g_autofree char *hash = g_task_propagate_pointer (G_TASK (result), NULL);
  g_autoptr(GError) error = NULL;

  if (hash != NULL && !signpost_cache_set_meta (cache, "verifier", hash, &error))
    g_warning ("Could not store the offline sign-in check: %s", error->message);
}

static void
secret_free (gpointer data)
{
  char *secret = data;

  sodium_memzero (secret, strlen (secret));
  g_free (secret);
}

/* A salted argon2id hash of the password, so the same user can sign in on
 * this PC while the server is unreachable and work from its copy. */
static void
store_verifier (SignpostSyncEngine *self,
                const char         *password)
{
  /* The cache, not the engine, waits for it: signing out need not. */
  g_autoptr(GTask) task = g_task_new (self->cache, NULL, verifier_stored, g_object_ref (self->cache));

  g_task_set_source_tag (task, store_verifier);
  g_task_set_task_data (task, g_strdup (password), secret_free);
  g_task_run_in_thread (task, store_verifier_in_thread);
}

static GPtrArray *
decode_practices (JsonNode  *node,
                  GError   **error)
{
  g_autoptr(GPtrArray) practices = g_ptr_array_new_with_free_func (g_object_unref);
  JsonArray *array;

  if (node == NULL || !JSON_NODE_HOLDS_ARRAY (node))
    {
      g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL,
                           _("The server’s answer to signing in could not be read."));
      return NULL;
    }
  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonNode *element = json_array_get_element (array, i);
      SignpostRecord *practice;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        continue;
      practice = signpost_record_new_from_json (SIGNPOST_RECORD_PRACTICE, json_node_get_object (element),
                                                SIGNPOST_DECODE_FULL, NULL);
      if (practice != NULL)
        g_ptr_array_add (practices, practice);
    }
  return g_steal_pointer (&practices);
}

/* Applies a /login answer (or what the cache kept of the last one). */
static gboolean
apply_session (SignpostSyncEngine  *self,
               JsonObject          *reply,
               gboolean             from_cache,
               GError             **error)
{
  g_autoptr(SignpostRecord) user = NULL;
  g_autoptr(GPtrArray) practices = NULL;
  JsonNode *node;
  const char *role_nick = NULL;
  int role = SIGNPOST_ROLE_NAVIGATOR;

  node = json_object_get_member (reply, "user");
  if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
    user = signpost_record_new_from_json (SIGNPOST_RECORD_USER, json_node_get_object (node),
                                          SIGNPOST_DECODE_FULL, error);
  else
    g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL,
                         _("The server’s answer to signing in could not be read."));
  if (user == NULL)
    return FALSE;
  node = json_object_get_member (reply, "role");
  if (node != NULL && json_node_get_value_type (node) == G_TYPE_STRING)
    role_nick = json_node_get_string (node);
  if (role_nick == NULL || !signpost_enum_from_nick (SIGNPOST_TYPE_ROLE, role_nick, &role))
    {
      role = signpost_user_get_role (SIGNPOST_USER (user));
      role_nick = signpost_enum_to_nick (SIGNPOST_TYPE_ROLE, role);
    }
  practices = decode_practices (json_object_get_member (reply, "practices"), error);
  if (practices == NULL)
    return FALSE;

  if (!from_cache)
    {
      g_autofree char *text = signpost_json_object_to_string (reply, NULL);

      /* The user is known before the cache opens, so bookings made here are
       * stamped with the right id from the start. */
      g_set_object (&self->user, SIGNPOST_USER (user));
      if (!signpost_sync_engine_open_cache (self, role_nick, error) ||
          !signpost_cache_set_meta (self->cache, "session", text, error) ||
          !signpost_cache_set_meta (self->cache, "role", role_nick, error) ||
          !signpost_cache_set_meta (self->cache, "server_url", self->server_url, error) ||
          !signpost_cache_set_meta (self->cache, "username", self->username, error))
        return FALSE;
    }
  signpost_sync_engine_set_user (self, SIGNPOST_USER (user), role, practices);
  return TRUE;
}

static void
finish_login (SignpostSyncEngine *self,
              GTask              *task)
{
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_SERVER_URL]);
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_USERNAME]);
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_LOGGED_IN]);
  self->first_sync = signpost_cache_get_last_seq (self->cache) == 0;
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_FIRST_SYNC]);
  g_task_return_boolean (task, TRUE);
}

static void
verify_in_thread (GTask        *task,
                  gpointer      source_object,
                  gpointer      task_data,
                  GCancellable *cancellable)
{
  LoginData *login = task_data;
  const char *hash = g_object_get_data (G_OBJECT (task), "verifier");

  g_task_return_boolean (task, crypto_pwhash_str_verify (hash, login->password,
                                                         strlen (login->password)) == 0);
}

static void
offline_verified (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignpostSyncEngine *self = g_task_get_source_object (task);
  LoginData *login = g_task_get_task_data (task);
  g_autoptr(SignpostCache) cache = g_object_steal_data (G_OBJECT (task), "cache");
  GError *unreachable = g_object_steal_data (G_OBJECT (task), "error");
  g_autoptr(GError) error = NULL;
  g_autofree char *session = NULL;
  g_autoptr(JsonObject) reply = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), NULL))
    {
      /* Not the password this PC knows: say the server is unreachable, as
       * that is what stops the sign-in. */
      g_task_return_error (task, unreachable);
      return;
    }
  g_clear_error (&unreachable);

  session = signpost_cache_dup_meta (cache, "session");
  reply = session ? signpost_json_parse_object (session, strlen (session), 0, NULL) : NULL;
  if (reply == NULL)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_UNREACHABLE,
                               _("The server cannot be reached and this PC has no copy to work from."));
      return;
    }

  signpost_sync_engine_close_cache (self);
  self->cache = g_steal_pointer (&cache);
  self->outbox = signpost_outbox_new (self->cache);
  self->outbox_handler = g_signal_connect_object (self->outbox, "notify::n-waiting",
                                                  G_CALLBACK (signpost_sync_engine_outbox_changed), self,
                                                  G_CONNECT_SWAPPED);
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_CACHE]);
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_OUTBOX]);
  if (!apply_session (self, reply, TRUE, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_free (self->server_url);
  self->server_url = g_strdup (login->server_url);
  g_free (self->username);
  self->username = g_strdup (login->username);
  g_free (self->password);
  self->password = g_strdup (login->password);
  g_clear_pointer (&self->token, g_free);
  signpost_sync_engine_set_last_error (self, _("Working offline: the server could not be reached."));
  finish_login (self, task);
}

/* The server is unreachable: sign in against this PC's copy if it has one
 * for this user and the password matches the one last used here. */
static void
try_offline_login (SignpostSyncEngine *self,
                   GTask              *task,
                   GError             *unreachable)
{
  LoginData *login = g_task_get_task_data (task);
  g_autofree char *path = signpost_cache_build_path (login->server_url, login->username);
  g_autoptr(SignpostCache) cache = NULL;
  g_autofree char *verifier = NULL;
  g_autofree char *role = NULL;
  g_autoptr(GTask) check = NULL;

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    cache = signpost_cache_open (path, NULL);
  if (cache != NULL)
    {
      verifier = signpost_cache_dup_meta (cache, "verifier");
      role = signpost_cache_dup_meta (cache, "role");
    }
  if (verifier == NULL || (login->role != NULL && g_strcmp0 (role, login->role) != 0))
    {
      g_task_return_error (task, unreachable);
      g_object_unref (task);
      return;
    }

  check = g_task_new (self, NULL, offline_verified, task);
  g_task_set_source_tag (check, try_offline_login);
  g_task_set_task_data (check, login, NULL);
  g_object_set_data_full (G_OBJECT (check), "verifier", g_steal_pointer (&verifier), g_free);
  g_object_set_data_full (G_OBJECT (task), "cache", g_steal_pointer (&cache), g_object_unref);
  g_object_set_data (G_OBJECT (task), "error", unreachable);
  g_task_run_in_thread (check, verify_in_thread);
}

static void
login_replied (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  GTask *task = user_data;
  SignpostSyncEngine *self = g_task_get_source_object (task);
  LoginData *login = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) reply = NULL;
  guint status;
  JsonNode *token;

  body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  if (body == NULL)
    {
      GError *mapped;

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          g_object_unref (task);
          return;
        }
      mapped = signpost_sync_engine_transport_error_for (login->server_url, error);
      if (mapped->code == SIGNPOST_SYNC_ERROR_UNREACHABLE && login->allow_offline)
        {
          try_offline_login (self, task, mapped);
          return;
        }
      g_task_return_error (task, mapped);
      g_object_unref (task);
      return;
    }

  status = soup_message_get_status (login->msg);
  if (status == SOUP_STATUS_UNAUTHORIZED)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CREDENTIALS,
                               _("The username or password is not right. Check them and try again."));
      g_object_unref (task);
      return;
    }
  if (status != SOUP_STATUS_OK)
    {
      GError *mapped = signpost_sync_engine_http_error (self, login->msg, body);

      /* Restarting, or its database is: as good as unreachable for now. */
      if (mapped->code == SIGNPOST_SYNC_ERROR_UNREACHABLE && login->allow_offline)
        {
          try_offline_login (self, task, mapped);
          return;
        }
      g_task_return_error (task, mapped);
      g_object_unref (task);
      return;
    }

  {
    gsize length;
    const char *data = g_bytes_get_data (body, &length);
    reply = signpost_json_parse_object (data, length, 0, NULL);
  }
  token = reply ? json_object_get_member (reply, "token") : NULL;
  if (token == NULL || json_node_get_value_type (token) != G_TYPE_STRING)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL,
                               _("This does not look like a Signpost server: its answer to signing "
                                 "in could not be read."));
      g_object_unref (task);
      return;
    }

  g_free (self->server_url);
  self->server_url = g_strdup (login->server_url);
  g_free (self->username);
  self->username = g_strdup (login->username);
  if (self->password != NULL)
    sodium_memzero (self->password, strlen (self->password));
  g_free (self->password);
  self->password = g_strdup (login->password);
  g_free (self->token);
  self->token = g_strdup (json_node_get_string (token));
  json_object_remove_member (reply, "token");

  if (!apply_session (self, reply, FALSE, &error))
    {
      g_clear_pointer (&self->token, g_free);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  store_verifier (self, login->password);
  signpost_sync_engine_set_last_error (self, NULL);
  finish_login (self, task);
  g_object_unref (task);
}

static void
send_login (SignpostSyncEngine *self,
            GTask              *task)
{
  LoginData *login = g_task_get_task_data (task);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *saved_url = g_steal_pointer (&self->server_url);
  g_autofree char *saved_token = g_steal_pointer (&self->token);

  json_object_set_string_member (object, "username", login->username);
  json_object_set_string_member (object, "password", login->password);
  if (login->role != NULL)
    json_object_set_string_member (object, "role", login->role);
  body = json_node_init_object (json_node_alloc (), object);

  self->server_url = g_strdup (login->server_url);
  login->msg = signpost_sync_engine_new_message (self, "POST", "login", body);
  g_free (self->server_url);
  self->server_url = g_steal_pointer (&saved_url);
  self->token = g_steal_pointer (&saved_token);

  soup_session_send_and_read_async (self->session, login->msg, G_PRIORITY_DEFAULT,
                                    g_task_get_cancellable (task), login_replied, task);
}

static void
relogged_in (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SignpostEngineOp) op = user_data;
  SignpostSyncEngine *self = op->self;
  g_autoptr(GError) error = NULL;

  if (!signpost_sync_engine_login_finish (self, result, &error))
    {
      if (signpost_engine_op_is_stale (op))
        return;
      self->connecting = FALSE;
      if (g_error_matches (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CREDENTIALS) ||
          g_error_matches (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_FORBIDDEN))
        {
          signpost_sync_engine_set_last_error (self, _("Your session has ended. Sign in again."));
          self->started = FALSE;
          signpost_sync_engine_update_state (self);
          g_signal_emit (self, signpost_sync_engine_signals[SESSION_EXPIRED], 0);
          return;
        }
      signpost_sync_engine_connection_lost (self, error);
      return;
    }
  if (signpost_engine_op_is_stale (op))
    return;
  self->connecting = FALSE;
  if (self->token == NULL)
    {
      /* Signed in against the cache again: still unreachable. */
      signpost_sync_engine_connection_lost (self, NULL);
      return;
    }
  signpost_sync_engine_connect_live (self);
}

/* Sign in again with the remembered password: the token expired, or the
 * session began offline. The cache and outbox stay as they are. */
void
signpost_sync_engine_relogin (SignpostSyncEngine *self)
{
  g_autoptr(GTask) task = NULL;
  LoginData *login;

  if (self->password == NULL || self->username == NULL || self->server_url == NULL)
    {
      signpost_sync_engine_set_last_error (self, _("Your session has ended. Sign in again."));
      self->started = FALSE;
      signpost_sync_engine_update_state (self);
      g_signal_emit (self, signpost_sync_engine_signals[SESSION_EXPIRED], 0);
      return;
    }
  self->connecting = TRUE;
  signpost_sync_engine_update_state (self);

  task = g_task_new (self, self->cancellable, relogged_in, signpost_engine_op_new (self, NULL));
  g_task_set_source_tag (task, signpost_sync_engine_login_async);
  login = g_new0 (LoginData, 1);
  login->server_url = g_strdup (self->server_url);
  login->username = g_strdup (self->username);
  login->password = g_strdup (self->password);
  login->role = g_strdup (signpost_enum_to_nick (SIGNPOST_TYPE_ROLE, self->role));
  g_task_set_task_data (task, login, login_data_free);
  send_login (self, g_steal_pointer (&task));
}

/* ---- signing in and out ------------------------------------------------------ */

void
signpost_sync_engine_login_async (SignpostSyncEngine  *self,
                                  const char          *server_url,
                                  const char          *username,
                                  const char          *password,
                                  const char          *role,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  LoginData *login;

  g_return_if_fail (SIGNPOST_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, signpost_sync_engine_login_async);

  url = signpost_sync_engine_normalise_server_url (server_url, &error);
  if (url == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (username == NULL || *username == '\0')
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CREDENTIALS,
                               _("Enter your username"));
      return;
    }
  if (password == NULL || *password == '\0')
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CREDENTIALS,
                               _("Enter your password"));
      return;
    }

  login = g_new0 (LoginData, 1);
  login->server_url = g_steal_pointer (&url);
  login->username = g_strdup (username);
  login->password = g_strdup (password);
  login->role = g_strdup (role);
  login->allow_offline = TRUE;
  g_task_set_task_data (task, login, login_data_free);
  send_login (self, g_steal_pointer (&task));
}

gboolean
signpost_sync_engine_login_finish (SignpostSyncEngine  *self,
                                   GAsyncResult        *result,
                                   GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
logout_replied (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GBytes) body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, NULL);

  /* Signing out here always succeeds; telling the server is best effort. */
  g_task_return_boolean (task, TRUE);
}

void
signpost_sync_engine_logout_async (SignpostSyncEngine  *self,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(SoupMessage) msg = NULL;

  g_return_if_fail (SIGNPOST_IS_SYNC_ENGINE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, signpost_sync_engine_logout_async);

  signpost_sync_engine_stop (self);
  if (self->token != NULL && self->server_url != NULL)
    msg = signpost_sync_engine_new_message (self, "POST", "logout", NULL);

  g_clear_pointer (&self->token, g_free);
  if (self->password != NULL)
    sodium_memzero (self->password, strlen (self->password));
  g_clear_pointer (&self->password, g_free);
  signpost_sync_engine_close_cache (self);
  signpost_sync_engine_set_user (self, NULL, SIGNPOST_ROLE_NAVIGATOR, NULL);
  g_clear_pointer (&self->practice_id, g_free);
  signpost_sync_engine_set_last_error (self, NULL);
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_PRACTICE_ID]);
  g_object_notify_by_pspec (G_OBJECT (self), signpost_sync_engine_properties[PROP_LOGGED_IN]);

  if (msg == NULL)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  soup_message_set_priority (msg, SOUP_MESSAGE_PRIORITY_HIGH);
  soup_session_send_and_read_async (self->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    logout_replied, g_steal_pointer (&task));
}

gboolean
signpost_sync_engine_logout_finish (SignpostSyncEngine  *self,
                                    GAsyncResult        *result,
                                    GError             **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}
