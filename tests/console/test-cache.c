/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gstdio.h>

#include <string.h>

#include "console-test-fixtures.h"
#include "signpost-navigation.h"
#include "signpost-cache-private.h"
#include "signpost-sync.h"

typedef struct {
  char *dir;
  char *path;
  SignpostCache *cache;
} Fixture;

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

  f->dir = g_dir_make_tmp ("signpost-cache-XXXXXX", &error);
  g_assert_no_error (error);
  f->path = g_build_filename (f->dir, "cache.db", NULL);
  f->cache = signpost_cache_open (f->path, &error);
  g_assert_no_error (error);
  signpost_cache_set_user_id (f->cache, "0b8f5f5e-1111-4222-8333-444455556666");
}

static void
remove_dir (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_unlink (path);
    }
  g_rmdir (dir);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->cache);
  remove_dir (f->dir);
  g_free (f->path);
  g_free (f->dir);
}

static void
reopen (Fixture *f)
{
  g_autoptr(GError) error = NULL;

  g_assert_finalize_object (f->cache);
  f->cache = signpost_cache_open (f->path, &error);
  g_assert_no_error (error);
  signpost_cache_set_user_id (f->cache, "0b8f5f5e-1111-4222-8333-444455556666");
}

static gboolean
contains_patient (GPtrArray  *patients,
                  guint       index)
{
  g_autofree char *id = test_uuid_for ("patient", index);

  for (guint i = 0; i < patients->len; i++)
    if (g_str_equal (signpost_record_get_id (g_ptr_array_index (patients, i)), id))
      return TRUE;
  return FALSE;
}

static GPtrArray *
search (Fixture    *f,
        const char *text)
{
  return signpost_cache_search_patients (f->cache, text, NULL, 50, NULL, NULL);
}

/* ---- tests ------------------------------------------------------------------ */

static void
test_apply_and_reopen (Fixture       *f,
                       gconstpointer  data)
{
  g_autoptr(SignpostPatient) patient = NULL;
  g_autofree char *id = test_uuid_for ("patient", 7);

  test_fill_patients (f->cache, 30);
  g_assert_cmpint (signpost_cache_get_last_seq (f->cache), ==, 32);
  g_assert_cmpuint (signpost_cache_count_records (f->cache, SIGNPOST_RECORD_PATIENT, NULL), ==, 30);
  reopen (f);
  g_assert_cmpint (signpost_cache_get_last_seq (f->cache), ==, 32);
  patient = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_PATIENT, id, NULL);
  g_assert_nonnull (patient);
  g_assert_cmpstr (signpost_patient_get_given_name (patient), ==, "Noah");
  g_assert_false (signpost_cache_record_is_pending (SIGNPOST_RECORD (patient)));
  g_assert_cmpstr (signpost_cache_get_practice_name (f->cache, TEST_PRACTICE_A), ==,
                   "Riverside Medical Practice");
}

static void
test_stale_change_ignored (Fixture       *f,
                           gconstpointer  data)
{
  g_autoptr(JsonObject) newer = test_patient_json (3, TEST_PRACTICE_A, 50);
  g_autoptr(JsonObject) older = test_patient_json (3, TEST_PRACTICE_A, 40);
  g_autoptr(SignpostPatient) patient = NULL;
  g_autofree char *id = test_uuid_for ("patient", 3);

  json_object_set_string_member (newer, "postcode", "LS1 4AP");
  json_object_set_int_member (newer, "version", 3);
  test_apply_record (f->cache, "patient", newer);
  test_apply_record (f->cache, "patient", older);
  patient = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_PATIENT, id, NULL);
  g_assert_cmpstr (signpost_patient_get_postcode (patient), ==, "LS1 4AP");
}

static void
test_search_by_name (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) zoe = NULL;
  g_autoptr(GPtrArray) any_order = NULL;
  g_autoptr(GPtrArray) apostrophe = NULL;
  g_autoptr(GPtrArray) hyphen = NULL;
  g_autoptr(GPtrArray) prefix = NULL;

  test_fill_patients (f->cache, 3000);

  /* Patient 4 is "Zoë Smith": the accent need not be typed. */
  zoe = search (f, "zoe smi");
  g_assert_true (contains_patient (zoe, 4));
  any_order = search (f, "SMITH zoë");
  g_assert_true (contains_patient (any_order, 4));
  for (guint i = 0; i < any_order->len; i++)
    g_assert_true (g_str_has_prefix (signpost_patient_get_family_name (g_ptr_array_index (any_order, i)), "Smith"));
  /* Smith itself ranks before Smith-Jones. */
  g_assert_cmpstr (signpost_patient_get_family_name (g_ptr_array_index (any_order, 0)), ==, "Smith");

  /* Patient 50 × 40 + 0 = 2000 is "Olivia O'Brien"; 2050 "Olivia Smith-Jones". */
  apostrophe = search (f, "obrien olivia");
  g_assert_true (contains_patient (apostrophe, 2000));
  hyphen = search (f, "jones olivia");
  g_assert_true (contains_patient (hyphen, 2050));
  g_assert_true (contains_patient (hyphen, 50));

  /* Exact surname first: "lee" ranks Lee before Lewis, Llewellyn… */
  prefix = search (f, "le");
  g_assert_cmpuint (prefix->len, >, 0);
  g_assert_cmpstr (signpost_patient_get_family_name (g_ptr_array_index (prefix, 0)), ==, "Lee");
}

