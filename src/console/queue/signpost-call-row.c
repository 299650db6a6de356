/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-call-format.h"
#include "signpost-call-row.h"
#include "signpost-accessible.h"
#include "signpost-ticker.h"

enum {
  CALL_CHANGED,
  N_SIGNALS
};

struct _SignpostCallRow
{
  AdwBin parent_instance;

  GtkWidget *line1;
  GtkWidget *line2;
  GtkLabel *detail_label;
  GtkLabel *position_label;
  GtkImage *wait_icon;
  GtkLabel *wait_label;
  GtkLabel *number_label;
  GtkLabel *caller_label;
  GtkLabel *practice_label;
  GtkLabel *navigator_label;
  GtkWidget *badge;
  GtkImage *badge_icon;
  GtkLabel *badge_label;
  GtkButton *call_back_button;

  SignpostCallRowMode mode;
  SignpostCall *call;
  gulong notify_id;
  gulong tick_id;
  guint position;
  SignpostWaitLevel level;
  gint64 minutes;   /* what the accessible description last said */
};

G_DEFINE_FINAL_TYPE (SignpostCallRow, signpost_call_row, ADW_TYPE_BIN)

static guint signals[N_SIGNALS];

static void
set_label (GtkLabel   *label,
           const char *text)
{
  if (g_strcmp0 (gtk_label_get_text (label), text ? text : "") != 0)
    gtk_label_set_text (label, text ? text : "");
}

static GDateTime *
clock_start (SignpostCallRow *self)
{
  if (self->mode == SIGNPOST_CALL_ROW_IN_PROGRESS && signpost_call_get_answered_at (self->call) != NULL)
    return signpost_call_get_answered_at (self->call);
  return signpost_call_get_offered_at (self->call);
}

static void
update_description (SignpostCallRow *self,
                    gint64           seconds)
{
  g_autofree char *duration = signpost_call_describe_duration (seconds);
  g_autofree char *text = NULL;
  const char *badge = gtk_widget_get_visible (self->badge) ? gtk_label_get_text (self->badge_label) : "";

  if (self->mode == SIGNPOST_CALL_ROW_IN_PROGRESS)
    /* Translators: a call in progress read out: navigator, for how long, number, caller */
    text = g_strdup_printf (_("%s on a call for %s with %s, %s. %s"), gtk_label_get_text (self->navigator_label),
                            duration, gtk_label_get_text (self->number_label),
                            gtk_label_get_text (self->caller_label), badge);
  else
    /* Translators: a waiting call read out: place, wait, number, caller, badge */
    text = g_strdup_printf (_("Number %u in the queue, waiting %s, %s, %s. %s"), self->position, duration,
                            gtk_label_get_text (self->number_label), gtk_label_get_text (self->caller_label),
                            badge);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, text, -1);
  /* The list's row, which takes the focus, reads the same. */
  signpost_accessible_label_row_of (GTK_WIDGET (self), text);
  self->minutes = seconds / 60;
}

/* Once a second: only the time label's text (and, when a threshold is
 * crossed, its style and icon) changes. */
static void
update_wait (SignpostCallRow *self)
{
  gint64 seconds;
  g_autofree char *text = NULL;
  SignpostWaitLevel level;

  if (self->call == NULL)
    return;
  seconds = signpost_call_seconds_since (clock_start (self),
                                         signpost_ticker_get_now_us (signpost_ticker_get_default ()));
  text = signpost_call_format_duration (seconds);
  set_label (self->wait_label, text);

  level = self->mode == SIGNPOST_CALL_ROW_IN_PROGRESS ? SIGNPOST_WAIT_SHORT : signpost_call_wait_level (seconds);
  if (level != self->level)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->wait_label), signpost_call_wait_level_css (self->level));
      gtk_widget_add_css_class (GTK_WIDGET (self->wait_label), signpost_call_wait_level_css (level));
      /* Not by colour alone: an icon too. */
      gtk_widget_set_visible (GTK_WIDGET (self->wait_icon), level != SIGNPOST_WAIT_SHORT);
      gtk_image_set_from_icon_name (self->wait_icon, level == SIGNPOST_WAIT_VERY_LONG ? "dialog-warning-symbolic"
                                                                                      : "alarm-symbolic");
      gtk_widget_set_tooltip_text (GTK_WIDGET (self->wait_icon),
                                   level == SIGNPOST_WAIT_VERY_LONG ? _("Waiting over 15 minutes")
                                                                    : _("Waiting over 5 minutes"));
      gtk_widget_add_css_class (GTK_WIDGET (self->wait_icon), signpost_call_wait_level_css (level));
      gtk_widget_remove_css_class (GTK_WIDGET (self->wait_icon), signpost_call_wait_level_css (self->level));
      self->level = level;
    }
  if (seconds / 60 != self->minutes)
    update_description (self, seconds);
}

