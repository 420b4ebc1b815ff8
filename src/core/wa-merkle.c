/* wa-merkle.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-merkle"

#include "config.h"

#include <string.h>
#include <sodium.h>

#include "wa-merkle.h"
#include "wa-sha256.h"

#define HASH_SIZE WA_MERKLE_HASH_SIZE

/* A tree has at most 2^64 - 1 leaves, so a path from a leaf to the root, or
 * a frontier, holds at most 64 hashes. */
#define MAX_LEVELS 64

/* Leaf entries shorter than this are hashed from a copy on the stack, and
 * entries up to LEAF_COPY_MAX from a copy on the heap, so that the 0x00
 * prefix and the entry go through wa_sha256() in one call, on the
 * processor's SHA instructions where it has them.  Longer entries are
 * streamed through libsodium rather than copied. */
#define LEAF_STACK_MAX 4096
#define LEAF_COPY_MAX  (1024 * 1024)

struct _WaMerkleFrontier
{
  guint64 size;
  /* popcount (size) subtree roots, the largest (leftmost) first. */
  guint8  nodes[MAX_LEVELS][HASH_SIZE];
};

G_DEFINE_QUARK (wa_merkle_error_quark, wa_merkle_error)
G_DEFINE_BOXED_TYPE (WaMerkleFrontier, wa_merkle_frontier, wa_merkle_frontier_copy, wa_merkle_frontier_free)

static inline guint
bit_length (guint64 x)
{
  return x == 0 ? 0 : 64 - __builtin_clzll (x);
}

static inline guint
count_ones (guint64 x)
{
  return __builtin_popcountll (x);
}

/* x >> n for any n up to 64; C leaves a shift by 64 undefined, and the
 * split between inner and border hashes reaches it in trees of more than
 * 2^63 leaves. */
static inline guint64
shift_right (guint64 x,
             guint   n)
{
  return n >= 64 ? 0 : x >> n;
}

/* The largest power of two strictly below @n, the k of RFC 9162 2.1.1. */
static inline guint64
split_point (guint64 n)
{
  g_assert (n > 1);

  return G_GUINT64_CONSTANT (1) << (bit_length (n - 1) - 1);
}

/* @out may be @left or @right: both are copied before hashing. */
static void
node_hash (const guint8 *left,
           const guint8 *right,
           guint8       *out)
{
  guint8 buf[1 + 2 * HASH_SIZE];

  buf[0] = 0x01;
  memcpy (buf + 1, left, HASH_SIZE);
  memcpy (buf + 1 + HASH_SIZE, right, HASH_SIZE);
  wa_sha256 (buf, sizeof buf, out);
}

static inline const guint8 *
leaf_at (const guint8 *leaf_hashes,
         guint64       i)
{
  return leaf_hashes + (gsize) i * HASH_SIZE;
}

/* MTH (D[begin:end]) for a non-empty range, in end - begin - 1 node hashes
 * and O(log n) memory: leaves are folded left to right into a stack of
 * perfect subtree roots, which are then joined right to left.  This is the
 * tree RFC 9162 2.1.1 describes, since its split at the largest power of two
 * below n makes every left subtree perfect. */
static void
range_root (const guint8 *leaf_hashes,
            guint64       begin,
            guint64       end,
            guint8       *out)
{
  guint8 stack[MAX_LEVELS][HASH_SIZE];
  guint depth = 0;

  g_assert (begin < end);

  for (guint64 i = begin; i < end; i++)
    {
      memcpy (stack[depth++], leaf_at (leaf_hashes, i), HASH_SIZE);

      /* Every trailing zero bit of the leaf count closes a perfect subtree. */
      for (guint64 count = i - begin + 1; (count & 1) == 0; count >>= 1)
        {
          node_hash (stack[depth - 2], stack[depth - 1], stack[depth - 2]);
          depth--;
        }
    }

  /* A non-empty range leaves at least one subtree on the stack. */
  g_assert (depth > 0 && depth <= MAX_LEVELS);
  memcpy (out, stack[depth - 1], HASH_SIZE);
  for (guint j = depth - 1; j > 0; j--)
    node_hash (stack[j - 1], out, out);
}

