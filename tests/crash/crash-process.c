/* crash-process.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "crash-process.h"

#include <signal.h>
#include <string.h>

/* A writer that neither prints nor dies for this long is stuck; the test
 * kills it and fails rather than waiting for meson's timeout. */
#define GUARD_SECONDS 120

struct _CrashProcess
{
  GSubprocess   *subprocess;
  GInputStream  *output;
  GString       *partial;
  GPtrArray     *lines;
  CrashLineFunc  line_func;
  gpointer       user_data;
  guint          kill_source;
  gint64         kill_at;
  guint          guard_source;
  gboolean       killed;
  gboolean       timed_out;
  gboolean       eof;
  GError        *read_error;
  guint8         buffer[4096];
};

static void start_read (CrashProcess *self);

static void
read_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  CrashProcess *self = user_data;
  g_autoptr(GError) error = NULL;
  const char *newline;
  gssize n;

  n = g_input_stream_read_finish (G_INPUT_STREAM (object), result, &error);
  if (n <= 0)
    {
      /* Whatever is left in @partial had no newline yet: the writer was
       * killed before it finished acknowledging, so it does not count. */
      if (n < 0)
        g_propagate_error (&self->read_error, g_steal_pointer (&error));
      self->eof = TRUE;
      return;
    }

  g_string_append_len (self->partial, (const char *) self->buffer, n);
  while ((newline = memchr (self->partial->str, '\n', self->partial->len)) != NULL)
    {
      gsize len = newline - self->partial->str;
      char *line = g_strndup (self->partial->str, len);

      g_string_erase (self->partial, 0, len + 1);
      g_ptr_array_add (self->lines, line);
      if (self->line_func != NULL)
        self->line_func (self, line, self->user_data);
    }

  start_read (self);
}

static void
start_read (CrashProcess *self)
{
  g_input_stream_read_async (self->output, self->buffer, sizeof self->buffer,
                             G_PRIORITY_DEFAULT, NULL, read_cb, self);
}

static gboolean
guard_cb (gpointer user_data)
{
  CrashProcess *self = user_data;

  self->guard_source = 0;
  self->timed_out = TRUE;
  g_subprocess_force_exit (self->subprocess);

  return G_SOURCE_REMOVE;
}

/**
 * crash_process_spawn:
 * @line_func: (nullable): called for each line as it arrives
 *
 * Starts @argv with its stdout on a pipe; its stderr goes to the test's
 * own, so whatever it complains about ends up in the test log.
 */
CrashProcess *
crash_process_spawn (const char * const  *argv,
                     CrashLineFunc        line_func,
                     gpointer             user_data,
                     GError             **error)
{
  g_autoptr(GSubprocess) subprocess = NULL;
  CrashProcess *self;

  subprocess = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDOUT_PIPE, error);
  if (subprocess == NULL)
    return NULL;

  self = g_new0 (CrashProcess, 1);
  self->subprocess = g_steal_pointer (&subprocess);
  self->output = g_object_ref (g_subprocess_get_stdout_pipe (self->subprocess));
  self->partial = g_string_new (NULL);
  self->lines = g_ptr_array_new_with_free_func (g_free);
  self->line_func = line_func;
  self->user_data = user_data;
  self->guard_source = g_timeout_add_seconds (GUARD_SECONDS, guard_cb, self);
  start_read (self);

  return self;
}

static gboolean
kill_cb (gpointer user_data)
{
  CrashProcess *self = user_data;

  self->kill_source = 0;
  self->killed = TRUE;
  g_subprocess_force_exit (self->subprocess);

  return G_SOURCE_REMOVE;
}

/**
 * crash_process_kill_after:
 *
 * Sends SIGKILL after @milliseconds, unless a kill is due sooner already.
 */
void
crash_process_kill_after (CrashProcess *self,
                          guint         milliseconds)
{
  gint64 kill_at;

  g_return_if_fail (self != NULL);

  kill_at = g_get_monotonic_time () + (gint64) milliseconds * 1000;
  if (self->killed || (self->kill_source != 0 && self->kill_at <= kill_at))
    return;

  g_clear_handle_id (&self->kill_source, g_source_remove);
  if (milliseconds == 0)
    {
      kill_cb (self);
      return;
    }

  self->kill_at = kill_at;
  self->kill_source = g_timeout_add (milliseconds, kill_cb, self);
}

/**
 * crash_process_wait_killed:
 *
 * Reads the process's output to its end and reaps it.
 *
 * Returns: %TRUE if it died of the SIGKILL that crash_process_kill_after()
 *   sent; %FALSE with @error if it exited or crashed by itself first, or
 *   hung.
 */
gboolean
crash_process_wait_killed (CrashProcess  *self,
                           GError       **error)
{
  g_return_val_if_fail (self != NULL, FALSE);

  while (!self->eof)
    g_main_context_iteration (NULL, TRUE);

  g_clear_handle_id (&self->kill_source, g_source_remove);
  g_clear_handle_id (&self->guard_source, g_source_remove);

  if (!g_subprocess_wait (self->subprocess, NULL, error))
    return FALSE;

  if (self->timed_out)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT,
                   "The writer printed nothing more and did not exit for %d s; it hangs",
                   GUARD_SECONDS);
      return FALSE;
    }

  if (self->read_error != NULL)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "Could not read the writer's output: %s", self->read_error->message);
      return FALSE;
    }

  if (g_subprocess_get_if_signaled (self->subprocess))
    {
      int signum = g_subprocess_get_term_sig (self->subprocess);

      if (self->killed && signum == SIGKILL)
        return TRUE;

      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The writer died of signal %d (%s) before the test killed it; see its messages above",
                   signum, g_strsignal (signum));
      return FALSE;
    }

  g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
               "The writer exited with status %d before the test killed it; see its messages above",
               g_subprocess_get_exit_status (self->subprocess));

  return FALSE;
}

/**
 * crash_process_get_lines:
 *
 * Returns: (transfer none) (element-type utf8): every complete line read.
 */
GPtrArray *
crash_process_get_lines (CrashProcess *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->lines;
}

void
crash_process_free (CrashProcess *self)
{
  if (self == NULL)
    return;

  /* The pending read points into @self, so it must finish first. */
  if (!self->eof)
    {
      g_subprocess_force_exit (self->subprocess);
      while (!self->eof)
        g_main_context_iteration (NULL, TRUE);
      g_subprocess_wait (self->subprocess, NULL, NULL);
    }

  g_clear_handle_id (&self->kill_source, g_source_remove);
  g_clear_handle_id (&self->guard_source, g_source_remove);
  g_clear_error (&self->read_error);
  g_clear_object (&self->output);
  g_clear_object (&self->subprocess);
  g_string_free (self->partial, TRUE);
  g_ptr_array_unref (self->lines);
  g_free (self);
}
