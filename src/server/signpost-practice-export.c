/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-apply.h"
#include "signpost-practice-move.h"

/*
 * Everything that belongs to a practice, into a bundle: the practice, its
 * phone lines with their webhook secrets (sealed), the users who work for
 * it alone with their password hashes (sealed; never tokens), its
 * clinicians, patients (those who left included), slots, appointments,
 * calls and navigation records, and the audit events that concern any of
 * them. Records keep their ids, versions and timestamps; deleted ones are
 * left behind.
 */

#define AUDIT_PAGE 1000

static const SignpostBundlePart record_parts[] = {
  SIGNPOST_BUNDLE_CLINICIANS, SIGNPOST_BUNDLE_SLOTS, SIGNPOST_BUNDLE_APPOINTMENTS,
  SIGNPOST_BUNDLE_CALLS, SIGNPOST_BUNDLE_TRIAGE,
};

typedef struct {
  SignpostBundleWriter *writer;
  GHashTable *record_ids;   /* every record of the practice */
  GHashTable *patient_ids;
  GHashTable *user_ids;     /* the users who go with it */
  gint64 last_audit;
  guint audit_rows;
  GError *error;
} Collect;

/* The users whose only practice this is. */
static gboolean
works_here_only (SignpostUser *user,
                 const char   *practice_id)
{
  const char * const *ids = signpost_user_get_practice_ids (user);

  return ids != NULL && ids[0] != NULL && ids[1] == NULL && g_str_equal (ids[0], practice_id);
}

static gboolean
add_patient (const SignpostStoredPatient *patient,
             gpointer                     data)
{
  Collect *collect = data;
  g_autoptr(JsonObject) object = signpost_json_parse_object (patient->data, patient->data_length,
                                                             G_MAXSIZE, &collect->error);

  if (object == NULL)
    return FALSE;
  /* As stored, less the seq: no need to decode it into a record. */
  json_object_remove_member (object, "seq");
  signpost_bundle_writer_add (collect->writer, SIGNPOST_BUNDLE_PATIENTS, object);
  g_hash_table_add (collect->record_ids, g_strdup (patient->id));
  g_hash_table_add (collect->patient_ids, g_strdup (patient->id));
  return TRUE;
}

static void
set_nullable (JsonObject *object,
              const char *member,
              const char *value)
{
  if (value != NULL)
    json_object_set_string_member (object, member, value);
  else
    json_object_set_null_member (object, member);
}

static gboolean
add_audit (const SignpostAuditEvent *event,
           gpointer                  data)
{
  Collect *collect = data;
  g_autoptr(JsonObject) item = NULL;

  collect->last_audit = event->id;
  collect->audit_rows++;
  if (!(event->record_id != NULL && g_hash_table_contains (collect->record_ids, event->record_id)) &&
      !(event->patient_id != NULL && g_hash_table_contains (collect->patient_ids, event->patient_id)) &&
      !(event->user_id != NULL && g_hash_table_contains (collect->user_ids, event->user_id)))
    return TRUE;
  item = json_object_new ();
  json_object_set_int_member (item, "at", event->at);
  set_nullable (item, "user_id", event->user_id);
  set_nullable (item, "username", event->username);
  set_nullable (item, "role", event->role);
  json_object_set_string_member (item, "action", event->action);
  set_nullable (item, "type", event->type);
  set_nullable (item, "record_id", event->record_id);
  set_nullable (item, "patient_id", event->patient_id);
  set_nullable (item, "client", event->client);
  set_nullable (item, "detail", event->detail);
  signpost_bundle_writer_add (collect->writer, SIGNPOST_BUNDLE_AUDIT, item);
  return TRUE;
}

/**
 * signpost_practice_collect:
 *
 * Adds everything of @practice to @writer (see the top of this file).
 */
