/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-record.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_USER (signpost_user_get_type ())
G_DECLARE_FINAL_TYPE (SignpostUser, signpost_user, SIGNPOST, USER, SignpostRecord)

/* A member of staff who signs in: their role(s) and the practices they may work for. */
SignpostUser *signpost_user_new (void);

const char *signpost_user_get_username (SignpostUser *self);
void signpost_user_set_username (SignpostUser *self, const char *value);
const char *signpost_user_get_display_name (SignpostUser *self);
void signpost_user_set_display_name (SignpostUser *self, const char *value);
SignpostRole signpost_user_get_role (SignpostUser *self);
void signpost_user_set_role (SignpostUser *self, SignpostRole value);
const char * const *signpost_user_get_roles (SignpostUser *self);
void signpost_user_set_roles (SignpostUser *self, const char * const *value);
const char * const *signpost_user_get_practice_ids (SignpostUser *self);
void signpost_user_set_practice_ids (SignpostUser *self, const char * const *value);
const char *signpost_user_get_clinician_id (SignpostUser *self);
void signpost_user_set_clinician_id (SignpostUser *self, const char *value);
gboolean signpost_user_get_disabled (SignpostUser *self);
void signpost_user_set_disabled (SignpostUser *self, gboolean value);
gboolean signpost_user_get_hub (SignpostUser *self);
void signpost_user_set_hub (SignpostUser *self, gboolean value);

G_END_DECLS
