/* bench-crypto.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

/*
 * Bulk encryption: wa_crypto_stream_encrypt() and _decrypt() over a large
 * blob in memory, against libsodium's XChaCha20-Poly1305 AEAD called
 * directly on the same buffer, once and in 64 KiB chunks, and against
 * libsodium's secretstream called directly, which is the construction the
 * stream format uses without the GIO plumbing around it.
 */

#include "config.h"

#include <string.h>
#include <sodium.h>

#include "wa-crypto.h"

#include "bench-common.h"

#define TARGET_RATIO 0.9
#define CHUNK_SIZE   (64 * 1024)

static int opt_size_mib = 256;
static int opt_repeat = 9;

static const GOptionEntry entries[] = {
  { "size", 's', 0, G_OPTION_ARG_INT, &opt_size_mib, "Size of the blob in MiB (256)", "MIB" },
  { "repeat", 'r', 0, G_OPTION_ARG_INT, &opt_repeat, "Runs per measurement; the median is shown (9)", "N" },
  { NULL }
};

/* An output stream that counts what it is given and keeps none of it, to
 * show what writing the ciphertext to memory costs. */
#define BENCH_TYPE_COUNTING_OUTPUT_STREAM (bench_counting_output_stream_get_type ())
G_DECLARE_FINAL_TYPE (BenchCountingOutputStream, bench_counting_output_stream,
                      BENCH, COUNTING_OUTPUT_STREAM, GOutputStream)

struct _BenchCountingOutputStream
{
  GOutputStream parent_instance;

  guint64       count;
};

G_DEFINE_FINAL_TYPE (BenchCountingOutputStream, bench_counting_output_stream, G_TYPE_OUTPUT_STREAM)

static gssize
bench_counting_output_stream_write_fn (GOutputStream  *stream,
                                       const void     *buffer,
                                       gsize           count,
                                       GCancellable   *cancellable,
                                       GError        **error)
{
  BENCH_COUNTING_OUTPUT_STREAM (stream)->count += count;

  return count;
}

static void
bench_counting_output_stream_class_init (BenchCountingOutputStreamClass *klass)
{
  GOutputStreamClass *stream_class = G_OUTPUT_STREAM_CLASS (klass);

  stream_class->write_fn = bench_counting_output_stream_write_fn;
}

static void
bench_counting_output_stream_init (BenchCountingOutputStream *self)
{
}

typedef enum
{
  ROW_ENCRYPT,
  ROW_DECRYPT,
} RowKind;

typedef struct
{
  gsize          size;
  guint8         key[WA_AEAD_KEY_SIZE];
  GBytes        *ad;
  GBytes        *plain;
  guint8        *cipher;       /* the stream output, preallocated */
  gsize          cipher_capacity;
  gsize          cipher_len;
  guint8        *raw_out;      /* raw AEAD output, preallocated */
  gsize          raw_capacity;
  guint8        *decrypted;    /* preallocated */
} Blob;

static gboolean
run_stream_encrypt (Blob    *blob,
                    GError **error)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_bytes (blob->plain);
  g_autoptr(GOutputStream) output = g_memory_output_stream_new (blob->cipher, blob->cipher_capacity, NULL, NULL);

  if (!wa_crypto_stream_encrypt (blob->key, blob->ad, input, output, NULL, error) ||
      !g_output_stream_close (output, NULL, error))
    return FALSE;

  blob->cipher_len = g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (output));

  return TRUE;
}

static gboolean
run_stream_encrypt_counting (Blob    *blob,
                             GError **error)
{
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_bytes (blob->plain);
  g_autoptr(BenchCountingOutputStream) output = g_object_new (BENCH_TYPE_COUNTING_OUTPUT_STREAM, NULL);

  if (!wa_crypto_stream_encrypt (blob->key, blob->ad, input, G_OUTPUT_STREAM (output), NULL, error))
    return FALSE;

  if (output->count != blob->cipher_len)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED,
                   "The counting stream saw %" G_GUINT64_FORMAT " bytes, the memory stream %" G_GSIZE_FORMAT,
                   output->count, blob->cipher_len);
      return FALSE;
    }

  return TRUE;
}

