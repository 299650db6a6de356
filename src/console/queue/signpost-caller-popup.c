/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n.h>

#include "signpost-accessible.h"
#include "signpost-caller-popup-private.h"

/* The caller popup: when it shows and hides, the call it follows,
 * confirming the caller (or registering a temporary patient), its keys
 * and the session. What it shows lives beside it (see
 * signpost-caller-popup-private.h). */

enum {
  CONTENT_PAINTED,
  N_SIGNALS
};

G_DEFINE_FINAL_TYPE (SignpostCallerPopup, signpost_caller_popup, ADW_TYPE_BIN)

static guint signals[N_SIGNALS];

static void update (SignpostCallerPopup *self);

void
signpost_caller_popup_set_label (GtkLabel   *label,
                                 const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (label), text ? text : "") != 0)
    gtk_label_set_text (label, text ? text : "");
}

static void
set_string (char       **field,
            const char  *value)
{
  if (*field != value)
    {
      g_free (*field);
      *field = g_strdup (value);
    }
}

/* ---- measuring --------------------------------------------------------------------- */

static void
stop_watching_paint (SignpostCallerPopup *self)
{
  /* By data, not by id: a clock that went with its window has dropped
   * its handlers already. */
  if (self->frame_clock != NULL)
    g_signal_handlers_disconnect_by_data (self->frame_clock, self);
  self->after_paint_id = 0;
  g_clear_object (&self->frame_clock);
}

static void
on_after_paint (GdkFrameClock       *clock,
                SignpostCallerPopup *self)
{
  g_autofree char *call_id = NULL;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return;
  call_id = g_steal_pointer (&self->painting_id);
  stop_watching_paint (self);
  if (call_id != NULL)
    g_signal_emit (self, signals[CONTENT_PAINTED], 0, call_id, g_get_monotonic_time ());
}

/* Notes the end of the next frame that has this caller on screen. */
static void
watch_paint (SignpostCallerPopup *self)
{
  GtkNative *native = gtk_widget_get_native (GTK_WIDGET (self));
  GdkFrameClock *clock = native ? gtk_widget_get_frame_clock (GTK_WIDGET (native)) : NULL;

  set_string (&self->painting_id, self->call_id);
  if (clock == NULL || self->after_paint_id != 0)
    return;
  self->frame_clock = g_object_ref (clock);
  self->after_paint_id = g_signal_connect (clock, "after-paint", G_CALLBACK (on_after_paint), self);
}

/* ---- showing and hiding ---------------------------------------------------------------- */

static gboolean
has_focus_inside (SignpostCallerPopup *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  return focus != NULL && (focus == GTK_WIDGET (self) || gtk_widget_is_ancestor (focus, GTK_WIDGET (self)));
}

static void
hide (SignpostCallerPopup *self)
{
  gboolean had_focus = has_focus_inside (self);

  self->mode = SIGNPOST_CALLER_POPUP_HIDDEN;
  set_string (&self->call_id, NULL);
  gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
  /* The keyboard goes back to where the navigator was. */
  if (had_focus && self->return_focus != NULL && gtk_widget_get_mapped (self->return_focus))
    gtk_widget_grab_focus (self->return_focus);
  g_clear_weak_pointer (&self->return_focus);
}

static void
show_call (SignpostCallerPopup     *self,
           const char              *call_id,
           const char              *number,
           const char              *practice_id,
           gboolean                 callback,
           SignpostCallerPopupMode  mode)
{
  gboolean same = g_strcmp0 (self->call_id, call_id) == 0 && g_strcmp0 (self->number, number) == 0 &&
                  self->mode != SIGNPOST_CALLER_POPUP_HIDDEN;

  if (same && self->mode == mode && self->callback == callback)
    return;
  set_string (&self->call_id, call_id);
  set_string (&self->number, number);
  set_string (&self->practice_id, practice_id);
  self->callback = callback;
  self->mode = mode;
  if (!same)
    signpost_caller_popup_fill_content (self);
  else if (mode == SIGNPOST_CALLER_POPUP_ANSWERED && g_list_model_get_n_items (G_LIST_MODEL (self->patients)) == 1)
    {
      g_autoptr(SignpostPatient) patient = g_list_model_get_item (G_LIST_MODEL (self->patients), 0);
      signpost_caller_popup_report_view (self, patient);
    }
  signpost_caller_popup_update_header (self);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
  watch_paint (self);
}

