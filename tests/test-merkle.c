/* test-merkle.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/* Tests for wa-merkle.c.  Every file of the vendored transparency-dev/merkle
 * vectors runs, and the number run must equal the number upstream shipped,
 * so a missing file or a directory skipped by mistake fails the test.  The
 * RFC 6962 known answers check the hashing.  The generators, verifiers and
 * frontier are also checked against a reference written in this file
 * straight from the recursive definitions of RFC 9162 2.1, on libsodium's
 * SHA-256 rather than wa_sha256(), for every tree up to 64 leaves and every
 * way of damaging a proof.  tests/data/README.md says where the vectors
 * come from. */

#include "config.h"

#include <string.h>
#include <sodium.h>

#include <json-glib/json-glib.h>

#include "wa-crypto.h"
#include "wa-merkle.h"

#define HASH_SIZE WA_MERKLE_HASH_SIZE

/* The vendored files, as upstream shipped them. */
#define N_INCLUSION_FILES          98
#define N_INCLUSION_ACCEPTED       6
#define N_CONSISTENCY_FILES        97
#define N_CONSISTENCY_ACCEPTED     7
#define N_HAPPY_PATHS_PER_KIND     5

/* Reference implementation */

static void
ref_sha256 (guint8        prefix,
            const guint8 *a,
            gsize         a_len,
            const guint8 *b,
            gsize         b_len,
            guint8       *out)
{
  crypto_hash_sha256_state state;

  crypto_hash_sha256_init (&state);
  crypto_hash_sha256_update (&state, &prefix, 1);
  if (a_len > 0)
    crypto_hash_sha256_update (&state, a, a_len);
  if (b_len > 0)
    crypto_hash_sha256_update (&state, b, b_len);
  crypto_hash_sha256_final (&state, out);
}

static void
ref_leaf (const guint8 *data,
          gsize         len,
          guint8       *out)
{
  ref_sha256 (0x00, data, len, NULL, 0, out);
}

static void
ref_node (const guint8 *left,
          const guint8 *right,
          guint8       *out)
{
  ref_sha256 (0x01, left, HASH_SIZE, right, HASH_SIZE, out);
}

static void
ref_empty_root (guint8 *out)
{
  crypto_hash_sha256_state state;

  crypto_hash_sha256_init (&state);
  crypto_hash_sha256_final (&state, out);
}

/* The k of RFC 9162 2.1.1, counted up rather than computed from bits. */
static guint64
ref_split (guint64 n)
{
  guint64 k = 1;

  /* k * 2 < n, without overflowing for n above 2^63. */
  while (k <= (n - 1) / 2)
    k *= 2;

  return k;
}

static const guint8 *
ref_leaf_at (const guint8 *leaves,
             guint64       i)
{
  return leaves + i * HASH_SIZE;
}

/* MTH (D[n]), RFC 9162 2.1.1. */
static void
ref_mth (const guint8 *leaves,
         guint64       n,
         guint8       *out)
{
  guint8 left[HASH_SIZE];
  guint8 right[HASH_SIZE];
  guint64 k;

  if (n == 0)
    {
      ref_empty_root (out);
      return;
    }

  if (n == 1)
    {
      memcpy (out, leaves, HASH_SIZE);
      return;
    }

  k = ref_split (n);
  ref_mth (leaves, k, left);
  ref_mth (ref_leaf_at (leaves, k), n - k, right);
  ref_node (left, right, out);
}

/* PATH (m, D[n]), RFC 9162 2.1.3.1. */
static void
ref_path (const guint8 *leaves,
          guint64       m,
          guint64       n,
          GByteArray   *out)
{
  guint8 sibling[HASH_SIZE];
  guint64 k;

  if (n <= 1)
    return;

  k = ref_split (n);
  if (m < k)
    {
      ref_path (leaves, m, k, out);
      ref_mth (ref_leaf_at (leaves, k), n - k, sibling);
    }
  else
    {
      ref_path (ref_leaf_at (leaves, k), m - k, n - k, out);
      ref_mth (leaves, k, sibling);
    }
  g_byte_array_append (out, sibling, HASH_SIZE);
}

/* SUBPROOF (m, D[n], b), RFC 9162 2.1.4.1. */
static void
ref_subproof (const guint8 *leaves,
              guint64       m,
              guint64       n,
              gboolean      b,
              GByteArray   *out)
{
  guint8 hash[HASH_SIZE];
  guint64 k;

  if (m == n)
    {
      if (!b)
        {
          ref_mth (leaves, n, hash);
          g_byte_array_append (out, hash, HASH_SIZE);
        }
      return;
    }

  k = ref_split (n);
  if (m <= k)
    {
      ref_subproof (leaves, m, k, b, out);
      ref_mth (ref_leaf_at (leaves, k), n - k, hash);
    }
  else
    {
      ref_subproof (ref_leaf_at (leaves, k), m - k, n - k, FALSE, out);
      ref_mth (leaves, k, hash);
    }
  g_byte_array_append (out, hash, HASH_SIZE);
}

/* The root that PATH (m, D[n]) leads to, rebuilt by undoing the recursion
 * above: the last hash is the sibling at the top.  This is a different
 * algorithm from the bit arithmetic of RFC 9162 2.1.3.2 that wa-merkle.c
 * runs, so the two can be compared on any input. */
static gboolean
ref_root_from_path (guint64       m,
                    guint64       n,
                    const guint8 *leaf,
                    const guint8 *proof,
                    gsize         n_proof,
                    guint8       *out)
{
  guint8 sub[HASH_SIZE];
  const guint8 *last;
  guint64 k;

  if (n == 1)
    {
      if (n_proof != 0)
        return FALSE;
      memcpy (out, leaf, HASH_SIZE);
      return TRUE;
    }

  if (n_proof == 0)
    return FALSE;

  k = ref_split (n);
  last = proof + (n_proof - 1) * HASH_SIZE;
  if (m < k)
    {
      if (!ref_root_from_path (m, k, leaf, proof, n_proof - 1, sub))
        return FALSE;
      ref_node (sub, last, out);
    }
  else
    {
      if (!ref_root_from_path (m - k, n - k, leaf, proof, n_proof - 1, sub))
        return FALSE;
      ref_node (last, sub, out);
    }

  return TRUE;
}

static gboolean
ref_verify_inclusion (guint64       index,
                      guint64       size,
                      const guint8 *leaf,
                      const guint8 *proof,
                      gsize         proof_len,
                      const guint8 *root)
{
  guint8 computed[HASH_SIZE];

  if (index >= size || proof_len % HASH_SIZE != 0)
    return FALSE;

  return ref_root_from_path (index, size, leaf, proof, proof_len / HASH_SIZE, computed) &&
         memcmp (computed, root, HASH_SIZE) == 0;
}

/* The old and new roots that SUBPROOF (m, D[n], b) leads to, by undoing
 * its recursion.  Where the old tree is a whole subtree (m == n with b
 * set) its root is the one the verifier already has. */
static gboolean
ref_consistency_roots (guint64       m,
                       guint64       n,
                       gboolean      b,
                       const guint8 *root1,
                       const guint8 *proof,
                       gsize         n_proof,
                       guint8       *old_root,
                       guint8       *new_root)
{
  guint8 sub_old[HASH_SIZE];
  guint8 sub_new[HASH_SIZE];
  const guint8 *last;
  guint64 k;

  if (m == n)
    {
      if (n_proof != (b ? 0 : 1))
        return FALSE;
      memcpy (old_root, b ? root1 : proof, HASH_SIZE);
      memcpy (new_root, old_root, HASH_SIZE);
      return TRUE;
    }

  if (n_proof == 0)
    return FALSE;

  k = ref_split (n);
  last = proof + (n_proof - 1) * HASH_SIZE;
  if (m <= k)
    {
      if (!ref_consistency_roots (m, k, b, root1, proof, n_proof - 1, sub_old, sub_new))
        return FALSE;
      memcpy (old_root, sub_old, HASH_SIZE);
      ref_node (sub_new, last, new_root);
    }
  else
    {
      if (!ref_consistency_roots (m - k, n - k, FALSE, root1, proof, n_proof - 1, sub_old, sub_new))
        return FALSE;
      ref_node (last, sub_old, old_root);
      ref_node (last, sub_new, new_root);
    }

  return TRUE;
}

