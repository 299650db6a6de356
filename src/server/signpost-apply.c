/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-access.h"
#include "signpost-apply.h"
#include "signpost-failed-contact.h"
#include "signpost-live.h"
#include "signpost-online-rules.h"
#include "signpost-problem.h"
#include "signpost-telephony.h"

/*
 * The rules of /mutations. Each mutation runs inside a savepoint of the
 * request's transaction: everything it checks is read in that transaction,
 * and a rejected or conflicting mutation leaves no trace. Only applied
 * mutations are remembered by mutation_id, so a retry after a lost reply
 * gets the same answer and writes nothing; a mutation that was refused is
 * looked at afresh when it comes again.
 */

#define MAX_CALLBACK_ATTEMPTS 2

void
signpost_apply_context_init (SignpostApplyContext *ctx,
                             SignpostStore        *store,
                             SignpostPrincipal    *principal,
                             GDateTime            *now)
{
  ctx->store = store;
  ctx->principal = principal;
  ctx->now = g_date_time_ref (now);
  ctx->changed = g_ptr_array_new_with_free_func (g_object_unref);
  ctx->call_events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
}

void
signpost_apply_context_clear (SignpostApplyContext *ctx)
{
  g_clear_pointer (&ctx->now, g_date_time_unref);
  g_clear_pointer (&ctx->changed, g_ptr_array_unref);
  g_clear_pointer (&ctx->call_events, g_ptr_array_unref);
}

/* Forgets the effects gathered so far (their transaction was rolled back). */
void
signpost_apply_context_reset (SignpostApplyContext *ctx)
{
  g_ptr_array_set_size (ctx->changed, 0);
  g_ptr_array_set_size (ctx->call_events, 0);
}

static SignpostRole
context_role (SignpostApplyContext *ctx)
{
  return ctx->principal ? signpost_principal_get_role (ctx->principal) : SIGNPOST_ROLE_ADMIN;
}

const char *
signpost_record_get_patient_ref (SignpostRecord *record)
{
  switch (signpost_record_get_kind (record))
    {
    case SIGNPOST_RECORD_PATIENT:
      return signpost_record_get_id (record);
    case SIGNPOST_RECORD_CALL:
      return signpost_call_get_patient_id (SIGNPOST_CALL (record));
    case SIGNPOST_RECORD_TRIAGE:
      return signpost_triage_get_patient_id (SIGNPOST_TRIAGE (record));
    case SIGNPOST_RECORD_APPOINTMENT:
      return signpost_appointment_get_patient_id (SIGNPOST_APPOINTMENT (record));
    case SIGNPOST_RECORD_PRACTICE:
    case SIGNPOST_RECORD_USER:
    case SIGNPOST_RECORD_CLINICIAN:
    case SIGNPOST_RECORD_SLOT:
    default:
      return NULL;
    }
}

/* Stores @record as its next version. */
gboolean
signpost_apply_write (SignpostApplyContext  *ctx,
                      SignpostRecord        *record,
                      gboolean               deleted,
                      GError               **error)
{
  signpost_record_set_version (record, signpost_record_get_version (record) + 1);
  signpost_record_set_updated_at (record, ctx->now);
  /* The one-working-day clock stops the first time a request has an
   * outcome, whoever gives it and however. */
  if (SIGNPOST_IS_TRIAGE (record) && !deleted &&
      signpost_triage_get_outcome_at (SIGNPOST_TRIAGE (record)) == NULL &&
      signpost_triage_status_has_outcome (signpost_triage_get_status (SIGNPOST_TRIAGE (record))))
    signpost_triage_set_outcome_at (SIGNPOST_TRIAGE (record), ctx->now);
  if (!signpost_store_put_record (ctx->store, record, deleted, error))
    return FALSE;
  g_ptr_array_add (ctx->changed, signpost_object_copy (SIGNPOST_OBJECT (record)));
  return TRUE;
}

/**
 * signpost_apply_call_event:
 * @event: the live event's name ("offered", "answered", …)
 *
 * A call changed in a way the consoles hear at once: the live event goes
 * to this instance's WebSockets after the commit, and is announced in the
 * transaction to the other instances on the database, which pass it on to
 * theirs (a savepoint rolled back takes it away on both).
 */
gboolean
signpost_apply_call_event (SignpostApplyContext  *ctx,
                           SignpostCall          *call,
                           const char            *event,
                           GDateTime             *at,
                           GError               **error)
{
  g_autoptr(JsonObject) object = signpost_live_call_event_new (call, event, at);
  g_autofree char *text = signpost_json_object_to_string (object, NULL);

  if (!signpost_store_announce (ctx->store, text, error))
    return FALSE;
  g_ptr_array_add (ctx->call_events, g_steal_pointer (&object));
  return TRUE;
}

gboolean
signpost_apply_audit (SignpostApplyContext  *ctx,
                      const char            *action,
                      SignpostRecord        *record,
                      const char            *detail,
                      GError               **error)
{
  SignpostAuditEvent event = {
    .at = g_date_time_to_unix (ctx->now) * G_USEC_PER_SEC + g_date_time_get_microsecond (ctx->now),
    .action = action,
    .detail = detail,
  };

  if (ctx->principal != NULL)
    {
      event.user_id = signpost_principal_get_user_id (ctx->principal);
      event.username = signpost_principal_get_username (ctx->principal);
      event.role = signpost_principal_get_role_nick (ctx->principal);
      event.client = signpost_principal_get_client (ctx->principal);
    }
  if (record != NULL)
    {
      event.type = signpost_record_kind_to_string (signpost_record_get_kind (record));
      event.record_id = signpost_record_get_id (record);
      event.patient_id = signpost_record_get_patient_ref (record);
    }
  return signpost_store_append_audit (ctx->store, &event, error);
}

/* A clinical role given to a user (by whoever: a new user, a change) is
 * written to the audit log on its own, with the roles in its detail. */
static gboolean
audit_grants (SignpostApplyContext  *ctx,
              SignpostUser          *before,
              SignpostUser          *after,
              GError               **error)
{
  g_autofree char *granted = signpost_access_granted_clinical_roles (before, after);

  return granted == NULL ||
         signpost_apply_audit (ctx, "grant-role", SIGNPOST_RECORD (after), granted, error);
}

/* ---- results ----------------------------------------------------------- */

static SignpostMutationResult *
result_new (SignpostMutation     *mutation,
            SignpostResultStatus  status)
{
  SignpostMutationResult *result = signpost_mutation_result_new ();

  signpost_mutation_result_set_mutation_id (result, signpost_mutation_get_mutation_id (mutation));
  signpost_mutation_result_set_status (result, status);
  return result;
}

