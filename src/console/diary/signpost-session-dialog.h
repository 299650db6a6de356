/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_SESSION_DIALOG (signpost_session_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SignpostSessionDialog, signpost_session_dialog, SIGNPOST, SESSION_DIALOG, AdwWindow)

/* Embargo rules a session can have. */
typedef enum {
  SIGNPOST_SESSION_RELEASE_NOW,          /* bookable at once */
  SIGNPOST_SESSION_RELEASE_ON_THE_DAY,   /* from 08:00 on the day */
  SIGNPOST_SESSION_RELEASE_DAYS_BEFORE,  /* from 08:00, N days before */
} SignpostSessionRelease;

/* A session of slots for one clinician from a simple template (date,
 * start, end, slot length, type, embargo rule, hub-bookable), created
 * through the outbox: for practice managers and clinicians.
 * ::created (const char *message) when the slots are saved. */
SignpostSessionDialog *signpost_session_dialog_new          (GtkWindow              *parent,
                                                             SignpostActions        *actions,
                                                             const char             *practice_id,
                                                             const char             *date);
void                   signpost_session_dialog_set_template (SignpostSessionDialog  *self,
                                                             const char             *clinician_id,
                                                             const char             *date,
                                                             const char             *start,
                                                             const char             *end,
                                                             int                     slot_minutes,
                                                             SignpostSlotMode        mode,
                                                             SignpostSessionRelease  release,
                                                             int                     days_before,
                                                             gboolean                hub_bookable);
/* What "Create" does: the number of slots saved, or 0 with @error. */
guint                  signpost_session_dialog_create       (SignpostSessionDialog  *self,
                                                             GError                **error);
/* "Makes 18 slots of 10 minutes, 08:30 to 11:30", or why not. */
const char            *signpost_session_dialog_get_summary  (SignpostSessionDialog  *self);

G_END_DECLS
