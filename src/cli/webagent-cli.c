/* webagent-cli.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "webagent-cli"

#include "config.h"

#include <locale.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "webagent-cli.h"

#include "wa-crypto.h"

static const WaCliCommand commands[] = {
  { "init", wa_cli_command_init, N_("Create a profile and print its emergency kit") },
  { "unlock", wa_cli_command_unlock, N_("Check the password and Secret Key of a profile") },
  { "status", wa_cli_command_status, N_("Show a profile’s public state (no password needed)") },
  { "change-password", wa_cli_command_change_password, N_("Change a profile’s password") },
  { "vault", wa_cli_command_vault, N_("Store, read, list and verify encrypted records") },
  { "audit", wa_cli_command_audit, N_("Verify, show and export the tamper-evident audit log") },
  { "siem", wa_cli_command_siem, N_("Send the audit log to syslog, Splunk or Microsoft Sentinel") },
};

static void
print_usage (FILE *stream)
{
  g_autoptr(GString) text = g_string_new (NULL);
  int width = 0;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    width = MAX (width, (int) strlen (commands[i].name));

  g_string_append_printf (text, "%s\n  webagent-cli [--help] [--version] %s\n\n",
                          _("Usage:"), _("COMMAND [OPTION…]"));
  g_string_append_printf (text, "%s\n\n", _("Runs WebAgent’s profile and vault operations from a terminal or a script."));
  g_string_append_printf (text, "%s\n", _("Commands:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    g_string_append_printf (text, "  %-*s  %s\n", width, commands[i].name, _(commands[i].summary));
  g_string_append_printf (text, "\n%s\n", _("Run “webagent-cli COMMAND --help” for a command’s options."));
  g_string_append_printf (text, "\n%s\n", _("Exit status:"));
  g_string_append_printf (text, "  0  %s\n", _("success"));
  g_string_append_printf (text, "  1  %s\n", _("the operation failed (wrong password, tampered record, damaged file, I/O error)"));
  g_string_append_printf (text, "  2  %s\n", _("bad usage or bad input (unknown option, missing argument, malformed Secret Key)"));
  g_string_append_printf (text, "  3  %s\n", _("refused by policy (too many failed unlock attempts: wait and retry)"));

  fputs (text->str, stream);
}

static const WaCliCommand *
find_command (const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_strcmp0 (commands[i].name, name) == 0)
        return &commands[i];
    }

  return NULL;
}

static gboolean
run (int      argc,
     char   **argv,
     GError **error)
{
  const WaCliCommand *command;
  const char *name;

  if (argc < 2)
    {
      print_usage (stderr);
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("No command given; choose one of the commands above"));
      return FALSE;
    }

  name = argv[1];

  if (g_strcmp0 (name, "--help") == 0 || g_strcmp0 (name, "-h") == 0 ||
      g_strcmp0 (name, "-?") == 0 || g_strcmp0 (name, "help") == 0)
    {
      /* “help COMMAND” is “COMMAND --help”. */
      if (argc > 2 && find_command (argv[2]) != NULL && g_strcmp0 (name, "help") == 0)
        {
          char *help_argv[] = { argv[2], (char *) "--help", NULL };

          return find_command (argv[2])->func (2, help_argv, error);
        }

      print_usage (stdout);
      return TRUE;
    }

  if (g_strcmp0 (name, "--version") == 0)
    {
      g_print ("webagent-cli %s\n", PACKAGE_VERSION);
      return TRUE;
    }

  if (name[0] == '-')
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("Unknown option “%s”; run “webagent-cli --help” to see the usage"), name);
      return FALSE;
    }

  command = find_command (name);
  if (command == NULL)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("Unknown command “%s”; run “webagent-cli --help” to see the commands"), name);
      return FALSE;
    }

  return command->func (argc - 1, argv + 1, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  WaCliExit status = WA_CLI_EXIT_OK;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  g_set_prgname ("webagent-cli");

  /* A closed pipe on standard output is reported as a write error, not
   * by a silent death. */
  signal (SIGPIPE, SIG_IGN);

  if (!wa_crypto_init (&error) || !run (argc, argv, &error))
    {
      g_autofree char *message = wa_cli_printable (error->message);

      status = wa_cli_exit_code_for_error (error);
      fflush (stdout);
      g_printerr ("webagent-cli: %s\n", message);
    }

  if (fflush (stdout) != 0 && status == WA_CLI_EXIT_OK)
    {
      g_printerr ("webagent-cli: %s\n", _("Could not write to standard output"));
      status = WA_CLI_EXIT_FAILED;
    }

  return status;
}
