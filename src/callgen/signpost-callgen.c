/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-callgen"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <math.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "signpost-core.h"
#include "signpost-callgen-runner.h"

/* signpost-callgen: plays telephone traffic into a Signpost server's
 * telephony webhook. See --help. */

enum {
  EXIT_OK = 0,
  EXIT_EVENTS_FAILED = 1,
  EXIT_USAGE = 2,
  EXIT_RUN_FAILED = 3,
};

typedef struct {
  gboolean done;
  gboolean ok;
  GError *error;
} RunState;

static void
run_cb (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  RunState *state = user_data;

  state->ok = signpost_callgen_runner_run_finish (SIGNPOST_CALLGEN_RUNNER (source), result, &state->error);
  state->done = TRUE;
}

static gboolean
interrupt_cb (gpointer user_data)
{
  static guint count;

  if (++count > 1)
    {
      g_printerr ("%s\n", _("Interrupted again: quitting without waiting"));
      exit (130);
    }
  g_printerr ("%s\n", _("Interrupted: stopping…"));
  signpost_callgen_runner_stop (user_data);
  return G_SOURCE_CONTINUE;
}

/* "180", "180s" or "2.5" seconds */
static gboolean
parse_seconds (const char  *text,
               const char  *option,
               double       min,
               double       max,
               double      *out,
               GError     **error)
{
  g_autofree char *copy = g_strstrip (g_strdup (text));
  char *end = NULL;
  double value;

  if (g_str_has_suffix (copy, "s"))
    copy[strlen (copy) - 1] = '\0';
  value = g_ascii_strtod (copy, &end);
  if (copy[0] == '\0' || end == NULL || *end != '\0' || !isfinite (value) || value < min || value > max)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                   _("%s wants a number of seconds from %g to %g, not “%s”"), option, min, max, text);
      return FALSE;
    }
  *out = value;
  return TRUE;
}

static gboolean
check_range (double       value,
             const char  *option,
             double       min,
             double       max,
             GError     **error)
{
  if (isfinite (value) && value >= min && value <= max)
    return TRUE;
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               _("%s must be from %g to %g"), option, min, max);
  return FALSE;
}

