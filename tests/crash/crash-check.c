/* crash-check.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "crash-check.h"

#include <string.h>
#include <sqlite3.h>
#include <json-glib/json-glib.h>

#include "crash-common.h"
#include "wa-audit-log.h"
#include "wa-vault.h"

/* Problems --------------------------------------------------------------- */

static void
crash_problem_free (CrashProblem *problem)
{
  g_free (problem->record_id);
  g_free (problem->message);
  g_free (problem);
}

GPtrArray *
crash_problems_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify) crash_problem_free);
}

void
crash_problems_add (GPtrArray        *problems,
                    CrashProblemKind  kind,
                    const char       *record_id,
                    const char       *format,
                    ...)
{
  CrashProblem *problem = g_new0 (CrashProblem, 1);
  va_list args;

  va_start (args, format);
  problem->message = g_strdup_vprintf (format, args);
  va_end (args);
  problem->kind = kind;
  problem->record_id = g_strdup (record_id);
  g_ptr_array_add (problems, problem);
}

/**
 * crash_problems_contain:
 * @record_id: (nullable): the record, or %NULL for any
 */
gboolean
crash_problems_contain (GPtrArray        *problems,
                        CrashProblemKind  kind,
                        const char       *record_id)
{
  for (guint i = 0; i < problems->len; i++)
    {
      CrashProblem *problem = g_ptr_array_index (problems, i);

      if (problem->kind == kind && (record_id == NULL || g_strcmp0 (problem->record_id, record_id) == 0))
        return TRUE;
    }

  return FALSE;
}

/**
 * crash_problems_log:
 * @label: what the problems are to the reader of the log: "Problem", or
 *   "Found on purpose" in a self-check
 */
void
crash_problems_log (GPtrArray  *problems,
                    const char *label)
{
  /* A torn database can produce thousands; the first ones tell the story. */
  for (guint i = 0; i < MIN (problems->len, 50); i++)
    {
      CrashProblem *problem = g_ptr_array_index (problems, i);

      g_test_message ("%s: %s", label, problem->message);
    }
  if (problems->len > 50)
    g_test_message ("... and %u more problems", problems->len - 50);
}

/* State and acknowledgements ------------------------------------------------ */

CrashVaultState *
crash_vault_state_new (const char *path)
{
  g_autoptr(GError) error = NULL;
  CrashVaultState *state = g_new0 (CrashVaultState, 1);

  state->path = g_strdup (path);
  state->keyring = crash_keyring_new (&error);
  g_assert_no_error (error);
  state->tenant = crash_tenant_keys_new (state->keyring, &error);
  g_assert_no_error (error);
  state->acked = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  state->new_acks = g_ptr_array_new_with_free_func (g_free);
  state->intact = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  return state;
}

void
crash_vault_state_free (CrashVaultState *state)
{
  if (state == NULL)
    return;

  g_assert_finalize_object (state->tenant);
  g_assert_finalize_object (state->keyring);
  g_hash_table_unref (state->acked);
  g_ptr_array_unref (state->new_acks);
  g_hash_table_unref (state->intact);
  g_free (state->path);
  g_free (state);
}

static gboolean
parse_unsigned (const char *text,
                guint64     max,
                guint64    *out)
{
  return g_ascii_string_to_unsigned (text, 10, 0, max, out, NULL);
}

static void
add_ack (CrashVaultState *state,
         const char      *id,
         CrashRecordInfo *info,
         GPtrArray       *problems)
{
  if (g_hash_table_contains (state->acked, id))
    {
      crash_problems_add (problems, CRASH_PROBLEM_WRITER, id,
                          "The writer acknowledged record %s twice; ids must be unique", id);
      g_free (info);
      return;
    }

  g_hash_table_insert (state->acked, g_strdup (id), info);
  g_ptr_array_add (state->new_acks, g_strdup (id));
}

