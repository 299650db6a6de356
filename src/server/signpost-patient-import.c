/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-import-private.h"

/*
 * A practice's patient list, in and refreshed.
 *
 * Every row is checked first; a row with anything wrong is rejected whole
 * and the report says which line, which column and why, never quoting the
 * row. Rows match patients already here by patient_ref when the row has
 * one, else by NHS number, else by name and date of birth. A patient whose
 * imported fields are what is stored already is left alone (no new
 * version, nothing in the change feed); one that differs gets one new
 * version. On a full list (the default), a registered patient the list no
 * longer holds gets left_at: they left the practice, and are kept for the
 * record. A temporary resident is never on the clinical system's list and
 * is never marked. When a rejected row cannot be matched to anybody, the
 * list might have been hiding someone: then nobody is marked as having
 * left, and the report says so.
 *
 * The file is read and the plan made before the write transaction opens,
 * so that the database is locked for the writing only; if the practice's
 * patients changed in between, the plan is made again inside it.
 */

#define MAX_NAME 100
#define MAX_REF 64
#define MAX_ALERT_TEXT 200
#define MAX_ALERTS 20

typedef struct {
  SignpostAlertKind kind;
  char *text;
} RowAlert;

typedef struct {
  guint line;
  gboolean rejected;
  gboolean keyed;         /* a rejected row whose identity is known */
  char *ref;
  char *nhs;
  char *name_key;         /* family|given|date of birth, folded */
  char *family;
  char *given;
  char *dob;
  SignpostSex sex;
  char *postcode;
  char *phones[3];        /* mobile, home, work: E.164 */
  char *usual_id;
  GArray *alerts;         /* RowAlert, or NULL for none */
  guint matched;          /* index + 1 in the existing patients, or 0 */
} Row;

typedef struct {
  SignpostApplyContext *ctx;
  SignpostPractice *practice;
  const char *practice_id;
  const SignpostImportOptions *options;
  SignpostImportReport *report;
  SignpostImportTable *table;
  SignpostClinicianMatcher *clinicians;
  GDate today;
  GArray *rows;           /* Row */
  guint unkeyed_rejections;
} PatientImport;

static void
row_clear (Row *row)
{
  g_free (row->ref);
  g_free (row->nhs);
  g_free (row->name_key);
  g_free (row->family);
  g_free (row->given);
  g_free (row->dob);
  g_free (row->postcode);
  for (guint i = 0; i < G_N_ELEMENTS (row->phones); i++)
    g_free (row->phones[i]);
  g_free (row->usual_id);
  g_clear_pointer (&row->alerts, g_array_unref);
}

static void
row_alert_clear (RowAlert *alert)
{
  g_free (alert->text);
}

static char *
name_key (const char *family,
          const char *given,
          const char *dob)
{
  g_autofree char *joined = NULL;

  if (family == NULL || given == NULL || dob == NULL)
    return NULL;
  joined = g_strjoin ("|", family, given, dob, NULL);
  return g_utf8_casefold (joined, -1);
}

/* ---- reading a row ----------------------------------------------------- */

static void
reject (PatientImport *import,
        Row           *row,
        guint          column,
        const char    *reason)
{
  row->rejected = TRUE;
  signpost_import_report_reject (import->report, row->line,
                                 column < SIGNPOST_PATIENT_N_COLUMNS
                                   ? signpost_import_table_get_label (import->table, column)
                                   : NULL,
                                 reason);
}

/* FALSE when the cell is at fault (and the row rejected). */
static gboolean
text_field (PatientImport *import,
            Row           *row,
            GStrv          cells,
            guint          column,
            guint          max_chars,
            char         **out)
{
  g_autofree char *reason = NULL;

  if (signpost_import_text (cells[column], max_chars, out, &reason))
    return TRUE;
  reject (import, row, column, reason);
  return FALSE;
}

static void
read_phone (PatientImport *import,
            Row           *row,
            GStrv          cells,
            guint          column,
            char         **out)
{
  g_autofree char *clean = signpost_import_clean_text (cells[column]);
  g_autoptr(GError) error = NULL;
  g_autofree char *e164 = NULL;

  if (clean == NULL)
    return;
  e164 = signpost_phone_normalise (clean, &error);
  if (e164 == NULL)
    {
      /* Translators: %s says what is wrong with the number */
      g_autofree char *reason = g_strdup_printf (_("cannot be a UK phone number: %s"),
                                                 error->message);
      reject (import, row, column, reason);
      return;
    }
  if (!signpost_phone_is_uk (e164))
    {
      reject (import, row, column, _("is not a UK phone number"));
      return;
    }
  *out = g_steal_pointer (&e164);
}

