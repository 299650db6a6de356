/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_DIARY_ROW (signpost_diary_row_get_type ())
G_DECLARE_FINAL_TYPE (SignpostDiaryRow, signpost_diary_row, SIGNPOST, DIARY_ROW, GObject)

/* One time of the day in the diary grid: the slots that start then, one
 * per clinician. ::changed says a slot (or its appointment) in the row
 * changed, so the cells showing it update. */
SignpostDiaryRow *signpost_diary_row_new        (GDateTime        *start,
                                                 const char       *label);
GDateTime        *signpost_diary_row_get_start  (SignpostDiaryRow *self);
gint64            signpost_diary_row_get_start_ms (SignpostDiaryRow *self);
/* "09:10", or "01:30 BST" on a day the clocks change. */
const char       *signpost_diary_row_get_label  (SignpostDiaryRow *self);
SignpostSlot     *signpost_diary_row_get_slot   (SignpostDiaryRow *self,
                                                 const char       *clinician_id);
guint             signpost_diary_row_get_n_slots (SignpostDiaryRow *self);
/* For SignpostDiaryDay: replaces the row's slots (clinician id → slot);
 * TRUE when anything differs. */
gboolean          signpost_diary_row_set_slots  (SignpostDiaryRow *self,
                                                 GHashTable       *slots);
void              signpost_diary_row_changed    (SignpostDiaryRow *self);

G_END_DECLS
