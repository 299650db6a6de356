/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "server-test-util.h"
#include "signpost-navigation.h"
#include "signpost-telephony.h"

/* Online requests against a real server: the public form's rules (CSRF,
 * rate limits, the honeypot, size limits, closed forms, the emergency
 * stop, matching that reveals nothing, storage under the practice), the
 * signed intake API, the practice's online settings through /mutations,
 * the audit of who opened a request, and their figures in /stats/day. */

#define ODS_A "Y99951"
#define INTAKE_SECRET "intake-secret-of-practice-a-0123"

typedef struct {
  char *cookie;
  char *token;
  char *submission;
} Visit;

static void
visit_clear (Visit *visit)
{
  g_clear_pointer (&visit->cookie, g_free);
  g_clear_pointer (&visit->token, g_free);
  g_clear_pointer (&visit->submission, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Visit, visit_clear)

static char *
match_one (const char *pattern,
           const char *text)
{
  g_autoptr(GRegex) regex = g_regex_new (pattern, 0, 0, NULL);
  g_autoptr(GMatchInfo) info = NULL;

  if (text == NULL || !g_regex_match (regex, text, 0, &info))
    return NULL;
  return g_match_info_fetch (info, 1);
}

/* Opens the practice's form in every server's place: every practice is
 * open round the clock, so that no test depends on when it runs. */
static void
open_all_hours (TestServer *ts,
                const char *practice_id,
                const char *extra_json)
{
  g_autoptr(SignpostPractice) practice = test_get_record (ts, SIGNPOST_RECORD_PRACTICE, practice_id);
  g_autoptr(GError) error = NULL;
  g_autofree char *json = g_strdup_printf (
    "{\"online_hours\": ["
    "{\"day\":\"monday\",\"opens\":\"00:00\",\"closes\":\"24:00\"},"
    "{\"day\":\"tuesday\",\"opens\":\"00:00\",\"closes\":\"24:00\"},"
    "{\"day\":\"wednesday\",\"opens\":\"00:00\",\"closes\":\"24:00\"},"
    "{\"day\":\"thursday\",\"opens\":\"00:00\",\"closes\":\"24:00\"},"
    "{\"day\":\"friday\",\"opens\":\"00:00\",\"closes\":\"24:00\"},"
    "{\"day\":\"saturday\",\"opens\":\"00:00\",\"closes\":\"24:00\"},"
    "{\"day\":\"sunday\",\"opens\":\"00:00\",\"closes\":\"24:00\"}],"
    " \"online_open_bank_holidays\": true%s%s}", extra_json ? ", " : "", extra_json ? extra_json : "");
  g_autoptr(JsonObject) patch = signpost_json_parse_object (json, strlen (json), 0, &error);

  g_assert_no_error (error);
  g_assert_true (signpost_object_update_from_json (SIGNPOST_OBJECT (practice), patch,
                                                   SIGNPOST_DECODE_PATCH, &error));
  g_assert_no_error (error);
  test_put_record (ts, practice);
}

static TestServer *
server_new (const SignpostFormLimits *limits,
            const char               *trusted_proxy)
{
  SignpostServerOptions options;
  TestServer *ts;

  signpost_server_options_init (&options);
  if (limits != NULL)
    options.form_limits = *limits;
  options.trusted_proxy = trusted_proxy;
  ts = test_server_new (&options);
  open_all_hours (ts, ts->practice_a, NULL);
  return ts;
}

static TestReply *
get_page (TestServer *ts,
          const char *path,
          const char *cookie)
{
  g_autofree char *uri = g_strconcat (ts->base, path, NULL);
  SoupMessage *msg = soup_message_new ("GET", uri);

  if (cookie != NULL)
    {
      g_autofree char *header = g_strconcat ("signpost-form=", cookie, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", header);
    }
  return test_send (ts, NULL, msg);
}

/* The start page: the cookie it sets, and its token and submission id. */
static void
visit_start (TestServer *ts,
             Visit      *visit)
{
  g_autoptr(TestReply) reply = get_page (ts, "/p/" ODS_A "/request", NULL);
  const char *set_cookie = soup_message_headers_get_one (reply->headers, "Set-Cookie");

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_nonnull (set_cookie);
  visit->cookie = match_one ("^signpost-form=([A-Za-z0-9_-]{43});", set_cookie);
  g_assert_nonnull (visit->cookie);
  visit->token = match_one ("name=\"csrf\" value=\"([^\"]+)\"", reply->body);
  visit->submission = match_one ("name=\"submission\" value=\"([0-9a-f]{32})\"", reply->body);
  g_assert_nonnull (visit->token);
  g_assert_nonnull (visit->submission);
}

/* POSTs a page of the form: @fields is NULL-terminated name, value pairs. */
static TestReply *
post_form (TestServer         *ts,
           const char         *step,
           const char         *cookie,
           const char         *forwarded_for,
           const char * const *fields)
{
  g_autofree char *uri = g_strdup_printf ("%s/p/" ODS_A "/request/%s", ts->base, step);
  GString *body = g_string_new (NULL);
  SoupMessage *msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) bytes = NULL;

  for (guint i = 0; fields[i] != NULL; i += 2)
    {
      g_autofree char *name = g_uri_escape_string (fields[i], NULL, FALSE);
      g_autofree char *value = g_uri_escape_string (fields[i + 1], NULL, FALSE);

      g_string_append_printf (body, "%s%s=%s", i ? "&" : "", name, value);
    }
  bytes = g_string_free_to_bytes (body);
  soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
  if (cookie != NULL)
    {
      g_autofree char *header = g_strconcat ("signpost-form=", cookie, NULL);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", header);
    }
  if (forwarded_for != NULL)
    soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Forwarded-For",
                                  forwarded_for);
  return test_send (ts, NULL, msg);
}

/* Every answer of a whole request, ready to send from the check page. */
static GPtrArray *
request_fields (Visit      *visit,
                const char *reason,
                const char *kind)
{
  GPtrArray *fields = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) flags = signpost_navigation_red_flags_for (SIGNPOST_RED_FLAGS_ADULT);
  const char *pairs[] = {
    "csrf", visit->token, "submission", visit->submission, "website", "",
    "age", "adult", "who", "self",
    "given_name", "Ada", "family_name", "Testcase",
    "dob_day", "29", "dob_month", "2", "dob_year", "1980",
    "postcode", "ls1 4ap", "nhs_number", "999 000 0018",
    "kind", kind, "reason", reason, "duration", "3 weeks",
    "contact_method", "text", "contact_number", "07700 900982",
    "contact_morning", "yes", "contact_message", "no", "go", "send",
  };

  for (guint i = 0; i < G_N_ELEMENTS (pairs); i++)
    g_ptr_array_add (fields, g_strdup (pairs[i]));
  for (guint i = 0; i < flags->len; i++)
    {
      g_ptr_array_add (fields, g_strconcat ("rf_", ((const SignpostRedFlag *) flags->pdata[i])->key, NULL));
      g_ptr_array_add (fields, g_strdup ("no"));
    }
  g_ptr_array_add (fields, NULL);
  return fields;
}

