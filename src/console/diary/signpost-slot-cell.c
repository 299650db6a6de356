/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-diary-format.h"
#include "signpost-slot-cell.h"

/*
 * One widget that draws its three lines itself (GtkSnapshot and cached
 * Pango layouts) at a fixed size. A hub day shows some 700 cells at once;
 * a button of boxes, labels and images per cell made the page take seconds
 * to build and a quarter of a second per scrolled frame (measured in
 * tests/bench/bench-console-diary.c). It is still a focusable button to
 * assistive technologies, with everything it shows in its label.
 */

#define CELL_WIDTH 196
#define CELL_HEIGHT 52
#define PAD_X 6
#define PAD_Y 3
#define ICON 12

enum {
  CLICKED,
  N_SIGNALS
};

struct _SignpostSlotCell
{
  GtkWidget parent_instance;

  SignpostDiaryDay *day;
  SignpostDiaryRow *row;
  char *clinician_id;
  const SignpostSlotBooker *booker;
  gulong changed_handler;
  SignpostSlot *slot;
  char *text;

  /* What is drawn: the words now, the layouts when first drawn */
  char *status;
  char *detail;
  const char *state;
  PangoLayout *time_layout;
  PangoLayout *mode_layout;
  PangoLayout *status_layout;
  PangoLayout *detail_layout;
  const char *mode_icon;
  const char *status_icon;
  gboolean pending;
  int laid_out_width;
};

G_DEFINE_FINAL_TYPE (SignpostSlotCell, signpost_slot_cell, GTK_TYPE_WIDGET)

static guint signals[N_SIGNALS];

/* ---- drawing ------------------------------------------------------------------ */

static PangoLayout *
make_layout (SignpostSlotCell *self,
             const char       *text,
             gboolean          bold,
             double           scale)
{
  PangoLayout *layout = gtk_widget_create_pango_layout (GTK_WIDGET (self), text ? text : "");
  PangoAttrList *attributes = pango_attr_list_new ();

  if (bold)
    pango_attr_list_insert (attributes, pango_attr_weight_new (PANGO_WEIGHT_BOLD));
  if (scale != 1.0)
    pango_attr_list_insert (attributes, pango_attr_scale_new (scale));
  pango_layout_set_attributes (layout, attributes);
  pango_attr_list_unref (attributes);
  pango_layout_set_ellipsize (layout, PANGO_ELLIPSIZE_END);
  pango_layout_set_single_paragraph_mode (layout, TRUE);
  return layout;
}

static void
clear_layouts (SignpostSlotCell *self)
{
  g_clear_object (&self->time_layout);
  g_clear_object (&self->mode_layout);
  g_clear_object (&self->status_layout);
  g_clear_object (&self->detail_layout);
  self->laid_out_width = -1;
}

static void
draw_icon (SignpostSlotCell *self,
           GtkSnapshot      *snapshot,
           const char       *name,
           float             x,
           float             y,
           const GdkRGBA    *color)
{
  GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));
  g_autoptr(GtkIconPaintable) icon = gtk_icon_theme_lookup_icon (theme, name, NULL, ICON,
                                                                 gtk_widget_get_scale_factor (GTK_WIDGET (self)),
                                                                 GTK_TEXT_DIR_NONE, 0);

  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_symbolic_paintable_snapshot_symbolic (GTK_SYMBOLIC_PAINTABLE (icon), snapshot, ICON, ICON, color, 1);
  gtk_snapshot_restore (snapshot);
}

static int
layout_width (PangoLayout *layout)
{
  int width, height;

  pango_layout_get_pixel_size (layout, &width, &height);
  return width;
}

