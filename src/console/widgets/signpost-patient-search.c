/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-accessible.h"
#include "signpost-patient-format.h"
#include "signpost-patient-search.h"

enum {
  PATIENT_ACTIVATED,
  CLOSED,
  N_SIGNALS
};

typedef enum {
  COLUMN_NAME,
  COLUMN_BORN,
  COLUMN_NHS,
  COLUMN_POSTCODE,
  COLUMN_PRACTICE,
  COLUMN_ALERTS,
} Column;

struct _SignpostPatientSearch
{
  AdwBin parent_instance;

  GtkSearchEntry *entry;
  GtkLabel *status_label;
  GtkCheckButton *include_left_check;
  GtkStack *results_stack;
  AdwStatusPage *empty_page;
  GtkColumnView *column_view;
  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *born_column;
  GtkColumnViewColumn *nhs_column;
  GtkColumnViewColumn *postcode_column;
  GtkColumnViewColumn *practice_column;
  GtkColumnViewColumn *alerts_column;

  SignpostActions    *actions;
  SignpostPatientSearchModel *model;
  GtkSingleSelection *selection;
  GBinding *practice_binding;
  gulong cache_handler;
};

G_DEFINE_FINAL_TYPE (SignpostPatientSearch, signpost_patient_search, ADW_TYPE_BIN)

static guint signals[N_SIGNALS];

static void
update_status (SignpostPatientSearch *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->entry));
  guint n = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  g_autofree char *status = NULL;

  if (*text == '\0')
    {
      gtk_stack_set_visible_child_name (self->results_stack, "hint");
      gtk_label_set_text (self->status_label, "");
      return;
    }
  if (n == 0)
    {
      g_autofree char *description = NULL;

      if (gtk_check_button_get_active (self->include_left_check))
        description = g_strdup_printf (_("Nothing on this PC matches “%s”. Check the spelling, or try the "
                                         "NHS number or date of birth."), text);
      else
        description = g_strdup_printf (_("No patient registered with the practice matches “%s”. Check the "
                                         "spelling, or try the NHS number or date of birth. Patients who have "
                                         "left the practice are found only when “Include patients who have "
                                         "left the practice” is ticked."), text);
      adw_status_page_set_description (self->empty_page, description);
      gtk_stack_set_visible_child_name (self->results_stack, "empty");
      gtk_label_set_text (self->status_label, _("No patient found"));
      return;
    }
  gtk_stack_set_visible_child_name (self->results_stack, "results");
  if (signpost_patient_search_model_get_more (self->model))
    status = g_strdup_printf (_("The first %u matches, best first. Type more to narrow them down."), n);
  else
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u patient found", "%u patients found", n), n);
  {
    g_autoptr(GHashTable) namesakes = signpost_patients_find_namesakes (G_LIST_MODEL (self->model));

    /* Found together, a name and a date of birth do not tell them apart. */
    if (g_hash_table_size (namesakes) > 0)
      {
        const char *warning = _("Some have the same name and date of birth: ask for a second identifier, "
                                "postcode or NHS number.");
        g_autofree char *more = g_str_has_suffix (status, ".") ? g_strdup_printf ("%s %s", status, warning)
                                                               : g_strdup_printf ("%s. %s", status, warning);
        g_free (status);
        status = g_steal_pointer (&more);
      }
  }
  gtk_label_set_text (self->status_label, status);
}

static void
on_items_changed (SignpostPatientSearch *self)
{
  update_status (self);
}

