/* test-vault.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "wa-crypto.h"
#include "wa-software-key-provider.h"
#include "wa-test-utils.h"
#include "wa-vault.h"

typedef WaTestVault Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  wa_test_vault_set_up (fixture, "wa-vault");
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  wa_test_vault_tear_down (fixture);
}

static char *
put_text (WaVault          *vault,
          const char       *scope,
          WaClassification  classification,
          const char       *text)
{
  g_autoptr(WaVaultRecord) template = wa_vault_record_new ("note", classification);
  g_autoptr(GBytes) data = g_bytes_new (text, strlen (text));
  g_autoptr(GError) error = NULL;
  char *id;

  template->scope_id = g_strdup (scope);
  id = wa_vault_put (vault, template, data, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (id);

  return id;
}

static void
assert_text (WaVault    *vault,
             const char *id,
             const char *expected)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = NULL;

  data = wa_vault_get (vault, id, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (data, NULL), g_bytes_get_size (data), expected, strlen (expected));
}

static void
test_round_trip (Fixture       *fixture,
                 gconstpointer  data)
{
  g_autoptr(WaVaultRecord) template = wa_vault_record_new ("screenshot", WA_CLASSIFICATION_SECRET);
  g_autoptr(WaVaultRecord) record = NULL;
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) metadata = g_bytes_new_static ("{\"page\":1}", 10);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GBytes) out_metadata = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  guint8 bytes[256];

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = i;
  content = g_bytes_new (bytes, sizeof bytes);
  template->retention_policy = g_strdup ("P90D");
  template->access_policy = g_strdup ("{\"roles\":[\"AUDITOR\"]}");

  id = wa_vault_put (fixture->vault, template, content, metadata, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (strlen (id), ==, 36);

  out = wa_vault_get (fixture->vault, id, &record, &out_metadata, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (out, content));
  g_assert_true (g_bytes_equal (out_metadata, metadata));
  g_assert_cmpstr (record->id, ==, id);
  g_assert_cmpstr (record->record_type, ==, "screenshot");
  g_assert_cmpint (record->classification, ==, WA_CLASSIFICATION_SECRET);
  g_assert_cmpstr (record->user_id, ==, "user-1");
  g_assert_cmpstr (record->tenant_id, ==, "tenant-a");
  g_assert_cmpstr (record->scope_id, ==, "user:user-1");
  g_assert_cmpstr (record->retention_policy, ==, "P90D");
  g_assert_cmpstr (record->access_policy, ==, "{\"roles\":[\"AUDITOR\"]}");
  g_assert_cmpint (record->format_version, ==, WA_VAULT_FORMAT_VERSION);
  g_assert_cmpint (record->created_at, >, 0);
  g_assert_cmpuint (record->encrypted_size, ==, sizeof bytes + WA_AEAD_NONCE_SIZE + WA_AEAD_TAG_SIZE);
}

static void
test_empty_and_large (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(WaVaultRecord) template = wa_vault_record_new ("blob", WA_CLASSIFICATION_INTERNAL);
  g_autoptr(GBytes) empty = g_bytes_new (NULL, 0);
  g_autoptr(GBytes) large = NULL;
  g_autoptr(GBytes) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *empty_id = NULL;
  g_autofree char *large_id = NULL;
  gsize size = 3 * 1024 * 1024 + 7;
  guint8 *buf = g_malloc (size);

  wa_crypto_random_bytes (buf, size);
  large = g_bytes_new_take (buf, size);

  empty_id = wa_vault_put (fixture->vault, template, empty, NULL, &error);
  g_assert_no_error (error);
  large_id = wa_vault_put (fixture->vault, template, large, NULL, &error);
  g_assert_no_error (error);

  out = wa_vault_get (fixture->vault, empty_id, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_bytes_get_size (out), ==, 0);
  g_clear_pointer (&out, g_bytes_unref);

  out = wa_vault_get (fixture->vault, large_id, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (out, large));
}

static void
test_no_plaintext_on_disk (Fixture       *fixture,
                           gconstpointer  data)
{
  static const char secret[] = "correct horse battery staple 4242";
  g_autofree char *id = put_text (fixture->vault, NULL, WA_CLASSIFICATION_SECRET, secret);
  g_autofree char *contents = NULL;
  g_autofree char *wal_path = g_strconcat (fixture->path, "-wal", NULL);
  gsize len = 0;

  wa_vault_close (fixture->vault);

  g_assert_true (g_file_get_contents (fixture->path, &contents, &len, NULL));
  g_assert_null (memmem (contents, len, secret, strlen (secret)));
  g_clear_pointer (&contents, g_free);
  if (g_file_get_contents (wal_path, &contents, &len, NULL))
    g_assert_null (memmem (contents, len, secret, strlen (secret)));
}

static void
test_reopen (Fixture       *fixture,
             gconstpointer  data)
{
  g_autofree char *id = put_text (fixture->vault, NULL, WA_CLASSIFICATION_INTERNAL, "persisted");
  g_autoptr(GError) error = NULL;

  wa_vault_close (fixture->vault);
  g_assert_finalize_object (fixture->vault);

  fixture->vault = wa_vault_open (fixture->path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (wa_vault_get_schema_version (fixture->vault), ==, WA_VAULT_SCHEMA_VERSION);
  g_assert_true (wa_vault_is_locked (fixture->vault));

  /* Locked: reading fails with a message that says what to do. */
  g_assert_null (wa_vault_get (fixture->vault, id, NULL, NULL, &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_LOCKED);
  g_assert_nonnull (strstr (error->message, "unlock"));
  g_clear_error (&error);

  wa_vault_set_keys (fixture->vault, "user-1", fixture->keyring, WA_KEY_PROVIDER (fixture->tenant));
  assert_text (fixture->vault, id, "persisted");
}

