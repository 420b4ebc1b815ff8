/* bench-vault.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Puts and gets records through WaVault and, as the baseline, through a
 * plain SQLite database with the same schema, the same pragmas and the same
 * transaction granularity, but neither encryption nor signatures: the
 * plaintext goes into encrypted_data and the hash, signature and signer
 * columns hold dummy blobs of the right sizes.  Both run in the same
 * process, on the same disk, in the same run, and the table prints their
 * ratio.
 */

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>
#include <sodium.h>
#include <glib/gstdio.h>
#include <sqlite3.h>

#include "wa-crypto.h"
#include "wa-keyring.h"
#include "wa-software-key-provider.h"
#include "wa-vault.h"
#include "wa-vault-private.h"

#include "bench-common.h"

#define TARGET_RATIO 0.7
#define BENCH_USER   "bench-user"

static int opt_records = 10000;
static int opt_record_size = 4096;
static int opt_batch = 1000;
static int opt_repeat = 3;
static char *opt_dir = NULL;
static gboolean opt_skip_normal = FALSE;
static gboolean opt_skip_primitives = FALSE;

static const GOptionEntry entries[] = {
  { "records", 'n', 0, G_OPTION_ARG_INT, &opt_records, "Records per run (10000)", "N" },
  { "record-size", 's', 0, G_OPTION_ARG_INT, &opt_record_size, "Bytes per record (4096)", "BYTES" },
  { "batch", 'b', 0, G_OPTION_ARG_INT, &opt_batch, "Records per batch (1000)", "N" },
  { "repeat", 'r', 0, G_OPTION_ARG_INT, &opt_repeat, "Runs per measurement; the median is shown (3)", "N" },
  { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &opt_dir, "Where the databases go (the temporary folder)", "DIR" },
  { "full-only", 0, 0, G_OPTION_ARG_NONE, &opt_skip_normal, "Skip the synchronous=NORMAL rows", NULL },
  { "no-primitives", 0, 0, G_OPTION_ARG_NONE, &opt_skip_primitives, "Skip the per-record cost breakdown", NULL },
  { NULL }
};


/* A store under test: the vault, or plain SQLite.  @batch is 1 for one
 * call (and one transaction) per record. */
typedef struct
{
  const char *name;
  gpointer    (*open)(const char  *path,
                      const char  *synchronous,
                      WaKeyring   *keyring,
                      GError     **error);
  void        (*close)(gpointer     store);
  gboolean    (*put)(gpointer     store,
                     GPtrArray   *datas,
                     guint        batch,
                     GPtrArray   *ids,
                     GError     **error);
  gboolean    (*get)(gpointer     store,
                     GPtrArray   *ids,
                     const guint *order,
                     GPtrArray   *datas,
                     guint        batch,
                     GError     **error);
} Backend;

static gboolean
check_data (GBytes  *got,
            GBytes  *expected,
            GError **error)
{
  if (got == NULL || !g_bytes_equal (got, expected))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "A record read back differs from what was written; the benchmark is invalid");
      return FALSE;
    }

  return TRUE;
}

/* The vault --------------------------------------------------------------- */

/* WaVault always opens with synchronous=FULL.  For the NORMAL rows this job
 * changes it on the vault's own worker thread, which owns the connection,
 * through the private job API: the public API has no such knob, and should
 * not have one. */
static void
set_synchronous_job (WaVault  *vault,
                     GTask    *task,
                     gpointer  data)
{
  g_autofree char *sql = g_strdup_printf ("PRAGMA synchronous = %s", (const char *) data);
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_exec (vault->db, sql, NULL, NULL, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (vault->db, "PRAGMA synchronous", -1, &stmt, NULL) != SQLITE_OK ||
      sqlite3_step (stmt) != SQLITE_ROW)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_FAILED,
                               "Could not set synchronous on the vault: %s", sqlite3_errmsg (vault->db));
      return;
    }

  g_task_return_int (task, sqlite3_column_int (stmt, 0));
}

static int
synchronous_level (const char *name)
{
  return g_str_equal (name, "FULL") ? 2 : g_str_equal (name, "NORMAL") ? 1 : -1;
}

