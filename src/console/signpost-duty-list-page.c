/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include "signpost-duty-list-page.h"

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

struct _SignpostDutyListPage
{
  AdwBin parent_instance;

  SignpostSyncEngine *engine;
};

G_DEFINE_FINAL_TYPE (SignpostDutyListPage, signpost_duty_list_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

static void
signpost_duty_list_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SignpostDutyListPage *self = SIGNPOST_DUTY_LIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      g_value_set_object (value, self->engine);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_duty_list_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SignpostDutyListPage *self = SIGNPOST_DUTY_LIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      signpost_duty_list_page_set_engine (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_duty_list_page_dispose (GObject *object)
{
  SignpostDutyListPage *self = SIGNPOST_DUTY_LIST_PAGE (object);

  g_clear_object (&self->engine);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_DUTY_LIST_PAGE);

  G_OBJECT_CLASS (signpost_duty_list_page_parent_class)->dispose (object);
}

static void
signpost_duty_list_page_class_init (SignpostDutyListPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = signpost_duty_list_page_get_property;
  object_class->set_property = signpost_duty_list_page_set_property;
  object_class->dispose = signpost_duty_list_page_dispose;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, SIGNPOST_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-duty-list-page.ui");
}

static void
signpost_duty_list_page_init (SignpostDutyListPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SignpostSyncEngine *
signpost_duty_list_page_get_engine (SignpostDutyListPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DUTY_LIST_PAGE (self), NULL);
  return self->engine;
}

void
signpost_duty_list_page_set_engine (SignpostDutyListPage *self,
                                    SignpostSyncEngine   *engine)
{
  g_return_if_fail (SIGNPOST_IS_DUTY_LIST_PAGE (self));

  if (g_set_object (&self->engine, engine))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}
