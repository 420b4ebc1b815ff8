/* wa-crypto.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "wa-secure-bytes.h"

G_BEGIN_DECLS

#define WA_CRYPTO_ERROR (wa_crypto_error_quark ())

typedef enum
{
  WA_CRYPTO_ERROR_INIT,
  WA_CRYPTO_ERROR_DECRYPT,
  WA_CRYPTO_ERROR_SIGNATURE,
  WA_CRYPTO_ERROR_INVALID_INPUT,
  WA_CRYPTO_ERROR_TRUNCATED,
  WA_CRYPTO_ERROR_IO,
} WaCryptoError;

#define WA_AEAD_KEY_SIZE        32
#define WA_AEAD_NONCE_SIZE      24
#define WA_AEAD_TAG_SIZE        16
#define WA_SIGN_PUBLIC_KEY_SIZE 32
#define WA_SIGN_SECRET_KEY_SIZE 64
#define WA_SIGN_SEED_SIZE       32
#define WA_SIGNATURE_SIZE       64
#define WA_BOX_PUBLIC_KEY_SIZE  32
#define WA_BOX_SECRET_KEY_SIZE  32
#define WA_SEAL_OVERHEAD        48
#define WA_SHA256_SIZE          32
#define WA_SUBKEY_SIZE          32

/* The associated data every encrypted record is bound to. */
typedef struct
{
  const char *record_id;
  const char *tenant_id;
  const char *record_type;
  guint32     format_version;
  const char *purpose;          /* "data", "metadata", "key", ... */
} WaAeadContext;

GQuark        wa_crypto_error_quark               (void);
gboolean      wa_crypto_init                      (GError             **error);

/* Randomness */
void          wa_crypto_random_bytes              (guint8              *buf,
                                                   gsize                len);
char         *wa_crypto_new_uuid                  (void);

/* Associated data: a length-prefixed, unambiguous encoding of @context. */
GBytes       *wa_aead_context_encode              (const WaAeadContext *context);

/* Raw XChaCha20-Poly1305 (IETF): ciphertext ‖ tag, caller-supplied nonce. */
gboolean      wa_crypto_aead_encrypt_raw          (const guint8        *key,
                                                   const guint8        *nonce,
                                                   const guint8        *plain,
                                                   gsize                plain_len,
                                                   const guint8        *ad,
                                                   gsize                ad_len,
                                                   guint8              *out);
gboolean      wa_crypto_aead_decrypt_raw          (const guint8        *key,
                                                   const guint8        *nonce,
                                                   const guint8        *cipher,
                                                   gsize                cipher_len,
                                                   const guint8        *ad,
                                                   gsize                ad_len,
                                                   guint8              *out);

/* Sealed AEAD with a fresh random nonce: output is nonce ‖ ciphertext ‖ tag. */
GBytes       *wa_crypto_aead_seal                 (const guint8        *key,
                                                   const guint8        *plain,
                                                   gsize                plain_len,
                                                   GBytes              *ad);
GBytes       *wa_crypto_aead_open                 (const guint8        *key,
                                                   GBytes              *sealed,
                                                   GBytes              *ad,
                                                   GError             **error);
WaSecureBytes *wa_crypto_aead_open_secure         (const guint8        *key,
                                                   GBytes              *sealed,
                                                   GBytes              *ad,
                                                   GError             **error);

/* Ed25519 */
WaSecureBytes *wa_crypto_sign_keypair_from_seed   (const guint8        *seed,
                                                   guint8              *public_key);
WaSecureBytes *wa_crypto_sign_keypair_new         (guint8              *public_key);
void          wa_crypto_sign_detached             (const guint8        *secret_key,
                                                   const guint8        *msg,
                                                   gsize                msg_len,
                                                   guint8              *signature);
gboolean      wa_crypto_sign_verify_detached      (const guint8        *public_key,
                                                   const guint8        *msg,
                                                   gsize                msg_len,
                                                   const guint8        *signature);

/* X25519 and sealed boxes */
WaSecureBytes *wa_crypto_box_keypair_new          (guint8              *public_key);
gboolean      wa_crypto_box_public_from_secret    (const guint8        *secret_key,
                                                   guint8              *public_key);
gboolean      wa_crypto_scalarmult                (const guint8        *secret_key,
                                                   const guint8        *public_key,
                                                   guint8              *shared);
GBytes       *wa_crypto_box_seal                  (const guint8        *recipient_public_key,
                                                   const guint8        *plain,
                                                   gsize                plain_len);
WaSecureBytes *wa_crypto_box_seal_open            (const guint8        *public_key,
                                                   const guint8        *secret_key,
                                                   GBytes              *sealed,
                                                   GError             **error);

/* Hashes and MACs */
void          wa_crypto_sha256                    (const guint8        *data,
                                                   gsize                len,
                                                   guint8              *out);
void          wa_crypto_hmac_sha256               (const guint8        *key,
                                                   gsize                key_len,
                                                   const guint8        *data,
                                                   gsize                len,
                                                   guint8              *out);
void          wa_crypto_hmac_sha512               (const guint8        *key,
                                                   gsize                key_len,
                                                   const guint8        *data,
                                                   gsize                len,
                                                   guint8              *out);
gboolean      wa_crypto_equal                     (const void          *a,
                                                   const void          *b,
                                                   gsize                len);

/* Subkeys (crypto_kdf_derive_from_key with an 8-byte context). */
WaSecureBytes *wa_crypto_derive_subkey            (const guint8        *master_key,
                                                   guint64              subkey_id,
                                                   const char          *context);

/* Large blobs: crypto_secretstream_xchacha20poly1305 in chunks.
 * The stream header binds @ad through the first message. */
gboolean      wa_crypto_stream_encrypt            (const guint8        *key,
                                                   GBytes              *ad,
                                                   GInputStream        *input,
                                                   GOutputStream       *output,
                                                   GCancellable        *cancellable,
                                                   GError             **error);
gboolean      wa_crypto_stream_decrypt            (const guint8        *key,
                                                   GBytes              *ad,
                                                   GInputStream        *input,
                                                   GOutputStream       *output,
                                                   GCancellable        *cancellable,
                                                   GError             **error);

/* The same format, from and to memory, with no copy beyond the cipher. */
gsize         wa_crypto_stream_encrypted_size     (gsize                plain_len);
gboolean      wa_crypto_stream_encrypt_buffer     (const guint8        *key,
                                                   GBytes              *ad,
                                                   const guint8        *plain,
                                                   gsize                plain_len,
                                                   guint8              *out,
                                                   gsize                out_capacity,
                                                   gsize               *out_len,
                                                   GError             **error);
gboolean      wa_crypto_stream_decrypt_buffer     (const guint8        *key,
                                                   GBytes              *ad,
                                                   const guint8        *cipher,
                                                   gsize                cipher_len,
                                                   guint8              *out,
                                                   gsize                out_capacity,
                                                   gsize               *out_len,
                                                   GError             **error);

/* Encoding helpers */
char         *wa_base64_encode                    (const guint8        *data,
                                                   gsize                len);
guint8       *wa_base64_decode                    (const char          *text,
                                                   gsize               *out_len,
                                                   GError             **error);
char         *wa_hex_encode                       (const guint8        *data,
                                                   gsize                len);
guint8       *wa_hex_decode                       (const char          *text,
                                                   gsize               *out_len,
                                                   GError             **error);

G_END_DECLS
