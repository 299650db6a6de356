/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-accessible.h"
#include "signpost-login-page.h"

enum {
  SIGNED_IN,
  N_SIGNALS
};

struct _SignpostLoginPage
{
  AdwBin parent_instance;

  GtkStack *stage_stack;
  GtkEntry *server_row;
  GtkEntry *username_row;
  GtkPasswordEntry *password_row;
  GtkLabel *error_label;
  AdwActionRow *certificate_row;
  GtkWidget *choose_certificate_button;
  GtkButton *clear_certificate_button;
  GtkButton *sign_in_button;
  GtkSpinner *spinner;
  GtkWidget *role_row;
  GtkWidget *practice_row;
  GtkDropDown *role_dropdown;
  GtkDropDown *practice_dropdown;
  GtkLabel *choose_error_label;
  GtkButton *continue_button;

  SignpostSyncEngine *engine;
  GSettings *settings;
  GCancellable *cancellable;
  GtkStringList *roles;     /* role nicks offered, by row */
  GPtrArray *practice_ids;  /* NULL first: all practices */
  char *ca_file;
  gboolean busy;
};

G_DEFINE_FINAL_TYPE (SignpostLoginPage, signpost_login_page, ADW_TYPE_BIN)

static guint signals[N_SIGNALS];

static const char *
role_label (const char *nick)
{
  if (g_strcmp0 (nick, "navigator") == 0)
    return _("Care navigator (reception)");
  if (g_strcmp0 (nick, "clinician") == 0)
    return _("Clinician");
  if (g_strcmp0 (nick, "manager") == 0)
    return _("Practice manager");
  if (g_strcmp0 (nick, "admin") == 0)
    return _("Administrator");
  return nick;
}

static void
show_error (SignpostLoginPage *self,
            const char        *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
  if (message != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->error_label),
                                    GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, message, -1);
}

static void
set_busy (SignpostLoginPage *self,
          gboolean           busy)
{
  self->busy = busy;
  /* Read-only rather than insensitive: focus stays where the user left it. */
  gtk_editable_set_editable (GTK_EDITABLE (self->server_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->username_row), !busy);
  gtk_editable_set_editable (GTK_EDITABLE (self->password_row), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->sign_in_button), !busy);
  gtk_widget_set_sensitive (GTK_WIDGET (self->continue_button), !busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  gtk_spinner_set_spinning (self->spinner, busy);
}

static void
update_certificate_row (SignpostLoginPage *self)
{
  g_autofree char *name = self->ca_file ? g_path_get_basename (self->ca_file) : NULL;

  adw_action_row_set_subtitle (self->certificate_row,
                               name ? name : _("None chosen: only if your IT support asks you to choose one"));
  gtk_widget_set_visible (GTK_WIDGET (self->clear_certificate_button), self->ca_file != NULL);
}

static void
finish (SignpostLoginPage *self)
{
  const char *practice_id = NULL;
  guint practice = gtk_drop_down_get_selected (self->practice_dropdown);

  if (self->practice_ids != NULL && practice < self->practice_ids->len)
    practice_id = g_ptr_array_index (self->practice_ids, practice);
  signpost_sync_engine_set_practice_id (self->engine, practice_id);

  if (self->settings != NULL)
    {
      g_settings_set_string (self->settings, "server-url", signpost_sync_engine_get_server_url (self->engine));
      g_settings_set_string (self->settings, "last-username", signpost_sync_engine_get_username (self->engine));
      g_settings_set_string (self->settings, "last-practice", practice_id ? practice_id : "");
      g_settings_set_string (self->settings, "ca-file", self->ca_file ? self->ca_file : "");
    }
  /* The password is not kept by the page once the engine has it. */
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  set_busy (self, FALSE);
  g_signal_emit (self, signals[SIGNED_IN], 0);
}

