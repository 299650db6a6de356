/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-cache.h"

G_BEGIN_DECLS

/**
 * SignpostRequestDraft:
 *
 * A navigation request as it was being filled in, kept on this PC so a
 * crash loses nothing (the cache's drafts, key "triage:<triage id>"). It
 * holds values, never a form's row numbers: enums by their wire nick,
 * clinicians by id. Drafts written by versions that stored row numbers
 * are read through a migration that knows what those rows meant.
 *
 * @rag is a #SignpostRag, or -1 when no urgency was chosen; @profession
 * and @signpost are -1 when none was chosen.
 */
typedef struct {
  char *triage_id;
  char *call_id;
  char *patient_id;
  char *practice_id;
  SignpostCallerRelationship relationship;
  char *caller_name;
  char *reason;
  GStrv red_flags;
  int rag;
  SignpostRouteKind route;
  char *clinician_id;
  int profession;
  int signpost;
  SignpostContactMethod contact;
  char *number;
  char *notes;
  SignpostTriageOutcome outcome;
  char *pharmacy_first;
  gboolean pharmacy_first_taken;
  gboolean pharmacy_dismissed;
  gboolean route_touched;
  gboolean outcome_touched;
  gboolean number_touched;
} SignpostRequestDraft;

/* The version a draft is written in; 1 is the row-number drafts. */
#define SIGNPOST_REQUEST_DRAFT_VERSION 2

SignpostRequestDraft *signpost_request_draft_new            (const char            *triage_id);
void                  signpost_request_draft_free           (SignpostRequestDraft  *self);

JsonObject           *signpost_request_draft_to_json        (const SignpostRequestDraft *self);
/* Any version; NULL (and @error) for something that is not a draft. */
SignpostRequestDraft *signpost_request_draft_new_from_json  (JsonObject            *object,
                                                             GError               **error);

/* In @cache, under "triage:<triage id>". */
gboolean              signpost_request_draft_save           (const SignpostRequestDraft *self,
                                                             SignpostCache         *cache,
                                                             GError               **error);
/* NULL when there is none (or it cannot be read: said in a warning). */
SignpostRequestDraft *signpost_request_draft_load           (SignpostCache         *cache,
                                                             const char            *triage_id);
gboolean              signpost_request_draft_delete         (SignpostCache         *cache,
                                                             const char            *triage_id,
                                                             GError               **error);
/* The triage ids of every request draft kept here; NULL and @error when
 * they could not be read. */
GStrv                 signpost_request_draft_list           (SignpostCache         *cache,
                                                             GError               **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignpostRequestDraft, signpost_request_draft_free)

G_END_DECLS
