/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * CSRF protection for the public form, with no state in any one server
 * process ("signed double submit"): the browser holds a random cookie,
 * and every form carries a token that is an HMAC, under a key every
 * instance reads from the database, of that cookie, the practice, when
 * the visitor started and when the page was made. A page from another
 * site can make a browser send the cookie but cannot read it, so it
 * cannot make a matching token. No server keeps a list of tokens, so any
 * instance checks what any other issued.
 */

/* How long a page stays good for sending. */
#define SIGNPOST_CSRF_MAX_AGE_S (3 * 60 * 60)

char     *signpost_csrf_new_cookie (void);
gboolean  signpost_csrf_cookie_ok  (const char *cookie);
char     *signpost_csrf_token      (const char *key,
                                    const char *cookie,
                                    const char *scope,
                                    gint64      started,
                                    gint64      now);
/* Whether @token is one signpost_csrf_token() made for @cookie and @scope
 * no more than SIGNPOST_CSRF_MAX_AGE_S before @now (seconds); sets
 * @started to when the visitor began. */
gboolean  signpost_csrf_check      (const char *key,
                                    const char *cookie,
                                    const char *scope,
                                    const char *token,
                                    gint64      now,
                                    gint64     *started);
/* A keyed hash of @text (a client address) for use in counters' keys,
 * so that the database never holds the address itself. */
char     *signpost_csrf_blind      (const char *key,
                                    const char *text);

G_END_DECLS
