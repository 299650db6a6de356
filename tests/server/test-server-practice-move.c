/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "server-test-util.h"
#include "signpost-bundle-reader.h"
#include "signpost-import.h"
#include "signpost-practice-move.h"

/*
 * Moving a practice between hubs (issue 17): a bundle out of one server
 * and into another keeps every record as it was; bad bundles are refused
 * with nothing written; removing the practice from the old hub takes its
 * records out of every console's copy and leaves the other practices be;
 * and a console of the practice open during the move signs in to the new
 * hub afterwards and finds everything there.
 */

#define PASSPHRASE "a long passphrase for tests"

static const SignpostBundlePart same_bytes[] = {
  SIGNPOST_BUNDLE_PRACTICE, SIGNPOST_BUNDLE_USERS, SIGNPOST_BUNDLE_CLINICIANS,
  SIGNPOST_BUNDLE_PATIENTS, SIGNPOST_BUNDLE_SLOTS, SIGNPOST_BUNDLE_APPOINTMENTS,
  SIGNPOST_BUNDLE_CALLS, SIGNPOST_BUNDLE_TRIAGE,
};

/* A server with nothing in it: another hub. */
static TestServer *
empty_server_new (void)
{
  return test_server_new_empty (NULL);
}

static gint64
head (TestServer *ts)
{
  g_autoptr(GError) error = NULL;
  gint64 seq = signpost_store_get_last_seq (test_server_store (ts), &error);

  g_assert_no_error (error);
  return seq;
}

static char *
nhs_number (guint n)
{
  for (n *= 11;; n++)
    {
      g_autofree char *nine = g_strdup_printf ("999%06u", n % 1000000);
      int check = signpost_nhs_number_check_digit (nine);

      if (check >= 0 && check <= 9)
        return g_strdup_printf ("%s%d", nine, check);
    }
}

/* Practice A gets a list of patients, a booked appointment, calls and a
 * navigation record (the fixture has its GP, line and users). */
static void
fill_practice_a (TestServer *ts)
{
  g_autoptr(GString) csv = g_string_new ("nhs_number,family_name,given_name,date_of_birth,"
                                         "mobile,usual_gp\r\n");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(SignpostPractice) practice = test_get_record (ts, SIGNPOST_RECORD_PRACTICE, ts->practice_a);
  g_autoptr(GBytes) file = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostImportReport) report = NULL;
  g_autofree char *appointment = NULL;
  g_autofree char *call = NULL;
  g_autofree char *answered = NULL;
  g_autofree char *triage = NULL;
  g_autofree char *slot = NULL;
  SignpostImportOptions options;
  SignpostApplyContext ctx;

  for (guint i = 0; i < 20; i++)
    {
      g_autofree char *n = nhs_number (300 + i);

      g_string_append_printf (csv, "%s,Moving,Mo%u,1980-01-%02u,07700 900%03u,Dr Gemma Pearce\r\n",
                              n, i, 1 + i, 100 + i);
    }
  file = g_bytes_new (csv->str, csv->len);
  signpost_import_options_init (&options);
  options.partial = TRUE;
  signpost_apply_context_init (&ctx, test_server_store (ts), NULL, now);
  report = signpost_import_patients (&ctx, practice, file, &options, &error);
  g_assert_no_error (error);
  g_assert_cmpint (signpost_import_report_get_exit_status (report), ==, 0);
  signpost_apply_context_clear (&ctx);

  appointment = test_add_appointment (ts, ts->practice_a, NULL);
  slot = test_add_slot (ts, ts->practice_a, 180, G_MININT, TRUE);
  call = test_add_call (ts, ts->practice_a, SIGNPOST_CALL_QUEUED);
  answered = test_add_call (ts, ts->practice_a, SIGNPOST_CALL_ANSWERED);
  triage = test_add_triage (ts, ts->practice_a);
  /* Practice B has a little of everything too, to be left alone. */
  g_free (test_add_patient (ts, ts->practice_b));
  g_free (test_add_appointment (ts, ts->practice_b, NULL));
  g_free (test_add_call (ts, ts->practice_b, SIGNPOST_CALL_QUEUED));
}

static char *
bundle_path (TestServer *ts,
             const char *name)
{
  return g_build_filename (test_database_dir (ts->database), name, NULL);
}

