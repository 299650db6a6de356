/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>

#include "console-screenshot-diary.h"
#include "signpost-booking-dialog.h"
#include "signpost-diary-page.h"

/*
 * The diary states for docs/screenshots, on a demo server:
 *
 *   console-screenshot diary          URL USER [DATE]   the day as it is
 *   console-screenshot diary-busy     URL USER [DATE]   most slots booked, some arrived or DNA
 *   console-screenshot diary-conflict URL USER [DATE]   a booking made offline, taken meanwhile
 *                                                       by the "duty" user: the conflict dialog
 *   console-screenshot diary-find     URL USER          the first-suitable-slot search
 *   console-screenshot diary-print    URL USER DATE PDF busy day, then the day list as a PDF
 */

static const char *reasons[] = {
  "Cough for three weeks", "Blood pressure review", "Rash on both arms", "Back pain after lifting",
  "Medication review", "Sore ear, child aged 4", "Asthma review", "Feeling low, not sleeping",
  "Dizzy spells", "Knee pain when climbing stairs", "Repeat smear", "Wound check after minor op",
  "Headaches most mornings", "Diabetes annual review", "Chest infection follow-up", "Tired all the time",
};

typedef struct {
  SignpostWindow *window;
  char *mode;
  char *url;
  char *user;
  char *date;
  char *pdf;
  guint step;
  SignpostSyncEngine *other;
  char *slot_id;
  gboolean other_logged_in;
} Shot;

static GtkWidget *
find_type (GtkWidget *root,
           GType      type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_type (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static SignpostDiaryPage *
diary (Shot *shot)
{
  return SIGNPOST_DIARY_PAGE (find_type (GTK_WIDGET (shot->window), SIGNPOST_TYPE_DIARY_PAGE));
}

static gboolean
online (SignpostSyncEngine *engine)
{
  return signpost_sync_engine_get_state (engine) == SIGNPOST_SYNC_STATE_ONLINE &&
         !signpost_sync_engine_get_first_sync (engine);
}

static GPtrArray *
patients_of (SignpostCache *cache,
             const char    *practice_id)
{
  g_autoptr(GPtrArray) all = signpost_cache_list_records (cache, SIGNPOST_RECORD_PATIENT, NULL);
  GPtrArray *mine = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < all->len; i++)
    if (g_strcmp0 (signpost_record_get_practice_id (g_ptr_array_index (all, i)), practice_id) == 0)
      g_ptr_array_add (mine, g_object_ref (g_ptr_array_index (all, i)));
  return mine;
}

/* Books about three slots in four of the day shown, as a busy Monday. */
static void
fill_day (Shot *shot)
{
  SignpostSyncEngine *engine = signpost_window_get_engine (shot->window);
  SignpostCache *cache = signpost_sync_engine_get_cache (engine);
  SignpostActions *actions = signpost_actions_get_for_engine (engine);
  GListModel *slots = signpost_diary_day_get_slots (signpost_diary_page_get_day (diary (shot)));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GHashTable) patients = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_ptr_array_unref);
  SignpostUser *user = signpost_sync_engine_get_user (engine);
  SignpostSlotBooker booker = { signpost_user_get_hub (user), signpost_user_get_practice_ids (user), now };

  for (guint i = 0; i < g_list_model_get_n_items (slots); i++)
    {
      g_autoptr(SignpostSlot) slot = g_list_model_get_item (slots, i);
      const char *practice = signpost_record_get_practice_id (SIGNPOST_RECORD (slot));
      GPtrArray *list;
      SignpostPatient *patient;

      if (i % 4 == 3 || signpost_slot_check_bookable (slot, NULL, &booker) != SIGNPOST_SLOT_BOOKABLE)
        continue;
      list = g_hash_table_lookup (patients, practice);
      if (list == NULL)
        {
          list = patients_of (cache, practice);
          g_hash_table_insert (patients, g_strdup (practice), list);
        }
      if (list->len == 0)
        continue;
      patient = g_ptr_array_index (list, (i * 37) % list->len);
      g_free (signpost_actions_book_slot (actions, signpost_record_get_id (SIGNPOST_RECORD (slot)),
                                          signpost_record_get_id (SIGNPOST_RECORD (patient)),
                                          reasons[(i * 7) % G_N_ELEMENTS (reasons)], NULL, "Booked (screenshot)", NULL));
    }
}