/* The number of hashes in the inclusion proof of leaf @index in a tree of
 * @size leaves: the levels below the point where the paths to @index and to
 * the last leaf part, plus one left sibling for each level above it where
 * @index descends to the right. */
static guint
inclusion_proof_length (guint64 index,
                        guint64 size)
{
  guint inner = bit_length (index ^ (size - 1));

  return inner + count_ones (shift_right (index, inner));
}

/* The number of hashes in the consistency proof from @size1 to @size2,
 * 0 < size1 < size2: the inclusion path of the last leaf of the first tree,
 * from the level of the largest perfect subtree that ends with it, plus
 * that subtree's root unless it is the whole first tree. */
static guint
consistency_proof_length (guint64 size1,
                          guint64 size2)
{
  guint inner = bit_length ((size1 - 1) ^ (size2 - 1));
  guint border = count_ones (shift_right (size1 - 1, inner));
  guint shift = __builtin_ctzll (size1);
  gboolean size1_is_perfect = (size1 & (size1 - 1)) == 0;

  return (size1_is_perfect ? 0 : 1) + (inner - shift) + border;
}

static gboolean
hashes_equal (const guint8 *a,
              const guint8 *b)
{
  return sodium_memcmp (a, b, HASH_SIZE) == 0;
}

/**
 * wa_merkle_leaf_hash:
 * @data: (array length=len) (nullable): the entry
 * @len: its length
 * @out: (out caller-allocates): SHA-256 (0x00 || @data)
 */
void
wa_merkle_leaf_hash (const guint8 *data,
                     gsize         len,
                     guint8        out[WA_MERKLE_HASH_SIZE])
{
  g_return_if_fail (data != NULL || len == 0);
  g_return_if_fail (out != NULL);

  /* The copies are wiped after use: an entry may be private even though
   * its hash is not. */
  if (len < LEAF_STACK_MAX)
    {
      guint8 buf[LEAF_STACK_MAX];

      buf[0] = 0x00;
      if (len > 0)
        memcpy (buf + 1, data, len);
      wa_sha256 (buf, len + 1, out);
      sodium_memzero (buf, len + 1);
    }
  else if (len <= LEAF_COPY_MAX)
    {
      guint8 *buf = g_malloc (len + 1);

      buf[0] = 0x00;
      memcpy (buf + 1, data, len);
      wa_sha256 (buf, len + 1, out);
      sodium_memzero (buf, len + 1);
      g_free (buf);
    }
  else
    {
      static const guint8 prefix = 0x00;
      crypto_hash_sha256_state state;

      crypto_hash_sha256_init (&state);
      crypto_hash_sha256_update (&state, &prefix, 1);
      crypto_hash_sha256_update (&state, data, len);
      crypto_hash_sha256_final (&state, out);
      sodium_memzero (&state, sizeof state);
    }
}

/**
 * wa_merkle_node_hash:
 * @left: the left child's hash
 * @right: the right child's hash
 * @out: (out caller-allocates): SHA-256 (0x01 || @left || @right); it may
 *   be the same buffer as @left or @right
 */
void
wa_merkle_node_hash (const guint8 *left,
                     const guint8 *right,
                     guint8        out[WA_MERKLE_HASH_SIZE])
{
  g_return_if_fail (left != NULL);
  g_return_if_fail (right != NULL);
  g_return_if_fail (out != NULL);

  node_hash (left, right, out);
}

/**
 * wa_merkle_root:
 * @leaf_hashes: (nullable): @n leaf hashes, end to end
 * @n: the number of leaves
 * @root: (out caller-allocates): the Merkle Tree Hash of RFC 9162 2.1.1;
 *   SHA-256 of the empty string when @n is 0
 */
