/* webagent-cli.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "wa-profile.h"
#include "wa-secure-bytes.h"

G_BEGIN_DECLS

/* Option entries that many commands share. */
#define WA_CLI_PROFILE_OPTION(profile_dir) \
  { "profile", 0, 0, G_OPTION_ARG_FILENAME, &profile_dir, N_("The profile folder"), N_("DIR") }
#define WA_CLI_SECRET_KEY_FILE_OPTION(secret_key_file)                                                           \
  { "secret-key-file", 0, 0, G_OPTION_ARG_FILENAME, &secret_key_file,                                            \
    N_("Read the Secret Key from FILE (the key alone, or a saved emergency kit) instead of this device’s copy"),   \
    N_("FILE") }
/* Options that every command that unlocks takes. */
#define WA_CLI_UNLOCK_OPTION_ENTRIES(password_file, secret_key_file)                                              \
  { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,                                                \
    N_("Read the password from the first line of FILE (“-” for standard input) instead of asking"), N_("FILE") }, \
  WA_CLI_SECRET_KEY_FILE_OPTION (secret_key_file)


#define WA_CLI_ERROR (wa_cli_error_quark ())

/* Errors the command line itself finds, before or around the core. */
typedef enum
{
  WA_CLI_ERROR_USAGE,  /* unknown command or option, missing argument */
  WA_CLI_ERROR_INPUT,  /* an input file cannot be read or holds bad data */
  WA_CLI_ERROR_FAILED, /* the operation ran and failed */
  WA_CLI_ERROR_POLICY, /* refused by policy, such as the unlock back-off */
} WaCliError;

/* The exit codes, as documented in `webagent-cli --help`. */
typedef enum
{
  WA_CLI_EXIT_OK = 0,
  WA_CLI_EXIT_FAILED = 1,
  WA_CLI_EXIT_USAGE = 2,
  WA_CLI_EXIT_POLICY = 3,
} WaCliExit;

/* One subcommand: parses its own arguments (argv[0] is its name) and
 * returns %FALSE with @error set when it fails. */
typedef gboolean (*WaCliCommandFunc) (int      argc,
                                      char   **argv,
                                      GError **error);

typedef struct
{
  const char       *name;
  WaCliCommandFunc  func;
  const char       *summary; /* translatable, marked with N_() */
} WaCliCommand;

GQuark         wa_cli_error_quark             (void);
WaCliExit      wa_cli_exit_code_for_error     (const GError        *error);

/* Option parsing shared by every subcommand. */
GOptionContext *wa_cli_option_context_new     (const char          *command,
                                               const char          *parameters,
                                               const char          *summary,
                                               const GOptionEntry  *entries);
gboolean       wa_cli_parse_options           (GOptionContext      *context,
                                               const char          *command,
                                               int                 *argc,
                                               char              ***argv,
                                               GError             **error);
gboolean       wa_cli_check_arguments         (const char          *command,
                                               int                  argc,
                                               char               **argv,
                                               int                  expected,
                                               const char          *what,
                                               GError             **error);
gboolean       wa_cli_parse_profile_command   (GOptionContext      *context,
                                               const char          *command,
                                               int                 *argc,
                                               char              ***argv,
                                               int                  expected,
                                               const char          *what,
                                               char               **profile_dir,
                                               GError             **error);
char          *wa_cli_printable               (const char          *text);
gboolean       wa_cli_require_profile         (const char          *command,
                                               const char          *profile_dir,
                                               GError             **error);

/* Secrets: passwords and Secret Keys live in guarded memory, NUL-terminated. */
WaSecureBytes *wa_cli_read_password           (const char          *file,
                                               const char          *prompt,
                                               GError             **error);
WaSecureBytes *wa_cli_read_new_password       (const char          *file,
                                               const char          *prompt,
                                               const char          *confirm_prompt,
                                               GError             **error);
WaSecureBytes *wa_cli_read_secret_key_file    (const char          *file,
                                               GError             **error);
const char    *wa_cli_secret_text             (WaSecureBytes       *secret);

/* Profiles. */
WaProfile     *wa_cli_open_profile            (const char          *directory,
                                               GError             **error);
gboolean       wa_cli_unlock_profile          (WaProfile           *profile,
                                               const char          *password_file,
                                               const char          *secret_key_file,
                                               WaSecureBytes      **password_out,
                                               GError             **error);
WaProfile     *wa_cli_open_and_unlock_profile (const char          *directory,
                                               const char          *password_file,
                                               const char          *secret_key_file,
                                               GError             **error);

/* Input and output. */
GBytes        *wa_cli_read_fd                 (int                  fd,
                                               gsize                size_hint);
GBytes        *wa_cli_read_input_file         (const char          *file,
                                               GError             **error);
gboolean       wa_cli_write_stdout            (const void          *data,
                                               gsize                len,
                                               GError             **error);
gboolean       wa_cli_print_json              (JsonNode            *node,
                                               GError             **error);
char          *wa_cli_format_time             (gint64               usec);
void           wa_cli_wipe_bytes              (GBytes              *bytes);

/* Command groups such as `vault` and `audit`. */
gboolean       wa_cli_run_group               (const char          *group,
                                               const char          *summary,
                                               const WaCliCommand  *commands,
                                               guint                n_commands,
                                               int                  argc,
                                               char               **argv,
                                               GError             **error);

/* Subcommands. */
gboolean       wa_cli_command_init            (int                  argc,
                                               char               **argv,
                                               GError             **error);
gboolean       wa_cli_command_unlock          (int                  argc,
                                               char               **argv,
                                               GError             **error);
gboolean       wa_cli_command_status          (int                  argc,
                                               char               **argv,
                                               GError             **error);
gboolean       wa_cli_command_change_password (int                  argc,
                                               char               **argv,
                                               GError             **error);
gboolean       wa_cli_command_vault           (int                  argc,
                                               char               **argv,
                                               GError             **error);
gboolean       wa_cli_command_audit           (int                  argc,
                                               char               **argv,
                                               GError             **error);
gboolean       wa_cli_command_siem            (int                  argc,
                                               char               **argv,
                                               GError             **error);

G_END_DECLS