static void
signpost_slot_cell_snapshot (GtkWidget   *widget,
                             GtkSnapshot *snapshot)
{
  SignpostSlotCell *self = SIGNPOST_SLOT_CELL (widget);
  int width = gtk_widget_get_width (widget);
  int inner = MAX (width - 2 * PAD_X, 10);
  GdkRGBA color;
  float x, y = PAD_Y;
  int line = 0;

  if (self->row == NULL || self->slot == NULL)
    return;
  if (self->time_layout == NULL)
    {
      SignpostSlotMode mode = signpost_slot_get_mode (self->slot);

      self->time_layout = make_layout (self, signpost_diary_row_get_label (self->row), TRUE, 1.0);
      self->mode_layout = make_layout (self, signpost_slot_mode_label (mode), FALSE, 0.9);
      self->status_layout = make_layout (self, self->status, TRUE, 1.0);
      self->detail_layout = make_layout (self, self->detail, FALSE, 0.9);
      self->laid_out_width = -1;
    }
  gtk_style_context_get_color (gtk_widget_get_style_context (widget), &color);
  if (self->laid_out_width != width)
    {
      int time_width = layout_width (self->time_layout);

      pango_layout_set_width (self->mode_layout, MAX (inner - time_width - ICON - 10 - (self->pending ? ICON : 0), 1) * PANGO_SCALE);
      pango_layout_set_width (self->status_layout, MAX (inner - (self->status_icon ? ICON + 4 : 0), 1) * PANGO_SCALE);
      pango_layout_set_width (self->detail_layout, inner * PANGO_SCALE);
      self->laid_out_width = width;
    }
  pango_layout_get_pixel_size (self->time_layout, NULL, &line);

  /* 09:10 [icon] Telephone             [not yet sent] */
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (PAD_X, y));
  gtk_snapshot_append_layout (snapshot, self->time_layout, &color);
  gtk_snapshot_restore (snapshot);
  x = PAD_X + layout_width (self->time_layout) + 4;
  draw_icon (self, snapshot, self->mode_icon, x, y + (line - ICON) / 2.0, &color);
  x += ICON + 4;
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y + 1));
  gtk_snapshot_append_layout (snapshot, self->mode_layout, &color);
  gtk_snapshot_restore (snapshot);
  if (self->pending)
    draw_icon (self, snapshot, "emblem-synchronizing-symbolic", width - PAD_X - ICON, y + (line - ICON) / 2.0, &color);
  y += line + 1;

  /* [icon] Embargoed until 08:00 / SMITH, Ann · Arrived */
  x = PAD_X;
  if (self->status_icon != NULL)
    {
      draw_icon (self, snapshot, self->status_icon, x, y + (line - ICON) / 2.0, &color);
      x += ICON + 4;
    }
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (x, y));
  gtk_snapshot_append_layout (snapshot, self->status_layout, &color);
  gtk_snapshot_restore (snapshot);
  y += line + 1;

  /* The reason, or a note */
  gtk_snapshot_save (snapshot);
  gtk_snapshot_translate (snapshot, &GRAPHENE_POINT_INIT (PAD_X, y));
  gtk_snapshot_append_layout (snapshot, self->detail_layout, &color);
  gtk_snapshot_restore (snapshot);
}

static void
signpost_slot_cell_measure (GtkWidget      *widget,
                            GtkOrientation  orientation,
                            int             for_size,
                            int            *minimum,
                            int            *natural,
                            int            *minimum_baseline,
                            int            *natural_baseline)
{
  /* A fixed size: nothing to measure per cell, however many there are. */
  *minimum = *natural = orientation == GTK_ORIENTATION_HORIZONTAL ? CELL_WIDTH : CELL_HEIGHT;
}

/* ---- what the cell says ----------------------------------------------------------- */

/* Only a real change of state touches the CSS classes: each change means
 * the cell's style is worked out again. */
static void
set_state (SignpostSlotCell *self,
           const char       *state,
           const char       *icon_name)
{
  if (self->state != state)
    {
      if (self->state != NULL)
        gtk_widget_remove_css_class (GTK_WIDGET (self), self->state);
      if (state != NULL)
        gtk_widget_add_css_class (GTK_WIDGET (self), state);
      self->state = state;
    }
  self->status_icon = icon_name;
}

static void
set_pending (SignpostSlotCell *self,
             gboolean          pending)
{
  if (self->pending == pending)
    return;
  self->pending = pending;
  if (pending)
    gtk_widget_add_css_class (GTK_WIDGET (self), "slot-pending");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (self), "slot-pending");
}