static gboolean
parse_put (CrashVaultState  *state,
           char            **fields,
           GPtrArray        *problems)
{
  g_autofree CrashRecordInfo *info = g_new0 (CrashRecordInfo, 1);
  g_autofree guint8 *hash = NULL;
  guint64 generation, sequence, size;
  gsize hash_len = 0;

  if (g_strv_length (fields) != 6 ||
      !parse_unsigned (fields[2], G_MAXUINT32, &generation) ||
      !parse_unsigned (fields[3], G_MAXUINT32, &sequence) ||
      !parse_unsigned (fields[4], CRASH_MAX_SIZE, &size) ||
      (hash = wa_hex_decode (fields[5], &hash_len, NULL)) == NULL ||
      hash_len != WA_SHA256_SIZE)
    return FALSE;

  info->generation = generation;
  info->sequence = sequence;
  info->size = size;
  info->has_hash = TRUE;
  memcpy (info->sha256, hash, WA_SHA256_SIZE);
  add_ack (state, fields[1], g_steal_pointer (&info), problems);
  state->acked_singles++;

  return TRUE;
}

static gboolean
parse_batch (CrashVaultState  *state,
             char            **fields,
             GPtrArray        *problems)
{
  guint64 generation, batch, count;

  if (g_strv_length (fields) < 4 ||
      !parse_unsigned (fields[1], G_MAXUINT32, &generation) ||
      !parse_unsigned (fields[2], G_MAXUINT32, &batch) ||
      !parse_unsigned (fields[3], CRASH_BATCH_MAX_COUNT, &count) ||
      g_strv_length (fields) != 4 + count)
    return FALSE;

  for (guint i = 0; i < count; i++)
    {
      CrashRecordInfo *info = g_new0 (CrashRecordInfo, 1);

      info->batch = TRUE;
      info->generation = generation;
      info->sequence = batch;
      info->index = i;
      info->count = count;
      add_ack (state, fields[4 + i], info, problems);
    }
  state->acked_batches++;

  return TRUE;
}

/**
 * crash_vault_state_parse:
 * @lines: the complete lines of one writer run
 *
 * Records the acknowledgements in @lines; they replace the previous run's
 * as the new ones.
 */
void
crash_vault_state_parse (CrashVaultState *state,
                         GPtrArray       *lines,
                         GPtrArray       *problems)
{
  g_ptr_array_set_size (state->new_acks, 0);

  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_auto(GStrv) fields = g_strsplit (line, " ", -1);
      gboolean parsed = FALSE;

      if (g_str_equal (line, "ready"))
        continue;

      if (g_strcmp0 (fields[0], "put") == 0)
        parsed = parse_put (state, fields, problems);
      else if (g_strcmp0 (fields[0], "batch") == 0)
        parsed = parse_batch (state, fields, problems);

      if (!parsed)
        crash_problems_add (problems, CRASH_PROBLEM_WRITER, NULL,
                            "The writer printed a line the test does not understand: \"%s\"", line);
    }
}

/* Decoding records ---------------------------------------------------------- */

static gboolean
pattern_matches (const guint8 *data,
                 gsize         len,
                 guint         generation,
                 guint64       sequence,
                 guint         index)
{
  g_autofree guint8 *expected = g_malloc (MAX (len, 1));

  crash_fill_pattern (expected, len, generation, sequence, index);

  return memcmp (expected, data, len) == 0;
}

static CrashRecordInfo *
decode_single (const char *id,
               GBytes     *data,
               GBytes     *metadata,
               GPtrArray  *problems)
{
  g_autofree CrashRecordInfo *info = g_new0 (CrashRecordInfo, 1);
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *text = NULL;
  g_autofree char *hex = NULL;
  g_autoptr(GBytes) expected = NULL;
  JsonObject *object;
  const guint8 *bytes;
  gsize len;

  if (metadata == NULL)
    {
      crash_problems_add (problems, CRASH_PROBLEM_CONTENT, id, "Record %s lost its metadata", id);
      return NULL;
    }

  text = g_strndup (g_bytes_get_data (metadata, NULL), g_bytes_get_size (metadata));
  root = json_from_string (text, NULL);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      crash_problems_add (problems, CRASH_PROBLEM_CONTENT, id,
                          "Record %s has metadata that is not a JSON object: \"%s\"", id, text);
      return NULL;
    }

  object = json_node_get_object (root);
  info->generation = json_object_get_int_member_with_default (object, "generation", 0);
  info->sequence = json_object_get_int_member_with_default (object, "sequence", 0);
  info->size = json_object_get_int_member_with_default (object, "size", -1);

  /* The content must be exactly what the writer generated for this
   * generation and sequence, and match the hash it put in the metadata. */
  bytes = g_bytes_get_data (data, &len);
  expected = crash_single_content_new (info->generation, info->sequence, len);
  wa_crypto_sha256 (bytes, len, info->sha256);
  info->has_hash = TRUE;
  hex = wa_hex_encode (info->sha256, sizeof info->sha256);
  if (len != info->size ||
      g_strcmp0 (hex, json_object_get_string_member_with_default (object, "sha256", "")) != 0 ||
      !g_bytes_equal (expected, data))
    {
      crash_problems_add (problems, CRASH_PROBLEM_CONTENT, id,
                          "Record %s holds %" G_GSIZE_FORMAT " bytes that are not the content its metadata (%s) describes",
                          id, len, text);
      return NULL;
    }

  return g_steal_pointer (&info);
}

