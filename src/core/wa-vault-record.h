/* wa-vault-record.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

typedef enum
{
  WA_CLASSIFICATION_PUBLIC,
  WA_CLASSIFICATION_INTERNAL,
  WA_CLASSIFICATION_CONFIDENTIAL,
  WA_CLASSIFICATION_SECRET,
} WaClassification;

/* The public header of a vault record: everything that is stored in the
 * clear, and so everything a remote store would also be allowed to see. */
typedef struct
{
  char             *id;
  char             *record_type;
  WaClassification  classification;
  char             *user_id;
  char             *tenant_id;
  char             *scope_id;
  char             *access_policy;
  char             *retention_policy;
  gint64            created_at;      /* microseconds since the epoch, UTC */
  gint64            accessed_at;
  gint64            access_count;
  guint             format_version;
  gsize             encrypted_size;
} WaVaultRecord;

#define WA_TYPE_VAULT_RECORD (wa_vault_record_get_type ())

GType             wa_vault_record_get_type          (void) G_GNUC_CONST;
WaVaultRecord    *wa_vault_record_new               (const char        *record_type,
                                                     WaClassification   classification);
WaVaultRecord    *wa_vault_record_copy              (const WaVaultRecord *record);
void              wa_vault_record_free              (WaVaultRecord     *record);
const char       *wa_classification_to_string       (WaClassification   classification);
gboolean          wa_classification_from_string     (const char        *text,
                                                     WaClassification  *classification);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaVaultRecord, wa_vault_record_free)

G_END_DECLS
