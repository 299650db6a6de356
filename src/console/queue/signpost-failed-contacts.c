/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-call-format.h"
#include "signpost-diary-format.h"
#include "signpost-failed-contacts.h"
#include "signpost-triage-format.h"

/*
 * The failed-contact list: nobody drops out of sight because two
 * callbacks found nobody in. The rule of what to do next is the core's
 * (signpost_failed_contact_next_step()); this shows it and records what
 * was done, through SignpostActions.
 */

enum {
  PROP_0,
  PROP_N_ITEMS,
  N_PROPS
};

struct _SignpostFailedContacts
{
  AdwBin parent_instance;

  GtkLabel *heading;
  GtkStack *stack;
  GtkListBox *list;

  SignpostActions *actions;
  SignpostCache *cache;
  SignpostCallListModel *model;
  char *practice_id;
  GCancellable *cancellable;
};

G_DEFINE_FINAL_TYPE (SignpostFailedContacts, signpost_failed_contacts, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

static const SignpostFollowUp follow_ups[] = {
  SIGNPOST_FOLLOW_UP_TEXT,
  SIGNPOST_FOLLOW_UP_LETTER,
  SIGNPOST_FOLLOW_UP_DUTY_REVIEW,
  SIGNPOST_FOLLOW_UP_REACHED,
};

/* What the policy says to do, as an instruction. */
static const char *
next_step_text (SignpostFollowUp step)
{
  switch (step)
    {
    case SIGNPOST_FOLLOW_UP_TEXT:
      return _("Send a text asking them to ring the practice");
    case SIGNPOST_FOLLOW_UP_DUTY_REVIEW:
      return _("Urgent: pass to the duty doctor to review");
    case SIGNPOST_FOLLOW_UP_LETTER:
    case SIGNPOST_FOLLOW_UP_REACHED:
    case SIGNPOST_FOLLOW_UP_NONE:
    default:
      return _("Send a letter asking them to ring the practice");
    }
}

/* What was done, as a menu item. */
static const char *
done_text (SignpostFollowUp follow_up)
{
  switch (follow_up)
    {
    case SIGNPOST_FOLLOW_UP_TEXT:
      return _("Text Sent");
    case SIGNPOST_FOLLOW_UP_LETTER:
      return _("Letter Sent");
    case SIGNPOST_FOLLOW_UP_DUTY_REVIEW:
      return _("Passed to the Duty Doctor");
    case SIGNPOST_FOLLOW_UP_REACHED:
      return _("Reached Them After All");
    case SIGNPOST_FOLLOW_UP_NONE:
    default:
      return "";
    }
}

static SignpostTriage *
request_of (SignpostFailedContacts *self,
            SignpostCall           *call)
{
  const char *triage_id = signpost_call_get_triage_id (call);

  return triage_id != NULL ? signpost_cache_get_record (self->cache, SIGNPOST_RECORD_TRIAGE, triage_id, NULL) : NULL;
}

/* Who: the patient the navigator linked, else the number's matches. */
static char *
describe_who (SignpostFailedContacts *self,
              SignpostCall           *call)
{
  const char *patient_id = signpost_call_get_patient_id (call);
  const char *number = signpost_call_get_number (call);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GPtrArray) patients = NULL;

  if (patient_id != NULL)
    {
      g_autoptr(SignpostPatient) patient = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT,
                                                                       patient_id, NULL);
      if (patient != NULL)
        {
          patients = g_ptr_array_new_with_free_func (g_object_unref);
          g_ptr_array_add (patients, g_steal_pointer (&patient));
        }
    }
  if (patients == NULL && number != NULL)
    {
      g_autoptr(GError) error = NULL;

      patients = signpost_cache_find_patients_by_phone (self->cache, number, &error);
      if (patients == NULL)
        g_warning ("Could not look a caller up on this PC: %s", error->message);
    }
  if (number == NULL && (patients == NULL || patients->len == 0))
    return g_strdup (_("Number withheld"));
  return signpost_call_describe_caller (number ? number : "", patients, now);
}

/* "Tried 09:02 and 09:31" */
static char *
describe_tries (SignpostFailedContacts *self,
                SignpostCall           *call)
{
  g_autoptr(GTimeZone) tz = signpost_practice_time_zone (self->cache,
                                                         signpost_record_get_practice_id (SIGNPOST_RECORD (call)));
  GDateTime *first = signpost_call_get_callback_first_attempt_at (call);
  GDateTime *last = signpost_call_get_callback_done_at (call);
  g_autofree char *first_text = first ? signpost_format_local (first, tz, "%H:%M") : NULL;
  g_autofree char *last_text = last ? signpost_format_local (last, tz, "%H:%M") : NULL;
  gint64 tries = signpost_call_get_callback_attempts (call);

  if (first_text != NULL && last_text != NULL)
    /* Translators: a failed contact's two callbacks: "Tried 09:02 and 09:31" */
    return g_strdup_printf (_("Tried %s and %s"), first_text, last_text);
  if (last_text != NULL)
    /* Translators: "Tried twice, last at 09:31" */
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Tried %d time, last at %s", "Tried %d times, last at %s",
                                         (gulong) tries),
                            (int) tries, last_text);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Tried %d time", "Tried %d times", (gulong) tries),
                          (int) tries);
}