static void
read_alerts (PatientImport *import,
             Row           *row,
             GStrv          cells)
{
  g_autofree char *clean = signpost_import_clean_text (cells[SIGNPOST_PATIENT_COLUMN_ALERTS]);
  g_auto(GStrv) items = NULL;

  if (clean == NULL)
    return;
  items = g_strsplit (clean, ";", -1);
  for (guint i = 0; items[i] != NULL; i++)
    {
      g_autofree char *item = signpost_import_clean_text (items[i]);
      g_autofree char *text = NULL;
      g_autofree char *reason = NULL;
      char *colon;
      SignpostAlertKind kind;

      if (item == NULL)
        continue;
      colon = strchr (item, ':');
      if (colon != NULL)
        *colon = '\0';
      if (!signpost_import_parse_alert_kind (item, &kind))
        {
          reject (import, row, SIGNPOST_PATIENT_COLUMN_ALERTS,
                  _("holds an alert that is not interpreter, carer, hearing, sight, "
                    "vulnerable, text relay or other"));
          return;
        }
      if (colon != NULL && !signpost_import_text (colon + 1, MAX_ALERT_TEXT, &text, &reason))
        {
          reject (import, row, SIGNPOST_PATIENT_COLUMN_ALERTS, reason);
          return;
        }
      if (row->alerts == NULL)
        {
          row->alerts = g_array_new (FALSE, TRUE, sizeof (RowAlert));
          g_array_set_clear_func (row->alerts, (GDestroyNotify) row_alert_clear);
        }
      if (row->alerts->len == MAX_ALERTS)
        {
          reject (import, row, SIGNPOST_PATIENT_COLUMN_ALERTS, _("holds more than 20 alerts"));
          return;
        }
      {
        RowAlert alert = { kind, g_steal_pointer (&text) };

        g_array_append_val (row->alerts, alert);
      }
    }
}

