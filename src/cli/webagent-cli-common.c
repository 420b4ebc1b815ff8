/* webagent-cli-common.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "webagent-cli"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include <sys/stat.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "wa-siem-outbox.h"
#include "webagent-cli.h"

#include "wa-kdf.h"

G_DEFINE_QUARK (wa-cli-error-quark, wa_cli_error)

/**
 * wa_cli_exit_code_for_error:
 *
 * The one place that decides the exit status of a failed command:
 * 1 when the operation ran and failed (wrong password, tampered record,
 * I/O), 2 when the command line or its input was wrong, 3 when a policy
 * refused the operation.
 */
WaCliExit
wa_cli_exit_code_for_error (const GError *error)
{
  if (error == NULL)
    return WA_CLI_EXIT_OK;

  if (error->domain == WA_CLI_ERROR)
    {
      switch ((WaCliError) error->code)
        {
        case WA_CLI_ERROR_USAGE :
        case WA_CLI_ERROR_INPUT :
          return WA_CLI_EXIT_USAGE;

        case WA_CLI_ERROR_POLICY :
          return WA_CLI_EXIT_POLICY;

        case WA_CLI_ERROR_FAILED :
        default :
          return WA_CLI_EXIT_FAILED;
        }
    }

  if (error->domain == G_OPTION_ERROR)
    return WA_CLI_EXIT_USAGE;

  if (error->domain == WA_PROFILE_ERROR)
    {
      switch ((WaProfileError) error->code)
        {
        case WA_PROFILE_ERROR_BACKOFF :
          return WA_CLI_EXIT_POLICY;

        case WA_PROFILE_ERROR_WEAK_PASSWORD :
        case WA_PROFILE_ERROR_NEED_SECRET_KEY :
          return WA_CLI_EXIT_USAGE;

        case WA_PROFILE_ERROR_EXISTS :
        case WA_PROFILE_ERROR_NOT_FOUND :
        case WA_PROFILE_ERROR_CORRUPT :
        case WA_PROFILE_ERROR_WRONG_PASSWORD :
        case WA_PROFILE_ERROR_WRONG_SECRET_KEY :
        case WA_PROFILE_ERROR_LOCKED :
        case WA_PROFILE_ERROR_IO :
        case WA_PROFILE_ERROR_AUDIT :
        default :
          return WA_CLI_EXIT_FAILED;
        }
    }

  if (g_error_matches (error, WA_KDF_ERROR, WA_KDF_ERROR_BAD_SECRET_KEY))
    return WA_CLI_EXIT_USAGE;

  if (g_error_matches (error, WA_VAULT_ERROR, WA_VAULT_ERROR_INVALID_INPUT) ||
      g_error_matches (error, WA_SIEM_OUTBOX_ERROR, WA_SIEM_OUTBOX_ERROR_INVALID) ||
      g_error_matches (error, WA_SIEM_OUTBOX_ERROR, WA_SIEM_OUTBOX_ERROR_EXISTS))
    return WA_CLI_EXIT_USAGE;

  return WA_CLI_EXIT_FAILED;
}

/* Options ------------------------------------------------------------------ */

/**
 * wa_cli_option_context_new:
 * @command: the full command, such as "vault put"
 * @parameters: (nullable): the positional arguments, for the usage line
 * @summary: (nullable): a translated paragraph shown by `--help`
 * @entries: (nullable): the command's options
 */
GOptionContext *
wa_cli_option_context_new (const char         *command,
                           const char         *parameters,
                           const char         *summary,
                           const GOptionEntry *entries)
{
  g_autofree char *prgname = g_strdup_printf ("webagent-cli %s", command);
  GOptionContext *context;

  /* GOption prints the program name in its usage line. */
  g_set_prgname (prgname);

  context = g_option_context_new (parameters);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (summary != NULL)
    g_option_context_set_summary (context, summary);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  return context;
}

gboolean
wa_cli_parse_options (GOptionContext   *context,
                      const char       *command,
                      int              *argc,
                      char           ***argv,
                      GError          **error)
{
  g_autoptr(GError) local_error = NULL;

  if (!g_option_context_parse (context, argc, argv, &local_error))
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("%s; run “webagent-cli %s --help” to see the options"),
                   local_error->message, command);
      return FALSE;
    }

  return TRUE;
}

/**
 * wa_cli_check_arguments:
 * @argc: the argument count left after option parsing, the command name
 *   included
 * @argv: the arguments left after option parsing
 * @expected: how many positional arguments the command takes
 * @what: (nullable): what the first missing argument is, for the message
 */
