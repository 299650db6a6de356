/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-opening-hours.h"
#include "signpost-time.h"

struct _SignpostOpeningHours
{
  SignpostObject parent_instance;
};

enum {
  PROP_0,
  PROP_DAY,
  PROP_OPENS,
  PROP_CLOSES,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostOpeningHours, signpost_opening_hours, SIGNPOST_TYPE_OBJECT)

SIGNPOST_ENUM_ACCESSORS (SignpostOpeningHours, signpost_opening_hours, day, PROP_DAY, SignpostWeekday)
SIGNPOST_STRING_ACCESSORS (SignpostOpeningHours, signpost_opening_hours, opens, PROP_OPENS)
SIGNPOST_STRING_ACCESSORS (SignpostOpeningHours, signpost_opening_hours, closes, PROP_CLOSES)

static gboolean
signpost_opening_hours_validate (SignpostObject  *object,
                                 GError         **error)
{
  SignpostOpeningHours *self = SIGNPOST_OPENING_HOURS (object);
  int opens = 0, closes = 0;

  if (!signpost_time_of_day_parse (signpost_opening_hours_get_opens (self), &opens) ||
      !signpost_time_of_day_parse (signpost_opening_hours_get_closes (self), &closes))
    return TRUE; /* the fields' own checks say why */
  if (opens >= 24 * 60)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "opens",
                                _("must be before 24:00"));
      return FALSE;
    }
  if (closes <= opens)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "closes",
                                _("must be later than the opening time"));
      return FALSE;
    }
  return TRUE;
}

static void
signpost_opening_hours_class_init (SignpostOpeningHoursClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);

  object_class->validate = signpost_opening_hours_validate;

  properties[PROP_DAY] =
    signpost_field_enum ("day", SIGNPOST_TYPE_WEEKDAY, SIGNPOST_WEEKDAY_MONDAY, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_OPENS] =
    signpost_field_string ("opens", SIGNPOST_FORMAT_TIME_OF_DAY, 5, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_CLOSES] =
    signpost_field_string ("closes", SIGNPOST_FORMAT_TIME_OF_DAY, 5, SIGNPOST_FIELD_REQUIRED);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_opening_hours_init (SignpostOpeningHours *self)
{
}

SignpostOpeningHours *
signpost_opening_hours_new (void)
{
  return g_object_new (SIGNPOST_TYPE_OPENING_HOURS, NULL);
}
