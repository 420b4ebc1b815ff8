/* test-siem-outbox.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "wa-audit-log.h"
#include "wa-crypto.h"
#include "wa-siem-outbox.h"
#include "wa-test-utils.h"

typedef struct
{
  WaTestVault   base;
  WaAuditLog   *log;
  WaSiemOutbox *outbox;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  wa_test_vault_set_up (&fixture->base, "wa-siem-outbox");
  fixture->log = wa_audit_log_new (fixture->base.vault);
  fixture->outbox = wa_siem_outbox_new (fixture->base.vault);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
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
      g_autoptr(GError) error = NULL;
      WaAuditEvent event = { .event_type = "test.event", .outcome = WA_AUDIT_OUTCOME_SUCCESS };

      g_assert_true (wa_audit_log_record_event (fixture->log, &event, NULL, &error));
      g_assert_no_error (error);
    }
}

static void
add (Fixture    *fixture,
     const char *name,
     gboolean    from_start)
{
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (config, "host", "127.0.0.1");
  json_object_set_int_member (config, "port", 514);
  g_assert_true (wa_siem_outbox_add (fixture->outbox, name, "syslog", config, NULL, from_start, &error));
  g_assert_no_error (error);
}

static void
test_add_list_remove (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GPtrArray) destinations = NULL;
  g_autoptr(WaSiemDestination) live = NULL;
  g_autoptr(WaSiemDestination) all = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  record_events (fixture, 3);
  add (fixture, "all", TRUE);
  add (fixture, "live", FALSE);

  destinations = wa_siem_outbox_list (fixture->outbox, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (destinations->len, ==, 2);

  all = wa_siem_outbox_get (fixture->outbox, "all", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (all->kind, ==, "syslog");
  g_assert_cmpstr (all->config, ==, "{\"host\":\"127.0.0.1\",\"port\":514}");
  g_assert_cmpuint (all->next_index, ==, 0);

  /* "live" starts at its own addition: entry 4, after "all"'s at 3. */
  live = wa_siem_outbox_get (fixture->outbox, "live", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (live->next_index, ==, 4);

  entries = wa_audit_log_get_entries (fixture->log, 3, G_MAXUINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  g_assert_cmpstr (((WaAuditEntry *) g_ptr_array_index (entries, 0))->event_type, ==, "siem.destination_add");
  g_assert_cmpstr (((WaAuditEntry *) g_ptr_array_index (entries, 1))->resource, ==, "siem-destination:live");

  g_assert_true (wa_siem_outbox_remove (fixture->outbox, "live", &error));
  g_assert_no_error (error);
  g_assert_false (wa_siem_outbox_remove (fixture->outbox, "live", &error));
  g_assert_error (error, WA_SIEM_OUTBOX_ERROR, WA_SIEM_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);
  g_assert_null (wa_siem_outbox_get (fixture->outbox, "live", &error));
  g_assert_error (error, WA_SIEM_OUTBOX_ERROR, WA_SIEM_OUTBOX_ERROR_NOT_FOUND);
  g_clear_error (&error);

  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = wa_audit_log_get_entries (fixture->log, 5, G_MAXUINT64, &error);
  g_assert_cmpuint (entries->len, ==, 1);
  g_assert_cmpstr (((WaAuditEntry *) g_ptr_array_index (entries, 0))->event_type, ==, "siem.destination_remove");
}

static void
test_bad_input (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(JsonObject) config = json_object_new ();
  g_autoptr(GError) error = NULL;
  const char *bad_names[] = { "", "a b", "a/b", "quote\"", "x\n" };

  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_assert_false (wa_siem_outbox_add (fixture->outbox, bad_names[i], "syslog", config, NULL, TRUE, &error));
      g_assert_error (error, WA_SIEM_OUTBOX_ERROR, WA_SIEM_OUTBOX_ERROR_INVALID);
      g_clear_error (&error);
    }

  g_assert_false (wa_siem_outbox_add (fixture->outbox, "x", "carrier-pigeon", config, NULL, TRUE, &error));
  g_assert_error (error, WA_SIEM_OUTBOX_ERROR, WA_SIEM_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);

  add (fixture, "x", TRUE);
  g_assert_false (wa_siem_outbox_add (fixture->outbox, "x", "syslog", config, NULL, TRUE, &error));
  g_assert_error (error, WA_SIEM_OUTBOX_ERROR, WA_SIEM_OUTBOX_ERROR_EXISTS);
  g_clear_error (&error);

  /* Adding is recorded, so it needs the keys. */
  wa_vault_forget_keys (fixture->base.vault);
  g_assert_false (wa_siem_outbox_add (fixture->outbox, "y", "syslog", config, NULL, TRUE, &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_LOCKED);
}

static void
test_acknowledge (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(WaSiemDestination) destination = NULL;
  g_autoptr(GError) error = NULL;

  record_events (fixture, 5);
  add (fixture, "d", TRUE);

  g_assert_true (wa_siem_outbox_record_failure (fixture->outbox, "d", "The receiver is down", &error));
  g_assert_true (wa_siem_outbox_record_failure (fixture->outbox, "d", "Still down", &error));
  destination = wa_siem_outbox_get (fixture->outbox, "d", &error);
  g_assert_cmpuint (destination->attempts, ==, 2);
  g_assert_cmpstr (destination->last_error, ==, "Still down");
  g_assert_cmpuint (destination->next_index, ==, 0);
  g_clear_pointer (&destination, wa_siem_destination_free);

  g_assert_true (wa_siem_outbox_acknowledge (fixture->outbox, "d", 0, 4, &error));
  g_assert_no_error (error);
  destination = wa_siem_outbox_get (fixture->outbox, "d", &error);
  g_assert_cmpuint (destination->next_index, ==, 4);
  g_assert_cmpuint (destination->attempts, ==, 0);
  g_assert_null (destination->last_error);

  /* From a stale position: another sender got there first. */
  g_assert_false (wa_siem_outbox_acknowledge (fixture->outbox, "d", 0, 2, &error));
  g_assert_error (error, WA_SIEM_OUTBOX_ERROR, WA_SIEM_OUTBOX_ERROR_CONFLICT);
  g_clear_error (&error);

  /* Beyond the end of the log (6 entries with the addition). */
  g_assert_false (wa_siem_outbox_acknowledge (fixture->outbox, "d", 4, 7, &error));
  g_assert_error (error, WA_SIEM_OUTBOX_ERROR, WA_SIEM_OUTBOX_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_true (wa_siem_outbox_acknowledge (fixture->outbox, "d", 4, 6, &error));
  g_assert_no_error (error);

  /* Survives closing and opening the vault. */
  g_clear_object (&fixture->outbox);
  g_clear_object (&fixture->log);
  wa_vault_close (fixture->base.vault);
  g_clear_object (&fixture->base.vault);
  fixture->base.vault = wa_vault_open (fixture->base.path, &error);
  g_assert_no_error (error);
  fixture->outbox = wa_siem_outbox_new (fixture->base.vault);
  g_clear_pointer (&destination, wa_siem_destination_free);
  destination = wa_siem_outbox_get (fixture->outbox, "d", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (destination->next_index, ==, 6);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (wa_crypto_init (NULL));

  g_test_add ("/siem-outbox/add-list-remove", Fixture, NULL, fixture_set_up, test_add_list_remove,
              fixture_tear_down);
  g_test_add ("/siem-outbox/bad-input", Fixture, NULL, fixture_set_up, test_bad_input, fixture_tear_down);
  g_test_add ("/siem-outbox/acknowledge", Fixture, NULL, fixture_set_up, test_acknowledge, fixture_tear_down);

  return g_test_run ();
}
