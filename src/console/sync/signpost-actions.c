/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-actions-private.h"
#include "signpost-cache-private.h"
#include "signpost-enum-types.h"
#include "signpost-navigation.h"
#include "signpost-sync-enum-types.h"
#include "signpost-sync-error.h"

/*
 * Every command here is a mutation built in one place: the pages pass
 * typed values, this file turns them into what PROTOCOL.md says the server
 * takes, and the outbox saves it. The session's facts are the engine's,
 * followed (notify) so that pages need not know the engine exists.
 */

enum {
  PROP_0,
  PROP_CACHE,
  PROP_CHANGES,
  PROP_USER,
  PROP_ROLE,
  PROP_PRACTICES,
  PROP_PRACTICE_ID,
  PROP_STATE,
  PROP_CALL_HUB,
  N_PROPS
};

enum {
  PATIENT_ALREADY_BOOKED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (SignpostActions, signpost_actions, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- helpers -------------------------------------------------------------------------- */

gboolean
signpost_actions_need_outbox (SignpostActions  *self,
                              GError          **error)
{
  if (self->outbox != NULL && self->cache != NULL)
    return TRUE;
  g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CACHE,
                       _("Nobody is signed in on this PC."));
  return FALSE;
}

static gpointer
cached_record (SignpostActions     *self,
               SignpostRecordKind   kind,
               const char          *id,
               GError             **error)
{
  g_autoptr(GError) local_error = NULL;
  gpointer record;

  if (!signpost_actions_need_outbox (self, error))
    return NULL;
  record = id ? signpost_cache_get_record (self->cache, kind, id, &local_error) : NULL;
  if (local_error != NULL)
    g_propagate_error (error, g_steal_pointer (&local_error));
  else if (record == NULL)
    g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CACHE,
                         _("That record is no longer on this PC: it may have been removed meanwhile."));
  return record;
}

/* A command (book, cancel, review) with @data (owned) through the outbox. */
static gboolean
enqueue_command (SignpostActions     *self,
                 SignpostRecordKind   kind,
                 const char          *id,
                 SignpostOp           op,
                 JsonObject          *data,
                 const char          *label,
                 GError             **error)
{
  g_autoptr(JsonObject) owned = data;
  g_autoptr(SignpostMutation) mutation = NULL;
  g_autoptr(JsonNode) node = NULL;

  if (!signpost_actions_need_outbox (self, error))
    return FALSE;
  mutation = signpost_mutation_new ();
  signpost_mutation_set_kind (mutation, kind);
  signpost_mutation_set_op (mutation, op);
  signpost_mutation_set_id (mutation, id);
  node = json_node_init_object (json_node_alloc (), owned);
  signpost_mutation_set_data (mutation, node);
  return signpost_outbox_enqueue (self->outbox, mutation, label, error);
}

/* ---- following the engine --------------------------------------------------------------- */

static void
on_outbox_result (SignpostActions        *self,
                  SignpostMutationResult *result)
{
  const char * const *warnings = signpost_mutation_result_get_warnings (result);
  JsonNode *record = signpost_mutation_result_get_record (result);
  g_autoptr(SignpostRecord) appointment = NULL;

  if (warnings == NULL || !g_strv_contains (warnings, "patient_already_booked_today"))
    return;
  if (record != NULL && JSON_NODE_HOLDS_OBJECT (record))
    appointment = signpost_record_new_from_json (SIGNPOST_RECORD_APPOINTMENT, json_node_get_object (record),
                                                 SIGNPOST_DECODE_PATCH, NULL);
  g_signal_emit (self, signals[PATIENT_ALREADY_BOOKED], 0,
                 appointment ? signpost_appointment_get_patient_id (SIGNPOST_APPOINTMENT (appointment)) : NULL,
                 appointment ? signpost_record_get_id (appointment) : NULL);
}

