/* test-siem-syslog.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* The syslog sender against a real receiver: each test starts its own
 * rsyslogd in the foreground on loopback ports the kernel picks, with
 * one plain TCP listener (RFC 6587) and one TLS listener (RFC 5425) whose
 * certificate comes from a test CA made here with certtool.  rsyslogd
 * parses every message as RFC 5424, splits its structured data with
 * mmpstrucdata and writes one JSON line per message: the raw message,
 * the fields it parsed, and the listener it came through.  The tests
 * compare those lines with the events they sent.
 *
 * rsyslogd and certtool are test dependencies (build-aux/install-deps);
 * without them the tests fail rather than skip, since a SIEM transport
 * that was never tested against a receiver is not tested.
 */

#include "config.h"

#include <signal.h>
#include <string.h>
#ifdef __linux__
#include <sys/prctl.h>
#endif

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

#include "wa-siem-format.h"
#include "wa-syslog-sender.h"
#include "wa-test-net.h"
#include "wa-test-utils.h"

#define SENDER_HOSTNAME "agent-17.example.org"
#define SENDER_APP_NAME "webagent-test"
#define SENDER_SD_ID    "audit@32473"
#define FACILITY        10
/* Facility 10 × 8 + severity 3 (Error: a failure with risk 60–79). */
#define EXPECTED_PRI    "83"

/* How long rsyslogd may take to start, or to write what it received. */
#define WAIT_SECONDS    20

#define UTF8_BOM        "\xef\xbb\xbf"

/* Free text with the three characters RFC 5424 §6.3.3 escapes in a
 * PARAM-VALUE and non-ASCII text, which makes the MSG start with a BOM;
 * and the same without non-ASCII, which makes it MSG-ANY. */
#define AWKWARD_TEXT    "vault ]\"\\ Zürich ✓ 日本"
#define ASCII_AWKWARD   "vault ]\"\\ plain [x] \"q\""

static char *rsyslogd_path;
static char *cert_dir;

typedef struct
{
  char        *dir;
  char        *output_path;
  GSubprocess *rsyslogd;
  guint        starts;
  guint        tcp_port;
  guint        tls_port;
} Fixture;

/* rsyslogd goes when the test process goes, even when an assertion
 * aborts it before the teardown runs. */
static void
child_setup_cb (gpointer user_data)
{
#ifdef __linux__
  prctl (PR_SET_PDEATHSIG, SIGTERM);
#endif
}

static char *
read_text (const char *path)
{
  g_autofree char *contents = NULL;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return g_strdup ("");

  return g_steal_pointer (&contents);
}

static guint
read_port (const char *path)
{
  g_autofree char *text = read_text (path);
  guint64 port = 0;

  g_strstrip (text);
  if (!g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT16, &port, NULL))
    return 0;

  return (guint) port;
}

/* Whether something accepts connections on @port of the loopback. */
static gboolean
port_is_open (guint port)
{
  g_autoptr(GSocketClient) client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;

  connection = g_socket_client_connect_to_host (client, "127.0.0.1", port, NULL, NULL);
  if (connection == NULL)
    return FALSE;

  g_io_stream_close (G_IO_STREAM (connection), NULL, NULL);
  return TRUE;
}

/* rsyslogd writes a listenPortFileName only for a port it picked, so a
 * listener on a given port is up once it accepts a connection. */
static guint
wait_for_port (const char *path,
               guint       port)
{
  if (port != 0)
    return port_is_open (port) ? port : 0;

  return read_port (path);
}


