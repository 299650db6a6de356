/* SPDX-License-Identifier: GPL-3.0-or-later */
#include <string.h>

#include "signpost-core.h"

/* signpost_json_parse() is the one door for untrusted bytes. Everything
 * here must come back as a GError, never a crash, a critical, or a value
 * that json-glib would write back out as something else. */

static void
assert_rejected_len (const char        *data,
                     gsize              length,
                     gsize              max_size,
                     SignpostErrorCode  code,
                     const char        *message_part)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) node = signpost_json_parse (data, length, max_size, &error);

  g_assert_null (node);
  g_assert_error (error, SIGNPOST_ERROR, code);
  if (message_part != NULL && strstr (error->message, message_part) == NULL)
    g_error ("expected “%s” in the message “%s”", message_part, error->message);
  /* Syntax problems carry no field path. */
  g_assert_null (signpost_error_dup_field (error));
}

static void
assert_rejected (const char *data)
{
  g_test_message ("“%s”", data);
  assert_rejected_len (data, strlen (data), 0, SIGNPOST_ERROR_MALFORMED, NULL);
}

static JsonNode *
parse_ok (const char *data)
{
  g_autoptr(GError) error = NULL;
  JsonNode *node;

  g_test_message ("“%s”", data);
  node = signpost_json_parse (data, strlen (data), 0, &error);
  g_assert_no_error (error);
  g_assert_nonnull (node);
  return node;
}

static char *
repeat (const char *open,
        guint       n,
        const char *middle,
        const char *close)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    g_string_append (s, open);
  g_string_append (s, middle);
  for (guint i = 0; i < n; i++)
    g_string_append (s, close);
  return g_string_free (s, FALSE);
}

static void
test_empty (void)
{
  assert_rejected_len (NULL, 0, 0, SIGNPOST_ERROR_MALFORMED, "empty");
  assert_rejected_len ("", 0, 0, SIGNPOST_ERROR_MALFORMED, "empty");
  assert_rejected_len ("   ", 3, 0, SIGNPOST_ERROR_MALFORMED, "empty");
  assert_rejected_len (" \r\n\t", 4, 0, SIGNPOST_ERROR_MALFORMED, "empty");
}

static void
test_too_large (void)
{
  g_autofree char *big = NULL;
  g_autofree char *exact = NULL;
  gsize max = SIGNPOST_JSON_DEFAULT_MAX_SIZE;

  assert_rejected_len ("[1,2,3,4,5,6,7,8]", 17, 16, SIGNPOST_ERROR_TOO_LARGE, NULL);

  /* The default limit applies when max_size is 0. */
  big = g_malloc (max + 2);
  big[0] = '"';
  memset (big + 1, 'a', max - 1);
  big[max] = '"';
  big[max + 1] = '\0';
  assert_rejected_len (big, max + 1, 0, SIGNPOST_ERROR_TOO_LARGE, NULL);

  /* Exactly at the limit is fine. */
  exact = g_strndup (big, max - 1);
  exact[max - 2] = '"';
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = signpost_json_parse (exact, max - 1, max - 1, &error);
    g_assert_no_error (error);
    g_assert_cmpuint (strlen (json_node_get_string (node)), ==, max - 3);
  }
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(JsonNode) node = signpost_json_parse ("[1]", 3, 3, &error);
    g_assert_no_error (error);
    g_assert_nonnull (node);
  }
  /* The size is checked before anything else. */
  assert_rejected_len ("\xff\xff\xff\xff", 4, 3, SIGNPOST_ERROR_TOO_LARGE, NULL);

  g_assert_cmpuint (signpost_error_http_status (NULL), ==, 500);
  {
    g_autoptr(GError) error = NULL;
    g_assert_null (signpost_json_parse ("[1,2]", 5, 4, &error));
    g_assert_cmpuint (signpost_error_http_status (error), ==, 413);
  }
}

