/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-sync.h"

G_BEGIN_DECLS

/*
 * Where a change made at this PC truly is, in words for the person who
 * made it: on the server, being sent, waiting for the connection, or
 * refused. Worked out from this PC's changes (SignpostActions:changes, a
 * GListModel of SignpostOutboxItem) and the connection's state; never
 * from the state alone, which says nothing of one record.
 */
typedef enum {
  SIGNPOST_DELIVERY_ON_SERVER, /* nothing of this PC's waits for it: the server has it */
  SIGNPOST_DELIVERY_SENDING,   /* waiting, and the server can be reached */
  SIGNPOST_DELIVERY_WAITING,   /* waiting for the connection to come back */
  SIGNPOST_DELIVERY_REFUSED,   /* the server refused a change: it waits for a decision */
} SignpostDelivery;

/* Whether this PC's changes can be sent now: online, or online and
 * catching up with the feed. */
gboolean          signpost_delivery_can_send  (SignpostSyncState  state);
SignpostDelivery  signpost_delivery_of_record (GListModel        *changes,
                                               SignpostSyncState  state,
                                               const char        *record_id);
/* A short clause to follow what was done: "sent, the server has it",
 * "sending…", "waiting to send: kept on this PC until the server can be
 * reached", "refused by the server: see Review …". */
const char       *signpost_delivery_describe  (SignpostDelivery   delivery);

G_END_DECLS
