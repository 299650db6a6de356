/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <math.h>
#include <glib/gi18n-lib.h>

#include "signpost-apply.h"
#include "signpost-auth.h"
#include "signpost-demo.h"

/*
 * The demo data set: a hub of two made-up practices with synthetic
 * patients, clinicians, a week of sessions and one user per role. It is
 * deterministic (a fixed seed) except for the dates, which follow the
 * current week so that the diary is always ahead of whoever runs it.
 *
 * Nothing here is anyone's data: NHS numbers come from the 999 test range
 * with valid check digits, and every phone number from Ofcom's ranges set
 * aside for drama (07700 900xxx, 01632 960xxx, 0117 496 0xxx,
 * 020 7946 0xxx).
 */

/* The drama ranges hold 1,000 mobiles and 2,000 landlines in all: each
 * practice gets its own share, spread over its whole list. */
typedef struct {
  const char *ods;
  const char *name;
  const char *line;
  guint patients;
  const char *postcode_area;
  const char *landline_prefix;    /* + 000–999 */
  guint first_mobile;             /* 07700 900000 + first … + last − 1 */
  guint last_mobile;
  guint first_landline;           /* the prefix + first … + last − 1 */
  guint last_landline;
} DemoPractice;

static const DemoPractice demo_practices[] = {
  { "Y99901", "Riverside Medical Practice", SIGNPOST_DEMO_LINE_1, 10000, "LS",
    "+441632960", 0, 600, 0, 1000 },
  { "Y99902", "Hillview Surgery", SIGNPOST_DEMO_LINE_2, 6000, "BS",
    "+441174960", 600, 1000, 0, 1000 },
};

static const char * const female_names[] = {
  "Olivia", "Amelia", "Isla", "Ava", "Mia", "Grace", "Freya", "Lily", "Emily", "Sophie",
  "Ella", "Poppy", "Evie", "Charlotte", "Ruby", "Alice", "Florence", "Jessica", "Daisy", "Chloe",
  "Margaret", "Susan", "Patricia", "Linda", "Janet", "Helen", "Sarah", "Karen", "Joan", "Eileen",
  "Aisha", "Priya", "Zainab", "Fatima", "Agnieszka", "Maria", "Siobhan", "Niamh", "Megan", "Rhiannon",
};

static const char * const male_names[] = {
  "Oliver", "George", "Noah", "Arthur", "Harry", "Leo", "Muhammad", "Jack", "Charlie", "Oscar",
  "Jacob", "Henry", "Thomas", "Freddie", "Alfie", "Theo", "William", "Joshua", "James", "Archie",
  "David", "John", "Michael", "Peter", "Robert", "Brian", "Kevin", "Paul", "Stephen", "Gary",
  "Imran", "Arjun", "Tomasz", "Piotr", "Kwame", "Declan", "Callum", "Rhys", "Dylan", "Owen",
};

static const char * const family_names[] = {
  "Smith", "Jones", "Taylor", "Brown", "Williams", "Wilson", "Johnson", "Davies", "Patel", "Robinson",
  "Wright", "Thompson", "Evans", "Walker", "White", "Roberts", "Green", "Hall", "Thomas", "Clarke",
  "Jackson", "Wood", "Harris", "Edwards", "Turner", "Martin", "Cooper", "Hill", "Ward", "Hughes",
  "Moore", "Clark", "King", "Harrison", "Lewis", "Baker", "Lee", "Allen", "Morris", "Khan",
  "Scott", "Watson", "Davis", "Parker", "James", "Bennett", "Young", "Phillips", "Richardson", "Mitchell",
  "Bailey", "Carter", "Cook", "Singh", "Shaw", "Bell", "Collins", "Morgan", "Kelly", "Begum",
  "Miller", "Cox", "Hussain", "Marshall", "Simpson", "Price", "Anderson", "Adams", "Wilkinson", "Ali",
  "Ahmed", "Foster", "Ellis", "Murphy", "Chapman", "Mason", "Gray", "Richards", "Webb", "Griffiths",
  "Kowalski", "Nowak", "Okafor", "Mensah", "O'Brien", "MacDonald", "Campbell", "Stewart", "Reid", "Murray",
};

static const char * const languages[] = {
  "Polish", "Urdu", "Bengali", "Punjabi", "Romanian", "Portuguese", "Somali", "Arabic",
  "Turkish", "Lithuanian", "Tigrinya", "Farsi",
};

typedef struct {
  SignpostProfession profession;
  const char *title;
  guint slot_minutes;
  gboolean afternoons;
} DemoRole;

static const DemoRole practice_1_staff[] = {
  { SIGNPOST_PROFESSION_GP, "Dr", 10, TRUE },
  { SIGNPOST_PROFESSION_GP, "Dr", 10, TRUE },
  { SIGNPOST_PROFESSION_GP, "Dr", 15, TRUE },
  { SIGNPOST_PROFESSION_GP, "Dr", 10, FALSE },
  { SIGNPOST_PROFESSION_NURSE, NULL, 15, TRUE },
  { SIGNPOST_PROFESSION_NURSE, NULL, 15, FALSE },
  { SIGNPOST_PROFESSION_HCA, NULL, 10, TRUE },
  { SIGNPOST_PROFESSION_CLINICAL_PHARMACIST, NULL, 15, TRUE },
  { SIGNPOST_PROFESSION_PHYSIO, NULL, 15, FALSE },
  { SIGNPOST_PROFESSION_PARAMEDIC, NULL, 15, TRUE },
  { SIGNPOST_PROFESSION_MENTAL_HEALTH, NULL, 15, FALSE },
  { SIGNPOST_PROFESSION_SOCIAL_PRESCRIBER, NULL, 15, FALSE },
};

