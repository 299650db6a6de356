/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <string.h>

#include "signpost-cache-private.h"
#include "signpost-enum-types.h"

/*
 * The diary's reads: a day's slots and their appointments, a patient's
 * bookings, and the searches (first suitable slot, nearest alternatives),
 * answered by SQLite over the cache's slot index and
 * the records' JSON (mode, release time, hub rule, the clinician's
 * profession), so that "first suitable slot" over eight weeks of a hub is
 * one indexed range scan that stops at the first matches.
 *
 * The query's conditions are the booking rule (signpost-booking.h) put
 * where an index can use them; every slot it finds is then held to the
 * rule itself, so the two can never offer different slots
 * (tests/console/test-slot-search.c checks that they agree).
 */

#define MAX_RECORD_SIZE (16 * 1024 * 1024)

static char *
strv_json (const char * const *strv)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
    json_array_add_string_element (array, strv[i]);
  node = json_node_init_array (json_node_alloc (), array);
  return json_to_string (node, FALSE);
}

/* ---- a day, a patient's bookings ------------------------------------------------ */

GPtrArray *
signpost_cache_list_slots (SignpostCache *self,
                           const char    *practice_id,
                           GDateTime     *from,
                           GDateTime     *to,
                           const char    *clinician_id,
                           GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  stmt = signpost_db_prepare (self->db,
                              "SELECT r.kind, r.data, r.pending FROM slot_index s"
                              " JOIN records r ON r.rid = s.rid"
                              " WHERE s.start_ms >= ?1 AND s.start_ms < ?2"
                              "  AND (?3 IS NULL OR s.practice_id = ?3)"
                              "  AND (?4 IS NULL OR s.clinician_id = ?4)"
                              " ORDER BY s.start_ms, s.clinician_id, r.id",
                              error);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, error, "IIss", signpost_cache_instant_ms (from), signpost_cache_instant_ms (to),
                         practice_id, clinician_id))
    return NULL;
  return signpost_cache_collect_records (self, stmt, error);
}

SignpostAppointment *
signpost_cache_get_live_appointment (SignpostCache *self,
                                     const char    *slot_id,
                                     GError       **error)
{
  g_autoptr(GPtrArray) records = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  stmt = signpost_db_prepare (self->db,
                              "SELECT r.kind, r.data, r.pending FROM appointment_index a"
                              " JOIN records r ON r.rid = a.rid"
                              " WHERE a.slot_id = ?1 AND a.status != ?2"
                              " ORDER BY r.rid DESC LIMIT 1",
                              error);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, error, "si", slot_id, (int) SIGNPOST_APPOINTMENT_CANCELLED))
    return NULL;
  records = signpost_cache_collect_records (self, stmt, error);
  return records != NULL && records->len > 0 ? g_object_ref (g_ptr_array_index (records, 0)) : NULL;
}

GPtrArray *
signpost_cache_list_appointments_for_patient (SignpostCache *self,
                                              const char    *patient_id,
                                              GDateTime     *from,
                                              GError       **error)
{
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  stmt = signpost_db_prepare (self->db,
                              "SELECT r.kind, r.data, r.pending FROM appointment_index a"
                              " JOIN records r ON r.rid = a.rid"
                              " JOIN records rs ON rs.id = a.slot_id"
                              " JOIN slot_index s ON s.rid = rs.rid"
                              " WHERE a.patient_id = ?1 AND a.status != ?2 AND s.start_ms >= ?3"
                              " ORDER BY s.start_ms",
                              error);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, error, "siI", patient_id, (int) SIGNPOST_APPOINTMENT_CANCELLED,
                         from ? signpost_cache_instant_ms (from) : G_MININT64))
    return NULL;
  return signpost_cache_collect_records (self, stmt, error);
}

/* ---- searches ----------------------------------------------------------------- */

/* The (data, pending) rows of @stmt as records of @kind, added to @out. */
static gboolean
collect (SignpostCache       *self,
         SignpostRecordKind   kind,
         sqlite3_stmt        *stmt,
         GPtrArray           *out,
         GError             **error)
{
  SignpostDb *db = signpost_cache_get_db (self);
  int rc;

  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);
      g_autoptr(JsonObject) object = NULL;
      g_autoptr(GError) local_error = NULL;
      SignpostRecord *record;

      if (text == NULL)
        continue;
      object = signpost_json_parse_object (text, strlen (text), MAX_RECORD_SIZE, &local_error);
      record = object ? signpost_record_new_from_json (kind, object, SIGNPOST_DECODE_FULL, &local_error)
                      : NULL;
      if (record == NULL)
        {
          g_warning ("A cached %s could not be read: %s", signpost_record_kind_to_string (kind),
                     local_error->message);
          continue;
        }
      signpost_record_set_pending_mark (record, sqlite3_column_int (stmt, 1));
      g_ptr_array_add (out, record);
    }
  sqlite3_reset (stmt);
  return rc >= 0;
}