static gpointer
vault_open (const char  *path,
            const char  *synchronous,
            WaKeyring   *keyring,
            GError     **error)
{
  g_autoptr(WaVault) vault = NULL;
  g_autoptr(WaSoftwareKeyProvider) tenant = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  gssize level;

  vault = wa_vault_open (path, error);
  if (vault == NULL)
    return NULL;
  /* Every write is recorded in the audit log, whose bodies are encrypted
   * with the tenant audit key. */
  tenant = wa_software_key_provider_new_generated ("bench-tenant");
  wa_vault_set_keys (vault, BENCH_USER, keyring, WA_KEY_PROVIDER (tenant));

  result = wa_vault_run_sync (vault, set_synchronous_job, set_synchronous_job,
                              (gpointer) synchronous, NULL);
  level = g_task_propagate_int (G_TASK (result), error);
  if (level < 0)
    return NULL;
  if (level != synchronous_level (synchronous))
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The vault runs with synchronous=%" G_GSSIZE_FORMAT ", not %s", level, synchronous);
      return NULL;
    }

  return g_steal_pointer (&vault);
}

static void
vault_close (gpointer store)
{
  WaVault *vault = store;

  wa_vault_close (vault);
  g_object_unref (vault);
}

static gboolean
vault_put (gpointer    store,
           GPtrArray  *datas,
           guint       batch,
           GPtrArray  *ids,
           GError    **error)
{
  WaVault *vault = store;
  g_autoptr(WaVaultRecord) template = wa_vault_record_new ("bench", WA_CLASSIFICATION_CONFIDENTIAL);

  if (batch == 1)
    {
      for (guint i = 0; i < datas->len; i++)
        {
          char *id = wa_vault_put (vault, template, g_ptr_array_index (datas, i), NULL, error);

          if (id == NULL)
            return FALSE;
          g_ptr_array_add (ids, id);
        }

      return TRUE;
    }

  for (guint start = 0; start < datas->len; start += batch)
    {
      g_autoptr(GPtrArray) slice = g_ptr_array_new ();
      g_autoptr(GPtrArray) new_ids = NULL;

      for (guint i = start; i < MIN (start + batch, datas->len); i++)
        g_ptr_array_add (slice, g_ptr_array_index (datas, i));

      new_ids = wa_vault_put_many (vault, template, slice, error);
      if (new_ids == NULL)
        return FALSE;
      for (guint i = 0; i < new_ids->len; i++)
        g_ptr_array_add (ids, g_steal_pointer (&new_ids->pdata[i]));
    }

  return TRUE;
}

static gboolean
vault_get (gpointer     store,
           GPtrArray   *ids,
           const guint *order,
           GPtrArray   *datas,
           guint        batch,
           GError     **error)
{
  WaVault *vault = store;

  if (batch == 1)
    {
      for (guint k = 0; k < ids->len; k++)
        {
          g_autoptr(GBytes) data = wa_vault_get (vault, g_ptr_array_index (ids, order[k]), NULL, NULL, error);

          if (data == NULL || !check_data (data, g_ptr_array_index (datas, order[k]), error))
            return FALSE;
        }

      return TRUE;
    }

  for (guint start = 0; start < ids->len; start += batch)
    {
      g_autoptr(GPtrArray) slice = g_ptr_array_new ();
      g_autoptr(GPtrArray) got = NULL;
      guint end = MIN (start + batch, ids->len);

      for (guint k = start; k < end; k++)
        g_ptr_array_add (slice, g_ptr_array_index (ids, order[k]));

      got = wa_vault_get_many (vault, slice, error);
      if (got == NULL)
        return FALSE;
      for (guint k = start; k < end; k++)
        {
          if (!check_data (g_ptr_array_index (got, k - start), g_ptr_array_index (datas, order[k]), error))
            return FALSE;
        }
    }

  return TRUE;
}

/* Plain SQLite -------------------------------------------------------------- */

typedef struct
{
  sqlite3      *db;
  sqlite3_stmt *insert;
  sqlite3_stmt *select;
  char         *key_info;
  guint8        data_hash[WA_SHA256_SIZE];
  guint8        signature[WA_SIGNATURE_SIZE];
  guint8        signer_key[WA_SIGN_PUBLIC_KEY_SIZE];
} PlainStore;

