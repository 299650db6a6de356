/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "signpost-accessible.h"
#include "signpost-navigation.h"
#include "signpost-patient-format.h"
#include "signpost-triage-format.h"
#include "signpost-triage-row.h"

struct _SignpostTriageRow
{
  GtkBox parent_instance;

  GtkImage *urgency_icon;
  GtkLabel *badge_label;
  GtkLabel *name_label;
  GtkLabel *waited_label;
  GtkLabel *reason_label;
  GtkImage *state_icon;
  GtkLabel *status_label;

  SignpostTriage *triage;
  SignpostCache *cache;
  char *my_user_id;
  gboolean for_clinician;
  const char *urgency_class;
};

G_DEFINE_FINAL_TYPE (SignpostTriageRow, signpost_triage_row, GTK_TYPE_BOX)

static void
update_accessible (SignpostTriageRow *self)
{
  g_autofree char *text = g_strdup_printf ("%s, %s, %s. %s. %s",
                                           gtk_label_get_text (self->badge_label),
                                           gtk_label_get_text (self->name_label),
                                           gtk_label_get_text (self->waited_label),
                                           gtk_label_get_text (self->reason_label),
                                           gtk_label_get_text (self->status_label));

  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  /* The list's row is what takes the focus and is announced. */
  signpost_accessible_label_row_of (GTK_WIDGET (self), text);
}

void
signpost_triage_row_tick (SignpostTriageRow *self,
                          GDateTime         *now)
{
  g_autofree char *waited = NULL;
  g_autofree char *text = NULL;

  g_return_if_fail (SIGNPOST_IS_TRIAGE_ROW (self));
  if (self->triage == NULL)
    return;
  waited = signpost_triage_format_waited (signpost_triage_get_arrived (self->triage), now);
  /* Translators: how long a request has waited, "waited 1 h 05 min" */
  text = g_strdup_printf (_("waited %s"), waited);
  if (g_strcmp0 (gtk_label_get_text (self->waited_label), text) != 0)
    {
      gtk_label_set_text (self->waited_label, text);
      update_accessible (self);
    }
}

static char *
status_text (SignpostTriageRow *self)
{
  SignpostTriage *triage = self->triage;
  const char *claimed = signpost_triage_get_claimed_by (triage);
  g_autofree char *route = signpost_triage_format_route (self->cache, signpost_triage_get_route (triage));
  const char *status = signpost_triage_format_status (triage);

  if (signpost_cache_record_is_pending (SIGNPOST_RECORD (triage)))
    /* Translators: a request saved on this PC and not yet on the server */
    return g_strdup_printf (_("%s · %s · not yet sent to the server"), status, route);
  if (self->for_clinician)
    {
      /* For a doctor, where it stands is who has it. */
      if (claimed != NULL && g_strcmp0 (claimed, self->my_user_id) == 0)
        return g_strdup (_("You have this open"));
      if (claimed != NULL)
        {
          g_autofree char *who = signpost_triage_format_user (self->cache, claimed);
          /* Translators: another doctor is looking at this request */
          return g_strdup_printf (_("%s has this open"), who ? who : _("Another clinician"));
        }
      if (signpost_triage_get_status (triage) == SIGNPOST_TRIAGE_OPEN)
        return g_strdup (_("Not opened yet · the navigator is still on it"));
      if (signpost_triage_get_route (triage) != NULL &&
          signpost_route_get_kind (signpost_triage_get_route (triage)) == SIGNPOST_ROUTE_CLINICIAN)
        return g_strdup (_("Not opened yet · sent to you by name"));
      return g_strdup (_("Not opened yet"));
    }
  if (signpost_triage_get_route (triage) == NULL ||
      signpost_route_get_kind (signpost_triage_get_route (triage)) == SIGNPOST_ROUTE_DUTY)
    return g_strdup (status);
  /* Translators: a request's status and where it was routed */
  return g_strdup_printf (_("%s · %s"), status, route);
}

