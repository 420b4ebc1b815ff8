/* wa-test-utils.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <glib/gstdio.h>

#include <sqlite3.h>

#include "wa-merkle.h"
#include "wa-test-utils.h"

/**
 * wa_test_remove_tree:
 *
 * Removes a test's temporary folder and everything in it.
 */
void
wa_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir != NULL && (name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        wa_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/**
 * wa_test_read_file:
 *
 * Returns: (transfer full): the file's bytes; the test fails if it cannot
 *   be read.
 */
GBytes *
wa_test_read_file (const char *path)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  gsize len = 0;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);

  return g_bytes_new_take (g_steal_pointer (&contents), len);
}

/**
 * wa_test_vault_set_up:
 * @prefix: the start of the temporary folder's name
 */
void
wa_test_vault_set_up (WaTestVault *fixture,
                      const char  *prefix)
{
  g_autofree char *template = g_strconcat (prefix, "-XXXXXX", NULL);
  g_autoptr(GError) error = NULL;

  fixture->dir = g_dir_make_tmp (template, &error);
  g_assert_no_error (error);
  fixture->path = g_build_filename (fixture->dir, "vault.db", NULL);
  fixture->vault = wa_vault_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->keyring = wa_keyring_new_random ();
  fixture->tenant = wa_software_key_provider_new_generated ("tenant-a");
  wa_vault_set_keys (fixture->vault, "user-1", fixture->keyring, WA_KEY_PROVIDER (fixture->tenant));
}

void
wa_test_vault_tear_down (WaTestVault *fixture)
{
  if (fixture->vault != NULL)
    {
      wa_vault_close (fixture->vault);
      g_assert_finalize_object (fixture->vault);
    }
  g_assert_finalize_object (fixture->tenant);
  g_assert_finalize_object (fixture->keyring);
  wa_test_remove_tree (fixture->dir);
  g_free (fixture->path);
  g_free (fixture->dir);
}

/**
 * wa_test_sqlite_exec:
 *
 * Runs @sql on a database directly, behind the vault's back, as someone
 * with write access to the file would.
 */
void
wa_test_sqlite_exec (const char *db_path,
                     const char *sql)
{
  sqlite3 *db = NULL;
  char *message = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  sqlite3_close (db);
}

/**
 * wa_test_audit_rewrite_tree_state:
 *
 * Recomputes the audit log's stored frontier from the leaf hashes in the
 * database, as someone who cut the log back and knows the format would,
 * so that tests reach the checks that do not rely on it.
 */
void
wa_test_audit_rewrite_tree_state (const char *db_path)
{
  g_autoptr(WaMerkleFrontier) frontier = wa_merkle_frontier_new ();
  g_autoptr(GBytes) bytes = NULL;
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open (db_path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT leaf_hash FROM audit_entries ORDER BY idx", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    wa_merkle_frontier_append (frontier, sqlite3_column_blob (stmt, 0));
  sqlite3_finalize (stmt);

  bytes = wa_merkle_frontier_serialize (frontier);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO audit_state (key, value) VALUES ('frontier', ?)",
                                       -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (stmt, 1, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}
