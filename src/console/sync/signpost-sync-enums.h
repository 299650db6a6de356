/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/**
 * SignpostSyncState:
 * @SIGNPOST_SYNC_STATE_OFFLINE: not connected; working from the cache
 * @SIGNPOST_SYNC_STATE_CONNECTING: opening the live connection
 * @SIGNPOST_SYNC_STATE_SYNCING: connected, pulling changes or sending the outbox
 * @SIGNPOST_SYNC_STATE_ONLINE: connected and up to date
 */
typedef enum {
  SIGNPOST_SYNC_STATE_OFFLINE,    /*< nick=offline >*/
  SIGNPOST_SYNC_STATE_CONNECTING, /*< nick=connecting >*/
  SIGNPOST_SYNC_STATE_SYNCING,    /*< nick=syncing >*/
  SIGNPOST_SYNC_STATE_ONLINE,     /*< nick=online >*/
} SignpostSyncState;

/**
 * SignpostOutboxState:
 * @SIGNPOST_OUTBOX_WAITING: saved on this PC, not yet accepted by the server
 * @SIGNPOST_OUTBOX_CONFLICT: the record changed on the server first; kept
 *   with the server's current record until the user resolves it
 * @SIGNPOST_OUTBOX_REJECTED: the server refused it; kept with its problem
 *   until the user resolves it
 */
typedef enum {
  SIGNPOST_OUTBOX_WAITING,  /*< nick=waiting >*/
  SIGNPOST_OUTBOX_CONFLICT, /*< nick=conflict >*/
  SIGNPOST_OUTBOX_REJECTED, /*< nick=rejected >*/
} SignpostOutboxState;

/* The "event" of a live call frame (PROTOCOL.md, Live). */
typedef enum {
  SIGNPOST_CALL_EVENT_OFFERED,            /*< nick=offered >*/
  SIGNPOST_CALL_EVENT_ANSWERED,           /*< nick=answered >*/
  SIGNPOST_CALL_EVENT_ABANDONED,          /*< nick=abandoned >*/
  SIGNPOST_CALL_EVENT_CALLBACK_REQUESTED, /*< nick=callback_requested >*/
  SIGNPOST_CALL_EVENT_ENDED,              /*< nick=ended >*/
  SIGNPOST_CALL_EVENT_CALLBACK_DONE,      /*< nick=callback_done >*/
} SignpostCallEventKind;

/**
 * SignpostCallListView:
 * @SIGNPOST_CALL_LIST_WAITING: the queue: queued calls and callback
 *   requests holding their place, in queue order
 * @SIGNPOST_CALL_LIST_CALLBACKS: callback requests only
 * @SIGNPOST_CALL_LIST_IN_PROGRESS: calls being answered now
 * @SIGNPOST_CALL_LIST_RINGING: calls offered and not yet queued
 * @SIGNPOST_CALL_LIST_FAILED_CONTACTS: callbacks that found nobody at
 *   their second try and that nobody has followed up yet
 */
typedef enum {
  SIGNPOST_CALL_LIST_WAITING,     /*< nick=waiting >*/
  SIGNPOST_CALL_LIST_CALLBACKS,   /*< nick=callbacks >*/
  SIGNPOST_CALL_LIST_IN_PROGRESS, /*< nick=in-progress >*/
  SIGNPOST_CALL_LIST_RINGING,     /*< nick=ringing >*/
  SIGNPOST_CALL_LIST_FAILED_CONTACTS, /*< nick=failed-contacts >*/
} SignpostCallListView;

G_END_DECLS