/* Several roles or practices: ask which, else carry on. */
static void
offer_choices (SignpostLoginPage *self)
{
  SignpostUser *user = signpost_sync_engine_get_user (self->engine);
  GListModel *practices = signpost_sync_engine_get_practices (self->engine);
  const char * const *roles = signpost_user_get_roles (user);
  g_autoptr(GtkStringList) role_labels = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) practice_labels = gtk_string_list_new (NULL);
  g_autofree char *last_practice = self->settings ? g_settings_get_string (self->settings, "last-practice") : NULL;
  const char *current = signpost_enum_to_nick (SIGNPOST_TYPE_ROLE, signpost_sync_engine_get_role (self->engine));
  guint n_practices = g_list_model_get_n_items (practices);
  guint n_roles = roles ? g_strv_length ((char **) roles) : 0;

  g_clear_object (&self->roles);
  self->roles = gtk_string_list_new (NULL);
  gtk_string_list_append (self->roles, current);
  gtk_string_list_append (role_labels, role_label (current));
  for (guint i = 0; i < n_roles; i++)
    if (g_strcmp0 (roles[i], current) != 0)
      {
        gtk_string_list_append (self->roles, roles[i]);
        gtk_string_list_append (role_labels, role_label (roles[i]));
      }

  g_clear_pointer (&self->practice_ids, g_ptr_array_unref);
  self->practice_ids = g_ptr_array_new_with_free_func (g_free);
  if (n_practices > 1)
    {
      g_ptr_array_add (self->practice_ids, NULL);
      gtk_string_list_append (practice_labels, _("All my practices"));
    }
  for (guint i = 0; i < n_practices; i++)
    {
      g_autoptr(SignpostPractice) practice = g_list_model_get_item (practices, i);
      g_autofree char *label = g_strdup_printf ("%s (%s)", signpost_practice_get_name (practice),
                                                signpost_practice_get_ods_code (practice));
      g_ptr_array_add (self->practice_ids,
                       g_strdup (signpost_record_get_id (SIGNPOST_RECORD (practice))));
      gtk_string_list_append (practice_labels, label);
    }

  if (g_list_model_get_n_items (G_LIST_MODEL (self->roles)) <= 1 && n_practices <= 1)
    {
      finish (self);
      return;
    }

  gtk_drop_down_set_model (self->role_dropdown, G_LIST_MODEL (role_labels));
  gtk_drop_down_set_model (self->practice_dropdown, G_LIST_MODEL (practice_labels));
  gtk_widget_set_visible (self->role_row, g_list_model_get_n_items (G_LIST_MODEL (self->roles)) > 1);
  gtk_widget_set_visible (self->practice_row, n_practices > 1);
  for (guint i = 0; i < self->practice_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->practice_ids, i), last_practice && *last_practice ? last_practice : NULL) == 0)
      gtk_drop_down_set_selected (self->practice_dropdown, i);
  gtk_widget_set_visible (GTK_WIDGET (self->choose_error_label), FALSE);
  set_busy (self, FALSE);
  gtk_stack_set_visible_child_name (self->stage_stack, "choose");
  gtk_widget_grab_focus (GTK_WIDGET (self->continue_button));
}

static void
login_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  SignpostLoginPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!signpost_sync_engine_login_finish (SIGNPOST_SYNC_ENGINE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      show_error (self, error->message);
      if (g_error_matches (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CREDENTIALS) ||
          g_error_matches (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_RATE_LIMITED))
        {
          if (*gtk_editable_get_text (GTK_EDITABLE (self->username_row)) == '\0')
            gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
          else
            gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
        }
      else if (g_error_matches (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_TLS))
        {
          gtk_widget_grab_focus (self->choose_certificate_button);
        }
      else
        gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
      return;
    }
  offer_choices (self);
}

static void
role_login_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  SignpostLoginPage *self = user_data;
  g_autoptr(GError) error = NULL;

  if (!signpost_sync_engine_login_finish (SIGNPOST_SYNC_ENGINE (source), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        return;
      set_busy (self, FALSE);
      gtk_label_set_text (self->choose_error_label, error->message);
      gtk_widget_set_visible (GTK_WIDGET (self->choose_error_label), TRUE);
      return;
    }
  finish (self);
}