static void
show_record (SignpostCallerPopup     *self,
             SignpostCall            *call,
             SignpostCallerPopupMode  mode)
{
  show_call (self, signpost_record_get_id (SIGNPOST_RECORD (call)), signpost_call_get_number (call),
             signpost_record_get_practice_id (SIGNPOST_RECORD (call)), signpost_call_is_callback (call), mode);
}

/* Moves the keyboard in, remembering where it was. */
static void
take_focus (SignpostCallerPopup *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  const char *kind = gtk_stack_get_visible_child_name (self->content_stack);

  if (self->mode == SIGNPOST_CALLER_POPUP_HIDDEN)
    return;
  if (!has_focus_inside (self))
    g_set_weak_pointer (&self->return_focus, focus);
  if (g_str_equal (kind, "several"))
    {
      GtkListBoxRow *row = gtk_list_box_get_selected_row (self->household_list);
      gtk_widget_grab_focus (row ? GTK_WIDGET (row) : GTK_WIDGET (self->household_list));
    }
  else if (g_str_equal (kind, "search"))
    {
      gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
      gtk_editable_select_region (GTK_EDITABLE (self->search_entry), 0, -1);
    }
  else if (gtk_widget_get_visible (self->confirm_button))
    gtk_widget_grab_focus (self->confirm_button);
  else
    gtk_widget_grab_focus (self->answer_button);
}

/* ---- the call at the front of the queue --------------------------------------------------- */

static gboolean
offers_enabled (SignpostCallerPopup *self)
{
  return self->actions != NULL && self->cache != NULL &&
         signpost_actions_get_role (self->actions) == SIGNPOST_ROLE_NAVIGATOR &&
         signpost_call_hub_get_available (self->hub);
}

const char *
signpost_caller_popup_practice_in_view (SignpostCallerPopup *self)
{
  return self->actions ? signpost_actions_get_practice_id (self->actions) : NULL;
}

/* Decides what the panel shows: the navigator's own call, else (when
 * free) the call at the front of the queue, else nothing. */
static void
update (SignpostCallerPopup *self)
{
  SignpostCall *current = self->desk ? signpost_call_desk_get_current_call (self->desk) : NULL;
  SignpostCall *next = self->desk ? signpost_call_desk_get_next_call (self->desk) : NULL;

  if (current != NULL)
    {
      if (g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (current)), self->closed_id) != 0)
        show_record (self, current, SIGNPOST_CALLER_POPUP_ANSWERED);
      else if (self->mode != SIGNPOST_CALLER_POPUP_HIDDEN)
        hide (self);
      return;
    }
  if (next != NULL && offers_enabled (self) &&
      g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (next)), self->closed_id) != 0)
    {
      show_record (self, next, SIGNPOST_CALLER_POPUP_OFFERED);
      return;
    }
  if (self->mode != SIGNPOST_CALLER_POPUP_HIDDEN)
    hide (self);
}

static void
on_answered_here (SignpostCallerPopup *self,
                  SignpostCall        *call)
{
  /* The navigator asked for this call: the keyboard follows. */
  g_clear_pointer (&self->closed_id, g_free);
  show_record (self, signpost_call_desk_get_current_call (self->desk)
                     ? signpost_call_desk_get_current_call (self->desk) : call,
               SIGNPOST_CALLER_POPUP_ANSWERED);
  take_focus (self);
}

static void
on_caller_requested (SignpostCallerPopup *self)
{
  g_clear_pointer (&self->closed_id, g_free);
  update (self);
  take_focus (self);
}

/* ---- confirming ------------------------------------------------------------------------------ */

static GtkListBox *
current_list (SignpostCallerPopup *self)
{
  const char *kind = gtk_stack_get_visible_child_name (self->content_stack);

  if (g_str_equal (kind, "several"))
    return self->household_list;
  if (g_str_equal (kind, "search"))
    return self->results_list;
  return NULL;
}

