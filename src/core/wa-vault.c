/* wa-vault.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-vault"

#include "config.h"

#include <fcntl.h>
#include <string.h>
#include <unistd.h>
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <json-glib/json-glib.h>

#include "wa-crypto.h"
#include "wa-vault.h"
#include "wa-vault-private.h"

/**
 * WaVault:
 *
 * The encrypted record store of one profile: a SQLite database in WAL mode
 * whose every call runs on one worker thread, with results handed back to
 * the caller's main context through #GTask (as Epiphany's history service
 * does).  Each record has its own random data key, wrapped by the key of
 * the scope that owns it; scope keys are wrapped by the user's vault key or
 * by the tenant data key.  Erasing a scope key makes its records unreadable.
 */
G_DEFINE_FINAL_TYPE (WaVault, wa_vault, G_TYPE_OBJECT)
G_DEFINE_QUARK (wa_vault_error_quark, wa_vault_error)

static const char *schema_v1[] = {
  "CREATE TABLE vault_info ("
  "  key TEXT PRIMARY KEY,"
  "  value TEXT NOT NULL)",
  "CREATE TABLE scope_keys ("
  "  scope_id TEXT PRIMARY KEY,"
  "  owner TEXT NOT NULL CHECK (owner IN ('user', 'tenant')),"
  "  tenant_id TEXT NOT NULL,"
  "  wrapped_key BLOB NOT NULL,"
  "  created_at INTEGER NOT NULL)",
  "CREATE TABLE records ("
  "  id TEXT PRIMARY KEY,"
  "  record_type TEXT NOT NULL,"
  "  encrypted_data BLOB NOT NULL,"
  "  encrypted_metadata BLOB,"
  "  data_hash BLOB NOT NULL,"
  "  signature BLOB NOT NULL,"
  "  signer_key BLOB NOT NULL,"
  "  key_info TEXT NOT NULL,"
  "  scope_id TEXT NOT NULL,"
  "  user_id TEXT NOT NULL,"
  "  tenant_id TEXT NOT NULL,"
  "  access_policy TEXT NOT NULL,"
  "  retention_policy TEXT NOT NULL,"
  "  classification TEXT NOT NULL"
  "    CHECK (classification IN ('PUBLIC', 'INTERNAL', 'CONFIDENTIAL', 'SECRET')),"
  "  format_version INTEGER NOT NULL,"
  "  created_at INTEGER NOT NULL)",
  "CREATE INDEX records_created_idx ON records (created_at)",
  /* Access statistics change on every read, so they live outside the
   * signed, immutable record row. */
  "CREATE TABLE record_access ("
  "  id TEXT PRIMARY KEY,"
  "  accessed_at INTEGER NOT NULL,"
  "  access_count INTEGER NOT NULL)",
  NULL
};

/* The audit log (see wa-audit-log.c).  Entries are the leaves of the
 * Merkle tree, in order; a checkpoint is stored for every transaction that
 * appends; the frontier lets an append compute the new root without
 * reading old entries.  Events that happen while the profile is locked
 * wait, unsigned, in audit_pending for the next unlock. */
static const char *schema_v2[] = {
  "CREATE TABLE audit_entries ("
  "  idx INTEGER PRIMARY KEY,"
  "  entry TEXT NOT NULL,"
  "  leaf_hash BLOB NOT NULL)",
  "CREATE TABLE audit_checkpoints ("
  "  size INTEGER PRIMARY KEY,"
  "  note TEXT NOT NULL)",
  "CREATE TABLE audit_state ("
  "  key TEXT PRIMARY KEY,"
  "  value BLOB NOT NULL)",
  "CREATE TABLE audit_pending ("
  "  id INTEGER PRIMARY KEY AUTOINCREMENT,"
  "  time INTEGER NOT NULL,"
  "  event_type TEXT NOT NULL,"
  "  resource TEXT NOT NULL,"
  "  action TEXT NOT NULL,"
  "  outcome INTEGER NOT NULL,"
  "  risk_score INTEGER NOT NULL,"
  "  metadata TEXT NOT NULL)",
  /* SIEM destinations: the log is the outbox, and each destination keeps
   * the index of the first entry it has not acknowledged. */
  "CREATE TABLE siem_destinations ("
  "  name TEXT PRIMARY KEY,"
  "  kind TEXT NOT NULL,"
  "  config TEXT NOT NULL,"
  "  credential_id TEXT,"
  "  next_index INTEGER NOT NULL,"
  "  attempts INTEGER NOT NULL DEFAULT 0,"
  "  last_error TEXT,"
  "  last_attempt_at INTEGER,"
  "  created_at INTEGER NOT NULL)",
  NULL
};