/* The same edge cases as wa-merkle.h documents. */
static gboolean
ref_verify_consistency (guint64       size1,
                        guint64       size2,
                        const guint8 *root1,
                        const guint8 *root2,
                        const guint8 *proof,
                        gsize         proof_len)
{
  guint8 old_root[HASH_SIZE];
  guint8 new_root[HASH_SIZE];

  if (size1 > size2 || proof_len % HASH_SIZE != 0)
    return FALSE;
  if (size1 == size2)
    return proof_len == 0 && memcmp (root1, root2, HASH_SIZE) == 0;
  if (size1 == 0)
    return FALSE;

  return ref_consistency_roots (size1, size2, TRUE, root1, proof, proof_len / HASH_SIZE,
                                old_root, new_root) &&
         memcmp (old_root, root1, HASH_SIZE) == 0 &&
         memcmp (new_root, root2, HASH_SIZE) == 0;
}

/* Helpers */

/* @n distinct leaf hashes. */
static guint8 *
make_leaves (guint n)
{
  guint8 *leaves = g_malloc ((gsize) MAX (n, 1) * HASH_SIZE);

  for (guint i = 0; i < n; i++)
    {
      g_autofree char *entry = g_strdup_printf ("entry %u", i);

      ref_leaf ((const guint8 *) entry, strlen (entry), leaves + (gsize) i * HASH_SIZE);
    }

  return leaves;
}

static GByteArray *
copy_bytes (const guint8 *data,
            gsize         len)
{
  GByteArray *copy = g_byte_array_sized_new (len);

  g_byte_array_append (copy, data, len);
  return copy;
}

static gboolean
byte_arrays_equal (const GByteArray *a,
                   const GByteArray *b)
{
  return a->len == b->len && (a->len == 0 || memcmp (a->data, b->data, a->len) == 0);
}

static void
flip_hash (const guint8 *hash,
           guint8       *out)
{
  memcpy (out, hash, HASH_SIZE);
  out[HASH_SIZE - 1] ^= 0x80;
}

static guint8 *
hex_member (JsonObject *object,
            const char *member,
            gsize      *len)
{
  g_autoptr(GError) error = NULL;
  guint8 *bytes;

  bytes = wa_hex_decode (json_object_get_string_member (object, member), len, &error);
  g_assert_no_error (error);

  return bytes;
}

static void
assert_hex_equal (const guint8 *actual,
                  const char   *expected_hex)
{
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *expected = NULL;
  gsize expected_len = 0;

  expected = wa_hex_decode (expected_hex, &expected_len, &error);
  g_assert_no_error (error);
  g_assert_cmpmem (actual, HASH_SIZE, expected, expected_len);
}

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

/* The tree of testonly/constants.go, with its leaf hashes, node hashes by
 * level, roots by size and compact ranges by size. */
typedef struct
{
  JsonParser *parser;
  JsonObject *hasher;
  JsonObject *tree;
  guint8      leaves[8 * HASH_SIZE];
} KnownTree;

static void
known_tree_load (KnownTree *known)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "data", "merkle", "rfc6962-hashes.json", NULL);
  JsonObject *root;
  JsonArray *level0;

  known->parser = load_json (path);
  root = json_node_get_object (json_parser_get_root (known->parser));
  known->hasher = json_object_get_object_member (root, "hasher");
  known->tree = json_object_get_object_member (root, "tree");

  level0 = json_array_get_array_element (json_object_get_array_member (known->tree, "nodeHashes"), 0);
  g_assert_cmpuint (json_array_get_length (level0), ==, 8);
  for (guint i = 0; i < 8; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *hash = NULL;
      gsize len = 0;

      hash = wa_hex_decode (json_array_get_string_element (level0, i), &len, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (len, ==, HASH_SIZE);
      memcpy (known->leaves + i * HASH_SIZE, hash, HASH_SIZE);
    }
}

static void
known_tree_clear (KnownTree *known)
{
  g_clear_object (&known->parser);
}

