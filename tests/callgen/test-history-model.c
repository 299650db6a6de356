/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "signpost-history-model.h"

/*
 * The history model on its own, without a server: the seed picks the
 * outliers, sessions follow each practice's appointments per 1,000,
 * bookings keep the rules (routine slots in advance, the hub only into
 * hub-bookable ones), outcomes come after bookings, and the same seed
 * plans the same history.
 */

#define N_PRACTICES 7

static const guint list_sizes[N_PRACTICES] = { 10000, 6000, 2300, 17500, 8200, 4100, 12000 };

static SignpostHistoryModel *
model_new (guint64 seed)
{
  SignpostHistoryModel *model = signpost_history_model_new (seed, 180);

  for (guint i = 0; i < N_PRACTICES; i++)
    {
      g_autoptr(SignpostPractice) practice = signpost_practice_new ();
      g_autofree char *id = g_strdup_printf ("00000000-0000-4000-8000-0000000000%02u", i);
      g_autofree char *ods = g_strdup_printf ("Y999%02u", i + 1);
      g_autofree char *line = g_strdup_printf ("+4420794600%02u", i + 1);
      const char * const lines[] = { line, NULL };

      signpost_record_set_id (SIGNPOST_RECORD (practice), id);
      signpost_record_set_practice_id (SIGNPOST_RECORD (practice), id);
      signpost_practice_set_ods_code (practice, ods);
      signpost_practice_set_name (practice, ods);
      signpost_practice_set_lines (practice, lines);
      signpost_practice_set_time_zone (practice, "Europe/London");
      signpost_history_model_add_practice (model, practice);

      /* A GP per 2,000 patients, a nurse, a pharmacist. */
      for (guint c = 0; c < list_sizes[i] / 2000 + 3; c++)
        {
          g_autoptr(SignpostClinician) clinician = signpost_clinician_new ();
          g_autofree char *cid = g_strdup_printf ("00000000-0000-4000-9000-00%02u000000%02u", i, c);

          signpost_record_set_id (SIGNPOST_RECORD (clinician), cid);
          signpost_record_set_practice_id (SIGNPOST_RECORD (clinician), id);
          signpost_clinician_set_profession (clinician,
                                             c == 0 ? SIGNPOST_PROFESSION_NURSE
                                             : c == 1 ? SIGNPOST_PROFESSION_CLINICAL_PHARMACIST
                                                      : SIGNPOST_PROFESSION_GP);
          signpost_history_model_add_clinician (model, clinician);
        }
      for (guint p = 0; p < list_sizes[i]; p++)
        {
          g_autofree char *pid = g_strdup_printf ("00000000-0000-4000-a000-%02u%010u", i, p);

          signpost_history_model_add_patient (model, id, pid);
        }
    }
  signpost_history_model_choose (model);
  return model;
}

static void
test_outliers (void)
{
  g_autoptr(SignpostHistoryModel) model = model_new (11);
  g_autoptr(SignpostHistoryModel) again = model_new (11);
  guint slow = 0, dna = 0, few = 0;

  g_assert_cmpuint (signpost_history_model_get_n_practices (model), ==, N_PRACTICES);
  for (guint i = 0; i < N_PRACTICES; i++)
    {
      const SignpostHistoryProfile *p = signpost_history_model_get_profile (model, i);
      const SignpostHistoryProfile *q = signpost_history_model_get_profile (again, i);
      g_autofree char *line = signpost_history_model_describe (model, i);

      g_test_message ("%s", line);
      g_assert_cmpint (p->traits, ==, q->traits);
      g_assert_cmpuint (p->navigators, ==, q->navigators);
      g_assert_cmpfloat (p->dna_rate, ==, q->dna_rate);
      if (p->traits & SIGNPOST_HISTORY_ANSWERS_SLOWLY)
        {
          slow++;
          g_assert_cmpuint (p->navigators, <=, MAX (1, lround (list_sizes[i] * 3.2 / 10000)));
          g_assert_nonnull (strstr (line, "answers slowly"));
        }
      else
        g_assert_cmpuint (p->navigators, >=, MAX (1, lround (list_sizes[i] * 6.5 / 10000)));
      if (p->traits & SIGNPOST_HISTORY_MANY_DNAS)
        {
          dna++;
          g_assert_cmpfloat (p->dna_rate, >=, 0.13);
        }
      else
        g_assert_cmpfloat (p->dna_rate, <=, 0.06);
      if (p->traits & SIGNPOST_HISTORY_FEW_APPOINTMENTS)
        {
          few++;
          g_assert_cmpfloat (p->appointments_per_1000, <=, 40);
        }
      else
        g_assert_cmpfloat (p->appointments_per_1000, >=, 72);
      /* With seven practices, each outlier is a practice of its own. */
      g_assert_cmpuint (__builtin_popcount (p->traits), <=, 1);
    }
  g_assert_cmpuint (slow, ==, 1);
  g_assert_cmpuint (dna, ==, 1);
  g_assert_cmpuint (few, ==, 1);
}

