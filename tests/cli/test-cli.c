/* test-cli.c
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

#include "cli-fixture.h"

#include "wa-kdf.h"

/* webagent-cli's own usage, and its profile commands: init, unlock,
 * status and change-password. */

/* Help and usage -------------------------------------------------------------- */

static void
test_help (void)
{
  static const char * const commands[][3] = {
    { "init", NULL }, { "unlock", NULL }, { "status", NULL }, { "change-password", NULL },
    { "vault", "put", NULL }, { "vault", "get", NULL }, { "vault", "list", NULL },
    { "vault", "verify", NULL }, { "vault", "delete", NULL }, { "vault", "erase-scope", NULL },
  };
  g_autoptr(CliResult) help = run_cli ("--help", NULL);
  g_autoptr(CliResult) version = run_cli ("--version", NULL);
  g_autoptr(CliResult) vault_help = run_cli ("vault", "--help", NULL);

  g_assert_cmpint (help->status, ==, 0);
  assert_message_contains (help->out, "Usage:");
  assert_message_contains (help->out, "change-password");
  assert_message_contains (help->out, "Exit status");

  g_assert_cmpint (version->status, ==, 0);
  assert_message_contains (version->out, PACKAGE_VERSION);

  g_assert_cmpint (vault_help->status, ==, 0);
  assert_message_contains (vault_help->out, "erase-scope");

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      const char *args[4] = { commands[i][0], NULL, NULL, NULL };
      g_autoptr(CliResult) result = NULL;

      if (commands[i][1] != NULL)
        {
          args[1] = commands[i][1];
          args[2] = "--help";
        }
      else
        args[1] = "--help";

      result = run_cli_argv (NULL, args);
      g_assert_cmpint (result->status, ==, 0);
      assert_message_contains (result->out, "Usage:");
      assert_message_contains (result->out, "--profile");
      g_assert_cmpstr (result->err, ==, "");
    }
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CliResult) none = run_cli (NULL, NULL);
  g_autoptr(CliResult) command = run_cli ("frobnicate", NULL);
  g_autoptr(CliResult) option = run_cli ("status", "--profile", f->profile, "--frobnicate", NULL);
  g_autoptr(CliResult) global_option = run_cli ("--frobnicate", NULL);
  g_autoptr(CliResult) vault_command = run_cli ("vault", "frobnicate", NULL);
  g_autoptr(CliResult) no_profile = run_cli ("vault", "list", NULL);
  g_autoptr(CliResult) no_id = run_cli ("vault", "get", "--profile", f->profile, NULL);
  g_autoptr(CliResult) extra = run_cli ("status", "--profile", f->profile, "surplus", NULL);
  g_autoptr(CliResult) no_password = NULL;

  assert_error_line (none, 2, "no command");
  assert_message_contains (none->err, "Usage:");
  assert_error_line (command, 2, "unknown command “frobnicate”");
  assert_error_line (option, 2, "unknown option --frobnicate");
  assert_message_contains (option->err, "status --help");
  assert_error_line (global_option, 2, "unknown option");
  assert_error_line (vault_command, 2, "unknown vault command");
  assert_error_line (no_profile, 2, "--profile option is required");
  assert_error_line (no_id, 2, "missing the record id");
  assert_error_line (extra, 2, "unexpected argument “surplus”");

  /* Without a terminal and without --password-file, nothing can be asked. */
  init_profile (f);
  no_password = run_cli ("unlock", "--profile", f->profile, NULL);
  assert_error_line (no_password, 2, "--password-file");
}

/* init ------------------------------------------------------------------------ */

