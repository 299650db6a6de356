/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* libsignpost-sync: what the console's pages use. */

#include "signpost-actions.h"
#include "signpost-cache.h"
#include "signpost-call-event.h"
#include "signpost-call-hub.h"
#include "signpost-call-list-model.h"
#include "signpost-hub-stats.h"
#include "signpost-load-stats.h"
#include "signpost-outbox.h"
#include "signpost-outbox-item.h"
#include "signpost-patient-search-model.h"
#include "signpost-queue-summary.h"
#include "signpost-record-list.h"
#include "signpost-request-draft.h"
#include "signpost-request-list-model.h"
#include "signpost-slot-list-model.h"
#include "signpost-sync-engine.h"
#include "signpost-sync-enum-types.h"
#include "signpost-sync-enums.h"
#include "signpost-sync-error.h"
#include "signpost-triage-list-model.h"
