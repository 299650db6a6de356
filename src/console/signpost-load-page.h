/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_LOAD_PAGE (signpost_load_page_get_type ())
G_DECLARE_FINAL_TYPE (SignpostLoadPage, signpost_load_page, SIGNPOST, LOAD_PAGE, AdwBin)

/* A page of the main window, bound to the sync engine of the signed-in
 * user (:engine). This shell shows what the page is for until the page
 * itself is built on the engine's models. */
SignpostSyncEngine *signpost_load_page_get_engine (SignpostLoadPage *self);
void                signpost_load_page_set_engine (SignpostLoadPage   *self,
                                                   SignpostSyncEngine *engine);

G_END_DECLS
