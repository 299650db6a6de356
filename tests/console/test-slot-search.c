/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include "console-test-fixtures.h"
#include "signpost-sync.h"

/* The diary's searches in the cache: the booking rules as the server
 * applies them (embargo, practice-only for hub navigators, started, not
 * free), the filters, continuity first, nearest alternatives to a taken
 * slot, and a patient already booked that day. */

typedef struct {
  char *dir;
  SignpostCache *cache;
  GDateTime *now;
} Fixture;

enum { GP_A, GP_B, NURSE, GP_OTHER_PRACTICE, N_CLINICIANS };

static const struct {
  const char *given, *family, *profession, *practice;
} clinicians[] = {
  { "Asha", "Patel", "gp", TEST_PRACTICE_A },
  { "Ben", "Okafor", "gp", TEST_PRACTICE_A },
  { "Cara", "Nowak", "nurse", TEST_PRACTICE_A },
  { "Dev", "Khan", "gp", TEST_PRACTICE_B },
};

static gint64 seq = 100;

static char *
at (const char *hhmm)
{
  return g_strdup_printf ("2026-11-23T%s:00Z", hhmm);
}

static JsonObject *
clinician_json (guint index)
{
  JsonObject *object = json_object_new ();
  g_autofree char *id = test_uuid_for ("clinician", index);

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "practice_id", clinicians[index].practice);
  json_object_set_int_member (object, "version", 1);
  json_object_set_string_member (object, "updated_at", "2026-11-01T00:00:00Z");
  json_object_set_int_member (object, "seq", ++seq);
  json_object_set_string_member (object, "title", g_str_equal (clinicians[index].profession, "gp") ? "Dr" : NULL);
  json_object_set_string_member (object, "given_name", clinicians[index].given);
  json_object_set_string_member (object, "family_name", clinicians[index].family);
  json_object_set_string_member (object, "profession", clinicians[index].profession);
  json_object_set_array_member (object, "duty", json_array_new ());
  return object;
}

/* Slot @index at @hhmm UTC on 23 November 2026 with @clinician. */
static char *
add_slot (Fixture    *f,
          guint       index,
          guint       clinician,
          const char *hhmm,
          const char *mode,
          const char *release_hhmm,
          gboolean    hub_bookable,
          const char *status)
{
  JsonObject *slot;
  g_autofree char *start = at (hhmm);
  g_autofree char *clinician_id = test_uuid_for ("clinician", clinician);

  slot = test_slot_json (index, clinicians[clinician].practice, start, ++seq);
  json_object_set_string_member (slot, "clinician_id", clinician_id);
  json_object_set_string_member (slot, "mode", mode);
  if (release_hhmm != NULL)
    {
      g_autofree char *release = at (release_hhmm);
      json_object_set_string_member (slot, "release_at", release);
    }
  json_object_set_boolean_member (slot, "hub_bookable", hub_bookable);
  json_object_set_string_member (slot, "status", status);
  test_apply_record (f->cache, "slot", slot);
  json_object_unref (slot);
  return test_uuid_for ("slot", index);
}

static void
add_appointment (Fixture    *f,
                 guint       index,
                 const char *slot_id,
                 const char *patient_id,
                 const char *status)
{
  JsonObject *object = json_object_new ();
  g_autofree char *id = test_uuid_for ("appointment", index);

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "practice_id", TEST_PRACTICE_A);
  json_object_set_int_member (object, "version", 1);
  json_object_set_string_member (object, "updated_at", "2026-11-01T00:00:00Z");
  json_object_set_int_member (object, "seq", ++seq);
  json_object_set_string_member (object, "slot_id", slot_id);
  json_object_set_string_member (object, "patient_id", patient_id);
  json_object_set_string_member (object, "reason", "Cough");
  json_object_set_string_member (object, "status", status);
  test_apply_record (f->cache, "appointment", object);
  json_object_unref (object);
}

/* A command as SignpostActions builds it: @data (not taken) as the
 * mutation's data, through the outbox's general form. */
