/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-accessible.h"
#include "signpost-application.h"
#include "signpost-caller-popup.h"
#include "signpost-diary-page.h"
#include "signpost-escalation-banner.h"
#include "signpost-duty-list-page.h"
#include "signpost-hub-page.h"
#include "signpost-load-page.h"
#include "signpost-login-page.h"
#include "signpost-online-settings-window.h"
#include "signpost-patient-search.h"
#include "signpost-patient-summary.h"
#include "signpost-problems-window.h"
#include "signpost-queue-page.h"
#include "signpost-requests-page.h"
#include "signpost-ticker.h"
#include "signpost-triage-form.h"
#include "signpost-window.h"

enum {
  PROP_0,
  PROP_SEARCH_MODE,
  N_PROPS
};

struct _SignpostWindow
{
  AdwApplicationWindow parent_instance;

  /* template */
  GtkStack *top_stack;
  SignpostLoginPage *login_page;
  AdwToastOverlay *toast_overlay;
  AdwViewSwitcherTitle *switcher_title;
  GtkToggleButton *search_button;
  GtkLabel *status_label;
  GtkRevealer *offline_revealer;
  SignpostEscalationBanner *escalation_banner; /* under the offline banner */
  GtkLabel *offline_label;
  GtkRevealer *sync_revealer;
  GtkLabel *sync_label;
  GtkProgressBar *sync_progress;
  GtkRevealer *problems_revealer;
  GtkLabel *problems_label;
  GtkStack *content_stack;
  AdwViewStack *view_stack;
  AdwViewStackPage *queue_stack_page;
  AdwViewStackPage *requests_stack_page;
  AdwViewStackPage *duty_stack_page;
  AdwViewStackPage *diary_stack_page;
  AdwViewStackPage *load_stack_page;
  AdwViewStackPage *hub_stack_page;
  SignpostQueuePage *queue_page;
  SignpostRequestsPage *requests_page;
  SignpostDutyListPage *duty_page;
  SignpostDiaryPage *diary_page;
  SignpostLoadPage *load_page;
  SignpostHubPage *hub_page;
  SignpostPatientSearch *patient_search;
  SignpostCallerPopup *caller_popup;

  SignpostSyncEngine *engine;
  GSettings *settings;
  GCancellable *cancellable;
  SignpostActions *actions; /* the engine's: what the pages get */
  SignpostOutbox *outbox; /* the one whose counts the banners show */
  gboolean search_mode;
  gboolean search_allowed;
};

G_DEFINE_FINAL_TYPE (SignpostWindow, signpost_window, ADW_TYPE_APPLICATION_WINDOW)

static GParamSpec *properties[N_PROPS];

/* ---- banners ---------------------------------------------------------------- */

static guint
n_waiting (SignpostWindow *self)
{
  return self->outbox ? signpost_outbox_get_n_waiting (self->outbox) : 0;
}

