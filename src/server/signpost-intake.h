/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-apply.h"
#include "signpost-core.h"
#include "signpost-store.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_INTAKE (signpost_intake_get_type ())
G_DECLARE_FINAL_TYPE (SignpostIntake, signpost_intake, SIGNPOST, INTAKE, GObject)

/* How far an intake request's X-Signpost-Timestamp may be from our clock. */
#define SIGNPOST_INTAKE_WINDOW_SECONDS 300

SignpostIntake   *signpost_intake_new            (SignpostStore          *store);
SignpostPractice *signpost_intake_find_practice  (SignpostIntake         *self,
                                                  const char             *ods_code,
                                                  GError                **error);
gboolean          signpost_intake_count_medical  (SignpostIntake         *self,
                                                  SignpostPractice       *practice,
                                                  GDateTime              *now,
                                                  gint64                 *count,
                                                  GError                **error);
SignpostTriage   *signpost_intake_submit         (SignpostIntake         *self,
                                                  SignpostApplyContext   *ctx,
                                                  SignpostPractice       *practice,
                                                  SignpostOnlineRequest  *request,
                                                  SignpostRequestSource   source,
                                                  const char             *source_name,
                                                  const char             *source_ref,
                                                  const char             *key,
                                                  gboolean               *duplicate,
                                                  GError                **error);
JsonObject       *signpost_intake_receive        (SignpostIntake         *self,
                                                  const char             *timestamp,
                                                  const char             *signature,
                                                  const char             *body,
                                                  gsize                   length,
                                                  SignpostApplyContext   *ctx,
                                                  GError                **error);

G_END_DECLS