static void
write_config (Fixture *f,
              guint    tcp_port,
              guint    tls_port)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *work_dir = g_build_filename (f->dir, "work", NULL);
  g_autofree char *path = g_build_filename (f->dir, "rsyslog.conf", NULL);
  g_autofree char *config = NULL;

  g_mkdir_with_parents (work_dir, 0700);

  /* imuxsock is not loaded, so rsyslogd leaves /dev/log alone; its own
   * messages go to a file of their own through the default ruleset. */
  config = g_strdup_printf (
    "global(workDirectory=\"%s\"\n"
    "       maxMessageSize=\"64k\"\n"
    "       parser.escapeControlCharactersOnReceive=\"off\"\n"
    "       defaultNetstreamDriverCAFile=\"%s/ca.pem\"\n"
    "       defaultNetstreamDriverCertFile=\"%s/server-cert.pem\"\n"
    "       defaultNetstreamDriverKeyFile=\"%s/server-key.pem\")\n"
    "\n"
    "module(load=\"imtcp\" streamDriver.name=\"gtls\" streamDriver.mode=\"1\" streamDriver.authMode=\"anon\")\n"
    "module(load=\"mmpstrucdata\")\n"
    "\n"
    "template(name=\"received\" type=\"list\") {\n"
    "  constant(value=\"{\\\"input\\\":\\\"\")\n"
    "  property(name=\"inputname\" format=\"json\")\n"
    "  constant(value=\"\\\",\\\"pri\\\":\\\"\")\n"
    "  property(name=\"pri\")\n"
    "  constant(value=\"\\\",\\\"hostname\\\":\\\"\")\n"
    "  property(name=\"hostname\" format=\"json\")\n"
    "  constant(value=\"\\\",\\\"app\\\":\\\"\")\n"
    "  property(name=\"app-name\" format=\"json\")\n"
    "  constant(value=\"\\\",\\\"msgid\\\":\\\"\")\n"
    "  property(name=\"msgid\" format=\"json\")\n"
    "  constant(value=\"\\\",\\\"raw\\\":\\\"\")\n"
    "  property(name=\"rawmsg\" format=\"json\")\n"
    "  constant(value=\"\\\",\\\"sd\\\":\")\n"
    "  property(name=\"$!rfc5424-sd\")\n"
    "  constant(value=\"}\\n\")\n"
    "}\n"
    "\n"
    "ruleset(name=\"received\") {\n"
    "  action(type=\"mmpstrucdata\")\n"
    "  action(type=\"omfile\" file=\"%s\" template=\"received\")\n"
    "}\n"
    "\n"
    "input(type=\"imtcp\" name=\"tcp\" address=\"127.0.0.1\" port=\"%u\" listenPortFileName=\"%s/tcp.port\"\n"
    "      streamDriver.name=\"ptcp\" streamDriver.mode=\"0\" ruleset=\"received\")\n"
    "input(type=\"imtcp\" name=\"tls\" address=\"127.0.0.1\" port=\"%u\" listenPortFileName=\"%s/tls.port\"\n"
    "      ruleset=\"received\")\n"
    "\n"
    "*.* action(type=\"omfile\" file=\"%s/rsyslogd-internal.log\")\n",
    work_dir, cert_dir, cert_dir, cert_dir, f->output_path,
    tcp_port, f->dir, tls_port, f->dir, f->dir);

  g_file_set_contents (path, config, -1, &error);
  g_assert_no_error (error);
}

static void
dump_rsyslogd_logs (Fixture *f)
{
  g_autofree char *console_path = g_build_filename (f->dir, "rsyslogd.out", NULL);
  g_autofree char *internal_path = g_build_filename (f->dir, "rsyslogd-internal.log", NULL);
  g_autofree char *console = read_text (console_path);
  g_autofree char *internal = read_text (internal_path);

  g_test_message ("rsyslogd output:\n%s\nrsyslogd messages:\n%s", console, internal);
}

/* Starts rsyslogd on the given ports, 0 for ports the kernel picks, and
 * waits until both listeners are up. */