gboolean
signpost_practice_collect (SignpostStore         *store,
                           SignpostPractice      *practice,
                           SignpostBundleWriter  *writer,
                           GError               **error)
{
  const char *practice_id = signpost_record_get_id (SIGNPOST_RECORD (practice));
  const char * const *lines = signpost_practice_get_lines (practice);
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GHashTable) record_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) patient_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) user_ids = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  Collect collect = { writer, record_ids, patient_ids, user_ids, 0, 0, NULL };

  signpost_bundle_writer_add_record (writer, SIGNPOST_BUNDLE_PRACTICE, SIGNPOST_RECORD (practice));
  g_hash_table_add (record_ids, g_strdup (practice_id));

  for (guint i = 0; lines != NULL && lines[i] != NULL; i++)
    {
      g_autofree char *owner = NULL;
      g_autofree char *secret = NULL;
      g_autoptr(JsonObject) item = NULL;

      if (!signpost_store_get_line (store, lines[i], &owner, &secret, error))
        return FALSE;
      if (g_strcmp0 (owner, practice_id) != 0 || secret == NULL)
        continue;
      item = json_object_new ();
      json_object_set_string_member (item, "number", lines[i]);
      json_object_set_object_member (item, "secret", signpost_bundle_writer_seal (writer, secret));
      signpost_bundle_writer_add (writer, SIGNPOST_BUNDLE_LINES, item);
    }

  users = signpost_store_list_records (store, SIGNPOST_RECORD_USER, NULL, error);
  if (users == NULL)
    return FALSE;
  for (guint i = 0; i < users->len; i++)
    {
      SignpostRecord *user = g_ptr_array_index (users, i);
      g_autofree char *hash = NULL;
      g_autoptr(JsonObject) item = NULL;
      g_autoptr(GError) local_error = NULL;

      if (!works_here_only (SIGNPOST_USER (user), practice_id))
        continue;
      signpost_bundle_writer_add_record (writer, SIGNPOST_BUNDLE_USERS, user);
      g_hash_table_add (user_ids, g_strdup (signpost_record_get_id (user)));
      g_hash_table_add (record_ids, g_strdup (signpost_record_get_id (user)));
      hash = signpost_store_get_password_hash (store, signpost_record_get_id (user), &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return FALSE;
        }
      if (hash == NULL)
        continue;
      item = json_object_new ();
      json_object_set_string_member (item, "user_id", signpost_record_get_id (user));
      json_object_set_object_member (item, "password_hash", signpost_bundle_writer_seal (writer, hash));
      signpost_bundle_writer_add (writer, SIGNPOST_BUNDLE_CREDENTIALS, item);
    }

  if (!signpost_store_foreach_patient (store, practice_id, add_patient, &collect, error))
    return FALSE;
  if (collect.error != NULL)
    {
      g_propagate_error (error, collect.error);
      return FALSE;
    }
  for (guint p = 0; p < G_N_ELEMENTS (record_parts); p++)
    {
      g_autoptr(GPtrArray) records = NULL;
      SignpostRecordKind kind;

      signpost_bundle_part_is_record (record_parts[p], &kind);
      records = signpost_store_list_records (store, kind, practice_id, error);
      if (records == NULL)
        return FALSE;
      for (guint i = 0; i < records->len; i++)
        {
          SignpostRecord *record = g_ptr_array_index (records, i);

          signpost_bundle_writer_add_record (writer, record_parts[p], record);
          g_hash_table_add (record_ids, g_strdup (signpost_record_get_id (record)));
        }
    }

  /* The audit log, page by page, in its own order. */
  do
    {
      collect.audit_rows = 0;
      if (!signpost_store_foreach_audit (store, NULL, NULL, collect.last_audit, AUDIT_PAGE, add_audit,
                                         &collect, error))
        return FALSE;
    }
  while (collect.audit_rows == AUDIT_PAGE);
  return TRUE;
}

void
signpost_practice_audit_event (SignpostAuditEvent *event,
                               const char         *action,
                               SignpostRecord     *record,
                               const char         *detail,
                               const char         *client,
                               GDateTime          *now)
{
  memset (event, 0, sizeof *event);
  event->at = g_date_time_to_unix (now) * G_USEC_PER_SEC + g_date_time_get_microsecond (now);
  event->username = g_get_user_name ();
  event->role = "admin";
  event->client = client;
  event->action = action;
  event->detail = detail;
  if (record != NULL)
    {
      event->type = signpost_record_kind_to_string (signpost_record_get_kind (record));
      event->record_id = signpost_record_get_id (record);
    }
}

/**
 * signpost_practice_export:
 * @info: (out caller-allocates) (optional): what was written
 *
 * Writes @practice's bundle to @path. Nothing in the store changes but
 * the audit log, which records the export and the bundle's checksum.
 */
gboolean
signpost_practice_export (SignpostStore       *store,
                          SignpostPractice    *practice,
                          const char          *passphrase,
                          const char          *path,
                          GDateTime           *now,
                          const char          *client,
                          SignpostBundleInfo  *info,
                          GError             **error)
{
  g_autoptr(SignpostBundleWriter) writer = NULL;
  g_auto(SignpostBundleInfo) written = { 0 };
  g_autofree char *detail = NULL;
  SignpostAuditEvent event;

  writer = signpost_bundle_writer_new (practice, passphrase, now, error);
  if (writer == NULL)
    return FALSE;
  /* One read transaction, so that the bundle is one moment's state. */
  if (!signpost_store_begin (store, error))
    return FALSE;
  if (!signpost_practice_collect (store, practice, writer, error))
    {
      signpost_store_rollback (store);
      return FALSE;
    }
  signpost_store_rollback (store);
  if (!signpost_bundle_writer_write (writer, path, &written, error))
    return FALSE;
  detail = g_strdup_printf ("bundle sha256:%s; patients %" G_GINT64_FORMAT,
                            written.file_digest, written.counts[SIGNPOST_BUNDLE_PATIENTS]);
  signpost_practice_audit_event (&event, "admin-export-practice", SIGNPOST_RECORD (practice),
                                 detail, client, now);
  if (!signpost_store_begin (store, error) ||
      !signpost_store_append_audit (store, &event, error) ||
      !signpost_store_commit (store, error))
    {
      signpost_store_rollback (store);
      return FALSE;
    }
  if (info != NULL)
    {
      signpost_bundle_info_clear (info);
      *info = written;
      memset (&written, 0, sizeof written);
    }
  return TRUE;
}
