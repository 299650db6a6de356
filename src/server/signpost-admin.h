/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* `signpost-server admin …`: @argv[0] is "admin". Returns the exit status. */
int signpost_admin_main (int    argc,
                         char **argv);

G_END_DECLS