static void
start_rsyslogd (Fixture *f,
                guint    tcp_port,
                guint    tls_port)
{
  g_autoptr(GSubprocessLauncher) launcher = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *config_path = g_build_filename (f->dir, "rsyslog.conf", NULL);
  g_autofree char *pid_path = g_build_filename (f->dir, "rsyslogd.pid", NULL);
  g_autofree char *console_path = g_build_filename (f->dir, "rsyslogd.out", NULL);
  g_autofree char *tcp_port_path = g_build_filename (f->dir, "tcp.port", NULL);
  g_autofree char *tls_port_path = g_build_filename (f->dir, "tls.port", NULL);
  gint64 deadline;

  g_assert_null (f->rsyslogd);

  g_unlink (tcp_port_path);
  g_unlink (tls_port_path);
  g_unlink (pid_path);
  write_config (f, tcp_port, tls_port);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDERR_MERGE);
  g_subprocess_launcher_set_stdout_file_path (launcher, console_path);
  g_subprocess_launcher_set_child_setup (launcher, child_setup_cb, NULL, NULL);
  f->rsyslogd = g_subprocess_launcher_spawn (launcher, &error,
                                             rsyslogd_path, "-n", "-f", config_path, "-i", pid_path,
                                             NULL);
  g_assert_no_error (error);
  f->starts++;

  deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;
  for (;;)
    {
      f->tcp_port = wait_for_port (tcp_port_path, tcp_port);
      f->tls_port = wait_for_port (tls_port_path, tls_port);
      if (f->tcp_port != 0 && f->tls_port != 0)
        break;

      if (g_subprocess_get_identifier (f->rsyslogd) == NULL || g_get_monotonic_time () > deadline)
        {
          dump_rsyslogd_logs (f);
          g_error ("rsyslogd did not start its listeners");
        }
      g_usleep (20 * 1000);
    }

  if (tcp_port != 0)
    g_assert_cmpuint (f->tcp_port, ==, tcp_port);
  if (tls_port != 0)
    g_assert_cmpuint (f->tls_port, ==, tls_port);
}

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  gboolean *done = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (source), result, NULL);
  *done = TRUE;
}

static gboolean
timeout_cb (gpointer user_data)
{
  gboolean *timed_out = user_data;

  *timed_out = TRUE;
  return G_SOURCE_REMOVE;
}

/* SIGTERM makes rsyslogd drain its queues and exit; one that hangs is
 * killed. */
static void
stop_rsyslogd (Fixture *f)
{
  gboolean done = FALSE;
  gboolean timed_out = FALSE;
  guint timeout_id;

  if (f->rsyslogd == NULL)
    return;

  g_subprocess_send_signal (f->rsyslogd, SIGTERM);
  g_subprocess_wait_async (f->rsyslogd, NULL, wait_cb, &done);
  timeout_id = g_timeout_add_seconds (WAIT_SECONDS, timeout_cb, &timed_out);
  while (!done && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!done)
    {
      g_subprocess_force_exit (f->rsyslogd);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
    }
  else
    g_source_remove (timeout_id);

  g_clear_object (&f->rsyslogd);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("test-siem-syslog-XXXXXX", &error);
  g_assert_no_error (error);
  f->output_path = g_build_filename (f->dir, "received.jsonl", NULL);

  start_rsyslogd (f, 0, 0);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  stop_rsyslogd (f);
  wa_test_remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->output_path);
}

/* The complete lines rsyslogd wrote, each parsed. */
static GPtrArray *
read_received (Fixture *f)
{
  g_autofree char *text = read_text (f->output_path);
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *received = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  guint n_lines = g_strv_length (lines);

  /* The last piece is whatever follows the last newline. */
  for (guint i = 0; i + 1 < n_lines; i++)
    {
      g_autoptr(JsonParser) parser = json_parser_new ();
      g_autoptr(GError) error = NULL;

      json_parser_load_from_data (parser, lines[i], -1, &error);
      if (error != NULL)
        g_error ("rsyslogd wrote a line that does not parse (%s): %s", error->message, lines[i]);
      g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));
      g_ptr_array_add (received, json_object_ref (json_node_get_object (json_parser_get_root (parser))));
    }

  return received;
}

/* Waits until rsyslogd has written @count messages, and a little longer
 * to catch any it should not have. */
