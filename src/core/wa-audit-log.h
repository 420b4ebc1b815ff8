/* wa-audit-log.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "wa-audit-entry.h"
#include "wa-vault.h"

G_BEGIN_DECLS

/* What happened, as a module reports it.  Nothing here may be a secret:
 * the header fields are public, and the body goes to SIEM receivers. */
typedef struct
{
  const char     *event_type;   /* "auth.unlock", "vault.put", ... */
  const char     *resource;     /* nullable */
  const char     *action;       /* nullable */
  WaAuditOutcome  outcome;
  int             risk_score;   /* 0 to 100 */
  const char     *session;      /* nullable */
  const char     *ip;           /* nullable */
  const char     *user_agent;   /* nullable */
  JsonObject     *metadata;     /* nullable */
  gint64          time;         /* 0 for now, else microseconds since the epoch */
} WaAuditEvent;

/* The outcome of wa_audit_log_verify(). */
typedef struct
{
  gboolean  ok;
  guint64   size;               /* entries in the log */
  guint64   from;               /* the range checked entry by entry */
  guint64   to;
  guint64   n_checked;          /* entries checked one by one */
  guint64   n_checkpoints;      /* checkpoints checked against the tree */
  gboolean  trusted_checked;    /* whether a kept checkpoint was compared */
  gboolean  has_bad_index;
  guint64   bad_index;          /* the first bad entry, if has_bad_index */
  char     *problem;            /* why, when !ok */
  char     *checkpoint;         /* the newest checkpoint, a signed note */
} WaAuditReport;

void           wa_audit_report_free            (WaAuditReport   *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaAuditReport, wa_audit_report_free)

#define WA_TYPE_AUDIT_LOG (wa_audit_log_get_type ())

G_DECLARE_FINAL_TYPE (WaAuditLog, wa_audit_log, WA, AUDIT_LOG, GObject)

WaAuditLog    *wa_audit_log_new                (WaVault             *vault);
void           wa_audit_log_record_event_async (WaAuditLog          *self,
                                                const WaAuditEvent  *event,
                                                GCancellable        *cancellable,
                                                GAsyncReadyCallback  callback,
                                                gpointer             user_data);
gboolean       wa_audit_log_record_event_finish (WaAuditLog         *self,
                                                 GAsyncResult       *result,
                                                 guint64            *index,
                                                 GError            **error);
gboolean       wa_audit_log_record_event       (WaAuditLog          *self,
                                                const WaAuditEvent  *event,
                                                guint64             *index,
                                                GError             **error);
gboolean       wa_audit_log_record_pending     (WaAuditLog          *self,
                                                const WaAuditEvent  *event,
                                                GError             **error);
guint64        wa_audit_log_get_size           (WaAuditLog          *self,
                                                GError             **error);
GPtrArray     *wa_audit_log_get_entries        (WaAuditLog          *self,
                                                guint64              from,
                                                guint64              to,
                                                GError             **error);
char          *wa_audit_log_dup_checkpoint     (WaAuditLog          *self,
                                                GError             **error);
char          *wa_audit_log_checkpoint_origin  (const guint8        *device_public_key);
gboolean       wa_audit_log_check_continuity   (WaAuditLog          *self,
                                                const guint8        *device_public_key,
                                                const char          *trusted_checkpoint,
                                                GError             **error);
WaAuditReport *wa_audit_log_verify             (WaAuditLog          *self,
                                                const guint8        *device_public_key,
                                                const char          *trusted_checkpoint,
                                                guint64              from,
                                                guint64              to,
                                                GError             **error);
char          *wa_audit_log_prove_inclusion    (WaAuditLog          *self,
                                                guint64              index,
                                                GError             **error);
WaAuditEntry  *wa_audit_proof_verify           (const char          *proof,
                                                const guint8        *device_public_key,
                                                GError             **error);

G_END_DECLS
