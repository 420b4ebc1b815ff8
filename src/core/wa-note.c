/* wa-note.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-note"

#include "config.h"

#include <string.h>

#include "wa-crypto.h"
#include "wa-note.h"
#include "wa-sha256.h"

/*
 * A signed note (c2sp.org/signed-note) is a text that ends in a newline,
 * a blank line, and one or more signature lines:
 *
 *   — <key name> <base64 (key hash || signature)>
 *
 * The key hash is the first four bytes, big-endian, of
 * SHA-256 (key name || 0x0A || 0x01 || Ed25519 public key).  A reader only
 * trusts the text once a signature by a key it already knows verifies;
 * signatures by other keys are ignored, so that witnesses can cosign and logs
 * can rotate keys.  A checkpoint (c2sp.org/tlog-checkpoint) is the text a
 * transparency log signs: its origin, tree size and root hash, one per line.
 */

/* U+2014 EM DASH and a space begin every signature line. */
#define SIGNATURE_PREFIX      "\xe2\x80\x94 "
#define SIGNATURE_PREFIX_LEN  (sizeof SIGNATURE_PREFIX - 1)
#define KEY_HASH_SIZE         4
#define ALGORITHM_ED25519     0x01
#define ED25519_KEY_SIZE      (1 + WA_NOTE_PUBLIC_KEY_SIZE)
#define SIGNATURE_BLOB_SIZE   (KEY_HASH_SIZE + WA_NOTE_SIGNATURE_SIZE)

G_DEFINE_QUARK (wa_note_error_quark, wa_note_error)

/* White space as Go's unicode.IsSpace sees it, which the specification
 * follows: g_unichar_isspace() leaves out only vertical tab and NEL. */
static gboolean
is_unicode_space (gunichar c)
{
  return g_unichar_isspace (c) || c == '\v' || c == 0x85;
}

/* Key names must be non-empty and contain no space and no plus sign.  A
 * control character could never appear in a valid note, so it is refused
 * here too. */
static gboolean
is_valid_name_len (const char *name,
                   gsize       len)
{
  const char *end = name + len;

  if (len == 0 || !g_utf8_validate_len (name, len, NULL))
    return FALSE;

  for (const char *p = name; p < end; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (c == '+' || c < 0x20 || is_unicode_space (c))
        return FALSE;
    }

  return TRUE;
}

static gboolean
is_valid_name (const char *name)
{
  return is_valid_name_len (name, strlen (name));
}

/* Notes must be UTF-8 with no ASCII control character but newline.  Bytes
 * below 0x20 never occur inside a multi-byte sequence, so checking bytes is
 * enough. */
static gboolean
is_note_text (const char *text,
              gsize       len)
{
  if (!g_utf8_validate_len (text, len, NULL))
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      if ((guchar) text[i] < 0x20 && text[i] != '\n')
        return FALSE;
    }

  return TRUE;
}

/* A line of a checkpoint, without its newline. */
static gboolean
is_checkpoint_line (const char *line)
{
  gsize len = strlen (line);

  return len > 0 && is_note_text (line, len) && strchr (line, '\n') == NULL;
}

static guint32
read_uint32_be (const guint8 *data)
{
  return ((guint32) data[0] << 24) | ((guint32) data[1] << 16) | ((guint32) data[2] << 8) | data[3];
}

static void
write_uint32_be (guint8  *data,
                 guint32  value)
{
  data[0] = value >> 24;
  data[1] = value >> 16;
  data[2] = value >> 8;
  data[3] = value;
}

/* @key is the encoded public key: its signature type byte, then the key. */
static guint32
compute_key_hash (const char   *name,
                  gsize         name_len,
                  const guint8 *key,
                  gsize         key_len)
{
  g_autofree guint8 *input = g_malloc (name_len + 1 + key_len);
  guint8 digest[32];

  memcpy (input, name, name_len);
  input[name_len] = '\n';
  memcpy (input + name_len + 1, key, key_len);
  wa_sha256 (input, name_len + 1 + key_len, digest);

  return read_uint32_be (digest);
}

static void
encode_ed25519_key (const guint8 public_key[WA_NOTE_PUBLIC_KEY_SIZE],
                    guint8       key[ED25519_KEY_SIZE])
{
  key[0] = ALGORITHM_ED25519;
  memcpy (key + 1, public_key, WA_NOTE_PUBLIC_KEY_SIZE);
}

