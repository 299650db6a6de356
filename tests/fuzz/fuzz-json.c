/* SPDX-License-Identifier: GPL-3.0-or-later */

/*
 * libFuzzer harness for the one door untrusted JSON comes through:
 * signpost_json_parse() and the model codec behind it. Any crash, sanitizer
 * report, GLib critical or warning is a bug; so is a value the codec
 * accepts but cannot write back out and read again unchanged.
 *
 *   CC=clang meson setup build-fuzz -Dfuzzing=true -Db_sanitize=address,undefined -Db_lundef=false
 *   ninja -C build-fuzz tests/fuzz/fuzz-json
 *   ./build-fuzz/tests/fuzz/fuzz-json -max_total_time=60 tests/fuzz/corpus
 */

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>

#include "signpost-core.h"

int LLVMFuzzerInitialize (int *argc, char ***argv);
int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

static const SignpostDecodeMode modes[] = {
  SIGNPOST_DECODE_FULL,
  SIGNPOST_DECODE_CREATE,
  SIGNPOST_DECODE_PATCH,
};

static GType types[16];
static guint n_types;

G_GNUC_NORETURN static void
fail (const char *what,
      GType       type,
      int         mode,
      const char *detail)
{
  fprintf (stderr, "fuzz-json: %s (%s, mode %d): %s\n", what,
           type ? g_type_name (type) : "-", mode, detail ? detail : "");
  abort ();
}

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_log_set_always_fatal (G_LOG_LEVEL_CRITICAL | G_LOG_LEVEL_WARNING);

  for (int kind = SIGNPOST_RECORD_PRACTICE; kind <= SIGNPOST_RECORD_APPOINTMENT; kind++)
    types[n_types++] = signpost_record_type_for_kind (kind);
  types[n_types++] = SIGNPOST_TYPE_MUTATION;
  types[n_types++] = SIGNPOST_TYPE_MUTATION_RESULT;
  types[n_types++] = SIGNPOST_TYPE_CHANGE;
  types[n_types++] = SIGNPOST_TYPE_DUTY_PERIOD;
  types[n_types++] = SIGNPOST_TYPE_ROUTE;
  g_assert (n_types <= G_N_ELEMENTS (types));
  return 0;
}

/* What the codec accepted, it must write as JSON that reads back equal. */
static void
check_round_trip (GType               type,
                  SignpostDecodeMode  mode,
                  SignpostObject     *object,
                  JsonObject         *input)
{
  gsize length = 0;
  g_autofree char *text = signpost_object_to_string (object, &length);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = signpost_json_parse (text, length, G_MAXSIZE, &error);
  g_autoptr(SignpostObject) copy = signpost_object_copy (object);
  g_autoptr(SignpostObject) blank = g_object_new (type, NULL);

  if (node == NULL)
    fail ("written JSON does not parse", type, mode, error->message);
  if (!signpost_object_equal (object, copy))
    fail ("a copy is not equal", type, mode, text);

  /* Filling an existing object takes another path through the codec. */
  if (!signpost_object_update_from_json (blank, input, mode, &error))
    fail ("update_from_json refused what new_from_json took", type, mode, error->message);
  if (!signpost_object_equal (object, blank))
    fail ("update_from_json gave a different object", type, mode, text);

  /* A patch leaves absent required fields null, which no mode reads back;
   * full and create documents must survive a trip in their own mode. */
  if (mode != SIGNPOST_DECODE_PATCH)
    {
      g_autoptr(SignpostObject) again =
        signpost_object_new_from_string (type, text, length, mode, &error);

      if (again == NULL)
        fail ("written JSON does not decode", type, mode, error->message);
      if (!signpost_object_equal (object, again))
        fail ("round trip changed the object", type, mode, text);
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  const char *text = (const char *) data;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = signpost_json_parse (text, size, 0, &error);
  JsonObject *object;

  if (root == NULL)
    {
      g_autoptr(GError) codec_error = NULL;
      g_autoptr(SignpostMutation) mutation = NULL;

      if (error == NULL || error->domain != SIGNPOST_ERROR)
        fail ("parse failed without a SignpostError", 0, -1, NULL);
      /* The codec must refuse the same bytes, the same way. */
      mutation = signpost_object_new_from_string (SIGNPOST_TYPE_MUTATION, text, size,
                                                  SIGNPOST_DECODE_FULL, &codec_error);
      if (mutation != NULL || codec_error == NULL || codec_error->code != error->code)
        fail ("codec took what the parser refused", SIGNPOST_TYPE_MUTATION, 0, error->message);
      return 0;
    }

  /* Whatever parsed must write out as JSON that parses to the same. */
  {
    gsize length = 0;
    g_autofree char *out = signpost_json_to_string (root, &length);
    g_autoptr(JsonNode) again = signpost_json_parse (out, length, G_MAXSIZE, &error);

    if (again == NULL)
      fail ("written JSON does not parse", 0, -1, error->message);
    if (!json_node_equal (root, again))
      fail ("JSON round trip changed the value", 0, -1, out);
  }

  if (!JSON_NODE_HOLDS_OBJECT (root))
    return 0;
  object = json_node_get_object (root);

  for (guint t = 0; t < n_types; t++)
    for (guint m = 0; m < G_N_ELEMENTS (modes); m++)
      {
        g_autoptr(GError) decode_error = NULL;
        g_autoptr(SignpostObject) decoded =
          signpost_object_new_from_string (types[t], text, size, modes[m], &decode_error);

        if (decoded == NULL)
          {
            if (decode_error == NULL || decode_error->domain != SIGNPOST_ERROR ||
                decode_error->code != SIGNPOST_ERROR_INVALID)
              fail ("decode failed without an invalid-field error", types[t], modes[m],
                    decode_error ? decode_error->message : NULL);
            continue;
          }
        check_round_trip (types[t], modes[m], decoded, object);
      }

  return 0;
}
