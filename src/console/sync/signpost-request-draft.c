/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "signpost-enum-types.h"
#include "signpost-request-draft.h"
#include "signpost-sync-error.h"

#define KEY_PREFIX "triage:"

static const char * const rag_nicks[] = { "red", "amber", "green", NULL };

/*
 * Version 1 drafts (written before drafts held values) stored the row
 * numbers of the form's lists. These are the rows as they were then, and
 * must never change: a list that gains a row later does not change what
 * an old draft meant.
 */
static const char * const v1_relationship_rows[] = { "self", "parent", "carer", "other", NULL };
static const char * const v1_route_rows[] = { "clinician", "duty", "profession", "signpost", NULL };
static const char * const v1_profession_rows[] = {
  "gp", "nurse", "hca", "clinical_pharmacist", "first_contact_physio", "paramedic",
  "mental_health_practitioner", "social_prescriber", NULL
};
static const char * const v1_signpost_rows[] = {
  "community_pharmacy", "pharmacy_first", "nhs_111", "emergency_999", "optometrist", "dentist",
  "self_care", "talking_therapies", "social_prescribing", "sexual_health", NULL
};
static const char * const v1_contact_rows[] = { "phone", "text", "video", "in_person", NULL };
static const char * const v1_outcome_rows[] = {
  "none", "booked", "signposted", "sent_to_duty", "advice_given", "failed_contact", NULL
};
/* Version 1 stored the urgency as the SignpostRag value: red, amber, green. */

/* ---- reading members ---------------------------------------------------------- */

static const char *
string_member (JsonObject *object,
               const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

static gboolean
boolean_member (JsonObject *object,
                const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  return node != NULL && json_node_get_value_type (node) == G_TYPE_BOOLEAN && json_node_get_boolean (node);
}

/* The nick of @key: a string in version 2, a row of @rows in version 1;
 * NULL when absent or not understood. */
static const char *
nick_member (JsonObject         *object,
             const char         *key,
             guint               version,
             const char * const *rows)
{
  JsonNode *node = json_object_get_member (object, key);
  gint64 row;

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node))
    return NULL;
  if (version >= 2)
    return json_node_get_value_type (node) == G_TYPE_STRING ? json_node_get_string (node) : NULL;
  if (json_node_get_value_type (node) != G_TYPE_INT64)
    return NULL;
  row = json_node_get_int (node);
  if (row < 0 || row >= (gint64) g_strv_length ((char **) rows))
    return NULL;
  return rows[row];
}

/* @nick as a value of @type; @fallback when it is none of them. */
static int
enum_value (GType       type,
            const char *nick,
            int         fallback)
{
  int value;

  if (nick != NULL && signpost_enum_from_nick (type, nick, &value))
    return value;
  return fallback;
}

static int
rag_value (const char *nick)
{
  for (guint i = 0; rag_nicks[i] != NULL; i++)
    if (g_strcmp0 (rag_nicks[i], nick) == 0)
      return (int) i;
  return -1;
}

/* ---- public ---------------------------------------------------------------------- */

SignpostRequestDraft *
signpost_request_draft_new (const char *triage_id)
{
  SignpostRequestDraft *self = g_new0 (SignpostRequestDraft, 1);

  self->triage_id = g_strdup (triage_id);
  self->relationship = SIGNPOST_CALLER_SELF;
  self->rag = -1;
  self->route = SIGNPOST_ROUTE_DUTY;
  self->profession = -1;
  self->signpost = -1;
  self->contact = SIGNPOST_CONTACT_PHONE;
  self->outcome = SIGNPOST_OUTCOME_NONE;
  return self;
}

