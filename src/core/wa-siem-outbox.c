/* wa-siem-outbox.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-siem-outbox"

#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "wa-audit-log-private.h"
#include "wa-json.h"
#include "wa-siem-outbox.h"

/**
 * WaSiemOutbox:
 *
 * The SIEM destinations of a profile and how far each has got.  The audit
 * log is itself the outbox: it is durable, ordered and append-only, so a
 * destination only keeps the index of the first entry it has not
 * acknowledged.  While a receiver is down its index stays put and the
 * entries wait in the log; when it returns they go in order from there.
 * The index moves only after a receiver has acknowledged a batch, in a
 * durable transaction, so a restart resumes after the last acknowledged
 * batch.
 */
struct _WaSiemOutbox
{
  GObject  parent_instance;

  WaVault *vault;
};

G_DEFINE_FINAL_TYPE (WaSiemOutbox, wa_siem_outbox, G_TYPE_OBJECT)
G_DEFINE_QUARK (wa_siem_outbox_error_quark, wa_siem_outbox_error)

static const char *kinds[] = { "syslog", "splunk-hec", "sentinel" };

void
wa_siem_destination_free (WaSiemDestination *destination)
{
  if (destination == NULL)
    return;

  g_free (destination->name);
  g_free (destination->kind);
  g_free (destination->config);
  g_free (destination->credential_id);
  g_free (destination->last_error);
  g_free (destination);
}

typedef struct
{
  char    *name;
  char    *kind;
  char    *config;
  char    *credential_id;
  char    *message;
  gboolean from_start;
  guint64  sent_from;
  guint64  next_index;
} Operation;

static void
operation_free (gpointer data)
{
  Operation *op = data;

  g_free (op->name);
  g_free (op->kind);
  g_free (op->config);
  g_free (op->credential_id);
  g_free (op->message);
  g_free (op);
}

static Operation *
operation_new (const char *name)
{
  Operation *op = g_new0 (Operation, 1);

  op->name = g_strdup (name);

  return op;
}

static gboolean
not_found (GError    **error,
           const char *name)
{
  g_set_error (error, WA_SIEM_OUTBOX_ERROR, WA_SIEM_OUTBOX_ERROR_NOT_FOUND,
               "No SIEM destination is called “%s”; run “webagent-cli siem list” to see them", name);
  return FALSE;
}

static gint64
log_size (WaVault  *vault,
          GError  **error)
{
  g_autoptr(sqlite3_stmt) last = wa_vault_prepare (vault, "SELECT max(idx) FROM audit_entries", error);

  if (last == NULL)
    return -1;
  if (sqlite3_step (last) == SQLITE_ROW && sqlite3_column_type (last, 0) != SQLITE_NULL)
    return sqlite3_column_int64 (last, 0) + 1;

  return 0;
}

/* Runs @body in a write transaction, together with the audit entry of
 * @event when there is one. */
static gboolean
in_transaction (WaVault             *vault,
                gboolean (*body)(WaVault   *vault,
                                 Operation *op,
                                 GError   **error),
                Operation           *op,
                const WaAuditEvent  *event,
                GError             **error)
{
  g_auto(KeySnapshot) keys = { NULL };

  if ((event != NULL && !wa_vault_take_keys (vault, &keys, error)) ||
      !wa_vault_exec (vault, "BEGIN IMMEDIATE", error))
    return FALSE;

  if (!body (vault, op, error) ||
      (event != NULL && !wa_audit_log_append_locked (vault, &keys, event, 1, NULL, error)) ||
      !wa_vault_exec (vault, "COMMIT", error))
    {
      sqlite3_exec (vault->db, "ROLLBACK", NULL, NULL, NULL);
      return FALSE;
    }

  return TRUE;
}

static gboolean
add_body (WaVault   *vault,
          Operation *op,
          GError   **error)
{
  g_autoptr(sqlite3_stmt) insert = NULL;
  gint64 next_index = 0;

  if (!op->from_start && (next_index = log_size (vault, error)) < 0)
    return FALSE;

  insert = wa_vault_prepare (vault,
                             "INSERT INTO siem_destinations (name, kind, config, credential_id, next_index, created_at) "
                             "VALUES (?, ?, ?, ?, ?, ?)", error);
  if (insert == NULL)
    return FALSE;

  sqlite3_bind_text (insert, 1, op->name, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, op->kind, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, op->config, -1, SQLITE_STATIC);
  if (op->credential_id != NULL)
    sqlite3_bind_text (insert, 4, op->credential_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 5, next_index);
  sqlite3_bind_int64 (insert, 6, g_get_real_time ());
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      if ((sqlite3_extended_errcode (vault->db) & 0xff) == SQLITE_CONSTRAINT)
        g_set_error (error, WA_SIEM_OUTBOX_ERROR, WA_SIEM_OUTBOX_ERROR_EXISTS,
                     "A SIEM destination called “%s” exists already; remove it first or choose another name",
                     op->name);
      else
        wa_vault_set_db_error (vault, error, "add a SIEM destination");
      return FALSE;
    }

  return TRUE;
}