static void
update_banners (SignpostWindow *self)
{
  SignpostSyncState state = signpost_sync_engine_get_state (self->engine);
  gboolean signed_in = signpost_sync_engine_get_logged_in (self->engine);
  gboolean offline = signed_in && (state == SIGNPOST_SYNC_STATE_OFFLINE || state == SIGNPOST_SYNC_STATE_CONNECTING);
  gboolean first = signed_in && signpost_sync_engine_get_first_sync (self->engine) && !offline;
  guint waiting = n_waiting (self);
  guint problems = self->outbox ? signpost_outbox_get_n_problems (self->outbox) : 0;
  gboolean reconnecting = signed_in && signpost_sync_engine_get_reconnecting (self->engine);
  const char *status;

  if (offline)
    {
      g_autofree char *text = NULL;

      if (waiting == 0)
        text = g_strdup (_("Offline — working from this PC’s copy"));
      else
        text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                             "Offline — working from this PC’s copy, %u change waiting",
                                             "Offline — working from this PC’s copy, %u changes waiting",
                                             waiting),
                                waiting);
      {
        /* Every page shows this PC's copy: once it is over a minute old,
         * the banner says how old (the hazard log's C-07.5). */
        g_autoptr(GDateTime) current_at = signpost_sync_engine_dup_current_at (self->engine);
        g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
        g_autoptr(GTimeZone) tz = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);
        g_autofree char *age = signpost_data_age_describe (current_at, now, tz);

        if (age != NULL)
          {
            /* Translators: the offline banner, then how old this PC's copy is:
             * "Offline — working from this PC’s copy · last up to date 5 minutes ago" */
            g_autofree char *with_age = g_strdup_printf (_("%s · %s"), text, age);

            g_free (text);
            text = g_steal_pointer (&with_age);
          }
      }
      gtk_label_set_text (self->offline_label, text);
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->offline_label),
                                   signpost_sync_engine_get_last_error (self->engine));
      gtk_widget_set_sensitive (GTK_WIDGET (self->offline_revealer), state == SIGNPOST_SYNC_STATE_OFFLINE);
    }
  gtk_revealer_set_reveal_child (self->offline_revealer, offline);

  if (first)
    {
      guint n = signpost_sync_engine_get_n_synced (self->engine);
      guint percent = (guint) (signpost_sync_engine_get_progress (self->engine) * 100.0);
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "Copying the practice’s records to this PC: %u%% done (%u record). "
                                      "You can start working; lists fill in as records arrive.",
                                      "Copying the practice’s records to this PC: %u%% done (%u records). "
                                      "You can start working; lists fill in as records arrive.",
                                      n),
                         percent, n);
      gtk_label_set_text (self->sync_label, text);
      gtk_progress_bar_set_fraction (self->sync_progress, signpost_sync_engine_get_progress (self->engine));
    }
  gtk_revealer_set_reveal_child (self->sync_revealer, first);

  if (problems > 0)
    {
      g_autofree char *text =
        g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                      "%u change could not be saved on the server and needs a decision.",
                                      "%u changes could not be saved on the server and need a decision.",
                                      problems),
                         problems);
      gtk_label_set_text (self->problems_label, text);
    }
  gtk_revealer_set_reveal_child (self->problems_revealer, problems > 0);

  switch (state)
    {
    case SIGNPOST_SYNC_STATE_ONLINE:
      status = _("Up to date");
      break;
    case SIGNPOST_SYNC_STATE_SYNCING:
      status = _("Updating…");
      break;
    case SIGNPOST_SYNC_STATE_CONNECTING:
      /* A live connection that dropped (an instance of a hub, or the
       * network, lost for a moment) is being made again: a wait. */
      status = reconnecting ? _("Reconnecting…") : _("Connecting…");
      break;
    case SIGNPOST_SYNC_STATE_OFFLINE:
    default:
      status = reconnecting ? _("Reconnecting…") : _("Offline");
      break;
    }
  if (signed_in && signpost_sync_engine_get_user (self->engine) != NULL)
    {
      /* Translators: the header's corner, "Nadia Navigator · Up to date" */
      g_autofree char *text = g_strdup_printf (_("%s · %s"),
                                               signpost_user_get_display_name (signpost_sync_engine_get_user (self->engine)),
                                               status);
      gtk_label_set_text (self->status_label, text);
    }
  else
    gtk_label_set_text (self->status_label, status);
}

/* While offline the banner's age moves on. */
static void
on_tick (SignpostWindow *self)
{
  if (self->engine != NULL && gtk_revealer_get_reveal_child (self->offline_revealer))
    update_banners (self);
}

static void
on_outbox_changed (SignpostWindow *self)
{
  SignpostOutbox *outbox = signpost_sync_engine_get_outbox (self->engine);

  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_func (self->outbox, update_banners, self);
  g_set_object (&self->outbox, outbox);
  if (outbox != NULL)
    {
      g_signal_connect_swapped (outbox, "notify::n-waiting", G_CALLBACK (update_banners), self);
      g_signal_connect_swapped (outbox, "notify::n-problems", G_CALLBACK (update_banners), self);
    }
  update_banners (self);
}

/* ---- roles -------------------------------------------------------------------- */

static void
set_search_mode (SignpostWindow *self,
                 gboolean        search_mode)
{
  search_mode = search_mode && self->search_allowed;
  if (self->search_mode == search_mode)
    return;
  self->search_mode = search_mode;
  gtk_stack_set_visible_child_name (self->content_stack, search_mode ? "search" : "pages");
  if (search_mode)
    signpost_patient_search_focus (self->patient_search);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH_MODE]);
}