static void
test_invalid_utf8 (void)
{
  static const char * const cases[] = {
    "\"\xff\"",
    "[\"caf\xe9\"]",          /* Latin-1 é */
    "[\"\xc0\xaf\"]",         /* overlong '/' */
    "[\"\xe0\x80\xaf\"]",     /* overlong */
    "[\"\xed\xa0\x80\"]",     /* a surrogate encoded in UTF-8 */
    "[\"\xe2\x82\"]",         /* truncated sequence */
    "[\"\xf4\x90\x80\x80\"]", /* beyond U+10FFFF */
    "\xef\xbb\xbf[1]\xff",
    "[1]\x80",
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_test_message ("case %u", i);
      assert_rejected_len (cases[i], strlen (cases[i]), 0, SIGNPOST_ERROR_MALFORMED, "UTF-8");
    }
  {
    g_autoptr(GError) error = NULL;
    g_assert_cmpuint (signpost_error_http_status (error), ==, 500);
    g_assert_null (signpost_json_parse ("\xff", 1, 0, &error));
    g_assert_cmpuint (signpost_error_http_status (error), ==, 400);
  }
}

static void
test_nul (void)
{
  static const char with_nul_after[] = "[1]\0";
  static const char with_nul_inside[] = "[\"a\0b\"]";
  static const char with_nul_before[] = "\0[1]";

  assert_rejected_len (with_nul_after, sizeof with_nul_after - 1, 0,
                       SIGNPOST_ERROR_MALFORMED, NULL);
  assert_rejected_len (with_nul_inside, sizeof with_nul_inside - 1, 0,
                       SIGNPOST_ERROR_MALFORMED, NULL);
  assert_rejected_len (with_nul_before, sizeof with_nul_before - 1, 0,
                       SIGNPOST_ERROR_MALFORMED, NULL);
  /* An escaped NUL would end a C string early in every consumer. */
  assert_rejected_len ("[\"a\\u0000b\"]", 12, 0, SIGNPOST_ERROR_MALFORMED, "NUL");
  assert_rejected_len ("{\"\\u0000\":1}", 12, 0, SIGNPOST_ERROR_MALFORMED, "NUL");
}

static void
assert_repeat_refused (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = signpost_json_parse_strict_object (text, strlen (text), 0, &error);

  g_test_message ("“%s”", text);
  g_assert_null (object);
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_MALFORMED);
}

/* Two members of one name: json-glib would keep the last, silently. */
static void
test_repeated_members (void)
{
  g_autoptr(JsonObject) fine = NULL;
  g_autoptr(GError) error = NULL;

  assert_repeat_refused ("{\"username\":\"admin\",\"username\":\"navigator\"}");
  assert_repeat_refused ("{\"username\":\"admin\",\"user\\u006eame\":\"navigator\"}");
  assert_repeat_refused ("{\"a\":{\"b\":1,\"b\":2}}");
  assert_repeat_refused ("{\"l\":[{\"a\":1},{\"b\":1,\"c\":2,\"b\":3}]}");
  /* The same name in different objects is no repeat. */
  {
    const char *text = "{\"a\":{\"x\":1},\"b\":{\"x\":2},\"c\":[{\"x\":3},{\"x\":4}]}";

    fine = signpost_json_parse_strict_object (text, strlen (text), 0, &error);
  }
  g_assert_no_error (error);
  g_assert_nonnull (fine);
}

static void
test_deep_brackets (void)
{
  gsize n = 100 * 1024;
  g_autofree char *opens = g_malloc (n);
  g_autofree char *braces = NULL;

  memset (opens, '[', n);
  assert_rejected_len (opens, n, 0, SIGNPOST_ERROR_MALFORMED, "nested too deeply");

  /* Balanced, and still refused. */
  {
    g_autofree char *balanced = repeat ("[", 50000, "", "]");
    assert_rejected_len (balanced, strlen (balanced), 0, SIGNPOST_ERROR_MALFORMED,
                         "nested too deeply");
  }

  braces = repeat ("{\"a\":", 50000, "1", "}");
  assert_rejected_len (braces, strlen (braces), 0, SIGNPOST_ERROR_MALFORMED, "nested too deeply");
}