static void
read_row (PatientImport *import,
          Row           *row,
          GStrv          cells,
          gboolean       too_many_fields)
{
  g_autofree char *nhs = NULL;
  g_autofree char *dob = NULL;
  g_autofree char *sex = NULL;
  g_autofree char *postcode = NULL;
  g_autofree char *usual = NULL;

  /* The identity first, so that a rejected row can still say who it is. */
  text_field (import, row, cells, SIGNPOST_PATIENT_COLUMN_PATIENT_REF, MAX_REF, &row->ref);
  nhs = signpost_import_clean_text (cells[SIGNPOST_PATIENT_COLUMN_NHS_NUMBER]);
  if (nhs != NULL)
    {
      g_autoptr(GError) error = NULL;

      row->nhs = signpost_nhs_number_normalise (nhs, &error);
      if (row->nhs == NULL)
        {
          guint digits = 0;
          gboolean only_digits = TRUE;

          for (const char *p = nhs; *p != '\0'; p++)
            {
              if (g_ascii_isdigit (*p))
                digits++;
              else if (*p != ' ' && *p != '-')
                only_digits = FALSE;
            }
          reject (import, row, SIGNPOST_PATIENT_COLUMN_NHS_NUMBER,
                  only_digits && digits == SIGNPOST_NHS_NUMBER_LENGTH
                    ? _("is not a valid NHS number: the check digit is wrong")
                    : error->message);
        }
    }
  if (text_field (import, row, cells, SIGNPOST_PATIENT_COLUMN_FAMILY_NAME, MAX_NAME, &row->family) &&
      row->family == NULL)
    reject (import, row, SIGNPOST_PATIENT_COLUMN_FAMILY_NAME, _("is empty"));
  if (text_field (import, row, cells, SIGNPOST_PATIENT_COLUMN_GIVEN_NAME, MAX_NAME, &row->given) &&
      row->given == NULL)
    reject (import, row, SIGNPOST_PATIENT_COLUMN_GIVEN_NAME, _("is empty"));
  dob = signpost_import_clean_text (cells[SIGNPOST_PATIENT_COLUMN_DATE_OF_BIRTH]);
  if (dob != NULL)
    {
      GDate date;

      g_date_clear (&date, 1);
      if (!signpost_import_parse_date (dob, &date))
        reject (import, row, SIGNPOST_PATIENT_COLUMN_DATE_OF_BIRTH,
                _("is not a date that exists (write 1980-02-29 or 29/02/1980)"));
      else if (g_date_compare (&date, &import->today) > 0)
        reject (import, row, SIGNPOST_PATIENT_COLUMN_DATE_OF_BIRTH, _("is in the future"));
      else
        row->dob = signpost_date_format (&date);
    }
  row->name_key = name_key (row->family, row->given, row->dob);
  row->keyed = row->ref != NULL || row->nhs != NULL || row->name_key != NULL;
  if (dob == NULL)
    reject (import, row, SIGNPOST_PATIENT_COLUMN_DATE_OF_BIRTH, _("is empty"));

  sex = signpost_import_clean_text (cells[SIGNPOST_PATIENT_COLUMN_SEX]);
  row->sex = SIGNPOST_SEX_UNKNOWN;
  if (sex != NULL && !signpost_import_parse_sex (sex, &row->sex))
    reject (import, row, SIGNPOST_PATIENT_COLUMN_SEX,
            _("is not a sex code: use M, F, I (indeterminate) or U (unknown)"));

  postcode = signpost_import_clean_text (cells[SIGNPOST_PATIENT_COLUMN_POSTCODE]);
  if (postcode != NULL)
    {
      row->postcode = signpost_postcode_normalise (postcode, NULL);
      if (row->postcode == NULL)
        reject (import, row, SIGNPOST_PATIENT_COLUMN_POSTCODE, _("is not a UK postcode"));
    }

  read_phone (import, row, cells, SIGNPOST_PATIENT_COLUMN_MOBILE, &row->phones[0]);
  read_phone (import, row, cells, SIGNPOST_PATIENT_COLUMN_HOME_PHONE, &row->phones[1]);
  read_phone (import, row, cells, SIGNPOST_PATIENT_COLUMN_WORK_PHONE, &row->phones[2]);

  usual = signpost_import_clean_text (cells[SIGNPOST_PATIENT_COLUMN_USUAL_GP]);
  if (usual != NULL)
    {
      const char *reason = NULL;
      const char *id = signpost_clinician_matcher_find (import->clinicians, usual, &reason);

      if (id == NULL)
        reject (import, row, SIGNPOST_PATIENT_COLUMN_USUAL_GP, reason);
      else
        row->usual_id = g_strdup (id);
    }
  read_alerts (import, row, cells);

  if (too_many_fields)
    reject (import, row, G_MAXUINT, _("has more fields than the header"));
}

/* Rows sharing an NHS number (or a patient_ref) cannot both be right:
 * every one of them is rejected. */
static void
reject_duplicates (PatientImport *import,
                   gboolean       by_ref)
{
  g_autoptr(GHashTable) first = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) clash = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < import->rows->len; i++)
    {
      Row *row = &g_array_index (import->rows, Row, i);
      const char *key = by_ref ? row->ref : row->nhs;
      gpointer other;

      if (key == NULL)
        continue;
      if (g_hash_table_lookup_extended (first, key, NULL, &other))
        {
          g_hash_table_add (clash, GUINT_TO_POINTER (i + 1));
          g_hash_table_add (clash, other);
        }
      else
        g_hash_table_insert (first, (gpointer) key, GUINT_TO_POINTER (i + 1));
    }
  for (guint i = 0; i < import->rows->len; i++)
    {
      Row *row = &g_array_index (import->rows, Row, i);
      Row *other;
      g_autofree char *reason = NULL;

      if (!g_hash_table_contains (clash, GUINT_TO_POINTER (i + 1)))
        continue;
      other = &g_array_index (import->rows, Row,
                              GPOINTER_TO_UINT (g_hash_table_lookup (first, by_ref ? row->ref
                                                                                   : row->nhs)) - 1);
      if (other == row)
        {
          /* The first of the group names the next one. */
          for (guint j = i + 1; j < import->rows->len; j++)
            {
              Row *next = &g_array_index (import->rows, Row, j);

              if (g_strcmp0 (by_ref ? next->ref : next->nhs, by_ref ? row->ref : row->nhs) == 0)
                {
                  other = next;
                  break;
                }
            }
        }
      /* Translators: %u is a line number */
      reason = g_strdup_printf (by_ref ? _("is the same patient_ref as on line %u")
                                       : _("is the same NHS number as on line %u"),
                                other->line);
      reject (import, row, by_ref ? SIGNPOST_PATIENT_COLUMN_PATIENT_REF
                                  : SIGNPOST_PATIENT_COLUMN_NHS_NUMBER, reason);
    }
}

