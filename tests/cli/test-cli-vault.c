/* test-cli-vault.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-test"

#include "config.h"

#include <string.h>
#include <sys/stat.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include "cli-fixture.h"
#include "wa-vault.h"

/* webagent-cli vault: put, get, list, verify, delete and erase-scope, and
 * what a user sees when the vault database is tampered with or damaged. */

/* Vault round trips ------------------------------------------------------------ */

static void
test_put_get_binary (Fixture       *f,
                     gconstpointer  data)
{
  g_autoptr(GBytes) bytes = all_byte_values ();
  g_autofree char *file = write_temp_file (f, "binary", g_bytes_get_data (bytes, NULL), 256);
  g_autofree char *output = g_build_filename (f->tmp, "decrypted", NULL);
  g_autofree char *file_id = NULL;
  g_autofree char *stdin_id = NULL;
  g_autoptr(CliResult) put_file = NULL;
  g_autoptr(CliResult) put_stdin = NULL;
  g_autoptr(CliResult) get_stdout = NULL;
  g_autoptr(CliResult) get_file = NULL;
  g_autoptr(CliResult) get_stdin_record = NULL;
  g_autoptr(GBytes) written = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  GStatBuf st;

  init_profile (f);

  put_file = run_cli ("vault", "put", "--profile", f->profile, "--type", "blob", "--classification", "CONFIDENTIAL",
                      "--password-file", f->password_file, file, NULL);
  g_assert_cmpint (put_file->status, ==, 0);
  file_id = g_strdup (g_strstrip (put_file->out));
  g_assert_true (g_uuid_string_is_valid (file_id));

  put_stdin = run_cli_with_input (bytes, "vault", "put", "--profile", f->profile, "--type", "blob",
                                  "--classification", "secret", "--password-file", f->password_file,
                                  "--json", "-", NULL);
  g_assert_cmpint (put_stdin->status, ==, 0);
  json_parser_load_from_data (parser, put_stdin->out, -1, &error);
  g_assert_no_error (error);
  stdin_id = g_strdup (json_object_get_string_member (json_node_get_object (json_parser_get_root (parser)), "id"));
  g_assert_true (g_uuid_string_is_valid (stdin_id));
  g_assert_cmpstr (file_id, !=, stdin_id);

  get_stdout = run_cli ("vault", "get", "--profile", f->profile, "--password-file", f->password_file, file_id, NULL);
  g_assert_cmpint (get_stdout->status, ==, 0);
  g_assert_true (g_bytes_equal (get_stdout->out_bytes, bytes));

  get_file = run_cli ("vault", "get", "--profile", f->profile, "--password-file", f->password_file,
                      "--output", output, stdin_id, NULL);
  g_assert_cmpint (get_file->status, ==, 0);
  g_assert_cmpuint (g_bytes_get_size (get_file->out_bytes), ==, 0);
  written = read_file_bytes (output);
  g_assert_true (g_bytes_equal (written, bytes));
  g_assert_cmpint (g_stat (output, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);

  /* The password can come from standard input too, when the data does not. */
  {
    g_autoptr(GBytes) password = g_bytes_new_static (PASSWORD "\n", strlen (PASSWORD "\n"));

    get_stdin_record = run_cli_with_input (password, "vault", "get", "--profile", f->profile,
                                           "--password-file", "-", stdin_id, NULL);
    g_assert_cmpint (get_stdin_record->status, ==, 0);
    g_assert_true (g_bytes_equal (get_stdin_record->out_bytes, bytes));
  }
}

static void
test_put_bad_input (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *file = write_temp_file (f, "data", "hello", -1);
  g_autofree char *missing = g_build_filename (f->tmp, "missing", NULL);
  g_autoptr(CliResult) classification = NULL;
  g_autoptr(CliResult) unreadable = NULL;
  g_autoptr(CliResult) no_type = NULL;
  g_autoptr(CliResult) scope = NULL;
  g_autoptr(CliResult) two_stdin = NULL;
  g_autoptr(CliResult) list = NULL;

  init_profile (f);

  classification = run_cli ("vault", "put", "--profile", f->profile, "--type", "note", "--classification", "TOPSECRET",
                            "--password-file", f->password_file, file, NULL);
  assert_error_line (classification, 2, "unknown classification “TOPSECRET”");
  assert_message_contains (classification->err, "PUBLIC, INTERNAL, CONFIDENTIAL or SECRET");

  unreadable = run_cli ("vault", "put", "--profile", f->profile, "--type", "note", "--classification", "PUBLIC",
                        "--password-file", f->password_file, missing, NULL);
  assert_error_line (unreadable, 2, "could not read the input file");
  assert_message_contains (unreadable->err, missing);

  no_type = run_cli ("vault", "put", "--profile", f->profile, "--classification", "PUBLIC",
                     "--password-file", f->password_file, file, NULL);
  assert_error_line (no_type, 2, "--type option is required");

  scope = run_cli ("vault", "put", "--profile", f->profile, "--type", "note", "--classification", "PUBLIC",
                   "--scope", "everyone", "--password-file", f->password_file, file, NULL);
  assert_error_line (scope, 2, "user:NAME");

  two_stdin = run_cli ("vault", "put", "--profile", f->profile, "--type", "note", "--classification", "PUBLIC",
                       "--password-file", "-", "-", NULL);
  assert_error_line (two_stdin, 2, "standard input");

  /* None of them stored anything. */
  list = run_cli ("vault", "list", "--profile", f->profile, NULL);
  g_assert_cmpint (list->status, ==, 0);
  assert_message_contains (list->out, "no records");
}

static void
test_list_status_without_password (Fixture       *f,
                                   gconstpointer  data)
{
  g_autofree char *metadata = write_temp_file (f, "metadata", "{\"label\":\"METADATA-MARKER\"}", -1);
  g_autofree char *file = write_temp_file (f, "data", "PLAINTEXT-MARKER", -1);
  g_autofree char *vault_db = g_build_filename (f->profile, "vault.db", NULL);
  g_autofree char *id = NULL;
  g_autoptr(CliResult) put = NULL;
  g_autoptr(CliResult) list = NULL;
  g_autoptr(CliResult) list_json = NULL;
  g_autoptr(CliResult) status = NULL;
  g_autoptr(CliResult) status_json = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GBytes) db = NULL;
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonArray *records;

  init_profile (f);
  put = run_cli ("vault", "put", "--profile", f->profile, "--type", "note", "--classification", "INTERNAL",
                 "--scope", "user:project", "--metadata-file", metadata,
                 "--password-file", f->password_file, file, NULL);
  g_assert_cmpint (put->status, ==, 0);
  id = g_strdup (g_strstrip (put->out));

  /* No password is given, and there is no terminal to ask on. */
  list = run_cli ("vault", "list", "--profile", f->profile, NULL);
  g_assert_cmpint (list->status, ==, 0);
  assert_message_contains (list->out, id);
  assert_message_contains (list->out, "INTERNAL");
  assert_message_contains (list->out, "user:project");
  g_assert_null (strstr (list->out, "MARKER"));

  list_json = run_cli ("vault", "list", "--profile", f->profile, "--json", NULL);
  g_assert_cmpint (list_json->status, ==, 0);
  g_assert_null (strstr (list_json->out, "MARKER"));
  json_parser_load_from_data (parser, list_json->out, -1, &error);
  g_assert_no_error (error);
  records = json_object_get_array_member (json_node_get_object (json_parser_get_root (parser)), "records");
  g_assert_cmpuint (json_array_get_length (records), ==, 1);
  object = json_array_get_object_element (records, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "id"), ==, id);
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "note");
  g_assert_cmpstr (json_object_get_string_member (object, "classification"), ==, "INTERNAL");
  g_assert_cmpstr (json_object_get_string_member (object, "scope"), ==, "user:project");
  g_assert_true (g_str_has_suffix (json_object_get_string_member (object, "created_at"), "Z"));
  g_assert_cmpint (json_object_get_int_member (object, "encrypted_size"), >, strlen ("PLAINTEXT-MARKER"));
  g_assert_cmpint (json_object_get_int_member (object, "access_count"), ==, 0);

  status = run_cli ("status", "--profile", f->profile, NULL);
  g_assert_cmpint (status->status, ==, 0);
  assert_message_contains (status->out, "locked");
  assert_message_contains (status->out, "Argon2id");
  assert_message_contains (status->out, "kept on this device");
  g_assert_null (strstr (status->out, "MARKER"));
  g_assert_null (strstr (status->out, f->secret_key));

  status_json = run_cli ("status", "--profile", f->profile, "--json", NULL);
  g_assert_cmpint (status_json->status, ==, 0);
  json_parser_load_from_data (parser, status_json->out, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_true (json_object_get_boolean_member (object, "locked"));
  g_assert_true (json_object_get_boolean_member (object, "device_secret_key"));
  g_assert_cmpint (json_object_get_int_member (object, "records"), ==, 1);
  g_assert_cmpint (json_object_get_int_member (object, "failed_attempts"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object, "backoff_remaining"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object, "schema_version"), ==, WA_VAULT_SCHEMA_VERSION);
  g_assert_cmpint (json_object_get_int_member (json_object_get_object_member (object, "kdf"), "ops_limit"), >=, 3);
  g_assert_true (g_uuid_string_is_valid (json_object_get_string_member (object, "profile_id")));
  g_assert_null (strstr (status_json->out, f->secret_key));

  /* Nor is the plaintext anywhere on disk. */
  db = read_file_bytes (vault_db);
  g_assert_false (bytes_contain (db, "MARKER"));
}