static gboolean
run_stream_decrypt (Blob    *blob,
                    GError **error)
{
  g_autoptr(GBytes) cipher = g_bytes_new_static (blob->cipher, blob->cipher_len);
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_bytes (cipher);
  g_autoptr(GOutputStream) output = g_memory_output_stream_new (blob->decrypted, blob->size, NULL, NULL);

  if (!wa_crypto_stream_decrypt (blob->key, blob->ad, input, output, NULL, error) ||
      !g_output_stream_close (output, NULL, error))
    return FALSE;

  if (g_memory_output_stream_get_data_size (G_MEMORY_OUTPUT_STREAM (output)) != blob->size)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The stream decrypted to the wrong size");
      return FALSE;
    }

  return TRUE;
}

static gboolean
run_buffer_encrypt (Blob    *blob,
                    GError **error)
{
  gsize len = 0;

  if (!wa_crypto_stream_encrypt_buffer (blob->key, blob->ad, g_bytes_get_data (blob->plain, NULL), blob->size,
                                        blob->cipher, blob->cipher_capacity, &len, error))
    return FALSE;

  if (len != blob->cipher_len)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The buffer encryption has the wrong size");
      return FALSE;
    }

  return TRUE;
}

static gboolean
run_buffer_decrypt (Blob    *blob,
                    GError **error)
{
  gsize len = 0;

  if (!wa_crypto_stream_decrypt_buffer (blob->key, blob->ad, blob->cipher, blob->cipher_len,
                                        blob->decrypted, blob->size, &len, error))
    return FALSE;

  if (len != blob->size)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The stream decrypted to the wrong size");
      return FALSE;
    }

  return TRUE;
}

static gboolean
run_stream_decrypt_counting (Blob    *blob,
                             GError **error)
{
  g_autoptr(GBytes) cipher = g_bytes_new_static (blob->cipher, blob->cipher_len);
  g_autoptr(GInputStream) input = g_memory_input_stream_new_from_bytes (cipher);
  g_autoptr(BenchCountingOutputStream) output = g_object_new (BENCH_TYPE_COUNTING_OUTPUT_STREAM, NULL);

  if (!wa_crypto_stream_decrypt (blob->key, blob->ad, input, G_OUTPUT_STREAM (output), NULL, error))
    return FALSE;

  if (output->count != blob->size)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The stream decrypted to the wrong size");
      return FALSE;
    }

  return TRUE;
}

static gboolean
run_raw_encrypt_once (Blob    *blob,
                      GError **error)
{
  guint8 nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES] = { 0 };
  unsigned long long out_len = 0;
  gsize ad_len;
  const guint8 *ad = g_bytes_get_data (blob->ad, &ad_len);

  crypto_aead_xchacha20poly1305_ietf_encrypt (blob->raw_out, &out_len,
                                              g_bytes_get_data (blob->plain, NULL), blob->size,
                                              ad, ad_len, NULL, nonce, blob->key);

  return TRUE;
}

static gboolean
run_raw_decrypt_once (Blob    *blob,
                      GError **error)
{
  guint8 nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES] = { 0 };
  unsigned long long out_len = 0;
  gsize ad_len;
  const guint8 *ad = g_bytes_get_data (blob->ad, &ad_len);

  if (crypto_aead_xchacha20poly1305_ietf_decrypt (blob->decrypted, &out_len, NULL,
                                                  blob->raw_out, blob->size + crypto_aead_xchacha20poly1305_ietf_ABYTES,
                                                  ad, ad_len, nonce, blob->key) != 0)
    {
      g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The raw AEAD did not decrypt");
      return FALSE;
    }

  return TRUE;
}

