/* cli-fixture.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-test"

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>

#include "cli-fixture.h"

#include "wa-crypto.h"

static const char *cli_path;

/**
 * cli_fixture_init:
 *
 * Initializes the test framework and the crypto library, and finds
 * webagent-cli: its path comes as the first argument (from meson) or in
 * $WEBAGENT_CLI.
 */
void
cli_fixture_init (int    *argc,
                  char ***argv)
{
  g_test_init (argc, argv, NULL);

  cli_path = *argc > 1 ? (*argv)[1] : g_getenv ("WEBAGENT_CLI");
  if (cli_path == NULL || !g_file_test (cli_path, G_FILE_TEST_IS_EXECUTABLE))
    g_error ("Give the path of webagent-cli as the first argument or in $WEBAGENT_CLI");

  g_assert_true (wa_crypto_init (NULL));
}

/* Running the command line ---------------------------------------------------- */

void
cli_result_free (CliResult *result)
{
  g_clear_pointer (&result->out_bytes, g_bytes_unref);
  g_free (result->out);
  g_free (result->err);
  g_free (result);
}

/* A new session has no controlling terminal, so a command that would
 * ask for a password fails at once instead of waiting for a keyboard. */
static void
child_setup (gpointer user_data)
{
  setsid ();
}

static char *
bytes_to_text (GBytes *bytes)
{
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  return g_strndup (data != NULL ? data : "", len);
}

CliResult *
run_cli_argv (GBytes             *input,
              const char * const *args)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GSubprocess) process = NULL;
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) err = NULL;
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GError) error = NULL;
  CliResult *result;

  g_ptr_array_add (argv, (char *) cli_path);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (char *) args[i]);
  g_ptr_array_add (argv, NULL);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                        G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                        G_SUBPROCESS_FLAGS_STDERR_PIPE);
  g_subprocess_launcher_set_child_setup (launcher, child_setup, NULL, NULL);
  /* Untranslated messages, in UTF-8, whatever the machine's locale. */
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "LANGUAGE");
  process = g_subprocess_launcher_spawnv (launcher, (const char * const *) argv->pdata, &error);
  g_assert_no_error (error);

  g_subprocess_communicate (process, input != NULL ? input : empty, NULL, &out, &err, &error);
  g_assert_no_error (error);

  /* A crash is never an acceptable answer, whatever the input. */
  g_assert_true (g_subprocess_get_if_exited (process));

  result = g_new0 (CliResult, 1);
  result->status = g_subprocess_get_exit_status (process);
  result->out_bytes = g_bytes_ref (out);
  result->out = bytes_to_text (out);
  result->err = bytes_to_text (err);

  g_test_message ("webagent-cli %s → %d\nstdout: %s\nstderr: %s",
                  args[0] != NULL ? args[0] : "", result->status,
                  g_utf8_validate (result->out, -1, NULL) ? result->out : "(binary)",
                  result->err);

  return result;
}

CliResult *
run_cli_with_input (GBytes     *input,
                    const char *first,
                    ...)
{
  g_autoptr(GPtrArray) args = g_ptr_array_new ();
  const char *arg;
  va_list ap;

  va_start (ap, first);
  for (arg = first; arg != NULL; arg = va_arg (ap, const char *))
    g_ptr_array_add (args, (char *) arg);
  va_end (ap);
  g_ptr_array_add (args, NULL);

  return run_cli_argv (input, (const char * const *) args->pdata);
}


/* The message a user reads on standard error, checked loosely: its key
 * words, case-insensitively. */
void
assert_message_contains (const char *message,
                         const char *words)
{
  g_autofree char *haystack = g_utf8_strdown (message, -1);
  g_autofree char *needle = g_utf8_strdown (words, -1);

  if (strstr (haystack, needle) == NULL)
    g_error ("Expected “%s” in the message: %s", words, message);
}

