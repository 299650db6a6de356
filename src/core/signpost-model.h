/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/* Every model type, for code that deals in records generally. */

#include "signpost-alert.h"
#include "signpost-appointment.h"
#include "signpost-call.h"
#include "signpost-change.h"
#include "signpost-clinician.h"
#include "signpost-duty-period.h"
#include "signpost-mutation.h"
#include "signpost-mutation-result.h"
#include "signpost-online-request.h"
#include "signpost-opening-hours.h"
#include "signpost-patient.h"
#include "signpost-patient-details.h"
#include "signpost-phone.h"
#include "signpost-practice.h"
#include "signpost-record.h"
#include "signpost-route.h"
#include "signpost-slot.h"
#include "signpost-triage.h"
#include "signpost-user.h"
