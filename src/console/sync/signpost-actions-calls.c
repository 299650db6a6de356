/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-actions-private.h"
#include "signpost-enum-types.h"
#include "signpost-sync-error.h"

/*
 * The phones: answer, end and complete go to the server at once and are
 * never queued (a call cannot be answered offline); a lost race comes back
 * in the navigator's words. Linking a caller to a patient goes through the
 * outbox, on top of the version this console's own answer produced.
 */

/* ---- the phones ------------------------------------------------------------------------------ */

typedef struct {
  char *call_id;
  SignpostOp op;
} CallCommand;

static void
call_command_free (CallCommand *command)
{
  g_free (command->call_id);
  g_free (command);
}

static SignpostCall *
decode_call (JsonNode *node)
{
  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    return NULL;
  return (SignpostCall *) signpost_record_new_from_json (SIGNPOST_RECORD_CALL, json_node_get_object (node),
                                                         SIGNPOST_DECODE_FULL, NULL);
}

/* Why a call command lost, in the navigator's words. */
static GError *
call_conflict_error (CallCommand  *command,
                     SignpostCall *current)
{
  const char *message;

  switch (current ? signpost_call_get_state (current) : SIGNPOST_CALL_ENDED)
    {
    case SIGNPOST_CALL_ANSWERED:
      message = command->op == SIGNPOST_OP_ANSWER
                ? _("Another navigator answered that call.")
                : _("That call is being handled by another navigator.");
      break;
    case SIGNPOST_CALL_ABANDONED:
      message = _("That caller hung up before the call was answered.");
      break;
    case SIGNPOST_CALL_ENDED:
      message = command->op == SIGNPOST_OP_ANSWER
                ? _("That call has already ended.")
                : _("That call has already ended; nothing more to do.");
      break;
    case SIGNPOST_CALL_CALLBACK_DONE:
      message = current != NULL && signpost_call_get_follow_up (current) != SIGNPOST_FOLLOW_UP_NONE
                ? _("Someone has already recorded the follow-up of that failed contact.")
                : _("That callback has already been made.");
      break;
    case SIGNPOST_CALL_CALLBACK_REQUESTED:
      message = _("That caller is waiting for a callback; call them back from the callbacks list.");
      break;
    case SIGNPOST_CALL_QUEUED:
    case SIGNPOST_CALL_RINGING:
    default:
      message = _("That call has moved on; the queue shows where it is now.");
      break;
    }
  return g_error_new_literal (SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT, message);
}

static void
call_command_replied (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignpostActions *self = g_task_get_source_object (task);
  CallCommand *command = g_task_get_task_data (task);
  g_autoptr(SignpostMutationResult) reply = NULL;
  g_autoptr(SignpostCall) call = NULL;
  g_autoptr(GError) error = NULL;

  reply = signpost_sync_engine_send_command_finish (SIGNPOST_SYNC_ENGINE (source), result, &error);
  if (reply == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  call = decode_call (signpost_mutation_result_get_record (reply));
  switch (signpost_mutation_result_get_status (reply))
    {
    case SIGNPOST_RESULT_APPLIED:
    case SIGNPOST_RESULT_DUPLICATE:
      break;
    case SIGNPOST_RESULT_CONFLICT:
      /* Answered by this user already (another PC, or a retry): ours. */
      if (command->op == SIGNPOST_OP_ANSWER && call != NULL &&
          signpost_call_get_state (call) == SIGNPOST_CALL_ANSWERED &&
          g_strcmp0 (signpost_call_get_answered_by (call), signpost_actions_get_user_id (self)) == 0)
        break;
      g_task_return_error (task, call_conflict_error (command, call));
      return;
    case SIGNPOST_RESULT_REJECTED:
    default:
      {
        JsonNode *problem = signpost_mutation_result_get_problem (reply);
        const char *detail = NULL;

        if (problem != NULL && JSON_NODE_HOLDS_OBJECT (problem))
          detail = json_object_get_string_member_with_default (json_node_get_object (problem), "detail", NULL);
        g_task_return_new_error (task, SIGNPOST_ERROR, SIGNPOST_ERROR_FORBIDDEN,
                                 _("The server refused: %s"), detail ? detail : _("no reason given"));
        return;
      }
    }

  if (call == NULL)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL,
                               _("The server’s answer could not be read."));
      return;
    }

  /* A link to a patient made now must go on top of this version, which
   * the cache may not have heard of yet. */
  g_hash_table_insert (self->versions, g_strdup (command->call_id),
                       GINT_TO_POINTER ((int) signpost_record_get_version (SIGNPOST_RECORD (call))));
  g_task_return_pointer (task, g_steal_pointer (&call), g_object_unref);
}

