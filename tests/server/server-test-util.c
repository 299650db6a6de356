/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <glib/gstdio.h>

#include "server-test-util.h"
#include "signpost-apply.h"
#include "signpost-auth.h"
#include "signpost-database.h"
#include "signpost-telephony.h"

/* Every helper drives the main context until its answer is in: the
 * server under test runs in the same thread. */

static gboolean
timeout_cb (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
test_wait_until (gboolean *done,
                 guint     timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);

  while (!*done && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  g_assert_true (*done);
}

void
test_sleep (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, timeout_cb, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

static const char *
password_hash (void)
{
  static char *hash;

  /* Hashing costs ~0.1 s: once per test program is plenty. */
  if (hash == NULL)
    hash = signpost_auth_hash_password (TEST_PASSWORD, NULL);
  return hash;
}

SignpostStore *
test_server_store (TestServer *ts)
{
  return ts->store;
}

void
test_put_record (TestServer *ts,
                 gpointer    record)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  SignpostApplyContext ctx;

  signpost_apply_context_init (&ctx, test_server_store (ts), NULL, now);
  if (!ts->bulk)
    g_assert_true (signpost_store_begin (test_server_store (ts), &error));
  g_assert_true (signpost_apply_write (&ctx, record, FALSE, &error));
  g_assert_no_error (error);
  if (!ts->bulk)
    g_assert_true (signpost_store_commit (test_server_store (ts), &error));
  signpost_apply_context_clear (&ctx);
}

/* Many fixture records in one transaction (one fsync). */
void
test_bulk_begin (TestServer *ts)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (signpost_store_begin (test_server_store (ts), &error));
  ts->bulk = TRUE;
}

void
test_bulk_end (TestServer *ts)
{
  g_autoptr(GError) error = NULL;

  ts->bulk = FALSE;
  g_assert_true (signpost_store_commit (test_server_store (ts), &error));
}

gpointer
test_get_record (TestServer         *ts,
                 SignpostRecordKind  kind,
                 const char         *id)
{
  g_autoptr(GError) error = NULL;
  gpointer record = signpost_store_get_record (test_server_store (ts), kind, id, NULL, &error);

  g_assert_no_error (error);
  return record;
}

static char *
add_practice (TestServer *ts,
              const char *ods,
              const char *line,
              const char *secret)
{
  g_autoptr(SignpostPractice) practice = signpost_practice_new ();
  g_autoptr(GError) error = NULL;
  char *id = g_uuid_string_random ();
  const char * const lines[] = { line, NULL };

  signpost_record_set_id (SIGNPOST_RECORD (practice), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (practice), id);
  signpost_practice_set_ods_code (practice, ods);
  signpost_practice_set_name (practice, ods);
  signpost_practice_set_lines (practice, lines);
  signpost_practice_set_time_zone (practice, "Europe/London");
  test_put_record (ts, practice);
  g_assert_true (signpost_store_set_line (test_server_store (ts), line, id, secret, &error));
  return id;
}

char *
test_add_practice (TestServer *ts,
                   const char *ods,
                   const char *line,
                   const char *secret)
{
  return add_practice (ts, ods, line, secret);
}

char *
test_add_user (TestServer   *ts,
               const char   *username,
               SignpostRole  role,
               const char   *practice_1,
               const char   *practice_2,
               gboolean      hub)
{
  g_autoptr(SignpostUser) user = signpost_user_new ();
  g_autoptr(GError) error = NULL;
  char *id = g_uuid_string_random ();
  const char * const practices[] = { practice_1, practice_2, NULL };

  signpost_record_set_id (SIGNPOST_RECORD (user), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (user), practice_1);
  signpost_user_set_username (user, username);
  signpost_user_set_display_name (user, username);
  signpost_user_set_role (user, role);
  signpost_user_set_practice_ids (user, practices);
  signpost_user_set_hub (user, hub);
  test_put_record (ts, user);
  g_assert_true (signpost_store_set_password_hash (test_server_store (ts), id, password_hash (),
                                                   &error));
  return id;
}

