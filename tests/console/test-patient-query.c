/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "signpost-patient-query.h"

static void
test_names (void)
{
  g_autoptr(SignpostPatientQuery) q = signpost_patient_query_parse ("  Zoë  O'Bri ");

  g_assert_cmpstr (q->fts, ==, "\"zoe\"* \"obri\"*");
  g_assert_cmpuint (q->name_tokens->len, ==, 2);
  g_assert_null (q->dob);
  g_assert_null (q->nhs_from);
  g_assert_null (q->phone_from);
}

static void
test_nhs_number (void)
{
  g_autoptr(SignpostPatientQuery) spaced = signpost_patient_query_parse ("943 476 5919");
  g_autoptr(SignpostPatientQuery) partial = signpost_patient_query_parse ("9434");

  g_assert_cmpstr (spaced->nhs_from, ==, "9434765919");
  g_assert_cmpstr (spaced->nhs_to, ==, "943476591:");
  g_assert_null (spaced->fts);
  g_assert_cmpstr (partial->nhs_from, ==, "9434");
  g_assert_cmpstr (partial->nhs_to, ==, "9435");
}

static void
test_dates (void)
{
  const struct { const char *text; const char *dob; } cases[] = {
    { "12/03/1980", "1980-03-12" },
    { "1/3/1980", "1980-03-01" },
    { "12-03-1980", "1980-03-12" },
    { "12.03.1980", "1980-03-12" },
    { "1980-03-12", "1980-03-12" },
    { "12031980", "1980-03-12" },
    { "12 Mar 1980", "1980-03-12" },
    { "12 march 1980", "1980-03-12" },
    { "smith 12/03/1980", "1980-03-12" },
    { "31/02/1980", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SignpostPatientQuery) q = signpost_patient_query_parse (cases[i].text);
      g_assert_cmpstr (q->dob, ==, cases[i].dob);
    }
  {
    g_autoptr(SignpostPatientQuery) q = signpost_patient_query_parse ("smith 12/03/1980");
    g_assert_cmpstr (q->fts, ==, "\"smith\"*");
  }
}

static void
test_phones (void)
{
  const char *forms[] = { "07700 900123", "+44 (0)7700 900123", "0044 7700 900123",
                          "07700-900-123", "+447700900123", "(07700) 900123" };

  for (guint i = 0; i < G_N_ELEMENTS (forms); i++)
    {
      g_autoptr(SignpostPatientQuery) q = signpost_patient_query_parse (forms[i]);
      g_assert_cmpstr (q->phone_from, ==, "+447700900123");
      g_assert_cmpstr (q->phone_to, ==, "+447700900123\x01");
    }
  {
    g_autoptr(SignpostPatientQuery) q = signpost_patient_query_parse ("07700 9001");
    g_assert_cmpstr (q->phone_from, ==, "+4477009001");
    g_assert_cmpstr (q->phone_to, ==, "+4477009002");
  }
}

static void
test_postcodes (void)
{
  g_autoptr(SignpostPatientQuery) whole = signpost_patient_query_parse ("ls1 4ap");
  g_autoptr(SignpostPatientQuery) outward = signpost_patient_query_parse ("SW1A");
  g_autoptr(SignpostPatientQuery) compact = signpost_patient_query_parse ("ls14ap");
  g_autoptr(SignpostPatientQuery) mixed = signpost_patient_query_parse ("jones LS6");

  g_assert_cmpstr (whole->postcode_from, ==, "LS14AP");
  g_assert_cmpstr (outward->postcode_from, ==, "SW1A");
  g_assert_cmpstr (outward->postcode_to, ==, "SW1B");
  g_assert_cmpstr (compact->postcode_from, ==, "LS14AP");
  g_assert_cmpstr (mixed->postcode_from, ==, "LS6");
  g_assert_cmpstr (mixed->fts, ==, "\"jones\"*");
}

static void
test_fold (void)
{
  g_autofree char *a = signpost_fold_text ("Zoë  O'Brien-Smith");
  g_autofree char *b = signpost_fold_word ("Ó Súilleabháin");

  g_assert_cmpstr (a, ==, "zoe obrien smith");
  g_assert_cmpstr (b, ==, "osuilleabhain");
}

static void
test_empty (void)
{
  g_autoptr(SignpostPatientQuery) q = signpost_patient_query_parse ("  ,;  ");
  g_autoptr(SignpostPatientQuery) quotes = signpost_patient_query_parse ("\"*) OR (");

  g_assert_true (signpost_patient_query_is_empty (q));
  /* Nothing typed can reach FTS5 syntax. */
  g_assert_cmpstr (quotes->fts, ==, "\"or\"*");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/search/names", test_names);
  g_test_add_func ("/signpost/search/nhs-number", test_nhs_number);
  g_test_add_func ("/signpost/search/dates", test_dates);
  g_test_add_func ("/signpost/search/phones", test_phones);
  g_test_add_func ("/signpost/search/postcodes", test_postcodes);
  g_test_add_func ("/signpost/search/fold", test_fold);
  g_test_add_func ("/signpost/search/empty", test_empty);

  return g_test_run ();
}
