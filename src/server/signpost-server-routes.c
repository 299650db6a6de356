/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-access.h"
#include "signpost-apply.h"
#include "signpost-problem.h"
#include "signpost-server-private.h"
#include "signpost-stats.h"

/* The handlers of PROTOCOL.md. Each runs after the early handler has
 * checked the route, the method, the body's size and the token. */

#define CHANGES_DEFAULT_LIMIT 1000
#define CHANGES_MAX_LIMIT 5000
/* Rows looked at per page, seen or not, so a caller who may see little
 * still gets an answer in bounded time (with more = true). */
#define CHANGES_MAX_SCAN 50000
#define MAX_MUTATIONS 500
#define AUDIT_DEFAULT_LIMIT 100
#define AUDIT_MAX_LIMIT 1000

/* ---- query parameters -------------------------------------------------- */

static gboolean
query_int (GHashTable  *query,
           const char  *key,
           gint64       default_value,
           gint64       minimum,
           gint64       maximum,
           gint64      *value,
           GError     **error)
{
  const char *text = query ? g_hash_table_lookup (query, key) : NULL;
  gint64 parsed;

  *value = default_value;
  if (text == NULL)
    return TRUE;
  if (!g_ascii_string_to_signed (text, 10, minimum, maximum, &parsed, NULL))
    {
      g_autofree char *low = g_strdup_printf ("%" G_GINT64_FORMAT, minimum);
      g_autofree char *high = g_strdup_printf ("%" G_GINT64_FORMAT, maximum);

      /* Translators: the two numbers are the lowest and highest allowed */
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key,
                                _("must be a whole number from %s to %s"), low, high);
      return FALSE;
    }
  *value = parsed;
  return TRUE;
}

static gboolean
query_uuid (GHashTable  *query,
            const char  *key,
            const char **value,
            GError     **error)
{
  const char *text = query ? g_hash_table_lookup (query, key) : NULL;

  *value = NULL;
  if (text == NULL)
    return TRUE;
  if (!signpost_uuid_is_canonical (text))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key,
                                _("must be a lower-case UUID"));
      return FALSE;
    }
  *value = text;
  return TRUE;
}

/* Takes a string member of an untrusted object, naming it on error. */
static gboolean
body_string (JsonObject  *object,
             const char  *key,
             gboolean     required,
             const char **value,
             GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  *value = NULL;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key, _("is required"));
      return !required;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key, _("must be a string"));
      return FALSE;
    }
  *value = json_node_get_string (node);
  return TRUE;
}

static gboolean
body_only (JsonObject          *object,
           const char * const  *known,
           GError             **error)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &member))
    if (!g_strv_contains (known, key))
      {
        if (signpost_format_check (SIGNPOST_FORMAT_KEY, key, NULL))
          signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key, _("is not a known field"));
        else
          g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                               _("The body has a member whose name is not a known field"));
        return FALSE;
      }
  return TRUE;
}

/* ---- health, sign-in --------------------------------------------------- */

void
signpost_server_handle_healthz (SignpostServer    *self,
                                SoupServerMessage *msg,
                                GHashTable        *query,
                                SignpostPrincipal *principal)
{
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GError) error = NULL;

  if (!signpost_store_check (self->store, &error))
    {
      gsize length = 0;
      char *text;

      /* Degraded: a problem, with what a monitor looks for. */
      reply = signpost_problem_from_error (error);
      json_object_set_string_member (reply, "health", "degraded");
      json_object_set_string_member (reply, "version", PACKAGE_VERSION);
      text = signpost_json_object_to_string (reply, &length);
      soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                    "Retry-After", SIGNPOST_SERVER_RETRY_AFTER_S);
      signpost_server_reply_text (msg, json_object_get_int_member (reply, "status"),
                                  "application/problem+json", text, length);
      return;
    }
  reply = json_object_new ();
  json_object_set_string_member (reply, "status", "ok");
  json_object_set_string_member (reply, "version", PACKAGE_VERSION);
  signpost_server_reply_json (msg, SOUP_STATUS_OK, reply);
}

typedef struct {
  SignpostServer *server;
  SoupServerMessage *msg;
  GCancellable *cancellable;
  gulong disconnected_id;
  gboolean disconnected;
} LoginRequest;

static void
login_request_free (LoginRequest *request)
{
  if (request->disconnected_id != 0)
    g_signal_handler_disconnect (request->msg, request->disconnected_id);
  g_clear_object (&request->cancellable);
  g_clear_object (&request->msg);
  g_clear_object (&request->server);
  g_free (request);
}

static void
login_disconnected_cb (SoupServerMessage *msg,
                       LoginRequest      *request)
{
  request->disconnected = TRUE;
  g_cancellable_cancel (request->cancellable);
}

static void
login_done (GObject      *source,
            GAsyncResult *result,
            gpointer      data)
{
  LoginRequest *request = data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  guint retry_after = 0;

  reply = signpost_auth_login_finish (SIGNPOST_AUTH (source), result, &retry_after, &error);
  /* Nobody is listening any more: the work is done (a failure is still
   * counted), but there is no one to answer. */
  if (request->disconnected)
    {
      login_request_free (request);
      return;
    }
  if (reply != NULL)
    signpost_server_reply_json (request->msg, SOUP_STATUS_OK, reply);
  else
    {
      if (retry_after > 0)
        {
          g_autofree char *seconds = g_strdup_printf ("%u", retry_after);

          soup_message_headers_replace (soup_server_message_get_response_headers (request->msg),
                                        "Retry-After", seconds);
        }
      signpost_server_reply_error (request->msg, error);
    }
  soup_server_message_unpause (request->msg);
  login_request_free (request);
}

