/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "console-test-server.h"

G_BEGIN_DECLS

/*
 * Online requests sent as a patient's browser sends them: through the
 * practice's form at /p/{ODS}/request on the test server (the start page's
 * cookie and token, then every answer with the last page). Synthetic
 * people only.
 */

typedef struct {
  const char *given_name;
  const char *family_name;
  const char *date_of_birth; /* YYYY-MM-DD, an adult */
  const char *postcode;
  const char *nhs_number;    /* or NULL */
  const char *reason;
  const char *kind;          /* "medical", "repeat_prescription", "fit_note", … */
  const char *duration;      /* how long, for a medical request */
  const char *hoped;         /* or NULL */
  const char *contact_number;
} TestOnlineRequest;

/* The demo practice whose form the tests use. */
#define TEST_ONLINE_ODS "Y99901"

/* As the practice manager would: the form open at every hour of every
 * day, so that no test depends on when it runs. */
void   test_online_open_round_the_clock (TestServer              *server,
                                         const char              *ods);
/* Sends @request; returns the reference the patient is given. */
char  *test_online_submit               (TestServer              *server,
                                         const char              *ods,
                                         const TestOnlineRequest *request);
/* Sends @request to the demo practice as a patient does, in a real
 * browser: headless chromium filled in with the keyboard only, driven by
 * the web suite's test-request-form.py --send (SIGNPOST_TEST_FORM_BROWSER
 * names it; NULL is returned, and nothing sent, when it is not set because
 * chromedriver is not installed). Returns the reference the page shows. */
char  *test_online_submit_in_browser    (TestServer              *server,
                                         const TestOnlineRequest *request);

G_END_DECLS
