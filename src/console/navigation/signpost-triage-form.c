/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "signpost-navigation.h"
#include "signpost-patient-format.h"
#include "signpost-request-details.h"
#include "signpost-request-format.h"
#include "signpost-triage-format.h"
#include "signpost-triage-form.h"

/* Rows of the "Route to" list. */
enum {
  ROUTE_ROW_CLINICIAN,
  ROUTE_ROW_DUTY,
  ROUTE_ROW_PROFESSION,
  ROUTE_ROW_SIGNPOST,
};

#define N_PROFESSIONS (SIGNPOST_PROFESSION_SOCIAL_PRESCRIBER + 1)
#define N_SIGNPOSTS (SIGNPOST_SIGNPOST_SEXUAL_HEALTH + 1)
#define N_OUTCOMES (SIGNPOST_OUTCOME_FAILED_CONTACT + 1)
#define DRAFT_DELAY_MS 400
#define PATIENT_RESULTS 5

struct _SignpostTriageForm
{
  AdwWindow parent_instance;

  /* template */
  AdwWindowTitle *window_title;
  GtkRevealer *red_flag_revealer;
  GtkLabel *red_flag_title;
  GtkLabel *red_flag_detail;
  AdwToastOverlay *toast_overlay;
  GtkScrolledWindow *scroller;
  GtkLabel *patient_label;
  GtkLabel *patient_detail;
  GtkLabel *patient_alerts;
  GtkLabel *patient_search_label;
  GtkSearchEntry *patient_entry;
  GtkListBox *patient_results;
  GtkDropDown *relationship_dropdown;
  GtkLabel *caller_name_label;
  GtkEntry *caller_name_entry;
  GtkTextView *reason_view;
  GtkLabel *reason_error;
  GtkLabel *red_flags_heading;
  GtkBox *red_flags_box;
  GtkCheckButton *red_check;
  GtkCheckButton *amber_check;
  GtkCheckButton *green_check;
  GtkLabel *urgency_note;
  GtkRevealer *pharmacy_revealer;
  GtkLabel *pharmacy_label;
  GtkBox *pharmacy_buttons;
  GtkDropDown *route_dropdown;
  GtkLabel *target_label;
  GtkStack *target_stack;
  GtkDropDown *clinician_dropdown;
  GtkLabel *duty_label;
  GtkDropDown *profession_dropdown;
  GtkDropDown *signpost_dropdown;
  GtkLabel *route_hint;
  GtkDropDown *contact_dropdown;
  GtkEntry *number_entry;
  GtkLabel *number_hint;
  GtkTextView *notes_view;
  GtkDropDown *outcome_dropdown;
  GtkWidget *find_slot_button;
  GtkImage *state_icon;
  GtkLabel *state_label;
  SignpostRequestDetails *request_details;

  SignpostActions    *actions;
  SignpostCache *cache;
  SignpostPatientSearchModel *search_model;

  char *triage_id;
  char *call_id;
  char *practice_id;
  SignpostTriage *original;      /* as last saved or loaded; NULL: never saved */
  SignpostPatient *patient;
  GPtrArray *clinicians;         /* SignpostClinician of the practice */
  GPtrArray *clinician_ids;      /* char*, the clinician list's rows */
  GPtrArray *flag_checks;        /* GtkCheckButton, "flag-key" data */
  char *usual_gp_id;

  char *pharmacy_first;          /* condition key suggested, NULL none */
  gboolean pharmacy_first_taken;
  gboolean pharmacy_dismissed;

  gboolean loading;              /* filling widgets: not the user typing */
  gboolean dirty;
  gboolean route_touched;
  gboolean outcome_touched;
  gboolean number_touched;
  /* A request that came by another channel (the online form) and that no
   * navigator has routed yet: urgency, route and outcome are decided
   * here as for a new one, and saving routes it as a call's would be. */
  gboolean navigating;
  gboolean closing;
  gboolean close_after_save;
  guint draft_source;
};

G_DEFINE_FINAL_TYPE (SignpostTriageForm, signpost_triage_form, ADW_TYPE_WINDOW)

static void update_red_flags (SignpostTriageForm *self);
static void update_pharmacy_first (SignpostTriageForm *self);
static void update_state (SignpostTriageForm *self);
static void rebuild_red_flags (SignpostTriageForm *self);
static void sync_outcome (SignpostTriageForm *self);

/* ---- small helpers ------------------------------------------------------------ */

static char *
text_view_get_text (GtkTextView *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (view);
  GtkTextIter start, end;

  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

static void
text_view_set_text (GtkTextView *view,
                    const char  *text)
{
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (view), text ? text : "", -1);
}

/* Trimmed; NULL when nothing is left. */
static char *
nonempty (char *text)
{
  if (text == NULL)
    return NULL;
  g_strstrip (text);
  if (*text == '\0')
    {
      g_free (text);
      return NULL;
    }
  return text;
}

static void
set_string_model (GtkDropDown *dropdown,
                  GStrv        labels)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new ((const char * const *) labels);

  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
}

static GDateTime *
now_utc (void)
{
  return g_date_time_new_now_utc ();
}

static GTimeZone *
practice_time_zone (SignpostTriageForm *self)
{
  g_autoptr(SignpostPractice) practice = NULL;
  const char *zone = NULL;

  if (self->cache != NULL && self->practice_id != NULL)
    practice = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PRACTICE, self->practice_id);
  if (practice != NULL)
    zone = signpost_practice_get_time_zone (practice);
  return signpost_time_zone_new (zone ? zone : SIGNPOST_DEFAULT_TIME_ZONE, NULL);
}

/* The patient's date of birth, or, for a request not matched yet, the
 * one it gives (the red flags to ask depend on the age). */
static const char *
date_of_birth (SignpostTriageForm *self)
{
  SignpostPatientDetails *stated = self->original ? signpost_triage_get_patient_details (self->original) : NULL;

  if (self->patient != NULL)
    return signpost_patient_get_date_of_birth (self->patient);
  return stated ? signpost_patient_details_get_date_of_birth (stated) : NULL;
}

static int
patient_age (SignpostTriageForm *self)
{
  g_autoptr(GDateTime) now = now_utc ();
  g_autoptr(GTimeZone) tz = practice_time_zone (self);

  if (date_of_birth (self) == NULL)
    return -1;
  return signpost_age_from_iso_date (date_of_birth (self), now, tz);
}

static GStrv
ticked_flags (SignpostTriageForm *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < self->flag_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->flag_checks, i);
      if (gtk_check_button_get_active (check))
        g_strv_builder_add (builder, g_object_get_data (G_OBJECT (check), "flag-key"));
    }
  return g_strv_builder_end (builder);
}

/* -1 when nothing is chosen yet: there is no default urgency, on purpose. */
static int
chosen_rag (SignpostTriageForm *self)
{
  if (gtk_check_button_get_active (self->red_check))
    return SIGNPOST_RAG_RED;
  if (gtk_check_button_get_active (self->amber_check))
    return SIGNPOST_RAG_AMBER;
  if (gtk_check_button_get_active (self->green_check))
    return SIGNPOST_RAG_GREEN;
  return -1;
}

static void
toast (SignpostTriageForm *self,
       const char         *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* ---- drafts ---------------------------------------------------------------------- */

static char *
draft_key (SignpostTriageForm *self)
{
  return g_strconcat ("triage:", self->triage_id, NULL);
}

static JsonObject *
draft_to_json (SignpostTriageForm *self)
{
  JsonObject *draft = json_object_new ();
  g_auto(GStrv) flags = ticked_flags (self);
  g_autoptr(JsonArray) flag_array = json_array_new ();
  g_autofree char *reason = text_view_get_text (self->reason_view);
  g_autofree char *notes = text_view_get_text (self->notes_view);
  guint clinician = gtk_drop_down_get_selected (self->clinician_dropdown);

  for (guint i = 0; flags[i] != NULL; i++)
    json_array_add_string_element (flag_array, flags[i]);
  json_object_set_string_member (draft, "triage_id", self->triage_id);
  json_object_set_string_member (draft, "call_id", self->call_id);
  json_object_set_string_member (draft, "patient_id",
                                 self->patient ? signpost_record_get_id (SIGNPOST_RECORD (self->patient)) : NULL);
  json_object_set_string_member (draft, "practice_id", self->practice_id);
  json_object_set_int_member (draft, "relationship", gtk_drop_down_get_selected (self->relationship_dropdown));
  json_object_set_string_member (draft, "caller_name", gtk_editable_get_text (GTK_EDITABLE (self->caller_name_entry)));
  json_object_set_string_member (draft, "reason", reason);
  json_object_set_array_member (draft, "red_flags", g_steal_pointer (&flag_array));
  json_object_set_int_member (draft, "rag", chosen_rag (self));
  json_object_set_int_member (draft, "route", gtk_drop_down_get_selected (self->route_dropdown));
  json_object_set_string_member (draft, "clinician_id",
                                 clinician < self->clinician_ids->len ? g_ptr_array_index (self->clinician_ids, clinician) : NULL);
  json_object_set_int_member (draft, "profession", gtk_drop_down_get_selected (self->profession_dropdown));
  json_object_set_int_member (draft, "signpost", gtk_drop_down_get_selected (self->signpost_dropdown));
  json_object_set_int_member (draft, "contact", gtk_drop_down_get_selected (self->contact_dropdown));
  json_object_set_string_member (draft, "number", gtk_editable_get_text (GTK_EDITABLE (self->number_entry)));
  json_object_set_string_member (draft, "notes", notes);
  json_object_set_int_member (draft, "outcome", gtk_drop_down_get_selected (self->outcome_dropdown));
  json_object_set_string_member (draft, "pharmacy_first", self->pharmacy_first);
  json_object_set_boolean_member (draft, "pharmacy_first_taken", self->pharmacy_first_taken);
  json_object_set_boolean_member (draft, "pharmacy_dismissed", self->pharmacy_dismissed);
  json_object_set_boolean_member (draft, "route_touched", self->route_touched);
  json_object_set_boolean_member (draft, "outcome_touched", self->outcome_touched);
  json_object_set_boolean_member (draft, "number_touched", self->number_touched);
  return draft;
}

static void
write_draft (SignpostTriageForm *self)
{
  g_autoptr(JsonObject) draft = NULL;
  g_autofree char *key = NULL;
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (!self->dirty || self->cache == NULL)
    return;
  draft = draft_to_json (self);
  key = draft_key (self);
  if (!signpost_cache_save_draft (self->cache, key, draft, &error))
    g_warning ("Could not keep the draft of %s: %s", key, error->message);
}

static gboolean
draft_timeout (gpointer data)
{
  SignpostTriageForm *self = data;

  self->draft_source = 0;
  write_draft (self);
  return G_SOURCE_REMOVE;
}

static void
forget_draft (SignpostTriageForm *self)
{
  g_autofree char *key = draft_key (self);

  g_clear_handle_id (&self->draft_source, g_source_remove);
  if (self->cache != NULL)
    signpost_cache_delete_draft (self->cache, key, NULL);
}

/* Something the user did: kept on disk within DRAFT_DELAY_MS, so a crash
 * loses at most the last moment's typing. */
static void
changed (SignpostTriageForm *self)
{
  if (self->loading)
    return;
  self->dirty = TRUE;
  if (self->draft_source == 0)
    self->draft_source = g_timeout_add (DRAFT_DELAY_MS, draft_timeout, self);
  update_state (self);
}

/* ---- state line -------------------------------------------------------------------- */

static void
update_state (SignpostTriageForm *self)
{
  g_autoptr(SignpostTriage) cached = NULL;
  const char *text;
  const char *icon;

  /* Not on every keystroke: while typing, the line does not need it. */
  if (!self->dirty && self->cache != NULL && self->original != NULL)
    cached = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_TRIAGE, self->triage_id);

  if (self->dirty)
    {
      text = self->original ? _("Changed: not saved yet. What you type is kept on this PC.")
                            : _("Not saved yet. What you type is kept on this PC.");
      icon = "document-edit-symbolic";
    }
  else if (cached != NULL && signpost_cache_record_is_pending (SIGNPOST_RECORD (cached)))
    {
      text = _("Saved on this PC; it goes to the server as soon as it can be reached.");
      icon = "network-offline-symbolic";
    }
  else if (cached != NULL)
    {
      text = signpost_triage_format_status (cached);
      icon = "object-select-symbolic";
    }
  else
    {
      text = _("Not saved yet.");
      icon = "document-edit-symbolic";
    }
  gtk_label_set_text (self->state_label, text);
  gtk_image_set_from_icon_name (self->state_icon, icon);
}

