/* test-siem-http.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* No Splunk or Azure service runs in these tests.  A loopback SoupServer
 * stands in for both and checks the real protocol of each request as
 * the services document it:
 *
 *   Splunk HTTP Event Collector ("Format events for HTTP Event Collector",
 *   "HTTP Event Collector indexer acknowledgment"): POST
 *   /services/collector/event with "Authorization: Splunk <token>", a body
 *   of JSON event envelopes one after the other (time in epoch seconds,
 *   host, source, sourcetype, index, event), answered {"text":"Success",
 *   "code":0}; with acknowledgement an X-Splunk-Request-Channel UUID, an
 *   ackId in the answer and POST /services/collector/ack {"acks":[id]}
 *   answered {"acks":{"id":bool}}.  Error answers are HEC's own: 401 "Token
 *   is required", 403 "Invalid token", 400 "Invalid data format", 503
 *   "Server is busy".
 *
 *   Azure Monitor Logs Ingestion API (REST reference 2023-01-01): POST
 *   /dataCollectionRules/{id}/streams/{stream}?api-version=2023-01-01 with
 *   "Authorization: Bearer <token>", Content-Type application/json,
 *   Content-Encoding gzip, a JSON array of at most 1 MB per call, answered
 *   204; errors as {"error":{"code":..,"message":..}}, 429 with Retry-After.
 *
 * The server parses what it receives on its own (it splits the HEC body
 * and gunzips the Azure one itself) and the tests compare the result with
 * the events given to the sender.  Syslog is tested against a real rsyslog
 * in test-siem-syslog.c.
 */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "wa-sentinel-sender.h"
#include "wa-siem-sender.h"
#include "wa-splunk-hec-sender.h"
#include "wa-test-utils.h"

#define HEC_TOKEN           "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
#define AZURE_TOKEN         "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.d2ViYWdlbnQtdGVzdA.c2lnbmF0dXJlLW9uZQ"
#define AZURE_TOKEN_RENEWED "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.cmVuZXdlZC10ZXN0.c2lnbmF0dXJlLXR3bw"
#define DCR_ID              "dcr-00112233445566778899aabbccddeeff"
#define STREAM              "Custom-WebAgentAudit_CL"
#define HEC_EVENT_PATH      "/services/collector/event"
#define HEC_ACK_PATH        "/services/collector/ack"
#define AZURE_PATH          "/dataCollectionRules/" DCR_ID "/streams/" STREAM
#define AZURE_QUERY         "api-version=2023-01-01"
#define FIRST_ACK_ID        7

/* The Logs Ingestion API takes at most 1 MB per call; the test reads
 * that as the smaller, decimal megabyte. */
#define AZURE_CALL_LIMIT    (1000 * 1000)

/* 2026-12-03T15:04:00Z */
#define BASE_EPOCH          G_GINT64_CONSTANT (1796310240)

/* A text with everything a serialiser can get wrong. */
#define AWKWARD_TEXT        "vault ]\"\\ Zürich ✓ 日本\ttab"

static char *cert_dir;

typedef struct
{
  char      *method;
  char      *path;
  char      *query;
  GPtrArray *headers;   /* "Name: value" */
  GBytes    *body;      /* as received */
  GBytes    *content;   /* the body after Content-Encoding */
} Request;

typedef struct
{
  /* What the server answers; set by a test before it sends. */
  guint          hec_status;
  const char    *hec_answer;
  gboolean       hec_ack;
  guint          ack_false_answers;
  GCancellable  *cancel_at_second_poll;
  guint          azure_status;
  const char    *azure_answer;
  const char    *retry_after;
  const char    *expected_bearer;

  /* What the server saw; the server thread writes it under the lock. */
  GMutex         lock;
  GPtrArray     *requests;        /* Request */
  GPtrArray     *envelopes;       /* JsonObject */
  GPtrArray     *envelope_texts;  /* char* */
  GPtrArray     *channels;        /* char*, one per HEC request */
  GPtrArray     *azure_events;    /* JsonObject */
  GArray        *azure_sizes;     /* gsize, uncompressed JSON per call */
  GPtrArray     *problems;        /* char* */
  guint          ack_polls;
  gint64         next_ack_id;

  gboolean       tls;
  GThread       *thread;
  GMainContext  *context;
  GMainLoop     *loop;
  GMutex         start_lock;
  GCond          started;
  char          *base_url;
} Fixture;

static void
request_free (Request *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_ptr_array_unref (request->headers);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_pointer (&request->content, g_bytes_unref);
  g_free (request);
}

static void
problem (Fixture    *f,
         const char *format,
         ...) G_GNUC_PRINTF (2, 3);

static void
problem (Fixture    *f,
         const char *format,
         ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (f->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
append_header_cb (const char *name,
                  const char *value,
                  gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%s: %s", name, value));
}

static void
record_request (Fixture           *f,
                SoupServerMessage *msg,
                GBytes            *body,
                GBytes            *content)
{
  Request *request = g_new0 (Request, 1);
  GUri *uri = soup_server_message_get_uri (msg);

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (g_uri_get_path (uri));
  request->query = g_strdup (g_uri_get_query (uri));
  request->headers = g_ptr_array_new_with_free_func (g_free);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg), append_header_cb, request->headers);
  request->body = g_bytes_ref (body);
  request->content = content != NULL ? g_bytes_ref (content) : NULL;
  g_ptr_array_add (f->requests, request);
}

static void
check_common (Fixture           *f,
              SoupServerMessage *msg,
              const char        *authorization)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value;

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0)
    problem (f, "method %s, not POST", soup_server_message_get_method (msg));

  value = soup_message_headers_get_one (headers, "Authorization");
  if (g_strcmp0 (value, authorization) != 0)
    problem (f, "Authorization header is not exactly the expected one");

  value = soup_message_headers_get_content_type (headers, NULL);
  if (g_strcmp0 (value, "application/json") != 0)
    problem (f, "Content-Type %s, not application/json", value);
}