void
assert_error_line (CliResult  *result,
                   int         status,
                   const char *words)
{
  g_autofree char *err = g_strchomp (g_strdup (result->err));
  const char *last_line = strrchr (err, '\n') != NULL ? strrchr (err, '\n') + 1 : err;

  /* The error is the last line, in the form every tool uses. */
  g_assert_cmpint (result->status, ==, status);
  g_assert_true (g_str_has_prefix (last_line, "webagent-cli: "));
  assert_message_contains (last_line, words);
}

/* Fixture --------------------------------------------------------------------- */

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir != NULL)
    {
      while ((name = g_dir_read_name (dir)) != NULL)
        {
          g_autofree char *child = g_build_filename (path, name, NULL);

          if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
            remove_tree (child);
          else
            g_assert_cmpint (g_unlink (child), ==, 0);
        }
    }

  g_assert_cmpint (g_rmdir (path), ==, 0);
}

char *
write_temp_file (Fixture    *f,
                 const char *name,
                 const void *data,
                 gssize      len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->tmp, name, NULL);

  g_file_set_contents (path, data, len, &error);
  g_assert_no_error (error);

  return path;
}

void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->tmp = g_dir_make_tmp ("webagent-cli-XXXXXX", &error);
  g_assert_no_error (error);
  f->profile = g_build_filename (f->tmp, "profile", NULL);
  f->password_file = write_temp_file (f, "password", PASSWORD "\n", -1);
}

void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  remove_tree (f->tmp);
  g_free (f->tmp);
  g_free (f->profile);
  g_free (f->password_file);
  g_free (f->secret_key);
}

/* Returns the Secret Key printed on an emergency kit. */
char *
secret_key_from_kit (const char *kit)
{
  g_auto(GStrv) lines = g_strsplit (kit, "\n", -1);

  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (g_str_has_prefix (lines[i], "Secret Key:"))
        return g_strstrip (g_strdup (lines[i] + strlen ("Secret Key:")));
    }

  return NULL;
}

void
init_profile_in (Fixture    *f,
                 const char *directory,
                 char      **secret_key)
{
  g_autoptr(CliResult) result = NULL;

  result = run_cli ("init", "--profile", directory, "--password-file", f->password_file, NULL);
  g_assert_cmpint (result->status, ==, 0);
  *secret_key = secret_key_from_kit (result->out);
  g_assert_nonnull (*secret_key);
}

void
init_profile (Fixture *f)
{
  init_profile_in (f, f->profile, &f->secret_key);
}

/* Stores @data and returns the new record's id. */
char *
put_record (Fixture    *f,
            const char *data,
            const char *scope)
{
  g_autoptr(CliResult) result = NULL;
  g_autofree char *file = write_temp_file (f, "record-data", data, -1);

  if (scope != NULL)
    result = run_cli ("vault", "put", "--profile", f->profile, "--type", "note", "--classification", "SECRET",
                      "--scope", scope, "--password-file", f->password_file, file, NULL);
  else
    result = run_cli ("vault", "put", "--profile", f->profile, "--type", "note", "--classification", "SECRET",
                      "--password-file", f->password_file, file, NULL);
  g_assert_cmpint (result->status, ==, 0);
  g_assert_true (g_uuid_string_is_valid (g_strstrip (result->out)));

  return g_strdup (result->out);
}

GBytes *
read_file_bytes (const char *path)
{
  g_autoptr(GError) error = NULL;
  char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (contents, len);
}

gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize len = 0;
  const guint8 *data = g_bytes_get_data (bytes, &len);
  gsize needle_len = strlen (needle);

  for (gsize i = 0; i + needle_len <= len; i++)
    {
      if (memcmp (data + i, needle, needle_len) == 0)
        return TRUE;
    }

  return FALSE;
}

GBytes *
all_byte_values (void)
{
  guint8 data[256];

  for (guint i = 0; i < sizeof data; i++)
    data[i] = i;

  return g_bytes_new (data, sizeof data);
}
