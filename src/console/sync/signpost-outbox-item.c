/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include "signpost-outbox-item.h"
#include "signpost-sync-enum-types.h"

enum {
  PROP_0,
  PROP_MUTATION,
  PROP_STATE,
  PROP_LABEL,
  PROP_CREATED_AT,
  PROP_ATTEMPTS,
  PROP_LAST_ERROR,
  PROP_CURRENT,
  PROP_PROBLEM_TITLE,
  PROP_PROBLEM_DETAIL,
  N_PROPS
};

struct _SignpostOutboxItem
{
  GObject parent_instance;

  SignpostMutation *mutation;
  SignpostOutboxState state;
  char *label;
  GDateTime *created_at;
  guint attempts;
  char *last_error;
  SignpostRecord *current;
  char *problem_title;
  char *problem_detail;
};

G_DEFINE_FINAL_TYPE (SignpostOutboxItem, signpost_outbox_item, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

/* g_set_str() is GLib 2.76. */
static gboolean
set_str (char       **slot,
         const char  *value)
{
  if (g_strcmp0 (*slot, value) == 0)
    return FALSE;
  g_free (*slot);
  *slot = g_strdup (value);
  return TRUE;
}

static void
signpost_outbox_item_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SignpostOutboxItem *self = SIGNPOST_OUTBOX_ITEM (object);

  switch (prop_id)
    {
    case PROP_MUTATION:
      g_value_set_object (value, self->mutation);
      break;
    case PROP_STATE:
      g_value_set_enum (value, self->state);
      break;
    case PROP_LABEL:
      g_value_set_string (value, self->label);
      break;
    case PROP_CREATED_AT:
      g_value_set_boxed (value, self->created_at);
      break;
    case PROP_ATTEMPTS:
      g_value_set_uint (value, self->attempts);
      break;
    case PROP_LAST_ERROR:
      g_value_set_string (value, self->last_error);
      break;
    case PROP_CURRENT:
      g_value_set_object (value, self->current);
      break;
    case PROP_PROBLEM_TITLE:
      g_value_set_string (value, self->problem_title);
      break;
    case PROP_PROBLEM_DETAIL:
      g_value_set_string (value, self->problem_detail);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_outbox_item_finalize (GObject *object)
{
  SignpostOutboxItem *self = SIGNPOST_OUTBOX_ITEM (object);

  g_clear_object (&self->mutation);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->created_at, g_date_time_unref);
  g_clear_pointer (&self->last_error, g_free);
  g_clear_object (&self->current);
  g_clear_pointer (&self->problem_title, g_free);
  g_clear_pointer (&self->problem_detail, g_free);

  G_OBJECT_CLASS (signpost_outbox_item_parent_class)->finalize (object);
}

static void
signpost_outbox_item_class_init (SignpostOutboxItemClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = signpost_outbox_item_get_property;
  object_class->finalize = signpost_outbox_item_finalize;

  properties[PROP_MUTATION] =
    g_param_spec_object ("mutation", NULL, NULL, SIGNPOST_TYPE_MUTATION,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_enum ("state", NULL, NULL, SIGNPOST_TYPE_OUTBOX_STATE,
                       SIGNPOST_OUTBOX_WAITING,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LABEL] =
    g_param_spec_string ("label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CREATED_AT] =
    g_param_spec_boxed ("created-at", NULL, NULL, G_TYPE_DATE_TIME,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ATTEMPTS] =
    g_param_spec_uint ("attempts", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LAST_ERROR] =
    g_param_spec_string ("last-error", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_CURRENT] =
    g_param_spec_object ("current", NULL, NULL, SIGNPOST_TYPE_RECORD,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM_TITLE] =
    g_param_spec_string ("problem-title", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROBLEM_DETAIL] =
    g_param_spec_string ("problem-detail", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
signpost_outbox_item_init (SignpostOutboxItem *self)
{
}

SignpostOutboxItem *
signpost_outbox_item_new (SignpostMutation    *mutation,
                          SignpostOutboxState  state,
                          const char          *label,
                          GDateTime           *created_at)
{
  SignpostOutboxItem *self;

  g_return_val_if_fail (SIGNPOST_IS_MUTATION (mutation), NULL);

  self = g_object_new (SIGNPOST_TYPE_OUTBOX_ITEM, NULL);
  self->mutation = g_object_ref (mutation);
  self->state = state;
  self->label = g_strdup (label);
  self->created_at = created_at ? g_date_time_ref (created_at) : g_date_time_new_now_utc ();
  return self;
}

SignpostMutation *
signpost_outbox_item_get_mutation (SignpostOutboxItem *self)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self), NULL);
  return self->mutation;
}

const char *
signpost_outbox_item_get_mutation_id (SignpostOutboxItem *self)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self), NULL);
  return signpost_mutation_get_mutation_id (self->mutation);
}

