/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_CALL_ROW (signpost_call_row_get_type ())
G_DECLARE_FINAL_TYPE (SignpostCallRow, signpost_call_row, SIGNPOST, CALL_ROW, AdwBin)

/**
 * SignpostCallRowMode:
 * @SIGNPOST_CALL_ROW_WAITING: a call in the queue: place, time waiting
 * @SIGNPOST_CALL_ROW_CALLBACK: a callback request: place, "due" at the front
 * @SIGNPOST_CALL_ROW_IN_PROGRESS: a call being answered: who, for how long
 */
typedef enum {
  SIGNPOST_CALL_ROW_WAITING,
  SIGNPOST_CALL_ROW_CALLBACK,
  SIGNPOST_CALL_ROW_IN_PROGRESS,
} SignpostCallRowMode;

/*
 * One call in a list of the queue page. The row keeps its own time label
 * ticking from the shared SignpostTicker (the label's text changes, nothing
 * is rebound or queried) and follows the call's own changes; the page sets
 * what needs the rest of the queue or the cache: the place, the caller's
 * name, the practice and the navigator. ::call-changed tells the page the
 * call changed in place.
 */
SignpostCallRow *signpost_call_row_new            (SignpostCallRowMode  mode);
SignpostCallRowMode signpost_call_row_get_mode   (SignpostCallRow     *self);
SignpostCall    *signpost_call_row_get_call       (SignpostCallRow     *self);
void             signpost_call_row_set_call       (SignpostCallRow     *self,
                                                   SignpostCall        *call);
void             signpost_call_row_set_position   (SignpostCallRow     *self,
                                                   guint                position);
guint            signpost_call_row_get_position   (SignpostCallRow     *self);
void             signpost_call_row_set_caller     (SignpostCallRow     *self,
                                                   const char          *text,
                                                   gboolean             known);
const char      *signpost_call_row_get_caller     (SignpostCallRow     *self);
void             signpost_call_row_set_practice   (SignpostCallRow     *self,
                                                   const char          *name);
void             signpost_call_row_set_navigator  (SignpostCallRow     *self,
                                                   const char          *name);
const char      *signpost_call_row_get_wait_text  (SignpostCallRow     *self);
const char      *signpost_call_row_get_badge_text (SignpostCallRow     *self);

G_END_DECLS