static void
test_depth_boundary (void)
{
  g_autofree char *ok_arrays = repeat ("[", SIGNPOST_JSON_MAX_DEPTH, "1", "]");
  g_autofree char *deep_arrays = repeat ("[", SIGNPOST_JSON_MAX_DEPTH + 1, "1", "]");
  g_autofree char *ok_objects = repeat ("{\"a\":", SIGNPOST_JSON_MAX_DEPTH, "null", "}");
  g_autofree char *deep_objects = repeat ("{\"a\":", SIGNPOST_JSON_MAX_DEPTH + 1, "null", "}");
  g_autofree char *ok_mixed = repeat ("[{\"a\":", SIGNPOST_JSON_MAX_DEPTH / 2, "[]", "}]");
  g_autofree char *deep_mixed = repeat ("[{\"a\":", SIGNPOST_JSON_MAX_DEPTH / 2, "[[]]", "}]");

  g_assert_cmpint (SIGNPOST_JSON_MAX_DEPTH, ==, 64);

  {
    g_autoptr(JsonNode) node = parse_ok (ok_arrays);
    guint depth = 0;
    JsonNode *n = node;

    while (JSON_NODE_HOLDS_ARRAY (n))
      {
        depth++;
        n = json_array_get_element (json_node_get_array (n), 0);
      }
    g_assert_cmpuint (depth, ==, 64);
    g_assert_cmpint (json_node_get_int (n), ==, 1);
  }
  {
    g_autoptr(JsonNode) node = parse_ok (ok_objects);
    g_assert_true (JSON_NODE_HOLDS_OBJECT (node));
  }
  {
    /* 64 levels: 32 × 2 with an empty array inside the last would be 65. */
    g_autofree char *almost = repeat ("[{\"a\":", SIGNPOST_JSON_MAX_DEPTH / 2 - 1, "[[]]", "}]");
    g_autoptr(JsonNode) node = parse_ok (almost);
    g_assert_nonnull (node);
  }

  assert_rejected_len (deep_arrays, strlen (deep_arrays), 0, SIGNPOST_ERROR_MALFORMED,
                       "nested too deeply");
  assert_rejected_len (deep_objects, strlen (deep_objects), 0, SIGNPOST_ERROR_MALFORMED,
                       "nested too deeply");
  assert_rejected_len (ok_mixed, strlen (ok_mixed), 0, SIGNPOST_ERROR_MALFORMED,
                       "nested too deeply");
  assert_rejected_len (deep_mixed, strlen (deep_mixed), 0, SIGNPOST_ERROR_MALFORMED,
                       "nested too deeply");
}

static char *
object_with_members (guint    n,
                     gboolean repeat)
{
  GString *s = g_string_new ("{");

  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (s, ',');
      /* Repeats of the last of n / 2 names: the slow case. */
      g_string_append_printf (s, "\"k%u\":[1,{\"x\":2}]", repeat ? MIN (i, n / 2) : i);
    }
  g_string_append_c (s, '}');
  return g_string_free (s, FALSE);
}

static void
test_members (void)
{
  g_autofree char *most = object_with_members (SIGNPOST_JSON_MAX_MEMBERS, FALSE);
  g_autofree char *too_many = object_with_members (SIGNPOST_JSON_MAX_MEMBERS + 1, FALSE);
  /* json-glib 1.6 is quadratic in repeated names: refused quickly. */
  g_autofree char *repeated = object_with_members (40000, TRUE);
  g_autoptr(GString) many_objects = g_string_new ("[");
  gint64 start;

  {
    g_autoptr(JsonNode) node = parse_ok (most);
    g_assert_cmpuint (json_object_get_size (json_node_get_object (node)), ==,
                      SIGNPOST_JSON_MAX_MEMBERS);
  }
  assert_rejected_len (too_many, strlen (too_many), 0, SIGNPOST_ERROR_MALFORMED, "members");

  start = g_get_monotonic_time ();
  assert_rejected_len (repeated, strlen (repeated), 0, SIGNPOST_ERROR_MALFORMED, "members");
  g_assert_cmpint (g_get_monotonic_time () - start, <, G_USEC_PER_SEC);

  /* The limit is per object: many objects, and long arrays, are fine. */
  for (guint i = 0; i < 2000; i++)
    g_string_append_printf (many_objects, "%s{\"a\":%u,\"b\":[%u,%u]}", i ? "," : "", i, i, i);
  g_string_append_c (many_objects, ']');
  {
    g_autoptr(JsonNode) node = parse_ok (many_objects->str);
    g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 2000);
  }
}

