/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "signpost-core.h"
#include "signpost-navigation.h"

/* The rules of care navigation: red flags by age and what they force,
 * Red/Amber/Green, Pharmacy First at the edges of every age band (the day
 * before and the day of each birthday that matters) and by sex, and
 * continuity of care. */

#define PRACTICE "6e71a7cd-07fc-4aeb-8bef-a9aa5f8bc001"
#define OTHER_PRACTICE "6e71a7cd-07fc-4aeb-8bef-a9aa5f8bc002"
#define GP_ID "0b8f5a3e-4a52-4f43-9d86-2f0c4e9b1001"
#define NURSE_ID "0b8f5a3e-4a52-4f43-9d86-2f0c4e9b1002"
#define OTHER_GP_ID "0b8f5a3e-4a52-4f43-9d86-2f0c4e9b1003"

static GTimeZone *london;

/* Midday in London on 15 June 2026, "today" for every test. */
static GDateTime *
today_noon (void)
{
  return g_date_time_new (london, 2026, 6, 15, 12, 0, 0);
}

/* The date of birth of someone who turns @years on today + @days. */
static char *
dob_turning (int years,
             int days)
{
  GDate date;

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, 15, G_DATE_JUNE, 2026);
  if (days > 0)
    g_date_add_days (&date, days);
  else if (days < 0)
    g_date_subtract_days (&date, -days);
  g_date_subtract_years (&date, years);
  return signpost_date_format (&date);
}

static int
age_of (const char *dob)
{
  g_autoptr(GDateTime) now = today_noon ();
  return signpost_age_from_iso_date (dob, now, london);
}

/* ---- red flags ------------------------------------------------------------------ */

static gboolean
group_has (SignpostRedFlagGroup group,
           const char          *key)
{
  g_autoptr(GPtrArray) flags = signpost_navigation_red_flags_for (group);

  for (guint i = 0; i < flags->len; i++)
    if (g_str_equal (((const SignpostRedFlag *) g_ptr_array_index (flags, i))->key, key))
      return TRUE;
  return FALSE;
}

