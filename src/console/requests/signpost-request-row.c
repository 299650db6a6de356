/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "signpost-patient-format.h"
#include "signpost-request-format.h"
#include "signpost-request-row.h"
#include "signpost-triage-format.h"

struct _SignpostRequestRow
{
  GtkBox parent_instance;

  GtkImage *urgency_icon;
  GtkLabel *badge_label;
  GtkWidget *unmatched_tag;
  GtkLabel *name_label;
  GtkWidget *deadline_box;
  GtkImage *deadline_icon;
  GtkLabel *time_left_label;
  GtkLabel *reason_label;
  GtkLabel *reply_by_label;
  GtkImage *source_icon;
  GtkLabel *source_label;
  GtkLabel *flags_label;

  SignpostTriage *triage;
  SignpostCache *cache;
  GTimeZone *tz;
  gboolean show_practice;
  const char *urgency_class;
  const char *row_class;
  const char *deadline_class;
  char *reply_by;
  char *spoken;
};

G_DEFINE_FINAL_TYPE (SignpostRequestRow, signpost_request_row, GTK_TYPE_BOX)

static void
set_class (GtkWidget   *widget,
           const char **current,
           const char  *wanted)
{
  if (*current == wanted)
    return;
  if (*current != NULL)
    gtk_widget_remove_css_class (widget, *current);
  if (wanted != NULL)
    gtk_widget_add_css_class (widget, wanted);
  *current = wanted;
}

static void
update_accessible (SignpostRequestRow *self)
{
  GString *text = g_string_new (NULL);

  if (gtk_widget_get_visible (GTK_WIDGET (self->badge_label)))
    g_string_append_printf (text, "%s. ", gtk_label_get_text (self->badge_label));
  if (gtk_widget_get_visible (self->unmatched_tag))
    /* Translators: read out before the name a request gives, for a screen reader */
    g_string_append_printf (text, "%s: ", _("Not matched yet"));
  g_string_append_printf (text, "%s. %s", gtk_label_get_text (self->name_label),
                          gtk_label_get_text (self->time_left_label));
  if (self->reply_by != NULL)
    g_string_append_printf (text, ", %s", self->reply_by);
  g_string_append_printf (text, ". %s. %s. %s.", gtk_label_get_text (self->reason_label),
                          gtk_label_get_text (self->source_label), gtk_label_get_text (self->flags_label));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text->str, -1);
  /* The list's own item is what takes the keyboard, and what a screen
   * reader announces: it is named too (GTK 4.8 list items have no
   * accessible label of their own to set). */
  if (gtk_widget_get_parent (GTK_WIDGET (self)) != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (gtk_widget_get_parent (GTK_WIDGET (self))),
                                    GTK_ACCESSIBLE_PROPERTY_LABEL, text->str, -1);
  g_free (self->spoken);
  self->spoken = g_string_free (text, FALSE);
}

void
signpost_request_row_tick (SignpostRequestRow *self,
                           GDateTime          *now)
{
  SignpostDeadlineState state;
  g_autofree char *left = NULL;
  g_autofree char *reply_by = NULL;

  g_return_if_fail (SIGNPOST_IS_REQUEST_ROW (self));
  if (self->triage == NULL)
    return;
  state = signpost_request_deadline_state (self->triage, now);
  left = signpost_request_format_time_left (self->triage, now);
  reply_by = signpost_request_format_reply_by (self->triage, now, self->tz);
  if (g_strcmp0 (gtk_label_get_text (self->time_left_label), left) == 0 &&
      g_strcmp0 (self->reply_by, reply_by) == 0 &&
      self->deadline_class == signpost_request_deadline_class (state))
    return;
  gtk_label_set_text (self->time_left_label, left);
  gtk_image_set_from_icon_name (self->deadline_icon, signpost_request_deadline_icon (state));
  set_class (self->deadline_box, &self->deadline_class, signpost_request_deadline_class (state));
  gtk_label_set_text (self->reply_by_label, reply_by ? reply_by : "");
  g_free (self->reply_by);
  self->reply_by = g_steal_pointer (&reply_by);
  update_accessible (self);
}