static void
follow_cache (SignpostActions *self)
{
  SignpostCache *cache = self->engine ? signpost_sync_engine_get_cache (self->engine) : NULL;
  SignpostOutbox *outbox = self->engine ? signpost_sync_engine_get_outbox (self->engine) : NULL;
  gboolean cache_changed = cache != self->cache;
  gboolean outbox_changed = outbox != self->outbox;

  if (cache_changed)
    {
      g_set_object (&self->cache, cache);
      /* Another user's, or another server's: our answers were to theirs. */
      g_hash_table_remove_all (self->versions);
    }
  if (outbox_changed)
    {
      if (self->outbox != NULL)
        g_signal_handlers_disconnect_by_data (self->outbox, self);
      g_set_object (&self->outbox, outbox);
      if (outbox != NULL)
        g_signal_connect_object (outbox, "result", G_CALLBACK (on_outbox_result), self, G_CONNECT_SWAPPED);
    }
  if (cache_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CACHE]);
  if (outbox_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHANGES]);
}

static void
follow_state (SignpostActions *self)
{
  SignpostSyncState state = self->engine ? signpost_sync_engine_get_state (self->engine)
                                         : SIGNPOST_SYNC_STATE_OFFLINE;

  if (state == self->state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

static void
on_engine_notify (SignpostActions *self,
                  GParamSpec      *pspec)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_str_equal (name, "cache") || g_str_equal (name, "outbox"))
    follow_cache (self);
  else if (g_str_equal (name, "state"))
    follow_state (self);
  else if (g_str_equal (name, "user"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER]);
  else if (g_str_equal (name, "role"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ROLE]);
  else if (g_str_equal (name, "practices"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTICES]);
  else if (g_str_equal (name, "practice-id"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTICE_ID]);
}

/* ---- GObject ------------------------------------------------------------------------------ */

static void
signpost_actions_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SignpostActions *self = SIGNPOST_ACTIONS (object);

  switch (prop_id)
    {
    case PROP_CACHE:
      g_value_set_object (value, self->cache);
      break;
    case PROP_CHANGES:
      g_value_set_object (value, self->outbox);
      break;
    case PROP_USER:
      g_value_set_object (value, signpost_actions_get_user (self));
      break;
    case PROP_ROLE:
      g_value_set_enum (value, signpost_actions_get_role (self));
      break;
    case PROP_PRACTICES:
      g_value_set_object (value, signpost_actions_get_practices (self));
      break;
    case PROP_PRACTICE_ID:
      g_value_set_string (value, signpost_actions_get_practice_id (self));
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_CALL_HUB:
      g_value_set_object (value, signpost_actions_get_call_hub (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_actions_dispose (GObject *object)
{
  SignpostActions *self = SIGNPOST_ACTIONS (object);

  if (self->engine != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->engine, self);
      g_object_remove_weak_pointer (G_OBJECT (self->engine), (gpointer *) &self->engine);
      self->engine = NULL;
    }
  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (self->outbox, self);
  g_clear_object (&self->outbox);
  g_clear_object (&self->cache);

  G_OBJECT_CLASS (signpost_actions_parent_class)->dispose (object);
}

static void
signpost_actions_finalize (GObject *object)
{
  SignpostActions *self = SIGNPOST_ACTIONS (object);

  g_clear_pointer (&self->versions, g_hash_table_unref);

  G_OBJECT_CLASS (signpost_actions_parent_class)->finalize (object);
}

static void
signpost_actions_class_init (SignpostActionsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = signpost_actions_get_property;
  object_class->dispose = signpost_actions_dispose;
  object_class->finalize = signpost_actions_finalize;

  properties[PROP_CACHE] =
    g_param_spec_object ("cache", NULL, NULL, SIGNPOST_TYPE_CACHE,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CHANGES] =
    g_param_spec_object ("changes", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER] =
    g_param_spec_object ("user", NULL, NULL, SIGNPOST_TYPE_USER,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROLE] =
    g_param_spec_enum ("role", NULL, NULL, SIGNPOST_TYPE_ROLE, SIGNPOST_ROLE_NAVIGATOR,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRACTICES] =
    g_param_spec_object ("practices", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRACTICE_ID] =
    g_param_spec_string ("practice-id", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SIGNPOST_TYPE_SYNC_STATE, SIGNPOST_SYNC_STATE_OFFLINE,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CALL_HUB] =
    g_param_spec_object ("call-hub", NULL, NULL, SIGNPOST_TYPE_CALL_HUB,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[PATIENT_ALREADY_BOOKED] =
    g_signal_new ("patient-already-booked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_STRING);
}

static void
signpost_actions_init (SignpostActions *self)
{
  self->versions = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

/* ---- the session ----------------------------------------------------------------------- */

/**
 * signpost_actions_get_for_engine:
 *
 * Returns: (transfer none): the actions of @engine, made on first use
 */
SignpostActions *
signpost_actions_get_for_engine (SignpostSyncEngine *engine)
{
  static GQuark quark;
  SignpostActions *self;

  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (engine), NULL);

  if (quark == 0)
    quark = g_quark_from_static_string ("signpost-actions");
  self = g_object_get_qdata (G_OBJECT (engine), quark);
  if (self != NULL)
    return self;

  self = g_object_new (SIGNPOST_TYPE_ACTIONS, NULL);
  self->engine = engine;
  g_object_add_weak_pointer (G_OBJECT (engine), (gpointer *) &self->engine);
  g_object_set_qdata_full (G_OBJECT (engine), quark, self, g_object_unref);
  g_signal_connect_swapped (engine, "notify", G_CALLBACK (on_engine_notify), self);
  follow_cache (self);
  self->state = signpost_sync_engine_get_state (engine);
  return self;
}

SignpostCache *
signpost_actions_get_cache (SignpostActions *self)
{
  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), NULL);
  return self->cache;
}

GListModel *
signpost_actions_get_changes (SignpostActions *self)
{
  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), NULL);
  return self->outbox ? G_LIST_MODEL (self->outbox) : NULL;
}

