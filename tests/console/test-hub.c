/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "signpost-hub-format.h"
#include "signpost-hub-stats.h"
#include "signpost-sync-error.h"

/*
 * The Hub page's reading of GET /stats/hub without a display: a reply
 * written here by hand (two practices, two weeks) decoded, the practices
 * outside the funnel's limits named in words, the CSV, and replies with a
 * member missing or of the wrong kind refused rather than shown as zero.
 */

#define FIGURES(offered, in60, aband, used, dna) \
  "{\"from\":\"2026-11-09\",\"to\":\"2026-11-15\"," \
  "\"calls\":{\"offered\":" #offered ",\"offered_per_1000_per_week\":12.5,\"answered\":" #in60 "," \
  "\"answered_within_60s\":" #in60 ",\"answered_within_60s_rate\":0.5,\"abandoned\":" #aband "," \
  "\"abandoned_rate\":0.1,\"missed\":0,\"callbacks_requested\":4,\"callbacks_made\":3," \
  "\"mean_wait_s\":74.2,\"longest_wait_s\":null,\"mean_abandon_s\":null}," \
  "\"online_requests\":{\"count\":7,\"per_1000_per_week\":null}," \
  "\"appointments\":{\"offered\":90,\"offered_per_1000_per_week\":45.0,\"booked\":80,\"used\":" #used "," \
  "\"unused\":10,\"did_not_attend\":" #dna ",\"did_not_attend_rate\":0.05,\"booked_by_hub\":2}," \
  "\"navigation\":{\"total\":9,\"routes\":[{\"route\":\"signpost\",\"target\":\"pharmacy_first\",\"count\":4}," \
  "{\"route\":\"duty\",\"target\":null,\"count\":5}]}}"

static const char reply[] =
  "{\"from\":\"2026-11-09\",\"to\":\"2026-11-22\","
  "\"weeks\":[{\"from\":\"2026-11-09\",\"to\":\"2026-11-15\",\"days\":7},"
  "          {\"from\":\"2026-11-16\",\"to\":\"2026-11-22\",\"days\":7}],"
  "\"practices\":["
  " {\"practice_id\":\"p1\",\"ods_code\":\"Y99901\",\"name\":\"Riverside, \\\"North\\\"\",\"list_size\":2000,"
  "  \"totals\":" FIGURES (200, 100, 20, 76, 4) ",\"weeks\":[" FIGURES (100, 50, 10, 38, 2) "," FIGURES (100, 50, 10, 38, 2) "]},"
  " {\"practice_id\":\"p2\",\"ods_code\":\"Y99902\",\"name\":\"Hillside\",\"list_size\":4000,"
  "  \"totals\":" FIGURES (400, 380, 8, 150, 30) ",\"weeks\":[" FIGURES (200, 190, 4, 75, 15) "," FIGURES (200, 190, 4, 75, 15) "]}],"
  "\"hub\":{\"practices\":2,\"list_size\":6000,"
  "  \"totals\":" FIGURES (600, 480, 28, 226, 34) ",\"weeks\":[" FIGURES (300, 240, 14, 113, 17) "," FIGURES (300, 240, 14, 113, 17) "]},"
  "\"funnel_method\":\"exact_binomial\","
  "\"funnels\":[{\"measure\":\"answered_within_60s\",\"events\":480,\"n\":600,\"overall\":0.8,"
  "  \"practices\":[{\"practice_id\":\"p1\",\"events\":100,\"n\":200,\"rate\":0.5,\"lower_95\":0.745,"
  "    \"upper_95\":0.855,\"lower_99_8\":0.715,\"upper_99_8\":0.88,\"position\":\"below_99_8\"},"
  "   {\"practice_id\":\"p2\",\"events\":380,\"n\":400,\"rate\":0.95,\"lower_95\":0.76,"
  "    \"upper_95\":0.84,\"lower_99_8\":0.74,\"upper_99_8\":0.86,\"position\":\"above_99_8\"}]},"
  " {\"measure\":\"did_not_attend\",\"events\":34,\"n\":260,\"overall\":0.1308,"
  "  \"practices\":[{\"practice_id\":\"p1\",\"events\":4,\"n\":80,\"rate\":0.05,\"lower_95\":0.06,"
  "    \"upper_95\":0.21,\"lower_99_8\":0.04,\"upper_99_8\":0.25,\"position\":\"below_95\"},"
  "   {\"practice_id\":\"p2\",\"events\":0,\"n\":0,\"rate\":null,\"lower_95\":null,"
  "    \"upper_95\":null,\"lower_99_8\":null,\"upper_99_8\":null,\"position\":\"none\"}]}]}";

static SignpostHubStats *
decode (const char  *text,
        GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  return signpost_hub_stats_new_from_json (json_parser_get_root (parser), error);
}

