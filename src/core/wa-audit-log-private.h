/* wa-audit-log-private.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wa-audit-log.h"
#include "wa-vault-private.h"

G_BEGIN_DECLS

/* Worker thread, inside a write transaction the caller commits: appends
 * @events, then a checkpoint for the new tree, so that a vault change and
 * the entry that records it are committed together or not at all. */
gboolean wa_audit_log_append_locked (WaVault            *vault,
                                     KeySnapshot        *keys,
                                     const WaAuditEvent *events,
                                     guint               n_events,
                                     guint64            *first_index,
                                     GError            **error);

G_END_DECLS
