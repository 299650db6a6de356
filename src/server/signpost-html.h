/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Writing HTML by hand, safely: every value that did not come from a
 * string literal in our own code goes through one of these. */

/* Appends @text with &, <, >, " and ' escaped: safe in element content and
 * in a double-quoted attribute value. NULL appends nothing. */
void  signpost_html_text      (GString    *out,
                               const char *text);
/* Appends ` name="value"` with @value escaped. */
void  signpost_html_attr      (GString    *out,
                               const char *name,
                               const char *value);
/* Appends @text escaped, each line break as <br>. */
void  signpost_html_lines     (GString    *out,
                               const char *text);
char *signpost_html_escape    (const char *text);

G_END_DECLS