static void
test_brackets_in_strings (void)
{
  /* Brackets inside strings do not count towards the depth … */
  g_autofree char *inner = g_strnfill (1000, '[');
  g_autofree char *text = g_strdup_printf ("[\"%s\", \"]]]\\\"[[[\"]", inner);
  g_autoptr(JsonNode) node = parse_ok (text);
  JsonArray *array = json_node_get_array (node);

  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  g_assert_cmpstr (json_array_get_string_element (array, 0), ==, inner);
  g_assert_cmpstr (json_array_get_string_element (array, 1), ==, "]]]\"[[[");
}

static void
test_hidden_depth (void)
{
  /* … so nothing json-glib treats as a string or a comment may hide real
   * brackets from the depth check: its scanner also knows single-quoted
   * strings and comments, which JSON does not have. */
  static const char * const wrappers[][2] = {
    { "['\"', ", ", '\"']" },
    { "[\"'\", ", ", \"'\"]" },
    { "/* \" */ [", "] /* \" */" },
    { "[1, // \"\n", "]" },
    { "{'a\"': ", "}" },
  };
  g_autofree char *deep = repeat ("[", 100000, "", "]");

  for (guint i = 0; i < G_N_ELEMENTS (wrappers); i++)
    {
      g_autofree char *text = g_strconcat (wrappers[i][0], deep, wrappers[i][1], NULL);

      g_test_message ("wrapper %u", i);
      assert_rejected_len (text, strlen (text), 0, SIGNPOST_ERROR_MALFORMED, NULL);
    }
}

static void
test_surrogates (void)
{
  assert_rejected ("[\"\\ud800\"]");
  assert_rejected ("[\"\\uD800\"]");
  assert_rejected ("[\"\\udbff\"]");
  assert_rejected ("[\"\\udc00\"]");          /* a lone low surrogate */
  assert_rejected ("[\"\\udfff\\ud800\"]");   /* the wrong way round */
  assert_rejected ("[\"\\ud800\\u0041\"]");   /* high, then not a low */
  assert_rejected ("[\"\\ud800\\ud800\"]");
  assert_rejected ("[\"\\ud800x\"]");
  assert_rejected ("[\"\\ud800\\n\"]");
  assert_rejected ("[\"\\ud800\\");
  assert_rejected ("[\"\\ud800\\u");
  assert_rejected ("[\"\\ud800\\udc");
  assert_rejected ("{\"\\ud800\": 1}");

  {
    g_autoptr(JsonNode) node = parse_ok ("[\"\\ud83d\\ude00 \\uD83D\\uDE00\"]");
    const char *text = json_array_get_string_element (json_node_get_array (node), 0);
    g_assert_cmpstr (text, ==, "\xf0\x9f\x98\x80 \xf0\x9f\x98\x80"); /* U+1F600 twice */
  }
}

static void
test_escapes (void)
{
  assert_rejected ("[\"\\x41\"]");
  assert_rejected ("[\"\\'\"]");
  assert_rejected ("[\"\\a\"]");
  assert_rejected ("[\"\\u12\"]");
  assert_rejected ("[\"\\u12g4\"]");
  assert_rejected ("[\"\\U0041\"]");
  assert_rejected ("[\"\\");

  {
    g_autoptr(JsonNode) node =
      parse_ok ("[\"\\\" \\\\ \\/ \\b \\f \\n \\r \\t \\u0041 \\u00e9 \\u20AC\"]");
    const char *text = json_array_get_string_element (json_node_get_array (node), 0);
    g_assert_cmpstr (text, ==, "\" \\ / \b \f \n \r \t A \xc3\xa9 \xe2\x82\xac");
  }
}

