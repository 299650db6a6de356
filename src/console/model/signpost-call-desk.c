/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-call-desk.h"

enum {
  PROP_0,
  PROP_CURRENT_CALL,
  PROP_NEXT_CALL,
  PROP_BUSY,
  N_PROPS
};

enum {
  ANSWERED,
  CALLER_REQUESTED,
  N_SIGNALS
};

struct _SignpostCallDesk
{
  GObject parent_instance;

  SignpostActions *actions;     /* weak: the desk lives in the actions' data */
  SignpostCache *cache;
  char *user_id;                /* whose desk it is */
  SignpostCallListModel *mine;  /* calls answered by this user, from the cache */
  SignpostCallListModel *waiting; /* the queue of the practices in view */
  GHashTable *gone;             /* ids the phones say left the queue before the cache does */
  GQueue offers;                /* SignpostCall: offered by the phones, not yet in the cache */
  SignpostCall *next;
  SignpostCall *here;           /* the last call answered from this console */
  GHashTable *over;             /* ids of calls known to be over before the cache says so */
  SignpostCall *current;
  guint n_in_flight;
};

G_DEFINE_FINAL_TYPE (SignpostCallDesk, signpost_call_desk, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

typedef SignpostCall *(*CommandFinish) (SignpostActions  *actions,
                                        GAsyncResult     *result,
                                        GError          **error);

typedef struct {
  char *call_id;
  gboolean answer;
  CommandFinish finish;
} Command;

static void
command_free (Command *command)
{
  g_free (command->call_id);
  g_free (command);
}

static const char *
user_id (SignpostCallDesk *self)
{
  return self->actions ? signpost_actions_get_user_id (self->actions) : NULL;
}

static void
update_current (SignpostCallDesk *self)
{
  SignpostCall *current = NULL;

  if (self->here != NULL)
    {
      const char *id = signpost_record_get_id (SIGNPOST_RECORD (self->here));
      SignpostCall *live = self->mine ? signpost_record_list_lookup (SIGNPOST_RECORD_LIST (self->mine), id) : NULL;

      current = live ? live : self->here;
    }
  else if (self->mine != NULL)
    {
      GListModel *model = G_LIST_MODEL (self->mine);

      for (guint i = 0; i < g_list_model_get_n_items (model) && current == NULL; i++)
        {
          g_autoptr(SignpostCall) call = g_list_model_get_item (model, i);

          if (!g_hash_table_contains (self->over, signpost_record_get_id (SIGNPOST_RECORD (call))))
            current = call;
        }
    }

  if (current == self->current)
    return;
  g_set_object (&self->current, current);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT_CALL]);
}

static const char *
practice_in_view (SignpostCallDesk *self)
{
  return self->actions ? signpost_actions_get_practice_id (self->actions) : NULL;
}

/* The front of the queue: the cache's first call the phones have not
 * since seen go, else the first call the phones offered that the cache
 * has not heard of yet (a new call joins at the back, so it is the front
 * only of an empty queue). */
static void
update_next (SignpostCallDesk *self)
{
  SignpostCall *next = NULL;

  if (self->waiting != NULL)
    {
      GListModel *model = G_LIST_MODEL (self->waiting);

      for (guint i = 0; i < g_list_model_get_n_items (model) && next == NULL; i++)
        {
          g_autoptr(SignpostCall) call = g_list_model_get_item (model, i);
          if (!g_hash_table_contains (self->gone, signpost_record_get_id (SIGNPOST_RECORD (call))))
            next = call;
        }
      for (GList *l = self->offers.head; l != NULL && next == NULL; l = l->next)
        {
          SignpostRecord *call = l->data;

          if (!g_hash_table_contains (self->gone, signpost_record_get_id (call)) &&
              (practice_in_view (self) == NULL ||
               g_strcmp0 (signpost_record_get_practice_id (call), practice_in_view (self)) == 0))
            next = l->data;
        }
    }

  if (next == self->next)
    return;
  g_set_object (&self->next, next);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NEXT_CALL]);
}

static void
forget_offer (SignpostCallDesk *self,
              const char       *call_id)
{
  for (GList *l = self->offers.head; l != NULL; l = l->next)
    if (g_strcmp0 (signpost_record_get_id (l->data), call_id) == 0)
      {
        g_object_unref (l->data);
        g_queue_delete_link (&self->offers, l);
        return;
      }
}

