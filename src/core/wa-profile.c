/* wa-profile.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-profile"

#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>
#include <sys/file.h>
#include <string.h>
#include <glib/gstdio.h>
#include <sodium.h>

#include "wa-crypto.h"
#include "wa-json.h"
#include "wa-profile.h"
#include "wa-audit-log.h"
#include "wa-software-key-provider.h"

/**
 * WaProfile:
 *
 * A user's profile on this device: a folder holding `profile.json` (public
 * keys, key derivation parameters and the keyring encrypted with the
 * Account Unlock Key), `secret-key` (this device's copy of the Secret Key,
 * unless the user chose not to keep one), `unlock-state.json` (failed
 * unlock attempts, for back-off) and `vault.db`.
 *
 * Locking wipes every private key from memory; so does idling for longer
 * than the idle timeout, and finalization.
 */
struct _WaProfile
{
  GObject        parent_instance;

  char          *directory;
  char          *profile_path;
  char          *secret_key_path;
  char          *state_path;
  char          *vault_path;

  char          *profile_id;
  char          *user_id;
  char          *tenant_id;
  char          *device_id;
  WaKdfParams   *kdf_params;
  guint8         secret_key_fingerprint[32];
  guint8         sign_public_key[WA_SIGN_PUBLIC_KEY_SIZE];
  guint8         box_public_key[WA_BOX_PUBLIC_KEY_SIZE];
  GBytes        *sealed_keyring;
  GBytes        *wrapped_tenant_key;
  char          *authenticated_body;
  guint8         integrity[32];
  gint64         created_at;
  guint          idle_timeout;

  WaVault       *vault;
  WaAuditLog    *audit_log;
  WaKeyring     *keyring;
  WaKeyProvider *tenant_keys;
  WaSecureBytes *secret_key;

  guint          failed_attempts;
  gint64         next_attempt_at;

  gint64         last_activity;
  guint          idle_source;
};