static char *
ids_json (GPtrArray *ids)
{
  g_autoptr(JsonArray) array = json_array_new ();
  g_autoptr(JsonNode) node = NULL;

  for (guint i = 0; ids != NULL && i < ids->len; i++)
    json_array_add_string_element (array, g_ptr_array_index (ids, i));
  node = json_node_init_array (json_node_alloc (), array);
  return json_to_string (node, FALSE);
}

/* One pass of the search: @only (one clinician) or everyone but @except. */
static gboolean
find_free (SignpostCache            *self,
           const SignpostSlotQuery  *query,
           const SignpostSlotBooker *booker,
           const char               *only,
           const char               *except,
           guint                     limit,
           GPtrArray                *out,
           GError                  **error)
{
  SignpostDb *db = signpost_cache_get_db (self);
  g_autofree char *practices = query->practice_ids ? strv_json (query->practice_ids) : NULL;
  g_autofree char *own = strv_json (booker->practice_ids);
  const char *mode = query->mode >= 0 ? signpost_enum_to_nick (SIGNPOST_TYPE_SLOT_MODE, query->mode) : NULL;
  const char *profession = query->profession >= 0
                             ? signpost_enum_to_nick (SIGNPOST_TYPE_PROFESSION, query->profession)
                             : NULL;
  sqlite3_stmt *stmt;

  if (limit == 0)
    return TRUE;
  stmt = signpost_db_prepare (db,
                              "SELECT r.data, r.pending FROM slot_index s"
                              " JOIN records r ON r.rid = s.rid"
                              " WHERE s.start_ms >= max (?1, ?3 + 1) AND s.start_ms < ?2 AND s.status = 0"
                              "  AND (?4 IS NULL OR s.practice_id IN (SELECT value FROM json_each (?4)))"
                              "  AND (?5 IS NULL OR s.clinician_id = ?5)"
                              "  AND (?11 IS NULL OR s.clinician_id IS NOT ?11)"
                              "  AND (?6 IS NULL OR json_extract (r.data, '$.mode') = ?6)"
                              "  AND (?7 IS NULL OR s.clinician_id IN (SELECT c.id FROM records c"
                              "       WHERE c.kind = ?14 AND json_extract (c.data, '$.profession') = ?7))"
                              "  AND (?15 OR json_extract (r.data, '$.release_at') IS NULL"
                              "       OR unixepoch (json_extract (r.data, '$.release_at')) <= ?8)"
                              "  AND (json_extract (r.data, '$.hub_bookable')"
                              "       OR (?9 = 0 AND s.practice_id IN (SELECT value FROM json_each (?10))))"
                              "  AND NOT EXISTS (SELECT 1 FROM appointment_index a"
                              "                  WHERE a.slot_id = r.id AND a.status != ?13)"
                              " ORDER BY s.start_ms, s.clinician_id, r.id LIMIT ?12",
                              error);
  if (stmt == NULL ||
      !signpost_db_bind (stmt, error, "IIIssssIissiiii",
                         signpost_cache_instant_ms (query->from), signpost_cache_instant_ms (query->to),
                         signpost_cache_instant_ms (booker->now),
                         practices, only, mode, profession,
                         g_date_time_to_unix (booker->now), booker->hub ? 1 : 0, own,
                         except, (int) limit, (int) SIGNPOST_APPOINTMENT_CANCELLED,
                         (int) SIGNPOST_RECORD_CLINICIAN, query->ignore_release ? 1 : 0))
    return FALSE;
  {
    g_autoptr(GPtrArray) found = g_ptr_array_new_with_free_func (g_object_unref);

    if (!collect (self, SIGNPOST_RECORD_SLOT, stmt, found, error))
      return FALSE;
    for (guint i = 0; i < found->len; i++)
      {
        SignpostSlot *slot = g_ptr_array_index (found, i);
        /* The query left out slots with a live appointment. */
        SignpostSlotBookability bookable = signpost_slot_check_bookable (slot, NULL, booker);

        if (bookable == SIGNPOST_SLOT_BOOKABLE ||
            (query->ignore_release && bookable == SIGNPOST_SLOT_EMBARGOED))
          g_ptr_array_add (out, g_object_ref (slot));
        else
          g_warning ("The slot search and the booking rule disagree on slot %s",
                     signpost_record_get_id (SIGNPOST_RECORD (slot)));
      }
  }
  return TRUE;
}