static void
result_set_record (SignpostApplyContext   *ctx,
                   SignpostMutationResult *result,
                   SignpostRecord         *record)
{
  g_autoptr(JsonNode) node = json_node_alloc ();

  signpost_mutation_result_set_id (result, signpost_record_get_id (record));
  signpost_mutation_result_set_version (result, signpost_record_get_version (record));
  signpost_mutation_result_set_seq (result, signpost_record_get_seq (record));
  json_node_take_object (json_node_init (node, JSON_NODE_OBJECT),
                         signpost_access_record_to_json (context_role (ctx), record));
  signpost_mutation_result_set_record (result, node);
}

static SignpostMutationResult *
rejected (SignpostMutation *mutation,
          GError           *error)
{
  SignpostMutationResult *result = result_new (mutation, SIGNPOST_RESULT_REJECTED);
  g_autoptr(JsonNode) node = json_node_alloc ();
  g_autoptr(GError) owned = error; /* rejected() takes @error */

  json_node_take_object (json_node_init (node, JSON_NODE_OBJECT),
                         signpost_problem_from_error (owned));
  signpost_mutation_result_set_id (result, signpost_mutation_get_id (mutation));
  signpost_mutation_result_set_problem (result, node);
  return result;
}

G_GNUC_PRINTF (4, 5)
static SignpostMutationResult *
rejectedf (SignpostMutation  *mutation,
           SignpostErrorCode  code,
           const char        *field,
           const char        *format,
           ...)
{
  g_autofree char *detail = NULL;
  GError *error = NULL;
  va_list args;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);
  signpost_set_field_error (&error, code, field, "%s", detail);
  return rejected (mutation, error);
}

static SignpostMutationResult *
conflict (SignpostApplyContext *ctx,
          SignpostMutation     *mutation,
          SignpostRecord       *current)
{
  SignpostMutationResult *result = result_new (mutation, SIGNPOST_RESULT_CONFLICT);

  if (current != NULL)
    result_set_record (ctx, result, current);
  else
    signpost_mutation_result_set_id (result, signpost_mutation_get_id (mutation));
  return result;
}

static SignpostMutationResult *
applied (SignpostApplyContext *ctx,
         SignpostMutation     *mutation,
         SignpostRecord       *record)
{
  SignpostMutationResult *result = result_new (mutation, SIGNPOST_RESULT_APPLIED);

  result_set_record (ctx, result, record);
  return result;
}

/* ---- command data ------------------------------------------------------ */

typedef struct {
  const char *key;
  SignpostFormat format;
  guint max_chars;
  gboolean required;
  GType enum_type;       /* a nick of this enum, or G_TYPE_INVALID */
} CommandField;

static gboolean
check_command_data (JsonObject          *data,
                    const CommandField  *fields,
                    guint                n_fields,
                    GError             **error)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;

  if (data != NULL)
    {
      json_object_iter_init (&iter, data);
      while (json_object_iter_next (&iter, &key, &member))
        {
          const CommandField *field = NULL;
          const char *text;

          for (guint i = 0; i < n_fields; i++)
            if (g_str_equal (fields[i].key, key))
              field = &fields[i];
          if (field == NULL)
            {
              if (signpost_format_check (SIGNPOST_FORMAT_KEY, key, NULL))
                signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key,
                                          _("is not a known field"));
              else
                g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID,
                                     _("The data has a member whose name is not a known field"));
              return FALSE;
            }
          if (JSON_NODE_HOLDS_NULL (member) && !field->required)
            continue;
          if (!JSON_NODE_HOLDS_VALUE (member) ||
              json_node_get_value_type (member) != G_TYPE_STRING)
            {
              signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key, _("must be a string"));
              return FALSE;
            }
          text = json_node_get_string (member);
          if (field->enum_type != G_TYPE_INVALID)
            {
              if (!signpost_enum_from_nick (field->enum_type, text, NULL))
                {
                  signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key,
                                            _("is not one of the allowed values"));
                  return FALSE;
                }
              continue;
            }
          if (g_utf8_strlen (text, -1) > field->max_chars)
            {
              signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key,
                                        _("is longer than %u characters"), field->max_chars);
              return FALSE;
            }
          {
            g_autoptr(GError) format_error = NULL;

            if (!signpost_format_check (field->format, text, &format_error))
              {
                signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key, "%s",
                                          format_error->message);
                return FALSE;
              }
          }
        }
    }
  for (guint i = 0; i < n_fields; i++)
    if (fields[i].required &&
        (data == NULL || !json_object_has_member (data, fields[i].key) ||
         json_object_get_null_member (data, fields[i].key)))
      {
        signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, fields[i].key, _("is required"));
        return FALSE;
      }
  return TRUE;
}

static const char *
data_string (JsonObject *data,
             const char *key)
{
  if (data == NULL)
    return NULL;
  return json_object_get_string_member_with_default (data, key, NULL);
}

static JsonObject *
mutation_data (SignpostMutation *mutation)
{
  JsonNode *node = signpost_mutation_get_data (mutation);

  return node != NULL && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
}

/* ---- shared checks ----------------------------------------------------- */

/* Whether the caller may read @record at all (the server itself may). */
static gboolean
caller_may_see (SignpostApplyContext *ctx,
                SignpostRecord       *record)
{
  const char * const *user_practices = NULL;

  if (ctx->principal == NULL)
    return TRUE;
  if (SIGNPOST_IS_USER (record))
    user_practices = signpost_user_get_practice_ids (SIGNPOST_USER (record));
  return signpost_access_check_read (ctx->principal, signpost_record_get_kind (record),
                                     signpost_record_get_practice_id (record),
                                     user_practices) != SIGNPOST_VISIBILITY_HIDDEN;
}

/* An id that is taken, by whatever: a record of another practice, another
 * kind, a deleted one. The answer must not say which, nor what it holds. */
static SignpostMutationResult *
id_in_use (SignpostMutation *mutation,
           const char       *field)
{
  return rejectedf (mutation, SIGNPOST_ERROR_CONFLICT, field,
                    _("is already in use; choose a new id"));
}

