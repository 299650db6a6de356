/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-record-list.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_SLOT_LIST_MODEL (signpost_slot_list_model_get_type ())
G_DECLARE_FINAL_TYPE (SignpostSlotListModel, signpost_slot_list_model,
                      SIGNPOST, SLOT_LIST_MODEL, SignpostRecordList)

/* The diary for one day: slots starting that day in :time-zone (the
 * practice's; Europe/London by default, so the clock changes are right),
 * by start then clinician. A row also changes when its slot's appointment
 * does: read it with signpost_cache_get_live_appointment(). */
SignpostSlotListModel *signpost_slot_list_model_new              (SignpostCache         *cache,
                                                                  const char            *practice_id,
                                                                  const char            *date);
const char            *signpost_slot_list_model_get_date         (SignpostSlotListModel *self);
void                   signpost_slot_list_model_set_date         (SignpostSlotListModel *self,
                                                                  const char            *date);
const char            *signpost_slot_list_model_get_practice_id  (SignpostSlotListModel *self);
void                   signpost_slot_list_model_set_practice_id  (SignpostSlotListModel *self,
                                                                  const char            *practice_id);
const char            *signpost_slot_list_model_get_clinician_id (SignpostSlotListModel *self);
void                   signpost_slot_list_model_set_clinician_id (SignpostSlotListModel *self,
                                                                  const char            *clinician_id);
const char            *signpost_slot_list_model_get_time_zone    (SignpostSlotListModel *self);
void                   signpost_slot_list_model_set_time_zone    (SignpostSlotListModel *self,
                                                                  const char            *time_zone);

G_END_DECLS
