/* webagent-cli-audit.c
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

#include "wa-note.h"
#include "wa-siem-format.h"
#include "webagent-cli.h"

/* The `audit` subcommands.  verify, proof and verify-proof need only the
 * device's public key; show, tail and export decrypt the entries' bodies
 * when the profile is unlocked, and show the public headers alone with
 * --headers-only. */

static gboolean
parse_index (const char  *option,
             const char  *text,
             guint64     *out,
             GError     **error)
{
  if (text == NULL)
    return TRUE;

  if (!g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, out, NULL))
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("%s needs an entry index, a number from 0, not “%s”"), option, text);
      return FALSE;
    }

  return TRUE;
}

/* Reads a verifier key (NAME+HASH+KEY) that must name this kind of log. */
static gboolean
parse_verifier_key (const char  *text,
                    guint8      *public_key,
                    GError     **error)
{
  g_autoptr(GError) key_error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *origin = NULL;

  if (!wa_note_verifier_key_parse (text, &name, public_key, &key_error))
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE, _("--key: %s"), key_error->message);
      return FALSE;
    }

  origin = wa_audit_log_checkpoint_origin (public_key);
  if (g_strcmp0 (name, origin) != 0)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("--key: an audit key is named after its device (%s), not “%s”"), origin, name);
      return FALSE;
    }

  return TRUE;
}

/* Verify ---------------------------------------------------------------------- */

static JsonNode *
report_to_json (const WaAuditReport *report,
                const char          *origin)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "log");
  json_builder_add_string_value (builder, origin);
  json_builder_set_member_name (builder, "checked");
  json_builder_add_int_value (builder, report->n_checked);
  json_builder_set_member_name (builder, "kept_checkpoint_compared");
  json_builder_add_boolean_value (builder, report->trusted_checked);
  json_builder_set_member_name (builder, "ok");
  json_builder_add_boolean_value (builder, report->ok);
  json_builder_set_member_name (builder, "entries");
  json_builder_add_int_value (builder, report->size);
  json_builder_set_member_name (builder, "from");
  json_builder_add_int_value (builder, report->from);
  json_builder_set_member_name (builder, "to");
  json_builder_add_int_value (builder, report->to);
  json_builder_set_member_name (builder, "checkpoints");
  json_builder_add_int_value (builder, report->n_checkpoints);
  if (report->has_bad_index)
    {
      json_builder_set_member_name (builder, "bad_index");
      json_builder_add_int_value (builder, report->bad_index);
    }
  if (report->problem != NULL)
    {
      json_builder_set_member_name (builder, "problem");
      json_builder_add_string_value (builder, report->problem);
    }
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