char *
test_add_clinician (TestServer *ts,
                    const char *practice_id)
{
  g_autoptr(SignpostClinician) clinician = signpost_clinician_new ();
  char *id = g_uuid_string_random ();

  signpost_record_set_id (SIGNPOST_RECORD (clinician), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (clinician), practice_id);
  signpost_clinician_set_given_name (clinician, "Gemma");
  signpost_clinician_set_family_name (clinician, "Pearce");
  signpost_clinician_set_profession (clinician, SIGNPOST_PROFESSION_GP);
  test_put_record (ts, clinician);
  return id;
}

char *
test_add_patient (TestServer *ts,
                  const char *practice_id)
{
  g_autoptr(SignpostPatient) patient = signpost_patient_new ();
  char *id = g_uuid_string_random ();

  signpost_record_set_id (SIGNPOST_RECORD (patient), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (patient), practice_id);
  signpost_patient_set_given_name (patient, "Ada");
  signpost_patient_set_family_name (patient, "Testcase");
  signpost_patient_set_date_of_birth (patient, "1980-02-29");
  signpost_patient_set_sex (patient, SIGNPOST_SEX_FEMALE);
  signpost_patient_set_nhs_number (patient, "9990000018");
  test_put_record (ts, patient);
  return id;
}

/* A slot @start_minutes from now; @release_minutes from now too, or
 * G_MININT for "bookable now". */
char *
test_add_slot (TestServer *ts,
               const char *practice_id,
               int         start_minutes,
               int         release_minutes,
               gboolean    hub_bookable)
{
  g_autoptr(SignpostSlot) slot = signpost_slot_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) start = g_date_time_add_minutes (now, start_minutes);
  char *id = g_uuid_string_random ();

  signpost_record_set_id (SIGNPOST_RECORD (slot), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (slot), practice_id);
  signpost_slot_set_clinician_id (slot, g_strcmp0 (practice_id, ts->practice_a) == 0 ? ts->gp_a
                                                                                     : ts->gp_b);
  signpost_slot_set_start (slot, start);
  signpost_slot_set_duration_minutes (slot, 10);
  signpost_slot_set_mode (slot, SIGNPOST_SLOT_MODE_FACE_TO_FACE);
  if (release_minutes != G_MININT)
    {
      g_autoptr(GDateTime) release = g_date_time_add_minutes (now, release_minutes);

      signpost_slot_set_release_at (slot, release);
    }
  signpost_slot_set_hub_bookable (slot, hub_bookable);
  signpost_slot_set_status (slot, SIGNPOST_SLOT_FREE);
  test_put_record (ts, slot);
  return id;
}

char *
test_add_call (TestServer        *ts,
               const char        *practice_id,
               SignpostCallState  state)
{
  g_autoptr(SignpostCall) call = signpost_call_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *ref = g_uuid_string_random ();
  char *id = g_uuid_string_random ();

  signpost_record_set_id (SIGNPOST_RECORD (call), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (call), practice_id);
  signpost_call_set_call_ref (call, ref);
  signpost_call_set_line (call, g_strcmp0 (practice_id, ts->practice_a) == 0 ? TEST_LINE_A
                                                                            : TEST_LINE_B);
  signpost_call_set_cli (call, "+447700900001");
  signpost_call_set_state (call, state);
  signpost_call_set_offered_at (call, now);
  if (state == SIGNPOST_CALL_CALLBACK_REQUESTED)
    {
      signpost_call_set_callback_requested_at (call, now);
      signpost_call_set_callback_number (call, "+447700900001");
    }
  test_put_record (ts, call);
  return id;
}

