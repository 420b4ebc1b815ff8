/* test-note.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Tests for signed notes and checkpoints (wa-note.c).  The known-answer
 * tests use notes, keys and checkpoints published by the Go checksum
 * database, golang.org/x/mod, transparency-dev and C2SP, so a note this code
 * signs opens elsewhere and the reverse; tests/data/README.md says where each
 * file comes from.  Every rejection is checked for its error code, since a
 * caller tells a forged note from a damaged one by it. */

#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "wa-crypto.h"
#include "wa-note.h"
#include "wa-secure-bytes.h"

#define EM_DASH "\xe2\x80\x94"

/* Helpers */

static JsonParser *
load_vectors (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "note", name, NULL);
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return g_steal_pointer (&parser);
}

static JsonObject *
root_object (JsonParser *parser)
{
  return json_node_get_object (json_parser_get_root (parser));
}

static WaNoteError
error_code_from_name (const char *name)
{
  if (g_strcmp0 (name, "malformed") == 0)
    return WA_NOTE_ERROR_MALFORMED;
  if (g_strcmp0 (name, "unknown-key") == 0)
    return WA_NOTE_ERROR_UNKNOWN_KEY;
  if (g_strcmp0 (name, "bad-signature") == 0)
    return WA_NOTE_ERROR_BAD_SIGNATURE;

  g_error ("Unknown expected result “%s”", name);
}

static void
parse_verifier_key (const char *vkey,
                    char      **name,
                    guint8     *public_key)
{
  g_autoptr(GError) error = NULL;

  g_assert_true (wa_note_verifier_key_parse (vkey, name, public_key, &error));
  g_assert_no_error (error);
}

/* Signer keys have the form PRIVATE+KEY+<name>+<hash>+<base64 (0x01 || seed)>. */
static void
seed_from_signer_key (const char *skey,
                      guint8     *seed)
{
  g_auto(GStrv) parts = g_strsplit (skey, "+", 5);
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *key = NULL;
  gsize key_len = 0;

  g_assert_cmpuint (g_strv_length (parts), ==, 5);
  g_assert_cmpstr (parts[0], ==, "PRIVATE");
  g_assert_cmpstr (parts[1], ==, "KEY");

  key = wa_base64_decode (parts[4], &key_len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (key_len, ==, 1 + WA_SIGN_SEED_SIZE);
  g_assert_cmpuint (key[0], ==, 0x01);
  memcpy (seed, key + 1, WA_SIGN_SEED_SIZE);
}

static gboolean
sign_with_secret_key_cb (const guint8  *message,
                         gsize          message_len,
                         guint8         signature[WA_NOTE_SIGNATURE_SIZE],
                         gpointer       user_data,
                         GError       **error)
{
  WaSecureBytes *secret_key = user_data;

  wa_crypto_sign_detached (wa_secure_bytes_get_data (secret_key), message, message_len, signature);

  return TRUE;
}

static gboolean
sign_fails_cb (const guint8  *message,
               gsize          message_len,
               guint8         signature[WA_NOTE_SIGNATURE_SIZE],
               gpointer       user_data,
               GError       **error)
{
  g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED, "The token is locked");

  return FALSE;
}

static gboolean
sign_fails_silently_cb (const guint8  *message,
                        gsize          message_len,
                        guint8         signature[WA_NOTE_SIGNATURE_SIZE],
                        gpointer       user_data,
                        GError       **error)
{
  return FALSE;
}

/* A key pair from a fixed seed, so failures reproduce. */
typedef struct
{
  WaSecureBytes *secret_key;
  guint8         public_key[WA_NOTE_PUBLIC_KEY_SIZE];
} KeyPair;

static void
key_pair_init (KeyPair *pair,
               guint8   seed_byte)
{
  guint8 seed[WA_SIGN_SEED_SIZE];

  memset (seed, seed_byte, sizeof seed);
  pair->secret_key = wa_crypto_sign_keypair_from_seed (seed, pair->public_key);
}

static void
key_pair_clear (KeyPair *pair)
{
  g_clear_pointer (&pair->secret_key, wa_secure_bytes_unref);
}

static char *
sign_or_die (const char *text,
             const char *key_name,
             KeyPair    *pair)
{
  g_autoptr(GError) error = NULL;
  char *note;

  note = wa_note_sign (text, key_name, pair->public_key, sign_with_secret_key_cb, pair->secret_key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (note);

  return note;
}

static void
assert_opens (const char   *note,
              const char   *key_name,
              const guint8 *public_key,
              const char   *expected_text)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = wa_note_open (note, key_name, public_key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (text, ==, expected_text);
}

static void
assert_open_fails (const char   *note,
                   const char   *key_name,
                   const guint8 *public_key,
                   WaNoteError   code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  text = wa_note_open (note, key_name, public_key, &error);
  g_assert_error (error, WA_NOTE_ERROR, code);
  g_assert_null (text);
}

static void
assert_checkpoint_fails (const char *text)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaCheckpoint) checkpoint = NULL;

  checkpoint = wa_checkpoint_parse (text, &error);
  if (error == NULL)
    g_test_fail_printf ("checkpoint accepted: %s", text);
  g_assert_error (error, WA_NOTE_ERROR, WA_NOTE_ERROR_MALFORMED);
  g_assert_null (checkpoint);
}

static WaCheckpoint *
parse_checkpoint_or_die (const char *text)
{
  g_autoptr(GError) error = NULL;
  WaCheckpoint *checkpoint;

  checkpoint = wa_checkpoint_parse (text, &error);
  g_assert_no_error (error);
  g_assert_nonnull (checkpoint);

  return checkpoint;
}

static void
assert_base64_equals (const guint8 *data,
                      gsize         len,
                      const char   *expected)
{
  g_autofree char *encoded = wa_base64_encode (data, len);

  g_assert_cmpstr (encoded, ==, expected);
}

/* The text of a signed note: everything up to the last blank line. */
static char *
note_text_of (const char *note)
{
  const char *split = g_strrstr (note, "\n\n");

  g_assert_nonnull (split);

  return g_strndup (note, split - note + 1);
}

/* golang.org/x/mod sumdb/note */

