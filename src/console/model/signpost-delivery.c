/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-delivery.h"

gboolean
signpost_delivery_can_send (SignpostSyncState state)
{
  return state == SIGNPOST_SYNC_STATE_SYNCING || state == SIGNPOST_SYNC_STATE_ONLINE;
}

SignpostDelivery
signpost_delivery_of_record (GListModel        *changes,
                             SignpostSyncState  state,
                             const char        *record_id)
{
  guint n = changes != NULL ? g_list_model_get_n_items (changes) : 0;
  gboolean waiting = FALSE;

  g_return_val_if_fail (record_id != NULL, SIGNPOST_DELIVERY_ON_SERVER);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SignpostOutboxItem) item = g_list_model_get_item (changes, i);

      if (g_strcmp0 (signpost_outbox_item_get_record_id (item), record_id) != 0)
        continue;
      if (signpost_outbox_item_get_state (item) != SIGNPOST_OUTBOX_WAITING)
        return SIGNPOST_DELIVERY_REFUSED;
      waiting = TRUE;
    }
  if (!waiting)
    return SIGNPOST_DELIVERY_ON_SERVER;
  return signpost_delivery_can_send (state) ? SIGNPOST_DELIVERY_SENDING : SIGNPOST_DELIVERY_WAITING;
}

const char *
signpost_delivery_describe (SignpostDelivery delivery)
{
  switch (delivery)
    {
    case SIGNPOST_DELIVERY_ON_SERVER:
      /* Translators: where a change is, after what was done: "Booked SMITH, Ann … · sent, the server has it" */
      return _("sent, the server has it");
    case SIGNPOST_DELIVERY_SENDING:
      return _("sending…");
    case SIGNPOST_DELIVERY_WAITING:
      return _("waiting to send: kept on this PC until the server can be reached");
    case SIGNPOST_DELIVERY_REFUSED:
    default:
      return _("refused by the server: see Review at the top of the window");
    }
}