SignpostUser *
signpost_actions_get_user (SignpostActions *self)
{
  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), NULL);
  return self->engine ? signpost_sync_engine_get_user (self->engine) : NULL;
}

const char *
signpost_actions_get_user_id (SignpostActions *self)
{
  SignpostUser *user = signpost_actions_get_user (self);

  return user ? signpost_record_get_id (SIGNPOST_RECORD (user)) : NULL;
}

SignpostRole
signpost_actions_get_role (SignpostActions *self)
{
  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), SIGNPOST_ROLE_NAVIGATOR);
  return self->engine ? signpost_sync_engine_get_role (self->engine) : SIGNPOST_ROLE_NAVIGATOR;
}

GListModel *
signpost_actions_get_practices (SignpostActions *self)
{
  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), NULL);
  return self->engine ? signpost_sync_engine_get_practices (self->engine) : NULL;
}

const char *
signpost_actions_get_practice_id (SignpostActions *self)
{
  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), NULL);
  return self->engine ? signpost_sync_engine_get_practice_id (self->engine) : NULL;
}

SignpostSyncState
signpost_actions_get_state (SignpostActions *self)
{
  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), SIGNPOST_SYNC_STATE_OFFLINE);
  return self->state;
}

SignpostCallHub *
signpost_actions_get_call_hub (SignpostActions *self)
{
  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), NULL);
  return self->engine ? signpost_sync_engine_get_call_hub (self->engine) : NULL;
}

void
signpost_actions_init_booker (SignpostActions    *self,
                              SignpostSlotBooker *booker,
                              GDateTime          *now)
{
  SignpostUser *user;

  g_return_if_fail (SIGNPOST_IS_ACTIONS (self));
  g_return_if_fail (booker != NULL);

  user = signpost_actions_get_user (self);
  booker->hub = user != NULL && signpost_user_get_hub (user);
  booker->practice_ids = user != NULL ? signpost_user_get_practice_ids (user) : NULL;
  booker->now = now;
}