static void
test_search_by_keys (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(JsonObject) p = NULL;
  g_autofree char *nhs = NULL;
  g_autofree char *spaced = NULL;
  g_autofree char *dob_uk = NULL;
  const char *dob;
  const char *postcode;

  test_fill_patients (f->cache, 600);
  p = test_patient_json (123, TEST_PRACTICE_A, 0);
  nhs = g_strdup (json_object_get_string_member (p, "nhs_number"));
  spaced = signpost_nhs_number_format (nhs);
  dob = json_object_get_string_member (p, "date_of_birth");
  dob_uk = g_strdup_printf ("%.2s/%.2s/%.4s", dob + 8, dob + 5, dob);
  postcode = json_object_get_string_member (p, "postcode");

  {
    g_autoptr(GPtrArray) r = search (f, nhs);
    g_assert_cmpuint (r->len, ==, 1);
    g_assert_true (contains_patient (r, 123));
  }
  {
    g_autoptr(GPtrArray) r = search (f, spaced);
    g_assert_cmpuint (r->len, ==, 1);
  }
  {
    g_autoptr(GPtrArray) r = search (f, dob_uk);
    g_assert_true (contains_patient (r, 123));
  }
  {
    g_autoptr(GPtrArray) r = search (f, dob);
    g_assert_true (contains_patient (r, 123));
  }
  {
    g_autoptr(GPtrArray) r = search (f, postcode);
    g_assert_true (contains_patient (r, 123));
  }
  {
    g_autofree char *lower = g_ascii_strdown (postcode, -1);
    g_autoptr(GPtrArray) r = search (f, lower);
    g_assert_true (contains_patient (r, 123));
  }
  {
    /* +447700900123 in the ways people write it */
    const char *forms[] = { "07700 900123", "+44 (0)7700 900123", "0044-7700-900-123" };
    for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
      {
        g_autoptr(GPtrArray) r = search (f, forms[i]);
        g_assert_true (contains_patient (r, 123));
      }
  }
  {
    /* Name and date of birth together narrow to the one patient. */
    g_autofree char *text = g_strdup_printf ("%s %s", json_object_get_string_member (p, "family_name"), dob_uk);
    g_autoptr(GPtrArray) r = search (f, text);
    g_assert_true (contains_patient (r, 123));
    for (guint i = 0; i < r->len; i++)
      g_assert_cmpstr (signpost_patient_get_date_of_birth (g_ptr_array_index (r, i)), ==, dob);
  }
  {
    g_autoptr(GPtrArray) r = search (f, "xyzzy");
    g_assert_cmpuint (r->len, ==, 0);
  }
}

static void
test_search_limit (Fixture       *f,
                   gconstpointer  data)
{
  gboolean more = FALSE;
  g_autoptr(GPtrArray) r = NULL;

  test_fill_patients (f->cache, 2000);
  r = signpost_cache_search_patients (f->cache, "o", NULL, 25, &more, NULL);
  g_assert_cmpuint (r->len, ==, 25);
  g_assert_true (more);
}

static void
test_phone_lookup (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *landline = test_landline_for (10);
  g_autofree char *mobile = test_mobile_for (31);
  g_autoptr(GPtrArray) household = NULL;
  g_autoptr(GPtrArray) one = NULL;
  g_autoptr(GPtrArray) none = NULL;

  test_fill_patients (f->cache, 300);
  household = signpost_cache_find_patients_by_phone (f->cache, landline, NULL);
  g_assert_cmpuint (household->len, ==, 3);
  g_assert_true (contains_patient (household, 30));
  g_assert_true (contains_patient (household, 31));
  g_assert_true (contains_patient (household, 32));
  one = signpost_cache_find_patients_by_phone (f->cache, "07700 900031", NULL);
  g_assert_cmpuint (one->len, ==, 1);
  g_assert_true (contains_patient (one, 31));
  none = signpost_cache_find_patients_by_phone (f->cache, "withheld", NULL);
  g_assert_cmpuint (none->len, ==, 0);
}

/* A patient who left the practice (left_at) is found by neither the
 * search nor the caller lookup unless asked for; back on the list, they
 * are found again. */
static void
test_left_patients (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *landline = test_landline_for (10);
  g_autofree char *nhs = test_nhs_number_for (31);
  g_autoptr(JsonObject) left = test_patient_json (31, TEST_PRACTICE_A, 1000);
  g_autoptr(JsonObject) back = test_patient_json (31, TEST_PRACTICE_A, 1001);
  g_autoptr(SignpostPatientSearchModel) model = NULL;
  const char *dob = json_object_get_string_member (left, "date_of_birth");
  const char *postcode = json_object_get_string_member (left, "postcode");

  test_fill_patients (f->cache, 300);
  json_object_set_int_member (left, "version", 2);
  json_object_set_string_member (left, "left_at", "2026-11-02T09:30:00Z");
  test_apply_record (f->cache, "patient", left);

  /* The caller lookup: the household without them; the number that is
   * theirs alone finds nobody. */
  {
    g_autoptr(GPtrArray) household = signpost_cache_find_patients_by_phone (f->cache, landline, NULL);
    g_autoptr(GPtrArray) all = signpost_cache_find_patients_by_phone_full (f->cache, landline, TRUE, NULL);
    g_autoptr(GPtrArray) own = signpost_cache_find_patients_by_phone (f->cache, "07700 900031", NULL);
    g_autoptr(GPtrArray) own_all = signpost_cache_find_patients_by_phone_full (f->cache, "07700 900031",
                                                                               TRUE, NULL);

    g_assert_cmpuint (household->len, ==, 2);
    g_assert_false (contains_patient (household, 31));
    g_assert_cmpuint (all->len, ==, 3);
    g_assert_true (contains_patient (all, 31));
    /* Whoever is still registered comes first. */
    g_assert_null (signpost_patient_get_left_at (g_ptr_array_index (all, 0)));
    g_assert_null (signpost_patient_get_left_at (g_ptr_array_index (all, 1)));
    g_assert_nonnull (signpost_patient_get_left_at (g_ptr_array_index (all, 2)));
    g_assert_cmpuint (own->len, ==, 0);
    g_assert_cmpuint (own_all->len, ==, 1);
    g_assert_nonnull (signpost_patient_get_left_at (g_ptr_array_index (own_all, 0)));
  }
  /* Every way of searching: NHS number, date of birth, postcode, phone,
   * name. */
  {
    const char *queries[] = { nhs, dob, postcode, "07700 900031", "07700 9000" };

    for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
      {
        g_autoptr(GPtrArray) registered = signpost_cache_search_patients_full (f->cache, queries[i], NULL, FALSE,
                                                                               500, NULL, NULL);
        g_autoptr(GPtrArray) all = signpost_cache_search_patients_full (f->cache, queries[i], NULL, TRUE, 500,
                                                                        NULL, NULL);

        g_test_message ("searching for %s", queries[i]);
        g_assert_false (contains_patient (registered, 31));
        g_assert_true (contains_patient (all, 31));
        g_assert_nonnull (signpost_patient_get_left_at (g_ptr_array_index (all, all->len - 1)));
      }
  }
  {
    g_autofree char *name = g_strdup_printf ("%s %s", json_object_get_string_member (left, "given_name"),
                                             json_object_get_string_member (left, "family_name"));
    g_autoptr(GPtrArray) registered = signpost_cache_search_patients_full (f->cache, name, NULL, FALSE, 500,
                                                                           NULL, NULL);
    g_autoptr(GPtrArray) all = signpost_cache_search_patients_full (f->cache, name, NULL, TRUE, 500, NULL, NULL);

    g_assert_false (contains_patient (registered, 31));
    g_assert_true (contains_patient (all, 31));
  }

  /* The model asks when told to, and follows them back onto the list. */
  model = signpost_patient_search_model_new (f->cache);
  signpost_patient_search_model_set_query (model, nhs);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  signpost_patient_search_model_set_include_left (model, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  signpost_patient_search_model_set_include_left (model, FALSE);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  json_object_set_int_member (back, "version", 3);
  json_object_set_null_member (back, "left_at");
  test_apply_record (f->cache, "patient", back);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 1);
  {
    g_autoptr(GPtrArray) own = signpost_cache_find_patients_by_phone (f->cache, "07700 900031", NULL);
    g_assert_cmpuint (own->len, ==, 1);
  }
}