static SignpostPatient *
selected_patient (SignpostCallerPopup *self)
{
  const char *kind = gtk_stack_get_visible_child_name (self->content_stack);
  GtkListBox *list = current_list (self);
  GtkListBoxRow *row;
  GListModel *model;

  if (g_str_equal (kind, "one"))
    return g_list_model_get_item (G_LIST_MODEL (self->patients), 0);
  if (list == NULL || (row = gtk_list_box_get_selected_row (list)) == NULL)
    return NULL;
  model = list == self->household_list ? G_LIST_MODEL (self->household) : G_LIST_MODEL (self->search);
  return g_list_model_get_item (model, gtk_list_box_row_get_index (row));
}

void
signpost_caller_popup_link_and_open (SignpostCallerPopup *self,
                                     SignpostPatient     *patient)
{
  const char *patient_id = signpost_record_get_id (SIGNPOST_RECORD (patient));
  g_autoptr(SignpostCall) call = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = signpost_patient_format_name (patient);
  g_autofree char *number = self->number ? signpost_phone_format (self->number) : g_strdup (_("a withheld number"));
  /* Translators: what the outbox and the problems list call it */
  g_autofree char *label = g_strdup_printf (_("Call from %s is %s"), number, name);
  g_autofree char *call_id = g_strdup (self->call_id);

  signpost_caller_popup_report_view (self, patient);
  if (!signpost_actions_link_caller (self->actions, call_id, patient_id, label, &error))
    {
      signpost_call_show_toast (GTK_WIDGET (self), error->message);
      return;
    }
  set_string (&self->closed_id, call_id);
  call = self->cache ? signpost_cache_get_record (self->cache, SIGNPOST_RECORD_CALL, call_id, NULL) : NULL;
  hide (self);
  if (call != NULL)
    signpost_call_open_triage (GTK_WIDGET (self), call, patient_id);
  else if (!gtk_widget_activate_action (GTK_WIDGET (self), "win.open-triage", "(sss)", "", call_id, patient_id))
    g_message ("No triage form to open for call %s (win.open-triage is missing)", call_id);
}

static void
answered (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SignpostCallerPopup) self = user_data;
  g_autoptr(SignpostCall) call = NULL;
  g_autoptr(GError) error = NULL;

  call = signpost_call_desk_answer_finish (SIGNPOST_CALL_DESK (source), result, &error);
  if (call == NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    signpost_call_show_toast (GTK_WIDGET (self), error->message);
}

static void
answer_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SignpostCallerPopup *self = SIGNPOST_CALLER_POPUP (widget);

  if (self->mode != SIGNPOST_CALLER_POPUP_OFFERED || signpost_call_desk_get_busy (self->desk))
    return;
  signpost_call_desk_answer_async (self->desk, self->call_id, NULL, answered, g_object_ref (self));
}

static void
confirm_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  signpost_caller_popup_confirm (SIGNPOST_CALLER_POPUP (widget));
}

static void
dismiss_action (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  signpost_caller_popup_dismiss (SIGNPOST_CALLER_POPUP (widget));
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SignpostCallerPopup   *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;
  GtkListBox *list = current_list (self);

  if ((state & (GDK_CONTROL_MASK | GDK_ALT_MASK)) != 0)
    return FALSE;
  switch (keyval)
    {
    case GDK_KEY_Escape:
      signpost_caller_popup_dismiss (self);
      return TRUE;

    case GDK_KEY_Up:
    case GDK_KEY_Down:
    case GDK_KEY_KP_Up:
    case GDK_KEY_KP_Down:
      {
        GtkListBoxRow *row;
        int index;

        /* The list moves its own focus; from elsewhere (the entry, a
         * button) the highlight moves. */
        if (list == NULL || (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (list))))
          return FALSE;
        row = gtk_list_box_get_selected_row (list);
        index = row ? gtk_list_box_row_get_index (row) : -1;
        index += (keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up) ? -1 : 1;
        row = gtk_list_box_get_row_at_index (list, MAX (index, 0));
        if (row != NULL)
          gtk_list_box_select_row (list, row);
        return TRUE;
      }

    case GDK_KEY_Return:
    case GDK_KEY_KP_Enter:
    case GDK_KEY_ISO_Enter:
      /* Buttons and the registration form keep their own Enter. */
      if (focus != NULL && (GTK_IS_BUTTON (focus) ||
                            gtk_widget_get_ancestor (focus, ADW_TYPE_ENTRY_ROW) != NULL))
        return FALSE;
      if (focus != NULL && GTK_IS_LIST_BOX_ROW (focus))
        {
          GtkListBox *parent = GTK_LIST_BOX (gtk_widget_get_parent (focus));
          gtk_list_box_select_row (parent, GTK_LIST_BOX_ROW (focus));
        }
      signpost_caller_popup_confirm (self);
      return TRUE;

    default:
      return FALSE;
    }
}

