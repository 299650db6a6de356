/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SignpostPatientQuery:
 * @fts: an FTS5 expression over the folded names ("smi"* "jo"*), or %NULL
 * @name_tokens: the folded name prefixes, in the order typed
 * @dob: a date of birth as YYYY-MM-DD, or %NULL
 * @postcode_from, @postcode_to: a half-open range of postcode keys
 *   (upper case, no spaces), or %NULL
 * @nhs_from, @nhs_to: a half-open range of NHS numbers, or %NULL
 * @phone_from, @phone_to: a half-open range of E.164 numbers, or %NULL
 *
 * What a receptionist typed into the patient search, taken apart into the
 * keys the cache can look up: names in any order, an NHS number with any
 * spacing, a date of birth in the usual UK forms, a phone number in any
 * form, a postcode or its first half. Every range is a prefix written as
 * [from, to), so one B-tree range scan answers it.
 */
typedef struct {
  char *fts;
  GPtrArray *name_tokens;
  char *dob;
  char *postcode_from;
  char *postcode_to;
  char *nhs_from;
  char *nhs_to;
  char *phone_from;
  char *phone_to;
} SignpostPatientQuery;

SignpostPatientQuery *signpost_patient_query_parse      (const char           *text);
void                  signpost_patient_query_free       (SignpostPatientQuery *query);
gboolean              signpost_patient_query_is_empty   (const SignpostPatientQuery *query);

char                 *signpost_fold_text                (const char           *text);
char                 *signpost_fold_word                (const char           *text);
char                 *signpost_postcode_key             (const char           *postcode);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignpostPatientQuery, signpost_patient_query_free)

G_END_DECLS
