/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>
#include <string.h>

#include "signpost-clinician.h"
#include "signpost-duty-period.h"
#include "signpost-error.h"
#include "signpost-navigation.h"
#include "signpost-time.h"

/* ---- red flags -------------------------------------------------------------
 *
 * DOMAIN.md's adult and child lists. The flags that do not depend on age
 * (anaphylaxis, bleeding, a fit, overdose, suicidal intent) are in both.
 *
 * Why children are those under 16: NHS 111's pathways and children's
 * emergency departments treat under-16s as children, and at 16 a young
 * person may consent to treatment as an adult (Family Law Reform Act 1969,
 * s. 8) and usually rings for themselves. The child signs (fast breathing
 * or rib recession, floppiness, a non-blanching rash, fever in a young
 * baby) are the ones a parent describes; from 16 the adult signs (cardiac
 * chest pain, stroke, sepsis in adults) are the likelier. When the age is
 * not known, both lists are asked.
 */

#define ADULT SIGNPOST_RED_FLAGS_ADULT
#define CHILD SIGNPOST_RED_FLAGS_CHILD
#define BOTH  SIGNPOST_RED_FLAGS_ALL
#define CALL_999 SIGNPOST_RED_FLAG_CALL_999
#define DUTY_NOW SIGNPOST_RED_FLAG_DUTY_NOW

/* In the order to ask them: each group reads top to bottom. */
static const SignpostRedFlag red_flags[] = {
  { "chest_pain", ADULT, CALL_999 },
  { "stroke_signs", ADULT, CALL_999 },
  { "severe_breathlessness", ADULT, CALL_999 },
  { "child_breathing", CHILD, CALL_999 },
  { "child_floppy", CHILD, CALL_999 },
  { "non_blanching_rash", CHILD, CALL_999 },
  { "infant_fever", CHILD, DUTY_NOW },
  { "anaphylaxis", BOTH, CALL_999 },
  { "uncontrolled_bleeding", BOTH, CALL_999 },
  { "seizure_unconscious", BOTH, CALL_999 },
  { "overdose_poisoning", BOTH, CALL_999 },
  { "sepsis", ADULT, CALL_999 },
  { "suicidal_intent", BOTH, DUTY_NOW },
};

#undef ADULT
#undef CHILD
#undef BOTH
#undef CALL_999
#undef DUTY_NOW

const SignpostRedFlag *
signpost_navigation_list_red_flags (guint *n_flags)
{
  if (n_flags != NULL)
    *n_flags = G_N_ELEMENTS (red_flags);
  return red_flags;
}

const SignpostRedFlag *
signpost_navigation_find_red_flag (const char *key)
{
  for (guint i = 0; key != NULL && i < G_N_ELEMENTS (red_flags); i++)
    if (g_str_equal (red_flags[i].key, key))
      return &red_flags[i];
  return NULL;
}

/* The question as a navigator reads it out, in the words of DOMAIN.md. */
const char *
signpost_red_flag_get_label (const SignpostRedFlag *flag)
{
  const char *key;

  g_return_val_if_fail (flag != NULL, NULL);
  key = flag->key;

  if (g_str_equal (key, "chest_pain"))
    return _("Chest pain that is crushing or central, or spreads to the arm or jaw, with sweating");
  if (g_str_equal (key, "stroke_signs"))
    return _("Stroke signs (FAST): face drooping, arm weak, speech slurred");
  if (g_str_equal (key, "severe_breathlessness"))
    return _("Severe breathlessness, or unable to finish a sentence");
  if (g_str_equal (key, "child_breathing"))
    return _("Breathing very fast, or the skin between the ribs sucks in with each breath");
  if (g_str_equal (key, "child_floppy"))
    return _("Floppy, unresponsive or hard to wake");
  if (g_str_equal (key, "non_blanching_rash"))
    return _("A rash that does not fade when a glass is pressed on it");
  if (g_str_equal (key, "infant_fever"))
    return _("A baby under 3 months with a temperature of 38 °C or more");
  if (g_str_equal (key, "anaphylaxis"))
    return _("Anaphylaxis: swollen lips, tongue or throat, struggling to breathe");
  if (g_str_equal (key, "uncontrolled_bleeding"))
    return _("Bleeding that will not stop");
  if (g_str_equal (key, "seizure_unconscious"))
    return _("A fit (seizure) now, or unconscious");
  if (g_str_equal (key, "overdose_poisoning"))
    return _("Overdose or poisoning");
  if (g_str_equal (key, "sepsis"))
    return _("Signs of sepsis: very unwell, confused, mottled or blue skin, no urine all day");
  if (g_str_equal (key, "suicidal_intent"))
    return _("Thoughts of suicide with a plan or intent to act");
  return key;
}