static void
test_vectors_go_verifier_keys (void)
{
  g_autoptr(JsonParser) parser = load_vectors ("golang-mod-sumdb-note.json");
  JsonObject *keys = json_object_get_object_member (root_object (parser), "keys");
  g_autoptr(GList) names = json_object_get_members (keys);

  g_assert_cmpuint (g_list_length (names), ==, 2);

  for (GList *l = names; l != NULL; l = l->next)
    {
      JsonObject *key = json_object_get_object_member (keys, l->data);
      const char *vkey = json_object_get_string_member (key, "verifierKey");
      guint8 public_key[WA_NOTE_PUBLIC_KEY_SIZE];
      g_autofree char *name = NULL;
      g_autofree char *formatted = NULL;

      parse_verifier_key (vkey, &name, public_key);
      g_assert_cmpstr (name, ==, l->data);

      /* The key hash in the text form is recomputed from the name and key. */
      formatted = wa_note_verifier_key_format (name, public_key);
      g_assert_cmpstr (formatted, ==, vkey);
    }
}

/* The expected code for a mangled verifier key: the name is checked first,
 * once the key has the shape name+hash+key. */
static WaNoteError
expected_verifier_key_error (const char *vkey)
{
  const char *first_plus = strchr (vkey, '+');

  if (first_plus != NULL && strchr (first_plus + 1, '+') != NULL && first_plus == vkey)
    return WA_NOTE_ERROR_INVALID_NAME;

  return WA_NOTE_ERROR_INVALID_KEY;
}

static void
assert_verifier_key_fails (const char *vkey,
                           WaNoteError code)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  guint8 public_key[WA_NOTE_PUBLIC_KEY_SIZE];

  g_assert_false (wa_note_verifier_key_parse (vkey, &name, public_key, &error));
  if (error == NULL || error->code != (int) code)
    g_test_fail_printf ("verifier key “%s”: expected code %d", vkey, code);
  g_assert_error (error, WA_NOTE_ERROR, code);
  g_assert_null (name);
}

/* As upstream's TestNewVerifier: every proper substring of a verifier key,
 * and the key with any one byte incremented, is refused. */
static void
test_vectors_go_verifier_key_manglings (void)
{
  g_autoptr(JsonParser) parser = load_vectors ("golang-mod-sumdb-note.json");
  JsonObject *root = root_object (parser);
  JsonObject *keys = json_object_get_object_member (root, "keys");
  JsonArray *bad_keys = json_object_get_array_member (root, "badVerifierKeys");
  const char *vkey = json_object_get_string_member (json_object_get_object_member (keys, "PeterNeumann"),
                                                    "verifierKey");
  gsize len = strlen (vkey);
  g_autofree char *mangled = g_strdup (vkey);
  guint n_checked = 0;

  for (gsize i = 0; i <= len; i++)
    {
      for (gsize j = i + 1; j <= len; j++)
        {
          g_autofree char *part = NULL;

          if (i == 0 && j == len)
            continue;

          part = g_strndup (vkey + i, j - i);
          assert_verifier_key_fails (part, expected_verifier_key_error (part));
          n_checked++;
        }
    }

  for (gsize i = 0; i < len; i++)
    {
      mangled[i]++;
      assert_verifier_key_fails (mangled, expected_verifier_key_error (mangled));
      mangled[i]--;
      n_checked++;
    }

  for (guint i = 0; i < json_array_get_length (bad_keys); i++)
    {
      JsonObject *bad = json_array_get_object_element (bad_keys, i);

      assert_verifier_key_fails (json_object_get_string_member (bad, "verifierKey"),
                                 WA_NOTE_ERROR_INVALID_KEY);
      n_checked++;
    }

  g_test_message ("%u mangled verifier keys refused", n_checked);
  g_assert_cmpuint (n_checked, ==, len * (len + 1) / 2 - 1 + len + 2);
}

/* Ed25519 is deterministic, so signing upstream's text with upstream's key
 * must give upstream's note byte for byte. */
