/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-request-reason-section.h"

enum {
  REASON_CHANGED,
  FLAGS_CHANGED,
  N_SIGNALS
};

struct _SignpostRequestReasonSection
{
  GtkBox parent_instance;

  GtkTextView *reason_view;
  GtkLabel *reason_error;
  GtkLabel *red_flags_heading;
  GtkBox *red_flags_box;

  GPtrArray *flag_checks; /* GtkCheckButton, "flag-key" data */
};

G_DEFINE_FINAL_TYPE (SignpostRequestReasonSection, signpost_request_reason_section, GTK_TYPE_BOX)

static guint signals[N_SIGNALS];

static void
on_reason_changed (SignpostRequestReasonSection *self)
{
  gtk_widget_set_visible (GTK_WIDGET (self->reason_error), FALSE);
  g_signal_emit (self, signals[REASON_CHANGED], 0);
}

static void
on_flag_toggled (SignpostRequestReasonSection *self)
{
  g_signal_emit (self, signals[FLAGS_CHANGED], 0);
}

static void
signpost_request_reason_section_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SIGNPOST_TYPE_REQUEST_REASON_SECTION);

  G_OBJECT_CLASS (signpost_request_reason_section_parent_class)->dispose (object);
}

static void
signpost_request_reason_section_finalize (GObject *object)
{
  SignpostRequestReasonSection *self = SIGNPOST_REQUEST_REASON_SECTION (object);

  g_clear_pointer (&self->flag_checks, g_ptr_array_unref);

  G_OBJECT_CLASS (signpost_request_reason_section_parent_class)->finalize (object);
}

static void
signpost_request_reason_section_class_init (SignpostRequestReasonSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = signpost_request_reason_section_dispose;
  object_class->finalize = signpost_request_reason_section_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/signpost/Signpost/signpost-request-reason-section.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestReasonSection, reason_view);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestReasonSection, reason_error);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestReasonSection, red_flags_heading);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestReasonSection, red_flags_box);

  signals[REASON_CHANGED] = g_signal_new ("reason-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[FLAGS_CHANGED] = g_signal_new ("flags-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
signpost_request_reason_section_init (SignpostRequestReasonSection *self)
{
  self->flag_checks = g_ptr_array_new ();
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_object (gtk_text_view_get_buffer (self->reason_view), "changed", G_CALLBACK (on_reason_changed),
                           self, G_CONNECT_SWAPPED);
}

char *
signpost_request_reason_section_dup_reason (SignpostRequestReasonSection *self)
{
  GtkTextBuffer *buffer;
  GtkTextIter start, end;

  g_return_val_if_fail (SIGNPOST_IS_REQUEST_REASON_SECTION (self), NULL);

  buffer = gtk_text_view_get_buffer (self->reason_view);
  gtk_text_buffer_get_bounds (buffer, &start, &end);
  return gtk_text_buffer_get_text (buffer, &start, &end, FALSE);
}

void
signpost_request_reason_section_set_reason (SignpostRequestReasonSection *self,
                                            const char                   *reason)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_REASON_SECTION (self));
  gtk_text_buffer_set_text (gtk_text_view_get_buffer (self->reason_view), reason ? reason : "", -1);
}

void
signpost_request_reason_section_show_reason_error (SignpostRequestReasonSection *self)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_REASON_SECTION (self));
  gtk_widget_set_visible (GTK_WIDGET (self->reason_error), TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->reason_view));
}

void
signpost_request_reason_section_focus_reason (SignpostRequestReasonSection *self)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_REASON_SECTION (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->reason_view));
}

GStrv
signpost_request_reason_section_dup_ticked_flags (SignpostRequestReasonSection *self)
{
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();

  g_return_val_if_fail (SIGNPOST_IS_REQUEST_REASON_SECTION (self), NULL);

  for (guint i = 0; i < self->flag_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->flag_checks, i);
      if (gtk_check_button_get_active (check))
        g_strv_builder_add (builder, g_object_get_data (G_OBJECT (check), "flag-key"));
    }
  return g_strv_builder_end (builder);
}

void
signpost_request_reason_section_set_ticked_flags (SignpostRequestReasonSection *self,
                                                  const char * const           *keys)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_REASON_SECTION (self));

  for (guint i = 0; i < self->flag_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->flag_checks, i);
      gtk_check_button_set_active (check, keys != NULL && g_strv_contains (keys, g_object_get_data (G_OBJECT (check), "flag-key")));
    }
}

void
signpost_request_reason_section_set_flag (SignpostRequestReasonSection *self,
                                          const char                   *key,
                                          gboolean                      ticked)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_REASON_SECTION (self));

  for (guint i = 0; i < self->flag_checks->len; i++)
    {
      GtkCheckButton *check = g_ptr_array_index (self->flag_checks, i);
      if (g_strcmp0 (g_object_get_data (G_OBJECT (check), "flag-key"), key) == 0)
        gtk_check_button_set_active (check, ticked);
    }
}

void
signpost_request_reason_section_set_flag_group (SignpostRequestReasonSection *self,
                                                SignpostRedFlagGroup          group)
{
  g_auto(GStrv) ticked = NULL;
  g_autoptr(GPtrArray) flags = NULL;
  GtkWidget *child;
  const char *heading;

  g_return_if_fail (SIGNPOST_IS_REQUEST_REASON_SECTION (self));

  ticked = signpost_request_reason_section_dup_ticked_flags (self);
  flags = signpost_navigation_red_flags_for (group);
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
}