static void
test_init (Fixture       *f,
           gconstpointer  data)
{
  g_autoptr(CliResult) result = NULL;
  g_autoptr(WaSecureBytes) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *key = NULL;
  g_autofree char *profile_json = g_build_filename (f->profile, "profile.json", NULL);
  g_autofree char *vault_db = g_build_filename (f->profile, "vault.db", NULL);
  g_autofree char *key_file = g_build_filename (f->profile, "secret-key", NULL);
  g_autofree char *stored_key = NULL;
  GStatBuf st;

  result = run_cli ("init", "--profile", f->profile, "--password-file", f->password_file, NULL);
  g_assert_cmpint (result->status, ==, 0);
  assert_message_contains (result->out, "emergency kit");
  assert_message_contains (result->err, "shown only this once");

  key = secret_key_from_kit (result->out);
  g_assert_nonnull (key);
  parsed = wa_secret_key_parse (key, &error);
  g_assert_no_error (error);
  g_assert_nonnull (parsed);

  g_assert_true (g_file_test (profile_json, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (vault_db, G_FILE_TEST_IS_REGULAR));
  g_assert_cmpint (g_stat (key_file, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_file_get_contents (key_file, &stored_key, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (g_strstrip (stored_key), ==, key);

  /* The password is nowhere in the profile's files. */
  {
    g_autoptr(GBytes) contents = read_file_bytes (profile_json);

    g_assert_null (g_strstr_len (g_bytes_get_data (contents, NULL), g_bytes_get_size (contents), PASSWORD));
  }
}

static void
test_init_json (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(CliResult) result = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(WaSecureBytes) parsed = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *kit_key = NULL;
  g_autofree char *key_file = g_build_filename (f->profile, "secret-key", NULL);
  const char *fields[] = { "profile_id", "user_id", "tenant_id", "device_id", "secret_key", "emergency_kit" };
  JsonObject *object;

  result = run_cli ("init", "--profile", f->profile, "--password-file", f->password_file,
                    "--no-device-secret-key", "--json", NULL);
  g_assert_cmpint (result->status, ==, 0);

  json_parser_load_from_data (parser, result->out, -1, &error);
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  for (guint i = 0; i < G_N_ELEMENTS (fields); i++)
    g_assert_nonnull (json_object_get_string_member_with_default (object, fields[i], NULL));

  parsed = wa_secret_key_parse (json_object_get_string_member (object, "secret_key"), &error);
  g_assert_no_error (error);
  kit_key = secret_key_from_kit (json_object_get_string_member (object, "emergency_kit"));
  g_assert_cmpstr (kit_key, ==, json_object_get_string_member (object, "secret_key"));

  /* The device keeps no copy, as asked. */
  g_assert_false (g_file_test (key_file, G_FILE_TEST_EXISTS));
}

static void
test_init_existing (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(CliResult) result = NULL;
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autofree char *profile_json = g_build_filename (f->profile, "profile.json", NULL);

  init_profile (f);
  before = read_file_bytes (profile_json);

  result = run_cli ("init", "--profile", f->profile, "--password-file", f->password_file, NULL);
  assert_error_line (result, 1, "already holds a profile");
  assert_message_contains (result->err, "nothing was overwritten");
  g_assert_cmpstr (result->out, ==, "");

  after = read_file_bytes (profile_json);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_init_weak_password (Fixture       *f,
                         gconstpointer  data)
{
  g_autofree char *weak = write_temp_file (f, "weak", "short\n", -1);
  g_autoptr(CliResult) result = NULL;

  result = run_cli ("init", "--profile", f->profile, "--password-file", weak, NULL);
  assert_error_line (result, 2, "too short");
  g_assert_false (g_file_test (f->profile, G_FILE_TEST_EXISTS));
}

/* Passwords and Secret Keys ------------------------------------------------------ */

static void
test_wrong_password_backoff (Fixture       *f,
                             gconstpointer  data)
{
  g_autofree char *wrong = write_temp_file (f, "wrong", OTHER_PASSWORD "\n", -1);
  g_autoptr(CliResult) first = NULL;
  g_autoptr(CliResult) status = NULL;
  gboolean refused = FALSE;

  init_profile (f);

  first = run_cli ("unlock", "--profile", f->profile, "--password-file", wrong, NULL);
  assert_error_line (first, 1, "wrong password");
  g_assert_cmpstr (first->out, ==, "");

  /* Each failure doubles the wait (1 s, 2 s, 4 s), so a retry at once is
   * refused, even on a slow machine that needs a few tries to catch up. */
  for (guint i = 0; i < 3 && !refused; i++)
    {
      g_autoptr(CliResult) retry = run_cli ("unlock", "--profile", f->profile, "--password-file", f->password_file, NULL);

      if (retry->status == 3)
        {
          assert_error_line (retry, 3, "too many failed unlock attempts");
          g_assert_true (g_regex_match_simple ("wait [0-9]+ seconds?", retry->err, 0, 0));
          refused = TRUE;
        }
      else
        {
          /* The back-off had passed: the right password must then work,
           * and a wrong one start it again. */
          g_autoptr(CliResult) again = NULL;

          g_assert_cmpint (retry->status, ==, 0);
          again = run_cli ("unlock", "--profile", f->profile, "--password-file", wrong, NULL);
          assert_error_line (again, 1, "wrong password");
        }
    }
  g_assert_true (refused);

  status = run_cli ("status", "--profile", f->profile, NULL);
  g_assert_cmpint (status->status, ==, 0);
  assert_message_contains (status->out, "Failed unlocks");
}

static void
test_wrong_secret_key (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *other_profile = g_build_filename (f->tmp, "other", NULL);
  g_autofree char *other_key = NULL;
  g_autofree char *other_key_file = NULL;
  g_autofree char *own_key_file = NULL;
  g_autoptr(CliResult) wrong = NULL;

  init_profile (f);
  init_profile_in (f, other_profile, &other_key);
  g_assert_cmpstr (other_key, !=, f->secret_key);

  other_key_file = write_temp_file (f, "other-key", other_key, -1);
  wrong = run_cli ("unlock", "--profile", f->profile, "--password-file", f->password_file,
                   "--secret-key-file", other_key_file, NULL);
  assert_error_line (wrong, 1, "does not belong");
}

static void
test_malformed_secret_key (Fixture       *f,
                           gconstpointer  data)
{
  g_autofree char *typo = NULL;
  g_autofree char *typo_file = NULL;
  g_autofree char *garbage_file = write_temp_file (f, "garbage", "hello\n", -1);
  g_autofree char *missing_file = g_build_filename (f->tmp, "missing", NULL);
  g_autoptr(CliResult) typo_result = NULL;
  g_autoptr(CliResult) garbage = NULL;
  g_autoptr(CliResult) missing = NULL;
  g_autoptr(CliResult) status = NULL;
  gsize last;

  init_profile (f);

  /* One character changed: the checksum catches it. */
  typo = g_strdup (f->secret_key);
  last = strlen (typo) - 1;
  typo[last] = typo[last] == '0' ? '1' : '0';
  typo_file = write_temp_file (f, "typo", typo, -1);

  typo_result = run_cli ("unlock", "--profile", f->profile, "--password-file", f->password_file,
                         "--secret-key-file", typo_file, NULL);
  assert_error_line (typo_result, 2, "secret key");
  assert_message_contains (typo_result->err, "emergency kit");

  garbage = run_cli ("unlock", "--profile", f->profile, "--password-file", f->password_file,
                     "--secret-key-file", garbage_file, NULL);
  assert_error_line (garbage, 2, "WA1-");

  missing = run_cli ("unlock", "--profile", f->profile, "--password-file", f->password_file,
                     "--secret-key-file", missing_file, NULL);
  assert_error_line (missing, 2, "could not read the secret key file");

  /* A typo is not a failed attempt: no back-off follows. */
  status = run_cli ("status", "--profile", f->profile, "--json", NULL);
  g_assert_cmpint (status->status, ==, 0);
  assert_message_contains (status->out, "\"failed_attempts\" : 0");
}

static void
test_device_without_secret_key (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(CliResult) init = NULL;
  g_autoptr(CliResult) without = NULL;
  g_autoptr(CliResult) with_kit = NULL;
  g_autoptr(CliResult) status = NULL;
  g_autofree char *kit_file = NULL;

  init = run_cli ("init", "--profile", f->profile, "--password-file", f->password_file,
                  "--no-device-secret-key", NULL);
  g_assert_cmpint (init->status, ==, 0);
  kit_file = write_temp_file (f, "kit.txt", init->out, -1);

  without = run_cli ("unlock", "--profile", f->profile, "--password-file", f->password_file, NULL);
  assert_error_line (without, 2, "--secret-key-file");

  /* A saved emergency kit serves as the Secret Key file. */
  with_kit = run_cli ("unlock", "--profile", f->profile, "--password-file", f->password_file,
                      "--secret-key-file", kit_file, NULL);
  g_assert_cmpint (with_kit->status, ==, 0);
  assert_message_contains (with_kit->out, "unlocked");

  status = run_cli ("status", "--profile", f->profile, NULL);
  g_assert_cmpint (status->status, ==, 0);
  assert_message_contains (status->out, "not kept on this device");
}

static void
test_change_password (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *new_password = write_temp_file (f, "new-password", OTHER_PASSWORD "\n", -1);
  g_autofree char *id = NULL;
  g_autoptr(CliResult) change = NULL;
  g_autoptr(CliResult) with_new = NULL;
  g_autoptr(CliResult) with_old = NULL;
  g_autoptr(CliResult) get = NULL;

  init_profile (f);
  id = put_record (f, "kept across the change", NULL);

  change = run_cli ("change-password", "--profile", f->profile, "--password-file", f->password_file,
                    "--new-password-file", new_password, NULL);
  g_assert_cmpint (change->status, ==, 0);
  assert_message_contains (change->out, "changed the password");

  with_new = run_cli ("unlock", "--profile", f->profile, "--password-file", new_password, NULL);
  g_assert_cmpint (with_new->status, ==, 0);

  /* The records are under the same keys: readable with the new password. */
  get = run_cli ("vault", "get", "--profile", f->profile, "--password-file", new_password, id, NULL);
  g_assert_cmpint (get->status, ==, 0);
  g_assert_cmpstr (get->out, ==, "kept across the change");

  with_old = run_cli ("unlock", "--profile", f->profile, "--password-file", f->password_file, NULL);
  assert_error_line (with_old, 1, "wrong password");
}

static void
test_change_password_wrong_current (Fixture       *f,
                                    gconstpointer  data)
{
  g_autofree char *wrong = write_temp_file (f, "wrong", OTHER_PASSWORD "\n", -1);
  g_autoptr(CliResult) change = NULL;

  init_profile (f);

  change = run_cli ("change-password", "--profile", f->profile, "--password-file", wrong,
                    "--new-password-file", wrong, NULL);
  assert_error_line (change, 1, "wrong password");
}

/* Damaged files -------------------------------------------------------------- */

static void
test_damaged_profile (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *profile_json = g_build_filename (f->profile, "profile.json", NULL);
  g_autoptr(GBytes) original = NULL;
  g_autoptr(GBytes) damaged = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(CliResult) status = NULL;
  g_autoptr(CliResult) unlock = NULL;
  g_autoptr(GError) error = NULL;
  guint8 *contents;
  gsize len;

  init_profile (f);

  original = read_file_bytes (profile_json);
  contents = g_bytes_unref_to_data (g_bytes_ref (original), &len);
  contents[len / 2] ^= 0x01;
  damaged = g_bytes_new_take (contents, len);
  g_file_set_contents (profile_json, g_bytes_get_data (damaged, NULL), len, &error);
  g_assert_no_error (error);

  status = run_cli ("status", "--profile", f->profile, NULL);
  assert_error_line (status, 1, "damaged");
  assert_message_contains (status->err, "profile.json");
  assert_message_contains (status->err, "restore it from a backup");

  unlock = run_cli ("unlock", "--profile", f->profile, "--password-file", f->password_file, NULL);
  assert_error_line (unlock, 1, "damaged");

  after = read_file_bytes (profile_json);
  g_assert_true (g_bytes_equal (after, damaged));
}

int
main (int   argc,
      char *argv[])
{
  cli_fixture_init (&argc, &argv);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_setup, func, fixture_teardown)

  g_test_add_func ("/wa/cli/help", test_help);
  ADD ("/wa/cli/usage-errors", test_usage_errors);
  ADD ("/wa/cli/init", test_init);
  ADD ("/wa/cli/init-json", test_init_json);
  ADD ("/wa/cli/init-existing", test_init_existing);
  ADD ("/wa/cli/init-weak-password", test_init_weak_password);
  ADD ("/wa/cli/wrong-password-backoff", test_wrong_password_backoff);
  ADD ("/wa/cli/wrong-secret-key", test_wrong_secret_key);
  ADD ("/wa/cli/malformed-secret-key", test_malformed_secret_key);
  ADD ("/wa/cli/device-without-secret-key", test_device_without_secret_key);
  ADD ("/wa/cli/change-password", test_change_password);
  ADD ("/wa/cli/change-password-wrong-current", test_change_password_wrong_current);
  ADD ("/wa/cli/damaged-profile", test_damaged_profile);

#undef ADD

  return g_test_run ();
}