static void
test_unterminated (void)
{
  assert_rejected ("\"abc");
  assert_rejected ("[\"abc");
  assert_rejected ("[\"abc]");
  assert_rejected ("{\"a");
  assert_rejected ("{\"a\": \"b}");
  assert_rejected ("\"abc\\\"");
  assert_rejected ("\"");
}

static void
test_unmatched (void)
{
  assert_rejected ("]");
  assert_rejected ("}");
  assert_rejected ("[");
  assert_rejected ("{");
  assert_rejected ("[1");
  assert_rejected ("[1]]");
  assert_rejected ("[[1]");
  assert_rejected ("{\"a\":1");
  assert_rejected ("{\"a\":1}}");
  assert_rejected ("[}");
  assert_rejected ("{]");
  assert_rejected ("][");
}

static void
test_control_characters (void)
{
  assert_rejected ("[\"a\nb\"]");
  assert_rejected ("[\"a\tb\"]");
  assert_rejected ("[\"a\rb\"]");
  assert_rejected ("[\"\x01\"]");
  assert_rejected ("[\"\x1f\"]");
  assert_rejected ("{\"a\nb\": 1}");

  /* Escaped, they are fine (and field formats decide later). */
  {
    g_autoptr(JsonNode) node = parse_ok ("[\"a\\nb\\u0001\"]");
    g_assert_cmpstr (json_array_get_string_element (json_node_get_array (node), 0), ==,
                     "a\nb\x01");
  }
}

static void
test_trailing_garbage (void)
{
  assert_rejected ("[1] x");
  assert_rejected ("[1],");
  assert_rejected ("[1] [2]");
  assert_rejected ("{} {}");
  assert_rejected ("{\"a\":1} \"b\"");
  assert_rejected ("1 2");
  assert_rejected ("true false");
  assert_rejected ("[1,]");
  assert_rejected ("[,1]");
  assert_rejected ("{\"a\":1,}");
  assert_rejected ("{\"a\" 1}");
  assert_rejected ("{a:1}");
  assert_rejected ("[tru]");
  assert_rejected ("[True]");
  assert_rejected ("[undefined]");
}

static void
test_not_json (void)
{
  /* What json-glib 1.6 would accept but JSON does not. Each of these would
   * change meaning or fail to round-trip, so they are refused up front. */
  assert_rejected ("['single']");
  assert_rejected ("{'a': 1}");
  assert_rejected ("/* comment */ [1]");
  assert_rejected ("// comment\n[1]");
  assert_rejected ("[1 /* comment */]");
  assert_rejected ("# comment\n[1]");
  assert_rejected ("[0x10]");                   /* hex */
  assert_rejected ("[$10]");
  assert_rejected ("[010]");                    /* octal, or a leading zero */
  assert_rejected ("[00]");
  assert_rejected ("[-01]");
  assert_rejected ("[+1]");
  assert_rejected ("[.5]");
  assert_rejected ("[1.]");
  assert_rejected ("[1.e5]");
  assert_rejected ("[1e]");
  assert_rejected ("[1e+]");
  assert_rejected ("[-]");
  assert_rejected ("[--1]");
  assert_rejected ("[1-2]");
  assert_rejected ("[NaN]");
  assert_rejected ("[Infinity]");
  assert_rejected ("[-Infinity]");
  assert_rejected ("[1e999]");                  /* would come back as "inf" */
  assert_rejected ("[-1e999]");
  assert_rejected ("{\"a\": 123456789e400}");
  assert_rejected ("[9223372036854775808]");    /* beyond gint64: would wrap */
  assert_rejected ("[-9223372036854775809]");
  assert_rejected ("[12345678901234567890]");
  assert_rejected ("[18446744073709551617]");
  assert_rejected ("[\xc2\xa0" "1]");           /* NO-BREAK SPACE is not JSON space */
  assert_rejected ("[\f1]");
  assert_rejected ("[\v1]");
}

