/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define REAL_PASSWORD "test-password"

/* A real signpost-server process on 127.0.0.1 (port 0), with a fresh
 * database holding one practice (Y00001) and a navigator "nav". */
typedef struct {
  char *dir;
  char *db_path;
  GSubprocess *process;
  char *pid;
  guint port;
} RealServer;

RealServer *real_server_start        (const char * const *extra_args);
void        real_server_free         (RealServer         *server);
guint       real_server_count_fds    (RealServer         *server);
guint64     real_server_rss_kib      (RealServer         *server);
char       *real_server_login        (RealServer         *server,
                                      const char         *username);
void        real_server_wait_fds     (RealServer         *server,
                                      guint               at_most,
                                      guint               timeout_ms);
int         run_admin                (const char         *db_path,
                                      const char         *stdin_text,
                                      const char         *first_arg,
                                      ...) G_GNUC_NULL_TERMINATED;

/* Blocking client sockets with a 20 s timeout, for speaking raw HTTP. */
GSocket    *raw_connect              (guint               port);
gboolean    raw_send                 (GSocket            *socket,
                                      const char         *data,
                                      gssize              length);
int         raw_read_response        (GSocket            *socket,
                                      char              **body);
gboolean    raw_wait_closed          (GSocket            *socket,
                                      guint               timeout_ms);
int         raw_request              (guint               port,
                                      const char         *request,
                                      char              **body);
GSocket    *raw_websocket            (guint               port,
                                      const char         *token);

void        sleep_ms                 (guint               ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RealServer, real_server_free)

G_END_DECLS
