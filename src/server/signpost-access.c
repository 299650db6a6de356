/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-access.h"

/*
 * The whole policy lives in the tables below, so that it can be read in one
 * place and the tests can walk it as a matrix. Every request is checked
 * against it on the server; the console's own checks are only a courtesy.
 */

#define H SIGNPOST_VISIBILITY_HIDDEN
#define F SIGNPOST_VISIBILITY_FULL
#define R SIGNPOST_VISIBILITY_REDACTED

/* [role][kind]; kinds in SignpostRecordKind order: practice, user,
 * clinician, patient, call, triage, slot, appointment. */
static const SignpostVisibility read_table[SIGNPOST_N_ROLES][SIGNPOST_N_RECORD_KINDS] = {
  [SIGNPOST_ROLE_NAVIGATOR] = { F, F, F, F, F, R, F, F },
  [SIGNPOST_ROLE_CLINICIAN] = { F, F, F, F, F, F, F, F },
  [SIGNPOST_ROLE_MANAGER]   = { F, F, F, H, R, R, F, R },
  [SIGNPOST_ROLE_ADMIN]     = { F, F, F, H, H, H, H, H },
};

#undef H
#undef F
#undef R

/* Fields nulled on a redacted read. A triage's reason is required, so it
 * is emptied rather than nulled. */
typedef struct {
  SignpostRole role;
  SignpostRecordKind kind;
  const char * const *nulled;
  const char * const *emptied;
} RedactRule;

static const char * const navigator_triage_nulled[] = { "duty_notes", NULL };
static const char * const manager_call_nulled[] = { "cli", "callback_number", "patient_id", NULL };
static const char * const manager_triage_nulled[] = {
  "patient_id", "caller_name", "contact_number", "navigator_notes", "duty_notes",
  "patient_details", "symptom_duration", "hoped_outcome", "source_ref", NULL
};
static const char * const manager_triage_emptied[] = { "reason", NULL };
static const char * const manager_appointment_nulled[] = {
  "patient_id", "reason", "cancel_reason", NULL
};

static const RedactRule redact_rules[] = {
  { SIGNPOST_ROLE_NAVIGATOR, SIGNPOST_RECORD_TRIAGE, navigator_triage_nulled, NULL },
  { SIGNPOST_ROLE_MANAGER, SIGNPOST_RECORD_CALL, manager_call_nulled, NULL },
  { SIGNPOST_ROLE_MANAGER, SIGNPOST_RECORD_TRIAGE, manager_triage_nulled, manager_triage_emptied },
  { SIGNPOST_ROLE_MANAGER, SIGNPOST_RECORD_APPOINTMENT, manager_appointment_nulled, NULL },
};

#define OP(op) SIGNPOST_OP_MASK (SIGNPOST_OP_##op)

/* What each role may change. @writable limits the fields of a create or
 * update (NULL: any field); @readonly lists fields the role never sets
 * directly (commands set them); @status_values limits the "status" field. */
typedef struct {
  SignpostRole role;
  SignpostRecordKind kind;
  guint ops;
  const char * const *writable;
  const char * const *readonly;
  const char * const *status_values;
} WriteRule;

static const char * const call_writable[] = { "patient_id", "triage_id", NULL };
static const char * const navigator_triage_readonly[] = {
  "duty_notes", "reviewed_by", "reviewed_at", "claimed_by", "created_by", NULL
};
static const char * const clinician_triage_readonly[] = {
  "reviewed_by", "reviewed_at", "created_by", NULL
};
static const char * const appointment_writable[] = { "status", "reason", "cancel_reason", NULL };
static const char * const navigator_appointment_status[] = {
  "booked", "arrived", "did_not_attend", "cancelled", NULL
};
static const char * const clinician_appointment_status[] = {
  "booked", "arrived", "seen", "did_not_attend", "cancelled", NULL
};
static const char * const slot_status[] = { "free", "blocked", NULL };
/* A practice manager runs the practice's online form, nothing else of the
 * practice record (its name, lines and time zone are the administrator's). */
static const char * const manager_practice_writable[] = {
  "online_hours", "online_open_bank_holidays", "online_closed_dates",
  "online_medical_daily_limit", "online_paused", "online_pause_message", NULL
};

