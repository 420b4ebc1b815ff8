/* test-crypto.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "wa-crypto.h"
#include "wa-json.h"
#include "wa-sha256.h"
#include "wa-keyring.h"
#include "wa-software-key-provider.h"

static GBytes *
context_ad (const char *id,
            const char *tenant,
            const char *type,
            guint       version)
{
  WaAeadContext context = { id, tenant, type, version, "data" };

  return wa_aead_context_encode (&context);
}

static void
test_aead_binding (void)
{
  g_autoptr(WaSecureBytes) key = wa_secure_bytes_new_random (WA_AEAD_KEY_SIZE);
  g_autoptr(GBytes) ad = context_ad ("rec-1", "tenant-a", "note", 1);
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GBytes) opened = NULL;
  g_autoptr(GError) error = NULL;
  GBytes *others[] = {
    context_ad ("rec-2", "tenant-a", "note", 1),
    context_ad ("rec-1", "tenant-b", "note", 1),
    context_ad ("rec-1", "tenant-a", "plan", 1),
    context_ad ("rec-1", "tenant-a", "note", 2),
    /* Length prefixes keep field boundaries: these must differ too. */
    context_ad ("rec-1t", "enant-a", "note", 1),
    NULL,
  };

  sealed = wa_crypto_aead_seal (wa_secure_bytes_get_data (key), (const guint8 *) "secret", 6, ad);
  g_assert_cmpuint (g_bytes_get_size (sealed), ==, 6 + WA_AEAD_NONCE_SIZE + WA_AEAD_TAG_SIZE);

  opened = wa_crypto_aead_open (wa_secure_bytes_get_data (key), sealed, ad, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (g_bytes_get_data (opened, NULL), g_bytes_get_size (opened), "secret", 6);

  for (guint i = 0; others[i] != NULL; i++)
    {
      g_autoptr(GBytes) wrong = wa_crypto_aead_open (wa_secure_bytes_get_data (key), sealed, others[i], &error);

      g_assert_null (wrong);
      g_assert_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_DECRYPT);
      g_clear_error (&error);
      g_bytes_unref (others[i]);
    }
}

static void
test_aead_tamper (void)
{
  g_autoptr(WaSecureBytes) key = wa_secure_bytes_new_random (WA_AEAD_KEY_SIZE);
  g_autoptr(GBytes) sealed = wa_crypto_aead_seal (wa_secure_bytes_get_data (key), (const guint8 *) "payload", 7, NULL);
  gsize len = g_bytes_get_size (sealed);

  for (gsize i = 0; i < len; i++)
    {
      g_autofree guint8 *copy = g_memdup2 (g_bytes_get_data (sealed, NULL), len);
      g_autoptr(GBytes) modified = NULL;
      g_autoptr(GError) error = NULL;

      copy[i] ^= 0x80;
      modified = g_bytes_new (copy, len);
      g_assert_null (wa_crypto_aead_open (wa_secure_bytes_get_data (key), modified, NULL, &error));
      g_assert_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_DECRYPT);
    }

  /* Truncated below nonce + tag. */
  {
    g_autoptr(GBytes) short_bytes = g_bytes_new (g_bytes_get_data (sealed, NULL), WA_AEAD_NONCE_SIZE + 3);
    g_autoptr(GError) error = NULL;

    g_assert_null (wa_crypto_aead_open (wa_secure_bytes_get_data (key), short_bytes, NULL, &error));
    g_assert_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_TRUNCATED);
  }
}

static void
test_aead_nonces_differ (void)
{
  g_autoptr(WaSecureBytes) key = wa_secure_bytes_new_random (WA_AEAD_KEY_SIZE);
  g_autoptr(GBytes) a = wa_crypto_aead_seal (wa_secure_bytes_get_data (key), (const guint8 *) "same", 4, NULL);
  g_autoptr(GBytes) b = wa_crypto_aead_seal (wa_secure_bytes_get_data (key), (const guint8 *) "same", 4, NULL);

  g_assert_false (g_bytes_equal (a, b));
}

