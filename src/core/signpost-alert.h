/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-object.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_ALERT (signpost_alert_get_type ())
G_DECLARE_FINAL_TYPE (SignpostAlert, signpost_alert, SIGNPOST, ALERT, SignpostObject)

/* Something staff must know before speaking to the patient (needs an interpreter, is a carer, …). */
SignpostAlert *signpost_alert_new (void);

SignpostAlertKind signpost_alert_get_kind (SignpostAlert *self);
void signpost_alert_set_kind (SignpostAlert *self, SignpostAlertKind value);
const char *signpost_alert_get_text (SignpostAlert *self);
void signpost_alert_set_text (SignpostAlert *self, const char *value);

G_END_DECLS