static gboolean
run_raw_encrypt_chunked (Blob    *blob,
                         GError **error)
{
  guint8 nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES] = { 0 };
  const guint8 *plain = g_bytes_get_data (blob->plain, NULL);
  guint8 *out = blob->raw_out;
  gsize ad_len;
  const guint8 *ad = g_bytes_get_data (blob->ad, &ad_len);

  for (gsize offset = 0; offset < blob->size; offset += CHUNK_SIZE)
    {
      gsize len = MIN (CHUNK_SIZE, blob->size - offset);
      unsigned long long out_len = 0;

      crypto_aead_xchacha20poly1305_ietf_encrypt (out, &out_len, plain + offset, len,
                                                  offset == 0 ? ad : NULL, offset == 0 ? ad_len : 0,
                                                  NULL, nonce, blob->key);
      out += out_len;
      sodium_increment (nonce, sizeof nonce);
    }

  return TRUE;
}

static gboolean
run_raw_decrypt_chunked (Blob    *blob,
                         GError **error)
{
  guint8 nonce[crypto_aead_xchacha20poly1305_ietf_NPUBBYTES] = { 0 };
  const guint8 *in = blob->raw_out;
  gsize ad_len;
  const guint8 *ad = g_bytes_get_data (blob->ad, &ad_len);

  for (gsize offset = 0; offset < blob->size; offset += CHUNK_SIZE)
    {
      gsize len = MIN (CHUNK_SIZE, blob->size - offset);
      unsigned long long out_len = 0;

      if (crypto_aead_xchacha20poly1305_ietf_decrypt (blob->decrypted + offset, &out_len, NULL,
                                                      in, len + crypto_aead_xchacha20poly1305_ietf_ABYTES,
                                                      offset == 0 ? ad : NULL, offset == 0 ? ad_len : 0,
                                                      nonce, blob->key) != 0)
        {
          g_set_error (error, G_IO_ERROR, G_IO_ERROR_FAILED, "The chunked raw AEAD did not decrypt");
          return FALSE;
        }
      in += len + crypto_aead_xchacha20poly1305_ietf_ABYTES;
      sodium_increment (nonce, sizeof nonce);
    }

  return TRUE;
}

/* libsodium's secretstream straight over the buffers: the algorithm of the
 * stream format without its framing and GIO. */
static gboolean
run_secretstream_encrypt (Blob    *blob,
                          GError **error)
{
  crypto_secretstream_xchacha20poly1305_state state;
  guint8 header[crypto_secretstream_xchacha20poly1305_HEADERBYTES];
  const guint8 *plain = g_bytes_get_data (blob->plain, NULL);
  guint8 *out = blob->raw_out;
  gsize ad_len;
  const guint8 *ad = g_bytes_get_data (blob->ad, &ad_len);

  crypto_secretstream_xchacha20poly1305_init_push (&state, header, blob->key);
  for (gsize offset = 0; offset < blob->size; offset += CHUNK_SIZE)
    {
      gsize len = MIN (CHUNK_SIZE, blob->size - offset);
      gboolean last = offset + len >= blob->size;
      unsigned long long out_len = 0;

      crypto_secretstream_xchacha20poly1305_push (&state, out, &out_len, plain + offset, len,
                                                  offset == 0 ? ad : NULL, offset == 0 ? ad_len : 0,
                                                  last ? crypto_secretstream_xchacha20poly1305_TAG_FINAL : 0);
      out += out_len;
    }

  return TRUE;
}

typedef gboolean (*RunFunc) (Blob    *blob,
                             GError **error);

typedef struct
{
  RowKind     kind;
  const char *name;
  gboolean    is_baseline;
  RunFunc     func;
  gboolean    check_decrypted;
} Case;