const char *
signpost_red_flag_get_question (const SignpostRedFlag *flag)
{
  const char *key;

  g_return_val_if_fail (flag != NULL, NULL);
  key = flag->key;

  if (g_str_equal (key, "chest_pain"))
    return _("Chest pain that feels heavy, tight or crushing, or spreads to the arm, neck, jaw or back, with sweating");
  if (g_str_equal (key, "stroke_signs"))
    return _("Signs of a stroke: their face has dropped on one side, they cannot lift both arms, or their speech is slurred or muddled");
  if (g_str_equal (key, "severe_breathlessness"))
    return _("So short of breath that they cannot finish a sentence");
  if (g_str_equal (key, "child_breathing"))
    return _("Breathing very fast, or the skin between their ribs sucks in with each breath");
  if (g_str_equal (key, "child_floppy"))
    return _("Floppy, not responding, or very hard to wake");
  if (g_str_equal (key, "non_blanching_rash"))
    return _("A rash that does not fade when you press a glass against it");
  if (g_str_equal (key, "infant_fever"))
    return _("A baby under 3 months old with a temperature of 38°C or higher");
  if (g_str_equal (key, "anaphylaxis"))
    return _("Swollen lips, tongue or throat, or struggling to breathe after touching, eating or being stung by something");
  if (g_str_equal (key, "uncontrolled_bleeding"))
    return _("Bleeding that will not stop");
  if (g_str_equal (key, "seizure_unconscious"))
    return _("Having a fit (seizure) now, or unconscious");
  if (g_str_equal (key, "overdose_poisoning"))
    return _("Taken an overdose, or swallowed something poisonous");
  if (g_str_equal (key, "sepsis"))
    return _("Very unwell and confused, with blotchy or blue skin, or no pee all day");
  if (g_str_equal (key, "suicidal_intent"))
    return _("Thinking about ending their life, with a plan to do it");
  return key;
}

const char *
signpost_red_flag_get_why (const SignpostRedFlag *flag)
{
  const char *key;

  g_return_val_if_fail (flag != NULL, NULL);
  key = flag->key;

  if (g_str_equal (key, "chest_pain"))
    return _("This can be a sign of a heart attack.");
  if (g_str_equal (key, "stroke_signs"))
    return _("These can be signs of a stroke. Every minute counts.");
  if (g_str_equal (key, "severe_breathlessness") || g_str_equal (key, "child_breathing"))
    return _("Struggling to breathe needs help straight away.");
  if (g_str_equal (key, "child_floppy"))
    return _("This can be a sign of a serious illness.");
  if (g_str_equal (key, "non_blanching_rash"))
    return _("This can be a sign of meningitis or sepsis.");
  if (g_str_equal (key, "infant_fever"))
    return _("A high temperature in a young baby needs to be checked today.");
  if (g_str_equal (key, "anaphylaxis"))
    return _("This can be a severe allergic reaction (anaphylaxis).");
  if (g_str_equal (key, "uncontrolled_bleeding") || g_str_equal (key, "seizure_unconscious"))
    return _("This needs help straight away.");
  if (g_str_equal (key, "overdose_poisoning"))
    return _("An overdose or poisoning needs help straight away, even if they feel well.");
  if (g_str_equal (key, "sepsis"))
    return _("These can be signs of sepsis, which needs treatment straight away.");
  if (g_str_equal (key, "suicidal_intent"))
    return _("You deserve support now, from someone who can talk to you today.");
  return "";
}

/* A 999 flag sends the person to 999; the duty-doctor flags, which a
 * navigator would put straight through, go to NHS 111 online: an online
 * request may not be read until later. */
SignpostOnlineStop
signpost_navigation_online_stop (const char * const *keys)
{
  SignpostRedFlagAction action;

  if (signpost_navigation_red_flag_action (keys, &action) && action == SIGNPOST_RED_FLAG_CALL_999)
    return SIGNPOST_ONLINE_STOP_999;
  return SIGNPOST_ONLINE_STOP_111;
}

