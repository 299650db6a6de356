/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <sodium.h>
#include <glib/gi18n-lib.h>

#include "signpost-intake.h"
#include "signpost-online-rules.h"
#include "signpost-telephony.h"

/*
 * Online requests become navigation records here, whichever way they came:
 * the practice's own form, or another online-consultation product through
 * the signed intake API. Both hand over a SignpostOnlineRequest that core
 * has checked; this file matches the patient (a strong match or none),
 * gives the record its reference and its one-working-day deadline, and
 * stores it under the practice.
 *
 * The same request delivered twice is stored once: a record's id is a hash
 * of the practice, the channel and the sender's own id for the request
 * (the form's submission id, the product's request_id), so a second
 * delivery finds the first record and gets its reference back.
 */

#define MAX_REFERENCE_TRIES 8

struct _SignpostIntake
{
  GObject parent_instance;

  SignpostStore *store;
};

G_DEFINE_FINAL_TYPE (SignpostIntake, signpost_intake, G_TYPE_OBJECT)

/* A UUID (version 8, RFC 9562) from a hash of the request's identity. */
static char *
request_id (const char *practice_id,
            const char *channel,
            const char *key)
{
  g_autoptr(GChecksum) checksum = g_checksum_new (G_CHECKSUM_SHA256);
  guint8 digest[32];
  gsize length = sizeof digest;

  g_checksum_update (checksum, (const guchar *) "signpost-online-request\n", -1);
  g_checksum_update (checksum, (const guchar *) practice_id, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) channel, -1);
  g_checksum_update (checksum, (const guchar *) "\n", 1);
  g_checksum_update (checksum, (const guchar *) key, -1);
  g_checksum_get_digest (checksum, digest, &length);
  digest[6] = (digest[6] & 0x0f) | 0x80;
  digest[8] = (digest[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          digest[0], digest[1], digest[2], digest[3], digest[4], digest[5],
                          digest[6], digest[7], digest[8], digest[9], digest[10], digest[11],
                          digest[12], digest[13], digest[14], digest[15]);
}

static char *
new_reference (void)
{
  guint32 random[5];

  randombytes_buf (random, sizeof random);
  return signpost_online_reference_new (random);
}

SignpostPractice *
signpost_intake_find_practice (SignpostIntake  *self,
                               const char      *ods_code,
                               GError         **error)
{
  g_autoptr(GPtrArray) practices = NULL;

  g_return_val_if_fail (SIGNPOST_IS_INTAKE (self), NULL);

  practices = signpost_store_list_records (self->store, SIGNPOST_RECORD_PRACTICE, NULL, error);
  if (practices == NULL)
    return NULL;
  for (guint i = 0; ods_code != NULL && i < practices->len; i++)
    {
      SignpostPractice *practice = g_ptr_array_index (practices, i);

      if (g_strcmp0 (signpost_practice_get_ods_code (practice), ods_code) == 0)
        return g_object_ref (practice);
    }
  return NULL;
}

typedef struct {
  gint64 medical;
} MedicalCount;

static gboolean
count_medical_cb (const SignpostRequestTimes *request,
                  gpointer                    data)
{
  MedicalCount *count = data;

  if (g_strcmp0 (request->request_type, "medical") == 0)
    count->medical++;
  return TRUE;
}

/* The medical requests that came in online (any channel) on the
 * practice's local day of @now: what the daily limit counts. */
gboolean
signpost_intake_count_medical (SignpostIntake    *self,
                               SignpostPractice  *practice,
                               GDateTime         *now,
                               gint64            *count,
                               GError           **error)
{
  g_autoptr(GTimeZone) tz = signpost_online_practice_time_zone (practice);
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  MedicalCount tally = { 0 };
  GDate today, tomorrow;

  g_return_val_if_fail (SIGNPOST_IS_INTAKE (self), FALSE);

  signpost_local_date (now, tz, &today);
  tomorrow = today;
  g_date_add_days (&tomorrow, 1);
  from = signpost_local_time_to_utc (&today, 0, 0, tz);
  to = signpost_local_time_to_utc (&tomorrow, 0, 0, tz);
  *count = 0;
  if (!signpost_store_foreach_request_times (self->store,
                                             signpost_record_get_id (SIGNPOST_RECORD (practice)),
                                             g_date_time_to_unix (from) * 1000,
                                             g_date_time_to_unix (to) * 1000,
                                             count_medical_cb, &tally, error))
    return FALSE;
  *count = tally.medical;
  return TRUE;
}

