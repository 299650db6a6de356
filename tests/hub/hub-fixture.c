/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <signal.h>
#include <string.h>
#include <sys/prctl.h>
#include <glib/gstdio.h>

#include "hub-fixture.h"

typedef struct {
  GSubprocess *process;
  guint16 port;
  char *url;
  GOutputStream *log;
} Instance;

struct _Hub
{
  HubOptions options;
  char *dir;
  TestDatabase *db;
  Instance *instances;
  char *cert;
  char *key;
  char *nginx_dir;
  GSubprocess *nginx;
  guint16 https_port;
  char *url;
};

static const char *
program (const char *variable,
         const char *fallback)
{
  const char *value = g_getenv (variable);

  if (value != NULL && *value != '\0')
    return value;
  if (fallback == NULL)
    g_error ("%s is not set", variable);
  return fallback;
}

/* A test that aborts takes its servers down with it. */
static void
die_with_parent (gpointer data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static void
run_checked (const char * const *argv)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *out = NULL;

  process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE,
                               &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8 (process, NULL, NULL, &out, NULL, &error);
  g_assert_no_error (error);
  if (!g_subprocess_get_if_exited (process) || g_subprocess_get_exit_status (process) != 0)
    g_error ("%s failed: %s", argv[0], out);
}

static guint16
free_port (void)
{
  g_autoptr(GSocket) socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM,
                                            G_SOCKET_PROTOCOL_TCP, NULL);
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  g_autoptr(GError) error = NULL;

  g_socket_bind (socket, any, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  return g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
}

gboolean
hub_wait_until (gboolean (*condition) (gpointer data),
                gpointer   data,
                guint      timeout_ms)
{
  gint64 deadline = g_get_monotonic_time () + (gint64) timeout_ms * 1000;

  while (!condition (data))
    {
      if (g_get_monotonic_time () > deadline)
        return FALSE;
      /* Wake up now and then even when nothing happens here. */
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (2000);
    }
  return TRUE;
}

static gboolean
set_flag (gpointer data)
{
  *(gboolean *) data = TRUE;
  return G_SOURCE_REMOVE;
}

void
hub_run_for (guint ms)
{
  gboolean done = FALSE;

  g_timeout_add (ms, set_flag, &done);
  while (!done)
    g_main_context_iteration (NULL, TRUE);
}

/* ---- instances ------------------------------------------------------------- */

typedef struct {
  GDataInputStream *out;
  char *line;
  gboolean done;
} LineRead;

static void
line_read (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  LineRead *read = user_data;

  read->line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (source), result,
                                                          NULL, NULL);
  read->done = TRUE;
}

static gboolean
read_done (gpointer data)
{
  return ((LineRead *) data)->done;
}

void
hub_start_instance (Hub   *hub,
                    guint  i)
{
  Instance *instance = &hub->instances[i];
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  LineRead read = { 0 };
  const char *prefix = "Listening on http://127.0.0.1:";

  g_assert_null (instance->process);
  g_ptr_array_add (argv, g_strdup (program ("SIGNPOST_SERVER_BIN", NULL)));
  g_ptr_array_add (argv, g_strdup ("--listen"));
  g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", instance->port));
  g_ptr_array_add (argv, g_strdup ("--trusted-proxy"));
  g_ptr_array_add (argv, g_strdup ("127.0.0.1"));
  test_database_add_args (hub->db, argv);
  if (i == 0)
    {
      /* Seeds the demo hub the first time; a no-op on a seeded database. */
      g_ptr_array_add (argv, g_strdup ("--demo"));
      if (hub->options.demo_scale > 0)
        {
          g_ptr_array_add (argv, g_strdup ("--demo-scale"));
          g_ptr_array_add (argv, g_strdup_printf ("%g", hub->options.demo_scale));
        }
      if (hub->options.demo_open_now && instance->url == NULL)
        g_ptr_array_add (argv, g_strdup ("--demo-open-now"));
    }
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        (g_getenv ("SIGNPOST_TEST_SERVER_LOG") != NULL
                                         ? G_SUBPROCESS_FLAGS_NONE : G_SUBPROCESS_FLAGS_STDERR_SILENCE));
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  instance->process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  /* The main loop runs meanwhile: consoles of this process carry on. */
  read.out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (instance->process));
  while (TRUE)
    {
      read.done = FALSE;
      g_data_input_stream_read_line_async (read.out, G_PRIORITY_DEFAULT, NULL, line_read, &read);
      g_assert_true (hub_wait_until (read_done, &read, 120000));
      if (read.line == NULL)
        g_error ("signpost-server (instance %u) exited before it listened", i);
      if (g_str_has_prefix (read.line, prefix))
        break;
      g_clear_pointer (&read.line, g_free);
    }
  instance->port = (guint16) g_ascii_strtoull (read.line + strlen (prefix), NULL, 10);
  g_free (read.line);
  if (instance->url == NULL)
    instance->url = g_strdup_printf ("http://127.0.0.1:%u", instance->port);

  /* Keep reading what it prints, so that it never blocks on a full pipe. */
  g_clear_object (&instance->log);
  instance->log = g_memory_output_stream_new_resizable ();
  g_output_stream_splice_async (instance->log, G_INPUT_STREAM (read.out),
                                G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                                G_PRIORITY_DEFAULT, NULL, NULL, NULL);
  g_object_unref (read.out);
}