static void
refresh (SignpostSlotCell *self)
{
  SignpostSlot *slot = self->row ? signpost_diary_row_get_slot (self->row, self->clinician_id) : NULL;
  SignpostSlotMode mode;
  g_autofree char *status = NULL;
  g_autofree char *spoken_status = NULL;
  g_autofree char *detail = NULL;
  g_autofree char *clinician = NULL;
  gboolean pending;

  g_set_object (&self->slot, slot);
  clear_layouts (self);
  if (slot == NULL || self->day == NULL)
    {
      gtk_widget_set_visible (GTK_WIDGET (self), FALSE);
      g_clear_pointer (&self->text, g_free);
      return;
    }
  gtk_widget_set_visible (GTK_WIDGET (self), TRUE);

  mode = signpost_slot_get_mode (slot);
  pending = signpost_cache_record_is_pending (SIGNPOST_RECORD (slot));

  switch (signpost_slot_get_status (slot))
    {
    case SIGNPOST_SLOT_BOOKED:
      {
        SignpostAppointment *appointment = signpost_diary_day_get_appointment (self->day, slot);
        const char *patient = NULL;
        const char *state = "slot-booked";

        if (appointment != NULL)
          {
            SignpostAppointmentStatus done = signpost_appointment_get_status (appointment);
            g_autofree char *name = NULL;

            patient = signpost_diary_day_get_patient_name (self->day, signpost_appointment_get_patient_id (appointment));
            pending |= signpost_cache_record_is_pending (SIGNPOST_RECORD (appointment));
            name = g_strdup (patient ? patient : _("Booked"));
            if (done == SIGNPOST_APPOINTMENT_DID_NOT_ATTEND)
              /* Translators: a booked slot whose patient did not come; DNA is what practices call it */
              status = g_strdup_printf (_("%s · DNA"), name);
            else if (done != SIGNPOST_APPOINTMENT_BOOKED)
              /* Translators: a booked slot: "SMITH, Ann · Arrived" */
              status = g_strdup_printf (_("%s · %s"), name, signpost_appointment_status_label (done));
            else
              status = g_strdup (name);
            if (done != SIGNPOST_APPOINTMENT_BOOKED)
              spoken_status = g_strdup_printf (_("%s · %s"), name, signpost_appointment_status_label (done));
            detail = g_strdup (signpost_appointment_get_reason (appointment));
            if (done == SIGNPOST_APPOINTMENT_ARRIVED)
              state = "slot-arrived";
            else if (done == SIGNPOST_APPOINTMENT_SEEN)
              state = "slot-seen";
            else if (done == SIGNPOST_APPOINTMENT_DID_NOT_ATTEND)
              state = "slot-dna";
          }
        else
          status = g_strdup (_("Booked"));
        set_state (self, state, NULL);
      }
      break;

    case SIGNPOST_SLOT_BLOCKED:
      status = g_strdup (_("Blocked"));
      set_state (self, "slot-blocked", "action-unavailable-symbolic");
      break;

    case SIGNPOST_SLOT_FREE:
    default:
      switch (signpost_slot_check_bookable (slot, signpost_diary_day_get_appointment (self->day, slot), self->booker))
        {
        case SIGNPOST_SLOT_EMBARGOED:
          status = signpost_slot_format_embargo (slot, signpost_diary_day_get_time_zone (self->day));
          set_state (self, "slot-embargoed", "alarm-symbolic");
          break;
        case SIGNPOST_SLOT_PRACTICE_ONLY:
          status = g_strdup (_("Practice only"));
          set_state (self, "slot-practice-only", "changes-prevent-symbolic");
          break;
        case SIGNPOST_SLOT_STARTED:
          status = g_strdup (_("Free (time passed)"));
          set_state (self, "slot-passed", NULL);
          break;
        case SIGNPOST_SLOT_BOOKABLE:
        case SIGNPOST_SLOT_NOT_FREE:
        default:
          status = g_strdup (_("Free"));
          if (!signpost_slot_get_hub_bookable (slot))
            detail = g_strdup (_("Practice staff only"));
          set_state (self, "slot-free", NULL);
          break;
        }
      break;
    }
  set_pending (self, pending);
  self->mode_icon = signpost_slot_mode_icon_name (mode);
  g_free (self->status);
  self->status = g_strdup (status);
  g_free (self->detail);
  self->detail = g_strdup (detail);

  clinician = signpost_clinician_format_name (signpost_diary_day_lookup_clinician (self->day, self->clinician_id));
  g_free (self->text);
  /* Translators: one slot in the diary, read out: "09:10, Dr Asha Patel, Telephone: Free" */
  self->text = g_strdup_printf (_("%s, %s, %s: %s"), signpost_diary_row_get_label (self->row), clinician,
                                signpost_slot_mode_label (mode), spoken_status ? spoken_status : status);
  if (detail != NULL && *detail != '\0')
    {
      char *longer = g_strdup_printf ("%s (%s)", self->text, detail);
      g_free (self->text);
      self->text = longer;
    }
  if (pending)
    {
      /* Translators: added to a slot's description while a change waits to be sent */
      char *longer = g_strdup_printf (_("%s, not yet sent"), self->text);
      g_free (self->text);
      self->text = longer;
    }
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, self->text, -1);
  gtk_widget_queue_draw (GTK_WIDGET (self));
}

/* The whole reason, when it does not fit. */
static gboolean
on_query_tooltip (SignpostSlotCell *self,
                  int               x,
                  int               y,
                  gboolean          keyboard,
                  GtkTooltip       *tooltip)
{
  if (self->detail == NULL || *self->detail == '\0')
    return FALSE;
  gtk_tooltip_set_text (tooltip, self->detail);
  return TRUE;
}

/* ---- input -------------------------------------------------------------------------- */

