/* test-json.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "wa-json.h"

static void
test_canonical (void)
{
  struct {
    const char *input;
    const char *canonical;
  } cases[] = {
    { "{ \"b\" : 1, \"a\" : [ true, false, null ] }", "{\"a\":[true,false,null],\"b\":1}" },
    { "{\"z\":{\"y\":\"x\",\"c\":{}},\"a\":[]}", "{\"a\":[],\"z\":{\"c\":{},\"y\":\"x\"}}" },
    { "{\"s\":\"quote \\\" backslash \\\\ tab \\t nl \\n ctl \\u0001\"}",
      "{\"s\":\"quote \\\" backslash \\\\ tab \\t nl \\n ctl \\u0001\"}" },
    /* Non-ASCII stays as UTF-8, slashes are not escaped. */
    { "{\"s\":\"caf\\u00e9 / \xe2\x82\xac\"}", "{\"s\":\"caf\xc3\xa9 / \xe2\x82\xac\"}" },
    /* Keys sort by bytes: upper case before lower case. */
    { "{\"b\":1,\"B\":2,\"a\":3,\"A\":4}", "{\"A\":4,\"B\":2,\"a\":3,\"b\":1}" },
    { "{\"n\":-9007199254740993}", "{\"n\":-9007199254740993}" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = wa_json_parse_object (cases[i].input, -1, &error);
      g_autofree char *canonical = NULL;
      g_autoptr(JsonNode) again = NULL;
      g_autofree char *twice = NULL;

      g_assert_no_error (error);
      canonical = wa_json_canonicalize (node);
      g_assert_cmpstr (canonical, ==, cases[i].canonical);

      /* Canonicalization is idempotent. */
      again = wa_json_parse_object (canonical, -1, &error);
      g_assert_no_error (error);
      twice = wa_json_canonicalize (again);
      g_assert_cmpstr (twice, ==, canonical);
    }
}

static void
test_parse_object_only (void)
{
  const char *bad[] = { "[1,2]", "\"text\"", "{", "", "{\"a\":}", NULL };

  for (guint i = 0; bad[i] != NULL; i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(JsonNode) node = wa_json_parse_object (bad[i], -1, &error);

      g_assert_null (node);
      g_assert_nonnull (error);
    }
}

static void
test_write_file (void)
{
  g_autofree char *dir = g_dir_make_tmp ("wa-json-XXXXXX", NULL);
  g_autofree char *path = g_build_filename (dir, "state.json", NULL);
  g_autoptr(JsonNode) node = wa_json_parse_object ("{\"k\":1}", -1, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *contents = NULL;
  GStatBuf st;

  g_assert_true (wa_json_write_file (path, node, &error));
  g_assert_no_error (error);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_file_get_contents (path, &contents, NULL, NULL));
  g_assert_nonnull (strstr (contents, "\"k\""));

  g_unlink (path);
  g_rmdir (dir);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/wa/json/canonical", test_canonical);
  g_test_add_func ("/wa/json/parse-object-only", test_parse_object_only);
  g_test_add_func ("/wa/json/write-file", test_write_file);

  return g_test_run ();
}
