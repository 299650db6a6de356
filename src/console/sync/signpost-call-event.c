/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-call-event.h"
#include "signpost-core.h"
#include "signpost-sync-enum-types.h"
#include "signpost-sync-error.h"

enum {
  PROP_0,
  PROP_KIND,
  PROP_CALL_ID,
  PROP_PRACTICE_ID,
  PROP_LINE,
  PROP_CLI,
  PROP_ANSWERED_BY,
  PROP_AT,
  PROP_RECEIVED_US,
  N_PROPS
};

struct _SignpostCallEvent
{
  GObject parent_instance;

  SignpostCallEventKind kind;
  char *call_id;
  char *practice_id;
  char *line;
  char *cli;
  char *answered_by;
  GDateTime *at;
  gint64 received_us;
};

G_DEFINE_FINAL_TYPE (SignpostCallEvent, signpost_call_event, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
signpost_call_event_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  SignpostCallEvent *self = SIGNPOST_CALL_EVENT (object);

  switch (prop_id)
    {
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_CALL_ID:
      g_value_set_string (value, self->call_id);
      break;
    case PROP_PRACTICE_ID:
      g_value_set_string (value, self->practice_id);
      break;
    case PROP_LINE:
      g_value_set_string (value, self->line);
      break;
    case PROP_CLI:
      g_value_set_string (value, self->cli);
      break;
    case PROP_ANSWERED_BY:
      g_value_set_string (value, self->answered_by);
      break;
    case PROP_AT:
      g_value_set_boxed (value, self->at);
      break;
    case PROP_RECEIVED_US:
      g_value_set_int64 (value, self->received_us);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_call_event_finalize (GObject *object)
{
  SignpostCallEvent *self = SIGNPOST_CALL_EVENT (object);

  g_free (self->call_id);
  g_free (self->practice_id);
  g_free (self->line);
  g_free (self->cli);
  g_free (self->answered_by);
  g_clear_pointer (&self->at, g_date_time_unref);

  G_OBJECT_CLASS (signpost_call_event_parent_class)->finalize (object);
}

static void
signpost_call_event_class_init (SignpostCallEventClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = signpost_call_event_get_property;
  object_class->finalize = signpost_call_event_finalize;

  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, SIGNPOST_TYPE_CALL_EVENT_KIND, SIGNPOST_CALL_EVENT_OFFERED,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CALL_ID] =
    g_param_spec_string ("call-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_PRACTICE_ID] =
    g_param_spec_string ("practice-id", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_LINE] =
    g_param_spec_string ("line", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_CLI] =
    g_param_spec_string ("cli", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_ANSWERED_BY] =
    g_param_spec_string ("answered-by", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_AT] =
    g_param_spec_boxed ("at", NULL, NULL, G_TYPE_DATE_TIME, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_RECEIVED_US] =
    g_param_spec_int64 ("received-us", NULL, NULL, 0, G_MAXINT64, 0,
                        G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
signpost_call_event_init (SignpostCallEvent *self)
{
  self->received_us = g_get_monotonic_time ();
}

SignpostCallEvent *
signpost_call_event_new (SignpostCallEventKind  kind,
                         const char            *call_id,
                         const char            *practice_id,
                         const char            *line,
                         const char            *cli,
                         const char            *answered_by)
{
  SignpostCallEvent *self = g_object_new (SIGNPOST_TYPE_CALL_EVENT, NULL);

  self->kind = kind;
  self->call_id = g_strdup (call_id);
  self->practice_id = g_strdup (practice_id);
  self->line = g_strdup (line);
  self->cli = cli && !signpost_phone_is_withheld (cli) ? g_strdup (cli) : NULL;
  self->answered_by = g_strdup (answered_by);
  self->at = g_date_time_new_now_utc ();
  return self;
}

static const char *
string_member (JsonObject *object,
               const char *key)
{
  JsonNode *node = json_object_get_member (object, key);

  if (node == NULL || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;
  return json_node_get_string (node);
}

/* From a frame {"kind":"call","event":…,"call_id",…}; the strings are
 * checked as the wire formats they claim to be. */
SignpostCallEvent *
signpost_call_event_new_from_json (JsonObject  *frame,
                                   GError     **error)
{
  g_autoptr(SignpostCallEvent) self = NULL;
  const char *event = string_member (frame, "event");
  const char *call_id = string_member (frame, "call_id");
  const char *practice_id = string_member (frame, "practice_id");
  const char *line = string_member (frame, "line");
  const char *cli = string_member (frame, "cli");
  const char *answered_by = string_member (frame, "answered_by");
  const char *at = string_member (frame, "at");
  int kind;

  if (event == NULL || !signpost_enum_from_nick (SIGNPOST_TYPE_CALL_EVENT_KIND, event, &kind) ||
      call_id == NULL || !signpost_uuid_is_canonical (call_id) ||
      (practice_id != NULL && !signpost_uuid_is_canonical (practice_id)) ||
      (answered_by != NULL && !signpost_uuid_is_canonical (answered_by)) ||
      (line != NULL && !signpost_phone_is_e164 (line)) ||
      (cli != NULL && !signpost_phone_is_e164 (cli) && !signpost_phone_is_withheld (cli)))
    {
      g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_PROTOCOL,
                           _("The server sent a call event this console cannot read"));
      return NULL;
    }

  self = signpost_call_event_new (kind, call_id, practice_id, line, cli, answered_by);
  if (at != NULL)
    {
      g_autoptr(GDateTime) parsed = signpost_timestamp_parse (at, NULL);
      if (parsed != NULL)
        {
          g_date_time_unref (self->at);
          self->at = g_steal_pointer (&parsed);
        }
    }
  return g_steal_pointer (&self);
}

SignpostCallEventKind
signpost_call_event_get_kind (SignpostCallEvent *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_EVENT (self), 0);
  return self->kind;
}

const char *
signpost_call_event_get_call_id (SignpostCallEvent *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_EVENT (self), NULL);
  return self->call_id;
}

const char *
signpost_call_event_get_practice_id (SignpostCallEvent *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_EVENT (self), NULL);
  return self->practice_id;
}

const char *
signpost_call_event_get_line (SignpostCallEvent *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_EVENT (self), NULL);
  return self->line;
}

const char *
signpost_call_event_get_cli (SignpostCallEvent *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_EVENT (self), NULL);
  return self->cli;
}

const char *
signpost_call_event_get_answered_by (SignpostCallEvent *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_EVENT (self), NULL);
  return self->answered_by;
}

GDateTime *
signpost_call_event_get_at (SignpostCallEvent *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_EVENT (self), NULL);
  return self->at;
}

gint64
signpost_call_event_get_received_us (SignpostCallEvent *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CALL_EVENT (self), 0);
  return self->received_us;
}
