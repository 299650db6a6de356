/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-core.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_IMPORT_TABLE (signpost_import_table_get_type ())
G_DECLARE_FINAL_TYPE (SignpostImportTable, signpost_import_table, SIGNPOST, IMPORT_TABLE, GObject)

typedef enum {
  SIGNPOST_IMPORT_PATIENTS,
  SIGNPOST_IMPORT_CLINICIANS,
  SIGNPOST_IMPORT_SESSIONS,
} SignpostImportKind;

/* The columns of each kind of list, in the order of their Signpost names
 * (docs/IMPORT.md). A row's cells come back indexed by these. */
typedef enum {
  SIGNPOST_PATIENT_COLUMN_PATIENT_REF,
  SIGNPOST_PATIENT_COLUMN_NHS_NUMBER,
  SIGNPOST_PATIENT_COLUMN_FAMILY_NAME,
  SIGNPOST_PATIENT_COLUMN_GIVEN_NAME,
  SIGNPOST_PATIENT_COLUMN_DATE_OF_BIRTH,
  SIGNPOST_PATIENT_COLUMN_SEX,
  SIGNPOST_PATIENT_COLUMN_POSTCODE,
  SIGNPOST_PATIENT_COLUMN_MOBILE,
  SIGNPOST_PATIENT_COLUMN_HOME_PHONE,
  SIGNPOST_PATIENT_COLUMN_WORK_PHONE,
  SIGNPOST_PATIENT_COLUMN_USUAL_GP,
  SIGNPOST_PATIENT_COLUMN_ALERTS,
  SIGNPOST_PATIENT_N_COLUMNS
} SignpostPatientColumn;

typedef enum {
  SIGNPOST_CLINICIAN_COLUMN_TITLE,
  SIGNPOST_CLINICIAN_COLUMN_GIVEN_NAME,
  SIGNPOST_CLINICIAN_COLUMN_FAMILY_NAME,
  SIGNPOST_CLINICIAN_COLUMN_PROFESSION,
  SIGNPOST_CLINICIAN_COLUMN_DUTY,
  SIGNPOST_CLINICIAN_N_COLUMNS
} SignpostClinicianColumn;

typedef enum {
  SIGNPOST_SESSION_COLUMN_DATE,
  SIGNPOST_SESSION_COLUMN_CLINICIAN,
  SIGNPOST_SESSION_COLUMN_START,
  SIGNPOST_SESSION_COLUMN_END,
  SIGNPOST_SESSION_COLUMN_SLOT_LENGTH,
  SIGNPOST_SESSION_COLUMN_MODE,
  SIGNPOST_SESSION_COLUMN_RELEASE,
  SIGNPOST_SESSION_COLUMN_HUB_BOOKABLE,
  SIGNPOST_SESSION_N_COLUMNS
} SignpostSessionColumn;

/* Lists larger than this are refused before they are read (docs/IMPORT.md). */
#define SIGNPOST_IMPORT_MAX_FILE_BYTES (64 * 1024 * 1024)

const char          *signpost_import_kind_to_string    (SignpostImportKind    kind);
gboolean             signpost_import_format_is_known   (const char           *format);
GKeyFile            *signpost_import_mapping_parse     (const char           *data,
                                                        gsize                 length,
                                                        GError              **error);

SignpostImportTable *signpost_import_table_new         (SignpostImportKind    kind,
                                                        GBytes               *file,
                                                        const char           *format,
                                                        GKeyFile             *mapping,
                                                        GError              **error);
const char          *signpost_import_table_get_encoding (SignpostImportTable *self);
GStrv                signpost_import_table_get_ignored  (SignpostImportTable *self);
gboolean             signpost_import_table_has_column   (SignpostImportTable *self,
                                                         guint                column);
const char          *signpost_import_table_get_label    (SignpostImportTable *self,
                                                         guint                column);
gboolean             signpost_import_table_next         (SignpostImportTable *self,
                                                         GStrv               *cells,
                                                         guint               *line,
                                                         gboolean            *too_many_fields,
                                                         GError             **error);

G_END_DECLS