static char *
describe_urgency (SignpostTriage *triage)
{
  if (triage == NULL)
    return g_strdup (_("Urgency not assessed"));
  /* Translators: "Urgency: RED" */
  return g_strdup_printf (_("Urgency: %s"), signpost_triage_format_urgency_badge (signpost_triage_get_urgency (triage)));
}

char *
signpost_failed_contacts_describe (SignpostFailedContacts *self,
                                   guint                   position)
{
  g_autoptr(SignpostCall) call = NULL;
  g_autoptr(SignpostTriage) triage = NULL;
  g_autofree char *who = NULL;
  g_autofree char *number = NULL;
  g_autofree char *tries = NULL;
  g_autofree char *urgency = NULL;

  g_return_val_if_fail (SIGNPOST_IS_FAILED_CONTACTS (self), NULL);

  if (self->model == NULL)
    return NULL;
  call = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  if (call == NULL)
    return NULL;
  triage = request_of (self, call);
  who = describe_who (self, call);
  number = signpost_call_format_number (call);
  tries = describe_tries (self, call);
  urgency = describe_urgency (triage);
  /* Translators: a failed contact: who, number, tries, urgency, then the policy's next step */
  return g_strdup_printf (_("%s, %s. %s. %s. Next: %s."), who, number, tries, urgency,
                          next_step_text (signpost_failed_contact_next_step (call, triage)));
}

/* ---- recording the follow-up ----------------------------------------------------- */

static void
recorded (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(SignpostFailedContacts) self = user_data;
  g_autoptr(SignpostCall) call = NULL;
  g_autoptr(GError) error = NULL;

  call = signpost_actions_record_follow_up_finish (SIGNPOST_ACTIONS (source), result, &error);
  if (call == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        signpost_call_show_toast (GTK_WIDGET (self), error->message);
      return;
    }
  /* Translators: "Follow-up recorded: Text Sent." */
  {
    g_autofree char *message = g_strdup_printf (_("Follow-up recorded: %s."),
                                                done_text (signpost_call_get_follow_up (call)));
    signpost_call_show_toast (GTK_WIDGET (self), message);
  }
}

void
signpost_failed_contacts_record (SignpostFailedContacts *self,
                                 const char             *call_id,
                                 SignpostFollowUp        follow_up)
{
  g_return_if_fail (SIGNPOST_IS_FAILED_CONTACTS (self));
  g_return_if_fail (call_id != NULL);

  if (self->actions == NULL || follow_up == SIGNPOST_FOLLOW_UP_NONE)
    return;
  signpost_actions_record_follow_up_async (self->actions, call_id, follow_up, self->cancellable,
                                           recorded, g_object_ref (self));
}

static void
follow_up_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  const char *call_id = NULL;
  const char *nick = NULL;
  int follow_up;

  g_variant_get (parameter, "(&s&s)", &call_id, &nick);
  if (signpost_enum_from_nick (SIGNPOST_TYPE_FOLLOW_UP, nick, &follow_up))
    signpost_failed_contacts_record (SIGNPOST_FAILED_CONTACTS (widget), call_id, follow_up);
}

/* ---- the rows ------------------------------------------------------------------------ */