static void
set_field (GPtrArray  *fields,
           const char *name,
           const char *value)
{
  for (guint i = 0; i + 1 < fields->len && fields->pdata[i] != NULL; i += 2)
    if (g_str_equal (fields->pdata[i], name))
      {
        g_free (fields->pdata[i + 1]);
        fields->pdata[i + 1] = g_strdup (value);
        return;
      }
  g_assert_not_reached ();
}

static GPtrArray *
online_requests (TestServer *ts,
                 const char *practice_id)
{
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *online = g_ptr_array_new_with_free_func (g_object_unref);

  all = signpost_store_list_records (test_server_store (ts), SIGNPOST_RECORD_TRIAGE, practice_id, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < all->len; i++)
    if (signpost_triage_get_source (all->pdata[i]) != SIGNPOST_REQUEST_SOURCE_PHONE)
      g_ptr_array_add (online, g_object_ref (all->pdata[i]));
  return online;
}

static void
test_start_page (void)
{
  TestServer *ts = server_new (NULL, NULL);
  g_autoptr(TestReply) reply = get_page (ts, "/p/" ODS_A "/request", NULL);
  g_autoptr(TestReply) head = NULL;
  g_autoptr(TestReply) css = NULL;
  g_autoptr(TestReply) unknown = NULL;
  g_autoptr(TestReply) odd = NULL;
  g_autoptr(TestReply) step = NULL;
  SoupMessageHeaders *h = reply->headers;
  const char *csp = soup_message_headers_get_one (h, "Content-Security-Policy");

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (soup_message_headers_get_content_type (h, NULL), ==, "text/html");
  g_assert_cmpstr (soup_message_headers_get_one (h, "X-Frame-Options"), ==, "DENY");
  g_assert_cmpstr (soup_message_headers_get_one (h, "Cache-Control"), ==, "no-store");
  g_assert_nonnull (strstr (csp, "default-src 'none'"));
  g_assert_nonnull (strstr (csp, "frame-ancestors 'none'"));
  g_assert_null (strstr (csp, "unsafe-inline"));
  /* One cookie, for CSRF only, out of scripts' reach. */
  g_assert_nonnull (strstr (soup_message_headers_get_one (h, "Set-Cookie"), "HttpOnly"));
  g_assert_nonnull (strstr (soup_message_headers_get_one (h, "Set-Cookie"), "SameSite=Strict"));
  g_assert_cmpstr (soup_message_headers_get_list (h, "Set-Cookie"), ==,
                   soup_message_headers_get_one (h, "Set-Cookie"));
  /* No scripts, no inline styles, nothing from elsewhere. */
  g_assert_null (strstr (reply->body, "<script"));
  g_assert_null (strstr (reply->body, "style="));
  g_assert_null (strstr (reply->body, "src=\"http"));
  g_assert_null (strstr (reply->body, "href=\"http://"));
  g_assert_nonnull (strstr (reply->body, "lang=\"en-GB\""));

  head = test_http (ts, NULL, "HEAD", "/p/" ODS_A "/request", NULL, NULL, -1);
  g_assert_cmpuint (head->status, ==, 200);
  css = test_http (ts, NULL, "GET", "/p/assets/form.css", NULL, NULL, -1);
  g_assert_cmpuint (css->status, ==, 200);
  g_assert_nonnull (strstr (css->body, ".sp-button"));
  unknown = test_http (ts, NULL, "GET", "/p/Y00000/request", NULL, NULL, -1);
  g_assert_cmpuint (unknown->status, ==, 404);
  g_assert_nonnull (strstr (unknown->body, "cannot find a GP practice"));
  odd = test_http (ts, NULL, "GET", "/p/%3Cscript%3E/request", NULL, NULL, -1);
  g_assert_cmpuint (odd->status, ==, 404);
  g_assert_null (strstr (odd->body, "<script"));
  /* A step's address without its answers starts again. */
  step = test_http (ts, NULL, "GET", "/p/" ODS_A "/request/check", NULL, NULL, -1);
  g_assert_cmpuint (step->status, ==, 200);
  g_assert_nonnull (strstr (step->body, "Start now"));
  test_server_free (ts);
}

