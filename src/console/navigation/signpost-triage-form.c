/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "signpost-navigation.h"
#include "signpost-patient-format.h"
#include "signpost-request-outcome-section.h"
#include "signpost-request-reason-section.h"
#include "signpost-request-route-section.h"
#include "signpost-request-who-section.h"
#include "signpost-triage-format.h"
#include "signpost-triage-form-private.h"

/* The rules of care navigation across the form's sections; see
 * signpost-triage-form-private.h for how the class is laid out. */

G_DEFINE_FINAL_TYPE (SignpostTriageForm, signpost_triage_form, ADW_TYPE_WINDOW)

static void sync_outcome (SignpostTriageForm *self);

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
    practice = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PRACTICE, self->practice_id, NULL);
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

GStrv
signpost_triage_form_ticked_flags (SignpostTriageForm *self)
{
  return signpost_request_reason_section_dup_ticked_flags (self->reason_section);
}

int
signpost_triage_form_chosen_rag (SignpostTriageForm *self)
{
  return signpost_request_route_section_get_rag (self->route_section);
}

void
signpost_triage_form_toast (SignpostTriageForm *self,
                            const char         *text)
{
  adw_toast_overlay_add_toast (self->toast_overlay, adw_toast_new (text));
}

/* ---- state line -------------------------------------------------------------------- */

void
signpost_triage_form_update_state (SignpostTriageForm *self)
{
  g_autoptr(SignpostTriage) cached = NULL;
  const char *text;
  const char *icon;

  /* Not on every keystroke: while typing, the line does not need it. */
  if (!self->dirty && self->cache != NULL && self->original != NULL)
    cached = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_TRIAGE, self->triage_id, NULL);

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

void
signpost_triage_form_fill_clinicians (SignpostTriageForm *self)
{
  g_autoptr(GStrvBuilder) labels = g_strv_builder_new ();
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_auto(GStrv) strv = NULL;
  SignpostClinician *usual = NULL;
  g_autoptr(GPtrArray) all = NULL;
  gboolean was_loading = self->loading;

  g_ptr_array_set_size (self->clinicians, 0);
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
        g_ptr_array_add (ids, g_strdup (id));
      }
  strv = g_strv_builder_end (labels);
  /* A new list is not the navigator choosing someone. */
  self->loading = TRUE;
  signpost_request_route_section_set_clinicians (self->route_section, ids, (const char * const *) strv);
  self->loading = was_loading;
}

/* Who is on duty now and the usual GP, for the route section's words. */
void
signpost_triage_form_update_route_hint (SignpostTriageForm *self)
{
  g_autoptr(GDateTime) now = now_utc ();
  SignpostClinician *duty = signpost_navigation_find_duty_doctor (self->clinicians, self->practice_id, now);
  g_autofree char *duty_name = duty ? signpost_triage_format_clinician (self->cache,
                                                                        signpost_record_get_id (SIGNPOST_RECORD (duty)))
                                    : NULL;
  g_autofree char *usual = self->usual_gp_id ? signpost_triage_format_clinician (self->cache, self->usual_gp_id) : NULL;
  g_autofree char *duty_text = NULL;

  if (duty_name != NULL)
    /* Translators: who is the duty doctor now */
    duty_text = g_strdup_printf (_("On duty now: %s"), duty_name);
  else
    duty_text = g_strdup (_("The duty doctor on the rota sees it."));
  signpost_request_route_section_set_people (self->route_section, duty_text, usual);
}

/* The route continuity suggests, until the navigator picks one. */
void
signpost_triage_form_apply_default_route (SignpostTriageForm *self)
{
  int rag = signpost_triage_form_chosen_rag (self);
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
      signpost_request_route_section_set_route_kind (self->route_section, SIGNPOST_ROUTE_CLINICIAN);
      signpost_request_route_section_set_clinician_id (self->route_section, signpost_route_get_clinician_id (route));
    }
  else
    signpost_request_route_section_set_route_kind (self->route_section, SIGNPOST_ROUTE_DUTY);
  self->loading = was_loading;
  sync_outcome (self);
  signpost_triage_form_update_route_hint (self);
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

void
signpost_triage_form_set_number (SignpostTriageForm *self,
                                 const char         *e164,
                                 const char         *why)
{
  g_autofree char *shown = e164 ? signpost_phone_format (e164) : NULL;
  gboolean was_loading = self->loading;

  self->loading = TRUE;
  signpost_request_outcome_section_set_number_text (self->outcome_section, shown);
  self->loading = was_loading;
  signpost_request_outcome_section_set_number_hint (self->outcome_section, why);
}

