/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-sync"

#include "config.h"

#include "signpost-cache-private.h"
#include "signpost-record-list.h"

enum {
  PROP_0,
  PROP_CACHE,
  PROP_KIND,
  PROP_N_ITEMS,
  PROP_ERROR,
  N_PROPS
};

typedef struct
{
  SignpostCache *cache;
  SignpostRecordKind kind;
  GPtrArray *items;   /* SignpostRecord, in order */
  GHashTable *by_id;  /* id → SignpostRecord (borrowed from items) */
  gulong changed_id;
  gboolean loaded;
  GError *error;      /* why the last load failed, or NULL */
} SignpostRecordListPrivate;

static void list_model_iface_init (GListModelInterface *iface);

G_DEFINE_TYPE_WITH_CODE (SignpostRecordList, signpost_record_list, G_TYPE_OBJECT,
                         G_ADD_PRIVATE (SignpostRecordList)
                         G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, list_model_iface_init))

static GParamSpec *properties[N_PROPS];

static GType
signpost_record_list_get_item_type (GListModel *model)
{
  SignpostRecordListPrivate *priv =
    signpost_record_list_get_instance_private (SIGNPOST_RECORD_LIST (model));

  return signpost_record_type_for_kind (priv->kind);
}

static guint
signpost_record_list_get_n_items (GListModel *model)
{
  SignpostRecordListPrivate *priv =
    signpost_record_list_get_instance_private (SIGNPOST_RECORD_LIST (model));

  return priv->items->len;
}

static gpointer
signpost_record_list_get_item (GListModel *model,
                               guint       position)
{
  SignpostRecordListPrivate *priv =
    signpost_record_list_get_instance_private (SIGNPOST_RECORD_LIST (model));

  if (position >= priv->items->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (priv->items, position));
}

static void
list_model_iface_init (GListModelInterface *iface)
{
  iface->get_item_type = signpost_record_list_get_item_type;
  iface->get_n_items = signpost_record_list_get_n_items;
  iface->get_item = signpost_record_list_get_item;
}

