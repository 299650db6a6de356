/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-callgen"

#include "config.h"

#include <string.h>

#include "signpost-webhook-signature.h"

/* The value of X-Signpost-Signature (docs/PROTOCOL.md): "sha256=" and the
 * lower-case hex HMAC-SHA256 of TIMESTAMP "." BODY under the line's
 * secret. The timestamp is the one sent in X-Signpost-Timestamp. */
char *
signpost_webhook_signature (const char *secret,
                            gint64      timestamp,
                            const char *body,
                            gsize       length)
{
  g_autoptr(GHmac) hmac = NULL;
  char stamp[32];

  g_return_val_if_fail (secret != NULL, NULL);
  g_return_val_if_fail (body != NULL || length == 0, NULL);

  g_snprintf (stamp, sizeof stamp, "%" G_GINT64_FORMAT ".", timestamp);
  hmac = g_hmac_new (G_CHECKSUM_SHA256, (const guchar *) secret, strlen (secret));
  g_hmac_update (hmac, (const guchar *) stamp, -1);
  if (length > 0)
    g_hmac_update (hmac, (const guchar *) body, (gssize) length);

  return g_strconcat ("sha256=", g_hmac_get_string (hmac), NULL);
}
