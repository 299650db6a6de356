/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define SIGNPOST_TYPE_TICKER (signpost_ticker_get_type ())
G_DECLARE_FINAL_TYPE (SignpostTicker, signpost_ticker, SIGNPOST, TICKER, GObject)

/* One clock for every ticking label (waits, call lengths): ::tick once a
 * second, on the second, so that all of them change together and none
 * keeps a timer of its own. A label connects on bind and disconnects on
 * unbind, and sets its text from signpost_ticker_get_now_us(). */
SignpostTicker *signpost_ticker_get_default (void);
gint64          signpost_ticker_get_now_us  (SignpostTicker *self);
guint64         signpost_ticker_get_n_ticks (SignpostTicker *self);

G_END_DECLS
