/* wa-secure-bytes.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

/* A buffer for secret material in guarded memory: sodium_malloc() puts it
 * between guard pages, mlock()s it, and sodium_free() wipes it.  Access is
 * read-only after wa_secure_bytes_seal(), and none at all while hidden. */
typedef struct _WaSecureBytes WaSecureBytes;

#define WA_TYPE_SECURE_BYTES (wa_secure_bytes_get_type ())

GType          wa_secure_bytes_get_type  (void) G_GNUC_CONST;
WaSecureBytes *wa_secure_bytes_new       (gsize                size);
WaSecureBytes *wa_secure_bytes_new_random (gsize               size);
WaSecureBytes *wa_secure_bytes_new_from_data (const guint8    *data,
                                              gsize            size);
WaSecureBytes *wa_secure_bytes_ref       (WaSecureBytes       *self);
void           wa_secure_bytes_unref     (WaSecureBytes       *self);
guint8        *wa_secure_bytes_get_data  (WaSecureBytes       *self);
gsize          wa_secure_bytes_get_size  (WaSecureBytes       *self);
void           wa_secure_bytes_seal      (WaSecureBytes       *self);
void           wa_secure_bytes_hide      (WaSecureBytes       *self);
void           wa_secure_bytes_reveal    (WaSecureBytes       *self);
void           wa_secure_bytes_wipe      (WaSecureBytes       *self);
gboolean       wa_secure_bytes_equal     (WaSecureBytes       *a,
                                          WaSecureBytes       *b);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaSecureBytes, wa_secure_bytes_unref)

G_END_DECLS
