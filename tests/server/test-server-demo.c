/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "server-test-util.h"
#include "signpost-database.h"
#include "signpost-demo.h"

typedef struct {
  TestDatabase *database;
  SignpostStore *store;
} DemoStore;

static DemoStore *
demo_store_new_practices (guint  n_practices,
                          double scale)
{
  DemoStore *demo = g_new0 (DemoStore, 1);
  g_autoptr(GError) error = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  gint64 start;

  demo->database = test_database_new ();
  demo->store = signpost_database_open (test_database_location (demo->database), &error);
  g_assert_no_error (error);
  g_assert_false (signpost_demo_is_seeded (demo->store, &error));
  start = g_get_monotonic_time ();
  g_assert_true (signpost_demo_seed_practices (demo->store, n_practices, scale,
                                               now, &error));
  g_assert_no_error (error);
  g_test_message ("seeded at scale %.2f in %.2f s", scale,
                  (g_get_monotonic_time () - start) / 1e6);
  g_assert_true (signpost_demo_is_seeded (demo->store, &error));
  return demo;
}

static DemoStore *
demo_store_new (double scale)
{
  return demo_store_new_practices (SIGNPOST_DEMO_DEFAULT_PRACTICES, scale);
}

static void
demo_store_free (DemoStore *demo)
{
  g_clear_object (&demo->store);
  test_database_free (demo->database);
  g_free (demo);
}

static GPtrArray *
list (DemoStore          *demo,
      SignpostRecordKind  kind)
{
  g_autoptr(GError) error = NULL;
  GPtrArray *records = signpost_store_list_records (demo->store, kind, NULL, &error);

  g_assert_no_error (error);
  return records;
}

static void
test_patients (void)
{
  DemoStore *demo = demo_store_new (0.1);
  g_autoptr(GPtrArray) patients = list (demo, SIGNPOST_RECORD_PATIENT);
  g_autoptr(GHashTable) nhs = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) numbers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTimeZone) tz = g_time_zone_new_utc ();
  guint children = 0, old = 0, no_phone = 0, temporary = 0, alerts = 0, interpreters = 0;
  guint female = 0, male = 0;
  GHashTableIter iter;
  gpointer key, value;

  g_assert_cmpuint (patients->len, ==, 1000 + 600);
  for (guint i = 0; i < patients->len; i++)
    {
      SignpostPatient *patient = g_ptr_array_index (patients, i);
      GListModel *phones = signpost_patient_get_phones (patient);
      GListModel *list_alerts = signpost_patient_get_alerts (patient);
      const char *number = signpost_patient_get_nhs_number (patient);
      int age = signpost_age_from_iso_date (signpost_patient_get_date_of_birth (patient), now, tz);

      if (signpost_patient_get_temporary (patient))
        {
          g_assert_null (number);
          temporary++;
        }
      else
        {
          g_assert_true (g_str_has_prefix (number, "999"));
          g_assert_true (signpost_nhs_number_is_valid (number));
          g_assert_false (g_hash_table_contains (nhs, number));
          g_hash_table_add (nhs, (gpointer) number);
        }
      g_assert_cmpint (age, >=, 0);
      g_assert_cmpint (age, <=, 101);
      children += age < 18;
      old += age >= 65;
      female += signpost_patient_get_sex (patient) == SIGNPOST_SEX_FEMALE;
      male += signpost_patient_get_sex (patient) == SIGNPOST_SEX_MALE;
      g_assert_true (signpost_format_check (SIGNPOST_FORMAT_POSTCODE,
                                            signpost_patient_get_postcode (patient), NULL));
      if (phones == NULL || g_list_model_get_n_items (phones) == 0)
        no_phone++;
      for (guint j = 0; phones != NULL && j < g_list_model_get_n_items (phones); j++)
        {
          g_autoptr(SignpostPhone) phone = g_list_model_get_item (phones, j);
          const char *e164 = signpost_phone_get_number (phone);
          guint count = GPOINTER_TO_UINT (g_hash_table_lookup (numbers, e164));

          /* Ofcom's drama ranges only. */
          if (signpost_phone_get_kind (phone) == SIGNPOST_PHONE_KIND_MOBILE)
            g_assert_true (g_str_has_prefix (e164, "+447700900"));
          else
            g_assert_true (g_str_has_prefix (e164, "+441632960") ||
                           g_str_has_prefix (e164, "+441174960"));
          g_assert_cmpuint (strlen (e164), ==, 13);
          g_hash_table_insert (numbers, g_strdup (e164), GUINT_TO_POINTER (count + 1));
        }
      for (guint j = 0; list_alerts != NULL && j < g_list_model_get_n_items (list_alerts); j++)
        {
          g_autoptr(SignpostAlert) alert = g_list_model_get_item (list_alerts, j);

          alerts++;
          if (signpost_alert_get_kind (alert) == SIGNPOST_ALERT_INTERPRETER)
            {
              interpreters++;
              g_assert_nonnull (signpost_alert_get_text (alert));
            }
        }
    }
  /* Mobiles are one person's; landlines a household's, 2 to 5 people. */
  g_hash_table_iter_init (&iter, numbers);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      if (g_str_has_prefix (key, "+447700900"))
        g_assert_cmpuint (GPOINTER_TO_UINT (value), ==, 1);
      else
        {
          g_assert_cmpuint (GPOINTER_TO_UINT (value), >=, 2);
          g_assert_cmpuint (GPOINTER_TO_UINT (value), <=, 5);
        }
    }
  g_test_message ("children %u, over 65 %u, no phone %u, temporary %u, alerts %u",
                  children, old, no_phone, temporary, alerts);
  g_assert_cmpuint (children, >, patients->len / 10);
  g_assert_cmpuint (old, >, patients->len / 10);
  g_assert_cmpuint (no_phone, >, 0);
  g_assert_cmpuint (interpreters, >, 0);
  g_assert_cmpuint (female, >, patients->len / 3);
  g_assert_cmpuint (male, >, patients->len / 3);
  demo_store_free (demo);
}

