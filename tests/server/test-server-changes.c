/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server-test-util.h"

static void
tombstone (TestServer *ts,
           const char *patient_id)
{
  g_autoptr(SignpostRecord) record = test_get_record (ts, SIGNPOST_RECORD_PATIENT, patient_id);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;

  signpost_record_set_version (record, signpost_record_get_version (record) + 1);
  signpost_record_set_updated_at (record, now);
  g_assert_true (signpost_store_begin (test_server_store (ts), &error));
  g_assert_true (signpost_store_put_record (test_server_store (ts), record, TRUE, &error));
  g_assert_true (signpost_store_commit (test_server_store (ts), &error));
}

static void
test_paging (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *hub = test_login (ts, "hub");
  g_autofree char *updated = NULL;
  g_autofree char *deleted = NULL;
  g_autoptr(GError) error = NULL;
  gint64 head, since = 0, previous = 0;
  gboolean more = TRUE, saw_update = FALSE, saw_delete = FALSE;
  guint pages = 0, total = 0;

  test_bulk_begin (ts);
  for (guint i = 0; i < 20; i++)
    g_free (test_add_patient (ts, i % 3 == 0 ? ts->practice_b : ts->practice_a));
  updated = test_add_patient (ts, ts->practice_a);
  deleted = test_add_patient (ts, ts->practice_a);
  test_bulk_end (ts);
  {
    g_autoptr(SignpostRecord) record = test_get_record (ts, SIGNPOST_RECORD_PATIENT, updated);
    signpost_patient_set_postcode (SIGNPOST_PATIENT (record), "LS6 2AA");
    test_put_record (ts, record);
  }
  tombstone (ts, deleted);
  head = signpost_store_get_last_seq (test_server_store (ts), &error);

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=7",
                                               since);
      g_autoptr(JsonObject) page = test_get_json (ts, path, hub);
      JsonArray *changes = json_object_get_array_member (page, "changes");

      g_assert_cmpuint (json_array_get_length (changes), <=, 7);
      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);
          JsonObject *data = json_object_get_object_member (change, "data");
          gint64 seq = json_object_get_int_member (change, "seq");
          const char *op = json_object_get_string_member (change, "op");
          gint64 version = json_object_get_int_member (change, "version");

          /* seq order, never repeated, and the data is the record's state */
          g_assert_cmpint (seq, >, previous);
          g_assert_cmpint (seq, >, since);
          previous = seq;
          g_assert_cmpint (json_object_get_int_member (data, "seq"), ==, seq);
          g_assert_cmpint (json_object_get_int_member (data, "version"), ==, version);
          g_assert_cmpstr (json_object_get_string_member (data, "id"), ==,
                           json_object_get_string_member (change, "id"));
          if (g_str_equal (json_object_get_string_member (change, "id"), deleted))
            {
              g_assert_cmpstr (op, ==, "delete");
              /* A tombstone carries metadata only. */
              g_assert_false (json_object_has_member (data, "given_name"));
              g_assert_cmpuint (json_object_get_size (data), ==, 5);
              saw_delete = TRUE;
            }
          else if (g_str_equal (json_object_get_string_member (change, "id"), updated))
            {
              g_assert_cmpstr (op, ==, "update");
              g_assert_cmpint (version, ==, 2);
              saw_update = TRUE;
            }
          else
            g_assert_cmpstr (op, ==, version == 1 ? "create" : "update");
          total++;
        }
      more = json_object_get_boolean_member (page, "more");
      since = json_object_get_int_member (page, "last_seq");
      pages++;
      g_assert_cmpuint (pages, <, 100);
    }
  g_assert_cmpint (since, ==, head);
  g_assert_true (saw_update);
  g_assert_true (saw_delete);
  /* Every record once: 2 practices, 2 GPs, 6 users, 22 patients. */
  g_assert_cmpuint (total, ==, 2 + 2 + 6 + 22);
  g_assert_cmpuint (pages, >=, 5);

  /* Nothing new: an empty page at the head. */
  {
    g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT, head);
    g_autoptr(JsonObject) page = test_get_json (ts, path, hub);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (page, "changes")), ==, 0);
    g_assert_cmpint (json_object_get_int_member (page, "last_seq"), ==, head);
    g_assert_false (json_object_get_boolean_member (page, "more"));
  }
  test_server_free (ts);
}

/* Changes the caller may not see still move last_seq on, so a quiet
 * practice does not sync the same range for ever. */
static void
test_filtered (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav_b = test_login (ts, "nav_b");
  g_autoptr(GHashTable) seen = NULL;
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer value;
  gint64 head, last_seq = 0, since;
  guint pages = 0;
  gboolean more = TRUE;

  test_bulk_begin (ts);
  for (guint i = 0; i < 5; i++)
    g_free (test_add_patient (ts, ts->practice_b));
  for (guint i = 0; i < 30; i++)
    g_free (test_add_patient (ts, ts->practice_a));
  test_bulk_end (ts);
  head = signpost_store_get_last_seq (test_server_store (ts), &error);

  seen = test_sync (ts, nav_b, &last_seq);
  g_assert_cmpint (last_seq, ==, head);
  g_hash_table_iter_init (&iter, seen);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      JsonObject *data = json_object_get_object_member (value, "data");
      const char *type = json_object_get_string_member (value, "type");

      if (g_str_equal (type, "user"))
        {
          /* Users of B, and the hub user who works for B as well */
          JsonArray *ids = json_object_get_array_member (data, "practice_ids");
          gboolean shares = FALSE;

          for (guint i = 0; i < json_array_get_length (ids); i++)
            shares |= g_str_equal (json_array_get_string_element (ids, i), ts->practice_b);
          g_assert_true (shares);
        }
      else
        g_assert_cmpstr (json_object_get_string_member (data, "practice_id"), ==, ts->practice_b);
    }
  /* practice B, its GP, nav_b, hub, 5 patients */
  g_assert_cmpuint (g_hash_table_size (seen), ==, 9);

  /* Page by page, one at a time: it still ends, and at the head. */
  since = 0;
  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT "&limit=1",
                                               since);
      g_autoptr(JsonObject) page = test_get_json (ts, path, nav_b);

      more = json_object_get_boolean_member (page, "more");
      since = json_object_get_int_member (page, "last_seq");
      g_assert_cmpuint (++pages, <, 50);
    }
  g_assert_cmpint (since, ==, head);
  test_server_free (ts);
}

static void
test_bad_parameters (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *token = test_login (ts, "nav_a");
  static const struct {
    const char *query;
    const char *field;
  } cases[] = {
    { "?limit=0", "limit" },
    { "?limit=5001", "limit" },
    { "?limit=ten", "limit" },
    { "?since=-1", "since" },
    { "?since=1e3", "since" },
    { "?since=99999999999999999999999", "since" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/api/v1/changes", cases[i].query, NULL);
      g_autoptr(TestReply) reply = test_http (ts, NULL, "GET", path, token, NULL, -1);

      test_assert_problem (reply, 422, cases[i].field);
    }
  test_server_free (ts);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/changes/paging", test_paging);
  g_test_add_func ("/signpost/server/changes/filtered", test_filtered);
  g_test_add_func ("/signpost/server/changes/bad-parameters", test_bad_parameters);

  return g_test_run ();
}