static void
on_row_activated (SignpostCallerPopup *self,
                  GtkListBoxRow       *row,
                  GtkListBox          *list)
{
  gtk_list_box_select_row (list, row);
  signpost_caller_popup_confirm (self);
}

static void
on_search_changed (SignpostCallerPopup *self)
{
  if (self->search == NULL)
    return;
  signpost_patient_search_model_set_query (self->search, gtk_editable_get_text (GTK_EDITABLE (self->search_entry)));
  gtk_list_box_select_row (self->results_list, gtk_list_box_get_row_at_index (self->results_list, 0));
}

static void
on_include_left_toggled (SignpostCallerPopup *self)
{
  if (self->search == NULL)
    return;
  signpost_patient_search_model_set_include_left (self->search,
                                                  gtk_check_button_get_active (self->include_left_check));
  gtk_list_box_select_row (self->results_list, gtk_list_box_get_row_at_index (self->results_list, 0));
}

static void
on_results_changed (SignpostCallerPopup *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->results_list),
                          g_list_model_get_n_items (G_LIST_MODEL (self->search)) > 0);
}

static void
on_search_activate (SignpostCallerPopup *self)
{
  signpost_caller_popup_confirm (self);
}

/* ---- following the session ----------------------------------------------------------------- */

static void
set_cache (SignpostCallerPopup *self,
           SignpostCache       *cache)
{
  gtk_list_box_bind_model (self->results_list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->search);
  g_set_object (&self->cache, cache);
  g_hash_table_remove_all (self->audited);

  if (cache != NULL)
    {
      self->search = signpost_patient_search_model_new (cache);
      signpost_patient_search_model_set_limit (self->search, SEARCH_LIMIT);
      gtk_list_box_bind_model (self->results_list, G_LIST_MODEL (self->search), signpost_caller_popup_create_patient_row, self, NULL);
      g_signal_connect_swapped (self->search, "items-changed", G_CALLBACK (on_results_changed), self);
      on_results_changed (self);
    }
  if (self->mode != SIGNPOST_CALLER_POPUP_HIDDEN)
    hide (self);
  update (self);
}

static void
on_cache_changed (SignpostCallerPopup *self)
{
  set_cache (self, signpost_actions_get_cache (self->actions));
}

/* ---- GObject ------------------------------------------------------------------------------- */


static void
signpost_caller_popup_dispose (GObject *object)
{
  SignpostCallerPopup *self = SIGNPOST_CALLER_POPUP (object);

  signpost_caller_popup_set_actions (self, NULL);
  stop_watching_paint (self);
  g_clear_weak_pointer (&self->return_focus);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_CALLER_POPUP);
  g_clear_object (&self->patients);
  g_clear_object (&self->household);

  G_OBJECT_CLASS (signpost_caller_popup_parent_class)->dispose (object);
}

static void
signpost_caller_popup_finalize (GObject *object)
{
  SignpostCallerPopup *self = SIGNPOST_CALLER_POPUP (object);

  g_clear_pointer (&self->audited, g_hash_table_unref);
  g_free (self->call_id);
  g_free (self->number);
  g_free (self->practice_id);
  g_free (self->closed_id);
  g_free (self->painting_id);

  G_OBJECT_CLASS (signpost_caller_popup_parent_class)->finalize (object);
}