static void
emit (SignpostRecordList *self,
      guint               position,
      guint               removed,
      guint               added)
{
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  if (removed != added)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static int
full_compare (SignpostRecordList *self,
              SignpostRecord     *a,
              SignpostRecord     *b)
{
  int result = SIGNPOST_RECORD_LIST_GET_CLASS (self)->compare (self, a, b);

  if (result != 0)
    return result;
  return g_strcmp0 (signpost_record_get_id (a), signpost_record_get_id (b));
}

/* Where @record is, or would go, among the items. */
static guint
lower_bound (SignpostRecordList *self,
             SignpostRecord     *record)
{
  SignpostRecordListPrivate *priv = signpost_record_list_get_instance_private (self);
  guint lo = 0, hi = priv->items->len;

  while (lo < hi)
    {
      guint mid = lo + (hi - lo) / 2;
      if (full_compare (self, g_ptr_array_index (priv->items, mid), record) < 0)
        lo = mid + 1;
      else
        hi = mid;
    }
  return lo;
}

static guint
position_of (SignpostRecordList *self,
             SignpostRecord     *item)
{
  SignpostRecordListPrivate *priv = signpost_record_list_get_instance_private (self);
  guint position;

  if (SIGNPOST_RECORD_LIST_GET_CLASS (self)->compare != NULL)
    {
      position = lower_bound (self, item);
      if (position < priv->items->len && g_ptr_array_index (priv->items, position) == item)
        return position;
    }
  /* Unsorted lists, or an order the subclass broke: look. */
  if (g_ptr_array_find (priv->items, item, &position))
    return position;
  g_return_val_if_reached (G_MAXUINT);
}

/* Copies @source's fields and pending mark into @target; TRUE if any
 * differed. */
static gboolean
assign (SignpostRecord *target,
        SignpostRecord *source)
{
  gboolean differs = !signpost_object_equal (SIGNPOST_OBJECT (target), SIGNPOST_OBJECT (source)) ||
                     signpost_cache_record_is_pending (target) != signpost_cache_record_is_pending (source);

  if (differs)
    {
      signpost_record_set_pending_mark (target, signpost_cache_record_is_pending (source));
      signpost_object_assign (SIGNPOST_OBJECT (target), SIGNPOST_OBJECT (source));
    }
  return differs;
}

static SignpostRecord *
own_copy (SignpostRecord *record)
{
  SignpostRecord *copy = signpost_object_copy (SIGNPOST_OBJECT (record));

  signpost_record_set_pending_mark (copy, signpost_cache_record_is_pending (record));
  return copy;
}

static void
remove_at (SignpostRecordList *self,
           guint               position)
{
  SignpostRecordListPrivate *priv = signpost_record_list_get_instance_private (self);
  SignpostRecord *item = g_ptr_array_index (priv->items, position);

  g_hash_table_remove (priv->by_id, signpost_record_get_id (item));
  g_ptr_array_remove_index (priv->items, position);
  emit (self, position, 1, 0);
}

static void
insert_sorted (SignpostRecordList *self,
               SignpostRecord     *item)
{
  SignpostRecordListPrivate *priv = signpost_record_list_get_instance_private (self);
  guint position = lower_bound (self, item);

  g_ptr_array_insert (priv->items, position, item);
  g_hash_table_insert (priv->by_id, (gpointer) signpost_record_get_id (item), item);
  emit (self, position, 0, 1);
}

static void
apply_change (SignpostRecordList *self,
              SignpostRecord     *record)
{
  SignpostRecordListPrivate *priv = signpost_record_list_get_instance_private (self);
  SignpostRecordListClass *klass = SIGNPOST_RECORD_LIST_GET_CLASS (self);
  SignpostRecord *existing = g_hash_table_lookup (priv->by_id, signpost_record_get_id (record));
  gboolean belongs = klass->filter (self, record);
  guint position;

  if (existing == NULL)
    {
      if (belongs)
        insert_sorted (self, own_copy (record));
      return;
    }

  position = position_of (self, existing);
  if (position == G_MAXUINT)
    return;
  if (!belongs)
    {
      remove_at (self, position);
      return;
    }

  /* Stays where it is when it still sorts between its neighbours. */
  if ((position == 0 ||
       full_compare (self, g_ptr_array_index (priv->items, position - 1), record) < 0) &&
      (position + 1 >= priv->items->len ||
       full_compare (self, record, g_ptr_array_index (priv->items, position + 1)) < 0))
    {
      if (assign (existing, record))
        emit (self, position, 1, 1);
      return;
    }

  g_object_ref (existing);
  remove_at (self, position);
  assign (existing, record);
  insert_sorted (self, existing);
}

static void
on_records_changed (SignpostCache      *cache,
                    GPtrArray          *changed,
                    GPtrArray          *removed,
                    SignpostRecordList *self)
{
  SignpostRecordListPrivate *priv = signpost_record_list_get_instance_private (self);
  SignpostRecordListClass *klass = SIGNPOST_RECORD_LIST_GET_CLASS (self);
  gboolean mine = FALSE;

  for (guint i = 0; i < changed->len; i++)
    {
      SignpostRecord *record = g_ptr_array_index (changed, i);

      if (signpost_record_get_kind (record) != priv->kind)
        {
          if (klass->other_changed != NULL)
            klass->other_changed (self, record);
          continue;
        }
      mine = TRUE;
      if (klass->filter != NULL && klass->compare != NULL)
        apply_change (self, record);
    }

  for (guint i = 0; i < removed->len; i++)
    {
      const char *id = g_ptr_array_index (removed, i);
      SignpostRecord *existing = g_hash_table_lookup (priv->by_id, id);

      if (existing == NULL)
        continue;
      mine = TRUE;
      if (klass->filter != NULL && klass->compare != NULL)
        {
          guint position = position_of (self, existing);
          if (position != G_MAXUINT)
            remove_at (self, position);
        }
    }

  if (mine && (klass->filter == NULL || klass->compare == NULL))
    signpost_record_list_reload (self);
}

static void
signpost_record_list_constructed (GObject *object)
{
  SignpostRecordList *self = SIGNPOST_RECORD_LIST (object);
  SignpostRecordListPrivate *priv = signpost_record_list_get_instance_private (self);

  G_OBJECT_CLASS (signpost_record_list_parent_class)->constructed (object);

  g_return_if_fail (priv->cache != NULL);
  priv->changed_id = g_signal_connect (priv->cache, "records-changed",
                                       G_CALLBACK (on_records_changed), self);
  signpost_record_list_reload (self);
}

static void
signpost_record_list_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SignpostRecordList *self = SIGNPOST_RECORD_LIST (object);
  SignpostRecordListPrivate *priv = signpost_record_list_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CACHE:
      g_value_set_object (value, priv->cache);
      break;
    case PROP_KIND:
      g_value_set_int (value, priv->kind);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, priv->items->len);
      break;
    case PROP_ERROR:
      g_value_set_boxed (value, priv->error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_record_list_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SignpostRecordList *self = SIGNPOST_RECORD_LIST (object);
  SignpostRecordListPrivate *priv = signpost_record_list_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_CACHE:
      priv->cache = g_value_dup_object (value);
      break;
    case PROP_KIND:
      priv->kind = g_value_get_int (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_record_list_dispose (GObject *object)
{
  SignpostRecordList *self = SIGNPOST_RECORD_LIST (object);
  SignpostRecordListPrivate *priv = signpost_record_list_get_instance_private (self);

  g_clear_signal_handler (&priv->changed_id, priv->cache);
  g_clear_object (&priv->cache);

  G_OBJECT_CLASS (signpost_record_list_parent_class)->dispose (object);
}

static void
signpost_record_list_finalize (GObject *object)
{
  SignpostRecordList *self = SIGNPOST_RECORD_LIST (object);
  SignpostRecordListPrivate *priv = signpost_record_list_get_instance_private (self);

  g_clear_pointer (&priv->by_id, g_hash_table_unref);
  g_clear_pointer (&priv->items, g_ptr_array_unref);
  g_clear_error (&priv->error);

  G_OBJECT_CLASS (signpost_record_list_parent_class)->finalize (object);
}

static void
signpost_record_list_class_init (SignpostRecordListClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = signpost_record_list_constructed;
  object_class->get_property = signpost_record_list_get_property;
  object_class->set_property = signpost_record_list_set_property;
  object_class->dispose = signpost_record_list_dispose;
  object_class->finalize = signpost_record_list_finalize;

  properties[PROP_CACHE] =
    g_param_spec_object ("cache", NULL, NULL, SIGNPOST_TYPE_CACHE,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* A SignpostRecordKind. */
  properties[PROP_KIND] =
    g_param_spec_int ("kind", NULL, NULL, 0, G_MAXINT, 0,
                      G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Why the list could not be read (it keeps the rows it had), or NULL. */
  properties[PROP_ERROR] =
    g_param_spec_boxed ("error", NULL, NULL, G_TYPE_ERROR,
                        G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
signpost_record_list_init (SignpostRecordList *self)
{
  SignpostRecordListPrivate *priv = signpost_record_list_get_instance_private (self);

  priv->items = g_ptr_array_new_with_free_func (g_object_unref);
  priv->by_id = g_hash_table_new (g_str_hash, g_str_equal);
}

SignpostCache *
signpost_record_list_get_cache (SignpostRecordList *self)
{
  SignpostRecordListPrivate *priv = signpost_record_list_get_instance_private (self);

  g_return_val_if_fail (SIGNPOST_IS_RECORD_LIST (self), NULL);
  return priv->cache;
}

SignpostRecordKind
signpost_record_list_get_kind (SignpostRecordList *self)
{
  SignpostRecordListPrivate *priv = signpost_record_list_get_instance_private (self);

  g_return_val_if_fail (SIGNPOST_IS_RECORD_LIST (self), 0);
  return priv->kind;
}

static gboolean
same_id (SignpostRecord *a,
         SignpostRecord *b)
{
  return g_strcmp0 (signpost_record_get_id (a), signpost_record_get_id (b)) == 0;
}

/**
 * signpost_record_list_reload:
 *
 * Runs the query again (after a subclass changed what it asks for) and
 * reports only what differs: rows kept at either end are updated in place,
 * the middle is replaced, reusing the objects of records still present.
 */
void
signpost_record_list_reload (SignpostRecordList *self)
{
  SignpostRecordListPrivate *priv = signpost_record_list_get_instance_private (self);
  g_autoptr(GPtrArray) fresh = NULL;
  g_autoptr(GPtrArray) old = NULL;
  g_autoptr(GArray) touched = g_array_new (FALSE, FALSE, sizeof (guint));
  g_autoptr(GError) error = NULL;
  guint prefix = 0, suffix = 0;

  g_return_if_fail (SIGNPOST_IS_RECORD_LIST (self));

  if (priv->cache == NULL)
    return;
  fresh = SIGNPOST_RECORD_LIST_GET_CLASS (self)->load (self, priv->cache, &error);
  if (fresh == NULL)
    {
      /* A query that broke is not an empty list: keep what was shown and
       * say why (:error). */
      g_warning ("A list of %s records could not be read: %s",
                 signpost_record_kind_to_string (priv->kind), error ? error->message : "no reason given");
      g_clear_error (&priv->error);
      priv->error = error ? g_steal_pointer (&error)
                          : g_error_new_literal (SIGNPOST_ERROR, SIGNPOST_ERROR_FAILED, "no reason given");
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
      return;
    }
  if (priv->error != NULL)
    {
      g_clear_error (&priv->error);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ERROR]);
    }
  g_ptr_array_set_free_func (fresh, g_object_unref);

  while (prefix < priv->items->len && prefix < fresh->len &&
         same_id (g_ptr_array_index (priv->items, prefix), g_ptr_array_index (fresh, prefix)))
    prefix++;
  while (suffix < priv->items->len - prefix && suffix < fresh->len - prefix &&
         same_id (g_ptr_array_index (priv->items, priv->items->len - 1 - suffix),
                  g_ptr_array_index (fresh, fresh->len - 1 - suffix)))
    suffix++;

  old = g_steal_pointer (&priv->items);
  g_hash_table_remove_all (priv->by_id);
  {
    g_autoptr(GHashTable) old_by_id = g_hash_table_new (g_str_hash, g_str_equal);
    for (guint i = prefix; i < old->len - suffix; i++)
      g_hash_table_insert (old_by_id, (gpointer) signpost_record_get_id (g_ptr_array_index (old, i)),
                           g_ptr_array_index (old, i));

    for (guint i = 0; i < fresh->len; i++)
      {
        SignpostRecord *record = g_ptr_array_index (fresh, i);
        SignpostRecord *kept = NULL;
        gboolean middle = i >= prefix && i < fresh->len - suffix;

        if (!middle)
          kept = g_ptr_array_index (old, i < prefix ? i : i - fresh->len + old->len);
        else
          kept = g_hash_table_lookup (old_by_id, signpost_record_get_id (record));

        if (kept != NULL)
          {
            if (assign (kept, record) && !middle)
              g_array_append_val (touched, i);
            g_ptr_array_index (fresh, i) = g_object_ref (kept);
            g_object_unref (record);
          }
        g_hash_table_insert (priv->by_id,
                             (gpointer) signpost_record_get_id (g_ptr_array_index (fresh, i)),
                             g_ptr_array_index (fresh, i));
      }
  }
  priv->items = g_steal_pointer (&fresh);

  if (old->len - prefix - suffix > 0 || priv->items->len - prefix - suffix > 0)
    emit (self, prefix, old->len - prefix - suffix, priv->items->len - prefix - suffix);
  for (guint k = 0; k < touched->len; k++)
    emit (self, g_array_index (touched, guint, k), 1, 1);
}

gpointer
signpost_record_list_lookup (SignpostRecordList *self,
                             const char         *id)
{
  SignpostRecordListPrivate *priv = signpost_record_list_get_instance_private (self);

  g_return_val_if_fail (SIGNPOST_IS_RECORD_LIST (self), NULL);
  return id ? g_hash_table_lookup (priv->by_id, id) : NULL;
}

gboolean
signpost_record_list_find (SignpostRecordList *self,
                           const char         *id,
                           guint              *position)
{
  SignpostRecord *item = signpost_record_list_lookup (self, id);
  guint found;

  if (item == NULL)
    return FALSE;
  found = position_of (self, item);
  if (found == G_MAXUINT)
    return FALSE;
  if (position)
    *position = found;
  return TRUE;
}

/* For subclasses: a row's content depends on something else that changed. */
void
signpost_record_list_item_changed (SignpostRecordList *self,
                                   const char         *id)
{
  guint position;

  g_return_if_fail (SIGNPOST_IS_RECORD_LIST (self));

  if (signpost_record_list_find (self, id, &position))
    g_list_model_items_changed (G_LIST_MODEL (self), position, 1, 1);
}

/**
 * signpost_record_list_get_error:
 *
 * Returns: (nullable): why the list's query last failed (the list keeps the
 *   rows it had), or NULL when it did not
 */
const GError *
signpost_record_list_get_error (SignpostRecordList *self)
{
  SignpostRecordListPrivate *priv = signpost_record_list_get_instance_private (self);

  g_return_val_if_fail (SIGNPOST_IS_RECORD_LIST (self), NULL);
  return priv->error;
}
