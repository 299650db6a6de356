/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>
#include <math.h>

#include "signpost-funnel-plot.h"
#include "signpost-hub-format.h"
#include "signpost-hub-page.h"
#include "signpost-accessible.h"
#include "signpost-hub-row.h"
#include "signpost-sparkline.h"

#define N_WEEKS 8

static const char * const measures[] = { "answered_within_60s", "abandoned", "did_not_attend" };
#define N_FUNNELS G_N_ELEMENTS (measures)

typedef enum {
  CELL_NAME,
  CELL_COUNT,      /* value */
  CELL_PER_1000,   /* value per 1,000 a week, count beside */
  CELL_RATE,       /* value a rate, count of n beside */
  CELL_SECONDS,
  CELL_OF,         /* count of n */
} CellKind;

typedef struct {
  const char *title;
  CellKind kind;
  gsize value;
  gsize count;
  gsize n;
} Column;

#define F(x) SIGNPOST_HUB_FIELD (x)
static const Column columns[] = {
  { N_("Practice"), CELL_NAME, 0, 0, 0 },
  { N_("Registered patients"), CELL_COUNT, F (list_size), 0, 0 },
  { N_("Calls per 1,000 a week"), CELL_PER_1000, F (offered_per_1000), F (offered), 0 },
  { N_("Answered within 60 s"), CELL_RATE, F (answered_within_60s_rate), F (answered_within_60s), F (offered) },
  { N_("Abandoned"), CELL_RATE, F (abandoned_rate), F (abandoned), F (offered) },
  { N_("Mean wait"), CELL_SECONDS, F (mean_wait_s), 0, 0 },
  { N_("Longest wait"), CELL_SECONDS, F (longest_wait_s), 0, 0 },
  { N_("Callbacks made"), CELL_OF, F (callbacks_made), F (callbacks_made), F (callbacks_requested) },
  { N_("Online requests per 1,000 a week"), CELL_PER_1000, F (online_per_1000), F (online), 0 },
  { N_("Appointments per 1,000 a week"), CELL_PER_1000, F (appointments_per_1000), F (appointments_offered), 0 },
  { N_("Appointments used"), CELL_OF, F (used), F (used), F (booked) },
  { N_("Unused appointments"), CELL_COUNT, F (unused), 0, 0 },
  { N_("Did not attend"), CELL_RATE, F (did_not_attend_rate), F (did_not_attend), 0 },
  { N_("Booked by hub navigators"), CELL_COUNT, F (booked_by_hub), 0, 0 },
  { N_("Signposted outside the practice"), CELL_OF, F (signposted), F (signposted), F (navigation) },
};

/* The small multiples' figures: the drop-down's order. */
static const struct { gsize value; gboolean rate; } trends[] = {
  { F (answered_within_60s_rate), TRUE },
  { F (abandoned_rate), TRUE },
  { F (did_not_attend_rate), TRUE },
  { F (offered_per_1000), FALSE },
  { F (appointments_per_1000), FALSE },
};
#undef F

typedef struct {
  GtkStack *stack;
  SignpostFunnelPlot *plot;
  GtkGrid *grid;
  GtkLabel *outliers;
  GtkLabel *title;
} Funnel;

struct _SignpostHubPage
{
  AdwBin parent_instance;

  GtkLabel *period_label;
  GtkLabel *status_label;
  GtkColumnView *table;
  GtkLabel *hub_note_label;
  GtkBox *funnels_box;
  GtkDropDown *trend_measure;
  GtkStack *trend_stack;
  GtkFlowBox *trend_flow;
  GtkGrid *trend_grid;
  GtkToggleButton *tables_button;

  SignpostActions *actions;
  GCancellable *cancellable;
  GDate last_day;
  SignpostHubStats *stats;
  char *error;
  gboolean settled;
  GListStore *practice_rows;
  GListStore *hub_rows;
  Funnel funnels[N_FUNNELS];
};

G_DEFINE_FINAL_TYPE (SignpostHubPage, signpost_hub_page, ADW_TYPE_BIN)

/* ---- words -------------------------------------------------------------------------- */

static char *
format_seconds (double seconds)
{
  if (isnan (seconds))
    return g_strdup ("—");
  if (seconds < 60)
    /* TRANSLATORS: a wait in seconds */
    return g_strdup_printf (_("%.0f s"), seconds);
  /* TRANSLATORS: a wait in minutes and seconds */
  return g_strdup_printf (_("%u min %02u s"), (guint) (seconds / 60), (guint) fmod (round (seconds), 60));
}