static void
test_diary (void)
{
  DemoStore *demo = demo_store_new (0.01);
  g_autoptr(GPtrArray) practices = list (demo, SIGNPOST_RECORD_PRACTICE);
  g_autoptr(GPtrArray) clinicians = list (demo, SIGNPOST_RECORD_CLINICIAN);
  g_autoptr(GPtrArray) slots = list (demo, SIGNPOST_RECORD_SLOT);
  g_autoptr(GPtrArray) users = list (demo, SIGNPOST_RECORD_USER);
  g_autoptr(GTimeZone) london = g_time_zone_new_identifier ("Europe/London");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) week = g_date_time_add_days (now, 10);
  gboolean modes[4] = { FALSE };
  gboolean professions[8] = { FALSE };
  guint embargoed = 0, practice_only = 0, on_duty = 0;
  const char *duty_clinician = NULL;

  g_assert_cmpuint (practices->len, ==, 2);
  for (guint i = 0; i < practices->len; i++)
    {
      SignpostPractice *practice = g_ptr_array_index (practices, i);
      const char * const *lines = signpost_practice_get_lines (practice);
      g_autofree char *owner = NULL, *secret = NULL;
      g_autoptr(GError) error = NULL;

      g_assert_true (g_str_has_prefix (signpost_practice_get_ods_code (practice), "Y9990"));
      g_assert_cmpstr (signpost_practice_get_time_zone (practice), ==, "Europe/London");
      g_assert_nonnull (lines);
      g_assert_true (g_str_has_prefix (lines[0], "+4420794600"));
      g_assert_true (signpost_store_get_line (demo->store, lines[0], &owner,
                                              &secret, &error));
      g_assert_cmpstr (owner, ==, signpost_record_get_id (SIGNPOST_RECORD (practice)));
      g_assert_cmpstr (secret, ==, SIGNPOST_DEMO_LINE_SECRET);
    }

  for (guint i = 0; i < clinicians->len; i++)
    {
      SignpostClinician *clinician = g_ptr_array_index (clinicians, i);
      GListModel *duty = signpost_clinician_get_duty (clinician);

      professions[signpost_clinician_get_profession (clinician)] = TRUE;
      if (duty != NULL && g_list_model_get_n_items (duty) > 0)
        {
          g_assert_cmpint (signpost_clinician_get_profession (clinician), ==, SIGNPOST_PROFESSION_GP);
          on_duty++;
        }
    }
  for (guint i = 0; i < G_N_ELEMENTS (professions); i++)
    g_assert_true (professions[i]);
  g_assert_cmpuint (on_duty, >=, 2);

  g_assert_cmpuint (slots->len, >, 1000);
  for (guint i = 0; i < slots->len; i++)
    {
      SignpostSlot *slot = g_ptr_array_index (slots, i);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (signpost_slot_get_start (slot), london);
      GDateTime *release = signpost_slot_get_release_at (slot);
      int weekday = g_date_time_get_day_of_week (local);
      gint64 minutes = signpost_slot_get_duration_minutes (slot);

      modes[signpost_slot_get_mode (slot)] = TRUE;
      g_assert_cmpint (weekday, <=, 5);
      g_assert_true (minutes == 10 || minutes == 15);
      g_assert_cmpint (g_date_time_compare (signpost_slot_get_start (slot), week), <, 0);
      g_assert_cmpint (signpost_slot_get_status (slot), ==, SIGNPOST_SLOT_FREE);
      if (release != NULL)
        {
          g_autoptr(GDateTime) release_local = g_date_time_to_timezone (release, london);

          /* Embargoed until 08:00 on the day of the slot. */
          g_assert_cmpint (g_date_time_get_hour (release_local), ==, 8);
          g_assert_cmpint (g_date_time_get_minute (release_local), ==, 0);
          g_assert_cmpint (g_date_time_get_day_of_year (release_local), ==,
                           g_date_time_get_day_of_year (local));
          embargoed++;
        }
      if (!signpost_slot_get_hub_bookable (slot))
        practice_only++;
    }
  for (guint i = 0; i < G_N_ELEMENTS (modes); i++)
    g_assert_true (modes[i]);
  g_assert_cmpuint (embargoed, >, 0);
  g_assert_cmpuint (practice_only, >, 0);

  /* The five standard users, each practice's manager, navigator and duty
   * doctor, and the hub's manager. */
  g_assert_cmpuint (users->len, ==, 5 + 2 * 3 + 1);
  for (guint i = 0; i < users->len; i++)
    {
      SignpostUser *user = g_ptr_array_index (users, i);
      const char *name = signpost_user_get_username (user);

      if (g_str_equal (name, "hubnav"))
        {
          g_assert_true (signpost_user_get_hub (user));
          g_assert_cmpuint (g_strv_length ((char **) signpost_user_get_practice_ids (user)), ==, 2);
        }
      else if (g_str_equal (name, "duty"))
        {
          g_assert_cmpint (signpost_user_get_role (user), ==, SIGNPOST_ROLE_CLINICIAN);
          g_assert_cmpuint (g_strv_length ((char **) signpost_user_get_practice_ids (user)), ==, 2);
          duty_clinician = signpost_user_get_clinician_id (user);
        }
      else if (g_str_equal (name, "navigator"))
        g_assert_cmpuint (g_strv_length ((char **) signpost_user_get_practice_ids (user)), ==, 1);
    }
  /* The duty user is a GP who is on the duty rota. */
  g_assert_nonnull (duty_clinician);
  {
    g_autoptr(SignpostClinician) gp =
      (SignpostClinician *) signpost_store_get_record (demo->store,
                                                       SIGNPOST_RECORD_CLINICIAN, duty_clinician,
                                                       NULL, NULL);

    g_assert_nonnull (gp);
    g_assert_cmpuint (g_list_model_get_n_items (signpost_clinician_get_duty (gp)), >, 0);
    /* The name they sign in under is the GP's the diary marks as duty doctor. */
    for (guint i = 0; i < users->len; i++)
      if (g_strcmp0 (signpost_user_get_clinician_id (g_ptr_array_index (users, i)), duty_clinician) == 0)
        {
          g_autofree char *name = g_strdup_printf ("%s %s %s", signpost_clinician_get_title (gp),
                                                   signpost_clinician_get_given_name (gp),
                                                   signpost_clinician_get_family_name (gp));

          g_assert_cmpstr (signpost_user_get_display_name (g_ptr_array_index (users, i)), ==, name);
        }
  }
  demo_store_free (demo);
}

