/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <glib/gi18n-lib.h>

#include "signpost-html.h"
#include "signpost-request-pages-private.h"

/*
 * The online request form's pages around the steps: the start page, the
 * form closed, the emergency stop, the request sent and a problem. Plain
 * English; everything that is not a literal of this file is escaped.
 */

/* ---- words ----------------------------------------------------------------- */

char *
form_practice_phone (SignpostPractice *practice)
{
  const char * const *lines = practice ? signpost_practice_get_lines (practice) : NULL;

  if (lines == NULL || lines[0] == NULL)
    return NULL;
  return signpost_phone_format (lines[0]);
}

/* "8am", "6:30pm" */
static char *
clock_time (GDateTime *local)
{
  int hour = g_date_time_get_hour (local), minute = g_date_time_get_minute (local);
  int twelve = hour % 12 == 0 ? 12 : hour % 12;
  const char *suffix = hour < 12 ? "am" : "pm";

  if (hour == 0 && minute == 0)
    return g_strdup (_("midnight"));
  if (hour == 12 && minute == 0)
    return g_strdup (_("midday"));
  if (minute == 0)
    return g_strdup_printf ("%d%s", twelve, suffix);
  return g_strdup_printf ("%d:%02d%s", twelve, minute, suffix);
}

/* "8am today", "6:30pm tomorrow", "8am on Monday 23 November" */
char *
form_format_when (GDateTime *instant,
                  GTimeZone *tz,
                  GDateTime *now)
{
  g_autoptr(GDateTime) local = g_date_time_to_timezone (instant, tz);
  g_autofree char *time = clock_time (local);
  g_autofree char *day = NULL;
  GDate date, today;
  int days;

  signpost_local_date (instant, tz, &date);
  signpost_local_date (now, tz, &today);
  days = (int) g_date_get_julian (&date) - (int) g_date_get_julian (&today);
  if (days == 0)
    /* Translators: a time, then "today": "8am today" */
    return g_strdup_printf (_("%s today"), time);
  if (days == 1)
    return g_strdup_printf (_("%s tomorrow"), time);
  day = g_date_time_format (local, "%A %-d %B");
  /* Translators: a time and a day: "8am on Monday 23 November" */
  return g_strdup_printf (_("%s on %s"), time, day);
}

/* ---- other pages ------------------------------------------------------------- */

static void
opening_sentence (GString             *out,
                  FormPage            *page,
                  GTimeZone           *tz)
{
  if (page->state != NULL && page->state->closes_at != NULL)
    {
      g_autofree char *when = form_format_when (page->state->closes_at, tz, page->now);
      /* Translators: "Open until 6:30pm today" */
      g_autofree char *text = g_strdup_printf (_("This form is open until %s."), when);

      form_html_paragraph (out, text);
    }
}

char *
form_page_start (FormPage   *page,
                 const char *submission,
                 gsize      *length)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GTimeZone) tz = signpost_online_practice_time_zone (page->practice);
  g_autofree char *title = g_strdup_printf (_("Ask %s for help online"),
                                            signpost_practice_get_name (page->practice));

  form_html_page_begin (out, page, title, FALSE);
  form_html_heading (out, "xl", title);
  form_html_paragraph (out, _("Use this form to ask about a medical problem, or for admin help such as a repeat "
                    "prescription, a fit note, test results or a letter."));
  form_html_paragraph (out, _("It takes about 5 minutes. You can use it for yourself, or for someone you care "
                    "for. We will contact you by the end of the next working day."));
  opening_sentence (out, page, tz);
  if (page->state != NULL && page->state->medical_full)
    {
      g_autofree char *when = page->state->opens_at ? form_format_when (page->state->opens_at, tz, page->now)
                                                    : NULL;
      g_autofree char *text = when
        ? g_strdup_printf (_("We cannot take any more medical requests online today. You can still "
                             "send an admin request. Medical requests open again at %s."), when)
        : g_strdup (_("We cannot take any more medical requests online today. You can still send "
                      "an admin request."));

      form_html_inset (out, text);
    }
  form_html_urgent_care (out);
  form_html_form_begin (out, page, NULL, FORM_STEP_START);
  form_html_hidden (out, "submission", submission);
  form_html_buttons (out, _("Start now"), "continue", FALSE);
  return form_html_page_end (out, length);
}

