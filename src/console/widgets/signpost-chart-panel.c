/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-chart-panel.h"
#include "signpost-chart-scale.h"

enum {
  PROP_0,
  PROP_CHART,
  PROP_TITLE,
  PROP_SUBTITLE,
  PROP_ROW_TITLE,
  PROP_SHOW_TABLE,
  N_PROPS
};

struct _SignpostChartPanel
{
  AdwBin parent_instance;

  /* template */
  GtkLabel *title_label;
  GtkLabel *subtitle_label;
  GtkToggleButton *table_button;
  GtkLabel *table_label;
  GtkStack *stack;
  AdwBin *chart_bin;
  GtkColumnView *column_view;

  SignpostChart *chart;
  char *title;
  char *row_title;
  GtkNoSelection *selection;
};

G_DEFINE_FINAL_TYPE (SignpostChartPanel, signpost_chart_panel, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

/* ---- the table ------------------------------------------------------------------ */

/* -1 for the row's name, else the series. */
#define COLUMN_SERIES "signpost-series"

static void
setup_cell (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  int series = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), COLUMN_SERIES)) - 1;
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), series < 0 ? 0.0 : 1.0);
  if (series >= 0)
    gtk_widget_add_css_class (label, "numeric");
  gtk_list_item_set_child (item, label);
}

static char *
cell_text (SignpostChartPanel *self,
           SignpostChartRow   *row,
           int                 series)
{
  if (series < 0)
    return g_strdup (signpost_chart_row_get_title (row));
  return signpost_chart_format_value (signpost_chart_row_get_value (row, series),
                                      signpost_chart_series_get_unit (signpost_chart_get_series_at (self->chart, series)));
}

static void
bind_cell (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           SignpostChartPanel       *self)
{
  int series = GPOINTER_TO_INT (g_object_get_data (G_OBJECT (factory), COLUMN_SERIES)) - 1;
  SignpostChartRow *row = gtk_list_item_get_item (item);
  g_autofree char *text = NULL;

  if (self->chart == NULL || row == NULL)
    return;
  text = cell_text (self, row, series);
  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), text);
}

static GtkColumnViewColumn *
add_column (SignpostChartPanel *self,
            const char         *title,
            int                 series)
{
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_object_set_data (G_OBJECT (factory), COLUMN_SERIES, GINT_TO_POINTER (series + 1));
  g_signal_connect (factory, "setup", G_CALLBACK (setup_cell), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_cell), self);
  column = gtk_column_view_column_new (title, g_steal_pointer (&factory));
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->column_view, column);
  return column;
}

static void
rebuild_columns (SignpostChartPanel *self)
{
  GListModel *columns = gtk_column_view_get_columns (self->column_view);

  while (g_list_model_get_n_items (columns) > 0)
    {
      g_autoptr(GtkColumnViewColumn) column = g_list_model_get_item (columns, 0);
      gtk_column_view_remove_column (self->column_view, column);
    }
  if (self->chart == NULL)
    return;

  {
    g_autoptr(GtkColumnViewColumn) first = add_column (self, self->row_title ? self->row_title : "", -1);
    gtk_column_view_column_set_expand (first, TRUE);
  }
  for (guint s = 0; s < g_list_model_get_n_items (signpost_chart_get_series (self->chart)); s++)
    {
      SignpostChartSeries *series = signpost_chart_get_series_at (self->chart, s);
      g_autoptr(GtkColumnViewColumn) column = add_column (self, signpost_chart_series_get_title (series), s);

      g_object_bind_property (series, "visible", column, "visible", G_BINDING_SYNC_CREATE);
      g_object_bind_property (series, "title", column, "title", G_BINDING_SYNC_CREATE);
    }
}

static void
update_table_label (SignpostChartPanel *self)
{
  /* Translators: the accessible name of a chart's table toggle, "Show Calls through the day as a table" */
  g_autofree char *label = g_strdup_printf (_("Show %s as a table"), self->title ? self->title : "");
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->table_button), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->column_view), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  self->title ? self->title : "", -1);
  if (self->chart != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->chart), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                    self->title ? self->title : "", -1);
}

static void
on_table_toggled (SignpostChartPanel *self)
{
  gboolean show = gtk_toggle_button_get_active (self->table_button);

  gtk_stack_set_visible_child_name (self->stack, show ? "table" : "chart");
  gtk_label_set_text (self->table_label, show ? _("Show as Chart") : _("Show as Table"));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOW_TABLE]);
}

/* ---- GObject -------------------------------------------------------------------- */

