/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib-unix.h>

#include "signpost-admin.h"
#include "signpost-database.h"
#include "signpost-demo.h"
#include "signpost-server.h"
#include "signpost-sqlite-store.h"

typedef struct {
  GMainLoop *loop;
  SignpostServer *server;
  gboolean stopping;
} App;

static void
shutdown_done (GObject      *source,
               GAsyncResult *result,
               gpointer      data)
{
  App *app = data;
  g_autoptr(GError) error = NULL;

  if (!signpost_server_shutdown_finish (SIGNPOST_SERVER (source), result, &error))
    g_warning ("Shutting down: %s", error->message);
  g_main_loop_quit (app->loop);
}

static gboolean
on_signal (gpointer data)
{
  App *app = data;

  if (!app->stopping)
    {
      app->stopping = TRUE;
      g_message ("Shutting down");
      signpost_server_shutdown_async (app->server, NULL, shutdown_done, app);
    }
  return G_SOURCE_CONTINUE;
}

/* "ADDR:PORT", "[v6]:PORT" or ":PORT". */
static gboolean
parse_listen (const char  *text,
              char       **address,
              guint       *port)
{
  const char *colon = strrchr (text, ':');
  guint64 value;

  if (colon == NULL || !g_ascii_string_to_unsigned (colon + 1, 10, 0, 65535, &value, NULL))
    return FALSE;
  *port = value;
  if (colon == text)
    *address = g_strdup ("127.0.0.1");
  else if (text[0] == '[' && colon[-1] == ']')
    *address = g_strndup (text + 1, colon - text - 2);
  else
    *address = g_strndup (text, colon - text);
  return g_hostname_is_ip_address (*address);
}

