/* wa-syslog-sender.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-syslog-sender"

#include "config.h"

#include <string.h>

#include "wa-siem-format.h"
#include "wa-syslog-sender.h"

/* How long a connect, a TLS handshake or a write may stall, unless the
 * settings say otherwise. */
#define SYSLOG_DEFAULT_TIMEOUT 30
#define SYSLOG_HOSTNAME_MAX    255

/**
 * WaSyslogSender:
 *
 * Sends audit events as RFC 5424 syslog messages over TCP (RFC 6587) or
 * TLS (RFC 5425), each framed by octet counting.  The connection stays
 * open between batches and is made again when the receiver closed it or
 * a send failed.
 *
 * Over TLS the receiver's certificate must chain to the CA file given in
 * the settings (or, without one, to the system's trusted CAs) and name
 * the host connected to.  There is no way to turn that check off: a
 * receiver that cannot be verified is reached over plain TCP or not at
 * all.
 *
 * Syslog over a stream has no acknowledgement.  Before each batch the
 * sender checks that the receiver has not closed the connection, so a
 * restarted receiver costs a reconnection and not the batch; a receiver
 * that dies while the batch is in flight can still lose its tail, which
 * the kernel accepted but nobody read.
 */
struct _WaSyslogSender
{
  GObject             parent_instance;

  char               *host;
  guint               port;
  gboolean            tls;
  char               *ca_file;
  char               *hostname;
  char               *app_name;
  int                 facility;
  char               *sd_id;
  guint               timeout;

  char               *name;

  /* Held for the whole of a send: the connection is the sender's state. */
  GMutex              lock;
  GSocketClient      *client;
  GTlsDatabase       *database;
  GIOStream          *connection;
};

enum {
  PROP_0,
  PROP_HOST,
  PROP_PORT,
  PROP_TLS,
  PROP_CA_FILE,
  PROP_HOSTNAME,
  PROP_APP_NAME,
  PROP_FACILITY,
  PROP_SD_ID,
  PROP_TIMEOUT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void siem_sender_iface_init (WaSiemSenderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (WaSyslogSender, wa_syslog_sender, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (WA_TYPE_SIEM_SENDER, siem_sender_iface_init))

static void
close_connection (WaSyslogSender *self)
{
  if (self->connection == NULL)
    return;

  /* Closing a TLS connection sends close_notify; a receiver that is gone
   * makes that fail, which changes nothing here. */
  g_io_stream_close (self->connection, NULL, NULL);
  g_clear_object (&self->connection);
}

/* A syslog receiver never writes to the connection, so anything it has
 * to read (an end of stream, an error, or stray data) means the receiver
 * closed it or is not a syslog receiver: in both cases a fresh connection
 * is the safe choice.  A TLS 1.3 session ticket makes the socket readable
 * too, but the TLS layer consumes it and the read would block. */
static gboolean
connection_is_usable (WaSyslogSender *self)
{
  g_autoptr(GError) error = NULL;
  GInputStream *input;
  char buffer[256];
  gssize n_read;

  if (self->connection == NULL)
    return FALSE;

  input = g_io_stream_get_input_stream (self->connection);
  if (!G_IS_POLLABLE_INPUT_STREAM (input))
    return TRUE;

  n_read = g_pollable_input_stream_read_nonblocking (G_POLLABLE_INPUT_STREAM (input),
                                                     buffer, sizeof buffer, NULL, &error);
  if (n_read < 0 && g_error_matches (error, G_IO_ERROR, G_IO_ERROR_WOULD_BLOCK))
    return TRUE;

  g_debug ("The connection to %s is no longer usable; reconnecting", self->name);
  return FALSE;
}

static gboolean
ensure_connection (WaSyslogSender  *self,
                   GCancellable    *cancellable,
                   GError         **error)
{
  g_autoptr(GSocketConnectable) address = NULL;
  g_autoptr(GSocketConnection) socket_connection = NULL;
  g_autoptr(GIOStream) tls_connection = NULL;
  g_autoptr(GError) local_error = NULL;

  if (connection_is_usable (self))
    return TRUE;

  close_connection (self);

  if (self->host == NULL || *self->host == '\0')
    {
      g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION,
                   "No syslog receiver is set; enter its host name in the SIEM settings");
      return FALSE;
    }

  if (self->tls && self->ca_file != NULL && self->database == NULL)
    {
      self->database = wa_siem_sender_load_ca_file (self->ca_file, error);
      if (self->database == NULL)
        return FALSE;
    }

  address = g_network_address_new (self->host, self->port);
  socket_connection = g_socket_client_connect (self->client, address, cancellable, &local_error);
  if (socket_connection == NULL)
    {
      wa_siem_sender_set_error_from_transport (error, local_error, self->name);
      return FALSE;
    }

  if (!self->tls)
    {
      self->connection = G_IO_STREAM (g_steal_pointer (&socket_connection));
      return TRUE;
    }

  /* The address is the server identity: the certificate must name the
   * host as configured, not whatever it resolved to. */
  tls_connection = g_tls_client_connection_new (G_IO_STREAM (socket_connection), address, &local_error);
  if (tls_connection == NULL)
    {
      g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION,
                   "TLS is not available (%s); install glib-networking", local_error->message);
      return FALSE;
    }

