/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-accessible.h"
#include "signpost-duty-list-page.h"
#include "signpost-duty-request-view.h"
#include "signpost-navigation.h"
#include "signpost-page-shortcuts.h"
#include "signpost-triage-format.h"
#include "signpost-triage-row.h"

#define TICK_SECONDS 30
/* A navigator's list: what they made today, and anything still open. */
#define RECENT_USEC (G_TIME_SPAN_HOUR * 18)

enum {
  PROP_0,
  PROP_ACTIONS,
  N_PROPS
};

struct _SignpostDutyListPage
{
  AdwBin parent_instance;

  GtkLabel *title_label;
  GtkLabel *summary_label;
  GtkWidget *new_button;
  GtkStack *list_stack;
  GtkListView *list_view;
  AdwStatusPage *empty_page;
  SignpostDutyRequestView *request_view;

  SignpostActions    *actions;
  SignpostCache *cache;
  SignpostTriageListModel *source;
  GtkFilterListModel *filtered;
  GtkSortListModel *sorted;
  GHashTable *rows;              /* SignpostTriageRow, bound now */
  char *user_id;
  SignpostRole role;
  gboolean clinician;
  guint tick_source;
  guint top_source;
  guint reset_source;
  guint focus_source;          /* a tick callback on the list */
  guint focus_tries;
  gint64 pin_until;
};

G_DEFINE_FINAL_TYPE (SignpostDutyListPage, signpost_duty_list_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

/* ---- which requests, in which order --------------------------------------------- */

static gboolean
keep_for_clinician (gpointer item,
                    gpointer user_data)
{
  SignpostTriage *triage = item;

  /* Sent back to the navigators: theirs now. */
  return !(signpost_triage_get_status (triage) == SIGNPOST_TRIAGE_OPEN &&
           signpost_triage_get_reviewed_by (triage) != NULL);
}

static gboolean
keep_for_navigator (gpointer item,
                    gpointer user_data)
{
  SignpostDutyListPage *self = user_data;
  SignpostTriage *triage = item;
  const char *created_by = signpost_triage_get_created_by (triage);
  SignpostTriageStatus status = signpost_triage_get_status (triage);
  g_autoptr(GDateTime) now = NULL;
  GDateTime *arrived;

  /* The server stamps created_by; a request still on this PC is ours. */
  if (created_by != NULL ? g_strcmp0 (created_by, self->user_id) != 0
                         : !signpost_cache_record_is_pending (SIGNPOST_RECORD (triage)))
    return FALSE;
  if (status == SIGNPOST_TRIAGE_OPEN || status == SIGNPOST_TRIAGE_AWAITING_DUTY)
    return TRUE;
  now = g_date_time_new_now_utc ();
  arrived = signpost_triage_get_arrived (triage);
  return arrived != NULL && g_date_time_difference (now, arrived) < RECENT_USEC;
}

static gint64
arrived_us (SignpostTriage *triage)
{
  GDateTime *at = signpost_triage_get_arrived (triage);

  return at ? g_date_time_to_unix (at) * G_USEC_PER_SEC + g_date_time_get_microsecond (at) : 0;
}

/* Most urgent first, then the longest waiting (DESIGN.md). */
static int
compare_for_clinician (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  SignpostTriage *ta = (SignpostTriage *) a, *tb = (SignpostTriage *) b;
  int ua = signpost_triage_get_urgency (ta), ub = signpost_triage_get_urgency (tb);
  gint64 wa, wb;

  if (ua != ub)
    return ua < ub ? -1 : 1;
  wa = arrived_us (ta);
  wb = arrived_us (tb);
  if (wa != wb)
    return wa < wb ? -1 : 1;
  return g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (ta)), signpost_record_get_id (SIGNPOST_RECORD (tb)));
}

/* A navigator's own: the newest first. */
static int
compare_for_navigator (gconstpointer a,
                       gconstpointer b,
                       gpointer      user_data)
{
  gint64 wa = arrived_us ((SignpostTriage *) a);
  gint64 wb = arrived_us ((SignpostTriage *) b);

  if (wa != wb)
    return wa > wb ? -1 : 1;
  return g_strcmp0 (signpost_record_get_id ((SignpostRecord *) a), signpost_record_get_id ((SignpostRecord *) b));
}

/* ---- headline --------------------------------------------------------------------------- */