char *
test_add_triage (TestServer *ts,
                 const char *practice_id)
{
  g_autoptr(SignpostTriage) triage = signpost_triage_new ();
  char *id = g_uuid_string_random ();

  signpost_record_set_id (SIGNPOST_RECORD (triage), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (triage), practice_id);
  signpost_triage_set_reason (triage, "Cough for three weeks");
  signpost_triage_set_caller_name (triage, "Ada Testcase");
  signpost_triage_set_contact_number (triage, "+447700900002");
  signpost_triage_set_navigator_notes (triage, "Prefers mornings");
  signpost_triage_set_duty_notes (triage, "Call back today");
  signpost_triage_set_urgency (triage, SIGNPOST_URGENCY_ROUTINE);
  signpost_triage_set_status (triage, SIGNPOST_TRIAGE_OPEN);
  test_put_record (ts, triage);
  return id;
}

char *
test_add_appointment (TestServer  *ts,
                      const char  *practice_id,
                      char       **slot_id)
{
  g_autoptr(SignpostAppointment) appointment = signpost_appointment_new ();
  g_autoptr(SignpostSlot) slot = NULL;
  g_autofree char *patient = test_add_patient (ts, practice_id);
  g_autofree char *slot_ref = test_add_slot (ts, practice_id, 120, G_MININT, TRUE);
  char *id = g_uuid_string_random ();

  slot = test_get_record (ts, SIGNPOST_RECORD_SLOT, slot_ref);
  signpost_slot_set_status (slot, SIGNPOST_SLOT_BOOKED);
  test_put_record (ts, slot);
  signpost_record_set_id (SIGNPOST_RECORD (appointment), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (appointment), practice_id);
  signpost_appointment_set_slot_id (appointment, slot_ref);
  signpost_appointment_set_patient_id (appointment, patient);
  signpost_appointment_set_reason (appointment, "Blood pressure review");
  signpost_appointment_set_status (appointment, SIGNPOST_APPOINTMENT_BOOKED);
  test_put_record (ts, appointment);
  if (slot_id != NULL)
    *slot_id = g_steal_pointer (&slot_ref);
  return id;
}

static TestServer *
server_new (TestDatabase                *database,
            gboolean                     owned,
            gboolean                     fixture,
            const SignpostServerOptions *options)
{
  TestServer *ts = g_new0 (TestServer, 1);
  g_autoptr(GError) error = NULL;

  ts->database = database;
  ts->owns_database = owned;
  ts->store = signpost_database_open (test_database_location (ts->database), &error);
  g_assert_no_error (error);

  if (fixture)
    {
      g_autofree char *a = NULL, *b = NULL, *c = NULL, *d = NULL, *e = NULL, *f = NULL;

      ts->practice_a = add_practice (ts, "Y99951", TEST_LINE_A, TEST_SECRET_A);
      ts->practice_b = add_practice (ts, "Y99952", TEST_LINE_B, TEST_SECRET_B);
      ts->gp_a = test_add_clinician (ts, ts->practice_a);
      ts->gp_b = test_add_clinician (ts, ts->practice_b);
      a = test_add_user (ts, "nav_a", SIGNPOST_ROLE_NAVIGATOR, ts->practice_a, NULL, FALSE);
      b = test_add_user (ts, "nav_b", SIGNPOST_ROLE_NAVIGATOR, ts->practice_b, NULL, FALSE);
      c = test_add_user (ts, "hub", SIGNPOST_ROLE_NAVIGATOR, ts->practice_a, ts->practice_b, TRUE);
      d = test_add_user (ts, "clin_a", SIGNPOST_ROLE_CLINICIAN, ts->practice_a, NULL, FALSE);
      e = test_add_user (ts, "mgr_a", SIGNPOST_ROLE_MANAGER, ts->practice_a, NULL, FALSE);
      f = test_add_user (ts, "admin", SIGNPOST_ROLE_ADMIN, ts->practice_a, NULL, FALSE);
    }

  ts->server = signpost_server_new (ts->store, options);
  g_assert_true (signpost_server_listen (ts->server, "127.0.0.1", 0, NULL, NULL, &error));
  g_assert_no_error (error);
  ts->base = g_strdup_printf ("http://127.0.0.1:%u", signpost_server_get_port (ts->server));
  ts->session = soup_session_new_with_options ("max-conns-per-host", 16, NULL);
  return ts;
}

