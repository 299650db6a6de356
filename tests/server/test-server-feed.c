/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <libpq-fe.h>

#include "server-test-util.h"
#include "signpost-pg-store-private.h"
#include "signpost-sqlite-store.h"

/*
 * The feed scales with the reader, not the region (issue 15): one
 * practice's changes among 30 others that hold ten times as much. What a
 * reader gets is checked against the whole feed filtered by hand; what
 * its read costs is counted, not timed: on SQLite the pages the query
 * touches (the connection's page cache hits and misses), on PostgreSQL the
 * rows its plan visits in the records table (EXPLAIN ANALYZE of the
 * store's statement, planned with its values as the store has it, for the
 * first page and for the whole practice, before and after ANALYZE). Read
 * from a global seq scan, either would grow with the region; both checks
 * are shown to fail on the whole feed.
 */

#define N_OTHERS 30
#define OTHER_PATIENTS 400
#define OWN_PATIENTS 40
#define BLOCK_PATIENTS 300

typedef struct {
  TestServer *ts;
  char *own;
  char *others[N_OTHERS];
  char *block;                      /* its records in one block of seqs */
  gint64 block_from;                /* the last seq before the block */
} Region;

static void
region_fill (Region *region)
{
  TestServer *ts = region->ts;

  region->own = test_add_practice (ts, "Y70000", "+442079460200", "feed-secret-own");
  for (guint i = 0; i < N_OTHERS; i++)
    {
      g_autofree char *ods = g_strdup_printf ("Y7%04u", i + 1);
      g_autofree char *line = g_strdup_printf ("+4420794602%02u", i + 1);

      region->others[i] = test_add_practice (ts, ods, line, "feed-secret-other");
    }
  g_free (test_add_user (ts, "feed-navigator", SIGNPOST_ROLE_NAVIGATOR, region->own, NULL, FALSE));
  g_free (test_add_user (ts, "feed-hub", SIGNPOST_ROLE_NAVIGATOR, region->own, region->others[0],
                         TRUE));
  region->block = test_add_practice (ts, "Y70099", "+442079460299", "feed-secret-block");
  /* Interleaved, as a region's writes are: the own practice's records
   * are scattered among the others'. In the middle, a practice whose
   * records came in one block (an import), with the region's after it. */
  test_bulk_begin (ts);
  for (guint r = 0; r < OTHER_PATIENTS; r++)
    {
      if (r == OTHER_PATIENTS / 2)
        {
          g_autoptr(GError) error = NULL;

          test_bulk_end (ts);
          region->block_from = signpost_store_get_last_seq (test_server_store (ts), &error);
          g_assert_no_error (error);
          test_bulk_begin (ts);
          for (guint b = 0; b < BLOCK_PATIENTS; b++)
            g_free (test_add_patient (ts, region->block));
        }
      for (guint i = 0; i < N_OTHERS; i++)
        g_free (test_add_patient (ts, region->others[i]));
      if (r % (OTHER_PATIENTS / OWN_PATIENTS) == 0)
        g_free (test_add_patient (ts, region->own));
    }
  test_bulk_end (ts);
}

static Region *
region_new (void)
{
  Region *region = g_new0 (Region, 1);

  region->ts = test_server_new (NULL);
  region_fill (region);
  return region;
}

static void
region_free (Region *region)
{
  test_server_free (region->ts);
  g_free (region->own);
  g_free (region->block);
  for (guint i = 0; i < N_OTHERS; i++)
    g_free (region->others[i]);
  g_free (region);
}

/* ---- what a reader gets ------------------------------------------------ */

typedef struct {
  GArray *seqs;
  const char * const *practices;    /* for the whole feed: the filter */
  guint everywhere;
  gint64 last;
  gboolean ordered;
} Collect;

static gboolean
collect_change (const SignpostStoredChange *change,
                gpointer                    data)
{
  Collect *collect = data;

  if (change->seq <= collect->last)
    collect->ordered = FALSE;
  collect->last = change->seq;
  g_array_append_val (collect->seqs, change->seq);
  return TRUE;
}

/* The whole feed, filtered here as the store should have. */
static gboolean
collect_filtered (const SignpostStoredChange *change,
                  gpointer                    data)
{
  Collect *collect = data;

  if ((collect->everywhere & (1u << change->kind)) != 0 ||
      g_strv_contains (collect->practices, change->practice_id))
    g_array_append_val (collect->seqs, change->seq);
  return TRUE;
}