const char *
signpost_outbox_item_get_record_id (SignpostOutboxItem *self)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self), NULL);
  return signpost_mutation_get_id (self->mutation);
}

SignpostRecordKind
signpost_outbox_item_get_kind (SignpostOutboxItem *self)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self), 0);
  return signpost_mutation_get_kind (self->mutation);
}

SignpostOp
signpost_outbox_item_get_op (SignpostOutboxItem *self)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self), 0);
  return signpost_mutation_get_op (self->mutation);
}

SignpostOutboxState
signpost_outbox_item_get_state (SignpostOutboxItem *self)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self), 0);
  return self->state;
}

void
signpost_outbox_item_set_state (SignpostOutboxItem  *self,
                                SignpostOutboxState  state)
{
  g_return_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self));
  if (self->state == state)
    return;
  self->state = state;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

const char *
signpost_outbox_item_get_label (SignpostOutboxItem *self)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self), NULL);
  return self->label;
}

GDateTime *
signpost_outbox_item_get_created_at (SignpostOutboxItem *self)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self), NULL);
  return self->created_at;
}

guint
signpost_outbox_item_get_attempts (SignpostOutboxItem *self)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self), 0);
  return self->attempts;
}

void
signpost_outbox_item_set_attempts (SignpostOutboxItem *self,
                                   guint               attempts)
{
  g_return_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self));
  if (self->attempts == attempts)
    return;
  self->attempts = attempts;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ATTEMPTS]);
}

const char *
signpost_outbox_item_get_last_error (SignpostOutboxItem *self)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self), NULL);
  return self->last_error;
}

void
signpost_outbox_item_set_last_error (SignpostOutboxItem *self,
                                     const char         *message)
{
  g_return_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self));
  if (set_str (&self->last_error, message))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LAST_ERROR]);
}

SignpostRecord *
signpost_outbox_item_get_current (SignpostOutboxItem *self)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self), NULL);
  return self->current;
}

void
signpost_outbox_item_set_current (SignpostOutboxItem *self,
                                  SignpostRecord     *record)
{
  g_return_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self));
  if (g_set_object (&self->current, record))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CURRENT]);
}

const char *
signpost_outbox_item_get_problem_title (SignpostOutboxItem *self)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self), NULL);
  return self->problem_title;
}

const char *
signpost_outbox_item_get_problem_detail (SignpostOutboxItem *self)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self), NULL);
  return self->problem_detail;
}

void
signpost_outbox_item_set_problem (SignpostOutboxItem *self,
                                  const char         *title,
                                  const char         *detail)
{
  g_return_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self));
  if (set_str (&self->problem_title, title))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM_TITLE]);
  if (set_str (&self->problem_detail, detail))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PROBLEM_DETAIL]);
}

/**
 * signpost_outbox_item_dup_booking:
 *
 * Returns: (transfer full) (nullable): what a booking (a slot's `book`
 *   command) asked for, or NULL for any other change
 */
SignpostBooking *
signpost_outbox_item_dup_booking (SignpostOutboxItem *self)
{
  JsonNode *data;

  g_return_val_if_fail (SIGNPOST_IS_OUTBOX_ITEM (self), NULL);

  if (signpost_outbox_item_get_kind (self) != SIGNPOST_RECORD_SLOT ||
      signpost_outbox_item_get_op (self) != SIGNPOST_OP_BOOK)
    return NULL;
  data = signpost_mutation_get_data (self->mutation);
  return signpost_booking_new_from_json (data && JSON_NODE_HOLDS_OBJECT (data) ? json_node_get_object (data) : NULL);
}