static char *
default_db_path (void)
{
  const char *state = g_getenv ("STATE_DIRECTORY");

  /* systemd's StateDirectory= tells us where our state lives. */
  if (state != NULL && *state != '\0')
    {
      g_auto(GStrv) dirs = g_strsplit (state, ":", 2);

      return g_build_filename (dirs[0], "signpost.db", NULL);
    }
  return g_strdup ("signpost.db");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *listen = NULL;
  g_autofree char *db_option = NULL;
  g_autofree char *db_file = NULL;
  g_autofree char *db_path = NULL;
  g_autofree char *default_path = NULL;
  g_autofree char *tls_cert = NULL;
  g_autofree char *tls_key = NULL;
  g_autofree char *trusted_proxy = NULL;
  g_autofree char *address = NULL;
  gboolean demo = FALSE;
  gboolean demo_open_now = FALSE;
  double demo_scale = 1.0;
  int demo_practices = SIGNPOST_DEMO_DEFAULT_PRACTICES;
  gboolean verbose = FALSE;
  SignpostFormLimits form_limits;
  int request_timeout_s = 30;
  int keepalive_timeout_s = 100;
  guint port = SIGNPOST_SERVER_DEFAULT_PORT;
  GOptionEntry entries[] = {
    { "listen", 'l', 0, G_OPTION_ARG_STRING, &listen,
      N_("Address and port to listen on (default 127.0.0.1:8765; port 0 picks a free one)"),
      N_("ADDR:PORT") },
    { "db", 'd', 0, G_OPTION_ARG_FILENAME, &db_option,
      N_("The database: a SQLite file (default $STATE_DIRECTORY/signpost.db, else ./signpost.db) "
         "or a postgresql:// URI"),
      N_("PATH|URI") },
    { "db-file", 0, 0, G_OPTION_ARG_FILENAME, &db_file,
      N_("Read --db from the first line of FILE (for a URI with a password)"), N_("FILE") },
    { "tls-cert", 0, 0, G_OPTION_ARG_FILENAME, &tls_cert,
      N_("Serve HTTPS and WSS with this PEM certificate (needs --tls-key)"), N_("PEM") },
    { "tls-key", 0, 0, G_OPTION_ARG_FILENAME, &tls_key,
      N_("The PEM private key for --tls-cert"), N_("PEM") },
    { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
      N_("Fill a new database with the synthetic demo hub and print its users"), NULL },
    { "demo-open-now", 0, 0, G_OPTION_ARG_NONE, &demo_open_now,
      N_("With --demo: the practices’ day opens now, whatever the hour or weekday (sessions "
         "from half an hour on, nothing held back, the duty doctor on duty), for a live demo"),
      NULL },
    { "practices", 0, 0, G_OPTION_ARG_INT, &demo_practices,
      N_("With --demo: seed N practices (default 2, at most 99), lists of 2,000 to 20,000 patients"),
      N_("N") },
    /* For benchmarks: 3.125 makes a 50,000-patient hub. Still synthetic. */
    { "demo-scale", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_DOUBLE, &demo_scale,
      N_("With --demo: scale the demo practices' lists by X (default 1)"), N_("X") },
    { "trusted-proxy", 0, 0, G_OPTION_ARG_STRING, &trusted_proxy,
      N_("Believe X-Forwarded-For from this reverse proxy address (default: none)"),
      N_("ADDR") },
    { "form-client-pages", 0, 0, G_OPTION_ARG_INT, &form_limits.client_pages_per_hour,
      N_("Pages of the online request form one client may send an hour (default 300; 0: no limit)"),
      N_("N") },
    { "form-client-requests", 0, 0, G_OPTION_ARG_INT, &form_limits.client_requests_per_hour,
      N_("Online requests one client may send an hour (default 10; 0: no limit)"), N_("N") },
    { "form-practice-requests", 0, 0, G_OPTION_ARG_INT, &form_limits.practice_requests_per_hour,
      N_("Online requests a practice may receive through its form an hour (default 300; 0: no limit)"),
      N_("N") },
    { "request-timeout", 0, 0, G_OPTION_ARG_INT, &request_timeout_s,
      N_("Close a connection whose request (headers and body) has not arrived in full this many seconds after it began (default 30)"),
      N_("SECONDS") },
    { "keepalive-timeout", 0, 0, G_OPTION_ARG_INT, &keepalive_timeout_s,
      N_("Close a kept-alive connection that has sent no new request for this many seconds (default 100)"),
      N_("SECONDS") },
    { "verbose", 'v', 0, G_OPTION_ARG_NONE, &verbose, N_("Log debugging messages"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostStore) store = NULL;
  g_autoptr(SignpostServer) server = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  SignpostServerOptions options;
  App app = { 0 };

  signpost_form_limits_init (&form_limits);
  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);
  signal (SIGPIPE, SIG_IGN);
  /* Before anything else looks at them: ps must not show a password. */
  signpost_database_hide_passwords (argc, argv);

  if (argc > 1 && g_str_equal (argv[1], "admin"))
    return signpost_admin_main (argc - 1, argv + 1);

  context = g_option_context_new (_("— the Signpost practice and hub server"));
  g_option_context_set_summary (context,
    _("Serves the Signpost wire protocol (docs/PROTOCOL.md) to consoles and the phone system:\n"
      "sign-in, the change feed, mutations, live WebSocket push, the telephony webhook\n"
      "and the audit log, all kept in one database: a SQLite file for a practice, or\n"
      "PostgreSQL for a hub (--db postgresql://USER@HOST/DATABASE; see docs/DEPLOY.md).\n"
      "\n"
      "Set up a server with the admin commands (run “signpost-server admin --help”):\n"
      "  signpost-server admin --db PATH add-practice --ods Y01234 --name NAME\n"
      "  signpost-server admin --db PATH add-user --username NAME --display-name TEXT \\\n"
      "      --role navigator|clinician|manager|admin --practice Y01234 [--hub]\n"
      "  signpost-server admin --db PATH set-password NAME     (password on stdin)\n"
      "  signpost-server admin --db PATH add-line --practice Y01234 --number 02079460001\n"
      "  signpost-server admin --db PATH set-line-secret --number N   (secret on stdin)\n"
      "  signpost-server admin --db PATH list-users | revoke-tokens NAME\n"
      "  signpost-server admin --db PATH import-patients --practice Y01234 LIST.csv\n"
      "  signpost-server admin --db PATH export-practice --practice Y01234 --out FILE"));
  g_option_context_set_description (context,
    _("On start-up one line “Listening on http://ADDR:PORT/” is printed to standard output.\n"
      "SIGINT or SIGTERM shuts down cleanly: requests in progress finish, WebSockets are\n"
      "closed, and every acknowledged write is already on disk. Behind a reverse proxy,\n"
      "pass its address with --trusted-proxy so that rate limits and the audit log see\n"
      "the real client.\n"
      "\n"
      "The database is --db, else the first line of --db-file, else $SIGNPOST_DB.\n"
      "Keep a URI that holds a password out of the command line: put it in a file\n"
      "only the server's user can read (--db-file) or in SIGNPOST_DB, or leave the\n"
      "password to PGPASSFILE (~/.pgpass). A password on the command line is hidden\n"
      "from ps at start-up, but is briefly visible before that."));
  g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (verbose)
    g_log_set_debug_enabled (TRUE);
  if (demo_practices < 1 || demo_practices > SIGNPOST_DEMO_MAX_PRACTICES)
    {
      g_printerr (_("--practices must be from 1 to %d\n"), SIGNPOST_DEMO_MAX_PRACTICES);
      return 2;
    }
  if (!(demo_scale > 0 && demo_scale <= 10))
    {
      g_printerr (_("--demo-scale must be more than 0 and at most 10\n"));
      return 2;
    }
  if (request_timeout_s < 1 || request_timeout_s > 3600 ||
      keepalive_timeout_s < 1 || keepalive_timeout_s > 3600)
    {
      g_printerr (_("--request-timeout and --keepalive-timeout must be from 1 to 3600 seconds\n"));
      return 2;
    }

  if (listen != NULL)
    {
      if (!parse_listen (listen, &address, &port))
        {
          g_printerr (_("--listen wants ADDR:PORT with an IP address, not “%s”\n"), listen);
          return 2;
        }
    }
  else
    address = g_strdup ("127.0.0.1");
  default_path = default_db_path ();
  db_path = signpost_database_resolve (db_option, db_file, default_path, &error);
  if (db_path == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  /* A damaged SQLite database is refused before it is opened, and checked
   * again (every page) once it is. */
  if (!signpost_database_is_uri (db_path) &&
      !signpost_sqlite_store_check_files (db_path, &error))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  store = signpost_database_open (db_path, &error);
  if (store == NULL)
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }

  if (demo)
    {
      g_autofree char *description = signpost_demo_describe_practices (demo_practices);
      gboolean seeded = signpost_demo_is_seeded (store, &error);

      if (error != NULL)
        {
          g_printerr ("%s\n", error->message);
          return 1;
        }
      if (!seeded)
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          gint64 start = g_get_monotonic_time ();

          if (!signpost_demo_seed_practices (store, demo_practices, demo_scale,
                                             now, &error) ||
              (demo_open_now && !signpost_demo_open_now (store, now, &error)))
            {
              g_printerr (_("Could not seed the demo data: %s\n"), error->message);
              return 1;
            }
          g_printerr (_("Seeded the demo hub in %.1f s\n"),
                      (g_get_monotonic_time () - start) / 1e6);
          if (demo_open_now)
            g_printerr ("%s\n", _("The practices’ day opens now: sessions start in half an hour "
                                  "and nothing is held back"));
        }
      else
        g_printerr (_("The database already holds data; not seeding it again\n"));
      g_printerr ("%s", description);
    }

  signpost_server_options_init (&options);
  options.trusted_proxy = trusted_proxy;
  options.form_limits = form_limits;
  options.request_timeout_ms = request_timeout_s * 1000;
  options.connection_idle_ms = keepalive_timeout_s * 1000;
  /* The simulator fills a demo server with weeks of history. */
  options.replayed_time = demo;
  server = signpost_server_new (store, &options);
  if (!signpost_server_listen (server, address, port, tls_cert, tls_key, &error))
    {
      g_printerr (_("Could not listen on %s:%u: %s\n"), address, port, error->message);
      return 1;
    }
  /* Ready for SIGTERM before saying so: a supervisor may stop us at once. */
  loop = g_main_loop_new (NULL, FALSE);
  app.loop = loop;
  app.server = server;
  g_unix_signal_add (SIGINT, on_signal, &app);
  g_unix_signal_add (SIGTERM, on_signal, &app);
  g_print ("Listening on %s://%s%s%s:%u/\n", signpost_server_is_https (server) ? "https" : "http",
           strchr (address, ':') ? "[" : "", address, strchr (address, ':') ? "]" : "",
           signpost_server_get_port (server));
  fflush (stdout);
  g_main_loop_run (loop);

  g_clear_object (&server);
  g_clear_object (&store);
  return 0;
}
