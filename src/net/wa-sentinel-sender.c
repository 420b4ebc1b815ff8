/* wa-sentinel-sender.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-sentinel-sender"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>
#include <sodium.h>

#include "wa-crypto.h"
#include "wa-json.h"
#include "wa-secure-bytes.h"
#include "wa-sentinel-sender.h"
#include "wa-siem-event.h"

#define SENTINEL_TIMEOUT_SECONDS 30

/* RFC 6585; libsoup 3.2 has no name for it. */
#define HTTP_STATUS_TOO_MANY_REQUESTS 429

/**
 * WaSentinelSender:
 *
 * Sends audit events to Microsoft Sentinel through the Azure Monitor Logs
 * Ingestion API: POST
 * {endpoint}/dataCollectionRules/{dcr-immutable-id}/streams/{stream-name}?api-version=2023-01-01
 * with "Authorization: Bearer <token>" and a gzip-compressed JSON array
 * of events.  Each event is the normalised audit event plus a
 * TimeGenerated member, the column every Log Analytics table has, set
 * from its time.  The service answers 204 when it took the data.
 *
 * One call carries at most %WA_SENTINEL_MAX_REQUEST_SIZE bytes of
 * uncompressed JSON, so a larger batch goes out in several calls, in
 * order; an event that alone is larger cannot be sent at all.  If a later
 * call fails, the caller sends the whole batch again and the events of
 * the calls before it arrive twice.
 *
 * The token is a Microsoft Entra ID access token for the
 * https://monitor.azure.com scope.  Getting it, and renewing it before
 * it expires, is the caller's business: set it with
 * wa_sentinel_sender_set_token().  It lives in guarded memory and is not
 * readable back through the property.
 */
struct _WaSentinelSender
{
  GObject        parent_instance;

  char          *endpoint;
  char          *dcr_immutable_id;
  char          *stream_name;
  char          *ca_file;

  char          *name;
  char          *url;
  SoupSession   *session;
  /* A settings problem found at construction, reported by every send. */
  GError        *setup_error;

  GMutex         token_lock;
  WaSecureBytes *token;
};

enum {
  PROP_0,
  PROP_ENDPOINT,
  PROP_DCR_IMMUTABLE_ID,
  PROP_STREAM_NAME,
  PROP_TOKEN,
  PROP_CA_FILE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void siem_sender_iface_init (WaSiemSenderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WaSentinelSender, wa_sentinel_sender, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WA_TYPE_SIEM_SENDER, siem_sender_iface_init))

static WaSecureBytes *
dup_token (WaSentinelSender *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->token_lock);

  return self->token != NULL ? wa_secure_bytes_ref (self->token) : NULL;
}

/* Each event as canonical JSON with TimeGenerated added, all checked
 * before anything is sent. */
static GPtrArray *
serialise_events (GPtrArray  *events,
                  GError    **error)
{
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(WaSiemEvent) event = NULL;
      g_autoptr(JsonNode) node = NULL;
      char *text;

      event = wa_siem_event_new (g_ptr_array_index (events, i), &local_error);
      if (event == NULL)
        {
          g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_INVALID_EVENT,
                       "The audit event at position %u of the batch cannot be exported (%s); leave it out to export the rest",
                       i + 1, local_error->message);
          return NULL;
        }

      node = wa_siem_event_to_json (event);
      json_object_set_string_member (json_node_get_object (node), "TimeGenerated", event->time_text);
      text = wa_json_canonicalize (node);

      /* "[" and "]" around it must fit too. */
      if (strlen (text) + 2 > WA_SENTINEL_MAX_REQUEST_SIZE)
        {
          g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_TOO_LARGE,
                       "The audit event at position %u of the batch is %" G_GSIZE_FORMAT " bytes of JSON, more than the "
                       "%d bytes Azure Monitor takes in one call; leave it out, or export it to another SIEM",
                       i + 1, strlen (text), WA_SENTINEL_MAX_REQUEST_SIZE);
          g_free (text);
          return NULL;
        }

      g_ptr_array_add (texts, text);
    }

  return g_steal_pointer (&texts);
}