static void
test_red_flag_lists (void)
{
  g_autoptr(GDateTime) now = today_noon ();
  g_autofree char *fifteen = dob_turning (16, 1);   /* 16 tomorrow */
  g_autofree char *sixteen = dob_turning (16, 0);   /* 16 today */
  guint n = 0;
  const SignpostRedFlag *all = signpost_navigation_list_red_flags (&n);

  /* Every flag has a key of its own and a label in words. */
  g_assert_cmpuint (n, >=, 13);
  for (guint i = 0; i < n; i++)
    {
      g_assert_true (signpost_format_check (SIGNPOST_FORMAT_KEY, all[i].key, NULL));
      g_assert_true (signpost_navigation_find_red_flag (all[i].key) == &all[i]);
      g_assert_cmpstr (signpost_red_flag_get_label (&all[i]), !=, all[i].key);
      for (guint j = 0; j < i; j++)
        g_assert_cmpstr (all[i].key, !=, all[j].key);
    }
  g_assert_null (signpost_navigation_find_red_flag ("no_such_flag"));

  /* The child list up to the day before the 16th birthday. */
  g_assert_cmpint (signpost_navigation_red_flag_group_for (fifteen, now, london), ==, SIGNPOST_RED_FLAGS_CHILD);
  g_assert_cmpint (signpost_navigation_red_flag_group_for (sixteen, now, london), ==, SIGNPOST_RED_FLAGS_ADULT);
  g_assert_cmpint (signpost_navigation_red_flag_group_for ("2026-06-15", now, london), ==, SIGNPOST_RED_FLAGS_CHILD);
  /* Who calls: a parent or carer for a child under 13 (a 6-year-old),
   * the patient from 13 on, and when the age is not known. */
  {
    g_autofree char *six = dob_turning (6, 0);
    g_autofree char *twelve = dob_turning (13, 1);   /* 13 tomorrow */
    g_autofree char *thirteen = dob_turning (13, 0);

    g_assert_cmpint (signpost_navigation_default_caller (six, now, london), ==, SIGNPOST_CALLER_PARENT);
    g_assert_cmpint (signpost_navigation_default_caller (twelve, now, london), ==, SIGNPOST_CALLER_PARENT);
    g_assert_cmpint (signpost_navigation_default_caller (thirteen, now, london), ==, SIGNPOST_CALLER_SELF);
    g_assert_cmpint (signpost_navigation_default_caller (fifteen, now, london), ==, SIGNPOST_CALLER_SELF);
    g_assert_cmpint (signpost_navigation_default_caller (NULL, now, london), ==, SIGNPOST_CALLER_SELF);
    g_assert_cmpint (signpost_navigation_default_caller ("not a date", now, london), ==, SIGNPOST_CALLER_SELF);
  }
  /* Age not known (no patient yet, or no date of birth): ask everything. */
  g_assert_cmpint (signpost_navigation_red_flag_group_for (NULL, now, london), ==, SIGNPOST_RED_FLAGS_ALL);
  g_assert_cmpint (signpost_navigation_red_flag_group_for ("not a date", now, london), ==, SIGNPOST_RED_FLAGS_ALL);
  g_assert_cmpint (signpost_navigation_red_flag_group_for ("2027-01-01", now, london), ==, SIGNPOST_RED_FLAGS_ALL);

  /* DOMAIN.md's lists. */
  g_assert_true (group_has (SIGNPOST_RED_FLAGS_ADULT, "chest_pain"));
  g_assert_true (group_has (SIGNPOST_RED_FLAGS_ADULT, "stroke_signs"));
  g_assert_true (group_has (SIGNPOST_RED_FLAGS_ADULT, "sepsis"));
  g_assert_false (group_has (SIGNPOST_RED_FLAGS_ADULT, "non_blanching_rash"));
  g_assert_true (group_has (SIGNPOST_RED_FLAGS_CHILD, "non_blanching_rash"));
  g_assert_true (group_has (SIGNPOST_RED_FLAGS_CHILD, "child_breathing"));
  g_assert_true (group_has (SIGNPOST_RED_FLAGS_CHILD, "child_floppy"));
  g_assert_true (group_has (SIGNPOST_RED_FLAGS_CHILD, "infant_fever"));
  g_assert_false (group_has (SIGNPOST_RED_FLAGS_CHILD, "chest_pain"));
  /* Some dangers have no age. */
  g_assert_true (group_has (SIGNPOST_RED_FLAGS_CHILD, "anaphylaxis"));
  g_assert_true (group_has (SIGNPOST_RED_FLAGS_ADULT, "anaphylaxis"));
  g_assert_true (group_has (SIGNPOST_RED_FLAGS_CHILD, "overdose_poisoning"));
  g_assert_true (group_has (SIGNPOST_RED_FLAGS_ALL, "chest_pain"));
  g_assert_true (group_has (SIGNPOST_RED_FLAGS_ALL, "infant_fever"));
}

