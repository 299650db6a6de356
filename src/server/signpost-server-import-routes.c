/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-import.h"
#include "signpost-server-private.h"

/*
 * POST /api/v1/admin/import/{patients,clinicians,sessions}: the admin
 * commands' imports for a remote server (administrators only). The list
 * is the body (text/csv), or the "file" part of a multipart/form-data
 * body whose "mapping" part, if any, is a mapping file. The query says
 * which practice, and format, dry_run and partial as the command's
 * options do. The body may be up to 65 MiB (SIGNPOST_SERVER_MAX_IMPORT_BODY)
 * and is refused before it is read when larger, or when the sender may
 * not import. The reply is the report; a file that cannot be used is a
 * 422 naming the field at fault ("file", a missing column, "mapping").
 */

static gboolean
query_flag (GHashTable  *query,
            const char  *key,
            gboolean    *value,
            GError     **error)
{
  const char *text = query ? g_hash_table_lookup (query, key) : NULL;

  *value = FALSE;
  if (text == NULL)
    return TRUE;
  if (g_str_equal (text, "true") || g_str_equal (text, "1"))
    *value = TRUE;
  else if (!g_str_equal (text, "false") && !g_str_equal (text, "0"))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key, _("must be true or false"));
      return FALSE;
    }
  return TRUE;
}

/* The practice named by id or ODS code. */
static SignpostPractice *
find_practice (SignpostStore  *store,
               GHashTable     *query,
               GError        **error)
{
  const char *text = query ? g_hash_table_lookup (query, "practice") : NULL;
  g_autoptr(GPtrArray) practices = NULL;

  if (text == NULL || *text == '\0')
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "practice", _("is required"));
      return NULL;
    }
  if (!signpost_uuid_is_canonical (text) &&
      !signpost_format_check (SIGNPOST_FORMAT_ODS_CODE, text, NULL))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "practice",
                                _("must be a practice’s id or ODS code"));
      return NULL;
    }
  practices = signpost_store_list_records (store, SIGNPOST_RECORD_PRACTICE, NULL, error);
  if (practices == NULL)
    return NULL;
  for (guint i = 0; i < practices->len; i++)
    {
      SignpostRecord *practice = g_ptr_array_index (practices, i);

      if (g_str_equal (signpost_record_get_id (practice), text) ||
          g_str_equal (signpost_practice_get_ods_code (SIGNPOST_PRACTICE (practice)), text))
        return g_object_ref (SIGNPOST_PRACTICE (practice));
    }
  signpost_set_field_error (error, SIGNPOST_ERROR_NOT_FOUND, "practice", _("There is no such practice"));
  return NULL;
}

/* The list (and mapping) from the body. */
static gboolean
read_body (SoupServerMessage  *msg,
           GBytes            **file,
           GKeyFile          **mapping,
           GError            **error)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(GHashTable) params = NULL;
  const char *type = soup_message_headers_get_content_type (headers, &params);

  *file = NULL;
  *mapping = NULL;
  if (type != NULL && (g_ascii_strcasecmp (type, "text/csv") == 0 ||
                       g_ascii_strcasecmp (type, "text/plain") == 0))
    {
      *file = g_steal_pointer (&body);
      return TRUE;
    }
  if (type != NULL && g_ascii_strcasecmp (type, "multipart/form-data") == 0)
    {
      g_autoptr(SoupMultipart) multipart = soup_multipart_new_from_message (headers, body);

      if (multipart == NULL)
        {
          signpost_set_field_error (error, SIGNPOST_ERROR_MALFORMED, NULL,
                                    _("The multipart body cannot be read"));
          return FALSE;
        }
      for (int i = 0; i < soup_multipart_get_length (multipart); i++)
        {
          SoupMessageHeaders *part_headers = NULL;
          GBytes *part_body = NULL;
          g_autoptr(GHashTable) disposition = NULL;
          const char *name;

          if (!soup_multipart_get_part (multipart, i, &part_headers, &part_body) ||
              !soup_message_headers_get_content_disposition (part_headers, NULL, &disposition))
            continue;
          name = g_hash_table_lookup (disposition, "name");
          if (g_strcmp0 (name, "file") == 0 && *file == NULL)
            *file = g_bytes_ref (part_body);
          else if (g_strcmp0 (name, "mapping") == 0 && *mapping == NULL)
            {
              gsize length = 0;
              const char *data = g_bytes_get_data (part_body, &length);

              *mapping = signpost_import_mapping_parse (data ? data : "", length, error);
              if (*mapping == NULL)
                {
                  g_clear_pointer (file, g_bytes_unref);
                  return FALSE;
                }
            }
        }
      if (*file == NULL)
        {
          g_clear_pointer (mapping, g_key_file_unref);
          signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "file",
                                    _("is required (a part named “file”)"));
          return FALSE;
        }
      return TRUE;
    }
  signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "Content-Type",
                            _("must be text/csv, or multipart/form-data with a “file” part"));
  return FALSE;
}