/* A call as the phones announced it, until the cache has the record. */
static SignpostCall *
call_from_event (SignpostCallEvent *event)
{
  SignpostCall *call = signpost_call_new ();

  signpost_record_set_id (SIGNPOST_RECORD (call), signpost_call_event_get_call_id (event));
  signpost_record_set_practice_id (SIGNPOST_RECORD (call), signpost_call_event_get_practice_id (event));
  signpost_call_set_line (call, signpost_call_event_get_line (event));
  signpost_call_set_cli (call, signpost_call_event_get_cli (event));
  signpost_call_set_state (call, SIGNPOST_CALL_QUEUED);
  signpost_call_set_offered_at (call, signpost_call_event_get_at (event));
  return call;
}

/* An offer the cache has not confirmed within a minute is forgotten: the
 * change feed would have brought it (events missed while reconnecting). */
static void
prune_offers (SignpostCallDesk *self)
{
  gint64 now = g_get_monotonic_time ();

  while (!g_queue_is_empty (&self->offers))
    {
      gint64 received = (gint64) GPOINTER_TO_SIZE (g_object_get_data (g_queue_peek_head (&self->offers),
                                                                    "signpost-received-us"));
      if (now - received < 60 * G_USEC_PER_SEC)
        break;
      g_object_unref (g_queue_pop_head (&self->offers));
    }
}

static void
on_waiting_changed (SignpostCallDesk *self)
{
  GHashTableIter iter;
  const char *id;

  /* What the cache now shows needs no remembering. */
  for (GList *l = self->offers.head; l != NULL;)
    {
      GList *following = l->next;

      if (signpost_record_list_lookup (SIGNPOST_RECORD_LIST (self->waiting), signpost_record_get_id (l->data)) != NULL)
        {
          g_object_unref (l->data);
          g_queue_delete_link (&self->offers, l);
        }
      l = following;
    }
  g_hash_table_iter_init (&iter, self->gone);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    if (signpost_record_list_lookup (SIGNPOST_RECORD_LIST (self->waiting), id) == NULL)
      g_hash_table_iter_remove (&iter);
  update_next (self);
}

/* After a break the phones' news may be out of date: the cache (synced
 * again on reconnecting) is the truth. */
static void
on_available_changed (SignpostCallDesk *self)
{
  g_hash_table_remove_all (self->gone);
  g_queue_clear_full (&self->offers, g_object_unref);
  update_next (self);
}

static void
on_practice_changed (SignpostCallDesk *self)
{
  if (self->waiting != NULL)
    signpost_call_list_model_set_practice_id (self->waiting, practice_in_view (self));
  update_next (self);
}

static void
mark_over (SignpostCallDesk *self,
           const char       *call_id)
{
  g_hash_table_add (self->over, g_strdup (call_id));
  if (self->here != NULL && g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (self->here)), call_id) == 0)
    g_clear_object (&self->here);
  update_current (self);
}

static void
on_mine_changed (SignpostCallDesk *self)
{
  GHashTableIter iter;
  const char *id;

  /* Once the cache no longer shows a call as ours, it need not be
   * remembered as over. */
  g_hash_table_iter_init (&iter, self->over);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, NULL))
    if (signpost_record_list_lookup (SIGNPOST_RECORD_LIST (self->mine), id) == NULL)
      g_hash_table_iter_remove (&iter);
  update_current (self);
}