static void
respond (SoupServerMessage *msg,
         guint              status,
         const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

/* Splits HEC's concatenated envelopes at the end of each top-level
 * object, as the collector does, and parses each one on its own. */
static void
parse_envelopes (Fixture *f,
                 GBytes  *body)
{
  gsize size;
  const char *data = g_bytes_get_data (body, &size);
  gsize start = 0;
  int depth = 0;
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;

  for (gsize i = 0; i < size; i++)
    {
      char c = data[i];

      if (in_string)
        {
          if (escaped)
            escaped = FALSE;
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (depth == 0)
        {
          if (c == '{')
            {
              start = i;
              depth = 1;
            }
          else if (!g_ascii_isspace (c))
            {
              problem (f, "byte %" G_GSIZE_FORMAT " of the HEC body is outside any envelope", i);
              return;
            }
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '{' || c == '[')
        depth++;
      else if (c == '}' || c == ']')
        depth--;

      if (depth == 0)
        {
          g_autoptr(JsonParser) parser = json_parser_new ();
          g_autoptr(GError) error = NULL;
          JsonNode *root;

          if (!json_parser_load_from_data (parser, data + start, i + 1 - start, &error))
            {
              problem (f, "an HEC envelope does not parse: %s", error->message);
              return;
            }
          root = json_parser_get_root (parser);
          if (!JSON_NODE_HOLDS_OBJECT (root))
            {
              problem (f, "an HEC envelope is not an object");
              return;
            }
          g_ptr_array_add (f->envelopes, json_object_ref (json_node_get_object (root)));
          g_ptr_array_add (f->envelope_texts, g_strndup (data + start, i + 1 - start));
        }
    }

  if (depth != 0 || in_string)
    problem (f, "the HEC body ends inside an envelope");
}

static void
hec_event_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Fixture *f = user_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&f->lock);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  const char *channel = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                      "X-Splunk-Request-Channel");

  record_request (f, msg, body, body);
  if (g_strcmp0 (path, HEC_EVENT_PATH) != 0)
    problem (f, "HEC request to %s", path);
  check_common (f, msg, "Splunk " HEC_TOKEN);

  if (f->hec_ack && (channel == NULL || !g_uuid_string_is_valid (channel)))
    problem (f, "no channel UUID on an HEC request with acknowledgement");
  g_ptr_array_add (f->channels, g_strdup (channel));

  parse_envelopes (f, body);

  if (f->hec_status != SOUP_STATUS_OK)
    respond (msg, f->hec_status, f->hec_answer);
  else if (f->hec_answer != NULL)
    respond (msg, SOUP_STATUS_OK, f->hec_answer);
  else if (f->hec_ack)
    {
      g_autofree char *answer = g_strdup_printf ("{\"text\":\"Success\",\"code\":0,\"ackId\":%" G_GINT64_FORMAT "}",
                                                 f->next_ack_id++);
      respond (msg, SOUP_STATUS_OK, answer);
    }
  else
    respond (msg, SOUP_STATUS_OK, "{\"text\":\"Success\",\"code\":0}");
}

static void
hec_ack_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *f = user_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&f->lock);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *channel = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                      "X-Splunk-Request-Channel");
  gint64 expected_id = f->next_ack_id - 1;
  g_autofree char *answer = NULL;
  JsonNode *root;
  JsonNode *acks = NULL;

  record_request (f, msg, body, body);
  if (g_strcmp0 (path, HEC_ACK_PATH) != 0)
    problem (f, "HEC ack request to %s", path);
  check_common (f, msg, "Splunk " HEC_TOKEN);

  if (f->channels->len == 0 || g_strcmp0 (channel, g_ptr_array_index (f->channels, f->channels->len - 1)) != 0)
    problem (f, "the ack poll does not use the channel of the event request");

  /* {"acks":[id]} */
  if (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) &&
      JSON_NODE_HOLDS_OBJECT ((root = json_parser_get_root (parser))))
    acks = json_object_get_member (json_node_get_object (root), "acks");
  if (acks == NULL || !JSON_NODE_HOLDS_ARRAY (acks) ||
      json_array_get_length (json_node_get_array (acks)) != 1 ||
      json_array_get_int_element (json_node_get_array (acks), 0) != expected_id)
    problem (f, "the ack poll does not ask for ackId %" G_GINT64_FORMAT, expected_id);

  f->ack_polls++;
  if (f->ack_polls == 2 && f->cancel_at_second_poll != NULL)
    g_cancellable_cancel (f->cancel_at_second_poll);

  answer = g_strdup_printf ("{\"acks\":{\"%" G_GINT64_FORMAT "\":%s}}", expected_id,
                            f->ack_polls > f->ack_false_answers ? "true" : "false");
  respond (msg, SOUP_STATUS_OK, answer);
}

static GBytes *
gunzip (GBytes  *compressed,
        GError **error)
{
  g_autoptr(GZlibDecompressor) decompressor = g_zlib_decompressor_new (G_ZLIB_COMPRESSOR_FORMAT_GZIP);
  g_autoptr(GInputStream) memory = g_memory_input_stream_new_from_bytes (compressed);
  g_autoptr(GInputStream) input = g_converter_input_stream_new (memory, G_CONVERTER (decompressor));
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();

  if (g_output_stream_splice (output, input, G_OUTPUT_STREAM_SPLICE_CLOSE_SOURCE | G_OUTPUT_STREAM_SPLICE_CLOSE_TARGET,
                              NULL, error) < 0)
    return NULL;

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (output));
}

