/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-record-list.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_TRIAGE_LIST_MODEL (signpost_triage_list_model_get_type ())
G_DECLARE_FINAL_TYPE (SignpostTriageListModel, signpost_triage_list_model,
                      SIGNPOST, TRIAGE_LIST_MODEL, SignpostRecordList)

/* Navigation records in the given statuses (-1-terminated), most urgent
 * first, then by last change; :for-clinician-id keeps those routed to the
 * duty doctor or to that clinician by name (the duty list). */
SignpostTriageListModel *signpost_triage_list_model_new  (SignpostCache              *cache,
                                                          const SignpostTriageStatus *statuses);
const char *signpost_triage_list_model_get_practice_id     (SignpostTriageListModel *self);
void        signpost_triage_list_model_set_practice_id     (SignpostTriageListModel *self,
                                                            const char              *practice_id);
const char *signpost_triage_list_model_get_for_clinician_id (SignpostTriageListModel *self);
void        signpost_triage_list_model_set_for_clinician_id (SignpostTriageListModel *self,
                                                             const char              *clinician_id);

G_END_DECLS
