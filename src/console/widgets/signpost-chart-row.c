/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <math.h>

#include "signpost-chart-row.h"

struct _SignpostChartRow
{
  GObject parent_instance;

  char *tick;   /* the axis label, "" for none */
  char *title;  /* the table's first column */
  double *values;
  guint n_values;
};

G_DEFINE_FINAL_TYPE (SignpostChartRow, signpost_chart_row, G_TYPE_OBJECT)

static void
signpost_chart_row_finalize (GObject *object)
{
  SignpostChartRow *self = SIGNPOST_CHART_ROW (object);

  g_free (self->tick);
  g_free (self->title);
  g_free (self->values);

  G_OBJECT_CLASS (signpost_chart_row_parent_class)->finalize (object);
}

static void
signpost_chart_row_class_init (SignpostChartRowClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_chart_row_finalize;
}

static void
signpost_chart_row_init (SignpostChartRow *self)
{
}

SignpostChartRow *
signpost_chart_row_new (const char   *tick,
                        const char   *title,
                        const double *values,
                        guint         n_values)
{
  SignpostChartRow *self = g_object_new (SIGNPOST_TYPE_CHART_ROW, NULL);

  g_return_val_if_fail (values != NULL || n_values == 0, self);

  self->tick = g_strdup (tick ? tick : "");
  self->title = g_strdup (title ? title : "");
  self->values = g_memdup2 (values, sizeof (double) * n_values);
  self->n_values = n_values;
  return self;
}

const char *
signpost_chart_row_get_tick (SignpostChartRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART_ROW (self), NULL);
  return self->tick;
}

const char *
signpost_chart_row_get_title (SignpostChartRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART_ROW (self), NULL);
  return self->title;
}

guint
signpost_chart_row_get_n_values (SignpostChartRow *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART_ROW (self), 0);
  return self->n_values;
}

double
signpost_chart_row_get_value (SignpostChartRow *self,
                              guint             index)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART_ROW (self), NAN);
  return index < self->n_values ? self->values[index] : NAN;
}

static gboolean
same_number (double a,
             double b)
{
  return (isnan (a) && isnan (b)) || a == b;
}

gboolean
signpost_chart_row_equal (SignpostChartRow *a,
                          SignpostChartRow *b)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART_ROW (a), FALSE);
  g_return_val_if_fail (SIGNPOST_IS_CHART_ROW (b), FALSE);

  if (a->n_values != b->n_values || g_strcmp0 (a->tick, b->tick) != 0 || g_strcmp0 (a->title, b->title) != 0)
    return FALSE;
  for (guint i = 0; i < a->n_values; i++)
    if (!same_number (a->values[i], b->values[i]))
      return FALSE;
  return TRUE;
}
