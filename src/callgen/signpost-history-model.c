/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-callgen"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-history-model.h"

/*
 * Weeks of a hub's history, worked out before anything is sent, for
 * `signpost-callgen --replay-from --replay-to`. The calls come from the
 * traffic model (one per practice, each with its own team answering);
 * this file plans what the practices' staff did around them, as batches
 * of mutations sent with the time they happened (X-Signpost-Replay-At,
 * which demo servers accept):
 *
 *  - sessions: each practice's manager lays out its clinicians' sessions
 *    three weeks ahead, as many slots a week per 1,000 patients as the
 *    practice's profile says;
 *  - routine bookings, two days ahead, by the practice's navigator or the
 *    hub's (hub-bookable slots only);
 *  - navigation: a share of the answered calls gets a navigation record
 *    from whoever took the call — signposted outside the practice, sent to
 *    the duty doctor, or booked (the same day into a slot released at
 *    08:00, or a routine slot in the next two weeks);
 *  - outcomes: in the evening the navigator marks each appointment of the
 *    day arrived or did not attend, and the duty doctor marks most of
 *    those who came seen.
 *
 * Every practice draws its profile from the seed, within what is usual
 * for English general practice, and the seed also picks the outliers a
 * hub manager should find: practices that answer slowly (too few
 * navigators for their calls), one with many did-not-attends, one that
 * offers few appointments for its list. Ids and mutation ids come from
 * the seed too, so the same replay sent twice is recognised as a
 * duplicate by the server.
 */

#define USEC_PER_MINUTE ((gint64) 60 * G_USEC_PER_SEC)
#define USEC_PER_DAY ((gint64) 24 * 60 * USEC_PER_MINUTE)
#define MAX_BATCH 500
#define SESSIONS_AHEAD_DAYS 21
#define BOOKED_AHEAD_DAYS 2
#define ROUTINE_WINDOW_DAYS 14

typedef struct {
  char *id;
  SignpostProfession profession;
} Clinician;

typedef struct {
  char *id;
  const Clinician *clinician;
  gint64 start_us;
  guint minutes;
  SignpostSlotMode mode;
  gboolean embargoed;
  gboolean hub_bookable;
  char *appointment_id;     /* booked */
  gboolean attended;
} Slot;

typedef struct {
  SignpostPractice *practice;
  char *id;
  char *ods;
  char *lower_ods;
  GTimeZone *tz;
  GPtrArray *clinicians;    /* of Clinician */
  GPtrArray *patients;      /* of char * */
  GHashTable *days;         /* julian day → GPtrArray of Slot, by start */
  SignpostHistoryProfile profile;
} Practice;

struct _SignpostHistoryModel
{
  GObject parent_instance;

  guint64 seed;
  double handle_s;
  GPtrArray *practices;     /* of Practice */
  GHashTable *by_id;        /* practice id → Practice */
  gboolean chosen;
};

G_DEFINE_FINAL_TYPE (SignpostHistoryModel, signpost_history_model, G_TYPE_OBJECT)

static const char * const routine_reasons[] = {
  "Medication review", "Blood pressure check", "Asthma review", "Diabetes review",
  "Follow-up of blood test results", "Contraception review", "Wound check",
  "Travel vaccinations", "Long-term condition review", "Smear test",
};

static const char * const navigation_reasons[] = {
  "Cough for three weeks", "Sore throat and fever", "Back pain after lifting",
  "Rash on arm, spreading", "Earache", "Low mood, struggling to sleep",
  "Repeat prescription query", "Urine infection symptoms", "Knee pain when walking",
  "Eye red and sore", "Toothache", "Headaches most mornings", "Dizzy spells",
  "Fit note needed", "Child with high temperature", "Chest infection not clearing",
};

/* Where signposted requests go, roughly in the proportions practices
 * report. */
static const struct {
  const char *service;
  double weight;
} signposts[] = {
  { "pharmacy_first", 0.34 },
  { "community_pharmacy", 0.20 },
  { "self_care", 0.14 },
  { "nhs_111", 0.08 },
  { "optometrist", 0.07 },
  { "dentist", 0.06 },
  { "talking_therapies", 0.06 },
  { "social_prescribing", 0.05 },
};

void
signpost_history_batch_free (SignpostHistoryBatch *batch)
{
  if (batch == NULL)
    return;
  g_free (batch->username);
  g_clear_pointer (&batch->mutations, json_array_unref);
  g_free (batch);
}

static void
clinician_free (gpointer data)
{
  Clinician *clinician = data;

  g_free (clinician->id);
  g_free (clinician);
}

static void
slot_free (gpointer data)
{
  Slot *slot = data;

  g_free (slot->id);
  g_free (slot->appointment_id);
  g_free (slot);
}

static void
practice_free (gpointer data)
{
  Practice *p = data;

  g_clear_object (&p->practice);
  g_free (p->id);
  g_free (p->ods);
  g_free (p->lower_ods);
  g_clear_pointer (&p->tz, g_time_zone_unref);
  g_clear_pointer (&p->clinicians, g_ptr_array_unref);
  g_clear_pointer (&p->patients, g_ptr_array_unref);
  g_clear_pointer (&p->days, g_hash_table_unref);
  g_free (p);
}

