/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server-test-util.h"

/*
 * The role × record × practice matrix of PROTOCOL.md, written out here
 * independently of the server's own tables, and checked over HTTP.
 */

enum { NAV, CLIN, MGR, ADMIN, N_ROLES };
static const char * const role_users[N_ROLES] = { "nav_a", "clin_a", "mgr_a", "admin" };

typedef enum { HIDDEN, SEEN, REDACTED } Expect;

static const char * const kinds[] = {
  "practice", "user", "clinician", "patient", "call", "triage", "slot", "appointment",
};

static const Expect read_matrix[N_ROLES][8] = {
  /*           practice user  clinician patient call      triage    slot  appointment */
  [NAV]   = { SEEN,    SEEN, SEEN,     SEEN,   SEEN,     REDACTED, SEEN, SEEN },
  [CLIN]  = { SEEN,    SEEN, SEEN,     SEEN,   SEEN,     SEEN,     SEEN, SEEN },
  [MGR]   = { SEEN,    SEEN, SEEN,     HIDDEN, REDACTED, REDACTED, SEEN, REDACTED },
  [ADMIN] = { SEEN,    SEEN, SEEN,     HIDDEN, HIDDEN,   HIDDEN,   HIDDEN, HIDDEN },
};

/* Fields that must come back null (or "" for a required text) when
 * redacted for a role, and be filled in otherwise. */
typedef struct {
  int role;
  const char *kind;
  const char *field;
  gboolean emptied;
} RedactedField;

static const RedactedField redacted_fields[] = {
  { NAV, "triage", "duty_notes", FALSE },
  { MGR, "call", "cli", FALSE },
  { MGR, "call", "callback_number", FALSE },
  { MGR, "call", "patient_id", FALSE },
  { MGR, "triage", "patient_id", FALSE },
  { MGR, "triage", "caller_name", FALSE },
  { MGR, "triage", "contact_number", FALSE },
  { MGR, "triage", "navigator_notes", FALSE },
  { MGR, "triage", "duty_notes", FALSE },
  { MGR, "triage", "reason", TRUE },
  { MGR, "appointment", "patient_id", FALSE },
  { MGR, "appointment", "reason", FALSE },
};

typedef struct {
  char *ids[2][8];     /* [practice A/B][kind] */
} Fixture;

static char *
add_record (TestServer *ts,
            const char *practice_id,
            guint       kind)
{
  switch (kind)
    {
    case 0: return g_strdup (practice_id);
    case 1: return test_add_user (ts, practice_id == ts->practice_a ? "extra_a" : "extra_b",
                                  SIGNPOST_ROLE_NAVIGATOR, practice_id, NULL, FALSE);
    case 2: return test_add_clinician (ts, practice_id);
    case 3: return test_add_patient (ts, practice_id);
    case 4:
      {
        char *id = test_add_call (ts, practice_id, SIGNPOST_CALL_CALLBACK_REQUESTED);
        g_autoptr(SignpostCall) call = test_get_record (ts, SIGNPOST_RECORD_CALL, id);
        g_autofree char *patient = test_add_patient (ts, practice_id);

        signpost_call_set_patient_id (call, patient);
        test_put_record (ts, call);
        return id;
      }
    case 5:
      {
        char *id = test_add_triage (ts, practice_id);
        g_autoptr(SignpostTriage) triage = test_get_record (ts, SIGNPOST_RECORD_TRIAGE, id);
        g_autofree char *patient = test_add_patient (ts, practice_id);

        signpost_triage_set_patient_id (triage, patient);
        test_put_record (ts, triage);
        return id;
      }
    case 6: return test_add_slot (ts, practice_id, 90, G_MININT, TRUE);
    case 7: return test_add_appointment (ts, practice_id, NULL);
    default: g_assert_not_reached ();
    }
}

