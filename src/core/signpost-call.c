/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-call.h"

struct _SignpostCall
{
  SignpostRecord parent_instance;
};

enum {
  PROP_0,
  PROP_CALL_REF,
  PROP_LINE,
  PROP_CLI,
  PROP_STATE,
  PROP_POSITION,
  PROP_OFFERED_AT,
  PROP_ANSWERED_AT,
  PROP_ANSWERED_BY,
  PROP_ENDED_AT,
  PROP_ABANDONED_AT,
  PROP_CALLBACK_NUMBER,
  PROP_CALLBACK_REQUESTED_AT,
  PROP_CALLBACK_DONE_AT,
  PROP_CALLBACK_ATTEMPTS,
  PROP_CALLBACK_OUTCOME,
  PROP_PATIENT_ID,
  PROP_TRIAGE_ID,
  PROP_AGENT,
  PROP_CALLBACK_FIRST_ATTEMPT_AT,
  PROP_FOLLOW_UP,
  PROP_FOLLOWED_UP_AT,
  PROP_FOLLOWED_UP_BY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostCall, signpost_call, SIGNPOST_TYPE_RECORD)

SIGNPOST_STRING_ACCESSORS (SignpostCall, signpost_call, call_ref, PROP_CALL_REF)
SIGNPOST_STRING_ACCESSORS (SignpostCall, signpost_call, line, PROP_LINE)
SIGNPOST_STRING_ACCESSORS (SignpostCall, signpost_call, cli, PROP_CLI)
SIGNPOST_ENUM_ACCESSORS (SignpostCall, signpost_call, state, PROP_STATE, SignpostCallState)
SIGNPOST_INT_ACCESSORS (SignpostCall, signpost_call, position, PROP_POSITION)
SIGNPOST_INSTANT_ACCESSORS (SignpostCall, signpost_call, offered_at, PROP_OFFERED_AT)
SIGNPOST_INSTANT_ACCESSORS (SignpostCall, signpost_call, answered_at, PROP_ANSWERED_AT)
SIGNPOST_STRING_ACCESSORS (SignpostCall, signpost_call, answered_by, PROP_ANSWERED_BY)
SIGNPOST_INSTANT_ACCESSORS (SignpostCall, signpost_call, ended_at, PROP_ENDED_AT)
SIGNPOST_INSTANT_ACCESSORS (SignpostCall, signpost_call, abandoned_at, PROP_ABANDONED_AT)
SIGNPOST_STRING_ACCESSORS (SignpostCall, signpost_call, callback_number, PROP_CALLBACK_NUMBER)
SIGNPOST_INSTANT_ACCESSORS (SignpostCall, signpost_call, callback_requested_at, PROP_CALLBACK_REQUESTED_AT)
SIGNPOST_INSTANT_ACCESSORS (SignpostCall, signpost_call, callback_done_at, PROP_CALLBACK_DONE_AT)
SIGNPOST_INT_ACCESSORS (SignpostCall, signpost_call, callback_attempts, PROP_CALLBACK_ATTEMPTS)
SIGNPOST_ENUM_ACCESSORS (SignpostCall, signpost_call, callback_outcome, PROP_CALLBACK_OUTCOME, SignpostCallbackOutcome)
SIGNPOST_STRING_ACCESSORS (SignpostCall, signpost_call, patient_id, PROP_PATIENT_ID)
SIGNPOST_STRING_ACCESSORS (SignpostCall, signpost_call, triage_id, PROP_TRIAGE_ID)
SIGNPOST_STRING_ACCESSORS (SignpostCall, signpost_call, agent, PROP_AGENT)
SIGNPOST_INSTANT_ACCESSORS (SignpostCall, signpost_call, callback_first_attempt_at, PROP_CALLBACK_FIRST_ATTEMPT_AT)
SIGNPOST_ENUM_ACCESSORS (SignpostCall, signpost_call, follow_up, PROP_FOLLOW_UP, SignpostFollowUp)
SIGNPOST_INSTANT_ACCESSORS (SignpostCall, signpost_call, followed_up_at, PROP_FOLLOWED_UP_AT)
SIGNPOST_STRING_ACCESSORS (SignpostCall, signpost_call, followed_up_by, PROP_FOLLOWED_UP_BY)

