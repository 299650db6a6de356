/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "console-test-server.h"

G_BEGIN_DECLS

/* The phone system, as a test plays it: one signed webhook event
 * (PROTOCOL.md, Telephony webhook) straight to the server, signed with the
 * demo lines' secret by the same code signpost-callgen uses. @cli NULL is
 * sent as withheld. Returns the HTTP status; *call_id gets the call's id
 * when the server accepted it. */
guint test_post_call_event (TestServer  *server,
                            const char  *event,
                            const char  *call_ref,
                            const char  *line,
                            const char  *cli,
                            const char  *number,
                            char       **call_id);

G_END_DECLS
