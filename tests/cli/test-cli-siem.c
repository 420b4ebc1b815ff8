/* test-cli-siem.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "cli-fixture.h"

/* webagent-cli siem: add, list, send and remove, end to end, against a
 * receiver that speaks the Splunk HTTP Event Collector protocol.  No
 * Splunk runs here: a loopback SoupServer on its own thread stands in
 * (webagent-cli runs as a child process, so the server must not share
 * the test's main context).  It answers as Splunk does, or with 503 while
 * it is "down", and records what it received. */

#define TOKEN "test-token-5c1b2d7e-not-a-real-secret"

typedef struct
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  SoupServer   *server;
  guint         port;
  GMutex        lock;
  GCond         ready;
  gboolean      down;
  GArray       *indexes;        /* guint64, every event index received, in order */
  GPtrArray    *authorizations; /* char * */
  GString      *bodies;
} Receiver;

static void
collector_cb (SoupServer        *server,
              SoupServerMessage *message,
              const char        *path,
              GHashTable        *query,
              gpointer           user_data)
{
  Receiver *receiver = user_data;
  SoupMessageBody *body = soup_server_message_get_request_body (message);
  g_autoptr(GBytes) data = soup_message_body_flatten (body);
  g_autoptr(GRegex) regex = g_regex_new ("\"index\":([0-9]+)", 0, 0, NULL);
  g_autoptr(GMatchInfo) match = NULL;
  g_autofree char *text = g_strndup (g_bytes_get_data (data, NULL), g_bytes_get_size (data));
  const char *authorization = soup_message_headers_get_one (soup_server_message_get_request_headers (message),
                                                            "Authorization");
  const char *answer = "{\"text\":\"Success\",\"code\":0}";

  g_mutex_lock (&receiver->lock);
  if (receiver->down)
    {
      g_mutex_unlock (&receiver->lock);
      soup_server_message_set_status (message, SOUP_STATUS_SERVICE_UNAVAILABLE, NULL);
      soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC,
                                        "{\"text\":\"Server is busy\",\"code\":9}", 34);
      return;
    }

  g_ptr_array_add (receiver->authorizations, g_strdup (authorization != NULL ? authorization : ""));
  g_string_append (receiver->bodies, text);
  g_regex_match (regex, text, 0, &match);
  while (g_match_info_matches (match))
    {
      g_autofree char *number = g_match_info_fetch (match, 1);
      guint64 index = g_ascii_strtoull (number, NULL, 10);

      g_array_append_val (receiver->indexes, index);
      g_match_info_next (match, NULL);
    }
  g_mutex_unlock (&receiver->lock);

  soup_server_message_set_status (message, SOUP_STATUS_OK, NULL);
  soup_server_message_set_response (message, "application/json", SOUP_MEMORY_STATIC, answer, strlen (answer));
}

static gpointer
receiver_thread (gpointer data)
{
  Receiver *receiver = data;
  g_autoptr(GError) error = NULL;
  GSList *uris;

  g_main_context_push_thread_default (receiver->context);
  receiver->server = soup_server_new (NULL, NULL);
  soup_server_add_handler (receiver->server, "/services/collector/event", collector_cb, receiver, NULL);
  soup_server_listen_local (receiver->server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error);
  g_assert_no_error (error);
  uris = soup_server_get_uris (receiver->server);

  g_mutex_lock (&receiver->lock);
  receiver->port = g_uri_get_port (uris->data);
  g_cond_signal (&receiver->ready);
  g_mutex_unlock (&receiver->lock);
  g_slist_free_full (uris, (GDestroyNotify) g_uri_unref);

  g_main_loop_run (receiver->loop);

  g_clear_object (&receiver->server);
  g_main_context_pop_thread_default (receiver->context);

  return NULL;
}

static Receiver *
receiver_start (void)
{
  Receiver *receiver = g_new0 (Receiver, 1);

  g_mutex_init (&receiver->lock);
  g_cond_init (&receiver->ready);
  receiver->context = g_main_context_new ();
  receiver->loop = g_main_loop_new (receiver->context, FALSE);
  receiver->indexes = g_array_new (FALSE, FALSE, sizeof (guint64));
  receiver->authorizations = g_ptr_array_new_with_free_func (g_free);
  receiver->bodies = g_string_new (NULL);
  receiver->thread = g_thread_new ("hec-receiver", receiver_thread, receiver);

  g_mutex_lock (&receiver->lock);
  while (receiver->port == 0)
    g_cond_wait (&receiver->ready, &receiver->lock);
  g_mutex_unlock (&receiver->lock);

  return receiver;
}

