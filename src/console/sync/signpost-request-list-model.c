/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include "signpost-request-list-model.h"

enum {
  PROP_0,
  PROP_PRACTICE_ID,
  PROP_SOURCE,
  PROP_UNMATCHED_ONLY,
  N_PROPS
};

struct _SignpostRequestListModel
{
  SignpostRecordList parent_instance;

  char *practice_id;
  int source;
  gboolean unmatched_only;
};

G_DEFINE_FINAL_TYPE (SignpostRequestListModel, signpost_request_list_model, SIGNPOST_TYPE_RECORD_LIST)

static GParamSpec *properties[N_PROPS];

/* Milliseconds, as the cache's index keeps them. */
static gint64
instant_ms (GDateTime *instant)
{
  return g_date_time_to_unix (instant) * 1000 + g_date_time_get_microsecond (instant) / 1000;
}

static gint64
deadline_ms (SignpostTriage *triage)
{
  GDateTime *respond_by = signpost_triage_get_respond_by (triage);

  return respond_by ? instant_ms (respond_by) : SIGNPOST_CACHE_NO_DEADLINE;
}

static gint64
arrived_ms (SignpostTriage *triage)
{
  GDateTime *created = signpost_triage_get_created_at (triage);
  GDateTime *updated = signpost_record_get_updated_at (SIGNPOST_RECORD (triage));

  if (created != NULL)
    return instant_ms (created);
  return updated ? instant_ms (updated) : 0;
}

int
signpost_request_list_compare (SignpostTriage *a,
                               SignpostTriage *b)
{
  int ua = signpost_triage_get_urgency (a), ub = signpost_triage_get_urgency (b);
  gint64 da, db, aa, ab;

  if (ua != ub)
    return ua < ub ? -1 : 1;
  da = deadline_ms (a);
  db = deadline_ms (b);
  if (da != db)
    return da < db ? -1 : 1;
  aa = arrived_ms (a);
  ab = arrived_ms (b);
  if (aa != ab)
    return aa < ab ? -1 : 1;
  return 0;
}

static GPtrArray *
signpost_request_list_model_load (SignpostRecordList  *list,
                                  SignpostCache       *cache,
                                  GError             **error)
{
  SignpostRequestListModel *self = SIGNPOST_REQUEST_LIST_MODEL (list);

  return signpost_cache_list_requests (cache, self->practice_id, self->source, self->unmatched_only, error);
}

static gboolean
signpost_request_list_model_filter (SignpostRecordList *list,
                                    SignpostRecord     *record)
{
  SignpostRequestListModel *self = SIGNPOST_REQUEST_LIST_MODEL (list);
  SignpostTriage *triage = SIGNPOST_TRIAGE (record);

  if (signpost_triage_get_status (triage) != SIGNPOST_TRIAGE_OPEN)
    return FALSE;
  if (self->practice_id != NULL &&
      g_strcmp0 (signpost_record_get_practice_id (record), self->practice_id) != 0)
    return FALSE;
  if (self->source >= 0 && (int) signpost_triage_get_source (triage) != self->source)
    return FALSE;
  if (self->unmatched_only && signpost_triage_get_patient_id (triage) != NULL)
    return FALSE;
  return TRUE;
}

static int
signpost_request_list_model_compare (SignpostRecordList *list,
                                     SignpostRecord     *a,
                                     SignpostRecord     *b)
{
  return signpost_request_list_compare (SIGNPOST_TRIAGE (a), SIGNPOST_TRIAGE (b));
}

static void
signpost_request_list_model_get_property (GObject    *object,
                                          guint       prop_id,
                                          GValue     *value,
                                          GParamSpec *pspec)
{
  SignpostRequestListModel *self = SIGNPOST_REQUEST_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_PRACTICE_ID:
      g_value_set_string (value, self->practice_id);
      break;
    case PROP_SOURCE:
      g_value_set_int (value, self->source);
      break;
    case PROP_UNMATCHED_ONLY:
      g_value_set_boolean (value, self->unmatched_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_request_list_model_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec)
{
  SignpostRequestListModel *self = SIGNPOST_REQUEST_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_PRACTICE_ID:
      signpost_request_list_model_set_practice_id (self, g_value_get_string (value));
      break;
    case PROP_SOURCE:
      signpost_request_list_model_set_source (self, g_value_get_int (value));
      break;
    case PROP_UNMATCHED_ONLY:
      signpost_request_list_model_set_unmatched_only (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_request_list_model_finalize (GObject *object)
{
  SignpostRequestListModel *self = SIGNPOST_REQUEST_LIST_MODEL (object);

  g_clear_pointer (&self->practice_id, g_free);

  G_OBJECT_CLASS (signpost_request_list_model_parent_class)->finalize (object);
}

static void
signpost_request_list_model_class_init (SignpostRequestListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SignpostRecordListClass *list_class = SIGNPOST_RECORD_LIST_CLASS (klass);

  object_class->get_property = signpost_request_list_model_get_property;
  object_class->set_property = signpost_request_list_model_set_property;
  object_class->finalize = signpost_request_list_model_finalize;

  list_class->load = signpost_request_list_model_load;
  list_class->filter = signpost_request_list_model_filter;
  list_class->compare = signpost_request_list_model_compare;

  properties[PROP_PRACTICE_ID] =
    g_param_spec_string ("practice-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SOURCE] =
    g_param_spec_int ("source", NULL, NULL, -1, SIGNPOST_REQUEST_SOURCE_INTAKE, -1,
                      G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNMATCHED_ONLY] =
    g_param_spec_boolean ("unmatched-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
signpost_request_list_model_init (SignpostRequestListModel *self)
{
  self->source = -1;
}

SignpostRequestListModel *
signpost_request_list_model_new (SignpostCache *cache)
{
  return g_object_new (SIGNPOST_TYPE_REQUEST_LIST_MODEL,
                       "cache", cache,
                       "kind", SIGNPOST_RECORD_TRIAGE,
                       NULL);
}

const char *
signpost_request_list_model_get_practice_id (SignpostRequestListModel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_LIST_MODEL (self), NULL);
  return self->practice_id;
}

void
signpost_request_list_model_set_practice_id (SignpostRequestListModel *self,
                                             const char               *practice_id)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_LIST_MODEL (self));

  if (g_strcmp0 (self->practice_id, practice_id) == 0)
    return;
  g_free (self->practice_id);
  self->practice_id = g_strdup (practice_id);
  signpost_record_list_reload (SIGNPOST_RECORD_LIST (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTICE_ID]);
}

int
signpost_request_list_model_get_source (SignpostRequestListModel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_LIST_MODEL (self), -1);
  return self->source;
}

void
signpost_request_list_model_set_source (SignpostRequestListModel *self,
                                        int                       source)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_LIST_MODEL (self));

  source = source < 0 ? -1 : source;
  if (self->source == source)
    return;
  self->source = source;
  signpost_record_list_reload (SIGNPOST_RECORD_LIST (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SOURCE]);
}

gboolean
signpost_request_list_model_get_unmatched_only (SignpostRequestListModel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_LIST_MODEL (self), FALSE);
  return self->unmatched_only;
}

void
signpost_request_list_model_set_unmatched_only (SignpostRequestListModel *self,
                                                gboolean                  unmatched_only)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_LIST_MODEL (self));

  unmatched_only = !!unmatched_only;
  if (self->unmatched_only == unmatched_only)
    return;
  self->unmatched_only = unmatched_only;
  signpost_record_list_reload (SIGNPOST_RECORD_LIST (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNMATCHED_ONLY]);
}
