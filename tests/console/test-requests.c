/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>
#include <math.h>
#include <sqlite3.h>
#include <string.h>

#include "console-test-fixtures.h"
#include "console-test-online.h"
#include "console-test-server.h"
#include "signpost-online-hours-text.h"
#include "signpost-online-rules.h"
#include "signpost-request-format.h"
#include "signpost-sync.h"

/*
 * The Requests list without a display: its order and filters as the cache
 * answers them and as the model keeps them while records change, the
 * deadlines and how they are worded, the cache's migration, and the typed
 * actions behind it against a real server (an online request sent through
 * the practice's form, matched to a patient, its opening audited; the
 * online form's settings saved by a manager).
 */

#define TIMEOUT_MS 60000

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

/* ---- against a real server --------------------------------------------------------------------- */

typedef struct {
  SignpostSyncEngine *engine;
  SignpostActions *actions;
} Session;

static TestServer *server;

static void
store_result (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static gboolean
result_ready (gpointer data)
{
  return *(GAsyncResult **) data != NULL;
}

static gboolean
settled (gpointer data)
{
  Session *session = data;

  return signpost_sync_engine_get_state (session->engine) == SIGNPOST_SYNC_STATE_ONLINE &&
         !signpost_sync_engine_get_first_sync (session->engine) &&
         signpost_outbox_get_n_waiting (SIGNPOST_OUTBOX (signpost_actions_get_changes (session->actions))) == 0;
}

static Session *
session_open (const char *username)
{
  Session *session = g_new0 (Session, 1);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;

  session->engine = signpost_sync_engine_new ();
  session->actions = signpost_actions_get_for_engine (session->engine);
  signpost_sync_engine_login_async (session->engine, test_server_get_url (server), username, "demo-password",
                                    NULL, NULL, store_result, &result);
  g_assert_true (test_wait_until (result_ready, &result, TIMEOUT_MS));
  g_assert_true (signpost_sync_engine_login_finish (session->engine, result, &error));
  g_assert_no_error (error);
  signpost_sync_engine_start (session->engine);
  g_assert_true (test_wait_until (settled, session, TIMEOUT_MS));
  return session;
}

static gboolean
pointer_cleared (gpointer data)
{
  return *(gpointer *) data == NULL;
}

static void
session_close (Session *session)
{
  gpointer weak = session->engine;

  signpost_sync_engine_stop (session->engine);
  g_object_add_weak_pointer (G_OBJECT (session->engine), &weak);
  g_object_unref (session->engine);
  g_assert_true (test_wait_until (pointer_cleared, &weak, 10000));
  g_free (session);
}

typedef struct {
  SignpostRequestListModel *model;
  const char *reference;
} Arrival;

static SignpostTriage *
find_reference (GListModel *model,
                const char *reference)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SignpostTriage) triage = g_list_model_get_item (model, i);

      if (g_strcmp0 (signpost_triage_get_reference (triage), reference) == 0)
        return g_steal_pointer (&triage);
    }
  return NULL;
}

static gboolean
arrived (gpointer data)
{
  Arrival *arrival = data;
  g_autoptr(SignpostTriage) triage = find_reference (G_LIST_MODEL (arrival->model), arrival->reference);

  return triage != NULL;
}

typedef struct {
  SignpostCache *cache;
  const char *id;
  const char *patient_id;
} MatchWait;

static gboolean
matched_on_server (gpointer data)
{
  MatchWait *wait = data;
  g_autoptr(SignpostTriage) triage = signpost_cache_get_record (wait->cache, SIGNPOST_RECORD_TRIAGE, wait->id);

  return triage != NULL && !signpost_cache_record_is_pending (SIGNPOST_RECORD (triage)) &&
         g_strcmp0 (signpost_triage_get_patient_id (triage), wait->patient_id) == 0;
}