typedef struct {
  guint position, removed, added;
} Change;

static void
record_change (GListModel *model,
               guint       position,
               guint       removed,
               guint       added,
               GArray     *log)
{
  Change change = { position, removed, added };
  g_array_append_val (log, change);
}

static void
assert_changes (GArray *log,
                guint   n,
                ...)
{
  va_list args;

  g_assert_cmpuint (log->len, ==, n);
  va_start (args, n);
  for (guint i = 0; i < n; i++)
    {
      Change *c = &g_array_index (log, Change, i);
      g_assert_cmpuint (c->position, ==, va_arg (args, guint));
      g_assert_cmpuint (c->removed, ==, va_arg (args, guint));
      g_assert_cmpuint (c->added, ==, va_arg (args, guint));
    }
  va_end (args);
  g_array_set_size (log, 0);
}

static void
test_call_model (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(SignpostCallListModel) waiting = NULL;
  g_autoptr(SignpostCallListModel) answered = NULL;
  g_autoptr(GArray) log = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GArray) answered_log = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(SignpostCall) first = NULL;
  const char *times[] = { "2026-11-23T08:00:01Z", "2026-11-23T08:00:05Z", "2026-11-23T08:00:09Z" };

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(JsonObject) call = test_call_json (i, TEST_PRACTICE_A, "queued", times[i], 10 + i);
      test_apply_record (f->cache, "call", call);
    }
  waiting = signpost_call_list_model_new (f->cache, SIGNPOST_CALL_LIST_WAITING);
  answered = signpost_call_list_model_new (f->cache, SIGNPOST_CALL_LIST_IN_PROGRESS);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (waiting)), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (answered)), ==, 0);
  g_signal_connect (waiting, "items-changed", G_CALLBACK (record_change), log);
  g_signal_connect (answered, "items-changed", G_CALLBACK (record_change), answered_log);
  first = g_list_model_get_item (G_LIST_MODEL (waiting), 0);

  /* A call offered between the first two goes in at position 1, alone. */
  {
    g_autoptr(JsonObject) call = test_call_json (3, TEST_PRACTICE_A, "queued", "2026-11-23T08:00:03Z", 20);
    test_apply_record (f->cache, "call", call);
  }
  assert_changes (log, 1, 1, 0, 1);

  /* An update in place: one row changes, the object stays the same. */
  {
    g_autoptr(JsonObject) call = test_call_json (0, TEST_PRACTICE_A, "queued", times[0], 21);
    g_autoptr(SignpostCall) again = NULL;
    json_object_set_int_member (call, "version", 2);
    json_object_set_int_member (call, "position", 1);
    test_apply_record (f->cache, "call", call);
    assert_changes (log, 1, 0, 1, 1);
    again = g_list_model_get_item (G_LIST_MODEL (waiting), 0);
    g_assert_true (again == first);
    g_assert_cmpint (signpost_call_get_position (first), ==, 1);
  }

  /* Answered: leaves the queue, joins the calls in progress. */
  {
    g_autoptr(JsonObject) call = test_call_json (1, TEST_PRACTICE_A, "answered", times[1], 22);
    json_object_set_int_member (call, "version", 2);
    test_apply_record (f->cache, "call", call);
  }
  assert_changes (log, 1, 2, 1, 0);
  assert_changes (answered_log, 1, 0, 0, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (waiting)), ==, 3);
}