enum {
  PROP_0,
  PROP_LOCKED,
  PROP_IDLE_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

G_DEFINE_FINAL_TYPE (WaProfile, wa_profile, G_TYPE_OBJECT)
G_DEFINE_QUARK (wa_profile_error_quark, wa_profile_error)

static void lock_keys (WaProfile  *self);
static void lock_for  (WaProfile  *self,
                       const char *reason);

static void
wa_profile_finalize (GObject *object)
{
  WaProfile *self = (WaProfile *)object;

  wa_profile_lock (self);
  g_clear_object (&self->audit_log);
  if (self->vault != NULL)
    wa_vault_close (self->vault);
  g_clear_object (&self->vault);
  g_clear_pointer (&self->directory, g_free);
  g_clear_pointer (&self->profile_path, g_free);
  g_clear_pointer (&self->secret_key_path, g_free);
  g_clear_pointer (&self->state_path, g_free);
  g_clear_pointer (&self->vault_path, g_free);
  g_clear_pointer (&self->profile_id, g_free);
  g_clear_pointer (&self->user_id, g_free);
  g_clear_pointer (&self->tenant_id, g_free);
  g_clear_pointer (&self->device_id, g_free);
  g_clear_pointer (&self->kdf_params, wa_kdf_params_free);
  g_clear_pointer (&self->sealed_keyring, g_bytes_unref);
  g_clear_pointer (&self->wrapped_tenant_key, g_bytes_unref);
  g_clear_pointer (&self->authenticated_body, g_free);

  G_OBJECT_CLASS (wa_profile_parent_class)->finalize (object);
}

static void
wa_profile_get_property (GObject    *object,
                         guint       prop_id,
                         GValue     *value,
                         GParamSpec *pspec)
{
  WaProfile *self = WA_PROFILE (object);

  switch (prop_id)
    {
    case PROP_LOCKED :
      g_value_set_boolean (value, wa_profile_get_locked (self));
      break;

    case PROP_IDLE_TIMEOUT :
      g_value_set_uint (value, self->idle_timeout);
      break;

    default :
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wa_profile_set_property (GObject      *object,
                         guint         prop_id,
                         const GValue *value,
                         GParamSpec   *pspec)
{
  WaProfile *self = WA_PROFILE (object);

  switch (prop_id)
    {
    case PROP_IDLE_TIMEOUT :
      wa_profile_set_idle_timeout (self, g_value_get_uint (value));
      break;

    default :
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wa_profile_class_init (WaProfileClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = wa_profile_finalize;
  object_class->get_property = wa_profile_get_property;
  object_class->set_property = wa_profile_set_property;

  properties[PROP_LOCKED] =
    g_param_spec_boolean ("locked", NULL, NULL, TRUE,
                          G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_IDLE_TIMEOUT] =
    g_param_spec_uint ("idle-timeout", NULL, NULL, 0, G_MAXUINT, WA_PROFILE_DEFAULT_IDLE_TIMEOUT,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wa_profile_init (WaProfile *self)
{
  self->idle_timeout = WA_PROFILE_DEFAULT_IDLE_TIMEOUT;
}

static void
set_paths (WaProfile  *self,
           const char *directory)
{
  self->directory = g_strdup (directory);
  self->profile_path = g_build_filename (directory, "profile.json", NULL);
  self->secret_key_path = g_build_filename (directory, "secret-key", NULL);
  self->state_path = g_build_filename (directory, "unlock-state.json", NULL);
  self->vault_path = g_build_filename (directory, "vault.db", NULL);
}

static GBytes *
keyring_ad (WaProfile *self)
{
  WaAeadContext context = {
    .record_id = self->profile_id,
    .tenant_id = self->tenant_id,
    .record_type = "keyring",
    .format_version = WA_PROFILE_FORMAT_VERSION,
    .purpose = "account-unlock-key",
  };

  return wa_aead_context_encode (&context);
}

/* Serialization ------------------------------------------------------------ */

static void
add_base64 (JsonBuilder  *builder,
            const char   *name,
            const guint8 *data,
            gsize         len)
{
  g_autofree char *text = g_base64_encode (data, len);

  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, text);
}

static void
add_string (JsonBuilder *builder,
            const char  *name,
            const char  *value)
{
  json_builder_set_member_name (builder, name);
  json_builder_add_string_value (builder, value);
}

/* The integrity code of profile.json: BLAKE2b keyed with a subkey of the
 * user's vault key, over the canonical JSON of every other member.  Only
 * someone holding the unlocked keyring can make it, so after unlocking it
 * proves that nobody changed the file's public parts: the tenant key
 * sealed to the user (which anyone could seal), the public keys, the
 * identities, the idle timeout. */
static void
compute_integrity (WaKeyring  *keyring,
                   const char *canonical_body,
                   guint8     *out)
{
  g_autoptr(WaSecureBytes) key = wa_crypto_derive_subkey (wa_keyring_get_vault_key (keyring), 1, "WAprofil");

  crypto_generichash (out, 32, (const guint8 *) canonical_body, strlen (canonical_body),
                      wa_secure_bytes_get_data (key), wa_secure_bytes_get_size (key));
}

static JsonNode *
profile_to_json (WaProfile *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *canonical = NULL;
  g_autofree char *checksum = NULL;
  guint8 hash[WA_SHA256_SIZE];
  JsonObject *object;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "format");
  json_builder_add_int_value (builder, WA_PROFILE_FORMAT_VERSION);
  add_string (builder, "profile_id", self->profile_id);
  add_string (builder, "user_id", self->user_id);
  add_string (builder, "tenant_id", self->tenant_id);
  add_string (builder, "device_id", self->device_id);
  json_builder_set_member_name (builder, "created_at");
  json_builder_add_int_value (builder, self->created_at);
  json_builder_set_member_name (builder, "idle_timeout");
  json_builder_add_int_value (builder, self->idle_timeout);
  json_builder_set_member_name (builder, "kdf");
  json_builder_add_value (builder, wa_kdf_params_to_json (self->kdf_params));
  add_base64 (builder, "secret_key_fingerprint", self->secret_key_fingerprint, 32);
  add_base64 (builder, "sign_public_key", self->sign_public_key, WA_SIGN_PUBLIC_KEY_SIZE);
  add_base64 (builder, "box_public_key", self->box_public_key, WA_BOX_PUBLIC_KEY_SIZE);
  add_base64 (builder, "keyring", g_bytes_get_data (self->sealed_keyring, NULL),
              g_bytes_get_size (self->sealed_keyring));
  add_base64 (builder, "tenant_key", g_bytes_get_data (self->wrapped_tenant_key, NULL),
              g_bytes_get_size (self->wrapped_tenant_key));
  json_builder_end_object (builder);
  body = json_builder_get_root (builder);
  object = json_node_get_object (body);

  /* Saving happens only while unlocked (creation, password change). */
  g_assert (self->keyring != NULL);
  {
    g_autofree char *authenticated = wa_json_canonicalize (body);
    g_autofree char *integrity = NULL;

    compute_integrity (self->keyring, authenticated, self->integrity);
    integrity = wa_hex_encode (self->integrity, sizeof self->integrity);
    json_object_set_string_member (object, "integrity", integrity);
    g_free (self->authenticated_body);
    self->authenticated_body = g_steal_pointer (&authenticated);
  }

  /* The checksum catches accidental damage, so that a damaged file is
   * reported as such and not as a wrong password.  It is no defence
   * against tampering: the AEAD and the key checks on unlock are. */
  canonical = wa_json_canonicalize (body);
  wa_crypto_sha256 ((const guint8 *) canonical, strlen (canonical), hash);
  checksum = wa_hex_encode (hash, sizeof hash);
  json_object_set_string_member (object, "checksum", checksum);

  return g_steal_pointer (&body);
}

static gboolean
read_base64 (JsonObject *object,
             const char *name,
             guint8     *out,
             gsize       expected_len)
{
  g_autofree guint8 *data = NULL;
  const char *text;
  gsize len = 0;

  text = json_object_get_string_member_with_default (object, name, NULL);
  if (text == NULL)
    return FALSE;

  data = wa_base64_decode (text, &len, NULL);
  if (data == NULL || len != expected_len)
    return FALSE;

  memcpy (out, data, len);

  return TRUE;
}

static GBytes *
read_base64_bytes (JsonObject *object,
                   const char *name)
{
  g_autofree guint8 *data = NULL;
  const char *text;
  gsize len = 0;

  text = json_object_get_string_member_with_default (object, name, NULL);
  if (text == NULL)
    return NULL;

  data = wa_base64_decode (text, &len, NULL);
  if (data == NULL)
    return NULL;

  return g_bytes_new_take (g_steal_pointer (&data), len);
}

static gboolean
set_corrupt (WaProfile   *self,
             GError     **error,
             const char  *what)
{
  g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_CORRUPT,
               "The key file %s is damaged (%s); restore it from a backup — WebAgent has not changed it",
               self->profile_path, what);
  return FALSE;
}

static gboolean
load_profile (WaProfile  *self,
              GError    **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *canonical = NULL;
  g_autofree guint8 *stored_checksum = NULL;
  guint8 hash[WA_SHA256_SIZE];
  JsonObject *object;
  const char *checksum;
  gsize len = 0;
  gsize checksum_len = 0;

  if (!g_file_get_contents (self->profile_path, &contents, &len, &local_error))
    {
      if (g_error_matches (local_error, G_FILE_ERROR, G_FILE_ERROR_NOENT))
        g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_NOT_FOUND,
                     "There is no profile in %s; create one with “webagent-cli init --profile %s”",
                     self->directory, self->directory);
      else
        g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_IO,
                     "Could not read %s: %s", self->profile_path, local_error->message);
      return FALSE;
    }

  root = wa_json_parse_object (contents, len, NULL);
  if (root == NULL)
    return set_corrupt (self, error, "it is not valid JSON");

  /* Check the checksum over everything but itself. */
  body = json_node_copy (root);
  object = json_node_get_object (body);
  checksum = json_object_get_string_member_with_default (json_node_get_object (root), "checksum", NULL);
  if (checksum == NULL)
    return set_corrupt (self, error, "its checksum is missing");
  stored_checksum = wa_hex_decode (checksum, &checksum_len, NULL);
  json_object_remove_member (object, "checksum");
  canonical = wa_json_canonicalize (body);
  wa_crypto_sha256 ((const guint8 *) canonical, strlen (canonical), hash);
  if (stored_checksum == NULL || checksum_len != sizeof hash ||
      !wa_crypto_equal (stored_checksum, hash, sizeof hash))
    return set_corrupt (self, error, "its checksum does not match");

  {
    g_autofree guint8 *integrity = NULL;
    const char *integrity_text = json_object_get_string_member_with_default (object, "integrity", NULL);
    gsize integrity_len = 0;

    if (integrity_text != NULL)
      integrity = wa_hex_decode (integrity_text, &integrity_len, NULL);
    if (integrity == NULL || integrity_len != sizeof self->integrity)
      return set_corrupt (self, error, "its integrity code is missing");
    memcpy (self->integrity, integrity, sizeof self->integrity);
    json_object_remove_member (object, "integrity");
    self->authenticated_body = wa_json_canonicalize (body);
  }

  if (json_object_get_int_member_with_default (object, "format", 0) != WA_PROFILE_FORMAT_VERSION)
    {
      g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_CORRUPT,
                   "The key file %s has a format this WebAgent does not know; update WebAgent",
                   self->profile_path);
      return FALSE;
    }

  self->profile_id = g_strdup (json_object_get_string_member_with_default (object, "profile_id", NULL));
  self->user_id = g_strdup (json_object_get_string_member_with_default (object, "user_id", NULL));
  self->tenant_id = g_strdup (json_object_get_string_member_with_default (object, "tenant_id", NULL));
  self->device_id = g_strdup (json_object_get_string_member_with_default (object, "device_id", NULL));
  self->created_at = json_object_get_int_member_with_default (object, "created_at", 0);
  self->idle_timeout = json_object_get_int_member_with_default (object, "idle_timeout",
                                                                WA_PROFILE_DEFAULT_IDLE_TIMEOUT);
  self->sealed_keyring = read_base64_bytes (object, "keyring");
  self->wrapped_tenant_key = read_base64_bytes (object, "tenant_key");

  if (self->profile_id == NULL || self->user_id == NULL || self->tenant_id == NULL ||
      self->device_id == NULL || self->sealed_keyring == NULL || self->wrapped_tenant_key == NULL ||
      !read_base64 (object, "secret_key_fingerprint", self->secret_key_fingerprint, 32) ||
      !read_base64 (object, "sign_public_key", self->sign_public_key, WA_SIGN_PUBLIC_KEY_SIZE) ||
      !read_base64 (object, "box_public_key", self->box_public_key, WA_BOX_PUBLIC_KEY_SIZE))
    return set_corrupt (self, error, "a required field is missing or malformed");

  /* Parameters below the floor or above the cap are refused here, before
   * any derivation runs. */
  self->kdf_params = wa_kdf_params_from_json (json_object_get_member (object, "kdf"), error);
  if (self->kdf_params == NULL)
    return FALSE;

  return TRUE;
}

static gboolean
save_profile (WaProfile  *self,
              GError    **error)
{
  g_autoptr(JsonNode) root = profile_to_json (self);

  if (!wa_json_write_file (self->profile_path, root, error))
    {
      g_prefix_error (error, "Could not save the profile: ");
      return FALSE;
    }

  return TRUE;
}

/* Back-off ------------------------------------------------------------------ */

static void save_unlock_state (WaProfile *self);

/* Unlock attempts of every process on this profile take turns: without
 * this, several processes guessing at once would each see the same old
 * count, and the back-off would not grow. */
typedef int AttemptLock;

static AttemptLock
attempt_lock_acquire (WaProfile *self)
{
  g_autofree char *path = g_build_filename (self->directory, "unlock.lock", NULL);
  int fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);

