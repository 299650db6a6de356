/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-sync.h"

G_BEGIN_DECLS

/* How the diary writes slots, clinicians and appointments, the same on
 * screen, in dialogs and on the printed day list. Plain functions. */

const char *signpost_slot_mode_label              (SignpostSlotMode           mode);
const char *signpost_slot_mode_icon_name          (SignpostSlotMode           mode);
const char *signpost_profession_label             (SignpostProfession         profession);
const char *signpost_appointment_status_label     (SignpostAppointmentStatus  status);
char       *signpost_clinician_format_name        (SignpostClinician         *clinician);
gboolean    signpost_clinician_is_on_duty         (SignpostClinician         *clinician,
                                                   GDateTime                 *from,
                                                   GDateTime                 *to);
/* "Embargoed until 08:00" (or "… 08:00 on Tue 24 Nov" for another day). */
char       *signpost_slot_format_embargo          (SignpostSlot              *slot,
                                                   GTimeZone                 *tz);
/* What a slot is to the user: "Free", "Booked", "Blocked", "Embargoed
 * until 08:00", "Practice only" (from the booking rules). */
char       *signpost_slot_format_status           (SignpostSlot              *slot,
                                                   const SignpostSlotBooker  *booker,
                                                   GTimeZone                 *tz);
/* "Mon 23 Nov, 09:10" in @tz. */
char       *signpost_slot_format_when             (SignpostSlot              *slot,
                                                   GTimeZone                 *tz);
/* "Mon 23 Nov, 09:10, Dr Asha Patel (GP), telephone" */
char       *signpost_slot_describe                (SignpostSlot              *slot,
                                                   SignpostClinician         *clinician,
                                                   GTimeZone                 *tz);
/* The practice's time zone (Europe/London when unknown). */
GTimeZone  *signpost_practice_time_zone           (SignpostCache             *cache,
                                                   const char                *practice_id);

G_END_DECLS
