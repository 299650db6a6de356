/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_QUEUE_PAGE (signpost_queue_page_get_type ())
G_DECLARE_FINAL_TYPE (SignpostQueuePage, signpost_queue_page, SIGNPOST, QUEUE_PAGE, AdwBin)

/* A page of the main window, bound to the sync engine of the signed-in
 * user (:engine). This shell shows what the page is for until the page
 * itself is built on the engine's models. */
SignpostSyncEngine *signpost_queue_page_get_engine (SignpostQueuePage *self);
void                signpost_queue_page_set_engine (SignpostQueuePage  *self,
                                                    SignpostSyncEngine *engine);

G_END_DECLS