static void
test_search_model (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SignpostPatientSearchModel) model = NULL;
  g_autoptr(GArray) log = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(SignpostPatient) row = NULL;
  guint n;

  test_fill_patients (f->cache, 500);
  model = signpost_patient_search_model_new (f->cache);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 0);
  signpost_patient_search_model_set_query (model, "zoe");
  n = g_list_model_get_n_items (G_LIST_MODEL (model));
  g_assert_cmpuint (n, >, 0);
  row = g_list_model_get_item (G_LIST_MODEL (model), 0);

  /* Narrowing keeps the rows still there (same objects). */
  g_signal_connect (model, "items-changed", G_CALLBACK (record_change), log);
  signpost_patient_search_model_set_query (model, "zoe smith");
  g_assert_cmpuint (log->len, >=, 1);
  g_array_set_size (log, 0);

  /* A change to a listed patient is one row changing. */
  {
    g_autoptr(SignpostPatient) first = g_list_model_get_item (G_LIST_MODEL (model), 0);
    g_autoptr(JsonObject) json = NULL;
    g_autofree char *want = g_strdup (signpost_record_get_id (SIGNPOST_RECORD (first)));
    guint index = 0;

    for (index = 0; index < 500; index++)
      {
        g_autofree char *id = test_uuid_for ("patient", index);
        if (g_str_equal (id, want))
          break;
      }
    json = test_patient_json (index, index % 5 == 4 ? TEST_PRACTICE_B : TEST_PRACTICE_A, 1000);
    json_object_set_int_member (json, "version", 2);
    json_object_set_string_member (json, "postcode", "YO10 5DD");
    test_apply_record (f->cache, "patient", json);
    assert_changes (log, 1, 0, 1, 1);
    g_assert_cmpstr (signpost_patient_get_postcode (first), ==, "YO10 5DD");
  }
}

static void
test_slot_model_clock_change (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(SignpostSlotListModel) day = NULL;
  /* Clocks go forward at 01:00 UTC on 29 March 2026: that day runs from
   * 00:00Z to 23:00Z (midnight BST). */
  const char *starts[] = { "2026-03-28T23:59:00Z", "2026-03-29T00:00:00Z", "2026-03-29T08:00:00Z",
                           "2026-03-29T22:59:00Z", "2026-03-29T23:00:00Z" };

  for (guint i = 0; i < G_N_ELEMENTS (starts); i++)
    {
      g_autoptr(JsonObject) slot = test_slot_json (i, TEST_PRACTICE_A, starts[i], 100 + i);
      test_apply_record (f->cache, "slot", slot);
    }
  day = signpost_slot_list_model_new (f->cache, TEST_PRACTICE_A, "2026-03-29");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (day)), ==, 3);
  signpost_slot_list_model_set_date (day, "2026-03-30");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (day)), ==, 1);
}

static void
test_outbox_overlay (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SignpostOutbox) outbox = NULL;
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(SignpostPatient) copy = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = test_uuid_for ("patient", 5);
  g_autoptr(SignpostOutboxItem) item = NULL;
  g_autofree char *mutation_id = NULL;

  test_fill_patients (f->cache, 10);
  outbox = signpost_outbox_new (f->cache);

  patient = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_PATIENT, id, NULL);
  copy = signpost_object_copy (SIGNPOST_OBJECT (patient));
  signpost_patient_set_postcode (copy, "LS6 2AB");
  g_assert_true (signpost_outbox_save (outbox, SIGNPOST_RECORD (copy), "Changed the postcode", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (signpost_outbox_get_n_waiting (outbox), ==, 1);

  /* Saving the same again sends nothing. */
  g_assert_true (signpost_outbox_save (outbox, SIGNPOST_RECORD (copy), "Nothing", &error));
  g_assert_cmpuint (signpost_outbox_get_n_waiting (outbox), ==, 1);

  item = g_list_model_get_item (G_LIST_MODEL (outbox), 0);
  mutation_id = g_strdup (signpost_outbox_item_get_mutation_id (item));
  g_assert_cmpint (signpost_mutation_get_base_version (signpost_outbox_item_get_mutation (item)), ==, 1);
  g_clear_object (&item);

  /* Durable: a new cache on the same file (a restarted console) still
   * has the change and shows it as pending. */
  g_clear_object (&outbox);
  reopen (f);
  outbox = signpost_outbox_new (f->cache);
  g_assert_cmpuint (signpost_outbox_get_n_waiting (outbox), ==, 1);
  g_clear_object (&patient);
  patient = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_PATIENT, id, NULL);
  g_assert_cmpstr (signpost_patient_get_postcode (patient), ==, "LS6 2AB");
  g_assert_true (signpost_cache_record_is_pending (SIGNPOST_RECORD (patient)));
  {
    g_autoptr(GPtrArray) r = search (f, "ls6 2ab");
    g_assert_true (contains_patient (r, 5));
  }

  /* Someone else changes another field meanwhile: both show. */
  {
    g_autoptr(JsonObject) server = test_patient_json (5, TEST_PRACTICE_A, 100);
    json_object_set_int_member (server, "version", 2);
    json_object_set_string_member (server, "given_name", "Zoey");
    test_apply_record (f->cache, "patient", server);
  }
  g_clear_object (&patient);
  patient = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_PATIENT, id, NULL);
  g_assert_cmpstr (signpost_patient_get_postcode (patient), ==, "LS6 2AB");
  g_assert_cmpstr (signpost_patient_get_given_name (patient), ==, "Zoey");
  g_assert_true (signpost_cache_record_is_pending (SIGNPOST_RECORD (patient)));

  /* The server applied it: no longer pending, at the new version. */
  {
    g_autoptr(SignpostMutationResult) result = signpost_mutation_result_new ();
    signpost_mutation_result_set_mutation_id (result, mutation_id);
    signpost_mutation_result_set_status (result, SIGNPOST_RESULT_APPLIED);
    signpost_mutation_result_set_id (result, id);
    signpost_mutation_result_set_version (result, 3);
    signpost_mutation_result_set_seq (result, 101);
    g_assert_true (signpost_outbox_apply_result (outbox, result, &error));
    g_assert_no_error (error);
  }
  g_assert_cmpuint (signpost_outbox_get_n_waiting (outbox), ==, 0);
  g_clear_object (&patient);
  patient = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_PATIENT, id, NULL);
  g_assert_false (signpost_cache_record_is_pending (SIGNPOST_RECORD (patient)));
  g_assert_cmpstr (signpost_patient_get_postcode (patient), ==, "LS6 2AB");
  g_assert_cmpint (signpost_record_get_version (SIGNPOST_RECORD (patient)), ==, 3);
}