  if (fd < 0)
    {
      g_debug ("Could not open %s: %s", path, g_strerror (errno));
      return -1;
    }

  while (flock (fd, LOCK_EX) != 0 && errno == EINTR)
    ;

  return fd;
}

static void
attempt_lock_release (AttemptLock fd)
{
  flock (fd, LOCK_UN);
  close (fd);
}

G_DEFINE_AUTO_CLEANUP_FREE_FUNC (AttemptLock, attempt_lock_release, -1)

static void
load_unlock_state (WaProfile *self)
{
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  gsize len = 0;

  self->failed_attempts = 0;
  self->next_attempt_at = 0;

  if (!g_file_get_contents (self->state_path, &contents, &len, NULL))
    return;

  root = wa_json_parse_object (contents, len, NULL);
  if (root == NULL)
    {
      /* A damaged state file must not open the door: treat it as the
       * longest back-off from now, once. */
      g_debug ("Unlock state %s is damaged; applying the maximum delay", self->state_path);
      self->failed_attempts = 11;
      self->next_attempt_at = g_get_real_time () + WA_PROFILE_MAX_BACKOFF * G_USEC_PER_SEC;
      /* Written down, so the delay runs out instead of starting again at
       * every look. */
      save_unlock_state (self);
      return;
    }

  self->failed_attempts = json_object_get_int_member_with_default (json_node_get_object (root),
                                                                   "failed_attempts", 0);
  self->next_attempt_at = json_object_get_int_member_with_default (json_node_get_object (root),
                                                                   "next_attempt_at", 0);
}

static void
save_unlock_state (WaProfile *self)
{
  g_autoptr(JsonBuilder) builder = json_builder_new ();
  g_autoptr(JsonNode) root = NULL;
  g_autoptr(GError) error = NULL;

  json_builder_begin_object (builder);
  json_builder_set_member_name (builder, "failed_attempts");
  json_builder_add_int_value (builder, self->failed_attempts);
  json_builder_set_member_name (builder, "next_attempt_at");
  json_builder_add_int_value (builder, self->next_attempt_at);
  json_builder_end_object (builder);
  root = json_builder_get_root (builder);

  if (!wa_json_write_file (self->state_path, root, &error))
    g_warning ("Could not save the unlock state: %s", error->message);
}

/* The delay after @failures failed attempts: 1 s, 2 s, 4 s … up to 15 min. */
static gint64
backoff_delay (guint failures)
{
  if (failures == 0)
    return 0;

  return MIN ((gint64) 1 << MIN (failures - 1, 20), WA_PROFILE_MAX_BACKOFF);
}

static void audit_failure (WaProfile      *self,
                           const char     *event_type,
                           const char     *action,
                           WaAuditOutcome  outcome,
                           const char     *reason);

static void
record_failure (WaProfile  *self,
                const char *event_type,
                const char *reason)
{
  self->failed_attempts++;
  self->next_attempt_at = g_get_real_time () + backoff_delay (self->failed_attempts) * G_USEC_PER_SEC;
  save_unlock_state (self);
  audit_failure (self, event_type, strchr (event_type, '.') + 1, WA_AUDIT_OUTCOME_FAILURE, reason);
}