static const DemoRole practice_2_staff[] = {
  { SIGNPOST_PROFESSION_GP, "Dr", 10, TRUE },
  { SIGNPOST_PROFESSION_GP, "Dr", 15, TRUE },
  { SIGNPOST_PROFESSION_GP, "Dr", 10, FALSE },
  { SIGNPOST_PROFESSION_NURSE, NULL, 15, TRUE },
  { SIGNPOST_PROFESSION_HCA, NULL, 10, FALSE },
  { SIGNPOST_PROFESSION_CLINICAL_PHARMACIST, NULL, 15, FALSE },
  { SIGNPOST_PROFESSION_PHYSIO, NULL, 15, FALSE },
  { SIGNPOST_PROFESSION_PARAMEDIC, NULL, 15, FALSE },
  { SIGNPOST_PROFESSION_MENTAL_HEALTH, NULL, 15, FALSE },
  { SIGNPOST_PROFESSION_SOCIAL_PRESCRIBER, NULL, 15, FALSE },
};

typedef struct {
  const char *username;
  const char *display_name;
  SignpostRole role;
  gboolean both_practices;
  gboolean hub;
  gboolean duty_gp;
} DemoUser;

static const DemoUser demo_users[] = {
  { "navigator", "Nadia Navigator", SIGNPOST_ROLE_NAVIGATOR, FALSE, FALSE, FALSE },
  { "hubnav", "Harvey Hub", SIGNPOST_ROLE_NAVIGATOR, TRUE, TRUE, FALSE },
  /* named after the GP they are, whom the diary marks as duty doctor */
  { "duty", NULL, SIGNPOST_ROLE_CLINICIAN, TRUE, FALSE, TRUE },
  { "manager", "Morgan Manager", SIGNPOST_ROLE_MANAGER, TRUE, FALSE, FALSE },
  { "admin", "Ash Admin", SIGNPOST_ROLE_ADMIN, TRUE, FALSE, FALSE },
};

typedef struct {
  SignpostApplyContext ctx;
  GRand *rand;
  GTimeZone *tz;
  GDate days[5];                /* the working days of the demo week */
  const DemoPractice *practice; /* being seeded */
  guint next_mobile;            /* 07700 900000 + n */
  guint next_landline;          /* the practice's prefix + n */
  double mobile_chance;
  double landline_chance;
  guint next_nhs;               /* 999 000 000 + n */
} Seeder;

/* Of a list: about 85 % are 12 or over; about one in four people heads a
 * household of two or more. */
#define SHARE_OVER_12 0.85
#define SHARE_HOUSEHOLDS 0.26

static const char *
pick (Seeder             *seeder,
      const char * const *list,
      guint               n)
{
  return list[g_rand_int_range (seeder->rand, 0, n)];
}

#define PICK(seeder, list) pick ((seeder), (list), G_N_ELEMENTS (list))

static char *
random_uuid (GRand *rand)
{
  guint8 b[16];

  for (guint i = 0; i < 16; i++)
    b[i] = g_rand_int_range (rand, 0, 256);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-"
                          "%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7], b[8], b[9],
                          b[10], b[11], b[12], b[13], b[14], b[15]);
}

static gboolean
put (Seeder          *seeder,
     gpointer         record,
     GError         **error)
{
  return signpost_apply_write (&seeder->ctx, SIGNPOST_RECORD (record), FALSE, error);
}

static char *
next_nhs_number (Seeder *seeder)
{
  for (;;)
    {
      g_autofree char *first_nine = g_strdup_printf ("999%06u", seeder->next_nhs++);
      int check = signpost_nhs_number_check_digit (first_nine);

      if (check >= 0)
        return g_strdup_printf ("%s%d", first_nine, check);
    }
}

static char *
next_mobile (Seeder *seeder)
{
  if (seeder->next_mobile >= seeder->practice->last_mobile)
    return NULL;
  return g_strdup_printf ("+447700900%03u", seeder->next_mobile++);
}

static char *
next_landline (Seeder *seeder)
{
  if (seeder->next_landline >= seeder->practice->last_landline)
    return NULL;
  return g_strdup_printf ("%s%03u", seeder->practice->landline_prefix, seeder->next_landline++);
}

/* An outward code in @area and a valid-shaped inward code. */
static char *
random_postcode (Seeder     *seeder,
                 const char *area)
{
  static const char inward_letters[] = "ABDEFGHJLNPQRSTUWXYZ";
  guint district = g_rand_int_range (seeder->rand, 1, 28);
  guint sector = g_rand_int_range (seeder->rand, 0, 10);
  char a = inward_letters[g_rand_int_range (seeder->rand, 0, sizeof inward_letters - 1)];
  char b = inward_letters[g_rand_int_range (seeder->rand, 0, sizeof inward_letters - 1)];

  return g_strdup_printf ("%s%u %u%c%c", area, district, sector, a, b);
}

/* A list's age profile, roughly: a fifth children, a fifth over 65. */
static guint
random_age (Seeder *seeder)
{
  double r = g_rand_double (seeder->rand);

  if (r < 0.20)
    return g_rand_int_range (seeder->rand, 0, 18);
  if (r < 0.48)
    return g_rand_int_range (seeder->rand, 18, 40);
  if (r < 0.80)
    return g_rand_int_range (seeder->rand, 40, 65);
  if (r < 0.94)
    return g_rand_int_range (seeder->rand, 65, 80);
  return g_rand_int_range (seeder->rand, 80, 101);
}

