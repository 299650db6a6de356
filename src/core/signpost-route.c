/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-route.h"

struct _SignpostRoute
{
  SignpostObject parent_instance;
};

enum {
  PROP_0,
  PROP_KIND,
  PROP_CLINICIAN_ID,
  PROP_PROFESSION,
  PROP_SIGNPOST,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostRoute, signpost_route, SIGNPOST_TYPE_OBJECT)

SIGNPOST_ENUM_ACCESSORS (SignpostRoute, signpost_route, kind, PROP_KIND, SignpostRouteKind)
SIGNPOST_STRING_ACCESSORS (SignpostRoute, signpost_route, clinician_id, PROP_CLINICIAN_ID)
SIGNPOST_STRING_ACCESSORS (SignpostRoute, signpost_route, profession, PROP_PROFESSION)
SIGNPOST_STRING_ACCESSORS (SignpostRoute, signpost_route, signpost, PROP_SIGNPOST)

static gboolean
signpost_route_validate (SignpostObject  *object,
                         GError         **error)
{
  SignpostRoute *self = SIGNPOST_ROUTE (object);

  switch (signpost_route_get_kind (self))
    {
    case SIGNPOST_ROUTE_CLINICIAN:
      if (signpost_route_get_clinician_id (self) == NULL)
        {
          signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "clinician_id",
                                    _("is required when routing to a named clinician"));
          return FALSE;
        }
      break;
    case SIGNPOST_ROUTE_PROFESSION:
      if (signpost_route_get_profession (self) == NULL)
        {
          signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "profession",
                                    _("is required when routing to a profession"));
          return FALSE;
        }
      break;
    case SIGNPOST_ROUTE_SIGNPOST:
      if (signpost_route_get_signpost (self) == NULL)
        {
          signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "signpost",
                                    _("is required when signposting outside the practice"));
          return FALSE;
        }
      break;
    case SIGNPOST_ROUTE_DUTY:
    default:
      break;
    }
  return TRUE;
}

static void
signpost_route_class_init (SignpostRouteClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);

  object_class->validate = signpost_route_validate;

  properties[PROP_KIND] =
    signpost_field_enum ("kind", SIGNPOST_TYPE_ROUTE_KIND, SIGNPOST_ROUTE_DUTY, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_CLINICIAN_ID] =
    signpost_field_string ("clinician_id", SIGNPOST_FORMAT_UUID, 36, 0);
  properties[PROP_PROFESSION] =
    signpost_field_enum_nick ("profession", SIGNPOST_TYPE_PROFESSION, 0);
  properties[PROP_SIGNPOST] =
    signpost_field_enum_nick ("signpost", SIGNPOST_TYPE_SIGNPOST, 0);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_route_init (SignpostRoute *self)
{
}

SignpostRoute *
signpost_route_new (void)
{
  return g_object_new (SIGNPOST_TYPE_ROUTE, NULL);
}