static void
signpost_history_model_finalize (GObject *object)
{
  SignpostHistoryModel *self = SIGNPOST_HISTORY_MODEL (object);

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->practices, g_ptr_array_unref);

  G_OBJECT_CLASS (signpost_history_model_parent_class)->finalize (object);
}

static void
signpost_history_model_class_init (SignpostHistoryModelClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_history_model_finalize;
}

static void
signpost_history_model_init (SignpostHistoryModel *self)
{
  self->practices = g_ptr_array_new_with_free_func (practice_free);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

/**
 * signpost_history_model_new:
 * @seed: the run's seed: the same seed plans the same history
 * @handle_s: the simulated navigators' mean call length
 */
SignpostHistoryModel *
signpost_history_model_new (guint64 seed,
                            double  handle_s)
{
  SignpostHistoryModel *self = g_object_new (SIGNPOST_TYPE_HISTORY_MODEL, NULL);

  self->seed = seed;
  self->handle_s = handle_s > 0 ? handle_s : 180;
  return self;
}

/* ---- randomness and ids ------------------------------------------------ */

static GRand *
rand_for (SignpostHistoryModel *self,
          guint32               salt_a,
          guint32               salt_b,
          guint32               salt_c)
{
  guint32 seed[5] = {
    (guint32) (self->seed & 0xffffffffu), (guint32) (self->seed >> 32), salt_a, salt_b, salt_c,
  };

  return g_rand_new_with_seed_array (seed, G_N_ELEMENTS (seed));
}

static double
uniform (GRand  *rand,
         double  low,
         double  high)
{
  return low + g_rand_double (rand) * (high - low);
}

/* A version 4 UUID from the seed and @what: the same run makes the same
 * ids, and so the server sees a run sent again as duplicates. */
static char *
uuid_for (SignpostHistoryModel *self,
          const char           *what)
{
  g_autofree char *key = g_strdup_printf ("%" G_GUINT64_FORMAT "/%s", self->seed, what);
  g_autofree char *hex = g_compute_checksum_for_string (G_CHECKSUM_SHA256, key, -1);

  hex[12] = '4';
  hex[16] = "89ab"[g_ascii_xdigit_value (hex[16]) & 3];
  return g_strdup_printf ("%.8s-%.4s-%.4s-%.4s-%.12s", hex, hex + 8, hex + 12, hex + 16, hex + 20);
}

static guint32
hash_text (const char *text)
{
  return g_str_hash (text);
}

/* ---- what the server holds --------------------------------------------- */

void
signpost_history_model_add_practice (SignpostHistoryModel *self,
                                     SignpostPractice     *practice)
{
  const char *id;
  Practice *p;

  g_return_if_fail (SIGNPOST_IS_HISTORY_MODEL (self));
  g_return_if_fail (SIGNPOST_IS_PRACTICE (practice));
  g_return_if_fail (!self->chosen);

  id = signpost_record_get_id (SIGNPOST_RECORD (practice));
  if (g_hash_table_contains (self->by_id, id))
    return;
  p = g_new0 (Practice, 1);
  p->practice = g_object_ref (practice);
  p->id = g_strdup (id);
  p->ods = g_strdup (signpost_practice_get_ods_code (practice) != NULL
                     ? signpost_practice_get_ods_code (practice) : id);
  p->lower_ods = g_ascii_strdown (p->ods, -1);
  p->tz = signpost_time_zone_new (signpost_practice_get_time_zone (practice), NULL);
  if (p->tz == NULL)
    p->tz = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);
  p->clinicians = g_ptr_array_new_with_free_func (clinician_free);
  p->patients = g_ptr_array_new_with_free_func (g_free);
  p->days = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL,
                                   (GDestroyNotify) g_ptr_array_unref);
  g_ptr_array_add (self->practices, p);
  g_hash_table_insert (self->by_id, p->id, p);
}

void
signpost_history_model_add_clinician (SignpostHistoryModel *self,
                                      SignpostClinician    *clinician)
{
  Practice *p;
  Clinician *c;

  g_return_if_fail (SIGNPOST_IS_HISTORY_MODEL (self));
  g_return_if_fail (SIGNPOST_IS_CLINICIAN (clinician));

  p = g_hash_table_lookup (self->by_id,
                           signpost_record_get_practice_id (SIGNPOST_RECORD (clinician)));
  if (p == NULL)
    return;
  c = g_new0 (Clinician, 1);
  c->id = g_strdup (signpost_record_get_id (SIGNPOST_RECORD (clinician)));
  c->profession = signpost_clinician_get_profession (clinician);
  g_ptr_array_add (p->clinicians, c);
}

void
signpost_history_model_add_patient (SignpostHistoryModel *self,
                                    const char           *practice_id,
                                    const char           *patient_id)
{
  Practice *p;

  g_return_if_fail (SIGNPOST_IS_HISTORY_MODEL (self));
  g_return_if_fail (practice_id != NULL && patient_id != NULL);

  p = g_hash_table_lookup (self->by_id, practice_id);
  if (p != NULL)
    g_ptr_array_add (p->patients, g_strdup (patient_id));
}

