/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-apply.h"
#include "signpost-bundle-reader.h"
#include "signpost-practice-move.h"

/*
 * A practice leaves this server, once it is safely in a bundle. The
 * bundle must open with its passphrase, be of this practice, and still
 * describe it exactly (same records, same users, same number of lines):
 * anything changed since the export means exporting again. Then, in one
 * transaction: users who also work for other practices lose this one and
 * keep the others; every record of the practice becomes a tombstone that
 * keeps its metadata only (signpost_store_purge_practice()), which takes
 * the practice's users, lines and secrets with it. Consoles drop the
 * records through the change feed, like any deletion: those who worked
 * for the practice still receive its tombstones (the store remembers
 * them as its former users). The audit log records who removed it and
 * the bundle's checksum.
 */

/* The parts whose digest must match: records and users, whose items are
 * the same bytes for the same state. Lines and passwords are sealed with
 * nonces of their own, so only their number is compared; the audit log
 * has grown since. */
static gboolean
compare (const SignpostBundleInfo  *bundle,
         const SignpostBundleInfo  *now,
         GError                   **error)
{
  for (guint i = 0; i < SIGNPOST_BUNDLE_N_PARTS; i++)
    {
      gboolean same;

      if (i == SIGNPOST_BUNDLE_AUDIT)
        continue;
      if (i == SIGNPOST_BUNDLE_LINES || i == SIGNPOST_BUNDLE_CREDENTIALS)
        same = bundle->counts[i] == now->counts[i];
      else
        same = bundle->counts[i] == now->counts[i] &&
               g_strcmp0 (bundle->digests[i], now->digests[i]) == 0;
      if (!same)
        {
          /* Translators: a part's name ("patients"), then two counts */
          g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT,
                       _("The practice has changed since the bundle was written (%s: %"
                         G_GINT64_FORMAT " now, %" G_GINT64_FORMAT " in the bundle): export it "
                         "again, then remove it"),
                       signpost_bundle_part_name (i), now->counts[i], bundle->counts[i]);
          return FALSE;
        }
    }
  return TRUE;
}

/* Users who also work elsewhere lose this practice and keep the rest. */
static gboolean
release_users (SignpostStore           *store,
               const char              *practice_id,
               GDateTime               *now,
               SignpostPracticeRemoval *removal,
               GError                 **error)
{
  g_autoptr(GPtrArray) users = signpost_store_list_records (store, SIGNPOST_RECORD_USER, NULL, error);
  SignpostApplyContext ctx;
  gboolean ok = TRUE;

  if (users == NULL)
    return FALSE;
  signpost_apply_context_init (&ctx, store, NULL, now);
  for (guint i = 0; ok && i < users->len; i++)
    {
      SignpostUser *user = g_ptr_array_index (users, i);
      const char * const *ids = signpost_user_get_practice_ids (user);
      const char *user_id = signpost_record_get_id (SIGNPOST_RECORD (user));
      g_autoptr(GStrvBuilder) others = NULL;
      g_auto(GStrv) kept = NULL;

      if (ids == NULL || !g_strv_contains (ids, practice_id))
        {
          /* Not theirs; a record of this practice for a user of others is
           * moved to one of theirs. */
          if (g_strcmp0 (signpost_record_get_practice_id (SIGNPOST_RECORD (user)), practice_id) == 0 &&
              ids != NULL && ids[0] != NULL)
            {
              g_autoptr(SignpostUser) next = signpost_object_copy (SIGNPOST_OBJECT (user));

              signpost_record_set_practice_id (SIGNPOST_RECORD (next), ids[0]);
              ok = signpost_apply_write (&ctx, SIGNPOST_RECORD (next), FALSE, error);
            }
          continue;
        }
      ok = signpost_store_add_former_practice (store, user_id, practice_id, error);
      others = g_strv_builder_new ();
      for (guint j = 0; ids[j] != NULL; j++)
        if (!g_str_equal (ids[j], practice_id))
          g_strv_builder_add (others, ids[j]);
      kept = g_strv_builder_end (others);
      if (!ok)
        break;
      if (kept[0] == NULL)
        {
          /* They leave with the practice (they are in the bundle). */
          if (g_strcmp0 (signpost_record_get_practice_id (SIGNPOST_RECORD (user)), practice_id) != 0)
            {
              g_autoptr(SignpostUser) next = signpost_object_copy (SIGNPOST_OBJECT (user));

              signpost_record_set_practice_id (SIGNPOST_RECORD (next), practice_id);
              ok = signpost_apply_write (&ctx, SIGNPOST_RECORD (next), FALSE, error);
            }
          removal->users_removed++;
          continue;
        }
      {
        g_autoptr(SignpostUser) next = signpost_object_copy (SIGNPOST_OBJECT (user));

        signpost_user_set_practice_ids (next, (const char * const *) kept);
        if (g_strcmp0 (signpost_record_get_practice_id (SIGNPOST_RECORD (next)), practice_id) == 0)
          signpost_record_set_practice_id (SIGNPOST_RECORD (next), kept[0]);
        ok = signpost_apply_write (&ctx, SIGNPOST_RECORD (next), FALSE, error);
        removal->users_kept++;
      }
    }
  signpost_apply_context_clear (&ctx);
  return ok;
}