static gboolean
remove_body (WaVault   *vault,
             Operation *op,
             GError   **error)
{
  g_autoptr(sqlite3_stmt) delete = wa_vault_prepare (vault, "DELETE FROM siem_destinations WHERE name = ?", error);

  if (delete == NULL)
    return FALSE;

  sqlite3_bind_text (delete, 1, op->name, -1, SQLITE_STATIC);
  if (sqlite3_step (delete) != SQLITE_DONE)
    {
      wa_vault_set_db_error (vault, error, "remove a SIEM destination");
      return FALSE;
    }
  if (sqlite3_changes (vault->db) == 0)
    return not_found (error, op->name);

  return TRUE;
}

static gboolean
acknowledge_body (WaVault   *vault,
                  Operation *op,
                  GError   **error)
{
  g_autoptr(sqlite3_stmt) update = NULL;
  gint64 size = log_size (vault, error);

  if (size < 0)
    return FALSE;
  if (op->next_index < op->sent_from || op->next_index > (guint64) size)
    {
      g_set_error (error, WA_SIEM_OUTBOX_ERROR, WA_SIEM_OUTBOX_ERROR_INVALID,
                   "Entries %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT " are not in the audit log",
                   op->sent_from, op->next_index);
      return FALSE;
    }

  /* Only from where the destination stood: two senders must not both
   * move it. */
  update = wa_vault_prepare (vault,
                             "UPDATE siem_destinations SET next_index = ?, attempts = 0, last_error = NULL, "
                             "last_attempt_at = ? WHERE name = ? AND next_index = ?", error);
  if (update == NULL)
    return FALSE;

  sqlite3_bind_int64 (update, 1, op->next_index);
  sqlite3_bind_int64 (update, 2, g_get_real_time ());
  sqlite3_bind_text (update, 3, op->name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (update, 4, op->sent_from);
  if (sqlite3_step (update) != SQLITE_DONE)
    {
      wa_vault_set_db_error (vault, error, "record what a SIEM destination received");
      return FALSE;
    }
  if (sqlite3_changes (vault->db) == 0)
    {
      g_set_error (error, WA_SIEM_OUTBOX_ERROR, WA_SIEM_OUTBOX_ERROR_CONFLICT,
                   "The SIEM destination “%s” is not at entry %" G_GUINT64_FORMAT
                   ": another sender moved it, or it was removed", op->name, op->sent_from);
      return FALSE;
    }

  return TRUE;
}

static gboolean
failure_body (WaVault   *vault,
              Operation *op,
              GError   **error)
{
  g_autoptr(sqlite3_stmt) update = NULL;

  update = wa_vault_prepare (vault,
                             "UPDATE siem_destinations SET attempts = attempts + 1, last_error = ?, "
                             "last_attempt_at = ? WHERE name = ?", error);
  if (update == NULL)
    return FALSE;

  sqlite3_bind_text (update, 1, op->message, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (update, 2, g_get_real_time ());
  sqlite3_bind_text (update, 3, op->name, -1, SQLITE_STATIC);
  if (sqlite3_step (update) != SQLITE_DONE)
    {
      wa_vault_set_db_error (vault, error, "record a failed send");
      return FALSE;
    }
  if (sqlite3_changes (vault->db) == 0)
    return not_found (error, op->name);

  return TRUE;
}

static void
add_job (WaVault  *vault,
         GTask    *task,
         gpointer  data)
{
  Operation *op = data;
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autofree char *resource = g_strconcat ("siem-destination:", op->name, NULL);
  g_autoptr(GError) error = NULL;
  WaAuditEvent event = {
    .event_type = "siem.destination_add",
    .resource = resource,
    .action = "add",
    .outcome = WA_AUDIT_OUTCOME_SUCCESS,
    .risk_score = 30,
    .metadata = metadata,
  };

  json_object_set_string_member (metadata, "kind", op->kind);
  json_object_set_boolean_member (metadata, "from_start", op->from_start);
  if (!in_transaction (vault, add_body, op, &event, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
remove_job (WaVault  *vault,
            GTask    *task,
            gpointer  data)
{
  Operation *op = data;
  g_autofree char *resource = g_strconcat ("siem-destination:", op->name, NULL);
  g_autoptr(GError) error = NULL;
  WaAuditEvent event = {
    .event_type = "siem.destination_remove",
    .resource = resource,
    .action = "remove",
    .outcome = WA_AUDIT_OUTCOME_SUCCESS,
    .risk_score = 30,
  };

  if (!in_transaction (vault, remove_body, op, &event, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
acknowledge_job (WaVault  *vault,
                 GTask    *task,
                 gpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (!in_transaction (vault, acknowledge_body, data, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
failure_job (WaVault  *vault,
             GTask    *task,
             gpointer  data)
{
  g_autoptr(GError) error = NULL;

  if (!in_transaction (vault, failure_body, data, NULL, &error))
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
list_job (WaVault  *vault,
          GTask    *task,
          gpointer  data)
{
  Operation *op = data;
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(GPtrArray) destinations = g_ptr_array_new_with_free_func ((GDestroyNotify) wa_siem_destination_free);
  g_autoptr(GError) error = NULL;
  int rc;

  select = wa_vault_prepare (vault,
                             "SELECT name, kind, config, credential_id, next_index, attempts, last_error, "
                             "last_attempt_at FROM siem_destinations WHERE ?1 IS NULL OR name = ?1 ORDER BY name",
                             &error);
  if (select == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  if (op != NULL)
    sqlite3_bind_text (select, 1, op->name, -1, SQLITE_STATIC);
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      WaSiemDestination *destination = g_new0 (WaSiemDestination, 1);

      destination->name = g_strdup ((const char *) sqlite3_column_text (select, 0));
      destination->kind = g_strdup ((const char *) sqlite3_column_text (select, 1));
      destination->config = g_strdup ((const char *) sqlite3_column_text (select, 2));
      destination->credential_id = g_strdup ((const char *) sqlite3_column_text (select, 3));
      destination->next_index = sqlite3_column_int64 (select, 4);
      destination->attempts = sqlite3_column_int (select, 5);
      destination->last_error = g_strdup ((const char *) sqlite3_column_text (select, 6));
      destination->last_attempt_at = sqlite3_column_int64 (select, 7);
      g_ptr_array_add (destinations, destination);
    }
  if (rc != SQLITE_DONE)
    {
      wa_vault_set_db_error (vault, &error, "read the SIEM destinations");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&destinations), (GDestroyNotify) g_ptr_array_unref);
}

/* Public API -------------------------------------------------------------- */

static void
wa_siem_outbox_finalize (GObject *object)
{
  WaSiemOutbox *self = (WaSiemOutbox *) object;

  g_clear_object (&self->vault);

  G_OBJECT_CLASS (wa_siem_outbox_parent_class)->finalize (object);
}

static void
wa_siem_outbox_class_init (WaSiemOutboxClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wa_siem_outbox_finalize;
}

static void
wa_siem_outbox_init (WaSiemOutbox *self)
{
}

WaSiemOutbox *
wa_siem_outbox_new (WaVault *vault)
{
  WaSiemOutbox *self;

  g_return_val_if_fail (WA_IS_VAULT (vault), NULL);

  self = g_object_new (WA_TYPE_SIEM_OUTBOX, NULL);
  self->vault = g_object_ref (vault);

  return self;
}

static gboolean
run (WaSiemOutbox    *self,
     gpointer         source_tag,
     WaVaultJobFunc   func,
     Operation       *op,
     GError         **error)
{
  g_autoptr(GAsyncResult) result = wa_vault_run_sync (self->vault, source_tag, func, op, operation_free);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static gboolean
check_name (const char  *name,
            GError     **error)
{
  if (name == NULL || *name == '\0' || strlen (name) > 64 || !g_str_is_ascii (name) ||
      strpbrk (name, " \t\r\n/\\\"") != NULL)
    {
      g_set_error (error, WA_SIEM_OUTBOX_ERROR, WA_SIEM_OUTBOX_ERROR_INVALID,
                   "A SIEM destination name is 1 to 64 ASCII characters without spaces, slashes or quotes");
      return FALSE;
    }

  return TRUE;
}

/**
 * wa_siem_outbox_add:
 * @kind: "syslog", "splunk-hec" or "sentinel"
 * @config: the public settings; never a secret
 * @credential_id: (nullable): the vault record that holds the credential
 * @from_start: whether the destination gets the whole log, or only what
 *   is recorded from now on (starting with its own addition)
 *
 * Adds a destination.  The addition is recorded in the audit log, so the
 * profile must be unlocked.
 */
gboolean
wa_siem_outbox_add (WaSiemOutbox  *self,
                    const char    *name,
                    const char    *kind,
                    JsonObject    *config,
                    const char    *credential_id,
                    gboolean       from_start,
                    GError       **error)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);
  Operation *op;

  g_return_val_if_fail (WA_IS_SIEM_OUTBOX (self), FALSE);
  g_return_val_if_fail (config != NULL, FALSE);

  if (!check_name (name, error))
    return FALSE;
  if (kind == NULL || !g_strv_contains (kinds, kind))
    {
      g_set_error (error, WA_SIEM_OUTBOX_ERROR, WA_SIEM_OUTBOX_ERROR_INVALID,
                   "A SIEM destination is syslog, splunk-hec or sentinel, not “%s”", kind != NULL ? kind : "");
      return FALSE;
    }

  json_node_set_object (node, config);
  op = operation_new (name);
  op->kind = g_strdup (kind);
  op->config = wa_json_canonicalize (node);
  op->credential_id = g_strdup (credential_id);
  op->from_start = from_start;

  return run (self, wa_siem_outbox_add, add_job, op, error);
}

gboolean
wa_siem_outbox_remove (WaSiemOutbox  *self,
                       const char    *name,
                       GError       **error)
{
  g_return_val_if_fail (WA_IS_SIEM_OUTBOX (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  return run (self, wa_siem_outbox_remove, remove_job, operation_new (name), error);
}

/**
 * wa_siem_outbox_list:
 *
 * Returns: (transfer full) (element-type WaSiemDestination): every
 *   destination, by name.
 */
GPtrArray *
wa_siem_outbox_list (WaSiemOutbox  *self,
                     GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (WA_IS_SIEM_OUTBOX (self), NULL);

  result = wa_vault_run_sync (self->vault, wa_siem_outbox_list, list_job, NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

WaSiemDestination *
wa_siem_outbox_get (WaSiemOutbox  *self,
                    const char    *name,
                    GError       **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) destinations = NULL;

  g_return_val_if_fail (WA_IS_SIEM_OUTBOX (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  result = wa_vault_run_sync (self->vault, wa_siem_outbox_get, list_job, operation_new (name), operation_free);
  destinations = g_task_propagate_pointer (G_TASK (result), error);
  if (destinations == NULL)
    return NULL;
  if (destinations->len == 0)
    {
      not_found (error, name);
      return NULL;
    }

  return g_ptr_array_steal_index (destinations, 0);
}

/**
 * wa_siem_outbox_acknowledge:
 * @sent_from: where the destination stood when the batch was read
 * @next_index: the first entry after the batch the receiver acknowledged
 *
 * Moves the destination on, durably.  Fails with
 * %WA_SIEM_OUTBOX_ERROR_CONFLICT if it no longer stands at @sent_from.
 */
gboolean
wa_siem_outbox_acknowledge (WaSiemOutbox  *self,
                            const char    *name,
                            guint64        sent_from,
                            guint64        next_index,
                            GError       **error)
{
  Operation *op;

  g_return_val_if_fail (WA_IS_SIEM_OUTBOX (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  op = operation_new (name);
  op->sent_from = sent_from;
  op->next_index = next_index;

  return run (self, wa_siem_outbox_acknowledge, acknowledge_job, op, error);
}

/**
 * wa_siem_outbox_record_failure:
 * @message: why the send failed; it must not hold a credential
 */
gboolean
wa_siem_outbox_record_failure (WaSiemOutbox  *self,
                               const char    *name,
                               const char    *message,
                               GError       **error)
{
  Operation *op;

  g_return_val_if_fail (WA_IS_SIEM_OUTBOX (self), FALSE);
  g_return_val_if_fail (name != NULL && message != NULL, FALSE);

  op = operation_new (name);
  op->message = g_strdup (message);

  return run (self, wa_siem_outbox_record_failure, failure_job, op, error);
}