static void
test_read_matrix (void)
{
  TestServer *ts = test_server_new (NULL);
  Fixture fixture;

  test_bulk_begin (ts);
  for (guint p = 0; p < 2; p++)
    for (guint k = 0; k < 8; k++)
      fixture.ids[p][k] = add_record (ts, p == 0 ? ts->practice_a : ts->practice_b, k);
  test_bulk_end (ts);

  for (guint role = 0; role < N_ROLES; role++)
    {
      g_autofree char *token = test_login (ts, role_users[role]);
      g_autoptr(GHashTable) seen = test_sync (ts, token, NULL);

      for (guint p = 0; p < 2; p++)
        for (guint k = 0; k < 8; k++)
          {
            JsonObject *change = g_hash_table_lookup (seen, fixture.ids[p][k]);
            Expect expect = read_matrix[role][k];
            JsonObject *data;

            /* Another practice: hidden, but for an admin's practices and users. */
            if (p == 1 && !(role == ADMIN && k <= 1))
              expect = HIDDEN;
            g_test_message ("%s reads %s of practice %c: expect %d", role_users[role], kinds[k],
                            'A' + p, expect);
            if (expect == HIDDEN)
              {
                g_assert_null (change);
                continue;
              }
            g_assert_nonnull (change);
            g_assert_cmpstr (json_object_get_string_member (change, "type"), ==, kinds[k]);
            data = json_object_get_object_member (change, "data");
            for (guint f = 0; f < G_N_ELEMENTS (redacted_fields); f++)
              {
                const RedactedField *rf = &redacted_fields[f];
                gboolean should_redact = FALSE;
                gboolean emptied = FALSE;

                if (!g_str_equal (rf->kind, kinds[k]))
                  continue;
                /* Redacted for this role if any rule names it for this role. */
                for (guint g = 0; g < G_N_ELEMENTS (redacted_fields); g++)
                  if (redacted_fields[g].role == (int) role &&
                      g_str_equal (redacted_fields[g].kind, rf->kind) &&
                      g_str_equal (redacted_fields[g].field, rf->field))
                    {
                      should_redact = expect == REDACTED;
                      emptied = redacted_fields[g].emptied;
                    }
                g_test_message ("  field %s: %s", rf->field, should_redact ? "redacted" : "shown");
                if (should_redact && emptied)
                  g_assert_cmpstr (json_object_get_string_member (data, rf->field), ==, "");
                else if (should_redact)
                  g_assert_true (json_object_get_null_member (data, rf->field));
                else
                  {
                    g_assert_false (json_object_get_null_member (data, rf->field));
                    g_assert_cmpstr (json_object_get_string_member (data, rf->field), !=, "");
                  }
              }
          }

      /* A user never sees another practice's data, whatever the kind. */
      if (role != ADMIN)
        {
          GHashTableIter iter;
          gpointer value;

          g_hash_table_iter_init (&iter, seen);
          while (g_hash_table_iter_next (&iter, NULL, &value))
            {
              JsonObject *data = json_object_get_object_member (value, "data");

              if (!g_str_equal (json_object_get_string_member (value, "type"), "user"))
                g_assert_cmpstr (json_object_get_string_member (data, "practice_id"), ==,
                                 ts->practice_a);
            }
        }
    }

  for (guint p = 0; p < 2; p++)
    for (guint k = 0; k < 8; k++)
      g_free (fixture.ids[p][k]);
  test_server_free (ts);
}

/* ---- writes ------------------------------------------------------------ */

typedef struct {
  const char *kind;
  const char *op;
  gboolean allowed[N_ROLES];   /* nav, clin, mgr, admin */
} WriteCase;

