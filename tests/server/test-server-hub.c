/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <math.h>
#include <string.h>

#include "server-test-util.h"
#include "signpost-apply.h"
#include "signpost-auth.h"

/*
 * GET /api/v1/stats/hub against a history this test replays itself: two
 * past weeks of five practices — calls through the signed webhook with
 * their own times, sessions, bookings, cancellations, outcomes and
 * navigation records through /mutations with X-Signpost-Replay-At. While
 * sending, the test counts what it sent by the counting rules of
 * docs/PROTOCOL.md, with none of the server's code; then every figure the
 * server gives back, for every practice and week, must be those counts.
 */

#define N_PRACTICES 5
#define N_WEEKS 2

typedef struct {
  gint64 offered, answered, in_time, wait_sum_ms, wait_max_ms;
  gint64 abandoned, abandon_n, abandon_sum_ms, missed, callbacks_requested, callbacks_made;
  gint64 slots_offered, slots_booked, slots_used, slots_dna, slots_unused, slots_hub;
  gint64 online;
  GHashTable *routes;            /* "route\ttarget" → count */
} Expect;

typedef struct {
  const char *ods;
  char *id;
  const char *line;
  const char *secret;
  char *clinician_id;
  char *navigator;               /* tokens */
  char *manager;
  char *clinician;
  GPtrArray *patients;
  guint registered;
  double dna_chance;
  Expect weeks[N_WEEKS];
} Practice;

typedef struct {
  TestServer *ts;
  Practice practices[N_PRACTICES];
  char *hub_navigator;
  char *hub_manager;
  char *manager_abc;
  char *manager_c;
  GTimeZone *tz;
  GDate monday[N_WEEKS];
  GRand *rand;
  guint calls;
} Hub;

static const char * const lines[N_PRACTICES] = {
  TEST_LINE_A, TEST_LINE_B, "+442079460103", "+442079460104", "+442079460105",
};
static const char * const secrets[N_PRACTICES] = {
  TEST_SECRET_A, TEST_SECRET_B, "secret-c", "secret-d", "secret-e",
};
static const char * const odses[N_PRACTICES] = { "Y99951", "Y99952", "Y99953", "Y99954", "Y99955" };
static const guint list_sizes[N_PRACTICES] = { 40, 25, 60, 15, 30 };

/* ---- fixture ----------------------------------------------------------- */

static char *
add_user (Hub          *hub,
          const char   *username,
          SignpostRole  role,
          guint         first,
          guint         last,
          gboolean      is_hub)
{
  g_autoptr(SignpostUser) user = signpost_user_new ();
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) ids = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = g_uuid_string_random ();
  static char *hash;

  if (hash == NULL)
    hash = signpost_auth_hash_password (TEST_PASSWORD, NULL);
  for (guint i = first; i <= last; i++)
    g_strv_builder_add (builder, hub->practices[i].id);
  ids = g_strv_builder_end (builder);
  signpost_record_set_id (SIGNPOST_RECORD (user), id);
  signpost_record_set_practice_id (SIGNPOST_RECORD (user), ids[0]);
  signpost_user_set_username (user, username);
  signpost_user_set_display_name (user, username);
  signpost_user_set_role (user, role);
  signpost_user_set_practice_ids (user, (const char * const *) ids);
  signpost_user_set_hub (user, is_hub);
  test_put_record (hub->ts, user);
  g_assert_true (signpost_store_set_password_hash (test_server_store (hub->ts), id, hash, &error));
  return test_login (hub->ts, username);
}

static void
add_patients (Hub      *hub,
              Practice *p,
              guint     registered)
{
  test_bulk_begin (hub->ts);
  g_autoptr(GDateTime) left = g_date_time_new_utc (2026, 1, 5, 12, 0, 0);

  for (guint i = 0; i < registered + 5; i++)
    {
      g_autoptr(SignpostPatient) patient = signpost_patient_new ();
      char *id = g_uuid_string_random ();

      signpost_record_set_id (SIGNPOST_RECORD (patient), id);
      signpost_record_set_practice_id (SIGNPOST_RECORD (patient), p->id);
      signpost_patient_set_given_name (patient, "Ada");
      signpost_patient_set_family_name (patient, "Testcase");
      signpost_patient_set_date_of_birth (patient, "1980-02-29");
      signpost_patient_set_sex (patient, SIGNPOST_SEX_FEMALE);
      /* Three temporary residents and two who left: not on the list. */
      signpost_patient_set_temporary (patient, i >= registered && i < registered + 3);
      if (i >= registered + 3)
        signpost_patient_set_left_at (patient, left);
      test_put_record (hub->ts, patient);
      g_ptr_array_add (p->patients, id);
    }
  test_bulk_end (hub->ts);
  p->registered = registered;
}

