/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-cache-private.h"
#include "signpost-outbox.h"
#include "signpost-sync-error.h"

enum {
  PROP_0,
  PROP_CACHE,
  PROP_N_WAITING,
  PROP_N_PROBLEMS,
  N_PROPS
};

enum {
  RESULT,
  N_SIGNALS
};

struct _SignpostOutbox
{
  GObject parent_instance;

  SignpostCache *cache;
  GPtrArray *items; /* SignpostOutboxItem, in outbox order */
  guint n_waiting;
  guint n_problems;
};

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SignpostOutbox, signpost_outbox, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

static GType
signpost_outbox_get_item_type (GListModel *model)
{
  return SIGNPOST_TYPE_OUTBOX_ITEM;
}

static guint
signpost_outbox_get_n_items (GListModel *model)
{
  return SIGNPOST_OUTBOX (model)->items->len;
}

static gpointer
signpost_outbox_get_item (GListModel *model,
                          guint       position)
{
  SignpostOutbox *self = SIGNPOST_OUTBOX (model);

  if (position >= self->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = signpost_outbox_get_item_type;
  iface->get_n_items = signpost_outbox_get_n_items;
  iface->get_item = signpost_outbox_get_item;
}

static gboolean
same_item (SignpostOutboxItem *a,
           SignpostOutboxItem *b)
{
  return g_strcmp0 (signpost_outbox_item_get_mutation_id (a),
                    signpost_outbox_item_get_mutation_id (b)) == 0;
}

/* Re-reads the table and reports exactly the rows that changed. */
void
signpost_outbox_reload (SignpostOutbox *self)
{
  g_autoptr(GPtrArray) fresh = signpost_cache_outbox_list (self->cache);
  g_autoptr(GPtrArray) old = NULL;
  g_autoptr(GArray) touched = g_array_new (FALSE, FALSE, sizeof (guint));
  guint prefix = 0, suffix = 0;
  guint n_waiting = 0, n_problems = 0;

  for (guint i = 0; i < fresh->len; i++)
    {
      if (signpost_outbox_item_get_state (g_ptr_array_index (fresh, i)) == SIGNPOST_OUTBOX_WAITING)
        n_waiting++;
      else
        n_problems++;
    }

  while (prefix < self->items->len && prefix < fresh->len &&
         same_item (g_ptr_array_index (self->items, prefix), g_ptr_array_index (fresh, prefix)))
    prefix++;
  while (suffix < self->items->len - prefix && suffix < fresh->len - prefix &&
         same_item (g_ptr_array_index (self->items, self->items->len - 1 - suffix),
                    g_ptr_array_index (fresh, fresh->len - 1 - suffix)))
    suffix++;

  old = g_steal_pointer (&self->items);
  self->items = g_steal_pointer (&fresh);

  /* Items kept in place are refreshed in place, so bound rows update. */
  for (guint i = 0; i < self->items->len; i++)
    {
      guint j;

      if (i >= prefix && i < self->items->len - suffix)
        continue;
      j = i < prefix ? i : i - self->items->len + old->len;
      {
        SignpostOutboxItem *kept = g_ptr_array_index (old, j);
        SignpostOutboxItem *now = g_ptr_array_index (self->items, i);
        gboolean changed = signpost_outbox_item_get_state (kept) != signpost_outbox_item_get_state (now) ||
                           signpost_outbox_item_get_attempts (kept) != signpost_outbox_item_get_attempts (now);

        signpost_outbox_item_set_state (kept, signpost_outbox_item_get_state (now));
        signpost_outbox_item_set_attempts (kept, signpost_outbox_item_get_attempts (now));
        signpost_outbox_item_set_last_error (kept, signpost_outbox_item_get_last_error (now));
        signpost_outbox_item_set_current (kept, signpost_outbox_item_get_current (now));
        signpost_outbox_item_set_problem (kept, signpost_outbox_item_get_problem_title (now),
                                          signpost_outbox_item_get_problem_detail (now));
        g_ptr_array_index (self->items, i) = g_object_ref (kept);
        g_object_unref (now);
        if (changed)
          g_array_append_val (touched, i);
      }
    }

  if (old->len - prefix - suffix > 0 || self->items->len - prefix - suffix > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix,
                                old->len - prefix - suffix,
                                self->items->len - prefix - suffix);
  for (guint k = 0; k < touched->len; k++)
    g_list_model_items_changed (G_LIST_MODEL (self), g_array_index (touched, guint, k), 1, 1);

  if (self->n_waiting != n_waiting)
    {
      self->n_waiting = n_waiting;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_WAITING]);
    }
  if (self->n_problems != n_problems)
    {
      self->n_problems = n_problems;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_PROBLEMS]);
    }
}