static void
test_red_flag_urgency (void)
{
  const char * const none[] = { NULL };
  const char * const chest[] = { "chest_pain", NULL };
  const char * const suicidal[] = { "suicidal_intent", NULL };
  const char * const both[] = { "suicidal_intent", "anaphylaxis", NULL };
  const char * const unknown[] = { "no_such_flag", NULL };
  SignpostRedFlagAction action;
  g_autoptr(GError) error = NULL;

  /* What to do now. */
  g_assert_false (signpost_navigation_red_flag_action (none, &action));
  g_assert_false (signpost_navigation_red_flag_action (unknown, &action));
  g_assert_true (signpost_navigation_red_flag_action (chest, &action));
  g_assert_cmpint (action, ==, SIGNPOST_RED_FLAG_CALL_999);
  g_assert_true (signpost_navigation_red_flag_action (suicidal, &action));
  g_assert_cmpint (action, ==, SIGNPOST_RED_FLAG_DUTY_NOW);
  /* 999 beats the duty doctor. */
  g_assert_true (signpost_navigation_red_flag_action (both, &action));
  g_assert_cmpint (action, ==, SIGNPOST_RED_FLAG_CALL_999);
  g_assert_cmpstr (signpost_navigation_red_flag_headline (SIGNPOST_RED_FLAG_CALL_999), ==, "Call 999 now");
  g_assert_cmpstr (signpost_navigation_red_flag_headline (SIGNPOST_RED_FLAG_DUTY_NOW), ==, "Put through to the duty doctor now");
  g_assert_nonnull (strstr (signpost_navigation_red_flag_advice (SIGNPOST_RED_FLAG_CALL_999), "dial 999"));

  /* A red flag makes it Red, and never routine. */
  g_assert_cmpint (signpost_navigation_minimum_urgency (none), ==, SIGNPOST_URGENCY_ROUTINE);
  g_assert_cmpint (signpost_navigation_minimum_urgency (chest), ==, SIGNPOST_URGENCY_EMERGENCY);
  g_assert_cmpint (signpost_navigation_minimum_urgency (suicidal), ==, SIGNPOST_URGENCY_SAME_DAY);
  g_assert_cmpint (signpost_navigation_rag_for_urgency (signpost_navigation_minimum_urgency (chest)), ==, SIGNPOST_RAG_RED);
  g_assert_cmpint (signpost_navigation_rag_for_urgency (signpost_navigation_minimum_urgency (suicidal)), ==, SIGNPOST_RAG_RED);

  g_assert_true (signpost_navigation_check_urgency (none, SIGNPOST_URGENCY_ROUTINE, NULL));
  g_assert_true (signpost_navigation_check_urgency (suicidal, SIGNPOST_URGENCY_SAME_DAY, NULL));
  g_assert_true (signpost_navigation_check_urgency (suicidal, SIGNPOST_URGENCY_EMERGENCY, NULL));
  g_assert_true (signpost_navigation_check_urgency (chest, SIGNPOST_URGENCY_EMERGENCY, NULL));
  for (SignpostUrgency u = SIGNPOST_URGENCY_WITHIN_2_WEEKS; u <= SIGNPOST_URGENCY_ROUTINE; u++)
    {
      g_assert_false (signpost_navigation_check_urgency (suicidal, u, &error));
      g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
      g_clear_error (&error);
      g_assert_false (signpost_navigation_check_urgency (chest, u, &error));
      g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
      g_clear_error (&error);
    }
  g_assert_false (signpost_navigation_check_urgency (chest, SIGNPOST_URGENCY_SAME_DAY, &error));
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
  g_clear_error (&error);

  /* The record itself refuses routine with a red flag, whoever builds it. */
  {
    g_autoptr(SignpostTriage) triage = signpost_triage_new ();

    signpost_record_set_practice_id (SIGNPOST_RECORD (triage), PRACTICE);
    signpost_triage_set_reason (triage, "Pain in my chest");
    signpost_triage_set_red_flags (triage, chest);
    signpost_triage_set_urgency (triage, SIGNPOST_URGENCY_ROUTINE);
    g_assert_false (signpost_object_validate (SIGNPOST_OBJECT (triage), &error));
    g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
    g_clear_error (&error);
    signpost_triage_set_urgency (triage, signpost_navigation_minimum_urgency (chest));
    g_assert_true (signpost_object_validate (SIGNPOST_OBJECT (triage), &error));
    g_assert_no_error (error);
  }
}