/* ---- patient ----------------------------------------------------------------------- */

static void
fill_clinicians (SignpostTriageForm *self)
{
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_auto(GStrv) strv = NULL;
  SignpostClinician *usual = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *previous = NULL;
  guint selected = GTK_INVALID_LIST_POSITION;
  gboolean was_loading = self->loading;

  if (self->clinician_ids->len > 0 &&
      gtk_drop_down_get_selected (self->clinician_dropdown) < self->clinician_ids->len)
    previous = g_strdup (g_ptr_array_index (self->clinician_ids,
                                            gtk_drop_down_get_selected (self->clinician_dropdown)));

  g_ptr_array_set_size (self->clinicians, 0);
  g_ptr_array_set_size (self->clinician_ids, 0);
  g_clear_pointer (&self->usual_gp_id, g_free);
  if (self->cache != NULL)
    {
      g_autoptr(GError) error = NULL;

      all = signpost_cache_list_records (self->cache, SIGNPOST_RECORD_CLINICIAN, &error);
      if (all == NULL)
        g_warning ("Could not read the clinicians: %s", error->message);
    }
  for (guint i = 0; all != NULL && i < all->len; i++)
    {
      SignpostRecord *clinician = g_ptr_array_index (all, i);
      if (self->practice_id == NULL ||
          g_strcmp0 (signpost_record_get_practice_id (clinician), self->practice_id) == 0)
        g_ptr_array_add (self->clinicians, g_object_ref (clinician));
    }

  if (self->patient != NULL)
    usual = signpost_navigation_find_usual_gp (self->patient, self->clinicians);
  /* The usual GP first, for continuity; then GPs; then everyone else. */
  for (guint pass = 0; pass < 3; pass++)
    for (guint i = 0; i < self->clinicians->len; i++)
      {
        SignpostClinician *clinician = g_ptr_array_index (self->clinicians, i);
        const char *id = signpost_record_get_id (SIGNPOST_RECORD (clinician));
        gboolean gp = signpost_clinician_get_profession (clinician) == SIGNPOST_PROFESSION_GP;
        g_autofree char *name = NULL;

        if ((pass == 0) != (clinician == usual) ||
            (pass == 1 && !gp) || (pass == 2 && gp))
          continue;
        name = signpost_triage_format_clinician (self->cache, id);
        if (clinician == usual)
          {
            /* Translators: the patient's usual GP in the list of clinicians */
            g_autofree char *marked = g_strdup_printf (_("%s — usual GP"), name);
            g_strv_builder_add (labels, marked);
            self->usual_gp_id = g_strdup (id);
          }
        else
          g_strv_builder_add (labels, name);
        g_ptr_array_add (self->clinician_ids, g_strdup (id));
        if (g_strcmp0 (id, previous) == 0)
          selected = self->clinician_ids->len - 1;
      }
  strv = g_strv_builder_end (labels);
  /* A new list is not the navigator choosing someone. */
  self->loading = TRUE;
  set_string_model (self->clinician_dropdown, strv);
  gtk_drop_down_set_selected (self->clinician_dropdown, selected != GTK_INVALID_LIST_POSITION ? selected : 0);
  self->loading = was_loading;
}

static void
select_clinician (SignpostTriageForm *self,
                  const char         *clinician_id)
{
  for (guint i = 0; i < self->clinician_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->clinician_ids, i), clinician_id) == 0)
      gtk_drop_down_set_selected (self->clinician_dropdown, i);
}

static void
update_route_hint (SignpostTriageForm *self)
{
  g_autoptr(GDateTime) now = now_utc ();
  SignpostClinician *duty = signpost_navigation_find_duty_doctor (self->clinicians, self->practice_id, now);
  g_autofree char *duty_name = duty ? signpost_triage_format_clinician (self->cache,
                                                                        signpost_record_get_id (SIGNPOST_RECORD (duty)))
                                    : NULL;
  g_autofree char *usual = self->usual_gp_id ? signpost_triage_format_clinician (self->cache, self->usual_gp_id) : NULL;
  g_autofree char *hint = NULL;
  guint row = gtk_drop_down_get_selected (self->route_dropdown);

  if (duty_name != NULL)
    /* Translators: who is the duty doctor now */
    hint = g_strdup_printf (_("On duty now: %s"), duty_name);
  else
    hint = g_strdup (_("The duty doctor on the rota sees it."));
  gtk_label_set_text (self->duty_label, hint);
  g_clear_pointer (&hint, g_free);

  switch (row)
    {
    case ROUTE_ROW_CLINICIAN:
      gtk_stack_set_visible_child_name (self->target_stack, "clinician");
      gtk_label_set_text_with_mnemonic (self->target_label, _("_Which clinician"));
      gtk_label_set_mnemonic_widget (self->target_label, GTK_WIDGET (self->clinician_dropdown));
      if (usual != NULL)
        hint = g_strdup_printf (_("Usual GP: %s. Keeping to the usual GP is better care when the request can wait."), usual);
      break;
    case ROUTE_ROW_PROFESSION:
      gtk_stack_set_visible_child_name (self->target_stack, "profession");
      gtk_label_set_text_with_mnemonic (self->target_label, _("_Which profession"));
      gtk_label_set_mnemonic_widget (self->target_label, GTK_WIDGET (self->profession_dropdown));
      break;
    case ROUTE_ROW_SIGNPOST:
      gtk_stack_set_visible_child_name (self->target_stack, "signpost");
      gtk_label_set_text_with_mnemonic (self->target_label, _("_Which service"));
      gtk_label_set_mnemonic_widget (self->target_label, GTK_WIDGET (self->signpost_dropdown));
      break;
    case ROUTE_ROW_DUTY:
    default:
      gtk_stack_set_visible_child_name (self->target_stack, "duty");
      gtk_label_set_text (self->target_label, _("Duty doctor"));
      if (usual != NULL)
        hint = g_strdup_printf (_("Usual GP: %s."), usual);
      break;
    }
  gtk_label_set_text (self->route_hint, hint ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->route_hint), hint != NULL);
}

/* The route continuity suggests, until the navigator picks one. */
static void
apply_default_route (SignpostTriageForm *self)
{
  int rag = chosen_rag (self);
  g_autoptr(SignpostRoute) route = NULL;
  gboolean was_loading = self->loading;

  if (self->route_touched)
    return;
  route = signpost_navigation_choose_route (self->patient, self->clinicians,
                                            rag < 0 ? SIGNPOST_URGENCY_ROUTINE
                                                    : signpost_navigation_urgency_for_rag (rag, FALSE));
  self->loading = TRUE;
  if (signpost_route_get_kind (route) == SIGNPOST_ROUTE_CLINICIAN)
    {
      gtk_drop_down_set_selected (self->route_dropdown, ROUTE_ROW_CLINICIAN);
      select_clinician (self, signpost_route_get_clinician_id (route));
    }
  else
    gtk_drop_down_set_selected (self->route_dropdown, ROUTE_ROW_DUTY);
  self->loading = was_loading;
  sync_outcome (self);
  update_route_hint (self);
}

static char *
first_mobile (SignpostPatient *patient)
{
  GListModel *phones = patient ? signpost_patient_get_phones (patient) : NULL;
  char *any = NULL;

  for (guint i = 0; phones != NULL && i < g_list_model_get_n_items (phones); i++)
    {
      g_autoptr(SignpostPhone) phone = g_list_model_get_item (phones, i);
      if (signpost_phone_get_kind (phone) == SIGNPOST_PHONE_KIND_MOBILE)
        {
          g_free (any);
          return g_strdup (signpost_phone_get_number (phone));
        }
      if (any == NULL)
        any = g_strdup (signpost_phone_get_number (phone));
    }
  return any;
}

