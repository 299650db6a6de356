/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-escalation.h"
#include "signpost-request-format.h"
#include "signpost-triage-list-model.h"

struct _SignpostEscalation
{
  GObject parent_instance;

  SignpostTriageListModel *waiting;   /* open, or with the duty doctor */
  GDateTime *now;                     /* NULL: the real time */
  guint n_past;
  guint n_due_soon;
  char *text;
};

G_DEFINE_FINAL_TYPE (SignpostEscalation, signpost_escalation, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_N_PAST,
  PROP_N_DUE_SOON,
  PROP_TEXT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static char *
describe (guint n_past,
          guint n_due_soon)
{
  g_autofree char *past = NULL;
  g_autofree char *soon = NULL;

  if (n_past == 0 && n_due_soon == 0)
    return NULL;
  if (n_past > 0)
    past = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u request is past its deadline",
                                         "%u requests are past their deadline", n_past), n_past);
  if (n_due_soon > 0)
    soon = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u request is due within the hour",
                                         "%u requests are due within the hour", n_due_soon), n_due_soon);
  if (past != NULL && soon != NULL)
    /* Translators: "2 requests are past their deadline; 1 request is due within the hour. …" */
    return g_strdup_printf (_("%s; %s. Each needs an outcome."), past, soon);
  /* Translators: "2 requests are past their deadline. …" */
  return g_strdup_printf (_("%s. Each needs an outcome."), past ? past : soon);
}

static void
recount (SignpostEscalation *self)
{
  g_autoptr(GDateTime) real_now = NULL;
  GDateTime *now = self->now;
  GListModel *waiting = G_LIST_MODEL (self->waiting);
  guint n_past = 0;
  guint n_due_soon = 0;
  g_autofree char *text = NULL;

  if (now == NULL)
    now = real_now = g_date_time_new_now_utc ();
  for (guint i = 0; i < g_list_model_get_n_items (waiting); i++)
    {
      g_autoptr(SignpostTriage) triage = g_list_model_get_item (waiting, i);

      /* The Requests list's own rule: red within the hour, and once past. */
      switch (signpost_request_deadline_state (triage, now))
        {
        case SIGNPOST_DEADLINE_OVERDUE:
          n_past++;
          break;
        case SIGNPOST_DEADLINE_DUE:
          n_due_soon++;
          break;
        case SIGNPOST_DEADLINE_NONE:
        case SIGNPOST_DEADLINE_OK:
        case SIGNPOST_DEADLINE_SOON:
        default:
          break;
        }
    }

  text = describe (n_past, n_due_soon);
  g_object_freeze_notify (G_OBJECT (self));
  if (self->n_past != n_past)
    {
      self->n_past = n_past;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PAST]);
    }
  if (self->n_due_soon != n_due_soon)
    {
      self->n_due_soon = n_due_soon;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_DUE_SOON]);
    }
  if (g_strcmp0 (self->text, text) != 0)
    {
      g_free (self->text);
      self->text = g_steal_pointer (&text);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TEXT]);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

static void
signpost_escalation_dispose (GObject *object)
{
  SignpostEscalation *self = SIGNPOST_ESCALATION (object);

  if (self->waiting != NULL)
    g_signal_handlers_disconnect_by_data (self->waiting, self);
  g_clear_object (&self->waiting);

  G_OBJECT_CLASS (signpost_escalation_parent_class)->dispose (object);
}

static void
signpost_escalation_finalize (GObject *object)
{
  SignpostEscalation *self = SIGNPOST_ESCALATION (object);

  g_clear_pointer (&self->now, g_date_time_unref);
  g_clear_pointer (&self->text, g_free);

  G_OBJECT_CLASS (signpost_escalation_parent_class)->finalize (object);
}

static void
signpost_escalation_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SignpostEscalation *self = SIGNPOST_ESCALATION (object);

  switch (prop_id)
    {
    case PROP_N_PAST:
      g_value_set_uint (value, self->n_past);
      break;
    case PROP_N_DUE_SOON:
      g_value_set_uint (value, self->n_due_soon);
      break;
    case PROP_TEXT:
      g_value_set_string (value, self->text);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_escalation_class_init (SignpostEscalationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = signpost_escalation_dispose;
  object_class->finalize = signpost_escalation_finalize;
  object_class->get_property = signpost_escalation_get_property;

  properties[PROP_N_PAST] =
    g_param_spec_uint ("n-past", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_DUE_SOON] =
    g_param_spec_uint ("n-due-soon", NULL, NULL, 0, G_MAXUINT, 0, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TEXT] =
    g_param_spec_string ("text", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
signpost_escalation_init (SignpostEscalation *self)
{
}

SignpostEscalation *
signpost_escalation_new (SignpostCache *cache)
{
  static const SignpostTriageStatus waiting[] = {
    SIGNPOST_TRIAGE_OPEN, SIGNPOST_TRIAGE_AWAITING_DUTY, -1
  };
  SignpostEscalation *self;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (cache), NULL);

  self = g_object_new (SIGNPOST_TYPE_ESCALATION, NULL);
  self->waiting = signpost_triage_list_model_new (cache, waiting);
  g_signal_connect_swapped (self->waiting, "items-changed", G_CALLBACK (recount), self);
  recount (self);
  return self;
}

void
signpost_escalation_set_now (SignpostEscalation *self,
                             GDateTime          *now)
{
  g_return_if_fail (SIGNPOST_IS_ESCALATION (self));

  g_clear_pointer (&self->now, g_date_time_unref);
  self->now = now ? g_date_time_ref (now) : NULL;
  recount (self);
}

guint
signpost_escalation_get_n_past (SignpostEscalation *self)
{
  g_return_val_if_fail (SIGNPOST_IS_ESCALATION (self), 0);
  return self->n_past;
}

guint
signpost_escalation_get_n_due_soon (SignpostEscalation *self)
{
  g_return_val_if_fail (SIGNPOST_IS_ESCALATION (self), 0);
  return self->n_due_soon;
}

const char *
signpost_escalation_get_text (SignpostEscalation *self)
{
  g_return_val_if_fail (SIGNPOST_IS_ESCALATION (self), NULL);
  return self->text;
}
