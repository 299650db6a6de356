/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "console-test-fixtures.h"
#include "signpost-online-hours-text.h"
#include "signpost-online-rules.h"
#include "signpost-request-format.h"
#include "signpost-sync.h"

/*
 * The Requests list without a display or a server: its order and filters
 * as the cache answers them and as the model keeps them while records
 * change, the deadlines and how they are worded, the cache's migration,
 * the online form's hours as typed and the day's figures as read.
 * test-requests-server.c has the typed actions against a real server.
 */

/* ---- a cache of synthetic requests ------------------------------------------------------ */

typedef struct {
  char *dir;
  SignpostCache *cache;
  gint64 seq;
  GDateTime *now;     /* what "now" the records are laid out around */
} Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("signpost-requests-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "cache.db", NULL);
  f->cache = signpost_cache_open (path, &error);
  g_assert_no_error (error);
  test_fill_patients (f->cache, 10);
  f->seq = 100;
  f->now = g_date_time_new_now_utc ();
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_strdup (signpost_cache_get_path (f->cache));
  const char *suffixes[] = { "", "-wal", "-shm" };

  g_clear_object (&f->cache);
  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);
      g_unlink (file);
    }
  g_rmdir (f->dir);
  g_free (f->dir);
  g_date_time_unref (f->now);
}

typedef struct {
  guint index;
  const char *practice_id;
  const char *source;         /* "phone", "online", "intake" */
  const char *status;
  const char *urgency;
  int respond_in_minutes;     /* from now; G_MININT: no respond_by */
  int arrived_minutes_ago;
  gboolean matched;
  const char *reason;
} Spec;

static char *
instant_from_now (Fixture *f,
                  int      minutes)
{
  g_autoptr(GDateTime) then = g_date_time_add_minutes (f->now, minutes);

  return signpost_timestamp_format (then);
}

static char *
request_id (guint index)
{
  return test_uuid_for ("triage", index);
}

static JsonObject *
request_json (Fixture    *f,
              const Spec *spec)
{
  JsonObject *object = json_object_new ();
  g_autofree char *id = request_id (spec->index);
  g_autofree char *patient = test_uuid_for ("patient", spec->index % 10);
  g_autofree char *updated = instant_from_now (f, -1);
  g_autofree char *created = instant_from_now (f, -spec->arrived_minutes_ago);

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "practice_id", spec->practice_id ? spec->practice_id : TEST_PRACTICE_A);
  json_object_set_int_member (object, "version", 1);
  json_object_set_string_member (object, "updated_at", updated);
  json_object_set_int_member (object, "seq", ++f->seq);
  json_object_set_string_member (object, "reason", spec->reason ? spec->reason : "A cough for three weeks");
  json_object_set_string_member (object, "urgency", spec->urgency ? spec->urgency : "routine");
  json_object_set_string_member (object, "status", spec->status ? spec->status : "open");
  json_object_set_string_member (object, "source", spec->source ? spec->source : "online");
  json_object_set_string_member (object, "created_at", created);
  if (spec->respond_in_minutes != G_MININT)
    {
      g_autofree char *respond_by = instant_from_now (f, spec->respond_in_minutes);
      json_object_set_string_member (object, "respond_by", respond_by);
    }
  if (spec->matched)
    json_object_set_string_member (object, "patient_id", patient);
  else
    {
      JsonObject *details = json_object_new ();

      json_object_set_string_member (details, "given_name", "Ada");
      json_object_set_string_member (details, "family_name", "Testcase");
      json_object_set_string_member (details, "date_of_birth", "1980-02-29");
      json_object_set_string_member (details, "postcode", "LS1 4AP");
      json_object_set_object_member (object, "patient_details", details);
    }
  return object;
}

static void
put (Fixture    *f,
     const Spec *spec)
{
  g_autoptr(JsonObject) object = request_json (f, spec);

  test_apply_record (f->cache, "triage", object);
}