/* Loads the mutation's target, or explains why not. */
static SignpostRecord *
load_target (SignpostApplyContext    *ctx,
             SignpostMutation        *mutation,
             SignpostMutationResult **result,
             GError                 **error)
{
  SignpostRecordKind kind = signpost_mutation_get_kind (mutation);
  g_autoptr(GError) local_error = NULL;
  g_autoptr(SignpostRecord) record = NULL;
  gboolean deleted = FALSE;

  *result = NULL;
  record = signpost_store_get_record (ctx->store, kind, signpost_mutation_get_id (mutation),
                                      &deleted, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  /* What the caller may not see does not exist, as far as it is told. */
  if (record == NULL || deleted || !caller_may_see (ctx, record))
    {
      *result = rejectedf (mutation, SIGNPOST_ERROR_NOT_FOUND, "id",
                           _("There is no %s with this id"),
                           signpost_record_kind_to_string (kind));
      return NULL;
    }
  if (ctx->principal != NULL &&
      !signpost_access_check_write (ctx->principal, kind, signpost_mutation_get_op (mutation),
                                    signpost_record_get_practice_id (record), &local_error))
    {
      *result = rejected (mutation, g_steal_pointer (&local_error));
      return NULL;
    }
  return g_steal_pointer (&record);
}

static gboolean
base_version_matches (SignpostMutation *mutation,
                      SignpostRecord   *record,
                      gboolean          required)
{
  gint64 base = signpost_mutation_get_base_version (mutation);

  if (base == 0 && !required)
    return TRUE;
  return base == signpost_record_get_version (record);
}

static const char *
user_id (SignpostApplyContext *ctx)
{
  return ctx->principal ? signpost_principal_get_user_id (ctx->principal) : NULL;
}

/* A write refused by the store's constraints (two live appointments for a
 * slot, a username taken) is a conflict, not a failure. */
static gboolean
is_constraint (const GError *error)
{
  return g_error_matches (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT);
}

/* When a request created now must have had its outcome, in the practice's
 * time zone. */
static GDateTime *
triage_respond_by (SignpostApplyContext  *ctx,
                   const char            *practice_id,
                   GError               **error)
{
  g_autoptr(SignpostRecord) practice = NULL;
  g_autoptr(GTimeZone) tz = NULL;

  practice = signpost_store_get_record (ctx->store, SIGNPOST_RECORD_PRACTICE, practice_id, NULL,
                                        error);
  if (practice == NULL && error != NULL && *error != NULL)
    return NULL;
  tz = practice != NULL ? signpost_online_practice_time_zone (SIGNPOST_PRACTICE (practice))
                        : signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);
  return signpost_respond_by (ctx->now, tz);
}

/* The answer to a create or update the store refused for a uniqueness
 * rule: a user name taken (users are the administrators', who see them
 * all), or else the record's id. The store's own words name its tables. */
static SignpostMutationResult *
write_refused (SignpostApplyContext  *ctx,
               SignpostMutation      *mutation,
               SignpostRecord        *record,
               GError               **error)
{
  if (SIGNPOST_IS_USER (record))
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(SignpostUser) other = NULL;

      other = signpost_store_find_user (ctx->store, signpost_user_get_username (SIGNPOST_USER (record)),
                                        &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (other != NULL && g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (other)),
                                      signpost_record_get_id (record)) != 0)
        return rejectedf (mutation, SIGNPOST_ERROR_CONFLICT, "username", _("is already taken"));
    }
  return id_in_use (mutation, "id");
}

/* ---- create, update, delete -------------------------------------------- */

