/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "signpost-load-page-private.h"

/* The load page's figures: the headline cards, and the calls, waits,
 * appointments, triage and staffing charts with their tables. */

/* ---- putting the numbers up ------------------------------------------------------- */

static GPtrArray *
new_rows (void)
{
  return g_ptr_array_new_with_free_func (g_object_unref);
}

static void
headline (GtkWidget  *card,
          GtkLabel   *value_label,
          GtkLabel   *detail_label,
          GtkLabel   *caption,
          const char *value,
          const char *detail)
{
  signpost_load_page_set_text (value_label, value);
  signpost_load_page_set_text (detail_label, detail);
  if (caption != NULL)
    {
      g_autofree char *spoken = g_strdup_printf ("%s: %s. %s", gtk_label_get_text (caption), value, detail);
      gtk_accessible_update_property (GTK_ACCESSIBLE (card), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
    }
}

static GtkLabel *
caption_of (GtkWidget *card)
{
  return GTK_LABEL (gtk_widget_get_first_child (card));
}

static void
update_headlines (SignpostLoadPage *self)
{
  const SignpostStatsInterval *totals = &self->day->totals;
  double offered = totals->offered;
  g_autofree char *calls = signpost_chart_format_value (offered, SIGNPOST_CHART_UNIT_COUNT);
  g_autofree char *calls_detail = NULL;
  g_autofree char *answered = NULL;
  g_autofree char *answered_detail = NULL;
  g_autofree char *abandoned = NULL;
  g_autofree char *abandoned_detail = NULL;
  g_autofree char *longest = signpost_chart_format_duration (totals->longest_wait_s);
  g_autofree char *longest_detail = NULL;
  g_autofree char *callbacks = NULL;
  g_autofree char *callbacks_detail = NULL;
  g_autofree char *mean = signpost_chart_format_duration (totals->mean_wait_s);
  guint outstanding = (guint) MAX (totals->callbacks_requested - totals->callbacks_made, 0);

  calls_detail = g_strdup_printf (_("%.0f answered, %.0f took a callback"), totals->answered,
                                  totals->callbacks_requested);

  answered = signpost_chart_format_value (totals->service_level, SIGNPOST_CHART_UNIT_SHARE);
  if (isnan (totals->service_level))
    answered_detail = g_strdup (_("No calls yet"));
  else
    /* Translators: under the share answered within 60 s, "220 of 329 calls" */
    answered_detail = g_strdup_printf (_("%.0f of %.0f calls"), round (totals->service_level * offered), offered);

  abandoned = signpost_chart_format_value (offered > 0 ? totals->abandoned / offered : NAN, SIGNPOST_CHART_UNIT_SHARE);
  abandoned_detail = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u caller hung up before an answer",
                                                   "%u callers hung up before an answer", (gulong) totals->abandoned),
                                      (guint) totals->abandoned);

  if (isnan (totals->mean_wait_s))
    longest_detail = g_strdup (_("No call answered yet"));
  else
    /* Translators: under the longest wait, "Mean wait 3 min 07 s" */
    longest_detail = g_strdup_printf (_("Mean wait %s"), mean);

  callbacks = g_strdup_printf ("%u", outstanding);
  /* Translators: under the callbacks still to make, "27 of 27 made" */
  callbacks_detail = g_strdup_printf (_("%.0f of %.0f made"), totals->callbacks_made, totals->callbacks_requested);

  signpost_load_page_set_text (caption_of (self->calls_card), signpost_load_page_is_live (self) ? _("Calls today") : _("Calls on this day"));
  headline (self->calls_card, self->calls_value, self->calls_detail, caption_of (self->calls_card), calls, calls_detail);
  headline (self->answered_card, self->answered_value, self->answered_detail, caption_of (self->answered_card),
            answered, answered_detail);
  headline (self->abandoned_card, self->abandoned_value, self->abandoned_detail, caption_of (self->abandoned_card),
            abandoned, abandoned_detail);
  headline (self->longest_card, self->longest_value, self->longest_detail, caption_of (self->longest_card),
            longest, longest_detail);
  headline (self->callbacks_card, self->callbacks_value, self->callbacks_detail, caption_of (self->callbacks_card),
            callbacks, callbacks_detail);
}

