/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "signpost-accessible.h"

/* GTK 4.8 names some of its own widgets for screen readers in ways no
 * person should hear, and later GTK releases fixed them:
 *
 * - a button or check button with a mnemonic ("_Save") takes the raw
 *   label as its accessible label, so a screen reader says "underscore
 *   Save Save" (the button also gets the label's text through its
 *   mnemonic relation);
 * - a button holding only an icon, a view switcher, a stack switcher and
 *   a menu's popover are announced by their class names;
 * - a drop-down's button is announced as "GtkToggleButton", and the rows
 *   of list views have no name at all.
 *
 * The first two are fixed here once for every widget, when it is mapped;
 * drop-downs and list rows are named by the page that knows what they
 * show (signpost_accessible_name_drop_down(),
 * signpost_accessible_label_list_item()). */

#define FIXED_KEY "signpost-accessible-fixed"
#define DROP_DOWN_NAME_KEY "signpost-accessible-name"

char *
signpost_accessible_strip_mnemonic (const char *label)
{
  GString *out;

  if (label == NULL)
    return NULL;
  out = g_string_sized_new (strlen (label));
  for (const char *p = label; *p != '\0'; p++)
    {
      if (*p == '_')
        {
          /* "__" is a literal underscore; "_x" marks x. */
          if (p[1] == '_')
            {
              g_string_append_c (out, '_');
              p++;
            }
          continue;
        }
      g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static gboolean
label_is (GtkWidget  *widget,
          const char *text)
{
  g_autofree char *mismatch = NULL;

  if (!gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL))
    return FALSE;
  mismatch = gtk_test_accessible_check_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, text);
  return mismatch == NULL;
}

static gboolean
has_label (GtkWidget *widget)
{
  return gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

/* A button's name is its accessible label followed by what labels it
 * (its mnemonic label's text). GTK sets the label to the raw text with
 * the underscore: take it away and the visible text alone is read. A
 * label the template gave (a fuller name, "Book this appointment") is
 * kept, and the visible text no longer repeated after it. */
static void
fix_button (GtkButton *button)
{
  const char *label = gtk_button_get_label (button);

  if (label == NULL)
    {
      /* An icon alone: its tooltip says what it does. */
      const char *tooltip = gtk_widget_get_tooltip_text (GTK_WIDGET (button));

      if (GTK_IS_IMAGE (gtk_button_get_child (button)) && tooltip != NULL && !has_label (GTK_WIDGET (button)))
        gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
      return;
    }
  if (!gtk_button_get_use_underline (button) || strchr (label, '_') == NULL)
    return;
  if (label_is (GTK_WIDGET (button), label))
    gtk_accessible_reset_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL);
  else if (has_label (GTK_WIDGET (button)))
    gtk_accessible_reset_relation (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
}

/* A check button's name is its accessible label alone. */
static void
fix_check_button (GtkCheckButton *check)
{
  const char *label = gtk_check_button_get_label (check);
  g_autofree char *plain = NULL;

  if (label == NULL || !gtk_check_button_get_use_underline (check) || strchr (label, '_') == NULL)
    return;
  if (!label_is (GTK_WIDGET (check), label))
    return;
  plain = signpost_accessible_strip_mnemonic (label);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, plain, -1);
}

static void
on_label_changed (GtkWidget *widget)
{
  if (GTK_IS_BUTTON (widget))
    fix_button (GTK_BUTTON (widget));
  else if (GTK_IS_CHECK_BUTTON (widget))
    fix_check_button (GTK_CHECK_BUTTON (widget));
}

