/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include <adwaita.h>

#include "signpost-sync.h"

G_BEGIN_DECLS

#define SIGNPOST_TYPE_FAILED_CONTACTS (signpost_failed_contacts_get_type ())
G_DECLARE_FINAL_TYPE (SignpostFailedContacts, signpost_failed_contacts, SIGNPOST, FAILED_CONTACTS, AdwBin)

/* The failed contacts to follow up: callbacks that found nobody at their
 * second try. Each says who, the number, the tries and their times, the
 * urgency, what the failed-contact policy says to do next, and takes the
 * follow-up done ("Record Follow-up"), which takes it off the list. */
SignpostFailedContacts *signpost_failed_contacts_new          (void);
void                    signpost_failed_contacts_set_actions  (SignpostFailedContacts *self,
                                                               SignpostActions        *actions);
void                    signpost_failed_contacts_set_practice_id (SignpostFailedContacts *self,
                                                               const char             *practice_id);
GListModel             *signpost_failed_contacts_get_model    (SignpostFailedContacts *self);
guint                   signpost_failed_contacts_get_n_items  (SignpostFailedContacts *self);
/* The row's words, as shown (tests and the queue page's figures). */
char                   *signpost_failed_contacts_describe     (SignpostFailedContacts *self,
                                                               guint                   position);
void                    signpost_failed_contacts_record       (SignpostFailedContacts *self,
                                                               const char             *call_id,
                                                               SignpostFollowUp        follow_up);

G_END_DECLS
