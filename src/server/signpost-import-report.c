/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-import-report.h"

/* A file of garbage can reject every one of a million rows: the first
 * ones say what is wrong, the rest are counted. */
#define MAX_LISTED_REJECTIONS 20000

typedef struct {
  guint line;
  guint order;            /* of arrival, for a stable sort */
  char *column;
  char *reason;
} Rejection;

struct _SignpostImportReport
{
  GObject parent_instance;

  char *what;
  gboolean dry_run;
  const char *encoding;
  gint64 counts[SIGNPOST_IMPORT_N_COUNTS];
  GArray *rejections;             /* Rejection: one for each field at fault */
  GHashTable *rejected_lines;     /* the rows rejected, by line */
  guint n_rejections;             /* rows rejected, including those not listed */
  GPtrArray *notes;               /* char* */
  GError *failure;
};

G_DEFINE_FINAL_TYPE (SignpostImportReport, signpost_import_report, G_TYPE_OBJECT)

static const char * const count_keys[SIGNPOST_IMPORT_N_COUNTS] = {
  "rows", "created", "updated", "unchanged", "left", "rejoined", "rejected", "skipped",
};

static void
rejection_clear (Rejection *rejection)
{
  g_free (rejection->column);
  g_free (rejection->reason);
}

static void
signpost_import_report_finalize (GObject *object)
{
  SignpostImportReport *self = SIGNPOST_IMPORT_REPORT (object);

  g_free (self->what);
  g_array_unref (self->rejections);
  g_hash_table_unref (self->rejected_lines);
  g_ptr_array_unref (self->notes);
  g_clear_error (&self->failure);

  G_OBJECT_CLASS (signpost_import_report_parent_class)->finalize (object);
}

static void
signpost_import_report_class_init (SignpostImportReportClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_import_report_finalize;
}

static void
signpost_import_report_init (SignpostImportReport *self)
{
  self->rejections = g_array_new (FALSE, TRUE, sizeof (Rejection));
  g_array_set_clear_func (self->rejections, (GDestroyNotify) rejection_clear);
  self->notes = g_ptr_array_new_with_free_func (g_free);
  self->rejected_lines = g_hash_table_new (NULL, NULL);
}

/* @what: "patients", "clinicians" or "sessions". */
SignpostImportReport *
signpost_import_report_new (const char *what,
                            gboolean    dry_run)
{
  SignpostImportReport *self = g_object_new (SIGNPOST_TYPE_IMPORT_REPORT, NULL);

  self->what = g_strdup (what);
  self->dry_run = dry_run;
  return self;
}

void
signpost_import_report_add (SignpostImportReport *self,
                            SignpostImportCount   count,
                            gint64                n)
{
  g_return_if_fail (SIGNPOST_IS_IMPORT_REPORT (self));
  g_return_if_fail ((guint) count < SIGNPOST_IMPORT_N_COUNTS);

  self->counts[count] += n;
}

gint64
signpost_import_report_get_count (SignpostImportReport *self,
                                  SignpostImportCount   count)
{
  g_return_val_if_fail (SIGNPOST_IS_IMPORT_REPORT (self), 0);
  g_return_val_if_fail ((guint) count < SIGNPOST_IMPORT_N_COUNTS, 0);

  return self->counts[count];
}

/**
 * signpost_import_report_reject:
 * @line: the line the row starts on (a row with several fields at fault
 *   is rejected once, and each field listed)
 * @column: (nullable): the column at fault, as the file's header names it
 * @reason: what is wrong, in words that never quote the row
 */
void
signpost_import_report_reject (SignpostImportReport *self,
                               guint                 line,
                               const char           *column,
                               const char           *reason)
{
  Rejection rejection;

  g_return_if_fail (SIGNPOST_IS_IMPORT_REPORT (self));

  if (g_hash_table_add (self->rejected_lines, GUINT_TO_POINTER (line)))
    self->n_rejections++;
  if (self->rejections->len >= MAX_LISTED_REJECTIONS)
    return;
  rejection.line = line;
  rejection.order = self->rejections->len;
  rejection.column = g_strdup (column);
  rejection.reason = g_strdup (reason);
  g_array_append_val (self->rejections, rejection);
}

