/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-cache.h"

G_BEGIN_DECLS

/**
 * SignpostSlotQuery:
 * @practice_ids: the practices to look in (%NULL-terminated), or %NULL for
 *   every practice in the cache
 * @clinician_id: one clinician only, or %NULL
 * @profession: a #SignpostProfession, or -1 for any
 * @mode: a #SignpostSlotMode, or -1 for any
 * @from: the first start to consider
 * @to: the end of the range (exclusive)
 * @preferred_clinician_id: whose slots come first (the usual GP, for
 *   continuity), or %NULL
 * @limit: at most this many slots
 * @ignore_release: count embargoed slots as released (to say when the
 *   first of them opens)
 *
 * "First suitable slot": free slots the booker can book now (the booking
 * rule, signpost-booking.h), preferred
 * clinician first, then everyone else, each by start time.
 */
typedef struct {
  const char * const *practice_ids;
  const char *clinician_id;
  int profession;
  int mode;
  GDateTime *from;
  GDateTime *to;
  const char *preferred_clinician_id;
  guint limit;
  gboolean ignore_release;
} SignpostSlotQuery;

#define SIGNPOST_SLOT_QUERY_INIT { NULL, NULL, -1, -1, NULL, NULL, NULL, 50, FALSE }

/* The search runs in the cache (SQLite), never over widgets. */
GPtrArray              *signpost_cache_find_free_slots      (SignpostCache            *self,
                                                             const SignpostSlotQuery  *query,
                                                             const SignpostSlotBooker *booker);
/* Alternatives to @slot (taken by someone else): free slots the booker can
 * book with the same clinician or another of the same profession, in the
 * same practice and mode, nearest in time first (before or after). */
GPtrArray              *signpost_cache_find_nearest_slots   (SignpostCache            *self,
                                                             SignpostSlot             *slot,
                                                             const SignpostSlotBooker *booker,
                                                             guint                     limit);
/* The first live appointment of @patient_id starting in [from, to), other
 * than one in @except_slot_id; NULL when there is none. */
SignpostAppointment    *signpost_cache_find_patient_booking (SignpostCache            *self,
                                                             const char               *patient_id,
                                                             GDateTime                *from,
                                                             GDateTime                *to,
                                                             const char               *except_slot_id);

/* Many at once, for a day of the diary: the live appointments of @slot_ids
 * (a SignpostAppointment per slot that has one) and the records of @kind
 * with @ids (those the cache has). One query each. */
GPtrArray              *signpost_cache_list_live_appointments_for_slots (SignpostCache      *self,
                                                                         GPtrArray          *slot_ids);
GPtrArray              *signpost_cache_get_records          (SignpostCache            *self,
                                                             SignpostRecordKind        kind,
                                                             GPtrArray                *ids);
/* Just the names of the patients with @ids, without reading their whole
 * records: id → a NULL-terminated { given_name, family_name }. */
GHashTable             *signpost_cache_get_patient_names    (SignpostCache            *self,
                                                             GPtrArray                *ids);

G_END_DECLS
