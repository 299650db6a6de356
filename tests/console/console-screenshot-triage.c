/* SPDX-License-Identifier: GPL-3.0-or-later */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>

#include "signpost-application.h"
#include "signpost-duty-list-page.h"
#include "signpost-triage-form.h"
#include "signpost-window.h"

/*
 * Puts the real console into a state worth a screenshot of care
 * navigation, then leaves it running for build-aux/screenshot:
 *
 *   console-screenshot-triage form     URL USER            (empty, for a patient)
 *   console-screenshot-triage red-flag URL USER            (chest pain ticked)
 *   console-screenshot-triage pharmacy URL USER            (a sore throat)
 *   console-screenshot-triage duty     URL USER            (the duty list, the first request open)
 *   console-screenshot-triage mine     URL USER            (a navigator's own requests)
 *
 * The password is "demo-password": demo servers only.
 */

static char **args;

static GtkWidget *
find_button (GtkWidget  *root,
             const char *label)
{
  if (GTK_IS_BUTTON (root) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (root)), label) == 0)
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child; child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_button (child, label);
      if (found != NULL)
        return found;
    }
  return NULL;
}

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

/* A demo patient of working age with a mobile: a woman, so that every
 * Pharmacy First condition could apply. */
static SignpostPatient *
pick_patient (SignpostCache *cache)
{
  g_autoptr(GPtrArray) patients = signpost_cache_list_records (cache, SIGNPOST_RECORD_PATIENT, NULL);
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GTimeZone) tz = signpost_time_zone_new (SIGNPOST_DEFAULT_TIME_ZONE, NULL);

  for (guint pass = 0; pass < 2; pass++)
    for (guint i = 0; i < patients->len; i++)
      {
        SignpostPatient *patient = g_ptr_array_index (patients, i);
        int age = signpost_age_from_iso_date (signpost_patient_get_date_of_birth (patient), now, tz);
        GListModel *alerts = signpost_patient_get_alerts (patient);

        if (signpost_patient_get_sex (patient) == SIGNPOST_SEX_FEMALE && age >= 30 && age <= 60 &&
            signpost_patient_get_usual_clinician_id (patient) != NULL &&
            (pass == 1 || (alerts != NULL && g_list_model_get_n_items (alerts) > 0)))
          return g_object_ref (patient);
      }
  return NULL;
}

static gboolean
drive (gpointer data)
{
  SignpostWindow *window = data;
  SignpostSyncEngine *engine = signpost_window_get_engine (window);
  const char *mode = args[1];
  GtkWidget *button;

  if (!signpost_window_get_signed_in (window))
    {
      /* Several practices: "All my practices". */
      button = find_button (GTK_WIDGET (window), "_Continue");
      if (button != NULL && gtk_widget_get_mapped (button))
        gtk_widget_activate (button);
      return G_SOURCE_CONTINUE;
    }
  if (signpost_sync_engine_get_state (engine) != SIGNPOST_SYNC_STATE_ONLINE ||
      signpost_sync_engine_get_first_sync (engine))
    return G_SOURCE_CONTINUE;

  if (g_str_equal (mode, "duty") || g_str_equal (mode, "mine"))
    {
      GtkWidget *page = NULL;
      GListModel *model;

      gtk_widget_activate_action (GTK_WIDGET (window), "win.show-page", "s", "duty");
      page = find_type (GTK_WIDGET (window), SIGNPOST_TYPE_DUTY_LIST_PAGE);
      if (page == NULL)
        return G_SOURCE_REMOVE;
      model = signpost_duty_list_page_get_model (SIGNPOST_DUTY_LIST_PAGE (page));
      if (g_str_equal (mode, "duty") && model != NULL && g_list_model_get_n_items (model) > 0)
        {
          g_autoptr(SignpostTriage) first = g_list_model_get_item (model, 0);
          signpost_duty_list_page_open (SIGNPOST_DUTY_LIST_PAGE (page), signpost_record_get_id (SIGNPOST_RECORD (first)));
        }
      return G_SOURCE_REMOVE;
    }

  {
    g_autoptr(SignpostPatient) patient = pick_patient (signpost_sync_engine_get_cache (engine));
    SignpostTriageForm *form;

    if (patient == NULL)
      return G_SOURCE_REMOVE;
    form = signpost_triage_form_open (GTK_WINDOW (window), signpost_actions_get_for_engine (engine), NULL, NULL,
                                      signpost_record_get_id (SIGNPOST_RECORD (patient)));
    gtk_window_set_default_size (GTK_WINDOW (form), 1300, 740);
    if (g_str_equal (mode, "red-flag"))
      {
        signpost_triage_form_set_reason (form, "Crushing pain in the middle of my chest for twenty minutes, "
                                               "going into my left arm. I feel sweaty and sick.");
        signpost_triage_form_set_red_flag (form, "chest_pain", TRUE);
      }
    else if (g_str_equal (mode, "pharmacy"))
      {
        signpost_triage_form_set_reason (form, "Really sore throat since Saturday, hurts to swallow. "
                                               "No temperature. Wondering if I need antibiotics.");
        signpost_triage_form_set_urgency (form, SIGNPOST_URGENCY_ROUTINE);
      }
  }
  return G_SOURCE_REMOVE;
}

static void
on_activate (GApplication *app)
{
  SignpostWindow *window = SIGNPOST_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app)));

  signpost_window_sign_in (window, args[2], args[3], "demo-password");
  g_timeout_add (200, drive, window);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(SignpostApplication) app = NULL;
  char *plain[] = { argv[0], NULL };

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  textdomain (GETTEXT_PACKAGE);

  if (argc < 4)
    {
      g_printerr ("usage: %s form|red-flag|pharmacy|duty|mine URL USER\n", argv[0]);
      return 2;
    }
  args = argv;
  app = signpost_application_new ();
  g_signal_connect_after (app, "activate", G_CALLBACK (on_activate), NULL);
  return g_application_run (G_APPLICATION (app), 1, plain);
}