TestServer *
test_server_new (const SignpostServerOptions *options)
{
  return server_new (test_database_new (), TRUE, TRUE, options);
}

/* A server on a database of its own with nothing in it: another hub. */
TestServer *
test_server_new_empty (const SignpostServerOptions *options)
{
  return server_new (test_database_new (), TRUE, FALSE, options);
}

/**
 * test_server_new_on:
 * @database: (transfer none): a database that outlives the server
 * @fixture: whether to write the fixture (practices, users) first
 *
 * A server as test_server_new() makes, on a database of the caller's.
 */
TestServer *
test_server_new_on (TestDatabase                *database,
                    gboolean                     fixture,
                    const SignpostServerOptions *options)
{
  return server_new (database, FALSE, fixture, options);
}

typedef struct {
  char *line;
  GError *error;
  gboolean done;
} LineRead;

static void
read_line_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      data)
{
  LineRead *read = data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                          NULL, &read->error);
  read->done = TRUE;
}

/**
 * test_server_new_instance:
 *
 * Starts the real signpost-server on @ts's database, as a second instance
 * would be started (the database named with --db or --db-file), and
 * waits, running the main loop, until it listens. Free it with
 * test_server_free(), which stops it with SIGTERM.
 */
TestServer *
test_server_new_instance (TestServer *ts)
{
  TestServer *instance = g_new0 (TestServer, 1);
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GDataInputStream) out = NULL;
  g_autoptr(GError) error = NULL;
  const char *bin = g_getenv ("SIGNPOST_SERVER_BIN");
  LineRead read = { 0 };

  g_assert_nonnull (bin);
  g_ptr_array_add (argv, g_strdup (bin));
  test_database_add_args (ts->database, argv);
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1:0"));
  g_ptr_array_add (argv, NULL);
  instance->process = g_subprocess_newv ((const char * const *) argv->pdata,
                                         G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error);
  g_assert_no_error (error);
  /* The main loop runs meanwhile: this process may be serving it. */
  out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (instance->process));
  g_data_input_stream_read_line_async (out, G_PRIORITY_DEFAULT, NULL, read_line_cb, &read);
  while (!read.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (read.error);
  if (read.line == NULL || !g_str_has_prefix (read.line, "Listening on http://"))
    g_error ("The second instance did not start: %s", read.line ? read.line : "(it exited)");
  instance->base = g_strndup (read.line + strlen ("Listening on "),
                              strlen (read.line) - strlen ("Listening on ") - 1);
  g_free (read.line);
  instance->session = soup_session_new_with_options ("max-conns-per-host", 16, NULL);
  instance->practice_a = g_strdup (ts->practice_a);
  instance->practice_b = g_strdup (ts->practice_b);
  instance->gp_a = g_strdup (ts->gp_a);
  instance->gp_b = g_strdup (ts->gp_b);
  return instance;
}

void
test_server_free (TestServer *ts)
{
  g_clear_object (&ts->session);
  g_clear_object (&ts->server);
  if (ts->process != NULL)
    {
      g_subprocess_send_signal (ts->process, SIGTERM);
      g_subprocess_wait (ts->process, NULL, NULL);
      g_assert_true (g_subprocess_get_if_exited (ts->process));
      g_assert_cmpint (g_subprocess_get_exit_status (ts->process), ==, 0);
      g_clear_object (&ts->process);
    }
  /* Let closing connections and timers wind down before the next test. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_clear_object (&ts->store);
  if (ts->owns_database)
    g_clear_pointer (&ts->database, test_database_free);
  g_free (ts->base);
  g_free (ts->practice_a);
  g_free (ts->practice_b);
  g_free (ts->gp_a);
  g_free (ts->gp_b);
  g_free (ts);
}

/* ---- HTTP -------------------------------------------------------------- */

void
test_reply_free (TestReply *reply)
{
  g_free (reply->body);
  g_clear_pointer (&reply->headers, soup_message_headers_unref);
  g_clear_error (&reply->error);
  g_free (reply);
}

typedef struct {
  SoupMessage *msg;
  TestReply **slot;
  guint *pending;
} Pending;

static void
http_done (GObject      *source,
           GAsyncResult *result,
           gpointer      data)
{
  Pending *pending = data;
  TestReply *reply = g_new0 (TestReply, 1);
  g_autoptr(GBytes) bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result,
                                                               &reply->error);

  reply->status = soup_message_get_status (pending->msg);
  reply->headers = soup_message_headers_ref (soup_message_get_response_headers (pending->msg));
  if (bytes != NULL)
    {
      reply->length = g_bytes_get_size (bytes);
      reply->body = g_strndup (g_bytes_get_data (bytes, NULL), reply->length);
    }
  *pending->slot = reply;
  (*pending->pending)--;
  g_object_unref (pending->msg);
  g_free (pending);
}