#define Y TRUE
#define N FALSE
static const WriteCase write_matrix[] = {
  { "practice",    "create",   { N, N, N, Y } },
  { "practice",    "update",   { N, N, N, Y } },
  { "practice",    "delete",   { N, N, N, N } },
  { "user",        "create",   { N, N, N, Y } },
  { "user",        "update",   { N, N, N, Y } },
  { "clinician",   "create",   { N, N, N, Y } },
  { "clinician",   "update",   { N, N, N, Y } },
  { "clinician",   "delete",   { N, N, N, Y } },
  { "patient",     "create",   { Y, Y, N, N } },
  { "patient",     "update",   { Y, Y, N, N } },
  { "patient",     "delete",   { N, N, N, N } },
  { "call",        "create",   { N, N, N, N } },
  { "call",        "update",   { Y, Y, N, N } },
  { "call",        "answer",   { Y, Y, N, N } },
  { "call",        "end",      { Y, Y, N, N } },
  { "call",        "complete", { Y, Y, N, N } },
  { "triage",      "create",   { Y, Y, N, N } },
  { "triage",      "update",   { Y, Y, N, N } },
  { "triage",      "review",   { N, Y, N, N } },
  { "triage",      "delete",   { N, N, N, N } },
  { "slot",        "create",   { N, Y, Y, N } },
  { "slot",        "update",   { N, Y, Y, N } },
  { "slot",        "delete",   { N, Y, Y, N } },
  { "slot",        "book",     { Y, Y, N, N } },
  { "slot",        "cancel",   { Y, Y, N, N } },
  { "appointment", "create",   { N, N, N, N } },
  { "appointment", "update",   { Y, Y, N, N } },
  { "appointment", "delete",   { N, N, N, N } },
};
#undef Y
#undef N

static guint serial;

/* Sets up a target in @practice that @c could apply to, and returns the
 * mutation for it. */