static void
test_numbers (void)
{
  g_autoptr(JsonNode) node =
    parse_ok ("[0, -0, 1, -1, 1.5, -2.5e-3, 1E3, 1e+2, 0.0, "
              "9223372036854775807, -9223372036854775808, 1.7976931348623157e308, "
              "1e-400, 100000000000000000000.0]");
  JsonArray *array = json_node_get_array (node);

  g_assert_cmpuint (json_array_get_length (array), ==, 14);
  g_assert_cmpint (json_array_get_int_element (array, 0), ==, 0);
  g_assert_cmpint (json_array_get_int_element (array, 1), ==, 0);
  g_assert_cmpint (json_array_get_int_element (array, 2), ==, 1);
  g_assert_cmpint (json_array_get_int_element (array, 3), ==, -1);
  g_assert_cmpfloat (json_array_get_double_element (array, 4), ==, 1.5);
  g_assert_cmpfloat_with_epsilon (json_array_get_double_element (array, 5), -2.5e-3, 1e-12);
  g_assert_cmpfloat (json_array_get_double_element (array, 6), ==, 1000.0);
  g_assert_cmpfloat (json_array_get_double_element (array, 7), ==, 100.0);
  g_assert_cmpfloat (json_array_get_double_element (array, 8), ==, 0.0);
  g_assert_cmpint (json_array_get_int_element (array, 9), ==, G_MAXINT64);
  g_assert_cmpint (json_array_get_int_element (array, 10), ==, G_MININT64);
  g_assert_cmpfloat (json_array_get_double_element (array, 11), ==, G_MAXDOUBLE);
  g_assert_cmpfloat (json_array_get_double_element (array, 12), ==, 0.0);
  g_assert_cmpfloat (json_array_get_double_element (array, 13), ==, 1e20);
}

static void
test_valid (void)
{
  static const char text[] =
    " \r\n\t{\"practice\": {\"ods_code\": \"Y01234\", \"lines\": [\"+441632960123\", "
    "\"+442079460123\"]}, \"empty_object\": {}, \"empty_array\": [], "
    "\"flags\": [true, false, null], \"name\": \"Siân O’Brien\", "
    "\"nested\": [[[{\"deep\": [1, 2, {\"deeper\": \"yes\"}]}]]], \"n\": -42 }\n";
  g_autoptr(JsonNode) node = parse_ok (text);
  JsonObject *root = json_node_get_object (node);
  JsonObject *practice = json_object_get_object_member (root, "practice");
  JsonArray *flags = json_object_get_array_member (root, "flags");
  JsonArray *nested = json_object_get_array_member (root, "nested");
  JsonObject *deep;

  g_assert_cmpuint (json_object_get_size (root), ==, 7);
  g_assert_cmpstr (json_object_get_string_member (practice, "ods_code"), ==, "Y01234");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (practice, "lines")), ==, 2);
  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (root, "empty_object")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "empty_array")), ==, 0);
  g_assert_true (json_array_get_boolean_element (flags, 0));
  g_assert_false (json_array_get_boolean_element (flags, 1));
  g_assert_true (json_array_get_null_element (flags, 2));
  g_assert_cmpstr (json_object_get_string_member (root, "name"), ==, "Siân O’Brien");
  g_assert_cmpint (json_object_get_int_member (root, "n"), ==, -42);

  nested = json_array_get_array_element (nested, 0);
  nested = json_array_get_array_element (nested, 0);
  deep = json_array_get_object_element (nested, 0);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (
                     json_object_get_array_member (deep, "deep"), 2), "deeper"), ==, "yes");

  /* Scalars are JSON too. */
  {
    g_autoptr(JsonNode) scalar = parse_ok ("\"just a string\"");
    g_assert_cmpstr (json_node_get_string (scalar), ==, "just a string");
  }
  {
    g_autoptr(JsonNode) scalar = parse_ok ("null");
    g_assert_true (JSON_NODE_HOLDS_NULL (scalar));
  }
}