static void
test_forget_keys (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *id = put_text (fixture->vault, NULL, WA_CLASSIFICATION_INTERNAL, "x");
  g_autoptr(WaVaultRecord) template = wa_vault_record_new ("note", WA_CLASSIFICATION_INTERNAL);
  g_autoptr(GBytes) content = g_bytes_new_static ("y", 1);
  g_autoptr(GError) error = NULL;

  wa_vault_forget_keys (fixture->vault);
  g_assert_true (wa_vault_is_locked (fixture->vault));

  g_assert_null (wa_vault_get (fixture->vault, id, NULL, NULL, &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_LOCKED);
  g_clear_error (&error);
  g_assert_null (wa_vault_put (fixture->vault, template, content, NULL, &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_LOCKED);
}

static void
test_not_found (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_assert_null (wa_vault_get (fixture->vault, "00000000-0000-4000-8000-000000000000", NULL, NULL, &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "vault list"));
  g_clear_error (&error);

  g_assert_false (wa_vault_delete (fixture->vault, "nope", &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_NOT_FOUND);
}

static void
test_invalid_input (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(WaVaultRecord) template = wa_vault_record_new ("", WA_CLASSIFICATION_INTERNAL);
  g_autoptr(GBytes) content = g_bytes_new_static ("y", 1);
  g_autoptr(GError) error = NULL;

  g_assert_null (wa_vault_put (fixture->vault, template, content, NULL, &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_free (template->record_type);
  template->record_type = g_strdup ("note");
  template->scope_id = g_strdup ("somewhere");
  g_assert_null (wa_vault_put (fixture->vault, template, content, NULL, &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "tenant:"));
}

/* Runs @sql with one blob or text parameter against the database directly,
 * as an attacker with write access to the file would. */
static gboolean
raw_exec (const char   *path,
          const char   *sql,
          const guint8 *blob,
          gsize         blob_len,
          gboolean      as_text)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (blob != NULL && as_text)
    sqlite3_bind_text (stmt, 1, (const char *) blob, blob_len, SQLITE_TRANSIENT);
  else if (blob != NULL)
    sqlite3_bind_blob (stmt, 1, blob, blob_len, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  /* The schema's CHECK constraints refuse some changes outright. */
  if (rc == SQLITE_CONSTRAINT)
    return FALSE;
  g_assert_cmpint (rc, ==, SQLITE_DONE);

  return TRUE;
}

static const char *signed_columns[] = {
  "id", "record_type", "encrypted_data", "encrypted_metadata", "data_hash", "signature",
  "signer_key", "key_info", "scope_id", "user_id", "tenant_id", "access_policy",
  "retention_policy", "classification", "format_version", "created_at",
};

static const char * const attribution_columns[] = {
  "data_hash", "signature", "signer_key", NULL,
};

static GBytes *
raw_column (const char *path,
            const char *column,
            int        *type)
{
  g_autofree char *sql = g_strdup_printf ("SELECT %s, typeof(%s) FROM records", column, column);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GBytes *bytes;

  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  *type = sqlite3_column_type (stmt, 0);
  if (*type == SQLITE_INTEGER)
    {
      gint64 value = sqlite3_column_int64 (stmt, 0);

      bytes = g_bytes_new (&value, sizeof value);
    }
  else
    bytes = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);

  return bytes;
}

static gboolean
raw_set_column (const char   *path,
                const char   *column,
                int           type,
                const guint8 *value,
                gsize         len)
{
  g_autofree char *sql = NULL;

  if (type == SQLITE_INTEGER)
    {
      gint64 number;

      g_assert_cmpuint (len, ==, sizeof number);
      memcpy (&number, value, sizeof number);
      sql = g_strdup_printf ("UPDATE records SET %s = %" G_GINT64_FORMAT, column, number);
      return raw_exec (path, sql, NULL, 0, FALSE);
    }

  sql = g_strdup_printf ("UPDATE records SET %s = ?", column);

  return raw_exec (path, sql, value, len, type == SQLITE_TEXT);
}

/* Flips every bit pattern 0x01 of every byte of every signed column of a
 * record in turn: each change must be found by verify, without keys, and
 * must make reading fail. */
static void
test_byte_flip_detected (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(WaVaultRecord) template = wa_vault_record_new ("note", WA_CLASSIFICATION_CONFIDENTIAL);
  g_autoptr(GBytes) content = g_bytes_new_static ("the quarterly figures", 21);
  g_autoptr(GBytes) metadata = g_bytes_new_static ("{\"source\":\"demo\"}", 17);
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  guint flips = 0;
  guint refused = 0;

  template->retention_policy = g_strdup ("P30D");
  id = wa_vault_put (fixture->vault, template, content, metadata, &error);
  g_assert_no_error (error);
  wa_vault_close (fixture->vault);
  g_assert_finalize_object (fixture->vault);
  fixture->vault = wa_vault_open (fixture->path, &error);
  g_assert_no_error (error);
  wa_vault_set_keys (fixture->vault, "user-1", fixture->keyring, WA_KEY_PROVIDER (fixture->tenant));

  for (guint c = 0; c < G_N_ELEMENTS (signed_columns); c++)
    {
      const char *column = signed_columns[c];
      g_autoptr(GBytes) original = NULL;
      g_autofree guint8 *copy = NULL;
      gsize len;
      int type;

      original = raw_column (fixture->path, column, &type);
      len = g_bytes_get_size (original);
      copy = g_memdup2 (g_bytes_get_data (original, NULL), len);

      for (gsize i = 0; i < len; i++)
        {
          g_autoptr(GPtrArray) problems = NULL;
          g_autoptr(GPtrArray) records = NULL;
          g_autoptr(GBytes) out = NULL;
          WaVaultRecord *record;

          copy[i] ^= 0x01;
          if (!raw_set_column (fixture->path, column, type, copy, len))
            {
              copy[i] ^= 0x01;
              refused++;
              continue;
            }

          problems = wa_vault_verify (fixture->vault, &error);
          g_assert_no_error (error);
          if (problems->len != 1)
            g_error ("A flip of byte %" G_GSIZE_FORMAT " of column %s went unnoticed", i, column);

          /* The report names the record as it is now stored. */
          records = wa_vault_list (fixture->vault, &error);
          g_assert_no_error (error);
          record = g_ptr_array_index (records, 0);
          g_assert_cmpstr (((WaVaultProblem *) g_ptr_array_index (problems, 0))->record_id, ==, record->id);

          /* Reading authenticates content and header through the AEAD;
           * the hash, signature and signer key are only about who wrote
           * the record, which verify (above) checks without any key. */
          out = wa_vault_get (fixture->vault, record->id, NULL, NULL, &error);
          if (g_strv_contains (attribution_columns, column))
            {
              g_assert_no_error (error);
              g_assert_cmpmem (g_bytes_get_data (out, NULL), g_bytes_get_size (out), "the quarterly figures", 21);
            }
          else
            {
              if (out != NULL)
                g_error ("A flip of byte %" G_GSIZE_FORMAT " of column %s was not refused on read", i, column);
              g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_TAMPERED);
              g_clear_error (&error);
            }

          copy[i] ^= 0x01;
          g_assert_true (raw_set_column (fixture->path, column, type, copy, len));
          flips++;
        }
    }

  g_test_message ("%u single-byte flips, each detected; %u more refused by the schema", flips, refused);
  g_assert_cmpuint (flips, >, 400);

  /* And the record is intact again. */
  assert_text (fixture->vault, id, "the quarterly figures");
}

/* A record's ciphertext moved under another record's id (with the hash and
 * signature the attacker can recompute only for their own key) must not
 * decrypt: the associated data binds id, tenant and type. */
static void
test_swap_between_records (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *a = put_text (fixture->vault, NULL, WA_CLASSIFICATION_SECRET, "record A");
  g_autofree char *b = put_text (fixture->vault, NULL, WA_CLASSIFICATION_SECRET, "record B");
  g_autofree char *sql = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  wa_vault_close (fixture->vault);
  g_assert_finalize_object (fixture->vault);

  /* Move every column of B except its id onto A's row, so the signature
   * no longer covers the row it sits in, then delete B. */
  sql = g_strdup_printf ("UPDATE records SET (encrypted_data, encrypted_metadata, data_hash, signature, key_info, created_at) = "
                         "(SELECT encrypted_data, encrypted_metadata, data_hash, signature, key_info, created_at FROM records WHERE id = '%s') "
                         "WHERE id = '%s'", b, a);
  raw_exec (fixture->path, sql, NULL, 0, FALSE);

  fixture->vault = wa_vault_open (fixture->path, &error);
  g_assert_no_error (error);
  wa_vault_set_keys (fixture->vault, "user-1", fixture->keyring, WA_KEY_PROVIDER (fixture->tenant));

  problems = wa_vault_verify (fixture->vault, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (((WaVaultProblem *) g_ptr_array_index (problems, 0))->record_id, ==, a);
  g_assert_null (wa_vault_get (fixture->vault, a, NULL, NULL, &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_TAMPERED);
  g_clear_error (&error);
  assert_text (fixture->vault, b, "record B");
}

/* Even a record correctly re-signed by the attacker's own key is refused:
 * only trusted device keys count. */
static void
test_untrusted_signer (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(WaKeyring) other = wa_keyring_new_random ();
  g_autoptr(WaSoftwareKeyProvider) other_tenant = wa_software_key_provider_new_generated ("tenant-a");
  g_autofree char *other_path = g_build_filename (fixture->dir, "other.db", NULL);
  g_autoptr(WaVault) other_vault = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *sql = NULL;

  other_vault = wa_vault_open (other_path, &error);
  g_assert_no_error (error);
  wa_vault_set_keys (other_vault, "user-1", other, WA_KEY_PROVIDER (other_tenant));
  id = put_text (other_vault, NULL, WA_CLASSIFICATION_SECRET, "forged");
  wa_vault_close (other_vault);

  sql = g_strdup_printf ("ATTACH '%s' AS other; INSERT INTO main.records SELECT * FROM other.records", other_path);
  {
    sqlite3 *db = NULL;

    g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
    sqlite3_close (db);
  }

  problems = wa_vault_verify (fixture->vault, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (((WaVaultProblem *) g_ptr_array_index (problems, 0))->record_id, ==, id);
  g_assert_nonnull (strstr (((WaVaultProblem *) g_ptr_array_index (problems, 0))->message, "does not trust"));
}

/* A record written for tenant A cannot be read with tenant B's keys. */
static void
test_other_tenant (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *id = put_text (fixture->vault, "tenant:tenant-a", WA_CLASSIFICATION_CONFIDENTIAL, "A only");
  g_autoptr(WaSoftwareKeyProvider) other = wa_software_key_provider_new_generated ("tenant-a");
  g_autoptr(WaKeyring) keyring = wa_keyring_new_random ();
  g_autoptr(GError) error = NULL;

  assert_text (fixture->vault, id, "A only");

  /* Same tenant id, different master key: the scope key will not open. */
  wa_vault_set_keys (fixture->vault, "user-1", fixture->keyring, WA_KEY_PROVIDER (other));
  g_assert_null (wa_vault_get (fixture->vault, id, NULL, NULL, &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_TAMPERED);
  g_clear_error (&error);

  /* No tenant key at all. */
  wa_vault_forget_keys (fixture->vault);
  wa_vault_set_keys (fixture->vault, "user-1", fixture->keyring, NULL);
  g_assert_null (wa_vault_get (fixture->vault, id, NULL, NULL, &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_LOCKED);
  g_clear_error (&error);

  /* Another user's vault key cannot open the user scope either. */
  wa_vault_forget_keys (fixture->vault);
  {
    g_autofree char *mine = NULL;

    wa_vault_set_keys (fixture->vault, "user-1", fixture->keyring, WA_KEY_PROVIDER (fixture->tenant));
    mine = put_text (fixture->vault, NULL, WA_CLASSIFICATION_SECRET, "mine");
    wa_vault_forget_keys (fixture->vault);
    wa_vault_set_keys (fixture->vault, "user-1", keyring, WA_KEY_PROVIDER (fixture->tenant));
    wa_vault_add_trusted_signer (fixture->vault, wa_keyring_get_sign_public_key (fixture->keyring));
    g_assert_null (wa_vault_get (fixture->vault, mine, NULL, NULL, &error));
    g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_TAMPERED);
  }
}

static gboolean
file_contains (const char   *path,
               const guint8 *needle,
               gsize         needle_len)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return FALSE;

  return memmem (contents, len, needle, needle_len) != NULL;
}

/* Crypto-shredding: erasing a scope key makes its records unreadable, even
 * with every other key, and leaves no copy of the wrapped key in the file. */
static void
test_erase_scope (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autofree char *subject = put_text (fixture->vault, "user:subject-42", WA_CLASSIFICATION_SECRET, "personal data");
  g_autofree char *kept = put_text (fixture->vault, NULL, WA_CLASSIFICATION_SECRET, "other data");
  g_autofree char *wal_path = g_strconcat (fixture->path, "-wal", NULL);
  g_autoptr(GBytes) wrapped = NULL;
  g_autoptr(GPtrArray) problems = NULL;
  g_autoptr(GError) error = NULL;

  {
    sqlite3 *db = NULL;
    sqlite3_stmt *stmt = NULL;

    g_assert_cmpint (sqlite3_open (fixture->path, &db), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT wrapped_key FROM scope_keys WHERE scope_id = 'user:subject-42'",
                                         -1, &stmt, NULL), ==, SQLITE_OK);
    g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
    wrapped = g_bytes_new (sqlite3_column_blob (stmt, 0), sqlite3_column_bytes (stmt, 0));
    sqlite3_finalize (stmt);
    sqlite3_close (db);
  }

  g_assert_true (wa_vault_erase_scope (fixture->vault, "user:subject-42", &error));
  g_assert_no_error (error);

  g_assert_null (wa_vault_get (fixture->vault, subject, NULL, NULL, &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_KEY_ERASED);
  g_assert_nonnull (strstr (error->message, "erased"));
  g_clear_error (&error);
  assert_text (fixture->vault, kept, "other data");

  /* The ciphertext is still there and still verifies; it is just
   * unreadable, so copies synced elsewhere are dead too. */
  problems = wa_vault_verify (fixture->vault, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (problems->len, ==, 0);

  /* A new vault handle (fresh cache) cannot read it either. */
  wa_vault_close (fixture->vault);
  g_assert_finalize_object (fixture->vault);
  g_assert_false (file_contains (fixture->path, g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped)));
  g_assert_false (file_contains (wal_path, g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped)));
  fixture->vault = wa_vault_open (fixture->path, &error);
  g_assert_no_error (error);
  wa_vault_set_keys (fixture->vault, "user-1", fixture->keyring, WA_KEY_PROVIDER (fixture->tenant));
  g_assert_null (wa_vault_get (fixture->vault, subject, NULL, NULL, &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_KEY_ERASED);
  g_clear_error (&error);

  g_assert_false (wa_vault_erase_scope (fixture->vault, "user:subject-42", &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_NOT_FOUND);
}

static void
test_list_and_access (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *a = put_text (fixture->vault, NULL, WA_CLASSIFICATION_PUBLIC, "a");
  g_autofree char *b = put_text (fixture->vault, "tenant:tenant-a", WA_CLASSIFICATION_INTERNAL, "b");
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GError) error = NULL;
  WaVaultRecord *first;
  WaVaultRecord *second;

  assert_text (fixture->vault, a, "a");
  assert_text (fixture->vault, a, "a");
  assert_text (fixture->vault, b, "b");

  records = wa_vault_list (fixture->vault, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (records->len, ==, 2);
  first = g_ptr_array_index (records, 0);
  second = g_ptr_array_index (records, 1);
  g_assert_cmpstr (first->id, ==, a);
  g_assert_cmpint (first->access_count, ==, 2);
  g_assert_cmpint (first->classification, ==, WA_CLASSIFICATION_PUBLIC);
  g_assert_cmpstr (second->scope_id, ==, "tenant:tenant-a");
  g_assert_cmpint (second->access_count, ==, 1);
  g_assert_cmpint (second->accessed_at, >=, second->created_at);

  g_assert_true (wa_vault_delete (fixture->vault, a, &error));
  g_clear_pointer (&records, g_ptr_array_unref);
  records = wa_vault_list (fixture->vault, &error);
  g_assert_cmpuint (records->len, ==, 1);
}

static void
test_put_many (Fixture       *fixture,
               gconstpointer  data)
{
  g_autoptr(WaVaultRecord) template = wa_vault_record_new ("row", WA_CLASSIFICATION_INTERNAL);
  g_autoptr(GPtrArray) datas = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) out = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 50; i++)
    g_ptr_array_add (datas, g_bytes_new_take (g_strdup_printf ("row %u", i), strlen ("row ") + (i < 10 ? 1 : 2)));

  ids = wa_vault_put_many (fixture->vault, template, datas, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (ids->len, ==, 50);

  out = wa_vault_get_many (fixture->vault, ids, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 50; i++)
    g_assert_true (g_bytes_equal (g_ptr_array_index (out, i), g_ptr_array_index (datas, i)));
}

/* Batches are read on two threads: a damaged or missing record in the
 * middle of one fails the whole call with that record's id. */
static void
test_get_many_failures (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(WaVaultRecord) template = wa_vault_record_new ("row", WA_CLASSIFICATION_INTERNAL);
  g_autoptr(GPtrArray) datas = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GPtrArray) out = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = NULL;
  const char *victim;

  for (guint i = 0; i < 40; i++)
    g_ptr_array_add (datas, g_bytes_new_take (g_strdup_printf ("row %02u", i), 6));
  ids = wa_vault_put_many (fixture->vault, template, datas, &error);
  g_assert_no_error (error);

  /* A changed ciphertext in the middle. */
  victim = g_ptr_array_index (ids, 23);
  sql = g_strdup_printf ("UPDATE records SET encrypted_data = zeroblob (length (encrypted_data)) WHERE id = '%s'", victim);
  raw_exec (fixture->path, sql, NULL, 0, FALSE);
  out = wa_vault_get_many (fixture->vault, ids, &error);
  g_assert_null (out);
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_TAMPERED);
  g_assert_nonnull (strstr (error->message, victim));
  g_clear_error (&error);

  /* A missing one. */
  g_ptr_array_remove_index (ids, 23);
  g_ptr_array_insert (ids, 5, g_strdup ("00000000-0000-4000-8000-000000000000"));
  out = wa_vault_get_many (fixture->vault, ids, &error);
  g_assert_null (out);
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_NOT_FOUND);
  g_clear_error (&error);

  /* Without them, the rest still reads, in order. */
  g_ptr_array_remove_index (ids, 5);
  out = wa_vault_get_many (fixture->vault, ids, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (out->len, ==, 39);
  g_assert_cmpmem (g_bytes_get_data (g_ptr_array_index (out, 30), NULL), 6, "row 31", 6);
}

/* Changes found in review that a byte flip does not make: each must be
 * refused on read and reported by verify. */
static void
test_structural_tampering (Fixture       *fixture,
                           gconstpointer  data)
{
  struct {
    const char *what;
    const char *sql;
    int         code;
  } cases[] = {
    { "metadata removed", "UPDATE records SET encrypted_metadata = NULL", WA_VAULT_ERROR_TAMPERED },
    { "NUL inside the scope",
      "UPDATE records SET scope_id = CAST (scope_id || X'00' || 'junk' AS TEXT)", WA_VAULT_ERROR_TAMPERED },
    { "NUL inside the retention",
      "UPDATE records SET retention_policy = CAST ('keep' || X'00' || 'forever' AS TEXT)", WA_VAULT_ERROR_TAMPERED },
    { "moved to a scope that does not exist",
      "UPDATE records SET scope_id = 'user:ghost', key_info = replace (key_info, '\"user:user-1\"', '\"user:ghost\"')",
      WA_VAULT_ERROR_TAMPERED },
  };
  g_autoptr(WaVaultRecord) template = wa_vault_record_new ("note", WA_CLASSIFICATION_SECRET);
  g_autoptr(GBytes) content = g_bytes_new_static ("kept whole", 10);
  g_autoptr(GBytes) metadata = g_bytes_new_static ("{\"k\":1}", 7);
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = NULL;
      g_autofree char *sql = NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autoptr(GBytes) out = NULL;

      id = wa_vault_put (fixture->vault, template, content, metadata, &error);
      g_assert_no_error (error);
      sql = g_strdup_printf ("%s WHERE id = '%s'", cases[i].sql, id);
      raw_exec (fixture->path, sql, NULL, 0, FALSE);

      out = wa_vault_get (fixture->vault, id, NULL, NULL, &error);
      if (out != NULL)
        g_error ("%s was not refused on read", cases[i].what);
      g_assert_error (error, WA_VAULT_ERROR, cases[i].code);
      g_clear_error (&error);

      problems = wa_vault_verify (fixture->vault, &error);
      g_assert_no_error (error);
      if (problems->len != 1)
        g_error ("%s was not reported by verify", cases[i].what);

      g_assert_true (wa_vault_delete (fixture->vault, id, &error));
    }
}

typedef struct
{
  GMainLoop *loop;
  char      *id;
  GBytes    *data;
  GPtrArray *records;
  GError    *error;
} AsyncData;

static void
put_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  AsyncData *async = user_data;

  async->id = wa_vault_put_finish (WA_VAULT (object), result, &async->error);
  g_main_loop_quit (async->loop);
}

static void
get_cb (GObject      *object,
        GAsyncResult *result,
        gpointer      user_data)
{
  AsyncData *async = user_data;

  async->data = wa_vault_get_finish (WA_VAULT (object), result, NULL, NULL, &async->error);
  g_main_loop_quit (async->loop);
}

static void
list_cb (GObject      *object,
         GAsyncResult *result,
         gpointer      user_data)
{
  AsyncData *async = user_data;

  async->records = wa_vault_list_finish (WA_VAULT (object), result, &async->error);
  g_main_loop_quit (async->loop);
}

/* The asynchronous API delivers on the caller's main context, so a UI's
 * main loop never blocks on SQLite. */
static void
test_async (Fixture       *fixture,
            gconstpointer  data)
{
  g_autoptr(WaVaultRecord) template = wa_vault_record_new ("note", WA_CLASSIFICATION_INTERNAL);
  g_autoptr(GBytes) content = g_bytes_new_static ("async", 5);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  AsyncData async = { g_main_loop_new (NULL, FALSE) };

  wa_vault_put_async (fixture->vault, template, content, NULL, NULL, put_cb, &async);
  g_main_loop_run (async.loop);
  g_assert_no_error (async.error);
  g_assert_nonnull (async.id);

  wa_vault_get_async (fixture->vault, async.id, NULL, get_cb, &async);
  g_main_loop_run (async.loop);
  g_assert_no_error (async.error);
  g_assert_true (g_bytes_equal (async.data, content));

  wa_vault_list_async (fixture->vault, NULL, list_cb, &async);
  g_main_loop_run (async.loop);
  g_assert_no_error (async.error);
  g_assert_cmpuint (async.records->len, ==, 1);

  /* A cancelled request reports cancellation and does nothing. */
  g_clear_pointer (&async.data, g_bytes_unref);
  g_cancellable_cancel (cancellable);
  wa_vault_get_async (fixture->vault, async.id, cancellable, get_cb, &async);
  g_main_loop_run (async.loop);
  g_assert_error (async.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&async.error);

  g_free (async.id);
  g_ptr_array_unref (async.records);
  g_main_loop_unref (async.loop);
}

static void
write_file (const char *path,
            const char *contents,
            gssize      len)
{
  g_autoptr(GError) error = NULL;

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
}

static void
assert_open_fails_unchanged (const char *path,
                             int         code)
{
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autoptr(GError) error = NULL;
  gsize before_len = 0;
  gsize after_len = 0;
  WaVault *vault;

  g_assert_true (g_file_get_contents (path, &before, &before_len, NULL));
  vault = wa_vault_open (path, &error);
  g_assert_null (vault);
  g_assert_error (error, WA_VAULT_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_true (g_file_get_contents (path, &after, &after_len, NULL));
  g_assert_cmpmem (before, before_len, after, after_len);
}

static void
test_corrupt_database (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wa-vault-XXXXXX", NULL);
  g_autofree char *garbage = g_build_filename (dir, "garbage.db", NULL);
  g_autofree char *truncated = g_build_filename (dir, "truncated.db", NULL);
  g_autofree char *newer = g_build_filename (dir, "newer.db", NULL);
  g_autoptr(WaKeyring) keyring = wa_keyring_new_random ();
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  write_file (garbage, "this is not a database, just some text that is long enough", -1);
  assert_open_fails_unchanged (garbage, WA_VAULT_ERROR_CORRUPT);

  /* A real vault with enough records to span many pages, cut in half. */
  {
    g_autoptr(WaVault) vault = wa_vault_open (truncated, &error);
    g_autoptr(WaVaultRecord) template = wa_vault_record_new ("note", WA_CLASSIFICATION_INTERNAL);
    g_autoptr(GPtrArray) datas = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
    g_autoptr(GPtrArray) ids = NULL;

    g_autoptr(WaSoftwareKeyProvider) tenant = wa_software_key_provider_new_generated ("t");

    g_assert_no_error (error);
    wa_vault_set_keys (vault, "u", keyring, WA_KEY_PROVIDER (tenant));
    for (guint i = 0; i < 200; i++)
      g_ptr_array_add (datas, g_bytes_new_take (g_malloc0 (2000), 2000));
    ids = wa_vault_put_many (vault, template, datas, &error);
    g_assert_no_error (error);
    wa_vault_close (vault);
  }
  g_assert_true (g_file_get_contents (truncated, &contents, &len, NULL));
  write_file (truncated, contents, len / 2);
  assert_open_fails_unchanged (truncated, WA_VAULT_ERROR_CORRUPT);

  /* A schema from the future is refused, not "migrated" backwards. */
  {
    g_autoptr(WaVault) vault = wa_vault_open (newer, &error);

    g_assert_no_error (error);
    wa_vault_close (vault);
  }
  raw_exec (newer, "PRAGMA user_version = 99", NULL, 0, FALSE);
  assert_open_fails_unchanged (newer, WA_VAULT_ERROR_TOO_NEW);

  wa_test_remove_tree (dir);
}

static void
test_open_errors (void)
{
  g_autoptr(GError) error = NULL;
  WaVault *vault;

  vault = wa_vault_open ("/nonexistent-folder/for/sure/vault.db", &error);
  g_assert_null (vault);
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_OPEN);
  g_assert_nonnull (strstr (error->message, "writable"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (wa_crypto_init (NULL));

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/wa/vault/round-trip", test_round_trip);
  ADD ("/wa/vault/empty-and-large", test_empty_and_large);
  ADD ("/wa/vault/no-plaintext-on-disk", test_no_plaintext_on_disk);
  ADD ("/wa/vault/reopen", test_reopen);
  ADD ("/wa/vault/forget-keys", test_forget_keys);
  ADD ("/wa/vault/not-found", test_not_found);
  ADD ("/wa/vault/invalid-input", test_invalid_input);
  ADD ("/wa/vault/tamper-detected", test_byte_flip_detected);
  ADD ("/wa/vault/swap-between-records", test_swap_between_records);
  ADD ("/wa/vault/untrusted-signer", test_untrusted_signer);
  ADD ("/wa/vault/other-tenant", test_other_tenant);
  ADD ("/wa/vault/erase-scope", test_erase_scope);
  ADD ("/wa/vault/list-and-access", test_list_and_access);
  ADD ("/wa/vault/put-many", test_put_many);
  ADD ("/wa/vault/get-many-failures", test_get_many_failures);
  ADD ("/wa/vault/structural-tampering", test_structural_tampering);
  ADD ("/wa/vault/async", test_async);
  g_test_add_func ("/wa/vault/corrupt-database", test_corrupt_database);
  g_test_add_func ("/wa/vault/open-errors", test_open_errors);

#undef ADD

  return g_test_run ();
}
