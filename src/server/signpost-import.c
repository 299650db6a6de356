/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-import-private.h"

/*
 * What the patient, clinician and session imports share: reading the
 * file, checking a text cell, finding a clinician by the name a list
 * gives, and writing a record with its audit event.
 */

void
signpost_import_options_init (SignpostImportOptions *options)
{
  memset (options, 0, sizeof *options);
  options->client = "signpost-server admin";
}

/* ---- clinicians by name ------------------------------------------------ */

typedef struct {
  char *id;
  GStrv given;
  GStrv family;
  char *full;            /* every word, sorted, space-joined */
} ClinicianNames;

struct _SignpostClinicianMatcher
{
  GArray *clinicians;    /* ClinicianNames */
  GHashTable *cache;     /* text → id or "" */
  GHashTable *reasons;   /* text → reason (for "") */
};

static int
compare_words (gconstpointer a,
               gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static char *
sorted_words (const char * const *a,
              const char * const *b)
{
  g_autoptr(GPtrArray) words = g_ptr_array_new ();

  for (guint i = 0; a != NULL && a[i] != NULL; i++)
    g_ptr_array_add (words, (gpointer) a[i]);
  for (guint i = 0; b != NULL && b[i] != NULL; i++)
    g_ptr_array_add (words, (gpointer) b[i]);
  g_ptr_array_sort (words, compare_words);
  g_ptr_array_add (words, NULL);
  return g_strjoinv (" ", (char **) words->pdata);
}

static void
clinician_names_clear (ClinicianNames *names)
{
  g_free (names->id);
  g_strfreev (names->given);
  g_strfreev (names->family);
  g_free (names->full);
}

SignpostClinicianMatcher *
signpost_clinician_matcher_new (GPtrArray *clinicians)
{
  SignpostClinicianMatcher *matcher = g_new0 (SignpostClinicianMatcher, 1);

  matcher->clinicians = g_array_new (FALSE, TRUE, sizeof (ClinicianNames));
  g_array_set_clear_func (matcher->clinicians, (GDestroyNotify) clinician_names_clear);
  matcher->cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  matcher->reasons = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  for (guint i = 0; clinicians != NULL && i < clinicians->len; i++)
    {
      SignpostClinician *clinician = g_ptr_array_index (clinicians, i);
      ClinicianNames names = { 0 };

      names.id = g_strdup (signpost_record_get_id (SIGNPOST_RECORD (clinician)));
      names.given = signpost_import_name_tokens (signpost_clinician_get_given_name (clinician));
      names.family = signpost_import_name_tokens (signpost_clinician_get_family_name (clinician));
      names.full = sorted_words ((const char * const *) names.given,
                                 (const char * const *) names.family);
      g_array_append_val (matcher->clinicians, names);
    }
  return matcher;
}

void
signpost_clinician_matcher_free (SignpostClinicianMatcher *matcher)
{
  if (matcher == NULL)
    return;
  g_array_unref (matcher->clinicians);
  g_hash_table_unref (matcher->cache);
  g_hash_table_unref (matcher->reasons);
  g_free (matcher);
}

/* "Smith A", "A J Smith", "Anna Smith" for Anna Jane Smith: the family
 * name in full, and the given names as initials or the first of them. */
static gboolean
matches_initials (const ClinicianNames *names,
                  GStrv                 words)
{
  g_autoptr(GPtrArray) rest = g_ptr_array_new ();
  g_autoptr(GString) initials = g_string_new (NULL);
  g_autofree char *joined = NULL;
  gboolean *used;
  guint n_words = g_strv_length (words);
  gboolean ok = TRUE;

  if (names->family == NULL || names->family[0] == NULL || names->given == NULL ||
      names->given[0] == NULL)
    return FALSE;
  used = g_new0 (gboolean, n_words);
  for (guint f = 0; ok && names->family[f] != NULL; f++)
    {
      gboolean found = FALSE;

      for (guint w = 0; !found && w < n_words; w++)
        if (!used[w] && g_str_equal (words[w], names->family[f]))
          used[w] = found = TRUE;
      ok = found;
    }
  for (guint w = 0; ok && w < n_words; w++)
    if (!used[w])
      g_ptr_array_add (rest, words[w]);
  g_free (used);
  if (!ok || rest->len == 0)
    return FALSE;
  g_ptr_array_add (rest, NULL);
  joined = g_strjoinv ("", (char **) rest->pdata);
  if (rest->len == 2 && g_str_equal (joined, names->given[0]))
    return TRUE;
  for (guint g = 0; names->given[g] != NULL; g++)
    g_string_append_unichar (initials, g_utf8_get_char (names->given[g]));
  return g_str_equal (joined, initials->str);
}

/**
 * signpost_clinician_matcher_find:
 * @text: a clinician's id, or their name as a clinical system writes it
 *
 * Returns: (nullable): the clinician's id, or %NULL with @reason
 */
const char *
signpost_clinician_matcher_find (SignpostClinicianMatcher  *matcher,
                                 const char                *text,
                                 const char               **reason)
{
  g_auto(GStrv) words = NULL;
  g_autofree char *full = NULL;
  const char *found = NULL;
  guint n_found = 0;

  if (g_hash_table_contains (matcher->cache, text))
    {
      const char *id = g_hash_table_lookup (matcher->cache, text);

      if (*id != '\0')
        return id;
      *reason = g_hash_table_lookup (matcher->reasons, text);
      return NULL;
    }

  words = signpost_import_name_tokens (text);
  full = sorted_words ((const char * const *) words, NULL);
  for (guint i = 0; i < matcher->clinicians->len; i++)
    {
      ClinicianNames *names = &g_array_index (matcher->clinicians, ClinicianNames, i);

      if (g_ascii_strcasecmp (text, names->id) == 0)
        {
          found = names->id;
          n_found = 1;
          break;
        }
      if ((*full != '\0' && g_str_equal (full, names->full)) || matches_initials (names, words))
        {
          found = names->id;
          n_found++;
        }
    }
  if (n_found == 1)
    {
      g_hash_table_insert (matcher->cache, g_strdup (text), g_strdup (found));
      return g_hash_table_lookup (matcher->cache, text);
    }
  *reason = n_found == 0 ? _("is not one of the practice’s clinicians (import the clinicians first)")
                         : _("matches more than one of the practice’s clinicians");
  g_hash_table_insert (matcher->cache, g_strdup (text), g_strdup (""));
  g_hash_table_insert (matcher->reasons, g_strdup (text), (gpointer) *reason);
  return NULL;
}

/* ---- cells ------------------------------------------------------------- */

/**
 * signpost_import_text:
 * @text: (out) (nullable): the cell's text, %NULL for an empty cell
 * @reason: (out): why it cannot be used
 *
 * A single line of text of at most @max_chars characters that a
 * spreadsheet would not take for a formula.
 */
gboolean
signpost_import_text (const char  *cell,
                      guint        max_chars,
                      char       **text,
                      char       **reason)
{
  g_autofree char *clean = signpost_import_clean_text (cell);

  *text = NULL;
  *reason = NULL;
  if (clean == NULL)
    return TRUE;
  if (!signpost_format_check (SIGNPOST_FORMAT_TEXT, clean, NULL))
    {
      *reason = g_strdup (_("holds line breaks or control characters"));
      return FALSE;
    }
  if (g_utf8_strlen (clean, -1) > (glong) max_chars)
    {
      *reason = g_strdup_printf (_("is longer than %u characters"), max_chars);
      return FALSE;
    }
  if (signpost_import_looks_like_formula (clean))
    {
      *reason = g_strdup (_("looks like a spreadsheet formula, not a value"));
      return FALSE;
    }
  *text = g_steal_pointer (&clean);
  return TRUE;
}

char *
signpost_import_file_digest (GBytes *file)
{
  return g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, file);
}

