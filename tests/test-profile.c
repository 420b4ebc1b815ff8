/* test-profile.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "wa-crypto.h"
#include "wa-json.h"
#include "wa-profile.h"
#include "wa-software-key-provider.h"
#include "wa-test-utils.h"

#define PASSWORD "correct horse battery"

typedef struct
{
  char      *dir;
  char      *secret_key;
  WaProfile *profile;
} Fixture;

static void
fixture_set_up (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *base = g_dir_make_tmp ("wa-profile-XXXXXX", &error);

  g_assert_no_error (error);
  fixture->dir = g_build_filename (base, "profile", NULL);
  fixture->profile = wa_profile_create (fixture->dir, PASSWORD, NULL, GPOINTER_TO_INT (data) == 0,
                                        &fixture->secret_key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->profile);
}

static void
fixture_tear_down (Fixture       *fixture,
                   gconstpointer  data)
{
  g_autofree char *base = g_path_get_dirname (fixture->dir);

  if (fixture->profile != NULL)
    g_assert_finalize_object (fixture->profile);
  wa_test_remove_tree (base);
  g_free (fixture->secret_key);
  g_free (fixture->dir);
}

static char *
profile_file (Fixture    *fixture,
              const char *name)
{
  return g_build_filename (fixture->dir, name, NULL);
}

static WaProfile *
reopen (Fixture *fixture)
{
  g_autoptr(GError) error = NULL;
  WaProfile *profile;

  g_clear_pointer (&fixture->profile, g_object_unref);
  profile = wa_profile_open (fixture->dir, &error);
  g_assert_no_error (error);
  fixture->profile = profile;

  return profile;
}

/* Lets the test skip the back-off it just caused, as if time had passed. */
static void
forget_backoff (Fixture *fixture)
{
  g_autofree char *state = profile_file (fixture, "unlock-state.json");
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;

  g_assert_true (g_file_get_contents (state, &contents, NULL, NULL));
  root = wa_json_parse_object (contents, -1, NULL);
  json_object_set_int_member (json_node_get_object (root), "next_attempt_at", 0);
  g_assert_true (wa_json_write_file (state, root, NULL));
}

