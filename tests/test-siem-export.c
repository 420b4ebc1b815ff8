/* test-siem-export.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "wa-crypto.h"
#include "wa-siem-exporter.h"
#include "wa-test-utils.h"

/* The export loop: order, batches, the destination's position, failures
 * and retries.  The sender here is a recorder that can be told to fail;
 * the real transports are tested against rsyslog and protocol-checking
 * HTTP servers in test-siem-syslog, test-siem-hec and test-siem-sentinel. */

#define TEST_TYPE_RECORDER (test_recorder_get_type ())
G_DECLARE_FINAL_TYPE (TestRecorder, test_recorder, TEST, RECORDER, GObject)

struct _TestRecorder
{
  GObject    parent_instance;

  GPtrArray *received;          /* JsonObject *, every event acknowledged */
  guint      batches;
  guint      fail_batch;        /* fail the batch with this number (from 1), 0 for never */
};

static void test_recorder_sender_init (WaSiemSenderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestRecorder, test_recorder, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WA_TYPE_SIEM_SENDER, test_recorder_sender_init))

static const char *
test_recorder_get_name (WaSiemSender *sender)
{
  return "recorder";
}

static gboolean
test_recorder_send (WaSiemSender  *sender,
                    GPtrArray     *events,
                    GCancellable  *cancellable,
                    GError       **error)
{
  TestRecorder *self = TEST_RECORDER (sender);

  self->batches++;
  if (self->batches == self->fail_batch)
    {
      g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_UNREACHABLE, "The receiver is down");
      return FALSE;
    }

  for (guint i = 0; i < events->len; i++)
    g_ptr_array_add (self->received, json_object_ref (g_ptr_array_index (events, i)));

  return TRUE;
}

static void
test_recorder_sender_init (WaSiemSenderInterface *iface)
{
  iface->get_name = test_recorder_get_name;
  iface->send = test_recorder_send;
}

static void
test_recorder_finalize (GObject *object)
{
  g_ptr_array_unref (TEST_RECORDER (object)->received);

  G_OBJECT_CLASS (test_recorder_parent_class)->finalize (object);
}

static void
test_recorder_class_init (TestRecorderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_recorder_finalize;
}

static void
test_recorder_init (TestRecorder *self)
{
  self->received = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
}

typedef struct
{
  WaTestVault    base;
  WaAuditLog    *log;
  WaSiemOutbox  *outbox;
  TestRecorder  *recorder;
  WaSecureBytes *audit_key;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  wa_test_vault_set_up (&fixture->base, "wa-siem-export");
  fixture->log = wa_audit_log_new (fixture->base.vault);
  fixture->outbox = wa_siem_outbox_new (fixture->base.vault);
  fixture->recorder = g_object_new (TEST_TYPE_RECORDER, NULL);
  fixture->audit_key = wa_key_provider_derive_subkey (WA_KEY_PROVIDER (fixture->base.tenant),
                                                      WA_TENANT_SUBKEY_AUDIT, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_pointer (&fixture->audit_key, wa_secure_bytes_unref);
  g_clear_object (&fixture->recorder);
  g_clear_object (&fixture->outbox);
  g_clear_object (&fixture->log);
  wa_test_vault_tear_down (&fixture->base);
}

static void
record_events (Fixture *fixture,
               guint    n)
{
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(JsonObject) metadata = json_object_new ();
      g_autoptr(GError) error = NULL;
      WaAuditEvent event = {
        .event_type = "test.event",
        .outcome = WA_AUDIT_OUTCOME_SUCCESS,
        .ip = "198.51.100.4",
        .metadata = metadata,
      };

      if (i % 2 == 0)
        json_object_set_string_member (metadata, "plan_id", "plan-7");
      g_assert_true (wa_audit_log_record_event (fixture->log, &event, NULL, &error));
      g_assert_no_error (error);
    }
}

static void
add_destination (Fixture *fixture)
{
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(GError) error = NULL;

  g_assert_true (wa_siem_outbox_add (fixture->outbox, "siem", "syslog", config, NULL, TRUE, &error));
  g_assert_no_error (error);
}

static gboolean
flush (Fixture  *fixture,
       guint64  *n_sent,
       GError  **error)
{
  g_autoptr(JsonObject) enrichment = json_object_new ();

  json_object_set_string_member (enrichment, "user_role", "TENANT_ADMIN");

  return wa_siem_export_flush (fixture->outbox, fixture->log, "siem", WA_SIEM_SENDER (fixture->recorder),
                               wa_keyring_get_sign_public_key (fixture->base.keyring),
                               wa_secure_bytes_get_data (fixture->audit_key), enrichment, 100, n_sent, NULL,
                               error);
}

static void
assert_received_in_order (Fixture *fixture,
                          guint64  expected)
{
  g_assert_cmpuint (fixture->recorder->received->len, ==, expected);
  for (guint i = 0; i < fixture->recorder->received->len; i++)
    {
      JsonObject *event = g_ptr_array_index (fixture->recorder->received, i);

      g_assert_cmpint (json_object_get_int_member (event, "index"), ==, i);
    }
}