/* Same seed, same data (the dates aside). */
static void
test_deterministic (void)
{
  DemoStore *a = demo_store_new (0.01);
  DemoStore *b = demo_store_new (0.01);
  g_autoptr(GPtrArray) pa = list (a, SIGNPOST_RECORD_PATIENT);
  g_autoptr(GPtrArray) pb = list (b, SIGNPOST_RECORD_PATIENT);

  g_assert_cmpuint (pa->len, ==, pb->len);
  for (guint i = 0; i < pa->len; i++)
    {
      SignpostPatient *x = g_ptr_array_index (pa, i);
      SignpostPatient *y = g_ptr_array_index (pb, i);

      g_assert_cmpstr (signpost_record_get_id (SIGNPOST_RECORD (x)), ==,
                       signpost_record_get_id (SIGNPOST_RECORD (y)));
      g_assert_cmpstr (signpost_patient_get_nhs_number (x), ==, signpost_patient_get_nhs_number (y));
      g_assert_cmpstr (signpost_patient_get_family_name (x), ==, signpost_patient_get_family_name (y));
    }
  demo_store_free (a);
  demo_store_free (b);
}

/* The full hub, in one transaction; every demo user signs
 * in with the documented password. */
static void
test_full_hub (void)
{
  DemoStore *demo;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(SignpostServer) server = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SoupSession) session = soup_session_new ();
  static const char * const users[] = { "navigator", "hubnav", "duty", "manager", "admin" };
  gint64 start = g_get_monotonic_time ();

  demo = demo_store_new (1.0);
  /* How long it took is for the reader, not a pass mark: a loaded machine
   * takes longer. */
  g_test_message ("the full demo hub seeded in %.1f s",
                  (g_get_monotonic_time () - start) / (double) G_USEC_PER_SEC);
  patients = list (demo, SIGNPOST_RECORD_PATIENT);
  g_assert_cmpuint (patients->len, ==, 16000);

  server = signpost_server_new (demo->store, NULL);
  g_assert_true (signpost_server_listen (server, "127.0.0.1", 0, NULL, NULL, &error));
  for (guint i = 0; i < G_N_ELEMENTS (users); i++)
    {
      TestServer ts = { 0 };

      ts.server = server;
      ts.session = session;
      ts.base = g_strdup_printf ("http://127.0.0.1:%u", signpost_server_get_port (server));
      {
        g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}",
                                                 users[i], SIGNPOST_DEMO_PASSWORD);
        g_autoptr(TestReply) reply = test_http (&ts, NULL, "POST", "/api/v1/login", NULL, body, -1);

        g_assert_cmpuint (reply->status, ==, 200);
      }
      g_free (ts.base);
    }
  g_clear_object (&server);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  demo_store_free (demo);
}