SignpostRedFlagGroup
signpost_navigation_red_flag_group_for (const char *date_of_birth,
                                        GDateTime  *now,
                                        GTimeZone  *tz)
{
  int age;

  if (date_of_birth == NULL || now == NULL)
    return SIGNPOST_RED_FLAGS_ALL;
  age = signpost_age_from_iso_date (date_of_birth, now, tz);
  if (age < 0)
    return SIGNPOST_RED_FLAGS_ALL;
  return age < SIGNPOST_CHILD_AGE_LIMIT ? SIGNPOST_RED_FLAGS_CHILD : SIGNPOST_RED_FLAGS_ADULT;
}

SignpostCallerRelationship
signpost_navigation_default_caller (const char *date_of_birth,
                                    GDateTime  *now,
                                    GTimeZone  *tz)
{
  int age;

  if (date_of_birth == NULL || now == NULL)
    return SIGNPOST_CALLER_SELF;
  age = signpost_age_from_iso_date (date_of_birth, now, tz);
  return age >= 0 && age < SIGNPOST_PARENT_CALLS_AGE_LIMIT ? SIGNPOST_CALLER_PARENT : SIGNPOST_CALLER_SELF;
}

GPtrArray *
signpost_navigation_red_flags_for (SignpostRedFlagGroup group)
{
  GPtrArray *flags = g_ptr_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (red_flags); i++)
    if (red_flags[i].groups & group)
      g_ptr_array_add (flags, (gpointer) &red_flags[i]);
  return flags;
}

gboolean
signpost_navigation_red_flag_action (const char * const    *keys,
                                     SignpostRedFlagAction *action)
{
  gboolean any = FALSE;
  SignpostRedFlagAction most = SIGNPOST_RED_FLAG_DUTY_NOW;

  for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
    {
      const SignpostRedFlag *flag = signpost_navigation_find_red_flag (keys[i]);

      if (flag == NULL)
        continue;
      any = TRUE;
      if (flag->action == SIGNPOST_RED_FLAG_CALL_999)
        most = SIGNPOST_RED_FLAG_CALL_999;
    }
  if (action != NULL)
    *action = most;
  return any;
}

const char *
signpost_navigation_red_flag_headline (SignpostRedFlagAction action)
{
  switch (action)
    {
    case SIGNPOST_RED_FLAG_CALL_999:
      return _("Call 999 now");
    case SIGNPOST_RED_FLAG_DUTY_NOW:
    default:
      return _("Put through to the duty doctor now");
    }
}

const char *
signpost_navigation_red_flag_advice (SignpostRedFlagAction action)
{
  switch (action)
    {
    case SIGNPOST_RED_FLAG_CALL_999:
      return _("Tell the caller to hang up and dial 999 straight away, or call 999 for them "
               "if they cannot. Then tell the duty doctor.");
    case SIGNPOST_RED_FLAG_DUTY_NOW:
    default:
      return _("Do not book a later appointment. If the patient is in danger right now, call 999.");
    }
}

SignpostUrgency
signpost_navigation_minimum_urgency (const char * const *keys)
{
  SignpostRedFlagAction action;

  if (!signpost_navigation_red_flag_action (keys, &action))
    return SIGNPOST_URGENCY_ROUTINE;
  return action == SIGNPOST_RED_FLAG_CALL_999 ? SIGNPOST_URGENCY_EMERGENCY : SIGNPOST_URGENCY_SAME_DAY;
}

/* The urgency enum runs from the most urgent (0) to the least. */
gboolean
signpost_navigation_check_urgency (const char * const  *keys,
                                   SignpostUrgency      urgency,
                                   GError             **error)
{
  SignpostUrgency minimum = signpost_navigation_minimum_urgency (keys);

  if ((int) urgency <= (int) minimum)
    return TRUE;
  signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "urgency",
                            minimum == SIGNPOST_URGENCY_EMERGENCY
                            ? _("must be an emergency: a red flag that needs 999 is ticked")
                            : _("must be Red (same day) when a red flag is ticked"));
  return FALSE;
}

/* ---- Red / Amber / Green ---------------------------------------------------- */

