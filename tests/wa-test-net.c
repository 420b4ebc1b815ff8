/* wa-test-net.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "wa-test-net.h"

/* A text with everything a serialiser can get wrong. */
#define HTTP_AWKWARD_TEXT "vault ]\"\\ Zürich ✓ 日本\ttab"

/**
 * wa_test_net_init:
 *
 * g_test_init() for a test of the network senders.
 */
void
wa_test_net_init (int    *argc,
                  char ***argv)
{
  /* Loopback connections must not go to a proxy from the environment. */
  g_setenv ("GIO_USE_PROXY_RESOLVER", "dummy", TRUE);

  g_test_init (argc, argv, NULL);
  g_thread_pool_set_max_unused_threads (0);
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

/**
 * wa_test_net_wait_for_pool_threads:
 *
 * Waits, for up to five seconds, until GLib's worker threads have ended.
 *
 * SoupServer and the TLS backend do their handshakes in GTask's worker
 * threads, which linger for a while after their last task.
 * LeakSanitizer, in the sanitizer build, cannot walk the thread-local
 * storage the backend module leaves in a live thread, so the process
 * waits for them to end; with no unused threads allowed (see
 * wa_test_net_init()), they do within a second.
 */
void
wa_test_net_wait_for_pool_threads (void)
{
  gint64 deadline = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_thread_pool_stop_unused_threads ();
  while (count_pool_threads () > 0 && g_get_monotonic_time () < deadline)
    g_usleep (20 * 1000);
}

static void
run_certtool (const char         *dir,
              const char * const *args)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *standard_error = NULL;
  int status = 0;

  g_ptr_array_add (argv, (gpointer) "certtool");
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH | G_SPAWN_STDOUT_TO_DEV_NULL,
                NULL, NULL, NULL, &standard_error, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("certtool failed: %s", standard_error);
}

/**
 * wa_test_net_make_certificates:
 * @prefix: the start of the temporary folder's name
 *
 * Makes, with certtool, a test CA (ca.pem), a server certificate it
 * signed for 127.0.0.1 and localhost (server-cert.pem, server-key.pem),
 * and a second CA that signed nothing (other-ca.pem).
 *
 * Returns: (transfer full): the new temporary folder that holds them.
 */
char *
wa_test_net_make_certificates (const char *prefix)
{
  static const char ca_template[] =
    "cn = \"WebAgent test CA\"\nca\ncert_signing_key\nexpiration_days = 2\n";
  static const char server_template[] =
    "cn = \"localhost\"\ndns_name = \"localhost\"\nip_address = \"127.0.0.1\"\n"
    "tls_www_server\nsigning_key\nencryption_key\nexpiration_days = 2\n";
  g_autoptr(GError) error = NULL;
  g_autofree char *certtool = g_find_program_in_path ("certtool");
  g_autofree char *template = g_strconcat (prefix, "-XXXXXX", NULL);
  g_autofree char *dir = NULL;
  g_autofree char *ca_template_path = NULL;
  g_autofree char *server_template_path = NULL;

  if (certtool == NULL)
    g_error ("certtool is not installed; run build-aux/install-deps to install gnutls-bin");

  dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);

  ca_template_path = g_build_filename (dir, "ca.tmpl", NULL);
  server_template_path = g_build_filename (dir, "server.tmpl", NULL);
  g_file_set_contents (ca_template_path, ca_template, -1, &error);
  g_assert_no_error (error);
  g_file_set_contents (server_template_path, server_template, -1, &error);
  g_assert_no_error (error);

  run_certtool (dir, (const char *[]) { "--generate-privkey", "--key-type=ecdsa", "--no-text",
                                        "--outfile", "ca-key.pem", NULL });
  run_certtool (dir, (const char *[]) { "--generate-self-signed", "--no-text", "--load-privkey", "ca-key.pem",
                                        "--template", "ca.tmpl", "--outfile", "ca.pem", NULL });
  run_certtool (dir, (const char *[]) { "--generate-privkey", "--key-type=ecdsa", "--no-text",
                                        "--outfile", "server-key.pem", NULL });
  run_certtool (dir, (const char *[]) { "--generate-certificate", "--no-text", "--load-privkey", "server-key.pem",
                                        "--load-ca-certificate", "ca.pem", "--load-ca-privkey", "ca-key.pem",
                                        "--template", "server.tmpl", "--outfile", "server-cert.pem", NULL });
  run_certtool (dir, (const char *[]) { "--generate-privkey", "--key-type=ecdsa", "--no-text",
                                        "--outfile", "other-ca-key.pem", NULL });
  run_certtool (dir, (const char *[]) { "--generate-self-signed", "--no-text", "--load-privkey", "other-ca-key.pem",
                                        "--template", "ca.tmpl", "--outfile", "other-ca.pem", NULL });

  return g_steal_pointer (&dir);
}

