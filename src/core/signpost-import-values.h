/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

#include "signpost-enums.h"

G_BEGIN_DECLS

/* Turning the cells of an imported list (what clinical systems export and
 * people type into spreadsheets) into Signpost's canonical values. Each
 * parser says no rather than guess. */

char     *signpost_import_clean_text         (const char          *cell);
gboolean  signpost_import_looks_like_formula (const char          *text);
gboolean  signpost_import_parse_date         (const char          *text,
                                              GDate               *date);
gboolean  signpost_import_parse_time         (const char          *text,
                                              int                 *hour,
                                              int                 *minute);
gboolean  signpost_import_parse_sex          (const char          *text,
                                              SignpostSex         *sex);
gboolean  signpost_import_parse_boolean      (const char          *text,
                                              gboolean            *value);
gboolean  signpost_import_parse_profession   (const char          *text,
                                              SignpostProfession  *profession);
gboolean  signpost_import_parse_slot_mode    (const char          *text,
                                              SignpostSlotMode    *mode);
gboolean  signpost_import_parse_alert_kind   (const char          *text,
                                              SignpostAlertKind   *kind);
GStrv     signpost_import_name_tokens        (const char          *name);
char     *signpost_uuid_from_name            (const char          *namespace_uuid,
                                              const char          *name);

G_END_DECLS