static gboolean
read_rows (PatientImport *import)
{
  g_autoptr(GError) error = NULL;
  GStrv cells = NULL;
  guint line = 0;
  gboolean too_many = FALSE;

  while (signpost_import_table_next (import->table, &cells, &line, &too_many, &error))
    {
      Row row = { 0 };

      row.line = line;
      read_row (import, &row, cells, too_many);
      g_strfreev (cells);
      g_array_append_val (import->rows, row);
    }
  if (error != NULL)
    {
      signpost_import_report_fail (import->report, error);
      return FALSE;
    }
  if (import->rows->len == 0)
    {
      signpost_set_field_error (&error, SIGNPOST_ERROR_INVALID, "file",
                                _("has a header but no rows"));
      signpost_import_report_fail (import->report, error);
      return FALSE;
    }
  signpost_import_report_add (import->report, SIGNPOST_IMPORT_COUNT_ROWS, import->rows->len);
  reject_duplicates (import, FALSE);
  reject_duplicates (import, TRUE);
  for (guint i = 0; i < import->rows->len; i++)
    {
      Row *row = &g_array_index (import->rows, Row, i);

      if (row->rejected && !row->keyed)
        import->unkeyed_rejections++;
    }
  return TRUE;
}

/* ---- the plan ---------------------------------------------------------- */

/* A patient already here, as much as matching needs. */
typedef struct {
  char *id;
  char *ref;
  char *nhs;
  char *name_key;
  gboolean left;
  gboolean temporary;
  guint8 content[32];     /* SHA-256 of the stored JSON after its metadata */
} Existing;

typedef enum {
  ACTION_CREATE,
  ACTION_UPDATE,
  ACTION_LEAVE,
} ActionKind;

typedef struct {
  ActionKind kind;
  guint row;              /* ACTION_CREATE */
  SignpostPatient *next;  /* ACTION_UPDATE, ACTION_LEAVE: the next version */
} Action;

typedef struct {
  GArray *existing;       /* Existing */
  GArray *actions;        /* Action */
  gint64 counts[SIGNPOST_IMPORT_N_COUNTS];
} Plan;

static void
existing_clear (Existing *existing)
{
  g_free (existing->id);
  g_free (existing->ref);
  g_free (existing->nhs);
  g_free (existing->name_key);
}

static void
action_clear (Action *action)
{
  g_clear_object (&action->next);
}

static void
plan_clear (Plan *plan)
{
  g_clear_pointer (&plan->existing, g_array_unref);
  g_clear_pointer (&plan->actions, g_array_unref);
  memset (plan->counts, 0, sizeof plan->counts);
}

/* A record's canonical JSON starts with its metadata (id, practice_id,
 * version, updated_at, seq) and goes on with its fields, always in the
 * same order: two versions hold the same patient when what follows
 * "seq" is the same. */
static void
content_digest (const char *data,
                gsize       length,
                guint8      digest[32])
{
  g_autoptr(GChecksum) sha = g_checksum_new (G_CHECKSUM_SHA256);
  const char *seq = g_strstr_len (data, length, "\"seq\":");
  const char *content = data;
  gsize digest_length = 32;

  if (seq != NULL)
    {
      content = seq + 6;
      while (content < data + length && *content != ',' && *content != '}')
        content++;
    }
  g_checksum_update (sha, (const guchar *) content, data + length - content);
  g_checksum_get_digest (sha, digest, &digest_length);
}

static gboolean
gather_existing (const SignpostStoredPatient *patient,
                 gpointer                     data)
{
  GArray *existing = data;
  Existing entry = { 0 };

  entry.id = g_strdup (patient->id);
  entry.ref = g_strdup (patient->patient_ref);
  entry.nhs = g_strdup (patient->nhs_number);
  entry.name_key = name_key (patient->family_name, patient->given_name, patient->date_of_birth);
  entry.left = patient->left;
  entry.temporary = patient->temporary;
  content_digest (patient->data, patient->data_length, entry.content);
  g_array_append_val (existing, entry);
  return TRUE;
}

