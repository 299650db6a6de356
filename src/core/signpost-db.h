/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>
#include <sqlite3.h>

G_BEGIN_DECLS

#define SIGNPOST_TYPE_DB (signpost_db_get_type ())
G_DECLARE_FINAL_TYPE (SignpostDb, signpost_db, SIGNPOST, DB, GObject)

/**
 * SignpostMigration:
 * @version: the schema version this step produces (1, 2, 3, …)
 * @sql: statements to run, or %NULL
 * @apply: code to run after @sql, or %NULL
 *
 * One numbered step of a schema. Steps run in order inside one transaction
 * each, and PRAGMA user_version records the last that completed.
 */
typedef struct {
  int version;
  const char *sql;
  gboolean (*apply) (SignpostDb *db, GError **error);
} SignpostMigration;

typedef enum {
  SIGNPOST_DB_DEFAULT   = 0,
  SIGNPOST_DB_READ_ONLY = 1 << 0,
  SIGNPOST_DB_NO_SYNC   = 1 << 1, /* synchronous=NORMAL: for caches, never the server's store */
} SignpostDbFlags;

/*
 * SQL text only ever comes from string literals: the macros below paste
 * "" around their argument, which compiles only for a literal. Values go
 * in through bindings, so no value can change what a statement does.
 */
#define signpost_db_exec(db, sql, error) \
  signpost_db_exec_literal_ ((db), "" sql "", (error))
#define signpost_db_prepare(db, sql, error) \
  signpost_db_prepare_literal_ ((db), "" sql "", (error))
#define signpost_db_run(db, sql, error, ...) \
  signpost_db_run_literal_ ((db), "" sql "", (error), __VA_ARGS__)

SignpostDb    *signpost_db_open              (const char               *path,
                                              SignpostDbFlags           flags,
                                              GError                  **error);
sqlite3       *signpost_db_get_handle        (SignpostDb               *self);
const char    *signpost_db_get_path          (SignpostDb               *self);
int            signpost_db_get_user_version  (SignpostDb               *self);
gboolean       signpost_db_migrate           (SignpostDb               *self,
                                              const SignpostMigration  *steps,
                                              guint                     n_steps,
                                              GError                  **error);

gboolean       signpost_db_begin             (SignpostDb               *self,
                                              GError                  **error);
gboolean       signpost_db_commit            (SignpostDb               *self,
                                              GError                  **error);
void           signpost_db_rollback          (SignpostDb               *self);
gboolean       signpost_db_in_transaction    (SignpostDb               *self);

gboolean       signpost_db_exec_literal_     (SignpostDb               *self,
                                              const char               *sql,
                                              GError                  **error);
sqlite3_stmt  *signpost_db_prepare_literal_  (SignpostDb               *self,
                                              const char               *sql,
                                              GError                  **error);
gboolean       signpost_db_run_literal_      (SignpostDb               *self,
                                              const char               *sql,
                                              GError                  **error,
                                              const char               *types,
                                              ...);

gboolean       signpost_db_bind              (sqlite3_stmt             *stmt,
                                              GError                  **error,
                                              const char               *types,
                                              ...);
gboolean       signpost_db_bind_valist       (sqlite3_stmt             *stmt,
                                              GError                  **error,
                                              const char               *types,
                                              va_list                   args);
int            signpost_db_step              (SignpostDb               *self,
                                              sqlite3_stmt             *stmt,
                                              GError                  **error);
gint64         signpost_db_changes           (SignpostDb               *self);
void           signpost_db_set_error         (SignpostDb               *self,
                                              GError                  **error,
                                              const char               *what);

G_END_DECLS
