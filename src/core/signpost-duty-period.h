/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-object.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_DUTY_PERIOD (signpost_duty_period_get_type ())
G_DECLARE_FINAL_TYPE (SignpostDutyPeriod, signpost_duty_period, SIGNPOST, DUTY_PERIOD, SignpostObject)

/* A stretch of time when a clinician is the duty doctor. */
SignpostDutyPeriod *signpost_duty_period_new (void);

GDateTime *signpost_duty_period_get_start (SignpostDutyPeriod *self);
void signpost_duty_period_set_start (SignpostDutyPeriod *self, GDateTime *value);
GDateTime *signpost_duty_period_get_end (SignpostDutyPeriod *self);
void signpost_duty_period_set_end (SignpostDutyPeriod *self, GDateTime *value);

G_END_DECLS