static GBytes *
stream_encrypt (const guint8 *key,
                GBytes       *ad,
                GBytes       *plain)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_bytes (plain);
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();
  g_autoptr(GError) error = NULL;

  g_assert_true (wa_crypto_stream_encrypt (key, ad, input, output, NULL, &error));
  g_assert_no_error (error);
  g_output_stream_close (output, NULL, NULL);

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (output));
}

static GBytes *
stream_decrypt (const guint8  *key,
                GBytes        *ad,
                GBytes        *cipher,
                GError       **error)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_bytes (cipher);
  g_autoptr(GOutputStream) output = g_memory_output_stream_new_resizable ();

  if (!wa_crypto_stream_decrypt (key, ad, input, output, NULL, error))
    return NULL;
  g_output_stream_close (output, NULL, NULL);

  return g_memory_output_stream_steal_as_bytes (G_MEMORY_OUTPUT_STREAM (output));
}

static void
test_stream_round_trip (void)
{
  g_autoptr(WaSecureBytes) key = wa_secure_bytes_new_random (WA_AEAD_KEY_SIZE);
  g_autoptr(GBytes) ad = context_ad ("blob-1", "t", "screenshot", 1);
  /* Sizes around the 64 KiB chunk boundary, and empty. */
  gsize sizes[] = { 0, 1, 65535, 65536, 65537, 3 * 65536, 1000000 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      guint8 *buf = g_malloc (MAX (sizes[i], 1));
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(GBytes) cipher = NULL;
      g_autoptr(GBytes) out = NULL;
      g_autoptr(GError) error = NULL;

      wa_crypto_random_bytes (buf, sizes[i]);
      plain = g_bytes_new_take (buf, sizes[i]);
      cipher = stream_encrypt (wa_secure_bytes_get_data (key), ad, plain);
      out = stream_decrypt (wa_secure_bytes_get_data (key), ad, cipher, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (plain, out));
    }
}

static void
test_stream_tamper (void)
{
  g_autoptr(WaSecureBytes) key = wa_secure_bytes_new_random (WA_AEAD_KEY_SIZE);
  g_autoptr(GBytes) ad = context_ad ("blob-1", "t", "screenshot", 1);
  g_autoptr(GBytes) other_ad = context_ad ("blob-2", "t", "screenshot", 1);
  gsize size = 65536 * 2 + 100;
  g_autoptr(GBytes) plain = g_bytes_new_take (g_malloc0 (size), size);
  g_autoptr(GBytes) cipher = stream_encrypt (wa_secure_bytes_get_data (key), ad, plain);
  const guint8 *data = g_bytes_get_data (cipher, NULL);
  gsize len = g_bytes_get_size (cipher);
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) out = NULL;
  gsize first_chunk_end = 8 + 24 + 4 + 65536 + 17;

  /* Wrong associated data. */
  g_assert_null (stream_decrypt (wa_secure_bytes_get_data (key), other_ad, cipher, &error));
  g_assert_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_DECRYPT);
  g_clear_error (&error);

  /* Truncated at a chunk boundary: the FINAL tag is missing. */
  {
    g_autoptr(GBytes) cut = g_bytes_new (data, first_chunk_end);

    g_assert_null (stream_decrypt (wa_secure_bytes_get_data (key), ad, cut, &error));
    g_assert_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_TRUNCATED);
    g_clear_error (&error);
  }

  /* Truncated in the middle of a chunk. */
  {
    g_autoptr(GBytes) cut = g_bytes_new (data, len - 5);

    g_assert_null (stream_decrypt (wa_secure_bytes_get_data (key), ad, cut, &error));
    g_assert_nonnull (error);
    g_clear_error (&error);
  }

  /* Data appended after the end. */
  {
    g_autofree guint8 *longer = g_malloc (len + 3);
    g_autoptr(GBytes) appended = NULL;

    memcpy (longer, data, len);
    memcpy (longer + len, "xyz", 3);
    appended = g_bytes_new (longer, len + 3);
    g_assert_null (stream_decrypt (wa_secure_bytes_get_data (key), ad, appended, &error));
    g_assert_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_INVALID_INPUT);
    g_clear_error (&error);
  }

  /* A flipped byte in every region: header, a length, a chunk. */
  {
    gsize positions[] = { 3, 20, 34, 1000, first_chunk_end + 2, len - 1 };

    for (guint i = 0; i < G_N_ELEMENTS (positions); i++)
      {
        g_autofree guint8 *copy = g_memdup2 (data, len);
        g_autoptr(GBytes) modified = NULL;

        copy[positions[i]] ^= 1;
        modified = g_bytes_new (copy, len);
        g_assert_null (stream_decrypt (wa_secure_bytes_get_data (key), ad, modified, &error));
        g_assert_nonnull (error);
        g_clear_error (&error);
      }
  }

  out = stream_decrypt (wa_secure_bytes_get_data (key), ad, cipher, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (out, plain));
}

