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

/*
 * What each role may change (PROTOCOL.md, "Who writes what"): the
 * operations, and the fields a create or update may set, each with the
 * values it may take (NULL: any). A field not listed is refused, so a new
 * model field is written by nobody until it is listed here. The fields
 * commands set (a triage record's review, a slot's booking, a call's
 * state) are not listed: only the commands set them. The server's own
 * fields (id, version, seq, updated_at, created_at) are never taken from
 * a client.
 */
typedef struct {
  const char *name;
  const char * const *values;
} FieldRule;

typedef struct {
  SignpostRole role;
  SignpostRecordKind kind;
  guint ops;
  const FieldRule *fields;          /* ends with a NULL name */
} WriteRule;

static const char * const navigator_triage_status[] = {
  "open", "awaiting_duty", "booked", "signposted", "closed", NULL
};
/* "reviewed" is the review's alone, whoever asks. */
static const char * const clinician_triage_status[] = {
  "open", "awaiting_duty", "booked", "signposted", "closed", NULL
};
static const char * const navigator_appointment_status[] = {
  "booked", "arrived", "did_not_attend", "cancelled", NULL
};
static const char * const clinician_appointment_status[] = {
  "booked", "arrived", "seen", "did_not_attend", "cancelled", NULL
};
static const char * const slot_status[] = { "free", "blocked", NULL };

#define ONLINE_FORM_FIELDS \
  { "online_hours" }, { "online_open_bank_holidays" }, { "online_closed_dates" }, \
  { "online_medical_daily_limit" }, { "online_paused" }, { "online_pause_message" }
static const FieldRule practice_fields[] = {
  { "ods_code" }, { "name" }, { "lines" }, { "time_zone" }, ONLINE_FORM_FIELDS, { NULL }
};
/* A practice manager runs the practice's online form, nothing else of the
 * practice record (its name, lines and time zone are the administrator's). */
static const FieldRule manager_practice_fields[] = { ONLINE_FORM_FIELDS, { NULL } };
#undef ONLINE_FORM_FIELDS
static const FieldRule user_fields[] = {
  { "username" }, { "display_name" }, { "role" }, { "roles" }, { "practice_ids" },
  { "clinician_id" }, { "disabled" }, { "hub" }, { NULL }
};
static const FieldRule clinician_fields[] = {
  { "title" }, { "given_name" }, { "family_name" }, { "profession" }, { "duty" }, { NULL }
};
static const FieldRule patient_fields[] = {
  { "nhs_number" }, { "given_name" }, { "family_name" }, { "date_of_birth" }, { "sex" },
  { "phones" }, { "postcode" }, { "usual_clinician_id" }, { "alerts" }, { "temporary" },
  { "patient_ref" }, { "left_at" }, { NULL }
};
static const FieldRule call_fields[] = { { "patient_id" }, { "triage_id" }, { NULL } };
#define NAVIGATION_FIELDS \
  { "patient_id" }, { "call_id" }, { "caller_relationship" }, { "caller_name" }, { "reason" }, \
  { "red_flags" }, { "urgency" }, { "route" }, { "contact_method" }, { "contact_number" }, \
  { "outcome" }, { "pharmacy_first" }, { "pharmacy_first_taken" }, { "navigator_notes" }, \
  { "request_type" }, { "admin_topic" }, { "symptom_duration" }, { "hoped_outcome" }, \
  { "patient_details" }, { "contact_times" }, { "contact_message_ok" }, { "screened_flags" }
static const FieldRule navigator_triage_fields[] = {
  NAVIGATION_FIELDS, { "status", navigator_triage_status }, { NULL }
};
/* Plus the duty doctor's own working notes and claim. */
static const FieldRule clinician_triage_fields[] = {
  NAVIGATION_FIELDS, { "status", clinician_triage_status }, { "duty_notes" }, { "claimed_by" },
  { NULL }
};
#undef NAVIGATION_FIELDS
static const FieldRule slot_fields[] = {
  { "clinician_id" }, { "start" }, { "duration_minutes" }, { "mode" }, { "release_at" },
  { "hub_bookable" }, { "status", slot_status }, { NULL }
};
static const FieldRule navigator_appointment_fields[] = {
  { "status", navigator_appointment_status }, { "reason" }, { "cancel_reason" }, { NULL }
};
static const FieldRule clinician_appointment_fields[] = {
  { "status", clinician_appointment_status }, { "reason" }, { "cancel_reason" }, { NULL }
};
static const FieldRule no_fields[] = { { NULL } };

