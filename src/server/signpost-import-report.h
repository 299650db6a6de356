/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-core.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_IMPORT_REPORT (signpost_import_report_get_type ())
G_DECLARE_FINAL_TYPE (SignpostImportReport, signpost_import_report, SIGNPOST, IMPORT_REPORT, GObject)

/* What an import did, row by row where a row was refused. A rejection
 * names the line, the column (as the file calls it) and the reason, and
 * never holds more of the row than that. */

typedef enum {
  SIGNPOST_IMPORT_COUNT_ROWS,       /* data rows read */
  SIGNPOST_IMPORT_COUNT_CREATED,
  SIGNPOST_IMPORT_COUNT_UPDATED,
  SIGNPOST_IMPORT_COUNT_UNCHANGED,
  SIGNPOST_IMPORT_COUNT_LEFT,       /* patients no longer on a full list */
  SIGNPOST_IMPORT_COUNT_REJOINED,   /* patients back on the list */
  SIGNPOST_IMPORT_COUNT_REJECTED,   /* rows refused */
  SIGNPOST_IMPORT_COUNT_SKIPPED,    /* slots left alone: booked */
  SIGNPOST_IMPORT_N_COUNTS
} SignpostImportCount;

/* Exit statuses of the admin commands (and the "status" of the report). */
#define SIGNPOST_IMPORT_EXIT_APPLIED  0
#define SIGNPOST_IMPORT_EXIT_FAILED   1
#define SIGNPOST_IMPORT_EXIT_REJECTED 3

SignpostImportReport *signpost_import_report_new         (const char            *what,
                                                          gboolean               dry_run);
void                  signpost_import_report_add         (SignpostImportReport  *self,
                                                          SignpostImportCount    count,
                                                          gint64                 n);
gint64                signpost_import_report_get_count   (SignpostImportReport  *self,
                                                          SignpostImportCount    count);
void                  signpost_import_report_reject      (SignpostImportReport  *self,
                                                          guint                  line,
                                                          const char            *column,
                                                          const char            *reason);
/* Rows rejected (not fields). */
guint                 signpost_import_report_get_n_rejections (SignpostImportReport *self);
void                  signpost_import_report_note        (SignpostImportReport  *self,
                                                          const char            *note);
void                  signpost_import_report_set_encoding (SignpostImportReport *self,
                                                          const char            *encoding);
void                  signpost_import_report_fail        (SignpostImportReport  *self,
                                                          const GError          *error);
const GError         *signpost_import_report_get_failure (SignpostImportReport  *self);
int                   signpost_import_report_get_exit_status (SignpostImportReport *self);
char                 *signpost_import_report_to_text     (SignpostImportReport  *self);
JsonObject           *signpost_import_report_to_json     (SignpostImportReport  *self);

G_END_DECLS
