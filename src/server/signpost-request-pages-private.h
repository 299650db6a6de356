/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-request-form-private.h"

G_BEGIN_DECLS

/* The online request form's pages are built from the parts in
 * signpost-request-html.c: the steps (signpost-request-steps.c) and the
 * pages around them (signpost-request-pages.c) share them here. */

/* One radio of a group. */
typedef struct {
  const char *value;
  const char *label;
  const char *hint;
} Option;

/* How a text input looks and what the browser may fill in. */
typedef struct {
  const char *autocomplete;
  const char *inputmode;
  const char *width;          /* a class: sp-input--width-10 … */
  const char *type;           /* "text", "tel" */
  guint maxlength;
} InputOptions;

/* signpost-request-html.c: the page around the content */
void   form_html_page_begin     (GString            *out,
                                 FormPage           *page,
                                 const char         *title,
                                 gboolean            errors);
char  *form_html_page_end       (GString            *out,
                                 gsize              *length);
void   form_html_heading        (GString            *out,
                                 const char         *size,
                                 const char         *text);
void   form_html_paragraph      (GString            *out,
                                 const char         *text);
void   form_html_inset          (GString            *out,
                                 const char         *text);
void   form_html_urgent_care    (GString            *out);

/* signpost-request-html.c: form parts */
void   form_html_hidden         (GString            *out,
                                 const char         *name,
                                 const char         *value);
void   form_html_form_begin     (GString            *out,
                                 FormPage           *page,
                                 FormDraft          *draft,
                                 FormStep            step);
void   form_html_buttons        (GString            *out,
                                 const char         *primary,
                                 const char         *primary_value,
                                 gboolean            back);
void   form_html_error_summary  (GString            *out,
                                 FormDraft          *draft);
void   form_html_hint           (GString            *out,
                                 const char         *field,
                                 const char         *text);
void   form_html_choices        (GString            *out,
                                 FormDraft          *draft,
                                 const char         *field,
                                 const char         *legend,
                                 gboolean            question_is_heading,
                                 const char         *hint_text,
                                 const Option       *options,
                                 guint               n_options,
                                 gboolean            inline_layout);
void   form_html_text_input     (GString            *out,
                                 FormDraft          *draft,
                                 const char         *field,
                                 const char         *label,
                                 const char         *hint_text,
                                 const InputOptions *options);
void   form_html_textarea       (GString            *out,
                                 FormDraft          *draft,
                                 const char         *field,
                                 const char         *label,
                                 gboolean            label_is_heading,
                                 const char         *hint_text,
                                 guint               rows,
                                 guint               maxlength);
void   form_html_checkbox       (GString            *out,
                                 FormDraft          *draft,
                                 const char         *field,
                                 const char         *label);
void   form_html_date_input     (GString            *out,
                                 FormDraft          *draft,
                                 const char         *legend,
                                 const char         *hint_text);

G_END_DECLS