/* Verification and tampering --------------------------------------------------- */

static void
tamper_with_record (const char *vault_db,
                    const char *id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *select = NULL;
  sqlite3_stmt *update = NULL;
  g_autofree guint8 *data = NULL;
  int len;

  g_assert_cmpint (sqlite3_open_v2 (vault_db, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);

  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT encrypted_data FROM records WHERE id = ?", -1, &select, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (select, 1, id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (select), ==, SQLITE_ROW);
  len = sqlite3_column_bytes (select, 0);
  g_assert_cmpint (len, >, 40);
  data = g_memdup2 (sqlite3_column_blob (select, 0), len);
  sqlite3_finalize (select);

  /* One bit of the ciphertext, past the nonce. */
  data[30] ^= 0x01;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "UPDATE records SET encrypted_data = ? WHERE id = ?", -1, &update, NULL), ==, SQLITE_OK);
  sqlite3_bind_blob (update, 1, data, len, SQLITE_STATIC);
  sqlite3_bind_text (update, 2, id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (update), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (update);

  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

static void
test_verify_and_tamper (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *vault_db = g_build_filename (f->profile, "vault.db", NULL);
  g_autofree char *good_id = NULL;
  g_autofree char *bad_id = NULL;
  g_autoptr(CliResult) clean = NULL;
  g_autoptr(CliResult) clean_json = NULL;
  g_autoptr(CliResult) tampered = NULL;
  g_autoptr(CliResult) tampered_json = NULL;
  g_autoptr(CliResult) get_bad = NULL;
  g_autoptr(CliResult) get_good = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonObject *object;
  JsonArray *problems;

  init_profile (f);
  good_id = put_record (f, "first record", NULL);
  bad_id = put_record (f, "second record", NULL);

  clean = run_cli ("vault", "verify", "--profile", f->profile, NULL);
  g_assert_cmpint (clean->status, ==, 0);
  assert_message_contains (clean->out, "2 records, all verified");

  clean_json = run_cli ("vault", "verify", "--profile", f->profile, "--json", NULL);
  g_assert_cmpint (clean_json->status, ==, 0);
  json_parser_load_from_data (parser, clean_json->out, -1, &error);
  g_assert_no_error (error);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (json_parser_get_root (parser)), "ok"));

  tamper_with_record (vault_db, bad_id);

  tampered = run_cli ("vault", "verify", "--profile", f->profile, NULL);
  assert_error_line (tampered, 1, "1 of 2 records failed verification");
  assert_message_contains (tampered->out, bad_id);
  assert_message_contains (tampered->out, "does not match its hash");
  g_assert_null (strstr (tampered->out, good_id));

  tampered_json = run_cli ("vault", "verify", "--profile", f->profile, "--json", NULL);
  g_assert_cmpint (tampered_json->status, ==, 1);
  assert_message_contains (tampered_json->err, "failed verification");
  json_parser_load_from_data (parser, tampered_json->out, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_false (json_object_get_boolean_member (object, "ok"));
  problems = json_object_get_array_member (object, "problems");
  g_assert_cmpuint (json_array_get_length (problems), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (problems, 0), "id"), ==, bad_id);

  get_bad = run_cli ("vault", "get", "--profile", f->profile, "--password-file", f->password_file, bad_id, NULL);
  assert_error_line (get_bad, 1, bad_id);
  assert_message_contains (get_bad->err, "was changed");
  g_assert_cmpuint (g_bytes_get_size (get_bad->out_bytes), ==, 0);

  /* The other record is untouched and still readable. */
  get_good = run_cli ("vault", "get", "--profile", f->profile, "--password-file", f->password_file, good_id, NULL);
  g_assert_cmpint (get_good->status, ==, 0);
  g_assert_cmpstr (get_good->out, ==, "first record");
}

