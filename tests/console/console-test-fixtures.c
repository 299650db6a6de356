/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <string.h>

#include "console-test-fixtures.h"

static const char *given_names[] = {
  "Olivia", "Amelia", "Isla", "Ava", "Zoë", "Siân", "Aoife", "Noah", "Oliver", "George",
  "Arthur", "Muhammad", "Leo", "Harry", "Oscar", "Archie", "Henry", "Theodore", "Freya", "Ivy",
  "Florence", "Willow", "Rosie", "Sophia", "Grace", "Mia", "Evie", "Ruby", "Ella", "Jack",
  "Jacob", "Thomas", "Charlie", "Finley", "Alfie", "William", "James", "Lucas", "Mohammed", "Ellie",
  "Chloé", "Jessica", "Ayesha", "Priya", "Dáithí", "Eilidh", "Niamh", "Ciarán", "Małgorzata", "Kofi",
};

static const char *family_names[] = {
  "Smith", "Jones", "Williams", "Taylor", "Brown", "Davies", "Evans", "Wilson", "Thomas", "Johnson",
  "Roberts", "Robinson", "Thompson", "Wright", "Walker", "White", "Edwards", "Hughes", "Green", "Hall",
  "Lewis", "Harris", "Clarke", "Patel", "Jackson", "Wood", "Turner", "Martin", "Cooper", "Hill",
  "Ward", "Morris", "Moore", "Clark", "Lee", "King", "Baker", "Harrison", "Morgan", "Allen",
  "O'Brien", "Smith-Jones", "Nowak", "Khan", "Begum", "Ó Súilleabháin", "MacDonald", "Mensah", "Brontë", "Ahmed",
  "Kowalski", "Okafor", "Chowdhury", "Fitzgerald", "Llewellyn", "Pritchard", "Rees", "Price", "Bennett", "Shaw",
  "Campbell", "Stewart", "Murray", "Graham", "Kennedy", "Reid", "Fraser", "Gallagher", "Doherty", "Quinn",
};

static const char *outward[] = { "LS1", "LS6", "M14", "B15", "SW1A", "E17", "NG7", "CF10", "BS8", "YO10" };

char *
test_uuid_for (const char *kind,
               guint       index)
{
  g_autofree char *key = g_strdup_printf ("%s-%u", kind, index);
  g_autofree char *digest = g_compute_checksum_for_string (G_CHECKSUM_SHA1, key, -1);

  /* Deterministic, lower-case, version-4 shaped. */
  return g_strdup_printf ("%.8s-%.4s-4%.3s-8%.3s-%.12s", digest, digest + 8, digest + 12,
                          digest + 15, digest + 18);
}

char *
test_nhs_number_for (guint index)
{
  /* 999 + six digits + check digit; skip those whose check digit is 10. */
  for (guint n = index * 2;; n++)
    {
      g_autofree char *nine = g_strdup_printf ("999%06u", n % 1000000);
      int check = signpost_nhs_number_check_digit (nine);
      if (check >= 0 && check <= 9)
        return g_strdup_printf ("%s%d", nine, check);
    }
}

char *
test_mobile_for (guint index)
{
  return g_strdup_printf ("+447700900%03u", index % 1000);
}

char *
test_landline_for (guint household)
{
  switch (household % 3)
    {
    case 0:
      return g_strdup_printf ("+441632960%03u", (household / 3) % 1000);
    case 1:
      return g_strdup_printf ("+442079460%03u", (household / 3) % 1000);
    default:
      return g_strdup_printf ("+441174960%03u", (household / 3) % 1000);
    }
}

static char *
timestamp_now (void)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  return signpost_timestamp_format (now);
}