static const WriteRule write_rules[] = {
  { SIGNPOST_ROLE_NAVIGATOR, SIGNPOST_RECORD_PATIENT, OP (CREATE) | OP (UPDATE), NULL, NULL, NULL },
  { SIGNPOST_ROLE_NAVIGATOR, SIGNPOST_RECORD_CALL,
    OP (UPDATE) | OP (ANSWER) | OP (END) | OP (COMPLETE), call_writable, NULL, NULL },
  { SIGNPOST_ROLE_NAVIGATOR, SIGNPOST_RECORD_TRIAGE, OP (CREATE) | OP (UPDATE),
    NULL, navigator_triage_readonly, NULL },
  { SIGNPOST_ROLE_NAVIGATOR, SIGNPOST_RECORD_SLOT, OP (BOOK) | OP (CANCEL), NULL, NULL, NULL },
  { SIGNPOST_ROLE_NAVIGATOR, SIGNPOST_RECORD_APPOINTMENT, OP (UPDATE),
    appointment_writable, NULL, navigator_appointment_status },

  { SIGNPOST_ROLE_CLINICIAN, SIGNPOST_RECORD_PATIENT, OP (CREATE) | OP (UPDATE), NULL, NULL, NULL },
  { SIGNPOST_ROLE_CLINICIAN, SIGNPOST_RECORD_CALL,
    OP (UPDATE) | OP (ANSWER) | OP (END) | OP (COMPLETE), call_writable, NULL, NULL },
  { SIGNPOST_ROLE_CLINICIAN, SIGNPOST_RECORD_TRIAGE, OP (CREATE) | OP (UPDATE) | OP (REVIEW),
    NULL, clinician_triage_readonly, NULL },
  { SIGNPOST_ROLE_CLINICIAN, SIGNPOST_RECORD_SLOT,
    OP (CREATE) | OP (UPDATE) | OP (DELETE) | OP (BOOK) | OP (CANCEL), NULL, NULL, slot_status },
  { SIGNPOST_ROLE_CLINICIAN, SIGNPOST_RECORD_APPOINTMENT, OP (UPDATE),
    appointment_writable, NULL, clinician_appointment_status },

  { SIGNPOST_ROLE_MANAGER, SIGNPOST_RECORD_SLOT, OP (CREATE) | OP (UPDATE) | OP (DELETE),
    NULL, NULL, slot_status },
  { SIGNPOST_ROLE_MANAGER, SIGNPOST_RECORD_PRACTICE, OP (UPDATE),
    manager_practice_writable, NULL, NULL },

  { SIGNPOST_ROLE_ADMIN, SIGNPOST_RECORD_PRACTICE, OP (CREATE) | OP (UPDATE), NULL, NULL, NULL },
  { SIGNPOST_ROLE_ADMIN, SIGNPOST_RECORD_USER, OP (CREATE) | OP (UPDATE), NULL, NULL, NULL },
  { SIGNPOST_ROLE_ADMIN, SIGNPOST_RECORD_CLINICIAN, OP (CREATE) | OP (UPDATE) | OP (DELETE),
    NULL, NULL, NULL },
};

#undef OP

static gboolean
role_is_valid (SignpostRole role)
{
  return (guint) role < SIGNPOST_N_ROLES;
}

static gboolean
kind_is_valid (SignpostRecordKind kind)
{
  return (guint) kind < SIGNPOST_N_RECORD_KINDS;
}

static const WriteRule *
find_write_rule (SignpostRole       role,
                 SignpostRecordKind kind)
{
  for (guint i = 0; i < G_N_ELEMENTS (write_rules); i++)
    if (write_rules[i].role == role && write_rules[i].kind == kind)
      return &write_rules[i];
  return NULL;
}

SignpostVisibility
signpost_access_visibility (SignpostRole       role,
                            SignpostRecordKind kind)
{
  if (!role_is_valid (role) || !kind_is_valid (kind))
    return SIGNPOST_VISIBILITY_HIDDEN;
  return read_table[role][kind];
}

/* Admins manage practices and users across the whole server; everything
 * else is limited to the practices in the user's practice_ids. */
gboolean
signpost_access_is_scoped (SignpostRole       role,
                           SignpostRecordKind kind)
{
  return !(role == SIGNPOST_ROLE_ADMIN &&
           (kind == SIGNPOST_RECORD_PRACTICE || kind == SIGNPOST_RECORD_USER));
}

SignpostVisibility
signpost_access_check_read (SignpostPrincipal  *principal,
                            SignpostRecordKind  kind,
                            const char         *practice_id,
                            const char * const *user_practice_ids)
{
  SignpostRole role = signpost_principal_get_role (principal);
  SignpostVisibility visibility = signpost_access_visibility (role, kind);

  if (visibility == SIGNPOST_VISIBILITY_HIDDEN || !signpost_access_is_scoped (role, kind))
    return visibility;
  if (signpost_principal_has_practice (principal, practice_id))
    return visibility;
  /* A user record belongs to every practice its user works for. */
  if (kind == SIGNPOST_RECORD_USER &&
      signpost_principal_shares_practice (principal, user_practice_ids))
    return visibility;
  return SIGNPOST_VISIBILITY_HIDDEN;
}

void
signpost_access_redact (SignpostRole        role,
                        SignpostRecordKind  kind,
                        JsonObject         *data)
{
  for (guint i = 0; i < G_N_ELEMENTS (redact_rules); i++)
    {
      const RedactRule *rule = &redact_rules[i];

      if (rule->role != role || rule->kind != kind)
        continue;
      for (guint j = 0; rule->nulled != NULL && rule->nulled[j] != NULL; j++)
        if (json_object_has_member (data, rule->nulled[j]))
          json_object_set_null_member (data, rule->nulled[j]);
      for (guint j = 0; rule->emptied != NULL && rule->emptied[j] != NULL; j++)
        if (json_object_has_member (data, rule->emptied[j]))
          json_object_set_string_member (data, rule->emptied[j], "");
    }
}

