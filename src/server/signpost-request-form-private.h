/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-navigation.h"
#include "signpost-online-rules.h"
#include "signpost-request-form.h"

G_BEGIN_DECLS

/* The steps of the form, in order. A step's answers travel on to the
 * later pages as hidden fields: nothing is kept on the server until the
 * request is sent. */
typedef enum {
  FORM_STEP_START,
  FORM_STEP_AGE,
  FORM_STEP_EMERGENCY,
  FORM_STEP_WHO,
  FORM_STEP_ABOUT_YOU,
  FORM_STEP_PATIENT,
  FORM_STEP_TYPE,
  FORM_STEP_DETAILS,
  FORM_STEP_CONTACT,
  FORM_STEP_CHECK,
  FORM_N_STEPS
} FormStep;

/* What one visitor has answered so far, and what is wrong with it. */
typedef struct {
  GHashTable *values;            /* field name → value, both owned */
  GHashTable *errors;            /* field name → message */
  GPtrArray *error_fields;       /* in page order */
  char *notice;                  /* a sentence above the question, or NULL */
} FormDraft;

/* The practice and visitor a page is for. */
typedef struct {
  SignpostPractice *practice;
  const char *ods;
  const char *csrf_token;
  SignpostOnlineState *state;
  GDateTime *now;
} FormPage;

/* signpost-request-form.c */
const char  *form_step_name             (FormStep        step);
gboolean     form_step_from_name        (const char     *name,
                                         FormStep       *step);
const char  *form_draft_get             (FormDraft      *draft,
                                         const char     *field);
void         form_draft_error           (FormDraft      *draft,
                                         const char     *field,
                                         const char     *message);
GPtrArray   *form_flags_to_ask          (FormDraft      *draft,
                                         GDateTime      *now,
                                         GTimeZone      *tz);
gboolean     form_field_belongs         (const char     *field,
                                         FormStep        step);

/* signpost-request-answers.c */
void         form_draft_init            (FormDraft      *draft);
void         form_draft_clear           (FormDraft      *draft);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (FormDraft, form_draft_clear)
void         form_draft_reset_errors    (FormDraft      *draft);
gboolean     form_step_applies               (FormDraft      *draft,
                                         FormStep        step);
gboolean     form_validate_step              (FormDraft      *draft,
                                         FormStep        step,
                                         GDateTime      *now,
                                         GTimeZone      *tz);
gboolean     form_any_flag_yes               (FormDraft      *draft,
                                         GDateTime      *now,
                                         GTimeZone      *tz,
                                         GPtrArray      *yes);
FormStep     form_first_incomplete           (FormDraft      *draft,
                                         FormStep        from,
                                         FormStep        to,
                                         GDateTime      *now,
                                         GTimeZone      *tz);
SignpostOnlineRequest *form_draft_to_request (FormDraft      *draft,
                                         GDateTime      *now,
                                         GTimeZone      *tz,
                                         GError        **error);

/* signpost-request-steps.c */
char        *form_page_step             (FormPage       *page,
                                         FormDraft      *draft,
                                         FormStep        step,
                                         gsize          *length);

/* signpost-request-pages.c */
char        *form_page_start            (FormPage       *page,
                                         const char     *submission,
                                         gsize          *length);
char        *form_page_closed           (FormPage       *page,
                                         gboolean        medical_only,
                                         gsize          *length);
char        *form_page_stop             (FormPage       *page,
                                         GPtrArray      *flags,
                                         gsize          *length);
char        *form_page_sent             (FormPage       *page,
                                         SignpostTriage *triage,
                                         gsize          *length);
char        *form_page_problem          (FormPage       *page,
                                         guint           status,
                                         const char     *title,
                                         const char     *text,
                                         gboolean        start_again,
                                         gsize          *length);
char        *form_format_when           (GDateTime      *instant,
                                         GTimeZone      *tz,
                                         GDateTime      *now);
char        *form_practice_phone        (SignpostPractice *practice);

G_END_DECLS