void
wa_merkle_root (const guint8 *leaf_hashes,
                guint64       n,
                guint8        root[WA_MERKLE_HASH_SIZE])
{
  g_return_if_fail (leaf_hashes != NULL || n == 0);
  g_return_if_fail (root != NULL);

  if (n == 0)
    wa_sha256 (NULL, 0, root);
  else
    range_root (leaf_hashes, 0, n, root);
}

/**
 * wa_merkle_inclusion_proof:
 * @leaf_hashes: (nullable): the @size leaf hashes of the tree, end to end
 * @size: the number of leaves
 * @index: the leaf to prove, below @size
 * @error: return location for a #WaMerkleError
 *
 * Computes PATH (@index, D[@size]) of RFC 9162 2.1.3.1, reading every leaf
 * once.
 *
 * Returns: (transfer full): the proof's hashes end to end, the one nearest
 *   the leaf first, or %NULL if @index is not below @size
 */
GByteArray *
wa_merkle_inclusion_proof (const guint8 *leaf_hashes,
                           guint64       size,
                           guint64       index,
                           GError      **error)
{
  guint8 path[MAX_LEVELS][HASH_SIZE];
  guint n_path = 0;
  guint64 lo = 0;
  guint64 hi = size;
  GByteArray *proof;

  g_return_val_if_fail (leaf_hashes != NULL || size == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (index >= size)
    {
      g_set_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_INVALID_ARGUMENT,
                   "Entry %" G_GUINT64_FORMAT " is not in a log of %" G_GUINT64_FORMAT
                   " entries, so there is no inclusion proof to give for it.",
                   index, size);
      return NULL;
    }

  /* Descend into the half of D[lo:hi] that holds the leaf and keep the
   * root of the other half.  The RFC appends that root after the rest of
   * the path, so the roots collected here go out in reverse. */
  while (hi - lo > 1)
    {
      guint64 k = split_point (hi - lo);

      if (index < lo + k)
        {
          range_root (leaf_hashes, lo + k, hi, path[n_path++]);
          hi = lo + k;
        }
      else
        {
          range_root (leaf_hashes, lo, lo + k, path[n_path++]);
          lo += k;
        }
    }

  proof = g_byte_array_sized_new (n_path * HASH_SIZE);
  for (guint i = n_path; i > 0; i--)
    g_byte_array_append (proof, path[i - 1], HASH_SIZE);

  return proof;
}

/**
 * wa_merkle_verify_inclusion:
 * @index: the leaf's index
 * @size: the size of the tree @root belongs to
 * @leaf_hash: the leaf's hash
 * @proof: (array length=proof_len) (nullable): the proof's hashes, end to end
 * @proof_len: its length in bytes
 * @root: the tree's root hash
 * @error: return location for a #WaMerkleError
 *
 * Runs the verification of RFC 9162 2.1.3.2.  See wa-merkle.h for the cases
 * the RFC leaves open.
 *
 * Returns: %TRUE if @proof shows that @leaf_hash is leaf @index of the tree
 *   of @size leaves whose root is @root
 */