static const char **migrations[] = {
  schema_v1,
  schema_v2,
};

void
wa_vault_problem_free (WaVaultProblem *problem)
{
  if (problem == NULL)
    return;

  g_free (problem->record_id);
  g_free (problem->message);
  g_free (problem);
}

void
wa_vault_set_db_error (WaVault     *self,
                       GError     **error,
                       const char  *what)
{
  int code = sqlite3_extended_errcode (self->db) & 0xff;

  if (code == SQLITE_CORRUPT || code == SQLITE_NOTADB)
    g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_CORRUPT,
                 "The vault database %s is damaged (%s); restore it from a backup — WebAgent has not changed it",
                 self->path, sqlite3_errmsg (self->db));
  else
    g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_DATABASE,
                 "Could not %s in the vault database %s: %s",
                 what, self->path, sqlite3_errmsg (self->db));
}

gboolean
wa_vault_exec (WaVault     *self,
               const char  *sql,
               GError     **error)
{
  if (sqlite3_exec (self->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      wa_vault_set_db_error (self, error, "run a statement");
      return FALSE;
    }

  return TRUE;
}

sqlite3_stmt *
wa_vault_prepare (WaVault     *self,
                  const char  *sql,
                  GError     **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (self->db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      wa_vault_set_db_error (self, error, "prepare a statement");
      return NULL;
    }

  return stmt;
}


/**
 * wa_vault_prepare_cached:
 * @cache: where the statement is kept, finalized on close
 *
 * Prepares @sql once per database connection; statements on the hot paths
 * are reused rather than compiled again for every call.
 */
sqlite3_stmt *
wa_vault_prepare_cached (WaVault       *self,
                         sqlite3_stmt **cache,
                         const char    *sql,
                         GError       **error)
{
  if (*cache != NULL)
    return *cache;

  if (sqlite3_prepare_v3 (self->db, sql, -1, SQLITE_PREPARE_PERSISTENT, cache, NULL) != SQLITE_OK)
    {
      wa_vault_set_db_error (self, error, "prepare a statement");
      *cache = NULL;
      return NULL;
    }

  return *cache;
}

/* Worker thread ----------------------------------------------------------- */

/* Handing a job to the worker and its result back costs two thread
 * wake-ups, and on a virtual machine each costs tens of microseconds:
 * more than reading a record.  So both sides spin for a moment before they
 * sleep: the worker after each job, in case the next one follows at once,
 * and a synchronous caller while its job runs.  The spin is bounded, so an
 * idle vault costs no processor time, and skipped on a single processor,
 * where it would only delay the thread it waits for. */
#define SPIN_USEC 50

static inline void
cpu_relax (void)
{
#if defined(__x86_64__) || defined(__i386__)
  __builtin_ia32_pause ();
#elif defined(__aarch64__)
  __asm__ __volatile__ ("yield");
#endif
}

/* Returns whether *@flag became non-zero within SPIN_USEC. */
static gboolean
spin_until_set (gint *flag)
{
  gint64 deadline = 0;

  for (guint i = 0;; i++)
    {
      if (g_atomic_int_get (flag) != 0)
        return TRUE;

      if ((i & 63) == 63)
        {
          gint64 now = g_get_monotonic_time ();

          if (deadline == 0)
            deadline = now + SPIN_USEC;
          else if (now >= deadline)
            return FALSE;
        }
      cpu_relax ();
    }
}

static void
job_done (Job *job)
{
  SyncWaiter *waiter = job->waiter;

  if (waiter == NULL)
    return;

  g_mutex_lock (&waiter->lock);
  g_atomic_int_set (&waiter->done, 1);
  g_cond_signal (&waiter->cond);
  g_mutex_unlock (&waiter->lock);
}

static GTask *
next_task (WaVault *self)
{
  GTask *task = g_async_queue_try_pop (self->queue);

  if (task == NULL)
    {
      if (self->spin)
        spin_until_set (&self->queued);
      task = g_async_queue_pop (self->queue);
    }
  g_atomic_int_dec_and_test (&self->queued);

  return task;
}

static gpointer
worker_thread (gpointer data)
{
  WaVault *self = data;

  for (;;)
    {
      g_autoptr(GTask) task = next_task (self);
      Job *job;

      if (g_task_get_source_tag (task) == worker_thread)
        {
          g_task_return_boolean (task, TRUE);
          break;
        }

      job = g_task_get_task_data (task);
      if (!g_task_return_error_if_cancelled (task))
        job->func (self, task, job->data);
      job_done (job);
    }

  return NULL;
}

static void
job_free (gpointer data)
{
  Job *job = data;

  if (job->destroy != NULL)
    job->destroy (job->data);
  g_free (job);
}

/* Returns a new reference to the task, which runs @func on the worker. */
static GTask *
schedule_job (WaVault             *self,
              gpointer             source_tag,
              WaVaultJobFunc       func,
              gpointer             data,
              GDestroyNotify       destroy,
              SyncWaiter          *waiter,
              GCancellable        *cancellable,
              GAsyncReadyCallback  callback,
              gpointer             user_data)
{
  GTask *task = g_task_new (self, cancellable, callback, user_data);
  Job *job = g_new0 (Job, 1);

  job->func = func;
  job->data = data;
  job->destroy = destroy;
  job->waiter = waiter;
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, job, job_free);

  if (self->closed)
    {
      g_task_return_new_error (task, WA_VAULT_ERROR, WA_VAULT_ERROR_CLOSED,
                               "The vault is closed; open the profile again");
      job_done (job);
      return task;
    }

  g_atomic_int_inc (&self->queued);
  g_async_queue_push (self->queue, g_object_ref (task));

  return task;
}

