/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "config.h"

#include <math.h>
#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-error.h"
#include "signpost-json.h"

/*
 * The one door for untrusted JSON. Debian 12's json-glib 1.6.6 recurses
 * without limit (a long run of '[' overflows the stack) and asserts on some
 * invalid UTF-8, so we check the bytes first: size, UTF-8, no NUL, escapes
 * that decode to valid text, nesting depth. Only then does json-glib see
 * them.
 *
 * Its scanner also takes more than JSON: single-quoted strings, comments,
 * hex and octal numbers. Those could hide brackets from the depth check,
 * and numbers it cannot hold come back changed (an integer beyond gint64
 * wraps; 1e999 becomes an infinity that is written out as "inf"). So
 * outside strings only JSON's own tokens pass, and numbers must fit.
 *
 * It also finds a repeated member name by walking the object's members,
 * so one object of many repeats is quadratic (a 1 MB body of them took
 * seconds): objects may have at most SIGNPOST_JSON_MAX_MEMBERS members.
 * And it keeps the last of two members of one name, silently: such a
 * request ({"username":"admin","username":"navigator"}) could be read one
 * way by us and another by whatever else reads it. The strict parse
 * refuses it; it costs json-glib a signal per member, so it is for what
 * clients send the server, not for the pages of records consoles read.
 */

static int
hex_value (char c)
{
  if (c >= '0' && c <= '9')
    return c - '0';
  if (c >= 'a' && c <= 'f')
    return c - 'a' + 10;
  if (c >= 'A' && c <= 'F')
    return c - 'A' + 10;
  return -1;
}

/* Reads four hex digits at @p; returns the code unit or -1. */
static int
read_u16 (const char *p,
          const char *end)
{
  int v = 0;

  if (end - p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int h = hex_value (p[i]);
      if (h < 0)
        return -1;
      v = (v << 4) | h;
    }
  return v;
}

static gboolean
fail (GError     **error,
      const char  *message)
{
  g_set_error_literal (error, SIGNPOST_ERROR, SIGNPOST_ERROR_MALFORMED, message);
  return FALSE;
}

/* Returns the length of the number at @p if it is a JSON number that
 * json-glib stores without loss, or 0. */
static gsize
number_length (const char *p,
               const char *end)
{
  const char *q = p;
  gboolean whole = TRUE;
  g_autofree char *text = NULL;

  if (*q == '-')
    q++;
  if (q >= end || !g_ascii_isdigit (*q))
    return 0;
  if (*q == '0')
    q++;
  else
    while (q < end && g_ascii_isdigit (*q))
      q++;
  if (q < end && *q == '.')
    {
      whole = FALSE;
      if (++q >= end || !g_ascii_isdigit (*q))
        return 0;
      while (q < end && g_ascii_isdigit (*q))
        q++;
    }
  if (q < end && (*q == 'e' || *q == 'E'))
    {
      whole = FALSE;
      if (++q < end && (*q == '+' || *q == '-'))
        q++;
      if (q >= end || !g_ascii_isdigit (*q))
        return 0;
      while (q < end && g_ascii_isdigit (*q))
        q++;
    }
  /* "01", "0x1", "1.5.5": not one JSON number. */
  if (q < end && (g_ascii_isalnum (*q) || strchr ("._+-$", *q) != NULL))
    return 0;

  text = g_strndup (p, q - p);
  if (whole)
    return g_ascii_string_to_signed (text, 10, G_MININT64, G_MAXINT64, NULL, NULL) ? q - p : 0;
  return isfinite (g_ascii_strtod (text, NULL)) ? q - p : 0;
}