static const char *
profession_label (const char *nick)
{
  static const struct { const char *nick; const char *label; } professions[] = {
    { "gp", N_("GP") },
    { "nurse", N_("Nurse") },
    { "hca", N_("Healthcare assistant") },
    { "clinical_pharmacist", N_("Clinical pharmacist") },
    { "first_contact_physio", N_("First contact physio") },
    { "paramedic", N_("Paramedic") },
    { "mental_health_practitioner", N_("Mental health practitioner") },
    { "social_prescriber", N_("Social prescriber") },
  };

  for (guint i = 0; nick != NULL && i < G_N_ELEMENTS (professions); i++)
    if (g_str_equal (nick, professions[i].nick))
      return _(professions[i].label);
  return nick;
}

static const char *
signpost_label (const char *nick)
{
  static const struct { const char *nick; const char *label; } services[] = {
    { "community_pharmacy", N_("Community pharmacy") },
    { "pharmacy_first", N_("Pharmacy First") },
    { "nhs_111", N_("NHS 111") },
    { "emergency_999", N_("999 or A&E") },
    { "optometrist", N_("Optometrist") },
    { "dentist", N_("Dentist") },
    { "self_care", N_("Self-care") },
    { "talking_therapies", N_("Talking therapies") },
    { "social_prescribing", N_("Social prescribing") },
    { "sexual_health", N_("Sexual health") },
  };

  for (guint i = 0; nick != NULL && i < G_N_ELEMENTS (services); i++)
    if (g_str_equal (nick, services[i].nick))
      return _(services[i].label);
  return nick;
}

typedef struct {
  char *id;
  char *name;
  char *title;
  double values[N_APPOINTMENTS_SERIES];
} ClinicianRow;

static void
clinician_row_free (ClinicianRow *row)
{
  g_free (row->id);
  g_free (row->name);
  g_free (row->title);
  g_free (row);
}

static int
compare_clinician_rows (gconstpointer a,
                        gconstpointer b)
{
  const ClinicianRow *x = *(ClinicianRow * const *) a;
  const ClinicianRow *y = *(ClinicianRow * const *) b;
  return g_utf8_collate (x->name, y->name);
}

static void
apply_appointments (SignpostLoadPage *self)
{
  g_autoptr(GPtrArray) clinicians = g_ptr_array_new_with_free_func ((GDestroyNotify) clinician_row_free);
  g_autoptr(GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) rows = new_rows ();

  for (guint i = 0; i < self->day->appointments->len; i++)
    {
      SignpostStatsAppointments *slots = g_ptr_array_index (self->day->appointments, i);
      const char *id = slots->clinician_id ? slots->clinician_id : "";
      ClinicianRow *row = g_hash_table_lookup (by_id, id);

      if (row == NULL)
        {
          row = g_new0 (ClinicianRow, 1);
          row->id = g_strdup (id);
          row->name = g_strdup (slots->clinician_name ? slots->clinician_name : _("A clinician no longer here"));
          row->title = slots->profession != NULL
            /* Translators: a clinician in a table, "Amelia Jones (Nurse)" */
            ? g_strdup_printf (_("%s (%s)"), row->name, profession_label (slots->profession))
            : g_strdup (row->name);
          g_hash_table_insert (by_id, row->id, row);
          g_ptr_array_add (clinicians, row);
        }
      row->values[APPOINTMENTS_OFFERED] += slots->offered;
      row->values[APPOINTMENTS_BOOKED] += slots->booked;
      row->values[APPOINTMENTS_USED] += slots->used;
      row->values[APPOINTMENTS_DNA] += slots->dna;
    }
  g_ptr_array_sort (clinicians, compare_clinician_rows);
  for (guint i = 0; i < clinicians->len; i++)
    {
      ClinicianRow *row = g_ptr_array_index (clinicians, i);

      row->values[APPOINTMENTS_UNBOOKED] = MAX (row->values[APPOINTMENTS_OFFERED] - row->values[APPOINTMENTS_BOOKED], 0);
      g_ptr_array_add (rows, signpost_chart_row_new (row->name, row->title, row->values, N_APPOINTMENTS_SERIES));
    }
  signpost_chart_set_rows (self->appointments_chart, rows);
}

/* The name of a clinician a request was routed to: from the day's slots,
 * else the cache. */