/* ---- callers and requests ---------------------------------------------------------------------- */

gboolean
signpost_actions_link_call_to_request (SignpostActions  *self,
                                       const char       *call_id,
                                       const char       *triage_id,
                                       const char       *patient_id,
                                       GError          **error)
{
  g_autoptr(SignpostCall) call = NULL;
  gboolean change = FALSE;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);
  g_return_val_if_fail (call_id != NULL && triage_id != NULL, FALSE);

  call = cached_record (self, SIGNPOST_RECORD_CALL, call_id, error);
  if (call == NULL)
    return FALSE;
  if (signpost_call_get_triage_id (call) == NULL)
    {
      signpost_call_set_triage_id (call, triage_id);
      change = TRUE;
    }
  if (signpost_call_get_patient_id (call) == NULL && patient_id != NULL)
    {
      signpost_call_set_patient_id (call, patient_id);
      change = TRUE;
    }
  if (!change)
    return TRUE;
  return signpost_outbox_save (self->outbox, SIGNPOST_RECORD (call), _("Linked a call to its request"), error);
}

gboolean
signpost_actions_register_temporary_patient (SignpostActions  *self,
                                             SignpostPatient  *patient,
                                             const char       *label,
                                             GError          **error)
{
  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);
  g_return_val_if_fail (SIGNPOST_IS_PATIENT (patient), FALSE);

  if (!signpost_actions_need_outbox (self, error))
    return FALSE;
  signpost_patient_set_temporary (patient, TRUE);
  return signpost_outbox_save (self->outbox, SIGNPOST_RECORD (patient), label, error);
}

gboolean
signpost_actions_save_request (SignpostActions  *self,
                               SignpostTriage   *request,
                               const char       *label,
                               GError          **error)
{
  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);
  g_return_val_if_fail (SIGNPOST_IS_TRIAGE (request), FALSE);

  if (!signpost_actions_need_outbox (self, error))
    return FALSE;
  return signpost_outbox_save (self->outbox, SIGNPOST_RECORD (request), label, error);
}

/* ---- the duty doctor's list ---------------------------------------------------------------------- */

gboolean
signpost_actions_claim_request (SignpostActions  *self,
                                const char       *triage_id,
                                const char       *label,
                                GError          **error)
{
  g_autoptr(SignpostTriage) request = NULL;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);

  request = cached_record (self, SIGNPOST_RECORD_TRIAGE, triage_id, error);
  if (request == NULL)
    return FALSE;
  signpost_triage_set_claimed_by (request, signpost_actions_get_user_id (self));
  return signpost_outbox_save (self->outbox, SIGNPOST_RECORD (request), label, error);
}

gboolean
signpost_actions_release_request (SignpostActions  *self,
                                  const char       *triage_id,
                                  const char       *label,
                                  GError          **error)
{
  g_autoptr(SignpostTriage) request = NULL;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);

  request = cached_record (self, SIGNPOST_RECORD_TRIAGE, triage_id, error);
  if (request == NULL)
    return FALSE;
  signpost_triage_set_claimed_by (request, NULL);
  return signpost_outbox_save (self->outbox, SIGNPOST_RECORD (request), label, error);
}

gboolean
signpost_actions_save_duty_notes (SignpostActions  *self,
                                  const char       *triage_id,
                                  const char       *notes,
                                  const char       *label,
                                  GError          **error)
{
  g_autoptr(SignpostTriage) request = NULL;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);

  request = cached_record (self, SIGNPOST_RECORD_TRIAGE, triage_id, error);
  if (request == NULL)
    return FALSE;
  signpost_triage_set_duty_notes (request, notes != NULL && *notes != '\0' ? notes : NULL);
  return signpost_outbox_save (self->outbox, SIGNPOST_RECORD (request), label, error);
}