static guint64
position (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaSiemDestination) destination = wa_siem_outbox_get (fixture->outbox, "siem", &error);

  g_assert_no_error (error);

  return destination->next_index;
}

static void
test_batches_in_order (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  guint64 sent = 0;
  JsonObject *event;

  record_events (fixture, 250);
  add_destination (fixture);

  g_assert_true (flush (fixture, &sent, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sent, ==, 251);
  g_assert_cmpuint (fixture->recorder->batches, ==, 3);
  assert_received_in_order (fixture, 251);
  g_assert_cmpuint (position (fixture), ==, 251);

  /* Enriched and normalised: the body, the plan id, the role. */
  event = g_ptr_array_index (fixture->recorder->received, 0);
  g_assert_cmpstr (json_object_get_string_member (event, "ip"), ==, "198.51.100.4");
  g_assert_cmpstr (json_object_get_string_member (event, "plan_id"), ==, "plan-7");
  g_assert_cmpstr (json_object_get_string_member (event, "user_role"), ==, "TENANT_ADMIN");
  g_assert_cmpstr (json_object_get_string_member (event, "tenant"), ==, "tenant-a");
  g_assert_false (json_object_has_member (g_ptr_array_index (fixture->recorder->received, 1), "plan_id"));

  /* Nothing new, nothing sent. */
  g_assert_true (flush (fixture, &sent, &error));
  g_assert_cmpuint (sent, ==, 0);
  g_assert_cmpuint (fixture->recorder->batches, ==, 3);
}

static void
test_receiver_down (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(WaSiemDestination) destination = NULL;
  g_autoptr(GError) error = NULL;
  guint64 sent = 0;

  record_events (fixture, 250);
  add_destination (fixture);

  fixture->recorder->fail_batch = 2;
  g_assert_false (flush (fixture, &sent, &error));
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_UNREACHABLE);
  g_assert_nonnull (strstr (error->message, "wait in the log"));
  g_clear_error (&error);
  g_assert_cmpuint (sent, ==, 100);
  g_assert_cmpuint (position (fixture), ==, 100);
  destination = wa_siem_outbox_get (fixture->outbox, "siem", &error);
  g_assert_cmpuint (destination->attempts, ==, 1);
  g_assert_cmpstr (destination->last_error, ==, "The receiver is down");

  /* More happens while it is down; then it returns, after a restart. */
  record_events (fixture, 10);
  g_clear_object (&fixture->outbox);
  g_clear_object (&fixture->log);
  wa_vault_close (fixture->base.vault);
  g_clear_object (&fixture->base.vault);
  fixture->base.vault = wa_vault_open (fixture->base.path, &error);
  g_assert_no_error (error);
  wa_vault_set_keys (fixture->base.vault, "user-1", fixture->base.keyring, WA_KEY_PROVIDER (fixture->base.tenant));
  fixture->log = wa_audit_log_new (fixture->base.vault);
  fixture->outbox = wa_siem_outbox_new (fixture->base.vault);

  g_assert_true (flush (fixture, &sent, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (sent, ==, 161);
  assert_received_in_order (fixture, 261);
  g_assert_cmpuint (position (fixture), ==, 261);
}

static void
test_headers_only (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  JsonObject *event;

  record_events (fixture, 2);
  add_destination (fixture);

  g_assert_true (wa_siem_export_flush (fixture->outbox, fixture->log, "siem", WA_SIEM_SENDER (fixture->recorder),
                                       wa_keyring_get_sign_public_key (fixture->base.keyring), NULL, NULL, 0, NULL,
                                       NULL, &error));
  g_assert_no_error (error);
  assert_received_in_order (fixture, 3);
  event = g_ptr_array_index (fixture->recorder->received, 0);
  g_assert_false (json_object_has_member (event, "ip"));
  g_assert_false (json_object_has_member (event, "metadata"));
  g_assert_cmpstr (json_object_get_string_member (event, "event_type"), ==, "test.event");
}

static void
raw_exec (Fixture    *fixture,
          const char *sql)
{
  wa_test_sqlite_exec (fixture->base.path, sql);
}

/* What the device did not sign is not sent as its, and a log shorter
 * than what was sent is not taken as up to date. */
static void
test_refuses_tampered_log (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(WaSiemDestination) destination = NULL;
  g_autoptr(GError) error = NULL;
  guint64 sent = 0;

  record_events (fixture, 5);
  add_destination (fixture);
  g_assert_true (flush (fixture, &sent, &error));
  g_assert_cmpuint (sent, ==, 6);

  record_events (fixture, 2);
  raw_exec (fixture, "UPDATE audit_entries SET entry = replace(entry, '\"test.event\"', '\"test.evenu\"') "
            "WHERE idx = 7");
  g_assert_false (flush (fixture, &sent, &error));
  g_assert_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_BAD_SIGNATURE);
  g_clear_error (&error);
  g_assert_cmpuint (sent, ==, 0);
  assert_received_in_order (fixture, 6);
  destination = wa_siem_outbox_get (fixture->outbox, "siem", &error);
  g_assert_cmpuint (destination->attempts, ==, 1);
  g_assert_nonnull (strstr (destination->last_error, "not sent"));

  raw_exec (fixture, "DELETE FROM audit_entries WHERE idx >= 4");
  g_assert_false (flush (fixture, &sent, &error));
  g_assert_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_TAMPERED);
  assert_received_in_order (fixture, 6);
}

