/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "server-test-util.h"

/*
 * Taking patients' records through the change feed is in the audit log:
 * who took which practice's, and when (issue 12, item 10). One event per
 * practice per page that carried patients; none for pages without.
 */

typedef struct {
  char *username;
  char *practice;
  guint patients;
} Sync;

static void
sync_free (Sync *sync)
{
  g_free (sync->username);
  g_free (sync->practice);
  g_free (sync);
}

/* The "sync" events of the audit log after event @after, in order. */
static GPtrArray *
syncs_after (TestServer *ts,
             const char *admin,
             gint64     *after)
{
  g_autofree char *path = g_strdup_printf ("/api/v1/audit?since=%" G_GINT64_FORMAT "&limit=1000",
                                           *after);
  g_autoptr(JsonObject) log = test_get_json (ts, path, admin);
  JsonArray *events = json_object_get_array_member (log, "events");
  GPtrArray *syncs = g_ptr_array_new_with_free_func ((GDestroyNotify) sync_free);

  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      const char *detail;
      Sync *sync;

      *after = MAX (*after, json_object_get_int_member (event, "id"));
      if (!g_str_equal (json_object_get_string_member (event, "action"), "sync"))
        continue;
      detail = json_object_get_string_member (event, "detail");
      sync = g_new0 (Sync, 1);
      sync->username = g_strdup (json_object_get_string_member (event, "username"));
      sync->practice = g_strdup (json_object_get_string_member (event, "record_id"));
      g_assert_cmpstr (json_object_get_string_member (event, "type"), ==, "practice");
      g_assert_nonnull (strstr (detail, "patients="));
      sync->patients = (guint) g_ascii_strtoull (strstr (detail, "patients=") + 9, NULL, 10);
      g_ptr_array_add (syncs, sync);
    }
  return syncs;
}

/* Every change after *@since, as a console pulls them; moves *@since on. */
static GHashTable *
pull (TestServer *ts,
      const char *token,
      gint64     *since)
{
  GHashTable *records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) json_object_unref);
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=500", *since);
      g_autoptr(JsonObject) page = test_get_json (ts, path, token);
      JsonArray *changes = json_object_get_array_member (page, "changes");

      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);

          g_hash_table_replace (records, g_strdup (json_object_get_string_member (change, "id")),
                                json_object_ref (change));
        }
      *since = json_object_get_int_member (page, "last_seq");
      more = json_object_get_boolean_member (page, "more");
    }
  return records;
}

static guint
count_patients (GHashTable *changes,
                const char *practice)
{
  GHashTableIter iter;
  gpointer value;
  guint n = 0;

  g_hash_table_iter_init (&iter, changes);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      JsonObject *change = value;

      if (g_str_equal (json_object_get_string_member (change, "type"), "patient") &&
          g_str_equal (json_object_get_string_member (json_object_get_object_member (change, "data"),
                                                      "practice_id"), practice))
        n++;
    }
  return n;
}

static void
test_sync_is_audited (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *admin = test_login (ts, "admin");
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *hub = test_login (ts, "hub");
  g_autofree char *manager = test_login (ts, "mgr_a");
  g_autofree char *patient = NULL;
  g_autofree char *triage = test_add_triage (ts, ts->practice_a);
  gint64 after = 0, nav_seq = 0;
  guint patients_a, patients_b;

  test_bulk_begin (ts);
  for (guint i = 0; i < 7; i++)
    g_free (test_add_patient (ts, ts->practice_a));
  for (guint i = 0; i < 4; i++)
    g_free (test_add_patient (ts, ts->practice_b));
  patient = test_add_patient (ts, ts->practice_a);
  test_bulk_end (ts);
  g_ptr_array_unref (syncs_after (ts, admin, &after));

  /* A navigator's first sync: practice A's patients, and only A's. */
  {
    g_autoptr(GHashTable) changes = pull (ts, nav, &nav_seq);
    g_autoptr(GPtrArray) syncs = syncs_after (ts, admin, &after);
    guint total = 0;

    patients_a = count_patients (changes, ts->practice_a);
    g_assert_cmpuint (patients_a, >=, 8);
    g_assert_cmpuint (syncs->len, >=, 1);
    for (guint i = 0; i < syncs->len; i++)
      {
        Sync *sync = g_ptr_array_index (syncs, i);

        g_assert_cmpstr (sync->username, ==, "nav_a");
        g_assert_cmpstr (sync->practice, ==, ts->practice_a);
        total += sync->patients;
      }
    g_assert_cmpuint (total, ==, patients_a);
  }

  /* A hub navigator's: one event for each practice. */
  {
    g_autoptr(GHashTable) changes = test_sync (ts, hub, NULL);
    g_autoptr(GPtrArray) syncs = syncs_after (ts, admin, &after);
    guint total_a = 0, total_b = 0;

    patients_b = count_patients (changes, ts->practice_b);
    for (guint i = 0; i < syncs->len; i++)
      {
        Sync *sync = g_ptr_array_index (syncs, i);

        g_assert_cmpstr (sync->username, ==, "hub");
        if (g_str_equal (sync->practice, ts->practice_a))
          total_a += sync->patients;
        else
          {
            g_assert_cmpstr (sync->practice, ==, ts->practice_b);
            total_b += sync->patients;
          }
      }
    g_assert_cmpuint (total_a, ==, patients_a);
    g_assert_cmpuint (total_b, ==, patients_b);
  }

  /* A manager sees no patients: nothing to log. */
  {
    g_autoptr(GHashTable) changes = test_sync (ts, manager, NULL);
    g_autoptr(GPtrArray) syncs = syncs_after (ts, admin, &after);

    g_assert_cmpuint (syncs->len, ==, 0);
  }

  /* Pulling a changed request is not logged; a changed patient is. */
  {
    g_autoptr(JsonObject) updated = test_mutate_one (ts, nav, "triage", "update", triage, 1,
                                                     "{\"navigator_notes\":\"Rang back\"}");
    g_autoptr(GHashTable) changes = NULL;
    g_autoptr(GPtrArray) syncs = NULL;

    g_assert_cmpstr (test_result_status (updated), ==, "applied");
    changes = pull (ts, nav, &nav_seq);
    g_assert_cmpuint (g_hash_table_size (changes), ==, 1);
    syncs = syncs_after (ts, admin, &after);
    g_assert_cmpuint (syncs->len, ==, 0);
  }
  {
    g_autoptr(JsonObject) updated = test_mutate_one (ts, nav, "patient", "update", patient, 1,
                                                     "{\"postcode\":\"LS1 4AP\"}");
    g_autoptr(GHashTable) changes = NULL;
    g_autoptr(GPtrArray) syncs = NULL;

    g_assert_cmpstr (test_result_status (updated), ==, "applied");
    changes = pull (ts, nav, &nav_seq);
    syncs = syncs_after (ts, admin, &after);
    g_assert_cmpuint (syncs->len, ==, 1);
    g_assert_cmpuint (((Sync *) g_ptr_array_index (syncs, 0))->patients, ==, 1);
  }
  test_server_free (ts);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/security/audit/sync", test_sync_is_audited);
  return g_test_run ();
}
