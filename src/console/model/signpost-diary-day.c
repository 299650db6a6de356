/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include "signpost-diary-day.h"
#include "signpost-diary-format.h"
#include "signpost-patient-format.h"

enum {
  PROP_0,
  PROP_DATE,
  PROP_PRACTICE_ID,
  N_PROPS
};

enum {
  COLUMNS_CHANGED,
  N_SIGNALS
};

struct _SignpostDiaryDay
{
  GObject parent_instance;

  SignpostCache *cache;
  SignpostSlotListModel *slots;
  char *date;
  char *practice_id;
  GTimeZone *tz;
  GDateTime *from;
  GDateTime *to;
  gboolean clocks_change;

  GPtrArray *rows;          /* SignpostDiaryRow, by start */
  GPtrArray *columns;       /* SignpostClinician */
  GHashTable *clinicians;   /* id → SignpostClinician: every one in the cache */
  GHashTable *appointments; /* slot id → SignpostAppointment, or NULL for none */
  GHashTable *patients;     /* id → SignpostPatient */
  GHashTable *names;        /* patient id → "SMITH, Ann" */
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SignpostDiaryDay, signpost_diary_day, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- GListModel ----------------------------------------------------------- */

static GType
signpost_diary_day_get_item_type (GListModel *model)
{
  return SIGNPOST_TYPE_DIARY_ROW;
}

static guint
signpost_diary_day_get_n_items (GListModel *model)
{
  return SIGNPOST_DIARY_DAY (model)->rows->len;
}

static gpointer
signpost_diary_day_get_item (GListModel *model,
                             guint       position)
{
  SignpostDiaryDay *self = SIGNPOST_DIARY_DAY (model);

  if (position >= self->rows->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->rows, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = signpost_diary_day_get_item_type;
  iface->get_n_items = signpost_diary_day_get_n_items;
  iface->get_item = signpost_diary_day_get_item;
}

/* ---- helpers ---------------------------------------------------------------- */

static gint64
instant_ms (GDateTime *instant)
{
  return g_date_time_to_unix (instant) * 1000 + g_date_time_get_microsecond (instant) / 1000;
}

static void
load_clinicians (SignpostDiaryDay *self)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) all = signpost_cache_list_records (self->cache, SIGNPOST_RECORD_CLINICIAN, &error);

  if (all == NULL)
    {
      /* The columns already shown stay. */
      g_warning ("Could not read the clinicians for the diary: %s", error->message);
      return;
    }
  g_hash_table_remove_all (self->clinicians);
  for (guint i = 0; i < all->len; i++)
    {
      SignpostRecord *clinician = g_ptr_array_index (all, i);
      g_hash_table_insert (self->clinicians, g_strdup (signpost_record_get_id (clinician)),
                           g_object_ref (clinician));
    }
}

static int
compare_columns (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  SignpostDiaryDay *self = user_data;
  SignpostClinician *ca = *(SignpostClinician **) a;
  SignpostClinician *cb = *(SignpostClinician **) b;
  const char *pa = signpost_cache_get_practice_name (self->cache, signpost_record_get_practice_id (SIGNPOST_RECORD (ca)));
  const char *pb = signpost_cache_get_practice_name (self->cache, signpost_record_get_practice_id (SIGNPOST_RECORD (cb)));
  int cmp;

  if ((cmp = g_strcmp0 (pa, pb)) != 0)
    return cmp;
  if (signpost_clinician_get_profession (ca) != signpost_clinician_get_profession (cb))
    return signpost_clinician_get_profession (ca) < signpost_clinician_get_profession (cb) ? -1 : 1;
  /* The duty doctor leads the GPs. */
  if (signpost_diary_day_is_on_duty (self, ca) != signpost_diary_day_is_on_duty (self, cb))
    return signpost_diary_day_is_on_duty (self, ca) ? -1 : 1;
  if ((cmp = g_utf8_collate (signpost_clinician_get_family_name (ca) ? signpost_clinician_get_family_name (ca) : "",
                             signpost_clinician_get_family_name (cb) ? signpost_clinician_get_family_name (cb) : "")) != 0)
    return cmp;
  return g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (ca)), signpost_record_get_id (SIGNPOST_RECORD (cb)));
}

