/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-accessible.h"
#include "signpost-diary-format.h"
#include "signpost-slot-finder.h"

enum {
  SLOT_ACTIVATED,
  N_SIGNALS
};

#define N_PROFESSIONS (SIGNPOST_PROFESSION_SOCIAL_PRESCRIBER + 1)
#define N_MODES (SIGNPOST_SLOT_MODE_HOME_VISIT + 1)

struct _SignpostSlotFinder
{
  AdwBin parent_instance;

  /* template */
  GtkLabel *context_label;
  AdwComboRow *clinician_row;
  AdwComboRow *profession_row;
  AdwComboRow *mode_row;
  GtkSpinButton *days_spin;
  GtkLabel *days_label;
  GtkLabel *count_label;
  GtkListView *results_view;

  SignpostActions    *actions;
  SignpostCache *cache;
  GStrv practice_ids;
  const SignpostSlotBooker *booker;
  GPtrArray *clinician_ids; /* index in clinician_row - 1 → id */
  char *preferred_clinician_id;
  char *usual_clinician_id;     /* the patient's usual clinician, if any */
  char *preferred_tag;          /* why the preferred clinician comes first */
  GListStore *results;
  GtkSingleSelection *selection;
  GtkRoot *root;            /* its focus is watched */
  gboolean focus_in_results;
  guint search_source;
  gboolean filling;
};

G_DEFINE_FINAL_TYPE (SignpostSlotFinder, signpost_slot_finder, ADW_TYPE_BIN)

static guint signals[N_SIGNALS];

/* ---- the filters --------------------------------------------------------------- */

static int
compare_clinicians (gconstpointer a,
                    gconstpointer b)
{
  SignpostClinician *ca = *(SignpostClinician **) a;
  SignpostClinician *cb = *(SignpostClinician **) b;

  if (signpost_clinician_get_profession (ca) != signpost_clinician_get_profession (cb))
    return signpost_clinician_get_profession (ca) < signpost_clinician_get_profession (cb) ? -1 : 1;
  return g_utf8_collate (signpost_clinician_get_family_name (ca) ? signpost_clinician_get_family_name (ca) : "",
                         signpost_clinician_get_family_name (cb) ? signpost_clinician_get_family_name (cb) : "");
}

static void
fill_clinicians (SignpostSlotFinder *self)
{
  g_autoptr(GtkStringList) names = gtk_string_list_new (NULL);
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *selected_id = NULL;
  guint selected = adw_combo_row_get_selected (self->clinician_row);
  guint reselect = 0;

  if (selected != GTK_INVALID_LIST_POSITION && selected > 0 && selected - 1 < self->clinician_ids->len)
    selected_id = g_strdup (g_ptr_array_index (self->clinician_ids, selected - 1));
  g_ptr_array_set_size (self->clinician_ids, 0);
  gtk_string_list_append (names, _("Any clinician"));
  if (self->cache != NULL)
    {
      g_autoptr(GError) error = NULL;

      all = signpost_cache_list_records (self->cache, SIGNPOST_RECORD_CLINICIAN, &error);
      if (all == NULL)
        {
          g_warning ("Could not read the clinicians: %s", error->message);
          all = g_ptr_array_new_with_free_func (g_object_unref);
        }
      g_ptr_array_sort (all, compare_clinicians);
      for (guint i = 0; i < all->len; i++)
        {
          SignpostClinician *clinician = g_ptr_array_index (all, i);
          const char *practice = signpost_record_get_practice_id (SIGNPOST_RECORD (clinician));
          g_autofree char *name = NULL;
          g_autofree char *label = NULL;

          if (self->practice_ids != NULL && !g_strv_contains ((const char * const *) self->practice_ids, practice))
            continue;
          name = signpost_clinician_format_name (clinician);
          /* Translators: a clinician in the slot search: "Dr Asha Patel (GP)" */
          label = g_strdup_printf (_("%s (%s)"), name,
                                   signpost_profession_label (signpost_clinician_get_profession (clinician)));
          gtk_string_list_append (names, label);
          g_ptr_array_add (self->clinician_ids, g_strdup (signpost_record_get_id (SIGNPOST_RECORD (clinician))));
          if (g_strcmp0 (selected_id, signpost_record_get_id (SIGNPOST_RECORD (clinician))) == 0)
            reselect = self->clinician_ids->len;
        }
    }
  self->filling = TRUE;
  adw_combo_row_set_model (self->clinician_row, G_LIST_MODEL (names));
  adw_combo_row_set_selected (self->clinician_row, reselect);
  self->filling = FALSE;
}

