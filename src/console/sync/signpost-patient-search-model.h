/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-record-list.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_PATIENT_SEARCH_MODEL (signpost_patient_search_model_get_type ())
G_DECLARE_FINAL_TYPE (SignpostPatientSearchModel, signpost_patient_search_model,
                      SIGNPOST, PATIENT_SEARCH_MODEL, SignpostRecordList)

/* Patients matching what was typed (signpost_cache_search_patients()),
 * best first, at most :limit; :more says there were further matches.
 * Patients who left the practice only with :include-left. */
SignpostPatientSearchModel *signpost_patient_search_model_new            (SignpostCache *cache);
const char                 *signpost_patient_search_model_get_query      (SignpostPatientSearchModel *self);
void                        signpost_patient_search_model_set_query      (SignpostPatientSearchModel *self,
                                                                          const char                 *query);
const char                 *signpost_patient_search_model_get_practice_id (SignpostPatientSearchModel *self);
void                        signpost_patient_search_model_set_practice_id (SignpostPatientSearchModel *self,
                                                                           const char                 *practice_id);
guint                       signpost_patient_search_model_get_limit      (SignpostPatientSearchModel *self);
void                        signpost_patient_search_model_set_limit      (SignpostPatientSearchModel *self,
                                                                          guint                       limit);
gboolean                    signpost_patient_search_model_get_more       (SignpostPatientSearchModel *self);
gboolean                    signpost_patient_search_model_get_include_left (SignpostPatientSearchModel *self);
void                        signpost_patient_search_model_set_include_left (SignpostPatientSearchModel *self,
                                                                            gboolean                    include_left);

G_END_DECLS