/* The audit log has @user's view of request @triage_id. */
static gboolean
request_view_audited (gpointer data)
{
  const char *triage_id = data;
  g_autofree char *token = test_server_login (server, "admin");
  gint64 since = 0;

  for (;;)
    {
      g_autofree char *path = g_strdup_printf ("audit?since=%" G_GINT64_FORMAT "&limit=1000", since);
      g_autoptr(JsonNode) reply = test_server_request (server, token, "GET", path, NULL, NULL);
      JsonArray *events;
      guint n;

      if (reply == NULL || !JSON_NODE_HOLDS_OBJECT (reply))
        return FALSE;
      events = json_object_get_array_member (json_node_get_object (reply), "events");
      n = events ? json_array_get_length (events) : 0;
      for (guint i = 0; i < n; i++)
        {
          JsonObject *event = json_array_get_object_element (events, i);

          if (g_strcmp0 (json_object_get_string_member (event, "action"), "view") == 0 &&
              g_strcmp0 (json_object_get_string_member_with_default (event, "type", NULL), "triage") == 0 &&
              g_strcmp0 (json_object_get_string_member_with_default (event, "record_id", NULL), triage_id) == 0 &&
              g_strcmp0 (json_object_get_string_member_with_default (event, "username", NULL), "navigator") == 0)
            return TRUE;
        }
      if (n < 1000)
        return FALSE;
      since = json_object_get_int_member (json_array_get_object_element (events, n - 1), "id");
    }
}

/* A registered patient of the navigator's practice with an NHS number
 * and a postcode, for a request the server can match. */
static SignpostPatient *
registered_patient (Session *session)
{
  g_autoptr(GPtrArray) all = signpost_cache_list_records (signpost_actions_get_cache (session->actions),
                                                          SIGNPOST_RECORD_PATIENT, NULL);
  const char *practice_id = signpost_user_get_practice_ids (signpost_actions_get_user (session->actions))[0];

  for (guint i = 0; i < all->len; i++)
    {
      SignpostPatient *patient = g_ptr_array_index (all, i);

      if (g_strcmp0 (signpost_record_get_practice_id (SIGNPOST_RECORD (patient)), practice_id) == 0 &&
          signpost_patient_get_nhs_number (patient) != NULL && signpost_patient_get_postcode (patient) != NULL &&
          !signpost_patient_get_temporary (patient) && g_strcmp0 (signpost_patient_get_date_of_birth (patient), "2000") < 0)
        return g_object_ref (patient);
    }
  g_assert_not_reached ();
}

