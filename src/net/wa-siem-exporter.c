/* wa-siem-exporter.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-siem-export"

#include "config.h"

#include "wa-json.h"
#include "wa-sentinel-sender.h"
#include "wa-siem-exporter.h"
#include "wa-splunk-hec-sender.h"
#include "wa-syslog-sender.h"

/**
 * wa_siem_export_event:
 * @body: (nullable): the entry's decrypted body
 * @enrichment: (nullable): members every event gets, such as the user's
 *   role
 *
 * Returns: (transfer full): @entry as the event the SIEM formats take:
 *   its header, its body's IP address, user agent and metadata, the plan
 *   id when the metadata names one, and @enrichment.
 */
JsonObject *
wa_siem_export_event (const WaAuditEntry *entry,
                      JsonObject         *body,
                      JsonObject         *enrichment)
{
  JsonObject *event = wa_audit_entry_to_event (entry, body);
  JsonObject *metadata = NULL;

  if (json_object_has_member (event, "metadata"))
    metadata = json_object_get_object_member (event, "metadata");
  if (metadata != NULL && json_object_has_member (metadata, "plan_id") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (metadata, "plan_id")))
    json_object_set_string_member (event, "plan_id", json_object_get_string_member (metadata, "plan_id"));

  if (enrichment != NULL)
    {
      JsonObjectIter iter;
      const char *name;
      JsonNode *value;

      json_object_iter_init (&iter, enrichment);
      while (json_object_iter_next (&iter, &name, &value))
        if (!json_object_has_member (event, name))
          json_object_set_member (event, name, json_node_copy (value));
    }

  return event;
}

/**
 * wa_siem_export_flush:
 * @audit_key: (nullable): the tenant audit key, to include the bodies;
 *   %NULL sends the public headers only
 * @n_sent: (out) (optional): how many events the receiver acknowledged
 *
 * Sends destination @name the entries it has not acknowledged, in order,
 * @batch_size at a time, moving it on after each acknowledged batch, until
 * it has the whole log or a send fails.  A failure is recorded with the
 * destination and returned; the entries wait in the log for the next
 * flush.  A process killed after a receiver took a batch but before it
 * was recorded sends that batch again; each event carries its index, by
 * which the receiver can tell.
 */
static gboolean
refuse (WaSiemOutbox  *outbox,
        const char    *name,
        GError       **error)
{
  g_autoptr(GError) record_error = NULL;

  if (!wa_siem_outbox_record_failure (outbox, name, (*error)->message, &record_error))
    g_debug ("Could not record the failed send: %s", record_error->message);

  return FALSE;
}

