/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include "signpost-triage-list-model.h"
#include "signpost-enum-types.h"

enum {
  PROP_0,
  PROP_STATUSES,
  PROP_PRACTICE_ID,
  PROP_FOR_CLINICIAN_ID,
  N_PROPS
};

struct _SignpostTriageListModel
{
  SignpostRecordList parent_instance;

  GArray *statuses; /* SignpostTriageStatus, -1-terminated */
  char *practice_id;
  char *for_clinician_id;
};

G_DEFINE_FINAL_TYPE (SignpostTriageListModel, signpost_triage_list_model, SIGNPOST_TYPE_RECORD_LIST)

static GParamSpec *properties[N_PROPS];

static GPtrArray *
signpost_triage_list_model_load (SignpostRecordList *list,
                                 SignpostCache      *cache,
                                 GError            **error)
{
  SignpostTriageListModel *self = SIGNPOST_TRIAGE_LIST_MODEL (list);

  /* Not asking for any status yet: nothing belongs. */
  if (self->statuses == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);
  return signpost_cache_list_triage (cache, (const SignpostTriageStatus *) self->statuses->data,
                                     self->practice_id, self->for_clinician_id, error);
}

static gboolean
signpost_triage_list_model_filter (SignpostRecordList *list,
                                   SignpostRecord     *record)
{
  SignpostTriageListModel *self = SIGNPOST_TRIAGE_LIST_MODEL (list);
  SignpostTriage *triage = SIGNPOST_TRIAGE (record);
  SignpostRoute *route = signpost_triage_get_route (triage);
  gboolean status_ok = FALSE;

  for (guint i = 0; self->statuses != NULL && i + 1 < self->statuses->len; i++)
    if ((int) signpost_triage_get_status (triage) == g_array_index (self->statuses, int, i))
      status_ok = TRUE;
  if (!status_ok)
    return FALSE;
  if (self->practice_id != NULL &&
      g_strcmp0 (signpost_record_get_practice_id (record), self->practice_id) != 0)
    return FALSE;
  if (self->for_clinician_id != NULL &&
      !(route != NULL &&
        (signpost_route_get_kind (route) == SIGNPOST_ROUTE_DUTY ||
         g_strcmp0 (signpost_route_get_clinician_id (route), self->for_clinician_id) == 0)))
    return FALSE;
  return TRUE;
}

static gint64
updated_ms (SignpostRecord *record)
{
  GDateTime *at = signpost_record_get_updated_at (record);

  return at ? g_date_time_to_unix (at) * 1000 + g_date_time_get_microsecond (at) / 1000 : 0;
}

static int
signpost_triage_list_model_compare (SignpostRecordList *list,
                                    SignpostRecord     *a,
                                    SignpostRecord     *b)
{
  int ua = signpost_triage_get_urgency (SIGNPOST_TRIAGE (a));
  int ub = signpost_triage_get_urgency (SIGNPOST_TRIAGE (b));
  gint64 ta, tb;

  if (ua != ub)
    return ua < ub ? -1 : 1;
  ta = updated_ms (a);
  tb = updated_ms (b);
  if (ta != tb)
    return ta < tb ? -1 : 1;
  return 0;
}