static void
send_call_command (SignpostActions     *self,
                   const char          *call_id,
                   SignpostOp           op,
                   JsonObject          *data,       /* owned */
                   gpointer             source_tag,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(JsonObject) owned_data = data ? data : json_object_new ();
  g_autoptr(SignpostMutation) mutation = NULL;
  g_autoptr(JsonNode) node = NULL;
  CallCommand *command;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, source_tag);
  if (self->engine == NULL || call_id == NULL)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_OFFLINE,
                               _("Phones are unavailable while this PC is offline."));
      return;
    }
  command = g_new0 (CallCommand, 1);
  command->call_id = g_strdup (call_id);
  command->op = op;
  g_task_set_task_data (task, command, (GDestroyNotify) call_command_free);

  mutation = signpost_mutation_new ();
  node = json_node_init_object (json_node_alloc (), owned_data);
  signpost_mutation_set_kind (mutation, SIGNPOST_RECORD_CALL);
  signpost_mutation_set_op (mutation, op);
  signpost_mutation_set_id (mutation, call_id);
  signpost_mutation_set_data (mutation, node);
  signpost_sync_engine_send_command_async (self->engine, mutation, cancellable, call_command_replied,
                                           g_steal_pointer (&task));
}

void
signpost_actions_answer_call_async (SignpostActions     *self,
                                    const char          *call_id,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_return_if_fail (SIGNPOST_IS_ACTIONS (self));
  send_call_command (self, call_id, SIGNPOST_OP_ANSWER, NULL, signpost_actions_answer_call_async,
                     cancellable, callback, user_data);
}

SignpostCall *
signpost_actions_answer_call_finish (SignpostActions  *self,
                                     GAsyncResult     *result,
                                     GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
signpost_actions_end_call_async (SignpostActions     *self,
                                 const char          *call_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (SIGNPOST_IS_ACTIONS (self));
  send_call_command (self, call_id, SIGNPOST_OP_END, NULL, signpost_actions_end_call_async,
                     cancellable, callback, user_data);
}

SignpostCall *
signpost_actions_end_call_finish (SignpostActions  *self,
                                  GAsyncResult     *result,
                                  GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
signpost_actions_complete_callback_async (SignpostActions         *self,
                                          const char              *call_id,
                                          SignpostCallbackOutcome  outcome,
                                          GCancellable            *cancellable,
                                          GAsyncReadyCallback      callback,
                                          gpointer                 user_data)
{
  JsonObject *data;

  g_return_if_fail (SIGNPOST_IS_ACTIONS (self));
  g_return_if_fail (outcome == SIGNPOST_CALLBACK_OUTCOME_REACHED ||
                    outcome == SIGNPOST_CALLBACK_OUTCOME_NO_ANSWER);

  data = json_object_new ();
  json_object_set_string_member (data, "outcome", signpost_enum_to_nick (SIGNPOST_TYPE_CALLBACK_OUTCOME, outcome));
  send_call_command (self, call_id, SIGNPOST_OP_COMPLETE, data, signpost_actions_complete_callback_async,
                     cancellable, callback, user_data);
}

SignpostCall *
signpost_actions_complete_callback_finish (SignpostActions  *self,
                                           GAsyncResult     *result,
                                           GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
signpost_actions_record_follow_up_async (SignpostActions     *self,
                                         const char          *call_id,
                                         SignpostFollowUp     follow_up,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  JsonObject *data;

  g_return_if_fail (SIGNPOST_IS_ACTIONS (self));
  g_return_if_fail (follow_up != SIGNPOST_FOLLOW_UP_NONE);

  data = json_object_new ();
  json_object_set_string_member (data, "outcome", "followed_up");
  json_object_set_string_member (data, "follow_up", signpost_enum_to_nick (SIGNPOST_TYPE_FOLLOW_UP, follow_up));
  send_call_command (self, call_id, SIGNPOST_OP_COMPLETE, data, signpost_actions_record_follow_up_async,
                     cancellable, callback, user_data);
}

SignpostCall *
signpost_actions_record_follow_up_finish (SignpostActions  *self,
                                          GAsyncResult     *result,
                                          GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

gboolean
signpost_actions_link_caller (SignpostActions  *self,
                              const char       *call_id,
                              const char       *patient_id,
                              const char       *label,
                              GError          **error)
{
  g_autoptr(SignpostMutation) mutation = NULL;
  g_autoptr(SignpostCall) cached = NULL;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  gint64 known;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);
  g_return_val_if_fail (call_id != NULL && patient_id != NULL, FALSE);

  if (!signpost_actions_need_outbox (self, error))
    return FALSE;
  cached = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_CALL, call_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (cached != NULL && g_strcmp0 (signpost_call_get_patient_id (cached), patient_id) == 0)
    return TRUE;

  data = json_object_new ();
  json_object_set_string_member (data, "patient_id", patient_id);
  mutation = signpost_mutation_new ();
  signpost_mutation_set_kind (mutation, SIGNPOST_RECORD_CALL);
  signpost_mutation_set_op (mutation, SIGNPOST_OP_UPDATE);
  signpost_mutation_set_id (mutation, call_id);
  node = json_node_init_object (json_node_alloc (), g_steal_pointer (&data));
  signpost_mutation_set_data (mutation, node);
  /* The answer this console just sent moved the call on; the cache may not
   * have heard yet, and an update on the older version would conflict. */
  known = GPOINTER_TO_INT (g_hash_table_lookup (self->versions, call_id));
  if (known > (cached != NULL ? signpost_record_get_version (SIGNPOST_RECORD (cached)) : 0))
    signpost_mutation_set_base_version (mutation, known);
  return signpost_outbox_enqueue (self->outbox, mutation, label, error);
}