static void
test_rag (void)
{
  g_assert_cmpint (signpost_navigation_urgency_for_rag (SIGNPOST_RAG_RED, FALSE), ==, SIGNPOST_URGENCY_SAME_DAY);
  g_assert_cmpint (signpost_navigation_urgency_for_rag (SIGNPOST_RAG_RED, TRUE), ==, SIGNPOST_URGENCY_EMERGENCY);
  g_assert_cmpint (signpost_navigation_urgency_for_rag (SIGNPOST_RAG_AMBER, FALSE), ==, SIGNPOST_URGENCY_WITHIN_2_WEEKS);
  g_assert_cmpint (signpost_navigation_urgency_for_rag (SIGNPOST_RAG_GREEN, FALSE), ==, SIGNPOST_URGENCY_ROUTINE);
  g_assert_cmpint (signpost_navigation_rag_for_urgency (SIGNPOST_URGENCY_EMERGENCY), ==, SIGNPOST_RAG_RED);
  g_assert_cmpint (signpost_navigation_rag_for_urgency (SIGNPOST_URGENCY_SAME_DAY), ==, SIGNPOST_RAG_RED);
  g_assert_cmpint (signpost_navigation_rag_for_urgency (SIGNPOST_URGENCY_WITHIN_2_WEEKS), ==, SIGNPOST_RAG_AMBER);
  g_assert_cmpint (signpost_navigation_rag_for_urgency (SIGNPOST_URGENCY_ROUTINE), ==, SIGNPOST_RAG_GREEN);
  /* Each colour says what it means in words. */
  for (SignpostRag rag = SIGNPOST_RAG_RED; rag <= SIGNPOST_RAG_GREEN; rag++)
    {
      g_assert_nonnull (signpost_navigation_rag_label (rag));
      g_assert_cmpuint (strlen (signpost_navigation_rag_meaning (rag)), >, 8);
    }
  g_assert_cmpstr (signpost_navigation_rag_label (SIGNPOST_RAG_RED), ==, "Red");
}

/* ---- Pharmacy First --------------------------------------------------------------- */

typedef struct {
  SignpostPharmacyFirstCondition condition;
  const char *words;
  int min_age;
  int max_age; /* -1: none */
  gboolean women_only;
} Band;

static const Band bands[] = {
  { SIGNPOST_PHARMACY_FIRST_SINUSITIS, "Blocked nose and pain in my face for ten days, think it's my sinuses", 12, -1, FALSE },
  { SIGNPOST_PHARMACY_FIRST_SORE_THROAT, "Really sore throat, can't swallow", 5, -1, FALSE },
  { SIGNPOST_PHARMACY_FIRST_ACUTE_OTITIS_MEDIA, "Earache since last night, pulling at his ear", 1, 17, FALSE },
  { SIGNPOST_PHARMACY_FIRST_INFECTED_INSECT_BITE, "Insect bite on her leg, red and hot now", 1, -1, FALSE },
  { SIGNPOST_PHARMACY_FIRST_IMPETIGO, "Impetigo again, crusty sores round the mouth", 1, -1, FALSE },
  { SIGNPOST_PHARMACY_FIRST_SHINGLES, "I think I've got shingles", 18, -1, FALSE },
  { SIGNPOST_PHARMACY_FIRST_UNCOMPLICATED_UTI, "Burning when I pee, I think it's cystitis", 16, 64, TRUE },
};

static gboolean
suggests (const char                     *words,
          const char                     *dob,
          SignpostSex                     sex,
          SignpostPharmacyFirstCondition  expected)
{
  SignpostPharmacyFirstCondition condition;

  if (!signpost_navigation_pharmacy_first_suggestion (words, age_of (dob), sex, &condition))
    return FALSE;
  g_assert_cmpint (condition, ==, expected);
  return TRUE;
}

