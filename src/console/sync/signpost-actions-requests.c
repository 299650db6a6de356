/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-actions-private.h"
#include "signpost-sync-error.h"

/*
 * Requests that came by any channel (PROTOCOL.md, "Online requests"): who
 * opened one, which registered patient it is for, and the practice's
 * online form settings. Each is an update of the cached record through
 * the outbox, so it shows at once and works offline.
 */

static gboolean
have_outbox (SignpostActions  *self,
             GError          **error)
{
  if (self->outbox != NULL && self->cache != NULL)
    return TRUE;
  g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CACHE,
                       _("Nobody is signed in on this PC."));
  return FALSE;
}

void
signpost_actions_report_request_view (SignpostActions *self,
                                      const char      *triage_id,
                                      const char      *context)
{
  g_return_if_fail (SIGNPOST_IS_ACTIONS (self));

  if (self->engine != NULL && triage_id != NULL)
    signpost_sync_engine_report_request_view (self->engine, triage_id, context);
}

gboolean
signpost_actions_match_request (SignpostActions  *self,
                                const char       *triage_id,
                                const char       *patient_id,
                                const char       *label,
                                GError          **error)
{
  g_autoptr(SignpostTriage) request = NULL;
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(GError) local_error = NULL;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);
  g_return_val_if_fail (triage_id != NULL && patient_id != NULL, FALSE);

  if (!have_outbox (self, error))
    return FALSE;
  request = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_TRIAGE, triage_id, &local_error);
  if (local_error == NULL)
    patient = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, patient_id, &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (request == NULL || patient == NULL)
    {
      g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CACHE,
                           _("That record is no longer on this PC: it may have been removed meanwhile."));
      return FALSE;
    }
  /* A request stays with the practice it was sent to. */
  if (g_strcmp0 (signpost_record_get_practice_id (SIGNPOST_RECORD (request)),
                 signpost_record_get_practice_id (SIGNPOST_RECORD (patient))) != 0)
    {
      const char *practice = signpost_cache_get_practice_name (self->cache,
                                                               signpost_record_get_practice_id (SIGNPOST_RECORD (request)));

      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "patient_id",
                                _("That patient is registered at another practice: this request was "
                                  "sent to %s."),
                                practice ? practice : _("another practice"));
      return FALSE;
    }
  if (g_strcmp0 (signpost_triage_get_patient_id (request), patient_id) == 0)
    return TRUE;
  signpost_triage_set_patient_id (request, patient_id);
  return signpost_outbox_save (self->outbox, SIGNPOST_RECORD (request), label, error);
}

gboolean
signpost_actions_save_online_settings (SignpostActions   *self,
                                       SignpostPractice  *settings,
                                       const char        *label,
                                       GError           **error)
{
  g_autoptr(SignpostPractice) practice = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *practice_id;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (self), FALSE);
  g_return_val_if_fail (SIGNPOST_IS_PRACTICE (settings), FALSE);

  if (!have_outbox (self, error))
    return FALSE;
  practice_id = signpost_record_get_id (SIGNPOST_RECORD (settings));
  practice = practice_id ? signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PRACTICE, practice_id,
                                                      &local_error)
                         : NULL;
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  if (practice == NULL)
    {
      g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CACHE,
                           _("That practice is not on this PC."));
      return FALSE;
    }
  /* Only the online form's fields: the rest of a practice is not the
   * manager's to change here, and the server would refuse it. */
  signpost_practice_set_online_hours (practice, signpost_practice_get_online_hours (settings));
  signpost_practice_set_online_open_bank_holidays (practice, signpost_practice_get_online_open_bank_holidays (settings));
  signpost_practice_set_online_closed_dates (practice, signpost_practice_get_online_closed_dates (settings));
  signpost_practice_set_online_medical_daily_limit (practice,
                                                    signpost_practice_get_online_medical_daily_limit (settings));
  signpost_practice_set_online_paused (practice, signpost_practice_get_online_paused (settings));
  signpost_practice_set_online_pause_message (practice, signpost_practice_get_online_pause_message (settings));
  return signpost_outbox_save (self->outbox, SIGNPOST_RECORD (practice), label, error);
}
