/* wa-vault.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

#include "wa-key-provider.h"
#include "wa-keyring.h"
#include "wa-vault-record.h"

G_BEGIN_DECLS

#define WA_VAULT_ERROR (wa_vault_error_quark ())

typedef enum
{
  WA_VAULT_ERROR_OPEN,
  WA_VAULT_ERROR_CORRUPT,
  WA_VAULT_ERROR_TOO_NEW,
  WA_VAULT_ERROR_LOCKED,
  WA_VAULT_ERROR_NOT_FOUND,
  WA_VAULT_ERROR_TAMPERED,
  WA_VAULT_ERROR_KEY_ERASED,
  WA_VAULT_ERROR_INVALID_INPUT,
  WA_VAULT_ERROR_DATABASE,
  WA_VAULT_ERROR_CLOSED,
} WaVaultError;

#define WA_VAULT_SCHEMA_VERSION 2
#define WA_VAULT_FORMAT_VERSION 1

/* One problem found by wa_vault_verify(). */
typedef struct
{
  char *record_id;
  char *message;
} WaVaultProblem;

void wa_vault_problem_free (WaVaultProblem *problem);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaVaultProblem, wa_vault_problem_free)

#define WA_TYPE_VAULT (wa_vault_get_type ())

G_DECLARE_FINAL_TYPE (WaVault, wa_vault, WA, VAULT, GObject)

typedef enum
{
  WA_VAULT_OPEN_FLAGS_NONE   = 0,
  WA_VAULT_OPEN_FLAGS_CREATE = 1 << 0,
} WaVaultOpenFlags;

GQuark         wa_vault_error_quark        (void);

WaVault       *wa_vault_open               (const char           *path,
                                            GError              **error);
WaVault       *wa_vault_open_full          (const char           *path,
                                            WaVaultOpenFlags      flags,
                                            GError              **error);
void           wa_vault_close              (WaVault              *self);
const char    *wa_vault_get_path           (WaVault              *self);
int            wa_vault_get_schema_version (WaVault              *self);

void           wa_vault_set_keys           (WaVault              *self,
                                            const char           *user_id,
                                            WaKeyring            *keyring,
                                            WaKeyProvider        *tenant_keys);
void           wa_vault_forget_keys        (WaVault              *self);
gboolean       wa_vault_is_locked          (WaVault              *self);
void           wa_vault_add_trusted_signer (WaVault              *self,
                                            const guint8         *public_key);

char          *wa_vault_user_scope         (WaVault              *self);
char          *wa_vault_tenant_scope       (WaVault              *self);

/* Writing.  @template gives the type, classification, scope (%NULL for the
 * user's own), access policy and retention policy; the rest is filled in. */
void           wa_vault_put_async          (WaVault              *self,
                                            const WaVaultRecord  *template,
                                            GBytes               *data,
                                            GBytes               *metadata,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
char          *wa_vault_put_finish         (WaVault              *self,
                                            GAsyncResult         *result,
                                            GError              **error);
char          *wa_vault_put                (WaVault              *self,
                                            const WaVaultRecord  *template,
                                            GBytes               *data,
                                            GBytes               *metadata,
                                            GError              **error);
GPtrArray     *wa_vault_put_many           (WaVault              *self,
                                            const WaVaultRecord  *template,
                                            GPtrArray            *datas,
                                            GError              **error);

/* Reading.  Decrypts, and counts the access. */
void           wa_vault_get_async          (WaVault              *self,
                                            const char           *id,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GBytes        *wa_vault_get_finish         (WaVault              *self,
                                            GAsyncResult         *result,
                                            WaVaultRecord       **record,
                                            GBytes              **metadata,
                                            GError              **error);
GBytes        *wa_vault_get                (WaVault              *self,
                                            const char           *id,
                                            WaVaultRecord       **record,
                                            GBytes              **metadata,
                                            GError              **error);
GPtrArray     *wa_vault_get_many           (WaVault              *self,
                                            GPtrArray            *ids,
                                            GError              **error);

void           wa_vault_list_async         (WaVault              *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GPtrArray     *wa_vault_list_finish        (WaVault              *self,
                                            GAsyncResult         *result,
                                            GError              **error);
GPtrArray     *wa_vault_list               (WaVault              *self,
                                            GError              **error);

gboolean       wa_vault_delete             (WaVault              *self,
                                            const char           *id,
                                            GError              **error);
gboolean       wa_vault_erase_scope        (WaVault              *self,
                                            const char           *scope_id,
                                            GError              **error);

/* Checks every record's hash and signature without decrypting anything.
 * Returns the problems found (empty when all is well), or %NULL on error. */
void           wa_vault_verify_async       (WaVault              *self,
                                            GCancellable         *cancellable,
                                            GAsyncReadyCallback   callback,
                                            gpointer              user_data);
GPtrArray     *wa_vault_verify_finish      (WaVault              *self,
                                            GAsyncResult         *result,
                                            GError              **error);
GPtrArray     *wa_vault_verify             (WaVault              *self,
                                            GError              **error);

G_END_DECLS