static void
expect_init (Expect *e)
{
  memset (e, 0, sizeof *e);
  e->wait_max_ms = -1;
  e->routes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

static Hub *
hub_new (void)
{
  Hub *hub = g_new0 (Hub, 1);
  SignpostServerOptions options;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GDate today;

  signpost_server_options_init (&options);
  options.replayed_time = TRUE;
  hub->ts = test_server_new (&options);
  hub->tz = g_time_zone_new_identifier ("Europe/London");
  hub->rand = g_rand_new_with_seed (19);

  for (guint i = 0; i < N_PRACTICES; i++)
    {
      Practice *p = &hub->practices[i];

      p->ods = odses[i];
      p->line = lines[i];
      p->secret = secrets[i];
      p->patients = g_ptr_array_new_with_free_func (g_free);
      if (i == 0)
        p->id = g_strdup (hub->ts->practice_a);
      else if (i == 1)
        p->id = g_strdup (hub->ts->practice_b);
      else
        p->id = test_add_practice (hub->ts, p->ods, p->line, p->secret);
      p->clinician_id = test_add_clinician (hub->ts, p->id);
      add_patients (hub, p, list_sizes[i]);
      /* Practice D's patients often miss their appointments. */
      p->dna_chance = i == 3 ? 0.4 : 0.05;
      for (guint w = 0; w < N_WEEKS; w++)
        expect_init (&p->weeks[w]);
    }
  for (guint i = 0; i < N_PRACTICES; i++)
    {
      Practice *p = &hub->practices[i];
      g_autofree char *nav = g_strdup_printf ("hubtest_nav_%u", i);
      g_autofree char *mgr = g_strdup_printf ("hubtest_mgr_%u", i);
      g_autofree char *clin = g_strdup_printf ("hubtest_clin_%u", i);

      p->navigator = add_user (hub, nav, SIGNPOST_ROLE_NAVIGATOR, i, i, FALSE);
      p->manager = add_user (hub, mgr, SIGNPOST_ROLE_MANAGER, i, i, FALSE);
      p->clinician = add_user (hub, clin, SIGNPOST_ROLE_CLINICIAN, i, i, FALSE);
    }
  hub->hub_navigator = add_user (hub, "hubtest_hubnav", SIGNPOST_ROLE_NAVIGATOR, 0, N_PRACTICES - 1, TRUE);
  hub->hub_manager = add_user (hub, "hubtest_hubmgr", SIGNPOST_ROLE_MANAGER, 0, N_PRACTICES - 1, TRUE);
  hub->manager_abc = add_user (hub, "hubtest_mgr_abc", SIGNPOST_ROLE_MANAGER, 0, 2, FALSE);
  hub->manager_c = g_strdup (hub->practices[2].manager);

  /* Two whole weeks, three and two weeks before this one. */
  signpost_local_date (now, hub->tz, &today);
  hub->monday[0] = today;
  g_date_subtract_days (&hub->monday[0], g_date_get_weekday (&today) - G_DATE_MONDAY + 21);
  hub->monday[1] = hub->monday[0];
  g_date_add_days (&hub->monday[1], 7);
  return hub;
}

static void
hub_free (Hub *hub)
{
  for (guint i = 0; i < N_PRACTICES; i++)
    {
      Practice *p = &hub->practices[i];

      g_free (p->id);
      g_free (p->clinician_id);
      g_free (p->navigator);
      g_free (p->manager);
      g_free (p->clinician);
      g_ptr_array_unref (p->patients);
      for (guint w = 0; w < N_WEEKS; w++)
        g_hash_table_unref (p->weeks[w].routes);
    }
  g_free (hub->hub_navigator);
  g_free (hub->hub_manager);
  g_free (hub->manager_abc);
  g_free (hub->manager_c);
  g_time_zone_unref (hub->tz);
  g_rand_free (hub->rand);
  test_server_free (hub->ts);
  g_free (hub);
}

/* ---- sending ----------------------------------------------------------- */

static gint64
local_ms (Hub         *hub,
          const GDate *date,
          int          hour,
          int          minute)
{
  g_autoptr(GDateTime) dt = signpost_local_time_to_utc (date, hour, minute, hub->tz);

  return g_date_time_to_unix (dt) * 1000;
}

static char *
instant (gint64 ms)
{
  g_autoptr(GDateTime) seconds = g_date_time_new_from_unix_utc (ms / 1000);
  g_autoptr(GDateTime) at = g_date_time_add (seconds, (ms % 1000) * 1000);

  return signpost_timestamp_format (at);
}

static void
event (Hub        *hub,
       Practice   *p,
       const char *name,
       const char *call_ref,
       gint64      at_ms,
       const char *number)
{
  g_autofree char *at = instant (at_ms);
  g_autoptr(JsonObject) object = json_object_new ();
  g_autofree char *body = NULL;
  g_autoptr(TestReply) reply = NULL;

  json_object_set_string_member (object, "event", name);
  json_object_set_string_member (object, "call_ref", call_ref);
  json_object_set_string_member (object, "line", p->line);
  json_object_set_string_member (object, "cli", "+447700900123");
  json_object_set_string_member (object, "at", at);
  if (number != NULL)
    json_object_set_string_member (object, "number", number);
  if (g_str_equal (name, "call.answered"))
    json_object_set_string_member (object, "agent", "switchboard");
  body = signpost_json_object_to_string (object, NULL);
  reply = test_webhook (hub->ts, p->secret, body, 0);
  if (reply->status != 200)
    g_error ("%s %s: %u %s", name, call_ref, reply->status, reply->body);
}

/* A batch of mutations sent by @token, applied at @at_ms. */
static JsonArray *
replay (Hub        *hub,
        const char *token,
        gint64      at_ms,
        JsonArray  *mutations)
{
  g_autoptr(JsonObject) body = json_object_new ();
  g_autofree char *text = NULL;
  g_autofree char *at = instant (at_ms);
  g_autoptr(TestReply) reply = NULL;
  g_autoptr(JsonObject) object = NULL;
  JsonArray *results;

  json_object_set_array_member (body, "mutations", mutations);
  text = signpost_json_object_to_string (body, NULL);
  reply = test_http_with_header (hub->ts, "POST", "/api/v1/mutations", token, text,
                                 "X-Signpost-Replay-At", at);
  if (reply->status != 200)
    g_error ("mutations at %s: %u %s", at, reply->status, reply->body);
  object = test_reply_json (reply);
  results = json_array_ref (json_object_get_array_member (object, "results"));
  for (guint i = 0; i < json_array_get_length (results); i++)
    {
      JsonObject *result = json_array_get_object_element (results, i);

      if (!g_str_equal (test_result_status (result), "applied"))
        g_error ("mutation %u at %s was %s", i, at, test_result_status (result));
    }
  return results;
}

static JsonObject *
mutation (const char *type,
          const char *op,
          const char *id,
          gint64      base_version,
          JsonObject *data)
{
  JsonObject *m = json_object_new ();
  g_autofree char *mutation_id = g_uuid_string_random ();

  json_object_set_string_member (m, "mutation_id", mutation_id);
  json_object_set_string_member (m, "type", type);
  json_object_set_string_member (m, "op", op);
  json_object_set_string_member (m, "id", id);
  if (base_version > 0)
    json_object_set_int_member (m, "base_version", base_version);
  if (data != NULL)
    json_object_set_object_member (m, "data", data);
  return m;
}

static JsonArray *
one (JsonObject *m)
{
  JsonArray *array = json_array_new ();

  json_array_add_object_element (array, m);
  return array;
}

/* ---- a day of one practice, and what it adds up to ---------------------- */

static void
play_calls (Hub         *hub,
            Practice    *p,
            Expect      *e,
            const GDate *date,
            gboolean     first_day)
{
  guint n = 4 + g_rand_int_range (hub->rand, 0, 4);

  for (guint c = 0; c < n + (first_day ? 2 : 0); c++)
    {
      g_autofree char *ref = g_strdup_printf ("hub-%s-%u-%u", p->ods, g_date_get_julian (date), c);
      gint64 t0 = local_ms (hub, date, 8, 0) + g_rand_int_range (hub->rand, 0, 600) * 60000 +
                  g_rand_int_range (hub->rand, 0, 1000);
      int scenario = g_rand_int_range (hub->rand, 0, 7);
      gint64 wait;

      /* On the first day, the minute exactly and a millisecond more. */
      if (first_day && c >= n)
        scenario = c == n ? 10 : 11;
      hub->calls++;
      e->offered++;
      event (hub, p, "call.offered", ref, t0, NULL);
      switch (scenario)
        {
        case 0: case 1: case 10: case 11:
          wait = scenario == 10 ? 60000 : scenario == 11 ? 60001
               : scenario == 0 ? g_rand_int_range (hub->rand, 1000, 59000)
                               : g_rand_int_range (hub->rand, 61000, 900000);
          event (hub, p, "call.answered", ref, t0 + wait, NULL);
          event (hub, p, "call.ended", ref, t0 + wait + 200000, NULL);
          e->answered++;
          e->in_time += wait <= 60000;
          e->wait_sum_ms += wait;
          e->wait_max_ms = MAX (e->wait_max_ms, wait);
          break;
        case 2:
          wait = g_rand_int_range (hub->rand, 2000, 600000);
          event (hub, p, "call.abandoned", ref, t0 + wait, NULL);
          e->abandoned++;
          e->abandon_n++;
          e->abandon_sum_ms += wait;
          break;
        case 3:
          /* A callback, made: requested, not answered in the counts. */
          event (hub, p, "call.callback_requested", ref, t0 + 30000, "+447700900123");
          event (hub, p, "call.answered", ref, t0 + 1800000, NULL);
          event (hub, p, "call.ended", ref, t0 + 1900000, NULL);
          e->callbacks_requested++;
          e->callbacks_made++;
          break;
        case 4:
          /* A callback never made; the caller hanging up changes nothing. */
          event (hub, p, "call.callback_requested", ref, t0 + 30000, "+447700900123");
          event (hub, p, "call.abandoned", ref, t0 + 40000, NULL);
          e->callbacks_requested++;
          break;
        case 5:
          event (hub, p, "call.missed", ref, t0 + 120000, NULL);
          e->missed++;
          break;
        case 6:
        default:
          /* Never answered, never ended: missed, as its day is over. */
          e->missed++;
          break;
        }
    }
}

static void
add_route (Expect     *e,
           const char *route,
           const char *target)
{
  g_autofree char *key = g_strdup_printf ("%s\t%s", route ? route : "", target ? target : "");
  gint64 count = GPOINTER_TO_SIZE (g_hash_table_lookup (e->routes, key));

  g_hash_table_replace (e->routes, g_steal_pointer (&key), GSIZE_TO_POINTER (count + 1));
}

static JsonObject *
route_json (const char *kind,
            const char *field,
            const char *value)
{
  JsonObject *route = json_object_new ();

  json_object_set_string_member (route, "kind", kind);
  if (field != NULL)
    json_object_set_string_member (route, field, value);
  return route;
}

static void
play_navigation (Hub         *hub,
                 Practice    *p,
                 Expect      *e,
                 const GDate *date)
{
  g_autoptr(JsonArray) batch = json_array_new ();
  g_autofree char *changed = NULL;
  guint n = 3 + g_rand_int_range (hub->rand, 0, 3);
  gint64 noon = local_ms (hub, date, 12, 0);

  for (guint t = 0; t < n; t++)
    {
      JsonObject *data = json_object_new ();
      g_autofree char *id = g_uuid_string_random ();
      int kind = g_rand_int_range (hub->rand, 0, 6);

      json_object_set_string_member (data, "practice_id", p->id);
      json_object_set_string_member (data, "reason", "Sore throat");
      json_object_set_string_member (data, "urgency", "routine");
      json_object_set_string_member (data, "status", "open");
      switch (kind)
        {
        case 0:
          json_object_set_object_member (data, "route", route_json ("clinician", "clinician_id",
                                                                    p->clinician_id));
          add_route (e, "clinician", NULL);
          break;
        case 1:
          json_object_set_object_member (data, "route", route_json ("profession", "profession", "nurse"));
          add_route (e, "profession", "nurse");
          break;
        case 2:
          json_object_set_object_member (data, "route", route_json ("signpost", "signpost",
                                                                    "pharmacy_first"));
          add_route (e, "signpost", "pharmacy_first");
          break;
        case 3:
          json_object_set_object_member (data, "route", route_json ("signpost", "signpost", "nhs_111"));
          add_route (e, "signpost", "nhs_111");
          break;
        case 4:
          add_route (e, NULL, NULL);
          break;
        case 5:
        default:
          /* Sent to the duty doctor, then changed below to self-care. */
          json_object_set_object_member (data, "route", route_json ("duty", NULL, NULL));
          if (changed == NULL)
            {
              changed = g_strdup (id);
              add_route (e, "signpost", "self_care");
            }
          else
            add_route (e, "duty", NULL);
          break;
        }
      json_array_add_object_element (batch, mutation ("triage", "create", id, 0, data));
    }
  json_array_unref (replay (hub, g_rand_boolean (hub->rand) ? p->navigator : hub->hub_navigator,
                            noon, g_steal_pointer (&batch)));

  /* Requests from the online form and the intake API, as the server
   * stores them (no route yet), and none some days. */
  for (guint o = g_rand_int_range (hub->rand, 0, 3); o > 0; o--)
    {
      g_autoptr(SignpostTriage) request = signpost_triage_new ();
      g_autofree char *id = g_uuid_string_random ();
      g_autoptr(GDateTime) at = g_date_time_new_from_unix_utc (noon / 1000 + 7200);
      g_autoptr(GError) error = NULL;
      SignpostApplyContext ctx;

      signpost_record_set_id (SIGNPOST_RECORD (request), id);
      signpost_record_set_practice_id (SIGNPOST_RECORD (request), p->id);
      signpost_triage_set_reason (request, "A rash that will not go");
      signpost_triage_set_urgency (request, SIGNPOST_URGENCY_ROUTINE);
      signpost_triage_set_status (request, SIGNPOST_TRIAGE_OPEN);
      signpost_triage_set_source (request, o % 2 ? SIGNPOST_REQUEST_SOURCE_ONLINE
                                                 : SIGNPOST_REQUEST_SOURCE_INTAKE);
      signpost_apply_context_init (&ctx, test_server_store (hub->ts), NULL, at);
      g_assert_true (signpost_store_begin (test_server_store (hub->ts), &error));
      g_assert_true (signpost_apply_write (&ctx, SIGNPOST_RECORD (request), FALSE, &error));
      g_assert_true (signpost_store_commit (test_server_store (hub->ts), &error));
      signpost_apply_context_clear (&ctx);
      e->online++;
      add_route (e, NULL, NULL);
    }
  if (changed != NULL)
    {
      JsonObject *data = json_object_new ();

      json_object_set_object_member (data, "route", route_json ("signpost", "signpost", "self_care"));
      json_array_unref (replay (hub, p->navigator, noon + 3600000,
                                one (mutation ("triage", "update", changed, 1, data))));
    }
}

/* Six slots from 09:00, the last blocked; 0 booked by the hub, 1–3 by
 * the practice, 3 then cancelled; outcomes in the evening. */
static void
play_diary (Hub         *hub,
            Practice    *p,
            Expect      *e,
            const GDate *date)
{
  g_autoptr(JsonArray) create = json_array_new ();
  g_autoptr(JsonArray) practice_bookings = json_array_new ();
  char *slots[6];
  char *appointments[4];
  gint64 nine = local_ms (hub, date, 9, 0);
  gint64 week_before = nine - 7 * 86400000LL;
  gint64 day_before = nine - 86400000LL;

  for (guint k = 0; k < 6; k++)
    {
      JsonObject *data = json_object_new ();
      g_autofree char *start = instant (nine + k * 15 * 60000);

      slots[k] = g_uuid_string_random ();
      json_object_set_string_member (data, "practice_id", p->id);
      json_object_set_string_member (data, "clinician_id", p->clinician_id);
      json_object_set_string_member (data, "start", start);
      json_object_set_int_member (data, "duration_minutes", 15);
      json_object_set_string_member (data, "mode", "face_to_face");
      json_object_set_boolean_member (data, "hub_bookable", k != 2);
      json_object_set_string_member (data, "status", k == 5 ? "blocked" : "free");
      json_array_add_object_element (create, mutation ("slot", "create", slots[k], 0, data));
    }
  json_array_unref (replay (hub, p->manager, week_before, g_steal_pointer (&create)));
  e->slots_offered += 5;

  for (guint k = 0; k < 4; k++)
    {
      JsonObject *data = json_object_new ();

      appointments[k] = g_uuid_string_random ();
      json_object_set_string_member (data, "appointment_id", appointments[k]);
      json_object_set_string_member (data, "patient_id", g_ptr_array_index (p->patients, k));
      if (k == 0)
        json_array_unref (replay (hub, hub->hub_navigator, day_before,
                                  one (mutation ("slot", "book", slots[k], 0, data))));
      else
        json_array_add_object_element (practice_bookings, mutation ("slot", "book", slots[k], 0, data));
    }
  json_array_unref (replay (hub, p->navigator, day_before, g_steal_pointer (&practice_bookings)));
  json_array_unref (replay (hub, p->navigator, day_before + 3600000,
                            one (mutation ("slot", "cancel", slots[3], 0, NULL))));
  e->slots_booked += 3;
  e->slots_hub += 1;
  /* Slots 3 (cancelled) and 4 went unused. */
  e->slots_unused += 2;

  for (guint k = 0; k < 3; k++)
    {
      JsonObject *data = json_object_new ();
      gboolean dna = g_rand_double (hub->rand) < p->dna_chance;

      json_object_set_string_member (data, "status", dna ? "did_not_attend" : "arrived");
      json_array_unref (replay (hub, p->navigator, nine + 9 * 3600000,
                                one (mutation ("appointment", "update", appointments[k], 1, data))));
      if (dna)
        {
          e->slots_dna++;
          continue;
        }
      e->slots_used++;
      if (k == 0)
        {
          data = json_object_new ();
          json_object_set_string_member (data, "status", "seen");
          json_array_unref (replay (hub, p->clinician, nine + 9 * 3600000 + 60000,
                                    one (mutation ("appointment", "update", appointments[k], 2, data))));
        }
    }
  for (guint k = 0; k < 6; k++)
    g_free (slots[k]);
  for (guint k = 0; k < 4; k++)
    g_free (appointments[k]);
}

static void
play_history (Hub *hub)
{
  for (guint w = 0; w < N_WEEKS; w++)
    for (guint d = 0; d < 5; d++)
      {
        GDate date = hub->monday[w];

        g_date_add_days (&date, d);
        for (guint i = 0; i < N_PRACTICES; i++)
          {
            Practice *p = &hub->practices[i];
            Expect *e = &p->weeks[w];

            play_calls (hub, p, e, &date, w == 0 && d == 0 && i == 0);
            play_navigation (hub, p, e, &date);
            play_diary (hub, p, e, &date);
          }
      }
  g_test_message ("sent %u calls", hub->calls);
}

/* ---- checking ---------------------------------------------------------- */

static void
expect_add (Expect       *sum,
            const Expect *e)
{
  GHashTableIter iter;
  gpointer key, value;

  sum->offered += e->offered;
  sum->answered += e->answered;
  sum->in_time += e->in_time;
  sum->wait_sum_ms += e->wait_sum_ms;
  sum->wait_max_ms = MAX (sum->wait_max_ms, e->wait_max_ms);
  sum->abandoned += e->abandoned;
  sum->abandon_n += e->abandon_n;
  sum->abandon_sum_ms += e->abandon_sum_ms;
  sum->missed += e->missed;
  sum->callbacks_requested += e->callbacks_requested;
  sum->callbacks_made += e->callbacks_made;
  sum->slots_offered += e->slots_offered;
  sum->slots_booked += e->slots_booked;
  sum->slots_used += e->slots_used;
  sum->slots_dna += e->slots_dna;
  sum->slots_unused += e->slots_unused;
  sum->slots_hub += e->slots_hub;
  sum->online += e->online;
  g_hash_table_iter_init (&iter, e->routes);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      gint64 count = GPOINTER_TO_SIZE (g_hash_table_lookup (sum->routes, key));

      g_hash_table_replace (sum->routes, g_strdup (key), GSIZE_TO_POINTER (count + GPOINTER_TO_SIZE (value)));
    }
}