static GBytes *
gzip_compress (const char  *data,
               gsize        size,
               GError     **error)
{
  g_autoptr(GZlibCompressor) compressor = g_zlib_compressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP, -1);
  g_autoptr(GOutputStream) memory = g_memory_output_stream_new_resizable ();
  g_autoptr(GOutputStream) gzip = g_converter_output_stream_new (memory, G_CONVERTER (compressor));

  if (!g_output_stream_write_all (gzip, data, size, NULL, NULL, error) ||
      !g_output_stream_close (gzip, NULL, error))
    return NULL;

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (memory));
}

static const char *
get_string_member (JsonObject *object,
                   const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/* The service's error answers are {"error": {"code": ..., "message": ...}}. */
static char *
dup_error_detail (GBytes        *response,
                  guint          status,
                  WaSecureBytes *token)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *secret = (const char *) wa_secure_bytes_get_data (token);
  g_autofree char *code = NULL;
  g_autofree char *message = NULL;
  const char *data;
  gsize size = 0;
  JsonNode *root;

  data = response != NULL ? g_bytes_get_data (response, &size) : NULL;
  if (size > 0 && json_parser_load_from_data (parser, data, size, NULL) &&
      (root = json_parser_get_root (parser)) != NULL && JSON_NODE_HOLDS_OBJECT (root))
    {
      JsonNode *error = json_object_get_member (json_node_get_object (root), "error");

      if (error != NULL && JSON_NODE_HOLDS_OBJECT (error))
        {
          JsonObject *object = json_node_get_object (error);

          code = wa_siem_sender_quote_server_text (get_string_member (object, "code"), secret);
          message = wa_siem_sender_quote_server_text (get_string_member (object, "message"), secret);
        }
    }

  if (code != NULL && message != NULL)
    return g_strdup_printf ("HTTP %u, %s: “%s”", status, code, message);
  if (code != NULL || message != NULL)
    return g_strdup_printf ("HTTP %u, “%s”", status, code != NULL ? code : message);

  return g_strdup_printf ("HTTP %u", status);
}

static void
set_error_from_status (WaSentinelSender  *self,
                       SoupMessage       *message,
                       GBytes            *response,
                       WaSecureBytes     *token,
                       GError           **error)
{
  guint status = soup_message_get_status (message);
  g_autofree char *detail = dup_error_detail (response, status, token);

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_REFUSED,
                 "Azure Monitor refused the access token (%s); get a new token, and check that its application has the "
                 "Monitoring Metrics Publisher role on the data collection rule", detail);
  else if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE)
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_TOO_LARGE,
                 "Azure Monitor refused the call as too large (%s); export the events in smaller batches", detail);
  else if (status == HTTP_STATUS_TOO_MANY_REQUESTS)
    {
      const char *retry_after = soup_message_headers_get_one (soup_message_get_response_headers (message), "Retry-After");
      guint64 seconds = 0;

      if (retry_after != NULL && g_ascii_string_to_unsigned (retry_after, 10, 0, 86400, &seconds, NULL))
        g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_SERVER,
                     "Azure Monitor is throttling this client (%s); retry later, after %" G_GUINT64_FORMAT " seconds at the earliest",
                     detail, seconds);
      else
        g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_SERVER,
                     "Azure Monitor is throttling this client (%s); retry later", detail);
    }
  else if (status == SOUP_STATUS_NOT_FOUND)
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_REJECTED,
                 "Azure Monitor does not know this data collection rule or stream (%s); check the endpoint, the DCR "
                 "immutable id and the stream name in the SIEM settings", detail);
  else if (status >= 400 && status < 500)
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_REJECTED,
                 "Azure Monitor rejected the events (%s); check that the stream's columns in the data collection rule "
                 "match the WebAgent audit event", detail);
  else if (status >= 500 && status < 600)
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_SERVER,
                 "Azure Monitor failed to take the events (%s); they will be sent again later", detail);
  else
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_PROTOCOL,
                 "Azure Monitor answered %s instead of 204; check that the endpoint in the SIEM settings is a data "
                 "collection endpoint", detail);

  g_debug ("%s answered HTTP %u", self->name, status);
}

