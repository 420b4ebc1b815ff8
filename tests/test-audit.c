/* test-audit.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <sqlite3.h>
#include <glib/gstdio.h>

#include "wa-audit-log.h"
#include "wa-crypto.h"
#include "wa-merkle.h"
#include "wa-note.h"
#include "wa-software-key-provider.h"
#include "wa-test-utils.h"

typedef struct
{
  WaTestVault  base;
  WaAuditLog  *log;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  wa_test_vault_set_up (&fixture->base, "wa-audit");
  fixture->log = wa_audit_log_new (fixture->base.vault);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_clear_object (&fixture->log);
  wa_test_vault_tear_down (&fixture->base);
}

static const guint8 *
device_key (Fixture *fixture)
{
  return wa_keyring_get_sign_public_key (fixture->base.keyring);
}

static guint64
record (Fixture    *fixture,
        const char *event_type,
        int         n)
{
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autoptr(GError) error = NULL;
  WaAuditEvent event = {
    .event_type = event_type,
    .resource = "test:resource",
    .action = "act",
    .outcome = WA_AUDIT_OUTCOME_SUCCESS,
    .risk_score = 5,
    .session = "session-1",
    .ip = "192.0.2.7",
    .user_agent = "test-agent",
    .metadata = metadata,
  };
  guint64 index = G_MAXUINT64;

  json_object_set_int_member (metadata, "n", n);
  g_assert_true (wa_audit_log_record_event (fixture->log, &event, &index, &error));
  g_assert_no_error (error);

  return index;
}

static void
record_many (Fixture *fixture,
             guint    n)
{
  for (guint i = 0; i < n; i++)
    g_assert_cmpuint (record (fixture, "test.event", i), ==, i);
}

static WaAuditReport *
verify (Fixture    *fixture,
        const char *trusted)
{
  g_autoptr(GError) error = NULL;
  WaAuditReport *report;

  report = wa_audit_log_verify (fixture->log, device_key (fixture), trusted, 0, G_MAXUINT64, &error);
  g_assert_no_error (error);
  g_assert_nonnull (report);

  return report;
}

static void
assert_bad_at (Fixture    *fixture,
               const char *trusted,
               guint64     index)
{
  g_autoptr(WaAuditReport) report = verify (fixture, trusted);

  if (report->ok)
    g_error ("Verification passed; expected a failure at entry %" G_GUINT64_FORMAT, index);
  g_assert_true (report->has_bad_index);
  if (report->bad_index != index)
    g_error ("Expected entry %" G_GUINT64_FORMAT ", got %" G_GUINT64_FORMAT ": %s",
             index, report->bad_index, report->problem);
  g_assert_nonnull (report->problem);
}

/* Runs SQL on the database behind the vault's back, as an attacker with
 * the file would. */
static void
raw_exec (Fixture    *fixture,
          const char *sql)
{
  wa_test_sqlite_exec (fixture->base.path, sql);
}

