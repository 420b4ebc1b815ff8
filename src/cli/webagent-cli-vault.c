/* webagent-cli-vault.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "webagent-cli"

#include "config.h"

#include <stdio.h>
#include <string.h>
#include <glib/gi18n.h>

#include "webagent-cli.h"

/* The `vault` subcommands.  list and verify read only the public headers
 * and need no password; put, get, delete and erase-scope unlock the
 * profile for as long as they run. */

/* Refuses two inputs that would both have to come from standard input. */
static gboolean
check_one_stdin (const char  *data_file,
                 const char  *password_file,
                 const char  *secret_key_file,
                 const char  *metadata_file,
                 GError     **error)
{
  guint n = 0;

  n += g_strcmp0 (data_file, "-") == 0;
  n += g_strcmp0 (metadata_file, "-") == 0;
  if (n > 0)
    n += g_strcmp0 (password_file, "-") == 0 || g_strcmp0 (secret_key_file, "-") == 0;

  if (n > 1)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("Only one input can come from standard input (“-”); give the others as files"));
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_scope (const char  *scope,
             GError     **error)
{
  if (scope == NULL)
    return TRUE;

  if ((g_str_has_prefix (scope, "user:") && scope[strlen ("user:")] != '\0') ||
      (g_str_has_prefix (scope, "tenant:") && scope[strlen ("tenant:")] != '\0'))
    return TRUE;

  g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
               _("A scope is “user:NAME” or “tenant:NAME”, not “%s”"), scope);

  return FALSE;
}

/* Put ------------------------------------------------------------------------ */

static gboolean
vault_put (int      argc,
           char   **argv,
           GError **error)
{
  g_autofree char *profile_dir = NULL;
  g_autofree char *record_type = NULL;
  g_autofree char *classification_text = NULL;
  g_autofree char *scope = NULL;
  g_autofree char *retention = NULL;
  g_autofree char *metadata_file = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *secret_key_file = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    WA_CLI_PROFILE_OPTION (profile_dir),
    { "type", 0, 0, G_OPTION_ARG_STRING, &record_type,
      N_("The record type, such as “note”, “plan” or “screenshot” (required)"), N_("TYPE") },
    { "classification", 0, 0, G_OPTION_ARG_STRING, &classification_text,
      N_("PUBLIC, INTERNAL, CONFIDENTIAL or SECRET (required)"), N_("LEVEL") },
    { "scope", 0, 0, G_OPTION_ARG_STRING, &scope,
      N_("The key scope, “user:NAME” or “tenant:NAME”; the default is the user’s own"), N_("SCOPE") },
    { "retention", 0, 0, G_OPTION_ARG_STRING, &retention,
      N_("The retention policy stored with the record; the default is “keep”"), N_("POLICY") },
    { "metadata-file", 0, 0, G_OPTION_ARG_FILENAME, &metadata_file,
      N_("Encrypt the contents of FILE as the record’s metadata"), N_("FILE") },
    WA_CLI_UNLOCK_OPTION_ENTRIES (password_file, secret_key_file),
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the new record’s id as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaProfile) profile = NULL;
  g_autoptr(WaVaultRecord) template = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GBytes) metadata = NULL;
  g_autofree char *id = NULL;
  WaClassification classification;

  context = wa_cli_option_context_new ("vault put", _("FILE"),
                                       _("Encrypts FILE (“-” for standard input) into a new record of the vault and "
                                         "prints the record’s id.  The type, classification, scope and retention "
                                         "are stored in the clear; the data and metadata are encrypted and signed."),
                                       entries);
  if (!wa_cli_parse_profile_command (context, "vault put", &argc, &argv, 1,
                                     _("the file to store (“-” for standard input)"),
                                     &profile_dir, error))
    return FALSE;

  if (record_type == NULL || *record_type == '\0')
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("The --type option is required; give the record type, such as “--type note”"));
      return FALSE;
    }

  if (classification_text == NULL)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("The --classification option is required; give PUBLIC, INTERNAL, CONFIDENTIAL or SECRET"));
      return FALSE;
    }

  if (!wa_classification_from_string (classification_text, &classification))
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("Unknown classification “%s”; use PUBLIC, INTERNAL, CONFIDENTIAL or SECRET"),
                   classification_text);
      return FALSE;
    }

  if (!check_scope (scope, error) ||
      !check_one_stdin (argv[1], password_file, secret_key_file, metadata_file, error))
    return FALSE;

  /* Read the inputs before asking for the password, so that a wrong path
   * is reported first. */
  data = wa_cli_read_input_file (argv[1], error);
  if (data == NULL)
    return FALSE;

  if (metadata_file != NULL)
    {
      metadata = wa_cli_read_input_file (metadata_file, error);
      if (metadata == NULL)
        {
          wa_cli_wipe_bytes (data);
          return FALSE;
        }
    }

  template = wa_vault_record_new (record_type, classification);
  template->scope_id = g_strdup (scope);
  template->retention_policy = g_strdup (retention);

  profile = wa_cli_open_and_unlock_profile (profile_dir, password_file, secret_key_file, error);
  if (profile != NULL)
    id = wa_vault_put (wa_profile_get_vault (profile), template, data, metadata, error);

  wa_cli_wipe_bytes (data);
  wa_cli_wipe_bytes (metadata);

  if (id == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, id);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);

      return wa_cli_print_json (root, error);
    }

  g_print ("%s\n", id);

  return TRUE;
}