void
signpost_server_handle_login (SignpostServer    *self,
                              SoupServerMessage *msg,
                              GHashTable        *query,
                              SignpostPrincipal *principal)
{
  static const char * const known[] = { "username", "password", "role", NULL };
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  const char *username, *password, *role;
  LoginRequest *request;

  body = signpost_server_read_json_object (self, msg, &error);
  if (body == NULL ||
      !body_only (body, known, &error) ||
      !body_string (body, "username", TRUE, &username, &error) ||
      !body_string (body, "password", TRUE, &password, &error) ||
      !body_string (body, "role", FALSE, &role, &error))
    {
      signpost_server_reply_error (msg, error);
      return;
    }

  /* The password check runs in a thread; the message waits, paused, and
   * holds a reference to itself until then. */
  request = g_new0 (LoginRequest, 1);
  request->server = g_object_ref (self);
  request->msg = g_object_ref (msg);
  request->cancellable = g_cancellable_new ();
  if (g_signal_lookup ("disconnected", SOUP_TYPE_SERVER_MESSAGE) != 0)
    request->disconnected_id = g_signal_connect (msg, "disconnected",
                                                 G_CALLBACK (login_disconnected_cb), request);
  soup_server_message_pause (msg);
  signpost_auth_login_async (self->auth, username, password, role,
                             signpost_server_client_address (self, msg),
                             request->cancellable, login_done, request);
}

void
signpost_server_handle_logout (SignpostServer    *self,
                               SoupServerMessage *msg,
                               GHashTable        *query,
                               SignpostPrincipal *principal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = json_object_new ();

  if (!signpost_auth_logout (self->auth, principal, &error))
    {
      signpost_server_reply_error (msg, error);
      return;
    }
  json_object_set_string_member (reply, "status", "signed_out");
  signpost_server_reply_json (msg, SOUP_STATUS_OK, reply);
}

void
signpost_server_handle_me (SignpostServer    *self,
                           SoupServerMessage *msg,
                           GHashTable        *query,
                           SignpostPrincipal *principal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = signpost_auth_describe (self->auth, principal, &error);

  if (reply == NULL)
    signpost_server_reply_error (msg, error);
  else
    signpost_server_reply_json (msg, SOUP_STATUS_OK, reply);
}

/* ---- change feed ------------------------------------------------------- */

typedef struct {
  SignpostServer *server;
  SignpostPrincipal *principal;
  SignpostRole role;
  GStrv former;                 /* removed practices the user worked for; read when needed */
  GString *out;
  gint64 limit;
  gint64 count;
  gint64 scanned;
  gint64 last_scanned;
  gint64 last_included;
  GHashTable *downloads;        /* practice_id → Download*, for the audit log */
  GError *error;
} ChangesPage;

/* What one page gave of one practice's records. */
typedef struct {
  guint records;
  guint patients;
} Download;

static void
count_download (ChangesPage                *page,
                const SignpostStoredChange *change)
{
  Download *download;

  if (page->downloads == NULL)
    page->downloads = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  download = g_hash_table_lookup (page->downloads, change->practice_id);
  if (download == NULL)
    {
      download = g_new0 (Download, 1);
      g_hash_table_insert (page->downloads, g_strdup (change->practice_id), download);
    }
  download->records++;
  if (change->kind == SIGNPOST_RECORD_PATIENT && !change->deleted)
    download->patients++;
}

/* A sync is not a view, but who took which practice's patients, and when,
 * is the audit log's to say: one event per practice whose patient records
 * a page carried (the first sync, a re-sync, a patient changed), before
 * the page goes out. Pages of calls and requests alone are not logged:
 * they come after every change, and name patients only by id. */
static gboolean
audit_downloads (SignpostServer     *self,
                 SignpostPrincipal  *principal,
                 ChangesPage        *page,
                 gint64              since,
                 gint64              last_seq,
                 GError            **error)
{
  GHashTableIter iter;
  gpointer key, value;
  gboolean any = FALSE;

  if (page->downloads == NULL)
    return TRUE;
  g_hash_table_iter_init (&iter, page->downloads);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      Download *download = value;
      g_autofree char *detail = NULL;
      SignpostAuditEvent event = {
        .at = g_get_real_time (),
        .user_id = signpost_principal_get_user_id (principal),
        .username = signpost_principal_get_username (principal),
        .role = signpost_principal_get_role_nick (principal),
        .action = "sync",
        .type = "practice",
        .record_id = key,
        .client = signpost_principal_get_client (principal),
      };

      if (download->patients == 0)
        continue;
      if (!any && !signpost_store_begin (self->store, error))
        return FALSE;
      any = TRUE;
      detail = g_strdup_printf ("since=%" G_GINT64_FORMAT " last_seq=%" G_GINT64_FORMAT
                                " records=%u patients=%u", since, last_seq, download->records,
                                download->patients);
      event.detail = detail;
      if (!signpost_store_append_audit (self->store, &event, error))
        {
          signpost_store_rollback (self->store);
          return FALSE;
        }
    }
  if (any && !signpost_store_commit (self->store, error))
    {
      signpost_store_rollback (self->store);
      return FALSE;
    }
  return TRUE;
}

static const char *
change_op (const SignpostStoredChange *change)
{
  if (change->deleted)
    return "delete";
  return change->version == 1 ? "create" : "update";
}

