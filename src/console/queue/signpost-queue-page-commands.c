/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-queue-page-private.h"

/* The queue page's call commands: answering (F2, a row, a callback),
 * ending a call into the triage form (F3), Reached / No Answer on a
 * callback, and asking for the caller popup again (F4). */

/* ---- commands --------------------------------------------------------------------- */

void
signpost_queue_page_answered (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(SignpostQueuePage) self = user_data;
  g_autoptr(SignpostCall) call = NULL;
  g_autoptr(GError) error = NULL;

  call = signpost_call_desk_answer_finish (SIGNPOST_CALL_DESK (source), result, &error);
  if (call == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    signpost_queue_page_tell (self, error->message);
}

gboolean
signpost_queue_page_may_answer (SignpostQueuePage *self)
{
  if (self->desk == NULL || self->waiting == NULL)
    return FALSE;
  if (!signpost_call_hub_get_available (self->hub))
    {
      signpost_queue_page_tell (self, _("Phones are unavailable while this PC is offline."));
      return FALSE;
    }
  if (signpost_call_desk_get_current_call (self->desk) != NULL)
    {
      signpost_queue_page_tell (self, _("You are on a call. Finish it first: F3 ends it and opens the navigation form."));
      return FALSE;
    }
  /* One answer at a time: a second key press while the first is on its
   * way would take two callers. */
  return !signpost_call_desk_get_busy (self->desk);
}

void
signpost_queue_page_send_answer (SignpostQueuePage *self,
                                 const char        *call_id)
{
  if (call_id == NULL || !signpost_queue_page_may_answer (self))
    return;
  signpost_call_desk_answer_async (self->desk, call_id, self->cancellable, signpost_queue_page_answered, g_object_ref (self));
}

void
signpost_queue_page_answer_next_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  signpost_queue_page_answer_next (SIGNPOST_QUEUE_PAGE (widget));
}

void
signpost_queue_page_answer_action (GtkWidget  *widget,
                                   const char *action_name,
                                   GVariant   *parameter)
{
  signpost_queue_page_send_answer (SIGNPOST_QUEUE_PAGE (widget), g_variant_get_string (parameter, NULL));
}

void
signpost_queue_page_on_waiting_activate (SignpostQueuePage *self,
                                         guint              position)
{
  g_autoptr(SignpostCall) call = g_list_model_get_item (G_LIST_MODEL (self->waiting), position);

  if (call != NULL)
    signpost_queue_page_send_answer (self, signpost_record_get_id (SIGNPOST_RECORD (call)));
}

void
signpost_queue_page_on_callbacks_activate (SignpostQueuePage *self,
                                           guint              position)
{
  g_autoptr(SignpostCall) call = g_list_model_get_item (G_LIST_MODEL (self->callbacks), position);

  if (call != NULL)
    signpost_queue_page_send_answer (self, signpost_record_get_id (SIGNPOST_RECORD (call)));
}

static void
ended (GObject      *source,
       GAsyncResult *result,
       gpointer      user_data)
{
  g_autoptr(SignpostQueuePage) self = user_data;
  g_autoptr(SignpostCall) call = NULL;
  g_autoptr(GError) error = NULL;

  call = signpost_call_desk_end_finish (SIGNPOST_CALL_DESK (source), result, &error);
  if (call == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        signpost_queue_page_tell (self, error->message);
      return;
    }
  /* Wrap-up: the request is recorded while it is fresh. */
  signpost_call_open_triage (GTK_WIDGET (self), call, NULL);
}

void
signpost_queue_page_end_call_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  SignpostQueuePage *self = SIGNPOST_QUEUE_PAGE (widget);
  SignpostCall *call = self->desk ? signpost_call_desk_get_current_call (self->desk) : NULL;

  if (call == NULL)
    {
      signpost_queue_page_tell (self, _("You are not on a call."));
      return;
    }
  if (signpost_call_is_callback (call))
    {
      signpost_queue_page_tell (self, _("This is a callback: choose Reached or No Answer."));
      return;
    }
  signpost_call_desk_end_async (self->desk, signpost_record_get_id (SIGNPOST_RECORD (call)), self->cancellable,
                                ended, g_object_ref (self));
}