static void
plain_close (gpointer store)
{
  PlainStore *plain = store;

  sqlite3_finalize (plain->insert);
  sqlite3_finalize (plain->select);
  sqlite3_close_v2 (plain->db);
  g_free (plain->key_info);
  g_free (plain);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (PlainStore, plain_close)

static gboolean
plain_exec (PlainStore  *plain,
            const char  *sql,
            GError     **error)
{
  if (sqlite3_exec (plain->db, sql, NULL, NULL, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "SQLite failed on \"%s\": %s", sql, sqlite3_errmsg (plain->db));
      return FALSE;
    }

  return TRUE;
}

/* key_info of the same shape and length as the vault's. */
static char *
plain_key_info_new (void)
{
  guint8 wrapped[WA_AEAD_NONCE_SIZE + WA_AEAD_KEY_SIZE + WA_AEAD_TAG_SIZE] = { 0 };
  g_autofree char *text = g_base64_encode (wrapped, sizeof wrapped);

  return g_strdup_printf ("{\"aead\":\"xchacha20poly1305-ietf\",\"key_wrap\":\"scope-key-v1\","
                          "\"scope\":\"user:" BENCH_USER "\",\"wrapped_key\":\"%s\"}",
                          text);
}

/* The plain store gets the vault's own schema: a vault is created beside
 * it, and every table and index it has is made again in the plain file. */
static gboolean
copy_vault_schema (PlainStore  *plain,
                   const char  *path,
                   GError     **error)
{
  g_autofree char *vault_path = g_strconcat (path, ".schema-source", NULL);
  g_autoptr(WaVault) vault = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;
  gboolean ok = TRUE;

  vault = wa_vault_open (vault_path, error);
  if (vault == NULL)
    return FALSE;
  wa_vault_close (vault);

  if (sqlite3_open_v2 (vault_path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (db,
                          /* SQLite's own tables (sqlite_sequence) are made by SQLite. */
                          "SELECT sql FROM sqlite_schema WHERE sql IS NOT NULL "
                          "AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY rowid",
                          -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not read the vault's schema: %s",
                   sqlite3_errmsg (db));
      ok = FALSE;
    }

  while (ok && sqlite3_step (stmt) == SQLITE_ROW)
    ok = plain_exec (plain, (const char *) sqlite3_column_text (stmt, 0), error);

  sqlite3_finalize (stmt);
  sqlite3_close (db);
  g_unlink (vault_path);

  return ok;
}

static gpointer
plain_open (const char  *path,
            const char  *synchronous,
            WaKeyring   *keyring,
            GError     **error)
{
  g_autoptr(PlainStore) plain = g_new0 (PlainStore, 1);
  g_autofree char *set_synchronous = g_strdup_printf ("PRAGMA synchronous = %s", synchronous);

  if (sqlite3_open_v2 (path, &plain->db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX,
                       NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not open %s: %s", path,
                   plain->db != NULL ? sqlite3_errmsg (plain->db) : "out of memory");
      return NULL;
    }
  sqlite3_busy_timeout (plain->db, 5000);

  /* The pragmas WaVault sets, in the same order. */
  if (!plain_exec (plain, "PRAGMA journal_mode = WAL", error) ||
      !plain_exec (plain, set_synchronous, error) ||
      !plain_exec (plain, "PRAGMA secure_delete = ON", error) ||
      !plain_exec (plain, "PRAGMA foreign_keys = ON", error) ||
      !plain_exec (plain, "BEGIN IMMEDIATE", error))
    return NULL;
  if (!copy_vault_schema (plain, path, error) ||
      !plain_exec (plain, "COMMIT", error))
    return NULL;

  if (sqlite3_prepare_v2 (plain->db,
                          "INSERT INTO records (id, record_type, encrypted_data, encrypted_metadata, "
                          "data_hash, signature, signer_key, key_info, scope_id, user_id, tenant_id, "
                          "access_policy, retention_policy, classification, format_version, created_at) "
                          "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                          -1, &plain->insert, NULL) != SQLITE_OK ||
      sqlite3_prepare_v2 (plain->db,
                          "SELECT id, record_type, encrypted_data, encrypted_metadata, data_hash, "
                          "signature, signer_key, key_info, scope_id, user_id, tenant_id, "
                          "access_policy, retention_policy, classification, format_version, created_at "
                          "FROM records WHERE id = ?",
                          -1, &plain->select, NULL) != SQLITE_OK)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not prepare: %s", sqlite3_errmsg (plain->db));
      return NULL;
    }

  plain->key_info = plain_key_info_new ();
  randombytes_buf (plain->data_hash, sizeof plain->data_hash);
  randombytes_buf (plain->signature, sizeof plain->signature);
  randombytes_buf (plain->signer_key, sizeof plain->signer_key);

  return g_steal_pointer (&plain);
}

static gboolean
plain_insert (PlainStore  *plain,
              GBytes      *data,
              GPtrArray   *ids,
              GError     **error)
{
  sqlite3_stmt *insert = plain->insert;
  char *id = wa_crypto_new_uuid ();
  gsize size;
  const guint8 *bytes = g_bytes_get_data (data, &size);

  g_ptr_array_add (ids, id);

  sqlite3_reset (insert);
  sqlite3_bind_text (insert, 1, id, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, "bench", -1, SQLITE_STATIC);
  sqlite3_bind_blob (insert, 3, bytes, size, SQLITE_STATIC);
  sqlite3_bind_null (insert, 4);
  sqlite3_bind_blob (insert, 5, plain->data_hash, sizeof plain->data_hash, SQLITE_STATIC);
  sqlite3_bind_blob (insert, 6, plain->signature, sizeof plain->signature, SQLITE_STATIC);
  sqlite3_bind_blob (insert, 7, plain->signer_key, sizeof plain->signer_key, SQLITE_STATIC);
  sqlite3_bind_text (insert, 8, plain->key_info, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 9, "user:" BENCH_USER, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 10, BENCH_USER, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 11, "", -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 12, "{}", -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 13, "keep", -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 14, "CONFIDENTIAL", -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 15, WA_VAULT_FORMAT_VERSION);
  sqlite3_bind_int64 (insert, 16, g_get_real_time ());

  if (sqlite3_step (insert) != SQLITE_DONE)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not insert: %s", sqlite3_errmsg (plain->db));
      return FALSE;
    }

  return TRUE;
}

static gboolean
plain_put (gpointer    store,
           GPtrArray  *datas,
           guint       batch,
           GPtrArray  *ids,
           GError    **error)
{
  PlainStore *plain = store;

  for (guint start = 0; start < datas->len; start += batch)
    {
      if (!plain_exec (plain, "BEGIN IMMEDIATE", error))
        return FALSE;
      for (guint i = start; i < MIN (start + batch, datas->len); i++)
        {
          if (!plain_insert (plain, g_ptr_array_index (datas, i), ids, error))
            return FALSE;
        }
      if (!plain_exec (plain, "COMMIT", error))
        return FALSE;
    }

  return TRUE;
}

static GBytes *
plain_select (PlainStore  *plain,
              const char  *id,
              GError     **error)
{
  sqlite3_stmt *select = plain->select;

  sqlite3_reset (select);
  sqlite3_bind_text (select, 1, id, -1, SQLITE_STATIC);
  if (sqlite3_step (select) != SQLITE_ROW)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "Could not read %s: %s", id, sqlite3_errmsg (plain->db));
      return NULL;
    }

  return g_bytes_new (sqlite3_column_blob (select, 2), sqlite3_column_bytes (select, 2));
}

