/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "signpost-chart-scale.h"
#include "signpost-chart.h"

/*
 * SignpostChart is the abstract widget every chart of the console draws
 * with (SignpostBarChart and SignpostLineChart add only how a series is
 * painted). It is one file over 1,000 lines on purpose: painting, the
 * legend and the axes are one layout computed together from the same
 * private data (scales, ink, margins), and the vfuncs that use it are
 * chained to the parent class that only this file can reach. Split, the
 * layout would move into a header shared by parts that cannot be read
 * apart.
 */

#define PAD 8.0
#define LEGEND_SWATCH 16.0
#define LEGEND_LINE 28.0
#define MARKER_RADIUS 4.0
#define MAX_Y_TICKS 5

enum {
  PROP_0,
  PROP_X_TITLE,
  PROP_Y_TITLE,
  PROP_UNIT,
  PROP_EMPTY_TEXT,
  PROP_GAP_TITLE,
  PROP_CATEGORIES,
  PROP_REVISION,
  N_PROPS
};

typedef struct
{
  GListStore *series;
  GListStore *rows;
  GtkSliceListModel *shown;
  char *x_title;
  char *y_title;
  char *empty_text;
  char *gap_title;
  SignpostChartUnit unit;
  gboolean categories;
  guint revision;
} SignpostChartPrivate;

typedef struct {
  const char *title;
  SignpostChartSeriesKind kind;
  SignpostChartFill fill;
  SignpostChartMarker marker;
  gboolean dashed;
  GdkRGBA color;
} LegendItem;

static void signpost_chart_buildable_init (GtkBuildableIface *iface);

G_DEFINE_ABSTRACT_TYPE_WITH_CODE (SignpostChart, signpost_chart, GTK_TYPE_WIDGET,
                                  G_ADD_PRIVATE (SignpostChart)
                                  G_IMPLEMENT_INTERFACE (GTK_TYPE_BUILDABLE, signpost_chart_buildable_init))

static GParamSpec *properties[N_PROPS];
static GtkBuildableIface *parent_buildable_iface;

/* ---- helpers ---------------------------------------------------------------- */

static guint
n_series (SignpostChart *self)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);
  return g_list_model_get_n_items (G_LIST_MODEL (priv->series));
}

static SignpostChartSeries *
series_at (SignpostChart *self,
           guint          index)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);
  g_autoptr(SignpostChartSeries) series = g_list_model_get_item (G_LIST_MODEL (priv->series), index);
  /* The store keeps it alive. */
  return series;
}

static SignpostChartRow *
row_at (SignpostChart *self,
        guint          index)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);
  g_autoptr(SignpostChartRow) row = g_list_model_get_item (G_LIST_MODEL (priv->rows), index);
  return row;
}

static gboolean
is_drawn (SignpostChartSeries *series)
{
  return signpost_chart_series_get_visible (series) &&
         signpost_chart_series_get_kind (series) != SIGNPOST_CHART_SERIES_TABLE;
}

static void
get_ink (SignpostChart *self,
         GdkRGBA       *ink)
{
  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  gtk_style_context_get_color (gtk_widget_get_style_context (GTK_WIDGET (self)), ink);
  G_GNUC_END_IGNORE_DEPRECATIONS
}

static void
set_source (cairo_t       *cr,
            const GdkRGBA *color,
            double         alpha)
{
  cairo_set_source_rgba (cr, color->red, color->green, color->blue, color->alpha * alpha);
}

/* The highest value drawn between rows @first and @first + @n: stacked
 * bars, targets and lines. */
static double
get_max (SignpostChart *self,
         guint          first,
         guint          n)
{
  double max = 0.0;

  for (guint r = first; r < first + n; r++)
    {
      SignpostChartRow *row = row_at (self, r);
      double stack = 0.0;

      for (guint s = 0; s < n_series (self); s++)
        {
          SignpostChartSeries *series = series_at (self, s);
          double value = signpost_chart_row_get_value (row, s);

          if (!is_drawn (series) || isnan (value))
            continue;
          if (signpost_chart_series_get_kind (series) == SIGNPOST_CHART_SERIES_BAR)
            stack += MAX (value, 0.0);
          else
            max = MAX (max, value);
        }
      max = MAX (max, stack);
    }
  return max;
}

static void
bump_revision (SignpostChart *self)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);
  g_autofree char *description = NULL;

  priv->revision++;
  description = signpost_chart_describe (self);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REVISION]);
}

static void
on_series_changed (SignpostChart *self)
{
  bump_revision (self);
}

/* ---- painting --------------------------------------------------------------- */

