/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_CALLER_POPUP (signpost_caller_popup_get_type ())
G_DECLARE_FINAL_TYPE (SignpostCallerPopup, signpost_caller_popup, SIGNPOST, CALLER_POPUP, AdwBin)

/**
 * SignpostCallerPopupMode:
 * @SIGNPOST_CALLER_POPUP_HIDDEN: nothing shown
 * @SIGNPOST_CALLER_POPUP_OFFERED: the call ringing at this console: this
 *   navigator is free and it is at the front of the queue
 * @SIGNPOST_CALLER_POPUP_ANSWERED: the call this navigator is on
 */
typedef enum {
  SIGNPOST_CALLER_POPUP_HIDDEN,
  SIGNPOST_CALLER_POPUP_OFFERED,
  SIGNPOST_CALLER_POPUP_ANSWERED,
} SignpostCallerPopupMode;

/*
 * Who is calling, from the local cache, before the navigator says hello: a
 * panel over the bottom right of the main window. It never takes the
 * keyboard by itself (it is part of the window, not a window of its own,
 * so what the navigator is typing keeps the focus on every platform); the
 * keyboard moves into it only when this navigator answers a call from this
 * console (F2, Enter on a row, Answer) or presses F4.
 *
 * A call is "offered at this console" when this console's navigator is
 * free (on no call) and the call is at the front of the queue of the
 * practices in view: every free navigator sees the next caller, as a
 * ring-all hunt group rings every free phone, and F2 takes it; the server
 * decides who gets it. A call is "answered at this console" when this
 * navigator is on it (SignpostCallDesk:current-call).
 *
 * One patient on the number → their summary; several (a household line)
 * → a list to pick from with dates of birth and ages; none → a search
 * filled in with the number, or registering a temporary patient; withheld
 * → a search. Enter confirms the highlighted patient (the call is linked
 * to them through the outbox and their triage form opens), Escape
 * closes, Up and Down pick in a list. Works offline from the cache.
 *
 * ::content-painted (call id, monotonic µs) is emitted at the end of the
 * first frame that shows a new caller: the latency benchmark's far end.
 */
void                     signpost_caller_popup_set_actions       (SignpostCallerPopup *self,
                                                                 SignpostActions     *actions);
SignpostCallerPopupMode  signpost_caller_popup_get_mode         (SignpostCallerPopup *self);
const char              *signpost_caller_popup_get_call_id      (SignpostCallerPopup *self);
/* "one", "several", "search" (unknown or withheld) or "register" */
const char              *signpost_caller_popup_get_kind         (SignpostCallerPopup *self);
const char              *signpost_caller_popup_get_heading      (SignpostCallerPopup *self);
GListModel              *signpost_caller_popup_get_patients     (SignpostCallerPopup *self);
SignpostPatient         *signpost_caller_popup_get_selected     (SignpostCallerPopup *self);
void                     signpost_caller_popup_select           (SignpostCallerPopup *self,
                                                                 guint                index);
const char              *signpost_caller_popup_get_search_text  (SignpostCallerPopup *self);
/* The warning shown when another patient has the caller's name and date
 * of birth ("one"), or NULL; the subtitle of row @index of the list shown
 * ("several", "search"), or NULL. */
const char              *signpost_caller_popup_get_namesake_warning (SignpostCallerPopup *self);
const char              *signpost_caller_popup_get_row_subtitle (SignpostCallerPopup *self,
                                                                 guint                index);
/* What the registration form says is wrong, or NULL when nothing is. */
const char              *signpost_caller_popup_get_register_error (SignpostCallerPopup *self);
void                     signpost_caller_popup_set_include_left (SignpostCallerPopup *self,
                                                                 gboolean             include_left);
void                     signpost_caller_popup_confirm          (SignpostCallerPopup *self);
void                     signpost_caller_popup_dismiss          (SignpostCallerPopup *self);

G_END_DECLS