static void
test_submit_matched (void)
{
  TestServer *ts = server_new (NULL, NULL);
  g_autofree char *patient = test_add_patient (ts, ts->practice_a);
  g_autofree char *nav_a = test_login (ts, "nav_a");
  g_autofree char *nav_b = test_login (ts, "nav_b");
  g_autofree char *mgr_a = test_login (ts, "mgr_a");
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(TestReply) reply = NULL;
  g_autoptr(TestReply) again = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(GHashTable) seen_a = NULL;
  g_autoptr(GHashTable) seen_b = NULL;
  g_autoptr(GHashTable) seen_mgr = NULL;
  g_autofree char *reference = NULL;
  g_autofree char *triage_id = NULL;
  g_auto(Visit) visit = { 0 };
  SignpostTriage *triage;
  SignpostPatientDetails *details;
  gint64 seq;

  visit_start (ts, &visit);
  fields = request_fields (&visit, "Cough <script>alert('x')</script> & wheeze", "medical");
  reply = post_form (ts, "check", visit.cookie, NULL, (const char * const *) fields->pdata);
  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_nonnull (strstr (reply->body, "Request sent"));
  reference = match_one ("class=\"sp-reference\">([A-Z]{3}-[0-9]{4})<", reply->body);
  g_assert_nonnull (reference);
  /* The page says nothing of whether the patient was found. */
  g_assert_null (strstr (reply->body, "Testcase"));

  stored = online_requests (ts, ts->practice_a);
  g_assert_cmpuint (stored->len, ==, 1);
  triage = stored->pdata[0];
  g_assert_cmpstr (signpost_triage_get_reference (triage), ==, reference);
  g_assert_cmpint (signpost_triage_get_source (triage), ==, SIGNPOST_REQUEST_SOURCE_ONLINE);
  g_assert_cmpstr (signpost_triage_get_patient_id (triage), ==, patient);
  g_assert_cmpstr (signpost_triage_get_reason (triage), ==, "Cough <script>alert('x')</script> & wheeze");
  g_assert_cmpstr (signpost_triage_get_request_type (triage), ==, "medical");
  g_assert_cmpint (signpost_triage_get_contact_method (triage), ==, SIGNPOST_CONTACT_TEXT);
  g_assert_cmpstr (signpost_triage_get_contact_number (triage), ==, "+447700900982");
  g_assert_false (signpost_triage_get_contact_message_ok (triage));
  g_assert_cmpstr (signpost_triage_get_contact_times (triage)[0], ==, "morning");
  g_assert_cmpint (signpost_triage_get_status (triage), ==, SIGNPOST_TRIAGE_OPEN);
  g_assert_nonnull (signpost_triage_get_respond_by (triage));
  g_assert_nonnull (signpost_triage_get_created_at (triage));
  g_assert_cmpuint (g_strv_length ((char **) signpost_triage_get_screened_flags (triage)), >, 5);
  details = signpost_triage_get_patient_details (triage);
  g_assert_cmpstr (signpost_patient_details_get_postcode (details), ==, "LS1 4AP");
  g_assert_cmpstr (signpost_patient_details_get_nhs_number (details), ==, "9990000018");

  triage_id = g_strdup (signpost_record_get_id (SIGNPOST_RECORD (triage)));

  /* Sent again (a double click, a reload): stored once, same reference. */
  again = post_form (ts, "check", visit.cookie, NULL, (const char * const *) fields->pdata);
  g_assert_cmpuint (again->status, ==, 200);
  g_assert_nonnull (strstr (again->body, reference));
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = online_requests (ts, ts->practice_a);
  g_assert_cmpuint (stored->len, ==, 1);

  /* Only the practice's own people see it; a manager sees no patient data. */
  seen_a = test_sync (ts, nav_a, &seq);
  seen_b = test_sync (ts, nav_b, &seq);
  seen_mgr = test_sync (ts, mgr_a, &seq);
  g_assert_true (g_hash_table_contains (seen_a, triage_id));
  g_assert_false (g_hash_table_contains (seen_b, triage_id));
  {
    JsonObject *change = g_hash_table_lookup (seen_mgr, triage_id);
    JsonObject *redacted;

    g_assert_nonnull (change);
    redacted = json_object_get_object_member (change, "data");
    g_assert_true (json_object_get_null_member (redacted, "patient_details"));
    g_assert_true (json_object_get_null_member (redacted, "patient_id"));
    g_assert_cmpstr (json_object_get_string_member (redacted, "reason"), ==, "");
  }
  test_server_free (ts);
}

static void
test_unmatched_reveals_nothing (void)
{
  TestServer *ts = server_new (NULL, NULL);
  g_autofree char *patient = test_add_patient (ts, ts->practice_a);
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(TestReply) matched = NULL;
  g_autoptr(TestReply) unmatched = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_auto(Visit) one = { 0 };
  g_auto(Visit) two = { 0 };
  g_autofree char *a = NULL, *b = NULL;

  visit_start (ts, &one);
  fields = request_fields (&one, "Repeat of my inhaler", "repeat_prescription");
  matched = post_form (ts, "check", one.cookie, NULL, (const char * const *) fields->pdata);
  g_clear_pointer (&fields, g_ptr_array_unref);
  visit_start (ts, &two);
  fields = request_fields (&two, "Repeat of my inhaler", "repeat_prescription");
  set_field (fields, "nhs_number", "");
  set_field (fields, "family_name", "Someone-Else");
  unmatched = post_form (ts, "check", two.cookie, NULL, (const char * const *) fields->pdata);
  g_assert_cmpuint (matched->status, ==, unmatched->status);
  /* The two pages differ only in their reference and their tokens. */
  {
    g_autoptr(GRegex) varying = g_regex_new ("[A-Z]{3}-[0-9]{4}|value=\"[^\"]*\"|[0-9]+(am|pm)[^<]*",
                                             0, 0, NULL);

    a = g_regex_replace (varying, matched->body, -1, 0, "", 0, NULL);
    b = g_regex_replace (varying, unmatched->body, -1, 0, "", 0, NULL);
  }
  g_assert_cmpstr (a, ==, b);
  stored = online_requests (ts, ts->practice_a);
  g_assert_cmpuint (stored->len, ==, 2);
  for (guint i = 0; i < stored->len; i++)
    {
      SignpostTriage *t = stored->pdata[i];

      if (g_strcmp0 (signpost_patient_details_get_family_name (signpost_triage_get_patient_details (t)),
                     "Someone-Else") == 0)
        g_assert_null (signpost_triage_get_patient_id (t));
      else
        g_assert_cmpstr (signpost_triage_get_patient_id (t), ==, patient);
      g_assert_cmpstr (signpost_triage_get_admin_topic (t), ==, "repeat_prescription");
    }
  test_server_free (ts);
}

static void
test_csrf (void)
{
  TestServer *ts = server_new (NULL, NULL);
  g_auto(Visit) visit = { 0 };
  g_auto(Visit) other = { 0 };
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autofree char *forged = NULL;
  const char *tampered_time;

  visit_start (ts, &visit);
  visit_start (ts, &other);
  fields = request_fields (&visit, "Forged", "medical");

  /* No cookie; another visitor's cookie; a forged token; a token with a
   * later time on it; no token at all. */
  {
    g_autoptr(TestReply) r = post_form (ts, "check", NULL, NULL, (const char * const *) fields->pdata);
    g_assert_cmpuint (r->status, ==, 403);
    g_assert_nonnull (strstr (r->body, "cookie"));
  }
  {
    g_autoptr(TestReply) r = post_form (ts, "check", other.cookie, NULL, (const char * const *) fields->pdata);
    g_assert_cmpuint (r->status, ==, 403);
  }
  forged = g_strdup (visit.token);
  forged[strlen (forged) - 1] = forged[strlen (forged) - 1] == '0' ? '1' : '0';
  set_field (fields, "csrf", forged);
  {
    g_autoptr(TestReply) r = post_form (ts, "check", visit.cookie, NULL, (const char * const *) fields->pdata);
    g_assert_cmpuint (r->status, ==, 403);
  }
  tampered_time = strchr (visit.token, '.');
  {
    g_autofree char *later = g_strdup_printf ("%" G_GINT64_FORMAT "%s", (gint64) 1, tampered_time);
    g_autoptr(TestReply) r = NULL;

    set_field (fields, "csrf", later);
    r = post_form (ts, "check", visit.cookie, NULL, (const char * const *) fields->pdata);
    g_assert_cmpuint (r->status, ==, 403);
  }
  set_field (fields, "csrf", "");
  {
    g_autoptr(TestReply) r = post_form (ts, "check", visit.cookie, NULL, (const char * const *) fields->pdata);
    g_assert_cmpuint (r->status, ==, 403);
  }
  /* Sent from another site: refused whatever the token. */
  set_field (fields, "csrf", visit.token);
  {
    g_autofree char *uri = g_strdup_printf ("%s/p/" ODS_A "/request/check", ts->base);
    SoupMessage *msg = soup_message_new ("POST", uri);
    g_autoptr(GBytes) bytes = g_bytes_new_static ("go=send", 7);
    g_autofree char *cookie = g_strconcat ("signpost-form=", visit.cookie, NULL);
    g_autoptr(TestReply) r = NULL;

    soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookie);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Sec-Fetch-Site", "cross-site");
    r = test_send (ts, NULL, msg);
    g_assert_cmpuint (r->status, ==, 403);
  }
  stored = online_requests (ts, ts->practice_a);
  g_assert_cmpuint (stored->len, ==, 0);
  test_server_free (ts);
}

