/* wa-splunk-hec-sender.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wa-siem-sender.h"

G_BEGIN_DECLS

#define WA_SPLUNK_HEC_SOURCE     "webagent"
#define WA_SPLUNK_HEC_SOURCETYPE "webagent:audit"

#define WA_TYPE_SPLUNK_HEC_SENDER (wa_splunk_hec_sender_get_type ())

G_DECLARE_FINAL_TYPE (WaSplunkHecSender, wa_splunk_hec_sender, WA, SPLUNK_HEC_SENDER, GObject)

WaSplunkHecSender *wa_splunk_hec_sender_new         (const char        *base_url,
                                                     const char        *token);
void               wa_splunk_hec_sender_set_token   (WaSplunkHecSender *self,
                                                     const char        *token);
const char        *wa_splunk_hec_sender_get_channel (WaSplunkHecSender *self);

G_END_DECLS