void
test_http_start (TestServer   *ts,
                 SoupSession  *session,
                 const char   *method,
                 const char   *path,
                 const char   *token,
                 const char   *body,
                 TestReply   **slot,
                 guint        *counter)
{
  g_autofree char *uri = g_strconcat (ts->base, path, NULL);
  Pending *pending = g_new0 (Pending, 1);

  pending->msg = soup_message_new (method, uri);
  g_assert_nonnull (pending->msg);
  pending->slot = slot;
  pending->pending = counter;
  if (token != NULL)
    {
      g_autofree char *header = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (pending->msg),
                                    "Authorization", header);
    }
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (pending->msg, "application/json", bytes);
    }
  (*counter)++;
  soup_session_send_and_read_async (session ? session : ts->session, pending->msg,
                                    G_PRIORITY_DEFAULT, NULL, http_done, pending);
}

TestReply *
test_http (TestServer  *ts,
           SoupSession *session,
           const char  *method,
           const char  *path,
           const char  *token,
           const char  *body,
           gssize       length)
{
  g_autofree char *uri = g_strconcat (ts->base, path, NULL);
  TestReply *reply = NULL;
  guint pending = 0;

  if (body != NULL && length >= 0 && (gsize) length != strlen (body))
    {
      /* Bodies with NULs or invalid UTF-8: send the bytes as they are. */
      Pending *p = g_new0 (Pending, 1);
      g_autoptr(GBytes) bytes = g_bytes_new (body, length);

      p->msg = soup_message_new (method, uri);
      p->slot = &reply;
      p->pending = &pending;
      if (token != NULL)
        {
          g_autofree char *header = g_strconcat ("Bearer ", token, NULL);
          soup_message_headers_replace (soup_message_get_request_headers (p->msg),
                                        "Authorization", header);
        }
      soup_message_set_request_body_from_bytes (p->msg, "application/json", bytes);
      pending++;
      soup_session_send_and_read_async (session ? session : ts->session, p->msg,
                                        G_PRIORITY_DEFAULT, NULL, http_done, p);
    }
  else
    test_http_start (ts, session, method, path, token, body, &reply, &pending);
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (reply->error);
  return reply;
}

/* One request with one more header (@header: @value), e.g. a replayed
 * time for /mutations. */
TestReply *
test_http_with_header (TestServer *ts,
                       const char *method,
                       const char *path,
                       const char *token,
                       const char *body,
                       const char *header,
                       const char *value)
{
  g_autofree char *uri = g_strconcat (ts->base, path, NULL);
  TestReply *reply = NULL;
  guint pending = 1;
  Pending *p = g_new0 (Pending, 1);
  SoupMessageHeaders *headers;

  p->msg = soup_message_new (method, uri);
  p->slot = &reply;
  p->pending = &pending;
  headers = soup_message_get_request_headers (p->msg);
  if (token != NULL)
    {
      g_autofree char *auth = g_strconcat ("Bearer ", token, NULL);

      soup_message_headers_replace (headers, "Authorization", auth);
    }
  if (header != NULL)
    soup_message_headers_replace (headers, header, value);
  if (body != NULL)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

      soup_message_set_request_body_from_bytes (p->msg, "application/json", bytes);
    }
  soup_session_send_and_read_async (ts->session, p->msg, G_PRIORITY_DEFAULT, NULL, http_done, p);
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (reply->error);
  return reply;
}

