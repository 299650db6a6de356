/* SPDX-License-Identifier: GPL-3.0-or-later */
#define G_LOG_DOMAIN "signpost-console"

#include "config.h"

#include <glib/gi18n.h>

#include "signpost-match-dialog.h"
#include "signpost-request-format.h"
#include "signpost-request-row.h"
#include "signpost-requests-page.h"

#define TICK_SECONDS 30

enum {
  PROP_0,
  PROP_ACTIONS,
  PROP_N_ATTENTION,
  PROP_UNMATCHED_ONLY,
  N_PROPS
};

/* Rows of the channel drop-down. */
static const int channel_sources[] = {
  -1, SIGNPOST_REQUEST_SOURCE_ONLINE, SIGNPOST_REQUEST_SOURCE_PHONE, SIGNPOST_REQUEST_SOURCE_INTAKE,
};

struct _SignpostRequestsPage
{
  AdwBin parent_instance;

  /* template */
  GtkLabel *summary_label;
  GtkDropDown *channel_dropdown;
  GtkStack *list_stack;
  GtkListView *list_view;
  AdwStatusPage *empty_page;

  SignpostActions *actions;
  SignpostCache *cache;
  SignpostRequestListModel *model; /* open requests, sorted, from SQLite */
  GtkFilterListModel *filtered;     /* the channel and "not matched yet" */
  GtkCustomFilter *filter;
  GtkSingleSelection *selection;
  GHashTable *rows;              /* SignpostRequestRow, bound now */
  char *user_id;
  char *practice_id;
  gboolean show_practice;
  gboolean unmatched_only;
  guint n_attention;
  guint tick_source;
  guint focus_source;
  /* The keyboard was put on the channel filter because the list had no
   * row: the first row to arrive takes it. */
  gboolean focus_parked;
};

G_DEFINE_FINAL_TYPE (SignpostRequestsPage, signpost_requests_page, ADW_TYPE_BIN)

static GParamSpec *properties[N_PROPS];

/* ---- headline ---------------------------------------------------------------------- */

static void
update_attention (SignpostRequestsPage *self,
                  GDateTime            *now)
{
  g_autoptr(GDateTime) due = g_date_time_add_seconds (now, SIGNPOST_REQUEST_RED_SECONDS);
  g_autoptr(GError) error = NULL;
  guint n = 0;

  if (self->cache != NULL &&
      !signpost_cache_count_requests_needing_attention (self->cache, self->practice_id, due, &n, &error))
    {
      /* The count is a hint: the list itself still shows what it can. */
      g_warning ("Could not count the requests needing attention: %s", error->message);
      return;
    }

  if (n == self->n_attention)
    return;
  self->n_attention = n;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ATTENTION]);
}

static void
update_summary (SignpostRequestsPage *self)
{
  GListModel *model = self->filtered ? G_LIST_MODEL (self->filtered) : NULL;
  guint n = model ? g_list_model_get_n_items (model) : 0;
  guint overdue = 0, due = 0, soon = 0, unmatched = 0, red = 0;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr(GString) text = g_string_new (NULL);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SignpostTriage) triage = g_list_model_get_item (model, i);

      switch (signpost_request_deadline_state (triage, now))
        {
        case SIGNPOST_DEADLINE_OVERDUE:
          overdue++;
          break;
        case SIGNPOST_DEADLINE_DUE:
          due++;
          break;
        case SIGNPOST_DEADLINE_SOON:
          soon++;
          break;
        case SIGNPOST_DEADLINE_OK:
        case SIGNPOST_DEADLINE_NONE:
        default:
          break;
        }
      if (signpost_triage_get_patient_id (triage) == NULL)
        unmatched++;
      if (signpost_triage_get_urgency (triage) <= SIGNPOST_URGENCY_SAME_DAY)
        red++;
    }

  if (n == 0)
    g_string_append (text, _("Nothing open"));
  else
    {
      /* Translators: the Requests page's headline, in parts: "14 open · 2 overdue · …" */
      g_string_append_printf (text, g_dngettext (GETTEXT_PACKAGE, "%u open", "%u open", n), n);
      if (red > 0)
        /* Translators: the Requests headline, " · 2 Red" (today, or 999) */
        g_string_append_printf (text, _(" · %u Red"), red);
      if (overdue > 0)
        g_string_append_printf (text, _(" · %u overdue"), overdue);
      if (due > 0)
        g_string_append_printf (text, _(" · %u due within the hour"), due);
      if (soon > 0)
        g_string_append_printf (text, _(" · %u due within 4 hours"), soon);
      if (unmatched > 0)
        g_string_append_printf (text, _(" · %u not matched yet"), unmatched);
    }
  gtk_label_set_text (self->summary_label, text->str);
  gtk_stack_set_visible_child_name (self->list_stack, n > 0 ? "list" : "empty");
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "requests.open", n > 0);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "requests.match", n > 0);
  update_attention (self, now);
}