static void
test_decode (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostHubStats) stats = decode (reply, &error);
  const SignpostHubPractice *p1;
  const SignpostHubFunnel *funnel;
  const SignpostHubFunnelPoint *point;

  g_assert_no_error (error);
  g_assert_cmpstr (stats->from, ==, "2026-11-09");
  g_assert_cmpuint (signpost_hub_stats_get_n_weeks (stats), ==, 2);
  g_assert_cmpstr (stats->week_starts[1], ==, "2026-11-16");
  g_assert_cmpuint (stats->practices->len, ==, 2);
  p1 = signpost_hub_stats_find_practice (stats, "p1");
  g_assert_cmpfloat (p1->totals.list_size, ==, 2000);
  g_assert_cmpfloat (p1->totals.offered, ==, 200);
  g_assert_cmpfloat (p1->totals.answered_within_60s, ==, 100);
  g_assert_true (isnan (p1->totals.longest_wait_s));
  g_assert_true (isnan (p1->totals.online_per_1000));
  g_assert_cmpfloat (p1->totals.signposted, ==, 4);
  g_assert_cmpfloat (p1->totals.navigation, ==, 9);
  g_assert_cmpfloat (g_array_index (p1->weeks, SignpostHubFigures, 1).offered, ==, 100);
  g_assert_true (stats->has_hub);
  g_assert_cmpuint (stats->hub_practices, ==, 2);
  g_assert_cmpfloat (stats->hub_totals.list_size, ==, 6000);

  funnel = signpost_hub_stats_get_funnel (stats, "answered_within_60s");
  g_assert_nonnull (funnel);
  g_assert_cmpfloat (funnel->overall, ==, 0.8);
  point = &g_array_index (funnel->points, SignpostHubFunnelPoint, 0);
  g_assert_cmpint (point->position, ==, SIGNPOST_FUNNEL_BELOW_998);
  g_assert_cmpfloat (point->limits.upper_998, ==, 0.88);
  funnel = signpost_hub_stats_get_funnel (stats, "did_not_attend");
  point = &g_array_index (funnel->points, SignpostHubFunnelPoint, 1);
  g_assert_cmpint (point->position, ==, SIGNPOST_FUNNEL_NONE);
  g_assert_true (isnan (point->rate));
  g_assert_null (signpost_hub_stats_get_funnel (stats, "abandoned"));
}

static void
test_words (void)
{
  g_autoptr(SignpostHubStats) stats = decode (reply, NULL);
  g_autofree char *answered = signpost_hub_describe_outliers (stats, signpost_hub_stats_get_funnel (stats, "answered_within_60s"));
  g_autofree char *dna = signpost_hub_describe_outliers (stats, signpost_hub_stats_get_funnel (stats, "did_not_attend"));
  g_autofree char *rate = signpost_hub_format_rate (0.529, 640, 1210);
  g_autofree char *none = signpost_hub_format_rate (NAN, 0, 0);

  g_assert_cmpstr (answered, ==,
                   "Riverside, \"North\" answers fewer calls within a minute than the hub: 50.0% (100 of 200), "
                   "outside the 99.8% limits. Hillside answers more calls within a minute than the hub: "
                   "95.0% (380 of 400), outside the 99.8% limits.");
  g_assert_cmpstr (dna, ==, "Riverside, \"North\" has fewer missed appointments than the hub: 5.0% (4 of 80), "
                   "outside the 95% limits.");
  {
    /* Thousands grouped as the locale groups them. */
    g_autofree char *expected = g_strdup_printf ("52.9%% (640 of %'d)", 1210);

    g_assert_cmpstr (rate, ==, expected);
  }
  g_assert_cmpstr (none, ==, "—");
}

static void
test_csv (void)
{
  g_autoptr(SignpostHubStats) stats = decode (reply, NULL);
  g_autofree char *csv = signpost_hub_csv (stats);
  g_auto(GStrv) lines = g_strsplit (csv, "\r\n", -1);

  /* A header; each practice's span and two weeks; the hub's. */
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 3 * 3 + 1);
  g_assert_true (g_str_has_prefix (lines[0], "practice,ods_code,from,to,list_size,calls_offered,"));
  g_assert_true (g_str_has_prefix (lines[1], "\"Riverside, \"\"North\"\"\",Y99901,2026-11-09,2026-11-22,2000,200,12.5,"));
  g_assert_nonnull (strstr (lines[1], ",0.5000,"));
  g_assert_true (g_str_has_prefix (lines[2], "\"Riverside, \"\"North\"\"\",Y99901,2026-11-09,2026-11-15,"));
  g_assert_true (g_str_has_prefix (lines[7], "All practices in the hub,,2026-11-09,2026-11-22,6000,600,"));
  g_assert_cmpstr (lines[10], ==, "");
}

static void
test_refused (void)
{
  static const struct { const char *from; const char *to; } breaks[] = {
    { "\"weeks\":[", "\"weeks\":{\"a\":[" },                           /* not an array */
    { "\"answered_within_60s\":100,", "\"answered_within_60s\":\"100\"," }, /* a string */
    { "\"position\":\"below_99_8\"", "\"position\":\"sideways\"" },     /* unknown */
    { "\"hub\":{", "\"hub\":[{" },                                     /* neither object nor null */
    { "\"navigation\":{\"total\":9,", "\"navigation\":{" },            /* missing */
  };

  for (guint i = 0; i < G_N_ELEMENTS (breaks); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GString) broken = g_string_new (reply);
      g_autoptr(SignpostHubStats) stats = NULL;
      g_autoptr(JsonParser) parser = json_parser_new ();

      g_assert_nonnull (strstr (reply, breaks[i].from));
      g_string_replace (broken, breaks[i].from, breaks[i].to, 1);
      if (!json_parser_load_from_data (parser, broken->str, -1, NULL))
        continue; /* no longer JSON: the engine refuses it before us */
      stats = signpost_hub_stats_new_from_json (json_parser_get_root (parser), &error);
      g_assert_null (stats);
      g_assert_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/console/hub/decode", test_decode);
  g_test_add_func ("/signpost/console/hub/words", test_words);
  g_test_add_func ("/signpost/console/hub/csv", test_csv);
  g_test_add_func ("/signpost/console/hub/refused", test_refused);

  return g_test_run ();
}