JsonObject *
test_reply_json (TestReply *reply)
{
  g_autoptr(GError) error = NULL;
  JsonObject *object = signpost_json_parse_object (reply->body, reply->length, G_MAXSIZE, &error);

  if (object == NULL)
    g_error ("Not a JSON object (%u): %.*s", reply->status, (int) MIN (reply->length, 500),
             reply->body ? reply->body : "");
  return object;
}

void
test_assert_problem (TestReply  *reply,
                     guint       status,
                     const char *field)
{
  g_autoptr(JsonObject) problem = NULL;
  const char *content_type;

  if (reply->status != status)
    g_error ("Expected %u, got %u: %.*s", status, reply->status, (int) MIN (reply->length, 500),
             reply->body ? reply->body : "");
  content_type = soup_message_headers_get_content_type (reply->headers, NULL);
  g_assert_cmpstr (content_type, ==, "application/problem+json");
  problem = test_reply_json (reply);
  g_assert_cmpint (json_object_get_int_member (problem, "status"), ==, status);
  g_assert_true (g_str_has_prefix (json_object_get_string_member (problem, "type"),
                                   "urn:signpost:problem:"));
  g_assert_nonnull (json_object_get_string_member (problem, "title"));
  g_assert_nonnull (json_object_get_string_member (problem, "detail"));
  if (field != NULL)
    g_assert_cmpstr (json_object_get_string_member_with_default (problem, "field", NULL), ==, field);
}

char *
test_login (TestServer *ts,
            const char *username)
{
  g_autofree char *body = g_strdup_printf ("{\"username\":\"%s\",\"password\":\"%s\"}",
                                           username, TEST_PASSWORD);
  g_autoptr(TestReply) reply = test_http (ts, NULL, "POST", "/api/v1/login", NULL, body, -1);
  g_autoptr(JsonObject) object = NULL;

  if (reply->status != 200)
    g_error ("login as %s: %u %s", username, reply->status, reply->body);
  object = test_reply_json (reply);
  return g_strdup (json_object_get_string_member (object, "token"));
}

JsonObject *
test_get_json (TestServer *ts,
               const char *path,
               const char *token)
{
  g_autoptr(TestReply) reply = test_http (ts, NULL, "GET", path, token, NULL, -1);

  if (reply->status != 200)
    g_error ("GET %s: %u %s", path, reply->status, reply->body);
  return test_reply_json (reply);
}

JsonArray *
test_mutate (TestServer *ts,
             const char *token,
             const char *mutations_json)
{
  g_autofree char *body = g_strdup_printf ("{\"mutations\":%s}", mutations_json);
  g_autoptr(TestReply) reply = test_http (ts, NULL, "POST", "/api/v1/mutations", token, body, -1);
  g_autoptr(JsonObject) object = NULL;

  if (reply->status != 200)
    g_error ("mutations: %u %s", reply->status, reply->body);
  object = test_reply_json (reply);
  return json_array_ref (json_object_get_array_member (object, "results"));
}

JsonObject *
test_mutate_one (TestServer *ts,
                 const char *token,
                 const char *type,
                 const char *op,
                 const char *id,
                 gint64      base_version,
                 const char *data_json)
{
  g_autofree char *mutation_id = g_uuid_string_random ();
  g_autofree char *mutations = NULL;
  g_autoptr(JsonArray) results = NULL;

  mutations = g_strdup_printf ("[{\"mutation_id\":\"%s\",\"type\":\"%s\",\"op\":\"%s\","
                               "\"id\":\"%s\",\"base_version\":%" G_GINT64_FORMAT ","
                               "\"data\":%s}]",
                               mutation_id, type, op, id, base_version,
                               data_json ? data_json : "null");
  results = test_mutate (ts, token, mutations);
  g_assert_cmpuint (json_array_get_length (results), ==, 1);
  return json_object_ref (json_array_get_object_element (results, 0));
}

