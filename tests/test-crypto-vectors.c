/* test-crypto-vectors.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Known-answer tests for the crypto wrappers in wa-crypto.c.  Every case of
 * the vendored Wycheproof files runs, and the number run must equal the
 * file's numberOfTests, so a file that is cut short or a group that is
 * skipped by mistake fails the test.  The RFC vectors check that keys,
 * signatures, shared secrets and MACs come out byte for byte as published.
 * tests/data/README.md says where each file comes from. */



#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>

#include "wa-crypto.h"
#include "wa-secure-bytes.h"

typedef enum
{
  EXPECT_VALID,
  EXPECT_INVALID,
  EXPECT_ACCEPTABLE,
} Expectation;

typedef struct
{
  int total;
  int valid;
  int invalid;
  int acceptable;
} CaseCounts;

static JsonParser *
load_json (const char *path)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_file (parser, path, &error);
  g_assert_no_error (error);
  g_assert_true (JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)));

  return g_steal_pointer (&parser);
}

static JsonParser *
load_wycheproof (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "wycheproof", name, NULL);

  return load_json (path);
}

static JsonParser *
load_rfc (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", name, NULL);

  return load_json (path);
}

static JsonObject *
root_object (JsonParser *parser)
{
  return json_node_get_object (json_parser_get_root (parser));
}

/* Decodes a hex member; the vendored files hold only well-formed hex, so a
 * decoding error means the file or wa_hex_decode() is broken. */
static guint8 *
hex_member (JsonObject *object,
            const char *member,
            gsize      *len)
{
  g_autoptr(GError) error = NULL;
  const char *text;
  guint8 *bytes;

  text = json_object_get_string_member (object, member);
  g_assert_nonnull (text);

  bytes = wa_hex_decode (text, len, &error);
  g_assert_no_error (error);
  g_assert_nonnull (bytes);
  g_assert_cmpuint (*len * 2, ==, strlen (text));

  return bytes;
}

static Expectation
expectation_of (JsonObject *test_case)
{
  const char *result = json_object_get_string_member (test_case, "result");

  if (g_strcmp0 (result, "valid") == 0)
    return EXPECT_VALID;
  if (g_strcmp0 (result, "invalid") == 0)
    return EXPECT_INVALID;
  if (g_strcmp0 (result, "acceptable") == 0)
    return EXPECT_ACCEPTABLE;

  g_error ("Unknown Wycheproof result “%s”", result);
}

static void
count_case (CaseCounts  *counts,
            Expectation  expectation)
{
  counts->total++;

  switch (expectation)
    {
    case EXPECT_VALID :
      counts->valid++;
      break;
    case EXPECT_INVALID :
      counts->invalid++;
      break;
    case EXPECT_ACCEPTABLE :
      counts->acceptable++;
      break;
    default :
      g_assert_not_reached ();
    }
}

/* Marks the test failed but goes on, so one run names every failing case
 * rather than only the first. */
static void
check_case (gboolean    passed,
            const char *file,
            JsonObject *test_case,
            const char *what)
{
  if (passed)
    return;

  g_test_fail_printf ("%s tcId %" G_GINT64_FORMAT " (%s, expected %s): %s",
                      file,
                      json_object_get_int_member (test_case, "tcId"),
                      json_object_get_string_member (test_case, "comment"),
                      json_object_get_string_member (test_case, "result"),
                      what);
}

static void
check_case_count (const char *file,
                  JsonObject *root,
                  CaseCounts *counts)
{
  g_test_message ("%s: %d cases run (%d valid, %d invalid, %d acceptable)",
                  file, counts->total, counts->valid, counts->invalid, counts->acceptable);
  g_assert_cmpint (counts->total, ==, json_object_get_int_member (root, "numberOfTests"));
  g_assert_cmpint (counts->total, >, 0);
}

static gboolean
is_all_zero (const guint8 *data,
             gsize         len)
{
  guint8 acc = 0;

  for (gsize i = 0; i < len; i++)
    acc |= data[i];

  return acc == 0;
}

static void
assert_bytes_equal_hex (const guint8 *actual,
                        gsize         actual_len,
                        const char   *expected_hex)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *expected = NULL;
  gsize expected_len = 0;

  expected = wa_hex_decode (expected_hex, &expected_len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (actual, actual_len, expected, expected_len);
}

/* Wycheproof: XChaCha20-Poly1305 */

