/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-record.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_SLOT (signpost_slot_get_type ())
G_DECLARE_FINAL_TYPE (SignpostSlot, signpost_slot, SIGNPOST, SLOT, SignpostRecord)

/* A bookable time in a clinician's session, with its mode and release rule. */
SignpostSlot *signpost_slot_new (void);

const char *signpost_slot_get_clinician_id (SignpostSlot *self);
void signpost_slot_set_clinician_id (SignpostSlot *self, const char *value);
GDateTime *signpost_slot_get_start (SignpostSlot *self);
void signpost_slot_set_start (SignpostSlot *self, GDateTime *value);
gint64 signpost_slot_get_duration_minutes (SignpostSlot *self);
void signpost_slot_set_duration_minutes (SignpostSlot *self, gint64 value);
SignpostSlotMode signpost_slot_get_mode (SignpostSlot *self);
void signpost_slot_set_mode (SignpostSlot *self, SignpostSlotMode value);
GDateTime *signpost_slot_get_release_at (SignpostSlot *self);
void signpost_slot_set_release_at (SignpostSlot *self, GDateTime *value);
gboolean signpost_slot_get_hub_bookable (SignpostSlot *self);
void signpost_slot_set_hub_bookable (SignpostSlot *self, gboolean value);
SignpostSlotStatus signpost_slot_get_status (SignpostSlot *self);
void signpost_slot_set_status (SignpostSlot *self, SignpostSlotStatus value);

G_END_DECLS
