/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_SLOT_FINDER (signpost_slot_finder_get_type ())
G_DECLARE_FINAL_TYPE (SignpostSlotFinder, signpost_slot_finder, SIGNPOST, SLOT_FINDER, AdwBin)

/* "First suitable slot": filters (clinician or profession, type, within N
 * days) and the free slots the signed-in user can book now, found by the
 * cache (signpost_cache_find_free_slots()), preferred clinician first.
 * Enter or a click on a result emits ::slot-activated. */
void        signpost_slot_finder_set_actions      (SignpostSlotFinder       *self,
                                                  SignpostActions          *actions);
/* The practices to look in (NULL: all the user's) and who is booking; the
 * page owns @booker and keeps it alive. */
void        signpost_slot_finder_set_scope       (SignpostSlotFinder       *self,
                                                  const char * const       *practice_ids,
                                                  const SignpostSlotBooker *booker);
/* Fills the filters in (-1 / NULL for any) and searches. @context says who
 * the search is for, or NULL. */
void        signpost_slot_finder_set_filters     (SignpostSlotFinder       *self,
                                                  const char               *clinician_id,
                                                  int                       profession,
                                                  int                       mode,
                                                  int                       days,
                                                  const char               *preferred_clinician_id,
                                                  const char               *context);
/* The patient's usual clinician (tagged "Usual clinician") and why the
 * preferred clinician of signpost_slot_finder_set_filters() comes first
 * ("Duty doctor"), or NULL; set before the filters. */
void        signpost_slot_finder_set_clinician_tags (SignpostSlotFinder    *self,
                                                  const char               *usual_clinician_id,
                                                  const char               *preferred_tag);
const char *signpost_slot_finder_get_tag         (SignpostSlotFinder       *self,
                                                  guint                     position);
/* The type of slot searched for (a SignpostSlotMode), or -1 for any. */
int         signpost_slot_finder_get_mode        (SignpostSlotFinder       *self);
const char *signpost_slot_finder_get_status      (SignpostSlotFinder       *self);
void        signpost_slot_finder_search          (SignpostSlotFinder       *self);
GListModel *signpost_slot_finder_get_results     (SignpostSlotFinder       *self);
void        signpost_slot_finder_focus           (SignpostSlotFinder       *self);
void        signpost_slot_finder_activate_result (SignpostSlotFinder       *self,
                                                  guint                     position);

G_END_DECLS