static char *
clinician_name (SignpostLoadPage *self,
                const char       *id)
{
  SignpostCache *cache = self->actions ? signpost_actions_get_cache (self->actions) : NULL;
  g_autoptr(SignpostClinician) clinician = NULL;

  for (guint i = 0; id != NULL && i < self->day->appointments->len; i++)
    {
      SignpostStatsAppointments *slots = g_ptr_array_index (self->day->appointments, i);
      if (g_strcmp0 (slots->clinician_id, id) == 0 && slots->clinician_name != NULL)
        return g_strdup (slots->clinician_name);
    }
  if (cache != NULL && id != NULL)
    clinician = signpost_cache_get_record (cache, SIGNPOST_RECORD_CLINICIAN, id, NULL);
  if (clinician != NULL)
    return g_strdup_printf ("%s %s", signpost_clinician_get_given_name (clinician),
                            signpost_clinician_get_family_name (clinician));
  return g_strdup (_("A named clinician"));
}

static char *
route_label (SignpostLoadPage    *self,
             SignpostStatsTriage *group)
{
  if (group->route == NULL)
    return g_strdup (_("Not routed yet"));
  if (g_str_equal (group->route, "duty"))
    return g_strdup (_("Duty doctor"));
  if (g_str_equal (group->route, "clinician"))
    return clinician_name (self, group->target);
  if (g_str_equal (group->route, "profession"))
    return g_strdup (group->target ? profession_label (group->target) : _("Another clinician"));
  if (g_str_equal (group->route, "signpost"))
    return g_strdup (group->target ? signpost_label (group->target) : _("Signposted elsewhere"));
  return g_strdup (group->route);
}

typedef struct {
  char *label;
  double values[N_TRIAGE_SERIES];
  double total;
} RouteRow;

static void
route_row_free (RouteRow *row)
{
  g_free (row->label);
  g_free (row);
}

static int
compare_route_rows (gconstpointer a,
                    gconstpointer b)
{
  const RouteRow *x = *(RouteRow * const *) a;
  const RouteRow *y = *(RouteRow * const *) b;

  if (x->total != y->total)
    return x->total > y->total ? -1 : 1;
  return g_utf8_collate (x->label, y->label);
}

static void
apply_triage (SignpostLoadPage *self)
{
  g_autoptr(GPtrArray) routes = g_ptr_array_new_with_free_func ((GDestroyNotify) route_row_free);
  g_autoptr(GHashTable) by_label = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) rows = new_rows ();

  for (guint i = 0; i < self->day->triage->len; i++)
    {
      SignpostStatsTriage *group = g_ptr_array_index (self->day->triage, i);
      g_autofree char *label = route_label (self, group);
      RouteRow *row = g_hash_table_lookup (by_label, label);
      const char *urgency = group->urgency ? group->urgency : "";
      const char *outcome = group->outcome ? group->outcome : "";
      guint which;

      if (row == NULL)
        {
          row = g_new0 (RouteRow, 1);
          row->label = g_steal_pointer (&label);
          g_hash_table_insert (by_label, row->label, row);
          g_ptr_array_add (routes, row);
        }
      if (g_str_equal (urgency, "emergency"))
        which = TRIAGE_EMERGENCY;
      else if (g_str_equal (urgency, "same_day"))
        which = TRIAGE_SAME_DAY;
      else if (g_str_equal (urgency, "within_2_weeks"))
        which = TRIAGE_WEEKS;
      else if (g_str_equal (urgency, "routine"))
        which = TRIAGE_ROUTINE;
      else
        which = TRIAGE_NO_URGENCY;
      row->values[which] += group->count;
      row->total += group->count;

      if (g_str_equal (outcome, "booked"))
        row->values[TRIAGE_BOOKED] += group->count;
      else if (g_str_equal (outcome, "signposted"))
        row->values[TRIAGE_SIGNPOSTED] += group->count;
      else if (g_str_equal (outcome, "awaiting_duty"))
        row->values[TRIAGE_DUTY] += group->count;
      else if (g_str_equal (outcome, "open"))
        row->values[TRIAGE_OPEN] += group->count;
      else
        row->values[TRIAGE_DONE] += group->count;
    }
  g_ptr_array_sort (routes, compare_route_rows);
  for (guint i = 0; i < routes->len; i++)
    {
      RouteRow *row = g_ptr_array_index (routes, i);
      g_ptr_array_add (rows, signpost_chart_row_new (row->label, row->label, row->values, N_TRIAGE_SERIES));
    }
  signpost_chart_set_rows (self->triage_chart, rows);
}

