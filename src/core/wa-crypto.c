/* wa-crypto.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-crypto"

#include "config.h"

#include <string.h>
#include <sodium.h>

#include "wa-crypto.h"
#include "wa-sha256.h"

/* Plain-text chunk size of the secretstream format.  64 KiB keeps the
 * per-chunk overhead (17 bytes, one call) well under 0.1%. */
#define STREAM_CHUNK_SIZE (64 * 1024)
#define STREAM_MAGIC      "WASTRM01"

G_DEFINE_QUARK (wa_crypto_error_quark, wa_crypto_error)

gboolean
wa_crypto_init (GError **error)
{
  if (sodium_init () < 0)
    {
      g_set_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_INIT,
                   "The cryptography library could not start; check that /dev/urandom is readable");
      return FALSE;
    }

  return TRUE;
}

void
wa_crypto_random_bytes (guint8 *buf,
                        gsize   len)
{
  randombytes_buf (buf, len);
}

/**
 * wa_crypto_new_uuid:
 *
 * Returns: (transfer full): a random (version 4) UUID from libsodium's
 *   generator rather than GLib's, which is not meant for secrets.
 */
char *
wa_crypto_new_uuid (void)
{
  guint8 b[16];

  randombytes_buf (b, sizeof b);
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;

  return g_strdup_printf ("%02x%02x%02x%02x-%02x%02x-%02x%02x-%02x%02x-%02x%02x%02x%02x%02x%02x",
                          b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7],
                          b[8], b[9], b[10], b[11], b[12], b[13], b[14], b[15]);
}

static void
append_field (GByteArray *array,
              const char *value)
{
  guint32 len = value != NULL ? strlen (value) : 0;
  guint8 be[4] = { len >> 24, len >> 16, len >> 8, len };

  g_byte_array_append (array, be, 4);
  if (len > 0)
    g_byte_array_append (array, (const guint8 *) value, len);
}

/**
 * wa_aead_context_encode:
 *
 * Encodes the associated data as a fixed label followed by length-prefixed
 * fields, so that no two different contexts encode to the same bytes.
 */
GBytes *
wa_aead_context_encode (const WaAeadContext *context)
{
  g_autoptr(GByteArray) array = g_byte_array_new ();
  g_autofree char *version = NULL;

  g_return_val_if_fail (context != NULL, NULL);

  version = g_strdup_printf ("%u", context->format_version);
  append_field (array, "webagent-aead-v1");
  append_field (array, context->record_id);
  append_field (array, context->tenant_id);
  append_field (array, context->record_type);
  append_field (array, version);
  append_field (array, context->purpose);

  return g_byte_array_free_to_bytes (g_steal_pointer (&array));
}

gboolean
wa_crypto_aead_encrypt_raw (const guint8 *key,
                            const guint8 *nonce,
                            const guint8 *plain,
                            gsize         plain_len,
                            const guint8 *ad,
                            gsize         ad_len,
                            guint8       *out)
{
  unsigned long long out_len = 0;

  return crypto_aead_xchacha20poly1305_ietf_encrypt (out, &out_len, plain, plain_len,
                                                     ad, ad_len, NULL, nonce, key) == 0;
}

gboolean
wa_crypto_aead_decrypt_raw (const guint8 *key,
                            const guint8 *nonce,
                            const guint8 *cipher,
                            gsize         cipher_len,
                            const guint8 *ad,
                            gsize         ad_len,
                            guint8       *out)
{
  unsigned long long out_len = 0;

  if (cipher_len < WA_AEAD_TAG_SIZE)
    return FALSE;

  return crypto_aead_xchacha20poly1305_ietf_decrypt (out, &out_len, NULL, cipher, cipher_len,
                                                     ad, ad_len, nonce, key) == 0;
}

