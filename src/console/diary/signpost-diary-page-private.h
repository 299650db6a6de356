/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-booking-conflict-dialog.h"
#include "signpost-booking-dialog.h"
#include "signpost-day-list-print.h"
#include "signpost-diary-format.h"
#include "signpost-diary-page.h"
#include "signpost-patient-format.h"
#include "signpost-session-dialog.h"
#include "signpost-slot-cell.h"
#include "signpost-slot-popover.h"

G_BEGIN_DECLS

/*
 * SignpostDiaryPage is one class over three files sharing this header:
 *
 *   signpost-diary-page.c          the day and the practice shown,
 *                                  following the session, the finder,
 *                                  the GObject
 *   signpost-diary-page-grid.c     the grid: a column per clinician, a row
 *                                  per time, the cells and their popover
 *   signpost-diary-page-actions.c  what the page does: booking, cancelling,
 *                                  arrived, seen, did not attend, blocking,
 *                                  new sessions, printing, and the booking
 *                                  conflicts that come back
 */

#define CLINICIAN_COLUMN_WIDTH 210

struct _SignpostDiaryPage
{
  AdwBin parent_instance;

  /* template (the bin's own child is not bound: dispose_template would
   * unparent it behind AdwBin's back) */
  AdwToastOverlay *toast_overlay;
  GtkMenuButton *date_button;
  GtkPopover *date_popover;
  GtkCalendar *calendar;
  GtkLabel *day_note_label;
  GtkDropDown *practice_dropdown;
  GtkButton *session_button;
  GtkToggleButton *find_button;
  GtkMenuButton *print_button;
  GtkStack *grid_stack;
  GtkScrolledWindow *grid_scroller;
  GtkColumnView *column_view;
  GtkColumnViewColumn *time_column;
  AdwStatusPage *empty_page;
  GtkRevealer *finder_revealer;
  SignpostSlotFinder *finder;

  SignpostActions    *actions;
  SignpostUser *shown_user;      /* without an actions: signpost_diary_page_show_cache() */
  SignpostCache *cache;
  GListModel *changes;            /* SignpostOutboxItem: this PC's changes */
  SignpostDiaryDay *day;
  GtkNoSelection *selection;
  SignpostSlotPopover *popover;
  GPtrArray *clinician_columns;  /* GtkColumnViewColumn */
  GPtrArray *practice_choices;   /* practice id per dropdown entry after "All" */
  char *date;
  char *today;        /* the practice's date at the last tick */
  char *practice_id;             /* NULL: every practice of the user */

  /* Who is booking, for the rules (cells, finder, popover); now moves on. */
  SignpostSlotBooker booker;
  GDateTime *now;
  GDateTime *clock;          /* the time told by set_now(): where today opens */
  guint scroll_source;       /* a tick callback bringing now into view */
  gboolean scrolled_to_end;  /* its first step taken */
  GStrv booker_practices;
  guint clock_source;

  /* Who a booking is for, when the page was opened for someone. */
  char *context_patient_id;
  char *context_reason;
  char *context_triage_id;
  char *booking_patient_id;

  GHashTable *problems_seen;     /* mutation ids already shown */
  GtkWindow *conflict_dialog;    /* weak */
  char *last_message;
  gboolean finder_open;
  gboolean updating_practices;
  gboolean updating_calendar;
  gboolean practice_chosen;  /* by the user, not by default */
  guint batch;               /* the rows are away while the day changes */
};

/* signpost-diary-page.c */
void          signpost_diary_page_reveal_finder             (SignpostDiaryPage        *self,
                                                             gboolean                  open);
SignpostUser *signpost_diary_page_page_user                 (SignpostDiaryPage        *self);
SignpostRole  signpost_diary_page_get_role                  (SignpostDiaryPage        *self);
GtkWindow    *signpost_diary_page_get_window                (SignpostDiaryPage        *self);
void          signpost_diary_page_show_message              (SignpostDiaryPage        *self,
                                                             const char               *message,
                                                             guint                     timeout);