static CrashRecordInfo *
decode_batch (const char *id,
              GBytes     *data,
              GBytes     *metadata,
              GPtrArray  *problems)
{
  g_autofree CrashRecordInfo *info = g_new0 (CrashRecordInfo, 1);
  const guint8 *bytes;
  guint32 be32;
  guint16 be16;
  gsize len;

  bytes = g_bytes_get_data (data, &len);
  if (metadata != NULL || len < CRASH_BATCH_HEADER_SIZE || memcmp (bytes, CRASH_BATCH_MAGIC, 4) != 0)
    {
      crash_problems_add (problems, CRASH_PROBLEM_CONTENT, id,
                          "Record %s (%" G_GSIZE_FORMAT " bytes) does not start with a batch header", id, len);
      return NULL;
    }

  info->batch = TRUE;
  memcpy (&be32, bytes + 4, 4);
  info->generation = GUINT32_FROM_BE (be32);
  memcpy (&be32, bytes + 8, 4);
  info->sequence = GUINT32_FROM_BE (be32);
  memcpy (&be16, bytes + 12, 2);
  info->index = GUINT16_FROM_BE (be16);
  memcpy (&be16, bytes + 14, 2);
  info->count = GUINT16_FROM_BE (be16);
  info->size = len;
  info->has_hash = TRUE;
  wa_crypto_sha256 (bytes, len, info->sha256);

  if (info->count < CRASH_BATCH_MIN_COUNT || info->count > CRASH_BATCH_MAX_COUNT ||
      info->index >= info->count ||
      !pattern_matches (bytes + CRASH_BATCH_HEADER_SIZE, len - CRASH_BATCH_HEADER_SIZE,
                        info->generation, info->sequence, info->index))
    {
      crash_problems_add (problems, CRASH_PROBLEM_CONTENT, id,
                          "Record %s is not the content of record %u of %u of batch %u/%" G_GUINT64_FORMAT,
                          id, info->index, info->count, info->generation, info->sequence);
      return NULL;
    }

  return g_steal_pointer (&info);
}

static CrashRecordInfo *
decode_record (WaVault       *vault,
               WaVaultRecord *header,
               GPtrArray     *problems)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) data = NULL;
  g_autoptr(GBytes) metadata = NULL;

  data = wa_vault_get (vault, header->id, NULL, &metadata, &error);
  if (data == NULL)
    {
      crash_problems_add (problems, CRASH_PROBLEM_CONTENT, header->id,
                          "Record %s is listed but cannot be read: %s", header->id, error->message);
      return NULL;
    }

  if (g_strcmp0 (header->record_type, CRASH_SINGLE_TYPE) == 0)
    return decode_single (header->id, data, metadata, problems);
  if (g_strcmp0 (header->record_type, CRASH_BATCH_TYPE) == 0)
    return decode_batch (header->id, data, metadata, problems);

  crash_problems_add (problems, CRASH_PROBLEM_CONTENT, header->id,
                      "Record %s has the type \"%s\", which the writer never stores",
                      header->id, header->record_type);

  return NULL;
}