static void
on_call_event (SignpostCallDesk  *self,
               SignpostCallEvent *event)
{
  const char *id = signpost_call_event_get_call_id (event);

  /* The front of the queue. */
  switch (signpost_call_event_get_kind (event))
    {
    case SIGNPOST_CALL_EVENT_OFFERED:
      /* Only the practices in view; and the cache is the truth for any
       * call it has, or that it should have heard of by now. */
      prune_offers (self);
      if (!g_hash_table_contains (self->gone, id) &&
          (practice_in_view (self) == NULL ||
           g_strcmp0 (signpost_call_event_get_practice_id (event), practice_in_view (self)) == 0) &&
          (self->waiting == NULL || signpost_record_list_lookup (SIGNPOST_RECORD_LIST (self->waiting), id) == NULL))
        {
          SignpostCall *call = call_from_event (event);

          g_object_set_data (G_OBJECT (call), "signpost-received-us",
                             GSIZE_TO_POINTER ((gsize) signpost_call_event_get_received_us (event)));
          g_queue_push_tail (&self->offers, call);
        }
      break;
    case SIGNPOST_CALL_EVENT_ANSWERED:
    case SIGNPOST_CALL_EVENT_ABANDONED:
    case SIGNPOST_CALL_EVENT_ENDED:
    case SIGNPOST_CALL_EVENT_CALLBACK_DONE:
      g_hash_table_add (self->gone, g_strdup (id));
      forget_offer (self, id);
      break;
    case SIGNPOST_CALL_EVENT_CALLBACK_REQUESTED:
      /* Back in the queue, in its place (a callback, or a second try). */
      g_hash_table_remove (self->gone, id);
      break;
    default:
      break;
    }
  update_next (self);

  /* This navigator's own call. */
  switch (signpost_call_event_get_kind (event))
    {
    case SIGNPOST_CALL_EVENT_ENDED:
    case SIGNPOST_CALL_EVENT_ABANDONED:
    case SIGNPOST_CALL_EVENT_CALLBACK_DONE:
    case SIGNPOST_CALL_EVENT_CALLBACK_REQUESTED:
      mark_over (self, id);
      break;
    case SIGNPOST_CALL_EVENT_OFFERED:
    case SIGNPOST_CALL_EVENT_ANSWERED:
    default:
      break;
    }
}

static void
rebuild (SignpostCallDesk *self)
{
  SignpostCache *cache = self->actions ? signpost_actions_get_cache (self->actions) : NULL;

  /* The user record is refreshed by the change feed too: only another
   * cache or another person starts the desk afresh. */
  if (cache == self->cache && g_strcmp0 (user_id (self), self->user_id) == 0)
    return;
  g_free (self->user_id);
  self->user_id = g_strdup (user_id (self));

  if (self->mine != NULL)
    g_signal_handlers_disconnect_by_data (self->mine, self);
  if (self->waiting != NULL)
    g_signal_handlers_disconnect_by_data (self->waiting, self);
  g_clear_object (&self->mine);
  g_clear_object (&self->waiting);
  g_clear_object (&self->here);
  g_hash_table_remove_all (self->over);
  g_hash_table_remove_all (self->gone);
  g_queue_clear_full (&self->offers, g_object_unref);
  g_set_object (&self->cache, cache);

  if (cache != NULL && user_id (self) != NULL)
    {
      self->mine = signpost_call_list_model_new (cache, SIGNPOST_CALL_LIST_IN_PROGRESS);
      signpost_call_list_model_set_answered_by (self->mine, user_id (self));
      g_signal_connect_swapped (self->mine, "items-changed", G_CALLBACK (on_mine_changed), self);
      self->waiting = signpost_call_list_model_new (cache, SIGNPOST_CALL_LIST_WAITING);
      signpost_call_list_model_set_practice_id (self->waiting, practice_in_view (self));
      g_signal_connect_swapped (self->waiting, "items-changed", G_CALLBACK (on_waiting_changed), self);
    }
  update_current (self);
  update_next (self);
}