static void
set_number (SignpostTriageForm *self,
            const char         *e164,
            const char         *why)
{
  g_autofree char *shown = e164 ? signpost_phone_format (e164) : NULL;
  gboolean was_loading = self->loading;

  self->loading = TRUE;
  gtk_editable_set_text (GTK_EDITABLE (self->number_entry), shown ? shown : "");
  self->loading = was_loading;
  gtk_label_set_text (self->number_hint, why ? why : "");
  gtk_widget_set_visible (GTK_WIDGET (self->number_hint), why != NULL);
}

static void
show_patient (SignpostTriageForm *self)
{
  g_autoptr(GDateTime) now = now_utc ();

  if (self->patient != NULL)
    {
      g_autofree char *name = signpost_patient_format_name (self->patient);
      g_autofree char *born = signpost_patient_format_born (self->patient, now);
      g_autofree char *nhs = signpost_patient_format_nhs (self->patient);
      g_autofree char *alerts = signpost_patient_format_alerts (self->patient);
      /* Translators: under the patient's name: "Born 12-Mar-1980 (45y) · NHS 999 000 0019 · Riverside" */
      g_autofree char *detail = g_strdup_printf (_("Born %s · NHS %s · %s"), born, nhs,
                                                 signpost_cache_get_practice_name (self->cache, self->practice_id));
      g_autofree char *subtitle = g_strdup_printf ("%s, %s", name, born);

      gtk_label_set_text (self->patient_label, name);
      gtk_label_set_text (self->patient_detail, detail);
      gtk_label_set_text (self->patient_alerts, alerts);
      gtk_widget_set_visible (GTK_WIDGET (self->patient_alerts), *alerts != '\0');
      adw_window_title_set_subtitle (self->window_title, subtitle);
      gtk_label_set_text_with_mnemonic (self->patient_search_label, _("Change the _patient"));
    }
  else
    {
      gtk_label_set_text (self->patient_label, _("No patient chosen yet"));
      gtk_label_set_text (self->patient_detail,
                          _("Find them below. A request can be saved without a patient and linked later."));
      gtk_widget_set_visible (GTK_WIDGET (self->patient_alerts), FALSE);
      adw_window_title_set_subtitle (self->window_title, _("No patient chosen yet"));
      gtk_label_set_text_with_mnemonic (self->patient_search_label, _("Find the _patient"));
    }
}

static void
set_patient (SignpostTriageForm *self,
             SignpostPatient    *patient)
{
  if (!g_set_object (&self->patient, patient))
    return;
  if (patient != NULL)
    {
      g_free (self->practice_id);
      self->practice_id = g_strdup (signpost_record_get_practice_id (SIGNPOST_RECORD (patient)));
    }
  show_patient (self);
  fill_clinicians (self);
  apply_default_route (self);
  update_route_hint (self);
  rebuild_red_flags (self);
  if (patient != NULL && !self->number_touched &&
      *gtk_editable_get_text (GTK_EDITABLE (self->number_entry)) == '\0')
    {
      g_autofree char *number = first_mobile (patient);
      if (number != NULL)
        set_number (self, number, _("From the patient’s record: check it with the caller."));
    }
  update_pharmacy_first (self);
}

/* ---- patient search ------------------------------------------------------------------ */

static GtkWidget *
create_patient_row (gpointer item,
                    gpointer user_data)
{
  SignpostPatient *patient = item;
  g_autoptr(GDateTime) now = now_utc ();
  g_autofree char *name = signpost_patient_format_name (patient);
  g_autofree char *born = signpost_patient_format_born (patient, now);
  g_autofree char *nhs = signpost_patient_format_nhs (patient);
  g_autofree char *subtitle = g_strdup_printf (_("Born %s · NHS %s"), born, nhs);
  GtkWidget *row = adw_action_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), name);
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
  g_object_set_data_full (G_OBJECT (row), "patient", g_object_ref (patient), g_object_unref);
  return row;
}

static void
on_patient_row_activated (SignpostTriageForm *self,
                          GtkListBoxRow      *row)
{
  SignpostPatient *patient = g_object_get_data (G_OBJECT (row), "patient");

  if (patient == NULL)
    return;
  set_patient (self, patient);
  gtk_editable_set_text (GTK_EDITABLE (self->patient_entry), "");
  changed (self);
  if (self->actions != NULL)
    signpost_actions_report_view (self->actions, signpost_record_get_id (SIGNPOST_RECORD (patient)), "triage");
  gtk_widget_grab_focus (GTK_WIDGET (self->reason_view));
}

static void
on_patient_search_changed (SignpostTriageForm *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->patient_entry));

  if (self->search_model == NULL)
    return;
  signpost_patient_search_model_set_query (self->search_model, text);
  gtk_widget_set_visible (GTK_WIDGET (self->patient_results),
                          *text != '\0' && g_list_model_get_n_items (G_LIST_MODEL (self->search_model)) > 0);
}

static void
on_patient_search_activate (SignpostTriageForm *self)
{
  GtkListBoxRow *first;

  /* Enter before the entry's search delay: search for what is typed now. */
  on_patient_search_changed (self);
  first = gtk_list_box_get_row_at_index (self->patient_results, 0);

  if (first != NULL && gtk_widget_get_visible (GTK_WIDGET (self->patient_results)))
    on_patient_row_activated (self, first);
}

static void
on_search_results_changed (SignpostTriageForm *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->patient_entry));

  gtk_widget_set_visible (GTK_WIDGET (self->patient_results),
                          *text != '\0' && g_list_model_get_n_items (G_LIST_MODEL (self->search_model)) > 0);
}

/* ---- red flags and urgency ----------------------------------------------------------- */

static void
on_flag_toggled (SignpostTriageForm *self)
{
  update_red_flags (self);
  update_pharmacy_first (self);
  changed (self);
}

static void
rebuild_red_flags (SignpostTriageForm *self)
{
  g_autoptr(GDateTime) now = now_utc ();
  g_autoptr(GTimeZone) tz = practice_time_zone (self);
  g_auto(GStrv) ticked = ticked_flags (self);
  SignpostRedFlagGroup group = signpost_navigation_red_flag_group_for (
    date_of_birth (self), now, tz);
  g_autoptr(GPtrArray) flags = signpost_navigation_red_flags_for (group);
  GtkWidget *child;
  const char *heading;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->red_flags_box))) != NULL)
    gtk_box_remove (self->red_flags_box, child);
  g_ptr_array_set_size (self->flag_checks, 0);

  /* A flag ticked before the age was known stays in sight. */
  for (guint i = 0; ticked[i] != NULL; i++)
    {
      const SignpostRedFlag *flag = signpost_navigation_find_red_flag (ticked[i]);
      if (flag != NULL && !(flag->groups & group))
        g_ptr_array_insert (flags, 0, (gpointer) flag);
    }

  for (guint i = 0; i < flags->len; i++)
    {
      const SignpostRedFlag *flag = g_ptr_array_index (flags, i);
      const char *text = signpost_red_flag_get_label (flag);
      GtkWidget *check = gtk_check_button_new ();
      GtkWidget *label = gtk_label_new (text);

      /* Long questions wrap instead of widening the window. */
      gtk_label_set_wrap (GTK_LABEL (label), TRUE);
      gtk_label_set_xalign (GTK_LABEL (label), 0);
      gtk_check_button_set_child (GTK_CHECK_BUTTON (check), label);
      gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
      gtk_widget_add_css_class (check, flag->action == SIGNPOST_RED_FLAG_CALL_999 ? "flag-999" : "flag-duty");
      g_object_set_data (G_OBJECT (check), "flag-key", (gpointer) flag->key);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check), g_strv_contains ((const char * const *) ticked, flag->key));
      g_signal_connect_object (check, "toggled", G_CALLBACK (on_flag_toggled), self, G_CONNECT_SWAPPED);
      gtk_box_append (self->red_flags_box, check);
      g_ptr_array_add (self->flag_checks, check);
    }

  switch (group)
    {
    case SIGNPOST_RED_FLAGS_CHILD:
      heading = _("Red flags for a child (under 16): ask about each");
      break;
    case SIGNPOST_RED_FLAGS_ADULT:
      heading = _("Red flags for an adult: ask about each");
      break;
    case SIGNPOST_RED_FLAGS_ALL:
    default:
      heading = _("Red flags (age not known, so adult and child): ask about each");
      break;
    }
  gtk_label_set_text (self->red_flags_heading, heading);
  update_red_flags (self);
}

static void
set_urgency_labels (SignpostTriageForm *self,
                    gboolean            emergency)
{
  g_autofree char *red = g_strdup_printf ("%s — %s", _("Re_d"),
                                          emergency ? _("emergency: 999 now")
                                                    : signpost_navigation_rag_meaning (SIGNPOST_RAG_RED));
  g_autofree char *amber = g_strdup_printf ("%s — %s", _("_Amber"), signpost_navigation_rag_meaning (SIGNPOST_RAG_AMBER));
  g_autofree char *green = g_strdup_printf ("%s — %s", _("_Green"), signpost_navigation_rag_meaning (SIGNPOST_RAG_GREEN));

  gtk_check_button_set_label (self->red_check, red);
  gtk_check_button_set_label (self->amber_check, amber);
  gtk_check_button_set_label (self->green_check, green);
}

/* A ticked flag says what to do now, makes the request Red, and takes
 * Amber and Green away. */
static void
update_red_flags (SignpostTriageForm *self)
{
  g_auto(GStrv) flags = ticked_flags (self);
  SignpostRedFlagAction action;
  gboolean any = signpost_navigation_red_flag_action ((const char * const *) flags, &action);
  gboolean was_loading = self->loading;

  set_urgency_labels (self, any && action == SIGNPOST_RED_FLAG_CALL_999);
  if (any)
    {
      gtk_label_set_text (self->red_flag_title, signpost_navigation_red_flag_headline (action));
      gtk_label_set_text (self->red_flag_detail, signpost_navigation_red_flag_advice (action));
      self->loading = TRUE;
      gtk_check_button_set_active (self->red_check, TRUE);
      self->loading = was_loading;
      gtk_label_set_text (self->urgency_note,
                          _("A red flag is ticked: the request is Red and cannot be saved as Amber or Green."));
      /* Red cannot wait for the usual GP. */
      if (!self->route_touched)
        apply_default_route (self);
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->amber_check), !any);
  gtk_widget_set_sensitive (GTK_WIDGET (self->green_check), !any);
  gtk_widget_set_visible (GTK_WIDGET (self->urgency_note), any);
  gtk_revealer_set_reveal_child (self->red_flag_revealer, any);
}