static char *
build_mutation (TestServer     *ts,
                const WriteCase *c,
                const char     *practice)
{
  g_autofree char *mutation_id = g_uuid_string_random ();
  g_autofree char *id = NULL;
  g_autofree char *data = NULL;
  gint64 base = 0;
  gboolean create = g_str_equal (c->op, "create");
  const char *kind = c->kind;

  serial++;
  if (create)
    {
      id = g_uuid_string_random ();
      if (g_str_equal (kind, "practice"))
        data = g_strdup_printf ("{\"ods_code\":\"Y%05u\",\"name\":\"New practice\","
                                "\"time_zone\":\"Europe/London\"}", 10000 + serial);
      else if (g_str_equal (kind, "user"))
        data = g_strdup_printf ("{\"practice_id\":\"%s\",\"username\":\"user%u\","
                                "\"display_name\":\"New user\",\"role\":\"navigator\","
                                "\"practice_ids\":[\"%s\"]}", practice, serial, practice);
      else if (g_str_equal (kind, "clinician"))
        data = g_strdup_printf ("{\"practice_id\":\"%s\",\"given_name\":\"Ann\","
                                "\"family_name\":\"Other\",\"profession\":\"nurse\"}", practice);
      else if (g_str_equal (kind, "patient"))
        data = g_strdup_printf ("{\"practice_id\":\"%s\",\"given_name\":\"Ann\","
                                "\"family_name\":\"Other\",\"date_of_birth\":\"2001-03-04\","
                                "\"sex\":\"female\"}", practice);
      else if (g_str_equal (kind, "call"))
        data = g_strdup_printf ("{\"practice_id\":\"%s\",\"call_ref\":\"x%u\",\"line\":\"%s\","
                                "\"state\":\"queued\",\"offered_at\":\"2026-11-23T08:00:00Z\"}",
                                practice, serial, TEST_LINE_A);
      else if (g_str_equal (kind, "triage"))
        data = g_strdup_printf ("{\"practice_id\":\"%s\",\"reason\":\"Earache\","
                                "\"urgency\":\"routine\",\"status\":\"open\"}", practice);
      else if (g_str_equal (kind, "slot"))
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          g_autoptr(GDateTime) start = g_date_time_add_hours (now, 48);
          g_autofree char *start_text = signpost_timestamp_format (start);

          data = g_strdup_printf ("{\"practice_id\":\"%s\",\"clinician_id\":\"%s\","
                                  "\"start\":\"%s\",\"duration_minutes\":15,"
                                  "\"mode\":\"telephone\",\"status\":\"free\"}",
                                  practice, practice == ts->practice_a ? ts->gp_a : ts->gp_b,
                                  start_text);
        }
      else if (g_str_equal (kind, "appointment"))
        {
          g_autofree char *slot = test_add_slot (ts, practice, 200, G_MININT, TRUE);
          g_autofree char *patient = test_add_patient (ts, practice);

          data = g_strdup_printf ("{\"practice_id\":\"%s\",\"slot_id\":\"%s\",\"patient_id\":\"%s\","
                                  "\"status\":\"booked\"}", practice, slot, patient);
        }
    }
  else
    {
      SignpostRecordKind record_kind;
      g_autoptr(SignpostRecord) record = NULL;

      g_assert_true (signpost_record_kind_from_string (kind, &record_kind));
      if (g_str_equal (kind, "practice"))
        id = g_strdup (practice);
      else if (g_str_equal (kind, "user"))
        {
          g_autofree char *name = g_strdup_printf ("target%u", serial);
          id = test_add_user (ts, name, SIGNPOST_ROLE_NAVIGATOR, practice, NULL, FALSE);
        }
      else if (g_str_equal (kind, "clinician"))
        id = test_add_clinician (ts, practice);
      else if (g_str_equal (kind, "patient"))
        id = test_add_patient (ts, practice);
      else if (g_str_equal (kind, "call"))
        id = test_add_call (ts, practice,
                            g_str_equal (c->op, "end") ? SIGNPOST_CALL_ANSWERED
                            : g_str_equal (c->op, "complete") ? SIGNPOST_CALL_CALLBACK_REQUESTED
                            : SIGNPOST_CALL_QUEUED);
      else if (g_str_equal (kind, "triage"))
        id = test_add_triage (ts, practice);
      else if (g_str_equal (kind, "slot"))
        {
          if (g_str_equal (c->op, "cancel"))
            g_free (test_add_appointment (ts, practice, &id));
          else
            id = test_add_slot (ts, practice, 120, G_MININT, TRUE);
        }
      else if (g_str_equal (kind, "appointment"))
        id = test_add_appointment (ts, practice, NULL);
      record = test_get_record (ts, record_kind, id);
      base = signpost_record_get_version (record);

      if (g_str_equal (c->op, "update"))
        {
          if (g_str_equal (kind, "practice"))
            data = g_strdup ("{\"name\":\"Renamed practice\"}");
          else if (g_str_equal (kind, "user"))
            data = g_strdup ("{\"display_name\":\"Renamed user\"}");
          else if (g_str_equal (kind, "clinician"))
            data = g_strdup ("{\"title\":\"Dr\"}");
          else if (g_str_equal (kind, "patient"))
            data = g_strdup ("{\"postcode\":\"LS1 4AP\"}");
          else if (g_str_equal (kind, "call"))
            {
              g_autofree char *patient = test_add_patient (ts, practice);
              data = g_strdup_printf ("{\"patient_id\":\"%s\"}", patient);
            }
          else if (g_str_equal (kind, "triage"))
            data = g_strdup ("{\"navigator_notes\":\"Called back\"}");
          else if (g_str_equal (kind, "slot"))
            data = g_strdup ("{\"mode\":\"video\"}");
          else if (g_str_equal (kind, "appointment"))
            data = g_strdup ("{\"status\":\"arrived\"}");
        }
      else if (g_str_equal (c->op, "book"))
        {
          g_autofree char *patient = test_add_patient (ts, practice);
          g_autofree char *appointment = g_uuid_string_random ();
          data = g_strdup_printf ("{\"appointment_id\":\"%s\",\"patient_id\":\"%s\"}",
                                  appointment, patient);
        }
      else if (g_str_equal (c->op, "complete"))
        data = g_strdup ("{\"outcome\":\"reached\"}");
      else if (g_str_equal (c->op, "review"))
        data = g_strdup ("{\"duty_notes\":\"Reviewed\"}");
    }
  return g_strdup_printf ("{\"mutation_id\":\"%s\",\"type\":\"%s\",\"op\":\"%s\",\"id\":\"%s\","
                          "\"base_version\":%" G_GINT64_FORMAT ",\"data\":%s}",
                          mutation_id, kind, c->op, id, base, data ? data : "null");
}