static gboolean
parse_options (int                      *argc,
               char                   ***argv,
               SignpostCallgenOptions   *options,
               GError                  **error)
{
  g_autofree char *server = NULL;
  g_autofree char *secret = NULL;
  g_autofree char *replay = NULL;
  g_autofree char *replay_from = NULL;
  g_autofree char *replay_to = NULL;
  g_autofree char *duration = NULL;
  g_autofree char *seed = NULL;
  g_autofree char *handle_time = NULL;
  g_autofree char *user = NULL;
  g_autofree char *password = NULL;
  g_autofree char *ca_file = NULL;
  gboolean realtime = FALSE;
  gboolean surge = FALSE;
  double speed = 0, rate = 0;
  int navigators = -1;
  guint modes;
  g_autoptr(GOptionContext) context = NULL;
  const GOptionEntry entries[] = {
    { "server", 0, 0, G_OPTION_ARG_STRING, &server,
      N_("The Signpost server, e.g. http://127.0.0.1:8080"), N_("URL") },
    { "secret", 0, 0, G_OPTION_ARG_STRING, &secret,
      N_("The lines' webhook secret (default: the demo's, demo-line-secret)"), N_("S") },
    { "realtime", 0, 0, G_OPTION_ARG_NONE, &realtime,
      N_("Play calls as the clock runs, day after day, until interrupted; "
         "out of hours it plays the next opening day from 08:00"), NULL },
    { "surge", 0, 0, G_OPTION_ARG_NONE, &surge,
      N_("With --realtime: start at once with a Monday’s 8 am surge, whatever the day and hour "
         "(today plays as a Monday from 08:00, and 08:00 is now)"), NULL },
    { "speed", 0, 0, G_OPTION_ARG_DOUBLE, &speed,
      N_("With --realtime: run the simulated clock X times faster (e.g. 60: an hour a minute)"), N_("X") },
    { "replay", 0, 0, G_OPTION_ARG_STRING, &replay,
      N_("Play one whole day as fast as the server takes it, with the simulated times in the events"),
      N_("YYYY-MM-DD") },
    { "replay-from", 0, 0, G_OPTION_ARG_STRING, &replay_from,
      N_("Fill a demo server with the history of every practice from this day (with --replay-to)"),
      N_("YYYY-MM-DD") },
    { "replay-to", 0, 0, G_OPTION_ARG_STRING, &replay_to,
      N_("… to this day (at the latest yesterday): calls, sessions, bookings, outcomes, navigation"),
      N_("YYYY-MM-DD") },
    { "rate", 0, 0, G_OPTION_ARG_DOUBLE, &rate,
      N_("Load test: N new short calls a second (with --duration)"), N_("N") },
    { "duration", 0, 0, G_OPTION_ARG_STRING, &duration,
      N_("Load test: for this many seconds"), N_("SECONDS") },
    { "seed", 0, 0, G_OPTION_ARG_STRING, &seed,
      N_("Random seed: the same seed plays the same calls (default: a new one, printed)"), N_("N") },
    { "navigators", 0, 0, G_OPTION_ARG_INT, &navigators,
      N_("Simulate N navigators answering from the head of the queue (default: none)"), N_("N") },
    { "handle-time", 0, 0, G_OPTION_ARG_STRING, &handle_time,
      N_("Simulated navigators' mean call length, exponentially distributed (default: 180)"), N_("SECONDS") },
    { "user", 0, 0, G_OPTION_ARG_STRING, &user,
      N_("Log in as U to read lines and patients and to answer calls (default: hubnav, else navigator)"), N_("U") },
    { "password", 0, 0, G_OPTION_ARG_STRING, &password,
      N_("U’s password (default: the demo’s, demo-password)"), N_("P") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file,
      N_("For an https:// server: trust the certificate authorities in this PEM file "
         "instead of the system’s"), N_("PEM") },
    { NULL }
  };

  context = g_option_context_new (NULL);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  g_option_context_set_summary (context,
    _("Plays telephone traffic into a Signpost server’s telephony webhook, signed with the "
      "lines’ secret. It logs in, reads the practices’ lines and patients, and draws callers "
      "from them: known mobiles, shared household landlines, unknown numbers and withheld ones, "
      "all from Ofcom’s drama ranges.\n\n"
      "Choose one mode: --realtime [--speed X], --replay YYYY-MM-DD, "
      "--replay-from YYYY-MM-DD --replay-to YYYY-MM-DD, or --rate N --duration SECONDS."));
  g_option_context_set_description (context,
    _("Traffic model: Poisson arrivals from 08:00 to 18:30 following the day’s profile — about "
      "100 calls in the first hour of a Monday per 10,000 patients, most in the first quarter "
      "hour, tapering through the day; Tuesday to Friday about 70 % of Monday; no calls at "
      "weekends. Callers hang up after a lognormal patience (median 4 minutes); when five or "
      "more are ahead, about a third take the callback offer and keep their place. "
      "--surge adds the rush when the lines open: about 20 callers per 10,000 patients who were "
      "ringing before 08:00 get through in its first minute.\n\n"
      "In realtime mode the simulated navigators answer and end calls through the server’s "
      "mutations as the logged-in user, so consoles see them as colleagues; in replay mode "
      "their answers are telephony events (call.answered with an agent, call.ended) carrying "
      "the simulated times, for the statistics. --rate ignores --navigators: each call is "
      "offered and hung up after half a second to two seconds.\n\n"
      "An event that gets no answer (the connection refused, reset or timed out) or an answer "
      "of 429, 502, 503 or 504 is sent again, the same event, after the server’s Retry-After or "
      "a growing pause, for up to two minutes, as a phone system would; the server applies it "
      "once and answers “duplicate” to a resend of what it already has.\n\n"
      "--replay-from and --replay-to fill a demo server (signpost-server --demo) with weeks of "
      "history for every practice: each practice's calls answered by a team of its own, the "
      "sessions its manager laid out, routine and same-day bookings by its navigator or the "
      "hub's, navigation records for most answered calls, and every appointment's outcome "
      "(arrived, seen, did not attend). The seed makes the practices differ as practices do, "
      "and picks the ones a hub manager should find: some answer slowly, one has many "
      "did-not-attends, one offers few appointments for its list. The run prints which. "
      "Everything is sent as the demo's users (hubnav, and each practice's manager, navigator "
      "and duty doctor) with the time it happened, which only a demo server accepts; "
      "--navigators does not apply.\n\n"
      "Ctrl+C stops and prints the summary. Exit status: 0 when every event was accepted, "
      "1 when some failed, 2 for a usage error, 3 when the run could not start."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, argc, argv, error))
    return FALSE;

  if (*argc > 1)
    {
      g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                   _("Unexpected argument “%s”"), (*argv)[1]);
      return FALSE;
    }
  if (server == NULL)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--server is required"));
      return FALSE;
    }

  modes = (realtime ? 1 : 0) + (replay != NULL ? 1 : 0) + (rate != 0 || duration != NULL ? 1 : 0) +
          (replay_from != NULL || replay_to != NULL ? 1 : 0);
  if (modes != 1)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("Choose exactly one of --realtime, --replay DAY, --replay-from DAY "
                             "--replay-to DAY and --rate N --duration SECONDS"));
      return FALSE;
    }

  options->server = g_steal_pointer (&server);
  options->secret = g_steal_pointer (&secret);
  options->user = g_steal_pointer (&user);
  options->password = g_steal_pointer (&password);
  options->ca_file = g_steal_pointer (&ca_file);

  if (realtime)
    {
      options->mode = SIGNPOST_CALLGEN_MODE_REALTIME;
      options->progress_interval_s = 5;
      if (speed != 0 && !check_range (speed, "--speed", 0.01, 10000, error))
        return FALSE;
      options->speed = speed != 0 ? speed : 1.0;
      options->surge = surge;
    }
  else if (speed != 0)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--speed goes with --realtime"));
      return FALSE;
    }
  else if (surge)
    {
      g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                           _("--surge goes with --realtime"));
      return FALSE;
    }

  if (replay != NULL)
    {
      options->mode = SIGNPOST_CALLGEN_MODE_REPLAY;
      options->progress_interval_s = 1;
      if (!signpost_date_parse (replay, &options->replay_date, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--replay wants a date like 2026-11-23, not “%s”"), replay);
          return FALSE;
        }
    }

  if (replay_from != NULL || replay_to != NULL)
    {
      g_autoptr(GTimeZone) tz = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
      GDate today;

      options->mode = SIGNPOST_CALLGEN_MODE_HISTORY;
      options->progress_interval_s = 5;
      if (replay_from == NULL || replay_to == NULL)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                               _("--replay-from and --replay-to go together"));
          return FALSE;
        }
      if (!signpost_date_parse (replay_from, &options->replay_from, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--replay-from wants a date like 2026-11-23, not “%s”"), replay_from);
          return FALSE;
        }
      if (!signpost_date_parse (replay_to, &options->replay_to, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--replay-to wants a date like 2026-11-23, not “%s”"), replay_to);
          return FALSE;
        }
      if (tz == NULL)
        tz = g_time_zone_new_utc ();
      signpost_local_date (now, tz, &today);
      if (g_date_compare (&options->replay_from, &options->replay_to) > 0)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("--replay-to must not be before --replay-from"));
          return FALSE;
        }
      if (g_date_compare (&options->replay_to, &today) >= 0)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("History ends yesterday at the latest: --replay-to must be before today"));
          return FALSE;
        }
      if (g_date_days_between (&options->replay_from, &options->replay_to) >= SIGNPOST_CALLGEN_MAX_HISTORY_DAYS)
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--replay-from and --replay-to may span at most %d days"),
                       SIGNPOST_CALLGEN_MAX_HISTORY_DAYS);
          return FALSE;
        }
    }

  if (rate != 0 || duration != NULL)
    {
      options->mode = SIGNPOST_CALLGEN_MODE_RATE;
      options->progress_interval_s = 1;
      if (duration == NULL || rate == 0)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_FAILED,
                               _("--rate and --duration go together"));
          return FALSE;
        }
      if (!check_range (rate, "--rate", 0.01, 10000, error) ||
          !parse_seconds (duration, "--duration", 0.01, 86400, &options->duration_s, error))
        return FALSE;
      options->rate = rate;
    }

  if (seed != NULL)
    {
      if (!g_ascii_string_to_unsigned (seed, 10, 0, G_MAXUINT64, &options->seed, NULL))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       _("--seed wants a whole number, not “%s”"), seed);
          return FALSE;
        }
    }
  else
    options->seed = ((guint64) g_random_int () << 32 | g_random_int ()) % 1000000000;

  if (navigators != -1)
    {
      if (navigators < 0 || navigators > 10000)
        {
          g_set_error_literal (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                               _("--navigators must be from 0 to 10000"));
          return FALSE;
        }
      options->navigators = (guint) navigators;
    }
  if (handle_time != NULL &&
      !parse_seconds (handle_time, "--handle-time", 1, 36000, &options->handle_s, error))
    return FALSE;

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  SignpostCallgenOptions options;
  g_autoptr(SignpostCallgenRunner) runner = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *summary = NULL;
  RunState state = { 0, };
  const SignpostCallgenStats *stats;
  guint sigint_id, sigterm_id;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  g_set_prgname ("signpost-callgen");

  signpost_callgen_options_init (&options);
  if (!parse_options (&argc, &argv, &options, &error))
    {
      g_printerr ("signpost-callgen: %s\n", error->message);
      g_printerr ("%s\n", _("Try “signpost-callgen --help”."));
      signpost_callgen_options_clear (&options);
      return EXIT_USAGE;
    }

  runner = signpost_callgen_runner_new (&options);
  signpost_callgen_options_clear (&options);

  sigint_id = g_unix_signal_add (SIGINT, interrupt_cb, runner);
  sigterm_id = g_unix_signal_add (SIGTERM, interrupt_cb, runner);

  signpost_callgen_runner_run_async (runner, NULL, run_cb, &state);
  while (!state.done)
    g_main_context_iteration (NULL, TRUE);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  if (!state.ok)
    {
      g_printerr ("signpost-callgen: %s\n", state.error->message);
      g_clear_error (&state.error);
      return EXIT_RUN_FAILED;
    }

  stats = signpost_callgen_runner_get_stats (runner);
  summary = signpost_callgen_stats_format_summary (stats);
  g_print ("%s", summary);

  return stats->events_failed > 0 ? EXIT_EVENTS_FAILED : EXIT_OK;
}
