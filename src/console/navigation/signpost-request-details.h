/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_REQUEST_DETAILS (signpost_request_details_get_type ())
G_DECLARE_FINAL_TYPE (SignpostRequestDetails, signpost_request_details, SIGNPOST, REQUEST_DETAILS, GtkBox)

/* The top of the navigation form for a request that did not come by phone:
 * what the patient (or the other product) sent besides the reason — where
 * from, its reference, the time left to reply, medical or admin, how long
 * and what they hope for, who they say the patient is, when and how to
 * contact them, their red-flag answers. Hidden for a phone request. */
SignpostRequestDetails *signpost_request_details_new         (void);
void                    signpost_request_details_set_request (SignpostRequestDetails *self,
                                                              SignpostTriage         *request,
                                                              SignpostCache          *cache);
/* All of it as one text, as a screen reader reads it (tests). */
char                   *signpost_request_details_dup_text    (SignpostRequestDetails *self);

G_END_DECLS