static void
export_a (TestServer         *ts,
          const char         *path,
          SignpostBundleInfo *info)
{
  g_autoptr(SignpostPractice) practice = test_get_record (ts, SIGNPOST_RECORD_PRACTICE, ts->practice_a);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;

  g_assert_true (signpost_practice_export (test_server_store (ts), practice, PASSPHRASE, path, now,
                                           "test", info, &error));
  g_assert_no_error (error);
}

static gboolean
import_bundle (TestServer  *ts,
               const char  *path,
               const char  *passphrase,
               GError     **error)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return signpost_practice_import (test_server_store (ts), path, passphrase, now, "test", NULL, error);
}

typedef struct {
  GHashTable *groups;
} TriageGroups;

static gboolean
count_group (const SignpostTriageCount *group,
             gpointer                   data)
{
  GHashTable *groups = data;

  g_hash_table_insert (groups,
                       g_strdup_printf ("%s/%s/%s/%s", group->route, group->target, group->urgency,
                                        group->outcome),
                       GINT_TO_POINTER ((int) group->count));
  return TRUE;
}

static GHashTable *
triage_today (TestServer *ts,
              const char *practice_id)
{
  GHashTable *groups = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  gint64 now_ms = g_get_real_time () / 1000;

  g_assert_true (signpost_store_foreach_triage_count (test_server_store (ts), practice_id,
                                                      now_ms - 86400000, now_ms + 86400000,
                                                      count_group, groups, &error));
  g_assert_no_error (error);
  return groups;
}

/* ---- a round trip ------------------------------------------------------ */

static void
test_round_trip (void)
{
  TestServer *a = test_server_new (NULL);
  TestServer *b = empty_server_new ();
  g_autofree char *first = bundle_path (a, "first.spb");
  g_autofree char *second = bundle_path (b, "second.spb");
  g_auto(SignpostBundleInfo) one = { 0 };
  g_auto(SignpostBundleInfo) two = { 0 };
  g_autoptr(SignpostPractice) moved = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GHashTable) stats_a = NULL;
  g_autoptr(GHashTable) stats_b = NULL;
  g_autofree char *token = NULL;

  fill_practice_a (a);
  export_a (a, first, &one);
  g_assert_cmpint (one.counts[SIGNPOST_BUNDLE_PATIENTS], ==, 21);
  g_assert_cmpint (one.counts[SIGNPOST_BUNDLE_LINES], ==, 1);
  g_assert_cmpint (one.counts[SIGNPOST_BUNDLE_USERS], ==, 4);    /* nav_a, clin_a, mgr_a, admin */
  g_assert_cmpint (one.counts[SIGNPOST_BUNDLE_CREDENTIALS], ==, 4);
  g_assert_cmpint (one.counts[SIGNPOST_BUNDLE_CALLS], ==, 2);
  g_assert_cmpint (one.counts[SIGNPOST_BUNDLE_AUDIT], >, 20);

  g_assert_true (import_bundle (b, first, PASSPHRASE, &error));
  g_assert_no_error (error);
  moved = test_get_record (b, SIGNPOST_RECORD_PRACTICE, a->practice_a);
  g_assert_nonnull (moved);
  b->practice_a = g_strdup (a->practice_a);
  export_a (b, second, &two);

  /* The same records, byte for byte (ids, versions, timestamps). */
  for (guint i = 0; i < G_N_ELEMENTS (same_bytes); i++)
    {
      g_test_message ("%s", signpost_bundle_part_name (same_bytes[i]));
      g_assert_cmpint (one.counts[same_bytes[i]], ==, two.counts[same_bytes[i]]);
      g_assert_cmpstr (one.digests[same_bytes[i]], ==, two.digests[same_bytes[i]]);
    }
  g_assert_cmpint (one.counts[SIGNPOST_BUNDLE_LINES], ==, two.counts[SIGNPOST_BUNDLE_LINES]);
  g_assert_cmpint (one.counts[SIGNPOST_BUNDLE_CREDENTIALS], ==, two.counts[SIGNPOST_BUNDLE_CREDENTIALS]);
  /* The audit came along, and the import added itself to it. */
  g_assert_cmpint (two.counts[SIGNPOST_BUNDLE_AUDIT], ==, one.counts[SIGNPOST_BUNDLE_AUDIT] + 1);

  /* The statistics history is the same on both servers. */
  stats_a = triage_today (a, a->practice_a);
  stats_b = triage_today (b, a->practice_a);
  g_assert_cmpuint (g_hash_table_size (stats_a), >, 0);
  g_assert_cmpuint (g_hash_table_size (stats_a), ==, g_hash_table_size (stats_b));

  /* Its people sign in with their passwords, its phone line rings there. */
  token = test_login (b, "nav_a");
  g_assert_nonnull (token);
  {
    g_autofree char *event = test_event_json ("call.offered", "moved-1", TEST_LINE_A,
                                              "+447700900123", NULL, NULL);
    g_autoptr(TestReply) reply = test_webhook (b, TEST_SECRET_A, event, 0);

    g_assert_cmpuint (reply->status, ==, 200);
  }
  test_server_free (a);
  test_server_free (b);
}