static void
check_damaged_vault (Fixture *f,
                     gsize    size)
{
  g_autofree char *vault_db = g_build_filename (f->profile, "vault.db", NULL);
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) truncated = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(CliResult) status = NULL;
  g_autoptr(CliResult) list = NULL;
  g_autoptr(CliResult) get = NULL;
  g_autoptr(GError) error = NULL;

  original = read_file_bytes (vault_db);
  g_assert_cmpuint (g_bytes_get_size (original), >, size);
  truncated = g_bytes_new_from_bytes (original, 0, size);
  g_file_set_contents (vault_db, g_bytes_get_data (truncated, NULL), size, &error);
  g_assert_no_error (error);

  status = run_cli ("status", "--profile", f->profile, NULL);
  assert_error_line (status, 1, "vault database");
  assert_message_contains (status->err, "damaged");
  assert_message_contains (status->err, "restore it from a backup");

  list = run_cli ("vault", "list", "--profile", f->profile, NULL);
  assert_error_line (list, 1, "damaged");

  get = run_cli ("vault", "verify", "--profile", f->profile, NULL);
  assert_error_line (get, 1, "damaged");

  after = read_file_bytes (vault_db);
  g_assert_true (g_bytes_equal (after, truncated));
}

static void
test_truncated_vault (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *vault_db = g_build_filename (f->profile, "vault.db", NULL);
  g_autofree char *id = NULL;
  g_autoptr(GBytes) original = NULL;

  init_profile (f);
  id = put_record (f, "soon out of reach", NULL);
  original = read_file_bytes (vault_db);

  check_damaged_vault (f, g_bytes_get_size (original) / 2);
}

