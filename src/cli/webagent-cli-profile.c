/* webagent-cli-profile.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "webagent-cli"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>
#include <sodium.h>

#include "wa-note.h"
#include "webagent-cli.h"

/* init, unlock, status and change-password: the commands about the
 * profile itself rather than the records in its vault. */

static void
add_string_member (JsonBuilder *builder,
                   const char  *name,
                   const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* Overwrites a string member of @object in place.  JsonNode keeps its own
 * copy of every string, and this is the only way to wipe that copy before
 * the node frees it. */
static void
wipe_string_member (JsonObject *object,
                    const char *name)
{
  const char *value = json_object_get_string_member_with_default (object, name, NULL);

  if (value != NULL)
    sodium_memzero ((char *) value, strlen (value));
}

static gboolean
profile_exists (const char *directory)
{
  g_autofree char *profile_path = g_build_filename (directory, "profile.json", NULL);
  g_autofree char *vault_path = g_build_filename (directory, "vault.db", NULL);

  return g_file_test (profile_path, G_FILE_TEST_EXISTS) ||
         g_file_test (vault_path, G_FILE_TEST_EXISTS);
}

static gboolean
print_new_profile (WaProfile   *profile,
                   const char  *secret_key_text,
                   gboolean     json,
                   GError     **error)
{
  g_autofree char *kit = wa_profile_format_emergency_kit (profile, secret_key_text);
  gboolean ret;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;
      JsonObject *object;

      json_builder_begin_object (builder);
      add_string_member (builder, "profile_id", wa_profile_get_profile_id (profile));
      add_string_member (builder, "user_id", wa_profile_get_user_id (profile));
      add_string_member (builder, "tenant_id", wa_profile_get_tenant_id (profile));
      add_string_member (builder, "device_id", wa_profile_get_device_id (profile));
      add_string_member (builder, "secret_key", secret_key_text);
      add_string_member (builder, "emergency_kit", kit);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);

      ret = wa_cli_print_json (root, error);

      object = json_node_get_object (root);
      wipe_string_member (object, "secret_key");
      wipe_string_member (object, "emergency_kit");
    }
  else
    {
      ret = wa_cli_write_stdout (kit, strlen (kit), error);
    }

  sodium_memzero (kit, strlen (kit));

  return ret;
}

gboolean
wa_cli_command_init (int      argc,
                     char   **argv,
                     GError **error)
{
  g_autofree char *profile_dir = NULL;
  g_autofree char *password_file = NULL;
  gboolean no_device_secret_key = FALSE;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    { "profile", 0, 0, G_OPTION_ARG_FILENAME, &profile_dir,
      N_("The folder to create the profile in"), N_("DIR") },
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the password from the first line of FILE (“-” for standard input) instead of asking twice"), N_("FILE") },
    { "no-device-secret-key", 0, 0, G_OPTION_ARG_NONE, &no_device_secret_key,
      N_("Keep no copy of the Secret Key on this device: every unlock will need --secret-key-file"), NULL },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the new profile’s ids, Secret Key and emergency kit as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaSecureBytes) password = NULL;
  g_autoptr(WaProfile) profile = NULL;
  char *secret_key_text = NULL;
  gboolean ret;

  context = wa_cli_option_context_new ("init", NULL,
                                       _("Creates a profile: its keys, a Secret Key and an empty vault.  The emergency "
                                         "kit, which holds the Secret Key, is printed once on standard output; keep it "
                                         "somewhere safe, away from the password."),
                                       entries);
  if (!wa_cli_parse_profile_command (context, "init", &argc, &argv, 0,
                                     NULL,
                                     &profile_dir, error))
    return FALSE;

  /* Refuse before asking for a password; the core checks again. */
  if (profile_exists (profile_dir))
    {
      g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_EXISTS,
                   _("%s already holds a profile; choose another folder — nothing was overwritten"),
                   profile_dir);
      return FALSE;
    }

  password = wa_cli_read_new_password (password_file, _("New password: "), _("Repeat the new password: "), error);
  if (password == NULL)
    return FALSE;

  profile = wa_profile_create (profile_dir, wa_cli_secret_text (password), NULL,
                               !no_device_secret_key, &secret_key_text, error);
  if (profile == NULL)
    return FALSE;

  g_printerr (_("Created the profile in %s.  Keep the emergency kit somewhere safe: it is shown only this once.\n"),
              profile_dir);

  ret = print_new_profile (profile, secret_key_text, json, error);

  sodium_memzero (secret_key_text, strlen (secret_key_text));
  g_free (secret_key_text);
  wa_profile_lock (profile);

  return ret;
}

