/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <sys/resource.h>
#include <string.h>

#include "console-test-fixtures.h"
#include "signpost-diary-page.h"
#include "signpost-sync.h"

/*
 * The diary of a regional hub, from a cache filled directly with synthetic
 * records: 4 practices, 40 clinicians, 30 slots each every working day for
 * 8 weeks (48,000 slots), about 70 % booked, 50,000 patients.
 *
 * Figures:
 *   - first suitable slot (signpost_cache_find_free_slots) over the 8 weeks,
 *     for a hub navigator and a practice navigator, several searches;
 *   - nearest alternatives to a taken slot;
 *   - a hub day of 40 clinicians × 30 slots as rows (SignpostDiaryDay);
 *   - with a display: the diary page built (date set → first frame) in a
 *     1920×1080 window, and the frame time while scrolling down and across.
 * Targets: a search < 50 ms; a day < 100 ms; frames < 16.7 ms.
 */

#define N_PRACTICES 4
#define N_CLINICIANS 40
#define SLOTS_A_DAY 30
#define N_WEEKS 8
#define N_PATIENTS 50000
#define PAGE 5000

static const struct { const char *profession; const char *title; } staff[10] = {
  { "gp", "Dr" }, { "gp", "Dr" }, { "gp", "Dr" }, { "gp", "Dr" }, { "gp", "Dr" },
  { "nurse", NULL }, { "nurse", NULL }, { "hca", NULL }, { "clinical_pharmacist", NULL },
  { "first_contact_physio", NULL },
};

static const char *given[] = { "Asha", "Ben", "Cara", "Dev", "Ewa", "Farah", "Gareth", "Hana", "Ivan", "Jess" };
static const char *family[] = { "Patel", "Okafor", "Nowak", "Khan", "Jones", "Ahmed", "Evans", "Ito", "Petrov", "Reid" };
static const char *reasons[] = { "Cough", "Back pain", "Medication review", "Rash", "Blood pressure check" };

typedef struct {
  GPtrArray *records;
  GPtrArray *kinds;
  gint64 seq;
  SignpostCache *cache;
  guint n;
} Filler;

static void
flush (Filler   *filler,
       gboolean  more)
{
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GError) error = NULL;

  if (filler->records->len == 0)
    return;
  page = test_changes_page (filler->records, filler->kinds, filler->seq, more);
  if (!signpost_cache_apply_changes (filler->cache, page, NULL, NULL, NULL, &error))
    g_error ("%s", error->message);
  filler->n += filler->records->len;
  g_ptr_array_set_size (filler->records, 0);
  g_ptr_array_set_size (filler->kinds, 0);
}

static void
add (Filler     *filler,
     const char *kind,
     JsonObject *record)
{
  json_object_set_int_member (record, "seq", ++filler->seq);
  g_ptr_array_add (filler->records, record);
  g_ptr_array_add (filler->kinds, (gpointer) kind);
  if (filler->records->len >= PAGE)
    flush (filler, TRUE);
}

static JsonObject *
base (const char *id,
      const char *practice_id)
{
  JsonObject *object = json_object_new ();

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "practice_id", practice_id);
  json_object_set_int_member (object, "version", 1);
  json_object_set_string_member (object, "updated_at", "2026-11-01T00:00:00Z");
  return object;
}

static char *
practice_id (guint p)
{
  return test_uuid_for ("hub-practice", p);
}

/* The working days from today (or the Monday after, at a weekend). */
static GArray *
working_days (GTimeZone *tz)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GArray *days = g_array_new (FALSE, FALSE, sizeof (GDate));
  GDate day;

  signpost_local_date (now, tz, &day);
  for (guint i = 0; i < N_WEEKS * 7; i++)
    {
      GDateWeekday weekday = g_date_get_weekday (&day);
      if (weekday != G_DATE_SATURDAY && weekday != G_DATE_SUNDAY)
        g_array_append_val (days, day);
      g_date_add_days (&day, 1);
    }
  return days;
}