/* ---- refusals ---------------------------------------------------------- */

static char *
altered_copy (TestServer *ts,
              const char *path,
              const char *name,
              const char *from,
              const char *to,
              gssize      truncate_at)
{
  g_autofree char *contents = NULL;
  g_autoptr(GString) text = NULL;
  g_autoptr(GError) error = NULL;
  char *copy = bundle_path (ts, name);
  gsize length = 0;

  g_assert_true (g_file_get_contents (path, &contents, &length, &error));
  text = g_string_new_len (contents, length);
  if (from != NULL)
    g_assert_cmpuint (g_string_replace (text, from, to, 1), ==, 1);
  if (truncate_at >= 0)
    g_string_truncate (text, truncate_at);
  g_assert_true (g_file_set_contents (copy, text->str, text->len, &error));
  return copy;
}

typedef struct {
  gint64 last;
  guint n;
} AuditCount;

static gboolean
count_audit (const SignpostAuditEvent *event,
             gpointer                  data)
{
  AuditCount *count = data;

  count->last = event->id;
  count->n++;
  return TRUE;
}

static guint
audit_count (TestServer *ts)
{
  g_autoptr(GError) error = NULL;
  AuditCount count = { 0, 0 };
  guint before;

  do
    {
      before = count.n;
      g_assert_true (signpost_store_foreach_audit (test_server_store (ts), NULL, NULL, count.last,
                                                   1000, count_audit, &count, &error));
    }
  while (count.n - before == 1000);
  return count.n;
}