static void
signpost_triage_list_model_get_property (GObject    *object,
                                         guint       prop_id,
                                         GValue     *value,
                                         GParamSpec *pspec)
{
  SignpostTriageListModel *self = SIGNPOST_TRIAGE_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_PRACTICE_ID:
      g_value_set_string (value, self->practice_id);
      break;
    case PROP_FOR_CLINICIAN_ID:
      g_value_set_string (value, self->for_clinician_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_triage_list_model_set_property (GObject      *object,
                                         guint         prop_id,
                                         const GValue *value,
                                         GParamSpec   *pspec)
{
  SignpostTriageListModel *self = SIGNPOST_TRIAGE_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_STATUSES:
      {
        const char * const *nicks = g_value_get_boxed (value);
        int end = -1;

        g_clear_pointer (&self->statuses, g_array_unref);
        self->statuses = g_array_new (FALSE, FALSE, sizeof (int));
        for (guint i = 0; nicks != NULL && nicks[i] != NULL; i++)
          {
            int status;
            if (signpost_enum_from_nick (SIGNPOST_TYPE_TRIAGE_STATUS, nicks[i], &status))
              g_array_append_val (self->statuses, status);
          }
        g_array_append_val (self->statuses, end);
      }
      break;
    case PROP_PRACTICE_ID:
      signpost_triage_list_model_set_practice_id (self, g_value_get_string (value));
      break;
    case PROP_FOR_CLINICIAN_ID:
      signpost_triage_list_model_set_for_clinician_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_triage_list_model_finalize (GObject *object)
{
  SignpostTriageListModel *self = SIGNPOST_TRIAGE_LIST_MODEL (object);

  g_clear_pointer (&self->statuses, g_array_unref);
  g_clear_pointer (&self->practice_id, g_free);
  g_clear_pointer (&self->for_clinician_id, g_free);

  G_OBJECT_CLASS (signpost_triage_list_model_parent_class)->finalize (object);
}

static void
signpost_triage_list_model_class_init (SignpostTriageListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SignpostRecordListClass *list_class = SIGNPOST_RECORD_LIST_CLASS (klass);

  object_class->get_property = signpost_triage_list_model_get_property;
  object_class->set_property = signpost_triage_list_model_set_property;
  object_class->finalize = signpost_triage_list_model_finalize;

  list_class->load = signpost_triage_list_model_load;
  list_class->filter = signpost_triage_list_model_filter;
  list_class->compare = signpost_triage_list_model_compare;

  /* The statuses kept, as their nicks ("open", "awaiting_duty", …). */
  properties[PROP_STATUSES] =
    g_param_spec_boxed ("statuses", NULL, NULL, G_TYPE_STRV,
                        G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRACTICE_ID] =
    g_param_spec_string ("practice-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FOR_CLINICIAN_ID] =
    g_param_spec_string ("for-clinician-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
signpost_triage_list_model_init (SignpostTriageListModel *self)
{
}

SignpostTriageListModel *
signpost_triage_list_model_new (SignpostCache              *cache,
                                const SignpostTriageStatus *statuses)
{
  g_autoptr(GStrvBuilder) nicks = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;

  g_return_val_if_fail (statuses != NULL, NULL);

  for (guint i = 0; (int) statuses[i] >= 0; i++)
    g_strv_builder_add (nicks, signpost_enum_to_nick (SIGNPOST_TYPE_TRIAGE_STATUS, statuses[i]));
  strv = g_strv_builder_end (nicks);

  return g_object_new (SIGNPOST_TYPE_TRIAGE_LIST_MODEL,
                       "cache", cache,
                       "kind", SIGNPOST_RECORD_TRIAGE,
                       "statuses", strv,
                       NULL);
}

const char *
signpost_triage_list_model_get_practice_id (SignpostTriageListModel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_TRIAGE_LIST_MODEL (self), NULL);
  return self->practice_id;
}

void
signpost_triage_list_model_set_practice_id (SignpostTriageListModel *self,
                                            const char              *practice_id)
{
  g_return_if_fail (SIGNPOST_IS_TRIAGE_LIST_MODEL (self));

  if (g_strcmp0 (self->practice_id, practice_id) == 0)
    return;
  g_free (self->practice_id);
  self->practice_id = g_strdup (practice_id);
  signpost_record_list_reload (SIGNPOST_RECORD_LIST (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTICE_ID]);
}

const char *
signpost_triage_list_model_get_for_clinician_id (SignpostTriageListModel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_TRIAGE_LIST_MODEL (self), NULL);
  return self->for_clinician_id;
}

void
signpost_triage_list_model_set_for_clinician_id (SignpostTriageListModel *self,
                                                 const char              *clinician_id)
{
  g_return_if_fail (SIGNPOST_IS_TRIAGE_LIST_MODEL (self));

  if (g_strcmp0 (self->for_clinician_id, clinician_id) == 0)
    return;
  g_free (self->for_clinician_id);
  self->for_clinician_id = g_strdup (clinician_id);
  signpost_record_list_reload (SIGNPOST_RECORD_LIST (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FOR_CLINICIAN_ID]);
}
