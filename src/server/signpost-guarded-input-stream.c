/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include "signpost-guarded-input-stream.h"

/*
 * The input side of a client connection as libsoup sees it: the real
 * stream's bytes, passed through, while the connection's owner hears
 * when bytes come, when the peer goes, and when libsoup closes it. The
 * owner may ask for the end of the stream to be hidden (see
 * signpost-soup-workarounds.c for why); the reader is then told "would
 * block", and the stream never becomes readable again.
 */

struct _SignpostGuardedInputStream
{
  GInputStream parent_instance;

  GInputStream *base;
  const SignpostGuardedInputStreamHooks *hooks;   /* NULL once detached */
  gpointer hooks_data;
  gboolean end_hidden;
};

static void signpost_guarded_input_stream_pollable_init (GPollableInputStreamInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SignpostGuardedInputStream, signpost_guarded_input_stream,
                               G_TYPE_INPUT_STREAM,
                               G_IMPLEMENT_INTERFACE (G_TYPE_POLLABLE_INPUT_STREAM,
                                                      signpost_guarded_input_stream_pollable_init))

static void
notify_data (SignpostGuardedInputStream *self)
{
  if (self->hooks != NULL)
    self->hooks->got_data (self->hooks_data);
}

static gboolean
should_hide_end (SignpostGuardedInputStream *self)
{
  return self->hooks != NULL && self->hooks->got_end (self->hooks_data);
}

static gssize
signpost_guarded_input_stream_read (GInputStream  *stream,
                                    void          *buffer,
                                    gsize          count,
                                    GCancellable  *cancellable,
                                    GError       **error)
{
  SignpostGuardedInputStream *self = SIGNPOST_GUARDED_INPUT_STREAM (stream);
  gssize n = g_input_stream_read (self->base, buffer, count, cancellable, error);

  /* A blocking read cannot be told to wait: the end is only reported. */
  if (n > 0)
    notify_data (self);
  else if (count > 0)
    should_hide_end (self);
  return n;
}

static gboolean
signpost_guarded_input_stream_close (GInputStream  *stream,
                                     GCancellable  *cancellable,
                                     GError       **error)
{
  SignpostGuardedInputStream *self = SIGNPOST_GUARDED_INPUT_STREAM (stream);
  const SignpostGuardedInputStreamHooks *hooks = self->hooks;

  /* The owner closes the real connection. */
  self->hooks = NULL;
  if (hooks != NULL)
    hooks->closed (self->hooks_data);
  return TRUE;
}

/* GInputStream would close in a worker thread; the hooks belong to the
 * main loop, and closing costs nothing here. */
static void
signpost_guarded_input_stream_close_async (GInputStream        *stream,
                                           int                  io_priority,
                                           GCancellable        *cancellable,
                                           GAsyncReadyCallback  callback,
                                           gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (stream, cancellable, callback, user_data);

  g_task_set_source_tag (task, signpost_guarded_input_stream_close_async);
  signpost_guarded_input_stream_close (stream, cancellable, NULL);
  g_task_return_boolean (task, TRUE);
}

static gboolean
signpost_guarded_input_stream_close_finish (GInputStream  *stream,
                                            GAsyncResult  *result,
                                            GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, stream), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
signpost_guarded_input_stream_can_poll (GPollableInputStream *stream)
{
  SignpostGuardedInputStream *self = SIGNPOST_GUARDED_INPUT_STREAM (stream);

  return G_IS_POLLABLE_INPUT_STREAM (self->base) &&
         g_pollable_input_stream_can_poll (G_POLLABLE_INPUT_STREAM (self->base));
}

static gboolean
signpost_guarded_input_stream_is_readable (GPollableInputStream *stream)
{
  SignpostGuardedInputStream *self = SIGNPOST_GUARDED_INPUT_STREAM (stream);

  return !self->end_hidden &&
         g_pollable_input_stream_is_readable (G_POLLABLE_INPUT_STREAM (self->base));
}