static gboolean
append_change (const SignpostStoredChange *change,
               gpointer                    data)
{
  ChangesPage *page = data;
  g_autoptr(JsonObject) object = NULL;
  SignpostVisibility visibility;

  page->scanned++;
  page->last_scanned = change->seq;

  visibility = signpost_access_visibility (page->role, change->kind);
  if (visibility == SIGNPOST_VISIBILITY_HIDDEN)
    return TRUE;
  /* Only a user record needs opening to decide; the rest is in columns. */
  if (change->kind == SIGNPOST_RECORD_USER || visibility == SIGNPOST_VISIBILITY_REDACTED ||
      change->deleted)
    {
      object = signpost_json_parse_object (change->data, change->data_length, G_MAXSIZE,
                                           &page->error);
      if (object == NULL)
        return FALSE;
    }
  if (change->kind == SIGNPOST_RECORD_USER && json_object_has_member (object, "practice_ids"))
    {
      JsonNode *ids = json_object_get_member (object, "practice_ids");
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
      g_auto(GStrv) strv = NULL;

      if (JSON_NODE_HOLDS_ARRAY (ids))
        {
          JsonArray *array = json_node_get_array (ids);

          for (guint i = 0; i < json_array_get_length (array); i++)
            g_strv_builder_add (builder, json_array_get_string_element (array, i));
        }
      strv = g_strv_builder_end (builder);
      visibility = signpost_access_check_read (page->principal, change->kind, change->practice_id,
                                               (const char * const *) strv);
    }
  else
    visibility = signpost_access_check_read (page->principal, change->kind, change->practice_id,
                                             NULL);
  /* A practice that moved away: those who worked for it still get its
   * tombstones, so that their consoles drop what they hold of it. */
  if (visibility == SIGNPOST_VISIBILITY_HIDDEN && change->deleted &&
      signpost_access_visibility (page->role, change->kind) != SIGNPOST_VISIBILITY_HIDDEN)
    {
      if (page->former == NULL)
        {
          page->former = signpost_store_list_former_practices (page->server->store,
                                                               signpost_principal_get_user_id (page->principal),
                                                               &page->error);
          if (page->former == NULL)
            return FALSE;
        }
      if (g_strv_contains ((const char * const *) page->former, change->practice_id))
        visibility = SIGNPOST_VISIBILITY_FULL;
    }
  if (visibility == SIGNPOST_VISIBILITY_HIDDEN)
    return TRUE;

  if (page->count > 0)
    g_string_append_c (page->out, ',');
  g_string_append_printf (page->out,
                          "{\"seq\":%" G_GINT64_FORMAT ",\"type\":\"%s\",\"id\":\"%s\","
                          "\"op\":\"%s\",\"version\":%" G_GINT64_FORMAT ",\"data\":",
                          change->seq, signpost_record_kind_to_string (change->kind), change->id,
                          change_op (change), change->version);
  if (change->deleted)
    {
      /* A tombstone carries the metadata only. */
      static const char * const keep[] = { "id", "practice_id", "version", "updated_at", "seq", NULL };
      g_autoptr(JsonObject) meta = json_object_new ();
      g_autofree char *text = NULL;

      for (guint i = 0; keep[i] != NULL; i++)
        if (json_object_has_member (object, keep[i]))
          json_object_set_member (meta, keep[i],
                                  json_node_copy (json_object_get_member (object, keep[i])));
      text = signpost_json_object_to_string (meta, NULL);
      g_string_append (page->out, text);
    }
  else if (visibility == SIGNPOST_VISIBILITY_REDACTED)
    {
      g_autofree char *text = NULL;

      signpost_access_redact (page->role, change->kind, object);
      text = signpost_json_object_to_string (object, NULL);
      g_string_append (page->out, text);
    }
  else
    {
      /* Stored by us in canonical form: sent as it is. */
      g_string_append_len (page->out, change->data, change->data_length);
    }
  g_string_append_c (page->out, '}');
  page->last_included = change->seq;
  count_download (page, change);
  return ++page->count < page->limit;
}

/*
 * What a reader's feed is read from, so that it costs what the reader may
 * see rather than what the whole database holds: the records of the
 * practices it works for and of those it worked for that moved away
 * (their tombstones), and the kinds it may see in every practice (an
 * administrator's practices and users; anyone's users, whose practices
 * are in their data). append_change() still decides row by row.
 */
static gboolean
feed_scope (SignpostServer     *self,
            SignpostPrincipal  *principal,
            ChangesPage        *page,
            GPtrArray         **practice_ids,
            guint              *everywhere,
            GError            **error)
{
  SignpostRole role = signpost_principal_get_role (principal);
  const char * const *own = signpost_principal_get_practice_ids (principal);
  gboolean scoped = FALSE;

  *everywhere = 0;
  for (guint kind = 0; kind < SIGNPOST_N_RECORD_KINDS; kind++)
    {
      if (signpost_access_visibility (role, kind) == SIGNPOST_VISIBILITY_HIDDEN)
        continue;
      if (kind == SIGNPOST_RECORD_USER || !signpost_access_is_scoped (role, kind))
        *everywhere |= 1u << kind;
      else
        scoped = TRUE;
    }
  *practice_ids = g_ptr_array_new ();
  if (scoped)
    {
      page->former = signpost_store_list_former_practices (self->store,
                                                           signpost_principal_get_user_id (principal),
                                                           error);
      if (page->former == NULL)
        return FALSE;
      for (guint i = 0; own != NULL && own[i] != NULL; i++)
        g_ptr_array_add (*practice_ids, (gpointer) own[i]);
      for (guint i = 0; page->former[i] != NULL; i++)
        g_ptr_array_add (*practice_ids, page->former[i]);
    }
  g_ptr_array_add (*practice_ids, NULL);
  return TRUE;
}

