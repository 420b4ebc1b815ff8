/* wa-syslog-sender.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wa-siem-sender.h"

G_BEGIN_DECLS

/* The port RFC 5425 assigns to syslog over TLS. */
#define WA_SYSLOG_TLS_PORT 6514
/* The port commonly used for syslog over plain TCP. */
#define WA_SYSLOG_TCP_PORT 514

#define WA_TYPE_SYSLOG_SENDER (wa_syslog_sender_get_type ())

G_DECLARE_FINAL_TYPE (WaSyslogSender, wa_syslog_sender, WA, SYSLOG_SENDER, GObject)

WaSyslogSender *wa_syslog_sender_new      (const char     *host,
                                           guint           port,
                                           gboolean        tls,
                                           const char     *ca_file);
const char     *wa_syslog_sender_get_host (WaSyslogSender *self);
guint           wa_syslog_sender_get_port (WaSyslogSender *self);
gboolean        wa_syslog_sender_get_tls  (WaSyslogSender *self);

G_END_DECLS
