/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "signpost-core.h"
#include "signpost-server.h"
#include "server-test-db.h"

G_BEGIN_DECLS

#define TEST_PASSWORD "test-password"
#define TEST_SECRET_A "line-secret-practice-a"
#define TEST_SECRET_B "line-secret-practice-b"
#define TEST_LINE_A "+442079460101"
#define TEST_LINE_B "+442079460102"

/* A real server on 127.0.0.1, in this process, with a database of its own
 * (SQLite, or PostgreSQL in the server-pg suite: see server-test-db.h)
 * and a small fixture: practices A and B, a GP in each, and users
 * nav_a, nav_b, hub (A and B, hub), clin_a, mgr_a and admin (A).
 * test_server_new_instance() starts the real signpost-server binary on the
 * same database: then @server and @store are NULL, @process is set, and
 * @database belongs to the first. */
typedef struct {
  TestDatabase *database;
  gboolean owns_database;
  SignpostStore *store;
  SignpostServer *server;
  GSubprocess *process;
  SoupSession *session;
  char *base;
  char *practice_a;
  char *practice_b;
  char *gp_a;
  char *gp_b;
  gboolean bulk;                  /* inside test_bulk_begin()/end() */
} TestServer;

typedef struct {
  guint status;
  char *body;
  gsize length;
  SoupMessageHeaders *headers;
  GError *error;
} TestReply;

TestServer  *test_server_new             (const SignpostServerOptions *options);
TestServer  *test_server_new_empty       (const SignpostServerOptions *options);
TestServer  *test_server_new_on          (TestDatabase      *database,
                                          gboolean           fixture,
                                          const SignpostServerOptions *options);
TestServer  *test_server_new_instance    (TestServer        *ts);
void         test_server_free            (TestServer        *ts);
SignpostStore *test_server_store         (TestServer        *ts);

void         test_wait_until             (gboolean          *done,
                                          guint              timeout_ms);
void         test_sleep                  (guint              ms);

TestReply   *test_http                   (TestServer        *ts,
                                          SoupSession       *session,
                                          const char        *method,
                                          const char        *path,
                                          const char        *token,
                                          const char        *body,
                                          gssize             length);
void         test_http_start             (TestServer        *ts,
                                          SoupSession       *session,
                                          const char        *method,
                                          const char        *path,
                                          const char        *token,
                                          const char        *body,
                                          TestReply        **slot,
                                          guint             *pending);
TestReply   *test_http_with_header       (TestServer        *ts,
                                          const char        *method,
                                          const char        *path,
                                          const char        *token,
                                          const char        *body,
                                          const char        *header,
                                          const char        *value);
void         test_reply_free             (TestReply         *reply);
JsonObject  *test_reply_json             (TestReply         *reply);
void         test_assert_problem         (TestReply         *reply,
                                          guint              status,
                                          const char        *field);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (TestReply, test_reply_free)

char        *test_login                  (TestServer        *ts,
                                          const char        *username);
JsonObject  *test_get_json               (TestServer        *ts,
                                          const char        *path,
                                          const char        *token);
JsonArray   *test_mutate                 (TestServer        *ts,
                                          const char        *token,
                                          const char        *mutations_json);
JsonObject  *test_mutate_one             (TestServer        *ts,
                                          const char        *token,
                                          const char        *type,
                                          const char        *op,
                                          const char        *id,
                                          gint64             base_version,
                                          const char        *data_json);
const char  *test_result_status          (JsonObject        *result);
guint        test_result_problem_status  (JsonObject        *result);
GHashTable  *test_sync                   (TestServer        *ts,
                                          const char        *token,
                                          gint64            *last_seq);

TestReply   *test_send                   (TestServer        *ts,
                                          SoupSession       *session,
                                          SoupMessage       *msg);
TestReply   *test_webhook                (TestServer        *ts,
                                          const char        *secret,
                                          const char        *body,
                                          gint64             timestamp_offset);
char        *test_event_json             (const char        *event,
                                          const char        *call_ref,
                                          const char        *line,
                                          const char        *cli,
                                          const char        *at,
                                          const char        *number);

/* Fixture records, written straight to the store; each returns its id. */
char        *test_add_practice           (TestServer        *ts,
                                          const char        *ods,
                                          const char        *line,
                                          const char        *secret);
char        *test_add_user               (TestServer        *ts,
                                          const char        *username,
                                          SignpostRole       role,
                                          const char        *practice_1,
                                          const char        *practice_2,
                                          gboolean           hub);
char        *test_add_patient            (TestServer        *ts,
                                          const char        *practice_id);
char        *test_add_slot               (TestServer        *ts,
                                          const char        *practice_id,
                                          int                start_minutes,
                                          int                release_minutes,
                                          gboolean           hub_bookable);
char        *test_add_call               (TestServer        *ts,
                                          const char        *practice_id,
                                          SignpostCallState  state);
char        *test_add_triage             (TestServer        *ts,
                                          const char        *practice_id);
char        *test_add_appointment        (TestServer        *ts,
                                          const char        *practice_id,
                                          char             **slot_id);
char        *test_add_clinician          (TestServer        *ts,
                                          const char        *practice_id);
void         test_put_record             (TestServer        *ts,
                                          gpointer           record);
void         test_bulk_begin             (TestServer        *ts);
void         test_bulk_end               (TestServer        *ts);
gpointer     test_get_record             (TestServer        *ts,
                                          SignpostRecordKind kind,
                                          const char        *id);

/* A WebSocket client of /api/v1/live that answers pings. */
typedef struct {
  SoupWebsocketConnection *connection;
  GQueue messages;                 /* JsonObject*, pings excluded */
  gboolean closed;
  gushort close_code;
  gboolean answer_pings;
  guint pings;
} TestLive;

TestLive    *test_live_connect           (TestServer        *ts,
                                          const char        *token);
JsonObject  *test_live_wait              (TestLive          *live,
                                          const char        *kind,
                                          guint              timeout_ms);
void         test_live_free              (TestLive          *live);

G_END_DECLS