/* The ids of @records, as a comma-separated string of indexes. */
static char *
order_of (GPtrArray *records)
{
  GString *text = g_string_new (NULL);

  for (guint i = 0; i < records->len; i++)
    {
      const char *id = signpost_record_get_id (g_ptr_array_index (records, i));

      for (guint index = 0; index < 100; index++)
        {
          g_autofree char *candidate = request_id (index);
          if (g_str_equal (candidate, id))
            g_string_append_printf (text, "%s%u", text->len ? "," : "", index);
        }
    }
  return g_string_free (text, FALSE);
}

static char *
model_order (GListModel *model)
{
  g_autoptr(GPtrArray) items = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    g_ptr_array_add (items, g_list_model_get_item (model, i));
  return order_of (items);
}

static char *
cache_order (SignpostCache *cache,
             const char    *practice_id,
             int            source,
             gboolean       unmatched_only)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = signpost_cache_list_requests (cache, practice_id, source, unmatched_only, &error);

  g_assert_no_error (error);
  return order_of (records);
}

/* A morning's mix: every channel, some with red flags, some overdue, one
 * from before deadlines were kept, some no longer open. */
static const Spec morning[] = {
  { 1, NULL, "online", "open", "routine", 600, 30, FALSE, NULL },
  { 2, NULL, "online", "open", "routine", 90, 1500, TRUE, NULL },
  { 3, NULL, "phone", "open", "routine", -20, 1600, TRUE, NULL },
  { 4, NULL, "intake", "open", "same_day", 1400, 5, FALSE, NULL },
  { 5, NULL, "online", "awaiting_duty", "routine", 30, 40, TRUE, NULL },
  { 6, NULL, "online", "open", "routine", G_MININT, 3000, TRUE, NULL },
  { 7, NULL, "phone", "open", "within_2_weeks", 1000, 10, TRUE, NULL },
  { 8, TEST_PRACTICE_B, "online", "open", "routine", 200, 60, FALSE, NULL },
  { 9, NULL, "online", "closed", "routine", 100, 70, TRUE, NULL },
  { 10, NULL, "online", "open", "routine", 600, 45, FALSE, NULL },
  { 11, NULL, "intake", "open", "emergency", 1440, 1, TRUE, NULL },
};

static void
put_morning (Fixture *f)
{
  for (guint i = 0; i < G_N_ELEMENTS (morning); i++)
    put (f, &morning[i]);
}

static void
test_order (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *all = NULL;
  g_autofree char *online = NULL;
  g_autofree char *phone = NULL;
  g_autofree char *intake = NULL;
  g_autofree char *unmatched = NULL;
  g_autofree char *practice_a = NULL;
  g_autofree char *practice_b = NULL;

  put_morning (f);

  /* Open only; the most urgent first (999, then Red, then Amber), then
   * the nearest reply-by (overdue first), those without one last, then
   * the oldest: 10 came 15 minutes before 1, with the same deadline. */
  all = cache_order (f->cache, NULL, -1, FALSE);
  g_assert_cmpstr (all, ==, "11,4,7,3,2,8,10,1,6");
  online = cache_order (f->cache, NULL, SIGNPOST_REQUEST_SOURCE_ONLINE, FALSE);
  g_assert_cmpstr (online, ==, "2,8,10,1,6");
  phone = cache_order (f->cache, NULL, SIGNPOST_REQUEST_SOURCE_PHONE, FALSE);
  g_assert_cmpstr (phone, ==, "7,3");
  intake = cache_order (f->cache, NULL, SIGNPOST_REQUEST_SOURCE_INTAKE, FALSE);
  g_assert_cmpstr (intake, ==, "11,4");
  unmatched = cache_order (f->cache, NULL, -1, TRUE);
  g_assert_cmpstr (unmatched, ==, "4,8,10,1");
  practice_a = cache_order (f->cache, TEST_PRACTICE_A, -1, FALSE);
  g_assert_cmpstr (practice_a, ==, "11,4,7,3,2,10,1,6");
  practice_b = cache_order (f->cache, TEST_PRACTICE_B, SIGNPOST_REQUEST_SOURCE_ONLINE, TRUE);
  g_assert_cmpstr (practice_b, ==, "8");

  /* The model reads the same, and its compare agrees with the query. */
  {
    g_autoptr(SignpostRequestListModel) model = signpost_request_list_model_new (f->cache);
    g_autofree char *shown = model_order (G_LIST_MODEL (model));
    g_autofree char *filtered = NULL;

    g_assert_cmpstr (shown, ==, all);
    for (guint i = 1; i < g_list_model_get_n_items (G_LIST_MODEL (model)); i++)
      {
        g_autoptr(SignpostTriage) a = g_list_model_get_item (G_LIST_MODEL (model), i - 1);
        g_autoptr(SignpostTriage) b = g_list_model_get_item (G_LIST_MODEL (model), i);
        g_assert_cmpint (signpost_request_list_compare (a, b), <=, 0);
      }
    signpost_request_list_model_set_source (model, SIGNPOST_REQUEST_SOURCE_ONLINE);
    signpost_request_list_model_set_unmatched_only (model, TRUE);
    filtered = model_order (G_LIST_MODEL (model));
    g_assert_cmpstr (filtered, ==, "8,10,1");
  }
}