/**
 * wa_test_net_bind_closed_port:
 * @port: (out): the socket's loopback port
 *
 * Returns: (transfer full): a bound socket that does not listen:
 *   connections to its port are refused, and no other test can take the
 *   port while it is held.
 */
GSocket *
wa_test_net_bind_closed_port (guint *port)
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

/**
 * wa_test_net_send_from_worker:
 *
 * wa_siem_sender_send() from a thread of its own, as the export worker
 * calls the senders: not from the thread that made them.
 */
gboolean
wa_test_net_send_from_worker (WaSiemSender  *sender,
                              GPtrArray     *events,
                              GError       **error)
{
  WorkerSend send = { sender, events, NULL, FALSE };

  g_thread_join (g_thread_new ("siem-export-worker", worker_send_thread, &send));
  if (send.error != NULL)
    g_propagate_error (error, send.error);

  return send.sent;
}

/**
 * wa_test_net_assert_error_free_of:
 *
 * Checks that there is an error and its message does not hold @secret.
 */
void
wa_test_net_assert_error_free_of (const GError *error,
                                  const char   *secret)
{
  g_assert_nonnull (error);
  g_assert_null (strstr (error->message, secret));
}

/**
 * wa_test_net_assert_send_fails:
 * @status_case: the answer the server gives
 *
 * Sends @events, which must fail with the error of @status_case, in a
 * message free of @token.
 *
 * Returns: (transfer full): the error, for further checks
 */
GError *
wa_test_net_assert_send_fails (WaSiemSender              *sender,
                               GPtrArray                 *events,
                               const WaTestNetStatusCase *status_case,
                               const char                *token)
{
  GError *error = NULL;

  g_assert_false (wa_siem_sender_send (sender, events, NULL, &error));
  g_test_message ("HTTP %u: %s", status_case->status, error->message);
  g_assert_error (error, WA_SIEM_SEND_ERROR, (int) status_case->code);
  wa_test_net_assert_error_free_of (error, token);

  return error;
}

/**
 * wa_test_net_make_event:
 * @index: the event's "index", and its metadata's "attempt"
 * @resource: the free text of the event
 * @ip: (nullable): the event's "ip", or %NULL for none
 *
 * Returns: (transfer full): a failed unlock, as the export loop hands
 *   events to the senders.
 */
JsonObject *
wa_test_net_make_event (guint       index,
                        const char *time,
                        const char *resource,
                        const char *ip)
{
  JsonObject *event = json_object_new ();
  JsonObject *metadata = json_object_new ();

  json_object_set_int_member (event, "index", index);
  json_object_set_string_member (event, "time", time);
  json_object_set_string_member (event, "tenant", "acme");
  json_object_set_string_member (event, "actor", "p-7f3a9c");
  json_object_set_string_member (event, "device", "dev-01");
  json_object_set_string_member (event, "event_type", "auth.unlock_failed");
  json_object_set_string_member (event, "outcome", "failure");
  json_object_set_int_member (event, "risk_score", 65);
  json_object_set_string_member (event, "resource", resource);
  json_object_set_string_member (event, "action", "unlock\nsecond line");
  if (ip != NULL)
    json_object_set_string_member (event, "ip", ip);
  json_object_set_int_member (metadata, "attempt", index);
  json_object_set_object_member (event, "metadata", metadata);

  return event;
}

