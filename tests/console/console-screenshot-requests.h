/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-window.h"

G_BEGIN_DECLS

/* The Requests page's screenshot states (console-screenshot requests…);
 * FALSE when args[1] is not one of them. */
gboolean console_screenshot_requests_start (SignpostWindow  *window,
                                            char           **args);

G_END_DECLS