static gboolean
outbox_command (SignpostOutbox      *outbox,
                SignpostRecordKind   kind,
                const char          *id,
                SignpostOp           op,
                JsonObject          *data,
                const char          *label,
                GError             **error)
{
  g_autoptr(SignpostMutation) mutation = signpost_mutation_new ();
  g_autoptr(JsonObject) empty = json_object_new ();
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), data ? data : empty);

  signpost_mutation_set_kind (mutation, kind);
  signpost_mutation_set_op (mutation, op);
  signpost_mutation_set_id (mutation, id);
  signpost_mutation_set_data (mutation, node);
  return signpost_outbox_enqueue (outbox, mutation, label, error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  f->dir = g_dir_make_tmp ("signpost-slots-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (f->dir, "cache.db", NULL);
  f->cache = signpost_cache_open (path, &error);
  g_assert_no_error (error);
  test_fill_patients (f->cache, 10);
  for (guint i = 0; i < N_CLINICIANS; i++)
    {
      JsonObject *clinician = clinician_json (i);
      test_apply_record (f->cache, "clinician", clinician);
      json_object_unref (clinician);
    }
  f->now = g_date_time_new_from_iso8601 ("2026-11-23T08:30:00Z", NULL);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *path = g_build_filename (f->dir, "cache.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_assert_finalize_object (f->cache);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (f->dir);
  g_free (f->dir);
  g_date_time_unref (f->now);
}

static char *
ids_of (GPtrArray *slots)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < slots->len; i++)
    {
      const char *id = signpost_record_get_id (g_ptr_array_index (slots, i));
      /* test_uuid_for ("slot", n) → "sN" */
      for (guint n = 0; n < 100; n++)
        {
          g_autofree char *candidate = test_uuid_for ("slot", n);
          if (g_str_equal (candidate, id))
            {
              g_string_append_printf (out, "%ss%u", out->len ? " " : "", n);
              break;
            }
        }
    }
  return g_string_free (out, FALSE);
}

static char *
search (Fixture                  *f,
        const SignpostSlotQuery  *base,
        const SignpostSlotBooker *booker)
{
  g_autoptr(GDateTime) from = g_date_time_new_from_iso8601 ("2026-11-23T00:00:00Z", NULL);
  g_autoptr(GDateTime) to = g_date_time_new_from_iso8601 ("2026-11-24T00:00:00Z", NULL);
  SignpostSlotQuery query = *base;
  g_autoptr(GPtrArray) slots = NULL;

  query.from = from;
  query.to = to;
  slots = signpost_cache_find_free_slots (f->cache, &query, booker, NULL);
  return ids_of (slots);
}

static void
seed_day (Fixture *f)
{
  g_free (add_slot (f, 0, GP_A, "09:00", "face_to_face", NULL, TRUE, "free"));
  g_free (add_slot (f, 1, GP_A, "09:10", "face_to_face", "10:00", TRUE, "free"));  /* embargoed */
  g_free (add_slot (f, 2, GP_B, "09:20", "face_to_face", NULL, FALSE, "free"));    /* practice only */
  g_free (add_slot (f, 3, NURSE, "09:30", "telephone", NULL, TRUE, "free"));
  g_free (add_slot (f, 4, GP_A, "08:00", "face_to_face", NULL, TRUE, "free"));     /* started */
  g_free (add_slot (f, 5, GP_B, "09:40", "face_to_face", NULL, TRUE, "blocked"));
  g_free (add_slot (f, 6, GP_OTHER_PRACTICE, "09:05", "face_to_face", NULL, TRUE, "free"));
  g_free (add_slot (f, 7, GP_B, "11:00", "telephone", "08:00", TRUE, "free"));    /* released */
  g_free (add_slot (f, 8, GP_A, "12:00", "face_to_face", NULL, TRUE, "free"));
}

