/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-core.h"
#include "signpost-principal.h"

G_BEGIN_DECLS

/* How much of a record a role may read (PROTOCOL.md, "Who sees what"). */
typedef enum {
  SIGNPOST_VISIBILITY_HIDDEN,
  SIGNPOST_VISIBILITY_FULL,
  SIGNPOST_VISIBILITY_REDACTED,
} SignpostVisibility;

#define SIGNPOST_N_ROLES 4
#define SIGNPOST_N_RECORD_KINDS 8
#define SIGNPOST_OP_MASK(op) (1u << (op))

SignpostVisibility  signpost_access_visibility     (SignpostRole         role,
                                                    SignpostRecordKind   kind);
gboolean            signpost_access_is_scoped      (SignpostRole         role,
                                                    SignpostRecordKind   kind);
SignpostVisibility  signpost_access_check_read     (SignpostPrincipal   *principal,
                                                    SignpostRecordKind   kind,
                                                    const char          *practice_id,
                                                    const char * const  *user_practice_ids);
void                signpost_access_redact         (SignpostRole         role,
                                                    SignpostRecordKind   kind,
                                                    JsonObject          *data);

JsonObject         *signpost_access_record_to_json (SignpostRole         role,
                                                    SignpostRecord      *record);

gboolean            signpost_access_may_mutate     (SignpostRole         role,
                                                    SignpostRecordKind   kind,
                                                    SignpostOp           op);
gboolean            signpost_access_check_write    (SignpostPrincipal   *principal,
                                                    SignpostRecordKind   kind,
                                                    SignpostOp           op,
                                                    const char          *practice_id,
                                                    GError             **error);
gboolean            signpost_access_check_fields   (SignpostRole         role,
                                                    SignpostRecordKind   kind,
                                                    JsonObject          *data,
                                                    GError             **error);

gboolean            signpost_access_check_change   (SignpostRole         role,
                                                    SignpostRecordKind   kind,
                                                    JsonObject          *before,
                                                    JsonObject          *after,
                                                    GError             **error);
gboolean            signpost_access_role_is_clinical (SignpostRole       role);
char               *signpost_access_granted_clinical_roles (SignpostUser *before,
                                                            SignpostUser *after);
gboolean            signpost_access_check_user_change (SignpostPrincipal  *principal,
                                                       SignpostUser       *before,
                                                       SignpostUser       *after,
                                                       GError            **error);

gboolean            signpost_access_may_read_audit (SignpostRole         role);
gboolean            signpost_access_may_see_queue  (SignpostRole         role);
gboolean            signpost_access_may_see_stats  (SignpostRole         role);
gboolean            signpost_access_may_see_practice_stats (SignpostPrincipal *principal,
                                                            const char        *practice_id);

G_END_DECLS
