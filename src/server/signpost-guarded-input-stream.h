/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define SIGNPOST_TYPE_GUARDED_INPUT_STREAM (signpost_guarded_input_stream_get_type ())
G_DECLARE_FINAL_TYPE (SignpostGuardedInputStream, signpost_guarded_input_stream,
                      SIGNPOST, GUARDED_INPUT_STREAM, GInputStream)

/**
 * SignpostGuardedInputStreamHooks:
 * @got_data: bytes were read
 * @got_end: the peer has gone (end of stream, or a read error); return
 *   %TRUE to hide it from the reader, which is then told "would block"
 *   for ever after
 * @closed: the stream was closed (or finalized)
 *
 * What the owner of a connection hears from its input side.
 */
typedef struct {
  void     (*got_data) (gpointer user_data);
  gboolean (*got_end)  (gpointer user_data);
  void     (*closed)   (gpointer user_data);
} SignpostGuardedInputStreamHooks;

GInputStream *signpost_guarded_input_stream_new    (GInputStream                          *base,
                                                    const SignpostGuardedInputStreamHooks *hooks,
                                                    gpointer                               user_data);
void          signpost_guarded_input_stream_detach (SignpostGuardedInputStream            *self);

G_END_DECLS