typedef struct {
  guint emissions;
  guint changed_rows;
} Emissions;

static void
on_items_changed (GListModel *model,
                  guint       position,
                  guint       removed,
                  guint       added,
                  Emissions  *emissions)
{
  emissions->emissions++;
  emissions->changed_rows += MAX (removed, added);
}

/* After each change the model holds what a fresh query returns, and it
 * got there by touching only the rows that moved. */
static void
assert_follows (Fixture                  *f,
                SignpostRequestListModel *model,
                Emissions                *emissions,
                guint                     max_rows)
{
  g_autofree char *shown = model_order (G_LIST_MODEL (model));
  g_autofree char *fresh = cache_order (f->cache, signpost_request_list_model_get_practice_id (model),
                                        signpost_request_list_model_get_source (model),
                                        signpost_request_list_model_get_unmatched_only (model));

  g_assert_cmpstr (shown, ==, fresh);
  g_assert_cmpuint (emissions->changed_rows, <=, max_rows);
  emissions->emissions = 0;
  emissions->changed_rows = 0;
}

static void
test_follows_changes (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SignpostRequestListModel) model = NULL;
  Emissions emissions = { 0 };
  Spec spec;

  put_morning (f);
  model = signpost_request_list_model_new (f->cache);
  signpost_request_list_model_set_unmatched_only (model, FALSE);
  g_signal_connect (model, "items-changed", G_CALLBACK (on_items_changed), &emissions);

  /* A new online request with red flags goes to the top. */
  spec = (Spec) { 20, NULL, "online", "open", "same_day", 1400, 0, FALSE, NULL };
  put (f, &spec);
  assert_follows (f, model, &emissions, 1);
  /* Routed to the duty doctor: it leaves the list. */
  spec = (Spec) { 2, NULL, "online", "awaiting_duty", "routine", 90, 1500, TRUE, NULL };
  put (f, &spec);
  assert_follows (f, model, &emissions, 1);
  /* Sent back by the doctor: it comes again, where it belongs. */
  spec.status = "open";
  put (f, &spec);
  assert_follows (f, model, &emissions, 1);
  /* A navigator decides it is Amber: it moves above the routine ones. */
  spec = (Spec) { 1, NULL, "online", "open", "within_2_weeks", 600, 30, FALSE, NULL };
  put (f, &spec);
  assert_follows (f, model, &emissions, 2);
  /* Filters, then a match that takes one out of "not matched yet". */
  signpost_request_list_model_set_unmatched_only (model, TRUE);
  emissions = (Emissions) { 0 };
  assert_follows (f, model, &emissions, 0);
  spec = (Spec) { 10, NULL, "online", "open", "routine", 600, 45, TRUE, NULL };
  put (f, &spec);
  assert_follows (f, model, &emissions, 1);
  signpost_request_list_model_set_source (model, SIGNPOST_REQUEST_SOURCE_INTAKE);
  emissions = (Emissions) { 0 };
  assert_follows (f, model, &emissions, 0);
  signpost_request_list_model_set_practice_id (model, TEST_PRACTICE_B);
  emissions = (Emissions) { 0 };
  assert_follows (f, model, &emissions, 0);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
}