static GArray *
read_in (SignpostStore      *store,
         gint64              since,
         const char * const *practices,
         guint               everywhere,
         guint               max_rows)
{
  g_autoptr(GError) error = NULL;
  Collect collect = { g_array_new (FALSE, FALSE, sizeof (gint64)), NULL, 0, since, TRUE };

  g_assert_true (signpost_store_foreach_change_in (store, since, practices, everywhere, max_rows,
                                                   collect_change, &collect, &error));
  g_assert_no_error (error);
  g_assert_true (collect.ordered);
  return collect.seqs;
}

static GArray *
expected_in (SignpostStore      *store,
             gint64              since,
             const char * const *practices,
             guint               everywhere,
             guint               max_rows)
{
  g_autoptr(GError) error = NULL;
  Collect collect = { g_array_new (FALSE, FALSE, sizeof (gint64)), practices, everywhere, 0, TRUE };

  g_assert_true (signpost_store_foreach_change (store, since, G_MAXINT, collect_filtered, &collect,
                                                &error));
  g_assert_no_error (error);
  if (collect.seqs->len > max_rows)
    g_array_set_size (collect.seqs, max_rows);
  return collect.seqs;
}

static void
assert_same (GArray *got,
             GArray *expected)
{
  g_assert_cmpuint (got->len, ==, expected->len);
  for (guint i = 0; i < got->len; i++)
    g_assert_cmpint (g_array_index (got, gint64, i), ==, g_array_index (expected, gint64, i));
}

static void
check_read (SignpostStore      *store,
            gint64              since,
            const char * const *practices,
            guint               everywhere,
            guint               max_rows)
{
  g_autoptr(GArray) got = read_in (store, since, practices, everywhere, max_rows);
  g_autoptr(GArray) expected = expected_in (store, since, practices, everywhere, max_rows);

  assert_same (got, expected);
}

static void
test_reader_gets (void)
{
  Region *region = region_new ();
  SignpostStore *store = test_server_store (region->ts);
  const char *own[] = { region->own, NULL };
  const char *twice[] = { region->own, region->own, NULL };
  const char *two[] = { region->own, region->others[0], NULL };
  const char *none[] = { NULL };
  guint users = 1u << SIGNPOST_RECORD_USER;
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) first = NULL;
  g_autoptr(GArray) again = NULL;
  gint64 middle = signpost_store_get_last_seq (store, &error) / 2;

  g_assert_no_error (error);
  /* The first sync of one practice, with everyone's user records. */
  first = read_in (store, 0, own, users, G_MAXINT);
  g_assert_cmpuint (first->len, >=, OWN_PATIENTS + 1);
  check_read (store, 0, own, users, G_MAXINT);
  /* A practice named twice is read once. */
  again = read_in (store, 0, twice, users, G_MAXINT);
  assert_same (again, first);
  /* Two practices merged in seq order, from the middle, a page at a time. */
  check_read (store, middle, two, users, 25);
  check_read (store, middle, two, 0, G_MAXINT);
  /* The end of a practice whose records came in one block. */
  {
    const char *block[] = { region->block, NULL };

    check_read (store, region->block_from + BLOCK_PATIENTS - 10, block, users, 20);
    check_read (store, region->block_from, block, users, 25);
  }
  /* Kinds everywhere and no practice (an administrator). */
  check_read (store, 0, none, users | (1u << SIGNPOST_RECORD_PRACTICE), G_MAXINT);
  /* Nothing to follow: nothing read. */
  {
    g_autoptr(GArray) nothing = read_in (store, 0, none, 0, G_MAXINT);

    g_assert_cmpuint (nothing->len, ==, 0);
  }

  /* Over HTTP: the navigator's first sync holds its own practice alone;
   * the hub navigator's both of its practices. */
  {
    g_autofree char *navigator = test_login (region->ts, "feed-navigator");
    g_autofree char *hub = test_login (region->ts, "feed-hub");
    g_autoptr(GHashTable) mine = test_sync (region->ts, navigator, NULL);
    g_autoptr(GHashTable) hubs = test_sync (region->ts, hub, NULL);
    GHashTableIter iter;
    gpointer value;
    guint patients = 0;

    g_hash_table_iter_init (&iter, mine);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      {
        JsonObject *change = value;

        if (g_strcmp0 (json_object_get_string_member (change, "type"), "patient") == 0)
          {
            JsonObject *data = json_object_get_object_member (change, "data");

            g_assert_cmpstr (json_object_get_string_member (data, "practice_id"), ==, region->own);
            patients++;
          }
      }
    g_assert_cmpuint (patients, ==, OWN_PATIENTS);
    patients = 0;
    g_hash_table_iter_init (&iter, hubs);
    while (g_hash_table_iter_next (&iter, NULL, &value))
      if (g_strcmp0 (json_object_get_string_member (value, "type"), "patient") == 0)
        patients++;
    g_assert_cmpuint (patients, ==, OWN_PATIENTS + OTHER_PATIENTS);
  }
  region_free (region);
}