static char *
format_day (const char *iso,
            gboolean    year)
{
  g_autoptr(GDateTime) when = NULL;
  g_autofree char *text = g_strconcat (iso ? iso : "", "T12:00:00Z", NULL);

  when = g_date_time_new_from_iso8601 (text, NULL);
  if (when == NULL)
    return g_strdup (iso ? iso : "");
  return g_date_time_format (when, year ? "%-d %b %Y" : "%-d %b");
}

static char *
cell_text (const Column             *column,
           SignpostHubRow           *row)
{
  const SignpostHubFigures *f = signpost_hub_row_get_figures (row);
  double value = SIGNPOST_HUB_VALUE (f, column->value);

  switch (column->kind)
    {
    case CELL_NAME:
      if (signpost_hub_row_is_own (row))
        /* TRANSLATORS: the manager's own practice in the hub's table */
        return g_strdup_printf (_("%s (your practice)"), signpost_hub_row_get_name (row));
      return g_strdup (signpost_hub_row_get_name (row));
    case CELL_COUNT:
      return isnan (value) ? g_strdup ("—") : g_strdup_printf ("%'.0f", value);
    case CELL_PER_1000:
      if (isnan (value))
        return g_strdup_printf (_("— (%'.0f)"), SIGNPOST_HUB_VALUE (f, column->count));
      /* TRANSLATORS: a figure per 1,000 patients a week, with the count it comes from */
      return g_strdup_printf (_("%.1f (%'.0f)"), value, SIGNPOST_HUB_VALUE (f, column->count));
    case CELL_RATE:
      {
        double n = column->n ? SIGNPOST_HUB_VALUE (f, column->n)
                             : f->used + f->did_not_attend; /* outcomes recorded */
        return signpost_hub_format_rate (value, SIGNPOST_HUB_VALUE (f, column->count), n);
      }
    case CELL_SECONDS:
      return format_seconds (value);
    case CELL_OF:
      /* TRANSLATORS: a count of a total, as "140 of 146" */
      return g_strdup_printf (_("%'.0f of %'.0f"), SIGNPOST_HUB_VALUE (f, column->count),
                              SIGNPOST_HUB_VALUE (f, column->n));
    default:
      g_assert_not_reached ();
    }
}

/* ---- the table -------------------------------------------------------------------------- */

static void
cell_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  const Column *column = user_data;
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), column->kind == CELL_NAME ? 0 : 1);
  gtk_widget_set_margin_start (label, 6);
  gtk_widget_set_margin_end (label, 6);
  gtk_list_item_set_child (item, label);
}

static void
cell_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  const Column *column = user_data;
  SignpostHubRow *row = gtk_list_item_get_item (item);
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = cell_text (column, row);

  gtk_label_set_text (GTK_LABEL (label), text);
  /* The row is read by the practice it is about. */
  if (column->kind == CELL_NAME)
    signpost_accessible_label_list_item (item, text);
  if (signpost_hub_row_is_own (row) || signpost_hub_row_is_hub (row))
    gtk_widget_add_css_class (label, "heading");
  else
    gtk_widget_remove_css_class (label, "heading");
}

static int
compare_rows (gconstpointer a,
              gconstpointer b,
              gpointer      user_data)
{
  const Column *column = user_data;
  SignpostHubRow *x = (SignpostHubRow *) a, *y = (SignpostHubRow *) b;
  double u, v;

  if (column->kind == CELL_NAME)
    return g_utf8_collate (signpost_hub_row_get_name (x), signpost_hub_row_get_name (y));
  u = SIGNPOST_HUB_VALUE (signpost_hub_row_get_figures (x), column->value);
  v = SIGNPOST_HUB_VALUE (signpost_hub_row_get_figures (y), column->value);
  if (isnan (u) || isnan (v))
    return isnan (u) - isnan (v);
  return u < v ? -1 : u > v;
}