static void
test_vectors_go_sign (void)
{
  g_autoptr(JsonParser) parser = load_vectors ("golang-mod-sumdb-note.json");
  JsonObject *root = root_object (parser);
  JsonObject *peter = json_object_get_object_member (json_object_get_object_member (root, "keys"),
                                                     "PeterNeumann");
  g_autoptr(WaSecureBytes) secret_key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *name = NULL;
  g_autofree char *note = NULL;
  guint8 seed[WA_SIGN_SEED_SIZE];
  guint8 public_key[WA_NOTE_PUBLIC_KEY_SIZE];
  guint8 expected_public_key[WA_NOTE_PUBLIC_KEY_SIZE];

  parse_verifier_key (json_object_get_string_member (peter, "verifierKey"), &name, expected_public_key);
  seed_from_signer_key (json_object_get_string_member (peter, "signerKey"), seed);
  secret_key = wa_crypto_sign_keypair_from_seed (seed, public_key);
  g_assert_cmpmem (public_key, sizeof public_key, expected_public_key, sizeof expected_public_key);

  note = wa_note_sign (json_object_get_string_member (root, "text"), name, public_key,
                       sign_with_secret_key_cb, secret_key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (note, ==, json_object_get_string_member (root, "signed"));
}

static void
test_vectors_go_open (void)
{
  g_autoptr(JsonParser) parser = load_vectors ("golang-mod-sumdb-note.json");
  JsonObject *root = root_object (parser);
  JsonObject *keys = json_object_get_object_member (root, "keys");
  JsonArray *cases = json_object_get_array_member (root, "cases");
  const char *text = json_object_get_string_member (root, "text");
  guint n_valid = 0;
  guint n_rejected = 0;

  for (guint i = 0; i < json_array_get_length (cases); i++)
    {
      JsonObject *test_case = json_array_get_object_element (cases, i);
      const char *key = json_object_get_string_member (test_case, "key");
      const char *note = json_object_get_string_member (test_case, "note");
      const char *result = json_object_get_string_member (test_case, "result");
      guint8 public_key[WA_NOTE_PUBLIC_KEY_SIZE];
      g_autofree char *name = NULL;

      g_test_message ("case %u: %s", i, json_object_get_string_member (test_case, "description"));
      parse_verifier_key (json_object_get_string_member (json_object_get_object_member (keys, key),
                                                         "verifierKey"),
                          &name, public_key);

      if (g_strcmp0 (result, "valid") == 0)
        {
          assert_opens (note, name, public_key, text);
          n_valid++;
        }
      else
        {
          assert_open_fails (note, name, public_key, error_code_from_name (result));
          n_rejected++;
        }
    }

  g_assert_cmpuint (n_valid, ==, 4);
  g_assert_cmpuint (n_rejected, ==, 12);
}

/* Upstream's badMsgs also has a note that starts with the byte 0xFF, which
 * a JSON string cannot hold. */
static void
test_vectors_go_invalid_utf8 (void)
{
  g_autoptr(JsonParser) parser = load_vectors ("golang-mod-sumdb-note.json");
  JsonObject *root = root_object (parser);
  const char *signed_note = json_object_get_string_member (root, "signed");
  g_autofree char *note = g_strconcat ("\xff", signed_note, NULL);
  guint8 public_key[WA_NOTE_PUBLIC_KEY_SIZE];
  g_autofree char *name = NULL;

  parse_verifier_key (json_object_get_string_member (json_object_get_object_member (json_object_get_object_member (root, "keys"),
                                                                                    "PeterNeumann"),
                                                     "verifierKey"),
                      &name, public_key);
  assert_opens (signed_note, name, public_key, json_object_get_string_member (root, "text"));
  assert_open_fails (note, name, public_key, WA_NOTE_ERROR_MALFORMED);
}

/* transparency-dev/formats: the Go checksum database's checkpoint */

static void
test_vectors_sumdb_checkpoint (void)
{
  g_autoptr(JsonParser) parser = load_vectors ("transparency-dev-formats.json");
  JsonObject *sumdb = json_object_get_object_member (root_object (parser), "sumdb");
  JsonArray *cosigners = json_object_get_array_member (sumdb, "cosigners");
  JsonArray *unknown = json_object_get_array_member (sumdb, "unknownSignatureLines");
  const char *note = json_object_get_string_member (sumdb, "note");
  g_autoptr(WaCheckpoint) checkpoint = NULL;
  g_autoptr(GString) cosigned = g_string_new (note);
  g_autofree char *name = NULL;
  g_autofree char *text = NULL;
  g_autofree char *formatted = NULL;
  g_autoptr(GError) error = NULL;
  guint8 public_key[WA_NOTE_PUBLIC_KEY_SIZE];

  parse_verifier_key (json_object_get_string_member (sumdb, "verifierKey"), &name, public_key);
  g_assert_cmpstr (name, ==, "sum.golang.org");

  text = wa_note_open (note, name, public_key, &error);
  g_assert_no_error (error);

  checkpoint = parse_checkpoint_or_die (text);
  g_assert_cmpstr (checkpoint->origin, ==, json_object_get_string_member (sumdb, "origin"));
  g_assert_cmpuint (checkpoint->size, ==, json_object_get_int_member (sumdb, "size"));
  assert_base64_equals (checkpoint->root, sizeof checkpoint->root,
                        json_object_get_string_member (sumdb, "root"));
  g_assert_null (checkpoint->extensions);

  formatted = wa_checkpoint_format (checkpoint);
  g_assert_cmpstr (formatted, ==, text);

  /* With witness cosignatures and signatures by unknown keys added, the
   * note opens with the log's key and with each witness's. */
  for (guint i = 0; i < json_array_get_length (cosigners); i++)
    g_string_append_printf (cosigned, "%s\n",
                            json_object_get_string_member (json_array_get_object_element (cosigners, i),
                                                           "signatureLine"));
  for (guint i = 0; i < json_array_get_length (unknown); i++)
    g_string_append_printf (cosigned, "%s\n", json_array_get_string_element (unknown, i));

  assert_opens (cosigned->str, name, public_key, text);

  for (guint i = 0; i < json_array_get_length (cosigners); i++)
    {
      JsonObject *cosigner = json_array_get_object_element (cosigners, i);
      guint8 witness_key[WA_NOTE_PUBLIC_KEY_SIZE];
      g_autofree char *witness_name = NULL;

      parse_verifier_key (json_object_get_string_member (cosigner, "verifierKey"), &witness_name, witness_key);
      g_assert_cmpstr (witness_name, ==, json_object_get_string_member (cosigner, "name"));
      assert_opens (cosigned->str, witness_name, witness_key, text);

      /* The log's own note carries no signature by the witness. */
      assert_open_fails (note, witness_name, witness_key, WA_NOTE_ERROR_UNKNOWN_KEY);
    }

  g_assert_cmpuint (json_array_get_length (cosigners), ==, 3);
}

/* Each of upstream's test key pairs: the seed gives the public key, and the
 * verifier key, with its key hash, is formatted byte for byte. */
static void
test_vectors_formats_key_pairs (void)
{
  g_autoptr(JsonParser) parser = load_vectors ("transparency-dev-formats.json");
  JsonArray *pairs = json_object_get_array_member (root_object (parser), "keyPairs");

  for (guint i = 0; i < json_array_get_length (pairs); i++)
    {
      JsonObject *pair = json_array_get_object_element (pairs, i);
      const char *vkey = json_object_get_string_member (pair, "verifierKey");
      g_autoptr(WaSecureBytes) secret_key = NULL;
      g_autofree char *name = NULL;
      g_autofree char *formatted = NULL;
      guint8 seed[WA_SIGN_SEED_SIZE];
      guint8 public_key[WA_NOTE_PUBLIC_KEY_SIZE];
      guint8 derived_key[WA_NOTE_PUBLIC_KEY_SIZE];

      parse_verifier_key (vkey, &name, public_key);
      seed_from_signer_key (json_object_get_string_member (pair, "signerKey"), seed);
      secret_key = wa_crypto_sign_keypair_from_seed (seed, derived_key);
      g_assert_cmpmem (derived_key, sizeof derived_key, public_key, sizeof public_key);

      formatted = wa_note_verifier_key_format (name, derived_key);
      g_assert_cmpstr (formatted, ==, vkey);
    }

  g_assert_cmpuint (json_array_get_length (pairs), ==, 4);
}

/* Upstream's parser accepts any root hash length and empty lines after the
 * root; c2sp.org/tlog-checkpoint does not, and neither does this one. */
static void
test_vectors_formats_checkpoint_bodies (void)
{
  g_autoptr(JsonParser) parser = load_vectors ("transparency-dev-formats.json");
  JsonArray *bodies = json_object_get_array_member (root_object (parser), "checkpointBodies");

  for (guint i = 0; i < json_array_get_length (bodies); i++)
    {
      JsonObject *body = json_array_get_object_element (bodies, i);

      g_test_message ("%s", json_object_get_string_member (body, "description"));
      g_assert_cmpstr (json_object_get_string_member (body, "result"), ==, "malformed");
      assert_checkpoint_fails (json_object_get_string_member (body, "text"));
    }

  g_assert_cmpuint (json_array_get_length (bodies), ==, 12);
}

/* golang.org/x/mod sumdb/tlog */

static void
test_vectors_tlog_tree (void)
{
  g_autoptr(JsonParser) parser = load_vectors ("golang-mod-sumdb-tlog.json");
  JsonObject *root = root_object (parser);
  JsonObject *tree = json_object_get_object_member (root, "tree");
  JsonArray *bad = json_object_get_array_member (root, "bad");
  JsonArray *junk = json_object_get_array_member (root, "junk");
  const char *text = json_object_get_string_member (tree, "text");
  const char *record = json_object_get_string_member (tree, "rootRecord");
  g_autoptr(WaCheckpoint) checkpoint = NULL;
  g_autofree char *formatted = NULL;
  g_autofree guint8 *leaf = NULL;
  guint8 expected_root[WA_CHECKPOINT_ROOT_SIZE];

  /* RFC 6962 leaf hash: SHA-256 (0x00 || record). */
  leaf = g_malloc (1 + strlen (record));
  leaf[0] = 0x00;
  memcpy (leaf + 1, record, strlen (record));
  wa_crypto_sha256 (leaf, 1 + strlen (record), expected_root);

  checkpoint = parse_checkpoint_or_die (text);
  g_assert_cmpstr (checkpoint->origin, ==, json_object_get_string_member (tree, "origin"));
  g_assert_cmpuint (checkpoint->size, ==, json_object_get_int_member (tree, "size"));
  g_assert_cmpmem (checkpoint->root, sizeof checkpoint->root, expected_root, sizeof expected_root);

  formatted = wa_checkpoint_format (checkpoint);
  g_assert_cmpstr (formatted, ==, text);

  for (guint i = 0; i < json_array_get_length (bad); i++)
    {
      JsonObject *test_case = json_array_get_object_element (bad, i);
      const char *bad_text = json_object_get_string_member (test_case, "text");

      if (g_strcmp0 (json_object_get_string_member (test_case, "result"), "valid") == 0)
        {
          g_autoptr(WaCheckpoint) other = parse_checkpoint_or_die (bad_text);

          g_assert_cmpstr (other->origin, ==, "not-go.sum database tree");
        }
      else
        {
          assert_checkpoint_fails (bad_text);
        }
    }

  for (guint i = 0; i < json_array_get_length (junk); i++)
    {
      JsonObject *test_case = json_array_get_object_element (junk, i);
      const char *junk_text = json_object_get_string_member (test_case, "text");

      if (g_strcmp0 (json_object_get_string_member (test_case, "result"), "valid") == 0)
        {
          g_autoptr(WaCheckpoint) other = parse_checkpoint_or_die (junk_text);

          g_assert_cmpuint (g_strv_length (other->extensions), ==,
                            json_object_get_int_member (test_case, "extensions"));
          g_assert_cmpstr (other->extensions[0], ==, "JOE");
          g_assert_cmpmem (other->root, sizeof other->root, expected_root, sizeof expected_root);
        }
      else
        {
          assert_checkpoint_fails (junk_text);
        }
    }
}

/* C2SP: the specifications' examples.  Their public keys are not published,
 * so the test can only show that the notes are well formed: opening them
 * fails for want of the key, not for their syntax. */
static void
test_vectors_c2sp_examples (void)
{
  g_autoptr(JsonParser) parser = load_vectors ("c2sp-examples.json");
  JsonObject *root = root_object (parser);
  JsonObject *signed_note = json_object_get_object_member (root, "signedNote");
  JsonObject *example = json_object_get_object_member (root, "checkpoint");
  const char *note = json_object_get_string_member (signed_note, "note");
  const char *checkpoint_note = json_object_get_string_member (example, "note");
  g_autoptr(WaCheckpoint) checkpoint = NULL;
  g_autofree char *text = NULL;
  g_autofree char *body = NULL;
  g_autofree char *damaged = NULL;
  guint8 some_key[WA_NOTE_PUBLIC_KEY_SIZE] = { 0x42 };

  /* The text keeps its own blank line: only the last one ends it. */
  text = note_text_of (note);
  g_assert_cmpstr (text, ==, json_object_get_string_member (signed_note, "text"));
  g_assert_nonnull (strstr (text, "\n\n"));

  assert_open_fails (note, json_object_get_string_member (signed_note, "keyName"), some_key,
                     WA_NOTE_ERROR_UNKNOWN_KEY);
  damaged = g_strndup (note, strlen (note) - 1);
  assert_open_fails (damaged, json_object_get_string_member (signed_note, "keyName"), some_key,
                     WA_NOTE_ERROR_MALFORMED);

  body = note_text_of (checkpoint_note);
  checkpoint = parse_checkpoint_or_die (body);
  g_assert_cmpstr (checkpoint->origin, ==, json_object_get_string_member (example, "origin"));
  g_assert_cmpuint (checkpoint->size, ==, json_object_get_int_member (example, "size"));
  assert_base64_equals (checkpoint->root, sizeof checkpoint->root,
                        json_object_get_string_member (example, "root"));
  assert_open_fails (checkpoint_note, json_object_get_string_member (example, "keyName"), some_key,
                     WA_NOTE_ERROR_UNKNOWN_KEY);
}

/* Signing and opening */

static void
test_round_trip (void)
{
  const char *texts[] = {
    "hello\n",
    "\n",
    "line one\n\nline three after a blank line\n",
    "Ognuno sta solo sul cuor della terra — ed è subito sera. 🌅\n",
    "a text whose last line looks like a signature\n" EM_DASH " someone AAAAAAAA\n",
    "trailing blank lines\n\n\n",
  };
  KeyPair alice;
  KeyPair bob;

  key_pair_init (&alice, 0x01);
  key_pair_init (&bob, 0x02);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autofree char *note = sign_or_die (texts[i], "example.com/alice", &alice);
      g_autofree char *bob_note = sign_or_die (texts[i], "example.com/bob", &bob);
      g_autofree char *both = NULL;

      assert_opens (note, "example.com/alice", alice.public_key, texts[i]);
      assert_open_fails (note, "example.com/bob", bob.public_key, WA_NOTE_ERROR_UNKNOWN_KEY);

      /* A cosigned note: Bob's signature line after Alice's. */
      both = g_strconcat (note, bob_note + strlen (texts[i]) + 1, NULL);
      assert_opens (both, "example.com/alice", alice.public_key, texts[i]);
      assert_opens (both, "example.com/bob", bob.public_key, texts[i]);
    }

  key_pair_clear (&alice);
  key_pair_clear (&bob);
}