/* ---- what it costs ----------------------------------------------------- */

static gboolean
count_change (const SignpostStoredChange *change,
              gpointer                    data)
{
  (*(guint *) data)++;
  return TRUE;
}

/* Pages the SQLite connection read (from its cache or the file) for
 * @practices' feed, or for the whole feed when @practices is NULL. */
static gint64
sqlite_pages (SignpostStore      *store,
              gint64              since,
              const char * const *practices,
              guint               limit,
              guint              *rows)
{
  sqlite3 *handle = signpost_db_get_handle (signpost_sqlite_store_get_db (SIGNPOST_SQLITE_STORE (store)));
  g_autoptr(GError) error = NULL;
  int hits = 0, misses = 0, high = 0;

  *rows = 0;
  sqlite3_db_status (handle, SQLITE_DBSTATUS_CACHE_HIT, &hits, &high, TRUE);
  sqlite3_db_status (handle, SQLITE_DBSTATUS_CACHE_MISS, &misses, &high, TRUE);
  if (practices != NULL)
    g_assert_true (signpost_store_foreach_change_in (store, since, practices,
                                                     1u << SIGNPOST_RECORD_USER, limit,
                                                     count_change, rows, &error));
  else
    g_assert_true (signpost_store_foreach_change (store, 0, G_MAXINT, count_change, rows, &error));
  g_assert_no_error (error);
  sqlite3_db_status (handle, SQLITE_DBSTATUS_CACHE_HIT, &hits, &high, TRUE);
  sqlite3_db_status (handle, SQLITE_DBSTATUS_CACHE_MISS, &misses, &high, TRUE);
  return hits + misses;
}

/* Rows of the records table that the plan in @node visited. */
static gint64
plan_visited (JsonObject *node)
{
  gint64 visited = 0;

  if (json_object_has_member (node, "Relation Name") &&
      g_str_equal (json_object_get_string_member (node, "Relation Name"), "records"))
    {
      gint64 loops = json_object_get_int_member_with_default (node, "Actual Loops", 1);

      visited += (json_object_get_int_member_with_default (node, "Actual Rows", 0) +
                  json_object_get_int_member_with_default (node, "Rows Removed by Filter", 0) +
                  json_object_get_int_member_with_default (node, "Rows Removed by Index Recheck", 0)) *
                 loops;
    }
  if (json_object_has_member (node, "Plans"))
    {
      JsonArray *plans = json_object_get_array_member (node, "Plans");

      for (guint i = 0; i < json_array_get_length (plans); i++)
        visited += plan_visited (json_array_get_object_element (plans, i));
    }
  return visited;
}

static PGresult *
pg_run (PGconn     *conn,
        const char *sql)
{
  PGresult *result = PQexec (conn, sql);

  if (PQresultStatus (result) != PGRES_COMMAND_OK && PQresultStatus (result) != PGRES_TUPLES_OK)
    g_error ("%s: %s", sql, PQerrorMessage (conn));
  return result;
}

/* Rows of the records table that @sql ($1 since, $2 rows, maybe $3 the
 * practices) visits for a first sync's first @limit rows; @rows: the rows
 * it returns. */
static gint64
pg_visited (PGconn     *conn,
            const char *sql,
            gint64      since,
            const char *practices,
            guint       limit,
            gint64     *rows)
{
  g_autofree char *prepare = g_strdup_printf ("PREPARE feed AS %s", sql);
  g_autofree char *array = practices != NULL ? PQescapeLiteral (conn, practices, strlen (practices))
                                             : NULL;
  g_autofree char *explain = g_strdup_printf ("EXPLAIN (ANALYZE, FORMAT JSON) EXECUTE feed (%"
                                              G_GINT64_FORMAT ", %u%s%s)", since, limit,
                                              array != NULL ? ", " : "", array != NULL ? array : "");
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *plan;
  PGresult *result;

  PQclear (pg_run (conn, prepare));
  result = pg_run (conn, explain);
  root = json_from_string (PQgetvalue (result, 0, 0), &error);
  PQclear (result);
  g_assert_no_error (error);
  plan = json_object_get_object_member (json_array_get_object_element (json_node_get_array (root), 0),
                                        "Plan");
  *rows = json_object_get_int_member (plan, "Actual Rows");
  PQclear (pg_run (conn, "DEALLOCATE feed"));
  return plan_visited (plan);
}