static void
test_refused (void)
{
  TestServer *a = test_server_new (NULL);
  TestServer *b = empty_server_new ();
  g_autofree char *good = bundle_path (a, "good.spb");
  g_autofree char *nhs = nhs_number (300);
  g_autofree char *contents = NULL;
  g_autofree char *empty = bundle_path (a, "empty.spb");
  g_autofree char *garbage = bundle_path (a, "garbage.spb");
  gsize length = 0;
  gint64 seq;
  guint audited;
  typedef struct {
    const char *name;
    char *path;
    const char *passphrase;
    int code;
    const char *says;
  } Case;
  Case cases[8];
  guint n = 0;

  fill_practice_a (a);
  export_a (a, good, NULL);
  g_assert_true (g_file_get_contents (good, &contents, &length, NULL));
  g_assert_true (g_file_set_contents (empty, "", 0, NULL));
  g_assert_true (g_file_set_contents (garbage, "\x89PNG\r\n\x1a\n\0\0\0\rIHDR", 16, NULL));

  cases[n++] = (Case) { "wrong passphrase", g_strdup (good), "not the passphrase at all",
                        SIGNPOST_ERROR_FORBIDDEN, "passphrase" };
  cases[n++] = (Case) { "a patient changed",
                        altered_copy (a, good, "damaged.spb", nhs, "9990000018", -1),
                        PASSPHRASE, SIGNPOST_ERROR_INVALID, "“patients” part is damaged" };
  cases[n++] = (Case) { "newer version",
                        altered_copy (a, good, "newer.spb", "\"version\":1,", "\"version\":2,", -1),
                        PASSPHRASE, SIGNPOST_ERROR_INVALID, "newer Signpost" };
  cases[n++] = (Case) { "manifest altered",
                        altered_copy (a, good, "renamed.spb", "\"name\":\"Y99951\"",
                                      "\"name\":\"Elsewhere\"", -1),
                        PASSPHRASE, SIGNPOST_ERROR_INVALID, "altered" };
  cases[n++] = (Case) { "truncated", altered_copy (a, good, "short.spb", NULL, NULL, length / 2),
                        PASSPHRASE, SIGNPOST_ERROR_INVALID, "not a readable practice bundle" };
  cases[n++] = (Case) { "empty", g_strdup (empty), PASSPHRASE, SIGNPOST_ERROR_INVALID, "empty" };
  cases[n++] = (Case) { "garbage", g_strdup (garbage), PASSPHRASE, SIGNPOST_ERROR_INVALID,
                        "not a readable practice bundle" };

  seq = head (b);
  audited = audit_count (b);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GError) error = NULL;

      g_test_message ("%s", cases[i].name);
      g_assert_false (import_bundle (b, cases[i].path, cases[i].passphrase, &error));
      g_assert_error (error, SIGNPOST_ERROR, cases[i].code);
      g_assert_nonnull (strstr (error->message, cases[i].says));
      g_free (cases[i].path);
    }
  /* The practice is already here (on its own server, say). */
  {
    g_autoptr(GError) error = NULL;
    gint64 seq_a = head (a);

    g_assert_false (import_bundle (a, good, PASSPHRASE, &error));
    g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT);
    g_assert_nonnull (strstr (error->message, "already on this server"));
    g_assert_cmpint (head (a), ==, seq_a);
  }
  /* A user name taken on the new server. */
  {
    g_autoptr(SignpostPractice) practice = signpost_practice_new ();
    g_autofree char *id = g_uuid_string_random ();
    g_autoptr(GError) error = NULL;
    gint64 seq_b;

    signpost_record_set_id (SIGNPOST_RECORD (practice), id);
    signpost_record_set_practice_id (SIGNPOST_RECORD (practice), id);
    signpost_practice_set_ods_code (practice, "Y88888");
    signpost_practice_set_name (practice, "Already here");
    signpost_practice_set_time_zone (practice, "Europe/London");
    test_put_record (b, practice);
    g_free (test_add_user (b, "nav_a", SIGNPOST_ROLE_NAVIGATOR, id, NULL, FALSE));
    seq_b = head (b);
    audited = audit_count (b);
    g_assert_false (import_bundle (b, good, PASSPHRASE, &error));
    g_assert_nonnull (strstr (error->message, "“nav_a” is already taken"));
    g_assert_cmpint (head (b), ==, seq_b);
    seq = seq_b;
  }
  /* Nothing was written by any of them. */
  g_assert_cmpint (head (b), ==, seq);
  g_assert_cmpuint (audit_count (b), ==, audited);
  test_server_free (a);
  test_server_free (b);
}

/* ---- removing it from the old hub -------------------------------------- */

typedef struct {
  const char *want;       /* the action to keep the last of */
  char *action;
  char *detail;
  char *username;
  char *record_id;
} LastEvent;

static void
last_event_clear (LastEvent *last)
{
  g_clear_pointer (&last->action, g_free);
  g_clear_pointer (&last->detail, g_free);
  g_clear_pointer (&last->username, g_free);
  g_clear_pointer (&last->record_id, g_free);
}

static gboolean
keep_event (const SignpostAuditEvent *event,
            gpointer                  data)
{
  LastEvent *last = data;

  if (g_strcmp0 (event->action, last->want) != 0)
    return TRUE;
  last_event_clear (last);
  last->action = g_strdup (event->action);
  last->detail = g_strdup (event->detail);
  last->username = g_strdup (event->username);
  last->record_id = g_strdup (event->record_id);
  return TRUE;
}

static gboolean
remove_a (TestServer               *ts,
          const char               *path,
          SignpostPracticeRemoval  *removal,
          GError                  **error)
{
  g_autoptr(SignpostPractice) practice = test_get_record (ts, SIGNPOST_RECORD_PRACTICE, ts->practice_a);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  return signpost_practice_remove (test_server_store (ts), practice, path, PASSPHRASE, now, "test",
                                   removal, NULL, error);
}

static const char *
change_practice (JsonObject *change)
{
  return json_object_get_string_member (json_object_get_object_member (change, "data"),
                                        "practice_id");
}

static void
assert_tombstone (JsonObject *change)
{
  JsonObject *data = json_object_get_object_member (change, "data");

  g_assert_cmpstr (json_object_get_string_member (change, "op"), ==, "delete");
  g_assert_cmpuint (json_object_get_size (data), ==, 5);
  g_assert_true (json_object_has_member (data, "updated_at"));
}

