/* wa-vault-records.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-vault"

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include <sodium.h>

#include "wa-crypto.h"
#include "wa-json.h"
#include "wa-audit-log-private.h"
#include "wa-vault-private.h"

/*
 * Record format, version 1.
 *
 *   header        the immutable columns: id, type, classification, user,
 *                 tenant, scope, access and retention policy, creation
 *                 time, format version (RecordHeader below)
 *   data key      32 random bytes, one per record
 *   encrypted_data     nonce ‖ XChaCha20-Poly1305(data key, data,
 *                      AD = header, whether there is metadata, "data")
 *   encrypted_metadata the same with purpose "metadata", or NULL
 *   key_info      canonical JSON: scope, algorithms, and the data key
 *                 sealed by the scope key with purpose "key"
 *   data_hash     SHA-256 (encrypted_data)
 *   signature     Ed25519 by the device key over the header, key_info,
 *                 signer, data_hash and the hash of the metadata, so
 *                 anyone holding the public key can check a record
 *                 without decrypting it.
 */

#define SIGNED_HEADER_LABEL "webagent-record-v1"

typedef struct
{
  WaVaultRecord *template;
  GPtrArray     *datas;
  GBytes        *metadata;
} PutData;

static void
put_data_free (gpointer data)
{
  PutData *put = data;

  g_clear_pointer (&put->template, wa_vault_record_free);
  g_clear_pointer (&put->datas, g_ptr_array_unref);
  g_clear_pointer (&put->metadata, g_bytes_unref);
  g_free (put);
}

static void
append_field (GByteArray   *array,
              const guint8 *data,
              gsize         len)
{
  guint8 be[4] = { len >> 24, len >> 16, len >> 8, len };

  g_byte_array_append (array, be, 4);
  if (len > 0)
    g_byte_array_append (array, data, len);
}

static void
append_string (GByteArray *array,
               const char *value)
{
  append_field (array, (const guint8 *) (value != NULL ? value : ""), value != NULL ? strlen (value) : 0);
}

static void
append_int (GByteArray *array,
            gint64      value)
{
  char text[32];

  g_snprintf (text, sizeof text, "%" G_GINT64_FORMAT, value);
  append_string (array, text);
}

/* The immutable header of a record, as stored; the strings belong to
 * whoever filled it in. */
typedef struct
{
  const char *id;
  const char *record_type;
  const char *classification;
  const char *user_id;
  const char *tenant_id;
  const char *scope_id;
  const char *access_policy;
  const char *retention_policy;
  gint64      created_at;
  gint64      format_version;
} RecordHeader;

static void
append_header (GByteArray         *array,
               const char         *label,
               const RecordHeader *header)
{
  append_string (array, label);
  append_string (array, header->id);
  append_string (array, header->record_type);
  append_string (array, header->classification);
  append_string (array, header->user_id);
  append_string (array, header->tenant_id);
  append_string (array, header->scope_id);
  append_string (array, header->access_policy);
  append_string (array, header->retention_policy);
  append_int (array, header->created_at);
  append_int (array, header->format_version);
}

/* Points @header at the columns of the row @stmt stands on, which stay
 * valid until the statement moves on. */
static void
record_header_from_row (RecordHeader *header,
                        sqlite3_stmt *stmt)
{
  header->id = wa_vault_column_text (stmt, COL_ID);
  header->record_type = wa_vault_column_text (stmt, COL_TYPE);
  header->classification = wa_vault_column_text (stmt, COL_CLASSIFICATION);
  header->user_id = wa_vault_column_text (stmt, COL_USER);
  header->tenant_id = wa_vault_column_text (stmt, COL_TENANT);
  header->scope_id = wa_vault_column_text (stmt, COL_SCOPE);
  header->access_policy = wa_vault_column_text (stmt, COL_ACCESS_POLICY);
  header->retention_policy = wa_vault_column_text (stmt, COL_RETENTION);
  /* Read whole: the field of WaVaultRecord is narrower, and checks must
   * see exactly what is stored. */
  header->created_at = sqlite3_column_int64 (stmt, COL_CREATED);
  header->format_version = sqlite3_column_int64 (stmt, COL_FORMAT);
}

static WaVaultRecord *
record_from_header (const RecordHeader *header,
                    gsize               encrypted_size)
{
  WaVaultRecord *record = g_new0 (WaVaultRecord, 1);

  record->id = g_strdup (header->id);
  record->record_type = g_strdup (header->record_type);
  if (!wa_classification_from_string (header->classification, &record->classification))
    record->classification = WA_CLASSIFICATION_SECRET;
  record->user_id = g_strdup (header->user_id);
  record->tenant_id = g_strdup (header->tenant_id);
  record->scope_id = g_strdup (header->scope_id);
  record->access_policy = g_strdup (header->access_policy);
  record->retention_policy = g_strdup (header->retention_policy);
  record->created_at = header->created_at;
  record->format_version = header->format_version;
  record->encrypted_size = encrypted_size;

  return record;
}

/* The bytes the device key signs: the header, then the rest of the row,
 * each field length-prefixed, with the ciphertexts represented by their
 * hashes. */
static GBytes *
signed_header (const RecordHeader *header,
               const char         *key_info,
               const guint8       *signer_key,
               const guint8       *data_hash,
               const guint8       *metadata,
               gsize               metadata_len)
{
  g_autoptr(GByteArray) array = g_byte_array_new ();
  guint8 metadata_hash[WA_SHA256_SIZE];

  wa_crypto_sha256 (metadata, metadata_len, metadata_hash);

  append_header (array, SIGNED_HEADER_LABEL, header);
  append_string (array, key_info);
  append_field (array, signer_key, WA_SIGN_PUBLIC_KEY_SIZE);
  append_field (array, data_hash, WA_SHA256_SIZE);
  append_int (array, metadata != NULL ? 1 : 0);
  append_field (array, metadata_hash, WA_SHA256_SIZE);

  return g_byte_array_free_to_bytes (g_steal_pointer (&array));
}

/* The associated data of a record's data, metadata and wrapped key: the
 * whole header, whether there is metadata, and the purpose.  A ciphertext
 * therefore opens only under the header it was written with, so a plain
 * read is authenticated without checking the signature, which is for
 * those who hold no key (verify, the store, an auditor). */