static GPtrArray *
wait_for_received (Fixture *f,
                   guint    count)
{
  gint64 deadline = g_get_monotonic_time () + WAIT_SECONDS * G_USEC_PER_SEC;

  for (;;)
    {
      g_autoptr(GPtrArray) received = read_received (f);

      if (received->len >= count)
        break;

      if (g_get_monotonic_time () > deadline)
        {
          dump_rsyslogd_logs (f);
          g_error ("rsyslogd wrote %u of %u messages", received->len, count);
        }
      g_usleep (20 * 1000);
    }

  g_usleep (200 * 1000);
  return read_received (f);
}

static JsonObject *
make_event (guint i)
{
  g_autofree char *time = g_strdup_printf ("2026-12-03T15:04:05.%06uZ", i);

  return wa_test_net_make_event (i, time, i % 2 == 0 ? AWKWARD_TEXT : ASCII_AWKWARD, NULL);
}

static GPtrArray *
make_events (guint first,
             guint n)
{
  GPtrArray *events = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);

  for (guint i = first; i < first + n; i++)
    g_ptr_array_add (events, make_event (i));

  return events;
}

static WaSiemSender *
new_sender (Fixture    *f,
            gboolean    tls,
            const char *ca_file)
{
  return g_object_new (WA_TYPE_SYSLOG_SENDER,
                       "host", "127.0.0.1",
                       "port", tls ? f->tls_port : f->tcp_port,
                       "tls", tls,
                       "ca-file", ca_file,
                       "hostname", SENDER_HOSTNAME,
                       "app-name", SENDER_APP_NAME,
                       "facility", FACILITY,
                       "sd-id", SENDER_SD_ID,
                       NULL);
}

static char *
ca_path (const char *name)
{
  return g_build_filename (cert_dir, name, NULL);
}

/* Message @position of what rsyslogd received is event @index, sent
 * through @input, byte for byte, with its structured data intact as
 * rsyslogd's own RFC 5424 parser reads it. */
static void
assert_received_event (GPtrArray  *received,
                       guint       position,
                       guint       index,
                       const char *input)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) event = make_event (index);
  g_autofree char *expected_raw = NULL;
  g_autofree char *index_text = g_strdup_printf ("%u", index);
  JsonObject *message = g_ptr_array_index (received, position);
  JsonObject *sd;
  JsonObject *params;
  const char *raw;

  expected_raw = wa_siem_format_syslog (event, SENDER_HOSTNAME, SENDER_APP_NAME, SENDER_SD_ID,
                                        PACKAGE_VERSION, FACILITY, &error);
  g_assert_no_error (error);

  raw = json_object_get_string_member (message, "raw");
  g_assert_cmpstr (raw, ==, expected_raw);
  g_assert_cmpstr (json_object_get_string_member (message, "input"), ==, input);
  g_assert_cmpstr (json_object_get_string_member (message, "pri"), ==, EXPECTED_PRI);
  g_assert_cmpstr (json_object_get_string_member (message, "hostname"), ==, SENDER_HOSTNAME);
  g_assert_cmpstr (json_object_get_string_member (message, "app"), ==, SENDER_APP_NAME);
  g_assert_cmpstr (json_object_get_string_member (message, "msgid"), ==, "auth.unlock_failed");

  /* MSG is the CEF line; a BOM before it exactly when it is not ASCII. */
  if (index % 2 == 0)
    g_assert_nonnull (strstr (raw, "] " UTF8_BOM "CEF:0|WebAgent|"));
  else
    g_assert_nonnull (strstr (raw, "] CEF:0|WebAgent|"));

  /* mmpstrucdata undoes the PARAM-VALUE escaping, so what it read must
   * be the original text. */
  sd = json_object_get_object_member (message, "sd");
  g_assert_nonnull (sd);
  g_assert_cmpuint (json_object_get_size (sd), ==, 1);
  params = json_object_get_object_member (sd, SENDER_SD_ID);
  g_assert_nonnull (params);
  g_assert_cmpstr (json_object_get_string_member (params, "index"), ==, index_text);
  g_assert_cmpstr (json_object_get_string_member (params, "resource"), ==,
                   index % 2 == 0 ? AWKWARD_TEXT : ASCII_AWKWARD);
  g_assert_cmpstr (json_object_get_string_member (params, "action"), ==, "unlock\nsecond line");
  g_assert_cmpstr (json_object_get_string_member (params, "tenant"), ==, "acme");
  g_assert_cmpstr (json_object_get_string_member (params, "event_type"), ==, "auth.unlock_failed");
  g_assert_cmpstr (json_object_get_string_member (params, "outcome"), ==, "failure");
  g_assert_cmpstr (json_object_get_string_member (params, "risk_score"), ==, "65");
}

