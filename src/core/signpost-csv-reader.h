/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SIGNPOST_TYPE_CSV_READER (signpost_csv_reader_get_type ())
G_DECLARE_FINAL_TYPE (SignpostCsvReader, signpost_csv_reader, SIGNPOST, CSV_READER, GObject)

/* A field longer than this, or a record with more fields, means the file is
 * not the kind of CSV a clinical system writes: it is refused whole. */
#define SIGNPOST_CSV_MAX_FIELD_BYTES (1024 * 1024)
#define SIGNPOST_CSV_MAX_FIELDS 1000

SignpostCsvReader *signpost_csv_reader_new          (GBytes             *bytes,
                                                     GError            **error);
const char        *signpost_csv_reader_get_encoding (SignpostCsvReader  *self);
gboolean           signpost_csv_reader_next         (SignpostCsvReader  *self,
                                                     GStrv              *fields,
                                                     guint              *line,
                                                     GError            **error);

G_END_DECLS
