/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/*
 * Everything a server keeps, table by table, as both stores can write it
 * out and read it in (admin copy-to): every value as text (NULL for none,
 * booleans as 0 and 1, integers in decimal), the rows of each table in
 * the order of its key, so that both sides can be counted and digested
 * the same way.
 */
typedef enum {
  SIGNPOST_COPY_SEQ_COUNTER,
  SIGNPOST_COPY_RECORDS,
  SIGNPOST_COPY_MUTATIONS,
  SIGNPOST_COPY_CREDENTIALS,
  SIGNPOST_COPY_TOKENS,
  SIGNPOST_COPY_LINES,
  SIGNPOST_COPY_TELEPHONY_EVENTS,
  SIGNPOST_COPY_LOGIN_FAILURES,
  SIGNPOST_COPY_AUDIT,
  SIGNPOST_COPY_COUNTERS,
  SIGNPOST_COPY_SECRETS,
  SIGNPOST_COPY_INTAKE_SOURCES,
  SIGNPOST_COPY_FORMER_PRACTICES,
  SIGNPOST_COPY_N_TABLES
} SignpostCopyTable;

#define SIGNPOST_COPY_MAX_COLUMNS 11

/* @values has signpost_copy_table_n_columns (@table) entries, borrowed
 * for the duration of the call. */
typedef gboolean (*SignpostCopyRowFunc) (SignpostCopyTable    table,
                                         const char * const  *values,
                                         gpointer             user_data,
                                         GError             **error);

const char *signpost_copy_table_name       (SignpostCopyTable table);
guint       signpost_copy_table_n_columns  (SignpostCopyTable table);

G_END_DECLS
