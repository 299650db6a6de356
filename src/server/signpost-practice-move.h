/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-bundle.h"
#include "signpost-bundle-writer.h"
#include "signpost-store.h"

G_BEGIN_DECLS

/* Moving a practice between servers: export it into a bundle, import the
 * bundle into another server, and remove it from the first. Each works
 * through the store interface, in one transaction where it writes. */

/* signpost-practice-export.c */
gboolean signpost_practice_collect (SignpostStore         *store,
                                    SignpostPractice      *practice,
                                    SignpostBundleWriter  *writer,
                                    GError               **error);
gboolean signpost_practice_export  (SignpostStore         *store,
                                    SignpostPractice      *practice,
                                    const char            *passphrase,
                                    const char            *path,
                                    GDateTime             *now,
                                    const char            *client,
                                    SignpostBundleInfo    *info,
                                    GError               **error);

/* signpost-practice-import.c */
gboolean signpost_practice_import  (SignpostStore         *store,
                                    const char            *path,
                                    const char            *passphrase,
                                    GDateTime             *now,
                                    const char            *client,
                                    SignpostBundleInfo    *info,
                                    GError               **error);

/* signpost-practice-removal.c */
typedef struct {
  guint records;           /* tombstoned */
  guint users_removed;     /* who worked for this practice only */
  guint users_kept;        /* who keep their other practices */
} SignpostPracticeRemoval;

gboolean signpost_practice_remove  (SignpostStore          *store,
                                    SignpostPractice       *practice,
                                    const char             *bundle_path,
                                    const char             *passphrase,
                                    GDateTime              *now,
                                    const char             *client,
                                    SignpostPracticeRemoval *removal,
                                    SignpostBundleInfo     *info,
                                    GError                **error);

/* What an admin command's audit event says of who ran it. */
void     signpost_practice_audit_event (SignpostAuditEvent    *event,
                                        const char            *action,
                                        SignpostRecord        *record,
                                        const char            *detail,
                                        const char            *client,
                                        GDateTime             *now);

G_END_DECLS