static void
signpost_caller_popup_class_init (SignpostCallerPopupClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signpost_accessible_init ();
  object_class->dispose = signpost_caller_popup_dispose;
  object_class->finalize = signpost_caller_popup_finalize;

  signals[CONTENT_PAINTED] =
    g_signal_new ("content-painted", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 2, G_TYPE_STRING, G_TYPE_INT64);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-caller-popup.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, mode_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, mode_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, number_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, content_stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, name_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, identity_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, namesake_box);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, namesake_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, alerts_box);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, alerts_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, practice_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, gp_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, requests_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, appointments_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, several_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, household_list);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, search_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, search_entry);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, include_left_check);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, results_list);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, given_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, family_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, dob_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, phone_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, sex_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, postcode_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, register_error);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, hint_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, answer_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallerPopup, confirm_button);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activated);
  gtk_widget_class_bind_template_callback_full (widget_class, "on_register_entry_activated",
                                                G_CALLBACK (signpost_caller_popup_on_register_entry_activated));
  gtk_widget_class_bind_template_callback_full (widget_class, "on_dob_changed",
                                                G_CALLBACK (signpost_caller_popup_on_dob_changed));
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_include_left_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_search_activate);

  gtk_widget_class_install_action (widget_class, "caller.answer", NULL, answer_action);
  gtk_widget_class_install_action (widget_class, "caller.confirm", NULL, confirm_action);
  gtk_widget_class_install_action (widget_class, "caller.dismiss", NULL, dismiss_action);
  gtk_widget_class_install_action (widget_class, "caller.register", NULL, signpost_caller_popup_register_action);
  gtk_widget_class_install_action (widget_class, "caller.search", NULL, signpost_caller_popup_search_action);
  gtk_widget_class_install_action (widget_class, "caller.save-temporary", NULL, signpost_caller_popup_save_temporary_action);

  gtk_widget_class_set_css_name (widget_class, "callerpopup");
}

static void
signpost_caller_popup_init (SignpostCallerPopup *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->audited = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->patients = g_list_store_new (SIGNPOST_TYPE_PATIENT);
  self->household = g_list_store_new (SIGNPOST_TYPE_PATIENT);
  gtk_list_box_bind_model (self->household_list, G_LIST_MODEL (self->household), signpost_caller_popup_create_patient_row, self, NULL);

  /* Before the focused child: Escape, Enter and the arrows mean the same
   * wherever the keyboard is inside the panel. */
  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
}

/* ---- public API --------------------------------------------------------------------------------- */

void
signpost_caller_popup_set_actions (SignpostCallerPopup *self,
                                   SignpostActions     *actions)
{
  g_return_if_fail (SIGNPOST_IS_CALLER_POPUP (self));

  if (self->actions == actions)
    return;
  if (self->actions != NULL)
    {
      g_signal_handlers_disconnect_by_data (self->actions, self);
      g_signal_handlers_disconnect_by_data (self->hub, self);
      g_signal_handlers_disconnect_by_data (self->desk, self);
      set_cache (self, NULL);
    }
  g_set_object (&self->actions, actions);
  self->hub = actions ? signpost_actions_get_call_hub (actions) : NULL;
  self->desk = actions ? signpost_call_desk_get_for_actions (actions) : NULL;
  if (actions == NULL)
    return;

  /* A subscriber like GNOME Calls' call window: it knows the hub and the
   * desk, not where their events come from. */
  g_signal_connect_swapped (actions, "notify::cache", G_CALLBACK (on_cache_changed), self);
  g_signal_connect_swapped (actions, "notify::role", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->hub, "notify::available", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->desk, "notify::current-call", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->desk, "notify::next-call", G_CALLBACK (update), self);
  g_signal_connect_swapped (self->desk, "answered", G_CALLBACK (on_answered_here), self);
  g_signal_connect_swapped (self->desk, "caller-requested", G_CALLBACK (on_caller_requested), self);
  set_cache (self, signpost_actions_get_cache (actions));
}

SignpostCallerPopupMode
signpost_caller_popup_get_mode (SignpostCallerPopup *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALLER_POPUP (self), SIGNPOST_CALLER_POPUP_HIDDEN);
  return self->mode;
}

const char *
signpost_caller_popup_get_call_id (SignpostCallerPopup *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALLER_POPUP (self), NULL);
  return self->call_id;
}

const char *
signpost_caller_popup_get_kind (SignpostCallerPopup *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALLER_POPUP (self), NULL);
  return gtk_stack_get_visible_child_name (self->content_stack);
}

/* The name (one patient) or the question (several, unknown, withheld). */
const char *
signpost_caller_popup_get_heading (SignpostCallerPopup *self)
{
  const char *kind;

  g_return_val_if_fail (SIGNPOST_IS_CALLER_POPUP (self), NULL);

  kind = gtk_stack_get_visible_child_name (self->content_stack);
  if (g_str_equal (kind, "one"))
    return gtk_label_get_text (self->name_label);
  if (g_str_equal (kind, "several"))
    return gtk_label_get_text (self->several_label);
  return gtk_label_get_text (self->search_label);
}