/* Once the bookings are on the server: some patients have arrived, one
 * did not come, a slot is blocked. */
static void
mark_some (Shot *shot)
{
  SignpostSyncEngine *engine = signpost_window_get_engine (shot->window);
  SignpostCache *cache = signpost_sync_engine_get_cache (engine);
  SignpostOutbox *outbox = signpost_sync_engine_get_outbox (engine);
  GListModel *slots = signpost_diary_day_get_slots (signpost_diary_page_get_day (diary (shot)));
  guint booked = 0;

  for (guint i = 0; i < g_list_model_get_n_items (slots); i++)
    {
      g_autoptr(SignpostSlot) slot = g_list_model_get_item (slots, i);
      g_autoptr(SignpostAppointment) appointment = NULL;
      g_autoptr(SignpostAppointment) changed = NULL;

      if (signpost_slot_get_status (slot) != SIGNPOST_SLOT_BOOKED)
        continue;
      appointment = signpost_cache_get_live_appointment (cache, signpost_record_get_id (SIGNPOST_RECORD (slot)), NULL);
      if (appointment == NULL || booked++ % 5 != 0)
        continue;
      changed = signpost_object_copy (SIGNPOST_OBJECT (appointment));
      signpost_appointment_set_status (changed, booked % 3 == 0 ? SIGNPOST_APPOINTMENT_DID_NOT_ATTEND
                                                                : SIGNPOST_APPOINTMENT_ARRIVED);
      signpost_outbox_save (outbox, SIGNPOST_RECORD (changed), "Marked (screenshot)", NULL);
    }
}

static SignpostSlot *
first_bookable_hub_slot (Shot *shot)
{
  SignpostSyncEngine *engine = signpost_window_get_engine (shot->window);
  GListModel *slots = signpost_diary_day_get_slots (signpost_diary_page_get_day (diary (shot)));
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  SignpostUser *user = signpost_sync_engine_get_user (engine);
  SignpostSlotBooker booker = { signpost_user_get_hub (user), signpost_user_get_practice_ids (user), now };

  for (guint i = 0; i < g_list_model_get_n_items (slots); i++)
    {
      g_autoptr(SignpostSlot) slot = g_list_model_get_item (slots, i);
      if (signpost_slot_get_hub_bookable (slot) && signpost_slot_get_mode (slot) == SIGNPOST_SLOT_MODE_FACE_TO_FACE &&
          signpost_slot_check_bookable (slot, NULL, &booker) == SIGNPOST_SLOT_BOOKABLE)
        return g_steal_pointer (&slot);
    }
  return NULL;
}

static void
other_logged_in (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Shot *shot = user_data;
  g_autoptr(GError) error = NULL;

  if (!signpost_sync_engine_login_finish (SIGNPOST_SYNC_ENGINE (source), result, &error))
    g_printerr ("The other console could not sign in: %s\n", error->message);
  else
    signpost_sync_engine_start (SIGNPOST_SYNC_ENGINE (source));
  shot->other_logged_in = TRUE;
}

