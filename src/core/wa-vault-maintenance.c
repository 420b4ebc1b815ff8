/* wa-vault-maintenance.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-vault"

#include "config.h"

#include "wa-audit-log-private.h"
#include "wa-vault-private.h"

/* List, delete, erase ------------------------------------------------------- */

static void
list_job (WaVault  *self,
          GTask    *task,
          gpointer  task_data)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(GPtrArray) records = g_ptr_array_new_with_free_func ((GDestroyNotify) wa_vault_record_free);
  g_autoptr(GError) error = NULL;
  int rc;

  wa_vault_flush_access (self);

  select = wa_vault_prepare (self, "SELECT " RECORD_COLUMNS " FROM records ORDER BY created_at, id", &error);
  if (select == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    g_ptr_array_add (records, wa_vault_record_from_row (select));

  if (rc != SQLITE_DONE)
    {
      wa_vault_set_db_error (self, &error, "list the records");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&records), (GDestroyNotify) g_ptr_array_unref);
}

void
wa_vault_list_async (WaVault             *self,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_return_if_fail (WA_IS_VAULT (self));

  wa_vault_schedule (self, wa_vault_list_async, list_job, NULL, NULL, cancellable, callback, user_data);
}

/**
 * wa_vault_list_finish:
 *
 * Returns: (transfer full) (element-type WaVaultRecord): every record's
 *   header, oldest first.  Listing needs no key.
 */