static GtkWidget *
new_label (const char *text,
           const char *css_class)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  if (css_class != NULL)
    gtk_widget_add_css_class (label, css_class);
  return label;
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  SignpostFailedContacts *self = user_data;
  SignpostCall *call = item;
  const char *call_id = signpost_record_get_id (SIGNPOST_RECORD (call));
  g_autoptr(SignpostTriage) triage = request_of (self, call);
  SignpostFollowUp step = signpost_failed_contact_next_step (call, triage);
  g_autofree char *who = describe_who (self, call);
  g_autofree char *number = signpost_call_format_number (call);
  g_autofree char *tries = describe_tries (self, call);
  g_autofree char *urgency = describe_urgency (triage);
  g_autofree char *details = NULL;
  g_autofree char *next = NULL;
  g_autofree char *button_name = NULL;
  g_autofree char *row_name = NULL;
  g_autoptr(GMenu) menu = g_menu_new ();
  GtkWidget *row, *box, *text, *button;

  /* Translators: a failed contact's details: "07700 900123 · Tried 09:02 and 09:31 · Urgency not assessed" */
  details = g_strdup_printf (_("%s · %s · %s"), number, tries, urgency);
  /* Translators: the failed-contact policy's next step for this caller */
  next = g_strdup_printf (_("Next, as the policy says: %s"), next_step_text (step));

  /* The policy's step first, then the others. */
  {
    g_autofree char *label = g_strdup_printf (_("%s (as the policy says)"), done_text (step));
    g_autoptr(GMenuItem) first = g_menu_item_new (label, NULL);

    g_menu_item_set_action_and_target (first, "failed.follow-up", "(ss)", call_id,
                                       signpost_enum_to_nick (SIGNPOST_TYPE_FOLLOW_UP, step));
    g_menu_append_item (menu, first);
  }
  for (guint i = 0; i < G_N_ELEMENTS (follow_ups); i++)
    if (follow_ups[i] != step)
      {
        g_autoptr(GMenuItem) other = g_menu_item_new (done_text (follow_ups[i]), NULL);

        g_menu_item_set_action_and_target (other, "failed.follow-up", "(ss)", call_id,
                                           signpost_enum_to_nick (SIGNPOST_TYPE_FOLLOW_UP, follow_ups[i]));
        g_menu_append_item (menu, other);
      }

  box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  gtk_widget_set_margin_top (box, 8);
  gtk_widget_set_margin_bottom (box, 8);
  gtk_widget_set_margin_start (box, 10);
  gtk_widget_set_margin_end (box, 10);
  text = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  gtk_widget_set_hexpand (text, TRUE);
  gtk_box_append (GTK_BOX (text), new_label (who, "heading"));
  gtk_box_append (GTK_BOX (text), new_label (details, "numeric"));
  gtk_box_append (GTK_BOX (text), new_label (next, step == SIGNPOST_FOLLOW_UP_DUTY_REVIEW ? "error" : NULL));
  gtk_box_append (GTK_BOX (box), text);

  button = gtk_menu_button_new ();
  gtk_menu_button_set_label (GTK_MENU_BUTTON (button), _("_Record Follow-up"));
  gtk_menu_button_set_use_underline (GTK_MENU_BUTTON (button), TRUE);
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  /* Translators: the follow-up button, read out: "Record the follow-up for SMITH, Ann (45y)" */
  button_name = g_strdup_printf (_("Record the follow-up for %s"), who);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, button_name, -1);
  gtk_box_append (GTK_BOX (box), button);

  row = gtk_list_box_row_new ();
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), FALSE);
  /* Translators: a failed contact, read out: who, details, next step */
  row_name = g_strdup_printf (_("%s, %s. %s"), who, details, next);
  gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, row_name, -1);
  return row;
}

/* ---- the list ---------------------------------------------------------------------- */

static void
update_heading (SignpostFailedContacts *self)
{
  guint n = signpost_failed_contacts_get_n_items (self);
  g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Failed contacts: %u",
                                                        "Failed contacts: %u", n), n);

  gtk_label_set_text (self->heading, text);
  gtk_stack_set_visible_child_name (self->stack, n > 0 ? "list" : "empty");
}

static void
on_items_changed (SignpostFailedContacts *self)
{
  update_heading (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
on_records_changed (SignpostFailedContacts *self,
                    GPtrArray              *changed,
                    GPtrArray              *removed)
{
  gboolean redraw = FALSE;

  /* Rows name patients and requests: redraw when those change. */
  for (guint i = 0; i < changed->len && !redraw; i++)
    {
      SignpostRecordKind kind = signpost_record_get_kind (g_ptr_array_index (changed, i));
      redraw = kind == SIGNPOST_RECORD_PATIENT || kind == SIGNPOST_RECORD_TRIAGE;
    }
  if (redraw && self->model != NULL)
    gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->model), create_row, self, NULL);
}

