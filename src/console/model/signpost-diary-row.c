/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include "signpost-diary-row.h"

enum {
  CHANGED,
  N_SIGNALS
};

struct _SignpostDiaryRow
{
  GObject parent_instance;

  GDateTime *start;
  gint64 start_ms;
  char *label;
  GHashTable *slots; /* clinician id → SignpostSlot */
};

G_DEFINE_FINAL_TYPE (SignpostDiaryRow, signpost_diary_row, G_TYPE_OBJECT)

static guint signals[N_SIGNALS];

static void
signpost_diary_row_finalize (GObject *object)
{
  SignpostDiaryRow *self = SIGNPOST_DIARY_ROW (object);

  g_clear_pointer (&self->start, g_date_time_unref);
  g_clear_pointer (&self->label, g_free);
  g_clear_pointer (&self->slots, g_hash_table_unref);

  G_OBJECT_CLASS (signpost_diary_row_parent_class)->finalize (object);
}

static void
signpost_diary_row_class_init (SignpostDiaryRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = signpost_diary_row_finalize;

  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
signpost_diary_row_init (SignpostDiaryRow *self)
{
  self->slots = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
}

SignpostDiaryRow *
signpost_diary_row_new (GDateTime  *start,
                        const char *label)
{
  SignpostDiaryRow *self = g_object_new (SIGNPOST_TYPE_DIARY_ROW, NULL);

  self->start = g_date_time_ref (start);
  self->start_ms = g_date_time_to_unix (start) * 1000 + g_date_time_get_microsecond (start) / 1000;
  self->label = g_strdup (label);
  return self;
}

GDateTime *
signpost_diary_row_get_start (SignpostDiaryRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_ROW (self), NULL);
  return self->start;
}

gint64
signpost_diary_row_get_start_ms (SignpostDiaryRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_ROW (self), 0);
  return self->start_ms;
}

const char *
signpost_diary_row_get_label (SignpostDiaryRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_ROW (self), NULL);
  return self->label;
}

SignpostSlot *
signpost_diary_row_get_slot (SignpostDiaryRow *self,
                             const char       *clinician_id)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_ROW (self), NULL);
  return clinician_id ? g_hash_table_lookup (self->slots, clinician_id) : NULL;
}

guint
signpost_diary_row_get_n_slots (SignpostDiaryRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_ROW (self), 0);
  return g_hash_table_size (self->slots);
}

gboolean
signpost_diary_row_set_slots (SignpostDiaryRow *self,
                              GHashTable       *slots)
{
  GHashTableIter iter;
  gpointer key, value;
  gboolean same;

  g_return_val_if_fail (SIGNPOST_IS_DIARY_ROW (self), FALSE);

  same = g_hash_table_size (slots) == g_hash_table_size (self->slots);
  g_hash_table_iter_init (&iter, slots);
  while (same && g_hash_table_iter_next (&iter, &key, &value))
    same = g_hash_table_lookup (self->slots, key) == value;
  if (same)
    return FALSE;

  g_hash_table_remove_all (self->slots);
  g_hash_table_iter_init (&iter, slots);
  while (g_hash_table_iter_next (&iter, &key, &value))
    g_hash_table_insert (self->slots, g_strdup (key), g_object_ref (value));
  return TRUE;
}

void
signpost_diary_row_changed (SignpostDiaryRow *self)
{
  g_return_if_fail (SIGNPOST_IS_DIARY_ROW (self));
  g_signal_emit (self, signals[CHANGED], 0);
}
