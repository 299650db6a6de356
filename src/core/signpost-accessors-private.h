/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

/*
 * Accessor boilerplate for model types: each expands to a getter and a
 * setter over the generic field storage of SignpostObject. Only for
 * src/core; the prototypes are written out in each type's header.
 */

#include "signpost-object.h"

#define SIGNPOST_STRING_ACCESSORS(Type, type, field, PROP)                              \
  const char *type##_get_##field (Type *self)                                           \
  { return signpost_object_get_string (SIGNPOST_OBJECT (self), properties[PROP]); }     \
  void type##_set_##field (Type *self, const char *value)                               \
  { signpost_object_set_string (SIGNPOST_OBJECT (self), properties[PROP], value); }

#define SIGNPOST_INT_ACCESSORS(Type, type, field, PROP)                                 \
  gint64 type##_get_##field (Type *self)                                                \
  { return signpost_object_get_int (SIGNPOST_OBJECT (self), properties[PROP]); }        \
  void type##_set_##field (Type *self, gint64 value)                                    \
  { signpost_object_set_int (SIGNPOST_OBJECT (self), properties[PROP], value); }

#define SIGNPOST_BOOLEAN_ACCESSORS(Type, type, field, PROP)                             \
  gboolean type##_get_##field (Type *self)                                              \
  { return signpost_object_get_boolean (SIGNPOST_OBJECT (self), properties[PROP]); }    \
  void type##_set_##field (Type *self, gboolean value)                                  \
  { signpost_object_set_boolean (SIGNPOST_OBJECT (self), properties[PROP], value); }

#define SIGNPOST_ENUM_ACCESSORS(Type, type, field, PROP, EnumType)                      \
  EnumType type##_get_##field (Type *self)                                              \
  { return (EnumType) signpost_object_get_enum (SIGNPOST_OBJECT (self), properties[PROP]); } \
  void type##_set_##field (Type *self, EnumType value)                                  \
  { signpost_object_set_enum (SIGNPOST_OBJECT (self), properties[PROP], (int) value); }

#define SIGNPOST_INSTANT_ACCESSORS(Type, type, field, PROP)                             \
  GDateTime *type##_get_##field (Type *self)                                            \
  { return signpost_object_get_instant (SIGNPOST_OBJECT (self), properties[PROP]); }    \
  void type##_set_##field (Type *self, GDateTime *value)                                \
  { signpost_object_set_instant (SIGNPOST_OBJECT (self), properties[PROP], value); }

#define SIGNPOST_STRV_ACCESSORS(Type, type, field, PROP)                                \
  const char * const *type##_get_##field (Type *self)                                   \
  { return signpost_object_get_strv (SIGNPOST_OBJECT (self), properties[PROP]); }       \
  void type##_set_##field (Type *self, const char * const *value)                       \
  { signpost_object_set_strv (SIGNPOST_OBJECT (self), properties[PROP], value); }

#define SIGNPOST_LIST_ACCESSORS(Type, type, field, PROP)                                \
  GListModel *type##_get_##field (Type *self)                                           \
  { return signpost_object_get_list (SIGNPOST_OBJECT (self), properties[PROP]); }       \
  void type##_set_##field (Type *self, GListModel *value)                               \
  { signpost_object_set_list (SIGNPOST_OBJECT (self), properties[PROP], value); }

#define SIGNPOST_OBJECT_ACCESSORS(Type, type, field, PROP, FieldType)                   \
  FieldType *type##_get_##field (Type *self)                                            \
  { return signpost_object_get_object (SIGNPOST_OBJECT (self), properties[PROP]); }     \
  void type##_set_##field (Type *self, FieldType *value)                                \
  { signpost_object_set_object (SIGNPOST_OBJECT (self), properties[PROP], value); }

#define SIGNPOST_JSON_ACCESSORS(Type, type, field, PROP)                                \
  JsonNode *type##_get_##field (Type *self)                                             \
  { return signpost_object_get_json (SIGNPOST_OBJECT (self), properties[PROP]); }       \
  void type##_set_##field (Type *self, JsonNode *value)                                 \
  { signpost_object_set_json (SIGNPOST_OBJECT (self), properties[PROP], value); }