static gboolean
audit_verify (int      argc,
              char   **argv,
              GError **error)
{
  g_autofree char *profile_dir = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *key_text = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    WA_CLI_PROFILE_OPTION (profile_dir),
    { "key", 0, 0, G_OPTION_ARG_STRING, &key_text,
      N_("The device's verifier key (NAME+HASH+KEY), from a copy you trust; the default is the one in the "
         "profile folder"), N_("KEY") },
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text,
      N_("Check entries one by one from index N (the default is 0)"), N_("N") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text,
      N_("Check entries one by one up to index M (the default is the last)"), N_("M") },
    { "json", 0, 0, G_OPTION_ARG_NONE, &json,
      N_("Print the result as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaProfile) profile = NULL;
  g_autoptr(WaAuditReport) report = NULL;
  g_autofree char *trusted = NULL;
  g_autofree char *origin = NULL;
  guint8 public_key[WA_SIGN_PUBLIC_KEY_SIZE];
  guint64 from = 0;
  guint64 to = G_MAXUINT64;

  context = wa_cli_option_context_new ("audit verify", NULL,
                                       _("Checks the audit log without decrypting it: the form, index, leaf hash and "
                                         "Ed25519 signature of every entry in the range, that no entry is missing, "
                                         "every signed checkpoint against the Merkle tree, and that the log is "
                                         "consistent with the last checkpoint this device kept.  Reports the first "
                                         "bad entry by index and exits with status 1 if there is any."),
                                       entries);
  if (!wa_cli_parse_profile_command (context, "audit verify", &argc, &argv, 0, NULL, &profile_dir, error) ||
      !parse_index ("--from", from_text, &from, error) ||
      !parse_index ("--to", to_text, &to, error))
    return FALSE;

  if (from > to)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("--from must not be after --to"));
      return FALSE;
    }

  profile = wa_cli_open_profile (profile_dir, error);
  if (profile == NULL)
    return FALSE;

  /* The key in the profile folder is only as good as the folder: anyone
   * who can rewrite the folder can swap it along with the log.  --key
   * takes one from a copy the auditor trusts. */
  memcpy (public_key, wa_profile_get_sign_public_key (profile), sizeof public_key);
  if (key_text != NULL && !parse_verifier_key (key_text, public_key, error))
    return FALSE;
  origin = wa_audit_log_checkpoint_origin (public_key);

  trusted = wa_profile_dup_last_checkpoint (profile);
  report = wa_audit_log_verify (wa_profile_get_audit_log (profile), public_key, trusted, from, to, error);
  if (report == NULL)
    return FALSE;

  if (report->ok && report->size > 0 && from >= report->size)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("--from is past the end of the log, which has %" G_GUINT64_FORMAT " entries"), report->size);
      return FALSE;
    }

  if (json)
    {
      g_autoptr(JsonNode) root = report_to_json (report, origin);

      if (!wa_cli_print_json (root, error))
        return FALSE;
    }
  else if (report->ok)
    {
      g_print (_("Log %s: %" G_GUINT64_FORMAT " entries, %" G_GUINT64_FORMAT " checked one by one, verified; "
                 "%" G_GUINT64_FORMAT " checkpoints match\n"),
               origin, report->size, report->n_checked, report->n_checkpoints);
      if (!report->trusted_checked)
        g_print ("%s\n", _("This device kept no checkpoint yet, so a log cut back or restored from an older copy "
                           "could not be told from the one it wrote."));
    }

  if (!report->ok)
    {
      if (report->has_bad_index)
        g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_FAILED,
                     _("The audit log failed verification at entry %" G_GUINT64_FORMAT ": %s"),
                     report->bad_index, report->problem);
      else
        g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_FAILED,
                     _("The audit log failed verification: %s"), report->problem);
      return FALSE;
    }

  return TRUE;
}

/* Show, tail and export ----------------------------------------------------------- */

typedef enum
{
  FORMAT_TEXT,
  FORMAT_JSON,
  FORMAT_CEF,
  FORMAT_LEEF,
  FORMAT_SYSLOG,
} Format;

static gboolean
parse_format (const char  *text,
              gboolean     allow_text,
              Format      *format,
              GError     **error)
{
  static const char *names[] = { "text", "json", "cef", "leef", "syslog" };

  for (guint i = allow_text ? 0 : 1; i < G_N_ELEMENTS (names); i++)
    {
      if (g_strcmp0 (text, names[i]) == 0)
        {
          *format = i;
          return TRUE;
        }
    }

  g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
               allow_text ? _("--format is text, json, cef, leef or syslog, not “%s”") :
               _("--format is json, cef, leef or syslog, not “%s”"),
               text != NULL ? text : "");

  return FALSE;
}

static char *
format_text (const WaAuditEntry *entry,
             JsonObject         *body,
             gboolean            have_key)
{
  g_autoptr(GString) line = g_string_new (NULL);
  g_autofree char *event_type = wa_cli_printable (entry->event_type);
  g_autofree char *resource = wa_cli_printable (entry->resource);

  g_string_append_printf (line, "%" G_GUINT64_FORMAT "  %s  %s  %s  %s  risk %d", entry->index, entry->time,
                          event_type, entry->outcome, resource, entry->risk_score);
  if (body != NULL && json_object_has_member (body, "metadata"))
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
      g_autofree char *metadata = NULL;
      g_autofree char *printable = NULL;

      json_node_set_object (node, json_object_get_object_member (body, "metadata"));
      metadata = json_to_string (node, FALSE);
      printable = wa_cli_printable (metadata);
      g_string_append_printf (line, "  %s", printable);
    }
  else if (body == NULL && have_key)
    {
      g_string_append_printf (line, "  %s", _("[body not readable with this profile’s keys]"));
    }

  return g_string_free (g_steal_pointer (&line), FALSE);
}

