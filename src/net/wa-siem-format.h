/* wa-siem-format.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

#define WA_SIEM_FORMAT_ERROR (wa_siem_format_error_quark ())

typedef enum
{
  /* The audit event lacks a required member, has a member of the wrong
   * type or value, or has a member this module does not know. */
  WA_SIEM_FORMAT_ERROR_INVALID_EVENT,
  /* A parameter from the configuration (host name, app name, SD-ID,
   * facility, product version) cannot be written into the format. */
  WA_SIEM_FORMAT_ERROR_INVALID_PARAMETER,
} WaSiemFormatError;

#define WA_SIEM_VENDOR  "WebAgent"
#define WA_SIEM_PRODUCT "WebAgent"

/* The SD-ID of the structured-data element when the caller gives none.
 * 32473 is the example Private Enterprise Number of RFC 5612; a
 * deployment should pass an SD-ID under its own PEN. */
#define WA_SIEM_DEFAULT_SD_ID "webagent@32473"

/* The highest syslog facility code (local7, RFC 5424 §6.2.1). */
#define WA_SIEM_SYSLOG_FACILITY_MAX 23

GQuark  wa_siem_format_error_quark    (void);

char   *wa_siem_format_cef            (JsonObject  *event,
                                       const char  *product_version,
                                       GError     **error);
char   *wa_siem_format_leef           (JsonObject  *event,
                                       const char  *product_version,
                                       GError     **error);
char   *wa_siem_format_syslog         (JsonObject  *event,
                                       const char  *hostname,
                                       const char  *app_name,
                                       const char  *sd_id,
                                       const char  *product_version,
                                       int          facility,
                                       GError     **error);
char   *wa_siem_format_json           (JsonObject  *event,
                                       GError     **error);
GBytes *wa_siem_frame_octet_counting  (const char  *message);

G_END_DECLS