static void
azure_cb (SoupServer        *server,
          SoupServerMessage *msg,
          const char        *path,
          GHashTable        *query,
          gpointer           user_data)
{
  Fixture *f = user_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&f->lock);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autofree char *authorization = g_strconcat ("Bearer ", f->expected_bearer, NULL);
  const guint8 *data;
  gsize size;
  JsonNode *root;

  data = g_bytes_get_data (body, &size);
  if (size < 2 || data[0] != 0x1f || data[1] != 0x8b)
    problem (f, "the Azure body is not gzip data");
  else if ((content = gunzip (body, &error)) == NULL)
    problem (f, "the Azure body does not gunzip: %s", error->message);

  record_request (f, msg, body, content);
  if (g_strcmp0 (path, AZURE_PATH) != 0)
    problem (f, "Azure request to %s", path);
  if (g_strcmp0 (g_uri_get_query (soup_server_message_get_uri (msg)), AZURE_QUERY) != 0)
    problem (f, "Azure query %s, not " AZURE_QUERY, g_uri_get_query (soup_server_message_get_uri (msg)));
  check_common (f, msg, authorization);
  if (g_strcmp0 (soup_message_headers_get_one (headers, "Content-Encoding"), "gzip") != 0)
    problem (f, "no Content-Encoding: gzip on an Azure request");

  if (content != NULL)
    {
      gsize content_size = g_bytes_get_size (content);

      g_array_append_val (f->azure_sizes, content_size);
      if (content_size > AZURE_CALL_LIMIT)
        problem (f, "an Azure call carries %" G_GSIZE_FORMAT " bytes, more than 1 MB", content_size);

      if (!json_parser_load_from_data (parser, g_bytes_get_data (content, NULL), content_size, &error))
        problem (f, "the Azure body does not parse: %s", error->message);
      else if (!JSON_NODE_HOLDS_ARRAY ((root = json_parser_get_root (parser))))
        problem (f, "the Azure body is not a JSON array");
      else
        {
          JsonArray *array = json_node_get_array (root);

          if (json_array_get_length (array) == 0)
            problem (f, "an Azure call carries no event");

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);
              JsonObject *event;
              const char *generated;
              g_autoptr(GDateTime) parsed = NULL;

              if (!JSON_NODE_HOLDS_OBJECT (element))
                {
                  problem (f, "an Azure array element is not an object");
                  continue;
                }
              event = json_node_get_object (element);
              generated = json_object_get_string_member_with_default (event, "TimeGenerated", NULL);
              if (generated != NULL)
                parsed = g_date_time_new_from_iso8601 (generated, NULL);
              if (parsed == NULL)
                problem (f, "an Azure event has no ISO 8601 TimeGenerated");
              else if (g_strcmp0 (generated, json_object_get_string_member_with_default (event, "time", NULL)) != 0)
                problem (f, "an Azure event's TimeGenerated is not its time");
              g_ptr_array_add (f->azure_events, json_object_ref (event));
            }
        }
    }

  if (f->retry_after != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", f->retry_after);
  respond (msg, f->azure_status, f->azure_answer);
}

static void
unexpected_cb (SoupServer        *server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  Fixture *f = user_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&f->lock);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  record_request (f, msg, body, NULL);
  problem (f, "request to unexpected path %s", path);
  respond (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static gpointer
server_thread (gpointer user_data)
{
  Fixture *f = user_data;
  g_autoptr(SoupServer) server = NULL;
  g_autoptr(GError) error = NULL;
  SoupServerListenOptions options = SOUP_SERVER_LISTEN_IPV4_ONLY;
  GSList *uris;

  g_main_context_push_thread_default (f->context);

  if (f->tls)
    {
      g_autofree char *cert_file = g_build_filename (cert_dir, "server-cert.pem", NULL);
      g_autofree char *key_file = g_build_filename (cert_dir, "server-key.pem", NULL);
      g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);

      g_assert_no_error (error);
      server = soup_server_new ("tls-certificate", certificate, NULL);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }
  else
    server = soup_server_new (NULL, NULL);

  soup_server_add_handler (server, NULL, unexpected_cb, f, NULL);
  soup_server_add_handler (server, HEC_EVENT_PATH, hec_event_cb, f, NULL);
  soup_server_add_handler (server, HEC_ACK_PATH, hec_ack_cb, f, NULL);
  soup_server_add_handler (server, "/dataCollectionRules", azure_cb, f, NULL);

  soup_server_listen_local (server, 0, options, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (server);
  g_mutex_lock (&f->start_lock);
  f->base_url = g_uri_to_string (uris->data);
  g_cond_signal (&f->started);
  g_mutex_unlock (&f->start_lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (f->loop);

  soup_server_disconnect (server);
  g_main_context_pop_thread_default (f->context);

  return NULL;
}

static void
start_server (Fixture  *f,
              gboolean  tls)
{
  g_mutex_init (&f->lock);
  g_mutex_init (&f->start_lock);
  g_cond_init (&f->started);
  f->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  f->envelopes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  f->envelope_texts = g_ptr_array_new_with_free_func (g_free);
  f->channels = g_ptr_array_new_with_free_func (g_free);
  f->azure_events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  f->azure_sizes = g_array_new (FALSE, FALSE, sizeof (gsize));
  f->problems = g_ptr_array_new_with_free_func (g_free);
  f->hec_status = SOUP_STATUS_OK;
  f->azure_status = SOUP_STATUS_NO_CONTENT;
  f->expected_bearer = AZURE_TOKEN;
  f->next_ack_id = FIRST_ACK_ID;
  f->tls = tls;

  f->context = g_main_context_new ();
  f->loop = g_main_loop_new (f->context, FALSE);
  f->thread = g_thread_new ("test-siem-http-server", server_thread, f);

  g_mutex_lock (&f->start_lock);
  while (f->base_url == NULL)
    g_cond_wait (&f->started, &f->start_lock);
  g_mutex_unlock (&f->start_lock);

  /* soup_server_get_uris() ends the URL with a slash; the senders take a
   * base URL without one, as users type it. */
  if (g_str_has_suffix (f->base_url, "/"))
    f->base_url[strlen (f->base_url) - 1] = '\0';
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  start_server (f, FALSE);
}

static void
fixture_set_up_tls (Fixture       *f,
                    gconstpointer  data)
{
  start_server (f, TRUE);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GSource) quit = g_idle_source_new ();

  /* From the server's own loop: a quit before it started running would
   * be forgotten when it starts. */
  g_source_set_callback (quit, quit_cb, f->loop, NULL);
  g_source_attach (quit, f->context);
  g_thread_join (f->thread);
  g_main_loop_unref (f->loop);
  g_main_context_unref (f->context);

  g_free (f->base_url);
  g_ptr_array_unref (f->requests);
  g_ptr_array_unref (f->envelopes);
  g_ptr_array_unref (f->envelope_texts);
  g_ptr_array_unref (f->channels);
  g_ptr_array_unref (f->azure_events);
  g_array_unref (f->azure_sizes);
  g_ptr_array_unref (f->problems);
  g_mutex_clear (&f->lock);
  g_mutex_clear (&f->start_lock);
  g_cond_clear (&f->started);
}

static void
assert_no_problems (Fixture *f)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&f->lock);

  for (guint i = 0; i < f->problems->len; i++)
    g_test_message ("protocol problem: %s", (const char *) g_ptr_array_index (f->problems, i));
  g_assert_cmpuint (f->problems->len, ==, 0);
}

static gboolean
bytes_contain (GBytes     *bytes,
               const char *needle)
{
  gsize size;
  const char *data;

  if (bytes == NULL)
    return FALSE;

  data = g_bytes_get_data (bytes, &size);
  return memmem (data, size, needle, strlen (needle)) != NULL;
}

