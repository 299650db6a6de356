/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-phone.h"

struct _SignpostPhone
{
  SignpostObject parent_instance;
};

enum {
  PROP_0,
  PROP_NUMBER,
  PROP_KIND,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostPhone, signpost_phone, SIGNPOST_TYPE_OBJECT)

SIGNPOST_STRING_ACCESSORS (SignpostPhone, signpost_phone, number, PROP_NUMBER)
SIGNPOST_ENUM_ACCESSORS (SignpostPhone, signpost_phone, kind, PROP_KIND, SignpostPhoneKind)

static void
signpost_phone_class_init (SignpostPhoneClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);


  properties[PROP_NUMBER] =
    signpost_field_string ("number", SIGNPOST_FORMAT_E164, 16, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_KIND] =
    signpost_field_enum ("kind", SIGNPOST_TYPE_PHONE_KIND, SIGNPOST_PHONE_KIND_MOBILE, 0);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_phone_init (SignpostPhone *self)
{
}

SignpostPhone *
signpost_phone_new (void)
{
  return g_object_new (SIGNPOST_TYPE_PHONE, NULL);
}