static void
update_columns (SignpostDiaryDay *self)
{
  g_autoptr(GPtrArray) columns = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  GListModel *slots = G_LIST_MODEL (self->slots);
  GHashTableIter iter;
  gpointer value;
  gboolean same;

  for (guint i = 0; slots != NULL && i < g_list_model_get_n_items (slots); i++)
    {
      g_autoptr(SignpostSlot) slot = g_list_model_get_item (slots, i);
      const char *id = signpost_slot_get_clinician_id (slot);
      SignpostClinician *clinician = g_hash_table_lookup (self->clinicians, id);

      if (clinician != NULL && g_hash_table_add (seen, (gpointer) id))
        g_ptr_array_add (columns, g_object_ref (clinician));
    }
  /* The duty doctor has a column even without slots: they are who the
   * navigators route to. */
  g_hash_table_iter_init (&iter, self->clinicians);
  while (self->from != NULL && g_hash_table_iter_next (&iter, NULL, &value))
    {
      SignpostRecord *clinician = value;

      if ((self->practice_id == NULL ||
           g_strcmp0 (signpost_record_get_practice_id (clinician), self->practice_id) == 0) &&
          signpost_diary_day_is_on_duty (self, SIGNPOST_CLINICIAN (clinician)) &&
          g_hash_table_add (seen, (gpointer) signpost_record_get_id (clinician)))
        g_ptr_array_add (columns, g_object_ref (clinician));
    }
  g_ptr_array_sort_with_data (columns, compare_columns, self);

  same = columns->len == self->columns->len;
  for (guint i = 0; same && i < columns->len; i++)
    same = g_ptr_array_index (columns, i) == g_ptr_array_index (self->columns, i);
  if (same)
    return;
  g_ptr_array_unref (self->columns);
  self->columns = g_steal_pointer (&columns);
  g_signal_emit (self, signals[COLUMNS_CHANGED], 0);
}

static char *
row_label (SignpostDiaryDay *self,
           GDateTime        *start)
{
  /* On the days the clocks change, 01:30 can come twice (or not at all):
   * say which. */
  return signpost_format_local (start, self->tz, self->clocks_change ? "%H:%M %Z" : "%H:%M");
}

static int
find_row_index (SignpostDiaryDay *self,
                gint64            ms,
                gboolean         *found)
{
  guint lo = 0, hi = self->rows->len;

  while (lo < hi)
    {
      guint mid = (lo + hi) / 2;
      gint64 at = signpost_diary_row_get_start_ms (g_ptr_array_index (self->rows, mid));

      if (at == ms)
        {
          *found = TRUE;
          return mid;
        }
      if (at < ms)
        lo = mid + 1;
      else
        hi = mid;
    }
  *found = FALSE;
  return lo;
}

typedef struct {
  gint64 ms;
  GDateTime *start;
  GHashTable *slots;
} Group;

static void
group_clear (gpointer data)
{
  Group *group = data;

  g_clear_pointer (&group->slots, g_hash_table_unref);
}

/* Looks up every booked slot's appointment, and their patients, in two
 * queries, rather than two per cell as the cells are drawn. */
static void
prefetch (SignpostDiaryDay *self)
{
  GListModel *slots = G_LIST_MODEL (self->slots);
  guint n = slots ? g_list_model_get_n_items (slots) : 0;
  g_autoptr(GPtrArray) booked = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) appointments = NULL;
  g_autoptr(GPtrArray) patient_ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) names = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key, value;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SignpostSlot) slot = g_list_model_get_item (slots, i);
      if (signpost_slot_get_status (slot) == SIGNPOST_SLOT_BOOKED)
        g_ptr_array_add (booked, g_strdup (signpost_record_get_id (SIGNPOST_RECORD (slot))));
    }
  appointments = signpost_cache_list_live_appointments_for_slots (self->cache, booked, &error);
  if (appointments == NULL)
    {
      /* Each cell asks for its own when drawn. */
      g_warning ("Could not read the day's appointments at once: %s", error->message);
      return;
    }
  for (guint i = 0; i < booked->len; i++)
    g_hash_table_insert (self->appointments, g_strdup (g_ptr_array_index (booked, i)), NULL);
  for (guint i = 0; i < appointments->len; i++)
    {
      SignpostAppointment *appointment = g_ptr_array_index (appointments, i);
      const char *slot_id = signpost_appointment_get_slot_id (appointment);
      const char *patient_id = signpost_appointment_get_patient_id (appointment);

      /* The newest first, as signpost_cache_get_live_appointment() has it. */
      if (g_hash_table_lookup (self->appointments, slot_id) != NULL)
        continue;
      g_hash_table_insert (self->appointments, g_strdup (slot_id), g_object_ref (appointment));
      if (patient_id != NULL && !g_hash_table_contains (self->names, patient_id))
        g_ptr_array_add (patient_ids, g_strdup (patient_id));
    }
  /* The grid needs only the names: whole records are read when opened. */
  names = signpost_cache_get_patient_names (self->cache, patient_ids, &error);
  if (names == NULL)
    {
      g_warning ("Could not read the day's patients' names: %s", error->message);
      return;
    }
  g_hash_table_iter_init (&iter, names);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      char **pair = value;
      g_autoptr(SignpostPatient) card = signpost_patient_new ();

      signpost_patient_set_given_name (card, pair[0]);
      signpost_patient_set_family_name (card, pair[1]);
      g_hash_table_insert (self->names, g_strdup (key), signpost_patient_format_name (card));
    }
}