/* ---- deadlines and words --------------------------------------------------------------------- */

static SignpostTriage *
request_due (GDateTime *now,
             int        seconds)
{
  SignpostTriage *triage = signpost_triage_new ();
  g_autoptr(GDateTime) respond_by = g_date_time_add_seconds (now, seconds);

  signpost_triage_set_respond_by (triage, respond_by);
  return triage;
}

static void
assert_deadline (GDateTime             *now,
                 int                    seconds,
                 SignpostDeadlineState  state,
                 const char            *words)
{
  g_autoptr(SignpostTriage) triage = request_due (now, seconds);
  g_autofree char *text = signpost_request_format_time_left (triage, now);

  g_assert_cmpint (signpost_request_deadline_state (triage, now), ==, state);
  g_assert_cmpstr (text, ==, words);
  /* Never told by colour alone: every state has an icon of its own. */
  g_assert_nonnull (signpost_request_deadline_icon (state));
}

static void
test_deadlines (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 16, 9, 0, 0);
  g_autoptr(GTimeZone) london = signpost_time_zone_new ("Europe/London", NULL);
  g_autoptr(SignpostTriage) none = signpost_triage_new ();
  g_autofree char *none_text = signpost_request_format_time_left (none, now);
  const SignpostDeadlineState states[] = {
    SIGNPOST_DEADLINE_OK, SIGNPOST_DEADLINE_SOON, SIGNPOST_DEADLINE_DUE, SIGNPOST_DEADLINE_OVERDUE,
  };

  assert_deadline (now, 2 * 86400 + 3 * 3600 + 59, SIGNPOST_DEADLINE_OK, "2 days 3 h left");
  assert_deadline (now, 33 * 3600 + 30 * 60, SIGNPOST_DEADLINE_OK, "33 h 30 min left");
  assert_deadline (now, 4 * 3600 + 1, SIGNPOST_DEADLINE_OK, "4 h 00 min left");
  assert_deadline (now, 4 * 3600, SIGNPOST_DEADLINE_SOON, "4 h 00 min left");
  assert_deadline (now, 3600 + 60, SIGNPOST_DEADLINE_SOON, "1 h 01 min left");
  assert_deadline (now, 3600, SIGNPOST_DEADLINE_DUE, "1 h 00 min left");
  assert_deadline (now, 40 * 60, SIGNPOST_DEADLINE_DUE, "40 min left");
  assert_deadline (now, 30, SIGNPOST_DEADLINE_DUE, "under a minute left");
  assert_deadline (now, 0, SIGNPOST_DEADLINE_OVERDUE, "Overdue by under a minute");
  assert_deadline (now, -25 * 60, SIGNPOST_DEADLINE_OVERDUE, "Overdue by 25 min");
  assert_deadline (now, -(3 * 86400), SIGNPOST_DEADLINE_OVERDUE, "Overdue by 3 days");
  g_assert_cmpint (signpost_request_deadline_state (none, now), ==, SIGNPOST_DEADLINE_NONE);
  g_assert_cmpstr (none_text, ==, "No reply-by time");
  /* Amber and red each look different from the rest. */
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    for (guint j = i + 1; j < G_N_ELEMENTS (states); j++)
      g_assert_cmpstr (signpost_request_deadline_icon (states[i]), !=, signpost_request_deadline_icon (states[j]));
  g_assert_cmpstr (signpost_request_deadline_class (SIGNPOST_DEADLINE_SOON), ==, "deadline-amber");
  g_assert_cmpstr (signpost_request_deadline_class (SIGNPOST_DEADLINE_OVERDUE), ==, "deadline-red");

  /* The clock time in the practice's zone: 18:30 on a summer day is
   * 17:30 UTC. */
  {
    g_autoptr(GDateTime) monday = g_date_time_new_utc (2026, 6, 15, 9, 0, 0);
    g_autoptr(GDateTime) tuesday_1830 = g_date_time_new_utc (2026, 6, 16, 17, 30, 0);
    g_autoptr(GDateTime) friday_1830 = g_date_time_new_utc (2026, 6, 19, 17, 30, 0);
    g_autoptr(SignpostTriage) triage = signpost_triage_new ();
    g_autofree char *tomorrow = NULL;
    g_autofree char *today = NULL;
    g_autofree char *later = NULL;
    g_autofree char *late = NULL;
    g_autoptr(GDateTime) wednesday = g_date_time_new_utc (2026, 6, 17, 9, 0, 0);
    g_autoptr(GDateTime) saturday = g_date_time_new_utc (2026, 6, 20, 9, 0, 0);

    signpost_triage_set_respond_by (triage, tuesday_1830);
    tomorrow = signpost_request_format_reply_by (triage, monday, london);
    g_assert_cmpstr (tomorrow, ==, "Reply by 18:30 tomorrow");
    today = signpost_request_format_reply_by (triage, tuesday_1830, london);
    g_assert_cmpstr (today, ==, "Reply by 18:30 today");
    late = signpost_request_format_reply_by (triage, wednesday, london);
    g_assert_cmpstr (late, ==, "Reply was due by 18:30 yesterday");
    signpost_triage_set_respond_by (triage, friday_1830);
    later = signpost_request_format_reply_by (triage, monday, london);
    g_assert_cmpstr (later, ==, "Reply by 18:30 on Fri 19 Jun");
    g_clear_pointer (&later, g_free);
    later = signpost_request_format_reply_by (triage, saturday, london);
    g_assert_cmpstr (later, ==, "Reply was due by 18:30 yesterday");
  }
}