/* "arrived 08:03", "arrived yesterday 17:40", "arrived Fri 13 Nov 17:40" */
static char *
arrived_text (SignpostRequestRow *self,
              GDateTime          *now)
{
  GDateTime *arrived = signpost_triage_get_arrived (self->triage);
  g_autoptr(GDateTime) local = NULL;
  g_autofree char *clock = NULL;
  GDate day, today;
  int days;

  if (arrived == NULL)
    return NULL;
  local = g_date_time_to_timezone (arrived, self->tz);
  clock = g_date_time_format (local, "%H:%M");
  signpost_local_date (arrived, self->tz, &day);
  signpost_local_date (now, self->tz, &today);
  days = g_date_days_between (&day, &today);
  if (days == 0)
    /* Translators: when a request came, "arrived 08:03" */
    return g_strdup_printf (_("arrived %s"), clock);
  if (days == 1)
    return g_strdup_printf (_("arrived yesterday %s"), clock);
  {
    /* Translators: a day as "Fri 13 Nov"; see strftime */
    g_autofree char *date = g_date_time_format (local, _("%a %d %b"));
    /* Translators: "arrived Fri 13 Nov 17:40" */
    return g_strdup_printf (_("arrived %s %s"), date, clock);
  }
}

static char *
name_text (SignpostRequestRow *self,
           GDateTime          *now)
{
  const char *patient_id = signpost_triage_get_patient_id (self->triage);
  g_autoptr(SignpostPatient) patient = NULL;
  char *stated;

  if (patient_id != NULL && self->cache != NULL)
    patient = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_PATIENT, patient_id, NULL);
  if (patient != NULL)
    {
      g_autofree char *full = signpost_patient_format_name (patient);
      g_autofree char *born = signpost_patient_format_born (patient, now);
      /* Translators: a patient in the Requests list, "SMITH, Ann · born 12-Mar-1980 (45y)" */
      return g_strdup_printf (_("%s · born %s"), full, born);
    }
  stated = signpost_request_format_stated_patient (self->triage, now);
  if (stated != NULL)
    return stated;
  if (signpost_triage_get_caller_name (self->triage) != NULL)
    return g_strdup (signpost_triage_get_caller_name (self->triage));
  return g_strdup (_("Patient not known yet"));
}

static char *
source_text (SignpostRequestRow *self,
             GDateTime          *now)
{
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func (g_free);
  const char *reference = signpost_triage_get_reference (self->triage);
  g_autofree char *type = signpost_request_format_type (self->triage);
  char *arrived = arrived_text (self, now);

  g_ptr_array_add (parts, g_strdup (signpost_request_format_source (self->triage)));
  if (reference != NULL)
    g_ptr_array_add (parts, g_strdup (reference));
  if (arrived != NULL)
    g_ptr_array_add (parts, arrived);
  if (type != NULL)
    g_ptr_array_add (parts, g_steal_pointer (&type));
  if (self->show_practice && self->cache != NULL)
    {
      const char *practice = signpost_cache_get_practice_name (self->cache,
                                                               signpost_record_get_practice_id (SIGNPOST_RECORD (self->triage)));
      if (practice != NULL)
        g_ptr_array_add (parts, g_strdup (practice));
    }
  if (signpost_triage_get_reviewed_by (self->triage) != NULL)
    g_ptr_array_add (parts, g_strdup (signpost_triage_format_status (self->triage)));
  else if (signpost_triage_get_route (self->triage) != NULL && self->cache != NULL)
    {
      g_autofree char *route = signpost_triage_format_route (self->cache, signpost_triage_get_route (self->triage));
      /* Translators: an open request already routed, waiting to be booked: "for Dr Amir SHAH (GP)" */
      g_ptr_array_add (parts, g_strdup_printf (_("for %s"), route));
    }
  if (signpost_cache_record_is_pending (SIGNPOST_RECORD (self->triage)))
    g_ptr_array_add (parts, g_strdup (_("changes not yet sent to the server")));
  g_ptr_array_add (parts, NULL);
  /* Translators: between the parts of a request's origin line */
  return g_strjoinv (_(" · "), (char **) parts->pdata);
}

static char *
reason_text (SignpostTriage *triage)
{
  const char *reason = signpost_triage_get_reason (triage);
  g_autofree char *line = NULL;
  const char *end;

  if (reason == NULL || *reason == '\0')
    return g_strdup (_("No reason given"));
  end = strchr (reason, '\n');
  line = end ? g_strndup (reason, end - reason) : g_strdup (reason);
  return g_strdup_printf ("“%s%s”", g_strstrip (line), end ? "…" : "");
}