static void
on_released (GtkGestureClick  *gesture,
             int               n_press,
             double            x,
             double            y,
             SignpostSlotCell *self)
{
  gtk_widget_grab_focus (GTK_WIDGET (self));
  g_signal_emit (self, signals[CLICKED], 0);
}

static gboolean
on_key_pressed (GtkEventControllerKey *controller,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SignpostSlotCell      *self)
{
  if (keyval == GDK_KEY_Return || keyval == GDK_KEY_KP_Enter || keyval == GDK_KEY_ISO_Enter ||
      keyval == GDK_KEY_space || keyval == GDK_KEY_KP_Space)
    {
      g_signal_emit (self, signals[CLICKED], 0);
      return TRUE;
    }
  return FALSE;
}

/* ---- GObject ------------------------------------------------------------------------- */

static void
signpost_slot_cell_dispose (GObject *object)
{
  SignpostSlotCell *self = SIGNPOST_SLOT_CELL (object);

  signpost_slot_cell_unbind (self);
  clear_layouts (self);

  G_OBJECT_CLASS (signpost_slot_cell_parent_class)->dispose (object);
}

static void
signpost_slot_cell_finalize (GObject *object)
{
  SignpostSlotCell *self = SIGNPOST_SLOT_CELL (object);

  g_clear_pointer (&self->text, g_free);
  g_clear_pointer (&self->status, g_free);
  g_clear_pointer (&self->detail, g_free);
  g_clear_pointer (&self->clinician_id, g_free);

  G_OBJECT_CLASS (signpost_slot_cell_parent_class)->finalize (object);
}

static void
signpost_slot_cell_class_init (SignpostSlotCellClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = signpost_slot_cell_dispose;
  object_class->finalize = signpost_slot_cell_finalize;
  widget_class->snapshot = signpost_slot_cell_snapshot;
  widget_class->measure = signpost_slot_cell_measure;

  /* ::clicked: the cell was chosen (click, Enter or Space). */
  signals[CLICKED] =
    g_signal_new ("clicked", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 0);

  gtk_widget_class_set_css_name (widget_class, "slotcell");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_BUTTON);
}

static void
signpost_slot_cell_init (SignpostSlotCell *self)
{
  GtkGesture *click = gtk_gesture_click_new ();
  GtkEventController *keys = gtk_event_controller_key_new ();

  self->laid_out_width = -1;
  gtk_widget_set_focusable (GTK_WIDGET (self), TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self), TRUE);
  gtk_widget_add_css_class (GTK_WIDGET (self), "slot-cell");
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (click), GDK_BUTTON_PRIMARY);
  g_signal_connect (click, "released", G_CALLBACK (on_released), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (click));
  g_signal_connect (keys, "key-pressed", G_CALLBACK (on_key_pressed), self);
  gtk_widget_add_controller (GTK_WIDGET (self), keys);
  gtk_widget_set_has_tooltip (GTK_WIDGET (self), TRUE);
  g_signal_connect (self, "query-tooltip", G_CALLBACK (on_query_tooltip), NULL);
}

/* ---- public API ------------------------------------------------------------------------ */

SignpostSlotCell *
signpost_slot_cell_new (void)
{
  return g_object_new (SIGNPOST_TYPE_SLOT_CELL, NULL);
}

void
signpost_slot_cell_bind (SignpostSlotCell         *self,
                         SignpostDiaryDay         *day,
                         SignpostDiaryRow         *row,
                         const char               *clinician_id,
                         const SignpostSlotBooker *booker)
{
  g_return_if_fail (SIGNPOST_IS_SLOT_CELL (self));

  signpost_slot_cell_unbind (self);
  self->day = g_object_ref (day);
  self->row = g_object_ref (row);
  self->clinician_id = g_strdup (clinician_id);
  self->booker = booker;
  self->changed_handler = g_signal_connect_swapped (row, "changed", G_CALLBACK (refresh), self);
  refresh (self);
}

void
signpost_slot_cell_unbind (SignpostSlotCell *self)
{
  g_return_if_fail (SIGNPOST_IS_SLOT_CELL (self));

  if (self->row != NULL)
    g_clear_signal_handler (&self->changed_handler, self->row);
  g_clear_object (&self->row);
  g_clear_object (&self->day);
  g_clear_object (&self->slot);
  g_clear_pointer (&self->clinician_id, g_free);
  self->booker = NULL;
}

SignpostSlot *
signpost_slot_cell_get_slot (SignpostSlotCell *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SLOT_CELL (self), NULL);
  return self->slot;
}

const char *
signpost_slot_cell_get_text (SignpostSlotCell *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SLOT_CELL (self), NULL);
  return self->text;
}
