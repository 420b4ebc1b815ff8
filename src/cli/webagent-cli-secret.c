/* webagent-cli-secret.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "webagent-cli"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>
#include <glib/gi18n.h>
#include <sodium.h>

#include "webagent-cli.h"

/* Passwords and Secret Keys are read into guarded memory (sodium_malloc
 * through WaSecureBytes), NUL-terminated, and every temporary copy is
 * wiped.  Nothing here ever prints or logs what it reads. */

#define MAX_SECRET_LENGTH 4096

/* The terminal state to put back if a signal interrupts a prompt. */
static int tty_fd = -1;
static struct termios tty_saved;

static const int prompt_signals[] = { SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGTSTP };

static void
restore_tty_on_signal (int signum)
{
  /* tcsetattr() and write() are async-signal-safe. */
  if (tty_fd >= 0)
    {
      tcsetattr (tty_fd, TCSAFLUSH, &tty_saved);
      (void) !write (tty_fd, "\n", 1);
    }

  signal (signum, SIG_DFL);
  raise (signum);
}

const char *
wa_cli_secret_text (WaSecureBytes *secret)
{
  return (const char *) wa_secure_bytes_get_data (secret);
}

/* Reads one line from @fd, a byte at a time so that nothing after the
 * line is consumed (standard input may hold more lines, or data).
 * Returns %NULL with errno set on a read error. */
static WaSecureBytes *
read_line_from_fd (int       fd,
                   gboolean *too_long)
{
  g_autoptr(WaSecureBytes) buffer = wa_secure_bytes_new (MAX_SECRET_LENGTH + 1);
  char *text = (char *) wa_secure_bytes_get_data (buffer);
  gsize len = 0;
  char c = 0;

  *too_long = FALSE;

  for (;;)
    {
      gssize n = read (fd, &c, 1);

      if (n < 0 && errno == EINTR)
        continue;
      if (n < 0)
        {
          int saved_errno = errno;

          sodium_memzero (&c, sizeof c);
          errno = saved_errno;
          return NULL;
        }
      if (n == 0 || c == '\n')
        break;

      if (len < MAX_SECRET_LENGTH)
        text[len++] = c;
      else
        *too_long = TRUE;
    }

  sodium_memzero (&c, sizeof c);

  if (len > 0 && text[len - 1] == '\r')
    len--;
  text[len] = '\0';

  return g_steal_pointer (&buffer);
}

/* Asks on the controlling terminal with echo turned off. */
static WaSecureBytes *
prompt_on_tty (const char  *prompt,
               GError     **error)
{
  g_autoptr(WaSecureBytes) line = NULL;
  struct sigaction action = { 0 };
  struct sigaction old_actions[G_N_ELEMENTS (prompt_signals)];
  struct termios quiet;
  gboolean too_long = FALSE;
  int saved_errno = 0;
  int fd;

  fd = open ("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
  if (fd < 0 || tcgetattr (fd, &tty_saved) != 0)
    {
      if (fd >= 0)
        close (fd);
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("There is no terminal to ask for the password on; give it with --password-file FILE (“-” for standard input)"));
      return NULL;
    }

  tty_fd = fd;
  action.sa_handler = restore_tty_on_signal;
  sigemptyset (&action.sa_mask);
  for (guint i = 0; i < G_N_ELEMENTS (prompt_signals); i++)
    sigaction (prompt_signals[i], &action, &old_actions[i]);

  quiet = tty_saved;
  quiet.c_lflag &= ~(ECHO | ECHOE | ECHOK | ECHONL);
  quiet.c_lflag |= ICANON;
  tcsetattr (fd, TCSAFLUSH, &quiet);

  (void) !write (fd, prompt, strlen (prompt));
  line = read_line_from_fd (fd, &too_long);
  saved_errno = errno;
  (void) !write (fd, "\n", 1);

  tcsetattr (fd, TCSAFLUSH, &tty_saved);
  for (guint i = 0; i < G_N_ELEMENTS (prompt_signals); i++)
    sigaction (prompt_signals[i], &old_actions[i], NULL);
  tty_fd = -1;
  close (fd);

  if (line == NULL)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                   _("Could not read the password from the terminal: %s"), g_strerror (saved_errno));
      return NULL;
    }

  if (too_long)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                   _("The password is longer than %d bytes; use a shorter one"), MAX_SECRET_LENGTH);
      return NULL;
    }

  return g_steal_pointer (&line);
}