/* A request changed anywhere: the switcher's count follows at once,
 * whether or not the list has been read. */
static void
on_records_changed (SignpostRequestsPage *self,
                    GPtrArray            *changed,
                    GPtrArray            *removed)
{
  gboolean requests = removed != NULL && removed->len > 0;
  g_autoptr(GDateTime) now = NULL;

  for (guint i = 0; !requests && changed != NULL && i < changed->len; i++)
    requests = signpost_record_get_kind (g_ptr_array_index (changed, i)) == SIGNPOST_RECORD_TRIAGE;
  if (!requests)
    return;
  now = g_date_time_new_now_utc ();
  update_attention (self, now);
}

static gboolean
tick (gpointer data)
{
  SignpostRequestsPage *self = data;
  g_autoptr(GDateTime) now = g_date_time_new_now_utc ();
  GHashTableIter iter;
  gpointer row;

  /* Only the rows on screen, and only their time left. */
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &row, NULL))
    signpost_request_row_tick (row, now);
  update_summary (self);
  return G_SOURCE_CONTINUE;
}

static void
update_empty_page (SignpostRequestsPage *self)
{
  gboolean filtered = self->unmatched_only || gtk_drop_down_get_selected (self->channel_dropdown) != 0;

  if (filtered)
    {
      adw_status_page_set_title (self->empty_page, _("Nothing Matches"));
      adw_status_page_set_description (self->empty_page,
                                       _("No open request fits the channel and filter chosen above."));
    }
  else
    {
      adw_status_page_set_title (self->empty_page, _("No Open Requests"));
      adw_status_page_set_description (self->empty_page,
                                       _("Requests from the practice’s online form and other online services "
                                         "appear here as they arrive, with phone requests still open, and the "
                                         "time left to reply to each."));
    }
}

/* ---- rows ------------------------------------------------------------------------------ */

static void
setup_row (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           SignpostRequestsPage     *self)
{
  gtk_list_item_set_child (item, GTK_WIDGET (signpost_request_row_new ()));
}

static void
bind_row (GtkSignalListItemFactory *factory,
          GtkListItem              *item,
          SignpostRequestsPage     *self)
{
  SignpostRequestRow *row = SIGNPOST_REQUEST_ROW (gtk_list_item_get_child (item));

  signpost_request_row_bind (row, gtk_list_item_get_item (item), self->cache, self->show_practice);
  g_hash_table_add (self->rows, row);
}

static void
unbind_row (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            SignpostRequestsPage     *self)
{
  SignpostRequestRow *row = SIGNPOST_REQUEST_ROW (gtk_list_item_get_child (item));

  g_hash_table_remove (self->rows, row);
  signpost_request_row_unbind (row);
}

/* The row the keyboard is on, which is the one a person means; the
 * selection follows it, and a mouse click, otherwise. */
SignpostTriage *
signpost_requests_page_get_current (SignpostRequestsPage *self)
{
  GtkRoot *root;
  GtkWidget *focus = NULL;

  g_return_val_if_fail (SIGNPOST_IS_REQUESTS_PAGE (self), NULL);

  root = gtk_widget_get_root (GTK_WIDGET (self));
  if (root != NULL)
    focus = gtk_root_get_focus (root);
  if (focus != NULL && gtk_widget_is_ancestor (focus, GTK_WIDGET (self->list_view)))
    for (GtkWidget *widget = focus; widget != NULL && widget != GTK_WIDGET (self->list_view);
         widget = gtk_widget_get_parent (widget))
      {
        GtkWidget *child = gtk_widget_get_first_child (widget);

        if (SIGNPOST_IS_REQUEST_ROW (widget))
          return signpost_request_row_get_triage (SIGNPOST_REQUEST_ROW (widget));
        if (child != NULL && SIGNPOST_IS_REQUEST_ROW (child))
          return signpost_request_row_get_triage (SIGNPOST_REQUEST_ROW (child));
      }
  if (self->selection != NULL)
    return gtk_single_selection_get_selected_item (self->selection);
  return NULL;
}

