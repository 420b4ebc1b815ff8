/* test-crash.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <unistd.h>
#include <sys/inotify.h>
#include <glib/gstdio.h>
#include <glib-unix.h>
#include <sqlite3.h>
#include <json-glib/json-glib.h>
#include <sodium.h>

#include "crash-check.h"
#include "crash-common.h"
#include "crash-process.h"
#include "wa-crypto.h"
#include "wa-profile.h"
#include "wa-test-utils.h"

/*
 * Crash safety: a writer process (vault-writer) stores records, or changes
 * a profile's password, and is killed with SIGKILL at a random moment.
 * Whatever it acknowledged must survive, and nothing may be half there.
 *
 * The random choices (kill delays, and through the writer's seed the sizes
 * and the mix of records) come from one seed, printed at the start; set
 * WA_CRASH_SEED to it to replay a failure.  Kill moments still depend on
 * scheduling, so a replay is close but not exact.
 */

static const char *writer_path;

static guint32
get_seed (void)
{
  const char *text = g_getenv ("WA_CRASH_SEED");
  guint64 seed;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 0, G_MAXUINT32, &seed, NULL))
    return seed;

  return g_random_int ();
}

static guint
get_count (const char *variable,
           guint       default_count)
{
  const char *text = g_getenv (variable);
  guint64 count;

  if (text != NULL && g_ascii_string_to_unsigned (text, 10, 1, G_MAXUINT, &count, NULL))
    return count;

  return default_count;
}

/* A failed run leaves its files for a post-mortem. */
static void
remove_unless_failed (const char *path)
{
  if (g_test_failed ())
    g_test_message ("Keeping %s for inspection", path);
  else
    wa_test_remove_tree (path);
}

static void
fail_with_problems (GPtrArray  *problems,
                    guint32     seed,
                    const char *when)
{
  CrashProblem *first = g_ptr_array_index (problems, 0);

  crash_problems_log (problems, "Problem");
  g_test_fail_printf ("%u problem(s) %s; the first: %s (replay with WA_CRASH_SEED=%u)",
                      problems->len, when, first->message, seed);
}

/* Vault ---------------------------------------------------------------------- */

typedef struct
{
  char            *dir;
  GRand           *rand;
  guint32          seed;
  CrashVaultState *state;
  guint            generation;
  guint            kills;
} VaultFixture;

