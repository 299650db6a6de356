/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-enums.h"
#include "signpost-error.h"
#include "signpost-json.h"
#include "signpost-object.h"
#include "signpost-time.h"

/*
 * Every model type stores its fields in one GValue array owned by this base
 * class, indexed by (owning class's offset + property id − 1). A field's
 * wire rules (format, limits, required, server-set) hang off its GParamSpec
 * as qdata, so the codec, equality and copying all read one description.
 */

typedef enum {
  KIND_STRING,
  KIND_ENUM_NICK,
  KIND_INT,
  KIND_BOOLEAN,
  KIND_ENUM,
  KIND_INSTANT,
  KIND_STRV,
  KIND_ENUM_LIST,
  KIND_LIST,
  KIND_OBJECT,
  KIND_JSON,
} FieldKind;

typedef struct {
  FieldKind kind;
  SignpostFieldFlags flags;
  SignpostFormat format;
  guint max_chars;
  guint max_items;
  GType sub_type;       /* enum type for nicks and enum lists; item type for lists */
  const char *json_key; /* interned */
} FieldInfo;

typedef struct {
  GValue *values;
  guint n_values;
} SignpostObjectPrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (SignpostObject, signpost_object, G_TYPE_OBJECT)

static GQuark field_info_quark;
static GQuark field_table_quark;
static GMutex field_table_lock;

#define DEFAULT_MAX_CHARS 256
#define DEFAULT_MAX_ITEMS 64

typedef struct {
  guint n_fields;
  GParamSpec *fields[];
} FieldTable;

static FieldInfo *
field_info (GParamSpec *pspec)
{
  return g_param_spec_get_qdata (pspec, field_info_quark);
}

static GParamSpec *
describe (GParamSpec         *pspec,
          FieldKind           kind,
          SignpostFieldFlags  flags,
          SignpostFormat      format,
          guint               max_chars,
          guint               max_items,
          GType               sub_type)
{
  FieldInfo *info = g_new0 (FieldInfo, 1);
  g_autofree char *key = g_strdup (pspec->name);

  g_strdelimit (key, "-", '_');
  info->kind = kind;
  info->flags = flags;
  info->format = format;
  info->max_chars = max_chars ? max_chars : DEFAULT_MAX_CHARS;
  info->max_items = max_items ? max_items : DEFAULT_MAX_ITEMS;
  info->sub_type = sub_type;
  info->json_key = g_intern_string (key);
  g_param_spec_set_qdata_full (pspec, field_info_quark, info, g_free);
  return pspec;
}

/* Not G_PARAM_STATIC_NAME: field names are wire names with underscores,
 * which GLib only takes as a copy it canonicalises ("given_name" becomes
 * the property "given-name"); describe() turns that back into the key. */
#define FIELD_PARAM_FLAGS (G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | \
                           G_PARAM_STATIC_NICK | G_PARAM_STATIC_BLURB)

static void
ensure_quarks (void)
{
  if (G_UNLIKELY (field_info_quark == 0))
    {
      field_info_quark = g_quark_from_static_string ("signpost-field-info");
      field_table_quark = g_quark_from_static_string ("signpost-field-table");
    }
}

GParamSpec *
signpost_field_string (const char         *name,
                       SignpostFormat      format,
                       guint               max_chars,
                       SignpostFieldFlags  flags)
{
  ensure_quarks ();
  return describe (g_param_spec_string (name, NULL, NULL, NULL, FIELD_PARAM_FLAGS),
                   KIND_STRING, flags, format, max_chars, 0, G_TYPE_INVALID);
}

GParamSpec *
signpost_field_enum_nick (const char         *name,
                          GType               enum_type,
                          SignpostFieldFlags  flags)
{
  ensure_quarks ();
  return describe (g_param_spec_string (name, NULL, NULL, NULL, FIELD_PARAM_FLAGS),
                   KIND_ENUM_NICK, flags, SIGNPOST_FORMAT_KEY, 64, 0, enum_type);
}

GParamSpec *
signpost_field_int (const char         *name,
                    gint64              minimum,
                    gint64              maximum,
                    gint64              default_value,
                    SignpostFieldFlags  flags)
{
  ensure_quarks ();
  return describe (g_param_spec_int64 (name, NULL, NULL, minimum, maximum, default_value,
                                       FIELD_PARAM_FLAGS),
                   KIND_INT, flags, SIGNPOST_FORMAT_TEXT, 0, 0, G_TYPE_INVALID);
}

GParamSpec *
signpost_field_boolean (const char         *name,
                        gboolean            default_value,
                        SignpostFieldFlags  flags)
{
  ensure_quarks ();
  return describe (g_param_spec_boolean (name, NULL, NULL, default_value, FIELD_PARAM_FLAGS),
                   KIND_BOOLEAN, flags, SIGNPOST_FORMAT_TEXT, 0, 0, G_TYPE_INVALID);
}

GParamSpec *
signpost_field_enum (const char         *name,
                     GType               enum_type,
                     int                 default_value,
                     SignpostFieldFlags  flags)
{
  ensure_quarks ();
  return describe (g_param_spec_enum (name, NULL, NULL, enum_type, default_value,
                                      FIELD_PARAM_FLAGS),
                   KIND_ENUM, flags, SIGNPOST_FORMAT_TEXT, 0, 0, enum_type);
}