/* Groups the day's slots by start time and brings the rows in line,
 * reporting exactly which rows came, went or changed. */
static void
rebuild (SignpostDiaryDay *self)
{
  g_autoptr(GArray) groups = g_array_new (FALSE, TRUE, sizeof (Group));
  GListModel *slots = G_LIST_MODEL (self->slots);
  guint n = slots ? g_list_model_get_n_items (slots) : 0;
  guint p = 0, j = 0;
  gboolean any_kept = FALSE;

  g_array_set_clear_func (groups, group_clear);
  g_hash_table_remove_all (self->appointments);
  g_hash_table_remove_all (self->patients);
  g_hash_table_remove_all (self->names);
  prefetch (self);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SignpostSlot) slot = g_list_model_get_item (slots, i);
      GDateTime *start = signpost_slot_get_start (slot);
      gint64 ms = instant_ms (start);
      Group *last = groups->len ? &g_array_index (groups, Group, groups->len - 1) : NULL;

      if (last == NULL || last->ms != ms)
        {
          Group group = { ms, start,
                          g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref) };
          g_array_append_val (groups, group);
          last = &g_array_index (groups, Group, groups->len - 1);
        }
      g_hash_table_insert (last->slots, g_strdup (signpost_slot_get_clinician_id (slot)), g_object_ref (slot));
    }

  for (guint i = 0, k = 0; i < self->rows->len && k < groups->len && !any_kept;)
    {
      gint64 a = signpost_diary_row_get_start_ms (g_ptr_array_index (self->rows, i));
      gint64 b = g_array_index (groups, Group, k).ms;
      any_kept = a == b;
      if (a < b)
        i++;
      else if (b < a)
        k++;
    }

  if (!any_kept)
    {
      /* A new day: one change for the lot. */
      guint removed = self->rows->len;

      g_ptr_array_set_size (self->rows, 0);
      for (guint k = 0; k < groups->len; k++)
        {
          Group *group = &g_array_index (groups, Group, k);
          g_autofree char *label = row_label (self, group->start);
          SignpostDiaryRow *row = signpost_diary_row_new (group->start, label);

          signpost_diary_row_set_slots (row, group->slots);
          g_ptr_array_add (self->rows, row);
        }
      if (removed > 0 || groups->len > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, groups->len);
      update_columns (self);
      return;
    }

  while (p < self->rows->len || j < groups->len)
    {
      SignpostDiaryRow *row = p < self->rows->len ? g_ptr_array_index (self->rows, p) : NULL;
      Group *group = j < groups->len ? &g_array_index (groups, Group, j) : NULL;

      if (row != NULL && (group == NULL || signpost_diary_row_get_start_ms (row) < group->ms))
        {
          g_ptr_array_remove_index (self->rows, p);
          g_list_model_items_changed (G_LIST_MODEL (self), p, 1, 0);
        }
      else if (group != NULL && (row == NULL || group->ms < signpost_diary_row_get_start_ms (row)))
        {
          g_autofree char *label = row_label (self, group->start);
          SignpostDiaryRow *fresh = signpost_diary_row_new (group->start, label);

          signpost_diary_row_set_slots (fresh, group->slots);
          g_ptr_array_insert (self->rows, p, fresh);
          g_list_model_items_changed (G_LIST_MODEL (self), p, 0, 1);
          p++;
          j++;
        }
      else
        {
          signpost_diary_row_set_slots (row, group->slots);
          /* Kept rows may hold changed slots: let their cells look again. */
          signpost_diary_row_changed (row);
          p++;
          j++;
        }
    }
  update_columns (self);
}