SignpostRag
signpost_navigation_rag_for_urgency (SignpostUrgency urgency)
{
  switch (urgency)
    {
    case SIGNPOST_URGENCY_EMERGENCY:
    case SIGNPOST_URGENCY_SAME_DAY:
      return SIGNPOST_RAG_RED;
    case SIGNPOST_URGENCY_WITHIN_2_WEEKS:
      return SIGNPOST_RAG_AMBER;
    case SIGNPOST_URGENCY_ROUTINE:
    default:
      return SIGNPOST_RAG_GREEN;
    }
}

SignpostUrgency
signpost_navigation_urgency_for_rag (SignpostRag rag,
                                     gboolean    emergency)
{
  switch (rag)
    {
    case SIGNPOST_RAG_RED:
      return emergency ? SIGNPOST_URGENCY_EMERGENCY : SIGNPOST_URGENCY_SAME_DAY;
    case SIGNPOST_RAG_AMBER:
      return SIGNPOST_URGENCY_WITHIN_2_WEEKS;
    case SIGNPOST_RAG_GREEN:
    default:
      return SIGNPOST_URGENCY_ROUTINE;
    }
}

const char *
signpost_navigation_rag_label (SignpostRag rag)
{
  switch (rag)
    {
    case SIGNPOST_RAG_RED:
      return _("Red");
    case SIGNPOST_RAG_AMBER:
      return _("Amber");
    case SIGNPOST_RAG_GREEN:
    default:
      return _("Green");
    }
}

const char *
signpost_navigation_rag_meaning (SignpostRag rag)
{
  switch (rag)
    {
    case SIGNPOST_RAG_RED:
      return _("Today: seen or called back in this session");
    case SIGNPOST_RAG_AMBER:
      return _("Within 1 to 2 weeks");
    case SIGNPOST_RAG_GREEN:
    default:
      return _("Next routine appointment");
    }
}

const char *
signpost_navigation_urgency_label (SignpostUrgency urgency)
{
  switch (urgency)
    {
    case SIGNPOST_URGENCY_EMERGENCY:
      return _("Red — emergency (999)");
    case SIGNPOST_URGENCY_SAME_DAY:
      return _("Red — today");
    case SIGNPOST_URGENCY_WITHIN_2_WEEKS:
      return _("Amber — within 2 weeks");
    case SIGNPOST_URGENCY_ROUTINE:
    default:
      return _("Green — routine");
    }
}

/* ---- Pharmacy First -----------------------------------------------------------
 *
 * NHS England's Pharmacy First service: seven conditions, each with an age
 * band (whole years, both ends included; -1 for none) and, for UTIs, women
 * only. The words are matched crudely on purpose: this only offers a
 * suggestion, which the navigator takes or leaves.
 *
 * A pattern is groups joined by '&', each a list of alternatives joined by
 * '|'; it matches when every group has an alternative in the text. The
 * text is lower-cased with everything but letters and digits turned into
 * single spaces, and padded with a space at each end, so a leading space
 * in an alternative means "at the start of a word" and a trailing one "at
 * the end of a word" (" uti " is not in "beautiful").
 */

typedef struct {
  const char *key;
  int min_age;
  int max_age;
  gboolean women_only;
  const char * const patterns[6];
  const char *unless; /* alternatives that rule the condition out */
} PharmacyFirstRule;

