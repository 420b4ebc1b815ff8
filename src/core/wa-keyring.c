/* wa-keyring.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-keyring"

#include "config.h"

#include <string.h>

#include "wa-keyring.h"

/**
 * WaKeyring:
 *
 * A user's unlocked keys: the Ed25519 device signing key, the X25519 key
 * that tenant keys are wrapped to, and the symmetric vault key.  Private
 * parts live in guarded memory and are wiped by wa_keyring_wipe(), which
 * is what locking does.
 */
struct _WaKeyring
{
  GObject        parent_instance;

  WaSecureBytes *sign_seed;
  WaSecureBytes *sign_secret_key;
  WaSecureBytes *box_secret_key;
  WaSecureBytes *vault_key;
  guint8         sign_public_key[WA_SIGN_PUBLIC_KEY_SIZE];
  guint8         box_public_key[WA_BOX_PUBLIC_KEY_SIZE];
  gboolean       wiped;
};

G_DEFINE_TYPE (WaKeyring, wa_keyring, G_TYPE_OBJECT)
G_DEFINE_QUARK (wa_keyring_error_quark, wa_keyring_error)

static void
wa_keyring_finalize (GObject *object)
{
  WaKeyring *self = (WaKeyring *)object;

  wa_keyring_wipe (self);

  G_OBJECT_CLASS (wa_keyring_parent_class)->finalize (object);
}

static void
wa_keyring_class_init (WaKeyringClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wa_keyring_finalize;
}

static void
wa_keyring_init (WaKeyring *self)
{
}

static WaKeyring *
keyring_new_from_parts (const guint8 *seed,
                        const guint8 *box_secret,
                        const guint8 *vault_key)
{
  WaKeyring *self = g_object_new (WA_TYPE_KEYRING, NULL);

  self->sign_seed = wa_secure_bytes_new_from_data (seed, WA_SIGN_SEED_SIZE);
  self->sign_secret_key = wa_crypto_sign_keypair_from_seed (seed, self->sign_public_key);
  self->box_secret_key = wa_secure_bytes_new_from_data (box_secret, WA_BOX_SECRET_KEY_SIZE);
  wa_crypto_box_public_from_secret (box_secret, self->box_public_key);
  self->vault_key = wa_secure_bytes_new_from_data (vault_key, WA_AEAD_KEY_SIZE);

  wa_secure_bytes_seal (self->sign_seed);
  wa_secure_bytes_seal (self->sign_secret_key);
  wa_secure_bytes_seal (self->box_secret_key);
  wa_secure_bytes_seal (self->vault_key);

  return self;
}

WaKeyring *
wa_keyring_new_random (void)
{
  g_autoptr(WaSecureBytes) secret = wa_secure_bytes_new_random (WA_KEYRING_SECRET_SIZE);

  return wa_keyring_new_from_secret (secret, NULL);
}

WaKeyring *
wa_keyring_new_from_secret (WaSecureBytes  *secret,
                            GError        **error)
{
  const guint8 *data;

  g_return_val_if_fail (secret != NULL, NULL);

  if (wa_secure_bytes_get_size (secret) != WA_KEYRING_SECRET_SIZE)
    {
      g_set_error (error, WA_KEYRING_ERROR, WA_KEYRING_ERROR_MALFORMED,
                   "The keyring has the wrong size; restore the profile from a backup");
      return NULL;
    }

  data = wa_secure_bytes_get_data (secret);

  return keyring_new_from_parts (data,
                                 data + WA_SIGN_SEED_SIZE,
                                 data + WA_SIGN_SEED_SIZE + WA_BOX_SECRET_KEY_SIZE);
}

WaSecureBytes *
wa_keyring_export_secret (WaKeyring *self)
{
  WaSecureBytes *secret;
  guint8 *data;

  g_return_val_if_fail (WA_IS_KEYRING (self), NULL);
  g_return_val_if_fail (!self->wiped, NULL);

  secret = wa_secure_bytes_new (WA_KEYRING_SECRET_SIZE);
  data = wa_secure_bytes_get_data (secret);
  memcpy (data, wa_secure_bytes_get_data (self->sign_seed), WA_SIGN_SEED_SIZE);
  memcpy (data + WA_SIGN_SEED_SIZE, wa_secure_bytes_get_data (self->box_secret_key),
          WA_BOX_SECRET_KEY_SIZE);
  memcpy (data + WA_SIGN_SEED_SIZE + WA_BOX_SECRET_KEY_SIZE,
          wa_secure_bytes_get_data (self->vault_key), WA_AEAD_KEY_SIZE);
  wa_secure_bytes_seal (secret);

  return secret;
}

const guint8 *
wa_keyring_get_sign_public_key (WaKeyring *self)
{
  g_return_val_if_fail (WA_IS_KEYRING (self), NULL);

  return self->sign_public_key;
}

const guint8 *
wa_keyring_get_box_public_key (WaKeyring *self)
{
  g_return_val_if_fail (WA_IS_KEYRING (self), NULL);

  return self->box_public_key;
}

const guint8 *
wa_keyring_get_vault_key (WaKeyring *self)
{
  g_return_val_if_fail (WA_IS_KEYRING (self), NULL);
  g_return_val_if_fail (!self->wiped, NULL);

  return wa_secure_bytes_get_data (self->vault_key);
}

/**
 * wa_keyring_dup_device_id:
 *
 * Returns: (transfer full): a short, stable identifier of the device key:
 *   the first 16 bytes of SHA-256 of the Ed25519 public key, in hex.
 */
char *
wa_keyring_dup_device_id (WaKeyring *self)
{
  guint8 hash[WA_SHA256_SIZE];

  g_return_val_if_fail (WA_IS_KEYRING (self), NULL);

  wa_crypto_sha256 (self->sign_public_key, sizeof self->sign_public_key, hash);

  return wa_hex_encode (hash, 16);
}

void
wa_keyring_sign (WaKeyring    *self,
                 const guint8 *msg,
                 gsize         msg_len,
                 guint8       *signature)
{
  g_return_if_fail (WA_IS_KEYRING (self));
  g_return_if_fail (!self->wiped);

  wa_crypto_sign_detached (wa_secure_bytes_get_data (self->sign_secret_key), msg, msg_len, signature);
}

WaSecureBytes *
wa_keyring_open_sealed (WaKeyring  *self,
                        GBytes     *sealed,
                        GError    **error)
{
  g_return_val_if_fail (WA_IS_KEYRING (self), NULL);

  if (self->wiped)
    {
      g_set_error (error, WA_KEYRING_ERROR, WA_KEYRING_ERROR_LOCKED,
                   "The profile is locked; unlock it and try again");
      return NULL;
    }

  return wa_crypto_box_seal_open (self->box_public_key,
                                  wa_secure_bytes_get_data (self->box_secret_key),
                                  sealed, error);
}

static void
clear_secret (WaSecureBytes **secret)
{
  if (*secret == NULL)
    return;

  wa_secure_bytes_wipe (*secret);
  g_clear_pointer (secret, wa_secure_bytes_unref);
}

gboolean
wa_keyring_is_wiped (WaKeyring *self)
{
  g_return_val_if_fail (WA_IS_KEYRING (self), TRUE);

  return self->wiped;
}

void
wa_keyring_wipe (WaKeyring *self)
{
  g_return_if_fail (WA_IS_KEYRING (self));

  if (self->wiped)
    return;

  /* Zero the buffers now even if someone else still holds a reference. */
  clear_secret (&self->sign_seed);
  clear_secret (&self->sign_secret_key);
  clear_secret (&self->box_secret_key);
  clear_secret (&self->vault_key);
  self->wiped = TRUE;
}