/* Get ------------------------------------------------------------------------ */

static gboolean
write_output_file (const char  *path,
                   GBytes      *bytes,
                   GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  gsize len = 0;
  const char *data = g_bytes_get_data (bytes, &len);

  if (g_strcmp0 (path, "-") == 0)
    return wa_cli_write_stdout (data, len, error);

  /* Decrypted data is for the user's eyes only: mode 0600, written to a
   * temporary file and renamed, so no one else ever sees part of it. */
  if (!g_file_set_contents_full (path, data != NULL ? data : "", len,
                                 G_FILE_SET_CONTENTS_CONSISTENT, 0600, &local_error))
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_FAILED,
                   _("Could not write %s: %s; check that its folder exists and is writable"),
                   path, local_error->message);
      return FALSE;
    }

  return TRUE;
}

static gboolean
vault_get (int      argc,
           char   **argv,
           GError **error)
{
  g_autofree char *profile_dir = NULL;
  g_autofree char *output = NULL;
  g_autofree char *metadata_output = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *secret_key_file = NULL;
  const GOptionEntry entries[] = {
    WA_CLI_PROFILE_OPTION (profile_dir),
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output,
      N_("Write the data to FILE, readable by you only, instead of standard output"), N_("FILE") },
    { "metadata-output", 0, 0, G_OPTION_ARG_FILENAME, &metadata_output,
      N_("Write the record’s metadata to FILE, readable by you only"), N_("FILE") },
    WA_CLI_UNLOCK_OPTION_ENTRIES (password_file, secret_key_file),
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaProfile) profile = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GBytes) metadata = NULL;
  gboolean ret;

  context = wa_cli_option_context_new ("vault get", _("ID"),
                                       _("Decrypts the record, which also proves that neither its data nor its header "
                                         "was changed, and writes its data to standard output or to a file.  "
                                         "“vault verify” checks who signed it."),
                                       entries);
  if (!wa_cli_parse_profile_command (context, "vault get", &argc, &argv, 1,
                                     _("the record id (see “vault list”)"),
                                     &profile_dir, error))
    return FALSE;

  if (metadata_output != NULL && g_strcmp0 (metadata_output, "-") == 0 &&
      (output == NULL || g_strcmp0 (output, "-") == 0))
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("The data and the metadata cannot both go to standard output; give --output FILE"));
      return FALSE;
    }

  profile = wa_cli_open_and_unlock_profile (profile_dir, password_file, secret_key_file, error);
  if (profile == NULL)
    return FALSE;

  data = wa_vault_get (wa_profile_get_vault (profile), argv[1], NULL, &metadata, error);
  if (data == NULL)
    return FALSE;

  ret = write_output_file (output != NULL ? output : "-", data, error);

  if (ret && metadata_output != NULL)
    {
      g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);

      ret = write_output_file (metadata_output, metadata != NULL ? metadata : empty, error);
    }

  wa_cli_wipe_bytes (data);
  wa_cli_wipe_bytes (metadata);

  return ret;
}

