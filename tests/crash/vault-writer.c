/* vault-writer.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <stdio.h>
#include <stdlib.h>

#include "crash-common.h"
#include "wa-crypto.h"
#include "wa-profile.h"
#include "wa-vault.h"

/*
 * The victim of test-crash: it writes until it is killed with SIGKILL.
 *
 *   vault-writer vault PATH GENERATION SEED [--split-batches]
 *   vault-writer profile DIRECTORY PASSWORD-INDEX [--ack-early]
 *
 * Every line it prints on stdout is an acknowledgement, printed and flushed
 * only once the call it acknowledges has returned.  The test holds the
 * store to every acknowledgement it read, so printing one early is exactly
 * the bug it is built to catch.  The two options put bugs in on purpose (a
 * batch that is not atomic, a password acknowledged before it is saved) so
 * that the test can show it catches them.
 *
 *   ready                                       keys set, writing starts
 *   put ID GENERATION SEQUENCE SIZE SHA256      one wa_vault_put() returned
 *   batch GENERATION BATCH COUNT ID…            one wa_vault_put_many() returned
 *   unlocked                                    the profile is unlocked
 *   changed INDEX                               the password is now INDEX
 */

static void
acknowledge (const char *format,
             ...) G_GNUC_PRINTF (1, 2);

static void
acknowledge (const char *format,
             ...)
{
  va_list args;

  va_start (args, format);
  vprintf (format, args);
  va_end (args);
  putchar ('\n');

  /* The parent must see the whole line or nothing of it, so it goes out
   * in one write() (a pipe write under PIPE_BUF bytes is atomic). */
  if (fflush (stdout) != 0)
    exit (EXIT_FAILURE);
}

static gboolean
put_single (WaVault  *vault,
            GRand    *rand,
            guint     generation,
            guint64   sequence,
            GError  **error)
{
  g_autoptr(WaVaultRecord) template = wa_vault_record_new (CRASH_SINGLE_TYPE, WA_CLASSIFICATION_SECRET);
  g_autoptr(GBytes) content = NULL;
  g_autoptr(GBytes) metadata = NULL;
  g_autofree char *id = NULL;
  g_autofree char *hex = NULL;
  guint8 hash[WA_SHA256_SIZE];

  if (g_rand_int_range (rand, 0, 4) == 0)
    template->scope_id = g_strdup (CRASH_TENANT_SCOPE);

  content = crash_single_content_new (generation, sequence, crash_random_size (rand, 1));
  metadata = crash_single_metadata_new (generation, sequence, content);
  id = wa_vault_put (vault, template, content, metadata, error);
  if (id == NULL)
    return FALSE;

  wa_crypto_sha256 (g_bytes_get_data (content, NULL), g_bytes_get_size (content), hash);
  hex = wa_hex_encode (hash, sizeof hash);
  acknowledge ("put %s %u %" G_GUINT64_FORMAT " %" G_GSIZE_FORMAT " %s",
               id, generation, sequence, g_bytes_get_size (content), hex);

  return TRUE;
}

static gboolean
put_batch (WaVault   *vault,
           GRand     *rand,
           guint      generation,
           guint64    batch,
           gboolean   split_batches,
           GError   **error)
{
  g_autoptr(WaVaultRecord) template = wa_vault_record_new (CRASH_BATCH_TYPE, WA_CLASSIFICATION_CONFIDENTIAL);
  g_autoptr(GPtrArray) contents = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);
  g_autoptr(GPtrArray) ids = NULL;
  g_autoptr(GString) line = NULL;
  guint count = g_rand_int_range (rand, CRASH_BATCH_MIN_COUNT, CRASH_BATCH_MAX_COUNT + 1);

  if (g_rand_int_range (rand, 0, 4) == 0)
    template->scope_id = g_strdup (CRASH_TENANT_SCOPE);

  for (guint i = 0; i < count; i++)
    g_ptr_array_add (contents,
                     crash_batch_content_new (generation, batch, i, count,
                                              crash_random_size (rand, CRASH_BATCH_HEADER_SIZE)));

  if (!split_batches)
    {
      ids = wa_vault_put_many (vault, template, contents, error);
      if (ids == NULL)
        return FALSE;
    }
  else
    {
      /* The deliberate bug the test's self-check must catch: a batch
       * stored as separate transactions can be cut in half by a kill. */
      ids = g_ptr_array_new_with_free_func (g_free);
      for (guint i = 0; i < count; i++)
        {
          char *id = wa_vault_put (vault, template, g_ptr_array_index (contents, i), NULL, error);

          if (id == NULL)
            return FALSE;
          g_ptr_array_add (ids, id);
        }
    }

  line = g_string_new (NULL);
  g_string_append_printf (line, "batch %u %" G_GUINT64_FORMAT " %u", generation, batch, count);
  for (guint i = 0; i < ids->len; i++)
    g_string_append_printf (line, " %s", (const char *) g_ptr_array_index (ids, i));
  acknowledge ("%s", line->str);

  return TRUE;
}