static const char *
selected_clinician (SignpostSlotFinder *self)
{
  guint selected = adw_combo_row_get_selected (self->clinician_row);

  if (selected == GTK_INVALID_LIST_POSITION || selected == 0 || selected - 1 >= self->clinician_ids->len)
    return NULL;
  return g_ptr_array_index (self->clinician_ids, selected - 1);
}

static void
update_days_label (SignpostSlotFinder *self)
{
  int days = gtk_spin_button_get_value_as_int (self->days_spin);

  if (days == 0)
    gtk_label_set_text (self->days_label, _("days (today only)"));
  else
    gtk_label_set_text (self->days_label, g_dngettext (GETTEXT_PACKAGE, "day", "days", days));
}

/* The tag a result shows: "Usual clinician" for the patient's usual
 * clinician only; the clinician the request asks for first (the duty
 * doctor, a named clinician) says why. */
static const char *
tag_for (SignpostSlotFinder *self,
         const char         *clinician_id)
{
  if (clinician_id == NULL)
    return NULL;
  if (g_strcmp0 (self->usual_clinician_id, clinician_id) == 0)
    return _("Usual clinician");
  if (self->preferred_tag != NULL && g_strcmp0 (self->preferred_clinician_id, clinician_id) == 0)
    return self->preferred_tag;
  return NULL;
}

/* ---- searching -------------------------------------------------------------------- */

/* ---- the chosen slot: highlighted, focused and booked are one ---------------------- */

/* Enter books the row the keyboard is on, while the row that looks
 * chosen is the selected one: they are kept the same row, both ways.
 * (GtkListView 4.8 takes the focus itself when asked to, and makes rows
 * only around its anchor: the chosen row is scrolled to, which makes it,
 * and focused.) */

static GtkListItem *
row_item (GtkWidget *row)
{
  GtkWidget *box = row ? gtk_widget_get_first_child (row) : NULL;

  return box ? g_object_get_data (G_OBJECT (box), "signpost-list-item") : NULL;
}

static gboolean
results_have_focus (SignpostSlotFinder *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  return focus != NULL &&
         (focus == GTK_WIDGET (self->results_view) || gtk_widget_is_ancestor (focus, GTK_WIDGET (self->results_view)));
}

/* The list's row (its child) the keyboard is on, or NULL. */
static GtkWidget *
focused_row (SignpostSlotFinder *self)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  for (; focus != NULL && focus != GTK_WIDGET (self->results_view); focus = gtk_widget_get_parent (focus))
    if (gtk_widget_get_parent (focus) == GTK_WIDGET (self->results_view))
      return focus;
  return NULL;
}

static guint
row_position (GtkWidget *row)
{
  GtkListItem *item = row_item (row);

  return item != NULL && gtk_list_item_get_item (item) != NULL ? gtk_list_item_get_position (item)
                                                               : GTK_INVALID_LIST_POSITION;
}

/* The keyboard onto the chosen slot's row (the first slot's when none is
 * chosen). */
static gboolean
focus_chosen_row (SignpostSlotFinder *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->results));
  guint position = gtk_single_selection_get_selected (self->selection);
  g_autoptr(SignpostSlot) slot = NULL;
  GtkWidget *row = NULL;

  if (n == 0)
    return FALSE;
  if (position == GTK_INVALID_LIST_POSITION || position >= n)
    position = 0;
  slot = g_list_model_get_item (G_LIST_MODEL (self->results), position);
  gtk_widget_activate_action (GTK_WIDGET (self->results_view), "list.scroll-to-item", "u", position);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->results_view));
       child != NULL && row == NULL; child = gtk_widget_get_next_sibling (child))
    {
      GtkListItem *item = row_item (child);

      if (item != NULL && gtk_list_item_get_item (item) == (gpointer) slot)
        row = child;
    }
  if (gtk_single_selection_get_selected (self->selection) != position)
    gtk_single_selection_set_selected (self->selection, position);
  return row != NULL && gtk_widget_grab_focus (row);
}

/* The keyboard moved: coming into the list it lands on the chosen slot;
 * moving within it, the slot it is on becomes the chosen one. */