  if (self->database != NULL)
    g_tls_connection_set_database (G_TLS_CONNECTION (tls_connection), self->database);

  if (!g_tls_connection_handshake (G_TLS_CONNECTION (tls_connection), cancellable, &local_error))
    {
      g_io_stream_close (tls_connection, NULL, NULL);
      /* A plain syslog listener takes the ClientHello for the start of a
       * message and waits for the rest. */
      if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
        g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_PROTOCOL,
                     "The TLS handshake with %s got no answer; check that the port in the SIEM settings is the receiver's TLS port",
                     self->name);
      else
        wa_siem_sender_set_error_from_transport (error, local_error, self->name);
      return FALSE;
    }

  self->connection = g_steal_pointer (&tls_connection);
  return TRUE;
}

/* All messages are formatted before the first byte is sent, so an event
 * that cannot be written fails the batch without sending any of it. */
static GByteArray *
format_batch (WaSyslogSender  *self,
              GPtrArray       *events,
              GError         **error)
{
  g_autoptr(GByteArray) frames = g_byte_array_new ();

  for (guint i = 0; i < events->len; i++)
    {
      g_autoptr(GError) local_error = NULL;
      g_autofree char *message = NULL;
      g_autoptr(GBytes) frame = NULL;
      gsize size;
      gconstpointer data;

      message = wa_siem_format_syslog (g_ptr_array_index (events, i), self->hostname, self->app_name,
                                       self->sd_id, PACKAGE_VERSION, self->facility, &local_error);
      if (message == NULL)
        {
          if (g_error_matches (local_error, WA_SIEM_FORMAT_ERROR, WA_SIEM_FORMAT_ERROR_INVALID_PARAMETER))
            g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_CONFIGURATION,
                         "The syslog settings cannot be used (%s); correct them in the SIEM settings",
                         local_error->message);
          else
            g_set_error (error, WA_SIEM_SEND_ERROR, WA_SIEM_SEND_ERROR_INVALID_EVENT,
                         "The audit event at position %u of the batch cannot be exported (%s); leave it out to export the rest",
                         i + 1, local_error->message);
          return NULL;
        }

      frame = wa_siem_frame_octet_counting (message);
      data = g_bytes_get_data (frame, &size);
      g_byte_array_append (frames, data, size);
    }

  return g_steal_pointer (&frames);
}

static gboolean
wa_syslog_sender_send (WaSiemSender  *sender,
                       GPtrArray     *events,
                       GCancellable  *cancellable,
                       GError       **error)
{
  WaSyslogSender *self = WA_SYSLOG_SENDER (sender);
  g_autoptr(GMutexLocker) locker = g_mutex_locker_new (&self->lock);
  g_autoptr(GByteArray) frames = NULL;
  g_autoptr(GError) local_error = NULL;
  GOutputStream *output;

  frames = format_batch (self, events, error);
  if (frames == NULL)
    return FALSE;

  if (!ensure_connection (self, cancellable, error))
    return FALSE;

  output = g_io_stream_get_output_stream (self->connection);
  if (!g_output_stream_write_all (output, frames->data, frames->len, NULL, cancellable, &local_error) ||
      !g_output_stream_flush (output, cancellable, &local_error))
    {
      /* The receiver may hold part of a frame: only a new connection
       * gives the next batch a clean start. */
      close_connection (self);
      wa_siem_sender_set_error_from_transport (error, local_error, self->name);
      return FALSE;
    }

  g_debug ("Sent %u events (%u bytes) to %s", events->len, frames->len, self->name);

  return TRUE;
}