static void
update_summary (SignpostDutyListPage *self)
{
  GListModel *model = self->sorted ? G_LIST_MODEL (self->sorted) : NULL;
  guint n = model ? g_list_model_get_n_items (model) : 0;
  guint red = 0, waiting = 0;
  gint64 oldest = G_MAXINT64;
  g_autofree char *text = NULL;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SignpostTriage) triage = g_list_model_get_item (model, i);
      SignpostTriageStatus status = signpost_triage_get_status (triage);

      if (signpost_navigation_rag_for_urgency (signpost_triage_get_urgency (triage)) == SIGNPOST_RAG_RED)
        red++;
      if (status == SIGNPOST_TRIAGE_OPEN || status == SIGNPOST_TRIAGE_AWAITING_DUTY)
        {
          waiting++;
          oldest = MIN (oldest, arrived_us (triage));
        }
    }

  if (self->clinician)
    {
      if (n == 0)
        text = g_strdup (_("Nothing waiting"));
      else
        {
          g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
          g_autoptr(GDateTime) since = g_date_time_new_from_unix_utc (oldest / G_USEC_PER_SEC);
          g_autofree char *longest = signpost_triage_format_waited (since, now);

          /* Translators: the duty list's headline: "12 waiting · 3 Red · longest 1 h 05 min" */
          text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u waiting · %u Red · longest %s",
                                               "%u waiting · %u Red · longest %s", n),
                                  n, red, longest);
        }
    }
  else
    /* Translators: a navigator's list: "7 requests · 2 still open" */
    text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u request · %u still open",
                                         "%u requests · %u still open", n), n, waiting);
  gtk_label_set_text (self->summary_label, text);
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
}

static gboolean
tick (gpointer data)
{
  SignpostDutyListPage *self = data;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GHashTableIter iter;
  gpointer row;

  /* Only the rows on screen, and only their waiting time. */
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    signpost_triage_row_tick (row, now);
  update_summary (self);
  return G_SOURCE_CONTINUE;
}

/* ---- rows --------------------------------------------------------------------------------- */

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           SignpostDutyListPage     *self)
{
  gtk_list_item_set_child (item, GTK_WIDGET (signpost_triage_row_new ()));
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          SignpostDutyListPage     *self)
{
  SignpostTriageRow *row = SIGNPOST_TRIAGE_ROW (gtk_list_item_get_child (item));
  SignpostTriage *triage = gtk_list_item_get_item (item);

  signpost_triage_row_bind (row, triage, self->cache, self->user_id, self->clinician);
  signpost_triage_row_set_open (row, g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (triage)),
                                                signpost_duty_request_view_get_triage_id (self->request_view)) == 0);
  g_hash_table_add (self->rows, row);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            SignpostDutyListPage     *self)
{
  SignpostTriageRow *row = SIGNPOST_TRIAGE_ROW (gtk_list_item_get_child (item));

  g_hash_table_remove (self->rows, row);
  signpost_triage_row_unbind (row);
}

static void
mark_open_rows (SignpostDutyListPage *self)
{
  const char *open = signpost_duty_request_view_get_triage_id (self->request_view);
  GHashTableIter iter;
  gpointer row;

  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    {
      SignpostTriage *triage = signpost_triage_row_get_triage (row);
      signpost_triage_row_set_open (row, triage != NULL &&
                                         g_strcmp0 (signpost_record_get_id (SIGNPOST_RECORD (triage)), open) == 0);
    }
}

void
signpost_duty_list_page_open (SignpostDutyListPage *self,
                              const char           *triage_id)
{
  g_return_if_fail (SIGNPOST_IS_DUTY_LIST_PAGE (self));

  signpost_duty_request_view_show (self->request_view, triage_id);
  mark_open_rows (self);
}

static void
on_activate (GtkListView          *view,
             guint                 position,
             SignpostDutyListPage *self)
{
  g_autoptr(SignpostTriage) triage = g_list_model_get_item (G_LIST_MODEL (self->sorted), position);

  if (triage != NULL)
    {
      signpost_duty_list_page_open (self, signpost_record_get_id (SIGNPOST_RECORD (triage)));
      signpost_duty_request_view_focus (self->request_view);
    }
}

/* Done with one: it leaves the panel, and the keyboard goes back to the
 * top of the list, the next most urgent. */
static void
on_request_finished (SignpostDutyListPage *self,
                     const char           *label)
{
  signpost_duty_request_view_show (self->request_view, NULL);
  mark_open_rows (self);
  if (!gtk_widget_child_focus (GTK_WIDGET (self->list_view), GTK_DIR_TAB_FORWARD))
    gtk_widget_grab_focus (self->new_button);
}

/* A changed row is taken out and put back by the sort, and a new one may
 * arrive above the first: the list view keeps its old first row in place,
 * which would slide the most urgent request out of sight above the top.
 * When the list was at its top, it is held there for the moment it takes
 * the view to settle. */