static void
name_if_nameless (GtkWidget  *widget,
                  const char *name)
{
  if (!has_label (widget))
    gtk_accessible_update_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

/* What a person sees naming @widget: the label whose mnemonic it is
 * ("Route _to" reads "Route to"), else its tooltip. */
static char *
visible_name (GtkWidget *widget)
{
  GList *labels = gtk_widget_list_mnemonic_labels (widget);
  char *name = NULL;

  for (GList *l = labels; l != NULL && name == NULL; l = l->next)
    if (GTK_IS_LABEL (l->data) && *gtk_label_get_text (l->data) != '\0')
      name = g_strdup (gtk_label_get_text (l->data));
  g_list_free (labels);
  if (name == NULL && gtk_widget_get_tooltip_text (widget) != NULL)
    name = g_strdup (gtk_widget_get_tooltip_text (widget));
  return name;
}

/* A menu button is read by its own name, not its class's: its visible
 * text without the mnemonic, else its tooltip. Its inner button (what
 * takes the focus) is named alike. */
static void
fix_menu_button (GtkMenuButton *menu_button)
{
  const char *label = gtk_menu_button_get_label (menu_button);
  g_autofree char *name = NULL;
  GtkWidget *child;

  if (label != NULL && *label != '\0')
    name = signpost_accessible_strip_mnemonic (label);
  else if (gtk_widget_get_tooltip_text (GTK_WIDGET (menu_button)) != NULL)
    name = g_strdup (gtk_widget_get_tooltip_text (GTK_WIDGET (menu_button)));
  if (name == NULL)
    return;
  if (!has_label (GTK_WIDGET (menu_button)))
    gtk_accessible_update_property (GTK_ACCESSIBLE (menu_button), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  for (child = gtk_widget_get_first_child (GTK_WIDGET (menu_button)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child) && !has_label (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
}

static void name_combo_row (AdwComboRow *row);

#define LAST_FOCUS_KEY "signpost-accessible-last-focus"

static void
free_weak_ref (gpointer data)
{
  g_weak_ref_clear (data);
  g_free (data);
}

/* GTK 4.8 keeps, in each container the focus has left, which child had
 * it, and Tab coming back into the container goes straight to that child:
 * the controls before it (a page's "Answer next call" above its list)
 * are then never reached by Tab. When the focus moves, the containers it
 * left forget. */
static void
on_focus_widget_changed (GtkWindow *window)
{
  GtkWidget *focus = gtk_window_get_focus (window);
  GWeakRef *last = g_object_get_data (G_OBJECT (window), LAST_FOCUS_KEY);
  g_autoptr(GtkWidget) old = last ? g_weak_ref_get (last) : NULL;

  if (last == NULL)
    return;
  if (old != NULL && old != focus)
    {
      GtkWidget *child = old;

      for (GtkWidget *parent = gtk_widget_get_parent (old);
           parent != NULL;
           child = parent, parent = gtk_widget_get_parent (parent))
        {
          if (focus != NULL && (parent == focus || gtk_widget_is_ancestor (focus, parent)))
            break;
          if (gtk_widget_get_focus_child (parent) == child)
            gtk_widget_set_focus_child (parent, NULL);
        }
    }
  g_weak_ref_set (last, focus);
}

static void
track_focus (GtkWindow *window)
{
  GWeakRef *last = g_new0 (GWeakRef, 1);

  g_weak_ref_init (last, gtk_window_get_focus (window));
  g_object_set_data_full (G_OBJECT (window), LAST_FOCUS_KEY, last, free_weak_ref);
  g_signal_connect (window, "notify::focus-widget", G_CALLBACK (on_focus_widget_changed), NULL);
}

static gboolean
on_widget_mapped (GSignalInvocationHint *hint,
                  guint                  n_values,
                  const GValue          *values,
                  gpointer               user_data)
{
  GtkWidget *widget = g_value_get_object (&values[0]);
  gboolean first = g_object_get_data (G_OBJECT (widget), FIXED_KEY) == NULL;

  if (GTK_IS_BUTTON (widget) || GTK_IS_CHECK_BUTTON (widget))
    {
      if (first)
        {
          g_object_set_data (G_OBJECT (widget), FIXED_KEY, GINT_TO_POINTER (TRUE));
          g_signal_connect (widget, "notify::label", G_CALLBACK (on_label_changed), NULL);
          g_signal_connect (widget, "notify::use-underline", G_CALLBACK (on_label_changed), NULL);
        }
      on_label_changed (widget);
    }
  else if (first && GTK_IS_POPOVER_MENU (widget))
    {
      GtkWidget *parent = gtk_widget_get_parent (widget);
      const char *tooltip = parent ? gtk_widget_get_tooltip_text (parent) : NULL;

      g_object_set_data (G_OBJECT (widget), FIXED_KEY, GINT_TO_POINTER (TRUE));
      name_if_nameless (widget, tooltip != NULL ? tooltip : _("Menu"));
    }
  else if (first && GTK_IS_DROP_DOWN (widget))
    {
      g_object_set_data (G_OBJECT (widget), FIXED_KEY, GINT_TO_POINTER (TRUE));
      /* Not named by its page: by the label or tooltip a person sees. */
      if (g_object_get_data (G_OBJECT (widget), DROP_DOWN_NAME_KEY) == NULL)
        {
          g_autofree char *name = visible_name (widget);

          if (name != NULL)
            signpost_accessible_name_drop_down (GTK_DROP_DOWN (widget), name);
        }
    }
  else if (first && GTK_IS_WINDOW (widget))
    {
      g_object_set_data (G_OBJECT (widget), FIXED_KEY, GINT_TO_POINTER (TRUE));
      track_focus (GTK_WINDOW (widget));
    }
  else if (GTK_IS_LABEL (widget) && gtk_label_get_selectable (GTK_LABEL (widget)))
    {
      /* Text a person may copy with the mouse is still text: not a Tab
       * stop between the controls (GTK makes a selectable label one). Not
       * focusable alone would not do: a label's focus handler still
       * claims Tab, which then goes nowhere. */
      gtk_widget_set_focusable (widget, FALSE);
      gtk_widget_set_can_focus (widget, FALSE);
    }
  else if (first && ADW_IS_COMBO_ROW (widget))
    {
      g_object_set_data (G_OBJECT (widget), FIXED_KEY, GINT_TO_POINTER (TRUE));
      name_combo_row (ADW_COMBO_ROW (widget));
    }
  else if (first && GTK_IS_MENU_BUTTON (widget))
    {
      g_object_set_data (G_OBJECT (widget), FIXED_KEY, GINT_TO_POINTER (TRUE));
      fix_menu_button (GTK_MENU_BUTTON (widget));
    }
  else if (first && (ADW_IS_VIEW_SWITCHER (widget) || GTK_IS_STACK_SWITCHER (widget)))
    {
      g_object_set_data (G_OBJECT (widget), FIXED_KEY, GINT_TO_POINTER (TRUE));
      name_if_nameless (widget, _("Pages"));
    }
  return TRUE;
}

void
signpost_accessible_init (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      g_signal_add_emission_hook (g_signal_lookup ("map", GTK_TYPE_WIDGET), 0, on_widget_mapped, NULL, NULL);
      g_once_init_leave (&done, 1);
    }
}

/* ---- drop-downs ----------------------------------------------------------- */

static char *
drop_down_item_text (GtkDropDown *drop_down,
                     gpointer     item)
{
  GtkExpression *expression = gtk_drop_down_get_expression (drop_down);
  g_auto(GValue) value = G_VALUE_INIT;

  if (item == NULL)
    return NULL;
  if (GTK_IS_STRING_OBJECT (item))
    return g_strdup (gtk_string_object_get_string (item));
  if (expression != NULL && gtk_expression_evaluate (expression, item, &value) && G_VALUE_HOLDS_STRING (&value))
    return g_value_dup_string (&value);
  return NULL;
}

static GtkWidget *
drop_down_button (GtkDropDown *drop_down)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (drop_down));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_TOGGLE_BUTTON (child))
      return child;
  return NULL;
}