static void
test_words (void)
{
  g_autoptr(SignpostTriage) online = signpost_triage_new ();
  g_autoptr(SignpostTriage) phone = signpost_triage_new ();
  g_autoptr(SignpostPatientDetails) details = signpost_patient_details_new ();
  g_autoptr(GDateTime) now = g_date_time_new_utc (2026, 11, 16, 9, 0, 0);
  const char *screened[] = { "chest_pain", "stroke_signs", "severe_breathlessness", NULL };
  const char *flagged[] = { "chest_pain", NULL };
  const char *mornings[] = { "morning", NULL };
  g_autofree char *flags = NULL;
  g_autofree char *phone_flags = NULL;
  g_autofree char *type = NULL;
  g_autofree char *stated = NULL;
  g_autofree char *query = NULL;
  g_autofree char *times = NULL;

  signpost_triage_set_source (online, SIGNPOST_REQUEST_SOURCE_ONLINE);
  signpost_triage_set_screened_flags (online, screened);
  flags = signpost_request_format_flags (online);
  g_assert_cmpstr (flags, ==, "Answered no to all 3 red-flag questions");
  g_clear_pointer (&flags, g_free);
  signpost_triage_set_screened_flags (online, NULL);
  flags = signpost_request_format_flags (online);
  g_assert_cmpstr (flags, ==, "Red-flag questions not asked: ask them");
  g_clear_pointer (&flags, g_free);
  signpost_triage_set_red_flags (online, flagged);
  flags = signpost_request_format_flags (online);
  g_assert_true (g_str_has_prefix (flags, "Red flag: Chest pain"));
  phone_flags = signpost_request_format_flags (phone);
  g_assert_cmpstr (phone_flags, ==, "No red flags ticked");

  g_assert_cmpstr (signpost_request_format_source (online), ==, "Online form");
  g_assert_cmpstr (signpost_request_format_source (phone), ==, "Phone");
  signpost_triage_set_source (phone, SIGNPOST_REQUEST_SOURCE_INTAKE);
  signpost_triage_set_source_name (phone, "acme-consult");
  g_assert_cmpstr (signpost_request_format_source (phone), ==, "acme-consult");
  g_assert_cmpstr (signpost_request_source_icon (SIGNPOST_REQUEST_SOURCE_ONLINE), !=,
                   signpost_request_source_icon (SIGNPOST_REQUEST_SOURCE_PHONE));

  signpost_triage_set_request_type (online, "admin");
  signpost_triage_set_admin_topic (online, "repeat_prescription");
  type = signpost_request_format_type (online);
  g_assert_cmpstr (type, ==, "Admin: repeat prescription");

  signpost_patient_details_set_given_name (details, "Zoë");
  signpost_patient_details_set_family_name (details, "O'Brien-Smith");
  signpost_patient_details_set_date_of_birth (details, "1980-03-12");
  signpost_patient_details_set_postcode (details, "LS1 4AP");
  signpost_triage_set_patient_details (online, details);
  stated = signpost_request_format_stated_patient (online, now);
  g_assert_cmpstr (stated, ==, "O'BRIEN-SMITH, Zoë · born 12-Mar-1980 (46y) · LS1 4AP");
  query = signpost_request_stated_patient_query (online);
  g_assert_cmpstr (query, ==, "O'Brien-Smith 12/03/1980");

  signpost_triage_set_contact_times (online, mornings);
  times = signpost_request_format_contact_times (online);
  g_assert_cmpstr (times, ==, "Mornings · do not leave a message");
}