typedef enum
{
  SECRET_PASSWORD,
  SECRET_KEY,
} SecretKind;

/* Reads the first line of @file, or one line of standard input for `-`. */
static WaSecureBytes *
read_first_line (const char  *file,
                 SecretKind   kind,
                 GError     **error)
{
  g_autoptr(WaSecureBytes) line = NULL;
  const char *name = g_strcmp0 (file, "-") == 0 ? _("standard input") : file;
  gboolean too_long = FALSE;
  int saved_errno = 0;
  int fd;

  if (g_strcmp0 (file, "-") == 0)
    fd = STDIN_FILENO;
  else
    fd = open (file, O_RDONLY | O_CLOEXEC);

  if (fd >= 0)
    {
      line = read_line_from_fd (fd, &too_long);
      saved_errno = errno;
      if (fd != STDIN_FILENO)
        close (fd);
    }
  else
    saved_errno = errno;

  if (line == NULL)
    {
      if (kind == SECRET_PASSWORD)
        g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                     _("Could not read the password file %s: %s; check the path and its permissions"),
                     name, g_strerror (saved_errno));
      else
        g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                     _("Could not read the Secret Key file %s: %s; check the path and its permissions"),
                     name, g_strerror (saved_errno));
      return NULL;
    }

  if (too_long)
    {
      if (kind == SECRET_PASSWORD)
        g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                     _("The first line of %s is longer than %d bytes, too long for a password; check that it is the right file"),
                     name, MAX_SECRET_LENGTH);
      else
        g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                     _("The first line of %s is longer than %d bytes, too long for a Secret Key; check that it is the right file"),
                     name, MAX_SECRET_LENGTH);
      return NULL;
    }

  return g_steal_pointer (&line);
}

/**
 * wa_cli_read_password:
 * @file: (nullable): a file whose first line is the password, `-` for a
 *   line of standard input, or %NULL to ask on the terminal
 * @prompt: what to ask with
 *
 * Returns: (transfer full): the password, in guarded memory.
 */
WaSecureBytes *
wa_cli_read_password (const char  *file,
                      const char  *prompt,
                      GError     **error)
{
  g_autoptr(WaSecureBytes) password = NULL;
  const char *text;

  if (file != NULL)
    password = read_first_line (file, SECRET_PASSWORD, error);
  else
    password = prompt_on_tty (prompt, error);

  if (password == NULL)
    return NULL;

  text = wa_cli_secret_text (password);

  if (*text == '\0')
    {
      if (file == NULL)
        g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                     _("No password was typed; run the command again and type it"));
      else if (g_strcmp0 (file, "-") == 0)
        g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                     _("The line read from standard input is empty; give the password on it"));
      else
        g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                     _("The first line of %s is empty; put the password on it"), file);
      return NULL;
    }

  if (!g_utf8_validate (text, -1, NULL))
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                   _("The password is not valid UTF-8 text; check the encoding of the file or the terminal"));
      return NULL;
    }

  return g_steal_pointer (&password);
}

/**
 * wa_cli_read_new_password:
 *
 * Like wa_cli_read_password(), but a password typed at the terminal is
 * asked twice, and both must match.
 */
WaSecureBytes *
wa_cli_read_new_password (const char  *file,
                          const char  *prompt,
                          const char  *confirm_prompt,
                          GError     **error)
{
  g_autoptr(WaSecureBytes) password = NULL;
  g_autoptr(WaSecureBytes) again = NULL;

  password = wa_cli_read_password (file, prompt, error);
  if (password == NULL)
    return NULL;

  /* Say so before asking a second time; the core checks again. */
  if (g_utf8_strlen (wa_cli_secret_text (password), -1) < WA_PROFILE_MIN_PASSWORD_LENGTH)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                   g_dngettext (GETTEXT_PACKAGE,
                                "The new password is too short; use at least %d character",
                                "The new password is too short; use at least %d characters",
                                WA_PROFILE_MIN_PASSWORD_LENGTH),
                   WA_PROFILE_MIN_PASSWORD_LENGTH);
      return NULL;
    }

  if (file != NULL)
    return g_steal_pointer (&password);

  again = wa_cli_read_password (NULL, confirm_prompt, error);
  if (again == NULL)
    return NULL;

  if (strlen (wa_cli_secret_text (password)) != strlen (wa_cli_secret_text (again)) ||
      sodium_memcmp (wa_cli_secret_text (password), wa_cli_secret_text (again),
                     strlen (wa_cli_secret_text (password))) != 0)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                   _("The two passwords do not match; nothing was changed, run the command again"));
      return NULL;
    }

  return g_steal_pointer (&password);
}

