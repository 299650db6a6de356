/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "signpost-core.h"

/* The failed-contact policy: the duty doctor's review for the urgent, a
 * text to a mobile, a letter otherwise. */

static SignpostCall *
failed_call (const char *callback_number,
             const char *cli)
{
  SignpostCall *call = signpost_call_new ();

  signpost_call_set_state (call, SIGNPOST_CALL_CALLBACK_DONE);
  signpost_call_set_callback_outcome (call, SIGNPOST_CALLBACK_OUTCOME_FAILED_CONTACT);
  signpost_call_set_callback_attempts (call, 2);
  signpost_call_set_callback_number (call, callback_number);
  signpost_call_set_cli (call, cli);
  return call;
}

static void
test_next_step (void)
{
  g_autoptr(SignpostCall) mobile = failed_call ("+447700900123", NULL);
  g_autoptr(SignpostCall) landline = failed_call (NULL, "+441632960123");
  g_autoptr(SignpostCall) withheld = failed_call (NULL, NULL);
  g_autoptr(SignpostTriage) red = signpost_triage_new ();
  g_autoptr(SignpostTriage) green = signpost_triage_new ();

  signpost_triage_set_urgency (red, SIGNPOST_URGENCY_SAME_DAY);
  signpost_triage_set_urgency (green, SIGNPOST_URGENCY_ROUTINE);

  g_assert_cmpint (signpost_failed_contact_next_step (mobile, NULL), ==, SIGNPOST_FOLLOW_UP_TEXT);
  g_assert_cmpint (signpost_failed_contact_next_step (mobile, green), ==, SIGNPOST_FOLLOW_UP_TEXT);
  g_assert_cmpint (signpost_failed_contact_next_step (mobile, red), ==, SIGNPOST_FOLLOW_UP_DUTY_REVIEW);
  g_assert_cmpint (signpost_failed_contact_next_step (landline, NULL), ==, SIGNPOST_FOLLOW_UP_LETTER);
  g_assert_cmpint (signpost_failed_contact_next_step (landline, red), ==, SIGNPOST_FOLLOW_UP_DUTY_REVIEW);
  g_assert_cmpint (signpost_failed_contact_next_step (withheld, NULL), ==, SIGNPOST_FOLLOW_UP_LETTER);
  g_assert_cmpstr (signpost_call_get_contact_number (landline), ==, "+441632960123");
  g_assert_null (signpost_call_get_contact_number (withheld));
}

static void
test_needs_follow_up (void)
{
  g_autoptr(SignpostCall) call = failed_call ("+447700900123", NULL);

  g_assert_true (signpost_call_is_failed_contact (call));
  g_assert_true (signpost_call_needs_follow_up (call));
  signpost_call_set_follow_up (call, SIGNPOST_FOLLOW_UP_TEXT);
  g_assert_true (signpost_call_is_failed_contact (call));
  g_assert_false (signpost_call_needs_follow_up (call));

  signpost_call_set_follow_up (call, SIGNPOST_FOLLOW_UP_NONE);
  signpost_call_set_callback_outcome (call, SIGNPOST_CALLBACK_OUTCOME_NO_ANSWER);
  signpost_call_set_state (call, SIGNPOST_CALL_CALLBACK_REQUESTED);
  g_assert_false (signpost_call_needs_follow_up (call));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/signpost/core/failed-contact/next-step", test_next_step);
  g_test_add_func ("/signpost/core/failed-contact/needs-follow-up", test_needs_follow_up);
  return g_test_run ();
}
