/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-html.h"

void
signpost_html_text (GString    *out,
                    const char *text)
{
  for (const char *p = text; p != NULL && *p != '\0'; p++)
    switch (*p)
      {
      case '&': g_string_append (out, "&amp;"); break;
      case '<': g_string_append (out, "&lt;"); break;
      case '>': g_string_append (out, "&gt;"); break;
      case '"': g_string_append (out, "&quot;"); break;
      case '\'': g_string_append (out, "&#39;"); break;
      default: g_string_append_c (out, *p); break;
      }
}

void
signpost_html_attr (GString    *out,
                    const char *name,
                    const char *value)
{
  g_string_append_c (out, ' ');
  g_string_append (out, name);
  g_string_append (out, "=\"");
  signpost_html_text (out, value);
  g_string_append_c (out, '"');
}

void
signpost_html_lines (GString    *out,
                     const char *text)
{
  g_auto(GStrv) lines = NULL;

  if (text == NULL)
    return;
  lines = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      g_strchomp (lines[i]);   /* a CR from CRLF */
      if (i > 0)
        g_string_append (out, "<br>");
      signpost_html_text (out, lines[i]);
    }
}

char *
signpost_html_escape (const char *text)
{
  GString *out = g_string_new (NULL);

  signpost_html_text (out, text);
  return g_string_free (out, FALSE);
}
