/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-record-list.h"
#include "signpost-sync-enums.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_CALL_LIST_MODEL (signpost_call_list_model_get_type ())
G_DECLARE_FINAL_TYPE (SignpostCallListModel, signpost_call_list_model,
                      SIGNPOST, CALL_LIST_MODEL, SignpostRecordList)

/* Calls in queue order (offered_at, then call_ref: PROTOCOL.md, Queue),
 * updated row by row as the change feed moves them. */
SignpostCallListModel *signpost_call_list_model_new             (SignpostCache         *cache,
                                                                 SignpostCallListView   view);
SignpostCallListView   signpost_call_list_model_get_view        (SignpostCallListModel *self);
const char            *signpost_call_list_model_get_practice_id (SignpostCallListModel *self);
void                   signpost_call_list_model_set_practice_id (SignpostCallListModel *self,
                                                                 const char            *practice_id);
const char            *signpost_call_list_model_get_answered_by (SignpostCallListModel *self);
void                   signpost_call_list_model_set_answered_by (SignpostCallListModel *self,
                                                                 const char            *user_id);

G_END_DECLS
