/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include "signpost-call-hub.h"

enum {
  PROP_0,
  PROP_AVAILABLE,
  PROP_USER_ID,
  N_PROPS
};

enum {
  CALL_EVENT,
  CALL_OFFERED,
  CALL_ANSWERED,
  CALL_ABANDONED,
  CALL_CALLBACK_REQUESTED,
  CALL_ENDED,
  CALL_CALLBACK_DONE,
  N_SIGNALS
};

struct _SignpostCallHub
{
  GObject parent_instance;

  GListStore *active; /* SignpostCallEvent: the latest event of each live call */
  gboolean available;
  char *user_id;
};

G_DEFINE_FINAL_TYPE (SignpostCallHub, signpost_call_hub, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static gboolean
find_call (SignpostCallHub *self,
           const char      *call_id,
           guint           *position)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->active));

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SignpostCallEvent) event = g_list_model_get_item (G_LIST_MODEL (self->active), i);
      if (g_strcmp0 (signpost_call_event_get_call_id (event), call_id) == 0)
        {
          *position = i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
signpost_call_hub_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SignpostCallHub *self = SIGNPOST_CALL_HUB (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case PROP_USER_ID:
      g_value_set_string (value, self->user_id);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_call_hub_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  SignpostCallHub *self = SIGNPOST_CALL_HUB (object);

  switch (prop_id)
    {
    case PROP_AVAILABLE:
      signpost_call_hub_set_available (self, g_value_get_boolean (value));
      break;
    case PROP_USER_ID:
      signpost_call_hub_set_user_id (self, g_value_get_string (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_call_hub_finalize (GObject *object)
{
  SignpostCallHub *self = SIGNPOST_CALL_HUB (object);

  g_clear_object (&self->active);
  g_clear_pointer (&self->user_id, g_free);

  G_OBJECT_CLASS (signpost_call_hub_parent_class)->finalize (object);
}

static void
signpost_call_hub_class_init (SignpostCallHubClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  static const char *names[] = {
    [CALL_OFFERED] = "call-offered",
    [CALL_ANSWERED] = "call-answered",
    [CALL_ABANDONED] = "call-abandoned",
    [CALL_CALLBACK_REQUESTED] = "call-callback-requested",
    [CALL_ENDED] = "call-ended",
    [CALL_CALLBACK_DONE] = "call-callback-done",
  };

  object_class->get_property = signpost_call_hub_get_property;
  object_class->set_property = signpost_call_hub_set_property;
  object_class->finalize = signpost_call_hub_finalize;

  properties[PROP_AVAILABLE] =
    g_param_spec_boolean ("available", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_USER_ID] =
    g_param_spec_string ("user-id", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[CALL_EVENT] =
    g_signal_new ("call-event", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SIGNPOST_TYPE_CALL_EVENT);
  for (guint i = CALL_OFFERED; i < N_SIGNALS; i++)
    signals[i] = g_signal_new (names[i], G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                               0, NULL, NULL, NULL, G_TYPE_NONE, 1, SIGNPOST_TYPE_CALL_EVENT);
}

static void
signpost_call_hub_init (SignpostCallHub *self)
{
  self->active = g_list_store_new (SIGNPOST_TYPE_CALL_EVENT);
}

SignpostCallHub *
signpost_call_hub_new (void)
{
  return g_object_new (SIGNPOST_TYPE_CALL_HUB, NULL);
}

void
signpost_call_hub_dispatch (SignpostCallHub   *self,
                            SignpostCallEvent *event)
{
  guint position;
  gboolean known;
  guint which;

  g_return_if_fail (SIGNPOST_IS_CALL_HUB (self));
  g_return_if_fail (SIGNPOST_IS_CALL_EVENT (event));

  known = find_call (self, signpost_call_event_get_call_id (event), &position);
  switch (signpost_call_event_get_kind (event))
    {
    case SIGNPOST_CALL_EVENT_OFFERED:
    case SIGNPOST_CALL_EVENT_ANSWERED:
    case SIGNPOST_CALL_EVENT_CALLBACK_REQUESTED:
      if (known)
        g_list_store_splice (self->active, position, 1, (gpointer *) &event, 1);
      else
        g_list_store_append (self->active, event);
      break;
    case SIGNPOST_CALL_EVENT_ABANDONED:
    case SIGNPOST_CALL_EVENT_ENDED:
    case SIGNPOST_CALL_EVENT_CALLBACK_DONE:
    default:
      if (known)
        g_list_store_remove (self->active, position);
      break;
    }

  which = CALL_OFFERED + signpost_call_event_get_kind (event);
  g_signal_emit (self, signals[which], 0, event);
  g_signal_emit (self, signals[CALL_EVENT], 0, event);
}

GListModel *
signpost_call_hub_get_active_calls (SignpostCallHub *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_HUB (self), NULL);
  return G_LIST_MODEL (self->active);
}

/* Forget the live calls (after a reconnect, events may have been missed;
 * the cache's call lists are the truth). */
void
signpost_call_hub_reset (SignpostCallHub *self)
{
  g_return_if_fail (SIGNPOST_IS_CALL_HUB (self));
  g_list_store_remove_all (self->active);
}

gboolean
signpost_call_hub_get_available (SignpostCallHub *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_HUB (self), FALSE);
  return self->available;
}

void
signpost_call_hub_set_available (SignpostCallHub *self,
                                 gboolean         available)
{
  g_return_if_fail (SIGNPOST_IS_CALL_HUB (self));

  available = !!available;
  if (self->available == available)
    return;
  self->available = available;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_AVAILABLE]);
}

const char *
signpost_call_hub_get_user_id (SignpostCallHub *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_HUB (self), NULL);
  return self->user_id;
}

void
signpost_call_hub_set_user_id (SignpostCallHub *self,
                               const char      *user_id)
{
  g_return_if_fail (SIGNPOST_IS_CALL_HUB (self));

  if (g_strcmp0 (self->user_id, user_id) == 0)
    return;
  g_free (self->user_id);
  self->user_id = g_strdup (user_id);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_USER_ID]);
}

gboolean
signpost_call_hub_is_mine (SignpostCallHub   *self,
                           SignpostCallEvent *event)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_HUB (self), FALSE);
  return self->user_id != NULL &&
         g_strcmp0 (signpost_call_event_get_answered_by (event), self->user_id) == 0;
}
