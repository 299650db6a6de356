/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_REQUEST_ROW (signpost_request_row_get_type ())
G_DECLARE_FINAL_TYPE (SignpostRequestRow, signpost_request_row, SIGNPOST, REQUEST_ROW, GtkBox)

/* One request in the Requests list: urgency, who it is for (or who it says
 * it is for, not matched yet), the time left to its reply-by time, the
 * request in one line, where it came from and its red-flag answers. The
 * row is named for screen readers with all of it. */
SignpostRequestRow *signpost_request_row_new         (void);
void                signpost_request_row_bind        (SignpostRequestRow *self,
                                                      SignpostTriage     *triage,
                                                      SignpostCache      *cache,
                                                      gboolean            show_practice);
void                signpost_request_row_unbind      (SignpostRequestRow *self);
SignpostTriage     *signpost_request_row_get_triage  (SignpostRequestRow *self);
/* The time left moves on; only its words and colour change. */
void                signpost_request_row_tick        (SignpostRequestRow *self,
                                                      GDateTime          *now);
const char         *signpost_request_row_get_time_left (SignpostRequestRow *self);
const char         *signpost_request_row_get_deadline_class (SignpostRequestRow *self);
/* The row's accessible name: what a screen reader says for it. */
const char         *signpost_request_row_get_spoken  (SignpostRequestRow *self);

G_END_DECLS