static gboolean
plain_get (gpointer     store,
           GPtrArray   *ids,
           const guint *order,
           GPtrArray   *datas,
           guint        batch,
           GError     **error)
{
  PlainStore *plain = store;

  for (guint start = 0; start < ids->len; start += batch)
    {
      /* A batch reads in one transaction; single gets use autocommit. */
      if (batch > 1 && !plain_exec (plain, "BEGIN", error))
        return FALSE;
      for (guint k = start; k < MIN (start + batch, ids->len); k++)
        {
          g_autoptr(GBytes) data = plain_select (plain, g_ptr_array_index (ids, order[k]), error);

          if (data == NULL || !check_data (data, g_ptr_array_index (datas, order[k]), error))
            return FALSE;
        }
      if (batch > 1 && !plain_exec (plain, "COMMIT", error))
        return FALSE;
    }

  return TRUE;
}

/* The driver ------------------------------------------------------------- */

static const Backend backends[] = {
  { "vault", vault_open, vault_close, vault_put, vault_get },
  { "plain", plain_open, plain_close, plain_put, plain_get },
};

enum
{
  OP_PUT_EACH,
  OP_PUT_BATCH,
  OP_GET_EACH,
  OP_GET_BATCH,
  N_OPS
};

static const char *synchronous_modes[] = { "FULL", "NORMAL" };
#define N_SYNC  G_N_ELEMENTS (synchronous_modes)
#define N_STORE G_N_ELEMENTS (backends)

typedef struct
{
  char       *dir;
  WaKeyring  *keyring;
  GPtrArray  *datas;
  guint      *order;
  guint       serial;
  GArray     *rates[N_SYNC][N_OPS][N_STORE];
} Bench;

static char *
bench_next_path (Bench *bench)
{
  g_autofree char *name = g_strdup_printf ("store-%u.db", bench->serial++);

  return g_build_filename (bench->dir, name, NULL);
}

static void
remove_database (const char *path)
{
  const char *suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      bench_remove_tree (file);
    }
}