/* The pages a role may use, and the one it starts on (DESIGN.md): navigators
 * the queue, clinicians the duty list, managers the load. Managers and
 * admins see nothing that names a patient. */
static void
apply_role (SignpostWindow *self)
{
  SignpostRole role = signpost_sync_engine_get_role (self->engine);
  gboolean patients = role == SIGNPOST_ROLE_NAVIGATOR || role == SIGNPOST_ROLE_CLINICIAN;
  const char *first;

  adw_view_stack_page_set_visible (self->queue_stack_page, patients);
  adw_view_stack_page_set_visible (self->requests_stack_page, patients);
  adw_view_stack_page_set_visible (self->duty_stack_page, patients);
  adw_view_stack_page_set_visible (self->diary_stack_page, role != SIGNPOST_ROLE_ADMIN);
  adw_view_stack_page_set_visible (self->load_stack_page,
                                   role == SIGNPOST_ROLE_MANAGER || role == SIGNPOST_ROLE_ADMIN);
  adw_view_stack_page_set_visible (self->hub_stack_page,
                                   role == SIGNPOST_ROLE_MANAGER || role == SIGNPOST_ROLE_ADMIN);
  self->search_allowed = patients;
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.online-settings", role == SIGNPOST_ROLE_MANAGER);
  gtk_widget_set_visible (GTK_WIDGET (self->search_button), patients);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.search", patients);

  switch (role)
    {
    case SIGNPOST_ROLE_CLINICIAN:
      first = "duty";
      break;
    case SIGNPOST_ROLE_MANAGER:
    case SIGNPOST_ROLE_ADMIN:
      first = "load";
      break;
    case SIGNPOST_ROLE_NAVIGATOR:
    default:
      first = "queue";
      break;
    }
  adw_view_stack_set_visible_child_name (self->view_stack, first);
}

static void
update_title (SignpostWindow *self)
{
  SignpostUser *user = signpost_sync_engine_get_user (self->engine);
  const char *practice_id = signpost_sync_engine_get_practice_id (self->engine);
  GListModel *practices = signpost_sync_engine_get_practices (self->engine);
  const char *practice = NULL;
  g_autofree char *subtitle = NULL;

  for (guint i = 0; i < g_list_model_get_n_items (practices); i++)
    {
      g_autoptr(SignpostPractice) candidate = g_list_model_get_item (practices, i);
      if (practice_id == NULL ? g_list_model_get_n_items (practices) == 1
                              : g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (candidate)), practice_id) == 0)
        practice = signpost_practice_get_name (candidate);
    }
  if (practice == NULL && g_list_model_get_n_items (practices) > 1)
    practice = _("All my practices");
  if (user != NULL)
    /* Translators: the window subtitle, "Nadia Navigator · Riverside Medical Practice" */
    subtitle = g_strdup_printf (_("%s · %s"), signpost_user_get_display_name (user), practice ? practice : "");
  adw_view_switcher_title_set_subtitle (self->switcher_title, subtitle);
}

/* ---- the focus ------------------------------------------------------------------- */

static gboolean
focus_is_within (SignpostWindow *self,
                 GtkWidget      *ancestor)
{
  GtkWidget *focus = gtk_root_get_focus (GTK_ROOT (self));

  return focus != NULL && ancestor != NULL && (focus == ancestor || gtk_widget_is_ancestor (focus, ancestor));
}

/* Every page says where its work starts (its grab_focus): after signing
 * in and on every change of page the keyboard is there, so that the
 * page's keys and a screen reader's first words are the page's. */
static void
focus_visible_page (SignpostWindow *self)
{
  GtkWidget *page = adw_view_stack_get_visible_child (self->view_stack);

  if (page == NULL || self->search_mode ||
      !g_str_equal (gtk_stack_get_visible_child_name (self->top_stack), "main"))
    return;
  if (!gtk_widget_grab_focus (page))
    gtk_widget_child_focus (page, GTK_DIR_TAB_FORWARD);
}

/* ---- signing in and out --------------------------------------------------------- */

static void
on_signed_in (SignpostWindow *self)
{
  apply_role (self);
  update_title (self);
  signpost_patient_search_clear (self->patient_search);
  set_search_mode (self, FALSE);
  /* Focus leaves the login form before it is hidden. */
  gtk_window_set_focus (GTK_WINDOW (self), NULL);
  gtk_stack_set_visible_child_name (self->top_stack, "main");
  signpost_sync_engine_start (self->engine);
  update_banners (self);
  focus_visible_page (self);
  /* Requests being written when the console last stopped. */
  signpost_triage_form_offer_drafts (GTK_WINDOW (self), self->actions);
}

