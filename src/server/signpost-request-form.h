/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "signpost-apply.h"
#include "signpost-intake.h"
#include "signpost-store.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_REQUEST_FORM (signpost_request_form_get_type ())
G_DECLARE_FINAL_TYPE (SignpostRequestForm, signpost_request_form, SIGNPOST, REQUEST_FORM, GObject)

/* Where the public pages live. */
#define SIGNPOST_FORM_PREFIX "/p/"
/* The largest form body taken (a request of 4,000 characters of any
 * script, and the rest, with room to spare). */
#define SIGNPOST_FORM_MAX_BODY (128 * 1024)

/**
 * SignpostFormLimits:
 * @client_pages_per_hour: pages of the form one client may send in an hour
 * @client_requests_per_hour: requests one client may send in an hour
 * @practice_requests_per_hour: requests one practice may receive in an
 *   hour through its form, from everyone together
 */
typedef struct {
  guint client_pages_per_hour;
  guint client_requests_per_hour;
  guint practice_requests_per_hour;
} SignpostFormLimits;

void                 signpost_form_limits_init        (SignpostFormLimits        *limits);

SignpostRequestForm *signpost_request_form_new        (SignpostStore             *store,
                                                       SignpostIntake            *intake,
                                                       const SignpostFormLimits  *limits);
/* Answers one request for a page under /p/. @client is the visitor's
 * address (behind the trusted proxy, the one it names); @secure whether
 * the visitor's connection is HTTPS. Records written are left in @ctx. */
void                 signpost_request_form_handle     (SignpostRequestForm       *self,
                                                       SoupServerMessage         *msg,
                                                       const char                *path,
                                                       const char                *client,
                                                       gboolean                   secure,
                                                       SignpostApplyContext      *ctx);
/* A page for a body refused before it was read (too large, chunked). */
char                *signpost_request_form_refusal_page (guint                     status,
                                                         gsize                    *length);

G_END_DECLS