static char *
format_entry (const WaAuditEntry  *entry,
              JsonObject          *body,
              gboolean             have_key,
              Format               format,
              GError             **error)
{
  g_autoptr(JsonObject) event = NULL;

  if (format == FORMAT_TEXT)
    return format_text (entry, body, have_key);

  event = wa_audit_entry_to_event (entry, body);
  switch (format)
    {
    case FORMAT_JSON :
      return wa_siem_format_json (event, error);
    case FORMAT_CEF :
      return wa_siem_format_cef (event, PACKAGE_VERSION, error);
    case FORMAT_LEEF :
      return wa_siem_format_leef (event, PACKAGE_VERSION, error);
    case FORMAT_SYSLOG :
      return wa_siem_format_syslog (event, g_get_host_name (), "webagent", WA_SIEM_DEFAULT_SD_ID,
                                    PACKAGE_VERSION, 13 /* log audit */, error);
    case FORMAT_TEXT :
    default :
      g_assert_not_reached ();
    }
}

typedef struct
{
  const char *command;
  const char *summary;
  gboolean    tail;
  gboolean    export;
} ShowMode;

static gboolean
show_entries (const ShowMode  *mode,
              int              argc,
              char           **argv,
              GError         **error)
{
  g_autofree char *profile_dir = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *secret_key_file = NULL;
  g_autofree char *from_text = NULL;
  g_autofree char *to_text = NULL;
  g_autofree char *format_name = NULL;
  g_autofree char *output = NULL;
  gboolean headers_only = FALSE;
  int count = 10;
  const GOptionEntry entries[] = {
    WA_CLI_PROFILE_OPTION (profile_dir),
    { "from", 0, 0, G_OPTION_ARG_STRING, &from_text, N_("Start at entry N"), N_("N") },
    { "to", 0, 0, G_OPTION_ARG_STRING, &to_text, N_("Stop at entry M"), N_("M") },
    { "lines", 'n', 0, G_OPTION_ARG_INT, &count, N_("With tail: how many of the last entries (10)"), N_("COUNT") },
    { "format", 0, 0, G_OPTION_ARG_STRING, &format_name,
      N_("text, json, cef, leef or syslog (RFC 5424); export needs one other than text"), N_("FORMAT") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write to FILE instead of standard output"), N_("FILE") },
    { "headers-only", 0, 0, G_OPTION_ARG_NONE, &headers_only,
      N_("Show only the public headers, without unlocking the profile"), NULL },
    WA_CLI_UNLOCK_OPTION_ENTRIES (password_file, secret_key_file),
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaProfile) profile = NULL;
  g_autoptr(WaSecureBytes) audit_key = NULL;
  g_autoptr(GPtrArray) log_entries = NULL;
  g_autoptr(GString) out = g_string_new (NULL);
  guint64 from = 0;
  guint64 to = G_MAXUINT64;
  Format format = FORMAT_TEXT;

  context = wa_cli_option_context_new (mode->command, NULL, _(mode->summary), entries);
  if (!wa_cli_parse_profile_command (context, mode->command, &argc, &argv, 0, NULL, &profile_dir, error) ||
      !parse_index ("--from", from_text, &from, error) ||
      !parse_index ("--to", to_text, &to, error))
    return FALSE;

  if ((format_name != NULL || mode->export) && !parse_format (format_name, !mode->export, &format, error))
    return FALSE;

  if (mode->tail && count <= 0)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE, _("--lines needs a number above 0"));
      return FALSE;
    }

  if (headers_only)
    {
      profile = wa_cli_open_profile (profile_dir, error);
    }
  else
    {
      profile = wa_cli_open_and_unlock_profile (profile_dir, password_file, secret_key_file, error);
      if (profile != NULL)
        audit_key = wa_key_provider_derive_subkey (wa_profile_get_tenant_keys (profile),
                                                   WA_TENANT_SUBKEY_AUDIT, error);
      if (profile != NULL && audit_key == NULL)
        return FALSE;
    }
  if (profile == NULL)
    return FALSE;

  log_entries = wa_audit_log_get_entries (wa_profile_get_audit_log (profile), from, to, error);
  if (log_entries == NULL)
    return FALSE;

  for (guint i = mode->tail && log_entries->len > (guint) count ? log_entries->len - count : 0;
       i < log_entries->len; i++)
    {
      const WaAuditEntry *entry = g_ptr_array_index (log_entries, i);
      g_autoptr(JsonObject) body = NULL;
      g_autofree char *line = NULL;

      /* An entry whose body these keys do not open (another tenant's) is
       * shown by its header alone. */
      if (audit_key != NULL)
        {
          g_autoptr(GError) body_error = NULL;

          body = wa_audit_entry_open_body (entry, wa_secure_bytes_get_data (audit_key), &body_error);
          if (body == NULL && !g_error_matches (body_error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_CANNOT_DECRYPT))
            {
              g_propagate_error (error, g_steal_pointer (&body_error));
              return FALSE;
            }
        }

      line = format_entry (entry, body, audit_key != NULL, format, error);
      if (line == NULL)
        return FALSE;
      g_string_append_printf (out, "%s\n", line);
    }

  if (output != NULL)
    return g_file_set_contents_full (output, out->str, out->len, G_FILE_SET_CONTENTS_CONSISTENT, 0600, error);

  return wa_cli_write_stdout (out->str, out->len, error);
}

