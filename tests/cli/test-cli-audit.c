/* test-cli-audit.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <json-glib/json-glib.h>

#include "cli-fixture.h"
#include "wa-note.h"
#include "wa-test-utils.h"

/* webagent-cli audit: what the foundation records, verify, show, tail,
 * export, proof and verify-proof, and what a user sees when the log was
 * tampered with. */

static JsonObject *
parse_object (const char *text)
{
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);

  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
vault_path (Fixture *f)
{
  return g_build_filename (f->profile, "vault.db", NULL);
}

static void
raw_exec (Fixture    *f,
          const char *sql)
{
  g_autofree char *path = vault_path (f);

  wa_test_sqlite_exec (path, sql);
}

static GPtrArray *
lines_of (const char *text)
{
  g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
  GPtrArray *array = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; lines[i] != NULL; i++)
    if (*lines[i] != '\0')
      g_ptr_array_add (array, g_strdup (lines[i]));

  return array;
}

static void
test_foundation_events (Fixture       *f,
                        gconstpointer  data)
{
  g_autofree char *wrong = write_temp_file (f, "wrong", "not the password\n", -1);
  g_autoptr(CliResult) failed = NULL;
  g_autoptr(CliResult) show = NULL;
  g_autoptr(CliResult) verify = NULL;
  g_autoptr(GPtrArray) lines = NULL;
  g_autofree char *id = NULL;
  const char *expected[] = {
    "profile.create", "auth.lock",          /* init */
    "auth.unlock", "vault.put", "auth.lock", /* vault put */
    "auth.unlock_failed",                  /* the wrong password, signed at the next unlock */
    "auth.unlock",                         /* audit show itself */
  };

  init_profile (f);
  id = put_record (f, "hello", NULL);
  failed = run_cli ("unlock", "--profile", f->profile, "--password-file", wrong, NULL);
  g_assert_cmpint (failed->status, ==, 1);

  /* The back-off of the failed attempt must pass before the next unlock. */
  g_usleep (1100 * G_TIME_SPAN_MILLISECOND);
  show = run_cli ("audit", "show", "--profile", f->profile, "--password-file", f->password_file,
                  "--format", "json", NULL);
  g_assert_cmpint (show->status, ==, 0);
  lines = lines_of (show->out);
  g_assert_cmpuint (lines->len, ==, G_N_ELEMENTS (expected));
  for (guint i = 0; i < lines->len; i++)
    {
      g_autoptr(JsonObject) event = parse_object (g_ptr_array_index (lines, i));

      g_assert_cmpint (json_object_get_int_member (event, "index"), ==, i);
      g_assert_cmpstr (json_object_get_string_member (event, "event_type"), ==, expected[i]);
    }

  /* The body of the put names the record; the failed unlock its reason. */
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 3), id));
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 5), "wrong_password"));
  g_assert_null (strstr (show->out, PASSWORD));

  verify = run_cli ("audit", "verify", "--profile", f->profile, NULL);
  g_assert_cmpint (verify->status, ==, 0);
  g_assert_nonnull (strstr (verify->out, "verified"));
}

static void
test_headers_only (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CliResult) show = NULL;
  g_autoptr(CliResult) tail = NULL;
  g_autoptr(GPtrArray) lines = NULL;

  init_profile (f);
  g_free (put_record (f, "hello", NULL));

  show = run_cli ("audit", "show", "--profile", f->profile, "--headers-only", "--format", "json", NULL);
  g_assert_cmpint (show->status, ==, 0);
  g_assert_nonnull (strstr (show->out, "\"vault.put\""));
  /* The public headers name the user only by commitment. */
  {
    g_autoptr(CliResult) status = run_cli ("status", "--profile", f->profile, "--json", NULL);
    g_autoptr(JsonObject) object = parse_object (status->out);

    g_assert_null (strstr (show->out, json_object_get_string_member (object, "user_id")));
  }
  g_assert_null (strstr (show->out, "record_ids"));
  g_assert_null (strstr (show->out, "metadata"));

  tail = run_cli ("audit", "tail", "--profile", f->profile, "--headers-only", "-n", "2", NULL);
  g_assert_cmpint (tail->status, ==, 0);
  lines = lines_of (tail->out);
  g_assert_cmpuint (lines->len, ==, 2);
  g_assert_true (g_str_has_prefix (g_ptr_array_index (lines, 0), "3  "));
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 1), "auth.lock"));
}

