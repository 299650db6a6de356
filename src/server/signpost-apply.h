/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-core.h"
#include "signpost-principal.h"
#include "signpost-store.h"

G_BEGIN_DECLS

/**
 * SignpostApplyContext:
 * @store: where to write; the caller holds a transaction open
 * @principal: who is acting, or %NULL for the phone system
 * @now: the time of the request
 * @changed: (element-type SignpostRecord): every record written, for the
 *   live notices sent once the transaction has committed
 * @call_events: (element-type JsonObject): live call events to send then
 *
 * The state shared by the writes of one request.
 */
typedef struct {
  SignpostStore     *store;
  SignpostPrincipal *principal;
  GDateTime         *now;
  GPtrArray         *changed;
  GPtrArray         *call_events;
} SignpostApplyContext;

void                    signpost_apply_context_init  (SignpostApplyContext  *ctx,
                                                      SignpostStore         *store,
                                                      SignpostPrincipal     *principal,
                                                      GDateTime             *now);
void                    signpost_apply_context_clear (SignpostApplyContext  *ctx);
void                    signpost_apply_context_reset (SignpostApplyContext  *ctx);

gboolean                signpost_apply_write         (SignpostApplyContext  *ctx,
                                                      SignpostRecord        *record,
                                                      gboolean               deleted,
                                                      GError               **error);
gboolean                signpost_apply_call_event    (SignpostApplyContext  *ctx,
                                                      SignpostCall          *call,
                                                      const char            *event,
                                                      GDateTime             *at,
                                                      GError               **error);
gboolean                signpost_apply_audit         (SignpostApplyContext  *ctx,
                                                      const char            *action,
                                                      SignpostRecord        *record,
                                                      const char            *detail,
                                                      GError               **error);
const char             *signpost_record_get_patient_ref (SignpostRecord     *record);

SignpostMutationResult *signpost_apply_mutation      (SignpostApplyContext  *ctx,
                                                      SignpostMutation      *mutation,
                                                      GError               **error);

G_END_DECLS