static void
receiver_stop (Receiver *receiver)
{
  g_main_loop_quit (receiver->loop);
  g_thread_join (receiver->thread);
  g_main_loop_unref (receiver->loop);
  g_main_context_unref (receiver->context);
  g_array_unref (receiver->indexes);
  g_ptr_array_unref (receiver->authorizations);
  g_string_free (receiver->bodies, TRUE);
  g_mutex_clear (&receiver->lock);
  g_cond_clear (&receiver->ready);
  g_free (receiver);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Receiver, receiver_stop)

static void
set_down (Receiver *receiver,
          gboolean  down)
{
  g_mutex_lock (&receiver->lock);
  receiver->down = down;
  g_mutex_unlock (&receiver->lock);
}

static void
assert_received_once_in_order (Receiver *receiver,
                               guint64   expected)
{
  g_mutex_lock (&receiver->lock);
  if (receiver->indexes->len != expected)
    g_error ("The receiver has %u events, expected %" G_GUINT64_FORMAT, receiver->indexes->len, expected);
  for (guint i = 0; i < receiver->indexes->len; i++)
    g_assert_cmpuint (g_array_index (receiver->indexes, guint64, i), ==, i);
  for (guint i = 0; i < receiver->authorizations->len; i++)
    g_assert_cmpstr (g_ptr_array_index (receiver->authorizations, i), ==, "Splunk " TOKEN);
  g_mutex_unlock (&receiver->lock);
}