guint
signpost_import_report_get_n_rejections (SignpostImportReport *self)
{
  g_return_val_if_fail (SIGNPOST_IS_IMPORT_REPORT (self), 0);

  return self->n_rejections;
}

void
signpost_import_report_note (SignpostImportReport *self,
                             const char           *note)
{
  g_return_if_fail (SIGNPOST_IS_IMPORT_REPORT (self));

  g_ptr_array_add (self->notes, g_strdup (note));
}

void
signpost_import_report_set_encoding (SignpostImportReport *self,
                                     const char           *encoding)
{
  g_return_if_fail (SIGNPOST_IS_IMPORT_REPORT (self));

  self->encoding = g_intern_string (encoding);
}

/* The file as a whole could not be used: nothing was applied. */
void
signpost_import_report_fail (SignpostImportReport *self,
                             const GError         *error)
{
  g_return_if_fail (SIGNPOST_IS_IMPORT_REPORT (self));

  g_clear_error (&self->failure);
  self->failure = g_error_copy (error);
}

const GError *
signpost_import_report_get_failure (SignpostImportReport *self)
{
  g_return_val_if_fail (SIGNPOST_IS_IMPORT_REPORT (self), NULL);

  return self->failure;
}

/* 0: every row applied; 3: some rows rejected (the rest applied); 1:
 * nothing applied, the file could not be used. */
int
signpost_import_report_get_exit_status (SignpostImportReport *self)
{
  g_return_val_if_fail (SIGNPOST_IS_IMPORT_REPORT (self), SIGNPOST_IMPORT_EXIT_FAILED);

  if (self->failure != NULL)
    return SIGNPOST_IMPORT_EXIT_FAILED;
  if (self->n_rejections > 0)
    return SIGNPOST_IMPORT_EXIT_REJECTED;
  return SIGNPOST_IMPORT_EXIT_APPLIED;
}

static int
compare_rejections (gconstpointer a,
                    gconstpointer b)
{
  const Rejection *x = a;
  const Rejection *y = b;

  if (x->line != y->line)
    return x->line < y->line ? -1 : 1;
  return x->order < y->order ? -1 : (x->order > y->order);
}

/* Rejections are found in several passes; they are listed by line. */
static void
sort_rejections (SignpostImportReport *self)
{
  g_array_sort (self->rejections, compare_rejections);
}

static const char *
status_nick (SignpostImportReport *self)
{
  switch (signpost_import_report_get_exit_status (self))
    {
    case SIGNPOST_IMPORT_EXIT_APPLIED:
      return "applied";
    case SIGNPOST_IMPORT_EXIT_REJECTED:
      return "some_rejected";
    case SIGNPOST_IMPORT_EXIT_FAILED:
    default:
      return "failed";
    }
}