static const char *
channel_name (SignpostRequestSource source)
{
  return signpost_enum_to_nick (SIGNPOST_TYPE_REQUEST_SOURCE, source);
}

/**
 * signpost_intake_submit:
 * @source_name: for the intake API, the product that sent it
 * @source_ref: the sender's own reference for the request, if any
 * @key: what makes this request itself: the form's submission id, or the
 *   product's request id
 * @duplicate: (out): set when this request was stored before; the stored
 *   record is returned and nothing is written
 *
 * Stores @request as a navigation record of @practice, inside the
 * caller's transaction (it uses a savepoint of its own). The record is
 * added to @ctx for the live notices.
 */
SignpostTriage *
signpost_intake_submit (SignpostIntake          *self,
                        SignpostApplyContext    *ctx,
                        SignpostPractice        *practice,
                        SignpostOnlineRequest   *request,
                        SignpostRequestSource    source,
                        const char              *source_name,
                        const char              *source_ref,
                        const char              *key,
                        gboolean                *duplicate,
                        GError                 **error)
{
  const char *practice_id = signpost_record_get_id (SIGNPOST_RECORD (practice));
  g_autofree char *channel = g_strconcat (channel_name (source), ":", source_name ? source_name : "",
                                          NULL);
  g_autofree char *id = request_id (practice_id, channel, key);
  g_autoptr(SignpostRecord) existing = NULL;
  g_autoptr(SignpostTriage) triage = NULL;
  g_autoptr(GPtrArray) candidates = NULL;
  g_autoptr(GTimeZone) tz = signpost_online_practice_time_zone (practice);
  g_autoptr(GDateTime) respond_by = NULL;
  g_autoptr(GError) local_error = NULL;
  SignpostPatientDetails *details;
  SignpostPatient *match;
  gboolean deleted = FALSE;

  g_return_val_if_fail (SIGNPOST_IS_INTAKE (self), NULL);

  *duplicate = FALSE;
  existing = signpost_store_get_record (self->store, SIGNPOST_RECORD_TRIAGE, id, &deleted,
                                        &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (existing != NULL)
    {
      *duplicate = TRUE;
      return SIGNPOST_TRIAGE (g_steal_pointer (&existing));
    }

  details = signpost_online_request_get_patient (request);
  candidates = signpost_store_list_patients_born (self->store, practice_id,
                                                  signpost_patient_details_get_date_of_birth (details),
                                                  error);
  if (candidates == NULL)
    return NULL;
  match = signpost_online_match_patient (details, candidates);

  triage = signpost_online_request_to_triage (request);
  signpost_record_set_id (SIGNPOST_RECORD (triage), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (triage), practice_id);
  signpost_triage_set_patient_id (triage, match ? signpost_record_get_id (SIGNPOST_RECORD (match)) : NULL);
  signpost_triage_set_source (triage, source);
  signpost_triage_set_source_name (triage, source_name);
  signpost_triage_set_source_ref (triage, source_ref);
  signpost_triage_set_created_at (triage, ctx->now);
  respond_by = signpost_respond_by (ctx->now, tz);
  signpost_triage_set_respond_by (triage, respond_by);

  /* A reference already given (one in eighty million) is drawn again. */
  for (int attempt = 0; ; attempt++)
    {
      g_autofree char *reference = new_reference ();

      signpost_triage_set_reference (triage, reference);
      signpost_record_set_version (SIGNPOST_RECORD (triage), 0);
      if (!signpost_store_savepoint (self->store, error))
        return NULL;
      if (signpost_apply_write (ctx, SIGNPOST_RECORD (triage), FALSE, &local_error) &&
          signpost_apply_audit (ctx, "create", SIGNPOST_RECORD (triage),
                                source == SIGNPOST_REQUEST_SOURCE_INTAKE ? source_name : "online form",
                                &local_error))
        {
          if (!signpost_store_release_savepoint (self->store, error))
            return NULL;
          break;
        }
      if (!signpost_store_rollback_to_savepoint (self->store) ||
          !g_error_matches (local_error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT) ||
          attempt + 1 >= MAX_REFERENCE_TRIES)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      /* The write was undone: so is its live notice. */
      if (ctx->changed->len > 0)
        g_ptr_array_set_size (ctx->changed, ctx->changed->len - 1);
      g_clear_error (&local_error);
    }
  return g_steal_pointer (&triage);
}

/* ---- the intake API --------------------------------------------------------- */

static const char *
member_string (JsonObject  *object,
               const char  *key,
               gboolean     required,
               GError     **error)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      if (required)
        signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key, _("is required"));
      return NULL;
    }
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key, _("must be a string"));
      return NULL;
    }
  return json_node_get_string (node);
}

