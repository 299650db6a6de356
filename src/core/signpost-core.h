/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* libsignpost-core: the model and rules shared by server, console and
 * simulator. No GTK, no server code. */

#include "signpost-booking.h"
#include "signpost-csv-reader.h"
#include "signpost-data-age.h"
#include "signpost-db.h"
#include "signpost-enum-types.h"
#include "signpost-enums.h"
#include "signpost-error.h"
#include "signpost-failed-contact.h"
#include "signpost-format.h"
#include "signpost-funnel.h"
#include "signpost-import-values.h"
#include "signpost-json.h"
#include "signpost-model.h"
#include "signpost-namesakes.h"
#include "signpost-nhs-number.h"
#include "signpost-object.h"
#include "signpost-phone-number.h"
#include "signpost-time.h"