static void
assert_number (JsonObject *object,
               const char *member,
               double      expected)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  if (isnan (expected))
    {
      if (!JSON_NODE_HOLDS_NULL (node))
        g_error ("%s: expected null, got %g", member, json_node_get_double (node));
      return;
    }
  if (JSON_NODE_HOLDS_NULL (node))
    g_error ("%s: expected %g, got null", member, expected);
  if (fabs (json_node_get_double (node) - expected) > 1e-9)
    g_error ("%s: expected %.6f, got %.6f", member, expected, json_node_get_double (node));
}

static void
assert_count (JsonObject *object,
              const char *member,
              gint64      expected)
{
  gint64 got = json_object_get_int_member (object, member);

  if (got != expected)
    g_error ("%s: expected %" G_GINT64_FORMAT ", got %" G_GINT64_FORMAT, member, expected, got);
}

static double
ratio (gint64 a,
       gint64 b)
{
  return b > 0 ? round ((double) a / b * 10000.0) / 10000.0 : NAN;
}

static double
seconds (gint64 sum,
         gint64 n)
{
  return n > 0 ? round ((double) sum / n / 100.0) / 10.0 : NAN;
}

static double
per_week (gint64 count,
          gint64 list,
          double days)
{
  return list > 0 ? round ((double) count * 1000.0 / list / (days / 7.0) * 10.0) / 10.0 : NAN;
}