void
signpost_chart_paint_fill (cairo_t           *cr,
                           SignpostChartFill  fill,
                           const GdkRGBA     *color,
                           const GdkRGBA     *ink,
                           double             x,
                           double             y,
                           double             width,
                           double             height)
{
  const double spacing = 6.0;

  if (width <= 0 || height <= 0)
    return;

  cairo_save (cr);
  cairo_rectangle (cr, x, y, width, height);
  cairo_clip (cr);

  switch (fill)
    {
    case SIGNPOST_CHART_FILL_SOLID:
      set_source (cr, color, 1.0);
      cairo_paint (cr);
      break;

    case SIGNPOST_CHART_FILL_OUTLINE:
      break;

    case SIGNPOST_CHART_FILL_HATCHED:
    case SIGNPOST_CHART_FILL_CROSSHATCHED:
      set_source (cr, color, 0.3);
      cairo_paint (cr);
      set_source (cr, color, 1.0);
      cairo_set_line_width (cr, 2.0);
      /* Anchored to the page, so that neighbouring bars line up. */
      for (double d = floor ((x - height) / spacing) * spacing; d < x + width + height; d += spacing)
        {
          cairo_move_to (cr, d, y + height);
          cairo_line_to (cr, d + height, y);
          if (fill == SIGNPOST_CHART_FILL_CROSSHATCHED)
            {
              cairo_move_to (cr, d, y);
              cairo_line_to (cr, d + height, y + height);
            }
        }
      cairo_stroke (cr);
      break;

    case SIGNPOST_CHART_FILL_DOTTED:
      set_source (cr, color, 0.3);
      cairo_paint (cr);
      set_source (cr, color, 1.0);
      for (double dy = floor (y / 5.0) * 5.0 + 2.5; dy < y + height; dy += 5.0)
        for (double dx = floor (x / 5.0) * 5.0 + 2.5; dx < x + width; dx += 5.0)
          {
            cairo_new_sub_path (cr);
            cairo_arc (cr, dx, dy, 1.4, 0, 2 * G_PI);
          }
      cairo_fill (cr);
      break;

    case SIGNPOST_CHART_FILL_STRIPED:
      set_source (cr, color, 0.3);
      cairo_paint (cr);
      set_source (cr, color, 1.0);
      cairo_set_line_width (cr, 2.0);
      for (double dy = floor (y / 5.0) * 5.0 + 1.0; dy < y + height; dy += 5.0)
        {
          cairo_move_to (cr, x, dy);
          cairo_line_to (cr, x + width, dy);
        }
      cairo_stroke (cr);
      break;

    default:
      g_assert_not_reached ();
    }
  cairo_restore (cr);

  /* An edge in the text colour keeps touching segments apart. */
  cairo_save (cr);
  if (fill == SIGNPOST_CHART_FILL_OUTLINE)
    {
      set_source (cr, color, 1.0);
      cairo_set_line_width (cr, 2.0);
      cairo_rectangle (cr, x + 1.0, y + 1.0, MAX (width - 2.0, 0.0), MAX (height - 2.0, 0.0));
    }
  else
    {
      set_source (cr, ink, 0.55);
      cairo_set_line_width (cr, 1.0);
      cairo_rectangle (cr, x + 0.5, y + 0.5, MAX (width - 1.0, 0.0), MAX (height - 1.0, 0.0));
    }
  if (width >= 3.0 && height >= 1.0)
    cairo_stroke (cr);
  else
    cairo_new_path (cr);
  cairo_restore (cr);
}

void
signpost_chart_paint_marker (cairo_t             *cr,
                             SignpostChartMarker  marker,
                             const GdkRGBA       *color,
                             const GdkRGBA       *ink,
                             double               x,
                             double               y,
                             double               radius)
{
  cairo_save (cr);
  cairo_new_path (cr);
  switch (marker)
    {
    case SIGNPOST_CHART_MARKER_NONE:
      cairo_restore (cr);
      return;
    case SIGNPOST_CHART_MARKER_CIRCLE:
      cairo_arc (cr, x, y, radius, 0, 2 * G_PI);
      break;
    case SIGNPOST_CHART_MARKER_SQUARE:
      cairo_rectangle (cr, x - radius, y - radius, 2 * radius, 2 * radius);
      break;
    case SIGNPOST_CHART_MARKER_TRIANGLE:
      cairo_move_to (cr, x, y - radius * 1.2);
      cairo_line_to (cr, x + radius * 1.15, y + radius * 0.8);
      cairo_line_to (cr, x - radius * 1.15, y + radius * 0.8);
      cairo_close_path (cr);
      break;
    case SIGNPOST_CHART_MARKER_DIAMOND:
      cairo_move_to (cr, x, y - radius * 1.3);
      cairo_line_to (cr, x + radius * 1.3, y);
      cairo_line_to (cr, x, y + radius * 1.3);
      cairo_line_to (cr, x - radius * 1.3, y);
      cairo_close_path (cr);
      break;
    default:
      g_assert_not_reached ();
    }
  set_source (cr, color, 1.0);
  cairo_fill_preserve (cr);
  set_source (cr, ink, 0.9);
  cairo_set_line_width (cr, 1.0);
  cairo_stroke (cr);
  cairo_restore (cr);
}

static double
row_x (const SignpostChartPlot *plot,
       guint                    row)
{
  return plot->x + (row - plot->first) * plot->slot;
}

static double
value_y (const SignpostChartPlot *plot,
         double                   value)
{
  return plot->y + signpost_chart_value_to_y (value, plot->top, plot->height);
}

