/* wa-splunk-hec-sender.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-splunk-hec-sender"

#include "config.h"

#include <string.h>

#include <libsoup/soup.h>
#include <sodium.h>

#include "wa-crypto.h"
#include "wa-json.h"
#include "wa-secure-bytes.h"
#include "wa-siem-event.h"
#include "wa-splunk-hec-sender.h"

#define HEC_TIMEOUT_SECONDS      30
#define HEC_EVENT_PATH           "/services/collector/event"
#define HEC_ACK_PATH             "/services/collector/ack"
#define HEC_CHANNEL_HEADER       "X-Splunk-Request-Channel"
#define HEC_ACK_FIRST_INTERVAL   100
#define HEC_ACK_MAX_INTERVAL     2000
#define HEC_DEFAULT_ACK_TIMEOUT  60

/* RFC 6585; libsoup 3.2 has no name for it. */
#define HTTP_STATUS_TOO_MANY_REQUESTS 429

/**
 * WaSplunkHecSender:
 *
 * Sends audit events to a Splunk HTTP Event Collector: one POST to
 * /services/collector/event per batch, whose body is the events' JSON
 * envelopes one after the other, authorised by "Authorization: Splunk
 * <token>".
 *
 * With #WaSplunkHecSender:use-ack, the batch only counts as delivered
 * once Splunk confirms it was indexed: the request carries a channel
 * (X-Splunk-Request-Channel, one random UUID per sender), the answer an
 * ackId, and the sender polls /services/collector/ack until the id is
 * true or #WaSplunkHecSender:ack-timeout runs out, which fails the send
 * so the batch is sent again.
 *
 * The token lives in guarded memory and can be replaced at any time; it
 * is not readable back through the property.
 */
struct _WaSplunkHecSender
{
  GObject        parent_instance;

  char          *base_url;
  char          *index;
  char          *host;
  char          *ca_file;
  gboolean       use_ack;
  guint          ack_timeout;

  char          *name;
  char          *event_url;
  char          *ack_url;
  char          *channel;
  SoupSession   *session;
  /* A settings problem found at construction, reported by every send. */
  GError        *setup_error;

  GMutex         token_lock;
  WaSecureBytes *token;
};

enum {
  PROP_0,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_INDEX,
  PROP_HOST,
  PROP_CA_FILE,
  PROP_USE_ACK,
  PROP_ACK_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void siem_sender_iface_init (WaSiemSenderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WaSplunkHecSender, wa_splunk_hec_sender, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WA_TYPE_SIEM_SENDER, siem_sender_iface_init))

static WaSecureBytes *
dup_token (WaSplunkHecSender *self)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->token_lock);

  return self->token != NULL ? wa_secure_bytes_ref (self->token) : NULL;
}

/* "time" is seconds since the epoch with milliseconds, the precision
 * HEC keeps; written from integers so no rounding can move an event. */
static void
append_time (GString           *out,
             const WaSiemEvent *event)
{
  gint64 ms = wa_siem_event_get_unix_ms (event);
  const char *sign = ms < 0 ? "-" : "";
  guint64 magnitude = ms < 0 ? (guint64) - ms : (guint64) ms;

  g_string_append_printf (out, "%s%" G_GUINT64_FORMAT ".%03u", sign,
                          magnitude / 1000, (guint) (magnitude % 1000));
}

static GBytes *
build_body (WaSplunkHecSender  *self,
            GPtrArray          *events,
            GError            **error)
{
  GString *body = g_string_new (NULL);

  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autoptr(WaSiemEvent) event = NULL;
      g_autoptr(JsonNode) node = NULL;
      g_autofree char *json = NULL;

      event = wa_siem_event_new (g_ptr_array_index (events, i), &local_error);
      if (event == NULL)
        {
          g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_INVALID_EVENT,
                       "The audit event at position %u of the batch cannot be exported (%s); leave it out to export the rest",
                       i + 1, local_error->message);
          g_string_free (body, TRUE);
          return NULL;
        }

      node = wa_siem_event_to_json (event);
      json = wa_json_canonicalize (node);

      g_string_append (body, "{\"time\":");
      append_time (body, event);
      if (self->host != NULL && *self->host != '\0')
        {
          g_string_append (body, ",\"host\":");
          wa_json_append_string (body, self->host);
        }
      g_string_append (body, ",\"source\":\"" WA_SPLUNK_HEC_SOURCE "\"");
      g_string_append (body, ",\"sourcetype\":\"" WA_SPLUNK_HEC_SOURCETYPE "\"");
      if (self->index != NULL && *self->index != '\0')
        {
          g_string_append (body, ",\"index\":");
          wa_json_append_string (body, self->index);
        }
      g_string_append (body, ",\"event\":");
      g_string_append (body, json);
      g_string_append_c (body, '}');
    }

  return g_string_free_to_bytes (body);
}