/* ---- the cache made by an older console ------------------------------------------------------ */

static void
test_migration (Fixture       *f,
                gconstpointer  data)
{
  g_autofree char *path = g_strdup (signpost_cache_get_path (f->cache));
  g_autofree char *first = request_id (1);
  g_autofree char *second = request_id (2);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  sqlite3 *db;

  put_morning (f);
  before = cache_order (f->cache, NULL, -1, FALSE);
  g_assert_true (signpost_cache_queue_request_view (f->cache, first, "requests", &error));
  g_assert_no_error (error);
  g_clear_object (&f->cache);

  /* As the first version left it: no request columns, views of
   * patients only. */
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db,
                                 "DROP INDEX triage_requests;"
                                 "ALTER TABLE triage_index DROP COLUMN source;"
                                 "ALTER TABLE triage_index DROP COLUMN respond_by_ms;"
                                 "ALTER TABLE triage_index DROP COLUMN arrived_ms;"
                                 "DROP TABLE pending_views;"
                                 "CREATE TABLE pending_views ("
                                 "  position INTEGER PRIMARY KEY AUTOINCREMENT,"
                                 "  patient_id TEXT NOT NULL, context TEXT, at TEXT NOT NULL);"
                                 "INSERT INTO pending_views (patient_id, context, at)"
                                 "  VALUES ('6e71a7cd-07fc-4aeb-8bef-a9aa5f8bc0aa', 'search', '2026-11-16T09:00:00Z');"
                                 "PRAGMA user_version = 1;",
                                 NULL, NULL, NULL), ==, SQLITE_OK);
  sqlite3_close (db);

  f->cache = signpost_cache_open (path, &error);
  g_assert_no_error (error);
  after = cache_order (f->cache, NULL, -1, FALSE);
  g_assert_cmpstr (after, ==, before);
  /* The view waiting to be sent survived, and a request's can be kept. */
  g_assert_true (signpost_cache_queue_request_view (f->cache, second, "requests", &error));
  g_assert_no_error (error);
}

static guint
count_attention (SignpostCache *cache,
                 const char    *practice_id,
                 GDateTime     *due_before)
{
  g_autoptr(GError) error = NULL;
  guint n = G_MAXUINT;

  g_assert_true (signpost_cache_count_requests_needing_attention (cache, practice_id, due_before, &n, &error));
  g_assert_no_error (error);
  return n;
}