/* The token may appear in the Authorization header and nowhere else:
 * not in the URL, another header, or the body. */
static void
assert_token_confined (Fixture    *f,
                       const char *token)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&f->lock);

  for (guint i = 0; i < f->requests->len; i++)
    {
      Request *request = g_ptr_array_index (f->requests, i);

      g_assert_null (strstr (request->path, token));
      g_assert_true (request->query == NULL || strstr (request->query, token) == NULL);
      for (guint j = 0; j < request->headers->len; j++)
        {
          const char *header = g_ptr_array_index (request->headers, j);

          if (!g_str_has_prefix (header, "Authorization: "))
            g_assert_null (strstr (header, token));
        }
      g_assert_false (bytes_contain (request->body, token));
      g_assert_false (bytes_contain (request->content, token));
    }
}

static guint
count_requests (Fixture *f)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&f->lock);

  return f->requests->len;
}

static void
assert_error_free_of (const GError *error,
                      const char   *token)
{
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, token));
}

/* Event @i of a batch: one millisecond and 456 µs further each time, so
 * every event has its own HEC time, with awkward text in free fields and
 * @padding bytes of metadata. */
static JsonObject *
make_event (guint i,
            gsize padding)
{
  JsonObject *event = json_object_new ();
  JsonObject *metadata = json_object_new ();
  guint64 microseconds = (guint64) i * 1000 + 456;
  g_autofree char *time = g_strdup_printf ("2026-12-03T15:04:%02u.%06uZ",
                                           (guint) (microseconds / G_USEC_PER_SEC),
                                           (guint) (microseconds % G_USEC_PER_SEC));

  json_object_set_int_member (event, "index", i);
  json_object_set_string_member (event, "time", time);
  json_object_set_string_member (event, "tenant", "acme");
  json_object_set_string_member (event, "actor", "p-7f3a9c");
  json_object_set_string_member (event, "device", "dev-01");
  json_object_set_string_member (event, "event_type", "auth.unlock_failed");
  json_object_set_string_member (event, "outcome", "failure");
  json_object_set_int_member (event, "risk_score", 65);
  json_object_set_string_member (event, "resource", AWKWARD_TEXT);
  json_object_set_string_member (event, "action", "unlock\nsecond line");
  json_object_set_string_member (event, "ip", "192.0.2.10");
  json_object_set_int_member (metadata, "attempt", i);
  if (padding > 0)
    {
      g_autofree char *filler = g_strnfill (padding, 'x');

      json_object_set_string_member (metadata, "padding", filler);
    }
  json_object_set_object_member (event, "metadata", metadata);

  return event;
}

static GPtrArray *
make_events (guint n,
             gsize padding)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (events, make_event (i, padding));

  return events;
}

static gboolean
objects_equal (JsonObject *a,
               JsonObject *b)
{
  g_autoptr(JsonNode) node_a = json_node_init_object (json_node_alloc (), a);
  g_autoptr(JsonNode) node_b = json_node_init_object (json_node_alloc (), b);

  return json_node_equal (node_a, node_b);
}

/* HEC "time" in seconds with exactly the event's milliseconds, checked
 * on the text, so a float printed as 1.79631e+09 cannot pass. */
static char *
expected_hec_time (guint i)
{
  guint64 microseconds = (guint64) i * 1000 + 456;

  return g_strdup_printf ("%" G_GINT64_FORMAT ".%03u", BASE_EPOCH + (gint64) (microseconds / G_USEC_PER_SEC),
                          (guint) (microseconds % G_USEC_PER_SEC / 1000));
}

static void
assert_envelopes (Fixture    *f,
                  GPtrArray  *events,
                  const char *host,
                  const char *index)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&f->lock);
  g_autoptr(GRegex) time_pattern = g_regex_new ("\"time\"\\s*:\\s*([0-9.eE+-]+)", 0, 0, NULL);

  g_assert_cmpuint (f->envelopes->len, ==, events->len);

  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *envelope = g_ptr_array_index (f->envelopes, i);
      const char *text = g_ptr_array_index (f->envelope_texts, i);
      g_autoptr(GMatchInfo) match = NULL;
      g_autofree char *time = NULL;
      g_autofree char *expected_time = expected_hec_time (i);
      JsonNode *event;
      g_autoptr(GList) members = json_object_get_members (envelope);

      g_assert_true (g_regex_match (time_pattern, text, 0, &match));
      time = g_match_info_fetch (match, 1);
      g_assert_cmpstr (time, ==, expected_time);
      g_assert_cmpfloat_with_epsilon (json_object_get_double_member (envelope, "time"),
                                      g_ascii_strtod (expected_time, NULL), 0.0001);

      if (host != NULL)
        g_assert_cmpstr (json_object_get_string_member_with_default (envelope, "host", NULL), ==, host);
      else
        g_assert_false (json_object_has_member (envelope, "host"));
      g_assert_cmpstr (json_object_get_string_member_with_default (envelope, "source", NULL), ==, "webagent");
      g_assert_cmpstr (json_object_get_string_member_with_default (envelope, "sourcetype", NULL), ==, "webagent:audit");
      if (index != NULL)
        g_assert_cmpstr (json_object_get_string_member_with_default (envelope, "index", NULL), ==, index);
      else
        g_assert_false (json_object_has_member (envelope, "index"));

      event = json_object_get_member (envelope, "event");
      g_assert_nonnull (event);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (event));
      g_assert_true (objects_equal (json_node_get_object (event), g_ptr_array_index (events, i)));

      /* Nothing HEC does not know. */
      for (GList *l = members; l != NULL; l = l->next)
        g_assert_true (g_strv_contains ((const char * const[]) { "time", "host", "source", "sourcetype",
                                                                 "index", "event", NULL }, l->data));
    }
}

/* The export worker calls the senders from its own thread, not from the
 * thread that made them. */
typedef struct
{
  WaSiemSender *sender;
  GPtrArray    *events;
  GError       *error;
  gboolean      sent;
} WorkerSend;

static gpointer
worker_send_thread (gpointer user_data)
{
  WorkerSend *send = user_data;

  send->sent = wa_siem_sender_send (send->sender, send->events, NULL, &send->error);
  return NULL;
}

static gboolean
send_from_worker (WaSiemSender  *sender,
                  GPtrArray     *events,
                  GError       **error)
{
  WorkerSend send = { sender, events, NULL, FALSE };

  g_thread_join (g_thread_new ("siem-export-worker", worker_send_thread, &send));
  if (send.error != NULL)
    g_propagate_error (error, send.error);

  return send.sent;
}

