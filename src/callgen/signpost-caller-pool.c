/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-callgen"

#include "config.h"

#include "signpost-caller-pool.h"

/*
 * Who rings: the numbers on each practice's patient records, split into
 * mobiles (one per patient who has one) and household landlines (each
 * distinct number once, however many patients share it), plus numbers on
 * nobody's record and withheld numbers. Every number made up here comes
 * from Ofcom's drama ranges, and is checked against the records so that an
 * "unknown" caller really is unknown.
 */

typedef struct {
  guint n_patients;
  GPtrArray *mobiles;
  GPtrArray *landlines;
  GHashTable *landline_set;
} Practice;

struct _SignpostCallerPool
{
  GObject parent_instance;

  GHashTable *practices; /* practice id → Practice */
  GHashTable *known;     /* every number on a record, any practice */
};

G_DEFINE_FINAL_TYPE (SignpostCallerPool, signpost_caller_pool, G_TYPE_OBJECT)

/* Ofcom's numbers for TV and radio drama, in E.164 without the last
 * three (or four) digits; each block holds 1000 numbers. */
static const char * const drama_blocks[] = {
  "+447700900", /* 07700 900000–900999 */
  "+441632960", /* 01632 960000–960999 */
  "+441174960", /* 0117 496 0000–0999 */
  "+442079460", /* 020 7946 0000–0999 */
};

#define UNKNOWN_TRIES 64

static void
practice_free (gpointer data)
{
  Practice *practice = data;

  g_ptr_array_unref (practice->mobiles);
  g_ptr_array_unref (practice->landlines);
  g_hash_table_unref (practice->landline_set);
  g_free (practice);
}

static Practice *
ensure_practice (SignpostCallerPool *self,
                 const char         *practice_id)
{
  Practice *practice = g_hash_table_lookup (self->practices, practice_id);

  if (practice == NULL)
    {
      practice = g_new0 (Practice, 1);
      practice->mobiles = g_ptr_array_new_with_free_func (g_free);
      practice->landlines = g_ptr_array_new_with_free_func (g_free);
      practice->landline_set = g_hash_table_new (g_str_hash, g_str_equal);
      g_hash_table_insert (self->practices, g_strdup (practice_id), practice);
    }
  return practice;
}

static guint
practice_n_numbers (Practice           *practice,
                    SignpostCallerKind  kind)
{
  if (practice == NULL)
    return 0;
  switch (kind)
    {
    case SIGNPOST_CALLER_MOBILE:
      return practice->mobiles->len;
    case SIGNPOST_CALLER_LANDLINE:
      return practice->landlines->len;
    case SIGNPOST_CALLER_UNKNOWN:
    case SIGNPOST_CALLER_WITHHELD:
    default:
      return 0;
    }
}

static void
signpost_caller_pool_finalize (GObject *object)
{
  SignpostCallerPool *self = SIGNPOST_CALLER_POOL (object);

  g_clear_pointer (&self->practices, g_hash_table_unref);
  g_clear_pointer (&self->known, g_hash_table_unref);

  G_OBJECT_CLASS (signpost_caller_pool_parent_class)->finalize (object);
}

static void
signpost_caller_pool_class_init (SignpostCallerPoolClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_caller_pool_finalize;
}

static void
signpost_caller_pool_init (SignpostCallerPool *self)
{
  self->practices = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, practice_free);
  self->known = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

SignpostCallerPool *
signpost_caller_pool_new (void)
{
  return g_object_new (SIGNPOST_TYPE_CALLER_POOL, NULL);
}

/* Counts patients without numbers too: the list size drives the traffic. */
void
signpost_caller_pool_add_patients (SignpostCallerPool *self,
                                   const char         *practice_id,
                                   guint               n_patients)
{
  g_return_if_fail (SIGNPOST_IS_CALLER_POOL (self));
  g_return_if_fail (practice_id != NULL);

  ensure_practice (self, practice_id)->n_patients += n_patients;
}