JsonObject *
test_practice_json (const char *id,
                    const char *name,
                    gint64      seq)
{
  JsonObject *object = json_object_new ();
  g_autofree char *now = timestamp_now ();
  JsonArray *lines = json_array_new ();

  json_array_add_string_element (lines, "+442079460001");
  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "practice_id", id);
  json_object_set_int_member (object, "version", 1);
  json_object_set_string_member (object, "updated_at", now);
  json_object_set_int_member (object, "seq", seq);
  json_object_set_string_member (object, "ods_code", g_str_equal (id, TEST_PRACTICE_A) ? "Y99901" : "Y99902");
  json_object_set_string_member (object, "name", name);
  json_object_set_array_member (object, "lines", lines);
  json_object_set_string_member (object, "time_zone", "Europe/London");
  return object;
}

/* Patient i lives in household i / 3: members share its landline, so a
 * landline finds up to three people. Every patient has a mobile too. */
JsonObject *
test_patient_json (guint       index,
                   const char *practice_id,
                   gint64      seq)
{
  JsonObject *object = json_object_new ();
  g_autofree char *id = test_uuid_for ("patient", index);
  g_autofree char *nhs = test_nhs_number_for (index);
  g_autofree char *mobile = test_mobile_for (index);
  g_autofree char *landline = test_landline_for (index / 3);
  g_autofree char *now = timestamp_now ();
  g_autofree char *dob = g_strdup_printf ("%04u-%02u-%02u", 1930 + (index * 7) % 93,
                                          1 + (index * 5) % 12, 1 + (index * 11) % 28);
  g_autofree char *postcode = g_strdup_printf ("%s %u%c%c", outward[(index / 3) % G_N_ELEMENTS (outward)],
                                               (index / 3) % 10, 'A' + (index / 30) % 26,
                                               'B' + (index / 7) % 24);
  JsonArray *phones = json_array_new ();
  JsonArray *alerts = json_array_new ();
  JsonObject *phone;

  phone = json_object_new ();
  json_object_set_string_member (phone, "number", mobile);
  json_object_set_string_member (phone, "kind", "mobile");
  json_array_add_object_element (phones, phone);
  phone = json_object_new ();
  json_object_set_string_member (phone, "number", landline);
  json_object_set_string_member (phone, "kind", "home");
  json_array_add_object_element (phones, phone);
  if (index % 17 == 0)
    {
      JsonObject *alert = json_object_new ();
      json_object_set_string_member (alert, "kind", "interpreter");
      json_object_set_string_member (alert, "text", "Polish");
      json_array_add_object_element (alerts, alert);
    }

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "practice_id", practice_id);
  json_object_set_int_member (object, "version", 1);
  json_object_set_string_member (object, "updated_at", now);
  json_object_set_int_member (object, "seq", seq);
  json_object_set_string_member (object, "nhs_number", nhs);
  json_object_set_string_member (object, "given_name", given_names[index % G_N_ELEMENTS (given_names)]);
  json_object_set_string_member (object, "family_name",
                                 family_names[(index / G_N_ELEMENTS (given_names)) % G_N_ELEMENTS (family_names)]);
  json_object_set_string_member (object, "date_of_birth", dob);
  json_object_set_string_member (object, "sex", index % 2 ? "male" : "female");
  json_object_set_array_member (object, "phones", phones);
  json_object_set_string_member (object, "postcode", postcode);
  json_object_set_null_member (object, "usual_clinician_id");
  json_object_set_array_member (object, "alerts", alerts);
  json_object_set_boolean_member (object, "temporary", FALSE);
  return object;
}

JsonObject *
test_call_json (guint       index,
                const char *practice_id,
                const char *state,
                const char *offered_at,
                gint64      seq)
{
  JsonObject *object = json_object_new ();
  g_autofree char *id = test_uuid_for ("call", index);
  g_autofree char *ref = g_strdup_printf ("call-%05u", index);
  g_autofree char *cli = test_mobile_for (index);
  g_autofree char *now = timestamp_now ();

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "practice_id", practice_id);
  json_object_set_int_member (object, "version", 1);
  json_object_set_string_member (object, "updated_at", now);
  json_object_set_int_member (object, "seq", seq);
  json_object_set_string_member (object, "call_ref", ref);
  json_object_set_string_member (object, "line", "+442079460001");
  json_object_set_string_member (object, "cli", cli);
  json_object_set_string_member (object, "state", state);
  json_object_set_string_member (object, "offered_at", offered_at);
  return object;
}

