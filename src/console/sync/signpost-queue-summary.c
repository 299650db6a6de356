/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <math.h>

#include "signpost-queue-summary.h"
#include "signpost-sync-error.h"

struct _SignpostQueueSummary
{
  GObject parent_instance;

  char *practice_id;
  guint waiting;
  double longest_wait_s;
  guint callbacks_due;
  guint answered_today;
  guint on_calls;
};

G_DEFINE_FINAL_TYPE (SignpostQueueSummary, signpost_queue_summary, G_TYPE_OBJECT)

/* A count: a whole number from 0, absent counted as 0 (older servers). */
static gboolean
read_count (JsonObject *object,
            const char *name,
            guint      *value)
{
  JsonNode *node = json_object_get_member (object, name);
  gint64 number;

  *value = 0;
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return TRUE;
  if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  number = json_node_get_int (node);
  if (number < 0 || number > G_MAXUINT)
    return FALSE;
  *value = (guint) number;
  return TRUE;
}

static void
signpost_queue_summary_finalize (GObject *object)
{
  SignpostQueueSummary *self = SIGNPOST_QUEUE_SUMMARY (object);

  g_free (self->practice_id);

  G_OBJECT_CLASS (signpost_queue_summary_parent_class)->finalize (object);
}

static void
signpost_queue_summary_class_init (SignpostQueueSummaryClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_queue_summary_finalize;
}

static void
signpost_queue_summary_init (SignpostQueueSummary *self)
{
  self->longest_wait_s = NAN;
}

SignpostQueueSummary *
signpost_queue_summary_new_from_json (JsonNode  *node,
                                      GError   **error)
{
  g_autoptr(SignpostQueueSummary) self = NULL;
  JsonObject *object;
  JsonNode *member;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    {
      g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL,
                           _("The server’s queue figures could not be read."));
      return NULL;
    }
  object = json_node_get_object (node);
  self = g_object_new (SIGNPOST_TYPE_QUEUE_SUMMARY, NULL);
  member = json_object_get_member (object, "practice_id");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) && json_node_get_value_type (member) == G_TYPE_STRING)
    self->practice_id = g_strdup (json_node_get_string (member));
  member = json_object_get_member (object, "longest_wait_s");
  if (member != NULL && JSON_NODE_HOLDS_VALUE (member) &&
      (json_node_get_value_type (member) == G_TYPE_INT64 || json_node_get_value_type (member) == G_TYPE_DOUBLE))
    self->longest_wait_s = json_node_get_double (member);
  if (!read_count (object, "waiting", &self->waiting) ||
      !read_count (object, "callbacks_due", &self->callbacks_due) ||
      !read_count (object, "answered_today", &self->answered_today) ||
      !read_count (object, "on_calls", &self->on_calls))
    {
      g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL,
                           _("The server’s queue figures could not be read."));
      return NULL;
    }
  return g_steal_pointer (&self);
}

const char *
signpost_queue_summary_get_practice_id (SignpostQueueSummary *self)
{
  g_return_val_if_fail (SIGNPOST_IS_QUEUE_SUMMARY (self), NULL);
  return self->practice_id;
}

guint
signpost_queue_summary_get_waiting (SignpostQueueSummary *self)
{
  g_return_val_if_fail (SIGNPOST_IS_QUEUE_SUMMARY (self), 0);
  return self->waiting;
}

double
signpost_queue_summary_get_longest_wait (SignpostQueueSummary *self)
{
  g_return_val_if_fail (SIGNPOST_IS_QUEUE_SUMMARY (self), NAN);
  return self->longest_wait_s;
}

guint
signpost_queue_summary_get_callbacks_due (SignpostQueueSummary *self)
{
  g_return_val_if_fail (SIGNPOST_IS_QUEUE_SUMMARY (self), 0);
  return self->callbacks_due;
}

guint
signpost_queue_summary_get_answered_today (SignpostQueueSummary *self)
{
  g_return_val_if_fail (SIGNPOST_IS_QUEUE_SUMMARY (self), 0);
  return self->answered_today;
}

guint
signpost_queue_summary_get_on_calls (SignpostQueueSummary *self)
{
  g_return_val_if_fail (SIGNPOST_IS_QUEUE_SUMMARY (self), 0);
  return self->on_calls;
}
