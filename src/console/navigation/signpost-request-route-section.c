/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-request-route-section.h"
#include "signpost-triage-format.h"

/* Rows of the "Route to" list: a route's kind, in the enum's order. */
G_STATIC_ASSERT (SIGNPOST_ROUTE_CLINICIAN == 0 && SIGNPOST_ROUTE_DUTY == 1 &&
                 SIGNPOST_ROUTE_PROFESSION == 2 && SIGNPOST_ROUTE_SIGNPOST == 3);

#define N_PROFESSIONS (SIGNPOST_PROFESSION_SOCIAL_PRESCRIBER + 1)
#define N_SIGNPOSTS (SIGNPOST_SIGNPOST_SEXUAL_HEALTH + 1)

enum {
  URGENCY_CHOSEN,
  ROUTE_CHANGED,
  N_SIGNALS
};

struct _SignpostRequestRouteSection
{
  GtkBox parent_instance;

  GtkGrid *grid;
  GtkCheckButton *red_check;
  GtkCheckButton *amber_check;
  GtkCheckButton *green_check;
  GtkLabel *urgency_note;
  GtkRevealer *pharmacy_revealer;
  GtkLabel *pharmacy_label;
  GtkBox *pharmacy_buttons;
  GtkDropDown *route_dropdown;
  GtkLabel *target_label;
  GtkStack *target_stack;
  GtkDropDown *clinician_dropdown;
  GtkLabel *duty_label;
  GtkDropDown *profession_dropdown;
  GtkDropDown *signpost_dropdown;
  GtkLabel *route_hint;

  GPtrArray *clinician_ids; /* char *, the clinician list's rows */
  char *duty_text;
  char *usual_gp_name;
};

G_DEFINE_FINAL_TYPE (SignpostRequestRouteSection, signpost_request_route_section, GTK_TYPE_BOX)

static guint signals[N_SIGNALS];

static void
set_string_model (GtkDropDown        *dropdown,
                  const char * const *labels)
{
  g_autoptr(GtkStringList) list = gtk_string_list_new (labels);

  gtk_drop_down_set_model (dropdown, G_LIST_MODEL (list));
}

static void
set_urgency_labels (SignpostRequestRouteSection *self,
                    gboolean                     emergency)
{
  g_autofree char *red = g_strdup_printf ("%s — %s", _("Re_d"),
                                          emergency ? _("emergency: 999 now")
                                                    : signpost_navigation_rag_meaning (SIGNPOST_RAG_RED));
  g_autofree char *amber = g_strdup_printf ("%s — %s", _("_Amber"), signpost_navigation_rag_meaning (SIGNPOST_RAG_AMBER));
  g_autofree char *green = g_strdup_printf ("%s — %s", _("_Green"), signpost_navigation_rag_meaning (SIGNPOST_RAG_GREEN));

  gtk_check_button_set_label (self->red_check, red);
  gtk_check_button_set_label (self->amber_check, amber);
  gtk_check_button_set_label (self->green_check, green);
}

/* Which target the route asks for, and what is worth knowing about it. */
static void
update_target (SignpostRequestRouteSection *self)
{
  g_autofree char *hint = NULL;

  gtk_label_set_text (self->duty_label, self->duty_text ? self->duty_text : "");
  switch (gtk_drop_down_get_selected (self->route_dropdown))
    {
    case SIGNPOST_ROUTE_CLINICIAN:
      gtk_stack_set_visible_child_name (self->target_stack, "clinician");
      gtk_label_set_text_with_mnemonic (self->target_label, _("_Which clinician"));
      gtk_label_set_mnemonic_widget (self->target_label, GTK_WIDGET (self->clinician_dropdown));
      if (self->usual_gp_name != NULL)
        hint = g_strdup_printf (_("Usual GP: %s. Keeping to the usual GP is better care when the request can wait."),
                                self->usual_gp_name);
      break;
    case SIGNPOST_ROUTE_PROFESSION:
      gtk_stack_set_visible_child_name (self->target_stack, "profession");
      gtk_label_set_text_with_mnemonic (self->target_label, _("_Which profession"));
      gtk_label_set_mnemonic_widget (self->target_label, GTK_WIDGET (self->profession_dropdown));
      break;
    case SIGNPOST_ROUTE_SIGNPOST:
      gtk_stack_set_visible_child_name (self->target_stack, "signpost");
      gtk_label_set_text_with_mnemonic (self->target_label, _("_Which service"));
      gtk_label_set_mnemonic_widget (self->target_label, GTK_WIDGET (self->signpost_dropdown));
      break;
    case SIGNPOST_ROUTE_DUTY:
    default:
      gtk_stack_set_visible_child_name (self->target_stack, "duty");
      gtk_label_set_text (self->target_label, _("Duty doctor"));
      if (self->usual_gp_name != NULL)
        hint = g_strdup_printf (_("Usual GP: %s."), self->usual_gp_name);
      break;
    }
  gtk_label_set_text (self->route_hint, hint ? hint : "");
  gtk_widget_set_visible (GTK_WIDGET (self->route_hint), hint != NULL);
}

