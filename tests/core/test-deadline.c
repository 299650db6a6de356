/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include "signpost-core.h"

/* Where a request stands against its deadline (the hazard log's C-03.3):
 * fixed instants, the same whenever the test runs. */

static SignpostTriage *
request (SignpostTriageStatus status,
         const char          *respond_by)
{
  SignpostTriage *triage = signpost_triage_new ();
  g_autoptr(GDateTime) deadline = respond_by ? signpost_timestamp_parse (respond_by, NULL) : NULL;

  signpost_triage_set_status (triage, status);
  signpost_triage_set_respond_by (triage, deadline);
  return triage;
}

static void
test_states (void)
{
  g_autoptr(GDateTime) now = signpost_timestamp_parse ("2026-11-23T14:00:00Z", NULL);
  struct {
    SignpostTriageStatus status;
    const char *respond_by;
    SignpostDeadlineState expected;
  } cases[] = {
    { SIGNPOST_TRIAGE_OPEN, "2026-11-24T18:30:00Z", SIGNPOST_DEADLINE_ON_TIME },
    { SIGNPOST_TRIAGE_OPEN, "2026-11-23T15:00:01Z", SIGNPOST_DEADLINE_ON_TIME },
    { SIGNPOST_TRIAGE_OPEN, "2026-11-23T15:00:00Z", SIGNPOST_DEADLINE_DUE_SOON },
    { SIGNPOST_TRIAGE_AWAITING_DUTY, "2026-11-23T14:00:00Z", SIGNPOST_DEADLINE_DUE_SOON },
    { SIGNPOST_TRIAGE_AWAITING_DUTY, "2026-11-23T13:59:59Z", SIGNPOST_DEADLINE_PAST },
    { SIGNPOST_TRIAGE_OPEN, "2026-11-20T18:30:00Z", SIGNPOST_DEADLINE_PAST },
    { SIGNPOST_TRIAGE_OPEN, NULL, SIGNPOST_DEADLINE_NONE },
    { SIGNPOST_TRIAGE_REVIEWED, "2026-11-20T18:30:00Z", SIGNPOST_DEADLINE_NONE },
    { SIGNPOST_TRIAGE_BOOKED, "2026-11-20T18:30:00Z", SIGNPOST_DEADLINE_NONE },
    { SIGNPOST_TRIAGE_SIGNPOSTED, "2026-11-20T18:30:00Z", SIGNPOST_DEADLINE_NONE },
    { SIGNPOST_TRIAGE_CLOSED, "2026-11-20T18:30:00Z", SIGNPOST_DEADLINE_NONE },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SignpostTriage) triage = request (cases[i].status, cases[i].respond_by);

      g_test_message ("case %u", i);
      g_assert_cmpint (signpost_triage_deadline_state (triage, now), ==, cases[i].expected);
    }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/signpost/deadline/states", test_states);
  return g_test_run ();
}