static const WriteRule write_rules[] = {
  { SIGNPOST_ROLE_NAVIGATOR, SIGNPOST_RECORD_PATIENT, OP (CREATE) | OP (UPDATE), patient_fields },
  { SIGNPOST_ROLE_NAVIGATOR, SIGNPOST_RECORD_CALL,
    OP (UPDATE) | OP (ANSWER) | OP (END) | OP (COMPLETE), call_fields },
  { SIGNPOST_ROLE_NAVIGATOR, SIGNPOST_RECORD_TRIAGE, OP (CREATE) | OP (UPDATE),
    navigator_triage_fields },
  { SIGNPOST_ROLE_NAVIGATOR, SIGNPOST_RECORD_SLOT, OP (BOOK) | OP (CANCEL), no_fields },
  { SIGNPOST_ROLE_NAVIGATOR, SIGNPOST_RECORD_APPOINTMENT, OP (UPDATE),
    navigator_appointment_fields },

  { SIGNPOST_ROLE_CLINICIAN, SIGNPOST_RECORD_PATIENT, OP (CREATE) | OP (UPDATE), patient_fields },
  { SIGNPOST_ROLE_CLINICIAN, SIGNPOST_RECORD_CALL,
    OP (UPDATE) | OP (ANSWER) | OP (END) | OP (COMPLETE), call_fields },
  { SIGNPOST_ROLE_CLINICIAN, SIGNPOST_RECORD_TRIAGE, OP (CREATE) | OP (UPDATE) | OP (REVIEW),
    clinician_triage_fields },
  { SIGNPOST_ROLE_CLINICIAN, SIGNPOST_RECORD_SLOT,
    OP (CREATE) | OP (UPDATE) | OP (DELETE) | OP (BOOK) | OP (CANCEL), slot_fields },
  { SIGNPOST_ROLE_CLINICIAN, SIGNPOST_RECORD_APPOINTMENT, OP (UPDATE),
    clinician_appointment_fields },

  { SIGNPOST_ROLE_MANAGER, SIGNPOST_RECORD_SLOT, OP (CREATE) | OP (UPDATE) | OP (DELETE),
    slot_fields },
  { SIGNPOST_ROLE_MANAGER, SIGNPOST_RECORD_PRACTICE, OP (UPDATE), manager_practice_fields },

  { SIGNPOST_ROLE_ADMIN, SIGNPOST_RECORD_PRACTICE, OP (CREATE) | OP (UPDATE), practice_fields },
  { SIGNPOST_ROLE_ADMIN, SIGNPOST_RECORD_USER, OP (CREATE) | OP (UPDATE), user_fields },
  { SIGNPOST_ROLE_ADMIN, SIGNPOST_RECORD_CLINICIAN, OP (CREATE) | OP (UPDATE) | OP (DELETE),
    clinician_fields },
};

/*
 * Changes a role may not make to a record in a given state, whatever the
 * fields allow: a request with the duty doctor ("awaiting_duty") is the
 * doctor's. Until the review, nobody moves its status by an update, and a
 * navigator may raise its urgency or add red flags but never lower or
 * remove them.
 */
typedef enum {
  GUARD_KEEP,           /* may not change */
  GUARD_NO_LOWER,       /* may not move later in @order */
  GUARD_NO_REMOVAL,     /* a list: may gain members, not lose any */
} Guard;

typedef struct {
  SignpostRole role;
  SignpostRecordKind kind;
  const char *state_field;
  const char *state_value;
  const char *field;
  Guard guard;
  const char * const *order;        /* GUARD_NO_LOWER: most urgent first */
} ChangeRule;

static const char * const urgency_order[] = {
  "emergency", "same_day", "within_2_weeks", "routine", NULL
};

