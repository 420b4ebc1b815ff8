/* crash-process.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* A writer process that test-crash reads line by line and kills. */
typedef struct _CrashProcess CrashProcess;

/* Called on the default main context for every complete line the process
 * printed; a line is only complete once its newline arrived. */
typedef void (*CrashLineFunc) (CrashProcess *process,
                               const char   *line,
                               gpointer      user_data);

CrashProcess *crash_process_spawn        (const char * const  *argv,
                                          CrashLineFunc        line_func,
                                          gpointer             user_data,
                                          GError             **error);
void          crash_process_kill_after   (CrashProcess        *self,
                                          guint                milliseconds);
gboolean      crash_process_wait_killed  (CrashProcess        *self,
                                          GError             **error);
GPtrArray    *crash_process_get_lines    (CrashProcess        *self);
void          crash_process_free         (CrashProcess        *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrashProcess, crash_process_free)

G_END_DECLS