static void
test_remove (void)
{
  TestServer *a = test_server_new (NULL);
  g_autofree char *bundle = bundle_path (a, "a.spb");
  g_autofree char *other = bundle_path (a, "b.spb");
  g_autofree char *hub = NULL, *nav_a = NULL, *nav_b = NULL;
  g_autoptr(GHashTable) hub_before = NULL;
  g_autoptr(GHashTable) hub_after = NULL;
  g_autoptr(GHashTable) b_before = NULL;
  g_autoptr(GHashTable) b_after = NULL;
  g_auto(SignpostBundleInfo) info = { 0 };
  SignpostPracticeRemoval removal;
  GHashTableIter iter;
  JsonObject *change;
  const char *id;
  guint dropped = 0;

  fill_practice_a (a);
  hub = test_login (a, "hub");
  nav_a = test_login (a, "nav_a");
  nav_b = test_login (a, "nav_b");
  hub_before = test_sync (a, hub, NULL);
  b_before = test_sync (a, nav_b, NULL);

  /* Not before it is in a bundle of its own, that still describes it. */
  {
    g_autoptr(SignpostPractice) practice_b = test_get_record (a, SIGNPOST_RECORD_PRACTICE, a->practice_b);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GError) error = NULL;
    gint64 seq = head (a);

    g_assert_true (signpost_practice_export (test_server_store (a), practice_b, PASSPHRASE, other, now,
                                             "test", NULL, &error));
    g_assert_false (remove_a (a, other, &removal, &error));
    g_assert_nonnull (strstr (error->message, "is of the practice Y99952"));
    g_clear_error (&error);

    export_a (a, bundle, NULL);
    g_free (test_add_patient (a, a->practice_a));
    seq = head (a);
    g_assert_false (remove_a (a, bundle, &removal, &error));
    g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT);
    g_assert_nonnull (strstr (error->message, "patients"));
    g_assert_cmpint (head (a), ==, seq);
    g_clear_error (&error);
  }

  export_a (a, bundle, &info);
  {
    g_autoptr(GError) error = NULL;

    g_assert_true (remove_a (a, bundle, &removal, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (removal.users_removed, ==, 4);
  g_assert_cmpuint (removal.users_kept, ==, 1);

  /* The hub navigator's copy: every record of A becomes a tombstone with
   * its metadata only; B's are as they were. */
  hub_after = test_sync (a, hub, NULL);
  g_hash_table_iter_init (&iter, hub_before);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &change))
    {
      JsonObject *now = g_hash_table_lookup (hub_after, id);

      g_assert_nonnull (now);
      if (g_strcmp0 (json_object_get_string_member (change, "type"), "user") == 0)
        continue;
      if (g_strcmp0 (change_practice (change), a->practice_a) == 0)
        {
          assert_tombstone (now);
          dropped++;
        }
      else
        g_assert_cmpint (json_object_get_int_member (now, "seq"), ==,
                         json_object_get_int_member (change, "seq"));
    }
  g_assert_cmpuint (dropped, >, 25);

  /* Practice B's navigator sees no difference at all. */
  b_after = test_sync (a, nav_b, NULL);
  g_assert_cmpuint (g_hash_table_size (b_after), ==, g_hash_table_size (b_before));
  g_hash_table_iter_init (&iter, b_before);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &change))
    {
      JsonObject *now = g_hash_table_lookup (b_after, id);

      if (g_strcmp0 (json_object_get_string_member (change, "type"), "user") == 0)
        continue;
      g_assert_cmpint (json_object_get_int_member (now, "version"), ==,
                       json_object_get_int_member (change, "version"));
    }

  /* The hub navigator keeps practice B. */
  {
    g_autoptr(JsonObject) me = test_get_json (a, "/api/v1/me", hub);
    JsonArray *practices = json_object_get_array_member (me, "practices");

    g_assert_cmpuint (json_array_get_length (practices), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (practices, 0), "id"),
                     ==, a->practice_b);
  }
  /* Practice A's own people are gone from this hub, and so is its line. */
  {
    g_autoptr(TestReply) me = test_http (a, NULL, "GET", "/api/v1/me", nav_a, NULL, -1);
    g_autoptr(TestReply) login = test_http (a, NULL, "POST", "/api/v1/login", NULL,
                                            "{\"username\":\"nav_a\",\"password\":\"" TEST_PASSWORD "\"}", -1);
    g_autofree char *event = test_event_json ("call.offered", "after-1", TEST_LINE_A,
                                              "+447700900123", NULL, NULL);
    g_autoptr(TestReply) webhook = test_webhook (a, TEST_SECRET_A, event, 0);

    test_assert_problem (me, 401, NULL);
    test_assert_problem (login, 401, NULL);
    g_assert_cmpuint (webhook->status, ==, 404);
  }
  /* Nothing of the patients stays in the store. */
  {
    g_autoptr(GPtrArray) left = signpost_store_list_records (test_server_store (a),
                                                             SIGNPOST_RECORD_PATIENT, a->practice_a,
                                                             NULL);
    g_autoptr(SignpostPatient) tombstone = NULL;
    gboolean deleted = FALSE;

    g_assert_cmpuint (left->len, ==, 0);
    g_hash_table_iter_init (&iter, hub_before);
    while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &change))
      if (g_str_equal (json_object_get_string_member (change, "type"), "patient") &&
          g_strcmp0 (change_practice (change), a->practice_a) == 0)
        break;
    tombstone = (SignpostPatient *) signpost_store_get_record (test_server_store (a),
                                                              SIGNPOST_RECORD_PATIENT, id,
                                                              &deleted, NULL);
    g_assert_true (deleted);
    g_assert_null (signpost_patient_get_family_name (tombstone));
    g_assert_null (signpost_patient_get_nhs_number (tombstone));
  }
  /* Who removed it, and which bundle has it now. */
  {
    g_autofree char *expected = g_strconcat ("bundle sha256:", info.file_digest, NULL);
    g_autoptr(GError) error = NULL;
    LastEvent last = { "admin-remove-practice" };

    g_assert_true (signpost_store_foreach_audit (test_server_store (a), NULL, NULL, 0, 1000,
                                                 keep_event, &last, &error));
    g_assert_cmpstr (last.action, ==, "admin-remove-practice");
    g_assert_cmpstr (last.record_id, ==, a->practice_a);
    g_assert_nonnull (last.username);
    g_assert_true (g_str_has_prefix (last.detail, expected));
    last_event_clear (&last);
  }
  test_server_free (a);
}