static void
assert_figures (JsonObject   *figures,
                const Expect *e,
                gint64        list,
                double        days)
{
  JsonObject *calls = json_object_get_object_member (figures, "calls");
  JsonObject *appointments = json_object_get_object_member (figures, "appointments");
  JsonObject *navigation = json_object_get_object_member (figures, "navigation");
  JsonObject *online = json_object_get_object_member (figures, "online_requests");
  JsonArray *routes = json_object_get_array_member (navigation, "routes");
  gint64 total = 0;

  assert_count (calls, "offered", e->offered);
  assert_number (calls, "offered_per_1000_per_week", per_week (e->offered, list, days));
  assert_count (calls, "answered", e->answered);
  assert_count (calls, "answered_within_60s", e->in_time);
  assert_number (calls, "answered_within_60s_rate", ratio (e->in_time, e->offered));
  assert_count (calls, "abandoned", e->abandoned);
  assert_number (calls, "abandoned_rate", ratio (e->abandoned, e->offered));
  assert_count (calls, "missed", e->missed);
  assert_count (calls, "callbacks_requested", e->callbacks_requested);
  assert_count (calls, "callbacks_made", e->callbacks_made);
  assert_number (calls, "mean_wait_s", seconds (e->wait_sum_ms, e->answered));
  assert_number (calls, "longest_wait_s", e->answered > 0 ? round (e->wait_max_ms / 100.0) / 10.0 : NAN);
  assert_number (calls, "mean_abandon_s", seconds (e->abandon_sum_ms, e->abandon_n));
  /* Every call is one of these once its day is over. */
  g_assert_cmpint (e->offered, ==, e->answered + e->abandoned + e->missed + e->callbacks_requested);

  assert_count (appointments, "offered", e->slots_offered);
  assert_number (appointments, "offered_per_1000_per_week", per_week (e->slots_offered, list, days));
  assert_count (appointments, "booked", e->slots_booked);
  assert_count (appointments, "used", e->slots_used);
  assert_count (appointments, "unused", e->slots_unused);
  assert_count (appointments, "did_not_attend", e->slots_dna);
  assert_number (appointments, "did_not_attend_rate", ratio (e->slots_dna, e->slots_used + e->slots_dna));
  assert_count (appointments, "booked_by_hub", e->slots_hub);

  assert_count (online, "count", e->online);
  assert_number (online, "per_1000_per_week", per_week (e->online, list, days));

  g_assert_cmpuint (json_array_get_length (routes), ==, g_hash_table_size (e->routes));
  for (guint i = 0; i < json_array_get_length (routes); i++)
    {
      JsonObject *route = json_array_get_object_element (routes, i);
      const char *kind = json_object_get_string_member_with_default (route, "route", NULL);
      const char *target = json_object_get_string_member_with_default (route, "target", NULL);
      g_autofree char *key = g_strdup_printf ("%s\t%s", kind ? kind : "", target ? target : "");

      g_assert_true (g_hash_table_contains (e->routes, key));
      assert_count (route, "count", GPOINTER_TO_SIZE (g_hash_table_lookup (e->routes, key)));
      total += json_object_get_int_member (route, "count");
    }
  assert_count (navigation, "total", total);
}

