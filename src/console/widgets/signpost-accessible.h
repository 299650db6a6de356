/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* What a screen reader hears, where GTK 4.8 and libadwaita 1.2 get it
 * wrong on their own. */
void  signpost_accessible_init             (void);

char *signpost_accessible_strip_mnemonic   (const char  *label);

void  signpost_accessible_name_drop_down   (GtkDropDown *drop_down,
                                            const char  *name);

void  signpost_accessible_label_list_item  (GtkListItem *item,
                                            const char  *label);
void  signpost_accessible_label_row_of     (GtkWidget   *child,
                                            const char  *label);
void  signpost_accessible_name_column_view (GtkColumnView *view,
                                            const char    *name);

void  signpost_accessible_tab_leaves       (GtkWidget   *list);

gboolean signpost_accessible_page_focus   (GtkWidget        *page,
                                          GtkDirectionType  direction);

G_END_DECLS
