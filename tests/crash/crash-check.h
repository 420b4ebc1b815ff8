/* crash-check.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include "wa-crypto.h"
#include "wa-keyring.h"
#include "wa-software-key-provider.h"

G_BEGIN_DECLS

/* What the checks of test-crash can find wrong, so that the self-checks
 * can assert that a given damage was found for the right reason. */
typedef enum
{
  CRASH_PROBLEM_DATABASE,   /* SQLite or the vault refuses the file */
  CRASH_PROBLEM_WRITER,     /* the writer broke its own protocol */
  CRASH_PROBLEM_MISSING,    /* an acknowledged or earlier intact record is gone */
  CRASH_PROBLEM_CONTENT,    /* a record does not decrypt to what was written */
  CRASH_PROBLEM_BATCH,      /* part of a batch is visible without the rest */
  CRASH_PROBLEM_VERIFY,     /* wa_vault_verify() reports the record */
  CRASH_PROBLEM_PROFILE,    /* the profile does not open or does not unlock */
  CRASH_PROBLEM_AUDIT,      /* the audit log does not verify or does not match the records */
} CrashProblemKind;

typedef struct
{
  CrashProblemKind  kind;
  char             *record_id;
  char             *message;
} CrashProblem;

GPtrArray *crash_problems_new        (void);
void       crash_problems_add        (GPtrArray         *problems,
                                      CrashProblemKind   kind,
                                      const char        *record_id,
                                      const char        *format,
                                      ...) G_GNUC_PRINTF (4, 5);
gboolean   crash_problems_contain    (GPtrArray         *problems,
                                      CrashProblemKind   kind,
                                      const char        *record_id);
void       crash_problems_log        (GPtrArray         *problems,
                                      const char        *label);

/* What a record is, as acknowledged by the writer or as decoded from the
 * vault.  An acknowledged batch record does not tell its size or hash. */
typedef struct
{
  gboolean batch;
  guint    generation;
  guint64  sequence;   /* of the single record, or of its batch */
  guint    index;      /* within the batch */
  guint    count;      /* of the batch */
  gsize    size;
  gboolean has_hash;
  guint8   sha256[WA_SHA256_SIZE];
} CrashRecordInfo;

/* Everything the vault checker knows across kills. */
typedef struct
{
  char                  *path;
  WaKeyring             *keyring;
  WaSoftwareKeyProvider *tenant;
  GHashTable            *acked;       /* id → CrashRecordInfo, all acknowledged so far */
  GPtrArray             *new_acks;    /* ids acknowledged by the last writer */
  GHashTable            *intact;      /* ids of records an earlier check found intact */
  guint                  acked_singles;
  guint                  acked_batches;
  guint                  records;     /* in the vault at the last check */
  guint                  unacked;     /* of those, committed but never acknowledged */
} CrashVaultState;

CrashVaultState *crash_vault_state_new       (const char       *path);
void             crash_vault_state_free      (CrashVaultState  *state);
void             crash_vault_state_parse     (CrashVaultState  *state,
                                              GPtrArray        *lines,
                                              GPtrArray        *problems);
void             crash_vault_check           (CrashVaultState  *state,
                                              gboolean          full,
                                              GPtrArray        *problems);
void             crash_sqlite_check          (const char       *path,
                                              GPtrArray        *problems);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (CrashVaultState, crash_vault_state_free)

G_END_DECLS
