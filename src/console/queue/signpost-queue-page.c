/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-accessible.h"
#include "signpost-queue-page-private.h"

/* The queue page: who is calling and their places in the queue, the
 * rows, this navigator's own call, following the session, and F2, F3
 * and F4 on the window while the page is in it. The figures and the call
 * commands live beside it (see signpost-queue-page-private.h). */

enum {
  PROP_0,
  PROP_ACTIONS,
  PROP_NOTICE,
  N_PROPS
};

G_DEFINE_FINAL_TYPE (SignpostQueuePage, signpost_queue_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

static void
caller_free (Caller *caller)
{
  g_free (caller->text);
  g_free (caller);
}

void
signpost_queue_page_set_label (GtkLabel   *label,
                               const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (label), text) != 0)
    gtk_label_set_text (label, text);
}

static void update_my_call (SignpostQueuePage *self);

/* ---- telling the navigator ----------------------------------------------------- */

void
signpost_queue_page_tell (SignpostQueuePage *self,
                          const char        *message)
{
  g_free (self->notice);
  self->notice = g_strdup (message);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_NOTICE]);
  signpost_call_show_toast (GTK_WIDGET (self), message);
}

void
signpost_queue_page_set_last_outcome (SignpostQueuePage *self,
                                      const char        *outcome)
{
  g_free (self->last_outcome);
  self->last_outcome = g_strdup (outcome);
  update_my_call (self);
}

static void
on_failed_changed (SignpostQueuePage *self)
{
  g_autofree char *text = g_strdup_printf ("%u", signpost_failed_contacts_get_n_items (self->failed_contacts));

  signpost_queue_page_set_label (self->failed_value, text);
}

/* ---- who is calling ---------------------------------------------------------------- */

static const Caller *
lookup_caller (SignpostQueuePage *self,
               const char        *number)
{
  Caller *caller = g_hash_table_lookup (self->callers, number);

  if (caller == NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) patients = signpost_cache_find_patients_by_phone (self->cache, number, &error);
      g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

      if (patients == NULL)
        g_warning ("Could not look a caller up on this PC: %s", error->message);
      caller = g_new0 (Caller, 1);
      caller->text = signpost_call_describe_caller (number, patients, now);
      caller->known = patients != NULL && patients->len > 0;
      g_hash_table_insert (self->callers, g_strdup (number), caller);
    }
  return caller;
}

static char *
describe_call_caller (SignpostQueuePage *self,
                      SignpostCall      *call,
                      gboolean          *known)
{
  const char *patient_id = signpost_call_get_patient_id (call);
  const char *number = signpost_call_get_number (call);
  const Caller *caller;

  /* A navigator said who it is: that wins over the number's matches. */
  if (patient_id != NULL && self->cache != NULL)
    {
      g_autoptr(SignpostPatient) patient = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT,
                                                                       patient_id, NULL);
      if (patient != NULL)
        {
          g_autoptr(GPtrArray) one = g_ptr_array_new ();
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

          g_ptr_array_add (one, patient);
          *known = TRUE;
          return signpost_call_describe_caller (number ? number : "", one, now);
        }
    }
  if (number == NULL || self->cache == NULL)
    {
      *known = FALSE;
      return g_strdup (_("Number withheld"));
    }
  caller = lookup_caller (self, number);
  *known = caller->known;
  return g_strdup (caller->text);
}

static const char *
navigator_name (SignpostQueuePage *self,
                SignpostCall      *call)
{
  const char *user_id = signpost_call_get_answered_by (call);
  const char *name;

  if (signpost_call_desk_is_mine (self->desk, call))
    return _("You");
  if (user_id == NULL)
    {
      /* Answered at the phone system (a switchboard agent). */
      const char *agent = signpost_call_get_agent (call);
      return agent ? agent : _("Phone system");
    }
  if (g_hash_table_size (self->user_names) == 0 && self->cache != NULL)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GPtrArray) users = signpost_cache_list_records (self->cache, SIGNPOST_RECORD_USER, &error);

      if (users == NULL)
        g_warning ("Could not read the users: %s", error->message);
      for (guint i = 0; users != NULL && i < users->len; i++)
        {
          SignpostUser *user = g_ptr_array_index (users, i);
          g_hash_table_insert (self->user_names, g_strdup (signpost_record_get_id (SIGNPOST_RECORD (user))),
                               g_strdup (signpost_user_get_display_name (user)));
        }
    }
  name = g_hash_table_lookup (self->user_names, user_id);
  return name ? name : _("Another navigator");
}