static void
set_badge (SignpostCallRow *self,
           const char      *icon,
           const char      *text,
           const char      *css)
{
  static const char *classes[] = { "badge-callback", "badge-due", "badge-retry", NULL };

  gtk_widget_set_visible (self->badge, text != NULL);
  if (text == NULL)
    return;
  gtk_image_set_from_icon_name (self->badge_icon, icon);
  set_label (self->badge_label, text);
  for (guint i = 0; classes[i] != NULL; i++)
    if (g_strcmp0 (classes[i], css) != 0)
      gtk_widget_remove_css_class (self->badge, classes[i]);
  gtk_widget_add_css_class (self->badge, css);
}

static void
update_badge (SignpostCallRow *self)
{
  SignpostCall *call = self->call;
  gboolean callback;
  gboolean retry;

  if (call == NULL)
    return;
  callback = signpost_call_get_state (call) == SIGNPOST_CALL_CALLBACK_REQUESTED;
  retry = signpost_call_get_callback_outcome (call) == SIGNPOST_CALLBACK_OUTCOME_NO_ANSWER;

  switch (self->mode)
    {
    case SIGNPOST_CALL_ROW_IN_PROGRESS:
      set_badge (self, "call-outgoing-symbolic", signpost_call_is_callback (call) ? _("Calling back") : NULL,
                 "badge-callback");
      break;
    case SIGNPOST_CALL_ROW_CALLBACK:
    case SIGNPOST_CALL_ROW_WAITING:
    default:
      if (!callback)
        set_badge (self, NULL, NULL, NULL);
      else if (self->position == 1)
        set_badge (self, "alarm-symbolic", retry ? _("Due now — second try") : _("Callback due now"), "badge-due");
      else if (retry)
        set_badge (self, "call-missed-symbolic", _("No answer once — keeps place"), "badge-retry");
      else
        set_badge (self, "call-outgoing-symbolic", _("Callback — keeps place"), "badge-callback");
      break;
    }
}

static void
update_from_call (SignpostCallRow *self)
{
  g_autofree char *number = NULL;

  if (self->call == NULL)
    return;
  number = signpost_call_format_number (self->call);
  set_label (self->number_label, number);
  if (self->mode == SIGNPOST_CALL_ROW_CALLBACK)
    {
      /* The target first: an action name without one would not match. */
      gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->call_back_button),
                                              g_variant_new_string (signpost_record_get_id (SIGNPOST_RECORD (self->call))));
      gtk_actionable_set_action_name (GTK_ACTIONABLE (self->call_back_button), "queue.call-back");
    }
  update_badge (self);
  update_wait (self);
}

static void
on_call_notify (SignpostCallRow *self)
{
  update_from_call (self);
  g_signal_emit (self, signals[CALL_CHANGED], 0);
}

static void
signpost_call_row_dispose (GObject *object)
{
  SignpostCallRow *self = SIGNPOST_CALL_ROW (object);

  signpost_call_row_set_call (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_CALL_ROW);

  G_OBJECT_CLASS (signpost_call_row_parent_class)->dispose (object);
}

static void
signpost_call_row_class_init (SignpostCallRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = signpost_call_row_dispose;

  signals[CALL_CHANGED] = g_signal_new ("call-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                        0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-call-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostCallRow, line1);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallRow, line2);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallRow, detail_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallRow, position_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallRow, wait_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallRow, wait_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallRow, number_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallRow, caller_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallRow, practice_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallRow, navigator_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallRow, badge);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallRow, badge_icon);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallRow, badge_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostCallRow, call_back_button);
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_ROW);
}

static void
signpost_call_row_init (SignpostCallRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->level = SIGNPOST_WAIT_SHORT;
  self->minutes = -1;
  gtk_widget_add_css_class (GTK_WIDGET (self->wait_label), signpost_call_wait_level_css (self->level));
}

