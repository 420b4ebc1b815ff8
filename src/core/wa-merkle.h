/* wa-merkle.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/*
 * Merkle trees as RFC 9162 (Certificate Transparency 2.0), Section 2.1,
 * defines them, with SHA-256:
 *
 *   leaf hash   SHA-256 (0x00 || entry)
 *   node hash   SHA-256 (0x01 || left || right)
 *   empty tree  SHA-256 ("")
 *
 * Leaves are passed as their leaf hashes, @n of them laid end to end in one
 * buffer of @n * WA_MERKLE_HASH_SIZE bytes.  A proof is a list of hashes laid
 * end to end the same way, in the order RFC 9162 gives them (the hash
 * nearest the leaf first).
 *
 * The verifiers run the algorithms of RFC 9162 Sections 2.1.3.2 and 2.1.4.2
 * step for step.  Where the RFC leaves a case open, they behave as the
 * transparency-dev/merkle Go verifier whose test vectors the unit tests run
 * (see tests/data/README.md):
 *
 *  - inclusion: index >= size fails with WA_MERKLE_ERROR_INVALID_ARGUMENT,
 *    so no proof verifies against an empty tree.  A tree of one entry has
 *    an empty proof, and its root is the leaf hash.
 *  - consistency: size1 > size2 fails with WA_MERKLE_ERROR_INVALID_ARGUMENT.
 *    size1 == size2 (including 0 == 0) succeeds only with an empty proof
 *    and root1 equal to root2.  size1 == 0 < size2 fails with
 *    WA_MERKLE_ERROR_INVALID_ARGUMENT: every tree extends the empty tree, so
 *    such a proof would prove nothing, and a caller that trusts nothing yet
 *    has nothing to check.  (The newest upstream verifier also refuses
 *    0 == 0; the vendored vectors predate that change.)
 *  - a proof whose length is not a multiple of WA_MERKLE_HASH_SIZE, or does
 *    not have the number of hashes the two sizes call for, fails with
 *    WA_MERKLE_ERROR_PROOF_SIZE before any hashing.
 *  - a proof that is well formed but does not lead to the given roots fails
 *    with WA_MERKLE_ERROR_ROOT_MISMATCH.
 *
 * The generators follow the same rules: an inclusion proof needs
 * index < size, and a consistency proof needs 0 < size1 <= size2 (an empty
 * proof when the sizes are equal).
 */

#define WA_MERKLE_ERROR (wa_merkle_error_quark ())

typedef enum
{
  WA_MERKLE_ERROR_INVALID_ARGUMENT,
  WA_MERKLE_ERROR_PROOF_SIZE,
  WA_MERKLE_ERROR_ROOT_MISMATCH,
  WA_MERKLE_ERROR_MALFORMED,
} WaMerkleError;

#define WA_MERKLE_HASH_SIZE 32

GQuark      wa_merkle_error_quark         (void);

void        wa_merkle_leaf_hash           (const guint8 *data,
                                           gsize         len,
                                           guint8        out[WA_MERKLE_HASH_SIZE]);
void        wa_merkle_node_hash           (const guint8 *left,
                                           const guint8 *right,
                                           guint8        out[WA_MERKLE_HASH_SIZE]);
void        wa_merkle_root                (const guint8 *leaf_hashes,
                                           guint64       n,
                                           guint8        root[WA_MERKLE_HASH_SIZE]);

GByteArray *wa_merkle_inclusion_proof     (const guint8 *leaf_hashes,
                                           guint64       size,
                                           guint64       index,
                                           GError      **error);
gboolean    wa_merkle_verify_inclusion    (guint64       index,
                                           guint64       size,
                                           const guint8 *leaf_hash,
                                           const guint8 *proof,
                                           gsize         proof_len,
                                           const guint8 *root,
                                           GError      **error);

GByteArray *wa_merkle_consistency_proof   (const guint8 *leaf_hashes,
                                           guint64       size1,
                                           guint64       size2,
                                           GError      **error);
gboolean    wa_merkle_verify_consistency  (guint64       size1,
                                           guint64       size2,
                                           const guint8 *root1,
                                           const guint8 *root2,
                                           const guint8 *proof,
                                           gsize         proof_len,
                                           GError      **error);

/*
 * The frontier of an append-only tree: the roots of the perfect subtrees
 * that cover its leaves, largest (leftmost) first, one for each bit set in
 * the size.  It is all a log needs to keep to append a leaf and compute the
 * new root in O(log n) hashes, without reading old leaves.
 *
 * Serialized form, stable across versions:
 *
 *   size     8 bytes, unsigned, big-endian: the number of leaves
 *   nodes    popcount (size) hashes of 32 bytes, largest subtree first
 *
 * so an empty tree is 8 zero bytes and a tree of 6 leaves is 8 + 2 * 32
 * bytes: the root of leaves 0..3, then the root of leaves 4..5.  Nothing in
 * it can be checked on its own, so keep it where it cannot be tampered with
 * or compare the root it gives with a signed one.
 */

#define WA_TYPE_MERKLE_FRONTIER (wa_merkle_frontier_get_type ())

typedef struct _WaMerkleFrontier WaMerkleFrontier;

GType             wa_merkle_frontier_get_type     (void) G_GNUC_CONST;
WaMerkleFrontier *wa_merkle_frontier_new          (void);
WaMerkleFrontier *wa_merkle_frontier_copy         (const WaMerkleFrontier *frontier);
void              wa_merkle_frontier_free         (WaMerkleFrontier       *frontier);
guint64           wa_merkle_frontier_get_size     (const WaMerkleFrontier *frontier);
void              wa_merkle_frontier_append       (WaMerkleFrontier       *frontier,
                                                   const guint8           *leaf_hash);
void              wa_merkle_frontier_get_root     (const WaMerkleFrontier *frontier,
                                                   guint8                  root[WA_MERKLE_HASH_SIZE]);
GBytes           *wa_merkle_frontier_serialize    (const WaMerkleFrontier *frontier);
WaMerkleFrontier *wa_merkle_frontier_deserialize  (GBytes                 *bytes,
                                                   GError                **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaMerkleFrontier, wa_merkle_frontier_free)

G_END_DECLS