static void
refresh (SignpostRequestRow *self)
{
  SignpostTriage *triage = self->triage;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autofree char *name = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *source = NULL;
  g_autofree char *flags = NULL;
  SignpostUrgency urgency;
  gboolean flagged;

  if (triage == NULL)
    return;
  urgency = signpost_triage_get_urgency (triage);
  flagged = signpost_triage_get_red_flags (triage) != NULL && signpost_triage_get_red_flags (triage)[0] != NULL;
  /* Routine is what every request starts as: only what is more urgent
   * is marked. */
  set_class (GTK_WIDGET (self->badge_label), &self->urgency_class,
             urgency != SIGNPOST_URGENCY_ROUTINE ? signpost_triage_format_urgency_class (urgency) : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->badge_label), urgency != SIGNPOST_URGENCY_ROUTINE);
  gtk_widget_set_visible (GTK_WIDGET (self->urgency_icon), urgency != SIGNPOST_URGENCY_ROUTINE);
  gtk_image_set_from_icon_name (self->urgency_icon, signpost_triage_format_urgency_icon (urgency));
  gtk_label_set_text (self->badge_label, signpost_triage_format_urgency_badge (urgency));
  set_class (GTK_WIDGET (self), &self->row_class,
             urgency != SIGNPOST_URGENCY_ROUTINE ? signpost_triage_format_urgency_class (urgency) : NULL);

  gtk_widget_set_visible (self->unmatched_tag, signpost_triage_get_patient_id (triage) == NULL);
  name = name_text (self, now);
  gtk_label_set_text (self->name_label, name);
  reason = reason_text (triage);
  gtk_label_set_text (self->reason_label, reason);
  gtk_image_set_from_icon_name (self->source_icon, signpost_request_source_icon (signpost_triage_get_source (triage)));
  source = source_text (self, now);
  gtk_label_set_text (self->source_label, source);
  flags = signpost_request_format_flags (triage);
  gtk_label_set_text (self->flags_label, flags);
  if (flagged)
    gtk_widget_add_css_class (GTK_WIDGET (self->flags_label), "flag-yes");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->flags_label), "flag-yes");

  /* The time left, its colour and the screen reader's name. */
  g_clear_pointer (&self->reply_by, g_free);
  gtk_label_set_text (self->time_left_label, "");
  signpost_request_row_tick (self, now);
}

static void
signpost_request_row_dispose (GObject *object)
{
  SignpostRequestRow *self = SIGNPOST_REQUEST_ROW (object);

  signpost_request_row_unbind (self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_REQUEST_ROW);

  G_OBJECT_CLASS (signpost_request_row_parent_class)->dispose (object);
}

static void
signpost_request_row_class_init (SignpostRequestRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = signpost_request_row_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-request-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRow, urgency_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRow, badge_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRow, unmatched_tag);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRow, name_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRow, deadline_box);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRow, deadline_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRow, time_left_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRow, reason_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRow, reply_by_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRow, source_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRow, source_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRow, flags_label);
}

static void
signpost_request_row_init (SignpostRequestRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SignpostRequestRow *
signpost_request_row_new (void)
{
  return g_object_new (SIGNPOST_TYPE_REQUEST_ROW, NULL);
}

void
signpost_request_row_bind (SignpostRequestRow *self,
                           SignpostTriage     *triage,
                           SignpostCache      *cache,
                           gboolean            show_practice)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_ROW (self));
  g_return_if_fail (SIGNPOST_IS_TRIAGE (triage));

  signpost_request_row_unbind (self);
  self->triage = g_object_ref (triage);
  self->cache = cache ? g_object_ref (cache) : NULL;
  self->show_practice = show_practice;
  self->tz = signpost_request_practice_time_zone (cache, signpost_record_get_practice_id (SIGNPOST_RECORD (triage)));
  g_signal_connect_object (triage, "notify", G_CALLBACK (refresh), self, G_CONNECT_SWAPPED);
  refresh (self);
}

void
signpost_request_row_unbind (SignpostRequestRow *self)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_ROW (self));

  if (self->triage != NULL)
    g_signal_handlers_disconnect_by_data (self->triage, self);
  g_clear_object (&self->triage);
  g_clear_object (&self->cache);
  g_clear_pointer (&self->tz, g_time_zone_unref);
  g_clear_pointer (&self->reply_by, g_free);
  g_clear_pointer (&self->spoken, g_free);
}

SignpostTriage *
signpost_request_row_get_triage (SignpostRequestRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_ROW (self), NULL);
  return self->triage;
}

const char *
signpost_request_row_get_time_left (SignpostRequestRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_ROW (self), NULL);
  return gtk_label_get_text (self->time_left_label);
}

const char *
signpost_request_row_get_deadline_class (SignpostRequestRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_ROW (self), NULL);
  return self->deadline_class;
}

const char *
signpost_request_row_get_spoken (SignpostRequestRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_ROW (self), NULL);
  return self->spoken;
}