static int
run_vault (const char *path,
           guint       generation,
           guint32     seed,
           gboolean    split_batches)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaVault) vault = NULL;
  g_autoptr(WaKeyring) keyring = NULL;
  g_autoptr(WaSoftwareKeyProvider) tenant = NULL;
  g_autoptr(GRand) rand = NULL;
  guint32 seeds[2] = { seed, generation };

  vault = wa_vault_open (path, &error);
  if (vault == NULL)
    goto failed;

  keyring = crash_keyring_new (&error);
  if (keyring == NULL)
    goto failed;
  tenant = crash_tenant_keys_new (keyring, &error);
  if (tenant == NULL)
    goto failed;
  wa_vault_set_keys (vault, CRASH_USER_ID, keyring, WA_KEY_PROVIDER (tenant));

  acknowledge ("ready");

  /* One sequence numbers both single records and batches, so every record
   * of a generation has its own pattern. */
  rand = g_rand_new_with_seed_array (seeds, G_N_ELEMENTS (seeds));
  for (guint64 sequence = 0; sequence <= G_MAXUINT32; sequence++)
    {
      gboolean stored;

      if (g_rand_int_range (rand, 0, 4) == 0)
        stored = put_batch (vault, rand, generation, sequence, split_batches, &error);
      else
        stored = put_single (vault, rand, generation, sequence, &error);

      if (!stored)
        goto failed;
    }

  return EXIT_SUCCESS;

failed:
  g_printerr ("vault-writer: %s\n", error->message);
  return EXIT_FAILURE;
}

static int
run_profile (const char *directory,
             guint       index,
             gboolean    ack_early)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(WaProfile) profile = NULL;
  g_autofree char *password = crash_password (index);

  profile = wa_profile_open (directory, &error);
  if (profile == NULL || !wa_profile_unlock (profile, password, NULL, &error))
    goto failed;

  acknowledge ("unlocked");

  for (guint next = index + 1; next < G_MAXUINT; next++)
    {
      g_autofree char *new_password = crash_password (next);

      if (ack_early)
        acknowledge ("changed %u", next);

      if (!wa_profile_change_password (profile, password, new_password, &error))
        goto failed;

      if (!ack_early)
        acknowledge ("changed %u", next);
      g_free (password);
      password = g_steal_pointer (&new_password);
    }

  return EXIT_SUCCESS;

failed:
  g_printerr ("vault-writer: %s\n", error->message);
  return EXIT_FAILURE;
}

static gboolean
parse_number (const char  *text,
              guint64      max,
              guint64     *out,
              GError     **error)
{
  return g_ascii_string_to_unsigned (text, 10, 0, max, out, error);
}

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  gboolean split_batches = FALSE;
  gboolean ack_early = FALSE;
  guint64 generation = 0;
  guint64 seed = 0;
  guint64 index = 0;
  const GOptionEntry entries[] = {
    { "split-batches", 0, 0, G_OPTION_ARG_NONE, &split_batches,
      "Store each batch as separate transactions (a deliberate bug, to test the test)", NULL },
    { "ack-early", 0, 0, G_OPTION_ARG_NONE, &ack_early,
      "Acknowledge a new password before saving it (a deliberate bug, to test the test)", NULL },
    { NULL }
  };

  context = g_option_context_new ("vault PATH GENERATION SEED | profile DIRECTORY PASSWORD-INDEX");
  g_option_context_set_summary (context, "Writes to a WebAgent vault or profile until killed.");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    goto usage;

  if (!wa_crypto_init (&error))
    goto usage;

  if (argc == 5 && g_str_equal (argv[1], "vault"))
    {
      if (!parse_number (argv[3], G_MAXUINT32, &generation, &error) ||
          !parse_number (argv[4], G_MAXUINT32, &seed, &error))
        goto usage;

      return run_vault (argv[2], generation, seed, split_batches);
    }

  if (argc == 4 && g_str_equal (argv[1], "profile"))
    {
      if (!parse_number (argv[3], G_MAXUINT32 - 1, &index, &error))
        goto usage;

      return run_profile (argv[2], index, ack_early);
    }

usage:
  if (error != NULL)
    {
      g_printerr ("vault-writer: %s\n", error->message);
    }
  else
    {
      g_autofree char *help = g_option_context_get_help (context, TRUE, NULL);

      g_printerr ("%s", help);
    }

  return 2;
}
