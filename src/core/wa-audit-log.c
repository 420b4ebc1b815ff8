/* wa-audit-log.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-audit"

#include "config.h"

#include <string.h>
#include <sqlite3.h>

#include "wa-audit-log-private.h"
#include "wa-crypto.h"
#include "wa-json.h"
#include "wa-merkle.h"
#include "wa-note.h"

/**
 * WaAuditLog:
 *
 * The tamper-evident log of what WebAgent did on this device: a Merkle
 * tree (RFC 9162 hashing) of signed entries, stored in the profile's vault
 * database and appended on the vault's worker thread.  Every transaction
 * that appends also stores a checkpoint (C2SP tlog-checkpoint, signed by
 * the device), so verification can tell a rewritten or truncated log from
 * the one the device wrote.
 */
struct _WaAuditLog
{
  GObject  parent_instance;

  WaVault *vault;
};

G_DEFINE_FINAL_TYPE (WaAuditLog, wa_audit_log, G_TYPE_OBJECT)

#define PROOF_HEADER "c2sp.org/tlog-proof@v1"

void
wa_audit_report_free (WaAuditReport *report)
{
  if (report == NULL)
    return;

  g_free (report->problem);
  g_free (report->checkpoint);
  g_free (report);
}

/**
 * wa_audit_log_checkpoint_origin:
 *
 * Returns: (transfer full): the origin line of this device's checkpoints,
 *   which is also the name of the key that signs them.
 */
char *
wa_audit_log_checkpoint_origin (const guint8 *device_public_key)
{
  g_autofree char *device = wa_audit_device_id (device_public_key);

  return g_strconcat ("webagent/audit/", device, NULL);
}

static WaCheckpoint *open_checkpoint (const char    *note,
                                      const guint8  *device_public_key,
                                      GError       **error);

/* Worker thread ----------------------------------------------------------- */

/* The statements of an append, prepared once per connection. */
enum {
  STMT_FRONTIER,
  STMT_LAST_INDEX,
  STMT_INSERT_ENTRY,
  STMT_INSERT_CHECKPOINT,
  STMT_SAVE_FRONTIER,
  STMT_NEWEST_CHECKPOINT,
};

static const char *append_sql[] = {
  [STMT_FRONTIER] = "SELECT value FROM audit_state WHERE key = 'frontier'",
  [STMT_LAST_INDEX] = "SELECT max(idx) FROM audit_entries",
  [STMT_INSERT_ENTRY] = "INSERT INTO audit_entries (idx, entry, leaf_hash) VALUES (?, ?, ?)",
  /* Not OR REPLACE: a second checkpoint for one size means the log was cut
   * back and written again. */
  [STMT_INSERT_CHECKPOINT] = "INSERT INTO audit_checkpoints (size, note) VALUES (?, ?)",
  [STMT_SAVE_FRONTIER] = "INSERT OR REPLACE INTO audit_state (key, value) VALUES ('frontier', ?)",
  [STMT_NEWEST_CHECKPOINT] = "SELECT size, note FROM audit_checkpoints ORDER BY size DESC LIMIT 1",
};

G_STATIC_ASSERT (G_N_ELEMENTS (append_sql) == G_N_ELEMENTS (((WaVault *) NULL)->audit_stmts));

static sqlite3_stmt *
append_statement (WaVault  *vault,
                  guint     which,
                  GError  **error)
{
  sqlite3_stmt *stmt = wa_vault_prepare_cached (vault, &vault->audit_stmts[which], append_sql[which], error);

  if (stmt != NULL)
    {
      sqlite3_reset (stmt);
      sqlite3_clear_bindings (stmt);
    }

  return stmt;
}

static void
reset_append_statements (WaVault *vault)
{
  for (guint i = 0; i < G_N_ELEMENTS (vault->audit_stmts); i++)
    if (vault->audit_stmts[i] != NULL)
      sqlite3_reset (vault->audit_stmts[i]);
}

static gboolean
tampered (GError    **error,
          const char *what)
{
  g_set_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_TAMPERED,
               "The audit log was changed outside WebAgent (%s); run “webagent-cli audit verify” to find where",
               what);
  return FALSE;
}

static gboolean
load_frontier (WaVault           *vault,
               WaMerkleFrontier **out,
               GError           **error)
{
  g_autoptr(WaMerkleFrontier) frontier = NULL;
  sqlite3_stmt *state = append_statement (vault, STMT_FRONTIER, error);
  sqlite3_stmt *last = append_statement (vault, STMT_LAST_INDEX, error);
  guint64 size = 0;

  if (state == NULL || last == NULL)
    return FALSE;

  if (sqlite3_step (state) == SQLITE_ROW)
    {
      g_autoptr(GBytes) bytes = g_bytes_new (sqlite3_column_blob (state, 0), sqlite3_column_bytes (state, 0));

      frontier = wa_merkle_frontier_deserialize (bytes, NULL);
      if (frontier == NULL)
        return tampered (error, "its tree state is damaged");
    }
  else
    {
      frontier = wa_merkle_frontier_new ();
    }

  if (sqlite3_step (last) == SQLITE_ROW && sqlite3_column_type (last, 0) != SQLITE_NULL)
    size = sqlite3_column_int64 (last, 0) + 1;
  if (size != wa_merkle_frontier_get_size (frontier))
    return tampered (error, "its tree state does not match its entries");

  *out = g_steal_pointer (&frontier);

  return TRUE;
}

/* Whether @note, the newest stored checkpoint (%NULL for none), is the
 * device's and signs the tree of @size entries whose root is @root.  No
 * checkpoint is right only for an empty log. */
static gboolean
check_newest_checkpoint (const char    *note,
                         const guint8  *device_public_key,
                         guint64        size,
                         const guint8  *root,
                         const char    *mismatch,
                         GError       **error)
{
  g_autoptr(WaCheckpoint) checkpoint = NULL;

  if (note == NULL)
    return size == 0 ? TRUE : tampered (error, "its entries are covered by no checkpoint");

  checkpoint = open_checkpoint (note, device_public_key, NULL);
  if (checkpoint == NULL)
    return tampered (error, "its newest checkpoint is not signed by this device");
  if (checkpoint->size != size || memcmp (checkpoint->root, root, WA_MERKLE_HASH_SIZE) != 0)
    return tampered (error, mismatch);

  return TRUE;
}

/* The frontier is only a cache: before the device signs a checkpoint over
 * it, it must be the tree of the newest checkpoint the device signed. */