static void
build_table (SignpostHubPage *self)
{
  g_autoptr(GListStore) parts = g_list_store_new (G_TYPE_LIST_MODEL);
  GtkSortListModel *sorted;
  GtkFlattenListModel *flat;
  GtkNoSelection *selection;

  for (guint i = 0; i < G_N_ELEMENTS (columns); i++)
    {
      GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
      g_autoptr(GtkColumnViewColumn) column = NULL;
      GtkCustomSorter *sorter = gtk_custom_sorter_new (compare_rows, (gpointer) &columns[i], NULL);

      g_signal_connect (factory, "setup", G_CALLBACK (cell_setup), (gpointer) &columns[i]);
      g_signal_connect (factory, "bind", G_CALLBACK (cell_bind), (gpointer) &columns[i]);
      column = gtk_column_view_column_new (_(columns[i].title), factory);
      gtk_column_view_column_set_sorter (column, GTK_SORTER (sorter));
      gtk_column_view_column_set_resizable (column, TRUE);
      if (i == 0)
        gtk_column_view_column_set_expand (column, TRUE);
      g_object_unref (sorter);
      gtk_column_view_append_column (self->table, column);
    }

  /* The practices sort; the hub's total stays last. */
  sorted = gtk_sort_list_model_new (G_LIST_MODEL (g_object_ref (self->practice_rows)),
                                    g_object_ref (gtk_column_view_get_sorter (self->table)));
  g_list_store_append (parts, sorted);
  g_list_store_append (parts, self->hub_rows);
  g_object_unref (sorted);
  flat = gtk_flatten_list_model_new (G_LIST_MODEL (g_steal_pointer (&parts)));
  selection = gtk_no_selection_new (G_LIST_MODEL (flat));
  gtk_column_view_set_model (self->table, GTK_SELECTION_MODEL (selection));
  g_object_unref (selection);
  signpost_accessible_name_column_view (self->table, _("Practices side by side, with the hub’s total"));
  signpost_accessible_tab_leaves (GTK_WIDGET (self->table));
}

/* ---- the funnels -------------------------------------------------------------------------- */

static GtkWidget *
grid_label (GtkGrid    *grid,
            const char *text,
            int         column,
            int         row,
            gboolean    heading)
{
  GtkWidget *label = gtk_label_new (text);

  gtk_label_set_xalign (GTK_LABEL (label), column == 0 ? 0 : 1);
  if (heading)
    gtk_widget_add_css_class (label, "heading");
  gtk_grid_attach (grid, label, column, row, 1, 1);
  return label;
}

static void
clear_grid (GtkGrid *grid)
{
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (grid))) != NULL)
    gtk_grid_remove (grid, child);
}

static char *
percent (double rate)
{
  return isnan (rate) ? g_strdup ("—") : g_strdup_printf ("%.1f%%", rate * 100);
}

static const char *
position_text (SignpostFunnelPosition position)
{
  switch (position)
    {
    case SIGNPOST_FUNNEL_WITHIN:
      return _("Within the limits");
    case SIGNPOST_FUNNEL_ABOVE_95:
      return _("Above the 95% limit");
    case SIGNPOST_FUNNEL_ABOVE_998:
      return _("Above the 99.8% limit");
    case SIGNPOST_FUNNEL_BELOW_95:
      return _("Below the 95% limit");
    case SIGNPOST_FUNNEL_BELOW_998:
      return _("Below the 99.8% limit");
    case SIGNPOST_FUNNEL_NONE:
    default:
      return _("No figures");
    }
}

static const char *
own_practice_id (SignpostHubPage *self)
{
  const char *chosen = self->actions ? signpost_actions_get_practice_id (self->actions) : NULL;

  if (chosen != NULL)
    return chosen;
  if (self->stats != NULL && self->stats->practices->len == 1)
    return ((SignpostHubPractice *) g_ptr_array_index (self->stats->practices, 0))->practice_id;
  return NULL;
}