gboolean
signpost_actions_review_request (SignpostActions        *self,
                                 const char             *triage_id,
                                 SignpostTriageStatus    status,
                                 SignpostTriageOutcome   outcome,
                                 const char             *duty_notes,
                                 const char             *label,
                                 GError                **error)
{
  JsonObject *data;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);
  g_return_val_if_fail (triage_id != NULL, FALSE);

  data = json_object_new ();
  if (duty_notes != NULL && *duty_notes != '\0')
    json_object_set_string_member (data, "duty_notes", duty_notes);
  json_object_set_string_member (data, "status", signpost_enum_to_nick (SIGNPOST_TYPE_TRIAGE_STATUS, status));
  json_object_set_string_member (data, "outcome", signpost_enum_to_nick (SIGNPOST_TYPE_TRIAGE_OUTCOME, outcome));
  return enqueue_command (self, SIGNPOST_RECORD_TRIAGE, triage_id, SIGNPOST_OP_REVIEW, data, label, error);
}

gboolean
signpost_actions_close_request (SignpostActions        *self,
                                const char             *triage_id,
                                SignpostTriageOutcome   outcome,
                                const char             *duty_notes,
                                const char             *label,
                                GError                **error)
{
  SignpostTriageStatus status = signpost_navigation_status_for_outcome (outcome);

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);

  /* The doctor's decision closes the loop whatever the navigator chose. */
  if (status == SIGNPOST_TRIAGE_OPEN || status == SIGNPOST_TRIAGE_AWAITING_DUTY)
    status = SIGNPOST_TRIAGE_REVIEWED;
  return signpost_actions_review_request (self, triage_id, status, outcome, duty_notes, label, error);
}

gboolean
signpost_actions_send_back (SignpostActions  *self,
                            const char       *triage_id,
                            const char       *navigator_notes,
                            const char       *duty_notes,
                            const char       *label,
                            GError          **error)
{
  g_autoptr(SignpostTriage) request = NULL;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);

  request = cached_record (self, SIGNPOST_RECORD_TRIAGE, triage_id, error);
  if (request == NULL)
    return FALSE;
  /* The instructions go in the navigator's notes (which navigators can
   * read; duty notes they cannot), then the review reopens it for them. */
  signpost_triage_set_navigator_notes (request, navigator_notes);
  signpost_triage_set_claimed_by (request, NULL);
  if (!signpost_outbox_save (self->outbox, SIGNPOST_RECORD (request), label, error))
    return FALSE;
  return signpost_actions_review_request (self, triage_id, SIGNPOST_TRIAGE_OPEN, SIGNPOST_OUTCOME_NONE, duty_notes,
                                          _("Sent a request back to the navigators"), error);
}

/* ---- the diary ---------------------------------------------------------------------------------- */

char *
signpost_actions_book_slot (SignpostActions  *self,
                            const char       *slot_id,
                            const char       *patient_id,
                            const char       *reason,
                            const char       *triage_id,
                            const char       *label,
                            GError          **error)
{
  g_autofree char *appointment_id = g_uuid_string_random ();
  g_autoptr(SignpostBooking) booking = NULL;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), NULL);
  g_return_val_if_fail (slot_id != NULL && patient_id != NULL, NULL);

  booking = signpost_booking_new (appointment_id, patient_id, reason, triage_id);
  if (!enqueue_command (self, SIGNPOST_RECORD_SLOT, slot_id, SIGNPOST_OP_BOOK,
                        signpost_booking_to_json (booking), label, error))
    return NULL;
  return g_steal_pointer (&appointment_id);
}

