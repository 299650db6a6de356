/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-object.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_MUTATION (signpost_mutation_get_type ())
G_DECLARE_FINAL_TYPE (SignpostMutation, signpost_mutation, SIGNPOST, MUTATION, SignpostObject)

/* A change a client asks the server to make; mutation_id makes a retry safe. */
SignpostMutation *signpost_mutation_new (void);

const char *signpost_mutation_get_mutation_id (SignpostMutation *self);
void signpost_mutation_set_mutation_id (SignpostMutation *self, const char *value);
SignpostRecordKind signpost_mutation_get_kind (SignpostMutation *self);
void signpost_mutation_set_kind (SignpostMutation *self, SignpostRecordKind value);
SignpostOp signpost_mutation_get_op (SignpostMutation *self);
void signpost_mutation_set_op (SignpostMutation *self, SignpostOp value);
const char *signpost_mutation_get_id (SignpostMutation *self);
void signpost_mutation_set_id (SignpostMutation *self, const char *value);
gint64 signpost_mutation_get_base_version (SignpostMutation *self);
void signpost_mutation_set_base_version (SignpostMutation *self, gint64 value);
JsonNode *signpost_mutation_get_data (SignpostMutation *self);
void signpost_mutation_set_data (SignpostMutation *self, JsonNode *value);

G_END_DECLS