static void
test_create (Fixture       *fixture,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaSecureBytes) key = NULL;
  g_autofree char *kit = NULL;
  g_autofree char *profile_json = profile_file (fixture, "profile.json");
  g_autofree char *key_file = profile_file (fixture, "secret-key");
  g_autoptr(GBytes) contents = NULL;
  GStatBuf st;

  g_assert_false (wa_profile_get_locked (fixture->profile));
  g_assert_nonnull (wa_profile_get_keyring (fixture->profile));
  g_assert_cmpuint (wa_profile_get_kdf_params (fixture->profile)->ops_limit, >=, 3);
  g_assert_cmpuint (wa_profile_get_kdf_params (fixture->profile)->mem_limit, >=, 64 * 1024 * 1024);

  key = wa_secret_key_parse (fixture->secret_key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (key);

  kit = wa_profile_format_emergency_kit (fixture->profile, fixture->secret_key);
  g_assert_nonnull (strstr (kit, fixture->secret_key));
  g_assert_nonnull (strstr (kit, wa_profile_get_profile_id (fixture->profile)));

  /* The key files are private to the user, and the profile file holds no
   * secret in the clear. */
  g_assert_cmpint (g_stat (profile_json, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  g_assert_cmpint (g_stat (key_file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);
  contents = wa_test_read_file (profile_json);
  g_assert_null (memmem (g_bytes_get_data (contents, NULL), g_bytes_get_size (contents),
                         fixture->secret_key, strlen (fixture->secret_key)));
  g_assert_null (memmem (g_bytes_get_data (contents, NULL), g_bytes_get_size (contents),
                         PASSWORD, strlen (PASSWORD)));
}

static void
test_unlock_lock (Fixture       *fixture,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaVaultRecord) template = wa_vault_record_new ("note", WA_CLASSIFICATION_SECRET);
  g_autoptr(GBytes) content = g_bytes_new_static ("kept", 4);
  g_autoptr(GBytes) out = NULL;
  g_autofree char *id = NULL;
  g_autofree char *tenant_id = NULL;
  WaProfile *profile;
  WaKeyring *keyring;
  guint notified = 0;

  id = wa_vault_put (wa_profile_get_vault (fixture->profile), template, content, NULL, &error);
  g_assert_no_error (error);
  tenant_id = g_strdup (wa_profile_get_tenant_id (fixture->profile));

  profile = reopen (fixture);
  g_assert_true (wa_profile_get_locked (profile));
  g_assert_null (wa_profile_get_keyring (profile));
  g_assert_cmpstr (wa_profile_get_tenant_id (profile), ==, tenant_id);

  g_signal_connect_swapped (profile, "notify::locked", G_CALLBACK (g_atomic_int_inc), &notified);
  g_assert_true (wa_profile_unlock (profile, PASSWORD, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (wa_profile_get_locked (profile));
  g_assert_cmpuint (notified, ==, 1);

  out = wa_vault_get (wa_profile_get_vault (profile), id, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (out, content));

  keyring = g_object_ref (wa_profile_get_keyring (profile));
  wa_profile_lock (profile);
  g_assert_true (wa_profile_get_locked (profile));
  g_assert_cmpuint (notified, ==, 2);
  /* Locking wipes the keys even where someone still holds the keyring. */
  g_assert_true (wa_keyring_is_wiped (keyring));
  g_object_unref (keyring);

  g_assert_null (wa_vault_get (wa_profile_get_vault (profile), id, NULL, NULL, &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_LOCKED);
}

static void
test_wrong_password (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *profile_json = profile_file (fixture, "profile.json");
  g_autoptr(GBytes) before = wa_test_read_file (profile_json);
  g_autoptr(GBytes) after = NULL;
  WaProfile *profile = reopen (fixture);

  g_assert_false (wa_profile_unlock (profile, "not the password", NULL, &error));
  g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_WRONG_PASSWORD);
  g_assert_nonnull (strstr (error->message, "Wrong password"));
  g_assert_true (wa_profile_get_locked (profile));
  g_assert_cmpuint (wa_profile_get_failed_attempts (profile), ==, 1);

  after = wa_test_read_file (profile_json);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_backoff_persists (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WaProfile *profile = reopen (fixture);
  gint64 previous = 0;

  for (guint i = 1; i <= 4; i++)
    {
      gint64 remaining;

      g_assert_false (wa_profile_unlock (profile, "guess", NULL, &error));
      g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_WRONG_PASSWORD);
      g_clear_error (&error);

      /* The delay doubles, and survives a restart. */
      profile = reopen (fixture);
      g_assert_cmpuint (wa_profile_get_failed_attempts (profile), ==, i);
      remaining = wa_profile_get_backoff_remaining (profile);
      g_assert_cmpint (remaining, >=, 1);
      g_assert_cmpint (remaining, >, previous);
      g_assert_cmpint (remaining, <=, (gint64) 1 << (i - 1));
      previous = remaining;

      /* Even the right password is refused while backing off. */
      g_assert_false (wa_profile_unlock (profile, PASSWORD, NULL, &error));
      g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_BACKOFF);
      g_assert_nonnull (strstr (error->message, "wait"));
      g_clear_error (&error);

      forget_backoff (fixture);
    }

  g_assert_true (wa_profile_unlock (profile, PASSWORD, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (wa_profile_get_failed_attempts (profile), ==, 0);
  g_assert_cmpint (wa_profile_get_backoff_remaining (profile), ==, 0);
}

typedef struct
{
  const char *dir;
  GError     *error;
} Guess;

static gpointer
guess_thread (gpointer data)
{
  Guess *guess = data;
  g_autoptr(WaProfile) profile = wa_profile_open (guess->dir, &guess->error);

  if (profile != NULL)
    wa_profile_unlock (profile, "a wrong guess", NULL, &guess->error);

  return NULL;
}

/* Guesses made at the same time take turns: one is judged, the others
 * meet its back-off.  Without that, each would count from the same old
 * state and the back-off would never grow. */
static void
test_backoff_concurrent (Fixture       *fixture,
                         gconstpointer  data)
{
  Guess guesses[6] = { { 0 } };
  GThread *threads[G_N_ELEMENTS (guesses)];
  guint wrong = 0;
  guint refused = 0;

  g_clear_pointer (&fixture->profile, g_object_unref);

  for (guint i = 0; i < G_N_ELEMENTS (guesses); i++)
    {
      guesses[i].dir = fixture->dir;
      threads[i] = g_thread_new ("guess", guess_thread, &guesses[i]);
    }
  for (guint i = 0; i < G_N_ELEMENTS (guesses); i++)
    {
      g_thread_join (threads[i]);
      if (g_error_matches (guesses[i].error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_WRONG_PASSWORD))
        wrong++;
      else if (g_error_matches (guesses[i].error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_BACKOFF))
        refused++;
      else
        g_error ("Unexpected result: %s", guesses[i].error != NULL ? guesses[i].error->message : "unlocked");
      g_clear_error (&guesses[i].error);
    }

  g_assert_cmpuint (wrong, ==, 1);
  g_assert_cmpuint (refused, ==, G_N_ELEMENTS (guesses) - 1);
  reopen (fixture);
  g_assert_cmpuint (wa_profile_get_failed_attempts (fixture->profile), ==, 1);
}

/* A damaged state file costs the longest delay once, not for ever. */
static void
test_damaged_unlock_state (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autofree char *state = profile_file (fixture, "unlock-state.json");
  g_autofree char *contents = NULL;
  g_autoptr(JsonNode) root = NULL;
  gint64 first;

  g_assert_true (g_file_set_contents (state, "{ damaged", -1, NULL));
  reopen (fixture);
  first = wa_profile_get_backoff_remaining (fixture->profile);
  g_assert_cmpint (first, >, WA_PROFILE_MAX_BACKOFF - 5);

  /* The deadline was written down: it does not move on the next look. */
  g_assert_true (g_file_get_contents (state, &contents, NULL, NULL));
  root = wa_json_parse_object (contents, -1, NULL);
  g_assert_nonnull (root);
  g_usleep (1100 * 1000);
  g_assert_cmpint (wa_profile_get_backoff_remaining (fixture->profile), <, first);
}

static void
test_backoff_real_time (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WaProfile *profile = reopen (fixture);

  g_assert_false (wa_profile_unlock (profile, "guess", NULL, &error));
  g_clear_error (&error);
  g_assert_false (wa_profile_unlock (profile, PASSWORD, NULL, &error));
  g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_BACKOFF);
  g_clear_error (&error);

  /* One failure costs one second, no more. */
  g_usleep (1100 * 1000);
  g_assert_true (wa_profile_unlock (profile, PASSWORD, NULL, &error));
  g_assert_no_error (error);
}

static void
test_secret_key_errors (Fixture       *fixture,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaSecureBytes) other = wa_secret_key_generate ();
  g_autofree char *other_text = wa_secret_key_format (other);
  g_autofree char *typo = g_strdup (fixture->secret_key);
  g_autofree char *key_file = profile_file (fixture, "secret-key");
  WaProfile *profile = reopen (fixture);

  /* A well-formed key of another profile. */
  g_assert_false (wa_profile_unlock (profile, PASSWORD, other_text, &error));
  g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_WRONG_SECRET_KEY);
  g_assert_nonnull (strstr (error->message, "emergency kit"));
  g_clear_error (&error);
  forget_backoff (fixture);

  /* A typo is caught by the checksum before any derivation. */
  typo[6] = typo[6] == 'A' ? 'B' : 'A';
  g_assert_false (wa_profile_unlock (profile, PASSWORD, typo, &error));
  g_assert_error (error, WA_KDF_ERROR, WA_KDF_ERROR_BAD_SECRET_KEY);
  g_assert_nonnull (strstr (error->message, "typo"));
  g_clear_error (&error);

  /* With no device copy the key must be given. */
  g_assert_cmpint (g_unlink (key_file), ==, 0);
  g_assert_false (wa_profile_has_device_secret_key (profile));
  g_assert_false (wa_profile_unlock (profile, PASSWORD, NULL, &error));
  g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_NEED_SECRET_KEY);
  g_clear_error (&error);

  /* The right key, typed with lower case and spaces, works. */
  {
    g_autofree char *lower = g_ascii_strdown (fixture->secret_key, -1);
    g_auto(GStrv) parts = g_strsplit (lower, "-", -1);
    g_autofree char *spaced = g_strjoinv (" ", parts);

    g_assert_true (wa_profile_unlock (profile, PASSWORD, spaced, &error));
    g_assert_no_error (error);
  }
}

static void
corrupt_byte (const char *path,
              gsize       offset)
{
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
  g_assert_cmpuint (offset, <, len);
  contents[offset] ^= 0x04;
  g_assert_true (g_file_set_contents (path, contents, len, NULL));
}

static void
test_corrupt_key_file (Fixture       *fixture,
                       gconstpointer  data)
{
  g_autofree char *profile_json = profile_file (fixture, "profile.json");
  g_autoptr(GBytes) original = wa_test_read_file (profile_json);
  gsize len = g_bytes_get_size (original);
  guint damaged = 0;

  g_clear_pointer (&fixture->profile, g_object_unref);

  /* Damage at a sample of positions across the file: each is reported as
   * damage (never as a wrong password), and the file is left alone. */
  for (gsize offset = 0; offset < len; offset += 7)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) before = NULL;
      g_autoptr(GBytes) after = NULL;
      WaProfile *profile;

      g_assert_true (g_file_set_contents (profile_json, g_bytes_get_data (original, NULL), len, NULL));
      corrupt_byte (profile_json, offset);
      before = wa_test_read_file (profile_json);

      profile = wa_profile_open (fixture->dir, &error);
      if (profile != NULL)
        {
          /* Only whitespace between JSON tokens can change harmlessly. */
          g_assert_true (g_ascii_isspace (((const char *) g_bytes_get_data (original, NULL))[offset]));
          g_object_unref (profile);
          continue;
        }

      g_assert_true (error->domain == WA_PROFILE_ERROR || error->domain == WA_KDF_ERROR);
      if (error->domain == WA_PROFILE_ERROR)
        {
          g_assert_cmpint (error->code, ==, WA_PROFILE_ERROR_CORRUPT);
          g_assert_nonnull (strstr (error->message, "damaged"));
        }
      after = wa_test_read_file (profile_json);
      g_assert_true (g_bytes_equal (before, after));
      damaged++;
    }

  g_test_message ("%u of %" G_GSIZE_FORMAT " damaged positions reported", damaged, (len + 6) / 7);
  g_assert_cmpuint (damaged, >, len / 7 / 2);

  /* Restored, it opens and unlocks again. */
  g_assert_true (g_file_set_contents (profile_json, g_bytes_get_data (original, NULL), len, NULL));
  reopen (fixture);
  g_assert_true (wa_profile_unlock (fixture->profile, PASSWORD, NULL, NULL));
}