static void
index_add (GHashTable *index,
           const char *key,
           guint       position)
{
  if (key == NULL)
    return;
  /* A key two patients share identifies neither. */
  if (g_hash_table_contains (index, key))
    g_hash_table_insert (index, (gpointer) key, GUINT_TO_POINTER (0));
  else
    g_hash_table_insert (index, (gpointer) key, GUINT_TO_POINTER (position));
}

static guint
index_find (GHashTable *index,
            const char *key)
{
  return key != NULL ? GPOINTER_TO_UINT (g_hash_table_lookup (index, key)) : 0;
}

static void
row_apply (Row             *row,
           SignpostPatient *patient)
{
  static const SignpostPhoneKind kinds[] = {
    SIGNPOST_PHONE_KIND_MOBILE, SIGNPOST_PHONE_KIND_HOME, SIGNPOST_PHONE_KIND_WORK,
  };
  g_autoptr(GListStore) phones = g_list_store_new (SIGNPOST_TYPE_PHONE);
  g_autoptr(GListStore) alerts = g_list_store_new (SIGNPOST_TYPE_ALERT);

  signpost_patient_set_patient_ref (patient, row->ref);
  signpost_patient_set_nhs_number (patient, row->nhs);
  signpost_patient_set_family_name (patient, row->family);
  signpost_patient_set_given_name (patient, row->given);
  signpost_patient_set_date_of_birth (patient, row->dob);
  signpost_patient_set_sex (patient, row->sex);
  signpost_patient_set_postcode (patient, row->postcode);
  for (guint i = 0; i < G_N_ELEMENTS (row->phones); i++)
    {
      g_autoptr(SignpostPhone) phone = NULL;
      gboolean seen = FALSE;

      if (row->phones[i] == NULL)
        continue;
      for (guint j = 0; j < i; j++)
        seen = seen || g_strcmp0 (row->phones[j], row->phones[i]) == 0;
      if (seen)
        continue;
      phone = signpost_phone_new ();
      signpost_phone_set_number (phone, row->phones[i]);
      signpost_phone_set_kind (phone, kinds[i]);
      g_list_store_append (phones, phone);
    }
  signpost_patient_set_phones (patient, G_LIST_MODEL (phones));
  signpost_patient_set_usual_clinician_id (patient, row->usual_id);
  for (guint i = 0; row->alerts != NULL && i < row->alerts->len; i++)
    {
      g_autoptr(SignpostAlert) alert = signpost_alert_new ();

      signpost_alert_set_kind (alert, g_array_index (row->alerts, RowAlert, i).kind);
      signpost_alert_set_text (alert, g_array_index (row->alerts, RowAlert, i).text);
      g_list_store_append (alerts, alert);
    }
  signpost_patient_set_alerts (patient, G_LIST_MODEL (alerts));
  signpost_patient_set_temporary (patient, FALSE);
  signpost_patient_set_left_at (patient, NULL);
}

/* The row as a new patient of the practice. */
static SignpostPatient *
patient_from_row (PatientImport *import,
                  Row           *row,
                  const char    *id)
{
  SignpostPatient *patient = signpost_patient_new ();

  signpost_record_set_id (SIGNPOST_RECORD (patient), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (patient), import->practice_id);
  row_apply (row, patient);
  return patient;
}

/* Whether the row would leave the patient as stored: a digest of the
 * row's fields, as a record's JSON would hold them, against the stored
 * record's. A difference may still be no change (a field the import does
 * not set, a list stored as null rather than empty): those are looked at
 * whole afterwards. */
static gboolean
same_as_stored (PatientImport *import,
                Row           *row,
                Existing      *existing)
{
  g_autoptr(SignpostPatient) fresh = patient_from_row (import, row, existing->id);
  g_autofree char *text = NULL;
  gsize length = 0;
  guint8 digest[32];

  text = signpost_object_to_string (SIGNPOST_OBJECT (fresh), &length);
  content_digest (text, length, digest);
  return memcmp (digest, existing->content, sizeof digest) == 0;
}

typedef struct {
  GHashTable *wanted;     /* id → GUINT (index + 1) in the existing patients */
  SignpostPatient **current;
  GError *error;
} Fetch;