/* The record as @role may read it (the caller has checked that it may). */
JsonObject *
signpost_access_record_to_json (SignpostRole    role,
                                SignpostRecord *record)
{
  JsonObject *data = signpost_object_to_json (SIGNPOST_OBJECT (record));

  if (signpost_access_visibility (role, signpost_record_get_kind (record)) ==
      SIGNPOST_VISIBILITY_REDACTED)
    signpost_access_redact (role, signpost_record_get_kind (record), data);
  return data;
}

gboolean
signpost_access_may_mutate (SignpostRole       role,
                            SignpostRecordKind kind,
                            SignpostOp         op)
{
  const WriteRule *rule = find_write_rule (role, kind);

  return rule != NULL && (rule->ops & SIGNPOST_OP_MASK (op)) != 0;
}

gboolean
signpost_access_check_write (SignpostPrincipal   *principal,
                             SignpostRecordKind   kind,
                             SignpostOp           op,
                             const char          *practice_id,
                             GError             **error)
{
  SignpostRole role = signpost_principal_get_role (principal);

  if (!signpost_access_may_mutate (role, kind, op))
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_FORBIDDEN,
                   _("A %s may not %s a %s record"),
                   signpost_principal_get_role_nick (principal),
                   signpost_enum_to_nick (SIGNPOST_TYPE_OP, op),
                   signpost_record_kind_to_string (kind));
      return FALSE;
    }
  if (signpost_access_is_scoped (role, kind) &&
      !signpost_principal_has_practice (principal, practice_id))
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_FORBIDDEN,
                           _("You do not work for the practice this record belongs to"));
      return FALSE;
    }
  return TRUE;
}

/* Checks the members of a create or update's data against the fields the
 * role may set. The record's own codec checks types and formats. */
gboolean
signpost_access_check_fields (SignpostRole         role,
                              SignpostRecordKind   kind,
                              JsonObject          *data,
                              GError             **error)
{
  const WriteRule *rule = find_write_rule (role, kind);
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;

  if (rule == NULL || data == NULL)
    return TRUE;
  json_object_iter_init (&iter, data);
  while (json_object_iter_next (&iter, &key, &member))
    {
      /* The record's metadata is set by the server and ignored in data. */
      if (g_str_equal (key, "id") || g_str_equal (key, "version") ||
          g_str_equal (key, "seq") || g_str_equal (key, "updated_at") ||
          g_str_equal (key, "practice_id"))
        continue;
      if ((rule->writable != NULL && !g_strv_contains (rule->writable, key)) ||
          (rule->readonly != NULL && g_strv_contains (rule->readonly, key)))
        {
          if (signpost_format_check (SIGNPOST_FORMAT_KEY, key, NULL))
            signpost_set_field_error (error, SIGNPOST_ERROR_FORBIDDEN, key,
                                      _("may not be changed by a %s"),
                                      signpost_enum_to_nick (SIGNPOST_TYPE_ROLE, role));
          else
            g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_FORBIDDEN,
                                 _("The data names a field that may not be changed"));
          return FALSE;
        }
      if (rule->status_values != NULL && g_str_equal (key, "status") &&
          JSON_NODE_HOLDS_VALUE (member) &&
          json_node_get_value_type (member) == G_TYPE_STRING &&
          !g_strv_contains (rule->status_values, json_node_get_string (member)))
        {
          signpost_set_field_error (error, SIGNPOST_ERROR_FORBIDDEN, "status",
                                    _("a %s may not set this status here"),
                                    signpost_enum_to_nick (SIGNPOST_TYPE_ROLE, role));
          return FALSE;
        }
    }
  return TRUE;
}

gboolean
signpost_access_may_read_audit (SignpostRole role)
{
  return role == SIGNPOST_ROLE_ADMIN;
}

gboolean
signpost_access_may_see_queue (SignpostRole role)
{
  return role == SIGNPOST_ROLE_NAVIGATOR || role == SIGNPOST_ROLE_CLINICIAN ||
         role == SIGNPOST_ROLE_MANAGER;
}

/* Statistics are for practice managers and administrators: aggregate
 * counts with no patient in them, but about how colleagues work. */
gboolean
signpost_access_may_see_stats (SignpostRole role)
{
  return role == SIGNPOST_ROLE_MANAGER || role == SIGNPOST_ROLE_ADMIN;
}

/* A manager sees the statistics of the practices they work for; an
 * administrator those of every practice on the server. */
gboolean
signpost_access_may_see_practice_stats (SignpostPrincipal *principal,
                                        const char        *practice_id)
{
  SignpostRole role = signpost_principal_get_role (principal);

  if (!signpost_access_may_see_stats (role))
    return FALSE;
  return role == SIGNPOST_ROLE_ADMIN || signpost_principal_has_practice (principal, practice_id);
}