GBytes *
wa_crypto_aead_seal (const guint8 *key,
                     const guint8 *plain,
                     gsize         plain_len,
                     GBytes       *ad)
{
  gsize out_len = WA_AEAD_NONCE_SIZE + plain_len + WA_AEAD_TAG_SIZE;
  guint8 *out = g_malloc (out_len);
  const guint8 *ad_data = NULL;
  gsize ad_len = 0;

  if (ad != NULL)
    ad_data = g_bytes_get_data (ad, &ad_len);

  randombytes_buf (out, WA_AEAD_NONCE_SIZE);
  if (!wa_crypto_aead_encrypt_raw (key, out, plain, plain_len, ad_data, ad_len,
                                   out + WA_AEAD_NONCE_SIZE))
    g_error ("XChaCha20-Poly1305 encryption failed");

  return g_bytes_new_take (out, out_len);
}

static gboolean
aead_open_into (const guint8  *key,
                GBytes        *sealed,
                GBytes        *ad,
                guint8        *out,
                GError       **error)
{
  const guint8 *data;
  const guint8 *ad_data = NULL;
  gsize len;
  gsize ad_len = 0;

  data = g_bytes_get_data (sealed, &len);
  if (ad != NULL)
    ad_data = g_bytes_get_data (ad, &ad_len);

  if (!wa_crypto_aead_decrypt_raw (key, data, data + WA_AEAD_NONCE_SIZE,
                                   len - WA_AEAD_NONCE_SIZE, ad_data, ad_len, out))
    {
      g_set_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_DECRYPT,
                   "The data could not be decrypted: it was changed, or belongs to another record or key");
      return FALSE;
    }

  return TRUE;
}

static gboolean
check_sealed_size (GBytes  *sealed,
                   GError **error)
{
  if (sealed == NULL ||
      g_bytes_get_size (sealed) < WA_AEAD_NONCE_SIZE + WA_AEAD_TAG_SIZE)
    {
      g_set_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_TRUNCATED,
                   "The encrypted data is truncated; restore it from a backup");
      return FALSE;
    }

  return TRUE;
}

GBytes *
wa_crypto_aead_open (const guint8  *key,
                     GBytes        *sealed,
                     GBytes        *ad,
                     GError       **error)
{
  g_autofree guint8 *out = NULL;
  gsize plain_len;

  if (!check_sealed_size (sealed, error))
    return NULL;

  plain_len = g_bytes_get_size (sealed) - WA_AEAD_NONCE_SIZE - WA_AEAD_TAG_SIZE;
  out = g_malloc (MAX (plain_len, 1));
  if (!aead_open_into (key, sealed, ad, out, error))
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&out), plain_len);
}

WaSecureBytes *
wa_crypto_aead_open_secure (const guint8  *key,
                            GBytes        *sealed,
                            GBytes        *ad,
                            GError       **error)
{
  g_autoptr(WaSecureBytes) out = NULL;

  if (!check_sealed_size (sealed, error))
    return NULL;

  out = wa_secure_bytes_new (g_bytes_get_size (sealed) - WA_AEAD_NONCE_SIZE - WA_AEAD_TAG_SIZE);
  if (!aead_open_into (key, sealed, ad, wa_secure_bytes_get_data (out), error))
    return NULL;

  return g_steal_pointer (&out);
}

WaSecureBytes *
wa_crypto_sign_keypair_from_seed (const guint8 *seed,
                                  guint8       *public_key)
{
  WaSecureBytes *sk = wa_secure_bytes_new (crypto_sign_SECRETKEYBYTES);

  crypto_sign_seed_keypair (public_key, wa_secure_bytes_get_data (sk), seed);

  return sk;
}

WaSecureBytes *
wa_crypto_sign_keypair_new (guint8 *public_key)
{
  WaSecureBytes *sk = wa_secure_bytes_new (crypto_sign_SECRETKEYBYTES);

  crypto_sign_keypair (public_key, wa_secure_bytes_get_data (sk));

  return sk;
}