static void
vault_fixture_set_up (VaultFixture  *fixture,
                      gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("wa-crash-vault-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->seed = get_seed ();
  fixture->rand = g_rand_new_with_seed (fixture->seed);
  path = g_build_filename (fixture->dir, "vault.db", NULL);
  fixture->state = crash_vault_state_new (path);
  g_test_message ("Seed %u; set WA_CRASH_SEED=%u to replay", fixture->seed, fixture->seed);
}

static void
vault_fixture_tear_down (VaultFixture  *fixture,
                         gconstpointer  data)
{
  g_clear_pointer (&fixture->state, crash_vault_state_free);
  g_clear_pointer (&fixture->rand, g_rand_free);
  remove_unless_failed (fixture->dir);
  g_free (fixture->dir);
}

/* Starts on a new, empty vault file, forgetting the old one. */
static void
vault_fixture_restart (VaultFixture *fixture,
                       const char   *name)
{
  g_autofree char *path = g_build_filename (fixture->dir, name, NULL);

  crash_vault_state_free (fixture->state);
  fixture->state = crash_vault_state_new (path);
}

static void
vault_ready_cb (CrashProcess *process,
                const char   *line,
                gpointer      user_data)
{
  /* The kill delay counts from the moment the writer starts writing, so
   * that a slow start (a big vault, AddressSanitizer) does not use it up. */
  if (g_str_equal (line, "ready"))
    crash_process_kill_after (process, GPOINTER_TO_UINT (user_data));
}

/* Runs the writer once, kills it 5–150 ms into its writing, and records
 * what it acknowledged. */
static void
run_vault_writer (VaultFixture *fixture,
                  gboolean      split_batches,
                  GPtrArray    *problems)
{
  g_autoptr(CrashProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *generation = g_strdup_printf ("%u", fixture->generation++);
  g_autofree char *seed = g_strdup_printf ("%u", fixture->seed);
  guint delay = g_rand_int_range (fixture->rand, 5, 151);
  const char *argv[] = {
    writer_path, "vault", fixture->state->path, generation, seed,
    split_batches ? "--split-batches" : NULL, NULL
  };

  process = crash_process_spawn (argv, vault_ready_cb, GUINT_TO_POINTER (delay), &error);
  g_assert_no_error (error);

  if (!crash_process_wait_killed (process, &error))
    {
      crash_problems_add (problems, CRASH_PROBLEM_WRITER, NULL, "%s", error->message);
      return;
    }

  fixture->kills++;
  crash_vault_state_parse (fixture->state, crash_process_get_lines (process), problems);
}

static void
test_vault_sigkill (VaultFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = crash_problems_new ();
  guint iterations = get_count ("WA_CRASH_ITERATIONS", 100);
  gint64 started = g_get_monotonic_time ();
  gint64 checking = 0;

  for (guint i = 0; i < iterations; i++)
    {
      gboolean full = (i + 1) % 10 == 0 || i + 1 == iterations;
      gint64 check_started;

      run_vault_writer (fixture, FALSE, problems);
      check_started = g_get_monotonic_time ();
      if (problems->len == 0)
        crash_vault_check (fixture->state, full, problems);
      checking += g_get_monotonic_time () - check_started;

      if (problems->len > 0)
        {
          g_autofree char *when = g_strdup_printf ("after kill %u of %u", i + 1, iterations);

          fail_with_problems (problems, fixture->seed, when);
          return;
        }
    }

  g_test_message ("%u kills; %u records in the vault; %u single records and %u batches acknowledged; "
                  "%u records committed but killed before their acknowledgement",
                  fixture->kills, fixture->state->records, fixture->state->acked_singles,
                  fixture->state->acked_batches, fixture->state->unacked);
  g_test_message ("%.1f s in all, %.1f s of it checking",
                  (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC,
                  checking / (double) G_USEC_PER_SEC);

  /* A writer that never got a record or a batch through proves nothing. */
  g_assert_cmpuint (fixture->kills, ==, iterations);
  g_assert_cmpuint (fixture->state->acked_singles, >, 0);
  g_assert_cmpuint (fixture->state->acked_batches, >, 0);
}

static const char *
find_acked (CrashVaultState *state,
            gboolean         batch,
            const char      *other_than)
{
  GHashTableIter iter;
  gpointer key, value;

  g_hash_table_iter_init (&iter, state->acked);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      CrashRecordInfo *info = value;

      if (info->batch == batch && g_strcmp0 (key, other_than) != 0)
        return key;
    }

  return NULL;
}

static void
damage_vault (const char *path,
              const char *sql,
              const char *id)
{
  sqlite3 *db = NULL;
  sqlite3_stmt *stmt = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  sqlite3_bind_text (stmt, 1, id, -1, SQLITE_STATIC);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  g_assert_cmpint (sqlite3_changes (db), ==, 1);
  sqlite3_finalize (stmt);
  sqlite3_close (db);
}

/* The checker itself must be able to fail: a record that was acknowledged
 * but is not there (as if the writer printed its id before COMMIT), a
 * record whose ciphertext changed, and a batch cut in half by a kill. */
static void
test_vault_checker (VaultFixture  *fixture,
                    gconstpointer  data)
{
  g_autoptr(GPtrArray) problems = crash_problems_new ();
  const char *lost;
  const char *changed;
  const char *batch_record;
  guint runs;

  for (runs = 0; runs < 50; runs++)
    {
      run_vault_writer (fixture, FALSE, problems);
      crash_vault_check (fixture->state, TRUE, problems);
      if (problems->len > 0)
        {
          fail_with_problems (problems, fixture->seed, "before any damage");
          return;
        }

      if (fixture->state->acked_singles >= 2 && fixture->state->acked_batches >= 1)
        break;
    }
  g_assert_cmpuint (fixture->state->acked_singles, >=, 2);
  g_assert_cmpuint (fixture->state->acked_batches, >=, 1);

  lost = find_acked (fixture->state, FALSE, NULL);
  changed = find_acked (fixture->state, FALSE, lost);
  batch_record = find_acked (fixture->state, TRUE, NULL);
  damage_vault (fixture->state->path, "DELETE FROM records WHERE id = ?", lost);
  damage_vault (fixture->state->path, "DELETE FROM records WHERE id = ?", batch_record);
  damage_vault (fixture->state->path,
                "UPDATE records SET encrypted_data = "
                "  substr(encrypted_data, 1, length(encrypted_data) - 1) || "
                "  CASE WHEN substr(encrypted_data, -1) = x'00' THEN x'01' ELSE x'00' END "
                "WHERE id = ?",
                changed);

  crash_vault_check (fixture->state, TRUE, problems);
  crash_problems_log (problems, "Found on purpose");
  g_assert_true (crash_problems_contain (problems, CRASH_PROBLEM_MISSING, lost));
  g_assert_true (crash_problems_contain (problems, CRASH_PROBLEM_MISSING, batch_record));
  g_assert_true (crash_problems_contain (problems, CRASH_PROBLEM_BATCH, NULL));
  g_assert_true (crash_problems_contain (problems, CRASH_PROBLEM_CONTENT, changed));
  g_assert_true (crash_problems_contain (problems, CRASH_PROBLEM_VERIFY, changed));
  /* The audit log still records the puts of the records taken away. */
  g_assert_true (crash_problems_contain (problems, CRASH_PROBLEM_AUDIT, lost));

  /* An audit entry taken away is caught too, without a record to show. */
  g_ptr_array_set_size (problems, 0);
  damage_vault (fixture->state->path, "DELETE FROM audit_entries WHERE idx = ?", "0");
  crash_vault_check (fixture->state, FALSE, problems);
  crash_problems_log (problems, "Found on purpose");
  {
    gboolean caught = FALSE;

    for (guint i = 0; i < problems->len; i++)
      {
        CrashProblem *problem = g_ptr_array_index (problems, i);

        caught |= problem->kind == CRASH_PROBLEM_AUDIT && strstr (problem->message, "does not verify") != NULL;
      }
    g_assert_true (caught);
  }

  /* A writer that stores batches as separate transactions must be caught
   * within a few kills. */
  g_ptr_array_set_size (problems, 0);
  vault_fixture_restart (fixture, "split.db");
  for (runs = 0; runs < 100 && problems->len == 0; runs++)
    {
      run_vault_writer (fixture, TRUE, problems);
      crash_vault_check (fixture->state, FALSE, problems);
    }
  g_test_message ("Non-atomic batches caught after %u kills", runs);
  crash_problems_log (problems, "Found on purpose");
  g_assert_true (crash_problems_contain (problems, CRASH_PROBLEM_BATCH, NULL));
}

/* Profile --------------------------------------------------------------------- */

typedef struct
{
  char     *tmp;
  char     *dir;
  GRand    *rand;
  guint32   seed;
  guint8    sign_public_key[WA_SIGN_PUBLIC_KEY_SIZE];
  guint     password;         /* the index of the password that unlocks */
  gint64    change_time;      /* µs that one password change takes */
  guint     kills;
  guint     changes;          /* acknowledged password changes */
  guint     kept_acked;       /* kills after which the acknowledged password unlocked */
  guint     took_unacked;     /* kills after which the one being set did */
  guint     aimed;            /* kills aimed at the replacement of profile.json */
} ProfileFixture;

static void
profile_fixture_set_up (ProfileFixture *fixture,
                        gconstpointer   data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaProfile) profile = NULL;
  g_autofree char *password = crash_password (0);
  g_autofree char *secret_key_text = NULL;

  fixture->tmp = g_dir_make_tmp ("wa-crash-profile-XXXXXX", &error);
  g_assert_no_error (error);
  fixture->dir = g_build_filename (fixture->tmp, "profile", NULL);
  fixture->seed = get_seed ();
  fixture->rand = g_rand_new_with_seed (fixture->seed);
  g_test_message ("Seed %u; set WA_CRASH_SEED=%u to replay", fixture->seed, fixture->seed);

  profile = wa_profile_create (fixture->dir, password, NULL, TRUE, &secret_key_text, &error);
  g_assert_no_error (error);
  memcpy (fixture->sign_public_key, wa_profile_get_sign_public_key (profile), WA_SIGN_PUBLIC_KEY_SIZE);
  sodium_memzero (secret_key_text, strlen (secret_key_text));
  g_assert_finalize_object (g_steal_pointer (&profile));
}

static void
profile_fixture_tear_down (ProfileFixture *fixture,
                           gconstpointer   data)
{
  g_clear_pointer (&fixture->rand, g_rand_free);
  remove_unless_failed (fixture->tmp);
  g_free (fixture->dir);
  g_free (fixture->tmp);
}

typedef struct
{
  ProfileFixture *fixture;
  CrashProcess   *process;
  guint           changes_to_wait;
  guint           changes_seen;
  gint64          last_event;
  gboolean        aim_at_save;
  gboolean        waiting_for_save;
  guint           save_delay;
} ProfileRun;

static void
profile_line_cb (CrashProcess *process,
                 const char   *line,
                 gpointer      user_data)
{
  ProfileRun *run = user_data;
  ProfileFixture *fixture = run->fixture;
  gint64 now = g_get_monotonic_time ();

  if (g_str_has_prefix (line, "changed "))
    {
      gint64 took = now - run->last_event;

      fixture->change_time = fixture->change_time == 0 ? took : (3 * fixture->change_time + took) / 4;
      run->changes_seen++;
    }
  else if (!g_str_equal (line, "unlocked"))
    {
      return;
    }

  run->last_event = now;
  if (run->changes_seen != run->changes_to_wait)
    return;

  if (run->aim_at_save)
    {
      /* Should the temporary file never be seen, the writer still dies
       * after the next change or two. */
      run->waiting_for_save = TRUE;
      crash_process_kill_after (process, 3 * fixture->change_time / 1000 + 1);
    }
  else
    {
      crash_process_kill_after (process, g_rand_int_range (fixture->rand, 0, fixture->change_time / 1000 + 1));
    }
}

/* A password change spends nearly all its time in Argon2 and a few
 * milliseconds replacing profile.json, which a kill at a random time
 * would seldom hit.  So most kills are aimed: when the temporary file of
 * the next profile.json appears, the writer dies 0-3 ms later, before the
 * rename, between it and the acknowledgement, or just after. */
static gboolean
profile_dir_changed_cb (int           fd,
                        GIOCondition  condition,
                        gpointer      user_data)
{
  ProfileRun *run = user_data;
  union {
    struct inotify_event event;
    char                 bytes[4096];
  } buffer;
  gssize len;

  while ((len = read (fd, &buffer, sizeof buffer)) > 0)
    {
      for (gssize offset = 0; offset < len; )
        {
          const struct inotify_event *event = (const struct inotify_event *) (buffer.bytes + offset);

          if ((event->mask & IN_CREATE) != 0 && event->len > 0 &&
              g_str_has_prefix (event->name, "profile.json.") && run->waiting_for_save)
            {
              run->waiting_for_save = FALSE;
              run->fixture->aimed++;
              crash_process_kill_after (run->process, run->save_delay);
            }
          offset += sizeof (struct inotify_event) + event->len;
        }
    }

  return G_SOURCE_CONTINUE;
}

/* Runs the writer from the current password and kills it during one of
 * its first password changes.  Returns the last acknowledged password. */
static guint
run_profile_writer (ProfileFixture *fixture,
                    gboolean        ack_early,
                    GPtrArray      *problems)
{
  g_autoptr(CrashProcess) process = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *index = g_strdup_printf ("%u", fixture->password);
  ProfileRun run = { fixture, };
  const char *argv[] = {
    writer_path, "profile", fixture->dir, index, ack_early ? "--ack-early" : NULL, NULL
  };
  GPtrArray *lines;
  guint acked = fixture->password;
  guint watch;
  int fd;

  /* Wait for up to two changes, the first time for one at least, to know
   * how long a change takes. */
  run.changes_to_wait = g_rand_int_range (fixture->rand, fixture->change_time == 0 ? 1 : 0, 3);
  run.aim_at_save = g_rand_int_range (fixture->rand, 0, 4) != 0;
  run.save_delay = g_rand_int_range (fixture->rand, 0, 4);

  fd = inotify_init1 (IN_NONBLOCK | IN_CLOEXEC);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (inotify_add_watch (fd, fixture->dir, IN_CREATE), >=, 0);
  watch = g_unix_fd_add (fd, G_IO_IN, profile_dir_changed_cb, &run);

  process = crash_process_spawn (argv, profile_line_cb, &run, &error);
  g_assert_no_error (error);
  run.process = process;
  if (!crash_process_wait_killed (process, &error))
    crash_problems_add (problems, CRASH_PROBLEM_WRITER, NULL, "%s", error->message);

  g_source_remove (watch);
  close (fd);
  if (problems->len > 0)
    return acked;

  fixture->kills++;

  lines = crash_process_get_lines (process);
  for (guint i = 0; i < lines->len; i++)
    {
      const char *line = g_ptr_array_index (lines, i);
      g_autofree char *expected = NULL;

      if (i == 0)
        expected = g_strdup ("unlocked");
      else
        expected = g_strdup_printf ("changed %u", fixture->password + i);

      if (!g_str_equal (line, expected))
        {
          crash_problems_add (problems, CRASH_PROBLEM_WRITER, NULL,
                              "The writer printed \"%s\" where \"%s\" was due", line, expected);
          return acked;
        }

      if (i > 0)
        {
          acked = fixture->password + i;
          fixture->changes++;
        }
    }

  return acked;
}

static void
wait_out_backoff (WaProfile *profile)
{
  gint64 remaining;

  while ((remaining = wa_profile_get_backoff_remaining (profile)) > 0)
    g_usleep (remaining * G_USEC_PER_SEC);
}

static void
check_unlock (ProfileFixture *fixture,
              WaProfile      *profile,
              guint           acked,
              GPtrArray      *problems)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *acked_password = crash_password (acked);
  g_autofree char *next_password = crash_password (acked + 1);

  /* The acknowledged password first: a failed attempt costs a back-off. */
  if (wa_profile_unlock (profile, acked_password, NULL, &error))
    {
      fixture->password = acked;
      fixture->kept_acked++;
    }
  else if (g_error_matches (error, WA_PROFILE_ERROR, WA_PROFILE_ERROR_WRONG_PASSWORD))
    {
      g_clear_error (&error);
      wait_out_backoff (profile);
      if (!wa_profile_unlock (profile, next_password, NULL, &error))
        {
          crash_problems_add (problems, CRASH_PROBLEM_PROFILE, NULL,
                              "Neither the acknowledged password %u nor the one being set (%u) "
                              "unlocks the profile: %s", acked, acked + 1, error->message);
          return;
        }

      fixture->password = acked + 1;
      fixture->took_unacked++;
    }
  else
    {
      crash_problems_add (problems, CRASH_PROBLEM_PROFILE, NULL,
                          "The profile does not unlock with the acknowledged password %u: %s",
                          acked, error->message);
      return;
    }

  if (memcmp (wa_profile_get_sign_public_key (profile), fixture->sign_public_key,
              WA_SIGN_PUBLIC_KEY_SIZE) != 0)
    crash_problems_add (problems, CRASH_PROBLEM_PROFILE, NULL,
                        "The profile unlocked, but to another signing key than it was created with");
}

