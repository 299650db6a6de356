/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <sodium.h>

#include "signpost-csrf.h"

#define COOKIE_BYTES 32

char *
signpost_csrf_new_cookie (void)
{
  guchar bytes[COOKIE_BYTES];
  char text[sodium_base64_ENCODED_LEN (COOKIE_BYTES, sodium_base64_VARIANT_URLSAFE_NO_PADDING)];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2base64 (text, sizeof text, bytes, sizeof bytes, sodium_base64_VARIANT_URLSAFE_NO_PADDING);
  return g_strdup (text);
}

/* What signpost_csrf_new_cookie() makes: 43 base64url characters. */
gboolean
signpost_csrf_cookie_ok (const char *cookie)
{
  if (cookie == NULL || strlen (cookie) != 43)
    return FALSE;
  for (const char *p = cookie; *p != '\0'; p++)
    if (!g_ascii_isalnum (*p) && *p != '-' && *p != '_')
      return FALSE;
  return TRUE;
}

static char *
mac (const char *key,
     const char *cookie,
     const char *scope,
     gint64      started,
     gint64      issued)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) key, strlen (key));
  g_autofree char *times = g_strdup_printf ("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT, started, issued);

  g_hmac_update (hmac, (const guchar *) "csrf\n", 5);
  g_hmac_update (hmac, (const guchar *) cookie, strlen (cookie));
  g_hmac_update (hmac, (const guchar *) "\n", 1);
  g_hmac_update (hmac, (const guchar *) scope, strlen (scope));
  g_hmac_update (hmac, (const guchar *) "\n", 1);
  g_hmac_update (hmac, (const guchar *) times, strlen (times));
  return g_strdup (g_hmac_get_string (hmac));
}

char *
signpost_csrf_token (const char *key,
                     const char *cookie,
                     const char *scope,
                     gint64      started,
                     gint64      now)
{
  g_autofree char *digest = mac (key, cookie, scope, started, now);

  return g_strdup_printf ("%" G_GINT64_FORMAT ".%" G_GINT64_FORMAT ".%s", started, now, digest);
}

gboolean
signpost_csrf_check (const char *key,
                     const char *cookie,
                     const char *scope,
                     const char *token,
                     gint64      now,
                     gint64     *started)
{
  g_auto(GStrv) parts = NULL;
  g_autofree char *expected = NULL;
  guint64 start = 0, issued = 0;

  if (!signpost_csrf_cookie_ok (cookie) || token == NULL || strlen (token) > 128)
    return FALSE;
  parts = g_strsplit (token, ".", 4);
  if (g_strv_length (parts) != 3 ||
      !g_ascii_string_to_unsigned (parts[0], 10, 0, G_MAXINT64, &start, NULL) ||
      !g_ascii_string_to_unsigned (parts[1], 10, 0, G_MAXINT64, &issued, NULL) ||
      strlen (parts[2]) != 64)
    return FALSE;
  if ((gint64) issued > now + 60 || now - (gint64) issued > SIGNPOST_CSRF_MAX_AGE_S ||
      start > issued)
    return FALSE;
  expected = mac (key, cookie, scope, start, issued);
  if (sodium_memcmp (expected, parts[2], 64) != 0)
    return FALSE;
  if (started != NULL)
    *started = start;
  return TRUE;
}

char *
signpost_csrf_blind (const char *key,
                     const char *text)
{
  g_autoptr(GHmac) hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) key, strlen (key));

  g_hmac_update (hmac, (const guchar *) "client\n", 7);
  g_hmac_update (hmac, (const guchar *) (text ? text : ""), text ? strlen (text) : 0);
  return g_strndup (g_hmac_get_string (hmac), 32);
}
