/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "server-test-util.h"

/*
 * PostgreSQL restarted or stopped under a running server (the throwaway
 * cluster of pg_virtualenv, restarted with pg_ctlcluster): requests get
 * 503 problem+json with Retry-After, healthz says degraded, the server
 * reconnects by itself, and every write it acknowledged is still there.
 * The suite runs this program on its own: it stops the cluster that the
 * other server-pg tests use.
 */

#define BATCH 10
#define RECOVERY_TIMEOUT_S 60

static gboolean
have_cluster (void)
{
  if (g_getenv ("PGVERSION") != NULL)
    return TRUE;
  g_test_skip ("needs the throwaway cluster of pg_virtualenv (PGVERSION)");
  return FALSE;
}

static GSubprocess *
cluster_start (const char *action,
               const char *mode)
{
  g_autoptr(GError) error = NULL;
  GSubprocess *process;
  GSubprocessFlags flags = G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE;

  /* The cluster pg_virtualenv made is always called "regress". */
  if (mode != NULL)
    process = g_subprocess_new (flags, &error, "pg_ctlcluster", "--mode", mode,
                                g_getenv ("PGVERSION"), "regress", action, NULL);
  else
    process = g_subprocess_new (flags, &error, "pg_ctlcluster", g_getenv ("PGVERSION"), "regress",
                                action, NULL);
  g_assert_no_error (error);
  return process;
}

/* Waits for pg_ctlcluster; if the cluster did not come back (on a shared
 * machine another cluster may take its port while it is down), says why
 * and starts it again. */
static void
cluster_wait (GSubprocess *process)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  g_assert_true (g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error));
  g_assert_no_error (error);
  for (guint attempt = 0; !g_subprocess_get_successful (process) && attempt < 5; attempt++)
    {
      g_autoptr(GSubprocess) again = NULL;

      g_test_message ("pg_ctlcluster failed (%s); starting the cluster again", out);
      g_clear_pointer (&out, g_free);
      test_sleep (500);
      again = cluster_start ("start", NULL);
      g_assert_true (g_subprocess_communicate_utf8 (again, NULL, NULL, &out, NULL, &error));
      if (g_subprocess_get_successful (again))
        return;
    }
  g_assert_true (g_subprocess_get_successful (process));
}

static void
cluster (const char *action,
         const char *mode)
{
  g_autoptr(GSubprocess) process = cluster_start (action, mode);

  cluster_wait (process);
}

static char *
batch_body (GPtrArray  *ids,
            const char *practice_id)
{
  g_autoptr(GString) body = g_string_new ("{\"mutations\":[");

  for (guint i = 0; i < BATCH; i++)
    {
      g_autofree char *mutation_id = g_uuid_string_random ();
      char *id = g_uuid_string_random ();

      g_ptr_array_add (ids, id);
      g_string_append_printf (body, "%s{\"mutation_id\":\"%s\",\"type\":\"patient\","
                              "\"op\":\"create\",\"id\":\"%s\",\"data\":{\"practice_id\":\"%s\","
                              "\"given_name\":\"Restart\",\"family_name\":\"Survivor\","
                              "\"date_of_birth\":\"1966-06-06\",\"sex\":\"unknown\"}}",
                              i ? "," : "", mutation_id, id, practice_id);
    }
  g_string_append (body, "]}");
  return g_string_free (g_steal_pointer (&body), FALSE);
}

/* A 503 as the protocol says: problem+json, and when to come back. */
static void
assert_unavailable (TestReply *reply)
{
  test_assert_problem (reply, 503, NULL);
  g_assert_nonnull (soup_message_headers_get_one (reply->headers, "Retry-After"));
}

/* Waits, running the main loop, until healthz says ok again. */
static void
wait_for_health (TestServer *ts)
{
  gint64 deadline = g_get_monotonic_time () + RECOVERY_TIMEOUT_S * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(TestReply) reply = test_http (ts, NULL, "GET", "/api/v1/healthz", NULL, NULL, -1);

      if (reply->status == 200)
        return;
      assert_unavailable (reply);
      if (g_get_monotonic_time () > deadline)
        g_error ("The server did not reconnect within %d s", RECOVERY_TIMEOUT_S);
      test_sleep (100);
    }
}

static void
assert_all_there (TestServer *ts,
                  const char *token,
                  GHashTable *acknowledged)
{
  g_autoptr(GHashTable) records = test_sync (ts, token, NULL);
  GHashTableIter iter;
  gpointer id;

  g_hash_table_iter_init (&iter, acknowledged);
  while (g_hash_table_iter_next (&iter, &id, NULL))
    {
      JsonObject *change = g_hash_table_lookup (records, id);

      g_assert_nonnull (change);
      g_assert_cmpint (json_object_get_int_member (change, "version"), ==, 1);
    }
}

/* Sends @body; the ids of @ids go to @acknowledged if it was answered
 * 200. Returns the reply's status. */
