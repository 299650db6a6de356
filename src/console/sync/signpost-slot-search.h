/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-cache.h"

G_BEGIN_DECLS

/**
 * SignpostSlotBooker:
 * @hub: a hub navigator: practice-only slots are not theirs to book
 * @practice_ids: the practices the user works for (%NULL-terminated)
 * @now: the time to judge by (release times, slots already started)
 *
 * Who is booking, for the booking rules the server applies (PROTOCOL.md,
 * Booking rules): a slot is bookable when it is free, starts after @now,
 * is released (no `release_at`, or one at or before @now), and is
 * `hub_bookable` unless the user is a practice (not hub) user of the
 * slot's practice.
 */
typedef struct {
  gboolean hub;
  const char * const *practice_ids;
  GDateTime *now;
} SignpostSlotBooker;

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
 * "First suitable slot": free slots the booker can book now, preferred
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

/* Why a slot cannot be booked by this user now (or OK). */
typedef enum {
  SIGNPOST_SLOT_BOOKABLE,
  SIGNPOST_SLOT_NOT_FREE,
  SIGNPOST_SLOT_STARTED,
  SIGNPOST_SLOT_EMBARGOED,
  SIGNPOST_SLOT_PRACTICE_ONLY,
} SignpostSlotBookability;

SignpostSlotBookability signpost_slot_check_bookable        (SignpostSlot             *slot,
                                                             const SignpostSlotBooker *booker);

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
