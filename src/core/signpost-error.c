/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-core"

#include "signpost-error.h"

#include <string.h>

/* A field path is followed by this marker inside the message. A path never
 * contains a space, so the first occurrence ends it. */
#define FIELD_MARK ": "

G_DEFINE_QUARK (signpost-error-quark, signpost_error)

static const struct {
  guint status;
  const char *nick;
  const char *title;
} error_table[] = {
  [SIGNPOST_ERROR_FAILED]       = { 500, "failed", "Internal error" },
  [SIGNPOST_ERROR_MALFORMED]    = { 400, "malformed", "Malformed request" },
  [SIGNPOST_ERROR_UNAUTHORIZED] = { 401, "unauthorized", "Not signed in" },
  [SIGNPOST_ERROR_FORBIDDEN]    = { 403, "forbidden", "Not allowed" },
  [SIGNPOST_ERROR_NOT_FOUND]    = { 404, "not-found", "Not found" },
  [SIGNPOST_ERROR_METHOD]       = { 405, "method-not-allowed", "Method not allowed" },
  [SIGNPOST_ERROR_CONFLICT]     = { 409, "conflict", "Changed by someone else" },
  [SIGNPOST_ERROR_TOO_LARGE]    = { 413, "too-large", "Request too large" },
  [SIGNPOST_ERROR_INVALID]      = { 422, "invalid-field", "Invalid field" },
  [SIGNPOST_ERROR_RATE_LIMITED] = { 429, "rate-limited", "Too many attempts" },
  [SIGNPOST_ERROR_STORAGE]      = { 500, "storage", "Storage error" },
  [SIGNPOST_ERROR_UNAVAILABLE]  = { 503, "unavailable", "Service unavailable" },
};

static gboolean
code_is_known (int code)
{
  return code >= 0 && code < (int) G_N_ELEMENTS (error_table);
}

guint
signpost_error_http_status (const GError *error)
{
  if (error == NULL || error->domain != SIGNPOST_ERROR || !code_is_known (error->code))
    return 500;
  return error_table[error->code].status;
}

const char *
signpost_error_code_nick (SignpostErrorCode code)
{
  return code_is_known (code) ? error_table[code].nick : "failed";
}

const char *
signpost_error_code_title (SignpostErrorCode code)
{
  return code_is_known (code) ? error_table[code].title : "Internal error";
}

SignpostErrorCode
signpost_error_code_from_http_status (guint status)
{
  for (guint i = 0; i < G_N_ELEMENTS (error_table); i++)
    if (error_table[i].status == status && i != SIGNPOST_ERROR_STORAGE)
      return (SignpostErrorCode) i;
  return status >= 400 && status < 500 ? SIGNPOST_ERROR_MALFORMED : SIGNPOST_ERROR_FAILED;
}

void
signpost_set_field_error (GError           **error,
                          SignpostErrorCode  code,
                          const char        *field,
                          const char        *format,
                          ...)
{
  g_autofree char *detail = NULL;
  va_list args;

  if (error == NULL)
    return;

  va_start (args, format);
  detail = g_strdup_vprintf (format, args);
  va_end (args);

  if (field != NULL && *field != '\0')
    g_set_error (error, SIGNPOST_ERROR, code, "%s" FIELD_MARK "%s", field, detail);
  else
    g_set_error_literal (error, SIGNPOST_ERROR, code, detail);
}

static gboolean
is_field_path_char (char c)
{
  return g_ascii_isalnum (c) || c == '_' || c == '.' || c == '[' || c == ']' || c == '-';
}

/* Length of the field path at the start of @message, or 0 if none. */
static gsize
field_length (const char *message)
{
  const char *mark;

  if (message == NULL)
    return 0;
  mark = strstr (message, FIELD_MARK);
  if (mark == NULL || mark == message)
    return 0;
  for (const char *p = message; p < mark; p++)
    if (!is_field_path_char (*p))
      return 0;
  return mark - message;
}

char *
signpost_error_dup_field (const GError *error)
{
  gsize len;

  if (error == NULL)
    return NULL;
  len = field_length (error->message);
  return len > 0 ? g_strndup (error->message, len) : NULL;
}

const char *
signpost_error_get_detail (const GError *error)
{
  gsize len;

  if (error == NULL)
    return NULL;
  len = field_length (error->message);
  return len > 0 ? error->message + len + strlen (FIELD_MARK) : error->message;
}

/* Turns "number: bad" into "phones[1].number: bad" as errors bubble up from
 * nested objects. @parent is the path of the enclosing object. */
void
signpost_error_prefix_field (GError     **error,
                             const char  *parent)
{
  gsize len;
  char *message;

  if (error == NULL || *error == NULL || parent == NULL || *parent == '\0')
    return;

  len = field_length ((*error)->message);
  if (len > 0)
    message = g_strdup_printf ("%s.%s", parent, (*error)->message);
  else
    message = g_strdup_printf ("%s" FIELD_MARK "%s", parent, (*error)->message);
  g_free ((*error)->message);
  (*error)->message = message;
}