static void
test_server_requests (void)
{
  Session *navigator = session_open ("navigator");
  SignpostCache *cache = signpost_actions_get_cache (navigator->actions);
  g_autoptr(SignpostRequestListModel) model = signpost_request_list_model_new (cache);
  g_autoptr(SignpostPatient) patient = registered_patient (navigator);
  g_autoptr(SignpostTriage) unknown = NULL;
  g_autoptr(SignpostTriage) known = NULL;
  g_autoptr(SignpostTriage) pending = NULL;
  g_autoptr(GPtrArray) hillview = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *ref_unknown = NULL;
  g_autofree char *ref_known = NULL;
  TestOnlineRequest request = {
    "Ada", "Testcase", "1980-02-29", "LS1 4AP", NULL,
    "A cough for three weeks, worse at night", "medical", "3 weeks", "Some advice", NULL,
  };
  Arrival arrival = { model, NULL };
  MatchWait wait = { cache, NULL, NULL };

  test_online_open_round_the_clock (server, TEST_ONLINE_ODS);
  ref_unknown = test_online_submit (server, TEST_ONLINE_ODS, &request);
  request.given_name = signpost_patient_get_given_name (patient);
  request.family_name = signpost_patient_get_family_name (patient);
  request.date_of_birth = signpost_patient_get_date_of_birth (patient);
  request.postcode = signpost_patient_get_postcode (patient);
  request.nhs_number = signpost_patient_get_nhs_number (patient);
  request.kind = "repeat_prescription";
  request.reason = "My inhaler prescription has run out";
  ref_known = test_online_submit (server, TEST_ONLINE_ODS, &request);

  /* Both reach the list by the change feed, as they would any console. */
  arrival.reference = ref_unknown;
  g_assert_true (test_wait_until (arrived, &arrival, TIMEOUT_MS));
  arrival.reference = ref_known;
  g_assert_true (test_wait_until (arrived, &arrival, TIMEOUT_MS));
  unknown = find_reference (G_LIST_MODEL (model), ref_unknown);
  known = find_reference (G_LIST_MODEL (model), ref_known);
  g_assert_cmpint (signpost_triage_get_source (unknown), ==, SIGNPOST_REQUEST_SOURCE_ONLINE);
  g_assert_null (signpost_triage_get_patient_id (unknown));
  g_assert_nonnull (signpost_triage_get_patient_details (unknown));
  g_assert_nonnull (signpost_triage_get_respond_by (unknown));
  g_assert_cmpstr (signpost_triage_get_symptom_duration (unknown), ==, "3 weeks");
  g_assert_cmpstr (signpost_triage_get_patient_id (known), ==, signpost_record_get_id (SIGNPOST_RECORD (patient)));
  g_assert_cmpstr (signpost_triage_get_request_type (known), ==, "admin");

  /* Opening one is audited, though it names no patient. */
  signpost_actions_report_request_view (navigator->actions, signpost_record_get_id (SIGNPOST_RECORD (unknown)),
                                        "requests");
  g_assert_true (test_wait_until (request_view_audited, (gpointer) signpost_record_get_id (SIGNPOST_RECORD (unknown)),
                                  TIMEOUT_MS));

  /* A patient of another practice is refused on this PC. */
  hillview = signpost_cache_search_patients (cache, "", NULL, 2000, NULL, NULL);
  for (guint i = 0; i < hillview->len; i++)
    if (g_strcmp0 (signpost_record_get_practice_id (g_ptr_array_index (hillview, i)),
                   signpost_record_get_practice_id (SIGNPOST_RECORD (unknown))) != 0)
      {
        g_assert_false (signpost_actions_match_request (navigator->actions,
                                                        signpost_record_get_id (SIGNPOST_RECORD (unknown)),
                                                        signpost_record_get_id (g_ptr_array_index (hillview, i)),
                                                        "Matched a request", &error));
        g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID);
        g_clear_error (&error);
        break;
      }

  /* Matching is one update of patient_id: shown at once, then the
   * server's. */
  g_assert_true (signpost_actions_match_request (navigator->actions, signpost_record_get_id (SIGNPOST_RECORD (unknown)),
                                                 signpost_record_get_id (SIGNPOST_RECORD (patient)),
                                                 "Matched a request to TESTCASE, Ada", &error));
  g_assert_no_error (error);
  pending = signpost_cache_get_record (cache, SIGNPOST_RECORD_TRIAGE, signpost_record_get_id (SIGNPOST_RECORD (unknown)));
  g_assert_cmpstr (signpost_triage_get_patient_id (pending), ==, signpost_record_get_id (SIGNPOST_RECORD (patient)));
  wait.id = signpost_record_get_id (SIGNPOST_RECORD (unknown));
  wait.patient_id = signpost_record_get_id (SIGNPOST_RECORD (patient));
  g_assert_true (test_wait_until (matched_on_server, &wait, TIMEOUT_MS));
  /* Matching the same patient again sends nothing. */
  g_assert_true (signpost_actions_match_request (navigator->actions, wait.id, wait.patient_id, "again", &error));
  g_assert_cmpuint (signpost_outbox_get_n_waiting (SIGNPOST_OUTBOX (signpost_actions_get_changes (navigator->actions))),
                    ==, 0);

  session_close (navigator);
}

typedef struct {
  SignpostCache *cache;
  const char *practice_id;
  gint64 limit;
} PracticeWait;