gboolean
wa_cli_command_unlock (int      argc,
                       char   **argv,
                       GError **error)
{
  g_autofree char *profile_dir = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *secret_key_file = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    WA_CLI_PROFILE_OPTION (profile_dir),
    WA_CLI_UNLOCK_OPTION_ENTRIES (password_file, secret_key_file),
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaProfile) profile = NULL;

  context = wa_cli_option_context_new ("unlock", NULL,
                                       _("Unlocks the profile to check its password and Secret Key, then locks it "
                                         "again: each command of webagent-cli unlocks only for as long as it runs.  "
                                         "A wrong password makes the next attempt wait, longer each time."),
                                       entries);
  if (!wa_cli_parse_profile_command (context, "unlock", &argc, &argv, 0,
                                     NULL,
                                     &profile_dir, error))
    return FALSE;

  profile = wa_cli_open_and_unlock_profile (profile_dir, password_file, secret_key_file, error);
  if (profile == NULL)
    return FALSE;

  wa_profile_lock (profile);

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_string_member (builder, "profile_id", wa_profile_get_profile_id (profile));
      json_builder_set_member_name (builder, "unlocked");
      json_builder_add_boolean_value (builder, TRUE);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);

      return wa_cli_print_json (root, error);
    }

  g_print (_("Unlocked profile %s: the password and Secret Key are correct.  It is locked again now.\n"),
           wa_profile_get_profile_id (profile));

  return TRUE;
}

/* Status ---------------------------------------------------------------------- */

typedef struct
{
  const char *label;
  char       *value;
} StatusRow;

static void
print_rows (StatusRow *rows,
            guint      n_rows)
{
  long width = 0;

  for (guint i = 0; i < n_rows; i++)
    width = MAX (width, g_utf8_strlen (rows[i].label, -1));

  for (guint i = 0; i < n_rows; i++)
    {
      long pad = width - g_utf8_strlen (rows[i].label, -1);

      g_print ("%s:%*s %s\n", rows[i].label, (int) pad, "", rows[i].value);
      g_free (rows[i].value);
    }
}

static char *
format_kdf (const WaKdfParams *params)
{
  g_autofree char *memory = g_format_size_full (params->mem_limit, G_FORMAT_SIZE_IEC_UNITS);

  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                       "Argon2id with the Secret Key (version %u), %u pass, %s",
                                       "Argon2id with the Secret Key (version %u), %u passes, %s",
                                       params->ops_limit),
                          params->version, (guint) params->ops_limit, memory);
}