GPtrArray *
signpost_cache_find_free_slots (SignpostCache            *self,
                                const SignpostSlotQuery  *query,
                                const SignpostSlotBooker *booker,
                                GError                  **error)
{
  g_autoptr(GPtrArray) slots = g_ptr_array_new_with_free_func (g_object_unref);
  const char *preferred;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);
  g_return_val_if_fail (query != NULL && query->from != NULL && query->to != NULL, NULL);
  g_return_val_if_fail (booker != NULL && booker->now != NULL, NULL);

  preferred = query->preferred_clinician_id;
  if (query->clinician_id != NULL || preferred == NULL)
    {
      if (!find_free (self, query, booker, query->clinician_id, NULL, query->limit, slots, error))
        return NULL;
      return g_steal_pointer (&slots);
    }
  /* Continuity: the preferred clinician's slots first (if they fit the
   * rest of the search), then everyone else's. */
  if (!find_free (self, query, booker, preferred, NULL, query->limit, slots, error) ||
      !find_free (self, query, booker, NULL, preferred, query->limit - slots->len, slots, error))
    return NULL;
  return g_steal_pointer (&slots);
}

static int
compare_nearest (gconstpointer a,
                 gconstpointer b,
                 gpointer      user_data)
{
  GDateTime *target = user_data;
  SignpostSlot *sa = *(SignpostSlot **) a;
  SignpostSlot *sb = *(SignpostSlot **) b;
  GTimeSpan da = ABS (g_date_time_difference (signpost_slot_get_start (sa), target));
  GTimeSpan db = ABS (g_date_time_difference (signpost_slot_get_start (sb), target));

  if (da != db)
    return da < db ? -1 : 1;
  return g_date_time_compare (signpost_slot_get_start (sa), signpost_slot_get_start (sb));
}

GPtrArray *
signpost_cache_find_nearest_slots (SignpostCache            *self,
                                   SignpostSlot             *slot,
                                   const SignpostSlotBooker *booker,
                                   guint                     limit,
                                   GError                  **error)
{
  g_autoptr(GPtrArray) candidates = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SignpostClinician) clinician = NULL;
  g_autoptr(GDateTime) from = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(GError) local_error = NULL;
  const char * const practices[] = { signpost_record_get_practice_id (SIGNPOST_RECORD (slot)), NULL };
  SignpostSlotQuery query = SIGNPOST_SLOT_QUERY_INIT;
  GDateTime *start;
  GPtrArray *nearest;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);
  g_return_val_if_fail (SIGNPOST_IS_SLOT (slot), NULL);
  g_return_val_if_fail (booker != NULL && booker->now != NULL, NULL);

  start = signpost_slot_get_start (slot);
  clinician = signpost_cache_get_record (self, SIGNPOST_RECORD_CLINICIAN, signpost_slot_get_clinician_id (slot),
                                         &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  /* A fortnight either way, as GP Connect's free-slot search. */
  from = g_date_time_add_days (start, -14);
  to = g_date_time_add_days (start, 14);
  query.practice_ids = practices[0] != NULL ? practices : NULL;
  query.mode = signpost_slot_get_mode (slot);
  query.from = from;
  query.to = to;
  query.limit = 400;
  if (clinician != NULL)
    query.profession = signpost_clinician_get_profession (clinician);
  else
    query.clinician_id = signpost_slot_get_clinician_id (slot);

  if (!find_free (self, &query, booker, query.clinician_id, NULL, query.limit, candidates, error))
    return NULL;
  g_ptr_array_sort_with_data (candidates, compare_nearest, start);

  nearest = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint i = 0; i < candidates->len && nearest->len < limit; i++)
    {
      SignpostSlot *candidate = g_ptr_array_index (candidates, i);

      if (g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (candidate)),
                     signpost_record_get_id (SIGNPOST_RECORD (slot))) != 0)
        g_ptr_array_add (nearest, g_object_ref (candidate));
    }
  return nearest;
}