static void
test_export_formats (Fixture       *f,
                     gconstpointer  data)
{
  struct
  {
    const char *format;
    const char *prefix;
  } cases[] = {
    { "json", "{" },
    { "cef", "CEF:0|WebAgent|WebAgent|" },
    { "leef", "LEEF:2.0|WebAgent|WebAgent|" },
    { "syslog", "<" },
  };
  g_autoptr(CliResult) bad = NULL;
  g_autoptr(CliResult) text = NULL;

  init_profile (f);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(CliResult) result = NULL;
      g_autoptr(GPtrArray) lines = NULL;

      result = run_cli ("audit", "export", "--profile", f->profile, "--password-file", f->password_file,
                        "--format", cases[i].format, NULL);
      g_assert_cmpint (result->status, ==, 0);
      lines = lines_of (result->out);
      g_assert_cmpuint (lines->len, >=, 2);
      for (guint j = 0; j < lines->len; j++)
        if (!g_str_has_prefix (g_ptr_array_index (lines, j), cases[i].prefix))
          g_error ("%s line %u: %s", cases[i].format, j, (const char *) g_ptr_array_index (lines, j));
    }

  text = run_cli ("audit", "export", "--profile", f->profile, "--headers-only", "--format", "text", NULL);
  assert_error_line (text, 2, "--format is json, cef, leef or syslog");
  bad = run_cli ("audit", "export", "--profile", f->profile, "--headers-only", NULL);
  assert_error_line (bad, 2, "--format");
}

static void
test_proof_round_trip (Fixture       *f,
                       gconstpointer  data)
{
  g_autofree char *proof_path = g_build_filename (f->tmp, "entry.tlog-proof", NULL);
  g_autoptr(CliResult) proof = NULL;
  g_autoptr(CliResult) check = NULL;
  g_autoptr(CliResult) with_key = NULL;
  g_autoptr(CliResult) status = NULL;
  g_autoptr(CliResult) forged = NULL;
  g_autoptr(CliResult) missing = NULL;
  g_autoptr(JsonObject) status_object = NULL;
  g_autofree char *contents = NULL;
  g_autofree char *forged_path = NULL;
  char *p;

  init_profile (f);
  proof = run_cli ("audit", "proof", "--profile", f->profile, "--index", "1", "--output", proof_path, NULL);
  g_assert_cmpint (proof->status, ==, 0);

  check = run_cli ("audit", "verify-proof", "--profile", f->profile, proof_path, NULL);
  g_assert_cmpint (check->status, ==, 0);
  g_assert_nonnull (strstr (check->out, "Entry 1 (auth.lock"));

  status = run_cli ("status", "--profile", f->profile, "--json", NULL);
  g_assert_cmpint (status->status, ==, 0);
  status_object = parse_object (status->out);
  with_key = run_cli ("audit", "verify-proof", "--key",
                      json_object_get_string_member (status_object, "audit_verifier_key"), proof_path, NULL);
  g_assert_cmpint (with_key->status, ==, 0);

  /* One changed hash in the proof. */
  g_assert_true (g_file_get_contents (proof_path, &contents, NULL, NULL));
  p = strstr (contents, "index 1\n") + strlen ("index 1\n");
  *p = *p == 'A' ? 'B' : 'A';
  forged_path = write_temp_file (f, "forged.tlog-proof", contents, -1);
  forged = run_cli ("audit", "verify-proof", "--profile", f->profile, forged_path, NULL);
  assert_error_line (forged, 1, "The proof does not hold");

  missing = run_cli ("audit", "proof", "--profile", f->profile, "--index", "99", NULL);
  assert_error_line (missing, 1, "no entry 99");
}