static void
known_tree_root (KnownTree *known,
                 guint64    size,
                 guint8    *out)
{
  JsonArray *roots = json_object_get_array_member (known->tree, "rootHashes");
  g_autoptr(GError) error = NULL;
  g_autofree guint8 *hash = NULL;
  gsize len = 0;

  hash = wa_hex_decode (json_array_get_string_element (roots, size), &len, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (len, ==, HASH_SIZE);
  memcpy (out, hash, HASH_SIZE);
}

/* RFC 6962 known answers */

static void
test_rfc6962_hasher (void)
{
  KnownTree known = { 0 };
  guint8 hash[HASH_SIZE];
  JsonArray *leaves;
  JsonArray *nodes;

  known_tree_load (&known);

  wa_merkle_root (NULL, 0, hash);
  assert_hex_equal (hash, json_object_get_string_member (known.hasher, "emptyRoot"));
  ref_empty_root (hash);
  assert_hex_equal (hash, json_object_get_string_member (known.hasher, "emptyRoot"));

  leaves = json_object_get_array_member (known.hasher, "leaves");
  g_assert_cmpuint (json_array_get_length (leaves), ==, 2);
  for (guint i = 0; i < json_array_get_length (leaves); i++)
    {
      JsonObject *leaf = json_array_get_object_element (leaves, i);
      g_autofree guint8 *input = NULL;
      gsize input_len = 0;

      input = hex_member (leaf, "input", &input_len);
      wa_merkle_leaf_hash (input, input_len, hash);
      assert_hex_equal (hash, json_object_get_string_member (leaf, "hash"));
      ref_leaf (input, input_len, hash);
      assert_hex_equal (hash, json_object_get_string_member (leaf, "hash"));
    }

  /* Upstream's node vector hashes two 4-byte children, which
   * wa_merkle_node_hash() cannot take, so it checks the 0x01 || left ||
   * right construction of the reference here, and the node hashes of the
   * tree below check wa_merkle_node_hash() itself. */
  nodes = json_object_get_array_member (known.hasher, "nodes");
  g_assert_cmpuint (json_array_get_length (nodes), ==, 1);
  for (guint i = 0; i < json_array_get_length (nodes); i++)
    {
      JsonObject *node = json_array_get_object_element (nodes, i);
      g_autofree guint8 *left = NULL;
      g_autofree guint8 *right = NULL;
      gsize left_len = 0;
      gsize right_len = 0;

      left = hex_member (node, "left", &left_len);
      right = hex_member (node, "right", &right_len);
      ref_sha256 (0x01, left, left_len, right, right_len, hash);
      assert_hex_equal (hash, json_object_get_string_member (node, "hash"));
    }

  known_tree_clear (&known);
}

static void
test_rfc6962_tree (void)
{
  KnownTree known = { 0 };
  g_autoptr(WaMerkleFrontier) frontier = wa_merkle_frontier_new ();
  JsonArray *inputs;
  JsonArray *levels;
  JsonArray *compact;
  guint8 hash[HASH_SIZE];

  known_tree_load (&known);
  inputs = json_object_get_array_member (known.tree, "leafInputs");
  levels = json_object_get_array_member (known.tree, "nodeHashes");
  compact = json_object_get_array_member (known.tree, "compactTrees");
  g_assert_cmpuint (json_array_get_length (inputs), ==, 8);
  g_assert_cmpuint (json_array_get_length (levels), ==, 4);
  g_assert_cmpuint (json_array_get_length (compact), ==, 9);

  /* Level 0 is the leaf hashes of the inputs. */
  for (guint i = 0; i < json_array_get_length (inputs); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autofree guint8 *input = NULL;
      gsize input_len = 0;

      input = wa_hex_decode (json_array_get_string_element (inputs, i), &input_len, &error);
      g_assert_no_error (error);
      wa_merkle_leaf_hash (input, input_len, hash);
      g_assert_cmpmem (hash, HASH_SIZE, known.leaves + i * HASH_SIZE, HASH_SIZE);
    }

  /* Each node of the levels above hashes the two below it. */
  for (guint level = 1; level < json_array_get_length (levels); level++)
    {
      JsonArray *below = json_array_get_array_element (levels, level - 1);
      JsonArray *here = json_array_get_array_element (levels, level);

      g_assert_cmpuint (json_array_get_length (below), ==, 2 * json_array_get_length (here));
      for (guint i = 0; i < json_array_get_length (here); i++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree guint8 *left = NULL;
          g_autofree guint8 *right = NULL;
          gsize len = 0;

          left = wa_hex_decode (json_array_get_string_element (below, 2 * i), &len, &error);
          g_assert_no_error (error);
          right = wa_hex_decode (json_array_get_string_element (below, 2 * i + 1), &len, &error);
          g_assert_no_error (error);
          wa_merkle_node_hash (left, right, hash);
          assert_hex_equal (hash, json_array_get_string_element (here, i));
        }
    }

  /* The roots of every prefix, from the leaves at once and from a
   * frontier leaf by leaf, whose serialized nodes are upstream's compact
   * ranges. */
  for (guint size = 0; size <= 8; size++)
    {
      JsonArray *range = json_array_get_array_element (compact, size);
      g_autoptr(GBytes) serialized = NULL;
      g_autoptr(GByteArray) expected = g_byte_array_new ();
      guint64 size_be = GUINT64_TO_BE (size);
      guint8 root[HASH_SIZE];

      if (size > 0)
        wa_merkle_frontier_append (frontier, known.leaves + (size - 1) * HASH_SIZE);

      known_tree_root (&known, size, root);
      wa_merkle_root (known.leaves, size, hash);
      g_assert_cmpmem (hash, HASH_SIZE, root, HASH_SIZE);
      wa_merkle_frontier_get_root (frontier, hash);
      g_assert_cmpmem (hash, HASH_SIZE, root, HASH_SIZE);

      g_byte_array_append (expected, (const guint8 *) &size_be, sizeof size_be);
      for (guint i = 0; i < json_array_get_length (range); i++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree guint8 *node = NULL;
          gsize len = 0;

          node = wa_hex_decode (json_array_get_string_element (range, i), &len, &error);
          g_assert_no_error (error);
          g_byte_array_append (expected, node, len);
        }
      serialized = wa_merkle_frontier_serialize (frontier);
      g_assert_cmpmem (g_bytes_get_data (serialized, NULL), g_bytes_get_size (serialized),
                       expected->data, expected->len);
    }

  known_tree_clear (&known);
}

/* transparency-dev/merkle vectors */

typedef struct
{
  const char *kind;
  guint       files;
  guint       run;
  guint       accepted;
  guint       rejected;
  guint       substituted;
  guint       happy_paths_regenerated;
} VectorCounts;

static int
compare_strings (gconstpointer a,
                 gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

/* Every .json file under @dir, in a stable order.  Anything else there is
 * a mistake in the vendored tree. */
static void
collect_json_files (const char *dir,
                    GPtrArray  *paths)
{
  g_autoptr(GDir) handle = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  const char *name;

  handle = g_dir_open (dir, 0, &error);
  g_assert_no_error (error);
  while ((name = g_dir_read_name (handle)) != NULL)
    g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_strings);

  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *path = g_build_filename (dir, g_ptr_array_index (names, i), NULL);

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        collect_json_files (path, paths);
      else if (g_str_has_suffix (path, ".json"))
        g_ptr_array_add (paths, g_steal_pointer (&path));
      else
        g_error ("Unexpected file %s among the Merkle vectors", path);
    }
}

/* json-glib keeps every integer as a gint64, so upstream's values of 2^63
 * and above (a leafIdx of 0 - 1 in Go's uint64) come back wrapped, and the
 * cast undoes that.  /wa/merkle/vectors/json-integers checks that it does. */
static guint64
uint_member (JsonObject *object,
             const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  g_assert_cmpuint (json_node_get_value_type (node), ==, G_TYPE_INT64);

  return (guint64) json_node_get_int (node);
}

static GBytes *
base64_node (JsonNode *node)
{
  const char *text;
  guint8 *data;
  gsize len = 0;

  /* Go writes a nil []byte as null. */
  if (JSON_NODE_HOLDS_NULL (node))
    return g_bytes_new (NULL, 0);

  text = json_node_get_string (node);
  g_assert_nonnull (text);
  if (*text == '\0')
    return g_bytes_new (NULL, 0);

  data = g_base64_decode (text, &len);
  return g_bytes_new_take (data, len);
}

/* Upstream passes hashes as byte slices of any length; wa-merkle takes
 * 32-byte hashes.  A slice of another length (an empty "garbage" proof
 * element, a "WrongRoot" of 9 bytes) is replaced by SHA-256 (0x02 || kind ||
 * value): 32 bytes that no leaf or node hash can equal, since those start
 * with 0x00 or 0x01, and that equal each other exactly when the values do.
 * Roots and proof hashes (kind 'H') only ever take part in comparisons and
 * in node hashes, so each case keeps its outcome.  Leaf hashes get their
 * own kind 'L', so that an empty leaf and an empty root, which upstream
 * rejects for their length, cannot stand in for each other. */
static void
hash_from_node (JsonNode *node,
                char      kind,
                guint8   *out,
                gboolean *substituted)
{
  g_autoptr(GBytes) value = base64_node (node);
  gsize len = g_bytes_get_size (value);

  if (len == HASH_SIZE)
    {
      memcpy (out, g_bytes_get_data (value, NULL), HASH_SIZE);
      return;
    }

  ref_sha256 (0x02, (const guint8 *) &kind, 1, g_bytes_get_data (value, NULL), len, out);
  *substituted = TRUE;
}

static void
hash_member (JsonObject *object,
             const char *member,
             char        kind,
             guint8     *out,
             gboolean   *substituted)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  hash_from_node (node, kind, out, substituted);
}

static GByteArray *
proof_member (JsonObject *object,
              gboolean   *substituted)
{
  JsonNode *node = json_object_get_member (object, "proof");
  GByteArray *proof = g_byte_array_new ();
  JsonArray *array;

  g_assert_nonnull (node);
  if (JSON_NODE_HOLDS_NULL (node))
    return proof;

  array = json_node_get_array (node);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      guint8 hash[HASH_SIZE];

      hash_from_node (json_array_get_element (array, i), 'H', hash, substituted);
      g_byte_array_append (proof, hash, HASH_SIZE);
    }

  return proof;
}

/* Marks the test failed but goes on, so one run names every failing case. */
static void
check_case (gboolean    passed,
            const char *path,
            JsonObject *object,
            const char *what)
{
  if (passed)
    return;

  g_test_fail_printf ("%s (“%s”, wantErr %s): %s",
                      path,
                      json_object_get_string_member (object, "desc"),
                      json_object_get_boolean_member (object, "wantErr") ? "true" : "false",
                      what);
}

