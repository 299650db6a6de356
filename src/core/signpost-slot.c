/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-accessors-private.h"
#include "signpost-enum-types.h"
#include "signpost-error.h"
#include "signpost-slot.h"

struct _SignpostSlot
{
  SignpostRecord parent_instance;
};

enum {
  PROP_0,
  PROP_CLINICIAN_ID,
  PROP_START,
  PROP_DURATION_MINUTES,
  PROP_MODE,
  PROP_RELEASE_AT,
  PROP_HUB_BOOKABLE,
  PROP_STATUS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (SignpostSlot, signpost_slot, SIGNPOST_TYPE_RECORD)

SIGNPOST_STRING_ACCESSORS (SignpostSlot, signpost_slot, clinician_id, PROP_CLINICIAN_ID)
SIGNPOST_INSTANT_ACCESSORS (SignpostSlot, signpost_slot, start, PROP_START)
SIGNPOST_INT_ACCESSORS (SignpostSlot, signpost_slot, duration_minutes, PROP_DURATION_MINUTES)
SIGNPOST_ENUM_ACCESSORS (SignpostSlot, signpost_slot, mode, PROP_MODE, SignpostSlotMode)
SIGNPOST_INSTANT_ACCESSORS (SignpostSlot, signpost_slot, release_at, PROP_RELEASE_AT)
SIGNPOST_BOOLEAN_ACCESSORS (SignpostSlot, signpost_slot, hub_bookable, PROP_HUB_BOOKABLE)
SIGNPOST_ENUM_ACCESSORS (SignpostSlot, signpost_slot, status, PROP_STATUS, SignpostSlotStatus)

static void
signpost_slot_class_init (SignpostSlotClass *klass)
{
  SignpostObjectClass *object_class = SIGNPOST_OBJECT_CLASS (klass);

  SIGNPOST_RECORD_CLASS (klass)->kind = SIGNPOST_RECORD_SLOT;

  properties[PROP_CLINICIAN_ID] =
    signpost_field_string ("clinician_id", SIGNPOST_FORMAT_UUID, 36, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_START] =
    signpost_field_instant ("start", SIGNPOST_FIELD_REQUIRED);
  properties[PROP_DURATION_MINUTES] =
    signpost_field_int ("duration_minutes", 1, 480, 10, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_MODE] =
    signpost_field_enum ("mode", SIGNPOST_TYPE_SLOT_MODE, SIGNPOST_SLOT_MODE_FACE_TO_FACE, SIGNPOST_FIELD_REQUIRED);
  properties[PROP_RELEASE_AT] =
    signpost_field_instant ("release_at", 0);
  properties[PROP_HUB_BOOKABLE] =
    signpost_field_boolean ("hub_bookable", TRUE, 0);
  properties[PROP_STATUS] =
    signpost_field_enum ("status", SIGNPOST_TYPE_SLOT_STATUS, SIGNPOST_SLOT_FREE, SIGNPOST_FIELD_REQUIRED);

  signpost_object_class_install_fields (object_class, N_PROPS, properties);
}

static void
signpost_slot_init (SignpostSlot *self)
{
}

SignpostSlot *
signpost_slot_new (void)
{
  return g_object_new (SIGNPOST_TYPE_SLOT, NULL);
}
