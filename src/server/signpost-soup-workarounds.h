/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

G_BEGIN_DECLS

/* The server's client connections, accepted and watched by us and served
 * by libsoup (see signpost-soup-workarounds.c). */
typedef struct _SignpostSoupGuard SignpostSoupGuard;

SignpostSoupGuard *signpost_soup_guard_new               (SoupServer         *soup,
                                                          guint               request_timeout_ms,
                                                          guint               idle_timeout_ms);
void               signpost_soup_guard_free              (SignpostSoupGuard  *guard);
gboolean           signpost_soup_guard_listen            (SignpostSoupGuard  *guard,
                                                          GSocket            *listener,
                                                          GTlsCertificate    *certificate,
                                                          GError            **error);
void               signpost_soup_guard_stop              (SignpostSoupGuard  *guard);
GSocket           *signpost_soup_guard_get_socket        (SignpostSoupGuard  *guard,
                                                          SoupServerMessage  *msg);
void               signpost_soup_guard_taken             (SignpostSoupGuard  *guard,
                                                          SoupServerMessage  *msg);
guint              signpost_soup_guard_get_n_connections (SignpostSoupGuard  *guard);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignpostSoupGuard, signpost_soup_guard_free)

G_END_DECLS