gboolean
signpost_actions_cancel_booking (SignpostActions  *self,
                                 const char       *slot_id,
                                 const char       *reason,
                                 const char       *label,
                                 GError          **error)
{
  JsonObject *data;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);
  g_return_val_if_fail (slot_id != NULL, FALSE);

  data = json_object_new ();
  if (reason != NULL && *reason != '\0')
    json_object_set_string_member (data, "reason", reason);
  return enqueue_command (self, SIGNPOST_RECORD_SLOT, slot_id, SIGNPOST_OP_CANCEL, data, label, error);
}

gboolean
signpost_actions_set_appointment_status (SignpostActions            *self,
                                         const char                 *appointment_id,
                                         SignpostAppointmentStatus   status,
                                         const char                 *label,
                                         GError                    **error)
{
  g_autoptr(SignpostAppointment) appointment = NULL;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);
  g_return_val_if_fail (status == SIGNPOST_APPOINTMENT_ARRIVED || status == SIGNPOST_APPOINTMENT_SEEN ||
                        status == SIGNPOST_APPOINTMENT_DID_NOT_ATTEND, FALSE);

  appointment = cached_record (self, SIGNPOST_RECORD_APPOINTMENT, appointment_id, error);
  if (appointment == NULL)
    return FALSE;
  signpost_appointment_set_status (appointment, status);
  return signpost_outbox_save (self->outbox, SIGNPOST_RECORD (appointment), label, error);
}

gboolean
signpost_actions_set_slot_blocked (SignpostActions  *self,
                                   const char       *slot_id,
                                   gboolean          blocked,
                                   const char       *label,
                                   GError          **error)
{
  g_autoptr(SignpostSlot) slot = NULL;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);

  slot = cached_record (self, SIGNPOST_RECORD_SLOT, slot_id, error);
  if (slot == NULL)
    return FALSE;
  signpost_slot_set_status (slot, blocked ? SIGNPOST_SLOT_BLOCKED : SIGNPOST_SLOT_FREE);
  return signpost_outbox_save (self->outbox, SIGNPOST_RECORD (slot), label, error);
}

gboolean
signpost_actions_add_slot (SignpostActions  *self,
                           SignpostSlot     *slot,
                           const char       *label,
                           GError          **error)
{
  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);
  g_return_val_if_fail (SIGNPOST_IS_SLOT (slot), FALSE);

  if (!signpost_actions_need_outbox (self, error))
    return FALSE;
  return signpost_outbox_save (self->outbox, SIGNPOST_RECORD (slot), label, error);
}

/* ---- changes that came back --------------------------------------------------------------------- */

gboolean
signpost_actions_discard_change (SignpostActions  *self,
                                 const char       *mutation_id,
                                 GError          **error)
{
  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);

  if (!signpost_actions_need_outbox (self, error))
    return FALSE;
  return signpost_outbox_discard (self->outbox, mutation_id, error);
}

gboolean
signpost_actions_retry_change (SignpostActions  *self,
                               const char       *mutation_id,
                               GError          **error)
{
  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);

  if (!signpost_actions_need_outbox (self, error))
    return FALSE;
  return signpost_outbox_retry (self->outbox, mutation_id, NULL, error);
}

char *
signpost_actions_rebook (SignpostActions  *self,
                         const char       *mutation_id,
                         const char       *slot_id,
                         const char       *label,
                         GError          **error)
{
  SignpostOutboxItem *item;
  g_autoptr(SignpostBooking) booking = NULL;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), NULL);

  if (!signpost_actions_need_outbox (self, error))
    return NULL;
  item = signpost_outbox_find (self->outbox, mutation_id);
  booking = item ? signpost_outbox_item_dup_booking (item) : NULL;
  if (booking == NULL || booking->patient_id == NULL)
    {
      g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_FAILED,
                           _("There is no booking to make again here"));
      return NULL;
    }
  /* The refused booking goes, and the new one is saved in the same
   * moment: nothing is lost between the two. */
  if (!signpost_outbox_discard (self->outbox, mutation_id, error))
    return NULL;
  return signpost_actions_book_slot (self, slot_id, booking->patient_id, booking->reason, booking->triage_id,
                                     label, error);
}