const char *
test_result_status (JsonObject *result)
{
  return json_object_get_string_member (result, "status");
}

guint
test_result_problem_status (JsonObject *result)
{
  JsonNode *problem = json_object_get_member (result, "problem");

  if (problem == NULL || !JSON_NODE_HOLDS_OBJECT (problem))
    return 0;
  return json_object_get_int_member (json_node_get_object (problem), "status");
}

/* Pulls the whole change feed; returns id → change object. */
GHashTable *
test_sync (TestServer *ts,
           const char *token,
           gint64     *last_seq)
{
  GHashTable *records = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                               (GDestroyNotify) json_object_unref);
  gint64 since = 0;
  gboolean more = TRUE;

  while (more)
    {
      g_autofree char *path = g_strdup_printf ("/api/v1/changes?since=%" G_GINT64_FORMAT
                                               "&limit=500", since);
      g_autoptr(JsonObject) page = test_get_json (ts, path, token);
      JsonArray *changes = json_object_get_array_member (page, "changes");

      for (guint i = 0; i < json_array_get_length (changes); i++)
        {
          JsonObject *change = json_array_get_object_element (changes, i);

          g_hash_table_replace (records, g_strdup (json_object_get_string_member (change, "id")),
                                json_object_ref (change));
        }
      g_assert_cmpint (json_object_get_int_member (page, "last_seq"), >=, since);
      since = json_object_get_int_member (page, "last_seq");
      more = json_object_get_boolean_member (page, "more");
    }
  if (last_seq != NULL)
    *last_seq = since;
  return records;
}

/* ---- telephony --------------------------------------------------------- */

char *
test_event_json (const char *event,
                 const char *call_ref,
                 const char *line,
                 const char *cli,
                 const char *at,
                 const char *number)
{
  g_autoptr(JsonObject) object = json_object_new ();
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *now_text = signpost_timestamp_format (now);

  json_object_set_string_member (object, "event", event);
  json_object_set_string_member (object, "call_ref", call_ref);
  json_object_set_string_member (object, "line", line);
  if (cli != NULL)
    json_object_set_string_member (object, "cli", cli);
  else
    json_object_set_null_member (object, "cli");
  json_object_set_string_member (object, "at", at ? at : now_text);
  if (number != NULL)
    json_object_set_string_member (object, "number", number);
  return signpost_json_object_to_string (object, NULL);
}

/* Posts @body signed with @secret (NULL: unsigned) at now + @offset s. */
/* Sends @msg (taken) as it is, headers and all, and waits for the reply. */
TestReply *
test_send (TestServer  *ts,
           SoupSession *session,
           SoupMessage *msg)
{
  TestReply *reply = NULL;
  guint pending = 1;
  Pending *p = g_new0 (Pending, 1);

  p->msg = msg;
  p->slot = &reply;
  p->pending = &pending;
  soup_session_send_and_read_async (session ? session : ts->session, p->msg, G_PRIORITY_DEFAULT,
                                    NULL, http_done, p);
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (reply->error);
  return reply;
}

TestReply *
test_webhook (TestServer *ts,
              const char *secret,
              const char *body,
              gint64      timestamp_offset)
{
  g_autofree char *uri = g_strconcat (ts->base, "/api/v1/telephony/events", NULL);
  g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                g_get_real_time () / G_USEC_PER_SEC + timestamp_offset);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
  TestReply *reply = NULL;
  guint pending = 1;
  Pending *p = g_new0 (Pending, 1);

  p->msg = soup_message_new ("POST", uri);
  p->slot = &reply;
  p->pending = &pending;
  soup_message_set_request_body_from_bytes (p->msg, "application/json", bytes);
  if (secret != NULL)
    {
      g_autofree char *hex = signpost_telephony_sign (secret, timestamp, body, strlen (body));
      g_autofree char *header = g_strconcat ("sha256=", hex, NULL);
      SoupMessageHeaders *headers = soup_message_get_request_headers (p->msg);

      soup_message_headers_replace (headers, "X-Signpost-Timestamp", timestamp);
      soup_message_headers_replace (headers, "X-Signpost-Signature", header);
    }
  soup_session_send_and_read_async (ts->session, p->msg, G_PRIORITY_DEFAULT, NULL, http_done, p);
  while (pending > 0)
    g_main_context_iteration (NULL, TRUE);
  g_assert_no_error (reply->error);
  return reply;
}