static char *
raw_entry (Fixture *fixture,
           guint64  index)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  char *text;

  g_assert_cmpint (sqlite3_open (fixture->base.path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT entry FROM audit_entries WHERE idx = ?", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  sqlite3_bind_int64 (stmt, 1, index);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  text = g_strdup ((const char *) sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return text;
}

static void
raw_set_entry (Fixture    *fixture,
               guint64     index,
               const char *text,
               gsize       len)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (fixture->base.path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE audit_entries SET entry = ? WHERE idx = ?", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  sqlite3_bind_text (stmt, 1, text, len, SQLITE_TRANSIENT);
  sqlite3_bind_int64 (stmt, 2, index);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
test_record_and_verify (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(WaAuditReport) report = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(WaSecureBytes) audit_key = NULL;
  g_autoptr(JsonObject) body = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *device = wa_keyring_dup_device_id (fixture->base.keyring);
  const WaAuditEntry *entry;

  record_many (fixture, 5);
  report = verify (fixture, NULL);
  g_assert_true (report->ok);
  g_assert_cmpuint (report->size, ==, 5);
  g_assert_cmpuint (report->n_checkpoints, ==, 5);
  g_assert_nonnull (report->checkpoint);

  entries = wa_audit_log_get_entries (fixture->log, 0, G_MAXUINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 5);
  entry = g_ptr_array_index (entries, 3);
  g_assert_cmpuint (entry->index, ==, 3);
  g_assert_cmpstr (entry->event_type, ==, "test.event");
  g_assert_cmpstr (entry->tenant, ==, "tenant-a");
  g_assert_cmpstr (entry->device, ==, device);
  g_assert_cmpstr (entry->outcome, ==, "success");
  g_assert_cmpstr (entry->session, ==, "session-1");
  g_assert_true (g_str_has_suffix (entry->time, "Z"));
  /* The header names the actor only by commitment. */
  g_assert_null (strstr (entry->text, "user-1"));
  g_assert_null (strstr (entry->text, "192.0.2.7"));
  g_assert_cmpstr (entry->actor, !=, "user-1");

  audit_key = wa_key_provider_derive_subkey (WA_KEY_PROVIDER (fixture->base.tenant), WA_TENANT_SUBKEY_AUDIT, &error);
  g_assert_no_error (error);
  body = wa_audit_entry_open_body (entry, wa_secure_bytes_get_data (audit_key), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (json_object_get_string_member (body, "ip"), ==, "192.0.2.7");
  g_assert_cmpstr (json_object_get_string_member (body, "user_id"), ==, "user-1");
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (body, "metadata"), "n"), ==, 3);

  /* The commitment opens with the salt from the body. */
  {
    gsize len = 0;
    g_autofree guint8 *salt = g_base64_decode (json_object_get_string_member (body, "actor_salt"), &len);
    g_autofree char *actor = wa_audit_actor_commitment (salt, "user-1");

    g_assert_cmpuint (len, ==, 32);
    g_assert_cmpstr (actor, ==, entry->actor);
  }
}

static void
test_body_needs_tenant_key (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(WaSoftwareKeyProvider) other = wa_software_key_provider_new_generated ("tenant-a");
  g_autoptr(WaSecureBytes) other_key = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *body;

  record_many (fixture, 1);
  entries = wa_audit_log_get_entries (fixture->log, 0, 0, &error);
  g_assert_no_error (error);
  other_key = wa_key_provider_derive_subkey (WA_KEY_PROVIDER (other), WA_TENANT_SUBKEY_AUDIT, &error);
  body = wa_audit_entry_open_body (g_ptr_array_index (entries, 0), wa_secure_bytes_get_data (other_key), &error);
  g_assert_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_CANNOT_DECRYPT);
  g_assert_null (body);
}

static void
test_canonical_entry_only (void)
{
  g_autoptr(GError) error = NULL;
  WaAuditEntry *entry;

  entry = wa_audit_entry_parse ("{\"v\": 1}", &error);
  g_assert_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_MALFORMED);
  g_assert_null (entry);
}

/* Flipping any single byte of a stored entry is found, at that entry. */
static void
test_tamper_every_byte (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autofree char *original = NULL;
  gsize len;

  record_many (fixture, 4);
  original = raw_entry (fixture, 2);
  len = strlen (original);

  for (gsize i = 0; i < len; i++)
    {
      g_autofree char *changed = g_strdup (original);

      changed[i] ^= 0x01;
      raw_set_entry (fixture, 2, changed, len);
      assert_bad_at (fixture, NULL, 2);
    }

  raw_set_entry (fixture, 2, original, len);
  {
    g_autoptr(WaAuditReport) report = verify (fixture, NULL);

    g_assert_true (report->ok);
  }
}

/* The checkpoints catch a change even outside the range checked entry by
 * entry, and a changed entry with a matching leaf hash. */