void
signpost_triage_form_show_patient (SignpostTriageForm *self)
{
  g_autoptr(GDateTime) now = now_utc ();

  signpost_request_who_section_show_patient (self->who_section, self->patient,
                                             signpost_cache_get_practice_name (self->cache, self->practice_id));
  if (self->patient != NULL)
    {
      g_autofree char *name = signpost_patient_format_name (self->patient);
      g_autofree char *born = signpost_patient_format_born (self->patient, now);
      g_autofree char *subtitle = g_strdup_printf ("%s, %s", name, born);

      adw_window_title_set_subtitle (self->window_title, subtitle);
    }
  else
    adw_window_title_set_subtitle (self->window_title, _("No patient chosen yet"));
}

void
signpost_triage_form_set_patient (SignpostTriageForm *self,
                                  SignpostPatient    *patient)
{
  if (!g_set_object (&self->patient, patient))
    return;
  if (patient != NULL)
    {
      g_free (self->practice_id);
      self->practice_id = g_strdup (signpost_record_get_practice_id (SIGNPOST_RECORD (patient)));
    }
  signpost_triage_form_show_patient (self);
  /* A new request for a child: a parent or carer is calling, unless the
   * navigator has said who is. */
  if (self->original == NULL &&
      signpost_request_who_section_get_relationship (self->who_section) == self->caller_default)
    {
      g_autoptr(GDateTime) now = now_utc ();
      g_autoptr(GTimeZone) tz = practice_time_zone (self);

      self->caller_default = signpost_navigation_default_caller (date_of_birth (self), now, tz);
      signpost_request_who_section_set_relationship (self->who_section, self->caller_default);
    }
  signpost_triage_form_fill_clinicians (self);
  signpost_triage_form_apply_default_route (self);
  signpost_triage_form_update_route_hint (self);
  signpost_triage_form_rebuild_red_flags (self);
  if (patient != NULL && !self->number_touched &&
      *signpost_request_outcome_section_get_number (self->outcome_section) == '\0')
    {
      g_autofree char *number = first_mobile (patient);
      if (number != NULL)
        signpost_triage_form_set_number (self, number, _("From the patient’s record: check it with the caller."));
    }
  signpost_triage_form_update_pharmacy_first (self);
}

/* ---- the patient chosen ----------------------------------------------------------- */

static void
on_patient_chosen (SignpostTriageForm *self,
                   SignpostPatient    *patient)
{
  signpost_triage_form_set_patient (self, patient);
  signpost_triage_form_changed (self);
  if (self->actions != NULL)
    signpost_actions_report_view (self->actions, signpost_record_get_id (SIGNPOST_RECORD (patient)), "triage");
  signpost_request_reason_section_focus_reason (self->reason_section);
}

/* ---- red flags and urgency ----------------------------------------------------------- */

static void
on_flag_toggled (SignpostTriageForm *self)
{
  signpost_triage_form_update_red_flags (self);
  signpost_triage_form_update_pharmacy_first (self);
  signpost_triage_form_changed (self);
}

void
signpost_triage_form_rebuild_red_flags (SignpostTriageForm *self)
{
  g_autoptr(GDateTime) now = now_utc ();
  g_autoptr(GTimeZone) tz = practice_time_zone (self);
  SignpostRedFlagGroup group = signpost_navigation_red_flag_group_for (date_of_birth (self), now, tz);

  signpost_request_reason_section_set_flag_group (self->reason_section, group);
  signpost_triage_form_update_red_flags (self);
}

/* A ticked flag says what to do now, makes the request Red, and takes
 * Amber and Green away. */
void
signpost_triage_form_update_red_flags (SignpostTriageForm *self)
{
  g_auto(GStrv) flags = signpost_triage_form_ticked_flags (self);
  SignpostRedFlagAction action;
  gboolean any = signpost_navigation_red_flag_action ((const char * const *) flags, &action);
  gboolean was_loading = self->loading;

  self->loading = TRUE;
  signpost_request_route_section_set_red_flag (self->route_section, any, action);
  self->loading = was_loading;
  if (any)
    {
      gtk_label_set_text (self->red_flag_title, signpost_navigation_red_flag_headline (action));
      gtk_label_set_text (self->red_flag_detail, signpost_navigation_red_flag_advice (action));
      /* Red cannot wait for the usual GP. */
      if (!self->route_touched)
        signpost_triage_form_apply_default_route (self);
    }
  gtk_revealer_set_reveal_child (self->red_flag_revealer, any);
}

static void
on_urgency_chosen (SignpostTriageForm *self)
{
  signpost_triage_form_apply_default_route (self);
  signpost_triage_form_changed (self);
}

/* ---- Pharmacy First ------------------------------------------------------------------ */

