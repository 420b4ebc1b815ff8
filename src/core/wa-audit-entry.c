/* wa-audit-entry.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-audit"

#include "config.h"

#include <string.h>
#include <sodium.h>

#include "wa-audit-entry.h"
#include "wa-crypto.h"
#include "wa-json.h"
#include "wa-merkle.h"
#include "wa-sha256.h"

/*
 * An entry is the canonical JSON (see wa_json_canonicalize(): sorted keys,
 * no insignificant whitespace, UTF-8) of
 *
 *   {"body": BASE64, "header": {...}, "signature": BASE64, "v": 1}
 *
 * The signature is Ed25519 by the device key over SIGNING_PREFIX followed
 * by the canonical JSON of the same object without "signature".  The body
 * is XChaCha20-Poly1305 under the tenant audit key, bound by its associated
 * data to the tenant, the device and the index, so it cannot be moved to
 * another entry.
 */

#define SIGNING_PREFIX "webagent audit entry v1\n"
#define ACTOR_SALT_LABEL "webagent audit actor salt v1"

G_DEFINE_QUARK (wa_audit_error_quark, wa_audit_error)

static const char *header_strings[] = {
  "action", "actor", "device", "event_type", "outcome", "resource", "session", "tenant", "time",
};

const char *
wa_audit_outcome_to_string (WaAuditOutcome outcome)
{
  switch (outcome)
    {
    case WA_AUDIT_OUTCOME_SUCCESS :
      return "success";
    case WA_AUDIT_OUTCOME_FAILURE :
      return "failure";
    case WA_AUDIT_OUTCOME_DENIED :
      return "denied";
    default :
      g_return_val_if_reached ("failure");
    }
}

/**
 * wa_audit_format_time:
 * @time: microseconds since the epoch
 *
 * Returns: (transfer full): @time in RFC 3339, UTC, with microseconds.
 */
char *
wa_audit_format_time (gint64 time)
{
  g_autoptr(GDateTime) utc = NULL;
  g_autoptr(GDateTime) exact = NULL;

  if (time < 0 || time > WA_AUDIT_MAX_TIME)
    return NULL;

  utc = g_date_time_new_from_unix_utc (time / G_USEC_PER_SEC);
  exact = g_date_time_add (utc, time % G_USEC_PER_SEC);

  return g_date_time_format (exact, "%Y-%m-%dT%H:%M:%S.%fZ");
}

/**
 * wa_audit_device_id:
 *
 * Returns: (transfer full): the device id of an Ed25519 public key, as
 *   wa_keyring_dup_device_id() makes it.
 */
char *
wa_audit_device_id (const guint8 *device_public_key)
{
  guint8 hash[WA_SHA256_SIZE];

  wa_crypto_sha256 (device_public_key, WA_SIGN_PUBLIC_KEY_SIZE, hash);

  return wa_hex_encode (hash, 16);
}

/**
 * wa_audit_actor_commitment:
 * @salt: 32 bytes
 *
 * The pseudonymous actor id of a header: SHA-256 of the salt and the user
 * id, in hex.  The same user has the same id in every entry, so entries
 * can be correlated; only someone who knows the salt can tell who it is,
 * and erasing the salt leaves a commitment no one can open.
 */
char *
wa_audit_actor_commitment (const guint8 *salt,
                           const char   *user_id)
{
  crypto_hash_sha256_state state;
  guint8 hash[crypto_hash_sha256_BYTES];

  crypto_hash_sha256_init (&state);
  crypto_hash_sha256_update (&state, (const guint8 *) "webagent actor v1\n", 18);
  crypto_hash_sha256_update (&state, salt, 32);
  crypto_hash_sha256_update (&state, (const guint8 *) user_id, strlen (user_id));
  crypto_hash_sha256_final (&state, hash);

  return wa_hex_encode (hash, 16);
}

static GBytes *
body_ad (const char *tenant,
         const char *device,
         guint64     index)
{
  g_autofree char *record_id = g_strdup_printf ("%s/%" G_GUINT64_FORMAT, device, index);
  WaAeadContext context = {
    .record_id = record_id,
    .tenant_id = tenant,
    .record_type = "audit-entry",
    .format_version = WA_AUDIT_ENTRY_VERSION,
    .purpose = "body",
  };

  return wa_aead_context_encode (&context);
}

