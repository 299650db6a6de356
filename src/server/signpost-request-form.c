/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-server"

#include "config.h"

#include <string.h>
#include <sodium.h>
#include <glib/gi18n-lib.h>

#include "signpost-csrf.h"
#include "signpost-request-form-private.h"
#include "signpost-server-resources.h"

/*
 * The practice's online request form, served to patients: public,
 * unauthenticated, and so written as if every byte were hostile.
 *
 * - No JavaScript, no cookies but one for CSRF, nothing loaded from
 *   elsewhere (our own stylesheet only), a Content-Security-Policy that
 *   forbids scripts and inline styles, and no framing.
 * - Nothing identifying in a URL or a log: the answers travel in POST
 *   bodies, from page to page as hidden fields, and nothing is stored
 *   until the request is sent; a client's address is kept only as a keyed
 *   hash in its rate-limit counter.
 * - CSRF: signed double submit (signpost-csrf.h), which needs no state in
 *   any server process, so any instance of a hub checks what another
 *   issued. Rate limits are counters in the database for the same reason.
 * - Every answer is checked again on every page (a hidden field is as
 *   untrusted as the rest) and once more by core's codec before anything
 *   is stored. Every value is escaped on output (signpost-html.h).
 *
 * The pages themselves are written in signpost-request-pages.c.
 */

#define MAX_FIELDS 128
#define FORM_GRACE_S (2 * 60 * 60)
#define HOUR_MS ((gint64) 60 * 60 * 1000)
#define QUARTER_MS ((gint64) 15 * 60 * 1000)
#define COOKIE_NAME "signpost-form"
#define SECURE_COOKIE_NAME "__Host-signpost-form"

struct _SignpostRequestForm
{
  GObject parent_instance;

  SignpostStore *store;
  SignpostIntake *intake;
  SignpostFormLimits limits;
  char *key;
};

G_DEFINE_FINAL_TYPE (SignpostRequestForm, signpost_request_form, G_TYPE_OBJECT)

static const char * const step_names[FORM_N_STEPS] = {
  "start", "age", "emergency", "who", "about-you", "patient", "type", "details", "contact", "check",
};

/* Which step each answer belongs to; the red flags ("rf_…") are the
 * emergency step's. */
static const struct { const char *field; FormStep step; } step_fields[] = {
  { "age", FORM_STEP_AGE },
  { "who", FORM_STEP_WHO },
  { "relationship", FORM_STEP_ABOUT_YOU },
  { "requester_name", FORM_STEP_ABOUT_YOU },
  { "given_name", FORM_STEP_PATIENT },
  { "family_name", FORM_STEP_PATIENT },
  { "dob_day", FORM_STEP_PATIENT },
  { "dob_month", FORM_STEP_PATIENT },
  { "dob_year", FORM_STEP_PATIENT },
  { "postcode", FORM_STEP_PATIENT },
  { "phone", FORM_STEP_PATIENT },
  { "nhs_number", FORM_STEP_PATIENT },
  { "kind", FORM_STEP_TYPE },
  { "reason", FORM_STEP_DETAILS },
  { "duration", FORM_STEP_DETAILS },
  { "hoped", FORM_STEP_DETAILS },
  { "contact_method", FORM_STEP_CONTACT },
  { "contact_number", FORM_STEP_CONTACT },
  { "contact_morning", FORM_STEP_CONTACT },
  { "contact_afternoon", FORM_STEP_CONTACT },
  { "contact_message", FORM_STEP_CONTACT },
};

void
signpost_form_limits_init (SignpostFormLimits *limits)
{
  limits->client_pages_per_hour = 300;
  limits->client_requests_per_hour = 10;
  limits->practice_requests_per_hour = 300;
}

const char *
form_step_name (FormStep step)
{
  g_return_val_if_fail (step < FORM_N_STEPS, NULL);
  return step_names[step];
}

gboolean
form_step_from_name (const char *name,
                     FormStep   *step)
{
  for (guint i = 0; i < FORM_N_STEPS; i++)
    if (g_strcmp0 (step_names[i], name) == 0)
      {
        *step = i;
        return TRUE;
      }
  return FALSE;
}