static GtkWidget *
find_descendant (GtkWidget *widget,
                 GType      type)
{
  for (GtkWidget *child = gtk_widget_get_first_child (widget);
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found;

      if (G_TYPE_CHECK_INSTANCE_TYPE (child, type))
        return child;
      found = find_descendant (child, type);
      if (found != NULL)
        return found;
    }
  return NULL;
}

static void
update_drop_down (GtkDropDown *drop_down)
{
  const char *name = g_object_get_data (G_OBJECT (drop_down), DROP_DOWN_NAME_KEY);
  GtkWidget *button = drop_down_button (drop_down);
  g_autofree char *value = drop_down_item_text (drop_down, gtk_drop_down_get_selected_item (drop_down));
  g_autofree char *spoken = NULL;

  if (button == NULL)
    return;
  /* Translators: a drop-down as a screen reader names it: "Route to: Duty doctor" */
  spoken = value != NULL && *value != '\0' ? g_strdup_printf (_("%s: %s"), name, value) : g_strdup (name);
  gtk_accessible_update_property (GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, spoken, -1);
}

static void
on_drop_down_item_bound (GtkSignalListItemFactory *factory,
                         GtkListItem              *item,
                         GtkDropDown              *drop_down)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = drop_down_item_text (drop_down, gtk_list_item_get_item (item));

  gtk_label_set_text (GTK_LABEL (label), text ? text : "");
  signpost_accessible_label_list_item (item, text);
}

static void
on_drop_down_item_setup (GtkSignalListItemFactory *factory,
                         GtkListItem              *item,
                         gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_list_item_set_child (item, label);
}

/* ---- combo rows ------------------------------------------------------------- */

