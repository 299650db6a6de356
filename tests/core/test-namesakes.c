/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "signpost-core.h"
#include "signpost-namesakes.h"

/* Namesakes (the hazard log's C-01.7): two registered patients whom a
 * name and a date of birth do not tell apart, so that the navigator must
 * ask for a second identifier. Synthetic patients only. */

static SignpostPatient *
patient (const char *id,
         const char *given,
         const char *family,
         const char *dob,
         const char *postcode,
         const char *nhs)
{
  SignpostPatient *p = signpost_patient_new ();

  signpost_record_set_id (SIGNPOST_RECORD (p), id);
  signpost_patient_set_given_name (p, given);
  signpost_patient_set_family_name (p, family);
  signpost_patient_set_date_of_birth (p, dob);
  signpost_patient_set_postcode (p, postcode);
  signpost_patient_set_nhs_number (p, nhs);
  return p;
}

static void
test_rule (void)
{
  g_autoptr(SignpostPatient) a = patient ("a", "Mary-Jane", "O’Brien", "1980-03-12", "LS6 3AB", "9434765919");
  g_autoptr(SignpostPatient) b = patient ("b", "mary jane", "OBRIEN", "1980-03-12", "LS1 4DY", NULL);
  g_autoptr(SignpostPatient) accents = patient ("c", "Chloé", "Brontë", "1991-07-01", NULL, NULL);
  g_autoptr(SignpostPatient) plain = patient ("d", "Chloe", "Bronte", "1991-07-01", NULL, NULL);
  g_autoptr(SignpostPatient) other_day = patient ("e", "Mary-Jane", "O’Brien", "1980-03-13", NULL, NULL);
  g_autoptr(SignpostPatient) other_name = patient ("f", "Mary", "O’Brien", "1980-03-12", NULL, NULL);
  g_autoptr(SignpostPatient) same_id = patient ("a", "Mary-Jane", "O’Brien", "1980-03-12", NULL, NULL);
  g_autoptr(GDateTime) left = g_date_time_new_utc (2026, 1, 5, 9, 0, 0);

  g_assert_true (signpost_patient_is_namesake (a, b));
  g_assert_true (signpost_patient_is_namesake (b, a));
  g_assert_true (signpost_patient_is_namesake (accents, plain));
  g_assert_false (signpost_patient_is_namesake (a, other_day));
  g_assert_false (signpost_patient_is_namesake (a, other_name));
  /* Nobody is their own namesake, even as another copy of the record. */
  g_assert_false (signpost_patient_is_namesake (a, a));
  g_assert_false (signpost_patient_is_namesake (a, same_id));
  /* A patient who left the list is not one of those to choose from. */
  signpost_patient_set_left_at (b, left);
  g_assert_false (signpost_patient_is_namesake (a, b));
}

static void
test_find (void)
{
  g_autoptr(GListStore) list = g_list_store_new (SIGNPOST_TYPE_PATIENT);
  g_autoptr(GHashTable) found = NULL;
  g_autoptr(GListStore) none = g_list_store_new (SIGNPOST_TYPE_PATIENT);
  g_autoptr(GHashTable) found_none = NULL;
  SignpostPatient *people[] = {
    patient ("1", "Sam", "Taylor", "2001-02-03", NULL, NULL),
    patient ("2", "Sam", "Taylor", "2001-02-04", NULL, NULL),
    patient ("3", "sam", "taylor", "2001-02-03", NULL, NULL),
    patient ("4", "Alex", "Taylor", "2001-02-03", NULL, NULL),
    patient ("5", "SAM", "TAYLOR", "2001-02-03", NULL, NULL),
  };

  for (guint i = 0; i < G_N_ELEMENTS (people); i++)
    {
      g_list_store_append (list, people[i]);
      if (i == 1 || i == 3)
        g_list_store_append (none, people[i]);
      g_object_unref (people[i]);
    }
  found = signpost_patients_find_namesakes (G_LIST_MODEL (list));
  g_assert_cmpuint (g_hash_table_size (found), ==, 3);
  g_assert_true (g_hash_table_contains (found, "1"));
  g_assert_true (g_hash_table_contains (found, "3"));
  g_assert_true (g_hash_table_contains (found, "5"));
  g_assert_false (g_hash_table_contains (found, "2"));
  g_assert_false (g_hash_table_contains (found, "4"));

  found_none = signpost_patients_find_namesakes (G_LIST_MODEL (none));
  g_assert_cmpuint (g_hash_table_size (found_none), ==, 0);
}

static void
test_warning (void)
{
  g_autoptr(SignpostPatient) both = patient ("a", "Sam", "Taylor", "2001-02-03", "LS6 3AB", "9434765919");
  g_autoptr(SignpostPatient) bare = patient ("b", "Sam", "Taylor", "2001-02-03", NULL, NULL);
  g_autofree char *one = signpost_namesake_warning (both, 1);
  g_autofree char *two = signpost_namesake_warning (bare, 2);

  g_assert_null (signpost_namesake_warning (both, 0));
  g_assert_cmpstr (one, ==, "1 other patient has the same name and date of birth. "
                            "Ask for a second identifier: postcode or NHS number. "
                            "This one: postcode LS6 3AB, NHS 943 476 5919.");
  g_assert_cmpstr (two, ==, "2 other patients have the same name and date of birth. "
                            "Ask for a second identifier: postcode or NHS number. "
                            "This one has no postcode or NHS number recorded: ask for the first line of the address.");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/namesakes/rule", test_rule);
  g_test_add_func ("/signpost/namesakes/find", test_find);
  g_test_add_func ("/signpost/namesakes/warning", test_warning);
  return g_test_run ();
}
