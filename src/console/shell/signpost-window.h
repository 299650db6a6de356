/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-application.h"
#include "signpost-escalation-banner.h"
#include "signpost-login-page.h"
#include "signpost-patient-search.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_WINDOW (signpost_window_get_type ())
G_DECLARE_FINAL_TYPE (SignpostWindow, signpost_window, SIGNPOST, WINDOW, AdwApplicationWindow)

/* The main window: the login page, then the pages the user's role may use
 * (Queue, Duty list, Diary, Load), the patient search (Ctrl+F), and the
 * banners for offline working, the first download and unsaved changes. */
SignpostWindow        *signpost_window_new                       (SignpostApplication *application);
void                   signpost_window_sign_in                   (SignpostWindow      *self,
                                                                  const char          *server,
                                                                  const char          *username,
                                                                  const char          *password);
SignpostSyncEngine    *signpost_window_get_engine                (SignpostWindow      *self);
SignpostLoginPage     *signpost_window_get_login_page            (SignpostWindow      *self);
SignpostPatientSearch *signpost_window_get_patient_search        (SignpostWindow      *self);
gboolean               signpost_window_get_signed_in             (SignpostWindow      *self);
gboolean               signpost_window_get_offline_banner_shown  (SignpostWindow      *self);
const char            *signpost_window_get_offline_text          (SignpostWindow      *self);
SignpostEscalationBanner *signpost_window_get_escalation_banner (SignpostWindow      *self);
GStrv                  signpost_window_list_visible_pages        (SignpostWindow      *self);
const char            *signpost_window_get_visible_page          (SignpostWindow      *self);

G_END_DECLS