static JsonNode *
read_profile_json (Fixture *fixture)
{
  g_autofree char *profile_json = profile_file (fixture, "profile.json");
  g_autofree char *contents = NULL;

  g_assert_true (g_file_get_contents (profile_json, &contents, NULL, NULL));

  return wa_json_parse_object (contents, -1, NULL);
}

/* Writes @root back with its checksum recomputed, as a deliberate attacker
 * would. */
static void
write_profile_json (Fixture  *fixture,
                    JsonNode *root)
{
  g_autofree char *profile_json = profile_file (fixture, "profile.json");
  g_autofree char *canonical = NULL;
  g_autofree char *checksum = NULL;
  JsonObject *object = json_node_get_object (root);
  guint8 hash[32];

  json_object_remove_member (object, "checksum");
  canonical = wa_json_canonicalize (root);
  wa_crypto_sha256 ((const guint8 *) canonical, strlen (canonical), hash);
  checksum = wa_hex_encode (hash, sizeof hash);
  json_object_set_string_member (object, "checksum", checksum);
  g_assert_true (wa_json_write_file (profile_json, root, NULL));
}

static void
rewrite_profile (Fixture    *fixture,
                 const char *member,
                 const char *submember,
                 gint64      value)
{
  g_autoptr(JsonNode) root = read_profile_json (fixture);
  JsonObject *object = json_node_get_object (root);

  if (submember != NULL)
    json_object_set_int_member (json_object_get_object_member (object, member), submember, value);
  else
    json_object_set_int_member (object, member, value);
  write_profile_json (fixture, root);
}

