/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-call-desk.h"
#include "signpost-call-format.h"
#include "signpost-call-row.h"
#include "signpost-failed-contacts.h"
#include "signpost-patient-format.h"
#include "signpost-queue-page.h"
#include "signpost-ticker.h"

/* After a burst of call events, /queue is asked once. */
#define FIGURES_DELAY_MS 500

G_BEGIN_DECLS

/*
 * SignpostQueuePage is one class over three files sharing this header:
 *
 *   signpost-queue-page.c           the queue: who is calling, places,
 *                                   the rows, this navigator's call,
 *                                   following the session, F2, F3 and
 *                                   F4 put on the window while the page
 *                                   is in it, the GObject
 *   signpost-queue-page-figures.c   the figures over the lists: holding,
 *                                   callbacks, on calls, the longest
 *                                   wait, and calls answered today
 *                                   (asked of /queue)
 *   signpost-queue-page-commands.c  answering, ending and completing
 *                                   calls, and showing the caller
 */

typedef struct {
  char *text;
  gboolean known;
} Caller;

struct _SignpostQueuePage
{
  AdwBin parent_instance;

  /* template */
  AdwStatusPage *offline_page;
  GtkLabel *waiting_value;
  GtkWidget *longest_tile;
  GtkImage *longest_icon;
  GtkLabel *longest_value;
  GtkLabel *callbacks_value;
  GtkLabel *answered_value;
  GtkLabel *on_calls_value;
  GtkWidget *my_call_bar;
  GtkWidget *answer_button;
  GtkImage *my_call_icon;
  GtkLabel *my_call_label;
  GtkWidget *show_caller_button;
  GtkWidget *reached_button;
  GtkWidget *no_answer_button;
  GtkWidget *end_button;
  GtkLabel *waiting_heading;
  GtkWidget *practice_header;
  GtkStack *waiting_stack;
  GtkListView *waiting_view;
  GtkLabel *callbacks_heading;
  GtkStack *callbacks_stack;
  GtkListView *callbacks_view;
  GtkLabel *in_progress_heading;
  GtkStack *in_progress_stack;
  GtkListView *in_progress_view;
  GtkLabel *failed_value;
  SignpostFailedContacts *failed_contacts;

  SignpostActions    *actions;
  SignpostCallHub *hub;
  SignpostCallDesk *desk;
  SignpostCache *cache;
  SignpostCallListModel *waiting;
  SignpostCallListModel *callbacks;
  SignpostCallListModel *in_progress;
  GtkSingleSelection *waiting_selection;
  GtkSingleSelection *callbacks_selection;
  GtkNoSelection *in_progress_selection;

  GHashTable *callers;       /* number → Caller: one lookup per number, not per bind */
  GHashTable *user_names;    /* user id → display name */
  GHashTable *bound;         /* SignpostCallRow → GtkListItem, rows on screen */
  gboolean several_practices;
  SignpostWaitLevel longest_level;
  SignpostCall *my_call;     /* the desk's current call, followed for its changes */

  GtkEventController *window_keys;  /* on the window, while the page is in it */
  GCancellable *cancellable;
  guint positions_id;
  guint figures_id;
  guint figures_timeout_id;
  guint n_queue_requests;
  gint64 answered_today;
  gint64 answered_sum;
  gboolean answered_known;
  char *notice;
  char *last_outcome;        /* what became of this navigator's last callback, until the next call */
};

/* signpost-queue-page.c */
void     signpost_queue_page_set_label              (GtkLabel          *label,
                                                     const char        *text);
void     signpost_queue_page_tell                   (SignpostQueuePage *self,
                                                     const char        *message);
void     signpost_queue_page_set_last_outcome       (SignpostQueuePage *self,
                                                     const char        *outcome);

/* signpost-queue-page-figures.c */
void     signpost_queue_page_update_longest         (SignpostQueuePage *self);
gboolean signpost_queue_page_update_figures         (gpointer           data);
void     signpost_queue_page_schedule_figures       (SignpostQueuePage *self);
void     signpost_queue_page_schedule_fetch         (SignpostQueuePage *self);

/* signpost-queue-page-commands.c */
void     signpost_queue_page_answered               (GObject           *source,
                                                     GAsyncResult      *result,
                                                     gpointer           user_data);
gboolean signpost_queue_page_may_answer             (SignpostQueuePage *self);
void     signpost_queue_page_send_answer            (SignpostQueuePage *self,
                                                     const char        *call_id);
void     signpost_queue_page_answer_next_action     (GtkWidget         *widget,
                                                     const char        *action_name,
                                                     GVariant          *parameter);
void     signpost_queue_page_answer_action          (GtkWidget         *widget,
                                                     const char        *action_name,
                                                     GVariant          *parameter);
void     signpost_queue_page_on_waiting_activate    (SignpostQueuePage *self,
                                                     guint              position);
void     signpost_queue_page_on_callbacks_activate  (SignpostQueuePage *self,
                                                     guint              position);
void     signpost_queue_page_end_call_action        (GtkWidget         *widget,
                                                     const char        *action_name,
                                                     GVariant          *parameter);
void     signpost_queue_page_show_caller_action     (GtkWidget         *widget,
                                                     const char        *action_name,
                                                     GVariant          *parameter);
void     signpost_queue_page_complete_action        (GtkWidget         *widget,
                                                     const char        *action_name,
                                                     GVariant          *parameter);

G_END_DECLS