/* Indexes every slot the sessions create: id → its creation data. */
static GHashTable *
index_slots (GPtrArray *batches)
{
  GHashTable *slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                             (GDestroyNotify) json_object_unref);

  for (guint b = 0; b < batches->len; b++)
    {
      SignpostHistoryBatch *batch = g_ptr_array_index (batches, b);

      g_assert_true (g_str_has_prefix (batch->username, "manager-y999"));
      g_assert_cmpuint (json_array_get_length (batch->mutations), <=, 500);
      g_assert_cmpuint (json_array_get_length (batch->mutations), >, 0);
      for (guint m = 0; m < json_array_get_length (batch->mutations); m++)
        {
          JsonObject *mutation = json_array_get_object_element (batch->mutations, m);
          JsonObject *data = json_object_get_object_member (mutation, "data");

          g_assert_cmpstr (json_object_get_string_member (mutation, "type"), ==, "slot");
          g_assert_cmpstr (json_object_get_string_member (mutation, "op"), ==, "create");
          g_assert_false (g_hash_table_contains (slots, json_object_get_string_member (mutation, "id")));
          g_hash_table_insert (slots, g_strdup (json_object_get_string_member (mutation, "id")),
                               json_object_ref (data));
        }
    }
  return slots;
}

static gint64
parse_ms (const char *text)
{
  g_autoptr(GDateTime) dt = signpost_timestamp_parse (text, NULL);

  g_assert_nonnull (dt);
  return g_date_time_to_unix (dt) * 1000 + g_date_time_get_microsecond (dt) / 1000;
}