static char *
date_of_birth (Seeder *seeder,
               guint   age)
{
  GDate today, dob;

  signpost_local_date (seeder->ctx.now, seeder->tz, &today);
  dob = today;
  g_date_subtract_years (&dob, age);
  g_date_subtract_days (&dob, g_rand_int_range (seeder->rand, 0, 365));
  return signpost_date_format (&dob);
}

static void
add_alert (GListStore        *alerts,
           SignpostAlertKind  kind,
           const char        *text)
{
  g_autoptr(SignpostAlert) alert = signpost_alert_new ();

  signpost_alert_set_kind (alert, kind);
  signpost_alert_set_text (alert, text);
  g_list_store_append (alerts, alert);
}

static void
add_phone (GListStore        *phones,
           const char        *number,
           SignpostPhoneKind  kind)
{
  g_autoptr(SignpostPhone) phone = signpost_phone_new ();

  signpost_phone_set_number (phone, number);
  signpost_phone_set_kind (phone, kind);
  g_list_store_append (phones, phone);
}

static gboolean
seed_patients (Seeder      *seeder,
               const char  *practice_id,
               const char  *postcode_area,
               guint        count,
               GPtrArray   *gps,
               GError     **error)
{
  guint made = 0;

  while (made < count)
    {
      double r = g_rand_double (seeder->rand);
      guint size = r < 0.30 ? 1 : r < 0.65 ? 2 : r < 0.80 ? 3 : r < 0.93 ? 4 : 5;
      const char *family = PICK (seeder, family_names);
      g_autofree char *postcode = random_postcode (seeder, postcode_area);
      g_autofree char *landline = NULL;

      size = MIN (size, count - made);
      /* A landline is a household's: two to five people share it. */
      if (size >= 2 && g_rand_double (seeder->rand) < seeder->landline_chance)
        landline = next_landline (seeder);
      for (guint i = 0; i < size; i++, made++)
        {
          g_autoptr(SignpostPatient) patient = signpost_patient_new ();
          g_autoptr(GListStore) phones = g_list_store_new (SIGNPOST_TYPE_PHONE);
          g_autoptr(GListStore) alerts = g_list_store_new (SIGNPOST_TYPE_ALERT);
          g_autofree char *id = random_uuid (seeder->rand);
          g_autofree char *dob = NULL;
          double s = g_rand_double (seeder->rand);
          SignpostSex sex = s < 0.49 ? SIGNPOST_SEX_FEMALE : s < 0.985 ? SIGNPOST_SEX_MALE
                                                       : s < 0.995 ? SIGNPOST_SEX_OTHER
                                                                   : SIGNPOST_SEX_UNKNOWN;
          guint age = random_age (seeder);
          gboolean temporary = g_rand_double (seeder->rand) < 0.005;
          double a = g_rand_double (seeder->rand);

          dob = date_of_birth (seeder, age);
          signpost_record_set_id (SIGNPOST_RECORD (patient), id);
          signpost_record_set_practice_id (SIGNPOST_RECORD (patient), practice_id);
          if (!temporary)
            {
              g_autofree char *nhs = next_nhs_number (seeder);

              signpost_patient_set_nhs_number (patient, nhs);
            }
          signpost_patient_set_temporary (patient, temporary);
          signpost_patient_set_given_name (patient,
                                           sex == SIGNPOST_SEX_MALE ? PICK (seeder, male_names)
                                           : sex == SIGNPOST_SEX_FEMALE ? PICK (seeder, female_names)
                                           : g_rand_boolean (seeder->rand) ? PICK (seeder, male_names)
                                                                           : PICK (seeder, female_names));
          signpost_patient_set_family_name (patient, family);
          signpost_patient_set_date_of_birth (patient, dob);
          signpost_patient_set_sex (patient, sex);
          signpost_patient_set_postcode (patient, postcode);
          if (gps->len > 0)
            signpost_patient_set_usual_clinician_id (patient,
                                                     g_ptr_array_index (gps, g_rand_int_range (seeder->rand, 0, gps->len)));

          /* A mobile for some adults and teenagers (the drama range holds
           * only a thousand), the household's landline for the rest. */
          if (age >= 12 && g_rand_double (seeder->rand) < seeder->mobile_chance)
            {
              g_autofree char *mobile = next_mobile (seeder);

              if (mobile != NULL)
                add_phone (phones, mobile, SIGNPOST_PHONE_KIND_MOBILE);
            }
          if (landline != NULL)
            add_phone (phones, landline, SIGNPOST_PHONE_KIND_HOME);
          signpost_patient_set_phones (patient, G_LIST_MODEL (phones));

          if (a < 0.03)
            add_alert (alerts, SIGNPOST_ALERT_INTERPRETER, PICK (seeder, languages));
          else if (a < 0.05)
            add_alert (alerts, SIGNPOST_ALERT_CARER, "Carer for a family member");
          else if (a < 0.065)
            add_alert (alerts, SIGNPOST_ALERT_HEARING, "Hard of hearing: speak clearly, offer text");
          else if (a < 0.075)
            add_alert (alerts, SIGNPOST_ALERT_SIGHT, "Partially sighted: read details aloud");
          else if (a < 0.09)
            add_alert (alerts, SIGNPOST_ALERT_VULNERABLE, "Vulnerable adult: see care plan");
          else if (a < 0.095)
            add_alert (alerts, SIGNPOST_ALERT_TEXT_RELAY, "Uses Relay UK (18001 prefix)");
          signpost_patient_set_alerts (patient, G_LIST_MODEL (alerts));

          if (!put (seeder, patient, error))
            return FALSE;
        }
    }
  return TRUE;
}