JsonObject *
test_slot_json (guint       index,
                const char *practice_id,
                const char *start,
                gint64      seq)
{
  JsonObject *object = json_object_new ();
  g_autofree char *id = test_uuid_for ("slot", index);
  g_autofree char *clinician = test_uuid_for ("clinician", index % 3);
  g_autofree char *now = timestamp_now ();

  json_object_set_string_member (object, "id", id);
  json_object_set_string_member (object, "practice_id", practice_id);
  json_object_set_int_member (object, "version", 1);
  json_object_set_string_member (object, "updated_at", now);
  json_object_set_int_member (object, "seq", seq);
  json_object_set_string_member (object, "clinician_id", clinician);
  json_object_set_string_member (object, "start", start);
  json_object_set_int_member (object, "duration_minutes", 10);
  json_object_set_string_member (object, "mode", "face_to_face");
  json_object_set_null_member (object, "release_at");
  json_object_set_boolean_member (object, "hub_bookable", TRUE);
  json_object_set_string_member (object, "status", "free");
  return object;
}

GBytes *
test_changes_page (GPtrArray *records,
                   GPtrArray *kinds,
                   gint64     last_seq,
                   gboolean   more)
{
  g_autoptr(JsonObject) page = json_object_new ();
  JsonArray *changes = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  gsize length;
  char *text;

  for (guint i = 0; i < records->len; i++)
    {
      JsonObject *record = g_ptr_array_index (records, i);
      JsonObject *change = json_object_new ();
      gint64 version = json_object_get_int_member (record, "version");

      json_object_set_int_member (change, "seq", json_object_get_int_member (record, "seq"));
      json_object_set_string_member (change, "type", g_ptr_array_index (kinds, i));
      json_object_set_string_member (change, "id", json_object_get_string_member (record, "id"));
      json_object_set_string_member (change, "op", version == 1 ? "create" : "update");
      json_object_set_int_member (change, "version", version);
      json_object_set_object_member (change, "data", json_object_ref (record));
      json_array_add_object_element (changes, change);
    }
  json_object_set_array_member (page, "changes", changes);
  json_object_set_int_member (page, "last_seq", last_seq);
  json_object_set_boolean_member (page, "more", more);
  node = json_node_init_object (json_node_alloc (), page);
  text = signpost_json_to_string (node, &length);
  return g_bytes_new_take (text, length);
}