GParamSpec *
signpost_field_instant (const char         *name,
                        SignpostFieldFlags  flags)
{
  ensure_quarks ();
  return describe (g_param_spec_boxed (name, NULL, NULL, G_TYPE_DATE_TIME, FIELD_PARAM_FLAGS),
                   KIND_INSTANT, flags, SIGNPOST_FORMAT_TEXT, 0, 0, G_TYPE_INVALID);
}

GParamSpec *
signpost_field_strv (const char         *name,
                     SignpostFormat      format,
                     guint               max_items,
                     SignpostFieldFlags  flags)
{
  ensure_quarks ();
  return describe (g_param_spec_boxed (name, NULL, NULL, G_TYPE_STRV, FIELD_PARAM_FLAGS),
                   KIND_STRV, flags, format, 0, max_items, G_TYPE_INVALID);
}

GParamSpec *
signpost_field_enum_list (const char         *name,
                          GType               enum_type,
                          SignpostFieldFlags  flags)
{
  ensure_quarks ();
  return describe (g_param_spec_boxed (name, NULL, NULL, G_TYPE_STRV, FIELD_PARAM_FLAGS),
                   KIND_ENUM_LIST, flags, SIGNPOST_FORMAT_KEY, 64, 0, enum_type);
}

GParamSpec *
signpost_field_list (const char         *name,
                     GType               item_type,
                     guint               max_items,
                     SignpostFieldFlags  flags)
{
  ensure_quarks ();
  g_return_val_if_fail (g_type_is_a (item_type, SIGNPOST_TYPE_OBJECT), NULL);
  return describe (g_param_spec_object (name, NULL, NULL, G_TYPE_LIST_MODEL, FIELD_PARAM_FLAGS),
                   KIND_LIST, flags, SIGNPOST_FORMAT_TEXT, 0, max_items, item_type);
}

GParamSpec *
signpost_field_object (const char         *name,
                       GType               object_type,
                       SignpostFieldFlags  flags)
{
  ensure_quarks ();
  g_return_val_if_fail (g_type_is_a (object_type, SIGNPOST_TYPE_OBJECT), NULL);
  return describe (g_param_spec_object (name, NULL, NULL, object_type, FIELD_PARAM_FLAGS),
                   KIND_OBJECT, flags, SIGNPOST_FORMAT_TEXT, 0, 0, object_type);
}

GParamSpec *
signpost_field_json (const char         *name,
                     SignpostFieldFlags  flags)
{
  ensure_quarks ();
  return describe (g_param_spec_boxed (name, NULL, NULL, JSON_TYPE_NODE, FIELD_PARAM_FLAGS),
                   KIND_JSON, flags, SIGNPOST_FORMAT_TEXT, 0, 0, G_TYPE_INVALID);
}

const char *
signpost_field_get_json_key (GParamSpec *pspec)
{
  FieldInfo *info = field_info (pspec);

  return info ? info->json_key : NULL;
}

SignpostFieldFlags
signpost_field_get_flags (GParamSpec *pspec)
{
  FieldInfo *info = field_info (pspec);

  return info ? info->flags : 0;
}

static void signpost_object_get_property (GObject      *object,
                                          guint         prop_id,
                                          GValue       *value,
                                          GParamSpec   *pspec);
static void signpost_object_set_property (GObject      *object,
                                          guint         prop_id,
                                          const GValue *value,
                                          GParamSpec   *pspec);

void
signpost_object_class_install_fields (SignpostObjectClass  *klass,
                                      guint                 n_pspecs,
                                      GParamSpec          **pspecs)
{
  g_return_if_fail (n_pspecs >= 1 && pspecs[0] == NULL);

  for (guint i = 1; i < n_pspecs; i++)
    g_return_if_fail (field_info (pspecs[i]) != NULL);

  /* The class struct starts as a copy of the parent's, so n_values is the
   * number of fields above us. */
  klass->prop_offset = klass->n_values;
  klass->n_values += n_pspecs - 1;
  /* GObject dispatches to the property's owning class, and does not let a
   * class inherit get_property/set_property: every class with fields
   * needs them. */
  G_OBJECT_CLASS (klass)->get_property = signpost_object_get_property;
  G_OBJECT_CLASS (klass)->set_property = signpost_object_set_property;
  g_object_class_install_properties (G_OBJECT_CLASS (klass), n_pspecs, pspecs);
}

static guint
field_index (GParamSpec *pspec)
{
  SignpostObjectClass *owner = g_type_class_peek (pspec->owner_type);

  return owner->prop_offset + pspec->param_id - 1;
}

static const FieldTable *
field_table (SignpostObjectClass *klass)
{
  GType type = G_TYPE_FROM_CLASS (klass);
  FieldTable *table;

  table = g_type_get_qdata (type, field_table_quark);
  if (G_LIKELY (table != NULL))
    return table;

  g_mutex_lock (&field_table_lock);
  table = g_type_get_qdata (type, field_table_quark);
  if (table == NULL)
    {
      g_autofree GParamSpec **all = NULL;
      guint n_all = 0;

      table = g_malloc0 (sizeof (FieldTable) + klass->n_values * sizeof (GParamSpec *));
      table->n_fields = klass->n_values;
      all = g_object_class_list_properties (G_OBJECT_CLASS (klass), &n_all);
      for (guint i = 0; i < n_all; i++)
        if (field_info (all[i]) != NULL)
          {
            guint index = field_index (all[i]);
            g_assert (index < table->n_fields);
            table->fields[index] = all[i];
          }
      for (guint i = 0; i < table->n_fields; i++)
        g_assert (table->fields[i] != NULL);
      g_type_set_qdata (type, field_table_quark, table);
    }
  g_mutex_unlock (&field_table_lock);
  return table;
}

