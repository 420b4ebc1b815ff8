/* wa-siem-sender.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-siem-sender"

#include "config.h"

#include <string.h>

#include "wa-siem-sender.h"

/* How much of a server's own error text goes into a message. */
#define SERVER_TEXT_MAX 200

/**
 * WaSiemSender:
 *
 * A synchronous transport that delivers batches of audit events to a
 * SIEM.  A worker thread calls wa_siem_sender_send() with the events it
 * read from the audit log; the call either delivers the whole batch or
 * fails, and after a failure the caller sends the same batch again later.
 * A batch that failed half-way may therefore arrive twice in part: the
 * transports give at-least-once delivery, and the events carry their
 * audit log index so a SIEM can drop duplicates.
 *
 * Implementations keep no event after a send returns, never log an
 * event's content, and never put a token or other credential into an
 * error message or a log line.
 */

G_DEFINE_INTERFACE (WaSiemSender, wa_siem_sender, G_TYPE_OBJECT)
G_DEFINE_QUARK (wa_siem_send_error_quark, wa_siem_send_error)

static void
wa_siem_sender_default_init (WaSiemSenderInterface *iface)
{
}

/**
 * wa_siem_sender_get_name:
 *
 * Returns: a short description of the destination for logs and the user
 *   interface, such as "syslog over TLS to siem.example.org:6514"; it
 *   holds no credential
 */
const char *
wa_siem_sender_get_name (WaSiemSender *self)
{
  g_return_val_if_fail (WA_IS_SIEM_SENDER (self), NULL);

  return WA_SIEM_SENDER_GET_IFACE (self)->get_name (self);
}

/**
 * wa_siem_sender_send:
 * @self: a sender
 * @events: (element-type JsonObject): the audit events, in the form
 *   wa_siem_format_json() takes, oldest first
 * @cancellable: (nullable): a #GCancellable
 * @error: return location for a #WA_SIEM_SEND_ERROR, or
 *   G_IO_ERROR_CANCELLED
 *
 * Delivers @events in order, blocking until the receiver has taken all of
 * them or the send failed.  An empty batch succeeds without contacting
 * the receiver.  Events that cannot be formatted fail the batch before
 * anything is sent.
 *
 * Returns: %TRUE if every event was delivered
 */
gboolean
wa_siem_sender_send (WaSiemSender  *self,
                     GPtrArray     *events,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_return_val_if_fail (WA_IS_SIEM_SENDER (self), FALSE);
  g_return_val_if_fail (events != NULL, FALSE);
  g_return_val_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable), FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (events->len == 0)
    return TRUE;

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  return WA_SIEM_SENDER_GET_IFACE (self)->send (self, events, cancellable, error);
}

/**
 * wa_siem_sender_set_error_from_transport:
 * @error: return location for the error
 * @transport_error: what GIO, the TLS backend or libsoup reported
 * @peer: the destination, as wa_siem_sender_get_name() describes it
 *
 * Sets @error to the #WA_SIEM_SEND_ERROR that @transport_error means, in
 * words that say what to do.  Cancellation is passed on unchanged.
 */
void
wa_siem_sender_set_error_from_transport (GError     **error,
                                         GError      *transport_error,
                                         const char  *peer)
{
  g_return_if_fail (transport_error != NULL);
  g_return_if_fail (peer != NULL);

  if (g_error_matches (transport_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_propagate_error (error, g_error_copy (transport_error));
      return;
    }

  g_debug ("Transport error with %s: %s", peer, transport_error->message);

  if (transport_error->domain == G_RESOLVER_ERROR)
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_UNREACHABLE,
                 "Could not find the host of %s (%s); check the host name in the SIEM settings and the network",
                 peer, transport_error->message);
  else if (g_error_matches (transport_error, G_TLS_ERROR, G_TLS_ERROR_BAD_CERTIFICATE))
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CERTIFICATE,
                 "The TLS certificate of %s could not be verified (%s); check the CA file and the host name in the SIEM settings",
                 peer, transport_error->message);
  else if (g_error_matches (transport_error, G_TLS_ERROR, G_TLS_ERROR_EOF))
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_UNREACHABLE,
                 "The connection to %s was closed during the send (%s); the events will be sent again",
                 peer, transport_error->message);
  else if (transport_error->domain == G_TLS_ERROR)
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_PROTOCOL,
                 "The TLS connection to %s failed (%s); check that the port in the SIEM settings speaks TLS",
                 peer, transport_error->message);
  else if (transport_error->domain == G_IO_ERROR)
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_UNREACHABLE,
                 "Could not reach %s (%s); check that it is running and that the host and port in the SIEM settings are right",
                 peer, transport_error->message);
  else
    g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_PROTOCOL,
                 "The exchange with %s failed (%s); check that the SIEM settings point at the right service",
                 peer, transport_error->message);
}

/**
 * wa_siem_sender_load_ca_file:
 * @ca_file: a PEM file of CA certificates
 * @error: return location for a %WA_SIEM_SEND_ERROR_CONFIGURATION
 *
 * Returns: (transfer full): a database that trusts exactly the
 *   certificates in @ca_file, or %NULL with @error set
 */
GTlsDatabase *
wa_siem_sender_load_ca_file (const char  *ca_file,
                             GError     **error)
{
  g_autoptr(GError) local_error = NULL;
  GTlsDatabase *database;

  g_return_val_if_fail (ca_file != NULL, NULL);

  database = g_tls_file_database_new (ca_file, &local_error);
  if (database == NULL)
    {
      g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION,
                   "The CA file “%s” for the SIEM connection could not be loaded (%s); check that it is a readable PEM file",
                   ca_file, local_error->message);
      return NULL;
    }

  return database;
}

