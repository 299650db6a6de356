/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include "signpost-chart-series.h"

enum {
  PROP_0,
  PROP_TITLE,
  PROP_KIND,
  PROP_FILL,
  PROP_MARKER,
  PROP_DASHED,
  PROP_COLOR,
  PROP_UNIT,
  PROP_VISIBLE,
  N_PROPS
};

struct _SignpostChartSeries
{
  GObject parent_instance;

  char *title;
  SignpostChartSeriesKind kind;
  SignpostChartFill fill;
  SignpostChartMarker marker;
  gboolean dashed;
  GdkRGBA color;
  SignpostChartUnit unit;
  gboolean visible;
};

G_DEFINE_FINAL_TYPE (SignpostChartSeries, signpost_chart_series, G_TYPE_OBJECT)

static GParamSpec *properties[N_PROPS];

static void
signpost_chart_series_get_property (GObject    *object,
                                    guint       prop_id,
                                    GValue     *value,
                                    GParamSpec *pspec)
{
  SignpostChartSeries *self = SIGNPOST_CHART_SERIES (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      g_value_set_string (value, self->title);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_FILL:
      g_value_set_enum (value, self->fill);
      break;
    case PROP_MARKER:
      g_value_set_enum (value, self->marker);
      break;
    case PROP_DASHED:
      g_value_set_boolean (value, self->dashed);
      break;
    case PROP_COLOR:
      g_value_set_boxed (value, &self->color);
      break;
    case PROP_UNIT:
      g_value_set_enum (value, self->unit);
      break;
    case PROP_VISIBLE:
      g_value_set_boolean (value, self->visible);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_chart_series_set_property (GObject      *object,
                                    guint         prop_id,
                                    const GValue *value,
                                    GParamSpec   *pspec)
{
  SignpostChartSeries *self = SIGNPOST_CHART_SERIES (object);

  switch (prop_id)
    {
    case PROP_TITLE:
      signpost_chart_series_set_title (self, g_value_get_string (value));
      break;
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_FILL:
      self->fill = g_value_get_enum (value);
      break;
    case PROP_MARKER:
      self->marker = g_value_get_enum (value);
      break;
    case PROP_DASHED:
      self->dashed = g_value_get_boolean (value);
      break;
    case PROP_COLOR:
      if (g_value_get_boxed (value) != NULL)
        self->color = *(GdkRGBA *) g_value_get_boxed (value);
      break;
    case PROP_UNIT:
      self->unit = g_value_get_enum (value);
      break;
    case PROP_VISIBLE:
      signpost_chart_series_set_visible (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_chart_series_finalize (GObject *object)
{
  SignpostChartSeries *self = SIGNPOST_CHART_SERIES (object);

  g_free (self->title);

  G_OBJECT_CLASS (signpost_chart_series_parent_class)->finalize (object);
}

static void
signpost_chart_series_class_init (SignpostChartSeriesClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = signpost_chart_series_get_property;
  object_class->set_property = signpost_chart_series_set_property;
  object_class->finalize = signpost_chart_series_finalize;

  properties[PROP_TITLE] =
    g_param_spec_string ("title", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND] =
    g_param_spec_enum ("kind", NULL, NULL, SIGNPOST_TYPE_CHART_SERIES_KIND, SIGNPOST_CHART_SERIES_BAR,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILL] =
    g_param_spec_enum ("fill", NULL, NULL, SIGNPOST_TYPE_CHART_FILL, SIGNPOST_CHART_FILL_SOLID,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MARKER] =
    g_param_spec_enum ("marker", NULL, NULL, SIGNPOST_TYPE_CHART_MARKER, SIGNPOST_CHART_MARKER_NONE,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DASHED] =
    g_param_spec_boolean ("dashed", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_COLOR] =
    g_param_spec_boxed ("color", NULL, NULL, GDK_TYPE_RGBA,
                        G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNIT] =
    g_param_spec_enum ("unit", NULL, NULL, SIGNPOST_TYPE_CHART_UNIT, SIGNPOST_CHART_UNIT_COUNT,
                       G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_VISIBLE] =
    g_param_spec_boolean ("visible", NULL, NULL, TRUE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
signpost_chart_series_init (SignpostChartSeries *self)
{
  self->visible = TRUE;
  self->color = (GdkRGBA) { 0.21, 0.52, 0.89, 1.0 };
}

SignpostChartSeries *
signpost_chart_series_new (const char              *title,
                           SignpostChartSeriesKind  kind)
{
  return g_object_new (SIGNPOST_TYPE_CHART_SERIES, "title", title, "kind", kind, NULL);
}

const char *
signpost_chart_series_get_title (SignpostChartSeries *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART_SERIES (self), NULL);
  return self->title;
}

void
signpost_chart_series_set_title (SignpostChartSeries *self,
                                 const char          *title)
{
  g_return_if_fail (SIGNPOST_IS_CHART_SERIES (self));

  if (g_strcmp0 (self->title, title) == 0)
    return;
  g_free (self->title);
  self->title = g_strdup (title);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TITLE]);
}

SignpostChartSeriesKind
signpost_chart_series_get_kind (SignpostChartSeries *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART_SERIES (self), SIGNPOST_CHART_SERIES_BAR);
  return self->kind;
}

SignpostChartFill
signpost_chart_series_get_fill (SignpostChartSeries *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART_SERIES (self), SIGNPOST_CHART_FILL_SOLID);
  return self->fill;
}

SignpostChartMarker
signpost_chart_series_get_marker (SignpostChartSeries *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART_SERIES (self), SIGNPOST_CHART_MARKER_NONE);
  return self->marker;
}

gboolean
signpost_chart_series_get_dashed (SignpostChartSeries *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART_SERIES (self), FALSE);
  return self->dashed;
}

const GdkRGBA *
signpost_chart_series_get_color (SignpostChartSeries *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART_SERIES (self), NULL);
  return &self->color;
}

SignpostChartUnit
signpost_chart_series_get_unit (SignpostChartSeries *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART_SERIES (self), SIGNPOST_CHART_UNIT_COUNT);
  return self->unit;
}

gboolean
signpost_chart_series_get_visible (SignpostChartSeries *self)
{
  g_return_val_if_fail (SIGNPOST_IS_CHART_SERIES (self), FALSE);
  return self->visible;
}

void
signpost_chart_series_set_visible (SignpostChartSeries *self,
                                   gboolean             visible)
{
  g_return_if_fail (SIGNPOST_IS_CHART_SERIES (self));

  visible = !!visible;
  if (self->visible == visible)
    return;
  self->visible = visible;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_VISIBLE]);
}