gboolean
signpost_json_check_bytes (const char  *data,
                           gsize        length,
                           gsize        max_size,
                           GError     **error)
{
  const char *p, *end;
  int depth = 0;
  gboolean in_string = FALSE;
  gboolean done = FALSE; /* the top-level value is complete */
  char open[SIGNPOST_JSON_MAX_DEPTH + 1];     /* '[' or '{' at each depth */
  guint members[SIGNPOST_JSON_MAX_DEPTH + 1]; /* names seen in that object */

  if (max_size == 0)
    max_size = SIGNPOST_JSON_DEFAULT_MAX_SIZE;
  if (length > max_size)
    {
      g_autofree char *size = g_strdup_printf ("%" G_GSIZE_FORMAT, length);
      g_autofree char *limit = g_strdup_printf ("%" G_GSIZE_FORMAT, max_size);

      /* Translators: two sizes in bytes */
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_TOO_LARGE,
                   _("The body is %s bytes; the limit is %s"), size, limit);
      return FALSE;
    }
  if (data == NULL || length == 0)
    return fail (error, _("The body is empty; expected JSON"));
  if (!g_utf8_validate_len (data, length, NULL))
    return fail (error, _("The body is not valid UTF-8 text (or contains a NUL byte)"));

  end = data + length;
  for (p = data; p < end; p++)
    {
      char c = *p;

      if (in_string)
        {
          if (c == '"')
            {
              in_string = FALSE;
              done = depth == 0;
            }
          else if ((guchar) c < 0x20)
            return fail (error, _("A string contains a raw control character"));
          else if (c == '\\')
            {
              if (++p >= end)
                return fail (error, _("The body ends inside a string"));
              if (*p == 'u')
                {
                  int unit = read_u16 (p + 1, end);

                  if (unit < 0)
                    return fail (error, _("A \\u escape needs four hex digits"));
                  if (unit == 0)
                    return fail (error, _("A string contains a NUL character"));
                  p += 4;
                  if (unit >= 0xDC00 && unit <= 0xDFFF)
                    return fail (error, _("A string contains an unpaired surrogate"));
                  if (unit >= 0xD800 && unit <= 0xDBFF)
                    {
                      int low;

                      if (end - p < 3 || p[1] != '\\' || p[2] != 'u' ||
                          (low = read_u16 (p + 3, end)) < 0xDC00 || low > 0xDFFF)
                        return fail (error, _("A string contains an unpaired surrogate"));
                      p += 6;
                    }
                }
              else if (strchr ("\"\\/bfnrt", *p) == NULL || *p == '\0')
                return fail (error, _("A string contains an unknown escape"));
            }
          continue;
        }

      if (c == ' ' || c == '\t' || c == '\n' || c == '\r')
        continue;
      /* json-glib 1.6 ignores "[1]," and the like after the value. */
      if (done)
        return fail (error, _("The body goes on after the JSON value"));

      switch (c)
        {
        case '"':
          in_string = TRUE;
          break;
        case '[':
        case '{':
          if (++depth > SIGNPOST_JSON_MAX_DEPTH)
            return fail (error, _("The JSON is nested too deeply"));
          open[depth] = c;
          members[depth] = 0;
          break;
        case ']':
        case '}':
          if (--depth < 0)
            return fail (error, _("The JSON has an unmatched bracket"));
          break;
        case ',':
        case ':':
          if (depth == 0)
            return fail (error, _("The body contains a character that is not JSON"));
          if (c == ':' && open[depth] == '{' && ++members[depth] > SIGNPOST_JSON_MAX_MEMBERS)
            return fail (error, _("An object has too many members"));
          break;
        case 't':
        case 'f':
        case 'n':
          {
            const char *word = c == 't' ? "true" : c == 'f' ? "false" : "null";
            gsize len = strlen (word);

            if ((gsize) (end - p) < len || memcmp (p, word, len) != 0)
              return fail (error, _("The body contains a word that is not JSON"));
            p += len - 1;
          }
          break;
        default:
          {
            gsize len = (c == '-' || g_ascii_isdigit (c)) ? number_length (p, end) : 0;

            if (len == 0)
              return fail (error, c == '-' || g_ascii_isdigit (c)
                                  ? _("A number is not valid JSON or is out of range")
                                  : _("The body contains a character that is not JSON"));
            p += len - 1;
          }
          break;
        }
      if (depth == 0 && !in_string)
        done = TRUE;
    }

  if (in_string)
    return fail (error, _("The body ends inside a string"));
  if (depth != 0)
    return fail (error, _("The JSON has an unclosed bracket"));
  return TRUE;
}

/* Members counted per open object, innermost last: a member whose object
 * does not grow replaced one of the same name. */
typedef struct {
  guint counts[SIGNPOST_JSON_MAX_DEPTH + 2];
  int depth;
  gboolean repeated;
} MemberCheck;

