/* wa-secure-bytes.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-secure-bytes"

#include "config.h"

#include <sodium.h>

#include "wa-secure-bytes.h"

struct _WaSecureBytes
{
  gatomicrefcount  ref_count;
  guint8          *data;
  gsize            size;
};

G_DEFINE_BOXED_TYPE (WaSecureBytes, wa_secure_bytes,
                     wa_secure_bytes_ref, wa_secure_bytes_unref)

/**
 * wa_secure_bytes_new:
 * @size: the number of bytes
 *
 * Allocates @size zeroed bytes of guarded memory.  The process aborts if
 * guarded memory cannot be had, since carrying on would put key material
 * into ordinary, swappable memory.
 */
WaSecureBytes *
wa_secure_bytes_new (gsize size)
{
  WaSecureBytes *self;

  self = g_new0 (WaSecureBytes, 1);
  g_atomic_ref_count_init (&self->ref_count);
  self->size = size;
  self->data = sodium_malloc (MAX (size, 1));
  if (self->data == NULL)
    g_error ("Could not allocate %" G_GSIZE_FORMAT " bytes of guarded memory", size);
  sodium_memzero (self->data, MAX (size, 1));

  return self;
}

WaSecureBytes *
wa_secure_bytes_new_random (gsize size)
{
  WaSecureBytes *self = wa_secure_bytes_new (size);

  randombytes_buf (self->data, size);

  return self;
}

WaSecureBytes *
wa_secure_bytes_new_from_data (const guint8 *data,
                               gsize         size)
{
  WaSecureBytes *self = wa_secure_bytes_new (size);

  g_return_val_if_fail (data != NULL || size == 0, self);

  if (size > 0)
    memcpy (self->data, data, size);

  return self;
}

WaSecureBytes *
wa_secure_bytes_ref (WaSecureBytes *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  g_atomic_ref_count_inc (&self->ref_count);

  return self;
}

void
wa_secure_bytes_unref (WaSecureBytes *self)
{
  g_return_if_fail (self != NULL);

  if (g_atomic_ref_count_dec (&self->ref_count))
    {
      /* sodium_free() makes the region writable, zeroes it and unmaps it. */
      sodium_free (self->data);
      g_free (self);
    }
}

guint8 *
wa_secure_bytes_get_data (WaSecureBytes *self)
{
  g_return_val_if_fail (self != NULL, NULL);

  return self->data;
}

gsize
wa_secure_bytes_get_size (WaSecureBytes *self)
{
  g_return_val_if_fail (self != NULL, 0);

  return self->size;
}

/**
 * wa_secure_bytes_seal:
 *
 * Makes the buffer read-only, so a stray write faults instead of silently
 * changing a key.
 */
void
wa_secure_bytes_seal (WaSecureBytes *self)
{
  g_return_if_fail (self != NULL);

  sodium_mprotect_readonly (self->data);
}

/**
 * wa_secure_bytes_hide:
 *
 * Removes all access to the buffer until wa_secure_bytes_reveal().
 */
void
wa_secure_bytes_hide (WaSecureBytes *self)
{
  g_return_if_fail (self != NULL);

  sodium_mprotect_noaccess (self->data);
}

void
wa_secure_bytes_reveal (WaSecureBytes *self)
{
  g_return_if_fail (self != NULL);

  sodium_mprotect_readonly (self->data);
}

/**
 * wa_secure_bytes_wipe:
 *
 * Zeroes the contents now, without waiting for the last reference to go.
 */
void
wa_secure_bytes_wipe (WaSecureBytes *self)
{
  g_return_if_fail (self != NULL);

  sodium_mprotect_readwrite (self->data);
  sodium_memzero (self->data, self->size);
}

gboolean
wa_secure_bytes_equal (WaSecureBytes *a,
                       WaSecureBytes *b)
{
  g_return_val_if_fail (a != NULL, FALSE);
  g_return_val_if_fail (b != NULL, FALSE);

  if (a->size != b->size)
    return FALSE;

  return sodium_memcmp (a->data, b->data, a->size) == 0;
}
