/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-object.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_MUTATION_RESULT (signpost_mutation_result_get_type ())
G_DECLARE_FINAL_TYPE (SignpostMutationResult, signpost_mutation_result, SIGNPOST, MUTATION_RESULT, SignpostObject)

/* What the server did with one mutation. */
SignpostMutationResult *signpost_mutation_result_new (void);

const char *signpost_mutation_result_get_mutation_id (SignpostMutationResult *self);
void signpost_mutation_result_set_mutation_id (SignpostMutationResult *self, const char *value);
SignpostResultStatus signpost_mutation_result_get_status (SignpostMutationResult *self);
void signpost_mutation_result_set_status (SignpostMutationResult *self, SignpostResultStatus value);
const char *signpost_mutation_result_get_id (SignpostMutationResult *self);
void signpost_mutation_result_set_id (SignpostMutationResult *self, const char *value);
gint64 signpost_mutation_result_get_version (SignpostMutationResult *self);
void signpost_mutation_result_set_version (SignpostMutationResult *self, gint64 value);
gint64 signpost_mutation_result_get_seq (SignpostMutationResult *self);
void signpost_mutation_result_set_seq (SignpostMutationResult *self, gint64 value);
JsonNode *signpost_mutation_result_get_record (SignpostMutationResult *self);
void signpost_mutation_result_set_record (SignpostMutationResult *self, JsonNode *value);
JsonNode *signpost_mutation_result_get_problem (SignpostMutationResult *self);
void signpost_mutation_result_set_problem (SignpostMutationResult *self, JsonNode *value);
const char * const *signpost_mutation_result_get_warnings (SignpostMutationResult *self);
void signpost_mutation_result_set_warnings (SignpostMutationResult *self, const char * const *value);

G_END_DECLS