static void
test_pharmacy_first_bands (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (bands); i++)
    {
      const Band *band = &bands[i];
      SignpostSex sex = SIGNPOST_SEX_FEMALE;
      g_autofree char *before_min = dob_turning (band->min_age, 1);
      g_autofree char *on_min = dob_turning (band->min_age, 0);
      g_autofree char *after_min = dob_turning (band->min_age, -1);

      g_test_message ("%s", signpost_pharmacy_first_get_key (band->condition));
      g_assert_cmpint (age_of (before_min), ==, band->min_age - 1);
      g_assert_cmpint (age_of (on_min), ==, band->min_age);

      /* Lower edge: the day before the birthday is too young. */
      g_assert_false (suggests (band->words, before_min, sex, band->condition));
      g_assert_true (suggests (band->words, on_min, sex, band->condition));
      g_assert_true (suggests (band->words, after_min, sex, band->condition));
      {
        g_autoptr(GArray) matches = signpost_navigation_pharmacy_first (band->words, age_of (before_min), sex);
        g_assert_cmpuint (matches->len, >=, 1);
        g_assert_cmpint (g_array_index (matches, SignpostPharmacyFirstMatch, 0).condition, ==, band->condition);
        g_assert_cmpint (g_array_index (matches, SignpostPharmacyFirstMatch, 0).fit, ==, SIGNPOST_PHARMACY_FIRST_TOO_YOUNG);
      }

      if (band->max_age >= 0)
        {
          /* Upper edge: "1 to 17" takes the day before the 18th birthday
           * and not the birthday itself. */
          g_autofree char *last_day = dob_turning (band->max_age + 1, 1);
          g_autofree char *too_old = dob_turning (band->max_age + 1, 0);
          g_autoptr(GArray) matches = NULL;

          g_assert_cmpint (age_of (last_day), ==, band->max_age);
          g_assert_true (suggests (band->words, last_day, sex, band->condition));
          g_assert_false (suggests (band->words, too_old, sex, band->condition));
          matches = signpost_navigation_pharmacy_first (band->words, age_of (too_old), sex);
          g_assert_cmpint (g_array_index (matches, SignpostPharmacyFirstMatch, 0).fit, ==, SIGNPOST_PHARMACY_FIRST_TOO_OLD);
        }
      else
        {
          g_autofree char *old = dob_turning (95, 0);
          g_assert_true (suggests (band->words, old, sex, band->condition));
        }

      /* Sex: men only where the service is for women only. */
      g_assert_cmpint (suggests (band->words, on_min, SIGNPOST_SEX_MALE, band->condition), ==, !band->women_only);
      g_assert_cmpint (signpost_pharmacy_first_check (band->condition, band->min_age, SIGNPOST_SEX_MALE), ==,
                       band->women_only ? SIGNPOST_PHARMACY_FIRST_WRONG_SEX : SIGNPOST_PHARMACY_FIRST_FITS);
      g_assert_cmpint (signpost_pharmacy_first_check (band->condition, band->min_age, SIGNPOST_SEX_UNKNOWN), ==,
                       band->women_only ? SIGNPOST_PHARMACY_FIRST_UNKNOWN : SIGNPOST_PHARMACY_FIRST_FITS);
      /* Age not known: never suggested, only "ask". */
      g_assert_cmpint (signpost_pharmacy_first_check (band->condition, -1, SIGNPOST_SEX_FEMALE), ==,
                       SIGNPOST_PHARMACY_FIRST_UNKNOWN);
      g_assert_false (signpost_navigation_pharmacy_first_suggestion (band->words, -1, SIGNPOST_SEX_FEMALE, NULL));

      /* Keys travel on the wire and come back. */
      {
        SignpostPharmacyFirstCondition back;
        g_assert_true (signpost_pharmacy_first_from_key (signpost_pharmacy_first_get_key (band->condition), &back));
        g_assert_cmpint (back, ==, band->condition);
        g_assert_true (signpost_format_check (SIGNPOST_FORMAT_KEY, signpost_pharmacy_first_get_key (band->condition), NULL));
        g_assert_nonnull (signpost_pharmacy_first_get_label (band->condition));
        g_assert_nonnull (signpost_pharmacy_first_get_who (band->condition));
      }
    }
  g_assert_false (signpost_pharmacy_first_from_key ("flu", NULL));
}

/* Born on 29 February: in a year without one, the birthday is 1 March. */
static void
test_pharmacy_first_leap_day (void)
{
  g_autoptr(GDateTime) feb28 = g_date_time_new (london, 2026, 2, 28, 9, 0, 0);
  g_autoptr(GDateTime) mar1 = g_date_time_new (london, 2026, 3, 1, 9, 0, 0);
  int before = signpost_age_from_iso_date ("2008-02-29", feb28, london);
  int after = signpost_age_from_iso_date ("2008-02-29", mar1, london);

  g_assert_cmpint (signpost_age_from_iso_date ("2015-02-29", feb28, london), ==, -1);
  g_assert_cmpint (before, ==, 17);
  g_assert_cmpint (after, ==, 18);
  /* Shingles is for 18 and over. */
  g_assert_false (signpost_navigation_pharmacy_first_suggestion ("shingles", before, SIGNPOST_SEX_MALE, NULL));
  g_assert_true (signpost_navigation_pharmacy_first_suggestion ("shingles", after, SIGNPOST_SEX_MALE, NULL));
}

