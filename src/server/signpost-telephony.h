/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-apply.h"
#include "signpost-core.h"
#include "signpost-store.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_TELEPHONY (signpost_telephony_get_type ())
G_DECLARE_FINAL_TYPE (SignpostTelephony, signpost_telephony, SIGNPOST, TELEPHONY, GObject)

/* How far a webhook's X-Signpost-Timestamp may be from our clock. */
#define SIGNPOST_TELEPHONY_WINDOW_SECONDS 300

SignpostTelephony *signpost_telephony_new           (SignpostStore         *store);
JsonObject        *signpost_telephony_check         (SignpostTelephony     *self,
                                                     const char            *timestamp,
                                                     const char            *signature,
                                                     const char            *body,
                                                     gsize                  length,
                                                     char                 **practice_id,
                                                     GError               **error);
JsonObject        *signpost_telephony_apply         (SignpostTelephony     *self,
                                                     JsonObject            *event,
                                                     const char            *practice_id,
                                                     SignpostApplyContext  *ctx,
                                                     GError               **error);
JsonObject        *signpost_telephony_receive       (SignpostTelephony     *self,
                                                     const char            *timestamp,
                                                     const char            *signature,
                                                     const char            *body,
                                                     gsize                  length,
                                                     SignpostApplyContext  *ctx,
                                                     GError               **error);
JsonObject        *signpost_telephony_queue_summary (SignpostTelephony     *self,
                                                     const char            *practice_id,
                                                     GDateTime             *now,
                                                     GError               **error);

char              *signpost_telephony_sign          (const char            *secret,
                                                     const char            *timestamp,
                                                     const char            *body,
                                                     gsize                  length);

void               signpost_queue_sort              (GPtrArray             *calls);
gint64             signpost_queue_position          (SignpostStore         *store,
                                                     SignpostCall          *call,
                                                     GError               **error);

G_END_DECLS