static gboolean
record_info_equal (const CrashRecordInfo *acked,
                   const CrashRecordInfo *found)
{
  if (acked->batch != found->batch || acked->generation != found->generation ||
      acked->sequence != found->sequence)
    return FALSE;

  if (acked->batch)
    return acked->index == found->index && acked->count == found->count;

  return acked->size == found->size && memcmp (acked->sha256, found->sha256, WA_SHA256_SIZE) == 0;
}

static char *
record_info_describe (const CrashRecordInfo *info)
{
  g_autofree char *hex = NULL;

  if (info->batch)
    return g_strdup_printf ("record %u of %u of batch %u/%" G_GUINT64_FORMAT,
                            info->index, info->count, info->generation, info->sequence);

  hex = info->has_hash ? wa_hex_encode (info->sha256, sizeof info->sha256) : g_strdup ("?");

  return g_strdup_printf ("single record %u/%" G_GUINT64_FORMAT " (%" G_GSIZE_FORMAT " bytes, SHA-256 %s)",
                          info->generation, info->sequence, info->size, hex);
}

/* Batches ------------------------------------------------------------------- */

typedef struct
{
  guint  count;
  guint  seen;           /* bit i: record i was found */
  char  *first_id;
} BatchSeen;

static void
batch_seen_free (gpointer data)
{
  BatchSeen *seen = data;

  g_free (seen->first_id);
  g_free (seen);
}

static void
note_batch_record (GHashTable            *batches,
                   const char            *id,
                   const CrashRecordInfo *info,
                   GPtrArray             *problems)
{
  g_autofree char *key = g_strdup_printf ("%u/%" G_GUINT64_FORMAT, info->generation, info->sequence);
  BatchSeen *seen = g_hash_table_lookup (batches, key);

  if (seen == NULL)
    {
      seen = g_new0 (BatchSeen, 1);
      seen->count = info->count;
      seen->first_id = g_strdup (id);
      g_hash_table_insert (batches, g_steal_pointer (&key), seen);
    }

  if (seen->count != info->count || (seen->seen & (1u << info->index)) != 0)
    crash_problems_add (problems, CRASH_PROBLEM_BATCH, id,
                        "Record %s claims to be record %u of %u in batch %u/%" G_GUINT64_FORMAT
                        ", which another record (%s) already is or contradicts",
                        id, info->index, info->count, info->generation, info->sequence, seen->first_id);
  seen->seen |= 1u << info->index;
}

static void
check_batches_complete (GHashTable *batches,
                        GPtrArray  *problems)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, batches);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      BatchSeen *seen = value;

      if (seen->seen != (1u << seen->count) - 1)
        crash_problems_add (problems, CRASH_PROBLEM_BATCH, seen->first_id,
                            "Batch %s is visible in part (records found: mask 0x%x of %u); "
                            "wa_vault_put_many() must store all of a batch or none",
                            (const char *) key, seen->seen, seen->count);
    }
}

/* Checks ---------------------------------------------------------------------- */

/**
 * crash_sqlite_check:
 *
 * Opens the database with SQLite alone, as the first process after the
 * kill (so this is also where the WAL is recovered), and runs the full
 * integrity check, which reads every page.
 */
