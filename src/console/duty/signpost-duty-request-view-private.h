/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-duty-request-view.h"

G_BEGIN_DECLS

/*
 * SignpostDutyRequestView is one class over two files sharing this header:
 *
 *   signpost-duty-request-view.c          showing the request, who has it
 *                                         open, following the cache and
 *                                         the outbox, the GObject
 *   signpost-duty-request-view-actions.c  the duty doctor's commands
 */

struct _SignpostDutyRequestView
{
  AdwBin parent_instance;

  GtkRevealer *claim_revealer;
  GtkLabel *claim_label;
  GtkWidget *take_over_button;
  GtkRevealer *conflict_revealer;
  GtkLabel *conflict_label;
  GtkImage *urgency_icon;
  GtkLabel *badge_label;
  GtkLabel *name_label;
  GtkLabel *patient_label;
  GtkLabel *alerts_label;
  GtkLabel *waited_label;
  GtkLabel *contact_label;
  GtkLabel *reason_label;
  GtkLabel *flags_label;
  GtkLabel *notes_label;
  GtkLabel *routed_label;
  GtkLabel *previous_label;
  GtkTextView *duty_notes_view;
  GtkLabel *state_label;
  GtkWidget *clinical_heading;
  GtkWidget *clinical_scroller;
  GtkWidget *actions_box;
  GtkWidget *edit_button;

  SignpostActions    *actions;
  SignpostCache *cache;
  GListModel *changes;          /* SignpostOutboxItem: this PC's changes */
  SignpostTriage *triage;       /* as the cache has it now */
  char *triage_id;
  const char *urgency_class;
  char *conflict_mutation_id;
  gboolean loading;
  gboolean notes_dirty;
  GDateTime *notes_saved_at;     /* by Ctrl+S or Save Notes, for this request */
  guint tick_source;
};

/* signpost-duty-request-view.c */
void signpost_duty_request_view_claim (SignpostDutyRequestView *self);
char *signpost_duty_request_view_current_name (SignpostDutyRequestView *self);
void signpost_duty_request_view_fill (SignpostDutyRequestView *self);
SignpostPatient *signpost_duty_request_view_get_patient (SignpostDutyRequestView *self);
char *signpost_duty_request_view_local_time (SignpostDutyRequestView *self, GDateTime *instant, const char *format);
const char *signpost_duty_request_view_my_user_id (SignpostDutyRequestView *self);
char *signpost_duty_request_view_patient_name (SignpostDutyRequestView *self, SignpostPatient *patient);
void signpost_duty_request_view_show_error (SignpostDutyRequestView *self, GError *error);
char *signpost_duty_request_view_text_view_get_text (GtkTextView *view);
void signpost_duty_request_view_emit_finished (SignpostDutyRequestView *self, const char *label);

/* signpost-duty-request-view-actions.c */
void signpost_duty_request_view_save_notes_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void signpost_duty_request_view_call_back_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void signpost_duty_request_view_book_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void signpost_duty_request_view_close_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void signpost_duty_request_view_send_back_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void signpost_duty_request_view_edit_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void signpost_duty_request_view_take_over_action (GtkWidget *widget, const char *action_name, GVariant *parameter);
void signpost_duty_request_view_merge_notes_action (GtkWidget *widget, const char *action_name, GVariant *parameter);

G_END_DECLS
