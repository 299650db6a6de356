/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <libsoup/soup.h>

#include "signpost-auth.h"
#include "signpost-live.h"
#include "signpost-intake.h"
#include "signpost-principal.h"
#include "signpost-request-form.h"
#include "signpost-server.h"
#include "signpost-soup-workarounds.h"
#include "signpost-store.h"
#include "signpost-telephony.h"

G_BEGIN_DECLS

struct _SignpostServer
{
  GObject parent_instance;

  SoupServer *soup;
  SignpostSoupGuard *guard;
  SignpostStore *store;
  SignpostAuth *auth;
  SignpostLive *live;
  SignpostTelephony *telephony;
  SignpostIntake *intake;
  SignpostRequestForm *form;

  char *trusted_proxy;
  gsize max_body;

  GHashTable *in_flight;          /* SoupServerMessage* (weak) */
  gboolean shutting_down;
  GTask *shutdown_task;
  guint shutdown_timeout_id;
  gint64 shutdown_deadline;
  guint port;
  gboolean https;

  GPtrArray *webhooks;            /* webhook requests waiting for their group */
  guint webhook_flush_id;

  gboolean replayed_time;         /* X-Signpost-Replay-At is honoured (demo servers) */
};

typedef void (*SignpostRouteHandler) (SignpostServer    *self,
                                      SoupServerMessage *msg,
                                      GHashTable        *query,
                                      SignpostPrincipal *principal);

/* signpost-server.c */
void        signpost_server_reply_json         (SoupServerMessage *msg,
                                                guint              status,
                                                JsonObject        *object);
void        signpost_server_reply_text         (SoupServerMessage *msg,
                                                guint              status,
                                                const char        *content_type,
                                                char              *text,
                                                gsize              length);
void        signpost_server_reply_error        (SoupServerMessage *msg,
                                                const GError      *error);
void        signpost_server_reply_problem      (SoupServerMessage *msg,
                                                SignpostErrorCode  code,
                                                const char        *field,
                                                const char        *detail);
JsonObject *signpost_server_read_json_object   (SignpostServer    *self,
                                                SoupServerMessage *msg,
                                                GError           **error);
const char *signpost_server_client_address     (SignpostServer    *self,
                                                SoupServerMessage *msg);
gboolean    signpost_server_client_is_secure   (SignpostServer    *self,
                                                SoupServerMessage *msg);
void        signpost_server_publish            (SignpostServer    *self,
                                                GPtrArray         *changed,
                                                GPtrArray         *call_events);

/* signpost-server-routes.c */
GPtrArray *signpost_server_webhook_queue_new (void);
void signpost_server_flush_webhooks      (SignpostServer *self);
void signpost_server_handle_healthz      (SignpostServer *self, SoupServerMessage *msg,
                                          GHashTable *query, SignpostPrincipal *principal);
void signpost_server_handle_login        (SignpostServer *self, SoupServerMessage *msg,
                                          GHashTable *query, SignpostPrincipal *principal);
void signpost_server_handle_logout       (SignpostServer *self, SoupServerMessage *msg,
                                          GHashTable *query, SignpostPrincipal *principal);
void signpost_server_handle_me           (SignpostServer *self, SoupServerMessage *msg,
                                          GHashTable *query, SignpostPrincipal *principal);
void signpost_server_handle_changes      (SignpostServer *self, SoupServerMessage *msg,
                                          GHashTable *query, SignpostPrincipal *principal);
void signpost_server_handle_mutations    (SignpostServer *self, SoupServerMessage *msg,
                                          GHashTable *query, SignpostPrincipal *principal);
void signpost_server_handle_queue        (SignpostServer *self, SoupServerMessage *msg,
                                          GHashTable *query, SignpostPrincipal *principal);
void signpost_server_handle_telephony    (SignpostServer *self, SoupServerMessage *msg,
                                          GHashTable *query, SignpostPrincipal *principal);
void signpost_server_handle_intake       (SignpostServer *self, SoupServerMessage *msg,
                                          GHashTable *query, SignpostPrincipal *principal);
void signpost_server_handle_audit_views  (SignpostServer *self, SoupServerMessage *msg,
                                          GHashTable *query, SignpostPrincipal *principal);
void signpost_server_handle_audit        (SignpostServer *self, SoupServerMessage *msg,
                                          GHashTable *query, SignpostPrincipal *principal);
void signpost_server_handle_stats_day    (SignpostServer *self, SoupServerMessage *msg,
                                          GHashTable *query, SignpostPrincipal *principal);
void signpost_server_handle_stats_staffing (SignpostServer *self, SoupServerMessage *msg,
                                            GHashTable *query, SignpostPrincipal *principal);
void signpost_server_handle_stats_cbt_export (SignpostServer *self, SoupServerMessage *msg,
                                              GHashTable *query, SignpostPrincipal *principal);

/* signpost-server-import-routes.c */
void signpost_server_handle_import_patients   (SignpostServer *self, SoupServerMessage *msg,
                                               GHashTable *query, SignpostPrincipal *principal);
void signpost_server_handle_import_clinicians (SignpostServer *self, SoupServerMessage *msg,
                                               GHashTable *query, SignpostPrincipal *principal);
void signpost_server_handle_import_sessions   (SignpostServer *self, SoupServerMessage *msg,
                                               GHashTable *query, SignpostPrincipal *principal);

/* signpost-server-replay.c */
GDateTime  *signpost_server_mutation_time      (SignpostServer    *self,
                                                SoupServerMessage *msg,
                                                GDateTime         *now,
                                                GError           **error);

/* signpost-server-hub.c */
void signpost_server_handle_stats_hub    (SignpostServer *self, SoupServerMessage *msg,
                                          GHashTable *query, SignpostPrincipal *principal);

G_END_DECLS