static const PharmacyFirstRule pharmacy_first_rules[SIGNPOST_PHARMACY_FIRST_N_CONDITIONS] = {
  [SIGNPOST_PHARMACY_FIRST_SINUSITIS] = {
    "sinusitis", 12, -1, FALSE,
    { " sinus",
      " face | facial | cheek| forehead& pain| ache| aching| hurt| throb| pressure",
      NULL },
    NULL },
  [SIGNPOST_PHARMACY_FIRST_SORE_THROAT] = {
    "sore_throat", 5, -1, FALSE,
    { " sore throat",
      " throat& sore| pain| hurt| ache| infect| swollen| scratchy| raw ",
      " tonsil",
      " swallow& hurt| pain| sore",
      " strep ",
      NULL },
    NULL },
  [SIGNPOST_PHARMACY_FIRST_ACUTE_OTITIS_MEDIA] = {
    "acute_otitis_media", 1, 17, FALSE,
    { " earache",
      " ear ache",
      " otitis",
      " ear | ears & pain| hurt| ache| sore| infect| throb| pulling| tugging",
      NULL },
    NULL },
  [SIGNPOST_PHARMACY_FIRST_INFECTED_INSECT_BITE] = {
    "infected_insect_bite", 1, -1, FALSE,
    { " insect",
      " bite| bitten| bites | sting | stung | stings | mosquito| midge| horsefl| horse fl| gnat| wasp",
      NULL },
    " dog| cat | cats | animal| human | snake| spider| tick | ticks | rat | rats | fox | pee | wee | peeing| weeing| urin" },
  [SIGNPOST_PHARMACY_FIRST_IMPETIGO] = {
    "impetigo", 1, -1, FALSE,
    { " impetigo",
      " crust& sore| blister| rash| spot| patch| scab",
      " golden| honey& crust",
      NULL },
    NULL },
  [SIGNPOST_PHARMACY_FIRST_SHINGLES] = {
    "shingles", 18, -1, FALSE,
    { " shingles",
      " rash| blister& one side",
      NULL },
    NULL },
  [SIGNPOST_PHARMACY_FIRST_UNCOMPLICATED_UTI] = {
    "uncomplicated_uti", 16, 64, TRUE,
    { " uti | utis | cystitis",
      " urine infection| urinary| water infection| bladder infection",
      " burn| sting| pain| hurt| sore& pee | pees | peeing| wee | wees | weeing| urinat| passing urine| passing water",
      NULL },
    NULL },
};

const char *
signpost_pharmacy_first_get_key (SignpostPharmacyFirstCondition condition)
{
  g_return_val_if_fail ((guint) condition < SIGNPOST_PHARMACY_FIRST_N_CONDITIONS, NULL);
  return pharmacy_first_rules[condition].key;
}

gboolean
signpost_pharmacy_first_from_key (const char                     *key,
                                  SignpostPharmacyFirstCondition *condition)
{
  for (guint i = 0; key != NULL && i < SIGNPOST_PHARMACY_FIRST_N_CONDITIONS; i++)
    if (g_str_equal (pharmacy_first_rules[i].key, key))
      {
        if (condition != NULL)
          *condition = i;
        return TRUE;
      }
  return FALSE;
}

const char *
signpost_pharmacy_first_get_label (SignpostPharmacyFirstCondition condition)
{
  switch (condition)
    {
    case SIGNPOST_PHARMACY_FIRST_SINUSITIS:
      return _("Sinusitis");
    case SIGNPOST_PHARMACY_FIRST_SORE_THROAT:
      return _("Sore throat");
    case SIGNPOST_PHARMACY_FIRST_ACUTE_OTITIS_MEDIA:
      return _("Earache (acute otitis media)");
    case SIGNPOST_PHARMACY_FIRST_INFECTED_INSECT_BITE:
      return _("Infected insect bite");
    case SIGNPOST_PHARMACY_FIRST_IMPETIGO:
      return _("Impetigo");
    case SIGNPOST_PHARMACY_FIRST_SHINGLES:
      return _("Shingles");
    case SIGNPOST_PHARMACY_FIRST_UNCOMPLICATED_UTI:
      return _("Urinary tract infection (UTI)");
    case SIGNPOST_PHARMACY_FIRST_N_CONDITIONS:
    default:
      g_return_val_if_reached (NULL);
    }
}

const char *
signpost_pharmacy_first_get_who (SignpostPharmacyFirstCondition condition)
{
  switch (condition)
    {
    case SIGNPOST_PHARMACY_FIRST_SINUSITIS:
      return _("aged 12 and over");
    case SIGNPOST_PHARMACY_FIRST_SORE_THROAT:
      return _("aged 5 and over");
    case SIGNPOST_PHARMACY_FIRST_ACUTE_OTITIS_MEDIA:
      return _("aged 1 to 17");
    case SIGNPOST_PHARMACY_FIRST_INFECTED_INSECT_BITE:
    case SIGNPOST_PHARMACY_FIRST_IMPETIGO:
      return _("aged 1 and over");
    case SIGNPOST_PHARMACY_FIRST_SHINGLES:
      return _("aged 18 and over");
    case SIGNPOST_PHARMACY_FIRST_UNCOMPLICATED_UTI:
      return _("women aged 16 to 64");
    case SIGNPOST_PHARMACY_FIRST_N_CONDITIONS:
    default:
      g_return_val_if_reached (NULL);
    }
}