static void
signpost_outbox_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SignpostOutbox *self = SIGNPOST_OUTBOX (object);

  switch (prop_id)
    {
    case PROP_CACHE:
      g_value_set_object (value, self->cache);
      break;
    case PROP_N_WAITING:
      g_value_set_uint (value, self->n_waiting);
      break;
    case PROP_N_PROBLEMS:
      g_value_set_uint (value, self->n_problems);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_outbox_finalize (GObject *object)
{
  SignpostOutbox *self = SIGNPOST_OUTBOX (object);

  g_clear_object (&self->cache);
  g_clear_pointer (&self->items, g_ptr_array_unref);

  G_OBJECT_CLASS (signpost_outbox_parent_class)->finalize (object);
}

static void
signpost_outbox_class_init (SignpostOutboxClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = signpost_outbox_get_property;
  object_class->finalize = signpost_outbox_finalize;

  properties[PROP_CACHE] =
    g_param_spec_object ("cache", NULL, NULL, SIGNPOST_TYPE_CACHE,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* Changes saved here and not yet accepted by the server. */
  properties[PROP_N_WAITING] =
    g_param_spec_uint ("n-waiting", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Conflicts and rejections the user has yet to resolve. */
  properties[PROP_N_PROBLEMS] =
    g_param_spec_uint ("n-problems", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* ::result (SignpostMutationResult *result): the server's answer to a
   * change of ours, once it is in the cache (for its warnings, such as
   * "patient_already_booked_today", which are not kept). */
  signals[RESULT] =
    g_signal_new ("result", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SIGNPOST_TYPE_MUTATION_RESULT);
}

static void
signpost_outbox_init (SignpostOutbox *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
}

SignpostOutbox *
signpost_outbox_new (SignpostCache *cache)
{
  SignpostOutbox *self;

  g_return_val_if_fail (SIGNPOST_IS_CACHE (cache), NULL);

  self = g_object_new (SIGNPOST_TYPE_OUTBOX, NULL);
  self->cache = g_object_ref (cache);
  signpost_outbox_reload (self);
  return self;
}

SignpostCache *
signpost_outbox_get_cache (SignpostOutbox *self)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX (self), NULL);
  return self->cache;
}

guint
signpost_outbox_get_n_waiting (SignpostOutbox *self)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX (self), 0);
  return self->n_waiting;
}

guint
signpost_outbox_get_n_problems (SignpostOutbox *self)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX (self), 0);
  return self->n_problems;
}

static gboolean
is_call_command (SignpostOp op)
{
  return op == SIGNPOST_OP_ANSWER || op == SIGNPOST_OP_END || op == SIGNPOST_OP_COMPLETE;
}

static gboolean
enqueue_full (SignpostOutbox    *self,
              SignpostMutation  *mutation,
              const char        *label,
              GError           **error)
{
  SignpostOp op = signpost_mutation_get_op (mutation);
  JsonNode *data_node = signpost_mutation_get_data (mutation);
  JsonObject *data = data_node && JSON_NODE_HOLDS_OBJECT (data_node) ? json_node_get_object (data_node) : NULL;
  g_autofree char *related_id = NULL;
  g_autofree char *practice_id = NULL;
  g_autoptr(GError) local_error = NULL;

  if (is_call_command (op))
    {
      g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_FAILED,
                           _("Call commands are sent only while connected, never queued"));
      return FALSE;
    }

  if (signpost_mutation_get_mutation_id (mutation) == NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      signpost_mutation_set_mutation_id (mutation, uuid);
    }
  if (op != SIGNPOST_OP_CREATE && signpost_mutation_get_base_version (mutation) == 0)
    signpost_mutation_set_base_version (mutation,
                                        signpost_cache_expected_version (self->cache,
                                                                         signpost_mutation_get_id (mutation)));

  if (op == SIGNPOST_OP_BOOK || op == SIGNPOST_OP_CANCEL)
    {
      g_autoptr(SignpostRecord) slot = signpost_cache_get_record (self->cache,
                                                                   signpost_mutation_get_kind (mutation),
                                                                   signpost_mutation_get_id (mutation),
                                                                   &local_error);
      if (local_error != NULL)
        {
          g_set_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CACHE,
                       _("Could not read this PC’s copy: %s"), local_error->message);
          return FALSE;
        }
      if (slot != NULL)
        practice_id = g_strdup (signpost_record_get_practice_id (slot));
      if (op == SIGNPOST_OP_BOOK && data != NULL && json_object_has_member (data, "appointment_id"))
        related_id = g_strdup (json_object_get_string_member (data, "appointment_id"));
      if (op == SIGNPOST_OP_CANCEL)
        {
          g_autoptr(SignpostAppointment) live =
            signpost_cache_get_live_appointment (self->cache, signpost_mutation_get_id (mutation), &local_error);

          if (local_error != NULL)
            {
              g_set_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CACHE,
                           _("Could not read this PC’s copy: %s"), local_error->message);
              return FALSE;
            }
          if (live != NULL)
            related_id = g_strdup (signpost_record_get_id (SIGNPOST_RECORD (live)));
        }
    }

  if (!signpost_cache_outbox_add (self->cache, mutation, related_id, practice_id, label, &local_error))
    {
      g_set_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CACHE,
                   _("Could not save on this PC: %s"), local_error->message);
      return FALSE;
    }
  signpost_outbox_reload (self);
  return TRUE;
}

