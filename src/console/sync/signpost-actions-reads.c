/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <math.h>

#include "signpost-actions-private.h"

/*
 * What the pages ask the server for that the cache does not hold: the
 * routes of PROTOCOL.md ("Statistics", "Queue") written here only, and
 * their answers decoded beside them (signpost-load-stats.c,
 * signpost-queue-summary.c).
 */

static char *
date_text (const GDate *date)
{
  return g_strdup_printf ("%04d-%02d-%02d", g_date_get_year (date), g_date_get_month (date),
                          g_date_get_day (date));
}

static char *
escaped (const char *value)
{
  return g_uri_escape_string (value ? value : "", NULL, FALSE);
}

/* How one route's answer becomes its model object. */
typedef gpointer (*DecodeFunc) (JsonNode  *node,
                                GError   **error);

typedef struct {
  DecodeFunc decode;
  GDestroyNotify free_answer;
} Reader;

static const Reader day_stats_reader = {
  (DecodeFunc) signpost_day_stats_new_from_json, (GDestroyNotify) signpost_day_stats_unref,
};
static const Reader staffing_reader = {
  (DecodeFunc) signpost_staffing_stats_new_from_json, (GDestroyNotify) signpost_staffing_stats_unref,
};
static const Reader queue_summary_reader = {
  (DecodeFunc) signpost_queue_summary_new_from_json, g_object_unref,
};
static const Reader hub_stats_reader = {
  (DecodeFunc) signpost_hub_stats_new_from_json, (GDestroyNotify) signpost_hub_stats_unref,
};

static void
json_replied (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  const Reader *reader = g_task_get_task_data (task);
  g_autoptr(JsonNode) node = NULL;
  GError *error = NULL;
  gpointer answer;

  node = signpost_sync_engine_get_json_finish (SIGNPOST_SYNC_ENGINE (source), result, &error);
  answer = node ? reader->decode (node, &error) : NULL;
  if (answer == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, answer, reader->free_answer);
}

static void
fetch_json (SignpostActions *self,
            GTask           *task,   /* owned */
            const char      *path,
            const Reader    *reader)
{
  if (self->engine == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "The session has ended");
      g_object_unref (task);
      return;
    }
  g_task_set_task_data (task, (gpointer) reader, NULL);
  signpost_sync_engine_get_json_async (self->engine, path, g_task_get_cancellable (task), json_replied, task);
}

/* ---- a day's statistics --------------------------------------------------------------- */

void
signpost_actions_get_day_stats_async (SignpostActions     *self,
                                      const char          *practice_id,
                                      const GDate         *date,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;
  g_autofree char *practice = NULL;
  g_autofree char *day = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (SIGNPOST_IS_ACTIONS (self));
  g_return_if_fail (date != NULL && g_date_valid (date));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, signpost_actions_get_day_stats_async);
  practice = escaped (practice_id);
  day = date_text (date);
  path = g_strdup_printf ("stats/day?practice=%s&date=%s", practice, day);
  fetch_json (self, task, path, &day_stats_reader);
}

SignpostDayStats *
signpost_actions_get_day_stats_finish (SignpostActions  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- staffing ---------------------------------------------------------------------------- */

void
signpost_actions_get_staffing_async (SignpostActions     *self,
                                     const char          *practice_id,
                                     const GDate         *date,
                                     double               target,
                                     double               within_s,
                                     double               aht_s,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  GTask *task;
  g_autofree char *practice = NULL;
  g_autofree char *day = NULL;
  char target_text[G_ASCII_DTOSTR_BUF_SIZE];
  char within_text[G_ASCII_DTOSTR_BUF_SIZE];
  GString *path;

  g_return_if_fail (SIGNPOST_IS_ACTIONS (self));
  g_return_if_fail (date != NULL && g_date_valid (date));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, signpost_actions_get_staffing_async);
  practice = escaped (practice_id);
  day = date_text (date);
  /* A full stop whatever the locale. */
  g_ascii_formatd (target_text, sizeof target_text, "%.2f", target);
  g_ascii_formatd (within_text, sizeof within_text, "%.0f", within_s);
  path = g_string_new (NULL);
  g_string_append_printf (path, "stats/staffing?practice=%s&date=%s&target=%s&within=%s",
                          practice, day, target_text, within_text);
  if (!isnan (aht_s))
    {
      char aht_text[G_ASCII_DTOSTR_BUF_SIZE];

      g_string_append_printf (path, "&aht=%s", g_ascii_formatd (aht_text, sizeof aht_text, "%.0f", aht_s));
    }
  fetch_json (self, task, path->str, &staffing_reader);
  g_string_free (path, TRUE);
}

