/* webagent-cli-siem.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "webagent-cli"

#include "config.h"

#include <string.h>
#include <glib/gi18n.h>

#include "wa-json.h"
#include "wa-siem-exporter.h"
#include "webagent-cli.h"

/* The `siem` subcommands: where the audit log is exported to.  The log is
 * the outbox; each destination keeps how far it has got.  Tokens are
 * stored encrypted in the vault, never in the destination's settings. */

#define CREDENTIAL_TYPE "siem-credential"

/* Add -------------------------------------------------------------------------- */

static GBytes *
read_token (const char  *file,
            GError     **error)
{
  g_autoptr(GBytes) contents = wa_cli_read_input_file (file, error);
  const char *data;
  gsize len;

  if (contents == NULL)
    return NULL;

  /* The first line, without its line end. */
  data = g_bytes_get_data (contents, &len);
  for (gsize i = 0; i < len; i++)
    if (data[i] == '\n' || data[i] == '\r')
      {
        len = i;
        break;
      }
  if (len == 0 || memchr (data, '\0', len) != NULL)
    {
      wa_cli_wipe_bytes (contents);
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_INPUT,
                   _("The token file %s holds no token on its first line"), file);
      return NULL;
    }

  {
    GBytes *token = g_bytes_new (data, len);

    wa_cli_wipe_bytes (contents);
    return token;
  }
}