static char *
x_title (SignpostLoadPage *self)
{
  const char *zone = g_time_zone_get_identifier (self->tz);

  if (g_strcmp0 (zone, SIGNPOST_DEFAULT_TIME_ZONE) == 0)
    return g_strdup (_("Time of day, UK time (each bar is 15 minutes)"));
  /* Translators: the time axis of a chart, "Time of day, Europe/Dublin (each bar is 15 minutes)" */
  return g_strdup_printf (_("Time of day, %s (each bar is 15 minutes)"), zone);
}

void
signpost_load_page_apply_day (SignpostLoadPage *self)
{
  guint n, first = 0, count = 0;
  g_autofree GDateTime **starts = NULL;
  g_autofree gboolean *active = NULL;
  g_autofree double *average = NULL;
  g_auto(GStrv) ticks = NULL;
  g_auto(GStrv) titles = NULL;
  g_autoptr(GPtrArray) calls = new_rows ();
  g_autoptr(GPtrArray) waits = new_rows ();
  g_autoptr(GPtrArray) past = g_ptr_array_new ();
  g_autofree char *axis = NULL;

  if (self->day == NULL)
    return;

  n = signpost_day_stats_get_n_intervals (self->day);
  starts = g_new0 (GDateTime *, MAX (n, 1));
  active = g_new0 (gboolean, MAX (n, 1));
  average = g_new0 (double, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      starts[i] = signpost_day_stats_get_interval (self->day, i)->start;
      active[i] = signpost_day_stats_is_active (self->day, i);
      average[i] = NAN;
    }
  signpost_chart_label_intervals (starts, n, self->tz, 15, &ticks, &titles);
  signpost_chart_active_span (starts, active, n, self->tz, OPEN_MINUTE, CLOSE_MINUTE, &first, &count);
  if (self->compare && signpost_load_page_compare_ready (self, past))
    signpost_day_stats_average (self->day, past, self->tz, SIGNPOST_STATS_FIELD (offered), average);
  signpost_chart_series_set_visible (self->average_series, self->compare && signpost_load_page_compare_ready (self, NULL));

  for (guint i = 0; i < n; i++)
    {
      const SignpostStatsInterval *interval = signpost_day_stats_get_interval (self->day, i);
      double waiting = interval->offered - interval->answered - interval->abandoned - interval->missed -
                       interval->callbacks_requested;
      double call_values[N_CALLS_SERIES] = {
        [CALLS_ANSWERED] = interval->answered,
        [CALLS_CALLBACK] = interval->callbacks_requested,
        [CALLS_ABANDONED] = interval->abandoned,
        [CALLS_MISSED] = interval->missed,
        [CALLS_WAITING] = MAX (waiting, 0),
        [CALLS_AVERAGE] = average[i],
        [CALLS_OFFERED] = interval->offered,
        [CALLS_SERVICE_LEVEL] = interval->service_level,
      };
      double wait_values[N_WAITS_SERIES] = {
        [WAITS_MEAN] = interval->mean_wait_s,
        [WAITS_LONGEST] = interval->longest_wait_s,
        [WAITS_ABANDON] = interval->mean_abandon_s,
        [WAITS_TALK] = interval->mean_talk_s,
      };

      g_ptr_array_add (calls, signpost_chart_row_new (ticks[i], titles[i], call_values, N_CALLS_SERIES));
      g_ptr_array_add (waits, signpost_chart_row_new (ticks[i], titles[i], wait_values, N_WAITS_SERIES));
    }

  axis = x_title (self);
  signpost_chart_set_x_title (self->calls_chart, axis);
  signpost_chart_set_x_title (self->waits_chart, axis);
  signpost_chart_set_rows (self->calls_chart, calls);
  signpost_chart_set_window (self->calls_chart, first, count);
  signpost_chart_set_rows (self->waits_chart, waits);
  signpost_chart_set_window (self->waits_chart, first, count);

  update_headlines (self);
  apply_appointments (self);
  apply_triage (self);
  {
    g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
    signpost_load_online_set_day (self->online_section, self->day, self->tz, now, axis);
  }
}

