/* SPDX-License-Identifier: GPL-3.0-or-later */

#include "config.h"

#include <glib/gi18n-lib.h>

#include "signpost-namesakes.h"
#include "signpost-nhs-number.h"
#include "signpost-online-rules.h"
#include "signpost-record.h"

static gboolean
on_the_list (SignpostPatient *patient)
{
  return signpost_patient_get_left_at (patient) == NULL;
}

static gboolean
same_name (const char *a,
           const char *b)
{
  g_autofree char *fa = signpost_name_fold (a);
  g_autofree char *fb = signpost_name_fold (b);

  return *fa != '\0' && g_str_equal (fa, fb);
}

gboolean
signpost_patient_is_namesake (SignpostPatient *a,
                              SignpostPatient *b)
{
  const char *dob_a;
  const char *dob_b;

  g_return_val_if_fail (SIGNPOST_IS_PATIENT (a), FALSE);
  g_return_val_if_fail (SIGNPOST_IS_PATIENT (b), FALSE);

  if (a == b || g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (a)),
                           signpost_record_get_id (SIGNPOST_RECORD (b))) == 0)
    return FALSE;
  if (!on_the_list (a) || !on_the_list (b))
    return FALSE;
  dob_a = signpost_patient_get_date_of_birth (a);
  dob_b = signpost_patient_get_date_of_birth (b);
  if (dob_a == NULL || dob_b == NULL || !g_str_equal (dob_a, dob_b))
    return FALSE;
  return same_name (signpost_patient_get_family_name (a), signpost_patient_get_family_name (b)) &&
         same_name (signpost_patient_get_given_name (a), signpost_patient_get_given_name (b));
}

GHashTable *
signpost_patients_find_namesakes (GListModel *patients)
{
  GHashTable *found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n;

  g_return_val_if_fail (G_IS_LIST_MODEL (patients), found);

  n = g_list_model_get_n_items (patients);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SignpostPatient) a = g_list_model_get_item (patients, i);

      for (guint j = i + 1; j < n; j++)
        {
          g_autoptr(SignpostPatient) b = g_list_model_get_item (patients, j);

          if (signpost_patient_is_namesake (a, b))
            {
              g_hash_table_add (found, g_strdup (signpost_record_get_id (SIGNPOST_RECORD (a))));
              g_hash_table_add (found, g_strdup (signpost_record_get_id (SIGNPOST_RECORD (b))));
            }
        }
    }
  return found;
}

char *
signpost_namesake_warning (SignpostPatient *patient,
                           guint            n_namesakes)
{
  const char *postcode;
  const char *nhs;
  g_autofree char *nhs_shown = NULL;
  g_autofree char *own = NULL;
  g_autofree char *first = NULL;

  g_return_val_if_fail (SIGNPOST_IS_PATIENT (patient), NULL);

  if (n_namesakes == 0)
    return NULL;
  postcode = signpost_patient_get_postcode (patient);
  nhs = signpost_patient_get_nhs_number (patient);
  nhs_shown = nhs ? signpost_nhs_number_format (nhs) : NULL;
  if (postcode != NULL && nhs_shown != NULL)
    /* Translators: this patient's own postcode and NHS number, to check the caller's answer against */
    own = g_strdup_printf (_("This one: postcode %s, NHS %s."), postcode, nhs_shown);
  else if (postcode != NULL)
    own = g_strdup_printf (_("This one: postcode %s."), postcode);
  else if (nhs_shown != NULL)
    own = g_strdup_printf (_("This one: NHS %s."), nhs_shown);
  else
    own = g_strdup (_("This one has no postcode or NHS number recorded: ask for the first line of the address."));

  first = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "%u other patient has the same name and date of birth.",
                                       "%u other patients have the same name and date of birth.",
                                       n_namesakes),
                           n_namesakes);
  /* Translators: the first %s says how many namesakes there are, the second this patient's own details */
  return g_strdup_printf (_("%s Ask for a second identifier: postcode or NHS number. %s"), first, own);
}