static void
on_search_changed (SignpostPatientSearch *self)
{
  if (self->model == NULL)
    return;
  signpost_patient_search_model_set_query (self->model, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    gtk_single_selection_set_selected (self->selection, 0);
  update_status (self);
}

static void
on_include_left_toggled (SignpostPatientSearch *self)
{
  if (self->model == NULL)
    return;
  signpost_patient_search_model_set_include_left (self->model,
                                                  gtk_check_button_get_active (self->include_left_check));
  if (g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    gtk_single_selection_set_selected (self->selection, 0);
  update_status (self);
}

static void
activate_position (SignpostPatientSearch *self,
                   guint                  position)
{
  g_autoptr(SignpostPatient) patient = NULL;

  if (self->model == NULL || position == GTK_INVALID_LIST_POSITION)
    return;
  patient = g_list_model_get_item (G_LIST_MODEL (self->model), position);
  if (patient != NULL)
    g_signal_emit (self, signals[PATIENT_ACTIVATED], 0, patient);
}

static void
on_entry_activate (SignpostPatientSearch *self)
{
  signpost_patient_search_activate_selected (self);
}

static void
on_row_activate (SignpostPatientSearch *self,
                 guint                  position)
{
  activate_position (self, position);
}

static void
on_stop_search (SignpostPatientSearch *self)
{
  g_signal_emit (self, signals[CLOSED], 0);
}

/* Up and Down move through the results while typing carries on. */
static gboolean
on_entry_key_pressed (GtkEventControllerKey *controller,
                      guint                  keyval,
                      guint                  keycode,
                      GdkModifierType        state,
                      SignpostPatientSearch *self)
{
  guint n = self->model ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  guint selected = gtk_single_selection_get_selected (self->selection);

  if (n == 0)
    return FALSE;
  if (keyval == GDK_KEY_Down || keyval == GDK_KEY_KP_Down)
    {
      selected = selected == GTK_INVALID_LIST_POSITION ? 0 : MIN (selected + 1, n - 1);
      gtk_single_selection_set_selected (self->selection, selected);
      return TRUE;
    }
  if (keyval == GDK_KEY_Up || keyval == GDK_KEY_KP_Up)
    {
      selected = selected == GTK_INVALID_LIST_POSITION || selected == 0 ? 0 : selected - 1;
      gtk_single_selection_set_selected (self->selection, selected);
      return TRUE;
    }
  return FALSE;
}

/* ---- cells ------------------------------------------------------------------ */

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_inscription_new (NULL);

  gtk_inscription_set_text_overflow (GTK_INSCRIPTION (label), GTK_INSCRIPTION_OVERFLOW_ELLIPSIZE_END);
  gtk_inscription_set_min_lines (GTK_INSCRIPTION (label), 1);
  gtk_widget_add_css_class (label, "cell");
  gtk_list_item_set_child (item, label);
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           SignpostPatientSearch    *self)
{
  Column column = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), "column"));
  SignpostPatient *patient = gtk_list_item_get_item (item);
  GtkInscription *label = GTK_INSCRIPTION (gtk_list_item_get_child (item));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *text = NULL;
  g_autofree char *tooltip = NULL;

  switch (column)
    {
    case COLUMN_NAME:
      {
        g_autofree char *name = signpost_patient_format_name (patient);
        g_autofree char *description = signpost_patient_describe (patient, now);
        /* Changed here and not yet on the server: say so, in words;
         * likewise a patient who is no longer on the practice's list. */
        if (signpost_cache_record_is_pending (SIGNPOST_RECORD (patient)))
          text = g_strdup_printf (_("%s (not yet sent)"), name);
        else if (signpost_patient_get_left_at (patient) != NULL)
          /* Translators: a patient's name in the search results, when they are no longer on the practice list */
          text = g_strdup_printf (_("%s (left the practice)"), name);
        else
          text = g_steal_pointer (&name);
        gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                        description, -1);
      }
      break;
    case COLUMN_BORN:
      text = signpost_patient_format_born (patient, now);
      break;
    case COLUMN_NHS:
      text = signpost_patient_format_nhs (patient);
      break;
    case COLUMN_POSTCODE:
      text = g_strdup (signpost_patient_get_postcode (patient));
      break;
    case COLUMN_PRACTICE:
      text = g_strdup (signpost_cache_get_practice_name (signpost_actions_get_cache (self->actions),
                                                         signpost_record_get_practice_id (SIGNPOST_RECORD (patient))));
      break;
    case COLUMN_ALERTS:
      text = signpost_patient_format_alerts (patient);
      {
        g_autofree char *namesakes =
          signpost_patient_format_namesakes (patient, signpost_actions_get_cache (self->actions));

        if (namesakes != NULL)
          {
            /* Short in the cell; the whole warning is its tooltip. */
            const char *short_text = _("Same name and date of birth: check postcode or NHS number");
            g_autofree char *both = *text != '\0' ? g_strdup_printf ("%s · %s", short_text, text)
                                                  : g_strdup (short_text);

            tooltip = g_steal_pointer (&namesakes);
            g_free (text);
            text = g_steal_pointer (&both);
          }
      }
      gtk_widget_set_tooltip_text (GTK_WIDGET (label), tooltip ? tooltip : *text != '\0' ? text : NULL);
      if (*text != '\0')
        gtk_widget_add_css_class (GTK_WIDGET (label), "alert-cell");
      else
        gtk_widget_remove_css_class (GTK_WIDGET (label), "alert-cell");
      break;
    default:
      break;
    }
  gtk_inscription_set_text (label, text);
}