GParamSpec **
signpost_object_class_list_fields (SignpostObjectClass *klass,
                                   guint               *n_fields)
{
  const FieldTable *table = field_table (klass);

  if (n_fields != NULL)
    *n_fields = table->n_fields;
  return (GParamSpec **) table->fields;
}

GParamSpec *
signpost_object_class_find_field (SignpostObjectClass *klass,
                                  const char          *json_key)
{
  const FieldTable *table = field_table (klass);

  for (guint i = 0; i < table->n_fields; i++)
    if (g_strcmp0 (field_info (table->fields[i])->json_key, json_key) == 0)
      return table->fields[i];
  return NULL;
}

/* ---- storage ---------------------------------------------------------- */

static GValue *
ensure_values (SignpostObject *self)
{
  SignpostObjectPrivate *priv = signpost_object_get_instance_private (self);

  if (G_UNLIKELY (priv->values == NULL))
    {
      SignpostObjectClass *klass = SIGNPOST_OBJECT_GET_CLASS (self);
      const FieldTable *table = field_table (klass);

      priv->n_values = table->n_fields;
      priv->values = g_new0 (GValue, MAX (priv->n_values, 1));
      for (guint i = 0; i < priv->n_values; i++)
        {
          g_value_init (&priv->values[i], table->fields[i]->value_type);
          g_param_value_set_default (table->fields[i], &priv->values[i]);
        }
    }
  return priv->values;
}

static GValue *
value_for (SignpostObject *self,
           GParamSpec     *pspec)
{
  GValue *values = ensure_values (self);
  guint index = field_index (pspec);
  SignpostObjectPrivate *priv = signpost_object_get_instance_private (self);

  g_assert (index < priv->n_values);
  return &values[index];
}

static guint
list_length (GListModel *model)
{
  return model != NULL ? g_list_model_get_n_items (model) : 0;
}

static gboolean
values_equal (GParamSpec   *pspec,
              const GValue *a,
              const GValue *b)
{
  FieldInfo *info = field_info (pspec);

  switch (info->kind)
    {
    case KIND_STRING:
    case KIND_ENUM_NICK:
      return g_strcmp0 (g_value_get_string (a), g_value_get_string (b)) == 0;
    case KIND_INT:
      return g_value_get_int64 (a) == g_value_get_int64 (b);
    case KIND_BOOLEAN:
      return !g_value_get_boolean (a) == !g_value_get_boolean (b);
    case KIND_ENUM:
      return g_value_get_enum (a) == g_value_get_enum (b);
    case KIND_INSTANT:
      {
        GDateTime *x = g_value_get_boxed (a), *y = g_value_get_boxed (b);
        if (x == NULL || y == NULL)
          return x == y;
        return g_date_time_equal (x, y);
      }
    case KIND_STRV:
    case KIND_ENUM_LIST:
      {
        const char * const *x = g_value_get_boxed (a);
        const char * const *y = g_value_get_boxed (b);
        guint nx = x ? g_strv_length ((char **) x) : 0;
        guint ny = y ? g_strv_length ((char **) y) : 0;
        if (nx != ny)
          return FALSE;
        for (guint i = 0; i < nx; i++)
          if (strcmp (x[i], y[i]) != 0)
            return FALSE;
        return TRUE;
      }
    case KIND_LIST:
      {
        GListModel *x = g_value_get_object (a), *y = g_value_get_object (b);
        guint n = list_length (x);
        if (n != list_length (y))
          return FALSE;
        for (guint i = 0; i < n; i++)
          {
            g_autoptr(SignpostObject) ix = g_list_model_get_item (x, i);
            g_autoptr(SignpostObject) iy = g_list_model_get_item (y, i);
            if (!signpost_object_equal (ix, iy))
              return FALSE;
          }
        return TRUE;
      }
    case KIND_OBJECT:
      {
        SignpostObject *x = g_value_get_object (a), *y = g_value_get_object (b);
        if (x == NULL || y == NULL)
          return x == y;
        return signpost_object_equal (x, y);
      }
    case KIND_JSON:
      {
        JsonNode *x = g_value_get_boxed (a), *y = g_value_get_boxed (b);
        if (x == NULL || y == NULL)
          return x == y;
        return json_node_equal (x, y);
      }
    default:
      g_assert_not_reached ();
    }
}

/* Takes a copy of @value into the slot for @pspec; notifies only when the
 * stored value actually changes. */
static void
store_value (SignpostObject *self,
             GParamSpec     *pspec,
             const GValue   *value)
{
  GValue *slot = value_for (self, pspec);

  if (values_equal (pspec, slot, value))
    return;
  g_value_copy (value, g_value_reset (slot));
  g_object_notify_by_pspec (G_OBJECT (self), pspec);
}

