/* wa-json.c
 *
 * Copyright 2026 The WebAgent Authors
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */

#define G_LOG_DOMAIN "wa-json"

#include "config.h"

#include <string.h>

#include "wa-json.h"

static void canonicalize_node (GString  *out,
                               JsonNode *node);

/**
 * wa_json_append_string:
 *
 * Appends @text as a canonical JSON string literal.
 */
void
wa_json_append_string (GString    *out,
                       const char *text)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) text; *p != '\0'; p++)
    {
      switch (*p)
        {
        case '"' :
          g_string_append (out, "\\\"");
          break;
        case '\\' :
          g_string_append (out, "\\\\");
          break;
        case '\b' :
          g_string_append (out, "\\b");
          break;
        case '\f' :
          g_string_append (out, "\\f");
          break;
        case '\n' :
          g_string_append (out, "\\n");
          break;
        case '\r' :
          g_string_append (out, "\\r");
          break;
        case '\t' :
          g_string_append (out, "\\t");
          break;
        default :
          if (*p < 0x20)
            g_string_append_printf (out, "\\u%04x", *p);
          else
            g_string_append_c (out, *p);
          break;
        }
    }
  g_string_append_c (out, '"');
}

static int
compare_keys (gconstpointer a,
              gconstpointer b)
{
  return strcmp (*(const char * const *) a, *(const char * const *) b);
}

static void
canonicalize_node (GString  *out,
                   JsonNode *node)
{
  switch (JSON_NODE_TYPE (node))
    {
    case JSON_NODE_OBJECT :
    {
      JsonObject *object = json_node_get_object (node);
      g_autoptr(GList) members = json_object_get_members (object);
      g_autoptr(GPtrArray) keys = g_ptr_array_new ();

      for (GList *l = members; l != NULL; l = l->next)
        g_ptr_array_add (keys, l->data);
      g_ptr_array_sort (keys, compare_keys);

      g_string_append_c (out, '{');
      for (guint i = 0; i < keys->len; i++)
        {
          const char *key = g_ptr_array_index (keys, i);

          if (i > 0)
            g_string_append_c (out, ',');
          wa_json_append_string (out, key);
          g_string_append_c (out, ':');
          canonicalize_node (out, json_object_get_member (object, key));
        }
      g_string_append_c (out, '}');
    }
    break;

    case JSON_NODE_ARRAY :
    {
      JsonArray *array = json_node_get_array (node);
      guint len = json_array_get_length (array);

      g_string_append_c (out, '[');
      for (guint i = 0; i < len; i++)
        {
          if (i > 0)
            g_string_append_c (out, ',');
          canonicalize_node (out, json_array_get_element (array, i));
        }
      g_string_append_c (out, ']');
    }
    break;

    case JSON_NODE_VALUE :
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_INT64 :
          g_string_append_printf (out, "%" G_GINT64_FORMAT, json_node_get_int (node));
          break;
        case G_TYPE_BOOLEAN :
          g_string_append (out, json_node_get_boolean (node) ? "true" : "false");
          break;
        case G_TYPE_STRING :
          wa_json_append_string (out, json_node_get_string (node));
          break;
        case G_TYPE_DOUBLE :
        {
          char buf[G_ASCII_DTOSTR_BUF_SIZE];

          g_string_append (out, g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node)));
        }
        break;
        default :
          g_string_append (out, "null");
          break;
        }
      break;

    case JSON_NODE_NULL :
    default :
      g_string_append (out, "null");
      break;
    }
}

/**
 * wa_json_canonicalize:
 *
 * Serializes @node canonically: object members sorted by the bytes of their
 * UTF-8 names, no insignificant whitespace, strings in UTF-8 with only `"`,
 * `\` and control characters escaped, integers in decimal.  Two equal
 * documents give the same bytes, which is what hashes and signatures need.
 *
 * Returns: (transfer full): the canonical text.
 */
char *
wa_json_canonicalize (JsonNode *node)
{
  GString *out = g_string_new (NULL);

  g_return_val_if_fail (node != NULL, NULL);

  canonicalize_node (out, node);

  return g_string_free (out, FALSE);
}

/**
 * wa_json_parse_object:
 *
 * Parses @text, which must hold one JSON object.
 */
JsonNode *
wa_json_parse_object (const char  *text,
                      gssize       len,
                      GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  JsonNode *root;

  if (!json_parser_load_from_data (parser, text, len, error))
    return NULL;

  root = json_parser_get_root (parser);
  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    {
      g_set_error (error, JSON_PARSER_ERROR, JSON_PARSER_ERROR_INVALID_DATA,
                   "Expected a JSON object");
      return NULL;
    }

  return json_node_ref (root);
}

/**
 * wa_json_write_file:
 *
 * Writes @node to @path atomically and durably: a temporary file, fsync,
 * rename.  A crash leaves either the old file or the new one, never a mix.
 */
gboolean
wa_json_write_file (const char  *path,
                    JsonNode    *node,
                    GError     **error)
{
  g_autofree char *text = json_to_string (node, TRUE);

  return g_file_set_contents_full (path, text, -1,
                                   G_FILE_SET_CONTENTS_CONSISTENT | G_FILE_SET_CONTENTS_DURABLE,
                                   0600, error);
}