static void
test_tamper_outside_range (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *original = NULL;
  g_autoptr(WaAuditReport) report = NULL;
  g_autoptr(GError) error = NULL;

  record_many (fixture, 6);
  original = raw_entry (fixture, 1);
  original[strlen (original) - 3] ^= 0x02;
  raw_set_entry (fixture, 1, original, strlen (original));

  report = wa_audit_log_verify (fixture->log, device_key (fixture), NULL, 3, 5, &error);
  g_assert_no_error (error);
  g_assert_false (report->ok);
  g_assert_true (report->has_bad_index);
  g_assert_cmpuint (report->bad_index, ==, 1);
}

static void
test_delete_entry (Fixture       *fixture,
                   gconstpointer  data)
{
  record_many (fixture, 6);
  raw_exec (fixture, "DELETE FROM audit_entries WHERE idx = 3");
  assert_bad_at (fixture, NULL, 3);
}

static void
test_reorder_entries (Fixture       *fixture,
                      gconstpointer  data)
{
  record_many (fixture, 6);
  raw_exec (fixture,
            "UPDATE audit_entries SET idx = -1 WHERE idx = 2;"
            "UPDATE audit_entries SET idx = 2 WHERE idx = 4;"
            "UPDATE audit_entries SET idx = 4 WHERE idx = -1;");
  assert_bad_at (fixture, NULL, 2);
}

static void
test_truncate (Fixture       *fixture,
               gconstpointer  data)
{
  g_autofree char *seen = NULL;
  g_autoptr(GError) error = NULL;

  record_many (fixture, 8);
  seen = wa_audit_log_dup_checkpoint (fixture->log, &error);
  g_assert_no_error (error);

  /* Entries gone, their checkpoints left: the checkpoints say so. */
  raw_exec (fixture, "DELETE FROM audit_entries WHERE idx >= 6");
  assert_bad_at (fixture, NULL, 6);

  /* Entries and checkpoints gone, and the tree state rewound: only the
   * checkpoint the device kept tells. */
  raw_exec (fixture, "DELETE FROM audit_checkpoints WHERE size > 6");
  wa_test_audit_rewrite_tree_state (fixture->base.path);
  {
    g_autoptr(WaAuditReport) report = verify (fixture, NULL);

    g_assert_true (report->ok);
  }
  assert_bad_at (fixture, seen, 6);
}

/* A forked history, every entry validly signed by the device key (as a
 * store or a thief holding the key could make it), is refused by the
 * consistency check against the checkpoint the device kept. */
static void
test_fork_refused (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *fork_path = g_build_filename (fixture->base.dir, "fork.db", NULL);
  g_autofree char *seen = NULL;
  g_autoptr(WaVault) fork = NULL;
  g_autoptr(WaAuditLog) fork_log = NULL;
  g_autoptr(WaAuditReport) report = NULL;
  g_autoptr(WaAuditReport) honest = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) contents = NULL;

  record_many (fixture, 3);
  wa_vault_close (fixture->base.vault);
  contents = wa_test_read_file (fixture->base.path);
  g_assert_true (g_file_set_contents (fork_path, g_bytes_get_data (contents, NULL), g_bytes_get_size (contents),
                                      &error));
  g_clear_object (&fixture->log);
  g_clear_object (&fixture->base.vault);
  fixture->base.vault = wa_vault_open (fixture->base.path, &error);
  g_assert_no_error (error);
  wa_vault_set_keys (fixture->base.vault, "user-1", fixture->base.keyring, WA_KEY_PROVIDER (fixture->base.tenant));
  fixture->log = wa_audit_log_new (fixture->base.vault);

  /* The honest log goes on, and the device keeps its checkpoint. */
  record (fixture, "honest.event", 3);
  record (fixture, "honest.event", 4);
  seen = wa_audit_log_dup_checkpoint (fixture->log, &error);
  g_assert_no_error (error);

  /* The fork diverges at entry 3 and grows longer than the honest log. */
  fork = wa_vault_open (fork_path, &error);
  g_assert_no_error (error);
  wa_vault_set_keys (fork, "user-1", fixture->base.keyring, WA_KEY_PROVIDER (fixture->base.tenant));
  fork_log = wa_audit_log_new (fork);
  for (int i = 0; i < 4; i++)
    {
      WaAuditEvent event = { .event_type = "forged.event", .outcome = WA_AUDIT_OUTCOME_SUCCESS };

      g_assert_true (wa_audit_log_record_event (fork_log, &event, NULL, &error));
      g_assert_no_error (error);
    }

  /* On its own, the fork is a valid log... */
  report = wa_audit_log_verify (fork_log, device_key (fixture), NULL, 0, G_MAXUINT64, &error);
  g_assert_no_error (error);
  g_assert_true (report->ok);
  g_clear_pointer (&report, wa_audit_report_free);

  /* ...but not a continuation of what this device saw. */
  report = wa_audit_log_verify (fork_log, device_key (fixture), seen, 0, G_MAXUINT64, &error);
  g_assert_no_error (error);
  g_assert_false (report->ok);
  g_assert_nonnull (strstr (report->problem, "rewritten"));

  honest = verify (fixture, seen);
  g_assert_true (honest->ok);

  wa_vault_close (fork);
}

