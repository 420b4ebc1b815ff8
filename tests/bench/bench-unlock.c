/* bench-unlock.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * How long unlocking takes at the default key derivation parameters: the
 * KDF alone, against libsodium's Argon2id called directly with the same
 * parameters, and a whole profile's create, open and unlock.
 */

#include "config.h"

#include <string.h>
#include <sodium.h>

#include "wa-crypto.h"
#include "wa-kdf.h"
#include "wa-profile.h"

#include "bench-common.h"

#define BENCH_PASSWORD "correct horse battery staple"

static int opt_repeat = 5;
static char *opt_dir = NULL;

static const GOptionEntry entries[] = {
  { "repeat", 'r', 0, G_OPTION_ARG_INT, &opt_repeat, "Runs per measurement; the median is shown (5)", "N" },
  { "dir", 'd', 0, G_OPTION_ARG_FILENAME, &opt_dir, "Where the profiles go (the temporary folder)", "DIR" },
  { NULL }
};

enum
{
  STEP_RAW_ARGON2ID,
  STEP_DERIVE,
  STEP_CREATE,
  STEP_OPEN,
  STEP_UNLOCK,
  STEP_OPEN_AND_UNLOCK,
  N_STEPS
};

static const char *step_names[N_STEPS] = {
  "crypto_pwhash Argon2id (baseline)",
  "wa_kdf_derive_unlock_key",
  "wa_profile_create",
  "wa_profile_open",
  "wa_profile_unlock",
  "open + unlock (what the user waits for)",
};

static gboolean
run_kdf (GArray **seconds,
         GError **error)
{
  g_autoptr(WaKdfParams) params = wa_kdf_params_new_default ();
  g_autoptr(WaSecureBytes) secret_key = wa_secret_key_generate ();
  g_autoptr(WaSecureBytes) unlock_key = NULL;
  guint8 out[WA_UNLOCK_KEY_SIZE];
  double start;
  double elapsed;

  start = bench_now ();
  if (crypto_pwhash (out, sizeof out, BENCH_PASSWORD, strlen (BENCH_PASSWORD), params->salt,
                     params->ops_limit, params->mem_limit, crypto_pwhash_ALG_ARGON2ID13) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "crypto_pwhash ran out of memory");
      return FALSE;
    }
  elapsed = bench_now () - start;
  g_array_append_val (seconds[STEP_RAW_ARGON2ID], elapsed);
  sodium_memzero (out, sizeof out);

  start = bench_now ();
  unlock_key = wa_kdf_derive_unlock_key (params, BENCH_PASSWORD, secret_key, error);
  if (unlock_key == NULL)
    return FALSE;
  elapsed = bench_now () - start;
  g_array_append_val (seconds[STEP_DERIVE], elapsed);

  return TRUE;
}

static gboolean
run_profile (const char  *dir,
             int          rep,
             GArray     **seconds,
             GError     **error)
{
  g_autofree char *name = g_strdup_printf ("profile-%d", rep);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autofree char *secret_key_text = NULL;
  g_autoptr(WaProfile) created = NULL;
  g_autoptr(WaProfile) opened = NULL;
  double start;
  double opened_at;
  double elapsed;
  gboolean ok;

  start = bench_now ();
  created = wa_profile_create (path, BENCH_PASSWORD, NULL, FALSE, &secret_key_text, error);
  if (created == NULL)
    return FALSE;
  elapsed = bench_now () - start;
  g_array_append_val (seconds[STEP_CREATE], elapsed);
  g_clear_object (&created);

  start = bench_now ();
  opened = wa_profile_open (path, error);
  if (opened == NULL)
    return FALSE;
  opened_at = bench_now ();
  ok = wa_profile_unlock (opened, BENCH_PASSWORD, secret_key_text, error);
  elapsed = bench_now () - opened_at;
  sodium_memzero (secret_key_text, strlen (secret_key_text));
  if (!ok)
    return FALSE;
  g_array_append_val (seconds[STEP_UNLOCK], elapsed);
  elapsed = opened_at - start;
  g_array_append_val (seconds[STEP_OPEN], elapsed);
  elapsed = bench_now () - start;
  g_array_append_val (seconds[STEP_OPEN_AND_UNLOCK], elapsed);

  g_clear_object (&opened);
  bench_remove_tree (path);

  return TRUE;
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(WaKdfParams) defaults = NULL;
  g_autofree char *dir = NULL;
  GArray *seconds[N_STEPS];
  double medians[N_STEPS];
  int status = EXIT_SUCCESS;

  context = g_option_context_new ("- unlock time at the default KDF parameters");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (opt_repeat < 1)
    {
      g_printerr ("--repeat must be positive\n");
      return EXIT_FAILURE;
    }

  if (!wa_crypto_init (&error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  dir = bench_make_temp_dir (opt_dir, &error);
  if (dir == NULL)
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  defaults = wa_kdf_params_new_default ();
  bench_print_header ("Unlock time");
  g_print ("Default KDF: Argon2id v1.3, %" G_GUINT64_FORMAT " passes, %" G_GUINT64_FORMAT " MiB, "
           "then keyed BLAKE2b with the Secret Key.\n"
           "Profiles on %s; median of %d run(s).\n\n",
           defaults->ops_limit, defaults->mem_limit / (1024 * 1024), bench_filesystem_name (dir), opt_repeat);

  for (guint i = 0; i < N_STEPS; i++)
    seconds[i] = g_array_new (FALSE, FALSE, sizeof (double));

  for (int rep = 0; rep < opt_repeat; rep++)
    {
      g_printerr ("  run %d/%d...\n", rep + 1, opt_repeat);
      if (!run_kdf (seconds, &error) || !run_profile (dir, rep, seconds, &error))
        {
          g_printerr ("Unlocking failed: %s\n", error->message);
          status = EXIT_FAILURE;
          break;
        }
    }

  if (status == EXIT_SUCCESS)
    {
      for (guint i = 0; i < N_STEPS; i++)
        medians[i] = bench_median (seconds[i]);

      g_print ("%-42s %10s %10s %10s %18s\n", "step", "median ms", "min ms", "max ms", "vs raw Argon2id");
      g_print ("%-42s %10s %10s %10s %18s\n", "----", "---------", "------", "------", "---------------");
      for (guint i = 0; i < N_STEPS; i++)
        {
          /* bench_median() sorted the samples. */
          double min = g_array_index (seconds[i], double, 0);
          double max = g_array_index (seconds[i], double, seconds[i]->len - 1);

          g_print ("%-42s %10.0f %10.0f %10.0f %17.2fx\n", step_names[i],
                   medians[i] * 1000, min * 1000, max * 1000, medians[i] / medians[STEP_RAW_ARGON2ID]);
        }
    }

  for (guint i = 0; i < N_STEPS; i++)
    g_array_unref (seconds[i]);
  bench_remove_tree (dir);

  if (status == EXIT_SUCCESS)
    {
      g_print ("\n");
      bench_print_load ("at end");
    }

  return status;
}