GPtrArray *
wa_vault_list_finish (WaVault       *self,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (WA_IS_VAULT (self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GPtrArray *
wa_vault_list (WaVault  *self,
               GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (WA_IS_VAULT (self), NULL);

  result = wa_vault_run_sync (self, wa_vault_list_async, list_job, NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

typedef struct
{
  const char *sql;
  char       *id;
  gboolean    is_scope;
} DeleteData;

static void
delete_data_free (gpointer data)
{
  DeleteData *delete = data;

  g_free (delete->id);
  g_free (delete);
}

static void
delete_job (WaVault  *self,
            GTask    *task,
            gpointer  task_data)
{
  DeleteData *delete = task_data;
  g_auto(KeySnapshot) keys = { NULL };
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) metadata = json_object_new ();
  WaAuditEvent event = {
    .event_type = delete->is_scope ? "vault.erase_scope" : "vault.delete",
    .action = delete->is_scope ? "erase_scope" : "delete",
    .outcome = WA_AUDIT_OUTCOME_SUCCESS,
    .risk_score = delete->is_scope ? 40 : 10,
    .metadata = metadata,
  };
  g_autofree char *resource = NULL;

  /* A deletion is recorded in the audit log in the same transaction, so
   * it needs the keys that sign the log. */
  if (!wa_vault_take_keys (self, &keys, &error) ||
      (stmt = wa_vault_prepare (self, delete->sql, &error)) == NULL ||
      !wa_vault_exec (self, "BEGIN IMMEDIATE", &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  sqlite3_bind_text (stmt, 1, delete->id, -1, SQLITE_STATIC);
  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      wa_vault_set_db_error (self, &error, "delete");
      goto rollback;
    }

  if (sqlite3_changes (self->db) == 0)
    {
      if (delete->is_scope)
        g_set_error (&error, WA_VAULT_ERROR, WA_VAULT_ERROR_NOT_FOUND,
                     "No scope is called %s; nothing was erased", delete->id);
      else
        g_set_error (&error, WA_VAULT_ERROR, WA_VAULT_ERROR_NOT_FOUND,
                     "No record has the id %s; run “vault list” to see the ids", delete->id);
      goto rollback;
    }

  /* A user scope is named by the user id, which the public header must
   * not show: the body has it. */
  if (delete->is_scope && g_str_has_prefix (delete->id, "user:"))
    resource = g_strdup ("vault-scope:user");
  else
    resource = g_strconcat (delete->is_scope ? "vault-scope:" : "vault-record:", delete->id, NULL);
  json_object_set_string_member (metadata, delete->is_scope ? "scope" : "record_id", delete->id);
  event.resource = resource;
  if (!wa_audit_log_append_locked (self, &keys, &event, 1, NULL, &error) ||
      !wa_vault_exec (self, "COMMIT", &error))
    goto rollback;

  /* secure_delete zeroes the freed pages; a checkpoint moves that into
   * the main file so the old bytes do not linger in the WAL either. */
  g_hash_table_remove (self->scope_key_cache, delete->id);
  if (sqlite3_wal_checkpoint_v2 (self->db, NULL, SQLITE_CHECKPOINT_TRUNCATE, NULL, NULL) != SQLITE_OK &&
      delete->is_scope)
    {
      /* The key is gone from the database, but its old bytes may still
       * be in the write-ahead log: crypto-shredding is not done yet. */
      g_task_return_new_error (task, WA_VAULT_ERROR, WA_VAULT_ERROR_DATABASE,
                               "The key of scope %s was deleted, but another program reading the vault keeps "
                               "a copy in its log; close it and erase the scope again", delete->id);
      return;
    }
  g_task_return_boolean (task, TRUE);
  return;

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_task_return_error (task, g_steal_pointer (&error));
}

static gboolean
run_delete (WaVault     *self,
            gpointer     source_tag,
            const char  *sql,
            const char  *id,
            gboolean     is_scope,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  DeleteData *delete = g_new0 (DeleteData, 1);

  delete->sql = sql;
  delete->id = g_strdup (id);
  delete->is_scope = is_scope;
  result = wa_vault_run_sync (self, source_tag, delete_job, delete, delete_data_free);

  return g_task_propagate_boolean (G_TASK (result), error);
}

gboolean
wa_vault_delete (WaVault     *self,
                 const char  *id,
                 GError     **error)
{
  g_return_val_if_fail (WA_IS_VAULT (self), FALSE);
  g_return_val_if_fail (id != NULL, FALSE);

  return run_delete (self, wa_vault_delete, "DELETE FROM records WHERE id = ?", id,
                     FALSE, error);
}

/**
 * wa_vault_erase_scope:
 *
 * Crypto-shredding: deletes the key of @scope_id, with secure_delete so
 * the database keeps no copy.  Its records stay as ciphertext that nobody
 * can decrypt any more, wherever copies of them went.
 */
gboolean
wa_vault_erase_scope (WaVault     *self,
                      const char  *scope_id,
                      GError     **error)
{
  g_return_val_if_fail (WA_IS_VAULT (self), FALSE);
  g_return_val_if_fail (scope_id != NULL, FALSE);

  return run_delete (self, wa_vault_erase_scope, "DELETE FROM scope_keys WHERE scope_id = ?", scope_id,
                     TRUE, error);
}

/* Verify --------------------------------------------------------------------- */

static void
verify_job (WaVault  *self,
            GTask    *task,
            gpointer  task_data)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) wa_vault_problem_free);
  g_autoptr(GError) error = NULL;
  int rc;

  select = wa_vault_prepare (self, "SELECT " RECORD_COLUMNS " FROM records ORDER BY created_at, id", &error);
  if (select == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      g_autoptr(GError) local_error = NULL;

      if (g_task_return_error_if_cancelled (task))
        return;

      if (!wa_vault_check_row (self, select, &local_error))
        {
          WaVaultProblem *problem = g_new0 (WaVaultProblem, 1);

          problem->record_id = g_strdup (wa_vault_column_text (select, COL_ID));
          problem->message = g_strdup (local_error->message);
          g_ptr_array_add (problems, problem);
        }
    }

  if (rc != SQLITE_DONE)
    {
      wa_vault_set_db_error (self, &error, "read the records");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&problems), (GDestroyNotify) g_ptr_array_unref);
}

void
wa_vault_verify_async (WaVault             *self,
                       GCancellable        *cancellable,
                       GAsyncReadyCallback  callback,
                       gpointer             user_data)
{
  g_return_if_fail (WA_IS_VAULT (self));

  wa_vault_schedule (self, wa_vault_verify_async, verify_job, NULL, NULL, cancellable, callback, user_data);
}

/**
 * wa_vault_verify_finish:
 *
 * Returns: (transfer full) (element-type WaVaultProblem): the problems
 *   found, empty if every record is intact.
 */
GPtrArray *
wa_vault_verify_finish (WaVault       *self,
                        GAsyncResult  *result,
                        GError       **error)
{
  g_return_val_if_fail (WA_IS_VAULT (self), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

GPtrArray *
wa_vault_verify (WaVault  *self,
                 GError  **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (WA_IS_VAULT (self), NULL);

  result = wa_vault_run_sync (self, wa_vault_verify_async, verify_job, NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