static void
test_wycheproof_xchacha20_poly1305 (void)
{
  const char *file = "xchacha20_poly1305_test.json";
  g_autoptr(JsonParser) parser = load_wycheproof (file);
  JsonObject *root = root_object (parser);
  JsonArray *groups;
  CaseCounts counts = { 0 };
  int n_bad_sizes = 0;
  int n_rejected = 0;

  g_assert_cmpstr (json_object_get_string_member (root, "algorithm"), ==, "XCHACHA20-POLY1305");

  groups = json_object_get_array_member (root, "testGroups");
  for (guint g = 0; g < json_array_get_length (groups); g++)
    {
      JsonObject *group = json_array_get_object_element (groups, g);
      JsonArray *tests = json_object_get_array_member (group, "tests");

      for (guint t = 0; t < json_array_get_length (tests); t++)
        {
          JsonObject *test_case = json_array_get_object_element (tests, t);
          Expectation expectation = expectation_of (test_case);
          g_autofree guint8 *key = NULL;
          g_autofree guint8 *iv = NULL;
          g_autofree guint8 *aad = NULL;
          g_autofree guint8 *msg = NULL;
          g_autofree guint8 *ct = NULL;
          g_autofree guint8 *tag = NULL;
          g_autofree guint8 *encrypted = NULL;
          g_autofree guint8 *sealed = NULL;
          g_autofree guint8 *decrypted = NULL;
          gsize key_len, iv_len, aad_len, msg_len, ct_len, tag_len;
          gboolean encrypt_ok;
          gboolean encrypt_matches;
          gboolean decrypt_ok;

          count_case (&counts, expectation);

          key = hex_member (test_case, "key", &key_len);
          iv = hex_member (test_case, "iv", &iv_len);
          aad = hex_member (test_case, "aad", &aad_len);
          msg = hex_member (test_case, "msg", &msg_len);
          ct = hex_member (test_case, "ct", &ct_len);
          tag = hex_member (test_case, "tag", &tag_len);

          /* The wrapper takes fixed-size keys and nonces by pointer, so a
           * case with other sizes cannot be expressed through it: it must
           * be one Wycheproof calls invalid. */
          if (key_len != WA_AEAD_KEY_SIZE ||
              iv_len != WA_AEAD_NONCE_SIZE ||
              tag_len != WA_AEAD_TAG_SIZE)
            {
              check_case (expectation == EXPECT_INVALID, file, test_case,
                          "a key, nonce or tag of another size must be invalid");
              n_bad_sizes++;
              continue;
            }

          encrypted = g_malloc (msg_len + WA_AEAD_TAG_SIZE);
          encrypt_ok = wa_crypto_aead_encrypt_raw (key, iv, msg, msg_len, aad, aad_len, encrypted);
          encrypt_matches = encrypt_ok &&
            msg_len == ct_len &&
            memcmp (encrypted, ct, ct_len) == 0 &&
            memcmp (encrypted + ct_len, tag, tag_len) == 0;

          sealed = g_malloc (ct_len + tag_len);
          memcpy (sealed, ct, ct_len);
          memcpy (sealed + ct_len, tag, tag_len);
          decrypted = g_malloc (ct_len + 1);
          decrypt_ok = wa_crypto_aead_decrypt_raw (key, iv, sealed, ct_len + tag_len,
                                                   aad, aad_len, decrypted);

          switch (expectation)
            {
            case EXPECT_VALID :
              check_case (encrypt_matches, file, test_case,
                          "encryption did not give the expected ciphertext and tag");
              check_case (decrypt_ok, file, test_case, "decryption failed");
              check_case (decrypt_ok && ct_len == msg_len && memcmp (decrypted, msg, msg_len) == 0,
                          file, test_case, "decryption did not give the plaintext");
              break;

            case EXPECT_INVALID :
              check_case (!decrypt_ok, file, test_case, "a forged ciphertext was accepted");
              check_case (!encrypt_matches, file, test_case,
                          "encryption reproduced a ciphertext that must be invalid");
              n_rejected++;
              break;

            case EXPECT_ACCEPTABLE :
              /* Either outcome is allowed, but it must be one outcome. */
              check_case (decrypt_ok == encrypt_matches, file, test_case,
                          "encryption and decryption disagree");
              break;

            default :
              g_assert_not_reached ();
            }
        }
    }

  g_test_message ("%s: %d invalid cases rejected by decryption, %d invalid for their sizes",
                  file, n_rejected, n_bad_sizes);
  check_case_count (file, root, &counts);
}

/* Wycheproof: X25519 */

