/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-object.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_OPENING_HOURS (signpost_opening_hours_get_type ())
G_DECLARE_FINAL_TYPE (SignpostOpeningHours, signpost_opening_hours, SIGNPOST, OPENING_HOURS, SignpostObject)

/* One opening of the online request form on one day of the week, in the
 * practice's local time: "opens" up to (not including) "closes". A day
 * may have several; a day with none is closed. */
SignpostOpeningHours *signpost_opening_hours_new (void);

SignpostWeekday signpost_opening_hours_get_day (SignpostOpeningHours *self);
void signpost_opening_hours_set_day (SignpostOpeningHours *self, SignpostWeekday value);
const char *signpost_opening_hours_get_opens (SignpostOpeningHours *self);
void signpost_opening_hours_set_opens (SignpostOpeningHours *self, const char *value);
const char *signpost_opening_hours_get_closes (SignpostOpeningHours *self);
void signpost_opening_hours_set_closes (SignpostOpeningHours *self, const char *value);

G_END_DECLS