SignpostStaffingStats *
signpost_actions_get_staffing_finish (SignpostActions  *self,
                                      GAsyncResult     *result,
                                      GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the queue's figures ------------------------------------------------------------------- */

void
signpost_actions_get_queue_summary_async (SignpostActions     *self,
                                          const char          *practice_id,
                                          GCancellable        *cancellable,
                                          GAsyncReadyCallback  callback,
                                          gpointer             user_data)
{
  GTask *task;
  g_autofree char *practice = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (SIGNPOST_IS_ACTIONS (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, signpost_actions_get_queue_summary_async);
  practice = escaped (practice_id);
  path = g_strdup_printf ("queue?practice=%s", practice);
  fetch_json (self, task, path, &queue_summary_reader);
}

SignpostQueueSummary *
signpost_actions_get_queue_summary_finish (SignpostActions  *self,
                                           GAsyncResult     *result,
                                           GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the telephony export -------------------------------------------------------------------- */

static void
export_replied (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GError *error = NULL;
  GBytes *bytes;

  bytes = signpost_sync_engine_get_bytes_finish (SIGNPOST_SYNC_ENGINE (source), result, NULL, &error);
  if (bytes == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, bytes, (GDestroyNotify) g_bytes_unref);
}

void
signpost_actions_export_telephony_async (SignpostActions     *self,
                                         const char          *practice_id,
                                         guint                year,
                                         guint                month,
                                         GCancellable        *cancellable,
                                         GAsyncReadyCallback  callback,
                                         gpointer             user_data)
{
  GTask *task;
  g_autofree char *practice = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (SIGNPOST_IS_ACTIONS (self));
  g_return_if_fail (month >= 1 && month <= 12);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, signpost_actions_export_telephony_async);
  if (self->engine == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CLOSED, "The session has ended");
      g_object_unref (task);
      return;
    }
  practice = escaped (practice_id);
  path = g_strdup_printf ("stats/cbt-export?practice=%s&month=%04u-%02u", practice, year, month);
  /* Exactly as the server wrote it. */
  signpost_sync_engine_get_bytes_async (self->engine, path, cancellable, export_replied, task);
}

GBytes *
signpost_actions_export_telephony_finish (SignpostActions  *self,
                                          GAsyncResult     *result,
                                          GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- the hub's figures, practice by practice -------------------------------------------- */

void
signpost_actions_get_hub_stats_async (SignpostActions     *self,
                                      const GDate         *from,
                                      const GDate         *to,
                                      GCancellable        *cancellable,
                                      GAsyncReadyCallback  callback,
                                      gpointer             user_data)
{
  GTask *task;
  g_autofree char *first = NULL;
  g_autofree char *last = NULL;
  g_autofree char *path = NULL;

  g_return_if_fail (SIGNPOST_IS_ACTIONS (self));
  g_return_if_fail (from != NULL && g_date_valid (from));
  g_return_if_fail (to != NULL && g_date_valid (to));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, signpost_actions_get_hub_stats_async);
  first = date_text (from);
  last = date_text (to);
  path = g_strdup_printf ("stats/hub?from=%s&to=%s", first, last);
  fetch_json (self, task, path, &hub_stats_reader);
}

SignpostHubStats *
signpost_actions_get_hub_stats_finish (SignpostActions  *self,
                                       GAsyncResult     *result,
                                       GError          **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
