/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-store.h"
#include "signpost-store-copy.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_SQLITE_STORE (signpost_sqlite_store_get_type ())
G_DECLARE_FINAL_TYPE (SignpostSqliteStore, signpost_sqlite_store, SIGNPOST, SQLITE_STORE, GObject)

SignpostSqliteStore *signpost_sqlite_store_new    (const char           *path,
                                                   GError              **error);
SignpostDb          *signpost_sqlite_store_get_db (SignpostSqliteStore  *self);
gboolean             signpost_sqlite_store_export (SignpostSqliteStore  *self,
                                                   SignpostCopyRowFunc   func,
                                                   gpointer              user_data,
                                                   GError              **error);
gboolean             signpost_sqlite_store_check_files (const char      *path,
                                                        GError         **error);

G_END_DECLS
