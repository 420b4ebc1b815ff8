/* wa-vault-private.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <sqlite3.h>

#include "wa-vault.h"

G_BEGIN_DECLS

#define ACCESS_FLUSH_THRESHOLD 256

struct _WaVault
{
  GObject        parent_instance;

  char          *path;
  sqlite3       *db;
  GThread       *thread;
  GAsyncQueue   *queue;
  gint           queued;        /* atomic: jobs pushed and not yet taken */
  guint          n_processors;  /* read once: each call reads a file in /sys */
  gboolean       spin;          /* more than one processor: spin before sleeping */
  int            schema_version;
  gboolean       closed;

  /* Keys are set and cleared from the caller's thread and read from the
   * worker, so they are guarded by this lock. */
  GMutex         keys_lock;
  char          *user_id;
  char          *tenant_id;
  WaKeyring     *keyring;
  WaKeyProvider *tenant_keys;
  GPtrArray     *trusted_signers;

  /* Worker thread only. */
  GHashTable    *scope_key_cache;
  GHashTable    *pending_access;
  WaSecureBytes *record_key;
  sqlite3_stmt  *insert_stmt;
  sqlite3_stmt  *select_stmt;
  sqlite3_stmt  *audit_stmts[6]; /* see wa-audit-log.c */
  WaSecureBytes *audit_key;     /* worker only: the tenant audit key, while keys are set */
};

typedef void (*JobFunc) (WaVault *self,
                         GTask   *task,
                         gpointer data);

/* How a synchronous caller waits for its job: see wa_vault_run_sync(). */
typedef struct
{
  gint   done;                  /* atomic */
  GMutex lock;
  GCond  cond;
} SyncWaiter;

typedef struct
{
  JobFunc     func;
  gpointer    data;
  GDestroyNotify destroy;
  SyncWaiter *waiter;           /* NULL for asynchronous calls */
} Job;

typedef void (*WaVaultJobFunc) (WaVault  *self,
                                GTask    *task,
                                gpointer  data);

/* A snapshot of the keys, taken under the lock so the worker can use them
 * while the caller locks the profile. */
typedef struct
{
  char          *user_id;
  char          *tenant_id;
  WaKeyring     *keyring;
  WaKeyProvider *tenant_keys;
} KeySnapshot;

void           wa_vault_key_snapshot_clear (KeySnapshot     *keys);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (KeySnapshot, wa_vault_key_snapshot_clear)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

void           wa_vault_set_db_error       (WaVault         *self,
                                            GError         **error,
                                            const char      *what);
gboolean       wa_vault_exec               (WaVault         *self,
                                            const char      *sql,
                                            GError         **error);
sqlite3_stmt  *wa_vault_prepare            (WaVault         *self,
                                            const char      *sql,
                                            GError         **error);
sqlite3_stmt  *wa_vault_prepare_cached     (WaVault         *self,
                                            sqlite3_stmt   **cache,
                                            const char      *sql,
                                            GError         **error);
void           wa_vault_schedule           (WaVault             *self,
                                            gpointer             source_tag,
                                            WaVaultJobFunc       func,
                                            gpointer             data,
                                            GDestroyNotify       destroy,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GAsyncResult  *wa_vault_run_sync           (WaVault         *self,
                                            gpointer         source_tag,
                                            WaVaultJobFunc   func,
                                            gpointer         data,
                                            GDestroyNotify   destroy);
gboolean       wa_vault_take_keys          (WaVault         *self,
                                            KeySnapshot     *keys,
                                            GError         **error);
WaSecureBytes *wa_vault_lookup_scope_key   (WaVault         *self,
                                            KeySnapshot     *keys,
                                            const char      *scope_id,
                                            gboolean         create,
                                            GError         **error);
void           wa_vault_flush_access       (WaVault         *self);

/* The columns of a record row; the listing adds the access statistics,
 * which a read does without (two more index lookups per row). */
#define RECORD_ROW_COLUMNS \
  "id, record_type, encrypted_data, encrypted_metadata, data_hash, signature, signer_key, " \
  "key_info, scope_id, user_id, tenant_id, access_policy, retention_policy, classification, " \
  "format_version, created_at"
#define RECORD_COLUMNS \
  RECORD_ROW_COLUMNS ", " \
  "(SELECT accessed_at FROM record_access a WHERE a.id = records.id), " \
  "(SELECT access_count FROM record_access a WHERE a.id = records.id)"

enum {
  COL_ID, COL_TYPE, COL_DATA, COL_METADATA, COL_HASH, COL_SIGNATURE, COL_SIGNER,
  COL_KEY_INFO, COL_SCOPE, COL_USER, COL_TENANT, COL_ACCESS_POLICY, COL_RETENTION,
  COL_CLASSIFICATION, COL_FORMAT, COL_CREATED, COL_ACCESSED, COL_ACCESS_COUNT,
};

const char    *wa_vault_column_text        (sqlite3_stmt    *stmt,
                                            int              column);
WaVaultRecord *wa_vault_record_from_row    (sqlite3_stmt    *stmt);
gboolean       wa_vault_check_row          (WaVault         *self,
                                            sqlite3_stmt    *stmt,
                                            GError         **error);

G_END_DECLS
