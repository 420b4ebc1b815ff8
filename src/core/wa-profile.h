/* wa-profile.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

#include "wa-kdf.h"
#include "wa-audit-log.h"
#include "wa-key-provider.h"
#include "wa-keyring.h"
#include "wa-vault.h"

G_BEGIN_DECLS

#define WA_PROFILE_ERROR (wa_profile_error_quark ())

typedef enum
{
  WA_PROFILE_ERROR_EXISTS,
  WA_PROFILE_ERROR_NOT_FOUND,
  WA_PROFILE_ERROR_CORRUPT,
  WA_PROFILE_ERROR_WRONG_PASSWORD,
  WA_PROFILE_ERROR_WRONG_SECRET_KEY,
  WA_PROFILE_ERROR_NEED_SECRET_KEY,
  WA_PROFILE_ERROR_BACKOFF,
  WA_PROFILE_ERROR_LOCKED,
  WA_PROFILE_ERROR_WEAK_PASSWORD,
  WA_PROFILE_ERROR_IO,
  WA_PROFILE_ERROR_AUDIT,
} WaProfileError;

#define WA_PROFILE_FORMAT_VERSION      1
#define WA_PROFILE_DEFAULT_IDLE_TIMEOUT 300
#define WA_PROFILE_MIN_PASSWORD_LENGTH  8
#define WA_PROFILE_MAX_BACKOFF          900

#define WA_TYPE_PROFILE (wa_profile_get_type ())

G_DECLARE_FINAL_TYPE (WaProfile, wa_profile, WA, PROFILE, GObject)

GQuark         wa_profile_error_quark          (void);

WaProfile     *wa_profile_create               (const char   *directory,
                                                const char   *password,
                                                WaKdfParams  *params,
                                                gboolean      store_secret_key,
                                                char        **secret_key_text,
                                                GError      **error);
WaProfile     *wa_profile_open                 (const char   *directory,
                                                GError      **error);

gboolean       wa_profile_unlock               (WaProfile    *self,
                                                const char   *password,
                                                const char   *secret_key_text,
                                                GError      **error);
void           wa_profile_lock                 (WaProfile    *self);
gboolean       wa_profile_change_password      (WaProfile    *self,
                                                const char   *old_password,
                                                const char   *new_password,
                                                GError      **error);

gboolean       wa_profile_get_locked           (WaProfile    *self);
const char    *wa_profile_get_directory        (WaProfile    *self);
const char    *wa_profile_get_profile_id       (WaProfile    *self);
const char    *wa_profile_get_user_id          (WaProfile    *self);
const char    *wa_profile_get_tenant_id        (WaProfile    *self);
const char    *wa_profile_get_device_id        (WaProfile    *self);
const guint8  *wa_profile_get_sign_public_key  (WaProfile    *self);
const WaKdfParams *wa_profile_get_kdf_params   (WaProfile    *self);
gboolean       wa_profile_has_device_secret_key (WaProfile   *self);

WaVault       *wa_profile_get_vault            (WaProfile    *self);
WaAuditLog    *wa_profile_get_audit_log        (WaProfile    *self);
char          *wa_profile_dup_last_checkpoint  (WaProfile    *self);
WaKeyring     *wa_profile_get_keyring          (WaProfile    *self);
WaKeyProvider *wa_profile_get_tenant_keys      (WaProfile    *self);

guint          wa_profile_get_idle_timeout     (WaProfile    *self);
void           wa_profile_set_idle_timeout     (WaProfile    *self,
                                                guint         seconds);
void           wa_profile_touch                (WaProfile    *self);

guint          wa_profile_get_failed_attempts  (WaProfile    *self);
gint64         wa_profile_get_backoff_remaining (WaProfile   *self);

char          *wa_profile_format_emergency_kit (WaProfile    *self,
                                                const char   *secret_key_text);

G_END_DECLS
