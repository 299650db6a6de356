/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-record.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_PRACTICE (signpost_practice_get_type ())
G_DECLARE_FINAL_TYPE (SignpostPractice, signpost_practice, SIGNPOST, PRACTICE, SignpostRecord)

/* A GP practice: its ODS code, name, phone lines and time zone, and
 * when its online request form is open. */
SignpostPractice *signpost_practice_new (void);

const char *signpost_practice_get_ods_code (SignpostPractice *self);
void signpost_practice_set_ods_code (SignpostPractice *self, const char *value);
const char *signpost_practice_get_name (SignpostPractice *self);
void signpost_practice_set_name (SignpostPractice *self, const char *value);
const char * const *signpost_practice_get_lines (SignpostPractice *self);
void signpost_practice_set_lines (SignpostPractice *self, const char * const *value);
const char *signpost_practice_get_time_zone (SignpostPractice *self);
void signpost_practice_set_time_zone (SignpostPractice *self, const char *value);
GListModel *signpost_practice_get_online_hours (SignpostPractice *self);
void signpost_practice_set_online_hours (SignpostPractice *self, GListModel *value);
gboolean signpost_practice_get_online_open_bank_holidays (SignpostPractice *self);
void signpost_practice_set_online_open_bank_holidays (SignpostPractice *self, gboolean value);
const char * const *signpost_practice_get_online_closed_dates (SignpostPractice *self);
void signpost_practice_set_online_closed_dates (SignpostPractice *self, const char * const *value);
gint64 signpost_practice_get_online_medical_daily_limit (SignpostPractice *self);
void signpost_practice_set_online_medical_daily_limit (SignpostPractice *self, gint64 value);
gboolean signpost_practice_get_online_paused (SignpostPractice *self);
void signpost_practice_set_online_paused (SignpostPractice *self, gboolean value);
const char *signpost_practice_get_online_pause_message (SignpostPractice *self);
void signpost_practice_set_online_pause_message (SignpostPractice *self, const char *value);

G_END_DECLS
