/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-cache.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_RECORD_LIST (signpost_record_list_get_type ())
G_DECLARE_DERIVABLE_TYPE (SignpostRecordList, signpost_record_list, SIGNPOST, RECORD_LIST, GObject)

/**
 * SignpostRecordListClass:
 * @load: every record that belongs, in order (a cache query), or NULL with
 *   @error set when the query failed (the list keeps its rows and sets
 *   :error). Required.
 * @filter: whether one record belongs. With @filter and @compare set, each
 *   change from the cache is applied where it lands: one items-changed per
 *   row that moved, appeared, changed or went. Without them, the list is
 *   loaded again and compared with what it held (still exact, but a query
 *   per batch: right for a search, wrong for a busy queue).
 * @compare: the order @load returns. Ties are broken by id.
 * @other_changed: a record of another kind changed (e.g. an appointment
 *   for the diary's slots); call signpost_record_list_item_changed() for
 *   the rows it touches.
 *
 * The base of the cache's GListModels: a list of records of one kind that
 * follows the cache. Items are SignpostRecord subclasses owned by the
 * list; an item that changes keeps its identity (properties notify) and
 * its row gets items-changed (position, 1, 1). Adding a filtered list for a
 * page is a subclass with these three functions.
 */
struct _SignpostRecordListClass
{
  GObjectClass parent_class;

  GPtrArray *(*load)          (SignpostRecordList *self,
                               SignpostCache      *cache,
                               GError            **error);
  gboolean   (*filter)        (SignpostRecordList *self,
                               SignpostRecord     *record);
  int        (*compare)       (SignpostRecordList *self,
                               SignpostRecord     *a,
                               SignpostRecord     *b);
  void       (*other_changed) (SignpostRecordList *self,
                               SignpostRecord     *record);

  /*< private >*/
  gpointer padding[8];
};

SignpostCache      *signpost_record_list_get_cache     (SignpostRecordList *self);
SignpostRecordKind  signpost_record_list_get_kind      (SignpostRecordList *self);
void                signpost_record_list_reload        (SignpostRecordList *self);
gpointer            signpost_record_list_lookup        (SignpostRecordList *self,
                                                        const char         *id);
gboolean            signpost_record_list_find          (SignpostRecordList *self,
                                                        const char         *id,
                                                        guint              *position);
void                signpost_record_list_item_changed  (SignpostRecordList *self,
                                                        const char         *id);
const GError       *signpost_record_list_get_error     (SignpostRecordList *self);

G_END_DECLS