static GBytes *
record_ad (const RecordHeader *header,
           gboolean            has_metadata,
           const char         *purpose)
{
  g_autoptr(GByteArray) array = g_byte_array_sized_new (256);

  append_header (array, "webagent-record-ad-v1", header);
  append_int (array, has_metadata ? 1 : 0);
  append_string (array, purpose);

  return g_byte_array_free_to_bytes (g_steal_pointer (&array));
}

/* The key information is canonical JSON (members sorted, no spaces):
 *   {"aead":"xchacha20poly1305-ietf","key_wrap":"scope-key-v1",
 *    "scope":SCOPE,"wrapped_key":BASE64}
 * It is written and checked as text, byte for byte, which is both stricter
 * and much cheaper than parsing it. */
static GString *
key_info_prefix (const char *scope_id)
{
  GString *prefix = g_string_new ("{\"aead\":\"xchacha20poly1305-ietf\",\"key_wrap\":\"scope-key-v1\",\"scope\":");

  wa_json_append_string (prefix, scope_id);
  g_string_append (prefix, ",\"wrapped_key\":\"");

  return prefix;
}

static char *
key_info_new (const char *scope_id,
              GBytes     *wrapped_key)
{
  GString *key_info = key_info_prefix (scope_id);
  g_autofree char *wrapped = NULL;

  wrapped = g_base64_encode (g_bytes_get_data (wrapped_key, NULL), g_bytes_get_size (wrapped_key));
  g_string_append (key_info, wrapped);
  g_string_append (key_info, "\"}");

  return g_string_free (key_info, FALSE);
}

static gboolean
key_info_get_wrapped_key (const char  *key_info,
                          const char  *scope_id,
                          guint8      *wrapped,
                          gsize        wrapped_size,
                          GError     **error)
{
  g_autoptr(GString) prefix = key_info_prefix (scope_id);
  gsize len = strlen (key_info);
  size_t decoded = 0;

  if (len < prefix->len + 2 ||
      strncmp (key_info, prefix->str, prefix->len) != 0 ||
      strcmp (key_info + len - 2, "\"}") != 0 ||
      sodium_base642bin (wrapped, wrapped_size, key_info + prefix->len, len - prefix->len - 2,
                         NULL, &decoded, NULL, sodium_base64_VARIANT_ORIGINAL) != 0 ||
      decoded != wrapped_size)
    {
      g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_TAMPERED,
                   "The key information of the record was changed; restore the record from a backup");
      return FALSE;
    }

  return TRUE;
}

/* Put ------------------------------------------------------------------------ */

/* What every record of one put shares. */
typedef struct
{
  const WaVaultRecord *template;
  KeySnapshot         *keys;
  const char          *scope_id;
  WaSecureBytes       *scope_key;
  GBytes              *metadata;
  const char          *classification;
  const char          *access_policy;
  const char          *retention_policy;
} SealContext;

/* A record encrypted and signed, ready to be inserted. */
typedef struct
{
  char   *id;
  GBytes *encrypted_data;
  GBytes *encrypted_metadata;
  char   *key_info;
  guint8  data_hash[WA_SHA256_SIZE];
  guint8  signature[WA_SIGNATURE_SIZE];
  gint64  created_at;
} SealedRecord;

static void
sealed_record_free (SealedRecord *sealed)
{
  g_free (sealed->id);
  g_clear_pointer (&sealed->encrypted_data, g_bytes_unref);
  g_clear_pointer (&sealed->encrypted_metadata, g_bytes_unref);
  g_free (sealed->key_info);
  g_free (sealed);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SealedRecord, sealed_record_free)

/* Pure cryptography, no database: it can run on any thread.  @data_key is
 * guarded scratch memory owned by the calling thread, wiped here after use,
 * so a key per record costs no allocation. */
static SealedRecord *
seal_record (const SealContext *context,
             WaSecureBytes     *data_key,
             GBytes            *data)
{
  SealedRecord *sealed = g_new0 (SealedRecord, 1);
  KeySnapshot *keys = context->keys;
  const guint8 *signer_key = wa_keyring_get_sign_public_key (keys->keyring);
  guint8 *key = wa_secure_bytes_get_data (data_key);
  gboolean has_metadata = context->metadata != NULL;
  g_autoptr(GBytes) header = NULL;
  g_autoptr(GBytes) wrapped_key = NULL;
  RecordHeader fields;
  const guint8 *plain;
  gsize plain_len;

  sealed->id = wa_crypto_new_uuid ();
  sealed->created_at = g_get_real_time ();
  fields = (RecordHeader) {
    sealed->id, context->template->record_type, context->classification, keys->user_id,
    keys->tenant_id, context->scope_id, context->access_policy, context->retention_policy,
    sealed->created_at, WA_VAULT_FORMAT_VERSION,
  };
  wa_crypto_random_bytes (key, WA_AEAD_KEY_SIZE);

  {
    g_autoptr(GBytes) ad = record_ad (&fields, has_metadata, "data");

    plain = g_bytes_get_data (data, &plain_len);
    sealed->encrypted_data = wa_crypto_aead_seal (key, plain, plain_len, ad);
  }

  if (has_metadata)
    {
      g_autoptr(GBytes) ad = record_ad (&fields, has_metadata, "metadata");

      plain = g_bytes_get_data (context->metadata, &plain_len);
      sealed->encrypted_metadata = wa_crypto_aead_seal (key, plain, plain_len, ad);
    }

  {
    g_autoptr(GBytes) ad = record_ad (&fields, has_metadata, "key");

    wrapped_key = wa_crypto_aead_seal (wa_secure_bytes_get_data (context->scope_key), key,
                                       WA_AEAD_KEY_SIZE, ad);
  }

  sodium_memzero (key, WA_AEAD_KEY_SIZE);
  sealed->key_info = key_info_new (context->scope_id, wrapped_key);

  wa_crypto_sha256 (g_bytes_get_data (sealed->encrypted_data, NULL),
                    g_bytes_get_size (sealed->encrypted_data), sealed->data_hash);
  header = signed_header (&fields, sealed->key_info, signer_key, sealed->data_hash,
                          has_metadata ? g_bytes_get_data (sealed->encrypted_metadata, NULL) : NULL,
                          has_metadata ? g_bytes_get_size (sealed->encrypted_metadata) : 0);
  wa_keyring_sign (keys->keyring, g_bytes_get_data (header, NULL), g_bytes_get_size (header),
                   sealed->signature);

  return sealed;
}