static SoupMessage *
new_request (WaSplunkHecSender *self,
             const char        *url,
             WaSecureBytes     *token,
             GBytes            *body)
{
  SoupMessage *message = soup_message_new ("POST", url);
  SoupMessageHeaders *headers;
  const char *token_text = (const char *) wa_secure_bytes_get_data (token);
  gsize authorization_size = strlen ("Splunk ") + strlen (token_text) + 1;
  char *authorization = g_malloc (authorization_size);

  /* The URL was checked at construction. */
  g_assert (message != NULL);
  headers = soup_message_get_request_headers (message);

  /* A redirect would carry the token to wherever it points. */
  soup_message_add_flags (message, SOUP_MESSAGE_NO_REDIRECT);

  g_snprintf (authorization, authorization_size, "Splunk %s", token_text);
  soup_message_headers_replace (headers, "Authorization", authorization);
  sodium_memzero (authorization, authorization_size);
  g_free (authorization);

  if (self->use_ack)
    soup_message_headers_replace (headers, HEC_CHANNEL_HEADER, self->channel);

  soup_message_set_request_body_from_bytes (message, "application/json", body);

  return message;
}

static JsonObject *
parse_response_object (GBytes *response)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  gsize size;
  const char *data;
  JsonNode *root;

  if (response == NULL)
    return NULL;

  data = g_bytes_get_data (response, &size);
  if (size == 0 || !json_parser_load_from_data (parser, data, size, NULL))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return NULL;

  return json_object_ref (json_node_get_object (root));
}

/* HEC's error answers are {"text": "...", "code": N}; the text goes into
 * the message when there is one and it is safe to show. */
static void
set_error_from_status (WaSplunkHecSender  *self,
                       SoupMessage        *message,
                       GBytes             *response,
                       WaSecureBytes      *token,
                       GError            **error)
{
  g_autoptr(JsonObject) object = parse_response_object (response);
  guint status = soup_message_get_status (message);
  g_autofree char *text = NULL;
  g_autofree char *detail = NULL;

  if (object != NULL && json_object_has_member (object, "text") &&
      JSON_NODE_HOLDS_VALUE (json_object_get_member (object, "text")) &&
      json_node_get_value_type (json_object_get_member (object, "text")) == G_TYPE_STRING)
    text = wa_siem_sender_quote_server_text (json_object_get_string_member (object, "text"),
                                             (const char *) wa_secure_bytes_get_data (token));

  if (text != NULL)
    detail = g_strdup_printf ("HTTP %u, “%s”", status, text);
  else
    detail = g_strdup_printf ("HTTP %u", status);

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_REFUSED,
                 "Splunk refused the HEC token (%s); check the token in the SIEM settings and that it is enabled in Splunk",
                 detail);
  else if (status == SOUP_STATUS_REQUEST_ENTITY_TOO_LARGE)
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_TOO_LARGE,
                 "Splunk refused the batch as too large (%s); send smaller batches or raise max_content_length in Splunk",
                 detail);
  else if (status == HTTP_STATUS_TOO_MANY_REQUESTS || status == SOUP_STATUS_SERVICE_UNAVAILABLE)
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_SERVER,
                 "Splunk is busy (%s); the events will be sent again later", detail);
  else if (status >= 400 && status < 500)
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_REJECTED,
                 "Splunk rejected the events (%s); check the index in the SIEM settings and the indexes the HEC token may write to",
                 detail);
  else if (status >= 500 && status < 600)
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_SERVER,
                 "Splunk failed to take the events (%s); they will be sent again later", detail);
  else
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_PROTOCOL,
                 "Splunk answered in a way the HTTP Event Collector does not (%s); check the URL in the SIEM settings",
                 detail);

  g_debug ("%s answered HTTP %u", self->name, status);
}

/* Sends one request and returns the parsed JSON object of a 200 answer;
 * any other outcome sets @error. */
static JsonObject *
exchange (WaSplunkHecSender  *self,
          const char         *url,
          WaSecureBytes      *token,
          GBytes             *body,
          GCancellable       *cancellable,
          GError            **error)
{
  g_autoptr(SoupMessage) message = new_request (self, url, token, body);
  g_autoptr(GBytes) response = NULL;
  g_autoptr(GError) local_error = NULL;
  JsonObject *object;

  response = soup_session_send_and_read (self->session, message, cancellable, &local_error);
  if (response == NULL)
    {
      wa_siem_sender_set_error_from_transport (error, local_error, self->name);
      return NULL;
    }

  if (soup_message_get_status (message) != SOUP_STATUS_OK)
    {
      set_error_from_status (self, message, response, token, error);
      return NULL;
    }

  object = parse_response_object (response);
  if (object == NULL)
    {
      g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_PROTOCOL,
                   "Splunk's answer is not a JSON object; check that the URL in the SIEM settings points at the HTTP Event Collector");
      return NULL;
    }

  return object;
}