static JsonObject *
entry_object (const WaAuditEntry *self,
              gboolean            with_signature)
{
  JsonObject *object = json_object_new ();
  JsonObject *header = json_object_new ();
  g_autofree char *body = wa_base64_encode (g_bytes_get_data (self->body, NULL), g_bytes_get_size (self->body));

  json_object_set_string_member (header, "action", self->action);
  json_object_set_string_member (header, "actor", self->actor);
  json_object_set_string_member (header, "device", self->device);
  json_object_set_string_member (header, "event_type", self->event_type);
  json_object_set_int_member (header, "index", self->index);
  json_object_set_string_member (header, "outcome", self->outcome);
  json_object_set_string_member (header, "resource", self->resource);
  json_object_set_int_member (header, "risk_score", self->risk_score);
  json_object_set_string_member (header, "session", self->session);
  json_object_set_string_member (header, "tenant", self->tenant);
  json_object_set_string_member (header, "time", self->time);

  json_object_set_string_member (object, "body", body);
  json_object_set_object_member (object, "header", header);
  if (with_signature)
    {
      g_autofree char *signature = wa_base64_encode (self->signature, sizeof self->signature);

      json_object_set_string_member (object, "signature", signature);
    }
  json_object_set_int_member (object, "v", WA_AUDIT_ENTRY_VERSION);

  return object;
}

static char *
canonical_text (const WaAuditEntry *self,
                gboolean            with_signature)
{
  g_autoptr(JsonNode) node = json_node_new (JSON_NODE_OBJECT);

  json_node_take_object (node, entry_object (self, with_signature));

  return wa_json_canonicalize (node);
}

static GString *
signing_input (const WaAuditEntry *self)
{
  g_autofree char *unsigned_text = canonical_text (self, FALSE);
  GString *input = g_string_new (SIGNING_PREFIX);

  g_string_append (input, unsigned_text);

  return input;
}

/**
 * wa_audit_entry_new_signed:
 * @audit_key: the tenant audit key, 32 bytes
 *
 * Builds an entry: the header in the clear, the body (IP address, user
 * agent, metadata, and what opens the actor commitment) encrypted, the
 * whole signed by @keyring's device key.
 */
WaAuditEntry *
wa_audit_entry_new_signed (const WaAuditEntryFields *fields,
                           WaKeyring                *keyring,
                           const guint8             *audit_key,
                           GError                  **error)
{
  g_autoptr(WaAuditEntry) self = g_new0 (WaAuditEntry, 1);
  g_autoptr(JsonNode) body_node = json_node_new (JSON_NODE_OBJECT);
  g_autoptr(GString) input = NULL;
  g_autoptr(GBytes) ad = NULL;
  g_autofree char *body_text = NULL;
  g_autofree char *salt_text = NULL;
  JsonObject *body = json_object_new ();
  guint8 salt[32];

  g_return_val_if_fail (fields != NULL, NULL);
  g_return_val_if_fail (WA_IS_KEYRING (keyring), NULL);
  g_return_val_if_fail (audit_key != NULL, NULL);

  if (fields->event_type == NULL || *fields->event_type == '\0' ||
      fields->tenant == NULL || fields->user_id == NULL ||
      fields->risk_score < 0 || fields->risk_score > 100 ||
      fields->time < 0 || fields->time > WA_AUDIT_MAX_TIME)
    {
      json_node_take_object (body_node, body);
      g_set_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_INVALID_ARGUMENT,
                   "An audit event needs an event type, a tenant, a user, a risk score from 0 to 100 and a time "
                   "between 1970 and 9999");
      return NULL;
    }

  /* The salt comes from the user's own vault key: stable for the user,
   * and erased along with the user's keys. */
  {
    /* Per tenant too, so one user is not the same actor in every
     * tenant's log. */
    g_autofree char *label = g_strconcat (ACTOR_SALT_LABEL "\n", fields->tenant, NULL);

    wa_crypto_hmac_sha256 (wa_keyring_get_vault_key (keyring), WA_SUBKEY_SIZE,
                           (const guint8 *) label, strlen (label), salt);
  }

  self->index = fields->index;
  self->time = wa_audit_format_time (fields->time);
  self->tenant = g_strdup (fields->tenant);
  self->actor = wa_audit_actor_commitment (salt, fields->user_id);
  self->device = wa_keyring_dup_device_id (keyring);
  self->event_type = g_strdup (fields->event_type);
  self->resource = g_strdup (fields->resource != NULL ? fields->resource : "");
  self->action = g_strdup (fields->action != NULL ? fields->action : "");
  self->outcome = g_strdup (wa_audit_outcome_to_string (fields->outcome));
  self->risk_score = fields->risk_score;
  self->session = g_strdup (fields->session != NULL ? fields->session : "");

  salt_text = wa_base64_encode (salt, sizeof salt);
  sodium_memzero (salt, sizeof salt);
  json_object_set_string_member (body, "actor_salt", salt_text);
  json_object_set_string_member (body, "user_id", fields->user_id);
  json_object_set_string_member (body, "ip", fields->ip != NULL ? fields->ip : "");
  json_object_set_string_member (body, "user_agent", fields->user_agent != NULL ? fields->user_agent : "");
  if (fields->metadata != NULL)
    json_object_set_object_member (body, "metadata", json_object_ref (fields->metadata));
  else
    json_object_set_object_member (body, "metadata", json_object_new ());
  json_node_take_object (body_node, body);
  body_text = wa_json_canonicalize (body_node);

  ad = body_ad (self->tenant, self->device, self->index);
  self->body = wa_crypto_aead_seal (audit_key, (const guint8 *) body_text, strlen (body_text), ad);
  sodium_memzero (body_text, strlen (body_text));

  input = signing_input (self);
  wa_keyring_sign (keyring, (const guint8 *) input->str, input->len, self->signature);
  self->text = canonical_text (self, TRUE);

  return g_steal_pointer (&self);
}