static void
check_outcome (VectorCounts *counts,
               const char   *path,
               JsonObject   *object,
               gboolean      verified,
               gboolean      reference_verified,
               const GError *error)
{
  gboolean want_error = json_object_get_boolean_member (object, "wantErr");

  counts->run++;
  if (verified)
    counts->accepted++;
  else
    counts->rejected++;

  if (want_error)
    {
      check_case (!verified, path, object, "a proof upstream rejects was accepted");
      check_case (error != NULL && error->domain == WA_MERKLE_ERROR, path, object,
                  "the rejection did not come with a WA_MERKLE_ERROR");
    }
  else
    {
      check_case (verified, path, object, error != NULL ? error->message : "a valid proof was rejected");
    }

  check_case (verified == reference_verified, path, object,
              "wa-merkle and the reference implementation disagree");
}

static void
run_inclusion_case (VectorCounts *counts,
                    KnownTree    *known,
                    const char   *path)
{
  g_autoptr(JsonParser) parser = load_json (path);
  JsonObject *object = json_node_get_object (json_parser_get_root (parser));
  g_autoptr(GByteArray) proof = NULL;
  g_autoptr(GError) error = NULL;
  guint8 root[HASH_SIZE];
  guint8 leaf[HASH_SIZE];
  gboolean substituted = FALSE;
  guint64 index;
  guint64 size;
  gboolean verified;
  gboolean reference_verified;

  index = uint_member (object, "leafIdx");
  size = uint_member (object, "treeSize");
  hash_member (object, "root", 'H', root, &substituted);
  hash_member (object, "leafHash", 'L', leaf, &substituted);
  proof = proof_member (object, &substituted);
  if (substituted)
    counts->substituted++;

  verified = wa_merkle_verify_inclusion (index, size, leaf, proof->data, proof->len, root, &error);
  reference_verified = ref_verify_inclusion (index, size, leaf, proof->data, proof->len, root);
  check_outcome (counts, path, object, verified, reference_verified, error);

  /* A valid proof over upstream's tree of eight leaves must be the one
   * wa_merkle_inclusion_proof() makes for it. */
  if (verified && size <= 8 && memcmp (leaf, known->leaves + index * HASH_SIZE, HASH_SIZE) == 0)
    {
      g_autoptr(GByteArray) generated = NULL;
      guint8 known_root[HASH_SIZE];

      known_tree_root (known, size, known_root);
      check_case (memcmp (root, known_root, HASH_SIZE) == 0, path, object, "the root is not upstream's");
      generated = wa_merkle_inclusion_proof (known->leaves, size, index, &error);
      g_assert_no_error (error);
      check_case (byte_arrays_equal (generated, proof), path, object,
                  "wa_merkle_inclusion_proof() made another proof");
      counts->happy_paths_regenerated++;
    }
}

static void
run_consistency_case (VectorCounts *counts,
                      KnownTree    *known,
                      const char   *path)
{
  g_autoptr(JsonParser) parser = load_json (path);
  JsonObject *object = json_node_get_object (json_parser_get_root (parser));
  g_autoptr(GByteArray) proof = NULL;
  g_autoptr(GError) error = NULL;
  guint8 root1[HASH_SIZE];
  guint8 root2[HASH_SIZE];
  gboolean substituted = FALSE;
  guint64 size1;
  guint64 size2;
  gboolean verified;
  gboolean reference_verified;

  size1 = uint_member (object, "size1");
  size2 = uint_member (object, "size2");
  hash_member (object, "root1", 'H', root1, &substituted);
  hash_member (object, "root2", 'H', root2, &substituted);
  proof = proof_member (object, &substituted);
  if (substituted)
    counts->substituted++;

  verified = wa_merkle_verify_consistency (size1, size2, root1, root2, proof->data, proof->len, &error);
  reference_verified = ref_verify_consistency (size1, size2, root1, root2, proof->data, proof->len);
  check_outcome (counts, path, object, verified, reference_verified, error);

  /* A valid proof between roots of upstream's tree of eight leaves must be
   * the one wa_merkle_consistency_proof() makes for it. */
  if (verified && size1 > 0 && size2 <= 8)
    {
      g_autoptr(GByteArray) generated = NULL;
      guint8 known_root1[HASH_SIZE];
      guint8 known_root2[HASH_SIZE];

      known_tree_root (known, size1, known_root1);
      known_tree_root (known, size2, known_root2);
      if (memcmp (root1, known_root1, HASH_SIZE) != 0 || memcmp (root2, known_root2, HASH_SIZE) != 0)
        return;

      generated = wa_merkle_consistency_proof (known->leaves, size1, size2, &error);
      g_assert_no_error (error);
      check_case (byte_arrays_equal (generated, proof), path, object,
                  "wa_merkle_consistency_proof() made another proof");
      counts->happy_paths_regenerated++;
    }
}

static void
run_vector_directory (const char   *kind,
                      VectorCounts *counts)
{
  g_autofree char *dir = g_test_build_filename (G_TEST_DIST, "data", "merkle", kind, NULL);
  g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
  KnownTree known = { 0 };

  known_tree_load (&known);
  counts->kind = kind;
  collect_json_files (dir, paths);
  counts->files = paths->len;

  for (guint i = 0; i < paths->len; i++)
    {
      const char *path = g_ptr_array_index (paths, i);

      if (g_str_equal (kind, "inclusion"))
        run_inclusion_case (counts, &known, path);
      else
        run_consistency_case (counts, &known, path);
    }

  g_test_message ("%s: %u files, %u cases run, %u accepted, %u rejected, %u with a value that is not a "
                  "32-byte hash, %u valid proofs regenerated",
                  kind, counts->files, counts->run, counts->accepted, counts->rejected,
                  counts->substituted, counts->happy_paths_regenerated);
  g_assert_cmpuint (counts->run, ==, counts->files);

  known_tree_clear (&known);
}

static void
test_vectors_json_integers (void)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;

  json_parser_load_from_data (parser, "{\"max\": 18446744073709551615, \"top\": 9223372036854775808, \"one\": 1}",
                              -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpuint (uint_member (object, "max"), ==, G_MAXUINT64);
  g_assert_cmpuint (uint_member (object, "top"), ==, G_GUINT64_CONSTANT (1) << 63);
  g_assert_cmpuint (uint_member (object, "one"), ==, 1);
}

static void
test_vectors_inclusion (void)
{
  VectorCounts counts = { 0 };

  run_vector_directory ("inclusion", &counts);
  g_assert_cmpuint (counts.files, ==, N_INCLUSION_FILES);
  g_assert_cmpuint (counts.accepted, ==, N_INCLUSION_ACCEPTED);
  g_assert_cmpuint (counts.rejected, ==, N_INCLUSION_FILES - N_INCLUSION_ACCEPTED);
  g_assert_cmpuint (counts.happy_paths_regenerated, ==, N_HAPPY_PATHS_PER_KIND);
}

static void
test_vectors_consistency (void)
{
  VectorCounts counts = { 0 };

  run_vector_directory ("consistency", &counts);
  g_assert_cmpuint (counts.files, ==, N_CONSISTENCY_FILES);
  g_assert_cmpuint (counts.accepted, ==, N_CONSISTENCY_ACCEPTED);
  g_assert_cmpuint (counts.rejected, ==, N_CONSISTENCY_FILES - N_CONSISTENCY_ACCEPTED);
  g_assert_cmpuint (counts.happy_paths_regenerated, ==, N_HAPPY_PATHS_PER_KIND);
}

/* Hashing */