/**
 * wa_test_net_http_event_offset:
 *
 * Returns: the time of event @index of wa_test_net_make_http_event(), in
 *   microseconds after 2026-12-03T15:04:00Z.
 */
guint64
wa_test_net_http_event_offset (guint index)
{
  return (guint64) index * 1000 + 456;
}

/**
 * wa_test_net_make_http_event:
 *
 * Event @index of a batch for the HTTP senders: one millisecond and
 * 456 µs further each time, so every event has its own HEC time, with
 * awkward text in free fields and @padding bytes of metadata.
 *
 * Returns: (transfer full): the event
 */
JsonObject *
wa_test_net_make_http_event (guint index,
                             gsize padding)
{
  guint64 microseconds = wa_test_net_http_event_offset (index);
  g_autofree char *time = g_strdup_printf ("2026-12-03T15:04:%02u.%06uZ",
                                           (guint) (microseconds / G_USEC_PER_SEC),
                                           (guint) (microseconds % G_USEC_PER_SEC));
  JsonObject *event = wa_test_net_make_event (index, time, HTTP_AWKWARD_TEXT, "192.0.2.10");

  if (padding > 0)
    {
      g_autofree char *filler = g_strnfill (padding, 'x');

      json_object_set_string_member (json_object_get_object_member (event, "metadata"), "padding", filler);
    }

  return event;
}

/**
 * wa_test_net_make_http_events:
 *
 * Returns: (transfer full) (element-type JsonObject): events 0 to @n of
 *   wa_test_net_make_http_event()
 */
GPtrArray *
wa_test_net_make_http_events (guint n,
                              gsize padding)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (events, wa_test_net_make_http_event (i, padding));

  return events;
}

static void
request_free (WaTestNetRequest *request)
{
  g_free (request->method);
  g_free (request->path);
  g_free (request->query);
  g_ptr_array_unref (request->headers);
  g_clear_pointer (&request->body, g_bytes_unref);
  g_clear_pointer (&request->content, g_bytes_unref);
  g_free (request);
}

/**
 * wa_test_net_server_problem:
 *
 * Notes a way in which a request broke its protocol, for
 * wa_test_net_server_assert_no_problems().  Call it with @server's lock
 * held.
 */
void
wa_test_net_server_problem (WaTestNetServer *server,
                            const char      *format,
                            ...)
{
  va_list args;

  va_start (args, format);
  g_ptr_array_add (server->problems, g_strdup_vprintf (format, args));
  va_end (args);
}

static void
append_header_cb (const char *name,
                  const char *value,
                  gpointer    user_data)
{
  g_ptr_array_add (user_data, g_strdup_printf ("%s: %s", name, value));
}

/**
 * wa_test_net_server_record_request:
 * @body: the body as received
 * @content: (nullable): the body after its Content-Encoding
 *
 * Keeps the request for the checks that follow the send.  Call it with
 * @server's lock held.
 */
void
wa_test_net_server_record_request (WaTestNetServer   *server,
                                   SoupServerMessage *msg,
                                   GBytes            *body,
                                   GBytes            *content)
{
  WaTestNetRequest *request = g_new0 (WaTestNetRequest, 1);
  GUri *uri = soup_server_message_get_uri (msg);

  request->method = g_strdup (soup_server_message_get_method (msg));
  request->path = g_strdup (g_uri_get_path (uri));
  request->query = g_strdup (g_uri_get_query (uri));
  request->headers = g_ptr_array_new_with_free_func (g_free);
  soup_message_headers_foreach (soup_server_message_get_request_headers (msg), append_header_cb, request->headers);
  request->body = g_bytes_ref (body);
  request->content = content != NULL ? g_bytes_ref (content) : NULL;
  g_ptr_array_add (server->requests, request);
}