static void
fill (SignpostCache *cache,
      GTimeZone     *tz,
      GArray        *days)
{
  Filler filler = { g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref),
                    g_ptr_array_new (), 0, cache, 0 };
  gint64 start = g_get_monotonic_time ();
  guint booked = 0, n_slots = 0;

  for (guint p = 0; p < N_PRACTICES; p++)
    {
      g_autofree char *id = practice_id (p);
      g_autofree char *name = g_strdup_printf ("Hub Practice %c", 'A' + p);
      JsonObject *practice = test_practice_json (id, name, 0);

      add (&filler, "practice", practice);
    }

  for (guint c = 0; c < N_CLINICIANS; c++)
    {
      g_autofree char *id = test_uuid_for ("hub-clinician", c);
      g_autofree char *practice = practice_id (c / 10);
      JsonObject *clinician = base (id, practice);
      JsonArray *duty = json_array_new ();

      json_object_set_string_member (clinician, "title", staff[c % 10].title);
      json_object_set_string_member (clinician, "given_name", given[c % 10]);
      json_object_set_string_member (clinician, "family_name", family[(c / 10 + c) % 10]);
      json_object_set_string_member (clinician, "profession", staff[c % 10].profession);
      /* One GP a day is the duty doctor, turn about. */
      for (guint d = 0; d < days->len; d++)
        if (c % 10 == d % 5)
          {
            JsonObject *period = json_object_new ();
            g_autoptr(GDateTime) from = signpost_local_time_to_utc (&g_array_index (days, GDate, d), 8, 0, tz);
            g_autoptr(GDateTime) to = signpost_local_time_to_utc (&g_array_index (days, GDate, d), 18, 30, tz);
            g_autofree char *from_text = signpost_timestamp_format (from);
            g_autofree char *to_text = signpost_timestamp_format (to);

            json_object_set_string_member (period, "start", from_text);
            json_object_set_string_member (period, "end", to_text);
            json_array_add_object_element (duty, period);
          }
      json_object_set_array_member (clinician, "duty", duty);
      add (&filler, "clinician", clinician);
    }

  for (guint i = 0; i < N_PATIENTS; i++)
    {
      g_autofree char *practice = practice_id (i % N_PRACTICES);
      add (&filler, "patient", test_patient_json (i, practice, 0));
    }

  for (guint d = 0; d < days->len; d++)
    for (guint c = 0; c < N_CLINICIANS; c++)
      for (guint s = 0; s < SLOTS_A_DAY; s++)
        {
          guint index = (d * N_CLINICIANS + c) * SLOTS_A_DAY + s;
          g_autofree char *id = test_uuid_for ("hub-slot", index);
          g_autofree char *clinician_id = test_uuid_for ("hub-clinician", c);
          g_autofree char *practice = practice_id (c / 10);
          g_autoptr(GDateTime) at = signpost_local_time_to_utc (&g_array_index (days, GDate, d),
                                                                8 + (30 + s * 10) / 60, (30 + s * 10) % 60, tz);
          g_autofree char *start_text = signpost_timestamp_format (at);
          gboolean gp = g_str_equal (staff[c % 10].profession, "gp");
          gboolean taken = (index * 2654435761u) % 10 < 7;
          const char *mode = gp && s < 4 ? "telephone" : s == SLOTS_A_DAY - 1 ? "home_visit"
                             : s % 5 == 4 ? "video" : "face_to_face";
          JsonObject *slot = base (id, practice);

          json_object_set_string_member (slot, "clinician_id", clinician_id);
          json_object_set_string_member (slot, "start", start_text);
          json_object_set_int_member (slot, "duration_minutes", 10);
          json_object_set_string_member (slot, "mode", mode);
          if (gp && s < 6)
            {
              g_autoptr(GDateTime) release = signpost_local_time_to_utc (&g_array_index (days, GDate, d), 8, 0, tz);
              g_autofree char *release_text = signpost_timestamp_format (release);
              json_object_set_string_member (slot, "release_at", release_text);
            }
          else
            json_object_set_null_member (slot, "release_at");
          json_object_set_boolean_member (slot, "hub_bookable", !(c % 10 == 7 || (gp && s % 3 == 2)));
          json_object_set_string_member (slot, "status", taken ? "booked" : "free");
          add (&filler, "slot", slot);
          n_slots++;
          if (taken)
            {
              g_autofree char *appointment_id = test_uuid_for ("hub-appointment", index);
              g_autofree char *patient_id = test_uuid_for ("patient", ((index * 7919) % (N_PATIENTS / N_PRACTICES)) * N_PRACTICES + c / 10);
              JsonObject *appointment = base (appointment_id, practice);

              json_object_set_string_member (appointment, "slot_id", id);
              json_object_set_string_member (appointment, "patient_id", patient_id);
              json_object_set_string_member (appointment, "reason", reasons[index % G_N_ELEMENTS (reasons)]);
              json_object_set_string_member (appointment, "status", "booked");
              add (&filler, "appointment", appointment);
              booked++;
            }
        }
  flush (&filler, FALSE);
  g_print ("Filled the cache: %u records (%u slots over %u working days, %u booked; %d patients) in %.1f s\n",
           filler.n, n_slots, days->len, booked, N_PATIENTS, (g_get_monotonic_time () - start) / 1e6);
  g_ptr_array_unref (filler.records);
  g_ptr_array_unref (filler.kinds);
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static void
report (const char *what,
        GArray     *times_ms)
{
  double sum = 0;

  g_array_sort (times_ms, compare_doubles);
  for (guint i = 0; i < times_ms->len; i++)
    sum += g_array_index (times_ms, double, i);
  g_print ("  %-52s n=%-4u mean %8.2f ms  p50 %8.2f  p95 %8.2f  max %8.2f\n", what, times_ms->len,
           sum / times_ms->len,
           g_array_index (times_ms, double, times_ms->len / 2),
           g_array_index (times_ms, double, MIN ((guint) (times_ms->len * 0.95), times_ms->len - 1)),
           g_array_index (times_ms, double, times_ms->len - 1));
}

