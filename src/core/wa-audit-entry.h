/* wa-audit-entry.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <json-glib/json-glib.h>

#include "wa-keyring.h"

G_BEGIN_DECLS

#define WA_AUDIT_ERROR (wa_audit_error_quark ())

typedef enum
{
  WA_AUDIT_ERROR_MALFORMED,
  WA_AUDIT_ERROR_BAD_SIGNATURE,
  WA_AUDIT_ERROR_CANNOT_DECRYPT,
  WA_AUDIT_ERROR_TAMPERED,
  WA_AUDIT_ERROR_INVALID_ARGUMENT,
  WA_AUDIT_ERROR_NO_KEY,
} WaAuditError;

typedef enum
{
  WA_AUDIT_OUTCOME_SUCCESS,
  WA_AUDIT_OUTCOME_FAILURE,
  WA_AUDIT_OUTCOME_DENIED,
} WaAuditOutcome;

#define WA_AUDIT_ENTRY_VERSION 1
#define WA_AUDIT_SIGNATURE_SIZE 64
/* 9999-12-31T23:59:59.999999Z, in microseconds since the epoch. */
#define WA_AUDIT_MAX_TIME G_GINT64_CONSTANT (253402300799999999)

/* One entry of the audit log.  The header is public: anyone holding the
 * log can read it and check the signature.  The body is encrypted with the
 * tenant audit key.  @text is the canonical JSON of the whole entry, the
 * leaf the Merkle tree hashes. */
typedef struct
{
  guint64  index;
  char    *time;                /* RFC 3339, UTC, microseconds */
  char    *tenant;
  char    *actor;               /* salted commitment to the user id */
  char    *device;
  char    *event_type;
  char    *resource;
  char    *action;
  char    *outcome;             /* "success", "failure" or "denied" */
  int      risk_score;          /* 0 to 100 */
  char    *session;             /* "" when there is none */
  GBytes  *body;                /* nonce ‖ ciphertext ‖ tag */
  guint8   signature[WA_AUDIT_SIGNATURE_SIZE];
  char    *text;
} WaAuditEntry;

/* What the entry is built from; see wa_audit_entry_new_signed(). */
typedef struct
{
  guint64         index;
  gint64          time;         /* microseconds since the epoch */
  const char     *tenant;
  const char     *user_id;
  const char     *event_type;
  const char     *resource;
  const char     *action;
  WaAuditOutcome  outcome;
  int             risk_score;
  const char     *session;      /* nullable */
  const char     *ip;           /* nullable */
  const char     *user_agent;   /* nullable */
  JsonObject     *metadata;     /* nullable */
} WaAuditEntryFields;

GQuark        wa_audit_error_quark             (void);
const char   *wa_audit_outcome_to_string       (WaAuditOutcome            outcome);
char         *wa_audit_format_time             (gint64                    time);

WaAuditEntry *wa_audit_entry_new_signed        (const WaAuditEntryFields *fields,
                                                WaKeyring                *keyring,
                                                const guint8             *audit_key,
                                                GError                  **error);
WaAuditEntry *wa_audit_entry_parse             (const char               *text,
                                                GError                  **error);
gboolean      wa_audit_entry_verify_signature  (const WaAuditEntry       *self,
                                                const guint8             *device_public_key,
                                                GError                  **error);
void          wa_audit_entry_leaf_hash         (const WaAuditEntry       *self,
                                                guint8                   *out);
JsonObject   *wa_audit_entry_open_body         (const WaAuditEntry       *self,
                                                const guint8             *audit_key,
                                                GError                  **error);
JsonObject   *wa_audit_entry_to_event          (const WaAuditEntry       *self,
                                                JsonObject               *body);
char         *wa_audit_actor_commitment        (const guint8             *salt,
                                                const char               *user_id);
char         *wa_audit_device_id               (const guint8             *device_public_key);
void          wa_audit_entry_free              (WaAuditEntry             *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaAuditEntry, wa_audit_entry_free)

G_END_DECLS
