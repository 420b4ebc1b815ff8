/* wa-kdf.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "wa-secure-bytes.h"

G_BEGIN_DECLS

#define WA_KDF_ERROR (wa_kdf_error_quark ())

typedef enum
{
  WA_KDF_ERROR_UNSUPPORTED,
  WA_KDF_ERROR_TOO_WEAK,
  WA_KDF_ERROR_TOO_COSTLY,
  WA_KDF_ERROR_MALFORMED,
  WA_KDF_ERROR_OUT_OF_MEMORY,
  WA_KDF_ERROR_BAD_SECRET_KEY,
} WaKdfError;

#define WA_KDF_SALT_SIZE        16
#define WA_SECRET_KEY_SIZE      16
#define WA_UNLOCK_KEY_SIZE      32

/* Version 1 is Argon2id v1.3 followed by a BLAKE2b keyed hash. */
#define WA_KDF_VERSION          1
#define WA_KDF_DEFAULT_OPS      3
#define WA_KDF_DEFAULT_MEM      (G_GUINT64_CONSTANT (64) * 1024 * 1024)
/* Parameters read from disk or the network outside these bounds are refused:
 * lower would be a downgrade, higher would let a file exhaust the machine. */
#define WA_KDF_MIN_OPS          3
#define WA_KDF_MIN_MEM          (G_GUINT64_CONSTANT (64) * 1024 * 1024)
#define WA_KDF_MAX_OPS          16
#define WA_KDF_MAX_MEM          (G_GUINT64_CONSTANT (1024) * 1024 * 1024)

typedef struct
{
  guint   version;
  guint64 ops_limit;
  guint64 mem_limit;
  guint8  salt[WA_KDF_SALT_SIZE];
} WaKdfParams;

#define WA_TYPE_KDF_PARAMS (wa_kdf_params_get_type ())

GQuark         wa_kdf_error_quark              (void);
GType          wa_kdf_params_get_type          (void) G_GNUC_CONST;
WaKdfParams   *wa_kdf_params_new_default       (void);
WaKdfParams   *wa_kdf_params_copy              (const WaKdfParams  *params);
void           wa_kdf_params_free              (WaKdfParams        *params);
WaKdfParams   *wa_kdf_params_strengthen        (const WaKdfParams  *current);
JsonNode      *wa_kdf_params_to_json           (const WaKdfParams  *params);
WaKdfParams   *wa_kdf_params_from_json         (JsonNode           *node,
                                                GError            **error);
gboolean       wa_kdf_params_check             (const WaKdfParams  *params,
                                                GError            **error);

WaSecureBytes *wa_kdf_derive_unlock_key        (const WaKdfParams  *params,
                                                const char         *password,
                                                WaSecureBytes      *secret_key,
                                                GError            **error);

WaSecureBytes *wa_secret_key_generate          (void);
char          *wa_secret_key_format            (WaSecureBytes      *secret_key);
WaSecureBytes *wa_secret_key_parse             (const char         *text,
                                                GError            **error);
void           wa_secret_key_fingerprint       (WaSecureBytes      *secret_key,
                                                const guint8       *salt,
                                                guint8             *out);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaKdfParams, wa_kdf_params_free)

G_END_DECLS