void
wa_vault_schedule (WaVault             *self,
                   gpointer             source_tag,
                   WaVaultJobFunc       func,
                   gpointer             data,
                   GDestroyNotify       destroy,
                   GCancellable        *cancellable,
                   GAsyncReadyCallback  callback,
                   gpointer             user_data)
{
  g_object_unref (schedule_job (self, source_tag, func, data, destroy, NULL,
                                cancellable, callback, user_data));
}

/* Runs a job on the worker and waits for it.  The task belongs to a
 * private main context of the calling thread, so the caller's own main
 * loop is not re-entered; the result is read from the task as soon as the
 * worker says it is done, without waiting for that context to dispatch it,
 * and the context is then drained of the task's completion. */
GAsyncResult *
wa_vault_run_sync (WaVault        *self,
                   gpointer        source_tag,
                   WaVaultJobFunc  func,
                   gpointer        data,
                   GDestroyNotify  destroy)
{
  /* One private context per calling thread, made once: creating a main
   * context for every call would cost more than many of the calls. */
  static GPrivate sync_context = G_PRIVATE_INIT ((GDestroyNotify) g_main_context_unref);
  GMainContext *context = g_private_get (&sync_context);
  SyncWaiter waiter = { 0 };
  GTask *task;

  if (context == NULL)
    {
      context = g_main_context_new ();
      g_private_set (&sync_context, context);
    }

  g_mutex_init (&waiter.lock);
  g_cond_init (&waiter.cond);

  g_main_context_push_thread_default (context);
  task = schedule_job (self, source_tag, func, data, destroy, &waiter, NULL, NULL, NULL);
  g_main_context_pop_thread_default (context);

  if (!self->spin || !spin_until_set (&waiter.done))
    {
      g_mutex_lock (&waiter.lock);
      while (!g_atomic_int_get (&waiter.done))
        g_cond_wait (&waiter.cond, &waiter.lock);
      g_mutex_unlock (&waiter.lock);
    }

  /* The worker sets the flag while holding the lock: taking it once more
   * makes sure it has let go before the waiter goes out of scope. */
  g_mutex_lock (&waiter.lock);
  g_mutex_unlock (&waiter.lock);
  g_mutex_clear (&waiter.lock);
  g_cond_clear (&waiter.cond);

  while (g_main_context_iteration (context, FALSE))
    ;

  return G_ASYNC_RESULT (task);
}