static SignpostSlotMode
slot_mode (SignpostProfession profession,
           guint              index,
           guint              n_slots,
           gboolean           morning)
{
  if (profession == SIGNPOST_PROFESSION_GP)
    {
      if (morning && index < 4)
        return SIGNPOST_SLOT_MODE_TELEPHONE;
      if (index == n_slots - 1)
        return morning ? SIGNPOST_SLOT_MODE_HOME_VISIT : SIGNPOST_SLOT_MODE_VIDEO;
      return index % 5 == 4 ? SIGNPOST_SLOT_MODE_VIDEO : SIGNPOST_SLOT_MODE_FACE_TO_FACE;
    }
  if (profession == SIGNPOST_PROFESSION_CLINICAL_PHARMACIST ||
      profession == SIGNPOST_PROFESSION_MENTAL_HEALTH ||
      profession == SIGNPOST_PROFESSION_SOCIAL_PRESCRIBER)
    return index % 2 == 0 ? SIGNPOST_SLOT_MODE_TELEPHONE : SIGNPOST_SLOT_MODE_FACE_TO_FACE;
  if (profession == SIGNPOST_PROFESSION_PARAMEDIC && index % 4 == 3)
    return SIGNPOST_SLOT_MODE_HOME_VISIT;
  return SIGNPOST_SLOT_MODE_FACE_TO_FACE;
}

static gboolean
seed_session (Seeder             *seeder,
              const char         *practice_id,
              const char         *clinician_id,
              const DemoRole     *role,
              const GDate        *day,
              int                 start_hour,
              int                 start_minute,
              int                 end_hour,
              gboolean            morning,
              GError            **error)
{
  g_autoptr(GDateTime) start = signpost_local_time_to_utc (day, start_hour, start_minute, seeder->tz);
  g_autoptr(GDateTime) release = signpost_local_time_to_utc (day, 8, 0, seeder->tz);
  guint n_slots = ((end_hour * 60) - (start_hour * 60 + start_minute)) / role->slot_minutes;

  for (guint i = 0; i < n_slots; i++)
    {
      g_autoptr(SignpostSlot) slot = signpost_slot_new ();
      g_autoptr(GDateTime) at = g_date_time_add_minutes (start, i * role->slot_minutes);
      g_autofree char *id = random_uuid (seeder->rand);
      gboolean gp = role->profession == SIGNPOST_PROFESSION_GP;

      signpost_record_set_id (SIGNPOST_RECORD (slot), id);
      signpost_record_set_practice_id (SIGNPOST_RECORD (slot), practice_id);
      signpost_slot_set_clinician_id (slot, clinician_id);
      signpost_slot_set_start (slot, at);
      signpost_slot_set_duration_minutes (slot, role->slot_minutes);
      signpost_slot_set_mode (slot, slot_mode (role->profession, i, n_slots, morning));
      /* GPs keep their first morning slots for the day itself: released at
       * 08:00 when the phones open. */
      if (gp && morning && i < 6)
        signpost_slot_set_release_at (slot, release);
      /* Some slots are for the practice's own navigators only. */
      signpost_slot_set_hub_bookable (slot, !(role->profession == SIGNPOST_PROFESSION_HCA ||
                                              (gp && i % 3 == 2)));
      signpost_slot_set_status (slot, SIGNPOST_SLOT_FREE);
      if (!put (seeder, slot, error))
        return FALSE;
    }
  return TRUE;
}

/* Duty doctor: one GP a day, turn about, 08:00–18:30. */
static void
add_duty_day (Seeder      *seeder,
              GListStore  *rota,
              const GDate *day)
{
  g_autoptr(SignpostDutyPeriod) period = signpost_duty_period_new ();
  g_autoptr(GDateTime) start = signpost_local_time_to_utc (day, 8, 0, seeder->tz);
  g_autoptr(GDateTime) end = signpost_local_time_to_utc (day, 18, 30, seeder->tz);

  signpost_duty_period_set_start (period, start);
  signpost_duty_period_set_end (period, end);
  g_list_store_append (rota, period);
}

