/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-user.h"

struct _SignpostUser
{
  SignpostRecord parent_instance;
};

enum {
  PROP_0,
  PROP_USERNAME,
  PROP_DISPLAY_NAME,
  PROP_ROLE,
  PROP_ROLES,
  PROP_PRACTICE_IDS,
  PROP_CLINICIAN_ID,
  PROP_DISABLED,
  PROP_HUB,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostUser, signpost_user, SIGNPOST_TYPE_RECORD)

SIGNPOST_STRING_ACCESSORS (SignpostUser, signpost_user, username, PROP_USERNAME)
SIGNPOST_STRING_ACCESSORS (SignpostUser, signpost_user, display_name, PROP_DISPLAY_NAME)
SIGNPOST_ENUM_ACCESSORS (SignpostUser, signpost_user, role, PROP_ROLE, SignpostRole)
SIGNPOST_STRV_ACCESSORS (SignpostUser, signpost_user, roles, PROP_ROLES)
SIGNPOST_STRV_ACCESSORS (SignpostUser, signpost_user, practice_ids, PROP_PRACTICE_IDS)
SIGNPOST_STRING_ACCESSORS (SignpostUser, signpost_user, clinician_id, PROP_CLINICIAN_ID)
SIGNPOST_BOOLEAN_ACCESSORS (SignpostUser, signpost_user, disabled, PROP_DISABLED)
SIGNPOST_BOOLEAN_ACCESSORS (SignpostUser, signpost_user, hub, PROP_HUB)

static void
signpost_user_class_init (SignpostUserClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);

  SIGNPOST_RECORD_CLASS (klass)->kind = SIGNPOST_RECORD_USER;

  properties[PROP_USERNAME] =
    signpost_field_string ("username", SIGNPOST_FORMAT_USERNAME, 64, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_DISPLAY_NAME] =
    signpost_field_string ("display_name", SIGNPOST_FORMAT_TEXT, 200, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_ROLE] =
    signpost_field_enum ("role", SIGNPOST_TYPE_ROLE, SIGNPOST_ROLE_NAVIGATOR, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_ROLES] =
    signpost_field_enum_list ("roles", SIGNPOST_TYPE_ROLE, 0);
  properties[PROP_PRACTICE_IDS] =
    signpost_field_strv ("practice_ids", SIGNPOST_FORMAT_UUID, 200, 0);
  properties[PROP_CLINICIAN_ID] =
    signpost_field_string ("clinician_id", SIGNPOST_FORMAT_UUID, 36, 0);
  properties[PROP_DISABLED] =
    signpost_field_boolean ("disabled", FALSE, 0);
  /* Works for a regional hub rather than one practice: may not book
   * practice-only slots. */
  properties[PROP_HUB] =
    signpost_field_boolean ("hub", FALSE, 0);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_user_init (SignpostUser *self)
{
}

SignpostUser *
signpost_user_new (void)
{
  return g_object_new (SIGNPOST_TYPE_USER, NULL);
}