static JsonObject *
get_hub (Hub        *hub,
         const char *token,
         const char *extra)
{
  g_autofree char *from = signpost_date_format (&hub->monday[0]);
  GDate to = hub->monday[N_WEEKS - 1];
  g_autofree char *to_text = NULL;
  g_autofree char *path = NULL;

  g_date_add_days (&to, 6);
  to_text = signpost_date_format (&to);
  path = g_strdup_printf ("/api/v1/stats/hub?from=%s&to=%s%s", from, to_text, extra ? extra : "");
  return test_get_json (hub->ts, path, token);
}

static JsonObject *
find_practice (JsonObject *reply,
               const char *id)
{
  JsonArray *practices = json_object_get_array_member (reply, "practices");

  for (guint i = 0; i < json_array_get_length (practices); i++)
    {
      JsonObject *p = json_array_get_object_element (practices, i);

      if (g_str_equal (json_object_get_string_member (p, "practice_id"), id))
        return p;
    }
  return NULL;
}

static void
test_figures (void)
{
  Hub *hub = hub_new ();
  g_autoptr(JsonObject) reply = NULL;
  JsonObject *hub_figures;
  JsonArray *funnels;
  Expect everything;
  Expect hub_weeks[N_WEEKS];
  gint64 list_total = 0;

  play_history (hub);
  reply = get_hub (hub, hub->hub_manager, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply, "weeks")), ==, N_WEEKS);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (reply, "practices")), ==,
                    N_PRACTICES);

  expect_init (&everything);
  for (guint w = 0; w < N_WEEKS; w++)
    expect_init (&hub_weeks[w]);
  for (guint i = 0; i < N_PRACTICES; i++)
    {
      Practice *p = &hub->practices[i];
      JsonObject *practice = find_practice (reply, p->id);
      JsonArray *weeks;
      Expect totals;

      g_assert_nonnull (practice);
      g_assert_cmpstr (json_object_get_string_member (practice, "ods_code"), ==, p->ods);
      assert_count (practice, "list_size", p->registered);
      list_total += p->registered;
      weeks = json_object_get_array_member (practice, "weeks");
      expect_init (&totals);
      for (guint w = 0; w < N_WEEKS; w++)
        {
          assert_figures (json_array_get_object_element (weeks, w), &p->weeks[w], p->registered, 7);
          expect_add (&totals, &p->weeks[w]);
          expect_add (&hub_weeks[w], &p->weeks[w]);
        }
      assert_figures (json_object_get_object_member (practice, "totals"), &totals, p->registered,
                      7 * N_WEEKS);
      expect_add (&everything, &totals);
      g_hash_table_unref (totals.routes);
    }

  hub_figures = json_object_get_object_member (reply, "hub");
  g_assert_nonnull (hub_figures);
  assert_count (hub_figures, "practices", N_PRACTICES);
  assert_count (hub_figures, "list_size", list_total);
  assert_figures (json_object_get_object_member (hub_figures, "totals"), &everything, list_total,
                  7 * N_WEEKS);
  for (guint w = 0; w < N_WEEKS; w++)
    {
      assert_figures (json_array_get_object_element (json_object_get_array_member (hub_figures, "weeks"), w),
                      &hub_weeks[w], list_total, 7);
      g_hash_table_unref (hub_weeks[w].routes);
    }

  /* The funnels: around the hub's own rates; practice D, whose patients
   * missed two appointments in five, stands out on did-not-attend. */
  funnels = json_object_get_array_member (reply, "funnels");
  g_assert_cmpuint (json_array_get_length (funnels), ==, 3);
  for (guint f = 0; f < json_array_get_length (funnels); f++)
    {
      JsonObject *funnel = json_array_get_object_element (funnels, f);
      const char *measure = json_object_get_string_member (funnel, "measure");
      JsonArray *points = json_object_get_array_member (funnel, "practices");

      g_assert_cmpuint (json_array_get_length (points), ==, N_PRACTICES);
      if (g_str_equal (measure, "did_not_attend"))
        {
          assert_count (funnel, "events", everything.slots_dna);
          assert_count (funnel, "n", everything.slots_used + everything.slots_dna);
          for (guint i = 0; i < json_array_get_length (points); i++)
            {
              JsonObject *point = json_array_get_object_element (points, i);
              const char *position = json_object_get_string_member (point, "position");

              if (g_str_equal (json_object_get_string_member (point, "practice_id"), hub->practices[3].id))
                g_assert_true (g_str_has_prefix (position, "above_"));
              else
                g_assert_false (g_str_has_prefix (position, "above_"));
            }
        }
      else if (g_str_equal (measure, "answered_within_60s"))
        {
          assert_count (funnel, "events", everything.in_time);
          assert_count (funnel, "n", everything.offered);
          assert_number (funnel, "overall",
                         round ((double) everything.in_time / everything.offered * 1e6) / 1e6);
        }
      else
        {
          g_assert_cmpstr (measure, ==, "abandoned");
          assert_count (funnel, "events", everything.abandoned);
        }
    }
  g_hash_table_unref (everything.routes);

  /* A practice that moves to another time zone has its days worked out
   * again, and back: nothing lost, nothing counted twice. Its calls from
   * 08:00 to 18:30 in London stay in the same weeks in Kathmandu (5 h 45
   * ahead), but one at 23:00 on the last Sunday is Monday there, after
   * the span. */
  {
    Practice *p = &hub->practices[4];
    g_autofree char *admin = test_login (hub->ts, "admin");
    g_autoptr(JsonObject) moved = NULL;
    g_autoptr(JsonObject) back = NULL;
    JsonObject *result;
    JsonArray *weeks;
    GDate sunday = hub->monday[N_WEEKS - 1];

    g_date_add_days (&sunday, 6);
    event (hub, p, "call.offered", "hub-late-sunday", local_ms (hub, &sunday, 23, 0), NULL);
    event (hub, p, "call.missed", "hub-late-sunday", local_ms (hub, &sunday, 23, 1), NULL);
    p->weeks[N_WEEKS - 1].offered++;
    p->weeks[N_WEEKS - 1].missed++;

    result = test_mutate_one (hub->ts, admin, "practice", "update", p->id, 1,
                              "{\"time_zone\":\"Asia/Kathmandu\"}");
    g_assert_cmpstr (test_result_status (result), ==, "applied");
    json_object_unref (result);
    moved = get_hub (hub, hub->hub_manager, NULL);
    weeks = json_object_get_array_member (find_practice (moved, p->id), "weeks");
    for (guint w = 0; w < N_WEEKS; w++)
      assert_count (json_object_get_object_member (json_array_get_object_element (weeks, w), "calls"),
                    "offered", p->weeks[w].offered - (w == N_WEEKS - 1 ? 1 : 0));

    result = test_mutate_one (hub->ts, admin, "practice", "update", p->id, 2,
                              "{\"time_zone\":\"Europe/London\"}");
    g_assert_cmpstr (test_result_status (result), ==, "applied");
    json_object_unref (result);
    back = get_hub (hub, hub->hub_manager, NULL);
    weeks = json_object_get_array_member (find_practice (back, p->id), "weeks");
    for (guint w = 0; w < N_WEEKS; w++)
      assert_figures (json_array_get_object_element (weeks, w), &p->weeks[w], p->registered, 7);
  }
  hub_free (hub);
}

