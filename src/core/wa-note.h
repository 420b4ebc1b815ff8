/* wa-note.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Signed notes (c2sp.org/signed-note) with Ed25519 keys, and transparency
 * log checkpoints (c2sp.org/tlog-checkpoint), the note text a log signs. */

#define WA_NOTE_ERROR (wa_note_error_quark ())

typedef enum
{
  WA_NOTE_ERROR_MALFORMED,
  WA_NOTE_ERROR_INVALID_NAME,
  WA_NOTE_ERROR_INVALID_KEY,
  WA_NOTE_ERROR_UNKNOWN_KEY,
  WA_NOTE_ERROR_BAD_SIGNATURE,
  WA_NOTE_ERROR_SIGNING_FAILED,
} WaNoteError;

#define WA_NOTE_PUBLIC_KEY_SIZE  32
#define WA_NOTE_SIGNATURE_SIZE   64
#define WA_NOTE_MAX_SIGNATURES   100
#define WA_CHECKPOINT_ROOT_SIZE  32

/* The text of a checkpoint.  @extensions is NULL-terminated, or NULL when
 * there are none. */
typedef struct
{
  char    *origin;
  guint64  size;
  guint8   root[WA_CHECKPOINT_ROOT_SIZE];
  GStrv    extensions;
} WaCheckpoint;

/* Signs @message with the Ed25519 secret key that belongs to the public key
 * given to wa_note_sign(), so the key can stay in guarded memory or on a
 * hardware token.  Returns FALSE and sets @error if it cannot sign. */
typedef gboolean (*WaNoteSignFunc) (const guint8  *message,
                                    gsize          message_len,
                                    guint8         signature[WA_NOTE_SIGNATURE_SIZE],
                                    gpointer       user_data,
                                    GError       **error);

GQuark        wa_note_error_quark          (void);

void          wa_checkpoint_free           (WaCheckpoint        *checkpoint);
char         *wa_checkpoint_format         (const WaCheckpoint  *checkpoint);
WaCheckpoint *wa_checkpoint_parse          (const char          *text,
                                            GError             **error);

char         *wa_note_sign                 (const char          *text,
                                            const char          *key_name,
                                            const guint8         public_key[WA_NOTE_PUBLIC_KEY_SIZE],
                                            WaNoteSignFunc       sign,
                                            gpointer             user_data,
                                            GError             **error);
char         *wa_note_open                 (const char          *note,
                                            const char          *key_name,
                                            const guint8         public_key[WA_NOTE_PUBLIC_KEY_SIZE],
                                            GError             **error);

char         *wa_note_verifier_key_format  (const char          *key_name,
                                            const guint8         public_key[WA_NOTE_PUBLIC_KEY_SIZE]);
gboolean      wa_note_verifier_key_parse   (const char          *vkey,
                                            char               **key_name,
                                            guint8               public_key[WA_NOTE_PUBLIC_KEY_SIZE],
                                            GError             **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (WaCheckpoint, wa_checkpoint_free)

G_END_DECLS