static void
exited (GObject      *source,
        GAsyncResult *result,
        gpointer      user_data)
{
  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *(gboolean *) user_data = TRUE;
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *) data;
}

static void
wait_exit (GSubprocess *process)
{
  gboolean done = FALSE;

  g_subprocess_wait_async (process, NULL, exited, &done);
  g_assert_true (hub_wait_until (flag_is_set, &done, 60000));
}

/* As a machine is lost: SIGKILL, nothing closed in good order. */
void
hub_kill_instance (Hub   *hub,
                   guint  i)
{
  Instance *instance = &hub->instances[i];

  g_assert_nonnull (instance->process);
  g_subprocess_force_exit (instance->process);
  wait_exit (instance->process);
  g_clear_object (&instance->process);
}

gboolean
hub_instance_is_running (Hub   *hub,
                         guint  i)
{
  return hub->instances[i].process != NULL;
}

static void
stop_instance (Instance *instance)
{
  if (instance->process == NULL)
    return;
  g_subprocess_send_signal (instance->process, SIGTERM);
  wait_exit (instance->process);
  g_clear_object (&instance->process);
}

/* ---- PostgreSQL -------------------------------------------------------------- */

typedef struct {
  char *out;
  gboolean done;
} Communicated;

static void
communicated (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Communicated *c = user_data;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &c->out, NULL, NULL);
  c->done = TRUE;
}

/* pg_ctlcluster ACTION on the throwaway cluster of pg_virtualenv (always
 * called "regress"), the main loop running meanwhile; what it said. */
static gboolean
pg_ctlcluster (const char  *mode,
               const char  *action,
               char       **out)
{
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GError) error = NULL;
  const char *version = g_getenv ("PGVERSION");
  Communicated c = { 0 };

  if (version == NULL)
    g_error ("restarting PostgreSQL needs the throwaway cluster of pg_virtualenv (PGVERSION)");
  process = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE | G_SUBPROCESS_FLAGS_STDERR_MERGE, &error,
                              "pg_ctlcluster", "--mode", mode, version, "regress", action, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, NULL, NULL, communicated, &c);
  g_assert_true (hub_wait_until (flag_is_set, &c.done, 120000));
  *out = c.out;
  return g_subprocess_get_successful (process);
}

gboolean
hub_can_restart_postgresql (Hub *hub)
{
  return hub->options.postgresql && g_getenv ("PGVERSION") != NULL;
}

/* Restarted in fast mode: every connection is cut. On a machine shared
 * with other throwaway clusters, another may take the port while this one
 * is down: then it is started again until it has it back. */
void
hub_restart_postgresql (Hub *hub)
{
  g_autofree char *out = NULL;
  gboolean ok;

  g_assert_true (hub->options.postgresql);
  ok = pg_ctlcluster ("fast", "restart", &out);
  for (guint attempt = 0; !ok && attempt < 10; attempt++)
    {
      g_test_message ("pg_ctlcluster failed (%s); starting the cluster again", out);
      g_clear_pointer (&out, g_free);
      hub_run_for (500);
      ok = pg_ctlcluster ("fast", "start", &out);
    }
  g_assert_true (ok);
}

/* ---- nginx ---------------------------------------------------------------------- */

static gboolean
nginx_listens (gpointer data)
{
  Hub *hub = data;
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", hub->https_port, NULL, NULL);
  if (connection == NULL)
    g_usleep (20000);
  return connection != NULL;
}