static void
on_sign_in_clicked (SignpostLoginPage *self)
{
  const char *server = gtk_editable_get_text (GTK_EDITABLE (self->server_row));
  const char *username = gtk_editable_get_text (GTK_EDITABLE (self->username_row));
  const char *password = gtk_editable_get_text (GTK_EDITABLE (self->password_row));

  if (self->busy || self->engine == NULL)
    return;
  show_error (self, NULL);
  set_busy (self, TRUE);
  signpost_sync_engine_set_tls_ca_file (self->engine, self->ca_file);
  signpost_sync_engine_login_async (self->engine, server, username, password, NULL,
                                    self->cancellable, login_done, self);
}

static void
on_continue_clicked (SignpostLoginPage *self)
{
  guint role = gtk_drop_down_get_selected (self->role_dropdown);
  const char *nick = self->roles ? gtk_string_list_get_string (self->roles, role) : NULL;
  const char *current = signpost_enum_to_nick (SIGNPOST_TYPE_ROLE, signpost_sync_engine_get_role (self->engine));

  if (self->busy)
    return;
  if (nick == NULL || g_strcmp0 (nick, current) == 0)
    {
      finish (self);
      return;
    }
  /* The role travels in the token: sign in again as that role. */
  set_busy (self, TRUE);
  signpost_sync_engine_login_async (self->engine,
                                    gtk_editable_get_text (GTK_EDITABLE (self->server_row)),
                                    gtk_editable_get_text (GTK_EDITABLE (self->username_row)),
                                    gtk_editable_get_text (GTK_EDITABLE (self->password_row)),
                                    nick, self->cancellable, role_login_done, self);
}

static void
on_back_clicked (SignpostLoginPage *self)
{
  signpost_login_page_reset (self, NULL);
}

static void
on_server_activated (SignpostLoginPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
}

static void
on_username_activated (SignpostLoginPage *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

static void
on_password_activated (SignpostLoginPage *self)
{
  on_sign_in_clicked (self);
}

static void
on_field_changed (SignpostLoginPage *self)
{
  gtk_widget_remove_css_class (GTK_WIDGET (self->password_row), "error");
}

static void
certificate_chosen (GtkNativeDialog   *dialog,
                    int                response,
                    SignpostLoginPage *self)
{
  if (response == GTK_RESPONSE_ACCEPT)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (dialog));
      g_free (self->ca_file);
      self->ca_file = file ? g_file_get_path (file) : NULL;
      update_certificate_row (self);
    }
  g_object_unref (dialog);
}

static void
on_choose_certificate_clicked (SignpostLoginPage *self)
{
  GtkFileChooserNative *dialog;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  dialog = gtk_file_chooser_native_new (_("Choose the Practice’s Certificate"),
                                        GTK_WINDOW (gtk_widget_get_root (GTK_WIDGET (self))),
                                        GTK_FILE_CHOOSER_ACTION_OPEN, _("_Trust"), _("_Cancel"));
  gtk_file_filter_set_name (filter, _("Certificates (PEM)"));
  gtk_file_filter_add_pattern (filter, "*.pem");
  gtk_file_filter_add_pattern (filter, "*.crt");
  gtk_file_filter_add_pattern (filter, "*.cer");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (dialog), filter);
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (dialog), TRUE);
  g_signal_connect (dialog, "response", G_CALLBACK (certificate_chosen), self);
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (dialog));
}

static void
on_clear_certificate_clicked (SignpostLoginPage *self)
{
  g_clear_pointer (&self->ca_file, g_free);
  update_certificate_row (self);
}

static void
signpost_login_page_dispose (GObject *object)
{
  SignpostLoginPage *self = SIGNPOST_LOGIN_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);
  g_clear_object (&self->roles);
  g_clear_pointer (&self->practice_ids, g_ptr_array_unref);
  g_clear_pointer (&self->ca_file, g_free);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_LOGIN_PAGE);

  G_OBJECT_CLASS (signpost_login_page_parent_class)->dispose (object);
}