/* ---- places in the queue ----------------------------------------------------------- */

/* The caller's place as the phone system tells it: among the calls of the
 * same practice (a hub's list mixes several queues). */
static guint
queue_position (SignpostQueuePage *self,
                SignpostCall      *call,
                guint              index)
{
  GListModel *model = G_LIST_MODEL (self->waiting);
  const char *practice_id = signpost_record_get_practice_id (SIGNPOST_RECORD (call));
  guint position = 1;

  if (index == GTK_INVALID_LIST_POSITION &&
      !signpost_record_list_find (SIGNPOST_RECORD_LIST (self->waiting),
                                  signpost_record_get_id (SIGNPOST_RECORD (call)), &index))
    return 0;
  if (!self->several_practices)
    return index + 1;
  for (guint i = 0; i < index; i++)
    {
      g_autoptr(SignpostRecord) other = g_list_model_get_item (model, i);
      if (g_strcmp0 (signpost_record_get_practice_id (other), practice_id) == 0)
        position++;
    }
  return position;
}

static void
fill_row (SignpostQueuePage *self,
          SignpostCallRow   *row,
          GtkListItem       *item)
{
  SignpostCall *call = signpost_call_row_get_call (row);
  g_autofree char *caller = NULL;
  gboolean known = FALSE;
  guint index;

  if (call == NULL)
    return;
  caller = describe_call_caller (self, call, &known);
  signpost_call_row_set_caller (row, caller, known);
  signpost_call_row_set_practice (row, self->several_practices
                                       ? signpost_cache_get_practice_name (self->cache,
                                                                           signpost_record_get_practice_id (SIGNPOST_RECORD (call)))
                                       : NULL);
  if (signpost_call_row_get_mode (row) == SIGNPOST_CALL_ROW_IN_PROGRESS)
    {
      signpost_call_row_set_navigator (row, navigator_name (self, call));
      return;
    }
  index = signpost_call_row_get_mode (row) == SIGNPOST_CALL_ROW_WAITING
          ? gtk_list_item_get_position (item) : GTK_INVALID_LIST_POSITION;
  signpost_call_row_set_position (row, queue_position (self, call, index));
}

static gboolean
refresh_positions (gpointer data)
{
  SignpostQueuePage *self = data;
  GHashTableIter iter;
  gpointer row, item;

  self->positions_id = 0;
  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &row, &item))
    if (signpost_call_row_get_call (row) != NULL &&
        signpost_call_row_get_mode (row) != SIGNPOST_CALL_ROW_IN_PROGRESS)
      {
        guint index = signpost_call_row_get_mode (row) == SIGNPOST_CALL_ROW_WAITING
                      ? gtk_list_item_get_position (item) : GTK_INVALID_LIST_POSITION;
        signpost_call_row_set_position (row, queue_position (self, signpost_call_row_get_call (row), index));
      }
  return G_SOURCE_REMOVE;
}

static void
refresh_callers (SignpostQueuePage *self)
{
  GHashTableIter iter;
  gpointer row, item;

  g_hash_table_iter_init (&iter, self->bound);
  while (g_hash_table_iter_next (&iter, &row, &item))
    fill_row (self, row, item);
}

/* ---- list factories ------------------------------------------------------------------ */