static gboolean
insert_sealed (WaVault            *self,
               const SealContext  *context,
               const SealedRecord *sealed,
               sqlite3_stmt       *insert,
               GError            **error)
{
  const guint8 *signer_key = wa_keyring_get_sign_public_key (context->keys->keyring);
  int rc;

  sqlite3_bind_text (insert, 1, sealed->id, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 2, context->template->record_type, -1, SQLITE_STATIC);
  sqlite3_bind_blob (insert, 3, g_bytes_get_data (sealed->encrypted_data, NULL),
                     g_bytes_get_size (sealed->encrypted_data), SQLITE_STATIC);
  if (sealed->encrypted_metadata != NULL)
    sqlite3_bind_blob (insert, 4, g_bytes_get_data (sealed->encrypted_metadata, NULL),
                       g_bytes_get_size (sealed->encrypted_metadata), SQLITE_STATIC);
  else
    sqlite3_bind_null (insert, 4);
  sqlite3_bind_blob (insert, 5, sealed->data_hash, WA_SHA256_SIZE, SQLITE_STATIC);
  sqlite3_bind_blob (insert, 6, sealed->signature, WA_SIGNATURE_SIZE, SQLITE_STATIC);
  sqlite3_bind_blob (insert, 7, signer_key, WA_SIGN_PUBLIC_KEY_SIZE, SQLITE_STATIC);
  sqlite3_bind_text (insert, 8, sealed->key_info, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 9, context->scope_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 10, context->keys->user_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 11, context->keys->tenant_id, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 12, context->access_policy, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 13, context->retention_policy, -1, SQLITE_STATIC);
  sqlite3_bind_text (insert, 14, context->classification, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (insert, 15, WA_VAULT_FORMAT_VERSION);
  sqlite3_bind_int64 (insert, 16, sealed->created_at);

  rc = sqlite3_step (insert);
  sqlite3_reset (insert);
  sqlite3_clear_bindings (insert);
  if (rc != SQLITE_DONE)
    {
      wa_vault_set_db_error (self, error, "store a record");
      return FALSE;
    }

  return TRUE;
}

/* Batches are sealed on other threads, one per processor, while this one
 * inserts, so the cryptography of the next records overlaps the SQLite
 * work of this one.  Records go in chunks of 16, to cost one wake-up per
 * chunk: sealer i takes chunks i, i + n, i + 2n…, and the inserter takes
 * them back in order. */
#define PIPELINE_MIN_RECORDS 8
#define MAX_SEALERS          4
#define RECORDS_PER_CHUNK    16

typedef struct
{
  const SealContext *context;
  GPtrArray         *datas;
  GAsyncQueue       *sealed;
  guint              first;
  guint              stride;
  gint              *stop;
} Sealer;

static gpointer
sealer_thread (gpointer user_data)
{
  Sealer *sealer = user_data;
  g_autoptr(WaSecureBytes) data_key = wa_secure_bytes_new (WA_AEAD_KEY_SIZE);
  guint n_chunks = (sealer->datas->len + RECORDS_PER_CHUNK - 1) / RECORDS_PER_CHUNK;

  for (guint c = sealer->first; c < n_chunks && !g_atomic_int_get (sealer->stop); c += sealer->stride)
    {
      guint end = MIN ((c + 1) * RECORDS_PER_CHUNK, sealer->datas->len);
      GPtrArray *chunk = g_ptr_array_new_full (RECORDS_PER_CHUNK, (GDestroyNotify) sealed_record_free);

      for (guint i = c * RECORDS_PER_CHUNK; i < end; i++)
        g_ptr_array_add (chunk, seal_record (sealer->context, data_key, g_ptr_array_index (sealer->datas, i)));

      /* Bound the read-ahead, so a large batch does not sit in memory
       * twice over while the database catches up. */
      while (g_async_queue_length (sealer->sealed) > 4 && !g_atomic_int_get (sealer->stop))
        g_usleep (100);
      g_async_queue_push (sealer->sealed, chunk);
    }

  return NULL;
}

static gboolean
insert_all (WaVault            *self,
            const SealContext  *context,
            GPtrArray          *datas,
            sqlite3_stmt       *insert,
            GPtrArray          *ids,
            GError            **error)
{
  Sealer sealers[MAX_SEALERS];
  GThread *threads[MAX_SEALERS];
  guint n_sealers = CLAMP (self->n_processors, 1, MAX_SEALERS);
  guint n_chunks = (datas->len + RECORDS_PER_CHUNK - 1) / RECORDS_PER_CHUNK;
  gint stop = 0;
  gboolean ok = TRUE;

  if (datas->len < PIPELINE_MIN_RECORDS)
    {
      for (guint i = 0; i < datas->len; i++)
        {
          g_autoptr(SealedRecord) sealed = seal_record (context, self->record_key,
                                                        g_ptr_array_index (datas, i));

          if (!insert_sealed (self, context, sealed, insert, error))
            return FALSE;
          g_ptr_array_add (ids, g_steal_pointer (&sealed->id));
        }

      return TRUE;
    }

  for (guint t = 0; t < n_sealers; t++)
    {
      sealers[t] = (Sealer) { context, datas, g_async_queue_new_full ((GDestroyNotify) g_ptr_array_unref),
                              t, n_sealers, &stop };
      threads[t] = g_thread_new ("wa-vault-sealer", sealer_thread, &sealers[t]);
    }

  for (guint c = 0; c < n_chunks && ok; c++)
    {
      g_autoptr(GPtrArray) chunk = g_async_queue_pop (sealers[c % n_sealers].sealed);

      for (guint i = 0; i < chunk->len && ok; i++)
        {
          SealedRecord *sealed = g_ptr_array_index (chunk, i);

          ok = insert_sealed (self, context, sealed, insert, error);
          if (ok)
            g_ptr_array_add (ids, g_steal_pointer (&sealed->id));
        }
    }

  g_atomic_int_set (&stop, 1);
  for (guint t = 0; t < n_sealers; t++)
    {
      g_thread_join (threads[t]);
      g_async_queue_unref (sealers[t].sealed);
    }

  return ok;
}

/* One audit entry per call, in the same transaction as its records: a
 * write that cannot be recorded is not made. */
static gboolean
audit_put (WaVault            *self,
           KeySnapshot        *keys,
           const SealContext  *context,
           GPtrArray          *ids,
           GError            **error)
{
  g_autoptr(JsonObject) metadata = json_object_new ();
  /* A user scope is named by the user id, which the public header must
   * not show: the body has it. */
  g_autofree char *resource = g_str_has_prefix (context->scope_id, "user:") ? g_strdup ("vault-scope:user")
                                                                            : g_strconcat ("vault-scope:",
                                                                                           context->scope_id, NULL);
  JsonArray *id_array = json_array_sized_new (ids->len);
  WaAuditEvent event = {
    .event_type = "vault.put",
    .resource = resource,
    .action = "put",
    .outcome = WA_AUDIT_OUTCOME_SUCCESS,
    .risk_score = 10,
    .metadata = metadata,
  };

  for (guint i = 0; i < ids->len; i++)
    json_array_add_string_element (id_array, g_ptr_array_index (ids, i));
  json_object_set_string_member (metadata, "record_type", context->template->record_type);
  json_object_set_string_member (metadata, "classification", context->classification);
  json_object_set_int_member (metadata, "count", ids->len);
  json_object_set_string_member (metadata, "scope", context->scope_id);
  json_object_set_array_member (metadata, "record_ids", id_array);

  return wa_audit_log_append_locked (self, keys, &event, 1, NULL, error);
}

static void
put_job (WaVault  *self,
         GTask    *task,
         gpointer  task_data)
{
  PutData *put = task_data;
  g_auto(KeySnapshot) keys = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(WaSecureBytes) scope_key = NULL;
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *scope_id = NULL;
  SealContext context = { 0 };
  sqlite3_stmt *insert;

  if (!wa_vault_take_keys (self, &keys, &error))
    goto failed;

  if (put->template->scope_id != NULL)
    scope_id = g_strdup (put->template->scope_id);
  else
    scope_id = g_strconcat ("user:", keys.user_id, NULL);

  insert = wa_vault_prepare_cached (self, &self->insert_stmt,
                                    "INSERT INTO records (id, record_type, encrypted_data, encrypted_metadata, "
                                    "data_hash, signature, signer_key, key_info, scope_id, user_id, tenant_id, "
                                    "access_policy, retention_policy, classification, format_version, created_at) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                                    &error);
  if (insert == NULL || !wa_vault_exec (self, "BEGIN IMMEDIATE", &error))
    goto failed;

  scope_key = wa_vault_lookup_scope_key (self, &keys, scope_id, TRUE, &error);
  if (scope_key == NULL)
    goto rollback;

  context.template = put->template;
  context.keys = &keys;
  context.scope_id = scope_id;
  context.scope_key = scope_key;
  context.metadata = put->metadata;
  context.classification = wa_classification_to_string (put->template->classification);
  context.access_policy = put->template->access_policy != NULL ? put->template->access_policy : "{}";
  context.retention_policy = put->template->retention_policy != NULL ? put->template->retention_policy : "keep";

  if (!insert_all (self, &context, put->datas, insert, ids, &error) ||
      !audit_put (self, &keys, &context, ids, &error) ||
      !wa_vault_exec (self, "COMMIT", &error))
    goto rollback;

  g_task_return_pointer (task, g_steal_pointer (&ids), (GDestroyNotify) g_ptr_array_unref);
  return;

rollback:
  sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  /* A scope key created in the rolled-back transaction does not exist. */
  if (scope_id != NULL)
    g_hash_table_remove (self->scope_key_cache, scope_id);
failed:
  g_task_return_error (task, g_steal_pointer (&error));
}

static gboolean
check_template (const WaVaultRecord  *template,
                GError              **error)
{
  if (template == NULL || template->record_type == NULL || *template->record_type == '\0' ||
      template->classification > WA_CLASSIFICATION_SECRET)
    {
      g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_INVALID_INPUT,
                   "A record needs a type and a classification (PUBLIC, INTERNAL, CONFIDENTIAL or SECRET)");
      return FALSE;
    }

  if (template->scope_id != NULL &&
      !g_str_has_prefix (template->scope_id, "user:") &&
      !g_str_has_prefix (template->scope_id, "tenant:"))
    {
      g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_INVALID_INPUT,
                   "A scope is “user:NAME” or “tenant:NAME”, not “%s”", template->scope_id);
      return FALSE;
    }

  return TRUE;
}