gboolean
form_field_belongs (const char *field,
                    FormStep    step)
{
  if (g_str_has_prefix (field, "rf_"))
    return step == FORM_STEP_EMERGENCY;
  for (guint i = 0; i < G_N_ELEMENTS (step_fields); i++)
    if (g_str_equal (step_fields[i].field, field))
      return step_fields[i].step == step;
  return FALSE;
}

static gboolean
field_is_known (const char *field)
{
  if (g_str_has_prefix (field, "rf_"))
    return signpost_navigation_find_red_flag (field + 3) != NULL;
  for (guint i = 0; i < G_N_ELEMENTS (step_fields); i++)
    if (g_str_equal (step_fields[i].field, field))
      return TRUE;
  return g_str_equal (field, "submission");
}

/* ---- replies ------------------------------------------------------------------ */

static void
set_page_headers (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_message_headers_replace (headers, "Cache-Control", "no-store");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "X-Frame-Options", "DENY");
  soup_message_headers_replace (headers, "Referrer-Policy", "no-referrer");
  soup_message_headers_replace (headers, "Cross-Origin-Opener-Policy", "same-origin");
  soup_message_headers_replace (headers, "Cross-Origin-Resource-Policy", "same-origin");
  soup_message_headers_replace (headers, "Permissions-Policy",
                                "camera=(), microphone=(), geolocation=(), interest-cohort=()");
  soup_message_headers_replace (headers, "Content-Security-Policy",
                                "default-src 'none'; style-src 'self'; img-src 'self'; "
                                "form-action 'self'; base-uri 'none'; frame-ancestors 'none'");
}

static void
reply_page (SoupServerMessage *msg,
            guint              status,
            char              *html,      /* taken */
            gsize              length)
{
  set_page_headers (msg);
  soup_server_message_set_status (msg, status, NULL);
  if (g_str_equal (soup_server_message_get_method (msg), "HEAD"))
    {
      g_free (html);
      soup_message_headers_set_content_type (soup_server_message_get_response_headers (msg),
                                             "text/html; charset=utf-8", NULL);
      return;
    }
  soup_server_message_set_response (msg, "text/html; charset=utf-8", SOUP_MEMORY_TAKE, html, length);
}

static void
reply_problem (SoupServerMessage *msg,
               FormPage          *page,
               guint              status,
               const char        *title,
               const char        *text,
               gboolean           start_again)
{
  gsize length = 0;
  char *html = form_page_problem (page, status, title, text, start_again, &length);

  reply_page (msg, status, html, length);
}

static const char *
cookie_name (gboolean secure)
{
  return secure ? SECURE_COOKIE_NAME : COOKIE_NAME;
}

/* The visitor's CSRF cookie, or NULL. */
static char *
read_cookie (SoupServerMessage *msg,
             gboolean           secure)
{
  const char *header = soup_message_headers_get_list (soup_server_message_get_request_headers (msg),
                                                      "Cookie");
  g_auto(GStrv) pairs = NULL;
  const char *name = cookie_name (secure);

  if (header == NULL || strlen (header) > 8192)
    return NULL;
  pairs = g_strsplit (header, ";", 64);
  for (guint i = 0; pairs[i] != NULL; i++)
    {
      char *pair = g_strstrip (pairs[i]);
      gsize n = strlen (name);

      if (strncmp (pair, name, n) == 0 && pair[n] == '=' && signpost_csrf_cookie_ok (pair + n + 1))
        return g_strdup (pair + n + 1);
    }
  return NULL;
}

static void
set_cookie (SoupServerMessage *msg,
            const char        *value,
            gboolean           secure)
{
  g_autofree char *header = NULL;

  /* A session cookie for this site only, out of scripts' reach. */
  header = g_strdup_printf ("%s=%s; Path=/; HttpOnly; SameSite=Strict%s", cookie_name (secure), value,
                            secure ? "; Secure" : "");
  soup_message_headers_append (soup_server_message_get_response_headers (msg), "Set-Cookie", header);
}

