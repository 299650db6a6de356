/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "signpost-funnel-plot.h"

#define CURVE_STEPS 80

typedef struct {
  char *name;
  double events;
  double n;
  SignpostFunnelPosition position;
  gboolean highlight;
} Point;

struct _SignpostFunnelPlot
{
  GtkWidget parent_instance;

  double overall;
  GArray *points; /* Point */
  char *x_title;
};

G_DEFINE_FINAL_TYPE (SignpostFunnelPlot, signpost_funnel_plot, GTK_TYPE_WIDGET)

static void
point_clear (gpointer data)
{
  g_free (((Point *) data)->name);
}

static void
ink (GtkWidget *widget,
     GdkRGBA   *color)
{
  GtkStyleContext *context = gtk_widget_get_style_context (widget);

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (context, color);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
set_ink (cairo_t       *cr,
         const GdkRGBA *color,
         double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

static void
draw_text (GtkWidget  *widget,
           cairo_t    *cr,
           const char *text,
           double      x,
           double      y,
           double      x_align, /* 0 left, 0.5 centre, 1 right */
           double      y_align)
{
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, text);
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  cairo_move_to (cr, x - width * x_align, y - height * y_align);
  pango_cairo_show_layout (cr, layout);
}

/* The marker says where a point is without colour: a dot inside the
 * limits, a triangle outside the 95 % (pointing the way it lies), a
 * diamond outside the 99.8 %. */
static void
draw_marker (cairo_t                *cr,
             SignpostFunnelPosition  position,
             double                  x,
             double                  y)
{
  double r = 4.5;

  cairo_new_path (cr);
  switch (position)
    {
    case SIGNPOST_FUNNEL_ABOVE_95:
      cairo_move_to (cr, x, y - r * 1.3);
      cairo_line_to (cr, x + r * 1.2, y + r * 0.9);
      cairo_line_to (cr, x - r * 1.2, y + r * 0.9);
      cairo_close_path (cr);
      break;
    case SIGNPOST_FUNNEL_BELOW_95:
      cairo_move_to (cr, x, y + r * 1.3);
      cairo_line_to (cr, x + r * 1.2, y - r * 0.9);
      cairo_line_to (cr, x - r * 1.2, y - r * 0.9);
      cairo_close_path (cr);
      break;
    case SIGNPOST_FUNNEL_ABOVE_998:
    case SIGNPOST_FUNNEL_BELOW_998:
      cairo_move_to (cr, x, y - r * 1.5);
      cairo_line_to (cr, x + r * 1.5, y);
      cairo_line_to (cr, x, y + r * 1.5);
      cairo_line_to (cr, x - r * 1.5, y);
      cairo_close_path (cr);
      break;
    case SIGNPOST_FUNNEL_NONE:
    case SIGNPOST_FUNNEL_WITHIN:
    default:
      cairo_arc (cr, x, y, r, 0, 2 * G_PI);
      break;
    }
  cairo_fill (cr);
}

static double
nice_step (double range,
           guint  ticks)
{
  double raw = range / MAX (ticks, 1);
  double magnitude = pow (10, floor (log10 (raw)));
  double fraction = raw / magnitude;

  if (fraction <= 1)
    return magnitude;
  if (fraction <= 2)
    return 2 * magnitude;
  if (fraction <= 5)
    return 5 * magnitude;
  return 10 * magnitude;
}

static void
draw (SignpostFunnelPlot *self,
      cairo_t            *cr,
      double              width,
      double              height)
{
  GtkWidget *widget = GTK_WIDGET (self);
  double left = 56, right = 16, top = 28, bottom = 40;
  double plot_w = width - left - right, plot_h = height - top - bottom;
  double max_n = 0, min_n = G_MAXDOUBLE, y_low = 1, y_high = 0, step;
  double curve_lo95[CURVE_STEPS + 1], curve_hi95[CURVE_STEPS + 1];
  double curve_lo998[CURVE_STEPS + 1], curve_hi998[CURVE_STEPS + 1], curve_n[CURVE_STEPS + 1];
  GdkRGBA text;
  guint plotted = 0;

  ink (widget, &text);
  if (plot_w < 40 || plot_h < 40)
    return;

  for (guint i = 0; i < self->points->len; i++)
    {
      Point *p = &g_array_index (self->points, Point, i);

      if (p->n <= 0)
        continue;
      max_n = MAX (max_n, p->n);
      min_n = MIN (min_n, p->n);
      y_low = MIN (y_low, p->events / p->n);
      y_high = MAX (y_high, p->events / p->n);
      plotted++;
    }
  if (plotted == 0 || isnan (self->overall))
    {
      set_ink (cr, &text, 0.7);
      draw_text (widget, cr, _("No figures for this period"), width / 2, height / 2, 0.5, 0.5);
      return;
    }
  max_n *= 1.08;
  /* The funnels from a tenth of the smallest practice's volume. */
  for (guint i = 0; i <= CURVE_STEPS; i++)
    {
      double n = MAX (1.0, min_n / 10) + (max_n - MAX (1.0, min_n / 10)) * i / CURVE_STEPS;
      SignpostFunnelLimits limits;

      curve_n[i] = n;
      signpost_funnel_limits (self->overall, (guint64) round (n), &limits);
      curve_lo95[i] = limits.lower_95;
      curve_hi95[i] = limits.upper_95;
      curve_lo998[i] = limits.lower_998;
      curve_hi998[i] = limits.upper_998;
    }
  {
    SignpostFunnelLimits at_min;

    signpost_funnel_limits (self->overall, (guint64) round (MAX (1.0, min_n * 0.7)), &at_min);
    y_low = MIN (y_low, at_min.lower_998);
    y_high = MAX (y_high, at_min.upper_998);
  }
  step = nice_step (MAX (y_high - y_low, 0.01), 5);
  y_low = MAX (0, floor (y_low / step) * step);
  y_high = MIN (1, ceil (y_high / step) * step);
  if (y_high <= y_low)
    y_high = y_low + step;

#define X(n) (left + plot_w * (n) / max_n)
#define Y(r) (top + plot_h * (1 - ((r) - y_low) / (y_high - y_low)))

  /* Axes and their labels. */
  cairo_set_line_width (cr, 1);
  set_ink (cr, &text, 0.25);
  for (double r = y_low; r <= y_high + step / 2; r += step)
    {
      g_autofree char *label = g_strdup_printf ("%.*f%%", step < 0.01 ? 1 : 0, r * 100);

      cairo_move_to (cr, left, round (Y (r)) + 0.5);
      cairo_line_to (cr, left + plot_w, round (Y (r)) + 0.5);
      cairo_stroke (cr);
      set_ink (cr, &text, 0.8);
      draw_text (widget, cr, label, left - 6, Y (r), 1, 0.5);
      set_ink (cr, &text, 0.25);
    }
  {
    double x_step = nice_step (max_n, 5);

    for (double n = 0; n <= max_n; n += x_step)
      {
        g_autofree char *label = g_strdup_printf ("%'.0f", n);

        set_ink (cr, &text, 0.8);
        draw_text (widget, cr, label, X (n), top + plot_h + 4, 0.5, 0);
      }
  }
  set_ink (cr, &text, 0.8);
  if (self->x_title != NULL)
    draw_text (widget, cr, self->x_title, left + plot_w / 2, height - 2, 0.5, 1);

  /* The overall rate, solid; the 95 % limits dashed; the 99.8 % dotted. */
  cairo_save (cr);
  cairo_rectangle (cr, left, top, plot_w, plot_h);
  cairo_clip (cr);
  set_ink (cr, &text, 0.9);
  cairo_set_line_width (cr, 1.5);
  cairo_move_to (cr, X (0), Y (self->overall));
  cairo_line_to (cr, X (max_n), Y (self->overall));
  cairo_stroke (cr);
  {
    const double dash95[] = { 6, 4 };
    const double dash998[] = { 1.5, 3 };
    double *curves[] = { curve_lo95, curve_hi95, curve_lo998, curve_hi998 };

    for (guint c = 0; c < G_N_ELEMENTS (curves); c++)
      {
        cairo_set_dash (cr, c < 2 ? dash95 : dash998, 2, 0);
        cairo_set_line_width (cr, c < 2 ? 1.2 : 1.6);
        for (guint i = 0; i <= CURVE_STEPS; i++)
          {
            double y = Y (curves[c][i]);

            if (i == 0)
              cairo_move_to (cr, X (curve_n[i]), y);
            else
              cairo_line_to (cr, X (curve_n[i]), y);
          }
        cairo_stroke (cr);
      }
    cairo_set_dash (cr, NULL, 0, 0);
  }
  cairo_restore (cr);

  /* The practices; those outside the limits, and the highlighted one, named. */
  for (guint i = 0; i < self->points->len; i++)
    {
      Point *p = &g_array_index (self->points, Point, i);
      gboolean outside = p->position != SIGNPOST_FUNNEL_WITHIN && p->position != SIGNPOST_FUNNEL_NONE;
      double x, y;

      if (p->n <= 0)
        continue;
      x = X (p->n);
      y = Y (p->events / p->n);
      if (outside)
        cairo_set_source_rgba (cr, 0.75, 0.11, 0.16, 1);
      else
        set_ink (cr, &text, 0.6);
      draw_marker (cr, p->position, x, y);
      if (p->highlight)
        {
          set_ink (cr, &text, 1);
          cairo_set_line_width (cr, 2);
          cairo_new_path (cr);
          cairo_arc (cr, x, y, 9, 0, 2 * G_PI);
          cairo_stroke (cr);
        }
      if (outside || p->highlight)
        {
          set_ink (cr, &text, 1);
          draw_text (widget, cr, p->name, x + (x > left + plot_w * 0.7 ? -12 : 12), y,
                     x > left + plot_w * 0.7 ? 1 : 0, 0.5);
        }
    }

  /* The key, in words and line styles. */
  set_ink (cr, &text, 0.8);
  draw_text (widget, cr, _("—— hub rate    – – 95% limits    ··· 99.8% limits    ◆ outside 99.8%    ▲▼ outside 95%"),
             left, 4, 0, 0);
#undef X
#undef Y
}

static void
signpost_funnel_plot_snapshot (GtkWidget   *widget,
                               GtkSnapshot *snapshot)
{
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  cairo_t *cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  draw (SIGNPOST_FUNNEL_PLOT (widget), cr, width, height);
  cairo_destroy (cr);
}

static void
signpost_funnel_plot_measure (GtkWidget      *widget,
                              GtkOrientation  orientation,
                              int             for_size,
                              int            *minimum,
                              int            *natural,
                              int            *minimum_baseline,
                              int            *natural_baseline)
{
  *minimum = orientation == GTK_ORIENTATION_HORIZONTAL ? 320 : 220;
  *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? 560 : 300;
}

static void
signpost_funnel_plot_finalize (GObject *object)
{
  SignpostFunnelPlot *self = SIGNPOST_FUNNEL_PLOT (object);

  g_array_unref (self->points);
  g_free (self->x_title);
  G_OBJECT_CLASS (signpost_funnel_plot_parent_class)->finalize (object);
}

static void
signpost_funnel_plot_class_init (SignpostFunnelPlotClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->finalize = signpost_funnel_plot_finalize;
  widget_class->snapshot = signpost_funnel_plot_snapshot;
  widget_class->measure = signpost_funnel_plot_measure;
  gtk_widget_class_set_css_name (widget_class, "funnelplot");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
signpost_funnel_plot_init (SignpostFunnelPlot *self)
{
  self->overall = NAN;
  self->points = g_array_new (FALSE, TRUE, sizeof (Point));
  g_array_set_clear_func (self->points, point_clear);
}

GtkWidget *
signpost_funnel_plot_new (void)
{
  return g_object_new (SIGNPOST_TYPE_FUNNEL_PLOT, NULL);
}

void
signpost_funnel_plot_set_data (SignpostFunnelPlot            *self,
                               double                         overall,
                               const SignpostFunnelPlotPoint *points,
                               guint                          n_points)
{
  g_return_if_fail (SIGNPOST_IS_FUNNEL_PLOT (self));

  self->overall = overall;
  g_array_set_size (self->points, 0);
  for (guint i = 0; i < n_points; i++)
    {
      Point p = { g_strdup (points[i].name), points[i].events, points[i].n, points[i].position,
                  points[i].highlight };

      g_array_append_val (self->points, p);
    }
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

void
signpost_funnel_plot_set_x_title (SignpostFunnelPlot *self,
                                  const char         *title)
{
  g_return_if_fail (SIGNPOST_IS_FUNNEL_PLOT (self));
  g_free (self->x_title);
  self->x_title = g_strdup (title);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

guint
signpost_funnel_plot_get_n_points (SignpostFunnelPlot *self)
{
  g_return_val_if_fail (SIGNPOST_IS_FUNNEL_PLOT (self), 0);
  return self->points->len;
}