static void
test_hostile_input (void)
{
  TestServer *ts = server_new (NULL, NULL);
  g_auto(Visit) visit = { 0 };
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GPtrArray) stored = NULL;

  visit_start (ts, &visit);
  fields = request_fields (&visit, "<script>alert(1)</script>\"><img src=x onerror=alert(1)>", "medical");

  /* Script tags: shown as text on the check page, never as markup. */
  set_field (fields, "go", "continue");
  set_field (fields, "given_name", "<b onmouseover=alert(1)>Ada</b>");
  {
    g_autoptr(TestReply) r = post_form (ts, "contact", visit.cookie, NULL, (const char * const *) fields->pdata);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_nonnull (strstr (r->body, "Check your answers"));
    g_assert_null (strstr (r->body, "<script>alert"));
    g_assert_null (strstr (r->body, "<img src=x"));
    g_assert_null (strstr (r->body, "<b onmouseover"));
    g_assert_nonnull (strstr (r->body, "&lt;script&gt;alert(1)&lt;/script&gt;&quot;&gt;&lt;img"));
  }
  set_field (fields, "given_name", "Ada");

  /* A field of a megabyte: refused before it is read, with a page. */
  {
    g_autofree char *huge = g_strnfill (1024 * 1024, 'x');
    g_autoptr(TestReply) r = NULL;

    set_field (fields, "reason", huge);
    r = post_form (ts, "check", visit.cookie, NULL, (const char * const *) fields->pdata);
    g_assert_cmpuint (r->status, ==, 413);
    g_assert_nonnull (strstr (r->body, "too long"));
  }
  /* 4,001 characters: within the body limit, over the field's. */
  {
    g_autofree char *long_text = g_strnfill (4001, 'y');
    g_autoptr(TestReply) r = NULL;

    set_field (fields, "reason", long_text);
    r = post_form (ts, "check", visit.cookie, NULL, (const char * const *) fields->pdata);
    g_assert_cmpuint (r->status, ==, 200);
    g_assert_nonnull (strstr (r->body, "4000 characters or fewer"));
    g_assert_nonnull (strstr (r->body, "Error: "));
  }
  /* Invalid UTF-8 and control characters. */
  {
    g_autofree char *uri = g_strdup_printf ("%s/p/" ODS_A "/request/check", ts->base);
    g_autofree char *cookie = g_strconcat ("signpost-form=", visit.cookie, NULL);
    SoupMessage *msg = soup_message_new ("POST", uri);
    g_autofree char *body = g_strdup_printf ("csrf=%s&submission=%s&reason=%%ff%%fe%%c3%%28&go=send",
                                             visit.token, visit.submission);
    g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));
    g_autoptr(TestReply) r = NULL;

    soup_message_set_request_body_from_bytes (msg, "application/x-www-form-urlencoded", bytes);
    soup_message_headers_replace (soup_message_get_request_headers (msg), "Cookie", cookie);
    r = test_send (ts, NULL, msg);
    g_assert_cmpuint (r->status, ==, 400);
  }
  set_field (fields, "reason", "one\x01two");
  {
    g_autoptr(TestReply) r = post_form (ts, "check", visit.cookie, NULL, (const char * const *) fields->pdata);
    g_assert_nonnull (strstr (r->body, "characters we cannot read"));
  }
  /* The honeypot: a robot filled the hidden field; nothing is stored. */
  set_field (fields, "reason", "A real reason");
  set_field (fields, "website", "http://spam.example");
  {
    g_autoptr(TestReply) r = post_form (ts, "check", visit.cookie, NULL, (const char * const *) fields->pdata);
    g_assert_cmpuint (r->status, ==, 400);
  }
  /* A forged hidden answer that no page offers. */
  set_field (fields, "website", "");
  set_field (fields, "kind", "urgent_please");
  {
    g_autoptr(TestReply) r = post_form (ts, "check", visit.cookie, NULL, (const char * const *) fields->pdata);
    g_assert_nonnull (strstr (r->body, "Select what your request is about"));
  }
  /* Not a form at all. */
  {
    g_autoptr(TestReply) r = test_http (ts, NULL, "POST", "/p/" ODS_A "/request/check", NULL,
                                        "{\"json\": true}", -1);
    g_assert_cmpuint (r->status, ==, 400);
  }
  stored = online_requests (ts, ts->practice_a);
  g_assert_cmpuint (stored->len, ==, 0);
  test_server_free (ts);
}

static void
test_emergency_stop (void)
{
  TestServer *ts = server_new (NULL, NULL);
  g_autofree char *manager = test_login (ts, "mgr_a");
  g_auto(Visit) visit = { 0 };
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autofree char *path = NULL;
  g_autofree char *today = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  visit_start (ts, &visit);
  fields = request_fields (&visit, "Chest pain", "medical");
  set_field (fields, "rf_chest_pain", "yes");
  set_field (fields, "go", "continue");
  {
    g_autoptr(TestReply) r = post_form (ts, "emergency", visit.cookie, NULL, (const char * const *) fields->pdata);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_nonnull (strstr (r->body, "Call 999 now"));
    g_assert_nonnull (strstr (r->body, "heart attack"));
  }
  /* A suicidal thought with a plan: 111's mental health option, 999 if in danger. */
  set_field (fields, "rf_chest_pain", "no");
  set_field (fields, "rf_suicidal_intent", "yes");
  {
    g_autoptr(TestReply) r = post_form (ts, "emergency", visit.cookie, NULL, (const char * const *) fields->pdata);

    g_assert_nonnull (strstr (r->body, "Call 111 now"));
    g_assert_nonnull (strstr (r->body, "Samaritans"));
  }
  /* Even from the last page, even forged: nothing is sent. */
  set_field (fields, "go", "send");
  {
    g_autoptr(TestReply) r = post_form (ts, "check", visit.cookie, NULL, (const char * const *) fields->pdata);

    g_assert_nonnull (strstr (r->body, "Call 111 now"));
  }
  stored = online_requests (ts, ts->practice_a);
  g_assert_cmpuint (stored->len, ==, 0);

  /* Counted, anonymously, for the day's figures. */
  today = g_date_time_format (now, "%Y-%m-%d");
  path = g_strdup_printf ("/api/v1/stats/day?practice=%s&date=%s", ts->practice_a, today);
  stats = test_get_json (ts, path, manager);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (stats, "totals"),
                                               "emergency_stops"), ==, 3);
  test_server_free (ts);
}