static const char *
form_key (SignpostRequestForm  *self,
          GError              **error)
{
  if (self->key == NULL)
    {
      guchar bytes[32];
      char hex[65];

      randombytes_buf (bytes, sizeof bytes);
      sodium_bin2hex (hex, sizeof hex, bytes, sizeof bytes);
      self->key = signpost_store_ensure_secret (self->store, "online-form", hex, error);
    }
  return self->key;
}

/* Counts one more for @key in this hour; FALSE when that would go over
 * @limit (nothing is counted then) or the count failed (@failed set).
 * Sets @retry_after to the seconds left in the hour. */
static gboolean
within_limit (SignpostRequestForm  *self,
              const char           *key,
              guint                 limit,
              GDateTime            *now,
              guint                *retry_after,
              GError              **error,
              gboolean             *failed)
{
  gint64 now_ms = g_date_time_to_unix (now) * 1000;
  gint64 bucket = now_ms - now_ms % HOUR_MS;
  gint64 count = 0;

  *failed = FALSE;
  *retry_after = (guint) ((bucket + HOUR_MS - now_ms) / 1000) + 1;
  if (limit == 0)
    return TRUE;
  if (!signpost_store_bump_counter (self->store, key, bucket, limit,
                                    (bucket + 2 * HOUR_MS) * 1000, &count, error))
    {
      *failed = TRUE;
      return FALSE;
    }
  return count <= limit;
}

static void
reply_rate_limited (SoupServerMessage *msg,
                    FormPage          *page,
                    guint              retry_after,
                    gboolean           practice_wide)
{
  g_autofree char *seconds = g_strdup_printf ("%u", MAX (retry_after, 1));
  g_autofree char *phone = form_practice_phone (page->practice);
  g_autofree char *text = NULL;
  guint minutes = MAX ((retry_after + 59) / 60, 1);

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", seconds);
  if (practice_wide)
    text = g_strdup_printf (_("The practice has had a very large number of online requests in the "
                              "last hour. Please try again in %u minutes, or phone the practice%s%s. "
                              "If you need help urgently, call 111. In an emergency, call 999."),
                            minutes, phone ? " on " : "", phone ? phone : "");
  else
    text = g_strdup_printf (_("We have had a lot of requests from your internet connection. Please "
                              "try again in %u minutes, or phone the practice%s%s. If you need help "
                              "urgently, call 111. In an emergency, call 999."),
                            minutes, phone ? " on " : "", phone ? phone : "");
  reply_problem (msg, page, 429, _("Please wait before trying again"), text, FALSE);
}

/* ---- handling a request ------------------------------------------------------ */

/* "/p/Y01234/request" or "/p/Y01234/request/STEP": the practice code and
 * the step (NULL for the start page). */
static gboolean
parse_path (const char  *path,
            char       **ods,
            char       **step)
{
  g_auto(GStrv) parts = NULL;

  *ods = NULL;
  *step = NULL;
  if (!g_str_has_prefix (path, SIGNPOST_FORM_PREFIX) || strlen (path) > 200)
    return FALSE;
  parts = g_strsplit (path + strlen (SIGNPOST_FORM_PREFIX), "/", 4);
  if (g_strv_length (parts) < 2 || g_strv_length (parts) > 3 ||
      !g_str_equal (parts[1], "request") ||
      !signpost_format_check (SIGNPOST_FORMAT_ODS_CODE, parts[0], NULL))
    return FALSE;
  if (parts[2] != NULL)
    {
      FormStep unused;

      if (!form_step_from_name (parts[2], &unused))
        return FALSE;
      *step = g_strdup (parts[2]);
    }
  *ods = g_strdup (parts[0]);
  return TRUE;
}

/* The body's fields, checked: a form encoding, valid UTF-8, known names,
 * not too many. NULL when it is none of that. */