static gboolean
check_frontier (WaVault           *vault,
                KeySnapshot       *keys,
                WaMerkleFrontier  *frontier,
                GError           **error)
{
  sqlite3_stmt *newest = append_statement (vault, STMT_NEWEST_CHECKPOINT, error);
  g_autofree char *note = NULL;
  guint8 root[WA_MERKLE_HASH_SIZE];

  if (newest == NULL)
    return FALSE;

  if (sqlite3_step (newest) == SQLITE_ROW)
    note = g_strdup ((const char *) sqlite3_column_text (newest, 1));
  sqlite3_reset (newest);

  wa_merkle_frontier_get_root (frontier, root);

  return check_newest_checkpoint (note, wa_keyring_get_sign_public_key (keys->keyring),
                                  wa_merkle_frontier_get_size (frontier), root,
                                  "its tree state does not match its newest checkpoint", error);
}

static gboolean
sign_note_cb (const guint8  *message,
              gsize          len,
              guint8        *signature,
              gpointer       user_data,
              GError       **error)
{
  wa_keyring_sign (WA_KEYRING (user_data), message, len, signature);

  return TRUE;
}

static char *
sign_checkpoint (WaKeyring         *keyring,
                 WaMerkleFrontier  *frontier,
                 GError           **error)
{
  const guint8 *public_key = wa_keyring_get_sign_public_key (keyring);
  g_autofree char *origin = wa_audit_log_checkpoint_origin (public_key);
  g_autofree char *text = NULL;
  WaCheckpoint checkpoint = { 0 };

  checkpoint.origin = origin;
  checkpoint.size = wa_merkle_frontier_get_size (frontier);
  wa_merkle_frontier_get_root (frontier, checkpoint.root);
  text = wa_checkpoint_format (&checkpoint);

  return wa_note_sign (text, origin, public_key, sign_note_cb, keyring, error);
}

static gboolean
append_locked (WaVault            *vault,
               KeySnapshot        *keys,
               const WaAuditEvent *events,
               guint               n_events,
               guint64            *first_index,
               GError            **error)
{
  g_autoptr(WaSecureBytes) audit_key = NULL;
  g_autoptr(WaMerkleFrontier) frontier = NULL;
  g_autoptr(GBytes) frontier_bytes = NULL;
  g_autofree char *note = NULL;
  sqlite3_stmt *insert;
  sqlite3_stmt *checkpoint;
  sqlite3_stmt *state;
  gboolean ok;

  if (keys->tenant_keys == NULL)
    {
      g_set_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_NO_KEY,
                   "The profile has no tenant key to encrypt audit entries with; unlock it again");
      return FALSE;
    }

  /* Derived once while the keys are set (guarded memory costs a few
   * system calls); wa_vault_set_keys() and wa_vault_forget_keys() drop it. */
  if (vault->audit_key == NULL)
    vault->audit_key = wa_key_provider_derive_subkey (keys->tenant_keys, WA_TENANT_SUBKEY_AUDIT, error);
  if (vault->audit_key == NULL || !load_frontier (vault, &frontier, error) ||
      !check_frontier (vault, keys, frontier, error))
    return FALSE;
  audit_key = wa_secure_bytes_ref (vault->audit_key);

  insert = append_statement (vault, STMT_INSERT_ENTRY, error);
  if (insert == NULL)
    return FALSE;

  if (first_index != NULL)
    *first_index = wa_merkle_frontier_get_size (frontier);

  for (guint i = 0; i < n_events; i++)
    {
      const WaAuditEvent *event = &events[i];
      g_autoptr(WaAuditEntry) entry = NULL;
      guint8 leaf_hash[WA_MERKLE_HASH_SIZE];
      WaAuditEntryFields fields = {
        .index = wa_merkle_frontier_get_size (frontier),
        .time = event->time != 0 ? event->time : g_get_real_time (),
        .tenant = keys->tenant_id,
        .user_id = keys->user_id,
        .event_type = event->event_type,
        .resource = event->resource,
        .action = event->action,
        .outcome = event->outcome,
        .risk_score = event->risk_score,
        .session = event->session,
        .ip = event->ip,
        .user_agent = event->user_agent,
        .metadata = event->metadata,
      };

      entry = wa_audit_entry_new_signed (&fields, keys->keyring, wa_secure_bytes_get_data (audit_key), error);
      if (entry == NULL)
        return FALSE;
      wa_audit_entry_leaf_hash (entry, leaf_hash);

      sqlite3_reset (insert);
      sqlite3_bind_int64 (insert, 1, entry->index);
      sqlite3_bind_text (insert, 2, entry->text, -1, SQLITE_STATIC);
      sqlite3_bind_blob (insert, 3, leaf_hash, sizeof leaf_hash, SQLITE_STATIC);
      if (sqlite3_step (insert) != SQLITE_DONE)
        {
          wa_vault_set_db_error (vault, error, "append to the audit log");
          return FALSE;
        }
      wa_merkle_frontier_append (frontier, leaf_hash);
    }

  note = sign_checkpoint (keys->keyring, frontier, error);
  if (note == NULL)
    return FALSE;

  checkpoint = append_statement (vault, STMT_INSERT_CHECKPOINT, error);
  state = append_statement (vault, STMT_SAVE_FRONTIER, error);
  if (checkpoint == NULL || state == NULL)
    return FALSE;

  frontier_bytes = wa_merkle_frontier_serialize (frontier);
  sqlite3_bind_int64 (checkpoint, 1, wa_merkle_frontier_get_size (frontier));
  sqlite3_bind_text (checkpoint, 2, note, -1, SQLITE_STATIC);
  sqlite3_bind_blob (state, 1, g_bytes_get_data (frontier_bytes, NULL), g_bytes_get_size (frontier_bytes),
                     SQLITE_STATIC);
  ok = sqlite3_step (checkpoint) == SQLITE_DONE && sqlite3_step (state) == SQLITE_DONE;
  if (!ok)
    wa_vault_set_db_error (vault, error, "store an audit checkpoint");

  return ok;
}

gboolean
wa_audit_log_append_locked (WaVault            *vault,
                            KeySnapshot        *keys,
                            const WaAuditEvent *events,
                            guint               n_events,
                            guint64            *first_index,
                            GError            **error)
{
  gboolean ok = append_locked (vault, keys, events, n_events, first_index, error);

  /* No statement stays active, whichever way the append ended. */
  reset_append_statements (vault);

  return ok;
}

/* An event copied for the worker: the caller's strings may be gone by the
 * time the job runs. */
typedef struct
{
  WaAuditEvent  event;
  GStrv         strings;
} EventCopy;

static void
event_copy_free (gpointer data)
{
  EventCopy *copy = data;

  g_strfreev (copy->strings);
  g_clear_pointer (&copy->event.metadata, json_object_unref);
  g_free (copy);
}

