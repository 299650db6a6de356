/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include "signpost-cache-private.h"
#include "signpost-patient-query.h"

/* The patient search (the search bar, the triage form, the booking
 * dialog) and the caller lookup (the caller popup), over the patient
 * indexes and the full-text table.
 *
 * A patient who left the practice (left_at, set when the practice's list
 * no longer holds them) stays in the cache for their history but is found
 * only when the caller asks for them too (@include_left). */

/* Bound as ?9 in every search: true, or the record has no left_at. */
#define REGISTERED_ONLY "(?9 OR json_extract (r.data, '$.left_at') IS NULL)"

#define SEARCH_CANDIDATES 300

/* A patient with two numbers in a range comes once. */
static void
remove_duplicates (GPtrArray *records)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);

  for (guint i = 0; i < records->len;)
    {
      const char *id = signpost_record_get_id (g_ptr_array_index (records, i));
      if (!g_hash_table_add (seen, (gpointer) id))
        g_ptr_array_remove_index (records, i);
      else
        i++;
    }
}

/* Patients still registered come before those who left, each in the
 * order found: Enter on the first row never picks someone who left over a
 * namesake on the list. */
static void
registered_first (GPtrArray *records)
{
  g_autoptr(GPtrArray) left = g_ptr_array_new ();
  guint kept = 0;

  for (guint i = 0; i < records->len; i++)
    {
      gpointer record = g_ptr_array_index (records, i);

      if (signpost_patient_get_left_at (record) != NULL)
        g_ptr_array_add (left, record);
      else
        records->pdata[kept++] = record;
    }
  for (guint i = 0; i < left->len; i++)
    records->pdata[kept++] = left->pdata[i];
}

GPtrArray *
signpost_cache_search_patients (SignpostCache *self,
                                const char    *text,
                                const char    *practice_id,
                                guint          limit,
                                gboolean      *more,
                                GError       **error)
{
  return signpost_cache_search_patients_full (self, text, practice_id, FALSE, limit, more, error);
}

GPtrArray *
signpost_cache_search_patients_full (SignpostCache *self,
                                     const char    *text,
                                     const char    *practice_id,
                                     gboolean       include_left,
                                     guint          limit,
                                     gboolean      *more,
                                     GError       **error)
{
  g_autoptr(SignpostPatientQuery) query = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autofree char *family_from = NULL;
  g_autofree char *family_to = NULL;
  sqlite3_stmt *stmt;
  gboolean ok;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  if (more)
    *more = FALSE;
  if (limit == 0)
    limit = 50;
  query = signpost_patient_query_parse (text);
  if (signpost_patient_query_is_empty (query))
    return g_ptr_array_new_with_free_func (g_object_unref);

  if (query->phone_from != NULL)
    {
      stmt = signpost_db_prepare (self->db,
                                  /* A number being typed matches thousands: walk the
                                   * index in number order and stop at the limit. */
                                  "SELECT r.kind, r.data, r.pending"
                                  " FROM patient_phones ph"
                                  " JOIN patient_index p ON p.rid = ph.rid"
                                  " JOIN records r ON r.rid = ph.rid"
                                  " WHERE ph.number >= ?1 AND ph.number < ?2"
                                  "  AND (?3 IS NULL OR p.dob = ?3)"
                                  "  AND (?4 IS NULL OR (p.postcode_key >= ?4 AND p.postcode_key < ?5))"
                                  "  AND (?6 IS NULL OR p.rid IN (SELECT rowid FROM patient_fts"
                                  "                              WHERE patient_fts MATCH ?6))"
                                  "  AND (?7 IS NULL OR r.practice_id = ?7)"
                                  "  AND " REGISTERED_ONLY
                                  " ORDER BY ph.number, p.sort_key, p.dob LIMIT ?8",
                                  error);
      ok = stmt != NULL &&
           signpost_db_bind (stmt, error, "sssssssib", query->phone_from, query->phone_to,
                             query->dob, query->postcode_from, query->postcode_to, query->fts,
                             practice_id, (int) limit + 1, include_left);
    }
  else if (query->nhs_from != NULL)
    {
      stmt = signpost_db_prepare (self->db,
                                  "SELECT r.kind, r.data, r.pending"
                                  " FROM patient_index p JOIN records r ON r.rid = p.rid"
                                  " WHERE p.nhs_number >= ?1 AND p.nhs_number < ?2"
                                  "  AND (?3 IS NULL OR p.dob = ?3)"
                                  "  AND (?4 IS NULL OR (p.postcode_key >= ?4 AND p.postcode_key < ?5))"
                                  "  AND (?6 IS NULL OR p.rid IN (SELECT rowid FROM patient_fts"
                                  "                              WHERE patient_fts MATCH ?6))"
                                  "  AND (?7 IS NULL OR r.practice_id = ?7)"
                                  "  AND " REGISTERED_ONLY
                                  " ORDER BY p.nhs_number LIMIT ?8",
                                  error);
      ok = stmt != NULL &&
           signpost_db_bind (stmt, error, "sssssssib", query->nhs_from, query->nhs_to,
                             query->dob, query->postcode_from, query->postcode_to, query->fts,
                             practice_id, (int) limit + 1, include_left);
    }
  else if (query->fts != NULL)
    {
      const char *first = g_ptr_array_index (query->name_tokens, 0);

      /* A short prefix can match tens of thousands: rank a bounded set of
       * candidates (exact surname first, then surname prefix, then A–Z)
       * rather than sorting every match. */
      family_from = g_strdup (first);
      family_to = g_strdup (first);
      family_to[strlen (family_to) - 1]++;
      stmt = signpost_db_prepare (self->db,
                                  "SELECT r.kind, r.data, r.pending FROM"
                                  " (SELECT p.rid AS rid, p.family_key AS family_key,"
                                  "         p.sort_key AS sort_key, p.dob AS dob"
                                  "  FROM patient_fts f JOIN patient_index p ON p.rid = f.rowid"
                                  "  WHERE patient_fts MATCH ?1"
                                  "   AND (?2 IS NULL OR p.dob = ?2)"
                                  "   AND (?3 IS NULL OR (p.postcode_key >= ?3 AND p.postcode_key < ?4))"
                                  "  LIMIT ?5) c"
                                  " JOIN records r ON r.rid = c.rid"
                                  " WHERE (?6 IS NULL OR r.practice_id = ?6)"
                                  "  AND " REGISTERED_ONLY
                                  " ORDER BY c.family_key = ?7 DESC,"
                                  "  (c.family_key >= ?7 AND c.family_key < ?8) DESC,"
                                  "  c.sort_key, c.dob"
                                  " LIMIT ?10",
                                  error);
      ok = stmt != NULL &&
           signpost_db_bind (stmt, error, "ssssisssbi", query->fts, query->dob,
                             query->postcode_from, query->postcode_to, SEARCH_CANDIDATES,
                             practice_id, family_from, family_to, include_left, (int) limit + 1);
    }
  else if (query->dob != NULL)
    {
      stmt = signpost_db_prepare (self->db,
                                  "SELECT r.kind, r.data, r.pending"
                                  " FROM patient_index p JOIN records r ON r.rid = p.rid"
                                  " WHERE p.dob = ?1"
                                  "  AND (?2 IS NULL OR (p.postcode_key >= ?2 AND p.postcode_key < ?3))"
                                  "  AND (?4 IS NULL OR r.practice_id = ?4)"
                                  "  AND " REGISTERED_ONLY
                                  " ORDER BY p.sort_key LIMIT ?5",
                                  error);
      ok = stmt != NULL &&
           signpost_db_bind (stmt, error, "ssssinnnb", query->dob, query->postcode_from,
                             query->postcode_to, practice_id, (int) limit + 1, include_left);
    }
  else
    {
      stmt = signpost_db_prepare (self->db,
                                  "SELECT r.kind, r.data, r.pending"
                                  " FROM patient_index p JOIN records r ON r.rid = p.rid"
                                  " WHERE p.postcode_key >= ?1 AND p.postcode_key < ?2"
                                  "  AND (?3 IS NULL OR r.practice_id = ?3)"
                                  "  AND " REGISTERED_ONLY
                                  " ORDER BY p.postcode_key, p.sort_key LIMIT ?4",
                                  error);
      ok = stmt != NULL &&
           signpost_db_bind (stmt, error, "sssinnnnb", query->postcode_from, query->postcode_to,
                             practice_id, (int) limit + 1, include_left);
    }

  if (!ok)
    return NULL;
  records = signpost_cache_collect_records (self, stmt, error);
  if (records == NULL)
    return NULL;
  if (query->phone_from != NULL)
    remove_duplicates (records);
  if (include_left)
    registered_first (records);
  if (records->len > limit)
    {
      g_ptr_array_set_size (records, limit);
      if (more)
        *more = TRUE;
    }
  return g_steal_pointer (&records);
}