char         *signpost_diary_page_today_string              (SignpostDiaryPage        *self);
void          signpost_diary_page_update_booker             (SignpostDiaryPage        *self);
void          signpost_diary_page_show_date                 (SignpostDiaryPage        *self,
                                                             const char               *date);
void          signpost_diary_page_move_days                 (SignpostDiaryPage        *self,
                                                             int                       days);

/* signpost-diary-page-grid.c */
void          signpost_diary_page_setup_time_cell           (GtkSignalListItemFactory *factory,
                                                             GtkListItem              *item,
                                                             gpointer                  user_data);
void          signpost_diary_page_bind_time_cell            (GtkSignalListItemFactory *factory,
                                                             GtkListItem              *item,
                                                             gpointer                  user_data);
void          signpost_diary_page_update_print_menu         (SignpostDiaryPage        *self);
void          signpost_diary_page_begin_batch               (SignpostDiaryPage        *self);
void          signpost_diary_page_end_batch                 (SignpostDiaryPage        *self);
void          signpost_diary_page_rebuild_columns           (SignpostDiaryPage        *self);
void          signpost_diary_page_update_day_view           (SignpostDiaryPage        *self);
void          signpost_diary_page_on_columns_changed        (SignpostDiaryPage        *self);
void          signpost_diary_page_on_rows_changed           (SignpostDiaryPage        *self);
gboolean      signpost_diary_page_tick                      (gpointer                  data);

/* signpost-diary-page-actions.c */
void          signpost_diary_page_check_problems            (SignpostDiaryPage        *self);
void          signpost_diary_page_on_outbox_items_changed   (SignpostDiaryPage        *self);
void          signpost_diary_page_on_patient_already_booked (SignpostDiaryPage        *self,
                                                             const char               *patient_id);
void          signpost_diary_page_on_finder_slot_activated  (SignpostDiaryPage        *self,
                                                             SignpostSlot             *slot);
void          signpost_diary_page_previous_day              (GtkWidget                *widget,
                                                             const char               *action_name,
                                                             GVariant                 *parameter);
void          signpost_diary_page_next_day                  (GtkWidget                *widget,
                                                             const char               *action_name,
                                                             GVariant                 *parameter);
void          signpost_diary_page_go_today                  (GtkWidget                *widget,
                                                             const char               *action_name,
                                                             GVariant                 *parameter);
void          signpost_diary_page_go_to_date                (GtkWidget                *widget,
                                                             const char               *action_name,
                                                             GVariant                 *parameter);
void          signpost_diary_page_book_action               (GtkWidget                *widget,
                                                             const char               *action_name,
                                                             GVariant                 *parameter);
void          signpost_diary_page_cancel_action             (GtkWidget                *widget,
                                                             const char               *action_name,
                                                             GVariant                 *parameter);
void          signpost_diary_page_mark_arrived              (GtkWidget                *widget,
                                                             const char               *action_name,
                                                             GVariant                 *parameter);
void          signpost_diary_page_mark_seen                 (GtkWidget                *widget,
                                                             const char               *action_name,
                                                             GVariant                 *parameter);
void          signpost_diary_page_mark_dna                  (GtkWidget                *widget,
                                                             const char               *action_name,
                                                             GVariant                 *parameter);
void          signpost_diary_page_block_action              (GtkWidget                *widget,
                                                             const char               *action_name,
                                                             GVariant                 *parameter);
void          signpost_diary_page_unblock_action            (GtkWidget                *widget,
                                                             const char               *action_name,
                                                             GVariant                 *parameter);
void          signpost_diary_page_new_session               (GtkWidget                *widget,
                                                             const char               *action_name,
                                                             GVariant                 *parameter);
void          signpost_diary_page_print_action              (GtkWidget                *widget,
                                                             const char               *action_name,
                                                             GVariant                 *parameter);


G_END_DECLS