/* Rewrites one member of profile.json as an attacker who can write the
 * folder would, fixing the checksum. */
static void
rewrite_profile_string (Fixture    *fixture,
                        const char *member,
                        const char *value)
{
  g_autoptr(JsonNode) root = read_profile_json (fixture);

  json_object_set_string_member (json_node_get_object (root), member, value);
  write_profile_json (fixture, root);
}

static void
test_kdf_downgrade_refused (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&fixture->profile, g_object_unref);

  rewrite_profile (fixture, "kdf", "ops_limit", 1);
  g_assert_null (wa_profile_open (fixture->dir, &error));
  g_assert_error (error, WA_KDF_ERROR, WA_KDF_ERROR_TOO_WEAK);
  g_clear_error (&error);

  rewrite_profile (fixture, "kdf", "ops_limit", 3);
  rewrite_profile (fixture, "kdf", "mem_limit", 8 * 1024 * 1024);
  g_assert_null (wa_profile_open (fixture->dir, &error));
  g_assert_error (error, WA_KDF_ERROR, WA_KDF_ERROR_TOO_WEAK);
  g_clear_error (&error);

  /* Too costly is refused too: a file must not make us allocate 64 GiB. */
  rewrite_profile (fixture, "kdf", "mem_limit", G_GINT64_CONSTANT (64) * 1024 * 1024 * 1024);
  g_assert_null (wa_profile_open (fixture->dir, &error));
  g_assert_error (error, WA_KDF_ERROR, WA_KDF_ERROR_TOO_COSTLY);
  g_clear_error (&error);

  rewrite_profile (fixture, "kdf", "mem_limit", 64 * 1024 * 1024);
  rewrite_profile (fixture, "kdf", "version", 7);
  g_assert_null (wa_profile_open (fixture->dir, &error));
  g_assert_error (error, WA_KDF_ERROR, WA_KDF_ERROR_UNSUPPORTED);
}

