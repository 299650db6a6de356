/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/**
 * SignpostFormat:
 *
 * What a string field must look like on the wire. The wire is strict
 * (canonical forms only); turning what people type into these forms is the
 * job of the normalise helpers (signpost_phone_normalise() and friends).
 */
typedef enum {
  SIGNPOST_FORMAT_TEXT,        /* any single-line text */
  SIGNPOST_FORMAT_MULTILINE,   /* free text: newlines and tabs allowed */
  SIGNPOST_FORMAT_UUID,        /* lower-case canonical UUID */
  SIGNPOST_FORMAT_DATE,        /* YYYY-MM-DD */
  SIGNPOST_FORMAT_E164,        /* +447700900123 */
  SIGNPOST_FORMAT_NHS_NUMBER,  /* ten digits, valid check digit */
  SIGNPOST_FORMAT_ODS_CODE,    /* Y01234 */
  SIGNPOST_FORMAT_TIME_ZONE,   /* Europe/London */
  SIGNPOST_FORMAT_KEY,         /* short lower-case token: chest_pain */
  SIGNPOST_FORMAT_POSTCODE,    /* SW1A 1AA */
  SIGNPOST_FORMAT_USERNAME,    /* jsmith, a.n.other */
  SIGNPOST_FORMAT_TIME_OF_DAY, /* 08:00, 18:30; 24:00 is the end of the day */
  SIGNPOST_FORMAT_REFERENCE,   /* an online request's reference: ABC-1234 */
} SignpostFormat;

gboolean    signpost_format_check        (SignpostFormat   format,
                                          const char      *value,
                                          GError         **error);
gboolean    signpost_uuid_is_canonical   (const char      *value);
char       *signpost_postcode_normalise  (const char      *input,
                                          GError         **error);
void        signpost_csv_append          (GString         *out,
                                          const char      *field,
                                          gboolean         text);

G_END_DECLS