static const Case cases[] = {
  { ROW_ENCRYPT, "raw AEAD, one call", TRUE, run_raw_encrypt_once, FALSE },
  { ROW_ENCRYPT, "raw AEAD, 64 KiB chunks", FALSE, run_raw_encrypt_chunked, FALSE },
  { ROW_ENCRYPT, "raw secretstream, 64 KiB", FALSE, run_secretstream_encrypt, FALSE },
  { ROW_ENCRYPT, "wa_crypto_stream_encrypt -> memory", FALSE, run_stream_encrypt, FALSE },
  { ROW_ENCRYPT, "wa_crypto_stream_encrypt -> discard", FALSE, run_stream_encrypt_counting, FALSE },
  { ROW_DECRYPT, "raw AEAD, one call", TRUE, run_raw_decrypt_once, TRUE },
  { ROW_DECRYPT, "raw AEAD, 64 KiB chunks", FALSE, run_raw_decrypt_chunked, TRUE },
  { ROW_DECRYPT, "wa_crypto_stream_decrypt -> memory", FALSE, run_stream_decrypt, TRUE },
  { ROW_DECRYPT, "wa_crypto_stream_decrypt -> discard", FALSE, run_stream_decrypt_counting, FALSE },
  { ROW_ENCRYPT, "wa_crypto_stream_encrypt_buffer", FALSE, run_buffer_encrypt, FALSE },
  { ROW_DECRYPT, "wa_crypto_stream_decrypt_buffer", FALSE, run_buffer_decrypt, TRUE },
};

/* The decryptions read what an encryption wrote into the shared buffers:
 * each raw decryption runs right after the raw encryption of the same
 * shape, and the stream decryptions after the stream encryption. */
static const guint run_order[] = { 0, 5, 1, 6, 2, 3, 4, 7, 8, 9, 10 };

