/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-access.h"
#include "signpost-hub-stats.h"
#include "signpost-server-private.h"

/* GET /api/v1/stats/hub: the route; the figures are signpost-hub-stats.c's. */

static gboolean
hub_query_date (GHashTable  *query,
                const char  *key,
                GDate       *date,
                GError     **error)
{
  const char *text = query != NULL ? g_hash_table_lookup (query, key) : NULL;

  if (text == NULL)
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key, _("is required"));
      return FALSE;
    }
  if (!signpost_date_parse (text, date, NULL))
    {
      signpost_set_field_error (error, SIGNPOST_ERROR_INVALID, key,
                                _("must be a date like 2026-11-23"));
      return FALSE;
    }
  return TRUE;
}

void
signpost_server_handle_stats_hub (SignpostServer    *self,
                                  SoupServerMessage *msg,
                                  GHashTable        *query,
                                  SignpostPrincipal *principal)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) practices = NULL;
  g_autoptr(GHashTable) visible = NULL;
  g_autoptr(JsonObject) reply = NULL;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  const char *only;
  gboolean found = FALSE;
  GDate from, to;

  if (!signpost_access_may_see_stats (signpost_principal_get_role (principal)))
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_FORBIDDEN, NULL,
                                     _("Only practice managers and administrators see statistics"));
      return;
    }
  if (!hub_query_date (query, "from", &from, &error) ||
      !hub_query_date (query, "to", &to, &error))
    {
      signpost_server_reply_error (msg, error);
      return;
    }
  if (g_date_compare (&from, &to) > 0)
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_INVALID, "to",
                                     _("must not be before from"));
      return;
    }
  if (g_date_days_between (&from, &to) >= SIGNPOST_HUB_STATS_MAX_DAYS)
    {
      g_autofree char *detail = g_strdup_printf (_("must be at most %d days after from"),
                                                 SIGNPOST_HUB_STATS_MAX_DAYS - 1);

      signpost_server_reply_problem (msg, SIGNPOST_ERROR_INVALID, "to", detail);
      return;
    }

  only = query != NULL ? g_hash_table_lookup (query, "practice") : NULL;
  if (only != NULL && !signpost_uuid_is_canonical (only))
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_INVALID, "practice",
                                     _("must be a lower-case UUID"));
      return;
    }

  practices = signpost_store_list_records (self->store, SIGNPOST_RECORD_PRACTICE, NULL, &error);
  if (practices == NULL)
    {
      signpost_server_reply_error (msg, error);
      return;
    }
  visible = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < practices->len; i++)
    {
      const char *id = signpost_record_get_id (g_ptr_array_index (practices, i));

      if (only != NULL && g_str_equal (id, only))
        found = TRUE;
      if (only != NULL && !g_str_equal (id, only))
        continue;
      if (signpost_access_may_see_practice_stats (principal, id))
        g_hash_table_add (visible, (gpointer) id);
    }
  if (only != NULL && !found)
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_NOT_FOUND, "practice",
                                     _("There is no such practice"));
      return;
    }
  if (only != NULL && g_hash_table_size (visible) == 0)
    {
      signpost_server_reply_problem (msg, SIGNPOST_ERROR_FORBIDDEN, "practice",
                                     _("You do not work for this practice"));
      return;
    }

  reply = signpost_hub_stats (self->store, practices, visible, &from, &to, now, &error);
  if (reply == NULL)
    signpost_server_reply_error (msg, error);
  else
    signpost_server_reply_json (msg, SOUP_STATUS_OK, reply);
}
