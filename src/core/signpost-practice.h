/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-record.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_PRACTICE (signpost_practice_get_type ())
G_DECLARE_FINAL_TYPE (SignpostPractice, signpost_practice, SIGNPOST, PRACTICE, SignpostRecord)

/* A GP practice: its ODS code, name, phone lines and time zone. */
SignpostPractice *signpost_practice_new (void);

const char *signpost_practice_get_ods_code (SignpostPractice *self);
void signpost_practice_set_ods_code (SignpostPractice *self, const char *value);
const char *signpost_practice_get_name (SignpostPractice *self);
void signpost_practice_set_name (SignpostPractice *self, const char *value);
const char * const *signpost_practice_get_lines (SignpostPractice *self);
void signpost_practice_set_lines (SignpostPractice *self, const char * const *value);
const char *signpost_practice_get_time_zone (SignpostPractice *self);
void signpost_practice_set_time_zone (SignpostPractice *self, const char *value);

G_END_DECLS
