/* bench-common.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Seconds on the monotonic clock. */
double      bench_now              (void);

/* The median of @samples (an array of double), which it sorts. */
double      bench_median           (GArray      *samples);

/* Prints the machine, the libraries and the build, so that every table
 * says where its numbers come from. */
void        bench_print_header     (const char  *title);

/* Prints the load average, since other work on the machine skews every
 * number here. */
void        bench_print_load       (const char  *when);

/* What kind of filesystem @path is on ("ext4", "tmpfs", ...). */
const char *bench_filesystem_name  (const char  *path);

char       *bench_make_temp_dir    (const char  *parent,
                                    GError     **error);
void        bench_remove_tree      (const char  *path);

/* "met" or "MISSED", for a ratio against a target. */
const char *bench_verdict          (double       ratio,
                                    double       target);

G_END_DECLS