static void
test_swapped_public_key (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(WaKeyring) attacker = wa_keyring_new_random ();
  g_autoptr(GError) error = NULL;
  g_autofree char *fake = g_base64_encode (wa_keyring_get_sign_public_key (attacker), 32);

  g_clear_pointer (&fixture->profile, g_object_unref);
  rewrite_profile_string (fixture, "sign_public_key", fake);

  fixture->profile = wa_profile_open (fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_false (wa_profile_unlock (fixture->profile, PASSWORD, NULL, &error));
  g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "changed by someone without"));
}

/* Anyone can seal a tenant key of their own to the user's public X25519
 * key; the profile's integrity code must refuse it, or the attacker could
 * read every tenant record written afterwards. */
static void
test_swapped_tenant_key (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autoptr(WaSoftwareKeyProvider) attacker = wa_software_key_provider_new_generated (wa_profile_get_tenant_id (fixture->profile));
  g_autoptr(GBytes) sealed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  sealed = wa_key_provider_wrap_for_member (WA_KEY_PROVIDER (attacker),
                                            wa_keyring_get_box_public_key (wa_profile_get_keyring (fixture->profile)),
                                            &error);
  g_assert_no_error (error);
  text = g_base64_encode (g_bytes_get_data (sealed, NULL), g_bytes_get_size (sealed));
  g_clear_pointer (&fixture->profile, g_object_unref);
  rewrite_profile_string (fixture, "tenant_key", text);

  fixture->profile = wa_profile_open (fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_false (wa_profile_unlock (fixture->profile, PASSWORD, NULL, &error));
  g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "changed by someone without"));
}

