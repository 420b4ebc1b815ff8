/* wa-kdf.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-kdf"

#include "config.h"

#include <string.h>
#include <sodium.h>

#include "wa-crypto.h"
#include "wa-kdf.h"

#define SECRET_KEY_PREFIX   "WA1"
#define SECRET_KEY_CHECK    2
#define SECRET_KEY_CHARS    29
#define CROCKFORD           "0123456789ABCDEFGHJKMNPQRSTVWXYZ"

G_DEFINE_QUARK (wa_kdf_error_quark, wa_kdf_error)
G_DEFINE_BOXED_TYPE (WaKdfParams, wa_kdf_params, wa_kdf_params_copy, wa_kdf_params_free)

WaKdfParams *
wa_kdf_params_new_default (void)
{
  WaKdfParams *params = g_new0 (WaKdfParams, 1);

  params->version = WA_KDF_VERSION;
  params->ops_limit = WA_KDF_DEFAULT_OPS;
  params->mem_limit = WA_KDF_DEFAULT_MEM;
  randombytes_buf (params->salt, sizeof params->salt);

  return params;
}

WaKdfParams *
wa_kdf_params_copy (const WaKdfParams *params)
{
  g_return_val_if_fail (params != NULL, NULL);

  return g_memdup2 (params, sizeof *params);
}

void
wa_kdf_params_free (WaKdfParams *params)
{
  g_free (params);
}

/**
 * wa_kdf_params_strengthen:
 * @current: the parameters in use
 *
 * Returns parameters for a new derivation (a password change): a new salt,
 * and costs that are the stronger of @current and the defaults, so that a
 * change never lowers them.
 */
WaKdfParams *
wa_kdf_params_strengthen (const WaKdfParams *current)
{
  WaKdfParams *params = wa_kdf_params_new_default ();

  g_return_val_if_fail (current != NULL, params);

  params->ops_limit = MAX (params->ops_limit, current->ops_limit);
  params->mem_limit = MAX (params->mem_limit, current->mem_limit);

  return params;
}

JsonNode *
wa_kdf_params_to_json (const WaKdfParams *params)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autofree char *salt = NULL;

  g_return_val_if_fail (params != NULL, NULL);

  salt = g_base64_encode (params->salt, sizeof params->salt);
  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "algorithm");
  json_builder_add_string_value (builder, "argon2id13+blake2b");
  json_builder_set_member_name (builder, "version");
  json_builder_add_int_value (builder, params->version);
  json_builder_set_member_name (builder, "ops_limit");
  json_builder_add_int_value (builder, params->ops_limit);
  json_builder_set_member_name (builder, "mem_limit");
  json_builder_add_int_value (builder, params->mem_limit);
  json_builder_set_member_name (builder, "salt");
  json_builder_add_string_value (builder, salt);
  json_builder_end_object (builder);

  return json_builder_get_root (builder);
}

gboolean
wa_kdf_params_check (const WaKdfParams  *params,
                     GError            **error)
{
  if (params->version != WA_KDF_VERSION)
    {
      g_set_error (error, WA_KDF_ERROR, WA_KDF_ERROR_UNSUPPORTED,
                   "Key derivation version %u is not supported; update WebAgent", params->version);
      return FALSE;
    }

  if (params->ops_limit < WA_KDF_MIN_OPS || params->mem_limit < WA_KDF_MIN_MEM)
    {
      g_set_error (error, WA_KDF_ERROR, WA_KDF_ERROR_TOO_WEAK,
                   "The stored key derivation parameters are weaker than WebAgent allows; "
                   "the profile may have been tampered with, restore it from a backup");
      return FALSE;
    }

  if (params->ops_limit > WA_KDF_MAX_OPS || params->mem_limit > WA_KDF_MAX_MEM)
    {
      g_set_error (error, WA_KDF_ERROR, WA_KDF_ERROR_TOO_COSTLY,
                   "The stored key derivation parameters exceed WebAgent's limits "
                   "(%u passes, %" G_GUINT64_FORMAT " MiB); the profile may have been tampered with",
                   WA_KDF_MAX_OPS, WA_KDF_MAX_MEM / (1024 * 1024));
      return FALSE;
    }

  return TRUE;
}

