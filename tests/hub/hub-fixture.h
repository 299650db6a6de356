/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

#include "server-test-db.h"

G_BEGIN_DECLS

/*
 * A hub as docs/DEPLOY.md sets one up, on 127.0.0.1: signpost-server
 * instances on one database (PostgreSQL, or for a single instance SQLite),
 * each started with --trusted-proxy, and a private nginx in front of them
 * running the shipped site (data/nginx/signpost.conf, rendered by
 * build-aux/nginx-site) with a self-signed certificate made by openssl for
 * "localhost". The first instance seeds the demo hub.
 *
 * The programs come from the environment: SIGNPOST_SERVER_BIN, and
 * SIGNPOST_NGINX_SITE (build-aux/nginx-site), SIGNPOST_NGINX_BIN and
 * SIGNPOST_OPENSSL_BIN.
 */

typedef struct {
  guint n_instances;      /* at least 1 */
  gboolean postgresql;    /* else SQLite, whose instances share the file */
  double demo_scale;      /* of the demo hub; 0 means 1 */
  guint telephony_rate;   /* the webhook's limit a second; 0: as shipped */
  gboolean demo_open_now; /* the demo's day opens now (live calls, popups) */
} HubOptions;

typedef struct _Hub Hub;

Hub          *hub_new                  (const HubOptions *options);
void          hub_free                 (Hub              *hub);
const char   *hub_url                  (Hub              *hub);
const char   *hub_ca_file              (Hub              *hub);
const char   *hub_instance_url         (Hub              *hub,
                                        guint             i);
guint         hub_n_instances          (Hub              *hub);
gboolean      hub_instance_is_running  (Hub              *hub,
                                        guint             i);
void          hub_kill_instance        (Hub              *hub,
                                        guint             i);
void          hub_start_instance       (Hub              *hub,
                                        guint             i);
/* Only the throwaway cluster of pg_virtualenv can be restarted. */
gboolean      hub_can_restart_postgresql (Hub            *hub);
void          hub_restart_postgresql   (Hub              *hub);
TestDatabase *hub_database             (Hub              *hub);
const char   *hub_nginx_dir            (Hub              *hub);

/* Runs the default main context until @condition holds or @timeout_ms
 * pass; returns whether it holds. */
gboolean      hub_wait_until           (gboolean        (*condition) (gpointer data),
                                        gpointer          data,
                                        guint             timeout_ms);
void          hub_run_for              (guint             ms);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Hub, hub_free)

G_END_DECLS