GPtrArray *
signpost_cache_find_patients_by_phone (SignpostCache *self,
                                       const char    *number,
                                       GError       **error)
{
  return signpost_cache_find_patients_by_phone_full (self, number, FALSE, error);
}

GPtrArray *
signpost_cache_find_patients_by_phone_full (SignpostCache *self,
                                            const char    *number,
                                            gboolean       include_left,
                                            GError       **error)
{
  g_autofree char *e164 = NULL;
  GPtrArray *records;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  if (number == NULL || signpost_phone_is_withheld (number))
    return g_ptr_array_new_with_free_func (g_object_unref);
  e164 = signpost_phone_is_e164 (number) ? g_strdup (number) : signpost_phone_normalise (number, NULL);
  if (e164 == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);

  stmt = signpost_db_prepare (self->db,
                              "SELECT r.kind, r.data, r.pending FROM patient_phones ph"
                              " JOIN records r ON r.rid = ph.rid"
                              " JOIN patient_index p ON p.rid = ph.rid"
                              " WHERE ph.number = ?1"
                              "  AND (?2 OR json_extract (r.data, '$.left_at') IS NULL)"
                              " ORDER BY p.dob, p.sort_key",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "sb", e164, include_left))
    return NULL;
  records = signpost_cache_collect_records (self, stmt, error);
  if (records != NULL && include_left)
    registered_first (records);
  return records;
}

GPtrArray *
signpost_cache_find_namesakes (SignpostCache   *self,
                               SignpostPatient *patient,
                               GError         **error)
{
  g_autoptr(GPtrArray) born_that_day = NULL;
  const char *dob;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);
  g_return_val_if_fail (SIGNPOST_IS_PATIENT (patient), NULL);

  dob = signpost_patient_get_date_of_birth (patient);
  if (dob == NULL)
    return g_ptr_array_new_with_free_func (g_object_unref);
  stmt = signpost_db_prepare (self->db,
                              "SELECT r.kind, r.data, r.pending"
                              " FROM patient_index p JOIN records r ON r.rid = p.rid"
                              " WHERE p.dob = ?1 ORDER BY p.sort_key",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "s", dob))
    return NULL;
  born_that_day = signpost_cache_collect_records (self, stmt, error);
  if (born_that_day == NULL)
    return NULL;
  for (guint i = 0; i < born_that_day->len;)
    {
      if (signpost_patient_is_namesake (patient, g_ptr_array_index (born_that_day, i)))
        i++;
      else
        g_ptr_array_remove_index (born_that_day, i);
    }
  return g_steal_pointer (&born_that_day);
}