WaKdfParams *
wa_kdf_params_from_json (JsonNode  *node,
                         GError   **error)
{
  g_autoptr(WaKdfParams) params = g_new0 (WaKdfParams, 1);
  g_autofree guint8 *salt = NULL;
  JsonObject *object;
  const char *algorithm;
  const char *salt_text;
  gsize salt_len = 0;

  if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
    goto malformed;

  object = json_node_get_object (node);
  algorithm = json_object_get_string_member_with_default (object, "algorithm", NULL);
  salt_text = json_object_get_string_member_with_default (object, "salt", NULL);
  if (g_strcmp0 (algorithm, "argon2id13+blake2b") != 0 ||
      salt_text == NULL ||
      !json_object_has_member (object, "version") ||
      !json_object_has_member (object, "ops_limit") ||
      !json_object_has_member (object, "mem_limit"))
    goto malformed;

  if (json_object_get_int_member (object, "version") <= 0 ||
      json_object_get_int_member (object, "ops_limit") <= 0 ||
      json_object_get_int_member (object, "mem_limit") <= 0)
    goto malformed;

  params->version = json_object_get_int_member (object, "version");
  params->ops_limit = json_object_get_int_member (object, "ops_limit");
  params->mem_limit = json_object_get_int_member (object, "mem_limit");

  salt = wa_base64_decode (salt_text, &salt_len, NULL);
  if (salt == NULL || salt_len != WA_KDF_SALT_SIZE)
    goto malformed;
  memcpy (params->salt, salt, WA_KDF_SALT_SIZE);

  if (!wa_kdf_params_check (params, error))
    return NULL;

  return g_steal_pointer (&params);

malformed:
  g_set_error (error, WA_KDF_ERROR, WA_KDF_ERROR_MALFORMED,
               "The key derivation parameters are missing or malformed; restore the profile from a backup");
  return NULL;
}

/**
 * wa_kdf_derive_unlock_key:
 *
 * Derives the Account Unlock Key: Argon2id over the password, then a BLAKE2b
 * hash of the Secret Key keyed with that output.  Someone who steals the
 * profile without the Secret Key faces 128 random bits, whatever the
 * password; someone who steals the Secret Key still faces Argon2id.
 */