static GHashTable *
read_fields (SoupServerMessage *msg)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *type = soup_message_headers_get_content_type (headers, NULL);
  g_autoptr(GBytes) body = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GHashTable) fields = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gsize length = 0;
  const char *data;

  if (g_strcmp0 (type, "application/x-www-form-urlencoded") != 0)
    return NULL;
  body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  data = g_bytes_get_data (body, &length);
  if (length > SIGNPOST_FORM_MAX_BODY || memchr (data, '\0', length) != NULL)
    return NULL;
  text = g_strndup (data, length);
  fields = soup_form_decode (text);
  if (fields == NULL || g_hash_table_size (fields) > MAX_FIELDS)
    return NULL;
  g_hash_table_iter_init (&iter, fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (!g_utf8_validate (key, -1, NULL) || !g_utf8_validate (value, -1, NULL))
      return NULL;
  return g_steal_pointer (&fields);
}

static gboolean
submission_ok (const char *submission)
{
  if (submission == NULL || strlen (submission) != 32)
    return FALSE;
  for (const char *p = submission; *p != '\0'; p++)
    if (!g_ascii_isxdigit (*p) || g_ascii_isupper (*p))
      return FALSE;
  return TRUE;
}

static char *
new_submission (void)
{
  guchar bytes[16];
  char hex[33];

  randombytes_buf (bytes, sizeof bytes);
  sodium_bin2hex (hex, sizeof hex, bytes, sizeof bytes);
  return g_strdup (hex);
}

/* Open to this visitor: open now, or open when they started (not long
 * ago), so that nobody loses a request they were typing at closing time. */
static gboolean
open_for_visitor (SignpostPractice    *practice,
                  SignpostOnlineState *state,
                  GDateTime           *now,
                  gint64               started)
{
  g_autoptr(GDateTime) start = NULL;

  if (state->status == SIGNPOST_ONLINE_OPEN)
    return TRUE;
  if (started <= 0 || g_date_time_to_unix (now) - started > FORM_GRACE_S)
    return FALSE;
  start = g_date_time_new_from_unix_utc (started);
  return start != NULL && signpost_online_is_open_at (practice, start, NULL) &&
         g_date_time_to_unix (now) >= started;
}

static void
count_emergency_stop (SignpostRequestForm *self,
                      SignpostPractice    *practice,
                      GDateTime           *now)
{
  g_autofree char *key = g_strconcat ("emergency-stop:",
                                      signpost_record_get_id (SIGNPOST_RECORD (practice)), NULL);
  g_autoptr(GError) error = NULL;
  gint64 now_ms = g_date_time_to_unix (now) * 1000;
  gint64 count = 0;

  /* Anonymous: a count per quarter hour, kept for the statistics. */
  if (!signpost_store_bump_counter (self->store, key, now_ms - now_ms % QUARTER_MS, 0, G_MAXINT64,
                                    &count, &error))
    g_warning ("Could not count an emergency stop: %s", error->message);
}

static void
handle_send (SignpostRequestForm  *self,
             SoupServerMessage    *msg,
             FormPage             *page,
             FormDraft            *draft,
             const char           *client_key,
             GTimeZone            *tz,
             SignpostApplyContext *ctx)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostOnlineRequest) request = NULL;
  g_autoptr(SignpostTriage) triage = NULL;
  g_autofree char *practice_key = g_strconcat ("form-requests:",
                                               signpost_record_get_id (SIGNPOST_RECORD (page->practice)),
                                               NULL);
  gboolean duplicate = FALSE, failed = FALSE;
  guint retry_after = 0;
  gsize length = 0;
  char *html;

  request = form_draft_to_request (draft, page->now, tz, &error);
  if (request == NULL)
    {
      /* Every page checked what core checks: this is a forged draft. */
      reply_problem (msg, page, 400, _("We could not accept this form"),
                     _("Some answers could not be read. Please start again."), TRUE);
      return;
    }
  if (!signpost_store_begin (self->store, &error))
    goto failed;
  for (guint i = 0; i < 2; i++)
    {
      const char *key = i == 0 ? client_key : practice_key;
      guint limit = i == 0 ? self->limits.client_requests_per_hour
                           : self->limits.practice_requests_per_hour;

      if (within_limit (self, key, limit, page->now, &retry_after, &error, &failed))
        continue;
      if (failed)
        goto failed;
      signpost_store_rollback (self->store);
      reply_rate_limited (msg, page, retry_after, i == 1);
      return;
    }
  triage = signpost_intake_submit (self->intake, ctx, page->practice, request,
                                   SIGNPOST_REQUEST_SOURCE_ONLINE, NULL, NULL,
                                   form_draft_get (draft, "submission"), &duplicate, &error);
  if (triage == NULL || !signpost_store_commit (self->store, &error))
    goto failed;
  html = form_page_sent (page, triage, &length);
  reply_page (msg, SOUP_STATUS_OK, html, length);
  return;

