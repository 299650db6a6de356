/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SIGNPOST_DEFAULT_TIME_ZONE "Europe/London"

GTimeZone *signpost_time_zone_new        (const char  *identifier,
                                          GError     **error);
gboolean   signpost_time_zone_is_known   (const char  *identifier);

char      *signpost_timestamp_format     (GDateTime   *instant);
GDateTime *signpost_timestamp_parse      (const char  *text,
                                          GError     **error);

gboolean   signpost_date_parse           (const char  *text,
                                          GDate       *date,
                                          GError     **error);
char      *signpost_date_format          (const GDate *date);

int        signpost_age_on               (const GDate *date_of_birth,
                                          GDateTime   *now,
                                          GTimeZone   *tz);
int        signpost_age_from_iso_date    (const char  *date_of_birth,
                                          GDateTime   *now,
                                          GTimeZone   *tz);

GDateTime *signpost_local_time_to_utc    (const GDate *date,
                                          int          hour,
                                          int          minute,
                                          GTimeZone   *tz);
char      *signpost_format_local         (GDateTime   *instant,
                                          GTimeZone   *tz,
                                          const char  *format);
gboolean   signpost_time_of_day_parse    (const char  *text,
                                          int         *minutes);
char      *signpost_time_of_day_format   (int          minutes);
void       signpost_local_date           (GDateTime   *instant,
                                          GTimeZone   *tz,
                                          GDate       *date);

G_END_DECLS