static void
signpost_object_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  if (field_info (pspec) == NULL)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  g_value_copy (value_for (SIGNPOST_OBJECT (object), pspec), value);
}

static void
signpost_object_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  if (field_info (pspec) == NULL)
    {
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
      return;
    }
  store_value (SIGNPOST_OBJECT (object), pspec, value);
}

static void
signpost_object_finalize (GObject *object)
{
  SignpostObjectPrivate *priv = signpost_object_get_instance_private (SIGNPOST_OBJECT (object));

  for (guint i = 0; priv->values != NULL && i < priv->n_values; i++)
    g_value_unset (&priv->values[i]);
  g_clear_pointer (&priv->values, g_free);

  G_OBJECT_CLASS (signpost_object_parent_class)->finalize (object);
}

static void
signpost_object_class_init (SignpostObjectClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  ensure_quarks ();
  object_class->get_property = signpost_object_get_property;
  object_class->set_property = signpost_object_set_property;
  object_class->finalize = signpost_object_finalize;
  klass->prop_offset = 0;
  klass->n_values = 0;
}

static void
signpost_object_init (SignpostObject *self)
{
}

/* ---- typed accessors -------------------------------------------------- */

#define CHECK_KIND(pspec, k) g_return_if_fail (field_info (pspec) && field_info (pspec)->kind == (k))

const char *
signpost_object_get_string (SignpostObject *self,
                            GParamSpec     *pspec)
{
  return g_value_get_string (value_for (self, pspec));
}

void
signpost_object_set_string (SignpostObject *self,
                            GParamSpec     *pspec,
                            const char     *value)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_return_if_fail (G_IS_PARAM_SPEC_STRING (pspec));
  g_value_init (&v, G_TYPE_STRING);
  g_value_set_static_string (&v, value);
  store_value (self, pspec, &v);
}

gint64
signpost_object_get_int (SignpostObject *self,
                         GParamSpec     *pspec)
{
  return g_value_get_int64 (value_for (self, pspec));
}

void
signpost_object_set_int (SignpostObject *self,
                         GParamSpec     *pspec,
                         gint64          value)
{
  g_auto(GValue) v = G_VALUE_INIT;

  CHECK_KIND (pspec, KIND_INT);
  g_value_init (&v, G_TYPE_INT64);
  g_value_set_int64 (&v, value);
  store_value (self, pspec, &v);
}

gboolean
signpost_object_get_boolean (SignpostObject *self,
                             GParamSpec     *pspec)
{
  return g_value_get_boolean (value_for (self, pspec));
}

void
signpost_object_set_boolean (SignpostObject *self,
                             GParamSpec     *pspec,
                             gboolean        value)
{
  g_auto(GValue) v = G_VALUE_INIT;

  CHECK_KIND (pspec, KIND_BOOLEAN);
  g_value_init (&v, G_TYPE_BOOLEAN);
  g_value_set_boolean (&v, value != FALSE);
  store_value (self, pspec, &v);
}

int
signpost_object_get_enum (SignpostObject *self,
                          GParamSpec     *pspec)
{
  return g_value_get_enum (value_for (self, pspec));
}

void
signpost_object_set_enum (SignpostObject *self,
                          GParamSpec     *pspec,
                          int             value)
{
  g_auto(GValue) v = G_VALUE_INIT;

  CHECK_KIND (pspec, KIND_ENUM);
  g_return_if_fail (signpost_enum_to_nick (pspec->value_type, value) != NULL);
  g_value_init (&v, pspec->value_type);
  g_value_set_enum (&v, value);
  store_value (self, pspec, &v);
}

GDateTime *
signpost_object_get_instant (SignpostObject *self,
                             GParamSpec     *pspec)
{
  return g_value_get_boxed (value_for (self, pspec));
}

void
signpost_object_set_instant (SignpostObject *self,
                             GParamSpec     *pspec,
                             GDateTime      *value)
{
  g_auto(GValue) v = G_VALUE_INIT;

  CHECK_KIND (pspec, KIND_INSTANT);
  g_value_init (&v, G_TYPE_DATE_TIME);
  g_value_set_boxed (&v, value);
  store_value (self, pspec, &v);
}

const char * const *
signpost_object_get_strv (SignpostObject *self,
                          GParamSpec     *pspec)
{
  return g_value_get_boxed (value_for (self, pspec));
}

void
signpost_object_set_strv (SignpostObject     *self,
                          GParamSpec         *pspec,
                          const char * const *value)
{
  g_auto(GValue) v = G_VALUE_INIT;

  g_return_if_fail (pspec->value_type == G_TYPE_STRV);
  g_value_init (&v, G_TYPE_STRV);
  g_value_set_boxed (&v, value);
  store_value (self, pspec, &v);
}

GListModel *
signpost_object_get_list (SignpostObject *self,
                          GParamSpec     *pspec)
{
  return g_value_get_object (value_for (self, pspec));
}

void
signpost_object_set_list (SignpostObject *self,
                          GParamSpec     *pspec,
                          GListModel     *value)
{
  g_auto(GValue) v = G_VALUE_INIT;

  CHECK_KIND (pspec, KIND_LIST);
  g_value_init (&v, G_TYPE_LIST_MODEL);
  g_value_set_object (&v, value);
  store_value (self, pspec, &v);
}