/* Opening and migrations ---------------------------------------------------- */

static gboolean
check_integrity (WaVault  *self,
                 GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  const char *result;

  stmt = wa_vault_prepare (self, "PRAGMA quick_check", error);
  if (stmt == NULL)
    return FALSE;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      wa_vault_set_db_error (self, error, "check the database");
      return FALSE;
    }

  result = (const char *) sqlite3_column_text (stmt, 0);
  if (g_strcmp0 (result, "ok") != 0)
    {
      g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_CORRUPT,
                   "The vault database %s is damaged (%s); restore it from a backup — WebAgent has not changed it",
                   self->path, result);
      return FALSE;
    }

  return TRUE;
}

static gboolean
migrate (WaVault  *self,
         GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int version;

  stmt = wa_vault_prepare (self, "PRAGMA user_version", error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      wa_vault_set_db_error (self, error, "read the schema version");
      return FALSE;
    }
  version = sqlite3_column_int (stmt, 0);
  /* A statement left active would keep migrations from dropping tables. */
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (version > WA_VAULT_SCHEMA_VERSION)
    {
      g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_TOO_NEW,
                   "The vault database was written by a newer WebAgent (schema %d, this one knows %d); update WebAgent",
                   version, WA_VAULT_SCHEMA_VERSION);
      return FALSE;
    }

  for (; version < WA_VAULT_SCHEMA_VERSION; version++)
    {
      g_autofree char *set_version = NULL;

      if (!wa_vault_exec (self, "BEGIN IMMEDIATE", error))
        return FALSE;

      for (guint i = 0; migrations[version][i] != NULL; i++)
        {
          if (!wa_vault_exec (self, migrations[version][i], error))
            {
              sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
              return FALSE;
            }
        }

      set_version = g_strdup_printf ("PRAGMA user_version = %d", version + 1);
      if (!wa_vault_exec (self, set_version, error) || !wa_vault_exec (self, "COMMIT", error))
        {
          sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
          return FALSE;
        }

      g_debug ("Migrated %s to schema %d", self->path, version + 1);
    }

  self->schema_version = version;

  return TRUE;
}

static gboolean
has_schema (WaVault  *self,
            GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  stmt = wa_vault_prepare (self, "SELECT count(*) FROM sqlite_schema", error);
  if (stmt == NULL)
    return FALSE;

  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      wa_vault_set_db_error (self, error, "read the schema");
      return FALSE;
    }

  if (sqlite3_column_int (stmt, 0) == 0)
    {
      g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_CORRUPT,
                   "The vault database %s is damaged: it is empty, so its records are lost; restore it from a backup — WebAgent has not changed it",
                   self->path);
      return FALSE;
    }

  return TRUE;
}

