/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/*
 * The database a server test runs on. The suite "server" uses SQLite (a
 * file in a temporary directory); the suite "server-pg" runs the same
 * tests with SIGNPOST_TEST_STORE=postgresql on the PostgreSQL server that
 * SIGNPOST_TEST_PG names (a libpq URI; "postgresql://" takes PGHOST and
 * the rest from the environment, as under pg_virtualenv). Each
 * TestDatabase is a fresh database of its own, dropped when freed.
 * Without a server to use, the server-pg programs report themselves
 * skipped.
 */
typedef struct _TestDatabase TestDatabase;

gboolean      test_database_is_postgresql  (void);
TestDatabase *test_database_new            (void);
TestDatabase *test_database_new_of_kind    (gboolean       postgresql);
void          test_database_free           (TestDatabase  *db);
const char   *test_database_location       (TestDatabase  *db);
const char   *test_database_dir            (TestDatabase  *db);
void          test_database_add_args       (TestDatabase  *db,
                                            GPtrArray     *argv);
gboolean      test_database_exec           (TestDatabase  *db,
                                            const char    *sql,
                                            GError       **error);
const char   *test_database_password       (TestDatabase  *db);
gboolean      test_database_contains       (TestDatabase  *db,
                                            const char    *needle);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestDatabase, test_database_free)

G_END_DECLS