/**
 * signpost_practice_remove:
 * @removal: (out caller-allocates): what was done
 * @info: (out caller-allocates) (optional): the bundle's manifest
 *
 * Removes @practice from this server (see the top of this file).
 */
gboolean
signpost_practice_remove (SignpostStore            *store,
                          SignpostPractice         *practice,
                          const char               *bundle_path,
                          const char               *passphrase,
                          GDateTime                *now,
                          const char               *client,
                          SignpostPracticeRemoval  *removal,
                          SignpostBundleInfo       *info,
                          GError                  **error)
{
  const char *practice_id = signpost_record_get_id (SIGNPOST_RECORD (practice));
  g_autoptr(SignpostBundleReader) reader = NULL;
  g_autoptr(SignpostBundleWriter) writer = NULL;
  g_auto(SignpostBundleInfo) bundle = { 0 };
  g_auto(SignpostBundleInfo) current = { 0 };
  g_autofree char *detail = NULL;
  SignpostAuditEvent event;

  memset (removal, 0, sizeof *removal);
  reader = signpost_bundle_reader_new (bundle_path, passphrase, &bundle, error);
  if (reader == NULL)
    return FALSE;
  if (!g_str_equal (bundle.practice_id, practice_id))
    {
      g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_CONFLICT,
                   _("The bundle is of the practice %s, not of %s"), bundle.ods_code,
                   signpost_practice_get_ods_code (practice));
      return FALSE;
    }
  writer = signpost_bundle_writer_new (practice, passphrase, now, error);
  if (writer == NULL || !signpost_store_begin (store, error))
    return FALSE;
  if (!signpost_practice_collect (store, practice, writer, error))
    goto failed;
  signpost_bundle_writer_get_info (writer, &current);
  if (!compare (&bundle, &current, error) ||
      !release_users (store, practice_id, now, removal, error) ||
      !signpost_store_purge_practice (store, practice_id, now, &removal->records, error))
    goto failed;
  detail = g_strdup_printf ("bundle sha256:%s; %u records removed; %u users left with it, %u kept "
                            "their other practices",
                            bundle.file_digest, removal->records, removal->users_removed,
                            removal->users_kept);
  signpost_practice_audit_event (&event, "admin-remove-practice", SIGNPOST_RECORD (practice), detail,
                                 client, now);
  if (!signpost_store_append_audit (store, &event, error) || !signpost_store_commit (store, error))
    goto failed;
  if (info != NULL)
    {
      signpost_bundle_info_clear (info);
      *info = bundle;
      memset (&bundle, 0, sizeof bundle);
    }
  return TRUE;

failed:
  signpost_store_rollback (store);
  return FALSE;
}