static guint
send_batch (TestServer *ts,
            const char *token,
            const char *body,
            GPtrArray  *ids,
            GHashTable *acknowledged)
{
  g_autoptr(TestReply) reply = test_http (ts, NULL, "POST", "/api/v1/mutations", token, body, -1);
  g_autoptr(JsonObject) object = NULL;
  JsonArray *results;

  if (reply->status != 200)
    {
      assert_unavailable (reply);
      return reply->status;
    }
  object = test_reply_json (reply);
  results = json_object_get_array_member (object, "results");
  g_assert_cmpuint (json_array_get_length (results), ==, ids->len);
  for (guint i = 0; i < ids->len; i++)
    {
      const char *status = test_result_status (json_array_get_object_element (results, i));

      g_assert_true (g_str_equal (status, "applied") || g_str_equal (status, "duplicate"));
      g_hash_table_add (acknowledged, g_strdup (g_ptr_array_index (ids, i)));
    }
  return 200;
}

/* Restarted while batches keep coming: each is acknowledged or refused
 * with 503, and sent again until acknowledged, as a console's outbox
 * would; nothing acknowledged goes missing, nothing is written twice. */
static void
test_restart_while_writing (void)
{
  TestServer *ts;
  g_autofree char *token = NULL;
  g_autoptr(GHashTable) acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GSubprocess) restart = NULL;
  guint refused = 0, sent = 0;
  gboolean restarted = FALSE;

  if (!have_cluster ())
    return;
  ts = test_server_new (NULL);
  token = test_login (ts, "nav_a");

  restart = cluster_start ("restart", "fast");
  while (!restarted || sent < 5)
    {
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *body = batch_body (ids, ts->practice_a);

      /* An unanswered batch goes again, unchanged, until it is answered. */
      while (send_batch (ts, token, body, ids, acknowledged) != 200)
        {
          refused++;
          test_sleep (50);
        }
      sent++;
      if (!restarted && g_subprocess_get_identifier (restart) == NULL)
        {
          cluster_wait (restart);
          restarted = TRUE;
          sent = 0;
        }
      else
        while (g_main_context_iteration (NULL, FALSE))
          ;
    }
  g_test_message ("%u batches acknowledged, %u refused while the database restarted",
                  g_hash_table_size (acknowledged) / BATCH, refused);
  g_assert_cmpuint (g_hash_table_size (acknowledged) % BATCH, ==, 0);
  wait_for_health (ts);
  assert_all_there (ts, token, acknowledged);
  {
    g_autoptr(GHashTable) records = test_sync (ts, token, NULL);
    GHashTableIter iter;
    gpointer id;
    JsonObject *change;
    guint restarted_patients = 0;

    /* Nothing was written that was not acknowledged, nor written twice. */
    g_hash_table_iter_init (&iter, records);
    while (g_hash_table_iter_next (&iter, &id, (gpointer *) &change))
      if (g_str_equal (json_object_get_string_member (change, "type"), "patient"))
        restarted_patients++;
    g_assert_cmpuint (restarted_patients, ==, g_hash_table_size (acknowledged));
  }
  test_server_free (ts);
}

/* Stopped (as by a crash): everything is 503 and healthz says degraded
 * until the database is back; then the server is back by itself. */
static void
test_stopped_and_started (void)
{
  TestServer *ts;
  g_autofree char *token = NULL;
  g_autoptr(GHashTable) acknowledged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *body = NULL;

  if (!have_cluster ())
    return;
  ts = test_server_new (NULL);
  token = test_login (ts, "nav_a");
  body = batch_body (ids, ts->practice_a);
  g_assert_cmpuint (send_batch (ts, token, body, ids, acknowledged), ==, 200);

  cluster ("stop", "immediate");
  {
    g_autoptr(TestReply) changes = test_http (ts, NULL, "GET", "/api/v1/changes?since=0", token,
                                              NULL, -1);
    g_autoptr(TestReply) health = NULL;
    g_autoptr(JsonObject) problem = NULL;
    g_autoptr(GPtrArray) more = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *more_body = batch_body (more, ts->practice_a);

    /* The token was checked against the database too: 503, not 401. */
    assert_unavailable (changes);
    g_assert_cmpuint (send_batch (ts, token, more_body, more, acknowledged), ==, 503);
    health = test_http (ts, NULL, "GET", "/api/v1/healthz", NULL, NULL, -1);
    assert_unavailable (health);
    problem = test_reply_json (health);
    g_assert_cmpstr (json_object_get_string_member (problem, "health"), ==, "degraded");
    /* Still down a while later: the server keeps trying, and says so. */
    test_sleep (300);
    g_clear_pointer (&health, test_reply_free);
    health = test_http (ts, NULL, "GET", "/api/v1/healthz", NULL, NULL, -1);
    assert_unavailable (health);
  }
  cluster ("start", NULL);
  wait_for_health (ts);
  assert_all_there (ts, token, acknowledged);
  g_ptr_array_set_size (ids, 0);
  g_free (body);
  body = batch_body (ids, ts->practice_a);
  g_assert_cmpuint (send_batch (ts, token, body, ids, acknowledged), ==, 200);
  assert_all_there (ts, token, acknowledged);
  test_server_free (ts);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/reconnect/restart-while-writing", test_restart_while_writing);
  g_test_add_func ("/signpost/server/reconnect/stopped-and-started", test_stopped_and_started);

  return g_test_run ();
}