void
signpost_server_handle_changes (SignpostServer    *self,
                                SoupServerMessage *msg,
                                GHashTable        *query,
                                SignpostPrincipal *principal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) practice_ids = NULL;
  ChangesPage page = { 0 };
  gint64 since, limit, head, last_seq;
  guint everywhere = 0;
  gboolean more;

  if (!query_int (query, "since", 0, 0, G_MAXINT64, &since, &error) ||
      !query_int (query, "limit", CHANGES_DEFAULT_LIMIT, 1, CHANGES_MAX_LIMIT, &limit, &error))
    {
      signpost_server_reply_error (msg, error);
      return;
    }
  head = signpost_store_get_last_seq (self->store, &error);
  if (head < 0)
    {
      signpost_server_reply_error (msg, error);
      return;
    }

  page.server = self;
  page.principal = principal;
  page.role = signpost_principal_get_role (principal);
  page.limit = limit;
  page.last_scanned = since;
  page.out = g_string_sized_new (4096);
  g_string_append (page.out, "{\"changes\":[");
  if (!feed_scope (self, principal, &page, &practice_ids, &everywhere, &error) ||
      !signpost_store_foreach_change_in (self->store, since,
                                         (const char * const *) practice_ids->pdata, everywhere,
                                         CHANGES_MAX_SCAN, append_change, &page, &error) ||
      page.error != NULL)
    {
      if (error == NULL)
        error = g_steal_pointer (&page.error);
      g_clear_error (&page.error);
      g_clear_pointer (&page.former, g_strfreev);
      g_clear_pointer (&page.downloads, g_hash_table_unref);
      g_string_free (page.out, TRUE);
      signpost_server_reply_error (msg, error);
      return;
    }
  g_clear_pointer (&page.former, g_strfreev);

  if (page.count == limit)
    {
      last_seq = page.last_included;
      more = last_seq < head;
    }
  else if (page.scanned < CHANGES_MAX_SCAN)
    {
      /* Everything after @since was looked at: what the caller may not
       * see still moves it on. */
      last_seq = MAX (head, since);
      more = FALSE;
    }
  else
    {
      last_seq = page.last_scanned;
      more = last_seq < head;
    }
  g_string_append_printf (page.out, "],\"last_seq\":%" G_GINT64_FORMAT ",\"more\":%s}",
                          last_seq, more ? "true" : "false");
  /* No audit entry, no page. */
  if (!audit_downloads (self, principal, &page, since, last_seq, &error))
    {
      g_clear_pointer (&page.downloads, g_hash_table_unref);
      g_string_free (page.out, TRUE);
      signpost_server_reply_error (msg, error);
      return;
    }
  g_clear_pointer (&page.downloads, g_hash_table_unref);
  {
    gsize length = page.out->len;

    signpost_server_reply_text (msg, SOUP_STATUS_OK, "application/json",
                                g_string_free (page.out, FALSE), length);
  }
}

/* ---- mutations --------------------------------------------------------- */

void
signpost_server_handle_mutations (SignpostServer    *self,
                                  SoupServerMessage *msg,
                                  GHashTable        *query,
                                  SignpostPrincipal *principal)
{
  static const char * const known[] = { "mutations", NULL };
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) mutations = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  SignpostApplyContext ctx;
  JsonNode *list;
  JsonArray *array;
  JsonArray *results;

  body = signpost_server_read_json_object (self, msg, &error);
  if (body == NULL || !body_only (body, known, &error))
    {
      signpost_server_reply_error (msg, error);
      return;
    }
  list = json_object_get_member (body, "mutations");
  if (list == NULL || !JSON_NODE_HOLDS_ARRAY (list))
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_INVALID, "mutations",
                                     _("must be a list of mutations"));
      return;
    }
  array = json_node_get_array (list);
  if (json_array_get_length (array) > MAX_MUTATIONS)
    {
      g_autofree char *detail = g_strdup_printf (_("has more than %u items"), MAX_MUTATIONS);

      signpost_server_reply_problem (msg, SIGNPOST_ERROR_INVALID, "mutations", detail);
      return;
    }
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      g_autofree char *path = g_strdup_printf ("mutations[%u]", i);
      JsonNode *element = json_array_get_element (array, i);
      SignpostMutation *mutation;

      if (!JSON_NODE_HOLDS_OBJECT (element))
        {
          signpost_server_reply_problem (msg, SIGNPOST_ERROR_INVALID, path, _("must be an object"));
          return;
        }
      mutation = signpost_object_new_from_json (SIGNPOST_TYPE_MUTATION,
                                                json_node_get_object (element),
                                                SIGNPOST_DECODE_CREATE, &error);
      if (mutation == NULL)
        {
          signpost_error_prefix_field (&error, path);
          signpost_server_reply_error (msg, error);
          return;
        }
      g_ptr_array_add (mutations, mutation);
    }

  /* A demo server's simulator may replay a batch at a time in the past. */
  {
    GDateTime *when = signpost_server_mutation_time (self, msg, now, &error);

    if (when == NULL)
      {
        signpost_server_reply_error (msg, error);
        return;
      }
    g_date_time_unref (now);
    now = when;
  }

  /* One transaction for the batch, a savepoint per mutation: the reply
   * goes out only once every applied mutation is on disk. */
  signpost_apply_context_init (&ctx, self->store, principal, now);
  results = json_array_new ();
  if (!signpost_store_begin (self->store, &error))
    goto failed;
  for (guint i = 0; i < mutations->len; i++)
    {
      g_autoptr(SignpostMutationResult) result = NULL;

      result = signpost_apply_mutation (&ctx, g_ptr_array_index (mutations, i), &error);
      if (result == NULL)
        {
          signpost_store_rollback (self->store);
          goto failed;
        }
      json_array_add_object_element (results, signpost_object_to_json (SIGNPOST_OBJECT (result)));
    }
  if (!signpost_store_commit (self->store, &error))
    goto failed;

  reply = json_object_new ();
  json_object_set_array_member (reply, "results", g_steal_pointer (&results));
  signpost_server_reply_json (msg, SOUP_STATUS_OK, reply);
  signpost_server_publish (self, ctx.changed, ctx.call_events);
  signpost_apply_context_clear (&ctx);
  return;

failed:
  json_array_unref (results);
  signpost_apply_context_clear (&ctx);
  signpost_server_reply_error (msg, error);
}

/* ---- queue ------------------------------------------------------------- */