static PutData *
put_data_new (const WaVaultRecord *template,
              GPtrArray           *datas,
              GBytes              *metadata)
{
  PutData *put = g_new0 (PutData, 1);

  put->template = wa_vault_record_copy (template);
  put->datas = g_ptr_array_ref (datas);
  put->metadata = metadata != NULL ? g_bytes_ref (metadata) : NULL;

  return put;
}

void
wa_vault_put_async (WaVault             *self,
                    const WaVaultRecord *template,
                    GBytes              *data,
                    GBytes              *metadata,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GPtrArray) datas = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GError) error = NULL;

  g_return_if_fail (WA_IS_VAULT (self));
  g_return_if_fail (data != NULL);

  if (!check_template (template, &error))
    {
      g_task_report_error (self, callback, user_data, wa_vault_put_async, g_steal_pointer (&error));
      return;
    }

  g_ptr_array_add (datas, g_bytes_ref (data));
  wa_vault_schedule (self, wa_vault_put_async, put_job, put_data_new (template, datas, metadata),
                     put_data_free, cancellable, callback, user_data);
}

/**
 * wa_vault_put_finish:
 *
 * Returns: (transfer full): the new record's id, or %NULL with @error set.
 */
char *
wa_vault_put_finish (WaVault       *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  g_autoptr(GPtrArray) ids = NULL;

  g_return_val_if_fail (WA_IS_VAULT (self), NULL);

  ids = g_task_propagate_pointer (G_TASK (result), error);
  if (ids == NULL)
    return NULL;

  return g_strdup (g_ptr_array_index (ids, 0));
}

static GPtrArray *
put_sync (WaVault              *self,
          const WaVaultRecord  *template,
          GPtrArray            *datas,
          GBytes               *metadata,
          GError              **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  if (!check_template (template, error))
    return NULL;

  result = wa_vault_run_sync (self, wa_vault_put, put_job,
                              put_data_new (template, datas, metadata), put_data_free);

  return g_task_propagate_pointer (G_TASK (result), error);
}