typedef SignpostImportReport *(*ImportFunc) (SignpostApplyContext        *ctx,
                                             SignpostPractice            *practice,
                                             GBytes                      *file,
                                             const SignpostImportOptions *options,
                                             GError                     **error);

static void
handle_import (SignpostServer     *self,
               SoupServerMessage  *msg,
               GHashTable         *query,
               SignpostPrincipal  *principal,
               SignpostImportKind  kind,
               ImportFunc          func)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostPractice) practice = NULL;
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GKeyFile) mapping = NULL;
  g_autoptr(SignpostImportReport) report = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *format = query ? g_hash_table_lookup (query, "format") : NULL;
  SignpostImportOptions options;
  SignpostApplyContext ctx;
  gboolean dry_run = FALSE, partial = FALSE;
  const GError *failure;

  signpost_import_options_init (&options);
  if (!signpost_import_format_is_known (format))
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_INVALID, "format",
                                     _("must be signpost, emis or systmone"));
      return;
    }
  if (!query_flag (query, "dry_run", &dry_run, &error) ||
      !query_flag (query, "partial", &partial, &error))
    {
      signpost_server_reply_error (msg, error);
      return;
    }
  if (partial && kind != SIGNPOST_IMPORT_PATIENTS)
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_INVALID, "partial",
                                     _("is for patient lists only"));
      return;
    }
  practice = find_practice (self->store, query, &error);
  if (practice == NULL || !read_body (msg, &file, &mapping, &error))
    {
      signpost_server_reply_error (msg, error);
      return;
    }

  options.format = format;
  options.mapping = mapping;
  options.dry_run = dry_run;
  options.partial = partial;
  signpost_apply_context_init (&ctx, self->store, principal, now);
  report = func (&ctx, practice, file, &options, &error);
  if (report == NULL)
    {
      signpost_apply_context_clear (&ctx);
      signpost_server_reply_error (msg, error);
      return;
    }
  failure = signpost_import_report_get_failure (report);
  if (failure != NULL)
    {
      signpost_apply_context_clear (&ctx);
      signpost_server_reply_error (msg, failure);
      return;
    }
  signpost_server_publish (self, ctx.changed, NULL);
  signpost_apply_context_clear (&ctx);
  reply = signpost_import_report_to_json (report);
  signpost_server_reply_json (msg, SOUP_STATUS_OK, reply);
}

void
signpost_server_handle_import_patients (SignpostServer    *self,
                                        SoupServerMessage *msg,
                                        GHashTable        *query,
                                        SignpostPrincipal *principal)
{
  handle_import (self, msg, query, principal, SIGNPOST_IMPORT_PATIENTS, signpost_import_patients);
}

void
signpost_server_handle_import_clinicians (SignpostServer    *self,
                                          SoupServerMessage *msg,
                                          GHashTable        *query,
                                          SignpostPrincipal *principal)
{
  handle_import (self, msg, query, principal, SIGNPOST_IMPORT_CLINICIANS,
                 signpost_import_clinicians);
}

void
signpost_server_handle_import_sessions (SignpostServer    *self,
                                        SoupServerMessage *msg,
                                        GHashTable        *query,
                                        SignpostPrincipal *principal)
{
  handle_import (self, msg, query, principal, SIGNPOST_IMPORT_SESSIONS, signpost_import_sessions);
}