static gboolean
practice_settled (gpointer data)
{
  PracticeWait *wait = data;
  g_autoptr(SignpostPractice) practice = signpost_cache_get_record (wait->cache, SIGNPOST_RECORD_PRACTICE,
                                                                    wait->practice_id);

  return practice != NULL && !signpost_cache_record_is_pending (SIGNPOST_RECORD (practice)) &&
         signpost_practice_get_online_medical_daily_limit (practice) == wait->limit;
}

static void
test_server_settings (void)
{
  Session *manager = session_open ("manager");
  SignpostCache *cache = signpost_actions_get_cache (manager->actions);
  const char *practice_id = signpost_user_get_practice_ids (signpost_actions_get_user (manager->actions))[0];
  g_autoptr(SignpostPractice) cached = signpost_cache_get_record (cache, SIGNPOST_RECORD_PRACTICE, practice_id);
  g_autoptr(SignpostPractice) settings = signpost_object_copy (SIGNPOST_OBJECT (cached));
  g_autoptr(GListStore) hours = g_list_store_new (SIGNPOST_TYPE_OPENING_HOURS);
  g_autoptr(GPtrArray) warnings = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostPractice) saved = NULL;
  g_autofree char *token = NULL;
  g_autoptr(GHashTable) practices = NULL;
  JsonObject *on_server;
  const char *closed[] = { "2026-12-24", NULL };
  PracticeWait wait = { cache, practice_id, 40 };

  g_assert_true (signpost_online_hours_text_parse ("08:00–18:30", SIGNPOST_WEEKDAY_MONDAY, hours, &error));
  g_assert_true (signpost_online_hours_text_parse ("08:00–12:00", SIGNPOST_WEEKDAY_TUESDAY, hours, &error));
  signpost_practice_set_online_hours (settings, G_LIST_MODEL (hours));
  signpost_practice_set_online_medical_daily_limit (settings, 40);
  signpost_practice_set_online_closed_dates (settings, closed);
  signpost_practice_set_online_pause_message (settings, "Back at 2pm");
  /* Something a manager may not change here is not sent. */
  signpost_practice_set_name (settings, "Another name");

  /* What the manager is warned of: Tuesday to Friday, and the limit. */
  warnings = signpost_online_core_hours_warnings (settings);
  g_assert_cmpuint (warnings->len, ==, 5);

  g_assert_true (signpost_actions_save_online_settings (manager->actions, settings, "Changed the online form’s settings",
                                                        &error));
  g_assert_no_error (error);
  saved = signpost_cache_get_record (cache, SIGNPOST_RECORD_PRACTICE, practice_id);
  g_assert_cmpint (signpost_practice_get_online_medical_daily_limit (saved), ==, 40);
  g_assert_cmpstr (signpost_practice_get_name (saved), ==, signpost_practice_get_name (cached));
  g_assert_true (test_wait_until (practice_settled, &wait, TIMEOUT_MS));

  token = test_server_login (server, "manager");
  practices = test_server_fetch_records (server, token, "practice");
  on_server = g_hash_table_lookup (practices, practice_id);
  g_assert_nonnull (on_server);
  g_assert_cmpint (json_object_get_int_member (on_server, "online_medical_daily_limit"), ==, 40);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (on_server, "online_hours")), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (on_server, "online_pause_message"), ==, "Back at 2pm");
  g_assert_cmpstr (json_object_get_string_member (on_server, "name"), ==, signpost_practice_get_name (cached));

  session_close (manager);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *data_home = NULL;
  int status;

  data_home = g_dir_make_tmp ("signpost-data-XXXXXX", NULL);
  g_setenv ("XDG_DATA_HOME", data_home, TRUE);
  g_setenv ("TZ", "Europe/London", TRUE);
  /* A small demo hub keeps each sign-in quick. */
  g_setenv ("SIGNPOST_TEST_DEMO_SCALE", "0.05", FALSE);

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
  g_test_add_func ("/signpost/requests/server/match-and-audit", test_server_requests);
  g_test_add_func ("/signpost/requests/server/settings", test_server_settings);

  server = test_server_new ();
  status = g_test_run ();
  test_server_free (server);
  return status;
}