void
signpost_server_handle_queue (SignpostServer    *self,
                              SoupServerMessage *msg,
                              GHashTable        *query,
                              SignpostPrincipal *principal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) summary = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char * const *practices = signpost_principal_get_practice_ids (principal);
  const char *practice_id;

  if (!signpost_access_may_see_queue (signpost_principal_get_role (principal)))
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_FORBIDDEN, NULL,
                                     _("This role does not see the call queue"));
      return;
    }
  if (!query_uuid (query, "practice", &practice_id, &error))
    {
      signpost_server_reply_error (msg, error);
      return;
    }
  if (practice_id == NULL)
    {
      if (practices == NULL || practices[0] == NULL || practices[1] != NULL)
        {
          signpost_server_reply_problem (msg, SIGNPOST_ERROR_INVALID, "practice",
                                         _("is required for someone who works for several practices"));
          return;
        }
      practice_id = practices[0];
    }
  if (!signpost_principal_has_practice (principal, practice_id))
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_FORBIDDEN, "practice",
                                     _("You do not work for this practice"));
      return;
    }
  summary = signpost_telephony_queue_summary (self->telephony, practice_id, now, &error);
  if (summary == NULL)
    signpost_server_reply_error (msg, error);
  else
    signpost_server_reply_json (msg, SOUP_STATUS_OK, summary);
}

/* ---- telephony --------------------------------------------------------- */

/*
 * Webhook events are committed in groups. Each is checked as it arrives
 * (signature, line, members: no writes), and then waits, paused, for the
 * end of this turn of the main loop: the events read in one turn are one
 * group.
 * A group is one transaction with a savepoint per event, so an event that
 * is refused leaves no trace, and every event is on disk before its 200
 * goes out; one fsync and one write of the shared pages (the change
 * counter, the indexes, the audit log) then serve the whole group instead
 * of each event. With one event in flight this is the same as committing
 * each; at the 8 am surge it is what keeps the webhook ahead of the phones.
 * The group is committed before the main loop does anything else, so no
 * other request ever sees a transaction left open.
 */

#define WEBHOOK_GROUP_MAX 256

typedef struct {
  SoupServerMessage *msg;
  JsonObject *event;
  char *practice_id;
  JsonObject *reply;
  GError *error;
  gulong disconnected_id;
  gboolean disconnected;
} WebhookRequest;

static void
webhook_request_free (WebhookRequest *request)
{
  if (request->disconnected_id != 0)
    g_signal_handler_disconnect (request->msg, request->disconnected_id);
  g_clear_object (&request->msg);
  g_clear_pointer (&request->event, json_object_unref);
  g_clear_pointer (&request->reply, json_object_unref);
  g_clear_error (&request->error);
  g_free (request->practice_id);
  g_free (request);
}

GPtrArray *
signpost_server_webhook_queue_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) webhook_request_free);
}

static void
webhook_disconnected_cb (SoupServerMessage *msg,
                         WebhookRequest    *request)
{
  request->disconnected = TRUE;
}

/* Applies the events in @group, one transaction, a savepoint each; fills
 * in each request's reply or error. */
static void
webhook_apply_group (SignpostServer       *self,
                     GPtrArray            *group,
                     SignpostApplyContext *ctx)
{
  g_autoptr(GError) error = NULL;

  /* A group of one needs no savepoint: the transaction is the event's. */
  gboolean savepoints = group->len > 1;

  if (!signpost_store_begin (self->store, &error))
    goto failed;
  for (guint i = 0; i < group->len; i++)
    {
      WebhookRequest *request = g_ptr_array_index (group, i);
      guint n_changed = ctx->changed->len;
      guint n_events = ctx->call_events->len;

      if (savepoints && !signpost_store_savepoint (self->store, &request->error))
        continue;
      request->reply = signpost_telephony_apply (self->telephony, request->event,
                                                 request->practice_id, ctx, &request->error);
      if (!savepoints)
        {
          if (request->reply != NULL)
            break;
          /* Nothing else to keep: undo the event by not committing. */
          signpost_store_rollback (self->store);
          signpost_apply_context_reset (ctx);
          return;
        }
      if (request->reply == NULL || !signpost_store_release_savepoint (self->store, &request->error))
        {
          g_clear_pointer (&request->reply, json_object_unref);
          if (!signpost_store_rollback_to_savepoint (self->store))
            {
              /* The events before it went with the transaction; if the
               * database is only out of reach for now, say so (503). */
              if (g_error_matches (request->error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAVAILABLE))
                error = g_error_copy (request->error);
              else
                g_set_error_literal (&error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                                     _("The events could not be stored"));
              goto failed;
            }
          g_ptr_array_set_size (ctx->changed, n_changed);
          g_ptr_array_set_size (ctx->call_events, n_events);
          if (request->error == NULL)
            g_set_error_literal (&request->error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                                 _("The event could not be stored"));
        }
    }
  if (signpost_store_commit (self->store, &error))
    return;

failed:
  /* Nothing of the group is on disk: no event may be acknowledged. */
  signpost_store_rollback (self->store);
  signpost_apply_context_reset (ctx);
  for (guint i = 0; i < group->len; i++)
    {
      WebhookRequest *request = g_ptr_array_index (group, i);

      g_clear_pointer (&request->reply, json_object_unref);
      g_clear_error (&request->error);
      request->error = g_error_copy (error);
    }
}

/**
 * signpost_server_flush_webhooks:
 *
 * Commits the webhook events waiting for their group and answers them.
 */
void
signpost_server_flush_webhooks (SignpostServer *self)
{
  g_autoptr(GPtrArray) group = NULL;
  g_autoptr(GDateTime) now = NULL;
  SignpostApplyContext ctx;

  g_clear_handle_id (&self->webhook_flush_id, g_source_remove);
  if (self->webhooks == NULL || self->webhooks->len == 0)
    return;
  group = g_steal_pointer (&self->webhooks);
  self->webhooks = signpost_server_webhook_queue_new ();

  now = g_date_time_new_now_utc ();
  signpost_apply_context_init (&ctx, self->store, NULL, now);
  webhook_apply_group (self, group, &ctx);
  for (guint i = 0; i < group->len; i++)
    {
      WebhookRequest *request = g_ptr_array_index (group, i);

      if (request->disconnected)
        continue;
      if (request->reply != NULL)
        signpost_server_reply_json (request->msg, SOUP_STATUS_OK, request->reply);
      else
        signpost_server_reply_error (request->msg, request->error);
      soup_server_message_unpause (request->msg);
    }
  signpost_server_publish (self, ctx.changed, ctx.call_events);
  signpost_apply_context_clear (&ctx);
}