static void
start_nginx (Hub *hub)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *conf = NULL;
  g_autofree char *errors = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocessLauncher) launcher = NULL;

  hub->nginx_dir = g_build_filename (hub->dir, "nginx", NULL);
  hub->https_port = free_port ();
  g_ptr_array_add (argv, g_strdup (program ("SIGNPOST_NGINX_SITE", NULL)));
  g_ptr_array_add (argv, g_strdup ("--dir"));
  g_ptr_array_add (argv, g_strdup (hub->nginx_dir));
  g_ptr_array_add (argv, g_strdup ("--https-port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", hub->https_port));
  g_ptr_array_add (argv, g_strdup ("--http-port"));
  g_ptr_array_add (argv, g_strdup_printf ("%u", free_port ()));
  g_ptr_array_add (argv, g_strdup ("--cert"));
  g_ptr_array_add (argv, g_strdup (hub->cert));
  g_ptr_array_add (argv, g_strdup ("--key"));
  g_ptr_array_add (argv, g_strdup (hub->key));
  for (guint i = 0; i < hub->options.n_instances; i++)
    {
      g_ptr_array_add (argv, g_strdup ("--upstream"));
      g_ptr_array_add (argv, g_strdup_printf ("127.0.0.1:%u", hub->instances[i].port));
    }
  if (hub->options.telephony_rate > 0)
    {
      g_ptr_array_add (argv, g_strdup ("--telephony-rate"));
      g_ptr_array_add (argv, g_strdup_printf ("%u", hub->options.telephony_rate));
    }
  g_ptr_array_add (argv, NULL);
  run_checked ((const char * const *) argv->pdata);

  conf = g_build_filename (hub->nginx_dir, "nginx.conf", NULL);
  errors = g_build_filename (hub->nginx_dir, "error.log", NULL);
  /* One process, not a master and its workers: a test that aborts takes
   * it down with it (a worker outlives its master), and nothing holds the
   * test's output open. The site is the same. */
  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_SILENCE | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  hub->nginx = g_subprocess_launcher_spawn (launcher, &error, program ("SIGNPOST_NGINX_BIN", "/usr/sbin/nginx"),
                                            "-p", hub->nginx_dir, "-c", conf, "-e", errors,
                                            "-g", "daemon off; master_process off;", NULL);
  g_assert_no_error (error);
  g_assert_true (hub_wait_until (nginx_listens, hub, 30000));
  hub->url = g_strdup_printf ("https://localhost:%u", hub->https_port);
}

/* ---- the hub ---------------------------------------------------------------------- */

Hub *
hub_new (const HubOptions *options)
{
  Hub *hub = g_new0 (Hub, 1);
  g_autoptr(GError) error = NULL;

  hub->options = *options;
  hub->options.n_instances = MAX (options->n_instances, 1);
  g_assert_true (hub->options.postgresql || hub->options.n_instances == 1);
  hub->dir = g_dir_make_tmp ("signpost-hub-XXXXXX", &error);
  g_assert_no_error (error);
  hub->db = test_database_new_of_kind (hub->options.postgresql);

  hub->cert = g_build_filename (hub->dir, "cert.pem", NULL);
  hub->key = g_build_filename (hub->dir, "key.pem", NULL);
  {
    const char *argv[] = {
      program ("SIGNPOST_OPENSSL_BIN", "openssl"), "req", "-x509", "-newkey", "ec",
      "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes", "-days", "2", "-subj", "/CN=localhost",
      "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
      "-keyout", hub->key, "-out", hub->cert, NULL
    };
    run_checked (argv);
  }

  hub->instances = g_new0 (Instance, hub->options.n_instances);
  for (guint i = 0; i < hub->options.n_instances; i++)
    hub_start_instance (hub, i);
  start_nginx (hub);
  return hub;
}

void
hub_free (Hub *hub)
{
  g_autoptr(GDir) dir = NULL;

  if (hub == NULL)
    return;
  if (hub->nginx != NULL)
    {
      g_subprocess_send_signal (hub->nginx, SIGQUIT);
      wait_exit (hub->nginx);
      g_clear_object (&hub->nginx);
    }
  for (guint i = 0; i < hub->options.n_instances; i++)
    {
      stop_instance (&hub->instances[i]);
      g_clear_object (&hub->instances[i].log);
      g_free (hub->instances[i].url);
    }
  g_free (hub->instances);
  g_clear_pointer (&hub->db, test_database_free);
  if (hub->nginx_dir != NULL)
    {
      const char *argv[] = { "rm", "-rf", hub->nginx_dir, NULL };
      run_checked (argv);
    }
  g_unlink (hub->cert);
  g_unlink (hub->key);
  g_rmdir (hub->dir);
  g_free (hub->dir);
  g_free (hub->cert);
  g_free (hub->key);
  g_free (hub->nginx_dir);
  g_free (hub->url);
  g_free (hub);
}

const char *
hub_url (Hub *hub)
{
  return hub->url;
}

const char *
hub_ca_file (Hub *hub)
{
  return hub->cert;
}

const char *
hub_instance_url (Hub   *hub,
                  guint  i)
{
  g_assert_cmpuint (i, <, hub->options.n_instances);
  return hub->instances[i].url;
}

guint
hub_n_instances (Hub *hub)
{
  return hub->options.n_instances;
}

TestDatabase *
hub_database (Hub *hub)
{
  return hub->db;
}

const char *
hub_nginx_dir (Hub *hub)
{
  return hub->nginx_dir;
}