gpointer
signpost_object_get_object (SignpostObject *self,
                            GParamSpec     *pspec)
{
  return g_value_get_object (value_for (self, pspec));
}

void
signpost_object_set_object (SignpostObject *self,
                            GParamSpec     *pspec,
                            gpointer        value)
{
  g_auto(GValue) v = G_VALUE_INIT;

  CHECK_KIND (pspec, KIND_OBJECT);
  g_value_init (&v, pspec->value_type);
  g_value_set_object (&v, value);
  store_value (self, pspec, &v);
}

JsonNode *
signpost_object_get_json (SignpostObject *self,
                          GParamSpec     *pspec)
{
  return g_value_get_boxed (value_for (self, pspec));
}

void
signpost_object_set_json (SignpostObject *self,
                          GParamSpec     *pspec,
                          JsonNode       *value)
{
  g_auto(GValue) v = G_VALUE_INIT;

  CHECK_KIND (pspec, KIND_JSON);
  g_value_init (&v, JSON_TYPE_NODE);
  g_value_set_boxed (&v, value);
  store_value (self, pspec, &v);
}

/* ---- encoding --------------------------------------------------------- */

static JsonNode *
encode_value (GParamSpec   *pspec,
              const GValue *value)
{
  FieldInfo *info = field_info (pspec);
  JsonNode *node = json_node_alloc ();

  switch (info->kind)
    {
    case KIND_STRING:
    case KIND_ENUM_NICK:
      if (g_value_get_string (value) == NULL)
        return json_node_init_null (node);
      return json_node_init_string (node, g_value_get_string (value));
    case KIND_INT:
      return json_node_init_int (node, g_value_get_int64 (value));
    case KIND_BOOLEAN:
      return json_node_init_boolean (node, g_value_get_boolean (value));
    case KIND_ENUM:
      return json_node_init_string (node, signpost_enum_to_nick (pspec->value_type,
                                                                 g_value_get_enum (value)));
    case KIND_INSTANT:
      {
        g_autofree char *text = signpost_timestamp_format (g_value_get_boxed (value));
        if (text == NULL)
          return json_node_init_null (node);
        return json_node_init_string (node, text);
      }
    case KIND_STRV:
    case KIND_ENUM_LIST:
      {
        const char * const *strv = g_value_get_boxed (value);
        JsonArray *array = json_array_new ();
        for (guint i = 0; strv != NULL && strv[i] != NULL; i++)
          json_array_add_string_element (array, strv[i]);
        json_node_take_array (json_node_init (node, JSON_NODE_ARRAY), array);
        return node;
      }
    case KIND_LIST:
      {
        GListModel *model = g_value_get_object (value);
        JsonArray *array = json_array_new ();
        for (guint i = 0; i < list_length (model); i++)
          {
            g_autoptr(SignpostObject) item = g_list_model_get_item (model, i);
            json_array_add_object_element (array, signpost_object_to_json (item));
          }
        json_node_take_array (json_node_init (node, JSON_NODE_ARRAY), array);
        return node;
      }
    case KIND_OBJECT:
      if (g_value_get_object (value) == NULL)
        return json_node_init_null (node);
      json_node_take_object (json_node_init (node, JSON_NODE_OBJECT),
                             signpost_object_to_json (g_value_get_object (value)));
      return node;
    case KIND_JSON:
      json_node_unref (node);
      if (g_value_get_boxed (value) == NULL)
        return json_node_init_null (json_node_alloc ());
      return json_node_copy (g_value_get_boxed (value));
    default:
      g_assert_not_reached ();
    }
}

JsonObject *
signpost_object_to_json (SignpostObject *self)
{
  const FieldTable *table;
  JsonObject *object;

  g_return_val_if_fail (SIGNPOST_IS_OBJECT (self), NULL);

  table = field_table (SIGNPOST_OBJECT_GET_CLASS (self));
  object = json_object_new ();
  for (guint i = 0; i < table->n_fields; i++)
    {
      GParamSpec *pspec = table->fields[i];
      json_object_set_member (object, field_info (pspec)->json_key,
                              encode_value (pspec, value_for (self, pspec)));
    }
  return object;
}

JsonNode *
signpost_object_to_json_node (SignpostObject *self)
{
  JsonNode *node = json_node_init (json_node_alloc (), JSON_NODE_OBJECT);

  json_node_take_object (node, signpost_object_to_json (self));
  return node;
}

char *
signpost_object_to_string (SignpostObject *self,
                           gsize          *length)
{
  g_autoptr(JsonNode) node = signpost_object_to_json_node (self);

  return signpost_json_to_string (node, length);
}

/* ---- decoding --------------------------------------------------------- */

static gboolean
node_is_string (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING;
}

static gboolean
check_string (FieldInfo   *info,
              const char  *path,
              const char  *text,
              GError     **error)
{
  g_autoptr(GError) format_error = NULL;

  if (g_utf8_strlen (text, -1) > info->max_chars)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, path,
                                _("is longer than %u characters"), info->max_chars);
      return FALSE;
    }
  if (*text == '\0' && info->format != SIGNPOST_FORMAT_MULTILINE &&
      info->format != SIGNPOST_FORMAT_TEXT)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, path, _("must not be empty"));
      return FALSE;
    }
  if (!signpost_format_check (info->format, text, &format_error))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, path, "%s",
                                format_error->message);
      return FALSE;
    }
  return TRUE;
}