void
wa_crypto_sign_detached (const guint8 *secret_key,
                         const guint8 *msg,
                         gsize         msg_len,
                         guint8       *signature)
{
  crypto_sign_detached (signature, NULL, msg, msg_len, secret_key);
}

gboolean
wa_crypto_sign_verify_detached (const guint8 *public_key,
                                const guint8 *msg,
                                gsize         msg_len,
                                const guint8 *signature)
{
  return crypto_sign_verify_detached (signature, msg, msg_len, public_key) == 0;
}

WaSecureBytes *
wa_crypto_box_keypair_new (guint8 *public_key)
{
  WaSecureBytes *sk = wa_secure_bytes_new (crypto_box_SECRETKEYBYTES);

  crypto_box_keypair (public_key, wa_secure_bytes_get_data (sk));

  return sk;
}

gboolean
wa_crypto_box_public_from_secret (const guint8 *secret_key,
                                  guint8       *public_key)
{
  return crypto_scalarmult_base (public_key, secret_key) == 0;
}

/**
 * wa_crypto_scalarmult:
 *
 * X25519.  Returns %FALSE when the result is all zeros, which happens only
 * for a low-order public key and must never be used as a shared secret.
 */
gboolean
wa_crypto_scalarmult (const guint8 *secret_key,
                      const guint8 *public_key,
                      guint8       *shared)
{
  return crypto_scalarmult (shared, secret_key, public_key) == 0;
}

GBytes *
wa_crypto_box_seal (const guint8 *recipient_public_key,
                    const guint8 *plain,
                    gsize         plain_len)
{
  gsize out_len = plain_len + crypto_box_SEALBYTES;
  guint8 *out = g_malloc (out_len);

  if (crypto_box_seal (out, plain, plain_len, recipient_public_key) != 0)
    g_error ("crypto_box_seal failed");

  return g_bytes_new_take (out, out_len);
}

WaSecureBytes *
wa_crypto_box_seal_open (const guint8  *public_key,
                         const guint8  *secret_key,
                         GBytes        *sealed,
                         GError       **error)
{
  g_autoptr(WaSecureBytes) out = NULL;
  const guint8 *data;
  gsize len;

  data = g_bytes_get_data (sealed, &len);
  if (len < crypto_box_SEALBYTES)
    {
      g_set_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_TRUNCATED,
                   "The wrapped key is truncated; ask a tenant administrator to wrap it again");
      return NULL;
    }

  out = wa_secure_bytes_new (len - crypto_box_SEALBYTES);
  if (crypto_box_seal_open (wa_secure_bytes_get_data (out), data, len,
                            public_key, secret_key) != 0)
    {
      g_set_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_DECRYPT,
                   "The wrapped key was not made for this member's key, or it was changed");
      return NULL;
    }

  return g_steal_pointer (&out);
}

void
wa_crypto_sha256 (const guint8 *data,
                  gsize         len,
                  guint8       *out)
{
  wa_sha256 (data, len, out);
}

void
wa_crypto_hmac_sha256 (const guint8 *key,
                       gsize         key_len,
                       const guint8 *data,
                       gsize         len,
                       guint8       *out)
{
  crypto_auth_hmacsha256_state state;

  crypto_auth_hmacsha256_init (&state, key, key_len);
  crypto_auth_hmacsha256_update (&state, data, len);
  crypto_auth_hmacsha256_final (&state, out);
  sodium_memzero (&state, sizeof state);
}

void
wa_crypto_hmac_sha512 (const guint8 *key,
                       gsize         key_len,
                       const guint8 *data,
                       gsize         len,
                       guint8       *out)
{
  crypto_auth_hmacsha512_state state;

  crypto_auth_hmacsha512_init (&state, key, key_len);
  crypto_auth_hmacsha512_update (&state, data, len);
  crypto_auth_hmacsha512_final (&state, out);
  sodium_memzero (&state, sizeof state);
}

/**
 * wa_crypto_equal:
 *
 * Compares in constant time; use it for every MAC, tag, hash and code.
 */