static SignpostMutationResult *
apply_create (SignpostApplyContext  *ctx,
              SignpostMutation      *mutation,
              GError               **error)
{
  SignpostRecordKind kind = signpost_mutation_get_kind (mutation);
  const char *id = signpost_mutation_get_id (mutation);
  JsonObject *data = mutation_data (mutation);
  g_autoptr(JsonObject) copy = NULL;
  g_autoptr(SignpostRecord) record = NULL;
  g_autoptr(SignpostRecord) existing = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean deleted = FALSE;

  if (data == NULL)
    return rejectedf (mutation, SIGNPOST_ERROR_INVALID, "data", _("is required"));
  if (!signpost_access_check_fields (context_role (ctx), kind, data, &local_error))
    return rejected (mutation, g_steal_pointer (&local_error));

  /* A practice is its own practice. */
  copy = json_object_ref (data);
  if (kind == SIGNPOST_RECORD_PRACTICE && !json_object_has_member (copy, "practice_id"))
    {
      json_object_unref (copy);
      copy = json_object_new ();
      {
        JsonObjectIter iter;
        const char *key;
        JsonNode *member;

        json_object_iter_init (&iter, data);
        while (json_object_iter_next (&iter, &key, &member))
          json_object_set_member (copy, key, json_node_copy (member));
      }
      json_object_set_string_member (copy, "practice_id", id);
    }

  record = signpost_record_new_from_json (kind, copy, SIGNPOST_DECODE_CREATE, &local_error);
  if (record == NULL)
    return rejected (mutation, g_steal_pointer (&local_error));
  signpost_record_set_id (record, id);
  signpost_record_set_version (record, 0);

  if (kind == SIGNPOST_RECORD_PRACTICE &&
      g_strcmp0 (signpost_record_get_practice_id (record), id) != 0)
    return rejectedf (mutation, SIGNPOST_ERROR_INVALID, "practice_id",
                      _("must be the practice’s own id"));
  if (ctx->principal != NULL &&
      !signpost_access_check_write (ctx->principal, kind, SIGNPOST_OP_CREATE,
                                    signpost_record_get_practice_id (record), &local_error))
    return rejected (mutation, g_steal_pointer (&local_error));

  existing = signpost_store_get_record (ctx->store, kind, id, &deleted, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  /* The record as it stands only for someone who may read it. */
  if (existing != NULL)
    return !deleted && caller_may_see (ctx, existing) ? conflict (ctx, mutation, existing)
                                                       : id_in_use (mutation, "id");

  switch (kind)
    {
    case SIGNPOST_RECORD_TRIAGE:
      signpost_triage_set_created_by (SIGNPOST_TRIAGE (record), user_id (ctx));
      signpost_triage_set_created_at (SIGNPOST_TRIAGE (record), ctx->now);
      {
        g_autoptr(GDateTime) respond_by = NULL;

        respond_by = triage_respond_by (ctx, signpost_record_get_practice_id (record), error);
        if (respond_by == NULL && error != NULL && *error != NULL)
          return NULL;
        signpost_triage_set_respond_by (SIGNPOST_TRIAGE (record), respond_by);
      }
      break;
    case SIGNPOST_RECORD_SLOT:
      if (signpost_slot_get_status (SIGNPOST_SLOT (record)) == SIGNPOST_SLOT_BOOKED)
        return rejectedf (mutation, SIGNPOST_ERROR_INVALID, "status",
                          _("a slot is booked with the book command"));
      break;
    case SIGNPOST_RECORD_PRACTICE:
    case SIGNPOST_RECORD_USER:
    case SIGNPOST_RECORD_CLINICIAN:
    case SIGNPOST_RECORD_PATIENT:
    case SIGNPOST_RECORD_CALL:
    case SIGNPOST_RECORD_APPOINTMENT:
    default:
      break;
    }

  if (!signpost_apply_write (ctx, record, FALSE, &local_error))
    {
      if (is_constraint (local_error))
        return write_refused (ctx, mutation, record, error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (SIGNPOST_IS_USER (record) && !audit_grants (ctx, NULL, SIGNPOST_USER (record), error))
    return NULL;
  return applied (ctx, mutation, record);
}

static SignpostMutationResult *
apply_update (SignpostApplyContext  *ctx,
              SignpostMutation      *mutation,
              GError               **error)
{
  SignpostRecordKind kind = signpost_mutation_get_kind (mutation);
  JsonObject *data = mutation_data (mutation);
  SignpostMutationResult *result = NULL;
  g_autoptr(SignpostRecord) current = NULL;
  g_autoptr(SignpostRecord) record = NULL;
  g_autoptr(GError) local_error = NULL;

  if (data == NULL)
    return rejectedf (mutation, SIGNPOST_ERROR_INVALID, "data", _("is required"));
  if (!signpost_access_check_fields (context_role (ctx), kind, data, &local_error))
    return rejected (mutation, g_steal_pointer (&local_error));
  current = load_target (ctx, mutation, &result, error);
  if (current == NULL)
    return result;
  if (!base_version_matches (mutation, current, TRUE))
    return conflict (ctx, mutation, current);

  record = signpost_object_copy (SIGNPOST_OBJECT (current));
  if (!signpost_object_update_from_json (SIGNPOST_OBJECT (record), data, SIGNPOST_DECODE_PATCH,
                                         &local_error))
    return rejected (mutation, g_steal_pointer (&local_error));
  if (g_strcmp0 (signpost_record_get_practice_id (record),
                 signpost_record_get_practice_id (current)) != 0)
    return rejectedf (mutation, SIGNPOST_ERROR_INVALID, "practice_id", _("cannot be changed"));
  {
    g_autoptr(JsonObject) before = signpost_object_to_json (SIGNPOST_OBJECT (current));
    g_autoptr(JsonObject) after = signpost_object_to_json (SIGNPOST_OBJECT (record));

    if (!signpost_access_check_change (context_role (ctx), kind, before, after, &local_error))
      return rejected (mutation, g_steal_pointer (&local_error));
  }
  if (SIGNPOST_IS_USER (record) &&
      !signpost_access_check_user_change (ctx->principal, SIGNPOST_USER (current),
                                          SIGNPOST_USER (record), &local_error))
    return rejected (mutation, g_steal_pointer (&local_error));

  switch (kind)
    {
    case SIGNPOST_RECORD_APPOINTMENT:
      {
        SignpostAppointment *before = SIGNPOST_APPOINTMENT (current);
        SignpostAppointment *after = SIGNPOST_APPOINTMENT (record);

        if (signpost_appointment_get_status (before) == SIGNPOST_APPOINTMENT_CANCELLED &&
            signpost_appointment_get_status (after) != SIGNPOST_APPOINTMENT_CANCELLED)
          return rejectedf (mutation, SIGNPOST_ERROR_CONFLICT, "status",
                            _("a cancelled appointment cannot be reinstated; book again"));
        if (signpost_appointment_get_status (before) != SIGNPOST_APPOINTMENT_CANCELLED &&
            signpost_appointment_get_status (after) == SIGNPOST_APPOINTMENT_CANCELLED)
          {
            g_autoptr(SignpostRecord) slot = NULL;

            /* The slot is free again. */
            slot = signpost_store_get_record (ctx->store, SIGNPOST_RECORD_SLOT,
                                              signpost_appointment_get_slot_id (after),
                                              NULL, &local_error);
            if (local_error != NULL)
              {
                g_propagate_error (error, g_steal_pointer (&local_error));
                return NULL;
              }
            if (slot != NULL && signpost_slot_get_status (SIGNPOST_SLOT (slot)) == SIGNPOST_SLOT_BOOKED)
              {
                signpost_slot_set_status (SIGNPOST_SLOT (slot), SIGNPOST_SLOT_FREE);
                if (!signpost_apply_write (ctx, slot, FALSE, error))
                  return NULL;
              }
          }
      }
      break;

    case SIGNPOST_RECORD_SLOT:
      {
        SignpostSlotStatus before = signpost_slot_get_status (SIGNPOST_SLOT (current));
        SignpostSlotStatus after = signpost_slot_get_status (SIGNPOST_SLOT (record));

        if (before != after)
          {
            g_autoptr(SignpostAppointment) live = NULL;

            live = signpost_store_find_live_appointment (ctx->store,
                                                         signpost_record_get_id (current),
                                                         &local_error);
            if (local_error != NULL)
              {
                g_propagate_error (error, g_steal_pointer (&local_error));
                return NULL;
              }
            if (live != NULL || after == SIGNPOST_SLOT_BOOKED)
              return rejectedf (mutation, SIGNPOST_ERROR_CONFLICT, "status",
                                _("the slot is booked; cancel the appointment first"));
          }
      }
      break;

    case SIGNPOST_RECORD_PRACTICE:
    case SIGNPOST_RECORD_USER:
    case SIGNPOST_RECORD_CLINICIAN:
    case SIGNPOST_RECORD_PATIENT:
    case SIGNPOST_RECORD_CALL:
    case SIGNPOST_RECORD_TRIAGE:
    default:
      break;
    }

  if (!signpost_apply_write (ctx, record, FALSE, &local_error))
    {
      if (is_constraint (local_error))
        return write_refused (ctx, mutation, record, error);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (SIGNPOST_IS_USER (record) &&
      !audit_grants (ctx, SIGNPOST_USER (current), SIGNPOST_USER (record), error))
    return NULL;
  return applied (ctx, mutation, record);
}

static SignpostMutationResult *
apply_delete (SignpostApplyContext  *ctx,
              SignpostMutation      *mutation,
              GError               **error)
{
  SignpostMutationResult *result = NULL;
  g_autoptr(SignpostRecord) record = NULL;
  g_autoptr(GError) local_error = NULL;

  record = load_target (ctx, mutation, &result, error);
  if (record == NULL)
    return result;
  if (!base_version_matches (mutation, record, TRUE))
    return conflict (ctx, mutation, record);
  if (SIGNPOST_IS_SLOT (record))
    {
      g_autoptr(SignpostAppointment) live = NULL;

      live = signpost_store_find_live_appointment (ctx->store, signpost_record_get_id (record),
                                                   &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (live != NULL)
        return rejectedf (mutation, SIGNPOST_ERROR_CONFLICT, "id",
                          _("the slot is booked; cancel the appointment first"));
    }
  if (!signpost_apply_write (ctx, record, TRUE, error))
    return NULL;
  return applied (ctx, mutation, record);
}

/* ---- slot commands ----------------------------------------------------- */

static const CommandField book_fields[] = {
  { "appointment_id", SIGNPOST_FORMAT_UUID, 36, TRUE, G_TYPE_INVALID },
  { "patient_id", SIGNPOST_FORMAT_UUID, 36, TRUE, G_TYPE_INVALID },
  { "reason", SIGNPOST_FORMAT_MULTILINE, 2000, FALSE, G_TYPE_INVALID },
  { "triage_id", SIGNPOST_FORMAT_UUID, 36, FALSE, G_TYPE_INVALID },
};

/* Whether @patient_id already holds a live appointment on the practice's
 * local day of @slot. */
static gboolean
booked_same_day (SignpostApplyContext  *ctx,
                 SignpostSlot          *slot,
                 const char            *patient_id,
                 gboolean              *booked,
                 GError               **error)
{
  g_autoptr(SignpostRecord) practice = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;

  practice = signpost_store_get_record (ctx->store, SIGNPOST_RECORD_PRACTICE,
                                        signpost_record_get_practice_id (SIGNPOST_RECORD (slot)),
                                        NULL, error);
  if (practice == NULL && error != NULL && *error != NULL)
    return FALSE;
  tz = signpost_time_zone_new (practice ? signpost_practice_get_time_zone (SIGNPOST_PRACTICE (practice))
                                        : SIGNPOST_DEFAULT_TIME_ZONE, NULL);
  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  signpost_slot_get_local_day (slot, tz, &from, &to);
  return signpost_store_patient_booked_between (ctx->store, patient_id, from, to, booked, error);
}

static SignpostMutationResult *
apply_book (SignpostApplyContext  *ctx,
            SignpostMutation      *mutation,
            GError               **error)
{
  JsonObject *data = mutation_data (mutation);
  SignpostMutationResult *result = NULL;
  g_autoptr(SignpostRecord) record = NULL;
  g_autoptr(SignpostRecord) patient = NULL;
  g_autoptr(SignpostRecord) existing = NULL;
  g_autoptr(SignpostRecord) triage = NULL;
  g_autoptr(SignpostAppointment) appointment = NULL;
  g_autoptr(SignpostBooking) booking = NULL;
  g_autoptr(SignpostRecord) unbooked = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *practice_id;
  const char *appointment_id;
  const char *patient_id;
  const char *triage_id;
  SignpostSlotBooker booker;
  SignpostSlot *slot;
  gboolean booked_today = FALSE;

  if (!check_command_data (data, book_fields, G_N_ELEMENTS (book_fields), &local_error))
    return rejected (mutation, g_steal_pointer (&local_error));
  record = load_target (ctx, mutation, &result, error);
  if (record == NULL)
    return result;
  slot = SIGNPOST_SLOT (record);
  practice_id = signpost_record_get_practice_id (record);
  booking = signpost_booking_new_from_json (data);
  appointment_id = booking->appointment_id;
  patient_id = booking->patient_id;
  triage_id = booking->triage_id;

  if (!base_version_matches (mutation, record, FALSE))
    return conflict (ctx, mutation, record);
  /* The booking rule the consoles follow too (signpost-booking.h). A
   * second live appointment is refused as it is written, by the store's
   * unique index (a conflict as well). */
  {
    const char * const own[] = { practice_id, NULL };

    booker.hub = ctx->principal != NULL && signpost_principal_is_hub (ctx->principal);
    booker.practice_ids = ctx->principal != NULL ? signpost_principal_get_practice_ids (ctx->principal) : own;
    booker.now = ctx->now;
    switch (signpost_slot_check_bookable (slot, NULL, &booker))
      {
      case SIGNPOST_SLOT_NOT_FREE:
        return conflict (ctx, mutation, record);
      case SIGNPOST_SLOT_STARTED:
        return rejectedf (mutation, SIGNPOST_ERROR_INVALID, "start",
                          _("the slot has already started"));
      case SIGNPOST_SLOT_EMBARGOED:
        {
          g_autofree char *when = signpost_timestamp_format (signpost_slot_get_release_at (slot));

          return rejectedf (mutation, SIGNPOST_ERROR_FORBIDDEN, "release_at",
                            _("the slot is embargoed until %s"), when);
        }
      case SIGNPOST_SLOT_PRACTICE_ONLY:
        return rejectedf (mutation, SIGNPOST_ERROR_FORBIDDEN, "hub_bookable",
                          _("the slot is for the practice’s own staff to book"));
      case SIGNPOST_SLOT_BOOKABLE:
      default:
        break;
      }
  }

  patient = signpost_store_get_record (ctx->store, SIGNPOST_RECORD_PATIENT, patient_id, NULL,
                                       &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (patient == NULL || g_strcmp0 (signpost_record_get_practice_id (patient), practice_id) != 0)
    return rejectedf (mutation, SIGNPOST_ERROR_INVALID, "patient_id",
                      _("is not a patient of the slot’s practice"));
  if (triage_id != NULL)
    {
      triage = signpost_store_get_record (ctx->store, SIGNPOST_RECORD_TRIAGE, triage_id, NULL,
                                          &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (triage == NULL || g_strcmp0 (signpost_record_get_practice_id (triage), practice_id) != 0)
        return rejectedf (mutation, SIGNPOST_ERROR_INVALID, "triage_id",
                          _("is not a triage record of the slot’s practice"));
    }
  existing = signpost_store_get_record (ctx->store, SIGNPOST_RECORD_APPOINTMENT, appointment_id,
                                        NULL, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (existing != NULL)
    return id_in_use (mutation, "appointment_id");
  if (!booked_same_day (ctx, slot, patient_id, &booked_today, error))
    return NULL;

  unbooked = signpost_object_copy (SIGNPOST_OBJECT (record));
  appointment = signpost_slot_book (slot, booking, user_id (ctx));
  if (!signpost_apply_write (ctx, record, FALSE, error))
    return NULL;
  if (!signpost_apply_write (ctx, SIGNPOST_RECORD (appointment), FALSE, &local_error))
    {
      g_autoptr(SignpostAppointment) live = NULL;

      if (!is_constraint (local_error))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      /* The unique index caught a second live appointment, or the id
       * belongs to a record of another kind. */
      g_clear_error (&local_error);
      live = signpost_store_find_live_appointment (ctx->store, signpost_record_get_id (record),
                                                   &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (live == NULL)
        return id_in_use (mutation, "appointment_id");
      return conflict (ctx, mutation, unbooked);
    }
  if (triage != NULL)
    {
      signpost_triage_note_booking (SIGNPOST_TRIAGE (triage), appointment_id);
      if (!signpost_apply_write (ctx, triage, FALSE, error))
        return NULL;
    }

  result = applied (ctx, mutation, SIGNPOST_RECORD (appointment));
  if (booked_today)
    {
      const char * const warnings[] = { "patient_already_booked_today", NULL };

      signpost_mutation_result_set_warnings (result, warnings);
    }
  return result;
}

static const CommandField cancel_fields[] = {
  { "reason", SIGNPOST_FORMAT_TEXT, 500, FALSE, G_TYPE_INVALID },
};

static SignpostMutationResult *
apply_cancel (SignpostApplyContext  *ctx,
              SignpostMutation      *mutation,
              GError               **error)
{
  JsonObject *data = mutation_data (mutation);
  SignpostMutationResult *result = NULL;
  g_autoptr(SignpostRecord) record = NULL;
  g_autoptr(SignpostAppointment) live = NULL;
  g_autoptr(GError) local_error = NULL;
  gboolean was_booked;

  if (!check_command_data (data, cancel_fields, G_N_ELEMENTS (cancel_fields), &local_error))
    return rejected (mutation, g_steal_pointer (&local_error));
  record = load_target (ctx, mutation, &result, error);
  if (record == NULL)
    return result;
  if (!base_version_matches (mutation, record, FALSE))
    return conflict (ctx, mutation, record);
  live = signpost_store_find_live_appointment (ctx->store, signpost_record_get_id (record),
                                               &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  if (live == NULL)
    return conflict (ctx, mutation, record);

  was_booked = signpost_slot_get_status (SIGNPOST_SLOT (record)) == SIGNPOST_SLOT_BOOKED;
  signpost_slot_cancel_booking (SIGNPOST_SLOT (record), live, data_string (data, "reason"));
  if (!signpost_apply_write (ctx, SIGNPOST_RECORD (live), FALSE, error))
    return NULL;
  if (was_booked && !signpost_apply_write (ctx, record, FALSE, error))
    return NULL;
  return applied (ctx, mutation, SIGNPOST_RECORD (live));
}

/* ---- call commands ----------------------------------------------------- */

static gboolean
call_changed (SignpostApplyContext  *ctx,
              SignpostCall          *call,
              const char            *event,
              GError               **error)
{
  gint64 position;

  /* Positions are derived from the queue; a record keeps the one it had
   * at its own last change, and nobody else's is rewritten. */
  position = signpost_queue_position (ctx->store, call, error);
  if (position < 0)
    return FALSE;
  signpost_call_set_position (call, position);
  return signpost_apply_write (ctx, SIGNPOST_RECORD (call), FALSE, error) &&
         signpost_apply_call_event (ctx, call, event, ctx->now, error);
}

static SignpostMutationResult *
apply_answer (SignpostApplyContext  *ctx,
              SignpostMutation      *mutation,
              GError               **error)
{
  SignpostMutationResult *result = NULL;
  g_autoptr(SignpostRecord) record = NULL;
  g_autoptr(GError) local_error = NULL;
  SignpostCall *call;
  SignpostCallState state;

  if (!check_command_data (mutation_data (mutation), NULL, 0, &local_error))
    return rejected (mutation, g_steal_pointer (&local_error));
  record = load_target (ctx, mutation, &result, error);
  if (record == NULL)
    return result;
  call = SIGNPOST_CALL (record);
  state = signpost_call_get_state (call);
  if (state != SIGNPOST_CALL_QUEUED && state != SIGNPOST_CALL_CALLBACK_REQUESTED &&
      state != SIGNPOST_CALL_RINGING)
    return conflict (ctx, mutation, record);
  signpost_call_set_state (call, SIGNPOST_CALL_ANSWERED);
  signpost_call_set_answered_at (call, ctx->now);
  signpost_call_set_answered_by (call, user_id (ctx));
  if (!call_changed (ctx, call, "answered", error))
    return NULL;
  return applied (ctx, mutation, record);
}

static SignpostMutationResult *
apply_end (SignpostApplyContext  *ctx,
           SignpostMutation      *mutation,
           GError               **error)
{
  SignpostMutationResult *result = NULL;
  g_autoptr(SignpostRecord) record = NULL;
  g_autoptr(GError) local_error = NULL;
  SignpostCall *call;

  if (!check_command_data (mutation_data (mutation), NULL, 0, &local_error))
    return rejected (mutation, g_steal_pointer (&local_error));
  record = load_target (ctx, mutation, &result, error);
  if (record == NULL)
    return result;
  call = SIGNPOST_CALL (record);
  if (signpost_call_get_state (call) != SIGNPOST_CALL_ANSWERED)
    return conflict (ctx, mutation, record);
  signpost_call_set_state (call, SIGNPOST_CALL_ENDED);
  signpost_call_set_ended_at (call, ctx->now);
  if (!call_changed (ctx, call, "ended", error))
    return NULL;
  return applied (ctx, mutation, record);
}

static const CommandField complete_fields[] = {
  { "outcome", SIGNPOST_FORMAT_KEY, 32, TRUE, G_TYPE_INVALID },
  { "follow_up", SIGNPOST_FORMAT_KEY, 32, FALSE, G_TYPE_INVALID },
};

/* After a failed contact: what was done next (the failed-contact policy:
 * a text, a letter, the duty doctor's review, or the patient reached). */
static SignpostMutationResult *
apply_follow_up (SignpostApplyContext  *ctx,
                 SignpostMutation      *mutation,
                 JsonObject            *data,
                 GError               **error)
{
  SignpostMutationResult *result = NULL;
  g_autoptr(SignpostRecord) record = NULL;
  const char *nick = data_string (data, "follow_up");
  SignpostCall *call;
  int follow_up;

  if (nick == NULL)
    return rejectedf (mutation, SIGNPOST_ERROR_INVALID, "follow_up",
                      _("is required to record a follow-up"));
  if (!signpost_enum_from_nick (SIGNPOST_TYPE_FOLLOW_UP, nick, &follow_up) ||
      follow_up == SIGNPOST_FOLLOW_UP_NONE)
    return rejectedf (mutation, SIGNPOST_ERROR_INVALID, "follow_up",
                      _("must be “text”, “letter”, “duty_review” or “reached”"));
  record = load_target (ctx, mutation, &result, error);
  if (record == NULL)
    return result;
  call = SIGNPOST_CALL (record);
  /* Only a failed contact is followed up, and once. */
  if (!signpost_call_needs_follow_up (call))
    return conflict (ctx, mutation, record);
  signpost_call_set_follow_up (call, follow_up);
  signpost_call_set_followed_up_at (call, ctx->now);
  signpost_call_set_followed_up_by (call, user_id (ctx));
  /* Not a change of the phone queue: no live call event, only the
   * record's change in the feed. */
  if (!signpost_apply_write (ctx, record, FALSE, error))
    return NULL;
  return applied (ctx, mutation, record);
}

static SignpostMutationResult *
apply_complete (SignpostApplyContext  *ctx,
                SignpostMutation      *mutation,
                GError               **error)
{
  JsonObject *data = mutation_data (mutation);
  SignpostMutationResult *result = NULL;
  g_autoptr(SignpostRecord) record = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *outcome;
  const char *event;
  SignpostCall *call;
  SignpostCallState state;

  if (!check_command_data (data, complete_fields, G_N_ELEMENTS (complete_fields), &local_error))
    return rejected (mutation, g_steal_pointer (&local_error));
  outcome = data_string (data, "outcome");
  if (g_str_equal (outcome, "followed_up"))
    return apply_follow_up (ctx, mutation, data, error);
  if (!g_str_equal (outcome, "reached") && !g_str_equal (outcome, "no_answer"))
    return rejectedf (mutation, SIGNPOST_ERROR_INVALID, "outcome",
                      _("must be “reached”, “no_answer” or “followed_up”"));
  if (data_string (data, "follow_up") != NULL)
    return rejectedf (mutation, SIGNPOST_ERROR_INVALID, "follow_up",
                      _("goes only with the outcome “followed_up”"));
  record = load_target (ctx, mutation, &result, error);
  if (record == NULL)
    return result;
  call = SIGNPOST_CALL (record);
  state = signpost_call_get_state (call);
  if (signpost_call_get_callback_requested_at (call) == NULL ||
      (state != SIGNPOST_CALL_CALLBACK_REQUESTED && state != SIGNPOST_CALL_ANSWERED))
    return conflict (ctx, mutation, record);

  if (g_str_equal (outcome, "reached"))
    {
      signpost_call_set_state (call, SIGNPOST_CALL_CALLBACK_DONE);
      signpost_call_set_callback_outcome (call, SIGNPOST_CALLBACK_OUTCOME_REACHED);
      signpost_call_set_callback_done_at (call, ctx->now);
      event = "callback_done";
    }
  else
    {
      gint64 attempts = signpost_call_get_callback_attempts (call) + 1;

      signpost_call_set_callback_attempts (call, attempts);
      if (attempts == 1)
        signpost_call_set_callback_first_attempt_at (call, ctx->now);
      if (attempts >= MAX_CALLBACK_ATTEMPTS)
        {
          /* The failed-contact rule: two tries, then it is closed. */
          signpost_call_set_state (call, SIGNPOST_CALL_CALLBACK_DONE);
          signpost_call_set_callback_outcome (call, SIGNPOST_CALLBACK_OUTCOME_FAILED_CONTACT);
          signpost_call_set_callback_done_at (call, ctx->now);
          event = "callback_done";
        }
      else
        {
          /* Back in the queue, in the place of the original call. */
          signpost_call_set_state (call, SIGNPOST_CALL_CALLBACK_REQUESTED);
          signpost_call_set_callback_outcome (call, SIGNPOST_CALLBACK_OUTCOME_NO_ANSWER);
          event = "callback_requested";
        }
    }
  if (!call_changed (ctx, call, event, error))
    return NULL;
  return applied (ctx, mutation, record);
}

/* ---- triage review ----------------------------------------------------- */

static const CommandField review_fields[] = {
  { "duty_notes", SIGNPOST_FORMAT_MULTILINE, 8000, FALSE, G_TYPE_INVALID },
  { "status", SIGNPOST_FORMAT_KEY, 32, FALSE, G_TYPE_INVALID },
  { "outcome", SIGNPOST_FORMAT_KEY, 32, FALSE, G_TYPE_INVALID },
  { "appointment_id", SIGNPOST_FORMAT_UUID, 36, FALSE, G_TYPE_INVALID },
};

static SignpostMutationResult *
apply_review (SignpostApplyContext  *ctx,
              SignpostMutation      *mutation,
              GError               **error)
{
  JsonObject *data = mutation_data (mutation);
  SignpostMutationResult *result = NULL;
  g_autoptr(SignpostRecord) record = NULL;
  g_autoptr(JsonObject) patch = json_object_new ();
  g_autoptr(GError) local_error = NULL;

  if (!check_command_data (data, review_fields, G_N_ELEMENTS (review_fields), &local_error))
    return rejected (mutation, g_steal_pointer (&local_error));
  record = load_target (ctx, mutation, &result, error);
  if (record == NULL)
    return result;
  if (!base_version_matches (mutation, record, FALSE))
    return conflict (ctx, mutation, record);

  for (guint i = 0; i < G_N_ELEMENTS (review_fields); i++)
    if (data != NULL && json_object_has_member (data, review_fields[i].key))
      json_object_set_member (patch, review_fields[i].key,
                              json_node_copy (json_object_get_member (data, review_fields[i].key)));
  if (!json_object_has_member (patch, "status"))
    json_object_set_string_member (patch, "status", "reviewed");
  if (!signpost_object_update_from_json (SIGNPOST_OBJECT (record), patch, SIGNPOST_DECODE_PATCH,
                                         &local_error))
    return rejected (mutation, g_steal_pointer (&local_error));
  signpost_triage_set_reviewed_by (SIGNPOST_TRIAGE (record), user_id (ctx));
  signpost_triage_set_reviewed_at (SIGNPOST_TRIAGE (record), ctx->now);
  if (!signpost_apply_write (ctx, record, FALSE, error))
    return NULL;
  return applied (ctx, mutation, record);
}

/* ---- dispatch ---------------------------------------------------------- */

typedef SignpostMutationResult *(*ApplyFunc) (SignpostApplyContext  *ctx,
                                              SignpostMutation      *mutation,
                                              GError               **error);

static ApplyFunc
find_apply_func (SignpostRecordKind kind,
                 SignpostOp         op)
{
  switch (op)
    {
    case SIGNPOST_OP_CREATE:
      return apply_create;
    case SIGNPOST_OP_UPDATE:
      return apply_update;
    case SIGNPOST_OP_DELETE:
      return apply_delete;
    case SIGNPOST_OP_BOOK:
      return kind == SIGNPOST_RECORD_SLOT ? apply_book : NULL;
    case SIGNPOST_OP_CANCEL:
      return kind == SIGNPOST_RECORD_SLOT ? apply_cancel : NULL;
    case SIGNPOST_OP_ANSWER:
      return kind == SIGNPOST_RECORD_CALL ? apply_answer : NULL;
    case SIGNPOST_OP_END:
      return kind == SIGNPOST_RECORD_CALL ? apply_end : NULL;
    case SIGNPOST_OP_COMPLETE:
      return kind == SIGNPOST_RECORD_CALL ? apply_complete : NULL;
    case SIGNPOST_OP_REVIEW:
      return kind == SIGNPOST_RECORD_TRIAGE ? apply_review : NULL;
    default:
      return NULL;
    }
}

static SignpostMutationResult *
previous_result (SignpostApplyContext  *ctx,
                 SignpostMutation      *mutation,
                 gboolean              *found,
                 GError               **error)
{
  g_autofree char *owner = NULL;
  g_autofree char *stored = NULL;
  g_autoptr(GError) local_error = NULL;
  SignpostMutationResult *result;

  *found = FALSE;
  if (!signpost_store_lookup_mutation (ctx->store, signpost_mutation_get_mutation_id (mutation),
                                       &owner, &stored, error))
    return NULL;
  if (stored == NULL)
    return NULL;
  *found = TRUE;
  if (g_strcmp0 (owner, user_id (ctx)) != 0)
    return rejectedf (mutation, SIGNPOST_ERROR_CONFLICT, "mutation_id",
                      _("was already used by someone else"));
  result = signpost_object_new_from_string (SIGNPOST_TYPE_MUTATION_RESULT, stored, strlen (stored),
                                            SIGNPOST_DECODE_FULL, &local_error);
  if (result == NULL)
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                   "stored mutation result is unreadable: %s", local_error->message);
      return NULL;
    }
  signpost_mutation_result_set_status (result, SIGNPOST_RESULT_DUPLICATE);
  return result;
}

static const char *
audit_action (SignpostOp op)
{
  return signpost_enum_to_nick (SIGNPOST_TYPE_OP, op);
}

/**
 * signpost_apply_mutation:
 *
 * Applies one mutation inside the caller's transaction. Returns its result
 * (applied, duplicate, conflict or rejected); %NULL only when storage
 * failed, in which case the caller must roll the whole transaction back.
 */
SignpostMutationResult *
signpost_apply_mutation (SignpostApplyContext  *ctx,
                         SignpostMutation      *mutation,
                         GError               **error)
{
  SignpostRecordKind kind = signpost_mutation_get_kind (mutation);
  SignpostOp op = signpost_mutation_get_op (mutation);
  g_autoptr(SignpostMutationResult) result = NULL;
  g_autofree char *stored = NULL;
  ApplyFunc func;
  guint n_changed = ctx->changed->len;
  guint n_events = ctx->call_events->len;
  gboolean found = FALSE;

  result = previous_result (ctx, mutation, &found, error);
  if (found || result != NULL)
    return g_steal_pointer (&result);
  if (error != NULL && *error != NULL)
    return NULL;

  func = find_apply_func (kind, op);
  if (func == NULL)
    return rejectedf (mutation, SIGNPOST_ERROR_INVALID, "op",
                      _("“%s” is not a command for a %s"),
                      signpost_enum_to_nick (SIGNPOST_TYPE_OP, op),
                      signpost_record_kind_to_string (kind));
  if (ctx->principal != NULL &&
      !signpost_access_may_mutate (signpost_principal_get_role (ctx->principal), kind, op))
    {
      GError *forbidden = NULL;

      signpost_access_check_write (ctx->principal, kind, op, NULL, &forbidden);
      return rejected (mutation, forbidden);
    }

  if (!signpost_store_savepoint (ctx->store, error))
    return NULL;
  result = func (ctx, mutation, error);
  if (result != NULL && signpost_mutation_result_get_status (result) == SIGNPOST_RESULT_APPLIED)
    {
      g_autoptr(SignpostRecord) written = NULL;

      stored = signpost_object_to_string (SIGNPOST_OBJECT (result), NULL);
      if (ctx->changed->len > n_changed)
        written = g_object_ref (g_ptr_array_index (ctx->changed, ctx->changed->len - 1));
      /* Audit the record the mutation was about, not the last one written. */
      for (guint i = n_changed; i < ctx->changed->len; i++)
        if (g_strcmp0 (signpost_record_get_id (g_ptr_array_index (ctx->changed, i)),
                       signpost_mutation_result_get_id (result)) == 0)
          g_set_object (&written, g_ptr_array_index (ctx->changed, i));
      if (!signpost_store_save_mutation (ctx->store, signpost_mutation_get_mutation_id (mutation),
                                         user_id (ctx), stored, error) ||
          !signpost_apply_audit (ctx, audit_action (op), written,
                                 signpost_mutation_get_mutation_id (mutation), error))
        g_clear_object (&result);
    }
  if (result == NULL ||
      signpost_mutation_result_get_status (result) != SIGNPOST_RESULT_APPLIED)
    {
      if (!signpost_store_rollback_to_savepoint (ctx->store) && result != NULL)
        {
          /* The transaction went with it: nothing of the batch may be
           * acknowledged (the caller rolls back and answers 5xx). */
          g_clear_object (&result);
          g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
                               _("The changes could not be stored"));
        }
      g_ptr_array_set_size (ctx->changed, n_changed);
      g_ptr_array_set_size (ctx->call_events, n_events);
      return g_steal_pointer (&result);
    }
  if (!signpost_store_release_savepoint (ctx->store, error))
    return NULL;
  return g_steal_pointer (&result);
}