static WaSiemSender *
new_hec_sender (Fixture    *f,
                gboolean    use_ack,
                const char *index)
{
  return g_object_new (WA_TYPE_SPLUNK_HEC_SENDER,
                       "base-url", f->base_url,
                       "token", HEC_TOKEN,
                       "host", "agent-17.example.org",
                       "index", index,
                       "use-ack", use_ack,
                       "ack-timeout", 5,
                       NULL);
}

static void
test_hec_batch (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_hec_sender (f, FALSE, "audit");
  g_autoptr(GPtrArray) events = make_events (25, 0);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (wa_siem_sender_get_name (sender), "Splunk HEC at http://127.0.0.1:"));
  g_assert_null (strstr (wa_siem_sender_get_name (sender), HEC_TOKEN));

  g_assert_true (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_no_error (error);

  assert_no_problems (f);
  g_assert_cmpuint (count_requests (f), ==, 1);
  assert_envelopes (f, events, "agent-17.example.org", "audit");
  assert_token_confined (f, HEC_TOKEN);

  /* A second batch goes out the same way, in its own request, from the
   * worker's thread. */
  g_assert_true (send_from_worker (sender, events, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (count_requests (f), ==, 2);
  assert_no_problems (f);

  /* An empty batch needs no request. */
  g_ptr_array_set_size (events, 0);
  g_assert_true (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_cmpuint (count_requests (f), ==, 2);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_hec_ack (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_hec_sender (f, TRUE, NULL);
  g_autoptr(GPtrArray) events = make_events (5, 0);
  g_autoptr(GError) error = NULL;

  /* Splunk answers "not yet" twice before it confirms. */
  f->hec_ack = TRUE;
  f->ack_false_answers = 2;

  g_assert_true (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_no_error (error);

  assert_no_problems (f);
  g_assert_cmpuint (f->ack_polls, ==, 3);
  g_assert_cmpuint (count_requests (f), ==, 4);
  g_assert_cmpuint (f->channels->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->channels, 0), ==,
                   wa_splunk_hec_sender_get_channel (WA_SPLUNK_HEC_SENDER (sender)));
  assert_envelopes (f, events, "agent-17.example.org", NULL);
  assert_token_confined (f, HEC_TOKEN);

  /* The next batch keeps the channel and waits for its own ackId. */
  f->ack_polls = 0;
  f->ack_false_answers = 0;
  g_assert_true (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_no_error (error);
  assert_no_problems (f);
  g_assert_cmpuint (f->ack_polls, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->channels, 1), ==, g_ptr_array_index (f->channels, 0));

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_hec_ack_timeout (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = NULL;
  g_autoptr(GPtrArray) events = make_events (3, 0);
  g_autoptr(GError) error = NULL;
  gint64 start;

  sender = g_object_new (WA_TYPE_SPLUNK_HEC_SENDER,
                         "base-url", f->base_url,
                         "token", HEC_TOKEN,
                         "use-ack", TRUE,
                         "ack-timeout", 1,
                         NULL);

  /* The events never get indexed. */
  f->hec_ack = TRUE;
  f->ack_false_answers = G_MAXUINT;

  start = g_get_monotonic_time ();
  g_assert_false (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "sent again"));
  assert_error_free_of (error, HEC_TOKEN);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (f->ack_polls, >=, 2);
  assert_no_problems (f);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_hec_ack_cancelled (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_hec_sender (f, TRUE, NULL);
  g_autoptr(GPtrArray) events = make_events (3, 0);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  gint64 start;

  f->hec_ack = TRUE;
  f->ack_false_answers = G_MAXUINT;
  f->cancel_at_second_poll = cancellable;

  start = g_get_monotonic_time ();
  g_assert_false (wa_siem_sender_send (sender, events, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* Well before the five-second ack timeout. */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 3 * G_USEC_PER_SEC);
  g_assert_cmpuint (f->ack_polls, ==, 2);
  assert_no_problems (f);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_hec_ack_missing (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_hec_sender (f, TRUE, NULL);
  g_autoptr(GPtrArray) events = make_events (2, 0);
  g_autoptr(GError) error = NULL;

  /* A token without indexer acknowledgement answers without an ackId. */
  f->hec_answer = "{\"text\":\"Success\",\"code\":0}";

  g_assert_false (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "acknowledgement"));
  g_assert_cmpuint (f->ack_polls, ==, 0);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

typedef struct
{
  guint            status;
  const char      *answer;
  WaSiemSendError  code;
} StatusCase;

static void
test_hec_status (Fixture       *f,
                 gconstpointer  data)
{
  static const StatusCase cases[] = {
    { 401, "{\"text\":\"Token is required\",\"code\":2}", WA_SIEM_SEND_ERROR_REFUSED },
    { 403, "{\"text\":\"Invalid token\",\"code\":4}", WA_SIEM_SEND_ERROR_REFUSED },
    /* A server that echoes the token must not get it into the message. */
    { 403, "{\"text\":\"Invalid token " HEC_TOKEN "\",\"code\":4}", WA_SIEM_SEND_ERROR_REFUSED },
    { 400, "{\"text\":\"Invalid data format\",\"code\":6}", WA_SIEM_SEND_ERROR_REJECTED },
    { 400, "{\"text\":\"Incorrect index\",\"code\":7}", WA_SIEM_SEND_ERROR_REJECTED },
    { 413, "{\"text\":\"Content too large\",\"code\":27}", WA_SIEM_SEND_ERROR_TOO_LARGE },
    { 503, "{\"text\":\"Server is busy\",\"code\":9}", WA_SIEM_SEND_ERROR_SERVER },
    { 500, "{\"text\":\"Internal server error\",\"code\":8}", WA_SIEM_SEND_ERROR_SERVER },
    { 500, NULL, WA_SIEM_SEND_ERROR_SERVER },
    /* 200 without success, and 200 that is not JSON. */
    { 200, "{\"text\":\"Nope\",\"code\":5}", WA_SIEM_SEND_ERROR_PROTOCOL },
    { 200, "<html>proxy login</html>", WA_SIEM_SEND_ERROR_PROTOCOL },
  };
  g_autoptr(WaSiemSender) sender = new_hec_sender (f, FALSE, NULL);
  g_autoptr(GPtrArray) events = make_events (2, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      f->hec_status = cases[i].status;
      f->hec_answer = cases[i].answer;

      g_assert_false (wa_siem_sender_send (sender, events, NULL, &error));
      g_test_message ("HTTP %u: %s", cases[i].status, error->message);
      g_assert_error (error, WA_SIEM_SEND_ERROR, (int) cases[i].code);
      assert_error_free_of (error, HEC_TOKEN);
      if (cases[i].status != 200)
        g_assert_nonnull (strstr (error->message, "HTTP"));
    }

  g_assert_cmpuint (count_requests (f), ==, G_N_ELEMENTS (cases));
  assert_token_confined (f, HEC_TOKEN);
  assert_no_problems (f);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_hec_invalid_event (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_hec_sender (f, FALSE, NULL);
  g_autoptr(GPtrArray) events = make_events (3, 0);
  g_autoptr(GError) error = NULL;

  json_object_remove_member (g_ptr_array_index (events, 1), "outcome");

  g_assert_false (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_INVALID_EVENT);
  g_assert_nonnull (strstr (error->message, "position 2"));
  g_assert_nonnull (strstr (error->message, "outcome"));
  /* Nothing of the batch was sent. */
  g_assert_cmpuint (count_requests (f), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_hec_settings (Fixture       *f,
                   gconstpointer  data)
{
  static const char * const bad_urls[] = {
    "http://splunk.example.com:8088",
    "https://admin:s3cret-pass@splunk.example.com:8088",
    "https://splunk.example.com:8088/?token=abc",
    "not a url",
    "",
  };
  g_autoptr(GPtrArray) events = make_events (1, 0);

  for (guint i = 0; i < G_N_ELEMENTS (bad_urls); i++)
    {
      g_autoptr(WaSplunkHecSender) sender = wa_splunk_hec_sender_new (bad_urls[i], HEC_TOKEN);
      g_autoptr(GError) error = NULL;

      g_assert_false (wa_siem_sender_send (WA_SIEM_SENDER (sender), events, NULL, &error));
      g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION);
      g_assert_null (strstr (error->message, "s3cret-pass"));
      g_assert_null (strstr (wa_siem_sender_get_name (WA_SIEM_SENDER (sender)), "s3cret-pass"));
    }

  /* No token, and a token that would break its header. */
  {
    g_autoptr(WaSplunkHecSender) sender = wa_splunk_hec_sender_new (f->base_url, NULL);
    g_autoptr(GError) error = NULL;

    g_assert_false (wa_siem_sender_send (WA_SIEM_SENDER (sender), events, NULL, &error));
    g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION);
    g_clear_error (&error);

    wa_splunk_hec_sender_set_token (sender, HEC_TOKEN "\r\nX-Injected: 1");
    g_assert_false (wa_siem_sender_send (WA_SIEM_SENDER (sender), events, NULL, &error));
    g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION);
    g_assert_null (strstr (error->message, HEC_TOKEN));
  }

  g_assert_cmpuint (count_requests (f), ==, 0);
}

/* A bound socket that does not listen: connections to its port are
 * refused, and no other test can take the port while it is held. */
static GSocket *
bind_closed_port (guint *port)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
  g_autoptr(GSocketAddress) bound = NULL;
  GSocket *socket;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_socket_bind (socket, address, FALSE, &error);
  g_assert_no_error (error);
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  *port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));

  return socket;
}

static void
test_hec_unreachable (void)
{
  guint port;
  g_autoptr(GSocket) socket = bind_closed_port (&port);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr(WaSplunkHecSender) sender = wa_splunk_hec_sender_new (url, HEC_TOKEN);
  g_autoptr(GPtrArray) events = make_events (2, 0);
  g_autoptr(GError) error = NULL;

  g_assert_false (wa_siem_sender_send (WA_SIEM_SENDER (sender), events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_UNREACHABLE);
  assert_error_free_of (error, HEC_TOKEN);
}

static void
test_hec_tls (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *ca_file = g_build_filename (cert_dir, "ca.pem", NULL);
  g_autofree char *other_ca_file = g_build_filename (cert_dir, "other-ca.pem", NULL);
  g_autoptr(GPtrArray) events = make_events (4, 0);
  g_autoptr(WaSiemSender) sender = NULL;
  g_autoptr(WaSiemSender) untrusting = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (f->base_url, "https://"));

  /* A collector whose certificate chains to another CA is refused before
   * the request, and so before the token, goes out. */
  untrusting = g_object_new (WA_TYPE_SPLUNK_HEC_SENDER,
                             "base-url", f->base_url,
                             "token", HEC_TOKEN,
                             "ca-file", other_ca_file,
                             NULL);
  g_assert_false (wa_siem_sender_send (untrusting, events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CERTIFICATE);
  g_assert_cmpuint (count_requests (f), ==, 0);
  g_clear_error (&error);

  sender = g_object_new (WA_TYPE_SPLUNK_HEC_SENDER,
                         "base-url", f->base_url,
                         "token", HEC_TOKEN,
                         "host", "agent-17.example.org",
                         "ca-file", ca_file,
                         NULL);
  g_assert_true (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_no_error (error);
  assert_no_problems (f);
  assert_envelopes (f, events, "agent-17.example.org", NULL);
  assert_token_confined (f, HEC_TOKEN);
}

static WaSiemSender *
new_sentinel_sender (Fixture *f)
{
  return WA_SIEM_SENDER (wa_sentinel_sender_new (f->base_url, DCR_ID, STREAM, AZURE_TOKEN));
}

/* @received is @sent plus one member, @extra. */
static gboolean
objects_equal_but (JsonObject *received,
                   JsonObject *sent,
                   const char *extra)
{
  g_autoptr(GList) members = json_object_get_members (sent);

  if (!json_object_has_member (received, extra) ||
      json_object_get_size (received) != json_object_get_size (sent) + 1)
    return FALSE;

  for (GList *l = members; l != NULL; l = l->next)
    {
      JsonNode *member = json_object_get_member (received, l->data);

      if (member == NULL || !json_node_equal (member, json_object_get_member (sent, l->data)))
        return FALSE;
    }

  return TRUE;
}

/* Every event arrived once, in order, as itself plus TimeGenerated. */
static void
assert_azure_events (Fixture   *f,
                     GPtrArray *events)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&f->lock);

  g_assert_cmpuint (f->azure_events->len, ==, events->len);
  for (guint i = 0; i < events->len; i++)
    {
      JsonObject *received = g_ptr_array_index (f->azure_events, i);
      JsonObject *sent = g_ptr_array_index (events, i);

      g_assert_cmpstr (json_object_get_string_member (received, "TimeGenerated"), ==,
                       json_object_get_string_member (sent, "time"));
      g_assert_true (objects_equal_but (received, sent, "TimeGenerated"));
    }
}

static void
test_sentinel_batch (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_sentinel_sender (f);
  g_autoptr(GPtrArray) events = make_events (25, 0);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (strstr (wa_siem_sender_get_name (sender), STREAM));

  g_assert_true (send_from_worker (sender, events, &error));
  g_assert_no_error (error);

  assert_no_problems (f);
  g_assert_cmpuint (count_requests (f), ==, 1);
  assert_azure_events (f, events);
  assert_token_confined (f, AZURE_TOKEN);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_sentinel_split (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_sentinel_sender (f);
  /* About 3.2 MB of JSON in all. */
  g_autoptr(GPtrArray) events = make_events (400, 7600);
  g_autoptr(GError) error = NULL;
  gsize total = 0;

  g_assert_true (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_no_error (error);

  assert_no_problems (f);
  g_assert_cmpuint (count_requests (f), >=, 4);
  g_assert_cmpuint (f->azure_sizes->len, ==, count_requests (f));
  for (guint i = 0; i < f->azure_sizes->len; i++)
    {
      gsize size = g_array_index (f->azure_sizes, gsize, i);

      g_assert_cmpuint (size, <=, AZURE_CALL_LIMIT);
      total += size;
    }
  g_assert_cmpuint (total, >, 3 * AZURE_CALL_LIMIT);
  /* Calls are filled: a split into one call per event would pass the
   * checks above but hammer the service. */
  g_assert_cmpuint (count_requests (f), <=, total / AZURE_CALL_LIMIT + 2);
  assert_azure_events (f, events);
  assert_token_confined (f, AZURE_TOKEN);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_sentinel_too_large (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_sentinel_sender (f);
  g_autoptr(GPtrArray) events = make_events (3, 0);
  g_autoptr(GError) error = NULL;

  /* The middle event alone is over 1 MB. */
  g_ptr_array_remove_index (events, 1);
  g_ptr_array_insert (events, 1, make_event (1, AZURE_CALL_LIMIT));

  g_assert_false (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "position 2"));
  g_assert_cmpuint (count_requests (f), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_sentinel_status (Fixture       *f,
                      gconstpointer  data)
{
  static const StatusCase cases[] = {
    { 401, "{\"error\":{\"code\":\"InvalidToken\",\"message\":\"The token has expired.\"}}", WA_SIEM_SEND_ERROR_REFUSED },
    { 403, "{\"error\":{\"code\":\"Forbidden\",\"message\":\"Bearer " AZURE_TOKEN " lacks the role.\"}}",
      WA_SIEM_SEND_ERROR_REFUSED },
    { 400, "{\"error\":{\"code\":\"InvalidStream\",\"message\":\"Unknown column.\"}}", WA_SIEM_SEND_ERROR_REJECTED },
    { 404, "{\"error\":{\"code\":\"NotFound\",\"message\":\"No such rule.\"}}", WA_SIEM_SEND_ERROR_REJECTED },
    { 413, "{\"error\":{\"code\":\"ContentLengthLimitExceeded\",\"message\":\"Too large.\"}}", WA_SIEM_SEND_ERROR_TOO_LARGE },
    { 429, "{\"error\":{\"code\":\"TooManyRequests\",\"message\":\"Slow down.\"}}", WA_SIEM_SEND_ERROR_SERVER },
    { 500, NULL, WA_SIEM_SEND_ERROR_SERVER },
    { 503, NULL, WA_SIEM_SEND_ERROR_SERVER },
    /* Success is 204 and nothing else. */
    { 200, "{}", WA_SIEM_SEND_ERROR_PROTOCOL },
  };
  g_autoptr(WaSiemSender) sender = new_sentinel_sender (f);
  g_autoptr(GPtrArray) events = make_events (2, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      f->azure_status = cases[i].status;
      f->azure_answer = cases[i].answer;
      f->retry_after = cases[i].status == 429 ? "17" : NULL;

      g_assert_false (wa_siem_sender_send (sender, events, NULL, &error));
      g_test_message ("HTTP %u: %s", cases[i].status, error->message);
      g_assert_error (error, WA_SIEM_SEND_ERROR, (int) cases[i].code);
      assert_error_free_of (error, AZURE_TOKEN);
      g_assert_nonnull (strstr (error->message, "HTTP"));
      if (cases[i].status == 429)
        {
          g_assert_nonnull (strstr (error->message, "retry later"));
          g_assert_nonnull (strstr (error->message, "17 seconds"));
        }
    }

  g_assert_cmpuint (count_requests (f), ==, G_N_ELEMENTS (cases));
  assert_token_confined (f, AZURE_TOKEN);
  assert_no_problems (f);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_sentinel_token_renewal (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_sentinel_sender (f);
  g_autoptr(GPtrArray) events = make_events (2, 0);
  g_autoptr(GError) error = NULL;

  /* The old token has expired; the service takes the renewed one. */
  f->expected_bearer = AZURE_TOKEN_RENEWED;
  f->azure_status = SOUP_STATUS_UNAUTHORIZED;
  g_assert_false (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_REFUSED);
  g_clear_error (&error);

  f->azure_status = SOUP_STATUS_NO_CONTENT;
  g_mutex_lock (&f->lock);
  g_ptr_array_set_size (f->problems, 0);
  g_ptr_array_set_size (f->azure_events, 0);
  g_mutex_unlock (&f->lock);

  wa_sentinel_sender_set_token (WA_SENTINEL_SENDER (sender), AZURE_TOKEN_RENEWED);
  g_assert_true (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_no_error (error);
  assert_no_problems (f);
  assert_azure_events (f, events);
  assert_token_confined (f, AZURE_TOKEN);
  assert_token_confined (f, AZURE_TOKEN_RENEWED);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_sentinel_unreachable (void)
{
  guint port;
  g_autoptr(GSocket) socket = bind_closed_port (&port);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr(WaSentinelSender) sender = wa_sentinel_sender_new (url, DCR_ID, STREAM, AZURE_TOKEN);
  g_autoptr(GPtrArray) events = make_events (2, 0);
  g_autoptr(GError) error = NULL;

  g_assert_false (wa_siem_sender_send (WA_SIEM_SENDER (sender), events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_UNREACHABLE);
  assert_error_free_of (error, AZURE_TOKEN);
}

static void
run_certtool (const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *standard_error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) "certtool");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (cert_dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &standard_error, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("certtool failed: %s", standard_error);
}

/* A test CA, a server certificate it signed for 127.0.0.1 and localhost,
 * and a second CA that signed nothing here. */
static void
make_certificates (void)
{
  static const char ca_template[] =
    "cn = \"WebAgent test CA\"\nca\ncert_signing_key\nexpiration_days = 2\n";
  static const char server_template[] =
    "cn = \"localhost\"\ndns_name = \"localhost\"\nip_address = \"127.0.0.1\"\n"
    "tls_www_server\nsigning_key\nencryption_key\nexpiration_days = 2\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *certtool = g_find_program_in_path ("certtool");

  if (certtool == NULL)
    g_error ("certtool is not installed; run build-aux/install-deps to install gnutls-bin");

  cert_dir = g_dir_make_tmp ("test-siem-http-XXXXXX", &error);
  g_assert_no_error (error);

  {
    g_autofree char *ca_path = g_build_filename (cert_dir, "ca.tmpl", NULL);
    g_autofree char *server_path = g_build_filename (cert_dir, "server.tmpl", NULL);

    g_file_set_contents (ca_path, ca_template, -1, &error);
    g_assert_no_error (error);
    g_file_set_contents (server_path, server_template, -1, &error);
    g_assert_no_error (error);
  }

  run_certtool ((const char *[]) { "--generate-privkey", "--key-type=ecdsa", "--no-text",
                                   "--outfile", "ca-key.pem", NULL });
  run_certtool ((const char *[]) { "--generate-self-signed", "--no-text", "--load-privkey", "ca-key.pem",
                                   "--template", "ca.tmpl", "--outfile", "ca.pem", NULL });
  run_certtool ((const char *[]) { "--generate-privkey", "--key-type=ecdsa", "--no-text",
                                   "--outfile", "server-key.pem", NULL });
  run_certtool ((const char *[]) { "--generate-certificate", "--no-text", "--load-privkey", "server-key.pem",
                                   "--load-ca-certificate", "ca.pem", "--load-ca-privkey", "ca-key.pem",
                                   "--template", "server.tmpl", "--outfile", "server-cert.pem", NULL });
  run_certtool ((const char *[]) { "--generate-privkey", "--key-type=ecdsa", "--no-text",
                                   "--outfile", "other-ca-key.pem", NULL });
  run_certtool ((const char *[]) { "--generate-self-signed", "--no-text", "--load-privkey", "other-ca-key.pem",
                                   "--template", "ca.tmpl", "--outfile", "other-ca.pem", NULL });
}

static guint
count_pool_threads (void)
{
  g_autoptr(GDir) dir = g_dir_open ("/proc/self/task", 0, NULL);
  const char *name;
  guint count = 0;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *path = g_build_filename ("/proc/self/task", name, "comm", NULL);
      g_autofree char *comm = NULL;

      if (g_file_get_contents (path, &comm, NULL, NULL) && g_str_has_prefix (comm, "pool-"))
        count++;
    }

  return count;
}

/* SoupServer does its TLS handshakes in GTask's worker threads, which
 * linger for a while after their last task.  LeakSanitizer, in the
 * sanitizer build, cannot walk the thread-local storage the TLS backend
 * module leaves in a live thread, so the process waits for them to end;
 * with no unused threads allowed, they do within a second. */
static void
wait_for_pool_threads (void)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_thread_pool_stop_unused_threads ();
  while (count_pool_threads () > 0 && g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  /* Loopback requests must not go to a proxy from the environment. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_test_init (&argc, &argv, NULL);
  g_thread_pool_set_max_unused_threads (0);

  make_certificates ();

  g_test_add ("/wa/siem/hec/batch", Fixture, NULL, fixture_set_up, test_hec_batch, fixture_tear_down);
  g_test_add ("/wa/siem/hec/ack", Fixture, NULL, fixture_set_up, test_hec_ack, fixture_tear_down);
  g_test_add ("/wa/siem/hec/ack-timeout", Fixture, NULL, fixture_set_up, test_hec_ack_timeout, fixture_tear_down);
  g_test_add ("/wa/siem/hec/ack-cancelled", Fixture, NULL, fixture_set_up, test_hec_ack_cancelled, fixture_tear_down);
  g_test_add ("/wa/siem/hec/ack-missing", Fixture, NULL, fixture_set_up, test_hec_ack_missing, fixture_tear_down);
  g_test_add ("/wa/siem/hec/status", Fixture, NULL, fixture_set_up, test_hec_status, fixture_tear_down);
  g_test_add ("/wa/siem/hec/invalid-event", Fixture, NULL, fixture_set_up, test_hec_invalid_event, fixture_tear_down);
  g_test_add ("/wa/siem/hec/settings", Fixture, NULL, fixture_set_up, test_hec_settings, fixture_tear_down);
  g_test_add_func ("/wa/siem/hec/unreachable", test_hec_unreachable);
  g_test_add ("/wa/siem/hec/tls", Fixture, NULL, fixture_set_up_tls, test_hec_tls, fixture_tear_down);
  g_test_add ("/wa/siem/sentinel/batch", Fixture, NULL, fixture_set_up, test_sentinel_batch, fixture_tear_down);
  g_test_add ("/wa/siem/sentinel/split", Fixture, NULL, fixture_set_up, test_sentinel_split, fixture_tear_down);
  g_test_add ("/wa/siem/sentinel/too-large", Fixture, NULL, fixture_set_up, test_sentinel_too_large, fixture_tear_down);
  g_test_add ("/wa/siem/sentinel/status", Fixture, NULL, fixture_set_up, test_sentinel_status, fixture_tear_down);
  g_test_add ("/wa/siem/sentinel/token-renewal", Fixture, NULL, fixture_set_up, test_sentinel_token_renewal,
              fixture_tear_down);
  g_test_add_func ("/wa/siem/sentinel/unreachable", test_sentinel_unreachable);

  result = g_test_run ();

  wait_for_pool_threads ();

  wa_test_remove_tree (cert_dir);
  g_free (cert_dir);

  return result;
}