gboolean
wa_crypto_equal (const void *a,
                 const void *b,
                 gsize       len)
{
  return sodium_memcmp (a, b, len) == 0;
}

WaSecureBytes *
wa_crypto_derive_subkey (const guint8 *master_key,
                         guint64       subkey_id,
                         const char   *context)
{
  WaSecureBytes *subkey;

  /* A wrong context is a programming error; fail closed, never with a
   * key of zeros. */
  g_return_val_if_fail (context != NULL && strlen (context) == crypto_kdf_CONTEXTBYTES, NULL);

  subkey = wa_secure_bytes_new (WA_SUBKEY_SIZE);

  crypto_kdf_derive_from_key (wa_secure_bytes_get_data (subkey), WA_SUBKEY_SIZE,
                              subkey_id, context, master_key);

  return subkey;
}

static gboolean
read_full (GInputStream  *input,
           guint8        *buf,
           gsize          len,
           gsize         *n_read,
           GCancellable  *cancellable,
           GError       **error)
{
  return g_input_stream_read_all (input, buf, len, n_read, cancellable, error);
}

/* The pieces of the stream format that the stream and the buffer
 * functions share.  A chunk is its ciphertext length, big-endian, then the
 * ciphertext; the associated data goes with the first chunk only. */
static gsize
stream_push_chunk (crypto_secretstream_xchacha20poly1305_state *state,
                   const guint8                                *plain,
                   gsize                                        len,
                   GBytes                                      *ad,
                   gboolean                                     first,
                   gboolean                                     last,
                   guint8                                      *out)
{
  const guint8 *ad_data = NULL;
  gsize ad_len = 0;
  unsigned long long clen = 0;
  guint32 be;

  if (first && ad != NULL)
    ad_data = g_bytes_get_data (ad, &ad_len);

  crypto_secretstream_xchacha20poly1305_push (state, out + 4, &clen, plain, len, ad_data, ad_len,
                                              last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
  be = GUINT32_TO_BE ((guint32) clen);
  memcpy (out, &be, 4);

  return clen + 4;
}

static gboolean
stream_set_truncated (GError **error)
{
  g_set_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_TRUNCATED,
               "The encrypted stream ends early or is damaged; restore it from a backup");
  return FALSE;
}

/* Reads a chunk's length field; fails if no chunk can have that length. */
static gboolean
stream_chunk_length (const guint8  *field,
                     gsize         *clen,
                     GError       **error)
{
  guint32 be;

  memcpy (&be, field, 4);
  *clen = GUINT32_FROM_BE (be);
  if (*clen < crypto_secretstream_xchacha20poly1305_ABYTES ||
      *clen > STREAM_CHUNK_SIZE + crypto_secretstream_xchacha20poly1305_ABYTES)
    return stream_set_truncated (error);

  return TRUE;
}

static gboolean
stream_pull_chunk (crypto_secretstream_xchacha20poly1305_state  *state,
                   const guint8                                 *cipher,
                   gsize                                         clen,
                   GBytes                                       *ad,
                   gboolean                                      first,
                   guint8                                       *out,
                   gsize                                        *plen,
                   gboolean                                     *last,
                   GError                                      **error)
{
  const guint8 *ad_data = NULL;
  gsize ad_len = 0;
  unsigned long long len = 0;
  guint8 tag = 0;

  if (first && ad != NULL)
    ad_data = g_bytes_get_data (ad, &ad_len);

  if (crypto_secretstream_xchacha20poly1305_pull (state, out, &len, &tag, cipher, clen, ad_data, ad_len) != 0)
    {
      g_set_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_DECRYPT,
                   "The encrypted stream was changed, or belongs to another record or key");
      return FALSE;
    }

  *plen = len;
  *last = tag == crypto_secretstream_xchacha20poly1305_TAG_FINAL;

  return TRUE;
}