void
signpost_requests_page_open (SignpostRequestsPage *self,
                             const char           *triage_id)
{
  g_return_if_fail (SIGNPOST_IS_REQUESTS_PAGE (self));

  if (self->actions == NULL || triage_id == NULL)
    return;
  /* Who opened a request is audited, matched or not (offline too). */
  signpost_actions_report_request_view (self->actions, triage_id, "requests");
  gtk_widget_activate_action (GTK_WIDGET (self), "win.open-triage", "(sss)", triage_id, "", "");
}

static void
on_activate (GtkListView          *view,
             guint                 position,
             SignpostRequestsPage *self)
{
  g_autoptr(SignpostTriage) triage = g_list_model_get_item (G_LIST_MODEL (self->selection), position);

  if (triage != NULL)
    signpost_requests_page_open (self, signpost_record_get_id (SIGNPOST_RECORD (triage)));
}

static void
open_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SignpostRequestsPage *self = SIGNPOST_REQUESTS_PAGE (widget);
  SignpostTriage *triage = signpost_requests_page_get_current (self);

  if (triage != NULL)
    signpost_requests_page_open (self, signpost_record_get_id (SIGNPOST_RECORD (triage)));
}

static void
match_action (GtkWidget  *widget,
              const char *action_name,
              GVariant   *parameter)
{
  SignpostRequestsPage *self = SIGNPOST_REQUESTS_PAGE (widget);
  SignpostTriage *triage = signpost_requests_page_get_current (self);
  GtkRoot *root = gtk_widget_get_root (widget);
  SignpostMatchDialog *dialog;

  if (triage == NULL || self->actions == NULL)
    return;
  dialog = signpost_match_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL, self->actions,
                                      signpost_record_get_id (SIGNPOST_RECORD (triage)));
  gtk_window_present (GTK_WINDOW (dialog));
}

/* ---- keyboard: the list takes it when the page is shown ---------------------------------- */

/* The row showing @item, if the list has made one. */
static GtkWidget *
find_row_widget (SignpostRequestsPage *self,
                 gpointer              item)
{
  for (GtkWidget *child = gtk_widget_get_first_child (GTK_WIDGET (self->list_view)); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *row = gtk_widget_get_first_child (child);

      if (row != NULL && SIGNPOST_IS_REQUEST_ROW (row) &&
          signpost_request_row_get_triage (SIGNPOST_REQUEST_ROW (row)) == item)
        return child;
    }
  return NULL;
}

/* The keyboard on the chosen request (the first when none is): its row,
 * not the list. GtkListView 4.8 takes the focus itself when asked to,
 * where Enter opens nothing and a screen reader reads only "list"; its
 * rows exist only around its anchor, so the list is first scrolled to
 * the row, which makes it, and the row is focused, which selects it
 * (what looks chosen is what Enter opens). */
static gboolean
focus_chosen_row (SignpostRequestsPage *self)
{
  guint n = self->selection ? g_list_model_get_n_items (G_LIST_MODEL (self->selection)) : 0;
  g_autoptr(GObject) item = NULL;
  GtkWidget *row;
  guint position;

  if (n == 0 || !g_str_equal (gtk_stack_get_visible_child_name (self->list_stack), "list"))
    return FALSE;
  position = gtk_single_selection_get_selected (self->selection);
  if (position == GTK_INVALID_LIST_POSITION || position >= n)
    position = 0;
  item = g_list_model_get_item (G_LIST_MODEL (self->selection), position);
  gtk_widget_activate_action (GTK_WIDGET (self->list_view), "list.scroll-to-item", "u", position);
  row = find_row_widget (self, item);
  if (row == NULL || !gtk_widget_grab_focus (row))
    return FALSE;
  gtk_single_selection_set_selected (self->selection, position);
  return TRUE;
}