static gboolean
member_is_int (JsonObject *object,
               const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  return node != NULL && JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_INT64;
}

/* An acknowledgement answer is {"acks": {"<id>": true|false}}. */
static gboolean
read_ack_status (JsonObject  *answer,
                 gint64       ack_id,
                 gboolean    *indexed,
                 GError     **error)
{
  g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, ack_id);
  JsonNode *acks = json_object_get_member (answer, "acks");
  JsonNode *status;

  if (acks == NULL || !JSON_NODE_HOLDS_OBJECT (acks) ||
      (status = json_object_get_member (json_node_get_object (acks), key)) == NULL ||
      !JSON_NODE_HOLDS_VALUE (status) || json_node_get_value_type (status) != G_TYPE_BOOLEAN)
    {
      g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_PROTOCOL,
                   "Splunk's acknowledgement answer does not give the state of ackId %s; check that the URL in the SIEM settings points at the HTTP Event Collector",
                   key);
      return FALSE;
    }

  *indexed = json_node_get_boolean (status);
  return TRUE;
}

static gboolean
wait_for_ack (WaSplunkHecSender  *self,
              WaSecureBytes      *token,
              gint64              ack_id,
              GCancellable       *cancellable,
              GError            **error)
{
  g_autofree char *request = g_strdup_printf ("{\"acks\":[%" G_GINT64_FORMAT "]}", ack_id);
  g_autoptr(GBytes) body = g_bytes_new (request, strlen (request));
  gint64 deadline = g_get_monotonic_time () + (gint64) self->ack_timeout * G_USEC_PER_SEC;
  guint interval = HEC_ACK_FIRST_INTERVAL;

  for (;;)
    {
      g_autoptr(JsonObject) answer = NULL;
      gboolean indexed = FALSE;

      answer = exchange (self, self->ack_url, token, body, cancellable, error);
      if (answer == NULL || !read_ack_status (answer, ack_id, &indexed, error))
        return FALSE;

      if (indexed)
        return TRUE;

      if (g_get_monotonic_time () + (gint64) interval * 1000 > deadline)
        {
          g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_SERVER,
                       "Splunk did not confirm within %u seconds that it indexed the events; they will be sent again later, "
                       "and if this persists check the health of the Splunk indexers",
                       self->ack_timeout);
          return FALSE;
        }

      if (!wa_siem_sender_wait (interval, cancellable, error))
        return FALSE;

      interval = MIN (interval * 2, HEC_ACK_MAX_INTERVAL);
    }
}

static gboolean
wa_splunk_hec_sender_send (WaSiemSender  *sender,
                           GPtrArray     *events,
                           GCancellable  *cancellable,
                           GError       **error)
{
  WaSplunkHecSender *self = WA_SPLUNK_HEC_SENDER (sender);
  g_autoptr(WaSecureBytes) token = NULL;
  g_autoptr(GBytes) body = NULL;
  g_autoptr(JsonObject) answer = NULL;
  JsonNode *text;

  if (self->setup_error != NULL)
    {
      g_propagate_error (error, g_error_copy (self->setup_error));
      return FALSE;
    }

  token = dup_token (self);
  if (token == NULL)
    {
      g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION,
                   "No Splunk HEC token is set; enter it in the SIEM settings");
      return FALSE;
    }

  if (!wa_siem_sender_check_token ((const char *) wa_secure_bytes_get_data (token), "Splunk HEC", error))
    return FALSE;

  body = build_body (self, events, error);
  if (body == NULL)
    return FALSE;

  answer = exchange (self, self->event_url, token, body, cancellable, error);
  if (answer == NULL)
    return FALSE;

  text = json_object_get_member (answer, "text");
  if (!member_is_int (answer, "code") || json_object_get_int_member (answer, "code") != 0 ||
      text == NULL || !JSON_NODE_HOLDS_VALUE (text) || json_node_get_value_type (text) != G_TYPE_STRING ||
      g_strcmp0 (json_node_get_string (text), "Success") != 0)
    {
      g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_PROTOCOL,
                   "Splunk answered HTTP 200 without reporting success; check that the URL in the SIEM settings points at the HTTP Event Collector");
      return FALSE;
    }

  if (self->use_ack)
    {
      if (!member_is_int (answer, "ackId") || json_object_get_int_member (answer, "ackId") < 0)
        {
          g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_PROTOCOL,
                       "Splunk did not return an acknowledgement id; enable indexer acknowledgement for the HEC token, "
                       "or turn acknowledgement off in the SIEM settings");
          return FALSE;
        }

      if (!wait_for_ack (self, token, json_object_get_int_member (answer, "ackId"), cancellable, error))
        return FALSE;
    }

  g_debug ("Sent %u events to %s", events->len, self->name);

  return TRUE;
}