#define PIN_USEC (300 * G_TIME_SPAN_MILLISECOND)

static GtkAdjustment *
list_adjustment (SignpostDutyListPage *self)
{
  return gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view));
}

static gboolean
back_to_top (gpointer data)
{
  SignpostDutyListPage *self = data;
  GtkAdjustment *adjustment = list_adjustment (self);

  self->top_source = 0;
  if (adjustment != NULL)
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
  return G_SOURCE_REMOVE;
}

static void
on_scrolled (SignpostDutyListPage *self,
             GtkAdjustment        *adjustment)
{
  if (g_get_monotonic_time () < self->pin_until &&
      gtk_adjustment_get_value (adjustment) > gtk_adjustment_get_lower (adjustment))
    gtk_adjustment_set_value (adjustment, gtk_adjustment_get_lower (adjustment));
}

/* Coming back to the page shows the top of the list: the most urgent.
 * Rows that came while the page was hidden moved the view's anchor
 * without scrolling (GTK 4.8): setting the model again starts it at the
 * top. Not while a model is telling of a change (the page can be mapped
 * from inside one): from an idle. */
static gboolean
reset_to_top (gpointer data)
{
  SignpostDutyListPage *self = data;
  GtkSelectionModel *model = gtk_list_view_get_model (self->list_view);

  self->reset_source = 0;
  if (model != NULL)
    {
      g_object_ref (model);
      gtk_list_view_set_model (self->list_view, NULL);
      gtk_list_view_set_model (self->list_view, model);
      g_object_unref (model);
    }
  self->pin_until = g_get_monotonic_time () + PIN_USEC;
  if (self->top_source == 0)
    self->top_source = g_idle_add (back_to_top, self);
  return G_SOURCE_REMOVE;
}

static void
on_list_mapped (SignpostDutyListPage *self)
{
  if (self->reset_source == 0)
    self->reset_source = g_idle_add (reset_to_top, self);
}

static void
on_rows_changed (SignpostDutyListPage *self)
{
  GtkAdjustment *adjustment = list_adjustment (self);

  if (adjustment == NULL ||
      gtk_adjustment_get_value (adjustment) > gtk_adjustment_get_lower (adjustment) + 1)
    return;
  self->pin_until = g_get_monotonic_time () + PIN_USEC;
  if (self->top_source == 0)
    self->top_source = g_idle_add (back_to_top, self);
}

/* The page opens on the list, at the top: the most urgent request (a
 * list view focuses its first row when it is entered with nothing in it
 * focused before). */
static gboolean
signpost_duty_list_page_grab_focus (GtkWidget *widget)
{
  SignpostDutyListPage *self = SIGNPOST_DUTY_LIST_PAGE (widget);

  if (self->sorted != NULL && g_list_model_get_n_items (G_LIST_MODEL (self->sorted)) > 0 &&
      gtk_widget_child_focus (GTK_WIDGET (self->list_view), GTK_DIR_TAB_FORWARD))
    return TRUE;
  return gtk_widget_grab_focus (self->new_button);
}

/* The list filling in (after signing in, or the first request of the
 * session) takes the focus from where an empty page left it, once its
 * rows exist: from the frame after they arrived, trying a few frames. */