static void
test_write_matrix (void)
{
  TestServer *ts = test_server_new (NULL);

  for (guint role = 0; role < N_ROLES; role++)
    {
      g_autofree char *token = test_login (ts, role_users[role]);

      for (guint p = 0; p < 2; p++)
        {
          const char *practice = p == 0 ? ts->practice_a : ts->practice_b;
          g_autoptr(GPtrArray) mutations = g_ptr_array_new_with_free_func (g_free);
          g_autoptr(JsonArray) results = NULL;
          g_autofree char *joined = NULL;
          g_autofree char *batch = NULL;

          /* One batch per role and practice: each mutation stands alone. */
          test_bulk_begin (ts);
          for (guint i = 0; i < G_N_ELEMENTS (write_matrix); i++)
            g_ptr_array_add (mutations, build_mutation (ts, &write_matrix[i], practice));
          test_bulk_end (ts);
          g_ptr_array_add (mutations, NULL);
          joined = g_strjoinv (",", (char **) mutations->pdata);
          batch = g_strdup_printf ("[%s]", joined);
          results = test_mutate (ts, token, batch);
          g_assert_cmpuint (json_array_get_length (results), ==, G_N_ELEMENTS (write_matrix));

          for (guint i = 0; i < G_N_ELEMENTS (write_matrix); i++)
            {
              const WriteCase *c = &write_matrix[i];
              JsonObject *result = json_array_get_object_element (results, i);
              gboolean allowed = c->allowed[role];
              const char *status = test_result_status (result);

              /* Another practice is out of bounds, except for an admin's
               * practices and users. */
              if (p == 1 && !(role == ADMIN &&
                              (g_str_equal (c->kind, "practice") || g_str_equal (c->kind, "user"))))
                allowed = FALSE;
              g_test_message ("%s %s %s in practice %c: %s (%u)", role_users[role], c->op, c->kind,
                              'A' + p, status, test_result_problem_status (result));
              if (allowed)
                g_assert_cmpstr (status, ==, "applied");
              else
                {
                  /* A role's own refusal is 403; a record of another
                   * practice, which the role could otherwise change, is
                   * not there at all (404), so its id says nothing. */
                  gboolean unseen = c->allowed[role] && p == 1 && !g_str_equal (c->op, "create");

                  g_assert_cmpstr (status, ==, "rejected");
                  g_assert_cmpuint (test_result_problem_status (result), ==, unseen ? 404 : 403);
                }
            }
        }
    }
  test_server_free (ts);
}

/* Fields a role may not touch, even in a record it may change. */
static void
test_field_rules (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *mgr = test_login (ts, "mgr_a");
  g_autofree char *call = test_add_call (ts, ts->practice_a, SIGNPOST_CALL_QUEUED);
  g_autofree char *triage = test_add_triage (ts, ts->practice_a);
  g_autofree char *slot = test_add_slot (ts, ts->practice_a, 120, G_MININT, TRUE);
  g_autoptr(JsonObject) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL;
  g_autofree char *move = NULL;

  r1 = test_mutate_one (ts, nav, "call", "update", call, 1, "{\"state\":\"ended\"}");
  g_assert_cmpuint (test_result_problem_status (r1), ==, 403);
  r2 = test_mutate_one (ts, nav, "triage", "update", triage, 1, "{\"reviewed_by\":\"" "00000000-0000-4000-8000-000000000000" "\"}");
  g_assert_cmpuint (test_result_problem_status (r2), ==, 403);
  /* Managers block slots, but "booked" only comes from a booking. */
  r3 = test_mutate_one (ts, mgr, "slot", "update", slot, 1, "{\"status\":\"booked\"}");
  g_assert_cmpuint (test_result_problem_status (r3), ==, 403);
  r4 = test_mutate_one (ts, mgr, "slot", "update", slot, 1, "{\"status\":\"blocked\"}");
  g_assert_cmpstr (test_result_status (r4), ==, "applied");
  /* Nobody moves a record to another practice. */
  move = g_strdup_printf ("{\"practice_id\":\"%s\"}", ts->practice_b);
  r5 = test_mutate_one (ts, nav, "triage", "update", triage, 1, move);
  g_assert_cmpstr (test_result_status (r5), ==, "rejected");
  test_server_free (ts);
}