static void
set_in_flight (SignpostCallDesk *self,
               int               delta)
{
  gboolean was_busy = self->n_in_flight > 0;

  self->n_in_flight += delta;
  if (was_busy != (self->n_in_flight > 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

/* ---- commands ------------------------------------------------------------------- */

/* After any call command of ours: the call as the server now has it. */
static void
command_replied (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SignpostCallDesk *self = g_task_get_source_object (task);
  Command *command = g_task_get_task_data (task);
  g_autoptr(SignpostCall) call = NULL;
  g_autoptr(GError) error = NULL;

  set_in_flight (self, -1);
  call = command->finish (SIGNPOST_ACTIONS (source), result, &error);
  if (call == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (signpost_call_get_state (call) == SIGNPOST_CALL_ANSWERED)
    {
      g_hash_table_remove (self->over, command->call_id);
      g_set_object (&self->here, call);
      update_current (self);
      if (command->answer)
        g_signal_emit (self, signals[ANSWERED], 0, call);
    }
  else
    mark_over (self, command->call_id);

  g_task_return_pointer (task, g_steal_pointer (&call), g_object_unref);
}

static GTask *
start_command (SignpostCallDesk    *self,
               const char          *call_id,
               gboolean             answer,
               CommandFinish        finish,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Command *command;

  g_task_set_source_tag (task, source_tag);
  if (self->actions == NULL || call_id == NULL)
    {
      g_task_return_new_error (task, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_OFFLINE,
                               _("Phones are unavailable while this PC is offline."));
      return NULL;
    }
  command = g_new0 (Command, 1);
  command->call_id = g_strdup (call_id);
  command->answer = answer;
  command->finish = finish;
  g_task_set_task_data (task, command, (GDestroyNotify) command_free);
  set_in_flight (self, +1);
  return g_steal_pointer (&task);
}

/* ---- GObject ---------------------------------------------------------------------- */

static void
signpost_call_desk_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SignpostCallDesk *self = SIGNPOST_CALL_DESK (object);

  switch (prop_id)
    {
    case PROP_CURRENT_CALL:
      g_value_set_object (value, self->current);
      break;
    case PROP_NEXT_CALL:
      g_value_set_object (value, self->next);
      break;
    case PROP_BUSY:
      g_value_set_boolean (value, self->n_in_flight > 0);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_call_desk_dispose (GObject *object)
{
  SignpostCallDesk *self = SIGNPOST_CALL_DESK (object);

  if (self->actions != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->actions, self);
      g_signal_handlers_disconnect_by_data (signpost_actions_get_call_hub (self->actions), self);
      g_object_remove_weak_pointer (G_OBJECT (self->actions), (gpointer *) &self->actions);
      self->actions = NULL;
    }
  if (self->mine != NULL)
    g_signal_handlers_disconnect_by_data (self->mine, self);
  if (self->waiting != NULL)
    g_signal_handlers_disconnect_by_data (self->waiting, self);
  g_clear_object (&self->mine);
  g_clear_object (&self->waiting);
  g_clear_object (&self->cache);
  g_clear_object (&self->here);
  g_clear_object (&self->current);
  g_clear_object (&self->next);
  g_queue_clear_full (&self->offers, g_object_unref);

  G_OBJECT_CLASS (signpost_call_desk_parent_class)->dispose (object);
}

static void
signpost_call_desk_finalize (GObject *object)
{
  SignpostCallDesk *self = SIGNPOST_CALL_DESK (object);

  g_clear_pointer (&self->over, g_hash_table_unref);
  g_clear_pointer (&self->gone, g_hash_table_unref);
  g_free (self->user_id);

  G_OBJECT_CLASS (signpost_call_desk_parent_class)->finalize (object);
}

static void
signpost_call_desk_class_init (SignpostCallDeskClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = signpost_call_desk_get_property;
  object_class->dispose = signpost_call_desk_dispose;
  object_class->finalize = signpost_call_desk_finalize;

  /* The call this navigator is on now, or NULL when free. */
  properties[PROP_CURRENT_CALL] =
    g_param_spec_object ("current-call", NULL, NULL, SIGNPOST_TYPE_CALL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The call at the front of the queue in view, or NULL. */
  properties[PROP_NEXT_CALL] =
    g_param_spec_object ("next-call", NULL, NULL, SIGNPOST_TYPE_CALL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* A command is on its way to the server. */
  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ANSWERED] = g_signal_new ("answered", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                    0, NULL, NULL, NULL, G_TYPE_NONE, 1, SIGNPOST_TYPE_CALL);
  signals[CALLER_REQUESTED] = g_signal_new ("caller-requested", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                            0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
signpost_call_desk_init (SignpostCallDesk *self)
{
  self->over = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->gone = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_queue_init (&self->offers);
}

/* ---- public API ---------------------------------------------------------------------- */

/**
 * signpost_call_desk_get_for_actions:
 *
 * Returns: (transfer none): the desk of @actions, made on first use
 */
SignpostCallDesk *
signpost_call_desk_get_for_actions (SignpostActions *actions)
{
  static GQuark quark;
  SignpostCallDesk *self;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (actions), NULL);

  if (quark == 0)
    quark = g_quark_from_static_string ("signpost-call-desk");
  self = g_object_get_qdata (G_OBJECT (actions), quark);
  if (self != NULL)
    return self;

  self = g_object_new (SIGNPOST_TYPE_CALL_DESK, NULL);
  self->actions = actions;
  g_object_add_weak_pointer (G_OBJECT (actions), (gpointer *) &self->actions);
  g_object_set_qdata_full (G_OBJECT (actions), quark, self, g_object_unref);
  g_signal_connect_swapped (actions, "notify::cache", G_CALLBACK (rebuild), self);
  g_signal_connect_swapped (actions, "notify::user", G_CALLBACK (rebuild), self);
  g_signal_connect_swapped (actions, "notify::practice-id", G_CALLBACK (on_practice_changed), self);
  g_signal_connect_swapped (signpost_actions_get_call_hub (actions), "call-event",
                            G_CALLBACK (on_call_event), self);
  g_signal_connect_swapped (signpost_actions_get_call_hub (actions), "notify::available",
                            G_CALLBACK (on_available_changed), self);
  rebuild (self);
  return self;
}

/**
 * signpost_call_desk_get_for_engine:
 *
 * Returns: (transfer none): the desk of @engine's actions
 */
SignpostCallDesk *
signpost_call_desk_get_for_engine (SignpostSyncEngine *engine)
{
  g_return_val_if_fail (SIGNPOST_IS_SYNC_ENGINE (engine), NULL);
  return signpost_call_desk_get_for_actions (signpost_actions_get_for_engine (engine));
}

SignpostActions *
signpost_call_desk_get_actions (SignpostCallDesk *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_DESK (self), NULL);
  return self->actions;
}

SignpostCall *
signpost_call_desk_get_current_call (SignpostCallDesk *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_DESK (self), NULL);
  return self->current;
}

SignpostCall *
signpost_call_desk_get_next_call (SignpostCallDesk *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_DESK (self), NULL);
  return self->next;
}

gboolean
signpost_call_desk_get_busy (SignpostCallDesk *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_DESK (self), FALSE);
  return self->n_in_flight > 0;
}

void
signpost_call_desk_request_caller (SignpostCallDesk *self)
{
  g_return_if_fail (SIGNPOST_IS_CALL_DESK (self));
  g_signal_emit (self, signals[CALLER_REQUESTED], 0);
}

gboolean
signpost_call_desk_is_mine (SignpostCallDesk *self,
                            SignpostCall     *call)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_DESK (self), FALSE);
  return call != NULL && user_id (self) != NULL &&
         g_strcmp0 (signpost_call_get_answered_by (call), user_id (self)) == 0;
}