failed:
  signpost_store_rollback (self->store);
  signpost_apply_context_reset (ctx);
  g_warning ("Could not store an online request: %s", error ? error->message : "?");
  reply_problem (msg, page, 500, _("Sorry, there is a problem with the service"),
                 _("Your request has not been sent. Please try again later, or phone the practice. "
                   "If you need help urgently, call 111. In an emergency, call 999."), TRUE);
}

static void
handle_post (SignpostRequestForm  *self,
             SoupServerMessage    *msg,
             FormPage             *page,
             FormStep              posted,
             const char           *client,
             gboolean              secure,
             SignpostApplyContext *ctx)
{
  g_autoptr(GHashTable) fields = NULL;
  g_autofree char *cookie = NULL;
  g_autofree char *token = NULL;
  g_autofree char *client_key = NULL;
  g_autoptr(GTimeZone) tz = signpost_online_practice_time_zone (page->practice);
  g_autoptr(GError) error = NULL;
  g_auto(FormDraft) draft = { 0 };
  g_auto(SignpostOnlineState) state = { 0 };
  GHashTableIter iter;
  gpointer key, value;
  const char *go, *key_text;
  gint64 started = 0;
  guint retry_after = 0;
  gboolean failed = FALSE;
  FormStep next;
  gsize length = 0;
  char *html;

  fields = read_fields (msg);
  if (fields == NULL)
    {
      reply_problem (msg, page, 400, _("We could not read your answers"),
                     _("Something went wrong sending this page. Please start again."), TRUE);
      return;
    }
  /* The honeypot: a field hidden from people, which only robots fill in. */
  if (g_hash_table_lookup (fields, "website") != NULL &&
      *(const char *) g_hash_table_lookup (fields, "website") != '\0')
    {
      reply_problem (msg, page, 400, _("We could not accept this form"),
                     _("Please start again."), TRUE);
      return;
    }
  key_text = form_key (self, &error);
  if (key_text == NULL)
    {
      g_warning ("Could not read the form’s key: %s", error->message);
      reply_problem (msg, page, 500, _("Sorry, there is a problem with the service"),
                     _("Please try again later, or phone the practice."), FALSE);
      return;
    }
  cookie = read_cookie (msg, secure);
  if (cookie == NULL ||
      !signpost_csrf_check (key_text, cookie, page->ods, g_hash_table_lookup (fields, "csrf"),
                            g_date_time_to_unix (page->now), &started))
    {
      g_autofree char *fresh = signpost_csrf_new_cookie ();

      set_cookie (msg, fresh, secure);
      reply_problem (msg, page, 403, _("This page has timed out"),
                     cookie == NULL
                       ? _("This form needs a cookie to keep your answers safe, and your browser did "
                           "not send one. Check that cookies are allowed for this site, then start again.")
                       : _("For your security, a page of this form can only be sent for 3 hours after "
                           "it was opened, and only from this site. Please start again."),
                     TRUE);
      return;
    }

  /* One client's pages per hour: each costs a write, so a flood stops here. */
  {
    g_autofree char *blind = signpost_csrf_blind (key_text, client);

    client_key = g_strconcat ("form-client:", blind, NULL);
    {
      g_autofree char *pages_key = g_strconcat ("form-pages:", blind, NULL);

      if (!within_limit (self, pages_key, self->limits.client_pages_per_hour, page->now,
                         &retry_after, &error, &failed))
        {
          if (failed)
            {
              g_warning ("Could not count a page: %s", error->message);
              reply_problem (msg, page, 500, _("Sorry, there is a problem with the service"),
                             _("Please try again later, or phone the practice."), FALSE);
            }
          else
            reply_rate_limited (msg, page, retry_after, FALSE);
          return;
        }
    }
  }

  token = signpost_csrf_token (key_text, cookie, page->ods, started, g_date_time_to_unix (page->now));
  page->csrf_token = token;

  form_draft_init (&draft);
  g_hash_table_iter_init (&iter, fields);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (field_is_known (key))
      g_hash_table_insert (draft.values, g_strdup (key), g_strdup (value));
  if (!submission_ok (form_draft_get (&draft, "submission")))
    {
      reply_problem (msg, page, 400, _("We could not read your answers"),
                     _("Something went wrong sending this page. Please start again."), TRUE);
      return;
    }

  /* Open? (The medical limit matters only when choosing and sending.) */
  {
    gint64 medical = 0;

    if ((posted == FORM_STEP_TYPE || posted == FORM_STEP_CHECK) &&
        signpost_practice_get_online_medical_daily_limit (page->practice) > 0 &&
        !signpost_intake_count_medical (self->intake, page->practice, page->now, &medical, &error))
      {
        g_warning ("Could not count today’s requests: %s", error->message);
        reply_problem (msg, page, 500, _("Sorry, there is a problem with the service"),
                       _("Please try again later, or phone the practice."), FALSE);
        return;
      }
    signpost_online_state_init (&state, page->practice, page->now, medical);
    page->state = &state;
  }
  if (!open_for_visitor (page->practice, &state, page->now, started))
    {
      html = form_page_closed (page, FALSE, &length);
      reply_page (msg, SOUP_STATUS_OK, html, length);
      return;
    }

  go = g_hash_table_lookup (fields, "go");
  if (go == NULL)
    go = "continue";

  /* An emergency answered yes ends here, whatever else was sent. */
  if (posted >= FORM_STEP_EMERGENCY)
    {
      g_autoptr(GPtrArray) yes = g_ptr_array_new ();

      if (form_any_flag_yes (&draft, page->now, tz, yes))
        {
          count_emergency_stop (self, page->practice, page->now);
          html = form_page_stop (page, yes, &length);
          reply_page (msg, SOUP_STATUS_OK, html, length);
          return;
        }
    }

  if (g_str_equal (go, "back"))
    {
      next = posted;
      do
        next = next > FORM_STEP_AGE ? next - 1 : FORM_STEP_AGE;
      while (next > FORM_STEP_AGE && !form_step_applies (&draft, next));
      form_draft_reset_errors (&draft);
    }
  else if (g_str_has_prefix (go, "edit-"))
    {
      if (!form_step_from_name (go + 5, &next) || next <= FORM_STEP_START || next >= FORM_STEP_CHECK)
        next = FORM_STEP_CHECK;
      form_draft_reset_errors (&draft);
    }
  else
    {
      /* Every answer so far again (hidden fields are as untrusted as the
       * rest); a step with something wrong is shown again, else the
       * first step not yet answered, else the check page. */
      FormStep upto = posted == FORM_STEP_CHECK ? FORM_STEP_CHECK : posted + 1;

      next = form_first_incomplete (&draft, FORM_STEP_AGE, upto, page->now, tz);
      if (next == upto)
        {
          next = form_first_incomplete (&draft, upto, FORM_STEP_CHECK, page->now, tz);
          form_draft_reset_errors (&draft);   /* a new page starts clean */
        }
      else if (next == FORM_STEP_EMERGENCY && draft.notice != NULL)
        {
          /* More questions because of the date of birth: ask, do not scold. */
          g_autofree char *notice = g_steal_pointer (&draft.notice);

          form_draft_reset_errors (&draft);
          draft.notice = g_steal_pointer (&notice);
        }
      /* A medical request when today's limit is reached. */
      if (state.medical_full && g_strcmp0 (form_draft_get (&draft, "kind"), "medical") == 0 &&
          next > FORM_STEP_TYPE)
        {
          html = form_page_closed (page, TRUE, &length);
          reply_page (msg, SOUP_STATUS_OK, html, length);
          return;
        }
      if (posted == FORM_STEP_CHECK && next == FORM_STEP_CHECK && g_str_equal (go, "send"))
        {
          handle_send (self, msg, page, &draft, client_key, tz, ctx);
          return;
        }
    }

  html = form_page_step (page, &draft, next, &length);
  reply_page (msg, SOUP_STATUS_OK, html, length);
}