static gboolean
check_envelope (JsonObject  *object,
                GError     **error)
{
  static const char * const known[] = {
    "source", "request_id", "practice", "submitted_at", "request", NULL
  };
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;
  const char *text;

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &member))
    if (!g_strv_contains (known, key))
      {
        if (signpost_format_check (SIGNPOST_FORMAT_KEY, key, NULL))
          signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key, _("is not a known field"));
        else
          g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                               _("The request has a member whose name is not a known field"));
        return FALSE;
      }
  text = member_string (object, "request_id", TRUE, error);
  if (text == NULL)
    return FALSE;
  if (*text == '\0' || g_utf8_strlen (text, -1) > 128 ||
      !signpost_format_check (SIGNPOST_FORMAT_TEXT, text, NULL))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "request_id",
                                _("must be one line of up to 128 characters"));
      return FALSE;
    }
  text = member_string (object, "practice", TRUE, error);
  if (text == NULL)
    return FALSE;
  if (!signpost_format_check (SIGNPOST_FORMAT_ODS_CODE, text, NULL))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "practice",
                                _("must be an ODS code like Y01234"));
      return FALSE;
    }
  text = member_string (object, "submitted_at", FALSE, error);
  if (error != NULL && *error != NULL)
    return FALSE;
  if (text != NULL)
    {
      g_autoptr(GDateTime) when = signpost_timestamp_parse (text, NULL);

      if (when == NULL)
        {
          signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "submitted_at",
                                    _("must be an ISO 8601 timestamp with a zone"));
          return FALSE;
        }
    }
  member = json_object_get_member (object, "request");
  if (member == NULL || !JSON_NODE_HOLDS_OBJECT (member))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "request", _("must be an object"));
      return FALSE;
    }
  return TRUE;
}

static gboolean
parse_timestamp (const char *text,
                 gint64     *seconds)
{
  guint64 value;

  if (text == NULL || !g_ascii_string_to_unsigned (text, 10, 0, G_MAXINT64, &value, NULL))
    return FALSE;
  *seconds = value;
  return TRUE;
}

static JsonObject *
reply_new (const char     *status,
           SignpostTriage *triage)
{
  JsonObject *reply = json_object_new ();
  g_autofree char *respond_by = signpost_timestamp_format (signpost_triage_get_respond_by (triage));

  json_object_set_string_member (reply, "status", status);
  json_object_set_string_member (reply, "reference", signpost_triage_get_reference (triage));
  if (respond_by != NULL)
    json_object_set_string_member (reply, "respond_by", respond_by);
  else
    json_object_set_null_member (reply, "respond_by");
  return reply;
}

/**
 * signpost_intake_receive:
 *
 * One delivery to POST /api/v1/intake/requests: checks the signature
 * (HMAC-SHA256 of TIMESTAMP "." BODY under the source's secret) and the
 * timestamp, then the request, and stores it in a transaction of its own.
 * Returns the reply body, or %NULL with @error set (its code gives the
 * HTTP status). The record written is left in @ctx for the live notice.
 */
