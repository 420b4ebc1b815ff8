/* wa-sentinel-sender.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wa-siem-sender.h"

G_BEGIN_DECLS

/* The Logs Ingestion API version the requests are written for. */
#define WA_SENTINEL_API_VERSION "2023-01-01"

/* The most uncompressed JSON one call may carry.  The service allows
 * 1 MB per call; counting in decimal megabytes keeps under the limit
 * whichever way it is read. */
#define WA_SENTINEL_MAX_REQUEST_SIZE (1000 * 1000)

#define WA_TYPE_SENTINEL_SENDER (wa_sentinel_sender_get_type ())

G_DECLARE_FINAL_TYPE (WaSentinelSender, wa_sentinel_sender, WA, SENTINEL_SENDER, GObject)

WaSentinelSender *wa_sentinel_sender_new       (const char       *endpoint,
                                                const char       *dcr_immutable_id,
                                                const char       *stream_name,
                                                const char       *token);
void              wa_sentinel_sender_set_token (WaSentinelSender *self,
                                                const char       *token);

G_END_DECLS