static void
on_urgency_toggled (SignpostTriageForm *self,
                    GtkCheckButton     *check)
{
  if (!gtk_check_button_get_active (check))
    return;
  apply_default_route (self);
  changed (self);
}

/* ---- Pharmacy First ------------------------------------------------------------------ */

static void
update_pharmacy_first (SignpostTriageForm *self)
{
  g_autofree char *reason = text_view_get_text (self->reason_view);
  g_auto(GStrv) flags = ticked_flags (self);
  int age = patient_age (self);
  SignpostSex sex = self->patient ? signpost_patient_get_sex (self->patient) : SIGNPOST_SEX_UNKNOWN;
  g_autoptr(GArray) matches = signpost_navigation_pharmacy_first (reason, age, sex);
  SignpostPharmacyFirstMatch *first = matches->len ? &g_array_index (matches, SignpostPharmacyFirstMatch, 0) : NULL;
  g_autofree char *text = NULL;
  gboolean offer = FALSE;

  /* Never with a red flag: that goes to 999 or the duty doctor. */
  if (flags[0] != NULL)
    first = NULL;

  if (first != NULL && first->fit == SIGNPOST_PHARMACY_FIRST_FITS)
    {
      const char *key = signpost_pharmacy_first_get_key (first->condition);

      if (g_strcmp0 (self->pharmacy_first, key) != 0)
        {
          /* A new suggestion: asked afresh. */
          g_free (self->pharmacy_first);
          self->pharmacy_first = g_strdup (key);
          self->pharmacy_first_taken = FALSE;
          self->pharmacy_dismissed = FALSE;
        }
      if (self->pharmacy_first_taken)
        text = g_strdup_printf (_("Pharmacy First taken for %s: tell the patient any community pharmacy "
                                  "can see them, usually the same day, without a GP appointment."),
                                signpost_pharmacy_first_get_label (first->condition));
      else if (self->pharmacy_dismissed)
        text = g_strdup_printf (_("Pharmacy First was suggested for %s and not taken."),
                                signpost_pharmacy_first_get_label (first->condition));
      else
        {
          text = g_strdup_printf (_("Pharmacy First may suit: %s (%s). A community pharmacist can assess "
                                    "and treat this without a GP appointment. Offer it; the patient decides."),
                                  signpost_pharmacy_first_get_label (first->condition),
                                  signpost_pharmacy_first_get_who (first->condition));
          offer = TRUE;
        }
    }
  else
    {
      g_clear_pointer (&self->pharmacy_first, g_free);
      self->pharmacy_first_taken = FALSE;
      self->pharmacy_dismissed = FALSE;
      if (first != NULL)
        {
          const char *why;

          switch (first->fit)
            {
            case SIGNPOST_PHARMACY_FIRST_WRONG_SEX:
              why = _("not for this patient (women only)");
              break;
            case SIGNPOST_PHARMACY_FIRST_UNKNOWN:
              why = _("check the patient’s age and sex first");
              break;
            case SIGNPOST_PHARMACY_FIRST_TOO_YOUNG:
            case SIGNPOST_PHARMACY_FIRST_TOO_OLD:
            case SIGNPOST_PHARMACY_FIRST_FITS:
            default:
              why = _("not at this patient’s age");
              break;
            }
          /* Translators: "Pharmacy First treats earache for those aged 1 to 17: not at this patient’s age." */
          text = g_strdup_printf (_("Pharmacy First treats %s for those %s: %s."),
                                  signpost_pharmacy_first_get_label (first->condition),
                                  signpost_pharmacy_first_get_who (first->condition), why);
        }
    }

  gtk_label_set_text (self->pharmacy_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->pharmacy_buttons), offer);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "triage.accept-pharmacy-first", offer);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "triage.decline-pharmacy-first", offer);
  gtk_revealer_set_reveal_child (self->pharmacy_revealer, text != NULL);
}

static void
accept_pharmacy_first (GtkWidget  *widget,
                       const char *action_name,
                       GVariant   *parameter)
{
  SignpostTriageForm *self = SIGNPOST_TRIAGE_FORM (widget);

  if (self->pharmacy_first == NULL)
    return;
  self->pharmacy_first_taken = TRUE;
  self->route_touched = TRUE;
  self->outcome_touched = TRUE;
  self->loading = TRUE;
  gtk_drop_down_set_selected (self->route_dropdown, ROUTE_ROW_SIGNPOST);
  gtk_drop_down_set_selected (self->signpost_dropdown, SIGNPOST_SIGNPOST_PHARMACY_FIRST);
  gtk_drop_down_set_selected (self->outcome_dropdown, SIGNPOST_OUTCOME_SIGNPOSTED);
  self->loading = FALSE;
  update_route_hint (self);
  update_pharmacy_first (self);
  changed (self);
}

static void
decline_pharmacy_first (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SignpostTriageForm *self = SIGNPOST_TRIAGE_FORM (widget);

  self->pharmacy_first_taken = FALSE;
  self->pharmacy_dismissed = TRUE;
  update_pharmacy_first (self);
  changed (self);
}

/* ---- route and outcome --------------------------------------------------------------- */

/* Until the navigator picks an outcome, it follows the route. */
static void
sync_outcome (SignpostTriageForm *self)
{
  guint row = gtk_drop_down_get_selected (self->route_dropdown);
  gboolean was_loading = self->loading;

  if (self->outcome_touched)
    return;
  self->loading = TRUE;
  gtk_drop_down_set_selected (self->outcome_dropdown,
                              row == ROUTE_ROW_DUTY ? SIGNPOST_OUTCOME_SENT_TO_DUTY :
                              row == ROUTE_ROW_SIGNPOST ? SIGNPOST_OUTCOME_SIGNPOSTED : SIGNPOST_OUTCOME_NONE);
  self->loading = was_loading;
}

static void
on_route_changed (SignpostTriageForm *self)
{
  guint row = gtk_drop_down_get_selected (self->route_dropdown);

  update_route_hint (self);
  if (self->loading)
    return;
  self->route_touched = TRUE;
  /* Leaving Pharmacy First means the suggestion was not taken after all. */
  if (self->pharmacy_first_taken &&
      (row != ROUTE_ROW_SIGNPOST ||
       gtk_drop_down_get_selected (self->signpost_dropdown) != SIGNPOST_SIGNPOST_PHARMACY_FIRST))
    {
      self->pharmacy_first_taken = FALSE;
      self->pharmacy_dismissed = TRUE;
      update_pharmacy_first (self);
    }
  sync_outcome (self);
  changed (self);
}

static void
on_outcome_changed (SignpostTriageForm *self)
{
  guint outcome = gtk_drop_down_get_selected (self->outcome_dropdown);

  gtk_widget_set_visible (self->find_slot_button, outcome == SIGNPOST_OUTCOME_BOOKED);
  if (self->loading)
    return;
  self->outcome_touched = TRUE;
  changed (self);
}

static void
on_number_changed (SignpostTriageForm *self)
{
  if (self->loading)
    return;
  self->number_touched = TRUE;
  gtk_widget_remove_css_class (GTK_WIDGET (self->number_entry), "error");
  gtk_widget_set_visible (GTK_WIDGET (self->number_hint), FALSE);
  changed (self);
}

static void
on_relationship_changed (SignpostTriageForm *self)
{
  gboolean self_calling = gtk_drop_down_get_selected (self->relationship_dropdown) == SIGNPOST_CALLER_SELF;

  gtk_widget_set_sensitive (GTK_WIDGET (self->caller_name_entry), !self_calling);
  gtk_widget_set_sensitive (GTK_WIDGET (self->caller_name_label), !self_calling);
  changed (self);
}

static void
on_reason_changed (SignpostTriageForm *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->reason_error), FALSE);
  update_pharmacy_first (self);
  changed (self);
}

/* ---- building the record --------------------------------------------------------------- */