gboolean
wa_merkle_verify_inclusion (guint64       index,
                            guint64       size,
                            const guint8 *leaf_hash,
                            const guint8 *proof,
                            gsize         proof_len,
                            const guint8 *root,
                            GError      **error)
{
  guint8 r[HASH_SIZE];
  guint64 fn;
  guint64 sn;
  gsize n_proof;
  guint expected;
  gboolean path_fits = TRUE;

  g_return_val_if_fail (leaf_hash != NULL, FALSE);
  g_return_val_if_fail (proof != NULL || proof_len == 0, FALSE);
  g_return_val_if_fail (root != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  /* Step 1. */
  if (index >= size)
    {
      g_set_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_INVALID_ARGUMENT,
                   "Entry %" G_GUINT64_FORMAT " cannot be in a log of %" G_GUINT64_FORMAT
                   " entries, so the inclusion proof is rejected.",
                   index, size);
      return FALSE;
    }

  /* The RFC's loop would also fail on a proof of the wrong length, but
   * only after hashing it; saying so up front gives a clearer error. */
  if (proof_len % HASH_SIZE != 0)
    {
      g_set_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_PROOF_SIZE,
                   "The inclusion proof is %" G_GSIZE_FORMAT " bytes long, which is not a whole "
                   "number of 32-byte hashes, so it is damaged or not a proof.",
                   proof_len);
      return FALSE;
    }

  n_proof = proof_len / HASH_SIZE;
  expected = inclusion_proof_length (index, size);
  if (n_proof != expected)
    {
      g_set_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_PROOF_SIZE,
                   "The inclusion proof has %" G_GSIZE_FORMAT " hashes where entry %" G_GUINT64_FORMAT
                   " of a log of %" G_GUINT64_FORMAT " entries needs %u, so it was made for another entry "
                   "or log size.",
                   n_proof, index, size, expected);
      return FALSE;
    }

  /* Steps 2 and 3. */
  fn = index;
  sn = size - 1;
  memcpy (r, leaf_hash, HASH_SIZE);

  /* Step 4. */
  for (gsize i = 0; i < n_proof; i++)
    {
      const guint8 *p = proof + i * HASH_SIZE;

      if (sn == 0)
        {
          path_fits = FALSE;
          break;
        }

      if ((fn & 1) == 1 || fn == sn)
        {
          node_hash (p, r, r);
          if ((fn & 1) == 0)
            {
              while ((fn & 1) == 0 && fn != 0)
                {
                  fn >>= 1;
                  sn >>= 1;
                }
            }
        }
      else
        {
          node_hash (r, p, r);
        }

      fn >>= 1;
      sn >>= 1;
    }

  /* Step 5.  With the length checked above, the path always fits and sn
   * always ends at 0. */
  if (!path_fits || sn != 0 || !hashes_equal (r, root))
    {
      g_set_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_ROOT_MISMATCH,
                   "The inclusion proof for entry %" G_GUINT64_FORMAT " does not lead to the log's root "
                   "hash, so the entry is not in the log as claimed.",
                   index);
      return FALSE;
    }

  return TRUE;
}

/**
 * wa_merkle_consistency_proof:
 * @leaf_hashes: the first @size2 leaf hashes of the tree, end to end
 * @size1: the size of the older tree, above 0
 * @size2: the size of the newer tree, at least @size1
 * @error: return location for a #WaMerkleError
 *
 * Computes PROOF (@size1, D[@size2]) of RFC 9162 2.1.4.1, reading every
 * leaf once.  It is empty when the sizes are equal.
 *
 * Returns: (transfer full): the proof's hashes end to end, or %NULL if the
 *   sizes are out of order or @size1 is 0
 */
GByteArray *
wa_merkle_consistency_proof (const guint8 *leaf_hashes,
                             guint64       size1,
                             guint64       size2,
                             GError      **error)
{
  guint8 path[MAX_LEVELS][HASH_SIZE];
  guint n_path = 0;
  gboolean whole_subtree = TRUE;
  guint64 m = size1;
  guint64 lo = 0;
  guint64 hi = size2;
  GByteArray *proof;

  g_return_val_if_fail (leaf_hashes != NULL || size2 == 0, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (size1 > size2)
    {
      g_set_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_INVALID_ARGUMENT,
                   "The older log size %" G_GUINT64_FORMAT " is larger than the newer size %" G_GUINT64_FORMAT
                   ", so swap them to prove that the log only grew.",
                   size1, size2);
      return NULL;
    }

  if (size1 == 0)
    {
      g_set_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_INVALID_ARGUMENT,
                   "Every log extends the empty log, so a consistency proof from size 0 would prove "
                   "nothing; start from the first non-empty size instead.");
      return NULL;
    }

  /* SUBPROOF (m, D[lo:hi], whole_subtree): while the old tree ends inside
   * D[lo:hi], descend into the half it ends in and keep the root of the
   * other half.  As for inclusion, the RFC appends those roots on the way
   * back up. */
  while (m < hi - lo)
    {
      guint64 k = split_point (hi - lo);

      if (m <= k)
        {
          range_root (leaf_hashes, lo + k, hi, path[n_path++]);
          hi = lo + k;
        }
      else
        {
          range_root (leaf_hashes, lo, lo + k, path[n_path++]);
          m -= k;
          lo += k;
          whole_subtree = FALSE;
        }
    }

  proof = g_byte_array_sized_new ((n_path + 1) * HASH_SIZE);

  /* SUBPROOF (m, D[m], false) = {MTH (D[m])}: the verifier knows the old
   * root, not the root of this part of it. */
  if (!whole_subtree)
    {
      guint8 subtree_root[HASH_SIZE];

      range_root (leaf_hashes, lo, hi, subtree_root);
      g_byte_array_append (proof, subtree_root, HASH_SIZE);
    }

  for (guint i = n_path; i > 0; i--)
    g_byte_array_append (proof, path[i - 1], HASH_SIZE);

  return proof;
}