static void
on_focus_changed (SignpostSlotFinder *self)
{
  gboolean was_in = self->focus_in_results;
  GtkWidget *row = focused_row (self);
  guint position;

  self->focus_in_results = results_have_focus (self);
  if (!self->focus_in_results)
    return;
  position = row ? row_position (row) : GTK_INVALID_LIST_POSITION;
  if (row == NULL || !was_in || position == GTK_INVALID_LIST_POSITION)
    {
      if (position != gtk_single_selection_get_selected (self->selection))
        focus_chosen_row (self);
      return;
    }
  if (position != gtk_single_selection_get_selected (self->selection))
    gtk_single_selection_set_selected (self->selection, position);
}

/* Another slot chosen (a search, a click) while the keyboard is in the
 * list: the keyboard goes with it. */
static void
on_selected_changed (SignpostSlotFinder *self)
{
  GtkWidget *row = focused_row (self);

  if (row != NULL && row_position (row) != gtk_single_selection_get_selected (self->selection))
    focus_chosen_row (self);
}

/* The window's focus is watched while the finder is in one. */
static void
signpost_slot_finder_root (GtkWidget *widget)
{
  SignpostSlotFinder *self = SIGNPOST_SLOT_FINDER (widget);

  GTK_WIDGET_CLASS (signpost_slot_finder_parent_class)->root (widget);
  self->root = gtk_widget_get_root (widget);
  g_signal_connect_object (self->root, "notify::focus-widget", G_CALLBACK (on_focus_changed), self,
                           G_CONNECT_SWAPPED);
  self->focus_in_results = results_have_focus (self);
}

static void
signpost_slot_finder_unroot (GtkWidget *widget)
{
  SignpostSlotFinder *self = SIGNPOST_SLOT_FINDER (widget);

  if (self->root != NULL)
    g_signal_handlers_disconnect_by_func (self->root, on_focus_changed, self);
  self->root = NULL;
  self->focus_in_results = FALSE;
  GTK_WIDGET_CLASS (signpost_slot_finder_parent_class)->unroot (widget);
}