static gboolean
focus_first_rows (GtkWidget     *list_view,
                  GdkFrameClock *clock,
                  gpointer       data)
{
  SignpostDutyListPage *self = data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  if (!gtk_widget_get_mapped (GTK_WIDGET (self)) || (focus != NULL && focus != self->new_button) ||
      gtk_widget_child_focus (list_view, GTK_DIR_TAB_FORWARD) || ++self->focus_tries > 30)
    {
      self->focus_source = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static void
on_first_rows (SignpostDutyListPage *self,
               guint                 position,
               guint                 removed,
               guint                 added)
{
  if (added == 0 || g_list_model_get_n_items (G_LIST_MODEL (self->sorted)) != added ||
      !gtk_widget_get_mapped (GTK_WIDGET (self)) || self->focus_source != 0)
    return;
  self->focus_tries = 0;
  self->focus_source = gtk_widget_add_tick_callback (GTK_WIDGET (self->list_view), focus_first_rows, self, NULL);
}

/* ---- following the signed-in user -------------------------------------------------------- */

static void
clear_models (SignpostDutyListPage *self)
{
  gtk_list_view_set_model (self->list_view, NULL);
  g_hash_table_remove_all (self->rows);
  g_clear_object (&self->sorted);
  g_clear_object (&self->filtered);
  g_clear_object (&self->source);
  g_clear_object (&self->cache);
  g_clear_pointer (&self->user_id, g_free);
}

static void
rebuild (SignpostDutyListPage *self)
{
  static const SignpostTriageStatus open_statuses[] = {
    SIGNPOST_TRIAGE_OPEN, SIGNPOST_TRIAGE_AWAITING_DUTY, -1
  };
  static const SignpostTriageStatus all_statuses[] = {
    SIGNPOST_TRIAGE_OPEN, SIGNPOST_TRIAGE_AWAITING_DUTY, SIGNPOST_TRIAGE_REVIEWED,
    SIGNPOST_TRIAGE_BOOKED, SIGNPOST_TRIAGE_SIGNPOSTED, SIGNPOST_TRIAGE_CLOSED, -1
  };
  SignpostCache *cache = self->actions ? signpost_actions_get_cache (self->actions) : NULL;
  SignpostUser *user = self->actions ? signpost_actions_get_user (self->actions) : NULL;
  GtkCustomFilter *filter;
  GtkCustomSorter *sorter;
  g_autoptr(GtkNoSelection) selection = NULL;

  signpost_duty_request_view_show (self->request_view, NULL);
  clear_models (self);
  if (cache == NULL || user == NULL)
    return;

  self->cache = g_object_ref (cache);
  self->user_id = g_strdup (signpost_record_get_id (SIGNPOST_RECORD (user)));
  self->role = signpost_actions_get_role (self->actions);
  self->clinician = self->role == SIGNPOST_ROLE_CLINICIAN;

  if (self->clinician)
    {
      const char *clinician_id = signpost_user_get_clinician_id (user);

      self->source = signpost_triage_list_model_new (cache, open_statuses);
      /* Someone with no clinician record of their own sees the duty
       * doctor's requests only. */
      signpost_triage_list_model_set_for_clinician_id (self->source, clinician_id ? clinician_id : "");
      filter = gtk_custom_filter_new (keep_for_clinician, self, NULL);
      sorter = gtk_custom_sorter_new (compare_for_clinician, self, NULL);
      gtk_label_set_text (self->title_label, _("Duty List"));
      adw_status_page_set_title (self->empty_page, _("Nothing Waiting"));
      adw_status_page_set_description (self->empty_page,
                                       _("No requests are routed to the duty doctor or to you right now. "
                                         "New ones appear here as navigators send them."));
    }
  else
    {
      self->source = signpost_triage_list_model_new (cache, all_statuses);
      filter = gtk_custom_filter_new (keep_for_navigator, self, NULL);
      sorter = gtk_custom_sorter_new (compare_for_navigator, self, NULL);
      gtk_label_set_text (self->title_label, _("My Requests"));
      adw_status_page_set_title (self->empty_page, _("No Requests Yet"));
      adw_status_page_set_description (self->empty_page,
                                       _("Requests you save appear here with where they stand, so you can "
                                         "tell a patient who rings again whether the doctor has seen it. "
                                         "Start one with Ctrl+N."));
    }
  /* The lists are short (a session's requests): a filter and a sort in
   * GTK cost nothing, and each change still lands as one row. */
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->source)), GTK_FILTER (filter));
  self->sorted = gtk_sort_list_model_new (g_object_ref (G_LIST_MODEL (self->filtered)), GTK_SORTER (sorter));
  g_signal_connect_object (self->sorted, "items-changed", G_CALLBACK (update_summary), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sorted, "items-changed", G_CALLBACK (on_rows_changed), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sorted, "items-changed", G_CALLBACK (on_first_rows), self, G_CONNECT_SWAPPED);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->sorted)));
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (selection));
  update_summary (self);
}

static void
on_engine_changed (SignpostDutyListPage *self)
{
  SignpostCache *cache = self->actions ? signpost_actions_get_cache (self->actions) : NULL;
  SignpostUser *user = self->actions ? signpost_actions_get_user (self->actions) : NULL;

  if (cache == self->cache && user != NULL && self->role == signpost_actions_get_role (self->actions) &&
      g_strcmp0 (self->user_id, signpost_record_get_id (SIGNPOST_RECORD (user))) == 0)
    return;
  rebuild (self);
}

static void
new_request (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  gtk_widget_activate_action (widget, "win.open-triage", "(sss)", "", "", "");
}

/* ---- GObject -------------------------------------------------------------------------------- */