static GSource *
signpost_guarded_input_stream_create_source (GPollableInputStream *stream,
                                             GCancellable         *cancellable)
{
  SignpostGuardedInputStream *self = SIGNPOST_GUARDED_INPUT_STREAM (stream);
  g_autoptr(GSource) base_source = NULL;

  /* After a hidden end, a source that nothing but @cancellable wakes. */
  if (!self->end_hidden)
    base_source = g_pollable_input_stream_create_source (G_POLLABLE_INPUT_STREAM (self->base),
                                                         NULL);
  return g_pollable_source_new_full (self, base_source, cancellable);
}

static gssize
signpost_guarded_input_stream_read_nonblocking (GPollableInputStream  *stream,
                                                void                  *buffer,
                                                gsize                  count,
                                                GError               **error)
{
  SignpostGuardedInputStream *self = SIGNPOST_GUARDED_INPUT_STREAM (stream);
  g_autoptr(GError) local_error = NULL;
  gssize n;

  if (!self->end_hidden)
    {
      n = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (self->base), buffer,
                                                    count, NULL, &local_error);
      if (n > 0)
        {
          notify_data (self);
          return n;
        }
      if ((n < 0 && g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK)) ||
          count == 0 || !should_hide_end (self))
        {
          if (local_error != NULL)
            g_propagate_error (error, g_steal_pointer (&local_error));
          return n;
        }
      self->end_hidden = TRUE;
    }
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK, "Operation would block");
  return -1;
}

static void
signpost_guarded_input_stream_dispose (GObject *object)
{
  SignpostGuardedInputStream *self = SIGNPOST_GUARDED_INPUT_STREAM (object);

  /* GInputStream's dispose closes the stream, which tells the owner. */
  G_OBJECT_CLASS (signpost_guarded_input_stream_parent_class)->dispose (object);
  self->hooks = NULL;
}

static void
signpost_guarded_input_stream_finalize (GObject *object)
{
  SignpostGuardedInputStream *self = SIGNPOST_GUARDED_INPUT_STREAM (object);

  g_clear_object (&self->base);

  G_OBJECT_CLASS (signpost_guarded_input_stream_parent_class)->finalize (object);
}

static void
signpost_guarded_input_stream_pollable_init (GPollableInputStreamInterface *iface)
{
  iface->can_poll = signpost_guarded_input_stream_can_poll;
  iface->is_readable = signpost_guarded_input_stream_is_readable;
  iface->create_source = signpost_guarded_input_stream_create_source;
  iface->read_nonblocking = signpost_guarded_input_stream_read_nonblocking;
}

static void
signpost_guarded_input_stream_class_init (SignpostGuardedInputStreamClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GInputStreamClass *input_class = G_INPUT_STREAM_CLASS (klass);

  object_class->dispose = signpost_guarded_input_stream_dispose;
  object_class->finalize = signpost_guarded_input_stream_finalize;
  input_class->read_fn = signpost_guarded_input_stream_read;
  input_class->close_fn = signpost_guarded_input_stream_close;
  input_class->close_async = signpost_guarded_input_stream_close_async;
  input_class->close_finish = signpost_guarded_input_stream_close_finish;
}

static void
signpost_guarded_input_stream_init (SignpostGuardedInputStream *self)
{
}

/**
 * signpost_guarded_input_stream_new:
 * @base: a pollable input stream
 * @hooks: (not nullable): static hooks; called until the stream is
 *   closed or detached
 *
 * Returns: (transfer full): a stream reading @base
 */
GInputStream *
signpost_guarded_input_stream_new (GInputStream                          *base,
                                   const SignpostGuardedInputStreamHooks *hooks,
                                   gpointer                               user_data)
{
  SignpostGuardedInputStream *self;

  g_return_val_if_fail (G_IS_POLLABLE_INPUT_STREAM (base), NULL);
  g_return_val_if_fail (hooks != NULL, NULL);

  self = g_object_new (SIGNPOST_TYPE_GUARDED_INPUT_STREAM, NULL);
  self->base = g_object_ref (base);
  self->hooks = hooks;
  self->hooks_data = user_data;
  return G_INPUT_STREAM (self);
}

/* The owner is going: no more hooks. */
void
signpost_guarded_input_stream_detach (SignpostGuardedInputStream *self)
{
  g_return_if_fail (SIGNPOST_IS_GUARDED_INPUT_STREAM (self));

  self->hooks = NULL;
}