void
signpost_slot_finder_search (SignpostSlotFinder *self)
{
  SignpostSlotQuery query = SIGNPOST_SLOT_QUERY_INIT;
  g_autoptr(GPtrArray) slots = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  g_autoptr(GDateTime) to = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *status = NULL;
  g_autofree char *chosen_id = NULL;
  SignpostSlot *chosen;
  gboolean had_focus;
  guint profession, mode, keep = 0;
  GDate day;

  g_return_if_fail (SIGNPOST_IS_SLOT_FINDER (self));

  g_clear_handle_id (&self->search_source, g_source_remove);
  update_days_label (self);
  if (self->cache == NULL || self->booker == NULL || self->booker->now == NULL)
    {
      g_list_store_remove_all (self->results);
      gtk_label_set_text (self->count_label, "");
      return;
    }

  tz = signpost_practice_time_zone (self->cache, self->practice_ids ? self->practice_ids[0] : NULL);
  signpost_local_date (self->booker->now, tz, &day);
  g_date_add_days (&day, gtk_spin_button_get_value_as_int (self->days_spin) + 1);
  to = signpost_local_time_to_utc (&day, 0, 0, tz);

  profession = adw_combo_row_get_selected (self->profession_row);
  mode = adw_combo_row_get_selected (self->mode_row);
  query.practice_ids = (const char * const *) self->practice_ids;
  query.clinician_id = selected_clinician (self);
  query.profession = profession > 0 && profession != GTK_INVALID_LIST_POSITION ? (int) profession - 1 : -1;
  query.mode = mode > 0 && mode != GTK_INVALID_LIST_POSITION ? (int) mode - 1 : -1;
  query.from = self->booker->now;
  query.to = to;
  query.preferred_clinician_id = self->preferred_clinician_id;
  query.limit = 50;
  slots = signpost_cache_find_free_slots (self->cache, &query, self->booker, &error);
  if (slots == NULL)
    {
      /* Not "no slot": the search itself broke. */
      g_autofree char *message = g_strdup_printf (_("The search could not be run on this PC: %s"), error->message);

      gtk_label_set_text (self->count_label, message);
      return;
    }

  chosen = gtk_single_selection_get_selected_item (self->selection);
  if (chosen != NULL)
    chosen_id = g_strdup (signpost_record_get_id (SIGNPOST_RECORD (chosen)));
  had_focus = results_have_focus (self);
  g_list_store_splice (self->results, 0, g_list_model_get_n_items (G_LIST_MODEL (self->results)),
                       slots->pdata, slots->len);
  if (slots->len == 0)
    {
      g_autoptr(GPtrArray) embargoed = NULL;

      /* At 07:55, say when the first of the day's embargoed slots opens. */
      query.ignore_release = TRUE;
      query.limit = 1;
      embargoed = signpost_cache_find_free_slots (self->cache, &query, self->booker, NULL);
      if (embargoed != NULL && embargoed->len > 0)
        {
          SignpostSlot *first = g_ptr_array_index (embargoed, 0);
          g_autoptr(GTimeZone) slot_tz = signpost_practice_time_zone (self->cache,
                                                                      signpost_record_get_practice_id (SIGNPOST_RECORD (first)));
          g_autofree char *when = signpost_slot_format_when (first, slot_tz);
          g_autofree char *opens = signpost_format_local (signpost_slot_get_release_at (first), slot_tz, "%H:%M");

          /* Translators: no slot can be booked yet: "None you can book yet: the first that fits, Mon 23 Nov, 08:30, opens for booking at 08:00." */
          status = g_strdup_printf (_("None you can book yet: the first that fits, %s, opens for booking at %s."),
                                    when, opens);
        }
      else if (query.mode >= 0)
        {
          g_autoptr(GPtrArray) other_types = NULL;

          /* Never "nothing" while other types of slot are free: say so. */
          query.ignore_release = FALSE;
          query.mode = -1;
          query.limit = 50;
          other_types = signpost_cache_find_free_slots (self->cache, &query, self->booker, NULL);
          if (other_types != NULL && other_types->len > 0)
            /* Translators: "No Telephone slot you can book now matches; 3 of other types are free: choose Any type to see them." */
            status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                   "No %s slot you can book now matches; %u of another type is free: choose Any type to see it.",
                                                   "No %s slot you can book now matches; %u of other types are free: choose Any type to see them.",
                                                   other_types->len),
                                      signpost_slot_mode_label (mode - 1), other_types->len);
        }
      if (status == NULL)
        status = g_strdup (_("No free slot you can book now matches. Try more days, any clinician or any type."));
    }
  else if (slots->len >= query.limit)
    status = g_strdup_printf (_("The first %u slots you can book now."), slots->len);
  else
    status = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u slot you can book now.",
                                           "%u slots you can book now.", slots->len),
                              slots->len);
  gtk_label_set_text (self->count_label, status);
  /* The slot chosen before stays chosen while it is still free (the
   * list is searched again as others book); else the first. */
  for (guint i = 0; i < slots->len; i++)
    if (chosen_id != NULL &&
        g_strcmp0 (signpost_record_get_id (g_ptr_array_index (slots, i)), chosen_id) == 0)
      keep = i;
  if (slots->len > 0)
    gtk_single_selection_set_selected (self->selection, keep);
  if (had_focus)
    focus_chosen_row (self);
}

static gboolean
search_later_cb (gpointer data)
{
  SignpostSlotFinder *self = data;

  self->search_source = 0;
  signpost_slot_finder_search (self);
  return G_SOURCE_REMOVE;
}

static void
search_soon (SignpostSlotFinder *self)
{
  if (self->filling || self->search_source != 0)
    return;
  self->search_source = g_timeout_add (150, search_later_cb, self);
}

static void
on_filter_changed (SignpostSlotFinder *self)
{
  if (self->filling)
    return;
  signpost_slot_finder_search (self);
}

static void
on_records_changed (SignpostSlotFinder *self,
                    GPtrArray          *changed,
                    GPtrArray          *removed)
{
  gboolean clinicians = FALSE, diary = removed->len > 0;

  for (guint i = 0; i < changed->len; i++)
    {
      SignpostRecordKind kind = signpost_record_get_kind (g_ptr_array_index (changed, i));
      clinicians |= kind == SIGNPOST_RECORD_CLINICIAN;
      diary |= kind == SIGNPOST_RECORD_SLOT || kind == SIGNPOST_RECORD_APPOINTMENT;
    }
  if (clinicians)
    fill_clinicians (self);
  if ((clinicians || diary) && gtk_widget_get_mapped (GTK_WIDGET (self)))
    search_soon (self);
}

/* ---- results ---------------------------------------------------------------------- */

