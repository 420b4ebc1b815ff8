/* crash-common.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include "crash-common.h"

#include <string.h>

#include "wa-crypto.h"

/* Index given to single records in the pattern seed, so that no single
 * record can share a pattern with a record of a batch. */
#define SINGLE_INDEX G_MAXUINT

/**
 * crash_keyring_new:
 *
 * Returns the keyring both processes use.  It is built from a fixed secret
 * so that the writer and the test hold the same keys without sharing
 * anything but this code.
 */
WaKeyring *
crash_keyring_new (GError **error)
{
  g_autoptr(WaSecureBytes) secret = NULL;
  guint8 bytes[WA_KEYRING_SECRET_SIZE];

  for (guint i = 0; i < sizeof bytes; i++)
    bytes[i] = (guint8) (i * 37 + 11);
  secret = wa_secure_bytes_new_from_data (bytes, sizeof bytes);

  return wa_keyring_new_from_secret (secret, error);
}

/**
 * crash_tenant_keys_new:
 *
 * Returns a tenant key provider with a fixed master key.  Sealing is
 * randomized, but every sealed copy opens to the same master key, so both
 * processes derive the same tenant data key.
 */
WaSoftwareKeyProvider *
crash_tenant_keys_new (WaKeyring  *keyring,
                       GError    **error)
{
  g_autoptr(GBytes) sealed = NULL;
  guint8 master_key[WA_SUBKEY_SIZE];

  for (guint i = 0; i < sizeof master_key; i++)
    master_key[i] = (guint8) (0xa5 ^ (i * 13));
  sealed = wa_crypto_box_seal (wa_keyring_get_box_public_key (keyring), master_key, sizeof master_key);

  return wa_software_key_provider_new_unwrapped (CRASH_TENANT_ID, sealed, keyring, error);
}

/**
 * crash_random_size:
 * @min_size: the smallest size wanted, at least 1
 *
 * Picks a size between @min_size and %CRASH_MAX_SIZE.  The power of two is
 * uniform, so small records (the common case) are as well covered as
 * SQLite's overflow pages; both extremes are picked on purpose now and
 * then, since they are where off-by-one mistakes live.
 */
gsize
crash_random_size (GRand *rand,
                   gsize  min_size)
{
  int choice = g_rand_int_range (rand, 0, 20);
  int exponent;
  gsize size;

  if (choice == 0)
    return min_size;
  if (choice == 1)
    return CRASH_MAX_SIZE;

  exponent = g_rand_int_range (rand, 0, 17);
  size = g_rand_int_range (rand, 1, (1 << exponent) + 1);

  return MAX (size, min_size);
}

static guint64
splitmix64 (guint64 *state)
{
  guint64 z = (*state += G_GUINT64_CONSTANT (0x9e3779b97f4a7c15));

  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xbf58476d1ce4e5b9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94d049bb133111eb);

  return z ^ (z >> 31);
}

/**
 * crash_fill_pattern:
 *
 * Fills @buffer with bytes that follow from (@generation, @sequence,
 * @index) alone, and differ for every triple, so a record holding another
 * record's content, or a torn one, does not pass for intact.
 */
void
crash_fill_pattern (guint8  *buffer,
                    gsize    len,
                    guint    generation,
                    guint64  sequence,
                    guint    index)
{
  guint64 state = generation * G_GUINT64_CONSTANT (0xc2b2ae3d27d4eb4f);

  state ^= splitmix64 (&state) ^ sequence;
  state ^= splitmix64 (&state) ^ index;
  for (gsize offset = 0; offset < len; offset += 8)
    {
      guint64 value = splitmix64 (&state);

      memcpy (buffer + offset, &value, MIN (8, len - offset));
    }
}

GBytes *
crash_single_content_new (guint   generation,
                          guint64 sequence,
                          gsize   size)
{
  guint8 *buffer = g_malloc (size);

  crash_fill_pattern (buffer, size, generation, sequence, SINGLE_INDEX);

  return g_bytes_new_take (buffer, size);
}

/**
 * crash_single_metadata_new:
 *
 * The metadata of a single record: what it is and the hash of its content.
 */
GBytes *
crash_single_metadata_new (guint    generation,
                           guint64  sequence,
                           GBytes  *content)
{
  g_autofree char *hex = NULL;
  guint8 hash[WA_SHA256_SIZE];
  char *text;

  wa_crypto_sha256 (g_bytes_get_data (content, NULL), g_bytes_get_size (content), hash);
  hex = wa_hex_encode (hash, sizeof hash);
  text = g_strdup_printf ("{\"generation\":%u,\"sequence\":%" G_GUINT64_FORMAT ","
                          "\"size\":%" G_GSIZE_FORMAT ",\"sha256\":\"%s\"}",
                          generation, sequence, g_bytes_get_size (content), hex);

  return g_bytes_new_take (text, strlen (text));
}

/**
 * crash_batch_content_new:
 * @size: at least %CRASH_BATCH_HEADER_SIZE
 *
 * The content of record @index of @count in a batch: a header (magic,
 * generation, batch, index, count, big-endian) followed by the pattern.
 */
GBytes *
crash_batch_content_new (guint   generation,
                         guint64 batch,
                         guint   index,
                         guint   count,
                         gsize   size)
{
  guint8 *buffer;
  guint32 be32;
  guint16 be16;

  g_return_val_if_fail (size >= CRASH_BATCH_HEADER_SIZE, NULL);
  g_return_val_if_fail (batch <= G_MAXUINT32, NULL);

  buffer = g_malloc (size);
  memcpy (buffer, CRASH_BATCH_MAGIC, 4);
  be32 = GUINT32_TO_BE (generation);
  memcpy (buffer + 4, &be32, 4);
  be32 = GUINT32_TO_BE ((guint32) batch);
  memcpy (buffer + 8, &be32, 4);
  be16 = GUINT16_TO_BE ((guint16) index);
  memcpy (buffer + 12, &be16, 2);
  be16 = GUINT16_TO_BE ((guint16) count);
  memcpy (buffer + 14, &be16, 2);
  crash_fill_pattern (buffer + CRASH_BATCH_HEADER_SIZE, size - CRASH_BATCH_HEADER_SIZE,
                      generation, batch, index);

  return g_bytes_new_take (buffer, size);
}

/**
 * crash_password:
 *
 * The @index-th password of the password-change test; the profile starts
 * with password 0.
 */
char *
crash_password (guint index)
{
  return g_strdup_printf ("crash-password-%05u", index);
}