static void
show_funnel (SignpostHubPage *self,
             guint            index)
{
  Funnel *f = &self->funnels[index];
  const SignpostHubFunnel *funnel = signpost_hub_stats_get_funnel (self->stats, measures[index]);
  g_autoptr(GArray) points = g_array_new (FALSE, TRUE, sizeof (SignpostFunnelPlotPoint));
  g_autofree char *outliers = NULL;
  g_autofree char *overall = NULL;
  g_autofree char *description = NULL;
  const char *own = own_practice_id (self);
  static const char * const heads[] = {
    N_("Practice"), N_("Rate (count of volume)"), N_("95% limits"), N_("99.8% limits"), N_("Where it lies"),
  };

  clear_grid (f->grid);
  if (funnel == NULL)
    {
      signpost_funnel_plot_set_data (f->plot, NAN, NULL, 0);
      gtk_label_set_text (f->outliers, "");
      return;
    }
  for (guint i = 0; i < G_N_ELEMENTS (heads); i++)
    grid_label (f->grid, _(heads[i]), i, 0, TRUE);
  for (guint i = 0; i < funnel->points->len; i++)
    {
      const SignpostHubFunnelPoint *point = &g_array_index (funnel->points, SignpostHubFunnelPoint, i);
      const SignpostHubPractice *practice = signpost_hub_stats_find_practice (self->stats, point->practice_id);
      SignpostFunnelPlotPoint plotted = { practice ? practice->name : point->practice_id, point->events,
                                          point->n, point->position,
                                          g_strcmp0 (point->practice_id, own) == 0 };
      g_autofree char *rate = signpost_hub_format_rate (point->rate, point->events, point->n);
      g_autofree char *lo95 = percent (point->limits.lower_95);
      g_autofree char *hi95 = percent (point->limits.upper_95);
      g_autofree char *lo998 = percent (point->limits.lower_998);
      g_autofree char *hi998 = percent (point->limits.upper_998);
      g_autofree char *band95 = g_strdup_printf ("%s – %s", lo95, hi95);
      g_autofree char *band998 = g_strdup_printf ("%s – %s", lo998, hi998);

      g_array_append_val (points, plotted);
      grid_label (f->grid, plotted.name, 0, i + 1, plotted.highlight);
      grid_label (f->grid, rate, 1, i + 1, FALSE);
      grid_label (f->grid, band95, 2, i + 1, FALSE);
      grid_label (f->grid, band998, 3, i + 1, FALSE);
      grid_label (f->grid, position_text (point->position), 4, i + 1, FALSE);
    }
  signpost_funnel_plot_set_data (f->plot, funnel->overall, (SignpostFunnelPlotPoint *) points->data, points->len);
  outliers = signpost_hub_describe_outliers (self->stats, funnel);
  gtk_label_set_text (f->outliers, outliers);
  overall = signpost_hub_format_rate (funnel->overall, funnel->events, funnel->n);
  {
    /* TRANSLATORS: a funnel plot's title, with the hub's own rate */
    g_autofree char *title = g_strdup_printf (_("%s: the hub %s"), signpost_hub_measure_title (funnel->measure),
                                              overall);
    gtk_label_set_text (f->title, title);
    description = g_strdup_printf ("%s. %s", title, outliers);
  }
  gtk_accessible_update_property (GTK_ACCESSIBLE (f->plot), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  signpost_hub_measure_title (funnel->measure),
                                  GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, description, -1);
}

static void
build_funnels (SignpostHubPage *self)
{
  static const char * const x_titles[] = {
    N_("Calls offered"), N_("Calls offered"), N_("Appointments with an outcome recorded"),
  };

  for (guint i = 0; i < N_FUNNELS; i++)
    {
      Funnel *f = &self->funnels[i];
      GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 6);
      GtkWidget *scroller = gtk_scrolled_window_new ();

      f->title = GTK_LABEL (gtk_label_new (_(signpost_hub_measure_title (measures[i]))));
      gtk_label_set_xalign (f->title, 0);
      gtk_widget_add_css_class (GTK_WIDGET (f->title), "heading");
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->title));

      f->stack = GTK_STACK (gtk_stack_new ());
      /* As tall as what it shows: a table is shorter than its chart. */
      gtk_stack_set_vhomogeneous (f->stack, FALSE);
      f->plot = SIGNPOST_FUNNEL_PLOT (signpost_funnel_plot_new ());
      signpost_funnel_plot_set_x_title (f->plot, _(x_titles[i]));
      gtk_stack_add_named (f->stack, GTK_WIDGET (f->plot), "chart");
      f->grid = GTK_GRID (gtk_grid_new ());
      gtk_grid_set_column_spacing (f->grid, 16);
      gtk_grid_set_row_spacing (f->grid, 4);
      gtk_scrolled_window_set_policy (GTK_SCROLLED_WINDOW (scroller), GTK_POLICY_AUTOMATIC, GTK_POLICY_NEVER);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), GTK_WIDGET (f->grid));
      gtk_stack_add_named (f->stack, scroller, "table");
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->stack));

      f->outliers = GTK_LABEL (gtk_label_new (NULL));
      gtk_label_set_xalign (f->outliers, 0);
      gtk_label_set_wrap (f->outliers, TRUE);
      gtk_label_set_selectable (f->outliers, TRUE);
      gtk_box_append (GTK_BOX (box), GTK_WIDGET (f->outliers));
      gtk_box_append (self->funnels_box, box);
    }
}

/* ---- small multiples ------------------------------------------------------------------------ */

