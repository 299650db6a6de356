/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-chart-panel.h"
#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_LOAD_PAGE (signpost_load_page_get_type ())
G_DECLARE_FINAL_TYPE (SignpostLoadPage, signpost_load_page, SIGNPOST, LOAD_PAGE, AdwBin)

/*
 * The practice manager's load dashboard (managers and administrators
 * only; aggregate numbers, never a patient). A day of one practice, today
 * live or any past day: the headline numbers, calls and waits through the
 * day, appointments by clinician, navigation by route and urgency; the
 * staffing view (Erlang C against those on the phones, for a target the
 * manager sets); the same weekday of the four weeks before as a line;
 * exports as CSV. Figures come from the server (/stats/day,
 * /stats/staffing, /stats/cbt-export) through the actions.
 *
 * Live: while today is shown, call events ask for /stats/day again, at
 * most every few seconds; only the charts whose numbers changed redraw.
 *
 * Actions (load.*): previous-day, next-day (Alt+Left/Right), previous-week,
 * next-week (Alt+Shift+Left/Right), today (Alt+Home), choose-date (Ctrl+D),
 * refresh (F5, Ctrl+R), export-day (Ctrl+S), export-cbt (Ctrl+Shift+S),
 * compare (the line of the last four weeks), show-view ("day", "staffing").
 */

/* The headline numbers by name, as on screen. */
#define SIGNPOST_LOAD_HEADLINE_CALLS     "calls"
#define SIGNPOST_LOAD_HEADLINE_ANSWERED  "answered"
#define SIGNPOST_LOAD_HEADLINE_ABANDONED "abandoned"
#define SIGNPOST_LOAD_HEADLINE_LONGEST   "longest"
#define SIGNPOST_LOAD_HEADLINE_CALLBACKS "callbacks"

SignpostActions    *signpost_load_page_get_actions          (SignpostLoadPage   *self);
void                signpost_load_page_set_actions          (SignpostLoadPage   *self,
                                                            SignpostActions    *actions);

const char         *signpost_load_page_get_practice_id     (SignpostLoadPage   *self);
void                signpost_load_page_set_practice_id     (SignpostLoadPage   *self,
                                                            const char         *practice_id);
/* The local day shown, "2026-11-16". */
char               *signpost_load_page_dup_date            (SignpostLoadPage   *self);
void                signpost_load_page_set_date            (SignpostLoadPage   *self,
                                                            const GDate        *date);
gboolean            signpost_load_page_get_live            (SignpostLoadPage   *self);
void                signpost_load_page_set_view            (SignpostLoadPage   *self,
                                                            const char         *view);
void                signpost_load_page_set_compare         (SignpostLoadPage   *self,
                                                            gboolean            compare);
/* The staffing target: @target in (0, 1), within @within_s seconds, with a
 * handling time of @aht_s seconds (NaN: the day's measured one). */
void                signpost_load_page_set_staffing_target (SignpostLoadPage   *self,
                                                            double              target,
                                                            double              within_s,
                                                            double              aht_s);

/* Nothing being fetched or waiting to be, and the figures for the day
 * shown are on screen (and the staffing and comparison, when shown). */
gboolean            signpost_load_page_get_settled         (SignpostLoadPage   *self);
const char         *signpost_load_page_get_error           (SignpostLoadPage   *self);
guint               signpost_load_page_get_n_day_requests  (SignpostLoadPage   *self);
/* "Live, updated 08:42:10", or what the page says of a past day. */
const char         *signpost_load_page_get_status          (SignpostLoadPage   *self);
void                signpost_load_page_set_live_refresh_ms (SignpostLoadPage   *self,
                                                            guint               ms);
const char         *signpost_load_page_get_headline        (SignpostLoadPage   *self,
                                                            const char         *name);
/* "calls", "waits", "appointments", "triage" or "staffing". */
SignpostChartPanel *signpost_load_page_get_panel           (SignpostLoadPage   *self,
                                                            const char         *name);

void                signpost_load_page_save_day_csv_async  (SignpostLoadPage   *self,
                                                            GFile              *file,
                                                            GCancellable       *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer            user_data);
gboolean            signpost_load_page_save_day_csv_finish (SignpostLoadPage   *self,
                                                            GAsyncResult       *result,
                                                            GError            **error);
void                signpost_load_page_save_cbt_csv_async  (SignpostLoadPage   *self,
                                                            GFile              *file,
                                                            GCancellable       *cancellable,
                                                            GAsyncReadyCallback callback,
                                                            gpointer            user_data);
gboolean            signpost_load_page_save_cbt_csv_finish (SignpostLoadPage   *self,
                                                            GAsyncResult       *result,
                                                            GError            **error);

G_END_DECLS