static void
set_factory (SignpostPatientSearch *self,
             GtkColumnViewColumn   *column,
             Column                 which)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  g_object_set_data (G_OBJECT (factory), "column", GINT_TO_POINTER (which));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
  gtk_column_view_column_set_factory (column, factory);
}

/* ---- the model follows the signed-in user's cache ------------------------------- */

static void
on_cache_changed (SignpostPatientSearch *self)
{
  SignpostCache *cache = self->actions ? signpost_actions_get_cache (self->actions) : NULL;

  g_clear_pointer (&self->practice_binding, g_binding_unbind);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_func (self->model, on_items_changed, self);
  g_clear_object (&self->model);
  if (cache != NULL)
    {
      self->model = signpost_patient_search_model_new (cache);
      signpost_patient_search_model_set_include_left (self->model,
                                                      gtk_check_button_get_active (self->include_left_check));
      signpost_patient_search_model_set_query (self->model, gtk_editable_get_text (GTK_EDITABLE (self->entry)));
      g_signal_connect_swapped (self->model, "items-changed", G_CALLBACK (on_items_changed), self);
      self->practice_binding = g_object_bind_property (self->actions, "practice-id", self->model, "practice-id",
                                                       G_BINDING_SYNC_CREATE);
    }
  gtk_single_selection_set_model (self->selection, G_LIST_MODEL (self->model));
  update_status (self);
}

static void
signpost_patient_search_dispose (GObject *object)
{
  SignpostPatientSearch *self = SIGNPOST_PATIENT_SEARCH (object);

  if (self->actions != NULL)
    g_clear_signal_handler (&self->cache_handler, self->actions);
  g_clear_pointer (&self->practice_binding, g_binding_unbind);
  g_clear_object (&self->actions);
  g_clear_object (&self->model);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_PATIENT_SEARCH);
  g_clear_object (&self->selection);

  G_OBJECT_CLASS (signpost_patient_search_parent_class)->dispose (object);
}