static void
test_closed (void)
{
  TestServer *ts = server_new (NULL, NULL);
  g_auto(Visit) visit = { 0 };
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GPtrArray) stored = NULL;

  visit_start (ts, &visit);
  fields = request_fields (&visit, "Paused?", "medical");
  /* Paused, with a message with markup in it. */
  open_all_hours (ts, ts->practice_a,
                  "\"online_paused\": true, \"online_pause_message\": \"<i>Systems down</i>, back at 2pm\"");
  {
    g_autoptr(TestReply) r = get_page (ts, "/p/" ODS_A "/request", NULL);

    g_assert_cmpuint (r->status, ==, 200);
    g_assert_nonnull (strstr (r->body, "closed at the moment"));
    g_assert_nonnull (strstr (r->body, "&lt;i&gt;Systems down&lt;/i&gt;, back at 2pm"));
    g_assert_nonnull (strstr (r->body, "020 7946 0101"));
    g_assert_nonnull (strstr (r->body, "111"));
    g_assert_null (strstr (r->body, "Start now"));
  }
  /* A visitor who started while it was open may still send (the grace). */
  {
    g_autoptr(TestReply) r = post_form (ts, "check", visit.cookie, NULL, (const char * const *) fields->pdata);

    g_assert_nonnull (strstr (r->body, "Request sent"));
  }
  /* Closed all day today (a training day, say): nobody can start. */
  {
    g_autoptr(SignpostPractice) practice = test_get_record (ts, SIGNPOST_RECORD_PRACTICE, ts->practice_a);
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    g_autoptr(GTimeZone) london = g_time_zone_new_identifier ("Europe/London");
    g_autoptr(GDateTime) local = g_date_time_to_timezone (now, london);
    g_autofree char *today = g_date_time_format (local, "%Y-%m-%d");
    const char * const closed[] = { today, NULL };
    g_auto(Visit) late = { 0 };
    g_autoptr(TestReply) r = NULL;

    signpost_practice_set_online_paused (practice, FALSE);
    test_put_record (ts, practice);
    visit_start (ts, &late);
    signpost_practice_set_online_closed_dates (practice, closed);
    test_put_record (ts, practice);
    g_clear_pointer (&fields, g_ptr_array_unref);
    fields = request_fields (&late, "Too late", "medical");
    r = post_form (ts, "check", late.cookie, NULL, (const char * const *) fields->pdata);
    /* The grace is for opening hours that end while someone types; a day
     * the practice has closed is closed to everyone. */
    g_assert_nonnull (strstr (r->body, "closed at the moment"));
  }
  {
    g_autoptr(TestReply) r = get_page (ts, "/p/" ODS_A "/request", NULL);

    g_assert_nonnull (strstr (r->body, "closed at the moment"));
    g_assert_null (strstr (r->body, "Start now"));
  }
  stored = online_requests (ts, ts->practice_a);
  g_assert_cmpuint (stored->len, ==, 1);
  test_server_free (ts);
}

static void
test_medical_limit (void)
{
  TestServer *ts = server_new (NULL, NULL);
  g_autoptr(GPtrArray) stored = NULL;

  open_all_hours (ts, ts->practice_a, "\"online_medical_daily_limit\": 2");
  for (guint i = 0; i < 4; i++)
    {
      g_auto(Visit) visit = { 0 };
      g_autoptr(GPtrArray) fields = NULL;
      g_autoptr(TestReply) r = NULL;
      gboolean medical = i < 3;

      visit_start (ts, &visit);
      fields = request_fields (&visit, "Something", medical ? "medical" : "fit_note");
      r = post_form (ts, "check", visit.cookie, NULL, (const char * const *) fields->pdata);
      if (i < 2 || !medical)
        g_assert_nonnull (strstr (r->body, "Request sent"));
      else
        {
          g_assert_nonnull (strstr (r->body, "more medical requests online today"));
          g_assert_nonnull (strstr (r->body, "admin request"));
        }
      if (i == 2)
        {
          g_autoptr(TestReply) start = get_page (ts, "/p/" ODS_A "/request", NULL);

          g_assert_nonnull (strstr (start->body, "You can still send an admin request"));
        }
    }
  stored = online_requests (ts, ts->practice_a);
  g_assert_cmpuint (stored->len, ==, 3);
  test_server_free (ts);
}

/* The limits count per clock hour (UTC): a run that saw the hour turn had
 * its allowance renewed halfway, and says so instead of judging. */
static gint64
clock_hour (void)
{
  return g_get_real_time () / G_USEC_PER_SEC / 3600;
}

static gboolean
rate_limits_once (void)
{
  SignpostFormLimits limits = { .client_pages_per_hour = 500, .client_requests_per_hour = 5,
                                .practice_requests_per_hour = 12 };
  gint64 hour = clock_hour ();
  TestServer *ts = server_new (&limits, "127.0.0.1");
  g_autoptr(GPtrArray) stored = NULL;
  guint sent = 0, refused = 0;
  g_auto(Visit) visit = { 0 };

  visit_start (ts, &visit);
  /* 10,000 requests from one address: five taken, the rest refused with a
   * page and Retry-After, and the server unharmed. */
  for (guint i = 0; i < 10000; i++)
    {
      g_autoptr(GPtrArray) fields = request_fields (&visit, "Flood", "medical");
      g_autofree char *submission = g_strdup_printf ("%032x", i);
      g_autoptr(TestReply) r = NULL;

      set_field (fields, "submission", submission);
      r = post_form (ts, "check", visit.cookie, "192.0.2.10", (const char * const *) fields->pdata);
      if (r->status == 200)
        sent++;
      else
        {
          g_assert_cmpuint (r->status, ==, 429);
          g_assert_nonnull (soup_message_headers_get_one (r->headers, "Retry-After"));
          g_assert_nonnull (strstr (r->body, "try again in"));
          refused++;
        }
    }
  if (clock_hour () != hour)
    {
      test_server_free (ts);
      return FALSE;
    }
  g_assert_cmpuint (sent, ==, 5);
  g_assert_cmpuint (refused, ==, 9995);

  /* Other addresses behind the proxy have their own allowance, up to the
   * practice's. */
  sent = refused = 0;
  for (guint i = 0; i < 20; i++)
    {
      g_autoptr(GPtrArray) fields = request_fields (&visit, "Spread", "medical");
      g_autofree char *submission = g_strdup_printf ("%032x", 20000 + i);
      g_autofree char *address = g_strdup_printf ("198.51.100.%u", i + 1);
      g_autoptr(TestReply) r = NULL;

      set_field (fields, "submission", submission);
      r = post_form (ts, "check", visit.cookie, address, (const char * const *) fields->pdata);
      if (r->status == 200)
        sent++;
      else
        {
          g_assert_cmpuint (r->status, ==, 429);
          g_assert_nonnull (strstr (r->body, "very large number"));
          refused++;
        }
    }
  if (clock_hour () != hour)
    {
      test_server_free (ts);
      return FALSE;
    }
  g_assert_cmpuint (sent, ==, 7);
  g_assert_cmpuint (refused, ==, 13);
  stored = online_requests (ts, ts->practice_a);
  g_assert_cmpuint (stored->len, ==, 12);

  /* The client's address is not in the database, only a keyed hash of it. */
  {
    g_assert_false (test_database_contains (ts->database, "192.0.2.10"));
  }
  test_server_free (ts);
  return TRUE;
}

