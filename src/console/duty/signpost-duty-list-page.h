/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-duty-request-view.h"
#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_DUTY_LIST_PAGE (signpost_duty_list_page_get_type ())
G_DECLARE_FINAL_TYPE (SignpostDutyListPage, signpost_duty_list_page, SIGNPOST, DUTY_LIST_PAGE, AdwBin)

/*
 * The "Duty list" page. For a clinician: every open request routed to the
 * duty doctor or to them by name, in every practice they work for, the
 * most urgent first and then the longest waiting; one opens beside the
 * list (SignpostDutyRequestView). For a navigator: the requests they made
 * (today's, and any still open) with where each stands, to answer "has
 * the doctor seen it?" when the patient rings again.
 *
 * Actions: duty-list.new-request (Ctrl+N).
 */

SignpostActions         *signpost_duty_list_page_get_actions       (SignpostDutyListPage *self);
void                     signpost_duty_list_page_set_actions       (SignpostDutyListPage *self,
                                                                   SignpostActions      *actions);
/* The rows, in the order shown (SignpostTriage items). */
GListModel              *signpost_duty_list_page_get_model        (SignpostDutyListPage *self);
SignpostDutyRequestView *signpost_duty_list_page_get_request_view (SignpostDutyListPage *self);
/* Opens the request as activating its row does. */
void                     signpost_duty_list_page_open             (SignpostDutyListPage *self,
                                                                   const char           *triage_id);

G_END_DECLS