static void
test_outbox_conflict (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SignpostOutbox) outbox = NULL;
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = test_uuid_for ("patient", 2);
  g_autoptr(SignpostOutboxItem) item = NULL;
  g_autofree char *mutation_id = NULL;
  g_autoptr(JsonObject) current = test_patient_json (2, TEST_PRACTICE_A, 200);

  test_fill_patients (f->cache, 5);
  outbox = signpost_outbox_new (f->cache);
  patient = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_PATIENT, id, NULL);
  signpost_patient_set_postcode (patient, "M14 6AB");
  g_assert_true (signpost_outbox_save (outbox, SIGNPOST_RECORD (patient), "Postcode", &error));
  item = g_list_model_get_item (G_LIST_MODEL (outbox), 0);
  mutation_id = g_strdup (signpost_outbox_item_get_mutation_id (item));

  json_object_set_int_member (current, "version", 2);
  json_object_set_string_member (current, "postcode", "B15 2TT");
  {
    g_autoptr(SignpostMutationResult) result = signpost_mutation_result_new ();
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), current);
    signpost_mutation_result_set_mutation_id (result, mutation_id);
    signpost_mutation_result_set_status (result, SIGNPOST_RESULT_CONFLICT);
    signpost_mutation_result_set_record (result, node);
    g_assert_true (signpost_outbox_apply_result (outbox, result, &error));
    g_assert_no_error (error);
  }

  /* Kept, with the server's record; the cache shows the server's. */
  g_assert_cmpuint (signpost_outbox_get_n_waiting (outbox), ==, 0);
  g_assert_cmpuint (signpost_outbox_get_n_problems (outbox), ==, 1);
  g_assert_true (item == signpost_outbox_find (outbox, mutation_id));
  g_assert_cmpint (signpost_outbox_item_get_state (item), ==, SIGNPOST_OUTBOX_CONFLICT);
  g_assert_nonnull (signpost_outbox_item_get_current (item));
  g_assert_cmpstr (signpost_patient_get_postcode (SIGNPOST_PATIENT (signpost_outbox_item_get_current (item))),
                   ==, "B15 2TT");
  g_clear_object (&patient);
  patient = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_PATIENT, id, NULL);
  g_assert_cmpstr (signpost_patient_get_postcode (patient), ==, "B15 2TT");
  g_assert_false (signpost_cache_record_is_pending (SIGNPOST_RECORD (patient)));

  /* Survives a restart too. */
  g_clear_object (&item);
  g_clear_object (&outbox);
  reopen (f);
  outbox = signpost_outbox_new (f->cache);
  g_assert_cmpuint (signpost_outbox_get_n_problems (outbox), ==, 1);

  /* Resolve: send again on top of the server's version. */
  g_assert_true (signpost_outbox_retry (outbox, mutation_id, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (signpost_outbox_get_n_problems (outbox), ==, 0);
  g_assert_cmpuint (signpost_outbox_get_n_waiting (outbox), ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (outbox), 0);
  g_assert_cmpint (signpost_mutation_get_base_version (signpost_outbox_item_get_mutation (item)), ==, 2);
  g_assert_cmpstr (signpost_outbox_item_get_mutation_id (item), !=, mutation_id);
  g_clear_object (&patient);
  patient = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_PATIENT, id, NULL);
  g_assert_cmpstr (signpost_patient_get_postcode (patient), ==, "M14 6AB");
}

static void
test_outbox_create_and_chain (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(SignpostOutbox) outbox = NULL;
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(SignpostPatient) cached = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) json = test_patient_json (9001, TEST_PRACTICE_A, 0);
  const char *id;

  test_fill_patients (f->cache, 3);
  outbox = signpost_outbox_new (f->cache);
  patient = signpost_object_new_from_json (SIGNPOST_TYPE_PATIENT, json, SIGNPOST_DECODE_CREATE, &error);
  g_assert_no_error (error);
  signpost_record_set_id (SIGNPOST_RECORD (patient), NULL);
  g_assert_true (signpost_outbox_save (outbox, SIGNPOST_RECORD (patient), "Registered a temporary patient", &error));
  g_assert_no_error (error);
  id = signpost_record_get_id (SIGNPOST_RECORD (patient));
  g_assert_nonnull (id);

  cached = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_PATIENT, id, NULL);
  g_assert_nonnull (cached);
  g_assert_true (signpost_cache_record_is_pending (SIGNPOST_RECORD (cached)));

  /* A change to it before the create was sent is based on version 1. */
  signpost_patient_set_postcode (cached, "NG7 2RD");
  g_assert_true (signpost_outbox_save (outbox, SIGNPOST_RECORD (cached), "Postcode", &error));
  {
    g_autoptr(SignpostOutboxItem) second = g_list_model_get_item (G_LIST_MODEL (outbox), 1);
    g_assert_cmpint (signpost_mutation_get_op (signpost_outbox_item_get_mutation (second)), ==, SIGNPOST_OP_UPDATE);
    g_assert_cmpint (signpost_mutation_get_base_version (signpost_outbox_item_get_mutation (second)), ==, 1);
  }

  /* Call commands are never queued. */
  {
    g_autofree char *call = test_uuid_for ("call", 1);
    g_assert_false (outbox_command (outbox, SIGNPOST_RECORD_CALL, call, SIGNPOST_OP_ANSWER,
                                             NULL, "Answer", &error));
    g_assert_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_FAILED);
  }
}

