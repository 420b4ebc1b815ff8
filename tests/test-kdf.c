/* test-kdf.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>

#include "wa-crypto.h"
#include "wa-json.h"
#include "wa-kdf.h"

static guint8 *
hex (const char *text,
     gsize      *len)
{
  g_autoptr(GError) error = NULL;
  guint8 *out = wa_hex_decode (text, len, &error);

  g_assert_no_error (error);

  return out;
}

/* Vectors computed by independent tools (see tests/data/README.md). */
static void
test_vectors (void)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "kdf-vectors.json", NULL);
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;
  JsonArray *cases;

  g_assert_true (g_file_get_contents (path, &contents, NULL, &error));
  root = wa_json_parse_object (contents, -1, &error);
  g_assert_no_error (error);
  cases = json_object_get_array_member (json_node_get_object (root), "cases");
  g_assert_cmpuint (json_array_get_length (cases), >=, 2);

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *c = json_array_get_object_element (cases, i);
      g_autoptr(WaKdfParams) params = g_new0 (WaKdfParams, 1);
      g_autoptr(WaSecureBytes) secret_key = NULL;
      g_autoptr(WaSecureBytes) parsed = NULL;
      g_autoptr(WaSecureBytes) unlock_key = NULL;
      g_autofree guint8 *salt = NULL;
      g_autofree guint8 *key_bytes = NULL;
      g_autofree guint8 *expected = NULL;
      g_autofree guint8 *expected_fingerprint = NULL;
      g_autofree char *text = NULL;
      guint8 fingerprint[32];
      gsize len = 0;

      params->version = WA_KDF_VERSION;
      params->ops_limit = json_object_get_int_member (c, "ops_limit");
      params->mem_limit = json_object_get_int_member (c, "mem_limit");
      salt = hex (json_object_get_string_member (c, "salt"), &len);
      g_assert_cmpuint (len, ==, WA_KDF_SALT_SIZE);
      memcpy (params->salt, salt, len);

      key_bytes = hex (json_object_get_string_member (c, "secret_key"), &len);
      secret_key = wa_secure_bytes_new_from_data (key_bytes, len);

      unlock_key = wa_kdf_derive_unlock_key (params, json_object_get_string_member (c, "password"),
                                             secret_key, &error);
      g_assert_no_error (error);
      expected = hex (json_object_get_string_member (c, "unlock_key"), &len);
      g_assert_cmpmem (wa_secure_bytes_get_data (unlock_key), WA_UNLOCK_KEY_SIZE, expected, len);

      text = wa_secret_key_format (secret_key);
      g_assert_cmpstr (text, ==, json_object_get_string_member (c, "secret_key_text"));
      parsed = wa_secret_key_parse (text, &error);
      g_assert_no_error (error);
      g_assert_true (wa_secure_bytes_equal (parsed, secret_key));

      wa_secret_key_fingerprint (secret_key, params->salt, fingerprint);
      expected_fingerprint = hex (json_object_get_string_member (c, "secret_key_fingerprint"), &len);
      g_assert_cmpmem (fingerprint, sizeof fingerprint, expected_fingerprint, len);
    }
}

static void
test_secret_key_parse (void)
{
  g_autoptr(WaSecureBytes) key = wa_secret_key_generate ();
  g_autofree char *text = wa_secret_key_format (key);
  g_autoptr(GError) error = NULL;
  const char *bad[] = {
    "",
    "WA2-00000-00000-00000-00000-00000-0000",
    "WA1-",
    "WA1-000G4-0R40M-30E20-9185G-R38E1-ZPF",      /* one character short */
    "WA1-000G4-0R40M-30E20-9185G-R38E1-ZPFPP",    /* one too many */
    "WA1-000G4-0R40M-30E20-9185G-R38E1-ZPFQ",     /* checksum */
    "WA1-000G4-0R40M-30E20-9185G-R38E1-ZPF!",     /* not base32 */
    "WA1-100G4-0R40M-30E20-9185G-R38E1-ZPFP",     /* one bit flipped */
    NULL,
  };

  g_assert_cmpuint (strlen (text), ==, 38);
  g_assert_true (g_str_has_prefix (text, "WA1-"));

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(WaSecureBytes) parsed = wa_secret_key_parse (bad[i], &error);

      g_assert_null (parsed);
      g_assert_error (error, WA_KDF_ERROR, WA_KDF_ERROR_BAD_SECRET_KEY);
      g_assert_nonnull (strstr (error->message, "emergency kit"));
      g_clear_error (&error);
    }

  /* Crockford's aliases: O for 0, I and L for 1, any case, spaces. */
  {
    g_autoptr(WaSecureBytes) parsed = wa_secret_key_parse ("  wa1 OOOg4 oR4oM 3oE2o 9185g r38e1 zpfp\n", &error);
    g_autoptr(WaSecureBytes) expected = NULL;
    g_autofree guint8 *bytes = NULL;
    gsize len = 0;

    g_assert_no_error (error);
    bytes = hex ("000102030405060708090a0b0c0d0e0f", &len);
    expected = wa_secure_bytes_new_from_data (bytes, len);
    g_assert_true (wa_secure_bytes_equal (parsed, expected));
  }
}