/* A manager sees only the practices they work for: never another's
 * figures, and the hub's total only when it cannot give those away. */
static void
test_who_sees_what (void)
{
  Hub *hub = hub_new ();
  g_autoptr(JsonObject) mine = NULL;
  g_autoptr(JsonObject) three = NULL;
  g_autoptr(JsonObject) all = NULL;
  g_autofree char *admin = test_login (hub->ts, "admin");
  g_autofree char *navigator = test_login (hub->ts, "nav_a");
  g_autofree char *from = signpost_date_format (&hub->monday[0]);
  g_autofree char *other = NULL;
  g_autofree char *unknown = NULL;
  g_autofree char *path = NULL;
  JsonArray *funnel_points;

  /* One practice's manager: that practice, and the hub's total (four
   * practices hidden from them). */
  mine = get_hub (hub, hub->manager_c, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (mine, "practices")), ==, 1);
  g_assert_nonnull (find_practice (mine, hub->practices[2].id));
  g_assert_nonnull (json_object_get_object_member (mine, "hub"));
  funnel_points = json_object_get_array_member (json_array_get_object_element (
                    json_object_get_array_member (mine, "funnels"), 0), "practices");
  g_assert_cmpuint (json_array_get_length (funnel_points), ==, 1);

  /* … and is refused anyone else's. */
  other = g_strdup_printf ("&practice=%s", hub->practices[0].id);
  {
    g_autofree char *to = NULL;
    g_autoptr(TestReply) reply = NULL;
    GDate end = hub->monday[1];

    g_date_add_days (&end, 6);
    to = signpost_date_format (&end);
    path = g_strdup_printf ("/api/v1/stats/hub?from=%s&to=%s%s", from, to, other);
    reply = test_http (hub->ts, NULL, "GET", path, hub->manager_c, NULL, -1);
    test_assert_problem (reply, 403, "practice");
    g_clear_pointer (&reply, test_reply_free);

    unknown = g_strdup_printf ("/api/v1/stats/hub?from=%s&to=%s&practice=%s", from, to,
                               "00000000-0000-4000-8000-000000000000");
    reply = test_http (hub->ts, NULL, "GET", unknown, hub->manager_c, NULL, -1);
    test_assert_problem (reply, 404, "practice");
    g_clear_pointer (&reply, test_reply_free);

    g_clear_pointer (&path, g_free);
    path = g_strdup_printf ("/api/v1/stats/hub?from=%s&to=%s&practice=Y99951", from, to);
    reply = test_http (hub->ts, NULL, "GET", path, hub->manager_c, NULL, -1);
    test_assert_problem (reply, 422, "practice");
    g_clear_pointer (&reply, test_reply_free);

    /* Navigators see no statistics at all. */
    g_clear_pointer (&path, g_free);
    path = g_strdup_printf ("/api/v1/stats/hub?from=%s&to=%s", from, to);
    reply = test_http (hub->ts, NULL, "GET", path, navigator, NULL, -1);
    test_assert_problem (reply, 403, NULL);
  }

  /* Three practices of five: the other two would be the hub minus these. */
  three = get_hub (hub, hub->manager_abc, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (three, "practices")), ==, 3);
  g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (three, "hub")));
  g_assert_null (find_practice (three, hub->practices[3].id));

  /* Administrators see every practice. */
  all = get_hub (hub, admin, NULL);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (all, "practices")), ==, N_PRACTICES);
  hub_free (hub);
}

