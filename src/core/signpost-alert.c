/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-alert.h"

struct _SignpostAlert
{
  SignpostObject parent_instance;
};

enum {
  PROP_0,
  PROP_KIND,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostAlert, signpost_alert, SIGNPOST_TYPE_OBJECT)

SIGNPOST_ENUM_ACCESSORS (SignpostAlert, signpost_alert, kind, PROP_KIND, SignpostAlertKind)
SIGNPOST_STRING_ACCESSORS (SignpostAlert, signpost_alert, text, PROP_TEXT)

static void
signpost_alert_class_init (SignpostAlertClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);


  properties[PROP_KIND] =
    signpost_field_enum ("kind", SIGNPOST_TYPE_ALERT_KIND, SIGNPOST_ALERT_OTHER, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_TEXT] =
    signpost_field_string ("text", SIGNPOST_FORMAT_TEXT, 200, 0);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_alert_init (SignpostAlert *self)
{
}

SignpostAlert *
signpost_alert_new (void)
{
  return g_object_new (SIGNPOST_TYPE_ALERT, NULL);
}