static void
object_start_cb (JsonParser  *parser,
                 MemberCheck *check)
{
  if (++check->depth < (int) G_N_ELEMENTS (check->counts))
    check->counts[check->depth] = 0;
}

static void
object_member_cb (JsonParser  *parser,
                  JsonObject  *object,
                  const char  *name,
                  MemberCheck *check)
{
  if (check->depth <= 0 || check->depth >= (int) G_N_ELEMENTS (check->counts))
    return;
  if (json_object_get_size (object) < ++check->counts[check->depth])
    check->repeated = TRUE;
}

static void
object_end_cb (JsonParser  *parser,
               JsonObject  *object,
               MemberCheck *check)
{
  check->depth--;
}

static JsonNode *
parse (const char  *data,
       gsize        length,
       gsize        max_size,
       gboolean     strict,
       GError     **error)
{
  g_autoptr(JsonParser) parser = NULL;
  g_autoptr(GError) local_error = NULL;
  MemberCheck check = { .depth = 0 };
  JsonNode *root;

  if (!signpost_json_check_bytes (data, length, max_size, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (strict)
    {
      g_signal_connect (parser, "object-start", G_CALLBACK (object_start_cb), &check);
      g_signal_connect (parser, "object-member", G_CALLBACK (object_member_cb), &check);
      g_signal_connect (parser, "object-end", G_CALLBACK (object_end_cb), &check);
    }
  if (!json_parser_load_from_data (parser, data, length, &local_error))
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_MALFORMED,
                   _("The body is not valid JSON: %s"), local_error->message);
      return NULL;
    }
  if (check.repeated)
    {
      fail (error, _("An object names the same member twice"));
      return NULL;
    }
  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      fail (error, _("The body is empty; expected JSON"));
      return NULL;
    }
  return json_node_ref (root);
}

JsonNode *
signpost_json_parse (const char  *data,
                     gsize        length,
                     gsize        max_size,
                     GError     **error)
{
  return parse (data, length, max_size, FALSE, error);
}

static JsonObject *
parse_object (const char  *data,
              gsize        length,
              gsize        max_size,
              gboolean     strict,
              GError     **error)
{
  g_autoptr(JsonNode) root = parse (data, length, max_size, strict, error);

  if (root == NULL)
    return NULL;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      fail (error, _("Expected a JSON object"));
      return NULL;
    }
  return json_object_ref (json_node_get_object (root));
}

/**
 * signpost_json_parse_strict_object:
 *
 * As signpost_json_parse_object(), and an object anywhere in it that
 * names a member twice is refused too. For what clients send.
 */
JsonObject *
signpost_json_parse_strict_object (const char  *data,
                                   gsize        length,
                                   gsize        max_size,
                                   GError     **error)
{
  return parse_object (data, length, max_size, TRUE, error);
}

JsonObject *
signpost_json_parse_object (const char  *data,
                            gsize        length,
                            gsize        max_size,
                            GError     **error)
{
  return parse_object (data, length, max_size, FALSE, error);
}

/* json-glib 1.6 appends ".0" to every double it writes without a '.', so
 * 1e20 comes out as "1e+20.0", which is not JSON. Take those back out, in
 * place. */
static gsize
fix_exponents (char *text)
{
  gboolean in_string = FALSE;
  char prev = '\0';
  char *out = text;
  const char *p = text;

  while (*p != '\0')
    {
      if (in_string)
        {
          if (*p == '\\' && p[1] != '\0')
            *out++ = *p++;
          else if (*p == '"')
            in_string = FALSE;
          prev = *p;
          *out++ = *p++;
          continue;
        }
      if (*p == '"')
        in_string = TRUE;
      else if ((*p == 'e' || *p == 'E') && g_ascii_isdigit (prev))
        {
          *out++ = *p++;
          if (*p == '+' || *p == '-')
            *out++ = *p++;
          while (g_ascii_isdigit (*p))
            *out++ = *p++;
          if (p[0] == '.' && p[1] == '0' && !g_ascii_isdigit (p[2]))
            p += 2;
          prev = '0';
          continue;
        }
      prev = *p;
      *out++ = *p++;
    }
  *out = '\0';
  return out - text;
}

char *
signpost_json_to_string (JsonNode *node,
                         gsize    *length)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  char *text;
  gsize len;

  json_generator_set_root (generator, node);
  text = json_generator_to_data (generator, NULL);
  len = fix_exponents (text);
  if (length != NULL)
    *length = len;
  return text;
}