static void
signpost_login_page_class_init (SignpostLoginPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signpost_accessible_init ();
  object_class->dispose = signpost_login_page_dispose;

  signals[SIGNED_IN] =
    g_signal_new ("signed-in", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/signpost/Signpost/signpost-login-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostLoginPage, stage_stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoginPage, server_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoginPage, username_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoginPage, password_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoginPage, error_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoginPage, choose_certificate_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoginPage, certificate_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoginPage, clear_certificate_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoginPage, sign_in_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoginPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoginPage, role_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoginPage, practice_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoginPage, role_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoginPage, practice_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoginPage, choose_error_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostLoginPage, continue_button);
  gtk_widget_class_bind_template_callback (widget_class, on_sign_in_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_continue_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_back_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_server_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_username_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_password_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_field_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_choose_certificate_clicked);
  gtk_widget_class_bind_template_callback (widget_class, on_clear_certificate_clicked);
}

static void
signpost_login_page_init (SignpostLoginPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  signpost_accessible_name_drop_down (self->role_dropdown, _("Working as"));
  signpost_accessible_name_drop_down (self->practice_dropdown, _("Practice"));
}

void
signpost_login_page_setup (SignpostLoginPage  *self,
                           SignpostSyncEngine *engine,
                           GSettings          *settings)
{
  g_autofree char *server = NULL;
  g_autofree char *username = NULL;
  g_autofree char *ca_file = NULL;

  g_return_if_fail (SIGNPOST_IS_LOGIN_PAGE (self));

  g_set_object (&self->engine, engine);
  g_set_object (&self->settings, settings);
  if (settings == NULL)
    return;
  server = g_settings_get_string (settings, "server-url");
  username = g_settings_get_string (settings, "last-username");
  ca_file = g_settings_get_string (settings, "ca-file");
  gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  gtk_editable_set_text (GTK_EDITABLE (self->username_row), username);
  g_free (self->ca_file);
  self->ca_file = *ca_file ? g_steal_pointer (&ca_file) : NULL;
  update_certificate_row (self);
}

/* The first thing still to type. */
static void
focus_first_empty (SignpostLoginPage *self)
{
  if (*gtk_editable_get_text (GTK_EDITABLE (self->server_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->server_row));
  else if (*gtk_editable_get_text (GTK_EDITABLE (self->username_row)) == '\0')
    gtk_widget_grab_focus (GTK_WIDGET (self->username_row));
  else
    gtk_widget_grab_focus (GTK_WIDGET (self->password_row));
}

/* Fills the form and signs in, as if typed (the command line, tests). */
void
signpost_login_page_sign_in (SignpostLoginPage *self,
                             const char        *server,
                             const char        *username,
                             const char        *password)
{
  g_return_if_fail (SIGNPOST_IS_LOGIN_PAGE (self));

  if (server != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->server_row), server);
  if (username != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->username_row), username);
  if (password != NULL)
    gtk_editable_set_text (GTK_EDITABLE (self->password_row), password);
  if (password != NULL && *password != '\0')
    on_sign_in_clicked (self);
  else
    focus_first_empty (self);
}

/* Back to the first step with the password cleared (log out, a session
 * that ended), with @message shown when not NULL. */
void
signpost_login_page_reset (SignpostLoginPage *self,
                           const char        *message)
{
  g_return_if_fail (SIGNPOST_IS_LOGIN_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  set_busy (self, FALSE);
  gtk_editable_set_text (GTK_EDITABLE (self->password_row), "");
  gtk_stack_set_visible_child_name (self->stage_stack, "credentials");
  show_error (self, message);
  focus_first_empty (self);
}

const char *
signpost_login_page_get_error (SignpostLoginPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_LOGIN_PAGE (self), NULL);

  if (!gtk_widget_get_visible (GTK_WIDGET (self->error_label)))
    return NULL;
  return gtk_label_get_text (self->error_label);
}

gboolean
signpost_login_page_get_busy (SignpostLoginPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_LOGIN_PAGE (self), FALSE);
  return self->busy;
}