void
signpost_chart_draw_bars (SignpostChart           *self,
                          cairo_t                 *cr,
                          const SignpostChartPlot *plot)
{
  double width = MAX (plot->slot * 0.72, 1.0);
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  PangoAttrList *attrs = pango_attr_list_new ();

  pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  pango_attr_list_insert (attrs, pango_attr_scale_new (0.85));
  pango_layout_set_attributes (layout, attrs);

  for (guint r = plot->first; r < plot->first + plot->n; r++)
    {
      SignpostChartRow *row = row_at (self, r);
      double x = row_x (plot, r) + (plot->slot - width) / 2;
      double stack = 0.0;

      for (guint s = 0; s < n_series (self); s++)
        {
          SignpostChartSeries *series = series_at (self, s);
          double value = signpost_chart_row_get_value (row, s);
          double y0, y1;

          if (!is_drawn (series) || signpost_chart_series_get_kind (series) != SIGNPOST_CHART_SERIES_BAR ||
              isnan (value) || value <= 0)
            continue;
          y0 = value_y (plot, stack);
          y1 = value_y (plot, stack + value);
          signpost_chart_paint_fill (cr, signpost_chart_series_get_fill (series),
                                     signpost_chart_series_get_color (series), &plot->ink,
                                     x, y1, width, y0 - y1);
          stack += value;
        }

      for (guint s = 0; s < n_series (self); s++)
        {
          SignpostChartSeries *series = series_at (self, s);
          double value = signpost_chart_row_get_value (row, s);
          double y_target, y_stack;

          if (!is_drawn (series) || signpost_chart_series_get_kind (series) != SIGNPOST_CHART_SERIES_TARGET ||
              isnan (value) || value <= 0)
            continue;
          y_target = value_y (plot, value);
          y_stack = value_y (plot, stack);
          if (value > stack)
            {
              /* The shortfall: hatched in the text colour, and labelled. */
              g_autofree char *text = g_strdup_printf ("−%.0f", value - stack);
              int text_width, text_height;

              signpost_chart_paint_fill (cr, SIGNPOST_CHART_FILL_CROSSHATCHED, &plot->ink, &plot->ink,
                                         x, y_target, width, y_stack - y_target);
              pango_layout_set_text (layout, text, -1);
              pango_layout_get_pixel_size (layout, &text_width, &text_height);
              if (text_width <= plot->slot + 2 && y_target - text_height >= plot->y - text_height)
                {
                  cairo_save (cr);
                  set_source (cr, &plot->ink, 1.0);
                  cairo_move_to (cr, x + width / 2 - text_width / 2.0, MAX (y_target - text_height - 1, 0));
                  pango_cairo_show_layout (cr, layout);
                  cairo_restore (cr);
                }
            }
          /* The target itself, outlined in the text colour. */
          cairo_save (cr);
          set_source (cr, &plot->ink, 1.0);
          cairo_set_line_width (cr, 2.0);
          cairo_rectangle (cr, x - 1.0, y_target, width + 2.0, plot->y + plot->height - y_target);
          cairo_stroke (cr);
          cairo_restore (cr);
        }
    }
  pango_attr_list_unref (attrs);
  g_object_unref (layout);
}

void
signpost_chart_draw_lines (SignpostChart           *self,
                           cairo_t                 *cr,
                           const SignpostChartPlot *plot)
{
  static const double dashes[] = { 6.0, 4.0 };

  for (guint s = 0; s < n_series (self); s++)
    {
      SignpostChartSeries *series = series_at (self, s);
      gboolean drawing = FALSE;

      if (!is_drawn (series) || signpost_chart_series_get_kind (series) != SIGNPOST_CHART_SERIES_LINE)
        continue;

      cairo_save (cr);
      set_source (cr, signpost_chart_series_get_color (series), 1.0);
      cairo_set_line_width (cr, 2.5);
      cairo_set_line_join (cr, CAIRO_LINE_JOIN_ROUND);
      if (signpost_chart_series_get_dashed (series))
        cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
      for (guint r = plot->first; r < plot->first + plot->n; r++)
        {
          double value = signpost_chart_row_get_value (row_at (self, r), s);
          double x = row_x (plot, r) + plot->slot / 2;

          if (isnan (value))
            {
              drawing = FALSE;
              continue;
            }
          if (drawing)
            cairo_line_to (cr, x, value_y (plot, value));
          else
            cairo_move_to (cr, x, value_y (plot, value));
          drawing = TRUE;
        }
      cairo_stroke (cr);
      cairo_restore (cr);

      /* Markers where there is room for them; a lone point always. */
      for (guint r = plot->first; r < plot->first + plot->n; r++)
        {
          double value = signpost_chart_row_get_value (row_at (self, r), s);
          double before = r > plot->first ? signpost_chart_row_get_value (row_at (self, r - 1), s) : NAN;
          double after = r + 1 < plot->first + plot->n ? signpost_chart_row_get_value (row_at (self, r + 1), s) : NAN;

          if (isnan (value))
            continue;
          if (plot->slot >= 2 * MARKER_RADIUS + 2 || (isnan (before) && isnan (after)))
            signpost_chart_paint_marker (cr, signpost_chart_series_get_marker (series),
                                         signpost_chart_series_get_color (series), &plot->ink,
                                         row_x (plot, r) + plot->slot / 2, value_y (plot, value),
                                         MIN (MARKER_RADIUS, MAX (plot->slot / 2 - 1, 2.5)));
        }
    }
}