char *
wa_vault_put (WaVault              *self,
              const WaVaultRecord  *template,
              GBytes               *data,
              GBytes               *metadata,
              GError              **error)
{
  g_autoptr(GPtrArray) datas = NULL;
  g_autoptr(GPtrArray) ids = NULL;

  g_return_val_if_fail (WA_IS_VAULT (self), NULL);
  g_return_val_if_fail (data != NULL, NULL);

  datas = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_ptr_array_add (datas, g_bytes_ref (data));
  if (!check_template (template, error))
    return NULL;

  ids = put_sync (self, template, datas, metadata, error);
  if (ids == NULL)
    return NULL;

  return g_strdup (g_ptr_array_index (ids, 0));
}

/**
 * wa_vault_put_many:
 * @datas: (element-type GBytes): the contents, one record each
 *
 * Stores several records with one template in a single transaction: all of
 * them or none.
 *
 * Returns: (transfer full) (element-type utf8): the new ids, in order.
 */
GPtrArray *
wa_vault_put_many (WaVault              *self,
                   const WaVaultRecord  *template,
                   GPtrArray            *datas,
                   GError              **error)
{
  g_return_val_if_fail (WA_IS_VAULT (self), NULL);
  g_return_val_if_fail (datas != NULL, NULL);

  return put_sync (self, template, datas, NULL, error);
}

/* Get ------------------------------------------------------------------------ */

const char *
wa_vault_column_text (sqlite3_stmt *stmt,
                      int           column)
{
  const char *text = (const char *) sqlite3_column_text (stmt, column);

  return text != NULL ? text : "";
}

WaVaultRecord *
wa_vault_record_from_row (sqlite3_stmt *stmt)
{
  RecordHeader header;
  WaVaultRecord *record;

  record_header_from_row (&header, stmt);
  record = record_from_header (&header, sqlite3_column_bytes (stmt, COL_DATA));
  if (sqlite3_column_count (stmt) > COL_ACCESS_COUNT)
    {
      record->accessed_at = sqlite3_column_int64 (stmt, COL_ACCESSED);
      record->access_count = sqlite3_column_int64 (stmt, COL_ACCESS_COUNT);
    }

  return record;
}

/* The text columns of a record row.  Both the associated data and the
 * signed header read them as C strings, so a text with a NUL inside would
 * be checked as its first part while SQL sees all of it: such a row is
 * refused outright. */
static const int text_columns[] = {
  COL_ID, COL_TYPE, COL_CLASSIFICATION, COL_USER, COL_TENANT, COL_SCOPE, COL_ACCESS_POLICY,
  COL_RETENTION, COL_KEY_INFO,
};

static gboolean
check_text_columns (sqlite3_stmt  *stmt,
                    GError       **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (text_columns); i++)
    {
      int type = sqlite3_column_type (stmt, text_columns[i]);
      const char *text = (const char *) sqlite3_column_text (stmt, text_columns[i]);
      int len = sqlite3_column_bytes (stmt, text_columns[i]);

      if (type != SQLITE_TEXT || text == NULL || strlen (text) != (gsize) len)
        {
          g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_TAMPERED,
                       "A text field of the record is not plain text; it was changed");
          return FALSE;
        }
    }

  return TRUE;
}

/* Checks the row's text, hash and signature; needs no key but the public
 * one. */
gboolean
wa_vault_check_row (WaVault       *self,
                    sqlite3_stmt  *stmt,
                    GError       **error)
{
  g_autoptr(GBytes) header = NULL;
  guint8 data_hash[WA_SHA256_SIZE];
  const guint8 *signer = sqlite3_column_blob (stmt, COL_SIGNER);
  const guint8 *stored_hash = sqlite3_column_blob (stmt, COL_HASH);
  const guint8 *signature = sqlite3_column_blob (stmt, COL_SIGNATURE);
  gboolean trusted = FALSE;
  RecordHeader fields;

  if (!check_text_columns (stmt, error))
    return FALSE;

  if (sqlite3_column_bytes (stmt, COL_SIGNER) != WA_SIGN_PUBLIC_KEY_SIZE ||
      sqlite3_column_bytes (stmt, COL_HASH) != WA_SHA256_SIZE ||
      sqlite3_column_bytes (stmt, COL_SIGNATURE) != WA_SIGNATURE_SIZE)
    {
      g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_TAMPERED,
                   "The record's hash, signature or signer field has the wrong size; it was changed");
      return FALSE;
    }

  wa_crypto_sha256 (sqlite3_column_blob (stmt, COL_DATA), sqlite3_column_bytes (stmt, COL_DATA), data_hash);
  if (!wa_crypto_equal (data_hash, stored_hash, WA_SHA256_SIZE))
    {
      g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_TAMPERED,
                   "The record's encrypted data does not match its hash; it was changed");
      return FALSE;
    }

  g_mutex_lock (&self->keys_lock);
  for (guint i = 0; i < self->trusted_signers->len && !trusted; i++)
    trusted = memcmp (g_bytes_get_data (g_ptr_array_index (self->trusted_signers, i), NULL),
                      signer, WA_SIGN_PUBLIC_KEY_SIZE) == 0;
  g_mutex_unlock (&self->keys_lock);
  if (!trusted)
    {
      g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_TAMPERED,
                   "The record is signed by a key this profile does not trust");
      return FALSE;
    }

  record_header_from_row (&fields, stmt);
  header = signed_header (&fields, wa_vault_column_text (stmt, COL_KEY_INFO), signer, stored_hash,
                          sqlite3_column_type (stmt, COL_METADATA) == SQLITE_NULL ? NULL :
                          sqlite3_column_blob (stmt, COL_METADATA) != NULL ?
                          sqlite3_column_blob (stmt, COL_METADATA) : (const guint8 *) "",
                          sqlite3_column_bytes (stmt, COL_METADATA));
  if (!wa_crypto_sign_verify_detached (signer, g_bytes_get_data (header, NULL),
                                       g_bytes_get_size (header), signature))
    {
      g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_TAMPERED,
                   "The record's signature does not match its contents; it was changed");
      return FALSE;
    }

  return TRUE;
}

typedef struct
{
  GBytes        *data;
  GBytes        *metadata;
  WaVaultRecord *record;
} GetResult;

static void
get_result_free (gpointer data)
{
  GetResult *result = data;

  if (result == NULL)
    return;

  g_clear_pointer (&result->data, g_bytes_unref);
  g_clear_pointer (&result->metadata, g_bytes_unref);
  g_clear_pointer (&result->record, wa_vault_record_free);
  g_free (result);
}

