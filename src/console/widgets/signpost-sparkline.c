/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <math.h>

#include "signpost-sparkline.h"

struct _SignpostSparkline
{
  GtkWidget parent_instance;

  GArray *values;
  GArray *reference;
  double low;
  double high;
};

G_DEFINE_FINAL_TYPE (SignpostSparkline, signpost_sparkline, GTK_TYPE_WIDGET)

static void
trace (cairo_t *cr,
       GArray  *values,
       double   x0,
       double   y0,
       double   width,
       double   height,
       double   low,
       double   high,
       gboolean dots)
{
  gboolean drawing = FALSE;
  guint n = values->len;

  for (guint i = 0; i < n; i++)
    {
      double v = g_array_index (values, double, i);
      double x = x0 + (n > 1 ? width * i / (n - 1) : width / 2);
      double y;

      if (isnan (v))
        {
          drawing = FALSE;
          continue;
        }
      y = y0 + height * (1 - (CLAMP (v, low, high) - low) / (high - low));
      if (drawing)
        cairo_line_to (cr, x, y);
      else
        cairo_move_to (cr, x, y);
      drawing = TRUE;
    }
  cairo_stroke (cr);
  if (!dots)
    return;
  for (guint i = 0; i < n; i++)
    {
      double v = g_array_index (values, double, i);
      double x = x0 + (n > 1 ? width * i / (n - 1) : width / 2);

      if (isnan (v))
        continue;
      cairo_new_path (cr);
      cairo_arc (cr, x, y0 + height * (1 - (CLAMP (v, low, high) - low) / (high - low)), 2.2, 0, 2 * G_PI);
      cairo_fill (cr);
    }
}

static void
signpost_sparkline_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  SignpostSparkline *self = SIGNPOST_SPARKLINE (widget);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  cairo_t *cr;
  GdkRGBA ink;
  const double dash[] = { 4, 3 };

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &ink);
  G_GNUC_END_IGNORE_DEPRECATIONS
  if (self->values->len == 0 || !(self->high > self->low))
    return;
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));
  cairo_set_line_width (cr, 1);
  cairo_set_source_rgba (cr, ink.red, ink.green, ink.blue, 0.2);
  cairo_rectangle (cr, 0.5, 0.5, width - 1, height - 1);
  cairo_stroke (cr);
  if (self->reference->len > 0)
    {
      cairo_set_source_rgba (cr, ink.red, ink.green, ink.blue, 0.55);
      cairo_set_dash (cr, dash, 2, 0);
      trace (cr, self->reference, 6, 6, width - 12, height - 12, self->low, self->high, FALSE);
      cairo_set_dash (cr, NULL, 0, 0);
    }
  cairo_set_line_width (cr, 2);
  cairo_set_source_rgba (cr, ink.red, ink.green, ink.blue, 1);
  trace (cr, self->values, 6, 6, width - 12, height - 12, self->low, self->high, TRUE);
  cairo_destroy (cr);
}

static void
signpost_sparkline_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 160 : 56;
}

static void
signpost_sparkline_finalize (GObject *object)
{
  SignpostSparkline *self = SIGNPOST_SPARKLINE (object);

  g_array_unref (self->values);
  g_array_unref (self->reference);
  G_OBJECT_CLASS (signpost_sparkline_parent_class)->finalize (object);
}

static void
signpost_sparkline_class_init (SignpostSparklineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = signpost_sparkline_finalize;
  GTK_WIDGET_CLASS (klass)->snapshot = signpost_sparkline_snapshot;
  GTK_WIDGET_CLASS (klass)->measure = signpost_sparkline_measure;
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "sparkline");
  gtk_widget_class_set_accessible_role (GTK_WIDGET_CLASS (klass), GTK_ACCESSIBLE_ROLE_IMG);
}

static void
signpost_sparkline_init (SignpostSparkline *self)
{
  self->values = g_array_new (FALSE, FALSE, sizeof (double));
  self->reference = g_array_new (FALSE, FALSE, sizeof (double));
}

GtkWidget *
signpost_sparkline_new (void)
{
  return g_object_new (SIGNPOST_TYPE_SPARKLINE, NULL);
}

void
signpost_sparkline_set_values (SignpostSparkline *self,
                               const double      *values,
                               const double      *reference,
                               guint              n,
                               double             low,
                               double             high)
{
  g_return_if_fail (SIGNPOST_IS_SPARKLINE (self));

  g_array_set_size (self->values, 0);
  g_array_append_vals (self->values, values, n);
  g_array_set_size (self->reference, 0);
  if (reference != NULL)
    g_array_append_vals (self->reference, reference, n);
  self->low = low;
  self->high = high;
  gtk_widget_queue_draw (GTK_WIDGET (self));
}
