/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/*
 * A real signpost-server on 127.0.0.1 (the binary named by
 * SIGNPOST_SERVER_BIN, with a copy of a database seeded once per test
 * program with --demo), behind a small TCP proxy in this process. The
 * proxy keeps one address across server restarts, can refuse every
 * connection (the network is down), and can swallow the answer to the next
 * POST /mutations after the server has acted on it (a lost response).
 */

typedef struct _TestServer TestServer;

TestServer *test_server_new                          (void);
void        test_server_free                         (TestServer *server);
const char *test_server_get_url                      (TestServer *server);
const char *test_server_get_direct_url               (TestServer *server);
void        test_server_stop                         (TestServer *server);
void        test_server_start                        (TestServer *server);
void        test_server_kill                         (TestServer *server);
void        test_server_set_blocked                  (TestServer *server,
                                                      gboolean    blocked);
void        test_server_drop_next_mutation_response  (TestServer *server);
guint       test_server_get_n_dropped                (TestServer *server);

GSubprocess *test_server_spawn_tls                   (const char  *cert,
                                                      const char  *key,
                                                      char       **url);

/* Direct calls to the server, bypassing the proxy (another console). */
char       *test_server_login                        (TestServer *server,
                                                      const char *username);
JsonNode   *test_server_request                      (TestServer *server,
                                                      const char *token,
                                                      const char *method,
                                                      const char *path,
                                                      const char *body,
                                                      guint      *status);
/* Every record of @kind the user of @token can see, by id. */
GHashTable *test_server_fetch_records                (TestServer *server,
                                                      const char *token,
                                                      const char *kind);

/* `signpost-server admin ARGS…` on the server's database (the server is
 * stopped meanwhile), @input on standard input. */
void        test_server_admin                        (TestServer         *server,
                                                      const char         *input,
                                                      const char * const *args);

/* The same while the server runs on the database (as an administrator
 * would import a list into a live hub); returns the exit status. */
int         test_server_admin_running                (TestServer         *server,
                                                      const char         *input,
                                                      const char * const *args);

/* Runs the default main context until @condition holds or @timeout_ms. */
gboolean    test_wait_until                          (gboolean  (*condition) (gpointer data),
                                                      gpointer    data,
                                                      guint       timeout_ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestServer, test_server_free)

G_END_DECLS
