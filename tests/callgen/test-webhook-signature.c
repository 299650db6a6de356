/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "signpost-webhook-signature.h"

/* docs/PROTOCOL.md: X-Signpost-Signature is "sha256=" + the lower-case hex
 * HMAC-SHA256 of TIMESTAMP "." BODY under the line's secret. */

#define BODY "{\"event\":\"call.offered\",\"call_ref\":\"cg-1\",\"line\":\"+441174960000\"," \
             "\"cli\":null,\"at\":\"2026-11-23T08:00:00Z\"}"

/* Computed outside GLib, with Python's hmac module. */
static void
test_known_vector (void)
{
  g_autofree char *signature = signpost_webhook_signature ("demo-line-secret", 1795420800,
                                                           BODY, strlen (BODY));
  g_autofree char *empty = signpost_webhook_signature ("key", 0, "", 0);

  g_assert_cmpstr (signature, ==, "sha256=e68620b094166e51c6c941fb790878d7ae0d386cdcadbfd7daf6a54eb45163e5");
  g_assert_cmpstr (empty, ==, "sha256=85841b4efc3cd7776c3c8f9b7cca9e281c550e5d19889d78e9e669c6337f000d");
}

/* And against GHmac over the whole message at once. */
static void
test_matches_ghmac (void)
{
#define LONG_SECRET "a much longer secret than the block size of sha-256, " \
                    "which is sixty-four bytes, so that the key is hashed first"
  static const char * const secrets[] = { "demo-line-secret", "s", LONG_SECRET };
  static const gint64 stamps[] = { 0, 1795420800, G_GINT64_CONSTANT (4102444800) };
  static const char * const bodies[] = { "", "{}", BODY, "caf\xc3\xa9 \xe2\x80\x94 not JSON at all" };

  for (guint i = 0; i < G_N_ELEMENTS (secrets); i++)
    for (guint j = 0; j < G_N_ELEMENTS (stamps); j++)
      for (guint k = 0; k < G_N_ELEMENTS (bodies); k++)
        {
          g_autofree char *message = g_strdup_printf ("%" G_GINT64_FORMAT ".%s", stamps[j], bodies[k]);
          g_autofree char *hex = g_compute_hmac_for_string (G_CHECKSUM_SHA256, (const guchar *) secrets[i],
                                                            strlen (secrets[i]), message, -1);
          g_autofree char *expected = g_strconcat ("sha256=", hex, NULL);
          g_autofree char *signature = signpost_webhook_signature (secrets[i], stamps[j], bodies[k],
                                                                   strlen (bodies[k]));

          g_assert_cmpstr (signature, ==, expected);
          g_assert_cmpuint (strlen (signature), ==, 7 + 64);
          for (const char *p = signature + 7; *p != '\0'; p++)
            g_assert_true (g_ascii_isdigit (*p) || (*p >= 'a' && *p <= 'f'));
        }
}

static void
test_sensitive (void)
{
  g_autofree char *a = signpost_webhook_signature ("demo-line-secret", 1795420800, BODY, strlen (BODY));
  g_autofree char *other_secret = signpost_webhook_signature ("demo-line-secreT", 1795420800, BODY, strlen (BODY));
  g_autofree char *other_time = signpost_webhook_signature ("demo-line-secret", 1795420801, BODY, strlen (BODY));
  g_autofree char *other_body = signpost_webhook_signature ("demo-line-secret", 1795420800, BODY, strlen (BODY) - 1);

  g_assert_cmpstr (a, !=, other_secret);
  g_assert_cmpstr (a, !=, other_time);
  g_assert_cmpstr (a, !=, other_body);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/callgen/signature/known-vector", test_known_vector);
  g_test_add_func ("/signpost/callgen/signature/ghmac", test_matches_ghmac);
  g_test_add_func ("/signpost/callgen/signature/sensitive", test_sensitive);

  return g_test_run ();
}
