/* wa-software-key-provider.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-software-key-provider"

#include "config.h"

#include "wa-crypto.h"
#include "wa-software-key-provider.h"

/**
 * WaSoftwareKeyProvider:
 *
 * Keeps the tenant master key in guarded memory of this process, unwrapped
 * from the member's sealed box at unlock.
 */
struct _WaSoftwareKeyProvider
{
  GObject        parent_instance;

  char          *tenant_id;
  WaSecureBytes *master_key;
};

static void key_provider_iface_init (WaKeyProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WaSoftwareKeyProvider, wa_software_key_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WA_TYPE_KEY_PROVIDER, key_provider_iface_init))

static const char *
wa_software_key_provider_get_tenant_id (WaKeyProvider *provider)
{
  return WA_SOFTWARE_KEY_PROVIDER (provider)->tenant_id;
}

static gboolean
check_not_forgotten (WaSoftwareKeyProvider  *self,
                     GError                **error)
{
  if (self->master_key == NULL)
    {
      g_set_error (error, WA_KEY_PROVIDER_ERROR, WA_KEY_PROVIDER_ERROR_FORGOTTEN,
                   "The tenant key is not in memory because the profile was locked; unlock it again");
      return FALSE;
    }

  return TRUE;
}

static WaSecureBytes *
wa_software_key_provider_derive_subkey (WaKeyProvider   *provider,
                                        WaTenantSubkey   subkey,
                                        GError         **error)
{
  WaSoftwareKeyProvider *self = WA_SOFTWARE_KEY_PROVIDER (provider);
  WaSecureBytes *derived;

  if (!check_not_forgotten (self, error))
    return NULL;

  derived = wa_crypto_derive_subkey (wa_secure_bytes_get_data (self->master_key),
                                     subkey, WA_TENANT_SUBKEY_CONTEXT);
  wa_secure_bytes_seal (derived);

  return derived;
}

static GBytes *
wa_software_key_provider_wrap_for_member (WaKeyProvider  *provider,
                                          const guint8   *member_box_public_key,
                                          GError        **error)
{
  WaSoftwareKeyProvider *self = WA_SOFTWARE_KEY_PROVIDER (provider);

  if (!check_not_forgotten (self, error))
    return NULL;

  return wa_crypto_box_seal (member_box_public_key,
                             wa_secure_bytes_get_data (self->master_key),
                             wa_secure_bytes_get_size (self->master_key));
}

static void
wa_software_key_provider_forget (WaKeyProvider *provider)
{
  WaSoftwareKeyProvider *self = WA_SOFTWARE_KEY_PROVIDER (provider);

  if (self->master_key != NULL)
    wa_secure_bytes_wipe (self->master_key);
  g_clear_pointer (&self->master_key, wa_secure_bytes_unref);
}

static void
key_provider_iface_init (WaKeyProviderInterface *iface)
{
  iface->get_tenant_id = wa_software_key_provider_get_tenant_id;
  iface->derive_subkey = wa_software_key_provider_derive_subkey;
  iface->wrap_for_member = wa_software_key_provider_wrap_for_member;
  iface->forget = wa_software_key_provider_forget;
}

static void
wa_software_key_provider_finalize (GObject *object)
{
  WaSoftwareKeyProvider *self = (WaSoftwareKeyProvider *)object;

  wa_software_key_provider_forget (WA_KEY_PROVIDER (self));
  g_clear_pointer (&self->tenant_id, g_free);

  G_OBJECT_CLASS (wa_software_key_provider_parent_class)->finalize (object);
}

static void
wa_software_key_provider_class_init (WaSoftwareKeyProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wa_software_key_provider_finalize;
}

static void
wa_software_key_provider_init (WaSoftwareKeyProvider *self)
{
}

/**
 * wa_software_key_provider_new_generated:
 *
 * Creates a new tenant with a fresh random master key.
 */
WaSoftwareKeyProvider *
wa_software_key_provider_new_generated (const char *tenant_id)
{
  WaSoftwareKeyProvider *self;

  g_return_val_if_fail (tenant_id != NULL, NULL);

  self = g_object_new (WA_TYPE_SOFTWARE_KEY_PROVIDER, NULL);
  self->tenant_id = g_strdup (tenant_id);
  self->master_key = wa_secure_bytes_new_random (WA_SUBKEY_SIZE);
  wa_secure_bytes_seal (self->master_key);

  return self;
}

/**
 * wa_software_key_provider_new_unwrapped:
 * @wrapped_master_key: the master key sealed (crypto_box_seal) to the
 *   member's X25519 key
 *
 * Opens a member's copy of the tenant master key.
 */
WaSoftwareKeyProvider *
wa_software_key_provider_new_unwrapped (const char  *tenant_id,
                                        GBytes      *wrapped_master_key,
                                        WaKeyring   *member_keyring,
                                        GError     **error)
{
  g_autoptr(WaSoftwareKeyProvider) self = NULL;
  g_autoptr(WaSecureBytes) master_key = NULL;

  g_return_val_if_fail (tenant_id != NULL, NULL);
  g_return_val_if_fail (wrapped_master_key != NULL, NULL);
  g_return_val_if_fail (WA_IS_KEYRING (member_keyring), NULL);

  master_key = wa_keyring_open_sealed (member_keyring, wrapped_master_key, error);
  if (master_key == NULL)
    return NULL;

  if (wa_secure_bytes_get_size (master_key) != WA_SUBKEY_SIZE)
    {
      g_set_error (error, WA_KEY_PROVIDER_ERROR, WA_KEY_PROVIDER_ERROR_UNAVAILABLE,
                   "The tenant key has the wrong size; ask a tenant administrator to share it again");
      return NULL;
    }

  self = g_object_new (WA_TYPE_SOFTWARE_KEY_PROVIDER, NULL);
  self->tenant_id = g_strdup (tenant_id);
  self->master_key = g_steal_pointer (&master_key);
  wa_secure_bytes_seal (self->master_key);

  return g_steal_pointer (&self);
}