static gboolean
focus_list (gpointer data)
{
  SignpostRequestsPage *self = data;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  GtkWidget *focus = root ? gtk_root_get_focus (root) : NULL;

  self->focus_source = 0;
  if (!gtk_widget_get_mapped (GTK_WIDGET (self)))
    return G_SOURCE_REMOVE;
  /* Someone already working in the page (or in the channel filter's
   * list) keeps their place; the channel filter's button or the bare list
   * had the keyboard only because no row could take it yet when the page
   * was shown. */
  if (focus != NULL && focus != GTK_WIDGET (self->channel_dropdown) && focus != GTK_WIDGET (self->list_view) &&
      !(GTK_IS_TOGGLE_BUTTON (focus) && gtk_widget_get_parent (focus) == GTK_WIDGET (self->channel_dropdown)))
    {
      self->focus_parked = FALSE;
      return G_SOURCE_REMOVE;
    }
  if (focus_chosen_row (self))
    self->focus_parked = FALSE;
  return G_SOURCE_REMOVE;
}

/* A request arriving on a page that was empty when it was shown. */
static void
on_rows_changed (SignpostRequestsPage *self)
{
  if (!self->focus_parked || self->focus_source != 0 || !gtk_widget_get_mapped (GTK_WIDGET (self)) ||
      self->filtered == NULL || g_list_model_get_n_items (G_LIST_MODEL (self->filtered)) == 0)
    return;
  self->focus_source = g_idle_add (focus_list, self);
}

/* Where the page's work starts (the window gives it the keyboard on
 * every change of page): the chosen request's row, or the channel
 * filter when the list is empty or has no row yet (focus_list, once it
 * has). */
static gboolean
signpost_requests_page_grab_focus (GtkWidget *widget)
{
  SignpostRequestsPage *self = SIGNPOST_REQUESTS_PAGE (widget);

  self->focus_parked = FALSE;
  if (focus_chosen_row (self))
    return TRUE;
  self->focus_parked = gtk_widget_grab_focus (GTK_WIDGET (self->channel_dropdown));
  return self->focus_parked;
}

static void ensure_model (SignpostRequestsPage *self);

static void
on_mapped (SignpostRequestsPage *self)
{
  ensure_model (self);
  if (self->focus_source == 0)
    self->focus_source = g_idle_add (focus_list, self);
}

/* ---- filters ------------------------------------------------------------------------------- */

/* The few thousand open requests came sorted out of the hundred thousand
 * in SQLite; narrowing those by channel is done here, without reading and
 * decoding them all again (bench-console-requests). */
static gboolean
keep_request (gpointer item,
              gpointer user_data)
{
  SignpostRequestsPage *self = user_data;
  SignpostTriage *triage = item;
  guint row = gtk_drop_down_get_selected (self->channel_dropdown);
  int source = row < G_N_ELEMENTS (channel_sources) ? channel_sources[row] : -1;

  if (source >= 0 && (int) signpost_triage_get_source (triage) != source)
    return FALSE;
  return !self->unmatched_only || signpost_triage_get_patient_id (triage) == NULL;
}

static void
on_channel_changed (SignpostRequestsPage *self)
{
  /* Someone choosing a channel keeps the keyboard on it. */
  self->focus_parked = FALSE;
  if (self->filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter), GTK_FILTER_CHANGE_DIFFERENT);
  update_empty_page (self);
  update_summary (self);
}

static void
set_unmatched_only (SignpostRequestsPage *self,
                    gboolean              unmatched_only)
{
  unmatched_only = !!unmatched_only;
  if (self->unmatched_only == unmatched_only)
    return;
  self->unmatched_only = unmatched_only;
  if (self->filter != NULL)
    gtk_filter_changed (GTK_FILTER (self->filter),
                        unmatched_only ? GTK_FILTER_CHANGE_MORE_STRICT : GTK_FILTER_CHANGE_LESS_STRICT);
  update_empty_page (self);
  update_summary (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNMATCHED_ONLY]);
}

/* ---- following the signed-in user ---------------------------------------------------------- */

static void
clear_models (SignpostRequestsPage *self)
{
  if (self->cache != NULL)
    g_signal_handlers_disconnect_by_func (self->cache, on_records_changed, self);
  gtk_list_view_set_model (self->list_view, NULL);
  g_hash_table_remove_all (self->rows);
  g_clear_object (&self->selection);
  g_clear_object (&self->filtered);
  g_clear_object (&self->filter);
  g_clear_object (&self->model);
  g_clear_object (&self->cache);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->practice_id, g_free);
}