static int
compare_practices (gconstpointer a,
                   gconstpointer b)
{
  const Practice *x = *(const Practice **) a, *y = *(const Practice **) b;

  return g_strcmp0 (x->ods, y->ods);
}

static int
compare_clinicians (gconstpointer a,
                    gconstpointer b)
{
  const Clinician *x = *(const Clinician **) a, *y = *(const Clinician **) b;

  if (x->profession != y->profession)
    return (int) x->profession - (int) y->profession;
  return g_strcmp0 (x->id, y->id);
}

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return g_strcmp0 (*(const char **) a, *(const char **) b);
}

/**
 * signpost_history_model_choose:
 *
 * Once every practice, clinician and patient is added: puts them in a
 * fixed order (whatever order the server sent them in) and draws each
 * practice's profile from the seed.
 */
void
signpost_history_model_choose (SignpostHistoryModel *self)
{
  g_autoptr(GRand) rand = NULL;
  g_autofree guint *order = NULL;
  guint n;

  g_return_if_fail (SIGNPOST_IS_HISTORY_MODEL (self));

  g_ptr_array_sort (self->practices, compare_practices);
  n = self->practices->len;
  for (guint i = 0; i < n; i++)
    {
      Practice *p = g_ptr_array_index (self->practices, i);

      g_ptr_array_sort (p->clinicians, compare_clinicians);
      g_ptr_array_sort (p->patients, compare_strings);
    }

  /* Who stands out: a shuffle of the practices by the seed. Practices
   * that answer slowly are about one in six (at least one); then one with
   * many did-not-attends and one offering few appointments, each a
   * different practice when there are enough. */
  rand = rand_for (self, 0x70726f66 /* "prof" */, 0, 0);
  order = g_new0 (guint, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    order[i] = i;
  for (guint i = n; i > 1; i--)
    {
      guint j = g_rand_int_range (rand, 0, i), t = order[i - 1];

      order[i - 1] = order[j];
      order[j] = t;
    }
  for (guint i = 0; i < n; i++)
    {
      Practice *p = g_ptr_array_index (self->practices, i);
      g_autoptr(GRand) own = rand_for (self, 0x70726f66, hash_text (p->ods), 1);
      SignpostHistoryProfile *profile = &p->profile;
      double patients = MAX (p->patients->len, 1);

      profile->traits = 0;
      /* A team answering the Monday scramble in a few minutes, most calls
       * within the minute later in the day; or one of about half that. */
      profile->navigators = MAX (1, (guint) lround (patients / 10000.0 * uniform (own, 6.5, 8.5)));
      profile->appointments_per_1000 = uniform (own, 72, 95);
      profile->fill = uniform (own, 0.82, 0.95);
      profile->dna_rate = uniform (own, 0.035, 0.06);
      profile->hub_share = uniform (own, 0.05, 0.35);
      profile->navigation_share = uniform (own, 0.55, 0.75);
      profile->signpost_share = uniform (own, 0.12, 0.30);
    }
  if (n > 0)
    {
      guint slow = MAX (1, (n + 3) / 6);

      for (guint k = 0; k < slow && k < n; k++)
        {
          Practice *p = g_ptr_array_index (self->practices, order[k]);
          g_autoptr(GRand) own = rand_for (self, 0x736c6f77 /* "slow" */, hash_text (p->ods), 0);

          p->profile.traits |= SIGNPOST_HISTORY_ANSWERS_SLOWLY;
          p->profile.navigators = MAX (1, (guint) lround (MAX (p->patients->len, 1) / 10000.0 *
                                                          uniform (own, 2.6, 3.2)));
        }
      {
        Practice *p = g_ptr_array_index (self->practices, order[slow % n]);
        g_autoptr(GRand) own = rand_for (self, 0x646e61 /* "dna" */, hash_text (p->ods), 0);

        p->profile.traits |= SIGNPOST_HISTORY_MANY_DNAS;
        p->profile.dna_rate = uniform (own, 0.13, 0.16);
      }
      {
        Practice *p = g_ptr_array_index (self->practices, order[(slow + 1) % n]);
        g_autoptr(GRand) own = rand_for (self, 0x66657721 /* "few!" */, hash_text (p->ods), 0);

        p->profile.traits |= SIGNPOST_HISTORY_FEW_APPOINTMENTS;
        p->profile.appointments_per_1000 = uniform (own, 32, 40);
      }
    }
  self->chosen = TRUE;
}

guint
signpost_history_model_get_n_practices (SignpostHistoryModel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_HISTORY_MODEL (self), 0);

  return self->practices->len;
}

SignpostPractice *
signpost_history_model_get_practice (SignpostHistoryModel *self,
                                     guint                 index)
{
  g_return_val_if_fail (SIGNPOST_IS_HISTORY_MODEL (self), NULL);
  g_return_val_if_fail (index < self->practices->len, NULL);

  return ((Practice *) g_ptr_array_index (self->practices, index))->practice;
}

const SignpostHistoryProfile *
signpost_history_model_get_profile (SignpostHistoryModel *self,
                                    guint                 index)
{
  g_return_val_if_fail (SIGNPOST_IS_HISTORY_MODEL (self), NULL);
  g_return_val_if_fail (self->chosen, NULL);
  g_return_val_if_fail (index < self->practices->len, NULL);

  return &((Practice *) g_ptr_array_index (self->practices, index))->profile;
}