gboolean
wa_siem_export_flush (WaSiemOutbox  *outbox,
                      WaAuditLog    *log,
                      const char    *name,
                      WaSiemSender  *sender,
                      const guint8  *device_public_key,
                      const guint8  *audit_key,
                      JsonObject    *enrichment,
                      guint          batch_size,
                      guint64       *n_sent,
                      GCancellable  *cancellable,
                      GError       **error)
{
  guint64 sent = 0;

  g_return_val_if_fail (WA_IS_SIEM_OUTBOX (outbox), FALSE);
  g_return_val_if_fail (WA_IS_AUDIT_LOG (log), FALSE);
  g_return_val_if_fail (WA_IS_SIEM_SENDER (sender), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);
  g_return_val_if_fail (device_public_key != NULL, FALSE);

  if (batch_size == 0)
    batch_size = WA_SIEM_EXPORT_DEFAULT_BATCH;
  if (n_sent != NULL)
    *n_sent = 0;

  for (;;)
    {
      g_autoptr(WaSiemDestination) destination = NULL;
      g_autoptr(GPtrArray) entries = NULL;
      g_autoptr(GPtrArray) events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
      g_autoptr(GError) send_error = NULL;
      const WaAuditEntry *last;

      if (g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;

      destination = wa_siem_outbox_get (outbox, name, error);
      if (destination == NULL)
        return FALSE;

      entries = wa_audit_log_get_entries (log, destination->next_index,
                                          destination->next_index + batch_size - 1, error);
      if (entries == NULL)
        return refuse (outbox, name, error);
      if (entries->len == 0)
        {
          guint64 size = wa_audit_log_get_size (log, error);

          /* Up to date, unless the log is now shorter than what was sent:
           * then it was cut back, and what follows would reuse indexes. */
          if (size < destination->next_index)
            {
              g_set_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_TAMPERED,
                           "The audit log has %" G_GUINT64_FORMAT " entries but %" G_GUINT64_FORMAT " were sent "
                           "to %s: it was cut back; run “webagent-cli audit verify”",
                           size, destination->next_index, name);
              return refuse (outbox, name, error);
            }
          break;
        }

      for (guint i = 0; i < entries->len; i++)
        {
          const WaAuditEntry *entry = g_ptr_array_index (entries, i);
          g_autoptr(JsonObject) body = NULL;

          if (entry->index != destination->next_index + i)
            {
              g_set_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_TAMPERED,
                           "Audit entry %" G_GUINT64_FORMAT " is missing; run “webagent-cli audit verify”",
                           destination->next_index + i);
              return refuse (outbox, name, error);
            }

          /* Nothing goes out as the device's that the device did not sign. */
          if (!wa_audit_entry_verify_signature (entry, device_public_key, error))
            {
              g_prefix_error (error, "Audit entry %" G_GUINT64_FORMAT " was not sent: ", entry->index);
              return refuse (outbox, name, error);
            }

          if (audit_key != NULL)
            {
              body = wa_audit_entry_open_body (entry, audit_key, error);
              if (body == NULL)
                return refuse (outbox, name, error);
            }
          g_ptr_array_add (events, wa_siem_export_event (entry, body, enrichment));
        }

      if (!wa_siem_sender_send (sender, events, cancellable, &send_error))
        {
          g_autoptr(GError) record_error = NULL;

          if (!wa_siem_outbox_record_failure (outbox, name, send_error->message, &record_error))
            g_debug ("Could not record the failed send: %s", record_error->message);
          g_propagate_prefixed_error (error, g_steal_pointer (&send_error),
                                      "Sending entries from %" G_GUINT64_FORMAT " to %s failed; they wait in "
                                      "the log for the next try: ", destination->next_index, name);
          return FALSE;
        }

      last = g_ptr_array_index (entries, entries->len - 1);
      if (!wa_siem_outbox_acknowledge (outbox, name, destination->next_index, last->index + 1, error))
        return FALSE;

      sent += entries->len;
      if (n_sent != NULL)
        *n_sent = sent;
    }

  return TRUE;
}