static void
on_row_call_changed (SignpostCallRow   *row,
                     SignpostQueuePage *self)
{
  GtkListItem *item = g_hash_table_lookup (self->bound, row);

  if (item != NULL)
    fill_row (self, row, item);
}

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           SignpostQueuePage        *self)
{
  SignpostCallRowMode mode = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "mode"));
  SignpostCallRow *row = signpost_call_row_new (mode);

  g_signal_connect_object (row, "call-changed", G_CALLBACK (on_row_call_changed), self, 0);
  gtk_list_item_set_child (item, GTK_WIDGET (row));
  gtk_list_item_set_activatable (item, mode != SIGNPOST_CALL_ROW_IN_PROGRESS);
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          SignpostQueuePage        *self)
{
  SignpostCallRow *row = SIGNPOST_CALL_ROW (gtk_list_item_get_child (item));

  signpost_call_row_set_call (row, gtk_list_item_get_item (item));
  g_hash_table_insert (self->bound, row, item);
  fill_row (self, row, item);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            SignpostQueuePage        *self)
{
  SignpostCallRow *row = SIGNPOST_CALL_ROW (gtk_list_item_get_child (item));

  g_hash_table_remove (self->bound, row);
  signpost_call_row_set_call (row, NULL);
}

static GtkListItemFactory *
new_factory (SignpostQueuePage   *self,
             SignpostCallRowMode  mode)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  g_object_set_data (G_OBJECT (factory), "mode", GINT_TO_POINTER (mode));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  return factory;
}

/* ---- this navigator's call ---------------------------------------------------------- */

static void
update_my_call (SignpostQueuePage *self)
{
  SignpostCall *call = self->my_call;
  gboolean callback = call != NULL && signpost_call_is_callback (call);
  g_autofree char *text = NULL;

  gtk_widget_set_visible (self->show_caller_button, call != NULL);
  gtk_widget_set_visible (self->end_button, call != NULL && !callback);
  gtk_widget_set_visible (self->reached_button, callback);
  gtk_widget_set_visible (self->no_answer_button, callback);
  gtk_image_set_from_icon_name (self->my_call_icon, call == NULL ? "emblem-ok-symbolic"
                                                    : callback ? "call-outgoing-symbolic" : "call-start-symbolic");

  if (call == NULL)
    {
      g_autofree char *free_text = NULL;

      /* What became of the last callback stays said until the next call. */
      if (self->last_outcome != NULL)
        /* Translators: the last callback's outcome, then "You are free…" */
        free_text = g_strdup_printf (_("%s You are free. F2 answers the caller at the front of the queue."),
                                     self->last_outcome);
      signpost_queue_page_set_label (self->my_call_label,
                                     free_text ? free_text
                                               : _("You are free. F2 answers the caller at the front of the queue."));
      gtk_widget_remove_css_class (self->my_call_bar, "on-call");
      return;
    }
  gtk_widget_add_css_class (self->my_call_bar, "on-call");
  {
    g_autofree char *number = signpost_call_format_number (call);
    g_autofree char *caller = NULL;
    g_autofree char *duration = NULL;
    gboolean known;

    caller = describe_call_caller (self, call, &known);
    duration = signpost_call_format_duration (signpost_call_seconds_since (signpost_call_get_answered_at (call),
                                                                           signpost_ticker_get_now_us (signpost_ticker_get_default ())));
    if (callback)
      /* Translators: calling back, number, caller, for how long */
      text = g_strdup_printf (_("Calling back %s — %s · %s. Did you reach them?"), number, caller, duration);
    else
      /* Translators: on a call, number, caller, for how long */
      text = g_strdup_printf (_("On a call: %s — %s · %s"), number, caller, duration);
  }
  signpost_queue_page_set_label (self->my_call_label, text);
}

static void
on_current_call_changed (SignpostQueuePage *self)
{
  SignpostCall *call = signpost_call_desk_get_current_call (self->desk);

  if (self->my_call != NULL)
    g_signal_handlers_disconnect_by_func (self->my_call, update_my_call, self);
  g_set_object (&self->my_call, call);
  if (call != NULL)
    {
      g_signal_connect_swapped (call, "notify", G_CALLBACK (update_my_call), self);
      g_clear_pointer (&self->last_outcome, g_free);
    }
  update_my_call (self);
}