/**
 * wa_profile_get_backoff_remaining:
 *
 * Returns: the seconds to wait before the next unlock attempt is allowed.
 */
gint64
wa_profile_get_backoff_remaining (WaProfile *self)
{
  gint64 remaining;

  g_return_val_if_fail (WA_IS_PROFILE (self), 0);

  load_unlock_state (self);
  remaining = self->next_attempt_at - g_get_real_time ();
  if (remaining <= 0)
    return 0;

  /* A clock set back must not lock the user out for longer than the cap. */
  return MIN ((remaining + G_USEC_PER_SEC - 1) / G_USEC_PER_SEC, WA_PROFILE_MAX_BACKOFF);
}

guint
wa_profile_get_failed_attempts (WaProfile *self)
{
  g_return_val_if_fail (WA_IS_PROFILE (self), 0);

  load_unlock_state (self);

  return self->failed_attempts;
}

/* Creating and opening ----------------------------------------------------- */

/* The Secret Key as text is a secret too: wiped before it is freed. */
typedef char SecretText;

static void
secret_text_free (SecretText *text)
{
  sodium_memzero (text, strlen (text));
  g_free (text);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SecretText, secret_text_free)

static gboolean
open_vault (WaProfile         *self,
            WaVaultOpenFlags   flags,
            GError           **error)
{
  self->vault = wa_vault_open_full (self->vault_path, flags, error);
  if (self->vault == NULL)
    return FALSE;

  wa_vault_add_trusted_signer (self->vault, self->sign_public_key);
  self->audit_log = wa_audit_log_new (self->vault);

  return TRUE;
}

/* Audit ------------------------------------------------------------------------ */

static char *
checkpoint_path (WaProfile *self)
{
  return g_build_filename (self->directory, "audit-checkpoint", NULL);
}

/* Keeps the newest checkpoint outside the database: the one this device
 * saw last, which a rewritten or truncated log must still be consistent
 * with. */
static void
save_checkpoint (WaProfile *self)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *kept = wa_profile_dup_last_checkpoint (self);
  g_autofree char *note = NULL;
  g_autofree char *path = checkpoint_path (self);

  /* Only a log that continues the kept checkpoint may replace it, or a
   * log cut back while unlocked would become the one "seen". */
  if (!wa_audit_log_check_continuity (self->audit_log, self->sign_public_key, kept, &error) ||
      (note = wa_audit_log_dup_checkpoint (self->audit_log, &error)) == NULL ||
      !g_file_set_contents_full (path, note, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE, 0600, &error))
    g_warning ("The audit checkpoint was not kept: %s", error != NULL ? error->message : "the log is empty");
}

/**
 * wa_profile_dup_last_checkpoint:
 *
 * Returns: (transfer full) (nullable): the newest audit checkpoint this
 *   device kept outside the database, or %NULL if there is none yet.
 */
char *
wa_profile_dup_last_checkpoint (WaProfile *self)
{
  g_autofree char *path = NULL;
  char *note = NULL;

  g_return_val_if_fail (WA_IS_PROFILE (self), NULL);

  path = checkpoint_path (self);
  if (!g_file_get_contents (path, &note, NULL, NULL))
    return NULL;

  return note;
}

static gboolean
audit (WaProfile       *self,
       const char      *event_type,
       const char      *action,
       WaAuditOutcome   outcome,
       int              risk_score,
       JsonObject      *metadata,
       GError         **error)
{
  g_autofree char *resource = g_strconcat ("profile:", self->profile_id, NULL);
  WaAuditEvent event = {
    .event_type = event_type,
    .resource = resource,
    .action = action,
    .outcome = outcome,
    .risk_score = risk_score,
    .metadata = metadata,
  };

  if (self->keyring != NULL)
    return wa_audit_log_record_event (self->audit_log, &event, NULL, error);
  else
    return wa_audit_log_record_pending (self->audit_log, &event, error);
}

/* A failure must not hide the error the user is about to see. */
static void
audit_failure (WaProfile      *self,
               const char     *event_type,
               const char     *action,
               WaAuditOutcome  outcome,
               const char     *reason)
{
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autoptr(GError) error = NULL;

  json_object_set_string_member (metadata, "reason", reason);
  json_object_set_int_member (metadata, "failed_attempts", self->failed_attempts);
  if (!audit (self, event_type, action, outcome, MIN (100, 20 + 10 * (int) self->failed_attempts),
              metadata, &error))
    g_debug ("Could not record a failed attempt: %s", error->message);
}

/**
 * wa_profile_create:
 * @directory: the profile folder; created if missing, and must not hold a
 *   profile already
 * @password: the account password
 * @params: (nullable): key derivation parameters, or %NULL for the defaults
 * @store_secret_key: whether this device keeps a copy of the Secret Key
 * @secret_key_text: (out): the Secret Key as printed on the emergency kit;
 *   shown once, free it with g_free() after wiping it
 *
 * Creates a profile: a new Secret Key, a new keyring, a new personal tenant
 * whose master key is sealed to the user's X25519 key, and an empty vault.
 * The profile is returned unlocked.
 */