void
crash_sqlite_check (const char *path,
                    GPtrArray  *problems)
{
  g_autoptr(GString) result = g_string_new (NULL);
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  int rc;

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL);
  if (rc == SQLITE_OK)
    rc = sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL);
  while (rc == SQLITE_OK && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (result->len > 0)
        g_string_append (result, "; ");
      g_string_append (result, (const char *) sqlite3_column_text (stmt, 0));
      rc = SQLITE_OK;
    }

  if (rc != SQLITE_DONE)
    crash_problems_add (problems, CRASH_PROBLEM_DATABASE, NULL,
                        "SQLite cannot check %s: %s", path,
                        db != NULL ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
  else if (!g_str_equal (result->str, "ok"))
    crash_problems_add (problems, CRASH_PROBLEM_DATABASE, NULL,
                        "PRAGMA integrity_check of %s says: %s", path, result->str);

  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

static void
check_acked (CrashVaultState *state,
             const char      *id,
             GHashTable      *listed,
             GHashTable      *found,
             GPtrArray       *problems)
{
  const CrashRecordInfo *acked = g_hash_table_lookup (state->acked, id);
  const CrashRecordInfo *info = g_hash_table_lookup (found, id);

  if (!g_hash_table_contains (listed, id))
    crash_problems_add (problems, CRASH_PROBLEM_MISSING, id,
                        "Record %s was acknowledged (its put returned) but is not in the vault", id);
  else if (info != NULL && !record_info_equal (acked, info))
    {
      g_autofree char *acked_text = record_info_describe (acked);
      g_autofree char *found_text = record_info_describe (info);

      crash_problems_add (problems, CRASH_PROBLEM_CONTENT, id,
                          "Record %s holds %s, but %s was acknowledged under its id",
                          id, found_text, acked_text);
    }

  /* Otherwise it did not decode, which is reported already, or it was
   * found intact by an earlier check and this one is not full. */
}

/* Every put is recorded in the audit log in the same transaction: after a
 * kill the log must verify, and its vault.put entries must name exactly
 * the records the vault holds, each once. */
static void
check_audit (CrashVaultState *state,
             WaVault         *vault,
             GHashTable      *listed,
             GPtrArray       *problems)
{
  g_autoptr(WaAuditLog) log = wa_audit_log_new (vault);
  g_autoptr(WaAuditReport) report = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(WaSecureBytes) audit_key = NULL;
  g_autoptr(GHashTable) named = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(GError) error = NULL;
  GHashTableIter iter;
  gpointer key;

  report = wa_audit_log_verify (log, wa_keyring_get_sign_public_key (state->keyring), NULL, 0, G_MAXUINT64, &error);
  if (report == NULL || !report->ok)
    {
      crash_problems_add (problems, CRASH_PROBLEM_AUDIT, NULL, "The audit log does not verify after the kill: %s",
                          report != NULL ? report->problem : error->message);
      return;
    }

  entries = wa_audit_log_get_entries (log, 0, G_MAXUINT64, &error);
  audit_key = wa_key_provider_derive_subkey (WA_KEY_PROVIDER (state->tenant), WA_TENANT_SUBKEY_AUDIT, &error);
  if (entries == NULL || audit_key == NULL)
    {
      crash_problems_add (problems, CRASH_PROBLEM_AUDIT, NULL, "The audit log cannot be read: %s", error->message);
      return;
    }

  for (guint i = 0; i < entries->len; i++)
    {
      const WaAuditEntry *entry = g_ptr_array_index (entries, i);
      g_autoptr(JsonObject) body = NULL;
      JsonArray *ids;

      if (g_strcmp0 (entry->event_type, "vault.put") != 0)
        continue;

      body = wa_audit_entry_open_body (entry, wa_secure_bytes_get_data (audit_key), &error);
      if (body == NULL)
        {
          crash_problems_add (problems, CRASH_PROBLEM_AUDIT, NULL, "Audit entry %" G_GUINT64_FORMAT ": %s",
                              entry->index, error->message);
          g_clear_error (&error);
          continue;
        }

      ids = json_object_get_array_member (json_object_get_object_member (body, "metadata"), "record_ids");
      for (guint j = 0; j < json_array_get_length (ids); j++)
        {
          const char *id = json_array_get_string_element (ids, j);

          if (!g_hash_table_add (named, g_strdup (id)))
            crash_problems_add (problems, CRASH_PROBLEM_AUDIT, id, "Record %s is recorded as put twice", id);
          if (!g_hash_table_contains (listed, id))
            crash_problems_add (problems, CRASH_PROBLEM_AUDIT, id,
                                "The audit log records the put of %s, which is not in the vault", id);
        }
    }

  g_hash_table_iter_init (&iter, listed);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (named, key))
      crash_problems_add (problems, CRASH_PROBLEM_AUDIT, key,
                          "Record %s is in the vault, but no audit entry records its put", (const char *) key);
}