SignpostTriage *
signpost_triage_form_build (SignpostTriageForm  *self,
                            GError             **error)
{
  g_autoptr(SignpostTriage) triage = NULL;
  g_autoptr(SignpostRoute) route = signpost_route_new ();
  g_autofree char *reason = nonempty (text_view_get_text (self->reason_view));
  g_autofree char *notes = nonempty (text_view_get_text (self->notes_view));
  g_autofree char *caller = nonempty (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->caller_name_entry))));
  g_autofree char *typed = nonempty (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->number_entry))));
  g_autofree char *number = NULL;
  g_auto(GStrv) flags = ticked_flags (self);
  SignpostRedFlagAction action;
  gboolean emergency;
  int rag = chosen_rag (self);
  guint relationship = gtk_drop_down_get_selected (self->relationship_dropdown);
  guint outcome = gtk_drop_down_get_selected (self->outcome_dropdown);
  SignpostUrgency urgency;

  g_return_val_if_fail (SIGNPOST_IS_TRIAGE_FORM (self), NULL);

  if (reason == NULL)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "reason",
                                _("Write down the reason in the patient’s own words."));
      return NULL;
    }
  if (rag < 0)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "urgency",
                                _("Choose Red, Amber or Green."));
      return NULL;
    }
  emergency = signpost_navigation_red_flag_action ((const char * const *) flags, &action) &&
              action == SIGNPOST_RED_FLAG_CALL_999;
  urgency = signpost_navigation_urgency_for_rag (rag, emergency);
  if (!signpost_navigation_check_urgency ((const char * const *) flags, urgency, error))
    return NULL;
  if (typed != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      number = signpost_phone_normalise (typed, &local_error);
      if (number == NULL)
        {
          signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "contact_number",
                                    _("The call-back number is not a phone number: %s"), local_error->message);
          return NULL;
        }
    }
  else if (gtk_drop_down_get_selected (self->contact_dropdown) == SIGNPOST_CONTACT_PHONE ||
           gtk_drop_down_get_selected (self->contact_dropdown) == SIGNPOST_CONTACT_TEXT)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "contact_number",
                                _("Give a number to call or text back."));
      return NULL;
    }
  if (self->practice_id == NULL)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, "practice_id",
                                _("Choose the patient first: it is not known which practice this is for."));
      return NULL;
    }

  switch (gtk_drop_down_get_selected (self->route_dropdown))
    {
    case ROUTE_ROW_CLINICIAN:
      {
        guint row = gtk_drop_down_get_selected (self->clinician_dropdown);
        signpost_route_set_kind (route, SIGNPOST_ROUTE_CLINICIAN);
        if (row < self->clinician_ids->len)
          signpost_route_set_clinician_id (route, g_ptr_array_index (self->clinician_ids, row));
      }
      break;
    case ROUTE_ROW_PROFESSION:
      signpost_route_set_kind (route, SIGNPOST_ROUTE_PROFESSION);
      signpost_route_set_profession (route, signpost_enum_to_nick (SIGNPOST_TYPE_PROFESSION,
                                                                   gtk_drop_down_get_selected (self->profession_dropdown)));
      break;
    case ROUTE_ROW_SIGNPOST:
      signpost_route_set_kind (route, SIGNPOST_ROUTE_SIGNPOST);
      signpost_route_set_signpost (route, signpost_enum_to_nick (SIGNPOST_TYPE_SIGNPOST,
                                                                 gtk_drop_down_get_selected (self->signpost_dropdown)));
      break;
    case ROUTE_ROW_DUTY:
    default:
      signpost_route_set_kind (route, SIGNPOST_ROUTE_DUTY);
      break;
    }
  if (!signpost_object_validate (SIGNPOST_OBJECT (route), error))
    return NULL;

  /* On top of what this PC has now (a doctor may have opened or
   * reviewed it meanwhile): only the fields this form fills differ. */
  if (self->original != NULL && self->cache != NULL)
    triage = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_TRIAGE, self->triage_id);
  if (triage == NULL)
    triage = self->original ? signpost_object_copy (SIGNPOST_OBJECT (self->original)) : signpost_triage_new ();
  signpost_record_set_id (SIGNPOST_RECORD (triage), self->triage_id);
  if (self->original == NULL)
    signpost_record_set_practice_id (SIGNPOST_RECORD (triage), self->practice_id);
  signpost_triage_set_patient_id (triage, self->patient ? signpost_record_get_id (SIGNPOST_RECORD (self->patient)) : NULL);
  signpost_triage_set_call_id (triage, self->call_id);
  signpost_triage_set_caller_relationship (triage, relationship);
  signpost_triage_set_caller_name (triage, relationship == SIGNPOST_CALLER_SELF ? NULL : caller);
  signpost_triage_set_reason (triage, reason);
  signpost_triage_set_red_flags (triage, (const char * const *) flags);
  signpost_triage_set_urgency (triage, urgency);
  signpost_triage_set_route (triage, route);
  signpost_triage_set_contact_method (triage, gtk_drop_down_get_selected (self->contact_dropdown));
  signpost_triage_set_contact_number (triage, number);
  signpost_triage_set_navigator_notes (triage, notes);
  signpost_triage_set_pharmacy_first (triage, self->pharmacy_first);
  signpost_triage_set_pharmacy_first_taken (triage, self->pharmacy_first != NULL && self->pharmacy_first_taken);
  /* The status follows the outcome chosen here, not a doctor's later one. */
  if (self->original == NULL || self->outcome_touched || self->navigating)
    {
      signpost_triage_set_outcome (triage, outcome);
      /* "Booked" is true once the diary books it (the slot's book command
       * links the request); until then it stays open. */
      signpost_triage_set_status (triage, outcome == SIGNPOST_OUTCOME_BOOKED &&
                                          signpost_triage_get_appointment_id (triage) == NULL
                                          ? SIGNPOST_TRIAGE_OPEN
                                          : signpost_navigation_status_for_outcome (outcome));
    }
  if (!signpost_object_validate (SIGNPOST_OBJECT (triage), error))
    return NULL;
  return g_steal_pointer (&triage);
}

static char *
save_label (SignpostTriageForm *self,
            SignpostTriage     *triage)
{
  g_autofree char *who = self->patient ? signpost_patient_format_name (self->patient) : g_strdup (_("an unknown caller"));
  g_autofree char *reason = g_strdup (signpost_triage_get_reason (triage));

  if (g_utf8_strlen (reason, -1) > 40)
    {
      char *cut = g_utf8_offset_to_pointer (reason, 40);
      *cut = '\0';
    }
  /* Translators: what the problems list shows: "Request for SMITH, Ann: sore throat…" */
  return g_strdup_printf (_("Request for %s: %s…"), who, reason);
}

/* The call this request came from points back at it. */
static void
link_call (SignpostTriageForm *self)
{
  g_autoptr(SignpostCall) call = NULL;
  g_autoptr(GError) error = NULL;

  /* A call this PC has not heard of (yet) keeps its links as they are. */
  if (self->call_id == NULL)
    return;
  call = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_CALL, self->call_id);
  if (call == NULL)
    return;
  if (!signpost_actions_link_call_to_request (self->actions, self->call_id, self->triage_id,
                                              self->patient ? signpost_record_get_id (SIGNPOST_RECORD (self->patient))
                                                            : NULL,
                                              &error))
    g_warning ("Could not link call %s to its request: %s", self->call_id, error->message);
}

static void
show_save_error (SignpostTriageForm *self,
                 GError             *error)
{
  g_autofree char *field = signpost_error_dup_field (error);
  const char *detail = signpost_error_get_detail (error);

  if (g_strcmp0 (field, "reason") == 0)
    {
      gtk_widget_set_visible (GTK_WIDGET (self->reason_error), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->reason_view));
    }
  else if (g_strcmp0 (field, "urgency") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->red_check));
  else if (g_strcmp0 (field, "contact_number") == 0)
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->number_entry), "error");
      gtk_label_set_text (self->number_hint, detail);
      gtk_widget_set_visible (GTK_WIDGET (self->number_hint), TRUE);
      gtk_widget_grab_focus (GTK_WIDGET (self->number_entry));
    }
  else if (g_strcmp0 (field, "practice_id") == 0)
    gtk_widget_grab_focus (GTK_WIDGET (self->patient_entry));
  toast (self, detail);
}

gboolean
signpost_triage_form_save (SignpostTriageForm  *self,
                           GError             **error)
{
  g_autoptr(SignpostTriage) triage = NULL;
  g_autofree char *label = NULL;

  g_return_val_if_fail (SIGNPOST_IS_TRIAGE_FORM (self), FALSE);

  if (signpost_actions_get_changes (self->actions) == NULL)
    {
      g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_INVALID, _("Sign in again to save."));
      return FALSE;
    }
  triage = signpost_triage_form_build (self, error);
  if (triage == NULL)
    return FALSE;
  label = save_label (self, triage);
  if (!signpost_actions_save_request (self->actions, triage, label, error))
    return FALSE;
  link_call (self);

  forget_draft (self);
  g_clear_object (&self->original);
  self->original = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_TRIAGE, self->triage_id);
  if (self->original == NULL)
    self->original = g_steal_pointer (&triage);
  self->dirty = FALSE;
  self->outcome_touched = FALSE;
  self->navigating = FALSE;
  adw_window_title_set_title (self->window_title, _("Request"));
  update_state (self);
  return TRUE;
}

static gboolean
save_now (SignpostTriageForm *self)
{
  g_autoptr(GError) error = NULL;

  if (!signpost_triage_form_save (self, &error))
    {
      show_save_error (self, error);
      return FALSE;
    }
  return TRUE;
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SignpostTriageForm *self = SIGNPOST_TRIAGE_FORM (widget);

  if (save_now (self))
    toast (self, signpost_actions_get_state (self->actions) == SIGNPOST_SYNC_STATE_OFFLINE
                 ? _("Saved on this PC; it will be sent when the server is back")
                 : _("Saved"));
}

static void
save_close_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SignpostTriageForm *self = SIGNPOST_TRIAGE_FORM (widget);

  if (save_now (self))
    gtk_window_destroy (GTK_WINDOW (self));
}

/* Opening the diary on suitable slots is the diary's own action
 * (win.find-slot on the main window, with the request's id). */
static void
find_slot_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *parameter)
{
  SignpostTriageForm *self = SIGNPOST_TRIAGE_FORM (widget);
  GtkWindow *parent = gtk_window_get_transient_for (GTK_WINDOW (self));

  if (!save_now (self))
    return;
  if (parent == NULL ||
      !gtk_widget_activate_action (GTK_WIDGET (parent), "win.find-slot", "s", self->triage_id))
    {
      g_warning ("No diary to book from (win.find-slot) for request %s", self->triage_id);
      toast (self, _("Saved. The diary could not be opened from here: book from the Diary page."));
      return;
    }
  toast (self, _("Saved. Pick a slot in the diary."));
}

/* ---- closing --------------------------------------------------------------------------- */

static gboolean
destroy_later (gpointer data)
{
  gtk_window_destroy (GTK_WINDOW (data));
  return G_SOURCE_REMOVE;
}

static void
on_close_response (AdwMessageDialog   *dialog,
                   const char         *response,
                   SignpostTriageForm *self)
{
  if (g_str_equal (response, "save"))
    {
      if (!save_now (self))
        return;
    }
  else if (g_str_equal (response, "discard"))
    {
      forget_draft (self);
      self->dirty = FALSE;
    }
  else
    return;
  /* The dialog closes after this handler: the form (its parent) goes
   * once it has. */
  self->closing = TRUE;
  g_idle_add_full (G_PRIORITY_DEFAULT_IDLE, destroy_later, g_object_ref (self), g_object_unref);
}