void
signpost_request_draft_free (SignpostRequestDraft *self)
{
  if (self == NULL)
    return;
  g_free (self->triage_id);
  g_free (self->call_id);
  g_free (self->patient_id);
  g_free (self->practice_id);
  g_free (self->caller_name);
  g_free (self->reason);
  g_strfreev (self->red_flags);
  g_free (self->clinician_id);
  g_free (self->number);
  g_free (self->notes);
  g_free (self->pharmacy_first);
  g_free (self);
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

JsonObject *
signpost_request_draft_to_json (const SignpostRequestDraft *self)
{
  JsonObject *object = json_object_new ();
  g_autoptr(JsonArray) flags = json_array_new ();

  g_return_val_if_fail (self != NULL, object);

  for (guint i = 0; self->red_flags != NULL && self->red_flags[i] != NULL; i++)
    json_array_add_string_element (flags, self->red_flags[i]);
  json_object_set_int_member (object, "version", SIGNPOST_REQUEST_DRAFT_VERSION);
  set_nullable (object, "triage_id", self->triage_id);
  set_nullable (object, "call_id", self->call_id);
  set_nullable (object, "patient_id", self->patient_id);
  set_nullable (object, "practice_id", self->practice_id);
  json_object_set_string_member (object, "relationship",
                                 signpost_enum_to_nick (SIGNPOST_TYPE_CALLER_RELATIONSHIP, self->relationship));
  set_nullable (object, "caller_name", self->caller_name);
  set_nullable (object, "reason", self->reason);
  json_object_set_array_member (object, "red_flags", g_steal_pointer (&flags));
  set_nullable (object, "rag", self->rag >= 0 && self->rag < (int) G_N_ELEMENTS (rag_nicks) - 1
                               ? rag_nicks[self->rag] : NULL);
  json_object_set_string_member (object, "route", signpost_enum_to_nick (SIGNPOST_TYPE_ROUTE_KIND, self->route));
  set_nullable (object, "clinician_id", self->clinician_id);
  set_nullable (object, "profession", self->profession >= 0
                                      ? signpost_enum_to_nick (SIGNPOST_TYPE_PROFESSION, self->profession) : NULL);
  set_nullable (object, "signpost", self->signpost >= 0
                                    ? signpost_enum_to_nick (SIGNPOST_TYPE_SIGNPOST, self->signpost) : NULL);
  json_object_set_string_member (object, "contact", signpost_enum_to_nick (SIGNPOST_TYPE_CONTACT_METHOD, self->contact));
  set_nullable (object, "number", self->number);
  set_nullable (object, "notes", self->notes);
  json_object_set_string_member (object, "outcome", signpost_enum_to_nick (SIGNPOST_TYPE_TRIAGE_OUTCOME, self->outcome));
  set_nullable (object, "pharmacy_first", self->pharmacy_first);
  json_object_set_boolean_member (object, "pharmacy_first_taken", self->pharmacy_first_taken);
  json_object_set_boolean_member (object, "pharmacy_dismissed", self->pharmacy_dismissed);
  json_object_set_boolean_member (object, "route_touched", self->route_touched);
  json_object_set_boolean_member (object, "outcome_touched", self->outcome_touched);
  json_object_set_boolean_member (object, "number_touched", self->number_touched);
  return object;
}

SignpostRequestDraft *
signpost_request_draft_new_from_json (JsonObject  *object,
                                      GError     **error)
{
  g_autoptr(SignpostRequestDraft) self = NULL;
  JsonNode *version_node;
  JsonNode *flags_node;
  guint version = 1;

  if (object == NULL || string_member (object, "triage_id") == NULL)
    {
      g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CACHE,
                           _("This is not a request being written."));
      return NULL;
    }
  version_node = json_object_get_member (object, "version");
  if (version_node != NULL && json_node_get_value_type (version_node) == G_TYPE_INT64)
    version = (guint) CLAMP (json_node_get_int (version_node), 1, G_MAXINT);
  if (version > SIGNPOST_REQUEST_DRAFT_VERSION)
    {
      g_set_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CACHE,
                   _("This request was written by a newer Signpost (draft version %u)."), version);
      return NULL;
    }

  self = signpost_request_draft_new (string_member (object, "triage_id"));
  self->call_id = g_strdup (string_member (object, "call_id"));
  self->patient_id = g_strdup (string_member (object, "patient_id"));
  self->practice_id = g_strdup (string_member (object, "practice_id"));
  self->relationship = enum_value (SIGNPOST_TYPE_CALLER_RELATIONSHIP,
                                   nick_member (object, "relationship", version, v1_relationship_rows),
                                   SIGNPOST_CALLER_SELF);
  self->caller_name = g_strdup (string_member (object, "caller_name"));
  self->reason = g_strdup (string_member (object, "reason"));
  flags_node = json_object_get_member (object, "red_flags");
  if (flags_node != NULL && JSON_NODE_HOLDS_ARRAY (flags_node))
    {
      JsonArray *flags = json_node_get_array (flags_node);
      g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

      for (guint i = 0; i < json_array_get_length (flags); i++)
        {
          JsonNode *flag = json_array_get_element (flags, i);
          if (json_node_get_value_type (flag) == G_TYPE_STRING)
            g_strv_builder_add (builder, json_node_get_string (flag));
        }
      self->red_flags = g_strv_builder_end (builder);
    }
  if (version >= 2)
    self->rag = rag_value (string_member (object, "rag"));
  else
    {
      JsonNode *node = json_object_get_member (object, "rag");
      gint64 rag = node && json_node_get_value_type (node) == G_TYPE_INT64 ? json_node_get_int (node) : -1;
      self->rag = rag >= 0 && rag < (gint64) G_N_ELEMENTS (rag_nicks) - 1 ? (int) rag : -1;
    }
  self->route = enum_value (SIGNPOST_TYPE_ROUTE_KIND, nick_member (object, "route", version, v1_route_rows),
                            SIGNPOST_ROUTE_DUTY);
  self->clinician_id = g_strdup (string_member (object, "clinician_id"));
  self->profession = enum_value (SIGNPOST_TYPE_PROFESSION,
                                 nick_member (object, "profession", version, v1_profession_rows), -1);
  self->signpost = enum_value (SIGNPOST_TYPE_SIGNPOST, nick_member (object, "signpost", version, v1_signpost_rows),
                               -1);
  self->contact = enum_value (SIGNPOST_TYPE_CONTACT_METHOD, nick_member (object, "contact", version, v1_contact_rows),
                              SIGNPOST_CONTACT_PHONE);
  self->number = g_strdup (string_member (object, "number"));
  self->notes = g_strdup (string_member (object, "notes"));
  self->outcome = enum_value (SIGNPOST_TYPE_TRIAGE_OUTCOME, nick_member (object, "outcome", version, v1_outcome_rows),
                              SIGNPOST_OUTCOME_NONE);
  self->pharmacy_first = g_strdup (string_member (object, "pharmacy_first"));
  self->pharmacy_first_taken = boolean_member (object, "pharmacy_first_taken");
  self->pharmacy_dismissed = boolean_member (object, "pharmacy_dismissed");
  self->route_touched = boolean_member (object, "route_touched");
  self->outcome_touched = boolean_member (object, "outcome_touched");
  self->number_touched = boolean_member (object, "number_touched");
  return g_steal_pointer (&self);
}