char *
signpost_json_object_to_string (JsonObject *object,
                                gsize      *length)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), object);

  return signpost_json_to_string (node, length);
}

/* Reads a JSON string body at @p (after its opening quote) into @out,
 * decoding escapes; returns the position after the closing quote, or NULL
 * when it is not a well-formed string. */
static const char *
read_string (const char *p,
             const char *end,
             GString    *out)
{
  while (p < end && *p != '"')
    {
      if (*p != '\\')
        {
          g_string_append_c (out, *p++);
          continue;
        }
      if (++p >= end)
        return NULL;
      switch (*p)
        {
        case '"': case '\\': case '/':
          g_string_append_c (out, *p);
          break;
        case 'b': g_string_append_c (out, '\b'); break;
        case 'f': g_string_append_c (out, '\f'); break;
        case 'n': g_string_append_c (out, '\n'); break;
        case 'r': g_string_append_c (out, '\r'); break;
        case 't': g_string_append_c (out, '\t'); break;
        case 'u':
          {
            gunichar c = 0;

            if (end - p < 5)
              return NULL;
            for (int i = 1; i <= 4; i++)
              {
                if (!g_ascii_isxdigit (p[i]))
                  return NULL;
                c = c * 16 + g_ascii_xdigit_value (p[i]);
              }
            p += 4;
            /* A surrogate pair. */
            if (c >= 0xD800 && c <= 0xDBFF && end - p >= 7 && p[1] == '\\' && p[2] == 'u')
              {
                gunichar low = 0;

                for (int i = 3; i <= 6; i++)
                  {
                    if (!g_ascii_isxdigit (p[i]))
                      return NULL;
                    low = low * 16 + g_ascii_xdigit_value (p[i]);
                  }
                if (low < 0xDC00 || low > 0xDFFF)
                  return NULL;
                c = 0x10000 + ((c - 0xD800) << 10) + (low - 0xDC00);
                p += 6;
              }
            if (!g_unichar_validate (c))
              return NULL;
            g_string_append_unichar (out, c);
          }
          break;
        default:
          return NULL;
        }
      p++;
    }
  return p < end ? p + 1 : NULL;
}

/**
 * signpost_json_canonical_member:
 * @data: a record's canonical JSON, as signpost_object_to_string() wrote it
 * @key: a member of the record itself, whose name no nested object uses
 * @value: (out) (optional): the member's value: a string's text, or
 *   "true"/"false"/a number as written; %NULL for null
 * @is_null: (out) (optional): the member is null
 *
 * Finds one member of a stored record without parsing all of it. A
 * string value cannot hold ',"key":' unescaped, so the first occurrence
 * is the member (or a nested one: hence the rule for @key).
 *
 * Returns: %FALSE when the member is not there or not well formed
 */
gboolean
signpost_json_canonical_member (const char  *data,
                                gsize        length,
                                const char  *key,
                                char       **value,
                                gboolean    *is_null)
{
  g_autofree char *needle = g_strdup_printf ("\"%s\":", key);
  const char *end = data + length;
  const char *at = data;
  const char *p;

  if (value != NULL)
    *value = NULL;
  if (is_null != NULL)
    *is_null = FALSE;
  for (;;)
    {
      at = g_strstr_len (at, end - at, needle);
      if (at == NULL)
        return FALSE;
      if (at > data && (at[-1] == ',' || at[-1] == '{'))
        break;
      at++;
    }
  p = at + strlen (needle);
  if (p < end && *p == '"')
    {
      g_autoptr(GString) text = g_string_new (NULL);

      if (read_string (p + 1, end, text) == NULL)
        return FALSE;
      if (value != NULL)
        *value = g_string_free (g_steal_pointer (&text), FALSE);
      return TRUE;
    }
  if (end - p >= 4 && strncmp (p, "null", 4) == 0)
    {
      if (is_null != NULL)
        *is_null = TRUE;
      return TRUE;
    }
  {
    const char *stop = p;

    while (stop < end && *stop != ',' && *stop != '}')
      stop++;
    if (stop == p)
      return FALSE;
    if (value != NULL)
      *value = g_strndup (p, stop - p);
  }
  return TRUE;
}