static gboolean
audit_show (int      argc,
            char   **argv,
            GError **error)
{
  static const ShowMode mode = {
    "audit show",
    N_("Prints the entries of the audit log, with their decrypted bodies (metadata, IP address, user agent) "
       "when the profile unlocks, or only their public headers with --headers-only."),
    FALSE, FALSE,
  };

  return show_entries (&mode, argc, argv, error);
}

static gboolean
audit_tail (int      argc,
            char   **argv,
            GError **error)
{
  static const ShowMode mode = {
    "audit tail",
    N_("Prints the last entries of the audit log, as “audit show” does."),
    TRUE, FALSE,
  };

  return show_entries (&mode, argc, argv, error);
}

static gboolean
audit_export (int      argc,
              char   **argv,
              GError **error)
{
  static const ShowMode mode = {
    "audit export",
    N_("Writes the audit log as SIEM events, one a line: JSON, ArcSight CEF, QRadar LEEF 2.0 or RFC 5424 "
       "syslog.  Bodies are included when the profile unlocks."),
    FALSE, TRUE,
  };

  return show_entries (&mode, argc, argv, error);
}

/* Proofs ---------------------------------------------------------------------- */

static gboolean
audit_proof (int      argc,
             char   **argv,
             GError **error)
{
  g_autofree char *profile_dir = NULL;
  g_autofree char *index_text = NULL;
  g_autofree char *output = NULL;
  const GOptionEntry entries[] = {
    WA_CLI_PROFILE_OPTION (profile_dir),
    { "index", 0, 0, G_OPTION_ARG_STRING, &index_text, N_("The entry to prove (required)"), N_("N") },
    { "output", 'o', 0, G_OPTION_ARG_FILENAME, &output, N_("Write the proof to FILE"), N_("FILE") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaProfile) profile = NULL;
  g_autofree char *proof = NULL;
  guint64 index = 0;

  context = wa_cli_option_context_new ("audit proof", NULL,
                                       _("Prints a proof that an entry is in the audit log, in the C2SP tlog-proof "
                                         "format: the entry, its Merkle inclusion proof and the signed checkpoint. "
                                         "“audit verify-proof” checks it without the database."),
                                       entries);
  if (!wa_cli_parse_profile_command (context, "audit proof", &argc, &argv, 0, NULL, &profile_dir, error))
    return FALSE;

  if (index_text == NULL)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("The --index option is required; give the entry to prove, such as “--index 0”"));
      return FALSE;
    }
  if (!parse_index ("--index", index_text, &index, error))
    return FALSE;

  profile = wa_cli_open_profile (profile_dir, error);
  if (profile == NULL)
    return FALSE;

  proof = wa_audit_log_prove_inclusion (wa_profile_get_audit_log (profile), index, error);
  if (proof == NULL)
    return FALSE;

  if (output != NULL)
    return g_file_set_contents_full (output, proof, -1, G_FILE_SET_CONTENTS_CONSISTENT, 0644, error);

  return wa_cli_write_stdout (proof, strlen (proof), error);
}

