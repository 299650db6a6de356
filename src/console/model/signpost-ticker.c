/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include "signpost-ticker.h"

enum {
  TICK,
  N_SIGNALS
};

struct _SignpostTicker
{
  GObject parent_instance;

  guint64 n_ticks;
  guint timeout_id;
};

G_DEFINE_FINAL_TYPE (SignpostTicker, signpost_ticker, G_TYPE_OBJECT)

static guint signals[N_SIGNALS];

static gboolean on_timeout (gpointer data);

static void
schedule (SignpostTicker *self)
{
  gint64 now = g_get_real_time ();
  guint delay_ms = (guint) ((G_USEC_PER_SEC - now % G_USEC_PER_SEC) / 1000) + 1;

  self->timeout_id = g_timeout_add_full (G_PRIORITY_DEFAULT, delay_ms, on_timeout, self, NULL);
  g_source_set_name_by_id (self->timeout_id, "[signpost] ticker");
}

static gboolean
on_timeout (gpointer data)
{
  SignpostTicker *self = data;

  self->n_ticks++;
  /* Re-armed to the next whole second, so the labels never drift. */
  schedule (self);
  g_signal_emit (self, signals[TICK], 0);
  return G_SOURCE_REMOVE;
}

static void
signpost_ticker_finalize (GObject *object)
{
  SignpostTicker *self = SIGNPOST_TICKER (object);

  g_clear_handle_id (&self->timeout_id, g_source_remove);

  G_OBJECT_CLASS (signpost_ticker_parent_class)->finalize (object);
}

static void
signpost_ticker_class_init (SignpostTickerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = signpost_ticker_finalize;

  signals[TICK] = g_signal_new ("tick", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
signpost_ticker_init (SignpostTicker *self)
{
  schedule (self);
}

/**
 * signpost_ticker_get_default:
 *
 * Returns: (transfer none): the process's one ticker
 */
SignpostTicker *
signpost_ticker_get_default (void)
{
  static SignpostTicker *ticker;

  if (ticker == NULL)
    ticker = g_object_new (SIGNPOST_TYPE_TICKER, NULL);
  return ticker;
}

/* The real time in µs, to the whole second: every label shows the same
 * second, including one bound between two ticks. */
gint64
signpost_ticker_get_now_us (SignpostTicker *self)
{
  gint64 now = g_get_real_time ();

  g_return_val_if_fail (SIGNPOST_IS_TICKER (self), 0);
  return now - now % G_USEC_PER_SEC;
}

guint64
signpost_ticker_get_n_ticks (SignpostTicker *self)
{
  g_return_val_if_fail (SIGNPOST_IS_TICKER (self), 0);
  return self->n_ticks;
}