static void
add_rate (Bench  *bench,
          guint   sync,
          guint   op,
          guint   store,
          double  seconds)
{
  double rate = bench->datas->len / MAX (seconds, 1e-9);

  g_array_append_val (bench->rates[sync][op][store], rate);
}

/* One run of every operation on one store: puts one record per transaction
 * into a fresh database, then puts in batches into another fresh database
 * and reads that one back, record by record and in batches. */
static gboolean
run_store (Bench          *bench,
           const Backend  *backend,
           guint           sync,
           guint           store,
           GError        **error)
{
  const char *synchronous = synchronous_modes[sync];
  g_autofree char *path_each = bench_next_path (bench);
  g_autofree char *path_batch = bench_next_path (bench);
  g_autoptr(GPtrArray) ids_each = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  gpointer handle;
  double start;
  gboolean ok;

  handle = backend->open (path_each, synchronous, bench->keyring, error);
  if (handle == NULL)
    return FALSE;
  start = bench_now ();
  ok = backend->put (handle, bench->datas, 1, ids_each, error);
  if (ok)
    add_rate (bench, sync, OP_PUT_EACH, store, bench_now () - start);
  backend->close (handle);
  remove_database (path_each);
  if (!ok)
    return FALSE;

  handle = backend->open (path_batch, synchronous, bench->keyring, error);
  if (handle == NULL)
    return FALSE;

  start = bench_now ();
  ok = backend->put (handle, bench->datas, opt_batch, ids, error);
  if (ok)
    add_rate (bench, sync, OP_PUT_BATCH, store, bench_now () - start);

  if (ok)
    {
      start = bench_now ();
      ok = backend->get (handle, ids, bench->order, bench->datas, 1, error);
      if (ok)
        add_rate (bench, sync, OP_GET_EACH, store, bench_now () - start);
    }

  if (ok)
    {
      start = bench_now ();
      ok = backend->get (handle, ids, bench->order, bench->datas, opt_batch, error);
      if (ok)
        add_rate (bench, sync, OP_GET_BATCH, store, bench_now () - start);
    }

  backend->close (handle);
  remove_database (path_batch);

  return ok;
}

static void
print_table (Bench *bench)
{
  static const char *op_names[N_OPS] = { "put", "put", "get", "get" };
  const char *each = "1 per call";
  g_autofree char *batch = g_strdup_printf ("%d per call", opt_batch);
  const char *granularities[N_OPS];
  guint n_missed = 0;

  granularities[OP_PUT_EACH] = each;
  granularities[OP_PUT_BATCH] = batch;
  granularities[OP_GET_EACH] = each;
  granularities[OP_GET_BATCH] = batch;

  g_print ("%-12s %-4s %-14s %14s %14s %12s  %s\n",
           "synchronous", "op", "granularity", "vault rec/s", "plain rec/s", "vault/plain", "target >= 0.70");
  g_print ("%-12s %-4s %-14s %14s %14s %12s  %s\n",
           "-----------", "--", "-----------", "-----------", "-----------", "-----------", "-------------");

  for (guint sync = 0; sync < N_SYNC; sync++)
    {
      if (bench->rates[sync][0][0]->len == 0)
        continue;

      for (guint op = 0; op < N_OPS; op++)
        {
          double vault = bench_median (bench->rates[sync][op][0]);
          double plain = bench_median (bench->rates[sync][op][1]);
          double ratio = vault / plain;

          if (ratio < TARGET_RATIO)
            n_missed++;
          g_print ("%-12s %-4s %-14s %14.0f %14.0f %12.2f  %s\n",
                   synchronous_modes[sync], op_names[op], granularities[op], vault, plain, ratio,
                   bench_verdict (ratio, TARGET_RATIO));
        }
    }

  g_print ("\n%u of the rows above miss the target of %.2fx plain SQLite.\n", n_missed, TARGET_RATIO);
}

/* Where the time goes ------------------------------------------------------ */

/* The size of the header a record's signature covers, with this
 * benchmark's template: the length-prefixed immutable columns. */
#define SIGNED_HEADER_SIZE 460

/* The statements WaVault prepares for every put and every get call. */
#define VAULT_INSERT_SQL \
  "INSERT INTO records (id, record_type, encrypted_data, encrypted_metadata, " \
  "data_hash, signature, signer_key, key_info, scope_id, user_id, tenant_id, " \
  "access_policy, retention_policy, classification, format_version, created_at) " \
  "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
