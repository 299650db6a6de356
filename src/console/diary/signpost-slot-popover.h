/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-diary-day.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_SLOT_POPOVER (signpost_slot_popover_get_type ())
G_DECLARE_FINAL_TYPE (SignpostSlotPopover, signpost_slot_popover, SIGNPOST, SLOT_POPOVER, GtkPopover)

/* What one slot holds, in full, and what may be done with it now by this
 * user (buttons for the page's diary.* actions): book; mark arrived, seen
 * (clinicians), did not attend; cancel; block or unblock (clinicians and
 * managers). */
SignpostSlotPopover *signpost_slot_popover_new      (void);
void                 signpost_slot_popover_set_slot (SignpostSlotPopover      *self,
                                                     SignpostDiaryDay         *day,
                                                     SignpostSlot             *slot,
                                                     const SignpostSlotBooker *booker,
                                                     SignpostRole              role);

G_END_DECLS