void
signpost_load_page_apply_staffing (SignpostLoadPage *self)
{
  guint n, first = 0, count = 0, short_intervals = 0, peak_at = 0;
  double peak = -1, aht = NAN;
  g_autofree GDateTime **starts = NULL;
  g_autofree gboolean *active = NULL;
  g_auto(GStrv) ticks = NULL;
  g_auto(GStrv) titles = NULL;
  g_autoptr(GPtrArray) rows = new_rows ();
  g_autofree char *axis = NULL;
  g_autofree char *summary = NULL;
  g_autofree char *aht_text = NULL;

  if (self->staffing == NULL)
    return;

  n = signpost_staffing_stats_get_n_intervals (self->staffing);
  starts = g_new0 (GDateTime *, MAX (n, 1));
  active = g_new0 (gboolean, MAX (n, 1));
  for (guint i = 0; i < n; i++)
    {
      const SignpostStaffingInterval *interval = signpost_staffing_stats_get_interval (self->staffing, i);
      starts[i] = interval->start;
      active[i] = interval->offered > 0 || interval->on_phones > 0;
    }
  signpost_chart_label_intervals (starts, n, self->tz, 15, &ticks, &titles);
  signpost_chart_active_span (starts, active, n, self->tz, OPEN_MINUTE, CLOSE_MINUTE, &first, &count);

  for (guint i = 0; i < n; i++)
    {
      const SignpostStaffingInterval *interval = signpost_staffing_stats_get_interval (self->staffing, i);
      double shortfall = isnan (interval->needed) ? NAN : MAX (interval->needed - interval->on_phones, 0);
      double values[N_STAFF_SERIES] = {
        [STAFF_ON_PHONES] = interval->on_phones,
        [STAFF_NEEDED] = interval->needed,
        [STAFF_SHORT] = shortfall,
        [STAFF_OFFERED] = interval->offered,
        [STAFF_AHT] = interval->aht_s,
        [STAFF_TRAFFIC] = interval->traffic_erlangs,
      };

      if (!isnan (interval->aht_s))
        aht = interval->aht_s;
      if (shortfall > 0)
        short_intervals++;
      if (!isnan (interval->needed) && interval->needed > peak)
        {
          peak = interval->needed;
          peak_at = i;
        }
      g_ptr_array_add (rows, signpost_chart_row_new (ticks[i], titles[i], values, N_STAFF_SERIES));
    }

  axis = x_title (self);
  signpost_chart_set_x_title (self->staffing_chart, axis);
  signpost_chart_set_rows (self->staffing_chart, rows);
  signpost_chart_set_window (self->staffing_chart, first, count);

  if (peak <= 0)
    summary = g_strdup (_("No calls on this day, so no navigators were needed."));
  else
    {
      const SignpostStaffingInterval *busiest = signpost_staffing_stats_get_interval (self->staffing, peak_at);
      /* Translators: the staffing summary, "Busiest: 9 navigators needed at 08:00–08:15, 4 on the phones. Short-staffed in 12 quarter hours." */
      summary = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                              "Busiest: %.0f navigators needed at %s, %.0f on the phones. Short-staffed in %u quarter hour.",
                                              "Busiest: %.0f navigators needed at %s, %.0f on the phones. Short-staffed in %u quarter hours.",
                                              short_intervals),
                                 peak, titles[peak_at], busiest->on_phones, short_intervals);
    }
  signpost_load_page_set_text (self->staffing_summary, summary);

  if (isnan (aht))
    aht_text = g_strdup (_("seconds (no call was answered and ended on this day to measure)"));
  else if (gtk_check_button_get_active (self->aht_check))
    aht_text = g_strdup (_("seconds"));
  else
    {
      g_autofree char *measured = signpost_chart_format_duration (aht);
      /* Translators: beside the handling time, "seconds (otherwise the day's measured 2 min 32 s)" */
      aht_text = g_strdup_printf (_("seconds (otherwise the day’s measured %s)"), measured);
    }
  signpost_load_page_set_text (self->aht_label, aht_text);
}