#define VAULT_SELECT_SQL \
  "SELECT id, record_type, encrypted_data, encrypted_metadata, data_hash, signature, signer_key, " \
  "key_info, scope_id, user_id, tenant_id, access_policy, retention_policy, classification, " \
  "format_version, created_at, " \
  "(SELECT accessed_at FROM record_access a WHERE a.id = records.id), " \
  "(SELECT access_count FROM record_access a WHERE a.id = records.id) " \
  "FROM records WHERE id = ?"

typedef struct
{
  guint8      *record;
  gsize        record_size;
  guint8      *sealed;
  guint8       key[WA_AEAD_KEY_SIZE];
  guint8       nonce[WA_AEAD_NONCE_SIZE];
  guint8       header[SIGNED_HEADER_SIZE];
  guint8       sign_public_key[crypto_sign_PUBLICKEYBYTES];
  guint8       sign_secret_key[crypto_sign_SECRETKEYBYTES];
  guint8       signature[crypto_sign_BYTES];
  char        *key_info;
  PlainStore  *plain;
  WaVault     *vault;
} Primitives;

typedef void (*PrimitiveFunc) (Primitives *p);

static void
primitive_guarded_key (Primitives *p)
{
  /* What WaSecureBytes does for each record's data key. */
  guint8 *key = sodium_malloc (WA_AEAD_KEY_SIZE);

  randombytes_buf (key, WA_AEAD_KEY_SIZE);
  sodium_mprotect_readonly (key);
  sodium_free (key);
}

static void
primitive_random (Primitives *p)
{
  randombytes_buf (p->nonce, sizeof p->nonce);
}

static void
primitive_seal (Primitives *p)
{
  crypto_aead_xchacha20poly1305_ietf_encrypt (p->sealed, NULL, p->record, p->record_size,
                                              p->header, 64, NULL, p->nonce, p->key);
}

static void
primitive_open (Primitives *p)
{
  guint8 *out = p->record;

  if (crypto_aead_xchacha20poly1305_ietf_decrypt (out, NULL, NULL, p->sealed,
                                                  p->record_size + crypto_aead_xchacha20poly1305_ietf_ABYTES,
                                                  p->header, 64, p->nonce, p->key) != 0)
    g_error ("The primitive benchmark could not decrypt its own data");
}

static void
primitive_sha256 (Primitives *p)
{
  guint8 hash[crypto_hash_sha256_BYTES];

  wa_crypto_sha256 (p->sealed, p->record_size + WA_AEAD_NONCE_SIZE + WA_AEAD_TAG_SIZE, hash);
}

static void
primitive_blake2b (Primitives *p)
{
  guint8 hash[32];

  crypto_generichash (hash, sizeof hash, p->sealed, p->record_size + WA_AEAD_NONCE_SIZE + WA_AEAD_TAG_SIZE, NULL, 0);
}

static void
primitive_sign (Primitives *p)
{
  crypto_sign_detached (p->signature, NULL, p->header, sizeof p->header, p->sign_secret_key);
}

static void
primitive_verify (Primitives *p)
{
  if (crypto_sign_verify_detached (p->signature, p->header, sizeof p->header, p->sign_public_key) != 0)
    g_error ("The primitive benchmark could not verify its own signature");
}

static void
primitive_key_info_build (Primitives *p)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *wrapped = g_base64_encode (p->sealed, WA_AEAD_NONCE_SIZE + WA_AEAD_KEY_SIZE + WA_AEAD_TAG_SIZE);
  g_autofree char *text = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "aead");
  json_builder_add_string_value (builder, "xchacha20poly1305-ietf");
  json_builder_set_member_name (builder, "key_wrap");
  json_builder_add_string_value (builder, "scope-key-v1");
  json_builder_set_member_name (builder, "scope");
  json_builder_add_string_value (builder, "user:" BENCH_USER);
  json_builder_set_member_name (builder, "wrapped_key");
  json_builder_add_string_value (builder, wrapped);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);
  text = json_to_string (root, FALSE);
}

static void
primitive_key_info_parse (Primitives *p)
{
  g_autoptr(JsonNode) root = json_from_string (p->key_info, NULL);
  const char *text = json_object_get_string_member (json_node_get_object (root), "wrapped_key");
  gsize len = 0;
  g_autofree guint8 *wrapped = g_base64_decode (text, &len);
}

static void
primitive_prepare_insert (Primitives *p)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (p->plain->db, VAULT_INSERT_SQL, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("Could not prepare the insert: %s", sqlite3_errmsg (p->plain->db));
}

