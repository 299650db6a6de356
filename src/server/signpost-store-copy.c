/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-store-copy.h"

/* A table that gains a column, or a new table, is added here and to
 * both stores' export and import (signpost-sqlite-store-copy.c,
 * signpost-pg-store-copy.c). */
static const struct {
  const char *name;
  guint n_columns;
} tables[SIGNPOST_COPY_N_TABLES] = {
  [SIGNPOST_COPY_SEQ_COUNTER] = { "seq_counter", 1 },
  [SIGNPOST_COPY_RECORDS] = { "records", 9 },
  [SIGNPOST_COPY_MUTATIONS] = { "mutations", 3 },
  [SIGNPOST_COPY_CREDENTIALS] = { "credentials", 2 },
  [SIGNPOST_COPY_TOKENS] = { "tokens", 5 },
  [SIGNPOST_COPY_LINES] = { "lines", 3 },
  [SIGNPOST_COPY_TELEPHONY_EVENTS] = { "telephony_events", 2 },
  [SIGNPOST_COPY_LOGIN_FAILURES] = { "login_failures", 2 },
  [SIGNPOST_COPY_AUDIT] = { "audit", 11 },
  [SIGNPOST_COPY_COUNTERS] = { "counters", 4 },
  [SIGNPOST_COPY_SECRETS] = { "secrets", 2 },
  [SIGNPOST_COPY_INTAKE_SOURCES] = { "intake_sources", 3 },
  [SIGNPOST_COPY_FORMER_PRACTICES] = { "former_practices", 2 },
};

const char *
signpost_copy_table_name (SignpostCopyTable table)
{
  g_return_val_if_fail (table < SIGNPOST_COPY_N_TABLES, NULL);

  return tables[table].name;
}

guint
signpost_copy_table_n_columns (SignpostCopyTable table)
{
  g_return_val_if_fail (table < SIGNPOST_COPY_N_TABLES, 0);

  return tables[table].n_columns;
}