static void
test_leaf_hash_lengths (void)
{
  /* Around SHA-256's block and padding sizes, and around the lengths where
   * wa_merkle_leaf_hash() changes strategy. */
  static const gsize lengths[] = {
    0, 1, 54, 55, 56, 63, 64, 119, 120, 4094, 4095, 4096, 4097,
    1024 * 1024 - 1, 1024 * 1024, 1024 * 1024 + 1, 3 * 1024 * 1024 + 7,
  };
  gsize max_len = lengths[G_N_ELEMENTS (lengths) - 1];
  g_autofree guint8 *data = g_malloc (max_len);

  for (gsize i = 0; i < max_len; i++)
    data[i] = (guint8) (i * 131 + 7);

  for (guint i = 0; i < G_N_ELEMENTS (lengths); i++)
    {
      guint8 expected[HASH_SIZE];
      guint8 actual[HASH_SIZE];

      ref_leaf (data, lengths[i], expected);
      wa_merkle_leaf_hash (data, lengths[i], actual);
      g_assert_cmpmem (actual, HASH_SIZE, expected, HASH_SIZE);
    }

  {
    guint8 expected[HASH_SIZE];
    guint8 actual[HASH_SIZE];

    ref_leaf (NULL, 0, expected);
    wa_merkle_leaf_hash (NULL, 0, actual);
    g_assert_cmpmem (actual, HASH_SIZE, expected, HASH_SIZE);
  }
}

static void
test_hash_domains (void)
{
  g_autofree guint8 *leaves = make_leaves (2);
  guint8 node[HASH_SIZE];
  guint8 leaf_of_pair[HASH_SIZE];
  guint8 swapped[HASH_SIZE];
  guint8 expected[HASH_SIZE];
  guint8 aliased[2 * HASH_SIZE];

  /* A node is not the leaf of its children's concatenation, and the order
   * of the children matters. */
  wa_merkle_node_hash (leaves, leaves + HASH_SIZE, node);
  ref_node (leaves, leaves + HASH_SIZE, expected);
  g_assert_cmpmem (node, HASH_SIZE, expected, HASH_SIZE);
  wa_merkle_leaf_hash (leaves, 2 * HASH_SIZE, leaf_of_pair);
  g_assert_true (memcmp (node, leaf_of_pair, HASH_SIZE) != 0);
  wa_merkle_node_hash (leaves + HASH_SIZE, leaves, swapped);
  g_assert_true (memcmp (node, swapped, HASH_SIZE) != 0);

  /* The output may be either input. */
  memcpy (aliased, leaves, 2 * HASH_SIZE);
  wa_merkle_node_hash (aliased, aliased + HASH_SIZE, aliased);
  g_assert_cmpmem (aliased, HASH_SIZE, expected, HASH_SIZE);
  memcpy (aliased, leaves, 2 * HASH_SIZE);
  wa_merkle_node_hash (aliased, aliased + HASH_SIZE, aliased + HASH_SIZE);
  g_assert_cmpmem (aliased + HASH_SIZE, HASH_SIZE, expected, HASH_SIZE);
}

static void
test_root_reference (void)
{
  g_autofree guint8 *leaves = make_leaves (130);

  for (guint n = 0; n <= 130; n++)
    {
      guint8 expected[HASH_SIZE];
      guint8 actual[HASH_SIZE];

      ref_mth (leaves, n, expected);
      wa_merkle_root (n > 0 ? leaves : NULL, n, actual);
      g_assert_cmpmem (actual, HASH_SIZE, expected, HASH_SIZE);
    }
}

/* Generated proofs */

static void
assert_inclusion_fails (guint64       index,
                        guint64       size,
                        const guint8 *leaf,
                        const guint8 *proof,
                        gsize         proof_len,
                        const guint8 *root,
                        WaMerkleError code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (wa_merkle_verify_inclusion (index, size, leaf, proof, proof_len, root, &error));
  g_assert_error (error, WA_MERKLE_ERROR, code);
  g_assert_false (ref_verify_inclusion (index, size, leaf, proof, proof_len, root));
}

static void
assert_consistency_fails (guint64       size1,
                          guint64       size2,
                          const guint8 *root1,
                          const guint8 *root2,
                          const guint8 *proof,
                          gsize         proof_len,
                          WaMerkleError code)
{
  g_autoptr(GError) error = NULL;

  g_assert_false (wa_merkle_verify_consistency (size1, size2, root1, root2, proof, proof_len, &error));
  g_assert_error (error, WA_MERKLE_ERROR, code);
  g_assert_false (ref_verify_consistency (size1, size2, root1, root2, proof, proof_len));
}

/* A proof checked against another size may still verify when that size
 * calls for exactly the same hashing steps: the proof for leaf 0 of 5
 * leaves is also a proof for leaf 0 of 6, 7 or 8, and a consistency proof
 * from 6 to 8 leaves is also one from 6 to 7.  A proof does not commit to
 * the size; the signed root it is checked against does.  So wa-merkle must
 * give the reference's answer, which only accepts those, and the callers
 * below require a rejection for the changes that can never keep the steps
 * the same. */
static guint
check_inclusion_claim (guint64       index,
                       guint64       size,
                       const guint8 *leaf,
                       GByteArray   *proof,
                       const guint8 *root)
{
  g_autoptr(GError) error = NULL;
  gboolean verified;
  gboolean expected;

  verified = wa_merkle_verify_inclusion (index, size, leaf, proof->data, proof->len, root, &error);
  expected = ref_verify_inclusion (index, size, leaf, proof->data, proof->len, root);
  g_assert_cmpint (verified, ==, expected);
  if (!verified)
    g_assert_true (error != NULL && error->domain == WA_MERKLE_ERROR);

  return verified ? 1 : 0;
}

static guint
check_consistency_claim (guint64       size1,
                         guint64       size2,
                         const guint8 *root1,
                         const guint8 *root2,
                         GByteArray   *proof)
{
  g_autoptr(GError) error = NULL;
  gboolean verified;
  gboolean expected;

  verified = wa_merkle_verify_consistency (size1, size2, root1, root2, proof->data, proof->len, &error);
  expected = ref_verify_consistency (size1, size2, root1, root2, proof->data, proof->len);
  g_assert_cmpint (verified, ==, expected);
  if (!verified)
    g_assert_true (error != NULL && error->domain == WA_MERKLE_ERROR);

  return verified ? 1 : 0;
}