void
signpost_call_desk_answer_async (SignpostCallDesk    *self,
                                 const char          *call_id,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SIGNPOST_IS_CALL_DESK (self));

  task = start_command (self, call_id, TRUE, signpost_actions_answer_call_finish, signpost_call_desk_answer_async,
                        cancellable, callback, user_data);
  if (task != NULL)
    signpost_actions_answer_call_async (self->actions, call_id, cancellable, command_replied, task);
}

SignpostCall *
signpost_call_desk_answer_finish (SignpostCallDesk  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
signpost_call_desk_end_async (SignpostCallDesk    *self,
                              const char          *call_id,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  GTask *task;

  g_return_if_fail (SIGNPOST_IS_CALL_DESK (self));

  task = start_command (self, call_id, FALSE, signpost_actions_end_call_finish, signpost_call_desk_end_async,
                        cancellable, callback, user_data);
  if (task != NULL)
    signpost_actions_end_call_async (self->actions, call_id, cancellable, command_replied, task);
}

SignpostCall *
signpost_call_desk_end_finish (SignpostCallDesk  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

void
signpost_call_desk_complete_async (SignpostCallDesk        *self,
                                   const char              *call_id,
                                   SignpostCallbackOutcome  outcome,
                                   GCancellable            *cancellable,
                                   GAsyncReadyCallback      callback,
                                   gpointer                 user_data)
{
  GTask *task;

  g_return_if_fail (SIGNPOST_IS_CALL_DESK (self));
  g_return_if_fail (outcome == SIGNPOST_CALLBACK_OUTCOME_REACHED ||
                    outcome == SIGNPOST_CALLBACK_OUTCOME_NO_ANSWER);

  task = start_command (self, call_id, FALSE, signpost_actions_complete_callback_finish,
                        signpost_call_desk_complete_async, cancellable, callback, user_data);
  if (task != NULL)
    signpost_actions_complete_callback_async (self->actions, call_id, outcome, cancellable, command_replied, task);
}

SignpostCall *
signpost_call_desk_complete_finish (SignpostCallDesk  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