/* Queue and audit, route by route. */
static void
test_routes (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *mgr = test_login (ts, "mgr_a");
  g_autofree char *admin = test_login (ts, "admin");
  g_autofree char *hub = test_login (ts, "hub");
  g_autofree char *queue_b = g_strdup_printf ("/api/v1/queue?practice=%s", ts->practice_b);
  g_autoptr(TestReply) r1 = NULL, r2 = NULL, r3 = NULL, r4 = NULL, r5 = NULL, r6 = NULL;

  r1 = test_http (ts, NULL, "GET", "/api/v1/queue", nav, NULL, -1);
  g_assert_cmpuint (r1->status, ==, 200);
  r2 = test_http (ts, NULL, "GET", queue_b, nav, NULL, -1);
  test_assert_problem (r2, 403, "practice");
  r3 = test_http (ts, NULL, "GET", "/api/v1/queue", admin, NULL, -1);
  test_assert_problem (r3, 403, NULL);
  r4 = test_http (ts, NULL, "GET", "/api/v1/queue", hub, NULL, -1);
  test_assert_problem (r4, 422, "practice");
  r5 = test_http (ts, NULL, "GET", "/api/v1/audit", mgr, NULL, -1);
  test_assert_problem (r5, 403, NULL);
  r6 = test_http (ts, NULL, "GET", "/api/v1/audit", admin, NULL, -1);
  g_assert_cmpuint (r6->status, ==, 200);
  test_server_free (ts);
}

static void
test_audit (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *nav = test_login (ts, "nav_a");
  g_autofree char *nav_b = test_login (ts, "nav_b");
  g_autofree char *admin = test_login (ts, "admin");
  g_autofree char *patient = test_add_patient (ts, ts->practice_a);
  g_autofree char *view = g_strdup_printf ("{\"patient_id\":\"%s\",\"context\":\"caller popup\"}",
                                           patient);
  g_autofree char *path = g_strdup_printf ("/api/v1/audit?patient_id=%s", patient);
  g_autoptr(TestReply) viewed = NULL, refused = NULL;
  g_autoptr(JsonObject) update = NULL;
  g_autoptr(JsonObject) log = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *events;
  gboolean saw_view = FALSE, saw_update = FALSE;

  viewed = test_http (ts, NULL, "POST", "/api/v1/audit/views", nav, view, -1);
  g_assert_cmpuint (viewed->status, ==, 200);
  /* Another practice's patient is no patient at all, as far as nav_b is told. */
  refused = test_http (ts, NULL, "POST", "/api/v1/audit/views", nav_b, view, -1);
  test_assert_problem (refused, 404, "patient_id");
  update = test_mutate_one (ts, nav, "patient", "update", patient, 1, "{\"postcode\":\"LS1 4AP\"}");
  g_assert_cmpstr (test_result_status (update), ==, "applied");

  log = test_get_json (ts, path, admin);
  events = json_object_get_array_member (log, "events");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);
      const char *action = json_object_get_string_member (event, "action");

      g_assert_cmpstr (json_object_get_string_member (event, "patient_id"), ==, patient);
      if (g_str_equal (action, "view"))
        {
          g_assert_cmpstr (json_object_get_string_member (event, "username"), ==, "nav_a");
          g_assert_cmpstr (json_object_get_string_member (event, "detail"), ==, "caller popup");
          g_assert_cmpstr (json_object_get_string_member (event, "client"), ==, "127.0.0.1");
          saw_view = TRUE;
        }
      else if (g_str_equal (action, "update"))
        saw_update = TRUE;
    }
  g_assert_true (saw_view);
  g_assert_true (saw_update);

  /* Append-only, even for SQL that tries. */
  g_assert_false (test_database_exec (ts->database, "DELETE FROM audit", &error));
  g_assert_nonnull (error);
  g_clear_error (&error);
  g_assert_false (test_database_exec (ts->database, "UPDATE audit SET username = 'x'", &error));
  g_assert_nonnull (error);
  test_server_free (ts);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/access/read-matrix", test_read_matrix);
  g_test_add_func ("/signpost/server/access/write-matrix", test_write_matrix);
  g_test_add_func ("/signpost/server/access/field-rules", test_field_rules);
  g_test_add_func ("/signpost/server/access/routes", test_routes);
  g_test_add_func ("/signpost/server/access/audit", test_audit);

  return g_test_run ();
}
