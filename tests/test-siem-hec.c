/* test-siem-hec.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* No Splunk service runs in these tests.  A loopback SoupServer stands
 * in for it and checks the real protocol of each request as Splunk
 * documents it ("Format events for HTTP Event Collector", "HTTP Event
 * Collector indexer acknowledgment"): POST /services/collector/event with
 * "Authorization: Splunk <token>", a body of JSON event envelopes one
 * after the other (time in epoch seconds, host, source, sourcetype,
 * index, event), answered {"text":"Success","code":0}; with
 * acknowledgement an X-Splunk-Request-Channel UUID, an ackId in the
 * answer and POST /services/collector/ack {"acks":[id]} answered
 * {"acks":{"id":bool}}.  Error answers are HEC's own: 401 "Token is
 * required", 403 "Invalid token", 400 "Invalid data format", 503 "Server
 * is busy".
 *
 * The server splits the HEC body on its own and the tests compare the
 * result with the events given to the sender.  Azure Monitor is tested
 * in test-siem-sentinel.c, syslog against a real rsyslog in
 * test-siem-syslog.c.
 */

#include "config.h"

#include <string.h>

#include "wa-siem-sender.h"
#include "wa-splunk-hec-sender.h"
#include "wa-test-net.h"
#include "wa-test-utils.h"

#define HEC_TOKEN      "6f1c2d3e-4a5b-4c6d-8e7f-0a1b2c3d4e5f"
#define HEC_EVENT_PATH "/services/collector/event"
#define HEC_ACK_PATH   "/services/collector/ack"
#define FIRST_ACK_ID   7

/* 2026-12-03T15:04:00Z */
#define BASE_EPOCH     G_GINT64_CONSTANT (1796310240)

static char *cert_dir;

typedef struct
{
  WaTestNetServer *server;

  /* What the server answers; set by a test before it sends. */
  guint            hec_status;
  const char      *hec_answer;
  gboolean         hec_ack;
  guint            ack_false_answers;
  GCancellable    *cancel_at_second_poll;

  /* What the server saw; the server thread writes it under its lock. */
  GPtrArray       *envelopes;       /* JsonObject */
  GPtrArray       *envelope_texts;  /* char* */
  GPtrArray       *channels;        /* char*, one per HEC request */
  guint            ack_polls;
  gint64           next_ack_id;
} Fixture;

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
              wa_test_net_server_problem (f->server, "byte %" G_GSIZE_FORMAT " of the HEC body is outside any envelope",
                                          i);
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
              wa_test_net_server_problem (f->server, "an HEC envelope does not parse: %s", error->message);
              return;
            }
          root = json_parser_get_root (parser);
          if (!JSON_NODE_HOLDS_OBJECT (root))
            {
              wa_test_net_server_problem (f->server, "an HEC envelope is not an object");
              return;
            }
          g_ptr_array_add (f->envelopes, json_object_ref (json_node_get_object (root)));
          g_ptr_array_add (f->envelope_texts, g_strndup (data + start, i + 1 - start));
        }
    }

  if (depth != 0 || in_string)
    wa_test_net_server_problem (f->server, "the HEC body ends inside an envelope");
}

static void
hec_event_cb (SoupServer        *server,
              SoupServerMessage *msg,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Fixture *f = user_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&f->server->lock);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  const char *channel = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                      "X-Splunk-Request-Channel");

  wa_test_net_server_record_request (f->server, msg, body, body);
  if (g_strcmp0 (path, HEC_EVENT_PATH) != 0)
    wa_test_net_server_problem (f->server, "HEC request to %s", path);
  wa_test_net_server_check_post (f->server, msg, "Splunk " HEC_TOKEN);

  if (f->hec_ack && (channel == NULL || !g_uuid_string_is_valid (channel)))
    wa_test_net_server_problem (f->server, "no channel UUID on an HEC request with acknowledgement");
  g_ptr_array_add (f->channels, g_strdup (channel));

  parse_envelopes (f, body);

  if (f->hec_status != SOUP_STATUS_OK)
    wa_test_net_respond (msg, f->hec_status, f->hec_answer);
  else if (f->hec_answer != NULL)
    wa_test_net_respond (msg, SOUP_STATUS_OK, f->hec_answer);
  else if (f->hec_ack)
    {
      g_autofree char *answer = g_strdup_printf ("{\"text\":\"Success\",\"code\":0,\"ackId\":%" G_GINT64_FORMAT "}",
                                                 f->next_ack_id++);
      wa_test_net_respond (msg, SOUP_STATUS_OK, answer);
    }
  else
    wa_test_net_respond (msg, SOUP_STATUS_OK, "{\"text\":\"Success\",\"code\":0}");
}

