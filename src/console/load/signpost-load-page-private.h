/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-bar-chart.h"
#include "signpost-chart-panel.h"
#include "signpost-chart-scale.h"
#include "signpost-line-chart.h"
#include "signpost-load-csv.h"
#include "signpost-load-online.h"
#include "signpost-load-page.h"
#include "signpost-load-stats.h"

G_BEGIN_DECLS

/*
 * SignpostLoadPage is one class over four files sharing this header:
 *
 *   signpost-load-page.c          who may look, the day and practice
 *                                 shown, the status line, the template's
 *                                 callbacks, the page's actions, the
 *                                 GObject
 *   signpost-load-page-fetch.c    asking for the day's figures, staffing
 *                                 and the weeks to compare, and asking
 *                                 again as call events arrive
 *   signpost-load-page-figures.c  putting the numbers up: headlines,
 *                                 charts and their tables
 *   signpost-load-page-export.c   saving a day's CSV and the month's
 *                                 telephony figures
 */

/* While today is shown, /stats/day again at most this often as call events
 * arrive, and never before a burst of them has had a moment to land. */
#define REFRESH_MIN_INTERVAL_MS 3000
#define REFRESH_BATCH_MS 300
/* Today's figures are fetched again at least this often while the page is
 * in sight, calls or none: what is booked, and how long callers have
 * waited, move on without a call event. */
#define LIVE_REFRESH_MS (60 * 1000)
/* A new staffing target once the manager stops turning the spin button. */
#define TARGET_SETTLE_MS 400
#define CALENDAR_SETTLE_MS 250
#define COMPARE_WEEKS 4
/* The opening hours always drawn, by the practice's clock. */
#define OPEN_MINUTE (8 * 60)
#define CLOSE_MINUTE (18 * 60 + 30)

/* Series of each chart, in the order of the .ui file. */
enum { CALLS_ANSWERED, CALLS_CALLBACK, CALLS_ABANDONED, CALLS_MISSED, CALLS_WAITING, CALLS_AVERAGE,
       CALLS_OFFERED, CALLS_SERVICE_LEVEL, N_CALLS_SERIES };
enum { WAITS_MEAN, WAITS_LONGEST, WAITS_ABANDON, WAITS_TALK, N_WAITS_SERIES };
enum { APPOINTMENTS_BOOKED, APPOINTMENTS_UNBOOKED, APPOINTMENTS_OFFERED, APPOINTMENTS_USED,
       APPOINTMENTS_DNA, N_APPOINTMENTS_SERIES };
enum { TRIAGE_EMERGENCY, TRIAGE_SAME_DAY, TRIAGE_WEEKS, TRIAGE_ROUTINE, TRIAGE_NO_URGENCY,
       TRIAGE_BOOKED, TRIAGE_SIGNPOSTED, TRIAGE_DUTY, TRIAGE_OPEN, TRIAGE_DONE, N_TRIAGE_SERIES };
enum { STAFF_ON_PHONES, STAFF_NEEDED, STAFF_SHORT, STAFF_OFFERED, STAFF_AHT, STAFF_TRAFFIC,
       N_STAFF_SERIES };

struct _SignpostLoadPage
{
  AdwBin parent_instance;

  /* template */
  GtkDropDown *practice_dropdown;
  GtkMenuButton *date_button;
  GtkPopover *date_popover;
  GtkCalendar *calendar;
  GtkImage *status_icon;
  GtkLabel *status_label;
  GtkSpinner *spinner;
  GtkRevealer *error_revealer;
  GtkLabel *error_label;
  GtkStack *view_stack;
  GtkWidget *calls_card;
  GtkWidget *answered_card;
  GtkWidget *abandoned_card;
  GtkWidget *longest_card;
  GtkWidget *callbacks_card;
  GtkLabel *calls_value;
  GtkLabel *calls_detail;
  GtkLabel *answered_value;
  GtkLabel *answered_detail;
  GtkLabel *abandoned_value;
  GtkLabel *abandoned_detail;
  GtkLabel *longest_value;
  GtkLabel *longest_detail;
  GtkLabel *callbacks_value;
  GtkLabel *callbacks_detail;
  SignpostChartPanel *calls_panel;
  SignpostChartPanel *waits_panel;
  SignpostChartPanel *appointments_panel;
  SignpostChartPanel *triage_panel;
  SignpostChartPanel *staffing_panel;
  SignpostLoadOnline *online_section;
  SignpostChart *calls_chart;
  SignpostChart *waits_chart;
  SignpostChart *appointments_chart;
  SignpostChart *triage_chart;
  SignpostChart *staffing_chart;
  SignpostChartSeries *average_series;
  GtkCheckButton *compare_check;
  GtkSpinButton *target_spin;
  GtkSpinButton *within_spin;
  GtkCheckButton *aht_check;
  GtkSpinButton *aht_spin;
  GtkLabel *aht_label;
  GtkLabel *staffing_summary;

