/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SIGNPOST_SYNC_ERROR (signpost_sync_error_quark ())

/**
 * SignpostSyncError:
 *
 * Why talking to the server failed, in the terms the login page and the
 * banners need. Every error carries a message fit to show a receptionist.
 */
typedef enum {
  SIGNPOST_SYNC_ERROR_FAILED,
  SIGNPOST_SYNC_ERROR_BAD_ADDRESS,     /* not an http(s) URL */
  SIGNPOST_SYNC_ERROR_UNREACHABLE,     /* no route, refused, timed out, DNS */
  SIGNPOST_SYNC_ERROR_TLS,             /* certificate not trusted or handshake failed */
  SIGNPOST_SYNC_ERROR_CREDENTIALS,     /* wrong username or password */
  SIGNPOST_SYNC_ERROR_RATE_LIMITED,    /* too many attempts */
  SIGNPOST_SYNC_ERROR_SESSION_EXPIRED, /* the token is no longer accepted */
  SIGNPOST_SYNC_ERROR_FORBIDDEN,       /* role or practice not allowed */
  SIGNPOST_SYNC_ERROR_SERVER,          /* 5xx or a problem+json we cannot act on */
  SIGNPOST_SYNC_ERROR_PROTOCOL,        /* the reply was not what PROTOCOL.md promises */
  SIGNPOST_SYNC_ERROR_OFFLINE,         /* needs the server, and it is not connected */
  SIGNPOST_SYNC_ERROR_CACHE,           /* this PC's copy could not be read or written */
} SignpostSyncError;

GQuark signpost_sync_error_quark (void);

G_END_DECLS