static void
show_trends (SignpostHubPage *self)
{
  guint which = MIN (gtk_drop_down_get_selected (self->trend_measure), G_N_ELEMENTS (trends) - 1);
  gsize field = trends[which].value;
  gboolean rate = trends[which].rate;
  guint n_weeks = self->stats ? signpost_hub_stats_get_n_weeks (self->stats) : 0;
  double low = G_MAXDOUBLE, high = -G_MAXDOUBLE;
  g_autofree double *reference = g_new0 (double, MAX (n_weeks, 1));
  const char *own = own_practice_id (self);
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->trend_flow))) != NULL)
    gtk_flow_box_remove (self->trend_flow, child);
  clear_grid (self->trend_grid);
  if (self->stats == NULL)
    return;

  for (guint w = 0; w < n_weeks; w++)
    {
      reference[w] = self->stats->has_hub
                       ? SIGNPOST_HUB_VALUE (&g_array_index (self->stats->hub_weeks, SignpostHubFigures, w), field)
                       : NAN;
      if (!isnan (reference[w]))
        low = MIN (low, reference[w]), high = MAX (high, reference[w]);
    }
  for (guint i = 0; i < self->stats->practices->len; i++)
    {
      SignpostHubPractice *p = g_ptr_array_index (self->stats->practices, i);

      for (guint w = 0; w < n_weeks; w++)
        {
          double v = SIGNPOST_HUB_VALUE (&g_array_index (p->weeks, SignpostHubFigures, w), field);

          if (!isnan (v))
            low = MIN (low, v), high = MAX (high, v);
        }
    }
  if (low > high)
    low = 0, high = 1;
  if (high - low < (rate ? 0.02 : 1))
    high = low + (rate ? 0.02 : 1);

  /* The table: a practice a row, a week a column. */
  grid_label (self->trend_grid, _("Practice"), 0, 0, TRUE);
  for (guint w = 0; w < n_weeks; w++)
    {
      /* TRANSLATORS: a week's column, "week of 19 Oct" */
      g_autofree char *day = format_day (self->stats->week_starts[w], FALSE);
      g_autofree char *head = g_strdup_printf (_("Week of %s"), day);

      grid_label (self->trend_grid, head, w + 1, 0, TRUE);
    }

  for (guint i = 0; i <= self->stats->practices->len; i++)
    {
      gboolean hub = i == self->stats->practices->len;
      SignpostHubPractice *p = hub ? NULL : g_ptr_array_index (self->stats->practices, i);
      GArray *weeks = hub ? self->stats->hub_weeks : p->weeks;
      const char *name = hub ? _("All practices in the hub") : p->name;
      g_autofree double *values = g_new0 (double, MAX (n_weeks, 1));
      g_autoptr(GString) spoken = g_string_new (name);
      GtkWidget *box, *title, *line;
      gboolean mine = !hub && g_strcmp0 (p->practice_id, own) == 0;

      if (hub && !self->stats->has_hub)
        break;
      g_string_append (spoken, ":");
      grid_label (self->trend_grid, name, 0, i + 1, mine || hub);
      for (guint w = 0; w < n_weeks; w++)
        {
          g_autofree char *text = NULL;

          values[w] = SIGNPOST_HUB_VALUE (&g_array_index (weeks, SignpostHubFigures, w), field);
          text = isnan (values[w]) ? g_strdup ("—")
                 : rate ? g_strdup_printf ("%.1f%%", values[w] * 100) : g_strdup_printf ("%.1f", values[w]);
          grid_label (self->trend_grid, text, w + 1, i + 1, FALSE);
          g_string_append_printf (spoken, " %s", text);
        }
      if (hub)
        continue;

      box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
      {
        g_autofree char *text = mine ? g_strdup_printf (_("%s (your practice)"), name) : g_strdup (name);

        title = gtk_label_new (text);
      }
      if (mine)
        gtk_widget_add_css_class (title, "heading");
      gtk_label_set_xalign (GTK_LABEL (title), 0);
      gtk_label_set_ellipsize (GTK_LABEL (title), PANGO_ELLIPSIZE_END);
      line = signpost_sparkline_new ();
      signpost_sparkline_set_values (SIGNPOST_SPARKLINE (line), values,
                                     self->stats->has_hub ? reference : NULL, n_weeks, low, high);
      gtk_accessible_update_property (GTK_ACCESSIBLE (line), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken->str, -1);
      gtk_box_append (GTK_BOX (box), title);
      gtk_box_append (GTK_BOX (box), line);
      gtk_flow_box_append (self->trend_flow, box);
    }
  /* The flow box's children take no focus of their own: the table has the numbers. */
  for (child = gtk_widget_get_first_child (GTK_WIDGET (self->trend_flow)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    gtk_widget_set_focusable (child, FALSE);
}

/* ---- fetching ------------------------------------------------------------------------------ */

static void
first_day (SignpostHubPage *self,
           GDate           *from)
{
  *from = self->last_day;
  g_date_subtract_days (from, N_WEEKS * 7 - 1);
}

static void
show_period (SignpostHubPage *self)
{
  GDate from;
  char first[64], last[64];
  g_autofree char *text = NULL;

  first_day (self, &from);
  g_date_strftime (first, sizeof first, "%-d %b", &from);
  g_date_strftime (last, sizeof last, "%-d %b %Y", &self->last_day);
  /* TRANSLATORS: the Hub page's period: "The 8 weeks from 12 Oct to 6 Dec 2026" */
  text = g_strdup_printf (_("The 8 weeks from %s to %s"), first, last);
  gtk_label_set_text (self->period_label, text);
}

static void
show_status (SignpostHubPage *self,
             const char      *text)
{
  gtk_label_set_text (self->status_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->status_label), text != NULL);
}

