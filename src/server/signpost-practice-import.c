/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-bundle-reader.h"
#include "signpost-practice-move.h"

/*
 * A practice bundle into this server. The bundle is checked whole first
 * (signpost-bundle-reader.c); then, in one transaction, that nothing here
 * is in its way (the practice, its ODS code, its users' names, its phone
 * lines), and only then is everything written, keeping every record's
 * id, version and timestamps (the statistics history comes along intact;
 * each record gets a change number of this server). A refusal writes
 * nothing.
 */

typedef struct {
  SignpostStore *store;
  SignpostBundleReader *reader;
  const char *practice_id;
  GHashTable *user_ids;
  guint written;
  /* Written a batch at a time (a round trip each on PostgreSQL). */
  GPtrArray *records;         /* SignpostRecord */
  GPtrArray *audit_items;     /* JsonObject, which the events' strings point into */
  GArray *events;             /* SignpostAuditEvent */
} Import;

#define BATCH 1000

static gboolean
flush (Import  *import,
       GError **error)
{
  if (import->records->len > 0 &&
      !signpost_store_put_records (import->store, (SignpostRecord * const *) import->records->pdata,
                                   import->records->len, error))
    return FALSE;
  g_ptr_array_set_size (import->records, 0);
  if (import->events->len > 0 &&
      !signpost_store_append_audits (import->store, (const SignpostAuditEvent *) import->events->data,
                                     import->events->len, error))
    return FALSE;
  g_array_set_size (import->events, 0);
  g_ptr_array_set_size (import->audit_items, 0);
  return TRUE;
}

static gboolean refuse (GError **error, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Something here is in the bundle's way: always FALSE. */
static gboolean
refuse (GError    **error,
        const char *format,
        ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT, message);
  return FALSE;
}

static SignpostRecord *
decode_record (SignpostRecordKind   kind,
               JsonObject          *item,
               GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  SignpostRecord *record;

  /* The seq is this server's to give; decoding wants one. */
  json_object_set_int_member (item, "seq", 0);
  record = signpost_record_new_from_json (kind, item, SIGNPOST_DECODE_FULL, &local_error);
  if (record == NULL)
    g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                 _("A %s in the bundle is not valid: %s"), signpost_record_kind_to_string (kind),
                 local_error->message);
  return record;
}

static gboolean
belongs (Import         *import,
         SignpostRecord *record,
         GError        **error)
{
  if (g_strcmp0 (signpost_record_get_practice_id (record), import->practice_id) == 0)
    {
      if (!SIGNPOST_IS_USER (record))
        return TRUE;
      {
        const char * const *ids = signpost_user_get_practice_ids (SIGNPOST_USER (record));

        if (ids != NULL && ids[0] != NULL && ids[1] == NULL && g_str_equal (ids[0], import->practice_id))
          return TRUE;
      }
    }
  g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
               _("The bundle holds a %s of another practice"),
               signpost_record_kind_to_string (signpost_record_get_kind (record)));
  return FALSE;
}