static void
test_rate_limits (void)
{
  /* A second run cannot straddle the next hour as well. */
  if (!rate_limits_once ())
    {
      g_test_message ("the hour turned during the run: once more");
      g_assert_true (rate_limits_once ());
    }
}

/* ---- the intake API ------------------------------------------------------- */

static TestReply *
intake (TestServer *ts,
        const char *secret,
        const char *body,
        gint64      offset)
{
  g_autofree char *uri = g_strconcat (ts->base, "/api/v1/intake/requests", NULL);
  g_autofree char *timestamp = g_strdup_printf ("%" G_GINT64_FORMAT,
                                                g_get_real_time () / G_USEC_PER_SEC + offset);
  SoupMessage *msg = soup_message_new ("POST", uri);
  g_autoptr(GBytes) bytes = g_bytes_new (body, strlen (body));

  soup_message_set_request_body_from_bytes (msg, "application/json", bytes);
  if (secret != NULL)
    {
      g_autofree char *hex = signpost_telephony_sign (secret, timestamp, body, strlen (body));
      g_autofree char *header = g_strconcat ("sha256=", hex, NULL);

      soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Signpost-Timestamp", timestamp);
      soup_message_headers_replace (soup_message_get_request_headers (msg), "X-Signpost-Signature", header);
    }
  return test_send (ts, NULL, msg);
}

static char *
intake_body (const char *request_id,
             const char *practice,
             const char *extra)
{
  return g_strdup_printf ("{\"source\": \"acme-consult\", \"request_id\": \"%s\", \"practice\": \"%s\","
                          " \"submitted_at\": \"2026-11-16T08:01:00Z\", \"request\": {"
                          "  \"patient\": {\"given_name\": \"Ada\", \"family_name\": \"Testcase\","
                          "    \"date_of_birth\": \"1980-02-29\", \"nhs_number\": \"9990000018\"},"
                          "  \"request_type\": \"admin\", \"admin_topic\": \"fit_note\","
                          "  \"reason\": \"Fit note for my back\", \"contact_number\": \"+447700900123\""
                          "  %s}}", request_id, practice, extra ? extra : "");
}

static void
test_intake (void)
{
  TestServer *ts = server_new (NULL, NULL);
  g_autofree char *patient = test_add_patient (ts, ts->practice_a);
  g_autofree char *body = intake_body ("acme-1", ODS_A, NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(JsonObject) first = NULL;
  g_autoptr(JsonObject) second = NULL;

  /* Set up as an administrator would, with the admin command. */
  {
    g_autoptr(GSubprocess) admin = NULL;
    g_autoptr(GSubprocess) short_secret = NULL;
    g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GPtrArray) argv_short = g_ptr_array_new_with_free_func (g_free);
    const char * const add[] = { "add-intake-source", "--practice", ODS_A, "--name", "acme-consult" };
    const char * const set[] = { "set-intake-source-secret", "--name", "acme-consult" };

    g_ptr_array_add (argv, g_strdup (g_getenv ("SIGNPOST_SERVER_BIN")));
    g_ptr_array_add (argv, g_strdup ("admin"));
    test_database_add_args (ts->database, argv);
    for (guint i = 0; i < G_N_ELEMENTS (add); i++)
      g_ptr_array_add (argv, g_strdup (add[i]));
    g_ptr_array_add (argv, NULL);
    g_ptr_array_add (argv_short, g_strdup (g_getenv ("SIGNPOST_SERVER_BIN")));
    g_ptr_array_add (argv_short, g_strdup ("admin"));
    test_database_add_args (ts->database, argv_short);
    for (guint i = 0; i < G_N_ELEMENTS (set); i++)
      g_ptr_array_add (argv_short, g_strdup (set[i]));
    g_ptr_array_add (argv_short, NULL);

    admin = g_subprocess_newv ((const char * const *) argv->pdata,
                               G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                               &error);
    g_assert_no_error (error);
    g_assert_true (g_subprocess_communicate_utf8 (admin, INTAKE_SECRET "\n", NULL, NULL, NULL, &error));
    g_assert_true (g_subprocess_get_if_exited (admin));
    g_assert_cmpint (g_subprocess_get_exit_status (admin), ==, 0);
    short_secret = g_subprocess_newv ((const char * const *) argv_short->pdata,
                                      G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDERR_SILENCE,
                                      &error);
    g_assert_true (g_subprocess_communicate_utf8 (short_secret, "short\n", NULL, NULL, NULL, &error));
    g_assert_cmpint (g_subprocess_get_exit_status (short_secret), !=, 0);
  }
  {
    g_autoptr(TestReply) r = intake (ts, INTAKE_SECRET, body, 0);

    g_assert_cmpuint (r->status, ==, 200);
    first = test_reply_json (r);
    g_assert_cmpstr (json_object_get_string_member (first, "status"), ==, "accepted");
    g_assert_true (signpost_format_check (SIGNPOST_FORMAT_REFERENCE,
                                          json_object_get_string_member (first, "reference"), NULL));
    g_assert_false (json_object_has_member (first, "patient_id"));
  }
  /* The very same delivery again, and a fresh signature of the same request. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(TestReply) r = intake (ts, INTAKE_SECRET, body, i);

      g_assert_cmpuint (r->status, ==, 200);
      second = test_reply_json (r);
      g_assert_cmpstr (json_object_get_string_member (second, "status"), ==, "duplicate");
      g_assert_cmpstr (json_object_get_string_member (second, "reference"), ==,
                       json_object_get_string_member (first, "reference"));
      g_clear_pointer (&second, json_object_unref);
    }
  stored = online_requests (ts, ts->practice_a);
  g_assert_cmpuint (stored->len, ==, 1);
  g_assert_cmpint (signpost_triage_get_source (stored->pdata[0]), ==, SIGNPOST_REQUEST_SOURCE_INTAKE);
  g_assert_cmpstr (signpost_triage_get_source_name (stored->pdata[0]), ==, "acme-consult");
  g_assert_cmpstr (signpost_triage_get_source_ref (stored->pdata[0]), ==, "acme-1");
  g_assert_cmpstr (signpost_triage_get_patient_id (stored->pdata[0]), ==, patient);

  /* Refusals. */
  {
    g_autofree char *other = intake_body ("acme-2", ODS_A, NULL);
    g_autofree char *wrong_practice = intake_body ("acme-3", "Y99952", NULL);
    g_autofree char *bad_field = intake_body ("acme-4", ODS_A, ", \"contact_times\": [\"midnight\"]");
    g_autofree char *red = intake_body ("acme-5", ODS_A, ", \"red_flags\": [\"chest_pain\"]");
    g_autofree char *unknown = g_strdup ("{\"source\": \"nobody\", \"request_id\": \"x\"}");
    g_autoptr(TestReply) unsigned_reply = intake (ts, NULL, other, 0);
    g_autoptr(TestReply) bad_signature = intake (ts, "not-the-secret", other, 0);
    g_autoptr(TestReply) stale = intake (ts, INTAKE_SECRET, other, -301);
    g_autoptr(TestReply) unknown_source = intake (ts, INTAKE_SECRET, unknown, 0);
    g_autoptr(TestReply) practice = intake (ts, INTAKE_SECRET, wrong_practice, 0);
    g_autoptr(TestReply) field = intake (ts, INTAKE_SECRET, bad_field, 0);
    g_autoptr(TestReply) urgent = intake (ts, INTAKE_SECRET, red, 0);
    g_autoptr(TestReply) malformed = intake (ts, INTAKE_SECRET, "{\"source\": \"acme-consult\", [", 0);

    test_assert_problem (unsigned_reply, 401, NULL);
    test_assert_problem (bad_signature, 401, NULL);
    test_assert_problem (stale, 401, NULL);
    test_assert_problem (unknown_source, 404, "source");
    test_assert_problem (practice, 403, "practice");
    test_assert_problem (field, 422, "request.contact_times[0]");
    test_assert_problem (malformed, 400, NULL);
    /* A third party's red flag answered yes arrives as urgent as it calls for. */
    g_assert_cmpuint (urgent->status, ==, 200);
  }
  g_clear_pointer (&stored, g_ptr_array_unref);
  stored = online_requests (ts, ts->practice_a);
  g_assert_cmpuint (stored->len, ==, 2);
  for (guint i = 0; i < stored->len; i++)
    if (g_strcmp0 (signpost_triage_get_source_ref (stored->pdata[i]), "acme-5") == 0)
      g_assert_cmpint (signpost_triage_get_urgency (stored->pdata[i]), ==, SIGNPOST_URGENCY_EMERGENCY);
  test_server_free (ts);
}