/* One line for the run's output: what the manager should find. */
char *
signpost_history_model_describe (SignpostHistoryModel *self,
                                 guint                 index)
{
  Practice *p;
  GString *text;
  const SignpostHistoryProfile *profile;

  g_return_val_if_fail (SIGNPOST_IS_HISTORY_MODEL (self), NULL);
  g_return_val_if_fail (self->chosen && index < self->practices->len, NULL);

  p = g_ptr_array_index (self->practices, index);
  profile = &p->profile;
  text = g_string_new (NULL);
  /* Translators: ODS code, practice name, list size, navigators, slots
   * per 1,000 patients a week, did-not-attend rate, hub share */
  g_string_append_printf (text, _("%s %s: %u patients, %u navigators, %.0f slots a week per 1,000, "
                                  "%.1f %% did not attend, %.0f %% by the hub"),
                          p->ods, signpost_practice_get_name (p->practice), p->patients->len,
                          profile->navigators, profile->appointments_per_1000,
                          profile->dna_rate * 100, profile->hub_share * 100);
  if (profile->traits & SIGNPOST_HISTORY_ANSWERS_SLOWLY)
    g_string_append (text, _(" — answers slowly"));
  if (profile->traits & SIGNPOST_HISTORY_MANY_DNAS)
    g_string_append (text, _(" — many did-not-attends"));
  if (profile->traits & SIGNPOST_HISTORY_FEW_APPOINTMENTS)
    g_string_append (text, _(" — few appointments for its list"));
  return g_string_free (text, FALSE);
}

/**
 * signpost_history_model_get_usernames:
 *
 * Returns: (transfer full): everyone the history is sent as: the hub's
 *   navigator and each practice's manager, navigator and duty doctor
 */
char **
signpost_history_model_get_usernames (SignpostHistoryModel *self)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **names;

  g_return_val_if_fail (SIGNPOST_IS_HISTORY_MODEL (self), NULL);

  g_strv_builder_add (builder, SIGNPOST_HISTORY_HUB_NAVIGATOR);
  for (guint i = 0; i < self->practices->len; i++)
    {
      Practice *p = g_ptr_array_index (self->practices, i);
      g_autofree char *manager = g_strconcat ("manager-", p->lower_ods, NULL);
      g_autofree char *navigator = g_strconcat ("navigator-", p->lower_ods, NULL);
      g_autofree char *duty = g_strconcat ("duty-", p->lower_ods, NULL);

      g_strv_builder_add_many (builder, manager, navigator, duty, NULL);
    }
  names = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);
  return names;
}

/* ---- batches ----------------------------------------------------------- */

typedef struct {
  GPtrArray *batches;       /* of SignpostHistoryBatch */
  GHashTable *open;         /* "user\nat" → SignpostHistoryBatch (the last of its key) */
} Batcher;

static void
batcher_init (Batcher *b)
{
  b->batches = g_ptr_array_new_with_free_func ((GDestroyNotify) signpost_history_batch_free);
  b->open = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static int
compare_batches (gconstpointer a,
                 gconstpointer b)
{
  const SignpostHistoryBatch *x = *(const SignpostHistoryBatch **) a;
  const SignpostHistoryBatch *y = *(const SignpostHistoryBatch **) b;

  if (x->at_us != y->at_us)
    return x->at_us < y->at_us ? -1 : 1;
  return g_strcmp0 (x->username, y->username);
}

/* The batches in time order (a stable sort keeps a user's in the order
 * they were made). */
static GPtrArray *
batcher_finish (Batcher *b)
{
  g_hash_table_unref (b->open);
  g_ptr_array_sort (b->batches, compare_batches);
  return b->batches;
}

static void
batcher_add (Batcher    *b,
             const char *username,
             gint64      at_us,
             JsonObject *mutation)
{
  g_autofree char *key = g_strdup_printf ("%s\n%" G_GINT64_FORMAT, username, at_us);
  SignpostHistoryBatch *batch = g_hash_table_lookup (b->open, key);

  if (batch == NULL || json_array_get_length (batch->mutations) >= MAX_BATCH)
    {
      batch = g_new0 (SignpostHistoryBatch, 1);
      batch->username = g_strdup (username);
      batch->at_us = at_us;
      batch->mutations = json_array_new ();
      g_ptr_array_add (b->batches, batch);
      g_hash_table_replace (b->open, g_steal_pointer (&key), batch);
    }
  json_array_add_object_element (batch->mutations, mutation);
}

static JsonObject *
mutation_new (SignpostHistoryModel *self,
              const char           *type,
              const char           *op,
              const char           *id,
              gint64                base_version,
              JsonObject           *data)
{
  JsonObject *mutation = json_object_new ();
  g_autofree char *what = g_strdup_printf ("mutation/%s/%s/%s/%" G_GINT64_FORMAT, type, op, id,
                                           base_version);
  g_autofree char *mutation_id = uuid_for (self, what);

  json_object_set_string_member (mutation, "mutation_id", mutation_id);
  json_object_set_string_member (mutation, "type", type);
  json_object_set_string_member (mutation, "op", op);
  json_object_set_string_member (mutation, "id", id);
  if (base_version > 0)
    json_object_set_int_member (mutation, "base_version", base_version);
  if (data != NULL)
    json_object_set_object_member (mutation, "data", data);
  return mutation;
}

static void
set_instant (JsonObject *object,
             const char *member,
             gint64      at_us)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (at_us / G_USEC_PER_SEC);
  g_autoptr(GDateTime) at = g_date_time_add (seconds, at_us % G_USEC_PER_SEC);
  g_autofree char *text = signpost_timestamp_format (at);

  json_object_set_string_member (object, member, text);
}