static void
test_tampered_log_blocks_writes (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WaAuditEvent event = { .event_type = "after.tamper", .outcome = WA_AUDIT_OUTCOME_SUCCESS };

  record_many (fixture, 3);
  raw_exec (fixture, "DELETE FROM audit_entries WHERE idx = 2");
  g_assert_false (wa_audit_log_record_event (fixture->log, &event, NULL, &error));
  g_assert_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_TAMPERED);
}

static void
test_pending_events (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WaAuditReport) report = NULL;
  WaAuditEvent failed = {
    .event_type = "auth.unlock_failed",
    .action = "unlock",
    .outcome = WA_AUDIT_OUTCOME_FAILURE,
    .risk_score = 30,
    .time = G_GINT64_CONSTANT (1700000000) * G_USEC_PER_SEC,
  };

  wa_vault_forget_keys (fixture->base.vault);
  g_assert_true (wa_audit_log_record_pending (fixture->log, &failed, &error));
  g_assert_no_error (error);
  g_assert_true (wa_audit_log_record_pending (fixture->log, &failed, &error));
  g_assert_cmpuint (wa_audit_log_get_size (fixture->log, &error), ==, 0);

  /* Signing needs the keys. */
  g_assert_false (wa_audit_log_record_event (fixture->log, &failed, NULL, &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_LOCKED);
  g_clear_error (&error);

  wa_vault_set_keys (fixture->base.vault, "user-1", fixture->base.keyring, WA_KEY_PROVIDER (fixture->base.tenant));
  g_assert_cmpuint (record (fixture, "auth.unlock", 0), ==, 2);

  entries = wa_audit_log_get_entries (fixture->log, 0, G_MAXUINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpstr (((WaAuditEntry *) g_ptr_array_index (entries, 0))->event_type, ==, "auth.unlock_failed");
  g_assert_cmpstr (((WaAuditEntry *) g_ptr_array_index (entries, 1))->outcome, ==, "failure");
  g_assert_cmpstr (((WaAuditEntry *) g_ptr_array_index (entries, 2))->event_type, ==, "auth.unlock");

  /* Signed with the time of signing; the time the row claims is kept in
   * the body, marked as unverified. */
  {
    g_autoptr(WaSecureBytes) audit_key = wa_key_provider_derive_subkey (WA_KEY_PROVIDER (fixture->base.tenant),
                                                                        WA_TENANT_SUBKEY_AUDIT, &error);
    g_autoptr(JsonObject) body = wa_audit_entry_open_body (g_ptr_array_index (entries, 0),
                                                           wa_secure_bytes_get_data (audit_key), &error);
    JsonObject *metadata = json_object_get_object_member (body, "metadata");

    g_assert_no_error (error);
    g_assert_cmpstr (((WaAuditEntry *) g_ptr_array_index (entries, 0))->time, >, "2026");
    g_assert_true (json_object_get_boolean_member (metadata, "signed_late"));
    g_assert_cmpstr (json_object_get_string_member (metadata, "claimed_time"), ==, "2023-11-14T22:13:20.000000Z");
  }

  report = verify (fixture, NULL);
  g_assert_true (report->ok);
}

/* Rows put into audit_pending behind WebAgent's back are not signed as
 * if they had happened: only the events that happen while locked are
 * taken, and the rest is counted in an entry of its own. */
static void
test_pending_injected (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  raw_exec (fixture,
            "INSERT INTO audit_pending (time, event_type, resource, action, outcome, risk_score, metadata) VALUES "
            "(1500000000000000, 'vault.erase_scope', 'vault-scope:user', 'erase_scope', 0, 0, '{}'),"
            "(1500000000000000, 'auth.unlock_failed', 'profile:x', 'unlock', 0, 0, '{}'),"
            "(1500000000000000, 'auth.unlock_failed', 'profile:x', 'unlock', 1, 0, 'not json'),"
            "(9000000000000000000, 'auth.unlock_failed', 'profile:x', 'unlock', 1, 0, '{}')");
  g_assert_cmpuint (record (fixture, "auth.unlock", 0), ==, 2);

  entries = wa_audit_log_get_entries (fixture->log, 0, G_MAXUINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 3);
  g_assert_cmpstr (((WaAuditEntry *) g_ptr_array_index (entries, 0))->event_type, ==, "auth.unlock_failed");
  g_assert_cmpstr (((WaAuditEntry *) g_ptr_array_index (entries, 1))->event_type, ==, "audit.pending_rejected");
  g_assert_cmpstr (((WaAuditEntry *) g_ptr_array_index (entries, 1))->outcome, ==, "denied");

  /* Out-of-range times are refused up front. */
  {
    WaAuditEvent event = { .event_type = "x", .time = G_MAXINT64 };

    g_assert_false (wa_audit_log_record_event (fixture->log, &event, NULL, &error));
    g_assert_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_INVALID_ARGUMENT);
  }
}