/* The same for a public field such as the idle timeout. */
static void
test_changed_idle_timeout (Fixture       *fixture,
                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  g_clear_pointer (&fixture->profile, g_object_unref);
  rewrite_profile (fixture, "idle_timeout", NULL, 0);

  fixture->profile = wa_profile_open (fixture->dir, &error);
  g_assert_no_error (error);
  g_assert_false (wa_profile_unlock (fixture->profile, PASSWORD, NULL, &error));
  g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_CORRUPT);
}

static void
test_truncated_database (Fixture       *fixture,
                         gconstpointer  data)
{
  g_autofree char *vault_path = profile_file (fixture, "vault.db");
  g_autoptr(WaVaultRecord) template = wa_vault_record_new ("note", WA_CLASSIFICATION_INTERNAL);
  g_autoptr(GPtrArray) datas = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;

  for (guint i = 0; i < 100; i++)
    g_ptr_array_add (datas, g_bytes_new_take (g_malloc0 (4000), 4000));
  ids = wa_vault_put_many (wa_profile_get_vault (fixture->profile), template, datas, &error);
  g_assert_no_error (error);
  g_clear_pointer (&fixture->profile, g_object_unref);

  before = wa_test_read_file (vault_path);
  g_assert_true (g_file_set_contents (vault_path, g_bytes_get_data (before, NULL),
                                      g_bytes_get_size (before) / 3, NULL));
  g_clear_pointer (&before, g_bytes_unref);
  before = wa_test_read_file (vault_path);

  g_assert_null (wa_profile_open (fixture->dir, &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "restore it from a backup"));
  after = wa_test_read_file (vault_path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_missing_profile (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wa-profile-XXXXXX", NULL);

  g_assert_null (wa_profile_open (dir, &error));
  g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "webagent-cli init"));
  g_rmdir (dir);
}

static void
test_not_overwritten (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autofree char *profile_json = profile_file (fixture, "profile.json");
  g_autoptr(GBytes) before = wa_test_read_file (profile_json);
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;

  g_assert_null (wa_profile_create (fixture->dir, "another password", NULL, TRUE, &key, &error));
  g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_EXISTS);
  g_assert_null (key);
  after = wa_test_read_file (profile_json);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_weak_password (void)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = g_dir_make_tmp ("wa-profile-XXXXXX", NULL);
  g_autofree char *key = NULL;

  g_assert_null (wa_profile_create (dir, "short", NULL, TRUE, &key, &error));
  g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_WEAK_PASSWORD);
  g_rmdir (dir);
}

static void
test_change_password (Fixture       *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaVaultRecord) template = wa_vault_record_new ("note", WA_CLASSIFICATION_SECRET);
  g_autoptr(GBytes) content = g_bytes_new_static ("still here", 10);
  g_autoptr(GBytes) out = NULL;
  g_autoptr(WaKdfParams) old_params = NULL;
  g_autofree char *id = NULL;
  g_autofree char *vault_path = profile_file (fixture, "vault.db");
  const WaKdfParams *new_params;
  WaProfile *profile;

  id = wa_vault_put (wa_profile_get_vault (fixture->profile), template, content, NULL, &error);
  g_assert_no_error (error);
  old_params = wa_kdf_params_copy (wa_profile_get_kdf_params (fixture->profile));

  g_assert_false (wa_profile_change_password (fixture->profile, "wrong old one", "new password 1", &error));
  g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);

  /* A wrong current password counts as a failed attempt: changing the
   * password is no way around the back-off. */
  g_assert_cmpuint (wa_profile_get_failed_attempts (fixture->profile), ==, 1);
  g_assert_false (wa_profile_change_password (fixture->profile, PASSWORD, "new password 1", &error));
  g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_BACKOFF);
  g_clear_error (&error);
  forget_backoff (fixture);
  g_assert_false (wa_profile_change_password (fixture->profile, PASSWORD, "short", &error));
  g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_WEAK_PASSWORD);
  g_clear_error (&error);

  g_assert_true (wa_profile_change_password (fixture->profile, PASSWORD, "new password 1", &error));
  g_assert_no_error (error);

  /* The attempt was recorded before the change, and its outcome after. */
  {
    g_autoptr(GPtrArray) entries = wa_audit_log_get_entries (wa_profile_get_audit_log (fixture->profile), 0,
                                                             G_MAXUINT64, &error);
    const WaAuditEntry *begin;
    const WaAuditEntry *done;

    g_assert_no_error (error);
    g_assert_cmpuint (entries->len, >=, 2);
    begin = g_ptr_array_index (entries, entries->len - 2);
    done = g_ptr_array_index (entries, entries->len - 1);
    g_assert_cmpstr (begin->event_type, ==, "auth.password_change_begin");
    g_assert_cmpstr (done->event_type, ==, "auth.password_change");
    g_assert_cmpstr (done->outcome, ==, "success");
  }

  /* A new salt, never weaker parameters. */
  new_params = wa_profile_get_kdf_params (fixture->profile);
  g_assert_false (memcmp (new_params->salt, old_params->salt, 16) == 0);
  g_assert_cmpuint (new_params->ops_limit, >=, old_params->ops_limit);
  g_assert_cmpuint (new_params->mem_limit, >=, old_params->mem_limit);

  profile = reopen (fixture);
  g_assert_false (wa_profile_unlock (profile, PASSWORD, NULL, &error));
  g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_WRONG_PASSWORD);
  g_clear_error (&error);
  forget_backoff (fixture);
  g_assert_true (wa_profile_unlock (profile, "new password 1", NULL, &error));
  g_assert_no_error (error);

  /* The records were not touched, and still decrypt. */
  out = wa_vault_get (wa_profile_get_vault (profile), id, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_bytes_equal (out, content));
}