static gint64
local_us (const GDate *date,
          int          hour,
          int          minute,
          GTimeZone   *tz)
{
  g_autoptr(GDateTime) dt = signpost_local_time_to_utc (date, hour, minute, tz);

  return dt != NULL ? g_date_time_to_unix (dt) * G_USEC_PER_SEC : 0;
}

static gboolean
is_working_day (const GDate *date)
{
  GDateWeekday weekday = g_date_get_weekday (date);

  return weekday != G_DATE_SATURDAY && weekday != G_DATE_SUNDAY;
}

static GPtrArray *
practice_day (Practice    *p,
              const GDate *date)
{
  return g_hash_table_lookup (p->days, GUINT_TO_POINTER (g_date_get_julian (date)));
}

static const char *
manager_of (Practice *p,
            char    **out)
{
  *out = g_strconcat ("manager-", p->lower_ods, NULL);
  return *out;
}

/* ---- sessions ---------------------------------------------------------- */

static SignpostSlotMode
slot_mode (SignpostProfession profession,
           guint              index,
           gboolean           morning)
{
  if (profession == SIGNPOST_PROFESSION_GP)
    {
      if (morning && index < 4)
        return SIGNPOST_SLOT_MODE_TELEPHONE;
      return index % 5 == 4 ? SIGNPOST_SLOT_MODE_VIDEO : SIGNPOST_SLOT_MODE_FACE_TO_FACE;
    }
  if (profession == SIGNPOST_PROFESSION_CLINICAL_PHARMACIST ||
      profession == SIGNPOST_PROFESSION_MENTAL_HEALTH ||
      profession == SIGNPOST_PROFESSION_SOCIAL_PRESCRIBER)
    return index % 2 == 0 ? SIGNPOST_SLOT_MODE_TELEPHONE : SIGNPOST_SLOT_MODE_FACE_TO_FACE;
  return SIGNPOST_SLOT_MODE_FACE_TO_FACE;
}

static void
add_session (SignpostHistoryModel *self,
             Practice             *p,
             GPtrArray            *day,
             const GDate          *date,
             const Clinician      *clinician,
             gboolean              morning,
             guint                 limit)
{
  gboolean gp = clinician->profession == SIGNPOST_PROFESSION_GP;
  guint minutes = gp ? 10 : 15;
  gint64 start = morning ? local_us (date, 8, 30, p->tz) : local_us (date, 14, 0, p->tz);
  guint n = MIN ((morning ? 210 : 180) / minutes, limit);

  for (guint i = 0; i < n; i++)
    {
      Slot *slot = g_new0 (Slot, 1);
      g_autofree char *what = g_strdup_printf ("slot/%s/%s/%u/%d/%u", p->ods, clinician->id,
                                               g_date_get_julian (date), morning, i);

      slot->id = uuid_for (self, what);
      slot->clinician = clinician;
      slot->start_us = start + i * minutes * USEC_PER_MINUTE;
      slot->minutes = minutes;
      slot->mode = slot_mode (clinician->profession, i, morning);
      /* GPs keep their first morning slots for the day: released at 08:00. */
      slot->embargoed = gp && morning && i < 6;
      slot->hub_bookable = !(clinician->profession == SIGNPOST_PROFESSION_HCA || (gp && i % 3 == 2));
      g_ptr_array_add (day, slot);
    }
}

static int
compare_slots (gconstpointer a,
               gconstpointer b)
{
  const Slot *x = *(const Slot **) a, *y = *(const Slot **) b;

  if (x->start_us != y->start_us)
    return x->start_us < y->start_us ? -1 : 1;
  return g_strcmp0 (x->id, y->id);
}

/* A day's sessions: the clinicians in turn, mornings first, until the
 * practice's slots for the day are laid out (or every clinician has
 * two sessions). */
static GPtrArray *
lay_out_day (SignpostHistoryModel *self,
             Practice             *p,
             const GDate          *date)
{
  GPtrArray *day = g_ptr_array_new_with_free_func (slot_free);
  double target = MAX (p->patients->len, 1) / 1000.0 * p->profile.appointments_per_1000 / 5.0;
  guint wanted = (guint) lround (target);

  for (int session = 0; session < 2 && day->len < wanted; session++)
    for (guint c = 0; c < p->clinicians->len && day->len < wanted; c++)
      add_session (self, p, day, date, g_ptr_array_index (p->clinicians, c), session == 0,
                   wanted - day->len);
  g_ptr_array_sort (day, compare_slots);
  return day;
}

/**
 * signpost_history_model_plan_sessions:
 *
 * Every working day's slots from @from to @to, for every practice, made
 * by the practice's manager three weeks before the first day.
 */