static const char *
config_string (JsonObject *config,
               const char *name)
{
  JsonNode *node = json_object_get_member (config, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

static gboolean
require (JsonObject  *config,
         const char  *kind,
         const char  *name,
         GError     **error)
{
  if (config_string (config, name) != NULL)
    return TRUE;

  g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION,
               "The %s destination has no “%s”; remove it and add it again with one", kind, name);
  return FALSE;
}

/**
 * wa_siem_sender_new_for_destination:
 * @credential: (nullable): the token, for the HTTP destinations
 *
 * Returns: (transfer full): the sender @destination's settings describe.
 */
WaSiemSender *
wa_siem_sender_new_for_destination (const WaSiemDestination  *destination,
                                    const char               *credential,
                                    GError                  **error)
{
  g_autoptr(JsonNode) node = NULL;
  JsonObject *config;
  const char *kind;

  g_return_val_if_fail (destination != NULL, NULL);

  node = wa_json_parse_object (destination->config, -1, error);
  if (node == NULL)
    return NULL;
  config = json_node_get_object (node);
  kind = destination->kind;

  if (g_strcmp0 (kind, "syslog") == 0)
    {
      gboolean tls = json_object_get_boolean_member_with_default (config, "tls", FALSE);
      gint64 port = json_object_get_int_member_with_default (config, "port",
                                                             tls ? WA_SYSLOG_TLS_PORT : WA_SYSLOG_TCP_PORT);
      WaSyslogSender *sender;

      if (!require (config, kind, "host", error))
        return NULL;
      if (port <= 0 || port > 65535)
        {
          g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION,
                       "The syslog destination's port %" G_GINT64_FORMAT " is not a TCP port", port);
          return NULL;
        }

      {
        /* Every setting is a construct property; the optional ones are only
         * given when set, so the sender's defaults apply otherwise. */
        const char *names[8];
        GValue values[8] = { G_VALUE_INIT };
        guint n = 0;
        const char *optional[][2] = {
          { "ca-file", config_string (config, "ca_file") },
          { "app-name", config_string (config, "app_name") },
          { "sd-id", config_string (config, "sd_id") },
        };

        names[n] = "host";
        g_value_set_string (g_value_init (&values[n++], G_TYPE_STRING), config_string (config, "host"));
        names[n] = "port";
        g_value_set_uint (g_value_init (&values[n++], G_TYPE_UINT), port);
        names[n] = "tls";
        g_value_set_boolean (g_value_init (&values[n++], G_TYPE_BOOLEAN), tls);
        names[n] = "hostname";
        g_value_set_string (g_value_init (&values[n++], G_TYPE_STRING),
                            config_string (config, "hostname") != NULL ? config_string (config, "hostname")
                                                                       : g_get_host_name ());
        names[n] = "facility";
        g_value_set_int (g_value_init (&values[n++], G_TYPE_INT),
                         json_object_get_int_member_with_default (config, "facility", 13));
        for (guint i = 0; i < G_N_ELEMENTS (optional); i++)
          if (optional[i][1] != NULL)
            {
              names[n] = optional[i][0];
              g_value_set_string (g_value_init (&values[n++], G_TYPE_STRING), optional[i][1]);
            }

        sender = WA_SYSLOG_SENDER (g_object_new_with_properties (WA_TYPE_SYSLOG_SENDER, n, names, values));
        for (guint i = 0; i < n; i++)
          g_value_unset (&values[i]);
      }

      return WA_SIEM_SENDER (sender);
    }

  if (credential == NULL || *credential == '\0')
    {
      g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION,
                   "The %s destination %s has no token; remove it and add it again with --token-file",
                   kind, destination->name);
      return NULL;
    }

  if (g_strcmp0 (kind, "splunk-hec") == 0)
    {
      WaSplunkHecSender *sender;

      if (!require (config, kind, "url", error))
        return NULL;

      sender = g_object_new (WA_TYPE_SPLUNK_HEC_SENDER,
                             "base-url", config_string (config, "url"),
                             "token", credential,
                             "use-ack", json_object_get_boolean_member_with_default (config, "use_ack", FALSE),
                             "ca-file", config_string (config, "ca_file"),
                             "index", config_string (config, "index"),
                             NULL);

      return WA_SIEM_SENDER (sender);
    }

  if (g_strcmp0 (kind, "sentinel") == 0)
    {
      WaSentinelSender *sender;

      if (!require (config, kind, "endpoint", error) ||
          !require (config, kind, "dcr_immutable_id", error) ||
          !require (config, kind, "stream_name", error))
        return NULL;

      sender = g_object_new (WA_TYPE_SENTINEL_SENDER,
                             "endpoint", config_string (config, "endpoint"),
                             "dcr-immutable-id", config_string (config, "dcr_immutable_id"),
                             "stream-name", config_string (config, "stream_name"),
                             "token", credential,
                             "ca-file", config_string (config, "ca_file"),
                             NULL);

      return WA_SIEM_SENDER (sender);
    }

  g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION,
               "WebAgent cannot send to a destination of kind “%s”", kind);
  return NULL;
}