/* List ----------------------------------------------------------------------- */

enum {
  COLUMN_ID,
  COLUMN_TYPE,
  COLUMN_CLASSIFICATION,
  COLUMN_CREATED,
  COLUMN_SIZE,
  COLUMN_SCOPE,
  COLUMN_ACCESSES,
  N_COLUMNS
};

static JsonNode *
records_to_json (GPtrArray *records)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "records");
  json_builder_begin_array (builder);
  for (guint i = 0; i < records->len; i++)
    {
      const WaVaultRecord *record = g_ptr_array_index (records, i);
      g_autofree char *created = wa_cli_format_time (record->created_at);

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "id");
      json_builder_add_string_value (builder, record->id);
      json_builder_set_member_name (builder, "type");
      json_builder_add_string_value (builder, record->record_type);
      json_builder_set_member_name (builder, "classification");
      json_builder_add_string_value (builder, wa_classification_to_string (record->classification));
      json_builder_set_member_name (builder, "created_at");
      json_builder_add_string_value (builder, created);
      json_builder_set_member_name (builder, "encrypted_size");
      json_builder_add_int_value (builder, record->encrypted_size);
      json_builder_set_member_name (builder, "scope");
      json_builder_add_string_value (builder, record->scope_id);
      json_builder_set_member_name (builder, "retention");
      json_builder_add_string_value (builder, record->retention_policy);
      json_builder_set_member_name (builder, "access_count");
      json_builder_add_int_value (builder, record->access_count);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static void
print_records (GPtrArray *records)
{
  const char *headers[N_COLUMNS] = {
    _("ID"), _("TYPE"), _("CLASSIFICATION"), _("CREATED (UTC)"), _("SIZE"), _("SCOPE"), _("ACCESSES"),
  };
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  long widths[N_COLUMNS] = { 0 };

  for (guint i = 0; i < records->len; i++)
    {
      const WaVaultRecord *record = g_ptr_array_index (records, i);
      char **row = g_new0 (char *, N_COLUMNS + 1);

      row[COLUMN_ID] = wa_cli_printable (record->id);
      row[COLUMN_TYPE] = wa_cli_printable (record->record_type);
      row[COLUMN_CLASSIFICATION] = g_strdup (wa_classification_to_string (record->classification));
      row[COLUMN_CREATED] = wa_cli_format_time (record->created_at);
      row[COLUMN_SIZE] = g_strdup_printf ("%" G_GSIZE_FORMAT, record->encrypted_size);
      row[COLUMN_SCOPE] = wa_cli_printable (record->scope_id);
      row[COLUMN_ACCESSES] = g_strdup_printf ("%" G_GINT64_FORMAT, record->access_count);
      g_ptr_array_add (rows, row);
    }

  for (guint c = 0; c < N_COLUMNS; c++)
    {
      widths[c] = g_utf8_strlen (headers[c], -1);
      for (guint i = 0; i < rows->len; i++)
        widths[c] = MAX (widths[c], g_utf8_strlen (((char **) g_ptr_array_index (rows, i))[c], -1));
    }

  for (guint c = 0; c < N_COLUMNS; c++)
    g_print ("%s%*s", headers[c], c + 1 < N_COLUMNS ? (int) (widths[c] - g_utf8_strlen (headers[c], -1) + 2) : 0, "");
  g_print ("\n");

  for (guint i = 0; i < rows->len; i++)
    {
      char **row = g_ptr_array_index (rows, i);

      for (guint c = 0; c < N_COLUMNS; c++)
        g_print ("%s%*s", row[c], c + 1 < N_COLUMNS ? (int) (widths[c] - g_utf8_strlen (row[c], -1) + 2) : 0, "");
      g_print ("\n");
    }
}