/*
 * The stream format: "WASTRM01" ‖ secretstream header (24 bytes) ‖ chunks,
 * each a big-endian u32 ciphertext length followed by the ciphertext.  The
 * associated data goes with the first chunk; the last chunk carries the
 * FINAL tag, so a truncated stream is an error, not a shorter file.
 */
gboolean
wa_crypto_stream_encrypt (const guint8  *key,
                          GBytes        *ad,
                          GInputStream  *input,
                          GOutputStream *output,
                          GCancellable  *cancellable,
                          GError       **error)
{
  crypto_secretstream_xchacha20poly1305_state state;
  guint8 header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  g_autofree guint8 *plain = g_malloc (STREAM_CHUNK_SIZE);
  g_autofree guint8 *cipher = g_malloc (STREAM_CHUNK_SIZE + crypto_secretstream_xchacha20poly1305_ABYTES + 4);
  gsize n_read = 0;
  gboolean first = TRUE;
  gboolean ret = FALSE;

  crypto_secretstream_xchacha20poly1305_init_push (&state, header, key);
  if (!g_output_stream_write_all (output, STREAM_MAGIC, 8, NULL, cancellable, error) ||
      !g_output_stream_write_all (output, header, sizeof header, NULL, cancellable, error))
    goto out;

  /* Read one chunk ahead so the last one can be tagged FINAL. */
  if (!read_full (input, plain, STREAM_CHUNK_SIZE, &n_read, cancellable, error))
    goto out;

  for (;;)
    {
      /* A full final chunk is followed by an empty FINAL chunk. */
      gboolean last = n_read < STREAM_CHUNK_SIZE;
      gsize next_read = 0;
      gsize written = stream_push_chunk (&state, plain, n_read, ad, first, last, cipher);

      first = FALSE;
      if (!g_output_stream_write_all (output, cipher, written, NULL, cancellable, error))
        goto out;

      if (last)
        break;

      if (!read_full (input, plain, STREAM_CHUNK_SIZE, &next_read, cancellable, error))
        goto out;
      n_read = next_read;
    }

  ret = TRUE;

out:
  sodium_memzero (&state, sizeof state);
  sodium_memzero (plain, STREAM_CHUNK_SIZE);
  return ret;
}

gboolean
wa_crypto_stream_decrypt (const guint8  *key,
                          GBytes        *ad,
                          GInputStream  *input,
                          GOutputStream *output,
                          GCancellable  *cancellable,
                          GError       **error)
{
  crypto_secretstream_xchacha20poly1305_state state;
  guint8 magic[8];
  guint8 header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  g_autofree guint8 *plain = g_malloc (STREAM_CHUNK_SIZE);
  g_autofree guint8 *cipher = g_malloc (STREAM_CHUNK_SIZE + crypto_secretstream_xchacha20poly1305_ABYTES);
  gsize n_read = 0;
  gboolean first = TRUE;
  gboolean ret = FALSE;

  if (!read_full (input, magic, sizeof magic, &n_read, cancellable, error))
    goto out;
  if (n_read != sizeof magic || memcmp (magic, STREAM_MAGIC, 8) != 0)
    {
      g_set_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_INVALID_INPUT,
                   "This is not a WebAgent encrypted stream, or its header is damaged");
      goto out;
    }
  if (!read_full (input, header, sizeof header, &n_read, cancellable, error))
    goto out;
  if (n_read != sizeof header ||
      crypto_secretstream_xchacha20poly1305_init_pull (&state, header, key) != 0)
    {
      g_set_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_TRUNCATED,
                   "The encrypted stream is truncated; restore it from a backup");
      goto out;
    }

  for (;;)
    {
      guint8 field[4];
      gsize clen;
      gsize plen = 0;
      gboolean last = FALSE;

      if (!read_full (input, field, 4, &n_read, cancellable, error))
        goto out;
      if (n_read != 4)
        {
          stream_set_truncated (error);
          goto out;
        }
      if (!stream_chunk_length (field, &clen, error) ||
          !read_full (input, cipher, clen, &n_read, cancellable, error))
        goto out;
      if (n_read != clen)
        {
          stream_set_truncated (error);
          goto out;
        }
      if (!stream_pull_chunk (&state, cipher, clen, ad, first, plain, &plen, &last, error))
        goto out;
      first = FALSE;

      if (!g_output_stream_write_all (output, plain, plen, NULL, cancellable, error))
        goto out;

      if (last)
        break;
    }

  /* Anything after the FINAL chunk was appended by someone else. */
  if (!read_full (input, magic, 1, &n_read, cancellable, error))
    goto out;
  if (n_read != 0)
    {
      g_set_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_INVALID_INPUT,
                   "The encrypted stream has data after its end; it was changed");
      goto out;
    }

  ret = TRUE;