gboolean
signpost_actions_retry_merging_notes (SignpostActions  *self,
                                      const char       *mutation_id,
                                      GError          **error)
{
  SignpostOutboxItem *item;
  SignpostRecord *current;
  JsonNode *node;
  JsonObject *mine;
  g_autoptr(JsonObject) data = json_object_new ();
  const char *theirs;
  const char *own;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);

  if (!signpost_actions_need_outbox (self, error))
    return FALSE;
  item = signpost_outbox_find (self->outbox, mutation_id);
  if (item == NULL)
    {
      g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_FAILED,
                           _("There is no conflict or refusal to resolve here"));
      return FALSE;
    }
  current = signpost_outbox_item_get_current (item);
  node = signpost_mutation_get_data (signpost_outbox_item_get_mutation (item));
  mine = node && JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
  theirs = current && SIGNPOST_IS_TRIAGE (current) ? signpost_triage_get_duty_notes (SIGNPOST_TRIAGE (current)) : NULL;
  own = mine ? json_object_get_string_member_with_default (mine, "duty_notes", NULL) : NULL;

  /* Everything this PC changed but the claim, which the other has now. */
  if (mine != NULL)
    {
      JsonObjectIter iter;
      const char *key;
      JsonNode *member;

      json_object_iter_init (&iter, mine);
      while (json_object_iter_next (&iter, &key, &member))
        if (!g_str_equal (key, "claimed_by"))
          json_object_set_member (data, key, json_node_copy (member));
    }
  /* Their notes first, then these (unless theirs already hold these). */
  if (own != NULL && theirs != NULL && g_strstr_len (theirs, -1, own) == NULL)
    {
      g_autofree char *merged = g_strdup_printf ("%s\n\n%s", theirs, own);
      json_object_set_string_member (data, "duty_notes", merged);
    }
  return signpost_outbox_retry (self->outbox, mutation_id, data, error);
}

/* A claim and nothing else: an update of a request's claimed_by only. */
static gboolean
is_claim_only (SignpostOutboxItem *item)
{
  SignpostMutation *mutation = signpost_outbox_item_get_mutation (item);
  JsonNode *data = mutation ? signpost_mutation_get_data (mutation) : NULL;
  JsonObject *object = data && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL;

  return signpost_outbox_item_get_kind (item) == SIGNPOST_RECORD_TRIAGE &&
         signpost_outbox_item_get_op (item) == SIGNPOST_OP_UPDATE &&
         object != NULL && json_object_get_size (object) == 1 && json_object_has_member (object, "claimed_by");
}

void
signpost_actions_drop_lost_claims (SignpostActions *self)
{
  g_autoptr(GPtrArray) stale = g_ptr_array_new_with_free_func (g_free);
  GListModel *items;

  g_return_if_fail (SIGNPOST_IS_ACTIONS (self));

  if (self->outbox == NULL)
    return;
  items = G_LIST_MODEL (self->outbox);
  for (guint i = 0; i < g_list_model_get_n_items (items); i++)
    {
      g_autoptr(SignpostOutboxItem) item = g_list_model_get_item (items, i);

      if (signpost_outbox_item_get_state (item) == SIGNPOST_OUTBOX_CONFLICT && is_claim_only (item))
        g_ptr_array_add (stale, g_strdup (signpost_outbox_item_get_mutation_id (item)));
    }
  for (guint i = 0; i < stale->len; i++)
    signpost_outbox_discard (self->outbox, g_ptr_array_index (stale, i), NULL);
}

/* ---- the audit log ---------------------------------------------------------------------------- */

void
signpost_actions_report_view (SignpostActions *self,
                              const char      *patient_id,
                              const char      *context)
{
  g_return_if_fail (SIGNPOST_IS_ACTIONS (self));

  if (self->engine != NULL)
    signpost_sync_engine_report_view (self->engine, patient_id, context);
}