static void
test_rules (Fixture       *f,
            gconstpointer  data)
{
  const char * const practice_a[] = { TEST_PRACTICE_A, NULL };
  const char * const both[] = { TEST_PRACTICE_A, TEST_PRACTICE_B, NULL };
  SignpostSlotBooker navigator = { FALSE, practice_a, f->now };
  SignpostSlotBooker hub = { TRUE, both, f->now };
  SignpostSlotQuery query = SIGNPOST_SLOT_QUERY_INIT;
  g_autofree char *for_navigator = NULL;
  g_autofree char *for_hub = NULL;
  g_autofree char *later = NULL;
  g_autoptr(GDateTime) ten_past_ten = g_date_time_new_from_iso8601 ("2026-11-23T10:10:00Z", NULL);

  seed_day (f);

  /* A practice navigator may book the practice-only s2; not the
   * embargoed s1, the started s4 or the blocked s5. */
  for_navigator = search (f, &query, &navigator);
  g_assert_cmpstr (for_navigator, ==, "s0 s6 s2 s3 s7 s8");
  /* A hub navigator may not book practice-only slots. */
  for_hub = search (f, &query, &hub);
  g_assert_cmpstr (for_hub, ==, "s0 s6 s3 s7 s8");
  /* Embargoed slots counted in, to say when the first one opens. */
  query.ignore_release = TRUE;
  {
    g_autofree char *with_embargoed = search (f, &query, &navigator);
    g_assert_cmpstr (with_embargoed, ==, "s0 s6 s1 s2 s3 s7 s8");
  }
  query.ignore_release = FALSE;
  /* The embargo lifts at 10:00; by 10:10 the morning has started. */
  navigator.now = ten_past_ten;
  later = search (f, &query, &navigator);
  g_assert_cmpstr (later, ==, "s7 s8");
}

/* The search's SQL and the booking rule (signpost-booking.h) offer the
 * same slots, for every kind of booker and every kind of slot. */
static void
test_rule_agrees (Fixture       *f,
                  gconstpointer  data)
{
  const char * const practice_a[] = { TEST_PRACTICE_A, NULL };
  const char * const practice_b[] = { TEST_PRACTICE_B, NULL };
  const char * const both[] = { TEST_PRACTICE_A, TEST_PRACTICE_B, NULL };
  g_autoptr(GDateTime) day = g_date_time_new_from_iso8601 ("2026-11-23T00:00:00Z", NULL);
  g_autoptr(GDateTime) next = g_date_time_add_days (day, 1);
  g_autoptr(GDateTime) ten_past_ten = g_date_time_new_from_iso8601 ("2026-11-23T10:10:00Z", NULL);
  g_autofree char *patient = test_uuid_for ("patient", 1);
  g_autofree char *held = NULL;
  g_autoptr(GPtrArray) slots = NULL;
  SignpostSlotBooker bookers[] = {
    { FALSE, practice_a, f->now },
    { FALSE, practice_b, f->now },
    { TRUE, both, f->now },
    { FALSE, both, ten_past_ten },
    { FALSE, NULL, f->now },
  };

  seed_day (f);
  /* Free, but a live appointment holds it (a change feed caught midway). */
  held = add_slot (f, 9, GP_A, "13:00", "face_to_face", NULL, TRUE, "free");
  add_appointment (f, 9, held, patient, "booked");
  slots = signpost_cache_list_slots (f->cache, NULL, day, next, NULL, NULL);
  g_assert_cmpuint (slots->len, ==, 10);

  for (guint b = 0; b < G_N_ELEMENTS (bookers); b++)
    {
      SignpostSlotQuery query = SIGNPOST_SLOT_QUERY_INIT;
      g_autoptr(GPtrArray) found = NULL;
      g_autoptr(GHashTable) offered = g_hash_table_new (g_str_hash, g_str_equal);

      query.from = day;
      query.to = next;
      found = signpost_cache_find_free_slots (f->cache, &query, &bookers[b], NULL);
      for (guint i = 0; i < found->len; i++)
        g_hash_table_add (offered, (gpointer) signpost_record_get_id (g_ptr_array_index (found, i)));
      for (guint i = 0; i < slots->len; i++)
        {
          SignpostSlot *slot = g_ptr_array_index (slots, i);
          const char *id = signpost_record_get_id (SIGNPOST_RECORD (slot));
          g_autoptr(SignpostAppointment) live = signpost_cache_get_live_appointment (f->cache, id, NULL);
          gboolean bookable = signpost_slot_check_bookable (slot, live, &bookers[b]) == SIGNPOST_SLOT_BOOKABLE;

          g_test_message ("booker %u, slot %s: rule %d, search %d", b, id, bookable,
                          g_hash_table_contains (offered, id));
          g_assert_cmpint (bookable, ==, g_hash_table_contains (offered, id));
        }
    }
}