static gboolean
post_chunk (WaSentinelSender  *self,
            WaSecureBytes     *token,
            const char        *json,
            gsize              size,
            GCancellable      *cancellable,
            GError           **error)
{
  g_autoptr(SoupMessage) message = soup_message_new ("POST", self->url);
  g_autoptr(GBytes) body = NULL;
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) local_error = NULL;
  SoupMessageHeaders *headers;
  const char *token_text = (const char *) wa_secure_bytes_get_data (token);
  gsize authorization_size = strlen ("Bearer ") + strlen (token_text) + 1;
  char *authorization;

  /* The URL was checked at construction. */
  g_assert (message != NULL);

  body = gzip_compress (json, size, &local_error);
  if (body == NULL)
    {
      g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_PROTOCOL,
                   "The events could not be compressed (%s); try again", local_error->message);
      return FALSE;
    }

  /* A redirect would carry the token to wherever it points. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);

  headers = soup_message_get_request_headers (message);
  authorization = g_malloc (authorization_size);
  g_snprintf (authorization, authorization_size, "Bearer %s", token_text);
  soup_message_headers_replace (headers, "Authorization", authorization);
  sodium_memzero (authorization, authorization_size);
  g_free (authorization);
  soup_message_headers_replace (headers, "Content-Encoding", "gzip");
  soup_message_set_request_body_from_bytes (message, "application/json", body);

  response = soup_session_send_and_read (self->session, message, cancellable, &local_error);
  if (response == NULL)
    {
      wa_siem_sender_set_error_from_transport (error, local_error, self->name);
      return FALSE;
    }

  if (soup_message_get_status (message) != SOUP_STATUS_NO_CONTENT)
    {
      set_error_from_status (self, message, response, token, error);
      return FALSE;
    }

  return TRUE;
}

static gboolean
wa_sentinel_sender_send (WaSiemSender  *sender,
                         GPtrArray     *events,
                         GCancellable  *cancellable,
                         GError       **error)
{
  WaSentinelSender *self = WA_SENTINEL_SENDER (sender);
  g_autoptr(WaSecureBytes) token = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GString) chunk = g_string_new (NULL);
  guint in_chunk = 0;
  guint calls = 0;

  if (self->setup_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->setup_error));
      return FALSE;
    }

  token = dup_token (self);
  if (token == NULL)
    {
      g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION,
                   "No Azure Monitor access token is set; sign in to Microsoft Entra ID again");
      return FALSE;
    }

  if (!wa_siem_sender_check_token ((const char *) wa_secure_bytes_get_data (token), "Azure Monitor", error))
    return FALSE;

  texts = serialise_events (events, error);
  if (texts == NULL)
    return FALSE;

  /* Fill each call up to the limit, keeping the batch's order. */
  for (guint i = 0; i <= texts->len; i++)
    {
      const char *text = i < texts->len ? g_ptr_array_index (texts, i) : NULL;

      if (in_chunk > 0 && (text == NULL || chunk->len + 1 + strlen (text) + 1 > WA_SENTINEL_MAX_REQUEST_SIZE))
        {
          g_string_append_c (chunk, ']');
          if (!post_chunk (self, token, chunk->str, chunk->len, cancellable, error))
            {
              if (calls > 0)
                g_debug ("%s took %u calls of the batch before one failed", self->name, calls);
              return FALSE;
            }
          calls++;
          g_string_truncate (chunk, 0);
          in_chunk = 0;
        }

      if (text == NULL)
        break;

      g_string_append_c (chunk, in_chunk == 0 ? '[' : ',');
      g_string_append (chunk, text);
      in_chunk++;
    }

  g_debug ("Sent %u events to %s in %u calls", events->len, self->name, calls);

  return TRUE;
}

static const char *
wa_sentinel_sender_get_name (WaSiemSender *sender)
{
  return WA_SENTINEL_SENDER (sender)->name;
}

