/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-call-desk.h"
#include "signpost-call-format.h"
#include "signpost-caller-popup.h"
#include "signpost-patient-format.h"
#include "signpost-patient-query.h"

#define SEARCH_LIMIT 6
#define APPOINTMENTS_SHOWN 3

G_BEGIN_DECLS

/*
 * SignpostCallerPopup is one class over three files sharing this header:
 *
 *   signpost-caller-popup.c          measuring the first paint, showing
 *                                    and hiding, the call at the front
 *                                    of the queue, confirming the caller,
 *                                    keys, following the session, the
 *                                    GObject
 *   signpost-caller-popup-register.c registering a temporary patient
 *   signpost-caller-popup-content.c  what the popup shows: the caller's
 *                                    number, the patients it may be, their
 *                                    requests and appointments
 */

struct _SignpostCallerPopup
{
  AdwBin parent_instance;

  /* template */
  GtkImage *mode_icon;
  GtkLabel *mode_label;
  GtkLabel *number_label;
  GtkStack *content_stack;
  GtkLabel *name_label;
  GtkLabel *identity_label;
  GtkWidget *alerts_box;
  GtkLabel *alerts_label;
  GtkWidget *namesake_box;
  GtkLabel *namesake_label;
  GtkLabel *practice_label;
  GtkLabel *gp_label;
  GtkLabel *requests_label;
  GtkLabel *appointments_label;
  GtkLabel *several_label;
  GtkListBox *household_list;
  GtkLabel *search_label;
  GtkSearchEntry *search_entry;
  GtkCheckButton *include_left_check;
  GtkListBox *results_list;
  AdwEntryRow *given_row;
  AdwEntryRow *family_row;
  AdwEntryRow *dob_row;
  AdwEntryRow *phone_row;
  AdwComboRow *sex_row;
  AdwEntryRow *postcode_row;
  GtkLabel *register_error;
  GtkLabel *hint_label;
  GtkWidget *answer_button;
  GtkWidget *confirm_button;

  SignpostActions    *actions;
  SignpostCallHub *hub;
  SignpostCallDesk *desk;
  SignpostCache *cache;
  SignpostPatientSearchModel *search;  /* unknown and withheld callers */
  GHashTable *audited;                 /* "call|patient" views already reported */

  /* What is shown */
  SignpostCallerPopupMode mode;
  char *call_id;
  char *number;                        /* E.164, NULL when withheld */
  char *practice_id;
  gboolean callback;
  GListStore *patients;                /* the number's matches */
  GListStore *household;               /* the same, when there are several to pick from */
  char *closed_id;                     /* closed by the navigator: not shown again by itself */
  GtkWidget *return_focus;             /* weak: where the keyboard was before F4 / answering */

  GdkFrameClock *frame_clock;
  gulong after_paint_id;
  char *painting_id;
};

/* signpost-caller-popup.c */
void       signpost_caller_popup_set_label          (GtkLabel            *label,
                                                     const char          *text);

void       signpost_caller_popup_link_and_open      (SignpostCallerPopup *self,
                                                     SignpostPatient     *patient);
const char *signpost_caller_popup_practice_in_view  (SignpostCallerPopup *self);

/* signpost-caller-popup-register.c */
void       signpost_caller_popup_register_action    (GtkWidget           *widget,
                                                     const char          *action_name,
                                                     GVariant            *parameter);
void       signpost_caller_popup_search_action      (GtkWidget           *widget,
                                                     const char          *action_name,
                                                     GVariant            *parameter);
void       signpost_caller_popup_save_temporary_action (GtkWidget        *widget,
                                                     const char          *action_name,
                                                     GVariant            *parameter);
void       signpost_caller_popup_on_dob_changed     (SignpostCallerPopup *self);
void       signpost_caller_popup_on_register_entry_activated (SignpostCallerPopup *self);

/* signpost-caller-popup-content.c */
GtkWidget *signpost_caller_popup_create_patient_row (gpointer             item,
                                                     gpointer             user_data);
void       signpost_caller_popup_report_view        (SignpostCallerPopup *self,
                                                     SignpostPatient     *patient);
void       signpost_caller_popup_fill_content       (SignpostCallerPopup *self);
void       signpost_caller_popup_update_header      (SignpostCallerPopup *self);

G_END_DECLS