static void
handle_start (SignpostRequestForm *self,
              SoupServerMessage   *msg,
              FormPage            *page,
              gboolean             secure)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cookie = read_cookie (msg, secure);
  g_autofree char *token = NULL;
  g_autofree char *submission = new_submission ();
  g_auto(SignpostOnlineState) state = { 0 };
  gint64 medical = 0;
  const char *key_text;
  gsize length = 0;
  char *html;

  if (signpost_practice_get_online_medical_daily_limit (page->practice) > 0 &&
      !signpost_intake_count_medical (self->intake, page->practice, page->now, &medical, &error))
    {
      g_warning ("Could not count today’s requests: %s", error->message);
      reply_problem (msg, page, 500, _("Sorry, there is a problem with the service"),
                     _("Please try again later, or phone the practice."), FALSE);
      return;
    }
  signpost_online_state_init (&state, page->practice, page->now, medical);
  page->state = &state;
  if (state.status != SIGNPOST_ONLINE_OPEN)
    {
      html = form_page_closed (page, FALSE, &length);
      reply_page (msg, SOUP_STATUS_OK, html, length);
      return;
    }
  key_text = form_key (self, &error);
  if (key_text == NULL)
    {
      g_warning ("Could not read the form’s key: %s", error->message);
      reply_problem (msg, page, 500, _("Sorry, there is a problem with the service"),
                     _("Please try again later, or phone the practice."), FALSE);
      return;
    }
  if (cookie == NULL)
    {
      cookie = signpost_csrf_new_cookie ();
      set_cookie (msg, cookie, secure);
    }
  token = signpost_csrf_token (key_text, cookie, page->ods, g_date_time_to_unix (page->now),
                               g_date_time_to_unix (page->now));
  page->csrf_token = token;
  html = form_page_start (page, submission, &length);
  reply_page (msg, SOUP_STATUS_OK, html, length);
}