static void
test_inclusion_generated (void)
{
  const guint max_size = 64;
  g_autofree guint8 *leaves = make_leaves (max_size);
  guint n_proofs = 0;
  guint n_corrupted = 0;
  guint n_other_claims = 0;
  guint n_other_claims_accepted = 0;

  for (guint64 size = 1; size <= max_size; size++)
    {
      guint8 root[HASH_SIZE];

      ref_mth (leaves, size, root);

      for (guint64 index = 0; index < size; index++)
        {
          const guint8 *leaf = leaves + index * HASH_SIZE;
          g_autoptr(GByteArray) proof = NULL;
          g_autoptr(GByteArray) expected = g_byte_array_new ();
          g_autoptr(GByteArray) longer = NULL;
          g_autoptr(GError) error = NULL;
          guint8 other[HASH_SIZE];
          const guint64 wrong_sizes[] = { size * 2, size / 2 };
          const guint64 other_sizes[] = { size - 1, size + 1, size + 2 };

          proof = wa_merkle_inclusion_proof (leaves, size, index, &error);
          g_assert_no_error (error);
          ref_path (leaves, index, size, expected);
          g_assert_cmpmem (proof->data, proof->len, expected->data, expected->len);

          g_assert_true (wa_merkle_verify_inclusion (index, size, leaf, proof->data, proof->len, root, &error));
          g_assert_no_error (error);
          g_assert_true (ref_verify_inclusion (index, size, leaf, proof->data, proof->len, root));
          n_proofs++;

          /* One bit changed anywhere in the proof. */
          for (guint i = 0; i < proof->len; i++)
            {
              g_autoptr(GByteArray) corrupt = copy_bytes (proof->data, proof->len);

              corrupt->data[i] ^= 1 << (i % 8);
              assert_inclusion_fails (index, size, leaf, corrupt->data, corrupt->len, root,
                                      WA_MERKLE_ERROR_ROOT_MISMATCH);
              n_corrupted++;
            }

          /* A hash missing at either end, or one too many. */
          if (proof->len > 0)
            {
              assert_inclusion_fails (index, size, leaf, proof->data, proof->len - HASH_SIZE, root,
                                      WA_MERKLE_ERROR_PROOF_SIZE);
              assert_inclusion_fails (index, size, leaf, proof->data + HASH_SIZE, proof->len - HASH_SIZE, root,
                                      WA_MERKLE_ERROR_PROOF_SIZE);
              assert_inclusion_fails (index, size, leaf, proof->data, proof->len - 1, root,
                                      WA_MERKLE_ERROR_PROOF_SIZE);
            }
          longer = copy_bytes (proof->data, proof->len);
          g_byte_array_append (longer, root, HASH_SIZE);
          assert_inclusion_fails (index, size, leaf, longer->data, longer->len, root, WA_MERKLE_ERROR_PROOF_SIZE);
          g_byte_array_prepend (longer, leaf, HASH_SIZE);
          g_byte_array_remove_range (longer, longer->len - HASH_SIZE, HASH_SIZE);
          assert_inclusion_fails (index, size, leaf, longer->data, longer->len, root, WA_MERKLE_ERROR_PROOF_SIZE);
          g_byte_array_append (longer, (const guint8 *) "", 1);
          assert_inclusion_fails (index, size, leaf, longer->data, proof->len + 1, root,
                                  WA_MERKLE_ERROR_PROOF_SIZE);

          /* Another leaf or another root. */
          flip_hash (leaf, other);
          assert_inclusion_fails (index, size, other, proof->data, proof->len, root, WA_MERKLE_ERROR_ROOT_MISMATCH);
          if (size > 1)
            assert_inclusion_fails (index, size, leaves + ((index + 1) % size) * HASH_SIZE,
                                    proof->data, proof->len, root, WA_MERKLE_ERROR_ROOT_MISMATCH);
          flip_hash (root, other);
          assert_inclusion_fails (index, size, leaf, proof->data, proof->len, other, WA_MERKLE_ERROR_ROOT_MISMATCH);

          /* Outside the tree. */
          assert_inclusion_fails (size, size, leaf, proof->data, proof->len, root, WA_MERKLE_ERROR_INVALID_ARGUMENT);
          assert_inclusion_fails (index, index, leaf, proof->data, proof->len, root,
                                  WA_MERKLE_ERROR_INVALID_ARGUMENT);
          assert_inclusion_fails (G_MAXUINT64, size, leaf, proof->data, proof->len, root,
                                  WA_MERKLE_ERROR_INVALID_ARGUMENT);

          /* Every other index fails: within one tree, no two leaves share
           * a path. */
          for (guint64 other_index = 0; other_index < size; other_index++)
            {
              if (other_index == index)
                continue;
              g_assert_cmpuint (check_inclusion_claim (other_index, size, leaf, proof, root), ==, 0);
            }

          /* Doubling or halving the size always changes the path. */
          for (guint i = 0; i < G_N_ELEMENTS (wrong_sizes); i++)
            g_assert_cmpuint (check_inclusion_claim (index, wrong_sizes[i], leaf, proof, root), ==, 0);

          for (guint i = 0; i < G_N_ELEMENTS (other_sizes); i++)
            {
              n_other_claims++;
              n_other_claims_accepted += check_inclusion_claim (index, other_sizes[i], leaf, proof, root);
            }
        }
    }

  g_test_message ("%u inclusion proofs, %u with one bit changed; against a size one or two off, "
                  "%u of %u take the same hashing steps and verify, as the reference says they do",
                  n_proofs, n_corrupted, n_other_claims_accepted, n_other_claims);
  g_assert_cmpuint (n_proofs, ==, max_size * (max_size + 1) / 2);
}

static void
test_consistency_generated (void)
{
  const guint max_size = 64;
  g_autofree guint8 *leaves = make_leaves (max_size);
  guint8 roots[65][HASH_SIZE];
  guint n_proofs = 0;
  guint n_corrupted = 0;
  guint n_other_claims = 0;
  guint n_other_claims_accepted = 0;

  for (guint64 size = 0; size <= max_size; size++)
    ref_mth (leaves, size, roots[size]);

  for (guint64 size2 = 1; size2 <= max_size; size2++)
    {
      for (guint64 size1 = 1; size1 <= size2; size1++)
        {
          const guint8 *root1 = roots[size1];
          const guint8 *root2 = roots[size2];
          g_autoptr(GByteArray) proof = NULL;
          g_autoptr(GByteArray) expected = g_byte_array_new ();
          g_autoptr(GByteArray) longer = NULL;
          g_autoptr(GError) error = NULL;
          guint8 other[HASH_SIZE];
          const guint64 wrong_sizes[][2] = {
            { size1 - 1, size2 }, { size1 + 1, size2 }, { size1 ^ 2, size2 }, { size1, size2 * 2 },
            { size2, size1 },
          };
          const guint64 other_sizes[][2] = { { size1, size2 - 1 }, { size1, size2 + 1 } };

          proof = wa_merkle_consistency_proof (leaves, size1, size2, &error);
          g_assert_no_error (error);
          if (size1 < size2)
            ref_subproof (leaves, size1, size2, TRUE, expected);
          g_assert_cmpmem (proof->data, proof->len, expected->data, expected->len);

          g_assert_true (wa_merkle_verify_consistency (size1, size2, root1, root2, proof->data, proof->len,
                                                       &error));
          g_assert_no_error (error);
          g_assert_true (ref_verify_consistency (size1, size2, root1, root2, proof->data, proof->len));
          n_proofs++;

          for (guint i = 0; i < proof->len; i++)
            {
              g_autoptr(GByteArray) corrupt = copy_bytes (proof->data, proof->len);

              corrupt->data[i] ^= 1 << (i % 8);
              assert_consistency_fails (size1, size2, root1, root2, corrupt->data, corrupt->len,
                                        WA_MERKLE_ERROR_ROOT_MISMATCH);
              n_corrupted++;
            }

          if (proof->len > 0)
            {
              assert_consistency_fails (size1, size2, root1, root2, proof->data, proof->len - HASH_SIZE,
                                        WA_MERKLE_ERROR_PROOF_SIZE);
              assert_consistency_fails (size1, size2, root1, root2, proof->data + HASH_SIZE,
                                        proof->len - HASH_SIZE, WA_MERKLE_ERROR_PROOF_SIZE);
              assert_consistency_fails (size1, size2, root1, root2, proof->data, proof->len - 1,
                                        WA_MERKLE_ERROR_PROOF_SIZE);
              assert_consistency_fails (size1, size2, root1, root2, NULL, 0, WA_MERKLE_ERROR_PROOF_SIZE);
            }
          longer = copy_bytes (proof->data, proof->len);
          g_byte_array_append (longer, root2, HASH_SIZE);
          assert_consistency_fails (size1, size2, root1, root2, longer->data, longer->len,
                                    WA_MERKLE_ERROR_PROOF_SIZE);
          g_byte_array_prepend (longer, root1, HASH_SIZE);
          g_byte_array_remove_range (longer, longer->len - HASH_SIZE, HASH_SIZE);
          assert_consistency_fails (size1, size2, root1, root2, longer->data, longer->len,
                                    WA_MERKLE_ERROR_PROOF_SIZE);
          g_byte_array_append (longer, (const guint8 *) "", 1);
          assert_consistency_fails (size1, size2, root1, root2, longer->data, proof->len + 1,
                                    WA_MERKLE_ERROR_PROOF_SIZE);

          /* Other roots. */
          flip_hash (root1, other);
          assert_consistency_fails (size1, size2, other, root2, proof->data, proof->len,
                                    WA_MERKLE_ERROR_ROOT_MISMATCH);
          flip_hash (root2, other);
          assert_consistency_fails (size1, size2, root1, other, proof->data, proof->len,
                                    WA_MERKLE_ERROR_ROOT_MISMATCH);
          if (size1 != size2)
            assert_consistency_fails (size1, size2, root2, root1, proof->data, proof->len,
                                      WA_MERKLE_ERROR_ROOT_MISMATCH);

          /* The older tree last, or empty. */
          if (size1 != size2)
            assert_consistency_fails (size2, size1, root1, root2, proof->data, proof->len,
                                      WA_MERKLE_ERROR_INVALID_ARGUMENT);
          assert_consistency_fails (0, size2, root1, root2, proof->data, proof->len,
                                    WA_MERKLE_ERROR_INVALID_ARGUMENT);

          /* Any other older size, or a doubled newer one, changes the
           * hashing steps. */
          for (guint i = 0; i < G_N_ELEMENTS (wrong_sizes); i++)
            {
              if (wrong_sizes[i][0] == size1 && wrong_sizes[i][1] == size2)
                continue;
              g_assert_cmpuint (check_consistency_claim (wrong_sizes[i][0], wrong_sizes[i][1],
                                                         root1, root2, proof), ==, 0);
            }

          for (guint i = 0; i < G_N_ELEMENTS (other_sizes); i++)
            {
              n_other_claims++;
              n_other_claims_accepted += check_consistency_claim (other_sizes[i][0], other_sizes[i][1],
                                                                  root1, root2, proof);
            }
        }
    }

  g_test_message ("%u consistency proofs, %u with one bit changed; against a newer size one off, "
                  "%u of %u take the same hashing steps and verify, as the reference says they do",
                  n_proofs, n_corrupted, n_other_claims_accepted, n_other_claims);
  g_assert_cmpuint (n_proofs, ==, max_size * (max_size + 1) / 2);
}

