/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-diary-row.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_DIARY_DAY (signpost_diary_day_get_type ())
G_DECLARE_FINAL_TYPE (SignpostDiaryDay, signpost_diary_day, SIGNPOST, DIARY_DAY, GObject)

/*
 * SignpostDiaryDay: a day of the diary as a grid, for the page's column
 * view. A GListModel of SignpostDiaryRow (one per time a slot starts, in
 * order) built on the cache's SignpostSlotListModel, and the columns: the
 * clinicians with slots that day or on duty, by practice, GPs first.
 * Rows keep their identity; a slot or appointment that changes emits the
 * row's ::changed, slots that come or go insert or remove rows exactly,
 * and ::columns-changed says the clinicians changed.
 */
SignpostDiaryDay  *signpost_diary_day_new              (SignpostCache     *cache);
SignpostCache     *signpost_diary_day_get_cache        (SignpostDiaryDay  *self);
const char        *signpost_diary_day_get_date         (SignpostDiaryDay  *self);
void               signpost_diary_day_set_date         (SignpostDiaryDay  *self,
                                                        const char        *date);
const char        *signpost_diary_day_get_practice_id  (SignpostDiaryDay  *self);
void               signpost_diary_day_set_practice_id  (SignpostDiaryDay  *self,
                                                        const char        *practice_id);
GTimeZone         *signpost_diary_day_get_time_zone    (SignpostDiaryDay  *self);
GDateTime         *signpost_diary_day_get_from         (SignpostDiaryDay  *self);
GDateTime         *signpost_diary_day_get_to           (SignpostDiaryDay  *self);
/* TRUE on a day of 23 or 25 hours. */
gboolean           signpost_diary_day_get_clocks_change (SignpostDiaryDay *self);
GListModel        *signpost_diary_day_get_slots        (SignpostDiaryDay  *self);

guint              signpost_diary_day_get_n_columns    (SignpostDiaryDay  *self);
SignpostClinician *signpost_diary_day_get_column       (SignpostDiaryDay  *self,
                                                        guint              index);
gboolean           signpost_diary_day_is_on_duty       (SignpostDiaryDay  *self,
                                                        SignpostClinician *clinician);
SignpostClinician *signpost_diary_day_lookup_clinician (SignpostDiaryDay  *self,
                                                        const char        *clinician_id);
SignpostSlot      *signpost_diary_day_lookup_slot      (SignpostDiaryDay  *self,
                                                        const char        *slot_id);
guint              signpost_diary_day_find_row         (SignpostDiaryDay  *self,
                                                        GDateTime         *start);
/* The slot's live appointment and a patient, remembered until they change. */
SignpostAppointment *signpost_diary_day_get_appointment (SignpostDiaryDay *self,
                                                         SignpostSlot     *slot);
SignpostPatient   *signpost_diary_day_get_patient      (SignpostDiaryDay  *self,
                                                        const char        *patient_id);
/* "SMITH, Ann": the grid needs no more, and it is read for a whole day at once. */
const char        *signpost_diary_day_get_patient_name (SignpostDiaryDay  *self,
                                                        const char        *patient_id);

G_END_DECLS