SignpostPharmacyFirstFit
signpost_pharmacy_first_check (SignpostPharmacyFirstCondition condition,
                               int                            age,
                               SignpostSex                    sex)
{
  const PharmacyFirstRule *rule;

  g_return_val_if_fail ((guint) condition < SIGNPOST_PHARMACY_FIRST_N_CONDITIONS,
                        SIGNPOST_PHARMACY_FIRST_UNKNOWN);
  rule = &pharmacy_first_rules[condition];

  if (rule->women_only && sex == SIGNPOST_SEX_MALE)
    return SIGNPOST_PHARMACY_FIRST_WRONG_SEX;
  if (age < 0)
    return SIGNPOST_PHARMACY_FIRST_UNKNOWN;
  if (age < rule->min_age)
    return SIGNPOST_PHARMACY_FIRST_TOO_YOUNG;
  if (rule->max_age >= 0 && age > rule->max_age)
    return SIGNPOST_PHARMACY_FIRST_TOO_OLD;
  if (rule->women_only && sex != SIGNPOST_SEX_FEMALE)
    return SIGNPOST_PHARMACY_FIRST_UNKNOWN;
  return SIGNPOST_PHARMACY_FIRST_FITS;
}

/* " sore throat since monday " */
static char *
normalise_words (const char *text)
{
  g_autofree char *lower = g_utf8_strdown (text, -1);
  GString *out = g_string_new (" ");

  for (const char *p = lower; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_isalnum (c))
        g_string_append_unichar (out, c);
      else if (out->str[out->len - 1] != ' ')
        g_string_append_c (out, ' ');
    }
  if (out->str[out->len - 1] != ' ')
    g_string_append_c (out, ' ');
  return g_string_free (out, FALSE);
}

static gboolean
any_alternative (const char *words,
                 const char *alternatives,
                 gsize       length)
{
  const char *start = alternatives;
  const char *end = alternatives + length;

  while (start < end)
    {
      const char *bar = memchr (start, '|', end - start);
      gsize n = (bar ? bar : end) - start;
      g_autofree char *needle = g_strndup (start, n);

      if (n > 0 && strstr (words, needle) != NULL)
        return TRUE;
      start += n + 1;
    }
  return FALSE;
}

static gboolean
pattern_matches (const char *words,
                 const char *pattern)
{
  const char *start = pattern;

  for (;;)
    {
      const char *amp = strchr (start, '&');
      gsize n = amp ? (gsize) (amp - start) : strlen (start);

      if (!any_alternative (words, start, n))
        return FALSE;
      if (amp == NULL)
        return TRUE;
      start = amp + 1;
    }
}

GArray *
signpost_navigation_pharmacy_first (const char  *reason,
                                    int          age,
                                    SignpostSex  sex)
{
  GArray *matches = g_array_new (FALSE, FALSE, sizeof (SignpostPharmacyFirstMatch));
  g_autoptr(GArray) others = g_array_new (FALSE, FALSE, sizeof (SignpostPharmacyFirstMatch));
  g_autofree char *words = NULL;

  if (reason == NULL || *reason == '\0')
    return matches;
  words = normalise_words (reason);

  for (guint i = 0; i < SIGNPOST_PHARMACY_FIRST_N_CONDITIONS; i++)
    {
      const PharmacyFirstRule *rule = &pharmacy_first_rules[i];
      gboolean found = FALSE;
      SignpostPharmacyFirstMatch match;

      for (guint j = 0; !found && rule->patterns[j] != NULL; j++)
        found = pattern_matches (words, rule->patterns[j]);
      if (!found || (rule->unless != NULL && pattern_matches (words, rule->unless)))
        continue;
      match.condition = i;
      match.fit = signpost_pharmacy_first_check (i, age, sex);
      g_array_append_val (match.fit == SIGNPOST_PHARMACY_FIRST_FITS ? matches : others, match);
    }
  g_array_append_vals (matches, others->data, others->len);
  return matches;
}

gboolean
signpost_navigation_pharmacy_first_suggestion (const char                     *reason,
                                               int                             age,
                                               SignpostSex                     sex,
                                               SignpostPharmacyFirstCondition *condition)
{
  g_autoptr(GArray) matches = signpost_navigation_pharmacy_first (reason, age, sex);
  SignpostPharmacyFirstMatch *first;

  if (matches->len == 0)
    return FALSE;
  first = &g_array_index (matches, SignpostPharmacyFirstMatch, 0);
  if (first->fit != SIGNPOST_PHARMACY_FIRST_FITS)
    return FALSE;
  if (condition != NULL)
    *condition = first->condition;
  return TRUE;
}