static gboolean
signpost_triage_form_close_request (GtkWindow *window)
{
  SignpostTriageForm *self = SIGNPOST_TRIAGE_FORM (window);
  GtkWidget *dialog;
  g_autofree char *body = NULL;

  if (!self->dirty || self->closing)
    return GTK_WINDOW_CLASS (signpost_triage_form_parent_class)->close_request (window);

  body = self->patient
         ? g_strdup_printf (_("The request for %s has changes that are not saved."),
                            gtk_label_get_text (self->patient_label))
         : g_strdup (_("This request has changes that are not saved."));
  dialog = adw_message_dialog_new (GTK_WINDOW (self), _("Save the Request?"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "cancel", _("_Keep Editing"),
                                    "discard", _("_Discard"),
                                    "save", _("_Save"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "save", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "save");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "cancel");
  g_signal_connect (dialog, "response", G_CALLBACK (on_close_response), self);
  gtk_window_present (GTK_WINDOW (dialog));
  return TRUE;
}

/* Signed out (or another user signed in): the draft stays on disk for
 * next time, and the window goes without asking. */
static void
on_session_cache_changed (SignpostTriageForm *self)
{
  if (signpost_actions_get_cache (self->actions) == self->cache)
    return;
  write_draft (self);
  self->closing = TRUE;
  gtk_window_destroy (GTK_WINDOW (self));
}

static void
on_records_changed (SignpostTriageForm *self,
                    GPtrArray          *changed_records,
                    GPtrArray          *removed)
{
  for (guint i = 0; changed_records != NULL && i < changed_records->len; i++)
    if (g_strcmp0 (signpost_record_get_id (g_ptr_array_index (changed_records, i)), self->triage_id) == 0)
      {
        /* The server's copy (version, status) becomes what the next
         * save is compared with; what is typed here stays. */
        if (self->original != NULL && !self->dirty)
          g_set_object (&self->original, g_ptr_array_index (changed_records, i));
        update_state (self);
      }
}

/* ---- filling in ------------------------------------------------------------------------ */

static void
fill_from_record (SignpostTriageForm *self,
                  SignpostTriage     *triage)
{
  SignpostRoute *route = signpost_triage_get_route (triage);
  const char * const *flags = signpost_triage_get_red_flags (triage);
  int value;

  gtk_drop_down_set_selected (self->relationship_dropdown, signpost_triage_get_caller_relationship (triage));
  gtk_editable_set_text (GTK_EDITABLE (self->caller_name_entry),
                         signpost_triage_get_caller_name (triage) ? signpost_triage_get_caller_name (triage) : "");
  text_view_set_text (self->reason_view, signpost_triage_get_reason (triage));
  text_view_set_text (self->notes_view, signpost_triage_get_navigator_notes (triage));
  for (guint i = 0; i < self->flag_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->flag_checks, i);
      gtk_check_button_set_active (check, flags && g_strv_contains (flags, g_object_get_data (G_OBJECT (check), "flag-key")));
    }
  /* Routine is only where a request starts: the navigator decides. */
  if (!(self->navigating && signpost_triage_get_urgency (triage) == SIGNPOST_URGENCY_ROUTINE))
    {
      switch (signpost_navigation_rag_for_urgency (signpost_triage_get_urgency (triage)))
        {
        case SIGNPOST_RAG_RED:
          gtk_check_button_set_active (self->red_check, TRUE);
          break;
        case SIGNPOST_RAG_AMBER:
          gtk_check_button_set_active (self->amber_check, TRUE);
          break;
        case SIGNPOST_RAG_GREEN:
        default:
          gtk_check_button_set_active (self->green_check, TRUE);
          break;
        }
    }
  if (route != NULL)
    {
      self->route_touched = TRUE;
      switch (signpost_route_get_kind (route))
        {
        case SIGNPOST_ROUTE_CLINICIAN:
          gtk_drop_down_set_selected (self->route_dropdown, ROUTE_ROW_CLINICIAN);
          select_clinician (self, signpost_route_get_clinician_id (route));
          break;
        case SIGNPOST_ROUTE_PROFESSION:
          gtk_drop_down_set_selected (self->route_dropdown, ROUTE_ROW_PROFESSION);
          if (signpost_enum_from_nick (SIGNPOST_TYPE_PROFESSION, signpost_route_get_profession (route), &value))
            gtk_drop_down_set_selected (self->profession_dropdown, value);
          break;
        case SIGNPOST_ROUTE_SIGNPOST:
          gtk_drop_down_set_selected (self->route_dropdown, ROUTE_ROW_SIGNPOST);
          if (signpost_enum_from_nick (SIGNPOST_TYPE_SIGNPOST, signpost_route_get_signpost (route), &value))
            gtk_drop_down_set_selected (self->signpost_dropdown, value);
          break;
        case SIGNPOST_ROUTE_DUTY:
        default:
          gtk_drop_down_set_selected (self->route_dropdown, ROUTE_ROW_DUTY);
          break;
        }
    }
  gtk_drop_down_set_selected (self->contact_dropdown, signpost_triage_get_contact_method (triage));
  set_number (self, signpost_triage_get_contact_number (triage), NULL);
  self->number_touched = signpost_triage_get_contact_number (triage) != NULL;
  if (!self->navigating)
    gtk_drop_down_set_selected (self->outcome_dropdown, signpost_triage_get_outcome (triage));
  g_free (self->pharmacy_first);
  self->pharmacy_first = g_strdup (signpost_triage_get_pharmacy_first (triage));
  self->pharmacy_first_taken = signpost_triage_get_pharmacy_first_taken (triage);
  self->pharmacy_dismissed = self->pharmacy_first != NULL && !self->pharmacy_first_taken;
}

static void
apply_draft (SignpostTriageForm *self,
             JsonObject         *draft)
{
  JsonArray *flags = json_object_get_array_member (draft, "red_flags");
  const char *clinician_id = json_object_get_string_member_with_default (draft, "clinician_id", NULL);
  int rag = json_object_get_int_member_with_default (draft, "rag", -1);

  gtk_drop_down_set_selected (self->relationship_dropdown, json_object_get_int_member_with_default (draft, "relationship", 0));
  gtk_editable_set_text (GTK_EDITABLE (self->caller_name_entry),
                         json_object_get_string_member_with_default (draft, "caller_name", ""));
  text_view_set_text (self->reason_view, json_object_get_string_member_with_default (draft, "reason", ""));
  text_view_set_text (self->notes_view, json_object_get_string_member_with_default (draft, "notes", ""));
  for (guint i = 0; i < self->flag_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->flag_checks, i);
      const char *key = g_object_get_data (G_OBJECT (check), "flag-key");
      gboolean on = FALSE;

      for (guint j = 0; flags != NULL && j < json_array_get_length (flags); j++)
        if (g_strcmp0 (json_array_get_string_element (flags, j), key) == 0)
          on = TRUE;
      gtk_check_button_set_active (check, on);
    }
  if (rag == SIGNPOST_RAG_RED)
    gtk_check_button_set_active (self->red_check, TRUE);
  else if (rag == SIGNPOST_RAG_AMBER)
    gtk_check_button_set_active (self->amber_check, TRUE);
  else if (rag == SIGNPOST_RAG_GREEN)
    gtk_check_button_set_active (self->green_check, TRUE);
  gtk_drop_down_set_selected (self->route_dropdown, json_object_get_int_member_with_default (draft, "route", ROUTE_ROW_DUTY));
  select_clinician (self, clinician_id);
  gtk_drop_down_set_selected (self->profession_dropdown, json_object_get_int_member_with_default (draft, "profession", 0));
  gtk_drop_down_set_selected (self->signpost_dropdown, json_object_get_int_member_with_default (draft, "signpost", 0));
  gtk_drop_down_set_selected (self->contact_dropdown, json_object_get_int_member_with_default (draft, "contact", 0));
  gtk_editable_set_text (GTK_EDITABLE (self->number_entry), json_object_get_string_member_with_default (draft, "number", ""));
  gtk_drop_down_set_selected (self->outcome_dropdown, json_object_get_int_member_with_default (draft, "outcome", 0));
  g_free (self->pharmacy_first);
  self->pharmacy_first = g_strdup (json_object_get_string_member_with_default (draft, "pharmacy_first", NULL));
  self->pharmacy_first_taken = json_object_get_boolean_member_with_default (draft, "pharmacy_first_taken", FALSE);
  self->pharmacy_dismissed = json_object_get_boolean_member_with_default (draft, "pharmacy_dismissed", FALSE);
  self->route_touched = json_object_get_boolean_member_with_default (draft, "route_touched", FALSE);
  self->outcome_touched = json_object_get_boolean_member_with_default (draft, "outcome_touched", FALSE);
  self->number_touched = json_object_get_boolean_member_with_default (draft, "number_touched", FALSE);
}

