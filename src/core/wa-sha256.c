/* wa-sha256.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-sha256"

#include "config.h"

#include <string.h>
#include <sodium.h>

#include "wa-sha256.h"

/*
 * SHA-256 (FIPS 180-4).  Every record's ciphertext is hashed when it is
 * written and every record is hashed again by verify, and libsodium 1.0.18
 * only has a portable implementation.  On x86-64 processors with the SHA
 * extensions the compression function runs on them instead, several times
 * faster; elsewhere libsodium's is used.  Both are checked against the
 * FIPS 180-2 vectors and against each other in tests/test-crypto.c.
 */

#if defined(__x86_64__) && defined(__GNUC__)
#define HAVE_SHA_NI 1
#include <immintrin.h>
#endif

void
wa_sha256_portable (const guint8 *data,
                    gsize         len,
                    guint8       *out)
{
  crypto_hash_sha256 (out, data, len);
}

#ifdef HAVE_SHA_NI

static const guint32 round_constants[64] = {
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
  0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
  0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
  0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
  0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
  0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
  0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
  0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static const guint32 initial_state[8] = {
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};

/* Compresses @n_blocks blocks of 64 bytes into @state (a..h). */
__attribute__((target ("sha,sse4.1")))
static void
compress_blocks (guint32      *state,
                 const guint8 *data,
                 gsize         n_blocks)
{
  const __m128i byte_swap = _mm_set_epi64x (0x0c0d0e0f08090a0bULL, 0x0405060700010203ULL);
  __m128i state0;
  __m128i state1;
  __m128i tmp;

  /* The SHA instructions want the state as ABEF and CDGH. */
  tmp = _mm_loadu_si128 ((const __m128i *) &state[0]);       /* DCBA */
  state1 = _mm_loadu_si128 ((const __m128i *) &state[4]);    /* HGFE */
  tmp = _mm_shuffle_epi32 (tmp, 0xB1);                       /* CDAB */
  state1 = _mm_shuffle_epi32 (state1, 0x1B);                 /* EFGH */
  state0 = _mm_alignr_epi8 (tmp, state1, 8);                 /* ABEF */
  state1 = _mm_blend_epi16 (state1, tmp, 0xF0);              /* CDGH */

  for (gsize b = 0; b < n_blocks; b++, data += 64)
    {
      __m128i abef_saved = state0;
      __m128i cdgh_saved = state1;
      __m128i w[4];

      for (guint g = 0; g < 16; g++)
        {
          __m128i msg;

          if (g < 4)
            w[g] = _mm_shuffle_epi8 (_mm_loadu_si128 ((const __m128i *) (data + 16 * g)), byte_swap);
          else
            {
              /* W[t] = σ1(W[t-2]) + W[t-7] + σ0(W[t-15]) + W[t-16], four at a time:
               * msg1 adds σ0, the alignr brings in W[t-7], msg2 adds σ1. */
              __m128i next = _mm_sha256msg1_epu32 (w[g % 4], w[(g + 1) % 4]);

              next = _mm_add_epi32 (next, _mm_alignr_epi8 (w[(g + 3) % 4], w[(g + 2) % 4], 4));
              w[g % 4] = _mm_sha256msg2_epu32 (next, w[(g + 3) % 4]);
            }

          msg = _mm_add_epi32 (w[g % 4], _mm_loadu_si128 ((const __m128i *) &round_constants[4 * g]));
          state1 = _mm_sha256rnds2_epu32 (state1, state0, msg);
          msg = _mm_shuffle_epi32 (msg, 0x0E);
          state0 = _mm_sha256rnds2_epu32 (state0, state1, msg);
        }

      state0 = _mm_add_epi32 (state0, abef_saved);
      state1 = _mm_add_epi32 (state1, cdgh_saved);
    }

  /* Back to DCBA and HGFE. */
  tmp = _mm_shuffle_epi32 (state0, 0x1B);                    /* FEBA */
  state1 = _mm_shuffle_epi32 (state1, 0xB1);                 /* DCHG */
  state0 = _mm_blend_epi16 (tmp, state1, 0xF0);              /* DCBA */
  state1 = _mm_alignr_epi8 (state1, tmp, 8);                 /* HGFE */
  _mm_storeu_si128 ((__m128i *) &state[0], state0);
  _mm_storeu_si128 ((__m128i *) &state[4], state1);
}

static void
sha256_cpu (const guint8 *data,
            gsize         len,
            guint8       *out)
{
  guint32 state[8];
  guint8 tail[128] = { 0 };
  gsize full = len / 64;
  gsize rest = len % 64;
  gsize tail_len = rest < 56 ? 64 : 128;
  guint64 bits = (guint64) len * 8;

  memcpy (state, initial_state, sizeof state);
  compress_blocks (state, data, full);

  /* The last bytes, the 0x80 marker, zeros, and the length in bits. */
  if (rest > 0)
    memcpy (tail, data + full * 64, rest);
  tail[rest] = 0x80;
  for (guint i = 0; i < 8; i++)
    tail[tail_len - 1 - i] = bits >> (8 * i);
  compress_blocks (state, tail, tail_len / 64);

  for (guint i = 0; i < 8; i++)
    {
      out[4 * i] = state[i] >> 24;
      out[4 * i + 1] = state[i] >> 16;
      out[4 * i + 2] = state[i] >> 8;
      out[4 * i + 3] = state[i];
    }
}

#endif

/**
 * wa_sha256_has_cpu_extensions:
 *
 * Returns: whether wa_sha256() runs on the processor's SHA instructions.
 */
gboolean
wa_sha256_has_cpu_extensions (void)
{
#ifdef HAVE_SHA_NI
  static gsize supported = 0;

  /* 1 for no, 2 for yes, once. */
  if (g_once_init_enter (&supported))
    {
      __builtin_cpu_init ();
      g_once_init_leave (&supported, __builtin_cpu_supports ("sha") && __builtin_cpu_supports ("sse4.1") ? 2 : 1);
    }

  return supported == 2;
#else
  return FALSE;
#endif
}

void
wa_sha256 (const guint8 *data,
           gsize         len,
           guint8       *out)
{
#ifdef HAVE_SHA_NI
  if (wa_sha256_has_cpu_extensions ())
    {
      sha256_cpu (data, len, out);
      return;
    }
#endif

  wa_sha256_portable (data, len, out);
}