void
signpost_queue_page_show_caller_action (GtkWidget  *widget,
                                        const char *action_name,
                                        GVariant   *parameter)
{
  SignpostQueuePage *self = SIGNPOST_QUEUE_PAGE (widget);

  if (self->desk != NULL)
    signpost_call_desk_request_caller (self->desk);
}

/* Who was reached: the patient linked to the call, else the one patient
 * the number belongs to (the popup showed them); NULL when it is not
 * known (several share the number, or nobody): the form then asks. */
static char *
reached_patient_id (SignpostQueuePage *self,
                    SignpostCall      *call)
{
  const char *number = signpost_call_get_number (call);
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GError) error = NULL;

  if (signpost_call_get_patient_id (call) != NULL)
    return g_strdup (signpost_call_get_patient_id (call));
  if (number == NULL || self->cache == NULL)
    return NULL;
  patients = signpost_cache_find_patients_by_phone (self->cache, number, &error);
  if (patients == NULL)
    {
      g_warning ("Could not look a caller up on this PC: %s", error->message);
      return NULL;
    }
  if (patients->len != 1)
    return NULL;
  return g_strdup (signpost_record_get_id (g_ptr_array_index (patients, 0)));
}

static void
completed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(SignpostQueuePage) self = user_data;
  g_autoptr(SignpostCall) call = NULL;
  g_autoptr(GError) error = NULL;

  call = signpost_call_desk_complete_finish (SIGNPOST_CALL_DESK (source), result, &error);
  if (call == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        signpost_queue_page_tell (self, error->message);
      return;
    }
  switch (signpost_call_get_callback_outcome (call))
    {
    case SIGNPOST_CALLBACK_OUTCOME_REACHED:
      {
        g_autofree char *patient_id = reached_patient_id (self, call);

        signpost_call_open_triage (GTK_WIDGET (self), call, patient_id);
      }
      break;
    case SIGNPOST_CALLBACK_OUTCOME_FAILED_CONTACT:
      /* Said at once, and kept in the call bar: the caller is off the
       * queue and on the failed-contact list, not waiting any more. */
      signpost_queue_page_set_last_outcome (self, _("No answer at the second try: a failed contact, "
                                                    "now on the failed-contact list to follow up."));
      signpost_queue_page_tell (self, _("No answer at the second try: a failed contact, now on the "
                                        "failed-contact list to follow up."));
      break;
    case SIGNPOST_CALLBACK_OUTCOME_NO_ANSWER:
      signpost_queue_page_set_last_outcome (self, _("No answer: the callback keeps its place for a second try."));
      signpost_queue_page_tell (self, _("No answer. The callback keeps its place for a second try."));
      break;
    case SIGNPOST_CALLBACK_OUTCOME_NONE:
    default:
      break;
    }
}

void
signpost_queue_page_complete_action (GtkWidget  *widget,
                                     const char *action_name,
                                     GVariant   *parameter)
{
  SignpostQueuePage *self = SIGNPOST_QUEUE_PAGE (widget);
  SignpostCall *call = self->desk ? signpost_call_desk_get_current_call (self->desk) : NULL;
  gboolean reached = g_str_equal (action_name, "queue.reached");

  if (call == NULL || !signpost_call_is_callback (call))
    {
      signpost_queue_page_tell (self, _("You are not calling anyone back."));
      return;
    }
  signpost_call_desk_complete_async (self->desk, signpost_record_get_id (SIGNPOST_RECORD (call)),
                                     reached ? SIGNPOST_CALLBACK_OUTCOME_REACHED
                                             : SIGNPOST_CALLBACK_OUTCOME_NO_ANSWER,
                                     self->cancellable, completed, g_object_ref (self));
}