static void
open_job (WaVault  *self,
          GTask    *task,
          gpointer  data)
{
  WaVaultOpenFlags flags = GPOINTER_TO_UINT (data);
  g_autoptr(GError) error = NULL;
  int open_flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_NOMUTEX;
  int rc;

  if (flags & WA_VAULT_OPEN_FLAGS_CREATE)
    {
      /* Create the file ourselves so that it is private from the start;
       * SQLite gives its -wal and -shm files the same mode. */
      int fd = g_open (self->path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

      if (fd >= 0)
        close (fd);
      open_flags |= SQLITE_OPEN_CREATE;
    }

  rc = sqlite3_open_v2 (self->path, &self->db, open_flags, NULL);
  if (rc != SQLITE_OK)
    {
      g_task_return_new_error (task, WA_VAULT_ERROR, WA_VAULT_ERROR_OPEN,
                               "Could not open the vault database %s: %s; check that the folder exists and is writable",
                               self->path, self->db != NULL ? sqlite3_errmsg (self->db) : sqlite3_errstr (rc));
      return;
    }

  sqlite3_busy_timeout (self->db, 5000);

  /* Check before anything writes, so a damaged file is left as it is.  An
   * existing vault must have a schema: an empty file is a lost database,
   * not a new one. */
  if (!check_integrity (self, &error) ||
      (!(flags & WA_VAULT_OPEN_FLAGS_CREATE) && !has_schema (self, &error)) ||
      !wa_vault_exec (self, "PRAGMA journal_mode = WAL", &error) ||
      !wa_vault_exec (self, "PRAGMA synchronous = FULL", &error) ||
      !wa_vault_exec (self, "PRAGMA secure_delete = ON", &error) ||
      !wa_vault_exec (self, "PRAGMA foreign_keys = ON", &error) ||
      !migrate (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/**
 * wa_vault_open:
 * @path: the database file, created if missing
 *
 * Opens (or creates) a vault database, checks it, and brings its schema up
 * to date.  A damaged database is reported and left untouched.
 */
WaVault *
wa_vault_open (const char  *path,
               GError     **error)
{
  return wa_vault_open_full (path, WA_VAULT_OPEN_FLAGS_CREATE, error);
}

/**
 * wa_vault_open_full:
 * @flags: %WA_VAULT_OPEN_FLAGS_CREATE to create a missing or empty
 *   database; without it, the database must exist and hold a schema
 *
 * Like wa_vault_open().
 */
WaVault *
wa_vault_open_full (const char        *path,
                    WaVaultOpenFlags   flags,
                    GError           **error)
{
  g_autoptr(WaVault) self = NULL;
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (path != NULL, NULL);

  self = g_object_new (WA_TYPE_VAULT, NULL);
  self->path = g_strdup (path);
  self->thread = g_thread_new ("wa-vault", worker_thread, self);

  result = wa_vault_run_sync (self, wa_vault_open_full, open_job, GUINT_TO_POINTER (flags), NULL);
  if (!g_task_propagate_boolean (G_TASK (result), error))
    {
      wa_vault_close (self);
      return NULL;
    }

  return g_steal_pointer (&self);
}

static void
close_job (WaVault  *self,
           GTask    *task,
           gpointer  data)
{
  if (self->db != NULL)
    {
      wa_vault_flush_access (self);
      g_clear_pointer (&self->insert_stmt, sqlite3_finalize);
      g_clear_pointer (&self->select_stmt, sqlite3_finalize);
      for (guint i = 0; i < G_N_ELEMENTS (self->audit_stmts); i++)
        g_clear_pointer (&self->audit_stmts[i], sqlite3_finalize);
      sqlite3_close_v2 (self->db);
      self->db = NULL;
    }
  g_hash_table_remove_all (self->scope_key_cache);
  g_clear_pointer (&self->audit_key, wa_secure_bytes_unref);
  g_task_return_boolean (task, TRUE);
}

/**
 * wa_vault_close:
 *
 * Flushes pending writes, closes the database and stops the worker.
 */
void
wa_vault_close (WaVault *self)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GMainContext) context = NULL;
  GTask *stop;

  g_return_if_fail (WA_IS_VAULT (self));

  if (self->closed)
    return;

  result = wa_vault_run_sync (self, wa_vault_close, close_job, NULL, NULL);
  self->closed = TRUE;

  context = g_main_context_new ();
  g_main_context_push_thread_default (context);
  stop = g_task_new (self, NULL, NULL, NULL);
  g_task_set_source_tag (stop, worker_thread);
  g_atomic_int_inc (&self->queued);
  g_async_queue_push (self->queue, stop);
  g_thread_join (g_steal_pointer (&self->thread));
  while (g_main_context_pending (context))
    g_main_context_iteration (context, FALSE);
  g_main_context_pop_thread_default (context);
}

static void
wa_vault_dispose (GObject *object)
{
  WaVault *self = (WaVault *)object;

  if (self->thread != NULL)
    wa_vault_close (self);

  G_OBJECT_CLASS (wa_vault_parent_class)->dispose (object);
}

static void
wa_vault_finalize (GObject *object)
{
  WaVault *self = (WaVault *)object;

  wa_vault_forget_keys (self);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->tenant_id, g_free);
  g_clear_pointer (&self->path, g_free);
  g_clear_pointer (&self->queue, g_async_queue_unref);
  g_clear_pointer (&self->trusted_signers, g_ptr_array_unref);
  g_clear_pointer (&self->scope_key_cache, g_hash_table_unref);
  g_clear_pointer (&self->pending_access, g_hash_table_unref);
  g_clear_pointer (&self->record_key, wa_secure_bytes_unref);
  g_mutex_clear (&self->keys_lock);

  G_OBJECT_CLASS (wa_vault_parent_class)->finalize (object);
}

static void
wa_vault_class_init (WaVaultClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = wa_vault_dispose;
  object_class->finalize = wa_vault_finalize;
}

static void
wa_vault_init (WaVault *self)
{
  g_mutex_init (&self->keys_lock);
  self->queue = g_async_queue_new ();
  self->n_processors = g_get_num_processors ();
  self->spin = self->n_processors > 1;
  self->trusted_signers = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  self->scope_key_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                 (GDestroyNotify) wa_secure_bytes_unref);
  self->pending_access = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->record_key = wa_secure_bytes_new (WA_AEAD_KEY_SIZE);
}