WaSecureBytes *
wa_kdf_derive_unlock_key (const WaKdfParams  *params,
                          const char         *password,
                          WaSecureBytes      *secret_key,
                          GError            **error)
{
  static const char label[] = "webagent-account-unlock-key-v1";
  g_autoptr(WaSecureBytes) stretched = NULL;
  g_autoptr(WaSecureBytes) unlock_key = NULL;
  crypto_generichash_state state;

  g_return_val_if_fail (params != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (secret_key != NULL, NULL);

  if (!wa_kdf_params_check (params, error))
    return NULL;

  if (wa_secure_bytes_get_size (secret_key) != WA_SECRET_KEY_SIZE)
    {
      g_set_error (error, WA_KDF_ERROR, WA_KDF_ERROR_BAD_SECRET_KEY,
                   "The Secret Key has the wrong length; copy it again from the emergency kit");
      return NULL;
    }

  stretched = wa_secure_bytes_new (WA_UNLOCK_KEY_SIZE);
  if (crypto_pwhash (wa_secure_bytes_get_data (stretched), WA_UNLOCK_KEY_SIZE,
                     password, strlen (password), params->salt,
                     params->ops_limit, params->mem_limit,
                     crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, WA_KDF_ERROR, WA_KDF_ERROR_OUT_OF_MEMORY,
                   "Not enough memory to derive the unlock key (%" G_GUINT64_FORMAT " MiB needed); "
                   "close other programs and try again", params->mem_limit / (1024 * 1024));
      return NULL;
    }

  unlock_key = wa_secure_bytes_new (WA_UNLOCK_KEY_SIZE);
  crypto_generichash_init (&state, wa_secure_bytes_get_data (stretched), WA_UNLOCK_KEY_SIZE,
                           WA_UNLOCK_KEY_SIZE);
  crypto_generichash_update (&state, (const guint8 *) label, sizeof label - 1);
  crypto_generichash_update (&state, wa_secure_bytes_get_data (secret_key), WA_SECRET_KEY_SIZE);
  crypto_generichash_final (&state, wa_secure_bytes_get_data (unlock_key), WA_UNLOCK_KEY_SIZE);
  sodium_memzero (&state, sizeof state);
  wa_secure_bytes_seal (unlock_key);

  return g_steal_pointer (&unlock_key);
}

WaSecureBytes *
wa_secret_key_generate (void)
{
  return wa_secure_bytes_new_random (WA_SECRET_KEY_SIZE);
}

static void
secret_key_checksum (const guint8 *key,
                     guint8       *out)
{
  static const char label[] = "webagent-secret-key-checksum";
  guint8 hash[16];
  crypto_generichash_state state;

  crypto_generichash_init (&state, NULL, 0, sizeof hash);
  crypto_generichash_update (&state, (const guint8 *) label, sizeof label - 1);
  crypto_generichash_update (&state, key, WA_SECRET_KEY_SIZE);
  crypto_generichash_final (&state, hash, sizeof hash);
  memcpy (out, hash, SECRET_KEY_CHECK);
  sodium_memzero (&state, sizeof state);
}

/**
 * wa_secret_key_format:
 *
 * Formats the Secret Key for the emergency kit: "WA1-" and 29 Crockford
 * base32 characters in groups of five, encoding the 16 key bytes and a
 * 2-byte checksum, so a mistyped key is caught before any derivation.
 *
 * Returns: (transfer full): the text, which is itself a secret.
 */
char *
wa_secret_key_format (WaSecureBytes *secret_key)
{
  guint8 buf[WA_SECRET_KEY_SIZE + SECRET_KEY_CHECK];
  char chars[SECRET_KEY_CHARS];
  GString *out;
  guint bit = 0;

  g_return_val_if_fail (secret_key != NULL, NULL);
  g_return_val_if_fail (wa_secure_bytes_get_size (secret_key) == WA_SECRET_KEY_SIZE, NULL);

  memcpy (buf, wa_secure_bytes_get_data (secret_key), WA_SECRET_KEY_SIZE);
  secret_key_checksum (buf, buf + WA_SECRET_KEY_SIZE);

  for (guint i = 0; i < SECRET_KEY_CHARS; i++)
    {
      guint value = 0;

      for (guint j = 0; j < 5; j++, bit++)
        {
          guint b = 0;

          if (bit < sizeof buf * 8)
            b = (buf[bit / 8] >> (7 - bit % 8)) & 1;
          value = (value << 1) | b;
        }
      chars[i] = CROCKFORD[value];
    }

  out = g_string_new (SECRET_KEY_PREFIX);
  for (guint i = 0; i < SECRET_KEY_CHARS; i++)
    {
      if (i % 5 == 0)
        g_string_append_c (out, '-');
      g_string_append_c (out, chars[i]);
    }

  sodium_memzero (buf, sizeof buf);
  sodium_memzero (chars, sizeof chars);

  return g_string_free (out, FALSE);
}

static int
crockford_value (char c)
{
  c = g_ascii_toupper (c);
  if (c == 'O')
    c = '0';
  else if (c == 'I' || c == 'L')
    c = '1';

  for (int i = 0; i < 32; i++)
    if (CROCKFORD[i] == c)
      return i;

  return -1;
}

WaSecureBytes *
wa_secret_key_parse (const char  *text,
                     GError     **error)
{
  g_autoptr(WaSecureBytes) key = NULL;
  guint8 buf[WA_SECRET_KEY_SIZE + SECRET_KEY_CHECK] = { 0 };
  guint8 check[SECRET_KEY_CHECK];
  const char *p;
  guint n_chars = 0;
  guint bit = 0;
  gboolean ok = TRUE;

  g_return_val_if_fail (text != NULL, NULL);

  p = text;
  while (g_ascii_isspace (*p))
    p++;
  if (g_ascii_strncasecmp (p, SECRET_KEY_PREFIX, strlen (SECRET_KEY_PREFIX)) != 0)
    {
      g_set_error (error, WA_KDF_ERROR, WA_KDF_ERROR_BAD_SECRET_KEY,
                   "A Secret Key starts with “WA1-”; copy it again from the emergency kit");
      return NULL;
    }
  p += strlen (SECRET_KEY_PREFIX);

  for (; *p != '\0'; p++)
    {
      int value;

      if (*p == '-' || g_ascii_isspace (*p))
        continue;

      value = crockford_value (*p);
      if (value < 0 || n_chars >= SECRET_KEY_CHARS)
        {
          ok = FALSE;
          break;
        }
      n_chars++;

      for (int j = 4; j >= 0; j--, bit++)
        {
          guint b = (value >> j) & 1;

          if (bit < sizeof buf * 8)
            buf[bit / 8] |= b << (7 - bit % 8);
          else if (b != 0)
            ok = FALSE;
        }
    }

  if (ok && n_chars == SECRET_KEY_CHARS)
    {
      secret_key_checksum (buf, check);
      ok = sodium_memcmp (check, buf + WA_SECRET_KEY_SIZE, SECRET_KEY_CHECK) == 0;
    }
  else
    ok = FALSE;

  if (!ok)
    {
      sodium_memzero (buf, sizeof buf);
      g_set_error (error, WA_KDF_ERROR, WA_KDF_ERROR_BAD_SECRET_KEY,
                   "The Secret Key has a typo (its checksum does not match); "
                   "copy it again from the emergency kit");
      return NULL;
    }

  key = wa_secure_bytes_new_from_data (buf, WA_SECRET_KEY_SIZE);
  sodium_memzero (buf, sizeof buf);

  return g_steal_pointer (&key);
}

/**
 * wa_secret_key_fingerprint:
 * @out: 32 bytes
 *
 * A keyed hash that tells whether a Secret Key belongs to a profile.  The key
 * has 128 random bits, so the fingerprint cannot be searched; storing it
 * lets an unlock say "wrong Secret Key" rather than "wrong password".
 */
void
wa_secret_key_fingerprint (WaSecureBytes *secret_key,
                           const guint8  *salt,
                           guint8        *out)
{
  static const char label[] = "webagent-secret-key-fingerprint";
  crypto_generichash_state state;

  crypto_generichash_init (&state, wa_secure_bytes_get_data (secret_key), WA_SECRET_KEY_SIZE, 32);
  crypto_generichash_update (&state, (const guint8 *) label, sizeof label - 1);
  crypto_generichash_update (&state, salt, WA_KDF_SALT_SIZE);
  crypto_generichash_final (&state, out, 32);
  sodium_memzero (&state, sizeof state);
}