static void
setup_result (GtkSignalListItemFactory *factory,
              GtkListItem              *item,
              gpointer                  user_data)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 2);
  GtkWidget *top = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *when = gtk_label_new (NULL);
  GtkWidget *tag = gtk_label_new (NULL);
  GtkWidget *who = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (when), 0);
  gtk_widget_set_hexpand (when, TRUE);
  gtk_widget_add_css_class (when, "heading");
  gtk_widget_add_css_class (tag, "continuity-tag");
  gtk_label_set_xalign (GTK_LABEL (who), 0);
  gtk_label_set_ellipsize (GTK_LABEL (who), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (top), when);
  gtk_box_append (GTK_BOX (top), tag);
  gtk_box_append (GTK_BOX (box), top);
  gtk_box_append (GTK_BOX (box), who);
  gtk_widget_set_margin_top (box, 4);
  gtk_widget_set_margin_bottom (box, 4);
  g_object_set_data (G_OBJECT (box), "when", when);
  g_object_set_data (G_OBJECT (box), "tag", tag);
  g_object_set_data (G_OBJECT (box), "who", who);
  g_object_set_data (G_OBJECT (box), "signpost-list-item", item);
  gtk_list_item_set_child (item, box);
}

static void
bind_result (GtkSignalListItemFactory *factory,
             GtkListItem              *item,
             SignpostSlotFinder       *self)
{
  SignpostSlot *slot = gtk_list_item_get_item (item);
  GtkWidget *box = gtk_list_item_get_child (item);
  g_autoptr(SignpostClinician) clinician = signpost_cache_get_record (self->cache, SIGNPOST_RECORD_CLINICIAN,
                                                                      signpost_slot_get_clinician_id (slot), NULL);
  g_autoptr(GTimeZone) tz = signpost_practice_time_zone (self->cache, signpost_record_get_practice_id (SIGNPOST_RECORD (slot)));
  g_autofree char *when = signpost_slot_format_when (slot, tz);
  g_autofree char *name = signpost_clinician_format_name (clinician);
  g_autofree char *who = NULL;
  g_autofree char *description = signpost_slot_describe (slot, clinician, tz);
  const char *tag = tag_for (self, signpost_slot_get_clinician_id (slot));
  const char *practice = NULL;

  if (self->practice_ids == NULL || g_strv_length (self->practice_ids) != 1)
    practice = signpost_cache_get_practice_name (self->cache, signpost_record_get_practice_id (SIGNPOST_RECORD (slot)));
  if (practice != NULL)
    /* Translators: a suitable slot: "Dr Asha Patel · Telephone · Riverside Medical Practice" */
    who = g_strdup_printf (_("%s · %s · %s"), name, signpost_slot_mode_label (signpost_slot_get_mode (slot)), practice);
  else
    /* Translators: a suitable slot: "Dr Asha Patel · Telephone" */
    who = g_strdup_printf (_("%s · %s"), name, signpost_slot_mode_label (signpost_slot_get_mode (slot)));
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "when"), when);
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "who"), who);
  gtk_label_set_text (g_object_get_data (G_OBJECT (box), "tag"), tag ? tag : "");
  gtk_widget_set_visible (g_object_get_data (G_OBJECT (box), "tag"), tag != NULL);
  if (tag != NULL)
    {
      /* Translators: read out for a tagged slot: "Mon 7 Dec, 10:00, Dr Asha Patel, Telephone, Usual clinician" */
      g_autofree char *longer = g_strdup_printf (_("%s, %s"), description, tag);
      gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, longer, -1);
      /* The row is what takes the focus: it is read by the same words. */
      signpost_accessible_label_list_item (item, longer);
    }
  else
    {
      gtk_accessible_update_property (GTK_ACCESSIBLE (box), GTK_ACCESSIBLE_PROPERTY_LABEL, description, -1);
      signpost_accessible_label_list_item (item, description);
    }
}

static void
on_result_activate (SignpostSlotFinder *self,
                    guint               position)
{
  signpost_slot_finder_activate_result (self, position);
}

/* ---- GObject -------------------------------------------------------------------- */

static void
signpost_slot_finder_dispose (GObject *object)
{
  SignpostSlotFinder *self = SIGNPOST_SLOT_FINDER (object);

  g_clear_handle_id (&self->search_source, g_source_remove);
  signpost_slot_finder_set_actions (self, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_SLOT_FINDER);
  g_clear_object (&self->selection);
  g_clear_object (&self->results);

  G_OBJECT_CLASS (signpost_slot_finder_parent_class)->dispose (object);
}

