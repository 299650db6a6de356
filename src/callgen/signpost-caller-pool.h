/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-core.h"
#include "signpost-traffic-profile.h"

G_BEGIN_DECLS

typedef enum {
  SIGNPOST_CALLER_MOBILE,   /* a mobile on the practice's list */
  SIGNPOST_CALLER_LANDLINE, /* a household landline on the list */
  SIGNPOST_CALLER_UNKNOWN,  /* a number on nobody's record */
  SIGNPOST_CALLER_WITHHELD, /* no number at all */
} SignpostCallerKind;

#define SIGNPOST_CALLER_N_KINDS (SIGNPOST_CALLER_WITHHELD + 1)

#define SIGNPOST_TYPE_CALLER_POOL (signpost_caller_pool_get_type ())
G_DECLARE_FINAL_TYPE (SignpostCallerPool, signpost_caller_pool, SIGNPOST, CALLER_POOL, GObject)

SignpostCallerPool *signpost_caller_pool_new             (void);
void                signpost_caller_pool_add_patient     (SignpostCallerPool          *self,
                                                          SignpostPatient             *patient);
void                signpost_caller_pool_add_number      (SignpostCallerPool          *self,
                                                          const char                  *practice_id,
                                                          const char                  *number,
                                                          SignpostPhoneKind            kind);
void                signpost_caller_pool_add_patients    (SignpostCallerPool          *self,
                                                          const char                  *practice_id,
                                                          guint                        n_patients);
guint               signpost_caller_pool_get_n_patients  (SignpostCallerPool          *self,
                                                          const char                  *practice_id);
guint               signpost_caller_pool_get_n_numbers   (SignpostCallerPool          *self,
                                                          const char                  *practice_id,
                                                          SignpostCallerKind           kind);
gboolean            signpost_caller_pool_is_known        (SignpostCallerPool          *self,
                                                          const char                  *number);
char               *signpost_caller_pool_draw            (SignpostCallerPool          *self,
                                                          const char                  *practice_id,
                                                          const SignpostTrafficParams *params,
                                                          GRand                       *rand,
                                                          SignpostCallerKind          *kind);
char               *signpost_caller_pool_draw_unknown    (SignpostCallerPool          *self,
                                                          GRand                       *rand);

const char         *signpost_caller_kind_to_string       (SignpostCallerKind           kind);

G_END_DECLS