WaProfile *
wa_profile_create (const char   *directory,
                   const char   *password,
                   WaKdfParams  *params,
                   gboolean      store_secret_key,
                   char        **secret_key_text,
                   GError      **error)
{
  g_autoptr(WaProfile) self = NULL;
  g_autoptr(WaSecureBytes) secret_key = NULL;
  g_autoptr(WaSecureBytes) unlock_key = NULL;
  g_autoptr(WaSecureBytes) keyring_secret = NULL;
  g_autoptr(WaSoftwareKeyProvider) tenant = NULL;
  g_autoptr(GBytes) ad = NULL;
  g_autoptr(SecretText) key_text = NULL;

  g_return_val_if_fail (directory != NULL, NULL);
  g_return_val_if_fail (password != NULL, NULL);
  g_return_val_if_fail (secret_key_text != NULL, NULL);

  self = g_object_new (WA_TYPE_PROFILE, NULL);
  set_paths (self, directory);

  if (g_utf8_strlen (password, -1) < WA_PROFILE_MIN_PASSWORD_LENGTH)
    {
      g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_WEAK_PASSWORD,
                   "The password is too short; use at least %d characters",
                   WA_PROFILE_MIN_PASSWORD_LENGTH);
      return NULL;
    }

  if (g_mkdir_with_parents (directory, 0700) != 0)
    {
      int saved_errno = errno;

      g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_IO,
                   "Could not create the folder %s: %s", directory, g_strerror (saved_errno));
      return NULL;
    }

  if (g_file_test (self->profile_path, G_FILE_TEST_EXISTS) ||
      g_file_test (self->vault_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_EXISTS,
                   "%s already holds a profile; choose another folder — nothing was overwritten",
                   directory);
      return NULL;
    }

  self->kdf_params = params != NULL ? wa_kdf_params_copy (params) : wa_kdf_params_new_default ();
  if (!wa_kdf_params_check (self->kdf_params, error))
    return NULL;

  self->profile_id = wa_crypto_new_uuid ();
  self->user_id = wa_crypto_new_uuid ();
  self->tenant_id = wa_crypto_new_uuid ();
  self->created_at = g_get_real_time ();

  secret_key = wa_secret_key_generate ();
  wa_secret_key_fingerprint (secret_key, self->kdf_params->salt, self->secret_key_fingerprint);
  unlock_key = wa_kdf_derive_unlock_key (self->kdf_params, password, secret_key, error);
  if (unlock_key == NULL)
    return NULL;

  self->keyring = wa_keyring_new_random ();
  memcpy (self->sign_public_key, wa_keyring_get_sign_public_key (self->keyring), WA_SIGN_PUBLIC_KEY_SIZE);
  memcpy (self->box_public_key, wa_keyring_get_box_public_key (self->keyring), WA_BOX_PUBLIC_KEY_SIZE);
  self->device_id = wa_keyring_dup_device_id (self->keyring);

  keyring_secret = wa_keyring_export_secret (self->keyring);
  ad = keyring_ad (self);
  self->sealed_keyring = wa_crypto_aead_seal (wa_secure_bytes_get_data (unlock_key),
                                              wa_secure_bytes_get_data (keyring_secret),
                                              wa_secure_bytes_get_size (keyring_secret), ad);

  tenant = wa_software_key_provider_new_generated (self->tenant_id);
  self->wrapped_tenant_key = wa_key_provider_wrap_for_member (WA_KEY_PROVIDER (tenant),
                                                              self->box_public_key, error);
  if (self->wrapped_tenant_key == NULL)
    return NULL;
  self->tenant_keys = WA_KEY_PROVIDER (g_steal_pointer (&tenant));

  key_text = wa_secret_key_format (secret_key);

  /* The vault first: if it cannot be created, no profile.json claims
   * that a profile exists here. */
  if (!open_vault (self, WA_VAULT_OPEN_FLAGS_CREATE, error))
    return NULL;

  if (store_secret_key &&
      !g_file_set_contents_full (self->secret_key_path, key_text, -1,
                                 G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                 0600, error))
    return NULL;

  if (!save_profile (self, error))
    return NULL;

  wa_vault_set_keys (self->vault, self->user_id, self->keyring, self->tenant_keys);
  self->secret_key = g_steal_pointer (&secret_key);
  wa_secure_bytes_seal (self->secret_key);
  self->last_activity = g_get_monotonic_time ();
  wa_profile_set_idle_timeout (self, self->idle_timeout);

  if (!audit (self, "profile.create", "create", WA_AUDIT_OUTCOME_SUCCESS, 0, NULL, error))
    return NULL;

  *secret_key_text = g_steal_pointer (&key_text);

  return g_steal_pointer (&self);
}

/* A process killed while saving leaves the temporary file of an atomic
 * write behind (`profile.json.XXXXXX`).  It may hold the keyring under a
 * password that never took effect, so it goes. */
static void
remove_stale_temporary_files (WaProfile *self)
{
  static const char * const prefixes[] = { "profile.json.", "unlock-state.json.", "secret-key." };
  g_autoptr(GDir) dir = g_dir_open (self->directory, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      for (guint i = 0; i < G_N_ELEMENTS (prefixes); i++)
        {
          if (g_str_has_prefix (name, prefixes[i]) && strlen (name) == strlen (prefixes[i]) + 6)
            {
              g_autofree char *path = g_build_filename (self->directory, name, NULL);

              g_debug ("Removing %s, left by an interrupted save", path);
              g_unlink (path);
            }
        }
    }
}

/**
 * wa_profile_open:
 *
 * Opens the profile in @directory, locked.  Its public parts, the vault's
 * list of records and their verification are available; nothing else is
 * until wa_profile_unlock().
 */
WaProfile *
wa_profile_open (const char  *directory,
                 GError     **error)
{
  g_autoptr(WaProfile) self = NULL;

  g_return_val_if_fail (directory != NULL, NULL);

  self = g_object_new (WA_TYPE_PROFILE, NULL);
  set_paths (self, directory);

  if (!load_profile (self, error))
    return NULL;

  remove_stale_temporary_files (self);

  if (!g_file_test (self->vault_path, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_CORRUPT,
                   "The vault database %s is missing; restore it from a backup",
                   self->vault_path);
      return NULL;
    }

  if (!open_vault (self, WA_VAULT_OPEN_FLAGS_NONE, error))
    return NULL;

  load_unlock_state (self);

  return g_steal_pointer (&self);
}

/* Unlocking ------------------------------------------------------------------ */

static WaSecureBytes *
read_device_secret_key (WaProfile  *self,
                        GError    **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GError) local_error = NULL;
  WaSecureBytes *key;
  gsize length;

  if (!g_file_get_contents (self->secret_key_path, &text, NULL, &local_error))
    {
      g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_NEED_SECRET_KEY,
                   "This device holds no copy of the profile's Secret Key; "
                   "give it from the emergency kit (--secret-key-file)");
      return NULL;
    }

  /* Stripping moves the text; wipe the whole of what was read. */
  length = strlen (text);
  key = wa_secret_key_parse (g_strstrip (text), error);
  sodium_memzero (text, length);

  return key;
}

