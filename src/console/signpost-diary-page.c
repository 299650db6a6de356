/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include "signpost-diary-page.h"

enum {
  PROP_0,
  PROP_ENGINE,
  N_PROPS
};

struct _SignpostDiaryPage
{
  AdwBin parent_instance;

  SignpostSyncEngine *engine;
};

G_DEFINE_FINAL_TYPE (SignpostDiaryPage, signpost_diary_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

static void
signpost_diary_page_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  SignpostDiaryPage *self = SIGNPOST_DIARY_PAGE (object);

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
signpost_diary_page_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  SignpostDiaryPage *self = SIGNPOST_DIARY_PAGE (object);

  switch (prop_id)
    {
    case PROP_ENGINE:
      signpost_diary_page_set_engine (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_diary_page_dispose (GObject *object)
{
  SignpostDiaryPage *self = SIGNPOST_DIARY_PAGE (object);

  g_clear_object (&self->engine);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_DIARY_PAGE);

  G_OBJECT_CLASS (signpost_diary_page_parent_class)->dispose (object);
}

static void
signpost_diary_page_class_init (SignpostDiaryPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = signpost_diary_page_get_property;
  object_class->set_property = signpost_diary_page_set_property;
  object_class->dispose = signpost_diary_page_dispose;

  properties[PROP_ENGINE] =
    g_param_spec_object ("engine", NULL, NULL, SIGNPOST_TYPE_SYNC_ENGINE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-diary-page.ui");
}

static void
signpost_diary_page_init (SignpostDiaryPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SignpostSyncEngine *
signpost_diary_page_get_engine (SignpostDiaryPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DIARY_PAGE (self), NULL);
  return self->engine;
}

void
signpost_diary_page_set_engine (SignpostDiaryPage  *self,
                                SignpostSyncEngine *engine)
{
  g_return_if_fail (SIGNPOST_IS_DIARY_PAGE (self));

  if (g_set_object (&self->engine, engine))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ENGINE]);
}

void
signpost_diary_page_find_slot_for_triage (SignpostDiaryPage *self,
                                          const char        *triage_id)
{
  g_return_if_fail (SIGNPOST_IS_DIARY_PAGE (self));
}