/* ---- settings, audit, statistics ---------------------------------------------- */

static void
test_settings_by_role (void)
{
  TestServer *ts = server_new (NULL, NULL);
  g_autofree char *manager = test_login (ts, "mgr_a");
  g_autofree char *navigator = test_login (ts, "nav_a");
  g_autofree char *hub = test_login (ts, "hub");
  g_autoptr(SignpostPractice) practice = test_get_record (ts, SIGNPOST_RECORD_PRACTICE, ts->practice_a);
  g_autoptr(SignpostPractice) other = test_get_record (ts, SIGNPOST_RECORD_PRACTICE, ts->practice_b);
  gint64 version = signpost_record_get_version (SIGNPOST_RECORD (practice));
  g_autoptr(JsonObject) ok = NULL;
  g_autoptr(JsonObject) name = NULL;
  g_autoptr(JsonObject) nav = NULL;
  g_autoptr(JsonObject) hub_result = NULL;
  g_autoptr(JsonObject) foreign = NULL;
  g_autoptr(JsonObject) bad = NULL;

  ok = test_mutate_one (ts, manager, "practice", "update", ts->practice_a, version,
                        "{\"online_medical_daily_limit\": 60, \"online_paused\": true,"
                        " \"online_pause_message\": \"Back soon\","
                        " \"online_hours\": [{\"day\":\"monday\",\"opens\":\"07:30\",\"closes\":\"19:00\"}]}");
  g_assert_cmpstr (test_result_status (ok), ==, "applied");
  name = test_mutate_one (ts, manager, "practice", "update", ts->practice_a, version + 1,
                          "{\"name\": \"Renamed\"}");
  g_assert_cmpuint (test_result_problem_status (name), ==, 403);
  nav = test_mutate_one (ts, navigator, "practice", "update", ts->practice_a, version + 1,
                         "{\"online_paused\": false}");
  g_assert_cmpuint (test_result_problem_status (nav), ==, 403);
  hub_result = test_mutate_one (ts, hub, "practice", "update", ts->practice_a, version + 1,
                                "{\"online_paused\": false}");
  g_assert_cmpuint (test_result_problem_status (hub_result), ==, 403);
  foreign = test_mutate_one (ts, manager, "practice", "update", ts->practice_b,
                             signpost_record_get_version (SIGNPOST_RECORD (other)),
                             "{\"online_paused\": true}");
  /* Another practice's record is not there for this manager (PROTOCOL.md,
   * Refusals): 404, as for an id that does not exist. */
  g_assert_cmpuint (test_result_problem_status (foreign), ==, 404);
  bad = test_mutate_one (ts, manager, "practice", "update", ts->practice_a, version + 1,
                         "{\"online_hours\": [{\"day\":\"monday\",\"opens\":\"19:00\",\"closes\":\"07:30\"}]}");
  g_assert_cmpuint (test_result_problem_status (bad), ==, 422);
  g_clear_object (&practice);
  practice = test_get_record (ts, SIGNPOST_RECORD_PRACTICE, ts->practice_a);
  g_assert_true (signpost_practice_get_online_paused (practice));
  g_assert_cmpint (signpost_practice_get_online_medical_daily_limit (practice), ==, 60);
  test_server_free (ts);
}