static gboolean
idle_check_cb (gpointer user_data)
{
  WaProfile *self = user_data;
  gint64 idle = g_get_monotonic_time () - self->last_activity;

  if (self->keyring != NULL && self->idle_timeout > 0 &&
      idle >= (gint64) self->idle_timeout * G_USEC_PER_SEC)
    {
      g_debug ("Locking %s after %u s idle", self->directory, self->idle_timeout);
      self->idle_source = 0;
      lock_for (self, "idle");
      return G_SOURCE_REMOVE;
    }

  return G_SOURCE_CONTINUE;
}

/**
 * wa_profile_unlock:
 * @password: the account password
 * @secret_key_text: (nullable): the Secret Key from the emergency kit, or
 *   %NULL to use this device's copy
 *
 * Derives the Account Unlock Key, opens the keyring and the tenant key, and
 * hands the keys to the vault.  Failures are counted, persisted, and make
 * the next attempt wait (1 s, 2 s, 4 s … up to 15 min).
 */
gboolean
wa_profile_unlock (WaProfile   *self,
                   const char  *password,
                   const char  *secret_key_text,
                   GError     **error)
{
  g_autoptr(WaSecureBytes) secret_key = NULL;
  g_autoptr(WaSecureBytes) unlock_key = NULL;
  g_autoptr(WaSecureBytes) keyring_secret = NULL;
  g_autoptr(WaKeyring) keyring = NULL;
  g_autoptr(WaSoftwareKeyProvider) tenant = NULL;
  g_autoptr(GBytes) ad = NULL;
  g_autoptr(GError) local_error = NULL;
  g_auto(AttemptLock) attempt_lock = -1;
  guint8 fingerprint[32];
  gint64 remaining;
  guint failures;

  g_return_val_if_fail (WA_IS_PROFILE (self), FALSE);
  g_return_val_if_fail (password != NULL, FALSE);

  if (self->keyring != NULL)
    return TRUE;

  attempt_lock = attempt_lock_acquire (self);
  remaining = wa_profile_get_backoff_remaining (self);
  if (remaining > 0)
    {
      audit_failure (self, "auth.unlock_refused", "unlock", WA_AUDIT_OUTCOME_DENIED, "backoff");
      g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_BACKOFF,
                   "Too many failed unlock attempts (%u); wait %" G_GINT64_FORMAT " s and try again",
                   self->failed_attempts, remaining);
      return FALSE;
    }

  if (secret_key_text != NULL)
    secret_key = wa_secret_key_parse (secret_key_text, error);
  else
    secret_key = read_device_secret_key (self, error);
  if (secret_key == NULL)
    return FALSE;

  wa_secret_key_fingerprint (secret_key, self->kdf_params->salt, fingerprint);
  if (!wa_crypto_equal (fingerprint, self->secret_key_fingerprint, sizeof fingerprint))
    {
      record_failure (self, "auth.unlock_failed", "wrong_secret_key");
      g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_WRONG_SECRET_KEY,
                   "This Secret Key does not belong to this profile; use the one on its emergency kit");
      return FALSE;
    }

  unlock_key = wa_kdf_derive_unlock_key (self->kdf_params, password, secret_key, error);
  if (unlock_key == NULL)
    return FALSE;

  ad = keyring_ad (self);
  keyring_secret = wa_crypto_aead_open_secure (wa_secure_bytes_get_data (unlock_key),
                                               self->sealed_keyring, ad, &local_error);
  if (keyring_secret == NULL)
    {
      record_failure (self, "auth.unlock_failed", "wrong_password");
      g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_WRONG_PASSWORD,
                   "Wrong password; check it and try again (next attempt allowed in %" G_GINT64_FORMAT " s)",
                   backoff_delay (self->failed_attempts));
      return FALSE;
    }

  keyring = wa_keyring_new_from_secret (keyring_secret, error);
  if (keyring == NULL)
    return FALSE;

  /* Everything else in the file is public and could have been rewritten
   * by anyone who can write the folder; the integrity code says whether
   * it was. */
  {
    guint8 integrity[32];

    compute_integrity (keyring, self->authenticated_body, integrity);
    if (!wa_crypto_equal (integrity, self->integrity, sizeof integrity))
      return set_corrupt (self, error, "it was changed by someone without this profile’s keys");
  }

  /* The public keys in the file are not encrypted; they must be the ones
   * the keyring actually holds, or someone swapped them. */
  if (!wa_crypto_equal (wa_keyring_get_sign_public_key (keyring), self->sign_public_key,
                        WA_SIGN_PUBLIC_KEY_SIZE) ||
      !wa_crypto_equal (wa_keyring_get_box_public_key (keyring), self->box_public_key,
                        WA_BOX_PUBLIC_KEY_SIZE))
    return set_corrupt (self, error, "its public keys do not match its keyring");

  tenant = wa_software_key_provider_new_unwrapped (self->tenant_id, self->wrapped_tenant_key,
                                                   keyring, &local_error);
  if (tenant == NULL)
    return set_corrupt (self, error, "its tenant key cannot be opened");

  failures = self->failed_attempts;
  self->keyring = g_steal_pointer (&keyring);
  self->tenant_keys = WA_KEY_PROVIDER (g_steal_pointer (&tenant));
  self->secret_key = g_steal_pointer (&secret_key);
  wa_secure_bytes_seal (self->secret_key);
  wa_vault_set_keys (self->vault, self->user_id, self->keyring, self->tenant_keys);

  /* Nothing happens unrecorded: if the unlock cannot go into the audit
   * log (a damaged log, a full disk), the profile stays locked.  Nor is
   * anything added to a log that does not continue the one this device
   * saw last (cut back, restored from an older copy, forked). */
  {
    g_autoptr(JsonObject) metadata = json_object_new ();
    g_autofree char *kept = wa_profile_dup_last_checkpoint (self);

    json_object_set_int_member (metadata, "failed_attempts_before", failures);
    if (!wa_audit_log_check_continuity (self->audit_log, self->sign_public_key, kept, &local_error) ||
        !audit (self, "auth.unlock", "unlock", WA_AUDIT_OUTCOME_SUCCESS, 0, metadata, &local_error))
      {
        lock_keys (self);
        g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_AUDIT,
                     "The profile was not unlocked because the unlock could not be recorded: %s",
                     local_error->message);
        return FALSE;
      }
  }

  if (self->failed_attempts > 0)
    {
      self->failed_attempts = 0;
      self->next_attempt_at = 0;
      save_unlock_state (self);
    }

  self->last_activity = g_get_monotonic_time ();
  wa_profile_set_idle_timeout (self, self->idle_timeout);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);

  return TRUE;
}