static const char *
wa_syslog_sender_get_name (WaSiemSender *sender)
{
  return WA_SYSLOG_SENDER (sender)->name;
}

static void
siem_sender_iface_init (WaSiemSenderInterface *iface)
{
  iface->get_name = wa_syslog_sender_get_name;
  iface->send = wa_syslog_sender_send;
}

/* The machine's host name when the settings give none, as syslog
 * daemons do; the NILVALUE if it cannot be written in HOSTNAME. */
static char *
default_hostname (void)
{
  const char *name = g_get_host_name ();

  if (strlen (name) > SYSLOG_HOSTNAME_MAX)
    return NULL;

  for (const char *p = name; *p != '\0'; p++)
    {
      if (*p < 33 || *p > 126)
        return NULL;
    }

  return g_strdup (name);
}

static void
wa_syslog_sender_constructed (GObject *object)
{
  WaSyslogSender *self = WA_SYSLOG_SENDER (object);
  const char *host = self->host != NULL ? self->host : "";
  gboolean ipv6 = strchr (host, ':') != NULL;

  G_OBJECT_CLASS (wa_syslog_sender_parent_class)->constructed (object);

  if (self->port == 0)
    self->port = self->tls ? WA_SYSLOG_TLS_PORT : WA_SYSLOG_TCP_PORT;

  if (self->hostname == NULL)
    self->hostname = default_hostname ();

  self->name = g_strdup_printf ("syslog over %s to %s%s%s:%u",
                                self->tls ? "TLS" : "TCP",
                                ipv6 ? "[" : "", host, ipv6 ? "]" : "",
                                self->port);

  self->client = g_socket_client_new ();
  g_socket_client_set_timeout (self->client, self->timeout);
}

static void
wa_syslog_sender_finalize (GObject *object)
{
  WaSyslogSender *self = WA_SYSLOG_SENDER (object);

  close_connection (self);
  g_clear_object (&self->client);
  g_clear_object (&self->database);
  g_mutex_clear (&self->lock);
  g_free (self->host);
  g_free (self->ca_file);
  g_free (self->hostname);
  g_free (self->app_name);
  g_free (self->sd_id);
  g_free (self->name);

  G_OBJECT_CLASS (wa_syslog_sender_parent_class)->finalize (object);
}

