/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include "signpost-patient-search-model.h"

enum {
  PROP_0,
  PROP_QUERY,
  PROP_PRACTICE_ID,
  PROP_LIMIT,
  PROP_MORE,
  PROP_INCLUDE_LEFT,
  N_PROPS
};

struct _SignpostPatientSearchModel
{
  SignpostRecordList parent_instance;

  char *query;
  char *practice_id;
  guint limit;
  gboolean more;
  gboolean include_left;
};

G_DEFINE_FINAL_TYPE (SignpostPatientSearchModel, signpost_patient_search_model,
                     SIGNPOST_TYPE_RECORD_LIST)

static GParamSpec *properties[N_PROPS];

static GPtrArray *
signpost_patient_search_model_load (SignpostRecordList *list,
                                    SignpostCache      *cache,
                                    GError            **error)
{
  SignpostPatientSearchModel *self = SIGNPOST_PATIENT_SEARCH_MODEL (list);
  gboolean more = FALSE;
  GPtrArray *found;

  found = signpost_cache_search_patients_full (cache, self->query, self->practice_id, self->include_left,
                                               self->limit, &more, error);
  if (self->more != more)
    {
      self->more = more;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MORE]);
    }
  return found;
}

static void
signpost_patient_search_model_get_property (GObject    *object,
                                            guint       prop_id,
                                            GValue     *value,
                                            GParamSpec *pspec)
{
  SignpostPatientSearchModel *self = SIGNPOST_PATIENT_SEARCH_MODEL (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      g_value_set_string (value, self->query);
      break;
    case PROP_PRACTICE_ID:
      g_value_set_string (value, self->practice_id);
      break;
    case PROP_LIMIT:
      g_value_set_uint (value, self->limit);
      break;
    case PROP_MORE:
      g_value_set_boolean (value, self->more);
      break;
    case PROP_INCLUDE_LEFT:
      g_value_set_boolean (value, self->include_left);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_patient_search_model_set_property (GObject      *object,
                                            guint         prop_id,
                                            const GValue *value,
                                            GParamSpec   *pspec)
{
  SignpostPatientSearchModel *self = SIGNPOST_PATIENT_SEARCH_MODEL (object);

  switch (prop_id)
    {
    case PROP_QUERY:
      signpost_patient_search_model_set_query (self, g_value_get_string (value));
      break;
    case PROP_PRACTICE_ID:
      signpost_patient_search_model_set_practice_id (self, g_value_get_string (value));
      break;
    case PROP_LIMIT:
      signpost_patient_search_model_set_limit (self, g_value_get_uint (value));
      break;
    case PROP_INCLUDE_LEFT:
      signpost_patient_search_model_set_include_left (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_patient_search_model_finalize (GObject *object)
{
  SignpostPatientSearchModel *self = SIGNPOST_PATIENT_SEARCH_MODEL (object);

  g_clear_pointer (&self->query, g_free);
  g_clear_pointer (&self->practice_id, g_free);

  G_OBJECT_CLASS (signpost_patient_search_model_parent_class)->finalize (object);
}

static void
signpost_patient_search_model_class_init (SignpostPatientSearchModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SignpostRecordListClass *list_class = SIGNPOST_RECORD_LIST_CLASS (klass);

  object_class->get_property = signpost_patient_search_model_get_property;
  object_class->set_property = signpost_patient_search_model_set_property;
  object_class->finalize = signpost_patient_search_model_finalize;

  list_class->load = signpost_patient_search_model_load;

  properties[PROP_QUERY] =
    g_param_spec_string ("query", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRACTICE_ID] =
    g_param_spec_string ("practice-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LIMIT] =
    g_param_spec_uint ("limit", NULL, NULL, 1, 1000, 50,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MORE] =
    g_param_spec_boolean ("more", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Patients who left the practice are found only when this is set. */
  properties[PROP_INCLUDE_LEFT] =
    g_param_spec_boolean ("include-left", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
signpost_patient_search_model_init (SignpostPatientSearchModel *self)
{
  self->limit = 50;
}

SignpostPatientSearchModel *
signpost_patient_search_model_new (SignpostCache *cache)
{
  return g_object_new (SIGNPOST_TYPE_PATIENT_SEARCH_MODEL,
                       "cache", cache,
                       "kind", SIGNPOST_RECORD_PATIENT,
                       NULL);
}

const char *
signpost_patient_search_model_get_query (SignpostPatientSearchModel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PATIENT_SEARCH_MODEL (self), NULL);
  return self->query;
}

void
signpost_patient_search_model_set_query (SignpostPatientSearchModel *self,
                                         const char                 *query)
{
  g_return_if_fail (SIGNPOST_IS_PATIENT_SEARCH_MODEL (self));

  if (g_strcmp0 (self->query, query) == 0)
    return;
  g_free (self->query);
  self->query = g_strdup (query);
  signpost_record_list_reload (SIGNPOST_RECORD_LIST (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_QUERY]);
}

const char *
signpost_patient_search_model_get_practice_id (SignpostPatientSearchModel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PATIENT_SEARCH_MODEL (self), NULL);
  return self->practice_id;
}

void
signpost_patient_search_model_set_practice_id (SignpostPatientSearchModel *self,
                                               const char                 *practice_id)
{
  g_return_if_fail (SIGNPOST_IS_PATIENT_SEARCH_MODEL (self));

  if (g_strcmp0 (self->practice_id, practice_id) == 0)
    return;
  g_free (self->practice_id);
  self->practice_id = g_strdup (practice_id);
  signpost_record_list_reload (SIGNPOST_RECORD_LIST (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTICE_ID]);
}

guint
signpost_patient_search_model_get_limit (SignpostPatientSearchModel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PATIENT_SEARCH_MODEL (self), 0);
  return self->limit;
}

void
signpost_patient_search_model_set_limit (SignpostPatientSearchModel *self,
                                         guint                       limit)
{
  g_return_if_fail (SIGNPOST_IS_PATIENT_SEARCH_MODEL (self));

  if (self->limit == limit)
    return;
  self->limit = limit;
  signpost_record_list_reload (SIGNPOST_RECORD_LIST (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LIMIT]);
}

gboolean
signpost_patient_search_model_get_more (SignpostPatientSearchModel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PATIENT_SEARCH_MODEL (self), FALSE);
  return self->more;
}

gboolean
signpost_patient_search_model_get_include_left (SignpostPatientSearchModel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PATIENT_SEARCH_MODEL (self), FALSE);
  return self->include_left;
}

void
signpost_patient_search_model_set_include_left (SignpostPatientSearchModel *self,
                                                gboolean                    include_left)
{
  g_return_if_fail (SIGNPOST_IS_PATIENT_SEARCH_MODEL (self));

  include_left = !!include_left;
  if (self->include_left == include_left)
    return;
  self->include_left = include_left;
  signpost_record_list_reload (SIGNPOST_RECORD_LIST (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_INCLUDE_LEFT]);
}