char *
signpost_import_report_to_text (SignpostImportReport *self)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (SIGNPOST_IS_IMPORT_REPORT (self), NULL);

  if (self->failure != NULL)
    {
      g_autofree char *field = signpost_error_dup_field (self->failure);
      const char *detail = signpost_error_get_detail (self->failure);

      /* "file: is empty" reads as "the file is empty"; a whole sentence
       * stands as it is. */
      if (field != NULL && g_ascii_islower (detail[0]))
        /* Translators: the first %s names what is at fault ("file",
         * "mapping"), the second says what is wrong with it */
        g_string_append_printf (out, _("Nothing was imported: the %s %s\n"), field, detail);
      else
        /* Translators: %s says why a file could not be imported */
        g_string_append_printf (out, _("Nothing was imported: %s\n"), detail);
      return g_string_free (out, FALSE);
    }
  /* Translators: the first %s is "patients", "clinicians" or "sessions";
   * the second the file's character set */
  g_string_append_printf (out, _("Import of %s: %" G_GINT64_FORMAT " rows read (%s)%s\n"),
                          self->what, self->counts[SIGNPOST_IMPORT_COUNT_ROWS],
                          self->encoding ? self->encoding : "UTF-8",
                          self->dry_run ? _(" — a dry run: nothing was written") : "");
  g_string_append_printf (out,
                          _("  created %" G_GINT64_FORMAT ", updated %" G_GINT64_FORMAT
                            ", unchanged %" G_GINT64_FORMAT "\n"),
                          self->counts[SIGNPOST_IMPORT_COUNT_CREATED],
                          self->counts[SIGNPOST_IMPORT_COUNT_UPDATED],
                          self->counts[SIGNPOST_IMPORT_COUNT_UNCHANGED]);
  if (self->counts[SIGNPOST_IMPORT_COUNT_LEFT] > 0 || self->counts[SIGNPOST_IMPORT_COUNT_REJOINED] > 0)
    g_string_append_printf (out,
                            _("  left the practice %" G_GINT64_FORMAT ", back on the list %"
                              G_GINT64_FORMAT "\n"),
                            self->counts[SIGNPOST_IMPORT_COUNT_LEFT],
                            self->counts[SIGNPOST_IMPORT_COUNT_REJOINED]);
  if (self->counts[SIGNPOST_IMPORT_COUNT_SKIPPED] > 0)
    g_string_append_printf (out, _("  booked slots left as they are %" G_GINT64_FORMAT "\n"),
                            self->counts[SIGNPOST_IMPORT_COUNT_SKIPPED]);
  for (guint i = 0; i < self->notes->len; i++)
    g_string_append_printf (out, "  %s\n", (const char *) g_ptr_array_index (self->notes, i));
  if (self->n_rejections > 0)
    {
      sort_rejections (self);
      g_string_append_printf (out,
                              g_dngettext (GETTEXT_PACKAGE,
                                           "  %u row rejected (not applied):\n",
                                           "  %u rows rejected (not applied):\n",
                                           self->n_rejections),
                              self->n_rejections);
      for (guint i = 0; i < self->rejections->len; i++)
        {
          Rejection *r = &g_array_index (self->rejections, Rejection, i);

          if (r->column != NULL)
            /* Translators: line number, column name, reason */
            g_string_append_printf (out, _("    line %u, %s: %s\n"), r->line, r->column, r->reason);
          else
            g_string_append_printf (out, _("    line %u: %s\n"), r->line, r->reason);
        }
      if (self->rejections->len == MAX_LISTED_REJECTIONS)
        g_string_append_printf (out, _("    … and more, not listed\n"));
    }
  return g_string_free (out, FALSE);
}

JsonObject *
signpost_import_report_to_json (SignpostImportReport *self)
{
  JsonObject *object = json_object_new ();
  JsonObject *counts = json_object_new ();
  JsonArray *rejected = json_array_new ();
  JsonArray *notes = json_array_new ();

  g_return_val_if_fail (SIGNPOST_IS_IMPORT_REPORT (self), NULL);

  json_object_set_string_member (object, "import", self->what);
  json_object_set_string_member (object, "status", status_nick (self));
  json_object_set_boolean_member (object, "dry_run", self->dry_run);
  json_object_set_string_member (object, "encoding", self->encoding ? self->encoding : "UTF-8");
  for (guint i = 0; i < SIGNPOST_IMPORT_N_COUNTS; i++)
    json_object_set_int_member (counts, count_keys[i],
                                i == SIGNPOST_IMPORT_COUNT_REJECTED ? self->n_rejections
                                                                    : self->counts[i]);
  json_object_set_object_member (object, "counts", counts);
  sort_rejections (self);
  for (guint i = 0; i < self->rejections->len; i++)
    {
      Rejection *r = &g_array_index (self->rejections, Rejection, i);
      JsonObject *item = json_object_new ();

      json_object_set_int_member (item, "line", r->line);
      if (r->column != NULL)
        json_object_set_string_member (item, "column", r->column);
      else
        json_object_set_null_member (item, "column");
      json_object_set_string_member (item, "reason", r->reason);
      json_array_add_object_element (rejected, item);
    }
  json_object_set_array_member (object, "rejected", rejected);
  json_object_set_boolean_member (object, "rejected_listed_in_full",
                                  self->rejections->len < MAX_LISTED_REJECTIONS);
  for (guint i = 0; i < self->notes->len; i++)
    json_array_add_string_element (notes, g_ptr_array_index (self->notes, i));
  json_object_set_array_member (object, "notes", notes);
  return object;
}