/* --demo-open-now: the day laid out as if the phones opened at @now. */
static void
check_open_now (int         year,
                int         month,
                int         day,
                int         hour,
                int         minute,
                gboolean    weekend)
{
  g_autoptr(GTimeZone) london = g_time_zone_new_identifier ("Europe/London");
  g_autoptr(GDateTime) local_now = g_date_time_new (london, year, month, day, hour, minute, 0);
  g_autoptr(GDateTime) now = g_date_time_to_utc (local_now);
  g_autoptr(GDateTime) opening = g_date_time_new (london, year, month, day, hour, minute - minute % 5, 0);
  g_autoptr(GDateTime) first_session = g_date_time_add_minutes (opening, 30);
  g_autoptr(GDateTime) tomorrow_8 = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) before = NULL;
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GPtrArray) clinicians = NULL;
  g_autoptr(GPtrArray) users = NULL;
  g_autoptr(GHashTable) ids_before = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) by_clinician = g_hash_table_new_full (g_str_hash, g_str_equal, NULL,
                                                              (GDestroyNotify) g_ptr_array_unref);
  DemoStore *demo = g_new0 (DemoStore, 1);
  guint today = 0, bookable_now = 0, on_duty_now = 0, copies = 0;
  gboolean first_seen = FALSE;
  const char *duty_clinician = NULL;
  GDate date, next;
  GHashTableIter iter;
  gpointer value;

  demo->database = test_database_new ();
  demo->store = signpost_database_open (test_database_location (demo->database), &error);
  g_assert_no_error (error);
  g_assert_true (signpost_demo_seed (demo->store, 0.01, now, &error));
  g_assert_no_error (error);
  before = list (demo, SIGNPOST_RECORD_SLOT);
  for (guint i = 0; i < before->len; i++)
    g_hash_table_add (ids_before, (gpointer) signpost_record_get_id (g_ptr_array_index (before, i)));
  g_assert_true (signpost_demo_open_now (demo->store, now, &error));
  g_assert_no_error (error);

  g_date_clear (&date, 1);
  g_date_set_dmy (&date, day, month, year);
  next = date;
  g_date_add_days (&next, 1);
  tomorrow_8 = signpost_local_time_to_utc (&next, 8, 0, london);

  slots = list (demo, SIGNPOST_RECORD_SLOT);
  for (guint i = 0; i < slots->len; i++)
    {
      SignpostSlot *slot = g_ptr_array_index (slots, i);
      GDateTime *start = signpost_slot_get_start (slot);
      GDateTime *release = signpost_slot_get_release_at (slot);
      g_autoptr(GDateTime) local = g_date_time_to_timezone (start, london);
      GPtrArray *mine = g_hash_table_lookup (by_clinician, signpost_slot_get_clinician_id (slot));

      if (mine == NULL)
        {
          mine = g_ptr_array_new ();
          g_hash_table_insert (by_clinician, (gpointer) signpost_slot_get_clinician_id (slot), mine);
        }
      g_ptr_array_add (mine, slot);

      /* the day that opened now: from half an hour after, released */
      if (g_date_time_compare (start, now) >= 0 && g_date_time_compare (start, tomorrow_8) < 0)
        {
          today++;
          g_assert_cmpint (g_date_time_compare (start, first_session), >=, 0);
          first_seen |= g_date_time_equal (start, first_session);
          g_assert_true (release == NULL || g_date_time_compare (release, now) <= 0);
          bookable_now += signpost_slot_get_status (slot) == SIGNPOST_SLOT_FREE &&
                          signpost_slot_get_hub_bookable (slot);
          copies += !g_hash_table_contains (ids_before, signpost_record_get_id (SIGNPOST_RECORD (slot)));
        }
      /* the rest of the week is as seeded: sessions from 08:30 */
      else if (g_date_time_compare (start, tomorrow_8) >= 0)
        g_assert_cmpint (g_date_time_get_hour (local) * 60 + g_date_time_get_minute (local), >=, 8 * 60 + 30);
    }
  g_test_message ("opened at %02d:%02d: %u slots from %02d:%02d, %u of them bookable by the hub",
                  hour, minute, today, g_date_time_get_hour (first_session),
                  g_date_time_get_minute (first_session), bookable_now);
  g_assert_cmpuint (today, >, 30);
  g_assert_true (first_seen);
  g_assert_cmpuint (bookable_now, >, 10);
  /* at a weekend today's are copies of Monday's, which keeps its own */
  if (weekend)
    {
      g_assert_cmpuint (copies, ==, today);
      g_assert_cmpuint (slots->len, ==, before->len + today);
    }
  else
    g_assert_cmpuint (copies, ==, 0);

  /* nobody's slots overlap, however late the day opened */
  g_hash_table_iter_init (&iter, by_clinician);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      GPtrArray *mine = value;

      for (guint i = 0; i < mine->len; i++)
        for (guint j = i + 1; j < mine->len; j++)
          {
            SignpostSlot *a = g_ptr_array_index (mine, i), *b = g_ptr_array_index (mine, j);
            gint64 a0 = g_date_time_to_unix (signpost_slot_get_start (a));
            gint64 b0 = g_date_time_to_unix (signpost_slot_get_start (b));

            g_assert_true (a0 + signpost_slot_get_duration_minutes (a) * 60 <= b0 ||
                           b0 + signpost_slot_get_duration_minutes (b) * 60 <= a0);
          }
    }

  /* the demo's duty doctor is on duty now, and for the day ahead */
  users = list (demo, SIGNPOST_RECORD_USER);
  for (guint i = 0; i < users->len; i++)
    if (g_strcmp0 (signpost_user_get_username (g_ptr_array_index (users, i)), "duty") == 0)
      duty_clinician = signpost_user_get_clinician_id (g_ptr_array_index (users, i));
  g_assert_nonnull (duty_clinician);
  clinicians = list (demo, SIGNPOST_RECORD_CLINICIAN);
  for (guint i = 0; i < clinicians->len; i++)
    {
      SignpostClinician *clinician = g_ptr_array_index (clinicians, i);
      GListModel *duty = signpost_clinician_get_duty (clinician);

      for (guint j = 0; duty != NULL && j < g_list_model_get_n_items (duty); j++)
        {
          g_autoptr(SignpostDutyPeriod) period = g_list_model_get_item (duty, j);
          g_autoptr(GDateTime) later = g_date_time_add_hours (now, 10);

          if (g_date_time_compare (signpost_duty_period_get_start (period), now) <= 0 &&
              g_date_time_compare (signpost_duty_period_get_end (period), later) > 0)
            {
              on_duty_now++;
              if (g_str_equal (signpost_record_get_id (SIGNPOST_RECORD (clinician)), duty_clinician))
                duty_clinician = "on duty";
            }
        }
    }
  g_assert_cmpuint (on_duty_now, ==, 2); /* one per practice */
  g_assert_cmpstr (duty_clinician, ==, "on duty");

  demo_store_free (demo);
}

