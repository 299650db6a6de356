/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include "signpost-slot-list-model.h"

enum {
  PROP_0,
  PROP_DATE,
  PROP_PRACTICE_ID,
  PROP_CLINICIAN_ID,
  PROP_TIME_ZONE,
  N_PROPS
};

struct _SignpostSlotListModel
{
  SignpostRecordList parent_instance;

  char *date;
  char *practice_id;
  char *clinician_id;
  char *time_zone;
  GDateTime *from; /* the day in UTC: [from, to) */
  GDateTime *to;
};

G_DEFINE_FINAL_TYPE (SignpostSlotListModel, signpost_slot_list_model, SIGNPOST_TYPE_RECORD_LIST)

static GParamSpec *properties[N_PROPS];

static void
update_range (SignpostSlotListModel *self)
{
  g_autoptr(GTimeZone) tz = NULL;
  GDate day, next;

  g_clear_pointer (&self->from, g_date_time_unref);
  g_clear_pointer (&self->to, g_date_time_unref);
  if (self->date == NULL || !signpost_date_parse (self->date, &day, NULL))
    return;
  tz = signpost_time_zone_new (self->time_zone ? self->time_zone : SIGNPOST_DEFAULT_TIME_ZONE, NULL);
  if (tz == NULL)
    tz = g_time_zone_new_utc ();
  next = day;
  g_date_add_days (&next, 1);
  /* Midnight to midnight local time: 23 or 25 hours on the days the clocks change. */
  self->from = signpost_local_time_to_utc (&day, 0, 0, tz);
  self->to = signpost_local_time_to_utc (&next, 0, 0, tz);
}

static GPtrArray *
signpost_slot_list_model_load (SignpostRecordList *list,
                               SignpostCache      *cache,
                               GError            **error)
{
  SignpostSlotListModel *self = SIGNPOST_SLOT_LIST_MODEL (list);

  /* No day chosen yet: nothing belongs. */
  if (self->from == NULL || self->to == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);
  return signpost_cache_list_slots (cache, self->practice_id, self->from, self->to, self->clinician_id, error);
}

static gboolean
signpost_slot_list_model_filter (SignpostRecordList *list,
                                 SignpostRecord     *record)
{
  SignpostSlotListModel *self = SIGNPOST_SLOT_LIST_MODEL (list);
  SignpostSlot *slot = SIGNPOST_SLOT (record);
  GDateTime *start = signpost_slot_get_start (slot);

  return self->from != NULL && start != NULL &&
         g_date_time_compare (start, self->from) >= 0 &&
         g_date_time_compare (start, self->to) < 0 &&
         (self->practice_id == NULL ||
          g_strcmp0 (signpost_record_get_practice_id (record), self->practice_id) == 0) &&
         (self->clinician_id == NULL ||
          g_strcmp0 (signpost_slot_get_clinician_id (slot), self->clinician_id) == 0);
}

static int
signpost_slot_list_model_compare (SignpostRecordList *list,
                                  SignpostRecord     *a,
                                  SignpostRecord     *b)
{
  GDateTime *sa = signpost_slot_get_start (SIGNPOST_SLOT (a));
  GDateTime *sb = signpost_slot_get_start (SIGNPOST_SLOT (b));
  gint64 ta = sa ? g_date_time_to_unix (sa) * 1000 + g_date_time_get_microsecond (sa) / 1000 : 0;
  gint64 tb = sb ? g_date_time_to_unix (sb) * 1000 + g_date_time_get_microsecond (sb) / 1000 : 0;

  if (ta != tb)
    return ta < tb ? -1 : 1;
  return g_strcmp0 (signpost_slot_get_clinician_id (SIGNPOST_SLOT (a)),
                    signpost_slot_get_clinician_id (SIGNPOST_SLOT (b)));
}

static void
signpost_slot_list_model_other_changed (SignpostRecordList *list,
                                        SignpostRecord     *record)
{
  if (SIGNPOST_IS_APPOINTMENT (record))
    signpost_record_list_item_changed (list, signpost_appointment_get_slot_id (SIGNPOST_APPOINTMENT (record)));
}