static void
test_pharmacy_first_words (void)
{
  const struct { const char *words; int expected; } cases[] = {
    { "sore throat", SIGNPOST_PHARMACY_FIRST_SORE_THROAT },
    { "My throat is killing me, it's so sore", SIGNPOST_PHARMACY_FIRST_SORE_THROAT },
    { "tonsillitis", SIGNPOST_PHARMACY_FIRST_SORE_THROAT },
    { "ear ache", SIGNPOST_PHARMACY_FIRST_ACUTE_OTITIS_MEDIA },
    { "EARACHE", SIGNPOST_PHARMACY_FIRST_ACUTE_OTITIS_MEDIA },
    { "pain in her ear", SIGNPOST_PHARMACY_FIRST_ACUTE_OTITIS_MEDIA },
    { "cystitis", SIGNPOST_PHARMACY_FIRST_UNCOMPLICATED_UTI },
    { "burning when I pee", SIGNPOST_PHARMACY_FIRST_UNCOMPLICATED_UTI },
    { "It stings when I wee", SIGNPOST_PHARMACY_FIRST_UNCOMPLICATED_UTI },
    { "think I have a UTI", SIGNPOST_PHARMACY_FIRST_UNCOMPLICATED_UTI },
    { "water infection", SIGNPOST_PHARMACY_FIRST_UNCOMPLICATED_UTI },
    { "shingles", SIGNPOST_PHARMACY_FIRST_SHINGLES },
    { "blistery rash on one side of my chest", SIGNPOST_PHARMACY_FIRST_SHINGLES },
    { "insect bite", SIGNPOST_PHARMACY_FIRST_INFECTED_INSECT_BITE },
    { "Mosquito bites gone red and swollen", SIGNPOST_PHARMACY_FIRST_INFECTED_INSECT_BITE },
    { "impetigo", SIGNPOST_PHARMACY_FIRST_IMPETIGO },
    { "sinus pain", SIGNPOST_PHARMACY_FIRST_SINUSITIS },
    { "sinusitis", SIGNPOST_PHARMACY_FIRST_SINUSITIS },
    /* Nothing for the pharmacist. */
    { "what a beautiful day", -1 },
    { "repeat prescription for my inhaler", -1 },
    { "bitten by a dog yesterday", -1 },
    { "fell and hurt my back", -1 },
    { "", -1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SignpostPharmacyFirstCondition condition = SIGNPOST_PHARMACY_FIRST_N_CONDITIONS;
      /* Earache is for children and young people (1 to 17). */
      int age = cases[i].expected == SIGNPOST_PHARMACY_FIRST_ACUTE_OTITIS_MEDIA ? 8 : 30;
      gboolean found = signpost_navigation_pharmacy_first_suggestion (cases[i].words, age, SIGNPOST_SEX_FEMALE,
                                                                      &condition);

      g_test_message ("“%s”", cases[i].words);
      if (cases[i].expected < 0)
        g_assert_false (found);
      else
        {
          g_assert_true (found);
          g_assert_cmpint (condition, ==, cases[i].expected);
        }
    }

  /* Stinging when passing urine is a UTI, not an insect sting. */
  {
    g_autoptr(GArray) matches = signpost_navigation_pharmacy_first ("stings when I pee", 30, SIGNPOST_SEX_FEMALE);
    g_assert_cmpuint (matches->len, ==, 1);
  }
  /* A man's urine symptoms are not for Pharmacy First. */
  g_assert_false (signpost_navigation_pharmacy_first_suggestion ("burning when I pee", 30, SIGNPOST_SEX_MALE, NULL));
  g_assert_false (signpost_navigation_pharmacy_first_suggestion ("burning when I pee", 30, SIGNPOST_SEX_UNKNOWN, NULL));
  g_assert_false (signpost_navigation_pharmacy_first_suggestion (NULL, 30, SIGNPOST_SEX_FEMALE, NULL));
}

/* ---- continuity --------------------------------------------------------------------- */

static SignpostClinician *
clinician (const char         *id,
           const char         *practice_id,
           SignpostProfession  profession)
{
  SignpostClinician *c = signpost_clinician_new ();

  signpost_record_set_id (SIGNPOST_RECORD (c), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (c), practice_id);
  signpost_clinician_set_given_name (c, "Test");
  signpost_clinician_set_family_name (c, "Clinician");
  signpost_clinician_set_profession (c, profession);
  return c;
}

static void
test_continuity (void)
{
  g_autoptr(GPtrArray) clinicians = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SignpostPatient) patient = signpost_patient_new ();
  g_autoptr(SignpostRoute) route = NULL;

  g_ptr_array_add (clinicians, clinician (NURSE_ID, PRACTICE, SIGNPOST_PROFESSION_NURSE));
  g_ptr_array_add (clinicians, clinician (GP_ID, PRACTICE, SIGNPOST_PROFESSION_GP));
  g_ptr_array_add (clinicians, clinician (OTHER_GP_ID, OTHER_PRACTICE, SIGNPOST_PROFESSION_GP));
  signpost_record_set_practice_id (SIGNPOST_RECORD (patient), PRACTICE);

  /* The usual GP first. */
  signpost_patient_set_usual_clinician_id (patient, GP_ID);
  g_assert_true (signpost_navigation_find_usual_gp (patient, clinicians) == g_ptr_array_index (clinicians, 1));
  for (SignpostUrgency u = SIGNPOST_URGENCY_WITHIN_2_WEEKS; u <= SIGNPOST_URGENCY_ROUTINE; u++)
    {
      g_clear_object (&route);
      route = signpost_navigation_choose_route (patient, clinicians, u);
      g_assert_cmpint (signpost_route_get_kind (route), ==, SIGNPOST_ROUTE_CLINICIAN);
      g_assert_cmpstr (signpost_route_get_clinician_id (route), ==, GP_ID);
      g_assert_true (signpost_object_validate (SIGNPOST_OBJECT (route), NULL));
    }
  /* Red does not wait for them: the duty doctor. */
  g_clear_object (&route);
  route = signpost_navigation_choose_route (patient, clinicians, SIGNPOST_URGENCY_SAME_DAY);
  g_assert_cmpint (signpost_route_get_kind (route), ==, SIGNPOST_ROUTE_DUTY);

  /* A usual clinician who is not a GP, a GP of another practice, or none:
   * the duty doctor. */
  {
    const char *others[] = { NURSE_ID, OTHER_GP_ID, "0b8f5a3e-4a52-4f43-9d86-2f0c4e9b1999", NULL };
    for (guint i = 0; i < G_N_ELEMENTS (others); i++)
      {
        signpost_patient_set_usual_clinician_id (patient, others[i]);
        g_assert_null (signpost_navigation_find_usual_gp (patient, clinicians));
        g_clear_object (&route);
        route = signpost_navigation_choose_route (patient, clinicians, SIGNPOST_URGENCY_ROUTINE);
        g_assert_cmpint (signpost_route_get_kind (route), ==, SIGNPOST_ROUTE_DUTY);
        g_assert_null (signpost_route_get_clinician_id (route));
      }
  }
  /* No patient yet (a blank form). */
  g_clear_object (&route);
  route = signpost_navigation_choose_route (NULL, clinicians, SIGNPOST_URGENCY_ROUTINE);
  g_assert_cmpint (signpost_route_get_kind (route), ==, SIGNPOST_ROUTE_DUTY);
}