static gboolean
fetch_wanted (const SignpostStoredPatient *patient,
              gpointer                     data)
{
  Fetch *fetch = data;
  guint index = GPOINTER_TO_UINT (g_hash_table_lookup (fetch->wanted, patient->id));

  if (index == 0)
    return TRUE;
  fetch->current[index - 1] = signpost_object_new_from_string (SIGNPOST_TYPE_PATIENT, patient->data,
                                                               patient->data_length,
                                                               SIGNPOST_DECODE_FULL, &fetch->error);
  return fetch->current[index - 1] != NULL;
}

static gboolean
make_plan (PatientImport  *import,
           Plan           *plan,
           GError        **error)
{
  g_autoptr(GHashTable) by_ref = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) by_nhs = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) by_name = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) wanted = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree gboolean *kept = NULL;
  g_autofree guint *claimed_by = NULL;
  g_autofree guint *update_row = NULL;      /* existing → row index + 1 */
  g_autofree SignpostPatient **current = NULL;
  guint n_existing;

  plan_clear (plan);
  plan->existing = g_array_new (FALSE, TRUE, sizeof (Existing));
  g_array_set_clear_func (plan->existing, (GDestroyNotify) existing_clear);
  plan->actions = g_array_new (FALSE, TRUE, sizeof (Action));
  g_array_set_clear_func (plan->actions, (GDestroyNotify) action_clear);
  if (!signpost_store_foreach_patient (import->ctx->store, import->practice_id, gather_existing,
                                       plan->existing, error))
    return FALSE;
  n_existing = plan->existing->len;
  g_debug ("Read the %u patients here", n_existing);

  for (guint i = 0; i < n_existing; i++)
    {
      Existing *existing = &g_array_index (plan->existing, Existing, i);

      index_add (by_ref, existing->ref, i + 1);
      index_add (by_nhs, existing->nhs, i + 1);
      index_add (by_name, existing->name_key, i + 1);
    }

  kept = g_new0 (gboolean, n_existing + 1);
  claimed_by = g_new0 (guint, n_existing + 1);
  update_row = g_new0 (guint, n_existing + 1);
  for (guint i = 0; i < import->rows->len; i++)
    {
      Row *row = &g_array_index (import->rows, Row, i);
      guint match = index_find (by_ref, row->ref);

      if (match == 0 && row->nhs != NULL)
        {
          match = index_find (by_nhs, row->nhs);
          /* Another patient_ref on the same NHS number is another patient
           * record in the clinical system: not this one. */
          if (match > 0 && row->ref != NULL &&
              g_array_index (plan->existing, Existing, match - 1).ref != NULL)
            match = 0;
        }
      if (match == 0 && row->ref == NULL && row->nhs == NULL)
        match = index_find (by_name, row->name_key);
      row->matched = match;
      if (match > 0)
        kept[match - 1] = TRUE;
    }

  /* Rows of patients here: unchanged, or to be looked at whole. */
  for (guint i = 0; i < import->rows->len; i++)
    {
      Row *row = &g_array_index (import->rows, Row, i);
      Existing *existing;

      if (row->rejected || row->matched == 0)
        continue;
      if (claimed_by[row->matched - 1] > 0)
        {
          /* Translators: %u is a line number */
          g_autofree char *reason = g_strdup_printf (_("is the same patient as line %u"),
                                                     claimed_by[row->matched - 1]);

          row->rejected = TRUE;
          signpost_import_report_reject (import->report, row->line, NULL, reason);
          continue;
        }
      existing = &g_array_index (plan->existing, Existing, row->matched - 1);
      claimed_by[row->matched - 1] = row->line;
      if (same_as_stored (import, row, existing))
        {
          plan->counts[SIGNPOST_IMPORT_COUNT_UNCHANGED]++;
          continue;
        }
      update_row[row->matched - 1] = i + 1;
      g_hash_table_insert (wanted, existing->id, GUINT_TO_POINTER (row->matched));
    }
  /* Registered patients the full list no longer holds. */
  if (!import->options->partial && import->unkeyed_rejections == 0)
    for (guint i = 0; i < n_existing; i++)
      {
        Existing *existing = &g_array_index (plan->existing, Existing, i);

        if (!kept[i] && !existing->left && !existing->temporary)
          g_hash_table_insert (wanted, existing->id, GUINT_TO_POINTER (i + 1));
      }

  g_debug ("Compared the rows; %u patients to read whole", g_hash_table_size (wanted));
  /* Those are read whole, in one more pass over the list. */
  current = g_new0 (SignpostPatient *, n_existing + 1);
  if (g_hash_table_size (wanted) > 0)
    {
      Fetch fetch = { wanted, current, NULL };

      if (!signpost_store_foreach_patient (import->ctx->store, import->practice_id, fetch_wanted,
                                           &fetch, error))
        goto failed;
      if (fetch.error != NULL)
        {
          g_propagate_error (error, fetch.error);
          goto failed;
        }
    }

  for (guint i = 0; i < n_existing; i++)
    {
      Existing *existing = &g_array_index (plan->existing, Existing, i);
      Action action = { 0 };

      if (!g_hash_table_contains (wanted, existing->id))
        continue;
      if (current[i] == NULL)
        {
          /* Gone since the first pass; the writing will see it changed. */
          continue;
        }
      action.next = signpost_object_copy (SIGNPOST_OBJECT (current[i]));
      if (update_row[i] > 0)
        {
          row_apply (&g_array_index (import->rows, Row, update_row[i] - 1), action.next);
          if (signpost_object_equal (SIGNPOST_OBJECT (action.next), SIGNPOST_OBJECT (current[i])))
            {
              g_clear_object (&action.next);
              plan->counts[SIGNPOST_IMPORT_COUNT_UNCHANGED]++;
              continue;
            }
          action.kind = ACTION_UPDATE;
          plan->counts[existing->left ? SIGNPOST_IMPORT_COUNT_REJOINED
                                      : SIGNPOST_IMPORT_COUNT_UPDATED]++;
        }
      else
        {
          action.kind = ACTION_LEAVE;
          signpost_patient_set_left_at (action.next, import->ctx->now);
          plan->counts[SIGNPOST_IMPORT_COUNT_LEFT]++;
        }
      g_array_append_val (plan->actions, action);
    }

  /* Rows of nobody here: new patients. */
  for (guint i = 0; i < import->rows->len; i++)
    {
      Row *row = &g_array_index (import->rows, Row, i);
      Action action = { ACTION_CREATE, i, NULL };

      if (row->rejected || row->matched > 0)
        continue;
      plan->counts[SIGNPOST_IMPORT_COUNT_CREATED]++;
      g_array_append_val (plan->actions, action);
    }
  for (guint i = 0; i < n_existing; i++)
    g_clear_object (&current[i]);
  return TRUE;

