/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-escalation.h"
#include "signpost-escalation-banner.h"

#define RECOUNT_SECONDS 60

struct _SignpostEscalationBanner
{
  AdwBin parent_instance;

  GtkRevealer *revealer;
  GtkLabel *label;
  GtkWidget *button;

  SignpostActions *actions;
  SignpostEscalation *escalation;
  guint clock_source;
};

G_DEFINE_FINAL_TYPE (SignpostEscalationBanner, signpost_escalation_banner, ADW_TYPE_BIN)

static void
update (SignpostEscalationBanner *self)
{
  const char *text = self->escalation ? signpost_escalation_get_text (self->escalation) : NULL;

  gtk_label_set_text (self->label, text ? text : "");
  gtk_revealer_set_reveal_child (self->revealer, text != NULL);
}

/* Deadlines pass without any record changing. */
static gboolean
on_clock (gpointer data)
{
  SignpostEscalationBanner *self = data;

  if (self->escalation != NULL)
    signpost_escalation_set_now (self->escalation, NULL);
  return G_SOURCE_CONTINUE;
}

static void
follow (SignpostEscalationBanner *self)
{
  SignpostCache *cache = self->actions ? signpost_actions_get_cache (self->actions) : NULL;
  SignpostRole role = self->actions ? signpost_actions_get_role (self->actions) : SIGNPOST_ROLE_NAVIGATOR;

  if (self->escalation != NULL)
    g_signal_handlers_disconnect_by_data (self->escalation, self);
  g_clear_object (&self->escalation);
  /* The manager has no duty list: told, to chase it up, without the button. */
  gtk_widget_set_visible (self->button, role == SIGNPOST_ROLE_CLINICIAN);
  if (cache != NULL && (role == SIGNPOST_ROLE_CLINICIAN || role == SIGNPOST_ROLE_MANAGER))
    {
      self->escalation = signpost_escalation_new (cache);
      g_signal_connect_swapped (self->escalation, "notify::text", G_CALLBACK (update), self);
    }
  update (self);
}

static void
signpost_escalation_banner_dispose (GObject *object)
{
  SignpostEscalationBanner *self = SIGNPOST_ESCALATION_BANNER (object);

  g_clear_handle_id (&self->clock_source, g_source_remove);
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  if (self->escalation != NULL)
    g_signal_handlers_disconnect_by_data (self->escalation, self);
  g_clear_object (&self->escalation);
  g_clear_object (&self->actions);

  G_OBJECT_CLASS (signpost_escalation_banner_parent_class)->dispose (object);
}

static void
signpost_escalation_banner_class_init (SignpostEscalationBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = signpost_escalation_banner_dispose;
}

static void
signpost_escalation_banner_init (SignpostEscalationBanner *self)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 12);
  GtkWidget *icon = g_object_new (GTK_TYPE_IMAGE, "icon-name", "alarm-symbolic",
                                  "accessible-role", GTK_ACCESSIBLE_ROLE_PRESENTATION, NULL);
  GtkWidget *button = gtk_button_new_with_mnemonic (_("Open the _Duty List"));

  self->button = button;

  self->revealer = GTK_REVEALER (gtk_revealer_new ());
  gtk_revealer_set_transition_type (self->revealer, GTK_REVEALER_TRANSITION_TYPE_SLIDE_DOWN);
  gtk_widget_add_css_class (box, "banner");
  gtk_widget_add_css_class (box, "escalation-banner");
  gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Requests near or past their deadline"), -1);
  self->label = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_xalign (self->label, 0);
  gtk_label_set_wrap (self->label, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->label), TRUE);
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (button), "win.show-page");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (button), "s", "duty");
  gtk_widget_set_tooltip_text (button, _("Show the requests waiting for an outcome"));
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), GTK_WIDGET (self->label));
  gtk_box_append (GTK_BOX (box), button);
  gtk_revealer_set_child (self->revealer, box);
  adw_bin_set_child (ADW_BIN (self), GTK_WIDGET (self->revealer));

  self->clock_source = g_timeout_add_seconds (RECOUNT_SECONDS, on_clock, self);
  g_source_set_name_by_id (self->clock_source, "[signpost] escalation clock");
}

SignpostEscalationBanner *
signpost_escalation_banner_new (void)
{
  return g_object_new (SIGNPOST_TYPE_ESCALATION_BANNER, NULL);
}

void
signpost_escalation_banner_set_actions (SignpostEscalationBanner *self,
                                        SignpostActions          *actions)
{
  g_return_if_fail (SIGNPOST_IS_ESCALATION_BANNER (self));

  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  g_set_object (&self->actions, actions);
  if (actions != NULL)
    {
      g_signal_connect_swapped (actions, "notify::cache", G_CALLBACK (follow), self);
      g_signal_connect_swapped (actions, "notify::role", G_CALLBACK (follow), self);
    }
  follow (self);
}

const char *
signpost_escalation_banner_get_text (SignpostEscalationBanner *self)
{
  g_return_val_if_fail (SIGNPOST_IS_ESCALATION_BANNER (self), NULL);

  if (!gtk_revealer_get_reveal_child (self->revealer))
    return NULL;
  return gtk_label_get_text (self->label);
}

gpointer
signpost_escalation_banner_get_escalation (SignpostEscalationBanner *self)
{
  g_return_val_if_fail (SIGNPOST_IS_ESCALATION_BANNER (self), NULL);
  return self->escalation;
}