static void
test_sessions_and_bookings (void)
{
  g_autoptr(SignpostHistoryModel) model = model_new (5);
  g_autoptr(GPtrArray) sessions = NULL;
  g_autoptr(GHashTable) slots = NULL;
  g_autoptr(GHashTable) booked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GHashTable) per_practice = g_hash_table_new (g_str_hash, g_str_equal);
  GDate from, to, day;
  guint hub_bookings = 0, bookings = 0, outcomes = 0, seen = 0, dna = 0;

  g_date_clear (&from, 1);
  g_date_set_dmy (&from, 16, G_DATE_NOVEMBER, 2026);
  to = from;
  g_date_add_days (&to, 13);

  sessions = signpost_history_model_plan_sessions (model, &from, &to);
  slots = index_slots (sessions);

  /* Two weeks of each practice's appointments per 1,000 (a day's slots
   * are rounded to the nearest whole slot). */
  {
    GHashTableIter iter;
    gpointer value;

    g_hash_table_iter_init (&iter, slots);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        const char *practice = json_object_get_string_member (value, "practice_id");

        g_hash_table_insert (per_practice, (gpointer) practice,
                             GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (per_practice, practice)) + 1));
      }
    for (guint i = 0; i < N_PRACTICES; i++)
      {
        SignpostPractice *practice = signpost_history_model_get_practice (model, i);
        const SignpostHistoryProfile *p = signpost_history_model_get_profile (model, i);
        guint made = GPOINTER_TO_UINT (g_hash_table_lookup (per_practice,
                                                             signpost_record_get_id (SIGNPOST_RECORD (practice))));
        double wanted = 10 * round (list_sizes[i] / 1000.0 * p->appointments_per_1000 / 5.0);

        g_assert_cmpfloat (fabs (made - wanted), <=, 0.5);
      }
  }

  for (day = from; g_date_compare (&day, &to) <= 0; g_date_add_days (&day, 1))
    {
      g_autoptr(GPtrArray) plan = signpost_history_model_plan_bookings (model, &day);
      g_autoptr(GPtrArray) evening = signpost_history_model_plan_outcomes (model, &day);

      for (guint b = 0; b < plan->len; b++)
        {
          SignpostHistoryBatch *batch = g_ptr_array_index (plan, b);
          gboolean hub = g_str_equal (batch->username, SIGNPOST_HISTORY_HUB_NAVIGATOR);

          g_assert_true (hub || g_str_has_prefix (batch->username, "navigator-y999"));
          for (guint m = 0; m < json_array_get_length (batch->mutations); m++)
            {
              JsonObject *mutation = json_array_get_object_element (batch->mutations, m);
              const char *slot_id = json_object_get_string_member (mutation, "id");
              JsonObject *slot = g_hash_table_lookup (slots, slot_id);

              g_assert_nonnull (slot);
              g_assert_cmpstr (json_object_get_string_member (mutation, "op"), ==, "book");
              /* Booked before it starts, never twice, never a slot kept
               * for the day, and by the hub only where the hub may. */
              g_assert_cmpint (batch->at_us / 1000, <, parse_ms (json_object_get_string_member (slot, "start")));
              g_assert_false (g_hash_table_contains (booked, slot_id));
              g_hash_table_add (booked, g_strdup (slot_id));
              g_assert_false (json_object_has_member (slot, "release_at"));
              if (hub)
                {
                  g_assert_true (json_object_get_boolean_member (slot, "hub_bookable"));
                  hub_bookings++;
                }
              bookings++;
            }
        }
      for (guint b = 0; b < evening->len; b++)
        {
          SignpostHistoryBatch *batch = g_ptr_array_index (evening, b);

          for (guint m = 0; m < json_array_get_length (batch->mutations); m++)
            {
              JsonObject *mutation = json_array_get_object_element (batch->mutations, m);
              const char *status = json_object_get_string_member (json_object_get_object_member (mutation, "data"),
                                                                  "status");

              g_assert_cmpstr (json_object_get_string_member (mutation, "type"), ==, "appointment");
              if (g_str_equal (status, "seen"))
                {
                  g_assert_true (g_str_has_prefix (batch->username, "duty-y999"));
                  g_assert_cmpint (json_object_get_int_member (mutation, "base_version"), ==, 2);
                  seen++;
                }
              else
                {
                  g_assert_true (g_str_has_prefix (batch->username, "navigator-y999"));
                  g_assert_cmpint (json_object_get_int_member (mutation, "base_version"), ==, 1);
                  dna += g_str_equal (status, "did_not_attend");
                  outcomes++;
                }
            }
        }
    }
  g_test_message ("%u bookings, %u by the hub, %u outcomes, %u did not attend, %u seen",
                  bookings, hub_bookings, outcomes, dna, seen);
  g_assert_cmpuint (bookings, >, g_hash_table_size (slots) / 2);
  g_assert_cmpuint (hub_bookings, >, 0);
  g_assert_cmpuint (hub_bookings, <, bookings / 2);
  /* Every routine booking has its outcome the evening of its day. */
  g_assert_cmpuint (outcomes, ==, bookings);
  g_assert_cmpuint (seen, >, (outcomes - dna) * 8 / 10);
  g_assert_cmpuint (dna, >, 0);
}

/* The same seed plans the same ids; another seed, others. */
static void
test_same_seed (void)
{
  g_autoptr(SignpostHistoryModel) a = model_new (99);
  g_autoptr(SignpostHistoryModel) b = model_new (99);
  g_autoptr(SignpostHistoryModel) c = model_new (100);
  GDate day;
  g_autoptr(GPtrArray) pa = NULL;
  g_autoptr(GPtrArray) pb = NULL;
  g_autoptr(GPtrArray) pc = NULL;
  SignpostHistoryBatch *x, *y, *z;

  g_date_clear (&day, 1);
  g_date_set_dmy (&day, 17, G_DATE_NOVEMBER, 2026);
  pa = signpost_history_model_plan_sessions (a, &day, &day);
  pb = signpost_history_model_plan_sessions (b, &day, &day);
  pc = signpost_history_model_plan_sessions (c, &day, &day);
  g_assert_cmpuint (pa->len, ==, pb->len);
  x = g_ptr_array_index (pa, 0);
  y = g_ptr_array_index (pb, 0);
  z = g_ptr_array_index (pc, 0);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (x->mutations, 0), "mutation_id"), ==,
                   json_object_get_string_member (json_array_get_object_element (y->mutations, 0), "mutation_id"));
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (x->mutations, 0), "id"), !=,
                   json_object_get_string_member (json_array_get_object_element (z->mutations, 0), "id"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/callgen/history/outliers", test_outliers);
  g_test_add_func ("/signpost/callgen/history/sessions-and-bookings", test_sessions_and_bookings);
  g_test_add_func ("/signpost/callgen/history/same-seed", test_same_seed);

  return g_test_run ();
}