failed:
  for (guint i = 0; i < n_existing; i++)
    g_clear_object (&current[i]);
  return FALSE;
}

/* ---- applying it ------------------------------------------------------- */

static gboolean
write_plan (PatientImport  *import,
            Plan           *plan,
            const char     *digest,
            GError        **error)
{
  g_auto(SignpostImportBatch) batch = { 0 };
  g_autofree char *detail = NULL;

  signpost_import_batch_init (&batch, import->ctx, import->options);
  for (guint i = 0; i < plan->actions->len; i++)
    {
      Action *action = &g_array_index (plan->actions, Action, i);
      g_autoptr(SignpostPatient) created = NULL;
      SignpostPatient *record = action->next;

      if (action->kind == ACTION_CREATE)
        {
          g_autofree char *id = g_uuid_string_random ();

          record = created = patient_from_row (import, &g_array_index (import->rows, Row,
                                                                       action->row), id);
        }
      if (!signpost_import_batch_add (&batch, SIGNPOST_RECORD (record), error))
        return FALSE;
    }
  if (!signpost_import_batch_flush (&batch, error))
    return FALSE;
  detail = g_strdup_printf ("created %" G_GINT64_FORMAT ", updated %" G_GINT64_FORMAT
                            ", unchanged %" G_GINT64_FORMAT ", left %" G_GINT64_FORMAT
                            ", rejoined %" G_GINT64_FORMAT ", rejected %u; file sha256:%s",
                            plan->counts[SIGNPOST_IMPORT_COUNT_CREATED],
                            plan->counts[SIGNPOST_IMPORT_COUNT_UPDATED],
                            plan->counts[SIGNPOST_IMPORT_COUNT_UNCHANGED],
                            plan->counts[SIGNPOST_IMPORT_COUNT_LEFT],
                            plan->counts[SIGNPOST_IMPORT_COUNT_REJOINED],
                            signpost_import_report_get_n_rejections (import->report), digest);
  return signpost_import_audit (import->ctx, import->options, "admin-import-patients",
                                SIGNPOST_RECORD (import->practice), detail, error);
}

