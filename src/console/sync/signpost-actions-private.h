/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-actions.h"

G_BEGIN_DECLS

/* Shared by signpost-actions.c (the object, the outbox's commands),
 * signpost-actions-calls.c (the phones) and signpost-actions-reads.c (what
 * it asks the server). */

struct _SignpostActions
{
  GObject parent_instance;

  SignpostSyncEngine *engine;   /* weak: the actions live in the engine's data */
  SignpostCache *cache;         /* followed from the engine */
  SignpostOutbox *outbox;
  SignpostSyncState state;
  GHashTable *versions;         /* call id → the version our own call commands left it at */
};

/* FALSE (and @error) when nobody is signed in: no cache, no outbox. */
gboolean signpost_actions_need_outbox (SignpostActions  *self,
                                       GError          **error);

G_END_DECLS