static void
test_open_now (void)
{
  check_open_now (2026, 12, 7, 16, 13, FALSE);   /* a Monday afternoon */
  check_open_now (2026, 12, 12, 10, 7, TRUE);    /* a Saturday morning */
  check_open_now (2026, 12, 9, 23, 58, FALSE);   /* a Wednesday, nearly midnight */
  check_open_now (2026, 12, 10, 6, 0, FALSE);    /* a Thursday, before the phones open */
}

/* --practices 9: the first two as ever, then seven more of varied sizes,
 * each with its own line, team, sessions and users, and numbers only from
 * the drama ranges (most of the extra practices' patients have none). */
static void
test_region (void)
{
  const double scale = 0.02;
  DemoStore *demo = demo_store_new_practices (9, scale);
  g_autoptr(GPtrArray) practices = list (demo, SIGNPOST_RECORD_PRACTICE);
  g_autoptr(GPtrArray) patients = list (demo, SIGNPOST_RECORD_PATIENT);
  g_autoptr(GPtrArray) clinicians = list (demo, SIGNPOST_RECORD_CLINICIAN);
  g_autoptr(GPtrArray) slots = list (demo, SIGNPOST_RECORD_SLOT);
  g_autoptr(GPtrArray) users = list (demo, SIGNPOST_RECORD_USER);
  g_autoptr(GHashTable) lines = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) per_practice = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) usernames = g_hash_table_new (g_str_hash, g_str_equal);
  guint smallest = G_MAXUINT, largest = 0, with_number = 0, region_patients = 0;
  const char *riverside = NULL;

  g_assert_cmpuint (practices->len, ==, 9);
  for (guint i = 0; i < practices->len; i++)
    {
      SignpostPractice *practice = g_ptr_array_index (practices, i);
      const char *id = signpost_record_get_id (SIGNPOST_RECORD (practice));
      const char * const *numbers = signpost_practice_get_lines (practice);
      g_autofree char *owner = NULL, *secret = NULL;
      g_autoptr(GError) error = NULL;
      gint64 registered = 0;
      guint teams = 0, sessions = 0;

      g_assert_true (g_str_has_prefix (signpost_practice_get_ods_code (practice), "Y999"));
      g_assert_nonnull (numbers);
      g_assert_true (g_str_has_prefix (numbers[0], "+4420794600"));
      g_assert_false (g_hash_table_contains (lines, numbers[0]));
      g_hash_table_add (lines, (gpointer) numbers[0]);
      g_assert_true (signpost_store_get_line (SIGNPOST_STORE (demo->store), numbers[0], &owner,
                                              &secret, &error));
      g_assert_cmpstr (owner, ==, id);
      g_assert_cmpstr (secret, ==, SIGNPOST_DEMO_LINE_SECRET);
      if (g_str_equal (signpost_practice_get_ods_code (practice), "Y99901"))
        {
          g_assert_cmpstr (signpost_practice_get_name (practice), ==, "Riverside Medical Practice");
          riverside = id;
        }

      /* The list size the hub's statistics use. */
      g_assert_true (signpost_store_count_list_size (SIGNPOST_STORE (demo->store), id, &registered,
                                                     &error));
      g_assert_no_error (error);
      g_assert_cmpint (registered, >=, 2000 * scale * 0.97);
      g_assert_cmpint (registered, <=, 20000 * scale);
      smallest = MIN (smallest, registered);
      largest = MAX (largest, registered);

      for (guint j = 0; j < clinicians->len; j++)
        if (g_str_equal (signpost_record_get_practice_id (g_ptr_array_index (clinicians, j)), id))
          teams++;
      for (guint j = 0; j < slots->len; j++)
        if (g_str_equal (signpost_record_get_practice_id (g_ptr_array_index (slots, j)), id))
          sessions++;
      g_assert_cmpuint (teams, >=, 2);
      g_assert_cmpuint (sessions, >, 50);
      g_hash_table_insert (per_practice, (gpointer) id,
                           (gpointer) signpost_practice_get_ods_code (practice));
    }
  g_assert_nonnull (riverside);
  /* Varied: the largest several times the smallest. */
  g_assert_cmpuint (largest, >=, 3 * smallest);

  for (guint i = 0; i < patients->len; i++)
    {
      SignpostPatient *patient = g_ptr_array_index (patients, i);
      GListModel *phones = signpost_patient_get_phones (patient);
      const char *ods = g_hash_table_lookup (per_practice,
                                             signpost_record_get_practice_id (SIGNPOST_RECORD (patient)));
      gboolean region = ods != NULL && !g_str_equal (ods, "Y99901") && !g_str_equal (ods, "Y99902");

      for (guint j = 0; phones != NULL && j < g_list_model_get_n_items (phones); j++)
        {
          g_autoptr(SignpostPhone) phone = g_list_model_get_item (phones, j);
          const char *e164 = signpost_phone_get_number (phone);

          g_assert_true (g_str_has_prefix (e164, "+447700900") ||
                         g_str_has_prefix (e164, "+441632960") ||
                         g_str_has_prefix (e164, "+441174960") ||
                         g_str_has_prefix (e164, "+442079460"));
          /* Never a practice's own line. */
          g_assert_false (g_hash_table_contains (lines, e164));
        }
      if (region)
        {
          region_patients++;
          if (phones != NULL && g_list_model_get_n_items (phones) > 0)
            with_number++;
        }
    }
  g_test_message ("the extra practices' patients: %u, of whom %u have a number",
                  region_patients, with_number);
  g_assert_cmpuint (with_number, >, 0);

  for (guint i = 0; i < users->len; i++)
    {
      SignpostUser *user = g_ptr_array_index (users, i);
      const char *name = signpost_user_get_username (user);
      guint n = g_strv_length ((char **) signpost_user_get_practice_ids (user));

      g_hash_table_add (usernames, (gpointer) name);
      if (g_str_equal (name, "hubmanager") || g_str_equal (name, "hubnav"))
        g_assert_cmpuint (n, ==, 9);
      else if (g_str_equal (name, "manager") || g_str_equal (name, "duty"))
        g_assert_cmpuint (n, ==, 2);
      else if (g_str_has_prefix (name, "manager-y999") || g_str_has_prefix (name, "navigator-y999") ||
               g_str_has_prefix (name, "duty-y999"))
        g_assert_cmpuint (n, ==, 1);
    }
  g_assert_cmpuint (users->len, ==, 5 + 9 * 3 + 1);
  g_assert_true (g_hash_table_contains (usernames, "manager-y99909"));
  g_assert_true (g_hash_table_contains (usernames, "navigator-y99903"));
  g_assert_true (g_hash_table_contains (usernames, "duty-y99901"));
  demo_store_free (demo);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/demo/patients", test_patients);
  g_test_add_func ("/signpost/server/demo/diary", test_diary);
  g_test_add_func ("/signpost/server/demo/deterministic", test_deterministic);
  g_test_add_func ("/signpost/server/demo/full-hub", test_full_hub);
  g_test_add_func ("/signpost/server/demo/open-now", test_open_now);
  g_test_add_func ("/signpost/server/demo/region", test_region);

  return g_test_run ();
}