static void
test_attention (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) in_an_hour = g_date_time_add_hours (now, 1);
  g_autoptr(GDateTime) in_two_days = g_date_time_add_days (now, 2);

  put_morning (f);
  /* Open and Red or 999 (11, 4), or due within the hour (3 overdue). */
  g_assert_cmpuint (count_attention (f->cache, NULL, in_an_hour), ==, 3);
  g_assert_cmpuint (count_attention (f->cache, TEST_PRACTICE_B, in_an_hour), ==, 0);
  /* Everything with a deadline in two days: all open ones but 6. */
  g_assert_cmpuint (count_attention (f->cache, NULL, in_two_days), ==, 8);
}

/* ---- the online form's settings as typed ------------------------------------------------------ */

static void
test_hours_text (void)
{
  g_autoptr(GListStore) store = g_list_store_new (SIGNPOST_TYPE_OPENING_HOURS);
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) dates = NULL;
  g_autofree char *monday = NULL;
  g_autofree char *tuesday = NULL;
  g_autofree char *dates_text = NULL;
  const char *bad[] = { "8 till 6", "18:30–08:00", "08:00–12:30, 12:00–18:30", "25:00–26:00", "08:00", NULL };

  g_assert_true (signpost_online_hours_text_parse ("8:00 - 12:30, 13:30 to 18:30", SIGNPOST_WEEKDAY_MONDAY, store, &error));
  g_assert_no_error (error);
  g_assert_true (signpost_online_hours_text_parse ("07:00–24:00", SIGNPOST_WEEKDAY_TUESDAY, store, &error));
  g_assert_true (signpost_online_hours_text_parse ("  ", SIGNPOST_WEEKDAY_SUNDAY, store, &error));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, 3);
  monday = signpost_online_hours_text_for_day (G_LIST_MODEL (store), SIGNPOST_WEEKDAY_MONDAY);
  g_assert_cmpstr (monday, ==, "08:00–12:30, 13:30–18:30");
  tuesday = signpost_online_hours_text_for_day (G_LIST_MODEL (store), SIGNPOST_WEEKDAY_TUESDAY);
  g_assert_cmpstr (tuesday, ==, "07:00–24:00");
  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) local_error = NULL;
      guint n = g_list_model_get_n_items (G_LIST_MODEL (store));

      g_assert_false (signpost_online_hours_text_parse (bad[i], SIGNPOST_WEEKDAY_FRIDAY, store, &local_error));
      g_assert_error (local_error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (store)), ==, n);
    }

  dates = signpost_online_dates_text_parse ("31/12/2026, 2026-12-24,24/12/2026", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (dates), ==, 2);
  g_assert_cmpstr (dates[0], ==, "2026-12-24");
  g_assert_cmpstr (dates[1], ==, "2026-12-31");
  dates_text = signpost_online_dates_text ((const char * const *) dates);
  g_assert_cmpstr (dates_text, ==, "24/12/2026, 31/12/2026");
  g_assert_null (signpost_online_dates_text_parse ("31/02/2026", &error));
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
}

/* ---- the day's figures ------------------------------------------------------------------------- */