static void
lock_keys (WaProfile *self)
{
  if (self->secret_key != NULL)
    wa_secure_bytes_wipe (self->secret_key);
  g_clear_pointer (&self->secret_key, wa_secure_bytes_unref);
  if (self->vault != NULL)
    wa_vault_forget_keys (self->vault);
  if (self->tenant_keys != NULL)
    wa_key_provider_forget (self->tenant_keys);
  g_clear_object (&self->tenant_keys);
  wa_keyring_wipe (self->keyring);
  g_clear_object (&self->keyring);
}

static void
lock_for (WaProfile  *self,
          const char *reason)
{
  g_autoptr(JsonObject) metadata = json_object_new ();
  g_autoptr(GError) error = NULL;

  g_clear_handle_id (&self->idle_source, g_source_remove);

  if (self->keyring == NULL)
    return;

  /* Locking always succeeds; a lock that cannot be recorded still locks. */
  json_object_set_string_member (metadata, "reason", reason);
  if (!audit (self, "auth.lock", "lock", WA_AUDIT_OUTCOME_SUCCESS, 0, metadata, &error))
    g_debug ("Could not record the lock: %s", error->message);
  else
    save_checkpoint (self);

  lock_keys (self);

  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOCKED]);
}

/**
 * wa_profile_lock:
 *
 * Records the lock in the audit log, keeps its newest checkpoint, and
 * wipes every private key of the profile from memory.
 */
void
wa_profile_lock (WaProfile *self)
{
  g_return_if_fail (WA_IS_PROFILE (self));

  lock_for (self, "user");
}

/**
 * wa_profile_change_password:
 *
 * Re-wraps the keyring under a new Account Unlock Key derived from
 * @new_password, a new salt and parameters no weaker than before.  No
 * record is re-encrypted: they are under keys the keyring holds.
 */
gboolean
wa_profile_change_password (WaProfile   *self,
                            const char  *old_password,
                            const char  *new_password,
                            GError     **error)
{
  g_autoptr(WaSecureBytes) secret_key = NULL;
  g_autoptr(WaSecureBytes) old_key = NULL;
  g_autoptr(WaSecureBytes) new_key = NULL;
  g_autoptr(WaSecureBytes) check = NULL;
  g_autoptr(WaSecureBytes) keyring_secret = NULL;
  g_autoptr(WaKdfParams) new_params = NULL;
  g_autoptr(GBytes) ad = NULL;
  g_autoptr(GBytes) old_keyring = NULL;
  g_autoptr(WaKdfParams) old_params = NULL;
  guint8 old_fingerprint[32];
  g_auto(AttemptLock) attempt_lock = -1;
  gint64 remaining;

  g_return_val_if_fail (WA_IS_PROFILE (self), FALSE);
  g_return_val_if_fail (old_password != NULL, FALSE);
  g_return_val_if_fail (new_password != NULL, FALSE);

  if (self->keyring == NULL)
    {
      g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_LOCKED,
                   "The profile is locked; unlock it before changing the password");
      return FALSE;
    }

  if (g_utf8_strlen (new_password, -1) < WA_PROFILE_MIN_PASSWORD_LENGTH)
    {
      g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_WEAK_PASSWORD,
                   "The new password is too short; use at least %d characters",
                   WA_PROFILE_MIN_PASSWORD_LENGTH);
      return FALSE;
    }

  /* The Secret Key given at unlock (or this device's copy), kept in
   * guarded memory while the profile is unlocked. */
  secret_key = wa_secure_bytes_ref (self->secret_key);

  /* Prove knowledge of the old password before replacing it.  A wrong one
   * counts as a failed unlock, or this would be a way to guess passwords
   * without back-off. */
  attempt_lock = attempt_lock_acquire (self);
  remaining = wa_profile_get_backoff_remaining (self);
  if (remaining > 0)
    {
      g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_BACKOFF,
                   "Too many failed attempts (%u); wait %" G_GINT64_FORMAT " s and try again",
                   self->failed_attempts, remaining);
      return FALSE;
    }
  old_key = wa_kdf_derive_unlock_key (self->kdf_params, old_password, secret_key, error);
  if (old_key == NULL)
    return FALSE;
  ad = keyring_ad (self);
  check = wa_crypto_aead_open_secure (wa_secure_bytes_get_data (old_key), self->sealed_keyring, ad, NULL);
  if (check == NULL)
    {
      record_failure (self, "auth.password_change", "wrong_password");
      g_set_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_WRONG_PASSWORD,
                   "The current password is wrong; the password was not changed");
      return FALSE;
    }

  new_params = wa_kdf_params_strengthen (self->kdf_params);
  new_key = wa_kdf_derive_unlock_key (new_params, new_password, secret_key, error);
  if (new_key == NULL)
    return FALSE;

  /* The attempt is recorded before the change is made, so no change goes
   * unrecorded; the outcome follows it. */
  if (!audit (self, "auth.password_change_begin", "change_password", WA_AUDIT_OUTCOME_SUCCESS, 10, NULL, error))
    {
      g_prefix_error (error, "The password was not changed, because the change could not be recorded: ");
      return FALSE;
    }

  keyring_secret = wa_keyring_export_secret (self->keyring);
  old_keyring = g_steal_pointer (&self->sealed_keyring);
  old_params = g_steal_pointer (&self->kdf_params);
  memcpy (old_fingerprint, self->secret_key_fingerprint, sizeof old_fingerprint);

  self->sealed_keyring = wa_crypto_aead_seal (wa_secure_bytes_get_data (new_key),
                                              wa_secure_bytes_get_data (keyring_secret),
                                              wa_secure_bytes_get_size (keyring_secret), ad);
  self->kdf_params = g_steal_pointer (&new_params);
  wa_secret_key_fingerprint (secret_key, self->kdf_params->salt, self->secret_key_fingerprint);

  if (!save_profile (self, error))
    {
      /* The file on disk is unchanged (atomic write): keep memory in step. */
      g_clear_pointer (&self->sealed_keyring, g_bytes_unref);
      g_clear_pointer (&self->kdf_params, wa_kdf_params_free);
      self->sealed_keyring = g_steal_pointer (&old_keyring);
      self->kdf_params = g_steal_pointer (&old_params);
      memcpy (self->secret_key_fingerprint, old_fingerprint, sizeof old_fingerprint);
      {
        /* Bring the integrity code back in step with the old contents. */
        g_autoptr(JsonNode) unused = profile_to_json (self);
      }
      audit_failure (self, "auth.password_change", "change_password", WA_AUDIT_OUTCOME_FAILURE, "save_failed");
      return FALSE;
    }

  /* The change is made; its begin entry stands for it if this one fails. */
  if (!audit (self, "auth.password_change", "change_password", WA_AUDIT_OUTCOME_SUCCESS, 10, NULL, error))
    {
      g_prefix_error (error, "The password was changed, but its completion could not be recorded: ");
      return FALSE;
    }

  return TRUE;
}