static gboolean
check_nick (GType        enum_type,
            const char  *path,
            const char  *nick,
            GError     **error)
{
  if (!signpost_enum_from_nick (enum_type, nick, NULL))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, path,
                                _("“%s” is not one of the allowed values"), nick);
      return FALSE;
    }
  return TRUE;
}

static gboolean
wrong_type (const char  *path,
            const char  *expected,
            GError     **error)
{
  signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, path, _("must be %s"), expected);
  return FALSE;
}

static gboolean decode_into (SignpostObject      *self,
                             gboolean             fresh,
                             JsonObject          *object,
                             SignpostDecodeMode   mode,
                             const char          *path,
                             GError             **error);

static gpointer
decode_object (GType                type,
               JsonNode            *node,
               SignpostDecodeMode   mode,
               const char          *path,
               GError             **error)
{
  g_autoptr(SignpostObject) result = NULL;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      wrong_type (path, _("an object"), error);
      return NULL;
    }
  result = g_object_new (type, NULL);
  if (!decode_into (result, TRUE, json_node_get_object (node), mode, path, error))
    return NULL;
  return g_steal_pointer (&result);
}

/* Fills @value (initialised to the field's type) from @node. */
static gboolean
decode_value (GParamSpec          *pspec,
              JsonNode            *node,
              SignpostDecodeMode   mode,
              const char          *path,
              GValue              *value,
              GError             **error)
{
  FieldInfo *info = field_info (pspec);

  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (info->flags & SIGNPOST_FIELD_REQUIRED)
        {
          signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, path, _("is required"));
          return FALSE;
        }
      switch (info->kind)
        {
        case KIND_STRING:
        case KIND_ENUM_NICK:
        case KIND_INSTANT:
        case KIND_OBJECT:
        case KIND_JSON:
        case KIND_STRV:
        case KIND_ENUM_LIST:
        case KIND_LIST:
          return TRUE; /* the value stays NULL */
        case KIND_INT:
        case KIND_BOOLEAN:
        case KIND_ENUM:
        default:
          break;
        }
    }

  switch (info->kind)
    {
    case KIND_STRING:
    case KIND_ENUM_NICK:
      {
        const char *text;
        if (!node_is_string (node))
          return wrong_type (path, _("a string"), error);
        text = json_node_get_string (node);
        if (info->kind == KIND_ENUM_NICK ? !check_nick (info->sub_type, path, text, error)
                                         : !check_string (info, path, text, error))
          return FALSE;
        g_value_set_string (value, text);
        return TRUE;
      }

    case KIND_INT:
      {
        GParamSpecInt64 *ispec = G_PARAM_SPEC_INT64 (pspec);
        gint64 n;
        if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
          return wrong_type (path, _("a whole number"), error);
        n = json_node_get_int (node);
        if (n < ispec->minimum || n > ispec->maximum)
          {
            g_autofree char *low = g_strdup_printf ("%" G_GINT64_FORMAT, ispec->minimum);
            g_autofree char *high = g_strdup_printf ("%" G_GINT64_FORMAT, ispec->maximum);

            /* Translators: the two numbers are the lowest and highest allowed */
            signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, path,
                                      _("must be between %s and %s"), low, high);
            return FALSE;
          }
        g_value_set_int64 (value, n);
        return TRUE;
      }

    case KIND_BOOLEAN:
      if (!JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_BOOLEAN)
        return wrong_type (path, _("true or false"), error);
      g_value_set_boolean (value, json_node_get_boolean (node));
      return TRUE;

    case KIND_ENUM:
      {
        int v;
        if (!node_is_string (node))
          return wrong_type (path, _("a string"), error);
        if (!check_nick (pspec->value_type, path, json_node_get_string (node), error))
          return FALSE;
        signpost_enum_from_nick (pspec->value_type, json_node_get_string (node), &v);
        g_value_set_enum (value, v);
        return TRUE;
      }

    case KIND_INSTANT:
      {
        g_autoptr(GError) parse_error = NULL;
        GDateTime *dt;
        if (!node_is_string (node))
          return wrong_type (path, _("a timestamp string"), error);
        dt = signpost_timestamp_parse (json_node_get_string (node), &parse_error);
        if (dt == NULL)
          {
            signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, path, "%s",
                                      parse_error->message);
            return FALSE;
          }
        g_value_take_boxed (value, dt);
        return TRUE;
      }

    case KIND_STRV:
    case KIND_ENUM_LIST:
      {
        JsonArray *array;
        guint n;
        g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
        if (!JSON_NODE_HOLDS_ARRAY (node))
          return wrong_type (path, _("a list of strings"), error);
        array = json_node_get_array (node);
        n = json_array_get_length (array);
        if (n > info->max_items)
          {
            signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, path,
                                      _("has more than %u items"), info->max_items);
            return FALSE;
          }
        for (guint i = 0; i < n; i++)
          {
            g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);
            JsonNode *item = json_array_get_element (array, i);
            const char *text;
            if (!node_is_string (item))
              return wrong_type (item_path, _("a string"), error);
            text = json_node_get_string (item);
            if (info->kind == KIND_ENUM_LIST ? !check_nick (info->sub_type, item_path, text, error)
                                             : !check_string (info, item_path, text, error))
              return FALSE;
            g_strv_builder_add (builder, text);
          }
        g_value_take_boxed (value, g_strv_builder_end (builder));
        return TRUE;
      }

    case KIND_LIST:
      {
        JsonArray *array;
        guint n;
        g_autoptr(GListStore) store = NULL;
        if (!JSON_NODE_HOLDS_ARRAY (node))
          return wrong_type (path, _("a list of objects"), error);
        array = json_node_get_array (node);
        n = json_array_get_length (array);
        if (n > info->max_items)
          {
            signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, path,
                                      _("has more than %u items"), info->max_items);
            return FALSE;
          }
        store = g_list_store_new (info->sub_type);
        for (guint i = 0; i < n; i++)
          {
            g_autofree char *item_path = g_strdup_printf ("%s[%u]", path, i);
            g_autoptr(SignpostObject) item =
              decode_object (info->sub_type, json_array_get_element (array, i),
                             mode == SIGNPOST_DECODE_PATCH ? SIGNPOST_DECODE_CREATE : mode,
                             item_path, error);
            if (item == NULL)
              return FALSE;
            g_list_store_append (store, item);
          }
        g_value_set_object (value, store);
        return TRUE;
      }

    case KIND_OBJECT:
      {
        g_autoptr(SignpostObject) child =
          decode_object (info->sub_type, node,
                         mode == SIGNPOST_DECODE_PATCH ? SIGNPOST_DECODE_CREATE : mode,
                         path, error);
        if (child == NULL)
          return FALSE;
        g_value_set_object (value, child);
        return TRUE;
      }

    case KIND_JSON:
      if (!JSON_NODE_HOLDS_OBJECT (node))
        return wrong_type (path, _("an object"), error);
      g_value_set_boxed (value, node);
      return TRUE;

    default:
      g_assert_not_reached ();
    }
}