SignpostCallRow *
signpost_call_row_new (SignpostCallRowMode mode)
{
  SignpostCallRow *self = g_object_new (SIGNPOST_TYPE_CALL_ROW, NULL);

  self->mode = mode;
  /* The side lists are narrow: the caller and the badge go on a second
   * line there. */
  if (mode != SIGNPOST_CALL_ROW_WAITING)
    {
      g_object_ref (self->badge);
      gtk_box_remove (GTK_BOX (self->line1), self->badge);
      gtk_box_append (GTK_BOX (self->line2), self->badge);
      g_object_unref (self->badge);
      gtk_widget_set_visible (GTK_WIDGET (self->caller_label), FALSE);
      gtk_widget_set_visible (self->line2, TRUE);
    }
  gtk_widget_set_visible (GTK_WIDGET (self->position_label), mode != SIGNPOST_CALL_ROW_IN_PROGRESS);
  gtk_widget_set_visible (GTK_WIDGET (self->navigator_label), mode == SIGNPOST_CALL_ROW_IN_PROGRESS);
  gtk_widget_set_visible (GTK_WIDGET (self->call_back_button), mode == SIGNPOST_CALL_ROW_CALLBACK);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->call_back_button), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _("Call this caller back now"), -1);
  return self;
}

SignpostCallRowMode
signpost_call_row_get_mode (SignpostCallRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_ROW (self), 0);
  return self->mode;
}

SignpostCall *
signpost_call_row_get_call (SignpostCallRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_ROW (self), NULL);
  return self->call;
}

/* Binding: follow @call's changes and the ticker until the next bind. */
void
signpost_call_row_set_call (SignpostCallRow *self,
                            SignpostCall    *call)
{
  g_return_if_fail (SIGNPOST_IS_CALL_ROW (self));

  if (self->call == call)
    return;
  if (self->call != NULL)
    g_clear_signal_handler (&self->notify_id, self->call);
  g_clear_signal_handler (&self->tick_id, signpost_ticker_get_default ());
  g_set_object (&self->call, call);
  self->minutes = -1;
  if (call == NULL)
    return;
  self->notify_id = g_signal_connect_swapped (call, "notify", G_CALLBACK (on_call_notify), self);
  self->tick_id = g_signal_connect_swapped (signpost_ticker_get_default (), "tick",
                                            G_CALLBACK (update_wait), self);
  update_from_call (self);
}

void
signpost_call_row_set_position (SignpostCallRow *self,
                                guint            position)
{
  g_autofree char *text = NULL;

  g_return_if_fail (SIGNPOST_IS_CALL_ROW (self));

  if (self->position == position)
    return;
  self->position = position;
  text = position > 0 ? g_strdup_printf ("%u", position) : g_strdup ("");
  set_label (self->position_label, text);
  update_badge (self);
  self->minutes = -1;
  update_wait (self);
}

guint
signpost_call_row_get_position (SignpostCallRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_ROW (self), 0);
  return self->position;
}

void
signpost_call_row_set_caller (SignpostCallRow *self,
                              const char      *text,
                              gboolean         known)
{
  g_return_if_fail (SIGNPOST_IS_CALL_ROW (self));

  set_label (self->caller_label, text);
  set_label (self->detail_label, text);
  if (known)
    {
      gtk_widget_remove_css_class (GTK_WIDGET (self->caller_label), "dim-label");
      gtk_widget_remove_css_class (GTK_WIDGET (self->detail_label), "dim-label");
    }
  else
    {
      gtk_widget_add_css_class (GTK_WIDGET (self->caller_label), "dim-label");
      gtk_widget_add_css_class (GTK_WIDGET (self->detail_label), "dim-label");
    }
  self->minutes = -1;
  update_wait (self);
}

const char *
signpost_call_row_get_caller (SignpostCallRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_ROW (self), NULL);
  return gtk_label_get_text (self->caller_label);
}

void
signpost_call_row_set_practice (SignpostCallRow *self,
                                const char      *name)
{
  g_return_if_fail (SIGNPOST_IS_CALL_ROW (self));

  gtk_widget_set_visible (GTK_WIDGET (self->practice_label), name != NULL);
  set_label (self->practice_label, name);
}

void
signpost_call_row_set_navigator (SignpostCallRow *self,
                                 const char      *name)
{
  g_return_if_fail (SIGNPOST_IS_CALL_ROW (self));
  set_label (self->navigator_label, name);
}

const char *
signpost_call_row_get_wait_text (SignpostCallRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_ROW (self), NULL);
  return gtk_label_get_text (self->wait_label);
}

const char *
signpost_call_row_get_badge_text (SignpostCallRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_ROW (self), NULL);
  return gtk_widget_get_visible (self->badge) ? gtk_label_get_text (self->badge_label) : NULL;
}