gboolean
wa_cli_check_arguments (const char  *command,
                        int          argc,
                        char       **argv,
                        int          expected,
                        const char  *what,
                        GError     **error)
{
  /* A negative count takes any number of arguments. */
  if (expected < 0)
    return TRUE;

  if (argc - 1 < expected)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("Missing %s; run “webagent-cli %s --help” to see the usage"),
                   what, command);
      return FALSE;
    }

  if (argc - 1 > expected)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("Unexpected argument “%s”; run “webagent-cli %s --help” to see the usage"),
                   argv[expected + 1], command);
      return FALSE;
    }

  return TRUE;
}

gboolean
wa_cli_require_profile (const char  *command,
                        const char  *profile_dir,
                        GError     **error)
{
  if (profile_dir == NULL || *profile_dir == '\0')
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("The --profile option is required; give the profile folder, as in “webagent-cli %s --profile DIR”"),
                   command);
      return FALSE;
    }

  return TRUE;
}

/**
 * wa_cli_parse_profile_command:
 * @profile_dir: the value of `--profile`, after parsing
 *
 * Parses the options of a command that works on a profile, then checks its
 * positional arguments and that `--profile` was given: the three steps
 * every such command starts with.
 */
gboolean
wa_cli_parse_profile_command (GOptionContext   *context,
                              const char       *command,
                              int              *argc,
                              char           ***argv,
                              int               expected,
                              const char       *what,
                              char            **profile_dir,
                              GError          **error)
{
  return wa_cli_parse_options (context, command, argc, argv, error) &&
         wa_cli_check_arguments (command, *argc, *argv, expected, what, error) &&
         wa_cli_require_profile (command, *profile_dir, error);
}

/**
 * wa_cli_printable:
 *
 * Returns: (transfer full): @text made safe for a terminal: valid UTF-8,
 *   with control characters (such as the escape that starts a terminal
 *   command) shown as “?”.  Text read from a vault that someone else could
 *   have written goes through this before it is printed.
 */
char *
wa_cli_printable (const char *text)
{
  g_autofree char *valid = g_utf8_make_valid (text != NULL ? text : "", -1);
  GString *printable = g_string_sized_new (strlen (valid));

  /* C0 and C1 controls and DEL could drive the terminal. */
  for (const char *p = valid; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c < 0x20 || (c >= 0x7f && c <= 0x9f))
        g_string_append_c (printable, '?');
      else
        g_string_append_unichar (printable, c);
    }

  return g_string_free (printable, FALSE);
}

/* Profiles ----------------------------------------------------------------- */

WaProfile *
wa_cli_open_profile (const char  *directory,
                     GError     **error)
{
  return wa_profile_open (directory, error);
}

/**
 * wa_cli_unlock_profile:
 * @password_file: (nullable): where to read the password, `-` for a line of
 *   standard input, or %NULL to ask on the terminal
 * @secret_key_file: (nullable): where to read the Secret Key, or %NULL to
 *   use this device's copy
 * @password_out: (out) (optional): the password that unlocked the profile
 *
 * Unlocks @profile.  Every check that needs no password runs before the
 * password is asked for.  When both come from standard input, the Secret
 * Key is its first line and the password its second.
 */
gboolean
wa_cli_unlock_profile (WaProfile      *profile,
                       const char     *password_file,
                       const char     *secret_key_file,
                       WaSecureBytes **password_out,
                       GError        **error)
{
  g_autoptr(WaSecureBytes) secret_key = NULL;
  g_autoptr(WaSecureBytes) password = NULL;
  g_autofree char *prompt = NULL;
  gint64 remaining;

  /* At most WA_PROFILE_MAX_BACKOFF seconds, so it fits an int. */
  remaining = wa_profile_get_backoff_remaining (profile);
  if (remaining > 0)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_POLICY,
                   g_dngettext (GETTEXT_PACKAGE,
                                "Too many failed unlock attempts (%u); wait %d second and try again",
                                "Too many failed unlock attempts (%u); wait %d seconds and try again",
                                remaining),
                   wa_profile_get_failed_attempts (profile), (int) remaining);
      return FALSE;
    }

  if (secret_key_file != NULL)
    {
      secret_key = wa_cli_read_secret_key_file (secret_key_file, error);
      if (secret_key == NULL)
        return FALSE;
    }
  else if (!wa_profile_has_device_secret_key (profile))
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("This device keeps no copy of the profile’s Secret Key; give it with --secret-key-file FILE, from the emergency kit"));
      return FALSE;
    }

  prompt = g_strdup_printf (_("Password for profile %s: "), wa_profile_get_directory (profile));
  password = wa_cli_read_password (password_file, prompt, error);
  if (password == NULL)
    return FALSE;

  if (!wa_profile_unlock (profile,
                          wa_cli_secret_text (password),
                          secret_key != NULL ? wa_cli_secret_text (secret_key) : NULL,
                          error))
    return FALSE;

  if (password_out != NULL)
    *password_out = g_steal_pointer (&password);

  return TRUE;
}