static void
show_login (SignpostWindow *self,
            const char     *message)
{
  set_search_mode (self, FALSE);
  gtk_stack_set_visible_child_name (self->top_stack, "login");
  signpost_login_page_reset (self->login_page, message);
}

static void
on_session_expired (SignpostWindow *self)
{
  show_login (self, _("Your session has ended. Sign in again to carry on; nothing you saved is lost."));
}

static void
logged_out (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SignpostWindow) self = user_data;

  signpost_sync_engine_logout_finish (SIGNPOST_SYNC_ENGINE (source), result, NULL);
}

static void
log_out (GtkWidget  *widget,
         const char *action_name,
         GVariant   *parameter)
{
  SignpostWindow *self = SIGNPOST_WINDOW (widget);

  signpost_patient_search_clear (self->patient_search);
  signpost_sync_engine_logout_async (self->engine, self->cancellable, logged_out, g_object_ref (self));
  show_login (self, NULL);
}

/* ---- actions -------------------------------------------------------------------- */

static void
show_page (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  SignpostWindow *self = SIGNPOST_WINDOW (widget);
  const char *name = g_variant_get_string (parameter, NULL);
  GtkWidget *child = adw_view_stack_get_child_by_name (self->view_stack, name);

  if (child == NULL || !adw_view_stack_page_get_visible (adw_view_stack_get_page (self->view_stack, child)) ||
      !g_str_equal (gtk_stack_get_visible_child_name (self->top_stack), "main"))
    return;
  set_search_mode (self, FALSE);
  adw_view_stack_set_visible_child_name (self->view_stack, name);
  focus_visible_page (self);
}

/* From a request (the navigation form, the duty list's "book"): the
 * diary, with the first suitable slots for it (parameter: its id). With
 * no request (Ctrl+Shift+F from any page): the diary's slot search, or
 * back to the diary from it. */
static void
find_slot (GtkWidget  *widget,
           const char *action_name,
           GVariant   *parameter)
{
  SignpostWindow *self = SIGNPOST_WINDOW (widget);
  const char *triage_id = g_variant_get_string (parameter, NULL);
  gboolean diary_shown;

  if (!adw_view_stack_page_get_visible (self->diary_stack_page) ||
      !g_str_equal (gtk_stack_get_visible_child_name (self->top_stack), "main"))
    return;
  diary_shown = !self->search_mode &&
                g_strcmp0 (adw_view_stack_get_visible_child_name (self->view_stack), "diary") == 0;
  set_search_mode (self, FALSE);
  adw_view_stack_set_visible_child_name (self->view_stack, "diary");
  if (*triage_id != '\0')
    signpost_diary_page_find_slot_for_triage (self->diary_page, triage_id);
  else
    signpost_diary_page_set_finder_open (self->diary_page,
                                         !(diary_shown && signpost_diary_page_get_finder_open (self->diary_page)));
  gtk_window_present (GTK_WINDOW (self));
}

static void
retry (GtkWidget  *widget,
       const char *action_name,
       GVariant   *parameter)
{
  signpost_sync_engine_reconnect_now (SIGNPOST_WINDOW (widget)->engine);
}

static void
review_problems (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SignpostWindow *self = SIGNPOST_WINDOW (widget);
  SignpostProblemsWindow *window;

  if (self->outbox == NULL)
    return;
  window = signpost_problems_window_new (GTK_WINDOW (self), self->actions);
  gtk_window_present (GTK_WINDOW (window));
}

/* A practice manager's settings for the online request form. */
static void
online_settings (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SignpostWindow *self = SIGNPOST_WINDOW (widget);
  SignpostOnlineSettingsWindow *window;

  if (signpost_actions_get_role (self->actions) != SIGNPOST_ROLE_MANAGER ||
      !g_str_equal (gtk_stack_get_visible_child_name (self->top_stack), "main"))
    return;
  window = signpost_online_settings_window_new (GTK_WINDOW (self), self->actions,
                                                signpost_actions_get_practice_id (self->actions));
  gtk_window_present (GTK_WINDOW (window));
}