static void
test_wycheproof_x25519 (void)
{
  const char *file = "x25519_test.json";
  g_autoptr(JsonParser) parser = load_wycheproof (file);
  JsonObject *root = root_object (parser);
  JsonArray *groups;
  CaseCounts counts = { 0 };
  int n_zero_refused = 0;
  int n_acceptable_computed = 0;

  g_assert_cmpstr (json_object_get_string_member (root, "algorithm"), ==, "XDH");

  groups = json_object_get_array_member (root, "testGroups");
  for (guint g = 0; g < json_array_get_length (groups); g++)
    {
      JsonObject *group = json_array_get_object_element (groups, g);
      JsonArray *tests = json_object_get_array_member (group, "tests");

      g_assert_cmpstr (json_object_get_string_member (group, "curve"), ==, "curve25519");

      for (guint t = 0; t < json_array_get_length (tests); t++)
        {
          JsonObject *test_case = json_array_get_object_element (tests, t);
          Expectation expectation = expectation_of (test_case);
          g_autofree guint8 *public_key = NULL;
          g_autofree guint8 *private_key = NULL;
          g_autofree guint8 *expected = NULL;
          guint8 shared[32];
          guint8 again[32];
          gsize public_len, private_len, expected_len;
          gboolean ok;

          count_case (&counts, expectation);

          public_key = hex_member (test_case, "public", &public_len);
          private_key = hex_member (test_case, "private", &private_len);
          expected = hex_member (test_case, "shared", &expected_len);

          if (public_len != WA_BOX_PUBLIC_KEY_SIZE || private_len != WA_BOX_SECRET_KEY_SIZE)
            {
              check_case (expectation == EXPECT_INVALID, file, test_case,
                          "a key of another size must be invalid");
              continue;
            }

          memset (shared, 0xa5, sizeof shared);
          ok = wa_crypto_scalarmult (private_key, public_key, shared);

          if (expected_len == sizeof shared && is_all_zero (expected, expected_len))
            {
              /* Low-order public keys give an all-zero secret.  Wycheproof
               * accepts either outcome; our wrapper, like libsodium's
               * crypto_scalarmult(), refuses them, and nothing may use
               * such a "secret". */
              check_case (expectation != EXPECT_VALID, file, test_case,
                          "a valid case cannot have an all-zero shared secret");
              check_case (!ok, file, test_case, "an all-zero shared secret was not refused");
              n_zero_refused++;
              continue;
            }

          switch (expectation)
            {
            case EXPECT_VALID :
            case EXPECT_ACCEPTABLE :
              check_case (ok, file, test_case, "the scalar multiplication was refused");
              check_case (ok && expected_len == sizeof shared &&
                          memcmp (shared, expected, sizeof shared) == 0,
                          file, test_case, "the shared secret differs from the expected one");

              /* Acceptable cases must not depend on anything but the input. */
              if (expectation == EXPECT_ACCEPTABLE)
                {
                  check_case (wa_crypto_scalarmult (private_key, public_key, again) == ok &&
                              memcmp (shared, again, sizeof shared) == 0,
                              file, test_case, "a second run gave another result");
                  n_acceptable_computed++;
                }
              break;

            case EXPECT_INVALID :
              check_case (!ok, file, test_case, "an invalid public key was accepted");
              break;

            default :
              g_assert_not_reached ();
            }
        }
    }

  g_test_message ("%s: %d all-zero shared secrets refused, %d acceptable cases computed as expected",
                  file, n_zero_refused, n_acceptable_computed);
  check_case_count (file, root, &counts);
}

/* Wycheproof: Ed25519 */

/* The public key of a group: "publicKey" in the current layout, "key" in
 * the older one; both hold it as hex in "pk". */
static guint8 *
group_public_key (JsonObject *group,
                  gsize      *len)
{
  JsonObject *key = NULL;

  if (json_object_has_member (group, "publicKey"))
    key = json_object_get_object_member (group, "publicKey");
  else if (json_object_has_member (group, "key"))
    key = json_object_get_object_member (group, "key");

  g_assert_nonnull (key);

  return hex_member (key, "pk", len);
}