/**
 * wa_cli_open_and_unlock_profile:
 *
 * Opens the profile in @directory and unlocks it with
 * wa_cli_unlock_profile().
 */
WaProfile *
wa_cli_open_and_unlock_profile (const char  *directory,
                                const char  *password_file,
                                const char  *secret_key_file,
                                GError     **error)
{
  g_autoptr(WaProfile) profile = NULL;

  profile = wa_cli_open_profile (directory, error);
  if (profile == NULL)
    return NULL;

  if (!wa_cli_unlock_profile (profile, password_file, secret_key_file, NULL, error))
    return NULL;

  return g_steal_pointer (&profile);
}

/* Input and output ------------------------------------------------------------ */

typedef struct
{
  guint8 *data;
  gsize   capacity;
} InputBuffer;

static void
input_buffer_free (gpointer user_data)
{
  InputBuffer *buffer = user_data;

  sodium_memzero (buffer->data, buffer->capacity);
  g_free (buffer->data);
  g_free (buffer);
}

/**
 * wa_cli_read_fd:
 * @fd: an open file descriptor; it is not closed
 * @size_hint: the expected size, or 0
 *
 * Reads @fd to its end.  The data may be secret, so the buffer grows by
 * copying into a new one and wiping the old, never by realloc(), which
 * could leave copies in freed memory; and the returned #GBytes wipes its
 * buffer when it is freed.
 *
 * Returns: (transfer full): the data, or %NULL with errno set.
 */
GBytes *
wa_cli_read_fd (int   fd,
                gsize size_hint)
{
  gsize capacity = MAX (size_hint + 1, 4096);
  guint8 *data = g_malloc (capacity);
  InputBuffer *buffer;
  gsize len = 0;

  for (;;)
    {
      gssize n;

      if (len == capacity)
        {
          guint8 *larger = g_malloc (capacity * 2);

          memcpy (larger, data, len);
          sodium_memzero (data, capacity);
          g_free (data);
          data = larger;
          capacity *= 2;
        }

      n = read (fd, data + len, capacity - len);
      if (n < 0 && errno == EINTR)
        continue;

      if (n < 0)
        {
          int saved_errno = errno;

          sodium_memzero (data, capacity);
          g_free (data);
          errno = saved_errno;
          return NULL;
        }

      if (n == 0)
        break;

      len += n;
    }

  /* The whole buffer is wiped when the GBytes is freed. */
  buffer = g_new0 (InputBuffer, 1);
  buffer->data = data;
  buffer->capacity = capacity;

  return g_bytes_new_with_free_func (data, len, input_buffer_free, buffer);
}

/**
 * wa_cli_read_input_file:
 * @file: a path, or `-` for standard input
 *
 * Reads a whole input file.  The data may be secret, so the caller wipes
 * it with wa_cli_wipe_bytes() when done.
 */
GBytes *
wa_cli_read_input_file (const char  *file,
                        GError     **error)
{
  GBytes *bytes;
  struct stat st;
  int saved_errno;
  int fd;

  if (g_strcmp0 (file, "-") == 0)
    {
      bytes = wa_cli_read_fd (STDIN_FILENO, 0);
      if (bytes == NULL)
        {
          saved_errno = errno;
          g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                       _("Could not read standard input: %s"), g_strerror (saved_errno));
        }
      return bytes;
    }

  fd = open (file, O_RDONLY | O_CLOEXEC);
  if (fd < 0)
    {
      saved_errno = errno;
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                   _("Could not read the input file %s: %s; check the path and its permissions"),
                   file, g_strerror (saved_errno));
      return NULL;
    }

  if (fstat (fd, &st) != 0 || !S_ISREG (st.st_mode))
    st.st_size = 0;
  bytes = wa_cli_read_fd (fd, st.st_size);
  saved_errno = errno;
  close (fd);

  if (bytes == NULL)
    g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                 _("Could not read the input file %s: %s; check the path and its permissions"),
                 file, g_strerror (saved_errno));

  return bytes;
}

/**
 * wa_cli_wipe_bytes:
 *
 * Overwrites the contents of @bytes with zeros.  Only for #GBytes over heap
 * memory this program allocated (files it read, data it decrypted).
 */
