/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "signpost-sqlite-store-private.h"

/*
 * The SQLite store: a damaged database found before it is used.
 */

/* ---- a damaged database -------------------------------------------------- */

#define RESTORE_ADVICE \
  N_("Signpost will not start on it: acknowledged writes would be lost or wrong. Stop " \
     "anything else using the database, keep these files for inspection, and restore " \
     "the latest backup (README.md, “Backups and a damaged database”).")

G_GNUC_PRINTF (3, 4)
static gboolean
damaged (GError    **error,
         const char *path,
         const char *format,
         ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SIGNPOST_ERROR, SIGNPOST_ERROR_STORAGE,
               /* Translators: the database's path, what is wrong, then advice */
               _("The database “%s” is damaged: %s. %s"), path, what, _(RESTORE_ADVICE));
  return FALSE;
}

static guint32
read_be32 (const guint8 *p)
{
  return ((guint32) p[0] << 24) | ((guint32) p[1] << 16) | ((guint32) p[2] << 8) | p[3];
}

static gboolean
file_size (const char *path,
           goffset    *size)
{
  GStatBuf buf;

  if (g_stat (path, &buf) != 0)
    return FALSE;
  *size = buf.st_size;
  return TRUE;
}

static gsize
read_start (const char *path,
            guint8     *buffer,
            gsize       length)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(GFileInputStream) in = g_file_read (file, NULL, NULL);
  gsize got = 0;

  if (in == NULL ||
      !g_input_stream_read_all (G_INPUT_STREAM (in), buffer, length, &got, NULL, NULL))
    return 0;
  return got;
}

/* The wal-index header in PATH-shm, as SQLite documents it (walformat.html):
 * two copies of a 48-byte header in native byte order, then the checkpoint
 * information. Returns FALSE if there is no usable header. */
typedef struct {
  guint32 page_size;
  guint32 max_frame;            /* frames of the WAL that are valid */
  guint32 backfilled;           /* of those, already copied into the database */
  guint8 salt[8];
} WalIndex;

static gboolean
read_wal_index (const char *shm_path,
                WalIndex   *index)
{
  guint8 buffer[136];
  guint8 is_init;
  guint16 page_size;

  if (read_start (shm_path, buffer, sizeof buffer) != sizeof buffer)
    return FALSE;
  /* A header being rewritten (the copies differ) is SQLite's to recover. */
  if (memcmp (buffer, buffer + 48, 48) != 0)
    return FALSE;
  memcpy (&is_init, buffer + 12, 1);
  if (!is_init)
    return FALSE;
  memcpy (&page_size, buffer + 14, 2);
  memcpy (&index->max_frame, buffer + 16, 4);
  memcpy (index->salt, buffer + 32, 8);
  memcpy (&index->backfilled, buffer + 96, 4);
  index->page_size = (page_size & 0xfe00) | ((page_size & 0x0001) << 16);
  return index->page_size >= 512;
}

/**
 * signpost_sqlite_store_check_files:
 *
 * What can be told of a damaged database before SQLite opens it (and, by
 * opening, makes the damage permanent): an empty file, a file that is not
 * a database or is shorter than its own header says, and a write-ahead
 * log that is missing or shorter than the last writes need (the -shm
 * file that SQLite keeps beside it says how long it was). Call it before
 * signpost_sqlite_store_new(), when nothing else has the database open.
 */
gboolean
signpost_sqlite_store_check_files (const char  *path,
                                   GError     **error)
{
  g_autofree char *wal_path = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm_path = g_strconcat (path, "-shm", NULL);
  goffset size = 0, wal_size = 0;
  gboolean have_wal, have_index, wal_pending;
  WalIndex index;

  g_return_val_if_fail (path != NULL, FALSE);

  have_wal = file_size (wal_path, &wal_size);
  if (!file_size (path, &size))
    {
      if (have_wal && wal_size > 0)
        return damaged (error, path, _("it is missing, but its write-ahead log (%s) is there"),
                        wal_path);
      return TRUE;      /* a new server */
    }
  if (size == 0)
    return damaged (error, path,
                    _("it is empty (0 bytes). If this is a new server, delete the empty file "
                      "and start again"));
  have_index = read_wal_index (shm_path, &index);
  wal_pending = have_wal && wal_size > 0 && !(have_index && index.max_frame <= index.backfilled);
  if (size >= 100)
    {
      guint8 header[100];
      guint32 page_size, pages;

      if (read_start (path, header, sizeof header) != sizeof header ||
          memcmp (header, "SQLite format 3", 16) != 0)
        return damaged (error, path, _("it is not an SQLite database"));
      page_size = ((guint32) header[16] << 8) | header[17];
      if (page_size == 1)
        page_size = 65536;
      pages = read_be32 (header + 28);
      /* The size in the header counts only when it is up to date, and only
       * when no write waits in the log: a checkpoint cut short (the
       * process killed) leaves page 1 written before the pages after the
       * old end, and SQLite finishes it from the log on opening. */
      if (!wal_pending && read_be32 (header + 92) == read_be32 (header + 24) && page_size >= 512 &&
          (goffset) pages * page_size > size)
        return damaged (error, path,
                        _("it is %" G_GOFFSET_FORMAT " bytes, but its header says %" G_GOFFSET_FORMAT),
                        size, (goffset) pages * page_size);
    }
  else
    return damaged (error, path, _("it is too short to be a database"));

  if (have_index && index.max_frame > index.backfilled)
    {
      goffset needed = 32 + (goffset) index.max_frame * (24 + index.page_size);
      guint8 wal_header[32];

      if (!have_wal)
        return damaged (error, path,
                        _("its write-ahead log (%s) is missing, with %u pages of writes that "
                          "were never copied into the database"),
                        wal_path, index.max_frame - index.backfilled);
      if (wal_size < needed)
        return damaged (error, path,
                        _("its write-ahead log (%s) is %" G_GOFFSET_FORMAT " bytes, but the "
                          "writes in it need %" G_GOFFSET_FORMAT),
                        wal_path, wal_size, needed);
      if (read_start (wal_path, wal_header, sizeof wal_header) != sizeof wal_header ||
          memcmp (wal_header + 16, index.salt, 8) != 0)
        return damaged (error, path,
                        _("its write-ahead log (%s) is not the one its writes went to"), wal_path);
    }
  return TRUE;
}

/* SQLite's own check of every page's structure (not of the indexes'
 * contents, which PRAGMA integrity_check adds at many times the cost). */
gboolean
quick_check (SignpostDb  *db,
             const char  *path,
             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(GString) problems = g_string_new (NULL);
  sqlite3_stmt *stmt;
  int rc;

  stmt = signpost_db_prepare (db, "PRAGMA quick_check (5)", &local_error);
  if (stmt == NULL)
    return damaged (error, path, "%s", local_error->message);
  while ((rc = signpost_db_step (db, stmt, &local_error)) == SQLITE_ROW)
    {
      const char *line = (const char *) sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        {
          g_autofree char *one = g_strdup (line ? line : "?");

          g_string_append_printf (problems, "%s%s", problems->len ? "; " : "",
                                  g_strstrip (g_strdelimit (one, "\n", ' ')));
        }
    }
  sqlite3_reset (stmt);
  if (rc != SQLITE_DONE)
    return damaged (error, path, "%s", local_error ? local_error->message : "quick_check failed");
  if (problems->len > 0)
    return damaged (error, path, _("SQLite’s check found: %s"), problems->str);
  return TRUE;
}