static gboolean
vault_list (int      argc,
            char   **argv,
            GError **error)
{
  g_autofree char *profile_dir = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    WA_CLI_PROFILE_OPTION (profile_dir),
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the records as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaProfile) profile = NULL;
  g_autoptr(GPtrArray) records = NULL;

  context = wa_cli_option_context_new ("vault list", NULL,
                                       _("Lists the records’ public headers, oldest first: id, type, classification, "
                                         "creation time, size of the encrypted data, key scope and access count.  "
                                         "Needs no password and decrypts nothing."),
                                       entries);
  if (!wa_cli_parse_profile_command (context, "vault list", &argc, &argv, 0,
                                     NULL,
                                     &profile_dir, error))
    return FALSE;

  profile = wa_cli_open_profile (profile_dir, error);
  if (profile == NULL)
    return FALSE;

  records = wa_vault_list (wa_profile_get_vault (profile), error);
  if (records == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr(JsonNode) root = records_to_json (records);

      return wa_cli_print_json (root, error);
    }

  if (records->len == 0)
    g_print ("%s\n", _("The vault holds no records."));
  else
    print_records (records);

  return TRUE;
}

/* Verify --------------------------------------------------------------------- */

static gboolean
vault_verify (int      argc,
              char   **argv,
              GError **error)
{
  g_autofree char *profile_dir = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    WA_CLI_PROFILE_OPTION (profile_dir),
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaProfile) profile = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  WaVault *vault;

  context = wa_cli_option_context_new ("vault verify", NULL,
                                       _("Checks every record’s hash and Ed25519 signature against the profile’s "
                                         "public key, without decrypting anything.  Prints one line per damaged or "
                                         "tampered record and exits with status 1 if there is any."),
                                       entries);
  if (!wa_cli_parse_profile_command (context, "vault verify", &argc, &argv, 0,
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
  problems = wa_vault_verify (vault, error);
  if (problems == NULL)
    return FALSE;

  if (json)
    {
      g_autoptr(JsonBuilder) builder = json_builder_new ();
      g_autoptr(JsonNode) root = NULL;

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "records");
      json_builder_add_int_value (builder, records->len);
      json_builder_set_member_name (builder, "verified");
      json_builder_add_int_value (builder, records->len - MIN (problems->len, records->len));
      json_builder_set_member_name (builder, "ok");
      json_builder_add_boolean_value (builder, problems->len == 0);
      json_builder_set_member_name (builder, "problems");
      json_builder_begin_array (builder);
      for (guint i = 0; i < problems->len; i++)
        {
          const WaVaultProblem *problem = g_ptr_array_index (problems, i);

          json_builder_begin_object (builder);
          json_builder_set_member_name (builder, "id");
          json_builder_add_string_value (builder, problem->record_id);
          json_builder_set_member_name (builder, "reason");
          json_builder_add_string_value (builder, problem->message);
          json_builder_end_object (builder);
        }
      json_builder_end_array (builder);
      json_builder_end_object (builder);
      root = json_builder_get_root (builder);

      if (!wa_cli_print_json (root, error))
        return FALSE;
    }
  else if (problems->len == 0)
    {
      g_print (g_dngettext (GETTEXT_PACKAGE, "%u record, all verified\n", "%u records, all verified\n", records->len),
               records->len);
    }
  else
    {
      for (guint i = 0; i < problems->len; i++)
        {
          const WaVaultProblem *problem = g_ptr_array_index (problems, i);
          g_autofree char *record_id = wa_cli_printable (problem->record_id);

          g_print ("%s: %s\n", record_id, problem->message);
        }
    }

  if (problems->len > 0)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_FAILED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u of %u records failed verification; do not trust it, and restore it from a backup",
                                "%u of %u records failed verification; do not trust them, and restore them from a backup",
                                problems->len),
                   problems->len, records->len);
      return FALSE;
    }

  return TRUE;
}

/* Delete and erase ----------------------------------------------------------- */

