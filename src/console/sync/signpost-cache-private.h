/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-cache.h"
#include "signpost-outbox-item.h"

G_BEGIN_DECLS

/* Between the cache, the outbox and the sync engine only. */

SignpostDb *signpost_cache_get_db               (SignpostCache          *self);

gboolean    signpost_cache_outbox_add           (SignpostCache          *self,
                                                 SignpostMutation       *mutation,
                                                 const char             *related_id,
                                                 const char             *practice_id,
                                                 const char             *label,
                                                 GError                **error);
GPtrArray  *signpost_cache_outbox_list          (SignpostCache          *self);
gboolean    signpost_cache_outbox_resolve       (SignpostCache          *self,
                                                 SignpostMutationResult *result,
                                                 GError                **error);
gboolean    signpost_cache_outbox_remove        (SignpostCache          *self,
                                                 const char             *mutation_id,
                                                 GError                **error);
gboolean    signpost_cache_outbox_note_attempt  (SignpostCache          *self,
                                                 const char             *mutation_id,
                                                 const char             *message,
                                                 GError                **error);
gint64      signpost_cache_expected_version     (SignpostCache          *self,
                                                 const char             *record_id);

typedef struct {
  gint64 position;
  char *patient_id;
  char *context;
} SignpostPendingView;

GPtrArray  *signpost_cache_list_views           (SignpostCache          *self,
                                                 guint                   max);
gboolean    signpost_cache_remove_view          (SignpostCache          *self,
                                                 gint64                  position,
                                                 GError                **error);

void        signpost_record_set_pending_mark    (SignpostRecord         *record,
                                                 gboolean                pending);

G_END_DECLS