static void
show_stats (SignpostHubPage *self)
{
  const char *own = own_practice_id (self);

  g_list_store_remove_all (self->practice_rows);
  g_list_store_remove_all (self->hub_rows);
  if (self->stats == NULL)
    return;
  for (guint i = 0; i < self->stats->practices->len; i++)
    {
      const SignpostHubPractice *p = g_ptr_array_index (self->stats->practices, i);
      g_autoptr(SignpostHubRow) row = signpost_hub_row_new (self->stats, p, g_strcmp0 (p->practice_id, own) == 0);

      g_list_store_append (self->practice_rows, row);
    }
  if (self->stats->has_hub)
    {
      g_autoptr(SignpostHubRow) row = signpost_hub_row_new (self->stats, NULL, FALSE);

      g_list_store_append (self->hub_rows, row);
      gtk_widget_set_visible (GTK_WIDGET (self->hub_note_label), FALSE);
    }
  else
    {
      gtk_label_set_text (self->hub_note_label,
                          _("The hub’s total is not shown: with so few other practices it would give away their figures."));
      gtk_widget_set_visible (GTK_WIDGET (self->hub_note_label), TRUE);
    }
  for (guint i = 0; i < N_FUNNELS; i++)
    show_funnel (self, i);
  show_trends (self);
}

static void
stats_fetched (GObject      *source,
               GAsyncResult *result,
               gpointer      user_data)
{
  g_autoptr(SignpostHubPage) self = user_data;
  g_autoptr(GError) error = NULL;
  SignpostHubStats *stats;

  stats = signpost_actions_get_hub_stats_finish (SIGNPOST_ACTIONS (source), result, &error);
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  g_clear_pointer (&self->error, g_free);
  if (stats == NULL)
    {
      self->error = g_strdup (error->message);
      /* TRANSLATORS: the Hub page could not get its figures */
      {
        g_autofree char *text = g_strdup_printf (_("The figures could not be fetched: %s"), error->message);
        show_status (self, text);
      }
    }
  else
    {
      g_clear_pointer (&self->stats, signpost_hub_stats_unref);
      self->stats = stats;
      show_status (self, NULL);
      show_stats (self);
    }
  self->settled = TRUE;
}

void
signpost_hub_page_refresh (SignpostHubPage *self)
{
  GDate from;

  g_return_if_fail (SIGNPOST_IS_HUB_PAGE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  show_period (self);
  if (self->actions == NULL)
    return;
  self->cancellable = g_cancellable_new ();
  self->settled = FALSE;
  g_clear_pointer (&self->error, g_free);
  show_status (self, _("Fetching the figures…"));
  first_day (self, &from);
  signpost_actions_get_hub_stats_async (self->actions, &from, &self->last_day, self->cancellable,
                                        stats_fetched, g_object_ref (self));
}

/* ---- export ------------------------------------------------------------------------------- */

static void
csv_written (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SignpostHubPage) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!g_file_replace_contents_finish (G_FILE (source), result, NULL, &error))
    {
      g_autofree char *text = g_strdup_printf (_("The figures could not be saved: %s"), error->message);

      show_status (self, text);
    }
  else
    show_status (self, _("The figures were saved."));
}

static void
chooser_responded (GtkNativeDialog *chooser,
                   int              response,
                   gpointer         user_data)
{
  g_autoptr(SignpostHubPage) self = user_data;

  if (response == GTK_RESPONSE_ACCEPT && self->stats != NULL)
    {
      g_autoptr(GFile) file = gtk_file_chooser_get_file (GTK_FILE_CHOOSER (chooser));
      char *csv = signpost_hub_csv (self->stats);
      g_autoptr(GBytes) bytes = g_bytes_new_take (csv, strlen (csv));

      g_file_replace_contents_bytes_async (file, bytes, NULL, FALSE, G_FILE_CREATE_REPLACE_DESTINATION,
                                           NULL, csv_written, g_object_ref (self));
    }
  gtk_native_dialog_destroy (chooser);
  g_object_unref (chooser);
}