const char *
wa_vault_get_path (WaVault *self)
{
  g_return_val_if_fail (WA_IS_VAULT (self), NULL);

  return self->path;
}

int
wa_vault_get_schema_version (WaVault *self)
{
  g_return_val_if_fail (WA_IS_VAULT (self), 0);

  return self->schema_version;
}

/* Keys ----------------------------------------------------------------------- */

static void
forget_job (WaVault  *self,
            GTask    *task,
            gpointer  data)
{
  g_hash_table_remove_all (self->scope_key_cache);
  g_task_return_boolean (task, TRUE);
}

static void
clear_scope_key_cache (WaVault *self)
{
  if (self->thread != NULL && !self->closed)
    {
      g_autoptr(GAsyncResult) result = wa_vault_run_sync (self, clear_scope_key_cache, forget_job, NULL, NULL);
    }
}

/**
 * wa_vault_set_keys:
 * @user_id: the owner of the user scope
 * @keyring: the unlocked keyring: signs records, and its vault key wraps
 *   user-owned scope keys
 * @tenant_keys: (nullable): the tenant's key provider, whose data subkey
 *   wraps tenant-owned scope keys
 */
void
wa_vault_set_keys (WaVault       *self,
                   const char    *user_id,
                   WaKeyring     *keyring,
                   WaKeyProvider *tenant_keys)
{
  g_return_if_fail (WA_IS_VAULT (self));
  g_return_if_fail (user_id != NULL);
  g_return_if_fail (WA_IS_KEYRING (keyring));
  g_return_if_fail (tenant_keys == NULL || WA_IS_KEY_PROVIDER (tenant_keys));

  g_mutex_lock (&self->keys_lock);
  g_set_object (&self->keyring, keyring);
  g_set_object (&self->tenant_keys, tenant_keys);
  g_free (self->user_id);
  self->user_id = g_strdup (user_id);
  g_free (self->tenant_id);
  self->tenant_id = g_strdup (tenant_keys != NULL ? wa_key_provider_get_tenant_id (tenant_keys) : "");
  g_mutex_unlock (&self->keys_lock);

  /* Scope keys cached under the previous keys must not outlive them. */
  clear_scope_key_cache (self);

  wa_vault_add_trusted_signer (self, wa_keyring_get_sign_public_key (keyring));
}

/**
 * wa_vault_forget_keys:
 *
 * Drops the vault's references to the keys and wipes every unwrapped scope
 * key the worker had cached.  Reading and writing fail until keys are set.
 */
void
wa_vault_forget_keys (WaVault *self)
{
  g_return_if_fail (WA_IS_VAULT (self));

  g_mutex_lock (&self->keys_lock);
  g_clear_object (&self->keyring);
  g_clear_object (&self->tenant_keys);
  g_mutex_unlock (&self->keys_lock);

  clear_scope_key_cache (self);
}