static void
on_patient_activated (SignpostWindow  *self,
                      SignpostPatient *patient)
{
  SignpostPatientSummary *summary;

  /* Opening a record is audited, offline too (it is sent when back). */
  signpost_actions_report_view (self->actions, signpost_record_get_id (SIGNPOST_RECORD (patient)), "search");
  summary = signpost_patient_summary_new (GTK_WINDOW (self), signpost_sync_engine_get_cache (self->engine), patient);
  gtk_window_present (GTK_WINDOW (summary));
}

/* A navigation request: (triage id, call id, patient id), each "" when
 * not known. The form is a window of its own beside this one. */
static void
open_triage (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SignpostWindow *self = SIGNPOST_WINDOW (widget);
  const char *triage_id, *call_id, *patient_id;

  if (!signpost_sync_engine_get_logged_in (self->engine))
    return;
  g_variant_get (parameter, "(&s&s&s)", &triage_id, &call_id, &patient_id);
  signpost_triage_form_open (GTK_WINDOW (self), self->actions, triage_id, call_id, patient_id);
}

static void
on_search_closed (SignpostWindow *self)
{
  set_search_mode (self, FALSE);
}

static void
on_visible_page_changed (SignpostWindow *self)
{
  GtkWidget *switcher = GTK_WIDGET (self->switcher_title);

  set_search_mode (self, FALSE);
  /* The keyboard follows the page, unless it is on the page switcher
   * (someone going through the pages with the arrow keys). */
  if (!focus_is_within (self, switcher) && !focus_is_within (self, adw_view_stack_get_visible_child (self->view_stack)))
    focus_visible_page (self);
}

/* ---- GObject ---------------------------------------------------------------------- */

static gboolean
signpost_window_close_request (GtkWindow *window)
{
  SignpostWindow *self = SIGNPOST_WINDOW (window);
  int width, height;

  gtk_window_get_default_size (window, &width, &height);
  g_settings_set_int (self->settings, "window-width", width);
  g_settings_set_int (self->settings, "window-height", height);
  g_settings_set_boolean (self->settings, "window-maximized", gtk_window_is_maximized (window));
  g_cancellable_cancel (self->cancellable);

  return GTK_WINDOW_CLASS (signpost_window_parent_class)->close_request (window);
}