static void
on_slots_changed (SignpostDiaryDay *self,
                  guint             position,
                  guint             removed,
                  guint             added)
{
  if (removed == added)
    {
      gboolean in_place = TRUE;

      /* A slot changed where it was (its status, or its appointment). */
      for (guint i = position; i < position + added && in_place; i++)
        {
          g_autoptr(SignpostSlot) slot = g_list_model_get_item (G_LIST_MODEL (self->slots), i);
          gboolean found;
          int index = find_row_index (self, instant_ms (signpost_slot_get_start (slot)), &found);
          SignpostDiaryRow *row = found ? g_ptr_array_index (self->rows, index) : NULL;

          if (row == NULL || signpost_diary_row_get_slot (row, signpost_slot_get_clinician_id (slot)) != slot)
            {
              in_place = FALSE;
              break;
            }
          g_hash_table_remove (self->appointments, signpost_record_get_id (SIGNPOST_RECORD (slot)));
          signpost_diary_row_changed (row);
        }
      if (in_place)
        return;
    }
  rebuild (self);
}

static void
on_records_changed (SignpostDiaryDay *self,
                    GPtrArray        *changed,
                    GPtrArray        *removed)
{
  gboolean clinicians = FALSE, patients = FALSE;

  for (guint i = 0; i < changed->len; i++)
    {
      SignpostRecordKind kind = signpost_record_get_kind (g_ptr_array_index (changed, i));

      clinicians |= kind == SIGNPOST_RECORD_CLINICIAN || kind == SIGNPOST_RECORD_PRACTICE;
      patients |= kind == SIGNPOST_RECORD_PATIENT;
    }
  if (clinicians)
    {
      load_clinicians (self);
      update_columns (self);
    }
  if (patients && (g_hash_table_size (self->patients) > 0 || g_hash_table_size (self->names) > 0))
    {
      g_hash_table_remove_all (self->patients);
      g_hash_table_remove_all (self->names);
      for (guint i = 0; i < self->rows->len; i++)
        signpost_diary_row_changed (g_ptr_array_index (self->rows, i));
    }
}

static void
update_range (SignpostDiaryDay *self)
{
  GDate day, next;

  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->from, g_date_time_unref);
  g_clear_pointer (&self->to, g_date_time_unref);
  self->tz = signpost_practice_time_zone (self->cache, self->practice_id);
  self->clocks_change = FALSE;
  if (self->date == NULL || !signpost_date_parse (self->date, &day, NULL))
    return;
  next = day;
  g_date_add_days (&next, 1);
  self->from = signpost_local_time_to_utc (&day, 0, 0, self->tz);
  self->to = signpost_local_time_to_utc (&next, 0, 0, self->tz);
  self->clocks_change = g_date_time_difference (self->to, self->from) != 24 * G_TIME_SPAN_HOUR;
}

/* ---- GObject ------------------------------------------------------------------ */