/* The table, or NULL with the report failed. */
SignpostImportTable *
signpost_import_open (SignpostImportKind           kind,
                      GBytes                      *file,
                      const SignpostImportOptions *options,
                      SignpostImportReport        *report)
{
  g_autoptr(GError) error = NULL;
  SignpostImportTable *table;

  table = signpost_import_table_new (kind, file, options->format, options->mapping, &error);
  if (table == NULL)
    {
      signpost_import_report_fail (report, error);
      return NULL;
    }
  signpost_import_report_set_encoding (report, signpost_import_table_get_encoding (table));
  {
    GStrv ignored = signpost_import_table_get_ignored (table);

    if (ignored != NULL && ignored[0] != NULL)
      {
        g_autofree char *list = g_strjoinv (", ", ignored);
        /* Translators: %s lists column names */
        g_autofree char *note = g_strdup_printf (_("columns ignored: %s"), list);

        signpost_import_report_note (report, note);
      }
  }
  return table;
}

/* ---- writing ----------------------------------------------------------- */

typedef struct {
  const char *practice_id;
  SignpostRecordKind kind;
  gboolean changed;
} ChangedSince;

static gboolean
note_change (const SignpostStoredChange *change,
             gpointer                    data)
{
  ChangedSince *check = data;

  if (change->kind == check->kind && g_strcmp0 (change->practice_id, check->practice_id) == 0)
    {
      check->changed = TRUE;
      return FALSE;
    }
  return TRUE;
}

/* Whether a record of @kind in the practice changed after @since: the
 * plan made from what was read then would be stale. */