static void
test_outbox_booking (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(SignpostOutbox) outbox = NULL;
  g_autoptr(SignpostSlotListModel) day = NULL;
  g_autoptr(GArray) log = g_array_new (FALSE, FALSE, sizeof (Change));
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) slot = test_slot_json (1, TEST_PRACTICE_A, "2026-11-23T09:00:00Z", 10);
  g_autoptr(JsonObject) data_in = json_object_new ();
  g_autofree char *slot_id = test_uuid_for ("slot", 1);
  g_autofree char *patient_id = test_uuid_for ("patient", 1);
  g_autofree char *appointment_id = g_uuid_string_random ();
  g_autoptr(SignpostAppointment) appointment = NULL;
  g_autoptr(SignpostSlot) cached = NULL;

  test_apply_record (f->cache, "slot", slot);
  outbox = signpost_outbox_new (f->cache);
  day = signpost_slot_list_model_new (f->cache, TEST_PRACTICE_A, "2026-11-23");
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (day)), ==, 1);
  g_signal_connect (day, "items-changed", G_CALLBACK (record_change), log);

  /* The appointment's id travels with the booking (SignpostActions mints it). */
  json_object_set_string_member (data_in, "appointment_id", appointment_id);
  json_object_set_string_member (data_in, "patient_id", patient_id);
  json_object_set_string_member (data_in, "reason", "Cough for three weeks");
  g_assert_true (outbox_command (outbox, SIGNPOST_RECORD_SLOT, slot_id, SIGNPOST_OP_BOOK,
                                          data_in, "Booked", &error));
  g_assert_no_error (error);
  g_assert_true (json_object_has_member (data_in, "appointment_id"));

  /* The slot shows booked (pending) and has its appointment. */
  g_assert_cmpuint (log->len, >=, 1);
  cached = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_SLOT, slot_id, NULL);
  g_assert_cmpint (signpost_slot_get_status (cached), ==, SIGNPOST_SLOT_BOOKED);
  g_assert_true (signpost_cache_record_is_pending (SIGNPOST_RECORD (cached)));
  appointment = signpost_cache_get_live_appointment (f->cache, slot_id, NULL);
  g_assert_nonnull (appointment);
  g_assert_cmpstr (signpost_appointment_get_patient_id (appointment), ==, patient_id);
  g_assert_cmpstr (signpost_appointment_get_reason (appointment), ==, "Cough for three weeks");
  g_assert_cmpstr (signpost_appointment_get_booked_by (appointment), ==, signpost_cache_get_user_id (f->cache));
  g_assert_cmpstr (signpost_record_get_id (SIGNPOST_RECORD (appointment)), ==,
                   json_object_get_string_member (data_in, "appointment_id"));
}

static void
test_drafts (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(JsonObject) draft = json_object_new ();
  g_autoptr(JsonObject) loaded = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) keys = NULL;

  json_object_set_string_member (draft, "reason", "Rash on both arms since Friday");
  g_assert_true (signpost_cache_save_draft (f->cache, "triage:new-1", draft, &error));
  g_assert_no_error (error);
  reopen (f);
  loaded = signpost_cache_load_draft (f->cache, "triage:new-1");
  g_assert_nonnull (loaded);
  g_assert_cmpstr (json_object_get_string_member (loaded, "reason"), ==, "Rash on both arms since Friday");
  keys = signpost_cache_list_drafts (f->cache, "triage:", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (keys), ==, 1);
  g_assert_true (signpost_cache_delete_draft (f->cache, "triage:new-1", &error));
  g_clear_pointer (&loaded, json_object_unref);
  loaded = signpost_cache_load_draft (f->cache, "triage:new-1");
  g_assert_null (loaded);
}

static void
async_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (result);
}

static void
test_apply_async (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) kinds = g_ptr_array_new ();
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostPatientSearchModel) model = signpost_patient_search_model_new (f->cache);
  gint64 last_seq = 0;
  gboolean more = TRUE;
  guint n = 0;

  signpost_patient_search_model_set_query (model, "olivia");
  for (guint i = 0; i < 1000; i++)
    {
      g_ptr_array_add (records, test_patient_json (i, TEST_PRACTICE_A, i + 1));
      g_ptr_array_add (kinds, (gpointer) "patient");
    }
  page = test_changes_page (records, kinds, 1000, FALSE);
  signpost_cache_apply_changes_async (f->cache, page, NULL, async_done, &result);
  while (result == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_true (signpost_cache_apply_changes_finish (f->cache, result, &last_seq, &more, &n, &error));
  g_assert_no_error (error);
  g_assert_cmpint (last_seq, ==, 1000);
  g_assert_false (more);
  g_assert_cmpuint (n, ==, 1000);
  g_assert_cmpint (signpost_cache_get_last_seq (f->cache), ==, 1000);
  /* The model saw the records arrive. */
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 20);
}

static void
test_bad_page (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GBytes) page = g_bytes_new_static ("{\"changes\": 3}", 14);
  g_autoptr(GError) error = NULL;

  g_assert_false (signpost_cache_apply_changes (f->cache, page, NULL, NULL, NULL, &error));
  g_assert_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL);
  g_clear_error (&error);
  g_clear_pointer (&page, g_bytes_unref);
  page = g_bytes_new_static ("[[[[", 4);
  g_assert_false (signpost_cache_apply_changes (f->cache, page, NULL, NULL, NULL, &error));
  g_assert_nonnull (error);
}

/* A query that cannot be run says so: an error, never an empty list; a
 * list model keeps the rows it had and tells why on :error. */