gboolean
wa_vault_is_locked (WaVault *self)
{
  gboolean locked;

  g_return_val_if_fail (WA_IS_VAULT (self), TRUE);

  g_mutex_lock (&self->keys_lock);
  locked = self->keyring == NULL;
  g_mutex_unlock (&self->keys_lock);

  return locked;
}

void
wa_vault_add_trusted_signer (WaVault      *self,
                             const guint8 *public_key)
{
  g_return_if_fail (WA_IS_VAULT (self));
  g_return_if_fail (public_key != NULL);

  g_mutex_lock (&self->keys_lock);
  for (guint i = 0; i < self->trusted_signers->len; i++)
    {
      if (memcmp (g_bytes_get_data (g_ptr_array_index (self->trusted_signers, i), NULL),
                  public_key, WA_SIGN_PUBLIC_KEY_SIZE) == 0)
        {
          g_mutex_unlock (&self->keys_lock);
          return;
        }
    }
  g_ptr_array_add (self->trusted_signers, g_bytes_new (public_key, WA_SIGN_PUBLIC_KEY_SIZE));
  g_mutex_unlock (&self->keys_lock);
}

char *
wa_vault_user_scope (WaVault *self)
{
  char *scope;

  g_return_val_if_fail (WA_IS_VAULT (self), NULL);

  g_mutex_lock (&self->keys_lock);
  scope = self->user_id != NULL ? g_strconcat ("user:", self->user_id, NULL) : NULL;
  g_mutex_unlock (&self->keys_lock);

  return scope;
}

char *
wa_vault_tenant_scope (WaVault *self)
{
  char *scope;

  g_return_val_if_fail (WA_IS_VAULT (self), NULL);

  g_mutex_lock (&self->keys_lock);
  scope = self->tenant_id != NULL && *self->tenant_id ? g_strconcat ("tenant:", self->tenant_id, NULL) : NULL;
  g_mutex_unlock (&self->keys_lock);

  return scope;
}

void
wa_vault_key_snapshot_clear (KeySnapshot *keys)
{
  g_clear_pointer (&keys->user_id, g_free);
  g_clear_pointer (&keys->tenant_id, g_free);
  g_clear_object (&keys->keyring);
  g_clear_object (&keys->tenant_keys);
}


gboolean
wa_vault_take_keys (WaVault      *self,
                    KeySnapshot  *keys,
                    GError      **error)
{
  g_mutex_lock (&self->keys_lock);
  if (self->keyring != NULL && !wa_keyring_is_wiped (self->keyring))
    {
      keys->user_id = g_strdup (self->user_id);
      keys->tenant_id = g_strdup (self->tenant_id);
      keys->keyring = g_object_ref (self->keyring);
      keys->tenant_keys = self->tenant_keys != NULL ? g_object_ref (self->tenant_keys) : NULL;
    }
  g_mutex_unlock (&self->keys_lock);

  if (keys->keyring == NULL)
    {
      g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_LOCKED,
                   "The vault is locked; unlock the profile and try again");
      return FALSE;
    }

  return TRUE;
}

static GBytes *
scope_key_ad (const char *scope_id,
              const char *tenant_id,
              const char *owner)
{
  WaAeadContext context = {
    .record_id = scope_id,
    .tenant_id = tenant_id,
    .record_type = "scope-key",
    .format_version = WA_VAULT_FORMAT_VERSION,
    .purpose = owner,
  };

  return wa_aead_context_encode (&context);
}

/* The key that wraps scope keys of @owner: the user's vault key, or the
 * tenant data subkey. */
static WaSecureBytes *
owner_root_key (KeySnapshot  *keys,
                const char   *owner,
                GError      **error)
{
  if (g_strcmp0 (owner, "user") == 0)
    return wa_secure_bytes_new_from_data (wa_keyring_get_vault_key (keys->keyring), WA_AEAD_KEY_SIZE);

  if (keys->tenant_keys == NULL)
    {
      g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_LOCKED,
                   "This record belongs to a tenant whose key is not available; join the tenant or unlock its key");
      return NULL;
    }

  return wa_key_provider_derive_subkey (keys->tenant_keys, WA_TENANT_SUBKEY_DATA, error);
}

