/* test-siem-sentinel.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* No Azure service runs in these tests.  A loopback SoupServer stands in
 * for the Azure Monitor Logs Ingestion API (REST reference 2023-01-01)
 * and checks the real protocol of each request as the service documents
 * it: POST /dataCollectionRules/{id}/streams/{stream}?api-version=2023-01-01
 * with "Authorization: Bearer <token>", Content-Type application/json,
 * Content-Encoding gzip, a JSON array of at most 1 MB per call, answered
 * 204; errors as {"error":{"code":..,"message":..}}, 429 with
 * Retry-After.
 *
 * The server gunzips and parses the body on its own and the tests compare
 * the result with the events given to the sender.  Splunk HEC is tested
 * in test-siem-hec.c, syslog against a real rsyslog in
 * test-siem-syslog.c.
 */

#include "config.h"

#include <string.h>

#include "wa-sentinel-sender.h"
#include "wa-siem-sender.h"
#include "wa-test-net.h"

#define AZURE_TOKEN         "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.d2ViYWdlbnQtdGVzdA.c2lnbmF0dXJlLW9uZQ"
#define AZURE_TOKEN_RENEWED "eyJ0eXAiOiJKV1QiLCJhbGciOiJSUzI1NiJ9.cmVuZXdlZC10ZXN0.c2lnbmF0dXJlLXR3bw"
#define DCR_ID              "dcr-00112233445566778899aabbccddeeff"
#define STREAM              "Custom-WebAgentAudit_CL"
#define AZURE_PATH          "/dataCollectionRules/" DCR_ID "/streams/" STREAM
#define AZURE_QUERY         "api-version=2023-01-01"

/* The Logs Ingestion API takes at most 1 MB per call; the test reads
 * that as the smaller, decimal megabyte. */
#define AZURE_CALL_LIMIT    (1000 * 1000)

typedef struct
{
  WaTestNetServer *server;

  /* What the server answers; set by a test before it sends. */
  guint            azure_status;
  const char      *azure_answer;
  const char      *retry_after;
  const char      *expected_bearer;

  /* What the server saw; the server thread writes it under its lock. */
  GPtrArray       *azure_events;    /* JsonObject */
  GArray          *azure_sizes;     /* gsize, uncompressed JSON per call */
} Fixture;

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
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&f->server->lock);
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
    wa_test_net_server_problem (f->server, "the Azure body is not gzip data");
  else if ((content = gunzip (body, &error)) == NULL)
    wa_test_net_server_problem (f->server, "the Azure body does not gunzip: %s", error->message);

  wa_test_net_server_record_request (f->server, msg, body, content);
  if (g_strcmp0 (path, AZURE_PATH) != 0)
    wa_test_net_server_problem (f->server, "Azure request to %s", path);
  if (g_strcmp0 (g_uri_get_query (soup_server_message_get_uri (msg)), AZURE_QUERY) != 0)
    wa_test_net_server_problem (f->server, "Azure query %s, not " AZURE_QUERY,
                                g_uri_get_query (soup_server_message_get_uri (msg)));
  wa_test_net_server_check_post (f->server, msg, authorization);
  if (g_strcmp0 (soup_message_headers_get_one (headers, "Content-Encoding"), "gzip") != 0)
    wa_test_net_server_problem (f->server, "no Content-Encoding: gzip on an Azure request");

  if (content != NULL)
    {
      gsize content_size = g_bytes_get_size (content);

      g_array_append_val (f->azure_sizes, content_size);
      if (content_size > AZURE_CALL_LIMIT)
        wa_test_net_server_problem (f->server, "an Azure call carries %" G_GSIZE_FORMAT " bytes, more than 1 MB",
                                    content_size);

      if (!json_parser_load_from_data (parser, g_bytes_get_data (content, NULL), content_size, &error))
        wa_test_net_server_problem (f->server, "the Azure body does not parse: %s", error->message);
      else if (!JSON_NODE_HOLDS_ARRAY ((root = json_parser_get_root (parser))))
        wa_test_net_server_problem (f->server, "the Azure body is not a JSON array");
      else
        {
          JsonArray *array = json_node_get_array (root);

          if (json_array_get_length (array) == 0)
            wa_test_net_server_problem (f->server, "an Azure call carries no event");

          for (guint i = 0; i < json_array_get_length (array); i++)
            {
              JsonNode *element = json_array_get_element (array, i);
              JsonObject *event;
              const char *generated;
              g_autoptr(GDateTime) parsed = NULL;

              if (!JSON_NODE_HOLDS_OBJECT (element))
                {
                  wa_test_net_server_problem (f->server, "an Azure array element is not an object");
                  continue;
                }
              event = json_node_get_object (element);
              generated = json_object_get_string_member_with_default (event, "TimeGenerated", NULL);
              if (generated != NULL)
                parsed = g_date_time_new_from_iso8601 (generated, NULL);
              if (parsed == NULL)
                wa_test_net_server_problem (f->server, "an Azure event has no ISO 8601 TimeGenerated");
              else if (g_strcmp0 (generated, json_object_get_string_member_with_default (event, "time", NULL)) != 0)
                wa_test_net_server_problem (f->server, "an Azure event's TimeGenerated is not its time");
              g_ptr_array_add (f->azure_events, json_object_ref (event));
            }
        }
    }

  if (f->retry_after != NULL)
    soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Retry-After", f->retry_after);
  wa_test_net_respond (msg, f->azure_status, f->azure_answer);
}