static void
test_query_errors (Fixture       *f,
                   gconstpointer  data)
{
  const SignpostCallState queued[] = { SIGNPOST_CALL_QUEUED, -1 };
  g_autoptr(SignpostCallListModel) waiting = NULL;
  g_autoptr(GPtrArray) calls = NULL;
  g_autoptr(GPtrArray) patients = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *number = test_mobile_for (1);

  test_fill_patients (f->cache, 5);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(JsonObject) call = test_call_json (i, TEST_PRACTICE_A, "queued", "2026-11-23T08:00:01Z", 10 + i);
      test_apply_record (f->cache, "call", call);
    }
  waiting = signpost_call_list_model_new (f->cache, SIGNPOST_CALL_LIST_WAITING);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (waiting)), ==, 2);
  g_assert_null (signpost_record_list_get_error (SIGNPOST_RECORD_LIST (waiting)));
  patients = signpost_cache_find_patients_by_phone (f->cache, number, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (patients->len, ==, 1);
  g_clear_pointer (&patients, g_ptr_array_unref);

  /* This PC's copy is damaged under the console's feet. */
  g_assert_true (signpost_db_exec (signpost_cache_get_db (f->cache),
                                   "DROP TABLE call_index; DROP TABLE patient_phones", &error));
  g_assert_no_error (error);

  calls = signpost_cache_list_calls (f->cache, queued, NULL, NULL, &error);
  g_assert_null (calls);
  g_assert_nonnull (error);
  g_clear_error (&error);
  patients = signpost_cache_find_patients_by_phone (f->cache, number, &error);
  g_assert_null (patients);
  g_assert_nonnull (error);
  g_clear_error (&error);

  g_test_expect_message ("signpost-sync", G_LOG_LEVEL_WARNING, "A list of call records could not be read*");
  signpost_record_list_reload (SIGNPOST_RECORD_LIST (waiting));
  g_test_assert_expected_messages ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (waiting)), ==, 2);
  g_assert_nonnull (signpost_record_list_get_error (SIGNPOST_RECORD_LIST (waiting)));

  /* Drafts that cannot be read are not "no drafts". */
  {
    g_auto(GStrv) ids = NULL;

    g_assert_true (signpost_db_exec (signpost_cache_get_db (f->cache), "DROP TABLE drafts", &error));
    g_assert_no_error (error);
    ids = signpost_request_draft_list (f->cache, &error);
    g_assert_null (ids);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }

  /* One record: "not on this PC" is NULL without an error; a cache that
   * cannot be asked is an error. */
  {
    g_autofree char *patient_id = test_uuid_for ("patient", 1);
    g_autoptr(SignpostPatient) patient = NULL;
    g_autoptr(SignpostPatient) missing = NULL;
    g_autoptr(SignpostPatient) unread = NULL;

    patient = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_PATIENT, patient_id, &error);
    g_assert_no_error (error);
    g_assert_nonnull (patient);
    missing = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_PATIENT,
                                         "00000000-0000-4000-8000-000000000000", &error);
    g_assert_no_error (error);
    g_assert_null (missing);
    g_assert_true (signpost_db_exec (signpost_cache_get_db (f->cache),
                                     "ALTER TABLE records RENAME TO records_damaged", &error));
    g_assert_no_error (error);
    unread = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_PATIENT, patient_id, &error);
    g_assert_null (unread);
    g_assert_nonnull (error);
    g_clear_error (&error);
  }
}

/* Starting again keeps what is this PC's own: the outbox and drafts. */
static void
test_reset (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(SignpostOutbox) outbox = NULL;
  g_autoptr(JsonObject) draft = json_object_new ();
  g_autoptr(JsonObject) loaded = NULL;
  g_autoptr(GPtrArray) waiting = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostPatient) patient = NULL;
  g_autofree char *patient_id = test_uuid_for ("patient", 1);

  test_fill_patients (f->cache, 5);
  g_assert_cmpint (signpost_cache_get_last_seq (f->cache), >, 0);
  outbox = signpost_outbox_new (f->cache);
  patient = signpost_cache_get_record (f->cache, SIGNPOST_RECORD_PATIENT, patient_id, NULL);
  g_assert_nonnull (patient);
  signpost_patient_set_postcode (patient, "NG7 2RD");
  g_assert_true (signpost_outbox_save (outbox, SIGNPOST_RECORD (patient), "Postcode", &error));
  g_assert_no_error (error);
  json_object_set_string_member (draft, "reason", "Rash");
  g_assert_true (signpost_cache_save_draft (f->cache, "triage:kept", draft, &error));

  g_assert_true (signpost_cache_reset (f->cache, &error));
  g_assert_no_error (error);
  g_assert_cmpint (signpost_cache_get_last_seq (f->cache), ==, 0);
  g_assert_cmpuint (signpost_cache_count_records (f->cache, SIGNPOST_RECORD_PRACTICE, &error), ==, 0);
  g_assert_no_error (error);
  waiting = signpost_cache_outbox_list (f->cache);
  g_assert_cmpuint (waiting->len, ==, 1);
  loaded = signpost_cache_load_draft (f->cache, "triage:kept");
  g_assert_nonnull (loaded);
  /* And it stays so when opened again. */
  g_clear_object (&outbox);
  reopen (f);
  g_assert_cmpint (signpost_cache_get_last_seq (f->cache), ==, 0);
}

/* A request's draft holds values (nicks, ids); one written by a version
 * that kept the form's row numbers reads as what those rows meant. */
