/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include "signpost-sync-error.h"

G_DEFINE_QUARK (signpost-sync-error-quark, signpost_sync_error)