static void
primitive_prepare_select (Primitives *p)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (p->plain->db, VAULT_SELECT_SQL, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("Could not prepare the select: %s", sqlite3_errmsg (p->plain->db));
}

static void
empty_job (WaVault  *vault,
           GTask    *task,
           gpointer  data)
{
  g_task_return_boolean (task, TRUE);
}

static void
primitive_round_trip (Primitives *p)
{
  g_autoptr(GAsyncResult) result = wa_vault_run_sync (p->vault, empty_job, empty_job, NULL, NULL);
}

typedef struct
{
  const char    *name;
  PrimitiveFunc  func;
  const char    *per_put;
  const char    *per_get;
} Primitive;

static const Primitive primitives[] = {
  { "guarded memory for a key (sodium_malloc/free)", primitive_guarded_key, "per sealer", "once" },
  { "randombytes_buf (a getrandom() call)", primitive_random, "4", "-" },
  { "XChaCha20-Poly1305 seal of the record", primitive_seal, "1", "-" },
  { "XChaCha20-Poly1305 open of the record", primitive_open, "-", "1" },
  { "SHA-256 of the ciphertext (wa_crypto_sha256)", primitive_sha256, "1", "-" },
  { "(BLAKE2b-256 of the ciphertext, for comparison)", primitive_blake2b, "-", "-" },
  { "Ed25519 sign of the header", primitive_sign, "1", "-" },
  { "Ed25519 verify of the header (verify only)", primitive_verify, "-", "-" },
  { "key_info JSON build (json-glib + base64)", primitive_key_info_build, "-", "-" },
  { "key_info JSON parse (json-glib + base64)", primitive_key_info_parse, "-", "-" },
  { "prepare + finalize the INSERT", primitive_prepare_insert, "once", "-" },
  { "prepare + finalize the SELECT", primitive_prepare_select, "-", "once" },
  { "worker round trip (wa_vault_run_sync)", primitive_round_trip, "per call", "per call" },
};

static double
time_primitive (const Primitive *primitive,
                Primitives      *p)
{
  g_autoptr(GArray) samples = g_array_new (FALSE, FALSE, sizeof (double));
  const guint iterations = 2000;

  for (guint i = 0; i < 100; i++)
    primitive->func (p);

  for (guint rep = 0; rep < 5; rep++)
    {
      double start = bench_now ();
      double per_op;

      for (guint i = 0; i < iterations; i++)
        primitive->func (p);
      per_op = (bench_now () - start) / iterations * G_USEC_PER_SEC;
      g_array_append_val (samples, per_op);
    }

  return bench_median (samples);
}

/* Times, one by one, the operations a vault put or get adds to the plain
 * SQLite work, so that the ratios above can be explained. */
