/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-problem.h"

JsonObject *
signpost_problem_new (guint       status,
                      const char *nick,
                      const char *title,
                      const char *detail,
                      const char *field)
{
  JsonObject *problem = json_object_new ();
  g_autofree char *type = g_strconcat (SIGNPOST_PROBLEM_TYPE_PREFIX, nick, NULL);

  json_object_set_string_member (problem, "type", type);
  json_object_set_string_member (problem, "title", title);
  json_object_set_int_member (problem, "status", status);
  json_object_set_string_member (problem, "detail", detail != NULL ? detail : title);
  if (field != NULL)
    json_object_set_string_member (problem, "field", field);
  return problem;
}

JsonObject *
signpost_problem_from_error (const GError *error)
{
  SignpostErrorCode code = SIGNPOST_ERROR_FAILED;
  g_autofree char *field = NULL;
  const char *detail;

  if (error != NULL && error->domain == SIGNPOST_ERROR)
    {
      code = error->code;
      field = signpost_error_dup_field (error);
      detail = signpost_error_get_detail (error);
    }
  else
    {
      /* Anything else is our own failure; its text is for the log only. */
      detail = _("The server could not complete the request");
    }
  if (code == SIGNPOST_ERROR_STORAGE || code == SIGNPOST_ERROR_FAILED)
    detail = _("The server could not complete the request");
  return signpost_problem_new (signpost_error_http_status (error),
                               signpost_error_code_nick (code),
                               _(signpost_error_code_title (code)),
                               detail, field);
}