gboolean
signpost_import_changed_since (SignpostStore       *store,
                               const char          *practice_id,
                               SignpostRecordKind   kind,
                               gint64               since,
                               gboolean            *changed,
                               GError             **error)
{
  ChangedSince check = { practice_id, kind, FALSE };

  *changed = FALSE;
  if (!signpost_store_foreach_change (store, since, G_MAXINT, note_change, &check, error))
    return FALSE;
  *changed = check.changed;
  return TRUE;
}

#define BATCH 1000

void
signpost_import_batch_init (SignpostImportBatch         *batch,
                            SignpostApplyContext        *ctx,
                            const SignpostImportOptions *options)
{
  batch->ctx = ctx;
  batch->options = options;
  batch->records = g_ptr_array_new_with_free_func (g_object_unref);
}

void
signpost_import_batch_clear (SignpostImportBatch *batch)
{
  g_clear_pointer (&batch->records, g_ptr_array_unref);
}

static void
fill_event (SignpostApplyContext        *ctx,
            const SignpostImportOptions *options,
            SignpostAuditEvent          *event,
            const char                  *action,
            SignpostRecord              *record,
            const char                  *detail)
{
  memset (event, 0, sizeof *event);
  event->at = g_date_time_to_unix (ctx->now) * G_USEC_PER_SEC + g_date_time_get_microsecond (ctx->now);
  event->action = action;
  event->detail = detail;
  if (ctx->principal != NULL)
    {
      event->user_id = signpost_principal_get_user_id (ctx->principal);
      event->username = signpost_principal_get_username (ctx->principal);
      event->role = signpost_principal_get_role_nick (ctx->principal);
      event->client = signpost_principal_get_client (ctx->principal);
    }
  else
    {
      /* The admin command: the account that ran it. */
      event->username = g_get_user_name ();
      event->role = "admin";
      event->client = options->client;
    }
  if (record != NULL)
    {
      event->type = signpost_record_kind_to_string (signpost_record_get_kind (record));
      event->record_id = signpost_record_get_id (record);
      event->patient_id = signpost_record_get_patient_ref (record);
    }
}

gboolean
signpost_import_audit (SignpostApplyContext         *ctx,
                       const SignpostImportOptions  *options,
                       const char                   *action,
                       SignpostRecord               *record,
                       const char                   *detail,
                       GError                      **error)
{
  SignpostAuditEvent event;

  fill_event (ctx, options, &event, action, record, detail);
  return signpost_store_append_audit (ctx->store, &event, error);
}

/* Writes what was gathered: the records as their next versions, and an
 * "import" audit event for each. The live notices only need to know which
 * kinds of record of which practice changed: the context keeps one record
 * for each, not a copy of every one of a hundred thousand. */
gboolean
signpost_import_batch_flush (SignpostImportBatch  *batch,
                             GError              **error)
{
  SignpostApplyContext *ctx = batch->ctx;
  g_autofree SignpostAuditEvent *events = NULL;
  guint n = batch->records->len;

  if (n == 0)
    return TRUE;
  if (!signpost_store_put_records (ctx->store, (SignpostRecord * const *) batch->records->pdata, n,
                                   error))
    return FALSE;
  events = g_new (SignpostAuditEvent, n);
  for (guint i = 0; i < n; i++)
    fill_event (ctx, batch->options, &events[i], "import", g_ptr_array_index (batch->records, i),
                NULL);
  if (!signpost_store_append_audits (ctx->store, events, n, error))
    return FALSE;
  for (guint i = 0; i < n; i++)
    {
      SignpostRecord *record = g_ptr_array_index (batch->records, i);
      SignpostRecord *last = ctx->changed->len > 0
                               ? g_ptr_array_index (ctx->changed, ctx->changed->len - 1) : NULL;

      if (last == NULL || signpost_record_get_kind (last) != signpost_record_get_kind (record) ||
          g_strcmp0 (signpost_record_get_practice_id (last), signpost_record_get_practice_id (record)) != 0)
        g_ptr_array_add (ctx->changed, signpost_object_copy (SIGNPOST_OBJECT (record)));
    }
  g_ptr_array_set_size (batch->records, 0);
  return TRUE;
}

/* Gathers @record's next version, writing a batch when one is full. */
gboolean
signpost_import_batch_add (SignpostImportBatch  *batch,
                           SignpostRecord       *record,
                           GError              **error)
{
  signpost_record_set_version (record, signpost_record_get_version (record) + 1);
  signpost_record_set_updated_at (record, batch->ctx->now);
  g_ptr_array_add (batch->records, g_object_ref (record));
  return batch->records->len < BATCH || signpost_import_batch_flush (batch, error);
}
