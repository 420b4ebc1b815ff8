/* wa-software-key-provider.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wa-key-provider.h"
#include "wa-keyring.h"

G_BEGIN_DECLS

#define WA_TYPE_SOFTWARE_KEY_PROVIDER (wa_software_key_provider_get_type ())

G_DECLARE_FINAL_TYPE (WaSoftwareKeyProvider, wa_software_key_provider, WA, SOFTWARE_KEY_PROVIDER, GObject)

WaSoftwareKeyProvider *wa_software_key_provider_new_generated (const char  *tenant_id);
WaSoftwareKeyProvider *wa_software_key_provider_new_unwrapped (const char  *tenant_id,
                                                               GBytes      *wrapped_master_key,
                                                               WaKeyring   *member_keyring,
                                                               GError     **error);

G_END_DECLS