/* ---- the legend and axes ------------------------------------------------------ */

static GArray *
legend_items (SignpostChart *self)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);
  GArray *items = g_array_new (FALSE, TRUE, sizeof (LegendItem));

  for (guint s = 0; s < n_series (self); s++)
    {
      SignpostChartSeries *series = series_at (self, s);
      LegendItem item = {
        .title = signpost_chart_series_get_title (series),
        .kind = signpost_chart_series_get_kind (series),
        .fill = signpost_chart_series_get_fill (series),
        .marker = signpost_chart_series_get_marker (series),
        .dashed = signpost_chart_series_get_dashed (series),
        .color = *signpost_chart_series_get_color (series),
      };

      if (!is_drawn (series))
        continue;
      if (item.kind == SIGNPOST_CHART_SERIES_TARGET)
        get_ink (self, &item.color);
      g_array_append_val (items, item);
      if (item.kind == SIGNPOST_CHART_SERIES_TARGET && priv->gap_title != NULL)
        {
          LegendItem gap = { .title = priv->gap_title, .kind = SIGNPOST_CHART_SERIES_BAR,
                             .fill = SIGNPOST_CHART_FILL_CROSSHATCHED };
          get_ink (self, &gap.color);
          g_array_append_val (items, gap);
        }
    }
  return items;
}

/* Lays the legend out in lines across @width; draws it when @cr is set.
 * Returns its height. */
static double
layout_legend (SignpostChart *self,
               cairo_t       *cr,
               const GdkRGBA *ink,
               double         width)
{
  g_autoptr(GArray) items = legend_items (self);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), NULL);
  double x = PAD, y = 0, line_height = 0;

  for (guint i = 0; i < items->len; i++)
    {
      LegendItem *item = &g_array_index (items, LegendItem, i);
      double sample = item->kind == SIGNPOST_CHART_SERIES_LINE ? LEGEND_LINE : LEGEND_SWATCH;
      int text_width, text_height;
      double item_width;

      pango_layout_set_text (layout, item->title ? item->title : "", -1);
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      item_width = sample + 6 + text_width + 18;
      if (x > PAD && x + item_width > width)
        {
          x = PAD;
          y += line_height + 4;
        }
      line_height = MAX (line_height, MAX (text_height, LEGEND_SWATCH));
      if (cr != NULL)
        {
          double middle = y + MAX (text_height, LEGEND_SWATCH) / 2.0;

          if (item->kind == SIGNPOST_CHART_SERIES_LINE)
            {
              static const double dashes[] = { 6.0, 4.0 };

              cairo_save (cr);
              set_source (cr, &item->color, 1.0);
              cairo_set_line_width (cr, 2.5);
              if (item->dashed)
                cairo_set_dash (cr, dashes, G_N_ELEMENTS (dashes), 0);
              cairo_move_to (cr, x, middle);
              cairo_line_to (cr, x + sample, middle);
              cairo_stroke (cr);
              cairo_restore (cr);
              signpost_chart_paint_marker (cr, item->marker, &item->color, ink, x + sample / 2, middle, MARKER_RADIUS);
            }
          else
            signpost_chart_paint_fill (cr, item->kind == SIGNPOST_CHART_SERIES_TARGET ? SIGNPOST_CHART_FILL_OUTLINE
                                                                                        : item->fill,
                                       &item->color, ink, x, middle - LEGEND_SWATCH / 2, sample, LEGEND_SWATCH);
          cairo_save (cr);
          set_source (cr, ink, 1.0);
          cairo_move_to (cr, x + sample + 6, middle - text_height / 2.0);
          pango_cairo_show_layout (cr, layout);
          cairo_restore (cr);
        }
      x += item_width;
    }
  return items->len > 0 ? y + line_height + PAD : 0;
}