static void
check_open_vault (CrashVaultState *state,
                  WaVault         *vault,
                  gboolean         full,
                  GPtrArray       *problems)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) records = NULL;
  g_autoptr(GPtrArray) verify_problems = NULL;
  g_autoptr(GHashTable) listed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GHashTable) found = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  g_autoptr(GHashTable) batches = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, batch_seen_free);
  GHashTableIter iter;
  gpointer key;
  guint unacked = 0;

  records = wa_vault_list (vault, &error);
  if (records == NULL)
    {
      crash_problems_add (problems, CRASH_PROBLEM_DATABASE, NULL,
                          "The vault cannot list its records: %s", error->message);
      return;
    }

  for (guint i = 0; i < records->len; i++)
    {
      WaVaultRecord *header = g_ptr_array_index (records, i);

      g_hash_table_add (listed, header->id);
      if (!g_hash_table_contains (state->acked, header->id))
        unacked++;
    }

  /* Nothing found intact once may disappear later. */
  g_hash_table_iter_init (&iter, state->intact);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    if (!g_hash_table_contains (listed, key))
      crash_problems_add (problems, CRASH_PROBLEM_MISSING, key,
                          "Record %s was intact at an earlier check and is now gone", (const char *) key);

  /* Every listed record must decrypt to what the writer generated: a
   * record half-written by a killed transaction would not.  Records found
   * intact before are skipped except in a full check, to keep a hundred
   * checks of a growing vault within a few minutes. */
  for (guint i = 0; i < records->len; i++)
    {
      WaVaultRecord *header = g_ptr_array_index (records, i);
      CrashRecordInfo *info;

      if (!full && g_hash_table_contains (state->intact, header->id))
        continue;

      info = decode_record (vault, header, problems);
      if (info == NULL)
        continue;

      if (info->batch)
        note_batch_record (batches, header->id, info, problems);
      g_hash_table_insert (found, g_strdup (header->id), info);
    }

  /* A batch's records are only ever new together, so the batches among
   * the records decoded here are complete or a batch was torn. */
  check_batches_complete (batches, problems);

  /* Every acknowledged record must be there, and be what was acknowledged. */
  if (full)
    {
      g_hash_table_iter_init (&iter, state->acked);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        check_acked (state, key, listed, found, problems);
    }
  else
    {
      for (guint i = 0; i < state->new_acks->len; i++)
        check_acked (state, g_ptr_array_index (state->new_acks, i), listed, found, problems);
    }

  if (full)
    {
      verify_problems = wa_vault_verify (vault, &error);
      if (verify_problems == NULL)
        crash_problems_add (problems, CRASH_PROBLEM_DATABASE, NULL,
                            "wa_vault_verify() failed: %s", error->message);
      for (guint i = 0; verify_problems != NULL && i < verify_problems->len; i++)
        {
          WaVaultProblem *problem = g_ptr_array_index (verify_problems, i);

          crash_problems_add (problems, CRASH_PROBLEM_VERIFY, problem->record_id,
                              "wa_vault_verify() reports record %s: %s",
                              problem->record_id, problem->message);
        }
    }

  check_audit (state, vault, listed, problems);

  g_hash_table_iter_init (&iter, found);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    g_hash_table_add (state->intact, g_strdup (key));

  state->records = records->len;
  state->unacked = unacked;
}

/**
 * crash_vault_check:
 * @full: whether to decrypt every record and run wa_vault_verify(), not
 *   only the records that are new since the last check
 *
 * Checks the vault after a kill and adds what is wrong to @problems.
 */
void
crash_vault_check (CrashVaultState *state,
                   gboolean         full,
                   GPtrArray       *problems)
{
  g_autoptr(GError) error = NULL;
  WaVault *vault;

  crash_sqlite_check (state->path, problems);
  if (problems->len > 0)
    return;

  vault = wa_vault_open (state->path, &error);
  if (vault == NULL)
    {
      crash_problems_add (problems, CRASH_PROBLEM_DATABASE, NULL,
                          "The vault does not open after the kill: %s", error->message);
      return;
    }

  wa_vault_set_keys (vault, CRASH_USER_ID, state->keyring, WA_KEY_PROVIDER (state->tenant));
  check_open_vault (state, vault, full, problems);

  /* Closed before the next writer starts, which must find the database
   * as a fresh process after a crash would. */
  wa_vault_close (vault);
  g_assert_finalize_object (vault);
}