static void
test_filters (Fixture       *f,
              gconstpointer  data)
{
  const char * const practice_a[] = { TEST_PRACTICE_A, NULL };
  SignpostSlotBooker navigator = { FALSE, practice_a, f->now };
  g_autofree char *gp_b = test_uuid_for ("clinician", GP_B);
  g_autofree char *gp_a = test_uuid_for ("clinician", GP_A);

  seed_day (f);
  {
    SignpostSlotQuery query = SIGNPOST_SLOT_QUERY_INIT;
    g_autofree char *found = NULL;

    query.practice_ids = practice_a;
    found = search (f, &query, &navigator);
    g_assert_cmpstr (found, ==, "s0 s2 s3 s7 s8");
  }
  {
    SignpostSlotQuery query = SIGNPOST_SLOT_QUERY_INIT;
    g_autofree char *found = NULL;

    query.mode = SIGNPOST_SLOT_MODE_TELEPHONE;
    found = search (f, &query, &navigator);
    g_assert_cmpstr (found, ==, "s3 s7");
  }
  {
    SignpostSlotQuery query = SIGNPOST_SLOT_QUERY_INIT;
    g_autofree char *found = NULL;

    query.profession = SIGNPOST_PROFESSION_NURSE;
    found = search (f, &query, &navigator);
    g_assert_cmpstr (found, ==, "s3");
  }
  {
    SignpostSlotQuery query = SIGNPOST_SLOT_QUERY_INIT;
    g_autofree char *found = NULL;

    query.clinician_id = gp_a;
    found = search (f, &query, &navigator);
    g_assert_cmpstr (found, ==, "s0 s8");
  }
  /* Continuity: the usual GP's slots first, then the others by time. */
  {
    SignpostSlotQuery query = SIGNPOST_SLOT_QUERY_INIT;
    g_autofree char *found = NULL;

    query.profession = SIGNPOST_PROFESSION_GP;
    query.preferred_clinician_id = gp_b;
    found = search (f, &query, &navigator);
    g_assert_cmpstr (found, ==, "s2 s7 s0 s6 s8");
  }
  /* The limit counts both parts. */
  {
    SignpostSlotQuery query = SIGNPOST_SLOT_QUERY_INIT;
    g_autofree char *found = NULL;

    query.preferred_clinician_id = gp_b;
    query.limit = 3;
    found = search (f, &query, &navigator);
    g_assert_cmpstr (found, ==, "s2 s7 s0");
  }
}

static void
test_booked_slots (Fixture       *f,
                   gconstpointer  data)
{
  const char * const practice_a[] = { TEST_PRACTICE_A, NULL };
  SignpostSlotBooker navigator = { FALSE, practice_a, f->now };
  SignpostSlotQuery query = SIGNPOST_SLOT_QUERY_INIT;
  g_autofree char *s0 = NULL;
  g_autofree char *patient = test_uuid_for ("patient", 1);
  g_autofree char *found = NULL;
  g_autoptr(SignpostSlot) slot = NULL;
  g_autoptr(SignpostAppointment) live = NULL;

  seed_day (f);
  s0 = add_slot (f, 0, GP_A, "09:00", "face_to_face", NULL, TRUE, "booked");
  add_appointment (f, 0, s0, patient, "booked");
  found = search (f, &query, &navigator);
  g_assert_cmpstr (found, ==, "s6 s2 s3 s7 s8");

  slot = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_SLOT, s0, NULL);
  live = signpost_cache_get_live_appointment (f->cache, s0, NULL);
  g_assert_nonnull (live);
  g_assert_cmpint (signpost_slot_check_bookable (slot, live, &navigator), ==, SIGNPOST_SLOT_NOT_FREE);
}

