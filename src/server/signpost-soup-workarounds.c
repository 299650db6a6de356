/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <libsoup/soup.h>

#include "signpost-soup-workarounds.h"

/*
 * libsoup 3.2 keeps one reference too many on the GSocket of every
 * connection taken over with soup_server_message_steal_connection() (each
 * WebSocket, each body we refuse unread): about 340 bytes a connection
 * that nothing can reach again (valgrind: "definitely lost"). Its file
 * descriptor is closed; only the memory stays.
 *
 * We hold a reference of our own until the connection's owner (the
 * WebSocket, the stolen stream) is finalized. If at that point exactly
 * two references are left (ours and the leaked one) nothing else can
 * still use the socket, and we drop both. With any other count we drop
 * only ours, so a libsoup without the leak is left alone.
 */

#if SOUP_MAJOR_VERSION == 3 && SOUP_MINOR_VERSION == 2
/* The streams wrapped round the socket go a little after their owner;
 * by then only our reference and the leaked one are left. */
#define SETTLE_MS 2000

static gboolean
settled_cb (gpointer data)
{
  GSocket *socket = data;

  if (g_atomic_int_get (&G_OBJECT (socket)->ref_count) == 2)
    g_object_unref (socket);
  g_object_unref (socket);
  return G_SOURCE_REMOVE;
}

static void
owner_finalized (gpointer  data,
                 GObject  *where)
{
  g_timeout_add (SETTLE_MS, settled_cb, data);
}
#endif

void
signpost_release_stolen_socket (GObject *owner,
                                GSocket *socket)
{
#if SOUP_MAJOR_VERSION == 3 && SOUP_MINOR_VERSION == 2
  if (owner == NULL || socket == NULL)
    return;
  g_object_weak_ref (owner, owner_finalized, g_object_ref (socket));
#endif
}