static const char *
scope_owner (const char *scope_id)
{
  return g_str_has_prefix (scope_id, "tenant:") ? "tenant" : "user";
}

/* Worker thread: finds, or with @create makes, the key of @scope_id. */
WaSecureBytes *
wa_vault_lookup_scope_key (WaVault      *self,
                           KeySnapshot  *keys,
                           const char   *scope_id,
                           gboolean      create,
                           GError      **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(WaSecureBytes) root = NULL;
  g_autoptr(WaSecureBytes) scope_key = NULL;
  g_autoptr(GBytes) ad = NULL;
  WaSecureBytes *cached;
  const char *owner;
  int rc;

  cached = g_hash_table_lookup (self->scope_key_cache, scope_id);
  if (cached != NULL)
    return wa_secure_bytes_ref (cached);

  stmt = wa_vault_prepare (self, "SELECT owner, wrapped_key, tenant_id FROM scope_keys WHERE scope_id = ?", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, scope_id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (stmt);

  if (rc == SQLITE_ROW)
    {
      g_autoptr(GBytes) wrapped = NULL;
      g_autoptr(GError) local_error = NULL;
      const char *tenant_id = (const char *) sqlite3_column_text (stmt, 2);

      owner = (const char *) sqlite3_column_text (stmt, 0);
      wrapped = g_bytes_new (sqlite3_column_blob (stmt, 1), sqlite3_column_bytes (stmt, 1));
      root = owner_root_key (keys, owner, error);
      if (root == NULL)
        return NULL;
      ad = scope_key_ad (scope_id, tenant_id, owner);
      scope_key = wa_crypto_aead_open_secure (wa_secure_bytes_get_data (root), wrapped, ad, &local_error);
      if (scope_key == NULL)
        {
          g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_TAMPERED,
                       "The key of scope %s cannot be opened with this profile's keys; it was changed or belongs to another profile",
                       scope_id);
          return NULL;
        }
    }
  else if (rc == SQLITE_DONE && create)
    {
      g_autoptr(sqlite3_stmt) insert = NULL;
      g_autoptr(GBytes) wrapped = NULL;

      owner = scope_owner (scope_id);
      root = owner_root_key (keys, owner, error);
      if (root == NULL)
        return NULL;
      scope_key = wa_secure_bytes_new_random (WA_AEAD_KEY_SIZE);
      ad = scope_key_ad (scope_id, keys->tenant_id, owner);
      wrapped = wa_crypto_aead_seal (wa_secure_bytes_get_data (root),
                                     wa_secure_bytes_get_data (scope_key), WA_AEAD_KEY_SIZE, ad);

      insert = wa_vault_prepare (self, "INSERT INTO scope_keys (scope_id, owner, tenant_id, wrapped_key, created_at) "
                                 "VALUES (?, ?, ?, ?, ?)", error);
      if (insert == NULL)
        return NULL;
      sqlite3_bind_text (insert, 1, scope_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_text (insert, 2, owner, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 3, keys->tenant_id, -1, SQLITE_TRANSIENT);
      sqlite3_bind_blob (insert, 4, g_bytes_get_data (wrapped, NULL), g_bytes_get_size (wrapped), SQLITE_TRANSIENT);
      sqlite3_bind_int64 (insert, 5, g_get_real_time ());
      if (sqlite3_step (insert) != SQLITE_DONE)
        {
          wa_vault_set_db_error (self, error, "store a scope key");
          return NULL;
        }
    }
  else if (rc == SQLITE_DONE)
    {
      g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_KEY_ERASED,
                   "The key of scope %s was erased, so its records can no longer be decrypted",
                   scope_id);
      return NULL;
    }
  else
    {
      wa_vault_set_db_error (self, error, "read a scope key");
      return NULL;
    }

  wa_secure_bytes_seal (scope_key);
  g_hash_table_insert (self->scope_key_cache, g_strdup (scope_id), wa_secure_bytes_ref (scope_key));

  return g_steal_pointer (&scope_key);
}