static gboolean
seed_practice (Seeder              *seeder,
               const DemoPractice  *demo,
               const DemoRole      *staff,
               guint                n_staff,
               double               scale,
               char               **practice_id_out,
               char               **first_gp_out,
               GError             **error)
{
  g_autoptr(SignpostPractice) practice = signpost_practice_new ();
  g_autofree char *practice_id = random_uuid (seeder->rand);
  g_autoptr(GPtrArray) gps = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) clinicians = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GPtrArray) rotas = g_ptr_array_new_with_free_func (g_object_unref);
  const char * const lines[] = { demo->line, NULL };
  guint n_gps = 0;
  guint patients = MAX ((guint) (demo->patients * scale), 1);

  seeder->practice = demo;
  seeder->next_mobile = demo->first_mobile;
  seeder->next_landline = demo->first_landline;
  seeder->mobile_chance = MIN (1.0, (demo->last_mobile - demo->first_mobile) /
                                    (patients * SHARE_OVER_12));
  seeder->landline_chance = MIN (1.0, (demo->last_landline - demo->first_landline) /
                                      (patients * SHARE_HOUSEHOLDS));

  signpost_record_set_id (SIGNPOST_RECORD (practice), practice_id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (practice), practice_id);
  signpost_practice_set_ods_code (practice, demo->ods);
  signpost_practice_set_name (practice, demo->name);
  signpost_practice_set_lines (practice, lines);
  signpost_practice_set_time_zone (practice, SIGNPOST_DEFAULT_TIME_ZONE);
  if (!put (seeder, practice, error) ||
      !signpost_store_set_line (seeder->ctx.store, demo->line, practice_id,
                                SIGNPOST_DEMO_LINE_SECRET, error))
    return FALSE;

  for (guint i = 0; i < n_staff; i++)
    {
      g_autoptr(SignpostClinician) clinician = signpost_clinician_new ();
      g_autofree char *id = random_uuid (seeder->rand);
      gboolean female = g_rand_boolean (seeder->rand);

      signpost_record_set_id (SIGNPOST_RECORD (clinician), id);
      signpost_record_set_practice_id (SIGNPOST_RECORD (clinician), practice_id);
      signpost_clinician_set_title (clinician, staff[i].title);
      signpost_clinician_set_given_name (clinician, female ? PICK (seeder, female_names)
                                                           : PICK (seeder, male_names));
      signpost_clinician_set_family_name (clinician, PICK (seeder, family_names));
      signpost_clinician_set_profession (clinician, staff[i].profession);
      if (staff[i].profession == SIGNPOST_PROFESSION_GP)
        {
          g_ptr_array_add (gps, g_strdup (id));
          n_gps++;
        }
      g_ptr_array_add (clinicians, g_steal_pointer (&clinician));
      g_ptr_array_add (rotas, g_list_store_new (SIGNPOST_TYPE_DUTY_PERIOD));
    }

  /* The duty rota: one GP a day, turn about. */
  for (guint d = 0; d < G_N_ELEMENTS (seeder->days); d++)
    {
      guint gp_seen = 0;

      for (guint i = 0; i < clinicians->len; i++)
        if (staff[i].profession == SIGNPOST_PROFESSION_GP && gp_seen++ == d % n_gps)
          add_duty_day (seeder, g_ptr_array_index (rotas, i), &seeder->days[d]);
    }
  for (guint i = 0; i < clinicians->len; i++)
    {
      SignpostClinician *clinician = g_ptr_array_index (clinicians, i);

      signpost_clinician_set_duty (clinician, g_ptr_array_index (rotas, i));
      if (!put (seeder, clinician, error))
        return FALSE;
    }

  for (guint d = 0; d < G_N_ELEMENTS (seeder->days); d++)
    for (guint i = 0; i < clinicians->len; i++)
      {
        const char *clinician_id = signpost_record_get_id (g_ptr_array_index (clinicians, i));

        if (!seed_session (seeder, practice_id, clinician_id, &staff[i], &seeder->days[d],
                           8, 30, 12, TRUE, error))
          return FALSE;
        if (staff[i].afternoons &&
            !seed_session (seeder, practice_id, clinician_id, &staff[i], &seeder->days[d],
                           14, 0, 17, FALSE, error))
          return FALSE;
      }

  if (!seed_patients (seeder, practice_id, demo->postcode_area, patients, gps, error))
    return FALSE;

  *practice_id_out = g_steal_pointer (&practice_id);
  *first_gp_out = g_strdup (gps->len > 0 ? g_ptr_array_index (gps, 0) : NULL);
  return TRUE;
}

/* "Dr Leo Hughes": how the diary names the GP with this id. */
static char *
gp_name (Seeder      *seeder,
         const char  *clinician_id,
         GError     **error)
{
  g_autoptr(SignpostRecord) gp = signpost_store_get_record (seeder->ctx.store, SIGNPOST_RECORD_CLINICIAN,
                                                            clinician_id, NULL, error);

  if (gp == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_NOT_FOUND, "no clinician %s", clinician_id);
      return NULL;
    }
  return g_strdup_printf ("%s %s %s", signpost_clinician_get_title (SIGNPOST_CLINICIAN (gp)),
                          signpost_clinician_get_given_name (SIGNPOST_CLINICIAN (gp)),
                          signpost_clinician_get_family_name (SIGNPOST_CLINICIAN (gp)));
}

