/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include "signpost-call-list-model.h"
#include "signpost-sync-enum-types.h"

enum {
  PROP_0,
  PROP_VIEW,
  PROP_PRACTICE_ID,
  PROP_ANSWERED_BY,
  N_PROPS
};

struct _SignpostCallListModel
{
  SignpostRecordList parent_instance;

  SignpostCallListView view;
  char *practice_id;
  char *answered_by;
};

G_DEFINE_FINAL_TYPE (SignpostCallListModel, signpost_call_list_model, SIGNPOST_TYPE_RECORD_LIST)

static GParamSpec *properties[N_PROPS];

static const SignpostCallState *
states_for (SignpostCallListView view)
{
  static const SignpostCallState waiting[] = { SIGNPOST_CALL_QUEUED, SIGNPOST_CALL_CALLBACK_REQUESTED, -1 };
  static const SignpostCallState callbacks[] = { SIGNPOST_CALL_CALLBACK_REQUESTED, -1 };
  static const SignpostCallState in_progress[] = { SIGNPOST_CALL_ANSWERED, -1 };
  static const SignpostCallState ringing[] = { SIGNPOST_CALL_RINGING, -1 };
  static const SignpostCallState done[] = { SIGNPOST_CALL_CALLBACK_DONE, -1 };

  switch (view)
    {
    case SIGNPOST_CALL_LIST_CALLBACKS:
      return callbacks;
    case SIGNPOST_CALL_LIST_IN_PROGRESS:
      return in_progress;
    case SIGNPOST_CALL_LIST_RINGING:
      return ringing;
    case SIGNPOST_CALL_LIST_FAILED_CONTACTS:
      return done;
    case SIGNPOST_CALL_LIST_WAITING:
    default:
      return waiting;
    }
}

static GPtrArray *
signpost_call_list_model_load (SignpostRecordList *list,
                               SignpostCache      *cache,
                               GError            **error)
{
  SignpostCallListModel *self = SIGNPOST_CALL_LIST_MODEL (list);
  GPtrArray *calls;

  calls = signpost_cache_list_calls (cache, states_for (self->view), self->practice_id,
                                     self->answered_by, error);
  /* Of the callbacks done, the failed contacts still to follow up. */
  if (calls != NULL && self->view == SIGNPOST_CALL_LIST_FAILED_CONTACTS)
    for (guint i = calls->len; i > 0; i--)
      if (!signpost_call_needs_follow_up (g_ptr_array_index (calls, i - 1)))
        g_ptr_array_remove_index (calls, i - 1);
  return calls;
}

static gboolean
signpost_call_list_model_filter (SignpostRecordList *list,
                                 SignpostRecord     *record)
{
  SignpostCallListModel *self = SIGNPOST_CALL_LIST_MODEL (list);
  SignpostCall *call = SIGNPOST_CALL (record);
  const SignpostCallState *states = states_for (self->view);
  gboolean state_ok = FALSE;

  for (guint i = 0; states[i] != (SignpostCallState) -1; i++)
    if (signpost_call_get_state (call) == states[i])
      state_ok = TRUE;
  if (self->view == SIGNPOST_CALL_LIST_FAILED_CONTACTS && !signpost_call_needs_follow_up (call))
    return FALSE;
  return state_ok &&
         (self->practice_id == NULL ||
          g_strcmp0 (signpost_record_get_practice_id (record), self->practice_id) == 0) &&
         (self->answered_by == NULL ||
          g_strcmp0 (signpost_call_get_answered_by (call), self->answered_by) == 0);
}

static gint64
offered_ms (SignpostCall *call)
{
  GDateTime *at = signpost_call_get_offered_at (call);

  return at ? g_date_time_to_unix (at) * 1000 + g_date_time_get_microsecond (at) / 1000 : 0;
}