static void
test_round_trip (void)
{
  static const char text[] =
    "{\"a\":[1,2.5,\"three\",true,null,{\"b\":\"\\\"quoted\\\" \\\\ caf\\u00e9 \\ud83d\\ude00\"}],"
    "\"c\":{},\"d\":-9223372036854775808}";
  g_autoptr(JsonNode) node = parse_ok (text);
  gsize length = 0;
  g_autofree char *out = signpost_json_to_string (node, &length);
  g_autoptr(JsonNode) again = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (length, ==, strlen (out));
  again = signpost_json_parse (out, length, 0, &error);
  g_assert_no_error (error);
  g_assert_true (json_node_equal (node, again));
}

static void
test_round_trip_exponents (void)
{
  /* json-glib 1.6 on its own writes 1e20 as "1e+20.0". */
  static const struct {
    const char *input;
    const char *output;
  } cases[] = {
    { "[1e20]", "[1e+20]" },
    { "[-0.5E+20, 1E-7, 2e0]", "[-5e+19,9.9999999999999995e-08,2.0]" },
    { "{\"e\": 1e21, \"s\": \"1e+20.0\", \"t\": true}", "{\"e\":1e+21,\"s\":\"1e+20.0\",\"t\":true}" },
    { "[\"\\\"\", 3e+22, \"x\"]", "[\"\\\"\",3e+22,\"x\"]" },
    { "[1.5, 100.0, 1e+300]", "[1.5,100.0,1.0000000000000001e+300]" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(JsonNode) node = parse_ok (cases[i].input);
      gsize length = 0;
      g_autofree char *out = signpost_json_to_string (node, &length);
      g_autoptr(JsonNode) again = NULL;

      g_assert_cmpstr (out, ==, cases[i].output);
      g_assert_cmpuint (length, ==, strlen (out));
      again = parse_ok (out);
      g_assert_true (json_node_equal (node, again));
    }
}

static void
test_parse_object (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) object = signpost_json_parse_object ("{\"a\": 1}", 8, 0, &error);
  g_autofree char *text = NULL;

  g_assert_no_error (error);
  g_assert_cmpint (json_object_get_int_member (object, "a"), ==, 1);
  text = signpost_json_object_to_string (object, NULL);
  g_assert_cmpstr (text, ==, "{\"a\":1}");

  static const char * const not_objects[] = { "[]", "1", "\"a\"", "null", "true" };
  for (guint i = 0; i < G_N_ELEMENTS (not_objects); i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(JsonObject) o = signpost_json_parse_object (not_objects[i], strlen (not_objects[i]),
                                                            0, &local_error);
      g_assert_null (o);
      g_assert_error (local_error, SIGNPOST_ERROR, SIGNPOST_ERROR_MALFORMED);
    }

  {
    g_autoptr(GError) local_error = NULL;
    g_assert_null (signpost_json_parse_object ("{", 1, 0, &local_error));
    g_assert_error (local_error, SIGNPOST_ERROR, SIGNPOST_ERROR_MALFORMED);
  }
}

static void
test_check_bytes (void)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (signpost_json_check_bytes ("{}", 2, 0, NULL));
  g_assert_false (signpost_json_check_bytes ("{", 1, 0, &error));
  g_assert_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_MALFORMED);
}

/* One member of a stored record, found without parsing the rest; the
 * answers must be what a parser gives. */