static void
on_route_changed (SignpostRequestRouteSection *self)
{
  update_target (self);
  g_signal_emit (self, signals[ROUTE_CHANGED], 0);
}

static void
on_urgency_toggled (SignpostRequestRouteSection *self,
                    GtkCheckButton              *check)
{
  if (gtk_check_button_get_active (check))
    g_signal_emit (self, signals[URGENCY_CHOSEN], 0);
}

static void
signpost_request_route_section_dispose (GObject *object)
{
  gtk_widget_dispose_template (GTK_WIDGET (object), SIGNPOST_TYPE_REQUEST_ROUTE_SECTION);

  G_OBJECT_CLASS (signpost_request_route_section_parent_class)->dispose (object);
}

static void
signpost_request_route_section_finalize (GObject *object)
{
  SignpostRequestRouteSection *self = SIGNPOST_REQUEST_ROUTE_SECTION (object);

  g_clear_pointer (&self->clinician_ids, g_ptr_array_unref);
  g_free (self->duty_text);
  g_free (self->usual_gp_name);

  G_OBJECT_CLASS (signpost_request_route_section_parent_class)->finalize (object);
}

static void
signpost_request_route_section_class_init (SignpostRequestRouteSectionClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = signpost_request_route_section_dispose;
  object_class->finalize = signpost_request_route_section_finalize;

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/io/github/signpost/Signpost/signpost-request-route-section.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRouteSection, grid);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRouteSection, red_check);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRouteSection, amber_check);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRouteSection, green_check);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRouteSection, urgency_note);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRouteSection, pharmacy_revealer);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRouteSection, pharmacy_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRouteSection, pharmacy_buttons);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRouteSection, route_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRouteSection, target_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRouteSection, target_stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRouteSection, clinician_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRouteSection, duty_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRouteSection, profession_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRouteSection, signpost_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestRouteSection, route_hint);

  signals[URGENCY_CHOSEN] = g_signal_new ("urgency-chosen", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                          0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  signals[ROUTE_CHANGED] = g_signal_new ("route-changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                         0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
signpost_request_route_section_init (SignpostRequestRouteSection *self)
{
  const char * const routes[] = {
    _("A named clinician"),
    _("The duty doctor"),
    _("Another profession in the practice"),
    _("Somewhere outside the practice (signpost)"),
    NULL
  };
  g_autoptr(GStrvBuilder) professions = g_strv_builder_new ();
  g_autoptr(GStrvBuilder) signposts = g_strv_builder_new ();
  g_auto(GStrv) profession_labels = NULL;
  g_auto(GStrv) signpost_labels = NULL;

  self->clinician_ids = g_ptr_array_new_with_free_func (g_free);
  gtk_widget_init_template (GTK_WIDGET (self));

  for (int i = 0; i < N_PROFESSIONS; i++)
    g_strv_builder_add (professions, signpost_triage_format_profession (i));
  for (int i = 0; i < N_SIGNPOSTS; i++)
    g_strv_builder_add (signposts, signpost_triage_format_signpost (i));
  profession_labels = g_strv_builder_end (professions);
  signpost_labels = g_strv_builder_end (signposts);
  set_string_model (self->route_dropdown, routes);
  set_string_model (self->profession_dropdown, (const char * const *) profession_labels);
  set_string_model (self->signpost_dropdown, (const char * const *) signpost_labels);
  gtk_drop_down_set_selected (self->route_dropdown, SIGNPOST_ROUTE_DUTY);
  set_urgency_labels (self, FALSE);

  g_signal_connect_object (self->red_check, "toggled", G_CALLBACK (on_urgency_toggled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->amber_check, "toggled", G_CALLBACK (on_urgency_toggled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->green_check, "toggled", G_CALLBACK (on_urgency_toggled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->route_dropdown, "notify::selected", G_CALLBACK (on_route_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->clinician_dropdown, "notify::selected", G_CALLBACK (on_route_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->profession_dropdown, "notify::selected", G_CALLBACK (on_route_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->signpost_dropdown, "notify::selected", G_CALLBACK (on_route_changed), self,
                           G_CONNECT_SWAPPED);
}

/* ---- urgency ------------------------------------------------------------------------ */

int
signpost_request_route_section_get_rag (SignpostRequestRouteSection *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self), -1);

  /* There is no default urgency, on purpose. */
  if (gtk_check_button_get_active (self->red_check))
    return SIGNPOST_RAG_RED;
  if (gtk_check_button_get_active (self->amber_check))
    return SIGNPOST_RAG_AMBER;
  if (gtk_check_button_get_active (self->green_check))
    return SIGNPOST_RAG_GREEN;
  return -1;
}

static GtkCheckButton *
check_for (SignpostRequestRouteSection *self,
           SignpostRag                  rag)
{
  switch (rag)
    {
    case SIGNPOST_RAG_RED:
      return self->red_check;
    case SIGNPOST_RAG_AMBER:
      return self->amber_check;
    case SIGNPOST_RAG_GREEN:
    default:
      return self->green_check;
    }
}

void
signpost_request_route_section_set_rag (SignpostRequestRouteSection *self,
                                        SignpostRag                  rag)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self));
  gtk_check_button_set_active (check_for (self, rag), TRUE);
}

void
signpost_request_route_section_choose_rag (SignpostRequestRouteSection *self,
                                           SignpostRag                  rag)
{
  GtkCheckButton *check;

  g_return_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self));

  check = check_for (self, rag);
  if (gtk_widget_is_sensitive (GTK_WIDGET (check)))
    gtk_check_button_set_active (check, TRUE);
}

gboolean
signpost_request_route_section_get_rag_allowed (SignpostRequestRouteSection *self,
                                                SignpostRag                  rag)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self), FALSE);
  return rag == SIGNPOST_RAG_RED || gtk_widget_get_sensitive (GTK_WIDGET (check_for (self, rag)));
}