static void
test_argument_errors (void)
{
  g_autofree guint8 *leaves = make_leaves (8);
  g_autoptr(GError) error = NULL;
  g_autoptr(GByteArray) proof = NULL;
  guint8 root[HASH_SIZE];
  guint8 other[HASH_SIZE];
  guint8 many[70 * HASH_SIZE] = { 0 };

  ref_mth (leaves, 8, root);
  flip_hash (root, other);

  /* Generators. */
  proof = wa_merkle_inclusion_proof (leaves, 8, 8, &error);
  g_assert_null (proof);
  g_assert_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  proof = wa_merkle_inclusion_proof (NULL, 0, 0, &error);
  g_assert_null (proof);
  g_assert_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  proof = wa_merkle_consistency_proof (leaves, 5, 4, &error);
  g_assert_null (proof);
  g_assert_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  proof = wa_merkle_consistency_proof (leaves, 0, 8, &error);
  g_assert_null (proof);
  g_assert_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  proof = wa_merkle_consistency_proof (NULL, 0, 0, &error);
  g_assert_null (proof);
  g_assert_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_INVALID_ARGUMENT);
  g_clear_error (&error);
  proof = wa_merkle_consistency_proof (leaves, 8, 8, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (proof->len, ==, 0);
  g_clear_pointer (&proof, g_byte_array_unref);

  /* An empty tree has no inclusion proofs. */
  assert_inclusion_fails (0, 0, leaves, NULL, 0, root, WA_MERKLE_ERROR_INVALID_ARGUMENT);

  /* Equal sizes, including the empty tree. */
  g_assert_true (wa_merkle_verify_consistency (0, 0, root, root, NULL, 0, &error));
  g_assert_no_error (error);
  g_assert_true (wa_merkle_verify_consistency (8, 8, root, root, NULL, 0, &error));
  g_assert_no_error (error);
  assert_consistency_fails (0, 0, root, other, NULL, 0, WA_MERKLE_ERROR_ROOT_MISMATCH);
  assert_consistency_fails (8, 8, root, other, NULL, 0, WA_MERKLE_ERROR_ROOT_MISMATCH);
  assert_consistency_fails (8, 8, root, root, root, HASH_SIZE, WA_MERKLE_ERROR_PROOF_SIZE);
  assert_consistency_fails (0, 0, root, root, root, HASH_SIZE, WA_MERKLE_ERROR_PROOF_SIZE);
  assert_consistency_fails (8, 8, root, root, root, 1, WA_MERKLE_ERROR_PROOF_SIZE);

  /* Consistency from the empty tree proves nothing. */
  assert_consistency_fails (0, 1, root, root, NULL, 0, WA_MERKLE_ERROR_INVALID_ARGUMENT);
  assert_consistency_fails (0, 8, root, root, root, HASH_SIZE, WA_MERKLE_ERROR_INVALID_ARGUMENT);
  assert_consistency_fails (9, 8, root, root, NULL, 0, WA_MERKLE_ERROR_INVALID_ARGUMENT);

  /* The largest sizes: wrong proof lengths are refused before any hashing,
   * and the arithmetic does not overflow. */
  assert_inclusion_fails (G_MAXUINT64 - 1, G_MAXUINT64, leaves, NULL, 0, root, WA_MERKLE_ERROR_PROOF_SIZE);
  assert_inclusion_fails (0, G_MAXUINT64, leaves, many, sizeof many, root, WA_MERKLE_ERROR_PROOF_SIZE);
  assert_inclusion_fails (0, G_MAXUINT64, leaves, many, 64 * HASH_SIZE, root, WA_MERKLE_ERROR_ROOT_MISMATCH);
  assert_inclusion_fails (G_MAXUINT64 - 1, G_MAXUINT64, leaves, many, 64 * HASH_SIZE, root,
                          WA_MERKLE_ERROR_PROOF_SIZE);
  assert_inclusion_fails (G_MAXUINT64 - 1, G_MAXUINT64, leaves, many, 63 * HASH_SIZE, root,
                          WA_MERKLE_ERROR_ROOT_MISMATCH);
  assert_consistency_fails (1, G_MAXUINT64, root, other, NULL, 0, WA_MERKLE_ERROR_PROOF_SIZE);
  assert_consistency_fails (G_MAXUINT64 - 1, G_MAXUINT64, root, other, many, sizeof many,
                            WA_MERKLE_ERROR_PROOF_SIZE);
  assert_consistency_fails (G_MAXUINT64 - 1, G_MAXUINT64, root, other, many, 64 * HASH_SIZE,
                            WA_MERKLE_ERROR_ROOT_MISMATCH);
  assert_consistency_fails (G_GUINT64_CONSTANT (1) << 63, G_MAXUINT64, root, other, many, 63 * HASH_SIZE,
                            WA_MERKLE_ERROR_PROOF_SIZE);
  assert_consistency_fails (G_GUINT64_CONSTANT (1) << 63, G_MAXUINT64, root, other, many, HASH_SIZE,
                            WA_MERKLE_ERROR_ROOT_MISMATCH);
}

/* Frontier */

static void
assert_frontier_root (const WaMerkleFrontier *frontier,
                      const guint8           *expected)
{
  guint8 root[HASH_SIZE];

  wa_merkle_frontier_get_root (frontier, root);
  g_assert_cmpmem (root, HASH_SIZE, expected, HASH_SIZE);
}