static EventCopy *
event_copy_new (const WaAuditEvent *event)
{
  EventCopy *copy = g_new0 (EventCopy, 1);
  const char *fields[] = { event->event_type, event->resource, event->action, event->session,
                           event->ip, event->user_agent };
  const char **targets[] = { &copy->event.event_type, &copy->event.resource, &copy->event.action,
                             &copy->event.session, &copy->event.ip, &copy->event.user_agent };

  copy->event = *event;
  copy->strings = g_new0 (char *, G_N_ELEMENTS (fields) + 1);
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    {
      copy->strings[i] = g_strdup (fields[i] != NULL ? fields[i] : "");
      *targets[i] = copy->strings[i];
    }
  if (event->metadata != NULL)
    copy->event.metadata = json_object_ref (event->metadata);

  return copy;
}

/* Failed unlocks happen while the device key is still locked, so they are
 * kept unsigned until the next unlock, which appends them, signed.  Those
 * rows are not authenticated: anyone who can write the database could add
 * some.  So only the events that really happen while locked are taken,
 * each is signed with the time it is signed at and marks its claimed time
 * as unverified, and any other row is dropped and counted in an entry of
 * its own. */
static const char *pending_types[] = {
  "auth.unlock_failed", "auth.unlock_refused", "auth.password_change",
};

/* At most this many wait; more are counted by the back-off anyway. */
#define MAX_PENDING 1000

static gboolean
append_pending_locked (WaVault      *vault,
                       KeySnapshot  *keys,
                       GError      **error)
{
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(GArray) events = g_array_new (FALSE, TRUE, sizeof (WaAuditEvent));
  g_autoptr(GPtrArray) keep = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) objects = g_ptr_array_new_with_free_func ((GDestroyNotify) json_object_unref);
  gint64 now = g_get_real_time ();
  guint rejected = 0;
  int rc;

  select = wa_vault_prepare (vault,
                             "SELECT time, event_type, resource, action, outcome, risk_score, metadata "
                             "FROM audit_pending ORDER BY id", error);
  if (select == NULL)
    return FALSE;

  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      WaAuditEvent event = { 0 };
      g_autoptr(JsonNode) metadata = NULL;
      const char *event_type = (const char *) sqlite3_column_text (select, 1);
      int outcome = sqlite3_column_int (select, 4);
      gint64 claimed = sqlite3_column_int64 (select, 0);
      JsonObject *object;

      metadata = wa_json_parse_object ((const char *) sqlite3_column_text (select, 6), -1, NULL);
      if (event_type == NULL || !g_strv_contains (pending_types, event_type) || metadata == NULL ||
          (outcome != WA_AUDIT_OUTCOME_FAILURE && outcome != WA_AUDIT_OUTCOME_DENIED))
        {
          rejected++;
          continue;
        }

      for (int column = 1; column <= 3; column++)
        g_ptr_array_add (keep, g_strdup ((const char *) sqlite3_column_text (select, column)));
      event.event_type = g_ptr_array_index (keep, keep->len - 3);
      event.resource = g_ptr_array_index (keep, keep->len - 2);
      event.action = g_ptr_array_index (keep, keep->len - 1);
      event.outcome = outcome;
      event.risk_score = CLAMP (sqlite3_column_int (select, 5), 0, 100);
      object = json_node_get_object (metadata);
      json_object_set_boolean_member (object, "signed_late", TRUE);
      if (claimed > 0 && claimed <= now)
        {
          g_autofree char *claimed_text = wa_audit_format_time (claimed);

          json_object_set_string_member (object, "claimed_time", claimed_text);
        }
      event.metadata = json_object_ref (object);
      g_ptr_array_add (objects, event.metadata);
      g_array_append_val (events, event);
    }
  if (rc != SQLITE_DONE)
    {
      wa_vault_set_db_error (vault, error, "read pending audit events");
      return FALSE;
    }

  if (rejected > 0)
    {
      JsonObject *metadata = json_object_new ();
      WaAuditEvent event = {
        .event_type = "audit.pending_rejected",
        .action = "reject",
        .outcome = WA_AUDIT_OUTCOME_DENIED,
        .risk_score = 80,
        .metadata = metadata,
      };

      json_object_set_int_member (metadata, "count", rejected);
      g_ptr_array_add (objects, metadata);
      g_array_append_val (events, event);
    }

  if (events->len == 0)
    return TRUE;

  return wa_audit_log_append_locked (vault, keys, (WaAuditEvent *) events->data, events->len, NULL, error) &&
         wa_vault_exec (vault, "DELETE FROM audit_pending", error);
}

static void
record_job (WaVault  *vault,
            GTask    *task,
            gpointer  data)
{
  EventCopy *copy = data;
  g_auto(KeySnapshot) keys = { NULL };
  g_autoptr(GError) error = NULL;
  guint64 *index = g_new0 (guint64, 1);

  if (!wa_vault_take_keys (vault, &keys, &error) ||
      !wa_vault_exec (vault, "BEGIN IMMEDIATE", &error))
    goto failed;

  if (!append_pending_locked (vault, &keys, &error) ||
      !wa_audit_log_append_locked (vault, &keys, &copy->event, 1, index, &error) ||
      !wa_vault_exec (vault, "COMMIT", &error))
    {
      sqlite3_exec (vault->db, "ROLLBACK", NULL, NULL, NULL);
      goto failed;
    }

  g_task_return_pointer (task, index, g_free);
  return;

failed:
  g_free (index);
  g_task_return_error (task, g_steal_pointer (&error));
}