static void
reply_stylesheet (SoupServerMessage *msg)
{
  g_autoptr(GBytes) css = g_resources_lookup_data ("/io/github/signpost/server/form.css",
                                                   G_RESOURCE_LOOKUP_FLAGS_NONE, NULL);
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  g_assert (css != NULL);
  soup_message_headers_replace (headers, "Cache-Control", "public, max-age=3600");
  soup_message_headers_replace (headers, "X-Content-Type-Options", "nosniff");
  soup_message_headers_replace (headers, "Cross-Origin-Resource-Policy", "same-origin");
  soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
  if (g_str_equal (soup_server_message_get_method (msg), "HEAD"))
    {
      soup_message_headers_set_content_type (headers, "text/css; charset=utf-8", NULL);
      return;
    }
  soup_server_message_set_response (msg, "text/css; charset=utf-8", SOUP_MEMORY_COPY,
                                    g_bytes_get_data (css, NULL), g_bytes_get_size (css));
}

void
signpost_request_form_handle (SignpostRequestForm  *self,
                              SoupServerMessage    *msg,
                              const char           *path,
                              const char           *client,
                              gboolean              secure,
                              SignpostApplyContext *ctx)
{
  const char *method = soup_server_message_get_method (msg);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SignpostPractice) practice = NULL;
  g_autofree char *ods = NULL;
  g_autofree char *step_name = NULL;
  gboolean get = g_str_equal (method, "GET") || g_str_equal (method, "HEAD");
  FormPage page = { .now = now };
  FormStep step;

  g_return_if_fail (SIGNPOST_IS_REQUEST_FORM (self));

  if (g_str_equal (path, SIGNPOST_FORM_PREFIX "assets/form.css"))
    {
      if (get)
        reply_stylesheet (msg);
      else
        {
          soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                        "GET, HEAD");
          reply_problem (msg, &page, 405, _("Page not found"), _("There is nothing to send here."),
                         FALSE);
        }
      return;
    }
  if (!parse_path (path, &ods, &step_name))
    {
      reply_problem (msg, &page, 404, _("Page not found"),
                     _("If you typed the web address, check it is correct. If you followed a link "
                       "from your GP practice’s website, contact the practice."), FALSE);
      return;
    }
  practice = signpost_intake_find_practice (self->intake, ods, &error);
  if (practice == NULL)
    {
      if (error != NULL)
        {
          g_warning ("Could not look a practice up: %s", error->message);
          reply_problem (msg, &page, 500, _("Sorry, there is a problem with the service"),
                         _("Please try again later, or phone the practice."), FALSE);
        }
      else
        reply_problem (msg, &page, 404, _("Page not found"),
                       _("We cannot find a GP practice with this online form. Check the web "
                         "address, or contact your GP practice."), FALSE);
      return;
    }
  page.practice = practice;
  page.ods = ods;

  if (get)
    {
      g_autofree char *location = NULL;

      if (step_name == NULL)
        {
          handle_start (self, msg, &page, secure);
          return;
        }
      /* The steps are answers to a POST; a bookmark of one starts again. */
      location = g_strdup_printf (SIGNPOST_FORM_PREFIX "%s/request", ods);
      soup_server_message_set_redirect (msg, SOUP_STATUS_SEE_OTHER, location);
      set_page_headers (msg);
      return;
    }
  if (!g_str_equal (method, "POST") || step_name == NULL)
    {
      soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Allow",
                                    step_name == NULL ? "GET, HEAD" : "POST");
      reply_problem (msg, &page, 405, _("Page not found"), _("Please start again."), TRUE);
      return;
    }
  /* A page sent from another site is refused outright. */
  {
    const char *site = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                     "Sec-Fetch-Site");

    if (site != NULL && g_str_equal (site, "cross-site"))
      {
        reply_problem (msg, &page, 403, _("This page has timed out"),
                       _("For your security, this form can only be sent from this site. Please "
                         "start again."), TRUE);
        return;
      }
  }
  form_step_from_name (step_name, &step);
  handle_post (self, msg, &page, step, client, secure, ctx);
}