int
main (int   argc,
      char *argv[])
{
  g_autoptr(GOptionContext) context = NULL;
  g_autoptr(GError) error = NULL;
  GArray *seconds[G_N_ELEMENTS (cases)];
  g_autoptr(GArray) copy_seconds = NULL;
  double baseline[2] = { 0 };
  gsize n_chunks;
  Blob blob = { 0 };
  guint8 *plain;
  int status = EXIT_SUCCESS;

  G_STATIC_ASSERT (G_N_ELEMENTS (run_order) == G_N_ELEMENTS (cases));

  context = g_option_context_new ("- stream encryption against raw AEAD");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }
  if (opt_size_mib < 1 || opt_repeat < 1)
    {
      g_printerr ("--size and --repeat must be positive\n");
      return EXIT_FAILURE;
    }

  if (!wa_crypto_init (&error))
    {
      g_printerr ("%s\n", error->message);
      return EXIT_FAILURE;
    }

  bench_print_header ("Bulk encryption");
  g_print ("A %d MiB random blob in memory; median of %d run(s).  Every buffer is allocated\n"
           "and touched before the clock starts; decryptions are checked against the input.\n\n",
           opt_size_mib, opt_repeat);

  blob.size = (gsize) opt_size_mib * 1024 * 1024;
  n_chunks = blob.size / CHUNK_SIZE + 2;
  plain = g_malloc (blob.size);
  randombytes_buf (plain, blob.size);
  blob.plain = g_bytes_new_take (plain, blob.size);
  randombytes_buf (blob.key, sizeof blob.key);
  blob.ad = g_bytes_new_static ("bench-crypto", strlen ("bench-crypto"));

  /* Magic, header, then a length and a tag per chunk. */
  blob.cipher_capacity = 8 + crypto_secretstream_xchacha20poly1305_HEADERBYTES + blob.size +
    n_chunks * (4 + crypto_secretstream_xchacha20poly1305_ABYTES);
  blob.cipher = g_malloc (blob.cipher_capacity);
  memset (blob.cipher, 0, blob.cipher_capacity);
  /* The raw AEAD cases and the raw secretstream case share this buffer;
   * secretstream adds a byte more per chunk. */
  blob.raw_capacity = blob.size + n_chunks * MAX (crypto_aead_xchacha20poly1305_ietf_ABYTES,
                                                  crypto_secretstream_xchacha20poly1305_ABYTES);
  blob.raw_out = g_malloc (blob.raw_capacity);
  memset (blob.raw_out, 0, blob.raw_capacity);
  blob.decrypted = g_malloc (blob.size);
  memset (blob.decrypted, 0, blob.size);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    seconds[i] = g_array_new (FALSE, FALSE, sizeof (double));
  copy_seconds = g_array_new (FALSE, FALSE, sizeof (double));

  for (int rep = 0; rep < opt_repeat && status == EXIT_SUCCESS; rep++)
    {
      for (guint k = 0; k < G_N_ELEMENTS (run_order); k++)
        {
          const Case *c = &cases[run_order[k]];
          double start;
          double elapsed;

          if (c->check_decrypted)
            memset (blob.decrypted, 0, blob.size);

          start = bench_now ();
          if (!c->func (&blob, &error))
            {
              g_printerr ("%s failed: %s\n", c->name, error->message);
              status = EXIT_FAILURE;
              break;
            }
          elapsed = bench_now () - start;
          g_array_append_val (seconds[run_order[k]], elapsed);

          if (c->check_decrypted && memcmp (blob.decrypted, g_bytes_get_data (blob.plain, NULL), blob.size) != 0)
            {
              g_printerr ("%s decrypted to something other than the input\n", c->name);
              status = EXIT_FAILURE;
              break;
            }
        }

      /* What one more pass over the data costs: the streams copy the
       * input into their chunk buffer and the output into the stream. */
      if (status == EXIT_SUCCESS)
        {
          double start = bench_now ();
          double elapsed;

          memcpy (blob.decrypted, g_bytes_get_data (blob.plain, NULL), blob.size);
          elapsed = bench_now () - start;
          g_array_append_val (copy_seconds, elapsed);
        }
    }

  if (status == EXIT_SUCCESS)
    {
      g_print ("%-8s %-38s %10s %14s  %s\n", "", "implementation", "MiB/s", "vs raw AEAD", "target >= 0.90");
      g_print ("%-8s %-38s %10s %14s  %s\n", "", "--------------", "-----", "-----------", "-------------");

      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          double mib_per_s = opt_size_mib / bench_median (seconds[i]);

          if (cases[i].is_baseline)
            baseline[cases[i].kind] = mib_per_s;
        }

      for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
        {
          double mib_per_s = opt_size_mib / bench_median (seconds[i]);
          double ratio = mib_per_s / baseline[cases[i].kind];
          gboolean is_target = g_str_has_prefix (cases[i].name, "wa_crypto_stream");

          g_print ("%-8s %-38s %10.0f %13.2fx  %s\n",
                   cases[i].kind == ROW_ENCRYPT ? "encrypt" : "decrypt", cases[i].name, mib_per_s, ratio,
                   cases[i].is_baseline ? "(baseline)" : is_target ? bench_verdict (ratio, TARGET_RATIO) : "");
        }

      g_print ("\nFor reference, memcpy of the blob runs at %.0f MiB/s: one extra copy of the data\n"
               "alone brings a stream to %.2fx of the raw AEAD encryption.\n",
               opt_size_mib / bench_median (copy_seconds),
               (1.0 / baseline[ROW_ENCRYPT]) / (1.0 / baseline[ROW_ENCRYPT] + bench_median (copy_seconds) / opt_size_mib));
    }

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_array_unref (seconds[i]);
  g_bytes_unref (blob.plain);
  g_bytes_unref (blob.ad);
  sodium_memzero (blob.key, sizeof blob.key);
  g_free (blob.cipher);
  g_free (blob.raw_out);
  g_free (blob.decrypted);

  if (status == EXIT_SUCCESS)
    {
      g_print ("\n");
      bench_print_load ("at end");
    }

  return status;
}
