/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SIGNPOST_ERROR (signpost_error_quark ())

/**
 * SignpostErrorCode:
 *
 * Errors shared by the core, the server and the console. Each maps to one
 * HTTP status (signpost_error_http_status()), so the server never has to
 * guess, and the console can turn a problem+json reply back into a GError.
 */
typedef enum {
  SIGNPOST_ERROR_FAILED,        /* 500 */
  SIGNPOST_ERROR_MALFORMED,     /* 400: not JSON, bad syntax, too deep */
  SIGNPOST_ERROR_UNAUTHORIZED,  /* 401 */
  SIGNPOST_ERROR_FORBIDDEN,     /* 403 */
  SIGNPOST_ERROR_NOT_FOUND,     /* 404 */
  SIGNPOST_ERROR_METHOD,        /* 405 */
  SIGNPOST_ERROR_CONFLICT,      /* 409 */
  SIGNPOST_ERROR_TOO_LARGE,     /* 413 */
  SIGNPOST_ERROR_INVALID,       /* 422: a field is missing, of the wrong type or out of range */
  SIGNPOST_ERROR_RATE_LIMITED,  /* 429 */
  SIGNPOST_ERROR_STORAGE,       /* 500: the database failed */
  SIGNPOST_ERROR_UNAVAILABLE,   /* 503 */
} SignpostErrorCode;

GQuark       signpost_error_quark        (void);
guint        signpost_error_http_status  (const GError *error);
const char  *signpost_error_code_nick    (SignpostErrorCode code);
const char  *signpost_error_code_title   (SignpostErrorCode code);
SignpostErrorCode signpost_error_code_from_http_status (guint status);

/* Field errors carry the field's path ("phones[1].number") at the front of
 * the message, separated by ": ", so a problem+json body can name it. */
void         signpost_set_field_error    (GError     **error,
                                          SignpostErrorCode code,
                                          const char  *field,
                                          const char  *format,
                                          ...) G_GNUC_PRINTF (4, 5);
char        *signpost_error_dup_field    (const GError *error);
const char  *signpost_error_get_detail   (const GError *error);
void         signpost_error_prefix_field (GError     **error,
                                          const char  *parent);

G_END_DECLS