static void
test_empty_vault_file (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *id = NULL;

  init_profile (f);
  id = put_record (f, "soon out of reach", NULL);

  /* SQLite would take an empty file for a new database: the records would
   * silently be gone. */
  check_damaged_vault (f, 0);
}

/* Deleting and erasing ------------------------------------------------------------ */

static void
test_erase_scope (Fixture       *f,
                  gconstpointer  data)
{
  g_autofree char *erased_id = NULL;
  g_autofree char *kept_id = NULL;
  g_autoptr(CliResult) erase = NULL;
  g_autoptr(CliResult) erase_again = NULL;
  g_autoptr(CliResult) get_erased = NULL;
  g_autoptr(CliResult) get_kept = NULL;
  g_autoptr(CliResult) verify = NULL;

  init_profile (f);
  erased_id = put_record (f, "about a data subject", "user:subject-42");
  kept_id = put_record (f, "about the user", NULL);

  erase = run_cli ("vault", "erase-scope", "--profile", f->profile, "--password-file", f->password_file,
                   "user:subject-42", NULL);
  g_assert_cmpint (erase->status, ==, 0);
  assert_message_contains (erase->out, "user:subject-42");
  assert_message_contains (erase->out, "1 record can no longer be decrypted");

  get_erased = run_cli ("vault", "get", "--profile", f->profile, "--password-file", f->password_file,
                        erased_id, NULL);
  assert_error_line (get_erased, 1, "was erased");
  g_assert_cmpuint (g_bytes_get_size (get_erased->out_bytes), ==, 0);

  get_kept = run_cli ("vault", "get", "--profile", f->profile, "--password-file", f->password_file, kept_id, NULL);
  g_assert_cmpint (get_kept->status, ==, 0);
  g_assert_cmpstr (get_kept->out, ==, "about the user");

  erase_again = run_cli ("vault", "erase-scope", "--profile", f->profile, "--password-file", f->password_file,
                         "user:subject-42", NULL);
  assert_error_line (erase_again, 1, "no scope is called user:subject-42");

  /* The shredded record's ciphertext is intact: only its key is gone. */
  verify = run_cli ("vault", "verify", "--profile", f->profile, NULL);
  g_assert_cmpint (verify->status, ==, 0);
  assert_message_contains (verify->out, "2 records, all verified");
}