void
signpost_caller_pool_add_number (SignpostCallerPool *self,
                                 const char         *practice_id,
                                 const char         *number,
                                 SignpostPhoneKind   kind)
{
  Practice *practice;

  g_return_if_fail (SIGNPOST_IS_CALLER_POOL (self));
  g_return_if_fail (practice_id != NULL);

  if (number == NULL || !signpost_phone_is_e164 (number))
    return;

  practice = ensure_practice (self, practice_id);
  if (!g_hash_table_contains (self->known, number))
    g_hash_table_add (self->known, g_strdup (number));

  switch (kind)
    {
    case SIGNPOST_PHONE_KIND_MOBILE:
      g_ptr_array_add (practice->mobiles, g_strdup (number));
      break;
    case SIGNPOST_PHONE_KIND_HOME:
      if (!g_hash_table_contains (practice->landline_set, number))
        {
          char *copy = g_strdup (number);

          g_ptr_array_add (practice->landlines, copy);
          g_hash_table_add (practice->landline_set, copy);
        }
      break;
    case SIGNPOST_PHONE_KIND_WORK:
    default:
      /* known, but people rarely ring the surgery from work's switchboard */
      break;
    }
}

void
signpost_caller_pool_add_patient (SignpostCallerPool *self,
                                  SignpostPatient    *patient)
{
  const char *practice_id;
  GListModel *phones;

  g_return_if_fail (SIGNPOST_IS_CALLER_POOL (self));
  g_return_if_fail (SIGNPOST_IS_PATIENT (patient));

  practice_id = signpost_record_get_practice_id (SIGNPOST_RECORD (patient));
  if (practice_id == NULL)
    return;

  signpost_caller_pool_add_patients (self, practice_id, 1);
  phones = signpost_patient_get_phones (patient);
  if (phones == NULL)
    return;
  for (guint i = 0; i < g_list_model_get_n_items (phones); i++)
    {
      g_autoptr(SignpostPhone) phone = g_list_model_get_item (phones, i);

      signpost_caller_pool_add_number (self, practice_id,
                                       signpost_phone_get_number (phone),
                                       signpost_phone_get_kind (phone));
    }
}

guint
signpost_caller_pool_get_n_patients (SignpostCallerPool *self,
                                     const char         *practice_id)
{
  Practice *practice;

  g_return_val_if_fail (SIGNPOST_IS_CALLER_POOL (self), 0);

  practice = g_hash_table_lookup (self->practices, practice_id);
  return practice != NULL ? practice->n_patients : 0;
}

guint
signpost_caller_pool_get_n_numbers (SignpostCallerPool *self,
                                    const char         *practice_id,
                                    SignpostCallerKind  kind)
{
  g_return_val_if_fail (SIGNPOST_IS_CALLER_POOL (self), 0);

  return practice_n_numbers (g_hash_table_lookup (self->practices, practice_id), kind);
}

gboolean
signpost_caller_pool_is_known (SignpostCallerPool *self,
                               const char         *number)
{
  g_return_val_if_fail (SIGNPOST_IS_CALLER_POOL (self), FALSE);

  return number != NULL && g_hash_table_contains (self->known, number);
}

/* A drama-range number on nobody's record, or NULL if (improbably) the
 * records hold nearly all 4000 of them. */
char *
signpost_caller_pool_draw_unknown (SignpostCallerPool *self,
                                   GRand              *rand)
{
  g_return_val_if_fail (SIGNPOST_IS_CALLER_POOL (self), NULL);
  g_return_val_if_fail (rand != NULL, NULL);

  for (guint i = 0; i < UNKNOWN_TRIES; i++)
    {
      guint block = g_rand_int_range (rand, 0, G_N_ELEMENTS (drama_blocks));
      guint n = g_rand_int_range (rand, 0, 1000);
      g_autofree char *number = g_strdup_printf ("%s%03u", drama_blocks[block], n);

      if (!g_hash_table_contains (self->known, number))
        return g_steal_pointer (&number);
    }
  return NULL;
}