static void
wa_syslog_sender_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  WaSyslogSender *self = WA_SYSLOG_SENDER (object);

  switch (prop_id)
    {
    case PROP_HOST :
      g_value_set_string (value, self->host);
      break;
    case PROP_PORT :
      g_value_set_uint (value, self->port);
      break;
    case PROP_TLS :
      g_value_set_boolean (value, self->tls);
      break;
    case PROP_CA_FILE :
      g_value_set_string (value, self->ca_file);
      break;
    case PROP_HOSTNAME :
      g_value_set_string (value, self->hostname);
      break;
    case PROP_APP_NAME :
      g_value_set_string (value, self->app_name);
      break;
    case PROP_FACILITY :
      g_value_set_int (value, self->facility);
      break;
    case PROP_SD_ID :
      g_value_set_string (value, self->sd_id);
      break;
    case PROP_TIMEOUT :
      g_value_set_uint (value, self->timeout);
      break;
    case N_PROPS :
    default :
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wa_syslog_sender_set_property (GObject      *object,
                               guint         prop_id,
                               const GValue *value,
                               GParamSpec   *pspec)
{
  WaSyslogSender *self = WA_SYSLOG_SENDER (object);

  switch (prop_id)
    {
    case PROP_HOST :
      self->host = g_value_dup_string (value);
      break;
    case PROP_PORT :
      self->port = g_value_get_uint (value);
      break;
    case PROP_TLS :
      self->tls = g_value_get_boolean (value);
      break;
    case PROP_CA_FILE :
      self->ca_file = g_value_dup_string (value);
      break;
    case PROP_HOSTNAME :
      self->hostname = g_value_dup_string (value);
      break;
    case PROP_APP_NAME :
      self->app_name = g_value_dup_string (value);
      break;
    case PROP_FACILITY :
      self->facility = g_value_get_int (value);
      break;
    case PROP_SD_ID :
      self->sd_id = g_value_dup_string (value);
      break;
    case PROP_TIMEOUT :
      self->timeout = g_value_get_uint (value);
      break;
    case N_PROPS :
    default :
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
wa_syslog_sender_class_init (WaSyslogSenderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags flags = G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS;

  object_class->constructed = wa_syslog_sender_constructed;
  object_class->finalize = wa_syslog_sender_finalize;
  object_class->get_property = wa_syslog_sender_get_property;
  object_class->set_property = wa_syslog_sender_set_property;

  /**
   * WaSyslogSender:host:
   *
   * The receiver's host name or address; over TLS, the name its
   * certificate must carry.
   */
  properties[PROP_HOST] =
    g_param_spec_string ("host", NULL, NULL, NULL, flags);

  /**
   * WaSyslogSender:port:
   *
   * The receiver's TCP port; 0 gives 6514 over TLS and 514 over TCP.
   */
  properties[PROP_PORT] =
    g_param_spec_uint ("port", NULL, NULL, 0, G_MAXUINT16, 0, flags);

  /**
   * WaSyslogSender:tls:
   *
   * Whether to speak TLS (RFC 5425) rather than plain TCP (RFC 6587).
   */
  properties[PROP_TLS] =
    g_param_spec_boolean ("tls", NULL, NULL, TRUE, flags);

  /**
   * WaSyslogSender:ca-file:
   *
   * A PEM file of the CAs the receiver's certificate must chain to;
   * %NULL trusts the system's CAs.
   */
  properties[PROP_CA_FILE] =
    g_param_spec_string ("ca-file", NULL, NULL, NULL, flags);

  /**
   * WaSyslogSender:hostname:
   *
   * The HOSTNAME field of each message; %NULL gives this machine's host
   * name, "" the NILVALUE.
   */
  properties[PROP_HOSTNAME] =
    g_param_spec_string ("hostname", NULL, NULL, NULL, flags);

  /**
   * WaSyslogSender:app-name:
   *
   * The APP-NAME field of each message.
   */
  properties[PROP_APP_NAME] =
    g_param_spec_string ("app-name", NULL, NULL, "webagent", flags);

  /**
   * WaSyslogSender:facility:
   *
   * The syslog facility, 0 to 23; 13 is "log audit".
   */
  properties[PROP_FACILITY] =
    g_param_spec_int ("facility", NULL, NULL, 0, WA_SIEM_SYSLOG_FACILITY_MAX, 13, flags);

  /**
   * WaSyslogSender:sd-id:
   *
   * The SD-ID of the structured data, name@enterprise-number; %NULL
   * gives %WA_SIEM_DEFAULT_SD_ID.
   */
  properties[PROP_SD_ID] =
    g_param_spec_string ("sd-id", NULL, NULL, NULL, flags);

  /**
   * WaSyslogSender:timeout:
   *
   * How many seconds a connection attempt, the TLS handshake or a write
   * may stall before the send fails.
   */
  properties[PROP_TIMEOUT] =
    g_param_spec_uint ("timeout", NULL, NULL, 1, 600, SYSLOG_DEFAULT_TIMEOUT, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
wa_syslog_sender_init (WaSyslogSender *self)
{
  g_mutex_init (&self->lock);
}

/**
 * wa_syslog_sender_new:
 * @host: the receiver's host name or address
 * @port: its port, or 0 for the default of the transport
 * @tls: whether to use TLS
 * @ca_file: (nullable): the CA file for TLS, or %NULL for the system's CAs
 *
 * Returns: (transfer full): a new sender; it connects on the first send
 */
WaSyslogSender *
wa_syslog_sender_new (const char *host,
                      guint       port,
                      gboolean    tls,
                      const char *ca_file)
{
  g_return_val_if_fail (host != NULL, NULL);
  g_return_val_if_fail (port <= G_MAXUINT16, NULL);

  return g_object_new (WA_TYPE_SYSLOG_SENDER,
                       "host", host,
                       "port", port,
                       "tls", tls,
                       "ca-file", ca_file,
                       NULL);
}

const char *
wa_syslog_sender_get_host (WaSyslogSender *self)
{
  g_return_val_if_fail (WA_IS_SYSLOG_SENDER (self), NULL);

  return self->host;
}

guint
wa_syslog_sender_get_port (WaSyslogSender *self)
{
  g_return_val_if_fail (WA_IS_SYSLOG_SENDER (self), 0);

  return self->port;
}

gboolean
wa_syslog_sender_get_tls (WaSyslogSender *self)
{
  g_return_val_if_fail (WA_IS_SYSLOG_SENDER (self), FALSE);

  return self->tls;
}