static void
on_tick (SignpostQueuePage *self)
{
  signpost_queue_page_update_longest (self);
  if (self->my_call != NULL)
    update_my_call (self);
}

/* ---- following the session -------------------------------------------------------------- */

static void
update_available (SignpostQueuePage *self)
{
  gboolean available = self->hub != NULL && signpost_call_hub_get_available (self->hub);
  gboolean connecting = self->actions != NULL &&
                        signpost_actions_get_state (self->actions) == SIGNPOST_SYNC_STATE_CONNECTING;

  adw_status_page_set_title (self->offline_page, connecting ? _("Connecting to the Phone Queue…")
                                                            : _("Phones Unavailable"));
  gtk_stack_set_visible_child_name (GTK_STACK (adw_bin_get_child (ADW_BIN (self))),
                                    available ? "queue" : "offline");
  if (available)
    signpost_queue_page_schedule_fetch (self);
}

static void
on_models_changed (SignpostQueuePage *self)
{
  signpost_queue_page_schedule_figures (self);
  /* Places below a change move; only the rows on screen are told. */
  if (self->positions_id == 0)
    self->positions_id = g_idle_add_full (GDK_PRIORITY_REDRAW - 10, refresh_positions, self, NULL);
}

static void
on_records_changed (SignpostQueuePage *self,
                    GPtrArray         *changed,
                    GPtrArray         *removed)
{
  gboolean patients = removed->len > 0;
  gboolean users = FALSE;

  for (guint i = 0; i < changed->len; i++)
    {
      SignpostRecordKind kind = signpost_record_get_kind (g_ptr_array_index (changed, i));
      patients = patients || kind == SIGNPOST_RECORD_PATIENT;
      users = users || kind == SIGNPOST_RECORD_USER;
    }
  if (users)
    g_hash_table_remove_all (self->user_names);
  if (patients)
    g_hash_table_remove_all (self->callers);
  if (patients || users)
    refresh_callers (self);
}

static void
on_call_event (SignpostQueuePage *self,
               SignpostCallEvent *event)
{
  signpost_queue_page_schedule_fetch (self);
}

static void
update_practices (SignpostQueuePage *self)
{
  const char *practice_id = self->actions ? signpost_actions_get_practice_id (self->actions) : NULL;
  GListModel *practices = self->actions ? signpost_actions_get_practices (self->actions) : NULL;
  gboolean several = practice_id == NULL && practices != NULL && g_list_model_get_n_items (practices) > 1;

  if (self->waiting != NULL)
    {
      signpost_call_list_model_set_practice_id (self->waiting, practice_id);
      signpost_call_list_model_set_practice_id (self->callbacks, practice_id);
      signpost_call_list_model_set_practice_id (self->in_progress, practice_id);
    }
  signpost_failed_contacts_set_practice_id (self->failed_contacts, practice_id);
  gtk_widget_set_visible (self->practice_header, several);
  if (several != self->several_practices)
    {
      self->several_practices = several;
      refresh_callers (self);
      refresh_positions (self);
    }
  self->answered_known = FALSE;
  signpost_queue_page_schedule_fetch (self);
  signpost_queue_page_schedule_figures (self);
}