static void
note_access (WaVault    *self,
             const char *id)
{
  gint64 *count = g_hash_table_lookup (self->pending_access, id);

  if (count == NULL)
    {
      count = g_new0 (gint64, 1);
      g_hash_table_insert (self->pending_access, g_strdup (id), count);
    }
  (*count)++;
}

/**
 * wa_vault_flush_access:
 *
 * Writes the access statistics gathered since the last flush.  They are
 * batched because reading should not cost a write transaction each time.
 */
void
wa_vault_flush_access (WaVault *self)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GHashTableIter iter;
  gpointer key, value;
  gint64 now = g_get_real_time ();
  char restore[64] = "PRAGMA synchronous = FULL";

  if (g_hash_table_size (self->pending_access) == 0 || self->db == NULL)
    return;

  stmt = wa_vault_prepare (self,
                           "INSERT INTO record_access (id, accessed_at, access_count) VALUES (?1, ?2, ?3) "
                           "ON CONFLICT (id) DO UPDATE SET accessed_at = ?2, access_count = access_count + ?3",
                           NULL);
  /* Access statistics are not worth an fsync: losing the last few to a
   * power cut is harmless, so this one transaction is not synchronous.
   * The next durable commit syncs it along with its own. */
  {
    g_autoptr(sqlite3_stmt) query = wa_vault_prepare (self, "PRAGMA synchronous", NULL);

    if (query != NULL && sqlite3_step (query) == SQLITE_ROW)
      g_snprintf (restore, sizeof restore, "PRAGMA synchronous = %d", sqlite3_column_int (query, 0));
  }
  sqlite3_exec (self->db, "PRAGMA synchronous = NORMAL", NULL, NULL, NULL);
  if (stmt == NULL || sqlite3_exec (self->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK)
    {
      sqlite3_exec (self->db, restore, NULL, NULL, NULL);
      return;
    }

  g_hash_table_iter_init (&iter, self->pending_access);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      sqlite3_reset (stmt);
      sqlite3_bind_text (stmt, 1, key, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (stmt, 2, now);
      sqlite3_bind_int64 (stmt, 3, *(gint64 *) value);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        g_debug ("Could not record access to %s: %s", (const char *) key, sqlite3_errmsg (self->db));
    }

  if (sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL) != SQLITE_OK)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  sqlite3_exec (self->db, restore, NULL, NULL, NULL);
  g_hash_table_remove_all (self->pending_access);
}

/* A record row copied out of SQLite into one allocation, with its scope
 * key: all that opening it needs, so that can happen on another thread. */
typedef struct
{
  char          *arena;
  RecordHeader   header;
  const char    *key_info;
  const guint8  *data;
  gsize          data_len;
  const guint8  *metadata;      /* NULL when the record has none */
  gsize          metadata_len;
  WaSecureBytes *scope_key;
  gboolean       want_record;
} RawRow;

static void
raw_row_free (RawRow *row)
{
  g_free (row->arena);
  g_clear_pointer (&row->scope_key, wa_secure_bytes_unref);
  g_free (row);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (RawRow, raw_row_free)

/* Worker thread: reads the row of @id and finds its scope key. */
static RawRow *
read_row (WaVault       *self,
          KeySnapshot   *keys,
          sqlite3_stmt  *select,
          const char    *id,
          gboolean       want_record,
          GError       **error)
{
  static const int copied_columns[] = {
    COL_TYPE, COL_CLASSIFICATION, COL_USER, COL_TENANT, COL_SCOPE, COL_ACCESS_POLICY,
    COL_RETENTION, COL_KEY_INFO,
  };
  const char **text_fields[G_N_ELEMENTS (copied_columns)];
  g_autoptr(RawRow) row = NULL;
  g_autoptr(GString) prefix = NULL;
  g_autoptr(GError) local_error = NULL;
  gsize size;
  gsize id_len = strlen (id);
  char *p;
  int rc;

  sqlite3_reset (select);
  sqlite3_bind_text (select, 1, id, -1, SQLITE_TRANSIENT);
  rc = sqlite3_step (select);
  if (rc == SQLITE_DONE)
    {
      g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_NOT_FOUND,
                   "No record has the id %s; run “vault list” to see the ids", id);
      return NULL;
    }
  else if (rc != SQLITE_ROW)
    {
      wa_vault_set_db_error (self, error, "read a record");
      return NULL;
    }

  if (!check_text_columns (select, error))
    {
      g_prefix_error (error, "Record %s: ", id);
      return NULL;
    }

  row = g_new0 (RawRow, 1);
  row->want_record = want_record;
  text_fields[0] = &row->header.record_type;
  text_fields[1] = &row->header.classification;
  text_fields[2] = &row->header.user_id;
  text_fields[3] = &row->header.tenant_id;
  text_fields[4] = &row->header.scope_id;
  text_fields[5] = &row->header.access_policy;
  text_fields[6] = &row->header.retention_policy;
  text_fields[7] = &row->key_info;

  /* One allocation for every column: a read copies the row once. */
  row->data_len = sqlite3_column_bytes (select, COL_DATA);
  row->metadata_len = sqlite3_column_bytes (select, COL_METADATA);
  size = id_len + 1 + row->data_len + row->metadata_len;
  for (guint i = 0; i < G_N_ELEMENTS (copied_columns); i++)
    size += sqlite3_column_bytes (select, copied_columns[i]) + 1;
  p = row->arena = g_malloc (size);

  memcpy (p, id, id_len + 1);
  row->header.id = p;
  p += id_len + 1;
  for (guint i = 0; i < G_N_ELEMENTS (copied_columns); i++)
    {
      int len = sqlite3_column_bytes (select, copied_columns[i]);

      if (len > 0)
        memcpy (p, sqlite3_column_text (select, copied_columns[i]), len);
      p[len] = '\0';
      *text_fields[i] = p;
      p += len + 1;
    }
  if (row->data_len > 0)
    memcpy (p, sqlite3_column_blob (select, COL_DATA), row->data_len);
  row->data = (const guint8 *) p;
  p += row->data_len;
  if (sqlite3_column_type (select, COL_METADATA) != SQLITE_NULL)
    {
      if (row->metadata_len > 0)
        memcpy (p, sqlite3_column_blob (select, COL_METADATA), row->metadata_len);
      row->metadata = (const guint8 *) p;
    }
  row->header.created_at = sqlite3_column_int64 (select, COL_CREATED);
  row->header.format_version = sqlite3_column_int64 (select, COL_FORMAT);

  /* The key information names the scope: check that first, so a changed
   * scope is reported as a change and not as an erased key. */
  prefix = key_info_prefix (row->header.scope_id);
  if (strncmp (row->key_info, prefix->str, prefix->len) != 0)
    {
      sqlite3_reset (select);
      g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_TAMPERED,
                   "The key information of record %s was changed; restore the record from a backup", id);
      return NULL;
    }

  row->scope_key = wa_vault_lookup_scope_key (self, keys, row->header.scope_id, FALSE, &local_error);
  if (row->scope_key == NULL)
    {
      g_autoptr(GError) check_error = NULL;

      /* A missing key may also mean that the record was moved to a scope
       * that does not exist: the signature tells the two apart. */
      if (!wa_vault_check_row (self, select, &check_error))
        {
          sqlite3_reset (select);
          g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_TAMPERED,
                       "Record %s failed its integrity check: %s", id, check_error->message);
          return NULL;
        }
      sqlite3_reset (select);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return NULL;
    }
  sqlite3_reset (select);

  return g_steal_pointer (&row);
}