static void
set_cache (SignpostFailedContacts *self,
           SignpostCache          *cache)
{
  if (self->cache == cache)
    return;
  if (self->cache != NULL)
    g_signal_handlers_disconnect_by_data (self->cache, self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
  g_clear_object (&self->model);
  g_set_object (&self->cache, cache);
  if (cache != NULL)
    {
      self->model = signpost_call_list_model_new (cache, SIGNPOST_CALL_LIST_FAILED_CONTACTS);
      signpost_call_list_model_set_practice_id (self->model, self->practice_id);
      g_signal_connect_swapped (self->model, "items-changed", G_CALLBACK (on_items_changed), self);
      g_signal_connect_swapped (cache, "records-changed", G_CALLBACK (on_records_changed), self);
      gtk_list_box_bind_model (self->list, G_LIST_MODEL (self->model), create_row, self, NULL);
    }
  on_items_changed (self);
}

static void
on_cache_changed (SignpostFailedContacts *self)
{
  set_cache (self, self->actions ? signpost_actions_get_cache (self->actions) : NULL);
}

void
signpost_failed_contacts_set_actions (SignpostFailedContacts *self,
                                      SignpostActions        *actions)
{
  g_return_if_fail (SIGNPOST_IS_FAILED_CONTACTS (self));

  if (self->actions == actions)
    return;
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  g_set_object (&self->actions, actions);
  if (actions != NULL)
    g_signal_connect_swapped (actions, "notify::cache", G_CALLBACK (on_cache_changed), self);
  on_cache_changed (self);
}

void
signpost_failed_contacts_set_practice_id (SignpostFailedContacts *self,
                                          const char             *practice_id)
{
  g_return_if_fail (SIGNPOST_IS_FAILED_CONTACTS (self));

  g_free (self->practice_id);
  self->practice_id = g_strdup (practice_id);
  if (self->model != NULL)
    signpost_call_list_model_set_practice_id (self->model, practice_id);
}

GListModel *
signpost_failed_contacts_get_model (SignpostFailedContacts *self)
{
  g_return_val_if_fail (SIGNPOST_IS_FAILED_CONTACTS (self), NULL);
  return self->model ? G_LIST_MODEL (self->model) : NULL;
}

guint
signpost_failed_contacts_get_n_items (SignpostFailedContacts *self)
{
  g_return_val_if_fail (SIGNPOST_IS_FAILED_CONTACTS (self), 0);
  return self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
}

/* ---- the object ---------------------------------------------------------------------- */

static void
signpost_failed_contacts_get_property (GObject    *object,
                                       guint       prop_id,
                                       GValue     *value,
                                       GParamSpec *pspec)
{
  SignpostFailedContacts *self = SIGNPOST_FAILED_CONTACTS (object);

  switch (prop_id)
    {
    case PROP_N_ITEMS:
      g_value_set_uint (value, signpost_failed_contacts_get_n_items (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_failed_contacts_dispose (GObject *object)
{
  SignpostFailedContacts *self = SIGNPOST_FAILED_CONTACTS (object);

  g_cancellable_cancel (self->cancellable);
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  if (self->list != NULL)
    set_cache (self, NULL);
  g_clear_object (&self->actions);
  g_clear_object (&self->cancellable);

  G_OBJECT_CLASS (signpost_failed_contacts_parent_class)->dispose (object);
}

static void
signpost_failed_contacts_finalize (GObject *object)
{
  SignpostFailedContacts *self = SIGNPOST_FAILED_CONTACTS (object);

  g_free (self->practice_id);

  G_OBJECT_CLASS (signpost_failed_contacts_parent_class)->finalize (object);
}

static void
signpost_failed_contacts_class_init (SignpostFailedContactsClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = signpost_failed_contacts_get_property;
  object_class->dispose = signpost_failed_contacts_dispose;
  object_class->finalize = signpost_failed_contacts_finalize;

  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_install_action (widget_class, "failed.follow-up", "(ss)", follow_up_action);
}

static void
signpost_failed_contacts_init (SignpostFailedContacts *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
  GtkWidget *empty, *scrolled;

  self->cancellable = g_cancellable_new ();

  self->heading = GTK_LABEL (new_label (NULL, "heading"));
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->heading));
  gtk_box_append (GTK_BOX (box), new_label (_("Two callbacks found nobody. Follow each up as the practice’s "
                                              "failed-contact policy says, then record it."),
                                            "dim-label"));
  gtk_widget_add_css_class (gtk_widget_get_last_child (box), "caption");

  self->stack = GTK_STACK (gtk_stack_new ());
  gtk_widget_set_vexpand (GTK_WIDGET (self->stack), TRUE);
  empty = new_label (_("Nobody to follow up."), "dim-label");
  gtk_widget_set_valign (empty, GTK_ALIGN_START);
  gtk_stack_add_named (self->stack, empty, "empty");

  self->list = GTK_LIST_BOX (gtk_list_box_new ());
  gtk_list_box_set_selection_mode (self->list, GTK_SELECTION_NONE);
  gtk_widget_add_css_class (GTK_WIDGET (self->list), "boxed-list");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->list), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Failed contacts to follow up"), -1);
  scrolled = gtk_scrolled_window_new ();
  gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scrolled), GTK_POLICY_NEVER, GTK_POLICY_AUTOMATIC);
  gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scrolled), TRUE);
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scrolled), GTK_WIDGET (self->list));
  gtk_stack_add_named (self->stack, scrolled, "list");
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->stack));

  adw_bin_set_child (ADW_BIN (self), box);
  update_heading (self);
}

SignpostFailedContacts *
signpost_failed_contacts_new (void)
{
  return g_object_new (SIGNPOST_TYPE_FAILED_CONTACTS, NULL);
}