static gboolean
vault_delete (int      argc,
              char   **argv,
              GError **error)
{
  g_autofree char *profile_dir = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *secret_key_file = NULL;
  const GOptionEntry entries[] = {
    WA_CLI_PROFILE_OPTION (profile_dir),
    WA_CLI_UNLOCK_OPTION_ENTRIES (password_file, secret_key_file),
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaProfile) profile = NULL;

  context = wa_cli_option_context_new ("vault delete", _("ID"),
                                       _("Deletes a record from the vault.  Deleting cannot be undone, so it needs "
                                         "the password like every change to the vault."),
                                       entries);
  if (!wa_cli_parse_profile_command (context, "vault delete", &argc, &argv, 1,
                                     _("the record id (see “vault list”)"),
                                     &profile_dir, error))
    return FALSE;

  profile = wa_cli_open_and_unlock_profile (profile_dir, password_file, secret_key_file, error);
  if (profile == NULL)
    return FALSE;

  if (!wa_vault_delete (wa_profile_get_vault (profile), argv[1], error))
    return FALSE;

  g_print (_("Deleted record %s.\n"), argv[1]);

  return TRUE;
}

static gboolean
vault_erase_scope (int      argc,
                   char   **argv,
                   GError **error)
{
  g_autofree char *profile_dir = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *secret_key_file = NULL;
  const GOptionEntry entries[] = {
    WA_CLI_PROFILE_OPTION (profile_dir),
    WA_CLI_UNLOCK_OPTION_ENTRIES (password_file, secret_key_file),
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaProfile) profile = NULL;
  g_autoptr(GPtrArray) records = NULL;
  const char *scope;
  guint n_records = 0;

  context = wa_cli_option_context_new ("vault erase-scope", _("SCOPE"),
                                       _("Crypto-shredding: erases the key of SCOPE (as shown by “vault list”), so "
                                         "that its records can never be decrypted again, here or in any copy.  The "
                                         "encrypted records stay until they are deleted.  This cannot be undone."),
                                       entries);
  if (!wa_cli_parse_profile_command (context, "vault erase-scope", &argc, &argv, 1,
                                     _("the scope to erase (see “vault list”)"),
                                     &profile_dir, error))
    return FALSE;

  scope = argv[1];
  if (!check_scope (scope, error))
    return FALSE;

  profile = wa_cli_open_and_unlock_profile (profile_dir, password_file, secret_key_file, error);
  if (profile == NULL)
    return FALSE;

  records = wa_vault_list (wa_profile_get_vault (profile), error);
  if (records == NULL)
    return FALSE;
  for (guint i = 0; i < records->len; i++)
    {
      const WaVaultRecord *record = g_ptr_array_index (records, i);

      n_records += g_strcmp0 (record->scope_id, scope) == 0;
    }

  if (!wa_vault_erase_scope (wa_profile_get_vault (profile), scope, error))
    return FALSE;

  g_print (g_dngettext (GETTEXT_PACKAGE,
                        "Erased the key of scope %s: its %u record can no longer be decrypted.\n",
                        "Erased the key of scope %s: its %u records can no longer be decrypted.\n",
                        n_records),
           scope, n_records);

  return TRUE;
}

/* Dispatch ------------------------------------------------------------------- */

static const WaCliCommand vault_commands[] = {
  { "put", vault_put, N_("Encrypt a file into a new record and print its id") },
  { "get", vault_get, N_("Decrypt a record to standard output or a file") },
  { "list", vault_list, N_("List the records’ public headers (no password needed)") },
  { "verify", vault_verify, N_("Check every record’s hash and signature (no password needed)") },
  { "delete", vault_delete, N_("Delete a record") },
  { "erase-scope", vault_erase_scope, N_("Erase a scope’s key, so that none of its records can be decrypted") },
};

gboolean
wa_cli_command_vault (int      argc,
                      char   **argv,
                      GError **error)
{
  return wa_cli_run_group ("vault",
                           _("Stores, reads, lists and verifies the encrypted records of a profile’s vault."),
                           vault_commands, G_N_ELEMENTS (vault_commands), argc, argv, error);
}