static void
test_delete (Fixture       *f,
             gconstpointer  data)
{
  g_autofree char *id = NULL;
  g_autoptr(CliResult) delete = NULL;
  g_autoptr(CliResult) get = NULL;
  g_autoptr(CliResult) delete_again = NULL;
  g_autoptr(CliResult) list = NULL;

  init_profile (f);
  id = put_record (f, "short-lived", NULL);

  delete = run_cli ("vault", "delete", "--profile", f->profile, "--password-file", f->password_file, id, NULL);
  g_assert_cmpint (delete->status, ==, 0);
  assert_message_contains (delete->out, id);

  get = run_cli ("vault", "get", "--profile", f->profile, "--password-file", f->password_file, id, NULL);
  assert_error_line (get, 1, "no record has the id");

  delete_again = run_cli ("vault", "delete", "--profile", f->profile, "--password-file", f->password_file, id, NULL);
  assert_error_line (delete_again, 1, "no record has the id");

  list = run_cli ("vault", "list", "--profile", f->profile, NULL);
  g_assert_cmpint (list->status, ==, 0);
  g_assert_null (strstr (list->out, id));
}

/* Text read from the vault never reaches the terminal raw: a record type
 * carrying a terminal escape is listed with the escape shown as “?”. */
static void
test_list_escapes (Fixture       *f,
                   gconstpointer  data)
{
  g_autofree char *file = write_temp_file (f, "note", "x", 1);
  g_autoptr(CliResult) put = NULL;
  g_autoptr(CliResult) list = NULL;

  init_profile (f);
  put = run_cli ("vault", "put", "--profile", f->profile, "--type", "note\033]0;owned\007",
                 "--classification", "PUBLIC", "--password-file", f->password_file, file, NULL);
  g_assert_cmpint (put->status, ==, 0);

  list = run_cli ("vault", "list", "--profile", f->profile, NULL);
  g_assert_cmpint (list->status, ==, 0);
  g_assert_null (strchr (list->out, '\033'));
  g_assert_null (strchr (list->out, '\007'));
  g_assert_nonnull (strstr (list->out, "note?]0;owned?"));
}

int
main (int   argc,
      char *argv[])
{
  cli_fixture_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  ADD ("/wa/cli/vault/put-get-binary", test_put_get_binary);
  ADD ("/wa/cli/vault/put-bad-input", test_put_bad_input);
  ADD ("/wa/cli/vault/list-status-without-password", test_list_status_without_password);
  ADD ("/wa/cli/vault/list-escapes", test_list_escapes);
  ADD ("/wa/cli/vault/verify-and-tamper", test_verify_and_tamper);
  ADD ("/wa/cli/vault/truncated", test_truncated_vault);
  ADD ("/wa/cli/vault/empty-file", test_empty_vault_file);
  ADD ("/wa/cli/vault/erase-scope", test_erase_scope);
  ADD ("/wa/cli/vault/delete", test_delete);

#undef ADD

  return g_test_run ();
}
