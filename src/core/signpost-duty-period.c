/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-duty-period.h"

struct _SignpostDutyPeriod
{
  SignpostObject parent_instance;
};

enum {
  PROP_0,
  PROP_START,
  PROP_END,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostDutyPeriod, signpost_duty_period, SIGNPOST_TYPE_OBJECT)

SIGNPOST_INSTANT_ACCESSORS (SignpostDutyPeriod, signpost_duty_period, start, PROP_START)
SIGNPOST_INSTANT_ACCESSORS (SignpostDutyPeriod, signpost_duty_period, end, PROP_END)

static gboolean
signpost_duty_period_validate (SignpostObject  *object,
                               GError         **error)
{
  SignpostDutyPeriod *self = SIGNPOST_DUTY_PERIOD (object);
  GDateTime *start = signpost_duty_period_get_start (self);
  GDateTime *end = signpost_duty_period_get_end (self);

  if (start != NULL && end != NULL && g_date_time_compare (start, end) >= 0)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "end",
                                _("must be after the start"));
      return FALSE;
    }
  return TRUE;
}

static void
signpost_duty_period_class_init (SignpostDutyPeriodClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);

  object_class->validate = signpost_duty_period_validate;

  properties[PROP_START] =
    signpost_field_instant ("start", SIGNPOST_FIELD_REQUIRED);
  properties[PROP_END] =
    signpost_field_instant ("end", SIGNPOST_FIELD_REQUIRED);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_duty_period_init (SignpostDutyPeriod *self)
{
}

SignpostDutyPeriod *
signpost_duty_period_new (void)
{
  return g_object_new (SIGNPOST_TYPE_DUTY_PERIOD, NULL);
}
