/* wa-test-net.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "wa-siem-sender.h"

G_BEGIN_DECLS

/* An HTTP answer of a collector, and the error a sender must make of it. */
typedef struct
{
  guint            status;
  const char      *answer;
  WaSiemSendError  code;
} WaTestNetStatusCase;

/* A request the loopback server received. */
typedef struct
{
  char      *method;
  char      *path;
  char      *query;
  GPtrArray *headers;   /* "Name: value" */
  GBytes    *body;      /* as received */
  GBytes    *content;   /* the body after Content-Encoding */
} WaTestNetRequest;

/* A handler of the loopback server: @callback gets the server's
 * user_data for requests under @path. */
typedef struct
{
  const char         *path;
  SoupServerCallback  callback;
} WaTestNetHandler;

/* A SoupServer on a loopback port, in a thread of its own.  Its
 * handlers write what they saw under @lock. */
typedef struct
{
  GMutex                  lock;
  GPtrArray              *requests;   /* WaTestNetRequest */
  GPtrArray              *problems;   /* char* */
  char                   *base_url;   /* without the final slash */

  /*< private >*/
  const char             *cert_dir;
  const WaTestNetHandler *handlers;
  gpointer                user_data;
  GThread                *thread;
  GMainContext           *context;
  GMainLoop              *loop;
  GMutex                  start_lock;
  GCond                   started;
} WaTestNetServer;

void             wa_test_net_init                         (int                       *argc,
                                                           char                    ***argv);
void             wa_test_net_wait_for_pool_threads        (void);
char            *wa_test_net_make_certificates            (const char                *prefix);
GSocket         *wa_test_net_bind_closed_port             (guint                     *port);
gboolean         wa_test_net_send_from_worker             (WaSiemSender              *sender,
                                                           GPtrArray                 *events,
                                                           GError                   **error);
void             wa_test_net_assert_error_free_of         (const GError              *error,
                                                           const char                *secret);
GError          *wa_test_net_assert_send_fails            (WaSiemSender              *sender,
                                                           GPtrArray                 *events,
                                                           const WaTestNetStatusCase *status_case,
                                                           const char                *token);

JsonObject      *wa_test_net_make_event                   (guint                      index,
                                                           const char                *time,
                                                           const char                *resource,
                                                           const char                *ip);
guint64          wa_test_net_http_event_offset            (guint                      index);
GPtrArray       *wa_test_net_make_http_events             (guint                      n,
                                                           gsize                      padding);
JsonObject      *wa_test_net_make_http_event              (guint                      index,
                                                           gsize                      padding);

WaTestNetServer *wa_test_net_server_new                   (const char                *cert_dir,
                                                           const WaTestNetHandler    *handlers,
                                                           gpointer                   user_data);
void             wa_test_net_server_free                  (WaTestNetServer           *server);
void             wa_test_net_server_problem               (WaTestNetServer           *server,
                                                           const char                *format,
                                                           ...) G_GNUC_PRINTF (2, 3);
void             wa_test_net_server_record_request        (WaTestNetServer           *server,
                                                           SoupServerMessage         *msg,
                                                           GBytes                    *body,
                                                           GBytes                    *content);
void             wa_test_net_server_check_post            (WaTestNetServer           *server,
                                                           SoupServerMessage         *msg,
                                                           const char                *authorization);
void             wa_test_net_respond                      (SoupServerMessage         *msg,
                                                           guint                      status,
                                                           const char                *body);
guint            wa_test_net_server_count_requests        (WaTestNetServer           *server);
void             wa_test_net_server_assert_no_problems    (WaTestNetServer           *server);
void             wa_test_net_server_assert_token_confined (WaTestNetServer           *server,
                                                           const char                *token);
void             wa_test_net_server_assert_requests       (WaTestNetServer           *server,
                                                           guint                      count,
                                                           const char                *token);

G_END_DECLS
