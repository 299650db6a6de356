/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SIGNPOST_WEBHOOK_TIMESTAMP_HEADER "X-Signpost-Timestamp"
#define SIGNPOST_WEBHOOK_SIGNATURE_HEADER "X-Signpost-Signature"

char *signpost_webhook_signature (const char *secret,
                                  gint64      timestamp,
                                  const char *body,
                                  gsize       length);

G_END_DECLS