static void
action_export (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SignpostHubPage *self = SIGNPOST_HUB_PAGE (widget);
  GtkFileChooserNative *chooser;
  g_autoptr(GtkFileFilter) filter = gtk_file_filter_new ();
  g_autofree char *name = NULL;

  if (self->stats == NULL)
    return;
  name = g_strdup_printf ("signpost-hub-%s-to-%s.csv", self->stats->from, self->stats->to);
  chooser = gtk_file_chooser_native_new (_("Save the Hub’s Figures"),
                                         GTK_WINDOW (gtk_widget_get_root (widget)),
                                         GTK_FILE_CHOOSER_ACTION_SAVE, _("_Save"), _("_Cancel"));
  gtk_native_dialog_set_modal (GTK_NATIVE_DIALOG (chooser), TRUE);
  gtk_file_filter_set_name (filter, _("CSV files (spreadsheets)"));
  gtk_file_filter_add_mime_type (filter, "text/csv");
  gtk_file_filter_add_suffix (filter, "csv");
  gtk_file_chooser_add_filter (GTK_FILE_CHOOSER (chooser), filter);
  gtk_file_chooser_set_current_name (GTK_FILE_CHOOSER (chooser), name);
  g_signal_connect (chooser, "response", G_CALLBACK (chooser_responded), g_object_ref (self));
  gtk_native_dialog_show (GTK_NATIVE_DIALOG (chooser));
}

/* ---- actions ------------------------------------------------------------------------------- */

static void
action_move (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SignpostHubPage *self = SIGNPOST_HUB_PAGE (widget);

  if (g_str_equal (action_name, "hub.earlier"))
    g_date_subtract_days (&self->last_day, 7);
  else
    g_date_add_days (&self->last_day, 7);
  signpost_hub_page_refresh (self);
}

static void
action_refresh (GtkWidget  *widget,
                const char *action_name,
                GVariant   *parameter)
{
  signpost_hub_page_refresh (SIGNPOST_HUB_PAGE (widget));
}

static void
action_tables (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SignpostHubPage *self = SIGNPOST_HUB_PAGE (widget);

  gtk_toggle_button_set_active (self->tables_button, !gtk_toggle_button_get_active (self->tables_button));
}

static void
tables_toggled (SignpostHubPage *self)
{
  gboolean tables = gtk_toggle_button_get_active (self->tables_button);

  for (guint i = 0; i < N_FUNNELS; i++)
    gtk_stack_set_visible_child_name (self->funnels[i].stack, tables ? "table" : "chart");
  gtk_stack_set_visible_child_name (self->trend_stack, tables ? "table" : "chart");
}

/* The last Sunday before today: eight whole weeks. */
static void
last_sunday (GDate *day)
{
  g_autoptr(GDateTime) now = g_date_time_new_now_local ();

  g_date_clear (day, 1);
  g_date_set_dmy (day, g_date_time_get_day_of_month (now), g_date_time_get_month (now),
                  g_date_time_get_year (now));
  g_date_subtract_days (day, g_date_get_weekday (day) % 7 == 0 ? 7 : g_date_get_weekday (day));
}

static void
signpost_hub_page_map (GtkWidget *widget)
{
  SignpostHubPage *self = SIGNPOST_HUB_PAGE (widget);

  GTK_WIDGET_CLASS (signpost_hub_page_parent_class)->map (widget);
  /* Shown for the first time since signing in: fetch. */
  if (self->stats == NULL && self->cancellable == NULL)
    signpost_hub_page_refresh (self);
}

static void
signpost_hub_page_dispose (GObject *object)
{
  SignpostHubPage *self = SIGNPOST_HUB_PAGE (object);

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  g_clear_object (&self->actions);
  g_clear_pointer (&self->stats, signpost_hub_stats_unref);
  g_clear_pointer (&self->error, g_free);
  g_clear_object (&self->practice_rows);
  g_clear_object (&self->hub_rows);
  gtk_widget_dispose_template (GTK_WIDGET (object), SIGNPOST_TYPE_HUB_PAGE);
  G_OBJECT_CLASS (signpost_hub_page_parent_class)->dispose (object);
}