static void
hec_ack_cb (SoupServer        *server,
            SoupServerMessage *msg,
            const char        *path,
            GHashTable        *query,
            gpointer           user_data)
{
  Fixture *f = user_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&f->server->lock);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *channel = soup_message_headers_get_one (soup_server_message_get_request_headers (msg),
                                                      "X-Splunk-Request-Channel");
  gint64 expected_id = f->next_ack_id - 1;
  g_autofree char *answer = NULL;
  JsonNode *root;
  JsonNode *acks = NULL;

  wa_test_net_server_record_request (f->server, msg, body, body);
  if (g_strcmp0 (path, HEC_ACK_PATH) != 0)
    wa_test_net_server_problem (f->server, "HEC ack request to %s", path);
  wa_test_net_server_check_post (f->server, msg, "Splunk " HEC_TOKEN);

  if (f->channels->len == 0 || g_strcmp0 (channel, g_ptr_array_index (f->channels, f->channels->len - 1)) != 0)
    wa_test_net_server_problem (f->server, "the ack poll does not use the channel of the event request");

  /* {"acks":[id]} */
  if (json_parser_load_from_data (parser, g_bytes_get_data (body, NULL), g_bytes_get_size (body), NULL) &&
      JSON_NODE_HOLDS_OBJECT ((root = json_parser_get_root (parser))))
    acks = json_object_get_member (json_node_get_object (root), "acks");
  if (acks == NULL || !JSON_NODE_HOLDS_ARRAY (acks) ||
      json_array_get_length (json_node_get_array (acks)) != 1 ||
      json_array_get_int_element (json_node_get_array (acks), 0) != expected_id)
    wa_test_net_server_problem (f->server, "the ack poll does not ask for ackId %" G_GINT64_FORMAT, expected_id);

  f->ack_polls++;
  if (f->ack_polls == 2 && f->cancel_at_second_poll != NULL)
    g_cancellable_cancel (f->cancel_at_second_poll);

  answer = g_strdup_printf ("{\"acks\":{\"%" G_GINT64_FORMAT "\":%s}}", expected_id,
                            f->ack_polls > f->ack_false_answers ? "true" : "false");
  wa_test_net_respond (msg, SOUP_STATUS_OK, answer);
}

static const WaTestNetHandler handlers[] = {
  { HEC_EVENT_PATH, hec_event_cb },
  { HEC_ACK_PATH, hec_ack_cb },
  { NULL, NULL },
};

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  gboolean tls = GPOINTER_TO_INT (data);

  f->envelopes = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  f->envelope_texts = g_ptr_array_new_with_free_func (g_free);
  f->channels = g_ptr_array_new_with_free_func (g_free);
  f->hec_status = SOUP_STATUS_OK;
  f->next_ack_id = FIRST_ACK_ID;
  f->server = wa_test_net_server_new (tls ? cert_dir : NULL, handlers, f);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  wa_test_net_server_free (f->server);
  g_ptr_array_unref (f->envelopes);
  g_ptr_array_unref (f->envelope_texts);
  g_ptr_array_unref (f->channels);
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
  guint64 microseconds = wa_test_net_http_event_offset (i);

  return g_strdup_printf ("%" G_GINT64_FORMAT ".%03u", BASE_EPOCH + (gint64) (microseconds / G_USEC_PER_SEC),
                          (guint) (microseconds % G_USEC_PER_SEC / 1000));
}

static void
assert_envelopes (Fixture    *f,
                  GPtrArray  *events,
                  const char *host,
                  const char *index)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&f->server->lock);
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

