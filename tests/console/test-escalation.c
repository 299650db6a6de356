/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "console-test-fixtures.h"
#include "signpost-escalation.h"

/* Requests near or past their deadline, counted for the duty doctor and
 * the manager (the hazard log's C-03.3 and C-10.3), from a real cache of
 * records as the change feed brings them. The time is fixed: the same
 * whenever the test runs. */

#define NOW "2026-11-23T14:00:00Z"

static gint64 seq;

static void
add_request (SignpostCache *cache,
             guint          index,
             const char    *status,
             const char    *respond_by)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *id = test_uuid_for ("triage", index);

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "practice_id", TEST_PRACTICE_A);
  json_object_set_int_member (object, "version", 1);
  json_object_set_string_member (object, "updated_at", "2026-11-22T09:00:00Z");
  json_object_set_int_member (object, "seq", ++seq);
  json_object_set_string_member (object, "reason", "Rash on both arms for a week");
  json_object_set_string_member (object, "urgency", "routine");
  json_object_set_string_member (object, "status", status);
  if (respond_by != NULL)
    json_object_set_string_member (object, "respond_by", respond_by);
  else
    json_object_set_null_member (object, "respond_by");
  test_apply_record (cache, "triage", object);
}

static void
test_counts (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("signpost-escalation-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "cache.db", NULL);
  g_autoptr(SignpostCache) cache = signpost_cache_open (path, &error);
  g_autoptr(SignpostEscalation) escalation = NULL;
  g_autoptr(GDateTime) now = signpost_timestamp_parse (NOW, NULL);
  g_autoptr(GDateTime) later = g_date_time_add_hours (now, 2);

  g_assert_no_error (error);
  signpost_cache_set_user_id (cache, "0b8f5f5e-1111-4222-8333-444455556666");
  escalation = signpost_escalation_new (cache);
  signpost_escalation_set_now (escalation, now);
  g_assert_cmpuint (signpost_escalation_get_n_past (escalation), ==, 0);
  g_assert_null (signpost_escalation_get_text (escalation));

  /* On time; with an outcome; no deadline: nothing to say. */
  add_request (cache, 1, "open", "2026-11-24T18:30:00Z");
  add_request (cache, 2, "closed", "2026-11-20T18:30:00Z");
  add_request (cache, 3, "open", NULL);
  g_assert_cmpuint (signpost_escalation_get_n_past (escalation), ==, 0);
  g_assert_cmpuint (signpost_escalation_get_n_due_soon (escalation), ==, 0);
  g_assert_null (signpost_escalation_get_text (escalation));

  /* Past its deadline, and with the duty doctor: said at once. */
  add_request (cache, 4, "awaiting_duty", "2026-11-23T13:59:59Z");
  g_assert_cmpuint (signpost_escalation_get_n_past (escalation), ==, 1);
  g_assert_cmpstr (signpost_escalation_get_text (escalation), ==,
                   "1 request is past its deadline. Each needs an outcome.");

  /* Due within the hour, to the minute; within four hours is not yet. */
  add_request (cache, 5, "open", "2026-11-23T14:45:00Z");
  add_request (cache, 6, "open", "2026-11-23T15:00:00Z");
  add_request (cache, 7, "open", "2026-11-23T15:00:01Z");
  g_assert_cmpuint (signpost_escalation_get_n_due_soon (escalation), ==, 2);
  g_assert_cmpstr (signpost_escalation_get_text (escalation), ==,
                   "1 request is past its deadline; 2 requests are due within the hour. "
                   "Each needs an outcome.");

  /* Given an outcome, it leaves the count. */
  {
    g_autoptr(JsonObject) object = json_object_new ();
    g_autofree char *id = test_uuid_for ("triage", 4);

    json_object_set_string_member (object, "id", id);
    json_object_set_string_member (object, "practice_id", TEST_PRACTICE_A);
    json_object_set_int_member (object, "version", 2);
    json_object_set_string_member (object, "updated_at", "2026-11-23T14:00:00Z");
    json_object_set_int_member (object, "seq", ++seq);
    json_object_set_string_member (object, "reason", "Rash on both arms for a week");
    json_object_set_string_member (object, "urgency", "routine");
    json_object_set_string_member (object, "status", "reviewed");
    json_object_set_string_member (object, "respond_by", "2026-11-23T13:59:59Z");
    test_apply_record (cache, "triage", object);
  }
  g_assert_cmpuint (signpost_escalation_get_n_past (escalation), ==, 0);
  g_assert_cmpstr (signpost_escalation_get_text (escalation), ==,
                   "2 requests are due within the hour. Each needs an outcome.");

  /* Two hours on, with no record changed: all three are past. */
  signpost_escalation_set_now (escalation, later);
  g_assert_cmpuint (signpost_escalation_get_n_past (escalation), ==, 3);
  g_assert_cmpuint (signpost_escalation_get_n_due_soon (escalation), ==, 0);
  g_assert_cmpstr (signpost_escalation_get_text (escalation), ==,
                   "3 requests are past their deadline. Each needs an outcome.");

  g_clear_object (&escalation);
  g_clear_object (&cache);
  {
    g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
    const char *name;

    while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
      {
        g_autofree char *file = g_build_filename (dir, name, NULL);
        g_unlink (file);
      }
  }
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/signpost/escalation/counts", test_counts);
  return g_test_run ();
}