  SignpostActions    *actions;
  SignpostCallHub *call_hub;
  GCancellable *cancellable;      /* everything; cancelled on dispose */
  GCancellable *day_cancellable;  /* the day shown; replaced when it changes */
  guint generation;               /* of the day shown */

  char *practice_id;
  GTimeZone *tz;
  GDate date;
  gboolean compare;

  SignpostDayStats *day;
  SignpostStaffingStats *staffing;
  GHashTable *past_days; /* "practice date" → SignpostDayStats */

  gboolean day_busy;
  gboolean day_again;
  gboolean day_stale;
  gboolean staffing_busy;
  gboolean staffing_again;
  gboolean staffing_stale;
  guint compare_busy;
  guint refresh_id;
  guint live_id;                /* the minute tick while today is in sight */
  guint live_refresh_ms;
  guint target_id;
  guint calendar_id;
  gboolean calendar_browsing;
  gint64 last_day_request_us;
  guint n_day_requests;
  char *error;
  GDateTime *updated_at; /* when the day's figures last came */
  gboolean quiet; /* setting the calendar or the drop-down ourselves */
};

/* signpost-load-page.c */
gboolean          signpost_load_page_is_allowed          (SignpostLoadPage  *self);
gboolean          signpost_load_page_staffing_shown      (SignpostLoadPage  *self);
gboolean          signpost_load_page_is_live             (SignpostLoadPage  *self);
char             *signpost_load_page_date_text           (const GDate       *date);
void              signpost_load_page_set_text            (GtkLabel          *label,
                                                          const char        *text);
void              signpost_load_page_update_date_widgets (SignpostLoadPage  *self);
void              signpost_load_page_set_error           (SignpostLoadPage  *self,
                                                          const char        *message);
gboolean          signpost_load_page_compare_ready       (SignpostLoadPage  *self,
                                                          GPtrArray         *days);
void              signpost_load_page_update_status       (SignpostLoadPage  *self);
SignpostPractice *signpost_load_page_find_practice       (SignpostLoadPage  *self,
                                                          const char        *id,
                                                          guint             *position);

/* signpost-load-page-fetch.c */
void              signpost_load_page_load_day            (SignpostLoadPage  *self);
void              signpost_load_page_start_live_tick     (SignpostLoadPage  *self);
void              signpost_load_page_on_call_event       (SignpostLoadPage  *self,
                                                          SignpostCallEvent *event);
void              signpost_load_page_load_staffing       (SignpostLoadPage  *self);
void              signpost_load_page_load_compare        (SignpostLoadPage  *self);
void              signpost_load_page_load_visible        (SignpostLoadPage  *self);
void              signpost_load_page_reset_day           (SignpostLoadPage  *self);
void              signpost_load_page_show_date           (SignpostLoadPage  *self,
                                                          const GDate       *date);
void              signpost_load_page_move_days           (SignpostLoadPage  *self,
                                                          int                days);

/* signpost-load-page-figures.c */
void              signpost_load_page_apply_day           (SignpostLoadPage  *self);
void              signpost_load_page_apply_staffing      (SignpostLoadPage  *self);

/* signpost-load-page-export.c */
void              signpost_load_page_choose_file         (SignpostLoadPage  *self,
                                                          gboolean           day);


G_END_DECLS