static void
siem_sender_iface_init (WaSiemSenderInterface *iface)
{
  iface->get_name = wa_sentinel_sender_get_name;
  iface->send = wa_sentinel_sender_send;
}

static void
wa_sentinel_sender_constructed (GObject *object)
{
  WaSentinelSender *self = WA_SENTINEL_SENDER (object);
  g_autofree char *base = NULL;
  g_autofree char *dcr = NULL;
  g_autofree char *stream = NULL;
  g_autoptr(GTlsDatabase) database = NULL;

  G_OBJECT_CLASS (wa_sentinel_sender_parent_class)->constructed (object);

  self->session = soup_session_new_with_options ("timeout", SENTINEL_TIMEOUT_SECONDS,
                                                 "user-agent", "WebAgent/" PACKAGE_VERSION,
                                                 NULL);

  base = wa_siem_sender_check_base_url (self->endpoint, "Azure Monitor endpoint", &self->setup_error);
  if (base == NULL)
    {
      self->name = g_strdup ("Azure Monitor (not configured)");
      return;
    }

  if (self->dcr_immutable_id == NULL || *self->dcr_immutable_id == '\0' ||
      self->stream_name == NULL || *self->stream_name == '\0')
    {
      g_set_error (&self->setup_error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION,
                   "The data collection rule's immutable id or the stream name is missing; enter both in the SIEM settings");
      self->name = g_strdup ("Azure Monitor (not configured)");
      return;
    }

  dcr = g_uri_escape_string (self->dcr_immutable_id, NULL, FALSE);
  stream = g_uri_escape_string (self->stream_name, NULL, FALSE);
  self->url = g_strconcat (base, "/dataCollectionRules/", dcr, "/streams/", stream,
                           "?api-version=" WA_SENTINEL_API_VERSION, NULL);
  self->name = g_strdup_printf ("Azure Monitor stream %s at %s", self->stream_name, base);

  if (self->ca_file != NULL)
    {
      database = wa_siem_sender_load_ca_file (self->ca_file, &self->setup_error);
      if (database != NULL)
        soup_session_set_tls_database (self->session, database);
    }
}

static void
wa_sentinel_sender_finalize (GObject *object)
{
  WaSentinelSender *self = WA_SENTINEL_SENDER (object);

  g_clear_object (&self->session);
  g_clear_error (&self->setup_error);
  g_clear_pointer (&self->token, wa_secure_bytes_unref);
  g_mutex_clear (&self->token_lock);
  g_free (self->endpoint);
  g_free (self->dcr_immutable_id);
  g_free (self->stream_name);
  g_free (self->ca_file);
  g_free (self->name);
  g_free (self->url);

  G_OBJECT_CLASS (wa_sentinel_sender_parent_class)->finalize (object);
}