gboolean
signpost_outbox_enqueue (SignpostOutbox    *self,
                         SignpostMutation  *mutation,
                         const char        *label,
                         GError           **error)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (SIGNPOST_IS_MUTATION (mutation), FALSE);

  return enqueue_full (self, mutation, label, error);
}

/* The record's client fields as JSON, server fields left out. */
static JsonObject *
client_fields (SignpostRecord *record,
               SignpostRecord *old)
{
  g_autoptr(JsonObject) all = signpost_object_to_json (SIGNPOST_OBJECT (record));
  g_autoptr(JsonObject) before = old ? signpost_object_to_json (SIGNPOST_OBJECT (old)) : NULL;
  JsonObject *out = json_object_new ();
  guint n_fields;
  /* Owned by the class. */
  GParamSpec **fields = signpost_object_class_list_fields (SIGNPOST_OBJECT_GET_CLASS (record), &n_fields);

  for (guint i = 0; i < n_fields; i++)
    {
      const char *key = signpost_field_get_json_key (fields[i]);
      JsonNode *node = json_object_get_member (all, key);

      if (signpost_field_get_flags (fields[i]) & SIGNPOST_FIELD_SERVER)
        continue;
      if (node == NULL)
        continue;
      /* A new record leaves out what it does not set: null is the
       * default anyway, and the server refuses a field the user's role
       * may not write even as null (a navigator's duty_notes). */
      if (before == NULL && JSON_NODE_HOLDS_NULL (node))
        continue;
      if (before != NULL)
        {
          JsonNode *was = json_object_get_member (before, key);
          if (was != NULL && json_node_equal (was, node))
            continue;
        }
      json_object_set_member (out, key, json_node_copy (node));
    }
  return out;
}

gboolean
signpost_outbox_save (SignpostOutbox  *self,
                      SignpostRecord  *record,
                      const char      *label,
                      GError         **error)
{
  g_autoptr(SignpostRecord) cached = NULL;
  g_autoptr(SignpostMutation) mutation = NULL;
  g_autoptr(JsonObject) data = NULL;
  g_autoptr(GError) local_error = NULL;
  const char *id;

  g_return_val_if_fail (SIGNPOST_IS_OUTBOX (self), FALSE);
  g_return_val_if_fail (SIGNPOST_IS_RECORD (record), FALSE);

  id = signpost_record_get_id (record);
  if (id == NULL)
    {
      g_autofree char *uuid = g_uuid_string_random ();
      signpost_record_set_id (record, uuid);
      id = signpost_record_get_id (record);
    }
  if (!signpost_object_validate (SIGNPOST_OBJECT (record), error))
    return FALSE;

  /* A copy that cannot be read is not "new": saving it would create it. */
  cached = signpost_cache_get_record (self->cache, signpost_record_get_kind (record), id, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_CACHE,
                   _("Could not read this PC’s copy: %s"), local_error->message);
      return FALSE;
    }
  data = client_fields (record, cached);
  if (cached != NULL && json_object_get_size (data) == 0)
    return TRUE;

  mutation = signpost_mutation_new ();
  signpost_mutation_set_kind (mutation, signpost_record_get_kind (record));
  signpost_mutation_set_op (mutation, cached ? SIGNPOST_OP_UPDATE : SIGNPOST_OP_CREATE);
  signpost_mutation_set_id (mutation, id);
  {
    g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), data);
    signpost_mutation_set_data (mutation, node);
  }
  return enqueue_full (self, mutation, label, error);
}

