/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_PROBLEMS_WINDOW (signpost_problems_window_get_type ())
G_DECLARE_FINAL_TYPE (SignpostProblemsWindow, signpost_problems_window, SIGNPOST, PROBLEMS_WINDOW, AdwWindow)

/* The outbox's conflicts and refusals, each with "Send Again" and "Let It
 * Go". The pages that made a change may offer a better resolution (re-pick
 * a slot, merge a triage record); this is the one place all of them meet. */
SignpostProblemsWindow *signpost_problems_window_new (GtkWindow       *parent,
                                                      SignpostActions *actions);

G_END_DECLS