static void
test_request_draft (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(SignpostRequestDraft) draft = signpost_request_draft_new ("6d1f0b1e-0000-4000-8000-00000000d001");
  g_autoptr(SignpostRequestDraft) loaded = NULL;
  g_autoptr(SignpostRequestDraft) migrated = NULL;
  g_autoptr(JsonObject) json = NULL;
  g_autoptr(JsonObject) v1 = NULL;
  g_autoptr(JsonObject) newer = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  const char * const flags[] = { "chest_pain", NULL };
  const char *v1_text =
    "{\"triage_id\": \"6d1f0b1e-0000-4000-8000-00000000d002\", \"call_id\": null,"
    " \"patient_id\": \"6d1f0b1e-0000-4000-8000-00000000d003\", \"practice_id\": \"" TEST_PRACTICE_A "\","
    " \"relationship\": 2, \"caller_name\": \"Mum\", \"reason\": \"Earache\", \"red_flags\": [],"
    " \"rag\": 1, \"route\": 3, \"clinician_id\": null, \"profession\": 4, \"signpost\": 1,"
    " \"contact\": 1, \"number\": \"07700 900123\", \"notes\": \"\", \"outcome\": 2,"
    " \"pharmacy_first\": \"acute_otitis_media\", \"pharmacy_first_taken\": true,"
    " \"pharmacy_dismissed\": false, \"route_touched\": true, \"outcome_touched\": true,"
    " \"number_touched\": false}";

  draft->patient_id = g_strdup ("6d1f0b1e-0000-4000-8000-00000000d003");
  draft->relationship = SIGNPOST_CALLER_CARER;
  draft->reason = g_strdup ("Chest pain on and off");
  draft->red_flags = g_strdupv ((char **) flags);
  draft->rag = SIGNPOST_RAG_RED;
  draft->route = SIGNPOST_ROUTE_PROFESSION;
  draft->profession = SIGNPOST_PROFESSION_PARAMEDIC;
  draft->signpost = SIGNPOST_SIGNPOST_NHS_111;
  draft->contact = SIGNPOST_CONTACT_TEXT;
  draft->outcome = SIGNPOST_OUTCOME_SENT_TO_DUTY;
  draft->route_touched = TRUE;

  /* Values, not rows. */
  json = signpost_request_draft_to_json (draft);
  g_assert_cmpint (json_object_get_int_member (json, "version"), ==, SIGNPOST_REQUEST_DRAFT_VERSION);
  g_assert_cmpstr (json_object_get_string_member (json, "relationship"), ==, "carer");
  g_assert_cmpstr (json_object_get_string_member (json, "rag"), ==, "red");
  g_assert_cmpstr (json_object_get_string_member (json, "route"), ==, "profession");
  g_assert_cmpstr (json_object_get_string_member (json, "profession"), ==, "paramedic");
  g_assert_cmpstr (json_object_get_string_member (json, "signpost"), ==, "nhs_111");
  g_assert_cmpstr (json_object_get_string_member (json, "contact"), ==, "text");
  g_assert_cmpstr (json_object_get_string_member (json, "outcome"), ==, "sent_to_duty");

  /* Kept on disk, and read back the same. */
  g_assert_true (signpost_request_draft_save (draft, f->cache, &error));
  g_assert_no_error (error);
  reopen (f);
  loaded = signpost_request_draft_load (f->cache, draft->triage_id);
  g_assert_nonnull (loaded);
  g_assert_cmpstr (loaded->reason, ==, "Chest pain on and off");
  g_assert_cmpint (loaded->relationship, ==, SIGNPOST_CALLER_CARER);
  g_assert_cmpstrv (loaded->red_flags, flags);
  g_assert_cmpint (loaded->rag, ==, SIGNPOST_RAG_RED);
  g_assert_cmpint (loaded->route, ==, SIGNPOST_ROUTE_PROFESSION);
  g_assert_cmpint (loaded->profession, ==, SIGNPOST_PROFESSION_PARAMEDIC);
  g_assert_cmpint (loaded->signpost, ==, SIGNPOST_SIGNPOST_NHS_111);
  g_assert_cmpint (loaded->contact, ==, SIGNPOST_CONTACT_TEXT);
  g_assert_cmpint (loaded->outcome, ==, SIGNPOST_OUTCOME_SENT_TO_DUTY);
  g_assert_true (loaded->route_touched);
  g_assert_false (loaded->outcome_touched);

  /* A draft of the row-number days. */
  v1 = signpost_json_parse_object (v1_text, strlen (v1_text), 0, &error);
  g_assert_no_error (error);
  g_assert_true (signpost_cache_save_draft (f->cache, "triage:6d1f0b1e-0000-4000-8000-00000000d002", v1, &error));
  migrated = signpost_request_draft_load (f->cache, "6d1f0b1e-0000-4000-8000-00000000d002");
  g_assert_nonnull (migrated);
  g_assert_cmpint (migrated->relationship, ==, SIGNPOST_CALLER_CARER);
  g_assert_cmpint (migrated->rag, ==, SIGNPOST_RAG_AMBER);
  g_assert_cmpint (migrated->route, ==, SIGNPOST_ROUTE_SIGNPOST);
  g_assert_cmpint (migrated->profession, ==, SIGNPOST_PROFESSION_PHYSIO);
  g_assert_cmpint (migrated->signpost, ==, SIGNPOST_SIGNPOST_PHARMACY_FIRST);
  g_assert_cmpint (migrated->contact, ==, SIGNPOST_CONTACT_TEXT);
  g_assert_cmpint (migrated->outcome, ==, SIGNPOST_OUTCOME_SIGNPOSTED);
  g_assert_cmpstr (migrated->number, ==, "07700 900123");
  g_assert_cmpstr (migrated->pharmacy_first, ==, "acute_otitis_media");
  g_assert_true (migrated->pharmacy_first_taken);

  ids = signpost_request_draft_list (f->cache, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (ids), ==, 2);

  /* A newer Signpost's draft is left alone, not misread. */
  newer = signpost_request_draft_to_json (draft);
  json_object_set_int_member (newer, "version", SIGNPOST_REQUEST_DRAFT_VERSION + 1);
  g_assert_null (signpost_request_draft_new_from_json (newer, &error));
  g_assert_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CACHE);
  g_clear_error (&error);

  g_assert_true (signpost_request_draft_delete (f->cache, draft->triage_id, &error));
  g_assert_null (signpost_request_draft_load (f->cache, draft->triage_id));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) \
  g_test_add ("/signpost/cache/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("apply-and-reopen", test_apply_and_reopen);
  ADD ("stale-change-ignored", test_stale_change_ignored);
  ADD ("apply-async", test_apply_async);
  ADD ("bad-page", test_bad_page);
  ADD ("search/name", test_search_by_name);
  ADD ("search/keys", test_search_by_keys);
  ADD ("search/limit", test_search_limit);
  ADD ("phone-lookup", test_phone_lookup);
  ADD ("left-patients", test_left_patients);
  ADD ("model/calls", test_call_model);
  ADD ("model/search", test_search_model);
  ADD ("model/slots-clock-change", test_slot_model_clock_change);
  ADD ("outbox/overlay", test_outbox_overlay);
  ADD ("outbox/conflict", test_outbox_conflict);
  ADD ("outbox/create-and-chain", test_outbox_create_and_chain);
  ADD ("outbox/booking", test_outbox_booking);
  ADD ("drafts", test_drafts);
  ADD ("query-errors", test_query_errors);
  ADD ("reset", test_reset);
  ADD ("request-draft", test_request_draft);
#undef ADD

  return g_test_run ();
}