static void
refresh (SignpostTriageRow *self)
{
  SignpostTriage *triage = self->triage;
  SignpostUrgency urgency;
  g_autoptr(SignpostPatient) patient = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *name = NULL;
  g_autofree char *status = NULL;
  g_autofree char *reason = NULL;
  const char *urgency_class;

  if (triage == NULL)
    return;
  urgency = signpost_triage_get_urgency (triage);
  urgency_class = signpost_triage_format_urgency_class (urgency);
  if (self->urgency_class != urgency_class)
    {
      if (self->urgency_class != NULL)
        {
          gtk_widget_remove_css_class (GTK_WIDGET (self), self->urgency_class);
          gtk_widget_remove_css_class (GTK_WIDGET (self->badge_label), self->urgency_class);
        }
      gtk_widget_add_css_class (GTK_WIDGET (self), urgency_class);
      gtk_widget_add_css_class (GTK_WIDGET (self->badge_label), urgency_class);
      self->urgency_class = urgency_class;
    }
  gtk_image_set_from_icon_name (self->urgency_icon, signpost_triage_format_urgency_icon (urgency));
  gtk_label_set_text (self->badge_label, signpost_triage_format_urgency_badge (urgency));

  if (signpost_triage_get_patient_id (triage) != NULL)
    patient = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, signpost_triage_get_patient_id (triage), NULL);
  if (patient != NULL)
    {
      g_autofree char *full = signpost_patient_format_name (patient);
      g_autofree char *born = signpost_patient_format_born (patient, now);
      /* Just the age, "(45y)" or "(9m)", from "12-Mar-1980 (45y)". */
      const char *age = strrchr (born, '(');
      name = age ? g_strdup_printf ("%s %s", full, age) : g_strdup (full);
    }
  else
    name = g_strdup (signpost_triage_get_caller_name (triage) ? signpost_triage_get_caller_name (triage)
                                                               : _("Patient not yet identified"));
  gtk_label_set_text (self->name_label, name);

  reason = g_strdup_printf ("“%s”", signpost_triage_get_reason (triage));
  gtk_label_set_text (self->reason_label, reason);

  status = status_text (self);
  gtk_label_set_text (self->status_label, status);
  gtk_widget_set_visible (GTK_WIDGET (self->state_icon), signpost_triage_get_claimed_by (triage) != NULL ||
                                                         signpost_cache_record_is_pending (SIGNPOST_RECORD (triage)));
  gtk_image_set_from_icon_name (self->state_icon,
                                signpost_cache_record_is_pending (SIGNPOST_RECORD (triage))
                                ? "network-offline-symbolic" : "document-open-symbolic");
  signpost_triage_row_tick (self, now);
  update_accessible (self);
}

static void
signpost_triage_row_dispose (GObject *object)
{
  SignpostTriageRow *self = SIGNPOST_TRIAGE_ROW (object);

  signpost_triage_row_unbind (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_TRIAGE_ROW);

  G_OBJECT_CLASS (signpost_triage_row_parent_class)->dispose (object);
}

static void
signpost_triage_row_class_init (SignpostTriageRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = signpost_triage_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-triage-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageRow, urgency_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageRow, badge_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageRow, waited_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageRow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostTriageRow, status_label);
}

static void
signpost_triage_row_init (SignpostTriageRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SignpostTriageRow *
signpost_triage_row_new (void)
{
  return g_object_new (SIGNPOST_TYPE_TRIAGE_ROW, NULL);
}

void
signpost_triage_row_bind (SignpostTriageRow *self,
                          SignpostTriage    *triage,
                          SignpostCache     *cache,
                          const char        *my_user_id,
                          gboolean           for_clinician)
{
  g_return_if_fail (SIGNPOST_IS_TRIAGE_ROW (self));
  g_return_if_fail (SIGNPOST_IS_TRIAGE (triage));

  signpost_triage_row_unbind (self);
  self->triage = g_object_ref (triage);
  self->cache = cache ? g_object_ref (cache) : NULL;
  self->my_user_id = g_strdup (my_user_id);
  self->for_clinician = for_clinician;
  g_signal_connect_object (triage, "notify", G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
  refresh (self);
}

void
signpost_triage_row_unbind (SignpostTriageRow *self)
{
  g_return_if_fail (SIGNPOST_IS_TRIAGE_ROW (self));

  if (self->triage != NULL)
    g_signal_handlers_disconnect_by_data (self->triage, self);
  g_clear_object (&self->triage);
  g_clear_object (&self->cache);
  g_clear_pointer (&self->my_user_id, g_free);
}

SignpostTriage *
signpost_triage_row_get_triage (SignpostTriageRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_TRIAGE_ROW (self), NULL);
  return self->triage;
}

void
signpost_triage_row_set_open (SignpostTriageRow *self,
                              gboolean           open)
{
  g_return_if_fail (SIGNPOST_IS_TRIAGE_ROW (self));
  if (open)
    gtk_widget_add_css_class (GTK_WIDGET (self), "open-request");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "open-request");
}