static char *
combo_row_item_text (AdwComboRow *row,
                     gpointer     item)
{
  GtkExpression *expression = adw_combo_row_get_expression (row);
  g_auto(GValue) value = G_VALUE_INIT;

  if (item == NULL)
    return NULL;
  if (GTK_IS_STRING_OBJECT (item))
    return g_strdup (gtk_string_object_get_string (item));
  if (expression != NULL && gtk_expression_evaluate (expression, item, &value) && G_VALUE_HOLDS_STRING (&value))
    return g_value_dup_string (&value);
  return NULL;
}

static void
on_combo_row_item_bound (GtkSignalListItemFactory *factory,
                         GtkListItem              *item,
                         AdwComboRow              *row)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  g_autofree char *text = combo_row_item_text (row, gtk_list_item_get_item (item));

  gtk_label_set_text (GTK_LABEL (label), text ? text : "");
  signpost_accessible_label_list_item (item, text);
}

/* A combo row's popover lists its choices without names: they are named
 * by their text, and the list by the row's title. */
static void
name_combo_row (AdwComboRow *row)
{
  const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row));
  g_autofree char *name = title ? signpost_accessible_strip_mnemonic (title) : NULL;
  GtkWidget *list = find_descendant (GTK_WIDGET (row), GTK_TYPE_LIST_VIEW);

  if (name != NULL && *name != '\0' && list != NULL)
    gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  /* libadwaita gives a combo row a factory of its own; the popover's list
   * uses it unless it has one: give it one that names its rows, where the
   * choices are text. */
  if (adw_combo_row_get_list_factory (row) == NULL &&
      (adw_combo_row_get_expression (row) != NULL || GTK_IS_STRING_OBJECT (adw_combo_row_get_selected_item (row))))
    {
      g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

      g_signal_connect (factory, "setup", G_CALLBACK (on_drop_down_item_setup), NULL);
      g_signal_connect_object (factory, "bind", G_CALLBACK (on_combo_row_item_bound), row, 0);
      adw_combo_row_set_list_factory (row, factory);
    }
}

/* Names a drop-down and its button, which is what takes the focus:
 * "Route to: Duty doctor", following the choice. The rows of its list
 * are named by their text. */
void
signpost_accessible_name_drop_down (GtkDropDown *drop_down,
                                    const char  *name)
{
  g_return_if_fail (GTK_IS_DROP_DOWN (drop_down));
  g_return_if_fail (name != NULL);

  if (g_object_get_data (G_OBJECT (drop_down), DROP_DOWN_NAME_KEY) == NULL)
    {
      g_signal_connect (drop_down, "notify::selected-item", G_CALLBACK (update_drop_down), NULL);
      if (gtk_drop_down_get_list_factory (drop_down) == NULL && gtk_drop_down_get_factory (drop_down) == NULL)
        {
          g_autoptr(GtkListItemFactory) factory = gtk_signal_list_item_factory_new ();

          g_signal_connect (factory, "setup", G_CALLBACK (on_drop_down_item_setup), NULL);
          g_signal_connect (factory, "bind", G_CALLBACK (on_drop_down_item_bound), drop_down);
          gtk_drop_down_set_list_factory (drop_down, factory);
        }
    }
  g_object_set_data_full (G_OBJECT (drop_down), DROP_DOWN_NAME_KEY, g_strdup (name), g_free);
  /* This name alone: not followed by a label's or row's that names it too. */
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  /* Its list of choices, in the popover, by the same name. */
  {
    GtkWidget *list = find_descendant (GTK_WIDGET (drop_down), GTK_TYPE_LIST_VIEW);

    if (list != NULL)
      gtk_accessible_update_property (GTK_ACCESSIBLE (list), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  }
  gtk_accessible_reset_relation (GTK_ACCESSIBLE (drop_down), GTK_ACCESSIBLE_RELATION_LABELLED_BY);
  update_drop_down (drop_down);
}

/* ---- list rows ------------------------------------------------------------ */

/* In GTK 4.8 a list view's row is a widget of its own that the factory
 * never sees and that is read without a name (it is what takes the
 * focus): it is the parent of the item's child once bound. */
void
signpost_accessible_label_row_of (GtkWidget  *child,
                                  const char *label)
{
  GtkWidget *row = child != NULL ? gtk_widget_get_parent (child) : NULL;
  GtkAccessibleRole role;

  if (row == NULL)
    return;
  role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (row));
  /* In a column view the child is in a cell, the cell in the row. */
  if (role == GTK_ACCESSIBLE_ROLE_GRID_CELL || role == GTK_ACCESSIBLE_ROLE_CELL)
    {
      row = gtk_widget_get_parent (row);
      if (row == NULL)
        return;
      role = gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (row));
    }
  if (role != GTK_ACCESSIBLE_ROLE_LIST_ITEM && role != GTK_ACCESSIBLE_ROLE_ROW)
    return;
  if (label != NULL && *label != '\0')
    gtk_accessible_update_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL, label, -1);
  else
    gtk_accessible_reset_property (GTK_ACCESSIBLE (row), GTK_ACCESSIBLE_PROPERTY_LABEL);
}