static void
set_models (SignpostQueuePage *self,
            SignpostCache     *cache)
{
  if (self->cache != NULL)
    g_signal_handlers_disconnect_by_data (self->cache, self);
  if (self->waiting != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->waiting, self);
      g_signal_handlers_disconnect_by_data (self->callbacks, self);
      g_signal_handlers_disconnect_by_data (self->in_progress, self);
    }
  gtk_single_selection_set_model (self->waiting_selection, NULL);
  gtk_single_selection_set_model (self->callbacks_selection, NULL);
  gtk_no_selection_set_model (self->in_progress_selection, NULL);
  g_clear_object (&self->waiting);
  g_clear_object (&self->callbacks);
  g_clear_object (&self->in_progress);
  g_hash_table_remove_all (self->callers);
  g_hash_table_remove_all (self->user_names);
  g_set_object (&self->cache, cache);

  if (cache != NULL)
    {
      self->waiting = signpost_call_list_model_new (cache, SIGNPOST_CALL_LIST_WAITING);
      self->callbacks = signpost_call_list_model_new (cache, SIGNPOST_CALL_LIST_CALLBACKS);
      self->in_progress = signpost_call_list_model_new (cache, SIGNPOST_CALL_LIST_IN_PROGRESS);
      g_signal_connect_swapped (self->waiting, "items-changed", G_CALLBACK (on_models_changed), self);
      g_signal_connect_swapped (self->callbacks, "items-changed", G_CALLBACK (on_models_changed), self);
      g_signal_connect_swapped (self->in_progress, "items-changed", G_CALLBACK (on_models_changed), self);
      g_signal_connect_swapped (cache, "records-changed", G_CALLBACK (on_records_changed), self);
      gtk_single_selection_set_model (self->waiting_selection, G_LIST_MODEL (self->waiting));
      gtk_single_selection_set_model (self->callbacks_selection, G_LIST_MODEL (self->callbacks));
      gtk_no_selection_set_model (self->in_progress_selection, G_LIST_MODEL (self->in_progress));
    }
  update_practices (self);
}

static void
on_cache_changed (SignpostQueuePage *self)
{
  set_models (self, signpost_actions_get_cache (self->actions));
}

/* ---- keys for the whole window ------------------------------------------------------ */

static gboolean
on_window_key (GtkWidget *widget,
               GVariant  *args,
               gpointer   user_data)
{
  SignpostQueuePage *self = user_data;

  return gtk_widget_activate_action (GTK_WIDGET (self), g_variant_get_string (args, NULL), NULL);
}

static void
add_window_key (SignpostQueuePage *self,
                guint              keyval,
                const char        *action_name)
{
  GtkShortcut *shortcut = gtk_shortcut_new (gtk_keyval_trigger_new (keyval, 0),
                                            gtk_callback_action_new (on_window_key, self, NULL));

  gtk_shortcut_set_arguments (shortcut, g_variant_new_string (action_name));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (self->window_keys), shortcut);
}

/* F2, F3 and F4 work on every page of the window (the navigator may be in
 * the diary when the phone needs them), so they go on the window itself:
 * shortcuts of a page that is not shown are not looked at. */
static void
signpost_queue_page_root (GtkWidget *widget)
{
  SignpostQueuePage *self = SIGNPOST_QUEUE_PAGE (widget);

  GTK_WIDGET_CLASS (signpost_queue_page_parent_class)->root (widget);

  self->window_keys = gtk_shortcut_controller_new ();
  gtk_event_controller_set_name (self->window_keys, "signpost-queue-keys");
  add_window_key (self, GDK_KEY_F2, "queue.answer-next");
  add_window_key (self, GDK_KEY_F3, "queue.end-call");
  add_window_key (self, GDK_KEY_F4, "queue.show-caller");
  gtk_widget_add_controller (GTK_WIDGET (gtk_widget_get_root (widget)), self->window_keys);
}

static void
signpost_queue_page_unroot (GtkWidget *widget)
{
  SignpostQueuePage *self = SIGNPOST_QUEUE_PAGE (widget);

  if (self->window_keys != NULL)
    gtk_widget_remove_controller (GTK_WIDGET (gtk_widget_get_root (widget)), self->window_keys);
  self->window_keys = NULL;

  GTK_WIDGET_CLASS (signpost_queue_page_parent_class)->unroot (widget);
}

/* The page's work starts at the queue: the caller at the front, or the
 * callbacks due, or Answer. */