static gpointer
malformed (GError    **error,
           const char *what)
{
  g_set_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_MALFORMED,
               "The audit entry is malformed (%s); the log was changed outside WebAgent", what);
  return NULL;
}

static gboolean
read_int (JsonObject *object,
          const char *name,
          gint64      min,
          gint64      max,
          gint64     *out)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_INT64)
    return FALSE;
  *out = json_node_get_int (node);

  return *out >= min && *out <= max;
}

static const char *
read_string (JsonObject *object,
             const char *name)
{
  JsonNode *node = json_object_get_member (object, name);

  if (node == NULL || !JSON_NODE_HOLDS_VALUE (node) || json_node_get_value_type (node) != G_TYPE_STRING)
    return NULL;

  return json_node_get_string (node);
}

/**
 * wa_audit_entry_parse:
 *
 * Parses an entry strictly: every field present with its type, nothing
 * else, and @text byte for byte in canonical form, so that one entry has
 * exactly one encoding and one leaf hash.  The signature is not checked
 * here; see wa_audit_entry_verify_signature().
 */
WaAuditEntry *
wa_audit_entry_parse (const char  *text,
                      GError     **error)
{
  g_autoptr(WaAuditEntry) self = g_new0 (WaAuditEntry, 1);
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(GError) local_error = NULL;
  g_autofree guint8 *body = NULL;
  g_autofree guint8 *signature = NULL;
  g_autofree char *canonical = NULL;
  JsonObject *object;
  JsonObject *header;
  JsonNode *header_node;
  const char *value;
  gsize len;
  gint64 number;

  g_return_val_if_fail (text != NULL, NULL);

  node = wa_json_parse_object (text, -1, &local_error);
  if (node == NULL)
    return malformed (error, "not a JSON object");

  object = json_node_get_object (node);
  header_node = json_object_get_member (object, "header");
  if (json_object_get_size (object) != 4 || header_node == NULL || !JSON_NODE_HOLDS_OBJECT (header_node))
    return malformed (error, "wrong members");
  if (!read_int (object, "v", WA_AUDIT_ENTRY_VERSION, WA_AUDIT_ENTRY_VERSION, &number))
    return malformed (error, "unknown version");

  header = json_node_get_object (header_node);
  if (json_object_get_size (header) != G_N_ELEMENTS (header_strings) + 2)
    return malformed (error, "wrong header members");
  for (guint i = 0; i < G_N_ELEMENTS (header_strings); i++)
    if (read_string (header, header_strings[i]) == NULL)
      return malformed (error, header_strings[i]);
  if (!read_int (header, "index", 0, G_MAXINT64, &number))
    return malformed (error, "index");
  self->index = number;
  if (!read_int (header, "risk_score", 0, 100, &number))
    return malformed (error, "risk score");
  self->risk_score = number;

  self->action = g_strdup (read_string (header, "action"));
  self->actor = g_strdup (read_string (header, "actor"));
  self->device = g_strdup (read_string (header, "device"));
  self->event_type = g_strdup (read_string (header, "event_type"));
  self->outcome = g_strdup (read_string (header, "outcome"));
  self->resource = g_strdup (read_string (header, "resource"));
  self->session = g_strdup (read_string (header, "session"));
  self->tenant = g_strdup (read_string (header, "tenant"));
  self->time = g_strdup (read_string (header, "time"));

  if (g_strcmp0 (self->outcome, "success") != 0 && g_strcmp0 (self->outcome, "failure") != 0 &&
      g_strcmp0 (self->outcome, "denied") != 0)
    return malformed (error, "outcome");

  value = read_string (object, "body");
  if (value == NULL || (body = wa_base64_decode (value, &len, NULL)) == NULL)
    return malformed (error, "body");
  self->body = g_bytes_new_take (g_steal_pointer (&body), len);

  value = read_string (object, "signature");
  if (value == NULL || (signature = wa_base64_decode (value, &len, NULL)) == NULL ||
      len != WA_AUDIT_SIGNATURE_SIZE)
    return malformed (error, "signature");
  memcpy (self->signature, signature, WA_AUDIT_SIGNATURE_SIZE);

  canonical = canonical_text (self, TRUE);
  if (strcmp (canonical, text) != 0)
    return malformed (error, "not in canonical form");
  self->text = g_steal_pointer (&canonical);

  return g_steal_pointer (&self);
}