static void
signpost_slot_list_model_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  SignpostSlotListModel *self = SIGNPOST_SLOT_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_DATE:
      g_value_set_string (value, self->date);
      break;
    case PROP_PRACTICE_ID:
      g_value_set_string (value, self->practice_id);
      break;
    case PROP_CLINICIAN_ID:
      g_value_set_string (value, self->clinician_id);
      break;
    case PROP_TIME_ZONE:
      g_value_set_string (value, self->time_zone);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_slot_list_model_set_property (GObject      *object,
                                       guint         prop_id,
                                       const GValue *value,
                                       GParamSpec   *pspec)
{
  SignpostSlotListModel *self = SIGNPOST_SLOT_LIST_MODEL (object);

  switch (prop_id)
    {
    case PROP_DATE:
      signpost_slot_list_model_set_date (self, g_value_get_string (value));
      break;
    case PROP_PRACTICE_ID:
      signpost_slot_list_model_set_practice_id (self, g_value_get_string (value));
      break;
    case PROP_CLINICIAN_ID:
      signpost_slot_list_model_set_clinician_id (self, g_value_get_string (value));
      break;
    case PROP_TIME_ZONE:
      signpost_slot_list_model_set_time_zone (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_slot_list_model_finalize (GObject *object)
{
  SignpostSlotListModel *self = SIGNPOST_SLOT_LIST_MODEL (object);

  g_clear_pointer (&self->date, g_free);
  g_clear_pointer (&self->practice_id, g_free);
  g_clear_pointer (&self->clinician_id, g_free);
  g_clear_pointer (&self->time_zone, g_free);
  g_clear_pointer (&self->from, g_date_time_unref);
  g_clear_pointer (&self->to, g_date_time_unref);

  G_OBJECT_CLASS (signpost_slot_list_model_parent_class)->finalize (object);
}

static void
signpost_slot_list_model_class_init (SignpostSlotListModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  SignpostRecordListClass *list_class = SIGNPOST_RECORD_LIST_CLASS (klass);

  object_class->get_property = signpost_slot_list_model_get_property;
  object_class->set_property = signpost_slot_list_model_set_property;
  object_class->finalize = signpost_slot_list_model_finalize;

  list_class->load = signpost_slot_list_model_load;
  list_class->filter = signpost_slot_list_model_filter;
  list_class->compare = signpost_slot_list_model_compare;
  list_class->other_changed = signpost_slot_list_model_other_changed;

  /* YYYY-MM-DD in the practice's time zone. */
  properties[PROP_DATE] =
    g_param_spec_string ("date", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRACTICE_ID] =
    g_param_spec_string ("practice-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLINICIAN_ID] =
    g_param_spec_string ("clinician-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIME_ZONE] =
    g_param_spec_string ("time-zone", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
signpost_slot_list_model_init (SignpostSlotListModel *self)
{
}

SignpostSlotListModel *
signpost_slot_list_model_new (SignpostCache *cache,
                              const char    *practice_id,
                              const char    *date)
{
  return g_object_new (SIGNPOST_TYPE_SLOT_LIST_MODEL,
                       "cache", cache,
                       "kind", SIGNPOST_RECORD_SLOT,
                       "practice-id", practice_id,
                       "date", date,
                       NULL);
}

#define STRING_ACCESSORS(field, FIELD, after)                                          \
const char *                                                                           \
signpost_slot_list_model_get_##field (SignpostSlotListModel *self)                     \
{                                                                                      \
  g_return_val_if_fail (SIGNPOST_IS_SLOT_LIST_MODEL (self), NULL);                     \
  return self->field;                                                                  \
}                                                                                      \
                                                                                       \
void                                                                                   \
signpost_slot_list_model_set_##field (SignpostSlotListModel *self,                     \
                                      const char            *value)                    \
{                                                                                      \
  g_return_if_fail (SIGNPOST_IS_SLOT_LIST_MODEL (self));                               \
  if (g_strcmp0 (self->field, value) == 0)                                             \
    return;                                                                            \
  g_free (self->field);                                                                \
  self->field = g_strdup (value);                                                      \
  after;                                                                               \
  signpost_record_list_reload (SIGNPOST_RECORD_LIST (self));                           \
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_##FIELD]);                \
}

STRING_ACCESSORS (date, DATE, update_range (self))
STRING_ACCESSORS (practice_id, PRACTICE_ID, (void) 0)
STRING_ACCESSORS (clinician_id, CLINICIAN_ID, (void) 0)
STRING_ACCESSORS (time_zone, TIME_ZONE, update_range (self))