static void
test_wycheproof_ed25519 (void)
{
  const char *file = "ed25519_test.json";
  g_autoptr(JsonParser) parser = load_wycheproof (file);
  JsonObject *root = root_object (parser);
  JsonArray *groups;
  CaseCounts counts = { 0 };
  int n_bad_sizes = 0;
  int n_rejected = 0;

  g_assert_cmpstr (json_object_get_string_member (root, "algorithm"), ==, "EDDSA");

  groups = json_object_get_array_member (root, "testGroups");
  for (guint g = 0; g < json_array_get_length (groups); g++)
    {
      JsonObject *group = json_array_get_object_element (groups, g);
      JsonArray *tests = json_object_get_array_member (group, "tests");
      g_autofree guint8 *public_key = NULL;
      gsize public_len;

      public_key = group_public_key (group, &public_len);
      g_assert_cmpuint (public_len, ==, WA_SIGN_PUBLIC_KEY_SIZE);

      for (guint t = 0; t < json_array_get_length (tests); t++)
        {
          JsonObject *test_case = json_array_get_object_element (tests, t);
          Expectation expectation = expectation_of (test_case);
          g_autofree guint8 *msg = NULL;
          g_autofree guint8 *sig = NULL;
          gsize msg_len, sig_len;
          gboolean ok;

          count_case (&counts, expectation);

          msg = hex_member (test_case, "msg", &msg_len);
          sig = hex_member (test_case, "sig", &sig_len);

          /* The wrapper reads exactly 64 bytes of signature, so truncated
           * or padded signatures are invalid before any arithmetic. */
          if (sig_len != WA_SIGNATURE_SIZE)
            {
              check_case (expectation == EXPECT_INVALID, file, test_case,
                          "a signature of another size must be invalid");
              n_bad_sizes++;
              continue;
            }

          ok = wa_crypto_sign_verify_detached (public_key, msg, msg_len, sig);

          switch (expectation)
            {
            case EXPECT_VALID :
              check_case (ok, file, test_case, "a valid signature was rejected");
              break;

            case EXPECT_INVALID :
              check_case (!ok, file, test_case, "an invalid signature was accepted");
              n_rejected++;
              break;

            case EXPECT_ACCEPTABLE :
              check_case (wa_crypto_sign_verify_detached (public_key, msg, msg_len, sig) == ok,
                          file, test_case, "a second run gave another result");
              break;

            default :
              g_assert_not_reached ();
            }
        }
    }

  g_test_message ("%s: %d invalid signatures rejected by verification, %d invalid for their size",
                  file, n_rejected, n_bad_sizes);
  check_case_count (file, root, &counts);
}

/* RFC 8032, section 7.1 */

static void
test_rfc8032_ed25519 (void)
{
  g_autoptr(JsonParser) parser = load_rfc ("rfc8032-ed25519.json");
  JsonArray *tests = json_object_get_array_member (root_object (parser), "tests");
  guint n_tests = json_array_get_length (tests);

  g_assert_cmpuint (n_tests, ==, 5);

  for (guint i = 0; i < n_tests; i++)
    {
      JsonObject *test_case = json_array_get_object_element (tests, i);
      g_autoptr(WaSecureBytes) secret_key = NULL;
      g_autofree guint8 *seed = NULL;
      g_autofree guint8 *msg = NULL;
      g_autofree guint8 *altered = NULL;
      guint8 public_key[WA_SIGN_PUBLIC_KEY_SIZE];
      guint8 signature[WA_SIGNATURE_SIZE];
      gsize seed_len, msg_len, altered_len;

      g_test_message ("RFC 8032 %s", json_object_get_string_member (test_case, "name"));

      seed = hex_member (test_case, "secretKey", &seed_len);
      msg = hex_member (test_case, "message", &msg_len);
      g_assert_cmpuint (seed_len, ==, WA_SIGN_SEED_SIZE);

      secret_key = wa_crypto_sign_keypair_from_seed (seed, public_key);
      g_assert_nonnull (secret_key);
      g_assert_cmpuint (wa_secure_bytes_get_size (secret_key), ==, WA_SIGN_SECRET_KEY_SIZE);
      assert_bytes_equal_hex (public_key, sizeof public_key,
                              json_object_get_string_member (test_case, "publicKey"));

      wa_crypto_sign_detached (wa_secure_bytes_get_data (secret_key), msg, msg_len, signature);
      assert_bytes_equal_hex (signature, sizeof signature,
                              json_object_get_string_member (test_case, "signature"));

      g_assert_true (wa_crypto_sign_verify_detached (public_key, msg, msg_len, signature));

      /* One flipped bit in the message must break the signature.  TEST 1
       * signs the empty message, which has no bit to flip: append a byte. */
      altered_len = MAX (msg_len, 1);
      altered = g_malloc0 (altered_len);
      memcpy (altered, msg, msg_len);
      if (msg_len > 0)
        altered[msg_len / 2] ^= 0x01;
      g_assert_false (wa_crypto_sign_verify_detached (public_key, altered, altered_len, signature));

      /* And so must one flipped bit in the signature. */
      signature[WA_SIGNATURE_SIZE / 2] ^= 0x01;
      g_assert_false (wa_crypto_sign_verify_detached (public_key, msg, msg_len, signature));
    }
}