/* Any thread: decrypts @row.  The AEAD authenticates the ciphertext and,
 * through the associated data, every header field; the signature is left
 * to verify, which needs no key.  @data_key_buffer is guarded scratch
 * memory owned by the calling thread. */
static GetResult *
open_row (RawRow         *row,
          WaSecureBytes  *data_key_buffer,
          GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  guint8 *data_key = wa_secure_bytes_get_data (data_key_buffer);
  gboolean has_metadata = row->metadata != NULL;
  guint8 wrapped_key[WA_AEAD_NONCE_SIZE + WA_AEAD_KEY_SIZE + WA_AEAD_TAG_SIZE];
  GetResult *result;

  if (!key_info_get_wrapped_key (row->key_info, row->header.scope_id, wrapped_key, sizeof wrapped_key, error))
    return NULL;

  {
    g_autoptr(GBytes) ad = record_ad (&row->header, has_metadata, "key");

    if (!wa_crypto_aead_decrypt_raw (wa_secure_bytes_get_data (row->scope_key), wrapped_key,
                                     wrapped_key + WA_AEAD_NONCE_SIZE, sizeof wrapped_key - WA_AEAD_NONCE_SIZE,
                                     g_bytes_get_data (ad, NULL), g_bytes_get_size (ad), data_key))
      goto tampered;
  }

  result = g_new0 (GetResult, 1);

  {
    g_autoptr(GBytes) ad = record_ad (&row->header, has_metadata, "data");
    g_autoptr(GBytes) sealed = g_bytes_new_static (row->data, row->data_len);

    result->data = wa_crypto_aead_open (data_key, sealed, ad, &local_error);
  }

  if (result->data != NULL && has_metadata)
    {
      g_autoptr(GBytes) ad = record_ad (&row->header, has_metadata, "metadata");
      g_autoptr(GBytes) sealed = g_bytes_new_static (row->metadata, row->metadata_len);

      result->metadata = wa_crypto_aead_open (data_key, sealed, ad, &local_error);
    }

  sodium_memzero (data_key, WA_AEAD_KEY_SIZE);
  if (result->data == NULL || (has_metadata && result->metadata == NULL))
    {
      get_result_free (result);
      goto tampered;
    }

  if (row->want_record)
    result->record = record_from_header (&row->header, row->data_len);

  return result;

tampered:
  sodium_memzero (data_key, WA_AEAD_KEY_SIZE);
  g_set_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_TAMPERED,
               "Record %s cannot be decrypted: it was changed or moved from another record", row->header.id);
  return NULL;
}

/* Batches are opened on a second thread while the worker reads the next
 * rows, as batches are sealed on other threads when written. */
typedef struct
{
  GAsyncQueue *rows;
  GPtrArray   *results;
  GMutex       lock;
  GError      *error;
} Opener;

/* Rows go to the opener in chunks, so that handing them over costs one
 * wake-up per chunk rather than one per row. */
#define ROWS_PER_CHUNK 16

static gpointer
opener_thread (gpointer user_data)
{
  Opener *opener = user_data;
  g_autoptr(WaSecureBytes) data_key = wa_secure_bytes_new (WA_AEAD_KEY_SIZE);
  guint next = 0;

  while (next < opener->results->len)
    {
      g_autoptr(GPtrArray) chunk = g_async_queue_pop (opener->rows);

      /* An empty chunk is the worker giving up after an error. */
      if (chunk->len == 0)
        break;

      for (guint i = 0; i < chunk->len; i++, next++)
        {
          g_autoptr(GError) error = NULL;
          GetResult *result = open_row (g_ptr_array_index (chunk, i), data_key, &error);

          g_mutex_lock (&opener->lock);
          if (result == NULL && opener->error == NULL)
            opener->error = g_steal_pointer (&error);
          g_ptr_array_index (opener->results, next) = result;
          g_mutex_unlock (&opener->lock);
          if (result == NULL)
            return NULL;
        }
    }

  return NULL;
}

static gboolean
get_all (WaVault      *self,
         KeySnapshot  *keys,
         sqlite3_stmt *select,
         GPtrArray    *ids,
         GPtrArray    *results,
         GError      **error)
{
  Opener opener = { 0 };
  g_autoptr(GPtrArray) chunk = NULL;
  GThread *thread;
  gboolean failed = FALSE;

  if (ids->len < PIPELINE_MIN_RECORDS)
    {
      for (guint i = 0; i < ids->len; i++)
        {
          g_autoptr(RawRow) row = read_row (self, keys, select, g_ptr_array_index (ids, i), TRUE, error);
          GetResult *result = row != NULL ? open_row (row, self->record_key, error) : NULL;

          if (result == NULL)
            return FALSE;
          g_ptr_array_add (results, result);
        }

      return TRUE;
    }

  g_ptr_array_set_size (results, ids->len);
  opener.rows = g_async_queue_new_full ((GDestroyNotify) g_ptr_array_unref);
  opener.results = results;
  g_mutex_init (&opener.lock);
  thread = g_thread_new ("wa-vault-opener", opener_thread, &opener);

  for (guint i = 0; i < ids->len && !failed; i++)
    {
      RawRow *row = read_row (self, keys, select, g_ptr_array_index (ids, i), FALSE, error);

      if (row == NULL)
        {
          failed = TRUE;
          break;
        }

      if (chunk == NULL)
        chunk = g_ptr_array_new_full (ROWS_PER_CHUNK, (GDestroyNotify) raw_row_free);
      g_ptr_array_add (chunk, row);
      if (chunk->len == ROWS_PER_CHUNK || i + 1 == ids->len)
        g_async_queue_push (opener.rows, g_steal_pointer (&chunk));

      g_mutex_lock (&opener.lock);
      failed = opener.error != NULL;
      g_mutex_unlock (&opener.lock);
    }

  /* Whatever was read before an error still goes, then the end mark. */
  if (chunk != NULL && chunk->len > 0)
    g_async_queue_push (opener.rows, g_steal_pointer (&chunk));
  if (failed)
    g_async_queue_push (opener.rows, g_ptr_array_new ());

  g_thread_join (thread);
  g_async_queue_unref (opener.rows);
  g_mutex_clear (&opener.lock);

  if (opener.error != NULL)
    {
      if (error != NULL && *error == NULL)
        g_propagate_error (error, g_steal_pointer (&opener.error));
      g_clear_error (&opener.error);
      failed = TRUE;
    }

  return !failed;
}

