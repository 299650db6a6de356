/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SIGNPOST_NHS_NUMBER_LENGTH 10

int       signpost_nhs_number_check_digit (const char  *first_nine);
gboolean  signpost_nhs_number_is_valid    (const char  *digits);
char     *signpost_nhs_number_normalise   (const char  *input,
                                           GError     **error);
char     *signpost_nhs_number_format      (const char  *digits);

G_END_DECLS
