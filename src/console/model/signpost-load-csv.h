/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-load-stats.h"

G_BEGIN_DECLS

/* CSV as RFC 4180 has it: CRLF after every record; a field holding a
 * comma, a double quote, CR or LF in double quotes, with its double quotes
 * doubled. Not a class: plain functions. */

void  signpost_csv_append_field   (GString          *out,
                                   const char       *field,
                                   gboolean          first);
void  signpost_csv_end_record     (GString          *out);

/* The day's figures: a header, one record per 15-minute interval (local
 * start and end, the UTC start, every count and time of /stats/day) and a
 * last record of the day's totals ("total" as its start). Numbers with a
 * full stop whatever the locale; no value is an empty field. */
char *signpost_load_csv_for_day   (SignpostDayStats *day,
                                   const char       *practice_name,
                                   GTimeZone        *tz,
                                   gsize            *length);

G_END_DECLS
