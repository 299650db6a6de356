/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-queue-page-private.h"

/* The queue page's figures: callers holding, callbacks keeping their
 * place, navigators on calls, the longest wait (with its level), and
 * calls answered today, which only the server knows (asked of /queue
 * once per practice in view, after a burst of call events). */

/* ---- figures ------------------------------------------------------------------------- */

static guint
n_items (gpointer model)
{
  return model ? g_list_model_get_n_items (G_LIST_MODEL (model)) : 0;
}

void
signpost_queue_page_update_longest (SignpostQueuePage *self)
{
  GListModel *model = self->waiting ? G_LIST_MODEL (self->waiting) : NULL;
  gint64 now = signpost_ticker_get_now_us (signpost_ticker_get_default ());
  gint64 seconds = -1;
  SignpostWaitLevel level;

  /* The queue is in offer order: the first caller still holding has
   * waited longest (callbacks are not holding on the line). */
  for (guint i = 0; model != NULL && i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SignpostCall) call = g_list_model_get_item (model, i);

      if (signpost_call_get_state (call) == SIGNPOST_CALL_QUEUED)
        {
          seconds = signpost_call_seconds_since (signpost_call_get_offered_at (call), now);
          break;
        }
    }

  if (seconds < 0)
    signpost_queue_page_set_label (self->longest_value, "–");
  else
    {
      g_autofree char *text = signpost_call_format_duration (seconds);
      signpost_queue_page_set_label (self->longest_value, text);
    }
  level = seconds < 0 ? SIGNPOST_WAIT_SHORT : signpost_call_wait_level (seconds);
  if (level != self->longest_level)
    {
      gtk_widget_remove_css_class (self->longest_tile, signpost_call_wait_level_css (self->longest_level));
      gtk_widget_add_css_class (self->longest_tile, signpost_call_wait_level_css (level));
      gtk_widget_set_visible (GTK_WIDGET (self->longest_icon), level != SIGNPOST_WAIT_SHORT);
      gtk_image_set_from_icon_name (self->longest_icon, level == SIGNPOST_WAIT_VERY_LONG
                                                        ? "dialog-warning-symbolic" : "alarm-symbolic");
      self->longest_level = level;
    }
}

/* Callbacks whose place has come (nobody still holding rang before
 * them): the rest are booked, not due yet. */
static guint
callbacks_due (SignpostQueuePage *self)
{
  g_autoptr(GPtrArray) front = g_ptr_array_new_with_free_func (g_object_unref);
  guint n = n_items (self->waiting);

  for (guint i = 0; i < n; i++)
    {
      SignpostCall *call = g_list_model_get_item (G_LIST_MODEL (self->waiting), i);

      g_ptr_array_add (front, call);
      if (signpost_call_get_state (call) == SIGNPOST_CALL_QUEUED)
        break;
    }
  return signpost_call_count_callbacks_due ((SignpostCall * const *) front->pdata, front->len);
}

gboolean
signpost_queue_page_update_figures (gpointer data)
{
  SignpostQueuePage *self = data;
  guint waiting = n_items (self->waiting) - MIN (n_items (self->callbacks), n_items (self->waiting));
  guint callbacks = n_items (self->callbacks);
  guint on_calls = n_items (self->in_progress);
  g_autofree char *text = NULL;

  self->figures_id = 0;

  text = g_strdup_printf ("%u", waiting);
  signpost_queue_page_set_label (self->waiting_value, text);
  g_free (text);
  text = g_strdup_printf ("%u", callbacks_due (self));
  signpost_queue_page_set_label (self->callbacks_value, text);
  g_free (text);
  text = g_strdup_printf ("%u", on_calls);
  signpost_queue_page_set_label (self->on_calls_value, text);
  g_free (text);
  text = self->answered_known ? g_strdup_printf ("%" G_GINT64_FORMAT, self->answered_today) : g_strdup ("–");
  signpost_queue_page_set_label (self->answered_value, text);
  g_free (text);

  if (callbacks == 0)
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "In the queue: %u caller holding",
                                         "In the queue: %u callers holding", waiting),
                            waiting);
  else
    /* Translators: "In the queue: 12 — 9 holding, 3 callbacks keeping their place" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "In the queue: %u — %u holding, %u callback keeping its place",
                                         "In the queue: %u — %u holding, %u callbacks keeping their place", callbacks),
                            n_items (self->waiting), waiting, callbacks);
  signpost_queue_page_set_label (self->waiting_heading, text);
  g_free (text);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Callbacks: %u", "Callbacks: %u", callbacks), callbacks);
  signpost_queue_page_set_label (self->callbacks_heading, text);
  g_free (text);
  text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "On a call now: %u", "On calls now: %u", on_calls),
                          on_calls);
  signpost_queue_page_set_label (self->in_progress_heading, text);

  gtk_stack_set_visible_child_name (self->waiting_stack, n_items (self->waiting) > 0 ? "list" : "empty");
  gtk_stack_set_visible_child_name (self->callbacks_stack, callbacks > 0 ? "list" : "empty");
  gtk_stack_set_visible_child_name (self->in_progress_stack, on_calls > 0 ? "list" : "empty");
  signpost_queue_page_update_longest (self);
  return G_SOURCE_REMOVE;
}

void
signpost_queue_page_schedule_figures (SignpostQueuePage *self)
{
  /* Once per burst of changes, before the next frame is laid out. */
  if (self->figures_id == 0)
    self->figures_id = g_idle_add_full (GDK_PRIORITY_REDRAW - 10, signpost_queue_page_update_figures, self, NULL);
}

static void
queue_replied (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  SignpostQueuePage *self = user_data;
  g_autoptr(SignpostQueueSummary) summary = NULL;
  g_autoptr(GError) error = NULL;

  summary = signpost_actions_get_queue_summary_finish (SIGNPOST_ACTIONS (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (summary != NULL)
    self->answered_sum += signpost_queue_summary_get_answered_today (summary);
  else
    g_debug ("Queue figures: %s", error->message);

  if (--self->n_queue_requests == 0)
    {
      self->answered_today = self->answered_sum;
      self->answered_known = TRUE;
      signpost_queue_page_schedule_figures (self);
    }
}

/* The figures the cache cannot know (calls signpost_queue_page_answered today) come from
 * /queue, once per practice in view. */
static gboolean
fetch_figures (gpointer data)
{
  SignpostQueuePage *self = data;
  const char *practice_id;
  GListModel *practices;

  self->figures_timeout_id = 0;
  if (self->actions == NULL || self->n_queue_requests > 0 ||
      !signpost_call_hub_get_available (self->hub))
    return G_SOURCE_REMOVE;

  practice_id = signpost_actions_get_practice_id (self->actions);
  practices = signpost_actions_get_practices (self->actions);
  self->answered_sum = 0;
  for (guint i = 0; i < g_list_model_get_n_items (practices); i++)
    {
      g_autoptr(SignpostPractice) practice = g_list_model_get_item (practices, i);
      const char *id = signpost_record_get_id (SIGNPOST_RECORD (practice));

      if (practice_id != NULL && g_strcmp0 (id, practice_id) != 0)
        continue;
      self->n_queue_requests++;
      signpost_actions_get_queue_summary_async (self->actions, id, self->cancellable, queue_replied, self);
    }
  return G_SOURCE_REMOVE;
}

void
signpost_queue_page_schedule_fetch (SignpostQueuePage *self)
{
  if (self->figures_timeout_id == 0)
    self->figures_timeout_id = g_timeout_add (FIGURES_DELAY_MS, fetch_figures, self);
}