static void
signpost_call_class_init (SignpostCallClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);

  SIGNPOST_RECORD_CLASS (klass)->kind = SIGNPOST_RECORD_CALL;

  properties[PROP_CALL_REF] =
    signpost_field_string ("call_ref", SIGNPOST_FORMAT_TEXT, 128, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_LINE] =
    signpost_field_string ("line", SIGNPOST_FORMAT_E164, 16, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_CLI] =
    signpost_field_string ("cli", SIGNPOST_FORMAT_E164, 16, 0);
  properties[PROP_STATE] =
    signpost_field_enum ("state", SIGNPOST_TYPE_CALL_STATE, SIGNPOST_CALL_RINGING, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_POSITION] =
    signpost_field_int ("position", 0, G_MAXINT32, 0, 0);
  properties[PROP_OFFERED_AT] =
    signpost_field_instant ("offered_at", SIGNPOST_FIELD_REQUIRED);
  properties[PROP_ANSWERED_AT] =
    signpost_field_instant ("answered_at", 0);
  properties[PROP_ANSWERED_BY] =
    signpost_field_string ("answered_by", SIGNPOST_FORMAT_UUID, 36, 0);
  properties[PROP_ENDED_AT] =
    signpost_field_instant ("ended_at", 0);
  properties[PROP_ABANDONED_AT] =
    signpost_field_instant ("abandoned_at", 0);
  properties[PROP_CALLBACK_NUMBER] =
    signpost_field_string ("callback_number", SIGNPOST_FORMAT_E164, 16, 0);
  properties[PROP_CALLBACK_REQUESTED_AT] =
    signpost_field_instant ("callback_requested_at", 0);
  properties[PROP_CALLBACK_DONE_AT] =
    signpost_field_instant ("callback_done_at", 0);
  properties[PROP_CALLBACK_ATTEMPTS] =
    signpost_field_int ("callback_attempts", 0, 100, 0, 0);
  properties[PROP_CALLBACK_OUTCOME] =
    signpost_field_enum ("callback_outcome", SIGNPOST_TYPE_CALLBACK_OUTCOME, SIGNPOST_CALLBACK_OUTCOME_NONE, 0);
  properties[PROP_PATIENT_ID] =
    signpost_field_string ("patient_id", SIGNPOST_FORMAT_UUID, 36, 0);
  properties[PROP_TRIAGE_ID] =
    signpost_field_string ("triage_id", SIGNPOST_FORMAT_UUID, 36, 0);
  /* Who answered at the phone system (call.answered), when no Signpost
   * user did: the phone system's own name for them. */
  properties[PROP_AGENT] =
    signpost_field_string ("agent", SIGNPOST_FORMAT_TEXT, 128, 0);
  /* A callback's first unanswered try (the second one ends it: its time
   * is callback_done_at). */
  properties[PROP_CALLBACK_FIRST_ATTEMPT_AT] =
    signpost_field_instant ("callback_first_attempt_at", 0);
  /* After a failed contact: what the practice did next, when, by whom. */
  properties[PROP_FOLLOW_UP] =
    signpost_field_enum ("follow_up", SIGNPOST_TYPE_FOLLOW_UP, SIGNPOST_FOLLOW_UP_NONE, 0);
  properties[PROP_FOLLOWED_UP_AT] =
    signpost_field_instant ("followed_up_at", 0);
  properties[PROP_FOLLOWED_UP_BY] =
    signpost_field_string ("followed_up_by", SIGNPOST_FORMAT_UUID, 36, 0);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_call_init (SignpostCall *self)
{
}

SignpostCall *
signpost_call_new (void)
{
  return g_object_new (SIGNPOST_TYPE_CALL, NULL);
}

guint
signpost_call_count_callbacks_due (SignpostCall * const *queue,
                                   guint                 n_calls)
{
  guint due = 0;

  for (guint i = 0; i < n_calls; i++)
    {
      SignpostCallState state = signpost_call_get_state (queue[i]);

      if (state == SIGNPOST_CALL_QUEUED)
        break;
      if (state == SIGNPOST_CALL_CALLBACK_REQUESTED)
        due++;
    }
  return due;
}