static void
get_job (WaVault  *self,
         GTask    *task,
         gpointer  task_data)
{
  GPtrArray *ids = task_data;
  g_auto(KeySnapshot) keys = { NULL };
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) results = g_ptr_array_new_with_free_func (get_result_free);
  gboolean in_transaction = FALSE;
  sqlite3_stmt *select = NULL;

  if (!wa_vault_take_keys (self, &keys, &error))
    goto failed;

  select = wa_vault_prepare_cached (self, &self->select_stmt,
                                    "SELECT " RECORD_ROW_COLUMNS " FROM records WHERE id = ?", &error);
  if (select == NULL)
    goto failed;

  /* One read transaction for a batch, as any SQLite reader would. */
  if (ids->len > 1)
    {
      if (!wa_vault_exec (self, "BEGIN", &error))
        goto failed;
      in_transaction = TRUE;
    }

  if (!get_all (self, &keys, select, ids, results, &error))
    goto failed;

  if (in_transaction)
    sqlite3_exec (self->db, "COMMIT", NULL, NULL, NULL);
  for (guint i = 0; i < ids->len; i++)
    note_access (self, g_ptr_array_index (ids, i));
  if (g_hash_table_size (self->pending_access) >= ACCESS_FLUSH_THRESHOLD)
    wa_vault_flush_access (self);

  g_task_return_pointer (task, g_steal_pointer (&results), (GDestroyNotify) g_ptr_array_unref);
  return;

failed:
  if (select != NULL)
    sqlite3_reset (select);
  if (in_transaction)
    sqlite3_exec (self->db, "ROLLBACK", NULL, NULL, NULL);
  g_task_return_error (task, g_steal_pointer (&error));
}

static GPtrArray *
ids_new (const char *id)
{
  GPtrArray *ids = g_ptr_array_new_with_free_func (g_free);

  g_ptr_array_add (ids, g_strdup (id));

  return ids;
}

void
wa_vault_get_async (WaVault             *self,
                    const char          *id,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_return_if_fail (WA_IS_VAULT (self));
  g_return_if_fail (id != NULL);

  wa_vault_schedule (self, wa_vault_get_async, get_job, ids_new (id),
                     (GDestroyNotify) g_ptr_array_unref, cancellable, callback, user_data);
}

static GBytes *
take_get_result (GPtrArray      *results,
                 WaVaultRecord **record,
                 GBytes        **metadata)
{
  GetResult *result = g_ptr_array_index (results, 0);

  if (record != NULL)
    *record = g_steal_pointer (&result->record);
  if (metadata != NULL)
    *metadata = g_steal_pointer (&result->metadata);

  return g_steal_pointer (&result->data);
}

/**
 * wa_vault_get_finish:
 * @record: (out) (optional): the record's header, without the access statistics
 *   (wa_vault_list() has those)
 * @metadata: (out) (optional) (nullable): its decrypted metadata
 *
 * Returns: (transfer full): the decrypted data.
 */
GBytes *
wa_vault_get_finish (WaVault        *self,
                     GAsyncResult   *result,
                     WaVaultRecord **record,
                     GBytes        **metadata,
                     GError        **error)
{
  g_autoptr(GPtrArray) results = NULL;

  g_return_val_if_fail (WA_IS_VAULT (self), NULL);

  results = g_task_propagate_pointer (G_TASK (result), error);
  if (results == NULL)
    return NULL;

  return take_get_result (results, record, metadata);
}

GBytes *
wa_vault_get (WaVault        *self,
              const char     *id,
              WaVaultRecord **record,
              GBytes        **metadata,
              GError        **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;

  g_return_val_if_fail (WA_IS_VAULT (self), NULL);
  g_return_val_if_fail (id != NULL, NULL);

  result = wa_vault_run_sync (self, wa_vault_get_async, get_job, ids_new (id),
                              (GDestroyNotify) g_ptr_array_unref);
  results = g_task_propagate_pointer (G_TASK (result), error);
  if (results == NULL)
    return NULL;

  return take_get_result (results, record, metadata);
}

/**
 * wa_vault_get_many:
 * @ids: (element-type utf8): record ids
 *
 * Returns: (transfer full) (element-type GBytes): the decrypted contents in
 *   the order of @ids, or %NULL if any one of them fails.
 */
GPtrArray *
wa_vault_get_many (WaVault    *self,
                   GPtrArray  *ids,
                   GError    **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) results = NULL;
  GPtrArray *datas;

  g_return_val_if_fail (WA_IS_VAULT (self), NULL);
  g_return_val_if_fail (ids != NULL, NULL);

  result = wa_vault_run_sync (self, wa_vault_get_many, get_job, g_ptr_array_ref (ids),
                              (GDestroyNotify) g_ptr_array_unref);
  results = g_task_propagate_pointer (G_TASK (result), error);
  if (results == NULL)
    return NULL;

  datas = g_ptr_array_new_full (results->len, (GDestroyNotify) g_bytes_unref);
  for (guint i = 0; i < results->len; i++)
    {
      GetResult *one = g_ptr_array_index (results, i);

      g_ptr_array_add (datas, g_steal_pointer (&one->data));
    }

  return datas;
}