gboolean
wa_audit_entry_verify_signature (const WaAuditEntry  *self,
                                 const guint8        *device_public_key,
                                 GError             **error)
{
  g_autoptr(GString) input = NULL;
  g_autofree char *device = NULL;

  g_return_val_if_fail (self != NULL, FALSE);
  g_return_val_if_fail (device_public_key != NULL, FALSE);

  device = wa_audit_device_id (device_public_key);
  if (strcmp (device, self->device) != 0)
    {
      g_set_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_BAD_SIGNATURE,
                   "The entry names device %s, not this device (%s)", self->device, device);
      return FALSE;
    }

  input = signing_input (self);
  if (!wa_crypto_sign_verify_detached (device_public_key, (const guint8 *) input->str, input->len,
                                       self->signature))
    {
      g_set_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_BAD_SIGNATURE,
                   "The signature of the entry does not match its contents");
      return FALSE;
    }

  return TRUE;
}

void
wa_audit_entry_leaf_hash (const WaAuditEntry *self,
                          guint8             *out)
{
  g_return_if_fail (self != NULL && self->text != NULL);

  wa_merkle_leaf_hash ((const guint8 *) self->text, strlen (self->text), out);
}

/**
 * wa_audit_entry_open_body:
 *
 * Returns: (transfer full): the decrypted body, or %NULL if @audit_key is
 *   not the key it was encrypted with, or it was changed.
 */
JsonObject *
wa_audit_entry_open_body (const WaAuditEntry  *self,
                          const guint8        *audit_key,
                          GError             **error)
{
  g_autoptr(GBytes) ad = body_ad (self->tenant, self->device, self->index);
  g_autoptr(GBytes) plain = NULL;
  g_autoptr(JsonNode) node = NULL;

  plain = wa_crypto_aead_open (audit_key, self->body, ad, NULL);
  if (plain == NULL)
    {
      g_set_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_CANNOT_DECRYPT,
                   "The body of entry %" G_GUINT64_FORMAT " cannot be decrypted with this tenant's audit key",
                   self->index);
      return NULL;
    }

  node = wa_json_parse_object (g_bytes_get_data (plain, NULL), g_bytes_get_size (plain), error);
  if (node == NULL)
    return NULL;

  return json_object_ref (json_node_get_object (node));
}

/**
 * wa_audit_entry_to_event:
 * @body: (nullable): the decrypted body, if the caller could open it
 *
 * Returns: (transfer full): the entry as one flat event, the form the SIEM
 *   formats take: the header fields, plus the body's IP address, user agent
 *   and metadata when @body is given.  The actor salt and user id stay out.
 */
JsonObject *
wa_audit_entry_to_event (const WaAuditEntry *self,
                         JsonObject         *body)
{
  JsonObject *event = json_object_new ();

  json_object_set_int_member (event, "index", self->index);
  json_object_set_string_member (event, "time", self->time);
  json_object_set_string_member (event, "tenant", self->tenant);
  json_object_set_string_member (event, "actor", self->actor);
  json_object_set_string_member (event, "device", self->device);
  json_object_set_string_member (event, "event_type", self->event_type);
  json_object_set_string_member (event, "resource", self->resource);
  json_object_set_string_member (event, "action", self->action);
  json_object_set_string_member (event, "outcome", self->outcome);
  json_object_set_int_member (event, "risk_score", self->risk_score);
  json_object_set_string_member (event, "session", self->session);

  if (body != NULL)
    {
      const char *ip = read_string (body, "ip");
      const char *user_agent = read_string (body, "user_agent");
      JsonNode *metadata = json_object_get_member (body, "metadata");

      if (ip != NULL && *ip != '\0')
        json_object_set_string_member (event, "ip", ip);
      if (user_agent != NULL && *user_agent != '\0')
        json_object_set_string_member (event, "user_agent", user_agent);
      if (metadata != NULL && JSON_NODE_HOLDS_OBJECT (metadata))
        json_object_set_member (event, "metadata", json_node_copy (metadata));
    }

  return event;
}

void
wa_audit_entry_free (WaAuditEntry *self)
{
  if (self == NULL)
    return;

  g_free (self->time);
  g_free (self->tenant);
  g_free (self->actor);
  g_free (self->device);
  g_free (self->event_type);
  g_free (self->resource);
  g_free (self->action);
  g_free (self->outcome);
  g_free (self->session);
  g_clear_pointer (&self->body, g_bytes_unref);
  g_free (self->text);
  g_free (self);
}