static void
test_params_bounds (void)
{
  g_autoptr(WaKdfParams) params = wa_kdf_params_new_default ();
  g_autoptr(GError) error = NULL;

  g_assert_true (wa_kdf_params_check (params, &error));
  g_assert_cmpuint (params->ops_limit, >=, 3);
  g_assert_cmpuint (params->mem_limit, >=, 64 * 1024 * 1024);

  params->ops_limit = 2;
  g_assert_false (wa_kdf_params_check (params, &error));
  g_assert_error (error, WA_KDF_ERROR, WA_KDF_ERROR_TOO_WEAK);
  g_clear_error (&error);

  params->ops_limit = WA_KDF_MAX_OPS + 1;
  g_assert_false (wa_kdf_params_check (params, &error));
  g_assert_error (error, WA_KDF_ERROR, WA_KDF_ERROR_TOO_COSTLY);
  g_clear_error (&error);

  params->ops_limit = 3;
  params->mem_limit = WA_KDF_MAX_MEM * 2;
  g_assert_false (wa_kdf_params_check (params, &error));
  g_assert_error (error, WA_KDF_ERROR, WA_KDF_ERROR_TOO_COSTLY);
  g_clear_error (&error);

  params->mem_limit = WA_KDF_MIN_MEM;
  params->version = 2;
  g_assert_false (wa_kdf_params_check (params, &error));
  g_assert_error (error, WA_KDF_ERROR, WA_KDF_ERROR_UNSUPPORTED);
}

static void
test_params_json (void)
{
  g_autoptr(WaKdfParams) params = wa_kdf_params_new_default ();
  g_autoptr(JsonNode) node = wa_kdf_params_to_json (params);
  g_autoptr(WaKdfParams) back = NULL;
  g_autoptr(GError) error = NULL;
  const char *malformed[] = {
    "{}",
    "{\"algorithm\":\"scrypt\",\"version\":1,\"ops_limit\":3,\"mem_limit\":67108864,\"salt\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}",
    "{\"algorithm\":\"argon2id13+blake2b\",\"version\":1,\"ops_limit\":3,\"mem_limit\":67108864,\"salt\":\"AAAA\"}",
    "{\"algorithm\":\"argon2id13+blake2b\",\"version\":1,\"ops_limit\":-3,\"mem_limit\":67108864,\"salt\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}",
    "{\"algorithm\":\"argon2id13+blake2b\",\"version\":1,\"mem_limit\":67108864,\"salt\":\"AAAAAAAAAAAAAAAAAAAAAA==\"}",
    NULL,
  };

  back = wa_kdf_params_from_json (node, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (back, sizeof *back, params, sizeof *params);

  for (guint i = 0; malformed[i] != NULL; i++)
    {
      g_autoptr(JsonNode) bad = wa_json_parse_object (malformed[i], -1, NULL);
      g_autoptr(WaKdfParams) parsed = wa_kdf_params_from_json (bad, &error);

      g_assert_null (parsed);
      g_assert_error (error, WA_KDF_ERROR, WA_KDF_ERROR_MALFORMED);
      g_clear_error (&error);
    }
}

static void
test_strengthen (void)
{
  g_autoptr(WaKdfParams) current = wa_kdf_params_new_default ();
  g_autoptr(WaKdfParams) next = NULL;

  current->ops_limit = 5;
  current->mem_limit = 128 * 1024 * 1024;
  next = wa_kdf_params_strengthen (current);
  g_assert_cmpuint (next->ops_limit, ==, 5);
  g_assert_cmpuint (next->mem_limit, ==, 128 * 1024 * 1024);
  g_assert_false (memcmp (next->salt, current->salt, WA_KDF_SALT_SIZE) == 0);
}

static void
test_both_secrets_matter (void)
{
  g_autoptr(WaKdfParams) params = wa_kdf_params_new_default ();
  g_autoptr(WaSecureBytes) key = wa_secret_key_generate ();
  g_autoptr(WaSecureBytes) other_key = wa_secret_key_generate ();
  g_autoptr(WaSecureBytes) a = wa_kdf_derive_unlock_key (params, "password one", key, NULL);
  g_autoptr(WaSecureBytes) b = wa_kdf_derive_unlock_key (params, "password two", key, NULL);
  g_autoptr(WaSecureBytes) c = wa_kdf_derive_unlock_key (params, "password one", other_key, NULL);
  g_autoptr(WaSecureBytes) again = wa_kdf_derive_unlock_key (params, "password one", key, NULL);

  g_assert_true (wa_secure_bytes_equal (a, again));
  g_assert_false (wa_secure_bytes_equal (a, b));
  g_assert_false (wa_secure_bytes_equal (a, c));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (wa_crypto_init (NULL));

  g_test_add_func ("/wa/kdf/vectors", test_vectors);
  g_test_add_func ("/wa/kdf/secret-key-parse", test_secret_key_parse);
  g_test_add_func ("/wa/kdf/params-bounds", test_params_bounds);
  g_test_add_func ("/wa/kdf/params-json", test_params_json);
  g_test_add_func ("/wa/kdf/strengthen", test_strengthen);
  g_test_add_func ("/wa/kdf/both-secrets-matter", test_both_secrets_matter);

  return g_test_run ();
}