GListModel *
signpost_caller_popup_get_patients (SignpostCallerPopup *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALLER_POPUP (self), NULL);
  return G_LIST_MODEL (self->patients);
}

/**
 * signpost_caller_popup_get_selected:
 *
 * Returns: (transfer full) (nullable): the highlighted patient
 */
SignpostPatient *
signpost_caller_popup_get_selected (SignpostCallerPopup *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALLER_POPUP (self), NULL);
  return selected_patient (self);
}

void
signpost_caller_popup_select (SignpostCallerPopup *self,
                              guint                index)
{
  GtkListBox *list;

  g_return_if_fail (SIGNPOST_IS_CALLER_POPUP (self));

  list = current_list (self);
  if (list != NULL)
    gtk_list_box_select_row (list, gtk_list_box_get_row_at_index (list, index));
}

const char *
signpost_caller_popup_get_search_text (SignpostCallerPopup *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALLER_POPUP (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->search_entry));
}

/* The box "Include patients who have left the practice", as if ticked. */
void
signpost_caller_popup_set_include_left (SignpostCallerPopup *self,
                                        gboolean             include_left)
{
  g_return_if_fail (SIGNPOST_IS_CALLER_POPUP (self));

  gtk_check_button_set_active (self->include_left_check, include_left);
}

/* Enter: this is the caller. On a call offered here it answers instead. */
const char *
signpost_caller_popup_get_namesake_warning (SignpostCallerPopup *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALLER_POPUP (self), NULL);

  if (!gtk_widget_get_visible (self->namesake_box))
    return NULL;
  return gtk_label_get_text (self->namesake_label);
}

const char *
signpost_caller_popup_get_row_subtitle (SignpostCallerPopup *self,
                                        guint                index)
{
  GtkListBox *list;
  GtkListBoxRow *row;

  g_return_val_if_fail (SIGNPOST_IS_CALLER_POPUP (self), NULL);

  list = current_list (self);
  row = list != NULL ? gtk_list_box_get_row_at_index (list, index) : NULL;
  return row != NULL ? adw_action_row_get_subtitle (ADW_ACTION_ROW (row)) : NULL;
}

const char *
signpost_caller_popup_get_register_error (SignpostCallerPopup *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALLER_POPUP (self), NULL);
  return gtk_widget_get_visible (GTK_WIDGET (self->register_error)) ? gtk_label_get_text (self->register_error) : NULL;
}

void
signpost_caller_popup_confirm (SignpostCallerPopup *self)
{
  g_autoptr(SignpostPatient) patient = NULL;

  g_return_if_fail (SIGNPOST_IS_CALLER_POPUP (self));

  if (self->mode == SIGNPOST_CALLER_POPUP_OFFERED)
    {
      answer_action (GTK_WIDGET (self), NULL, NULL);
      return;
    }
  if (self->mode != SIGNPOST_CALLER_POPUP_ANSWERED)
    return;
  /* Enter typed faster than the search entry's delay: the results must be
   * for what is in the box now, not for what was there 50 ms ago (the
   * wrong patient would be linked to the call). */
  if (self->search != NULL &&
      g_strcmp0 (gtk_stack_get_visible_child_name (self->content_stack), "search") == 0 &&
      g_strcmp0 (signpost_patient_search_model_get_query (self->search),
                 gtk_editable_get_text (GTK_EDITABLE (self->search_entry))) != 0)
    on_search_changed (self);
  patient = selected_patient (self);
  if (patient == NULL)
    {
      signpost_call_show_toast (GTK_WIDGET (self), _("Choose who is calling first."));
      return;
    }
  signpost_caller_popup_link_and_open (self, patient);
}

/* Escape: put the panel away. The navigator's own call comes back with F4;
 * a call offered here stays away until another one is at the front. */
void
signpost_caller_popup_dismiss (SignpostCallerPopup *self)
{
  g_return_if_fail (SIGNPOST_IS_CALLER_POPUP (self));

  if (self->mode == SIGNPOST_CALLER_POPUP_HIDDEN)
    return;
  set_string (&self->closed_id, self->call_id);
  hide (self);
}

