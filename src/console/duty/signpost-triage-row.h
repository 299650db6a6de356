/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_TRIAGE_ROW (signpost_triage_row_get_type ())
G_DECLARE_FINAL_TYPE (SignpostTriageRow, signpost_triage_row, SIGNPOST, TRIAGE_ROW, GtkBox)

/* One request in the duty list (or a navigator's own list): the urgency
 * as an icon, a word and a colour, the patient, the reason's first lines,
 * how long it has waited and where it stands. The row follows its
 * record's notifications; tick() moves the waiting time on without
 * rebuilding anything. */
SignpostTriageRow *signpost_triage_row_new         (void);
void               signpost_triage_row_bind        (SignpostTriageRow *self,
                                                    SignpostTriage    *triage,
                                                    SignpostCache     *cache,
                                                    const char        *my_user_id,
                                                    gboolean           for_clinician);
void               signpost_triage_row_unbind      (SignpostTriageRow *self);
SignpostTriage    *signpost_triage_row_get_triage  (SignpostTriageRow *self);
void               signpost_triage_row_tick        (SignpostTriageRow *self,
                                                    GDateTime         *now);
void               signpost_triage_row_set_open    (SignpostTriageRow *self,
                                                    gboolean           open);

G_END_DECLS