static const WaTestNetHandler handlers[] = {
  { "/dataCollectionRules", azure_cb },
  { NULL, NULL },
};

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->azure_events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  f->azure_sizes = g_array_new (FALSE, FALSE, sizeof (gsize));
  f->azure_status = SOUP_STATUS_NO_CONTENT;
  f->expected_bearer = AZURE_TOKEN;
  f->server = wa_test_net_server_new (NULL, handlers, f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  wa_test_net_server_free (f->server);
  g_ptr_array_unref (f->azure_events);
  g_array_unref (f->azure_sizes);
}

static WaSiemSender *
new_sentinel_sender (Fixture *f)
{
  return WA_SIEM_SENDER (wa_sentinel_sender_new (f->server->base_url, DCR_ID, STREAM, AZURE_TOKEN));
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
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&f->server->lock);

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
  g_autoptr(GPtrArray) events = wa_test_net_make_http_events (25, 0);
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (strstr (wa_siem_sender_get_name (sender), STREAM));

  g_assert_true (wa_test_net_send_from_worker (sender, events, &error));
  g_assert_no_error (error);

  wa_test_net_server_assert_requests (f->server, 1, AZURE_TOKEN);
  assert_azure_events (f, events);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_sentinel_split (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_sentinel_sender (f);
  /* About 3.2 MB of JSON in all. */
  g_autoptr(GPtrArray) events = wa_test_net_make_http_events (400, 7600);
  g_autoptr(GError) error = NULL;
  gsize total = 0;

  g_assert_true (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_no_error (error);

  wa_test_net_server_assert_no_problems (f->server);
  g_assert_cmpuint (wa_test_net_server_count_requests (f->server), >=, 4);
  g_assert_cmpuint (f->azure_sizes->len, ==, wa_test_net_server_count_requests (f->server));
  for (guint i = 0; i < f->azure_sizes->len; i++)
    {
      gsize size = g_array_index (f->azure_sizes, gsize, i);

      g_assert_cmpuint (size, <=, AZURE_CALL_LIMIT);
      total += size;
    }
  g_assert_cmpuint (total, >, 3 * AZURE_CALL_LIMIT);
  /* Calls are filled: a split into one call per event would pass the
   * checks above but hammer the service. */
  g_assert_cmpuint (wa_test_net_server_count_requests (f->server), <=, total / AZURE_CALL_LIMIT + 2);
  assert_azure_events (f, events);
  wa_test_net_server_assert_token_confined (f->server, AZURE_TOKEN);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_sentinel_too_large (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_sentinel_sender (f);
  g_autoptr(GPtrArray) events = wa_test_net_make_http_events (3, 0);
  g_autoptr(GError) error = NULL;

  /* The middle event alone is over 1 MB. */
  g_ptr_array_remove_index (events, 1);
  g_ptr_array_insert (events, 1, wa_test_net_make_http_event (1, AZURE_CALL_LIMIT));

  g_assert_false (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_TOO_LARGE);
  g_assert_nonnull (strstr (error->message, "position 2"));
  g_assert_cmpuint (wa_test_net_server_count_requests (f->server), ==, 0);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_sentinel_status (Fixture       *f,
                      gconstpointer  data)
{
  static const WaTestNetStatusCase cases[] = {
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
  g_autoptr(GPtrArray) events = wa_test_net_make_http_events (2, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      f->azure_status = cases[i].status;
      f->azure_answer = cases[i].answer;
      f->retry_after = cases[i].status == 429 ? "17" : NULL;

      error = wa_test_net_assert_send_fails (sender, events, &cases[i], AZURE_TOKEN);
      g_assert_nonnull (strstr (error->message, "HTTP"));
      if (cases[i].status == 429)
        {
          g_assert_nonnull (strstr (error->message, "retry later"));
          g_assert_nonnull (strstr (error->message, "17 seconds"));
        }
    }

  wa_test_net_server_assert_requests (f->server, G_N_ELEMENTS (cases), AZURE_TOKEN);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_sentinel_token_renewal (Fixture       *f,
                             gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_sentinel_sender (f);
  g_autoptr(GPtrArray) events = wa_test_net_make_http_events (2, 0);
  g_autoptr(GError) error = NULL;

  /* The old token has expired; the service takes the renewed one. */
  f->expected_bearer = AZURE_TOKEN_RENEWED;
  f->azure_status = SOUP_STATUS_UNAUTHORIZED;
  g_assert_false (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_REFUSED);
  g_clear_error (&error);

  f->azure_status = SOUP_STATUS_NO_CONTENT;
  g_mutex_lock (&f->server->lock);
  g_ptr_array_set_size (f->server->problems, 0);
  g_ptr_array_set_size (f->azure_events, 0);
  g_mutex_unlock (&f->server->lock);

  wa_sentinel_sender_set_token (WA_SENTINEL_SENDER (sender), AZURE_TOKEN_RENEWED);
  g_assert_true (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_no_error (error);
  wa_test_net_server_assert_no_problems (f->server);
  assert_azure_events (f, events);
  wa_test_net_server_assert_token_confined (f->server, AZURE_TOKEN);
  wa_test_net_server_assert_token_confined (f->server, AZURE_TOKEN_RENEWED);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_sentinel_unreachable (void)
{
  guint port;
  g_autoptr(GSocket) socket = wa_test_net_bind_closed_port (&port);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr(WaSentinelSender) sender = wa_sentinel_sender_new (url, DCR_ID, STREAM, AZURE_TOKEN);
  g_autoptr(GPtrArray) events = wa_test_net_make_http_events (2, 0);
  g_autoptr(GError) error = NULL;

  g_assert_false (wa_siem_sender_send (WA_SIEM_SENDER (sender), events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_UNREACHABLE);
  wa_test_net_assert_error_free_of (error, AZURE_TOKEN);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  wa_test_net_init (&argc, &argv);

  g_test_add ("/wa/siem/sentinel/batch", Fixture, NULL, fixture_set_up, test_sentinel_batch, fixture_tear_down);
  g_test_add ("/wa/siem/sentinel/split", Fixture, NULL, fixture_set_up, test_sentinel_split, fixture_tear_down);
  g_test_add ("/wa/siem/sentinel/too-large", Fixture, NULL, fixture_set_up, test_sentinel_too_large, fixture_tear_down);
  g_test_add ("/wa/siem/sentinel/status", Fixture, NULL, fixture_set_up, test_sentinel_status, fixture_tear_down);
  g_test_add ("/wa/siem/sentinel/token-renewal", Fixture, NULL, fixture_set_up, test_sentinel_token_renewal,
              fixture_tear_down);
  g_test_add_func ("/wa/siem/sentinel/unreachable", test_sentinel_unreachable);

  result = g_test_run ();

  wa_test_net_wait_for_pool_threads ();

  return result;
}