static WaSiemSender *
new_hec_sender (Fixture    *f,
                gboolean    use_ack,
                const char *index)
{
  return g_object_new (WA_TYPE_SPLUNK_HEC_SENDER,
                       "base-url", f->server->base_url,
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
  g_autoptr(GPtrArray) events = wa_test_net_make_http_events (25, 0);
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (wa_siem_sender_get_name (sender), "Splunk HEC at http://127.0.0.1:"));
  g_assert_null (strstr (wa_siem_sender_get_name (sender), HEC_TOKEN));

  g_assert_true (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_no_error (error);

  wa_test_net_server_assert_requests (f->server, 1, HEC_TOKEN);
  assert_envelopes (f, events, "agent-17.example.org", "audit");

  /* A second batch goes out the same way, in its own request, from the
   * worker's thread. */
  g_assert_true (wa_test_net_send_from_worker (sender, events, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wa_test_net_server_count_requests (f->server), ==, 2);
  wa_test_net_server_assert_no_problems (f->server);

  /* An empty batch needs no request. */
  g_ptr_array_set_size (events, 0);
  g_assert_true (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_cmpuint (wa_test_net_server_count_requests (f->server), ==, 2);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_hec_ack (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_hec_sender (f, TRUE, NULL);
  g_autoptr(GPtrArray) events = wa_test_net_make_http_events (5, 0);
  g_autoptr(GError) error = NULL;

  /* Splunk answers "not yet" twice before it confirms. */
  f->hec_ack = TRUE;
  f->ack_false_answers = 2;

  g_assert_true (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_no_error (error);

  wa_test_net_server_assert_no_problems (f->server);
  g_assert_cmpuint (f->ack_polls, ==, 3);
  g_assert_cmpuint (wa_test_net_server_count_requests (f->server), ==, 4);
  g_assert_cmpuint (f->channels->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->channels, 0), ==,
                   wa_splunk_hec_sender_get_channel (WA_SPLUNK_HEC_SENDER (sender)));
  assert_envelopes (f, events, "agent-17.example.org", NULL);
  wa_test_net_server_assert_token_confined (f->server, HEC_TOKEN);

  /* The next batch keeps the channel and waits for its own ackId. */
  f->ack_polls = 0;
  f->ack_false_answers = 0;
  g_assert_true (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_no_error (error);
  wa_test_net_server_assert_no_problems (f->server);
  g_assert_cmpuint (f->ack_polls, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (f->channels, 1), ==, g_ptr_array_index (f->channels, 0));

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_hec_ack_timeout (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = NULL;
  g_autoptr(GPtrArray) events = wa_test_net_make_http_events (3, 0);
  g_autoptr(GError) error = NULL;
  gint64 start;

  sender = g_object_new (WA_TYPE_SPLUNK_HEC_SENDER,
                         "base-url", f->server->base_url,
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
  wa_test_net_assert_error_free_of (error, HEC_TOKEN);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_assert_cmpuint (f->ack_polls, >=, 2);
  wa_test_net_server_assert_no_problems (f->server);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_hec_ack_cancelled (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_hec_sender (f, TRUE, NULL);
  g_autoptr(GPtrArray) events = wa_test_net_make_http_events (3, 0);
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
  wa_test_net_server_assert_no_problems (f->server);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_hec_ack_missing (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_hec_sender (f, TRUE, NULL);
  g_autoptr(GPtrArray) events = wa_test_net_make_http_events (2, 0);
  g_autoptr(GError) error = NULL;

  /* A token without indexer acknowledgement answers without an ackId. */
  f->hec_answer = "{\"text\":\"Success\",\"code\":0}";

  g_assert_false (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "acknowledgement"));
  g_assert_cmpuint (f->ack_polls, ==, 0);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_hec_status (Fixture       *f,
                 gconstpointer  data)
{
  static const WaTestNetStatusCase cases[] = {
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
  g_autoptr(GPtrArray) events = wa_test_net_make_http_events (2, 0);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;

      f->hec_status = cases[i].status;
      f->hec_answer = cases[i].answer;

      error = wa_test_net_assert_send_fails (sender, events, &cases[i], HEC_TOKEN);
      if (cases[i].status != 200)
        g_assert_nonnull (strstr (error->message, "HTTP"));
    }

  wa_test_net_server_assert_requests (f->server, G_N_ELEMENTS (cases), HEC_TOKEN);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_hec_invalid_event (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_hec_sender (f, FALSE, NULL);
  g_autoptr(GPtrArray) events = wa_test_net_make_http_events (3, 0);
  g_autoptr(GError) error = NULL;

  json_object_remove_member (g_ptr_array_index (events, 1), "outcome");

  g_assert_false (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_INVALID_EVENT);
  g_assert_nonnull (strstr (error->message, "position 2"));
  g_assert_nonnull (strstr (error->message, "outcome"));
  /* Nothing of the batch was sent. */
  g_assert_cmpuint (wa_test_net_server_count_requests (f->server), ==, 0);

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
  g_autoptr(GPtrArray) events = wa_test_net_make_http_events (1, 0);

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
    g_autoptr(WaSplunkHecSender) sender = wa_splunk_hec_sender_new (f->server->base_url, NULL);
    g_autoptr(GError) error = NULL;

    g_assert_false (wa_siem_sender_send (WA_SIEM_SENDER (sender), events, NULL, &error));
    g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION);
    g_clear_error (&error);

    wa_splunk_hec_sender_set_token (sender, HEC_TOKEN "\r\nX-Injected: 1");
    g_assert_false (wa_siem_sender_send (WA_SIEM_SENDER (sender), events, NULL, &error));
    g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION);
    g_assert_null (strstr (error->message, HEC_TOKEN));
  }

  g_assert_cmpuint (wa_test_net_server_count_requests (f->server), ==, 0);
}

static void
test_hec_unreachable (void)
{
  guint port;
  g_autoptr(GSocket) socket = wa_test_net_bind_closed_port (&port);
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", port);
  g_autoptr(WaSplunkHecSender) sender = wa_splunk_hec_sender_new (url, HEC_TOKEN);
  g_autoptr(GPtrArray) events = wa_test_net_make_http_events (2, 0);
  g_autoptr(GError) error = NULL;

  g_assert_false (wa_siem_sender_send (WA_SIEM_SENDER (sender), events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_UNREACHABLE);
  wa_test_net_assert_error_free_of (error, HEC_TOKEN);
}

static void
test_hec_tls (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *ca_file = g_build_filename (cert_dir, "ca.pem", NULL);
  g_autofree char *other_ca_file = g_build_filename (cert_dir, "other-ca.pem", NULL);
  g_autoptr(GPtrArray) events = wa_test_net_make_http_events (4, 0);
  g_autoptr(WaSiemSender) sender = NULL;
  g_autoptr(WaSiemSender) untrusting = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (g_str_has_prefix (f->server->base_url, "https://"));

  /* A collector whose certificate chains to another CA is refused before
   * the request, and so before the token, goes out. */
  untrusting = g_object_new (WA_TYPE_SPLUNK_HEC_SENDER,
                             "base-url", f->server->base_url,
                             "token", HEC_TOKEN,
                             "ca-file", other_ca_file,
                             NULL);
  g_assert_false (wa_siem_sender_send (untrusting, events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CERTIFICATE);
  g_assert_cmpuint (wa_test_net_server_count_requests (f->server), ==, 0);
  g_clear_error (&error);

  sender = g_object_new (WA_TYPE_SPLUNK_HEC_SENDER,
                         "base-url", f->server->base_url,
                         "token", HEC_TOKEN,
                         "host", "agent-17.example.org",
                         "ca-file", ca_file,
                         NULL);
  g_assert_true (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_no_error (error);
  wa_test_net_server_assert_no_problems (f->server);
  assert_envelopes (f, events, "agent-17.example.org", NULL);
  wa_test_net_server_assert_token_confined (f->server, HEC_TOKEN);
}

int
main (int   argc,
      char *argv[])
{
  int result;

  wa_test_net_init (&argc, &argv);
  cert_dir = wa_test_net_make_certificates ("test-siem-hec");

  g_test_add ("/wa/siem/hec/batch", Fixture, NULL, fixture_set_up, test_hec_batch, fixture_tear_down);
  g_test_add ("/wa/siem/hec/ack", Fixture, NULL, fixture_set_up, test_hec_ack, fixture_tear_down);
  g_test_add ("/wa/siem/hec/ack-timeout", Fixture, NULL, fixture_set_up, test_hec_ack_timeout, fixture_tear_down);
  g_test_add ("/wa/siem/hec/ack-cancelled", Fixture, NULL, fixture_set_up, test_hec_ack_cancelled, fixture_tear_down);
  g_test_add ("/wa/siem/hec/ack-missing", Fixture, NULL, fixture_set_up, test_hec_ack_missing, fixture_tear_down);
  g_test_add ("/wa/siem/hec/status", Fixture, NULL, fixture_set_up, test_hec_status, fixture_tear_down);
  g_test_add ("/wa/siem/hec/invalid-event", Fixture, NULL, fixture_set_up, test_hec_invalid_event, fixture_tear_down);
  g_test_add ("/wa/siem/hec/settings", Fixture, NULL, fixture_set_up, test_hec_settings, fixture_tear_down);
  g_test_add_func ("/wa/siem/hec/unreachable", test_hec_unreachable);
  g_test_add ("/wa/siem/hec/tls", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_hec_tls, fixture_tear_down);

  result = g_test_run ();

  wa_test_net_wait_for_pool_threads ();
  wa_test_remove_tree (cert_dir);
  g_free (cert_dir);

  return result;
}