gboolean
signpost_request_draft_save (const SignpostRequestDraft  *self,
                             SignpostCache               *cache,
                             GError                     **error)
{
  g_autoptr(JsonObject) object = NULL;
  g_autofree char *key = NULL;

  g_return_val_if_fail (self != NULL && self->triage_id != NULL, FALSE);
  g_return_val_if_fail (SIGNPOST_IS_CACHE (cache), FALSE);

  object = signpost_request_draft_to_json (self);
  key = g_strconcat (KEY_PREFIX, self->triage_id, NULL);
  return signpost_cache_save_draft (cache, key, object, error);
}

SignpostRequestDraft *
signpost_request_draft_load (SignpostCache *cache,
                             const char    *triage_id)
{
  g_autofree char *key = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(GError) error = NULL;
  SignpostRequestDraft *self;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (cache), NULL);

  if (triage_id == NULL)
    return NULL;
  key = g_strconcat (KEY_PREFIX, triage_id, NULL);
  object = signpost_cache_load_draft (cache, key);
  if (object == NULL)
    return NULL;
  self = signpost_request_draft_new_from_json (object, &error);
  if (self == NULL)
    g_warning ("The request being written as %s cannot be read: %s", key, error->message);
  return self;
}

gboolean
signpost_request_draft_delete (SignpostCache  *cache,
                               const char     *triage_id,
                               GError        **error)
{
  g_autofree char *key = NULL;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (cache), FALSE);

  key = g_strconcat (KEY_PREFIX, triage_id, NULL);
  return signpost_cache_delete_draft (cache, key, error);
}

GStrv
signpost_request_draft_list (SignpostCache  *cache,
                             GError        **error)
{
  g_auto(GStrv) keys = NULL;
  g_autoptr(GStrvBuilder) ids = g_strv_builder_new ();

  g_return_val_if_fail (SIGNPOST_IS_CACHE (cache), NULL);

  keys = signpost_cache_list_drafts (cache, KEY_PREFIX, error);
  if (keys == NULL)
    return NULL;
  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    g_strv_builder_add (ids, keys[i] + strlen (KEY_PREFIX));
  return g_strv_builder_end (ids);
}