/* The list is read when the page is first shown, not at sign-in: a hub
 * with thousands of open requests takes a moment to read them, and a
 * navigator who never opens the page need not wait for it. The switcher's
 * count comes from SQLite meanwhile. */
static void
ensure_model (SignpostRequestsPage *self)
{
  if (self->model != NULL || self->cache == NULL)
    return;
  self->model = signpost_request_list_model_new (self->cache);
  signpost_request_list_model_set_practice_id (self->model, self->practice_id);
  self->filter = gtk_custom_filter_new (keep_request, self, NULL);
  self->filtered = gtk_filter_list_model_new (g_object_ref (G_LIST_MODEL (self->model)),
                                              g_object_ref (GTK_FILTER (self->filter)));
  self->selection = gtk_single_selection_new (g_object_ref (G_LIST_MODEL (self->filtered)));
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (update_summary), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->filtered, "items-changed", G_CALLBACK (on_rows_changed), self,
                           G_CONNECT_SWAPPED);
  gtk_list_view_set_model (self->list_view, GTK_SELECTION_MODEL (self->selection));
  update_summary (self);
}

static void
rebuild (SignpostRequestsPage *self)
{
  SignpostCache *cache = self->actions ? signpost_actions_get_cache (self->actions) : NULL;
  SignpostUser *user = self->actions ? signpost_actions_get_user (self->actions) : NULL;
  GListModel *practices;

  clear_models (self);
  if (cache != NULL && user != NULL)
    {
      self->practice_id = g_strdup (signpost_actions_get_practice_id (self->actions));
      practices = signpost_actions_get_practices (self->actions);
      self->cache = g_object_ref (cache);
      self->user_id = g_strdup (signpost_record_get_id (SIGNPOST_RECORD (user)));
      self->show_practice = self->practice_id == NULL && practices != NULL &&
                            g_list_model_get_n_items (practices) > 1;
      g_signal_connect_object (cache, "records-changed", G_CALLBACK (on_records_changed), self,
                               G_CONNECT_SWAPPED);
      if (gtk_widget_get_mapped (GTK_WIDGET (self)))
        ensure_model (self);
    }
  update_empty_page (self);
  update_summary (self);
}

static void
on_session_changed (SignpostRequestsPage *self)
{
  SignpostCache *cache = self->actions ? signpost_actions_get_cache (self->actions) : NULL;
  SignpostUser *user = self->actions ? signpost_actions_get_user (self->actions) : NULL;

  if (cache == self->cache && user != NULL &&
      g_strcmp0 (self->user_id, signpost_record_get_id (SIGNPOST_RECORD (user))) == 0 &&
      g_strcmp0 (self->practice_id, signpost_actions_get_practice_id (self->actions)) == 0)
    return;
  rebuild (self);
}

/* ---- GObject ------------------------------------------------------------------------------ */

