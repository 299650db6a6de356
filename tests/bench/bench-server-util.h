/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "signpost-core.h"

G_BEGIN_DECLS

#define BENCH_PASSWORD "bench-password"
#define BENCH_SECRET "bench-line-secret"
#define BENCH_LINE "+442079460201"

/* The real signpost-server binary on 127.0.0.1, on a database of its own. */
typedef struct {
  GSubprocess *process;
  char *dir;
  char *db;
  char *base;
  char *practice_id;
  double demo_scale;
  char **extra_args;
} BenchServer;

BenchServer *bench_server_new_demo   (void);
BenchServer *bench_server_new_basic  (void);
BenchServer *bench_server_new_demo_scale (double scale);
BenchServer *bench_server_new_demo_with  (double              scale,
                                          const char * const *extra_args);
void         bench_server_free       (BenchServer  *server);
gint64       bench_server_rss_kb     (BenchServer  *server);
gint64       bench_server_cpu_ms     (BenchServer  *server);

GBytes      *bench_request           (SoupSession  *session,
                                      BenchServer  *server,
                                      const char   *method,
                                      const char   *path,
                                      const char   *token,
                                      const char   *body,
                                      guint        *status);
char        *bench_login             (SoupSession  *session,
                                      BenchServer  *server,
                                      const char   *username,
                                      const char   *password);

int          bench_compare_doubles   (gconstpointer a,
                                      gconstpointer b);
double       bench_percentile        (GArray       *sorted,
                                      double        p);

G_END_DECLS
