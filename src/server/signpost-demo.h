/* SPDX-License-Identifier: GPL-3.0-or-later */
#pragma once

#include "signpost-store.h"

G_BEGIN_DECLS

#define SIGNPOST_DEMO_PASSWORD "demo-password"
#define SIGNPOST_DEMO_LINE_SECRET "demo-line-secret"
#define SIGNPOST_DEMO_SEED 20261123
/* --practices: the standard demo's two, and at most as many as there are
 * drama numbers for their lines (020 7946 0001 to 0099). */
#define SIGNPOST_DEMO_DEFAULT_PRACTICES 2
#define SIGNPOST_DEMO_MAX_PRACTICES 99

/* The demo practices' lines (020 7946 0001 and 0002, an Ofcom drama range). */
#define SIGNPOST_DEMO_LINE_1 "+442079460001"
#define SIGNPOST_DEMO_LINE_2 "+442079460002"

gboolean  signpost_demo_is_seeded          (SignpostStore  *store,
                                            GError        **error);
gboolean  signpost_demo_seed               (SignpostStore  *store,
                                            double          scale,
                                            GDateTime      *now,
                                            GError        **error);
gboolean  signpost_demo_seed_practices     (SignpostStore  *store,
                                            guint           n_practices,
                                            double          scale,
                                            GDateTime      *now,
                                            GError        **error);
char     *signpost_demo_describe           (void);
gboolean  signpost_demo_open_now           (SignpostStore  *store,
                                            GDateTime      *now,
                                            GError        **error);
char     *signpost_demo_describe_practices (guint           n_practices);

G_END_DECLS
