/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-opening-hours.h"
#include "signpost-practice.h"

struct _SignpostPractice
{
  SignpostRecord parent_instance;
};

enum {
  PROP_0,
  PROP_ODS_CODE,
  PROP_NAME,
  PROP_LINES,
  PROP_TIME_ZONE,
  PROP_ONLINE_HOURS,
  PROP_ONLINE_OPEN_BANK_HOLIDAYS,
  PROP_ONLINE_CLOSED_DATES,
  PROP_ONLINE_MEDICAL_DAILY_LIMIT,
  PROP_ONLINE_PAUSED,
  PROP_ONLINE_PAUSE_MESSAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostPractice, signpost_practice, SIGNPOST_TYPE_RECORD)

SIGNPOST_STRING_ACCESSORS (SignpostPractice, signpost_practice, ods_code, PROP_ODS_CODE)
SIGNPOST_STRING_ACCESSORS (SignpostPractice, signpost_practice, name, PROP_NAME)
SIGNPOST_STRV_ACCESSORS (SignpostPractice, signpost_practice, lines, PROP_LINES)
SIGNPOST_STRING_ACCESSORS (SignpostPractice, signpost_practice, time_zone, PROP_TIME_ZONE)
SIGNPOST_LIST_ACCESSORS (SignpostPractice, signpost_practice, online_hours, PROP_ONLINE_HOURS)
SIGNPOST_BOOLEAN_ACCESSORS (SignpostPractice, signpost_practice, online_open_bank_holidays, PROP_ONLINE_OPEN_BANK_HOLIDAYS)
SIGNPOST_STRV_ACCESSORS (SignpostPractice, signpost_practice, online_closed_dates, PROP_ONLINE_CLOSED_DATES)
SIGNPOST_INT_ACCESSORS (SignpostPractice, signpost_practice, online_medical_daily_limit, PROP_ONLINE_MEDICAL_DAILY_LIMIT)
SIGNPOST_BOOLEAN_ACCESSORS (SignpostPractice, signpost_practice, online_paused, PROP_ONLINE_PAUSED)
SIGNPOST_STRING_ACCESSORS (SignpostPractice, signpost_practice, online_pause_message, PROP_ONLINE_PAUSE_MESSAGE)

static void
signpost_practice_class_init (SignpostPracticeClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);

  SIGNPOST_RECORD_CLASS (klass)->kind = SIGNPOST_RECORD_PRACTICE;

  properties[PROP_ODS_CODE] =
    signpost_field_string ("ods_code", SIGNPOST_FORMAT_ODS_CODE, 10, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_NAME] =
    signpost_field_string ("name", SIGNPOST_FORMAT_TEXT, 200, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_LINES] =
    signpost_field_strv ("lines", SIGNPOST_FORMAT_E164, 50, 0);
  properties[PROP_TIME_ZONE] =
    signpost_field_string ("time_zone", SIGNPOST_FORMAT_TIME_ZONE, 64, SIGNPOST_FIELD_REQUIRED);
  /* The online request form (signpost-online-rules.h). Hours: null (or
   * empty) means the default, Monday to Friday 08:00-18:30.
   * Closed dates are local dates the form is shut on top of the bank
   * holidays; a daily limit of 0 means none. */
  properties[PROP_ONLINE_HOURS] =
    signpost_field_list ("online_hours", SIGNPOST_TYPE_OPENING_HOURS, 50, 0);
  properties[PROP_ONLINE_OPEN_BANK_HOLIDAYS] =
    signpost_field_boolean ("online_open_bank_holidays", FALSE, 0);
  properties[PROP_ONLINE_CLOSED_DATES] =
    signpost_field_strv ("online_closed_dates", SIGNPOST_FORMAT_DATE, 100, 0);
  properties[PROP_ONLINE_MEDICAL_DAILY_LIMIT] =
    signpost_field_int ("online_medical_daily_limit", 0, 100000, 0, 0);
  properties[PROP_ONLINE_PAUSED] =
    signpost_field_boolean ("online_paused", FALSE, 0);
  properties[PROP_ONLINE_PAUSE_MESSAGE] =
    signpost_field_string ("online_pause_message", SIGNPOST_FORMAT_MULTILINE, 500, 0);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_practice_init (SignpostPractice *self)
{
}

SignpostPractice *
signpost_practice_new (void)
{
  return g_object_new (SIGNPOST_TYPE_PRACTICE, NULL);
}