static void
test_audit_and_outcome (void)
{
  TestServer *ts = server_new (NULL, NULL);
  g_autofree char *navigator = test_login (ts, "nav_a");
  g_autofree char *other = test_login (ts, "nav_b");
  g_autofree char *admin = test_login (ts, "admin");
  g_autofree char *manager = test_login (ts, "mgr_a");
  g_auto(Visit) visit = { 0 };
  g_autoptr(GPtrArray) fields = NULL;
  g_autoptr(GPtrArray) stored = NULL;
  g_autoptr(JsonObject) audit = NULL;
  g_autoptr(JsonObject) update = NULL;
  g_autoptr(JsonObject) stats = NULL;
  g_autoptr(TestReply) sent = NULL;
  g_autofree char *body = NULL;
  g_autofree char *path = NULL;
  g_autofree char *today = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();
  const char *id;
  JsonArray *events;
  gboolean viewed = FALSE;

  visit_start (ts, &visit);
  fields = request_fields (&visit, "Results please", "test_results");
  sent = post_form (ts, "check", visit.cookie, NULL, (const char * const *) fields->pdata);
  g_assert_nonnull (strstr (sent->body, "Request sent"));
  stored = online_requests (ts, ts->practice_a);
  id = signpost_record_get_id (stored->pdata[0]);

  /* Who opened it goes in the audit log; someone of another practice may not. */
  body = g_strdup_printf ("{\"triage_id\": \"%s\", \"context\": \"requests list\"}", id);
  {
    g_autoptr(TestReply) r = test_http (ts, NULL, "POST", "/api/v1/audit/views", navigator, body, -1);
    g_autoptr(TestReply) refused = test_http (ts, NULL, "POST", "/api/v1/audit/views", other, body, -1);
    g_autoptr(TestReply) both = test_http (ts, NULL, "POST", "/api/v1/audit/views", navigator,
                                           "{\"triage_id\": \"00000000-0000-4000-8000-000000000000\","
                                           " \"patient_id\": \"00000000-0000-4000-8000-000000000000\"}", -1);

    g_assert_cmpuint (r->status, ==, 200);
    /* Not there for someone of another practice: 404, as for no id at all. */
    test_assert_problem (refused, 404, "triage_id");
    test_assert_problem (both, 422, "patient_id");
  }
  audit = test_get_json (ts, "/api/v1/audit?limit=1000", admin);
  events = json_object_get_array_member (audit, "events");
  for (guint i = 0; i < json_array_get_length (events); i++)
    {
      JsonObject *event = json_array_get_object_element (events, i);

      if (g_strcmp0 (json_object_get_string_member (event, "action"), "view") == 0 &&
          g_strcmp0 (json_object_get_string_member (event, "record_id"), id) == 0 &&
          g_strcmp0 (json_object_get_string_member (event, "username"), "nav_a") == 0)
        viewed = TRUE;
    }
  g_assert_true (viewed);

  /* The navigator gives an outcome: the clock stops, and the day's figures say so. */
  update = test_mutate_one (ts, navigator, "triage", "update", id,
                            signpost_record_get_version (stored->pdata[0]),
                            "{\"status\": \"closed\", \"outcome\": \"advice_given\"}");
  g_assert_cmpstr (test_result_status (update), ==, "applied");
  {
    g_autoptr(SignpostTriage) after = test_get_record (ts, SIGNPOST_RECORD_TRIAGE, id);

    g_assert_nonnull (signpost_triage_get_outcome_at (after));
  }
  today = g_date_time_format (now, "%Y-%m-%d");
  path = g_strdup_printf ("/api/v1/stats/day?practice=%s&date=%s", ts->practice_a, today);
  stats = test_get_json (ts, path, manager);
  {
    JsonObject *totals = json_object_get_object_member (stats, "totals");
    JsonArray *requests = json_object_get_array_member (stats, "requests");
    JsonObject *first = json_array_get_object_element (requests, 0);
    JsonArray *intervals = json_object_get_array_member (stats, "intervals");
    gint64 sum = 0;

    g_assert_cmpint (json_object_get_int_member (totals, "online_requests"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (totals, "online_admin"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (totals, "online_with_outcome"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (totals, "online_late"), ==, 0);
    g_assert_false (json_object_get_null_member (totals, "online_mean_wait_for_outcome_s"));
    g_assert_cmpuint (json_array_get_length (requests), ==, 1);
    g_assert_cmpstr (json_object_get_string_member (first, "source"), ==, "online");
    g_assert_cmpstr (json_object_get_string_member (first, "request_type"), ==, "admin");
    g_assert_false (json_object_get_null_member (first, "outcome_at"));
    g_assert_false (json_object_has_member (first, "reason"));
    for (guint i = 0; i < json_array_get_length (intervals); i++)
      sum += json_object_get_int_member (json_array_get_object_element (intervals, i), "online_requests");
    g_assert_cmpint (sum, ==, 1);
  }
  test_server_free (ts);
}

static void
test_phone_records_get_a_deadline (void)
{
  TestServer *ts = server_new (NULL, NULL);
  g_autofree char *navigator = test_login (ts, "nav_a");
  g_autofree char *id = g_uuid_string_random ();
  g_autoptr(JsonObject) result = NULL;
  g_autoptr(SignpostTriage) triage = NULL;
  g_autofree char *data = g_strdup_printf ("{\"practice_id\": \"%s\", \"reason\": \"Phone call\","
                                           " \"urgency\": \"routine\", \"status\": \"open\","
                                           " \"source\": \"online\", \"reference\": \"BCD-1234\"}",
                                           ts->practice_a);

  /* A client cannot say its record came in online. */
  result = test_mutate_one (ts, navigator, "triage", "create", id, 0, data);
  g_assert_cmpstr (test_result_status (result), ==, "applied");
  triage = test_get_record (ts, SIGNPOST_RECORD_TRIAGE, id);
  g_assert_cmpint (signpost_triage_get_source (triage), ==, SIGNPOST_REQUEST_SOURCE_PHONE);
  g_assert_null (signpost_triage_get_reference (triage));
  g_assert_nonnull (signpost_triage_get_respond_by (triage));
  test_server_free (ts);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/requests/start-page", test_start_page);
  g_test_add_func ("/signpost/requests/submit-matched", test_submit_matched);
  g_test_add_func ("/signpost/requests/unmatched-reveals-nothing", test_unmatched_reveals_nothing);
  g_test_add_func ("/signpost/requests/csrf", test_csrf);
  g_test_add_func ("/signpost/requests/hostile-input", test_hostile_input);
  g_test_add_func ("/signpost/requests/emergency-stop", test_emergency_stop);
  g_test_add_func ("/signpost/requests/closed", test_closed);
  g_test_add_func ("/signpost/requests/medical-limit", test_medical_limit);
  g_test_add_func ("/signpost/requests/rate-limits", test_rate_limits);
  g_test_add_func ("/signpost/requests/intake", test_intake);
  g_test_add_func ("/signpost/requests/settings-by-role", test_settings_by_role);
  g_test_add_func ("/signpost/requests/audit-and-outcome", test_audit_and_outcome);
  g_test_add_func ("/signpost/requests/phone-deadline", test_phone_records_get_a_deadline);

  return g_test_run ();
}