static gboolean
signpost_queue_page_grab_focus (GtkWidget *widget)
{
  SignpostQueuePage *self = SIGNPOST_QUEUE_PAGE (widget);

  if (self->waiting != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->waiting)) > 0 &&
      gtk_widget_child_focus (GTK_WIDGET (self->waiting_view), GTK_DIR_TAB_FORWARD))
    return TRUE;
  if (self->callbacks != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->callbacks)) > 0 &&
      gtk_widget_child_focus (GTK_WIDGET (self->callbacks_view), GTK_DIR_TAB_FORWARD))
    return TRUE;
  if (gtk_widget_is_sensitive (self->answer_button) && gtk_widget_grab_focus (self->answer_button))
    return TRUE;
  return gtk_widget_child_focus (widget, GTK_DIR_TAB_FORWARD);
}

/* ---- GObject -------------------------------------------------------------------------- */

static void
signpost_queue_page_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SignpostQueuePage *self = SIGNPOST_QUEUE_PAGE (object);

  switch (prop_id)
    {
    case PROP_ACTIONS:
      g_value_set_object (value, self->actions);
      break;
    case PROP_NOTICE:
      g_value_set_string (value, self->notice);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_queue_page_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  SignpostQueuePage *self = SIGNPOST_QUEUE_PAGE (object);

  switch (prop_id)
    {
    case PROP_ACTIONS:
      signpost_queue_page_set_actions (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_queue_page_dispose (GObject *object)
{
  SignpostQueuePage *self = SIGNPOST_QUEUE_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  signpost_queue_page_set_actions (self, NULL);
  g_signal_handlers_disconnect_by_data (signpost_ticker_get_default (), self);
  g_clear_handle_id (&self->positions_id, g_source_remove);
  g_clear_handle_id (&self->figures_id, g_source_remove);
  g_clear_handle_id (&self->figures_timeout_id, g_source_remove);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_QUEUE_PAGE);
  g_clear_object (&self->waiting_selection);
  g_clear_object (&self->callbacks_selection);
  g_clear_object (&self->in_progress_selection);

  G_OBJECT_CLASS (signpost_queue_page_parent_class)->dispose (object);
}

static void
signpost_queue_page_finalize (GObject *object)
{
  SignpostQueuePage *self = SIGNPOST_QUEUE_PAGE (object);

  g_clear_pointer (&self->callers, g_hash_table_unref);
  g_clear_pointer (&self->user_names, g_hash_table_unref);
  g_clear_pointer (&self->bound, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_free (self->notice);
  g_free (self->last_outcome);

  G_OBJECT_CLASS (signpost_queue_page_parent_class)->finalize (object);
}

static void
signpost_queue_page_class_init (SignpostQueuePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signpost_accessible_init ();
  g_type_ensure (SIGNPOST_TYPE_FAILED_CONTACTS);
  object_class->get_property = signpost_queue_page_get_property;
  object_class->set_property = signpost_queue_page_set_property;
  object_class->dispose = signpost_queue_page_dispose;
  object_class->finalize = signpost_queue_page_finalize;
  widget_class->root = signpost_queue_page_root;
  widget_class->grab_focus = signpost_queue_page_grab_focus;
  /* Tab through the page in order, not to where its work starts. */
  widget_class->focus = signpost_accessible_page_focus;
  widget_class->unroot = signpost_queue_page_unroot;

  properties[PROP_ACTIONS] =
    g_param_spec_object ("actions", NULL, NULL, SIGNPOST_TYPE_ACTIONS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_NOTICE] =
    g_param_spec_string ("notice", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-queue-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, offline_page);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, waiting_value);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, longest_tile);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, longest_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, longest_value);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, callbacks_value);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, answered_value);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, on_calls_value);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, my_call_bar);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, my_call_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, my_call_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, show_caller_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, reached_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, no_answer_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, answer_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, end_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, waiting_heading);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, practice_header);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, waiting_stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, waiting_view);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, callbacks_heading);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, callbacks_stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, callbacks_view);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, in_progress_heading);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, in_progress_stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, in_progress_view);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, failed_value);
  gtk_widget_class_bind_template_child (widget_class, SignpostQueuePage, failed_contacts);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_waiting_activate",
                                                G_CALLBACK (signpost_queue_page_on_waiting_activate));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_callbacks_activate",
                                                G_CALLBACK (signpost_queue_page_on_callbacks_activate));

  gtk_widget_class_install_action (widget_class, "queue.answer-next", NULL, signpost_queue_page_answer_next_action);
  gtk_widget_class_install_action (widget_class, "queue.answer", "s", signpost_queue_page_answer_action);
  gtk_widget_class_install_action (widget_class, "queue.call-back", "s", signpost_queue_page_answer_action);
  gtk_widget_class_install_action (widget_class, "queue.end-call", NULL, signpost_queue_page_end_call_action);
  gtk_widget_class_install_action (widget_class, "queue.reached", NULL, signpost_queue_page_complete_action);
  gtk_widget_class_install_action (widget_class, "queue.no-answer", NULL, signpost_queue_page_complete_action);
  gtk_widget_class_install_action (widget_class, "queue.show-caller", NULL, signpost_queue_page_show_caller_action);
}