/**
 * wa_merkle_verify_consistency:
 * @size1: the size of the older tree
 * @size2: the size of the newer tree
 * @root1: the older tree's root hash
 * @root2: the newer tree's root hash
 * @proof: (array length=proof_len) (nullable): the proof's hashes, end to end
 * @proof_len: its length in bytes
 * @error: return location for a #WaMerkleError
 *
 * Runs the verification of RFC 9162 2.1.4.2.  See wa-merkle.h for the cases
 * the RFC leaves open (equal sizes, an empty older tree).
 *
 * Returns: %TRUE if @proof shows that the tree of @size2 leaves with root
 *   @root2 starts with the tree of @size1 leaves with root @root1
 */
gboolean
wa_merkle_verify_consistency (guint64       size1,
                              guint64       size2,
                              const guint8 *root1,
                              const guint8 *root2,
                              const guint8 *proof,
                              gsize         proof_len,
                              GError      **error)
{
  guint8 fr[HASH_SIZE];
  guint8 sr[HASH_SIZE];
  guint64 fn;
  guint64 sn;
  gsize n_proof;
  gsize n_path;
  guint expected;
  gboolean root1_leads;
  gboolean path_fits = TRUE;

  g_return_val_if_fail (root1 != NULL, FALSE);
  g_return_val_if_fail (root2 != NULL, FALSE);
  g_return_val_if_fail (proof != NULL || proof_len == 0, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (size1 > size2)
    {
      g_set_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_INVALID_ARGUMENT,
                   "The older log size %" G_GUINT64_FORMAT " is larger than the newer size %" G_GUINT64_FORMAT
                   ", so the log shrank or the sizes are swapped.",
                   size1, size2);
      return FALSE;
    }

  if (proof_len % HASH_SIZE != 0)
    {
      g_set_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_PROOF_SIZE,
                   "The consistency proof is %" G_GSIZE_FORMAT " bytes long, which is not a whole "
                   "number of 32-byte hashes, so it is damaged or not a proof.",
                   proof_len);
      return FALSE;
    }
  n_proof = proof_len / HASH_SIZE;

  /* Equal sizes: the trees are the same one, so the roots must match and
   * there is nothing to prove. */
  if (size1 == size2)
    {
      if (n_proof != 0)
        {
          g_set_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_PROOF_SIZE,
                       "The consistency proof between two logs of %" G_GUINT64_FORMAT " entries has %"
                       G_GSIZE_FORMAT " hashes where it should be empty, so it was made for other sizes.",
                       size1, n_proof);
          return FALSE;
        }
      if (!hashes_equal (root1, root2))
        {
          g_set_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_ROOT_MISMATCH,
                       "The log has two different root hashes for the same size %" G_GUINT64_FORMAT
                       ", so it has been rewritten.",
                       size1);
          return FALSE;
        }
      return TRUE;
    }

  if (size1 == 0)
    {
      g_set_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_INVALID_ARGUMENT,
                   "Every log extends the empty log, so a consistency proof from size 0 proves nothing; "
                   "check from the first non-empty size instead.");
      return FALSE;
    }

  /* Step 1, and the length the two sizes call for. */
  expected = consistency_proof_length (size1, size2);
  if (n_proof == 0 || n_proof != expected)
    {
      g_set_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_PROOF_SIZE,
                   "The consistency proof from %" G_GUINT64_FORMAT " to %" G_GUINT64_FORMAT " entries has %"
                   G_GSIZE_FORMAT " hashes where it needs %u, so it was made for other sizes.",
                   size1, size2, n_proof, expected);
      return FALSE;
    }

  /* Step 2: when size1 is a power of two, the path starts with root1.
   * Rather than copy the proof, element 0 of the path is read from root1
   * and element i from proof[i - 1]. */
  root1_leads = (size1 & (size1 - 1)) == 0;
  n_path = n_proof + (root1_leads ? 1 : 0);

  /* Steps 3 and 4. */
  fn = size1 - 1;
  sn = size2 - 1;
  while ((fn & 1) == 1)
    {
      fn >>= 1;
      sn >>= 1;
    }

  /* Step 5. */
  memcpy (fr, root1_leads ? root1 : proof, HASH_SIZE);
  memcpy (sr, fr, HASH_SIZE);

  /* Step 6. */
  for (gsize i = 1; i < n_path; i++)
    {
      const guint8 *c = proof + (root1_leads ? i - 1 : i) * HASH_SIZE;

      if (sn == 0)
        {
          path_fits = FALSE;
          break;
        }

      if ((fn & 1) == 1 || fn == sn)
        {
          node_hash (c, fr, fr);
          node_hash (c, sr, sr);
          if ((fn & 1) == 0)
            {
              while ((fn & 1) == 0 && fn != 0)
                {
                  fn >>= 1;
                  sn >>= 1;
                }
            }
        }
      else
        {
          node_hash (sr, c, sr);
        }

      fn >>= 1;
      sn >>= 1;
    }

  /* Step 7.  With the length checked above, the path always fits and sn
   * always ends at 0. */
  if (!path_fits || sn != 0 || !hashes_equal (fr, root1))
    {
      g_set_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_ROOT_MISMATCH,
                   "The consistency proof does not lead to the root hash the log had at %" G_GUINT64_FORMAT
                   " entries, so either the proof is damaged or the log's earlier entries were changed.",
                   size1);
      return FALSE;
    }

  if (!hashes_equal (sr, root2))
    {
      g_set_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_ROOT_MISMATCH,
                   "The consistency proof does not lead to the root hash the log has at %" G_GUINT64_FORMAT
                   " entries, so either the proof is damaged or the log did more than append entries.",
                   size2);
      return FALSE;
    }

  return TRUE;
}