/* ---- a move, with consoles open ---------------------------------------- */

static int
run_admin (TestDatabase *db,
           const char   *input,
           char        **out,
           ...)
{
  const char *bin = g_getenv ("SIGNPOST_SERVER_BIN");
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *err = NULL;
  const char *arg;
  va_list args;

  g_clear_pointer (out, g_free);
  g_assert_nonnull (bin);
  g_ptr_array_add (argv, g_strdup (bin));
  g_ptr_array_add (argv, g_strdup ("admin"));
  test_database_add_args (db, argv);
  va_start (args, out);
  while ((arg = va_arg (args, const char *)) != NULL)
    g_ptr_array_add (argv, g_strdup (arg));
  va_end (args);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                               G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_communicate_utf8 (process, input, NULL, out, &err, &error));
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process))
    g_error ("signpost-server admin died: %s", err);
  if (g_subprocess_get_exit_status (process) != 0)
    g_test_message ("signpost-server admin: %s", err);
  return g_subprocess_get_exit_status (process);
}

static char *
without_seq (JsonObject *change)
{
  g_autoptr(JsonObject) copy = json_object_new ();
  JsonObject *data = json_object_get_object_member (change, "data");
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;

  json_object_iter_init (&iter, data);
  while (json_object_iter_next (&iter, &key, &member))
    if (!g_str_equal (key, "seq"))
      json_object_set_member (copy, key, json_node_copy (member));
  return signpost_json_object_to_string (copy, NULL);
}