static gboolean
seed_users (Seeder      *seeder,
            const char  *practice_1,
            const char  *practice_2,
            const char  *duty_gp,
            GPtrArray   *region,
            GError     **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_users); i++)
    {
      const DemoUser *demo = &demo_users[i];
      g_autoptr(SignpostUser) user = signpost_user_new ();
      g_autofree char *id = random_uuid (seeder->rand);
      g_autofree char *hash = NULL;
      const char * const one[] = { practice_1, NULL };
      const char * const both[] = { practice_1, practice_2, NULL };

      signpost_record_set_id (SIGNPOST_RECORD (user), id);
      signpost_record_set_practice_id (SIGNPOST_RECORD (user), practice_1);
      signpost_user_set_username (user, demo->username);
      if (demo->duty_gp)
        {
          g_autofree char *name = gp_name (seeder, duty_gp, error);

          if (name == NULL)
            return FALSE;
          signpost_user_set_display_name (user, name);
        }
      else
        signpost_user_set_display_name (user, demo->display_name);
      signpost_user_set_role (user, demo->role);
      /* A hub navigator works for every practice of the hub. */
      if (demo->hub)
        signpost_user_set_practice_ids (user, (const char * const *) region->pdata);
      else
        signpost_user_set_practice_ids (user, demo->both_practices ? both : one);
      signpost_user_set_hub (user, demo->hub);
      if (demo->duty_gp)
        signpost_user_set_clinician_id (user, duty_gp);
      hash = signpost_auth_hash_password (SIGNPOST_DEMO_PASSWORD, error);
      if (hash == NULL ||
          !put (seeder, user, error) ||
          !signpost_store_set_password_hash (seeder->ctx.store, id, hash, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- a bigger region (--practices N) ------------------------------------ */

/* Made-up practice names and places: no real surgery is meant. */
static const char * const region_places[] = {
  "Abbeyfield", "Ashgrove", "Beckside", "Birchwood", "Bramley Road", "Brookfield", "Canal Street",
  "Castle Hill", "Cedar Lodge", "Church Lane", "Clover Bank", "Copperfield", "Elmtree",
  "Fairhaven", "Fernlea", "Foxhollow", "Glebe House", "Greenacres", "Hawthorn", "Heathside",
  "Highfield", "Holly Bank", "Kingsmead", "Larkhill", "Linden", "Meadowbank", "Millbrook",
  "Northgate", "Oakfield", "Orchard Way", "Parkview", "Priory", "Quayside", "Riverbend",
  "Rosehill", "Saltmarsh", "Southgate", "Station Road", "Thornbury", "Westfield",
};

static const char * const region_kinds[] = {
  "Surgery", "Medical Centre", "Health Centre", "Medical Practice", "Family Practice",
};

static const char * const region_postcode_areas[] = {
  "M", "B", "NE", "S", "L", "NG", "LE", "CV", "DE", "HU", "PL", "EX", "YO", "WF", "HD",
  "BD", "OL", "PR", "BB", "ST", "WV", "DY", "NN", "PE", "IP", "NR", "CB", "OX", "RG", "SO",
};

/* The practices after the first two share 020 7946 0100–0999 (the first
 * hundred numbers are the practices' lines): a few dozen numbers each,
 * so most of their patients have no telephone number at all. The drama
 * ranges hold only about 4,000 numbers in all. */
#define REGION_LANDLINE_PREFIX "+442079460"
#define REGION_FIRST_LANDLINE 100
#define REGION_LANDLINES 900

typedef struct {
  DemoPractice demo;
  char *ods;
  char *name;
  char *line;
  GArray *staff;                 /* of DemoRole */
} RegionPractice;

static void
region_practice_clear (RegionPractice *practice)
{
  g_free (practice->ods);
  g_free (practice->name);
  g_free (practice->line);
  g_clear_pointer (&practice->staff, g_array_unref);
}

static void
add_staff (GArray             *staff,
           SignpostProfession  profession,
           const char         *title,
           guint               slot_minutes,
           gboolean            afternoons,
           guint               count)
{
  for (guint i = 0; i < count; i++)
    {
      DemoRole role = { profession, title, slot_minutes, afternoons };

      g_array_append_val (staff, role);
    }
}

/* A team for a list: about one GP to 2,200 patients and a nurse to
 * 5,000, with the newer roles in the bigger practices. */
static GArray *
region_staff (guint patients)
{
  GArray *staff = g_array_new (FALSE, FALSE, sizeof (DemoRole));
  guint gps = MAX (1, (patients + 1100) / 2200);
  guint nurses = MAX (1, (patients + 2500) / 5000);

  add_staff (staff, SIGNPOST_PROFESSION_GP, "Dr", 10, TRUE, gps - gps / 3);
  add_staff (staff, SIGNPOST_PROFESSION_GP, "Dr", 15, FALSE, gps / 3);
  add_staff (staff, SIGNPOST_PROFESSION_NURSE, NULL, 15, TRUE, nurses);
  add_staff (staff, SIGNPOST_PROFESSION_HCA, NULL, 10, patients >= 8000, patients >= 4000 ? 1 : 0);
  add_staff (staff, SIGNPOST_PROFESSION_CLINICAL_PHARMACIST, NULL, 15, FALSE, patients >= 6000 ? 1 : 0);
  add_staff (staff, SIGNPOST_PROFESSION_PHYSIO, NULL, 15, FALSE, patients >= 9000 ? 1 : 0);
  add_staff (staff, SIGNPOST_PROFESSION_PARAMEDIC, NULL, 15, TRUE, patients >= 12000 ? 1 : 0);
  add_staff (staff, SIGNPOST_PROFESSION_MENTAL_HEALTH, NULL, 15, FALSE, patients >= 10000 ? 1 : 0);
  add_staff (staff, SIGNPOST_PROFESSION_SOCIAL_PRESCRIBER, NULL, 15, FALSE, patients >= 7000 ? 1 : 0);
  return staff;
}

/* Practice @number (3 to @n_practices) of the region: a list of 2,000
 * to 20,000 patients (more small practices than large ones, as in
 * England), its own line 020 7946 00NN and its share of the landlines. */
static void
region_practice_init (RegionPractice *practice,
                      GRand          *rand,
                      guint           number,
                      guint           n_practices)
{
  guint index = number - 3;
  guint share = REGION_LANDLINES / MAX (n_practices - 2, 1);
  double r = g_rand_double (rand);
  guint patients = (guint) (2000.0 * pow (10.0, r * r * 0.35 + r * 0.65) / 10.0) * 10;

  practice->ods = g_strdup_printf ("Y999%02u", number);
  practice->name = g_strdup_printf ("%s %s",
                                    region_places[index % G_N_ELEMENTS (region_places)],
                                    region_kinds[(index / G_N_ELEMENTS (region_places) + index) %
                                                 G_N_ELEMENTS (region_kinds)]);
  practice->line = g_strdup_printf ("+4420794600%02u", number);
  practice->demo = (DemoPractice) {
    .ods = practice->ods,
    .name = practice->name,
    .line = practice->line,
    .patients = CLAMP (patients, 2000, 20000),
    .postcode_area = region_postcode_areas[index % G_N_ELEMENTS (region_postcode_areas)],
    .landline_prefix = REGION_LANDLINE_PREFIX,
    .first_mobile = 0,
    .last_mobile = 0,
    .first_landline = REGION_FIRST_LANDLINE + index * share,
    .last_landline = REGION_FIRST_LANDLINE + (index + 1) * share,
  };
  practice->staff = region_staff (practice->demo.patients);
}

/* Each practice's own manager, navigator and duty doctor
 * (manager-y99901, …), and a manager for the whole hub. */
static gboolean
seed_region_users (Seeder      *seeder,
                   GPtrArray   *region,
                   GPtrArray   *ods_codes,
                   GPtrArray   *duty_gps,
                   GError     **error)
{
  g_autofree char *hash = signpost_auth_hash_password (SIGNPOST_DEMO_PASSWORD, error);
  static const struct {
    const char *prefix;
    SignpostRole role;
    const char *display;
  } kinds[] = {
    { "manager", SIGNPOST_ROLE_MANAGER, "Practice manager" },
    { "navigator", SIGNPOST_ROLE_NAVIGATOR, "Care navigator" },
    { "duty", SIGNPOST_ROLE_CLINICIAN, "Duty doctor" },
  };

  if (hash == NULL)
    return FALSE;
  for (guint i = 0; i <= ods_codes->len; i++)
    for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
      {
        g_autoptr(SignpostUser) user = signpost_user_new ();
        g_autofree char *id = random_uuid (seeder->rand);
        g_autofree char *username = NULL;
        g_autofree char *display = NULL;
        const char *practice_id;

        /* Last, the hub's manager. */
        if (i == ods_codes->len)
          {
            if (kinds[k].role != SIGNPOST_ROLE_MANAGER)
              continue;
            username = g_strdup ("hubmanager");
            display = g_strdup ("Hattie Hub-Manager");
            practice_id = g_ptr_array_index (region, 0);
            signpost_user_set_practice_ids (user, (const char * const *) region->pdata);
            signpost_user_set_hub (user, TRUE);
          }
        else
          {
            const char * const one[] = { g_ptr_array_index (region, i), NULL };
            g_autofree char *ods = g_ascii_strdown (g_ptr_array_index (ods_codes, i), -1);

            username = g_strdup_printf ("%s-%s", kinds[k].prefix, ods);
            /* A duty doctor signs in under the name of the GP they are. */
            if (kinds[k].role == SIGNPOST_ROLE_CLINICIAN)
              display = gp_name (seeder, g_ptr_array_index (duty_gps, i), error);
            else
              display = g_strdup_printf ("%s, %s", kinds[k].display,
                                         (const char *) g_ptr_array_index (ods_codes, i));
            if (display == NULL)
              return FALSE;
            practice_id = one[0];
            signpost_user_set_practice_ids (user, one);
            if (kinds[k].role == SIGNPOST_ROLE_CLINICIAN)
              signpost_user_set_clinician_id (user, g_ptr_array_index (duty_gps, i));
          }
        signpost_record_set_id (SIGNPOST_RECORD (user), id);
        signpost_record_set_practice_id (SIGNPOST_RECORD (user), practice_id);
        signpost_user_set_username (user, username);
        signpost_user_set_display_name (user, display);
        signpost_user_set_role (user, kinds[k].role);
        if (!put (seeder, user, error) ||
            !signpost_store_set_password_hash (seeder->ctx.store, id, hash, error))
          return FALSE;
      }
  return TRUE;
}

gboolean
signpost_demo_is_seeded (SignpostStore  *store,
                         GError        **error)
{
  g_autoptr(GPtrArray) practices = signpost_store_list_records (store, SIGNPOST_RECORD_PRACTICE,
                                                                NULL, error);

  return practices != NULL && practices->len > 0;
}

/**
 * signpost_demo_seed_practices:
 * @n_practices: how many practices: the two of the standard demo, then
 *   up to %SIGNPOST_DEMO_MAX_PRACTICES in all (lists of 2,000 to 20,000
 *   patients, each with its own line, clinicians and sessions)
 * @scale: 1.0 for full lists; tests use less
 * @now: the time the diary is laid out around
 *
 * Fills an empty store with the demo data set, in one transaction. Every
 * practice gets its own manager, navigator and duty doctor
 * (manager-y99901, navigator-y99901, duty-y99901, …) and "hubmanager"
 * manages them all; the standard demo users keep their meaning, the hub
 * navigator "hubnav" working for every practice.
 */
gboolean
signpost_demo_seed_practices (SignpostStore  *store,
                              guint           n_practices,
                              double          scale,
                              GDateTime      *now,
                              GError        **error)
{
  Seeder seeder = { 0 };
  g_autofree char *practice_1 = NULL;
  g_autofree char *practice_2 = NULL;
  g_autofree char *gp_1 = NULL;
  g_autofree char *gp_2 = NULL;
  g_autoptr(GPtrArray) region = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ods_codes = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) duty_gps = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) sizes = NULL;
  GDate day;
  gboolean ok;

  g_return_val_if_fail (SIGNPOST_IS_STORE (store), FALSE);
  g_return_val_if_fail (n_practices >= 1 && n_practices <= SIGNPOST_DEMO_MAX_PRACTICES, FALSE);

  seeder.rand = g_rand_new_with_seed (SIGNPOST_DEMO_SEED);
  /* The region's list sizes have a generator of their own, so that the
   * first two practices are the same whatever the number. */
  sizes = g_rand_new_with_seed (SIGNPOST_DEMO_SEED + 1);
  seeder.tz = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);
  if (seeder.tz == NULL)
    seeder.tz = g_time_zone_new_utc ();
  signpost_apply_context_init (&seeder.ctx, store, NULL, now);

  /* Five working days from today (or from Monday, at a weekend). */
  signpost_local_date (now, seeder.tz, &day);
  for (guint d = 0; d < G_N_ELEMENTS (seeder.days);)
    {
      GDateWeekday weekday = g_date_get_weekday (&day);

      if (weekday != G_DATE_SATURDAY && weekday != G_DATE_SUNDAY)
        seeder.days[d++] = day;
      g_date_add_days (&day, 1);
    }

  ok = signpost_store_begin (store, error) &&
       seed_practice (&seeder, &demo_practices[0], practice_1_staff,
                      G_N_ELEMENTS (practice_1_staff), scale, &practice_1, &gp_1, error) &&
       (n_practices < 2 ||
        seed_practice (&seeder, &demo_practices[1], practice_2_staff,
                       G_N_ELEMENTS (practice_2_staff), scale, &practice_2, &gp_2, error));
  if (ok)
    {
      g_ptr_array_add (region, g_strdup (practice_1));
      g_ptr_array_add (ods_codes, g_strdup (demo_practices[0].ods));
      g_ptr_array_add (duty_gps, g_strdup (gp_1));
      if (practice_2 != NULL)
        {
          g_ptr_array_add (region, g_strdup (practice_2));
          g_ptr_array_add (ods_codes, g_strdup (demo_practices[1].ods));
          g_ptr_array_add (duty_gps, g_strdup (gp_2));
        }
    }
  for (guint number = 3; ok && number <= n_practices; number++)
    {
      RegionPractice practice = { 0 };
      char *id = NULL, *gp = NULL;

      region_practice_init (&practice, sizes, number, n_practices);
      ok = seed_practice (&seeder, &practice.demo, (const DemoRole *) practice.staff->data,
                          practice.staff->len, scale, &id, &gp, error);
      if (ok)
        {
          g_ptr_array_add (region, id);
          g_ptr_array_add (ods_codes, g_strdup (practice.ods));
          g_ptr_array_add (duty_gps, gp);
        }
      region_practice_clear (&practice);
    }
  g_ptr_array_add (region, NULL);
  ok = ok &&
       seed_users (&seeder, practice_1, practice_2, gp_1, region, error) &&
       seed_region_users (&seeder, region, ods_codes, duty_gps, error) &&
       signpost_store_commit (store, error);
  if (!ok)
    signpost_store_rollback (store);

  signpost_apply_context_clear (&seeder.ctx);
  g_time_zone_unref (seeder.tz);
  g_rand_free (seeder.rand);
  return ok;
}