static void
signpost_duty_list_page_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  SignpostDutyListPage *self = SIGNPOST_DUTY_LIST_PAGE (object);

  switch (prop_id)
    {
    case PROP_ACTIONS:
      g_value_set_object (value, self->actions);
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
    case PROP_ACTIONS:
      signpost_duty_list_page_set_actions (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_duty_list_page_dispose (GObject *object)
{
  SignpostDutyListPage *self = SIGNPOST_DUTY_LIST_PAGE (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->top_source, g_source_remove);
  g_clear_handle_id (&self->reset_source, g_source_remove);
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  if (self->focus_source != 0)
    gtk_widget_remove_tick_callback (GTK_WIDGET (self->list_view), self->focus_source);
  self->focus_source = 0;
  if (self->list_view != NULL)
    clear_models (self);
  g_clear_object (&self->actions);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_DUTY_LIST_PAGE);
  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (signpost_duty_list_page_parent_class)->dispose (object);
}

static void
signpost_duty_list_page_class_init (SignpostDutyListPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  signpost_accessible_init ();
  object_class->get_property = signpost_duty_list_page_get_property;
  object_class->set_property = signpost_duty_list_page_set_property;
  object_class->dispose = signpost_duty_list_page_dispose;
  widget_class->grab_focus = signpost_duty_list_page_grab_focus;
  /* Tab through the page in order, not to where its work starts. */
  widget_class->focus = signpost_accessible_page_focus;

  properties[PROP_ACTIONS] =
    g_param_spec_object ("actions", NULL, NULL, SIGNPOST_TYPE_ACTIONS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SIGNPOST_TYPE_DUTY_REQUEST_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-duty-list-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyListPage, title_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyListPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyListPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyListPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyListPage, empty_page);
  gtk_widget_class_bind_template_child (widget_class, SignpostDutyListPage, new_button);

  gtk_widget_class_install_action (widget_class, "duty-list.new-request", NULL, new_request);
}

static void
signpost_duty_list_page_init (SignpostDutyListPage *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  signpost_page_shortcuts_add (GTK_WIDGET (self), GDK_KEY_n, GDK_CONTROL_MASK, "duty-list.new-request", NULL);
  /* Beside the list: at a reception PC's 1366 pixels both fit. */
  self->request_view = signpost_duty_request_view_new ();
  gtk_widget_set_hexpand (GTK_WIDGET (self->request_view), TRUE);
  /* The bin's own child is not bound: dispose_template would unparent it
   * behind AdwBin's back. */
  gtk_box_append (GTK_BOX (adw_bin_get_child (ADW_BIN (self))), GTK_WIDGET (self->request_view));
  g_signal_connect_object (self->request_view, "finished", G_CALLBACK (on_request_finished), self, G_CONNECT_SWAPPED);
  self->rows = g_hash_table_new (NULL, NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  g_signal_connect_object (self->list_view, "activate", G_CALLBACK (on_activate), self, 0);
  self->tick_source = g_timeout_add_seconds (TICK_SECONDS, tick, self);
  g_signal_connect_object (gtk_scrollable_get_vadjustment (GTK_SCROLLABLE (self->list_view)), "value-changed",
                           G_CALLBACK (on_scrolled), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->list_view, "map", G_CALLBACK (on_list_mapped), self, G_CONNECT_SWAPPED);
  gtk_label_set_text (self->title_label, _("Duty List"));
}

/* ---- public API --------------------------------------------------------------------------------- */

SignpostActions    *
signpost_duty_list_page_get_actions (SignpostDutyListPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DUTY_LIST_PAGE (self), NULL);
  return self->actions;
}

void
signpost_duty_list_page_set_actions (SignpostDutyListPage *self,
                                    SignpostActions      *actions)
{
  g_return_if_fail (SIGNPOST_IS_DUTY_LIST_PAGE (self));

  if (self->actions == actions)
    return;
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  g_set_object (&self->actions, actions);
  signpost_duty_request_view_set_actions (self->request_view, actions);
  if (actions != NULL)
    {
      g_signal_connect_object (actions, "notify::cache", G_CALLBACK (on_engine_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (actions, "notify::user", G_CALLBACK (on_engine_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (actions, "notify::role", G_CALLBACK (on_engine_changed), self, G_CONNECT_SWAPPED);
    }
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIONS]);
}

GListModel *
signpost_duty_list_page_get_model (SignpostDutyListPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DUTY_LIST_PAGE (self), NULL);
  return self->sorted ? G_LIST_MODEL (self->sorted) : NULL;
}

SignpostDutyRequestView *
signpost_duty_list_page_get_request_view (SignpostDutyListPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_DUTY_LIST_PAGE (self), NULL);
  return self->request_view;
}
