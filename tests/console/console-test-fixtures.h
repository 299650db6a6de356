/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-sync.h"

G_BEGIN_DECLS

/* Synthetic records for tests and benchmarks: NHS numbers in the 999 test
 * range with valid check digits, phone numbers from Ofcom's drama ranges
 * only, made-up postcodes in the right shape. Deterministic by index. */

#define TEST_PRACTICE_A "6e71a7cd-07fc-4aeb-8bef-a9aa5f8bc001"
#define TEST_PRACTICE_B "6e71a7cd-07fc-4aeb-8bef-a9aa5f8bc002"

char       *test_uuid_for            (const char *kind,
                                      guint       index);
char       *test_nhs_number_for      (guint       index);
char       *test_mobile_for          (guint       index);
char       *test_landline_for        (guint       household);
JsonObject *test_patient_json        (guint       index,
                                      const char *practice_id,
                                      gint64      seq);
JsonObject *test_practice_json       (const char *id,
                                      const char *name,
                                      gint64      seq);
JsonObject *test_call_json           (guint       index,
                                      const char *practice_id,
                                      const char *state,
                                      const char *offered_at,
                                      gint64      seq);
JsonObject *test_slot_json           (guint       index,
                                      const char *practice_id,
                                      const char *start,
                                      gint64      seq);
/* A /changes page holding @records (JsonObject of records of @kinds). */
GBytes     *test_changes_page        (GPtrArray  *records,
                                      GPtrArray  *kinds,
                                      gint64      last_seq,
                                      gboolean    more);
/* Applies one record as a single-change page. */
void        test_apply_record        (SignpostCache *cache,
                                      const char    *kind,
                                      JsonObject    *record);
/* Fills @cache with @n patients (practice A) and the practices. */
void        test_fill_patients       (SignpostCache *cache,
                                      guint          n);
/* Adds @n patients (4 in 5 of practice A, and the two practices) in
 * pages of 1,000, each with one number from Ofcom's drama ranges (17
 * blocks of 1,000: a number is shared by about n / 17,000 patients, like
 * a household line), leaving out the blocks that start with one of
 * @avoid (E.164 prefixes, or NULL). The cache's change-feed position is
 * kept, so this can follow a real first sync. */
void        test_fill_drama_patients (SignpostCache       *cache,
                                      guint                n,
                                      const char * const  *avoid);
char       *test_drama_number        (guint                n,
                                      const char * const  *avoid);

G_END_DECLS
