/* wa-keyring.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "wa-crypto.h"

G_BEGIN_DECLS

#define WA_KEYRING_ERROR (wa_keyring_error_quark ())

typedef enum
{
  WA_KEYRING_ERROR_MALFORMED,
  WA_KEYRING_ERROR_LOCKED,
} WaKeyringError;

/* The serialized secret part: Ed25519 seed ‖ X25519 secret ‖ vault key. */
#define WA_KEYRING_SECRET_SIZE (WA_SIGN_SEED_SIZE + WA_BOX_SECRET_KEY_SIZE + WA_AEAD_KEY_SIZE)

#define WA_TYPE_KEYRING (wa_keyring_get_type ())

G_DECLARE_FINAL_TYPE (WaKeyring, wa_keyring, WA, KEYRING, GObject)

GQuark         wa_keyring_error_quark            (void);
WaKeyring     *wa_keyring_new_random             (void);
WaKeyring     *wa_keyring_new_from_secret        (WaSecureBytes  *secret,
                                                  GError        **error);
WaSecureBytes *wa_keyring_export_secret          (WaKeyring      *self);
const guint8  *wa_keyring_get_sign_public_key    (WaKeyring      *self);
const guint8  *wa_keyring_get_box_public_key     (WaKeyring      *self);
const guint8  *wa_keyring_get_vault_key          (WaKeyring      *self);
char          *wa_keyring_dup_device_id          (WaKeyring      *self);
void           wa_keyring_sign                   (WaKeyring      *self,
                                                  const guint8   *msg,
                                                  gsize           msg_len,
                                                  guint8         *signature);
WaSecureBytes *wa_keyring_open_sealed            (WaKeyring      *self,
                                                  GBytes         *sealed,
                                                  GError        **error);
gboolean       wa_keyring_is_wiped               (WaKeyring      *self);
void           wa_keyring_wipe                   (WaKeyring      *self);

G_END_DECLS
