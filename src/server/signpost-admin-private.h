/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-admin.h"
#include "signpost-store.h"

G_BEGIN_DECLS

/* Shared by the admin commands (signpost-admin.c) and their parts. */

SignpostStore       *signpost_admin_open_store    (const char      *db_path);
char                *signpost_admin_read_secret   (const char      *prompt);
gboolean             signpost_admin_parse         (GOptionContext  *context,
                                                   int             *argc,
                                                   char          ***argv);
SignpostRecord      *signpost_admin_find_practice (SignpostStore   *store,
                                                   const char      *id_or_ods);

/* Opens the database only once the command's options are in order. */
#define OPEN_STORE(db_path)                                                      \
  g_autoptr(SignpostStore) owned_store = signpost_admin_open_store (db_path);   \
  SignpostStore *store = owned_store;                                            \
  if (owned_store == NULL)                                                       \
    return 1

/* signpost-admin-import.c */
int signpost_admin_import_patients   (const char *db_path, int argc, char **argv);
int signpost_admin_add_intake_source (const char *db_path, int argc, char **argv);
int signpost_admin_set_intake_source_secret (const char *db_path, int argc, char **argv);
int signpost_admin_import_clinicians (const char *db_path, int argc, char **argv);
int signpost_admin_import_sessions   (const char *db_path, int argc, char **argv);

/* signpost-admin-bundle.c */
int signpost_admin_export_practice   (const char *db_path, int argc, char **argv);
int signpost_admin_import_practice   (const char *db_path, int argc, char **argv);
int signpost_admin_remove_practice   (const char *db_path, int argc, char **argv);
/* signpost-admin-copy.c */
int signpost_admin_copy_to           (const char *db_path, int argc, char **argv);

G_END_DECLS