static void
pending_job (WaVault  *vault,
             GTask    *task,
             gpointer  data)
{
  EventCopy *copy = data;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *metadata = NULL;

  if (copy->event.metadata != NULL)
    {
      g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

      json_node_set_object (node, copy->event.metadata);
      metadata = wa_json_canonicalize (node);
    }

  insert = wa_vault_prepare (vault,
                             "INSERT INTO audit_pending (time, event_type, resource, action, outcome, "
                             "risk_score, metadata) SELECT ?, ?, ?, ?, ?, ?, ? "
                             "WHERE (SELECT count(*) FROM audit_pending) < " G_STRINGIFY (MAX_PENDING), &error);
  if (insert == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  sqlite3_bind_int64 (insert, 1, copy->event.time != 0 ? copy->event.time : g_get_real_time ());
  sqlite3_bind_text (insert, 2, copy->event.event_type, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 3, copy->event.resource, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 4, copy->event.action, -1, SQLITE_STATIC);
  sqlite3_bind_int (insert, 5, copy->event.outcome);
  sqlite3_bind_int (insert, 6, copy->event.risk_score);
  sqlite3_bind_text (insert, 7, metadata != NULL ? metadata : "{}", -1, SQLITE_STATIC);
  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      wa_vault_set_db_error (vault, &error, "keep an audit event");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_boolean (task, TRUE);
}

/* Everything verification and proofs need, read in one transaction. */
typedef struct
{
  GArray    *indexes;           /* guint64 */
  GPtrArray *texts;             /* char * */
  GByteArray *stored_hashes;    /* 32 bytes a row; zeros when missing */
  GArray    *checkpoint_sizes;  /* guint64, ascending */
  GPtrArray *checkpoints;       /* char *, signed notes */
  GBytes    *frontier;          /* as stored, or NULL */
} LogDump;

static void
log_dump_free (LogDump *dump)
{
  g_array_unref (dump->indexes);
  g_ptr_array_unref (dump->texts);
  g_byte_array_unref (dump->stored_hashes);
  g_array_unref (dump->checkpoint_sizes);
  g_ptr_array_unref (dump->checkpoints);
  g_clear_pointer (&dump->frontier, g_bytes_unref);
  g_free (dump);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (LogDump, log_dump_free)

static void
dump_job (WaVault  *vault,
          GTask    *task,
          gpointer  data)
{
  g_autoptr(LogDump) dump = g_new0 (LogDump, 1);
  g_autoptr(sqlite3_stmt) entries = NULL;
  g_autoptr(sqlite3_stmt) checkpoints = NULL;
  g_autoptr(GError) error = NULL;
  int rc;

  dump->indexes = g_array_new (FALSE, FALSE, sizeof (guint64));
  dump->texts = g_ptr_array_new_with_free_func (g_free);
  dump->stored_hashes = g_byte_array_new ();
  dump->checkpoint_sizes = g_array_new (FALSE, FALSE, sizeof (guint64));
  dump->checkpoints = g_ptr_array_new_with_free_func (g_free);

  if (!wa_vault_exec (vault, "BEGIN", &error))
    goto failed;

  entries = wa_vault_prepare (vault, "SELECT idx, entry, leaf_hash FROM audit_entries ORDER BY idx", &error);
  checkpoints = wa_vault_prepare (vault, "SELECT size, note FROM audit_checkpoints ORDER BY size", &error);
  if (entries == NULL || checkpoints == NULL)
    goto rollback;

  while ((rc = sqlite3_step (entries)) == SQLITE_ROW)
    {
      guint64 idx = sqlite3_column_int64 (entries, 0);
      guint8 hash[WA_MERKLE_HASH_SIZE] = { 0 };
      const char *text = (const char *) sqlite3_column_text (entries, 1);

      if (sqlite3_column_bytes (entries, 2) == WA_MERKLE_HASH_SIZE)
        memcpy (hash, sqlite3_column_blob (entries, 2), WA_MERKLE_HASH_SIZE);
      g_array_append_val (dump->indexes, idx);
      g_ptr_array_add (dump->texts, g_strdup (text != NULL ? text : ""));
      g_byte_array_append (dump->stored_hashes, hash, sizeof hash);
    }
  if (rc != SQLITE_DONE)
    {
      wa_vault_set_db_error (vault, &error, "read the audit log");
      goto rollback;
    }

  while ((rc = sqlite3_step (checkpoints)) == SQLITE_ROW)
    {
      guint64 size = sqlite3_column_int64 (checkpoints, 0);
      const char *note = (const char *) sqlite3_column_text (checkpoints, 1);

      g_array_append_val (dump->checkpoint_sizes, size);
      g_ptr_array_add (dump->checkpoints, g_strdup (note != NULL ? note : ""));
    }
  if (rc != SQLITE_DONE)
    {
      wa_vault_set_db_error (vault, &error, "read the audit checkpoints");
      goto rollback;
    }

  {
    g_autoptr(sqlite3_stmt) state = wa_vault_prepare (vault, "SELECT value FROM audit_state WHERE key = 'frontier'",
                                                      &error);

    if (state == NULL)
      goto rollback;
    if (sqlite3_step (state) == SQLITE_ROW)
      dump->frontier = g_bytes_new (sqlite3_column_blob (state, 0), sqlite3_column_bytes (state, 0));
  }

  sqlite3_exec (vault->db, "COMMIT", NULL, NULL, NULL);
  g_task_return_pointer (task, g_steal_pointer (&dump), (GDestroyNotify) log_dump_free);
  return;

rollback:
  sqlite3_exec (vault->db, "ROLLBACK", NULL, NULL, NULL);
failed:
  g_task_return_error (task, g_steal_pointer (&error));
}

/* Public API -------------------------------------------------------------- */

static void
wa_audit_log_finalize (GObject *object)
{
  WaAuditLog *self = (WaAuditLog *) object;

  g_clear_object (&self->vault);

  G_OBJECT_CLASS (wa_audit_log_parent_class)->finalize (object);
}

static void
wa_audit_log_class_init (WaAuditLogClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = wa_audit_log_finalize;
}

static void
wa_audit_log_init (WaAuditLog *self)
{
}

/**
 * wa_audit_log_new:
 *
 * Returns: (transfer full): the audit log kept in @vault's database.
 */
WaAuditLog *
wa_audit_log_new (WaVault *vault)
{
  WaAuditLog *self;

  g_return_val_if_fail (WA_IS_VAULT (vault), NULL);

  self = g_object_new (WA_TYPE_AUDIT_LOG, NULL);
  self->vault = g_object_ref (vault);

  return self;
}

static gboolean
check_event (const WaAuditEvent  *event,
             GError             **error)
{
  if (event->event_type == NULL || *event->event_type == '\0' ||
      event->risk_score < 0 || event->risk_score > 100 ||
      event->time < 0 || event->time > WA_AUDIT_MAX_TIME)
    {
      g_set_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_INVALID_ARGUMENT,
                   "An audit event needs an event type, a risk score from 0 to 100 and a time between 1970 "
                   "and 9999");
      return FALSE;
    }

  return TRUE;
}

void
wa_audit_log_record_event_async (WaAuditLog          *self,
                                 const WaAuditEvent  *event,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  GError *error = NULL;

  g_return_if_fail (WA_IS_AUDIT_LOG (self));
  g_return_if_fail (event != NULL);

  if (!check_event (event, &error))
    {
      g_task_report_error (self->vault, callback, user_data, wa_audit_log_record_event_async, error);
      return;
    }

  wa_vault_schedule (self->vault, wa_audit_log_record_event_async, record_job, event_copy_new (event),
                     event_copy_free, cancellable, callback, user_data);
}

static gboolean
take_index (GAsyncResult  *result,
            guint64       *index,
            GError       **error)
{
  g_autofree guint64 *value = g_task_propagate_pointer (G_TASK (result), error);

  if (value == NULL)
    return FALSE;
  if (index != NULL)
    *index = *value;

  return TRUE;
}

gboolean
wa_audit_log_record_event_finish (WaAuditLog    *self,
                                  GAsyncResult  *result,
                                  guint64       *index,
                                  GError       **error)
{
  g_return_val_if_fail (WA_IS_AUDIT_LOG (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self->vault), FALSE);

  return take_index (result, index, error);
}

/**
 * wa_audit_log_record_event:
 * @index: (out) (optional): the index of the new entry
 *
 * Appends @event, signed by the device key and with its body encrypted
 * with the tenant audit key.  The profile must be unlocked.  Events kept
 * while it was locked (see wa_audit_log_record_pending()) go in first.
 * When this returns %TRUE the entry is on disk.
 */
gboolean
wa_audit_log_record_event (WaAuditLog          *self,
                           const WaAuditEvent  *event,
                           guint64             *index,
                           GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (WA_IS_AUDIT_LOG (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  if (!check_event (event, error))
    return FALSE;

  result = wa_vault_run_sync (self->vault, wa_audit_log_record_event_async, record_job,
                              event_copy_new (event), event_copy_free);

  return take_index (result, index, error);
}

/**
 * wa_audit_log_record_pending:
 *
 * Keeps @event, unsigned, until the next wa_audit_log_record_event(): for
 * what happens while the profile is locked, such as a failed unlock.
 */
gboolean
wa_audit_log_record_pending (WaAuditLog          *self,
                             const WaAuditEvent  *event,
                             GError             **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  g_return_val_if_fail (WA_IS_AUDIT_LOG (self), FALSE);
  g_return_val_if_fail (event != NULL, FALSE);

  if (!check_event (event, error))
    return FALSE;

  result = wa_vault_run_sync (self->vault, wa_audit_log_record_pending, pending_job,
                              event_copy_new (event), event_copy_free);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static LogDump *
dump_log (WaAuditLog  *self,
          GError     **error)
{
  g_autoptr(GAsyncResult) result = wa_vault_run_sync (self->vault, dump_log, dump_job, NULL, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* The log's shape, read cheaply: its leaf hashes in order and its newest
 * checkpoint.  Enough to check that it continues a checkpoint. */
typedef struct
{
  guint64     size;             /* entries */
  GByteArray *hashes;           /* 32 bytes a row, in index order, if wanted */
  gboolean    gap;              /* an index is missing */
  char       *newest;           /* the newest checkpoint, or NULL */
} Shape;

static void
shape_free (Shape *shape)
{
  g_byte_array_unref (shape->hashes);
  g_free (shape->newest);
  g_free (shape);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Shape, shape_free)

static void
shape_job (WaVault  *vault,
           GTask    *task,
           gpointer  data)
{
  g_autoptr(Shape) shape = g_new0 (Shape, 1);
  g_autoptr(sqlite3_stmt) entries = NULL;
  g_autoptr(sqlite3_stmt) newest = NULL;
  g_autoptr(GError) error = NULL;
  gboolean hashes_wanted = GPOINTER_TO_INT (data);
  int rc;

  shape->hashes = g_byte_array_new ();
  if (!wa_vault_exec (vault, "BEGIN", &error))
    goto failed;

  entries = wa_vault_prepare (vault, hashes_wanted ? "SELECT idx, leaf_hash FROM audit_entries ORDER BY idx"
                                                   : "SELECT max(idx) + 1, NULL FROM audit_entries", &error);
  newest = wa_vault_prepare (vault, "SELECT note FROM audit_checkpoints ORDER BY size DESC LIMIT 1", &error);
  if (entries == NULL || newest == NULL)
    goto rollback;

  while ((rc = sqlite3_step (entries)) == SQLITE_ROW)
    {
      if (!hashes_wanted)
        {
          shape->size = sqlite3_column_int64 (entries, 0);
          continue;
        }
      if ((guint64) sqlite3_column_int64 (entries, 0) != shape->size++ ||
          sqlite3_column_bytes (entries, 1) != WA_MERKLE_HASH_SIZE)
        shape->gap = TRUE;
      else
        g_byte_array_append (shape->hashes, sqlite3_column_blob (entries, 1), WA_MERKLE_HASH_SIZE);
    }
  if (rc != SQLITE_DONE)
    {
      wa_vault_set_db_error (vault, &error, "read the audit log");
      goto rollback;
    }

  if (sqlite3_step (newest) == SQLITE_ROW)
    shape->newest = g_strdup ((const char *) sqlite3_column_text (newest, 0));

  sqlite3_exec (vault->db, "COMMIT", NULL, NULL, NULL);
  g_task_return_pointer (task, g_steal_pointer (&shape), (GDestroyNotify) shape_free);
  return;

rollback:
  sqlite3_exec (vault->db, "ROLLBACK", NULL, NULL, NULL);
failed:
  g_task_return_error (task, g_steal_pointer (&error));
}

static Shape *
read_shape (WaAuditLog  *self,
            gboolean     hashes_wanted,
            GError     **error)
{
  g_autoptr(GAsyncResult) result = wa_vault_run_sync (self->vault, read_shape, shape_job,
                                                      GINT_TO_POINTER (hashes_wanted), NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

guint64
wa_audit_log_get_size (WaAuditLog  *self,
                       GError     **error)
{
  g_autoptr(Shape) shape = NULL;

  g_return_val_if_fail (WA_IS_AUDIT_LOG (self), 0);

  shape = read_shape (self, FALSE, error);

  return shape != NULL ? shape->size : 0;
}

typedef struct
{
  guint64 from;
  guint64 to;
} Range;

static void
entries_job (WaVault  *vault,
             GTask    *task,
             gpointer  data)
{
  Range *range = data;
  g_autoptr(sqlite3_stmt) select = NULL;
  g_autoptr(GPtrArray) texts = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  int rc;

  select = wa_vault_prepare (vault, "SELECT idx, entry FROM audit_entries WHERE idx >= ? AND idx <= ? ORDER BY idx",
                             &error);
  if (select == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  sqlite3_bind_int64 (select, 1, (gint64) MIN (range->from, (guint64) G_MAXINT64));
  sqlite3_bind_int64 (select, 2, (gint64) MIN (range->to, (guint64) G_MAXINT64));
  while ((rc = sqlite3_step (select)) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (select, 1);

      g_ptr_array_add (texts, g_strdup_printf ("%" G_GINT64_FORMAT " %s", (gint64) sqlite3_column_int64 (select, 0),
                                               text != NULL ? text : ""));
    }
  if (rc != SQLITE_DONE)
    {
      wa_vault_set_db_error (vault, &error, "read the audit log");
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  g_task_return_pointer (task, g_steal_pointer (&texts), (GDestroyNotify) g_ptr_array_unref);
}

/**
 * wa_audit_log_get_entries:
 * @to: the last index wanted, or %G_MAXUINT64 for the end
 *
 * Returns: (transfer full) (element-type WaAuditEntry): the entries from
 *   @from to @to, parsed but not verified; see wa_audit_log_verify().
 */
GPtrArray *
wa_audit_log_get_entries (WaAuditLog  *self,
                          guint64      from,
                          guint64      to,
                          GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) texts = NULL;
  g_autoptr(GPtrArray) entries = g_ptr_array_new_with_free_func ((GDestroyNotify) wa_audit_entry_free);
  Range *range;

  g_return_val_if_fail (WA_IS_AUDIT_LOG (self), NULL);

  range = g_new0 (Range, 1);
  range->from = from;
  range->to = to;
  result = wa_vault_run_sync (self->vault, wa_audit_log_get_entries, entries_job, range, g_free);
  texts = g_task_propagate_pointer (G_TASK (result), error);
  if (texts == NULL)
    return NULL;

  /* Each row comes as "INDEX ENTRY". */
  for (guint i = 0; i < texts->len; i++)
    {
      const char *row = g_ptr_array_index (texts, i);
      const char *text = strchr (row, ' ') + 1;
      WaAuditEntry *entry = wa_audit_entry_parse (text, error);

      if (entry == NULL)
        {
          g_prefix_error (error, "Entry %.*s: ", (int) (text - row - 1), row);
          return NULL;
        }
      g_ptr_array_add (entries, entry);
    }

  return g_steal_pointer (&entries);
}

/**
 * wa_audit_log_dup_checkpoint:
 *
 * Returns: (transfer full) (nullable): the newest checkpoint, a signed
 *   note, or %NULL with no error when the log is empty.
 */
char *
wa_audit_log_dup_checkpoint (WaAuditLog  *self,
                             GError     **error)
{
  g_autoptr(Shape) shape = NULL;

  g_return_val_if_fail (WA_IS_AUDIT_LOG (self), NULL);

  shape = read_shape (self, FALSE, error);
  if (shape == NULL)
    return NULL;

  return g_steal_pointer (&shape->newest);
}

/* Opens a checkpoint note signed by the device key. */
static WaCheckpoint *
open_checkpoint (const char    *note,
                 const guint8  *device_public_key,
                 GError       **error)
{
  g_autofree char *origin = wa_audit_log_checkpoint_origin (device_public_key);
  g_autofree char *text = NULL;
  g_autoptr(WaCheckpoint) checkpoint = NULL;

  text = wa_note_open (note, origin, device_public_key, error);
  if (text == NULL)
    return NULL;

  checkpoint = wa_checkpoint_parse (text, error);
  if (checkpoint == NULL)
    return NULL;

  if (strcmp (checkpoint->origin, origin) != 0)
    {
      g_set_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_TAMPERED,
                   "The checkpoint is for the log %s, not this device's log %s", checkpoint->origin, origin);
      return NULL;
    }

  return g_steal_pointer (&checkpoint);
}

/**
 * wa_audit_log_check_continuity:
 * @trusted_checkpoint: (nullable): the newest checkpoint this device saw
 *   before, kept outside the database
 *
 * A quick check, made before anything is appended: that no entry is
 * missing, that the newest stored checkpoint is signed by the device and
 * is the root of the stored leaf hashes, and that the log continues
 * @trusted_checkpoint (its root is the root of the log's first entries).
 * It trusts the stored leaf hashes; wa_audit_log_verify() checks every
 * entry.  A log restored from an old backup, cut back or forked fails it.
 */
gboolean
wa_audit_log_check_continuity (WaAuditLog    *self,
                               const guint8  *device_public_key,
                               const char    *trusted_checkpoint,
                               GError       **error)
{
  g_autoptr(Shape) shape = NULL;
  g_autoptr(WaCheckpoint) trusted = NULL;
  guint8 root[WA_MERKLE_HASH_SIZE];

  g_return_val_if_fail (WA_IS_AUDIT_LOG (self), FALSE);
  g_return_val_if_fail (device_public_key != NULL, FALSE);

  shape = read_shape (self, TRUE, error);
  if (shape == NULL)
    return FALSE;

  if (shape->gap)
    return tampered (error, "an entry is missing");

  wa_merkle_root (shape->hashes->data, shape->size, root);
  if (!check_newest_checkpoint (shape->newest, device_public_key, shape->size, root,
                                "its newest checkpoint does not match its entries", error))
    return FALSE;

  if (trusted_checkpoint == NULL)
    return TRUE;

  trusted = open_checkpoint (trusted_checkpoint, device_public_key, NULL);
  if (trusted == NULL)
    return tampered (error, "the checkpoint this device kept is not valid");
  if (trusted->size > shape->size)
    return tampered (error, "it is shorter than the log this device saw: it was cut back or restored from an "
                     "older copy");
  wa_merkle_root (shape->hashes->data, trusted->size, root);
  if (memcmp (trusted->root, root, sizeof root) != 0)
    return tampered (error, "it does not continue the log this device saw: its history was rewritten");

  return TRUE;
}

static void
report_problem (WaAuditReport *report,
                gboolean       has_index,
                guint64        index,
                const char    *format,
                ...) G_GNUC_PRINTF (4, 5);

static void
report_problem (WaAuditReport *report,
                gboolean       has_index,
                guint64        index,
                const char    *format,
                ...)
{
  va_list args;

  if (!report->ok)
    return;

  report->ok = FALSE;
  report->has_bad_index = has_index;
  report->bad_index = index;
  va_start (args, format);
  report->problem = g_strdup_vprintf (format, args);
  va_end (args);
}

static void
check_entry (WaAuditReport *report,
             LogDump       *dump,
             guint          row,
             const guint8  *leaf_hash,
             const guint8  *device_public_key)
{
  g_autoptr(WaAuditEntry) entry = NULL;
  g_autoptr(GError) error = NULL;

  entry = wa_audit_entry_parse (g_ptr_array_index (dump->texts, row), &error);
  if (entry == NULL)
    {
      report_problem (report, TRUE, row, "Entry %u is damaged: %s", row, error->message);
      return;
    }

  if (entry->index != row)
    {
      report_problem (report, TRUE, row,
                      "Entry %u holds entry %" G_GUINT64_FORMAT ": entries were moved or reordered",
                      row, entry->index);
      return;
    }

  if (memcmp (leaf_hash, dump->stored_hashes->data + (gsize) row * WA_MERKLE_HASH_SIZE, WA_MERKLE_HASH_SIZE) != 0)
    {
      report_problem (report, TRUE, row, "Entry %u does not match its stored leaf hash: it was changed", row);
      return;
    }

  if (!wa_audit_entry_verify_signature (entry, device_public_key, &error))
    report_problem (report, TRUE, row, "Entry %u: %s", row, error->message);
}

/* Checks that @root1, the root of the first @size1 leaves, is consistent
 * with the whole tree, through an RFC 9162 consistency proof, as a client
 * that only kept the old checkpoint would. */
static gboolean
check_consistency (GByteArray    *leaves,
                   guint64        size1,
                   const guint8  *root1,
                   GError       **error)
{
  guint64 size2 = leaves->len / WA_MERKLE_HASH_SIZE;
  g_autoptr(GByteArray) proof = NULL;
  guint8 root2[WA_MERKLE_HASH_SIZE];

  wa_merkle_root (leaves->data, size2, root2);
  proof = wa_merkle_consistency_proof (leaves->data, size1, size2, error);
  if (proof == NULL)
    return FALSE;

  return wa_merkle_verify_consistency (size1, size2, root1, root2, proof->data, proof->len, error);
}

/**
 * wa_audit_log_verify:
 * @device_public_key: the Ed25519 key of the device that wrote the log
 * @trusted_checkpoint: (nullable): the newest checkpoint this device saw
 *   before, kept outside the database
 * @from: the first entry to check one by one
 * @to: the last one, or %G_MAXUINT64 for the end
 *
 * Checks the log: every entry from @from to @to (its form, its index, its
 * leaf hash and its signature), that no entry is missing, every stored
 * checkpoint's signature and root against the tree, that the newest
 * checkpoint covers the whole log, and that the log is consistent with
 * @trusted_checkpoint.  Needs no key but the device's public key.
 *
 * Returns: (transfer full): a report; %NULL with @error only if the log
 *   could not be read at all.
 */
WaAuditReport *
wa_audit_log_verify (WaAuditLog    *self,
                     const guint8  *device_public_key,
                     const char    *trusted_checkpoint,
                     guint64        from,
                     guint64        to,
                     GError       **error)
{
  g_autoptr(WaAuditReport) report = g_new0 (WaAuditReport, 1);
  g_autoptr(LogDump) dump = NULL;
  g_autoptr(WaMerkleFrontier) frontier = wa_merkle_frontier_new ();
  g_autoptr(GByteArray) leaves = g_byte_array_new ();
  g_autoptr(WaCheckpoint) trusted = NULL;
  g_autoptr(GBytes) frontier_bytes = NULL;
  guint64 n_rows;
  guint64 last_good_size = 0;
  guint next_checkpoint = 0;

  g_return_val_if_fail (WA_IS_AUDIT_LOG (self), NULL);
  g_return_val_if_fail (device_public_key != NULL, NULL);

  dump = dump_log (self, error);
  if (dump == NULL)
    return NULL;

  n_rows = dump->indexes->len;
  report->ok = TRUE;
  report->size = n_rows;
  report->from = from;
  report->to = n_rows > 0 ? MIN (to, n_rows - 1) : 0;
  if (dump->checkpoints->len > 0)
    report->checkpoint = g_strdup (g_ptr_array_index (dump->checkpoints, dump->checkpoints->len - 1));

  if (trusted_checkpoint != NULL)
    {
      g_autoptr(GError) local_error = NULL;

      report->trusted_checked = TRUE;
      trusted = open_checkpoint (trusted_checkpoint, device_public_key, &local_error);
      if (trusted == NULL)
        {
          report_problem (report, FALSE, 0, "The last checkpoint this device saw is not valid: %s",
                          local_error->message);
          return g_steal_pointer (&report);
        }
    }

  for (guint row = 0; row < n_rows && report->ok; row++)
    {
      guint64 idx = g_array_index (dump->indexes, guint64, row);
      const char *text = g_ptr_array_index (dump->texts, row);
      guint8 leaf_hash[WA_MERKLE_HASH_SIZE];

      if (idx != row)
        {
          report_problem (report, TRUE, row,
                          "Entry %u is missing: the entry after %u is %" G_GUINT64_FORMAT,
                          row, row, idx);
          break;
        }

      wa_merkle_leaf_hash ((const guint8 *) text, strlen (text), leaf_hash);
      g_byte_array_append (leaves, leaf_hash, sizeof leaf_hash);
      wa_merkle_frontier_append (frontier, leaf_hash);

      if (row >= from && row <= to)
        {
          check_entry (report, dump, row, leaf_hash, device_public_key);
          report->n_checked++;
        }

      /* Every checkpoint stored for this size must sign this tree. */
      while (report->ok && next_checkpoint < dump->checkpoints->len &&
             g_array_index (dump->checkpoint_sizes, guint64, next_checkpoint) == (guint64) row + 1)
        {
          g_autoptr(GError) local_error = NULL;
          g_autoptr(WaCheckpoint) checkpoint = NULL;
          guint8 root[WA_MERKLE_HASH_SIZE];

          checkpoint = open_checkpoint (g_ptr_array_index (dump->checkpoints, next_checkpoint),
                                        device_public_key, &local_error);
          wa_merkle_frontier_get_root (frontier, root);
          if (checkpoint == NULL)
            report_problem (report, TRUE, last_good_size,
                            "The checkpoint for %u entries is not valid: %s", row + 1, local_error->message);
          else if (checkpoint->size != (guint64) row + 1 || memcmp (checkpoint->root, root, sizeof root) != 0)
            report_problem (report, TRUE, last_good_size,
                            "The entries from %" G_GUINT64_FORMAT " to %u do not match their signed checkpoint: "
                            "they were rewritten", last_good_size, row);
          last_good_size = row + 1;
          report->n_checkpoints++;
          next_checkpoint++;
        }
    }

  if (!report->ok)
    return g_steal_pointer (&report);

  if (next_checkpoint < dump->checkpoints->len)
    {
      guint64 size = g_array_index (dump->checkpoint_sizes, guint64, next_checkpoint);

      report_problem (report, TRUE, n_rows,
                      "The log ends after %" G_GUINT64_FORMAT " entries, but a checkpoint covers %" G_GUINT64_FORMAT
                      ": entries from %" G_GUINT64_FORMAT " on were removed", n_rows, size, n_rows);
    }
  else if (n_rows > 0 && last_good_size != n_rows)
    {
      report_problem (report, TRUE, last_good_size,
                      "Entries from %" G_GUINT64_FORMAT " on are covered by no signed checkpoint: "
                      "they were added outside WebAgent", last_good_size);
    }
  else if (n_rows > 0 && (dump->frontier == NULL ||
                          !g_bytes_equal (dump->frontier, frontier_bytes = wa_merkle_frontier_serialize (frontier))))
    {
      report_problem (report, FALSE, 0,
                      "The log's stored tree state does not match its entries: it was changed outside WebAgent");
    }
  else if (trusted != NULL && trusted->size > n_rows)
    {
      report_problem (report, TRUE, n_rows,
                      "This device saw a checkpoint of %" G_GUINT64_FORMAT " entries, but the log has only %"
                      G_GUINT64_FORMAT ": it was truncated or rolled back", trusted->size, n_rows);
    }
  else if (trusted != NULL && trusted->size > 0)
    {
      g_autoptr(GError) local_error = NULL;

      if (!check_consistency (leaves, trusted->size, trusted->root, &local_error))
        report_problem (report, FALSE, 0,
                        "The log is not consistent with the checkpoint of %" G_GUINT64_FORMAT
                        " entries this device saw: its history was rewritten (%s)",
                        trusted->size, local_error->message);
    }

  return g_steal_pointer (&report);
}

/**
 * wa_audit_log_prove_inclusion:
 *
 * Returns: (transfer full): a proof, in the C2SP tlog-proof format, that
 *   entry @index is in the log as of its newest checkpoint.  The entry
 *   itself is the proof's extra data, so wa_audit_proof_verify() needs
 *   nothing else but the device's public key.
 */
char *
wa_audit_log_prove_inclusion (WaAuditLog  *self,
                              guint64      index,
                              GError     **error)
{
  g_autoptr(LogDump) dump = NULL;
  g_autoptr(GByteArray) leaves = g_byte_array_new ();
  g_autoptr(GByteArray) proof = NULL;
  g_autofree char *extra = NULL;
  GString *out;
  guint64 size;
  const char *note;

  g_return_val_if_fail (WA_IS_AUDIT_LOG (self), NULL);

  dump = dump_log (self, error);
  if (dump == NULL)
    return NULL;

  if (dump->checkpoints->len == 0 || index >= dump->indexes->len)
    {
      g_set_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_INVALID_ARGUMENT,
                   "The log has no entry %" G_GUINT64_FORMAT "; it has %u entries", index, dump->indexes->len);
      return NULL;
    }

  size = g_array_index (dump->checkpoint_sizes, guint64, dump->checkpoints->len - 1);
  note = g_ptr_array_index (dump->checkpoints, dump->checkpoints->len - 1);
  if (size != dump->indexes->len || index >= size)
    {
      tampered (error, "its newest checkpoint does not cover it");
      return NULL;
    }

  for (guint row = 0; row < size; row++)
    {
      const char *text = g_ptr_array_index (dump->texts, row);
      guint8 leaf_hash[WA_MERKLE_HASH_SIZE];

      wa_merkle_leaf_hash ((const guint8 *) text, strlen (text), leaf_hash);
      g_byte_array_append (leaves, leaf_hash, sizeof leaf_hash);
    }

  proof = wa_merkle_inclusion_proof (leaves->data, size, index, error);
  if (proof == NULL)
    return NULL;

  extra = g_base64_encode ((const guint8 *) g_ptr_array_index (dump->texts, index),
                           strlen (g_ptr_array_index (dump->texts, index)));
  out = g_string_new (PROOF_HEADER "\n");
  g_string_append_printf (out, "extra %s\n", extra);
  g_string_append_printf (out, "index %" G_GUINT64_FORMAT "\n", index);
  for (guint offset = 0; offset < proof->len; offset += WA_MERKLE_HASH_SIZE)
    {
      g_autofree char *hash = g_base64_encode (proof->data + offset, WA_MERKLE_HASH_SIZE);

      g_string_append_printf (out, "%s\n", hash);
    }
  g_string_append_c (out, '\n');
  g_string_append (out, note);

  return g_string_free (out, FALSE);
}

static gpointer
bad_proof (GError    **error,
           const char *what)
{
  g_set_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_MALFORMED,
               "This is not a valid audit proof (%s); make it again with “webagent-cli audit proof”", what);
  return NULL;
}

static gboolean
parse_uint64 (const char *text,
              guint64    *out)
{
  if (*text == '\0' || (text[0] == '0' && text[1] != '\0'))
    return FALSE;

  return g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT64, out, NULL);
}

/**
 * wa_audit_proof_verify:
 *
 * Checks a proof made by wa_audit_log_prove_inclusion() without the
 * database: the checkpoint's signature by @device_public_key, the entry's
 * form and signature, and the inclusion proof of its leaf in the
 * checkpoint's tree.
 *
 * Returns: (transfer full): the proven entry, or %NULL with an error that
 *   says which check failed.
 */
WaAuditEntry *
wa_audit_proof_verify (const char    *proof,
                       const guint8  *device_public_key,
                       GError       **error)
{
  g_autoptr(GByteArray) hashes = g_byte_array_new ();
  g_autoptr(WaCheckpoint) checkpoint = NULL;
  g_autoptr(WaAuditEntry) entry = NULL;
  g_autofree guint8 *entry_text = NULL;
  g_autofree char *entry_string = NULL;
  guint8 leaf_hash[WA_MERKLE_HASH_SIZE];
  const char *p = proof;
  const char *end;
  gsize entry_len = 0;
  guint64 index = 0;
  gboolean have_index = FALSE;

  g_return_val_if_fail (proof != NULL, NULL);
  g_return_val_if_fail (device_public_key != NULL, NULL);

  if (!g_str_has_prefix (p, PROOF_HEADER "\n"))
    return bad_proof (error, "it does not start with " PROOF_HEADER);
  p += strlen (PROOF_HEADER) + 1;

  /* Lines up to the blank line, then the checkpoint. */
  while ((end = strchr (p, '\n')) != NULL && end != p)
    {
      g_autofree char *line = g_strndup (p, end - p);

      if (g_str_has_prefix (line, "extra ") && entry_text == NULL && !have_index)
        {
          entry_text = wa_base64_decode (line + 6, &entry_len, NULL);
          if (entry_text == NULL || entry_len == 0)
            return bad_proof (error, "its extra data is empty");
        }
      else if (g_str_has_prefix (line, "index ") && !have_index)
        {
          if (!parse_uint64 (line + 6, &index))
            return bad_proof (error, "its index is not a number");
          have_index = TRUE;
        }
      else if (have_index)
        {
          gsize len = 0;
          g_autofree guint8 *hash = wa_base64_decode (line, &len, NULL);

          if (hash == NULL || len != WA_MERKLE_HASH_SIZE)
            return bad_proof (error, "a proof hash is not 32 bytes of base64");
          g_byte_array_append (hashes, hash, len);
        }
      else
        {
          return bad_proof (error, "an unknown line comes before the index");
        }
      p = end + 1;
    }

  if (end == NULL || !have_index || entry_text == NULL)
    return bad_proof (error, "it lacks the entry, the index or the checkpoint");

  checkpoint = open_checkpoint (end + 1, device_public_key, error);
  if (checkpoint == NULL)
    return NULL;

  entry_string = g_strndup ((const char *) entry_text, entry_len);
  if (strlen (entry_string) != entry_len)
    return bad_proof (error, "the entry holds a NUL byte");
  entry = wa_audit_entry_parse (entry_string, error);
  if (entry == NULL || !wa_audit_entry_verify_signature (entry, device_public_key, error))
    return NULL;
  if (entry->index != index)
    {
      g_set_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_TAMPERED,
                   "The proof is for index %" G_GUINT64_FORMAT " but its entry says %" G_GUINT64_FORMAT,
                   index, entry->index);
      return NULL;
    }

  wa_audit_entry_leaf_hash (entry, leaf_hash);
  if (!wa_merkle_verify_inclusion (index, checkpoint->size, leaf_hash, hashes->data, hashes->len,
                                   checkpoint->root, error))
    return NULL;

  return g_steal_pointer (&entry);
}
