/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "server-test-util.h"

static void
test_login_ok (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autoptr(TestReply) reply = NULL;
  g_autoptr(JsonObject) object = NULL;
  g_autoptr(JsonObject) me = NULL;
  JsonArray *practices;
  const char *token;
  g_autofree char *me_token = NULL;

  reply = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                     "{\"username\":\"hub\",\"password\":\"" TEST_PASSWORD "\"}", -1);
  g_assert_cmpuint (reply->status, ==, 200);
  object = test_reply_json (reply);
  token = json_object_get_string_member (object, "token");
  /* 32 random bytes, base64url without padding */
  g_assert_cmpuint (strlen (token), ==, 43);
  g_assert_null (strpbrk (token, "+/="));
  g_assert_cmpstr (json_object_get_string_member (object, "role"), ==, "navigator");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (object, "user"),
                                                  "username"), ==, "hub");
  practices = json_object_get_array_member (object, "practices");
  g_assert_cmpuint (json_array_get_length (practices), ==, 2);
  g_assert_nonnull (json_object_get_string_member (object, "expires_at"));

  me = test_get_json (ts, "/api/v1/me", token);
  g_assert_cmpstr (json_object_get_string_member (me, "role"), ==, "navigator");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (me, "practices")), ==, 2);

  /* Usernames are not case sensitive. */
  me_token = test_login (ts, "NAV_A");
  g_assert_nonnull (me_token);
  test_server_free (ts);
}

static void
test_login_wrong (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autoptr(TestReply) wrong = NULL;
  g_autoptr(TestReply) unknown = NULL;
  g_autoptr(TestReply) missing = NULL;
  g_autoptr(JsonObject) a = NULL;
  g_autoptr(JsonObject) b = NULL;

  wrong = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                     "{\"username\":\"nav_a\",\"password\":\"not-it\"}", -1);
  test_assert_problem (wrong, 401, NULL);
  unknown = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                       "{\"username\":\"nobody\",\"password\":\"not-it\"}", -1);
  test_assert_problem (unknown, 401, NULL);
  /* The same answer either way. */
  a = test_reply_json (wrong);
  b = test_reply_json (unknown);
  g_assert_cmpstr (json_object_get_string_member (a, "detail"), ==,
                   json_object_get_string_member (b, "detail"));
  missing = test_http (ts, NULL, "POST", "/api/v1/login", NULL, "{\"username\":\"nav_a\"}", -1);
  test_assert_problem (missing, 422, "password");
  test_server_free (ts);
}

static void
test_login_rate_limit (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autoptr(TestReply) limited = NULL;
  g_autoptr(TestReply) right = NULL;
  g_autoptr(TestReply) other = NULL;
  const char *retry;

  for (guint i = 0; i < 5; i++)
    {
      g_autoptr(TestReply) reply = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                                              "{\"username\":\"nav_a\",\"password\":\"guess\"}", -1);
      test_assert_problem (reply, 401, NULL);
    }
  limited = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                       "{\"username\":\"nav_a\",\"password\":\"guess\"}", -1);
  test_assert_problem (limited, 429, NULL);
  retry = soup_message_headers_get_one (limited->headers, "Retry-After");
  g_assert_nonnull (retry);
  g_assert_cmpint (atoi (retry), >, 0);
  g_assert_cmpint (atoi (retry), <=, 300);

  /* Even the right password waits now. */
  right = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                     "{\"username\":\"nav_a\",\"password\":\"" TEST_PASSWORD "\"}", -1);
  test_assert_problem (right, 429, NULL);

  /* The client address is limited too: another user from here is refused. */
  other = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                     "{\"username\":\"nav_b\",\"password\":\"" TEST_PASSWORD "\"}", -1);
  test_assert_problem (other, 429, NULL);
  test_server_free (ts);
}

static void
test_token_expired (void)
{
  SignpostServerOptions options;
  TestServer *ts;
  g_autofree char *token = NULL;
  g_autoptr(TestReply) before = NULL;
  g_autoptr(TestReply) after = NULL;

  signpost_server_options_init (&options);
  options.token_lifetime_s = 1;
  ts = test_server_new (&options);
  token = test_login (ts, "nav_a");
  before = test_http (ts, NULL, "GET", "/api/v1/me", token, NULL, -1);
  g_assert_cmpuint (before->status, ==, 200);
  test_sleep (1100);
  after = test_http (ts, NULL, "GET", "/api/v1/me", token, NULL, -1);
  test_assert_problem (after, 401, NULL);
  g_assert_nonnull (soup_message_headers_get_one (after->headers, "WWW-Authenticate"));
  test_server_free (ts);
}

static void
test_token_revoked (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autofree char *token = test_login (ts, "nav_a");
  g_autofree char *other = test_login (ts, "nav_a");
  g_autoptr(TestReply) logout = NULL;
  g_autoptr(TestReply) after = NULL;
  g_autoptr(TestReply) still = NULL;
  g_autoptr(TestReply) none = NULL;
  g_autoptr(TestReply) bogus = NULL;

  logout = test_http (ts, NULL, "POST", "/api/v1/logout", token, NULL, -1);
  g_assert_cmpuint (logout->status, ==, 200);
  after = test_http (ts, NULL, "GET", "/api/v1/changes", token, NULL, -1);
  test_assert_problem (after, 401, NULL);
  /* Only that token. */
  still = test_http (ts, NULL, "GET", "/api/v1/me", other, NULL, -1);
  g_assert_cmpuint (still->status, ==, 200);
  none = test_http (ts, NULL, "GET", "/api/v1/me", NULL, NULL, -1);
  test_assert_problem (none, 401, NULL);
  bogus = test_http (ts, NULL, "GET", "/api/v1/me", "AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
                     NULL, -1);
  test_assert_problem (bogus, 401, NULL);
  test_server_free (ts);
}

static void
test_login_role (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autoptr(TestReply) wrong_role = NULL;

  /* nav_a holds no clinician role. */
  wrong_role = test_http (ts, NULL, "POST", "/api/v1/login", NULL,
                          "{\"username\":\"nav_a\",\"password\":\"" TEST_PASSWORD "\","
                          "\"role\":\"clinician\"}", -1);
  test_assert_problem (wrong_role, 403, "role");
  test_server_free (ts);
}

static void
test_healthz (void)
{
  TestServer *ts = test_server_new (NULL);
  g_autoptr(TestReply) reply = test_http (ts, NULL, "GET", "/api/v1/healthz", NULL, NULL, -1);
  g_autoptr(JsonObject) object = test_reply_json (reply);

  g_assert_cmpuint (reply->status, ==, 200);
  g_assert_cmpstr (json_object_get_string_member (object, "status"), ==, "ok");
  test_server_free (ts);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/auth/healthz", test_healthz);
  g_test_add_func ("/signpost/server/auth/login", test_login_ok);
  g_test_add_func ("/signpost/server/auth/wrong", test_login_wrong);
  g_test_add_func ("/signpost/server/auth/rate-limit", test_login_rate_limit);
  g_test_add_func ("/signpost/server/auth/expired", test_token_expired);
  g_test_add_func ("/signpost/server/auth/revoked", test_token_revoked);
  g_test_add_func ("/signpost/server/auth/role", test_login_role);

  return g_test_run ();
}