static gboolean
webhook_flush_cb (gpointer data)
{
  SignpostServer *self = data;

  self->webhook_flush_id = 0;
  signpost_server_flush_webhooks (self);
  return G_SOURCE_REMOVE;
}

void
signpost_server_handle_telephony (SignpostServer    *self,
                                  SoupServerMessage *msg,
                                  GHashTable        *query,
                                  SignpostPrincipal *principal)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) event = NULL;
  g_autofree char *practice_id = NULL;
  WebhookRequest *request;
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);

  event = signpost_telephony_check (self->telephony,
                                    soup_message_headers_get_one (headers, "X-Signpost-Timestamp"),
                                    soup_message_headers_get_one (headers, "X-Signpost-Signature"),
                                    data, length, &practice_id, &error);
  if (event == NULL)
    {
      signpost_server_reply_error (msg, error);
      return;
    }
  if (self->webhooks->len >= WEBHOOK_GROUP_MAX)
    signpost_server_flush_webhooks (self);

  request = g_new0 (WebhookRequest, 1);
  request->msg = g_object_ref (msg);
  request->event = g_steal_pointer (&event);
  request->practice_id = g_steal_pointer (&practice_id);
  if (g_signal_lookup ("disconnected", SOUP_TYPE_SERVER_MESSAGE) != 0)
    request->disconnected_id = g_signal_connect (msg, "disconnected",
                                                 G_CALLBACK (webhook_disconnected_cb), request);
  soup_server_message_pause (msg);
  g_ptr_array_add (self->webhooks, request);
  /* First thing in the next turn of the loop, before any other socket is
   * served: the group is every event read in this turn. */
  if (self->webhook_flush_id == 0)
    self->webhook_flush_id = g_idle_add_full (G_PRIORITY_HIGH, webhook_flush_cb, self, NULL);
}

/* ---- intake ------------------------------------------------------------ */

/* Online requests from another online-consultation product, signed like
 * the telephony webhook; one transaction each (they come one at a time). */
void
signpost_server_handle_intake (SignpostServer    *self,
                               SoupServerMessage *msg,
                               GHashTable        *query,
                               SignpostPrincipal *principal)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  SignpostApplyContext ctx;
  gsize length = 0;
  const char *data = g_bytes_get_data (body, &length);

  signpost_apply_context_init (&ctx, self->store, NULL, now);
  reply = signpost_intake_receive (self->intake,
                                   soup_message_headers_get_one (headers, "X-Signpost-Timestamp"),
                                   soup_message_headers_get_one (headers, "X-Signpost-Signature"),
                                   data, length, &ctx, &error);
  if (reply == NULL)
    signpost_server_reply_error (msg, error);
  else
    {
      signpost_server_reply_json (msg, SOUP_STATUS_OK, reply);
      signpost_server_publish (self, ctx.changed, ctx.call_events);
    }
  signpost_apply_context_clear (&ctx);
}

/* ---- statistics -------------------------------------------------------- */

#define STAFFING_DEFAULT_TARGET 0.8
#define STAFFING_DEFAULT_WITHIN_S 20.0
#define STAFFING_MAX_SECONDS 86400.0

/* A number in (@minimum, @maximum) (or up to @maximum itself when
 * @maximum_included), or @default_value when absent. */
static gboolean
query_double (GHashTable  *query,
              const char  *key,
              double       default_value,
              double       minimum,
              double       maximum,
              gboolean     maximum_included,
              const char  *problem,
              double      *value,
              GError     **error)
{
  const char *text = query ? g_hash_table_lookup (query, key) : NULL;
  char *end = NULL;
  double parsed;

  *value = default_value;
  if (text == NULL)
    return TRUE;
  parsed = g_ascii_strtod (text, &end);
  if (*text == '\0' || g_ascii_isspace (*text) || end == NULL || *end != '\0' ||
      !isfinite (parsed) || parsed <= minimum || parsed > maximum ||
      (!maximum_included && parsed == maximum))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key, "%s", problem);
      return FALSE;
    }
  *value = parsed;
  return TRUE;
}

static gboolean
query_date (GHashTable  *query,
            const char  *key,
            GDate       *date,
            GError     **error)
{
  const char *text = query ? g_hash_table_lookup (query, key) : NULL;

  if (text == NULL)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key, _("is required"));
      return FALSE;
    }
  if (!signpost_date_parse (text, date, NULL))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key,
                                _("must be a date like 2026-11-23"));
      return FALSE;
    }
  /* A day ends at the next one's midnight, which must be an instant we
   * can hold (years to 9999). */
  if (g_date_get_year (date) == 9999 && g_date_get_month (date) == 12 &&
      g_date_get_day (date) == 31)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key,
                                _("must be a date no later than 9999-12-30"));
      return FALSE;
    }
  return TRUE;
}

/* "YYYY-MM", nothing else. */
static gboolean
query_month (GHashTable  *query,
             const char  *key,
             int         *year,
             int         *month,
             GError     **error)
{
  const char *text = query ? g_hash_table_lookup (query, key) : NULL;
  gboolean ok = text != NULL && strlen (text) == 7 && text[4] == '-';

  for (int i = 0; ok && i < 7; i++)
    if (i != 4 && !g_ascii_isdigit (text[i]))
      ok = FALSE;
  if (ok)
    {
      *year = g_ascii_strtoll (text, NULL, 10);
      *month = g_ascii_strtoll (text + 5, NULL, 10);
      /* The month's last day must end before the year 10000. */
      ok = *year >= 1800 && *year <= 9999 && *month >= 1 && *month <= 12 &&
           !(*year == 9999 && *month == 12);
    }
  if (!ok)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key,
                                text == NULL ? _("is required") : _("must be a month like 2026-11"));
      return FALSE;
    }
  return TRUE;
}