static gboolean
siem_add (int      argc,
          char   **argv,
          GError **error)
{
  g_autofree char *profile_dir = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *secret_key_file = NULL;
  g_autofree char *kind = NULL;
  g_autofree char *host = NULL;
  g_autofree char *ca_file = NULL;
  g_autofree char *url = NULL;
  g_autofree char *index = NULL;
  g_autofree char *endpoint = NULL;
  g_autofree char *dcr = NULL;
  g_autofree char *stream = NULL;
  g_autofree char *token_file = NULL;
  g_autofree char *absolute_ca = NULL;
  int port = 0;
  int facility = -1;
  gboolean tls = FALSE;
  gboolean ack = FALSE;
  gboolean from_start = FALSE;
  const GOptionEntry entries[] = {
    WA_CLI_PROFILE_OPTION (profile_dir),
    { "kind", 0, 0, G_OPTION_ARG_STRING, &kind, N_("syslog, splunk-hec or sentinel (required)"), N_("KIND") },
    { "host", 0, 0, G_OPTION_ARG_STRING, &host, N_("syslog: the receiver's host"), N_("HOST") },
    { "port", 0, 0, G_OPTION_ARG_INT, &port, N_("syslog: the receiver's TCP port (514, or 6514 with --tls)"),
      N_("PORT") },
    { "tls", 0, 0, G_OPTION_ARG_NONE, &tls, N_("syslog: use TLS (RFC 5425)"), NULL },
    { "facility", 0, 0, G_OPTION_ARG_INT, &facility, N_("syslog: the facility, 0 to 23 (13, log audit)"), N_("N") },
    { "url", 0, 0, G_OPTION_ARG_STRING, &url, N_("splunk-hec: the collector's base URL"), N_("URL") },
    { "ack", 0, 0, G_OPTION_ARG_NONE, &ack, N_("splunk-hec: wait for indexer acknowledgement"), NULL },
    { "index", 0, 0, G_OPTION_ARG_STRING, &index, N_("splunk-hec: the Splunk index"), N_("INDEX") },
    { "endpoint", 0, 0, G_OPTION_ARG_STRING, &endpoint, N_("sentinel: the data collection endpoint URL"),
      N_("URL") },
    { "dcr", 0, 0, G_OPTION_ARG_STRING, &dcr, N_("sentinel: the data collection rule's immutable id"), N_("ID") },
    { "stream", 0, 0, G_OPTION_ARG_STRING, &stream, N_("sentinel: the stream name, such as Custom-WebAgent"),
      N_("NAME") },
    { "token-file", 0, 0, G_OPTION_ARG_FILENAME, &token_file,
      N_("splunk-hec, sentinel: read the token from the first line of FILE; it is stored encrypted"), N_("FILE") },
    { "ca-file", 0, 0, G_OPTION_ARG_FILENAME, &ca_file, N_("Trust the certificate authorities in FILE"),
      N_("FILE") },
    { "from-start", 0, 0, G_OPTION_ARG_NONE, &from_start,
      N_("Send the whole log, not only what is recorded from now on"), NULL },
    WA_CLI_UNLOCK_OPTION_ENTRIES (password_file, secret_key_file),
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaProfile) profile = NULL;
  g_autoptr(WaSiemOutbox) outbox = NULL;
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(GBytes) token = NULL;
  g_autofree char *credential_id = NULL;
  g_autoptr(GError) local_error = NULL;
  WaVault *vault;

  context = wa_cli_option_context_new ("siem add", _("NAME"),
                                       _("Adds a destination the audit log is exported to: a syslog receiver "
                                         "(RFC 5424 over TCP, or TLS), a Splunk HTTP Event Collector, or Microsoft "
                                         "Sentinel through the Azure Monitor Logs Ingestion API.  “siem send” sends "
                                         "to it."),
                                       entries);
  if (!wa_cli_parse_profile_command (context, "siem add", &argc, &argv, 1, _("the destination's name"),
                                     &profile_dir, error))
    return FALSE;

  if (ca_file != NULL)
    {
      absolute_ca = g_canonicalize_filename (ca_file, NULL);
      json_object_set_string_member (config, "ca_file", absolute_ca);
    }

  if (g_strcmp0 (kind, "syslog") == 0)
    {
      if (host == NULL || port < 0 || port > 65535 || facility > 23)
        {
          g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                       _("A syslog destination needs --host, a --port from 1 to 65535 and a --facility from 0 to 23"));
          return FALSE;
        }
      json_object_set_string_member (config, "host", host);
      if (port > 0)
        json_object_set_int_member (config, "port", port);
      json_object_set_boolean_member (config, "tls", tls);
      if (facility >= 0)
        json_object_set_int_member (config, "facility", facility);
    }
  else if (g_strcmp0 (kind, "splunk-hec") == 0)
    {
      if (url == NULL || token_file == NULL)
        {
          g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                       _("A splunk-hec destination needs --url and --token-file"));
          return FALSE;
        }
      {
        g_autofree char *checked = wa_siem_sender_check_base_url (url, "Splunk HEC", &local_error);

        if (checked == NULL)
          {
            g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE, "--url: %s", local_error->message);
            return FALSE;
          }
      }
      json_object_set_string_member (config, "url", url);
      json_object_set_boolean_member (config, "use_ack", ack);
      if (index != NULL)
        json_object_set_string_member (config, "index", index);
    }
  else if (g_strcmp0 (kind, "sentinel") == 0)
    {
      if (endpoint == NULL || dcr == NULL || stream == NULL || token_file == NULL)
        {
          g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                       _("A sentinel destination needs --endpoint, --dcr, --stream and --token-file"));
          return FALSE;
        }
      {
        g_autofree char *checked = wa_siem_sender_check_base_url (endpoint, "Azure Monitor", &local_error);

        if (checked == NULL)
          {
            g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE, "--endpoint: %s", local_error->message);
            return FALSE;
          }
      }
      json_object_set_string_member (config, "endpoint", endpoint);
      json_object_set_string_member (config, "dcr_immutable_id", dcr);
      json_object_set_string_member (config, "stream_name", stream);
    }
  else
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                   _("--kind is syslog, splunk-hec or sentinel"));
      return FALSE;
    }

  if (token_file != NULL && g_strcmp0 (kind, "syslog") == 0)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE, _("A syslog destination takes no --token-file"));
      return FALSE;
    }

  if (token_file != NULL)
    {
      token = read_token (token_file, error);
      if (token == NULL)
        return FALSE;
    }

  profile = wa_cli_open_and_unlock_profile (profile_dir, password_file, secret_key_file, error);
  if (profile == NULL)
    return FALSE;
  vault = wa_profile_get_vault (profile);

  if (token != NULL)
    {
      g_autoptr(WaVaultRecord) template = wa_vault_record_new (CREDENTIAL_TYPE, WA_CLASSIFICATION_SECRET);

      credential_id = wa_vault_put (vault, template, token, NULL, error);
      wa_cli_wipe_bytes (token);
      if (credential_id == NULL)
        return FALSE;
    }

  outbox = wa_siem_outbox_new (vault);
  if (!wa_siem_outbox_add (outbox, argv[1], kind, config, credential_id, from_start, error))
    {
      g_autoptr(GError) delete_error = NULL;

      /* The token must not outlive the destination it was for. */
      if (credential_id != NULL && !wa_vault_delete (vault, credential_id, &delete_error))
        g_printerr (_("The vault record %s that holds the token could not be deleted (%s); delete it with "
                      "“vault delete”\n"),
                    credential_id, delete_error->message);
      return FALSE;
    }

  g_print (_("Added the %s destination %s.\n"), kind, argv[1]);

  return TRUE;
}