static void
test_bad_requests (void)
{
  Hub *hub = hub_new ();
  static const struct {
    const char *query;
    const char *field;
  } cases[] = {
    { "", "from" },
    { "?from=2026-11-16", "to" },
    { "?from=2026-11-31&to=2026-12-06", "from" },
    { "?from=2026-11-16&to=yesterday", "to" },
    { "?from=2026-11-16&to=2026-11-15", "to" },
    { "?from=2025-11-16&to=2026-11-22", "to" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = g_strconcat ("/api/v1/stats/hub", cases[i].query, NULL);
      g_autoptr(TestReply) reply = test_http (hub->ts, NULL, "GET", path, hub->hub_manager, NULL, -1);

      test_assert_problem (reply, 422, cases[i].field);
    }
  hub_free (hub);
}

/* Replayed time: only on a server that takes it (a demo server), and
 * never in the future. */
static void
test_replayed_time (void)
{
  TestServer *plain = test_server_new (NULL);
  Hub *hub = hub_new ();
  g_autofree char *token = test_login (plain, "nav_a");
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GDateTime) later = g_date_time_add_minutes (now, 10);
  g_autofree char *later_text = signpost_timestamp_format (later);
  const char *body = "{\"mutations\":[]}";
  g_autoptr(TestReply) reply = NULL;

  reply = test_http_with_header (plain, "POST", "/api/v1/mutations", token, body,
                                 "X-Signpost-Replay-At", "2026-11-16T09:00:00Z");
  test_assert_problem (reply, 403, "X-Signpost-Replay-At");
  g_clear_pointer (&reply, test_reply_free);

  reply = test_http_with_header (hub->ts, "POST", "/api/v1/mutations", hub->practices[0].navigator,
                                 body, "X-Signpost-Replay-At", later_text);
  test_assert_problem (reply, 422, "X-Signpost-Replay-At");
  g_clear_pointer (&reply, test_reply_free);

  reply = test_http_with_header (hub->ts, "POST", "/api/v1/mutations", hub->practices[0].navigator,
                                 body, "X-Signpost-Replay-At", "last Tuesday");
  test_assert_problem (reply, 422, "X-Signpost-Replay-At");

  hub_free (hub);
  test_server_free (plain);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/server/hub/figures", test_figures);
  g_test_add_func ("/signpost/server/hub/who-sees-what", test_who_sees_what);
  g_test_add_func ("/signpost/server/hub/bad-requests", test_bad_requests);
  g_test_add_func ("/signpost/server/hub/replayed-time", test_replayed_time);

  return g_test_run ();
}