static void
signpost_requests_page_get_property (GObject    *object,
                                     guint       prop_id,
                                     GValue     *value,
                                     GParamSpec *pspec)
{
  SignpostRequestsPage *self = SIGNPOST_REQUESTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_ACTIONS:
      g_value_set_object (value, self->actions);
      break;
    case PROP_N_ATTENTION:
      g_value_set_uint (value, self->n_attention);
      break;
    case PROP_UNMATCHED_ONLY:
      g_value_set_boolean (value, self->unmatched_only);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_requests_page_set_property (GObject      *object,
                                     guint         prop_id,
                                     const GValue *value,
                                     GParamSpec   *pspec)
{
  SignpostRequestsPage *self = SIGNPOST_REQUESTS_PAGE (object);

  switch (prop_id)
    {
    case PROP_ACTIONS:
      signpost_requests_page_set_actions (self, g_value_get_object (value));
      break;
    case PROP_UNMATCHED_ONLY:
      set_unmatched_only (self, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
signpost_requests_page_dispose (GObject *object)
{
  SignpostRequestsPage *self = SIGNPOST_REQUESTS_PAGE (object);

  g_clear_handle_id (&self->tick_source, g_source_remove);
  g_clear_handle_id (&self->focus_source, g_source_remove);
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  if (self->list_view != NULL)
    clear_models (self);
  g_clear_object (&self->actions);
  gtk_widget_dispose_template (GTK_WIDGET (self), SIGNPOST_TYPE_REQUESTS_PAGE);
  g_clear_pointer (&self->rows, g_hash_table_unref);

  G_OBJECT_CLASS (signpost_requests_page_parent_class)->dispose (object);
}

static void
signpost_requests_page_class_init (SignpostRequestsPageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = signpost_requests_page_get_property;
  object_class->set_property = signpost_requests_page_set_property;
  object_class->dispose = signpost_requests_page_dispose;
  widget_class->grab_focus = signpost_requests_page_grab_focus;

  properties[PROP_ACTIONS] =
    g_param_spec_object ("actions", NULL, NULL, SIGNPOST_TYPE_ACTIONS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ATTENTION] =
    g_param_spec_uint ("n-attention", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_UNMATCHED_ONLY] =
    g_param_spec_boolean ("unmatched-only", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/io/github/signpost/Signpost/signpost-requests-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestsPage, summary_label);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestsPage, channel_dropdown);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestsPage, list_stack);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestsPage, list_view);
  gtk_widget_class_bind_template_child (widget_class, SignpostRequestsPage, empty_page);
  gtk_widget_class_bind_template_callback (widget_class, on_channel_changed);

  gtk_widget_class_install_action (widget_class, "requests.open", NULL, open_action);
  gtk_widget_class_install_action (widget_class, "requests.match", NULL, match_action);
  gtk_widget_class_install_property_action (widget_class, "requests.unmatched-only", "unmatched-only");
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_m, GDK_CONTROL_MASK, "requests.match", NULL);
}

static void
signpost_requests_page_init (SignpostRequestsPage *self)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_hash_table_new (NULL, NULL);
  g_signal_connect (factory, "setup", G_CALLBACK (setup_row), self);
  g_signal_connect (factory, "bind", G_CALLBACK (bind_row), self);
  g_signal_connect (factory, "unbind", G_CALLBACK (unbind_row), self);
  gtk_list_view_set_factory (self->list_view, factory);
  g_object_unref (factory);
  g_signal_connect_object (self->list_view, "activate", G_CALLBACK (on_activate), self, 0);
  g_signal_connect_object (self, "map", G_CALLBACK (on_mapped), self, G_CONNECT_SWAPPED);
  self->tick_source = g_timeout_add_seconds (TICK_SECONDS, tick, self);
  update_empty_page (self);
  update_summary (self);
}

/* ---- public API ------------------------------------------------------------------------------ */

void
signpost_requests_page_set_actions (SignpostRequestsPage *self,
                                    SignpostActions      *actions)
{
  g_return_if_fail (SIGNPOST_IS_REQUESTS_PAGE (self));

  if (self->actions == actions)
    return;
  if (self->actions != NULL)
    g_signal_handlers_disconnect_by_data (self->actions, self);
  g_set_object (&self->actions, actions);
  if (actions != NULL)
    {
      g_signal_connect_object (actions, "notify::cache", G_CALLBACK (on_session_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (actions, "notify::user", G_CALLBACK (on_session_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (actions, "notify::practice-id", G_CALLBACK (on_session_changed), self,
                               G_CONNECT_SWAPPED);
    }
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ACTIONS]);
}

GListModel *
signpost_requests_page_get_model (SignpostRequestsPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUESTS_PAGE (self), NULL);
  ensure_model (self);
  return self->filtered ? G_LIST_MODEL (self->filtered) : NULL;
}

guint
signpost_requests_page_get_n_attention (SignpostRequestsPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUESTS_PAGE (self), 0);
  return self->n_attention;
}

const char *
signpost_requests_page_get_summary (SignpostRequestsPage *self)
{
  g_return_val_if_fail (SIGNPOST_IS_REQUESTS_PAGE (self), NULL);
  return gtk_label_get_text (self->summary_label);
}

void
signpost_requests_page_set_source (SignpostRequestsPage *self,
                                   int                   source)
{
  g_return_if_fail (SIGNPOST_IS_REQUESTS_PAGE (self));

  for (guint i = 0; i < G_N_ELEMENTS (channel_sources); i++)
    if (channel_sources[i] == source)
      gtk_drop_down_set_selected (self->channel_dropdown, i);
}
