/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "signpost-core.h"

G_BEGIN_DECLS

#define BENCH_PASSWORD "bench-password"
#define BENCH_SECRET "bench-line-secret"
#define BENCH_LINE "+442079460201"

/* The stores a benchmark can compare: SQLite always; PostgreSQL when a
 * server is named (SIGNPOST_TEST_PG, or libpq's PGHOST/PGPORT as under
 * pg_virtualenv; build-aux/run bench starts one, with fsync on). */
typedef enum {
  BENCH_SQLITE,
  BENCH_POSTGRESQL,
} BenchStore;

guint        bench_stores            (BenchStore    stores[2]);
const char  *bench_store_name        (BenchStore    store);
void         bench_use_store         (BenchStore    store);
void         bench_print_ratio       (const char   *what,
                                      const char   *unit,
                                      const double  values[2],
                                      guint         n_stores);

/* The real signpost-server binary on 127.0.0.1, on a database of its own
 * in the store last chosen with bench_use_store() (SQLite by default). */
typedef struct {
  GSubprocess *process;
  struct _TestDatabase *database;
  char *base;
  char *practice_id;
  double demo_scale;
  char **extra_args;
  gboolean shares_database;        /* a second instance: the database is another's */
} BenchServer;

BenchServer *bench_server_new_demo   (void);
BenchServer *bench_server_new_basic  (void);
BenchServer *bench_server_new_demo_scale (double scale);
BenchServer *bench_server_new_demo_with  (double              scale,
                                          const char * const *extra_args);
BenchServer *bench_server_new_instance (BenchServer *first);
BenchServer *bench_server_prepare    (void);
void         bench_server_start      (BenchServer  *server);
void         bench_server_restart    (BenchServer  *server);
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