static SignpostUser *
make_user (gboolean hub)
{
  SignpostUser *user = signpost_user_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *id = test_uuid_for ("user", hub ? 1 : 2);
  g_auto(GStrv) ids = NULL;

  for (guint p = 0; p < (hub ? N_PRACTICES : 1); p++)
    {
      g_autofree char *practice = practice_id (p);
      g_strv_builder_add (builder, practice);
    }
  ids = g_strv_builder_end (builder);
  signpost_record_set_id (SIGNPOST_RECORD (user), id);
  signpost_user_set_username (user, hub ? "hubnav" : "navigator");
  signpost_user_set_display_name (user, hub ? "Harvey Hub" : "Nadia Navigator");
  signpost_user_set_role (user, SIGNPOST_ROLE_NAVIGATOR);
  signpost_user_set_practice_ids (user, (const char * const *) ids);
  signpost_user_set_hub (user, hub);
  return user;
}

static void
time_searches (SignpostCache *cache,
               GArray        *days,
               GTimeZone     *tz)
{
  g_autoptr(SignpostUser) hub = make_user (TRUE);
  g_autoptr(SignpostUser) one = make_user (FALSE);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDate last = g_array_index (days, GDate, days->len - 1);
  g_autoptr(GDateTime) to = NULL;
  g_autofree char *gp = test_uuid_for ("hub-clinician", 12);
  g_autofree char *nurse = test_uuid_for ("hub-clinician", 25);
  struct {
    const char *what;
    SignpostUser *user;
    const char *clinician;
    int profession, mode;
    const char *preferred;
  } searches[] = {
    { "hub, anyone, any type", hub, NULL, -1, -1, NULL },
    { "hub, a GP by telephone, usual GP first", hub, NULL, SIGNPOST_PROFESSION_GP, SIGNPOST_SLOT_MODE_TELEPHONE, gp },
    { "hub, one nurse, face to face", hub, nurse, -1, SIGNPOST_SLOT_MODE_FACE_TO_FACE, NULL },
    { "hub, a physio (1 in 10 clinicians)", hub, NULL, SIGNPOST_PROFESSION_PHYSIO, -1, NULL },
    { "hub, a home visit by a GP", hub, NULL, SIGNPOST_PROFESSION_GP, SIGNPOST_SLOT_MODE_HOME_VISIT, NULL },
    { "practice, a GP, usual GP first", one, NULL, SIGNPOST_PROFESSION_GP, -1, gp },
    { "hub, nothing matches (a paramedic): the worst case", hub, NULL, SIGNPOST_PROFESSION_PARAMEDIC, -1, NULL },
  };
  g_autoptr(GArray) all = g_array_new (FALSE, FALSE, sizeof (double));

  g_date_add_days (&last, 1);
  to = signpost_local_time_to_utc (&last, 0, 0, tz);
  g_print ("\nFirst suitable slot over %u weeks (50 results at most, from now):\n", N_WEEKS);
  for (guint i = 0; i < G_N_ELEMENTS (searches); i++)
    {
      g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
      SignpostSlotBooker booker = { signpost_user_get_hub (searches[i].user),
                                    signpost_user_get_practice_ids (searches[i].user), now };
      SignpostSlotQuery query = SIGNPOST_SLOT_QUERY_INIT;
      guint found = 0;
      g_autofree char *label = NULL;

      query.practice_ids = signpost_user_get_practice_ids (searches[i].user);
      query.clinician_id = searches[i].clinician;
      query.profession = searches[i].profession;
      query.mode = searches[i].mode;
      query.preferred_clinician_id = searches[i].preferred;
      query.from = now;
      query.to = to;
      for (guint round = 0; round < 21; round++)
        {
          gint64 start = g_get_monotonic_time ();
          g_autoptr(GPtrArray) slots = signpost_cache_find_free_slots (cache, &query, &booker, NULL);
          double ms = (g_get_monotonic_time () - start) / 1000.0;

          found = slots->len;
          if (round > 0)
            {
              g_array_append_val (times, ms);
              g_array_append_val (all, ms);
            }
        }
      label = g_strdup_printf ("%s (%u found)", searches[i].what, found);
      report (label, times);
    }
  report ("every search", all);

  {
    g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
    GDate day = g_array_index (days, GDate, MIN (days->len - 1, 3));
    g_autoptr(GDateTime) from = signpost_local_time_to_utc (&day, 0, 0, tz);
    g_autoptr(GDateTime) until = g_date_time_add_days (from, 1);
    g_autoptr(GPtrArray) day_slots = signpost_cache_list_slots (cache, NULL, from, until, NULL, NULL);
    SignpostSlotBooker booker = { TRUE, signpost_user_get_practice_ids (hub), now };
    guint found = 0;

    for (guint i = 0; i < 40 && i < day_slots->len; i++)
      {
        SignpostSlot *taken = g_ptr_array_index (day_slots, (i * 29) % day_slots->len);
        gint64 start = g_get_monotonic_time ();
        g_autoptr(GPtrArray) nearest = signpost_cache_find_nearest_slots (cache, taken, &booker, 5, NULL);
        double ms = (g_get_monotonic_time () - start) / 1000.0;

        found += nearest->len;
        g_array_append_val (times, ms);
      }
    g_print ("\nNearest alternatives to a taken slot (same clinician or profession and type, ±2 weeks):\n");
    report ("5 nearest", times);
  }
}