static void
signpost_chart_snapshot (GtkWidget   *widget,
                         GtkSnapshot *snapshot)
{
  SignpostChart *self = SIGNPOST_CHART (widget);
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);
  double width = gtk_widget_get_width (widget);
  double height = gtk_widget_get_height (widget);
  g_autoptr(PangoLayout) layout = gtk_widget_create_pango_layout (widget, NULL);
  SignpostChartPlot plot = { 0, };
  guint first = gtk_slice_list_model_get_offset (priv->shown);
  guint n = g_list_model_get_n_items (G_LIST_MODEL (priv->shown));
  double max, factor = priv->unit == SIGNPOST_CHART_UNIT_SECONDS ? 60.0 : 1.0;
  double step, legend_height, tick_width = 0, x_labels_height, title_height;
  int text_width, text_height;
  cairo_t *cr;

  if (width < 40 || height < 40)
    return;

  get_ink (self, &plot.ink);
  cr = gtk_snapshot_append_cairo (snapshot, &GRAPHENE_RECT_INIT (0, 0, width, height));

  legend_height = layout_legend (self, cr, &plot.ink, width);

  /* The value axis: 0 to a round number, in the unit's words. */
  max = get_max (self, first, n);
  if (priv->unit == SIGNPOST_CHART_UNIT_SHARE)
    {
      plot.top = 1.0;
      step = 0.25;
    }
  else
    {
      signpost_chart_nice_scale (max / factor, MAX_Y_TICKS, priv->unit == SIGNPOST_CHART_UNIT_COUNT, &plot.top, &step);
      plot.top *= factor;
      step *= factor;
    }
  for (double v = 0; v <= plot.top + step / 2; v += step)
    {
      g_autofree char *text = signpost_chart_format_tick (v, priv->unit);
      pango_layout_set_text (layout, text, -1);
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      tick_width = MAX (tick_width, text_width);
    }

  pango_layout_set_text (layout, "00:00", -1);
  pango_layout_get_pixel_size (layout, &text_width, &text_height);
  title_height = text_height;
  x_labels_height = priv->categories ? 2 * text_height + 4 : text_height + 6;

  plot.x = PAD + title_height + 6 + tick_width + 6;
  plot.y = legend_height + text_height / 2.0;
  plot.width = MAX (width - plot.x - PAD - 4, 10);
  plot.height = MAX (height - plot.y - x_labels_height - title_height - PAD - 4, 10);
  plot.first = first;
  plot.n = n;
  plot.slot = n > 0 ? plot.width / n : plot.width;

  /* The value axis title, turned on its side. */
  if (priv->y_title != NULL)
    {
      pango_layout_set_text (layout, priv->y_title, -1);
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      cairo_save (cr);
      set_source (cr, &plot.ink, 1.0);
      cairo_move_to (cr, PAD, plot.y + plot.height / 2 + MIN (text_width, plot.height + 40) / 2.0);
      cairo_rotate (cr, -G_PI / 2);
      pango_cairo_show_layout (cr, layout);
      cairo_restore (cr);
    }

  /* Grid lines and their values. */
  for (double v = 0; v <= plot.top + step / 2; v += step)
    {
      g_autofree char *text = signpost_chart_format_tick (v, priv->unit);
      double y = round (value_y (&plot, v)) + 0.5;

      cairo_save (cr);
      set_source (cr, &plot.ink, v == 0 ? 0.8 : 0.18);
      cairo_set_line_width (cr, 1.0);
      cairo_move_to (cr, plot.x, y);
      cairo_line_to (cr, plot.x + plot.width, y);
      cairo_stroke (cr);
      pango_layout_set_text (layout, text, -1);
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      set_source (cr, &plot.ink, 1.0);
      cairo_move_to (cr, plot.x - 6 - text_width, y - text_height / 2.0);
      pango_cairo_show_layout (cr, layout);
      cairo_restore (cr);
    }

  /* The row axis: every category, or whole hours as they fit. */
  if (priv->categories)
    {
      pango_layout_set_alignment (layout, PANGO_ALIGN_CENTER);
      pango_layout_set_wrap (layout, PANGO_WRAP_WORD_CHAR);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
      pango_layout_set_width (layout, (int) MAX (plot.slot - 4, 8) * PANGO_SCALE);
      pango_layout_set_height (layout, -2);
      for (guint r = first; r < first + n; r++)
        {
          pango_layout_set_text (layout, signpost_chart_row_get_tick (row_at (self, r)), -1);
          cairo_save (cr);
          set_source (cr, &plot.ink, 1.0);
          cairo_move_to (cr, row_x (&plot, r) + 2, plot.y + plot.height + 4);
          pango_cairo_show_layout (cr, layout);
          cairo_restore (cr);
        }
      pango_layout_set_width (layout, -1);
      pango_layout_set_height (layout, -1);
      pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_NONE);
      pango_layout_set_alignment (layout, PANGO_ALIGN_LEFT);
    }
  else
    {
      guint hours = 0, every;
      double label_width = 0;

      for (guint r = first; r < first + n; r++)
        {
          const char *tick = signpost_chart_row_get_tick (row_at (self, r));
          if (*tick == '\0')
            continue;
          pango_layout_set_text (layout, tick, -1);
          pango_layout_get_pixel_size (layout, &text_width, &text_height);
          label_width = MAX (label_width, text_width + 10);
        }
      every = signpost_chart_hour_step (plot.slot * 4, label_width);
      for (guint r = first; r < first + n; r++)
        {
          const char *tick = signpost_chart_row_get_tick (row_at (self, r));
          double x = round (row_x (&plot, r)) + 0.5;

          if (*tick == '\0')
            continue;
          cairo_save (cr);
          set_source (cr, &plot.ink, 0.8);
          cairo_set_line_width (cr, 1.0);
          cairo_move_to (cr, x, plot.y + plot.height);
          cairo_line_to (cr, x, plot.y + plot.height + 4);
          cairo_stroke (cr);
          if (hours++ % every == 0)
            {
              pango_layout_set_text (layout, tick, -1);
              pango_layout_get_pixel_size (layout, &text_width, &text_height);
              set_source (cr, &plot.ink, 1.0);
              cairo_move_to (cr, CLAMP (x - text_width / 2.0, 0, width - text_width), plot.y + plot.height + 5);
              pango_cairo_show_layout (cr, layout);
            }
          cairo_restore (cr);
        }
    }

  if (priv->x_title != NULL)
    {
      pango_layout_set_text (layout, priv->x_title, -1);
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      cairo_save (cr);
      set_source (cr, &plot.ink, 1.0);
      cairo_move_to (cr, plot.x + (plot.width - text_width) / 2, plot.y + plot.height + x_labels_height + 4);
      pango_cairo_show_layout (cr, layout);
      cairo_restore (cr);
    }

  if (max > 0 && n > 0)
    SIGNPOST_CHART_GET_CLASS (self)->draw_plot (self, cr, &plot);
  else if (priv->empty_text != NULL)
    {
      PangoAttrList *attrs = pango_attr_list_new ();

      pango_attr_list_insert (attrs, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
      pango_layout_set_attributes (layout, attrs);
      pango_attr_list_unref (attrs);
      pango_layout_set_text (layout, priv->empty_text, -1);
      pango_layout_get_pixel_size (layout, &text_width, &text_height);
      cairo_save (cr);
      set_source (cr, &plot.ink, 0.75);
      cairo_move_to (cr, plot.x + (plot.width - text_width) / 2, plot.y + (plot.height - text_height) / 2);
      pango_cairo_show_layout (cr, layout);
      cairo_restore (cr);
    }

  cairo_destroy (cr);
}