static const ChangeRule change_rules[] = {
  { SIGNPOST_ROLE_NAVIGATOR, SIGNPOST_RECORD_TRIAGE, "status", "awaiting_duty",
    "status", GUARD_KEEP, NULL },
  { SIGNPOST_ROLE_NAVIGATOR, SIGNPOST_RECORD_TRIAGE, "status", "awaiting_duty",
    "urgency", GUARD_NO_LOWER, urgency_order },
  { SIGNPOST_ROLE_NAVIGATOR, SIGNPOST_RECORD_TRIAGE, "status", "awaiting_duty",
    "red_flags", GUARD_NO_REMOVAL, NULL },
  { SIGNPOST_ROLE_NAVIGATOR, SIGNPOST_RECORD_TRIAGE, "status", "awaiting_duty",
    "screened_flags", GUARD_NO_REMOVAL, NULL },
  { SIGNPOST_ROLE_CLINICIAN, SIGNPOST_RECORD_TRIAGE, "status", "awaiting_duty",
    "status", GUARD_KEEP, NULL },
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

static gboolean
is_server_field (SignpostRecordKind  kind,
                 const char         *key)
{
  g_autoptr(GTypeClass) klass = g_type_class_ref (signpost_record_type_for_kind (kind));
  GParamSpec *field = signpost_object_class_find_field (SIGNPOST_OBJECT_CLASS (klass), key);

  return field != NULL && (signpost_field_get_flags (field) & SIGNPOST_FIELD_SERVER) != 0;
}

static const FieldRule *
find_field_rule (const WriteRule *rule,
                 const char      *name)
{
  for (const FieldRule *field = rule->fields; field != NULL && field->name != NULL; field++)
    if (g_str_equal (field->name, name))
      return field;
  return NULL;
}

/* Checks the members of a create or update's data against the fields the
 * role may set, and their values. The record's own codec checks types
 * and formats. */
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
      const FieldRule *field;

      /* The record's metadata and the server's own fields (created_at)
       * are set by the server; the codec ignores them in data. */
      if (g_str_equal (key, "practice_id") || is_server_field (kind, key))
        continue;
      field = find_field_rule (rule, key);
      if (field == NULL)
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
      if (field->values != NULL && JSON_NODE_HOLDS_VALUE (member) &&
          json_node_get_value_type (member) == G_TYPE_STRING &&
          !g_strv_contains (field->values, json_node_get_string (member)))
        {
          signpost_set_field_error (error, SIGNPOST_ERROR_FORBIDDEN, key,
                                    _("a %s may not set this value here"),
                                    signpost_enum_to_nick (SIGNPOST_TYPE_ROLE, role));
          return FALSE;
        }
    }
  return TRUE;
}

static gboolean
member_equal (JsonObject *a,
              JsonObject *b,
              const char *name)
{
  JsonNode *x = json_object_get_member (a, name);
  JsonNode *y = json_object_get_member (b, name);

  if (x == NULL || y == NULL)
    return x == y;
  return json_node_equal (x, y);
}

static int
rank (const char * const *order,
      JsonObject         *object,
      const char         *name)
{
  const char *value = json_object_get_string_member_with_default (object, name, NULL);

  for (int i = 0; value != NULL && order[i] != NULL; i++)
    if (g_str_equal (order[i], value))
      return i;
  return G_MAXINT;
}

static gboolean
lost_a_member (JsonObject *before,
               JsonObject *after,
               const char *name)
{
  JsonNode *was = json_object_get_member (before, name);
  JsonNode *now = json_object_get_member (after, name);
  JsonArray *old_list, *new_list;

  if (was == NULL || !JSON_NODE_HOLDS_ARRAY (was))
    return FALSE;
  if (now == NULL || !JSON_NODE_HOLDS_ARRAY (now))
    return json_array_get_length (json_node_get_array (was)) > 0;
  old_list = json_node_get_array (was);
  new_list = json_node_get_array (now);
  for (guint i = 0; i < json_array_get_length (old_list); i++)
    {
      JsonNode *item = json_array_get_element (old_list, i);
      gboolean kept = FALSE;

      for (guint j = 0; !kept && j < json_array_get_length (new_list); j++)
        kept = json_node_equal (item, json_array_get_element (new_list, j));
      if (!kept)
        return TRUE;
    }
  return FALSE;
}

