/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-store.h"
#include "signpost-store-copy.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_PG_STORE (signpost_pg_store_get_type ())
G_DECLARE_FINAL_TYPE (SignpostPgStore, signpost_pg_store, SIGNPOST, PG_STORE, GObject)

/* The LISTEN channel every commit that wrote records notifies. */
#define SIGNPOST_PG_CHANGES_CHANNEL "signpost_changes"
/* The channel signpost_store_announce() notifies, the event its payload. */
#define SIGNPOST_PG_EVENTS_CHANNEL "signpost_events"

SignpostPgStore *signpost_pg_store_new            (const char       *uri,
                                                   GError          **error);
const char      *signpost_pg_store_get_location   (SignpostPgStore  *self);
const char      *signpost_pg_store_get_uri        (SignpostPgStore  *self);
gboolean         signpost_pg_store_is_connected   (SignpostPgStore  *self);

/* admin copy-to: signpost-pg-store-copy.c */
typedef struct _SignpostPgImport SignpostPgImport;

gboolean          signpost_pg_store_export        (SignpostPgStore      *self,
                                                   SignpostCopyRowFunc   func,
                                                   gpointer              user_data,
                                                   GError              **error);
SignpostPgImport *signpost_pg_store_import_begin  (SignpostPgStore      *self,
                                                   GError              **error);
gboolean          signpost_pg_import_row          (SignpostPgImport     *import,
                                                   SignpostCopyTable     table,
                                                   const char * const   *values,
                                                   GError              **error);
gboolean          signpost_pg_import_end          (SignpostPgImport     *import,
                                                   GError              **error);
void              signpost_pg_import_free         (SignpostPgImport     *import);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SignpostPgImport, signpost_pg_import_free)

G_END_DECLS