static void
setup (SignpostTriageForm *self,
       SignpostActions    *actions,
       const char         *triage_id,
       const char         *call_id,
       const char         *patient_id,
       JsonObject         *draft)
{
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(SignpostCall) call = NULL;
  const char *practice_id = NULL;

  self->actions = g_object_ref (actions);
  self->cache = g_object_ref (signpost_actions_get_cache (actions));
  g_signal_connect_object (actions, "notify::cache", G_CALLBACK (on_session_cache_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->cache, "records-changed", G_CALLBACK (on_records_changed), self, G_CONNECT_SWAPPED);

  self->search_model = signpost_patient_search_model_new (self->cache);
  signpost_patient_search_model_set_limit (self->search_model, PATIENT_RESULTS);
  gtk_list_box_bind_model (self->patient_results, G_LIST_MODEL (self->search_model), create_patient_row, self, NULL);
  g_signal_connect_object (self->search_model, "items-changed", G_CALLBACK (on_search_results_changed), self,
                           G_CONNECT_SWAPPED);

  if (triage_id != NULL && *triage_id != '\0')
    self->original = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_TRIAGE, triage_id);
  self->triage_id = triage_id && *triage_id ? g_strdup (triage_id) : g_uuid_string_random ();
  if (self->original != NULL)
    {
      call_id = signpost_triage_get_call_id (self->original);
      patient_id = signpost_triage_get_patient_id (self->original);
      practice_id = signpost_record_get_practice_id (SIGNPOST_RECORD (self->original));
    }
  self->call_id = call_id && *call_id ? g_strdup (call_id) : NULL;
  if (self->call_id != NULL)
    call = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_CALL, self->call_id);
  if ((patient_id == NULL || *patient_id == '\0') && call != NULL)
    patient_id = signpost_call_get_patient_id (call);
  if (patient_id != NULL && *patient_id != '\0')
    patient = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, patient_id);

  /* Which practice: the request's, the patient's, the call's, the one
   * chosen at sign-in, or the user's only one. */
  if (practice_id == NULL && patient != NULL)
    practice_id = signpost_record_get_practice_id (SIGNPOST_RECORD (patient));
  if (practice_id == NULL && call != NULL)
    practice_id = signpost_record_get_practice_id (SIGNPOST_RECORD (call));
  if (practice_id == NULL)
    practice_id = signpost_actions_get_practice_id (actions);
  if (practice_id == NULL && signpost_actions_get_user (actions) != NULL)
    {
      const char * const *ids = signpost_user_get_practice_ids (signpost_actions_get_user (actions));
      if (ids != NULL && ids[0] != NULL)
        practice_id = ids[0];
    }
  self->practice_id = g_strdup (practice_id);
  signpost_patient_search_model_set_practice_id (self->search_model, signpost_actions_get_practice_id (actions));

  self->loading = TRUE;
  fill_clinicians (self);
  set_patient (self, patient);
  show_patient (self);
  rebuild_red_flags (self);
  apply_default_route (self);

  if (call != NULL && signpost_call_get_cli (call) != NULL &&
      !signpost_phone_is_withheld (signpost_call_get_cli (call)))
    set_number (self, signpost_call_get_cli (call), _("The number they rang from."));
  else if (call != NULL)
    set_number (self, NULL, _("The caller’s number was withheld: ask for one."));

  if (self->original != NULL)
    {
      SignpostRoute *route = signpost_triage_get_route (self->original);

      self->navigating = route == NULL &&
                         signpost_triage_get_status (self->original) == SIGNPOST_TRIAGE_OPEN &&
                         signpost_triage_get_outcome (self->original) == SIGNPOST_OUTCOME_NONE;
      fill_from_record (self, self->original);
      adw_window_title_set_title (self->window_title, _("Request"));
      signpost_request_details_set_request (self->request_details, self->original, self->cache);
      /* Not matched yet: the search starts with who they say it is. */
      if (patient == NULL && draft == NULL)
        {
          g_autofree char *query = signpost_request_stated_patient_query (self->original);
          if (query != NULL)
            gtk_editable_set_text (GTK_EDITABLE (self->patient_entry), query);
        }
    }
  if (draft != NULL)
    apply_draft (self, draft);
  update_red_flags (self);
  update_route_hint (self);
  update_pharmacy_first (self);
  self->loading = FALSE;
  self->dirty = draft != NULL;
  update_state (self);
  gtk_widget_set_visible (self->find_slot_button,
                          gtk_drop_down_get_selected (self->outcome_dropdown) == SIGNPOST_OUTCOME_BOOKED);
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
signpost_triage_form_dispose (GObject *object)
{
  SignpostTriageForm *self = SIGNPOST_TRIAGE_FORM (object);

  /* Whatever was typed and not saved is on disk for next time. */
  write_draft (self);
  if (self->patient_results != NULL)
    gtk_list_box_bind_model (self->patient_results, NULL, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_TRIAGE_FORM);
  g_clear_object (&self->search_model);
  g_clear_object (&self->original);
  g_clear_object (&self->patient);
  g_clear_object (&self->cache);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->clinicians, g_ptr_array_unref);
  g_clear_pointer (&self->clinician_ids, g_ptr_array_unref);
  g_clear_pointer (&self->flag_checks, g_ptr_array_unref);

  G_OBJECT_CLASS (signpost_triage_form_parent_class)->dispose (object);
}

static void
signpost_triage_form_finalize (GObject *object)
{
  SignpostTriageForm *self = SIGNPOST_TRIAGE_FORM (object);

  g_free (self->triage_id);
  g_free (self->call_id);
  g_free (self->practice_id);
  g_free (self->usual_gp_id);
  g_free (self->pharmacy_first);

  G_OBJECT_CLASS (signpost_triage_form_parent_class)->finalize (object);
}

static void
signpost_triage_form_class_init (SignpostTriageFormClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = signpost_triage_form_dispose;
  object_class->finalize = signpost_triage_form_finalize;
  window_class->close_request = signpost_triage_form_close_request;

  g_type_ensure (SIGNPOST_TYPE_REQUEST_DETAILS);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-triage-form.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, window_title);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, red_flag_revealer);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, red_flag_title);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, red_flag_detail);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, scroller);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, patient_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, patient_detail);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, patient_alerts);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, patient_search_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, patient_entry);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, patient_results);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, relationship_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, caller_name_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, caller_name_entry);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, reason_view);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, reason_error);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, red_flags_heading);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, red_flags_box);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, red_check);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, amber_check);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, green_check);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, urgency_note);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, pharmacy_revealer);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, pharmacy_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, pharmacy_buttons);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, route_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, target_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, target_stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, clinician_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, duty_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, profession_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, signpost_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, route_hint);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, contact_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, number_entry);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, number_hint);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, notes_view);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, outcome_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, find_slot_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, state_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, state_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, request_details);

  gtk_widget_class_install_action (widget_class, "triage.save", NULL, save_action);
  gtk_widget_class_install_action (widget_class, "triage.save-close", NULL, save_close_action);
  gtk_widget_class_install_action (widget_class, "triage.find-slot", NULL, find_slot_action);
  gtk_widget_class_install_action (widget_class, "triage.accept-pharmacy-first", NULL, accept_pharmacy_first);
  gtk_widget_class_install_action (widget_class, "triage.decline-pharmacy-first", NULL, decline_pharmacy_first);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "triage.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "triage.save-close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "triage.save-close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
}

static GStrv
labels_for_enum (guint         n,
                 const char *(*label) (int value))
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  for (guint i = 0; i < n; i++)
    g_strv_builder_add (builder, label (i));
  return g_strv_builder_end (builder);
}

static const char *
profession_label (int value)
{
  return signpost_triage_format_profession (value);
}

static const char *
signpost_label (int value)
{
  return signpost_triage_format_signpost (value);
}

static const char *
outcome_label (int value)
{
  return signpost_triage_format_outcome (value);
}

static const char *
relationship_label (int value)
{
  return signpost_triage_format_relationship (value);
}

static const char *
contact_label (int value)
{
  return signpost_triage_format_contact (value);
}