out:
  sodium_memzero (&state, sizeof state);
  sodium_memzero (plain, STREAM_CHUNK_SIZE);
  return ret;
}

/**
 * wa_crypto_stream_encrypted_size:
 *
 * Returns: the size of the stream format for @plain_len bytes: the magic,
 *   the header, and per chunk a length and the AEAD overhead.  Chunks are
 *   full until a short (possibly empty) final one.
 */
gsize
wa_crypto_stream_encrypted_size (gsize plain_len)
{
  gsize chunks = plain_len / STREAM_CHUNK_SIZE + 1;

  return 8 + crypto_secretstream_xchacha20poly1305_HEADERBYTES +
         chunks * (4 + crypto_secretstream_xchacha20poly1305_ABYTES) + plain_len;
}

/**
 * wa_crypto_stream_encrypt_buffer:
 * @out: room for wa_crypto_stream_encrypted_size (@plain_len) bytes
 *
 * wa_crypto_stream_encrypt() from and to memory: the format is the same,
 * so either function can read what the other wrote.
 */
gboolean
wa_crypto_stream_encrypt_buffer (const guint8  *key,
                                 GBytes        *ad,
                                 const guint8  *plain,
                                 gsize          plain_len,
                                 guint8        *out,
                                 gsize          out_capacity,
                                 gsize         *out_len,
                                 GError       **error)
{
  crypto_secretstream_xchacha20poly1305_state state;
  gsize offset = 0;
  guint8 *p = out;
  gboolean first = TRUE;

  if (out_capacity < wa_crypto_stream_encrypted_size (plain_len))
    {
      g_set_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_INVALID_INPUT,
                   "The output buffer is too small for the encrypted stream");
      return FALSE;
    }

  memcpy (p, STREAM_MAGIC, 8);
  p += 8;
  crypto_secretstream_xchacha20poly1305_init_push (&state, p, key);
  p += crypto_secretstream_xchacha20poly1305_HEADERBYTES;

  for (;;)
    {
      gsize n = MIN (STREAM_CHUNK_SIZE, plain_len - offset);
      gboolean last = n < STREAM_CHUNK_SIZE;

      p += stream_push_chunk (&state, plain + offset, n, ad, first, last, p);
      offset += n;
      first = FALSE;

      if (last)
        break;
    }

  sodium_memzero (&state, sizeof state);
  *out_len = p - out;

  return TRUE;
}

/**
 * wa_crypto_stream_decrypt_buffer:
 * @out: room for the plain text: @cipher_len bytes are always enough
 *
 * wa_crypto_stream_decrypt() from and to memory.
 */