/**
 * wa_test_net_server_check_post:
 *
 * Notes a problem unless @msg is a POST of JSON with exactly
 * @authorization.  Call it with @server's lock held.
 */
void
wa_test_net_server_check_post (WaTestNetServer   *server,
                               SoupServerMessage *msg,
                               const char        *authorization)
{
  SoupMessageHeaders *headers = soup_server_message_get_request_headers (msg);
  const char *value;

  if (g_strcmp0 (soup_server_message_get_method (msg), "POST") != 0)
    wa_test_net_server_problem (server, "method %s, not POST", soup_server_message_get_method (msg));

  value = soup_message_headers_get_one (headers, "Authorization");
  if (g_strcmp0 (value, authorization) != 0)
    wa_test_net_server_problem (server, "Authorization header is not exactly the expected one");

  value = soup_message_headers_get_content_type (headers, NULL);
  if (g_strcmp0 (value, "application/json") != 0)
    wa_test_net_server_problem (server, "Content-Type %s, not application/json", value);
}

/**
 * wa_test_net_respond:
 * @body: (nullable): a JSON answer
 */
void
wa_test_net_respond (SoupServerMessage *msg,
                     guint              status,
                     const char        *body)
{
  soup_server_message_set_status (msg, status, NULL);
  if (body != NULL)
    soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, body, strlen (body));
}

static void
unexpected_cb (SoupServer        *soup_server,
               SoupServerMessage *msg,
               const char        *path,
               GHashTable        *query,
               gpointer           user_data)
{
  WaTestNetServer *server = user_data;
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server->lock);
  g_autoptr(GBytes) body = soup_message_body_flatten (soup_server_message_get_request_body (msg));

  wa_test_net_server_record_request (server, msg, body, NULL);
  wa_test_net_server_problem (server, "request to unexpected path %s", path);
  wa_test_net_respond (msg, SOUP_STATUS_NOT_FOUND, NULL);
}