static void
test_day_stats (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = json_from_string (
    "{\"practice_id\": \"6e71a7cd-07fc-4aeb-8bef-a9aa5f8bc001\", \"date\": \"2026-11-16\","
    " \"intervals\": [{\"start\": \"2026-11-16T08:00:00Z\", \"offered\": 0, \"answered\": 0, \"abandoned\": 0,"
    "   \"missed\": 0, \"callbacks_requested\": 0, \"callbacks_made\": 0, \"mean_wait_s\": null,"
    "   \"longest_wait_s\": null, \"mean_abandon_s\": null, \"mean_talk_s\": null, \"service_level\": null,"
    "   \"online_requests\": 3,"
    "   \"online_medical\": 2, \"online_admin\": 1, \"online_with_outcome\": 1,"
    "   \"online_mean_wait_for_outcome_s\": 5400.5, \"online_longest_wait_for_outcome_s\": 5400.5,"
    "   \"online_late\": 0, \"emergency_stops\": 2}],"
    " \"totals\": {\"start\": \"2026-11-16T08:00:00Z\", \"offered\": 0, \"answered\": 0, \"abandoned\": 0,"
    "   \"missed\": 0, \"callbacks_requested\": 0, \"callbacks_made\": 0, \"mean_wait_s\": null,"
    "   \"longest_wait_s\": null, \"mean_abandon_s\": null, \"mean_talk_s\": null, \"service_level\": null,"
    "   \"online_requests\": 3},"
    " \"requests\": [{\"received_at\": \"2026-11-16T08:03:00Z\", \"source\": \"online\","
    "   \"request_type\": \"medical\", \"outcome_at\": \"2026-11-16T09:33:00.500Z\","
    "   \"wait_for_outcome_s\": 5400.5, \"respond_by\": \"2026-11-17T18:30:00Z\", \"late\": false},"
    "  {\"received_at\": \"2026-11-16T08:10:00Z\", \"source\": \"intake\", \"request_type\": \"admin\","
    "   \"outcome_at\": null, \"wait_for_outcome_s\": null, \"respond_by\": \"2026-11-17T18:30:00Z\","
    "   \"late\": true}]}", &error);
  g_autoptr(SignpostDayStats) day = NULL;
  const SignpostStatsInterval *eight;
  SignpostStatsRequest *first, *second;
  const char *bad[] = {
    "[3]",
    "[{\"received_at\": \"soon\", \"wait_for_outcome_s\": null}]",
    "[{\"received_at\": \"2026-11-16T08:03:00Z\", \"wait_for_outcome_s\": \"long\"}]",
    "[{\"wait_for_outcome_s\": 3}]",
  };

  g_assert_no_error (error);
  day = signpost_day_stats_new_from_json (node, &error);
  g_assert_no_error (error);
  eight = signpost_day_stats_get_interval (day, 0);
  g_assert_cmpfloat (eight->online_medical, ==, 2);
  g_assert_cmpfloat (eight->online_admin, ==, 1);
  g_assert_cmpfloat (eight->online_longest_wait_for_outcome_s, ==, 5400.5);
  g_assert_cmpfloat (eight->emergency_stops, ==, 2);
  g_assert_cmpuint (day->requests->len, ==, 2);
  first = g_ptr_array_index (day->requests, 0);
  second = g_ptr_array_index (day->requests, 1);
  g_assert_cmpstr (first->source, ==, "online");
  g_assert_cmpstr (first->request_type, ==, "medical");
  g_assert_nonnull (first->outcome_at);
  g_assert_cmpfloat (first->wait_for_outcome_s, ==, 5400.5);
  g_assert_false (first->late);
  g_assert_null (second->outcome_at);
  g_assert_true (isnan (second->wait_for_outcome_s));
  g_assert_true (second->late);

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonNode) bad_node = json_node_copy (node);
      g_autoptr(JsonNode) requests = json_from_string (bad[i], NULL);
      g_autoptr(SignpostDayStats) refused = NULL;

      /* The day as it was, with only its list of requests spoiled. */
      json_object_set_member (json_node_get_object (bad_node), "requests", g_steal_pointer (&requests));
      refused = signpost_day_stats_new_from_json (bad_node, &local_error);

      g_assert_null (refused);
      g_assert_error (local_error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;

  data_home = g_dir_make_tmp ("signpost-data-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("TZ", "Europe/London", TRUE);

  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/signpost/requests/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("order", test_order);
  ADD ("follows-changes", test_follows_changes);
  ADD ("migration", test_migration);
  ADD ("attention", test_attention);
#undef ADD
  g_test_add_func ("/signpost/requests/deadlines", test_deadlines);
  g_test_add_func ("/signpost/requests/words", test_words);
  g_test_add_func ("/signpost/requests/hours-text", test_hours_text);
  g_test_add_func ("/signpost/requests/day-stats", test_day_stats);

  return g_test_run ();
}