/* RFC 7748, sections 5.2 and 6.1 */

static void
test_rfc7748_x25519 (void)
{
  g_autoptr(JsonParser) parser = load_rfc ("rfc7748-x25519.json");
  JsonArray *tests = json_object_get_array_member (root_object (parser), "scalarMult");

  g_assert_cmpuint (json_array_get_length (tests), ==, 2);

  for (guint i = 0; i < json_array_get_length (tests); i++)
    {
      JsonObject *test_case = json_array_get_object_element (tests, i);
      g_autofree guint8 *scalar = NULL;
      g_autofree guint8 *u = NULL;
      guint8 output[32];
      gsize scalar_len, u_len;

      scalar = hex_member (test_case, "scalar", &scalar_len);
      u = hex_member (test_case, "uCoordinate", &u_len);
      g_assert_cmpuint (scalar_len, ==, 32);
      g_assert_cmpuint (u_len, ==, 32);

      g_assert_true (wa_crypto_scalarmult (scalar, u, output));
      assert_bytes_equal_hex (output, sizeof output,
                              json_object_get_string_member (test_case, "output"));
    }
}

static void
run_x25519_iterations (JsonObject *iterated)
{
  gint64 iterations = json_object_get_int_member (iterated, "iterations");
  guint8 k[32] = { 9 };
  guint8 u[32] = { 9 };
  guint8 next[32];

  for (gint64 i = 0; i < iterations; i++)
    {
      g_assert_true (wa_crypto_scalarmult (k, u, next));
      memcpy (u, k, sizeof k);
      memcpy (k, next, sizeof k);
    }

  assert_bytes_equal_hex (k, sizeof k, json_object_get_string_member (iterated, "output"));
  g_test_message ("RFC 7748 iterated X25519: %" G_GINT64_FORMAT " iterations match", iterations);
}

static void
test_rfc7748_x25519_iterated (void)
{
  g_autoptr(JsonParser) parser = load_rfc ("rfc7748-x25519.json");
  JsonArray *iterated = json_object_get_array_member (root_object (parser), "iterated");
  int n_run = 0;

  for (guint i = 0; i < json_array_get_length (iterated); i++)
    {
      JsonObject *vector = json_array_get_object_element (iterated, i);

      /* The million-step vector takes about half a minute; it runs in slow
       * mode (meson test --test-args=-m=slow) and has its own case below. */
      if (json_object_get_int_member (vector, "iterations") > 1000)
        continue;

      run_x25519_iterations (vector);
      n_run++;
    }

  g_assert_cmpint (n_run, ==, 2);
}

static void
test_rfc7748_x25519_iterated_million (void)
{
  g_autoptr(JsonParser) parser = load_rfc ("rfc7748-x25519.json");
  JsonArray *iterated = json_object_get_array_member (root_object (parser), "iterated");
  JsonObject *vector = NULL;

  if (!g_test_slow ())
    {
      g_test_skip ("The 1,000,000-iteration vector runs only with -m slow");
      return;
    }

  for (guint i = 0; i < json_array_get_length (iterated); i++)
    {
      JsonObject *candidate = json_array_get_object_element (iterated, i);

      if (json_object_get_int_member (candidate, "iterations") == 1000000)
        vector = candidate;
    }

  g_assert_nonnull (vector);
  run_x25519_iterations (vector);
}