static void
test_unknown_destination (Fixture       *fixture,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (flush (fixture, NULL, &error));
  g_assert_error (error, WA_SIEM_OUTBOX_ERROR, WA_SIEM_OUTBOX_ERROR_NOT_FOUND);
  g_assert_cmpuint (fixture->recorder->batches, ==, 0);
}

static WaSiemSender *
sender_for (const char  *kind,
            const char  *config,
            const char  *credential,
            GError     **error)
{
  WaSiemDestination destination = { (char *) "d", (char *) kind, (char *) config, NULL, 0, 0, NULL, 0 };

  return wa_siem_sender_new_for_destination (&destination, credential, error);
}

/* The destination settings reach the senders. */
static void
test_sender_settings (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaSiemSender) syslog = NULL;
  g_autoptr(WaSiemSender) tls = NULL;
  g_autoptr(WaSiemSender) hec = NULL;
  g_autoptr(WaSiemSender) sentinel = NULL;
  g_autofree char *host = NULL;
  g_autofree char *app_name = NULL;
  g_autofree char *url = NULL;
  g_autofree char *stream = NULL;
  guint port = 0;
  int facility = 0;
  gboolean use_ack = FALSE;
  WaSiemSender *missing;

  syslog = sender_for ("syslog", "{\"app_name\":\"wa\",\"facility\":4,\"host\":\"siem.test\",\"port\":1514}",
                       NULL, &error);
  g_assert_no_error (error);
  g_object_get (syslog, "host", &host, "port", &port, "facility", &facility, "app-name", &app_name, NULL);
  g_assert_cmpstr (host, ==, "siem.test");
  g_assert_cmpuint (port, ==, 1514);
  g_assert_cmpint (facility, ==, 4);
  g_assert_cmpstr (app_name, ==, "wa");

  tls = sender_for ("syslog", "{\"host\":\"siem.test\",\"tls\":true}", NULL, &error);
  g_assert_no_error (error);
  g_object_get (tls, "port", &port, NULL);
  g_assert_cmpuint (port, ==, 6514);

  hec = sender_for ("splunk-hec", "{\"url\":\"https://hec.test:8088\",\"use_ack\":true}", "t", &error);
  g_assert_no_error (error);
  g_object_get (hec, "base-url", &url, "use-ack", &use_ack, NULL);
  g_assert_cmpstr (url, ==, "https://hec.test:8088");
  g_assert_true (use_ack);

  sentinel = sender_for ("sentinel",
                         "{\"dcr_immutable_id\":\"dcr-1\",\"endpoint\":\"https://dce.test\",\"stream_name\":\"Custom-WA\"}",
                         "t", &error);
  g_assert_no_error (error);
  g_object_get (sentinel, "stream-name", &stream, NULL);
  g_assert_cmpstr (stream, ==, "Custom-WA");

  missing = sender_for ("syslog", "{\"port\":1514}", NULL, &error);
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION);
  g_assert_null (missing);
  g_clear_error (&error);
  missing = sender_for ("splunk-hec", "{\"url\":\"https://hec.test\"}", NULL, &error);
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION);
  g_assert_null (missing);
  g_clear_error (&error);
  missing = sender_for ("syslog", "{\"host\":\"h\",\"port\":70000}", NULL, &error);
  g_assert_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION);
  g_assert_null (missing);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (wa_crypto_init (NULL));

  g_test_add ("/siem-export/batches-in-order", Fixture, NULL, fixture_set_up, test_batches_in_order,
              fixture_tear_down);
  g_test_add ("/siem-export/receiver-down", Fixture, NULL, fixture_set_up, test_receiver_down, fixture_tear_down);
  g_test_add ("/siem-export/headers-only", Fixture, NULL, fixture_set_up, test_headers_only, fixture_tear_down);
  g_test_add_func ("/siem-export/sender-settings", test_sender_settings);
  g_test_add ("/siem-export/refuses-tampered-log", Fixture, NULL, fixture_set_up, test_refuses_tampered_log,
              fixture_tear_down);
  g_test_add ("/siem-export/unknown-destination", Fixture, NULL, fixture_set_up, test_unknown_destination,
              fixture_tear_down);

  return g_test_run ();
}