static void
time_day_model (SignpostCache *cache,
                GArray        *days)
{
  g_autoptr(SignpostDiaryDay) day = signpost_diary_day_new (cache);
  g_autoptr(GArray) times = g_array_new (FALSE, FALSE, sizeof (double));
  guint rows = 0;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *date = signpost_date_format (&g_array_index (days, GDate, (i * 7) % days->len));
      gint64 start = g_get_monotonic_time ();
      double ms;

      signpost_diary_day_set_date (day, date);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      rows = g_list_model_get_n_items (G_LIST_MODEL (day));
      g_array_append_val (times, ms);
    }
  g_print ("\nA hub day as rows (%u clinicians × %d slots → %u rows; cache query, decode, grouping):\n",
           signpost_diary_day_get_n_columns (day), SLOTS_A_DAY, rows);
  report ("day model, date set", times);
}

/* ---- the page on screen ------------------------------------------------------------------ */

typedef struct {
  gboolean painted;
  gint64 at;
} Paint;

static void
on_after_paint (GdkFrameClock *clock,
                Paint         *paint)
{
  paint->painted = TRUE;
  paint->at = g_get_monotonic_time ();
}

static gboolean
wait_paint (Paint *paint,
            guint  timeout_ms)
{
  gint64 end = g_get_monotonic_time () + timeout_ms * 1000;

  paint->painted = FALSE;
  while (!paint->painted && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  return paint->painted;
}

/* Process CPU time (user + system), in ms: the figures above are wall
 * time, which a busy machine stretches. */
static double
cpu_ms (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return (usage.ru_utime.tv_sec + usage.ru_stime.tv_sec) * 1e3 +
         (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e3;
}

static void
time_page (SignpostCache *cache,
           GArray        *days)
{
  g_autoptr(SignpostUser) hub = make_user (TRUE);
  GtkWindow *window = GTK_WINDOW (gtk_window_new ());
  SignpostDiaryPage *page = g_object_new (SIGNPOST_TYPE_DIARY_PAGE, NULL);
  g_autoptr(GArray) builds = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) sets = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) down = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) across = g_array_new (FALSE, FALSE, sizeof (double));
  GtkScrolledWindow *scroller;
  GtkAdjustment *vadjustment, *hadjustment;
  GdkFrameClock *clock;
  Paint paint = { 0 };
  double cpu_down, cpu_across, cpu_build;

  gtk_window_set_default_size (window, 1920, 1080);
  gtk_window_set_child (window, GTK_WIDGET (page));
  signpost_diary_page_show_cache (page, cache, hub);
  gtk_window_present (window);
  while (!gtk_widget_get_mapped (GTK_WIDGET (page)))
    g_main_context_iteration (NULL, TRUE);
  clock = gtk_widget_get_frame_clock (GTK_WIDGET (window));
  g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), &paint);
  wait_paint (&paint, 5000);

  /* Building the day: the date set, columns and rows made, cells bound,
   * laid out and painted. */
  cpu_build = cpu_ms ();
  for (guint i = 0; i < 10; i++)
    {
      g_autofree char *date = signpost_date_format (&g_array_index (days, GDate, (i * 3 + 1) % days->len));
      gint64 start = g_get_monotonic_time ();
      double ms;

      signpost_diary_page_set_date (page, date);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      g_array_append_val (sets, ms);
      gtk_widget_queue_draw (GTK_WIDGET (window));
      if (!wait_paint (&paint, 10000))
        g_error ("The page was not painted");
      ms = (paint.at - start) / 1000.0;
      g_array_append_val (builds, ms);
    }
  cpu_build = (cpu_ms () - cpu_build) / 10;

  scroller = GTK_SCROLLED_WINDOW (gtk_widget_get_parent (GTK_WIDGET (signpost_diary_page_get_column_view (page))));
  vadjustment = gtk_scrolled_window_get_vadjustment (scroller);
  hadjustment = gtk_scrolled_window_get_hadjustment (scroller);
  /* Scrolling a wheel notch (about a row) at a time, down then across. */
  cpu_down = cpu_ms ();
  for (guint i = 0; i < 60; i++)
    {
      double value = gtk_adjustment_get_value (vadjustment) + 64;
      gint64 start = g_get_monotonic_time ();
      double ms;

      if (value > gtk_adjustment_get_upper (vadjustment) - gtk_adjustment_get_page_size (vadjustment))
        value = 0;
      gtk_adjustment_set_value (vadjustment, value);
      if (!wait_paint (&paint, 5000))
        break;
      ms = (paint.at - start) / 1000.0;
      g_array_append_val (down, ms);
    }
  cpu_down = (cpu_ms () - cpu_down) / MAX (down->len, 1);
  cpu_across = cpu_ms ();
  for (guint i = 0; i < 60; i++)
    {
      double value = gtk_adjustment_get_value (hadjustment) + 105;
      gint64 start = g_get_monotonic_time ();
      double ms;

      if (value > gtk_adjustment_get_upper (hadjustment) - gtk_adjustment_get_page_size (hadjustment))
        value = 0;
      gtk_adjustment_set_value (hadjustment, value);
      if (!wait_paint (&paint, 5000))
        break;
      ms = (paint.at - start) / 1000.0;
      g_array_append_val (across, ms);
    }
  cpu_across = (cpu_ms () - cpu_across) / MAX (across->len, 1);

  {
    g_autoptr(GArray) idle = g_array_new (FALSE, FALSE, sizeof (double));
    for (guint i = 0; i < 20; i++)
      {
        gint64 start = g_get_monotonic_time ();
        double ms;
        gtk_widget_queue_draw (GTK_WIDGET (window));
        if (!wait_paint (&paint, 5000))
          break;
        ms = (paint.at - start) / 1000.0;
        g_array_append_val (idle, ms);
      }
    if (idle->len > 0)
      report ("redraw with nothing changed (the renderer alone)", idle);
  }
  g_print ("\nThe diary page, a hub day (%u clinicians, %u rows) in a 1920×1080 window (%s renderer):\n",
           signpost_diary_day_get_n_columns (signpost_diary_page_get_day (page)),
           g_list_model_get_n_items (G_LIST_MODEL (signpost_diary_page_get_day (page))),
           g_getenv ("GSK_RENDERER") ? g_getenv ("GSK_RENDERER") : "default");
  report ("page build (date set → painted)", builds);
  report ("  of which the date set (rows and columns made)", sets);
  if (down->len > 0)
    report ("frame while scrolling down (a row a step)", down);
  if (across->len > 0)
    report ("frame while scrolling across (half a column)", across);
  g_print ("  CPU time (this process, user + system): %.1f ms a page build, %.1f ms a frame down, "
           "%.1f ms a frame across\n", cpu_build, cpu_down, cpu_across);
  g_signal_handlers_disconnect_by_data (clock, &paint);
  gtk_window_destroy (window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("signpost-bench-diary-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(SignpostCache) cache = NULL;
  g_autoptr(GTimeZone) tz = g_time_zone_new_identifier ("Europe/London");
  g_autoptr(GArray) days = working_days (tz);
  gboolean display;

  display = gtk_init_check ();
  g_assert_no_error (error);
  cache = signpost_cache_open (path, &error);
  g_assert_no_error (error);
  fill (cache, tz, days);

  time_searches (cache, days, tz);
  time_day_model (cache, days);
  if (display)
    time_page (cache, days);
  else
    g_print ("\nNo display: the page's build and frame times were not measured (run under xvfb-run).\n");

  g_clear_object (&cache);
  {
    const char *suffixes[] = { "", "-wal", "-shm" };
    for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
      {
        g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
        g_unlink (file);
      }
    g_rmdir (dir);
  }
  return 0;
}