static char *
child_path (const char *parent,
            const char *key)
{
  if (parent == NULL || *parent == '\0')
    return g_strdup (key);
  return g_strconcat (parent, ".", key, NULL);
}

/* Validates every member of @object against the fields of @self, then
 * applies them all at once. On error @self is unchanged. A @fresh object
 * (just created, seen by nobody) is filled in place. */
static gboolean
decode_into (SignpostObject      *self,
             gboolean             fresh,
             JsonObject          *object,
             SignpostDecodeMode   mode,
             const char          *path,
             GError             **error)
{
  SignpostObjectClass *klass = SIGNPOST_OBJECT_GET_CLASS (self);
  const FieldTable *table = field_table (klass);
  g_autofree GValue *decoded = g_new0 (GValue, MAX (table->n_fields, 1));
  g_autofree gboolean *present = g_new0 (gboolean, MAX (table->n_fields, 1));
  g_autoptr(SignpostObject) scratch = NULL;
  JsonObjectIter iter;
  const char *key;
  JsonNode *member;
  gboolean ok = FALSE;

  for (guint i = 0; i < table->n_fields; i++)
    {
      g_value_init (&decoded[i], table->fields[i]->value_type);
      g_param_value_set_default (table->fields[i], &decoded[i]);
    }

  json_object_iter_init (&iter, object);
  while (json_object_iter_next (&iter, &key, &member))
    {
      GParamSpec *pspec = NULL;
      g_autofree char *member_path = child_path (path, key);
      guint index = 0;

      for (guint i = 0; i < table->n_fields; i++)
        if (strcmp (field_info (table->fields[i])->json_key, key) == 0)
          {
            pspec = table->fields[i];
            index = i;
            break;
          }
      if (pspec == NULL)
        {
          /* Keys are untrusted: keep anything odd out of the message. */
          if (signpost_format_check (SIGNPOST_FORMAT_KEY, key, NULL))
            signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, member_path,
                                      _("is not a known field"));
          else
            signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, path,
                                      _("has a member whose name is not a known field"));
          goto out;
        }
      if ((field_info (pspec)->flags & SIGNPOST_FIELD_SERVER) && mode != SIGNPOST_DECODE_FULL)
        continue;
      if (!decode_value (pspec, member, mode, member_path, &decoded[index], error))
        goto out;
      present[index] = TRUE;
    }

  if (mode != SIGNPOST_DECODE_PATCH)
    for (guint i = 0; i < table->n_fields; i++)
      {
        FieldInfo *info = field_info (table->fields[i]);
        if (present[i] || !(info->flags & SIGNPOST_FIELD_REQUIRED))
          continue;
        if ((info->flags & SIGNPOST_FIELD_SERVER) && mode != SIGNPOST_DECODE_FULL)
          continue;
        {
          g_autofree char *member_path = child_path (path, info->json_key);
          signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, member_path,
                                    _("is required"));
        }
        goto out;
      }

  /* Checks across fields run on a scratch copy, so @self only changes when
   * the whole object is acceptable. */
  scratch = fresh ? g_object_ref (self) : signpost_object_copy (self);
  for (guint i = 0; i < table->n_fields; i++)
    {
      FieldInfo *info = field_info (table->fields[i]);
      if (present[i])
        store_value (scratch, table->fields[i], &decoded[i]);
      else if (mode != SIGNPOST_DECODE_PATCH &&
               !((info->flags & SIGNPOST_FIELD_SERVER) && mode != SIGNPOST_DECODE_FULL))
        store_value (scratch, table->fields[i], &decoded[i]); /* the default */
    }
  if (!signpost_object_validate (scratch, error))
    {
      signpost_error_prefix_field (error, path);
      goto out;
    }
  if (!fresh)
    signpost_object_assign (self, scratch);
  ok = TRUE;