static void
signpost_hub_page_class_init (SignpostHubPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = signpost_hub_page_dispose;
  widget_class->map = signpost_hub_page_map;

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-hub-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostHubPage, period_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostHubPage, status_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostHubPage, table);
  gtk_widget_class_bind_template_child (widget_class, SignpostHubPage, hub_note_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostHubPage, funnels_box);
  gtk_widget_class_bind_template_child (widget_class, SignpostHubPage, trend_measure);
  gtk_widget_class_bind_template_child (widget_class, SignpostHubPage, trend_stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostHubPage, trend_flow);
  gtk_widget_class_bind_template_child (widget_class, SignpostHubPage, trend_grid);
  gtk_widget_class_bind_template_child (widget_class, SignpostHubPage, tables_button);

  gtk_widget_class_install_action (widget_class, "hub.earlier", NULL, action_move);
  gtk_widget_class_install_action (widget_class, "hub.later", NULL, action_move);
  gtk_widget_class_install_action (widget_class, "hub.refresh", NULL, action_refresh);
  gtk_widget_class_install_action (widget_class, "hub.export", NULL, action_export);
  gtk_widget_class_install_action (widget_class, "hub.tables", NULL, action_tables);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Left, GDK_ALT_MASK, "hub.earlier", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Right, GDK_ALT_MASK, "hub.later", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "hub.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_r, GDK_CONTROL_MASK, "hub.refresh", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "hub.export", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_t, GDK_CONTROL_MASK, "hub.tables", NULL);
}

static void
signpost_hub_page_init (SignpostHubPage *self)
{
  g_type_ensure (SIGNPOST_TYPE_FUNNEL_PLOT);
  gtk_widget_init_template (GTK_WIDGET (self));

  self->practice_rows = g_list_store_new (SIGNPOST_TYPE_HUB_ROW);
  self->hub_rows = g_list_store_new (SIGNPOST_TYPE_HUB_ROW);
  last_sunday (&self->last_day);
  show_period (self);
  build_table (self);
  build_funnels (self);
  g_signal_connect_swapped (self->tables_button, "toggled", G_CALLBACK (tables_toggled), self);
  g_signal_connect_swapped (self->trend_measure, "notify::selected", G_CALLBACK (show_trends), self);
}

static void
user_changed (SignpostHubPage *self)
{
  /* Another user: their figures, not the last one's. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->stats, signpost_hub_stats_unref);
  self->settled = FALSE;
  show_stats (self);
  if (gtk_widget_get_mapped (GTK_WIDGET (self)))
    signpost_hub_page_refresh (self);
}

static void
state_changed (SignpostHubPage *self)
{
  SignpostSyncState state = signpost_actions_get_state (self->actions);

  /* Back online after figures could not be fetched: fetch them now. */
  if ((state == SIGNPOST_SYNC_STATE_SYNCING || state == SIGNPOST_SYNC_STATE_ONLINE) &&
      (self->error != NULL || self->stats == NULL) && self->settled &&
      gtk_widget_get_mapped (GTK_WIDGET (self)))
    signpost_hub_page_refresh (self);
}

void
signpost_hub_page_set_actions (SignpostHubPage *self,
                               SignpostActions *actions)
{
  g_return_if_fail (SIGNPOST_IS_HUB_PAGE (self));

  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  g_set_object (&self->actions, actions);
  if (actions != NULL)
    {
      g_signal_connect_swapped (actions, "notify::user", G_CALLBACK (user_changed), self);
      g_signal_connect_swapped (actions, "notify::state", G_CALLBACK (state_changed), self);
    }
  user_changed (self);
}

void
signpost_hub_page_set_last_day (SignpostHubPage *self,
                                const GDate     *day)
{
  g_return_if_fail (SIGNPOST_IS_HUB_PAGE (self));
  g_return_if_fail (day != NULL && g_date_valid (day));

  self->last_day = *day;
  signpost_hub_page_refresh (self);
}

gboolean
signpost_hub_page_get_settled (SignpostHubPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_HUB_PAGE (self), FALSE);
  return self->settled;
}

const char *
signpost_hub_page_get_error (SignpostHubPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_HUB_PAGE (self), NULL);
  return self->error;
}

SignpostHubStats *
signpost_hub_page_get_stats (SignpostHubPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_HUB_PAGE (self), NULL);
  return self->stats;
}

const char *
signpost_hub_page_get_outliers_text (SignpostHubPage *self,
                                     const char      *measure)
{
  g_return_val_if_fail (SIGNPOST_IS_HUB_PAGE (self), NULL);

  for (guint i = 0; i < N_FUNNELS; i++)
    if (g_strcmp0 (measures[i], measure) == 0)
      return gtk_label_get_text (self->funnels[i].outliers);
  return NULL;
}

GListModel *
signpost_hub_page_get_table_model (SignpostHubPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_HUB_PAGE (self), NULL);
  return G_LIST_MODEL (gtk_column_view_get_model (self->table));
}

void
signpost_hub_page_show_tables (SignpostHubPage *self,
                               gboolean         tables)
{
  g_return_if_fail (SIGNPOST_IS_HUB_PAGE (self));
  gtk_toggle_button_set_active (self->tables_button, tables);
}
