/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-server-private.h"

/*
 * Replayed time, for demo servers only. The simulator (signpost-callgen
 * --replay-from) fills a demo database with weeks of history: the calls
 * through the telephony webhook, whose events carry their own `at`, and
 * what the practice's staff did — sessions, bookings, outcomes, navigation
 * records — through /mutations, stamped with the time it plays. The
 * mutations are checked by the usual rules as at that time (a slot is
 * booked before it starts), so the history is what the server would have
 * recorded then. A server not started with --demo refuses the header.
 */

#define REPLAY_HEADER "X-Signpost-Replay-At"
/* The simulator's clock may run a little ahead of the server's. */
#define REPLAY_FUTURE_SLACK_S 5

/**
 * signpost_server_mutation_time:
 * @now: the time of the request
 *
 * The time a batch of mutations is applied at: @now, or on a demo server
 * the instant in X-Signpost-Replay-At.
 *
 * Returns: (transfer full): the time, or %NULL with @error set
 */
GDateTime *
signpost_server_mutation_time (SignpostServer     *self,
                               SoupServerMessage  *msg,
                               GDateTime          *now,
                               GError            **error)
{
  const char *text = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                   REPLAY_HEADER);
  g_autoptr(GDateTime) latest = NULL;
  g_autoptr(GDateTime) when = NULL;

  if (text == NULL)
    return g_date_time_ref (now);
  if (!self->replayed_time)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_FORBIDDEN, REPLAY_HEADER,
                                _("only a demo server replays history"));
      return NULL;
    }
  when = signpost_timestamp_parse (text, NULL);
  latest = g_date_time_add_seconds (now, REPLAY_FUTURE_SLACK_S);
  if (when == NULL)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, REPLAY_HEADER,
                                _("must be an instant like 2026-11-23T08:00:00Z"));
      return NULL;
    }
  if (g_date_time_compare (when, latest) > 0)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, REPLAY_HEADER,
                                _("must not be in the future"));
      return NULL;
    }
  return g_steal_pointer (&when);
}