static void
signpost_chart_measure (GtkWidget      *widget,
                        GtkOrientation  orientation,
                        int             for_size,
                        int            *minimum,
                        int            *natural,
                        int            *minimum_baseline,
                        int            *natural_baseline)
{
  if (orientation == GTK_ORIENTATION_HORIZONTAL)
    {
      *minimum = 240;
      *natural = 600;
    }
  else
    {
      *minimum = 180;
      *natural = 260;
    }
}

/* ---- GtkBuildable ------------------------------------------------------------- */

static void
signpost_chart_add_child (GtkBuildable *buildable,
                          GtkBuilder   *builder,
                          GObject      *child,
                          const char   *type)
{
  if (SIGNPOST_IS_CHART_SERIES (child))
    signpost_chart_add_series (SIGNPOST_CHART (buildable), SIGNPOST_CHART_SERIES (child));
  else
    parent_buildable_iface->add_child (buildable, builder, child, type);
}

static void
signpost_chart_buildable_init (GtkBuildableIface *iface)
{
  parent_buildable_iface = g_type_interface_peek_parent (iface);
  iface->add_child = signpost_chart_add_child;
}

/* ---- GObject ------------------------------------------------------------------ */

static void
signpost_chart_get_property (GObject    *object,
                             guint       prop_id,
                             GValue     *value,
                             GParamSpec *pspec)
{
  SignpostChart *self = SIGNPOST_CHART (object);
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_X_TITLE:
      g_value_set_string (value, priv->x_title);
      break;
    case PROP_Y_TITLE:
      g_value_set_string (value, priv->y_title);
      break;
    case PROP_UNIT:
      g_value_set_enum (value, priv->unit);
      break;
    case PROP_EMPTY_TEXT:
      g_value_set_string (value, priv->empty_text);
      break;
    case PROP_GAP_TITLE:
      g_value_set_string (value, priv->gap_title);
      break;
    case PROP_CATEGORIES:
      g_value_set_boolean (value, priv->categories);
      break;
    case PROP_REVISION:
      g_value_set_uint (value, priv->revision);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
replace_string (char       **field,
                const char  *value)
{
  g_free (*field);
  *field = g_strdup (value);
}

static void
signpost_chart_set_property (GObject      *object,
                             guint         prop_id,
                             const GValue *value,
                             GParamSpec   *pspec)
{
  SignpostChart *self = SIGNPOST_CHART (object);
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_X_TITLE:
      signpost_chart_set_x_title (self, g_value_get_string (value));
      break;
    case PROP_Y_TITLE:
      replace_string (&priv->y_title, g_value_get_string (value));
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    case PROP_UNIT:
      priv->unit = g_value_get_enum (value);
      break;
    case PROP_EMPTY_TEXT:
      signpost_chart_set_empty_text (self, g_value_get_string (value));
      break;
    case PROP_GAP_TITLE:
      signpost_chart_set_gap_title (self, g_value_get_string (value));
      break;
    case PROP_CATEGORIES:
      priv->categories = g_value_get_boolean (value);
      gtk_widget_queue_draw (GTK_WIDGET (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_chart_dispose (GObject *object)
{
  SignpostChart *self = SIGNPOST_CHART (object);
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  for (guint s = 0; priv->series != NULL && s < n_series (self); s++)
    g_signal_handlers_disconnect_by_data (series_at (self, s), self);
  g_clear_object (&priv->shown);
  g_clear_object (&priv->rows);
  g_clear_object (&priv->series);

  G_OBJECT_CLASS (signpost_chart_parent_class)->dispose (object);
}

static void
signpost_chart_finalize (GObject *object)
{
  SignpostChart *self = SIGNPOST_CHART (object);
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  g_free (priv->x_title);
  g_free (priv->y_title);
  g_free (priv->empty_text);
  g_free (priv->gap_title);

  G_OBJECT_CLASS (signpost_chart_parent_class)->finalize (object);
}

static void
signpost_chart_class_init (SignpostChartClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = signpost_chart_get_property;
  object_class->set_property = signpost_chart_set_property;
  object_class->dispose = signpost_chart_dispose;
  object_class->finalize = signpost_chart_finalize;
  widget_class->snapshot = signpost_chart_snapshot;
  widget_class->measure = signpost_chart_measure;

  properties[PROP_X_TITLE] =
    g_param_spec_string ("x-title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_Y_TITLE] =
    g_param_spec_string ("y-title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNIT] =
    g_param_spec_enum ("unit", NULL, NULL, SIGNPOST_TYPE_CHART_UNIT, SIGNPOST_CHART_UNIT_COUNT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_EMPTY_TEXT] =
    g_param_spec_string ("empty-text", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_GAP_TITLE] =
    g_param_spec_string ("gap-title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* Rows are categories, each labelled, rather than times of day. */
  properties[PROP_CATEGORIES] =
    g_param_spec_boolean ("categories", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* How many times the numbers (or what is shown of them) have changed. */
  properties[PROP_REVISION] =
    g_param_spec_uint ("revision", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_css_name (widget_class, "chart");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_IMG);
}

static void
signpost_chart_init (SignpostChart *self)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  priv->series = g_list_store_new (SIGNPOST_TYPE_CHART_SERIES);
  priv->rows = g_list_store_new (SIGNPOST_TYPE_CHART_ROW);
  priv->shown = gtk_slice_list_model_new (g_object_ref (G_LIST_MODEL (priv->rows)), 0, G_MAXUINT);
}

/* ---- public API ----------------------------------------------------------------- */

void
signpost_chart_add_series (SignpostChart       *self,
                           SignpostChartSeries *series)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  g_return_if_fail (SIGNPOST_IS_CHART (self));
  g_return_if_fail (SIGNPOST_IS_CHART_SERIES (series));

  g_list_store_append (priv->series, series);
  g_signal_connect_swapped (series, "notify::visible", G_CALLBACK (on_series_changed), self);
  g_signal_connect_swapped (series, "notify::title", G_CALLBACK (on_series_changed), self);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

GListModel *
signpost_chart_get_series (SignpostChart *self)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  g_return_val_if_fail (SIGNPOST_IS_CHART (self), NULL);
  return G_LIST_MODEL (priv->series);
}

SignpostChartSeries *
signpost_chart_get_series_at (SignpostChart *self,
                              guint          index)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART (self), NULL);
  g_return_val_if_fail (index < n_series (self), NULL);
  return series_at (self, index);
}

GListModel *
signpost_chart_get_rows (SignpostChart *self)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  g_return_val_if_fail (SIGNPOST_IS_CHART (self), NULL);
  return G_LIST_MODEL (priv->rows);
}

GListModel *
signpost_chart_get_shown_rows (SignpostChart *self)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  g_return_val_if_fail (SIGNPOST_IS_CHART (self), NULL);
  return G_LIST_MODEL (priv->shown);
}

gboolean
signpost_chart_set_rows (SignpostChart *self,
                         GPtrArray     *rows)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);
  guint old;
  gboolean changed = FALSE;

  g_return_val_if_fail (SIGNPOST_IS_CHART (self), FALSE);
  g_return_val_if_fail (rows != NULL, FALSE);

  old = g_list_model_get_n_items (G_LIST_MODEL (priv->rows));
  if (old != rows->len)
    {
      g_list_store_splice (priv->rows, 0, old, rows->pdata, rows->len);
      changed = TRUE;
    }
  else
    {
      /* Only the rows that differ, each run in one splice. */
      for (guint i = 0; i < rows->len;)
        {
          guint end = i;

          while (end < rows->len && !signpost_chart_row_equal (row_at (self, end), g_ptr_array_index (rows, end)))
            end++;
          if (end > i)
            {
              g_list_store_splice (priv->rows, i, end - i, rows->pdata + i, end - i);
              changed = TRUE;
              i = end;
            }
          else
            i++;
        }
    }
  if (changed)
    bump_revision (self);
  return changed;
}