GPtrArray *
signpost_history_model_plan_sessions (SignpostHistoryModel *self,
                                      const GDate          *from,
                                      const GDate          *to)
{
  Batcher b;

  g_return_val_if_fail (SIGNPOST_IS_HISTORY_MODEL (self), NULL);
  g_return_val_if_fail (self->chosen, NULL);

  batcher_init (&b);
  for (guint i = 0; i < self->practices->len; i++)
    {
      Practice *p = g_ptr_array_index (self->practices, i);
      g_autofree char *manager = NULL;
      gint64 at = local_us (from, 9, 0, p->tz) - SESSIONS_AHEAD_DAYS * USEC_PER_DAY;
      GDate date = *from;

      manager_of (p, &manager);
      for (; g_date_compare (&date, to) <= 0; g_date_add_days (&date, 1))
        {
          GPtrArray *day;

          if (!is_working_day (&date) || practice_day (p, &date) != NULL)
            continue;
          day = lay_out_day (self, p, &date);
          g_hash_table_insert (p->days, GUINT_TO_POINTER (g_date_get_julian (&date)), day);
          for (guint s = 0; s < day->len; s++)
            {
              Slot *slot = g_ptr_array_index (day, s);
              JsonObject *data = json_object_new ();

              json_object_set_string_member (data, "practice_id", p->id);
              json_object_set_string_member (data, "clinician_id", slot->clinician->id);
              set_instant (data, "start", slot->start_us);
              json_object_set_int_member (data, "duration_minutes", slot->minutes);
              json_object_set_string_member (data, "mode",
                                             signpost_enum_to_nick (SIGNPOST_TYPE_SLOT_MODE, slot->mode));
              if (slot->embargoed)
                set_instant (data, "release_at", local_us (&date, 8, 0, p->tz));
              json_object_set_boolean_member (data, "hub_bookable", slot->hub_bookable);
              json_object_set_string_member (data, "status", "free");
              batcher_add (&b, manager, at, mutation_new (self, "slot", "create", slot->id, 0, data));
            }
        }
    }
  return batcher_finish (&b);
}

/* ---- bookings ---------------------------------------------------------- */

static const char *
random_patient (Practice *p,
                GRand    *rand)
{
  if (p->patients->len == 0)
    return NULL;
  return g_ptr_array_index (p->patients, g_rand_int_range (rand, 0, p->patients->len));
}

static JsonObject *
book (SignpostHistoryModel *self,
      Practice             *p,
      Slot                 *slot,
      const char           *patient_id,
      const char           *reason,
      const char           *triage_id)
{
  JsonObject *data = json_object_new ();
  g_autofree char *what = g_strdup_printf ("appointment/%s/%s", p->ods, slot->id);

  g_clear_pointer (&slot->appointment_id, g_free);
  slot->appointment_id = uuid_for (self, what);
  json_object_set_string_member (data, "appointment_id", slot->appointment_id);
  json_object_set_string_member (data, "patient_id", patient_id);
  json_object_set_string_member (data, "reason", reason);
  if (triage_id != NULL)
    json_object_set_string_member (data, "triage_id", triage_id);
  return mutation_new (self, "slot", "book", slot->id, 0, data);
}

/**
 * signpost_history_model_plan_bookings:
 *
 * The routine bookings of @date's slots (not those kept for the day),
 * made two days before by the practice's navigator or the hub's.
 */
GPtrArray *
signpost_history_model_plan_bookings (SignpostHistoryModel *self,
                                      const GDate          *date)
{
  Batcher b;

  g_return_val_if_fail (SIGNPOST_IS_HISTORY_MODEL (self), NULL);
  g_return_val_if_fail (self->chosen, NULL);

  batcher_init (&b);
  for (guint i = 0; i < self->practices->len; i++)
    {
      Practice *p = g_ptr_array_index (self->practices, i);
      GPtrArray *day = practice_day (p, date);
      g_autoptr(GRand) rand = rand_for (self, 0x626f6f6b /* "book" */, hash_text (p->ods),
                                        g_date_get_julian (date));
      g_autofree char *navigator = g_strconcat ("navigator-", p->lower_ods, NULL);
      gint64 at = local_us (date, 10, 0, p->tz) - BOOKED_AHEAD_DAYS * USEC_PER_DAY;

      for (guint s = 0; day != NULL && s < day->len; s++)
        {
          Slot *slot = g_ptr_array_index (day, s);
          const char *patient = random_patient (p, rand);
          gboolean by_hub = g_rand_double (rand) < p->profile.hub_share;
          const char *reason = routine_reasons[g_rand_int_range (rand, 0, G_N_ELEMENTS (routine_reasons))];

          if (g_rand_double (rand) >= p->profile.fill || slot->embargoed ||
              slot->appointment_id != NULL || patient == NULL)
            continue;
          by_hub = by_hub && slot->hub_bookable;
          batcher_add (&b, by_hub ? SIGNPOST_HISTORY_HUB_NAVIGATOR : navigator, at,
                       book (self, p, slot, patient, reason, NULL));
        }
    }
  return batcher_finish (&b);
}

/* ---- navigation -------------------------------------------------------- */