JsonObject *
signpost_intake_receive (SignpostIntake        *self,
                         const char            *timestamp,
                         const char            *signature,
                         const char            *body,
                         gsize                  length,
                         SignpostApplyContext  *ctx,
                         GError               **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(SignpostOnlineRequest) request = NULL;
  g_autoptr(SignpostPractice) practice = NULL;
  g_autoptr(SignpostRecord) source_practice = NULL;
  g_autoptr(SignpostTriage) triage = NULL;
  g_autofree char *practice_id = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *expected = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *source, *request_ref;
  gboolean duplicate = FALSE;
  gint64 sent;
  gint64 now = g_get_real_time () / G_USEC_PER_SEC;

  g_return_val_if_fail (SIGNPOST_IS_INTAKE (self), NULL);

  if (timestamp == NULL || signature == NULL || !g_str_has_prefix (signature, "sha256="))
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAUTHORIZED,
                           _("The request is not signed"));
      return NULL;
    }
  object = signpost_json_parse_strict_object (body, length, 0, error);
  if (object == NULL)
    return NULL;
  source = member_string (object, "source", TRUE, error);
  if (source == NULL)
    return NULL;
  if (!signpost_format_check (SIGNPOST_FORMAT_USERNAME, source, NULL))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "source",
                                _("must be a source name of lower-case letters, digits, dots, dashes or underscores"));
      return NULL;
    }
  if (!signpost_store_get_intake_source (self->store, source, &practice_id, &secret, error))
    return NULL;
  if (practice_id == NULL)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_NOT_FOUND, "source",
                                _("is not an intake source of any practice here"));
      return NULL;
    }
  if (!parse_timestamp (timestamp, &sent) || ABS (now - sent) > SIGNPOST_INTAKE_WINDOW_SECONDS)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAUTHORIZED,
                           _("The request’s timestamp is too far from the server’s clock"));
      return NULL;
    }
  expected = signpost_telephony_sign (secret, timestamp, body, length);
  if (strlen (signature + strlen ("sha256=")) != strlen (expected) ||
      sodium_memcmp (signature + strlen ("sha256="), expected, strlen (expected)) != 0)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_UNAUTHORIZED,
                           _("The request’s signature is wrong"));
      return NULL;
    }
  if (!check_envelope (object, error))
    return NULL;

  source_practice = signpost_store_get_record (self->store, SIGNPOST_RECORD_PRACTICE, practice_id,
                                               NULL, error);
  if (source_practice == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_NOT_FOUND,
                             _("The source’s practice is no longer here"));
      return NULL;
    }
  practice = SIGNPOST_PRACTICE (g_steal_pointer (&source_practice));
  if (g_strcmp0 (signpost_practice_get_ods_code (practice),
                 json_object_get_string_member (object, "practice")) != 0)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_FORBIDDEN, "practice",
                                _("is not the practice this source sends for"));
      return NULL;
    }
  request = signpost_object_new_from_json (SIGNPOST_TYPE_ONLINE_REQUEST,
                                           json_object_get_object_member (object, "request"),
                                           SIGNPOST_DECODE_CREATE, &local_error);
  if (request == NULL)
    {
      signpost_error_prefix_field (&local_error, "request");
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  request_ref = json_object_get_string_member (object, "request_id");

  if (!signpost_store_begin (self->store, error))
    return NULL;
  triage = signpost_intake_submit (self, ctx, practice, request, SIGNPOST_REQUEST_SOURCE_INTAKE,
                                   source, request_ref, request_ref, &duplicate, error);
  if (triage == NULL || !signpost_store_commit (self->store, error))
    {
      signpost_store_rollback (self->store);
      signpost_apply_context_reset (ctx);
      return NULL;
    }
  return reply_new (duplicate ? "duplicate" : "accepted", triage);
}

static void
signpost_intake_finalize (GObject *object)
{
  SignpostIntake *self = SIGNPOST_INTAKE (object);

  g_clear_object (&self->store);

  G_OBJECT_CLASS (signpost_intake_parent_class)->finalize (object);
}

static void
signpost_intake_class_init (SignpostIntakeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_intake_finalize;
}

static void
signpost_intake_init (SignpostIntake *self)
{
}

SignpostIntake *
signpost_intake_new (SignpostStore *store)
{
  SignpostIntake *self;

  g_return_val_if_fail (SIGNPOST_IS_STORE (store), NULL);

  self = g_object_new (SIGNPOST_TYPE_INTAKE, NULL);
  self->store = g_object_ref (store);
  return self;
}
