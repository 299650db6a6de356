/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_DIARY_PAGE (signpost_diary_page_get_type ())
G_DECLARE_FINAL_TYPE (SignpostDiaryPage, signpost_diary_page, SIGNPOST, DIARY_PAGE, AdwBin)

/* A page of the main window, bound to the sync engine of the signed-in
 * user (:engine). This shell shows what the page is for until the page
 * itself is built on the engine's models. */
SignpostSyncEngine *signpost_diary_page_get_engine (SignpostDiaryPage *self);
void                signpost_diary_page_set_engine (SignpostDiaryPage  *self,
                                                    SignpostSyncEngine *engine);
/* Opens the first-suitable-slot search filled in from a triage record
 * (win.find-slot): urgency, route, the usual GP and the contact method. */
void                signpost_diary_page_find_slot_for_triage (SignpostDiaryPage *self,
                                                              const char        *triage_id);

G_END_DECLS