void
signpost_triage_form_update_pharmacy_first (SignpostTriageForm *self)
{
  g_autofree char *reason = signpost_request_reason_section_dup_reason (self->reason_section);
  g_auto(GStrv) flags = signpost_triage_form_ticked_flags (self);
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

  signpost_request_route_section_show_pharmacy_first (self->route_section, text, offer);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "triage.accept-pharmacy-first", offer);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "triage.decline-pharmacy-first", offer);
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
  signpost_request_route_section_set_route_kind (self->route_section, SIGNPOST_ROUTE_SIGNPOST);
  signpost_request_route_section_set_signpost (self->route_section, SIGNPOST_SIGNPOST_PHARMACY_FIRST);
  signpost_request_outcome_section_set_outcome (self->outcome_section, SIGNPOST_OUTCOME_SIGNPOSTED);
  self->loading = FALSE;
  signpost_triage_form_update_route_hint (self);
  signpost_triage_form_update_pharmacy_first (self);
  signpost_triage_form_changed (self);
}

static void
decline_pharmacy_first (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SignpostTriageForm *self = SIGNPOST_TRIAGE_FORM (widget);

  self->pharmacy_first_taken = FALSE;
  self->pharmacy_dismissed = TRUE;
  signpost_triage_form_update_pharmacy_first (self);
  signpost_triage_form_changed (self);
}

/* ---- route and outcome --------------------------------------------------------------- */

/* Until the navigator picks an outcome, it follows the route. */
static void
sync_outcome (SignpostTriageForm *self)
{
  SignpostRouteKind route = signpost_request_route_section_get_route_kind (self->route_section);
  SignpostTriageOutcome outcome = route == SIGNPOST_ROUTE_DUTY ? SIGNPOST_OUTCOME_SENT_TO_DUTY :
                                  route == SIGNPOST_ROUTE_SIGNPOST ? SIGNPOST_OUTCOME_SIGNPOSTED
                                                                   : SIGNPOST_OUTCOME_NONE;
  gboolean was_loading = self->loading;

  if (self->outcome_touched)
    return;
  /* What the form shows now is what Save sends, on a request saved
   * before as on a new one. */
  if (!was_loading && outcome != signpost_request_outcome_section_get_outcome (self->outcome_section))
    self->outcome_followed = TRUE;
  self->loading = TRUE;
  signpost_request_outcome_section_set_outcome (self->outcome_section, outcome);
  self->loading = was_loading;
}

static void
on_route_changed (SignpostTriageForm *self)
{
  if (self->loading)
    return;
  self->route_touched = TRUE;
  /* Leaving Pharmacy First means the suggestion was not taken after all. */
  if (self->pharmacy_first_taken &&
      (signpost_request_route_section_get_route_kind (self->route_section) != SIGNPOST_ROUTE_SIGNPOST ||
       signpost_request_route_section_get_signpost (self->route_section) != SIGNPOST_SIGNPOST_PHARMACY_FIRST))
    {
      self->pharmacy_first_taken = FALSE;
      self->pharmacy_dismissed = TRUE;
      signpost_triage_form_update_pharmacy_first (self);
    }
  sync_outcome (self);
  signpost_triage_form_changed (self);
}

static void
on_outcome_changed (SignpostTriageForm *self)
{
  if (self->loading)
    return;
  self->outcome_touched = TRUE;
  signpost_triage_form_changed (self);
}

static void
on_number_changed (SignpostTriageForm *self)
{
  if (self->loading)
    return;
  self->number_touched = TRUE;
  signpost_request_outcome_section_clear_number_error (self->outcome_section);
  signpost_triage_form_changed (self);
}

static void
on_reason_changed (SignpostTriageForm *self)
{
  signpost_triage_form_update_pharmacy_first (self);
  signpost_triage_form_changed (self);
}

/* ---- GObject ---------------------------------------------------------------------------- */

