/* wa-test-utils.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

#include "wa-keyring.h"
#include "wa-software-key-provider.h"
#include "wa-vault.h"

G_BEGIN_DECLS

/* A vault in a new temporary folder, unlocked for "user-1" of "tenant-a". */
typedef struct
{
  char                  *dir;
  char                  *path;
  WaVault               *vault;
  WaKeyring             *keyring;
  WaSoftwareKeyProvider *tenant;
} WaTestVault;

void    wa_test_remove_tree     (const char  *path);
GBytes *wa_test_read_file       (const char  *path);
void    wa_test_vault_set_up    (WaTestVault *fixture,
                                 const char  *prefix);
void    wa_test_vault_tear_down (WaTestVault *fixture);
void    wa_test_sqlite_exec     (const char  *db_path,
                                 const char  *sql);
void    wa_test_audit_rewrite_tree_state (const char *db_path);

G_END_DECLS