/* First pass, in the transaction: what would be in the way. */
static gboolean
check_item (SignpostBundlePart   part,
            JsonObject          *item,
            gpointer             data,
            GError             **error)
{
  Import *import = data;
  g_autoptr(SignpostRecord) record = NULL;

  switch (part)
    {
    case SIGNPOST_BUNDLE_LINES:
      {
        const char *number = json_object_get_string_member_with_default (item, "number", NULL);
        g_autofree char *owner = NULL;

        if (number == NULL || !signpost_phone_is_e164 (number))
          return refuse (error, _("A phone line in the bundle has no valid number"));
        if (!signpost_store_get_line (import->store, number, &owner, NULL, error))
          return FALSE;
        if (owner != NULL)
          return refuse (error, _("The line %s already rings a practice on this server"), number);
        return TRUE;
      }
    case SIGNPOST_BUNDLE_USERS:
      {
        g_autoptr(SignpostUser) existing = NULL;
        g_autoptr(GError) local_error = NULL;

        record = decode_record (SIGNPOST_RECORD_USER, item, error);
        if (record == NULL || !belongs (import, record, error))
          return FALSE;
        existing = signpost_store_find_user (import->store,
                                             signpost_user_get_username (SIGNPOST_USER (record)),
                                             &local_error);
        if (local_error != NULL)
          {
            g_propagate_error (error, g_steal_pointer (&local_error));
            return FALSE;
          }
        if (existing != NULL)
          return refuse (error, _("The user name “%s” is already taken on this server"),
                         signpost_user_get_username (SIGNPOST_USER (record)));
        g_hash_table_add (import->user_ids, g_strdup (signpost_record_get_id (record)));
        return TRUE;
      }
    case SIGNPOST_BUNDLE_CREDENTIALS:
      {
        const char *user_id = json_object_get_string_member_with_default (item, "user_id", NULL);
        g_autofree char *hash = NULL;

        if (user_id == NULL || !g_hash_table_contains (import->user_ids, user_id))
          return refuse (error, _("A password in the bundle is for nobody in it"));
        hash = signpost_bundle_reader_open (import->reader,
                                            json_object_get_member (item, "password_hash"), error);
        return hash != NULL;
      }
    case SIGNPOST_BUNDLE_PRACTICE:
    case SIGNPOST_BUNDLE_CLINICIANS:
    case SIGNPOST_BUNDLE_PATIENTS:
    case SIGNPOST_BUNDLE_SLOTS:
    case SIGNPOST_BUNDLE_APPOINTMENTS:
    case SIGNPOST_BUNDLE_CALLS:
    case SIGNPOST_BUNDLE_TRIAGE:
    case SIGNPOST_BUNDLE_AUDIT:
    case SIGNPOST_BUNDLE_N_PARTS:
    default:
      return TRUE;
    }
}

