/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "signpost-diary-day.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_DAY_LIST_PRINT (signpost_day_list_print_get_type ())
G_DECLARE_FINAL_TYPE (SignpostDayListPrint, signpost_day_list_print, SIGNPOST, DAY_LIST_PRINT, GtkPrintOperation)

/* The printed day list, the fallback when systems are down: the
 * practice's name and the date, then per clinician every slot with its
 * time, type and what it holds (patient name, date of birth, NHS number,
 * reason, status), free ones too so bookings can go on paper. Taken from
 * @day when made; print it (or export a PDF) with GtkPrintOperation. */
SignpostDayListPrint *signpost_day_list_print_new      (SignpostDiaryDay *day,
                                                        const char       *clinician_id);
guint                 signpost_day_list_print_get_n_entries (SignpostDayListPrint *self);

G_END_DECLS