/* The frontier is a cache: one that does not match the newest checkpoint
 * is refused before the device signs anything over it. */
static void
test_damaged_frontier (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaAuditReport) report = NULL;
  WaAuditEvent event = { .event_type = "after.damage", .outcome = WA_AUDIT_OUTCOME_SUCCESS };

  record_many (fixture, 3);
  raw_exec (fixture, "UPDATE audit_state SET value = substr(value, 1, 8) || zeroblob(length(value) - 8)");
  g_assert_false (wa_audit_log_record_event (fixture->log, &event, NULL, &error));
  g_assert_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_TAMPERED);

  report = verify (fixture, NULL);
  g_assert_false (report->ok);
  g_assert_nonnull (strstr (report->problem, "tree state"));
}

static void
test_vault_writes_recorded (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(WaVaultRecord) template = wa_vault_record_new ("note", WA_CLASSIFICATION_INTERNAL);
  g_autoptr(GBytes) data_bytes = g_bytes_new_static ("hello", 5);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  const WaAuditEntry *entry;

  id = wa_vault_put (fixture->base.vault, template, data_bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (wa_vault_delete (fixture->base.vault, id, &error));
  g_assert_no_error (error);

  entries = wa_audit_log_get_entries (fixture->log, 0, G_MAXUINT64, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (entries->len, ==, 2);
  entry = g_ptr_array_index (entries, 0);
  g_assert_cmpstr (entry->event_type, ==, "vault.put");
  entry = g_ptr_array_index (entries, 1);
  g_assert_cmpstr (entry->event_type, ==, "vault.delete");
  g_assert_true (g_str_has_suffix (entry->resource, id));

  /* A write that cannot be recorded is not made. */
  raw_exec (fixture, "DELETE FROM audit_entries WHERE idx = 1");
  g_clear_pointer (&id, g_free);
  id = wa_vault_put (fixture->base.vault, template, data_bytes, NULL, &error);
  g_assert_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_TAMPERED);
  g_assert_null (id);
}

static void
test_inclusion_proofs (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(WaKeyring) stranger = wa_keyring_new_random ();
  g_autoptr(GError) error = NULL;

  record_many (fixture, 7);

  for (guint64 index = 0; index < 7; index++)
    {
      g_autofree char *proof = wa_audit_log_prove_inclusion (fixture->log, index, &error);
      g_autoptr(WaAuditEntry) entry = NULL;
      gsize len;

      g_assert_no_error (error);
      g_assert_true (g_str_has_prefix (proof, "c2sp.org/tlog-proof@v1\n"));
      entry = wa_audit_proof_verify (proof, device_key (fixture), &error);
      g_assert_no_error (error);
      g_assert_cmpuint (entry->index, ==, index);

      /* Another device's key does not accept it. */
      g_assert_null (wa_audit_proof_verify (proof, wa_keyring_get_sign_public_key (stranger), &error));
      g_assert_nonnull (error);
      g_clear_error (&error);

      /* Nor does any changed byte. */
      len = strlen (proof);
      for (gsize i = 0; i < len; i++)
        {
          g_autofree char *changed = g_strdup (proof);
          g_autoptr(WaAuditEntry) forged = NULL;

          changed[i] ^= 0x01;
          forged = wa_audit_proof_verify (changed, device_key (fixture), &error);
          if (forged != NULL)
            g_error ("A proof changed at byte %" G_GSIZE_FORMAT " was accepted", i);
          g_clear_error (&error);
        }
    }

  g_assert_null (wa_audit_log_prove_inclusion (fixture->log, 7, &error));
  g_assert_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_INVALID_ARGUMENT);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (wa_crypto_init (NULL));

  g_test_add ("/audit/record-and-verify", Fixture, NULL, fixture_set_up, test_record_and_verify,
              fixture_tear_down);
  g_test_add ("/audit/body-needs-tenant-key", Fixture, NULL, fixture_set_up, test_body_needs_tenant_key,
              fixture_tear_down);
  g_test_add_func ("/audit/canonical-entry-only", test_canonical_entry_only);
  g_test_add ("/audit/tamper/every-byte", Fixture, NULL, fixture_set_up, test_tamper_every_byte,
              fixture_tear_down);
  g_test_add ("/audit/tamper/outside-range", Fixture, NULL, fixture_set_up, test_tamper_outside_range,
              fixture_tear_down);
  g_test_add ("/audit/tamper/delete", Fixture, NULL, fixture_set_up, test_delete_entry, fixture_tear_down);
  g_test_add ("/audit/tamper/reorder", Fixture, NULL, fixture_set_up, test_reorder_entries, fixture_tear_down);
  g_test_add ("/audit/tamper/truncate", Fixture, NULL, fixture_set_up, test_truncate, fixture_tear_down);
  g_test_add ("/audit/tamper/blocks-writes", Fixture, NULL, fixture_set_up, test_tampered_log_blocks_writes,
              fixture_tear_down);
  g_test_add ("/audit/adversarial/fork", Fixture, NULL, fixture_set_up, test_fork_refused, fixture_tear_down);
  g_test_add ("/audit/pending", Fixture, NULL, fixture_set_up, test_pending_events, fixture_tear_down);
  g_test_add ("/audit/pending-injected", Fixture, NULL, fixture_set_up, test_pending_injected, fixture_tear_down);
  g_test_add ("/audit/tamper/frontier", Fixture, NULL, fixture_set_up, test_damaged_frontier, fixture_tear_down);
  g_test_add ("/audit/vault-writes", Fixture, NULL, fixture_set_up, test_vault_writes_recorded,
              fixture_tear_down);
  g_test_add ("/audit/proofs", Fixture, NULL, fixture_set_up, test_inclusion_proofs, fixture_tear_down);

  return g_test_run ();
}