static void
signpost_queue_page_init (SignpostQueuePage *self)
{
  g_autoptr(GtkListItemFactory) waiting_factory = NULL;
  g_autoptr(GtkListItemFactory) callbacks_factory = NULL;
  g_autoptr(GtkListItemFactory) in_progress_factory = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->callers = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) caller_free);
  self->user_names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->bound = g_hash_table_new (NULL, NULL);
  self->longest_level = SIGNPOST_WAIT_SHORT;
  g_signal_connect_object (self->failed_contacts, "notify::n-items", G_CALLBACK (on_failed_changed), self,
                           G_CONNECT_SWAPPED);

  self->waiting_selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->waiting_selection, TRUE);
  self->callbacks_selection = gtk_single_selection_new (NULL);
  self->in_progress_selection = gtk_no_selection_new (NULL);
  waiting_factory = new_factory (self, SIGNPOST_CALL_ROW_WAITING);
  callbacks_factory = new_factory (self, SIGNPOST_CALL_ROW_CALLBACK);
  in_progress_factory = new_factory (self, SIGNPOST_CALL_ROW_IN_PROGRESS);
  gtk_list_view_set_factory (self->waiting_view, waiting_factory);
  gtk_list_view_set_factory (self->callbacks_view, callbacks_factory);
  gtk_list_view_set_factory (self->in_progress_view, in_progress_factory);
  gtk_list_view_set_model (self->waiting_view, GTK_SELECTION_MODEL (self->waiting_selection));
  gtk_list_view_set_model (self->callbacks_view, GTK_SELECTION_MODEL (self->callbacks_selection));
  gtk_list_view_set_model (self->in_progress_view, GTK_SELECTION_MODEL (self->in_progress_selection));


  g_signal_connect_swapped (signpost_ticker_get_default (), "tick", G_CALLBACK (on_tick), self);
  update_my_call (self);
  signpost_queue_page_update_figures (self);
  update_available (self);
}

/* ---- public API ---------------------------------------------------------------------- */

SignpostActions    *
signpost_queue_page_get_actions (SignpostQueuePage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_QUEUE_PAGE (self), NULL);
  return self->actions;
}

void
signpost_queue_page_set_actions (SignpostQueuePage  *self,
                                SignpostActions    *actions)
{
  g_return_if_fail (SIGNPOST_IS_QUEUE_PAGE (self));

  if (self->actions == actions)
    return;
  if (self->actions != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->actions, self);
      g_signal_handlers_disconnect_by_data (self->hub, self);
      g_signal_handlers_disconnect_by_data (self->desk, self);
      if (self->my_call != NULL)
        g_signal_handlers_disconnect_by_func (self->my_call, update_my_call, self);
      g_clear_object (&self->my_call);
      set_models (self, NULL);
    }
  g_set_object (&self->actions, actions);
  signpost_failed_contacts_set_actions (self->failed_contacts, actions);
  self->hub = actions ? signpost_actions_get_call_hub (actions) : NULL;
  self->desk = actions ? signpost_call_desk_get_for_actions (actions) : NULL;
  if (actions != NULL)
    {
      g_signal_connect_swapped (actions, "notify::cache", G_CALLBACK (on_cache_changed), self);
      g_signal_connect_swapped (actions, "notify::practice-id", G_CALLBACK (update_practices), self);
      g_signal_connect_swapped (actions, "notify::practices", G_CALLBACK (update_practices), self);
      g_signal_connect_swapped (actions, "notify::state", G_CALLBACK (update_available), self);
      g_signal_connect_swapped (self->hub, "notify::available", G_CALLBACK (update_available), self);
      g_signal_connect_swapped (self->hub, "call-event", G_CALLBACK (on_call_event), self);
      g_signal_connect_swapped (self->desk, "notify::current-call", G_CALLBACK (on_current_call_changed), self);
      set_models (self, signpost_actions_get_cache (actions));
      on_current_call_changed (self);
    }
  update_available (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIONS]);
}