/* The buffer functions write and read the very same format as the
 * stream ones, and refuse the same damage. */
static void
test_stream_buffer (void)
{
  g_autoptr(WaSecureBytes) key = wa_secure_bytes_new_random (WA_AEAD_KEY_SIZE);
  g_autoptr(GBytes) ad = context_ad ("blob-9", "t", "download", 1);
  gsize sizes[] = { 0, 1, 65535, 65536, 65537, 2 * 65536, 300001 };

  for (guint i = 0; i < G_N_ELEMENTS (sizes); i++)
    {
      guint8 *buf = g_malloc (MAX (sizes[i], 1));
      g_autoptr(GBytes) plain = NULL;
      g_autoptr(GBytes) from_stream = NULL;
      g_autoptr(GBytes) out = NULL;
      g_autoptr(GError) error = NULL;
      gsize capacity = wa_crypto_stream_encrypted_size (sizes[i]);
      g_autofree guint8 *cipher = g_malloc (capacity);
      g_autofree guint8 *decrypted = g_malloc (capacity);
      g_autoptr(GBytes) cipher_bytes = NULL;
      gsize cipher_len = 0;
      gsize decrypted_len = 0;

      wa_crypto_random_bytes (buf, sizes[i]);
      plain = g_bytes_new_take (buf, sizes[i]);

      g_assert_true (wa_crypto_stream_encrypt_buffer (wa_secure_bytes_get_data (key), ad,
                                                      g_bytes_get_data (plain, NULL), sizes[i],
                                                      cipher, capacity, &cipher_len, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (cipher_len, ==, capacity);

      /* Buffer-encrypted, stream-decrypted. */
      cipher_bytes = g_bytes_new (cipher, cipher_len);
      out = stream_decrypt (wa_secure_bytes_get_data (key), ad, cipher_bytes, &error);
      g_assert_no_error (error);
      g_assert_true (g_bytes_equal (out, plain));

      /* Stream-encrypted, buffer-decrypted. */
      from_stream = stream_encrypt (wa_secure_bytes_get_data (key), ad, plain);
      g_assert_cmpuint (g_bytes_get_size (from_stream), ==, capacity);
      g_assert_true (wa_crypto_stream_decrypt_buffer (wa_secure_bytes_get_data (key), ad,
                                                      g_bytes_get_data (from_stream, NULL),
                                                      g_bytes_get_size (from_stream),
                                                      decrypted, capacity, &decrypted_len, &error));
      g_assert_no_error (error);
      g_assert_cmpmem (decrypted, decrypted_len, g_bytes_get_data (plain, NULL), sizes[i]);

      /* Truncated, appended to, or changed: refused. */
      g_assert_false (wa_crypto_stream_decrypt_buffer (wa_secure_bytes_get_data (key), ad, cipher,
                                                       cipher_len - 1, decrypted, capacity,
                                                       &decrypted_len, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
      cipher[cipher_len / 2] ^= 1;
      g_assert_false (wa_crypto_stream_decrypt_buffer (wa_secure_bytes_get_data (key), ad, cipher,
                                                       cipher_len, decrypted, capacity,
                                                       &decrypted_len, &error));
      g_assert_nonnull (error);
      g_clear_error (&error);
    }

  /* A buffer too small is an error, not an overflow. */
  {
    guint8 small[16];
    gsize len = 0;
    g_autoptr(GError) error = NULL;

    g_assert_false (wa_crypto_stream_encrypt_buffer (wa_secure_bytes_get_data (key), ad,
                                                     (const guint8 *) "x", 1, small, sizeof small,
                                                     &len, &error));
    g_assert_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_INVALID_INPUT);
  }
}

/* FIPS 180-2 vectors, through both implementations, and the two against
 * each other for every length around the block and padding boundaries. */
static void
test_sha256 (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "sha256-fips180.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *random = g_malloc (4096 + 200);
  JsonArray *cases;

  g_test_message ("SHA-256 runs on the processor's SHA extensions: %s",
                  wa_sha256_has_cpu_extensions () ? "yes" : "no");

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  root = wa_json_parse_object (contents, -1, &error);
  g_assert_no_error (error);
  cases = json_object_get_array_member (json_node_get_object (root), "cases");
  g_assert_cmpuint (json_array_get_length (cases), ==, 5);

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      const char *message = json_object_get_string_member (c, "message");
      gint64 repeat = json_object_get_int_member (c, "repeat");
      g_autoptr(GString) input = g_string_new (NULL);
      g_autofree guint8 *expected = NULL;
      guint8 fast[32];
      guint8 portable[32];
      gsize len = 0;

      for (gint64 r = 0; r < repeat; r++)
        g_string_append (input, message);
      expected = wa_hex_decode (json_object_get_string_member (c, "digest"), &len, &error);
      g_assert_no_error (error);

      wa_crypto_sha256 ((const guint8 *) input->str, input->len, fast);
      wa_sha256_portable ((const guint8 *) input->str, input->len, portable);
      g_assert_cmpmem (fast, 32, expected, len);
      g_assert_cmpmem (portable, 32, expected, len);
    }

  wa_crypto_random_bytes (random, 4096 + 200);
  for (gsize len = 0; len <= 4096 + 200; len += (len < 300 ? 1 : 61))
    {
      guint8 fast[32];
      guint8 portable[32];

      wa_sha256 (random, len, fast);
      wa_sha256_portable (random, len, portable);
      if (memcmp (fast, portable, 32) != 0)
        g_error ("SHA-256 of %" G_GSIZE_FORMAT " bytes differs between implementations", len);
    }
}

static void
test_sign (void)
{
  guint8 pk[WA_SIGN_PUBLIC_KEY_SIZE];
  guint8 sig[WA_SIGNATURE_SIZE];
  g_autoptr(WaSecureBytes) sk = wa_crypto_sign_keypair_new (pk);
  static const guint8 msg[] = "header and ciphertext";

  wa_crypto_sign_detached (wa_secure_bytes_get_data (sk), msg, sizeof msg, sig);
  g_assert_true (wa_crypto_sign_verify_detached (pk, msg, sizeof msg, sig));
  sig[10] ^= 1;
  g_assert_false (wa_crypto_sign_verify_detached (pk, msg, sizeof msg, sig));
}

static void
test_box_seal (void)
{
  guint8 pk[WA_BOX_PUBLIC_KEY_SIZE];
  guint8 other_pk[WA_BOX_PUBLIC_KEY_SIZE];
  g_autoptr(WaSecureBytes) sk = wa_crypto_box_keypair_new (pk);
  g_autoptr(WaSecureBytes) other_sk = wa_crypto_box_keypair_new (other_pk);
  g_autoptr(GBytes) sealed = wa_crypto_box_seal (pk, (const guint8 *) "tenant master key 32 bytes long!", 32);
  g_autoptr(WaSecureBytes) opened = NULL;
  g_autoptr(GError) error = NULL;

  g_assert_cmpuint (g_bytes_get_size (sealed), ==, 32 + WA_SEAL_OVERHEAD);
  opened = wa_crypto_box_seal_open (pk, wa_secure_bytes_get_data (sk), sealed, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (wa_secure_bytes_get_data (opened), 32, "tenant master key 32 bytes long!", 32);

  g_assert_null (wa_crypto_box_seal_open (other_pk, wa_secure_bytes_get_data (other_sk), sealed, &error));
  g_assert_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_DECRYPT);
}

static void
test_subkeys (void)
{
  g_autoptr(WaSoftwareKeyProvider) provider = wa_software_key_provider_new_generated ("t1");
  g_autoptr(WaSecureBytes) data_key = NULL;
  g_autoptr(WaSecureBytes) audit_key = NULL;
  g_autoptr(WaSecureBytes) backup_key = NULL;
  g_autoptr(WaSecureBytes) data_again = NULL;
  g_autoptr(WaKeyring) member = wa_keyring_new_random ();
  g_autoptr(WaKeyring) stranger = wa_keyring_new_random ();
  g_autoptr(WaSoftwareKeyProvider) shared = NULL;
  g_autoptr(WaSecureBytes) shared_data = NULL;
  g_autoptr(GBytes) wrapped = NULL;
  g_autoptr(GError) error = NULL;

  data_key = wa_key_provider_derive_subkey (WA_KEY_PROVIDER (provider), WA_TENANT_SUBKEY_DATA, &error);
  audit_key = wa_key_provider_derive_subkey (WA_KEY_PROVIDER (provider), WA_TENANT_SUBKEY_AUDIT, &error);
  backup_key = wa_key_provider_derive_subkey (WA_KEY_PROVIDER (provider), WA_TENANT_SUBKEY_BACKUP, &error);
  data_again = wa_key_provider_derive_subkey (WA_KEY_PROVIDER (provider), WA_TENANT_SUBKEY_DATA, &error);
  g_assert_no_error (error);
  g_assert_false (wa_secure_bytes_equal (data_key, audit_key));
  g_assert_false (wa_secure_bytes_equal (data_key, backup_key));
  g_assert_false (wa_secure_bytes_equal (audit_key, backup_key));
  g_assert_true (wa_secure_bytes_equal (data_key, data_again));

  /* Shared with a member, the member derives the same subkeys. */
  wrapped = wa_key_provider_wrap_for_member (WA_KEY_PROVIDER (provider), wa_keyring_get_box_public_key (member), &error);
  g_assert_no_error (error);
  shared = wa_software_key_provider_new_unwrapped ("t1", wrapped, member, &error);
  g_assert_no_error (error);
  shared_data = wa_key_provider_derive_subkey (WA_KEY_PROVIDER (shared), WA_TENANT_SUBKEY_DATA, &error);
  g_assert_true (wa_secure_bytes_equal (data_key, shared_data));

  /* Nobody else can open the wrapped key. */
  g_assert_null (wa_software_key_provider_new_unwrapped ("t1", wrapped, stranger, &error));
  g_assert_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_DECRYPT);
  g_clear_error (&error);

  /* Forgotten on lock. */
  wa_key_provider_forget (WA_KEY_PROVIDER (provider));
  g_assert_null (wa_key_provider_derive_subkey (WA_KEY_PROVIDER (provider), WA_TENANT_SUBKEY_DATA, &error));
  g_assert_error (error, WA_KEY_PROVIDER_ERROR, WA_KEY_PROVIDER_ERROR_FORGOTTEN);
}

static void
test_keyring_export (void)
{
  g_autoptr(WaKeyring) keyring = wa_keyring_new_random ();
  g_autoptr(WaSecureBytes) secret = wa_keyring_export_secret (keyring);
  g_autoptr(WaKeyring) copy = wa_keyring_new_from_secret (secret, NULL);
  g_autoptr(WaSecureBytes) short_secret = wa_secure_bytes_new (10);
  g_autoptr(GError) error = NULL;
  g_autofree char *device_id = wa_keyring_dup_device_id (keyring);
  guint8 sig[WA_SIGNATURE_SIZE];

  g_assert_cmpmem (wa_keyring_get_sign_public_key (keyring), 32, wa_keyring_get_sign_public_key (copy), 32);
  g_assert_cmpmem (wa_keyring_get_box_public_key (keyring), 32, wa_keyring_get_box_public_key (copy), 32);
  g_assert_cmpmem (wa_keyring_get_vault_key (keyring), 32, wa_keyring_get_vault_key (copy), 32);
  g_assert_cmpuint (strlen (device_id), ==, 32);

  wa_keyring_sign (copy, (const guint8 *) "m", 1, sig);
  g_assert_true (wa_crypto_sign_verify_detached (wa_keyring_get_sign_public_key (keyring), (const guint8 *) "m", 1, sig));

  g_assert_null (wa_keyring_new_from_secret (short_secret, &error));
  g_assert_error (error, WA_KEYRING_ERROR, WA_KEYRING_ERROR_MALFORMED);

  wa_keyring_wipe (copy);
  g_assert_true (wa_keyring_is_wiped (copy));
}

static void
test_secure_bytes (void)
{
  g_autoptr(WaSecureBytes) a = wa_secure_bytes_new_from_data ((const guint8 *) "abcd", 4);
  g_autoptr(WaSecureBytes) b = wa_secure_bytes_new_from_data ((const guint8 *) "abcd", 4);
  g_autoptr(WaSecureBytes) c = wa_secure_bytes_new_from_data ((const guint8 *) "abce", 4);
  g_autoptr(WaSecureBytes) d = wa_secure_bytes_new (0);

  g_assert_true (wa_secure_bytes_equal (a, b));
  g_assert_false (wa_secure_bytes_equal (a, c));
  g_assert_cmpuint (wa_secure_bytes_get_size (d), ==, 0);

  wa_secure_bytes_seal (a);
  wa_secure_bytes_hide (a);
  wa_secure_bytes_reveal (a);
  g_assert_cmpmem (wa_secure_bytes_get_data (a), 4, "abcd", 4);
  wa_secure_bytes_wipe (a);
  g_assert_cmpmem (wa_secure_bytes_get_data (a), 4, "\0\0\0\0", 4);
}

/* Writing to a sealed buffer must fault, not silently change a key. */
static void
test_secure_bytes_sealed_write (void)
{
  if (g_test_subprocess ())
    {
      WaSecureBytes *a = wa_secure_bytes_new_random (32);

      wa_secure_bytes_seal (a);
      wa_secure_bytes_get_data (a)[0] ^= 1;
      return;
    }

  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_failed ();
}

static void
test_encodings (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *bin = NULL;
  g_autofree char *hex = NULL;
  g_autofree char *uuid = wa_crypto_new_uuid ();
  gsize len = 0;

  bin = wa_hex_decode ("00ff10", &len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (bin, len, "\x00\xff\x10", 3);
  hex = wa_hex_encode (bin, len);
  g_assert_cmpstr (hex, ==, "00ff10");

  g_assert_null (wa_hex_decode ("0g", &len, &error));
  g_assert_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (wa_hex_decode ("abc", &len, &error));
  g_assert_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_INVALID_INPUT);
  g_clear_error (&error);
  g_assert_null (wa_base64_decode ("@@@", &len, &error));
  g_assert_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (g_uuid_string_is_valid (uuid));
  g_assert_cmpint (uuid[14], ==, '4');
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (wa_crypto_init (NULL));

  g_test_add_func ("/wa/crypto/aead/binding", test_aead_binding);
  g_test_add_func ("/wa/crypto/aead/tamper", test_aead_tamper);
  g_test_add_func ("/wa/crypto/aead/nonces-differ", test_aead_nonces_differ);
  g_test_add_func ("/wa/crypto/stream/round-trip", test_stream_round_trip);
  g_test_add_func ("/wa/crypto/stream/tamper", test_stream_tamper);
  g_test_add_func ("/wa/crypto/stream/buffer", test_stream_buffer);
  g_test_add_func ("/wa/crypto/sha256", test_sha256);
  g_test_add_func ("/wa/crypto/sign", test_sign);
  g_test_add_func ("/wa/crypto/box-seal", test_box_seal);
  g_test_add_func ("/wa/crypto/subkeys", test_subkeys);
  g_test_add_func ("/wa/crypto/keyring-export", test_keyring_export);
  g_test_add_func ("/wa/crypto/secure-bytes", test_secure_bytes);
  g_test_add_func ("/wa/crypto/secure-bytes-sealed-write", test_secure_bytes_sealed_write);
  g_test_add_func ("/wa/crypto/encodings", test_encodings);

  return g_test_run ();
}
