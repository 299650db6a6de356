/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

/* How calls are written and acted on, the same on the queue page and in
 * the caller popup. Not a class: plain functions. */

/* How long someone has waited, for the colour and the icon beside it:
 * under 5 minutes, 5 to 15, over 15. */
typedef enum {
  SIGNPOST_WAIT_SHORT,
  SIGNPOST_WAIT_LONG,
  SIGNPOST_WAIT_VERY_LONG,
} SignpostWaitLevel;

gint64            signpost_call_seconds_since       (GDateTime    *at,
                                                     gint64        now_us);
char             *signpost_call_format_duration     (gint64        seconds);
char             *signpost_call_describe_duration   (gint64        seconds);
SignpostWaitLevel signpost_call_wait_level          (gint64        seconds);
const char       *signpost_call_wait_level_css      (SignpostWaitLevel level);

/* The number to call back or the caller's number (E.164), NULL when
 * withheld; and as a receptionist reads it ("07700 900123"). */
const char       *signpost_call_get_number          (SignpostCall *call);
char             *signpost_call_format_number       (SignpostCall *call);
gboolean          signpost_call_is_callback         (SignpostCall *call);

/* "SMITH, Olivia (45y)", "3 people share this number: …", "Unknown
 * caller" or "Number withheld". */
char             *signpost_call_describe_caller     (const char   *number,
                                                     GPtrArray    *patients,
                                                     GDateTime    *now);

/* A toast in the window's overlay (the message is plain text). */
void              signpost_call_show_toast          (GtkWidget    *widget,
                                                     const char   *message);

/* Opens the triage form for @call (the window's "win.open-triage",
 * "(sss)": triage id or "", call id, patient id or ""). */
void              signpost_call_open_triage         (GtkWidget    *widget,
                                                     SignpostCall *call,
                                                     const char   *patient_id);

G_END_DECLS