static gpointer
server_thread (gpointer user_data)
{
  WaTestNetServer *server = user_data;
  g_autoptr(SoupServer) soup_server = NULL;
  g_autoptr(GError) error = NULL;
  SoupServerListenOptions options = SOUP_SERVER_LISTEN_IPV4_ONLY;
  GSList *uris;

  g_main_context_push_thread_default (server->context);

  if (server->cert_dir != NULL)
    {
      g_autofree char *cert_file = g_build_filename (server->cert_dir, "server-cert.pem", NULL);
      g_autofree char *key_file = g_build_filename (server->cert_dir, "server-key.pem", NULL);
      g_autoptr(GTlsCertificate) certificate = g_tls_certificate_new_from_files (cert_file, key_file, &error);

      g_assert_no_error (error);
      soup_server = soup_server_new ("tls-certificate", certificate, NULL);
      options |= SOUP_SERVER_LISTEN_HTTPS;
    }
  else
    soup_server = soup_server_new (NULL, NULL);

  soup_server_add_handler (soup_server, NULL, unexpected_cb, server, NULL);
  for (const WaTestNetHandler *handler = server->handlers; handler->path != NULL; handler++)
    soup_server_add_handler (soup_server, handler->path, handler->callback, server->user_data, NULL);

  soup_server_listen_local (soup_server, 0, options, &error);
  g_assert_no_error (error);

  uris = soup_server_get_uris (soup_server);
  g_mutex_lock (&server->start_lock);
  server->base_url = g_uri_to_string (uris->data);
  g_cond_signal (&server->started);
  g_mutex_unlock (&server->start_lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (server->loop);

  soup_server_disconnect (soup_server);
  g_main_context_pop_thread_default (server->context);

  return NULL;
}

/**
 * wa_test_net_server_new:
 * @cert_dir: (nullable): a folder from wa_test_net_make_certificates()
 *   for HTTPS, or %NULL for plain HTTP
 * @handlers: the server's handlers, up to one with a %NULL path; a
 *   request to any other path is a problem
 * @user_data: what the handlers get
 *
 * Starts a loopback server and waits until it listens.
 *
 * Returns: (transfer full): the server
 */
WaTestNetServer *
wa_test_net_server_new (const char             *cert_dir,
                        const WaTestNetHandler *handlers,
                        gpointer                user_data)
{
  WaTestNetServer *server = g_new0 (WaTestNetServer, 1);

  g_mutex_init (&server->lock);
  g_mutex_init (&server->start_lock);
  g_cond_init (&server->started);
  server->requests = g_ptr_array_new_with_free_func ((GDestroyNotify) request_free);
  server->problems = g_ptr_array_new_with_free_func (g_free);
  server->cert_dir = cert_dir;
  server->handlers = handlers;
  server->user_data = user_data;

  server->context = g_main_context_new ();
  server->loop = g_main_loop_new (server->context, FALSE);
  server->thread = g_thread_new ("wa-test-net-server", server_thread, server);

  g_mutex_lock (&server->start_lock);
  while (server->base_url == NULL)
    g_cond_wait (&server->started, &server->start_lock);
  g_mutex_unlock (&server->start_lock);

  /* soup_server_get_uris() ends the URL with a slash; the senders take a
   * base URL without one, as users type it. */
  if (g_str_has_suffix (server->base_url, "/"))
    server->base_url[strlen (server->base_url) - 1] = '\0';

  return server;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

/**
 * wa_test_net_server_free:
 *
 * Stops the server and waits for its thread to end.
 */
void
wa_test_net_server_free (WaTestNetServer *server)
{
  g_autoptr(GSource) quit = g_idle_source_new ();

  /* From the server's own loop: a quit before it started running would
   * be forgotten when it starts. */
  g_source_set_callback (quit, quit_cb, server->loop, NULL);
  g_source_attach (quit, server->context);
  g_thread_join (server->thread);
  g_main_loop_unref (server->loop);
  g_main_context_unref (server->context);

  g_free (server->base_url);
  g_ptr_array_unref (server->requests);
  g_ptr_array_unref (server->problems);
  g_mutex_clear (&server->lock);
  g_mutex_clear (&server->start_lock);
  g_cond_clear (&server->started);
  g_free (server);
}

/**
 * wa_test_net_server_count_requests:
 *
 * Returns: how many requests the server received, to any path
 */
guint
wa_test_net_server_count_requests (WaTestNetServer *server)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server->lock);

  return server->requests->len;
}

/**
 * wa_test_net_server_assert_no_problems:
 *
 * Fails the test, after listing them, if the handlers saw a request that
 * broke its protocol.
 */
void
wa_test_net_server_assert_no_problems (WaTestNetServer *server)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server->lock);

  for (guint i = 0; i < server->problems->len; i++)
    g_test_message ("protocol problem: %s", (const char *) g_ptr_array_index (server->problems, i));
  g_assert_cmpuint (server->problems->len, ==, 0);
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

/**
 * wa_test_net_server_assert_token_confined:
 *
 * Checks that @token appeared in the Authorization header and nowhere
 * else: not in the URL, another header, or the body.
 */
void
wa_test_net_server_assert_token_confined (WaTestNetServer *server,
                                          const char      *token)
{
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&server->lock);

  for (guint i = 0; i < server->requests->len; i++)
    {
      WaTestNetRequest *request = g_ptr_array_index (server->requests, i);

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

/**
 * wa_test_net_server_assert_requests:
 *
 * Checks that the server received @count requests, none of which broke
 * its protocol or carried @token outside its Authorization header.
 */
void
wa_test_net_server_assert_requests (WaTestNetServer *server,
                                    guint            count,
                                    const char      *token)
{
  wa_test_net_server_assert_no_problems (server);
  g_assert_cmpuint (wa_test_net_server_count_requests (server), ==, count);
  wa_test_net_server_assert_token_confined (server, token);
}