/* A change that cannot be recorded is not made. */
static void
test_change_password_unrecorded (Fixture       *fixture,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *profile_path = profile_file (fixture, "profile.json");
  g_autofree char *vault_path = profile_file (fixture, "vault.db");
  g_autoptr(GBytes) before = wa_test_read_file (profile_path);
  g_autoptr(GBytes) after = NULL;

  /* The log's end cut off: nothing more can be appended to it. */
  wa_test_sqlite_exec (vault_path, "DELETE FROM audit_entries WHERE idx = (SELECT max(idx) FROM audit_entries)");

  g_assert_false (wa_profile_change_password (fixture->profile, PASSWORD, "new password 1", &error));
  g_assert_error (error, WA_AUDIT_ERROR, WA_AUDIT_ERROR_TAMPERED);
  g_assert_nonnull (strstr (error->message, "was not changed"));

  after = wa_test_read_file (profile_path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_change_password_locked (Fixture       *fixture,
                             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;

  wa_profile_lock (fixture->profile);
  g_assert_false (wa_profile_change_password (fixture->profile, PASSWORD, "new password 1", &error));
  g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_LOCKED);
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

static void
test_idle_lock (Fixture       *fixture,
                gconstpointer  data)
{
  g_autoptr(GMainLoop) loop = g_main_loop_new (NULL, FALSE);
  WaKeyring *keyring = g_object_ref (wa_profile_get_keyring (fixture->profile));

  wa_profile_set_idle_timeout (fixture->profile, 1);

  /* Activity postpones the lock. */
  for (guint i = 0; i < 4; i++)
    {
      g_timeout_add (400, quit_cb, loop);
      g_main_loop_run (loop);
      g_assert_false (wa_profile_get_locked (fixture->profile));
      wa_profile_touch (fixture->profile);
    }

  /* Idle for the timeout (plus the quarter-period check), it locks. */
  g_timeout_add (1500, quit_cb, loop);
  g_main_loop_run (loop);
  g_assert_true (wa_profile_get_locked (fixture->profile));
  g_assert_true (wa_keyring_is_wiped (keyring));
  g_object_unref (keyring);
}

static void
test_no_device_key (Fixture       *fixture,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  WaProfile *profile;

  g_assert_false (wa_profile_has_device_secret_key (fixture->profile));
  profile = reopen (fixture);
  g_assert_false (wa_profile_unlock (profile, PASSWORD, NULL, &error));
  g_assert_error (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_NEED_SECRET_KEY);
  g_assert_nonnull (strstr (error->message, "--secret-key-file"));
  g_clear_error (&error);
  g_assert_true (wa_profile_unlock (profile, PASSWORD, fixture->secret_key, &error));
  g_assert_no_error (error);

  /* The key given at unlock is enough to change the password too. */
  g_assert_true (wa_profile_change_password (profile, PASSWORD, "new password 2", &error));
  g_assert_no_error (error);
  profile = reopen (fixture);
  g_assert_true (wa_profile_unlock (profile, "new password 2", fixture->secret_key, &error));
  g_assert_no_error (error);
}

static void
test_stale_temporary_files (Fixture       *fixture,
                            gconstpointer  data)
{
  g_autofree char *stale = profile_file (fixture, "profile.json.AB12cd");
  g_autofree char *unrelated = profile_file (fixture, "profile.json.backup-2026");

  g_assert_true (g_file_set_contents (stale, "{\"half\":", -1, NULL));
  g_assert_true (g_file_set_contents (unrelated, "kept", -1, NULL));
  reopen (fixture);
  g_assert_false (g_file_test (stale, G_FILE_TEST_EXISTS));
  g_assert_true (g_file_test (unrelated, G_FILE_TEST_EXISTS));
  g_unlink (unrelated);
}

static void
test_empty_database (Fixture       *fixture,
                     gconstpointer  data)
{
  g_autofree char *vault_path = profile_file (fixture, "vault.db");
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  g_assert_cmpint (g_stat (vault_path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0077, ==, 0);

  /* An emptied database is a lost one: opening must say so, not quietly
   * make a new, empty vault in its place. */
  g_clear_pointer (&fixture->profile, g_object_unref);
  g_assert_true (g_file_set_contents (vault_path, "", 0, NULL));
  g_assert_null (wa_profile_open (fixture->dir, &error));
  g_assert_error (error, WA_VAULT_ERROR, WA_VAULT_ERROR_CORRUPT);
  g_assert_nonnull (strstr (error->message, "empty"));
  after = wa_test_read_file (vault_path);
  g_assert_cmpuint (g_bytes_get_size (after), ==, 0);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_assert_true (wa_crypto_init (NULL));

#define ADD(path, func) \
  g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/wa/profile/create", test_create);
  ADD ("/wa/profile/unlock-lock", test_unlock_lock);
  ADD ("/wa/profile/wrong-password", test_wrong_password);
  ADD ("/wa/profile/backoff-persists", test_backoff_persists);
  ADD ("/wa/profile/backoff-real-time", test_backoff_real_time);
  ADD ("/wa/profile/backoff-concurrent", test_backoff_concurrent);
  ADD ("/wa/profile/damaged-unlock-state", test_damaged_unlock_state);
  ADD ("/wa/profile/secret-key-errors", test_secret_key_errors);
  ADD ("/wa/profile/corrupt-key-file", test_corrupt_key_file);
  ADD ("/wa/profile/kdf-downgrade-refused", test_kdf_downgrade_refused);
  ADD ("/wa/profile/swapped-public-key", test_swapped_public_key);
  ADD ("/wa/profile/swapped-tenant-key", test_swapped_tenant_key);
  ADD ("/wa/profile/changed-idle-timeout", test_changed_idle_timeout);
  ADD ("/wa/profile/truncated-database", test_truncated_database);
  ADD ("/wa/profile/empty-database", test_empty_database);
  ADD ("/wa/profile/stale-temporary-files", test_stale_temporary_files);
  ADD ("/wa/profile/not-overwritten", test_not_overwritten);
  ADD ("/wa/profile/change-password", test_change_password);
  ADD ("/wa/profile/change-password-locked", test_change_password_locked);
  ADD ("/wa/profile/change-password-unrecorded", test_change_password_unrecorded);
  ADD ("/wa/profile/idle-lock", test_idle_lock);
  g_test_add ("/wa/profile/no-device-key", Fixture, GINT_TO_POINTER (1), fixture_set_up,
              test_no_device_key, fixture_tear_down);
  g_test_add_func ("/wa/profile/missing", test_missing_profile);
  g_test_add_func ("/wa/profile/weak-password", test_weak_password);

#undef ADD

  return g_test_run ();
}