/* The practice a statistics request is about: named by ?practice=, or the
 * only one the caller works for. Replies and returns NULL when the
 * caller may not have it. */
static SignpostPractice *
stats_practice (SignpostServer    *self,
                SoupServerMessage *msg,
                GHashTable        *query,
                SignpostPrincipal *principal)
{
  const char * const *practices = signpost_principal_get_practice_ids (principal);
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostRecord) record = NULL;
  const char *practice_id;
  gboolean deleted = FALSE;

  if (!query_uuid (query, "practice", &practice_id, &error))
    {
      signpost_server_reply_error (msg, error);
      return NULL;
    }
  if (practice_id == NULL)
    {
      if (practices == NULL || practices[0] == NULL || practices[1] != NULL)
        {
          signpost_server_reply_problem (msg, SIGNPOST_ERROR_INVALID, "practice",
                                         _("is required for someone who works for several practices"));
          return NULL;
        }
      practice_id = practices[0];
    }
  record = signpost_store_get_record (self->store, SIGNPOST_RECORD_PRACTICE, practice_id, &deleted,
                                      &error);
  if (error != NULL)
    {
      signpost_server_reply_error (msg, error);
      return NULL;
    }
  if (record == NULL || deleted)
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_NOT_FOUND, "practice",
                                     _("There is no such practice"));
      return NULL;
    }
  if (!signpost_access_may_see_practice_stats (principal, practice_id))
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_FORBIDDEN, "practice",
                                     _("You do not work for this practice"));
      return NULL;
    }
  return SIGNPOST_PRACTICE (g_steal_pointer (&record));
}

static gboolean
stats_allowed (SoupServerMessage *msg,
               SignpostPrincipal *principal)
{
  if (signpost_access_may_see_stats (signpost_principal_get_role (principal)))
    return TRUE;
  signpost_server_reply_problem (msg, SIGNPOST_ERROR_FORBIDDEN, NULL,
                                 _("Only practice managers and administrators see statistics"));
  return FALSE;
}

void
signpost_server_handle_stats_day (SignpostServer    *self,
                                  SoupServerMessage *msg,
                                  GHashTable        *query,
                                  SignpostPrincipal *principal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostPractice) practice = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDate date;

  if (!stats_allowed (msg, principal))
    return;
  if (!query_date (query, "date", &date, &error))
    {
      signpost_server_reply_error (msg, error);
      return;
    }
  practice = stats_practice (self, msg, query, principal);
  if (practice == NULL)
    return;
  reply = signpost_stats_day (self->store, practice, &date, now, &error);
  if (reply == NULL)
    signpost_server_reply_error (msg, error);
  else
    signpost_server_reply_json (msg, SOUP_STATUS_OK, reply);
}

void
signpost_server_handle_stats_staffing (SignpostServer    *self,
                                       SoupServerMessage *msg,
                                       GHashTable        *query,
                                       SignpostPrincipal *principal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostPractice) practice = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  double target, within, aht;
  GDate date;

  if (!stats_allowed (msg, principal))
    return;
  if (!query_date (query, "date", &date, &error) ||
      !query_double (query, "target", STAFFING_DEFAULT_TARGET, 0.0, 1.0, FALSE,
                     _("must be a number between 0 and 1, such as 0.8"), &target, &error) ||
      !query_double (query, "within", STAFFING_DEFAULT_WITHIN_S, 0.0, STAFFING_MAX_SECONDS, TRUE,
                     _("must be a number of seconds more than 0"), &within, &error) ||
      !query_double (query, "aht", 0.0, 0.0, STAFFING_MAX_SECONDS, TRUE,
                     _("must be a number of seconds more than 0"), &aht, &error))
    {
      signpost_server_reply_error (msg, error);
      return;
    }
  practice = stats_practice (self, msg, query, principal);
  if (practice == NULL)
    return;
  reply = signpost_stats_staffing (self->store, practice, &date, now, target, within, aht, &error);
  if (reply == NULL)
    signpost_server_reply_error (msg, error);
  else
    signpost_server_reply_json (msg, SOUP_STATUS_OK, reply);
}

/* Every practice the caller may see the statistics of. */
static GPtrArray *
stats_all_practices (SignpostServer     *self,
                     SignpostPrincipal  *principal,
                     GError            **error)
{
  g_autoptr(GPtrArray) all = NULL;
  GPtrArray *mine;

  all = signpost_store_list_records (self->store, SIGNPOST_RECORD_PRACTICE, NULL, error);
  if (all == NULL)
    return NULL;
  mine = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < all->len; i++)
    {
      SignpostRecord *practice = g_ptr_array_index (all, i);

      if (signpost_access_may_see_practice_stats (principal, signpost_record_get_id (practice)))
        g_ptr_array_add (mine, g_object_ref (practice));
    }
  return mine;
}

void
signpost_server_handle_stats_cbt_export (SignpostServer    *self,
                                         SoupServerMessage *msg,
                                         GHashTable        *query,
                                         SignpostPrincipal *principal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) practices = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *disposition = NULL;
  char *csv;
  gsize length = 0;
  int year = 0, month = 0;

  if (!stats_allowed (msg, principal))
    return;
  if (!query_month (query, "month", &year, &month, &error))
    {
      signpost_server_reply_error (msg, error);
      return;
    }
  if (query != NULL && g_hash_table_contains (query, "practice"))
    {
      SignpostPractice *practice = stats_practice (self, msg, query, principal);

      if (practice == NULL)
        return;
      practices = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (practices, practice);
    }
  else
    {
      practices = stats_all_practices (self, principal, &error);
      if (practices == NULL)
        {
          signpost_server_reply_error (msg, error);
          return;
        }
    }
  csv = signpost_stats_cbt_csv (self->store, practices, year, month, now, &length, &error);
  if (csv == NULL)
    {
      signpost_server_reply_error (msg, error);
      return;
    }
  disposition = g_strdup_printf ("attachment; filename=\"signpost-cbt-%04d-%02d.csv\"", year, month);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                "Content-Disposition", disposition);
  signpost_server_reply_text (msg, SOUP_STATUS_OK, "text/csv; charset=utf-8; header=present",
                              csv, length);
}