static guint32
compute_ed25519_key_hash (const char   *name,
                          const guint8  public_key[WA_NOTE_PUBLIC_KEY_SIZE])
{
  guint8 key[ED25519_KEY_SIZE];

  encode_ed25519_key (public_key, key);

  return compute_key_hash (name, strlen (name), key, sizeof key);
}

/* Strict standard base64: padded, canonical, nothing but the encoding. */
static guint8 *
decode_base64 (const char *text,
               gsize       len,
               gsize      *out_len)
{
  g_autofree char *copy = g_strndup (text, len);

  return wa_base64_decode (copy, out_len, NULL);
}

static gboolean
parse_hex_uint32 (const char *text,
                  gsize       len,
                  guint32    *value)
{
  guint32 result = 0;

  if (len != 8)
    return FALSE;

  for (gsize i = 0; i < len; i++)
    {
      int digit = g_ascii_xdigit_value (text[i]);

      if (digit < 0)
        return FALSE;
      result = (result << 4) | (guint32) digit;
    }

  *value = result;
  return TRUE;
}

/* Decimal, no sign, no leading zero unless the tree is empty, at most
 * G_MAXUINT64. */
static gboolean
parse_tree_size (const char *line,
                 guint64    *size)
{
  guint64 value = 0;

  if (line[0] == '\0' || (line[0] == '0' && line[1] != '\0'))
    return FALSE;

  for (const char *p = line; *p != '\0'; p++)
    {
      guint digit;

      if (!g_ascii_isdigit (*p))
        return FALSE;

      digit = *p - '0';
      if (value > (G_MAXUINT64 - digit) / 10)
        return FALSE;
      value = value * 10 + digit;
    }

  *size = value;
  return TRUE;
}

static void
set_malformed (GError     **error,
               const char  *message)
{
  g_set_error_literal (error, WA_NOTE_ERROR, WA_NOTE_ERROR_MALFORMED, message);
}

static void
set_invalid_name (GError **error)
{
  g_set_error_literal (error, WA_NOTE_ERROR, WA_NOTE_ERROR_INVALID_NAME,
                       "The key name is empty or contains a space, a plus sign or a control "
                       "character; choose a name such as example.com/log");
}

void
wa_checkpoint_free (WaCheckpoint *checkpoint)
{
  if (checkpoint == NULL)
    return;

  g_free (checkpoint->origin);
  g_strfreev (checkpoint->extensions);
  g_free (checkpoint);
}

char *
wa_checkpoint_format (const WaCheckpoint *checkpoint)
{
  g_autofree char *root = NULL;
  GString *text;

  g_return_val_if_fail (checkpoint != NULL, NULL);
  g_return_val_if_fail (checkpoint->origin != NULL, NULL);
  g_return_val_if_fail (is_checkpoint_line (checkpoint->origin), NULL);

  for (guint i = 0; checkpoint->extensions != NULL && checkpoint->extensions[i] != NULL; i++)
    g_return_val_if_fail (is_checkpoint_line (checkpoint->extensions[i]), NULL);

  root = wa_base64_encode (checkpoint->root, sizeof checkpoint->root);

  text = g_string_new (NULL);
  g_string_append_printf (text, "%s\n%" G_GUINT64_FORMAT "\n%s\n",
                          checkpoint->origin, checkpoint->size, root);
  for (guint i = 0; checkpoint->extensions != NULL && checkpoint->extensions[i] != NULL; i++)
    {
      g_string_append (text, checkpoint->extensions[i]);
      g_string_append_c (text, '\n');
    }

  return g_string_free (text, FALSE);
}