void
signpost_request_route_section_focus_urgency (SignpostRequestRouteSection *self)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self));
  gtk_widget_grab_focus (GTK_WIDGET (self->red_check));
}

void
signpost_request_route_section_set_red_flag (SignpostRequestRouteSection *self,
                                             gboolean                     any,
                                             SignpostRedFlagAction        action)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self));

  set_urgency_labels (self, any && action == SIGNPOST_RED_FLAG_CALL_999);
  if (any)
    {
      gtk_check_button_set_active (self->red_check, TRUE);
      gtk_label_set_text (self->urgency_note,
                          _("A red flag is ticked: the request is Red and cannot be saved as Amber or Green."));
    }
  gtk_widget_set_sensitive (GTK_WIDGET (self->amber_check), !any);
  gtk_widget_set_sensitive (GTK_WIDGET (self->green_check), !any);
  gtk_widget_set_visible (GTK_WIDGET (self->urgency_note), any);
}

void
signpost_request_route_section_show_pharmacy_first (SignpostRequestRouteSection *self,
                                                    const char                  *text,
                                                    gboolean                     offer)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self));

  gtk_label_set_text (self->pharmacy_label, text ? text : "");
  gtk_widget_set_visible (GTK_WIDGET (self->pharmacy_buttons), offer);
  gtk_revealer_set_reveal_child (self->pharmacy_revealer, text != NULL);
}