static gboolean
audit_verify_proof (int      argc,
                    char   **argv,
                    GError **error)
{
  g_autofree char *profile_dir = NULL;
  g_autofree char *key_text = NULL;
  const GOptionEntry entries[] = {
    WA_CLI_PROFILE_OPTION (profile_dir),
    { "key", 0, 0, G_OPTION_ARG_STRING, &key_text,
      N_("The device's verifier key (NAME+HASH+KEY, from “status”) instead of a profile"), N_("KEY") },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaProfile) profile = NULL;
  g_autoptr(WaAuditEntry) entry = NULL;
  g_autoptr(GBytes) proof = NULL;
  g_autofree char *proof_text = NULL;
  g_autofree char *event_type = NULL;
  guint8 public_key[WA_SIGN_PUBLIC_KEY_SIZE];

  context = wa_cli_option_context_new ("audit verify-proof", _("FILE"),
                                       _("Checks a proof made by “audit proof”: the checkpoint's signature, the "
                                         "entry's signature and its inclusion in the checkpoint's tree.  Needs the "
                                         "device's public key, from its profile folder or as --key; not the "
                                         "database."),
                                       entries);
  if (!wa_cli_parse_options (context, "audit verify-proof", &argc, &argv, error) ||
      !wa_cli_check_arguments ("audit verify-proof", argc, argv, 1, _("the proof file"), error))
    return FALSE;

  if ((profile_dir == NULL) == (key_text == NULL))
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("Give either --profile or --key, to say which device's key the proof must be signed with"));
      return FALSE;
    }

  if (profile_dir != NULL)
    {
      profile = wa_cli_open_profile (profile_dir, error);
      if (profile == NULL)
        return FALSE;
      memcpy (public_key, wa_profile_get_sign_public_key (profile), sizeof public_key);
    }
  else
    {
      if (!parse_verifier_key (key_text, public_key, error))
        return FALSE;
    }

  proof = wa_cli_read_input_file (argv[1], error);
  if (proof == NULL)
    return FALSE;
  if (memchr (g_bytes_get_data (proof, NULL), '\0', g_bytes_get_size (proof)) != NULL)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT, _("The proof file holds a NUL byte; it is not a proof"));
      return FALSE;
    }
  proof_text = g_strndup (g_bytes_get_data (proof, NULL), g_bytes_get_size (proof));

  entry = wa_audit_proof_verify (proof_text, public_key, error);
  if (entry == NULL)
    {
      g_prefix_error (error, _("The proof does not hold: "));
      return FALSE;
    }

  event_type = wa_cli_printable (entry->event_type);
  g_print (_("Entry %" G_GUINT64_FORMAT " (%s, %s, %s) is in the log.\n"),
           entry->index, event_type, entry->outcome, entry->time);

  return TRUE;
}

static const WaCliCommand audit_commands[] = {
  { "verify", audit_verify, N_("Check every entry, checkpoint and the tree (no password needed)") },
  { "show", audit_show, N_("Print entries, with their bodies when the profile unlocks") },
  { "tail", audit_tail, N_("Print the last entries") },
  { "export", audit_export, N_("Write entries as JSON, CEF, LEEF or syslog events") },
  { "proof", audit_proof, N_("Print a proof that an entry is in the log (no password needed)") },
  { "verify-proof", audit_verify_proof, N_("Check a proof without the database") },
};

gboolean
wa_cli_command_audit (int      argc,
                      char   **argv,
                      GError **error)
{
  return wa_cli_run_group ("audit",
                           _("Verifies, shows and exports the tamper-evident audit log of a profile."),
                           audit_commands, G_N_ELEMENTS (audit_commands), argc, argv, error);
}