WaCheckpoint *
wa_checkpoint_parse (const char  *text,
                     GError     **error)
{
  g_autoptr(WaCheckpoint) checkpoint = NULL;
  g_auto(GStrv) lines = NULL;
  g_autofree guint8 *root = NULL;
  gsize root_len = 0;
  gsize len;
  guint n_lines;

  g_return_val_if_fail (text != NULL, NULL);

  len = strlen (text);
  if (!is_note_text (text, len))
    {
      set_malformed (error, "The checkpoint is not UTF-8 text without control characters; "
                     "the log sent a damaged checkpoint");
      return NULL;
    }

  if (len == 0 || text[len - 1] != '\n')
    {
      set_malformed (error, "The checkpoint does not end with a newline; it may have been cut short");
      return NULL;
    }

  /* The text ends in a newline, so the last piece is always empty. */
  lines = g_strsplit (text, "\n", -1);
  n_lines = g_strv_length (lines) - 1;

  if (n_lines < 3)
    {
      set_malformed (error, "The checkpoint has fewer than three lines; it needs an origin, a tree "
                     "size and a root hash");
      return NULL;
    }

  if (lines[0][0] == '\0')
    {
      set_malformed (error, "The checkpoint's origin line is empty; the log sent a malformed checkpoint");
      return NULL;
    }

  checkpoint = g_new0 (WaCheckpoint, 1);

  if (!parse_tree_size (lines[1], &checkpoint->size))
    {
      set_malformed (error, "The checkpoint's tree size is not a decimal number without sign or "
                     "leading zeros below 2^64; the log sent a malformed checkpoint");
      return NULL;
    }

  root = wa_base64_decode (lines[2], &root_len, NULL);
  if (root == NULL || root_len != WA_CHECKPOINT_ROOT_SIZE)
    {
      set_malformed (error, "The checkpoint's root hash is not the base64 encoding of 32 bytes; "
                     "the log sent a malformed checkpoint");
      return NULL;
    }

  for (guint i = 3; i < n_lines; i++)
    {
      if (lines[i][0] == '\0')
        {
          set_malformed (error, "The checkpoint has an empty extension line; the log sent a "
                         "malformed checkpoint");
          return NULL;
        }
    }

  checkpoint->origin = g_strdup (lines[0]);
  memcpy (checkpoint->root, root, WA_CHECKPOINT_ROOT_SIZE);

  if (n_lines > 3)
    {
      checkpoint->extensions = g_new0 (char *, n_lines - 3 + 1);
      for (guint i = 3; i < n_lines; i++)
        checkpoint->extensions[i - 3] = g_strdup (lines[i]);
    }

  return g_steal_pointer (&checkpoint);
}

char *
wa_note_sign (const char     *text,
              const char     *key_name,
              const guint8    public_key[WA_NOTE_PUBLIC_KEY_SIZE],
              WaNoteSignFunc  sign,
              gpointer        user_data,
              GError        **error)
{
  g_autoptr(GError) local_error = NULL;
  g_autofree char *encoded = NULL;
  guint8 blob[SIGNATURE_BLOB_SIZE];
  gsize len;

  g_return_val_if_fail (text != NULL, NULL);
  g_return_val_if_fail (key_name != NULL, NULL);
  g_return_val_if_fail (public_key != NULL, NULL);
  g_return_val_if_fail (sign != NULL, NULL);

  if (!is_valid_name (key_name))
    {
      set_invalid_name (error);
      return NULL;
    }

  len = strlen (text);
  if (!is_note_text (text, len))
    {
      set_malformed (error, "The text to sign is not UTF-8 or contains control characters other "
                     "than newline; remove them before signing");
      return NULL;
    }

  if (len == 0 || text[len - 1] != '\n')
    {
      set_malformed (error, "The text to sign does not end with a newline; add one before signing");
      return NULL;
    }

  write_uint32_be (blob, compute_ed25519_key_hash (key_name, public_key));

  if (!sign ((const guint8 *) text, len, blob + KEY_HASH_SIZE, user_data, &local_error))
    {
      if (local_error != NULL)
        g_propagate_error (error, g_steal_pointer (&local_error));
      else
        g_set_error_literal (error, WA_NOTE_ERROR, WA_NOTE_ERROR_SIGNING_FAILED,
                             "The signing key could not sign the note; check that it is available");
      return NULL;
    }

  /* A note whose signature does not verify could never be opened, so a
   * signer holding another key, or a faulty one, is caught here. */
  if (!wa_crypto_sign_verify_detached (public_key, (const guint8 *) text, len, blob + KEY_HASH_SIZE))
    {
      g_set_error_literal (error, WA_NOTE_ERROR, WA_NOTE_ERROR_SIGNING_FAILED,
                           "The new signature does not verify with the public key; the signing "
                           "key and the public key are not a pair");
      return NULL;
    }

  encoded = wa_base64_encode (blob, sizeof blob);

  return g_strdup_printf ("%s\n" SIGNATURE_PREFIX "%s %s\n", text, key_name, encoded);
}

/* Splits one signature line, without its newline, into the key name and the
 * decoded key hash and signature.  Returns NULL if it is malformed. */