/* ---- audit ------------------------------------------------------------- */

void
signpost_server_handle_audit_views (SignpostServer    *self,
                                    SoupServerMessage *msg,
                                    GHashTable        *query,
                                    SignpostPrincipal *principal)
{
  static const char * const known[] = { "patient_id", "triage_id", "context", NULL };
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostRecord) patient = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(JsonObject) reply = NULL;
  SignpostApplyContext ctx;
  const char *patient_id, *triage_id, *context, *field;
  SignpostRecordKind kind;
  gboolean deleted = FALSE;

  body = signpost_server_read_json_object (self, msg, &error);
  if (body == NULL ||
      !body_only (body, known, &error) ||
      !body_string (body, "patient_id", FALSE, &patient_id, &error) ||
      !body_string (body, "triage_id", FALSE, &triage_id, &error) ||
      !body_string (body, "context", FALSE, &context, &error))
    {
      signpost_server_reply_error (msg, error);
      return;
    }
  /* A patient, or a request (an online one may have no patient yet). */
  if ((patient_id == NULL) == (triage_id == NULL))
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_INVALID, "patient_id",
                                     _("give either a patient_id or a triage_id"));
      return;
    }
  kind = patient_id != NULL ? SIGNPOST_RECORD_PATIENT : SIGNPOST_RECORD_TRIAGE;
  field = patient_id != NULL ? "patient_id" : "triage_id";
  if (!signpost_uuid_is_canonical (patient_id != NULL ? patient_id : triage_id))
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_INVALID, field,
                                     _("must be a lower-case UUID"));
      return;
    }
  if (context != NULL && (g_utf8_strlen (context, -1) > 200 ||
                          !signpost_format_check (SIGNPOST_FORMAT_TEXT, context, NULL)))
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_INVALID, "context",
                                     _("must be one line of up to 200 characters"));
      return;
    }
  patient = signpost_store_get_record (self->store, kind, patient_id != NULL ? patient_id : triage_id,
                                       &deleted, &error);
  if (error != NULL)
    {
      signpost_server_reply_error (msg, error);
      return;
    }
  /* What the caller may not see is not there, as far as it is told: the
   * same answer as for nothing at all, so that ids cannot be probed. */
  if (patient == NULL ||
      signpost_access_check_read (principal, kind, signpost_record_get_practice_id (patient), NULL) ==
      SIGNPOST_VISIBILITY_HIDDEN)
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_NOT_FOUND, field,
                                     kind == SIGNPOST_RECORD_PATIENT ? _("There is no such patient")
                                                                     : _("There is no such request"));
      return;
    }

  signpost_apply_context_init (&ctx, self->store, principal, now);
  if (!signpost_store_begin (self->store, &error) ||
      !signpost_apply_audit (&ctx, "view", patient, context, &error) ||
      !signpost_store_commit (self->store, &error))
    {
      signpost_store_rollback (self->store);
      signpost_apply_context_clear (&ctx);
      signpost_server_reply_error (msg, error);
      return;
    }
  signpost_apply_context_clear (&ctx);
  reply = json_object_new ();
  json_object_set_string_member (reply, "status", "recorded");
  signpost_server_reply_json (msg, SOUP_STATUS_OK, reply);
}

static void
set_nullable (JsonObject *object,
              const char *key,
              const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, key, value);
  else
    json_object_set_null_member (object, key);
}

static gboolean
append_audit_event (const SignpostAuditEvent *event,
                    gpointer                  data)
{
  JsonArray *events = data;
  JsonObject *object = json_object_new ();
  g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (event->at / G_USEC_PER_SEC);
  g_autoptr(GDateTime) precise = g_date_time_add (at, event->at % G_USEC_PER_SEC);
  g_autofree char *at_text = signpost_timestamp_format (precise);

  json_object_set_int_member (object, "id", event->id);
  json_object_set_string_member (object, "at", at_text);
  set_nullable (object, "user_id", event->user_id);
  set_nullable (object, "username", event->username);
  set_nullable (object, "role", event->role);
  set_nullable (object, "action", event->action);
  set_nullable (object, "type", event->type);
  set_nullable (object, "record_id", event->record_id);
  set_nullable (object, "patient_id", event->patient_id);
  set_nullable (object, "client", event->client);
  set_nullable (object, "detail", event->detail);
  json_array_add_object_element (events, object);
  return TRUE;
}

void
signpost_server_handle_audit (SignpostServer    *self,
                              SoupServerMessage *msg,
                              GHashTable        *query,
                              SignpostPrincipal *principal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(JsonArray) events = json_array_new ();
  const char *patient_id, *user_id;
  gint64 since, limit;

  if (!signpost_access_may_read_audit (signpost_principal_get_role (principal)))
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_FORBIDDEN, NULL,
                                     _("Only administrators read the audit log"));
      return;
    }
  if (!query_uuid (query, "patient_id", &patient_id, &error) ||
      !query_uuid (query, "user_id", &user_id, &error) ||
      !query_int (query, "since", 0, 0, G_MAXINT64, &since, &error) ||
      !query_int (query, "limit", AUDIT_DEFAULT_LIMIT, 1, AUDIT_MAX_LIMIT, &limit, &error) ||
      !signpost_store_foreach_audit (self->store, patient_id, user_id, since, limit,
                                     append_audit_event, events, &error))
    {
      signpost_server_reply_error (msg, error);
      return;
    }
  reply = json_object_new ();
  json_object_set_array_member (reply, "events", g_steal_pointer (&events));
  signpost_server_reply_json (msg, SOUP_STATUS_OK, reply);
}
