/* wa-key-provider.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "wa-secure-bytes.h"

G_BEGIN_DECLS

#define WA_KEY_PROVIDER_ERROR (wa_key_provider_error_quark ())

typedef enum
{
  WA_KEY_PROVIDER_ERROR_UNAVAILABLE,
  WA_KEY_PROVIDER_ERROR_FORGOTTEN,
  WA_KEY_PROVIDER_ERROR_NOT_SUPPORTED,
} WaKeyProviderError;

/* Subkeys of a tenant master key (crypto_kdf ids, context "WAtenant"). */
typedef enum
{
  WA_TENANT_SUBKEY_DATA   = 1,
  WA_TENANT_SUBKEY_AUDIT  = 2,
  WA_TENANT_SUBKEY_BACKUP = 3,
} WaTenantSubkey;

#define WA_TENANT_SUBKEY_CONTEXT "WAtenant"

#define WA_TYPE_KEY_PROVIDER (wa_key_provider_get_type ())

G_DECLARE_INTERFACE (WaKeyProvider, wa_key_provider, WA, KEY_PROVIDER, GObject)

struct _WaKeyProviderInterface
{
  GTypeInterface parent_iface;

  const char    *(*get_tenant_id)   (WaKeyProvider   *self);
  WaSecureBytes *(*derive_subkey)   (WaKeyProvider   *self,
                                     WaTenantSubkey   subkey,
                                     GError         **error);
  GBytes        *(*wrap_for_member) (WaKeyProvider   *self,
                                     const guint8    *member_box_public_key,
                                     GError         **error);
  void           (*forget)          (WaKeyProvider   *self);
};

GQuark         wa_key_provider_error_quark   (void);
const char    *wa_key_provider_get_tenant_id (WaKeyProvider   *self);
WaSecureBytes *wa_key_provider_derive_subkey (WaKeyProvider   *self,
                                              WaTenantSubkey   subkey,
                                              GError         **error);
GBytes        *wa_key_provider_wrap_for_member (WaKeyProvider *self,
                                                const guint8  *member_box_public_key,
                                                GError       **error);
void           wa_key_provider_forget        (WaKeyProvider   *self);

G_END_DECLS