static int
signpost_call_list_model_compare (SignpostRecordList *list,
                                  SignpostRecord     *a,
                                  SignpostRecord     *b)
{
  gint64 ta = offered_ms (SIGNPOST_CALL (a));
  gint64 tb = offered_ms (SIGNPOST_CALL (b));

  if (ta != tb)
    return ta < tb ? -1 : 1;
  return g_strcmp0 (signpost_call_get_call_ref (SIGNPOST_CALL (a)),
                    signpost_call_get_call_ref (SIGNPOST_CALL (b)));
}

static void
signpost_call_list_model_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  SignpostCallListModel *self = SIGNPOST_CALL_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      g_value_set_enum (value, self->view);
      break;
    case PROP_PRACTICE_ID:
      g_value_set_string (value, self->practice_id);
      break;
    case PROP_ANSWERED_BY:
      g_value_set_string (value, self->answered_by);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_call_list_model_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  SignpostCallListModel *self = SIGNPOST_CALL_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_VIEW:
      self->view = g_value_get_enum (value);
      break;
    case PROP_PRACTICE_ID:
      signpost_call_list_model_set_practice_id (self, g_value_get_string (value));
      break;
    case PROP_ANSWERED_BY:
      signpost_call_list_model_set_answered_by (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_call_list_model_finalize (GObject *object)
{
  SignpostCallListModel *self = SIGNPOST_CALL_LIST_MODEL (object);

  g_clear_pointer (&self->practice_id, g_free);
  g_clear_pointer (&self->answered_by, g_free);

  G_OBJECT_CLASS (signpost_call_list_model_parent_class)->finalize (object);
}

static void
signpost_call_list_model_class_init (SignpostCallListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SignpostRecordListClass *list_class = SIGNPOST_RECORD_LIST_CLASS (klass);

  object_class->get_property = signpost_call_list_model_get_property;
  object_class->set_property = signpost_call_list_model_set_property;
  object_class->finalize = signpost_call_list_model_finalize;

  list_class->load = signpost_call_list_model_load;
  list_class->filter = signpost_call_list_model_filter;
  list_class->compare = signpost_call_list_model_compare;

  properties[PROP_VIEW] =
    g_param_spec_enum ("view", NULL, NULL, SIGNPOST_TYPE_CALL_LIST_VIEW, SIGNPOST_CALL_LIST_WAITING,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRACTICE_ID] =
    g_param_spec_string ("practice-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ANSWERED_BY] =
    g_param_spec_string ("answered-by", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
signpost_call_list_model_init (SignpostCallListModel *self)
{
}

SignpostCallListModel *
signpost_call_list_model_new (SignpostCache        *cache,
                              SignpostCallListView  view)
{
  return g_object_new (SIGNPOST_TYPE_CALL_LIST_MODEL,
                       "cache", cache,
                       "kind", SIGNPOST_RECORD_CALL,
                       "view", view,
                       NULL);
}

SignpostCallListView
signpost_call_list_model_get_view (SignpostCallListModel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_LIST_MODEL (self), 0);
  return self->view;
}

const char *
signpost_call_list_model_get_practice_id (SignpostCallListModel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_LIST_MODEL (self), NULL);
  return self->practice_id;
}

void
signpost_call_list_model_set_practice_id (SignpostCallListModel *self,
                                          const char            *practice_id)
{
  g_return_if_fail (SIGNPOST_IS_CALL_LIST_MODEL (self));

  if (g_strcmp0 (self->practice_id, practice_id) == 0)
    return;
  g_free (self->practice_id);
  self->practice_id = g_strdup (practice_id);
  signpost_record_list_reload (SIGNPOST_RECORD_LIST (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTICE_ID]);
}

const char *
signpost_call_list_model_get_answered_by (SignpostCallListModel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_LIST_MODEL (self), NULL);
  return self->answered_by;
}

void
signpost_call_list_model_set_answered_by (SignpostCallListModel *self,
                                          const char            *user_id)
{
  g_return_if_fail (SIGNPOST_IS_CALL_LIST_MODEL (self));

  if (g_strcmp0 (self->answered_by, user_id) == 0)
    return;
  g_free (self->answered_by);
  self->answered_by = g_strdup (user_id);
  signpost_record_list_reload (SIGNPOST_RECORD_LIST (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ANSWERED_BY]);
}
