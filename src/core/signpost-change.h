/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-object.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_CHANGE (signpost_change_get_type ())
G_DECLARE_FINAL_TYPE (SignpostChange, signpost_change, SIGNPOST, CHANGE, SignpostObject)

/* One entry of the change feed: the current state of a record after its change number seq. */
SignpostChange *signpost_change_new (void);

gint64 signpost_change_get_seq (SignpostChange *self);
void signpost_change_set_seq (SignpostChange *self, gint64 value);
SignpostRecordKind signpost_change_get_kind (SignpostChange *self);
void signpost_change_set_kind (SignpostChange *self, SignpostRecordKind value);
const char *signpost_change_get_id (SignpostChange *self);
void signpost_change_set_id (SignpostChange *self, const char *value);
SignpostOp signpost_change_get_op (SignpostChange *self);
void signpost_change_set_op (SignpostChange *self, SignpostOp value);
gint64 signpost_change_get_version (SignpostChange *self);
void signpost_change_set_version (SignpostChange *self, gint64 value);
JsonNode *signpost_change_get_data (SignpostChange *self);
void signpost_change_set_data (SignpostChange *self, JsonNode *value);

G_END_DECLS
