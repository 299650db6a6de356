/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-application.h"
#include "signpost-window.h"

/*
 * One application, one window, one sync engine: a reception PC is signed
 * in as one person at a time (log out and sign in for the next).
 *
 * `signpost --server URL --user NAME` signs straight in, taking the
 * password from SIGNPOST_PASSWORD when it is set. That is for demos and
 * automation only: an environment variable is not a safe place for a real
 * password.
 */

struct _SignpostApplication
{
  AdwApplication parent_instance;

  SignpostSyncEngine *engine;
  GSettings *settings;
  char *server;
  char *user;
};

G_DEFINE_FINAL_TYPE (SignpostApplication, signpost_application, ADW_TYPE_APPLICATION)

static const GOptionEntry options[] = {
  { "server", 's', 0, G_OPTION_ARG_STRING, NULL,
    N_("Sign in to the Signpost server at this address"), N_("URL") },
  { "user", 'u', 0, G_OPTION_ARG_STRING, NULL,
    N_("Sign in as this user (the password comes from SIGNPOST_PASSWORD; for demos and automation only)"),
    N_("NAME") },
  { NULL }
};

static SignpostWindow *
ensure_window (SignpostApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (window == NULL)
    window = GTK_WINDOW (signpost_window_new (self));
  return SIGNPOST_WINDOW (window);
}

static void
signpost_application_activate (GApplication *application)
{
  SignpostApplication *self = SIGNPOST_APPLICATION (application);
  SignpostWindow *window = ensure_window (self);
  const char *password = g_getenv ("SIGNPOST_PASSWORD");

  gtk_window_present (GTK_WINDOW (window));
  if (self->server != NULL || self->user != NULL)
    {
      signpost_window_sign_in (window, self->server, self->user, password);
      g_clear_pointer (&self->server, g_free);
      g_clear_pointer (&self->user, g_free);
    }
}

static int
signpost_application_handle_local_options (GApplication *application,
                                           GVariantDict *dict)
{
  SignpostApplication *self = SIGNPOST_APPLICATION (application);

  g_variant_dict_lookup (dict, "server", "s", &self->server);
  g_variant_dict_lookup (dict, "user", "s", &self->user);
  return -1;
}

static void
quit_activated (GSimpleAction *action,
                GVariant      *parameter,
                gpointer       user_data)
{
  SignpostApplication *self = user_data;
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  /* Closing the window saves its size and stops syncing. */
  if (window != NULL)
    gtk_window_close (window);
  g_application_quit (G_APPLICATION (self));
}

static void
about_activated (GSimpleAction *action,
                 GVariant      *parameter,
                 gpointer       user_data)
{
  SignpostApplication *self = user_data;
  const char *developers[] = { _("The Signpost developers"), NULL };
  GtkWidget *about;

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", gtk_application_get_active_window (GTK_APPLICATION (self)),
                        "application-name", _("Signpost"),
                        "application-icon", APPLICATION_ID,
                        "developer-name", _("The Signpost developers"),
                        "version", PACKAGE_VERSION,
                        "comments", _("Reception and care-navigation console for GP practices. "
                                      "Demo data is synthetic: no real patient appears in it."),
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static const GActionEntry app_actions[] = {
  { "quit", quit_activated },
  { "about", about_activated },
};

static void
signpost_application_startup (GApplication *application)
{
  SignpostApplication *self = SIGNPOST_APPLICATION (application);
  const char *quit_accels[] = { "<Control>q", NULL };

  G_APPLICATION_CLASS (signpost_application_parent_class)->startup (application);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_window_set_default_icon_name (APPLICATION_ID);
}

static void
signpost_application_shutdown (GApplication *application)
{
  SignpostApplication *self = SIGNPOST_APPLICATION (application);

  signpost_sync_engine_stop (self->engine);
  G_APPLICATION_CLASS (signpost_application_parent_class)->shutdown (application);
}

static void
signpost_application_finalize (GObject *object)
{
  SignpostApplication *self = SIGNPOST_APPLICATION (object);

  g_clear_object (&self->engine);
  g_clear_object (&self->settings);
  g_clear_pointer (&self->server, g_free);
  g_clear_pointer (&self->user, g_free);

  G_OBJECT_CLASS (signpost_application_parent_class)->finalize (object);
}

static void
signpost_application_class_init (SignpostApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->finalize = signpost_application_finalize;
  app_class->activate = signpost_application_activate;
  app_class->startup = signpost_application_startup;
  app_class->shutdown = signpost_application_shutdown;
  app_class->handle_local_options = signpost_application_handle_local_options;
}

static void
signpost_application_init (SignpostApplication *self)
{
  self->engine = signpost_sync_engine_new ();
  self->settings = g_settings_new (APPLICATION_ID);
  g_application_add_main_option_entries (G_APPLICATION (self), options);
  g_application_set_option_context_parameter_string (G_APPLICATION (self), NULL);
  g_application_set_option_context_summary (G_APPLICATION (self),
                                            _("The reception console of a GP practice."));
  g_application_set_option_context_description (G_APPLICATION (self),
                                                _("SIGNPOST_PASSWORD: the password for --user, for demos "
                                                  "and automation only."));
}

SignpostApplication *
signpost_application_new (void)
{
  return g_object_new (SIGNPOST_TYPE_APPLICATION,
                       "application-id", APPLICATION_ID,
                       "flags", G_APPLICATION_NON_UNIQUE,
                       "resource-base-path", "/io/github/signpost/Signpost",
                       NULL);
}

SignpostSyncEngine *
signpost_application_get_engine (SignpostApplication *self)
{
  g_return_val_if_fail (SIGNPOST_IS_APPLICATION (self), NULL);
  return self->engine;
}

GSettings *
signpost_application_get_settings (SignpostApplication *self)
{
  g_return_val_if_fail (SIGNPOST_IS_APPLICATION (self), NULL);
  return self->settings;
}
