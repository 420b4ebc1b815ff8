/* wa-siem-outbox.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "wa-vault.h"

G_BEGIN_DECLS

#define WA_SIEM_OUTBOX_ERROR (wa_siem_outbox_error_quark ())

typedef enum
{
  WA_SIEM_OUTBOX_ERROR_NOT_FOUND,
  WA_SIEM_OUTBOX_ERROR_EXISTS,
  WA_SIEM_OUTBOX_ERROR_INVALID,
  WA_SIEM_OUTBOX_ERROR_CONFLICT,
} WaSiemOutboxError;

/* A configured SIEM destination.  @config is public (host, port, URL…);
 * the credential, if any, is a vault record, named by @credential_id. */
typedef struct
{
  char    *name;
  char    *kind;                /* "syslog", "splunk-hec" or "sentinel" */
  char    *config;              /* canonical JSON */
  char    *credential_id;       /* nullable */
  guint64  next_index;          /* the first audit entry not yet acknowledged */
  guint    attempts;            /* failed sends since the last success */
  char    *last_error;          /* nullable */
  gint64   last_attempt_at;     /* µs since the epoch, 0 if never */
} WaSiemDestination;

void wa_siem_destination_free (WaSiemDestination *destination);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaSiemDestination, wa_siem_destination_free)

#define WA_TYPE_SIEM_OUTBOX (wa_siem_outbox_get_type ())

G_DECLARE_FINAL_TYPE (WaSiemOutbox, wa_siem_outbox, WA, SIEM_OUTBOX, GObject)

GQuark             wa_siem_outbox_error_quark     (void);
WaSiemOutbox      *wa_siem_outbox_new             (WaVault      *vault);
gboolean           wa_siem_outbox_add             (WaSiemOutbox *self,
                                                   const char   *name,
                                                   const char   *kind,
                                                   JsonObject   *config,
                                                   const char   *credential_id,
                                                   gboolean      from_start,
                                                   GError      **error);
gboolean           wa_siem_outbox_remove          (WaSiemOutbox *self,
                                                   const char   *name,
                                                   GError      **error);
GPtrArray         *wa_siem_outbox_list            (WaSiemOutbox *self,
                                                   GError      **error);
WaSiemDestination *wa_siem_outbox_get             (WaSiemOutbox *self,
                                                   const char   *name,
                                                   GError      **error);
gboolean           wa_siem_outbox_acknowledge     (WaSiemOutbox *self,
                                                   const char   *name,
                                                   guint64       sent_from,
                                                   guint64       next_index,
                                                   GError      **error);
gboolean           wa_siem_outbox_record_failure  (WaSiemOutbox *self,
                                                   const char   *name,
                                                   const char   *message,
                                                   GError      **error);

G_END_DECLS