static gboolean
step (gpointer data)
{
  Shot *shot = data;
  SignpostSyncEngine *engine = signpost_window_get_engine (shot->window);
  SignpostDiaryPage *page;

  switch (shot->step)
    {
    case 0: /* signed in and caught up */
      if (!signpost_window_get_signed_in (shot->window))
        {
          /* A hub navigator is asked how they work today: all practices. */
          GtkWidget *next = console_screenshot_find_continue (GTK_WIDGET (shot->window));
          if (next != NULL)
            gtk_widget_activate (next);
          return G_SOURCE_CONTINUE;
        }
      if (!online (engine))
        return G_SOURCE_CONTINUE;
      gtk_widget_activate_action (GTK_WIDGET (shot->window), "win.show-page", "s", "diary");
      page = diary (shot);
      if (shot->date != NULL)
        signpost_diary_page_set_date (page, shot->date);
      if (g_str_equal (shot->mode, "diary"))
        return G_SOURCE_REMOVE;
      if (g_str_equal (shot->mode, "diary-find"))
        {
          /* A request from triage: a GP today, face to face, for a patient
           * with a usual GP; its outcome "booked" opens the diary. */
          SignpostCache *cache = signpost_sync_engine_get_cache (engine);
          g_autoptr(GPtrArray) patients = patients_of (cache, signpost_user_get_practice_ids (signpost_sync_engine_get_user (engine))[0]);
          g_autoptr(SignpostTriage) triage = signpost_triage_new ();
          g_autoptr(SignpostRoute) route = signpost_route_new ();
          g_autofree char *id = g_uuid_string_random ();
          SignpostPatient *patient = NULL;

          for (guint i = 20; i < patients->len && patient == NULL; i++)
            if (signpost_patient_get_usual_clinician_id (g_ptr_array_index (patients, i)) != NULL)
              patient = g_ptr_array_index (patients, i);
          if (patient == NULL)
            return G_SOURCE_REMOVE;
          signpost_record_set_id (SIGNPOST_RECORD (triage), id);
          signpost_record_set_practice_id (SIGNPOST_RECORD (triage), signpost_record_get_practice_id (SIGNPOST_RECORD (patient)));
          signpost_triage_set_patient_id (triage, signpost_record_get_id (SIGNPOST_RECORD (patient)));
          signpost_triage_set_reason (triage, "Earache since Friday, worse at night");
          signpost_triage_set_urgency (triage, SIGNPOST_URGENCY_SAME_DAY);
          signpost_route_set_kind (route, SIGNPOST_ROUTE_PROFESSION);
          signpost_route_set_profession (route, "gp");
          signpost_triage_set_route (triage, route);
          signpost_triage_set_contact_method (triage, SIGNPOST_CONTACT_IN_PERSON);
          signpost_triage_set_status (triage, SIGNPOST_TRIAGE_OPEN);
          signpost_outbox_save (signpost_sync_engine_get_outbox (engine), SIGNPOST_RECORD (triage),
                                "Request (screenshot)", NULL);
          gtk_widget_activate_action (GTK_WIDGET (shot->window), "win.find-slot", "s", id);
          return G_SOURCE_REMOVE;
        }
      if (g_str_equal (shot->mode, "diary-conflict"))
        {
          g_autoptr(SignpostSlot) slot = first_bookable_hub_slot (shot);
          g_autoptr(GPtrArray) patients = NULL;
          GtkWindow *dialog;

          if (slot == NULL)
            return G_SOURCE_REMOVE;
          shot->slot_id = g_strdup (signpost_record_get_id (SIGNPOST_RECORD (slot)));
          patients = patients_of (signpost_sync_engine_get_cache (engine),
                                  signpost_record_get_practice_id (SIGNPOST_RECORD (slot)));
          /* This PC loses the network, books, ... */
          signpost_sync_engine_stop (engine);
          dialog = signpost_diary_page_book_slot (page, shot->slot_id);
          signpost_booking_dialog_set_patient (SIGNPOST_BOOKING_DIALOG (dialog), g_ptr_array_index (patients, 11));
          signpost_booking_dialog_set_reason (SIGNPOST_BOOKING_DIALOG (dialog), "Chest pain on and off for a week");
          signpost_booking_dialog_book (SIGNPOST_BOOKING_DIALOG (dialog));
          /* ... while someone at another PC books the same slot. */
          shot->other = signpost_sync_engine_new ();
          signpost_sync_engine_login_async (shot->other, shot->url, "duty", "demo-password", NULL, NULL,
                                            other_logged_in, shot);
          shot->step = 10;
          return G_SOURCE_CONTINUE;
        }
      fill_day (shot);
      shot->step = 1;
      return G_SOURCE_CONTINUE;

    case 1: /* the busy day is on the server */
      if (signpost_outbox_get_n_waiting (signpost_sync_engine_get_outbox (engine)) > 0 || !online (engine))
        return G_SOURCE_CONTINUE;
      mark_some (shot);
      shot->step = 2;
      return G_SOURCE_CONTINUE;

    case 2:
      if (signpost_outbox_get_n_waiting (signpost_sync_engine_get_outbox (engine)) > 0 || !online (engine))
        return G_SOURCE_CONTINUE;
      if (g_str_equal (shot->mode, "diary-print") && shot->pdf != NULL)
        {
          g_autoptr(GError) error = NULL;
          if (!signpost_diary_page_export_day_list (diary (shot), NULL, shot->pdf, &error))
            g_printerr ("%s\n", error->message);
          else
            g_print ("Wrote %s\n", shot->pdf);
        }
      return G_SOURCE_REMOVE;

    case 10: /* the other console books the slot */
      if (!shot->other_logged_in || !online (shot->other))
        return G_SOURCE_CONTINUE;
      {
        g_autoptr(GPtrArray) patients = NULL;
        g_autoptr(SignpostSlot) slot = signpost_cache_get_record (signpost_sync_engine_get_cache (shot->other),
                                                                  SIGNPOST_RECORD_SLOT, shot->slot_id, NULL);
        patients = patients_of (signpost_sync_engine_get_cache (shot->other),
                                signpost_record_get_practice_id (SIGNPOST_RECORD (slot)));
        g_free (signpost_actions_book_slot (signpost_actions_get_for_engine (shot->other), shot->slot_id,
                                            signpost_record_get_id (g_ptr_array_index (patients, 3)), NULL, NULL,
                                            "Booked at the other PC", NULL));
      }
      shot->step = 11;
      return G_SOURCE_CONTINUE;

    case 11: /* ... and this PC comes back */
      if (signpost_outbox_get_n_waiting (signpost_sync_engine_get_outbox (shot->other)) > 0)
        return G_SOURCE_CONTINUE;
      signpost_sync_engine_start (engine);
      return G_SOURCE_REMOVE;

    default:
      return G_SOURCE_REMOVE;
    }
}