/**
 * signpost_import_patients:
 * @ctx: the writer; holds no transaction (the import opens its own)
 * @practice: whose list this is
 *
 * Reads a patient list and applies it (see the top of this file).
 *
 * Returns: (transfer full): the report, or %NULL when the store failed
 *   (then nothing was written)
 */
SignpostImportReport *
signpost_import_patients (SignpostApplyContext         *ctx,
                          SignpostPractice             *practice,
                          GBytes                       *file,
                          const SignpostImportOptions  *options,
                          GError                      **error)
{
  g_autoptr(SignpostImportReport) report = signpost_import_report_new ("patients", options->dry_run);
  g_autoptr(SignpostImportTable) table = NULL;
  g_autoptr(GPtrArray) clinicians = NULL;
  g_autoptr(SignpostClinicianMatcher) matcher = NULL;
  g_autoptr(GArray) rows = g_array_new (FALSE, TRUE, sizeof (Row));
  g_autoptr(GTimeZone) tz = NULL;
  g_autofree char *digest = NULL;
  PatientImport import = { 0 };
  Plan plan = { 0 };
  gint64 seen_seq;
  gint64 started;
  gboolean changed = FALSE;

  g_array_set_clear_func (rows, (GDestroyNotify) row_clear);
  table = signpost_import_open (SIGNPOST_IMPORT_PATIENTS, file, options, report);
  if (table == NULL)
    return g_steal_pointer (&report);

  import.ctx = ctx;
  import.practice = practice;
  import.practice_id = signpost_record_get_id (SIGNPOST_RECORD (practice));
  import.options = options;
  import.report = report;
  import.table = table;
  import.rows = rows;
  tz = signpost_time_zone_new (signpost_practice_get_time_zone (practice), NULL);
  g_date_clear (&import.today, 1);
  signpost_local_date (ctx->now, tz, &import.today);

  clinicians = signpost_store_list_records (ctx->store, SIGNPOST_RECORD_CLINICIAN,
                                            import.practice_id, error);
  if (clinicians == NULL)
    return NULL;
  matcher = signpost_clinician_matcher_new (clinicians);
  import.clinicians = matcher;
  started = g_get_monotonic_time ();
  if (!read_rows (&import))
    return g_steal_pointer (&report);
  g_debug ("Read %u rows in %.2f s", rows->len, (g_get_monotonic_time () - started) / 1e6);

  started = g_get_monotonic_time ();
  seen_seq = signpost_store_get_last_seq (ctx->store, error);
  if (seen_seq < 0 || !make_plan (&import, &plan, error))
    {
      plan_clear (&plan);
      return NULL;
    }
  g_debug ("Planned %u writes against %u patients in %.2f s", plan.actions->len,
           plan.existing->len, (g_get_monotonic_time () - started) / 1e6);
  if (import.unkeyed_rejections > 0 && !options->partial)
    signpost_import_report_note (report,
                                 _("nobody was marked as having left the practice: some rejected "
                                   "rows do not say who they are (fix them and import again)"));

  if (!options->dry_run)
    {
      digest = signpost_import_file_digest (file);
      started = g_get_monotonic_time ();
      if (!signpost_store_begin (ctx->store, error) ||
          !signpost_import_changed_since (ctx->store, import.practice_id,
                                          SIGNPOST_RECORD_PATIENT, seen_seq, &changed, error))
        {
          signpost_store_rollback (ctx->store);
          plan_clear (&plan);
          return NULL;
        }
      g_debug ("Checked for changes since the plan in %.2f s%s",
               (g_get_monotonic_time () - started) / 1e6, changed ? ": planning again" : "");
      if ((changed && !make_plan (&import, &plan, error)) ||
          !write_plan (&import, &plan, digest, error) ||
          !signpost_store_commit (ctx->store, error))
        {
          signpost_store_rollback (ctx->store);
          signpost_apply_context_reset (ctx);
          plan_clear (&plan);
          return NULL;
        }
      g_debug ("Wrote them in %.2f s", (g_get_monotonic_time () - started) / 1e6);
    }
  for (guint i = 0; i < SIGNPOST_IMPORT_N_COUNTS; i++)
    signpost_import_report_add (report, i, plan.counts[i]);
  plan_clear (&plan);
  return g_steal_pointer (&report);
}