GListModel *
signpost_queue_page_get_waiting (SignpostQueuePage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_QUEUE_PAGE (self), NULL);
  return G_LIST_MODEL (self->waiting);
}

GListModel *
signpost_queue_page_get_callbacks (SignpostQueuePage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_QUEUE_PAGE (self), NULL);
  return G_LIST_MODEL (self->callbacks);
}

GListModel *
signpost_queue_page_get_in_progress (SignpostQueuePage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_QUEUE_PAGE (self), NULL);
  return G_LIST_MODEL (self->in_progress);
}

/* Answers the caller at the front of the queue (F2). */
void
signpost_queue_page_answer_next (SignpostQueuePage *self)
{
  SignpostCall *head;

  g_return_if_fail (SIGNPOST_IS_QUEUE_PAGE (self));

  if (self->waiting == NULL || !signpost_queue_page_may_answer (self))
    return;
  /* The front as the phones last told it (the popup shows the same). */
  head = signpost_call_desk_get_next_call (self->desk);
  if (head == NULL)
    {
      signpost_queue_page_tell (self, _("Nobody is waiting."));
      return;
    }
  signpost_call_desk_answer_async (self->desk, signpost_record_get_id (SIGNPOST_RECORD (head)),
                                   self->cancellable, signpost_queue_page_answered, g_object_ref (self));
}

void
signpost_queue_page_answer_call (SignpostQueuePage *self,
                                 const char        *call_id)
{
  g_return_if_fail (SIGNPOST_IS_QUEUE_PAGE (self));
  signpost_queue_page_send_answer (self, call_id);
}

const char *
signpost_queue_page_get_notice (SignpostQueuePage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_QUEUE_PAGE (self), NULL);
  return self->notice;
}

const char *
signpost_queue_page_get_status (SignpostQueuePage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_QUEUE_PAGE (self), NULL);
  return gtk_label_get_text (self->my_call_label);
}

/* The headline figures as shown: "waiting", "longest", "callbacks",
 * "answered", "on-calls", "failed-contacts". */
const char *
signpost_queue_page_get_figure (SignpostQueuePage *self,
                                const char        *name)
{
  g_return_val_if_fail (SIGNPOST_IS_QUEUE_PAGE (self), NULL);

  signpost_queue_page_update_figures (self);
  if (g_str_equal (name, "waiting"))
    return gtk_label_get_text (self->waiting_value);
  if (g_str_equal (name, "longest"))
    return gtk_label_get_text (self->longest_value);
  if (g_str_equal (name, "callbacks"))
    return gtk_label_get_text (self->callbacks_value);
  if (g_str_equal (name, "answered"))
    return gtk_label_get_text (self->answered_value);
  if (g_str_equal (name, "on-calls"))
    return gtk_label_get_text (self->on_calls_value);
  if (g_str_equal (name, "failed-contacts"))
    return gtk_label_get_text (self->failed_value);
  g_return_val_if_reached (NULL);
}

gboolean
signpost_queue_page_get_phones_available (SignpostQueuePage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_QUEUE_PAGE (self), FALSE);
  return g_str_equal (gtk_stack_get_visible_child_name (GTK_STACK (adw_bin_get_child (ADW_BIN (self)))), "queue");
}