static gboolean
slot_fits (const Slot      *slot,
           const Clinician *clinician,
           int              profession,
           gboolean         by_hub,
           gint64           after_us)
{
  if (slot->appointment_id != NULL || slot->start_us <= after_us)
    return FALSE;
  if (by_hub && !slot->hub_bookable)
    return FALSE;
  if (clinician != NULL)
    return slot->clinician == clinician;
  return (int) slot->clinician->profession == profession;
}

/* The first free slot for the route: today's released ones for a
 * same-day request, else the routine ones of the next two weeks. */
static Slot *
find_slot (Practice        *p,
           const GDate     *date,
           const Clinician *clinician,
           int              profession,
           gboolean         same_day,
           gboolean         by_hub,
           gint64           after_us)
{
  GDate day = *date;

  if (same_day)
    {
      GPtrArray *slots = practice_day (p, &day);

      for (guint s = 0; slots != NULL && s < slots->len; s++)
        {
          Slot *slot = g_ptr_array_index (slots, s);

          if (slot->embargoed && slot_fits (slot, clinician, profession, by_hub, after_us))
            return slot;
        }
      return NULL;
    }
  for (guint d = 1; d <= ROUTINE_WINDOW_DAYS; d++)
    {
      GPtrArray *slots;

      g_date_add_days (&day, 1);
      slots = practice_day (p, &day);
      for (guint s = 0; slots != NULL && s < slots->len; s++)
        {
          Slot *slot = g_ptr_array_index (slots, s);

          if (!slot->embargoed && slot_fits (slot, clinician, profession, by_hub, after_us))
            return slot;
        }
    }
  return NULL;
}

static const Clinician *
random_clinician (Practice           *p,
                  GRand              *rand,
                  SignpostProfession  profession)
{
  guint n = 0, pick;

  for (guint c = 0; c < p->clinicians->len; c++)
    n += ((Clinician *) g_ptr_array_index (p->clinicians, c))->profession == profession;
  if (n == 0)
    return NULL;
  pick = g_rand_int_range (rand, 0, n);
  for (guint c = 0; c < p->clinicians->len; c++)
    {
      const Clinician *clinician = g_ptr_array_index (p->clinicians, c);

      if (clinician->profession == profession && pick-- == 0)
        return clinician;
    }
  return NULL;
}

static const char *
random_signpost (GRand *rand)
{
  double r = g_rand_double (rand), sum = 0;

  for (guint i = 0; i < G_N_ELEMENTS (signposts); i++)
    {
      sum += signposts[i].weight;
      if (r < sum)
        return signposts[i].service;
    }
  return signposts[0].service;
}

/**
 * signpost_history_model_plan_navigation:
 * @index: the practice
 * @plan: the day's calls, as played
 * @first_call: where the practice's calls begin in @plan
 * @n_calls: how many there are
 * @call_ids: (array): the server's id of each call of @plan (NULL for a
 *   call it never took)
 *
 * The navigation records of the day's answered calls, each written at
 * the end of the hour the call ended in by whoever took it, with the
 * bookings they lead to.
 */
