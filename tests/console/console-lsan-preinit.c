/* SPDX-License-Identifier: GPL-3.0-or-later */
/*
 * Linked into each display test program. In a sanitizer build, the
 * allocations the shared libraries make in their constructors, before
 * main(), are not counted as leaks: GLib leaks its first quark block by
 * design once a GTK program has grown the table, and the distribution's
 * GLib has no frame pointers, so with the fast unwinder the report names
 * no frame a suppression could match. Everything from main() on is
 * checked as usual, with the fast unwinder (the slow one made the display
 * suite five times slower).
 *
 * The executable's .preinit_array runs before any shared library's
 * constructor (after the sanitizer's own, which GCC puts first), and the
 * executable's constructors run after all of theirs.
 */
#include "config.h"

#if defined(__SANITIZE_ADDRESS__)
#include <sanitizer/lsan_interface.h>

static void
ignore_library_constructors (int    argc,
                             char **argv,
                             char **envp)
{
  (void) argc;
  (void) argv;
  (void) envp;
  __lsan_disable ();
}

__attribute__ ((section (".preinit_array"), used))
static void (*const console_lsan_preinit) (int, char **, char **) = ignore_library_constructors;

__attribute__ ((constructor))
static void
check_from_main (void)
{
  __lsan_enable ();
}
#endif