static void
test_bookable (Fixture       *f,
               gconstpointer  data)
{
  const char * const practice_a[] = { TEST_PRACTICE_A, NULL };
  const char * const practice_b[] = { TEST_PRACTICE_B, NULL };
  SignpostSlotBooker navigator = { FALSE, practice_a, f->now };
  SignpostSlotBooker other = { FALSE, practice_b, f->now };
  SignpostSlotBooker hub = { TRUE, practice_a, f->now };
  const struct { guint index; SignpostSlotBookability navigator, other, hub; } cases[] = {
    { 0, SIGNPOST_SLOT_BOOKABLE, SIGNPOST_SLOT_BOOKABLE, SIGNPOST_SLOT_BOOKABLE },
    { 1, SIGNPOST_SLOT_EMBARGOED, SIGNPOST_SLOT_EMBARGOED, SIGNPOST_SLOT_EMBARGOED },
    { 2, SIGNPOST_SLOT_BOOKABLE, SIGNPOST_SLOT_PRACTICE_ONLY, SIGNPOST_SLOT_PRACTICE_ONLY },
    { 4, SIGNPOST_SLOT_STARTED, SIGNPOST_SLOT_STARTED, SIGNPOST_SLOT_STARTED },
    { 5, SIGNPOST_SLOT_NOT_FREE, SIGNPOST_SLOT_NOT_FREE, SIGNPOST_SLOT_NOT_FREE },
  };

  seed_day (f);
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = test_uuid_for ("slot", cases[i].index);
      g_autoptr(SignpostSlot) slot = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_SLOT, id, NULL);

      g_assert_nonnull (slot);
      g_assert_cmpint (signpost_slot_check_bookable (slot, NULL, &navigator), ==, cases[i].navigator);
      g_assert_cmpint (signpost_slot_check_bookable (slot, NULL, &other), ==, cases[i].other);
      g_assert_cmpint (signpost_slot_check_bookable (slot, NULL, &hub), ==, cases[i].hub);
    }
}

static void
test_nearest (Fixture       *f,
              gconstpointer  data)
{
  const char * const practice_a[] = { TEST_PRACTICE_A, NULL };
  SignpostSlotBooker navigator = { FALSE, practice_a, f->now };
  g_autofree char *taken = NULL;
  g_autoptr(SignpostSlot) slot = NULL;
  g_autoptr(GPtrArray) nearest = NULL;
  g_autofree char *found = NULL;

  seed_day (f);
  g_free (add_slot (f, 10, GP_B, "10:30", "face_to_face", NULL, TRUE, "free"));
  g_free (add_slot (f, 11, GP_A, "10:20", "telephone", NULL, TRUE, "free"));   /* other mode */
  g_free (add_slot (f, 12, NURSE, "10:25", "face_to_face", NULL, TRUE, "free")); /* other profession */
  g_free (add_slot (f, 13, GP_A, "09:50", "face_to_face", NULL, TRUE, "free"));
  taken = add_slot (f, 14, GP_A, "10:15", "face_to_face", NULL, TRUE, "booked");
  slot = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_SLOT, taken, NULL);

  /* Same practice, same mode, GPs, nearest first (before or after);
   * practice B's GP (s6) is not offered. */
  nearest = signpost_cache_find_nearest_slots (f->cache, slot, &navigator, 4, NULL);
  found = ids_of (nearest);
  g_assert_cmpstr (found, ==, "s10 s13 s2 s0");
}

static void
test_patient_booking (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *patient = test_uuid_for ("patient", 2);
  g_autofree char *s0 = NULL;
  g_autofree char *s8 = NULL;
  g_autoptr(GDateTime) day = g_date_time_new_from_iso8601 ("2026-11-23T00:00:00Z", NULL);
  g_autoptr(GDateTime) next = g_date_time_new_from_iso8601 ("2026-11-24T00:00:00Z", NULL);
  g_autoptr(GDateTime) after = g_date_time_new_from_iso8601 ("2026-11-25T00:00:00Z", NULL);
  g_autoptr(SignpostAppointment) none = NULL;
  g_autoptr(SignpostAppointment) found = NULL;
  g_autoptr(SignpostAppointment) itself = NULL;
  g_autoptr(SignpostAppointment) cancelled = NULL;

  seed_day (f);
  s0 = add_slot (f, 0, GP_A, "09:00", "face_to_face", NULL, TRUE, "booked");
  s8 = add_slot (f, 8, GP_A, "12:00", "face_to_face", NULL, TRUE, "free");

  none = signpost_cache_find_patient_booking (f->cache, patient, day, next, NULL, NULL);
  g_assert_null (none);
  add_appointment (f, 1, s0, patient, "booked");
  found = signpost_cache_find_patient_booking (f->cache, patient, day, next, NULL, NULL);
  g_assert_nonnull (found);
  g_assert_cmpstr (signpost_appointment_get_slot_id (found), ==, s0);
  /* Not the booking being changed, and not the next day. */
  itself = signpost_cache_find_patient_booking (f->cache, patient, day, next, s0, NULL);
  g_assert_null (itself);
  g_clear_object (&found);
  found = signpost_cache_find_patient_booking (f->cache, patient, next, after, NULL, NULL);
  g_assert_null (found);
  /* A cancelled appointment does not count. */
  add_appointment (f, 1, s0, patient, "cancelled");
  cancelled = signpost_cache_find_patient_booking (f->cache, patient, day, next, NULL, NULL);
  g_assert_null (cancelled);
}