static void
signpost_diary_day_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SignpostDiaryDay *self = SIGNPOST_DIARY_DAY (object);

  switch (prop_id)
    {
    case PROP_DATE:
      g_value_set_string (value, self->date);
      break;
    case PROP_PRACTICE_ID:
      g_value_set_string (value, self->practice_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_diary_day_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SignpostDiaryDay *self = SIGNPOST_DIARY_DAY (object);

  switch (prop_id)
    {
    case PROP_DATE:
      signpost_diary_day_set_date (self, g_value_get_string (value));
      break;
    case PROP_PRACTICE_ID:
      signpost_diary_day_set_practice_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_diary_day_dispose (GObject *object)
{
  SignpostDiaryDay *self = SIGNPOST_DIARY_DAY (object);

  if (self->cache != NULL)
    g_signal_handlers_disconnect_by_data (self->cache, self);
  if (self->slots != NULL)
    g_signal_handlers_disconnect_by_data (self->slots, self);
  g_clear_object (&self->slots);
  g_clear_object (&self->cache);

  G_OBJECT_CLASS (signpost_diary_day_parent_class)->dispose (object);
}

static void
signpost_diary_day_finalize (GObject *object)
{
  SignpostDiaryDay *self = SIGNPOST_DIARY_DAY (object);

  g_clear_pointer (&self->date, g_free);
  g_clear_pointer (&self->practice_id, g_free);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->from, g_date_time_unref);
  g_clear_pointer (&self->to, g_date_time_unref);
  g_clear_pointer (&self->rows, g_ptr_array_unref);
  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->clinicians, g_hash_table_unref);
  g_clear_pointer (&self->appointments, g_hash_table_unref);
  g_clear_pointer (&self->patients, g_hash_table_unref);
  g_clear_pointer (&self->names, g_hash_table_unref);

  G_OBJECT_CLASS (signpost_diary_day_parent_class)->finalize (object);
}

static void
signpost_diary_day_class_init (SignpostDiaryDayClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = signpost_diary_day_get_property;
  object_class->set_property = signpost_diary_day_set_property;
  object_class->dispose = signpost_diary_day_dispose;
  object_class->finalize = signpost_diary_day_finalize;

  /* YYYY-MM-DD in the practice's time zone. */
  properties[PROP_DATE] =
    g_param_spec_string ("date", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* One practice, or NULL for every practice the user works for. */
  properties[PROP_PRACTICE_ID] =
    g_param_spec_string ("practice-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[COLUMNS_CHANGED] =
    g_signal_new ("columns-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
unref_if_set (gpointer data)
{
  if (data != NULL)
    g_object_unref (data);
}

static void
signpost_diary_day_init (SignpostDiaryDay *self)
{
  self->rows = g_ptr_array_new_with_free_func (g_object_unref);
  self->columns = g_ptr_array_new_with_free_func (g_object_unref);
  self->clinicians = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->appointments = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, unref_if_set);
  self->patients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  self->names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
}

/* ---- public API --------------------------------------------------------------- */

SignpostDiaryDay *
signpost_diary_day_new (SignpostCache *cache)
{
  SignpostDiaryDay *self;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (cache), NULL);

  self = g_object_new (SIGNPOST_TYPE_DIARY_DAY, NULL);
  self->cache = g_object_ref (cache);
  update_range (self);
  self->slots = signpost_slot_list_model_new (cache, NULL, NULL);
  g_signal_connect_swapped (self->slots, "items-changed", G_CALLBACK (on_slots_changed), self);
  g_signal_connect_swapped (cache, "records-changed", G_CALLBACK (on_records_changed), self);
  load_clinicians (self);
  return self;
}

SignpostCache *
signpost_diary_day_get_cache (SignpostDiaryDay *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (self), NULL);
  return self->cache;
}

const char *
signpost_diary_day_get_date (SignpostDiaryDay *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (self), NULL);
  return self->date;
}

static void
reload (SignpostDiaryDay *self)
{
  g_autoptr(SignpostPractice) practice = NULL;

  update_range (self);
  if (self->practice_id != NULL)
    practice = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PRACTICE, self->practice_id, NULL);
  /* Each setter reloads the slot list: build the rows once, at the end. */
  g_signal_handlers_block_by_func (self->slots, on_slots_changed, self);
  signpost_slot_list_model_set_time_zone (self->slots, practice ? signpost_practice_get_time_zone (practice) : NULL);
  signpost_slot_list_model_set_practice_id (self->slots, self->practice_id);
  signpost_slot_list_model_set_date (self->slots, self->date);
  g_signal_handlers_unblock_by_func (self->slots, on_slots_changed, self);
  rebuild (self);
}

void
signpost_diary_day_set_date (SignpostDiaryDay *self,
                             const char       *date)
{
  g_return_if_fail (SIGNPOST_IS_DIARY_DAY (self));

  if (g_strcmp0 (self->date, date) == 0)
    return;
  g_free (self->date);
  self->date = g_strdup (date);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DATE]);
}

const char *
signpost_diary_day_get_practice_id (SignpostDiaryDay *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (self), NULL);
  return self->practice_id;
}

void
signpost_diary_day_set_practice_id (SignpostDiaryDay *self,
                                    const char       *practice_id)
{
  g_return_if_fail (SIGNPOST_IS_DIARY_DAY (self));

  if (g_strcmp0 (self->practice_id, practice_id) == 0)
    return;
  g_free (self->practice_id);
  self->practice_id = g_strdup (practice_id);
  reload (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PRACTICE_ID]);
}