void
wa_cli_wipe_bytes (GBytes *bytes)
{
  gsize len = 0;
  gconstpointer data;

  if (bytes == NULL)
    return;

  data = g_bytes_get_data (bytes, &len);
  if (data != NULL && len > 0)
    sodium_memzero ((gpointer) data, len);
}

/**
 * wa_cli_write_stdout:
 *
 * Writes straight to the file descriptor, past stdio's buffer, so that no
 * copy of secret output lingers in a buffer this program cannot wipe.
 */
gboolean
wa_cli_write_stdout (const void  *data,
                     gsize        len,
                     GError     **error)
{
  const guint8 *p = data;

  fflush (stdout);

  while (len > 0)
    {
      gssize n = write (STDOUT_FILENO, p, len);

      if (n < 0 && errno == EINTR)
        continue;

      if (n < 0)
        {
          int saved_errno = errno;

          g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_FAILED,
                       _("Could not write to standard output: %s"), g_strerror (saved_errno));
          return FALSE;
        }

      p += n;
      len -= n;
    }

  return TRUE;
}

/**
 * wa_cli_print_json:
 *
 * Prints @node as pretty JSON and a newline, then wipes the text, which
 * may hold a secret.
 */
gboolean
wa_cli_print_json (JsonNode  *node,
                   GError   **error)
{
  g_autoptr(JsonGenerator) generator = json_generator_new ();
  g_autoptr(GString) text = NULL;
  gboolean ret;

  json_generator_set_root (generator, node);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_gstring (generator, g_string_new (NULL));
  g_string_append_c (text, '\n');

  ret = wa_cli_write_stdout (text->str, text->len, error);
  sodium_memzero (text->str, text->len);

  return ret;
}

/**
 * wa_cli_format_time:
 * @usec: microseconds since the epoch
 *
 * Returns: (transfer full): the time in RFC 3339 form, in UTC.
 */
char *
wa_cli_format_time (gint64 usec)
{
  g_autoptr(GDateTime) time = g_date_time_new_from_unix_utc (usec / G_USEC_PER_SEC);

  if (time == NULL)
    return g_strdup ("-");

  return g_date_time_format (time, "%Y-%m-%dT%H:%M:%SZ");
}

/* Command groups -------------------------------------------------------------- */

static void
print_group_usage (FILE               *stream,
                   const char         *group,
                   const char         *summary,
                   const WaCliCommand *commands,
                   guint               n_commands)
{
  g_autoptr(GString) text = g_string_new (NULL);
  int width = 0;

  for (guint i = 0; i < n_commands; i++)
    width = MAX (width, (int) strlen (commands[i].name));

  g_string_append_printf (text, "%s\n  webagent-cli %s %s\n\n", _("Usage:"), group, _("COMMAND [OPTION…]"));
  g_string_append_printf (text, "%s\n\n", summary);
  g_string_append_printf (text, "%s\n", _("Commands:"));
  for (guint i = 0; i < n_commands; i++)
    g_string_append_printf (text, "  %-*s  %s\n", width, commands[i].name, _(commands[i].summary));
  g_string_append_printf (text, "\n");
  g_string_append_printf (text, _("Run “webagent-cli %s COMMAND --help” for a command’s options."), group);
  g_string_append_c (text, '\n');

  fputs (text->str, stream);
}

/**
 * wa_cli_run_group:
 * @group: the group's name, such as “vault”
 * @summary: what the group does, translated
 *
 * Runs the subcommand of a group named by argv[1], or prints the group's
 * usage.
 */
gboolean
wa_cli_run_group (const char          *group,
                  const char          *summary,
                  const WaCliCommand  *commands,
                  guint                n_commands,
                  int                  argc,
                  char               **argv,
                  GError             **error)
{
  const char *name;

  if (argc < 2)
    {
      print_group_usage (stderr, group, summary, commands, n_commands);
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("No %s command given; choose one of the commands above"), group);
      return FALSE;
    }

  name = argv[1];
  if (g_strcmp0 (name, "--help") == 0 || g_strcmp0 (name, "-h") == 0 || g_strcmp0 (name, "-?") == 0)
    {
      print_group_usage (stdout, group, summary, commands, n_commands);
      return TRUE;
    }

  for (guint i = 0; i < n_commands; i++)
    {
      if (g_strcmp0 (commands[i].name, name) == 0)
        return commands[i].func (argc - 1, argv + 1, error);
    }

  g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
               _("Unknown %s command “%s”; run “webagent-cli %s --help” to see the commands"), group, name, group);

  return FALSE;
}