static JsonArray *
list_destinations (Fixture *f)
{
  g_autoptr(CliResult) list = run_cli ("siem", "list", "--profile", f->profile, "--json", NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (list->status, ==, 0);
  g_assert_null (strstr (list->out, TOKEN));
  json_parser_load_from_data (parser, list->out, -1, &error);
  g_assert_no_error (error);

  return json_array_ref (json_node_get_array (json_parser_get_root (parser)));
}

static void
add_hec (Fixture  *f,
         Receiver *receiver)
{
  g_autofree char *url = g_strdup_printf ("http://127.0.0.1:%u", receiver->port);
  g_autofree char *token_file = write_temp_file (f, "token", TOKEN "\n", -1);
  g_autoptr(CliResult) add = NULL;

  add = run_cli ("siem", "add", "hec", "--profile", f->profile, "--password-file", f->password_file,
                 "--kind", "splunk-hec", "--url", url, "--token-file", token_file, "--from-start", NULL);
  g_assert_cmpint (add->status, ==, 0);
}

static void
test_send_and_resume (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(Receiver) receiver = receiver_start ();
  g_autoptr(CliResult) first = NULL;
  g_autoptr(CliResult) down = NULL;
  g_autoptr(CliResult) back = NULL;
  g_autoptr(JsonArray) destinations = NULL;
  g_autoptr(GBytes) database = NULL;
  g_autofree char *db_path = g_build_filename (f->profile, "vault.db", NULL);
  JsonObject *destination;
  guint64 received;

  init_profile (f);
  add_hec (f, receiver);

  /* The token is stored encrypted: not in the settings, not in the file. */
  database = read_file_bytes (db_path);
  g_assert_false (bytes_contain (database, TOKEN));

  first = run_cli ("siem", "send", "--profile", f->profile, "--password-file", f->password_file, NULL);
  g_assert_cmpint (first->status, ==, 0);
  g_assert_nonnull (strstr (first->out, "hec: sent"));
  g_mutex_lock (&receiver->lock);
  received = receiver->indexes->len;
  g_mutex_unlock (&receiver->lock);
  g_assert_cmpuint (received, >=, 4);
  assert_received_once_in_order (receiver, received);
  g_assert_nonnull (strstr (receiver->bodies->str, "\"siem.destination_add\""));

  /* Down: the send fails, says why, and nothing moves. */
  g_free (put_record (f, "while down", NULL));
  set_down (receiver, TRUE);
  down = run_cli ("siem", "send", "--profile", f->profile, "--password-file", f->password_file, NULL);
  assert_error_line (down, 1, "did not take everything");
  g_assert_null (strstr (down->err, TOKEN));
  destinations = list_destinations (f);
  destination = json_array_get_object_element (destinations, 0);
  g_assert_cmpint (json_object_get_int_member (destination, "next_index"), ==, received);
  g_assert_cmpint (json_object_get_int_member (destination, "attempts"), ==, 1);
  g_assert_nonnull (json_object_get_string_member (destination, "last_error"));
  g_assert_cmpint (json_object_get_int_member (destination, "pending"), >, 0);

  /* Back: everything since, in order, nothing twice. */
  set_down (receiver, FALSE);
  back = run_cli ("siem", "send", "--profile", f->profile, "--password-file", f->password_file, "--batch", "2",
                  NULL);
  g_assert_cmpint (back->status, ==, 0);
  g_mutex_lock (&receiver->lock);
  received = receiver->indexes->len;
  g_mutex_unlock (&receiver->lock);
  assert_received_once_in_order (receiver, received);
  g_assert_nonnull (strstr (receiver->bodies->str, "\"vault.put\""));

  g_clear_pointer (&destinations, json_array_unref);
  destinations = list_destinations (f);
  destination = json_array_get_object_element (destinations, 0);
  g_assert_cmpint (json_object_get_int_member (destination, "attempts"), ==, 0);
  g_assert_true (json_object_get_null_member (destination, "last_error"));
}

static void
test_headers_only_and_remove (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(Receiver) receiver = receiver_start ();
  g_autoptr(CliResult) send = NULL;
  g_autoptr(CliResult) remove = NULL;
  g_autoptr(CliResult) again = NULL;
  g_autoptr(CliResult) records = NULL;
  g_autoptr(JsonArray) destinations = NULL;

  init_profile (f);
  g_free (put_record (f, "a note", NULL));
  add_hec (f, receiver);

  send = run_cli ("siem", "send", "hec", "--profile", f->profile, "--password-file", f->password_file,
                  "--headers-only", NULL);
  g_assert_cmpint (send->status, ==, 0);
  g_assert_nonnull (strstr (receiver->bodies->str, "\"vault.put\""));
  g_assert_null (strstr (receiver->bodies->str, "record_ids"));

  remove = run_cli ("siem", "remove", "hec", "--profile", f->profile, "--password-file", f->password_file, NULL);
  g_assert_cmpint (remove->status, ==, 0);
  destinations = list_destinations (f);
  g_assert_cmpuint (json_array_get_length (destinations), ==, 0);

  /* Its token went with it. */
  records = run_cli ("vault", "list", "--profile", f->profile, NULL);
  g_assert_cmpint (records->status, ==, 0);
  g_assert_null (strstr (records->out, "siem-credential"));

  again = run_cli ("siem", "send", "hec", "--profile", f->profile, "--password-file", f->password_file, NULL);
  assert_error_line (again, 2, "No SIEM destination is called");
}

static void
test_usage (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *empty = write_temp_file (f, "empty-token", "\n", -1);
  g_autoptr(CliResult) no_kind = NULL;
  g_autoptr(CliResult) no_host = NULL;
  g_autoptr(CliResult) no_token = NULL;
  g_autoptr(CliResult) empty_token = NULL;
  g_autoptr(CliResult) bad_name = NULL;

  init_profile (f);
  no_kind = run_cli ("siem", "add", "x", "--profile", f->profile, NULL);
  assert_error_line (no_kind, 2, "--kind is syslog, splunk-hec or sentinel");
  no_host = run_cli ("siem", "add", "x", "--profile", f->profile, "--kind", "syslog", NULL);
  assert_error_line (no_host, 2, "needs --host");
  no_token = run_cli ("siem", "add", "x", "--profile", f->profile, "--kind", "sentinel", "--endpoint", "https://e",
                      "--dcr", "d", "--stream", "s", NULL);
  assert_error_line (no_token, 2, "--token-file");
  empty_token = run_cli ("siem", "add", "x", "--profile", f->profile, "--kind", "splunk-hec", "--url", "https://e",
                         "--token-file", empty, NULL);
  assert_error_line (empty_token, 2, "holds no token");
  bad_name = run_cli ("siem", "add", "a b", "--profile", f->profile, "--password-file", f->password_file,
                      "--kind", "syslog", "--host", "127.0.0.1", NULL);
  assert_error_line (bad_name, 2, "without spaces");
}

int
main (int   argc,
      char *argv[])
{
  cli_fixture_init (&argc, &argv);

  g_test_add ("/cli/siem/send-and-resume", Fixture, NULL, fixture_setup, test_send_and_resume, fixture_teardown);
  g_test_add ("/cli/siem/headers-only-and-remove", Fixture, NULL, fixture_setup, test_headers_only_and_remove,
              fixture_teardown);
  g_test_add ("/cli/siem/usage", Fixture, NULL, fixture_setup, test_usage, fixture_teardown);

  return g_test_run ();
}
