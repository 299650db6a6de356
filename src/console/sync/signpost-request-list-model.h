/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-record-list.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_REQUEST_LIST_MODEL (signpost_request_list_model_get_type ())
G_DECLARE_FINAL_TYPE (SignpostRequestListModel, signpost_request_list_model,
                      SIGNPOST, REQUEST_LIST_MODEL, SignpostRecordList)

/*
 * The navigators' Requests list: every open navigation record, whatever
 * channel it came by (the phone, the practice's online form, another
 * online-consultation product), in the order a navigator works them: the
 * most urgent first, then the nearest outcome deadline (respond_by;
 * records without one after those with), then the oldest. Read, sorted
 * and filtered in SQLite (signpost_cache_list_requests); each change from
 * the cache then lands in its place as one items-changed.
 *
 * :practice-id (NULL: every practice the user sees), :source (a
 * SignpostRequestSource, or -1 for every channel), :unmatched-only
 * (only those no patient is linked to yet).
 */

SignpostRequestListModel *signpost_request_list_model_new               (SignpostCache            *cache);
const char *signpost_request_list_model_get_practice_id    (SignpostRequestListModel *self);
void        signpost_request_list_model_set_practice_id    (SignpostRequestListModel *self,
                                                            const char               *practice_id);
int         signpost_request_list_model_get_source         (SignpostRequestListModel *self);
void        signpost_request_list_model_set_source         (SignpostRequestListModel *self,
                                                            int                       source);
gboolean    signpost_request_list_model_get_unmatched_only (SignpostRequestListModel *self);
void        signpost_request_list_model_set_unmatched_only (SignpostRequestListModel *self,
                                                            gboolean                  unmatched_only);

/* The order of the list, for two open requests (<0, 0, >0; ids break ties
 * in the list itself). */
int         signpost_request_list_compare                  (SignpostTriage           *a,
                                                            SignpostTriage           *b);

G_END_DECLS
