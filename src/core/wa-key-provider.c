/* wa-key-provider.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-key-provider"

#include "config.h"

#include "wa-key-provider.h"

/**
 * WaKeyProvider:
 *
 * Where a tenant master key lives.  Callers ask for subkeys by purpose and
 * never see the master key, so a provider that keeps it in an HSM fits in
 * without changes above this interface.
 */

G_DEFINE_INTERFACE (WaKeyProvider, wa_key_provider, G_TYPE_OBJECT)
G_DEFINE_QUARK (wa_key_provider_error_quark, wa_key_provider_error)

static void
wa_key_provider_default_init (WaKeyProviderInterface *iface)
{
}

const char *
wa_key_provider_get_tenant_id (WaKeyProvider *self)
{
  g_return_val_if_fail (WA_IS_KEY_PROVIDER (self), NULL);

  return WA_KEY_PROVIDER_GET_IFACE (self)->get_tenant_id (self);
}

WaSecureBytes *
wa_key_provider_derive_subkey (WaKeyProvider   *self,
                               WaTenantSubkey   subkey,
                               GError         **error)
{
  g_return_val_if_fail (WA_IS_KEY_PROVIDER (self), NULL);

  return WA_KEY_PROVIDER_GET_IFACE (self)->derive_subkey (self, subkey, error);
}

GBytes *
wa_key_provider_wrap_for_member (WaKeyProvider  *self,
                                 const guint8   *member_box_public_key,
                                 GError        **error)
{
  WaKeyProviderInterface *iface;

  g_return_val_if_fail (WA_IS_KEY_PROVIDER (self), NULL);
  g_return_val_if_fail (member_box_public_key != NULL, NULL);

  iface = WA_KEY_PROVIDER_GET_IFACE (self);
  if (iface->wrap_for_member == NULL)
    {
      g_set_error (error, WA_KEY_PROVIDER_ERROR, WA_KEY_PROVIDER_ERROR_NOT_SUPPORTED,
                   "This key provider cannot share the tenant key; add the member through the HSM's own tools");
      return NULL;
    }

  return iface->wrap_for_member (self, member_box_public_key, error);
}

/**
 * wa_key_provider_forget:
 *
 * Drops every copy of key material the provider holds in memory, as on lock.
 */
void
wa_key_provider_forget (WaKeyProvider *self)
{
  g_return_if_fail (WA_IS_KEY_PROVIDER (self));

  WA_KEY_PROVIDER_GET_IFACE (self)->forget (self);
}