static SignpostCallerKind
draw_kind (const SignpostTrafficParams *params,
           GRand                       *rand)
{
  double shares[SIGNPOST_CALLER_N_KINDS] = {
    MAX (params->share_mobile, 0),
    MAX (params->share_landline, 0),
    MAX (params->share_unknown, 0),
    MAX (params->share_withheld, 0),
  };
  double total = 0, u;

  for (guint i = 0; i < G_N_ELEMENTS (shares); i++)
    total += shares[i];
  if (!(total > 0))
    return SIGNPOST_CALLER_WITHHELD;

  u = g_rand_double (rand) * total;
  for (guint i = 0; i < G_N_ELEMENTS (shares); i++)
    {
      if (u < shares[i])
        return (SignpostCallerKind) i;
      u -= shares[i];
    }
  return SIGNPOST_CALLER_WITHHELD;
}

/**
 * signpost_caller_pool_draw:
 * @kind: (out): what kind of caller it turned out to be
 *
 * Draws one caller's number for a call to @practice_id. A practice with no
 * mobiles (or no landlines) on its records passes that share to the other
 * known kind, then to unknown numbers.
 *
 * Returns: (nullable): the caller's E.164 number, or %NULL if withheld
 */
char *
signpost_caller_pool_draw (SignpostCallerPool          *self,
                           const char                  *practice_id,
                           const SignpostTrafficParams *params,
                           GRand                       *rand,
                           SignpostCallerKind          *kind)
{
  Practice *practice;
  SignpostCallerKind drawn;
  char *number = NULL;

  g_return_val_if_fail (SIGNPOST_IS_CALLER_POOL (self), NULL);
  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (rand != NULL, NULL);
  g_return_val_if_fail (kind != NULL, NULL);

  practice = g_hash_table_lookup (self->practices, practice_id);
  drawn = draw_kind (params, rand);

  if (drawn == SIGNPOST_CALLER_MOBILE && practice_n_numbers (practice, drawn) == 0)
    drawn = SIGNPOST_CALLER_LANDLINE;
  else if (drawn == SIGNPOST_CALLER_LANDLINE && practice_n_numbers (practice, drawn) == 0)
    drawn = SIGNPOST_CALLER_MOBILE;
  if ((drawn == SIGNPOST_CALLER_MOBILE || drawn == SIGNPOST_CALLER_LANDLINE) &&
      practice_n_numbers (practice, drawn) == 0)
    drawn = SIGNPOST_CALLER_UNKNOWN;

  switch (drawn)
    {
    case SIGNPOST_CALLER_MOBILE:
      number = g_strdup (g_ptr_array_index (practice->mobiles,
                                            g_rand_int_range (rand, 0, practice->mobiles->len)));
      break;
    case SIGNPOST_CALLER_LANDLINE:
      number = g_strdup (g_ptr_array_index (practice->landlines,
                                            g_rand_int_range (rand, 0, practice->landlines->len)));
      break;
    case SIGNPOST_CALLER_UNKNOWN:
      number = signpost_caller_pool_draw_unknown (self, rand);
      if (number == NULL)
        drawn = SIGNPOST_CALLER_WITHHELD;
      break;
    case SIGNPOST_CALLER_WITHHELD:
    default:
      break;
    }

  *kind = drawn;
  return number;
}

const char *
signpost_caller_kind_to_string (SignpostCallerKind kind)
{
  switch (kind)
    {
    case SIGNPOST_CALLER_MOBILE:
      return "mobile";
    case SIGNPOST_CALLER_LANDLINE:
      return "landline";
    case SIGNPOST_CALLER_UNKNOWN:
      return "unknown";
    case SIGNPOST_CALLER_WITHHELD:
      return "withheld";
    default:
      return "?";
    }
}
