/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "signpost-format.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_OBJECT (signpost_object_get_type ())
G_DECLARE_DERIVABLE_TYPE (SignpostObject, signpost_object, SIGNPOST, OBJECT, GObject)

/**
 * SignpostObjectClass:
 * @validate: optional checks across fields, run after every field parsed
 *   and before anything is applied.
 *
 * The base of every model type. Subclasses describe their fields with the
 * signpost_field_*() constructors and signpost_object_class_install_fields();
 * storage, notification, equality, copying and the JSON codec then come for
 * free, and all of them follow the one description.
 */
struct _SignpostObjectClass
{
  GObjectClass parent_class;

  gboolean (*validate) (SignpostObject  *self,
                        GError         **error);

  /*< private >*/
  guint prop_offset;
  guint n_values;
  gpointer padding[8];
};

typedef enum {
  SIGNPOST_FIELD_REQUIRED = 1 << 0, /* must be present and not null */
  SIGNPOST_FIELD_SERVER   = 1 << 1, /* set by the server; ignored in client data */
} SignpostFieldFlags;

/**
 * SignpostDecodeMode:
 * @SIGNPOST_DECODE_FULL: a whole record as the server sends it; every
 *   required field, server ones included, must be present.
 * @SIGNPOST_DECODE_CREATE: client data for a new record; server fields are
 *   ignored, other required fields must be present.
 * @SIGNPOST_DECODE_PATCH: client data for an update; only the keys present
 *   are checked and applied.
 */
typedef enum {
  SIGNPOST_DECODE_FULL,
  SIGNPOST_DECODE_CREATE,
  SIGNPOST_DECODE_PATCH,
} SignpostDecodeMode;

GParamSpec  *signpost_field_string     (const char         *name,
                                        SignpostFormat      format,
                                        guint               max_chars,
                                        SignpostFieldFlags  flags);
GParamSpec  *signpost_field_enum_nick  (const char         *name,
                                        GType               enum_type,
                                        SignpostFieldFlags  flags);
GParamSpec  *signpost_field_int        (const char         *name,
                                        gint64              minimum,
                                        gint64              maximum,
                                        gint64              default_value,
                                        SignpostFieldFlags  flags);
GParamSpec  *signpost_field_boolean    (const char         *name,
                                        gboolean            default_value,
                                        SignpostFieldFlags  flags);
GParamSpec  *signpost_field_enum       (const char         *name,
                                        GType               enum_type,
                                        int                 default_value,
                                        SignpostFieldFlags  flags);
GParamSpec  *signpost_field_instant    (const char         *name,
                                        SignpostFieldFlags  flags);
GParamSpec  *signpost_field_strv       (const char         *name,
                                        SignpostFormat      format,
                                        guint               max_items,
                                        SignpostFieldFlags  flags);
GParamSpec  *signpost_field_enum_list  (const char         *name,
                                        GType               enum_type,
                                        SignpostFieldFlags  flags);
GParamSpec  *signpost_field_list       (const char         *name,
                                        GType               item_type,
                                        guint               max_items,
                                        SignpostFieldFlags  flags);
GParamSpec  *signpost_field_object     (const char         *name,
                                        GType               object_type,
                                        SignpostFieldFlags  flags);
GParamSpec  *signpost_field_json       (const char         *name,
                                        SignpostFieldFlags  flags);

void         signpost_object_class_install_fields (SignpostObjectClass  *klass,
                                                   guint                 n_pspecs,
                                                   GParamSpec          **pspecs);
GParamSpec **signpost_object_class_list_fields    (SignpostObjectClass  *klass,
                                                   guint                *n_fields);
GParamSpec  *signpost_object_class_find_field     (SignpostObjectClass  *klass,
                                                   const char           *json_key);
const char  *signpost_field_get_json_key          (GParamSpec           *pspec);
SignpostFieldFlags signpost_field_get_flags       (GParamSpec           *pspec);

/* Typed access for subclasses' accessors; setters notify only on change. */
const char          *signpost_object_get_string  (SignpostObject *self, GParamSpec *pspec);
void                 signpost_object_set_string  (SignpostObject *self, GParamSpec *pspec, const char *value);
gint64               signpost_object_get_int     (SignpostObject *self, GParamSpec *pspec);
void                 signpost_object_set_int     (SignpostObject *self, GParamSpec *pspec, gint64 value);
gboolean             signpost_object_get_boolean (SignpostObject *self, GParamSpec *pspec);
void                 signpost_object_set_boolean (SignpostObject *self, GParamSpec *pspec, gboolean value);
int                  signpost_object_get_enum    (SignpostObject *self, GParamSpec *pspec);
void                 signpost_object_set_enum    (SignpostObject *self, GParamSpec *pspec, int value);
GDateTime           *signpost_object_get_instant (SignpostObject *self, GParamSpec *pspec);
void                 signpost_object_set_instant (SignpostObject *self, GParamSpec *pspec, GDateTime *value);
const char * const  *signpost_object_get_strv    (SignpostObject *self, GParamSpec *pspec);
void                 signpost_object_set_strv    (SignpostObject *self, GParamSpec *pspec, const char * const *value);
GListModel          *signpost_object_get_list    (SignpostObject *self, GParamSpec *pspec);
void                 signpost_object_set_list    (SignpostObject *self, GParamSpec *pspec, GListModel *value);
gpointer             signpost_object_get_object  (SignpostObject *self, GParamSpec *pspec);
void                 signpost_object_set_object  (SignpostObject *self, GParamSpec *pspec, gpointer value);
JsonNode            *signpost_object_get_json    (SignpostObject *self, GParamSpec *pspec);
void                 signpost_object_set_json    (SignpostObject *self, GParamSpec *pspec, JsonNode *value);

/* JSON codec */
JsonObject  *signpost_object_to_json          (SignpostObject      *self);
JsonNode    *signpost_object_to_json_node     (SignpostObject      *self);
char        *signpost_object_to_string        (SignpostObject      *self,
                                               gsize               *length);
gpointer     signpost_object_new_from_json    (GType                type,
                                               JsonObject          *object,
                                               SignpostDecodeMode   mode,
                                               GError             **error);
gpointer     signpost_object_new_from_string  (GType                type,
                                               const char          *data,
                                               gsize                length,
                                               SignpostDecodeMode   mode,
                                               GError             **error);
gboolean     signpost_object_update_from_json (SignpostObject      *self,
                                               JsonObject          *object,
                                               SignpostDecodeMode   mode,
                                               GError             **error);
gboolean     signpost_object_validate         (SignpostObject      *self,
                                               GError             **error);

gboolean     signpost_object_equal            (SignpostObject      *a,
                                               SignpostObject      *b);
gpointer     signpost_object_copy             (SignpostObject      *self);
void         signpost_object_assign           (SignpostObject      *self,
                                               SignpostObject      *source);

G_END_DECLS