static guint8 *
parse_signature_line (const char  *line,
                      gsize        line_len,
                      const char **name,
                      gsize       *name_len,
                      gsize       *blob_len)
{
  const char *space;
  const char *encoded;
  gsize encoded_len;
  guint8 *blob;

  if (line_len < SIGNATURE_PREFIX_LEN || memcmp (line, SIGNATURE_PREFIX, SIGNATURE_PREFIX_LEN) != 0)
    return NULL;

  line += SIGNATURE_PREFIX_LEN;
  line_len -= SIGNATURE_PREFIX_LEN;

  space = memchr (line, ' ', line_len);
  if (space == NULL)
    return NULL;

  *name = line;
  *name_len = space - line;
  encoded = space + 1;
  encoded_len = line + line_len - encoded;

  if (!is_valid_name_len (*name, *name_len) || encoded_len == 0)
    return NULL;

  blob = decode_base64 (encoded, encoded_len, blob_len);
  if (blob != NULL && *blob_len <= KEY_HASH_SIZE)
    g_clear_pointer (&blob, g_free);

  return blob;
}

char *
wa_note_open (const char    *note,
              const char    *key_name,
              const guint8   public_key[WA_NOTE_PUBLIC_KEY_SIZE],
              GError       **error)
{
  g_autoptr(GPtrArray) signatures = NULL;
  const char *line;
  const char *end;
  gsize len;
  gsize name_len;
  gsize text_len = 0;
  guint32 key_hash;
  guint n_lines = 0;

  g_return_val_if_fail (note != NULL, NULL);
  g_return_val_if_fail (key_name != NULL, NULL);
  g_return_val_if_fail (public_key != NULL, NULL);

  if (!is_valid_name (key_name))
    {
      set_invalid_name (error);
      return NULL;
    }

  len = strlen (note);
  if (!is_note_text (note, len))
    {
      set_malformed (error, "The signed note is not UTF-8 text without control characters; it was "
                     "damaged or is not a note");
      return NULL;
    }

  if (len == 0 || note[len - 1] != '\n')
    {
      set_malformed (error, "The signed note does not end with a newline; it may have been cut short");
      return NULL;
    }

  /* The text ends at the last blank line and keeps its final newline. */
  for (gsize i = len - 1; i > 0; i--)
    {
      if (note[i] == '\n' && note[i - 1] == '\n')
        {
          text_len = i;
          break;
        }
    }

  if (text_len == 0)
    {
      set_malformed (error, "The signed note has no blank line before its signatures; it was "
                     "damaged or is not a note");
      return NULL;
    }

  line = note + text_len + 1;
  end = note + len;
  if (line == end)
    {
      set_malformed (error, "The signed note has no signature after its blank line; it cannot "
                     "be trusted");
      return NULL;
    }

  key_hash = compute_ed25519_key_hash (key_name, public_key);
  name_len = strlen (key_name);
  signatures = g_ptr_array_new_with_free_func ((GDestroyNotify) g_bytes_unref);

  /* Every line is checked before any signature, so a malformed note is
   * refused the same way wherever its fault is. */
  while (line < end)
    {
      const char *newline = memchr (line, '\n', end - line);
      g_autofree guint8 *blob = NULL;
      const char *name = NULL;
      gsize line_name_len = 0;
      gsize blob_len = 0;

      g_assert (newline != NULL);

      if (++n_lines > WA_NOTE_MAX_SIGNATURES)
        {
          g_set_error (error, WA_NOTE_ERROR, WA_NOTE_ERROR_MALFORMED,
                       "The signed note has more than %d signatures; it is refused to bound "
                       "the work of checking it",
                       WA_NOTE_MAX_SIGNATURES);
          return NULL;
        }

      blob = parse_signature_line (line, newline - line, &name, &line_name_len, &blob_len);
      if (blob == NULL)
        {
          set_malformed (error, "A signature line of the note is malformed; it was damaged or "
                         "is not a note");
          return NULL;
        }

      /* Only the name and key hash together identify a key: a signature
       * that shares one of them with the known key is someone else's. */
      if (line_name_len == name_len &&
          memcmp (name, key_name, name_len) == 0 &&
          read_uint32_be (blob) == key_hash)
        g_ptr_array_add (signatures, g_bytes_new_take (g_steal_pointer (&blob), blob_len));

      line = newline + 1;
    }

  if (signatures->len == 0)
    {
      g_set_error (error, WA_NOTE_ERROR, WA_NOTE_ERROR_UNKNOWN_KEY,
                   "The note is not signed by the key %s+%08x; it cannot be trusted",
                   key_name, key_hash);
      return NULL;
    }

  /* A note may repeat a signature; each one by the known key must verify. */
  for (guint i = 0; i < signatures->len; i++)
    {
      gsize blob_len = 0;
      const guint8 *blob = g_bytes_get_data (g_ptr_array_index (signatures, i), &blob_len);

      if (blob_len != SIGNATURE_BLOB_SIZE ||
          !wa_crypto_sign_verify_detached (public_key, (const guint8 *) note, text_len,
                                           blob + KEY_HASH_SIZE))
        {
          g_set_error (error, WA_NOTE_ERROR, WA_NOTE_ERROR_BAD_SIGNATURE,
                       "The note's signature by the key %s+%08x does not verify; the note "
                       "was changed or forged",
                       key_name, key_hash);
          return NULL;
        }
    }

  return g_strndup (note, text_len);
}