/**
 * wa_merkle_frontier_new:
 *
 * Returns: (transfer full): the frontier of an empty tree
 */
WaMerkleFrontier *
wa_merkle_frontier_new (void)
{
  return g_new0 (WaMerkleFrontier, 1);
}

WaMerkleFrontier *
wa_merkle_frontier_copy (const WaMerkleFrontier *frontier)
{
  g_return_val_if_fail (frontier != NULL, NULL);

  return g_memdup2 (frontier, sizeof *frontier);
}

void
wa_merkle_frontier_free (WaMerkleFrontier *frontier)
{
  g_free (frontier);
}

guint64
wa_merkle_frontier_get_size (const WaMerkleFrontier *frontier)
{
  g_return_val_if_fail (frontier != NULL, 0);

  return frontier->size;
}

/**
 * wa_merkle_frontier_append:
 * @frontier: a frontier
 * @leaf_hash: the hash of the new last leaf
 *
 * Adds a leaf in at most 64 node hashes, one for each subtree it completes.
 */
void
wa_merkle_frontier_append (WaMerkleFrontier *frontier,
                           const guint8     *leaf_hash)
{
  guint n;

  g_return_if_fail (frontier != NULL);
  g_return_if_fail (leaf_hash != NULL);
  g_return_if_fail (frontier->size < G_MAXUINT64);

  n = count_ones (frontier->size);
  memcpy (frontier->nodes[n++], leaf_hash, HASH_SIZE);

  /* Each trailing one bit of the old size is a subtree of the new leaf's
   * height, now complete with a sibling to its right. */
  for (guint64 s = frontier->size; (s & 1) == 1; s >>= 1)
    {
      node_hash (frontier->nodes[n - 2], frontier->nodes[n - 1], frontier->nodes[n - 2]);
      n--;
    }

  frontier->size++;
}