/* Accessors ------------------------------------------------------------------- */

gboolean
wa_profile_get_locked (WaProfile *self)
{
  g_return_val_if_fail (WA_IS_PROFILE (self), TRUE);

  return self->keyring == NULL;
}

const char *
wa_profile_get_directory (WaProfile *self)
{
  g_return_val_if_fail (WA_IS_PROFILE (self), NULL);

  return self->directory;
}

const char *
wa_profile_get_profile_id (WaProfile *self)
{
  g_return_val_if_fail (WA_IS_PROFILE (self), NULL);

  return self->profile_id;
}

const char *
wa_profile_get_user_id (WaProfile *self)
{
  g_return_val_if_fail (WA_IS_PROFILE (self), NULL);

  return self->user_id;
}

const char *
wa_profile_get_tenant_id (WaProfile *self)
{
  g_return_val_if_fail (WA_IS_PROFILE (self), NULL);

  return self->tenant_id;
}

const char *
wa_profile_get_device_id (WaProfile *self)
{
  g_return_val_if_fail (WA_IS_PROFILE (self), NULL);

  return self->device_id;
}

const guint8 *
wa_profile_get_sign_public_key (WaProfile *self)
{
  g_return_val_if_fail (WA_IS_PROFILE (self), NULL);

  return self->sign_public_key;
}

const WaKdfParams *
wa_profile_get_kdf_params (WaProfile *self)
{
  g_return_val_if_fail (WA_IS_PROFILE (self), NULL);

  return self->kdf_params;
}

gboolean
wa_profile_has_device_secret_key (WaProfile *self)
{
  g_return_val_if_fail (WA_IS_PROFILE (self), FALSE);

  return g_file_test (self->secret_key_path, G_FILE_TEST_IS_REGULAR);
}

WaVault *
wa_profile_get_vault (WaProfile *self)
{
  g_return_val_if_fail (WA_IS_PROFILE (self), NULL);

  return self->vault;
}

/**
 * wa_profile_get_audit_log:
 *
 * Returns: (transfer none): the audit log kept in the profile's vault
 */
WaAuditLog *
wa_profile_get_audit_log (WaProfile *self)
{
  g_return_val_if_fail (WA_IS_PROFILE (self), NULL);

  return self->audit_log;
}

/**
 * wa_profile_get_keyring:
 *
 * Returns: (transfer none) (nullable): the keyring, or %NULL when locked.
 */
WaKeyring *
wa_profile_get_keyring (WaProfile *self)
{
  g_return_val_if_fail (WA_IS_PROFILE (self), NULL);

  return self->keyring;
}

WaKeyProvider *
wa_profile_get_tenant_keys (WaProfile *self)
{
  g_return_val_if_fail (WA_IS_PROFILE (self), NULL);

  return self->tenant_keys;
}

guint
wa_profile_get_idle_timeout (WaProfile *self)
{
  g_return_val_if_fail (WA_IS_PROFILE (self), 0);

  return self->idle_timeout;
}

/**
 * wa_profile_set_idle_timeout:
 * @seconds: idle time after which the profile locks itself; 0 never
 *
 * The check runs on the thread-default main context.
 */
void
wa_profile_set_idle_timeout (WaProfile *self,
                             guint      seconds)
{
  g_return_if_fail (WA_IS_PROFILE (self));

  g_clear_handle_id (&self->idle_source, g_source_remove);

  if (self->idle_timeout != seconds)
    {
      self->idle_timeout = seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_IDLE_TIMEOUT]);
    }

  if (self->keyring != NULL && seconds > 0)
    {
      /* Check four times per period, so locking is late by a quarter at most. */
      guint interval = MAX (seconds * 1000 / 4, 50);
      g_autoptr(GSource) source = g_timeout_source_new (interval);

      g_source_set_callback (source, idle_check_cb, self, NULL);
      g_source_set_name (source, "[webagent] idle lock");
      self->idle_source = g_source_attach (source, g_main_context_get_thread_default ());
    }
}

/**
 * wa_profile_touch:
 *
 * Records user activity, which postpones the idle lock.
 */
void
wa_profile_touch (WaProfile *self)
{
  g_return_if_fail (WA_IS_PROFILE (self));

  self->last_activity = g_get_monotonic_time ();
}

/**
 * wa_profile_format_emergency_kit:
 *
 * Returns: (transfer full): the emergency kit text.  It holds the Secret
 *   Key, so it must be shown once and never logged.
 */
char *
wa_profile_format_emergency_kit (WaProfile  *self,
                                 const char *secret_key_text)
{
  g_autoptr(GDateTime) created = NULL;
  g_autofree char *created_text = NULL;

  g_return_val_if_fail (WA_IS_PROFILE (self), NULL);
  g_return_val_if_fail (secret_key_text != NULL, NULL);

  created = g_date_time_new_from_unix_utc (self->created_at / G_USEC_PER_SEC);
  created_text = g_date_time_format_iso8601 (created);

  return g_strdup_printf ("WebAgent emergency kit\n"
                          "======================\n"
                          "\n"
                          "Profile:     %s\n"
                          "User:        %s\n"
                          "Created:     %s\n"
                          "\n"
                          "Secret Key:  %s\n"
                          "\n"
                          "You need this Secret Key and your password to unlock the profile on a\n"
                          "new device or after restoring it from a backup.  WebAgent cannot recover\n"
                          "either.  Print this page or write the key down, keep it somewhere safe,\n"
                          "and do not store it next to your password.\n",
                          self->profile_id, self->user_id, created_text, secret_key_text);
}