static const char *
audit_string (JsonObject *item,
              const char *member)
{
  JsonNode *node = json_object_get_member (item, member);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* Second pass: writes every item. */
static gboolean
write_item (SignpostBundlePart   part,
            JsonObject          *item,
            gpointer             data,
            GError             **error)
{
  Import *import = data;
  g_autoptr(SignpostRecord) record = NULL;
  SignpostRecordKind kind;

  import->written++;
  if (signpost_bundle_part_is_record (part, &kind))
    {
      record = decode_record (kind, item, error);
      if (record == NULL || !belongs (import, record, error))
        return FALSE;
      /* As it was: its version and timestamps, a seq of this server. */
      g_ptr_array_add (import->records, g_steal_pointer (&record));
      return import->records->len < BATCH || flush (import, error);
    }
  switch (part)
    {
    case SIGNPOST_BUNDLE_LINES:
      {
        g_autofree char *secret = signpost_bundle_reader_open (import->reader,
                                                               json_object_get_member (item, "secret"),
                                                               error);

        return secret != NULL &&
               signpost_store_set_line (import->store,
                                        json_object_get_string_member (item, "number"),
                                        import->practice_id, secret, error);
      }
    case SIGNPOST_BUNDLE_CREDENTIALS:
      {
        g_autofree char *hash = signpost_bundle_reader_open (import->reader,
                                                             json_object_get_member (item, "password_hash"),
                                                             error);

        return hash != NULL &&
               signpost_store_set_password_hash (import->store,
                                                 json_object_get_string_member (item, "user_id"),
                                                 hash, error);
      }
    case SIGNPOST_BUNDLE_AUDIT:
      {
        JsonNode *at = json_object_get_member (item, "at");
        SignpostAuditEvent event = {
          .user_id = audit_string (item, "user_id"),
          .username = audit_string (item, "username"),
          .role = audit_string (item, "role"),
          .action = audit_string (item, "action"),
          .type = audit_string (item, "type"),
          .record_id = audit_string (item, "record_id"),
          .patient_id = audit_string (item, "patient_id"),
          .client = audit_string (item, "client"),
          .detail = audit_string (item, "detail"),
        };

        if (at == NULL || !JSON_NODE_HOLDS_VALUE (at) || json_node_get_value_type (at) != G_TYPE_INT64 ||
            event.action == NULL)
          return refuse (error, _("An audit event in the bundle is not valid"));
        event.at = json_node_get_int (at);
        g_ptr_array_add (import->audit_items, json_object_ref (item));
        g_array_append_val (import->events, event);
        return import->events->len < BATCH || flush (import, error);
      }
    case SIGNPOST_BUNDLE_PRACTICE:
    case SIGNPOST_BUNDLE_USERS:
    case SIGNPOST_BUNDLE_CLINICIANS:
    case SIGNPOST_BUNDLE_PATIENTS:
    case SIGNPOST_BUNDLE_SLOTS:
    case SIGNPOST_BUNDLE_APPOINTMENTS:
    case SIGNPOST_BUNDLE_CALLS:
    case SIGNPOST_BUNDLE_TRIAGE:
    case SIGNPOST_BUNDLE_N_PARTS:
    default:
      return TRUE;
    }
}

/* Whether the store has room for the practice: none with its id or its
 * ODS code is here. */
static gboolean
practice_absent (SignpostStore             *store,
                 const SignpostBundleInfo  *info,
                 GError                   **error)
{
  g_autoptr(GPtrArray) practices = signpost_store_list_records (store, SIGNPOST_RECORD_PRACTICE,
                                                               NULL, error);

  if (practices == NULL)
    return FALSE;
  for (guint i = 0; i < practices->len; i++)
    {
      SignpostRecord *practice = g_ptr_array_index (practices, i);

      if (g_str_equal (signpost_record_get_id (practice), info->practice_id) ||
          g_ascii_strcasecmp (signpost_practice_get_ods_code (SIGNPOST_PRACTICE (practice)),
                              info->ods_code) == 0)
        return refuse (error, _("The practice %s is already on this server"), info->ods_code);
    }
  return TRUE;
}

/**
 * signpost_practice_import:
 * @info: (out caller-allocates) (optional): the bundle's manifest
 *
 * Imports the bundle at @path (see the top of this file).
 */
gboolean
signpost_practice_import (SignpostStore       *store,
                          const char          *path,
                          const char          *passphrase,
                          GDateTime           *now,
                          const char          *client,
                          SignpostBundleInfo  *info,
                          GError             **error)
{
  g_autoptr(SignpostBundleReader) reader = NULL;
  g_auto(SignpostBundleInfo) read = { 0 };
  g_autoptr(GHashTable) user_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autofree char *detail = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) audit_items = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GArray) events = g_array_new (FALSE, TRUE, sizeof (SignpostAuditEvent));
  Import import = { store, NULL, NULL, user_ids, 0, records, audit_items, events };
  SignpostAuditEvent event;

  reader = signpost_bundle_reader_new (path, passphrase, &read, error);
  if (reader == NULL)
    return FALSE;
  import.reader = reader;
  import.practice_id = read.practice_id;

  if (!signpost_store_begin (store, error))
    return FALSE;
  if (!practice_absent (store, &read, error) ||
      !signpost_bundle_reader_foreach (reader, check_item, &import, error) ||
      !signpost_bundle_reader_foreach (reader, write_item, &import, error) ||
      !flush (&import, error))
    goto failed;
  detail = g_strdup_printf ("bundle sha256:%s; %u items", read.file_digest, import.written);
  {
    g_autoptr(SignpostPractice) practice = (SignpostPractice *) signpost_store_get_record (store,
                                                                                         SIGNPOST_RECORD_PRACTICE,
                                                                                         read.practice_id,
                                                                                         NULL, error);

    if (practice == NULL)
      {
        if (error != NULL && *error == NULL)
          refuse (error, _("The bundle holds no practice record"));
        goto failed;
      }
    signpost_practice_audit_event (&event, "admin-import-practice", SIGNPOST_RECORD (practice),
                                   detail, client, now);
    if (!signpost_store_append_audit (store, &event, error) || !signpost_store_commit (store, error))
      goto failed;
  }
  if (info != NULL)
    {
      signpost_bundle_info_clear (info);
      *info = read;
      memset (&read, 0, sizeof read);
    }
  return TRUE;

failed:
  signpost_store_rollback (store);
  return FALSE;
}
