/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-window.h"

G_BEGIN_DECLS

/* The diary's screenshot states (console-screenshot diary…); FALSE when
 * args[1] is not one of them. */
gboolean console_screenshot_diary_start (SignpostWindow  *window,
                                         char           **args);

/* The sign-in page's Continue button (a choice of practice), when shown. */
GtkWidget *console_screenshot_find_continue (GtkWidget *widget);

G_END_DECLS