void
signpost_chart_set_window (SignpostChart *self,
                           guint          first,
                           guint          count)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  g_return_if_fail (SIGNPOST_IS_CHART (self));

  if (gtk_slice_list_model_get_offset (priv->shown) == first && gtk_slice_list_model_get_size (priv->shown) == count)
    return;
  gtk_slice_list_model_set_offset (priv->shown, first);
  gtk_slice_list_model_set_size (priv->shown, count);
  bump_revision (self);
}

guint
signpost_chart_get_first_shown (SignpostChart *self)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  g_return_val_if_fail (SIGNPOST_IS_CHART (self), 0);
  return gtk_slice_list_model_get_offset (priv->shown);
}

guint
signpost_chart_get_n_shown (SignpostChart *self)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  g_return_val_if_fail (SIGNPOST_IS_CHART (self), 0);
  return g_list_model_get_n_items (G_LIST_MODEL (priv->shown));
}

double
signpost_chart_get_value (SignpostChart *self,
                          guint          row,
                          guint          series)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  g_return_val_if_fail (SIGNPOST_IS_CHART (self), NAN);
  g_return_val_if_fail (row < g_list_model_get_n_items (G_LIST_MODEL (priv->rows)), NAN);
  return signpost_chart_row_get_value (row_at (self, row), series);
}