static void
test_move (void)
{
  SignpostServerOptions options;
  TestServer *a = NULL;
  TestServer *b = empty_server_new ();
  g_autofree char *bundle = NULL;
  g_autofree char *nav = NULL, *hub = NULL, *nav_on_b = NULL;
  g_autofree char *out = NULL;
  g_autoptr(GHashTable) console = NULL;
  g_autoptr(GHashTable) hub_copy = NULL;
  g_autoptr(GHashTable) hub_now = NULL;
  g_autoptr(GHashTable) on_b = NULL;
  g_autoptr(JsonObject) notice = NULL;
  TestLive *nav_live, *hub_live;
  GHashTableIter iter;
  JsonObject *change;
  const char *id;
  guint compared = 0;

  /* Quick pings, so that a console whose sign-in ends hears it soon. */
  signpost_server_options_init (&options);
  options.ping_interval_ms = 200;
  a = test_server_new (&options);
  bundle = bundle_path (a, "moving.spb");
  fill_practice_a (a);

  nav = test_login (a, "nav_a");
  hub = test_login (a, "hub");
  nav_live = test_live_connect (a, nav);
  hub_live = test_live_connect (a, hub);
  g_clear_pointer (&(JsonObject *) { test_live_wait (nav_live, "hello", 5000) }, json_object_unref);
  g_clear_pointer (&(JsonObject *) { test_live_wait (hub_live, "hello", 5000) }, json_object_unref);
  console = test_sync (a, nav, NULL);
  hub_copy = test_sync (a, hub, NULL);

  /* The admin commands, as a hub's administrator would run them. */
  g_assert_cmpint (run_admin (a->database, PASSPHRASE "\n", &out, "export-practice", "--practice",
                              "Y99951", "--out", bundle, NULL), ==, 0);
  g_assert_nonnull (strstr (out, "Checksum (sha256): "));
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_admin (b->database, PASSPHRASE "\n", &out, "import-practice", bundle, NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_admin (a->database, "the wrong passphrase\n", &out, "remove-practice",
                              "--practice", "Y99951", "--bundle", bundle, NULL), ==, 1);
  g_clear_pointer (&out, g_free);
  g_assert_cmpint (run_admin (a->database, PASSPHRASE "\n", &out, "remove-practice", "--practice",
                              "Y99951", "--bundle", bundle, NULL), ==, 0);

  /* Hub A hears of it, like any change; the hub navigator's copy drops
   * practice A and keeps practice B. */
  notice = test_live_wait (hub_live, "changes", 20000);
  g_assert_nonnull (notice);
  hub_now = test_sync (a, hub, NULL);
  g_hash_table_iter_init (&iter, hub_copy);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &change))
    {
      JsonObject *now = g_hash_table_lookup (hub_now, id);

      if (g_str_equal (json_object_get_string_member (change, "type"), "user"))
        continue;
      if (g_strcmp0 (change_practice (change), a->practice_a) == 0)
        assert_tombstone (now);
      else
        g_assert_cmpint (json_object_get_int_member (now, "version"), ==,
                         json_object_get_int_member (change, "version"));
    }

  /* The practice's console is signed out of hub A… */
  {
    gint64 give_up = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    while (!nav_live->closed && g_get_monotonic_time () < give_up)
      g_clear_pointer (&(JsonObject *) { test_live_wait (nav_live, NULL, 100) }, json_object_unref);
    g_assert_true (nav_live->closed);
    g_assert_cmpint (nav_live->close_code, ==, SIGNPOST_LIVE_CLOSE_SIGNED_OUT);
  }
  /* …signs in to hub B with the same name and password, and has
   * everything it had. */
  nav_on_b = test_login (b, "nav_a");
  on_b = test_sync (b, nav_on_b, NULL);
  g_hash_table_iter_init (&iter, console);
  while (g_hash_table_iter_next (&iter, (gpointer *) &id, (gpointer *) &change))
    {
      JsonObject *there = g_hash_table_lookup (on_b, id);
      g_autofree char *was = NULL;
      g_autofree char *is = NULL;

      if (g_str_equal (json_object_get_string_member (change, "type"), "user") &&
          g_hash_table_lookup (on_b, id) == NULL)
        continue;     /* the hub navigator stayed on hub A */
      g_assert_nonnull (there);
      was = without_seq (change);
      is = without_seq (there);
      g_assert_cmpstr (is, ==, was);
      compared++;
    }
  g_assert_cmpuint (compared, >, 25);

  test_live_free (nav_live);
  test_live_free (hub_live);
  test_server_free (a);
  test_server_free (b);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/practice/round-trip", test_round_trip);
  g_test_add_func ("/signpost/server/practice/refused", test_refused);
  g_test_add_func ("/signpost/server/practice/remove", test_remove);
  g_test_add_func ("/signpost/server/practice/move", test_move);

  return g_test_run ();
}