static void
signpost_chart_panel_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  SignpostChartPanel *self = SIGNPOST_CHART_PANEL (object);

  switch (prop_id)
    {
    case PROP_CHART:
      g_value_set_object (value, self->chart);
      break;
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_SUBTITLE:
      g_value_set_string (value, gtk_label_get_text (self->subtitle_label));
      break;
    case PROP_ROW_TITLE:
      g_value_set_string (value, self->row_title);
      break;
    case PROP_SHOW_TABLE:
      g_value_set_boolean (value, signpost_chart_panel_get_show_table (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_chart_panel_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  SignpostChartPanel *self = SIGNPOST_CHART_PANEL (object);

  switch (prop_id)
    {
    case PROP_CHART:
      signpost_chart_panel_set_chart (self, g_value_get_object (value));
      break;
    case PROP_TITLE:
      signpost_chart_panel_set_title (self, g_value_get_string (value));
      break;
    case PROP_SUBTITLE:
      signpost_chart_panel_set_subtitle (self, g_value_get_string (value));
      break;
    case PROP_ROW_TITLE:
      g_free (self->row_title);
      self->row_title = g_value_dup_string (value);
      rebuild_columns (self);
      break;
    case PROP_SHOW_TABLE:
      signpost_chart_panel_set_show_table (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_chart_panel_dispose (GObject *object)
{
  SignpostChartPanel *self = SIGNPOST_CHART_PANEL (object);

  if (self->chart != NULL)
    g_signal_handlers_disconnect_by_data (signpost_chart_get_series (self->chart), self);
  if (self->column_view != NULL)
    gtk_column_view_set_model (self->column_view, NULL);
  g_clear_object (&self->selection);
  g_clear_object (&self->chart);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_CHART_PANEL);

  G_OBJECT_CLASS (signpost_chart_panel_parent_class)->dispose (object);
}

static void
signpost_chart_panel_finalize (GObject *object)
{
  SignpostChartPanel *self = SIGNPOST_CHART_PANEL (object);

  g_free (self->title);
  g_free (self->row_title);

  G_OBJECT_CLASS (signpost_chart_panel_parent_class)->finalize (object);
}

static void
signpost_chart_panel_class_init (SignpostChartPanelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = signpost_chart_panel_get_property;
  object_class->set_property = signpost_chart_panel_set_property;
  object_class->dispose = signpost_chart_panel_dispose;
  object_class->finalize = signpost_chart_panel_finalize;

  properties[PROP_CHART] =
    g_param_spec_object ("chart", NULL, NULL, SIGNPOST_TYPE_CHART,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SUBTITLE] =
    g_param_spec_string ("subtitle", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ROW_TITLE] =
    g_param_spec_string ("row-title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  properties[PROP_SHOW_TABLE] =
    g_param_spec_boolean ("show-table", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-chart-panel.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostChartPanel, title_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostChartPanel, subtitle_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostChartPanel, table_button);
  gtk_widget_class_bind_template_child (widget_class, SignpostChartPanel, table_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostChartPanel, stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostChartPanel, chart_bin);
  gtk_widget_class_bind_template_child (widget_class, SignpostChartPanel, column_view);
}

static void
signpost_chart_panel_init (SignpostChartPanel *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  g_signal_connect_swapped (self->table_button, "toggled", G_CALLBACK (on_table_toggled), self);
  update_table_label (self);
}

/* ---- public API ------------------------------------------------------------------ */

SignpostChart *
signpost_chart_panel_get_chart (SignpostChartPanel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART_PANEL (self), NULL);
  return self->chart;
}

void
signpost_chart_panel_set_chart (SignpostChartPanel *self,
                                SignpostChart      *chart)
{
  g_return_if_fail (SIGNPOST_IS_CHART_PANEL (self));
  g_return_if_fail (chart == NULL || SIGNPOST_IS_CHART (chart));

  if (self->chart == chart)
    return;
  if (self->chart != NULL)
    g_signal_handlers_disconnect_by_data (signpost_chart_get_series (self->chart), self);
  g_set_object (&self->chart, chart);
  adw_bin_set_child (self->chart_bin, GTK_WIDGET (chart));
  g_clear_object (&self->selection);
  if (chart != NULL)
    {
      self->selection = gtk_no_selection_new (g_object_ref (signpost_chart_get_shown_rows (chart)));
      g_signal_connect_swapped (signpost_chart_get_series (chart), "items-changed",
                                G_CALLBACK (rebuild_columns), self);
    }
  gtk_column_view_set_model (self->column_view, GTK_SELECTION_MODEL (self->selection));
  rebuild_columns (self);
  update_table_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CHART]);
}

const char *
signpost_chart_panel_get_title (SignpostChartPanel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART_PANEL (self), NULL);
  return self->title;
}

void
signpost_chart_panel_set_title (SignpostChartPanel *self,
                                const char         *title)
{
  g_return_if_fail (SIGNPOST_IS_CHART_PANEL (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  gtk_label_set_text (self->title_label, title);
  update_table_label (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

void
signpost_chart_panel_set_subtitle (SignpostChartPanel *self,
                                   const char         *subtitle)
{
  g_return_if_fail (SIGNPOST_IS_CHART_PANEL (self));

  if (g_strcmp0 (gtk_label_get_text (self->subtitle_label), subtitle ? subtitle : "") == 0)
    return;
  gtk_label_set_text (self->subtitle_label, subtitle);
  gtk_widget_set_visible (GTK_WIDGET (self->subtitle_label), subtitle != NULL && *subtitle != '\0');
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SUBTITLE]);
}

gboolean
signpost_chart_panel_get_show_table (SignpostChartPanel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART_PANEL (self), FALSE);
  return gtk_toggle_button_get_active (self->table_button);
}

void
signpost_chart_panel_set_show_table (SignpostChartPanel *self,
                                     gboolean            show_table)
{
  g_return_if_fail (SIGNPOST_IS_CHART_PANEL (self));
  gtk_toggle_button_set_active (self->table_button, show_table);
}

GtkColumnView *
signpost_chart_panel_get_table (SignpostChartPanel *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART_PANEL (self), NULL);
  return self->column_view;
}

char *
signpost_chart_panel_get_cell_text (SignpostChartPanel *self,
                                    guint               row,
                                    guint               column)
{
  g_autoptr(SignpostChartRow) item = NULL;

  g_return_val_if_fail (SIGNPOST_IS_CHART_PANEL (self), NULL);
  g_return_val_if_fail (self->chart != NULL, NULL);

  item = g_list_model_get_item (signpost_chart_get_shown_rows (self->chart), row);
  if (item == NULL)
    return NULL;
  return cell_text (self, item, (int) column - 1);
}