gboolean
signpost_outbox_delete (SignpostOutbox      *self,
                        SignpostRecordKind   kind,
                        const char          *id,
                        const char          *label,
                        GError             **error)
{
  g_autoptr(SignpostMutation) mutation = signpost_mutation_new ();

  g_return_val_if_fail (SIGNPOST_IS_OUTBOX (self), FALSE);

  signpost_mutation_set_kind (mutation, kind);
  signpost_mutation_set_op (mutation, SIGNPOST_OP_DELETE);
  signpost_mutation_set_id (mutation, id);
  return enqueue_full (self, mutation, label, error);
}

SignpostOutboxItem *
signpost_outbox_find (SignpostOutbox *self,
                      const char     *mutation_id)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX (self), NULL);

  for (guint i = 0; i < self->items->len; i++)
    {
      SignpostOutboxItem *item = g_ptr_array_index (self->items, i);
      if (g_strcmp0 (signpost_outbox_item_get_mutation_id (item), mutation_id) == 0)
        return item;
    }
  return NULL;
}

gboolean
signpost_outbox_discard (SignpostOutbox  *self,
                         const char      *mutation_id,
                         GError         **error)
{
  SignpostOutboxItem *item;

  g_return_val_if_fail (SIGNPOST_IS_OUTBOX (self), FALSE);

  item = signpost_outbox_find (self, mutation_id);
  if (item == NULL)
    return TRUE;
  if (signpost_outbox_item_get_state (item) == SIGNPOST_OUTBOX_WAITING)
    {
      g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_FAILED,
                           _("This change is still waiting to be sent"));
      return FALSE;
    }
  if (!signpost_cache_outbox_remove (self->cache, mutation_id, error))
    return FALSE;
  signpost_outbox_reload (self);
  return TRUE;
}

gboolean
signpost_outbox_retry (SignpostOutbox  *self,
                       const char      *mutation_id,
                       JsonObject      *data,
                       GError         **error)
{
  SignpostOutboxItem *item;
  SignpostMutation *old;
  g_autoptr(SignpostMutation) again = NULL;
  g_autofree char *label = NULL;
  g_autofree char *uuid = g_uuid_string_random ();

  g_return_val_if_fail (SIGNPOST_IS_OUTBOX (self), FALSE);

  item = signpost_outbox_find (self, mutation_id);
  if (item == NULL || signpost_outbox_item_get_state (item) == SIGNPOST_OUTBOX_WAITING)
    {
      g_set_error_literal (error, SIGNPOST_SYNC_ERROR, SIGNPOST_SYNC_ERROR_FAILED,
                           _("There is no conflict or refusal to resolve here"));
      return FALSE;
    }
  old = signpost_outbox_item_get_mutation (item);
  label = g_strdup (signpost_outbox_item_get_label (item));
  again = signpost_object_copy (SIGNPOST_OBJECT (old));
  signpost_mutation_set_mutation_id (again, uuid);
  signpost_mutation_set_base_version (again, 0);
  if (data != NULL)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), data);
      signpost_mutation_set_data (again, node);
    }

  /* The problem goes first so the new entry is based on the server's
   * record, not on the change that failed. */
  if (!signpost_cache_outbox_remove (self->cache, mutation_id, error))
    return FALSE;
  return enqueue_full (self, again, label, error);
}

GPtrArray *
signpost_outbox_peek_waiting (SignpostOutbox *self,
                              guint           max)
{
  GPtrArray *waiting = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (SIGNPOST_IS_OUTBOX (self), waiting);

  for (guint i = 0; i < self->items->len && waiting->len < max; i++)
    {
      SignpostOutboxItem *item = g_ptr_array_index (self->items, i);
      if (signpost_outbox_item_get_state (item) == SIGNPOST_OUTBOX_WAITING)
        g_ptr_array_add (waiting, g_object_ref (item));
    }
  return waiting;
}

gboolean
signpost_outbox_apply_result (SignpostOutbox          *self,
                              SignpostMutationResult  *result,
                              GError                 **error)
{
  g_return_val_if_fail (SIGNPOST_IS_OUTBOX (self), FALSE);

  if (!signpost_cache_outbox_resolve (self->cache, result, error))
    return FALSE;
  signpost_outbox_reload (self);
  g_signal_emit (self, signals[RESULT], 0, result);
  return TRUE;
}

void
signpost_outbox_note_failure (SignpostOutbox *self,
                              const char     *mutation_id,
                              const char     *message)
{
  g_autoptr(GError) error = NULL;

  g_return_if_fail (SIGNPOST_IS_OUTBOX (self));

  if (!signpost_cache_outbox_note_attempt (self->cache, mutation_id, message, &error))
    g_warning ("Could not note a failed send: %s", error->message);
  signpost_outbox_reload (self);
}
