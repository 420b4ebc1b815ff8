/* wa-sha256.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

void     wa_sha256                     (const guint8 *data,
                                        gsize         len,
                                        guint8       *out);
void     wa_sha256_portable            (const guint8 *data,
                                        gsize         len,
                                        guint8       *out);
gboolean wa_sha256_has_cpu_extensions  (void);

G_END_DECLS
