/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-window.h"

G_BEGIN_DECLS

/* The diary's screenshot states (console-screenshot diary…); FALSE when
 * args[1] is not one of them. */
gboolean console_screenshot_diary_start (SignpostWindow  *window,
                                         char           **args);

G_END_DECLS
