/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-core.h"

G_BEGIN_DECLS

#define SIGNPOST_PROBLEM_TYPE_PREFIX "urn:signpost:problem:"

/* An RFC 9457 problem object for @error: type, title, status, detail and,
 * when one field is to blame, field. */
JsonObject *signpost_problem_from_error (const GError *error);
JsonObject *signpost_problem_new        (guint         status,
                                         const char   *nick,
                                         const char   *title,
                                         const char   *detail,
                                         const char   *field);

G_END_DECLS