static void
test_duty_doctor (void)
{
  g_autoptr(GPtrArray) clinicians = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GListStore) rota = g_list_store_new (SIGNPOST_TYPE_DUTY_PERIOD);
  g_autoptr(SignpostDutyPeriod) period = signpost_duty_period_new ();
  g_autoptr(GDateTime) start = g_date_time_new (london, 2026, 6, 15, 8, 0, 0);
  g_autoptr(GDateTime) end = g_date_time_new (london, 2026, 6, 15, 18, 30, 0);
  g_autoptr(GDateTime) noon = today_noon ();
  g_autoptr(GDateTime) evening = g_date_time_new (london, 2026, 6, 15, 18, 30, 0);

  g_ptr_array_add (clinicians, clinician (GP_ID, PRACTICE, SIGNPOST_PROFESSION_GP));
  g_ptr_array_add (clinicians, clinician (OTHER_GP_ID, OTHER_PRACTICE, SIGNPOST_PROFESSION_GP));
  signpost_duty_period_set_start (period, start);
  signpost_duty_period_set_end (period, end);
  g_list_store_append (rota, period);
  signpost_clinician_set_duty (g_ptr_array_index (clinicians, 0), G_LIST_MODEL (rota));

  g_assert_true (signpost_navigation_find_duty_doctor (clinicians, PRACTICE, noon) == g_ptr_array_index (clinicians, 0));
  g_assert_null (signpost_navigation_find_duty_doctor (clinicians, OTHER_PRACTICE, noon));
  g_assert_null (signpost_navigation_find_duty_doctor (clinicians, PRACTICE, evening));
}