SignpostAppointment *
signpost_cache_find_patient_booking (SignpostCache *self,
                                     const char    *patient_id,
                                     GDateTime     *from,
                                     GDateTime     *to,
                                     const char    *except_slot_id,
                                     GError       **error)
{
  g_autoptr(GPtrArray) appointments = NULL;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);
  g_return_val_if_fail (from != NULL && to != NULL, NULL);

  if (patient_id == NULL)
    return NULL;
  /* Live appointments from @from on, by start. */
  appointments = signpost_cache_list_appointments_for_patient (self, patient_id, from, error);
  for (guint i = 0; appointments != NULL && i < appointments->len; i++)
    {
      SignpostAppointment *appointment = g_ptr_array_index (appointments, i);
      const char *slot_id = signpost_appointment_get_slot_id (appointment);
      g_autoptr(SignpostSlot) slot = NULL;
      g_autoptr(GError) local_error = NULL;

      slot = signpost_cache_get_record (self, SIGNPOST_RECORD_SLOT, slot_id, &local_error);
      if (local_error != NULL)
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      if (slot == NULL || g_strcmp0 (slot_id, except_slot_id) == 0)
        continue;
      if (g_date_time_compare (signpost_slot_get_start (slot), to) >= 0)
        break;
      return g_object_ref (appointment);
    }
  return NULL;
}

GPtrArray *
signpost_cache_list_live_appointments_for_slots (SignpostCache *self,
                                                 GPtrArray     *slot_ids,
                                                 GError       **error)
{
  g_autoptr(GPtrArray) appointments = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *ids = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  if (slot_ids == NULL || slot_ids->len == 0)
    return g_steal_pointer (&appointments);
  ids = ids_json (slot_ids);
  stmt = signpost_db_prepare (signpost_cache_get_db (self),
                              "SELECT r.data, r.pending FROM appointment_index a"
                              " JOIN records r ON r.rid = a.rid"
                              " WHERE a.slot_id IN (SELECT value FROM json_each (?1)) AND a.status != ?2"
                              " ORDER BY a.slot_id, r.rid DESC",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "si", ids, (int) SIGNPOST_APPOINTMENT_CANCELLED) ||
      !collect (self, SIGNPOST_RECORD_APPOINTMENT, stmt, appointments, error))
    return NULL;
  return g_steal_pointer (&appointments);
}

GPtrArray *
signpost_cache_get_records (SignpostCache      *self,
                            SignpostRecordKind  kind,
                            GPtrArray          *ids,
                            GError            **error)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *list = NULL;
  sqlite3_stmt *stmt;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  if (ids == NULL || ids->len == 0)
    return g_steal_pointer (&records);
  list = ids_json (ids);
  stmt = signpost_db_prepare (signpost_cache_get_db (self),
                              "SELECT data, pending FROM records"
                              " WHERE id IN (SELECT value FROM json_each (?1)) AND kind = ?2 AND data IS NOT NULL",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "si", list, (int) kind) ||
      !collect (self, kind, stmt, records, error))
    return NULL;
  return g_steal_pointer (&records);
}

GHashTable *
signpost_cache_get_patient_names (SignpostCache *self,
                                  GPtrArray     *ids,
                                  GError       **error)
{
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_strfreev);
  SignpostDb *db;
  g_autofree char *list = NULL;
  sqlite3_stmt *stmt;
  int rc;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (self), NULL);

  if (ids == NULL || ids->len == 0)
    return g_steal_pointer (&names);
  db = signpost_cache_get_db (self);
  list = ids_json (ids);
  stmt = signpost_db_prepare (db,
                              "SELECT id, json_extract (data, '$.given_name'), json_extract (data, '$.family_name')"
                              " FROM records WHERE id IN (SELECT value FROM json_each (?1)) AND kind = ?2"
                              " AND data IS NOT NULL",
                              error);
  if (stmt == NULL || !signpost_db_bind (stmt, error, "si", list, (int) SIGNPOST_RECORD_PATIENT))
    return NULL;
  while ((rc = signpost_db_step (db, stmt, error)) == SQLITE_ROW)
    {
      char **pair = g_new0 (char *, 3);

      pair[0] = g_strdup ((const char *) sqlite3_column_text (stmt, 1));
      pair[1] = g_strdup ((const char *) sqlite3_column_text (stmt, 2));
      g_hash_table_insert (names, g_strdup ((const char *) sqlite3_column_text (stmt, 0)), pair);
    }
  sqlite3_reset (stmt);
  if (rc < 0)
    return NULL;
  return g_steal_pointer (&names);
}
