/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

gboolean  signpost_phone_is_withheld     (const char  *cli);
char     *signpost_phone_normalise       (const char  *input,
                                          GError     **error);
gboolean  signpost_phone_is_e164         (const char  *number);
gboolean  signpost_phone_is_uk           (const char  *e164);
char     *signpost_phone_format          (const char  *e164);

G_END_DECLS