/**
 * wa_cli_read_secret_key_file:
 * @file: a file holding the Secret Key (alone, or as a saved emergency
 *   kit), or `-` for a line of standard input
 *
 * Returns: (transfer full): the Secret Key text, in guarded memory.  Its
 *   format is checked by the core when it is used.
 */
/* Finds the Secret Key in @contents without copying it anywhere but the
 * returned guarded buffer: a saved emergency kit holds the key on its
 * “Secret Key:” line; otherwise the key is the first line that is not
 * blank. */
static WaSecureBytes *
find_secret_key (const char *contents,
                 gsize       len)
{
  static const char label[] = "Secret Key:";
  const char *end = contents + len;
  const char *first = NULL;
  const char *first_end = NULL;
  WaSecureBytes *key;

  for (const char *line = contents; line < end;)
    {
      const char *line_end = memchr (line, '\n', end - line);
      const char *start = line;
      const char *stop;

      if (line_end == NULL)
        line_end = end;
      stop = line_end;

      while (start < stop && g_ascii_isspace (*start))
        start++;
      if ((gsize) (stop - start) >= strlen (label) && memcmp (start, label, strlen (label)) == 0)
        {
          first = start + strlen (label);
          first_end = stop;
          break;
        }
      if (first == NULL && start < stop)
        {
          first = start;
          first_end = stop;
        }

      line = line_end + 1;
    }

  if (first == NULL)
    return NULL;

  while (first < first_end && g_ascii_isspace (*first))
    first++;
  while (first_end > first && g_ascii_isspace (first_end[-1]))
    first_end--;
  if (first == first_end || first_end - first > MAX_SECRET_LENGTH)
    return NULL;

  key = wa_secure_bytes_new (first_end - first + 1);
  memcpy (wa_secure_bytes_get_data (key), first, first_end - first);
  wa_secure_bytes_get_data (key)[first_end - first] = '\0';

  return key;
}

/**
 * wa_cli_read_secret_key_file:
 * @file: a file holding the Secret Key (alone, or as a saved emergency
 *   kit), or `-` for a line of standard input
 *
 * Returns: (transfer full): the Secret Key text, in guarded memory.  Its
 *   format is checked by the core when it is used.
 */
WaSecureBytes *
wa_cli_read_secret_key_file (const char  *file,
                             GError     **error)
{
  g_autoptr(WaSecureBytes) key = NULL;
  g_autoptr(GBytes) contents = NULL;
  const char *text;
  gsize len = 0;
  int saved_errno;
  int fd;

  if (g_strcmp0 (file, "-") == 0)
    {
      key = read_first_line (file, SECRET_KEY, error);
      if (key != NULL)
        g_strstrip ((char *) wa_secure_bytes_get_data (key));
      return g_steal_pointer (&key);
    }

  /* wa_cli_read_fd() wipes its buffer when it is freed. */
  fd = open (file, O_RDONLY | O_CLOEXEC);
  if (fd >= 0)
    {
      contents = wa_cli_read_fd (fd, 0);
      saved_errno = errno;
      close (fd);
    }
  else
    saved_errno = errno;

  if (contents == NULL)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                   _("Could not read the Secret Key file %s: %s; check the path and its permissions"),
                   file, g_strerror (saved_errno));
      return NULL;
    }

  text = g_bytes_get_data (contents, &len);
  key = find_secret_key (text, len);

  if (key == NULL)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                   _("The file %s holds no Secret Key; give the file with the key from the emergency kit"),
                   file);
      return NULL;
    }

  return g_steal_pointer (&key);
}
