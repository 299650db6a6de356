/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <json-glib/json-glib.h>

#include "hub-fixture.h"
#include "signpost-sync.h"

G_BEGIN_DECLS

/*
 * A console without its window: the sync library's engine, signed in to a
 * hub through nginx (trusting its certificate as the console's settings
 * allow), following the feed. It notes when its live connection drops and
 * when it is back.
 */
typedef struct {
  SignpostSyncEngine *engine;
  char *username;
  gboolean live;          /* WebSocket up (syncing or online) */
  gint64 lost_us;         /* monotonic time it last went down; 0 while live */
  gint64 back_us;         /* monotonic time it last came back */
  guint drops;
} HubConsole;

HubConsole *hub_console_new               (Hub         *hub,
                                           const char  *username);
HubConsole *hub_console_new_at            (Hub         *hub,
                                           const char  *url,
                                           const char  *username);
void        hub_console_free              (HubConsole  *console);
gboolean    hub_console_is_live           (gpointer     console);
gboolean    hub_console_is_idle           (gpointer     console);
void        hub_console_describe          (HubConsole  *console);
void        hub_console_save_postcode     (HubConsole  *console,
                                           const char  *patient_id,
                                           const char  *postcode);

/* Straight to an instance that is running, not through nginx. */
char       *hub_login                     (Hub         *hub,
                                           const char  *username);
JsonObject *hub_request                   (Hub         *hub,
                                           const char  *token,
                                           const char  *method,
                                           const char  *path,
                                           const char  *body,
                                           guint       *status);
/* Every record the user may see: for each kind's name, a table of its
 * records by id (JsonObject); the feed's last seq in @last_seq. */
GHashTable *hub_fetch_all                 (Hub                *hub,
                                           const char         *token,
                                           gint64             *last_seq);
/* The records of one kind, by id (a table of hub_fetch_all()'s). */
GHashTable *hub_fetch_records             (Hub                *hub,
                                           const char         *token,
                                           SignpostRecordKind  kind);

/* Waits until the console has everything the server has for it (its
 * outbox empty, its copy at the feed's last seq, online). */
gboolean    hub_console_wait_caught_up    (HubConsole  *console,
                                           Hub         *hub,
                                           guint        timeout_ms);
/* Every record of every kind the console holds equals the server's, and
 * it holds every record the server has for it; returns how many differ
 * (and says which in the test log). */
guint       hub_console_count_differences (HubConsole  *console,
                                           Hub         *hub);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (HubConsole, hub_console_free)

G_END_DECLS