static void
signpost_triage_form_dispose (GObject *object)
{
  SignpostTriageForm *self = SIGNPOST_TRIAGE_FORM (object);

  /* Whatever was typed and not saved is on disk for next time. */
  signpost_triage_form_write_draft (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_TRIAGE_FORM);
  g_clear_object (&self->search_model);
  g_clear_object (&self->original);
  g_clear_object (&self->patient);
  g_clear_object (&self->cache);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->clinicians, g_ptr_array_unref);

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

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-triage-form.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, window_title);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, red_flag_revealer);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, red_flag_title);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, red_flag_detail);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, scroller);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, who_section);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, reason_section);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, route_section);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, outcome_section);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, state_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, state_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageForm, request_details);

  gtk_widget_class_install_action (widget_class, "triage.save", NULL, signpost_triage_form_save_action);
  gtk_widget_class_install_action (widget_class, "triage.save-close", NULL, signpost_triage_form_save_close_action);
  gtk_widget_class_install_action (widget_class, "triage.find-slot", NULL, signpost_triage_form_find_slot_action);
  gtk_widget_class_install_action (widget_class, "triage.accept-pharmacy-first", NULL, accept_pharmacy_first);
  gtk_widget_class_install_action (widget_class, "triage.decline-pharmacy-first", NULL, decline_pharmacy_first);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "triage.save", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Return, GDK_CONTROL_MASK, "triage.save-close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_KP_Enter, GDK_CONTROL_MASK, "triage.save-close", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Escape, 0, "window.close", NULL);
  /* As everywhere else, Ctrl+Shift+F finds a slot: here, for this request. */
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F, GDK_CONTROL_MASK | GDK_SHIFT_MASK,
                                       "triage.find-slot", NULL);
}

static void
signpost_triage_form_init (SignpostTriageForm *self)
{
  GtkEventController *shortcuts;

  g_type_ensure (SIGNPOST_TYPE_REQUEST_DETAILS);
  g_type_ensure (SIGNPOST_TYPE_REQUEST_WHO_SECTION);
  g_type_ensure (SIGNPOST_TYPE_REQUEST_REASON_SECTION);
  g_type_ensure (SIGNPOST_TYPE_REQUEST_ROUTE_SECTION);
  g_type_ensure (SIGNPOST_TYPE_REQUEST_OUTCOME_SECTION);

  self->clinicians = g_ptr_array_new_with_free_func (g_object_unref);

  self->loading = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));
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

  {
    g_autoptr(GtkSizeGroup) labels = gtk_size_group_new (GTK_SIZE_GROUP_HORIZONTAL);

    signpost_request_route_section_align_labels (self->route_section, labels);
    signpost_request_outcome_section_align_labels (self->outcome_section, labels);
  }

  /* Each section says what the navigator did; the rules across them are here. */
  g_signal_connect_object (self->who_section, "patient-chosen", G_CALLBACK (on_patient_chosen), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->who_section, "changed", G_CALLBACK (signpost_triage_form_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reason_section, "reason-changed", G_CALLBACK (on_reason_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->reason_section, "flags-changed", G_CALLBACK (on_flag_toggled), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->route_section, "urgency-chosen", G_CALLBACK (on_urgency_chosen), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->route_section, "route-changed", G_CALLBACK (on_route_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->outcome_section, "changed", G_CALLBACK (signpost_triage_form_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->outcome_section, "number-changed", G_CALLBACK (on_number_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->outcome_section, "outcome-changed", G_CALLBACK (on_outcome_changed), self,
                           G_CONNECT_SWAPPED);
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
  signpost_request_reason_section_set_reason (self->reason_section, text);
}

void
signpost_triage_form_set_red_flag (SignpostTriageForm *self,
                                   const char         *key,
                                   gboolean            ticked)
{
  g_return_if_fail (SIGNPOST_IS_TRIAGE_FORM (self));
  signpost_request_reason_section_set_flag (self->reason_section, key, ticked);
}

void
signpost_triage_form_set_urgency (SignpostTriageForm *self,
                                  SignpostUrgency     urgency)
{
  g_return_if_fail (SIGNPOST_IS_TRIAGE_FORM (self));
  /* As a click would: an insensitive choice cannot be made. */
  signpost_request_route_section_choose_rag (self->route_section, signpost_navigation_rag_for_urgency (urgency));
}

void
signpost_triage_form_set_route_kind (SignpostTriageForm *self,
                                     SignpostRouteKind   kind)
{
  g_return_if_fail (SIGNPOST_IS_TRIAGE_FORM (self));
  signpost_request_route_section_set_route_kind (self->route_section, kind);
}

SignpostTriageOutcome
signpost_triage_form_get_outcome (SignpostTriageForm *self)
{
  g_return_val_if_fail (SIGNPOST_IS_TRIAGE_FORM (self), SIGNPOST_OUTCOME_NONE);
  return signpost_request_outcome_section_get_outcome (self->outcome_section);
}

gboolean
signpost_triage_form_get_urgency_allowed (SignpostTriageForm *self,
                                          SignpostUrgency     urgency)
{
  g_return_val_if_fail (SIGNPOST_IS_TRIAGE_FORM (self), FALSE);
  return signpost_request_route_section_get_rag_allowed (self->route_section,
                                                         signpost_navigation_rag_for_urgency (urgency));
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
  return signpost_request_outcome_section_get_number (self->outcome_section);
}