static void
signpost_slot_finder_finalize (GObject *object)
{
  SignpostSlotFinder *self = SIGNPOST_SLOT_FINDER (object);

  g_clear_pointer (&self->practice_ids, g_strfreev);
  g_clear_pointer (&self->clinician_ids, g_ptr_array_unref);
  g_clear_pointer (&self->preferred_clinician_id, g_free);
  g_clear_pointer (&self->usual_clinician_id, g_free);
  g_clear_pointer (&self->preferred_tag, g_free);

  G_OBJECT_CLASS (signpost_slot_finder_parent_class)->finalize (object);
}

static void
signpost_slot_finder_class_init (SignpostSlotFinderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signpost_accessible_init ();
  object_class->dispose = signpost_slot_finder_dispose;
  object_class->finalize = signpost_slot_finder_finalize;
  widget_class->root = signpost_slot_finder_root;
  widget_class->unroot = signpost_slot_finder_unroot;

  signals[SLOT_ACTIVATED] =
    g_signal_new ("slot-activated", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                  0, NULL, NULL, NULL, G_TYPE_NONE, 1, SIGNPOST_TYPE_SLOT);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-slot-finder.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotFinder, context_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotFinder, clinician_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotFinder, profession_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotFinder, mode_row);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotFinder, days_spin);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotFinder, days_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotFinder, count_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostSlotFinder, results_view);
  gtk_widget_class_bind_template_callback (widget_class, on_result_activate);
}

static void
signpost_slot_finder_init (SignpostSlotFinder *self)
{
  g_autoptr(GtkStringList) professions = gtk_string_list_new (NULL);
  g_autoptr(GtkStringList) modes = gtk_string_list_new (NULL);
  g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->clinician_ids = g_ptr_array_new_with_free_func (g_free);

  gtk_string_list_append (professions, _("Any profession"));
  for (int i = 0; i < N_PROFESSIONS; i++)
    gtk_string_list_append (professions, signpost_profession_label (i));
  adw_combo_row_set_model (self->profession_row, G_LIST_MODEL (professions));
  gtk_string_list_append (modes, _("Any type"));
  for (int i = 0; i < N_MODES; i++)
    gtk_string_list_append (modes, signpost_slot_mode_label (i));
  adw_combo_row_set_model (self->mode_row, G_LIST_MODEL (modes));
  fill_clinicians (self);

  self->results = g_list_store_new (SIGNPOST_TYPE_SLOT);
  self->selection = gtk_single_selection_new (G_LIST_MODEL (g_object_ref (self->results)));
  gtk_list_view_set_model (self->results_view, GTK_SELECTION_MODEL (self->selection));
  g_signal_connect_object (self->selection, "notify::selected", G_CALLBACK (on_selected_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_result), NULL);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_result), self);
  gtk_list_view_set_factory (self->results_view, factory);
  signpost_accessible_tab_leaves (GTK_WIDGET (self->results_view));

  g_signal_connect_swapped (self->clinician_row, "notify::selected", G_CALLBACK (on_filter_changed), self);
  g_signal_connect_swapped (self->profession_row, "notify::selected", G_CALLBACK (on_filter_changed), self);
  g_signal_connect_swapped (self->mode_row, "notify::selected", G_CALLBACK (on_filter_changed), self);
  g_signal_connect_swapped (self->days_spin, "value-changed", G_CALLBACK (on_filter_changed), self);
  update_days_label (self);
}

/* ---- public API ------------------------------------------------------------------- */

static void
on_cache_changed (SignpostSlotFinder *self)
{
  SignpostCache *cache = self->actions ? signpost_actions_get_cache (self->actions) : NULL;

  if (self->cache != NULL)
    g_signal_handlers_disconnect_by_data (self->cache, self);
  g_set_object (&self->cache, cache);
  if (cache != NULL)
    g_signal_connect_swapped (cache, "records-changed", G_CALLBACK (on_records_changed), self);
  fill_clinicians (self);
  g_list_store_remove_all (self->results);
}

void
signpost_slot_finder_set_actions (SignpostSlotFinder *self,
                                 SignpostActions    *actions)
{
  g_return_if_fail (SIGNPOST_IS_SLOT_FINDER (self));

  if (self->actions == actions)
    return;
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  g_set_object (&self->actions, actions);
  if (actions != NULL)
    g_signal_connect_swapped (actions, "notify::cache", G_CALLBACK (on_cache_changed), self);
  if (actions != NULL || self->cache != NULL)
    on_cache_changed (self);
}

