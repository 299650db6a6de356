/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

void signpost_release_stolen_socket (GObject *owner,
                                     GSocket *socket);

G_END_DECLS
