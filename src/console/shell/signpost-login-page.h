/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_LOGIN_PAGE (signpost_login_page_get_type ())
G_DECLARE_FINAL_TYPE (SignpostLoginPage, signpost_login_page, SIGNPOST, LOGIN_PAGE, AdwBin)

/* Server address, username and password; then, for a user with several
 * roles or practices, which one today. Emits ::signed-in when the engine
 * holds a session (online, or offline from this PC's copy). */
void        signpost_login_page_setup           (SignpostLoginPage  *self,
                                                 SignpostSyncEngine *engine,
                                                 GSettings          *settings);
void        signpost_login_page_sign_in         (SignpostLoginPage  *self,
                                                 const char         *server,
                                                 const char         *username,
                                                 const char         *password);
void        signpost_login_page_reset           (SignpostLoginPage  *self,
                                                 const char         *message);
const char *signpost_login_page_get_error       (SignpostLoginPage  *self);
gboolean    signpost_login_page_get_busy        (SignpostLoginPage  *self);

G_END_DECLS
