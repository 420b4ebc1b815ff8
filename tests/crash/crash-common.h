/* crash-common.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "wa-keyring.h"
#include "wa-software-key-provider.h"

G_BEGIN_DECLS

/* What the crash tests' writer process and the test itself agree on: the
 * keys (fixed, so both derive the same ones without Argon2), the record
 * types, and how a record's content follows from its sequence number, so
 * that the test can recompute every byte the writer stored. */

#define CRASH_USER_ID            "crash-user"
#define CRASH_TENANT_ID          "crash-tenant"
#define CRASH_TENANT_SCOPE       "tenant:" CRASH_TENANT_ID

/* A record stored alone with wa_vault_put(); its metadata describes it. */
#define CRASH_SINGLE_TYPE        "crash-single"
/* A record stored with wa_vault_put_many(), which takes no metadata; its
 * content starts with a CRASH_BATCH_HEADER_SIZE header that describes it. */
#define CRASH_BATCH_TYPE         "crash-batch"

#define CRASH_MAX_SIZE           (64 * 1024)
#define CRASH_BATCH_MAGIC        "WAcb"
#define CRASH_BATCH_HEADER_SIZE  16
#define CRASH_BATCH_MIN_COUNT    2
#define CRASH_BATCH_MAX_COUNT    8

WaKeyring             *crash_keyring_new           (GError   **error);
WaSoftwareKeyProvider *crash_tenant_keys_new       (WaKeyring *keyring,
                                                    GError   **error);

gsize                  crash_random_size           (GRand     *rand,
                                                    gsize      min_size);
void                   crash_fill_pattern          (guint8    *buffer,
                                                    gsize      len,
                                                    guint      generation,
                                                    guint64    sequence,
                                                    guint      index);
GBytes                *crash_single_content_new    (guint      generation,
                                                    guint64    sequence,
                                                    gsize      size);
GBytes                *crash_single_metadata_new   (guint      generation,
                                                    guint64    sequence,
                                                    GBytes    *content);
GBytes                *crash_batch_content_new     (guint      generation,
                                                    guint64    batch,
                                                    guint      index,
                                                    guint      count,
                                                    gsize      size);

char                  *crash_password              (guint      index);

G_END_DECLS