GPtrArray *
signpost_history_model_plan_navigation (SignpostHistoryModel *self,
                                        guint                 index,
                                        const GDate          *date,
                                        SignpostTrafficPlan  *plan,
                                        guint                 first_call,
                                        guint                 n_calls,
                                        const char * const   *call_ids)
{
  Practice *p;
  Batcher b;
  g_autoptr(GRand) rand = NULL;
  g_autofree char *navigator = NULL;

  g_return_val_if_fail (SIGNPOST_IS_HISTORY_MODEL (self), NULL);
  g_return_val_if_fail (self->chosen && index < self->practices->len, NULL);
  g_return_val_if_fail (plan != NULL, NULL);
  g_return_val_if_fail (first_call + n_calls <= plan->calls->len, NULL);

  p = g_ptr_array_index (self->practices, index);
  rand = rand_for (self, 0x6e617669 /* "navi" */, hash_text (p->ods), g_date_get_julian (date));
  navigator = g_strconcat ("navigator-", p->lower_ods, NULL);
  batcher_init (&b);

  for (guint i = first_call; i < first_call + n_calls; i++)
    {
      SignpostTrafficCall *call = &g_array_index (plan->calls, SignpostTrafficCall, i);
      JsonObject *data, *route;
      g_autofree char *what = NULL;
      g_autofree char *triage_id = NULL;
      const char *patient = random_patient (p, rand);
      gboolean by_hub = g_rand_double (rand) < p->profile.hub_share;
      double r = g_rand_double (rand);
      gint64 ended_us, at;
      const Clinician *clinician = NULL;
      int profession = -1;
      gboolean same_day = g_rand_double (rand) < 0.45;
      const char *user = by_hub ? SIGNPOST_HISTORY_HUB_NAVIGATOR : navigator;
      Slot *slot = NULL;

      if (g_rand_double (rand) >= p->profile.navigation_share || !call->answered ||
          call_ids == NULL || call_ids[i] == NULL || patient == NULL)
        continue;
      ended_us = call->answered_us + (gint64) (call->handle_s * G_USEC_PER_SEC);
      /* Written up by the end of the hour. */
      at = (ended_us / (60 * USEC_PER_MINUTE) + 1) * (60 * USEC_PER_MINUTE);

      what = g_strdup_printf ("triage/%s/%s", p->ods, call->call_ref);
      triage_id = uuid_for (self, what);
      data = json_object_new ();
      route = json_object_new ();
      json_object_set_string_member (data, "practice_id", p->id);
      json_object_set_string_member (data, "patient_id", patient);
      json_object_set_string_member (data, "call_id", call_ids[i]);
      json_object_set_string_member (data, "reason",
                                     navigation_reasons[g_rand_int_range (rand, 0, G_N_ELEMENTS (navigation_reasons))]);
      json_object_set_string_member (data, "contact_method", "phone");

      if (r < p->profile.signpost_share)
        {
          json_object_set_string_member (route, "kind", "signpost");
          json_object_set_string_member (route, "signpost", random_signpost (rand));
          json_object_set_string_member (data, "urgency", "routine");
          json_object_set_string_member (data, "status", "signposted");
          json_object_set_string_member (data, "outcome", "signposted");
        }
      else if (r < p->profile.signpost_share + 0.15)
        {
          json_object_set_string_member (route, "kind", "duty");
          json_object_set_string_member (data, "urgency", "same_day");
          json_object_set_string_member (data, "status", "awaiting_duty");
          json_object_set_string_member (data, "outcome", "sent_to_duty");
        }
      else
        {
          /* The usual GP mostly; otherwise another profession. */
          if (g_rand_double (rand) < 0.7 &&
              (clinician = random_clinician (p, rand, SIGNPOST_PROFESSION_GP)) != NULL)
            {
              json_object_set_string_member (route, "kind", "clinician");
              json_object_set_string_member (route, "clinician_id", clinician->id);
            }
          else
            {
              static const SignpostProfession others[] = {
                SIGNPOST_PROFESSION_NURSE, SIGNPOST_PROFESSION_CLINICAL_PHARMACIST,
                SIGNPOST_PROFESSION_PHYSIO, SIGNPOST_PROFESSION_HCA,
              };

              clinician = NULL;
              profession = others[g_rand_int_range (rand, 0, G_N_ELEMENTS (others))];
              json_object_set_string_member (route, "kind", "profession");
              json_object_set_string_member (route, "profession",
                                             signpost_enum_to_nick (SIGNPOST_TYPE_PROFESSION, profession));
              /* Same-day slots are the GPs'. */
              same_day = FALSE;
            }
          json_object_set_string_member (data, "urgency", same_day ? "same_day" : "routine");
          json_object_set_string_member (data, "status", "open");
          json_object_set_string_member (data, "outcome", "none");
          slot = find_slot (p, date, clinician, profession, same_day, by_hub,
                            at + 5 * USEC_PER_MINUTE);
        }
      json_object_set_object_member (data, "route", route);
      batcher_add (&b, user, at, mutation_new (self, "triage", "create", triage_id, 0, data));
      if (slot != NULL)
        batcher_add (&b, user, at, book (self, p, slot, patient,
                                         json_object_get_string_member (data, "reason"), triage_id));
    }
  return batcher_finish (&b);
}

/* ---- outcomes ---------------------------------------------------------- */

/**
 * signpost_history_model_plan_outcomes:
 *
 * The evening of @date: every appointment of the day arrived or did not
 * attend (the navigator, 18:45), then most of those who came seen (the
 * duty doctor, 18:50).
 */
GPtrArray *
signpost_history_model_plan_outcomes (SignpostHistoryModel *self,
                                      const GDate          *date)
{
  Batcher b;

  g_return_val_if_fail (SIGNPOST_IS_HISTORY_MODEL (self), NULL);
  g_return_val_if_fail (self->chosen, NULL);

  batcher_init (&b);
  for (guint i = 0; i < self->practices->len; i++)
    {
      Practice *p = g_ptr_array_index (self->practices, i);
      GPtrArray *day = practice_day (p, date);
      g_autoptr(GRand) rand = rand_for (self, 0x6f757463 /* "outc" */, hash_text (p->ods),
                                        g_date_get_julian (date));
      g_autofree char *navigator = g_strconcat ("navigator-", p->lower_ods, NULL);
      g_autofree char *duty = g_strconcat ("duty-", p->lower_ods, NULL);
      gint64 evening = local_us (date, 18, 45, p->tz);

      for (guint s = 0; day != NULL && s < day->len; s++)
        {
          Slot *slot = g_ptr_array_index (day, s);
          gboolean dna = g_rand_double (rand) < p->profile.dna_rate;
          gboolean seen = g_rand_double (rand) < 0.95;
          JsonObject *data;

          if (slot->appointment_id == NULL)
            continue;
          data = json_object_new ();
          json_object_set_string_member (data, "status", dna ? "did_not_attend" : "arrived");
          batcher_add (&b, navigator, evening,
                       mutation_new (self, "appointment", "update", slot->appointment_id, 1, data));
          slot->attended = !dna;
          if (dna || !seen)
            continue;
          data = json_object_new ();
          json_object_set_string_member (data, "status", "seen");
          batcher_add (&b, duty, evening + 5 * USEC_PER_MINUTE,
                       mutation_new (self, "appointment", "update", slot->appointment_id, 2, data));
        }
    }
  return batcher_finish (&b);
}