/* ---- the route ------------------------------------------------------------------------ */

SignpostRouteKind
signpost_request_route_section_get_route_kind (SignpostRequestRouteSection *self)
{
  guint row;

  g_return_val_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self), SIGNPOST_ROUTE_DUTY);

  row = gtk_drop_down_get_selected (self->route_dropdown);
  return row <= SIGNPOST_ROUTE_SIGNPOST ? (SignpostRouteKind) row : SIGNPOST_ROUTE_DUTY;
}

void
signpost_request_route_section_set_route_kind (SignpostRequestRouteSection *self,
                                               SignpostRouteKind            kind)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self));
  gtk_drop_down_set_selected (self->route_dropdown, kind);
}

void
signpost_request_route_section_set_clinicians (SignpostRequestRouteSection *self,
                                               GPtrArray                   *ids,
                                               const char * const          *labels)
{
  g_autofree char *previous = NULL;
  guint selected = 0;

  g_return_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self));

  previous = g_strdup (signpost_request_route_section_get_clinician_id (self));
  g_ptr_array_set_size (self->clinician_ids, 0);
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    {
      g_ptr_array_add (self->clinician_ids, g_strdup (g_ptr_array_index (ids, i)));
      if (g_strcmp0 (g_ptr_array_index (ids, i), previous) == 0)
        selected = i;
    }
  set_string_model (self->clinician_dropdown, labels);
  gtk_drop_down_set_selected (self->clinician_dropdown, selected);
}

const char *
signpost_request_route_section_get_clinician_id (SignpostRequestRouteSection *self)
{
  guint row;

  g_return_val_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self), NULL);

  row = gtk_drop_down_get_selected (self->clinician_dropdown);
  return row < self->clinician_ids->len ? g_ptr_array_index (self->clinician_ids, row) : NULL;
}

void
signpost_request_route_section_set_clinician_id (SignpostRequestRouteSection *self,
                                                 const char                  *clinician_id)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self));

  for (guint i = 0; i < self->clinician_ids->len; i++)
    if (g_strcmp0 (g_ptr_array_index (self->clinician_ids, i), clinician_id) == 0)
      gtk_drop_down_set_selected (self->clinician_dropdown, i);
}

SignpostProfession
signpost_request_route_section_get_profession (SignpostRequestRouteSection *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self), SIGNPOST_PROFESSION_GP);
  return gtk_drop_down_get_selected (self->profession_dropdown);
}

void
signpost_request_route_section_set_profession (SignpostRequestRouteSection *self,
                                               SignpostProfession           profession)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self));
  gtk_drop_down_set_selected (self->profession_dropdown, profession);
}

SignpostSignpost
signpost_request_route_section_get_signpost (SignpostRequestRouteSection *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self), 0);
  return gtk_drop_down_get_selected (self->signpost_dropdown);
}

void
signpost_request_route_section_set_signpost (SignpostRequestRouteSection *self,
                                             SignpostSignpost             signpost)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self));
  gtk_drop_down_set_selected (self->signpost_dropdown, signpost);
}

void
signpost_request_route_section_set_people (SignpostRequestRouteSection *self,
                                           const char                  *duty_text,
                                           const char                  *usual_gp_name)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self));

  g_free (self->duty_text);
  self->duty_text = g_strdup (duty_text);
  g_free (self->usual_gp_name);
  self->usual_gp_name = g_strdup (usual_gp_name);
  update_target (self);
}

/* The labels before the controls line up with the other section's. */
void
signpost_request_route_section_align_labels (SignpostRequestRouteSection *self,
                                             GtkSizeGroup                *labels)
{
  g_return_if_fail (SIGNPOST_IS_REQUEST_ROUTE_SECTION (self));

  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->grid)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      int column;

      gtk_grid_query_child (self->grid, child, &column, NULL, NULL, NULL);
      if (column == 0)
        gtk_size_group_add_widget (labels, child);
    }
}