/**
 * wa_merkle_frontier_get_root:
 * @frontier: a frontier
 * @root: (out caller-allocates): the root of the tree, as wa_merkle_root()
 *   gives it for the same leaves
 */
void
wa_merkle_frontier_get_root (const WaMerkleFrontier *frontier,
                             guint8                  root[WA_MERKLE_HASH_SIZE])
{
  guint n;

  g_return_if_fail (frontier != NULL);
  g_return_if_fail (root != NULL);

  n = count_ones (frontier->size);
  if (n == 0)
    {
      wa_sha256 (NULL, 0, root);
      return;
    }

  memcpy (root, frontier->nodes[n - 1], HASH_SIZE);
  for (guint j = n - 1; j > 0; j--)
    node_hash (frontier->nodes[j - 1], root, root);
}

/**
 * wa_merkle_frontier_serialize:
 * @frontier: a frontier
 *
 * Returns: (transfer full): the form wa-merkle.h describes
 */
GBytes *
wa_merkle_frontier_serialize (const WaMerkleFrontier *frontier)
{
  guint64 size_be;
  gsize nodes_len;
  guint8 *buf;

  g_return_val_if_fail (frontier != NULL, NULL);

  size_be = GUINT64_TO_BE (frontier->size);
  nodes_len = (gsize) count_ones (frontier->size) * HASH_SIZE;
  buf = g_malloc (sizeof size_be + nodes_len);
  memcpy (buf, &size_be, sizeof size_be);
  memcpy (buf + sizeof size_be, frontier->nodes, nodes_len);

  return g_bytes_new_take (buf, sizeof size_be + nodes_len);
}

/**
 * wa_merkle_frontier_deserialize:
 * @bytes: what wa_merkle_frontier_serialize() returned
 * @error: return location for a #WaMerkleError
 *
 * Returns: (transfer full): the frontier, or %NULL if @bytes is not as long
 *   as the size it starts with calls for
 */
WaMerkleFrontier *
wa_merkle_frontier_deserialize (GBytes  *bytes,
                                GError **error)
{
  g_autoptr(WaMerkleFrontier) frontier = NULL;
  const guint8 *data;
  gsize len;
  guint64 size_be;
  guint64 size;
  gsize expected;

  g_return_val_if_fail (bytes != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  data = g_bytes_get_data (bytes, &len);
  if (len < sizeof size_be)
    {
      g_set_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_MALFORMED,
                   "The saved log state is %" G_GSIZE_FORMAT " bytes, too short to hold even its "
                   "8-byte size, so it is truncated or corrupt.",
                   len);
      return NULL;
    }

  memcpy (&size_be, data, sizeof size_be);
  size = GUINT64_FROM_BE (size_be);
  expected = sizeof size_be + (gsize) count_ones (size) * HASH_SIZE;
  if (len != expected)
    {
      g_set_error (error, WA_MERKLE_ERROR, WA_MERKLE_ERROR_MALFORMED,
                   "The saved log state is %" G_GSIZE_FORMAT " bytes where a log of %" G_GUINT64_FORMAT
                   " entries needs %" G_GSIZE_FORMAT ", so it is truncated or corrupt.",
                   len, size, expected);
      return NULL;
    }

  frontier = wa_merkle_frontier_new ();
  frontier->size = size;
  memcpy (frontier->nodes, data + sizeof size_be, len - sizeof size_be);

  return g_steal_pointer (&frontier);
}