static void
test_rfc7748_diffie_hellman (void)
{
  g_autoptr(JsonParser) parser = load_rfc ("rfc7748-x25519.json");
  JsonObject *dh = json_object_get_object_member (root_object (parser), "diffieHellman");
  g_autofree guint8 *alice_private = NULL;
  g_autofree guint8 *bob_private = NULL;
  guint8 alice_public[WA_BOX_PUBLIC_KEY_SIZE];
  guint8 bob_public[WA_BOX_PUBLIC_KEY_SIZE];
  guint8 alice_shared[32];
  guint8 bob_shared[32];
  gsize len;

  alice_private = hex_member (dh, "alicePrivate", &len);
  g_assert_cmpuint (len, ==, WA_BOX_SECRET_KEY_SIZE);
  bob_private = hex_member (dh, "bobPrivate", &len);
  g_assert_cmpuint (len, ==, WA_BOX_SECRET_KEY_SIZE);

  g_assert_true (wa_crypto_box_public_from_secret (alice_private, alice_public));
  assert_bytes_equal_hex (alice_public, sizeof alice_public,
                          json_object_get_string_member (dh, "alicePublic"));
  g_assert_true (wa_crypto_box_public_from_secret (bob_private, bob_public));
  assert_bytes_equal_hex (bob_public, sizeof bob_public,
                          json_object_get_string_member (dh, "bobPublic"));

  g_assert_true (wa_crypto_scalarmult (alice_private, bob_public, alice_shared));
  g_assert_true (wa_crypto_scalarmult (bob_private, alice_public, bob_shared));
  assert_bytes_equal_hex (alice_shared, sizeof alice_shared,
                          json_object_get_string_member (dh, "shared"));
  assert_bytes_equal_hex (bob_shared, sizeof bob_shared,
                          json_object_get_string_member (dh, "shared"));
}

/* RFC 4231, section 4 */

typedef void (*HmacFunc) (const guint8 *key,
                          gsize         key_len,
                          const guint8 *data,
                          gsize         len,
                          guint8       *out);

static void
run_rfc4231 (HmacFunc    hmac,
             gsize       mac_size,
             const char *member)
{
  g_autoptr(JsonParser) parser = load_rfc ("rfc4231-hmac.json");
  JsonArray *tests = json_object_get_array_member (root_object (parser), "tests");
  guint n_tests = json_array_get_length (tests);

  g_assert_cmpuint (n_tests, ==, 7);

  for (guint i = 0; i < n_tests; i++)
    {
      JsonObject *test_case = json_array_get_object_element (tests, i);
      g_autofree guint8 *key = NULL;
      g_autofree guint8 *data = NULL;
      g_autofree guint8 *expected = NULL;
      guint8 mac[64];
      gsize key_len, data_len, expected_len;
      gsize compared = mac_size;

      key = hex_member (test_case, "key", &key_len);
      data = hex_member (test_case, "data", &data_len);
      expected = hex_member (test_case, member, &expected_len);

      /* Test case 5 publishes only the first 128 bits of each MAC. */
      if (json_object_has_member (test_case, "truncateBits"))
        compared = json_object_get_int_member (test_case, "truncateBits") / 8;

      g_assert_cmpuint (compared, <=, mac_size);
      g_assert_cmpuint (expected_len, ==, compared);

      memset (mac, 0, sizeof mac);
      hmac (key, key_len, data, data_len, mac);
      g_assert_cmpmem (mac, compared, expected, expected_len);
    }

  g_test_message ("RFC 4231 %s: %u test cases match", member, n_tests);
}

static void
test_rfc4231_hmac_sha256 (void)
{
  run_rfc4231 (wa_crypto_hmac_sha256, 32, "hmacSha256");
}

static void
test_rfc4231_hmac_sha512 (void)
{
  run_rfc4231 (wa_crypto_hmac_sha512, 64, "hmacSha512");
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;

  g_test_init (&argc, &argv, NULL);

  wa_crypto_init (&error);
  g_assert_no_error (error);

  g_test_add_func ("/wa/crypto/wycheproof/xchacha20-poly1305", test_wycheproof_xchacha20_poly1305);
  g_test_add_func ("/wa/crypto/wycheproof/x25519", test_wycheproof_x25519);
  g_test_add_func ("/wa/crypto/wycheproof/ed25519", test_wycheproof_ed25519);
  g_test_add_func ("/wa/crypto/rfc8032/ed25519", test_rfc8032_ed25519);
  g_test_add_func ("/wa/crypto/rfc7748/x25519", test_rfc7748_x25519);
  g_test_add_func ("/wa/crypto/rfc7748/x25519-iterated", test_rfc7748_x25519_iterated);
  g_test_add_func ("/wa/crypto/rfc7748/x25519-iterated-million", test_rfc7748_x25519_iterated_million);
  g_test_add_func ("/wa/crypto/rfc7748/diffie-hellman", test_rfc7748_diffie_hellman);
  g_test_add_func ("/wa/crypto/rfc4231/hmac-sha256", test_rfc4231_hmac_sha256);
  g_test_add_func ("/wa/crypto/rfc4231/hmac-sha512", test_rfc4231_hmac_sha512);

  return g_test_run ();
}