gboolean
wa_crypto_stream_decrypt_buffer (const guint8  *key,
                                 GBytes        *ad,
                                 const guint8  *cipher,
                                 gsize          cipher_len,
                                 guint8        *out,
                                 gsize          out_capacity,
                                 gsize         *out_len,
                                 GError       **error)
{
  crypto_secretstream_xchacha20poly1305_state state;
  const guint8 *p = cipher;
  const guint8 *end = cipher + cipher_len;
  gsize written = 0;
  gboolean first = TRUE;
  gboolean ret = FALSE;

  if (cipher_len < 8 || memcmp (cipher, STREAM_MAGIC, 8) != 0)
    {
      g_set_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_INVALID_INPUT,
                   "This is not a WebAgent encrypted stream, or its header is damaged");
      return FALSE;
    }
  p += 8;

  if ((gsize) (end - p) < crypto_secretstream_xchacha20poly1305_HEADERBYTES ||
      crypto_secretstream_xchacha20poly1305_init_pull (&state, p, key) != 0)
    {
      g_set_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_TRUNCATED,
                   "The encrypted stream is truncated; restore it from a backup");
      goto out;
    }
  p += crypto_secretstream_xchacha20poly1305_HEADERBYTES;

  for (;;)
    {
      gsize clen;
      gsize plen = 0;
      gboolean last = FALSE;

      if (end - p < 4)
        goto truncated;
      if (!stream_chunk_length (p, &clen, error))
        goto out;
      p += 4;
      if ((gsize) (end - p) < clen)
        goto truncated;
      if (out_capacity - written < clen - crypto_secretstream_xchacha20poly1305_ABYTES)
        {
          g_set_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_INVALID_INPUT,
                       "The output buffer is too small for the decrypted stream");
          goto out;
        }
      if (!stream_pull_chunk (&state, p, clen, ad, first, out + written, &plen, &last, error))
        goto out;
      p += clen;
      written += plen;
      first = FALSE;

      if (last)
        break;
    }

  if (p != end)
    {
      g_set_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_INVALID_INPUT,
                   "The encrypted stream has data after its end; it was changed");
      goto out;
    }

  *out_len = written;
  ret = TRUE;
  goto out;

truncated:
  stream_set_truncated (error);
out:
  sodium_memzero (&state, sizeof state);
  if (!ret)
    sodium_memzero (out, MIN (written, out_capacity));
  return ret;
}

char *
wa_base64_encode (const guint8 *data,
                  gsize         len)
{
  return g_base64_encode (data, len);
}

guint8 *
wa_base64_decode (const char  *text,
                  gsize       *out_len,
                  GError     **error)
{
  gsize text_len;
  gsize max_len;
  guint8 *out;
  size_t bin_len = 0;

  g_return_val_if_fail (text != NULL, NULL);

  text_len = strlen (text);
  max_len = text_len / 4 * 3 + 3;
  out = g_malloc (max_len);
  if (sodium_base642bin (out, max_len, text, text_len, NULL, &bin_len, NULL,
                         sodium_base64_VARIANT_ORIGINAL) != 0)
    {
      g_free (out);
      g_set_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_INVALID_INPUT,
                   "A base64 field is malformed");
      return NULL;
    }

  if (out_len != NULL)
    *out_len = bin_len;

  return out;
}

char *
wa_hex_encode (const guint8 *data,
               gsize         len)
{
  char *out = g_malloc (len * 2 + 1);

  sodium_bin2hex (out, len * 2 + 1, data, len);

  return out;
}

guint8 *
wa_hex_decode (const char  *text,
               gsize       *out_len,
               GError     **error)
{
  gsize text_len;
  guint8 *out;
  size_t bin_len = 0;
  const char *end = NULL;

  g_return_val_if_fail (text != NULL, NULL);

  text_len = strlen (text);
  out = g_malloc (text_len / 2 + 1);
  if (text_len % 2 != 0 ||
      sodium_hex2bin (out, text_len / 2 + 1, text, text_len, NULL, &bin_len, &end) != 0 ||
      end != text + text_len)
    {
      g_free (out);
      g_set_error (error, WA_CRYPTO_ERROR, WA_CRYPTO_ERROR_INVALID_INPUT,
                   "A hexadecimal field is malformed");
      return NULL;
    }

  if (out_len != NULL)
    *out_len = bin_len;

  return out;
}