/**
 * signpost_demo_seed:
 * @scale: 1.0 for the full hub (10,000 and 6,000 patients); tests use less
 * @now: the time the diary is laid out around
 *
 * The standard demo: its two practices.
 */
gboolean
signpost_demo_seed (SignpostStore  *store,
                    double          scale,
                    GDateTime      *now,
                    GError        **error)
{
  return signpost_demo_seed_practices (store, SIGNPOST_DEMO_DEFAULT_PRACTICES, scale, now, error);
}

/**
 * signpost_demo_describe_practices:
 * @n_practices: as given to signpost_demo_seed_practices()
 *
 * What demo mode prints at start-up: the practices, users and secrets.
 */
char *
signpost_demo_describe_practices (guint n_practices)
{
  GString *text = g_string_new (NULL);

  g_string_append (text, _("Demo data: synthetic patients only (NHS numbers from the 999 test "
                           "range, Ofcom drama phone numbers).\n"));
  if (n_practices >= 2)
    g_string_append_printf (text, _("  Practices: %s %s (line 020 7946 0001), %s %s (line 020 7946 0002)\n"),
                            demo_practices[0].ods, demo_practices[0].name,
                            demo_practices[1].ods, demo_practices[1].name);
  else
    g_string_append_printf (text, _("  Practice: %s %s (line 020 7946 0001)\n"),
                            demo_practices[0].ods, demo_practices[0].name);
  if (n_practices == 3)
    g_string_append (text, _("  and Y99903 (line 020 7946 0003); the drama ranges hold few numbers, "
                             "so most of its patients have none\n"));
  else if (n_practices > 3)
    g_string_append_printf (text, _("  and %u more, Y99903 to Y999%02u (lines 020 7946 0003 to 020 7946 00%02u); "
                                     "the drama ranges hold few numbers, so most of their patients "
                                     "have none\n"),
                            n_practices - 2, n_practices, n_practices);
  g_string_append (text, _("  Users: navigator, hubnav, duty, manager, admin, hubmanager; for each "
                           "practice manager-y99901, navigator-y99901, duty-y99901 and so on\n"));
  g_string_append_printf (text, _("  Password for every demo user: %s\n"), SIGNPOST_DEMO_PASSWORD);
  g_string_append_printf (text, _("  Webhook secret of each demo line: %s\n"), SIGNPOST_DEMO_LINE_SECRET);
  return g_string_free (text, FALSE);
}

char *
signpost_demo_describe (void)
{
  return signpost_demo_describe_practices (SIGNPOST_DEMO_DEFAULT_PRACTICES);
}
