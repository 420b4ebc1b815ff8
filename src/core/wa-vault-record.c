/* wa-vault-record.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-vault-record"

#include "config.h"

#include "wa-vault-record.h"

G_DEFINE_BOXED_TYPE (WaVaultRecord, wa_vault_record, wa_vault_record_copy, wa_vault_record_free)

static const char * const classification_names[] = {
  "PUBLIC", "INTERNAL", "CONFIDENTIAL", "SECRET",
};

WaVaultRecord *
wa_vault_record_new (const char       *record_type,
                     WaClassification  classification)
{
  WaVaultRecord *record = g_new0 (WaVaultRecord, 1);

  record->record_type = g_strdup (record_type);
  record->classification = classification;

  return record;
}

WaVaultRecord *
wa_vault_record_copy (const WaVaultRecord *record)
{
  WaVaultRecord *copy;

  g_return_val_if_fail (record != NULL, NULL);

  copy = g_memdup2 (record, sizeof *record);
  copy->id = g_strdup (record->id);
  copy->record_type = g_strdup (record->record_type);
  copy->user_id = g_strdup (record->user_id);
  copy->tenant_id = g_strdup (record->tenant_id);
  copy->scope_id = g_strdup (record->scope_id);
  copy->access_policy = g_strdup (record->access_policy);
  copy->retention_policy = g_strdup (record->retention_policy);

  return copy;
}

void
wa_vault_record_free (WaVaultRecord *record)
{
  if (record == NULL)
    return;

  g_free (record->id);
  g_free (record->record_type);
  g_free (record->user_id);
  g_free (record->tenant_id);
  g_free (record->scope_id);
  g_free (record->access_policy);
  g_free (record->retention_policy);
  g_free (record);
}

const char *
wa_classification_to_string (WaClassification classification)
{
  g_return_val_if_fail (classification <= WA_CLASSIFICATION_SECRET, NULL);

  return classification_names[classification];
}

gboolean
wa_classification_from_string (const char       *text,
                               WaClassification *classification)
{
  g_return_val_if_fail (classification != NULL, FALSE);

  if (text == NULL)
    return FALSE;

  for (guint i = 0; i < G_N_ELEMENTS (classification_names); i++)
    {
      if (g_ascii_strcasecmp (text, classification_names[i]) == 0)
        {
          *classification = i;
          return TRUE;
        }
    }

  return FALSE;
}