static void
test_canonical_member (void)
{
  g_autoptr(SignpostPatient) patient = signpost_patient_new ();
  g_autofree char *data = NULL;
  g_autofree char *value = NULL;
  g_autofree char *ref = NULL;
  g_autofree char *temporary = NULL;
  gboolean is_null = FALSE;
  gsize length = 0;

  signpost_record_set_id (SIGNPOST_RECORD (patient), "2f1c5b0e-8a8e-4e0b-9a43-3d7a1c0f5e21");
  signpost_record_set_practice_id (SIGNPOST_RECORD (patient), "0c8f2a4e-6b1d-4f3a-9e7c-2d5b8a1f4c60");
  /* A name holding what would look like another member, quotes, a
   * backslash and characters outside the BMP. */
  signpost_patient_set_family_name (patient, "O\"Brien,\"nhs_number\":\"123\" \\ 𝔊");
  signpost_patient_set_given_name (patient, "Zoë");
  signpost_patient_set_nhs_number (patient, "9990000018");
  signpost_patient_set_patient_ref (patient, "E-77");
  data = signpost_object_to_string (SIGNPOST_OBJECT (patient), &length);

  g_assert_true (signpost_json_canonical_member (data, length, "family_name", &value, &is_null));
  g_assert_cmpstr (value, ==, signpost_patient_get_family_name (patient));
  g_assert_false (is_null);
  g_clear_pointer (&value, g_free);
  g_assert_true (signpost_json_canonical_member (data, length, "nhs_number", &value, NULL));
  g_assert_cmpstr (value, ==, "9990000018");
  g_clear_pointer (&value, g_free);
  g_assert_true (signpost_json_canonical_member (data, length, "given_name", &value, NULL));
  g_assert_cmpstr (value, ==, "Zoë");
  g_assert_true (signpost_json_canonical_member (data, length, "patient_ref", &ref, NULL));
  g_assert_cmpstr (ref, ==, "E-77");
  g_assert_true (signpost_json_canonical_member (data, length, "left_at", NULL, &is_null));
  g_assert_true (is_null);
  g_assert_true (signpost_json_canonical_member (data, length, "temporary", &temporary, NULL));
  g_assert_cmpstr (temporary, ==, "false");
  g_assert_false (signpost_json_canonical_member (data, length, "shoe_size", NULL, NULL));
  /* A truncated string is no value. */
  g_assert_false (signpost_json_canonical_member ("{\"a\":\"abc", 7, "a", NULL, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/signpost/json/empty", test_empty);
  g_test_add_func ("/signpost/json/too-large", test_too_large);
  g_test_add_func ("/signpost/json/invalid-utf8", test_invalid_utf8);
  g_test_add_func ("/signpost/json/nul", test_nul);
  g_test_add_func ("/signpost/json/repeated-members", test_repeated_members);
  g_test_add_func ("/signpost/json/deep-brackets", test_deep_brackets);
  g_test_add_func ("/signpost/json/depth-boundary", test_depth_boundary);
  g_test_add_func ("/signpost/json/members", test_members);
  g_test_add_func ("/signpost/json/brackets-in-strings", test_brackets_in_strings);
  g_test_add_func ("/signpost/json/hidden-depth", test_hidden_depth);
  g_test_add_func ("/signpost/json/surrogates", test_surrogates);
  g_test_add_func ("/signpost/json/escapes", test_escapes);
  g_test_add_func ("/signpost/json/unterminated", test_unterminated);
  g_test_add_func ("/signpost/json/unmatched", test_unmatched);
  g_test_add_func ("/signpost/json/control-characters", test_control_characters);
  g_test_add_func ("/signpost/json/trailing-garbage", test_trailing_garbage);
  g_test_add_func ("/signpost/json/not-json", test_not_json);
  g_test_add_func ("/signpost/json/numbers", test_numbers);
  g_test_add_func ("/signpost/json/valid", test_valid);
  g_test_add_func ("/signpost/json/round-trip", test_round_trip);
  g_test_add_func ("/signpost/json/round-trip-exponents", test_round_trip_exponents);
  g_test_add_func ("/signpost/json/parse-object", test_parse_object);
  g_test_add_func ("/signpost/json/check-bytes", test_check_bytes);
  g_test_add_func ("/signpost/json/canonical-member", test_canonical_member);

  return g_test_run ();
}
