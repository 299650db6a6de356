/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-traffic-model.h"

G_BEGIN_DECLS

/* What sets a practice apart in the replayed history; chosen by the seed
 * so that there is variation to find. */
typedef enum {
  SIGNPOST_HISTORY_ANSWERS_SLOWLY = 1 << 0,
  SIGNPOST_HISTORY_MANY_DNAS = 1 << 1,
  SIGNPOST_HISTORY_FEW_APPOINTMENTS = 1 << 2,
} SignpostHistoryTraits;

/**
 * SignpostHistoryProfile:
 * @navigators: simulated navigators answering the practice's phones
 * @appointments_per_1000: slots offered a week per 1,000 patients
 * @fill: the share of routine slots booked in advance
 * @dna_rate: the share of appointments the patient does not attend
 * @hub_share: the share of navigation and booking done by the hub
 * @navigation_share: the share of answered calls that get a navigation
 *   record
 * @signpost_share: the share of navigation records signposted outside
 *   the practice
 * @traits: the planted differences, if any
 */
typedef struct {
  guint navigators;
  double appointments_per_1000;
  double fill;
  double dna_rate;
  double hub_share;
  double navigation_share;
  double signpost_share;
  SignpostHistoryTraits traits;
} SignpostHistoryProfile;

/**
 * SignpostHistoryBatch:
 * @username: who sends it (the demo's users: "manager-y99901", "hubnav", …)
 * @at_us: the replayed time it is applied at (X-Signpost-Replay-At)
 * @mutations: at most 500 mutations, as /mutations takes them
 */
typedef struct {
  char *username;
  gint64 at_us;
  JsonArray *mutations;
} SignpostHistoryBatch;

void signpost_history_batch_free (SignpostHistoryBatch *batch);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignpostHistoryBatch, signpost_history_batch_free)

#define SIGNPOST_HISTORY_HUB_NAVIGATOR "hubnav"

#define SIGNPOST_TYPE_HISTORY_MODEL (signpost_history_model_get_type ())
G_DECLARE_FINAL_TYPE (SignpostHistoryModel, signpost_history_model, SIGNPOST, HISTORY_MODEL, GObject)

SignpostHistoryModel         *signpost_history_model_new            (guint64                seed,
                                                                     double                 handle_s);
void                          signpost_history_model_add_practice   (SignpostHistoryModel  *self,
                                                                     SignpostPractice      *practice);
void                          signpost_history_model_add_clinician  (SignpostHistoryModel  *self,
                                                                     SignpostClinician     *clinician);
void                          signpost_history_model_add_patient    (SignpostHistoryModel  *self,
                                                                     const char            *practice_id,
                                                                     const char            *patient_id);
void                          signpost_history_model_choose         (SignpostHistoryModel  *self);
guint                         signpost_history_model_get_n_practices (SignpostHistoryModel *self);
SignpostPractice             *signpost_history_model_get_practice   (SignpostHistoryModel  *self,
                                                                     guint                  index);
const SignpostHistoryProfile *signpost_history_model_get_profile    (SignpostHistoryModel  *self,
                                                                     guint                  index);
char                         *signpost_history_model_describe       (SignpostHistoryModel  *self,
                                                                     guint                  index);
char                        **signpost_history_model_get_usernames  (SignpostHistoryModel  *self);
GPtrArray                    *signpost_history_model_plan_sessions  (SignpostHistoryModel  *self,
                                                                     const GDate           *from,
                                                                     const GDate           *to);
GPtrArray                    *signpost_history_model_plan_bookings  (SignpostHistoryModel  *self,
                                                                     const GDate           *date);
GPtrArray                    *signpost_history_model_plan_navigation (SignpostHistoryModel *self,
                                                                     guint                  index,
                                                                     const GDate           *date,
                                                                     SignpostTrafficPlan   *plan,
                                                                     guint                  first_call,
                                                                     guint                  n_calls,
                                                                     const char * const    *call_ids);
GPtrArray                    *signpost_history_model_plan_outcomes  (SignpostHistoryModel  *self,
                                                                     const GDate           *date);

G_END_DECLS
