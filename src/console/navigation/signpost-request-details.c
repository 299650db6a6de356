/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-request-details.h"
#include "signpost-request-format.h"

struct _SignpostRequestDetails
{
  GtkBox parent_instance;

  GtkImage *source_icon;
  GtkLabel *source_label;
  GtkWidget *deadline_box;
  GtkImage *deadline_icon;
  GtkLabel *deadline_label;
  GtkLabel *lines_label;
  GtkLabel *flags_label;

  const char *deadline_class;
};

G_DEFINE_FINAL_TYPE (SignpostRequestDetails, signpost_request_details, GTK_TYPE_BOX)

static void
add_line (GString    *text,
          const char *label,
          const char *value)
{
  if (value == NULL || *value == '\0')
    return;
  if (text->len > 0)
    g_string_append_c (text, '\n');
  /* Translators: one line of what came with a request, "How long: 3 weeks" */
  g_string_append_printf (text, _("%s: %s"), label, value);
}

static void
signpost_request_details_class_init (SignpostRequestDetailsClass *klass)
{
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-request-details.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestDetails, source_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestDetails, source_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestDetails, deadline_box);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestDetails, deadline_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestDetails, deadline_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestDetails, lines_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestDetails, flags_label);
}

static void
signpost_request_details_init (SignpostRequestDetails *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SignpostRequestDetails *
signpost_request_details_new (void)
{
  return g_object_new (SIGNPOST_TYPE_REQUEST_DETAILS, NULL);
}

void
signpost_request_details_set_request (SignpostRequestDetails *self,
                                      SignpostTriage         *request,
                                      SignpostCache          *cache)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GString) lines = g_string_new (NULL);
  g_autoptr(GString) source = g_string_new (NULL);
  g_autofree char *type = NULL;
  g_autofree char *stated = NULL;
  g_autofree char *times = NULL;
  g_autofree char *left = NULL;
  g_autofree char *reply_by = NULL;
  g_autofree char *flags = NULL;
  g_autofree char *deadline = NULL;
  g_autofree char *accessible = NULL;
  SignpostDeadlineState state;
  const char *reference;
  const char *wanted;

  g_return_if_fail (SIGNPOST_IS_REQUEST_DETAILS (self));

  if (request == NULL || signpost_triage_get_source (request) == SIGNPOST_REQUEST_SOURCE_PHONE)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      return;
    }
  tz = signpost_request_practice_time_zone (cache, signpost_record_get_practice_id (SIGNPOST_RECORD (request)));
  reference = signpost_triage_get_reference (request);

  /* "Online form, reference PVP-1142" */
  g_string_append (source, signpost_request_format_source (request));
  if (reference != NULL)
    /* Translators: after where a request came from, ", reference PVP-1142" */
    g_string_append_printf (source, _(", reference %s"), reference);
  gtk_label_set_text (self->source_label, source->str);
  gtk_image_set_from_icon_name (self->source_icon, signpost_request_source_icon (signpost_triage_get_source (request)));

  state = signpost_request_deadline_state (request, now);
  left = signpost_request_format_time_left (request, now);
  reply_by = signpost_request_format_reply_by (request, now, tz);
  deadline = reply_by ? g_strdup_printf (_("%s · %s"), left, reply_by) : g_strdup (left);
  gtk_label_set_text (self->deadline_label, deadline);
  gtk_image_set_from_icon_name (self->deadline_icon, signpost_request_deadline_icon (state));
  wanted = signpost_request_deadline_class (state);
  if (self->deadline_class != wanted)
    {
      if (self->deadline_class != NULL)
        gtk_widget_remove_css_class (self->deadline_box, self->deadline_class);
      gtk_widget_add_css_class (self->deadline_box, wanted);
      self->deadline_class = wanted;
    }

  type = signpost_request_format_type (request);
  add_line (lines, _("Request"), type);
  add_line (lines, _("How long"), signpost_triage_get_symptom_duration (request));
  add_line (lines, _("Hoping for"), signpost_triage_get_hoped_outcome (request));
  if (signpost_triage_get_patient_id (request) == NULL)
    {
      stated = signpost_request_format_stated_patient (request, now);
      add_line (lines, _("They say the patient is (not matched yet)"), stated);
    }
  times = signpost_request_format_contact_times (request);
  add_line (lines, _("Contact"), times);
  gtk_label_set_text (self->lines_label, lines->str);
  gtk_widget_set_visible (GTK_WIDGET (self->lines_label), lines->len > 0);

  flags = signpost_request_format_flags (request);
  gtk_label_set_text (self->flags_label, flags);
  if (signpost_triage_get_red_flags (request) != NULL && signpost_triage_get_red_flags (request)[0] != NULL)
    gtk_widget_add_css_class (GTK_WIDGET (self->flags_label), "flag-yes");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self->flags_label), "flag-yes");

  accessible = signpost_request_details_dup_text (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, accessible, -1);
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);
}

char *
signpost_request_details_dup_text (SignpostRequestDetails *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_DETAILS (self), NULL);

  return g_strdup_printf ("%s. %s.\n%s\n%s", gtk_label_get_text (self->source_label),
                          gtk_label_get_text (self->deadline_label), gtk_label_get_text (self->lines_label),
                          gtk_label_get_text (self->flags_label));
}