void
signpost_accessible_label_list_item (GtkListItem *item,
                                     const char  *label)
{
  signpost_accessible_label_row_of (gtk_list_item_get_child (item), label);
}

/* A column view's rows are in a list of its own, read by its class name
 * unless it is named too. */
void
signpost_accessible_name_column_view (GtkColumnView *view,
                                      const char    *name)
{
  g_return_if_fail (GTK_IS_COLUMN_VIEW (view));
  g_return_if_fail (name != NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (view));
       child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL, name, -1);
    else if (gtk_accessible_get_accessible_role (GTK_ACCESSIBLE (child)) == GTK_ACCESSIBLE_ROLE_ROW)
      /* The row of column titles. */
      gtk_accessible_update_property (GTK_ACCESSIBLE (child), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                      _("Column headings"), -1);
}

/* ---- lists Tab goes past -------------------------------------------------- */

/* In GTK 4.8 Tab walks a list view or column view row by row (cell by
 * cell in a grid): a day's diary or fifty slots are hundreds of presses
 * to get past. Here Tab and Shift+Tab leave the list for the control
 * after or before it, and the arrow keys move inside it, as in a list
 * box. */
static gboolean
on_list_key_pressed (GtkEventControllerKey *controller,
                     guint                  keyval,
                     guint                  keycode,
                     GdkModifierType        state,
                     GtkWidget             *list)
{
  GtkDirectionType direction;
  GtkRoot *root;
  gboolean moved;

  if (state & (GDK_CONTROL_MASK | GDK_ALT_MASK))
    return FALSE;
  if (keyval == GDK_KEY_ISO_Left_Tab || ((keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab) && (state & GDK_SHIFT_MASK)))
    direction = GTK_DIR_TAB_BACKWARD;
  else if (keyval == GDK_KEY_Tab || keyval == GDK_KEY_KP_Tab)
    direction = GTK_DIR_TAB_FORWARD;
  else
    return FALSE;
  root = gtk_widget_get_root (list);
  if (root == NULL)
    return FALSE;
  /* While the list cannot take the focus, the window's focus chain steps
   * over it to the next control. */
  gtk_widget_set_can_focus (list, FALSE);
  moved = gtk_widget_child_focus (GTK_WIDGET (root), direction);
  gtk_widget_set_can_focus (list, TRUE);
  return moved;
}

void
signpost_accessible_tab_leaves (GtkWidget *list)
{
  GtkEventController *keys;

  g_return_if_fail (GTK_IS_WIDGET (list));

  keys = gtk_event_controller_key_new ();
  gtk_event_controller_set_propagation_phase (keys, GTK_PHASE_CAPTURE);
  g_signal_connect_object (keys, "key-pressed", G_CALLBACK (on_list_key_pressed), list, 0);
  gtk_widget_add_controller (list, keys);
}

/* ---- pages Tab goes through --------------------------------------------- */

/* A page's grab_focus says where its work starts (its list, for Alt+1
 * and on a change of page). GTK 4.8 also calls grab_focus on a widget
 * that Tab enters from outside (gtk_widget_real_focus): Tab from the
 * header bar would then jump to the page's list, past the controls above
 * it ("Answer next call", "New Request"), and never reach them. As a
 * page's focus handler, Tab goes through its children in order instead,
 * from the one holding the focus, without asking where the work starts. */
gboolean
signpost_accessible_page_focus (GtkWidget        *page,
                                GtkDirectionType  direction)
{
  gboolean backward = direction == GTK_DIR_TAB_BACKWARD || direction == GTK_DIR_UP || direction == GTK_DIR_LEFT;
  GtkWidget *child = gtk_widget_get_focus_child (page);

  g_return_val_if_fail (GTK_IS_WIDGET (page), FALSE);

  if (child == NULL)
    child = backward ? gtk_widget_get_last_child (page) : gtk_widget_get_first_child (page);
  for (; child != NULL; child = backward ? gtk_widget_get_prev_sibling (child) : gtk_widget_get_next_sibling (child))
    if (gtk_widget_child_focus (child, direction))
      return TRUE;
  return FALSE;
}