static void
signpost_window_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SignpostWindow *self = SIGNPOST_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SEARCH_MODE:
      g_value_set_boolean (value, self->search_mode);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_window_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  SignpostWindow *self = SIGNPOST_WINDOW (object);

  switch (prop_id)
    {
    case PROP_SEARCH_MODE:
      set_search_mode (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_window_dispose (GObject *object)
{
  SignpostWindow *self = SIGNPOST_WINDOW (object);

  g_cancellable_cancel (self->cancellable);
  if (self->engine != NULL)
    g_signal_handlers_disconnect_by_data (self->engine, self);
  if (self->outbox != NULL)
    g_signal_handlers_disconnect_by_data (self->outbox, self);
  g_clear_object (&self->outbox);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_WINDOW);
  g_clear_object (&self->engine);
  g_clear_object (&self->settings);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (signpost_window_parent_class)->dispose (object);
}

static void
signpost_window_class_init (SignpostWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);
  static const struct { guint key; const char *page; } pages[] = {
    { GDK_KEY_1, "queue" }, { GDK_KEY_2, "requests" }, { GDK_KEY_3, "duty" }, { GDK_KEY_4, "diary" },
    { GDK_KEY_5, "load" }, { GDK_KEY_6, "hub" },
  };

  signpost_accessible_init ();
  object_class->get_property = signpost_window_get_property;
  object_class->set_property = signpost_window_set_property;
  object_class->dispose = signpost_window_dispose;
  window_class->close_request = signpost_window_close_request;

  /* Whether the patient search fills the window instead of the pages. */
  properties[PROP_SEARCH_MODE] =
    g_param_spec_boolean ("search-mode", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SIGNPOST_TYPE_LOGIN_PAGE);
  g_type_ensure (SIGNPOST_TYPE_QUEUE_PAGE);
  g_type_ensure (SIGNPOST_TYPE_REQUESTS_PAGE);
  g_type_ensure (SIGNPOST_TYPE_DUTY_LIST_PAGE);
  g_type_ensure (SIGNPOST_TYPE_DIARY_PAGE);
  g_type_ensure (SIGNPOST_TYPE_LOAD_PAGE);
  g_type_ensure (SIGNPOST_TYPE_HUB_PAGE);
  g_type_ensure (SIGNPOST_TYPE_PATIENT_SEARCH);
  g_type_ensure (SIGNPOST_TYPE_CALLER_POPUP);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, top_stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, login_page);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, status_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, offline_revealer);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, offline_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, sync_revealer);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, sync_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, sync_progress);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, problems_revealer);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, problems_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, view_stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, queue_stack_page);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, requests_stack_page);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, duty_stack_page);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, diary_stack_page);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, load_stack_page);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, hub_stack_page);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, queue_page);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, requests_page);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, duty_page);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, diary_page);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, load_page);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, hub_page);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, patient_search);
  gtk_widget_class_bind_template_child (widget_class, SignpostWindow, caller_popup);
  gtk_widget_class_bind_template_callback (widget_class, on_signed_in);
  gtk_widget_class_bind_template_callback (widget_class, on_patient_activated);
  gtk_widget_class_bind_template_callback (widget_class, on_search_closed);

  gtk_widget_class_install_property_action (widget_class, "win.search", "search-mode");
  gtk_widget_class_install_action (widget_class, "win.show-page", "s", show_page);
  gtk_widget_class_install_action (widget_class, "win.find-slot", "s", find_slot);
  gtk_widget_class_install_action (widget_class, "win.log-out", NULL, log_out);
  gtk_widget_class_install_action (widget_class, "win.retry", NULL, retry);
  gtk_widget_class_install_action (widget_class, "win.review-problems", NULL, review_problems);
  gtk_widget_class_install_action (widget_class, "win.open-triage", "(sss)", open_triage);
  gtk_widget_class_install_action (widget_class, "win.online-settings", NULL, online_settings);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_f, GDK_CONTROL_MASK, "win.search", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "win.find-slot", "s", "");
  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    gtk_widget_class_add_binding_action (widget_class, pages[i].key, GDK_ALT_MASK,
                                         "win.show-page", "s", pages[i].page);
}

/* The page switcher counts the requests that need attention now (red
 * flags, due within the hour or overdue), so a navigator on the phones
 * sees them without leaving the queue. */
static void
update_requests_badge (SignpostWindow *self)
{
  guint n = signpost_requests_page_get_n_attention (self->requests_page);

  adw_view_stack_page_set_badge_number (self->requests_stack_page, n);
  adw_view_stack_page_set_needs_attention (self->requests_stack_page, n > 0);
}

static void
signpost_window_init (SignpostWindow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->requests_page, "notify::n-attention",
                            G_CALLBACK (update_requests_badge), self);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "win.online-settings", FALSE);
  self->cancellable = g_cancellable_new ();
  g_signal_connect_swapped (self->view_stack, "notify::visible-child",
                            G_CALLBACK (on_visible_page_changed), self);
  g_signal_connect_object (signpost_ticker_get_default (), "tick", G_CALLBACK (on_tick), self, G_CONNECT_SWAPPED);
  self->escalation_banner = signpost_escalation_banner_new ();
  gtk_box_insert_child_after (GTK_BOX (gtk_widget_get_parent (GTK_WIDGET (self->offline_revealer))),
                              GTK_WIDGET (self->escalation_banner), GTK_WIDGET (self->offline_revealer));
}

/* ---- public API ----------------------------------------------------------------- */

