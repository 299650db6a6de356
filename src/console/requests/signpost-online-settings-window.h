/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_ONLINE_SETTINGS_WINDOW (signpost_online_settings_window_get_type ())
G_DECLARE_FINAL_TYPE (SignpostOnlineSettingsWindow, signpost_online_settings_window,
                      SIGNPOST, ONLINE_SETTINGS_WINDOW, AdwWindow)

/*
 * A practice manager's settings for the practice's online request form:
 * opening hours per weekday, bank holidays and closed dates, a daily limit
 * of medical requests, and a pause with a message to patients. What in them
 * would close the form inside core hours (08:00–18:30 on working days,
 * when the contract wants it open) is said as it is typed, and again
 * before saving. Saved through the outbox (an update of the practice's
 * online_* fields): at once, and offline too.
 *
 * Actions: online-settings.save (Ctrl+S); Escape closes without saving.
 */
SignpostOnlineSettingsWindow *signpost_online_settings_window_new      (GtkWindow                    *parent,
                                                                       SignpostActions              *actions,
                                                                       const char                   *practice_id);
/* What would be saved now (NULL and @error when something is not right). */
SignpostPractice             *signpost_online_settings_window_build    (SignpostOnlineSettingsWindow *self,
                                                                       GError                      **error);
/* The warnings shown now, one a line ("" when none). */
const char                   *signpost_online_settings_window_get_warnings (SignpostOnlineSettingsWindow *self);
/* Saves without asking (tests); FALSE with @error when refused. */
gboolean                      signpost_online_settings_window_save     (SignpostOnlineSettingsWindow *self,
                                                                       GError                      **error);

G_END_DECLS