static void
test_verify_reports_tampering (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(CliResult) deleted = NULL;
  g_autoptr(CliResult) json = NULL;
  g_autoptr(JsonObject) report = NULL;
  g_autoptr(CliResult) unlock = NULL;

  init_profile (f);
  g_free (put_record (f, "one", NULL));
  g_free (put_record (f, "two", NULL));

  raw_exec (f, "DELETE FROM audit_entries WHERE idx = 3");
  deleted = run_cli ("audit", "verify", "--profile", f->profile, NULL);
  assert_error_line (deleted, 1, "failed verification at entry 3");

  json = run_cli ("audit", "verify", "--profile", f->profile, "--json", NULL);
  g_assert_cmpint (json->status, ==, 1);
  report = parse_object (json->out);
  g_assert_false (json_object_get_boolean_member (report, "ok"));
  g_assert_cmpint (json_object_get_int_member (report, "bad_index"), ==, 3);

  /* Nothing more happens on a log whose end was cut off: the unlock is
   * refused, because it could not be recorded. */
  raw_exec (f, "DELETE FROM audit_entries WHERE idx = 7");
  unlock = run_cli ("unlock", "--profile", f->profile, "--password-file", f->password_file, NULL);
  assert_error_line (unlock, 1, "could not be recorded");
}

static void
test_truncation_caught_by_kept_checkpoint (Fixture       *f,
                                           gconstpointer  data)
{
  g_autoptr(CliResult) verify = NULL;

  init_profile (f);
  g_free (put_record (f, "one", NULL));

  /* Remove the last entries and their checkpoints, and rewind the tree
   * state, as someone with write access to the file could: only the
   * checkpoint kept outside the database tells. */
  raw_exec (f,
            "DELETE FROM audit_entries WHERE idx >= 3;"
            "DELETE FROM audit_checkpoints WHERE size > 3;");
  {
    g_autofree char *path = vault_path (f);

    wa_test_audit_rewrite_tree_state (path);
  }
  verify = run_cli ("audit", "verify", "--profile", f->profile, NULL);
  assert_error_line (verify, 1, "truncated or rolled back");

  /* Nor does the next unlock paper over it by keeping the cut-back log's
   * checkpoint as the one seen: it is refused, and the damage stays
   * visible. */
  {
    g_autoptr(CliResult) put = NULL;
    g_autoptr(CliResult) again = NULL;
    g_autofree char *file = write_temp_file (f, "more", "more", -1);

    put = run_cli ("vault", "put", "--profile", f->profile, "--type", "note", "--classification", "SECRET",
                   "--password-file", f->password_file, file, NULL);
    assert_error_line (put, 1, "cut back or restored from an older copy");
    again = run_cli ("audit", "verify", "--profile", f->profile, NULL);
    assert_error_line (again, 1, "truncated or rolled back");
  }
}

/* An entry whose body does not open is shown by its header, and said so;
 * verify still reports it. */
static void
test_unreadable_body (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(CliResult) show = NULL;
  g_autoptr(CliResult) verify = NULL;
  g_autoptr(GPtrArray) lines = NULL;

  init_profile (f);
  /* Swap two base64 digits early in entry 1's body: still base64, still
   * canonical, but no longer what was encrypted. */
  raw_exec (f,
            "UPDATE audit_entries SET entry = "
            "  substr(entry, 1, 10) || "
            "  CASE WHEN substr(entry, 11, 1) = 'A' THEN 'B' ELSE 'A' END || "
            "  substr(entry, 12) "
            "WHERE idx = 1");

  show = run_cli ("audit", "show", "--profile", f->profile, "--password-file", f->password_file, NULL);
  g_assert_cmpint (show->status, ==, 0);
  lines = lines_of (show->out);
  g_assert_nonnull (strstr (g_ptr_array_index (lines, 1), "body not readable"));
  g_assert_null (strstr (g_ptr_array_index (lines, 0), "body not readable"));

  verify = run_cli ("audit", "verify", "--profile", f->profile, NULL);
  assert_error_line (verify, 1, "at entry 1");
}

static char *
verifier_key (const char *profile)
{
  g_autoptr(CliResult) status = run_cli ("status", "--profile", profile, "--json", NULL);
  g_autoptr(JsonObject) object = NULL;

  g_assert_cmpint (status->status, ==, 0);
  object = parse_object (status->out);

  return g_strdup (json_object_get_string_member (object, "audit_verifier_key"));
}

/* An auditor can hold the log to a key from a copy they trust, not only
 * the one in the profile folder, and is told which log was checked. */