/* ---- continuity ------------------------------------------------------------- */

SignpostClinician *
signpost_navigation_find_usual_gp (SignpostPatient *patient,
                                   GPtrArray       *clinicians)
{
  const char *usual;
  const char *practice_id;

  g_return_val_if_fail (SIGNPOST_IS_PATIENT (patient), NULL);

  usual = signpost_patient_get_usual_clinician_id (patient);
  practice_id = signpost_record_get_practice_id (SIGNPOST_RECORD (patient));
  for (guint i = 0; usual != NULL && clinicians != NULL && i < clinicians->len; i++)
    {
      SignpostClinician *clinician = g_ptr_array_index (clinicians, i);

      if (g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (clinician)), usual) == 0 &&
          g_strcmp0 (signpost_record_get_practice_id (SIGNPOST_RECORD (clinician)), practice_id) == 0 &&
          signpost_clinician_get_profession (clinician) == SIGNPOST_PROFESSION_GP)
        return clinician;
    }
  return NULL;
}

SignpostRoute *
signpost_navigation_choose_route (SignpostPatient *patient,
                                  GPtrArray       *clinicians,
                                  SignpostUrgency  urgency)
{
  SignpostRoute *route = signpost_route_new ();
  SignpostClinician *gp = patient ? signpost_navigation_find_usual_gp (patient, clinicians) : NULL;

  /* Red cannot wait for the usual GP's next surgery: the duty doctor
   * (who may be the usual GP today) has it. */
  if (gp != NULL && signpost_navigation_rag_for_urgency (urgency) != SIGNPOST_RAG_RED)
    {
      signpost_route_set_kind (route, SIGNPOST_ROUTE_CLINICIAN);
      signpost_route_set_clinician_id (route, signpost_record_get_id (SIGNPOST_RECORD (gp)));
    }
  else
    signpost_route_set_kind (route, SIGNPOST_ROUTE_DUTY);
  return route;
}

SignpostClinician *
signpost_navigation_find_duty_doctor (GPtrArray  *clinicians,
                                      const char *practice_id,
                                      GDateTime  *now)
{
  g_return_val_if_fail (now != NULL, NULL);

  for (guint i = 0; clinicians != NULL && i < clinicians->len; i++)
    {
      SignpostClinician *clinician = g_ptr_array_index (clinicians, i);
      GListModel *rota = signpost_clinician_get_duty (clinician);

      if (practice_id != NULL &&
          g_strcmp0 (signpost_record_get_practice_id (SIGNPOST_RECORD (clinician)), practice_id) != 0)
        continue;
      for (guint j = 0; rota != NULL && j < g_list_model_get_n_items (rota); j++)
        {
          g_autoptr(SignpostDutyPeriod) period = g_list_model_get_item (rota, j);
          GDateTime *start = signpost_duty_period_get_start (period);
          GDateTime *end = signpost_duty_period_get_end (period);

          if (start != NULL && end != NULL &&
              g_date_time_compare (start, now) <= 0 && g_date_time_compare (now, end) < 0)
            return clinician;
        }
    }
  return NULL;
}

/* ---- outcome ---------------------------------------------------------------- */

SignpostTriageStatus
signpost_navigation_status_for_outcome (SignpostTriageOutcome outcome)
{
  switch (outcome)
    {
    case SIGNPOST_OUTCOME_BOOKED:
      return SIGNPOST_TRIAGE_BOOKED;
    case SIGNPOST_OUTCOME_SIGNPOSTED:
      return SIGNPOST_TRIAGE_SIGNPOSTED;
    case SIGNPOST_OUTCOME_SENT_TO_DUTY:
      return SIGNPOST_TRIAGE_AWAITING_DUTY;
    case SIGNPOST_OUTCOME_ADVICE_GIVEN:
    case SIGNPOST_OUTCOME_FAILED_CONTACT:
    case SIGNPOST_OUTCOME_EMERGENCY:
      return SIGNPOST_TRIAGE_CLOSED;
    case SIGNPOST_OUTCOME_NONE:
    default:
      return SIGNPOST_TRIAGE_OPEN;
    }
}
