/* wa-siem-sender.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define WA_SIEM_SEND_ERROR (wa_siem_send_error_quark ())

/* Why a batch was not delivered.  The first five are worth retrying
 * later with the same batch; the rest need a change of configuration or
 * of the events before a retry can succeed.  Cancellation is reported as
 * G_IO_ERROR_CANCELLED, not in this domain. */
typedef enum
{
  /* No connection: the host could not be found, refused the connection,
   * timed out, or the connection broke during the send. */
  WA_SIEM_SEND_ERROR_UNREACHABLE,
  /* The server answered 5xx or 429, said it is busy, or did not confirm
   * the events in time. */
  WA_SIEM_SEND_ERROR_SERVER,
  /* The server's answer was not what its protocol prescribes. */
  WA_SIEM_SEND_ERROR_PROTOCOL,
  /* The server refused the credentials (HTTP 401 or 403). */
  WA_SIEM_SEND_ERROR_REFUSED,
  /* The server refused the request or its data (another 4xx). */
  WA_SIEM_SEND_ERROR_REJECTED,
  /* The server's TLS certificate could not be verified against the
   * configured CA, or does not name the configured host. */
  WA_SIEM_SEND_ERROR_CERTIFICATE,
  /* The batch, or one event of it, is larger than the server accepts. */
  WA_SIEM_SEND_ERROR_TOO_LARGE,
  /* An event of the batch cannot be written in the transport's format. */
  WA_SIEM_SEND_ERROR_INVALID_EVENT,
  /* The sender's settings cannot work: a malformed URL, an unreadable CA
   * file, a value the format cannot carry. */
  WA_SIEM_SEND_ERROR_CONFIGURATION,
} WaSiemSendError;

#define WA_TYPE_SIEM_SENDER (wa_siem_sender_get_type ())

G_DECLARE_INTERFACE (WaSiemSender, wa_siem_sender, WA, SIEM_SENDER, GObject)

struct _WaSiemSenderInterface
{
  GTypeInterface parent_iface;

  const char *(*get_name) (WaSiemSender  *self);
  gboolean    (*send)     (WaSiemSender  *self,
                           GPtrArray     *events,
                           GCancellable  *cancellable,
                           GError       **error);
};

GQuark        wa_siem_send_error_quark       (void);

const char   *wa_siem_sender_get_name        (WaSiemSender  *self);
gboolean      wa_siem_sender_send            (WaSiemSender  *self,
                                              GPtrArray     *events,
                                              GCancellable  *cancellable,
                                              GError       **error);

/* For implementations of the interface. */
void          wa_siem_sender_set_error_from_transport (GError       **error,
                                                       GError        *transport_error,
                                                       const char    *peer);
GTlsDatabase *wa_siem_sender_load_ca_file    (const char    *ca_file,
                                              GError       **error);
char         *wa_siem_sender_check_base_url  (const char    *url,
                                              const char    *what,
                                              GError       **error);
gboolean      wa_siem_sender_check_token     (const char    *token,
                                              const char    *what,
                                              GError       **error);
char         *wa_siem_sender_quote_server_text (const char  *text,
                                                const char  *secret);
gboolean      wa_siem_sender_wait            (guint          milliseconds,
                                              GCancellable  *cancellable,
                                              GError       **error);

G_END_DECLS