guint
signpost_chart_get_revision (SignpostChart *self)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  g_return_val_if_fail (SIGNPOST_IS_CHART (self), 0);
  return priv->revision;
}

/* What a screen reader says: the span, then each series' total (for
 * counts) and its highest point. */
char *
signpost_chart_describe (SignpostChart *self)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);
  guint first, n;
  GString *text;

  g_return_val_if_fail (SIGNPOST_IS_CHART (self), NULL);

  first = gtk_slice_list_model_get_offset (priv->shown);
  n = g_list_model_get_n_items (G_LIST_MODEL (priv->shown));
  text = g_string_new (NULL);
  if (n == 0 || get_max (self, first, n) <= 0)
    {
      g_string_append (text, priv->empty_text ? priv->empty_text : "");
      return g_string_free (text, FALSE);
    }
  if (priv->categories)
    g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u row.", "%u rows.", n), n);
  else
    /* Translators: the span of a chart, "From 08:00–08:15 to 18:15–18:30." */
    g_string_append_printf (text, _("From %s to %s."),
                            signpost_chart_row_get_title (row_at (self, first)),
                            signpost_chart_row_get_title (row_at (self, first + n - 1)));

  for (guint s = 0; s < n_series (self); s++)
    {
      SignpostChartSeries *series = series_at (self, s);
      SignpostChartUnit unit = signpost_chart_series_get_unit (series);
      double total = 0, highest = NAN;
      guint at = first;

      if (!is_drawn (series))
        continue;
      for (guint r = first; r < first + n; r++)
        {
          double value = signpost_chart_row_get_value (row_at (self, r), s);
          if (isnan (value))
            continue;
          total += value;
          if (isnan (highest) || value > highest)
            {
              highest = value;
              at = r;
            }
        }
      g_string_append_c (text, ' ');
      if (isnan (highest))
        /* Translators: a series of a chart with no numbers, "Mean wait: none." */
        g_string_append_printf (text, _("%s: none."), signpost_chart_series_get_title (series));
      else
        {
          g_autofree char *top = signpost_chart_format_value (highest, unit);

          if (unit == SIGNPOST_CHART_UNIT_COUNT && signpost_chart_series_get_kind (series) == SIGNPOST_CHART_SERIES_BAR)
            {
              g_autofree char *sum = signpost_chart_format_value (total, unit);
              /* Translators: "Answered: 263 in all, most 21 at 08:00–08:15." */
              g_string_append_printf (text, _("%s: %s in all, most %s at %s."),
                                      signpost_chart_series_get_title (series), sum, top,
                                      signpost_chart_row_get_title (row_at (self, at)));
            }
          else
            /* Translators: "Longest wait: highest 12 min 09 s at 08:15–08:30." */
            g_string_append_printf (text, _("%s: highest %s at %s."),
                                    signpost_chart_series_get_title (series), top,
                                    signpost_chart_row_get_title (row_at (self, at)));
        }
    }
  return g_string_free (text, FALSE);
}

const char *
signpost_chart_get_x_title (SignpostChart *self)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  g_return_val_if_fail (SIGNPOST_IS_CHART (self), NULL);
  return priv->x_title;
}

void
signpost_chart_set_x_title (SignpostChart *self,
                            const char    *title)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  g_return_if_fail (SIGNPOST_IS_CHART (self));

  if (g_strcmp0 (priv->x_title, title) == 0)
    return;
  replace_string (&priv->x_title, title);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_X_TITLE]);
}

const char *
signpost_chart_get_y_title (SignpostChart *self)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  g_return_val_if_fail (SIGNPOST_IS_CHART (self), NULL);
  return priv->y_title;
}

SignpostChartUnit
signpost_chart_get_unit (SignpostChart *self)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  g_return_val_if_fail (SIGNPOST_IS_CHART (self), SIGNPOST_CHART_UNIT_COUNT);
  return priv->unit;
}

const char *
signpost_chart_get_empty_text (SignpostChart *self)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  g_return_val_if_fail (SIGNPOST_IS_CHART (self), NULL);
  return priv->empty_text;
}

void
signpost_chart_set_empty_text (SignpostChart *self,
                               const char    *text)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  g_return_if_fail (SIGNPOST_IS_CHART (self));

  if (g_strcmp0 (priv->empty_text, text) == 0)
    return;
  replace_string (&priv->empty_text, text);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_EMPTY_TEXT]);
}

void
signpost_chart_set_gap_title (SignpostChart *self,
                              const char    *title)
{
  SignpostChartPrivate *priv = signpost_chart_get_instance_private (self);

  g_return_if_fail (SIGNPOST_IS_CHART (self));

  if (g_strcmp0 (priv->gap_title, title) == 0)
    return;
  replace_string (&priv->gap_title, title);
  gtk_widget_queue_draw (GTK_WIDGET (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GAP_TITLE]);
}