/* ---- live -------------------------------------------------------------- */

static void
live_message_cb (SoupWebsocketConnection *connection,
                 SoupWebsocketDataType    type,
                 GBytes                  *message,
                 TestLive                *live)
{
  gsize length = 0;
  const char *data = g_bytes_get_data (message, &length);
  g_autoptr(GError) error = NULL;
  JsonObject *object = signpost_json_parse_object (data, length, G_MAXSIZE, &error);

  g_assert_no_error (error);
  if (g_strcmp0 (json_object_get_string_member (object, "kind"), "ping") == 0)
    {
      live->pings++;
      if (live->answer_pings)
        {
          g_autofree char *pong = g_strdup_printf ("{\"kind\":\"pong\",\"t\":%" G_GINT64_FORMAT "}",
                                                   json_object_get_int_member (object, "t"));
          soup_websocket_connection_send_text (connection, pong);
        }
      json_object_unref (object);
      return;
    }
  g_queue_push_tail (&live->messages, object);
}

static void
live_closed_cb (SoupWebsocketConnection *connection,
                TestLive                *live)
{
  live->closed = TRUE;
  live->close_code = soup_websocket_connection_get_close_code (connection);
}

static void
live_connected (GObject      *source,
                GAsyncResult *result,
                gpointer      data)
{
  TestLive *live = data;
  g_autoptr(GError) error = NULL;

  live->connection = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  g_assert_no_error (error);
}

TestLive *
test_live_connect (TestServer *ts,
                   const char *token)
{
  g_autofree char *uri = g_strconcat (ts->base, "/api/v1/live", NULL);
  g_autoptr(SoupMessage) msg = soup_message_new ("GET", uri);
  g_autofree char *header = g_strconcat ("Bearer ", token, NULL);
  TestLive *live = g_new0 (TestLive, 1);

  live->answer_pings = TRUE;
  g_queue_init (&live->messages);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", header);
  soup_session_websocket_connect_async (ts->session, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        live_connected, live);
  while (live->connection == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_signal_connect (live->connection, "message", G_CALLBACK (live_message_cb), live);
  g_signal_connect (live->connection, "closed", G_CALLBACK (live_closed_cb), live);
  return live;
}

/* The next message of @kind (earlier ones of other kinds are dropped), or
 * NULL if none comes within @timeout_ms. */
JsonObject *
test_live_wait (TestLive   *live,
                const char *kind,
                guint       timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (timeout_ms, timeout_cb, &timed_out);
  JsonObject *found = NULL;

  while (found == NULL && !timed_out)
    {
      while (found == NULL && !g_queue_is_empty (&live->messages))
        {
          JsonObject *object = g_queue_pop_head (&live->messages);

          if (kind == NULL || g_strcmp0 (json_object_get_string_member (object, "kind"), kind) == 0)
            found = object;
          else
            json_object_unref (object);
        }
      if (found == NULL)
        g_main_context_iteration (NULL, TRUE);
    }
  if (!timed_out)
    g_source_remove (id);
  return found;
}

void
test_live_free (TestLive *live)
{
  if (live->connection != NULL)
    {
      g_signal_handlers_disconnect_by_data (live->connection, live);
      if (soup_websocket_connection_get_state (live->connection) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (live->connection, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      g_object_unref (live->connection);
    }
  g_queue_clear_full (&live->messages, (GDestroyNotify) json_object_unref);
  g_free (live);
}