SignpostWindow *
signpost_window_new (SignpostApplication *application)
{
  SignpostWindow *self;
  int width, height;

  g_return_val_if_fail (SIGNPOST_IS_APPLICATION (application), NULL);

  self = g_object_new (SIGNPOST_TYPE_WINDOW, "application", application, NULL);
  self->engine = g_object_ref (signpost_application_get_engine (application));
  self->actions = signpost_actions_get_for_engine (self->engine);
  self->settings = g_object_ref (signpost_application_get_settings (application));

  width = g_settings_get_int (self->settings, "window-width");
  height = g_settings_get_int (self->settings, "window-height");
  gtk_window_set_default_size (GTK_WINDOW (self), width, height);
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  signpost_login_page_setup (self->login_page, self->engine, self->settings);
  /* The pages get the actions and the cache's models, never the engine. */
  signpost_patient_search_set_actions (self->patient_search, self->actions);
  signpost_queue_page_set_actions (self->queue_page, self->actions);
  signpost_requests_page_set_actions (self->requests_page, self->actions);
  signpost_duty_list_page_set_actions (self->duty_page, self->actions);
  signpost_diary_page_set_actions (self->diary_page, self->actions);
  signpost_load_page_set_actions (self->load_page, self->actions);
  signpost_hub_page_set_actions (self->hub_page, self->actions);
  signpost_caller_popup_set_actions (self->caller_popup, self->actions);
  signpost_escalation_banner_set_actions (self->escalation_banner, self->actions);

  g_signal_connect_swapped (self->engine, "notify::state", G_CALLBACK (update_banners), self);
  g_signal_connect_swapped (self->engine, "notify::reconnecting", G_CALLBACK (update_banners), self);
  g_signal_connect_swapped (self->engine, "notify::progress", G_CALLBACK (update_banners), self);
  g_signal_connect_swapped (self->engine, "notify::first-sync", G_CALLBACK (update_banners), self);
  g_signal_connect_swapped (self->engine, "notify::n-synced", G_CALLBACK (update_banners), self);
  g_signal_connect_swapped (self->engine, "notify::last-error", G_CALLBACK (update_banners), self);
  g_signal_connect_swapped (self->engine, "notify::outbox", G_CALLBACK (on_outbox_changed), self);
  g_signal_connect_swapped (self->engine, "notify::practice-id", G_CALLBACK (update_title), self);
  g_signal_connect_swapped (self->engine, "notify::user", G_CALLBACK (update_title), self);
  g_signal_connect_swapped (self->engine, "notify::user", G_CALLBACK (update_banners), self);
  g_signal_connect_swapped (self->engine, "session-expired", G_CALLBACK (on_session_expired), self);
  on_outbox_changed (self);

  if (signpost_sync_engine_get_logged_in (self->engine))
    on_signed_in (self);
  else
    show_login (self, NULL);
  return self;
}

void
signpost_window_sign_in (SignpostWindow *self,
                         const char     *server,
                         const char     *username,
                         const char     *password)
{
  g_return_if_fail (SIGNPOST_IS_WINDOW (self));
  signpost_login_page_sign_in (self->login_page, server, username, password);
}

SignpostSyncEngine *
signpost_window_get_engine (SignpostWindow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_WINDOW (self), NULL);
  return self->engine;
}

SignpostLoginPage *
signpost_window_get_login_page (SignpostWindow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_WINDOW (self), NULL);
  return self->login_page;
}

SignpostPatientSearch *
signpost_window_get_patient_search (SignpostWindow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_WINDOW (self), NULL);
  return self->patient_search;
}

gboolean
signpost_window_get_signed_in (SignpostWindow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_WINDOW (self), FALSE);
  return g_str_equal (gtk_stack_get_visible_child_name (self->top_stack), "main");
}

gboolean
signpost_window_get_offline_banner_shown (SignpostWindow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_WINDOW (self), FALSE);
  return gtk_revealer_get_reveal_child (self->offline_revealer);
}

SignpostEscalationBanner *
signpost_window_get_escalation_banner (SignpostWindow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_WINDOW (self), NULL);
  return self->escalation_banner;
}

const char *
signpost_window_get_offline_text (SignpostWindow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_WINDOW (self), NULL);
  return gtk_label_get_text (self->offline_label);
}

/* The names of the pages shown to this user, in switcher order, and the
 * one in front (for tests and the shortcuts). */
GStrv
signpost_window_list_visible_pages (SignpostWindow *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  AdwViewStackPage *pages[] = { self->queue_stack_page, self->requests_stack_page, self->duty_stack_page,
                                self->diary_stack_page, self->load_stack_page, self->hub_stack_page };

  for (guint i = 0; i < G_N_ELEMENTS (pages); i++)
    if (adw_view_stack_page_get_visible (pages[i]))
      g_strv_builder_add (builder, adw_view_stack_page_get_name (pages[i]));
  return g_strv_builder_end (builder);
}

const char *
signpost_window_get_visible_page (SignpostWindow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_WINDOW (self), NULL);
  return adw_view_stack_get_visible_child_name (self->view_stack);
}