static void
test_cost (void)
{
  Region *region = region_new ();
  SignpostStore *store = test_server_store (region->ts);
  const char *own[] = { region->own, NULL };
  const char *two[] = { region->own, region->others[0], NULL };
  const char *block[] = { region->block, NULL };
  guint region_rows = N_OTHERS * (OTHER_PATIENTS + 1);

  if (!test_database_is_postgresql ())
    {
      guint rows_own = 0, rows_two = 0, rows_all = 0, rows_block = 0;
      gint64 own_pages = sqlite_pages (store, 0, own, G_MAXINT, &rows_own);
      gint64 two_pages = sqlite_pages (store, 0, two, G_MAXINT, &rows_two);
      gint64 block_pages = sqlite_pages (store, region->block_from + BLOCK_PATIENTS - 10, block, 20,
                                         &rows_block);
      gint64 all_pages = sqlite_pages (store, 0, NULL, G_MAXINT, &rows_all);

      g_test_message ("SQLite pages read: own practice %" G_GINT64_FORMAT " for %u changes; "
                      "with a second practice %" G_GINT64_FORMAT " for %u; whole feed %"
                      G_GINT64_FORMAT " for %u", own_pages, rows_own, two_pages, rows_two,
                      all_pages, rows_all);
      g_test_message ("SQLite pages read: the end of a practice written in one block %"
                      G_GINT64_FORMAT " for %u changes", block_pages, rows_block);
      /* A few pages per change read (an index entry, the row's path from
       * the root), nothing for the region's. */
      g_assert_cmpint (own_pages, <=, 6 * rows_own + 40);
      g_assert_cmpint (two_pages, <=, 6 * rows_two + 40);
      g_assert_cmpint (block_pages, <=, 6 * rows_block + 40);
      /* The measure would catch a scan of the region. */
      g_assert_cmpint (all_pages, >, 6 * rows_own + 40);
      g_assert_cmpuint (rows_all, >=, region_rows);
    }
  else
    {
      PGconn *conn = PQconnectdb (test_database_location (region->ts->database));
      const char * const users[] = { "user", NULL };
      const char *whole = "SELECT seq, kind, id, practice_id, version, deleted, data "
                          "FROM records WHERE seq > $1 ORDER BY seq LIMIT $2";
      g_autofree char *own_array = signpost_pg_text_array (own);
      g_autofree char *two_array = signpost_pg_text_array (two);
      g_autofree char *block_array = signpost_pg_text_array (block);

      g_assert_cmpint (PQstatus (conn), ==, CONNECTION_OK);
      /* Planned with its values each time, as the store runs it. */
      PQclear (pg_run (conn, "SET plan_cache_mode = force_custom_plan"));
      /* Before the table's statistics exist (a fresh database) and after;
       * a first page, and the whole practice at once. */
      for (guint pass = 0; pass < 4; pass++)
        {
          guint limit = pass % 2 == 0 ? 1000 : 1000000;
          gint64 rows_own, rows_two, rows_all, rows_block;
          gint64 own_visited = pg_visited (conn, signpost_pg_store_feed_sql (1, users), 0, own_array,
                                           limit, &rows_own);
          gint64 two_visited = pg_visited (conn, signpost_pg_store_feed_sql (2, users), 0, two_array,
                                           limit, &rows_two);
          /* The last rows of a practice written in one block. */
          gint64 block_visited = pg_visited (conn, signpost_pg_store_feed_sql (1, users),
                                             region->block_from + BLOCK_PATIENTS - 10, block_array,
                                             20, &rows_block);
          gint64 all_visited = pg_visited (conn, whole, 0, NULL, 1000000, &rows_all);

          g_test_message ("PostgreSQL rows visited (%s, limit %u): own practice %" G_GINT64_FORMAT
                          " for %" G_GINT64_FORMAT " changes; with a second practice %"
                          G_GINT64_FORMAT " for %" G_GINT64_FORMAT "; whole feed %"
                          G_GINT64_FORMAT " for %" G_GINT64_FORMAT,
                          pass < 2 ? "no statistics" : "analysed", limit, own_visited, rows_own,
                          two_visited, rows_two, all_visited, rows_all);
          /* What it returns, the user records its practice branch passes
           * over, one more row per branch: nothing of the region. */
          g_assert_cmpint (own_visited, <=, rows_own + 10);
          g_assert_cmpint (two_visited, <=, rows_two + 10);
          g_test_message ("PostgreSQL rows visited at the end of a practice written in one block: %"
                          G_GINT64_FORMAT " for %" G_GINT64_FORMAT, block_visited, rows_block);
          g_assert_cmpint (block_visited, <=, rows_block + 10);
          g_assert_cmpint (all_visited, >, rows_own + 10);
          g_assert_cmpint (rows_all, >=, region_rows);
          if (pass == 1)
            PQclear (pg_run (conn, "ANALYZE records"));
        }
      PQfinish (conn);
    }
  region_free (region);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/feed/reader-gets", test_reader_gets);
  g_test_add_func ("/feed/cost", test_cost);
  return g_test_run ();
}
