/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define SIGNPOST_JSON_MAX_DEPTH 64
#define SIGNPOST_JSON_MAX_MEMBERS 1024 /* per object */
#define SIGNPOST_JSON_DEFAULT_MAX_SIZE (1024 * 1024)

JsonNode   *signpost_json_parse           (const char  *data,
                                           gsize        length,
                                           gsize        max_size,
                                           GError     **error);
JsonObject *signpost_json_parse_object    (const char  *data,
                                           gsize        length,
                                           gsize        max_size,
                                           GError     **error);
JsonObject *signpost_json_parse_strict_object (const char *data,
                                              gsize       length,
                                              gsize       max_size,
                                              GError    **error);
gboolean    signpost_json_check_bytes     (const char  *data,
                                           gsize        length,
                                           gsize        max_size,
                                           GError     **error);
char       *signpost_json_to_string       (JsonNode    *node,
                                           gsize       *length);
char       *signpost_json_object_to_string (JsonObject *object,
                                           gsize       *length);

gboolean    signpost_json_canonical_member (const char *data,
                                            gsize       length,
                                            const char *key,
                                            char      **value,
                                            gboolean   *is_null);

G_END_DECLS