out:
  for (guint i = 0; i < table->n_fields; i++)
    g_value_unset (&decoded[i]);
  return ok;
}

gboolean
signpost_object_validate (SignpostObject  *self,
                          GError         **error)
{
  SignpostObjectClass *klass = SIGNPOST_OBJECT_GET_CLASS (self);

  return klass->validate == NULL || klass->validate (self, error);
}

gpointer
signpost_object_new_from_json (GType                type,
                               JsonObject          *object,
                               SignpostDecodeMode   mode,
                               GError             **error)
{
  g_autoptr(SignpostObject) result = NULL;

  g_return_val_if_fail (g_type_is_a (type, SIGNPOST_TYPE_OBJECT), NULL);
  g_return_val_if_fail (object != NULL, NULL);

  result = g_object_new (type, NULL);
  if (!decode_into (result, TRUE, object, mode, NULL, error))
    return NULL;
  return g_steal_pointer (&result);
}

gpointer
signpost_object_new_from_string (GType                type,
                                 const char          *data,
                                 gsize                length,
                                 SignpostDecodeMode   mode,
                                 GError             **error)
{
  g_autoptr(JsonObject) object = signpost_json_parse_object (data, length, 0, error);

  if (object == NULL)
    return NULL;
  return signpost_object_new_from_json (type, object, mode, error);
}

gboolean
signpost_object_update_from_json (SignpostObject      *self,
                                  JsonObject          *object,
                                  SignpostDecodeMode   mode,
                                  GError             **error)
{
  g_return_val_if_fail (SIGNPOST_IS_OBJECT (self), FALSE);
  g_return_val_if_fail (object != NULL, FALSE);

  return decode_into (self, FALSE, object, mode, NULL, error);
}

/* ---- whole-object operations ------------------------------------------ */

gboolean
signpost_object_equal (SignpostObject *a,
                       SignpostObject *b)
{
  const FieldTable *table;

  if (a == b)
    return TRUE;
  if (a == NULL || b == NULL || G_OBJECT_TYPE (a) != G_OBJECT_TYPE (b))
    return FALSE;

  table = field_table (SIGNPOST_OBJECT_GET_CLASS (a));
  for (guint i = 0; i < table->n_fields; i++)
    if (!values_equal (table->fields[i], value_for (a, table->fields[i]),
                       value_for (b, table->fields[i])))
      return FALSE;
  return TRUE;
}

static void
deep_copy_value (GParamSpec   *pspec,
                 const GValue *from,
                 GValue       *to)
{
  FieldInfo *info = field_info (pspec);

  if (info->kind == KIND_LIST && g_value_get_object (from) != NULL)
    {
      GListModel *model = g_value_get_object (from);
      g_autoptr(GListStore) store = g_list_store_new (info->sub_type);
      for (guint i = 0; i < g_list_model_get_n_items (model); i++)
        {
          g_autoptr(SignpostObject) item = g_list_model_get_item (model, i);
          g_autoptr(SignpostObject) copy = signpost_object_copy (item);
          g_list_store_append (store, copy);
        }
      g_value_set_object (to, store);
    }
  else if (info->kind == KIND_OBJECT && g_value_get_object (from) != NULL)
    g_value_take_object (to, signpost_object_copy (g_value_get_object (from)));
  else
    g_value_copy (from, to);
}

/* Copies every field of @source into @self (the same type); lists and
 * nested objects are copied, not shared. Notifies what changed. */
void
signpost_object_assign (SignpostObject *self,
                        SignpostObject *source)
{
  const FieldTable *table;

  g_return_if_fail (SIGNPOST_IS_OBJECT (self));
  g_return_if_fail (G_OBJECT_TYPE (self) == G_OBJECT_TYPE (source));

  if (self == source)
    return;
  table = field_table (SIGNPOST_OBJECT_GET_CLASS (self));
  g_object_freeze_notify (G_OBJECT (self));
  for (guint i = 0; i < table->n_fields; i++)
    {
      GParamSpec *pspec = table->fields[i];
      g_auto(GValue) copy = G_VALUE_INIT;

      g_value_init (&copy, pspec->value_type);
      deep_copy_value (pspec, value_for (source, pspec), &copy);
      store_value (self, pspec, &copy);
    }
  g_object_thaw_notify (G_OBJECT (self));
}

gpointer
signpost_object_copy (SignpostObject *self)
{
  SignpostObject *copy;

  g_return_val_if_fail (SIGNPOST_IS_OBJECT (self), NULL);

  copy = g_object_new (G_OBJECT_TYPE (self), NULL);
  signpost_object_assign (copy, self);
  return copy;
}