gboolean
wa_cli_command_status (int      argc,
                       char   **argv,
                       GError **error)
{
  g_autofree char *profile_dir = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    WA_CLI_PROFILE_OPTION (profile_dir),
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the status as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaProfile) profile = NULL;
  g_autoptr(GPtrArray) records = NULL;
  const WaKdfParams *params;
  WaVault *vault;
  gint64 backoff;
  guint failed;
  g_autofree char *origin = NULL;
  g_autofree char *verifier_key = NULL;
  gboolean device_key;

  context = wa_cli_option_context_new ("status", NULL,
                                       _("Shows the public state of a profile: its ids, key derivation parameters, "
                                         "failed unlock attempts and vault size.  Needs no password and decrypts "
                                         "nothing."),
                                       entries);
  if (!wa_cli_parse_profile_command (context, "status", &argc, &argv, 0,
                                     NULL,
                                     &profile_dir, error))
    return FALSE;

  profile = wa_cli_open_profile (profile_dir, error);
  if (profile == NULL)
    return FALSE;

  vault = wa_profile_get_vault (profile);
  records = wa_vault_list (vault, error);
  if (records == NULL)
    return FALSE;

  params = wa_profile_get_kdf_params (profile);
  backoff = wa_profile_get_backoff_remaining (profile);
  failed = wa_profile_get_failed_attempts (profile);
  device_key = wa_profile_has_device_secret_key (profile);
  origin = wa_audit_log_checkpoint_origin (wa_profile_get_sign_public_key (profile));
  verifier_key = wa_note_verifier_key_format (origin, wa_profile_get_sign_public_key (profile));

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      add_string_member (builder, "profile_id", wa_profile_get_profile_id (profile));
      add_string_member (builder, "directory", wa_profile_get_directory (profile));
      add_string_member (builder, "user_id", wa_profile_get_user_id (profile));
      add_string_member (builder, "tenant_id", wa_profile_get_tenant_id (profile));
      add_string_member (builder, "device_id", wa_profile_get_device_id (profile));
      add_string_member (builder, "audit_verifier_key", verifier_key);
      json_builder_set_member_name (builder, "locked");
      json_builder_add_boolean_value (builder, wa_profile_get_locked (profile));
      json_builder_set_member_name (builder, "kdf");
      json_builder_add_value (builder, wa_kdf_params_to_json (params));
      json_builder_set_member_name (builder, "device_secret_key");
      json_builder_add_boolean_value (builder, device_key);
      json_builder_set_member_name (builder, "failed_attempts");
      json_builder_add_int_value (builder, failed);
      json_builder_set_member_name (builder, "backoff_remaining");
      json_builder_add_int_value (builder, backoff);
      json_builder_set_member_name (builder, "records");
      json_builder_add_int_value (builder, records->len);
      json_builder_set_member_name (builder, "schema_version");
      json_builder_add_int_value (builder, wa_vault_get_schema_version (vault));
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);

      return wa_cli_print_json (root, error);
    }
  else
    {
      StatusRow rows[] = {
        { _("Profile"), g_strdup (wa_profile_get_profile_id (profile)) },
        { _("Folder"), g_strdup (wa_profile_get_directory (profile)) },
        { _("User"), g_strdup (wa_profile_get_user_id (profile)) },
        { _("Tenant"), g_strdup (wa_profile_get_tenant_id (profile)) },
        { _("Device"), g_strdup (wa_profile_get_device_id (profile)) },
        { _("Audit key"), g_strdup (verifier_key) },
        { _("State"), g_strdup (_("locked (webagent-cli unlocks a profile only while one command runs)")) },
        { _("Key derivation"), format_kdf (params) },
        { _("Secret Key"), g_strdup (device_key ? _("kept on this device")
                                                : _("not kept on this device; unlocking needs --secret-key-file")) },
        { _("Failed unlocks"), g_strdup_printf ("%u", failed) },
        { _("Back-off"), backoff > 0 ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                                                     "%d second before the next unlock attempt",
                                                                     "%d seconds before the next unlock attempt",
                                                                     backoff),
                                                        (int) backoff)
                                     : g_strdup (_("none")) },
        { _("Vault records"), g_strdup_printf ("%u", records->len) },
        { _("Vault schema"), g_strdup_printf ("%d", wa_vault_get_schema_version (vault)) },
      };

      print_rows (rows, G_N_ELEMENTS (rows));
    }

  return TRUE;
}

/* Change password ---------------------------------------------------------- */

gboolean
wa_cli_command_change_password (int      argc,
                                char   **argv,
                                GError **error)
{
  g_autofree char *profile_dir = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *new_password_file = NULL;
  g_autofree char *secret_key_file = NULL;
  const GOptionEntry entries[] = {
    WA_CLI_PROFILE_OPTION (profile_dir),
    WA_CLI_SECRET_KEY_FILE_OPTION (secret_key_file),
    { "password-file", 0, 0, G_OPTION_ARG_FILENAME, &password_file,
      N_("Read the current password from the first line of FILE (“-” for standard input) instead of asking"),
      N_("FILE") },
    { "new-password-file", 0, 0, G_OPTION_ARG_FILENAME, &new_password_file,
      N_("Read the new password from the first line of FILE (“-” for the next line of standard input) instead of asking twice"),
      N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaProfile) profile = NULL;
  g_autoptr(WaSecureBytes) password = NULL;
  g_autoptr(WaSecureBytes) new_password = NULL;

  context = wa_cli_option_context_new ("change-password", NULL,
                                       _("Changes the password of a profile.  The Secret Key and every record stay "
                                         "as they are, so the emergency kit remains valid."),
                                       entries);
  if (!wa_cli_parse_profile_command (context, "change-password", &argc, &argv, 0,
                                     NULL,
                                     &profile_dir, error))
    return FALSE;

  profile = wa_cli_open_profile (profile_dir, error);
  if (profile == NULL)
    return FALSE;

  /* Unlocking first checks the current password (a wrong one counts
   * towards the back-off) and gives the core the Secret Key to keep. */
  if (!wa_cli_unlock_profile (profile, password_file, secret_key_file, &password, error))
    return FALSE;

  new_password = wa_cli_read_new_password (new_password_file, _("New password: "),
                                           _("Repeat the new password: "), error);
  if (new_password == NULL)
    return FALSE;

  if (!wa_profile_change_password (profile, wa_cli_secret_text (password),
                                   wa_cli_secret_text (new_password), error))
    return FALSE;

  wa_profile_lock (profile);
  g_print (_("Changed the password of profile %s.  The Secret Key is unchanged: keep the same emergency kit.\n"),
           wa_profile_get_profile_id (profile));

  return TRUE;
}