/* A booking and a cancel of one slot, both waiting (offline) or the
 * cancel straight after the booking came back: each is checked against
 * the version the slot will have by then, not a stale one. */
static void
test_command_versions (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(SignpostOutbox) outbox = signpost_outbox_new (f->cache);
  g_autofree char *slot_id = NULL;
  g_autofree char *patient = test_uuid_for ("patient", 4);
  g_autofree char *appointment_id = g_uuid_string_random ();
  g_autoptr(JsonObject) booking = json_object_new ();
  g_autoptr(JsonObject) appointment = json_object_new ();
  g_autoptr(SignpostMutationResult) result = signpost_mutation_result_new ();
  g_autoptr(SignpostSlot) slot = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = NULL;
  SignpostOutboxItem *item;
  gint64 book_base;

  slot_id = add_slot (f, 20, GP_A, "11:00", "face_to_face", NULL, TRUE, "free");
  /* The appointment's id travels with the booking (SignpostActions mints it). */
  json_object_set_string_member (booking, "appointment_id", appointment_id);
  json_object_set_string_member (booking, "patient_id", patient);
  g_assert_true (outbox_command (outbox, SIGNPOST_RECORD_SLOT, slot_id, SIGNPOST_OP_BOOK, booking,
                                          "Booked", &error));
  g_assert_no_error (error);
  g_assert_true (outbox_command (outbox, SIGNPOST_RECORD_SLOT, slot_id, SIGNPOST_OP_CANCEL, NULL,
                                          "Cancelled", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (outbox)), ==, 2);
  item = g_list_model_get_item (G_LIST_MODEL (outbox), 0);
  book_base = signpost_mutation_get_base_version (signpost_outbox_item_get_mutation (item));
  g_assert_cmpint (book_base, ==, 1);
  g_object_unref (item);
  item = g_list_model_get_item (G_LIST_MODEL (outbox), 1);
  g_assert_cmpint (signpost_mutation_get_base_version (signpost_outbox_item_get_mutation (item)), ==, 2);
  g_object_unref (item);

  /* The booking is applied: the slot is at version 2 before the change
   * feed says so. */
  item = g_list_model_get_item (G_LIST_MODEL (outbox), 0);
  json_object_set_string_member (appointment, "id",
                                 json_object_get_string_member (booking, "appointment_id"));
  json_object_set_string_member (appointment, "practice_id", TEST_PRACTICE_A);
  json_object_set_int_member (appointment, "version", 1);
  json_object_set_string_member (appointment, "updated_at", "2026-11-23T08:31:00Z");
  json_object_set_int_member (appointment, "seq", 500);
  json_object_set_string_member (appointment, "slot_id", slot_id);
  json_object_set_string_member (appointment, "patient_id", patient);
  json_object_set_string_member (appointment, "status", "booked");
  node = json_node_init_object (json_node_alloc (), appointment);
  signpost_mutation_result_set_mutation_id (result, signpost_outbox_item_get_mutation_id (item));
  signpost_mutation_result_set_status (result, SIGNPOST_RESULT_APPLIED);
  signpost_mutation_result_set_id (result, slot_id);
  signpost_mutation_result_set_version (result, 1);
  signpost_mutation_result_set_seq (result, 500);
  signpost_mutation_result_set_record (result, node);
  g_object_unref (item);
  g_assert_true (signpost_outbox_apply_result (outbox, result, &error));
  g_assert_no_error (error);
  slot = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_SLOT, slot_id, NULL);
  g_assert_cmpint (signpost_record_get_version (SIGNPOST_RECORD (slot)), ==, 2);
  g_assert_cmpuint (signpost_outbox_get_n_waiting (outbox), ==, 1);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/signpost/console/slot-search/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("rules", test_rules);
  ADD ("filters", test_filters);
  ADD ("booked", test_booked_slots);
  ADD ("bookable", test_bookable);
  ADD ("rule-agrees", test_rule_agrees);
  ADD ("nearest", test_nearest);
  ADD ("patient-booking", test_patient_booking);
  ADD ("command-versions", test_command_versions);
#undef ADD

  return g_test_run ();
}