char *
form_page_closed (FormPage *page,
                  gboolean  medical_only,
                  gsize    *length)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GTimeZone) tz = signpost_online_practice_time_zone (page->practice);
  g_autofree char *phone = form_practice_phone (page->practice);
  SignpostOnlineState *state = page->state;
  const char *title = medical_only ? _("We cannot take more medical requests online today")
                                   : _("Online requests are closed at the moment");

  form_html_page_begin (out, page, title, FALSE);
  form_html_heading (out, "l", title);
  if (!medical_only && state != NULL && state->status == SIGNPOST_ONLINE_PAUSED)
    {
      const char *message = signpost_practice_get_online_pause_message (page->practice);

      if (message != NULL && *message != '\0')
        {
          g_string_append (out, "<div class=\"sp-inset\"><p>");
          signpost_html_lines (out, message);
          g_string_append (out, "</p></div>\n");
        }
      form_html_paragraph (out, _("The practice has paused online requests for now. Please try again later."));
    }
  else
    {
      g_autofree char *when = state && state->opens_at ? form_format_when (state->opens_at, tz, page->now)
                                                       : NULL;
      g_autofree char *text = NULL;

      if (!medical_only && state != NULL && state->bank_holiday != NULL)
        {
          g_autofree char *holiday = g_strdup_printf (_("The practice is closed for %s."), state->bank_holiday);
          form_html_paragraph (out, holiday);
        }
      if (medical_only)
        form_html_paragraph (out, _("The practice has had as many medical requests today as it can deal with "
                          "safely online. You can still send an admin request, such as a repeat "
                          "prescription."));
      if (when != NULL)
        text = g_strdup_printf (medical_only ? _("Medical requests open again at %s.")
                                             : _("You can send a request from %s."), when);
      if (text != NULL)
        form_html_paragraph (out, text);
    }
  g_string_append (out, "<h2 class=\"sp-heading-m\">");
  signpost_html_text (out, _("What you can do now"));
  g_string_append (out, "</h2>\n<ul class=\"sp-list sp-list--bullet\">\n<li>");
  if (phone != NULL)
    {
      g_autofree char *text = g_strdup_printf (_("If the practice is open, phone it on %s."), phone);
      signpost_html_text (out, text);
    }
  else
    signpost_html_text (out, _("If the practice is open, phone it."));
  g_string_append (out, "</li>\n<li>");
  signpost_html_text (out, _("If you need help urgently, call 111 or go to 111.nhs.uk. It is open "
                             "24 hours a day."));
  g_string_append (out, "</li>\n<li>");
  signpost_html_text (out, _("For many common problems, a pharmacist can help without an appointment."));
  g_string_append (out, "</li>\n<li><strong>");
  signpost_html_text (out, _("In an emergency, call 999."));
  g_string_append (out, "</strong></li>\n</ul>\n");
  return form_html_page_end (out, length);
}