char *
wa_note_verifier_key_format (const char   *key_name,
                             const guint8  public_key[WA_NOTE_PUBLIC_KEY_SIZE])
{
  g_autofree char *encoded = NULL;
  guint8 key[ED25519_KEY_SIZE];

  g_return_val_if_fail (key_name != NULL, NULL);
  g_return_val_if_fail (is_valid_name (key_name), NULL);
  g_return_val_if_fail (public_key != NULL, NULL);

  encode_ed25519_key (public_key, key);
  encoded = wa_base64_encode (key, sizeof key);

  return g_strdup_printf ("%s+%08x+%s", key_name,
                          compute_key_hash (key_name, strlen (key_name), key, sizeof key),
                          encoded);
}

gboolean
wa_note_verifier_key_parse (const char  *vkey,
                            char       **key_name,
                            guint8       public_key[WA_NOTE_PUBLIC_KEY_SIZE],
                            GError     **error)
{
  g_autofree char *name = NULL;
  g_autofree guint8 *key = NULL;
  const char *first_plus;
  const char *second_plus = NULL;
  gsize key_len = 0;
  guint32 hash = 0;

  g_return_val_if_fail (vkey != NULL, FALSE);
  g_return_val_if_fail (public_key != NULL, FALSE);

  first_plus = strchr (vkey, '+');
  if (first_plus != NULL)
    second_plus = strchr (first_plus + 1, '+');
  if (second_plus == NULL)
    {
      g_set_error_literal (error, WA_NOTE_ERROR, WA_NOTE_ERROR_INVALID_KEY,
                           "The verifier key is not of the form name+hash+key; copy the whole key again");
      return FALSE;
    }

  name = g_strndup (vkey, first_plus - vkey);
  if (!is_valid_name (name))
    {
      set_invalid_name (error);
      return FALSE;
    }

  if (!parse_hex_uint32 (first_plus + 1, second_plus - first_plus - 1, &hash))
    {
      g_set_error_literal (error, WA_NOTE_ERROR, WA_NOTE_ERROR_INVALID_KEY,
                           "The verifier key's hash is not eight hexadecimal digits; copy the "
                           "whole key again");
      return FALSE;
    }

  key = wa_base64_decode (second_plus + 1, &key_len, NULL);
  if (key == NULL || key_len == 0)
    {
      g_set_error_literal (error, WA_NOTE_ERROR, WA_NOTE_ERROR_INVALID_KEY,
                           "The verifier key's public key is not valid base64; copy the whole key again");
      return FALSE;
    }

  if (compute_key_hash (name, strlen (name), key, key_len) != hash)
    {
      g_set_error_literal (error, WA_NOTE_ERROR, WA_NOTE_ERROR_INVALID_KEY,
                           "The verifier key's hash does not match its name and public key; the "
                           "key was mistyped or changed");
      return FALSE;
    }

  if (key[0] != ALGORITHM_ED25519)
    {
      g_set_error_literal (error, WA_NOTE_ERROR, WA_NOTE_ERROR_INVALID_KEY,
                           "The verifier key is not an Ed25519 key, the only kind supported; "
                           "ask for an Ed25519 key");
      return FALSE;
    }

  if (key_len != ED25519_KEY_SIZE)
    {
      g_set_error_literal (error, WA_NOTE_ERROR, WA_NOTE_ERROR_INVALID_KEY,
                           "The verifier key's Ed25519 public key is not 32 bytes long; copy the "
                           "whole key again");
      return FALSE;
    }

  memcpy (public_key, key + 1, WA_NOTE_PUBLIC_KEY_SIZE);
  if (key_name != NULL)
    *key_name = g_steal_pointer (&name);

  return TRUE;
}
