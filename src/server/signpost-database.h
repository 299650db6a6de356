/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-store.h"

G_BEGIN_DECLS

/* The environment variable that names the database when --db does not. */
#define SIGNPOST_DATABASE_ENV "SIGNPOST_DB"

gboolean       signpost_database_is_uri          (const char   *location);
char          *signpost_database_describe        (const char   *location);
char          *signpost_database_resolve         (const char   *db,
                                                  const char   *db_file,
                                                  const char   *fallback,
                                                  GError      **error);
SignpostStore *signpost_database_open            (const char   *location,
                                                  GError      **error);
void           signpost_database_hide_passwords  (int           argc,
                                                  char        **argv);
char          *signpost_database_without_password (const char  *uri);

G_END_DECLS
