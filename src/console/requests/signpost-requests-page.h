/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_REQUESTS_PAGE (signpost_requests_page_get_type ())
G_DECLARE_FINAL_TYPE (SignpostRequestsPage, signpost_requests_page, SIGNPOST, REQUESTS_PAGE, AdwBin)

/*
 * The "Requests" page: every open request from any channel — the
 * practice's online form, other online-consultation products, and phone
 * requests still open — most urgent first, then the nearest reply-by
 * time, with the time left in words, an icon and a colour. Enter opens
 * one in the navigation form (the view is audited); Ctrl+M matches it to
 * a registered patient with the patient search. The open requests are
 * read and sorted in SQLite (SignpostRequestListModel); the channel and
 * "not matched yet" narrow those in memory.
 *
 * :n-attention is how many need attention now (red flags, due within
 * the hour or overdue), for the window's page switcher.
 *
 * Actions (requests.*): open, match (Ctrl+M), unmatched-only (Alt+N).
 */

void                signpost_requests_page_set_actions     (SignpostRequestsPage *self,
                                                            SignpostActions      *actions);
/* The rows, in the order shown (SignpostTriage items). */
GListModel         *signpost_requests_page_get_model       (SignpostRequestsPage *self);
guint               signpost_requests_page_get_n_attention (SignpostRequestsPage *self);
const char         *signpost_requests_page_get_summary     (SignpostRequestsPage *self);
/* Channel filter: a SignpostRequestSource, or -1 for every channel. */
void                signpost_requests_page_set_source      (SignpostRequestsPage *self,
                                                            int                   source);
/* Opens the request as Enter on its row does. */
void                signpost_requests_page_open            (SignpostRequestsPage *self,
                                                            const char           *triage_id);
/* The request the keyboard is on (or the selected one), or NULL. */
SignpostTriage     *signpost_requests_page_get_current     (SignpostRequestsPage *self);

G_END_DECLS