void
signpost_slot_finder_set_scope (SignpostSlotFinder       *self,
                                const char * const       *practice_ids,
                                const SignpostSlotBooker *booker)
{
  g_return_if_fail (SIGNPOST_IS_SLOT_FINDER (self));

  g_strfreev (self->practice_ids);
  self->practice_ids = g_strdupv ((char **) practice_ids);
  self->booker = booker;
  fill_clinicians (self);
}

void
signpost_slot_finder_set_filters (SignpostSlotFinder *self,
                                  const char         *clinician_id,
                                  int                 profession,
                                  int                 mode,
                                  int                 days,
                                  const char         *preferred_clinician_id,
                                  const char         *context)
{
  guint clinician = 0;

  g_return_if_fail (SIGNPOST_IS_SLOT_FINDER (self));

  for (guint i = 0; clinician_id != NULL && i < self->clinician_ids->len; i++)
    if (g_str_equal (g_ptr_array_index (self->clinician_ids, i), clinician_id))
      clinician = i + 1;
  g_free (self->preferred_clinician_id);
  self->preferred_clinician_id = g_strdup (preferred_clinician_id);

  self->filling = TRUE;
  adw_combo_row_set_selected (self->clinician_row, clinician);
  adw_combo_row_set_selected (self->profession_row, profession >= 0 && profession < N_PROFESSIONS ? profession + 1 : 0);
  adw_combo_row_set_selected (self->mode_row, mode >= 0 && mode < N_MODES ? mode + 1 : 0);
  gtk_spin_button_set_value (self->days_spin, CLAMP (days, 0, 56));
  self->filling = FALSE;

  gtk_label_set_text (self->context_label, context ? context : "");
  gtk_widget_set_visible (GTK_WIDGET (self->context_label), context != NULL && *context != '\0');
  signpost_slot_finder_search (self);
}

void
signpost_slot_finder_set_clinician_tags (SignpostSlotFinder *self,
                                         const char         *usual_clinician_id,
                                         const char         *preferred_tag)
{
  g_return_if_fail (SIGNPOST_IS_SLOT_FINDER (self));

  g_free (self->usual_clinician_id);
  self->usual_clinician_id = g_strdup (usual_clinician_id);
  g_free (self->preferred_tag);
  self->preferred_tag = g_strdup (preferred_tag);
}

const char *
signpost_slot_finder_get_tag (SignpostSlotFinder *self,
                              guint               position)
{
  g_autoptr(SignpostSlot) slot = NULL;

  g_return_val_if_fail (SIGNPOST_IS_SLOT_FINDER (self), NULL);

  slot = g_list_model_get_item (G_LIST_MODEL (self->results), position);
  if (slot == NULL)
    return NULL;
  return tag_for (self, signpost_slot_get_clinician_id (slot));
}

int
signpost_slot_finder_get_mode (SignpostSlotFinder *self)
{
  guint mode;

  g_return_val_if_fail (SIGNPOST_IS_SLOT_FINDER (self), -1);

  mode = adw_combo_row_get_selected (self->mode_row);
  return mode > 0 && mode != GTK_INVALID_LIST_POSITION ? (int) mode - 1 : -1;
}

const char *
signpost_slot_finder_get_status (SignpostSlotFinder *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SLOT_FINDER (self), NULL);
  return gtk_label_get_text (self->count_label);
}

GListModel *
signpost_slot_finder_get_results (SignpostSlotFinder *self)
{
  g_return_val_if_fail (SIGNPOST_IS_SLOT_FINDER (self), NULL);
  return G_LIST_MODEL (self->results);
}

void
signpost_slot_finder_focus (SignpostSlotFinder *self)
{
  g_return_if_fail (SIGNPOST_IS_SLOT_FINDER (self));

  if (!focus_chosen_row (self))
    gtk_widget_grab_focus (GTK_WIDGET (self->clinician_row));
}

void
signpost_slot_finder_activate_result (SignpostSlotFinder *self,
                                      guint               position)
{
  g_autoptr(SignpostSlot) slot = NULL;

  g_return_if_fail (SIGNPOST_IS_SLOT_FINDER (self));

  slot = g_list_model_get_item (G_LIST_MODEL (self->results), position);
  if (slot != NULL)
    g_signal_emit (self, signals[SLOT_ACTIVATED], 0, slot);
}