static void
signpost_triage_form_init (SignpostTriageForm *self)
{
  const char * const routes[] = {
    _("A named clinician"),
    _("The duty doctor"),
    _("Another profession in the practice"),
    _("Somewhere outside the practice (signpost)"),
    NULL
  };
  g_auto(GStrv) professions = labels_for_enum (N_PROFESSIONS, profession_label);
  g_auto(GStrv) signposts = labels_for_enum (N_SIGNPOSTS, signpost_label);
  g_auto(GStrv) outcomes = labels_for_enum (N_OUTCOMES, outcome_label);
  g_auto(GStrv) relationships = labels_for_enum (SIGNPOST_CALLER_OTHER + 1, relationship_label);
  g_auto(GStrv) contacts = labels_for_enum (SIGNPOST_CONTACT_IN_PERSON + 1, contact_label);
  GtkEventController *shortcuts;

  self->clinicians = g_ptr_array_new_with_free_func (g_object_unref);
  self->clinician_ids = g_ptr_array_new_with_free_func (g_free);
  self->flag_checks = g_ptr_array_new ();

  gtk_widget_init_template (GTK_WIDGET (self));

  self->loading = TRUE;
  set_string_model (self->route_dropdown, (GStrv) routes);
  set_string_model (self->profession_dropdown, professions);
  set_string_model (self->signpost_dropdown, signposts);
  set_string_model (self->outcome_dropdown, outcomes);
  set_string_model (self->relationship_dropdown, relationships);
  set_string_model (self->contact_dropdown, contacts);
  gtk_drop_down_set_selected (self->route_dropdown, ROUTE_ROW_DUTY);
  set_urgency_labels (self, FALSE);
  self->loading = FALSE;

  /* The text boxes keep Return for new lines, and would swallow
   * Ctrl+Enter: these two are caught before the focused widget. */
  shortcuts = gtk_shortcut_controller_new ();
  gtk_event_controller_set_propagation_phase (shortcuts, GTK_PHASE_CAPTURE);
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>Return|<Control>KP_Enter"),
                                                          gtk_named_action_new ("triage.save-close")));
  gtk_shortcut_controller_add_shortcut (GTK_SHORTCUT_CONTROLLER (shortcuts),
                                        gtk_shortcut_new (gtk_shortcut_trigger_parse_string ("<Control>s"),
                                                          gtk_named_action_new ("triage.save")));
  gtk_widget_add_controller (GTK_WIDGET (self), shortcuts);

  g_signal_connect_object (self->patient_entry, "search-changed", G_CALLBACK (on_patient_search_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->patient_entry, "activate", G_CALLBACK (on_patient_search_activate), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->patient_results, "row-activated", G_CALLBACK (on_patient_row_activated), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->relationship_dropdown, "notify::selected", G_CALLBACK (on_relationship_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->caller_name_entry, "changed", G_CALLBACK (changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->reason_view), "changed", G_CALLBACK (on_reason_changed),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gtk_text_view_get_buffer (self->notes_view), "changed", G_CALLBACK (changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->red_check, "toggled", G_CALLBACK (on_urgency_toggled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->amber_check, "toggled", G_CALLBACK (on_urgency_toggled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->green_check, "toggled", G_CALLBACK (on_urgency_toggled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->route_dropdown, "notify::selected", G_CALLBACK (on_route_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->clinician_dropdown, "notify::selected", G_CALLBACK (on_route_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->profession_dropdown, "notify::selected", G_CALLBACK (on_route_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->signpost_dropdown, "notify::selected", G_CALLBACK (on_route_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->contact_dropdown, "notify::selected", G_CALLBACK (changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->number_entry, "changed", G_CALLBACK (on_number_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->outcome_dropdown, "notify::selected", G_CALLBACK (on_outcome_changed), self,
                           G_CONNECT_SWAPPED);
}

/* ---- public API ------------------------------------------------------------------------- */

static SignpostTriageForm *
find_open (const char *triage_id,
           const char *call_id)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) window = g_list_model_get_item (toplevels, i);
      SignpostTriageForm *form;

      if (!SIGNPOST_IS_TRIAGE_FORM (window))
        continue;
      form = SIGNPOST_TRIAGE_FORM (window);
      if ((triage_id != NULL && *triage_id != '\0' && g_strcmp0 (form->triage_id, triage_id) == 0) ||
          ((triage_id == NULL || *triage_id == '\0') && call_id != NULL && *call_id != '\0' &&
           g_strcmp0 (form->call_id, call_id) == 0))
        return form;
    }
  return NULL;
}

static SignpostTriageForm *
create (GtkWindow          *parent,
        SignpostActions    *actions,
        const char         *triage_id,
        const char         *call_id,
        const char         *patient_id,
        JsonObject         *draft)
{
  SignpostTriageForm *self;

  /* Not modal: the queue and the popup stay usable behind it. */
  self = g_object_new (SIGNPOST_TYPE_TRIAGE_FORM, "transient-for", parent, "modal", FALSE, NULL);
  setup (self, actions, triage_id, call_id, patient_id, draft);
  gtk_window_present (GTK_WINDOW (self));
  gtk_widget_grab_focus (self->patient == NULL && self->original == NULL
                         ? GTK_WIDGET (self->patient_entry) : GTK_WIDGET (self->reason_view));
  return self;
}

SignpostTriageForm *
signpost_triage_form_open (GtkWindow          *parent,
                           SignpostActions    *actions,
                           const char         *triage_id,
                           const char         *call_id,
                           const char         *patient_id)
{
  SignpostTriageForm *open;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (actions), NULL);
  if (signpost_actions_get_cache (actions) == NULL)
    return NULL;

  open = find_open (triage_id, call_id);
  if (open != NULL)
    {
      gtk_window_present (GTK_WINDOW (open));
      return open;
    }
  return create (parent, actions, triage_id, call_id, patient_id, NULL);
}

SignpostTriageForm *
signpost_triage_form_open_draft (GtkWindow          *parent,
                                 SignpostActions    *actions,
                                 const char         *key)
{
  SignpostCache *cache;
  g_autoptr(JsonObject) draft = NULL;
  SignpostTriageForm *open;

  g_return_val_if_fail (SIGNPOST_IS_ACTIONS (actions), NULL);
  cache = signpost_actions_get_cache (actions);
  if (cache == NULL || (draft = signpost_cache_load_draft (cache, key)) == NULL)
    return NULL;
  open = find_open (json_object_get_string_member_with_default (draft, "triage_id", NULL), NULL);
  if (open != NULL)
    {
      gtk_window_present (GTK_WINDOW (open));
      return open;
    }
  return create (parent, actions,
                 json_object_get_string_member_with_default (draft, "triage_id", NULL),
                 json_object_get_string_member_with_default (draft, "call_id", NULL),
                 json_object_get_string_member_with_default (draft, "patient_id", NULL),
                 draft);
}

typedef struct {
  GtkWindow *parent;
  SignpostActions    *actions;
  GStrv keys;
} DraftOffer;

static void
draft_offer_free (DraftOffer *offer)
{
  g_clear_object (&offer->parent);
  g_clear_object (&offer->actions);
  g_strfreev (offer->keys);
  g_free (offer);
}

static void
on_drafts_response (AdwMessageDialog *dialog,
                    const char       *response,
                    DraftOffer       *offer)
{
  SignpostCache *cache = signpost_actions_get_cache (offer->actions);

  for (guint i = 0; offer->keys[i] != NULL && cache != NULL; i++)
    {
      if (g_str_equal (response, "open"))
        signpost_triage_form_open_draft (offer->parent, offer->actions, offer->keys[i]);
      else if (g_str_equal (response, "discard"))
        signpost_cache_delete_draft (cache, offer->keys[i], NULL);
    }
}

void
signpost_triage_form_offer_drafts (GtkWindow          *parent,
                                   SignpostActions    *actions)
{
  SignpostCache *cache;
  g_auto(GStrv) keys = NULL;
  GtkWidget *dialog;
  DraftOffer *offer;
  g_autofree char *body = NULL;
  guint n;

  g_return_if_fail (SIGNPOST_IS_ACTIONS (actions));
  cache = signpost_actions_get_cache (actions);
  if (cache == NULL)
    return;
  keys = signpost_cache_list_drafts (cache, "triage:");
  /* Forms open now have their drafts in hand. */
  {
    g_autoptr(GStrvBuilder) left = g_strv_builder_new ();
    for (guint i = 0; keys != NULL && keys[i] != NULL; i++)
      if (find_open (keys[i] + strlen ("triage:"), NULL) == NULL)
        g_strv_builder_add (left, keys[i]);
    g_strfreev (keys);
    keys = g_strv_builder_end (left);
  }
  n = g_strv_length (keys);
  if (n == 0)
    return;

  body = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "A request was being written when Signpost last closed, and was not saved. "
                                       "Open it to finish and save it?",
                                       "%u requests were being written when Signpost last closed, and were not saved. "
                                       "Open them to finish and save them?", n), n);
  dialog = adw_message_dialog_new (parent, _("Unsaved Requests"), body);
  adw_message_dialog_add_responses (ADW_MESSAGE_DIALOG (dialog),
                                    "later", _("_Not Now"),
                                    "discard", _("_Discard"),
                                    "open", _("_Open"),
                                    NULL);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "discard", ADW_RESPONSE_DESTRUCTIVE);
  adw_message_dialog_set_response_appearance (ADW_MESSAGE_DIALOG (dialog), "open", ADW_RESPONSE_SUGGESTED);
  adw_message_dialog_set_default_response (ADW_MESSAGE_DIALOG (dialog), "open");
  adw_message_dialog_set_close_response (ADW_MESSAGE_DIALOG (dialog), "later");
  offer = g_new0 (DraftOffer, 1);
  offer->parent = parent ? g_object_ref (parent) : NULL;
  offer->actions = g_object_ref (actions);
  offer->keys = g_steal_pointer (&keys);
  g_signal_connect_data (dialog, "response", G_CALLBACK (on_drafts_response), offer,
                         (GClosureNotify) (void (*) (void)) draft_offer_free, 0);
  gtk_window_present (GTK_WINDOW (dialog));
}

const char *
signpost_triage_form_get_triage_id (SignpostTriageForm *self)
{
  g_return_val_if_fail (SIGNPOST_IS_TRIAGE_FORM (self), NULL);
  return self->triage_id;
}

const char *
signpost_triage_form_get_call_id (SignpostTriageForm *self)
{
  g_return_val_if_fail (SIGNPOST_IS_TRIAGE_FORM (self), NULL);
  return self->call_id;
}

gboolean
signpost_triage_form_get_dirty (SignpostTriageForm *self)
{
  g_return_val_if_fail (SIGNPOST_IS_TRIAGE_FORM (self), FALSE);
  return self->dirty;
}

void
signpost_triage_form_set_reason (SignpostTriageForm *self,
                                 const char         *text)
{
  g_return_if_fail (SIGNPOST_IS_TRIAGE_FORM (self));
  text_view_set_text (self->reason_view, text);
}

void
signpost_triage_form_set_red_flag (SignpostTriageForm *self,
                                   const char         *key,
                                   gboolean            ticked)
{
  g_return_if_fail (SIGNPOST_IS_TRIAGE_FORM (self));

  for (guint i = 0; i < self->flag_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->flag_checks, i);
      if (g_strcmp0 (g_object_get_data (G_OBJECT (check), "flag-key"), key) == 0)
        gtk_check_button_set_active (check, ticked);
    }
}

void
signpost_triage_form_set_urgency (SignpostTriageForm *self,
                                  SignpostUrgency     urgency)
{
  GtkCheckButton *check;

  g_return_if_fail (SIGNPOST_IS_TRIAGE_FORM (self));
  switch (signpost_navigation_rag_for_urgency (urgency))
    {
    case SIGNPOST_RAG_RED:
      check = self->red_check;
      break;
    case SIGNPOST_RAG_AMBER:
      check = self->amber_check;
      break;
    case SIGNPOST_RAG_GREEN:
    default:
      check = self->green_check;
      break;
    }
  /* As a click would: an insensitive choice cannot be made. */
  if (gtk_widget_is_sensitive (GTK_WIDGET (check)))
    gtk_check_button_set_active (check, TRUE);
}

gboolean
signpost_triage_form_get_urgency_allowed (SignpostTriageForm *self,
                                          SignpostUrgency     urgency)
{
  g_return_val_if_fail (SIGNPOST_IS_TRIAGE_FORM (self), FALSE);
  switch (signpost_navigation_rag_for_urgency (urgency))
    {
    case SIGNPOST_RAG_AMBER:
      return gtk_widget_get_sensitive (GTK_WIDGET (self->amber_check));
    case SIGNPOST_RAG_GREEN:
      return gtk_widget_get_sensitive (GTK_WIDGET (self->green_check));
    case SIGNPOST_RAG_RED:
    default:
      return TRUE;
    }
}

gboolean
signpost_triage_form_get_red_flag_shown (SignpostTriageForm *self)
{
  g_return_val_if_fail (SIGNPOST_IS_TRIAGE_FORM (self), FALSE);
  return gtk_revealer_get_reveal_child (self->red_flag_revealer);
}

const char *
signpost_triage_form_get_red_flag_advice (SignpostTriageForm *self)
{
  g_return_val_if_fail (SIGNPOST_IS_TRIAGE_FORM (self), NULL);
  return gtk_label_get_text (self->red_flag_title);
}

const char *
signpost_triage_form_get_pharmacy_first (SignpostTriageForm *self)
{
  g_return_val_if_fail (SIGNPOST_IS_TRIAGE_FORM (self), NULL);
  return self->pharmacy_first;
}

const char *
signpost_triage_form_get_contact_number (SignpostTriageForm *self)
{
  g_return_val_if_fail (SIGNPOST_IS_TRIAGE_FORM (self), NULL);
  return gtk_editable_get_text (GTK_EDITABLE (self->number_entry));
}