char *
signpost_request_form_refusal_page (guint  status,
                                    gsize *length)
{
  FormPage page = { 0 };
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();

  page.now = now;
  return form_page_problem (&page, status, _("Your answers are too long"),
                            _("What you sent was too long for this form. Please start again and "
                              "keep to the space each question gives."), TRUE, length);
}

static void
signpost_request_form_finalize (GObject *object)
{
  SignpostRequestForm *self = SIGNPOST_REQUEST_FORM (object);

  g_clear_object (&self->store);
  g_clear_object (&self->intake);
  g_clear_pointer (&self->key, g_free);

  G_OBJECT_CLASS (signpost_request_form_parent_class)->finalize (object);
}

static void
signpost_request_form_class_init (SignpostRequestFormClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_request_form_finalize;

  /* The stylesheet lives in a static library: register it by hand. */
  signpost_server_register_resource ();
}

static void
signpost_request_form_init (SignpostRequestForm *self)
{
}

SignpostRequestForm *
signpost_request_form_new (SignpostStore            *store,
                           SignpostIntake           *intake,
                           const SignpostFormLimits *limits)
{
  SignpostRequestForm *self;

  g_return_val_if_fail (SIGNPOST_IS_STORE (store), NULL);
  g_return_val_if_fail (SIGNPOST_IS_INTAKE (intake), NULL);

  self = g_object_new (SIGNPOST_TYPE_REQUEST_FORM, NULL);
  self->store = g_object_ref (store);
  self->intake = g_object_ref (intake);
  if (limits != NULL)
    self->limits = *limits;
  else
    signpost_form_limits_init (&self->limits);
  return self;
}