char *
form_page_stop (FormPage  *page,
                GPtrArray *flags,
                gsize     *length)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) keys = NULL;
  g_autofree char *phone = form_practice_phone (page->practice);
  SignpostOnlineStop stop;
  gboolean suicidal = FALSE;
  const char *title;

  for (guint i = 0; i < flags->len; i++)
    {
      const SignpostRedFlag *flag = g_ptr_array_index (flags, i);

      g_strv_builder_add (builder, flag->key);
      suicidal |= g_str_equal (flag->key, "suicidal_intent");
    }
  keys = g_strv_builder_end (builder);
  stop = signpost_navigation_online_stop ((const char * const *) keys);
  title = stop == SIGNPOST_ONLINE_STOP_999 ? _("Call 999 now") : _("Call 111 now");

  form_html_page_begin (out, page, title, FALSE);
  g_string_append (out, "<div class=\"sp-care-card sp-care-card--emergency\">\n");
  form_html_heading (out, "l", title);
  if (stop == SIGNPOST_ONLINE_STOP_999)
    form_html_paragraph (out, _("Call 999 and tell them what is happening. If you cannot call, ask someone "
                      "else to call for you."));
  else
    {
      g_autofree char *text = phone
        ? g_strdup_printf (_("Call 111, or phone the practice on %s if it is open. Tell them what you "
                             "told us."), phone)
        : g_strdup (_("Call 111, or phone the practice if it is open. Tell them what you told us."));

      form_html_paragraph (out, text);
      if (suicidal)
        form_html_paragraph (out, _("When you call 111, choose the mental health option. If the person is in "
                          "danger right now, call 999. You can also call Samaritans free on 116 123, "
                          "day or night."));
      else
        form_html_paragraph (out, _("If things get worse, call 999."));
    }
  g_string_append (out, "</div>\n<h2 class=\"sp-heading-m\">");
  signpost_html_text (out, _("Why we cannot take this request online"));
  g_string_append (out, "</h2>\n");
  form_html_paragraph (out, _("You told us about:"));
  g_string_append (out, "<ul class=\"sp-list sp-list--bullet\">\n");
  for (guint i = 0; i < flags->len; i++)
    {
      const SignpostRedFlag *flag = g_ptr_array_index (flags, i);

      g_string_append (out, "<li>");
      signpost_html_text (out, signpost_red_flag_get_question (flag));
      g_string_append (out, ". ");
      signpost_html_text (out, signpost_red_flag_get_why (flag));
      g_string_append (out, "</li>\n");
    }
  g_string_append (out, "</ul>\n");
  form_html_paragraph (out, _("An online request waits to be read, and this needs help straight away. We have "
                    "not sent your answers to the practice."));
  return form_html_page_end (out, length);
}

char *
form_page_sent (FormPage       *page,
                SignpostTriage *triage,
                gsize          *length)
{
  GString *out = g_string_new (NULL);
  g_autoptr(GTimeZone) tz = signpost_online_practice_time_zone (page->practice);
  GDateTime *respond_by = signpost_triage_get_respond_by (triage);
  g_autofree char *when = respond_by ? form_format_when (respond_by, tz, page->now) : NULL;
  g_autofree char *next = NULL;

  form_html_page_begin (out, page, _("Request sent"), FALSE);
  g_string_append (out, "<div class=\"sp-panel\">\n<h1 class=\"sp-panel__title\">");
  signpost_html_text (out, _("Request sent"));
  g_string_append (out, "</h1>\n<div class=\"sp-panel__body\">");
  signpost_html_text (out, _("Your reference number is"));
  g_string_append (out, "<br><strong class=\"sp-reference\">");
  signpost_html_text (out, signpost_triage_get_reference (triage));
  g_string_append (out, "</strong></div>\n</div>\n");
  form_html_paragraph (out, _("Write this down, or take a screenshot. Give it if you contact the practice about "
                    "this request."));
  g_string_append (out, "<h2 class=\"sp-heading-m\">");
  signpost_html_text (out, _("What happens next"));
  g_string_append (out, "</h2>\n");
  form_html_paragraph (out, _("Someone at the practice will read your request and decide who is best to help."));
  next = when ? g_strdup_printf (_("We will contact you by %s to tell you what happens next."), when)
              : g_strdup (_("We will contact you by the end of the next working day."));
  form_html_paragraph (out, next);
  form_html_paragraph (out, _("If you do not hear from us by then, phone the practice."));
  form_html_urgent_care (out);
  return form_html_page_end (out, length);
}

char *
form_page_problem (FormPage   *page,
                   guint       status,
                   const char *title,
                   const char *text,
                   gboolean    start_again,
                   gsize      *length)
{
  GString *out = g_string_new (NULL);

  form_html_page_begin (out, page, title, FALSE);
  form_html_heading (out, "l", title);
  form_html_paragraph (out, text);
  if (start_again && page->ods != NULL)
    {
      g_autofree char *href = g_strdup_printf (SIGNPOST_FORM_PREFIX "%s/request", page->ods);

      g_string_append (out, "<p><a class=\"sp-button\"");
      signpost_html_attr (out, "href", href);
      g_string_append (out, ">");
      signpost_html_text (out, _("Start again"));
      g_string_append (out, "</a></p>\n");
    }
  form_html_urgent_care (out);
  return form_html_page_end (out, length);
}