/* Every event from 0 to @count arrived once, in order, through @input. */
static void
assert_received_all (GPtrArray  *received,
                     guint       count,
                     const char *input)
{
  g_assert_cmpuint (received->len, ==, count);
  for (guint i = 0; i < count; i++)
    assert_received_event (received, i, i, input);
}

/* Two batches, the second over the connection the first one opened and
 * from the worker's thread, arrive whole through @input. */
static void
assert_two_batches_arrive (Fixture      *f,
                           WaSiemSender *sender,
                           const char   *input)
{
  g_autoptr(GPtrArray) first = make_events (0, 60);
  g_autoptr(GPtrArray) second = make_events (60, 40);
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_true (wa_siem_sender_send (sender, first, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (wa_test_net_send_from_worker (sender, second, &error));
  g_assert_no_error (error);

  received = wait_for_received (f, 100);
  assert_received_all (received, 100, input);
}

static void
test_tcp (Fixture       *f,
          gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_sender (f, FALSE, NULL);
  g_autofree char *name = g_strdup_printf ("syslog over TCP to 127.0.0.1:%u", f->tcp_port);

  g_assert_cmpstr (wa_siem_sender_get_name (sender), ==, name);
  assert_two_batches_arrive (f, sender, "tcp");

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_tls (Fixture       *f,
          gconstpointer  data)
{
  g_autofree char *ca_file = ca_path ("ca.pem");
  g_autoptr(WaSiemSender) sender = new_sender (f, TRUE, ca_file);

  assert_two_batches_arrive (f, sender, "tls");

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_tls_wrong_ca (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *other_ca_file = ca_path ("other-ca.pem");
  g_autoptr(WaSiemSender) sender = new_sender (f, TRUE, other_ca_file);
  g_autoptr(GPtrArray) events = make_events (0, 5);
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_false (wa_siem_sender_send (sender, events, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CERTIFICATE);
  g_assert_nonnull (strstr (error->message, "CA file"));

  /* Nothing reached the receiver, now or later. */
  g_usleep (500 * 1000);
  received = read_received (f);
  g_assert_cmpuint (received->len, ==, 0);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_tls_missing_ca_file (Fixture       *f,
                          gconstpointer  data)
{
  g_autofree char *missing = g_build_filename (f->dir, "no-such-ca.pem", NULL);
  g_autoptr(WaSiemSender) sender = new_sender (f, TRUE, missing);
  g_autoptr(GPtrArray) events = make_events (0, 2);
  g_autoptr(GError) error = NULL;

  g_assert_false (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION);
  g_assert_nonnull (strstr (error->message, "no-such-ca.pem"));
}

/* TLS to the plain listener: the handshake cannot succeed. */
static void
test_tls_to_plain_port (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *ca_file = ca_path ("ca.pem");
  g_autoptr(WaSiemSender) sender = NULL;
  g_autoptr(GPtrArray) events = make_events (0, 2);
  g_autoptr(GError) error = NULL;

  gint64 start;

  sender = g_object_new (WA_TYPE_SYSLOG_SENDER,
                         "host", "127.0.0.1",
                         "port", f->tcp_port,
                         "tls", TRUE,
                         "ca-file", ca_file,
                         "timeout", 2,
                         NULL);
  start = g_get_monotonic_time ();
  g_assert_false (wa_siem_sender_send (sender, events, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_PROTOCOL);
  g_assert_nonnull (strstr (error->message, "TLS port"));
  g_assert_cmpint (g_get_monotonic_time () - start, <, 10 * G_USEC_PER_SEC);
}

static void
test_unreachable (void)
{
  guint port;
  g_autoptr(GSocket) socket = wa_test_net_bind_closed_port (&port);
  g_autoptr(WaSyslogSender) sender = wa_syslog_sender_new ("127.0.0.1", port, FALSE, NULL);
  g_autoptr(GPtrArray) events = make_events (0, 3);
  g_autoptr(GError) error = NULL;

  g_assert_false (wa_siem_sender_send (WA_SIEM_SENDER (sender), events, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_UNREACHABLE);
}

/* The receiver goes away and comes back on the same ports.  A send while
 * it is down fails, so the caller keeps the batch; a send after it came
 * back reconnects, whether or not a send failed in between. */
static void
test_reconnect (Fixture       *f,
                gconstpointer  data)
{
  gboolean tls = GPOINTER_TO_INT (data);
  const char *input = tls ? "tls" : "tcp";
  g_autofree char *ca_file = ca_path ("ca.pem");
  g_autoptr(WaSiemSender) sender = new_sender (f, tls, ca_file);
  g_autoptr(GPtrArray) first = make_events (0, 20);
  g_autoptr(GPtrArray) second = make_events (20, 20);
  g_autoptr(GPtrArray) third = make_events (40, 20);
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GError) error = NULL;
  guint tcp_port = f->tcp_port;
  guint tls_port = f->tls_port;

  g_assert_true (wa_siem_sender_send (sender, first, NULL, &error));
  g_assert_no_error (error);
  g_ptr_array_unref (wait_for_received (f, 20));

  /* Down: the batch is refused, not lost in a dead connection. */
  stop_rsyslogd (f);
  g_assert_false (wa_siem_sender_send (sender, second, NULL, &error));
  g_test_message ("%s", error->message);
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_UNREACHABLE);
  g_clear_error (&error);

  /* Back: the caller's retry of the same batch gets through. */
  start_rsyslogd (f, tcp_port, tls_port);
  g_assert_true (wa_siem_sender_send (sender, second, NULL, &error));
  g_assert_no_error (error);
  g_ptr_array_unref (wait_for_received (f, 40));

  /* Restarted between two batches, with no failed send to notice it. */
  stop_rsyslogd (f);
  start_rsyslogd (f, tcp_port, tls_port);
  g_assert_true (wa_siem_sender_send (sender, third, NULL, &error));
  g_assert_no_error (error);

  received = wait_for_received (f, 60);
  assert_received_all (received, 60, input);
  g_assert_cmpuint (f->starts, ==, 3);

  g_assert_finalize_object (g_steal_pointer (&sender));
}

static void
test_invalid (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(WaSiemSender) sender = new_sender (f, FALSE, NULL);
  g_autoptr(WaSiemSender) bad_settings = NULL;
  g_autoptr(GPtrArray) events = make_events (0, 3);
  g_autoptr(GPtrArray) received = NULL;
  g_autoptr(GError) error = NULL;

  /* An event the formatter refuses fails the batch before a byte of it
   * is sent. */
  json_object_set_string_member (g_ptr_array_index (events, 2), "outcome", "maybe");
  g_assert_false (wa_siem_sender_send (sender, events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_INVALID_EVENT);
  g_assert_nonnull (strstr (error->message, "position 3"));
  g_clear_error (&error);

  /* A host name with a space cannot go into HOSTNAME. */
  bad_settings = g_object_new (WA_TYPE_SYSLOG_SENDER,
                               "host", "127.0.0.1",
                               "port", f->tcp_port,
                               "tls", FALSE,
                               "hostname", "my laptop",
                               NULL);
  json_object_set_string_member (g_ptr_array_index (events, 2), "outcome", "failure");
  g_assert_false (wa_siem_sender_send (bad_settings, events, NULL, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION);

  g_usleep (300 * 1000);
  received = read_received (f);
  g_assert_cmpuint (received->len, ==, 0);
}

static void
test_defaults (void)
{
  g_autoptr(WaSyslogSender) tls = wa_syslog_sender_new ("siem.example.org", 0, TRUE, NULL);
  g_autoptr(WaSyslogSender) tcp = wa_syslog_sender_new ("2001:db8::5", 0, FALSE, NULL);

  g_assert_cmpuint (wa_syslog_sender_get_port (tls), ==, 6514);
  g_assert_cmpstr (wa_siem_sender_get_name (WA_SIEM_SENDER (tls)), ==, "syslog over TLS to siem.example.org:6514");
  g_assert_cmpuint (wa_syslog_sender_get_port (tcp), ==, 514);
  g_assert_cmpstr (wa_siem_sender_get_name (WA_SIEM_SENDER (tcp)), ==, "syslog over TCP to [2001:db8::5]:514");
}

static void
test_missing_tool (gconstpointer data)
{
  g_test_fail_printf ("%s is not installed; run build-aux/install-deps to install the syslog test peers",
                      (const char *) data);
}

/* rsyslogd lives in /usr/sbin, which is not on every user's PATH. */
static char *
find_rsyslogd (void)
{
  char *path = g_find_program_in_path ("rsyslogd");

  if (path == NULL && g_file_test ("/usr/sbin/rsyslogd", G_FILE_TEST_IS_EXECUTABLE))
    path = g_strdup ("/usr/sbin/rsyslogd");

  return path;
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *certtool = NULL;
  int result;

  wa_test_net_init (&argc, &argv);

  g_test_add_func ("/wa/siem/syslog/defaults", test_defaults);
  g_test_add_func ("/wa/siem/syslog/unreachable", test_unreachable);

  rsyslogd_path = find_rsyslogd ();
  certtool = g_find_program_in_path ("certtool");
  if (rsyslogd_path == NULL)
    {
      g_test_add_data_func ("/wa/siem/syslog/rsyslogd-installed", "rsyslogd", test_missing_tool);
      return g_test_run ();
    }
  if (certtool == NULL)
    {
      g_test_add_data_func ("/wa/siem/syslog/certtool-installed", "certtool", test_missing_tool);
      return g_test_run ();
    }

  cert_dir = wa_test_net_make_certificates ("test-siem-syslog-ca");

  g_test_add ("/wa/siem/syslog/tcp", Fixture, NULL, fixture_set_up, test_tcp, fixture_tear_down);
  g_test_add ("/wa/siem/syslog/tls", Fixture, NULL, fixture_set_up, test_tls, fixture_tear_down);
  g_test_add ("/wa/siem/syslog/tls-wrong-ca", Fixture, NULL, fixture_set_up, test_tls_wrong_ca, fixture_tear_down);
  g_test_add ("/wa/siem/syslog/tls-missing-ca-file", Fixture, NULL, fixture_set_up, test_tls_missing_ca_file,
              fixture_tear_down);
  g_test_add ("/wa/siem/syslog/tls-to-plain-port", Fixture, NULL, fixture_set_up, test_tls_to_plain_port,
              fixture_tear_down);
  g_test_add ("/wa/siem/syslog/reconnect-tcp", Fixture, GINT_TO_POINTER (FALSE), fixture_set_up, test_reconnect,
              fixture_tear_down);
  g_test_add ("/wa/siem/syslog/reconnect-tls", Fixture, GINT_TO_POINTER (TRUE), fixture_set_up, test_reconnect,
              fixture_tear_down);
  g_test_add ("/wa/siem/syslog/invalid", Fixture, NULL, fixture_set_up, test_invalid, fixture_tear_down);

  result = g_test_run ();

  wa_test_net_wait_for_pool_threads ();
  wa_test_remove_tree (cert_dir);
  g_free (cert_dir);
  g_free (rsyslogd_path);

  return result;
}