static void
test_outcome_status (void)
{
  g_assert_cmpint (signpost_navigation_status_for_outcome (SIGNPOST_OUTCOME_NONE), ==, SIGNPOST_TRIAGE_OPEN);
  g_assert_cmpint (signpost_navigation_status_for_outcome (SIGNPOST_OUTCOME_BOOKED), ==, SIGNPOST_TRIAGE_BOOKED);
  g_assert_cmpint (signpost_navigation_status_for_outcome (SIGNPOST_OUTCOME_SIGNPOSTED), ==, SIGNPOST_TRIAGE_SIGNPOSTED);
  g_assert_cmpint (signpost_navigation_status_for_outcome (SIGNPOST_OUTCOME_SENT_TO_DUTY), ==, SIGNPOST_TRIAGE_AWAITING_DUTY);
  g_assert_cmpint (signpost_navigation_status_for_outcome (SIGNPOST_OUTCOME_ADVICE_GIVEN), ==, SIGNPOST_TRIAGE_CLOSED);
  g_assert_cmpint (signpost_navigation_status_for_outcome (SIGNPOST_OUTCOME_FAILED_CONTACT), ==, SIGNPOST_TRIAGE_CLOSED);
  /* The duty doctor sent them to 999 or A&E: the practice's part is done. */
  g_assert_cmpint (signpost_navigation_status_for_outcome (SIGNPOST_OUTCOME_EMERGENCY), ==, SIGNPOST_TRIAGE_CLOSED);
}

int
main (int   argc,
      char *argv[])
{
  int status;

  g_test_init (&argc, &argv, NULL);
  london = g_time_zone_new_identifier ("Europe/London");
  g_assert_nonnull (london);

  g_test_add_func ("/signpost/navigation/red-flag-lists", test_red_flag_lists);
  g_test_add_func ("/signpost/navigation/red-flag-urgency", test_red_flag_urgency);
  g_test_add_func ("/signpost/navigation/rag", test_rag);
  g_test_add_func ("/signpost/navigation/pharmacy-first-bands", test_pharmacy_first_bands);
  g_test_add_func ("/signpost/navigation/pharmacy-first-leap-day", test_pharmacy_first_leap_day);
  g_test_add_func ("/signpost/navigation/pharmacy-first-words", test_pharmacy_first_words);
  g_test_add_func ("/signpost/navigation/continuity", test_continuity);
  g_test_add_func ("/signpost/navigation/duty-doctor", test_duty_doctor);
  g_test_add_func ("/signpost/navigation/outcome-status", test_outcome_status);

  status = g_test_run ();
  g_time_zone_unref (london);
  return status;
}