static void
test_verify_with_key (Fixture       *f,
                      gconstpointer  data)
{
  g_autofree char *other = g_build_filename (f->tmp, "other", NULL);
  g_autofree char *other_secret = NULL;
  g_autofree char *mine = NULL;
  g_autofree char *theirs = NULL;
  g_autofree char *renamed = NULL;
  g_autoptr(CliResult) good = NULL;
  g_autoptr(CliResult) wrong = NULL;
  g_autoptr(CliResult) bad_name = NULL;
  g_autoptr(CliResult) past_end = NULL;

  init_profile (f);
  init_profile_in (f, other, &other_secret);
  mine = verifier_key (f->profile);
  theirs = verifier_key (other);

  good = run_cli ("audit", "verify", "--profile", f->profile, "--key", mine, NULL);
  g_assert_cmpint (good->status, ==, 0);
  {
    g_autofree char *origin = g_strndup (mine, strchr (mine, '+') - mine);

    g_assert_nonnull (strstr (good->out, origin));
  }

  wrong = run_cli ("audit", "verify", "--profile", f->profile, "--key", theirs, NULL);
  assert_error_line (wrong, 1, "The audit log failed verification");

  {
    g_autofree char *name = NULL;
    guint8 public_key[32];

    g_assert_true (wa_note_verifier_key_parse (mine, &name, public_key, NULL));
    renamed = wa_note_verifier_key_format ("someone-else", public_key);
  }
  bad_name = run_cli ("audit", "verify", "--profile", f->profile, "--key", renamed, NULL);
  assert_error_line (bad_name, 2, "named after its device");

  past_end = run_cli ("audit", "verify", "--profile", f->profile, "--from", "99", NULL);
  assert_error_line (past_end, 2, "past the end of the log");
}

static void
test_usage_errors (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(CliResult) no_command = NULL;
  g_autoptr(CliResult) unknown = NULL;
  g_autoptr(CliResult) bad_index = NULL;
  g_autoptr(CliResult) both = NULL;
  g_autoptr(CliResult) help = NULL;

  init_profile (f);

  no_command = run_cli ("audit", NULL);
  assert_error_line (no_command, 2, "No audit command given");
  unknown = run_cli ("audit", "frobnicate", NULL);
  assert_error_line (unknown, 2, "Unknown audit command");
  bad_index = run_cli ("audit", "verify", "--profile", f->profile, "--from", "x", NULL);
  assert_error_line (bad_index, 2, "--from needs an entry index");
  both = run_cli ("audit", "verify-proof", "--profile", f->profile, "--key", "k", "file", NULL);
  assert_error_line (both, 2, "either --profile or --key");
  help = run_cli ("audit", "--help", NULL);
  g_assert_cmpint (help->status, ==, 0);
  g_assert_nonnull (strstr (help->out, "verify-proof"));
}

int
main (int   argc,
      char *argv[])
{
  cli_fixture_init (&argc, &argv);

  g_test_add ("/cli/audit/foundation-events", Fixture, NULL, fixture_setup, test_foundation_events,
              fixture_teardown);
  g_test_add ("/cli/audit/headers-only", Fixture, NULL, fixture_setup, test_headers_only, fixture_teardown);
  g_test_add ("/cli/audit/export-formats", Fixture, NULL, fixture_setup, test_export_formats, fixture_teardown);
  g_test_add ("/cli/audit/proof", Fixture, NULL, fixture_setup, test_proof_round_trip, fixture_teardown);
  g_test_add ("/cli/audit/verify-tampered", Fixture, NULL, fixture_setup, test_verify_reports_tampering,
              fixture_teardown);
  g_test_add ("/cli/audit/verify-truncated", Fixture, NULL, fixture_setup, test_truncation_caught_by_kept_checkpoint,
              fixture_teardown);
  g_test_add ("/cli/audit/unreadable-body", Fixture, NULL, fixture_setup, test_unreadable_body, fixture_teardown);
  g_test_add ("/cli/audit/verify-with-key", Fixture, NULL, fixture_setup, test_verify_with_key, fixture_teardown);
  g_test_add ("/cli/audit/usage", Fixture, NULL, fixture_setup, test_usage_errors, fixture_teardown);

  return g_test_run ();
}