/* List ---------------------------------------------------------------------------- */

static gboolean
siem_list (int      argc,
           char   **argv,
           GError **error)
{
  g_autofree char *profile_dir = NULL;
  gboolean json = FALSE;
  const GOptionEntry entries[] = {
    WA_CLI_PROFILE_OPTION (profile_dir),
    { "json", 0, 0, G_OPTION_ARG_NONE, &json, N_("Print the destinations as JSON"), NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaProfile) profile = NULL;
  g_autoptr(WaSiemOutbox) outbox = NULL;
  g_autoptr(GPtrArray) destinations = NULL;
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(GError) local_error = NULL;
  guint64 size;

  context = wa_cli_option_context_new ("siem list", NULL,
                                       _("Lists the SIEM destinations, how far each has got in the audit log, and "
                                         "the last error of each.  Needs no password."),
                                       entries);
  if (!wa_cli_parse_profile_command (context, "siem list", &argc, &argv, 0, NULL, &profile_dir, error))
    return FALSE;

  profile = wa_cli_open_profile (profile_dir, error);
  if (profile == NULL)
    return FALSE;

  outbox = wa_siem_outbox_new (wa_profile_get_vault (profile));
  destinations = wa_siem_outbox_list (outbox, error);
  if (destinations == NULL)
    return FALSE;
  size = wa_audit_log_get_size (wa_profile_get_audit_log (profile), &local_error);
  if (local_error != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  json_builder_begin_array (builder);
  for (guint i = 0; i < destinations->len; i++)
    {
      const WaSiemDestination *destination = g_ptr_array_index (destinations, i);
      g_autoptr(JsonNode) config = wa_json_parse_object (destination->config, -1, NULL);

      if (!json)
        {
          g_autofree char *name = wa_cli_printable (destination->name);
          g_autofree char *kind = wa_cli_printable (destination->kind);
          g_autofree char *settings = wa_cli_printable (destination->config);

          g_print ("%s  %s  %s  ", name, kind, settings);
          g_print (_("at entry %" G_GUINT64_FORMAT " of %" G_GUINT64_FORMAT), destination->next_index, size);
          if (destination->last_error != NULL)
            {
              g_autofree char *last_error = wa_cli_printable (destination->last_error);

              g_print (_("  (%u failed attempts: %s)"), destination->attempts, last_error);
            }
          g_print ("\n");
          continue;
        }

      json_builder_begin_object (builder);
      json_builder_set_member_name (builder, "name");
      json_builder_add_string_value (builder, destination->name);
      json_builder_set_member_name (builder, "kind");
      json_builder_add_string_value (builder, destination->kind);
      json_builder_set_member_name (builder, "config");
      json_builder_add_value (builder, g_steal_pointer (&config));
      json_builder_set_member_name (builder, "next_index");
      json_builder_add_int_value (builder, destination->next_index);
      json_builder_set_member_name (builder, "pending");
      json_builder_add_int_value (builder, size - MIN (size, destination->next_index));
      json_builder_set_member_name (builder, "attempts");
      json_builder_add_int_value (builder, destination->attempts);
      json_builder_set_member_name (builder, "last_error");
      if (destination->last_error != NULL)
        json_builder_add_string_value (builder, destination->last_error);
      else
        json_builder_add_null_value (builder);
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  if (json)
    {
      g_autoptr(JsonNode) root = json_builder_get_root (builder);

      return wa_cli_print_json (root, error);
    }

  return TRUE;
}

/* Remove ------------------------------------------------------------------------- */

static gboolean
siem_remove (int      argc,
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
  g_autoptr(WaSiemOutbox) outbox = NULL;
  g_autoptr(WaSiemDestination) destination = NULL;

  context = wa_cli_option_context_new ("siem remove", _("NAME"),
                                       _("Removes a SIEM destination and deletes its stored token."), entries);
  if (!wa_cli_parse_profile_command (context, "siem remove", &argc, &argv, 1, _("the destination's name"),
                                     &profile_dir, error))
    return FALSE;

  profile = wa_cli_open_and_unlock_profile (profile_dir, password_file, secret_key_file, error);
  if (profile == NULL)
    return FALSE;

  outbox = wa_siem_outbox_new (wa_profile_get_vault (profile));
  destination = wa_siem_outbox_get (outbox, argv[1], error);
  if (destination == NULL)
    return FALSE;
  /* The token first: a destination left without it cannot send, while a
   * token left without its destination would never be shredded. */
  if (destination->credential_id != NULL &&
      !wa_vault_delete (wa_profile_get_vault (profile), destination->credential_id, error))
    return FALSE;
  if (!wa_siem_outbox_remove (outbox, argv[1], error))
    return FALSE;

  g_print (_("Removed the destination %s.\n"), argv[1]);

  return TRUE;
}

/* Send --------------------------------------------------------------------------- */

static gboolean
send_to (WaProfile                *profile,
         WaSiemOutbox             *outbox,
         const WaSiemDestination  *destination,
         const guint8             *audit_key,
         int                       batch,
         GError                  **error)
{
  g_autoptr(GBytes) credential = NULL;
  g_autofree char *token = NULL;
  g_autoptr(WaSiemSender) sender = NULL;
  guint64 sent = 0;
  gboolean ok;

  if (destination->credential_id != NULL)
    {
      credential = wa_vault_get (wa_profile_get_vault (profile), destination->credential_id, NULL, NULL, error);
      if (credential == NULL)
        return FALSE;
      token = g_strndup (g_bytes_get_data (credential, NULL), g_bytes_get_size (credential));
      wa_cli_wipe_bytes (credential);
    }

  sender = wa_siem_sender_new_for_destination (destination, token, error);
  if (token != NULL)
    memset (token, 0, strlen (token));
  if (sender == NULL)
    return FALSE;

  ok = wa_siem_export_flush (outbox, wa_profile_get_audit_log (profile), destination->name, sender,
                             wa_profile_get_sign_public_key (profile), audit_key, NULL, batch, &sent, NULL, error);
  g_print (g_dngettext (GETTEXT_PACKAGE, "%s: sent %" G_GUINT64_FORMAT " event\n",
                        "%s: sent %" G_GUINT64_FORMAT " events\n", sent),
           destination->name, sent);

  return ok;
}

static gboolean
siem_send (int      argc,
           char   **argv,
           GError **error)
{
  g_autofree char *profile_dir = NULL;
  g_autofree char *password_file = NULL;
  g_autofree char *secret_key_file = NULL;
  gboolean headers_only = FALSE;
  int batch = WA_SIEM_EXPORT_DEFAULT_BATCH;
  const GOptionEntry entries[] = {
    WA_CLI_PROFILE_OPTION (profile_dir),
    { "headers-only", 0, 0, G_OPTION_ARG_NONE, &headers_only,
      N_("Send the public headers only, without the decrypted bodies"), NULL },
    { "batch", 0, 0, G_OPTION_ARG_INT, &batch, N_("Events a request (100)"), N_("N") },
    WA_CLI_UNLOCK_OPTION_ENTRIES (password_file, secret_key_file),
    { NULL }
  };
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(WaProfile) profile = NULL;
  g_autoptr(WaSiemOutbox) outbox = NULL;
  g_autoptr(GPtrArray) destinations = NULL;
  g_autoptr(WaSecureBytes) audit_key = NULL;
  guint failed = 0;

  context = wa_cli_option_context_new ("siem send", _("[NAME…]"),
                                       _("Sends each destination (or the ones named) the audit entries it has not "
                                         "received yet, in order.  What a receiver that is down does not take "
                                         "waits in the log for the next “siem send”."),
                                       entries);
  if (!wa_cli_parse_profile_command (context, "siem send", &argc, &argv, -1, NULL, &profile_dir, error))
    return FALSE;
  if (batch <= 0)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE, _("--batch needs a number above 0"));
      return FALSE;
    }

  profile = wa_cli_open_and_unlock_profile (profile_dir, password_file, secret_key_file, error);
  if (profile == NULL)
    return FALSE;
  if (!headers_only)
    {
      audit_key = wa_key_provider_derive_subkey (wa_profile_get_tenant_keys (profile), WA_TENANT_SUBKEY_AUDIT, error);
      if (audit_key == NULL)
        return FALSE;
    }

  outbox = wa_siem_outbox_new (wa_profile_get_vault (profile));
  destinations = wa_siem_outbox_list (outbox, error);
  if (destinations == NULL)
    return FALSE;

  for (int i = 1; i < argc; i++)
    {
      gboolean known = FALSE;

      for (guint j = 0; j < destinations->len; j++)
        known |= g_strcmp0 (((WaSiemDestination *) g_ptr_array_index (destinations, j))->name, argv[i]) == 0;
      if (!known)
        {
          g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_USAGE,
                       _("No SIEM destination is called “%s”; run “webagent-cli siem list” to see them"), argv[i]);
          return FALSE;
        }
    }

  for (guint j = 0; j < destinations->len; j++)
    {
      const WaSiemDestination *destination = g_ptr_array_index (destinations, j);
      g_autoptr(GError) send_error = NULL;
      gboolean wanted = argc < 2;

      for (int i = 1; i < argc; i++)
        wanted |= g_strcmp0 (destination->name, argv[i]) == 0;
      if (!wanted)
        continue;

      if (!send_to (profile, outbox, destination,
                    audit_key != NULL ? wa_secure_bytes_get_data (audit_key) : NULL, batch, &send_error))
        {
          g_autofree char *message = wa_cli_printable (send_error->message);

          g_printerr ("%s: %s\n", destination->name, message);
          failed++;
        }
    }

  if (failed > 0)
    {
      g_set_error (error, WA_CLI_ERROR, WA_CLI_ERROR_FAILED,
                   g_dngettext (GETTEXT_PACKAGE,
                                "%u destination did not take everything; the rest waits for the next “siem send”",
                                "%u destinations did not take everything; the rest waits for the next “siem send”",
                                failed),
                   failed);
      return FALSE;
    }

  return TRUE;
}

static const WaCliCommand siem_commands[] = {
  { "add", siem_add, N_("Add a syslog, Splunk HEC or Sentinel destination") },
  { "list", siem_list, N_("List the destinations and how far each has got (no password needed)") },
  { "remove", siem_remove, N_("Remove a destination and its stored token") },
  { "send", siem_send, N_("Send each destination what it has not received yet") },
};

gboolean
wa_cli_command_siem (int      argc,
                     char   **argv,
                     GError **error)
{
  return wa_cli_run_group ("siem",
                           _("Exports the audit log to SIEM systems: syslog, Splunk and Microsoft Sentinel."),
                           siem_commands, G_N_ELEMENTS (siem_commands), argc, argv, error);
}