gboolean
console_screenshot_diary_start (SignpostWindow  *window,
                                char           **args)
{
  Shot *shot;

  if (!g_str_has_prefix (args[1], "diary"))
    return FALSE;
  shot = g_new0 (Shot, 1);
  shot->window = window;
  shot->mode = g_strdup (args[1]);
  shot->url = g_strdup (args[2]);
  shot->user = g_strdup (args[3]);
  shot->date = args[4] != NULL && *args[4] != '\0' ? g_strdup (args[4]) : NULL;
  shot->pdf = args[4] != NULL && args[5] != NULL ? g_strdup (args[5]) : NULL;
  {
    /* The whole screen, as a maximised window would be (no window
     * manager under Xvfb). */
    GListModel *monitors = gdk_display_get_monitors (gtk_widget_get_display (GTK_WIDGET (window)));
    g_autoptr(GdkMonitor) monitor = g_list_model_get_item (monitors, 0);
    GdkRectangle area;

    if (monitor != NULL)
      {
        gdk_monitor_get_geometry (monitor, &area);
        gtk_window_set_default_size (GTK_WINDOW (window), area.width, area.height);
      }
  }
  signpost_window_sign_in (window, shot->url, shot->user, "demo-password");
  /* Left running for the screenshot: never freed. */
  g_timeout_add (200, step, shot);
  return TRUE;
}