static void
wa_sentinel_sender_get_property (GObject    *object,
                                 guint       prop_id,
                                 GValue     *value,
                                 GParamSpec *pspec)
{
  WaSentinelSender *self = WA_SENTINEL_SENDER (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT :
      g_value_set_string (value, self->endpoint);
      break;
    case PROP_DCR_IMMUTABLE_ID :
      g_value_set_string (value, self->dcr_immutable_id);
      break;
    case PROP_STREAM_NAME :
      g_value_set_string (value, self->stream_name);
      break;
    case PROP_CA_FILE :
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_TOKEN :
    case N_PROPS :
    default :
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wa_sentinel_sender_set_property (GObject      *object,
                                 guint         prop_id,
                                 const GValue *value,
                                 GParamSpec   *pspec)
{
  WaSentinelSender *self = WA_SENTINEL_SENDER (object);

  switch (prop_id)
    {
    case PROP_ENDPOINT :
      self->endpoint = g_value_dup_string (value);
      break;
    case PROP_DCR_IMMUTABLE_ID :
      self->dcr_immutable_id = g_value_dup_string (value);
      break;
    case PROP_STREAM_NAME :
      self->stream_name = g_value_dup_string (value);
      break;
    case PROP_TOKEN :
      wa_sentinel_sender_set_token (self, g_value_get_string (value));
      break;
    case PROP_CA_FILE :
      self->ca_file = g_value_dup_string (value);
      break;
    case N_PROPS :
    default :
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wa_sentinel_sender_class_init (WaSentinelSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  g_autoptr(GError) error = NULL;

  /* The token lives in sodium_malloc()'d memory. */
  if (!wa_crypto_init (&error))
    g_error ("%s", error->message);

  object_class->constructed = wa_sentinel_sender_constructed;
  object_class->finalize = wa_sentinel_sender_finalize;
  object_class->get_property = wa_sentinel_sender_get_property;
  object_class->set_property = wa_sentinel_sender_set_property;

  /**
   * WaSentinelSender:endpoint:
   *
   * The logs ingestion endpoint of the data collection endpoint (or of
   * the rule), such as https://my-dce-a1b2.eastus-1.ingest.monitor.azure.com.
   */
  properties[PROP_ENDPOINT] =
    g_param_spec_string ("endpoint", NULL, NULL, NULL, flags);

  /**
   * WaSentinelSender:dcr-immutable-id:
   *
   * The immutable id of the data collection rule, "dcr-" and 32 hex
   * digits.
   */
  properties[PROP_DCR_IMMUTABLE_ID] =
    g_param_spec_string ("dcr-immutable-id", NULL, NULL, NULL, flags);

  /**
   * WaSentinelSender:stream-name:
   *
   * The rule's input stream, such as "Custom-WebAgentAudit_CL".
   */
  properties[PROP_STREAM_NAME] =
    g_param_spec_string ("stream-name", NULL, NULL, NULL, flags);

  /**
   * WaSentinelSender:token:
   *
   * The Microsoft Entra ID access token.  Write-only: it can be replaced,
   * never read back.
   */
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);

  /**
   * WaSentinelSender:ca-file:
   *
   * A PEM file of the CAs the endpoint's certificate must chain to;
   * %NULL trusts the system's CAs.
   */
  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wa_sentinel_sender_init (WaSentinelSender *self)
{
  g_mutex_init (&self->token_lock);
}

/**
 * wa_sentinel_sender_new:
 * @endpoint: the logs ingestion endpoint
 * @dcr_immutable_id: the data collection rule's immutable id
 * @stream_name: the rule's input stream
 * @token: (nullable): a Microsoft Entra ID access token
 *
 * Returns: (transfer full): a new sender
 */
WaSentinelSender *
wa_sentinel_sender_new (const char *endpoint,
                        const char *dcr_immutable_id,
                        const char *stream_name,
                        const char *token)
{
  g_return_val_if_fail (endpoint != NULL, NULL);
  g_return_val_if_fail (dcr_immutable_id != NULL, NULL);
  g_return_val_if_fail (stream_name != NULL, NULL);

  return g_object_new (WA_TYPE_SENTINEL_SENDER,
                       "endpoint", endpoint,
                       "dcr-immutable-id", dcr_immutable_id,
                       "stream-name", stream_name,
                       "token", token,
                       NULL);
}

/**
 * wa_sentinel_sender_set_token:
 * @token: (nullable): the access token, or %NULL to forget it
 *
 * Replaces the access token, as when it is renewed before it expires; a
 * send already under way finishes with the old one.
 */
void
wa_sentinel_sender_set_token (WaSentinelSender *self,
                              const char       *token)
{
  g_autoptr(GMutexLocker) locker = NULL;
  WaSecureBytes *secure = NULL;

  g_return_if_fail (WA_IS_SENTINEL_SENDER (self));

  if (token != NULL && *token != '\0')
    {
      secure = wa_secure_bytes_new_from_data ((const guint8 *) token, strlen (token) + 1);
      wa_secure_bytes_seal (secure);
    }

  locker = g_mutex_locker_new (&self->token_lock);
  g_clear_pointer (&self->token, wa_secure_bytes_unref);
  self->token = secure;
}