static void
test_frontier_incremental (void)
{
  const guint max_size = 300;
  g_autofree guint8 *leaves = make_leaves (max_size);
  g_autoptr(WaMerkleFrontier) frontier = wa_merkle_frontier_new ();
  guint8 expected[HASH_SIZE];

  g_assert_cmpuint (wa_merkle_frontier_get_size (frontier), ==, 0);
  ref_empty_root (expected);
  assert_frontier_root (frontier, expected);

  for (guint n = 0; n <= max_size; n++)
    {
      g_autoptr(WaMerkleFrontier) restored = NULL;
      g_autoptr(WaMerkleFrontier) copy = NULL;
      g_autoptr(GBytes) serialized = NULL;
      g_autoptr(GBytes) reserialized = NULL;
      g_autoptr(GError) error = NULL;
      const guint8 *data;
      guint64 size_be;
      gsize len;

      if (n > 0)
        wa_merkle_frontier_append (frontier, leaves + (gsize) (n - 1) * HASH_SIZE);
      g_assert_cmpuint (wa_merkle_frontier_get_size (frontier), ==, n);

      wa_merkle_root (leaves, n, expected);
      assert_frontier_root (frontier, expected);

      /* The documented form: the size, then one hash per bit set in it. */
      serialized = wa_merkle_frontier_serialize (frontier);
      data = g_bytes_get_data (serialized, &len);
      g_assert_cmpuint (len, ==, 8 + (gsize) __builtin_popcount (n) * HASH_SIZE);
      memcpy (&size_be, data, sizeof size_be);
      g_assert_cmpuint (GUINT64_FROM_BE (size_be), ==, n);

      restored = wa_merkle_frontier_deserialize (serialized, &error);
      g_assert_no_error (error);
      g_assert_cmpuint (wa_merkle_frontier_get_size (restored), ==, n);
      assert_frontier_root (restored, expected);
      reserialized = wa_merkle_frontier_serialize (restored);
      g_assert_true (g_bytes_equal (serialized, reserialized));

      /* A restored frontier goes on as the original would. */
      if (n < max_size)
        {
          guint8 next[HASH_SIZE];

          wa_merkle_frontier_append (restored, leaves + (gsize) n * HASH_SIZE);
          ref_mth (leaves, n + 1, next);
          assert_frontier_root (restored, next);
        }

      /* A copy is independent of the original. */
      copy = wa_merkle_frontier_copy (frontier);
      assert_frontier_root (copy, expected);
      wa_merkle_frontier_append (copy, leaves);
      g_assert_cmpuint (wa_merkle_frontier_get_size (copy), ==, n + 1);
      g_assert_cmpuint (wa_merkle_frontier_get_size (frontier), ==, n);
      assert_frontier_root (frontier, expected);
    }
}

static void
assert_deserialize_fails (const guint8 *data,
                          gsize         len)
{
  g_autoptr(GBytes) bytes = g_bytes_new (data, len);
  g_autoptr(WaMerkleFrontier) frontier = NULL;
  g_autoptr(GError) error = NULL;

  frontier = wa_merkle_frontier_deserialize (bytes, &error);
  g_assert_null (frontier);
  g_assert_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_MALFORMED);
}

static void
test_frontier_malformed (void)
{
  g_autofree guint8 *leaves = make_leaves (6);
  g_autoptr(WaMerkleFrontier) frontier = wa_merkle_frontier_new ();
  g_autoptr(WaMerkleFrontier) empty = NULL;
  g_autoptr(GBytes) serialized = NULL;
  g_autoptr(GBytes) zeros = NULL;
  g_autoptr(GByteArray) edited = NULL;
  g_autoptr(GError) error = NULL;
  const guint8 *data;
  gsize len;
  guint8 root[HASH_SIZE];

  for (guint i = 0; i < 6; i++)
    wa_merkle_frontier_append (frontier, leaves + i * HASH_SIZE);
  serialized = wa_merkle_frontier_serialize (frontier);
  data = g_bytes_get_data (serialized, &len);
  g_assert_cmpuint (len, ==, 8 + 2 * HASH_SIZE);

  assert_deserialize_fails (data, len - 1);
  assert_deserialize_fails (data, len - HASH_SIZE);
  assert_deserialize_fails (data, 7);
  assert_deserialize_fails (data, 0);

  edited = copy_bytes (data, len);
  g_byte_array_append (edited, data + 8, 1);
  assert_deserialize_fails (edited->data, edited->len);

  /* A size whose bit count asks for another number of hashes. */
  g_byte_array_set_size (edited, len);
  edited->data[7] = 7;
  assert_deserialize_fails (edited->data, edited->len);
  edited->data[7] = 8;
  assert_deserialize_fails (edited->data, edited->len);
  edited->data[7] = 6;
  edited->data[0] = 0x80;
  assert_deserialize_fails (edited->data, edited->len);

  /* Eight zero bytes are the empty tree. */
  zeros = g_bytes_new_static ("\0\0\0\0\0\0\0\0", 8);
  empty = wa_merkle_frontier_deserialize (zeros, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wa_merkle_frontier_get_size (empty), ==, 0);
  ref_empty_root (root);
  assert_frontier_root (empty, root);
}

static void
test_frontier_full (void)
{
  g_autoptr(GByteArray) data = g_byte_array_new ();
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(WaMerkleFrontier) frontier = NULL;
  g_autoptr(WaMerkleFrontier) boxed = NULL;
  g_autoptr(GError) error = NULL;
  guint64 size_be = GUINT64_TO_BE (G_MAXUINT64);
  g_autofree guint8 *nodes = make_leaves (64);
  guint8 before[HASH_SIZE];
  guint8 expected[HASH_SIZE];

  /* The largest tree there can be: 64 subtree roots. */
  g_byte_array_append (data, (const guint8 *) &size_be, sizeof size_be);
  g_byte_array_append (data, nodes, 64 * HASH_SIZE);
  bytes = g_byte_array_free_to_bytes (g_steal_pointer (&data));
  frontier = wa_merkle_frontier_deserialize (bytes, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (wa_merkle_frontier_get_size (frontier), ==, G_MAXUINT64);

  memcpy (expected, nodes + 63 * HASH_SIZE, HASH_SIZE);
  for (guint j = 63; j > 0; j--)
    ref_node (nodes + (j - 1) * HASH_SIZE, expected, expected);
  wa_merkle_frontier_get_root (frontier, before);
  g_assert_cmpmem (before, HASH_SIZE, expected, HASH_SIZE);

  /* It cannot grow. */
  g_test_expect_message ("wa-merkle", G_LOG_LEVEL_CRITICAL, "*size < G_MAXUINT64*");
  wa_merkle_frontier_append (frontier, nodes);
  g_test_assert_expected_messages ();
  g_assert_cmpuint (wa_merkle_frontier_get_size (frontier), ==, G_MAXUINT64);
  assert_frontier_root (frontier, before);

  /* The boxed type copies. */
  boxed = g_boxed_copy (WA_TYPE_MERKLE_FRONTIER, frontier);
  g_assert_cmpuint (wa_merkle_frontier_get_size (boxed), ==, G_MAXUINT64);
  assert_frontier_root (boxed, before);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_assert_cmpint (sodium_init (), >=, 0);

  g_test_add_func ("/wa/merkle/rfc6962/hasher", test_rfc6962_hasher);
  g_test_add_func ("/wa/merkle/rfc6962/tree", test_rfc6962_tree);
  g_test_add_func ("/wa/merkle/vectors/json-integers", test_vectors_json_integers);
  g_test_add_func ("/wa/merkle/vectors/inclusion", test_vectors_inclusion);
  g_test_add_func ("/wa/merkle/vectors/consistency", test_vectors_consistency);
  g_test_add_func ("/wa/merkle/hash/leaf-lengths", test_leaf_hash_lengths);
  g_test_add_func ("/wa/merkle/hash/domains", test_hash_domains);
  g_test_add_func ("/wa/merkle/root/reference", test_root_reference);
  g_test_add_func ("/wa/merkle/inclusion/generated", test_inclusion_generated);
  g_test_add_func ("/wa/merkle/consistency/generated", test_consistency_generated);
  g_test_add_func ("/wa/merkle/arguments", test_argument_errors);
  g_test_add_func ("/wa/merkle/frontier/incremental", test_frontier_incremental);
  g_test_add_func ("/wa/merkle/frontier/malformed", test_frontier_malformed);
  g_test_add_func ("/wa/merkle/frontier/full", test_frontier_full);

  return g_test_run ();
}
