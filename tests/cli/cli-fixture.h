/* cli-fixture.h
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Runs the real webagent-cli, as a user or a script would, so that the
 * tests can check what they would see: the exit status, and the key words
 * of the message. */

#define PASSWORD       "correct horse battery staple"
#define OTHER_PASSWORD "a different pass phrase"

typedef struct
{
  int     status;
  GBytes *out_bytes;
  char   *out;
  char   *err;
} CliResult;

void        cli_result_free          (CliResult          *result);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (CliResult, cli_result_free)

typedef struct
{
  char *tmp;
  char *profile;
  char *password_file;
  char *secret_key;
} Fixture;

void        cli_fixture_init         (int                *argc,
                                      char             ***argv);

CliResult  *run_cli_argv             (GBytes             *input,
                                      const char * const *args);
CliResult  *run_cli_with_input       (GBytes             *input,
                                      const char         *first,
                                      ...) G_GNUC_NULL_TERMINATED;
#define run_cli(...) run_cli_with_input (NULL, __VA_ARGS__)

void        assert_message_contains  (const char         *message,
                                      const char         *words);
void        assert_error_line        (CliResult          *result,
                                      int                 status,
                                      const char         *words);

void        fixture_setup            (Fixture            *f,
                                      gconstpointer       data);
void        fixture_teardown         (Fixture            *f,
                                      gconstpointer       data);
char       *write_temp_file          (Fixture            *f,
                                      const char         *name,
                                      const void         *data,
                                      gssize              len);
char       *secret_key_from_kit      (const char         *kit);
void        init_profile_in          (Fixture            *f,
                                      const char         *directory,
                                      char              **secret_key);
void        init_profile             (Fixture            *f);
char       *put_record               (Fixture            *f,
                                      const char         *data,
                                      const char         *scope);
GBytes     *read_file_bytes          (const char         *path);
gboolean    bytes_contain            (GBytes             *bytes,
                                      const char         *needle);
GBytes     *all_byte_values          (void);

G_END_DECLS