void
test_apply_record (SignpostCache *cache,
                   const char    *kind,
                   JsonObject    *record)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new ();
  g_autoptr(GPtrArray) kinds = g_ptr_array_new ();
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GError) error = NULL;

  g_ptr_array_add (records, record);
  g_ptr_array_add (kinds, (gpointer) kind);
  page = test_changes_page (records, kinds, json_object_get_int_member (record, "seq"), FALSE);
  g_assert_true (signpost_cache_apply_changes (cache, page, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

void
test_fill_patients (SignpostCache *cache,
                    guint          n)
{
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  g_autoptr(GPtrArray) kinds = g_ptr_array_new ();
  g_autoptr(GBytes) page = NULL;
  g_autoptr(GError) error = NULL;
  gint64 seq = 2;

  g_ptr_array_add (records, test_practice_json (TEST_PRACTICE_A, "Riverside Medical Practice", 1));
  g_ptr_array_add (kinds, (gpointer) "practice");
  g_ptr_array_add (records, test_practice_json (TEST_PRACTICE_B, "Hillview Surgery", 2));
  g_ptr_array_add (kinds, (gpointer) "practice");
  for (guint i = 0; i < n; i++)
    {
      g_ptr_array_add (records, test_patient_json (i, i % 5 == 4 ? TEST_PRACTICE_B : TEST_PRACTICE_A, ++seq));
      g_ptr_array_add (kinds, (gpointer) "patient");
    }
  page = test_changes_page (records, kinds, seq, FALSE);
  g_assert_true (signpost_cache_apply_changes (cache, page, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
}

static const char *drama_blocks[] = {
  "+447700900", "+441134960", "+441144960", "+441154960", "+441164960", "+441174960",
  "+441184960", "+441214960", "+441314960", "+441414960", "+441514960", "+441614960",
  "+441914980", "+442079460", "+442896496", "+442920180", "+441632960",
};

static gboolean
avoided (const char         *block,
         const char * const *avoid)
{
  for (guint i = 0; avoid != NULL && avoid[i] != NULL; i++)
    if (g_str_has_prefix (block, avoid[i]) || g_str_has_prefix (avoid[i], block))
      return TRUE;
  return FALSE;
}

char *
test_drama_number (guint               n,
                   const char * const *avoid)
{
  const char *blocks[G_N_ELEMENTS (drama_blocks)];
  guint n_blocks = 0;

  for (guint i = 0; i < G_N_ELEMENTS (drama_blocks); i++)
    if (!avoided (drama_blocks[i], avoid))
      blocks[n_blocks++] = drama_blocks[i];
  g_assert_cmpuint (n_blocks, >, 0);
  return g_strdup_printf ("%s%03u", blocks[(n / 1000) % n_blocks], n % 1000);
}

void
test_fill_drama_patients (SignpostCache       *cache,
                          guint                n,
                          const char * const  *avoid)
{
  gint64 last_seq = signpost_cache_get_last_seq (cache);
  gint64 seq = 2;

  {
    g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
    g_autoptr(GPtrArray) kinds = g_ptr_array_new ();
    g_autoptr(GBytes) page = NULL;
    g_autoptr(GError) error = NULL;

    g_ptr_array_add (records, test_practice_json (TEST_PRACTICE_A, "Riverside Medical Practice", 1));
    g_ptr_array_add (kinds, (gpointer) "practice");
    g_ptr_array_add (records, test_practice_json (TEST_PRACTICE_B, "Hillview Surgery", 2));
    g_ptr_array_add (kinds, (gpointer) "practice");
    page = test_changes_page (records, kinds, last_seq > 0 ? last_seq : 2, FALSE);
    if (!signpost_cache_apply_changes (cache, page, NULL, NULL, NULL, &error))
      g_error ("%s", error->message);
  }

  for (guint first = 0; first < n; first += 1000)
    {
      g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      g_autoptr(GPtrArray) kinds = g_ptr_array_new ();
      g_autoptr(GBytes) page = NULL;
      g_autoptr(GError) error = NULL;

      for (guint i = first; i < MIN (first + 1000, n); i++)
        {
          JsonObject *patient = test_patient_json (i, i % 5 == 4 ? TEST_PRACTICE_B : TEST_PRACTICE_A, ++seq);
          JsonArray *phones = json_array_new ();
          JsonObject *phone = json_object_new ();
          g_autofree char *number = test_drama_number (i, avoid);

          json_object_set_string_member (phone, "number", number);
          json_object_set_string_member (phone, "kind", i % 2 ? "home" : "mobile");
          json_array_add_object_element (phones, phone);
          json_object_set_array_member (patient, "phones", phones);
          g_ptr_array_add (records, patient);
          g_ptr_array_add (kinds, (gpointer) "patient");
        }
      /* A cache that follows a server stays where the feed left it. */
      page = test_changes_page (records, kinds, last_seq > 0 ? last_seq : seq, first + 1000 < n);
      if (!signpost_cache_apply_changes (cache, page, NULL, NULL, NULL, &error))
        g_error ("%s", error->message);
    }
}
