/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-object.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_PHONE (signpost_phone_get_type ())
G_DECLARE_FINAL_TYPE (SignpostPhone, signpost_phone, SIGNPOST, PHONE, SignpostObject)

/* A patient's phone number and what kind of line it is. */
SignpostPhone *signpost_phone_new (void);

const char *signpost_phone_get_number (SignpostPhone *self);
void signpost_phone_set_number (SignpostPhone *self, const char *value);
SignpostPhoneKind signpost_phone_get_kind (SignpostPhone *self);
void signpost_phone_set_kind (SignpostPhone *self, SignpostPhoneKind value);

G_END_DECLS