static const char *
wa_splunk_hec_sender_get_name (WaSiemSender *sender)
{
  return WA_SPLUNK_HEC_SENDER (sender)->name;
}

static void
siem_sender_iface_init (WaSiemSenderInterface *iface)
{
  iface->get_name = wa_splunk_hec_sender_get_name;
  iface->send = wa_splunk_hec_sender_send;
}

static void
wa_splunk_hec_sender_constructed (GObject *object)
{
  WaSplunkHecSender *self = WA_SPLUNK_HEC_SENDER (object);
  g_autofree char *base = NULL;
  g_autoptr(GTlsDatabase) database = NULL;

  G_OBJECT_CLASS (wa_splunk_hec_sender_parent_class)->constructed (object);

  if (self->host == NULL)
    self->host = g_strdup (g_get_host_name ());

  self->channel = g_uuid_string_random ();
  self->session = soup_session_new_with_options ("timeout", HEC_TIMEOUT_SECONDS,
                                                 "user-agent", "WebAgent/" PACKAGE_VERSION,
                                                 NULL);

  base = wa_siem_sender_check_base_url (self->base_url, "Splunk HEC", &self->setup_error);
  if (base == NULL)
    {
      self->name = g_strdup ("Splunk HEC (not configured)");
      return;
    }

  self->name = g_strdup_printf ("Splunk HEC at %s", base);
  self->event_url = g_strconcat (base, HEC_EVENT_PATH, NULL);
  self->ack_url = g_strconcat (base, HEC_ACK_PATH, NULL);

  if (self->ca_file != NULL)
    {
      database = wa_siem_sender_load_ca_file (self->ca_file, &self->setup_error);
      if (database != NULL)
        soup_session_set_tls_database (self->session, database);
    }
}

static void
wa_splunk_hec_sender_finalize (GObject *object)
{
  WaSplunkHecSender *self = WA_SPLUNK_HEC_SENDER (object);

  g_clear_object (&self->session);
  g_clear_error (&self->setup_error);
  g_clear_pointer (&self->token, wa_secure_bytes_unref);
  g_mutex_clear (&self->token_lock);
  g_free (self->base_url);
  g_free (self->index);
  g_free (self->host);
  g_free (self->ca_file);
  g_free (self->name);
  g_free (self->event_url);
  g_free (self->ack_url);
  g_free (self->channel);

  G_OBJECT_CLASS (wa_splunk_hec_sender_parent_class)->finalize (object);
}