static void
signpost_patient_search_class_init (SignpostPatientSearchClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signpost_accessible_init ();
  object_class->dispose = signpost_patient_search_dispose;

  signals[PATIENT_ACTIVATED] =
    g_signal_new ("patient-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SIGNPOST_TYPE_PATIENT);
  signals[CLOSED] =
    g_signal_new ("closed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/signpost/Signpost/signpost-patient-search.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSearch, entry);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSearch, status_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSearch, include_left_check);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSearch, results_stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSearch, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSearch, column_view);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSearch, name_column);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSearch, born_column);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSearch, nhs_column);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSearch, postcode_column);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSearch, practice_column);
  gtk_widget_class_bind_template_child (widget_class, SignpostPatientSearch, alerts_column);
  gtk_widget_class_bind_template_callback (widget_class, on_search_changed);
  gtk_widget_class_bind_template_callback (widget_class, on_entry_activate);
  gtk_widget_class_bind_template_callback (widget_class, on_stop_search);
  gtk_widget_class_bind_template_callback (widget_class, on_include_left_toggled);
  gtk_widget_class_bind_template_callback (widget_class, on_row_activate);
}

static void
signpost_patient_search_init (SignpostPatientSearch *self)
{
  GtkEventController *keys;

  gtk_widget_init_template (GTK_WIDGET (self));

  self->selection = gtk_single_selection_new (NULL);
  gtk_single_selection_set_autoselect (self->selection, TRUE);
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  set_factory (self, self->name_column, COLUMN_NAME);
  set_factory (self, self->born_column, COLUMN_BORN);
  set_factory (self, self->nhs_column, COLUMN_NHS);
  set_factory (self, self->postcode_column, COLUMN_POSTCODE);
  set_factory (self, self->practice_column, COLUMN_PRACTICE);
  set_factory (self, self->alerts_column, COLUMN_ALERTS);

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_entry_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self->entry), keys);
  gtk_search_entry_set_key_capture_widget (self->entry, GTK_WIDGET (self));
  update_status (self);
}

void
signpost_patient_search_set_actions (SignpostPatientSearch *self,
                                    SignpostActions       *actions)
{
  g_return_if_fail (SIGNPOST_IS_PATIENT_SEARCH (self));

  if (self->actions != NULL)
    g_clear_signal_handler (&self->cache_handler, self->actions);
  g_set_object (&self->actions, actions);
  if (actions != NULL)
    self->cache_handler = g_signal_connect_swapped (actions, "notify::cache",
                                                    G_CALLBACK (on_cache_changed), self);
  on_cache_changed (self);
}

void
signpost_patient_search_focus (SignpostPatientSearch *self)
{
  g_return_if_fail (SIGNPOST_IS_PATIENT_SEARCH (self));

  gtk_widget_grab_focus (GTK_WIDGET (self->entry));
  gtk_editable_select_region (GTK_EDITABLE (self->entry), 0, -1);
}

void
signpost_patient_search_set_text (SignpostPatientSearch *self,
                                  const char            *text)
{
  g_return_if_fail (SIGNPOST_IS_PATIENT_SEARCH (self));

  gtk_editable_set_text (GTK_EDITABLE (self->entry), text ? text : "");
  /* Search now rather than after the typing delay. */
  on_search_changed (self);
}

void
signpost_patient_search_clear (SignpostPatientSearch *self)
{
  signpost_patient_search_set_text (self, "");
}

GListModel *
signpost_patient_search_get_results (SignpostPatientSearch *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PATIENT_SEARCH (self), NULL);
  return G_LIST_MODEL (self->selection);
}

void
signpost_patient_search_activate_selected (SignpostPatientSearch *self)
{
  guint selected;

  g_return_if_fail (SIGNPOST_IS_PATIENT_SEARCH (self));

  selected = gtk_single_selection_get_selected (self->selection);
  if (selected == GTK_INVALID_LIST_POSITION && self->model != NULL &&
      g_list_model_get_n_items (G_LIST_MODEL (self->model)) > 0)
    selected = 0;
  activate_position (self, selected);
}

const char *
signpost_patient_search_get_status (SignpostPatientSearch *self)
{
  g_return_val_if_fail (SIGNPOST_IS_PATIENT_SEARCH (self), NULL);

  return gtk_label_get_text (self->status_label);
}

/* Whether patients who left the practice are found too: the box the user
 * ticks, for pages and tests that set it themselves. */
void
signpost_patient_search_set_include_left (SignpostPatientSearch *self,
                                          gboolean               include_left)
{
  g_return_if_fail (SIGNPOST_IS_PATIENT_SEARCH (self));

  gtk_check_button_set_active (self->include_left_check, include_left);
}
