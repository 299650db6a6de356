/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_MATCH_DIALOG (signpost_match_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SignpostMatchDialog, signpost_match_dialog, SIGNPOST, MATCH_DIALOG, AdwWindow)

/*
 * Which registered patient a request is for: what the request says about
 * the patient above the patient search, which starts searched for their
 * family name and date of birth. Enter links the highlighted patient (one
 * step: the request's patient_id, through the outbox); Escape closes
 * without linking. ::matched (patient id) once it is linked.
 */
SignpostMatchDialog *signpost_match_dialog_new        (GtkWindow       *parent,
                                                      SignpostActions *actions,
                                                      const char      *triage_id);
/* For tests: the search inside. */
GtkWidget           *signpost_match_dialog_get_search (SignpostMatchDialog *self);

G_END_DECLS