/* After a kill, profile.json must be whole, and the profile must unlock
 * with the acknowledged password or the one that was being set. */
static void
check_profile (ProfileFixture *fixture,
               guint           acked,
               GPtrArray      *problems)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) root = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "profile.json", NULL);
  g_autofree char *contents = NULL;
  WaProfile *profile;

  if (!g_file_get_contents (path, &contents, NULL, &error) ||
      (root = json_from_string (contents, &error)) == NULL)
    {
      crash_problems_add (problems, CRASH_PROBLEM_PROFILE, NULL,
                          "profile.json is not whole after the kill: %s", error->message);
      return;
    }

  profile = wa_profile_open (fixture->dir, &error);
  if (profile == NULL)
    {
      crash_problems_add (problems, CRASH_PROBLEM_PROFILE, NULL,
                          "The profile does not open after the kill: %s", error->message);
      return;
    }

  check_unlock (fixture, profile, acked, problems);

  /* Finalizing locks the profile and closes its vault before the next
   * writer opens them. */
  g_assert_finalize_object (profile);
}

static guint
count_temporary_files (const char *dir)
{
  g_autoptr(GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint count = 0;

  while (handle != NULL && (name = g_dir_read_name (handle)) != NULL)
    if (g_str_has_prefix (name, "profile.json."))
      count++;

  return count;
}

static void
test_profile_change_password (ProfileFixture *fixture,
                              gconstpointer   data)
{
  g_autoptr(GPtrArray) problems = crash_problems_new ();
  guint iterations = get_count ("WA_CRASH_PROFILE_ITERATIONS", 30);
  gint64 started = g_get_monotonic_time ();

  for (guint i = 0; i < iterations; i++)
    {
      guint acked = run_profile_writer (fixture, FALSE, problems);

      if (problems->len == 0)
        check_profile (fixture, acked, problems);

      if (problems->len > 0)
        {
          g_autofree char *when = g_strdup_printf ("after kill %u of %u", i + 1, iterations);

          fail_with_problems (problems, fixture->seed, when);
          return;
        }
    }

  g_test_message ("%u kills, %u of them aimed at the replacement of profile.json; "
                  "%u password changes acknowledged; a change takes %.2f s",
                  fixture->kills, fixture->aimed, fixture->changes,
                  fixture->change_time / (double) G_USEC_PER_SEC);
  g_test_message ("After a kill, the acknowledged password unlocked %u times, the one being set %u times; "
                  "%u temporary files were left behind",
                  fixture->kept_acked, fixture->took_unacked, count_temporary_files (fixture->dir));
  g_test_message ("%.1f s in all", (g_get_monotonic_time () - started) / (double) G_USEC_PER_SEC);

  g_assert_cmpuint (fixture->kills, ==, iterations);
  g_assert_cmpuint (fixture->changes, >, 0);
}

/* The profile checker must be able to fail: when a writer acknowledges a
 * password before it is saved, and when profile.json is torn. */
static void
test_profile_checker (ProfileFixture *fixture,
                      gconstpointer   data)
{
  g_autoptr(GPtrArray) problems = crash_problems_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (fixture->dir, "profile.json", NULL);
  g_autofree char *contents = NULL;
  gsize len = 0;
  guint runs;

  for (runs = 0; runs < 10 && problems->len == 0; runs++)
    {
      guint acked = run_profile_writer (fixture, TRUE, problems);

      if (problems->len == 0)
        check_profile (fixture, acked, problems);
    }
  g_test_message ("Early acknowledgements caught after %u kills", runs);
  crash_problems_log (problems, "Found on purpose");
  g_assert_true (crash_problems_contain (problems, CRASH_PROBLEM_PROFILE, NULL));

  g_ptr_array_set_size (problems, 0);
  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  g_file_set_contents (path, contents, len / 2, &error);
  g_assert_no_error (error);
  check_profile (fixture, fixture->password, problems);
  crash_problems_log (problems, "Found on purpose");
  g_assert_true (crash_problems_contain (problems, CRASH_PROBLEM_PROFILE, NULL));
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *default_writer = NULL;

  g_test_init (&argc, &argv, NULL);

  if (!wa_crypto_init (&error))
    g_error ("%s", error->message);

  /* meson passes the writer's path; run by hand, the test finds it next
   * to itself. */
  dir = g_path_get_dirname (argv[0]);
  default_writer = g_build_filename (dir, "vault-writer", NULL);
  if (argc > 1)
    writer_path = argv[1];
  else if (g_getenv ("WA_CRASH_WRITER") != NULL)
    writer_path = g_getenv ("WA_CRASH_WRITER");
  else
    writer_path = default_writer;

  g_test_add ("/wa/vault/crash/sigkill", VaultFixture, NULL,
              vault_fixture_set_up, test_vault_sigkill, vault_fixture_tear_down);
  g_test_add ("/wa/vault/crash/checker-catches-damage", VaultFixture, NULL,
              vault_fixture_set_up, test_vault_checker, vault_fixture_tear_down);
  g_test_add ("/wa/profile/crash/change-password", ProfileFixture, NULL,
              profile_fixture_set_up, test_profile_change_password, profile_fixture_tear_down);
  g_test_add ("/wa/profile/crash/checker-catches-damage", ProfileFixture, NULL,
              profile_fixture_set_up, test_profile_checker, profile_fixture_tear_down);

  return g_test_run ();
}
