/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_APPLICATION (signpost_application_get_type ())
G_DECLARE_FINAL_TYPE (SignpostApplication, signpost_application, SIGNPOST, APPLICATION, AdwApplication)

SignpostApplication *signpost_application_new         (void);
SignpostSyncEngine  *signpost_application_get_engine  (SignpostApplication *self);
GSettings           *signpost_application_get_settings (SignpostApplication *self);

G_END_DECLS