/**
 * signpost_access_check_change:
 * @before: the record as stored (JSON)
 * @after: the record as the update would leave it
 *
 * Checks the change rules for the record's state (see change_rules).
 */
gboolean
signpost_access_check_change (SignpostRole         role,
                              SignpostRecordKind   kind,
                              JsonObject          *before,
                              JsonObject          *after,
                              GError             **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (change_rules); i++)
    {
      const ChangeRule *rule = &change_rules[i];
      const char *state;
      gboolean broken = FALSE;

      if (rule->role != role || rule->kind != kind)
        continue;
      state = json_object_get_string_member_with_default (before, rule->state_field, NULL);
      if (g_strcmp0 (state, rule->state_value) != 0)
        continue;
      switch (rule->guard)
        {
        case GUARD_KEEP:
          broken = !member_equal (before, after, rule->field);
          break;
        case GUARD_NO_LOWER:
          broken = rank (rule->order, after, rule->field) > rank (rule->order, before, rule->field);
          break;
        case GUARD_NO_REMOVAL:
          broken = lost_a_member (before, after, rule->field);
          break;
        default:
          g_assert_not_reached ();
        }
      if (broken)
        {
          signpost_set_field_error (error, SIGNPOST_ERROR_FORBIDDEN, rule->field,
                                    _("may not be changed this way while the request is with "
                                      "the duty doctor (%s); the doctor’s review decides"),
                                    rule->state_value);
          return FALSE;
        }
    }
  return TRUE;
}

/* Roles that read patients' records and the requests about them. */
gboolean
signpost_access_role_is_clinical (SignpostRole role)
{
  return role == SIGNPOST_ROLE_NAVIGATOR || role == SIGNPOST_ROLE_CLINICIAN;
}

static gboolean
user_holds (SignpostUser *user,
            SignpostRole  role)
{
  const char * const *roles;

  if (user == NULL)
    return FALSE;
  roles = signpost_user_get_roles (user);
  return signpost_user_get_role (user) == role ||
         (roles != NULL && g_strv_contains (roles, signpost_enum_to_nick (SIGNPOST_TYPE_ROLE, role)));
}

/**
 * signpost_access_granted_clinical_roles:
 * @before: (nullable): the user as stored, or %NULL for a new one
 *
 * Returns: (transfer full): the clinical roles @after holds that @before
 *   did not, as nicks, comma-separated; %NULL if none.
 */
char *
signpost_access_granted_clinical_roles (SignpostUser *before,
                                        SignpostUser *after)
{
  g_autoptr(GString) granted = NULL;

  for (SignpostRole role = 0; role < SIGNPOST_N_ROLES; role++)
    if (signpost_access_role_is_clinical (role) && user_holds (after, role) &&
        !user_holds (before, role))
      {
        if (granted == NULL)
          granted = g_string_new (NULL);
        else
          g_string_append_c (granted, ',');
        g_string_append (granted, signpost_enum_to_nick (SIGNPOST_TYPE_ROLE, role));
      }
  return granted ? g_string_free (g_steal_pointer (&granted), FALSE) : NULL;
}

/**
 * signpost_access_check_user_change:
 * @before: (nullable): the user as stored, or %NULL for a new one
 *
 * Nobody changes their own roles: an administrator who could would give
 * itself a clinical role and read every patient.
 */
gboolean
signpost_access_check_user_change (SignpostPrincipal  *principal,
                                   SignpostUser       *before,
                                   SignpostUser       *after,
                                   GError            **error)
{
  if (principal == NULL || before == NULL ||
      g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (after)),
                 signpost_principal_get_user_id (principal)) != 0)
    return TRUE;
  for (SignpostRole role = 0; role < SIGNPOST_N_ROLES; role++)
    if (user_holds (before, role) != user_holds (after, role))
      {
        signpost_set_field_error (error, SIGNPOST_ERROR_FORBIDDEN,
                                  signpost_user_get_role (before) != signpost_user_get_role (after)
                                  ? "role" : "roles",
                                  _("you may not change your own roles; ask another administrator"));
        return FALSE;
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
