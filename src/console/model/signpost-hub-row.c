/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-hub-row.h"

struct _SignpostHubRow
{
  GObject parent_instance;

  SignpostHubStats *stats;
  const SignpostHubPractice *practice; /* in stats; NULL for the hub */
  gboolean own;
};

G_DEFINE_FINAL_TYPE (SignpostHubRow, signpost_hub_row, G_TYPE_OBJECT)

static void
signpost_hub_row_finalize (GObject *object)
{
  SignpostHubRow *self = SIGNPOST_HUB_ROW (object);

  g_clear_pointer (&self->stats, signpost_hub_stats_unref);
  G_OBJECT_CLASS (signpost_hub_row_parent_class)->finalize (object);
}

static void
signpost_hub_row_class_init (SignpostHubRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_hub_row_finalize;
}

static void
signpost_hub_row_init (SignpostHubRow *self)
{
}

/* @practice lives in @stats; NULL for the hub's total. */
SignpostHubRow *
signpost_hub_row_new (SignpostHubStats          *stats,
                      const SignpostHubPractice *practice,
                      gboolean                   own)
{
  SignpostHubRow *self = g_object_new (SIGNPOST_TYPE_HUB_ROW, NULL);

  self->stats = signpost_hub_stats_ref (stats);
  self->practice = practice;
  self->own = own;
  return self;
}

const char *
signpost_hub_row_get_name (SignpostHubRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_HUB_ROW (self), NULL);
  return self->practice ? self->practice->name : _("All practices in the hub");
}

const char *
signpost_hub_row_get_practice_id (SignpostHubRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_HUB_ROW (self), NULL);
  return self->practice ? self->practice->practice_id : NULL;
}

const SignpostHubFigures *
signpost_hub_row_get_figures (SignpostHubRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_HUB_ROW (self), NULL);
  return self->practice ? &self->practice->totals : &self->stats->hub_totals;
}

gboolean
signpost_hub_row_is_hub (SignpostHubRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_HUB_ROW (self), FALSE);
  return self->practice == NULL;
}

gboolean
signpost_hub_row_is_own (SignpostHubRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_HUB_ROW (self), FALSE);
  return self->own;
}