static void
test_round_trip_random_key (void)
{
  g_autoptr(WaSecureBytes) secret_key = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *note = NULL;
  g_autofree char *vkey = NULL;
  g_autofree char *name = NULL;
  guint8 public_key[WA_NOTE_PUBLIC_KEY_SIZE];
  guint8 parsed_key[WA_NOTE_PUBLIC_KEY_SIZE];

  secret_key = wa_crypto_sign_keypair_new (public_key);
  wa_secure_bytes_seal (secret_key);

  note = wa_note_sign ("text\n", "example.com/log", public_key, sign_with_secret_key_cb, secret_key, &error);
  g_assert_no_error (error);

  vkey = wa_note_verifier_key_format ("example.com/log", public_key);
  parse_verifier_key (vkey, &name, parsed_key);
  g_assert_cmpstr (name, ==, "example.com/log");
  g_assert_cmpmem (parsed_key, sizeof parsed_key, public_key, sizeof public_key);
  assert_opens (note, name, parsed_key, "text\n");
}

static void
test_signed_checkpoint_round_trip (void)
{
  g_autoptr(WaCheckpoint) checkpoint = g_new0 (WaCheckpoint, 1);
  g_autoptr(WaCheckpoint) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autofree char *note = NULL;
  g_autofree char *opened = NULL;
  KeyPair log;

  key_pair_init (&log, 0x03);
  checkpoint->origin = g_strdup ("example.com/webagent/log");
  checkpoint->size = G_MAXUINT64;
  for (guint i = 0; i < WA_CHECKPOINT_ROOT_SIZE; i++)
    checkpoint->root[i] = i * 7;
  checkpoint->extensions = g_strsplit ("first extension|second", "|", -1);

  text = wa_checkpoint_format (checkpoint);
  g_assert_true (g_str_has_prefix (text, "example.com/webagent/log\n18446744073709551615\n"));
  g_assert_true (g_str_has_suffix (text, "\nfirst extension\nsecond\n"));

  note = sign_or_die (text, checkpoint->origin, &log);
  opened = wa_note_open (note, checkpoint->origin, log.public_key, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (opened, ==, text);

  parsed = parse_checkpoint_or_die (opened);
  g_assert_cmpstr (parsed->origin, ==, checkpoint->origin);
  g_assert_cmpuint (parsed->size, ==, checkpoint->size);
  g_assert_cmpmem (parsed->root, sizeof parsed->root, checkpoint->root, sizeof checkpoint->root);
  g_assert_cmpstrv (parsed->extensions, checkpoint->extensions);

  key_pair_clear (&log);
}

static void
test_sign_rejects (void)
{
  const char *bad_names[] = {
    "", "a+b", "a b", "a\tb", "trailing ", "a\xc2\xa0" "b", "a\xe3\x80\x80" "b", "a\x01" "b", "\xff",
  };
  const char *bad_texts[] = {
    "", "no newline", "a\x01" "b\n", "carriage\r\n", "tab\tinside\n", "\xff\n", "escape \x1b[0m\n",
  };
  KeyPair pair;
  KeyPair other;

  key_pair_init (&pair, 0x04);
  key_pair_init (&other, 0x05);

  for (guint i = 0; i < G_N_ELEMENTS (bad_names); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *note = NULL;
      g_autofree char *name = NULL;
      g_autofree char *vkey = g_strdup_printf ("%s+00000000+AAAA", bad_names[i]);
      guint8 public_key[WA_NOTE_PUBLIC_KEY_SIZE];

      note = wa_note_sign ("text\n", bad_names[i], pair.public_key, sign_with_secret_key_cb,
                           pair.secret_key, &error);
      g_assert_error (error, WA_NOTE_ERROR, WA_NOTE_ERROR_INVALID_NAME);
      g_assert_null (note);

      assert_open_fails ("text\n\n" EM_DASH " a AAAAAAAA\n", bad_names[i], pair.public_key,
                         WA_NOTE_ERROR_INVALID_NAME);

      /* A verifier key with such a name is refused for its name, unless
       * a plus sign in the name splits the key elsewhere. */
      if (strchr (bad_names[i], '+') == NULL)
        {
          g_clear_error (&error);
          g_assert_false (wa_note_verifier_key_parse (vkey, &name, public_key, &error));
          g_assert_error (error, WA_NOTE_ERROR, WA_NOTE_ERROR_INVALID_NAME);
        }
    }

  for (guint i = 0; i < G_N_ELEMENTS (bad_texts); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree char *note = NULL;

      note = wa_note_sign (bad_texts[i], "example.com/log", pair.public_key, sign_with_secret_key_cb,
                           pair.secret_key, &error);
      g_assert_error (error, WA_NOTE_ERROR, WA_NOTE_ERROR_MALFORMED);
      g_assert_null (note);
    }

  /* The signing function's own error reaches the caller. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *note = NULL;

    note = wa_note_sign ("text\n", "example.com/log", pair.public_key, sign_fails_cb, NULL, &error);
    g_assert_error (error, G_IO_ERROR, G_IO_ERROR_PERMISSION_DENIED);
    g_assert_null (note);
  }

  {
    g_autoptr(GError) error = NULL;
    g_autofree char *note = NULL;

    note = wa_note_sign ("text\n", "example.com/log", pair.public_key, sign_fails_silently_cb, NULL, &error);
    g_assert_error (error, WA_NOTE_ERROR, WA_NOTE_ERROR_SIGNING_FAILED);
    g_assert_null (note);
  }

  /* A secret key that is not the public key's pair. */
  {
    g_autoptr(GError) error = NULL;
    g_autofree char *note = NULL;

    note = wa_note_sign ("text\n", "example.com/log", pair.public_key, sign_with_secret_key_cb,
                         other.secret_key, &error);
    g_assert_error (error, WA_NOTE_ERROR, WA_NOTE_ERROR_SIGNING_FAILED);
    g_assert_null (note);
  }

  key_pair_clear (&pair);
  key_pair_clear (&other);
}

/* Tampering */

typedef struct
{
  char         *note;
  char         *name;
  guint8        public_key[WA_NOTE_PUBLIC_KEY_SIZE];
  gsize         text_len;     /* including the text's final newline */
  gsize         name_start;
  gsize         base64_start;
  gsize         base64_end;   /* the signature line's newline */
  guint8        key_hash[4];
} PeterNote;

static void
peter_note_init (PeterNote *fixture)
{
  g_autoptr(JsonParser) parser = load_vectors ("golang-mod-sumdb-note.json");
  JsonObject *root = root_object (parser);
  JsonObject *keys = json_object_get_object_member (root, "keys");
  g_autofree guint8 *blob = NULL;
  g_autofree char *encoded = NULL;
  gsize blob_len = 0;

  fixture->note = g_strdup (json_object_get_string_member (root, "signed"));
  parse_verifier_key (json_object_get_string_member (json_object_get_object_member (keys, "PeterNeumann"),
                                                     "verifierKey"),
                      &fixture->name, fixture->public_key);

  fixture->text_len = strlen (json_object_get_string_member (root, "text"));
  fixture->name_start = fixture->text_len + 1 + strlen (EM_DASH " ");
  fixture->base64_start = fixture->name_start + strlen (fixture->name) + 1;
  fixture->base64_end = strlen (fixture->note) - 1;
  g_assert_cmpint (fixture->note[fixture->base64_start - 1], ==, ' ');

  encoded = g_strndup (fixture->note + fixture->base64_start, fixture->base64_end - fixture->base64_start);
  blob = g_base64_decode (encoded, &blob_len);
  g_assert_cmpuint (blob_len, ==, 4 + WA_NOTE_SIGNATURE_SIZE);
  memcpy (fixture->key_hash, blob, 4);
}

static void
peter_note_clear (PeterNote *fixture)
{
  g_free (fixture->note);
  g_free (fixture->name);
}

/* The note is UTF-8 with no control character but newline, and ends in a
 * newline; the test's own statement of the rule, to predict the outcome. */
static gboolean
is_well_formed_text (const char *note)
{
  gsize len = strlen (note);

  if (len == 0 || note[len - 1] != '\n' || !g_utf8_validate (note, -1, NULL))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    if ((guchar) note[i] < 0x20 && note[i] != '\n')
      return FALSE;

  return TRUE;
}

/* The outcome of opening the note with one bit of byte @pos flipped, worked
 * out from which part of the note the byte is in.  Canonical base64 is
 * recognised as text that GLib's decoder and encoder give back unchanged. */
static WaNoteError
expected_error_after_flip (const PeterNote *fixture,
                           const char      *flipped,
                           gsize            pos)
{
  g_autofree char *encoded = NULL;
  g_autofree char *reencoded = NULL;
  g_autofree guint8 *blob = NULL;
  gsize blob_len = 0;

  if (!is_well_formed_text (flipped))
    return WA_NOTE_ERROR_MALFORMED;

  if (pos + 1 < fixture->text_len)
    return WA_NOTE_ERROR_BAD_SIGNATURE;

  if (pos < fixture->name_start)
    return WA_NOTE_ERROR_MALFORMED;   /* the newlines, the dash and its space */

  if (pos < fixture->base64_start - 1)
    return flipped[pos] == ' ' || flipped[pos] == '+' ? WA_NOTE_ERROR_MALFORMED : WA_NOTE_ERROR_UNKNOWN_KEY;

  if (pos == fixture->base64_start - 1)
    return WA_NOTE_ERROR_MALFORMED;

  g_assert_cmpuint (pos, <, fixture->base64_end);

  encoded = g_strndup (flipped + fixture->base64_start, fixture->base64_end - fixture->base64_start);
  blob = g_base64_decode (encoded, &blob_len);
  reencoded = g_base64_encode (blob, blob_len);
  if (strcmp (reencoded, encoded) != 0 || blob_len <= 4)
    return WA_NOTE_ERROR_MALFORMED;
  if (memcmp (blob, fixture->key_hash, 4) != 0)
    return WA_NOTE_ERROR_UNKNOWN_KEY;

  return WA_NOTE_ERROR_BAD_SIGNATURE;
}

static void
test_tamper_every_bit (void)
{
  PeterNote fixture;
  g_autofree char *text = NULL;
  guint counts[WA_NOTE_ERROR_SIGNING_FAILED + 1] = { 0 };
  gsize len;

  peter_note_init (&fixture);
  text = g_strndup (fixture.note, fixture.text_len);
  assert_opens (fixture.note, fixture.name, fixture.public_key, text);

  len = strlen (fixture.note);
  for (gsize pos = 0; pos < len; pos++)
    {
      for (guint bit = 0; bit < 8; bit++)
        {
          g_autofree char *flipped = g_strdup (fixture.note);
          g_autoptr(GError) error = NULL;
          g_autofree char *opened = NULL;
          WaNoteError expected;

          flipped[pos] ^= 1 << bit;
          expected = expected_error_after_flip (&fixture, flipped, pos);

          opened = wa_note_open (flipped, fixture.name, fixture.public_key, &error);
          if (error == NULL || error->domain != WA_NOTE_ERROR || error->code != (int) expected)
            g_test_fail_printf ("byte %" G_GSIZE_FORMAT " bit %u: expected code %d, got %s",
                                pos, bit, expected, error != NULL ? error->message : "no error");
          g_assert_error (error, WA_NOTE_ERROR, expected);
          g_assert_null (opened);
          counts[expected]++;
        }
    }

  g_test_message ("%" G_GSIZE_FORMAT " flipped bits: %u malformed, %u unknown key, %u bad signature",
                  len * 8, counts[WA_NOTE_ERROR_MALFORMED], counts[WA_NOTE_ERROR_UNKNOWN_KEY],
                  counts[WA_NOTE_ERROR_BAD_SIGNATURE]);
  g_assert_cmpuint (counts[WA_NOTE_ERROR_MALFORMED] + counts[WA_NOTE_ERROR_UNKNOWN_KEY] +
                    counts[WA_NOTE_ERROR_BAD_SIGNATURE], ==, len * 8);
  g_assert_cmpuint (counts[WA_NOTE_ERROR_MALFORMED], >, 0);
  g_assert_cmpuint (counts[WA_NOTE_ERROR_UNKNOWN_KEY], >, 0);
  g_assert_cmpuint (counts[WA_NOTE_ERROR_BAD_SIGNATURE], >, 0);

  peter_note_clear (&fixture);
}

/* Every bit of the decoded key hash and signature, re-encoded as valid
 * base64: a changed key hash makes the signature someone else's, a changed
 * signature fails to verify. */
static void
test_tamper_signature_bits (void)
{
  PeterNote fixture;
  g_autofree char *encoded = NULL;
  g_autofree guint8 *blob = NULL;
  gsize blob_len = 0;

  peter_note_init (&fixture);
  encoded = g_strndup (fixture.note + fixture.base64_start, fixture.base64_end - fixture.base64_start);
  blob = g_base64_decode (encoded, &blob_len);

  for (gsize i = 0; i < blob_len * 8; i++)
    {
      g_autofree char *changed = NULL;
      g_autofree char *note = NULL;

      blob[i / 8] ^= 1 << (i % 8);
      changed = g_base64_encode (blob, blob_len);
      blob[i / 8] ^= 1 << (i % 8);

      note = g_strdup_printf ("%.*s%s\n", (int) fixture.base64_start, fixture.note, changed);
      assert_open_fails (note, fixture.name, fixture.public_key,
                         i < 32 ? WA_NOTE_ERROR_UNKNOWN_KEY : WA_NOTE_ERROR_BAD_SIGNATURE);
    }

  peter_note_clear (&fixture);
}

static char *
replace_once (const char *haystack,
              const char *needle,
              const char *replacement)
{
  const char *found = strstr (haystack, needle);

  g_assert_nonnull (found);

  return g_strdup_printf ("%.*s%s%s", (int) (found - haystack), haystack, replacement,
                          found + strlen (needle));
}

static void
test_reject_structure (void)
{
  PeterNote fixture;
  g_autofree char *text = NULL;
  g_autofree char *line = NULL;
  g_autoptr(GString) many = NULL;
  guint8 other_key[WA_NOTE_PUBLIC_KEY_SIZE];
  struct
  {
    const char *description;
    char       *note;
    WaNoteError code;
  } cases[32];
  guint n_cases = 0;

#define ADD_CASE(desc, note_text, error_code) \
  G_STMT_START { \
    g_assert_cmpuint (n_cases, <, G_N_ELEMENTS (cases)); \
    cases[n_cases].description = desc; \
    cases[n_cases].note = note_text; \
    cases[n_cases].code = error_code; \
    n_cases++; \
  } G_STMT_END

  peter_note_init (&fixture);
  text = g_strndup (fixture.note, fixture.text_len);
  line = g_strdup (fixture.note + fixture.text_len + 1);
  line[strlen (line) - 1] = '\0';

  /* Exactly the limit of signatures opens; one more is refused. */
  many = g_string_new (text);
  g_string_append_c (many, '\n');
  for (guint i = 0; i < WA_NOTE_MAX_SIGNATURES; i++)
    g_string_append_printf (many, "%s\n", line);
  assert_opens (many->str, fixture.name, fixture.public_key, text);
  g_string_append_printf (many, "%s\n", line);

  ADD_CASE ("missing trailing newline", g_strndup (fixture.note, strlen (fixture.note) - 1),
            WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("missing blank line", g_strconcat (text, line, "\n", NULL), WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("two blank lines", g_strconcat (text, "\n\n", line, "\n", NULL), WA_NOTE_ERROR_BAD_SIGNATURE);
  ADD_CASE ("empty note", g_strdup (""), WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("only a blank line", g_strdup ("\n\n"), WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("text without signatures", g_strconcat (text, "\n", NULL), WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("padding removed from the base64",
            g_strndup (fixture.note, strlen (fixture.note) - 2), WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("padding removed, newline kept",
            g_strdup_printf ("%.*s\n", (int) (strlen (fixture.note) - 2), fixture.note),
            WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("base64 cut to the last whole group",
            g_strdup_printf ("%.*s\n", (int) (fixture.base64_end - 4), fixture.note),
            WA_NOTE_ERROR_BAD_SIGNATURE);
  ADD_CASE ("base64 cut to the key hash and a little",
            g_strdup_printf ("%.*s\n", (int) (fixture.base64_start + 8), fixture.note),
            WA_NOTE_ERROR_BAD_SIGNATURE);
  ADD_CASE ("base64 cut to less than the key hash and one byte",
            g_strdup_printf ("%.*s\n", (int) (fixture.base64_start + 4), fixture.note),
            WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("empty base64", g_strdup_printf ("%.*s\n", (int) fixture.base64_start, fixture.note),
            WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("two spaces before the signature", replace_once (fixture.note, "Neumann ", "Neumann  "),
            WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("space after the signature", replace_once (fixture.note, "=\n", "= \n"),
            WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("space before the dash", g_strconcat (text, "\n ", line, "\n", NULL), WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("no space after the dash", replace_once (fixture.note, EM_DASH " ", EM_DASH),
            WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("tab before the signature", replace_once (fixture.note, "Neumann ", "Neumann\t"),
            WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("hyphen instead of an em dash", replace_once (fixture.note, EM_DASH, "-"),
            WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("en dash instead of an em dash", replace_once (fixture.note, EM_DASH, "\xe2\x80\x93"),
            WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("no-break space in the key name", replace_once (fixture.note, "Peter", "Peter\xc2\xa0"),
            WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("space at the end of a text line", replace_once (fixture.note, "problem,\n", "problem, \n"),
            WA_NOTE_ERROR_BAD_SIGNATURE);
  ADD_CASE ("carriage returns", replace_once (fixture.note, "problem,\n", "problem,\r\n"),
            WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("control character in the text", replace_once (fixture.note, "think", "th\x07nk"),
            WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("DEL in the text is text", replace_once (fixture.note, "think", "th\x7fnk"),
            WA_NOTE_ERROR_BAD_SIGNATURE);
  ADD_CASE ("line after the signatures", g_strconcat (fixture.note, "trailer\n", NULL),
            WA_NOTE_ERROR_MALFORMED);
  ADD_CASE ("other key hash", replace_once (fixture.note, "x08g", "xxxx"), WA_NOTE_ERROR_UNKNOWN_KEY);
  ADD_CASE ("valid signature, then a bad one by the same key",
            g_strconcat (fixture.note, line, "\n", EM_DASH " PeterNeumann ", "x08go/ZJAAAA\n", NULL),
            WA_NOTE_ERROR_BAD_SIGNATURE);
  ADD_CASE ("one signature more than the limit", g_string_free (g_steal_pointer (&many), FALSE),
            WA_NOTE_ERROR_MALFORMED);

#undef ADD_CASE

  for (guint i = 0; i < n_cases; i++)
    {
      g_test_message ("%s", cases[i].description);
      assert_open_fails (cases[i].note, fixture.name, fixture.public_key, cases[i].code);
      g_free (cases[i].note);
    }

  /* The right note, opened with another name or another key. */
  assert_open_fails (fixture.note, "PeterNeuman", fixture.public_key, WA_NOTE_ERROR_UNKNOWN_KEY);
  assert_open_fails (fixture.note, "peterneumann", fixture.public_key, WA_NOTE_ERROR_UNKNOWN_KEY);
  memcpy (other_key, fixture.public_key, sizeof other_key);
  other_key[0] ^= 1;
  assert_open_fails (fixture.note, fixture.name, other_key, WA_NOTE_ERROR_UNKNOWN_KEY);
  assert_open_fails (fixture.note, "", fixture.public_key, WA_NOTE_ERROR_INVALID_NAME);
  assert_open_fails (fixture.note, "Peter Neumann", fixture.public_key, WA_NOTE_ERROR_INVALID_NAME);

  peter_note_clear (&fixture);
}

/* Checkpoints */

#define ROOT_B64 "TszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0="

static void
test_checkpoint_rejects (void)
{
  const char *texts[] = {
    /* tree size */
    "log\n01\n" ROOT_B64 "\n",
    "log\n00\n" ROOT_B64 "\n",
    "log\n-1\n" ROOT_B64 "\n",
    "log\n+1\n" ROOT_B64 "\n",
    "log\n1 \n" ROOT_B64 "\n",
    "log\n 1\n" ROOT_B64 "\n",
    "log\n\n" ROOT_B64 "\n",
    "log\n1e3\n" ROOT_B64 "\n",
    "log\n0x10\n" ROOT_B64 "\n",
    "log\n18446744073709551616\n" ROOT_B64 "\n",
    "log\n18446744073709551620\n" ROOT_B64 "\n",
    "log\n99999999999999999999\n" ROOT_B64 "\n",
    "log\n340282366920938463463374607431768211456\n" ROOT_B64 "\n",
    /* root hash */
    "log\n1\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBQ==\n",        /* 31 bytes */
    "log\n1\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0A\n",        /* 33 bytes */
    "log\n1\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb0\n",         /* no padding */
    "log\n1\nTszzRgjTG6xce+z2AG31kAXYKBgQVtCSCE40HmuwBb1=\n",        /* non-canonical */
    "log\n1\nTszzRgjTG6xce-z2AG31kAXYKBgQVtCSCE40HmuwBb0=\n",        /* URL alphabet */
    "log\n1\n" ROOT_B64 " \n",
    "log\n1\n\n",
    "log\n1\nYmFuYW5hcw==\n",
    /* origin, lines and text */
    "\n1\n" ROOT_B64 "\n",
    "log\n1\n" ROOT_B64 "\n\n",
    "log\n1\n" ROOT_B64 "\next\n\nmore\n",
    "log\n1\n" ROOT_B64,
    "log\n1\n",
    "log\n",
    "",
    "log\r\n1\n" ROOT_B64 "\n",
    "l\x01og\n1\n" ROOT_B64 "\n",
    "log\n1\n" ROOT_B64 "\nex\x1btension\n",
    "l\xffog\n1\n" ROOT_B64 "\n",
  };

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_test_message ("checkpoint %u", i);
      assert_checkpoint_fails (texts[i]);
    }
}

static void
test_checkpoint_accepts (void)
{
  g_autoptr(WaCheckpoint) empty = parse_checkpoint_or_die ("log\n0\n" ROOT_B64 "\n");
  g_autoptr(WaCheckpoint) largest = parse_checkpoint_or_die ("log\n18446744073709551615\n" ROOT_B64 "\n");
  g_autoptr(WaCheckpoint) spaced = parse_checkpoint_or_die ("Moon Log — 月\n4027504\n" ROOT_B64 "\n6086d1a9\nWaxing gibbous\n");
  g_autofree char *formatted = NULL;

  g_assert_cmpuint (empty->size, ==, 0);
  g_assert_null (empty->extensions);
  g_assert_cmpuint (largest->size, ==, G_MAXUINT64);

  /* The origin is free text: nothing assumes it is a URL. */
  g_assert_cmpstr (spaced->origin, ==, "Moon Log — 月");
  g_assert_cmpuint (spaced->size, ==, 4027504);
  g_assert_cmpuint (g_strv_length (spaced->extensions), ==, 2);
  g_assert_cmpstr (spaced->extensions[1], ==, "Waxing gibbous");

  formatted = wa_checkpoint_format (spaced);
  g_assert_cmpstr (formatted, ==, "Moon Log — 月\n4027504\n" ROOT_B64 "\n6086d1a9\nWaxing gibbous\n");
}

/* Formatting a checkpoint whose lines would change its meaning is a
 * programming error, refused rather than written. */
static void
test_checkpoint_format_refuses_bad_lines (void)
{
  const char *origins[] = { "", "two\nlines", "tab\there" };

  for (guint i = 0; i < G_N_ELEMENTS (origins); i++)
    {
      g_autoptr(WaCheckpoint) checkpoint = g_new0 (WaCheckpoint, 1);
      g_autofree char *text = NULL;

      checkpoint->origin = g_strdup (origins[i]);
      g_test_expect_message ("wa-note", G_LOG_LEVEL_CRITICAL, "*is_checkpoint_line*");
      text = wa_checkpoint_format (checkpoint);
      g_test_assert_expected_messages ();
      g_assert_null (text);
    }

  {
    g_autoptr(WaCheckpoint) checkpoint = g_new0 (WaCheckpoint, 1);
    g_autofree char *text = NULL;

    checkpoint->origin = g_strdup ("log");
    checkpoint->extensions = g_strsplit ("fine|", "|", -1);
    g_test_expect_message ("wa-note", G_LOG_LEVEL_CRITICAL, "*is_checkpoint_line*");
    text = wa_checkpoint_format (checkpoint);
    g_test_assert_expected_messages ();
    g_assert_null (text);
  }
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);

  wa_crypto_init (&error);
  g_assert_no_error (error);

  g_test_add_func ("/wa/note/vectors/go/verifier-keys", test_vectors_go_verifier_keys);
  g_test_add_func ("/wa/note/vectors/go/verifier-key-manglings", test_vectors_go_verifier_key_manglings);
  g_test_add_func ("/wa/note/vectors/go/sign", test_vectors_go_sign);
  g_test_add_func ("/wa/note/vectors/go/open", test_vectors_go_open);
  g_test_add_func ("/wa/note/vectors/go/invalid-utf8", test_vectors_go_invalid_utf8);
  g_test_add_func ("/wa/note/vectors/go/tlog-tree", test_vectors_tlog_tree);
  g_test_add_func ("/wa/note/vectors/formats/sumdb-checkpoint", test_vectors_sumdb_checkpoint);
  g_test_add_func ("/wa/note/vectors/formats/key-pairs", test_vectors_formats_key_pairs);
  g_test_add_func ("/wa/note/vectors/formats/checkpoint-bodies", test_vectors_formats_checkpoint_bodies);
  g_test_add_func ("/wa/note/vectors/c2sp/examples", test_vectors_c2sp_examples);
  g_test_add_func ("/wa/note/round-trip", test_round_trip);
  g_test_add_func ("/wa/note/round-trip-random-key", test_round_trip_random_key);
  g_test_add_func ("/wa/note/sign-rejects", test_sign_rejects);
  g_test_add_func ("/wa/note/tamper/every-bit", test_tamper_every_bit);
  g_test_add_func ("/wa/note/tamper/signature-bits", test_tamper_signature_bits);
  g_test_add_func ("/wa/note/reject/structure", test_reject_structure);
  g_test_add_func ("/wa/note/checkpoint/rejects", test_checkpoint_rejects);
  g_test_add_func ("/wa/note/checkpoint/accepts", test_checkpoint_accepts);
  g_test_add_func ("/wa/note/checkpoint/format-refuses-bad-lines", test_checkpoint_format_refuses_bad_lines);
  g_test_add_func ("/wa/note/checkpoint/signed-round-trip", test_signed_checkpoint_round_trip);

  return g_test_run ();
}