GTimeZone *
signpost_diary_day_get_time_zone (SignpostDiaryDay *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (self), NULL);
  return self->tz;
}

GDateTime *
signpost_diary_day_get_from (SignpostDiaryDay *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (self), NULL);
  return self->from;
}

GDateTime *
signpost_diary_day_get_to (SignpostDiaryDay *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (self), NULL);
  return self->to;
}

gboolean
signpost_diary_day_get_clocks_change (SignpostDiaryDay *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (self), FALSE);
  return self->clocks_change;
}

GListModel *
signpost_diary_day_get_slots (SignpostDiaryDay *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (self), NULL);
  return G_LIST_MODEL (self->slots);
}

guint
signpost_diary_day_get_n_columns (SignpostDiaryDay *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (self), 0);
  return self->columns->len;
}

SignpostClinician *
signpost_diary_day_get_column (SignpostDiaryDay *self,
                               guint             index)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (self), NULL);
  g_return_val_if_fail (index < self->columns->len, NULL);
  return g_ptr_array_index (self->columns, index);
}

gboolean
signpost_diary_day_is_on_duty (SignpostDiaryDay  *self,
                               SignpostClinician *clinician)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (self), FALSE);
  return self->from != NULL && signpost_clinician_is_on_duty (clinician, self->from, self->to);
}

SignpostClinician *
signpost_diary_day_lookup_clinician (SignpostDiaryDay *self,
                                     const char       *clinician_id)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (self), NULL);
  return clinician_id ? g_hash_table_lookup (self->clinicians, clinician_id) : NULL;
}

SignpostSlot *
signpost_diary_day_lookup_slot (SignpostDiaryDay *self,
                                const char       *slot_id)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (self), NULL);
  return slot_id ? signpost_record_list_lookup (SIGNPOST_RECORD_LIST (self->slots), slot_id) : NULL;
}

guint
signpost_diary_day_find_row (SignpostDiaryDay *self,
                             GDateTime        *start)
{
  gboolean found;
  int index;

  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (self), G_MAXUINT);

  index = find_row_index (self, instant_ms (start), &found);
  return found ? (guint) index : G_MAXUINT;
}

SignpostAppointment *
signpost_diary_day_get_appointment (SignpostDiaryDay *self,
                                    SignpostSlot     *slot)
{
  const char *id;
  gpointer value;

  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (self), NULL);
  g_return_val_if_fail (SIGNPOST_IS_SLOT (slot), NULL);

  id = signpost_record_get_id (SIGNPOST_RECORD (slot));
  if (!g_hash_table_lookup_extended (self->appointments, id, NULL, &value))
    {
      g_autoptr(GError) error = NULL;

      value = signpost_cache_get_live_appointment (self->cache, id, &error);
      /* Not remembered when it could not be read: asked again next time. */
      if (error != NULL)
        {
          g_warning ("Could not read the appointment in slot %s: %s", id, error->message);
          return NULL;
        }
      g_hash_table_insert (self->appointments, g_strdup (id), value);
    }
  return value;
}

SignpostPatient *
signpost_diary_day_get_patient (SignpostDiaryDay *self,
                                const char       *patient_id)
{
  SignpostPatient *patient;

  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (self), NULL);

  if (patient_id == NULL)
    return NULL;
  patient = g_hash_table_lookup (self->patients, patient_id);
  if (patient == NULL)
    {
      patient = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, patient_id, NULL);
      if (patient != NULL)
        g_hash_table_insert (self->patients, g_strdup (patient_id), patient);
    }
  return patient;
}

const char *
signpost_diary_day_get_patient_name (SignpostDiaryDay *self,
                                     const char       *patient_id)
{
  const char *name;
  SignpostPatient *patient;

  g_return_val_if_fail (SIGNPOST_IS_DIARY_DAY (self), NULL);

  if (patient_id == NULL)
    return NULL;
  name = g_hash_table_lookup (self->names, patient_id);
  if (name != NULL)
    return name;
  patient = signpost_diary_day_get_patient (self, patient_id);
  if (patient == NULL)
    return NULL;
  g_hash_table_insert (self->names, g_strdup (patient_id), signpost_patient_format_name (patient));
  return g_hash_table_lookup (self->names, patient_id);
}
