/* wa-siem-exporter.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wa-audit-log.h"
#include "wa-siem-outbox.h"
#include "wa-siem-sender.h"

G_BEGIN_DECLS

#define WA_SIEM_EXPORT_DEFAULT_BATCH 100

gboolean      wa_siem_export_flush        (WaSiemOutbox   *outbox,
                                           WaAuditLog     *log,
                                           const char     *name,
                                           WaSiemSender   *sender,
                                           const guint8   *device_public_key,
                                           const guint8   *audit_key,
                                           JsonObject     *enrichment,
                                           guint           batch_size,
                                           guint64        *n_sent,
                                           GCancellable   *cancellable,
                                           GError        **error);
WaSiemSender *wa_siem_sender_new_for_destination (const WaSiemDestination *destination,
                                                  const char              *credential,
                                                  GError                 **error);
JsonObject   *wa_siem_export_event        (const WaAuditEntry *entry,
                                           JsonObject         *body,
                                           JsonObject         *enrichment);

G_END_DECLS