static gboolean
is_loopback_host (const char *host)
{
  g_autoptr(GInetAddress) address = NULL;

  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

/**
 * wa_siem_sender_check_base_url:
 * @url: the base URL of an HTTP service, from the settings
 * @what: the service's name for messages, such as "Splunk HEC"
 * @error: return location for a %WA_SIEM_SEND_ERROR_CONFIGURATION
 *
 * Checks that @url can carry a credential safely: an https URL, or an
 * http URL to this machine (a local forwarder, or a test), with no user
 * name, password, query or fragment.  A token sent over plain HTTP across
 * a network could be read by anyone on the path.
 *
 * Returns: (transfer full): @url without a trailing slash, ready for a
 *   path to be appended, or %NULL with @error set
 */
char *
wa_siem_sender_check_base_url (const char  *url,
                               const char  *what,
                               GError     **error)
{
  g_autoptr(GUri) uri = NULL;
  g_autofree char *text = NULL;
  const char *scheme;
  const char *host;
  gsize length;

  g_return_val_if_fail (what != NULL, NULL);

  /* The URL is never quoted in these messages: a wrong one may hold a
   * password. */
  if (url == NULL || *url == '\0')
    {
      g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION,
                   "No %s URL is set; enter it in the SIEM settings", what);
      return NULL;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_ENCODED, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION,
                   "The %s URL in the SIEM settings is not a valid URL; enter it as https://host:port", what);
      return NULL;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 &&
      !(g_ascii_strcasecmp (scheme, "http") == 0 && is_loopback_host (host)))
    {
      g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION,
                   "The %s URL in the SIEM settings must start with https:// so the token is not sent in clear text; "
                   "plain http:// is only allowed to this computer", what);
      return NULL;
    }

  if (g_uri_get_userinfo (uri) != NULL)
    {
      g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION,
                   "The %s URL in the SIEM settings must not hold a user name or password; enter the token in its own field",
                   what);
      return NULL;
    }

  if (g_uri_get_query (uri) != NULL || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION,
                   "The %s URL in the SIEM settings must not have a query or fragment; enter only https://host:port",
                   what);
      return NULL;
    }

  text = g_uri_to_string (uri);
  length = strlen (text);
  while (length > 0 && text[length - 1] == '/')
    text[--length] = '\0';

  return g_steal_pointer (&text);
}

/**
 * wa_siem_sender_check_token:
 * @token: a bearer or HEC token
 * @what: the service's name for messages
 * @error: return location for a %WA_SIEM_SEND_ERROR_CONFIGURATION
 *
 * Checks that @token is printable ASCII without spaces, which every
 * token of these services is, so it cannot break out of its header.
 *
 * Returns: %TRUE if @token can be sent
 */
gboolean
wa_siem_sender_check_token (const char  *token,
                            const char  *what,
                            GError     **error)
{
  g_return_val_if_fail (token != NULL, FALSE);
  g_return_val_if_fail (what != NULL, FALSE);

  for (const char *p = token; *p != '\0'; p++)
    {
      if (*p < 0x21 || *p > 0x7e)
        {
          g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION,
                       "The %s token in the SIEM settings holds spaces or characters no token has; paste it again",
                       what);
          return FALSE;
        }
    }

  return TRUE;
}

/**
 * wa_siem_sender_quote_server_text:
 * @text: (nullable): an error text a server sent
 * @secret: (nullable): a credential the text must not carry
 *
 * Makes a server's error text fit to be shown in a message: valid UTF-8,
 * one line, at most 200 characters.  A text that holds @secret is
 * dropped whole, so a server that echoes the token cannot leak it into a
 * message or a log.
 *
 * Returns: (transfer full) (nullable): the text, or %NULL if there is
 *   nothing to show
 */
char *
wa_siem_sender_quote_server_text (const char *text,
                                  const char *secret)
{
  g_autofree char *valid = NULL;
  GString *out;

  if (text == NULL || *text == '\0')
    return NULL;

  if (secret != NULL && *secret != '\0' && strstr (text, secret) != NULL)
    return NULL;

  valid = g_utf8_make_valid (text, -1);
  out = g_string_new (NULL);
  for (const char *p = valid; *p != '\0' && g_utf8_strlen (out->str, out->len) < SERVER_TEXT_MAX;
       p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iscntrl (c))
        g_string_append_c (out, ' ');
      else
        g_string_append_unichar (out, c);
    }

  return g_string_free (out, FALSE);
}

/**
 * wa_siem_sender_wait:
 * @milliseconds: how long to wait
 * @cancellable: (nullable): a #GCancellable that ends the wait early
 * @error: return location for G_IO_ERROR_CANCELLED
 *
 * Blocks the calling thread for @milliseconds, or until @cancellable is
 * cancelled.
 *
 * Returns: %FALSE if the wait was cancelled
 */
gboolean
wa_siem_sender_wait (guint          milliseconds,
                     GCancellable  *cancellable,
                     GError       **error)
{
  GPollFD poll_fd;

  if (cancellable == NULL || !g_cancellable_make_pollfd (cancellable, &poll_fd))
    {
      g_usleep ((gulong) milliseconds * 1000);
      return !g_cancellable_set_error_if_cancelled (cancellable, error);
    }

  g_poll (&poll_fd, 1, milliseconds);
  g_cancellable_release_fd (cancellable);

  return !g_cancellable_set_error_if_cancelled (cancellable, error);
}