static gboolean
run_primitives (Bench   *bench,
                GError **error)
{
  g_autofree char *plain_path = bench_next_path (bench);
  g_autofree char *vault_path = bench_next_path (bench);
  Primitives p = { NULL };
  gboolean ok = FALSE;

  p.record_size = opt_record_size;
  p.record = g_malloc (p.record_size);
  p.sealed = g_malloc (p.record_size + crypto_aead_xchacha20poly1305_ietf_ABYTES + WA_AEAD_NONCE_SIZE);
  randombytes_buf (p.record, p.record_size);
  randombytes_buf (p.key, sizeof p.key);
  randombytes_buf (p.nonce, sizeof p.nonce);
  randombytes_buf (p.header, sizeof p.header);
  crypto_sign_keypair (p.sign_public_key, p.sign_secret_key);
  primitive_seal (&p);
  primitive_sign (&p);
  p.key_info = plain_key_info_new ();

  p.plain = plain_open (plain_path, "FULL", bench->keyring, error);
  if (p.plain == NULL)
    goto out;
  p.vault = vault_open (vault_path, "FULL", bench->keyring, error);
  if (p.vault == NULL)
    goto out;

  g_print ("\nWhere the time goes: what a vault put or get does besides the SQLite work,\n"
           "timed one operation at a time (median of 5 x 2000 calls).\n\n");
  g_print ("%-48s %12s %10s %10s\n", "operation", "us per op", "per put", "per get");
  g_print ("%-48s %12s %10s %10s\n", "---------", "---------", "-------", "-------");
  for (guint i = 0; i < G_N_ELEMENTS (primitives); i++)
    g_print ("%-48s %12.1f %10s %10s\n", primitives[i].name, time_primitive (&primitives[i], &p),
             primitives[i].per_put, primitives[i].per_get);
  ok = TRUE;

out:
  g_clear_pointer (&p.plain, plain_close);
  if (p.vault != NULL)
    vault_close (g_steal_pointer (&p.vault));
  remove_database (plain_path);
  remove_database (vault_path);
  sodium_memzero (p.sign_secret_key, sizeof p.sign_secret_key);
  g_free (p.key_info);
  g_free (p.record);
  g_free (p.sealed);

  return ok;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GBytes) blob = NULL;
  g_autoptr(GRand) rand = NULL;
  Bench bench = { NULL };
  guint8 *raw;
  gsize total;
  guint n_sync;
  int status = EXIT_SUCCESS;

  context = g_option_context_new ("- WaVault against plain SQLite");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (opt_records < 1 || opt_record_size < 1 || opt_batch < 1 || opt_repeat < 1)
    {
      g_printerr ("--records, --record-size, --batch and --repeat must be positive\n");
      return EXIT_FAILURE;
    }

  if (!wa_crypto_init (&error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  bench.dir = bench_make_temp_dir (opt_dir, &error);
  if (bench.dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  bench_print_header ("WaVault against plain SQLite");
  g_print ("%d records of %d random bytes; batches of %d; median of %d run(s).\n"
           "Databases on %s; journal_mode=WAL, secure_delete=ON on both stores.\n"
           "Gets read every record once, in a shuffled order.\n\n",
           opt_records, opt_record_size, opt_batch, opt_repeat, bench_filesystem_name (bench.dir));

  /* Every record is a slice of one random blob: no copies, no allocation
   * inside the timed loops. */
  total = (gsize) opt_records * opt_record_size;
  raw = g_malloc (total);
  randombytes_buf (raw, total);
  blob = g_bytes_new_take (raw, total);
  bench.datas = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  for (int i = 0; i < opt_records; i++)
    g_ptr_array_add (bench.datas, g_bytes_new_from_bytes (blob, (gsize) i * opt_record_size, opt_record_size));

  rand = g_rand_new_with_seed (20260101);
  bench.order = g_new (guint, opt_records);
  for (int i = 0; i < opt_records; i++)
    bench.order[i] = i;
  for (int i = opt_records - 1; i > 0; i--)
    {
      guint j = g_rand_int_range (rand, 0, i + 1);
      guint swap = bench.order[i];

      bench.order[i] = bench.order[j];
      bench.order[j] = swap;
    }

  bench.keyring = wa_keyring_new_random ();
  for (guint sync = 0; sync < N_SYNC; sync++)
    for (guint op = 0; op < N_OPS; op++)
      for (guint store = 0; store < N_STORE; store++)
        bench.rates[sync][op][store] = g_array_new (FALSE, FALSE, sizeof (double));

  n_sync = opt_skip_normal ? 1 : N_SYNC;
  for (guint sync = 0; sync < n_sync && status == EXIT_SUCCESS; sync++)
    {
      for (int rep = 0; rep < opt_repeat && status == EXIT_SUCCESS; rep++)
        {
          /* Alternate which store goes first, so that neither always gets
           * the warmer (or the more fragmented) disk. */
          for (guint k = 0; k < N_STORE; k++)
            {
              guint store = (k + rep) % N_STORE;

              g_printerr ("  synchronous=%s run %d/%d: %s...\n", synchronous_modes[sync], rep + 1, opt_repeat,
                          backends[store].name);
              if (!run_store (&bench, &backends[store], sync, store, &error))
                {
                  g_printerr ("The %s store failed: %s\n", backends[store].name, error->message);
                  status = EXIT_FAILURE;
                  break;
                }
            }
        }
    }

  if (status == EXIT_SUCCESS)
    print_table (&bench);

  if (status == EXIT_SUCCESS && !opt_skip_primitives && !run_primitives (&bench, &error))
    {
      g_printerr ("The cost breakdown failed: %s\n", error->message);
      status = EXIT_FAILURE;
    }

  for (guint sync = 0; sync < N_SYNC; sync++)
    for (guint op = 0; op < N_OPS; op++)
      for (guint store = 0; store < N_STORE; store++)
        g_array_unref (bench.rates[sync][op][store]);
  g_clear_object (&bench.keyring);
  g_clear_pointer (&bench.datas, g_ptr_array_unref);
  g_clear_pointer (&bench.order, g_free);
  bench_remove_tree (bench.dir);
  g_clear_pointer (&bench.dir, g_free);

  if (status == EXIT_SUCCESS)
    {
      g_print ("\n");
      bench_print_load ("at end");
    }

  return status;
}