static void
wa_splunk_hec_sender_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  WaSplunkHecSender *self = WA_SPLUNK_HEC_SENDER (object);

  switch (prop_id)
    {
    case PROP_BASE_URL :
      g_value_set_string (value, self->base_url);
      break;
    case PROP_INDEX :
      g_value_set_string (value, self->index);
      break;
    case PROP_HOST :
      g_value_set_string (value, self->host);
      break;
    case PROP_CA_FILE :
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_USE_ACK :
      g_value_set_boolean (value, self->use_ack);
      break;
    case PROP_ACK_TIMEOUT :
      g_value_set_uint (value, self->ack_timeout);
      break;
    case PROP_TOKEN :
    case N_PROPS :
    default :
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wa_splunk_hec_sender_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  WaSplunkHecSender *self = WA_SPLUNK_HEC_SENDER (object);

  switch (prop_id)
    {
    case PROP_BASE_URL :
      self->base_url = g_value_dup_string (value);
      break;
    case PROP_TOKEN :
      wa_splunk_hec_sender_set_token (self, g_value_get_string (value));
      break;
    case PROP_INDEX :
      self->index = g_value_dup_string (value);
      break;
    case PROP_HOST :
      self->host = g_value_dup_string (value);
      break;
    case PROP_CA_FILE :
      self->ca_file = g_value_dup_string (value);
      break;
    case PROP_USE_ACK :
      self->use_ack = g_value_get_boolean (value);
      break;
    case PROP_ACK_TIMEOUT :
      self->ack_timeout = g_value_get_uint (value);
      break;
    case N_PROPS :
    default :
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wa_splunk_hec_sender_class_init (WaSplunkHecSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;
  g_autoptr(GError) error = NULL;

  /* The token lives in sodium_malloc()'d memory. */
  if (!wa_crypto_init (&error))
    g_error ("%s", error->message);

  object_class->constructed = wa_splunk_hec_sender_constructed;
  object_class->finalize = wa_splunk_hec_sender_finalize;
  object_class->get_property = wa_splunk_hec_sender_get_property;
  object_class->set_property = wa_splunk_hec_sender_set_property;

  /**
   * WaSplunkHecSender:base-url:
   *
   * The collector's base URL, such as https://splunk.example.com:8088;
   * http:// only to this computer.
   */
  properties[PROP_BASE_URL] =
    g_param_spec_string ("base-url", NULL, NULL, NULL, flags);

  /**
   * WaSplunkHecSender:token:
   *
   * The HEC token.  Write-only: it can be replaced, never read back.
   */
  properties[PROP_TOKEN] =
    g_param_spec_string ("token", NULL, NULL, NULL,
                         G_PARAM_WRITABLE | G_PARAM_STATIC_STRINGS);

  /**
   * WaSplunkHecSender:index:
   *
   * The index to write to; %NULL leaves it to the token's default index.
   */
  properties[PROP_INDEX] =
    g_param_spec_string ("index", NULL, NULL, NULL, flags);

  /**
   * WaSplunkHecSender:host:
   *
   * The "host" of each event; %NULL gives this machine's host name, ""
   * leaves the member out so Splunk records the sender's address.
   */
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL, flags);

  /**
   * WaSplunkHecSender:ca-file:
   *
   * A PEM file of the CAs the collector's certificate must chain to;
   * %NULL trusts the system's CAs.
   */
  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL, NULL, flags);

  /**
   * WaSplunkHecSender:use-ack:
   *
   * Whether a batch counts as sent only once Splunk acknowledges that it
   * was indexed.  The token must have indexer acknowledgement enabled.
   */
  properties[PROP_USE_ACK] =
    g_param_spec_boolean ("use-ack", NULL, NULL, FALSE, flags);

  /**
   * WaSplunkHecSender:ack-timeout:
   *
   * How many seconds to wait for an acknowledgement before the send
   * fails.
   */
  properties[PROP_ACK_TIMEOUT] =
    g_param_spec_uint ("ack-timeout", NULL, NULL, 1, 3600, HEC_DEFAULT_ACK_TIMEOUT, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wa_splunk_hec_sender_init (WaSplunkHecSender *self)
{
  g_mutex_init (&self->token_lock);
  self->ack_timeout = HEC_DEFAULT_ACK_TIMEOUT;
}

/**
 * wa_splunk_hec_sender_new:
 * @base_url: the collector's base URL
 * @token: (nullable): the HEC token
 *
 * Returns: (transfer full): a new sender without index or
 *   acknowledgement; set those through g_object_new() when needed
 */
WaSplunkHecSender *
wa_splunk_hec_sender_new (const char *base_url,
                          const char *token)
{
  g_return_val_if_fail (base_url != NULL, NULL);

  return g_object_new (WA_TYPE_SPLUNK_HEC_SENDER,
                       "base-url", base_url,
                       "token", token,
                       NULL);
}

/**
 * wa_splunk_hec_sender_set_token:
 * @token: (nullable): the HEC token, or %NULL to forget it
 *
 * Replaces the token; a send already under way finishes with the old one.
 */
void
wa_splunk_hec_sender_set_token (WaSplunkHecSender *self,
                                const char        *token)
{
  g_autoptr(GMutexLocker) locker = NULL;
  WaSecureBytes *secure = NULL;

  g_return_if_fail (WA_IS_SPLUNK_HEC_SENDER (self));

  if (token != NULL && *token != '\0')
    {
      secure = wa_secure_bytes_new_from_data ((const guint8 *) token, strlen (token) + 1);
      wa_secure_bytes_seal (secure);
    }

  locker = g_mutex_locker_new (&self->token_lock);
  g_clear_pointer (&self->token, wa_secure_bytes_unref);
  self->token = secure;
}

/**
 * wa_splunk_hec_sender_get_channel:
 *
 * Returns: the channel UUID sent in X-Splunk-Request-Channel when
 *   acknowledgement is on
 */
const char *
wa_splunk_hec_sender_get_channel (WaSplunkHecSender *self)
{
  g_return_val_if_fail (WA_IS_SPLUNK_HEC_SENDER (self), NULL);

  return self->channel;
}
