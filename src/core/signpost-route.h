/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-enums.h"
#include "signpost-object.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_ROUTE (signpost_route_get_type ())
G_DECLARE_FINAL_TYPE (SignpostRoute, signpost_route, SIGNPOST, ROUTE, SignpostObject)

/* Where a navigation request goes: a named clinician, the duty doctor, a profession, or a service outside the practice. */
SignpostRoute *signpost_route_new (void);

SignpostRouteKind signpost_route_get_kind (SignpostRoute *self);
void signpost_route_set_kind (SignpostRoute *self, SignpostRouteKind value);
const char *signpost_route_get_clinician_id (SignpostRoute *self);
void signpost_route_set_clinician_id (SignpostRoute *self, const char *value);
const char *signpost_route_get_profession (SignpostRoute *self);
void signpost_route_set_profession (SignpostRoute *self, const char *value);
const char *signpost_route_get_signpost (SignpostRoute *self);
void signpost_route_set_signpost (SignpostRoute *self, const char *value);

G_END_DECLS
